//! The report and its cover memo as print-ready PDF, typeset inside the program by Typst.
//!
//! Typst runs as a library: a small in-memory [`World`] serves one template kept in the
//! repository (`templates/report.typ` or `templates/memo.typ`), the report data as
//! `/data.json`, chart images as SVG files and two embedded fonts (DejaVu Sans regular
//! and bold, `fonts/`). Nothing is read from disk or the network at run time.
//!
//! The data the template reads is prepared here: every figure is already a Swedish string
//! from [`crate::format`] ("−402" with U+2212, "3 750" with a no-break space, "40,29 %"),
//! Markdown is turned into paragraphs, lists and styled runs, so the template only places
//! text and never formats a number or interprets markup.
//!
//! The output is deterministic: the creation date and the document identifier come from
//! the report, Typst's `today` is that same date, and no system fonts are used, so the
//! same report always gives the same bytes. The PDF conforms to PDF/A-2b (Typst checks the
//! standard while writing and fails rather than write a non-conforming file).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::LazyLock;

use delar_core::report::{
    Block, CheckStatus, Goal, GoalStatus, Report, RowKind, Section, Table, Unit,
};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::{json, Value};
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::charts::{self, Chart};
use crate::common::{self, Footnotes, Shown};
use crate::format::Style;

/// The report template (Typst markup), compiled into the program.
const REPORT_TEMPLATE: &str = include_str!("../templates/report.typ");
/// The memo template (Typst markup), compiled into the program.
const MEMO_TEMPLATE: &str = include_str!("../templates/memo.typ");
/// DejaVu Sans, regular (Bitstream Vera licence, see `fonts/LICENSE-DejaVu.txt`).
const FONT_REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// DejaVu Sans, bold.
const FONT_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Where the template finds the report data.
const DATA_PATH: &str = "/data.json";

/// Why a PDF could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The template did not compile or lay out; the diagnostics point into the template.
    #[error("PDF-mallen {template} gick inte att sätta:\n{}", list(.diagnostics))]
    Compile {
        /// The template's file name, e.g. `report.typ`.
        template: &'static str,
        /// Typst's errors with template line numbers.
        diagnostics: Vec<Diagnostic>,
    },
    /// The laid-out document could not be written as PDF (e.g. it breaks PDF/A-2b).
    #[error("PDF-filen från {template} gick inte att skriva:\n{}", list(.diagnostics))]
    Export {
        /// The template's file name.
        template: &'static str,
        /// Typst's errors.
        diagnostics: Vec<Diagnostic>,
    },
    /// The PDF standard could not be configured.
    #[error("the PDF standard could not be set up: {0}")]
    Standard(String),
    /// The report data could not be serialised for the template.
    #[error("the report data could not be serialised for the PDF: {0}")]
    Data(String),
    /// Typst stopped with an internal error (a panic), reported instead of propagated.
    #[error("Typst stopped with an internal error while typesetting {template}: {message}")]
    Internal {
        /// The template's file name.
        template: &'static str,
        /// The panic message, if it was text.
        message: String,
    },
}

/// One message from Typst, with its place in the template when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: DiagnosticSeverity,
    /// The file the message points into (`report.typ`, `memo.typ`, `data.json`, …).
    pub file: Option<String>,
    /// Line in that file, 1-based.
    pub line: Option<usize>,
    /// Column in that line, 1-based (in characters).
    pub column: Option<usize>,
    /// What Typst said.
    pub message: String,
    /// Typst's hints.
    pub hints: Vec<String>,
}

/// Whether a diagnostic stopped the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagnosticSeverity {
    /// A fatal error.
    Error,
    /// A warning.
    Warning,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line, self.column) {
            (Some(file), Some(line), Some(column)) => write!(f, "{file}:{line}:{column}: ")?,
            (Some(file), Some(line), None) => write!(f, "{file}:{line}: ")?,
            (Some(file), None, _) => write!(f, "{file}: ")?,
            (None, _, _) => {}
        }
        let severity = match self.severity {
            DiagnosticSeverity::Error => "error",
            DiagnosticSeverity::Warning => "warning",
        };
        write!(f, "{severity}: {}", self.message)?;
        for hint in &self.hints {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

fn list(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| format!("  {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Renders the interim report: cover, table of contents with page numbers, the sections
/// in the report's order with their tables, goals and charts, and the checks as an
/// appendix; every page after the cover has the committee and "sida X av Y" in its footer.
pub fn report(report: &Report) -> Result<Vec<u8>, PdfError> {
    let (data, files) = report_inputs(report);
    render(
        "report.typ",
        REPORT_TEMPLATE,
        &data,
        files,
        fixed_date(report),
        &report_ident(report),
    )
}

/// The report PDF's document identifier.
fn report_ident(report: &Report) -> String {
    format!(
        "delar/rapport/{}/{}",
        report.meta.committee, report.meta.title
    )
}

/// What the report template reads: the data and the charts as SVG files.
fn report_inputs(report: &Report) -> (Value, BTreeMap<String, Vec<u8>>) {
    let charts = charts::all(report);
    let placed: Vec<PlacedChart<'_>> = charts
        .iter()
        .enumerate()
        .map(|(index, chart)| PlacedChart {
            path: format!("/charts/{index}.svg"),
            chart,
        })
        .collect();
    let data = report_data(report, &placed);
    let files = placed
        .iter()
        .map(|p| (p.path.clone(), p.chart.svg.as_bytes().to_vec()))
        .collect();
    (data, files)
}

/// Renders the tjänsteskrivelse (cover memo) in the usual memo layout: sender, date and
/// diarienummer, title, sammanfattning, beslutsunderlag, förslag till beslut, signature,
/// expedieras till and för kännedom, and bakgrund.
pub fn memo(report: &Report) -> Result<Vec<u8>, PdfError> {
    let data = memo_data(report);
    render(
        "memo.typ",
        MEMO_TEMPLATE,
        &data,
        BTreeMap::new(),
        fixed_date(report),
        &format!(
            "delar/tjansteskrivelse/{}/{}",
            report.meta.committee, report.memo.title
        ),
    )
}

/// Compiles a template with the data and extra files and writes it as PDF/A-2b.
fn render(
    template_name: &'static str,
    template: &str,
    data: &Value,
    mut files: BTreeMap<String, Vec<u8>>,
    date: Option<Datetime>,
    ident: &str,
) -> Result<Vec<u8>, PdfError> {
    let json = serde_json::to_vec(data).map_err(|e| PdfError::Data(e.to_string()))?;
    files.insert(DATA_PATH.to_string(), json);
    let world = MemoryWorld::new(template_name, template, files, date)?;
    let in_flight = InFlight::enter();

    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let compiled = typst::compile::<PagedDocument>(&world).output;
        match compiled {
            Ok(document) => {
                let options = pdf_options(ident, date)?;
                typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Export {
                    template: template_name,
                    diagnostics: diagnostics(&world, &errors),
                })
            }
            Err(errors) => Err(PdfError::Compile {
                template: template_name,
                diagnostics: diagnostics(&world, &errors),
            }),
        }
    }));
    drop(in_flight);
    match outcome {
        Ok(result) => result,
        Err(panic) => Err(PdfError::Internal {
            template: template_name,
            message: panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string()),
        }),
    }
}

