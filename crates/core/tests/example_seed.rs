//! The example package `examples/servicenamnd-it-2023/` loaded from disk and compared with
//! every figure of the seed report (`shared/seed/seed-figures.json`), cell by cell.
//! RESULTAT NETTO may differ by at most 1 tkr per cell (the seed rounds each municipality
//! on its own; the engine makes the split add up to the income statement), and the budget
//! changes are compared by row order (the engine's keys are slugs of the område).

use delar_core::report::{Cell, Report, Rounding, Table};
use delar_core::{build_report, Options, SourceError, SourceFiles};
use serde_json::Value;
use std::path::{Path, PathBuf};

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/servicenamnd-it-2023"
);
const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seed/seed-figures.json"
);

/// A package folder on disk.
struct DirFiles(PathBuf);

impl SourceFiles for DirFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        std::fs::read(self.0.join(path)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => SourceError::NotFound,
            _ => SourceError::Other(e.to_string()),
        })
    }
}

fn build(rounding: Rounding) -> Report {
    let options = Options {
        rounding,
        ..Options::default()
    };
    match build_report(&DirFiles(Path::new(EXAMPLE).to_path_buf()), &options) {
        Ok(r) => r,
        Err(e) => panic!("the example package does not build: {e}"),
    }
}

fn seed() -> Value {
    let text =
        std::fs::read_to_string(SEED).expect("shared/seed/seed-figures.json beside the clone");
    serde_json::from_str(&text).expect("valid JSON")
}

/// The seed's value as the engine displays it: tkr, or hundredths of a percent.
fn expected(v: &Value, unit: &str) -> Option<i64> {
    match v {
        Value::Null => None,
        Value::Number(n) if unit == "procent" => {
            // Two decimals at most: read them exactly from the JSON text.
            let s = n.to_string();
            let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
            let frac = format!("{frac:0<2}");
            Some(int.parse::<i64>().unwrap() * 100 + frac[..2].parse::<i64>().unwrap())
        }
        Value::Number(n) => Some(n.as_i64().expect("integer tkr")),
        other => panic!("unexpected {other}"),
    }
}

fn got(cell: &Cell) -> Option<i64> {
    match cell {
        Cell::Empty => None,
        Cell::Amount { shown_tkr, .. } => Some(*shown_tkr),
        Cell::Percent { shown_hundredths } => Some(*shown_hundredths),
        other => panic!("unexpected cell {other:?}"),
    }
}

/// Compares a seed table with the engine's; returns the differences. `by_order` pairs
/// rows by position instead of key; `tolerance` is the allowed difference per cell.
fn compare(seed_table: &Value, table: &Table, by_order: bool, tolerance: i64) -> Vec<String> {
    let unit = seed_table["unit"].as_str().unwrap();
    let columns: Vec<&str> = seed_table["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let mut diffs = Vec::new();
    let rows = seed_table["rows"].as_array().unwrap();
    if by_order && rows.len() != table.rows.len() {
        diffs.push(format!(
            "{}: {} rows in the seed, {} in the report",
            table.id,
            rows.len(),
            table.rows.len()
        ));
    }
    for (i, srow) in rows.iter().enumerate() {
        let key = srow["key"].as_str().unwrap();
        let row = if by_order {
            table.rows.get(i)
        } else {
            table.row(key)
        };
        let Some(row) = row else {
            diffs.push(format!("{}: no row for {key}", table.id));
            continue;
        };
        if let Some(note) = srow.get("note").and_then(Value::as_str) {
            if row.note.as_deref() != Some(note) {
                diffs.push(format!(
                    "{}.{key}: note {:?}, seed {note:?}",
                    table.id, row.note
                ));
            }
        }
        for (c, col) in columns.iter().enumerate() {
            let want = expected(&srow["values"][c], unit);
            let ci = table
                .column_index(col)
                .unwrap_or_else(|| panic!("{}: no column {col}", table.id));
            let have = got(&row.cells[ci]);
            let ok = match (want, have) {
                (Some(w), Some(h)) => (w - h).abs() <= tolerance,
                (None, None) => true,
                _ => false,
            };
            if !ok {
                diffs.push(format!(
                    "{}.{key}.{col}: report {have:?}, seed {want:?}",
                    table.id
                ));
            }
        }
    }
    diffs
}

fn table<'a>(r: &'a Report, id: &str) -> &'a Table {
    r.table(id).unwrap_or_else(|| panic!("no table {id}"))
}

#[test]
fn example_reproduces_the_seed() {
    let seed = seed();
    let r = build(Rounding::AddsUp);
    let t = &seed["tables"];
    let mut diffs = Vec::new();
    diffs.extend(compare(
        &t["resultatrakning"],
        table(&r, "resultatrakning"),
        false,
        0,
    ));
    diffs.extend(compare(
        &t["resultat_netto"],
        table(&r, "resultat_netto"),
        false,
        1,
    ));
    diffs.extend(compare(
        &t["budgetforandringar"],
        table(&r, "budgetforandringar"),
        true,
        0,
    ));
    diffs.extend(compare(
        &t["investeringar"],
        table(&r, "investeringar"),
        true,
        0,
    ));
    diffs.extend(compare(&t["personal"], table(&r, "personal"), false, 0));
    for (k, v) in seed["text_figures"].as_object().unwrap() {
        let want = v.as_i64().unwrap();
        match r.text_figures.get(k) {
            Some(h) if *h == want => {}
            other => diffs.push(format!("text_figures.{k}: report {other:?}, seed {want}")),
        }
    }
    assert!(
        diffs.is_empty(),
        "differences from the seed:\n{}",
        diffs.join("\n")
    );
}

