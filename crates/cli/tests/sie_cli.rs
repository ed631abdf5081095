//! `delar sie …` end to end: the built binary on corpus files, with golden outputs
//! (`UPDATE_EXPECT=1 cargo test -p delar-cli --test sie_cli` rewrites them).

use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/sie-corpus"
    ))
}

fn golden_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/sie"))
}

/// The SIE files in the exporters' forms of corrected vouchers (`delar-sie`'s tests).
fn corrections() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../sie/tests/data/corrections"
    ))
}

/// Runs `delar` in the corpus folder; returns (exit code, stdout, stderr).
fn delar(args: &[&str]) -> (i32, String, String) {
    delar_in(&corpus(), args)
}

/// Runs `delar` in `dir`; returns (exit code, stdout, stderr).
fn delar_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_delar"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run delar");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

fn golden(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden {}; run with UPDATE_EXPECT=1",
            path.display()
        )
    });
    assert_eq!(
        actual, expected,
        "golden {name} differs (UPDATE_EXPECT=1 rewrites)"
    );
}

#[test]
fn check_reports_summary_and_diagnostics() {
    let (code, out, _) = delar(&[
        "sie",
        "check",
        "Sie1.se",
        "transaktioner_ovnbolag-bad-balance.se",
        "BokSald.SE",
        "XE_SIE_3_20151125094952.SE",
        "Sie4.se",
    ]);
    assert_eq!(code, 1);
    golden("check.txt", &out);
}

