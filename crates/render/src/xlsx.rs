//! The report's tables as an Excel workbook (`report.xlsx`), with real formulas for sums.
//!
//! Layout: a first sheet "Om rapporten" (committee, title, period, sign convention,
//! rounding, the check summary and the list of tables), one sheet per table in the order of
//! [`Report::tables`], and a last sheet "Kontroller" with every check result.
//!
//! A table sheet has the table title in A1 and the column labels beside it (bold, frozen
//! together with the label column), one sheet row per table row, an extra "Förtydligande"
//! column when rows have notes, and under the table, after a blank row, the suppression
//! footnotes and the table notes (each in a wrapped cell merged over the table's width).
//! Column widths are computed from the texts and figures they hold with Excel's character
//! widths ([`cell_autofit_width`], a pure function), and rows with wrapped text get a
//! height that shows every line, so the layout does not depend on the viewer. Amounts are the displayed tkr with the number format `#,##0` and a true minus;
//! percentages are fractions (3,17 % is 0.0317) with the format `0.00 %`. Suppressed
//! figures are the text "–*" with the reason as a cell note and as a footnote row.
//!
//! **Formulas** (only with [`Rounding::AddsUp`], where the displayed figures add up by
//! construction; with [`Rounding::Independent`] every figure is written as a value):
//! an amount cell of a derived column ([`Column::sum_of`], e.g. avvikelse = budget −
//! prognos) gets the formula of its columns in the same row (`=D2-E2`). Otherwise an amount
//! cell of a sum row ([`Row::sum_of`]) gets the formula of its rows in the same column
//! (`=SUM(B2:B3)`, `=SUM(B4,B6:B7)`, `=B10-B9`). So a cell that is both, such as the
//! avvikelse of "Summa kostnader", is computed across (budget − prognos of the sum row),
//! which equals the column sum because every sum is linear. A formula is written only when
//! every cell it refers to is an amount or blank (blank counts as 0, as in
//! [`Table::sum_mismatches`]) and it is not part of a circular chain; every formula carries
//! the displayed figure as its cached result, so viewers that do not recalculate show the
//! report's figure.
//!
//! The output is deterministic: the document's creation date is the report's period end
//! (never the clock) and the zip entries carry a fixed timestamp.

use std::collections::BTreeMap;

use delar_core::report::{Cell, Column, Report, Rounding, Row, RowKind, Table, Term};
use rust_xlsxwriter::{
    cell_autofit_width, column_number_to_name, ColNum, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, Note, RowNum, Workbook, Worksheet,
};

use crate::common::{self, Footnotes};
use crate::format::{self, Style};

/// Why the workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum XlsxError {
    /// The spreadsheet writer refused something (a limit of the file format).
    #[error("Excel-arbetsboken kunde inte skrivas: {0}")]
    Writer(#[from] rust_xlsxwriter::XlsxError),
    /// A table is larger than a worksheet can hold.
    #[error("tabellen {table} är för stor för ett Excel-blad ({what})")]
    TooLarge {
        /// The table id.
        table: String,
        /// What overflowed.
        what: &'static str,
    },
}

/// Name of the first sheet.
pub const ABOUT_SHEET: &str = "Om rapporten";
/// Name of the sheet with the check results.
pub const CHECKS_SHEET: &str = "Kontroller";
/// Number format of amounts in tkr: thousands grouped, a true minus (U+2212). Excel shows
/// the grouping with the reader's locale, so Swedish Excel shows "3 750" and "−402".
pub const AMOUNT_FORMAT: &str = "#,##0;\"\u{2212}\"#,##0";
/// Number format of percentages (values are fractions: 0.0317 is shown "3,17 %").
pub const PERCENT_FORMAT: &str = "0.00 %;\"\u{2212}\"0.00 %";

/// Widest a label or text column gets, in pixels (longer text overflows or wraps).
const MAX_LABEL_PX: u32 = 520;
/// Widest a note or message column gets, in pixels (the text wraps).
const MAX_TEXT_PX: u32 = 560;

/// The workbook as the bytes of an `.xlsx` file.
pub fn workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut book = Workbook::new();
    book.set_properties(&properties(report)?);

    let mut used = vec![ABOUT_SHEET.to_string(), CHECKS_SHEET.to_string()];
    let names: Vec<String> = report
        .tables
        .iter()
        .map(|t| {
            let name = sheet_name(t, &used);
            used.push(name.clone());
            name
        })
        .collect();

    about_sheet(book.add_worksheet(), report, &names, &formats)?;
    for (table, name) in report.tables.iter().zip(&names) {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        table_sheet(sheet, table, report.meta.rounding, &formats)?;
    }
    checks_sheet(book.add_worksheet(), report, &formats)?;
    Ok(book.save_to_buffer()?)
}

