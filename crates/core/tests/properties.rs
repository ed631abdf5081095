//! Properties: allocation shares always sum to the whole, and every table rounded with
//! `Rounding::AddsUp` adds up as displayed, for random amounts and row structures.

use delar_core::config::parse_config;
use delar_core::ledger::{Ledger, Posting};
use delar_core::money::{allocate, apportion, ORE_PER_TKR};
use delar_core::package::Package;
use delar_core::report::{Cell, Report, Rounding, Table};
use delar_core::sources::{BudgetLine, ChangeLine, ForecastLine, Project};
use delar_core::{report_from_package, Options};
use proptest::prelude::*;
use std::collections::BTreeMap;

proptest! {
    #[test]
    fn allocation_sums_to_the_whole(
        amount in -10_000_000_000i64..10_000_000_000,
        shares in prop::collection::vec(0i64..100_000_000, 1..6),
    ) {
        let parts = allocate(amount, &shares);
        prop_assert_eq!(parts.iter().sum::<i64>(), amount);
        let total: i128 = shares.iter().map(|s| i128::from(*s)).sum();
        if total > 0 {
            for (p, s) in parts.iter().zip(&shares) {
                // Each part is its exact share rounded down or up.
                let exact = i128::from(amount) * i128::from(*s);
                let floor = exact.div_euclid(total);
                prop_assert!(i128::from(*p) == floor || i128::from(*p) == floor + 1);
            }
        }
    }

    #[test]
    fn apportion_sums_to_the_rounded_whole(
        parts in prop::collection::vec(-10_000_000_000i64..10_000_000_000, 1..8),
    ) {
        let total: i64 = parts.iter().sum();
        let target = delar_core::money::ore_to_tkr(total);
        let shown = apportion(target, &parts, ORE_PER_TKR);
        prop_assert_eq!(shown.iter().sum::<i64>(), target);
        for (s, e) in shown.iter().zip(&parts) {
            prop_assert!((s * ORE_PER_TKR - e).abs() < ORE_PER_TKR, "{} vs {}", s, e);
        }
    }

    #[test]
    fn tables_add_up_as_displayed(spec in spec()) {
        let pkg = spec.package();
        let report = report_from_package(&pkg, &Options { rounding: Rounding::AddsUp, ..Options::default() }).expect("report");
        check_adds_up(&report);
    }
}

/// A random package: rows, amounts and allocation keys.
#[derive(Debug, Clone)]
struct Spec {
    n_income: usize,
    n_cost: usize,
    shares: Vec<u32>,
    /// Per row (income, cost, contribution) and column: (object index, öre).
    amounts: Vec<[Vec<(usize, i64)>; 4]>,
    /// Per group: projects (budget, rebudget, forecast, outcome).
    groups: Vec<Vec<[i64; 4]>>,
    /// Budget change areas: (row, amount).
    changes: Vec<(usize, i64)>,
}

const OBJECTS: [&str; 3] = ["8510", "8520", "8530"];

fn amount() -> impl Strategy<Value = i64> + Clone {
    prop_oneof![
        -1_000_000_000i64..1_000_000_000,
        (-20_000i64..20_000).prop_map(|t| t * 50_000),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..=3, 1usize..=5, 2usize..=3).prop_flat_map(|(n_income, n_cost, n_muni)| {
        let n_rows = n_income + n_cost + 1;
        let cells = prop::collection::vec((0usize..3, amount()), 0..4);
        (
            Just(n_income),
            Just(n_cost),
            prop::collection::vec(0u32..=10_000, n_muni - 1),
            prop::collection::vec([cells.clone(), cells.clone(), cells.clone(), cells], n_rows),
            prop::collection::vec(
                prop::collection::vec([amount(), amount(), amount(), amount()], 0..4),
                1..=3,
            ),
            prop::collection::vec((0..n_rows - 1, amount()), 0..4),
        )
            .prop_map(|(n_income, n_cost, cuts, amounts, groups, changes)| {
                let mut cuts = cuts;
                cuts.sort();
                let mut shares = Vec::new();
                let mut prev = 0;
                for c in cuts {
                    shares.push(c - prev);
                    prev = c;
                }
                shares.push(10_000 - prev);
                Spec {
                    n_income,
                    n_cost,
                    shares,
                    amounts,
                    groups,
                    changes,
                }
            })
    })
}

