//! The report and its cover memo as GitHub-flavoured Markdown.
//!
//! Tables become pipe tables with right-aligned figure columns and sums in bold; figures
//! use a normal space between thousands and "-" for minus so the text diffs and searches
//! well. The report's own Markdown blocks are copied as they are.

use delar_core::report::{Block, CheckStatus, Goal, Report, RowKind, Section, Table};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::charts::{self, Chart};
use crate::common::{self, Footnotes, Shown};
use crate::format::Style;

/// Renders the interim report as Markdown.
pub fn report(report: &Report) -> String {
    let meta = &report.meta;
    let mut slugs = Slugger::default();
    let mut out = String::with_capacity(16 * 1024);

    out.push_str(&format!("# {}\n\n", inline(&meta.title)));
    slugs.slug(&meta.title);
    let mut cover = Vec::new();
    if !meta.committee.is_empty() {
        cover.push(format!("**{}**", inline(&meta.committee)));
    }
    if let Some(period) = common::period_line(report) {
        cover.push(inline(&period));
    }
    for line in &report.meta.organisation {
        cover.push(inline(line));
    }
    if !cover.is_empty() {
        out.push_str(&cover.join("  \n"));
        out.push_str("\n\n");
    }

    // Table of contents: slugs are computed in document order, as GitHub does.
    slugs.slug("Innehållsförteckning");
    slugs.slug("Om siffrorna");
    let mut toc = String::new();
    for section in &report.sections {
        let anchor = slugs.slug(&section.heading);
        let indent = "  ".repeat(usize::from(section.level.clamp(1, 3) - 1));
        toc.push_str(&format!(
            "{indent}- [{}](#{anchor})\n",
            link_text(&section.heading)
        ));
        // Headings inside the section take anchors too and shift the numbering of
        // repeated headings after them.
        for block in &section.blocks {
            match block {
                Block::Markdown { text } => {
                    for heading in markdown_headings(text) {
                        slugs.slug(&heading);
                    }
                }
                Block::Goal(goal) => {
                    slugs.slug(&goal.title);
                    for heading in markdown_headings(&goal.text) {
                        slugs.slug(&heading);
                    }
                }
                Block::Table { .. } => {}
            }
        }
    }
    let checks_anchor = slugs.slug(common::CHECKS_HEADING);
    toc.push_str(&format!(
        "- [{}](#{checks_anchor})\n",
        link_text(common::CHECKS_HEADING)
    ));
    out.push_str("## Innehållsförteckning\n\n");
    out.push_str(&toc);
    out.push('\n');

    out.push_str("### Om siffrorna\n\n");
    if !meta.sign_convention.trim().is_empty() {
        out.push_str(&format!("{}\n\n", inline(&meta.sign_convention)));
    }
    out.push_str(&format!("{}\n\n", common::rounding_note(report)));

    let charts = charts::all(report);
    let mut shown_charts = 0;
    for section in &report.sections {
        render_section(&mut out, report, &charts, section, &mut shown_charts);
    }
    render_checks(&mut out, report);
    finish(out)
}

/// Renders the tjänsteskrivelse (cover memo) as Markdown, in the seed's order.
pub fn memo(report: &Report) -> String {
    let memo = &report.memo;
    let mut out = String::with_capacity(4 * 1024);
    out.push_str(&format!("# {}\n\n", inline(&memo.title)));
    let mut head = Vec::new();
    if !report.meta.committee.is_empty() {
        head.push(inline(&report.meta.committee));
    }
    if let Some(line) = report.meta.organisation.last() {
        head.push(inline(line));
    }
    head.push("Tjänsteskrivelse".to_string());
    head.push(format!("Datum: {}", inline(&memo.date)));
    out.push_str(&head.join("  \n"));
    out.push_str("\n\n## Sammanfattning\n\n");
    push_block(&mut out, &memo.summary);
    out.push_str("## Beslutsunderlag\n\n");
    push_list(&mut out, &memo.basis);
    out.push_str("## Förslag till beslut\n\n");
    push_block(&mut out, &memo.decision);
    out.push_str(&format!(
        "{}  \n{}\n\n",
        inline(&memo.author),
        inline(&memo.author_title)
    ));
    for (label, names) in [
        ("Expedieras till:", &memo.distribution),
        ("För kännedom till:", &memo.for_information),
    ] {
        if names.is_empty() {
            continue;
        }
        out.push_str(&format!("**{label}**\n\n"));
        push_list(&mut out, names);
    }
    if !memo.background.trim().is_empty() {
        out.push_str("## Bakgrund\n\n");
        push_block(&mut out, &memo.background);
    }
    finish(out)
}