/// The cell formats of the workbook.
struct Formats {
    bold: Format,
    header: Format,
    header_number: Format,
    amount: Format,
    amount_bold: Format,
    percent: Format,
    percent_bold: Format,
    right: Format,
    right_bold: Format,
    wrap: Format,
    wrap_italic: Format,
    bold_top: Format,
}

impl Formats {
    fn new() -> Formats {
        let header = Format::new()
            .set_bold()
            .set_border_bottom(FormatBorder::Thin);
        Formats {
            bold: Format::new().set_bold(),
            header_number: header.clone().set_align(FormatAlign::Right),
            header,
            amount: Format::new().set_num_format(AMOUNT_FORMAT),
            amount_bold: Format::new().set_num_format(AMOUNT_FORMAT).set_bold(),
            percent: Format::new().set_num_format(PERCENT_FORMAT),
            percent_bold: Format::new().set_num_format(PERCENT_FORMAT).set_bold(),
            right: Format::new().set_align(FormatAlign::Right),
            right_bold: Format::new().set_align(FormatAlign::Right).set_bold(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            wrap_italic: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_italic(),
            bold_top: Format::new().set_bold().set_align(FormatAlign::Top),
        }
    }
}

/// Document properties with a creation date from the report, never the clock.
fn properties(report: &Report) -> Result<DocProperties, XlsxError> {
    let created = parse_date(&report.meta.period_end)
        .and_then(|(y, m, d)| ExcelDateTime::from_ymd(y, m, d).ok());
    let created = match created {
        Some(date) => date,
        // A period end that is not a date still gives a fixed, reproducible value.
        None => ExcelDateTime::from_ymd(2000, 1, 1)?,
    };
    Ok(DocProperties::new()
        .set_title(format!("{} {}", report.meta.title, report.meta.committee))
        .set_subject(report.meta.committee.clone())
        .set_author("delar")
        .set_comment("Tabellerna ur delårsrapporten, skapade av delar.")
        .set_creation_datetime(&created))
}

/// `YYYY-MM-DD` as numbers, if it is one.
fn parse_date(text: &str) -> Option<(u16, u8, u8)> {
    let mut parts = text.trim().split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((year, month, day))
}

/// The sheet name of a table: a fixed Swedish name for the known tables, otherwise the
/// title made valid (no `[]:*?/\`, no leading or trailing apostrophe, at most 31
/// characters), made unique among `used` (compared without case, as Excel does).
pub fn sheet_name(table: &Table, used: &[String]) -> String {
    let base = match table.id.as_str() {
        "resultatrakning" => "Resultaträkning".to_string(),
        "resultat_netto" => "Resultat netto".to_string(),
        "prognoskommentarer" => "Prognoskommentarer".to_string(),
        "budgetforandringar" => "Budgetförändringar".to_string(),
        "investeringar" => "Investeringar".to_string(),
        "personal" => "Personal".to_string(),
        _ => clean_sheet_name(&table.title),
    };
    let base = if base.is_empty() {
        "Tabell".to_string()
    } else {
        base
    };
    let taken = |name: &str| {
        let lower = name.to_lowercase();
        lower == "history" || used.iter().any(|u| u.to_lowercase() == lower)
    };
    if !taken(&base) {
        return base;
    }
    let mut n = 2usize;
    loop {
        let suffix = format!(" ({n})");
        let name = format!(
            "{}{suffix}",
            truncate_utf16(&base, 31 - suffix.len()).trim_end()
        );
        if !taken(&name) {
            return name;
        }
        n += 1;
    }
}

/// A title as a valid sheet name (possibly empty).
fn clean_sheet_name(title: &str) -> String {
    let replaced: String = title
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let collapsed = replaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut = truncate_utf16(&collapsed, 31);
    cut.trim().trim_matches('\'').trim().to_string()
}

/// The longest prefix of `text` of at most `max` UTF-16 units.
fn truncate_utf16(text: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &text[..i];
        }
    }
    text
}

fn row_num(n: usize, table: &str) -> Result<RowNum, XlsxError> {
    RowNum::try_from(n)
        .ok()
        .filter(|r| *r < 1_048_576)
        .ok_or_else(|| XlsxError::TooLarge {
            table: table.to_string(),
            what: "rader",
        })
}

fn col_num(n: usize, table: &str) -> Result<ColNum, XlsxError> {
    ColNum::try_from(n)
        .ok()
        .filter(|c| *c < 16_384)
        .ok_or_else(|| XlsxError::TooLarge {
            table: table.to_string(),
            what: "kolumner",
        })
}

/// Column widths in pixels, grown to fit the texts they hold.
#[derive(Default)]
struct Widths(BTreeMap<ColNum, u32>);

