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

/// Header of the row-note column: "Kommentar" in a table of texts (the forecast
/// comments), else "Förtydligande".
pub(crate) fn note_column(table: &Table) -> &'static str {
    if table.unit == delar_core::report::Unit::Text {
        "Kommentar"
    } else {
        "Förtydligande"
    }
}

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

/// The Swedish name of a month (1..=12), for "januari–augusti"; None outside 1..=12.
pub(crate) fn month_name(month: u32) -> Option<&'static str> {
    Some(delar_core::money::month_name(month)).filter(|name| !name.is_empty())
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

/// Soft hyphen (U+00AD): an invisible break opportunity the browser shows as "-".
pub(crate) const SHY: char = '\u{ad}';

/// Adds soft hyphens to long words (ten letters or more) so narrow table headers such as
/// "Ombudgetering" can break as "Ombud-getering" instead of widening their column.
///
/// Browsers without a Swedish hyphenation dictionary (headless Chromium on Linux) need
/// the hint; a word that is not broken shows no hyphen. See [`syllable_breaks`] for the
/// rule; at least four letters stay on each side of a break.
pub(crate) fn soft_hyphenate(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            out.push_str(&hyphenate_word(&word));
            word.clear();
            out.push(c);
        }
    }
    out.push_str(&hyphenate_word(&word));
    out
}

fn hyphenate_word(word: &str) -> String {
    const MIN_WORD: usize = 10;
    const MIN_PART: usize = 4;
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < MIN_WORD {
        return word.to_string();
    }
    let breaks: Vec<usize> = syllable_breaks(&chars)
        .into_iter()
        .filter(|&at| at >= MIN_PART && chars.len() - at >= MIN_PART)
        .collect();
    let mut out = String::with_capacity(word.len() + breaks.len() * 2);
    for (index, c) in chars.iter().enumerate() {
        if breaks.contains(&index) {
            out.push(SHY);
        }
        out.push(*c);
    }
    out
}

/// Where a Swedish word may break, as indices of the first letter after the break. Between
/// two vowels one consonant goes with the next syllable ("ge-te"); of several, the last
/// ("bud-get", "kost-nad"), or the last two when they can begin a syllable ("sjuk-från",
/// "lednings-grupp"); "ng" and "ck" stay with the syllable before ("ledning-ar"), "sj",
/// "tj" and "kj" with the next.
fn syllable_breaks(chars: &[char]) -> Vec<usize> {
    let lower: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let vowel = |c: char| "aeiouyåäöéü".contains(c);
    let onset = |a: char, b: char| {
        ("bdfgkpt".contains(a) && "rl".contains(b)) || (a == 's' && "ktpmnlv".contains(b))
    };
    let mut breaks = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        if !vowel(lower[i]) {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while end < lower.len() && !vowel(lower[end]) {
            end += 1;
        }
        if end >= lower.len() {
            break;
        }
        let n = end - start;
        let last_two = if n >= 2 {
            Some((lower[end - 2], lower[end - 1]))
        } else {
            None
        };
        let at = match (n, last_two) {
            (0, _) => None,
            (1, _) => Some(start),
            (_, Some(('n', 'g'))) | (_, Some(('c', 'k'))) => Some(end),
            (_, Some((a, 'j'))) if "stk".contains(a) => Some(end - 2),
            (n, Some((a, b))) if n >= 3 && onset(a, b) => Some(end - 2),
            _ => Some(end - 1),
        };
        if let Some(at) = at {
            breaks.push(at);
        }
        i = end;
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        soft_hyphenate(text).replace(SHY, "-")
    }

    #[test]
    fn hyphenates_long_header_words() {
        assert_eq!(shown("Ombudgetering"), "Ombud-ge-te-ring");
        assert_eq!(shown("RESULTATRÄKNING (tkr)"), "RESUL-TAT-RÄK-NING (tkr)");
        assert_eq!(shown("Nettokostnader"), "Netto-kost-nader");
        assert_eq!(shown("Utfall 202308"), "Utfall 202308");
        assert_eq!(shown("Avvikelse helår"), "Avvikelse helår");
        assert_eq!(shown("Förtydligande"), "Förtyd-li-gande");
        assert_eq!(shown("Ledningsgrupp"), "Lednings-grupp");
        assert_eq!(shown("Ledningarna"), "Ledning-arna");
        assert_eq!(shown("Sjukfrånvaro"), "Sjuk-från-varo");
        assert_eq!(shown("Personalkostnader"), "Perso-nal-kost-nader");
        assert_eq!(shown("Kapitalkostnad"), "Kapi-tal-kostnad");
        assert_eq!(shown(""), "");
    }

    #[test]
    fn month_names() {
        assert_eq!(month_name(1), Some("januari"));
        assert_eq!(month_name(8), Some("augusti"));
        assert_eq!(month_name(12), Some("december"));
        assert_eq!(month_name(0), None);
        assert_eq!(month_name(13), None);
    }
}
