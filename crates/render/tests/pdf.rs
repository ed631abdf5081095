//! The PDF renderer on the real example package (built through delar-core as the CLI
//! does): every figure of the seed report is in the PDF's text as printed, the table of
//! contents gives the pages the sections are on, every page after the cover has the
//! footer, every chart is placed, the memo has its parts, the files declare PDF/A-2b, and
//! the same report gives the same bytes. Text is read back with `pdf-extract`.
//!
//! Set `DELAR_PDF_OUT` to a folder to keep the rendered PDFs for looking at them.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use delar_core::report::{Block, Cell, Report};
use delar_core::{build_report, Options, SourceError, SourceFiles};
use delar_render::{charts, format, pdf};
use serde_json::Value;

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/servicenamnd-it-2023"
);
const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seed/seed-figures.json"
);

const NBSP: char = '\u{a0}';
const MINUS: char = '\u{2212}';

/// A package folder on disk.
struct DirFiles(PathBuf);

impl SourceFiles for DirFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        std::fs::read(self.0.join(path)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => SourceError::NotFound,
            _ => SourceError::Other(e.to_string()),
        })
    }
}

fn example() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        match build_report(
            &DirFiles(Path::new(EXAMPLE).to_path_buf()),
            &Options::default(),
        ) {
            Ok(r) => r,
            Err(e) => panic!("the example package does not build: {e}"),
        }
    })
}

/// The example's report PDF, rendered once for all tests.
fn report_pdf() -> &'static [u8] {
    static PDF: OnceLock<Vec<u8>> = OnceLock::new();
    PDF.get_or_init(|| {
        let bytes = pdf::report(example()).unwrap_or_else(|e| panic!("{e}"));
        keep("report.pdf", &bytes);
        bytes
    })
}

/// The example's memo PDF, rendered once for all tests.
fn memo_pdf() -> &'static [u8] {
    static PDF: OnceLock<Vec<u8>> = OnceLock::new();
    PDF.get_or_init(|| {
        let bytes = pdf::memo(example()).unwrap_or_else(|e| panic!("{e}"));
        keep("tjansteskrivelse.pdf", &bytes);
        bytes
    })
}

fn keep(name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("DELAR_PDF_OUT") {
        let path = Path::new(&dir).join(name);
        if let Err(e) = std::fs::write(&path, bytes) {
            panic!("cannot write {}: {e}", path.display());
        }
    }
}

/// The text of each page, as pdf-extract reads it.
fn pages(bytes: &[u8]) -> Vec<String> {
    match pdf_extract::extract_text_from_mem_by_pages(bytes) {
        Ok(pages) => pages,
        Err(e) => panic!("pdf-extract cannot read the PDF: {e}"),
    }
}

