//! Compute stage: exact figures in öre (and exact staff ratios) from a [`Package`]: the
//! income statement per row and column, the split between municipalities, budget changes,
//! investments and staff. Nothing is rounded here.

use crate::config::{
    accounts_contain, is_result_account, Config, Lookups, PercentRounding, RowKindConfig,
};
use crate::error::ClaimProblem;
use crate::money::allocate;
use crate::package::Package;
use crate::sources::{BudgetLine, Gender};
use std::collections::{BTreeMap, BTreeSet};

/// Number of amount columns computed per income statement row.
pub const COLS: usize = 4;
/// Column index: outcome of the same months of the prior year.
pub const PRIOR: usize = 0;
/// Column index: outcome of the period.
pub const OUTCOME: usize = 1;
/// Column index: full-year budget after changes.
pub const BUDGET: usize = 2;
/// Column index: full-year forecast.
pub const FORECAST: usize = 3;

/// Exact figures of one income statement row (ledger sign).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFigures {
    /// Total per column.
    pub total: [i64; COLS],
    /// Per municipality (config order), per column; sums to `total` exactly.
    pub by_municipality: Vec<[i64; COLS]>,
    /// Whether anything was booked, budgeted or forecast on the row.
    pub has_data: bool,
    /// Whether the forecast file has lines for the row.
    pub has_forecast: bool,
}

/// A line of the budget changes table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeArea {
    /// Område as written.
    pub label: String,
    /// Row key from the first line that gives one.
    pub key: Option<String>,
    /// First non-empty förklaring.
    pub note: String,
    /// Sum of its lines on non-kommunbidrag rows (ledger sign).
    pub amount: i64,
    /// Sum of its lines on the kommunbidrag row (ledger sign).
    pub contribution: i64,
}

/// Exact figures of one investment project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFigures {
    /// Project id.
    pub id: String,
    /// Row key from the register, if given.
    pub key: Option<String>,
    /// Name.
    pub name: String,
    /// Group id as written.
    pub group: String,
    /// Outcome of the period (ledger).
    pub outcome: i64,
    /// Budget.
    pub budget: i64,
    /// Ombudgetering.
    pub rebudget: i64,
    /// Forecast.
    pub forecast: i64,
}

/// A staff figure before display: numerator and denominator (hours in hundredths), or
/// why it is not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffFigure {
    /// A ratio, shown as percent.
    Ratio {
        /// Numerator.
        num: i64,
        /// Denominator (positive).
        den: i64,
    },
    /// Not shown, with the reason in Swedish.
    Suppressed(String),
    /// Nothing to divide by.
    Undefined,
}

impl StaffFigure {
    /// The percentage in hundredths of a percent, rounded as configured.
    pub fn hundredths(&self, rounding: PercentRounding) -> Option<i64> {
        match self {
            StaffFigure::Ratio { num, den } if *den > 0 => {
                let n = i128::from(*num) * 10_000;
                let d = i128::from(*den);
                let v = match rounding {
                    PercentRounding::Truncate => n / d,
                    PercentRounding::HalfUp => crate::money::div_round_half_away(n, d),
                };
                i64::try_from(v).ok()
            }
            _ => None,
        }
    }
}

/// Reason printed for a group that is too small (fewer than `min` employees).
pub fn small_group_reason(min: usize) -> String {
    const WORDS: [&str; 11] = [
        "noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio",
    ];
    match WORDS.get(min.wrapping_sub(1)) {
        Some(w) if min >= 2 => format!("Redovisas inte: gruppen har {w} eller färre anställda"),
        _ => format!("Redovisas inte: gruppen har färre än {min} anställda"),
    }
}
/// Reason printed for a long-term figure that stems from one person.
pub const ONE_PERSON: &str = "Redovisas inte: långtidssjukfrånvaron kommer från en enda person";

