//! Report stage, assembly: runs the pipeline (load → compute → check → tables → texts)
//! and puts the sections, memo, checks and text figures together.

use crate::checks::run_checks;
use crate::compute::compute;
use crate::config::{Config, Organisation, RowKindConfig};
use crate::error::LoadError;
use crate::money::{format_thousands, month_name};
use crate::package::{load_package, Package, ProgressFn};
use crate::report::{
    Block, Cell, Check, CheckStatus, Goal, Indicator, Memo, Meta, MonthlyNetCost, MunicipalityRef,
    Report, Rounding, Section, Table,
};
use crate::sources::SourceFiles;
use crate::tables;
use crate::texts::{Context, Filler};
use std::collections::BTreeMap;

/// How to build a report.
#[derive(Clone, Default)]
pub struct Options {
    /// How exact amounts become displayed tkr.
    pub rounding: Rounding,
    /// Called after each loading step (the CLI shows a progress bar).
    pub progress: Option<ProgressFn>,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("rounding", &self.rounding)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// Reads the package and builds the report. Fails with a [`LoadError`] when a source is
/// missing or malformed, a template is wrong, or bookings within scope are not claimed
/// by exactly one row ([`LoadError::Claims`]). Failed checks of other kinds do not stop
/// the report; they are in [`Report::checks`].
pub fn build_report(files: &dyn SourceFiles, options: &Options) -> Result<Report, LoadError> {
    let pkg = load_package(files, options.progress.as_ref())?;
    report_from_package(&pkg, options)
}

/// Reads the package and runs every check without stopping at the first problem that a
/// check can describe: unclaimed bookings are a failed check here, and a template error
/// becomes a failed `texts` check. Unreadable sources are still errors.
pub fn check_package(files: &dyn SourceFiles, options: &Options) -> Result<Vec<Check>, LoadError> {
    let pkg = load_package(files, options.progress.as_ref())?;
    Ok(checks_of_package(&pkg, options))
}

/// [`check_package`] on a package already read.
pub fn checks_of_package(pkg: &Package, options: &Options) -> Vec<Check> {
    let comp = compute(pkg);
    let mut checks = run_checks(pkg, &comp);
    if comp.claims.is_empty() {
        match report_from_package(pkg, options) {
            Ok(report) => {
                checks.extend(
                    report
                        .checks
                        .into_iter()
                        .filter(|c| c.id == TEXT_FILES_CHECK),
                );
                checks.push(Check {
                    id: "texts".into(),
                    status: CheckStatus::Pass,
                    message: "Texterna och målen kunde fyllas med rapportens siffror.".into(),
                    figures: vec![],
                });
            }
            Err(e) => checks.push(Check {
                id: "texts".into(),
                status: CheckStatus::Fail,
                message: e.to_string(),
                figures: vec![],
            }),
        }
    }
    checks
}

fn shown(table: Option<&Table>, row: &str, col: &str) -> i64 {
    table
        .and_then(|t| {
            let c = t.column_index(col)?;
            match t.row(row)?.cells.get(c)? {
                Cell::Amount { shown_tkr, .. } => Some(*shown_tkr),
                _ => None,
            }
        })
        .unwrap_or(0)
}

/// The generated first sentence of the memo's summary.
pub fn summary_sentence(committee: &str, through_month: u32, result_tkr: i64) -> String {
    let month = month_name(through_month);
    match result_tkr {
        0 => format!("{committee} redovisar ett resultat i nivå med budget per {month}."),
        r if r < 0 => format!(
            "{committee} redovisar en negativ avvikelse från budget på {} tkr per {month}.",
            format_thousands(-r)
        ),
        r => format!(
            "{committee} redovisar en positiv avvikelse från budget på {} tkr per {month}.",
            format_thousands(r)
        ),
    }
}

/// From this many postings in the package's ledgers on, [`compute_with_months`] sums the
/// months of the chart on a second thread (below it the thread would cost more than the
/// pass it saves).
const PARALLEL_MONTHS_POSTINGS: usize = 50_000;

/// The net cost by month of the current year and of the prior one (when there is a prior
/// ledger), as the chart shows them.
type Months = ([i64; 12], Option<[i64; 12]>);

/// [`compute`] and the chart's monthly net cost ([`crate::compute::monthly_net_cost`] of
/// both years). Each reads every posting of both ledgers and neither needs the other, so
/// with large ledgers the months are summed on a second thread while `compute` runs: the
/// other core is otherwise idle between reading the ledgers and rendering, and the two
/// passes over the postings were a fifth of that single-threaded stretch (perf, issue 11).
/// The result is the same either way.
fn compute_with_months(pkg: &Package, parallel_from: usize) -> (crate::compute::Computed, Months) {
    let config = &pkg.config;
    let months = || {
        (
            crate::compute::monthly_net_cost(config, &pkg.current, config.year),
            pkg.prior
                .as_ref()
                .map(|l| crate::compute::monthly_net_cost(config, l, config.year - 1)),
        )
    };
    let postings = pkg.current.postings.len() + pkg.prior.as_ref().map_or(0, |l| l.postings.len());
    if postings < parallel_from {
        return (compute(pkg), months());
    }
    std::thread::scope(|scope| {
        let months = scope.spawn(months);
        let comp = compute(pkg);
        let months = months
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (comp, months)
    })
}

/// Builds the report from a loaded package.
pub fn report_from_package(pkg: &Package, options: &Options) -> Result<Report, LoadError> {
    let config = &pkg.config;
    let (comp, (current_months, prior_months)) = compute_with_months(pkg, PARALLEL_MONTHS_POSTINGS);
    if !comp.claims.is_empty() {
        return Err(LoadError::Claims {
            problems: comp.claims.clone(),
        });
    }
    let checks = run_checks(pkg, &comp);
    let rounding = options.rounding;

    let wanted = |id: &str| config.tables.iter().any(|t| t == id);
    let mut income = tables::income_statement(config, &comp, rounding);
    let mut netto = tables::municipality_split(config, &comp, &income.netto, rounding);
    tables::year_end(config, &mut income.table);
    tables::year_end(config, &mut netto);
    let mut all_tables = Vec::new();
    if wanted("resultatrakning") {
        all_tables.push(income.table);
    }
    if wanted("resultat_netto") {
        all_tables.push(netto);
    }
    if wanted("prognoskommentarer") {
        if let Some(t) = pkg
            .forecast
            .as_deref()
            .and_then(|lines| tables::forecast_comments(config, lines))
        {
            all_tables.push(t);
        }
    }
    if wanted("budgetforandringar") {
        all_tables.push(tables::budget_changes(config, &comp, rounding));
    }
    if wanted("investeringar") {
        if let Some(t) = tables::investments(config, &comp, rounding) {
            all_tables.push(t);
        }
    }
    if wanted("personal") {
        if let Some(t) = tables::staff(config, &comp) {
            all_tables.push(t);
        }
    }

    let period_end = config.period_end().to_string();
    let ctx = Context::new(config, &period_end, &all_tables);
    let filler = Filler::new(&ctx);
    let text = |name: &str| -> Result<Option<String>, LoadError> {
        match pkg.texts.get(name) {
            Some(t) => filler.fill(&t.path, 1, &t.text).map(Some),
            None => Ok(None),
        }
    };

    let rr = all_tables.iter().find(|t| t.id == "resultatrakning");
    let inv = all_tables.iter().find(|t| t.id == "investeringar");
    let result_tkr = shown(rr, "resultat", "utfall");
    let mut text_figures = BTreeMap::new();
    text_figures.insert("tjansteskrivelse_avvikelse_tkr".to_string(), result_tkr);
    text_figures.insert("sammanfattning_resultat_tkr".to_string(), result_tkr);
    text_figures.insert(
        "investeringar_utfall_tkr".to_string(),
        shown(inv, "summa_totalt", "utfall"),
    );
    text_figures.insert(
        "investeringar_budget_tkr".to_string(),
        shown(inv, "summa_totalt", "summa_budget"),
    );
    text_figures.insert(
        "nettokostnad_utfall_tkr".to_string(),
        shown(rr, "summa_nettokostnader", "utfall"),
    );
    text_figures.insert(
        "prognos_avvikelse_tkr".to_string(),
        shown(rr, "summa_nettokostnader", "avvikelse"),
    );

    let md = |t: Option<String>| t.map(|text| Block::Markdown { text });
    let table = |id: &str| {
        all_tables
            .iter()
            .any(|t| t.id == id)
            .then(|| Block::Table { id: id.to_string() })
    };
    let mut sections = Vec::new();
    for sc in &config.sections {
        let own = match sc.text.as_deref() {
            Some(name) => text(name)?,
            None => None,
        };
        let blocks: Vec<Option<Block>> = match sc.id.as_str() {
            "mal" => {
                let mut goal_blocks = vec![md(own)];
                for g in &pkg.goals {
                    goal_blocks.push(Some(Block::Goal(Goal {
                        title: g.title.clone(),
                        status: g.status,
                        text: filler.fill(&pkg.goals_path, g.text_line, &g.text)?,
                        indicators: g
                            .indicators
                            .iter()
                            .map(|(name, target, outcome)| Indicator {
                                name: name.clone(),
                                target: target.clone(),
                                outcome: outcome.clone(),
                            })
                            .collect(),
                    })));
                }
                goal_blocks
            }
            "personalredovisning" => vec![table("personal"), md(own)],
            "drift" => {
                let heading = if config.through_month == 12 {
                    "Kommentarer till utfall drift"
                } else {
                    "Kommentarer till utfall och prognos drift"
                };
                vec![
                    table("resultatrakning"),
                    table("resultat_netto"),
                    md(own.map(|t| format!("### {heading}\n\n{t}"))),
                    table("prognoskommentarer"),
                    table("budgetforandringar"),
                ]
            }
            "investeringar" => vec![table("investeringar"), md(own)],
            _ => vec![md(own)],
        };
        sections.push(Section {
            id: sc.id.clone(),
            heading: sc.heading.clone(),
            level: sc.level,
            blocks: blocks.into_iter().flatten().collect(),
        });
    }
    let sections = drop_empty_sections(sections);
    let mut checks = checks;
    checks.push(text_files_check(pkg, &sections));

    // The generated sentence opens the summary, unless the controller's text places it
    // with `{{ summary_sentence }}`.
    let sentence = summary_sentence(&config.committee, config.through_month, result_tkr);
    let summary = match text("tjansteskrivelse-sammanfattning.md")? {
        Some(t) if t.contains(&sentence) => t.trim_end().to_string(),
        Some(t) if !t.trim().is_empty() => format!("{sentence}\n\n{}", t.trim_end()),
        _ => sentence,
    };
    let decision = filler.fill("delar.toml, report.decision", 0, &config.decision)?;
    let memo = Memo {
        title: format!("{} {period_end} {}", config.report_name, config.committee),
        date: config.memo_date.to_string(),
        summary,
        background: text("tjansteskrivelse-bakgrund.md")?.unwrap_or_default(),
        basis: vec![
            format!("Tjänsteskrivelse i ärendet daterad {}", config.memo_date),
            format!("{} {period_end} {}.", config.report_name, config.committee),
        ],
        decision,
        author: config.author.clone(),
        author_title: config.author_title.clone(),
        distribution: config.distribution.clone(),
        for_information: config.for_information.clone(),
    };

    let monthly = MonthlyNetCost {
        current_ore: current_months[..config.through_month as usize].to_vec(),
        prior_ore: prior_months.map(|m| m.to_vec()).unwrap_or_default(),
        budget_ore: comp.sum_kind(config, RowKindConfig::Income)[crate::compute::BUDGET]
            + comp.sum_kind(config, RowKindConfig::Cost)[crate::compute::BUDGET],
    };
    Ok(Report {
        meta: meta(config, rounding),
        sections,
        tables: all_tables,
        memo,
        checks,
        monthly: Some(monthly),
        text_figures,
    })
}

fn meta(config: &Config, rounding: Rounding) -> Meta {
    let host = config.host();
    let mut municipalities: Vec<MunicipalityRef> = Vec::new();
    for (i, m) in config.municipalities.iter().enumerate() {
        let r = MunicipalityRef {
            id: m.id.clone(),
            name: m.name.clone(),
            host: m.host,
        };
        if i == host {
            municipalities.insert(0, r);
        } else {
            municipalities.push(r);
        }
    }
    Meta {
        committee: config.committee.clone(),
        title: format!("{} {}", config.report_name, config.period_end()),
        report_name: config.report_name.clone(),
        cover_title: format!("{} {}", config.report_name, config.year),
        year: config.year,
        through_month: config.through_month,
        period_end: config.period_end().to_string(),
        organisation: organisation_lines(config),
        municipalities,
        sign_convention: "Belopp i tkr med huvudbokens tecken: intäkter negativa, kostnader positiva. Kommunbidrag visas som erhållet belopp (positivt).".into(),
        rounding,
    }
}

/// Id of the check on the package's text files.
pub const TEXT_FILES_CHECK: &str = "text_files";

/// Warns about text files that no section uses and sections whose text file is missing
/// (named in `[[section]]`, or the section is left out for want of content).
fn text_files_check(pkg: &Package, shown: &[Section]) -> Check {
    let config = &pkg.config;
    let Some(dir) = &config.texts_dir else {
        return Check {
            id: TEXT_FILES_CHECK.into(),
            status: CheckStatus::Pass,
            message: "Paketet har inga texter (texts.dir saknas).".into(),
            figures: vec![],
        };
    };
    let path = |name: &str| {
        let d = dir.trim_end_matches('/');
        if d.is_empty() || d == "." {
            name.to_string()
        } else {
            format!("{d}/{name}")
        }
    };
    let mut problems = Vec::new();
    for sc in &config.sections {
        let Some(name) = sc.text.as_deref() else {
            continue;
        };
        let left_out = !shown.iter().any(|s| s.id == sc.id);
        if !pkg.texts.contains_key(name) && (sc.text_named || left_out) {
            problems.push(format!(
                "{} saknas: avsnittet \"{}\" {}",
                path(name),
                sc.heading,
                if left_out {
                    "har inget innehåll och utelämnas; skriv texten eller ta bort avsnittet ur [[section]]"
                } else {
                    "visas utan text; skriv texten eller ta bort text = ur [[section]]"
                }
            ));
        }
    }
    if let Some(files) = &pkg.text_dir_files {
        for f in files {
            let used = config.sections.iter().any(|s| s.text.as_deref() == Some(f))
                || crate::config::MEMO_TEXTS.contains(&f.as_str());
            if !used {
                problems.push(format!(
                        "{} används inte av något avsnitt; lägg till ett [[section]] med text = \"{f}\" eller ta bort filen",
                        path(f)
                    ));
            }
        }
    }
    if problems.is_empty() {
        Check {
            id: TEXT_FILES_CHECK.into(),
            status: CheckStatus::Pass,
            message: match pkg.text_dir_files {
                Some(_) => "Varje textfil hör till ett avsnitt, och varje avsnitt med textfil har den.".into(),
                None => format!("Varje avsnitt med textfil har den. Mappen {dir} kunde inte listas, så oanvända textfiler har inte letats efter."),
            },
            figures: vec![],
        }
    } else {
        Check {
            id: TEXT_FILES_CHECK.into(),
            status: CheckStatus::Warn,
            message: problems.join("; "),
            figures: vec![],
        }
    }
}

/// What the cover and memo say about the organisation: "Gemensam nämnd för A och B" and
/// "Huvudman: A kommun" for a joint committee; "A kommun" or "Region A" otherwise.
pub fn organisation_lines(config: &Config) -> Vec<String> {
    let kind = config.organisation;
    let host = &config.municipalities[config.host()];
    match kind {
        Organisation::Gemensam => {
            let mut names: Vec<&str> = vec![host.name.as_str()];
            names.extend(
                config
                    .municipalities
                    .iter()
                    .filter(|m| !m.host)
                    .map(|m| m.name.as_str()),
            );
            let list = match names.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{} och {last}", rest.join(", "))
                }
                _ => names.join(""),
            };
            vec![
                format!("Gemensam nämnd för {list}"),
                format!("Huvudman: {}", kind.member_name(&host.name)),
            ]
        }
        Organisation::Kommun | Organisation::Region => vec![kind.member_name(&host.name)],
    }
}

