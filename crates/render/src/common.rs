//! What the HTML and Markdown outputs share: cell texts, suppression footnotes, Swedish
//! labels for statuses and the grouping of sections into main sections.

use delar_core::report::{Block, Cell, CheckStatus, Report, Section, Table};

use crate::format::{self, Style};

/// A cell as it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shown {
    /// Nothing in the cell.
    Blank,
    /// A formatted figure (safe in HTML: digits, separators, minus, comma, "%").
    Number(String),
    /// A suppressed figure: the mark that points at its footnote, e.g. "*".
    Suppressed(String),
    /// Free text, not yet escaped.
    Text(String),
}

/// The text shown in place of a suppressed figure, before its footnote mark.
pub(crate) const SUPPRESSED_DASH: &str = "\u{2013}";

/// The distinct suppression reasons of a table in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct Footnotes {
    reasons: Vec<String>,
}

impl Footnotes {
    /// Collects the suppression reasons of `table`.
    pub(crate) fn of(table: &Table) -> Self {
        let mut reasons: Vec<String> = Vec::new();
        for row in &table.rows {
            for cell in &row.cells {
                if let Cell::Suppressed { reason } = cell {
                    if !reasons.iter().any(|r| r == reason) {
                        reasons.push(reason.clone());
                    }
                }
            }
        }
        Footnotes { reasons }
    }

    /// The mark for a reason: "*" when the table has one reason, "*1", "*2", … otherwise.
    pub(crate) fn mark(&self, reason: &str) -> String {
        let index = self.reasons.iter().position(|r| r == reason).unwrap_or(0);
        self.mark_at(index)
    }

    fn mark_at(&self, index: usize) -> String {
        if self.reasons.len() <= 1 {
            "*".to_string()
        } else {
            format!("*{}", index + 1)
        }
    }

    /// Each reason with its mark, in order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (String, &str)> + '_ {
        self.reasons
            .iter()
            .enumerate()
            .map(|(i, r)| (self.mark_at(i), r.as_str()))
    }
}

/// How a cell is shown in the given style.
pub(crate) fn shown(cell: &Cell, style: Style, notes: &Footnotes) -> Shown {
    match cell {
        Cell::Empty => Shown::Blank,
        Cell::Amount { shown_tkr, .. } => Shown::Number(format::tkr(*shown_tkr, style)),
        Cell::Percent { shown_hundredths } => {
            Shown::Number(format::percent(*shown_hundredths, style))
        }
        Cell::Suppressed { reason } => Shown::Suppressed(notes.mark(reason)),
        Cell::Text { text } => Shown::Text(text.clone()),
    }
}

/// Whether any row of the table has a note (then the table gets a note column).
pub(crate) fn has_row_notes(table: &Table) -> bool {
    table
        .rows
        .iter()
        .any(|r| r.note.as_deref().is_some_and(|n| !n.trim().is_empty()))
}

/// Header of the row-note column.
pub(crate) const NOTE_COLUMN: &str = "Förtydligande";

/// Swedish label of a check status, readable without colour.
pub(crate) fn check_label(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Pass => "Godkänd",
        CheckStatus::Warn => "Varning",
        CheckStatus::Fail => "Fel",
    }
}

/// One line that counts the check results, e.g. "5 kontroller: 3 godkända, 1 varning, 1 fel."
pub(crate) fn check_summary(report: &Report) -> String {
    let count = |s: CheckStatus| report.checks.iter().filter(|c| c.status == s).count();
    let total = report.checks.len();
    if total == 0 {
        return "Inga kontroller har körts.".to_string();
    }
    let pass = count(CheckStatus::Pass);
    let warn = count(CheckStatus::Warn);
    let fail = count(CheckStatus::Fail);
    format!(
        "{total} {}: {pass} {}, {warn} {}, {fail} fel.",
        if total == 1 { "kontroll" } else { "kontroller" },
        if pass == 1 { "godkänd" } else { "godkända" },
        if warn == 1 { "varning" } else { "varningar" },
    )
}

/// Heading of the appendix with the checks.
pub(crate) const CHECKS_HEADING: &str = "Bilaga: Kontroller";

/// Whether a main section (level 1) should start on a new printed page: when it or its
/// subsections hold tables or goals, as in the seed (Mål, Personalredovisning, Ekonomi).
pub(crate) fn starts_page(sections: &[Section], index: usize) -> bool {
    let Some(first) = sections.get(index) else {
        return false;
    };
    if first.level > 1 {
        return false;
    }
    let heavy = |s: &Section| {
        s.blocks
            .iter()
            .any(|b| matches!(b, Block::Table { .. } | Block::Goal(_)))
    };
    std::iter::once(first)
        .chain(sections[index + 1..].iter().take_while(|s| s.level > 1))
        .any(heavy)
}

/// The member municipalities as one line, the host first as the report lists them.
pub(crate) fn municipality_line(report: &Report) -> String {
    report
        .meta
        .municipalities
        .iter()
        .map(|m| m.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The host municipality's name, if one is marked.
pub(crate) fn host_name(report: &Report) -> Option<&str> {
    report
        .meta
        .municipalities
        .iter()
        .find(|m| m.host)
        .map(|m| m.name.as_str())
}

/// A sentence on how the displayed figures were rounded.
pub(crate) fn rounding_note(report: &Report) -> &'static str {
    match report.meta.rounding {
        delar_core::report::Rounding::AddsUp => {
            "Beloppen är avrundade till tkr så att varje summa stämmer med de visade beloppen."
        }
        delar_core::report::Rounding::Independent => {
            "Varje belopp är avrundat till tkr för sig; summor kan därför avvika från de visade beloppen med avrundning."
        }
    }
}

/// The Swedish name of a month (1..=12), for "januari–augusti".
pub(crate) fn month_name(month: u32) -> Option<&'static str> {
    const NAMES: [&str; 12] = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let index = usize::try_from(month).ok()?.checked_sub(1)?;
    NAMES.get(index).copied()
}

/// "Perioden januari–augusti 2023", or nothing for an impossible month.
pub(crate) fn period_line(report: &Report) -> Option<String> {
    let last = month_name(report.meta.through_month)?;
    let year = report.meta.year;
    if report.meta.through_month == 1 {
        Some(format!("Perioden januari {year}"))
    } else {
        Some(format!("Perioden januari\u{2013}{last} {year}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_names() {
        assert_eq!(month_name(1), Some("januari"));
        assert_eq!(month_name(8), Some("augusti"));
        assert_eq!(month_name(12), Some("december"));
        assert_eq!(month_name(0), None);
        assert_eq!(month_name(13), None);
    }
}