impl Widths {
    /// Makes room for `text` in `col` (bold text is about a tenth wider), up to `max` px.
    fn fit(&mut self, col: ColNum, text: &str, bold: bool, max: u32) {
        let widest_line = text
            .lines()
            .map(cell_autofit_width)
            .max()
            .unwrap_or_default();
        let px = if bold {
            widest_line + widest_line / 10
        } else {
            widest_line
        };
        let entry = self.0.entry(col).or_insert(0);
        *entry = (*entry).max(px.min(max));
    }

    fn apply(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        for (col, px) in &self.0 {
            sheet.set_column_width_pixels(*col, *px)?;
        }
        Ok(())
    }
}

/// Height of one line of text in points (the default row height of the default font).
const LINE_PT: u32 = 15;
/// Width in pixels of a column without a set width.
const DEFAULT_COLUMN_PX: u32 = 64;

/// Cells with wrapped text, whose rows get a height that shows every line: neither Excel
/// nor LibreOffice grows a row on opening a file, and merged cells never grow.
#[derive(Default)]
struct Wrapped(Vec<(RowNum, ColNum, ColNum, String)>);

impl Wrapped {
    /// Wrapped `text` in `row` over the columns `first..=last`.
    fn add(&mut self, row: RowNum, first: ColNum, last: ColNum, text: &str) {
        self.0.push((row, first, last, text.to_string()));
    }

    /// Sets the height of every row that needs more than one line.
    fn apply(&self, sheet: &mut Worksheet, widths: &Widths) -> Result<(), XlsxError> {
        let mut lines: BTreeMap<RowNum, u32> = BTreeMap::new();
        for (row, first, last, text) in &self.0 {
            let width: u32 = (*first..=*last)
                .map(|c| widths.0.get(&c).copied().unwrap_or(DEFAULT_COLUMN_PX))
                .sum();
            let n = text_lines(text, width);
            let entry = lines.entry(*row).or_insert(1);
            *entry = (*entry).max(n);
        }
        for (row, n) in lines.into_iter().filter(|(_, n)| *n > 1) {
            sheet.set_row_height(row, LINE_PT.saturating_mul(n))?;
        }
        Ok(())
    }
}

/// How many lines `text` takes when wrapped in `width_px` (an estimate from Excel's
/// character widths, a tenth generous because lines break between words).
fn text_lines(text: &str, width_px: u32) -> u32 {
    let width = width_px.max(1);
    text.lines()
        .map(|line| {
            let px = cell_autofit_width(line);
            (px + px / 10).div_ceil(width).max(1)
        })
        .sum::<u32>()
        .max(1)
}

/// "Om rapporten": what the workbook is and how to read it.
fn about_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    names: &[String],
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(ABOUT_SHEET)?;
    let meta = &report.meta;
    let formulas = match meta.rounding {
        Rounding::AddsUp => "Summarader och beräknade kolumner (avvikelse, summa budget) är formler som räknas om när ett belopp ändras. Det sparade resultatet är rapportens belopp.",
        Rounding::Independent => "Alla belopp är skrivna som värden: med avrundning av varje belopp för sig stämmer summorna inte exakt med de visade beloppen.",
    };
    let mut lines: Vec<(&str, String)> = vec![
        ("Nämnd", meta.committee.clone()),
        ("Rapport", meta.title.clone()),
        (
            "Period",
            common::period_line(report)
                .map(|p| format!("{p} (t.o.m. {})", meta.period_end))
                .unwrap_or_else(|| format!("t.o.m. {}", meta.period_end)),
        ),
    ];
    // A municipality's consolidated report has no organisation line of its own.
    if !meta.organisation.is_empty() {
        lines.push(("Organisation", meta.organisation.join("; ")));
    }
    lines.extend([
        (
            "Belopp",
            "Tusental kronor (tkr) om inget annat anges.".to_string(),
        ),
        ("Teckenkonvention", meta.sign_convention.clone()),
        ("Avrundning", common::rounding_note(report).to_string()),
        ("Formler", formulas.to_string()),
    ]);
    let suppressed = report
        .tables
        .iter()
        .flat_map(|t| &t.rows)
        .flat_map(|r| &r.cells)
        .any(|c| matches!(c, Cell::Suppressed { .. }));
    if suppressed {
        lines.push((
            "Dolda uppgifter",
            format!(
                "{}* står för en uppgift som inte visas; skälet står i cellens kommentar och under tabellen.",
                common::SUPPRESSED_DASH
            ),
        ));
    }
    lines.push((
        "Kontroller",
        format!(
            "{} Se bladet {CHECKS_SHEET}.",
            common::check_summary(report)
        ),
    ));

    let mut widths = Widths::default();
    let mut wrapped = Wrapped::default();
    let mut r: RowNum = 0;
    sheet.write_string_with_format(r, 0, &meta.title, &f.header)?;
    sheet.write_blank(r, 1, &f.header)?;
    r += 2;
    for (label, value) in &lines {
        sheet.write_string_with_format(r, 0, *label, &f.bold_top)?;
        sheet.write_string_with_format(r, 1, value, &f.wrap)?;
        widths.fit(0, label, true, MAX_LABEL_PX);
        widths.fit(1, value, false, MAX_TEXT_PX);
        wrapped.add(r, 1, 1, value);
        r += 1;
    }
    r += 1;
    sheet.write_string_with_format(r, 0, "Blad", &f.header)?;
    sheet.write_string_with_format(r, 1, "Tabell", &f.header)?;
    r += 1;
    for (table, name) in report.tables.iter().zip(names) {
        sheet.write_string(r, 0, name)?;
        sheet.write_string_with_format(r, 1, &table.title, &f.wrap)?;
        widths.fit(0, name, false, MAX_LABEL_PX);
        widths.fit(1, &table.title, false, MAX_TEXT_PX);
        wrapped.add(r, 1, 1, &table.title);
        r += 1;
    }
    widths.apply(sheet)?;
    wrapped.apply(sheet, &widths)?;
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// Where the table's rows and columns are on its sheet.
struct Layout<'a> {
    table: &'a Table,
    /// Sheet row of each table row key (first occurrence wins, as in [`Table::row`]).
    rows: BTreeMap<&'a str, usize>,
    /// Index of each column id (first occurrence wins, as in [`Table::column_index`]).
    columns: BTreeMap<&'a str, usize>,
}

