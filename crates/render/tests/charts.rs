//! The charts: golden SVGs of the fixture report, their figures tables against the
//! report's tables and the SVG's own labels, their geometry, and where the HTML and
//! Markdown outputs show them.

mod common;

use common::check;
use delar_core::report::{Cell, Report, Row, Table};
use delar_render::charts::{self, Chart};
use delar_render::format::{self, Style};
use delar_render::{html, markdown};

fn chart<'a>(charts: &'a [Chart], id: &str) -> &'a Chart {
    match charts.iter().find(|c| c.id == id) {
        Some(c) => c,
        None => panic!("no chart {id}"),
    }
}

fn table<'a>(report: &'a Report, id: &str) -> &'a Table {
    match report.table(id) {
        Some(t) => t,
        None => panic!("fixture has no table {id}"),
    }
}

/// The attributes and the content of every element `name` (`<name attrs>content</name>`
/// or `<name attrs/>`), in document order.
fn elements<'a>(svg: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let open = format!("<{name} ");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(at) = rest.find(&open) {
        rest = &rest[at + open.len()..];
        let Some(end) = rest.find('>') else { break };
        let attrs = &rest[..end];
        if attrs.ends_with('/') {
            out.push((attrs, ""));
            rest = &rest[end + 1..];
        } else {
            let body = &rest[end + 1..];
            let Some(stop) = body.find(&close) else { break };
            out.push((attrs, &body[..stop]));
            rest = &body[stop..];
        }
    }
    out
}

/// The value of an attribute in an attribute string.
fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!("{name}=\"");
    let mut from = 0;
    loop {
        let at = attrs.get(from..)?.find(&needle)? + from;
        if at == 0 || attrs[..at].ends_with([' ', '\n']) {
            let rest = &attrs[at + needle.len()..];
            return rest.find('"').map(|end| &rest[..end]);
        }
        from = at + 1;
    }
}

fn num(attrs: &str, name: &str) -> i64 {
    match attr(attrs, name).and_then(|v| v.parse().ok()) {
        Some(v) => v,
        None => panic!("no integer {name} in {attrs:?}"),
    }
}

/// The texts of the value labels (the bold or halo texts placed at bars and line ends).
fn value_labels(svg: &str) -> Vec<String> {
    elements(svg, "text")
        .into_iter()
        .filter(|(attrs, _)| attrs.contains("paint-order=\"stroke\""))
        .map(|(_, body)| body.to_string())
        .collect()
}

/// Every amount of the table as the HTML shows it, row by row.
fn shown_amounts(table: &Table) -> Vec<String> {
    table
        .rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .filter_map(|c| match c {
            Cell::Amount { shown_tkr, .. } => Some(format::tkr(*shown_tkr, Style::Html)),
            _ => None,
        })
        .collect()
}

fn cell<'a>(table: &'a Table, row: &str, column: &str) -> &'a Cell {
    let r = table.row(row).unwrap_or_else(|| panic!("no row {row}"));
    let c = table
        .column_index(column)
        .unwrap_or_else(|| panic!("no column {column}"));
    r.cells
        .get(c)
        .unwrap_or_else(|| panic!("no cell {row}.{column}"))
}

fn shown(table: &Table, row: &str, column: &str) -> i64 {
    match cell(table, row, column) {
        Cell::Amount { shown_tkr, .. } => *shown_tkr,
        other => panic!("{row}.{column} is {other:?}"),
    }
}

#[test]
fn three_charts_in_their_sections() {
    let charts = charts::all(&common::report());
    let ids: Vec<(&str, &str)> = charts
        .iter()
        .map(|c| (c.id.as_str(), c.section.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("budget_prognos", "drift"),
            ("ackumulerat", "drift"),
            ("investeringar", "investeringar")
        ]
    );
    for c in &charts {
        assert!(
            !c.caption.is_empty() && c.caption.contains("tkr"),
            "{}",
            c.id
        );
        assert!(c.table.sum_mismatches().is_empty());
    }
}

#[test]
fn golden_budget_prognos_svg() {
    check(
        &chart(&charts::all(&common::report()), "budget_prognos").svg,
        "chart_budget_prognos.svg",
    );
}

#[test]
fn golden_ackumulerat_svg() {
    check(
        &chart(&charts::all(&common::report()), "ackumulerat").svg,
        "chart_ackumulerat.svg",
    );
}

#[test]
fn golden_investeringar_svg() {
    check(
        &chart(&charts::all(&common::report()), "investeringar").svg,
        "chart_investeringar.svg",
    );
}

