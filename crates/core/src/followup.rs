//! The follow-up round's view of a package: per income-statement row and ansvar, the
//! outcome so far, the full-year budget, the package's forecast and two proposals for the
//! full-year forecast; and the package with a round's forecasts in place of its forecast
//! file, so the round's report is exactly the one `delar report` would build.
//!
//! "Ansvar" here is the object on the package's allocation dimension (the same the forecast
//! file's `ansvar` column names); amounts booked without such an object form a cell with
//! the empty ansvar. Amounts follow the ledger's sign (income negative, cost positive), as
//! in the package's sources.

use crate::config::{is_result_account, Config, Lookups};
use crate::money::div_round_half_away;
use crate::package::Package;
use crate::sources::ForecastLine;
use std::collections::BTreeMap;

/// One cell of a round: an income-statement row and an ansvar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Row id (`[[row]] id` of the package).
    pub row: String,
    /// Ansvar (object on the allocation dimension); empty for amounts without one.
    pub ansvar: String,
    /// Outcome January through the period's month, öre.
    pub outcome: i64,
    /// Outcome per month 1..=12 of the year (months after the period are zero).
    pub outcome_by_month: [i64; 12],
    /// Full-year budget (original budget and its changes), öre.
    pub budget: i64,
    /// The package's forecast for the cell (its forecast file), if it has one.
    pub package_forecast: Option<i64>,
    /// The package's forecast comment for the cell, if any.
    pub package_comment: String,
    /// Prior year's outcome January through the period's month, öre.
    pub prior_to_date: i64,
    /// Prior year's outcome for the whole year, öre (zero without a prior ledger).
    pub prior_full_year: i64,
    /// Proposal: the run-rate, `outcome / months × 12`.
    pub run_rate: i64,
    /// Proposal: last year's monthly pattern applied to this year's outcome,
    /// `outcome × prior_full_year / prior_to_date`; `None` when the prior year had no
    /// outcome to date for the cell (the pattern says nothing then).
    pub pattern: Option<i64>,
}

/// The round's sheet of a package: every cell that has an outcome, a budget or a forecast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// Year of the package.
    pub year: i32,
    /// Last month of the period (1..=12).
    pub through_month: u32,
    /// The cells, ordered by ansvar and then by the rows' display order.
    pub cells: Vec<Cell>,
}

impl Sheet {
    /// The distinct ansvar of the sheet, sorted.
    pub fn ansvar(&self) -> Vec<String> {
        let mut out: Vec<String> = self.cells.iter().map(|c| c.ansvar.clone()).collect();
        out.dedup();
        out
    }

    /// The cells of one ansvar, in row order.
    pub fn cells_of<'a>(&'a self, ansvar: &'a str) -> impl Iterator<Item = &'a Cell> + 'a {
        self.cells.iter().filter(move |c| c.ansvar == ansvar)
    }

    /// The cell of a row and ansvar.
    pub fn cell(&self, row: &str, ansvar: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.row == row && c.ansvar == ansvar)
    }
}

#[derive(Default)]
struct Acc {
    by_month: [i64; 12],
    prior_by_month: [i64; 12],
    budget: i64,
    forecast: Option<i64>,
    comment: String,
    seen: bool,
}

/// The row that alone claims `account`, as the report counts it (an account claimed by
/// several rows or none stops the report through its checks, so it has no cell).
fn single_row(config: &Config, account: u32) -> Option<usize> {
    config.sole_row_for_account(account).ok()
}