/// Sheet row of table row `i` (the header is row 0).
fn sheet_row(i: usize) -> usize {
    i + 1
}

/// Sheet column of value column `c` (the labels are column 0).
fn sheet_col(c: usize) -> usize {
    c + 1
}

impl<'a> Layout<'a> {
    fn new(table: &'a Table) -> Layout<'a> {
        let mut rows = BTreeMap::new();
        for (i, row) in table.rows.iter().enumerate() {
            rows.entry(row.key.as_str()).or_insert(i);
        }
        let mut columns = BTreeMap::new();
        for (c, column) in table.columns.iter().enumerate() {
            columns.entry(column.id.as_str()).or_insert(c);
        }
        Layout {
            table,
            rows,
            columns,
        }
    }

    fn cell(&self, row: usize, col: usize) -> Option<&'a Cell> {
        self.table.rows.get(row)?.cells.get(col)
    }
}

/// A planned formula: the cells it refers to (table row, column) and its text.
struct Planned {
    refs: Vec<(usize, usize)>,
    text: String,
}

/// Whether a cell may be referred to by a formula: an amount (a number) or blank (0).
fn referable(cell: Option<&Cell>) -> bool {
    matches!(cell, None | Some(Cell::Amount { .. } | Cell::Empty))
}

/// The formula of the amount cell (`row`, `col`) by the rule in the module docs, if any.
fn plan(layout: &Layout<'_>, row: usize, col: usize) -> Option<Planned> {
    if !matches!(layout.cell(row, col), Some(Cell::Amount { .. })) {
        return None;
    }
    let column: &Column = layout.table.columns.get(col)?;
    if !column.sum_of.is_empty() {
        if let Some(p) = across(layout, row, col, &column.sum_of) {
            return Some(p);
        }
    }
    let table_row: &Row = layout.table.rows.get(row)?;
    if !table_row.sum_of.is_empty() {
        return down(layout, row, col, &table_row.sum_of);
    }
    None
}

/// A signed term resolved to a position along one axis (a table row or a column).
fn resolve(terms: &[Term], index: &BTreeMap<&str, usize>) -> Option<(Vec<usize>, Vec<usize>)> {
    let mut plus = Vec::new();
    let mut minus = Vec::new();
    for term in terms {
        let at = *index.get(term.key.as_str())?;
        match term.sign {
            s if s > 0 => plus.push(at),
            s if s < 0 => minus.push(at),
            _ => {}
        }
    }
    (!plus.is_empty() || !minus.is_empty()).then_some((plus, minus))
}

/// The derived-column formula of a cell: its row's term columns with their signs, written
/// out term by term (`=D2-E2`, `=C2+D2`).
fn across(layout: &Layout<'_>, row: usize, col: usize, terms: &[Term]) -> Option<Planned> {
    let (plus, minus) = resolve(terms, &layout.columns)?;
    let all = plus.iter().chain(&minus);
    if all
        .clone()
        .any(|&c| c == col || !referable(layout.cell(row, c)))
    {
        return None;
    }
    let r = u32::try_from(sheet_row(row)).ok()?;
    let name = |c: usize| -> Option<String> {
        let c = ColNum::try_from(sheet_col(c)).ok()?;
        Some(format!("{}{}", column_number_to_name(c), r + 1))
    };
    let mut text = String::new();
    for (i, &c) in plus.iter().enumerate() {
        if i > 0 {
            text.push('+');
        }
        text.push_str(&name(c)?);
    }
    for &c in &minus {
        text.push('-');
        text.push_str(&name(c)?);
    }
    Some(Planned {
        refs: plus.iter().chain(&minus).map(|&c| (row, c)).collect(),
        text,
    })
}