#[test]
fn svgs_are_accessible_self_contained_and_balanced() {
    for c in charts::all(&common::report()) {
        let svg = &c.svg;
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 "),
            "{}",
            c.id
        );
        assert!(svg.contains(" role=\"img\""));
        let title = elements(svg, "title");
        assert_eq!(title.len(), 1);
        assert_eq!(title[0].1, c.caption);
        assert_eq!(elements(svg, "desc").len(), 1);
        let labelledby = attr(svg, "aria-labelledby").unwrap_or("");
        for id in labelledby.split(' ') {
            assert!(svg.contains(&format!("id=\"{id}\"")), "{id}");
        }
        for forbidden in ["<script", "href", "url(", "<image", "<foreignObject", "NaN"] {
            assert!(!svg.contains(forbidden), "{} has {forbidden}", c.id);
        }
        // Tags nest properly.
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = svg.as_str();
        while let Some(at) = rest.find('<') {
            rest = &rest[at + 1..];
            let end = rest.find('>').unwrap_or(rest.len());
            let tag = &rest[..end];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name), "{}: </{name}>", c.id);
            } else if !tag.ends_with('/') {
                stack.push(tag.split([' ', '\n']).next().unwrap_or(""));
            }
        }
        assert!(stack.is_empty(), "{}: unclosed {stack:?}", c.id);
        // Labels use the true minus sign, never a hyphen before a digit.
        for (_, body) in elements(svg, "text") {
            assert!(
                !body
                    .char_indices()
                    .any(|(i, ch)| ch == '-'
                        && body[i + 1..].starts_with(|d: char| d.is_ascii_digit())),
                "{}: {body:?}",
                c.id
            );
        }
    }
}

#[test]
fn output_is_deterministic() {
    let report = common::report();
    assert_eq!(charts::all(&report), charts::all(&report.clone()));
}

#[test]
fn budget_prognos_table_is_the_income_statement_items() {
    let report = common::report();
    let c = chart(&charts::all(&report), "budget_prognos").clone();
    let source = table(&report, "resultatrakning");
    let keys: Vec<&str> = c.table.rows.iter().map(|r| r.key.as_str()).collect();
    // Item rows of the net cost, not sums, not the blank row, not Kommunbidrag.
    assert_eq!(
        keys,
        [
            "intakter",
            "personalkostnader",
            "ovriga_kostnader",
            "kapitalkostnad"
        ]
    );
    let columns: Vec<&str> = c.table.columns.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(columns, ["budget", "prognos"]);
    for row in &c.table.rows {
        for column in ["budget", "prognos"] {
            assert_eq!(
                cell(&c.table, &row.key, column),
                cell(source, &row.key, column),
                "{}.{column}",
                row.key
            );
        }
    }
    assert_eq!(shown(&c.table, "intakter", "prognos"), -8213);
}

#[test]
fn investeringar_table_is_the_projects() {
    let report = common::report();
    let c = chart(&charts::all(&report), "investeringar").clone();
    let source = table(&report, "investeringar");
    let keys: Vec<&str> = c.table.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "reinvestering_it",
            "wifi_bildning",
            "tradlost_hlj",
            "natverk_vga"
        ]
    );
    let columns: Vec<&str> = c.table.columns.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(columns, ["utfall", "summa_budget", "prognos"]);
    for row in &c.table.rows {
        for column in &columns {
            assert_eq!(
                cell(&c.table, &row.key, column),
                cell(source, &row.key, column)
            );
        }
    }
    // The projects add up to the table's total.
    for column in &columns {
        let sum: i64 = keys.iter().map(|k| shown(&c.table, k, column)).sum();
        assert_eq!(sum, shown(source, "summa_totalt", column), "{column}");
    }
}

