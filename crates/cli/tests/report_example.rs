//! End-to-end tests of `delar report` and `delar check` on the bundled example package:
//! the figures equal the seed report's, they are computed (a changed source changes
//! exactly the cells it should), and bad input fails with a useful message.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example() -> PathBuf {
    workspace().join("examples/servicenamnd-it-2023")
}

fn seed_figures() -> Value {
    let path = workspace().join("../shared/seed/seed-figures.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (../shared must be beside the clone)",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

fn delar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_delar"))
        .args(args)
        .output()
        .expect("run delar")
}

fn report_json(dir: &Path) -> Value {
    let out = delar(&["report", dir.to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "delar report failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("--json prints JSON")
}

/// A JSON number as hundredths, read from its decimal text (no floats involved).
fn hundredths(v: &Value) -> Option<i64> {
    let n = v.as_number()?;
    let text = n.to_string();
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(frac.len() <= 2, "more than two decimals in {text}");
    let frac = format!("{frac:0<2}");
    let value = int.parse::<i64>().ok()? * 100 + frac.parse::<i64>().ok()?;
    Some(if neg { -value } else { value })
}

/// Every cell of every table: (table, row key, column id) → value in hundredths (None
/// for a blank cell).
fn cells(report: &Value) -> BTreeMap<(String, String, String), Option<i64>> {
    let mut map = BTreeMap::new();
    for (table_id, table) in report["tables"].as_object().unwrap() {
        let columns: Vec<&str> = table["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        for row in table["rows"].as_array().unwrap() {
            let key = row["key"].as_str().unwrap();
            for (col, value) in columns.iter().zip(row["values"].as_array().unwrap()) {
                map.insert(
                    (table_id.clone(), key.to_string(), col.to_string()),
                    hundredths(value),
                );
            }
        }
    }
    for (name, value) in report["text_figures"].as_object().unwrap() {
        map.insert(
            ("text_figures".into(), name.clone(), String::new()),
            hundredths(value),
        );
    }
    map
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&example(), dir.path());
    dir
}

fn append(path: &Path, text: &str) {
    let mut bytes = fs::read(path).unwrap();
    bytes.extend_from_slice(text.as_bytes());
    fs::write(path, bytes).unwrap();
}

#[test]
fn json_equals_the_seed_figures_cell_by_cell() {
    let seed = seed_figures();
    let ours = report_json(&example());
    let mut compared = 0;
    for (table_id, seed_table) in seed["tables"].as_object().unwrap() {
        let table = &ours["tables"][table_id];
        assert!(table.is_object(), "table {table_id} is missing");
        assert_eq!(
            table["columns"], seed_table["columns"],
            "columns of {table_id}"
        );
        let our_rows = table["rows"].as_array().unwrap();
        for (i, seed_row) in seed_table["rows"].as_array().unwrap().iter().enumerate() {
            let key = seed_row["key"].as_str().unwrap();
            let row = our_rows
                .iter()
                .find(|r| r["key"] == key)
                .unwrap_or_else(|| panic!("{table_id}: row {key} is missing"));
            // Our staff table has more rows (the age bands); elsewhere the order is the seed's.
            if table_id != "personal" {
                assert_eq!(
                    our_rows.iter().position(|r| r["key"] == key),
                    Some(i),
                    "{table_id}: row {key} is in the seed's place"
                );
            }
            if table_id != "personal" {
                assert_eq!(row["label"], seed_row["label"], "{table_id}.{key} label");
            }
            let seed_values = seed_row["values"].as_array().unwrap();
            let values = row["values"].as_array().unwrap();
            assert_eq!(values.len(), seed_values.len(), "{table_id}.{key}");
            for (c, (ours, theirs)) in values.iter().zip(seed_values).enumerate() {
                let (a, b) = (hundredths(ours), hundredths(theirs));
                let tolerance = if table_id == "resultat_netto" { 100 } else { 0 };
                match (a, b) {
                    (Some(a), Some(b)) => assert!(
                        (a - b).abs() <= tolerance,
                        "{table_id}.{key} column {c}: ours {ours}, seed {theirs}"
                    ),
                    (None, None) => {}
                    _ => panic!("{table_id}.{key} column {c}: ours {ours}, seed {theirs}"),
                }
                compared += 1;
            }
        }
    }
    for (name, value) in seed["text_figures"].as_object().unwrap() {
        assert_eq!(
            hundredths(&ours["text_figures"][name]),
            hundredths(value),
            "text figure {name}"
        );
        compared += 1;
    }
    assert!(compared > 90, "compared only {compared} figures");
}

#[test]
fn the_municipality_split_adds_up_to_the_income_statement() {
    let ours = report_json(&example());
    let all = cells(&ours);
    for col in ["utfall_fg", "utfall", "budget", "prognos", "avvikelse"] {
        let get = |t: &str, r: &str| {
            all[&(t.to_string(), r.to_string(), col.to_string())].unwrap_or_default()
        };
        assert_eq!(
            get("resultat_netto", "herrljunga") + get("resultat_netto", "vargarda"),
            get("resultat_netto", "summa_verksamhet"),
            "{col}"
        );
        assert_eq!(
            get("resultat_netto", "summa_verksamhet"),
            get("resultatrakning", "summa_nettokostnader"),
            "{col}"
        );
    }
}

#[test]
fn independent_rounding_shows_the_seeds_rounding_difference() {
    let out = delar(&[
        "report",
        example().to_str().unwrap(),
        "--json",
        "--rounding",
        "independent",
    ]);
    assert!(out.status.success());
    let ours: Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = cells(&ours);
    let get = |t: &str, r: &str, c: &str| all[&(t.into(), r.into(), c.into())].unwrap() / 100;
    // The seed rounds each municipality on its own: 7 712 + 9 866 = 17 578 ≠ 17 579.
    assert_eq!(get("resultat_netto", "herrljunga", "utfall"), 7712);
    assert_eq!(get("resultat_netto", "vargarda", "utfall"), 9866);
    assert_eq!(
        get("resultatrakning", "summa_nettokostnader", "utfall"),
        17579
    );
}

#[test]
fn one_added_voucher_changes_exactly_the_cells_it_should() {
    let before = cells(&report_json(&example()));
    let dir = example_copy();
    // 100 000,00 kr of salary on a Herrljunga-specific ansvar in March 2023.
    append(
        &dir.path().join("huvudbok/huvudbok-2023.se"),
        "#VER A 9999 20230315 \"Rättelse lön\"\r\n{\r\n   #TRANS 5011 {1 \"8520\"} 100000.00\r\n   #TRANS 2710 {} -100000.00\r\n}\r\n",
    );
    let after = cells(&report_json(dir.path()));
    let mut changed = BTreeMap::new();
    for (cell, value) in &after {
        let old = before.get(cell).copied().flatten();
        if *value != old {
            changed.insert(
                format!("{}.{}.{}", cell.0, cell.1, cell.2),
                value.unwrap_or(0) / 100 - old.unwrap_or(0) / 100,
            );
        }
    }
    let expected: BTreeMap<String, i64> = [
        ("resultatrakning.personalkostnader.utfall", 100),
        ("resultatrakning.summa_kostnader.utfall", 100),
        ("resultatrakning.summa_nettokostnader.utfall", 100),
        ("resultatrakning.resultat.utfall", -100),
        ("resultat_netto.herrljunga.utfall", 100),
        ("resultat_netto.summa_verksamhet.utfall", 100),
        ("text_figures.sammanfattning_resultat_tkr.", -100),
        ("text_figures.tjansteskrivelse_avvikelse_tkr.", -100),
        ("text_figures.nettokostnad_utfall_tkr.", 100),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    // Text figures the engine adds later may also move; the tables must match exactly.
    let tables_only = |m: &BTreeMap<String, i64>| -> BTreeMap<String, i64> {
        m.iter()
            .filter(|(k, _)| !k.starts_with("text_figures."))
            .map(|(k, v)| (k.clone(), *v))
            .collect()
    };
    assert_eq!(tables_only(&changed), tables_only(&expected));
    for (k, v) in &expected {
        if k.starts_with("text_figures.") && after.contains_key(&split(k)) {
            assert_eq!(changed.get(k), Some(v), "{k}");
        }
    }
}

fn split(key: &str) -> (String, String, String) {
    let mut parts = key.splitn(3, '.');
    (
        parts.next().unwrap().to_string(),
        parts.next().unwrap().to_string(),
        parts.next().unwrap_or("").to_string(),
    )
}

#[test]
fn an_unmapped_account_fails_with_its_number() {
    let dir = example_copy();
    let ledger = dir.path().join("huvudbok/huvudbok-2023.se");
    append(
        &ledger,
        "#VER A 9998 20230420 \"Felkontering\"\r\n{\r\n   #TRANS 8910 {1 \"8510\"} 1234.50\r\n   #TRANS 2440 {} -1234.50\r\n}\r\n",
    );
    // Declare the account so that the only problem is the mapping.
    let bytes = fs::read(&ledger).unwrap();
    let text = String::from_utf8_lossy(&bytes).replacen(
        "#DIM 1 ",
        "#KONTO 8910 \"Skatt på årets resultat\"\r\n#DIM 1 ",
        1,
    );
    assert!(text.contains("#KONTO 8910"));
    fs::write(&ledger, text.as_bytes()).unwrap();
    let out = delar(&["report", dir.path().to_str().unwrap(), "--out", "unused"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("8910"), "{stderr}");
    assert!(stderr.contains("1 234,50"), "{stderr}");
    assert!(!dir.path().join("unused").exists(), "nothing is written");

    let out = delar(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("8910"), "{stdout}");
}

#[test]
fn a_small_staff_group_is_not_shown() {
    let dir = example_copy();
    let path = dir.path().join("personal/anstallningar.csv");
    let text = fs::read_to_string(&path).unwrap();
    // Keep ten women; the rest become men.
    let mut women = 0;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let mut f: Vec<&str> = line.split(';').collect();
            if f.get(1) == Some(&"K") {
                women += 1;
                if women > 10 {
                    f[1] = "M";
                }
            }
            f.join(";")
        })
        .collect();
    assert!(women > 10, "the example has more than ten women");
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    let report = report_json(dir.path());
    let rows = report["tables"]["personal"]["rows"].as_array().unwrap();
    let row = |key: &str| rows.iter().find(|r| r["key"] == key).unwrap().clone();
    for key in ["sjukfranvaro_kvinnor", "langtid_kvinnor"] {
        let r = row(key);
        assert!(r["values"][0].is_null(), "{key} must not be shown: {r}");
        let reason = r["suppressed"]["varde"].as_str().unwrap();
        assert!(reason.contains("tio eller färre"), "{reason}");
    }
    assert!(row("sjukfranvaro_man")["values"][0].is_number());
    assert!(row("sjukfranvaro_total")["values"][0].is_number());
}

#[test]
fn same_input_gives_the_same_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        let out = delar(&[
            "report",
            example().to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for name in [
        "report.html",
        "report.md",
        "report.json",
        "report.pdf",
        "report.xlsx",
        "tjansteskrivelse.html",
        "tjansteskrivelse.md",
        "tjansteskrivelse.pdf",
    ] {
        let x = fs::read(a.path().join(name)).unwrap();
        let y = fs::read(b.path().join(name)).unwrap();
        assert!(!x.is_empty(), "{name} is empty");
        assert!(x == y, "{name} differs between two runs");
    }
}

#[test]
fn a_missing_source_names_the_file() {
    let dir = example_copy();
    fs::remove_file(dir.path().join("prognos/prognos-2023.csv")).unwrap();
    let out = delar(&["report", dir.path().to_str().unwrap(), "--out", "unused"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("prognos/prognos-2023.csv"), "{stderr}");
}

#[test]
fn a_malformed_csv_cell_names_file_line_and_column() {
    let dir = example_copy();
    let path = dir.path().join("budget/budget-2023.csv");
    let text = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    // Line 3 gets an amount with three decimals.
    lines[2] = "3451;8510;12,345".to_string();
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    let out = delar(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("budget/budget-2023.csv:3"), "{stderr}");
    assert!(stderr.contains("belopp"), "{stderr}");
}

#[test]
fn a_started_package_checks_clean_and_reports() {
    // (flags, the organisation line the cover must have, one it must not have)
    let forms: [(&[&str], &str, &str); 2] = [
        (&[], "Kommun A", "Gemensam nämnd"),
        (
            &["--gemensam"],
            "Gemensam nämnd för Kommun A och Kommun B",
            "Kommun A kommun",
        ),
    ];
    for (flags, wording, not_wording) in forms {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("nytt");
        let mut args = vec!["init"];
        args.extend_from_slice(flags);
        args.push(pkg.to_str().unwrap());
        let out = delar(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = delar(&["check", pkg.to_str().unwrap()]);
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(out.status.success(), "{stdout}");
        assert!(
            stdout.contains(", 0 varningar, 0 fel"),
            "{flags:?}: delar check warns:\n{stdout}"
        );
        let out_dir = dir.path().join("ut");
        let out = delar(&[
            "report",
            pkg.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
            "--format",
            "html,md",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out_dir.join("report.html").is_file());
        assert!(!out_dir.join("report.json").exists());
        let md = std::fs::read_to_string(out_dir.join("report.md")).unwrap();
        assert!(md.contains(wording), "{flags:?}: {wording} missing");
        assert!(!md.contains(not_wording), "{flags:?}: {not_wording} found");
        assert!(!md.contains("kommun kommun"), "{flags:?}");
        // No heading is directly followed by another heading of the same or a higher
        // level (a section without content).
        let headings: Vec<(usize, usize)> = md
            .lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with('#'))
            .map(|(i, l)| (i, l.chars().take_while(|c| *c == '#').count()))
            .collect();
        for pair in headings.windows(2) {
            let ((a, la), (b, lb)) = (pair[0], pair[1]);
            let between = md
                .lines()
                .skip(a + 1)
                .take(b - a - 1)
                .any(|l| !l.trim().is_empty());
            assert!(
                between || lb > la,
                "{flags:?}: empty heading at line {}",
                a + 1
            );
        }
        // init refuses to write over a package.
        let again = delar(&["init", pkg.to_str().unwrap()]);
        assert_eq!(again.status.code(), Some(2));
    }
}
