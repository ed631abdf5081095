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
pub fn documents(
    report: &Report,
    formats: &[Format],
) -> Result<Vec<(String, Vec<u8>)>, DocumentError> {
    let fail = |file: &'static str| {
        move |e: &dyn std::fmt::Display| DocumentError {
            file,
            message: e.to_string(),
        }
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for format in formats {
        match format {
            Format::Html => files.push((
                "report.html".into(),
                crate::html::report(report).into_bytes(),
            )),
            Format::Md => files.push((
                "report.md".into(),
                crate::markdown::report(report).into_bytes(),
            )),
            Format::Memo => {
                files.push((
                    "tjansteskrivelse.html".into(),
                    crate::html::memo(report).into_bytes(),
                ));
                files.push((
                    "tjansteskrivelse.md".into(),
                    crate::markdown::memo(report).into_bytes(),
                ));
            }
            Format::Json => files.push((
                "report.json".into(),
                format!("{}\n", crate::json::to_string_pretty(report)).into_bytes(),
            )),
            Format::Pdf => {
                files.push((
                    "report.pdf".into(),
                    crate::pdf::report(report).map_err(|e| fail("report.pdf")(&e))?,
                ));
                files.push((
                    "tjansteskrivelse.pdf".into(),
                    crate::pdf::memo(report).map_err(|e| fail("tjansteskrivelse.pdf")(&e))?,
                ));
            }
            Format::Xlsx => files.push((
                "report.xlsx".into(),
                crate::xlsx::workbook(report).map_err(|e| fail("report.xlsx")(&e))?,
            )),
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    Ok(files)
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
