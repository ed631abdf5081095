//! Staff figures by the rules of the law: groups of ten or fewer are not shown, nor a
//! long-term figure that stems from one person; exact percentages, half up or truncated.

mod common;

use common::{dump, edit, package, table};
use delar_core::report::Cell;
use delar_core::{build_report, MemoryFiles, Options};

/// `women` women born 1980 (1000 h, full time); men m1..m12: m10 and m11 at 50 % (500 h),
/// m12 born 1960, the rest born 1985.
fn employments(women: usize) -> String {
    let mut s = String::from("id;kon;fodelsear;ordinarie_timmar;sysselsattningsgrad\n");
    for i in 1..=women {
        s.push_str(&format!("w{i};K;1980;1000;100\n"));
    }
    for i in 1..=12 {
        let (year, hours, rate) = match i {
            10 | 11 => (1985, "500", "50"),
            12 => (1960, "1000", "100"),
            _ => (1985, "1000", "100"),
        };
        s.push_str(&format!("m{i};M;{year};{hours};{rate}\n"));
    }
    s
}

fn with_staff(women: usize, spells: &str, rounding: &str) -> MemoryFiles {
    let files = package()
        .with("personal/anstallningar.csv", employments(women))
        .with(
            "personal/sjukfall.csv",
            format!("id;forsta_dag;sista_dag;sjuktimmar\n{spells}"),
        );
    edit(
        files,
        "delar.toml",
        "for_information = [\"Revisorerna\"]",
        &format!("for_information = [\"Revisorerna\"]\npercent_rounding = \"{rounding}\""),
    )
}

/// Builds the package and dumps the `personal` table.
fn check(files: MemoryFiles, expect: &str) {
    let r = build_report(&files, &Options::default()).expect("builds");
    assert_eq!(dump(table(&r, "personal")), expect);
}

const ONE_LONG: &str = "w1;2023-02-01;2023-02-03;24
m1;2023-01-01;2023-03-31;400
m2;2023-05-02;2023-05-03;10
";

#[test]
fn long_term_from_one_person_is_suppressed() {
    // total 434/23000 = 1,8869 %; women 24/12000 = 0,20 %; men 410/11000 = 3,7272 %;
    // 30–49: 434/22000 = 1,9727 %; ≤29 has nobody and ≥50 one man: not shown.
    // Long-term: only m1, so total and men are not shown; women 0 of 24 h.
    // Full time: women 12000 / 22000 = 54,5454 %, men 10000 / 22000 = 45,4545 %.
    check(
        with_staff(12, ONE_LONG, "half_up"),
        "sjukfranvaro_total: 1,89
sjukfranvaro_kvinnor: 0,20
sjukfranvaro_man: 3,73
sjukfranvaro_29: x
sjukfranvaro_30_49: 1,97
sjukfranvaro_50: x
langtid_total: x
langtid_kvinnor: 0,00
langtid_man: x
heltid_kvinnor: 54,55
heltid_man: 45,45
",
    );
    let r = build_report(&with_staff(12, ONE_LONG, "half_up"), &Options::default()).unwrap();
    let t = table(&r, "personal");
    assert_eq!(
        t.row("langtid_man").unwrap().cells[0],
        Cell::Suppressed {
            reason: "Redovisas inte: långtidssjukfrånvaron kommer från en enda person".into()
        }
    );
    assert_eq!(
        t.row("sjukfranvaro_50").unwrap().cells[0],
        Cell::Suppressed {
            reason: "Redovisas inte: gruppen har tio eller färre anställda".into()
        }
    );
}

#[test]
fn truncation_cuts_instead_of_rounding() {
    check(
        with_staff(12, ONE_LONG, "truncate"),
        "sjukfranvaro_total: 1,88
sjukfranvaro_kvinnor: 0,20
sjukfranvaro_man: 3,72
sjukfranvaro_29: x
sjukfranvaro_30_49: 1,97
sjukfranvaro_50: x
langtid_total: x
langtid_kvinnor: 0,00
langtid_man: x
heltid_kvinnor: 54,54
heltid_man: 45,45
",
    );
}

#[test]
fn two_long_term_persons_are_shown_and_days_before_the_period_count() {
    // m3: 2022-12-01..2023-02-15 is 77 days (long-term, though only 46 fall in 2023);
    // m4: 2023-01-01..2023-02-28 is 59 days (not long-term).
    let spells = format!("{ONE_LONG}m3;2022-12-01;2023-02-15;100\nm4;2023-01-01;2023-02-28;50\n");
    // men sick 560/11000 = 5,0909 %; total 584/23000 = 2,5391 %; 30–49 584/22000 = 2,6545 %;
    // long-term 500 h: of all 584 h = 85,616 %, of men's 560 h = 89,2857 %.
    check(
        with_staff(12, &spells, "half_up"),
        "sjukfranvaro_total: 2,54
sjukfranvaro_kvinnor: 0,20
sjukfranvaro_man: 5,09
sjukfranvaro_29: x
sjukfranvaro_30_49: 2,65
sjukfranvaro_50: x
langtid_total: 85,62
langtid_kvinnor: 0,00
langtid_man: 89,29
heltid_kvinnor: 54,55
heltid_man: 45,45
",
    );
}

#[test]
fn group_of_ten_is_suppressed_and_eleven_shown() {
    let r = build_report(&with_staff(10, ONE_LONG, "half_up"), &Options::default()).unwrap();
    let t = table(&r, "personal");
    assert!(matches!(
        t.row("sjukfranvaro_kvinnor").unwrap().cells[0],
        Cell::Suppressed { .. }
    ));
    assert!(matches!(
        t.row("langtid_kvinnor").unwrap().cells[0],
        Cell::Suppressed { .. }
    ));
    let r = build_report(&with_staff(11, ONE_LONG, "half_up"), &Options::default()).unwrap();
    let t = table(&r, "personal");
    // 24 / 11000 = 0,2181 %.
    assert_eq!(
        t.row("sjukfranvaro_kvinnor").unwrap().cells[0],
        Cell::Percent {
            shown_hundredths: 22
        }
    );
}

#[test]
fn staff_checks() {
    let spells = format!("{ONE_LONG}x9;2023-01-10;2023-01-12;8\nm5;2023-09-01;2023-09-03;8\n");
    let files = with_staff(12, &spells, "half_up");
    let checks = delar_core::check_package(&files, &Options::default()).unwrap();
    let staff = checks.iter().find(|c| c.id == "staff_data").unwrap();
    assert_eq!(staff.status, delar_core::report::CheckStatus::Fail);
    assert!(
        staff.figures[0]
            .1
            .contains("sjukfallets id x9 finns inte bland de anställda"),
        "{:?}",
        staff.figures
    );
    let period = checks
        .iter()
        .find(|c| c.id == "sick_spells_in_period")
        .unwrap();
    assert_eq!(period.status, delar_core::report::CheckStatus::Fail);
    assert_eq!(period.figures[0].1, "m5 2023-09-01–2023-09-03");
}

#[test]
fn more_sick_hours_than_ordinary_hours_fail() {
    let files = with_staff(12, "m10;2023-01-01;2023-03-31;500,01\n", "half_up");
    let checks = delar_core::check_package(&files, &Options::default()).unwrap();
    let staff = checks.iter().find(|c| c.id == "staff_data").unwrap();
    assert_eq!(staff.status, delar_core::report::CheckStatus::Fail);
    assert_eq!(
        staff.figures[0].1,
        "personal/anstallningar.csv:23: anställd m10 har fler sjuktimmar (500,01) än ordinarie timmar (500)"
    );
}
