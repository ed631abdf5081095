//! The report as typed data: what the engine produces and every renderer consumes.
//!
//! Nothing here knows about HTML, PDF or files. Figures are kept both exact (öre) and as
//! displayed (tkr after the report's rounding), so renderers never round on their own and
//! every table adds up as displayed.

use serde::Serialize;
use std::collections::BTreeMap;

/// A complete interim report (delårsrapport) with its cover memo and check results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Who and when.
    pub meta: Meta,
    /// The report's sections in display order (the seed's order).
    pub sections: Vec<Section>,
    /// Every table, referenced from sections by id.
    pub tables: Vec<Table>,
    /// The tjänsteskrivelse (cover memo).
    pub memo: Memo,
    /// Results of the source checks.
    pub checks: Vec<Check>,
    /// Net cost month by month, for the chart of the year's course (None when not
    /// computed).
    pub monthly: Option<MonthlyNetCost>,
    /// Figures the texts state, in tkr as displayed (e.g. `tjansteskrivelse_avvikelse_tkr`,
    /// `sammanfattning_resultat_tkr`, `investeringar_utfall_tkr`, `investeringar_budget_tkr`).
    pub text_figures: BTreeMap<String, i64>,
}

impl Report {
    /// The table with this id, if the report has one.
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }
}

/// Net cost (income and cost rows within scope; not kommunbidrag) per month, exact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthlyNetCost {
    /// Months 1..=through_month of the year, öre per month.
    pub current_ore: Vec<i64>,
    /// Months 1..=12 of the prior year, öre per month (empty without a prior ledger).
    pub prior_ore: Vec<i64>,
    /// The full-year budget's net cost in öre.
    pub budget_ore: i64,
}

/// Identification of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meta {
    /// Committee name as printed, e.g. "Servicenämnd IT, Växel och Telefoni".
    pub committee: String,
    /// Title, e.g. "Delårsrapport 2023-08-31".
    pub title: String,
    /// Financial year.
    pub year: i32,
    /// Last month of the interim period (1..=12).
    pub through_month: u32,
    /// Last day of the period as `YYYY-MM-DD`.
    pub period_end: String,
    /// The report's name without the date, e.g. "Delårsrapport", "Tertialrapport 1".
    pub report_name: String,
    /// Title of the printed cover, e.g. "Delårsrapport 2023".
    pub cover_title: String,
    /// The member municipalities, the host first.
    pub municipalities: Vec<MunicipalityRef>,
    /// The organisation as the cover and memo state it, one line each: "Gemensam nämnd
    /// för Herrljunga och Vårgårda" and "Huvudman: Herrljunga kommun" for a joint
    /// committee, "Herrljunga kommun" or "Region Halland" otherwise.
    pub organisation: Vec<String>,
    /// The sign convention of the tables, stated in the report.
    pub sign_convention: String,
    /// How displayed figures were rounded.
    pub rounding: Rounding,
}

/// A member municipality as shown in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MunicipalityRef {
    /// Stable id from `delar.toml`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Whether it is the host (huvudman).
    pub host: bool,
}

/// How exact amounts become displayed tkr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Largest-remainder rounding within every sum: tables add up as displayed.
    #[default]
    AddsUp,
    /// Each cell rounded on its own (half away from zero); sums may be off by rounding.
    Independent,
}

/// One section of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Stable id, e.g. `sammanfattning`, `drift`.
    pub id: String,
    /// Heading as printed.
    pub heading: String,
    /// Heading level: 1 for main sections, 2 for subsections.
    pub level: u8,
    /// Content in order.
    pub blocks: Vec<Block>,
}

/// A piece of section content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Markdown text with all placeholders already filled.
    Markdown {
        /// The text.
        text: String,
    },
    /// A table, by id (see [`Report::tables`]).
    Table {
        /// The table id.
        id: String,
    },
    /// A goal with its status and indicators.
    Goal(Goal),
}

/// A goal (mål) and how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Goal {
    /// Title.
    pub title: String,
    /// Degree of fulfilment, when assessed.
    pub status: Option<GoalStatus>,
    /// Markdown text with placeholders filled.
    pub text: String,
    /// Indicators, possibly none.
    pub indicators: Vec<Indicator>,
}

/// Degree of goal fulfilment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    /// Uppfyllt.
    Uppfyllt,
    /// Delvis uppfyllt.
    Delvis,
    /// Ej uppfyllt.
    EjUppfyllt,
}

impl GoalStatus {
    /// The Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            GoalStatus::Uppfyllt => "Uppfyllt",
            GoalStatus::Delvis => "Delvis uppfyllt",
            GoalStatus::EjUppfyllt => "Ej uppfyllt",
        }
    }
}

/// An indicator of a goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    /// What is measured.
    pub name: String,
    /// Target value as written.
    pub target: String,
    /// Outcome as written.
    pub outcome: String,
}

/// A table as displayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// Stable id, e.g. `resultatrakning` (the ids of `seed-figures.json`).
    pub id: String,
    /// Title printed in the header's first cell, e.g. "RESULTATRÄKNING (tkr)".
    pub title: String,
    /// Unit of the figures.
    pub unit: Unit,
    /// Value columns (the label column is implicit).
    pub columns: Vec<Column>,
    /// Rows in display order.
    pub rows: Vec<Row>,
    /// Notes printed under the table (allocation rule, suppression reasons, sign convention).
    pub notes: Vec<String>,
}