/// Builds the sheet of a package. Outcome counts the same postings the report's outcome
/// column counts (within scope, claimed by exactly one row).
pub fn sheet(pkg: &Package) -> Sheet {
    let config = &pkg.config;
    let dim = config.allocation.dimension;
    let scope_dim = config.ledger.scope_dimension;
    let mut acc: BTreeMap<(String, usize), Acc> = BTreeMap::new();
    let key = |ansvar: Option<&str>, row: usize| (ansvar.unwrap_or("").to_string(), row);

    let ledgers = [
        (Some(&pkg.current), config.year, false),
        (pkg.prior.as_ref(), config.year - 1, true),
    ];
    let mut look = Lookups::new(config);
    for (ledger, year, prior) in ledgers {
        let Some(ledger) = ledger else { continue };
        for p in &ledger.postings {
            if p.year != year || !(1..=12).contains(&p.month) || !is_result_account(p.account) {
                continue;
            }
            if !prior && p.month > config.through_month {
                continue;
            }
            if !look.in_scope(p.object(scope_dim)) {
                continue;
            }
            let Ok(row) = look.sole_row_for_account(p.account) else {
                continue;
            };
            let a = acc.entry(key(p.object(dim), row)).or_default();
            let m = (p.month - 1) as usize;
            if prior {
                a.prior_by_month[m] += p.amount;
            } else {
                a.by_month[m] += p.amount;
                a.seen = true;
            }
        }
    }
    for l in pkg.budget.iter().chain(pkg.changes.iter().map(|c| &c.line)) {
        if let Some(row) = single_row(config, l.account) {
            let a = acc.entry(key(l.ansvar.as_deref(), row)).or_default();
            a.budget += l.amount;
            a.seen = true;
        }
    }
    for l in pkg.forecast.iter().flatten() {
        if let Some(row) = config.rows.iter().position(|r| r.id == l.row) {
            let a = acc.entry(key(l.ansvar.as_deref(), row)).or_default();
            *a.forecast.get_or_insert(0) += l.amount;
            if !l.comment.is_empty() {
                if !a.comment.is_empty() {
                    a.comment.push(' ');
                }
                a.comment.push_str(&l.comment);
            }
            a.seen = true;
        }
    }

    let months = i128::from(config.through_month.clamp(1, 12));
    let cells = acc
        .into_iter()
        .filter(|(_, a)| a.seen)
        .map(|((ansvar, row), a)| {
            let to_date = |by_month: &[i64; 12]| -> i64 {
                by_month[..config.through_month as usize].iter().sum()
            };
            let outcome = to_date(&a.by_month);
            let prior_to_date = to_date(&a.prior_by_month);
            let prior_full_year: i64 = a.prior_by_month.iter().sum();
            let run_rate = div_round_half_away(i128::from(outcome) * 12, months) as i64;
            let pattern = (prior_to_date != 0).then(|| {
                let num = i128::from(outcome) * i128::from(prior_full_year);
                let den = i128::from(prior_to_date);
                // Keep the denominator positive for the rounding helper.
                let v = if den < 0 {
                    div_round_half_away(-num, -den)
                } else {
                    div_round_half_away(num, den)
                };
                i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
            });
            Cell {
                row: config.rows[row].id.clone(),
                ansvar,
                outcome,
                outcome_by_month: a.by_month,
                budget: a.budget,
                package_forecast: a.forecast,
                package_comment: a.comment,
                prior_to_date,
                prior_full_year,
                run_rate,
                pattern,
            }
        })
        .collect();
    Sheet {
        year: config.year,
        through_month: config.through_month,
        cells,
    }
}

/// A forecast of the round for one cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundForecast {
    /// Row id.
    pub row: String,
    /// Ansvar; empty for the cell without one.
    pub ansvar: String,
    /// Full-year forecast, öre, ledger sign.
    pub amount: i64,
    /// The manager's comment.
    pub comment: String,
}

