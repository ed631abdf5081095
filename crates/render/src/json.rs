//! The report's figures as JSON in the shape of `seed-figures.json`, for cell-by-cell
//! comparison in tests and for other programs.
//!
//! Amounts are integer tkr (with the exact öre beside them), percentages are decimal
//! numbers with exactly two decimals written from the integer hundredths (serde_json's
//! `arbitrary_precision` keeps them as written), blank cells are `null`. Objects are
//! written with sorted keys, so the same report always gives the same bytes.

use std::str::FromStr;

use delar_core::report::{Cell, CheckStatus, Report, RowKind, Table, Unit};
use serde_json::{Map, Number, Value};

use crate::format;

/// The report as a JSON value:
/// `{"meta", "period", "tables", "text_figures", "checks", "sections"}`.
pub fn report(report: &Report) -> Value {
    let meta = &report.meta;
    let mut root = Map::new();

    let mut period = Map::new();
    period.insert("year".into(), Value::from(meta.year));
    period.insert("through_month".into(), Value::from(meta.through_month));
    period.insert("prior_year".into(), Value::from(i64::from(meta.year) - 1));
    period.insert("period_end".into(), Value::from(meta.period_end.as_str()));
    root.insert("period".into(), Value::Object(period));

    let mut about = Map::new();
    about.insert("committee".into(), Value::from(meta.committee.as_str()));
    about.insert("title".into(), Value::from(meta.title.as_str()));
    about.insert(
        "municipalities".into(),
        Value::Array(
            meta.municipalities
                .iter()
                .map(|m| {
                    let mut o = Map::new();
                    o.insert("id".into(), Value::from(m.id.as_str()));
                    o.insert("name".into(), Value::from(m.name.as_str()));
                    o.insert("host".into(), Value::from(m.host));
                    Value::Object(o)
                })
                .collect(),
        ),
    );
    about.insert(
        "sign_convention".into(),
        Value::from(meta.sign_convention.as_str()),
    );
    about.insert(
        "rounding".into(),
        serde_json::to_value(meta.rounding).unwrap_or(Value::Null),
    );
    root.insert("meta".into(), Value::Object(about));

    let mut tables = Map::new();
    for table in &report.tables {
        tables.insert(table.id.clone(), table_value(table));
    }
    root.insert("tables".into(), Value::Object(tables));

    // Figures the running text states, for comparison with the tables.
    root.insert(
        "text_figures".into(),
        Value::Object(
            report
                .text_figures
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(*v)))
                .collect(),
        ),
    );

    root.insert(
        "checks".into(),
        Value::Array(
            report
                .checks
                .iter()
                .map(|check| {
                    let mut o = Map::new();
                    o.insert("id".into(), Value::from(check.id.as_str()));
                    o.insert(
                        "status".into(),
                        Value::from(match check.status {
                            CheckStatus::Pass => "pass",
                            CheckStatus::Warn => "warn",
                            CheckStatus::Fail => "fail",
                        }),
                    );
                    o.insert("message".into(), Value::from(check.message.as_str()));
                    o.insert(
                        "figures".into(),
                        Value::Array(
                            check
                                .figures
                                .iter()
                                .map(|(label, value)| {
                                    let mut f = Map::new();
                                    f.insert("label".into(), Value::from(label.as_str()));
                                    f.insert("value".into(), Value::from(value.as_str()));
                                    Value::Object(f)
                                })
                                .collect(),
                        ),
                    );
                    Value::Object(o)
                })
                .collect(),
        ),
    );

    root.insert(
        "sections".into(),
        serde_json::to_value(&report.sections).unwrap_or(Value::Array(Vec::new())),
    );
    sorted(Value::Object(root))
}

/// The report as pretty-printed JSON with sorted keys and a final newline: the same
/// report always gives the same bytes.
pub fn to_string_pretty(report: &Report) -> String {
    pretty(&self::report(report))
}

/// A JSON value as pretty-printed text with a final newline.
pub(crate) fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string());
    text.push('\n');
    text
}

