//! The JSON output has the shape of `shared/seed/seed-figures.json`: the fixture, which
//! carries the seed's figures, must match it cell by cell.

mod common;

use std::path::PathBuf;

use delar_render::json;
use serde_json::Value;

fn seed_figures() -> Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/seed-figures.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad seed JSON: {e}"))
}

/// A JSON number as hundredths, from its decimal text (exact, no floats).
fn hundredths(value: &Value) -> Option<i64> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if frac.len() > 2 {
        return None;
    }
    let frac = format!("{frac:0<2}");
    let n = whole.parse::<i64>().ok()? * 100 + frac.parse::<i64>().ok()?;
    Some(if negative { -n } else { n })
}

#[test]
fn figures_match_the_seed_cell_by_cell() {
    let seed = seed_figures();
    let ours = json::report(&common::report());
    assert_eq!(ours["period"]["year"], seed["period"]["year"]);
    assert_eq!(
        ours["period"]["through_month"],
        seed["period"]["through_month"]
    );
    assert_eq!(ours["period"]["prior_year"], seed["period"]["prior_year"]);
    assert_eq!(ours["text_figures"], seed["text_figures"]);

    let Some(seed_tables) = seed["tables"].as_object() else {
        panic!("seed has no tables");
    };
    let mut compared = 0;
    for (id, seed_table) in seed_tables {
        let table = &ours["tables"][id];
        assert_eq!(table["unit"], seed_table["unit"], "{id}");
        assert_eq!(table["columns"], seed_table["columns"], "{id}");
        let (Some(rows), Some(seed_rows)) =
            (table["rows"].as_array(), seed_table["rows"].as_array())
        else {
            panic!("{id}: rows missing");
        };
        assert_eq!(rows.len(), seed_rows.len(), "{id}");
        for (row, seed_row) in rows.iter().zip(seed_rows) {
            assert_eq!(row["key"], seed_row["key"], "{id}");
            if seed_row.get("note").is_some() {
                assert_eq!(row["note"], seed_row["note"], "{id}");
            }
            let (Some(values), Some(seed_values)) =
                (row["values"].as_array(), seed_row["values"].as_array())
            else {
                panic!("{id}: values missing");
            };
            assert_eq!(values.len(), seed_values.len());
            for (col, (value, seed_value)) in values.iter().zip(seed_values).enumerate() {
                let column = seed_table["columns"][col].as_str().unwrap_or_default();
                if let Some(reason) = row.get("suppressed").and_then(|s| s.get(column)) {
                    assert!(value.is_null(), "{id}.{}: suppressed but shown", row["key"]);
                    assert!(reason.as_str().is_some_and(|r| !r.is_empty()));
                    continue;
                }
                match (seed_table["unit"].as_str(), seed_value) {
                    (_, Value::Null) => assert!(value.is_null(), "{id}.{}[{col}]", row["key"]),
                    (Some("tkr"), _) => assert_eq!(
                        value.as_i64(),
                        seed_value.as_i64(),
                        "{id}.{}[{col}]",
                        row["key"]
                    ),
                    _ => assert_eq!(
                        hundredths(value),
                        hundredths(seed_value),
                        "{id}.{}[{col}]",
                        row["key"]
                    ),
                }
                compared += 1;
            }
        }
    }
    // Every seed cell but the one suppressed cell was compared.
    assert_eq!(compared, 10 * 5 + 3 * 5 + 3 + 8 * 6 + 8 - 1);
}

#[test]
fn amounts_carry_exact_ore_and_percentages_two_decimals() {
    let ours = json::report(&common::report());
    let row = &ours["tables"]["resultatrakning"]["rows"][0];
    assert_eq!(row["kind"], "item");
    assert_eq!(row["values"][0].as_i64(), Some(-4457));
    let exact = row["exact_ore"][0].as_i64().unwrap_or_default();
    assert!((exact - -445_700_000).abs() < 50_000, "{exact}");
    assert!(ours["tables"]["resultatrakning"]["rows"][3]["exact_ore"][0].is_null());
    assert_eq!(
        ours["tables"]["resultatrakning"]["rows"][9]["kind"],
        "total"
    );

    let personal = &ours["tables"]["personal"];
    assert!(personal["rows"][0].get("exact_ore").is_none());
    let text = serde_json::to_string(&personal["rows"][7]["values"]).unwrap_or_default();
    assert_eq!(text, "[59.70]");
    let text = serde_json::to_string(&personal["rows"][3]["values"]).unwrap_or_default();
    assert_eq!(text, "[19.50]");
    assert!(personal["rows"][4]["values"][0].is_null());
    assert_eq!(
        personal["rows"][4]["suppressed"]["varde"],
        common::SUPPRESSION_REASON
    );
}

#[test]
fn checks_sections_and_labels_are_included() {
    let ours = json::report(&common::report());
    assert_eq!(ours["checks"][1]["id"], "sums_add_up");
    assert_eq!(ours["checks"][1]["status"], "warn");
    assert_eq!(ours["checks"][2]["status"], "fail");
    assert_eq!(ours["checks"][0]["figures"][0]["label"], "Debet");
    assert_eq!(ours["sections"][0]["id"], "sammanfattning");
    assert_eq!(ours["sections"][4]["blocks"][0]["type"], "goal");
    assert_eq!(ours["sections"][4]["blocks"][0]["status"], "delvis");
    assert_eq!(
        ours["tables"]["investeringar"]["column_labels"][2],
        "Ombudgetering"
    );
    assert_eq!(
        ours["tables"]["investeringar"]["title"],
        "INVESTERINGAR (tkr)"
    );
}

#[test]
fn pretty_text_has_sorted_keys_and_ends_with_a_newline() {
    let text = json::to_string_pretty(&common::report());
    assert!(text.ends_with("}\n"));
    let top: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  \""))
        .map(|l| l.trim_start().split('"').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(
        top,
        [
            "checks",
            "meta",
            "period",
            "sections",
            "tables",
            "text_figures"
        ]
    );
    let back: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    assert_eq!(back, json::report(&common::report()));
}
