//! `delar.toml` errors: each case edits the small package's description and expects the
//! exact message (data-driven, one `check` helper).

mod common;

use common::{edit, package};
use delar_core::{build_report, Options};

/// Applies `(from, to)` to delar.toml and expects `expect` as the error message.
fn check(from: &str, to: &str, expect: &str) {
    let files = edit(package(), "delar.toml", from, to);
    let err = build_report(&files, &Options::default())
        .err()
        .unwrap_or_else(|| panic!("no error for {to:?}"));
    assert_eq!(err.to_string(), expect, "edit {from:?} → {to:?}");
}

#[test]
fn unknown_key_is_an_error_with_line() {
    check(
        "through_month = 8",
        "through_month = 8\nthrough_mnth = 8",
        "delar.toml:6:1: okänd nyckel `through_mnth`, kända: `committee`, `year`, `through_month`, `memo_date`, `author`, `author_title`, `decision`, `distribution`, `for_information`, `percent_rounding`, `organisation`, `name`, `tables`",
    );
}

#[test]
fn period_outside_the_year() {
    check(
        "through_month = 8",
        "through_month = 13",
        "delar.toml: report.through_month = 13 ligger utanför året (1–12)",
    );
    check(
        "memo_date = \"2023-09-01\"",
        "memo_date = \"2023-09-31\"",
        "delar.toml: report.memo_date = \"2023-09-31\" är inget giltigt datum (ÅÅÅÅ-MM-DD)",
    );
}

#[test]
fn unknown_municipality_lists_the_known_ones() {
    check(
        "municipality = \"vargarda\"",
        "municipality = \"vargårda\"",
        "delar.toml: allocation.specific: okänd kommun \"vargårda\" (kända: herrljunga, vargarda)",
    );
    check(
        "shares = { herrljunga = \"45.00\", vargarda = \"55.00\" }",
        "shares = { herrljunga = \"45.00\", alingsas = \"55.00\" }",
        "delar.toml: allocation.key \"gemensam\": okänd kommun \"alingsas\" (kända: herrljunga, vargarda)",
    );
}

#[test]
fn unknown_allocation_key_lists_the_known_ones() {
    check(
        "key = \"kapital\"",
        "key = \"kapitel\"",
        "delar.toml: row \"kapitalkostnad\": okänd fördelningsnyckel \"kapitel\" (kända: gemensam, kapital)",
    );
    check(
        "default_key = \"gemensam\"",
        "default_key = \"gem\"",
        "delar.toml: allocation.default_key: okänd fördelningsnyckel \"gem\" (kända: gemensam, kapital)",
    );
}

#[test]
fn shares_sum_to_exactly_100() {
    check(
        "shares = { herrljunga = \"47.78\", vargarda = \"52.22\" }",
        "shares = { herrljunga = \"47.78\", vargarda = \"52.21\" }",
        "delar.toml: allocation.key \"kapital\": andelarna summerar till 99,99 procent, inte exakt 100",
    );
    check(
        "shares = { herrljunga = \"47.78\", vargarda = \"52.22\" }",
        "shares = { herrljunga = \"47.779999\", vargarda = \"52.220002\" }",
        "delar.toml: allocation.key \"kapital\": andelarna summerar till 100,000001 procent, inte exakt 100",
    );
    check(
        "shares = { herrljunga = \"47.78\", vargarda = \"52.22\" }",
        "shares = { herrljunga = \"47.78\" }",
        "delar.toml: allocation.key \"kapital\" saknar andel för vargarda",
    );
}

#[test]
fn exactly_one_host() {
    check(
        "name = \"Vårgårda\"",
        "name = \"Vårgårda\"\nhost = true",
        "delar.toml: exakt en kommun ska vara huvudman (host = true); nu är det 2 (herrljunga, vargarda)",
    );
    check(
        "host = true",
        "host = false",
        "delar.toml: exakt en kommun ska vara huvudman (host = true); nu är det 0 ()",
    );
}

#[test]
fn account_range_syntax_names_the_range() {
    check(
        "accounts = [\"5000-5999\"]",
        "accounts = [\"5000-49999\", \"5999-5000\"]",
        "delar.toml: row \"personalkostnader\": kontointervallet \"5999-5000\" är felskrivet (skriv t.ex. \"5000-5999\" eller \"3990\")",
    );
    check(
        "accounts = [\"5000-5999\"]",
        "accounts = [\"50OO-5999\"]",
        "delar.toml: row \"personalkostnader\": kontointervallet \"50OO-5999\" är felskrivet (skriv t.ex. \"5000-5999\" eller \"3990\")",
    );
}

#[test]
fn missing_or_misnamed_file_names_the_path() {
    check(
        "file = \"prognos.csv\"",
        "file = \"prognoser.csv\"",
        "prognoser.csv: filen saknas (sökvägen anges i delar.toml eller är delar.toml själv)",
    );
    let mut files = package();
    files.files.remove("delar.toml");
    let err = build_report(&files, &Options::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "delar.toml: filen saknas (sökvägen anges i delar.toml eller är delar.toml själv)"
    );
}

#[test]
fn exactly_one_contribution_row() {
    check(
        "kind = \"contribution\"",
        "kind = \"income\"",
        "delar.toml: exakt en rad ska ha kind = \"contribution\" (kommunbidrag); nu är det 0",
    );
}

#[test]
fn forecast_row_must_exist() {
    let files = edit(package(), "prognos.csv", "ovriga_kostnader;", "ovriga;");
    let err = build_report(&files, &Options::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "prognos.csv:5: kolumn \"rad\": okänd rad \"ovriga\" (kända: intakter, personalkostnader, lokalkostnader, ovriga_kostnader, kapitalkostnad, kommunbidrag)"
    );
}

#[test]
fn csv_amount_with_three_decimals() {
    let files = edit(
        package(),
        "budget/budget.csv",
        "4010;8530;4000",
        "4010;8530;4000,005",
    );
    let err = build_report(&files, &Options::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "budget/budget.csv:5: kolumn \"belopp\": \"4000,005\" har fler än 2 decimaler"
    );
}

#[test]
fn goal_template_error_names_the_line_in_the_goals_file() {
    let goals = "[[goal]]\ntitle = \"A\"\ntext = \"\"\"\nRad ett\n{{ rr.saknas.utfall }}\n\"\"\"\n";
    let files = package().with("mal.toml", goals);
    let err = build_report(&files, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("mal.toml:5: mallfel:"), "{err}");
    let files = package().with("mal.toml", "[[goal]]\ntitel = \"A\"\n");
    let err = build_report(&files, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("mal.toml:2:1: okänd nyckel `titel`"),
        "{err}"
    );
}

#[test]
fn decision_template_error_names_the_key() {
    let files = edit(
        package(),
        "delar.toml",
        "per {{ period.end }}",
        "per {{ period.slut }}",
    );
    let err = build_report(&files, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("delar.toml, report.decision: mallfel: "),
        "{err}"
    );
}
