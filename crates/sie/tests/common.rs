//! Shared helpers of the integration tests: the corpus and its PROVENANCE.md expectations.
#![allow(dead_code)]

use std::path::PathBuf;

/// The corpus folder (`../shared/sie-corpus` beside the workspace).
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/sie-corpus"
    ))
}

/// Every SIE candidate in the corpus (all files but Markdown), sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("the SIE corpus is missing at ../shared/sie-corpus")
        .map(|e| e.expect("readable corpus entry").path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "corpus looks empty: {files:?}");
    files
}

/// What PROVENANCE.md says a file must give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// Parses without error (the default for any file not listed).
    Valid,
    /// Rejected as "not a SIE file".
    NotSie,
    /// A voucher does not balance: series, number, line of #VER (when given), sum.
    Unbalanced {
        series: String,
        number: String,
        line: Option<u32>,
        sum: String,
    },
}

fn backticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect()
}

fn word_after<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let i = text.find(key)? + key.len();
    text[i..].split_whitespace().next()
}

/// Expected outcomes read from the table in PROVENANCE.md (files not listed are valid).
pub fn expectations() -> Vec<(String, Expected)> {
    let text = std::fs::read_to_string(corpus_dir().join("PROVENANCE.md"))
        .expect("PROVENANCE.md in the corpus");
    let mut out = Vec::new();
    for line in text.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 3 {
            continue;
        }
        let (files, outcome) = (backticked(cells[1]), cells[2]);
        let expected = if outcome.contains("not a SIE file") {
            Expected::NotSie
        } else if outcome.contains("does not balance") {
            let sum = word_after(outcome, "(sum ")
                .map(|s| s.trim_end_matches([')', ':', ',']).to_string())
                .expect("a sum in the PROVENANCE row");
            let (series, number) = if let Some(s) = word_after(outcome, "series ") {
                let n = word_after(outcome, "number ").expect("voucher number");
                (s.to_string(), n.to_string())
            } else {
                let mut w = outcome
                    .split("voucher ")
                    .nth(1)
                    .expect("voucher named")
                    .split_whitespace();
                (
                    w.next().expect("series").to_string(),
                    w.next().expect("number").to_string(),
                )
            };
            let line = word_after(outcome, "at line ").map(|s| {
                s.trim_end_matches([')', ':', ','])
                    .parse()
                    .expect("line number")
            });
            Expected::Unbalanced {
                series,
                number,
                line,
                sum,
            }
        } else {
            continue;
        };
        for f in files {
            out.push((f, expected.clone()));
        }
    }
    assert!(!out.is_empty(), "no expectations found in PROVENANCE.md");
    out
}

/// The expectation for a file name.
pub fn expected_for(name: &str, table: &[(String, Expected)]) -> Expected {
    table
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, e)| e.clone())
        .unwrap_or(Expected::Valid)
}

#[test]
fn provenance_lists_expected_failures() {
    let t = expectations();
    for (n, e) in &t {
        eprintln!("{n}: {e:?}");
    }
    assert!(t.iter().filter(|(_, e)| *e == Expected::NotSie).count() >= 9);
    assert!(
        t.iter()
            .filter(|(_, e)| matches!(e, Expected::Unbalanced { .. }))
            .count()
            >= 4
    );
}