#[test]
fn ackumulerat_table_agrees_with_the_income_statement() {
    let report = common::report();
    let c = chart(&charts::all(&report), "ackumulerat").clone();
    let t = &c.table;
    let source = table(&report, "resultatrakning");
    assert_eq!(t.rows.len(), 12);
    assert_eq!(t.rows[0].label, "januari");
    assert_eq!(t.rows[11].label, "december");
    // The current year stops at the report month.
    for row in &t.rows[8..] {
        assert_eq!(row.cells[0], Cell::Empty, "{}", row.label);
    }
    // Through August: the income statement's net cost, exactly.
    let exact = |cell: &Cell| match cell {
        Cell::Amount { exact_ore, .. } => *exact_ore,
        other => panic!("{other:?}"),
    };
    let aug = &t.rows[7];
    assert_eq!(
        exact(&aug.cells[0]),
        exact(cell(source, "summa_nettokostnader", "utfall"))
    );
    assert_eq!(shown(t, "aug", "utfall"), 17_579);
    assert_eq!(
        exact(&aug.cells[2]),
        exact(cell(source, "summa_nettokostnader", "utfall_fg"))
    );
    assert_eq!(shown(t, "aug", "utfall_fg"), 14_386);
    // The even budget line ends at the full-year budget.
    assert_eq!(
        exact(&t.rows[11].cells[1]),
        exact(cell(source, "summa_nettokostnader", "budget"))
    );
    assert_eq!(shown(t, "dec", "budget"), 26_012);
    // 26 012 270,37 kr × 8 / 12 = 17 341 513,58 kr.
    assert_eq!(shown(t, "aug", "budget"), 17_342);
    assert_eq!(shown(t, "jan", "budget"), 2_168);
    assert_eq!(shown(t, "jan", "utfall"), 2_682);
    assert_eq!(shown(t, "dec", "utfall_fg"), 22_630);
    // Cumulative: each month adds that month's net cost.
    let monthly = common::monthly();
    let mut sum = 0;
    for (row, month) in t.rows.iter().zip(&monthly.prior_ore) {
        sum += month;
        assert_eq!(exact(&row.cells[2]), sum, "{}", row.label);
    }
}

#[test]
fn bar_labels_are_the_table_figures() {
    let report = common::report();
    for id in ["budget_prognos", "investeringar"] {
        let c = chart(&charts::all(&report), id).clone();
        // One label per amount, in row order, series by series.
        assert_eq!(value_labels(&c.svg), shown_amounts(&c.table), "{id}");
    }
}

#[test]
fn line_labels_are_the_table_figures() {
    let report = common::report();
    let c = chart(&charts::all(&report), "ackumulerat").clone();
    let t = &c.table;
    let mut expected = vec![
        format::tkr(shown(t, "aug", "utfall"), Style::Html),
        format::tkr(shown(t, "dec", "budget"), Style::Html),
        format::tkr(shown(t, "dec", "utfall_fg"), Style::Html),
    ];
    let mut labels = value_labels(&c.svg);
    expected.sort();
    labels.sort();
    assert_eq!(labels, expected);
    // Twelve month names on the axis.
    let texts: Vec<String> = elements(&c.svg, "text")
        .into_iter()
        .map(|(_, b)| b.to_string())
        .collect();
    for month in [
        "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ] {
        assert!(texts.iter().any(|t| t == month), "{month}");
    }
}

/// The bars of a bar chart: (x, width) of every outlined rectangle of bar height.
fn bars(svg: &str) -> Vec<(i64, i64)> {
    elements(svg, "rect")
        .into_iter()
        .filter(|(a, _)| attr(a, "height") == Some("16") && attr(a, "fill") == Some("none"))
        .map(|(a, _)| (num(a, "x"), num(a, "width")))
        .collect()
}

#[test]
fn bar_lengths_are_proportional_and_negative_bars_go_left() {
    let report = common::report();
    let charts = charts::all(&report);
    // Investments: 2 350 against 500 (S:a budget of Reinvestering IT and Nätverk).
    let inv = bars(&chart(&charts, "investeringar").svg);
    // Reinvestering IT: utfall 238, budget 2 350, prognos 2 350; Wifi: 0 (no bar), 400, 400.
    let (_, w238) = inv[0];
    let (_, w2350) = inv[1];
    assert_eq!(inv[1], inv[2]);
    let (_, w400) = inv[3];
    assert!((w2350 * 238 - w238 * 2350).abs() <= 2350, "{w238} {w2350}");
    assert!((w2350 * 400 - w400 * 2350).abs() <= 2350, "{w400} {w2350}");
    // Budget and prognos: income bars end where the cost bars start (the zero line).
    let bp = bars(&chart(&charts, "budget_prognos").svg);
    let (x_income, w_income) = bp[0];
    let (x_cost, _) = bp[2];
    assert_eq!(x_income + w_income, x_cost);
    // −8 013 against 12 881.
    let (_, w_personal) = bp[2];
    assert!((w_personal * 8013 - w_income * 12881).abs() <= 12881);
}