/// Renders a section with its blocks and charts; `shown_charts` counts the charts shown
/// so far, for their numbers.
fn render_section(
    out: &mut String,
    report: &Report,
    charts: &[Chart],
    section: &Section,
    shown_charts: &mut usize,
) {
    let level = usize::from(section.level.clamp(1, 3));
    out.push_str(&format!(
        "{} {}\n\n",
        "#".repeat(level + 1),
        inline(&section.heading)
    ));
    let placed = charts::place(section, charts);
    for (index, block) in section.blocks.iter().enumerate() {
        match block {
            Block::Markdown { text } => push_block(out, text),
            Block::Table { id } => match report.table(id) {
                Some(table) => render_table(out, table),
                None => out.push_str(&format!(
                    "*Tabellen \u{201d}{}\u{201d} saknas i rapportdata.*\n\n",
                    inline(id)
                )),
            },
            Block::Goal(goal) => render_goal(out, goal, level + 2),
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
}

/// A chart without its picture: the caption and the figures table.
fn render_chart(out: &mut String, chart: &Chart, number: usize) {
    out.push_str(&format!(
        "*Diagram {number}. {}*\n\n",
        inline(&chart.caption)
    ));
    render_table(out, &chart.table);
}

fn render_table(out: &mut String, table: &Table) {
    let notes = Footnotes::of(table);
    let with_notes = common::has_row_notes(table);
    let mut header = vec![cell_text(&table.title)];
    let mut align = vec![":---".to_string()];
    for column in &table.columns {
        header.push(cell_text(&column.label));
        align.push("---:".to_string());
    }
    if with_notes {
        header.push(common::note_column(table).to_string());
        align.push(":---".to_string());
    }
    push_row(out, &header);
    push_row(out, &align);
    for row in &table.rows {
        let bold = matches!(row.kind, RowKind::Subtotal | RowKind::Total);
        let mut cells = vec![strong(cell_text(&row.label), bold)];
        for index in 0..table.columns.len() {
            let shown = row
                .cells
                .get(index)
                .map(|c| common::shown(c, Style::Plain, &notes))
                .unwrap_or(Shown::Blank);
            let text = match shown {
                Shown::Blank => String::new(),
                Shown::Number(text) => text,
                Shown::Suppressed(mark) => {
                    format!("{}{}", common::SUPPRESSED_DASH, inline(&mark))
                }
                Shown::Text(text) => cell_text(&text),
            };
            cells.push(strong(text, bold));
        }
        if with_notes {
            cells.push(cell_text(row.note.as_deref().unwrap_or("")));
        }
        push_row(out, &cells);
    }
    out.push('\n');
    for (mark, reason) in notes.entries() {
        out.push_str(&format!(
            "{}{} {}\n\n",
            common::SUPPRESSED_DASH,
            inline(&mark),
            inline(reason)
        ));
    }
    for note in &table.notes {
        out.push_str(&format!("{}\n\n", inline(note)));
    }
}

fn render_goal(out: &mut String, goal: &Goal, level: usize) {
    let hashes = "#".repeat(level.min(6));
    out.push_str(&format!("{hashes} {}\n\n", inline(&goal.title)));
    let status = goal.status.map(|s| s.label()).unwrap_or("Ej bedömt");
    out.push_str(&format!("**Måluppfyllelse:** {status}\n\n"));
    push_block(out, &goal.text);
    if !goal.indicators.is_empty() {
        push_row(
            out,
            &[
                "Indikator".to_string(),
                "Målvärde".to_string(),
                "Utfall".to_string(),
            ],
        );
        push_row(
            out,
            &[":---".to_string(), ":---".to_string(), ":---".to_string()],
        );
        for indicator in &goal.indicators {
            push_row(
                out,
                &[
                    cell_text(&indicator.name),
                    cell_text(&indicator.target),
                    cell_text(&indicator.outcome),
                ],
            );
        }
        out.push('\n');
    }
}

fn render_checks(out: &mut String, report: &Report) {
    out.push_str(&format!("## {}\n\n", inline(common::CHECKS_HEADING)));
    out.push_str(&format!("{}\n\n", common::check_summary(report)));
    if report.checks.is_empty() {
        return;
    }
    push_row(
        out,
        &[
            "Status".to_string(),
            "Kontroll".to_string(),
            "Resultat".to_string(),
            "Underlag".to_string(),
        ],
    );
    push_row(
        out,
        &[
            ":---".to_string(),
            ":---".to_string(),
            ":---".to_string(),
            ":---".to_string(),
        ],
    );
    for check in &report.checks {
        let label = common::check_label(check.status);
        let status = match check.status {
            CheckStatus::Pass => label.to_string(),
            CheckStatus::Warn | CheckStatus::Fail => format!("**{label}**"),
        };
        let figures = check
            .figures
            .iter()
            .map(|(label, value)| format!("{}: {}", cell_text(label), cell_text(value)))
            .collect::<Vec<_>>()
            .join("<br>");
        push_row(
            out,
            &[
                status,
                format!("`{}`", check.id.replace(['`', '|', '\n'], " ")),
                cell_text(&check.message),
                figures,
            ],
        );
    }
    out.push('\n');
}

fn push_row(out: &mut String, cells: &[String]) {
    out.push('|');
    for cell in cells {
        if cell.is_empty() {
            out.push_str(" |");
        } else {
            out.push(' ');
            out.push_str(cell);
            out.push_str(" |");
        }
    }
    out.push('\n');
}

fn push_block(out: &mut String, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    out.push_str(text);
    out.push_str("\n\n");
}

fn push_list(out: &mut String, items: &[String]) {
    if items.is_empty() {
        return;
    }
    for item in items {
        out.push_str(&format!("- {}\n", inline(item)));
    }
    out.push('\n');
}

/// The output with exactly one newline at the end.
fn finish(mut out: String) -> String {
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn strong(text: String, bold: bool) -> String {
    if bold && !text.is_empty() {
        format!("**{text}**")
    } else {
        text
    }
}

/// Plain text made safe as inline Markdown: characters with Markdown meaning are escaped
/// and line breaks become spaces.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Plain text for a table cell.
fn cell_text(text: &str) -> String {
    inline(text.trim())
}

/// Plain text for a link's text.
fn link_text(text: &str) -> String {
    inline(text)
}

/// The plain text of every heading in a piece of Markdown, in order.
fn markdown_headings(text: &str) -> Vec<String> {
    let mut headings = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Heading { .. }) => current = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => headings.extend(current.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(heading) = current.as_mut() {
                    heading.push_str(&t);
                }
            }
            _ => {}
        }
    }
    headings
}

