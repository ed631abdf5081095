//! A whole report package around two generated fiscal years (see docs/PACKAGE.md):
//! `delar.toml`, both ledgers, the budget (last year's outcome plus 3 %, balanced by
//! kommunbidrag), a budget change, the forecast per row and the investment register.

use crate::model::{acct, Chart, Totals};
use crate::profile::Profile;
use crate::sie::write_ledger;
use crate::{GenError, LedgerSpec};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::BufWriter;
use std::path::Path;

/// What to generate: a package whose two ledgers hold `rows` row records in all.
#[derive(Debug, Clone)]
pub struct PackageSpec {
    /// The exporter of both ledgers.
    pub profile: Profile,
    /// Row records of both years together (half each).
    pub rows: u64,
    /// Seed.
    pub seed: u64,
    /// The report year (the prior year is the one before).
    pub year: i32,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct PackageSummary {
    /// The current year's ledger totals.
    pub current: Totals,
    /// The prior year's.
    pub prior: Totals,
    /// The budget per account (öre, after the budget change), kommunbidrag included.
    pub budget: BTreeMap<u32, i64>,
    /// Bytes of both ledgers.
    pub ledger_bytes: u64,
}

/// A report row: id, label, kind, account ranges.
pub type RowDef = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(u32, u32)],
);

/// The report rows.
pub const ROWS: [RowDef; 6] = [
    ("intakter", "Intäkter", "income", &[(3000, 3899)]),
    (
        "personalkostnader",
        "Personalkostnader",
        "cost",
        &[(5000, 5999)],
    ),
    (
        "lokalkostnader",
        "Lokalkostnader, energi, VA",
        "cost",
        &[(6100, 6299)],
    ),
    (
        "ovriga_kostnader",
        "Övriga kostnader",
        "cost",
        &[(4000, 4999), (6000, 6099), (6300, 7799)],
    ),
    (
        "kapitalkostnad",
        "Kapitalkostnad",
        "cost",
        &[(7800, 7899), (8400, 8499)],
    ),
    (
        "kommunbidrag",
        "Kommunbidrag",
        "contribution",
        &[(3900, 3999)],
    ),
];

/// The specs of the two ledgers of a package: (prior, current).
pub fn ledger_specs(spec: &PackageSpec) -> (LedgerSpec, LedgerSpec) {
    let half = spec.rows / 2;
    (
        LedgerSpec::new(
            spec.profile,
            spec.rows - half,
            spec.seed.wrapping_add(1),
            spec.year - 1,
        ),
        LedgerSpec::new(spec.profile, half, spec.seed, spec.year),
    )
}

fn write_file(dir: &Path, rel: &str, text: &str) -> Result<(), GenError> {
    let path = dir.join(rel);
    let err = |source| GenError::Write {
        path: path.display().to_string(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(err)?;
    }
    fs::write(&path, text).map_err(err)
}

/// Writes one ledger to `path`.
pub fn write_ledger_file(path: &Path, spec: &LedgerSpec) -> Result<(Totals, u64), GenError> {
    let err = |source| GenError::Write {
        path: path.display().to_string(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(err)?;
    }
    let file = fs::File::create(path).map_err(err)?;
    write_ledger(spec, BufWriter::with_capacity(1 << 20, file)).map_err(err)
}

/// The budget of a package whose prior year booked `prior`: last year's outcome per
/// result account plus 3 %, whole kronor, each on a sampled ansvar, and kommunbidrag
/// balancing it; then a budget change (a pay rise on the first staff account, financed by
/// kommunbidrag). Returns the lines (account, ansvar, öre), the change, and the budget per
/// account after the change.
pub fn budget(spec: &PackageSpec, prior: &Totals) -> Budget {
    let chart = Chart::new(spec.profile);
    let ansvar = chart.ids(1);
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed ^ 0xB0D6E7);
    let mut lines: Vec<(u32, u32, i64)> = Vec::new();
    for (&account, &total) in &prior.by_account() {
        if (3000..9000).contains(&account) && account != acct::CONTRIBUTION {
            let amount = total * 103 / 100 / 100 * 100;
            lines.push((account, ansvar[rng.gen_range(0..ansvar.len())], amount));
        }
    }
    let net: i64 = lines.iter().map(|l| l.2).sum();
    lines.push((acct::CONTRIBUTION, ansvar[0], -net));
    let change = (net.abs() / 200 / 100 * 100).max(100);
    let mut budget: BTreeMap<u32, i64> = BTreeMap::new();
    for (a, _, amount) in &lines {
        *budget.entry(*a).or_default() += amount;
    }
    *budget.entry(chart.staff[0]).or_default() += change;
    *budget.entry(acct::CONTRIBUTION).or_default() -= change;
    Budget {
        lines,
        change,
        per_account: budget,
    }
}

/// A package's budget.
#[derive(Debug, Clone)]
pub struct Budget {
    /// The budget file's lines: (account, ansvar, öre).
    pub lines: Vec<(u32, u32, i64)>,
    /// The budget change (öre on the first staff account, financed by kommunbidrag).
    pub change: i64,
    /// The budget per account after the change.
    pub per_account: BTreeMap<u32, i64>,
}

/// The most öre the generator writes on one budget or forecast line: half of what delar
/// takes on one line (100 000 000 000 kr). The sums of a ledger of millions of rows a year
/// are larger (the kommunbidrag that balances 10 000 000 rows is over 200 000 000 000 kr),
/// so such a sum is written as several lines of the same account and ansvar (row), which
/// delar adds up.
const LINE_CAP_ORE: i64 = 5_000_000_000_000;

/// `ore` (whole kronor) as line amounts of at most about [`LINE_CAP_ORE`] each, in whole
/// kronor, summing to `ore`; one line when it fits.
fn parts(ore: i64) -> Vec<i64> {
    let n = ore.unsigned_abs().div_ceil(LINE_CAP_ORE as u64).max(1) as i64;
    let each = ore / n / 100 * 100;
    let mut out = vec![each; n as usize - 1];
    out.push(ore - each * (n - 1));
    out
}

fn kr(ore: i64) -> String {
    crate::journal::decimal(ore)
}

fn row_of(account: u32) -> Option<&'static str> {
    ROWS.iter()
        .find(|r| r.3.iter().any(|&(lo, hi)| (lo..=hi).contains(&account)))
        .map(|r| r.0)
}

