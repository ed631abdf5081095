//! The report and its cover memo as self-contained, print-ready HTML documents.
//!
//! Each document is one string with inline CSS and no external resources: it reads well
//! on screen (limited line length, system fonts) and prints on A4 portrait (page margins,
//! page breaks before the heavy main sections, table rows kept whole, headers repeated).
//! All text from the report is escaped; Markdown goes through [`crate::markdown_html`].

use delar_core::report::{
    Block, CheckStatus, Goal, GoalStatus, Report, Row, RowKind, Section, Table, Unit,
};

use crate::charts::{self, Chart};
use crate::common::{self, Footnotes, Shown};
use crate::format::Style;
use crate::markdown_html;

/// Renders the interim report (title block, table of contents, sections, checks appendix).
pub fn report(report: &Report) -> String {
    report_with_links(report, &|_, _, _| None)
}

/// Where a figure of a table links to: given the table, the row and the column index, an
/// address (already safe to use as a URL; it is escaped as an attribute) or `None`.
pub type FigureLink<'a> = dyn Fn(&Table, &Row, usize) -> Option<String> + 'a;

/// Renders the interim report as [`report`] does, with the figures `link` names wrapped in
/// links (the web application links outcome figures to the ledger rows behind them).
/// With a `link` that names none, the output is byte for byte [`report`]'s.
pub fn report_with_links(report: &Report, link: &FigureLink<'_>) -> String {
    let meta = &report.meta;
    let mut out = String::with_capacity(32 * 1024);
    let head_title = if meta.committee.is_empty() {
        meta.title.clone()
    } else {
        format!("{} \u{2013} {}", meta.title, meta.committee)
    };
    document_start(&mut out, &head_title, "report");

    // Title block.
    out.push_str("<header class=\"cover\" id=\"titel\">\n");
    if !meta.committee.is_empty() {
        push_line(&mut out, "p", "cover-committee", &esc(&meta.committee));
    }
    out.push_str(&format!("<h1>{}</h1>\n", esc(&meta.title)));
    if let Some(period) = common::period_line(report) {
        push_line(&mut out, "p", "cover-period", &esc(&period));
    }
    for line in &meta.organisation {
        push_line(&mut out, "p", "cover-organisation", &esc(line));
    }
    out.push_str("</header>\n");

    // Table of contents and reading guide.
    let anchors = section_anchors(&report.sections);
    out.push_str("<nav class=\"toc\" id=\"innehall\" aria-labelledby=\"innehall-rubrik\">\n");
    out.push_str("<h2 id=\"innehall-rubrik\">Innehållsförteckning</h2>\n<ol>\n");
    for (section, anchor) in report.sections.iter().zip(&anchors) {
        let level = section.level.clamp(1, 3);
        out.push_str(&format!(
            "<li class=\"toc-{level}\"><a href=\"#{}\">{}</a></li>\n",
            esc(anchor),
            esc(&section.heading)
        ));
    }
    out.push_str(&format!(
        "<li class=\"toc-1\"><a href=\"#bilaga-kontroller\">{}</a></li>\n",
        esc(common::CHECKS_HEADING)
    ));
    out.push_str("</ol>\n");
    out.push_str("<div class=\"reading-guide\">\n<h3>Om siffrorna</h3>\n");
    if !meta.sign_convention.trim().is_empty() {
        push_line(&mut out, "p", "", &esc(&meta.sign_convention));
    }
    push_line(&mut out, "p", "", &esc(common::rounding_note(report)));
    out.push_str("</div>\n</nav>\n");

    // Sections.
    out.push_str("<main>\n");
    let charts = charts::all(report);
    let mut shown_charts = 0;
    for (index, (section, anchor)) in report.sections.iter().zip(&anchors).enumerate() {
        let new_page = common::starts_page(&report.sections, index);
        let context = SectionContext {
            report,
            charts: &charts,
            anchor,
            new_page,
            link,
        };
        render_section(&mut out, &context, section, &mut shown_charts);
    }
    render_checks(&mut out, report);
    out.push_str("</main>\n");
    document_end(&mut out);
    out
}

