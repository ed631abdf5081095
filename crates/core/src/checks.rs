//! Check stage: the source checks, as [`Check`] values with Swedish messages and the
//! figures involved (ledger balance, budget balance, budget changes, forecast coverage,
//! scope, row claims, investment groups, staff data).

use crate::compute::{Computed, BUDGET};
use crate::config::RowKindConfig;
use crate::ledger::LedgerKind;
use crate::money::format_kronor;
use crate::package::Package;
use crate::report::{Check, CheckStatus};
use std::collections::BTreeSet;

fn check(id: &str, status: CheckStatus, message: String, figures: Vec<(String, String)>) -> Check {
    Check {
        id: id.to_string(),
        status,
        message,
        figures,
    }
}

fn kr(ore: i64) -> String {
    format!("{} kr", format_kronor(ore))
}

/// Id of the check that every booking within scope is claimed by exactly one row.
pub const ROWS_CLAIMED: &str = "rows_claimed";

/// Runs every source check.
pub fn run_checks(pkg: &Package, comp: &Computed) -> Vec<Check> {
    let config = &pkg.config;
    let mut out = Vec::new();

    // Ledger balanced, per file.
    for ledger in std::iter::once(&pkg.current).chain(pkg.prior.as_ref()) {
        let total = ledger.total();
        let id = "ledger_balanced";
        match ledger.kind {
            LedgerKind::Vouchers => {
                let mut figures = vec![
                    ("fil".to_string(), ledger.path.clone()),
                    ("verifikationer".to_string(), ledger.voucher_count.to_string()),
                    ("summa av alla rader".to_string(), kr(total)),
                ];
                if ledger.unbalanced.is_empty() && total == 0 {
                    out.push(check(
                        id,
                        CheckStatus::Pass,
                        format!("{}: alla verifikationer balanserar och filen summerar till noll.", ledger.path),
                        figures,
                    ));
                } else {
                    for v in ledger.unbalanced.iter().take(20) {
                        figures.push((
                            format!("verifikation {} (rad {})", v.id, v.line),
                            kr(v.difference),
                        ));
                    }
                    out.push(check(
                        id,
                        CheckStatus::Fail,
                        format!(
                            "{}: {} verifikationer balanserar inte; filen summerar till {}.",
                            ledger.path,
                            ledger.unbalanced.len(),
                            kr(total)
                        ),
                        figures,
                    ));
                }
            }
            LedgerKind::PeriodBalances => out.push(check(
                id,
                CheckStatus::Warn,
                format!(
                    "{}: filen har periodsaldon (#PSALDO) men inga verifikationer; balansen kan inte kontrolleras per verifikation.",
                    ledger.path
                ),
                vec![("summa av periodsaldon".into(), kr(total))],
            )),
        }
        if !ledger.non_numeric_accounts.is_empty() {
            out.push(check(
                "ledger_accounts_numeric",
                CheckStatus::Warn,
                format!(
                    "{}: {} konton är inte numeriska och ingår inte i rapporten.",
                    ledger.path,
                    ledger.non_numeric_accounts.len()
                ),
                ledger
                    .non_numeric_accounts
                    .iter()
                    .map(|(a, v)| (format!("konto {a}"), kr(*v)))
                    .collect(),
            ));
        }
    }

    // Each ledger covers its year.
    for (ledger, year) in std::iter::once((&pkg.current, config.year))
        .chain(pkg.prior.as_ref().map(|p| (p, config.year - 1)))
    {
        let in_period: u64 = ledger
            .postings
            .iter()
            .filter(|p| p.year == year && (1..=config.through_month).contains(&p.month))
            .map(|p| u64::from(p.rows))
            .sum();
        let rar = ledger
            .fiscal_year
            .map(|(a, b)| format!("{a}–{b}"))
            .unwrap_or_else(|| "saknas".into());
        let figures = vec![
            ("räkenskapsår (#RAR 0)".to_string(), rar),
            (
                format!(
                    "poster januari–{} {year}",
                    crate::money::month_name(config.through_month)
                ),
                in_period.to_string(),
            ),
        ];
        let wrong_year = ledger
            .fiscal_year
            .is_some_and(|(a, b)| a.year > year || b.year < year);
        out.push(if wrong_year {
            check(
                "ledger_year",
                CheckStatus::Fail,
                format!(
                    "{}: räkenskapsåret omfattar inte {year}; fel fil?",
                    ledger.path
                ),
                figures,
            )
        } else if in_period == 0 {
            check(
                "ledger_year",
                CheckStatus::Warn,
                format!(
                    "{}: inga poster under perioden januari–{} {year}.",
                    ledger.path,
                    crate::money::month_name(config.through_month)
                ),
                figures,
            )
        } else {
            check(
                "ledger_year",
                CheckStatus::Pass,
                format!(
                    "{}: {in_period} poster under perioden i {year}.",
                    ledger.path
                ),
                figures,
            )
        });
    }

    // Rows claim every booking within scope exactly once.
    if comp.claims.is_empty() {
        out.push(check(
            ROWS_CLAIMED,
            CheckStatus::Pass,
            "Varje resultatkonto inom nämndens ansvar hör till exakt en rad i resultaträkningen."
                .into(),
            vec![],
        ));
    } else {
        out.push(check(
            ROWS_CLAIMED,
            CheckStatus::Fail,
            format!(
                "{} konton inom nämndens ansvar hör inte till exakt en rad; inget belopp får falla bort eller räknas två gånger.",
                comp.claims.len()
            ),
            comp.claims
                .iter()
                .map(|p| (format!("konto {} ({})", p.account, p.source), p.describe()))
                .collect(),
        ));
    }

    // Outside scope (information).
    out.push(check(
        "outside_scope",
        CheckStatus::Pass,
        format!(
            "Belopp på resultatkonton utanför nämndens ansvar (dimension {}) under perioden ingår inte: {} poster, netto {}.",
            config.ledger.scope_dimension,
            comp.outside_scope.postings,
            kr(comp.outside_scope.amount)
        ),
        vec![
            ("poster".into(), comp.outside_scope.postings.to_string()),
            ("belopp".into(), kr(comp.outside_scope.amount)),
        ],
    ));

    // Budget: nettokostnad = kommunbidrag.
    let inc = comp.sum_kind(config, RowKindConfig::Income)[BUDGET];
    let cost = comp.sum_kind(config, RowKindConfig::Cost)[BUDGET];
    let contrib = comp.sum_kind(config, RowKindConfig::Contribution)[BUDGET];
    let netto = inc + cost;
    let figures = vec![
        ("budgeterad nettokostnad".into(), kr(netto)),
        ("budgeterat kommunbidrag".into(), kr(-contrib)),
        ("skillnad".into(), kr(netto + contrib)),
    ];
    out.push(if netto + contrib == 0 {
        check(
            "budget_balanced",
            CheckStatus::Pass,
            "Budgeterad nettokostnad är lika med budgeterat kommunbidrag.".into(),
            figures,
        )
    } else {
        check(
            "budget_balanced",
            CheckStatus::Fail,
            format!(
                "Budgeterad nettokostnad ({}) är inte lika med budgeterat kommunbidrag ({}).",
                kr(netto),
                kr(-contrib)
            ),
            figures,
        )
    });

    // Budget changes balanced by kommunbidrag per område.
    if !comp.changes.is_empty() {
        let unbalanced: Vec<_> = comp
            .changes
            .iter()
            .filter(|a| a.amount + a.contribution != 0)
            .collect();
        let figures = comp
            .changes
            .iter()
            .map(|a| {
                (
                    a.label.clone(),
                    format!("{} (kommunbidrag {})", kr(a.amount), kr(-a.contribution)),
                )
            })
            .collect();
        out.push(if unbalanced.is_empty() {
            check(
                "budget_changes_balanced",
                CheckStatus::Pass,
                "Varje budgetförändring motsvaras av lika stor förändring av kommunbidraget."
                    .into(),
                figures,
            )
        } else {
            check(
                "budget_changes_balanced",
                CheckStatus::Warn,
                format!(
                    "Budgetförändringar som inte motsvaras av kommunbidrag: {}.",
                    unbalanced
                        .iter()
                        .map(|a| a.label.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                figures,
            )
        });
    }

    // Rows without forecast.
    let missing: Vec<&str> = config
        .rows
        .iter()
        .zip(&comp.rows)
        .filter(|(_, f)| !f.has_forecast && f.has_data)
        .map(|(r, _)| r.label.as_str())
        .collect();
    out.push(if missing.is_empty() {
        check(
            "forecast_complete",
            CheckStatus::Pass,
            "Alla rader med utfall eller budget har en prognos.".into(),
            vec![],
        )
    } else {
        check(
            "forecast_complete",
            CheckStatus::Warn,
            format!(
                "Rader utan prognos (prognos = budget används): {}.",
                missing.join(", ")
            ),
            vec![],
        )
    });

    // Investments.
    if let Some(inv) = &config.investments {
        let known: BTreeSet<&str> = inv.groups.iter().map(|g| g.id.as_str()).collect();
        let unknown: Vec<_> = comp
            .projects
            .iter()
            .filter(|p| !known.contains(p.group.as_str()))
            .collect();
        let sum = |f: &dyn Fn(&crate::compute::ProjectFigures) -> i64, only_known: bool| -> i64 {
            comp.projects
                .iter()
                .filter(|p| !only_known || known.contains(p.group.as_str()))
                .map(f)
                .sum()
        };
        let budget_all = sum(&|p| p.budget + p.rebudget, false);
        let budget_groups = sum(&|p| p.budget + p.rebudget, true);
        let figures = vec![
            ("S:a budget i registret".into(), kr(budget_all)),
            ("S:a budget i grupperna".into(), kr(budget_groups)),
            (
                "prognos i registret".into(),
                kr(sum(&|p| p.forecast, false)),
            ),
            ("prognos i grupperna".into(), kr(sum(&|p| p.forecast, true))),
        ];
        out.push(if unknown.is_empty() {
            check(
                "investment_groups",
                CheckStatus::Pass,
                "Varje projekt hör till en känd grupp och grupperna summerar till registrets totaler.".into(),
                figures,
            )
        } else {
            check(
                "investment_groups",
                CheckStatus::Fail,
                format!(
                    "Projekt med okänd grupp (kända: {}): {}. De ingår inte i tabellens grupper och total.",
                    known.iter().copied().collect::<Vec<_>>().join(", "),
                    unknown
                        .iter()
                        .map(|p| format!("{} {} (grupp \"{}\")", p.id, p.name, p.group))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                figures,
            )
        });
        let mut seen = BTreeSet::new();
        let twice: Vec<&str> = comp
            .projects
            .iter()
            .filter(|p| !seen.insert(p.id.as_str()))
            .map(|p| p.id.as_str())
            .collect();
        if !twice.is_empty() {
            out.push(check(
                "investment_projects_unique",
                CheckStatus::Fail,
                format!(
                    "Projekt som finns flera gånger i investeringsregistret (utfallet räknas då flera gånger): {}.",
                    twice.join(", ")
                ),
                vec![],
            ));
        }
        if !comp.unregistered_outcome.is_empty() {
            out.push(check(
                "investment_outcome_registered",
                CheckStatus::Warn,
                "Investeringsutfall på projekt som saknas i investeringsregistret ingår inte i tabellen.".into(),
                comp.unregistered_outcome
                    .iter()
                    .map(|(id, v)| (format!("projekt {id}"), kr(*v)))
                    .collect(),
            ));
        }
    }

    // Staff.
    if config.staff.is_some() {
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        for e in &pkg.employees {
            if e.ordinary_hours <= 0 {
                problems.push(format!(
                    "{}:{}: anställd {} har ordinarie timmar {}",
                    e.origin.0,
                    e.origin.1,
                    e.id,
                    crate::money::format_decimal(e.ordinary_hours, 2)
                ));
            }
            if !ids.insert(e.id.as_str()) {
                problems.push(format!(
                    "{}:{}: anställd {} finns två gånger",
                    e.origin.0, e.origin.1, e.id
                ));
            }
        }
        let mut sick_by_id: std::collections::BTreeMap<&str, i64> = Default::default();
        for s in &pkg.spells {
            *sick_by_id.entry(s.id.as_str()).or_insert(0) += s.hours;
        }
        for e in &pkg.employees {
            let sick = sick_by_id.get(e.id.as_str()).copied().unwrap_or(0);
            if sick > e.ordinary_hours {
                problems.push(format!(
                    "{}:{}: anställd {} har fler sjuktimmar ({}) än ordinarie timmar ({})",
                    e.origin.0,
                    e.origin.1,
                    e.id,
                    crate::money::format_decimal(sick, 2),
                    crate::money::format_decimal(e.ordinary_hours, 2)
                ));
            }
        }
        for s in &pkg.spells {
            if !ids.contains(s.id.as_str()) {
                problems.push(format!(
                    "{}:{}: sjukfallets id {} finns inte bland de anställda",
                    s.origin.0, s.origin.1, s.id
                ));
            }
        }
        out.push(if problems.is_empty() {
            check(
                "staff_data",
                CheckStatus::Pass,
                format!(
                    "{} anställda med positiv ordinarie arbetstid; alla {} sjukfall hör till en anställd.",
                    pkg.employees.len(),
                    pkg.spells.len()
                ),
                vec![],
            )
        } else {
            check(
                "staff_data",
                CheckStatus::Fail,
                format!("Personaluppgifterna har {} fel.", problems.len()),
                problems
                    .into_iter()
                    .map(|p| ("fel".to_string(), p))
                    .collect(),
            )
        });
        let (start, end) = (config.period_start(), config.period_end());
        let outside: Vec<_> = pkg
            .spells
            .iter()
            .filter(|s| s.last < start || s.first > end)
            .collect();
        out.push(if outside.is_empty() {
            check(
                "sick_spells_in_period",
                CheckStatus::Pass,
                format!("Alla sjukfall berör perioden {start}–{end}."),
                vec![],
            )
        } else {
            check(
                "sick_spells_in_period",
                CheckStatus::Fail,
                format!("Sjukfall utanför perioden {start}–{end}."),
                outside
                    .iter()
                    .map(|s| {
                        (
                            format!("{}:{}", s.origin.0, s.origin.1),
                            format!("{} {}–{}", s.id, s.first, s.last),
                        )
                    })
                    .collect(),
            )
        });
    }
    out
}