/// The staff figures, by row key of the `personal` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffFigures {
    /// (row key, figure) in display order.
    pub figures: Vec<(String, StaffFigure)>,
    /// Employees per group, for notes: (group label, count).
    pub group_sizes: Vec<(String, usize)>,
}

/// Amounts outside the committee's scope (result accounts, within the period).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutsideScope {
    /// Net sum in öre.
    pub amount: i64,
    /// Number of postings.
    pub postings: usize,
}

/// Everything computed, exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Computed {
    /// One per configured row, in config order.
    pub rows: Vec<RowFigures>,
    /// Whether a prior-year ledger was given.
    pub prior_present: bool,
    /// Accounts booked within scope that no row or several rows claim.
    pub claims: Vec<ClaimProblem>,
    /// Outside scope, current period.
    pub outside_scope: OutsideScope,
    /// Budget changes by område, first appearance order.
    pub changes: Vec<ChangeArea>,
    /// Projects in register order.
    pub projects: Vec<ProjectFigures>,
    /// Investment outcome within scope on project objects that the register does not
    /// know: (id, öre).
    pub unregistered_outcome: Vec<(String, i64)>,
    /// Staff figures, when the package reports staff.
    pub staff: Option<StaffFigures>,
}

impl Computed {
    /// Sum over rows of one kind, per column.
    pub fn sum_kind(&self, config: &Config, kind: RowKindConfig) -> [i64; COLS] {
        let mut s = [0; COLS];
        for (r, f) in config.rows.iter().zip(&self.rows) {
            if r.kind == kind {
                for (c, v) in s.iter_mut().enumerate() {
                    *v += f.total[c];
                }
            }
        }
        s
    }

    /// Net cost (income + cost rows) per municipality and column.
    pub fn netto_by_municipality(&self, config: &Config) -> Vec<[i64; COLS]> {
        let mut out = vec![[0; COLS]; config.municipalities.len()];
        for (r, f) in config.rows.iter().zip(&self.rows) {
            if r.kind == RowKindConfig::Contribution {
                continue;
            }
            for (m, cols) in out.iter_mut().enumerate() {
                for (c, v) in cols.iter_mut().enumerate() {
                    *v += f.by_municipality[m][c];
                }
            }
        }
        out
    }
}

#[derive(Clone)]
struct Acc {
    common: [i64; COLS],
    specific: Vec<[i64; COLS]>,
    has_data: bool,
    has_forecast: bool,
}

struct Claims {
    problems: BTreeMap<(String, u32), (Vec<usize>, i64)>,
}

impl Claims {
    fn add(&mut self, source: &str, account: u32, rows: &[usize], amount: i64) {
        let e = self
            .problems
            .entry((source.to_string(), account))
            .or_insert_with(|| (rows.to_vec(), 0));
        e.1 += amount;
    }
}

/// The row that claims the account; records a problem and returns `None` otherwise.
fn claim(
    look: &mut Lookups<'_, '_>,
    claims: &mut Claims,
    source: &str,
    account: u32,
    amount: i64,
) -> Option<usize> {
    let config = look.config();
    match look.sole_row_for_account(account) {
        Ok(one) => Some(one),
        Err(0) if !is_result_account(account) => None,
        Err(_) => {
            claims.add(source, account, &config.rows_for_account(account), amount);
            None
        }
    }
}

fn add<'o>(
    look: &mut Lookups<'_, 'o>,
    acc: &mut [Acc],
    row: usize,
    col: usize,
    object: Option<&'o str>,
    amount: i64,
) {
    let a = &mut acc[row];
    a.has_data = true;
    match look.specific_for(object) {
        Some(m) => a.specific[m][col] += amount,
        None => a.common[col] += amount,
    }
}

