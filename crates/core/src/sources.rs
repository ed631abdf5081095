//! Read stage: the injected file access ([`SourceFiles`]) and the CSV sources of a package
//! (budget, budget changes, forecast, investment register, staff), parsed from bytes into
//! typed records with file:line and column in every error.

use crate::error::{LoadError, SourceError};
use crate::money::{parse_decimal, parse_ore, Date};
use std::collections::BTreeMap;

/// Access to the files of a package, by path relative to the package root (`/` separated).
/// The CLI implements it over a directory; tests use an in-memory map.
pub trait SourceFiles {
    /// The bytes of the file at `path`.
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError>;

    /// The names of the files directly in folder `dir` (sorted), or `None` when this
    /// access cannot list folders (then `delar check` says that it could not look for
    /// unused text files).
    fn list(&self, dir: &str) -> Option<Vec<String>> {
        let _ = dir;
        None
    }

    /// The file at `path` as a reader, for the SIE ledgers, which are read in pieces
    /// and summed as they are read, so that a file of a gigabyte never has to be in
    /// memory whole. By default the bytes of [`SourceFiles::read`]; a folder on disk
    /// opens the file instead.
    fn open(&self, path: &str) -> Result<Box<dyn std::io::Read + Send + '_>, SourceError> {
        Ok(Box::new(std::io::Cursor::new(self.read(path)?)))
    }

    /// The size in bytes of the file at `path`, when known without reading it (`None`
    /// by default). The loader reads the current and the prior ledger at the same time
    /// only when it knows both are small enough.
    fn size(&self, path: &str) -> Option<u64> {
        let _ = path;
        None
    }
}

/// An in-memory package: path → bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryFiles {
    /// The files.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl MemoryFiles {
    /// An empty package.
    pub fn new() -> MemoryFiles {
        MemoryFiles::default()
    }

    /// Adds (or replaces) a file.
    pub fn with(mut self, path: &str, content: impl AsRef<[u8]>) -> MemoryFiles {
        self.files
            .insert(path.to_string(), content.as_ref().to_vec());
        self
    }
}

impl SourceFiles for MemoryFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        self.files.get(path).cloned().ok_or(SourceError::NotFound)
    }

    fn open(&self, path: &str) -> Result<Box<dyn std::io::Read + Send + '_>, SourceError> {
        match self.files.get(path) {
            Some(bytes) => Ok(Box::new(bytes.as_slice())),
            None => Err(SourceError::NotFound),
        }
    }

    fn size(&self, path: &str) -> Option<u64> {
        self.files.get(path).map(|b| b.len() as u64)
    }

    fn list(&self, dir: &str) -> Option<Vec<String>> {
        let dir = dir.trim_end_matches('/');
        let prefix = if dir.is_empty() || dir == "." {
            String::new()
        } else {
            format!("{dir}/")
        };
        Some(
            self.files
                .keys()
                .filter_map(|k| k.strip_prefix(&prefix))
                .filter(|rest| !rest.contains('/'))
                .map(str::to_string)
                .collect(),
        )
    }
}

/// A source error as the [`LoadError`] that names the path.
fn load_error(path: &str, e: SourceError) -> LoadError {
    match e {
        SourceError::NotFound => LoadError::Missing {
            path: path.to_string(),
        },
        SourceError::Other(message) => LoadError::Read {
            path: path.to_string(),
            message,
        },
    }
}

/// Opens a file as a reader ([`SourceFiles::open`]), turning a source error into a
/// [`LoadError`] that names the path.
pub fn open_file<'a>(
    files: &'a dyn SourceFiles,
    path: &str,
) -> Result<Box<dyn std::io::Read + Send + 'a>, LoadError> {
    files.open(path).map_err(|e| load_error(path, e))
}

/// Reads a file, turning a source error into a [`LoadError`] that names the path.
pub fn read_file(files: &dyn SourceFiles, path: &str) -> Result<Vec<u8>, LoadError> {
    files.read(path).map_err(|e| load_error(path, e))
}

