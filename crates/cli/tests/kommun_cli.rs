//! `delar report` and `delar check` on the municipality example
//! (`examples/herrljunga-kommun-2023`): `--json` prints the consolidated table in the form
//! of a committee's tables, `--out` writes every committee's report in its own folder and
//! the consolidated one beside them.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kommun() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/herrljunga-kommun-2023")
}

fn delar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_delar"))
        .args(args)
        .output()
        .expect("run delar")
}

fn shown(table: &Value, row: &str, col: &str) -> i64 {
    let rows = table["rows"].as_array().unwrap();
    let r = rows.iter().find(|r| r["key"] == row).unwrap();
    let c = table["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c == col)
        .unwrap();
    r["values"][c]
        .as_i64()
        .unwrap_or_else(|| panic!("{row}.{col}: {r}"))
}

#[test]
fn json_prints_the_consolidated_table_like_a_committees_tables() {
    let out = delar(&["report", kommun().to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let table = &json["tables"]["driftredovisning"];
    let keys: Vec<&str> = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "servicenamnd_it",
            "kultur_fritid",
            "social",
            "bygg_miljo",
            "summa"
        ]
    );
    // The same shape as a committee's income statement in its own JSON.
    let alone = delar(&[
        "report",
        kommun().join("servicenamnd-it").to_str().unwrap(),
        "--json",
    ]);
    assert!(alone.status.success());
    let alone: Value = serde_json::from_slice(&alone.stdout).unwrap();
    let rr = &alone["tables"]["resultatrakning"];
    let fields = |v: &Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(fields(table), fields(rr));
    assert_eq!(table["columns"], rr["columns"]);
    for col in ["utfall_fg", "utfall", "budget", "prognos", "avvikelse"] {
        assert_eq!(
            shown(table, "servicenamnd_it", col),
            shown(rr, "summa_nettokostnader", col),
            "{col}"
        );
        let sum: i64 = keys[..4].iter().map(|k| shown(table, k, col)).sum();
        assert_eq!(shown(table, "summa", col), sum, "{col}");
    }
    let outside = json["coverage"][0]["outside_total_ore"].as_i64().unwrap();
    assert!(
        outside != 0,
        "the ledger has amounts outside every committee"
    );
}

#[test]
fn out_writes_each_committee_in_its_folder_and_the_consolidated_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ut");
    let run = delar(&[
        "report",
        kommun().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "md,json,memo",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for id in ["servicenamnd_it", "kultur_fritid", "social", "bygg_miljo"] {
        for file in ["report.md", "report.json", "tjansteskrivelse.md"] {
            assert!(out.join(id).join(file).is_file(), "{id}/{file}");
        }
    }
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("DRIFTREDOVISNING PER NÄMND (tkr)"));
    assert!(md.contains("utanför alla nämnders ansvar"));
    assert!(
        !out.join("tjansteskrivelse.md").exists(),
        "no memo for the municipality"
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("ok      kommun_huvudbok_fordelad"),
        "{stdout}"
    );
}

#[test]
fn check_runs_every_committees_checks_and_the_municipalitys() {
    let run = delar(&["check", kommun().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}");
    for line in [
        "ok      social/rows_claimed:",
        "ok      servicenamnd_it/budget_balanced:",
        "ok      kommun_samma_siffror:",
        "ok      kommun_huvudbok_fordelad:",
        "utanför alla nämnder: objekt 1900",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
}