/// Net cost (income and cost rows, within scope) per month 1..=12 of `year`, from one
/// ledger. Bookings that no row or several rows claim are left out here; they stop the
/// report through [`Computed::claims`].
pub fn monthly_net_cost(config: &Config, ledger: &crate::ledger::Ledger, year: i32) -> [i64; 12] {
    let scope_dim = config.ledger.scope_dimension;
    let mut look = Lookups::new(config);
    let mut months = [0i64; 12];
    for p in &ledger.postings {
        if p.year != year || !(1..=12).contains(&p.month) {
            continue;
        }
        if !look.in_scope(p.object(scope_dim)) {
            continue;
        }
        if let Ok(row) = look.sole_row_for_account(p.account) {
            if config.rows[row].kind != RowKindConfig::Contribution {
                months[(p.month - 1) as usize] += p.amount;
            }
        }
    }
    months
}

/// Computes every exact figure of the report.
pub fn compute(pkg: &Package) -> Computed {
    let config = &pkg.config;
    let nm = config.municipalities.len();
    let mut acc = vec![
        Acc {
            common: [0; COLS],
            specific: vec![[0; COLS]; nm],
            has_data: false,
            has_forecast: false,
        };
        config.rows.len()
    ];
    let mut claims = Claims {
        problems: BTreeMap::new(),
    };
    let mut outside = OutsideScope::default();
    let alloc_dim = config.allocation.dimension;
    let scope_dim = config.ledger.scope_dimension;
    let mut look = Lookups::new(config);

    // Ledger outcome, this year and the prior one.
    let ledgers = [
        (OUTCOME, Some(&pkg.current), config.year),
        (PRIOR, pkg.prior.as_ref(), config.year - 1),
    ];
    for (col, ledger, year) in ledgers {
        let Some(ledger) = ledger else { continue };
        for p in &ledger.postings {
            if p.year != year || p.month < 1 || p.month > config.through_month {
                continue;
            }
            if !look.in_scope(p.object(scope_dim)) {
                if col == OUTCOME && is_result_account(p.account) {
                    outside.amount += p.amount;
                    outside.postings += p.rows as usize;
                }
                continue;
            }
            if let Some(row) = claim(&mut look, &mut claims, &ledger.path, p.account, p.amount) {
                add(&mut look, &mut acc, row, col, p.object(alloc_dim), p.amount);
            }
        }
    }

    // Budget and changes.
    let budget_lines = pkg.budget.iter().chain(pkg.changes.iter().map(|c| &c.line));
    let mut budget_by_row: Vec<Vec<&BudgetLine>> = vec![Vec::new(); config.rows.len()];
    for l in budget_lines {
        let rows = config.rows_for_account(l.account);
        match rows.as_slice() {
            [one] => {
                add(
                    &mut look,
                    &mut acc,
                    *one,
                    BUDGET,
                    l.ansvar.as_deref(),
                    l.amount,
                );
                budget_by_row[*one].push(l);
            }
            _ => claims.add(&l.origin.0, l.account, &rows, l.amount),
        }
    }

    // Forecast; rows without forecast lines get forecast = budget.
    if let Some(lines) = &pkg.forecast {
        for l in lines {
            if let Some(row) = config.rows.iter().position(|r| r.id == l.row) {
                add(
                    &mut look,
                    &mut acc,
                    row,
                    FORECAST,
                    l.ansvar.as_deref(),
                    l.amount,
                );
                acc[row].has_forecast = true;
            }
        }
    }
    for (row, lines) in budget_by_row.iter().enumerate() {
        if !acc[row].has_forecast {
            for l in lines {
                add(
                    &mut look,
                    &mut acc,
                    row,
                    FORECAST,
                    l.ansvar.as_deref(),
                    l.amount,
                );
            }
        }
    }

    // Split per municipality.
    let mut rows: Vec<RowFigures> = config
        .rows
        .iter()
        .zip(&acc)
        .map(|(rc, a)| {
            let shares = &config.allocation.keys[rc.key].shares;
            let mut by_m = a.specific.clone();
            let mut total = [0; COLS];
            for c in 0..COLS {
                for (m, part) in allocate(a.common[c], shares).into_iter().enumerate() {
                    by_m[m][c] += part;
                }
                total[c] = a.common[c] + a.specific.iter().map(|s| s[c]).sum::<i64>();
            }
            RowFigures {
                total,
                by_municipality: by_m,
                has_data: a.has_data,
                has_forecast: a.has_forecast,
            }
        })
        .collect();

    // Per December the year's outcome is known: it takes the forecast's place.
    if config.through_month == 12 {
        for r in &mut rows {
            r.total[FORECAST] = r.total[OUTCOME];
            for m in &mut r.by_municipality {
                m[FORECAST] = m[OUTCOME];
            }
        }
    }

    let claims = claims
        .problems
        .into_iter()
        .map(|((source, account), (rows, amount))| ClaimProblem {
            account,
            rows: rows.iter().map(|r| config.rows[*r].id.clone()).collect(),
            amount_ore: amount,
            source,
        })
        .collect();

    // Budget changes by område.
    let contribution = config.contribution_row();
    let mut changes: Vec<ChangeArea> = Vec::new();
    for c in &pkg.changes {
        let idx = match changes.iter().position(|a| a.label == c.omrade) {
            Some(i) => i,
            None => {
                changes.push(ChangeArea {
                    label: c.omrade.clone(),
                    key: None,
                    note: String::new(),
                    amount: 0,
                    contribution: 0,
                });
                changes.len() - 1
            }
        };
        let area = &mut changes[idx];
        if area.key.is_none() {
            area.key = c.key.clone();
        }
        if area.note.is_empty() && !c.forklaring.is_empty() {
            area.note = c.forklaring.clone();
        }
        if config.rows_for_account(c.line.account) == [contribution] {
            area.contribution += c.line.amount;
        } else {
            area.amount += c.line.amount;
        }
    }

    // Investments.
    let (projects, unregistered_outcome) = compute_investments(pkg);

    Computed {
        rows,
        prior_present: pkg.prior.is_some(),
        claims,
        outside_scope: outside,
        changes,
        projects,
        unregistered_outcome,
        staff: config.staff.as_ref().map(|_| compute_staff(pkg)),
    }
}