/// Reads an optional file: `Ok(None)` when it does not exist.
pub fn read_optional(files: &dyn SourceFiles, path: &str) -> Result<Option<Vec<u8>>, LoadError> {
    match files.read(path) {
        Ok(b) => Ok(Some(b)),
        Err(SourceError::NotFound) => Ok(None),
        Err(e) => Err(load_error(path, e)),
    }
}

/// Decodes UTF-8 text (a BOM is allowed).
pub fn utf8_text(path: &str, bytes: &[u8]) -> Result<String, LoadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        LoadError::Csv {
            path: path.to_string(),
            line,
            column: None,
            message: "filen är inte UTF-8".into(),
        }
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_string())
}

/// One CSV record (or worksheet row): its line and its cells by (lower-case) column
/// name.
#[derive(Debug, Clone)]
struct Record {
    path: String,
    line: usize,
    cells: BTreeMap<String, String>,
    /// For a workbook row: the sheet's name and each column's letter by name.
    sheet: Option<(String, BTreeMap<String, String>)>,
}

impl Record {
    fn err(&self, column: &str, message: impl Into<String>) -> LoadError {
        match &self.sheet {
            Some((sheet, letters)) => LoadError::Sheet {
                path: self.path.clone(),
                sheet: sheet.clone(),
                row: self.line,
                column: Some(format!(
                    "{} ({column})",
                    letters.get(column).map_or("?", String::as_str)
                )),
                message: message.into(),
            },
            None => LoadError::Csv {
                path: self.path.clone(),
                line: self.line,
                column: Some(column.to_string()),
                message: message.into(),
            },
        }
    }

    fn text(&self, column: &str) -> String {
        self.cells
            .get(column)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    fn opt_text(&self, column: &str) -> Option<String> {
        let t = self.text(column);
        (!t.is_empty()).then_some(t)
    }

    /// An optional row key: lower-case letters, digits and `_`.
    fn opt_key(&self, column: &str) -> Result<Option<String>, LoadError> {
        match self.opt_text(column) {
            Some(k) if !crate::config::is_valid_key(&k) => Err(self.err(
                column,
                "nyckeln får bara innehålla a–z, 0–9 och _ och ska börja med en bokstav",
            )),
            other => Ok(other),
        }
    }

    fn required(&self, column: &str) -> Result<String, LoadError> {
        self.opt_text(column)
            .ok_or_else(|| self.err(column, "värde saknas"))
    }

    fn ore(&self, column: &str) -> Result<i64, LoadError> {
        parse_ore(&self.text(column)).map_err(|e| self.err(column, e.0))
    }

    fn ore_or_zero(&self, column: &str) -> Result<i64, LoadError> {
        if self.text(column).is_empty() {
            Ok(0)
        } else {
            self.ore(column)
        }
    }

    fn hundredths(&self, column: &str) -> Result<i64, LoadError> {
        let v = parse_decimal(&self.text(column), 2).map_err(|e| self.err(column, e.0))?;
        // A billion hours is far beyond any real figure and keeps sums within i64.
        if v.abs() > 100_000_000_000 {
            return Err(self.err(column, "orimligt stort tal"));
        }
        Ok(v)
    }

    fn account(&self, column: &str) -> Result<u32, LoadError> {
        let t = self.text(column);
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.err(column, format!("\"{t}\" är inget kontonummer")));
        }
        t.parse()
            .map_err(|_| self.err(column, format!("\"{t}\" är inget kontonummer")))
    }

    fn date(&self, column: &str) -> Result<Date, LoadError> {
        let t = self.text(column);
        Date::parse(&t).ok_or_else(|| {
            self.err(
                column,
                format!("\"{t}\" är inget giltigt datum (ÅÅÅÅ-MM-DD)"),
            )
        })
    }
}