impl Spec {
    fn account(&self, row: usize) -> u32 {
        if row < self.n_income {
            3000 + 100 * row as u32
        } else if row < self.n_income + self.n_cost {
            4000 + 100 * (row - self.n_income) as u32
        } else {
            3900
        }
    }

    fn row_id(&self, row: usize) -> String {
        format!("r{row}")
    }

    fn toml(&self) -> String {
        let mut t = String::from(
            "[report]\ncommittee = \"N\"\nyear = 2023\nthrough_month = 8\nmemo_date = \"2023-09-01\"\nauthor = \"A\"\ndecision = \"D\"\n\n",
        );
        for m in 0..self.shares.len() {
            t.push_str(&format!(
                "[[municipality]]\nid = \"m{m}\"\nname = \"M{m}\"\nhost = {}\n\n",
                m == 0
            ));
        }
        t.push_str("[ledger]\ncurrent = \"a.se\"\nprior = \"b.se\"\nscope_dimension = 1\nscope_objects = [\"8500-8599\"]\n\n");
        for r in 0..self.n_income + self.n_cost + 1 {
            let kind = if r < self.n_income {
                "income"
            } else if r < self.n_income + self.n_cost {
                "cost"
            } else {
                "contribution"
            };
            let a = self.account(r);
            t.push_str(&format!(
                "[[row]]\nid = \"{}\"\nlabel = \"R{r}\"\nkind = \"{kind}\"\naccounts = [\"{a}-{}\"]\n\n",
                self.row_id(r),
                a + 99
            ));
        }
        let shares = self
            .shares
            .iter()
            .enumerate()
            .map(|(m, s)| format!("m{m} = \"{}.{:02}\"", s / 100, s % 100))
            .collect::<Vec<_>>()
            .join(", ");
        t.push_str(&format!(
            "[allocation]\ndimension = 1\ndefault_key = \"k\"\n\n[[allocation.key]]\nid = \"k\"\nlabel = \"K\"\nshares = {{ {shares} }}\n\n"
        ));
        t.push_str("[[allocation.specific]]\nmunicipality = \"m0\"\nobjects = [\"8520\"]\nlabel = \"S0\"\n\n");
        t.push_str("[[allocation.specific]]\nmunicipality = \"m1\"\nobjects = [\"8530\"]\nlabel = \"S1\"\n\n");
        t.push_str(
            "[budget]\nfile = \"b.csv\"\nchanges = \"c.csv\"\n\n[forecast]\nfile = \"p.csv\"\n\n",
        );
        t.push_str("[investments]\nfile = \"i.csv\"\naccounts = [\"1200-1299\"]\ndimension = 6\ntotal_label = \"T\"\n\n");
        for g in 0..self.groups.len() {
            t.push_str(&format!(
                "[[investments.group]]\nid = \"g{g}\"\nlabel = \"G{g}\"\n\n"
            ));
        }
        t
    }