fn compute_investments(pkg: &Package) -> (Vec<ProjectFigures>, Vec<(String, i64)>) {
    let config = &pkg.config;
    let Some(inv) = &config.investments else {
        return (Vec::new(), Vec::new());
    };
    let mut outcome: BTreeMap<&str, i64> = BTreeMap::new();
    // Outcome within the committee's scope, to flag projects missing from the register
    // (projects of other committees on the same accounts are not the committee's concern).
    let mut in_scope: BTreeMap<&str, i64> = BTreeMap::new();
    let mut look = Lookups::new(config);
    for p in &pkg.current.postings {
        if p.year != config.year
            || p.month < 1
            || p.month > config.through_month
            || !accounts_contain(&inv.accounts, p.account)
        {
            continue;
        }
        if let Some(project) = p.object(inv.dimension) {
            *outcome.entry(project).or_insert(0) += p.amount;
            if look.in_scope(p.object(config.ledger.scope_dimension)) {
                *in_scope.entry(project).or_insert(0) += p.amount;
            }
        }
    }
    let projects: Vec<ProjectFigures> = pkg
        .register
        .iter()
        .map(|r| ProjectFigures {
            id: r.id.clone(),
            key: r.key.clone(),
            name: r.name.clone(),
            group: r.group.clone(),
            outcome: outcome.get(r.id.as_str()).copied().unwrap_or(0),
            budget: r.budget,
            rebudget: r.rebudget,
            forecast: r.forecast,
        })
        .collect();
    let known: BTreeSet<&str> = pkg.register.iter().map(|r| r.id.as_str()).collect();
    let unregistered = in_scope
        .iter()
        .filter(|(id, amount)| !known.contains(*id) && **amount != 0)
        .map(|(id, amount)| (id.to_string(), *amount))
        .collect();
    (projects, unregistered)
}