/// Whether a source path names an Excel workbook (read with calamine).
pub fn is_workbook_path(path: &str) -> bool {
    path.to_lowercase().ends_with(".xlsx")
}

/// Excel's name of a 0-based column: A, B, …, Z, AA, …
fn column_letter(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + u8::try_from(index % 26).unwrap_or(0));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A workbook cell as text, as a CSV cell would hold it. Numbers are written in their
/// shortest exact decimal form (the cell's binary value is the external boundary; the
/// amount parser then demands at most two decimals). Dates, booleans and error values are
/// not amounts, codes or texts of these sources: an error naming the cell.
fn cell_text(cell: &calamine::Data) -> Result<String, String> {
    use calamine::Data;
    match cell {
        Data::Empty => Ok(String::new()),
        Data::String(s) => Ok(s.clone()),
        Data::Int(i) => Ok(i.to_string()),
        Data::Float(f) if f.is_finite() => Ok(format!("{f}")),
        Data::Float(_) => Err("talet är inte ändligt".into()),
        Data::Bool(b) => Err(format!(
            "cellen är ett sanningsvärde ({}); skriv ett tal eller en text",
            if *b { "SANT" } else { "FALSKT" }
        )),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            Err("cellen är formaterad som datum eller tid; formatera den som tal eller text".into())
        }
        Data::Error(e) => Err(format!(
            "cellen innehåller felvärdet {e}; rätta formeln eller skriv värdet"
        )),
    }
}

/// Reads the first worksheet of a workbook into a header and rows of text, checking
/// the header like [`read_csv`] does.
fn read_xlsx(
    path: &str,
    bytes: &[u8],
    required: &[&str],
    optional: &[&str],
) -> Result<Vec<Record>, LoadError> {
    use calamine::Reader;
    let whole = |message: String| LoadError::Read {
        path: path.to_string(),
        message,
    };
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
            whole(format!(
                "filen är ingen läsbar Excel-arbetsbok (.xlsx): {e}; spara den som .xlsx igen eller använd CSV"
            ))
        })?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| whole("arbetsboken har inget blad".into()))?;
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| whole(format!("bladet \"{sheet}\" kan inte läsas: {e}")))?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let (row0, col0) = (row0 as usize, col0 as usize);
    let sheet_err = |row: usize, column: Option<String>, message: String| LoadError::Sheet {
        path: path.to_string(),
        sheet: sheet.clone(),
        row,
        column,
        message,
    };
    let mut rows = range.rows().enumerate();
    // The header is the first row with anything in it.
    let (header_index, header_cells) = loop {
        match rows.next() {
            Some((i, cells)) if cells.iter().any(|c| !matches!(c, calamine::Data::Empty)) => {
                break (i, cells)
            }
            Some(_) => continue,
            None => {
                return Err(sheet_err(
                    1,
                    None,
                    "bladet är tomt; första raden ska vara rubrikraden".into(),
                ))
            }
        }
    };
    let header_row = row0 + header_index + 1;
    let mut headers: Vec<String> = Vec::new();
    for (i, c) in header_cells.iter().enumerate() {
        let letter = column_letter(col0 + i);
        let text = cell_text(c).map_err(|m| sheet_err(header_row, Some(letter.clone()), m))?;
        headers.push(text.trim().to_lowercase());
    }
    // Trailing empty header cells (a formatted but empty column) are not columns.
    while headers.last().is_some_and(String::is_empty) {
        headers.pop();
    }
    check_header(&headers, required, optional).map_err(|m| sheet_err(header_row, None, m))?;
    let letters: BTreeMap<String, String> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.clone(), column_letter(col0 + i)))
        .collect();
    let mut out = Vec::new();
    for (i, cells) in rows {
        let row = row0 + i + 1;
        let mut texts = BTreeMap::new();
        for (j, c) in cells.iter().enumerate() {
            let letter = column_letter(col0 + j);
            let text = cell_text(c).map_err(|m| {
                let name = headers.get(j).map_or(String::new(), |h| format!(" ({h})"));
                sheet_err(row, Some(format!("{letter}{name}")), m)
            })?;
            match headers.get(j) {
                Some(h) => {
                    texts.insert(h.clone(), text);
                }
                None if text.trim().is_empty() => {}
                None => {
                    return Err(sheet_err(
                        row,
                        Some(letter),
                        "värde i en kolumn utan rubrik; ta bort det eller ge kolumnen en rubrik"
                            .into(),
                    ))
                }
            }
        }
        if texts.values().all(|t| t.trim().is_empty()) {
            continue;
        }
        out.push(Record {
            path: path.to_string(),
            line: row,
            cells: texts,
            sheet: Some((sheet.clone(), letters.clone())),
        });
    }
    Ok(out)
}

