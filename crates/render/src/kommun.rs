//! A municipality's consolidated report (`delar report` on a folder with `kommun.toml`):
//! the table `driftredovisning` with one row per committee, the summary and the checks.
//!
//! The consolidated report is a [`Report`](delar_core::report::Report), so HTML,
//! Markdown, PDF and the workbook come from the same renderers as a committee's report;
//! the JSON adds the committees (with the folder of each one's own report) and how the
//! shared ledger's result amounts fall on them.

use delar_core::kommun::{Coverage, KommunReport};
use serde_json::{json, Value};

use crate::pdf::PdfError;
use crate::xlsx::XlsxError;

/// The consolidated report as a self-contained HTML document.
pub fn html(kommun: &KommunReport) -> String {
    crate::html::report(&kommun.consolidated)
}

/// The consolidated report as Markdown.
pub fn markdown(kommun: &KommunReport) -> String {
    crate::markdown::report(&kommun.consolidated)
}

/// The consolidated report as PDF/A-2b.
pub fn pdf(kommun: &KommunReport) -> Result<Vec<u8>, PdfError> {
    crate::pdf::report(&kommun.consolidated)
}

/// The consolidated report as an Excel workbook (the table with SUM formulas, the checks).
pub fn xlsx(kommun: &KommunReport) -> Result<Vec<u8>, XlsxError> {
    crate::xlsx::workbook(&kommun.consolidated)
}

/// The consolidated report as JSON: the form of [`crate::json::report`] (the table under
/// `tables.driftredovisning`, as a committee's tables), plus `committees` (id, name,
/// folder of its own report) and `coverage` (per shared ledger and year: the result
/// amounts, per committee, outside every scope and claimed by several, in öre).
pub fn json(kommun: &KommunReport) -> Value {
    let mut value = crate::json::report(&kommun.consolidated);
    if let Value::Object(root) = &mut value {
        root.insert(
            "committees".into(),
            Value::Array(
                kommun
                    .committees
                    .iter()
                    .map(|c| {
                        json!({
                            "id": c.entry.id,
                            "name": c.report.meta.committee,
                            "package": c.entry.dir,
                            "report_folder": c.entry.id,
                        })
                    })
                    .collect(),
            ),
        );
        root.insert(
            "coverage".into(),
            Value::Array(kommun.coverage.iter().map(coverage_value).collect()),
        );
    }
    crate::json::sorted(value)
}

/// [`json`] as pretty-printed text with sorted keys and a final newline.
pub fn to_string_pretty(kommun: &KommunReport) -> String {
    crate::json::pretty(&json(kommun))
}

fn coverage_value(c: &Coverage) -> Value {
    json!({
        "ledger": c.path,
        "year": c.year,
        "total_ore": c.total,
        "committees": c.committees.iter().map(|(id, net, contribution)| json!({
            "id": id,
            "net_cost_ore": net,
            "contribution_ore": contribution,
        })).collect::<Vec<_>>(),
        "outside": c.outside.iter().map(|(object, amount, postings)| json!({
            "object": object,
            "amount_ore": amount,
            "postings": postings,
        })).collect::<Vec<_>>(),
        "outside_total_ore": c.outside_total(),
        "overlap": c.overlap.iter().map(|(ids, amount, postings)| json!({
            "committees": ids,
            "amount_ore": amount,
            "postings": postings,
        })).collect::<Vec<_>>(),
        "overlap_total_ore": c.overlap_total(),
    })
}