/// The sum-row formula of a cell: its column's term rows with their signs, added with
/// `SUM` over runs of adjacent rows (`=SUM(B2:B3)`, `=SUM(B3,B8)`, `=B10-B9`).
fn down(layout: &Layout<'_>, row: usize, col: usize, terms: &[Term]) -> Option<Planned> {
    let (plus, minus) = resolve(terms, &layout.rows)?;
    let all = plus.iter().chain(&minus);
    if all
        .clone()
        .any(|&r| r == row || !referable(layout.cell(r, col)))
    {
        return None;
    }
    let letters = column_number_to_name(ColNum::try_from(sheet_col(col)).ok()?);
    let plus_items = runs(&plus, &letters);
    let minus_items = runs(&minus, &letters);
    let mut text = String::new();
    match plus_items.as_slice() {
        [] => {}
        [single] if !single.contains(':') && !minus_items.is_empty() => text.push_str(single),
        items => {
            text.push_str("SUM(");
            text.push_str(&items.join(","));
            text.push(')');
        }
    }
    match minus_items.as_slice() {
        [] => {}
        [single] if !single.contains(':') => {
            text.push('-');
            text.push_str(single);
        }
        items => {
            text.push_str("-SUM(");
            text.push_str(&items.join(","));
            text.push(')');
        }
    }
    Some(Planned {
        refs: plus.iter().chain(&minus).map(|&r| (r, col)).collect(),
        text,
    })
}

/// Table rows as cell references in column `letters`, adjacent rows joined into ranges
/// (`B2:B4`); repeated rows stay repeated, so each term counts as often as it is named.
fn runs(rows: &[usize], letters: &str) -> Vec<String> {
    let mut sorted: Vec<usize> = rows.iter().map(|&r| sheet_row(r) + 1).collect();
    sorted.sort_unstable();
    let mut out = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        if start == end {
            out.push(format!("{letters}{start}"));
        } else {
            out.push(format!("{letters}{start}:{letters}{end}"));
        }
        i += 1;
    }
    out
}

/// Every formula of the table, without those in a circular chain (those stay values).
fn formulas(table: &Table, rounding: Rounding) -> BTreeMap<(usize, usize), String> {
    if rounding != Rounding::AddsUp {
        return BTreeMap::new();
    }
    let layout = Layout::new(table);
    let mut planned: BTreeMap<(usize, usize), Planned> = BTreeMap::new();
    for row in 0..table.rows.len() {
        for col in 0..table.columns.len() {
            if let Some(p) = plan(&layout, row, col) {
                planned.insert((row, col), p);
            }
        }
    }
    // Drop every formula that can reach itself through other formulas.
    let circular: Vec<(usize, usize)> = planned
        .keys()
        .copied()
        .filter(|start| reaches(&planned, *start))
        .collect();
    for cell in circular {
        planned.remove(&cell);
    }
    planned.into_iter().map(|(k, p)| (k, p.text)).collect()
}

/// Whether the formula at `start` depends on itself.
fn reaches(planned: &BTreeMap<(usize, usize), Planned>, start: (usize, usize)) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    let mut stack: Vec<(usize, usize)> = planned
        .get(&start)
        .map(|p| p.refs.clone())
        .unwrap_or_default();
    while let Some(cell) = stack.pop() {
        if cell == start {
            return true;
        }
        if seen.insert(cell) {
            if let Some(p) = planned.get(&cell) {
                stack.extend(p.refs.iter().copied());
            }
        }
    }
    false
}

/// An i64 figure as the f64 the xlsx format stores. This is the only place figures leave
/// integer arithmetic: tkr and hundredths of a percent are far below 2^53, so the value
/// is exact.
#[allow(clippy::cast_precision_loss)]
fn xlsx_number(value: i64) -> f64 {
    value as f64
}