/// Checks a header: every column known, none twice, every required one present.
fn check_header(headers: &[String], required: &[&str], optional: &[&str]) -> Result<(), String> {
    let expected = required
        .iter()
        .map(|c| c.to_string())
        .chain(optional.iter().map(|c| format!("({c})")))
        .collect::<Vec<_>>()
        .join(";");
    for (i, h) in headers.iter().enumerate() {
        if !required.contains(&h.as_str()) && !optional.contains(&h.as_str()) {
            return Err(format!("okänd kolumn \"{h}\" (väntade {expected})"));
        }
        if headers[..i].contains(h) {
            return Err(format!("kolumnen \"{h}\" finns två gånger"));
        }
    }
    for r in required {
        if !headers.iter().any(|h| h == r) {
            return Err(format!("kolumnen \"{r}\" saknas (väntade {expected})"));
        }
    }
    Ok(())
}

/// Parses a CSV source (or, for a `.xlsx` path, the first sheet of a workbook): header
/// detection, required and optional columns (case-insensitive, order free, unknown
/// columns are errors), empty lines skipped.
fn read_csv(
    path: &str,
    bytes: &[u8],
    required: &[&str],
    optional: &[&str],
) -> Result<Vec<Record>, LoadError> {
    if is_workbook_path(path) {
        return read_xlsx(path, bytes, required, optional);
    }
    let text = utf8_text(path, bytes)?;
    let header_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if header_line.matches(';').count() >= header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let csv_err = |e: csv::Error| {
        let line = e
            .position()
            .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
        let message = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("raden har {len} fält, rubrikraden {expected_len}"),
            _ => e.to_string(),
        };
        LoadError::Csv {
            path: path.to_string(),
            line,
            column: None,
            message,
        }
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(csv_err)?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let header_err = |message: String| LoadError::Csv {
        path: path.to_string(),
        line: 1,
        column: None,
        message,
    };
    check_header(&headers, required, optional).map_err(header_err)?;
    let mut out = Vec::new();
    // (byte offset, its line): the lines are counted on from the last record, not from the
    // start of the file again for every record (quadratic in a budget of 10 000 lines).
    let mut counted = (0usize, 1usize);
    for rec in reader.records() {
        let rec = rec.map_err(csv_err)?;
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // The reader's own line count skips empty lines; count from the byte offset.
        let line = rec.position().map_or(0, |p| {
            let mut at = usize::try_from(p.byte()).unwrap_or(0).min(text.len());
            while at < text.len() && matches!(text.as_bytes()[at], b'\n' | b'\r') {
                at += 1;
            }
            let (from, line) = if counted.0 <= at { counted } else { (0, 1) };
            let line = line
                + text.as_bytes()[from..at]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
            counted = (at, line);
            line
        });
        let cells = headers
            .iter()
            .cloned()
            .zip(rec.iter().map(str::to_string))
            .collect();
        out.push(Record {
            path: path.to_string(),
            line,
            cells,
            sheet: None,
        });
    }
    Ok(out)
}