/// What happens to Typst's memoisation cache after a PDF is rendered.
///
/// Typst memoises layout and text shaping across compilations in one process-wide cache.
/// A long-running process (the web application) renders a report now and then and should
/// not keep that memory, so by default the cache is cleared when the last render in
/// flight finishes (never while another render on another thread still uses it). Clearing
/// takes 10–20 ms after a large report, time a one-shot command that exits right after
/// writing its files need not spend: it sets [`CachePolicy::KeepUntilExit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CachePolicy {
    /// Clear the cache when no render is in flight any more (the default).
    #[default]
    ClearWhenIdle,
    /// Keep the cache until the process exits.
    KeepUntilExit,
}

static KEEP_CACHE: AtomicBool = AtomicBool::new(false);
static RENDERS_IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// Sets what happens to Typst's cache after a render, for the whole process.
pub fn set_cache_policy(policy: CachePolicy) {
    KEEP_CACHE.store(policy == CachePolicy::KeepUntilExit, Ordering::Relaxed);
}

/// The cache policy in force.
pub fn cache_policy() -> CachePolicy {
    if KEEP_CACHE.load(Ordering::Relaxed) {
        CachePolicy::KeepUntilExit
    } else {
        CachePolicy::ClearWhenIdle
    }
}

/// One render in flight; the last to leave clears the cache (unless it is kept). Dropped
/// also when Typst panics, so a failed render never leaves the count raised.
struct InFlight;

impl InFlight {
    fn enter() -> InFlight {
        RENDERS_IN_FLIGHT.fetch_add(1, Ordering::AcqRel);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let last = RENDERS_IN_FLIGHT.fetch_sub(1, Ordering::AcqRel) == 1;
        if last && cache_policy() == CachePolicy::ClearWhenIdle {
            typst::comemo::evict(0);
        }
    }
}

fn pdf_options(ident: &str, date: Option<Datetime>) -> Result<PdfOptions, PdfError> {
    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| PdfError::Standard(e.message().to_string()))?;
    Ok(PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("delar {}", env!("CARGO_PKG_VERSION")))),
        timestamp: date.map(Timestamp::new_utc),
        standards,
        ..PdfOptions::default()
    })
}

/// The document's date: the memo's date, else the end of the period (`YYYY-MM-DD`), else
/// the last day of the report's year. PDF/A needs a date, and the clock would make the
/// bytes differ from run to run.
fn fixed_date(report: &Report) -> Option<Datetime> {
    parse_date(&report.memo.date)
        .or_else(|| parse_date(&report.meta.period_end))
        .or_else(|| Datetime::from_ymd(report.meta.year, 12, 31))
}

fn parse_date(text: &str) -> Option<Datetime> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    Datetime::from_ymd(year, month, day)
}

/// Typst's messages with file, line and column resolved through the world's sources.
fn diagnostics(world: &MemoryWorld, errors: &[SourceDiagnostic]) -> Vec<Diagnostic> {
    errors
        .iter()
        .map(|error| {
            let id = error.span.id();
            let file = id.map(|id| {
                id.vpath()
                    .get_without_slash()
                    .trim_start_matches('/')
                    .to_string()
            });
            let position = id.and_then(|id| {
                let range = world.range(error.span)?;
                let source = world.source(id).ok()?;
                let (line, column) = source.lines().byte_to_line_column(range.start)?;
                Some((line + 1, column + 1))
            });
            Diagnostic {
                severity: match error.severity {
                    Severity::Error => DiagnosticSeverity::Error,
                    Severity::Warning => DiagnosticSeverity::Warning,
                },
                file,
                line: position.map(|p| p.0),
                column: position.map(|p| p.1),
                message: error.message.to_string(),
                hints: error.hints.iter().map(|h| h.v.to_string()).collect(),
            }
        })
        .collect()
}

/// What every compilation shares: the standard library and the embedded fonts.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = [FONT_REGULAR, FONT_BOLD]
        .into_iter()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// A Typst world held in memory: one main template, data files and the embedded fonts.