/// Leaves out sections without content: a subsection (level 2) without blocks, and a
/// main section without blocks that has no subsection left under it.
pub fn drop_empty_sections(sections: Vec<Section>) -> Vec<Section> {
    let kept: Vec<Section> = sections
        .into_iter()
        .filter(|s| s.level == 1 || !s.blocks.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, s) in kept.iter().enumerate() {
        let has_children = kept.get(i + 1).is_some_and(|next| next.level > s.level);
        if !s.blocks.is_empty() || has_children {
            out.push(s.clone());
        }
    }
    out
}

#[cfg(test)]
#[path = "../tests/common/dir.rs"]
mod test_dir;

#[cfg(test)]
mod tests {
    use super::{compute_with_months, summary_sentence};
    use crate::{load_package, MemoryFiles};
    use std::path::Path;

    /// Every file of the example package `name`, by its path in the package.
    fn example(name: &str) -> MemoryFiles {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples")
            .join(name);
        MemoryFiles {
            files: super::test_dir::files_under(&root),
        }
    }

    #[test]
    fn months_summed_beside_compute_are_those_summed_after_it() {
        // A committee with two years of vouchers, and one whose ledgers are #PSALDO.
        for name in ["servicenamnd-it-2023", "kultur-fritid-2024"] {
            let pkg = load_package(&example(name), None).unwrap();
            let serial = compute_with_months(&pkg, usize::MAX);
            let parallel = compute_with_months(&pkg, 0);
            assert_eq!(serial, parallel, "{name}");
            let (_, (current, prior)) = &serial;
            assert!(current.iter().any(|&m| m != 0), "{name}");
            assert!(prior.is_some_and(|p| p.iter().any(|&m| m != 0)), "{name}");
        }
    }

    #[test]
    fn summary_sentence_by_sign() {
        let cases = [
            (
                -402,
                "N redovisar en negativ avvikelse från budget på 402 tkr per augusti.",
            ),
            (
                1645,
                "N redovisar en positiv avvikelse från budget på 1 645 tkr per augusti.",
            ),
            (0, "N redovisar ett resultat i nivå med budget per augusti."),
        ];
        for (result, expect) in cases {
            assert_eq!(summary_sentence("N", 8, result), expect);
        }
    }
}