/// A line of the budget file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetLine {
    /// Account.
    pub account: u32,
    /// Object on the allocation dimension, if any.
    pub ansvar: Option<String>,
    /// Full-year amount in öre (ledger sign).
    pub amount: i64,
    /// Where it comes from: (path, line).
    pub origin: (String, usize),
}

/// Parses the budget file `konto;ansvar;belopp`.
pub fn parse_budget(path: &str, bytes: &[u8]) -> Result<Vec<BudgetLine>, LoadError> {
    read_csv(path, bytes, &["konto", "belopp"], &["ansvar"])?
        .iter()
        .map(budget_line)
        .collect()
}

/// The `konto;ansvar;belopp` part of a budget or budget change record.
fn budget_line(r: &Record) -> Result<BudgetLine, LoadError> {
    Ok(BudgetLine {
        account: r.account("konto")?,
        ansvar: r.opt_text("ansvar"),
        amount: r.ore("belopp")?,
        origin: (r.path.clone(), r.line),
    })
}

/// A line of the budget changes file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLine {
    /// The change's area (område), as written.
    pub omrade: String,
    /// Row key of the område in the table (optional `nyckel` column).
    pub key: Option<String>,
    /// Explanation (may be empty).
    pub forklaring: String,
    /// The budget line it changes.
    pub line: BudgetLine,
}

/// Parses the budget changes file `omrade;forklaring;konto;ansvar;belopp`.
pub fn parse_changes(path: &str, bytes: &[u8]) -> Result<Vec<ChangeLine>, LoadError> {
    read_csv(
        path,
        bytes,
        &["omrade", "konto", "belopp"],
        &["nyckel", "forklaring", "ansvar"],
    )?
    .into_iter()
    .map(|r| {
        Ok(ChangeLine {
            omrade: r.required("omrade")?,
            key: r.opt_key("nyckel")?,
            forklaring: r.text("forklaring"),
            line: budget_line(&r)?,
        })
    })
    .collect()
}

/// A line of the forecast file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastLine {
    /// Income statement row id.
    pub row: String,
    /// Object on the allocation dimension, if any.
    pub ansvar: Option<String>,
    /// Full-year forecast in öre (ledger sign).
    pub amount: i64,
    /// Comment.
    pub comment: String,
    /// Where it comes from: (path, line).
    pub origin: (String, usize),
}

/// Parses the forecast file `rad;ansvar;prognos;kommentar`.
pub fn parse_forecast(path: &str, bytes: &[u8]) -> Result<Vec<ForecastLine>, LoadError> {
    read_csv(path, bytes, &["rad", "prognos"], &["ansvar", "kommentar"])?
        .into_iter()
        .map(|r| {
            Ok(ForecastLine {
                row: r.required("rad")?,
                ansvar: r.opt_text("ansvar"),
                amount: r.ore("prognos")?,
                comment: r.text("kommentar"),
                origin: (r.path.clone(), r.line),
            })
        })
        .collect()
}

/// A project of the investment register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// Object id on the project dimension.
    pub id: String,
    /// Row key in the table (optional `nyckel` column; default from the name).
    pub key: Option<String>,
    /// Name as printed.
    pub name: String,
    /// Group id.
    pub group: String,
    /// Budget of the year in öre.
    pub budget: i64,
    /// Budget carried over (ombudgetering) in öre.
    pub rebudget: i64,
    /// Full-year forecast in öre.
    pub forecast: i64,
    /// Where it comes from: (path, line).
    pub origin: (String, usize),
}