#[test]
fn charts_need_their_data() {
    let mut report = common::report();
    report.monthly = None;
    report.tables.retain(|t| t.id != "investeringar");
    let ids: Vec<String> = charts::all(&report).into_iter().map(|c| c.id).collect();
    assert_eq!(ids, ["budget_prognos"]);
    report.tables.retain(|t| t.id != "resultatrakning");
    assert!(charts::all(&report).is_empty());
}

#[test]
fn without_prior_year_the_line_chart_has_two_lines() {
    let mut report = common::report();
    if let Some(m) = report.monthly.as_mut() {
        m.prior_ore.clear();
    }
    let c = chart(&charts::all(&report), "ackumulerat").clone();
    assert_eq!(elements(&c.svg, "polyline").len(), 2);
    assert_eq!(c.table.columns.len(), 2);
    assert!(!c.caption.contains("2022"));
    assert_eq!(value_labels(&c.svg).len(), 2);
}

#[test]
fn a_full_year_labels_all_lines_at_the_edge() {
    let mut report = common::report();
    report.meta.through_month = 12;
    if let Some(m) = report.monthly.as_mut() {
        m.current_ore = m.prior_ore.iter().map(|v| v + 1_000_000).collect();
    }
    let c = chart(&charts::all(&report), "ackumulerat").clone();
    let labels = elements(&c.svg, "text")
        .into_iter()
        .filter(|(a, _)| attr(a, "x") == Some("610"))
        .count();
    // Name and value of three lines, none overlapping (at least 30 units apart).
    assert_eq!(labels, 6);
    let mut ys: Vec<i64> = elements(&c.svg, "text")
        .into_iter()
        .filter(|(a, b)| attr(a, "x") == Some("610") && b.starts_with(char::is_alphabetic))
        .map(|(a, _)| num(a, "y"))
        .collect();
    ys.sort();
    assert!(ys.windows(2).all(|w| w[1] - w[0] >= 30), "{ys:?}");
}

#[test]
fn projects_with_long_names_and_negative_figures_still_draw() {
    let mut report = common::report();
    let Some(inv) = report.tables.iter_mut().find(|t| t.id == "investeringar") else {
        panic!("no investeringar");
    };
    inv.rows[0].label = "Ett mycket långt projektnamn som inte ryms på en rad i diagrammet".into();
    inv.rows[0].cells[0] = Cell::Amount {
        exact_ore: -12_300_000,
        shown_tkr: -123,
    };
    let c = chart(&charts::all(&report), "investeringar").clone();
    assert_eq!(value_labels(&c.svg), shown_amounts(&c.table));
    assert!(c.svg.contains(">\u{2212}123<"));
    // The label is split over two lines.
    let texts: Vec<&str> = elements(&c.svg, "text")
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    assert!(!texts.contains(&"Ett mycket långt projektnamn som inte ryms på en rad i diagrammet"));
    assert!(texts.iter().any(|t| t.starts_with("Ett mycket")));
}

#[test]
fn html_shows_each_chart_in_its_section_after_its_table() {
    let report = common::report();
    let doc = html::report(&report);
    let at = |needle: &str| match doc.find(needle) {
        Some(i) => i,
        None => panic!("{needle} missing"),
    };
    let netto = at("id=\"tabell-resultat_netto\"");
    let bp = at("<figure class=\"chart\" id=\"diagram-budget_prognos\">");
    let ack = at("<figure class=\"chart\" id=\"diagram-ackumulerat\">");
    let budgetforandringar = at("id=\"tabell-budgetforandringar\"");
    let inv_table = at("id=\"tabell-investeringar\"");
    let inv = at("<figure class=\"chart\" id=\"diagram-investeringar\">");
    assert!(netto < bp && bp < ack && ack < budgetforandringar);
    assert!(inv_table < inv);
    for (n, c) in charts::all(&report).iter().enumerate() {
        assert!(doc.contains(&format!(
            "<figcaption><span class=\"chart-number\">Diagram {}.</span> {}</figcaption>",
            n + 1,
            c.caption.replace('&', "&amp;")
        )));
        assert!(doc.contains(&format!("id=\"tabell-{}\"", c.table.id)));
    }
    // The figures follow the figure.
    assert!(
        at("id=\"tabell-diagram_investeringar\"") > inv,
        "figures table before its chart"
    );
    // Inline SVG without a namespace URL; ids stay unique in the document.
    assert_eq!(doc.matches("<svg viewBox=").count(), 3);
    let mut ids: Vec<&str> = doc
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids");
    assert!(doc.contains(
        "figure.chart { margin: 1.75rem 0 .5rem; break-inside: avoid; page-break-inside: avoid; }"
    ));
}

