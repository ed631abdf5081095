//! The Excel workbook read back with calamine: every cell against the report, every
//! formula parsed and recomputed from the values read back, edits that recompute, and the
//! same bytes on every run.

mod common;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};
use delar_core::report::{Cell, CheckStatus, Report, Rounding, RowKind, Table};
use delar_core::{build_report, Options, SourceError, SourceFiles};
use delar_render::xlsx;

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/servicenamnd-it-2023"
);

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

fn example(rounding: Rounding) -> Report {
    let options = Options {
        rounding,
        ..Options::default()
    };
    match build_report(&DirFiles(Path::new(EXAMPLE).to_path_buf()), &options) {
        Ok(r) => r,
        Err(e) => panic!("the example package does not build: {e}"),
    }
}

fn write(report: &Report) -> Vec<u8> {
    match xlsx::workbook(report) {
        Ok(bytes) => bytes,
        Err(e) => panic!("the workbook cannot be written: {e}"),
    }
}

/// One sheet read back: cached values and formula texts.
struct Sheet {
    name: String,
    values: Range<Data>,
    formulas: Range<String>,
}

impl Sheet {
    fn value(&self, row: u32, col: u32) -> &Data {
        self.values.get_value((row, col)).unwrap_or(&Data::Empty)
    }

    fn text(&self, row: u32, col: u32) -> String {
        match self.value(row, col) {
            Data::String(s) => s.clone(),
            Data::Empty => String::new(),
            other => panic!(
                "{}!{}: expected text, found {other:?}",
                self.name,
                cell_name(row, col)
            ),
        }
    }

    fn formula(&self, row: u32, col: u32) -> Option<&str> {
        self.formulas
            .get_value((row, col))
            .map(String::as_str)
            .filter(|f| !f.is_empty())
    }

    /// Every formula cell (absolute row, column) with its text.
    fn all_formulas(&self) -> Vec<((u32, u32), String)> {
        let Some((r0, c0)) = self.formulas.start() else {
            return Vec::new();
        };
        self.formulas
            .used_cells()
            .filter(|(_, _, f)| !f.is_empty())
            .map(|(r, c, f)| ((r0 + r as u32, c0 + c as u32), f.clone()))
            .collect()
    }

    /// Number of non-empty rows below `from` (absolute), to find stray content.
    fn last_row(&self) -> u32 {
        self.values.end().map(|(r, _)| r).unwrap_or(0)
    }
}

fn read(bytes: &[u8]) -> Vec<Sheet> {
    let mut book: Xlsx<_> = match open_workbook_from_rs(Cursor::new(bytes.to_vec())) {
        Ok(b) => b,
        Err(e) => panic!("calamine cannot open the workbook: {e}"),
    };
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let values = book
                .worksheet_range(&name)
                .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
            let formulas = book
                .worksheet_formula(&name)
                .unwrap_or_else(|e| panic!("formulas of {name}: {e}"));
            Sheet {
                name,
                values,
                formulas,
            }
        })
        .collect()
}

fn cell_name(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// A number read back that must be a whole number of tkr.
fn whole(data: &Data, at: &str) -> i64 {
    let v = match data {
        Data::Float(v) => *v,
        Data::Int(i) => return *i,
        other => panic!("{at}: expected a number, found {other:?}"),
    };
    assert!(
        v.fract() == 0.0 && v.abs() < 9.0e15,
        "{at}: {v} is not whole tkr"
    );
    v as i64
}

// ---------------------------------------------------------------------------------------
// A small evaluator for the formulas the workbook uses: cell references, ranges inside
// SUM(...), +, - (binary and unary) and parentheses. A formula becomes a linear combination
// of cells, so it can be compared with the report's sum structure and recomputed.

/// Cell (row, column) → coefficient.
type Linear = BTreeMap<(u32, u32), i64>;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ref(u32, u32),
    Sum,
    Open,
    Close,
    Comma,
    Colon,
    Plus,
    Minus,
}