/// Renders the tjänsteskrivelse (cover memo) as its own document, in the seed's order:
/// summary, decision basis, proposed decision, signature, distribution, background.
pub fn memo(report: &Report) -> String {
    let memo = &report.memo;
    let meta = &report.meta;
    let mut out = String::with_capacity(8 * 1024);
    document_start(
        &mut out,
        &format!("Tjänsteskrivelse: {}", memo.title),
        "memo",
    );
    out.push_str("<header class=\"memo-head\">\n<div class=\"memo-meta\">\n");
    let sender = if meta.committee.is_empty() {
        String::new()
    } else {
        esc(&meta.committee)
    };
    push_line(&mut out, "p", "memo-sender", &sender);
    if let Some(line) = meta.organisation.last() {
        push_line(&mut out, "p", "memo-organisation", &esc(line));
    }
    out.push_str("<p class=\"memo-kind\">Tjänsteskrivelse</p>\n");
    out.push_str(&format!(
        "<p class=\"memo-date\">Datum: <time datetime=\"{0}\">{0}</time></p>\n",
        esc(&memo.date)
    ));
    out.push_str("</div>\n");
    out.push_str(&format!(
        "<h1>{}</h1>\n</header>\n<main>\n",
        esc(&memo.title)
    ));

    out.push_str("<section class=\"memo-part\">\n<h2>Sammanfattning</h2>\n");
    out.push_str(&markdown_html::to_html(&memo.summary, 3));
    out.push_str("</section>\n");

    out.push_str("<section class=\"memo-part\">\n<h2>Beslutsunderlag</h2>\n");
    push_list(&mut out, &memo.basis);
    out.push_str("</section>\n");

    out.push_str("<section class=\"memo-part memo-decision\">\n<h2>Förslag till beslut</h2>\n");
    out.push_str(&markdown_html::to_html(&memo.decision, 3));
    out.push_str("</section>\n");

    out.push_str("<div class=\"signature\">\n");
    push_line(&mut out, "p", "signature-name", &esc(&memo.author));
    push_line(&mut out, "p", "signature-title", &esc(&memo.author_title));
    out.push_str("</div>\n");

    if !memo.distribution.is_empty() || !memo.for_information.is_empty() {
        out.push_str("<dl class=\"distribution\">\n");
        for (label, names) in [
            ("Expedieras till:", &memo.distribution),
            ("För kännedom till:", &memo.for_information),
        ] {
            if names.is_empty() {
                continue;
            }
            out.push_str(&format!("<dt>{label}</dt>\n"));
            for name in names {
                out.push_str(&format!("<dd>{}</dd>\n", esc(name)));
            }
        }
        out.push_str("</dl>\n");
    }

    // Bakgrund starts a printed page of its own, so an empty one is left out.
    if !memo.background.trim().is_empty() {
        out.push_str("<section class=\"memo-part memo-background\">\n<h2>Bakgrund</h2>\n");
        out.push_str(&markdown_html::to_html(&memo.background, 3));
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n");
    document_end(&mut out);
    out
}

/// What a section needs besides its own content.
struct SectionContext<'a> {
    report: &'a Report,
    charts: &'a [Chart],
    anchor: &'a str,
    new_page: bool,
    link: &'a FigureLink<'a>,
}

/// Renders a section with its blocks and charts; `shown_charts` counts the charts shown
/// so far, for their numbers.
fn render_section(
    out: &mut String,
    context: &SectionContext<'_>,
    section: &Section,
    shown_charts: &mut usize,
) {
    let SectionContext {
        report,
        charts,
        anchor,
        new_page,
        link,
    } = *context;
    let level = section.level.clamp(1, 3);
    let h = level + 1;
    let mut class = format!("level-{level}");
    if new_page {
        class.push_str(" new-page");
    }
    out.push_str(&format!(
        "<section class=\"{class}\" id=\"{}\">\n<h{h}>{}</h{h}>\n",
        esc(anchor),
        esc(&section.heading)
    ));
    let placed = charts::place(section, charts);
    for (index, block) in section.blocks.iter().enumerate() {
        match block {
            Block::Markdown { text } => out.push_str(&markdown_html::to_html(text, h + 1)),
            Block::Table { id } => match report.table(id) {
                Some(table) => render_table(out, table, link),
                None => out.push_str(&format!(
                    "<p class=\"missing\">Tabellen \u{201d}{}\u{201d} saknas i rapportdata.</p>\n",
                    esc(id)
                )),
            },
            Block::Goal(goal) => render_goal(out, goal, h + 1),
        }
        for chart in placed.after(index) {
            *shown_charts += 1;
            render_chart(out, chart, *shown_charts);
        }
    }
    for chart in placed.at_end() {
        *shown_charts += 1;
        render_chart(out, chart, *shown_charts);
    }
    out.push_str("</section>\n");
}