/// GitHub's heading anchors: lower case, punctuation dropped, spaces to "-", repeats
/// numbered "-1", "-2", ….
#[derive(Default)]
struct Slugger {
    seen: Vec<String>,
}

impl Slugger {
    fn slug(&mut self, heading: &str) -> String {
        let base: String = heading
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| {
                if c == ' ' {
                    Some('-')
                } else if c.is_alphanumeric() || c == '-' || c == '_' {
                    Some(c)
                } else {
                    None
                }
            })
            .collect();
        let mut slug = base.clone();
        let mut n = 1;
        while self.seen.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        self.seen.push(slug.clone());
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_like_github() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("Ansvar och uppdrag"), "ansvar-och-uppdrag");
        assert_eq!(s.slug("Mål"), "mål");
        assert_eq!(s.slug("Bilaga: Kontroller"), "bilaga-kontroller");
        assert_eq!(s.slug("Sammanfattning"), "sammanfattning");
        assert_eq!(s.slug("Sammanfattning"), "sammanfattning-1");
        assert_eq!(s.slug("Sammanfattning"), "sammanfattning-2");
    }

    #[test]
    fn finds_headings_in_markdown() {
        assert_eq!(
            markdown_headings("Text\n\n#### Kommentarer `drift`\n\nMer\n\nRubrik\n---\n"),
            ["Kommentarer drift", "Rubrik"]
        );
    }

    #[test]
    fn inline_escapes_markdown() {
        assert_eq!(inline("a|b *c* _d_"), "a\\|b \\*c\\* \\_d\\_");
        assert_eq!(inline("rad\nny"), "rad ny");
    }

    #[test]
    fn rows() {
        let mut out = String::new();
        push_row(
            &mut out,
            &["a".to_string(), String::new(), "3 750".to_string()],
        );
        assert_eq!(out, "| a | | 3 750 |\n");
    }
}