/// Parses the register `projekt;namn;grupp;budget;ombudgetering;prognos`.
pub fn parse_register(path: &str, bytes: &[u8]) -> Result<Vec<Project>, LoadError> {
    read_csv(
        path,
        bytes,
        &["projekt", "namn", "grupp", "budget", "prognos"],
        &["nyckel", "ombudgetering"],
    )?
    .into_iter()
    .map(|r| {
        Ok(Project {
            id: r.required("projekt")?,
            key: r.opt_key("nyckel")?,
            name: r.required("namn")?,
            group: r.required("grupp")?,
            budget: r.ore_or_zero("budget")?,
            rebudget: r.ore_or_zero("ombudgetering")?,
            forecast: r.ore_or_zero("prognos")?,
            origin: (r.path.clone(), r.line),
        })
    })
    .collect()
}

/// Gender as recorded for the statutory staff figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    /// Kvinna.
    Woman,
    /// Man.
    Man,
}

/// An employee (pseudonymous).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employee {
    /// Pseudonymous id.
    pub id: String,
    /// Gender.
    pub gender: Gender,
    /// Birth year.
    pub birth_year: i32,
    /// Ordinary working hours in the period, in hundredths of an hour.
    pub ordinary_hours: i64,
    /// Employment rate in hundredths of a percent (10000 = full time).
    pub rate: i64,
    /// Where it comes from: (path, line).
    pub origin: (String, usize),
}

/// Parses `id;kon;fodelsear;ordinarie_timmar;sysselsattningsgrad`.
pub fn parse_employments(path: &str, bytes: &[u8]) -> Result<Vec<Employee>, LoadError> {
    read_csv(
        path,
        bytes,
        &[
            "id",
            "kon",
            "fodelsear",
            "ordinarie_timmar",
            "sysselsattningsgrad",
        ],
        &[],
    )?
    .into_iter()
    .map(|r| {
        let gender = match r.text("kon").to_uppercase().as_str() {
            "K" => Gender::Woman,
            "M" => Gender::Man,
            other => return Err(r.err("kon", format!("\"{other}\": skriv K eller M"))),
        };
        let by = r.text("fodelsear");
        let birth_year: i32 = by
            .parse()
            .ok()
            .filter(|y| (1900..=2100).contains(y) && by.len() == 4)
            .ok_or_else(|| r.err("fodelsear", format!("\"{by}\" är inget födelseår")))?;
        let rate = r.hundredths("sysselsattningsgrad")?;
        if !(0..=10_000).contains(&rate) {
            return Err(r.err(
                "sysselsattningsgrad",
                "ska ligga mellan 0 och 100 (procent)",
            ));
        }
        Ok(Employee {
            id: r.required("id")?,
            gender,
            birth_year,
            ordinary_hours: r.hundredths("ordinarie_timmar")?,
            rate,
            origin: (r.path.clone(), r.line),
        })
    })
    .collect()
}

/// A sick spell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SickSpell {
    /// Employee id.
    pub id: String,
    /// First day.
    pub first: Date,
    /// Last day.
    pub last: Date,
    /// Sick hours within the period, in hundredths.
    pub hours: i64,
    /// Where it comes from: (path, line).
    pub origin: (String, usize),
}

impl SickSpell {
    /// Length in calendar days, both ends included.
    pub fn days(&self) -> i64 {
        self.last.day_number() - self.first.day_number() + 1
    }

    /// Whether it is a long-term spell (60 consecutive days or more).
    pub fn long_term(&self) -> bool {
        self.days() >= 60
    }
}