struct MemoryWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl MemoryWorld {
    fn new(
        name: &str,
        template: &str,
        files: BTreeMap<String, Vec<u8>>,
        today: Option<Datetime>,
    ) -> Result<Self, PdfError> {
        let invalid = |path: &str| PdfError::Data(format!("invalid virtual path {path}"));
        let main_path = format!("/{name}");
        let main_id = file_id(&main_path).ok_or_else(|| invalid(&main_path))?;
        let mut by_id = HashMap::new();
        for (path, bytes) in files {
            let id = file_id(&path).ok_or_else(|| invalid(&path))?;
            by_id.insert(id, Bytes::new(bytes));
        }
        Ok(MemoryWorld {
            main: Source::new(main_id, template.to_string()),
            files: by_id,
            today,
        })
    }
}

/// The file id of an absolute path in the project root.
fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl World for MemoryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if self.files.contains_key(&id) {
            Err(FileError::NotSource)
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}

// ---------------------------------------------------------------------------------------
// The data the report template reads.
// ---------------------------------------------------------------------------------------

/// Whether section `index` starts a printed page: a main section with tables or goals (as
/// in the HTML), and also a subsection with a table that does not follow its parent's
/// heading directly (so "Investeringar" starts a page after the long "Drift").
fn new_page(report: &Report, index: usize) -> bool {
    if common::starts_page(&report.sections, index) {
        return true;
    }
    let Some(section) = report.sections.get(index) else {
        return false;
    };
    let has_table = section
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Table { .. }));
    let after_content = index
        .checked_sub(1)
        .and_then(|i| report.sections.get(i))
        .is_some_and(|previous| !previous.blocks.is_empty());
    section.level > 1 && has_table && after_content
}

/// A chart with the virtual path its SVG is served under.
struct PlacedChart<'a> {
    path: String,
    chart: &'a Chart,
}

