//! Report stage, texts: Markdown files and goal texts are MiniJinja templates filled with
//! the displayed figures (placeholders of PACKAGE.md); undefined names are errors that
//! name the file and line.

use crate::config::Config;
use crate::error::LoadError;
use crate::money::{format_thousands, month_name};
use crate::report::{Cell, Table};
use minijinja::value::Value;
use minijinja::{Environment, UndefinedBehavior};
use std::collections::BTreeMap;

/// The values templates can use.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Context {
    /// `period.end`, `period.year`, `period.through_month`, `period.month_name`,
    /// `period.report_name`.
    pub period: BTreeMap<String, Value>,
    /// Committee name.
    pub committee: String,
    /// Income statement: row → column → tkr.
    pub rr: BTreeMap<String, BTreeMap<String, i64>>,
    /// RESULTAT NETTO: municipality id (and `summa_verksamhet`) → column → tkr.
    pub netto: BTreeMap<String, BTreeMap<String, i64>>,
    /// Investments: row → column → tkr.
    pub inv: BTreeMap<String, BTreeMap<String, i64>>,
    /// Budget changes: row key (and `totalt`) → tkr.
    pub bf: BTreeMap<String, i64>,
    /// Staff figures: row key → percent as displayed ("3,17"), "–" when not shown.
    pub personal: BTreeMap<String, String>,
    /// The memo's generated first sentence (see [`crate::build::summary_sentence`]).
    pub summary_sentence: String,
}

/// The displayed tkr of a table as row → column → value (blank cells count as 0).
pub fn table_values(table: Option<&Table>) -> BTreeMap<String, BTreeMap<String, i64>> {
    let mut out = BTreeMap::new();
    if let Some(t) = table {
        for r in &t.rows {
            let cols = t
                .columns
                .iter()
                .zip(&r.cells)
                .map(|(c, cell)| {
                    let v = match cell {
                        Cell::Amount { shown_tkr, .. } => *shown_tkr,
                        _ => 0,
                    };
                    (c.id.clone(), v)
                })
                .collect();
            out.insert(r.key.clone(), cols);
        }
    }
    out
}

/// The staff table's figures as texts: row key → "3,17" (percent with a decimal comma),
/// or "–" for a figure that is not shown (small group) or has nothing to divide by.
pub fn staff_values(table: Option<&Table>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(t) = table {
        for r in &t.rows {
            let v = match r.cells.first() {
                Some(Cell::Percent { shown_hundredths }) => {
                    crate::money::format_decimal(*shown_hundredths, 2).replace('.', ",")
                }
                _ => "\u{2013}".to_string(),
            };
            out.insert(r.key.clone(), v);
        }
    }
    out
}

impl Context {
    /// Builds the context from the finished tables.
    pub fn new(config: &Config, period_end: &str, tables: &[Table]) -> Context {
        let (committee, year, through_month) =
            (config.committee.as_str(), config.year, config.through_month);
        let find = |id: &str| tables.iter().find(|t| t.id == id);
        let mut period = BTreeMap::new();
        period.insert("end".to_string(), Value::from(period_end));
        period.insert("year".to_string(), Value::from(year));
        period.insert("through_month".to_string(), Value::from(through_month));
        period.insert(
            "month_name".to_string(),
            Value::from(month_name(through_month)),
        );
        period.insert(
            "report_name".to_string(),
            Value::from(config.report_name.as_str()),
        );
        let bf = table_values(find("budgetforandringar"))
            .into_iter()
            .map(|(k, cols)| (k, cols.get("summa").copied().unwrap_or(0)))
            .collect();
        let rr = table_values(find("resultatrakning"));
        let result_tkr = rr
            .get("resultat")
            .and_then(|cols| cols.get("utfall"))
            .copied()
            .unwrap_or(0);
        Context {
            period,
            committee: committee.to_string(),
            summary_sentence: crate::build::summary_sentence(committee, through_month, result_tkr),
            rr,
            netto: table_values(find("resultat_netto")),
            inv: table_values(find("investeringar")),
            bf,
            personal: staff_values(find("personal")),
        }
    }
}