#[test]
fn check_exit_status() {
    let (code, out, _) = delar(&[
        "sie",
        "check",
        "Sie1.se",
        "typ4.se",
        "SIE4_Exempelfil_med_underdim.SE",
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.lines().filter(|l| l.ends_with("giltig")).count(),
        3,
        "{out}"
    );
    assert!(out.contains("utf-8"));
    let (code, out, _) = delar(&["sie", "check", "--lenient", "XE_SIE_4_20151125095119.SE"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(
        "XE_SIE_4_20151125095119.SE:1356:1: warning: verifikation 1 1 (rad 1356) balanserar inte"
    ));
    let (code, out, _) = delar(&["sie", "check", "XE_SIE_4_20151125095119.SE"]);
    assert_eq!(code, 1);
    assert!(out.contains(":1356:1: error: verifikation 1 1"));
    let (code, out, _) = delar(&["sie", "check", "no-such-file.se"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("no-such-file.se:0:0: error: kan inte öppna"),
        "{out}"
    );
}

/// The rows without object of a balances CSV (after the two header lines).
fn totals(csv: &str) -> Vec<String> {
    csv.lines()
        .skip(2)
        .filter(|l| l.split(',').nth(2) == Some(""))
        .filter(|l| !l.ends_with(",0.00"))
        .map(str::to_string)
        .collect()
}

#[test]
fn balances_of_type_4_and_type_2_of_the_same_books_agree() {
    let (code, t4, err) = delar(&["sie", "balances", "transaktioner_ovnbolag.se"]);
    assert_eq!(code, 0, "{err}");
    assert!(t4.starts_with("# källa: #TRANS"));
    let (code, t2, _) = delar(&["sie", "balances", "periodsaldo_ovnbolag.se", "--year", "0"]);
    assert_eq!(code, 0);
    assert!(t2.starts_with("# källa: #PSALDO"));
    assert_eq!(t2.lines().nth(1), Some("account,period,object,amount"));
    let (a, b) = (totals(&t4), totals(&t2));
    assert!(a.len() > 50);
    assert_eq!(a, b);
    golden("balances-transaktioner.csv", &t4);
}

#[test]
fn balances_year_balances_and_json() {
    let (code, out, _) = delar(&["sie", "balances", "arsaldo_ovnbolag.se", "--year", "-1"]);
    assert_eq!(code, 0);
    golden("balances-arsaldo-prior.csv", &out);
    assert!(out.starts_with("# källa: #RES och #UB"));
    let (code, out, _) = delar(&[
        "sie",
        "balances",
        "objektsaldo_ovnbolag.se",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["source"], "PSALDO");
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["object"] != ""));
    assert!(rows
        .iter()
        .all(|r| r["amount"].as_str().unwrap().contains('.')));
    // An invalid file stops with the diagnostics on stderr.
    let (code, out, err) = delar(&["sie", "balances", "transaktioner_ovnbolag-bad-balance.se"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains(":3905:1: error: verifikation B 1"));
}

#[test]
fn convert_to_4_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let out4 = dir.path().join("ut.se");
    let (code, _, err) = delar(&[
        "sie",
        "convert",
        "SIE4_Exempelfil_med_underdim.SE",
        "--to",
        "4",
        "--out",
        out4.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&out4).unwrap();
    assert!(bytes.ends_with(b"\r\n"));
    let (code, out, _) = delar(&["sie", "check", out4.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("SIE typ 4"));
    assert!(
        out.contains("295 verifikationer (varav 0 rättade med #RTRANS/#BTRANS), 1330 rader"),
        "{out}"
    );
    let a = delar_sie::parse(&bytes, &delar_sie::ParseOptions::new("a"));
    assert_eq!(a.encoding, delar_sie::Encoding::Cp437);
    assert!(a.file.checksum.is_some());

    let outj = dir.path().join("ut.json");
    let (code, _, _) = delar(&[
        "sie",
        "convert",
        "Sie4.se",
        "--to",
        "json",
        "--out",
        outj.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&outj).unwrap()).unwrap();
    assert_eq!(v["file"]["vouchers"].as_array().unwrap().len(), 70);
    assert_eq!(v["encoding"], "cp437");

    // An invalid file writes nothing.
    let bad = dir.path().join("bad.se");
    let (code, _, err) = delar(&[
        "sie",
        "convert",
        "BokSald.SE",
        "--to",
        "4",
        "--out",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("ingen SIE-fil"));
    assert!(!Path::new(&bad).exists());
    let only: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(only.len(), 2, "no temporary files left behind");
}

#[test]
fn output_cut_short_by_the_reader_is_not_an_error() {
    // `delar sie balances FILE | head -1`: the pipe closes after the first line.
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    // Far more output than a pipe holds, so that writing fails once the reader is gone.
    // Accounts declared, so that no warnings fill the unread stderr pipe.
    let mut text = String::from("#FLAGGA 0\n#SIETYP 4\n#RAR 0 20230101 20231231\n");
    text.push_str("#KONTO 1910 Kassa\n");
    for k in 0..20_000 {
        text.push_str(&format!("#KONTO {} Konto\n", 10_000 + k));
    }
    for k in 0..20_000 {
        text.push_str(&format!(
            "#VER A {k} 202301{:02}\n{{\n#TRANS {} {{}} 1.00\n#TRANS 1910 {{}} -1.00\n}}\n",
            k % 28 + 1,
            10_000 + k
        ));
    }
    let dir = std::env::temp_dir().join(format!("delar-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("stor.se");
    std::fs::write(&file, text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_delar"))
        .args(["sie", "balances", file.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("# källa:"), "{first}");
    let out = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{:?}", out.status);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("delar: fel"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn help_and_usage_errors_are_swedish() {
    let (code, out, _) = delar(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Användning: delar <KOMMANDO>"), "{out}");
    assert!(
        out.contains("Kommandon:") && out.contains("Flaggor:"),
        "{out}"
    );
    assert!(
        out.contains("Läs, kontrollera och konvertera SIE-filer"),
        "{out}"
    );
    let (code, out, _) = delar(&["sie", "balances", "--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Argument:") && out.contains("Årsnummer"),
        "{out}"
    );
    // A usage error: exit status 2, what is wrong, the usage line.
    let (code, _, err) = delar(&["sie", "check"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("delar: fel: obligatoriskt argument saknas: <FILER>"),
        "{err}"
    );
    assert!(err.contains("Användning: delar sie check"), "{err}");
    let (code, _, err) = delar(&["sie", "balances", "x.se", "--format", "xml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("ogiltigt värde 'xml'") && err.contains("csv, json"),
        "{err}"
    );
    let (code, _, err) = delar(&["--bogus"]);
    assert_eq!(code, 2);
    assert!(err.contains("okänt argument '--bogus'"), "{err}");
}

#[test]
fn corrected_vouchers_pass_check_and_balance_as_the_files_say() {
    // Fortnox writes the signature on the #RTRANS only; BL Administration the change's date
    // on it and the voucher's date on the copy. Both are valid, and say how many vouchers
    // were corrected.
    let (code, out, _) = delar_in(
        &corrections(),
        &["sie", "check", "fortnox.se", "bl.se", "identical.se"],
    );
    assert_eq!(code, 0, "{out}");
    golden("check-corrections.txt", &out);
    assert!(out.contains("3 verifikationer (varav 2 rättade med #RTRANS/#BTRANS)"));
    // The balances per account and month equal the file's own #PSALDO records.
    for file in ["fortnox.se", "bl.se"] {
        let (code, csv, err) = delar_in(&corrections(), &["sie", "balances", file]);
        assert_eq!(code, 0, "{err}");
        let text = std::fs::read_to_string(corrections().join(file)).unwrap();
        let mut expected: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("#PSALDO 0 "))
            .map(|rest| {
                let (period, rest) = rest.split_once(' ').unwrap();
                let (account, rest) = rest.split_once(' ').unwrap();
                let (list, amount) = rest.rsplit_once("} ").unwrap();
                let object = list
                    .trim_start_matches('{')
                    .split_whitespace()
                    .map(|s| s.trim_matches('"'))
                    .collect::<Vec<_>>()
                    .join(":");
                let ore = delar_sie::Amount::parse(amount.as_bytes()).unwrap();
                format!("{account},{period},{object},{ore}")
            })
            .collect();
        expected.sort();
        let mut got: Vec<String> = csv.lines().skip(2).map(str::to_string).collect();
        got.sort();
        assert_eq!(got, expected, "{file}");
    }
    let (code, csv, _) = delar(&["sie", "balances", "BL0001_typ4.SE"]);
    assert_eq!(code, 0);
    assert!(csv.lines().any(|l| l == "1920,201001,,1000.00"), "{csv}");
}

#[test]
fn check_of_a_large_file_reports_problems_where_they_are() {
    // Over 4 MiB of vouchers: `sie check` reads it on several threads. A duplicate number,
    // an unbalanced voucher and an undeclared account late in the file are reported at
    // their lines, as a read in order reports them.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "#FLAGGA 0\n#PROGRAM \"Test\" 1\n#FORMAT PC8\n#SIETYP 4\n#RAR 0 20230101 20231231\n\
         #KONTO 1930 \"Bank\"\n#KONTO 4010 \"Inköp\"\n",
    );
    let mut line = 7;
    for k in 1..=120_000 {
        text.push_str(&format!(
            "#VER A {k} 20230301 \"Inköp {k}\"\n{{\n#TRANS 4010 {{}} {k}.00\n#TRANS 1930 {{}} -{k}.00\n}}\n"
        ));
        line += 5;
    }
    assert!(text.len() > 5 << 20);
    text.push_str("#VER A 7 20230301\n{\n#TRANS 7010 {} 1\n}\n");
    let (dup, undeclared) = (line + 1, line + 3);
    std::fs::write(dir.path().join("stor.se"), text.as_bytes()).unwrap();
    let (code, out, _) = delar_in(dir.path(), &["sie", "check", "--lenient", "stor.se"]);
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[0].starts_with("stor.se: SIE typ 4, Test 1, utf-8: 2 konton, 120001 verifikationer (varav 0 rättade med #RTRANS/#BTRANS), 240001 rader"),
        "{out}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "stor.se:{dup}:8: warning: verifikationsnummer 7 förekommer två gånger i serie A"
        )),
        "{out}"
    );
    assert!(
        lines[2].starts_with(&format!(
            "stor.se:{dup}:1: warning: verifikation A 7 (rad {dup}) balanserar inte"
        )),
        "{out}"
    );
    assert!(
        lines[3].starts_with(&format!(
            "stor.se:{undeclared}:8: warning: konto 7010 används"
        )),
        "{out}"
    );
}