#[test]
fn markdown_has_caption_and_figures_but_no_svg() {
    let report = common::report();
    let text = markdown::report(&report);
    assert!(!text.contains("<svg"));
    for (n, c) in charts::all(&report).iter().enumerate() {
        assert!(
            text.contains(&format!("*Diagram {}. {}*", n + 1, c.caption)),
            "{}",
            c.id
        );
    }
    assert!(text.contains("| NETTOKOSTNAD ACKUMULERAD (tkr) | Utfall 2023 | Budget 2023 jämnt fördelad | Utfall 2022 |"));
    assert!(text.contains("| augusti | 17 579 | 17 342 | 14 386 |"));
    assert!(text.contains("| december | | 26 012 | 22 630 |"));
    assert!(text.contains("| Intäkter | -8 013 | -8 213 |"));
    // In the Drift section, after RESULTAT NETTO and before the comments.
    let netto = text.find("| RESULTAT NETTO (tkr)").unwrap_or(usize::MAX);
    let chart = text.find("*Diagram 1. Budget och prognos").unwrap_or(0);
    let comments = text.find("#### Kommentarer").unwrap_or(0);
    assert!(netto < chart && chart < comments);
}

/// A row of a figures table is an item, never a sum, and carries no note.
#[test]
fn figures_tables_hold_plain_items() {
    for c in charts::all(&common::report()) {
        for Row {
            kind, sum_of, note, ..
        } in &c.table.rows
        {
            assert_eq!(*kind, delar_core::report::RowKind::Item);
            assert!(sum_of.is_empty() && note.is_none());
        }
        assert!(c.table.id.starts_with("diagram_"));
    }
}

#[test]
fn a_large_register_charts_its_largest_projects() {
    let mut report = common::report();
    let inv = report
        .tables
        .iter_mut()
        .find(|t| t.id == "investeringar")
        .expect("fixture has investeringar");
    let template = inv
        .rows
        .iter()
        .find(|r| r.kind == delar_core::report::RowKind::Item)
        .expect("a project row")
        .clone();
    let at = inv
        .rows
        .iter()
        .position(|r| r.kind != delar_core::report::RowKind::Item)
        .unwrap_or(inv.rows.len());
    // 40 projects; project k's largest amount is (k * 37) % 101 tkr (distinct for k < 101),
    // on the budget column for even k and the outcome column for odd k.
    let budget = inv.column_index("summa_budget").expect("summa_budget");
    let outcome = inv.column_index("utfall").expect("utfall");
    let mut projects = Vec::new();
    for k in 0..40i64 {
        let mut row = template.clone();
        row.key = format!("projekt_{k}");
        row.label = format!("Projekt {k}");
        for cell in row.cells.iter_mut() {
            if let Cell::Amount { .. } = cell {
                *cell = Cell::Amount {
                    exact_ore: 0,
                    shown_tkr: 0,
                };
            }
        }
        let size = (k * 37) % 101;
        let col = if k % 2 == 0 { budget } else { outcome };
        row.cells[col] = Cell::Amount {
            exact_ore: size * 100_000,
            shown_tkr: if k % 4 == 1 { -size } else { size },
        };
        projects.push(row);
    }
    inv.rows
        .retain(|r| r.kind != delar_core::report::RowKind::Item);
    for (i, row) in projects.into_iter().enumerate() {
        inv.rows.insert(at.min(inv.rows.len()) + i, row);
    }
    let c = chart(&charts::all(&report), "investeringar").clone();
    let n = charts::MAX_PROJECT_BARS;
    let keys: Vec<String> = c.table.rows.iter().map(|r| r.key.clone()).collect();
    // The n largest by absolute amount, in the table's order.
    let mut want: Vec<i64> = (0..40).collect();
    want.sort_by_key(|k| std::cmp::Reverse((k * 37) % 101));
    want.truncate(n);
    want.sort_unstable();
    let want: Vec<String> = want.iter().map(|k| format!("projekt_{k}")).collect();
    assert_eq!(keys, want);
    assert!(
        c.caption.contains(&format!(
            "Diagrammet visar de {n} projekt med störst belopp av 40"
        )),
        "{}",
        c.caption
    );
    // One group of bars per charted project, not one per project of the register.
    let labels = elements(&c.svg, "text")
        .into_iter()
        .filter(|(_, body)| body.starts_with("Projekt "))
        .count();
    assert_eq!(labels, n, "{}", c.svg.len());
}