fn table_value(table: &Table) -> Value {
    let mut o = Map::new();
    o.insert(
        "unit".into(),
        Value::from(match table.unit {
            Unit::Tkr => "tkr",
            Unit::Procent => "procent",
            Unit::Text => "text",
        }),
    );
    o.insert("title".into(), Value::from(table.title.as_str()));
    o.insert(
        "columns".into(),
        Value::Array(
            table
                .columns
                .iter()
                .map(|c| Value::from(c.id.as_str()))
                .collect(),
        ),
    );
    o.insert(
        "column_labels".into(),
        Value::Array(
            table
                .columns
                .iter()
                .map(|c| Value::from(c.label.as_str()))
                .collect(),
        ),
    );
    let amounts = table.unit == Unit::Tkr;
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let mut r = Map::new();
            r.insert("key".into(), Value::from(row.key.as_str()));
            r.insert("label".into(), Value::from(row.label.as_str()));
            r.insert(
                "kind".into(),
                Value::from(match row.kind {
                    RowKind::Item => "item",
                    RowKind::Subtotal => "subtotal",
                    RowKind::Total => "total",
                }),
            );
            if let Some(note) = &row.note {
                r.insert("note".into(), Value::from(note.as_str()));
            }
            let mut values = Vec::with_capacity(table.columns.len());
            let mut exact = Vec::with_capacity(table.columns.len());
            let mut suppressed = Map::new();
            for (index, column) in table.columns.iter().enumerate() {
                let cell = row.cells.get(index).unwrap_or(&Cell::Empty);
                values.push(cell_value(cell));
                exact.push(match cell {
                    Cell::Amount { exact_ore, .. } => Value::from(*exact_ore),
                    _ => Value::Null,
                });
                if let Cell::Suppressed { reason } = cell {
                    suppressed.insert(column.id.clone(), Value::from(reason.as_str()));
                }
            }
            r.insert("values".into(), Value::Array(values));
            if amounts {
                r.insert("exact_ore".into(), Value::Array(exact));
            }
            if !suppressed.is_empty() {
                r.insert("suppressed".into(), Value::Object(suppressed));
            }
            Value::Object(r)
        })
        .collect();
    o.insert("rows".into(), Value::Array(rows));
    o.insert(
        "notes".into(),
        Value::Array(
            table
                .notes
                .iter()
                .map(|n| Value::from(n.as_str()))
                .collect(),
        ),
    );
    Value::Object(o)
}

/// The displayed value of a cell: tkr as an integer, a percentage as an exact two-decimal
/// number, text as a string, blank and suppressed as `null`.
fn cell_value(cell: &Cell) -> Value {
    match cell {
        Cell::Empty | Cell::Suppressed { .. } => Value::Null,
        Cell::Amount { shown_tkr, .. } => Value::from(*shown_tkr),
        Cell::Percent { shown_hundredths } => percent_value(*shown_hundredths),
        Cell::Text { text } => Value::from(text.as_str()),
    }
}

/// Hundredths of a percent as a JSON number with exactly two decimals (4029 → `40.29`).
pub(crate) fn percent_value(hundredths: i64) -> Value {
    match Number::from_str(&format::percent_decimal(hundredths)) {
        Ok(n) => Value::Number(n),
        Err(_) => Value::Null,
    }
}

/// The value with every object's keys in sorted order, whatever map type serde_json uses.
pub(crate) fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_numbers_keep_two_decimals() {
        assert_eq!(
            serde_json::to_string(&percent_value(4029)).ok(),
            Some("40.29".into())
        );
        assert_eq!(
            serde_json::to_string(&percent_value(5970)).ok(),
            Some("59.70".into())
        );
        assert_eq!(
            serde_json::to_string(&percent_value(0)).ok(),
            Some("0.00".into())
        );
        assert_eq!(
            serde_json::to_string(&percent_value(-5)).ok(),
            Some("-0.05".into())
        );
    }

    #[test]
    fn sorted_orders_nested_keys() {
        let value = serde_json::json!({"b": {"z": 1, "a": [ {"y": 1, "x": 2} ]}, "a": null});
        let text = serde_json::to_string(&sorted(value)).unwrap_or_default();
        assert_eq!(text, r#"{"a":null,"b":{"a":[{"x":2,"y":1}],"z":1}}"#);
    }
}
