//! End to end: a small in-memory package (delar.toml, SIE 4 ledgers, CSV sources, goals,
//! texts) through `build_report`, compared table by table with hand-computed figures.

mod common;

use common::{dump, edit, package, table};
use delar_core::report::{Block, CheckStatus, Rounding};
use delar_core::{build_report, check_package, Options};

fn report(rounding: Rounding) -> delar_core::report::Report {
    let options = Options {
        rounding,
        ..Options::default()
    };
    build_report(&package(), &options).expect("the package builds")
}

#[test]
fn income_statement_adds_up() {
    let r = report(Rounding::AddsUp);
    let t = table(&r, "resultatrakning");
    let labels: Vec<&str> = t.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Utfall 202208",
            "Utfall 202308",
            "Budget 2023",
            "Prognos 2023",
            "Avvikelse helår"
        ]
    );
    assert_eq!(
        dump(t),
        "intakter: -8 -10 -15 -16 1
summa_intakter: -8 -10 -15 -16 1
personalkostnader: 15 26 37 37 0
lokalkostnader: - - - - -
ovriga_kostnader: 0 3 4 5 -1
kapitalkostnad: 0 4 6 6 0
summa_kostnader: 15 33 47 48 -1
summa_nettokostnader: 7 23 32 32 0
kommunbidrag: 6 30 32 32 -
resultat: -1 7 0 0 -
"
    );
}

#[test]
fn exact_ore_is_kept() {
    let r = report(Rounding::AddsUp);
    let t = table(&r, "resultatrakning");
    let cell = &t.row("kapitalkostnad").unwrap().cells[2];
    assert_eq!(
        cell,
        &delar_core::report::Cell::Amount {
            exact_ore: 550_000,
            shown_tkr: 6
        }
    );
    let kb = &t.row("kommunbidrag").unwrap().cells[1];
    assert_eq!(
        kb,
        &delar_core::report::Cell::Amount {
            exact_ore: 3_000_000,
            shown_tkr: 30
        }
    );
}

#[test]
fn municipality_split_sums_to_net_cost() {
    let r = report(Rounding::AddsUp);
    assert_eq!(
        dump(table(&r, "resultat_netto")),
        "herrljunga: 3 12 16 16 0
vargarda: 4 11 16 16 0
summa_verksamhet: 7 23 32 32 0
"
    );
    let notes = &table(&r, "resultat_netto").notes;
    assert!(notes[0].contains("Herrljungaspec"), "{notes:?}");
    assert!(notes[0].contains("Herrljunga 47,78 %"), "{notes:?}");
}

#[test]
fn independent_rounding_rounds_each_cell() {
    let r = report(Rounding::Independent);
    let t = table(&r, "resultat_netto");
    // Herrljunga budget 15 827,90 kr → 16, prognos 15 377,90 → 15, avvikelse 450 kr → 0:
    // each cell on its own, so 16 − 15 ≠ 0 as displayed (adds-up mode shows 16 16 0).
    assert_eq!(
        dump(t),
        "herrljunga: 3 12 16 15 0
vargarda: 4 11 16 16 0
summa_verksamhet: 7 23 32 32 0
"
    );
}

#[test]
fn budget_changes_and_investments() {
    let r = report(Rounding::AddsUp);
    let bf = table(&r, "budgetforandringar");
    assert_eq!(
        dump(bf),
        "lonerevidering_2023: 1\nforandring_kapitalkostnader: 1\ntotalt: 2\n"
    );
    assert_eq!(bf.rows[0].note.as_deref(), Some("avser löner april-dec"));
    assert_eq!(bf.rows[0].label, "Lönerevidering 2023");
    assert_eq!(
        dump(table(&r, "investeringar")),
        "reinvestering_it: 238 2350 0 2350 2350 0
summa_gemensam: 238 2350 0 2350 2350 0
ombyggnation_wifi: 0 0 400 400 400 0
summa_herrljunga: 0 0 400 400 400 0
summa_totalt: 238 2350 400 2750 2750 0
"
    );
}

