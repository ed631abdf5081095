//! Report stage, assembly: runs the pipeline (load → compute → check → tables → texts)
//! and puts the sections, memo, checks and text figures together.

use crate::checks::run_checks;
use crate::compute::compute;
use crate::config::{Config, RowKindConfig};
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
            Ok(_) => checks.push(Check {
                id: "texts".into(),
                status: CheckStatus::Pass,
                message: "Texterna och målen kunde fyllas med rapportens siffror.".into(),
                figures: vec![],
            }),
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

/// Builds the report from a loaded package.
pub fn report_from_package(pkg: &Package, options: &Options) -> Result<Report, LoadError> {
    let config = &pkg.config;
    let comp = compute(pkg);
    if !comp.claims.is_empty() {
        return Err(LoadError::Claims {
            problems: comp.claims.clone(),
        });
    }
    let checks = run_checks(pkg, &comp);
    let rounding = options.rounding;

    let income = tables::income_statement(config, &comp, rounding);
    let netto = tables::municipality_split(config, &comp, &income.netto, rounding);
    let mut all_tables = vec![income.table, netto];
    if config.budget_changes.is_some() {
        all_tables.push(tables::budget_changes(config, &comp, rounding));
    }
    if let Some(t) = tables::investments(config, &comp, rounding) {
        all_tables.push(t);
    }
    if let Some(t) = tables::staff(config, &comp) {
        all_tables.push(t);
    }

    let period_end = config.period_end().to_string();
    let ctx = Context::new(
        &config.committee,
        config.year,
        config.through_month,
        &period_end,
        &all_tables,
    );
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
    let section = |id: &str, heading: &str, level: u8, blocks: Vec<Option<Block>>| Section {
        id: id.to_string(),
        heading: heading.to_string(),
        level,
        blocks: blocks.into_iter().flatten().collect(),
    };

    let mut goal_blocks = vec![md(text("mal-inledning.md")?)];
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
    let drift_comment = text("drift-kommentar.md")?
        .map(|t| format!("### Kommentarer till utfall och prognos drift\n\n{t}"));
    let sections = vec![
        section(
            "sammanfattning",
            "Sammanfattning",
            1,
            vec![md(text("sammanfattning.md")?)],
        ),
        section(
            "ansvar_och_uppdrag",
            "Ansvar och uppdrag",
            1,
            vec![md(text("ansvar-och-uppdrag.md")?)],
        ),
        section(
            "verksamhetsberattelse",
            "Verksamhetsberättelse",
            1,
            vec![md(text("verksamhetsberattelse.md")?)],
        ),
        section(
            "planeringsforutsattningar",
            "Planeringsförutsättningar",
            1,
            vec![md(text("planeringsforutsattningar.md")?)],
        ),
        section("mal", "Mål", 1, goal_blocks),
        section(
            "personalredovisning",
            "Personalredovisning",
            1,
            vec![table("personal"), md(text("personal-kommentar.md")?)],
        ),
        section("ekonomi", "Ekonomi", 1, vec![]),
        section(
            "drift",
            "Drift",
            2,
            vec![
                table("resultatrakning"),
                table("resultat_netto"),
                md(drift_comment),
                table("budgetforandringar"),
            ],
        ),
        section(
            "investeringar",
            "Investeringar",
            2,
            vec![
                table("investeringar"),
                md(text("investeringar-kommentar.md")?),
            ],
        ),
    ];

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
        title: format!("Delårsrapport {period_end} {}", config.committee),
        date: config.memo_date.to_string(),
        summary,
        background: text("tjansteskrivelse-bakgrund.md")?.unwrap_or_default(),
        basis: vec![
            format!("Tjänsteskrivelse i ärendet daterad {}", config.memo_date),
            format!("Delårsrapport {period_end} {}.", config.committee),
        ],
        decision,
        author: config.author.clone(),
        author_title: config.author_title.clone(),
        distribution: config.distribution.clone(),
        for_information: config.for_information.clone(),
    };

    let current = crate::compute::monthly_net_cost(config, &pkg.current, config.year);
    let monthly = MonthlyNetCost {
        current_ore: current[..config.through_month as usize].to_vec(),
        prior_ore: pkg
            .prior
            .as_ref()
            .map(|l| crate::compute::monthly_net_cost(config, l, config.year - 1).to_vec())
            .unwrap_or_default(),
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
        title: format!("Delårsrapport {}", config.period_end()),
        year: config.year,
        through_month: config.through_month,
        period_end: config.period_end().to_string(),
        municipalities,
        sign_convention: "Belopp i tkr med huvudbokens tecken: intäkter negativa, kostnader positiva. Kommunbidrag visas som erhållet belopp (positivt).".into(),
        rounding,
    }
}

#[cfg(test)]
mod tests {
    use super::summary_sentence;

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