/// One table on its sheet.
fn table_sheet(
    sheet: &mut Worksheet,
    table: &Table,
    rounding: Rounding,
    f: &Formats,
) -> Result<(), XlsxError> {
    let id = table.id.as_str();
    let footnotes = Footnotes::of(table);
    let formulas = formulas(table, rounding);
    let notes = common::has_row_notes(table);
    let note_col = col_num(sheet_col(table.columns.len()), id)?;
    let last_col = if notes {
        note_col
    } else {
        col_num(table.columns.len(), id)?
    };
    let mut widths = Widths::default();
    let mut wrapped = Wrapped::default();

    // Header: the title over the labels, then the column labels.
    sheet.write_string_with_format(0, 0, &table.title, &f.header)?;
    widths.fit(0, &table.title, true, MAX_LABEL_PX);
    for (c, column) in table.columns.iter().enumerate() {
        let col = col_num(sheet_col(c), id)?;
        sheet.write_string_with_format(0, col, &column.label, &f.header_number)?;
        widths.fit(col, &column.label, true, MAX_LABEL_PX);
    }
    if notes {
        sheet.write_string_with_format(0, note_col, common::note_column(table), &f.header)?;
        widths.fit(note_col, common::note_column(table), true, MAX_TEXT_PX);
    }

    for (i, row) in table.rows.iter().enumerate() {
        let r = row_num(sheet_row(i), id)?;
        let sum = row.kind != RowKind::Item || !row.sum_of.is_empty();
        let label_format = if sum { &f.bold } else { &Format::new() };
        sheet.write_string_with_format(r, 0, &row.label, label_format)?;
        widths.fit(0, &row.label, sum, MAX_LABEL_PX);
        for (c, cell) in row.cells.iter().enumerate().take(table.columns.len()) {
            let col = col_num(sheet_col(c), id)?;
            let shown = match cell {
                Cell::Empty => continue,
                Cell::Amount { shown_tkr, .. } => {
                    let format = if sum { &f.amount_bold } else { &f.amount };
                    match formulas.get(&(i, c)) {
                        Some(text) => {
                            let formula =
                                Formula::new(format!("={text}")).set_result(shown_tkr.to_string());
                            sheet.write_formula_with_format(r, col, formula, format)?;
                        }
                        None => {
                            sheet.write_number_with_format(
                                r,
                                col,
                                xlsx_number(*shown_tkr),
                                format,
                            )?;
                        }
                    }
                    format::tkr(*shown_tkr, Style::Plain)
                }
                Cell::Percent { shown_hundredths } => {
                    let format = if sum { &f.percent_bold } else { &f.percent };
                    // Hundredths of a percent as a fraction: 317 → 0.0317 (f64 only here).
                    let fraction = xlsx_number(*shown_hundredths) / 10_000.0;
                    sheet.write_number_with_format(r, col, fraction, format)?;
                    format::percent(*shown_hundredths, Style::Plain)
                }
                Cell::Suppressed { reason } => {
                    let text = format!("{}{}", common::SUPPRESSED_DASH, footnotes.mark(reason));
                    let format = if sum { &f.right_bold } else { &f.right };
                    sheet.write_string_with_format(r, col, &text, format)?;
                    let note = Note::new(reason.as_str())
                        .set_author("delar")
                        .add_author_prefix(false);
                    sheet.insert_note(r, col, &note)?;
                    text
                }
                Cell::Text { text } => {
                    let format = if sum { &f.bold } else { &Format::new() };
                    sheet.write_string_with_format(r, col, text, format)?;
                    text.clone()
                }
            };
            widths.fit(col, &shown, sum, MAX_LABEL_PX);
        }
        if let Some(note) = row.note.as_deref().filter(|n| !n.trim().is_empty()) {
            sheet.write_string_with_format(r, note_col, note, &f.wrap)?;
            widths.fit(note_col, note, false, MAX_TEXT_PX);
            wrapped.add(r, note_col, note_col, note);
        }
    }

    // Under the table, after one blank row: suppression footnotes, then the table notes,
    // each wrapped in a cell merged over the table's width (so that they neither widen
    // the label column nor run past the table on screen and paper).
    let first_under = sheet_row(table.rows.len()) + 1;
    let under: Vec<String> = footnotes
        .entries()
        .map(|(mark, reason)| format!("{mark} {reason}"))
        .chain(table.notes.iter().cloned())
        .collect();
    for (i, line) in under.iter().enumerate() {
        let row = row_num(first_under + i, id)?;
        if last_col > 0 {
            sheet.merge_range(row, 0, row, last_col, line, &f.wrap_italic)?;
        } else {
            sheet.write_string_with_format(row, 0, line, &f.wrap_italic)?;
        }
        wrapped.add(row, 0, last_col, line);
    }

    widths.apply(sheet)?;
    wrapped.apply(sheet, &widths)?;
    sheet.set_freeze_panes(1, 1)?;
    sheet.set_repeat_rows(0, 0)?;
    if table.columns.len() >= 4 {
        sheet.set_landscape();
    }
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// "Kontroller": one row per check with status, id, message and figures.
fn checks_sheet(sheet: &mut Worksheet, report: &Report, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(CHECKS_SHEET)?;
    let mut widths = Widths::default();
    for (c, label) in ["Status", "Kontroll", "Resultat", "Underlag"]
        .into_iter()
        .enumerate()
    {
        let col = col_num(c, CHECKS_SHEET)?;
        sheet.write_string_with_format(0, col, label, &f.header)?;
        widths.fit(col, label, true, MAX_TEXT_PX);
    }
    let mut wrapped = Wrapped::default();
    for (i, check) in report.checks.iter().enumerate() {
        let r = row_num(i + 1, CHECKS_SHEET)?;
        wrapped.add(r, 2, 2, &check.message);
        let status = common::check_label(check.status);
        let figures = check_figures(check);
        sheet.write_string_with_format(r, 0, status, &f.wrap)?;
        sheet.write_string_with_format(r, 1, &check.id, &f.wrap)?;
        sheet.write_string_with_format(r, 2, &check.message, &f.wrap)?;
        widths.fit(0, status, false, MAX_TEXT_PX);
        widths.fit(1, &check.id, false, MAX_TEXT_PX);
        widths.fit(2, &check.message, false, MAX_TEXT_PX);
        if !figures.is_empty() {
            sheet.write_string_with_format(r, 3, &figures, &f.wrap)?;
            widths.fit(3, &figures, false, MAX_TEXT_PX);
            wrapped.add(r, 3, 3, &figures);
        }
    }
    widths.apply(sheet)?;
    wrapped.apply(sheet, &widths)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The figures of a check, one "label: value" per line.
pub fn check_figures(check: &delar_core::report::Check) -> String {
    check
        .figures
        .iter()
        .map(|(label, value)| format!("{label}: {value}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use delar_core::report::Unit;

    fn amount(tkr: i64) -> Cell {
        Cell::Amount {
            exact_ore: tkr * 100_000,
            shown_tkr: tkr,
        }
    }

    fn row(key: &str, cells: Vec<Cell>, sum_of: Vec<Term>) -> Row {
        Row {
            key: key.to_string(),
            label: key.to_string(),
            kind: if sum_of.is_empty() {
                RowKind::Item
            } else {
                RowKind::Subtotal
            },
            note: None,
            cells,
            sum_of,
        }
    }

    fn column(id: &str, sum_of: Vec<Term>) -> Column {
        Column {
            id: id.to_string(),
            label: id.to_string(),
            sum_of,
        }
    }

    fn table(columns: Vec<Column>, rows: Vec<Row>) -> Table {
        Table {
            id: "t".to_string(),
            title: "T".to_string(),
            unit: Unit::Tkr,
            columns,
            rows,
            notes: Vec::new(),
        }
    }

    /// budget, prognos, avvikelse = budget − prognos; rows a, b, c, s = a + b + c, k, r = k − s.
    fn sample() -> Table {
        let cols = vec![
            column("budget", vec![]),
            column("prognos", vec![]),
            column(
                "avvikelse",
                vec![Term::plus("budget"), Term::minus("prognos")],
            ),
        ];
        let line = |b: i64, p: i64| vec![amount(b), amount(p), amount(b - p)];
        table(
            cols,
            vec![
                row("a", line(10, 8), vec![]),
                row("b", line(5, 5), vec![]),
                row("c", vec![Cell::Empty, Cell::Empty, Cell::Empty], vec![]),
                row(
                    "s",
                    line(15, 13),
                    vec![Term::plus("a"), Term::plus("b"), Term::plus("c")],
                ),
                row("k", vec![amount(15), amount(15), Cell::Empty], vec![]),
                row(
                    "r",
                    vec![amount(0), amount(2), Cell::Empty],
                    vec![Term::plus("k"), Term::minus("s")],
                ),
            ],
        )
    }

    #[test]
    fn sum_rows_and_derived_columns_get_formulas() {
        let f = formulas(&sample(), Rounding::AddsUp);
        assert_eq!(f.get(&(3, 0)).map(String::as_str), Some("SUM(B2:B4)"));
        assert_eq!(f.get(&(3, 1)).map(String::as_str), Some("SUM(C2:C4)"));
        // Both a sum row and a derived column: the derived column's formula.
        assert_eq!(f.get(&(3, 2)).map(String::as_str), Some("B5-C5"));
        assert_eq!(f.get(&(0, 2)).map(String::as_str), Some("B2-C2"));
        assert_eq!(f.get(&(5, 0)).map(String::as_str), Some("B6-B5"));
        // Blank cells get nothing; items in source columns are values.
        assert_eq!(f.get(&(5, 2)), None);
        assert_eq!(f.get(&(2, 2)), None);
        assert_eq!(f.get(&(0, 0)), None);
        // avvikelse of a, b, s; budget and prognos of s and r.
        assert_eq!(f.len(), 3 + 2 + 2);
    }

    #[test]
    fn independent_rounding_writes_values() {
        assert!(formulas(&sample(), Rounding::Independent).is_empty());
    }

    #[test]
    fn ranges_join_adjacent_rows_only() {
        assert_eq!(runs(&[0, 1, 2], "B"), vec!["B2:B4"]);
        assert_eq!(runs(&[6, 1], "C"), vec!["C3", "C8"]);
        assert_eq!(runs(&[3, 0, 1, 5, 6], "D"), vec!["D2:D3", "D5", "D7:D8"]);
        assert_eq!(runs(&[1, 1], "B"), vec!["B3", "B3"]);
    }

    #[test]
    fn minus_ranges_and_pure_minus() {
        let cols = vec![column("v", vec![])];
        let t = table(
            cols,
            vec![
                row("a", vec![amount(1)], vec![]),
                row("b", vec![amount(2)], vec![]),
                row("c", vec![amount(3)], vec![]),
                row(
                    "d",
                    vec![amount(-2)],
                    vec![Term::plus("a"), Term::minus("b"), Term::minus("a")],
                ),
                row("e", vec![amount(-3)], vec![Term::minus("c")]),
                row(
                    "f",
                    vec![amount(-2)],
                    vec![
                        Term::plus("a"),
                        Term::minus("b"),
                        Term::minus("c"),
                        Term::plus("c"),
                        Term::minus("a"),
                    ],
                ),
            ],
        );
        let f = formulas(&t, Rounding::AddsUp);
        assert_eq!(f.get(&(3, 0)).map(String::as_str), Some("B2-SUM(B2:B3)"));
        assert_eq!(f.get(&(4, 0)).map(String::as_str), Some("-B4"));
        assert_eq!(
            f.get(&(5, 0)).map(String::as_str),
            Some("SUM(B2,B4)-SUM(B2:B4)")
        );
    }

    #[test]
    fn no_formula_over_text_or_suppressed_or_unknown_or_itself() {
        let cols = vec![column("v", vec![])];
        let t = table(
            cols,
            vec![
                row(
                    "a",
                    vec![Cell::Suppressed {
                        reason: "liten grupp".to_string(),
                    }],
                    vec![],
                ),
                row("b", vec![amount(2)], vec![Term::plus("a")]),
                row("c", vec![amount(2)], vec![Term::plus("nowhere")]),
                row("d", vec![amount(2)], vec![Term::plus("d")]),
            ],
        );
        assert!(formulas(&t, Rounding::AddsUp).is_empty());
    }

    #[test]
    fn circular_formulas_become_values() {
        let cols = vec![column("x", vec![Term::plus("y")]), column("y", vec![])];
        // Cell (1, y) sums row a, whose x sums its y, ... row a's y is a sum of row b.
        let t = table(
            cols,
            vec![
                row("a", vec![amount(1), amount(1)], vec![Term::plus("b")]),
                row("b", vec![amount(1), amount(1)], vec![Term::plus("a")]),
            ],
        );
        let f = formulas(&t, Rounding::AddsUp);
        // x of each row comes from y (across); y of each row from the other row (down):
        // a.y → b.y → a.y is a cycle, so both stay values; x cells refer only to values.
        assert_eq!(f.get(&(0, 1)), None);
        assert_eq!(f.get(&(1, 1)), None);
        assert_eq!(f.get(&(0, 0)).map(String::as_str), Some("C2"));
        assert_eq!(f.get(&(1, 0)).map(String::as_str), Some("C3"));
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut t = table(vec![], vec![]);
        t.id = "annat".to_string();
        t.title = "Kostnader [per] kvartal: 2023/2024 * ? \\ och mycket mer text".to_string();
        let name = sheet_name(&t, &[]);
        assert_eq!(name, "Kostnader per kvartal 2023 2024");
        assert!(rust_xlsxwriter::check_sheet_name(&name).is_ok());
        let again = sheet_name(&t, std::slice::from_ref(&name));
        assert_eq!(again, "Kostnader per kvartal 2023 (2)");
        assert!(rust_xlsxwriter::check_sheet_name(&again).is_ok());
        t.title = "'Citat'".to_string();
        assert_eq!(sheet_name(&t, &[]), "Citat");
        t.title = "***".to_string();
        assert_eq!(sheet_name(&t, &[]), "Tabell");
        t.id = "personal".to_string();
        assert_eq!(sheet_name(&t, &["PERSONAL".to_string()]), "Personal (2)");
        t.id = "x".to_string();
        t.title = "History".to_string();
        assert_eq!(sheet_name(&t, &[]), "History (2)");
    }

    #[test]
    fn wrapped_text_counts_lines() {
        assert_eq!(text_lines("", 100), 1);
        assert_eq!(text_lines("kort", 100), 1);
        assert_eq!(text_lines("en\ntvå\ntre", 100), 3);
        let long = "ord ".repeat(40);
        let px = cell_autofit_width(&long);
        assert_eq!(text_lines(&long, px * 2), 1);
        assert!(text_lines(&long, px / 4) >= 4);
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(parse_date("2023-08-31"), Some((2023, 8, 31)));
        assert_eq!(parse_date("2023-08"), None);
        assert_eq!(parse_date("2023-08-31-1"), None);
        assert_eq!(parse_date("augusti"), None);
    }
}