/// Parses `id;forsta_dag;sista_dag;sjuktimmar`.
pub fn parse_sick_spells(path: &str, bytes: &[u8]) -> Result<Vec<SickSpell>, LoadError> {
    read_csv(
        path,
        bytes,
        &["id", "forsta_dag", "sista_dag", "sjuktimmar"],
        &[],
    )?
    .into_iter()
    .map(|r| {
        let first = r.date("forsta_dag")?;
        let last = r.date("sista_dag")?;
        if last < first {
            return Err(r.err(
                "sista_dag",
                format!("{last} ligger före första dagen {first}"),
            ));
        }
        let hours = r.hundredths("sjuktimmar")?;
        if hours < 0 {
            return Err(r.err("sjuktimmar", "får inte vara negativt"));
        }
        Ok(SickSpell {
            id: r.required("id")?,
            first,
            last,
            hours,
            origin: (r.path.clone(), r.line),
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_err(result: Result<impl std::fmt::Debug, LoadError>, expect: &str) {
        let err = result.expect_err("an error").to_string();
        assert_eq!(err, expect);
    }

    #[test]
    fn budget_semicolon_and_comma() {
        let a = parse_budget(
            "b.csv",
            "\u{feff}konto;ansvar;belopp\n3000;8510;-1 234,50\n\n5010;;100\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].amount, -123_450);
        assert_eq!(a[0].ansvar.as_deref(), Some("8510"));
        assert_eq!(a[1].ansvar, None);
        assert_eq!(a[1].origin.1, 4);
        let b = parse_budget("b.csv", b"Konto,Belopp\n3000,-12.5\n").unwrap();
        assert_eq!(b[0].amount, -1250);
    }

    #[test]
    fn record_lines_count_blank_lines_and_crlf() {
        // Record k (0-based) on line 2 + k + (blank lines before it): every third record
        // has a blank line (LF or CRLF) before it.
        let mut text = String::from("konto;ansvar;belopp\r\n");
        let mut want = Vec::new();
        let mut line = 2;
        for k in 0..3000 {
            if k % 3 == 1 {
                text.push_str(if k % 2 == 0 { "\n" } else { "\r\n" });
                line += 1;
            }
            text.push_str(&format!("{};;{k}\r\n", 3000 + k % 50));
            want.push(line);
            line += 1;
        }
        let lines: Vec<usize> = parse_budget("b.csv", text.as_bytes())
            .unwrap()
            .iter()
            .map(|l| l.origin.1)
            .collect();
        assert_eq!(lines, want);
        // The last record's error names its line.
        text.push_str("30x0;;1\r\n");
        check_err(
            parse_budget("b.csv", text.as_bytes()),
            &format!("b.csv:{line}: kolumn \"konto\": \"30x0\" är inget kontonummer"),
        );
    }

    #[test]
    fn csv_errors_name_file_line_column() {
        check_err(
            parse_budget("b.csv", b"konto;ansvar;belopp\n3000;;12,345\n"),
            "b.csv:2: kolumn \"belopp\": \"12,345\" har fler än 2 decimaler",
        );
        check_err(
            parse_budget("b.csv", b"konto;ansvar;beloop\n"),
            "b.csv:1: okänd kolumn \"beloop\" (väntade konto;belopp;(ansvar))",
        );
        check_err(
            parse_budget("b.csv", b"konto;ansvar;belopp\n30x0;;1\n"),
            "b.csv:2: kolumn \"konto\": \"30x0\" är inget kontonummer",
        );
        check_err(
            parse_sick_spells(
                "s.csv",
                b"id;forsta_dag;sista_dag;sjuktimmar\np1;2023-02-30;2023-03-01;8\n",
            ),
            "s.csv:2: kolumn \"forsta_dag\": \"2023-02-30\" är inget giltigt datum (ÅÅÅÅ-MM-DD)",
        );
        check_err(
            parse_employments(
                "a.csv",
                b"id;kon;fodelsear;ordinarie_timmar;sysselsattningsgrad\np1;X;1980;100;100\n",
            ),
            "a.csv:2: kolumn \"kon\": \"X\": skriv K eller M",
        );
    }

    #[test]
    fn spell_length_counts_both_ends() {
        let s = parse_sick_spells(
            "s.csv",
            b"id;forsta_dag;sista_dag;sjuktimmar\np1;2023-01-01;2023-03-01;8\np2;2023-01-01;2023-03-02;8,5\n",
        )
        .unwrap();
        assert_eq!(s[0].days(), 60);
        assert!(s[0].long_term());
        assert_eq!(s[1].hours, 850);
    }
}