/// The package with the round's forecasts in place of its forecast file: cells the round
/// has a forecast for take it; every other cell keeps the package's forecast line (or,
/// where the package has none for the row, the report's rule applies: forecast = budget).
/// `source` names where the forecasts come from in the report's origins (e.g. the round's
/// name).
pub fn with_forecasts(pkg: &Package, forecasts: &[RoundForecast], source: &str) -> Package {
    let mut lines: Vec<ForecastLine> = Vec::new();
    let covered =
        |row: &str, ansvar: &str| forecasts.iter().any(|f| f.row == row && f.ansvar == ansvar);
    for l in pkg.forecast.iter().flatten() {
        if !covered(&l.row, l.ansvar.as_deref().unwrap_or("")) {
            lines.push(l.clone());
        }
    }
    for (i, f) in forecasts.iter().enumerate() {
        lines.push(ForecastLine {
            row: f.row.clone(),
            ansvar: (!f.ansvar.is_empty()).then(|| f.ansvar.clone()),
            amount: f.amount,
            comment: f.comment.clone(),
            origin: (source.to_string(), i + 1),
        });
    }
    // Rows of the report in display order, then ansvar: the comment table lists them so.
    let order = |row: &str| pkg.config.rows.iter().position(|r| r.id == row);
    lines.sort_by(|a, b| {
        (order(&a.row), a.ansvar.as_deref().unwrap_or(""))
            .cmp(&(order(&b.row), b.ansvar.as_deref().unwrap_or("")))
    });
    let mut out = pkg.clone();
    out.forecast = Some(lines);
    out
}

/// What a cell's forecast must satisfy before it is submitted: a forecast that differs
/// from the budget needs a comment. Returns the Swedish message when it does not hold.
pub fn forecast_problem(cell_budget: i64, amount: i64, comment: &str) -> Option<String> {
    (amount != cell_budget && comment.trim().is_empty()).then(|| {
        "prognosen avviker från budget och behöver en kommentar som förklarar avvikelsen"
            .to_string()
    })
}

/// How one cell's forecast of a closed round compares with the year's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccuracyCell {
    /// Row id.
    pub row: String,
    /// Ansvar; empty for the cell without one.
    pub ansvar: String,
    /// The round's full-year forecast, öre, ledger sign.
    pub forecast: i64,
    /// The year's outcome, öre, ledger sign (through [`Accuracy::through_month`]).
    pub outcome: i64,
    /// `forecast - outcome`, öre.
    pub deviation: i64,
    /// The deviation as tenths of a percent of the outcome's magnitude, rounded half
    /// away from zero; `None` when the outcome is zero.
    pub deviation_tenths_pct: Option<i64>,
}

/// A closed round's forecasts against the year's outcome: every cell the round has a
/// forecast for, in the outcome sheet's order (cells the round never forecast are not
/// compared; the report had the package's forecast or the budget for those).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accuracy {
    /// The last month of the outcome compared with; 12 when the year is closed.
    pub through_month: u32,
    /// The compared cells.
    pub cells: Vec<AccuracyCell>,
    /// Sum of the forecasts, öre.
    pub total_forecast: i64,
    /// Sum of the outcomes, öre.
    pub total_outcome: i64,
    /// Sum of the deviations' magnitudes, öre.
    pub total_abs_deviation: i64,
    /// Sum of the outcomes' magnitudes, öre.
    pub total_abs_outcome: i64,
}

impl Accuracy {
    /// Whether the outcome is the whole year's (the package's period ends in December).
    pub fn is_final(&self) -> bool {
        self.through_month == 12
    }

    /// The weighted mean deviation: sum of |deviation| over sum of |outcome|, in tenths
    /// of a percent (rounded half away from zero); `None` without any outcome.
    pub fn weighted_deviation_tenths_pct(&self) -> Option<i64> {
        tenths_pct(self.total_abs_deviation, self.total_abs_outcome)
    }
}

/// `part / whole` in tenths of a percent, rounded half away from zero; `None` for a zero
/// whole.
pub fn tenths_pct(part: i64, whole: i64) -> Option<i64> {
    (whole != 0).then(|| {
        let (num, den) = (i128::from(part) * 1000, i128::from(whole));
        let v = if den < 0 {
            div_round_half_away(-num, -den)
        } else {
            div_round_half_away(num, den)
        };
        i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
    })
}