#[test]
fn small_staff_groups_are_suppressed() {
    let r = report(Rounding::AddsUp);
    let t = table(&r, "personal");
    assert_eq!(
        dump(t),
        "sjukfranvaro_total: x
sjukfranvaro_kvinnor: x
sjukfranvaro_man: x
sjukfranvaro_29: x
sjukfranvaro_30_49: x
sjukfranvaro_50: x
langtid_total: x
langtid_kvinnor: x
langtid_man: x
heltid_kvinnor: 50,00
heltid_man: 50,00
"
    );
    match &t.rows[0].cells[0] {
        delar_core::report::Cell::Suppressed { reason } => {
            assert_eq!(
                reason,
                "Redovisas inte: gruppen har tio eller färre anställda"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn texts_memo_and_text_figures() {
    let r = report(Rounding::AddsUp);
    assert_eq!(
        r.memo.summary,
        "Testnämnden redovisar en positiv avvikelse från budget på 7 tkr per augusti.\n\nAvvikelsen beror på personalkostnader."
    );
    assert_eq!(
        r.memo.decision,
        "Nämnden godkänner upprättad delårsrapport per 2023-08-31."
    );
    assert_eq!(
        r.memo.basis,
        [
            "Tjänsteskrivelse i ärendet daterad 2023-09-01",
            "Delårsrapport 2023-08-31 Testnämnden."
        ]
    );
    assert_eq!(r.text_figures["tjansteskrivelse_avvikelse_tkr"], 7);
    assert_eq!(r.text_figures["sammanfattning_resultat_tkr"], 7);
    assert_eq!(r.text_figures["investeringar_utfall_tkr"], 238);
    assert_eq!(r.text_figures["investeringar_budget_tkr"], 2750);
    let ids: Vec<(&str, u8)> = r
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.level))
        .collect();
    // The package has no texts for Ansvar och uppdrag, Verksamhetsberättelse and
    // Planeringsförutsättningar: those sections are left out (and `text_files` warns).
    assert_eq!(
        ids,
        [
            ("sammanfattning", 1),
            ("mal", 1),
            ("personalredovisning", 1),
            ("ekonomi", 1),
            ("drift", 2),
            ("investeringar", 2)
        ]
    );
    assert_eq!(
        r.sections[0].blocks,
        [Block::Markdown {
            text: "IT enheten redovisar ett resultat på 7 tkr för delåret 2023.".into()
        }]
    );
    match &r.sections[1].blocks[0] {
        Block::Goal(g) => {
            assert_eq!(g.text, "Strategin är framtagen. Resultatet är 7 tkr.");
            assert_eq!(g.indicators.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    let inv = &r.sections[5].blocks;
    assert_eq!(
        inv[1],
        Block::Markdown {
            text: "Utfallet uppgår till 238 tkr av 2 750 tkr.".into()
        }
    );
}

#[test]
fn checks_of_a_sound_package() {
    let r = report(Rounding::AddsUp);
    let got: Vec<(&str, CheckStatus)> =
        r.checks.iter().map(|c| (c.id.as_str(), c.status)).collect();
    assert_eq!(
        got,
        [
            ("ledger_balanced", CheckStatus::Pass),
            ("ledger_balanced", CheckStatus::Pass),
            ("ledger_year", CheckStatus::Pass),
            ("ledger_year", CheckStatus::Pass),
            ("rows_claimed", CheckStatus::Pass),
            ("outside_scope", CheckStatus::Pass),
            ("budget_balanced", CheckStatus::Pass),
            ("budget_changes_balanced", CheckStatus::Pass),
            ("forecast_complete", CheckStatus::Warn),
            ("investment_groups", CheckStatus::Pass),
            ("staff_data", CheckStatus::Pass),
            ("sick_spells_in_period", CheckStatus::Pass),
            ("text_files", CheckStatus::Warn),
        ]
    );
    let outside = r.checks.iter().find(|c| c.id == "outside_scope").unwrap();
    assert!(
        outside.message.contains("1 poster, netto 1 234,00 kr"),
        "{}",
        outside.message
    );
    let fc = r
        .checks
        .iter()
        .find(|c| c.id == "forecast_complete")
        .unwrap();
    assert_eq!(
        fc.message,
        "Rader utan prognos (prognos = budget används): Kapitalkostnad."
    );
}

#[test]
fn unmapped_account_fails_with_its_number() {
    let files = edit(
        package(),
        "huvudbok/2023.se",
        "#TRANS 4010 {1 \"8530\"}",
        "#TRANS 9010 {1 \"8530\"}",
    );
    // 9010 is outside classes 3–8: ignored, no error. Use a result account instead.
    assert!(build_report(&files, &Options::default()).is_ok());
    let files = edit(
        package(),
        "huvudbok/2023.se",
        "#TRANS 4010 {1 \"8530\"}",
        "#TRANS 8910 {1 \"8530\"}",
    );
    let err = build_report(&files, &Options::default()).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("konto 8910 (3 300,00 kr i huvudbok/2023.se) hör inte till någon rad"),
        "{msg}"
    );
    // check_package reports it as a failed check instead of an error.
    let checks = check_package(&files, &Options::default()).unwrap();
    let c = checks.iter().find(|c| c.id == "rows_claimed").unwrap();
    assert_eq!(c.status, CheckStatus::Fail);
    assert!(c.figures[0].1.contains("8910"));
}

#[test]
fn account_claimed_by_two_rows_fails() {
    let files = edit(
        package(),
        "delar.toml",
        "accounts = [\"7800-7899\", \"8400-8499\"]",
        "accounts = [\"7800-7899\", \"8400-8499\", \"4000-4099\"]",
    );
    let err = build_report(&files, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("konto 4010 (3 300,00 kr i huvudbok/2023.se) hör till flera rader: ovriga_kostnader, kapitalkostnad"),
        "{err}"
    );
    // The budget line on 4010 is named too.
    assert!(
        err.contains("konto 4010 (4 000,00 kr i budget/budget.csv)"),
        "{err}"
    );
}

#[test]
fn out_of_scope_bookings_are_ignored() {
    // An unmapped account outside scope is no error.
    let files = edit(
        package(),
        "huvudbok/2023.se",
        "#TRANS 5010 {1 \"9999\"}",
        "#TRANS 8910 {1 \"9999\"}",
    );
    let r = build_report(&files, &Options::default()).unwrap();
    assert_eq!(
        dump(table(&r, "resultatrakning")).lines().nth(7),
        Some("summa_nettokostnader: 7 23 32 32 0")
    );
}

#[test]
fn unbalanced_voucher_fails_the_check() {
    let files = edit(
        package(),
        "huvudbok/2023.se",
        "#TRANS 1930 {} 30000.00",
        "#TRANS 1930 {} 29000.00",
    );
    let checks = check_package(&files, &Options::default()).unwrap();
    let c = &checks[0];
    assert_eq!(
        (c.id.as_str(), c.status),
        ("ledger_balanced", CheckStatus::Fail)
    );
    assert!(
        c.message.contains("1 verifikationer balanserar inte"),
        "{}",
        c.message
    );
}

#[test]
fn template_errors_name_file_and_line() {
    let files = package().with(
        "texter/drift-kommentar.md",
        "Rad ett\n{{ rr.nope.utfall }}\n",
    );
    let err = build_report(&files, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("texter/drift-kommentar.md:2: mallfel:"),
        "{err}"
    );
}

#[test]
fn missing_source_names_the_path() {
    let mut files = package();
    files.files.remove("prognos.csv");
    let err = build_report(&files, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("prognos.csv: filen saknas"), "{err}");
}

#[test]
fn progress_is_reported() {
    use std::sync::{Arc, Mutex};
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let options = Options {
        progress: Some(Arc::new(move |p: &delar_core::Progress| {
            s.lock().unwrap().push((p.step, p.steps, p.message.clone()))
        })),
        ..Options::default()
    };
    build_report(&package(), &options).unwrap();
    let seen = seen.lock().unwrap();
    let finished: Vec<_> = seen
        .iter()
        .filter(|(_, _, m)| !m.starts_with("läser "))
        .collect();
    assert_eq!(finished.len(), 6);
    assert_eq!(finished[1].2, "huvudbok/2023.se: 16 poster");
    assert!(seen.iter().all(|(_, n, _)| *n == 6));
    // A slow step is announced before it starts, with the steps finished so far.
    let at = seen
        .iter()
        .position(|(_, _, m)| m == "läser huvudbok/2023.se …")
        .expect("ledger announced");
    assert_eq!(seen[at].0, 1);
    assert_eq!(seen[at + 1].0, 2);
    // Steps never go backwards and end complete.
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0));
    assert_eq!(seen.last().unwrap().0, 6);
}

/// The current ledger as SIE 3 period balances (#PSALDO of year 0) with the same amounts
/// per month and object; account totals without objects are out of scope.
const SIE3_2023: &str = r#"#FLAGGA 0
#FORMAT PC8
#SIETYP 3
#PROGRAM "delar-test" 1
#GEN 20230901
#FNAMN "Testkommun"
#RAR 0 20230101 20231231
#RAR -1 20220101 20221231
#DIM 1 "Ansvar"
#DIM 6 "Projekt"
#KONTO 1210 "Inventarier"
#KONTO 3010 "Intäkter"
#KONTO 3910 "Kommunbidrag"
#KONTO 4010 "Material"
#KONTO 5010 "Löner"
#KONTO 7810 "Avskrivningar"
#PSALDO 0 202301 3010 {1 "8510"} -10400.00
#PSALDO 0 202301 3010 {} -10400.00
#PSALDO 0 202302 5010 {1 "8510"} 20300.00
#PSALDO 0 202302 5010 {1 "8520"} 5300.00
#PSALDO 0 202303 4010 {1 "8530"} 3300.00
#PSALDO 0 202303 7810 {1 "8510"} 4300.00
#PSALDO 0 202304 3910 {1 "8510"} -30000.00
#PSALDO 0 202305 5010 {1 "9999"} 1234.00
#PSALDO 0 202309 5010 {1 "8510"} 999.00
#PSALDO 0 202306 1210 {6 "P1"} 238000.00
#PSALDO -1 202203 5010 {1 "8510"} 777777.00
"#;

#[test]
fn sie3_period_balances_give_the_same_outcome() {
    let files = package().with("huvudbok/2023.se", SIE3_2023);
    let r = build_report(&files, &Options::default()).expect("builds");
    let t = table(&r, "resultatrakning");
    assert_eq!(
        dump(t)
            .lines()
            .map(|l| l.split(' ').nth(2).unwrap_or(""))
            .collect::<Vec<_>>(),
        ["-10", "-10", "26", "-", "3", "4", "33", "23", "30", "7"]
    );
    assert_eq!(r.text_figures["investeringar_utfall_tkr"], 238);
    let c = &r.checks[0];
    assert_eq!(
        (c.id.as_str(), c.status),
        ("ledger_balanced", CheckStatus::Warn)
    );
}

#[test]
fn budget_from_sie_pbudget() {
    let sie = r#"#FLAGGA 0
#SIETYP 3
#PROGRAM "delar-test" 1
#FNAMN "Testkommun"
#RAR 0 20230101 20231231
#DIM 1 "Ansvar"
#PBUDGET 0 202301 3010 {1 "8510"} -15000.00
#PBUDGET 0 202301 3010 {} -99999.00
#PBUDGET 0 202301 5010 {1 "8510"} 30000.00
#PBUDGET 0 202301 5010 {1 "8520"} 6000.00
#PBUDGET 0 202301 4010 {1 "8530"} 4000.00
#PBUDGET 0 202301 7810 {1 "8510"} 5000.00
#PBUDGET 0 202301 3910 {} -30000.00
"#;
    let files = edit(
        package(),
        "delar.toml",
        "file = \"budget/budget.csv\"",
        "file = \"budget/budget.se\"",
    )
    .with("budget/budget.se", sie);
    let from_sie = build_report(&files, &Options::default()).expect("builds");
    let from_csv = report(Rounding::AddsUp);
    assert_eq!(
        dump(table(&from_sie, "resultatrakning")),
        dump(table(&from_csv, "resultatrakning"))
    );
    assert_eq!(
        dump(table(&from_sie, "resultat_netto")),
        dump(table(&from_csv, "resultat_netto"))
    );
}

#[test]
fn ledger_of_the_wrong_year_fails() {
    let files = package().with("huvudbok/2023.se", common::SIE_2022);
    let checks = check_package(&files, &Options::default()).unwrap();
    let c = checks.iter().find(|c| c.id == "ledger_year").unwrap();
    assert_eq!(c.status, CheckStatus::Fail);
    assert_eq!(
        c.message,
        "huvudbok/2023.se: räkenskapsåret omfattar inte 2023; fel fil?"
    );
    assert_eq!(c.figures[0].1, "2022-01-01–2022-12-31");
}

#[test]
fn investment_register_problems_fail_the_checks() {
    let files = package().with(
        "investeringar.csv",
        "projekt;namn;grupp;budget;ombudgetering;prognos\nP1;A;gemensam;1;0;1\nP1;B;okand;2;0;2\n",
    );
    let checks = check_package(&files, &Options::default()).unwrap();
    let groups = checks.iter().find(|c| c.id == "investment_groups").unwrap();
    assert_eq!(groups.status, CheckStatus::Fail);
    assert_eq!(
        groups.message,
        "Projekt med okänd grupp (kända: gemensam, herrljunga): P1 B (grupp \"okand\"). De ingår inte i tabellens grupper och total."
    );
    let unique = checks
        .iter()
        .find(|c| c.id == "investment_projects_unique")
        .unwrap();
    assert_eq!(unique.status, CheckStatus::Fail);
}

#[test]
fn both_ledgers_read_together_give_the_errors_in_reading_order() {
    // The two ledgers of a package are read on two threads; a broken current ledger is
    // still the error reported, before a missing or broken prior one.
    let broken = |files: delar_core::MemoryFiles, path: &str| {
        let mut files = files;
        files
            .files
            .insert(path.to_string(), b"#FLAGGA 0\n#VER A 1 2023\n".to_vec());
        files
    };
    let message = |files: &delar_core::MemoryFiles| {
        build_report(files, &Options::default())
            .expect_err("an error")
            .to_string()
    };
    let both = broken(broken(package(), "huvudbok/2023.se"), "huvudbok/2022.se");
    assert!(message(&both).contains("2023.se"), "{}", message(&both));
    let mut missing_prior = broken(package(), "huvudbok/2023.se");
    missing_prior.files.remove("huvudbok/2022.se");
    assert!(message(&missing_prior).contains("2023.se"));
    let mut only_prior_missing = package();
    only_prior_missing.files.remove("huvudbok/2022.se");
    assert!(message(&only_prior_missing).contains("2022.se"));
    let prior_broken = broken(package(), "huvudbok/2022.se");
    assert!(message(&prior_broken).contains("2022.se"));
    // And read together they give what they give read one by one (the golden tests check
    // the whole report; here the two ledgers).
    let pkg = delar_core::load_package(&package(), None).expect("loads");
    let one = delar_core::ledger::read_ledger_keeping(
        "huvudbok/2022.se",
        &package().files["huvudbok/2022.se"],
        &delar_core::ledger::KeptObjects::for_config(&pkg.config),
    )
    .expect("reads");
    assert_eq!(pkg.prior.as_deref(), Some(&one));
}
