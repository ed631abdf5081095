//! The Markdown outputs parse as the intended GitHub-flavoured Markdown: real tables with
//! right-aligned figures, bold sums, plain minus and spaces in figures.

mod common;

use delar_render::markdown;
use pulldown_cmark::{Alignment, Event, Options, Parser, Tag};

fn parse(text: &str) -> Vec<Event<'_>> {
    Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).collect()
}

#[test]
fn tables_parse_with_figure_columns_right_aligned() {
    let report = common::report();
    let text = markdown::report(&report);
    let tables: Vec<Vec<Alignment>> = parse(&text)
        .into_iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Table(align)) => Some(align),
            _ => None,
        })
        .collect();
    // Five report tables, one indicator table, three chart figure tables, the checks.
    assert_eq!(tables.len(), 10);
    let resultat = &tables[2];
    assert_eq!(resultat.len(), 6);
    assert_eq!(resultat[0], Alignment::Left);
    assert!(resultat[1..].iter().all(|a| *a == Alignment::Right));
    // The budget change table has its note column, left-aligned.
    assert_eq!(
        tables[6],
        vec![Alignment::Left, Alignment::Right, Alignment::Left]
    );
}

#[test]
fn figures_and_sums() {
    let text = markdown::report(&common::report());
    assert!(text.contains(
        "| RESULTATRÄKNING (tkr) | Utfall 202208 | Utfall 202308 | Budget 2023 | Prognos 2023 | Avvikelse helår |"
    ));
    assert!(text.contains("| Intäkter | -4 457 | -5 131 | -8 013 | -8 213 | 200 |"));
    assert!(text.contains("| **Resultat** | **-1 645** | **-402** | **0** | **0** | |"));
    assert!(text.contains("| Lokalkostnader, energi, VA | | | | | |"));
    assert!(text.contains("| **S:a investeringar Servicenämnd IT** | **238** | **3 350** | **400** | **3 750** | **3 750** | **0** |"));
    assert!(text.contains("| Andel heltid, kvinnor | 40,29 % |"));
    assert!(text.contains("| för kvinnor | –\\* |"));
    assert!(text.contains(&format!("–\\* {}", common::SUPPRESSION_REASON)));
    for line in text.lines().filter(|l| l.starts_with('|')) {
        assert!(
            !line.contains(['\u{a0}', '\u{2212}', '\u{ad}']),
            "typographic characters in {line:?}"
        );
    }
}

#[test]
fn table_of_contents_points_at_headings() {
    let text = markdown::report(&common::report());
    for (link, heading) in [
        ("[Sammanfattning](#sammanfattning)", "## Sammanfattning\n"),
        ("[Mål](#mål)", "## Mål\n"),
        ("  - [Drift](#drift)", "### Drift\n"),
        (
            "[Bilaga: Kontroller](#bilaga-kontroller)",
            "## Bilaga: Kontroller\n",
        ),
    ] {
        assert!(text.contains(link), "{link}");
        assert!(text.contains(heading), "{heading}");
    }
}

#[test]
fn labels_cannot_break_tables() {
    let mut report = common::report();
    report.tables[0].rows[0].label = "Intäkter | extra *x*".to_string();
    let text = markdown::report(&report);
    assert!(text.contains("| Intäkter \\| extra \\*x\\* | -4 457 |"));
    let cells_in_first_row = parse(&text)
        .into_iter()
        .skip_while(|e| !matches!(e, Event::Text(t) if t.starts_with("Intäkter")))
        .take_while(|e| !matches!(e, Event::End(pulldown_cmark::TagEnd::TableRow)))
        .filter(|e| matches!(e, Event::Start(Tag::TableCell)))
        .count();
    assert_eq!(cells_in_first_row, 5);
}

#[test]
fn memo_in_order() {
    let text = markdown::memo(&common::report());
    let order = [
        "# Delårsrapport 2023-08-31 Servicenämnden IT, Växel och Telefoni\n",
        "Datum: 2023-09-01",
        "## Sammanfattning\n",
        "## Beslutsunderlag\n\n- Tjänsteskrivelse i ärendet daterad 2023-09-01\n",
        "## Förslag till beslut\n\nServicenämnden godkänner upprättad delårsrapport per 2023-08-31.\n",
        "Klara Kälström  \nController\n",
        "**Expedieras till:**\n\n- Ekonomiavdelningen, Herrljunga kommun\n",
        "**För kännedom till:**\n",
        "## Bakgrund\n",
    ];
    let mut at = 0;
    for part in order {
        match text[at..].find(part) {
            Some(found) => at += found,
            None => panic!("{part:?} missing or out of order"),
        }
    }
    assert!(text.ends_with("räkenskapsår.\n"));
}

#[test]
fn repeated_headings_get_numbered_anchors_in_document_order() {
    let mut report = common::report();
    // A Markdown heading "Drift" before the Drift section takes the plain anchor.
    report.sections[6]
        .blocks
        .push(delar_core::report::Block::Markdown {
            text: "### Drift\n\nÖversikt.".to_string(),
        });
    let text = markdown::report(&report);
    assert!(text.contains("  - [Drift](#drift-1)\n"), "{text}");
}
