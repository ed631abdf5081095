//! Report shapes from the package: a joint committee, a committee of one municipality and
//! one of a region; per April, August and December; with and without investments, staff
//! and a prior year. Each report must have no empty heading, no table the package did not
//! ask for, the organisation wording that is true for it on the cover and memo, and every
//! table must add up as displayed.

mod common;
#[path = "../../core/tests/common/mod.rs"]
mod core_common;

use core_common::{edit, package};
use delar_core::report::Report;
use delar_core::{build_report, MemoryFiles, Options};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Joint,
    Kommun,
    Region,
}

const SECOND_MUNICIPALITY: &str = "\n[[municipality]]\nid = \"vargarda\"\nname = \"Vårgårda\"\n";

fn cut(files: MemoryFiles, from: &str, to: &str) -> MemoryFiles {
    let text = String::from_utf8(files.files["delar.toml"].clone()).unwrap();
    let a = text.find(from).unwrap_or_else(|| panic!("no {from}"));
    let b = a + text[a..].find(to).unwrap_or_else(|| panic!("no {to}"));
    let new = format!("{}{}", &text[..a], &text[b..]);
    files.with("delar.toml", new)
}

fn variant(shape: Shape, month: u32, investments: bool, staff: bool, prior: bool) -> MemoryFiles {
    let mut files = package();
    files = edit(
        files,
        "delar.toml",
        "through_month = 8",
        &format!("through_month = {month}"),
    );
    if shape != Shape::Joint {
        files = edit(files, "delar.toml", SECOND_MUNICIPALITY, "\n");
        files = edit(files, "delar.toml", "key = \"kapital\"\n", "");
        files = cut(files, "[allocation]", "[budget]");
    }
    if shape == Shape::Region {
        files = edit(
            files,
            "delar.toml",
            "committee = \"Testnämnden\"",
            "committee = \"Testnämnden\"\norganisation = \"region\"",
        );
        files = edit(
            files,
            "delar.toml",
            "name = \"Herrljunga\"",
            "name = \"Halland\"",
        );
    }
    if !investments {
        files = cut(files, "[investments]", "[staff]");
        files.files.remove("texter/investeringar-kommentar.md");
    }
    if !staff {
        files = cut(files, "[staff]", "[goals]");
    }
    if !prior {
        files = edit(files, "delar.toml", "prior = \"huvudbok/2022.se\"\n", "");
    }
    files
}

fn has_empty_heading(report: &Report) -> Option<String> {
    let s = &report.sections;
    for (i, sec) in s.iter().enumerate() {
        let child = s.get(i + 1).is_some_and(|n| n.level > sec.level);
        if sec.blocks.is_empty() && !child {
            return Some(sec.heading.clone());
        }
    }
    None
}

