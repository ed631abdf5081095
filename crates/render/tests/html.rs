//! Properties of the HTML documents that must hold for any report: self-contained,
//! Swedish, safe against markup in the text, with working links and the figures in
//! Swedish format.

mod common;

use delar_core::report::{Block, Cell, Section};
use delar_render::html;

const NBSP: &str = "\u{a0}";

/// Every `attr="…"` value in the document.
fn attribute_values<'a>(doc: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

#[test]
fn documents_are_self_contained_and_swedish() {
    let report = common::report();
    for doc in [html::report(&report), html::memo(&report)] {
        assert!(doc.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"));
        assert!(doc.contains("<meta charset=\"utf-8\">"));
        assert!(doc.contains("<style>") && doc.contains("@page"));
        for forbidden in [
            "http://", "https://", "<link", "<script", "@import", "url(", "src=",
        ] {
            assert!(!doc.contains(forbidden), "found {forbidden:?}");
        }
        assert!(doc.trim_end().ends_with("</html>"));
    }
}

#[test]
fn print_css_keeps_rows_whole_and_repeats_headers() {
    let doc = html::report(&common::report());
    assert!(doc.contains("size: A4 portrait"));
    assert!(doc.contains("tr { break-inside: avoid;"));
    assert!(doc.contains("thead { display: table-header-group; }"));
    assert!(doc.contains("font-variant-numeric: tabular-nums"));
}

#[test]
fn table_of_contents_links_resolve_and_sections_follow_in_order() {
    let report = common::report();
    let doc = html::report(&report);
    let ids = attribute_values(&doc, "id");
    let hrefs = attribute_values(&doc, "href");
    assert_eq!(hrefs.len(), report.sections.len() + 1);
    for href in &hrefs {
        let target = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external link {href}"));
        assert_eq!(
            ids.iter().filter(|id| **id == target).count(),
            1,
            "{target}"
        );
    }
    // Headings appear in the seed's order, the checks appendix last.
    let mut at = doc.find("Innehållsförteckning").unwrap_or(0);
    for section in &report.sections {
        let heading = format!(">{}</h", section.heading);
        let found = doc[at..].find(&heading);
        assert!(found.is_some(), "{} out of order", section.heading);
        at += found.unwrap_or(0);
    }
    assert!(doc[at..].contains("<h2>Bilaga: Kontroller</h2>"));
}

#[test]
fn figures_use_swedish_format() {
    let doc = html::report(&common::report());
    assert!(doc.contains(&format!("<td class=\"num\">\u{2212}4{NBSP}457</td>")));
    assert!(doc.contains(&format!("<td class=\"num\">3{NBSP}750</td>")));
    assert!(doc.contains("<td class=\"num\">\u{2212}402</td>"));
    assert!(doc.contains(&format!("<td class=\"num\">40,29{NBSP}%</td>")));
    assert!(doc.contains(&format!("<td class=\"num\">59,70{NBSP}%</td>")));
    // The blank Lokalkostnader row stays blank.
    assert!(doc.contains("<th scope=\"row\">Lokalkostnader, energi, VA</th><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td></tr>"));
    assert!(
        !doc.contains("<td class=\"num\">-"),
        "hyphen-minus in HTML figures"
    );
}

#[test]
fn sums_are_bold_rows_and_notes_get_a_column() {
    let doc = html::report(&common::report());
    assert!(doc.contains("<tr class=\"subtotal\"><th scope=\"row\">Summa intäkter</th>"));
    assert!(doc.contains("<tr class=\"total\"><th scope=\"row\">Resultat</th>"));
    assert!(doc.contains("tr.total > th, table.figures tr.total > td {\n  font-weight: 700;"));
    assert!(doc.contains("<td class=\"note\">avser löner april-dec 2023 Hlj</td>"));
    // Only the budget change table has a note column.
    assert_eq!(doc.matches("<th scope=\"col\" class=\"note\">").count(), 1);
}

#[test]
fn suppressed_cells_show_a_mark_and_the_reason_under_the_table() {
    let doc = html::report(&common::report());
    assert!(doc.contains("<td class=\"num suppressed\">\u{2013}*</td>"));
    let footnote = format!(
        "<p class=\"footnote\">\u{2013}* {}</p>",
        common::SUPPRESSION_REASON
    );
    let table_end = doc
        .find("id=\"tabell-personal\"")
        .and_then(|start| doc[start..].find("</table>").map(|end| start + end));
    let note_at = doc.find(&footnote);
    assert!(matches!((table_end, note_at), (Some(t), Some(n)) if n > t));
}

#[test]
fn several_suppression_reasons_are_numbered() {
    let mut report = common::report();
    let Some(table) = report.tables.iter_mut().find(|t| t.id == "personal") else {
        panic!("fixture has no personal table");
    };
    table.rows[1].cells[0] = Cell::Suppressed {
        reason: "Kan härledas till en enskild person.".to_string(),
    };
    let doc = html::report(&report);
    assert!(doc.contains("<td class=\"num suppressed\">\u{2013}*1</td>"));
    assert!(doc.contains("<td class=\"num suppressed\">\u{2013}*2</td>"));
    assert!(
        doc.contains("<p class=\"footnote\">\u{2013}*1 Kan härledas till en enskild person.</p>")
    );
}

#[test]
fn goals_show_status_in_words() {
    let doc = html::report(&common::report());
    for wording in [
        "Måluppfyllelse: Delvis uppfyllt",
        "Måluppfyllelse: Uppfyllt",
        "Måluppfyllelse: Ej uppfyllt",
        "Måluppfyllelse: Ej bedömt",
    ] {
        assert!(doc.contains(wording), "{wording}");
    }
    assert!(doc.contains("<th scope=\"row\">Strategin antagen av nämnden</th><td>Senast 2023-12-31</td><td>Remiss klar</td>"));
}

#[test]
fn checks_appendix_lists_every_check() {
    let report = common::report();
    let doc = html::report(&report);
    assert!(doc.contains("3 kontroller: 1 godkänd, 1 varning, 1 fel."));
    for check in &report.checks {
        assert!(doc.contains(&format!("<code>{}</code>", check.id)));
    }
    assert!(
        doc.contains("Godkänd</span>")
            && doc.contains("Varning</span>")
            && doc.contains("Fel</span>")
    );
    assert!(doc.contains(&format!(
        "<dt>Summa verksamhet</dt><dd>17{NBSP}578{NBSP}tkr</dd>"
    )));
}

#[test]
fn text_cannot_inject_markup() {
    let mut report = common::report();
    report.meta.committee = "<b>Nämnd</b>".to_string();
    report.sections.push(Section {
        id: "x\"><script>".to_string(),
        heading: "<img src=x onerror=alert(1)>".to_string(),
        level: 1,
        blocks: vec![
            Block::Markdown {
                text: "<script>alert(1)</script>\n\n<iframe src=\"https://evil.example\"></iframe> [länk](javascript:alert(1))".to_string(),
            },
            Block::Table { id: "finns_inte".to_string() },
        ],
    });
    report.tables[0].rows[0].label = "Intäkter <i>x</i>".to_string();
    report.memo.summary = "<style>body{display:none}</style>".to_string();
    let doc = html::report(&report);
    let memo = html::memo(&report);
    for doc in [&doc, &memo] {
        for forbidden in [
            "<script",
            "<img",
            "<iframe",
            "<b>",
            "<i>",
            "href=\"javascript",
            "href=\"http",
        ] {
            assert!(!doc.contains(forbidden), "{forbidden:?} got through");
        }
    }
    assert!(doc.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(doc.contains("<p>&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(doc.contains("Tabellen \u{201d}finns_inte\u{201d} saknas i rapportdata."));
    assert_eq!(memo.matches("<style>").count(), 1);
}

#[test]
fn memo_has_the_parts_of_a_tjansteskrivelse_in_order() {
    let report = common::report();
    let doc = html::memo(&report);
    let order = [
        "<h1>Delårsrapport 2023-08-31 Servicenämnden IT, Växel och Telefoni</h1>",
        "<h2>Sammanfattning</h2>",
        "<h2>Beslutsunderlag</h2>",
        "<li>Tjänsteskrivelse i ärendet daterad 2023-09-01</li>",
        "<h2>Förslag till beslut</h2>",
        "Servicenämnden godkänner upprättad delårsrapport per 2023-08-31.",
        "<p class=\"signature-name\">Klara Kälström</p>",
        "<p class=\"signature-title\">Controller</p>",
        "<dt>Expedieras till:</dt>",
        "<dt>För kännedom till:</dt>",
        "<h2>Bakgrund</h2>",
    ];
    let mut at = 0;
    for part in order {
        match doc[at..].find(part) {
            Some(found) => at += found,
            None => panic!("{part:?} missing or out of order"),
        }
    }
    assert!(doc.contains("<time datetime=\"2023-09-01\">2023-09-01</time>"));
}

#[test]
fn memo_without_background_has_no_empty_page() {
    let mut report = common::report();
    report.memo.background = "  \n".to_string();
    let doc = html::memo(&report);
    assert!(!doc.contains("<h2>Bakgrund</h2>"));
    assert!(doc.contains("<h2>Förslag till beslut</h2>"));
    assert!(!delar_render::markdown::memo(&report).contains("## Bakgrund"));
}