/// Compares a round's forecasts with the outcome in `outcome` (the sheet of the year's
/// current package: its outcome runs through that package's month, the whole year once
/// the year-end package is imported). A forecast for a cell the sheet does not have
/// compares with an outcome of zero.
pub fn accuracy(outcome: &Sheet, forecasts: &[RoundForecast]) -> Accuracy {
    let position = |f: &RoundForecast| {
        outcome
            .cells
            .iter()
            .position(|c| c.row == f.row && c.ansvar == f.ansvar)
            .unwrap_or(usize::MAX)
    };
    let mut ordered: Vec<(usize, &RoundForecast)> =
        forecasts.iter().map(|f| (position(f), f)).collect();
    ordered.sort_by(|a, b| (a.0, &a.1.ansvar, &a.1.row).cmp(&(b.0, &b.1.ansvar, &b.1.row)));
    let mut acc = Accuracy {
        through_month: outcome.through_month,
        cells: Vec::with_capacity(ordered.len()),
        total_forecast: 0,
        total_outcome: 0,
        total_abs_deviation: 0,
        total_abs_outcome: 0,
    };
    for (at, f) in ordered {
        let value = outcome.cells.get(at).map_or(0, |c| c.outcome);
        let deviation = f.amount - value;
        acc.total_forecast += f.amount;
        acc.total_outcome += value;
        acc.total_abs_deviation += deviation.abs();
        acc.total_abs_outcome += value.abs();
        acc.cells.push(AccuracyCell {
            row: f.row.clone(),
            ansvar: f.ansvar.clone(),
            forecast: f.amount,
            outcome: value,
            deviation,
            deviation_tenths_pct: tenths_pct(deviation, value.abs()),
        });
    }
    acc
}

/// A ledger row behind an outcome figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerLine {
    /// Account.
    pub account: u32,
    /// Ansvar (object on the allocation dimension), empty if none.
    pub ansvar: String,
    /// Every object of the row, as `dimension:id` separated by spaces.
    pub objects: String,
    /// Voucher series and number (empty for period balances).
    pub voucher: String,
    /// Booking date (ISO), or the period (`2023-08`) for period balances.
    pub date: String,
    /// The row's text, else the voucher's.
    pub text: String,
    /// Amount, öre, ledger sign.
    pub amount: i64,
    /// Line in the SIE file.
    pub line: u32,
}

/// Which figure to open: a report row's outcome, this year's or the prior year's, for
/// one ansvar or all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drill<'a> {
    /// Report row id.
    pub row: &'a str,
    /// Only this ansvar (empty string: rows without one); `None`: every ansvar.
    pub ansvar: Option<&'a str>,
    /// The prior year's outcome instead of this year's.
    pub prior: bool,
}

