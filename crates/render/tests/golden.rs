//! Golden-file tests: the fixture report rendered as HTML, Markdown and JSON must match
//! the files under `tests/golden/` byte for byte. Run with `UPDATE_EXPECT=1` to rewrite
//! them after an intended change, then review the diff.

mod common;

use common::check;
use delar_render::{html, json, markdown};

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