/// Text with line breaks and runs of ordinary spaces made single spaces; no-break spaces
/// (inside figures) are kept, so "3 750" must appear as the PDF prints it.
fn flat(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\u{2060}' {
            space = c != '\u{2060}' || space;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

fn seed() -> Value {
    let text = std::fs::read_to_string(SEED)
        .unwrap_or_else(|e| panic!("shared/seed/seed-figures.json beside the clone: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("seed-figures.json: {e}"))
}

/// A seed value as the PDF prints it: tkr with U+2212 and no-break spaces, percentages
/// with two decimals, a decimal comma and " %".
fn printed(value: &Value, unit: &str) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Number(n) if unit == "procent" => {
            let s = n.to_string();
            let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
            let frac = format!("{frac:0<2}");
            let hundredths = int.parse::<i64>().ok()? * 100 + frac[..2].parse::<i64>().ok()?;
            Some(format::percent(hundredths, format::Style::Html))
        }
        Value::Number(n) => Some(format::tkr(n.as_i64()?, format::Style::Html)),
        other => panic!("unexpected seed value {other}"),
    }
}

#[test]
fn every_seed_figure_is_printed_in_its_row() {
    let seed = seed();
    let text = flat(&pages(report_pdf()).join("\n"));
    let report = example();
    let mut missing = Vec::new();
    let mut checked = 0;
    let tables = seed["tables"].as_object().expect("seed tables");
    for (id, seed_table) in tables {
        let table = report
            .table(id)
            .unwrap_or_else(|| panic!("the report has no table {id}"));
        let unit = seed_table["unit"].as_str().expect("unit");
        let rows = seed_table["rows"].as_array().expect("rows");
        for (index, seed_row) in rows.iter().enumerate() {
            // Budget changes are keyed by slugs of the område: pair them by order.
            let key = seed_row["key"].as_str().expect("key");
            let row = if id == "budgetforandringar" {
                table.rows.get(index)
            } else {
                table.row(key)
            }
            .unwrap_or_else(|| panic!("{id} has no row {key}"));
            let seed_values = seed_row["values"].as_array().expect("values");
            let mut figures = Vec::new();
            for (col, v) in seed_values.iter().enumerate() {
                let Some(expected) = printed(v, unit) else {
                    assert!(
                        matches!(row.cells.get(col), Some(Cell::Empty)),
                        "{id}.{key}[{col}] is blank in the seed"
                    );
                    continue;
                };
                // RESULTAT NETTO: the engine's split adds up to the income statement and
                // may differ from the seed's by 1 tkr; the PDF prints the engine's figure.
                if id == "resultat_netto" {
                    let Some(Cell::Amount { shown_tkr, .. }) = row.cells.get(col) else {
                        panic!("{id}.{key}[{col}] is not an amount");
                    };
                    let seed_tkr = v.as_i64().expect("tkr");
                    assert!(
                        (shown_tkr - seed_tkr).abs() <= 1,
                        "{id}.{key}[{col}]: {shown_tkr} vs seed {seed_tkr}"
                    );
                    figures.push(format::tkr(*shown_tkr, format::Style::Html));
                } else {
                    figures.push(expected);
                }
            }
            // The row as printed: its label, then its figures in column order.
            let mut line = row.label.clone();
            for figure in &figures {
                line.push(' ');
                line.push_str(figure);
            }
            if let Some(note) = seed_row.get("note").and_then(Value::as_str) {
                line.push(' ');
                line.push_str(note);
            }
            checked += figures.len();
            if !text.contains(&line) {
                missing.push(line);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "rows not printed as expected:\n{}",
        missing.join("\n")
    );
    assert!(checked >= 100, "only {checked} figures checked");
    // The seed's table headers.
    for header in [
        "RESULTATRÄKNING (tkr) Utfall 202208 Utfall 202308 Budget 2023 Prognos 2023 Avvikelse helår",
        "RESULTAT NETTO (tkr) Utfall 202208 Utfall 202308 Budget 2023 Prognos 2023 Avvikelse helår",
    ] {
        assert!(text.contains(header), "header {header:?} missing");
    }
}

#[test]
fn column_headers_break_between_words() {
    // "S:a budget 2023" in a narrow column breaks as "S:a / budget / 2023", not as
    // "S:a bud-/get 2023": only a word wider than its column ("Ombudgetering") is
    // hyphenated.
    let text = flat(&pages(report_pdf()).join("\n"));
    let mut checked = 0;
    for table in &example().tables {
        for column in &table.columns {
            let words = column.label.split(' ');
            // Words of letters that fit a column (the longest, "Avvikelse", does).
            let short = |w: &&str| w.chars().all(char::is_alphabetic) && w.chars().count() <= 9;
            for word in words.filter(short) {
                let chars: Vec<char> = word.chars().collect();
                for k in 1..chars.len() {
                    // Typst marks a hyphenation point with a soft hyphen; pdf-extract keeps
                    // it, with spaces around it ("bud \u{ad} get"). The word starts after a
                    // space ("Ombud-getering" may be hyphenated).
                    let (head, tail): (String, String) =
                        (chars[..k].iter().collect(), chars[k..].iter().collect());
                    for hyphen in ["-", "\u{AD}", "\u{2010}"] {
                        for (before, after) in [("", ""), ("", " "), (" ", " ")] {
                            let split = format!(" {head}{before}{hyphen}{after}{tail}");
                            assert!(
                                !text.contains(&split),
                                "header word {word:?} printed as {split:?}"
                            );
                        }
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 10, "only {checked} header words checked");
    assert!(text.contains("S:a budget 2023"));
}

#[test]
fn text_figures_are_printed_with_a_true_minus() {
    let text = flat(&pages(report_pdf()).join("\n"));
    let seed = seed();
    let figures = &seed["text_figures"];
    let resultat = figures["sammanfattning_resultat_tkr"]
        .as_i64()
        .expect("figure");
    let utfall = figures["investeringar_utfall_tkr"]
        .as_i64()
        .expect("figure");
    let budget = figures["investeringar_budget_tkr"]
        .as_i64()
        .expect("figure");
    for expected in [
        format!(
            "redovisar ett resultat på {}{NBSP}tkr",
            format::tkr(resultat, format::Style::Html)
        ),
        format!(
            "uppgår till {}{NBSP}tkr jämfört med totalt budgeterade medel om {}{NBSP}tkr",
            format::tkr(utfall, format::Style::Html),
            format::tkr(budget, format::Style::Html)
        ),
    ] {
        assert!(text.contains(&expected), "{expected:?} missing");
    }
    assert!(text.contains(&format!("{MINUS}402{NBSP}tkr")));
    assert!(!text.contains("-402"), "a hyphen-minus before a figure");
}

#[test]
fn contents_give_the_pages_the_sections_are_on() {
    let pages = pages(report_pdf());
    let report = example();
    assert!(pages.len() >= 5, "{} pages", pages.len());
    let contents = &pages[1];
    assert!(contents.contains("Innehållsförteckning"));
    let mut headings: Vec<&str> = report.sections.iter().map(|s| s.heading.as_str()).collect();
    headings.push("Bilaga: Kontroller");
    let mut last = 0;
    for heading in headings {
        // "Heading . . . . 6": the number after the dot leader.
        let line = contents
            .lines()
            .find(|l| l.trim_start().starts_with(heading) && l.contains(". ."))
            .unwrap_or_else(|| panic!("{heading} is not in the contents:\n{contents}"));
        let number: usize = line
            .rsplit(|c: char| !c.is_ascii_digit())
            .find(|s| !s.is_empty())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no page number in {line:?}"));
        assert!(number >= last, "{heading} on page {number} before {last}");
        last = number;
        let page = pages
            .get(number - 1)
            .unwrap_or_else(|| panic!("{heading}: page {number} does not exist"));
        assert!(
            page.lines().any(|l| l.trim() == heading),
            "{heading} is listed on page {number} but not there:\n{page}"
        );
    }
    // The seed's page numbers where the report has the seed's layout (charts, which the
    // seed does not have, move Investeringar on).
    for (heading, page) in [
        ("Sammanfattning", 3),
        ("Planeringsförutsättningar", 3),
        ("Mål", 4),
        ("Personalredovisning", 5),
        ("Ekonomi", 6),
        ("Drift", 6),
    ] {
        assert!(
            contents.lines().any(|l| l.trim_start().starts_with(heading)
                && l.trim_end().ends_with(&format!(" {page}"))),
            "{heading} is not on page {page}:\n{contents}"
        );
    }
}

#[test]
fn cover_and_footer() {
    let pages = pages(report_pdf());
    let cover = flat(&pages[0]);
    for expected in [
        "Servicenämnd IT, Växel och Telefoni",
        "Delårsrapport 2023",
        "Perioden januari–augusti 2023",
        "Herrljunga",
        "Vårgårda",
    ] {
        assert!(
            cover.contains(expected),
            "{expected:?} not on the cover: {cover}"
        );
    }
    assert!(!cover.contains("sida"), "the cover has a footer");
    let total = pages.len();
    for (index, page) in pages.iter().enumerate().skip(1) {
        let footer = format!(
            "Servicenämnd IT, Växel och Telefoni · sida {} av {total}",
            index + 1
        );
        assert!(
            flat(page).contains(&footer),
            "page {} lacks {footer:?}",
            index + 1
        );
    }
}

#[test]
fn every_chart_is_placed_with_its_caption() {
    let report = example();
    let charts = charts::all(report);
    assert!(!charts.is_empty(), "the example has charts");
    // pdf-extract sets a space between the bold "Diagram 1" and the "." after it.
    let text = flat(&pages(report_pdf()).join("\n")).replace(" .", ".");
    for (index, chart) in charts.iter().enumerate() {
        let caption: String = chart.caption.chars().take(40).collect();
        let caption = flat(&caption.replace('-', "\u{2212}"));
        let label = format!("Diagram {}.", index + 1);
        let at = text.find(&label).unwrap_or_else(|| {
            let near = text.find("Diagram").map(|i| &text[i..]).unwrap_or("");
            let near: String = near.chars().take(60).collect();
            panic!("{label} ({}) is missing; text has {near:?}", chart.id)
        });
        let after = &text[at + label.len()..];
        // Captions keep their words; only figures may change (minus, no-break spaces).
        let first_word = caption.split(' ').next().unwrap_or_default();
        assert!(
            after.trim_start().starts_with(first_word),
            "{label} is not followed by its caption {caption:?}: {}",
            &after.chars().take(80).collect::<String>()
        );
        // The chart's figures table follows it.
        assert!(
            text.contains(&chart.table.title),
            "{} table missing",
            chart.id
        );
    }
    // The SVG itself is drawn inside a form XObject, which pdf-extract does not read; an
    // SVG Typst cannot load fails the whole render, so a rendered caption means a drawn
    // chart.
}

#[test]
fn memo_has_its_parts() {
    let pages = pages(memo_pdf());
    let text = flat(&pages.join("\n"));
    let report = example();
    for expected in [
        "TJÄNSTESKRIVELSE",
        "Datum 2023-09-01",
        "Diarienummer",
        "Delårsrapport 2023-08-31 Servicenämnd IT, Växel och Telefoni",
        "Sammanfattning",
        "redovisar en negativ avvikelse från budget på 402\u{a0}tkr per augusti.",
        "Beslutsunderlag",
        "Tjänsteskrivelse i ärendet daterad 2023-09-01",
        "Förslag till beslut",
        "Servicenämnden godkänner upprättad delårsrapport per 2023-08-31.",
        "Klara Kälström",
        "Controller",
        "Expedieras till:",
        "För kännedom till:",
        "Bakgrund",
        "Enligt Kommunallagen 11 kap. 16§ ska minst en delårsrapport upprättas varje räkenskapsår.",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the memo:\n{text}"
        );
    }
    for name in &report.memo.distribution {
        assert!(text.contains(name.as_str()), "{name} missing");
    }
    let total = pages.len();
    for (index, page) in pages.iter().enumerate() {
        assert!(
            flat(page).contains(&format!("sida {} av {total}", index + 1)),
            "memo page {} lacks its page number",
            index + 1
        );
    }
}

#[test]
fn same_report_same_bytes() {
    let report = example();
    let again = pdf::report(report).unwrap_or_else(|e| panic!("{e}"));
    assert!(again == report_pdf(), "two renders of the report differ");
    let again = pdf::memo(report).unwrap_or_else(|e| panic!("{e}"));
    assert!(again == memo_pdf(), "two renders of the memo differ");
}

#[test]
fn files_declare_pdf_a_2b() {
    for (name, bytes) in [("report", report_pdf()), ("memo", memo_pdf())] {
        assert!(bytes.starts_with(b"%PDF-1.7"), "{name} is not PDF 1.7");
        let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(
            has("<pdfaid:part>2</pdfaid:part>"),
            "{name}: no PDF/A part 2"
        );
        assert!(
            has("<pdfaid:conformance>B</pdfaid:conformance>"),
            "{name}: no PDF/A conformance B"
        );
        // Fixed creation date: the memo's date, not the clock.
        assert!(
            has("D:20230901"),
            "{name}: creation date is not the memo's date"
        );
    }
}

#[test]
fn report_text_is_data_never_markup() {
    let mut report = common::report();
    let hostile = "Nämnd #set page(width: 1cm) $x^2$ *fet* _kursiv_ [a] \\ <b> @ref // kommentar";
    report.meta.committee = hostile.to_string();
    report.memo.author = hostile.to_string();
    if let Some(section) = report.sections.first_mut() {
        section.heading = "Rubrik #pagebreak() ]".to_string();
        // Markdown styling is applied; Typst markup in the Markdown stays text.
        section.blocks.insert(
            0,
            Block::Markdown {
                text: "Text med *lutande ord här* och **fet #strong[x]**.\n\n- punkt `#kod`"
                    .to_string(),
            },
        );
    }
    let bytes = pdf::report(&report).unwrap_or_else(|e| panic!("{e}"));
    keep("markup.pdf", &bytes);
    let text = flat(&pages(&bytes).join("\n"));
    // pdf-extract spaces out some glyphs ("#strong [ x ]"): compare without spaces.
    let squeezed = text.replace(' ', "");
    for expected in ["lutande ord här", "fet #strong[x].", "punkt #kod"] {
        assert!(
            squeezed.contains(&expected.replace(' ', "")),
            "{expected:?} missing"
        );
    }
    assert!(
        text.contains(hostile),
        "the committee is not printed literally"
    );
    assert!(text.contains("Rubrik #pagebreak() ]"));
    let bytes = pdf::memo(&report).unwrap_or_else(|e| panic!("{e}"));
    let text = flat(&pages(&bytes).join("\n"));
    assert!(
        text.contains(hostile),
        "the author is not printed literally"
    );
}

#[test]
fn fixture_with_statuses_suppressed_cells_and_failed_checks_renders() {
    let report = common::report();
    let bytes = pdf::report(&report).unwrap_or_else(|e| panic!("{e}"));
    let text = flat(&pages(&bytes).join("\n"));
    for expected in [
        "Måluppfyllelse: Uppfyllt",
        "Måluppfyllelse: Delvis uppfyllt",
        "Varning",
        "Fel",
    ] {
        assert!(text.contains(expected), "{expected:?} missing");
    }
    // A suppressed cell prints a dash with a mark, and the reason below the table.
    assert!(text.contains("\u{2013}*"), "no suppressed cell");
    keep("fixture.pdf", &bytes);
}

#[test]
fn an_empty_report_renders() {
    let mut report = common::report();
    report.sections.clear();
    report.tables.clear();
    report.checks.clear();
    report.monthly = None;
    report.meta.municipalities.clear();
    report.memo.date = String::new();
    report.meta.period_end = "inte ett datum".to_string();
    let bytes = pdf::report(&report).unwrap_or_else(|e| panic!("{e}"));
    assert!(bytes.starts_with(b"%PDF-"));
    let text = flat(&pages(&bytes).join("\n"));
    assert!(text.contains("Inga kontroller har körts."));
    let bytes = pdf::memo(&report).unwrap_or_else(|e| panic!("{e}"));
    assert!(bytes.starts_with(b"%PDF-"));
}

#[test]
fn every_forecast_comment_is_printed() {
    let report = example();
    let comments = report
        .table("prognoskommentarer")
        .expect("the example has forecast comments");
    let text = flat(&pages(report_pdf()).join("\n"));
    assert!(!comments.rows.is_empty());
    for row in &comments.rows {
        let Some(comment) = &row.note else {
            panic!("{}: no comment", row.key);
        };
        assert!(
            text.contains(&flat(comment)),
            "PDF lacks the comment {comment:?}"
        );
    }
}

#[test]
fn documents_are_what_each_renderer_makes() {
    use delar_render::documents::{documents, Format};
    use delar_render::{html, json, markdown, xlsx};
    let report = example();
    let files = documents(report, &Format::ALL).unwrap_or_else(|e| panic!("{e}"));
    let expected: Vec<(&str, Vec<u8>)> = vec![
        ("report.html", html::report(report).into_bytes()),
        (
            "report.json",
            format!("{}\n", json::to_string_pretty(report)).into_bytes(),
        ),
        ("report.md", markdown::report(report).into_bytes()),
        ("report.pdf", report_pdf().to_vec()),
        (
            "report.xlsx",
            xlsx::workbook(report).unwrap_or_else(|e| panic!("{e}")),
        ),
        ("tjansteskrivelse.html", html::memo(report).into_bytes()),
        ("tjansteskrivelse.md", markdown::memo(report).into_bytes()),
        ("tjansteskrivelse.pdf", memo_pdf().to_vec()),
    ];
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    let expected_names: Vec<&str> = expected.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, expected_names);
    for ((name, bytes), (_, want)) in files.iter().zip(&expected) {
        assert!(bytes == want, "{name} differs from its renderer's output");
    }
    // Only what is asked for, each file once.
    let files = documents(report, &[Format::Pdf, Format::Json, Format::Pdf])
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["report.json", "report.pdf", "tjansteskrivelse.pdf"]);
    assert!(documents(report, &[]).is_ok_and(|files| files.is_empty()));
}

#[test]
fn reports_typeset_on_several_threads_at_once_are_the_same() {
    // Typst's cache is shared by the process and cleared when the last render in flight
    // ends; renders that overlap must neither disturb each other nor differ.
    let outputs: Vec<(Vec<u8>, Vec<u8>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..3)
            .map(|_| {
                scope.spawn(|| {
                    (
                        pdf::report(example()).unwrap_or_else(|e| panic!("{e}")),
                        pdf::memo(example()).unwrap_or_else(|e| panic!("{e}")),
                    )
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    for (report, memo) in &outputs {
        assert!(report == report_pdf(), "a concurrent report differs");
        assert!(memo == memo_pdf(), "a concurrent memo differs");
    }
}

#[test]
fn the_cache_policy_is_kept_until_changed() {
    assert_eq!(pdf::cache_policy(), pdf::CachePolicy::ClearWhenIdle);
    pdf::set_cache_policy(pdf::CachePolicy::KeepUntilExit);
    assert_eq!(pdf::cache_policy(), pdf::CachePolicy::KeepUntilExit);
    let again = pdf::memo(example()).unwrap_or_else(|e| panic!("{e}"));
    assert!(again == memo_pdf());
    pdf::set_cache_policy(pdf::CachePolicy::ClearWhenIdle);
    assert_eq!(pdf::cache_policy(), pdf::CachePolicy::ClearWhenIdle);
}