    fn package(&self) -> Package {
        let config = parse_config(self.toml().as_bytes()).expect("config");
        let mut current = Vec::new();
        let mut prior = Vec::new();
        let mut budget = Vec::new();
        let mut forecast = Vec::new();
        let posting = |account, year, object: &str, amount| Posting {
            account,
            year,
            month: 3,
            objects: [(1, object.into())].into_iter().collect(),
            amount,
            rows: 1,
        };
        for (r, cols) in self.amounts.iter().enumerate() {
            let account = self.account(r);
            for (o, a) in &cols[0] {
                prior.push(posting(account, 2022, OBJECTS[*o], *a));
            }
            for (o, a) in &cols[1] {
                current.push(posting(account, 2023, OBJECTS[*o], *a));
            }
            for (o, a) in &cols[2] {
                budget.push(BudgetLine {
                    account,
                    ansvar: Some(OBJECTS[*o].to_string()),
                    amount: *a,
                    origin: ("b.csv".into(), 2),
                });
            }
            for (o, a) in &cols[3] {
                forecast.push(ForecastLine {
                    row: self.row_id(r),
                    ansvar: Some(OBJECTS[*o].to_string()),
                    amount: *a,
                    comment: String::new(),
                    origin: ("p.csv".into(), 2),
                });
            }
        }
        let mut register = Vec::new();
        for (g, projects) in self.groups.iter().enumerate() {
            for (i, p) in projects.iter().enumerate() {
                let id = format!("P{g}_{i}");
                current.push(Posting {
                    account: 1210,
                    year: 2023,
                    month: 5,
                    objects: [(6, id.as_str().into())].into_iter().collect(),
                    amount: p[3],
                    rows: 1,
                });
                register.push(Project {
                    id: id.clone(),
                    key: None,
                    name: format!("Projekt {id}"),
                    group: format!("g{g}"),
                    budget: p[0],
                    rebudget: p[1],
                    forecast: p[2],
                    origin: ("i.csv".into(), 2),
                });
            }
        }
        let changes = self
            .changes
            .iter()
            .enumerate()
            .map(|(i, (row, a))| ChangeLine {
                omrade: format!("Område {}", i % 2),
                key: None,
                forklaring: String::new(),
                line: BudgetLine {
                    account: self.account(*row),
                    ansvar: None,
                    amount: *a,
                    origin: ("c.csv".into(), 2),
                },
            })
            .collect();
        Package {
            config,
            current: Ledger::from_postings("a.se", current).into(),
            prior: Some(Ledger::from_postings("b.se", prior).into()),
            budget,
            changes,
            forecast: Some(forecast),
            register,
            employees: Vec::new(),
            spells: Vec::new(),
            goals: Vec::new(),
            goals_path: String::new(),
            texts: BTreeMap::new(),
            text_dir_files: None,
        }
    }
}

fn shown(t: &Table, row: &str, col: usize) -> i64 {
    match &t.row(row).unwrap_or_else(|| panic!("row {row}")).cells[col] {
        Cell::Amount { shown_tkr, .. } => *shown_tkr,
        Cell::Empty => 0,
        other => panic!("{other:?}"),
    }
}

fn exact(t: &Table, row: &str, col: usize) -> i64 {
    match &t.row(row).unwrap().cells[col] {
        Cell::Amount { exact_ore, .. } => *exact_ore,
        _ => 0,
    }
}

/// Every amount cell of the table (except derived `skip` columns) shows its exact value
/// rounded down or up.
fn check_close(t: &Table, skip: &[usize]) {
    for row in &t.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            if let (
                false,
                Cell::Amount {
                    exact_ore,
                    shown_tkr,
                },
            ) = (skip.contains(&c), cell)
            {
                assert!(
                    (shown_tkr * ORE_PER_TKR - exact_ore).abs() < ORE_PER_TKR,
                    "{}.{} column {c}: {shown_tkr} tkr for {exact_ore} öre",
                    t.id,
                    row.key
                );
            }
        }
    }
}

