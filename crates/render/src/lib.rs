//! Renders a delar [`Report`](delar_core::report::Report) as HTML, Markdown and JSON.
//!
//! Every function takes the typed report and returns the document as a string (or a JSON
//! value); writing files is the caller's business. The outputs are deterministic: the
//! same report always gives the same bytes.
//!
//! - [`html::report`] and [`html::memo`]: self-contained, print-ready HTML documents.
//! - [`markdown::report`] and [`markdown::memo`]: GitHub-flavoured Markdown.
//! - [`json::report`] and [`json::to_string_pretty`]: the figures in the shape of
//!   `seed-figures.json`.
//! - [`charts::all`]: the charts as SVG with caption and figures, for HTML and PDF.
//! - [`pdf::report`] and [`pdf::memo`]: print-ready PDF/A-2b typeset in-process by Typst.
//! - [`format`]: the Swedish number formatting all of them use.
//! - [`xlsx::workbook`]: the tables as an Excel workbook with SUM formulas and the checks.
//! - [`documents::documents`]: every document of a report as named files (what
//!   `delar report` writes and a locked round archives).
//! - [`kommun`]: a municipality's consolidated report (`driftredovisning` per committee)
//!   in every format, through the renderers above.
#![deny(missing_docs)]

pub mod charts;
mod common;
pub mod documents;
pub mod format;
pub mod html;
pub mod json;
pub mod kommun;
pub mod markdown;
mod markdown_html;
pub mod pdf;
pub mod xlsx;
