//! Golden-file tests: the fixture report rendered as HTML, Markdown and JSON must match
//! the files under `tests/golden/` byte for byte. Run with `UPDATE_EXPECT=1` to rewrite
//! them after an intended change, then review the diff.

mod common;

use std::path::PathBuf;

use delar_render::{html, json, markdown};

/// Compares `actual` with the golden file, or rewrites it when `UPDATE_EXPECT=1`.
fn check(actual: &str, golden: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(golden);
    if std::env::var("UPDATE_EXPECT").as_deref() == Ok("1") {
        if let Err(e) = std::fs::write(&path, actual) {
            panic!("cannot write {}: {e}", path.display());
        }
        return;
    }
    let expected = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!(
            "cannot read {}: {e} (run with UPDATE_EXPECT=1 to create it)",
            path.display()
        ),
    };
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output at line {}:\n  golden: {:?}\n  actual: {:?}\n(run with UPDATE_EXPECT=1 to accept the new output)",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end of file>"),
            actual.lines().nth(line).unwrap_or("<end of output>"),
        );
    }
}

#[test]
fn report_html() {
    check(&html::report(&common::report()), "report.html");
}

#[test]
fn memo_html() {
    check(&html::memo(&common::report()), "memo.html");
}

#[test]
fn report_markdown() {
    check(&markdown::report(&common::report()), "report.md");
}

#[test]
fn memo_markdown() {
    check(&markdown::memo(&common::report()), "memo.md");
}

#[test]
fn report_json() {
    check(&json::to_string_pretty(&common::report()), "report.json");
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    let first = common::report();
    let second = first.clone();
    assert_eq!(html::report(&first), html::report(&second));
    assert_eq!(html::memo(&first), html::memo(&second));
    assert_eq!(markdown::report(&first), markdown::report(&second));
    assert_eq!(markdown::memo(&first), markdown::memo(&second));
    assert_eq!(
        json::to_string_pretty(&first),
        json::to_string_pretty(&second)
    );
    assert_eq!(json::report(&first), json::report(&second));
}