fn tokens(formula: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = formula.trim_start_matches('=').chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '(' => out.push(Token::Open),
            ')' => out.push(Token::Close),
            ',' => out.push(Token::Comma),
            ':' => out.push(Token::Colon),
            '+' => out.push(Token::Plus),
            '-' => out.push(Token::Minus),
            ' ' => {}
            'A'..='Z' | '$' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_uppercase() || chars[i] == '$') {
                    i += 1;
                }
                let letters: String = chars[start..i].iter().filter(|c| **c != '$').collect();
                if letters == "SUM" {
                    out.push(Token::Sum);
                    continue;
                }
                let digits_start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '$') {
                    i += 1;
                }
                let digits: String = chars[digits_start..i]
                    .iter()
                    .filter(|c| **c != '$')
                    .collect();
                if letters.is_empty() || digits.is_empty() {
                    return Err(format!("not a cell reference at {start} in {formula}"));
                }
                let col = letters
                    .chars()
                    .fold(0u32, |acc, l| acc * 26 + (l as u32 - 'A' as u32 + 1))
                    - 1;
                let row: u32 = digits.parse().map_err(|e| format!("{formula}: {e}"))?;
                out.push(Token::Ref(row - 1, col));
                continue;
            }
            other => return Err(format!("unexpected {other:?} in {formula}")),
        }
        i += 1;
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn expect(&mut self, want: Token) -> Result<(), String> {
        match self.next() {
            Some(t) if t == want => Ok(()),
            other => Err(format!("expected {want:?}, found {other:?}")),
        }
    }

    fn expr(&mut self) -> Result<Linear, String> {
        let mut acc = self.term()?;
        while let Some(op) = self.peek().cloned() {
            let sign = match op {
                Token::Plus => 1,
                Token::Minus => -1,
                _ => break,
            };
            self.at += 1;
            add(&mut acc, &self.term()?, sign);
        }
        Ok(acc)
    }

    fn term(&mut self) -> Result<Linear, String> {
        match self.peek() {
            Some(Token::Minus) => {
                self.at += 1;
                let mut out = Linear::new();
                add(&mut out, &self.term()?, -1);
                Ok(out)
            }
            Some(Token::Plus) => {
                self.at += 1;
                self.term()
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Linear, String> {
        match self.next() {
            Some(Token::Ref(r, c)) => Ok(Linear::from([((r, c), 1)])),
            Some(Token::Open) => {
                let inner = self.expr()?;
                self.expect(Token::Close)?;
                Ok(inner)
            }
            Some(Token::Sum) => {
                self.expect(Token::Open)?;
                let mut acc = Linear::new();
                loop {
                    let arg = self.sum_argument()?;
                    add(&mut acc, &arg, 1);
                    match self.next() {
                        Some(Token::Comma) => continue,
                        Some(Token::Close) => break,
                        other => return Err(format!("in SUM: unexpected {other:?}")),
                    }
                }
                Ok(acc)
            }
            other => Err(format!("unexpected {other:?}")),
        }
    }

    /// A range `B2:B4` or an expression.
    fn sum_argument(&mut self) -> Result<Linear, String> {
        if let (Some(Token::Ref(r1, c1)), Some(Token::Colon), Some(Token::Ref(r2, c2))) = (
            self.tokens.get(self.at).cloned(),
            self.tokens.get(self.at + 1).cloned(),
            self.tokens.get(self.at + 2).cloned(),
        ) {
            self.at += 3;
            let mut out = Linear::new();
            for r in r1.min(r2)..=r1.max(r2) {
                for c in c1.min(c2)..=c1.max(c2) {
                    *out.entry((r, c)).or_insert(0) += 1;
                }
            }
            return Ok(out);
        }
        self.expr()
    }
}

fn add(acc: &mut Linear, other: &Linear, sign: i64) {
    for (cell, k) in other {
        *acc.entry(*cell).or_insert(0) += sign * k;
    }
    acc.retain(|_, k| *k != 0);
}

fn parse(formula: &str) -> Result<Linear, String> {
    let mut p = Parser {
        tokens: tokens(formula)?,
        at: 0,
    };
    let out = p.expr()?;
    match p.peek() {
        None => Ok(out),
        Some(t) => Err(format!("{formula}: trailing {t:?}")),
    }
}

/// The value of a linear combination over whole-tkr cells; blank cells count as 0, text is
/// an error (Excel would give #VALUE!).
fn evaluate(
    linear: &Linear,
    value: impl Fn(u32, u32) -> Result<i64, String>,
) -> Result<i64, String> {
    let mut sum = 0;
    for ((r, c), k) in linear {
        sum += k * value(*r, *c)?;
    }
    Ok(sum)
}

fn grid_value(sheet: &Sheet, r: u32, c: u32) -> Result<i64, String> {
    match sheet.value(r, c) {
        Data::Empty => Ok(0),
        Data::Float(v) if v.fract() == 0.0 => Ok(*v as i64),
        Data::Int(i) => Ok(*i),
        other => Err(format!("{} refers to {other:?}", cell_name(r, c))),
    }
}

#[test]
fn evaluator_reads_the_formula_shapes() {
    let lin = parse("SUM(B2:B4)-C10").unwrap();
    assert_eq!(
        lin,
        Linear::from([((1, 1), 1), ((2, 1), 1), ((3, 1), 1), ((9, 2), -1)])
    );
    assert_eq!(parse("=-B4").unwrap(), Linear::from([((3, 1), -1)]));
    assert_eq!(
        parse("SUM(B2,B4)-SUM(B2:B4)").unwrap(),
        Linear::from([((2, 1), -1)])
    );
    assert_eq!(
        parse("D5-E5").unwrap(),
        Linear::from([((4, 3), 1), ((4, 4), -1)])
    );
    assert_eq!(
        parse("AA1+C2").unwrap(),
        Linear::from([((0, 26), 1), ((1, 2), 1)])
    );
    assert!(parse("SUM(B2:B4").is_err());
    assert!(parse("B2*3").is_err());
    let values = |r: u32, c: u32| Ok(i64::from(r * 10 + c));
    assert_eq!(
        evaluate(&parse("B2+B3-C1").unwrap(), values),
        Ok(11 + 21 - 2)
    );
}

// ---------------------------------------------------------------------------------------

/// What was compared on one table sheet.
#[derive(Debug, Default)]
struct Counts {
    cells: usize,
    amounts: usize,
    percents: usize,
    blanks: usize,
    suppressed: usize,
    formulas: usize,
}

/// The sheet row of table row `i` and the sheet column of value column `c`.
fn at(i: usize, c: usize) -> (u32, u32) {
    (i as u32 + 1, c as u32 + 1)
}

/// The linear combination a sum row or derived column stands for, in sheet cells.
fn expected_terms(table: &Table, i: usize, c: usize) -> Option<Linear> {
    let column = &table.columns[c];
    let mut out = Linear::new();
    if !column.sum_of.is_empty() {
        for term in &column.sum_of {
            let tc = table.column_index(&term.key)?;
            add(
                &mut out,
                &Linear::from([(at(i, tc), 1)]),
                i64::from(term.sign),
            );
        }
        return Some(out);
    }
    let row = &table.rows[i];
    if !row.sum_of.is_empty() {
        for term in &row.sum_of {
            let ti = table.rows.iter().position(|r| r.key == term.key)?;
            add(
                &mut out,
                &Linear::from([(at(ti, c), 1)]),
                i64::from(term.sign),
            );
        }
        return Some(out);
    }
    None
}

/// Compares the table's sheet with the table cell by cell and checks every formula.
fn check_table(table: &Table, sheet: &Sheet, rounding: Rounding, strict_formulas: bool) -> Counts {
    let mut n = Counts::default();
    let name = &sheet.name;
    assert_eq!(sheet.text(0, 0), table.title, "{name}: title in A1");
    for (c, column) in table.columns.iter().enumerate() {
        assert_eq!(
            sheet.text(0, c as u32 + 1),
            column.label,
            "{name}: header {c}"
        );
    }
    let note_col = table.columns.len() as u32 + 1;
    let has_notes = table.rows.iter().any(|r| r.note.is_some());
    assert_eq!(
        sheet.text(0, note_col),
        match (has_notes, table.unit) {
            (false, _) => "",
            (true, delar_core::report::Unit::Text) => "Kommentar",
            (true, _) => "Förtydligande",
        },
        "{name}: note column header"
    );

    let mut reasons: Vec<&str> = Vec::new();
    for (i, row) in table.rows.iter().enumerate() {
        let (r, _) = at(i, 0);
        assert_eq!(sheet.text(r, 0), row.label, "{name}: label of {}", row.key);
        assert_eq!(
            sheet.text(r, note_col),
            row.note.clone().unwrap_or_default(),
            "{name}: note of {}",
            row.key
        );
        for (c, cell) in row.cells.iter().enumerate() {
            let (r, col) = at(i, c);
            let where_ = format!(
                "{name}!{} ({}.{})",
                cell_name(r, col),
                row.key,
                table.columns[c].id
            );
            let got = sheet.value(r, col);
            let formula = sheet.formula(r, col);
            n.cells += 1;
            match cell {
                Cell::Empty => {
                    assert_eq!(got, &Data::Empty, "{where_}: blank");
                    assert_eq!(formula, None, "{where_}: blank has no formula");
                    n.blanks += 1;
                }
                Cell::Amount { shown_tkr, .. } => {
                    assert_eq!(whole(got, &where_), *shown_tkr, "{where_}: amount");
                    n.amounts += 1;
                    let is_sum = !row.sum_of.is_empty() || !table.columns[c].sum_of.is_empty();
                    match formula {
                        Some(text) => {
                            assert_eq!(
                                rounding,
                                Rounding::AddsUp,
                                "{where_}: formula {text} with independent rounding"
                            );
                            let linear = parse(text).unwrap_or_else(|e| panic!("{where_}: {e}"));
                            let expected = expected_terms(table, i, c).unwrap_or_else(|| {
                                panic!("{where_}: formula {text} on a cell that is not a sum")
                            });
                            assert_eq!(
                                linear, expected,
                                "{where_}: {text} is not the report's sum"
                            );
                            let value = evaluate(&linear, |r, c| grid_value(sheet, r, c))
                                .unwrap_or_else(|e| panic!("{where_}: {text}: {e}"));
                            assert_eq!(
                                value,
                                whole(got, &where_),
                                "{where_}: {text} against its cached value"
                            );
                            assert_eq!(value, *shown_tkr, "{where_}: {text} against the report");
                            n.formulas += 1;
                        }
                        None => {
                            if strict_formulas && rounding == Rounding::AddsUp {
                                assert!(!is_sum, "{where_}: a sum written as a value");
                            }
                        }
                    }
                }
                Cell::Percent { shown_hundredths } => {
                    let Data::Float(v) = got else {
                        panic!("{where_}: expected a percentage, found {got:?}");
                    };
                    assert_eq!(
                        *v,
                        *shown_hundredths as f64 / 10_000.0,
                        "{where_}: fraction"
                    );
                    assert_eq!((v * 10_000.0).round() as i64, *shown_hundredths, "{where_}");
                    assert_eq!(formula, None, "{where_}");
                    n.percents += 1;
                }
                Cell::Suppressed { reason } => {
                    let Data::String(s) = got else {
                        panic!("{where_}: expected the suppression mark, found {got:?}");
                    };
                    assert!(s.starts_with("\u{2013}*"), "{where_}: {s}");
                    if !reasons.contains(&reason.as_str()) {
                        reasons.push(reason);
                    }
                    n.suppressed += 1;
                }
                Cell::Text { text } => {
                    assert_eq!(got, &Data::String(text.clone()), "{where_}");
                }
            }
        }
        for c in row.cells.len()..table.columns.len() {
            let (r, col) = at(i, c);
            assert_eq!(
                sheet.value(r, col),
                &Data::Empty,
                "{name}: missing cell {c} of {}",
                row.key
            );
        }
    }

    // Under the table after a blank row: the footnotes, then the notes, then nothing.
    let mut r = table.rows.len() as u32 + 1;
    for col in 0..=note_col {
        assert_eq!(
            sheet.value(r, col),
            &Data::Empty,
            "{name}: row after the table is blank"
        );
    }
    r += 1;
    for (k, reason) in reasons.iter().enumerate() {
        let mark = if reasons.len() == 1 {
            "*".to_string()
        } else {
            format!("*{}", k + 1)
        };
        assert_eq!(
            sheet.text(r, 0),
            format!("{mark} {reason}"),
            "{name}: footnote"
        );
        r += 1;
    }
    for note in &table.notes {
        assert_eq!(sheet.text(r, 0), *note, "{name}: table note");
        r += 1;
    }
    let last = if reasons.is_empty() && table.notes.is_empty() {
        table.rows.len() as u32
    } else {
        r - 1
    };
    assert_eq!(sheet.last_row(), last, "{name}: nothing below the notes");

    // No formula outside the value cells.
    for ((fr, fc), text) in sheet.all_formulas() {
        let inside = fr >= 1
            && (fr as usize) <= table.rows.len()
            && fc >= 1
            && (fc as usize) <= table.columns.len();
        assert!(inside, "{name}!{}: stray formula {text}", cell_name(fr, fc));
    }
    assert_eq!(
        sheet.all_formulas().len(),
        n.formulas,
        "{name}: formula count"
    );
    n
}

fn sheet<'a>(sheets: &'a [Sheet], name: &str) -> &'a Sheet {
    sheets
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

fn check_checks_sheet(report: &Report, sheet: &Sheet) {
    assert_eq!(
        [0, 1, 2, 3].map(|c| sheet.text(0, c)),
        ["Status", "Kontroll", "Resultat", "Underlag"]
    );
    for (i, check) in report.checks.iter().enumerate() {
        let r = i as u32 + 1;
        let status = match check.status {
            CheckStatus::Pass => "Godkänd",
            CheckStatus::Warn => "Varning",
            CheckStatus::Fail => "Fel",
        };
        assert_eq!(sheet.text(r, 0), status, "check {}", check.id);
        assert_eq!(sheet.text(r, 1), check.id);
        assert_eq!(sheet.text(r, 2), check.message);
        let figures: Vec<String> = check
            .figures
            .iter()
            .map(|(l, v)| format!("{l}: {v}"))
            .collect();
        assert_eq!(
            sheet.text(r, 3),
            figures.join("\n"),
            "figures of {}",
            check.id
        );
    }
    assert_eq!(sheet.last_row(), report.checks.len() as u32);
}

fn check_about_sheet(report: &Report, sheet: &Sheet) {
    let texts: Vec<String> = sheet
        .values
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    for want in [
        &report.meta.committee,
        &report.meta.title,
        &report.meta.sign_convention,
    ] {
        assert!(texts.contains(want), "Om rapporten lacks {want:?}");
    }
    for table in &report.tables {
        assert!(
            texts.contains(&table.title),
            "Om rapporten lacks the table {}",
            table.id
        );
    }
    assert!(texts.iter().any(|t| t.contains(&report.meta.period_end)));
}

#[test]
fn example_workbook_matches_the_report_and_its_sums_recompute() {
    let report = example(Rounding::AddsUp);
    for table in &report.tables {
        assert!(
            table.sum_mismatches().is_empty(),
            "{:?}",
            table.sum_mismatches()
        );
    }
    let sheets = read(&write(&report));
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Om rapporten",
            "Resultaträkning",
            "Resultat netto",
            "Prognoskommentarer",
            "Budgetförändringar",
            "Investeringar",
            "Personal",
            "Kontroller"
        ]
    );
    for name in &names {
        assert!(rust_xlsxwriter_name_ok(name), "{name}");
    }
    check_about_sheet(&report, &sheets[0]);
    let mut total = Counts::default();
    for (table, sheet) in report.tables.iter().zip(&sheets[1..]) {
        let n = check_table(table, sheet, Rounding::AddsUp, true);
        assert_eq!(
            n.formulas,
            sum_cells(table),
            "{}: every sum is a formula",
            table.id
        );
        total.cells += n.cells;
        total.amounts += n.amounts;
        total.percents += n.percents;
        total.blanks += n.blanks;
        total.suppressed += n.suppressed;
        total.formulas += n.formulas;
    }
    check_checks_sheet(&report, sheet(&sheets, "Kontroller"));
    // The example's tables as built today; a change in the engine shows up here.
    assert!(total.formulas >= 60, "{total:?}");
    assert!(
        total.amounts > total.formulas && total.percents > 0 && total.blanks > 0,
        "{total:?}"
    );
    eprintln!("example workbook: {total:?}");
}

