//! The municipality example (`examples/herrljunga-kommun-2023`): the consolidated table
//! `driftredovisning` shows each committee's own Summa nettokostnader and adds up, the
//! seed's committee gives the same tables inside the municipality as alone, and moving
//! one voucher row between scopes moves exactly the rows it should.

use delar_core::kommun::{build_kommun, KommunReport, COVERAGE_CHECK, FIGURES_CHECK, SUMMA};
use delar_core::report::{Cell, Check, CheckStatus, Table};
use delar_core::{build_report, MemoryFiles, Options};
use std::path::Path;

fn workspace() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[path = "common/dir.rs"]
mod dir;

/// Every file under `dir`, by `/`-separated path relative to it.
fn read_dir(dir: &Path) -> MemoryFiles {
    MemoryFiles {
        files: dir::files_under(dir),
    }
}

fn kommun_files() -> MemoryFiles {
    read_dir(&workspace().join("examples/herrljunga-kommun-2023"))
}

fn build(files: &MemoryFiles) -> KommunReport {
    build_kommun(files, &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn drift(k: &KommunReport) -> &Table {
    k.consolidated.table("driftredovisning").expect("table")
}

/// (exact öre, shown tkr) of a cell of the consolidated table.
fn cell(table: &Table, row: &str, col: &str) -> (i64, i64) {
    let c = table.column_index(col).unwrap();
    match table.row(row).unwrap().cells[c] {
        Cell::Amount {
            exact_ore,
            shown_tkr,
        } => (exact_ore, shown_tkr),
        ref other => panic!("{row}.{col} is {other:?}"),
    }
}

fn check<'a>(k: &'a KommunReport, id: &str) -> &'a Check {
    k.consolidated
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}"))
}

fn check_status(k: &KommunReport, id: &str) -> CheckStatus {
    check(k, id).status
}

#[test]
fn the_consolidated_table_shows_each_committees_own_figures_and_adds_up() {
    let k = build(&kommun_files());
    let table = drift(&k);
    let ids: Vec<&str> = table.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        ids,
        [
            "servicenamnd_it",
            "kultur_fritid",
            "social",
            "bygg_miljo",
            SUMMA
        ]
    );
    let cols: Vec<&str> = table.columns.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        cols,
        ["utfall_fg", "utfall", "budget", "prognos", "avvikelse"]
    );
    for c in &k.committees {
        let own = c
            .report
            .table("resultatrakning")
            .unwrap()
            .row("summa_nettokostnader")
            .unwrap();
        let row = table.row(&c.entry.id).unwrap();
        assert_eq!(row.cells, own.cells, "{}", c.entry.id);
        assert_eq!(row.label, c.report.meta.committee);
    }
    assert_eq!(table.sum_mismatches(), Vec::<String>::new());
    for col in ["utfall_fg", "utfall", "budget", "prognos", "avvikelse"] {
        let (exact, shown) = cell(table, SUMMA, col);
        let parts: Vec<(i64, i64)> = k
            .committees
            .iter()
            .map(|c| cell(table, &c.entry.id, col))
            .collect();
        assert_eq!(exact, parts.iter().map(|p| p.0).sum::<i64>(), "{col}");
        assert_eq!(shown, parts.iter().map(|p| p.1).sum::<i64>(), "{col}");
    }
    for c in &k.consolidated.checks {
        assert_ne!(c.status, CheckStatus::Fail, "{}: {}", c.id, c.message);
    }
    assert_eq!(check_status(&k, FIGURES_CHECK), CheckStatus::Pass);
    assert_eq!(check_status(&k, "kommun_summerar"), CheckStatus::Pass);
}

#[test]
fn the_seed_committee_gives_the_same_tables_inside_the_municipality() {
    let k = build(&kommun_files());
    let alone = build_report(
        &read_dir(&workspace().join("examples/servicenamnd-it-2023")),
        &Options::default(),
    )
    .unwrap();
    let inside = &k.committees[0].report;
    assert_eq!(k.committees[0].entry.id, "servicenamnd_it");
    assert_eq!(inside.tables, alone.tables);
    assert_eq!(inside.sections, alone.sections);
    assert_eq!(inside.memo, alone.memo);
}

#[test]
fn the_shared_ledger_is_split_without_gaps_and_what_lies_outside_is_stated() {
    let k = build(&kommun_files());
    assert_eq!(k.coverage.len(), 2, "current and prior year");
    let table = drift(&k);
    for (cov, col) in k.coverage.iter().zip(["utfall", "utfall_fg"]) {
        assert!(cov.overlap.is_empty());
        let net: i64 = cov.committees.iter().map(|c| c.1).sum();
        let contribution: i64 = cov.committees.iter().map(|c| c.2).sum();
        assert_eq!(net, cell(table, SUMMA, col).0, "{col}");
        assert_eq!(net + contribution + cov.outside_total(), cov.total);
        // Kommunstyrelsen, Bildningsnämnden and Finansförvaltningen are in no scope.
        let outside: Vec<&str> = cov.outside.iter().filter_map(|o| o.0.as_deref()).collect();
        for object in ["1100", "1900", "3100"] {
            assert!(outside.contains(&object), "{col}: {outside:?}");
        }
    }
    let check = check(&k, COVERAGE_CHECK);
    assert_eq!(check.status, CheckStatus::Pass);
    assert!(
        check
            .figures
            .iter()
            .any(|(label, _)| label.starts_with("utanför alla nämnder: objekt 1900")),
        "{:?}",
        check.figures
    );
}