/// A chart as a figure (the SVG inline, its caption) followed by its figures table; on
/// paper the two stay on one page when they fit.
fn render_chart(out: &mut String, chart: &Chart, number: usize) {
    out.push_str(&format!(
        "<div class=\"chart-block\">\n<figure class=\"chart\" id=\"diagram-{}\">\n<div class=\"chart-svg\">\n",
        esc(&anchor_part(&chart.id))
    ));
    // Inline SVG in HTML needs no namespace declaration; leaving it out keeps the
    // document free of URLs.
    let svg = chart
        .svg
        .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    out.push_str(&svg);
    if !svg.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!(
        "</div>\n<figcaption><span class=\"chart-number\">Diagram {number}.</span> {}</figcaption>\n</figure>\n<div class=\"chart-figures\">\n",
        esc(&chart.caption)
    ));
    render_table(out, &chart.table, &|_, _, _| None);
    out.push_str("</div>\n</div>\n");
}

fn render_table(out: &mut String, table: &Table, link: &FigureLink<'_>) {
    let notes = Footnotes::of(table);
    let with_notes = common::has_row_notes(table);
    let unit = match table.unit {
        Unit::Tkr => "tkr",
        Unit::Procent => "procent",
        Unit::Text => "text",
    };
    // Six or more figure columns need the room of the whole line on A4 portrait.
    let wide = if table.columns.len() >= 6 {
        " wide"
    } else {
        ""
    };
    out.push_str(&format!(
        "<div class=\"table-block\" id=\"tabell-{}\">\n<div class=\"table-scroll\">\n<table class=\"figures unit-{unit}{wide}\">\n<thead>\n<tr><th scope=\"col\" class=\"label\">{}</th>",
        esc(&anchor_part(&table.id)),
        esc(&common::soft_hyphenate(&table.title))
    ));
    for column in &table.columns {
        out.push_str(&format!(
            "<th scope=\"col\" class=\"num\">{}</th>",
            esc(&common::soft_hyphenate(&column.label))
        ));
    }
    if with_notes {
        out.push_str(&format!(
            "<th scope=\"col\" class=\"note\">{}</th>",
            common::soft_hyphenate(common::note_column(table))
        ));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &table.rows {
        let class = match row.kind {
            RowKind::Item => "item",
            RowKind::Subtotal => "subtotal",
            RowKind::Total => "total",
        };
        out.push_str(&format!(
            "<tr class=\"{class}\"><th scope=\"row\">{}</th>",
            esc(&row.label)
        ));
        for index in 0..table.columns.len() {
            let cell = row
                .cells
                .get(index)
                .map(|c| common::shown(c, Style::Html, &notes))
                .unwrap_or(Shown::Blank);
            match cell {
                Shown::Blank => out.push_str("<td class=\"num\"></td>"),
                Shown::Number(text) => match link(table, row, index) {
                    Some(href) => out.push_str(&format!(
                        "<td class=\"num\"><a class=\"drill\" href=\"{}\">{text}</a></td>",
                        esc(&href)
                    )),
                    None => out.push_str(&format!("<td class=\"num\">{text}</td>")),
                },
                Shown::Suppressed(mark) => out.push_str(&format!(
                    "<td class=\"num suppressed\">{}{}</td>",
                    common::SUPPRESSED_DASH,
                    esc(&mark)
                )),
                Shown::Text(text) => {
                    out.push_str(&format!("<td class=\"text\">{}</td>", esc(&text)))
                }
            }
        }
        if with_notes {
            out.push_str(&format!(
                "<td class=\"note\">{}</td>",
                esc(row.note.as_deref().unwrap_or(""))
            ));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    let footnotes: Vec<(String, &str)> = notes.entries().collect();
    if !footnotes.is_empty() || !table.notes.is_empty() {
        out.push_str("<div class=\"table-notes\">\n");
        for (mark, reason) in footnotes {
            out.push_str(&format!(
                "<p class=\"footnote\">{}{} {}</p>\n",
                common::SUPPRESSED_DASH,
                esc(&mark),
                esc(reason)
            ));
        }
        for note in &table.notes {
            push_line(out, "p", "", &esc(note));
        }
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n");
}

fn render_goal(out: &mut String, goal: &Goal, h: u8) {
    let h = h.min(6);
    let (class, symbol, label) = match goal.status {
        Some(GoalStatus::Uppfyllt) => ("uppfyllt", "\u{25cf}", GoalStatus::Uppfyllt.label()),
        Some(GoalStatus::Delvis) => ("delvis", "\u{25d0}", GoalStatus::Delvis.label()),
        Some(GoalStatus::EjUppfyllt) => ("ej", "\u{25cb}", GoalStatus::EjUppfyllt.label()),
        None => ("none", "\u{2013}", "Ej bedömt"),
    };
    out.push_str(&format!(
        "<article class=\"goal goal-{class}\">\n<h{h} class=\"goal-title\">{}</h{h}>\n",
        esc(&goal.title)
    ));
    out.push_str(&format!(
        "<p class=\"goal-status\"><span class=\"badge badge-{class}\"><span class=\"badge-symbol\" aria-hidden=\"true\">{symbol}</span> Måluppfyllelse: {label}</span></p>\n"
    ));
    out.push_str(&markdown_html::to_html(&goal.text, h + 1));
    if !goal.indicators.is_empty() {
        out.push_str("<div class=\"table-block\">\n<div class=\"table-scroll\">\n<table class=\"figures indicators\">\n<thead>\n<tr><th scope=\"col\" class=\"label\">Indikator</th><th scope=\"col\">Målvärde</th><th scope=\"col\">Utfall</th></tr>\n</thead>\n<tbody>\n");
        for indicator in &goal.indicators {
            out.push_str(&format!(
                "<tr class=\"item\"><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>\n",
                esc(&indicator.name),
                esc(&indicator.target),
                esc(&indicator.outcome)
            ));
        }
        out.push_str("</tbody>\n</table>\n</div>\n</div>\n");
    }
    out.push_str("</article>\n");
}

fn render_checks(out: &mut String, report: &Report) {
    out.push_str(&format!(
        "<section class=\"level-1 appendix new-page\" id=\"bilaga-kontroller\">\n<h2>{}</h2>\n",
        esc(common::CHECKS_HEADING)
    ));
    push_line(
        out,
        "p",
        "checks-summary",
        &esc(&common::check_summary(report)),
    );
    if !report.checks.is_empty() {
        out.push_str("<div class=\"table-scroll\">\n<table class=\"figures checks\">\n<thead>\n<tr><th scope=\"col\" class=\"status\">Status</th><th scope=\"col\">Kontroll</th><th scope=\"col\" class=\"figs\">Underlag</th></tr>\n</thead>\n<tbody>\n");
        for check in &report.checks {
            let (class, symbol) = match check.status {
                CheckStatus::Pass => ("pass", "\u{2713}"),
                CheckStatus::Warn => ("warn", "!"),
                CheckStatus::Fail => ("fail", "\u{2717}"),
            };
            out.push_str(&format!(
                "<tr class=\"check check-{class}\"><td class=\"status\"><span class=\"badge badge-{class}\"><span class=\"badge-symbol\" aria-hidden=\"true\">{symbol}</span> {}</span></td>",
                common::check_label(check.status)
            ));
            out.push_str(&format!(
                "<td><p class=\"check-message\">{}</p><p class=\"check-id\"><code>{}</code></p></td>",
                esc(&glue_numbers(&check.message)),
                esc(&check.id)
            ));
            out.push_str("<td class=\"figs\">");
            if !check.figures.is_empty() {
                out.push_str("<dl class=\"check-figures\">");
                for (label, value) in &check.figures {
                    out.push_str(&format!(
                        "<div><dt>{}</dt><dd>{}</dd></div>",
                        esc(label),
                        esc(&glue_numbers(value))
                    ));
                }
                out.push_str("</dl>");
            }
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
    }
    out.push_str("</section>\n");
}

/// Anchors of the sections: their ids made safe for URLs, made unique.
fn section_anchors(sections: &[Section]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::with_capacity(sections.len());
    for section in sections {
        let mut base = anchor_part(&section.id);
        if base.is_empty() || base == "titel" || base == "innehall" || base.starts_with("tabell-") {
            base = format!("avsnitt-{base}");
        }
        let mut anchor = base.clone();
        let mut n = 2;
        while seen.contains(&anchor) || anchor == "bilaga-kontroller" {
            anchor = format!("{base}-{n}");
            n += 1;
        }
        seen.push(anchor);
    }
    seen
}

/// An id with whitespace and characters that need URL escaping replaced by "-".
fn anchor_part(id: &str) -> String {
    id.trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn push_line(out: &mut String, tag: &str, class: &str, escaped_content: &str) {
    if class.is_empty() {
        out.push_str(&format!("<{tag}>{escaped_content}</{tag}>\n"));
    } else {
        out.push_str(&format!(
            "<{tag} class=\"{class}\">{escaped_content}</{tag}>\n"
        ));
    }
}

fn push_list(out: &mut String, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str("<ul>\n");
    for item in items {
        out.push_str(&format!("<li>{}</li>\n", esc(item)));
    }
    out.push_str("</ul>\n");
}

/// The text of the one inline `<style>` element of every document this module writes
/// (a constant), for a Content-Security-Policy `'sha256-…'` source that allows exactly it.
pub fn inline_style() -> String {
    format!("\n{CSS}")
}

fn document_start(out: &mut String, title: &str, kind: &str) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n<style>", esc(title)));
    out.push_str(&inline_style());
    out.push_str(&format!(
        "</style>\n</head>\n<body class=\"{kind}\">\n<div class=\"document\">\n"
    ));
}

fn document_end(out: &mut String) {
    out.push_str("</div>\n</body>\n</html>\n");
}

/// Text with the spaces inside numbers ("118 385 520,98") and before a unit ("0,00 kr",
/// "40,29 %") made no-break, so a figure never wraps across lines.
fn glue_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let after_digit = i > 0 && chars[i - 1].is_ascii_digit();
        let glue = c == ' ' && after_digit && {
            let rest: String = chars[i + 1..].iter().take(4).collect();
            let unit = ["kr", "tkr", "%", "öre"].iter().any(|u| {
                rest.strip_prefix(u)
                    .is_some_and(|tail| tail.chars().next().is_none_or(|n| !n.is_alphanumeric()))
            });
            unit || chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())
        };
        out.push(if glue { '\u{a0}' } else { c });
    }
    out
}

/// Escapes text for HTML content and double-quoted attribute values.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The style sheet of both documents.
const CSS: &str = r#"@page {
  size: A4 portrait;
  margin: 20mm 20mm 22mm 22mm;
  @bottom-right {
    content: counter(page);
    font: 9pt system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
    color: #5a5a5a;
  }
}
@page :first {
  @bottom-right { content: none; }
}
*, *::before, *::after { box-sizing: border-box; }
:root {
  color-scheme: light;
  --ink: #1b1b1b;
  --muted: #595959;
  --rule: #c9ced6;
  --soft: #f2f4f7;
  --accent: #1f4e79;
}
html {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  font-size: 100%;
  line-height: 1.55;
  color: var(--ink);
  background: #fff;
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}
body { margin: 0; }
.document { max-width: 50rem; margin: 0 auto; padding: 2.5rem 1.5rem 4rem; }
h1, h2, h3, h4, h5, h6 {
  line-height: 1.25;
  color: var(--accent);
  break-after: avoid;
  page-break-after: avoid;
  break-inside: avoid;
}
h1 { font-size: 2.25rem; margin: 0 0 1rem; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 .75rem; padding-bottom: .3rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
h4, h5, h6 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
p { margin: 0 0 .8em; }
p, li { orphans: 3; widows: 3; }
ul, ol { margin: 0 0 .8em; padding-left: 1.5rem; }
li { margin: .15em 0; }
a { color: var(--accent); }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .85em; }
.cover { padding: 2.5rem 0 2rem; margin-bottom: 2rem; border-bottom: 3px solid var(--accent); }
.cover-committee { font-size: 1.25rem; font-weight: 600; margin: 0 0 .5rem; }
.cover h1 { font-size: 2.75rem; margin: 0 0 .5rem; }
.cover-period { font-size: 1.1rem; color: var(--muted); margin: 0 0 2rem; }
.cover-municipalities { font-size: 1.1rem; margin: 0 0 .25rem; }
.cover-host { color: var(--muted); margin: 0; }
.toc ol { list-style: none; padding: 0; margin: 0 0 2rem; }
.toc li { margin: 0; padding: .3rem 0; border-bottom: 1px dotted var(--rule); }
.toc li.toc-2 { padding-left: 1.5rem; }
.toc li.toc-3 { padding-left: 3rem; }
.toc a { color: inherit; text-decoration: none; }
.toc a:hover, .toc a:focus { color: var(--accent); text-decoration: underline; }
.reading-guide { font-size: .9rem; color: var(--muted); background: var(--soft); border-radius: 4px; padding: .75rem 1rem .25rem; }
.reading-guide h3 { font-size: 1rem; margin: 0 0 .4rem; color: var(--ink); }
.table-block { margin: 1.25rem 0 1.5rem; break-inside: avoid; page-break-inside: avoid; }
.table-scroll { overflow-x: auto; }
table.figures { width: 100%; border-collapse: collapse; font-size: .875rem; line-height: 1.35; }
table.figures th, table.figures td {
  padding: .35rem .5rem;
  text-align: left;
  vertical-align: top;
  border-bottom: 1px solid var(--rule);
}
table.figures thead th {
  vertical-align: bottom;
  font-weight: 700;
  background: var(--soft);
  border-bottom: 2px solid var(--ink);
  hyphens: auto;
  -webkit-hyphens: auto;
}
table.figures tbody th { font-weight: 400; }
table.figures .num {
  text-align: right;
  font-variant-numeric: tabular-nums lining-nums;
  white-space: nowrap;
  width: 5.5em;
}
table.figures thead th.num { white-space: normal; }
table.figures.wide { font-size: .8125rem; }
table.figures.wide th, table.figures.wide td { padding-left: .4rem; padding-right: .4rem; }
table.figures.wide .num { width: auto; }
table.figures.wide thead th.label { width: 38%; }
table.figures .note { width: 38%; }
table.figures td.note { color: var(--muted); }
table.figures .suppressed { color: var(--muted); }
table.figures tr.subtotal > th, table.figures tr.subtotal > td { font-weight: 700; }
table.figures tr.total > th, table.figures tr.total > td {
  font-weight: 700;
  border-top: 1.5px solid var(--ink);
  border-bottom: 2px solid var(--ink);
}
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.table-notes { font-size: .8rem; color: var(--muted); margin-top: .45rem; }
.chart-block { break-inside: avoid; page-break-inside: avoid; }
figure.chart { margin: 1.75rem 0 .5rem; break-inside: avoid; page-break-inside: avoid; }
.chart-svg { overflow-x: auto; }
.chart-svg svg { display: block; width: 100%; min-width: 34rem; height: auto; }
figure.chart figcaption { font-size: .875rem; color: var(--muted); margin-top: .4rem; }
.chart-number { font-weight: 700; color: var(--ink); }
.chart-figures .table-block { margin-top: .5rem; }
.chart-figures table.figures { font-size: .8rem; width: auto; min-width: 60%; }
.chart-figures table.figures .num { width: 7.5em; }
.chart-figures table.figures th, .chart-figures table.figures td { padding-top: .2rem; padding-bottom: .2rem; }
.table-notes p { margin: 0 0 .2rem; }
.missing { color: #8a1f1f; font-weight: 600; }
.badge {
  display: inline-block;
  padding: .1rem .6rem;
  border: 1px solid;
  border-radius: 999px;
  font-size: .85rem;
  font-weight: 600;
  line-height: 1.4;
  white-space: nowrap;
}
.badge-symbol { font-weight: 400; }
.badge-uppfyllt, .badge-pass { background: #e6f4ea; color: #1e5b2c; border-color: #9fcca9; }
.badge-delvis, .badge-warn { background: #fff4d6; color: #6b4a00; border-color: #e0bf5f; }
.badge-ej, .badge-fail { background: #fbe5e5; color: #8a1f1f; border-color: #e3a3a3; }
.badge-none { background: var(--soft); color: var(--muted); border-color: var(--rule); }
.goal { margin: 1.25rem 0 1.75rem; padding-left: 1rem; border-left: 3px solid var(--rule); break-inside: avoid; page-break-inside: avoid; }
.goal-uppfyllt { border-left-color: #6fb17f; }
.goal-delvis { border-left-color: #e0bf5f; }
.goal-ej { border-left-color: #d98282; }
.goal-title { margin-top: 0; }
.goal-status { margin: 0 0 .6rem; }
table.indicators td { width: 22%; }
table.checks .status { width: 1%; white-space: nowrap; }
table.checks .figs { width: 40%; }
table.checks td p { margin: 0; }
.check-id { color: var(--muted); font-size: .8rem; margin-top: .15rem; }
.check-figures { margin: 0; font-size: .8rem; }
.check-figures div { display: flex; gap: .25rem .75rem; justify-content: space-between; }
.check-figures dt { flex: 1 1 45%; color: var(--muted); }
.check-figures dd { flex: 0 1 auto; margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
.checks-summary { font-weight: 600; }
.memo-head { margin-bottom: 2rem; border-bottom: 3px solid var(--accent); padding-bottom: 1rem; }
.memo-meta { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .25rem 1.5rem; color: var(--muted); font-size: .9rem; margin-bottom: 1.5rem; }
.memo-meta p { margin: 0; }
.memo-kind { font-weight: 700; text-transform: uppercase; letter-spacing: .06em; }
.memo-head h1 { font-size: 1.75rem; margin: 0; }
.memo h2 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; border-bottom: none; padding-bottom: 0; }
.memo-decision p { font-weight: 600; }
.signature { margin: 2.5rem 0 2rem; break-inside: avoid; }
.signature p { margin: 0; }
.signature-name { font-weight: 600; }
.distribution { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 2rem; font-size: .9rem; }
.distribution dt { grid-column: 1; font-weight: 600; }
.distribution dd { grid-column: 2; margin: 0; }
@media screen and (max-width: 40rem) {
  .document { padding: 1.25rem .75rem 3rem; }
  .cover h1 { font-size: 2rem; }
}
@media print {
  html { font-size: 10.5pt; }
  .document { max-width: none; margin: 0; padding: 0; }
  .report .cover {
    min-height: 235mm;
    display: flex;
    flex-direction: column;
    justify-content: center;
    border-bottom: none;
    margin: 0;
    padding: 0;
    break-after: page;
    page-break-after: always;
  }
  .toc { break-after: page; page-break-after: always; }
  .new-page { break-before: page; page-break-before: always; }
  /* Keep a heading off the bottom of a page: it claims room for a few lines below it. */
  h2::after, h3::after, h4::after, h5::after, h6::after {
    content: "";
    display: block;
    height: 6rem;
    margin-bottom: -6rem;
  }
  .new-page > h2:first-child, main > section:first-child > h2:first-child { margin-top: 0; }
  .memo-background { break-before: page; page-break-before: always; }
  .memo-background > h2 { margin-top: 0; }
  a { color: inherit; text-decoration: none; }
  .table-scroll { overflow: visible; }
  .chart-svg { overflow: visible; }
  .chart-svg svg { min-width: 0; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(
            esc("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(esc("Vårgårda"), "Vårgårda");
    }

    #[test]
    fn numbers_do_not_wrap() {
        assert_eq!(
            glue_numbers("netto 118 385 520,98 kr och 40,29 % av 2023 års 12 poster"),
            "netto 118\u{a0}385\u{a0}520,98\u{a0}kr och 40,29\u{a0}% av 2023 års 12 poster"
        );
        assert_eq!(glue_numbers("3 krav"), "3 krav");
        assert_eq!(glue_numbers("17 578 tkr"), "17\u{a0}578\u{a0}tkr");
    }

    #[test]
    fn anchors_are_safe_and_unique() {
        assert_eq!(anchor_part("drift"), "drift");
        assert_eq!(anchor_part("a b\"c"), "a-b-c");
    }
}