#[test]
fn example_labels_follow_the_seed() {
    let seed = seed();
    let r = build(Rounding::AddsUp);
    for id in [
        "resultatrakning",
        "resultat_netto",
        "budgetforandringar",
        "investeringar",
    ] {
        let labels: Vec<&str> = seed["tables"][id]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["label"].as_str().unwrap())
            .collect();
        let got: Vec<&str> = table(&r, id)
            .rows
            .iter()
            .map(|row| row.label.as_str())
            .collect();
        assert_eq!(got, labels, "{id}");
    }
}

#[test]
fn example_municipality_split_adds_up_and_independent_matches_the_seed() {
    // Adds up: Summa verksamhet is the income statement's net cost.
    let r = build(Rounding::AddsUp);
    let rr = table(&r, "resultatrakning");
    let netto = table(&r, "resultat_netto");
    for c in 0..5 {
        assert_eq!(
            got(&netto.row("summa_verksamhet").unwrap().cells[c]),
            got(&rr.row("summa_nettokostnader").unwrap().cells[c])
        );
    }
    // Independent rounding rounds each municipality on its own, as the seed did.
    let seed = seed();
    let r = build(Rounding::Independent);
    let rows = seed["tables"]["resultat_netto"]["rows"].as_array().unwrap();
    let t = table(&r, "resultat_netto");
    for srow in rows.iter().filter(|r| r["key"] != "summa_verksamhet") {
        let key = srow["key"].as_str().unwrap();
        for c in 0..5 {
            assert_eq!(
                got(&t.row(key).unwrap().cells[c]),
                expected(&srow["values"][c], "tkr"),
                "{key} column {c}"
            );
        }
    }
}

#[test]
fn example_tables_add_up_as_displayed_and_the_naive_way_does_not() {
    let r = build(Rounding::AddsUp);
    for t in &r.tables {
        assert_eq!(t.sum_mismatches(), Vec::<String>::new(), "{}", t.id);
    }
    // Rounding each cell on its own breaks the municipality split, as in the seed
    // (7 712 + 9 866 ≠ 17 579).
    let r = build(Rounding::Independent);
    let bad = table(&r, "resultat_netto").sum_mismatches();
    assert!(
        bad.iter().any(|m| m.contains("summa_verksamhet.utfall")),
        "{bad:?}"
    );
}

#[test]
fn example_monthly_net_cost_sums_to_the_income_statement() {
    let r = build(Rounding::AddsUp);
    let m = r.monthly.as_ref().expect("monthly figures");
    assert_eq!(m.current_ore.len(), 8);
    assert_eq!(m.prior_ore.len(), 12);
    let exact =
        |row: &str, col: usize| match table(&r, "resultatrakning").row(row).unwrap().cells[col] {
            delar_core::report::Cell::Amount { exact_ore, .. } => exact_ore,
            ref other => panic!("{other:?}"),
        };
    assert_eq!(
        m.current_ore.iter().sum::<i64>(),
        exact("summa_nettokostnader", 1)
    );
    assert_eq!(
        m.prior_ore[..8].iter().sum::<i64>(),
        exact("summa_nettokostnader", 0)
    );
    assert_eq!(m.budget_ore, exact("summa_nettokostnader", 2));
}

#[test]
fn example_checks_pass() {
    let r = build(Rounding::AddsUp);
    let failed: Vec<String> = r
        .checks
        .iter()
        .filter(|c| c.status == delar_core::report::CheckStatus::Fail)
        .map(|c| format!("{}: {}", c.id, c.message))
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
}

/// Every table, memo and text figure of the example as text.
fn render(r: &Report) -> String {
    let mut out = String::new();
    for t in &r.tables {
        out.push_str(&format!("== {} | {}\n", t.id, t.title));
        let labels: Vec<&str> = t.columns.iter().map(|c| c.label.as_str()).collect();
        out.push_str(&format!("   columns: {}\n", labels.join(" | ")));
        for row in &t.rows {
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|c| match c {
                    Cell::Empty => "-".to_string(),
                    Cell::Amount {
                        shown_tkr,
                        exact_ore,
                    } => format!("{shown_tkr} ({exact_ore})"),
                    Cell::Percent { shown_hundredths } => {
                        format!("{},{:02} %", shown_hundredths / 100, shown_hundredths % 100)
                    }
                    Cell::Suppressed { reason } => format!("[{reason}]"),
                    Cell::Text { text } => text.clone(),
                })
                .collect();
            out.push_str(&format!(
                "   {:?} {} \"{}\": {}{}\n",
                row.kind,
                row.key,
                row.label,
                cells.join(" | "),
                row.note
                    .as_ref()
                    .map(|n| format!("  // {n}"))
                    .unwrap_or_default()
            ));
        }
        for n in &t.notes {
            out.push_str(&format!("   note: {n}\n"));
        }
    }
    out.push_str(&format!("== memo\n{:#?}\n", r.memo));
    out.push_str(&format!("== text_figures\n{:?}\n", r.text_figures));
    out
}

#[test]
fn example_golden() {
    let got = render(&build(Rounding::AddsUp));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/example.txt");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(Path::new(path).parent().unwrap()).unwrap();
        std::fs::write(path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(path).expect("golden file; run with UPDATE_EXPECT=1");
    assert_eq!(
        got, want,
        "golden differs; run with UPDATE_EXPECT=1 and review the diff"
    );
}