#[derive(Default, Clone, Copy)]
struct Group {
    employees: usize,
    ordinary: i64,
    sick: i64,
}

fn compute_staff(pkg: &Package) -> StaffFigures {
    let config = &pkg.config;
    let min = config.staff.as_ref().map_or(11, |s| s.min_group_size) as usize;
    let spells_by_id: BTreeMap<&str, Vec<&crate::sources::SickSpell>> =
        pkg.spells.iter().fold(BTreeMap::new(), |mut m, s| {
            m.entry(s.id.as_str()).or_insert_with(Vec::new).push(s);
            m
        });
    // Groups: all, women, men, ≤29, 30–49, ≥50.
    let labels = [
        "alla",
        "kvinnor",
        "män",
        "29 år eller yngre",
        "30–49 år",
        "50 år eller äldre",
    ];
    let mut groups = [Group::default(); 6];
    // Long-term: hours and distinct persons, for all/women/men.
    let mut long_hours = [0i64; 3];
    let mut long_persons = [0usize; 3];
    let mut fulltime = [0i64; 3]; // all, women, men: ordinary hours of full-time employees
    for e in &pkg.employees {
        let spells = spells_by_id.get(e.id.as_str());
        let sick: i64 = spells.map_or(0, |v| v.iter().map(|s| s.hours).sum());
        let long: i64 = spells.map_or(0, |v| {
            v.iter().filter(|s| s.long_term()).map(|s| s.hours).sum()
        });
        let gender = match e.gender {
            Gender::Woman => 1,
            Gender::Man => 2,
        };
        let age = config.year - e.birth_year;
        let age_group = if age <= 29 {
            3
        } else if age <= 49 {
            4
        } else {
            5
        };
        for g in [0, gender, age_group] {
            groups[g].employees += 1;
            groups[g].ordinary += e.ordinary_hours;
            groups[g].sick += sick;
        }
        for g in [0, gender] {
            long_hours[g] += long;
            if long > 0 {
                long_persons[g] += 1;
            }
        }
        if e.rate >= 10_000 {
            fulltime[0] += e.ordinary_hours;
            fulltime[gender] += e.ordinary_hours;
        }
    }
    let ratio = |num: i64, den: i64| {
        if den > 0 {
            StaffFigure::Ratio { num, den }
        } else {
            StaffFigure::Undefined
        }
    };
    let sick = |g: usize| {
        if groups[g].employees < min {
            StaffFigure::Suppressed(small_group_reason(min))
        } else {
            ratio(groups[g].sick, groups[g].ordinary)
        }
    };
    let long = |g: usize| {
        if groups[g].employees < min {
            StaffFigure::Suppressed(small_group_reason(min))
        } else if long_persons[g] == 1 {
            StaffFigure::Suppressed(ONE_PERSON.into())
        } else {
            ratio(long_hours[g], groups[g].sick)
        }
    };
    let figures = vec![
        ("sjukfranvaro_total".to_string(), sick(0)),
        ("sjukfranvaro_kvinnor".to_string(), sick(1)),
        ("sjukfranvaro_man".to_string(), sick(2)),
        ("sjukfranvaro_29".to_string(), sick(3)),
        ("sjukfranvaro_30_49".to_string(), sick(4)),
        ("sjukfranvaro_50".to_string(), sick(5)),
        ("langtid_total".to_string(), long(0)),
        ("langtid_kvinnor".to_string(), long(1)),
        ("langtid_man".to_string(), long(2)),
        (
            "heltid_kvinnor".to_string(),
            ratio(fulltime[1], fulltime[0]),
        ),
        ("heltid_man".to_string(), ratio(fulltime[2], fulltime[0])),
    ];
    StaffFigures {
        figures,
        group_sizes: labels
            .iter()
            .zip(groups.iter())
            .map(|(l, g)| (l.to_string(), g.employees))
            .collect(),
    }
}