/// Writes the package into `dir` (created if missing).
pub fn write_package(dir: &Path, spec: &PackageSpec) -> Result<PackageSummary, GenError> {
    let (prior_spec, current_spec) = ledger_specs(spec);
    let y = spec.year;
    let (prior, b1) = write_ledger_file(
        &dir.join(format!("huvudbok/huvudbok-{}.se", y - 1)),
        &prior_spec,
    )?;
    let (current, b2) = write_ledger_file(
        &dir.join(format!("huvudbok/huvudbok-{y}.se")),
        &current_spec,
    )?;
    let chart = Chart::new(spec.profile);
    let ansvar = chart.ids(1);
    let projects = chart.ids(6);
    let central = ansvar[0];
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed ^ 0x0F0E_CA57);

    let Budget {
        lines: budget_lines,
        change,
        per_account: budget,
    } = budget(spec, &prior);
    let mut budget_csv = String::from("konto;ansvar;belopp\n");
    for (a, o, amount) in &budget_lines {
        for part in parts(*amount) {
            let _ = writeln!(budget_csv, "{a};{o};{}", kr(part));
        }
    }
    let staff_account = chart.staff[0];
    let changes_csv = format!(
        "omrade;nyckel;forklaring;konto;ansvar;belopp\n\
         Lönerevidering {y};lonerevidering;avser löner april–december;{staff_account};{central};{}\n\
         Lönerevidering {y};;;{};{central};{}\n",
        kr(change),
        acct::CONTRIBUTION,
        kr(-change)
    );

    // Forecast per row: the budget of the row give or take 2 %; kommunbidrag as budgeted.
    let mut forecast_csv = String::from("rad;ansvar;prognos;kommentar\n");
    for (id, _, kind, _) in ROWS {
        let row_budget: i64 = budget
            .iter()
            .filter(|(a, _)| row_of(**a) == Some(id))
            .map(|(_, v)| v)
            .sum();
        let forecast = if kind == "contribution" {
            row_budget
        } else {
            row_budget + row_budget / 100 * rng.gen_range(-2..=2)
        };
        let comment = if kind == "contribution" {
            "Enligt budget"
        } else {
            "Prognos från förvaltningen"
        };
        for part in parts(forecast / 100 * 100) {
            let _ = writeln!(forecast_csv, "{id};;{};{comment}", kr(part));
        }
    }

    // Investment register: every project, a tenth specific to each municipality.
    let tenth = (projects.len() / 10).max(1);
    let mut investments_csv = String::from("projekt;namn;grupp;budget;ombudgetering;prognos\n");
    for (k, p) in projects.iter().enumerate() {
        let group = if k < tenth {
            "herrljunga"
        } else if k < 2 * tenth {
            "vargarda"
        } else {
            "gemensam"
        };
        let b = rng.gen_range(1..200) * 10_000;
        let _ = writeln!(
            investments_csv,
            "{p};Projekt {p} ombyggnad;{group};{b};0;{}",
            b + rng.gen_range(0..10) * 1000
        );
    }

    let n = ansvar.len();
    let herr = (ansvar[n / 10], ansvar[n / 5 - 1]);
    let varg = (ansvar[n / 5], ansvar[3 * n / 10 - 1]);
    let mut toml = format!(
        r#"# Generated by delar-gen (profile {profile}, {rows} ledger rows, seed {seed}).
[report]
committee = "Genererad nämnd ({profile})"
year = {y}
through_month = 8
memo_date = "{y}-09-15"
author = "Åsa Öberg"
author_title = "Controller"
decision = "Nämnden godkänner upprättad delårsrapport per {{{{ period.end }}}}."
distribution = ["Kommunstyrelsen"]
for_information = ["Revisionen"]
percent_rounding = "half_up"

[[municipality]]
id = "herrljunga"
name = "Herrljunga"
host = true

[[municipality]]
id = "vargarda"
name = "Vårgårda"

[ledger]
current = "huvudbok/huvudbok-{y}.se"
prior = "huvudbok/huvudbok-{py}.se"
scope_dimension = 1
scope_objects = ["{lo}-{hi}"]
"#,
        profile = spec.profile,
        rows = spec.rows,
        seed = spec.seed,
        py = y - 1,
        lo = ansvar[0],
        hi = ansvar[n - 1],
    );
    for (id, label, kind, ranges) in ROWS {
        let accounts: Vec<String> = ranges.iter().map(|(a, b)| format!("\"{a}-{b}\"")).collect();
        let _ = write!(
            toml,
            "\n[[row]]\nid = \"{id}\"\nlabel = \"{label}\"\nkind = \"{kind}\"\naccounts = [{}]\n",
            accounts.join(", ")
        );
        if id == "kapitalkostnad" {
            toml.push_str("key = \"kapital\"\n");
        }
    }
    let _ = write!(
        toml,
        r#"
[allocation]
dimension = 1
default_key = "gemensam"

[[allocation.key]]
id = "gemensam"
label = "gemensamma kostnader efter avtalad andel"
shares = {{ herrljunga = "43.00", vargarda = "57.00" }}

[[allocation.key]]
id = "kapital"
label = "kapitalkostnad efter andel av anläggningarna"
shares = {{ herrljunga = "47.78", vargarda = "52.22" }}

[[allocation.specific]]
municipality = "herrljunga"
objects = ["{}-{}"]
label = "Herrljungaspec"

[[allocation.specific]]
municipality = "vargarda"
objects = ["{}-{}"]
label = "Vårgårdaspec"

[budget]
file = "budget/budget-{y}.csv"
changes = "budget/budgetforandringar-{y}.csv"

[forecast]
file = "prognos/prognos-{y}.csv"

[investments]
file = "investeringar/investeringar-{y}.csv"
accounts = ["1100-1299"]
dimension = 6
total_label = "S:a investeringar"

[[investments.group]]
id = "gemensam"
label = "S:a investeringar gemensamma"

[[investments.group]]
id = "herrljunga"
label = "S:a investeringar Herrljungaspec"

[[investments.group]]
id = "vargarda"
label = "S:a investeringar Vårgårdaspec"
"#,
        herr.0, herr.1, varg.0, varg.1
    );
    write_file(dir, "delar.toml", &toml)?;
    write_file(dir, &format!("budget/budget-{y}.csv"), &budget_csv)?;
    write_file(
        dir,
        &format!("budget/budgetforandringar-{y}.csv"),
        &changes_csv,
    )?;
    write_file(dir, &format!("prognos/prognos-{y}.csv"), &forecast_csv)?;
    write_file(
        dir,
        &format!("investeringar/investeringar-{y}.csv"),
        &investments_csv,
    )?;
    Ok(PackageSummary {
        current,
        prior,
        budget,
        ledger_bytes: b1 + b2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_sums_are_written_as_lines_delar_takes() {
        for ore in [
            0,
            100,
            -100,
            LINE_CAP_ORE,
            -LINE_CAP_ORE - 100,
            -23_238_815_120_200,
            99_999_999_999_900,
        ] {
            let p = parts(ore);
            assert_eq!(p.iter().sum::<i64>(), ore, "{ore}");
            assert!(p
                .iter()
                .all(|a| a % 100 == 0 && a.abs() <= LINE_CAP_ORE + 100 * p.len() as i64));
            assert!(
                p.iter().all(|a| a.abs() <= 10_000_000_000_000),
                "{ore}: {p:?}"
            );
            assert_eq!(p.len() == 1, ore.abs() <= LINE_CAP_ORE, "{ore}");
        }
    }
}