/// Replaces the ansvar of the first booking on `account` and `from` in January 2023 of
/// the shared ledger by `to`; returns its amount in öre.
fn move_row(files: &mut MemoryFiles, account: &str, from: &str, to: &str) -> i64 {
    let path = "huvudbok/huvudbok-2023.se";
    let bytes = files.files.get(path).unwrap().clone();
    // CP437 is ASCII in the lines concerned.
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut in_january = false;
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut amount = None;
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        let l = String::from_utf8_lossy(line);
        if l.starts_with("#VER ") {
            in_january = l.split(' ').nth(3).is_some_and(|d| d.starts_with("202301"));
        }
        let needle = format!("#TRANS {account} {{1 \"{from}\"");
        if amount.is_none() && in_january && l.trim_start().starts_with(&needle) {
            let moved = l.replacen(&format!("{{1 \"{from}\""), &format!("{{1 \"{to}\""), 1);
            let kronor = l.trim_end().rsplit(' ').next().unwrap().to_string();
            let (whole, frac) = kronor.split_once('.').unwrap();
            let ore = whole.trim_start_matches('-').parse::<i64>().unwrap() * 100
                + frac.parse::<i64>().unwrap();
            amount = Some(if kronor.starts_with('-') { -ore } else { ore });
            out.extend_from_slice(moved.as_bytes());
        } else {
            out.extend_from_slice(line);
        }
    }
    assert!(!text.is_empty());
    files.files.insert(path.to_string(), out);
    amount.unwrap_or_else(|| panic!("no booking on {account} {from} in January 2023"))
}

#[test]
fn moving_one_voucher_row_moves_exactly_two_committee_rows() {
    let before = build(&kommun_files());
    let mut files = kommun_files();
    // The rent of Fritid och idrott (Kultur och fritid) booked on Särskilt boende (Social).
    let amount = move_row(&mut files, "6110", "5030", "4220");
    assert!(amount > 0 && amount % 100_000 == 0, "a whole tkr: {amount}");
    let after = build(&files);
    let (t0, t1) = (drift(&before), drift(&after));
    for id in [
        "servicenamnd_it",
        "kultur_fritid",
        "social",
        "bygg_miljo",
        SUMMA,
    ] {
        for col in ["utfall_fg", "utfall", "budget", "prognos", "avvikelse"] {
            let (a, b) = (cell(t0, id, col), cell(t1, id, col));
            let expected = match (id, col) {
                ("kultur_fritid", "utfall") => (a.0 - amount, a.1 - amount / 100_000),
                ("social", "utfall") => (a.0 + amount, a.1 + amount / 100_000),
                _ => a,
            };
            assert_eq!(b, expected, "{id}.{col}");
        }
    }
    assert_eq!(t1.sum_mismatches(), Vec::<String>::new());
    assert_eq!(check_status(&after, COVERAGE_CHECK), CheckStatus::Pass);
    assert_eq!(check_status(&after, FIGURES_CHECK), CheckStatus::Pass);
}

#[test]
fn a_row_moved_outside_every_scope_is_stated() {
    let before = build(&kommun_files());
    let mut files = kommun_files();
    let amount = move_row(&mut files, "6110", "5030", "9990");
    let after = build(&files);
    let (c0, c1) = (&before.coverage[0], &after.coverage[0]);
    assert_eq!(c1.outside_total(), c0.outside_total() + amount);
    assert_eq!(c1.total, c0.total);
    assert!(c1
        .outside
        .iter()
        .any(|o| o.0.as_deref() == Some("9990") && o.1 == amount && o.2 == 1));
    let (t0, t1) = (drift(&before), drift(&after));
    assert_eq!(
        cell(t1, SUMMA, "utfall").0,
        cell(t0, SUMMA, "utfall").0 - amount
    );
    let check = check(&after, COVERAGE_CHECK);
    assert_eq!(check.status, CheckStatus::Pass);
    assert!(check
        .figures
        .iter()
        .any(|(label, _)| label == "utanför alla nämnder: objekt 9990, 1 poster"));
}

#[test]
fn an_amount_claimed_by_two_committees_fails_the_check() {
    let mut files = kommun_files();
    let path = "bygg-miljo/delar.toml";
    let toml = String::from_utf8(files.files[path].clone()).unwrap();
    let overlapping = toml.replace(
        "scope_objects = [\"7000-7099\"]",
        "scope_objects = [\"7000-7099\", \"5030\"]",
    );
    assert_ne!(toml, overlapping);
    files.files.insert(path.into(), overlapping.into_bytes());
    let k = build(&files);
    let check = check(&k, COVERAGE_CHECK);
    assert_eq!(check.status, CheckStatus::Fail);
    assert!(
        check.message.contains("kultur_fritid och bygg_miljo"),
        "{}",
        check.message
    );
    assert!(!k.coverage[0].overlap.is_empty());
}

#[test]
fn the_shared_ledger_is_parsed_once() {
    let k = delar_core::kommun::load_kommun(&kommun_files(), None).unwrap();
    let shared = k.current.as_ref().unwrap();
    for c in &k.committees {
        assert!(c.shares_ledger, "{}", c.entry.id);
        assert!(std::sync::Arc::ptr_eq(&c.package.current, shared));
    }
}

#[test]
fn a_committee_with_another_period_is_an_error_naming_it() {
    let mut files = kommun_files();
    let path = "social/delar.toml";
    let toml = String::from_utf8(files.files[path].clone()).unwrap();
    files.files.insert(
        path.into(),
        toml.replace("through_month = 8", "through_month = 4")
            .into_bytes(),
    );
    let err = build_kommun(&files, &Options::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "nämnden social (mappen social/): delar.toml: nämnden redovisar 2023 t.o.m. månad 4, kommunen 2023 t.o.m. månad 8; alla nämnder ska ha samma period som kommun.toml"
    );
}