fn report_data(report: &Report, charts: &[PlacedChart<'_>]) -> Value {
    let meta = &report.meta;
    let sections: Vec<Value> = report
        .sections
        .iter()
        .enumerate()
        .map(|(index, section)| section_value(report, section, new_page(report, index), charts))
        .collect();
    let mut guide = Vec::new();
    if !meta.sign_convention.trim().is_empty() {
        guide.push(Value::from(typographic(&meta.sign_convention)));
    }
    guide.push(Value::from(common::rounding_note(report)));
    json!({
        "committee": meta.committee,
        "title": meta.title,
        "cover_title": meta.cover_title,
        "year": meta.year,
        "period": common::period_line(report).unwrap_or_default(),
        "period_end": meta.period_end,
        "organisation": meta.organisation,
        "reading_guide": guide,
        "sections": sections,
        "checks": checks_value(report),
    })
}

fn section_value(
    report: &Report,
    section: &Section,
    new_page: bool,
    charts: &[PlacedChart<'_>],
) -> Value {
    // Each chart of the section follows the last of its tables the section shows, or
    // ends the section (the placement the HTML and Markdown use).
    let mine: Vec<(Option<usize>, &PlacedChart<'_>)> = charts
        .iter()
        .filter(|p| p.chart.section == section.id)
        .map(|p| {
            let wanted = charts::shown_after(&p.chart.id);
            let at = section
                .blocks
                .iter()
                .rposition(|b| matches!(b, Block::Table { id } if wanted.contains(&id.as_str())));
            (at, p)
        })
        .collect();
    let mut blocks = Vec::new();
    for (index, block) in section.blocks.iter().enumerate() {
        match block {
            Block::Markdown { text } => blocks.push(json!({
                "type": "text",
                "blocks": markdown_blocks(text),
            })),
            Block::Table { id } => match report.table(id) {
                Some(table) => blocks.push(json!({
                    "type": "table",
                    "table": table_value(table),
                })),
                None => blocks.push(json!({
                    "type": "missing",
                    "text": format!("Tabellen \u{201d}{id}\u{201d} saknas i rapportdata."),
                })),
            },
            Block::Goal(goal) => blocks.push(goal_value(goal)),
        }
        for (_, placed) in mine.iter().filter(|(at, _)| *at == Some(index)) {
            blocks.push(chart_value(placed));
        }
    }
    for (_, placed) in mine.iter().filter(|(at, _)| at.is_none()) {
        blocks.push(chart_value(placed));
    }
    json!({
        "id": section.id,
        "heading": section.heading,
        "level": section.level.clamp(1, 3),
        "new_page": new_page,
        "blocks": blocks,
    })
}

fn chart_value(placed: &PlacedChart<'_>) -> Value {
    json!({
        "type": "chart",
        "id": placed.chart.id,
        "path": placed.path,
        "caption": typographic(&placed.chart.caption),
        "table": table_value(&placed.chart.table),
    })
}

fn table_value(table: &Table) -> Value {
    let notes = Footnotes::of(table);
    let with_notes = common::has_row_notes(table);
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|row| {
            let shown: Vec<Shown> = (0..table.columns.len())
                .map(|index| {
                    row.cells
                        .get(index)
                        .map(|c| common::shown(c, Style::Html, &notes))
                        .unwrap_or(Shown::Blank)
                })
                .collect();
            // For the template's long tables: whether a cell holds text (the row may wrap),
            // and whether none is suppressed (an item row's cells are then set as `texts`,
            // as they come).
            let has_text = shown.iter().any(|s| matches!(s, Shown::Text(_)));
            let plain = !shown.iter().any(|s| matches!(s, Shown::Suppressed(_)));
            let cells: Vec<Value> = shown
                .into_iter()
                .map(|shown| match shown {
                    Shown::Blank => json!({"kind": "blank", "text": ""}),
                    Shown::Number(text) => json!({"kind": "number", "text": text}),
                    Shown::Suppressed(mark) => json!({
                        "kind": "suppressed",
                        "text": format!("{}{mark}", common::SUPPRESSED_DASH),
                    }),
                    Shown::Text(text) => json!({"kind": "text", "text": typographic(&text)}),
                })
                .collect();
            let sum = row.kind != RowKind::Item;
            let note = row.note.as_deref().map(typographic).unwrap_or_default();
            let texts: Vec<Value> = cells.iter().map(|c| c["text"].clone()).collect();
            json!({
                "label": row.label,
                // As text: the data's numbers would reach Typst as maps (serde_json's
                // arbitrary precision is on in the workspace); the template reads `int(…)`.
                "label_units": width_units(&row.label, sum).map(|u| u.to_string()),
                "kind": match row.kind {
                    RowKind::Item => "item",
                    RowKind::Subtotal => "subtotal",
                    RowKind::Total => "total",
                },
                "cells": cells,
                "has_text": has_text,
                "plain": plain,
                "texts": texts,
                "note_units": width_units(&note, false).map(|u| u.to_string()),
                "note": note,
            })
        })
        .collect();
    let footnotes: Vec<Value> = notes
        .entries()
        .map(|(mark, reason)| {
            json!({
                "mark": format!("{}{mark}", common::SUPPRESSED_DASH),
                "text": typographic(reason),
            })
        })
        .collect();
    json!({
        "id": table.id,
        "title": table.title,
        "unit": match table.unit {
            Unit::Tkr => "tkr",
            Unit::Procent => "procent",
            Unit::Text => "text",
        },
        "columns": table.columns.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
        "note_column": if with_notes { Value::from(common::note_column(table)) } else { Value::Null },
        "rows": rows,
        "units_per_em": units_per_em().to_string(),
        "footnotes": footnotes,
        "notes": table.notes.iter().map(|n| typographic(n)).collect::<Vec<_>>(),
    })
}

/// The width of `text` set on one line in the report's tables, in font units of DejaVu
/// Sans (the bold face for sum rows; [`units_per_em`] to the em), shaped as Typst shapes
/// it: the embedded faces through rustybuzz (Typst's shaper, same version), with the
/// template's tabular figures and Swedish language. The template gives a row whose label
/// and note fit the height of one line without measuring them (measuring took a quarter of
/// the largest table's layout). `None` where the width cannot be told this simply: a
/// character outside the Latin, punctuation and symbol ranges (Typst may split the text
/// into runs of several scripts), one the font lacks, or a line break; the template
/// measures those.
fn width_units(text: &str, bold: bool) -> Option<i64> {
    static SWEDISH: LazyLock<Option<rustybuzz::Language>> = LazyLock::new(|| "sv-SE".parse().ok());
    let simple = |c: char| {
        matches!(c, ' '..='~' | '\u{a0}'..='\u{24f}' | '\u{2000}'..='\u{206f}' | '\u{2212}')
            && !matches!(c, '\u{2028}' | '\u{2029}')
    };
    if !text.chars().all(simple) {
        return None;
    }
    let face = face(bold)?;
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_language(SWEDISH.clone()?);
    buffer.set_direction(rustybuzz::Direction::LeftToRight);
    buffer.guess_segment_properties();
    buffer.set_flags(rustybuzz::BufferFlags::REMOVE_DEFAULT_IGNORABLES);
    let tabular = rustybuzz::Feature::new(rustybuzz::ttf_parser::Tag::from_bytes(b"tnum"), 1, ..);
    let shaped = rustybuzz::shape(face, &[tabular], buffer);
    if shaped.glyph_infos().iter().any(|g| g.glyph_id == 0) {
        return None;
    }
    Some(
        shaped
            .glyph_positions()
            .iter()
            .map(|p| i64::from(p.x_advance))
            .sum(),
    )
}

/// The embedded face the tables are set in, for shaping: regular, or bold for sum rows.
/// (Typst's parsed [`Font`]s do not lend their rustybuzz face.)
fn face(bold: bool) -> Option<&'static rustybuzz::Face<'static>> {
    static FACES: LazyLock<Option<[rustybuzz::Face<'static>; 2]>> = LazyLock::new(|| {
        Some([
            rustybuzz::Face::from_slice(FONT_REGULAR, 0)?,
            rustybuzz::Face::from_slice(FONT_BOLD, 0)?,
        ])
    });
    FACES.as_ref().map(|faces| &faces[usize::from(bold)])
}

/// The font units to the em of the tables' face, for [`width_units`].
fn units_per_em() -> i64 {
    face(false).map_or(1000, |f| i64::from(f.units_per_em()))
}

fn goal_value(goal: &Goal) -> Value {
    let (status, symbol, label) = match goal.status {
        Some(GoalStatus::Uppfyllt) => ("uppfyllt", "\u{25cf}", GoalStatus::Uppfyllt.label()),
        Some(GoalStatus::Delvis) => ("delvis", "\u{25d0}", GoalStatus::Delvis.label()),
        Some(GoalStatus::EjUppfyllt) => ("ej", "\u{25cb}", GoalStatus::EjUppfyllt.label()),
        None => ("none", "\u{2013}", "Ej bedömt"),
    };
    json!({
        "type": "goal",
        "title": goal.title,
        "status": status,
        "symbol": symbol,
        "label": label,
        "blocks": markdown_blocks(&goal.text),
        "indicators": goal.indicators.iter().map(|i| json!({
            "name": typographic(&i.name),
            "target": typographic(&i.target),
            "outcome": typographic(&i.outcome),
        })).collect::<Vec<_>>(),
    })
}

fn checks_value(report: &Report) -> Value {
    let items: Vec<Value> = report
        .checks
        .iter()
        .map(|check| {
            json!({
                "id": check.id,
                "status": match check.status {
                    CheckStatus::Pass => "pass",
                    CheckStatus::Warn => "warn",
                    CheckStatus::Fail => "fail",
                },
                "label": common::check_label(check.status),
                "message": typographic(&check.message),
                "figures": check.figures.iter().map(|(label, value)| json!({
                    "label": typographic(label),
                    "value": typographic(value),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "heading": common::CHECKS_HEADING,
        "summary": common::check_summary(report),
        "items": items,
    })
}

// ---------------------------------------------------------------------------------------
// The data the memo template reads.
// ---------------------------------------------------------------------------------------

fn memo_data(report: &Report) -> Value {
    let memo = &report.memo;
    let meta = &report.meta;
    json!({
        "committee": meta.committee,
        "organisation": meta.organisation.last(),
        "title": memo.title,
        "date": memo.date,
        "summary": markdown_blocks(&memo.summary),
        "basis": memo.basis.iter().map(|b| typographic(b)).collect::<Vec<_>>(),
        "decision": markdown_blocks(&memo.decision),
        "author": memo.author,
        "author_title": memo.author_title,
        "distribution": memo.distribution,
        "for_information": memo.for_information,
        "background": markdown_blocks(&memo.background),
    })
}

// ---------------------------------------------------------------------------------------
// Markdown as data: blocks of styled runs, never Typst markup.
// ---------------------------------------------------------------------------------------

/// A styled run of text.
#[derive(Debug, Default, Clone, Copy)]
struct RunStyle {
    strong: bool,
    emph: bool,
}

/// A block being collected.
#[derive(Debug)]
enum Open {
    Paragraph(Vec<Value>),
    Heading(u8, Vec<Value>),
    /// A list: ordered or not, first number, finished items.
    List(bool, u64, Vec<Value>),
    /// An item: its runs and nested blocks.
    Item(Vec<Value>, Vec<Value>),
    Table(Vec<Value>),
    Row(Vec<Value>, bool),
    TableCell(Vec<Value>),
    Code(String),
}

/// Markdown as a list of blocks for the templates:
/// `{"type": "p", "runs": [...]}`, `{"type": "h", "level": n, "runs": [...]}`,
/// `{"type": "list", "ordered": bool, "start": n, "items": [{"runs", "children"}]}`,
/// `{"type": "table", "rows": [{"head": bool, "cells": [[runs]]}]}`, `{"type": "rule"}`.
/// A run is `{"t": text, "b": bold, "i": italic, "c": code}` or `{"br": true}`.
fn markdown_blocks(text: &str) -> Vec<Value> {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut out: Vec<Value> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut style = RunStyle::default();

    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph | Tag::HtmlBlock => {
                    // Inside a list item, a paragraph continues the item's runs.
                    if let Some(Open::Item(runs, _)) = stack.last_mut() {
                        if !runs.is_empty() {
                            runs.push(json!({"br": true}));
                            runs.push(json!({"br": true}));
                        }
                    } else {
                        stack.push(Open::Paragraph(Vec::new()));
                    }
                }
                Tag::Heading { level, .. } => stack.push(Open::Heading(level as u8, Vec::new())),
                Tag::List(start) => {
                    stack.push(Open::List(start.is_some(), start.unwrap_or(1), Vec::new()))
                }
                Tag::Item => stack.push(Open::Item(Vec::new(), Vec::new())),
                Tag::Table(_) => stack.push(Open::Table(Vec::new())),
                Tag::TableHead => stack.push(Open::Row(Vec::new(), true)),
                Tag::TableRow => stack.push(Open::Row(Vec::new(), false)),
                Tag::TableCell => stack.push(Open::TableCell(Vec::new())),
                Tag::CodeBlock(_) => stack.push(Open::Code(String::new())),
                Tag::Strong => style.strong = true,
                Tag::Emphasis | Tag::Strikethrough => style.emph = true,
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::Paragraph | TagEnd::HtmlBlock => {
                    if matches!(stack.last(), Some(Open::Paragraph(_))) {
                        if let Some(Open::Paragraph(runs)) = stack.pop() {
                            place(&mut stack, &mut out, json!({"type": "p", "runs": runs}));
                        }
                    }
                }
                TagEnd::Heading(_) => {
                    if let Some(Open::Heading(level, runs)) = stack.pop() {
                        place(
                            &mut stack,
                            &mut out,
                            json!({"type": "h", "level": level, "runs": runs}),
                        );
                    }
                }
                TagEnd::List(_) => {
                    if let Some(Open::List(ordered, start, items)) = stack.pop() {
                        let list = json!({
                            "type": "list", "ordered": ordered, "start": start, "items": items,
                        });
                        if let Some(Open::Item(_, children)) = stack.last_mut() {
                            children.push(list);
                        } else {
                            place(&mut stack, &mut out, list);
                        }
                    }
                }
                TagEnd::Item => {
                    if let Some(Open::Item(runs, children)) = stack.pop() {
                        if let Some(Open::List(_, _, items)) = stack.last_mut() {
                            items.push(json!({"runs": runs, "children": children}));
                        }
                    }
                }
                TagEnd::Table => {
                    if let Some(Open::Table(rows)) = stack.pop() {
                        place(&mut stack, &mut out, json!({"type": "table", "rows": rows}));
                    }
                }
                TagEnd::TableHead | TagEnd::TableRow => {
                    if let Some(Open::Row(cells, head)) = stack.pop() {
                        if let Some(Open::Table(rows)) = stack.last_mut() {
                            rows.push(json!({"head": head, "cells": cells}));
                        }
                    }
                }
                TagEnd::TableCell => {
                    if let Some(Open::TableCell(runs)) = stack.pop() {
                        if let Some(Open::Row(cells, _)) = stack.last_mut() {
                            cells.push(Value::Array(runs));
                        }
                    }
                }
                TagEnd::CodeBlock => {
                    if let Some(Open::Code(text)) = stack.pop() {
                        let run = json!({"t": text.trim_end(), "b": false, "i": false, "c": true});
                        place(&mut stack, &mut out, json!({"type": "p", "runs": [run]}));
                    }
                }
                TagEnd::Strong => style.strong = false,
                TagEnd::Emphasis | TagEnd::Strikethrough => style.emph = false,
                _ => {}
            },
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                if let Some(Open::Code(code)) = stack.last_mut() {
                    code.push_str(&t);
                } else {
                    push_run(&mut stack, &mut out, &t, style, false);
                }
            }
            Event::Code(t) => push_run(&mut stack, &mut out, &t, style, true),
            Event::SoftBreak => push_run(&mut stack, &mut out, " ", style, false),
            Event::HardBreak => push_value(&mut stack, &mut out, json!({"br": true})),
            Event::Rule => place(&mut stack, &mut out, json!({"type": "rule"})),
            _ => {}
        }
    }
    // Close anything left open (the parser always closes its tags; this is defensive).
    while let Some(open) = stack.pop() {
        if let Open::Paragraph(runs) | Open::Heading(_, runs) | Open::Item(runs, _) = open {
            out.push(json!({"type": "p", "runs": runs}));
        }
    }
    out
}

/// Puts a finished block where it belongs: into the open list item, or the output.
fn place(stack: &mut [Open], out: &mut Vec<Value>, block: Value) {
    match stack.last_mut() {
        Some(Open::Item(_, children)) => children.push(block),
        _ => out.push(block),
    }
}

fn push_run(stack: &mut Vec<Open>, out: &mut Vec<Value>, text: &str, style: RunStyle, code: bool) {
    let run = json!({
        "t": if code { text.to_string() } else { typographic(text) },
        "b": style.strong,
        "i": style.emph,
        "c": code,
    });
    push_value(stack, out, run);
}

fn push_value(stack: &mut Vec<Open>, out: &mut Vec<Value>, run: Value) {
    match stack.last_mut() {
        Some(Open::Paragraph(runs))
        | Some(Open::Heading(_, runs))
        | Some(Open::Item(runs, _))
        | Some(Open::TableCell(runs)) => runs.push(run),
        _ => {
            // Text outside any block (not produced by the parser): a paragraph of its own.
            stack.push(Open::Paragraph(vec![run]));
            if let Some(Open::Paragraph(runs)) = stack.pop() {
                out.push(json!({"type": "p", "runs": runs}));
            }
        }
    }
}

/// Running text set for print: a hyphen-minus that starts a number becomes the minus sign
/// (U+2212), and the spaces inside a number ("3 750") and between a number and its unit
/// ("402 tkr", "40,29 %") become no-break spaces so a figure never wraps.
fn typographic(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 {
            chars.get(i - 1).copied()
        } else {
            None
        };
        let next = chars.get(i + 1).copied();
        match c {
            '-' if next.is_some_and(|n| n.is_ascii_digit())
                && prev.is_none_or(|p| p.is_whitespace() || p == '(' || p == '\u{a0}') =>
            {
                out.push('\u{2212}');
            }
            ' ' if prev.is_some_and(|p| p.is_ascii_digit()) && glue_after(&chars[i + 1..]) => {
                out.push('\u{a0}');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Whether the text after a space that follows a digit continues the figure: three more
/// digits of a thousands group, or a unit.
fn glue_after(rest: &[char]) -> bool {
    let group = rest.len() >= 3
        && rest[..3].iter().all(|c| c.is_ascii_digit())
        && rest.get(3).is_none_or(|c| !c.is_ascii_digit());
    let unit = ["tkr", "kr", "%", "öre", "mnkr"].iter().any(|u| {
        let u: Vec<char> = u.chars().collect();
        rest.len() >= u.len()
            && rest[..u.len()] == u[..]
            && rest.get(u.len()).is_none_or(|c| !c.is_alphanumeric())
    });
    group || unit
}

#[cfg(test)]
#[path = "../tests/common/mod.rs"]
mod common_fixture;

#[cfg(test)]
mod tests {
    use super::*;
    use typst::layout::{Frame, FrameItem, Point};

    /// A run of text of the laid-out report: page (0-based), baseline (pt), text, and
    /// its width and font size (pt).
    type Placed = (usize, f64, String, f64, f64);

    /// Every run of text of the laid-out report.
    fn placed_texts(report: &Report) -> Vec<Placed> {
        fn walk(frame: &Frame, origin: Point, page: usize, out: &mut Vec<Placed>) {
            for (pos, item) in frame.items() {
                let at = origin + *pos;
                match item {
                    FrameItem::Group(group) => {
                        let shifted =
                            Point::new(at.x + group.transform.tx, at.y + group.transform.ty);
                        walk(&group.frame, shifted, page, out);
                    }
                    FrameItem::Text(text) => out.push((
                        page,
                        at.y.to_pt(),
                        text.text.to_string(),
                        text.width().to_pt(),
                        text.size.to_pt(),
                    )),
                    _ => {}
                }
            }
        }
        let (data, mut files) = report_inputs(report);
        let json = serde_json::to_vec(&data).unwrap_or_default();
        files.insert(DATA_PATH.to_string(), json);
        let world = MemoryWorld::new("report.typ", REPORT_TEMPLATE, files, fixed_date(report))
            .unwrap_or_else(|e| panic!("{e}"));
        let document = match typst::compile::<PagedDocument>(&world).output {
            Ok(document) => document,
            Err(errors) => panic!("{}", list(&diagnostics(&world, &errors))),
        };
        let mut out = Vec::new();
        for (page, p) in document.pages().iter().enumerate() {
            walk(&p.frame, Point::zero(), page, &mut out);
        }
        out
    }

    /// Sets `plain` false on every table row of the template's data that has it true, so that
    /// the template sets those rows' cells one by one; returns how many it changed.
    fn cell_by_cell(data: &mut Value) -> usize {
        match data {
            Value::Object(map) => {
                let mut changed = 0;
                if map.get("plain") == Some(&Value::Bool(true)) && map.contains_key("texts") {
                    map.insert("plain".to_string(), Value::Bool(false));
                    changed += 1;
                }
                changed + map.values_mut().map(cell_by_cell).sum::<usize>()
            }
            Value::Array(items) => items.iter_mut().map(cell_by_cell).sum(),
            _ => 0,
        }
    }

    /// An item row without a suppressed figure is set from its cells' `texts` in one go (the
    /// long tables' fast path); the PDF is the same, byte for byte, as with every cell set
    /// one by one.
    #[test]
    fn rows_set_from_their_texts_give_the_same_pdf_as_cell_by_cell() {
        let report = common_fixture::report();
        let fast = super::report(&report).unwrap_or_else(|e| panic!("{e}"));
        let (mut data, files) = report_inputs(&report);
        let changed = cell_by_cell(&mut data);
        assert!(changed > 10, "only {changed} rows took the fast path");
        let slow = render(
            "report.typ",
            REPORT_TEMPLATE,
            &data,
            files,
            fixed_date(&report),
            &report_ident(&report),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(fast == slow, "the PDFs differ");
    }

    /// The page and baseline of every run of text that contains `needle`, in order.
    fn baselines(texts: &[Placed], needle: &str) -> Vec<(usize, f64)> {
        let found: Vec<_> = texts
            .iter()
            .filter(|(_, _, t, _, _)| t.contains(needle))
            .map(|(page, y, _, _, _)| (*page, *y))
            .collect();
        assert!(!found.is_empty(), "{needle:?} is not in the report");
        found
    }

    /// The widths the program gives the template (`label_units`, `note_units`) are those Typst
    /// sets the texts in: regular and bold, kerning, ligatures, tabular figures, Swedish
    /// letters, typographic minus and no-break spaces.
    #[test]
    fn label_widths_are_those_typst_sets() {
        let mut report = common_fixture::report();
        let items = [
            "AVTAL Wa To Yo fi fl ffl «Åäö» 1 234 567",
            "Lönerevidering 2023 \u{2212}12,5\u{a0}% (\u{201c}avtal\u{201d}) \u{2013} tkr",
            "Reinv trådlöst nätverk Hlj",
        ];
        let sums = ["S:a Vårgårdaspec 1111 0000", "Totalt WAVE fi"];
        let mut next_item = items.iter();
        let mut next_sum = sums.iter();
        for row in &mut report
            .tables
            .iter_mut()
            .find(|t| t.id == "investeringar")
            .into_iter()
            .flat_map(|t| t.rows.iter_mut())
        {
            let label = if row.kind == RowKind::Item {
                next_item.next()
            } else {
                next_sum.next()
            };
            if let Some(label) = label {
                row.label = label.to_string();
            }
        }
        assert!(
            next_item.next().is_none() && next_sum.next().is_none(),
            "every label placed"
        );
        let texts = placed_texts(&report);
        for (label, bold) in items
            .iter()
            .map(|l| (l, false))
            .chain(sums.iter().map(|l| (l, true)))
        {
            let units = width_units(label, bold).unwrap_or_else(|| panic!("{label}: no width"));
            let em = units as f64 / units_per_em() as f64;
            let runs: Vec<_> = texts.iter().filter(|t| t.2 == *label).collect();
            assert!(!runs.is_empty(), "{label:?} is not set on one line");
            for (_, _, _, width, size) in runs {
                assert!(
                    (em * size - width).abs() < 0.001,
                    "{label:?}: {} pt against Typst's {width} pt",
                    em * size
                );
            }
        }
        assert_eq!(width_units("", false), Some(0));
        assert_eq!(width_units("rad ett\nrad två", false), None);
        assert_eq!(width_units("漢字", false), None);
    }

    /// A table row whose label or note wraps gets the height of its lines: the rows of a
    /// table have a fixed one-line height only when everything in them fits on one line.
    #[test]
    fn wrapped_labels_and_notes_push_the_next_row_down() {
        let mut report = common_fixture::report();
        let long = |first: &str, last: &str| {
            format!(
                "{first} {} {last}",
                "med nya accesspunkter i skolor och förskolor".repeat(3)
            )
        };
        for table in &mut report.tables {
            for row in &mut table.rows {
                match row.key.as_str() {
                    "wifi_bildning" => row.label = long("Förstaordet", "Slutordet"),
                    "summa_gemensamma" => row.label = long("Summaraden", "Summaslut"),
                    "lonerevidering" => row.note = Some(long("Noten", "Notslut")),
                    _ => {}
                }
            }
        }
        let texts = placed_texts(&report);
        // (first line, last line, the next row's label). The investment items are printed
        // twice (the table, and the chart's table of figures).
        for (first, last, next) in [
            ("Förstaordet", "Slutordet", "Reinv trådlöst"),
            ("Summaraden", "Summaslut", "Förstaordet"),
            ("Noten", "Notslut", "Förändring kapitalkostnader"),
        ] {
            let tops = baselines(&texts, first);
            let bottoms = baselines(&texts, last);
            assert_eq!(tops.len(), bottoms.len(), "{first}");
            for (top, bottom) in tops.iter().zip(&bottoms) {
                assert_eq!(top.0, bottom.0, "{first}: one page");
                let (page, top, bottom) = (top.0, top.1, bottom.1);
                assert!(
                    bottom > top + 10.0,
                    "{first}: the text did not wrap ({top} → {bottom})"
                );
                // The next row: the first run of its label below this row's first line.
                let below = baselines(&texts, next)
                    .into_iter()
                    .filter(|(p, y)| *p == page && *y > top)
                    .map(|(_, y)| y)
                    .fold(f64::INFINITY, f64::min);
                assert!(
                    below > bottom + 6.0 && below.is_finite(),
                    "{first}: the next row ({below}) overlaps the wrapped text ending at {bottom}"
                );
            }
        }
        // One-line rows keep a one-line height: the rows below short labels follow at an
        // ordinary pitch.
        let a = baselines(&texts, "Reinv trådlöst")[0].1;
        let b = baselines(&texts, "S:a investeringar Herrljungaspec")[0].1;
        assert!(b - a > 6.0 && b - a < 20.0, "pitch {}", b - a);
    }

    #[test]
    fn typographic_minus_and_glue() {
        assert_eq!(
            typographic("ett resultat på -402 tkr"),
            "ett resultat på \u{2212}402\u{a0}tkr"
        );
        assert_eq!(
            typographic("budget om 3 750 tkr"),
            "budget om 3\u{a0}750\u{a0}tkr"
        );
        assert_eq!(typographic("2023-08-31"), "2023-08-31");
        assert_eq!(typographic("april-dec"), "april-dec");
        assert_eq!(typographic("+-0"), "+-0");
        assert_eq!(typographic("40,29 %"), "40,29\u{a0}%");
        assert_eq!(typographic("3 krav"), "3 krav");
        assert_eq!(typographic("2023 års 12 poster"), "2023 års 12 poster");
        assert_eq!(typographic("(-5)"), "(\u{2212}5)");
    }

    #[test]
    fn markdown_becomes_data() {
        let blocks = markdown_blocks(
            "**Rubrik**\n\nText med *kursiv* och `kod`.\n\n- ett\n- två\n  - tre\n\n### Under",
        );
        let text = serde_json::to_string(&blocks).unwrap_or_default();
        assert_eq!(blocks.len(), 4, "{text}");
        assert_eq!(blocks[0]["runs"][0]["t"], "Rubrik");
        assert_eq!(blocks[0]["runs"][0]["b"], true);
        assert_eq!(blocks[1]["runs"][1]["i"], true);
        assert_eq!(blocks[1]["runs"][3]["c"], true);
        assert_eq!(blocks[2]["type"], "list");
        assert_eq!(
            blocks[2]["items"][1]["children"][0]["items"][0]["runs"][0]["t"],
            "tre"
        );
        assert_eq!(blocks[3]["type"], "h");
        assert_eq!(blocks[3]["level"], 3);
    }

    #[test]
    fn markup_in_text_stays_text() {
        let blocks = markdown_blocks("#set page(width: 1cm) <b>x</b> $x$ @ref");
        let text = serde_json::to_string(&blocks).unwrap_or_default();
        assert!(text.contains("#set page(width: 1cm)"), "{text}");
    }

    #[test]
    fn template_errors_carry_line_numbers() {
        let template = "#let data = json(\"/data.json\")\n= Titel\n\n#data.missing\n";
        let result = render(
            "prov.typ",
            template,
            &json!({"a": 1}),
            BTreeMap::new(),
            None,
            "prov",
        );
        match result {
            Err(PdfError::Compile {
                template,
                diagnostics,
            }) => {
                assert_eq!(template, "prov.typ");
                let first = &diagnostics[0];
                assert_eq!(first.file.as_deref(), Some("prov.typ"));
                assert_eq!(first.line, Some(4), "{first}");
                assert_eq!(first.severity, DiagnosticSeverity::Error);
                assert!(first.message.contains("missing"), "{first}");
                assert!(first.to_string().starts_with("prov.typ:4:"), "{first}");
            }
            other => panic!("expected a compile error, got {other:?}"),
        }
    }

    #[test]
    fn a_template_without_fonts_it_names_still_renders() {
        let template = "#set text(font: \"DejaVu Sans\")\n#json(\"/data.json\").t\n";
        let bytes = render(
            "prov.typ",
            template,
            &json!({"t": "Vårgårda −402"}),
            BTreeMap::new(),
            parse_date("2023-09-01"),
            "prov",
        );
        assert!(
            matches!(bytes, Ok(ref b) if b.starts_with(b"%PDF-")),
            "{bytes:?}"
        );
    }

    #[test]
    fn dates_parse() {
        assert_eq!(parse_date("2023-09-01"), Datetime::from_ymd(2023, 9, 1));
        assert_eq!(parse_date("2023-13-01"), None);
        assert_eq!(parse_date("x"), None);
        assert_eq!(parse_date(""), None);
    }
}