fn check_adds_up(r: &Report) {
    // The declared structure (sum rows and derived columns) holds as displayed.
    for t in &r.tables {
        let bad = t.sum_mismatches();
        assert!(bad.is_empty(), "{bad:?}");
    }
    check_close(r.table("resultat_netto").unwrap(), &[4]);
    check_close(r.table("investeringar").unwrap(), &[3, 5]);
    check_close(r.table("budgetforandringar").unwrap(), &[]);
    let rr = r.table("resultatrakning").unwrap();
    let items = |kind: &str| -> Vec<String> {
        rr.rows
            .iter()
            .filter(|row| {
                row.kind == delar_core::report::RowKind::Item && row.label.starts_with('R')
            })
            .filter(|row| row.key.starts_with('r'))
            .map(|row| row.key.clone())
            .filter(|k| {
                let n: usize = k[1..].parse().unwrap();
                match kind {
                    "income" => {
                        rr.rows.iter().position(|x| x.key == *k)
                            < rr.rows.iter().position(|x| x.key == "summa_intakter")
                    }
                    _ => {
                        let p = rr.rows.iter().position(|x| x.key == *k);
                        p > rr.rows.iter().position(|x| x.key == "summa_intakter")
                            && p < rr.rows.iter().position(|x| x.key == "summa_kostnader")
                            && n < 100
                    }
                }
            })
            .collect()
    };
    let income = items("income");
    let cost = items("cost");
    let kb_key = &rr.rows[rr.rows.len() - 2].key;
    for c in 0..5 {
        let sum = |keys: &[String]| keys.iter().map(|k| shown(rr, k, c)).sum::<i64>();
        assert_eq!(sum(&income), shown(rr, "summa_intakter", c), "col {c}");
        assert_eq!(sum(&cost), shown(rr, "summa_kostnader", c), "col {c}");
        assert_eq!(
            shown(rr, "summa_intakter", c) + shown(rr, "summa_kostnader", c),
            shown(rr, "summa_nettokostnader", c)
        );
        if c < 4 {
            assert_eq!(
                shown(rr, kb_key, c) - shown(rr, "summa_nettokostnader", c),
                shown(rr, "resultat", c)
            );
            // Every displayed figure is its exact value rounded down or up.
            for row in &rr.rows {
                if let Cell::Amount {
                    exact_ore,
                    shown_tkr,
                } = row.cells[c]
                {
                    assert!(
                        (shown_tkr * ORE_PER_TKR - exact_ore).abs() < ORE_PER_TKR,
                        "{} {c}",
                        row.key
                    );
                }
            }
        }
    }
    for row in rr
        .rows
        .iter()
        .filter(|r| r.key != "resultat" && r.key != *kb_key)
    {
        if let Cell::Amount { shown_tkr, .. } = row.cells[4] {
            assert_eq!(shown_tkr, shown(rr, &row.key, 2) - shown(rr, &row.key, 3));
        }
    }
    let netto = r.table("resultat_netto").unwrap();
    for c in 0..5 {
        let munis: i64 = netto.rows[..netto.rows.len() - 1]
            .iter()
            .map(|row| shown(netto, &row.key, c))
            .sum();
        assert_eq!(munis, shown(netto, "summa_verksamhet", c));
        assert_eq!(munis, shown(rr, "summa_nettokostnader", c));
        let exact_sum: i64 = netto.rows[..netto.rows.len() - 1]
            .iter()
            .map(|row| exact(netto, &row.key, c))
            .sum();
        assert_eq!(exact_sum, exact(rr, "summa_nettokostnader", c));
    }
    let inv = r.table("investeringar").unwrap();
    for c in 0..6 {
        let mut total = 0;
        let mut group = 0;
        for row in &inv.rows {
            let v = shown(inv, &row.key, c);
            match row.kind {
                delar_core::report::RowKind::Item => group += v,
                delar_core::report::RowKind::Subtotal => {
                    assert_eq!(group, v, "{} col {c}", row.key);
                    total += v;
                    group = 0;
                }
                delar_core::report::RowKind::Total => assert_eq!(total, v, "total col {c}"),
            }
        }
    }
    for row in &inv.rows {
        assert_eq!(
            shown(inv, &row.key, 3),
            shown(inv, &row.key, 1) + shown(inv, &row.key, 2)
        );
        assert_eq!(
            shown(inv, &row.key, 5),
            shown(inv, &row.key, 3) - shown(inv, &row.key, 4)
        );
    }
    let bf = r.table("budgetforandringar").unwrap();
    let items: i64 = bf.rows[..bf.rows.len() - 1]
        .iter()
        .map(|row| shown(bf, &row.key, 0))
        .sum();
    assert_eq!(items, shown(bf, "totalt", 0));
}
