//! Every document of a report as named files (`report.pdf`, `report.html`, …), the set
//! `delar report` writes and the web application archives when a round is locked.

use delar_core::report::Report;

/// A kind of output document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `report.html`.
    Html,
    /// `report.md`.
    Md,
    /// `tjansteskrivelse.html` and `tjansteskrivelse.md`.
    Memo,
    /// `report.json`.
    Json,
    /// `report.pdf` and `tjansteskrivelse.pdf`.
    Pdf,
    /// `report.xlsx`.
    Xlsx,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 6] = [
        Format::Html,
        Format::Md,
        Format::Memo,
        Format::Json,
        Format::Pdf,
        Format::Xlsx,
    ];
}

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
#[error("kan inte skapa {file}: {message}")]
pub struct DocumentError {
    /// The file that failed.
    pub file: &'static str,
    /// What went wrong.
    pub message: String,
}

/// The documents of `formats` as (file name, bytes), sorted by name, each once.
///
/// The report's PDF, most of the time of a large report, is typeset on a thread of its
/// own while the other documents are made on the caller's; the result is the same as
/// making them one after the other (the first failure in the order of `formats` is the
/// one reported).
pub fn documents(
    report: &Report,
    formats: &[Format],
) -> Result<Vec<(String, Vec<u8>)>, DocumentError> {
    let report_pdf = || crate::pdf::report(report).map_err(failed("report.pdf"));
    let (mut pdf, files) = std::thread::scope(|scope| {
        let pdf = formats
            .contains(&Format::Pdf)
            .then(|| scope.spawn(report_pdf));
        let files: Vec<_> = formats.iter().map(|f| others(report, *f)).collect();
        let pdf = pdf.map(|handle| {
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (pdf, files)
    });
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for (format, made) in formats.iter().zip(files) {
        if *format == Format::Pdf {
            if let Some(bytes) = pdf.take() {
                out.push(("report.pdf".to_string(), bytes?));
            }
        }
        out.extend(made?);
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    Ok(out)
}

/// The documents of one format other than the report's PDF (made by [`documents`] on its
/// own thread).
fn others(report: &Report, format: Format) -> Result<Vec<(String, Vec<u8>)>, DocumentError> {
    Ok(match format {
        Format::Html => vec![(
            "report.html".into(),
            crate::html::report(report).into_bytes(),
        )],
        Format::Md => vec![(
            "report.md".into(),
            crate::markdown::report(report).into_bytes(),
        )],
        Format::Memo => vec![
            (
                "tjansteskrivelse.html".into(),
                crate::html::memo(report).into_bytes(),
            ),
            (
                "tjansteskrivelse.md".into(),
                crate::markdown::memo(report).into_bytes(),
            ),
        ],
        Format::Json => vec![(
            "report.json".into(),
            format!("{}\n", crate::json::to_string_pretty(report)).into_bytes(),
        )],
        Format::Pdf => vec![(
            "tjansteskrivelse.pdf".into(),
            crate::pdf::memo(report).map_err(failed("tjansteskrivelse.pdf"))?,
        )],
        Format::Xlsx => vec![(
            "report.xlsx".into(),
            crate::xlsx::workbook(report).map_err(failed("report.xlsx"))?,
        )],
    })
}

/// Turns a renderer's error into the error naming the file it was making.
fn failed<E: std::fmt::Display>(file: &'static str) -> impl Fn(E) -> DocumentError {
    move |e| DocumentError {
        file,
        message: e.to_string(),
    }
}

/// The media type of a document by its file name.
pub fn media_type(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        Some("json") => "application/json",
        Some("pdf") => "application/pdf",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}