/// Number of amount cells in sum rows or derived columns.
fn sum_cells(table: &Table) -> usize {
    table
        .rows
        .iter()
        .map(|row| {
            row.cells
                .iter()
                .enumerate()
                .filter(|(c, cell)| {
                    matches!(cell, Cell::Amount { .. })
                        && (!row.sum_of.is_empty()
                            || table
                                .columns
                                .get(*c)
                                .is_some_and(|col| !col.sum_of.is_empty()))
                })
                .count()
        })
        .sum()
}

/// Sheet names as Excel allows them.
fn rust_xlsxwriter_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.encode_utf16().count() <= 31
        && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
        && !name.starts_with('\'')
        && !name.ends_with('\'')
}

/// Edits a figure in the grid read back and recomputes every formula as a spreadsheet
/// would: the sums and derived columns follow, and still add up.
#[test]
fn edited_figures_recompute_through_the_formulas() {
    let report = example(Rounding::AddsUp);
    let sheets = read(&write(&report));
    let table = report.table("resultatrakning").expect("resultatrakning");
    let sheet = sheet(&sheets, "Resultaträkning");

    let mut grid: BTreeMap<(u32, u32), i64> = BTreeMap::new();
    for (r, c, d) in sheet.values.used_cells() {
        if let Data::Float(v) = d {
            grid.insert((r as u32, c as u32), *v as i64);
        }
    }
    let formulas: Vec<((u32, u32), Linear)> = sheet
        .all_formulas()
        .into_iter()
        .map(|(at, f)| (at, parse(&f).expect("formula parses")))
        .collect();
    assert!(!formulas.is_empty());

    let row_of = |key: &str| table.rows.iter().position(|r| r.key == key).expect(key) as u32 + 1;
    let col_of = |id: &str| table.column_index(id).expect(id) as u32 + 1;
    let edited = (row_of("personalkostnader"), col_of("prognos"));
    assert!(
        formulas.iter().all(|(at, _)| *at != edited),
        "the edited cell is an input"
    );
    let before = grid.clone();
    *grid.get_mut(&edited).expect("a figure") += 100;

    // Recalculate until nothing changes (the formulas form no cycle).
    for _ in 0..=formulas.len() {
        let mut changed = false;
        for (at, linear) in &formulas {
            let v = evaluate(linear, |r, c| Ok(grid.get(&(r, c)).copied().unwrap_or(0))).unwrap();
            if grid.insert(*at, v) != Some(v) {
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    let delta = |key: &str, col: &str| {
        let at = (row_of(key), col_of(col));
        grid[&at] - before[&at]
    };
    assert_eq!(delta("personalkostnader", "avvikelse"), -100);
    assert_eq!(delta("summa_kostnader", "prognos"), 100);
    assert_eq!(delta("summa_nettokostnader", "prognos"), 100);
    assert_eq!(delta("resultat", "prognos"), -100);
    assert_eq!(delta("summa_kostnader", "avvikelse"), -100);
    assert_eq!(delta("summa_nettokostnader", "avvikelse"), -100);
    assert_eq!(delta("summa_kostnader", "budget"), 0);
    // Every sum still holds on the edited grid.
    for (i, row) in table.rows.iter().enumerate() {
        for c in 0..table.columns.len() {
            if !matches!(row.cells.get(c), Some(Cell::Amount { .. })) {
                continue;
            }
            if let Some(expected) = expected_terms(table, i, c) {
                let sum = evaluate(&expected, |r, c| {
                    Ok(grid.get(&(r, c)).copied().unwrap_or(0))
                })
                .unwrap();
                assert_eq!(
                    grid[&at(i, c)],
                    sum,
                    "{}.{} after the edit",
                    row.key,
                    table.columns[c].id
                );
            }
        }
    }
}

#[test]
fn independent_rounding_writes_values_only() {
    let report = example(Rounding::Independent);
    let sheets = read(&write(&report));
    for (table, sheet) in report.tables.iter().zip(&sheets[1..]) {
        let n = check_table(table, sheet, Rounding::Independent, false);
        assert_eq!(n.formulas, 0, "{}", table.id);
    }
    for s in &sheets {
        assert!(s.all_formulas().is_empty(), "{} has formulas", s.name);
    }
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let first = write(&example(Rounding::AddsUp));
    // Past a second boundary, so a clock in the file would show.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = write(&example(Rounding::AddsUp));
    assert!(first == second, "two runs differ");
    let fixture = common::report();
    let a = write(&fixture);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(a == write(&fixture), "two runs of the fixture differ");
    assert!(a != first);
}

#[test]
fn fixture_workbook_with_suppression_notes_and_all_statuses() {
    let report = common::report();
    let sheets = read(&write(&report));
    assert_eq!(sheets.len(), report.tables.len() + 2);
    assert_eq!(sheets[0].name, "Om rapporten");
    check_about_sheet(&report, &sheets[0]);
    let mut suppressed = 0;
    for (table, sheet) in report.tables.iter().zip(&sheets[1..]) {
        // Every sum the fixture names (its sum rows may refer only to amounts and blanks)
        // is a formula.
        let n = check_table(table, sheet, report.meta.rounding, true);
        assert_eq!(n.formulas, sum_cells(table), "{}", table.id);
        suppressed += n.suppressed;
    }
    assert_eq!(suppressed, 1);
    let personal = sheet(&sheets, "Personal");
    let rows = report.table("personal").expect("personal").rows.len() as u32;
    assert_eq!(
        personal.text(rows + 2, 0),
        format!("* {}", common::SUPPRESSION_REASON)
    );
    // Sum rows are marked in the report; the budget changes have a note column.
    let budget = sheet(&sheets, "Budgetförändringar");
    assert_eq!(budget.text(0, 2), "Förtydligande");
    assert!(report
        .tables
        .iter()
        .flat_map(|t| &t.rows)
        .any(|r| r.kind == RowKind::Total));
    check_checks_sheet(&report, sheet(&sheets, "Kontroller"));
}

#[test]
fn fixture_with_sum_structure_gets_formulas_that_recompute() {
    use delar_core::report::Term;
    let mut report = common::report();
    let Some(table) = report.tables.iter_mut().find(|t| t.id == "resultatrakning") else {
        panic!("fixture has resultatrakning");
    };
    let set = |table: &mut Table, key: &str, terms: Vec<Term>| {
        if let Some(row) = table.rows.iter_mut().find(|r| r.key == key) {
            row.sum_of = terms;
        }
    };
    set(table, "summa_intakter", vec![Term::plus("intakter")]);
    set(
        table,
        "summa_kostnader",
        [
            "personalkostnader",
            "lokalkostnader",
            "ovriga_kostnader",
            "kapitalkostnad",
        ]
        .into_iter()
        .map(Term::plus)
        .collect(),
    );
    set(
        table,
        "summa_nettokostnader",
        vec![Term::plus("summa_intakter"), Term::plus("summa_kostnader")],
    );
    set(
        table,
        "resultat",
        vec![
            Term::plus("kommunbidrag"),
            Term::minus("summa_nettokostnader"),
        ],
    );
    if let Some(c) = table.columns.iter_mut().find(|c| c.id == "avvikelse") {
        c.sum_of = vec![Term::plus("budget"), Term::minus("prognos")];
    }
    assert!(
        table.sum_mismatches().is_empty(),
        "{:?}",
        table.sum_mismatches()
    );
    let table = table.clone();
    let sheets = read(&write(&report));
    let n = check_table(
        &table,
        sheet(&sheets, "Resultaträkning"),
        Rounding::AddsUp,
        true,
    );
    // 4 sum rows × 4 source columns, avvikelse of 7 amount rows (lokalkostnader is blank,
    // kommunbidrag and resultat have none).
    assert_eq!(n.formulas, 4 * 4 + 7, "{n:?}");
    let ws = sheet(&sheets, "Resultaträkning");
    assert_eq!(ws.formula(2, 1), Some("SUM(B2)"));
    assert_eq!(ws.formula(7, 2), Some("SUM(C4:C7)"));
    assert_eq!(ws.formula(8, 1), Some("SUM(B3,B8)"));
    assert_eq!(ws.formula(10, 2), Some("C10-C9"));
    assert_eq!(ws.formula(7, 5), Some("D8-E8"));
}

#[test]
fn every_forecast_comment_is_in_the_workbook() {
    let report = example(Rounding::AddsUp);
    let comments = report
        .table("prognoskommentarer")
        .expect("the example has forecast comments");
    let sheets = read(&write(&report));
    let texts: Vec<String> = sheets
        .iter()
        .flat_map(|s| {
            s.values
                .used_cells()
                .map(|(_, _, d)| d.to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!comments.rows.is_empty());
    for row in &comments.rows {
        let Some(comment) = &row.note else {
            panic!("{}: no comment", row.key);
        };
        assert!(
            texts.contains(comment),
            "the workbook lacks the comment {comment:?}"
        );
        assert!(texts.contains(&row.label), "{}", row.label);
    }
}