/// The ledger rows behind an outcome figure, read from the ledger file itself with the
/// rules the report uses (counting rows in the month of their booking date, a corrected
/// row once, removed rows skipped; within scope; the account claimed by exactly this
/// row; January through the period's month). They sum to the figure's exact amount.
pub fn ledger_lines(
    config: &Config,
    path: &str,
    bytes: &[u8],
    drill: &Drill<'_>,
) -> Result<Vec<LedgerLine>, crate::LoadError> {
    let Some(row) = config.rows.iter().position(|r| r.id == drill.row) else {
        return Ok(Vec::new());
    };
    let year = if drill.prior {
        config.year - 1
    } else {
        config.year
    };
    let parsed = delar_sie::parse(bytes, &delar_sie::ParseOptions::new(path).lenient());
    if let Some(e) = parsed.errors().next() {
        return Err(crate::LoadError::Sie {
            path: path.to_string(),
            message: e.to_string(),
        });
    }
    let dim = config.allocation.dimension;
    let scope_dim = config.ledger.scope_dimension;
    let wanted = |account: &str, year_of: i32, month: u32, obj: &dyn Fn(u32) -> Option<String>| {
        let Ok(account) = account.parse::<u32>() else {
            return None;
        };
        if year_of != year || month < 1 || month > config.through_month {
            return None;
        }
        if !is_result_account(account) || single_row(config, account) != Some(row) {
            return None;
        }
        if !config.in_scope(obj(scope_dim).as_deref()) {
            return None;
        }
        let ansvar = obj(dim).unwrap_or_default();
        if drill.ansvar.is_some_and(|a| a != ansvar) {
            return None;
        }
        Some((account, ansvar))
    };
    let mut out = Vec::new();
    let file = &parsed.file;
    if !file.vouchers.is_empty() || file.sie_type == Some(delar_sie::SieType::Type4) {
        for v in file.vouchers.iter() {
            for r in v.rows() {
                if !r.kind().counts() {
                    continue;
                }
                let date = r.booking_date(&v);
                let obj = |d: u32| r.object(d).map(str::to_string);
                let Some((account, ansvar)) = wanted(
                    r.account(),
                    i32::from(date.year),
                    u32::from(date.month),
                    &obj,
                ) else {
                    continue;
                };
                out.push(LedgerLine {
                    account,
                    ansvar,
                    objects: r
                        .objects()
                        .map(|(d, id)| format!("{d}:{}", &**id))
                        .collect::<Vec<_>>()
                        .join(" "),
                    voucher: format!("{} {}", v.series(), v.number()).trim().to_string(),
                    date: date.to_string(),
                    text: r.text().or(v.text()).unwrap_or("").to_string(),
                    amount: r.amount().ore(),
                    line: r.line(),
                });
            }
        }
    } else {
        for p in file.period_balances.iter().filter(|p| p.year == 0) {
            let obj = |d: u32| {
                p.objects
                    .iter()
                    .find(|o| o.dimension == d)
                    .map(|o| o.id.to_string())
            };
            let Some((account, ansvar)) = wanted(
                &p.account,
                i32::from(p.period.year),
                u32::from(p.period.month),
                &obj,
            ) else {
                continue;
            };
            out.push(LedgerLine {
                account,
                ansvar,
                objects: p
                    .objects
                    .iter()
                    .map(|o| format!("{}:{}", o.dimension, &*o.id))
                    .collect::<Vec<_>>()
                    .join(" "),
                voucher: String::new(),
                date: format!("{}-{:02}", p.period.year, p.period.month),
                text: "periodsaldo (#PSALDO)".into(),
                amount: p.amount.ore(),
                line: p.line,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::{MemoryFiles, SourceFiles};

    #[test]
    fn accuracy_compares_forecasts_with_the_outcome() {
        let cell = |row: &str, ansvar: &str, outcome: i64| Cell {
            row: row.into(),
            ansvar: ansvar.into(),
            outcome,
            outcome_by_month: [0; 12],
            budget: 0,
            package_forecast: None,
            package_comment: String::new(),
            prior_to_date: 0,
            prior_full_year: 0,
            run_rate: 0,
            pattern: None,
        };
        let sheet = Sheet {
            year: 2024,
            through_month: 12,
            cells: vec![cell("kost", "110", 100_000), cell("int", "110", -40_000)],
        };
        let f = |row: &str, ansvar: &str, amount: i64| RoundForecast {
            row: row.into(),
            ansvar: ansvar.into(),
            amount,
            comment: String::new(),
        };
        let a = accuracy(
            &sheet,
            &[
                f("int", "110", -50_000),
                f("kost", "110", 110_000),
                f("ny", "120", 7),
            ],
        );
        assert!(a.is_final());
        let rows: Vec<_> = a.cells.iter().map(|c| c.row.as_str()).collect();
        assert_eq!(
            rows,
            ["kost", "int", "ny"],
            "the sheet's order, unknown cells last"
        );
        assert_eq!(a.cells[0].deviation, 10_000);
        assert_eq!(a.cells[0].deviation_tenths_pct, Some(100)); // 10,0 %
        assert_eq!(a.cells[1].deviation, -10_000);
        assert_eq!(a.cells[1].deviation_tenths_pct, Some(-250)); // -25,0 % of |-400|
        assert_eq!(a.cells[2].outcome, 0);
        assert_eq!(a.cells[2].deviation_tenths_pct, None);
        assert_eq!(a.total_forecast, 110_000 - 50_000 + 7);
        assert_eq!(a.total_outcome, 60_000);
        assert_eq!(a.total_abs_deviation, 20_000 + 7);
        assert_eq!(a.total_abs_outcome, 140_000);
        // 20 007 / 140 000 = 14,29 % → 143 tenths.
        assert_eq!(a.weighted_deviation_tenths_pct(), Some(143));
        let open = Sheet {
            through_month: 8,
            ..sheet
        };
        assert!(!accuracy(&open, &[]).is_final());
        assert_eq!(accuracy(&open, &[]).weighted_deviation_tenths_pct(), None);
    }

    fn sie(year: i32, rows: &[(&str, &str, u32, &str)]) -> String {
        let mut s =
            format!("#FLAGGA 0\n#SIETYP 4\n#RAR 0 {year}0101 {year}1231\n#DIM 1 \"Ansvar\"\n");
        for (i, (acc, obj, month, amount)) in rows.iter().enumerate() {
            s.push_str(&format!(
                "#VER A {n} {year}{month:02}15\n{{\n#TRANS {acc} {{1 \"{obj}\"}} {amount}\n#TRANS 1930 {{}} -{amount}\n}}\n",
                n = i + 1
            ));
        }
        s
    }

    fn sie_of(path: &str) -> Vec<u8> {
        if path == "hb.se" {
            sie(
                2024,
                &[
                    ("4010", "110", 1, "100.00"),
                    ("4010", "110", 2, "100.00"),
                    ("4010", "110", 5, "999.00"), // after the period
                    ("4010", "120", 3, "40.00"),
                    ("4010", "900", 3, "77.00"), // outside scope
                ],
            )
            .into_bytes()
        } else {
            sie(
                2023,
                &[
                    ("4010", "110", 1, "50.00"),
                    ("4010", "110", 2, "50.00"),
                    ("4010", "110", 11, "300.00"),
                ],
            )
            .into_bytes()
        }
    }

    fn package(forecast: &str) -> Package {
        let toml = r#"
[report]
committee = "Testnämnden"
organisation = "kommun"
year = 2024
through_month = 4
memo_date = "2024-05-10"
author = "Test"
author_title = "Controller"
decision = "Godkänns."

[[municipality]]
id = "k"
name = "Kommunen"

[ledger]
current = "hb.se"
prior = "hb-fg.se"
scope_dimension = 1
scope_objects = ["100-199"]

[[row]]
id = "intakter"
label = "Intäkter"
kind = "income"
accounts = ["3000-3899"]

[[row]]
id = "kostnader"
label = "Kostnader"
kind = "cost"
accounts = ["4000-7999"]

[[row]]
id = "kommunbidrag"
label = "Kommunbidrag"
kind = "contribution"
accounts = ["3900-3999"]

[budget]
file = "budget.csv"

[forecast]
file = "prognos.csv"
"#;
        let files = MemoryFiles::new()
            .with("delar.toml", toml)
            .with("hb.se", sie_of("hb.se"))
            .with("hb-fg.se", sie_of("hb-fg.se"))
            .with(
                "budget.csv",
                "konto;ansvar;belopp\n4010;110;1200.00\n4010;130;10.00\n",
            )
            .with("prognos.csv", forecast);
        crate::load_package(&files as &dyn SourceFiles, None).expect("package loads")
    }

    #[test]
    fn sheet_has_outcome_budget_and_proposals_per_row_and_ansvar() {
        let pkg = package("rad;ansvar;prognos;kommentar\nkostnader;110;1500.00;Mer än budget\n");
        let s = sheet(&pkg);
        assert_eq!(s.ansvar(), vec!["110", "120", "130"]);
        let c = s.cell("kostnader", "110").unwrap();
        assert_eq!(c.outcome, 20_000);
        assert_eq!(c.budget, 120_000);
        assert_eq!(c.package_forecast, Some(150_000));
        assert_eq!(c.package_comment, "Mer än budget");
        // Run-rate: 200 kr in four months -> 600 kr.
        assert_eq!(c.run_rate, 60_000);
        // Pattern: last year 100 kr to date, 400 kr for the year -> 200 × 4 = 800 kr.
        assert_eq!(c.prior_to_date, 10_000);
        assert_eq!(c.prior_full_year, 40_000);
        assert_eq!(c.pattern, Some(80_000));
        let c = s.cell("kostnader", "120").unwrap();
        assert_eq!((c.outcome, c.budget, c.pattern), (4_000, 0, None));
        assert_eq!(c.run_rate, 12_000);
        let c = s.cell("kostnader", "130").unwrap();
        assert_eq!((c.outcome, c.budget), (0, 1_000));
        assert!(s.cell("kostnader", "900").is_none(), "outside scope");
    }

    #[test]
    fn round_forecasts_replace_the_package_forecast_cell_by_cell() {
        let pkg = package(
            "rad;ansvar;prognos;kommentar\nkostnader;110;1500.00;Gammal\nkostnader;120;50.00;\n",
        );
        let round = [RoundForecast {
            row: "kostnader".into(),
            ansvar: "110".into(),
            amount: 130_000,
            comment: "Ny".into(),
        }];
        let out = with_forecasts(&pkg, &round, "Runda");
        let lines = out.forecast.clone().unwrap();
        assert_eq!(lines.len(), 2);
        let l110 = lines
            .iter()
            .find(|l| l.ansvar.as_deref() == Some("110"))
            .unwrap();
        assert_eq!((l110.amount, l110.comment.as_str()), (130_000, "Ny"));
        assert_eq!(l110.origin.0, "Runda");
        let l120 = lines
            .iter()
            .find(|l| l.ansvar.as_deref() == Some("120"))
            .unwrap();
        assert_eq!(l120.amount, 5_000);
        // The report's figures follow.
        let computed = crate::compute::compute(&out);
        let row = pkg
            .config
            .rows
            .iter()
            .position(|r| r.id == "kostnader")
            .unwrap();
        assert_eq!(computed.rows[row].total[crate::compute::FORECAST], 135_000);
    }

    #[test]
    fn a_deviation_from_budget_needs_a_comment() {
        assert!(forecast_problem(100, 100, "").is_none());
        assert!(forecast_problem(100, 101, "  ").is_some());
        assert!(forecast_problem(100, 101, "Dyrare licenser").is_none());
    }

    #[test]
    fn ledger_lines_sum_to_the_outcome_figure() {
        let pkg = package("rad;ansvar;prognos;kommentar\n");
        let files = [("hb.se", false), ("hb-fg.se", true)];
        for (path, prior) in files {
            let bytes = sie_of(path);
            let all = ledger_lines(
                &pkg.config,
                path,
                &bytes,
                &Drill {
                    row: "kostnader",
                    ansvar: None,
                    prior,
                },
            )
            .unwrap();
            let computed = crate::compute::compute(&pkg);
            let row = pkg
                .config
                .rows
                .iter()
                .position(|r| r.id == "kostnader")
                .unwrap();
            let col = if prior {
                crate::compute::PRIOR
            } else {
                crate::compute::OUTCOME
            };
            assert_eq!(
                all.iter().map(|l| l.amount).sum::<i64>(),
                computed.rows[row].total[col]
            );
            assert!(all
                .iter()
                .all(|l| l.account == 4010 && l.voucher.starts_with('A')));
        }
        let only = ledger_lines(
            &pkg.config,
            "hb.se",
            &sie_of("hb.se"),
            &Drill {
                row: "kostnader",
                ansvar: Some("120"),
                prior: false,
            },
        )
        .unwrap();
        assert_eq!(only.len(), 1);
        assert_eq!(
            (
                only[0].amount,
                only[0].date.as_str(),
                only[0].ansvar.as_str()
            ),
            (4_000, "2024-03-15", "120")
        );
    }
}