fn tkr_filter(v: i64) -> String {
    format_thousands(v)
}

fn sign_word(v: i64) -> String {
    if v < 0 { "negativ" } else { "positiv" }.to_string()
}

fn abs_filter(v: i64) -> i64 {
    v.abs()
}

/// Fills templates with one context.
pub struct Filler {
    env: Environment<'static>,
    ctx: Value,
}

impl Filler {
    /// A filler for this context.
    pub fn new(ctx: &Context) -> Filler {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.add_filter("tkr", tkr_filter);
        env.add_filter("sign_word", sign_word);
        env.add_filter("abs", abs_filter);
        Filler {
            env,
            ctx: Value::from_serialize(ctx),
        }
    }

    /// Fills `template` from `path`; `first_line` is the line of the template's first line
    /// in that file (1 for a whole file).
    pub fn fill(&self, path: &str, first_line: usize, template: &str) -> Result<String, LoadError> {
        let err = |e: minijinja::Error| {
            let line = match (e.line(), first_line) {
                (Some(l), f) if f > 0 => l + f - 1,
                _ => 0,
            };
            let mut message = match e.detail() {
                Some(d) => format!("{}: {d}", e.kind()),
                None => e.kind().to_string(),
            };
            if let Some(src) = std::error::Error::source(&e) {
                message.push_str(&format!(" ({src})"));
            }
            LoadError::Template {
                path: path.to_string(),
                line,
                message,
            }
        };
        let tmpl = self
            .env
            .template_from_named_str(path, template)
            .map_err(err)?;
        tmpl.render(&self.ctx).map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        let mut rr = BTreeMap::new();
        rr.insert(
            "resultat".to_string(),
            BTreeMap::from([("utfall".to_string(), -402i64)]),
        );
        Context {
            period: BTreeMap::from([
                ("end".to_string(), Value::from("2023-08-31")),
                ("month_name".to_string(), Value::from("augusti")),
            ]),
            committee: "Nämnden".into(),
            rr,
            netto: BTreeMap::new(),
            inv: BTreeMap::new(),
            bf: BTreeMap::from([("totalt".to_string(), 1645)]),
            personal: BTreeMap::from([("sjukfranvaro_total".to_string(), "3,17".to_string())]),
            summary_sentence: "Nämnden redovisar en negativ avvikelse.".into(),
        }
    }

    #[test]
    fn fills_placeholders_and_filters() {
        let f = Filler::new(&ctx());
        let cases = [
            ("{{ rr.resultat.utfall }}", "-402"),
            ("{{ rr.resultat.utfall | abs }} tkr", "402 tkr"),
            (
                "en {{ rr.resultat.utfall | sign_word }} avvikelse",
                "en negativ avvikelse",
            ),
            ("{{ bf.totalt | tkr }}", "1 645"),
            ("{{ personal.sjukfranvaro_total }} %", "3,17 %"),
            (
                "per {{ period.month_name }} {{ period.end }}",
                "per augusti 2023-08-31",
            ),
        ];
        for (input, expect) in cases {
            assert_eq!(f.fill("t.md", 1, input).unwrap(), expect, "{input}");
        }
    }

    #[test]
    fn undefined_is_an_error_with_file_and_line() {
        let f = Filler::new(&ctx());
        let e = f
            .fill(
                "texter/x.md",
                1,
                "Rad ett\n\nResultat {{ rr.resultat.utfal }}\n",
            )
            .unwrap_err();
        match &e {
            LoadError::Template { path, line, .. } => {
                assert_eq!(path, "texter/x.md");
                assert_eq!(*line, 3);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(e.to_string().starts_with("texter/x.md:3: mallfel: "), "{e}");
    }
}