#[test]
fn every_shape_month_and_option() {
    let shapes = [Shape::Joint, Shape::Kommun, Shape::Region];
    let mut cases = 0;
    for shape in shapes {
        for month in [4, 8, 12] {
            for (investments, staff, prior) in [
                (true, true, true),
                (false, false, true),
                (true, false, false),
                (false, true, false),
            ] {
                let what = format!(
                    "{shape:?} month {month} inv {investments} staff {staff} prior {prior}"
                );
                let files = variant(shape, month, investments, staff, prior);
                let report = build_report(&files, &Options::default())
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
                cases += 1;

                assert_eq!(has_empty_heading(&report), None, "{what}");
                let ids: Vec<&str> = report.tables.iter().map(|t| t.id.as_str()).collect();
                assert_eq!(
                    ids.contains(&"resultat_netto"),
                    shape == Shape::Joint,
                    "{what}: {ids:?}"
                );
                assert_eq!(
                    ids.contains(&"investeringar"),
                    investments,
                    "{what}: {ids:?}"
                );
                assert_eq!(ids.contains(&"personal"), staff, "{what}: {ids:?}");
                assert!(ids.contains(&"prognoskommentarer"), "{what}: {ids:?}");
                for t in &report.tables {
                    assert_eq!(t.sum_mismatches(), Vec::<String>::new(), "{what}");
                }
                // Every table shown in a section, every section's table exists.
                for sec in &report.sections {
                    for b in &sec.blocks {
                        if let delar_core::report::Block::Table { id } = b {
                            assert!(report.table(id).is_some(), "{what}: {id}");
                        }
                    }
                }
                for t in &report.tables {
                    let shown = report.sections.iter().any(|s| {
                        s.blocks.iter().any(
                            |b| matches!(b, delar_core::report::Block::Table { id } if *id == t.id),
                        )
                    });
                    assert!(shown, "{what}: table {} is in no section", t.id);
                }

                // The period: name, headings and the year-end columns.
                let (name, end) = match month {
                    4 => ("Tertialrapport 1", "2023-04-30"),
                    8 => ("Delårsrapport", "2023-08-31"),
                    _ => ("Verksamhetsberättelse", "2023-12-31"),
                };
                assert_eq!(report.meta.title, format!("{name} {end}"), "{what}");
                let rr = report.table("resultatrakning").unwrap();
                let labels: Vec<&str> = rr.columns.iter().map(|c| c.label.as_str()).collect();
                if month == 12 {
                    assert_eq!(
                        labels,
                        ["Utfall 2022", "Utfall 2023", "Budget 2023", "Avvikelse"],
                        "{what}"
                    );
                } else {
                    assert_eq!(
                        labels,
                        [
                            format!("Utfall 2022{month:02}").as_str(),
                            format!("Utfall 2023{month:02}").as_str(),
                            "Budget 2023",
                            "Prognos 2023",
                            "Avvikelse helår"
                        ],
                        "{what}"
                    );
                }

                // The organisation on the cover and the memo, in HTML and Markdown.
                let expect: &[&str] = match shape {
                    Shape::Joint => &[
                        "Gemensam nämnd för Herrljunga och Vårgårda",
                        "Huvudman: Herrljunga kommun",
                    ],
                    Shape::Kommun => &["Herrljunga kommun"],
                    Shape::Region => &["Region Halland"],
                };
                assert_eq!(report.meta.organisation, expect, "{what}");
                let html = delar_render::html::report(&report);
                let memo_html = delar_render::html::memo(&report);
                let md = delar_render::markdown::report(&report);
                let memo_md = delar_render::markdown::memo(&report);
                for (doc, text) in [
                    ("html", &html),
                    ("memo html", &memo_html),
                    ("md", &md),
                    ("memo md", &memo_md),
                ] {
                    assert!(text.contains(expect[expect.len() - 1]), "{what} {doc}");
                    assert!(!text.contains("kommun kommun"), "{what} {doc}");
                    assert_eq!(
                        text.contains("Huvudman"),
                        shape == Shape::Joint,
                        "{what} {doc}"
                    );
                    assert_eq!(
                        text.contains("Gemensam nämnd"),
                        shape == Shape::Joint && !doc.starts_with("memo"),
                        "{what} {doc}"
                    );
                    assert!(!text.contains("Herrljunga kommun kommun"), "{what} {doc}");
                }
                assert!(html.contains(&format!("<h1>{name} {end}</h1>")), "{what}");
            }
        }
    }
    assert_eq!(cases, 36);
}

const KULTUR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/kultur-fritid-2024"
);

/// The second example package, from disk.
fn kultur_files() -> MemoryFiles {
    common::package_files(KULTUR)
}

#[test]
fn the_single_municipality_example_has_its_own_shape() {
    let report = build_report(&kultur_files(), &Options::default()).unwrap();
    assert_eq!(report.meta.title, "Tertialrapport 1 2024-04-30");
    assert_eq!(report.meta.cover_title, "Tertialrapport 1 2024");
    assert_eq!(report.meta.organisation, ["Tranemo kommun"]);
    let sections: Vec<(&str, &str)> = report
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.heading.as_str()))
        .collect();
    assert_eq!(
        sections,
        [
            ("sammanfattning", "Sammanfattning"),
            ("viktiga_handelser", "Viktiga händelser"),
            ("ansvar_och_uppdrag", "Ansvar och uppdrag"),
            ("mal", "Mål"),
            ("ekonomi", "Ekonomi"),
            ("drift", "Drift"),
            ("atgarder", "Åtgärder för en budget i balans"),
            ("framtid", "Framtid"),
        ]
    );
    let ids: Vec<&str> = report.tables.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "resultatrakning",
            "prognoskommentarer",
            "budgetforandringar"
        ]
    );
    for t in &report.tables {
        assert_eq!(t.sum_mismatches(), Vec::<String>::new());
    }
    let not_passed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.status != delar_core::report::CheckStatus::Pass)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(not_passed, Vec::<&str>::new());
    assert_eq!(has_empty_heading(&report), None);
    let comments = report.table("prognoskommentarer").unwrap();
    assert_eq!(comments.rows.len(), 6);
    let md = delar_render::markdown::report(&report);
    for row in &comments.rows {
        assert!(md.contains(row.note.as_deref().unwrap()), "{}", row.key);
    }
}