impl Table {
    /// The row with this key, if any.
    pub fn row(&self, key: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.key == key)
    }

    /// Index of the column with this id, if any.
    pub fn column_index(&self, id: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.id == id)
    }

    /// Every place where the displayed figures do not add up: a sum row (or derived
    /// column) whose displayed tkr differs from the signed sum of its terms' displayed tkr.
    /// Cells that are not amounts are skipped. Empty when the table adds up as displayed.
    pub fn sum_mismatches(&self) -> Vec<String> {
        let shown = |row: &Row, col: usize| match row.cells.get(col) {
            Some(Cell::Amount { shown_tkr, .. }) => Some(*shown_tkr),
            _ => None,
        };
        let mut out = Vec::new();
        for row in self.rows.iter().filter(|r| !r.sum_of.is_empty()) {
            for (c, column) in self.columns.iter().enumerate() {
                let Some(total) = shown(row, c) else { continue };
                let mut sum = 0;
                for term in &row.sum_of {
                    match self.row(&term.key) {
                        Some(r) => sum += i64::from(term.sign) * shown(r, c).unwrap_or(0),
                        None => out.push(format!(
                            "{}: {} names unknown row {}",
                            self.id, row.key, term.key
                        )),
                    }
                }
                if sum != total {
                    out.push(format!(
                        "{}: {}.{} shows {total}, its rows add up to {sum}",
                        self.id, row.key, column.id
                    ));
                }
            }
        }
        for (c, column) in self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.sum_of.is_empty())
        {
            for row in &self.rows {
                let Some(total) = shown(row, c) else { continue };
                let mut sum = 0;
                for term in &column.sum_of {
                    match self.column_index(&term.key) {
                        Some(i) => sum += i64::from(term.sign) * shown(row, i).unwrap_or(0),
                        None => out.push(format!(
                            "{}: column {} names unknown column {}",
                            self.id, column.id, term.key
                        )),
                    }
                }
                if sum != total {
                    out.push(format!(
                        "{}: {}.{} shows {total}, its columns give {sum}",
                        self.id, row.key, column.id
                    ));
                }
            }
        }
        out
    }
}

/// Unit of a table's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Thousands of kronor.
    Tkr,
    /// Percent.
    Procent,
    /// Text only (no figures), e.g. the forecast comments.
    Text,
}

/// A value column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Stable id, e.g. `utfall_fg`, `utfall`, `budget`, `prognos`, `avvikelse`.
    pub id: String,
    /// Header as printed, e.g. "Utfall 202208".
    pub label: String,
    /// For a derived column, the columns it is computed from in the same row (e.g.
    /// avvikelse = budget − prognos); empty for a column of source figures. Holds for the
    /// displayed values wherever the cell is an amount.
    pub sum_of: Vec<Term>,
}

/// One term of a sum: a row key (or column id) and its sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    /// The row key or column id.
    pub key: String,
    /// +1 or −1.
    pub sign: i8,
}

impl Term {
    /// A term added.
    pub fn plus(key: &str) -> Term {
        Term {
            key: key.to_string(),
            sign: 1,
        }
    }

    /// A term subtracted.
    pub fn minus(key: &str) -> Term {
        Term {
            key: key.to_string(),
            sign: -1,
        }
    }
}

/// A row of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Stable key, e.g. `personalkostnader`.
    pub key: String,
    /// Label as printed.
    pub label: String,
    /// Item, subtotal or total (sums are printed in bold).
    pub kind: RowKind,
    /// Optional explanation printed beside the row (e.g. a budget change's förtydligande).
    pub note: Option<String>,
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// For a sum, the rows of the same table it adds up (with signs); empty for an item.
    /// With [`Rounding::AddsUp`] the displayed values add up exactly, column by column,
    /// wherever both sides are amounts.
    pub sum_of: Vec<Term>,
}

/// Whether a row is an item or a sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// An ordinary row.
    Item,
    /// A sum of some rows above it.
    Subtotal,
    /// The table's grand total or result.
    Total,
}

/// A cell of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cell {
    /// Left blank.
    Empty,
    /// An amount: exact in öre and as displayed in tkr.
    Amount {
        /// Exact amount in öre (ledger sign unless the row states otherwise).
        exact_ore: i64,
        /// Displayed value in tkr after the report's rounding.
        shown_tkr: i64,
    },
    /// A percentage, displayed with two decimals.
    Percent {
        /// Displayed value in hundredths of a percent (317 = 3,17 %).
        shown_hundredths: i64,
    },
    /// A figure that must not be shown (small group); the reason is printed instead.
    Suppressed {
        /// Why, in Swedish.
        reason: String,
    },
    /// Free text.
    Text {
        /// The text.
        text: String,
    },
}

/// The tjänsteskrivelse (cover memo to the committee).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Memo {
    /// Title, e.g. "Delårsrapport 2023-08-31 Servicenämnden IT, Växel och Telefoni".
    pub title: String,
    /// Date of the memo, `YYYY-MM-DD`.
    pub date: String,
    /// Sammanfattning: the generated summary sentence followed by the controller's text.
    pub summary: String,
    /// Bakgrund (Markdown).
    pub background: String,
    /// Beslutsunderlag, one line each.
    pub basis: Vec<String>,
    /// Förslag till beslut.
    pub decision: String,
    /// Who wrote it.
    pub author: String,
    /// The author's title.
    pub author_title: String,
    /// Expedieras till.
    pub distribution: Vec<String>,
    /// För kännedom till.
    pub for_information: Vec<String>,
}

/// The result of one source check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable id, e.g. `ledger_balanced`.
    pub id: String,
    /// Outcome.
    pub status: CheckStatus,
    /// What was checked and what was found, in Swedish.
    pub message: String,
    /// The figures involved, as label and value.
    pub figures: Vec<(String, String)>,
}

/// Outcome of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Holds.
    Pass,
    /// Holds with a remark the controller should read.
    Warn,
    /// Does not hold.
    Fail,
}
