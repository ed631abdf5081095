//! `delar.toml`: its serde form (read) and the validated, immutable configuration the
//! rest of the pipeline uses (account and object ranges, rows, allocation keys).

use crate::error::LoadError;
use crate::money::{parse_decimal, Date};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Path of the package description inside the package.
pub const CONFIG_PATH: &str = "delar.toml";

/// Scale of allocation shares: a share of `"47.78"` percent is stored as 47_780_000.
pub const SHARE_SCALE: i64 = 1_000_000;

// ---------------------------------------------------------------- serde form (read)

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    report: RawReport,
    #[serde(default, rename = "municipality")]
    municipalities: Vec<RawMunicipality>,
    ledger: RawLedger,
    #[serde(default, rename = "row")]
    rows: Vec<RawRow>,
    allocation: Option<RawAllocation>,
    #[serde(default, rename = "section")]
    sections: Vec<RawSection>,
    budget: RawBudget,
    forecast: Option<RawFile>,
    investments: Option<RawInvestments>,
    staff: Option<RawStaff>,
    goals: Option<RawFile>,
    texts: Option<RawTexts>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReport {
    committee: String,
    year: i32,
    through_month: u32,
    memo_date: String,
    author: String,
    #[serde(default)]
    author_title: String,
    decision: String,
    #[serde(default)]
    distribution: Vec<String>,
    #[serde(default)]
    for_information: Vec<String>,
    #[serde(default)]
    percent_rounding: PercentRounding,
    #[serde(default)]
    organisation: Option<Organisation>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    tables: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: String,
    #[serde(default)]
    heading: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    level: Option<u8>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMunicipality {
    id: String,
    name: String,
    #[serde(default)]
    host: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLedger {
    current: String,
    prior: Option<String>,
    scope_dimension: u32,
    scope_objects: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    id: String,
    label: String,
    kind: RowKindConfig,
    accounts: Vec<String>,
    key: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAllocation {
    dimension: u32,
    default_key: String,
    #[serde(default, rename = "key")]
    keys: Vec<RawKey>,
    #[serde(default)]
    specific: Vec<RawSpecific>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKey {
    id: String,
    label: String,
    shares: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpecific {
    municipality: String,
    objects: Vec<String>,
    label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBudget {
    file: String,
    changes: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    file: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInvestments {
    file: String,
    accounts: Vec<String>,
    dimension: u32,
    total_label: String,
    #[serde(default, rename = "group")]
    groups: Vec<RawGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    id: String,
    label: String,
    #[serde(default)]
    key: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStaff {
    employments: String,
    sick_spells: String,
    #[serde(default = "default_min_group")]
    min_group_size: u32,
}

fn default_min_group() -> u32 {
    11
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTexts {
    dir: String,
}

// ---------------------------------------------------------------- validated form

/// How percentages are cut to two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PercentRounding {
    /// Half up (away from zero): 3,165 → 3,17.
    #[default]
    HalfUp,
    /// Cut off: 3,169 → 3,16.
    Truncate,
}

/// The kind of an income statement row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKindConfig {
    /// Income (intäkter, negative in the ledger).
    Income,
    /// Cost (positive in the ledger).
    Cost,
    /// Kommunbidrag, kept apart from income.
    Contribution,
}

/// An inclusive range of account numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountRange {
    /// First account.
    pub from: u32,
    /// Last account.
    pub to: u32,
}

impl AccountRange {
    /// Parses `"5000-5999"` or `"3990"`.
    pub fn parse(text: &str) -> Option<AccountRange> {
        let t = text.trim();
        let (a, b) = match t.split_once('-') {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (t, t),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
        if !digits(a) || !digits(b) {
            return None;
        }
        let (from, to) = (a.parse().ok()?, b.parse().ok()?);
        (from <= to).then_some(AccountRange { from, to })
    }

    /// Whether the account lies in the range.
    pub fn contains(&self, account: u32) -> bool {
        (self.from..=self.to).contains(&account)
    }
}

/// A set of dimension objects: a numeric range or an exact id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectRange {
    /// Numeric ids from..=to (compared as numbers).
    Numeric {
        /// First id.
        from: u64,
        /// Last id.
        to: u64,
    },
    /// One exact id.
    Exact(String),
}

impl ObjectRange {
    /// Parses `"8510-8519"` (numeric) or an exact id.
    pub fn parse(text: &str) -> Option<ObjectRange> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
        if let Some((a, b)) = t.split_once('-') {
            let (a, b) = (a.trim(), b.trim());
            if digits(a) && digits(b) {
                let (from, to): (u64, u64) = (a.parse().ok()?, b.parse().ok()?);
                return (from <= to).then_some(ObjectRange::Numeric { from, to });
            }
        }
        if digits(t) {
            let v: u64 = t.parse().ok()?;
            return Some(ObjectRange::Numeric { from: v, to: v });
        }
        Some(ObjectRange::Exact(t.to_string()))
    }

    /// Whether the object id lies in the set.
    pub fn contains(&self, id: &str) -> bool {
        self.contains_id(&ObjectId::of(id))
    }

    /// [`ObjectRange::contains`] of an id read once for several ranges.
    fn contains_id(&self, id: &ObjectId<'_>) -> bool {
        match self {
            ObjectRange::Numeric { from, to } => {
                id.number.is_some_and(|v| (*from..=*to).contains(&v))
            }
            ObjectRange::Exact(s) => s == id.text,
        }
    }
}

/// An object id as the ranges compare it: trimmed, and its number when it is all digits.
/// Read once per posting, not once per range (the engine asks for every posting).
struct ObjectId<'a> {
    text: &'a str,
    number: Option<u64>,
}

impl<'a> ObjectId<'a> {
    fn of(id: &'a str) -> ObjectId<'a> {
        let text = id.trim();
        let number = (!text.is_empty() && text.bytes().all(|c| c.is_ascii_digit()))
            .then(|| text.parse::<u64>().ok())
            .flatten();
        ObjectId { text, number }
    }
}

/// Whether any range contains the account.
pub fn accounts_contain(ranges: &[AccountRange], account: u32) -> bool {
    ranges.iter().any(|r| r.contains(account))
}

/// Whether any range contains the object.
pub fn objects_contain(ranges: &[ObjectRange], id: &str) -> bool {
    let id = ObjectId::of(id);
    ranges.iter().any(|r| r.contains_id(&id))
}

/// The validated package description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Committee name as printed.
    pub committee: String,
    /// Financial year.
    pub year: i32,
    /// Last month of the period.
    pub through_month: u32,
    /// Date of the memo.
    pub memo_date: Date,
    /// Author of the memo.
    pub author: String,
    /// The author's title.
    pub author_title: String,
    /// Template of the proposed decision.
    pub decision: String,
    /// Expedieras till.
    pub distribution: Vec<String>,
    /// För kännedom till.
    pub for_information: Vec<String>,
    /// Rounding of percentages.
    pub percent_rounding: PercentRounding,
    /// Member municipalities, in file order.
    pub municipalities: Vec<Municipality>,
    /// Ledger files and scope.
    pub ledger: LedgerConfig,
    /// Income statement rows in display order.
    pub rows: Vec<RowConfig>,
    /// Allocation between municipalities.
    pub allocation: AllocationConfig,
    /// Budget file (CSV).
    pub budget_file: String,
    /// Budget changes file (CSV), if any.
    pub budget_changes: Option<String>,
    /// Forecast file, if any.
    pub forecast_file: Option<String>,
    /// Investments, if reported.
    pub investments: Option<InvestmentsConfig>,
    /// Staff sources, if reported.
    pub staff: Option<StaffConfig>,
    /// Goals file, if any.
    pub goals_file: Option<String>,
    /// Folder of the Markdown texts, if any.
    pub texts_dir: Option<String>,
    /// What kind of organisation the committee belongs to.
    pub organisation: Organisation,
    /// The report's name without the date, e.g. "Delårsrapport" (`report.name`, else
    /// from the period: see [`default_report_name`]).
    pub report_name: String,
    /// The standard tables the report shows, by id (`report.tables`, else every table the
    /// package has sources for), in [`TABLE_IDS`] order.
    pub tables: Vec<String>,
    /// The report's sections in order (`[[section]]`, else [`STANDARD_SECTIONS`]).
    pub sections: Vec<SectionConfig>,
    /// Whether the sections were listed in the package (`[[section]]`).
    pub sections_listed: bool,
}

/// The kind of organisation a committee belongs to; it decides the wording of the cover
/// and memo, and whether the report splits the net cost between municipalities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Organisation {
    /// A committee of one municipality (kommun).
    Kommun,
    /// A committee of one region.
    Region,
    /// A joint committee (gemensam nämnd) of several municipalities with a host.
    Gemensam,
}

/// The standard tables, in the order the report shows them.
pub const TABLE_IDS: [&str; 6] = [
    "resultatrakning",
    "resultat_netto",
    "prognoskommentarer",
    "budgetforandringar",
    "investeringar",
    "personal",
];

/// A standard section: id, heading, level, text file (in `texts.dir`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardSection {
    /// Stable id.
    pub id: &'static str,
    /// Heading as printed.
    pub heading: &'static str,
    /// 1 for a main section, 2 for a subsection.
    pub level: u8,
    /// Its text file, if it has one.
    pub text: Option<&'static str>,
}

/// The standard sections in the default order (the seed's).
pub const STANDARD_SECTIONS: [StandardSection; 9] = [
    StandardSection {
        id: "sammanfattning",
        heading: "Sammanfattning",
        level: 1,
        text: Some("sammanfattning.md"),
    },
    StandardSection {
        id: "ansvar_och_uppdrag",
        heading: "Ansvar och uppdrag",
        level: 1,
        text: Some("ansvar-och-uppdrag.md"),
    },
    StandardSection {
        id: "verksamhetsberattelse",
        heading: "Verksamhetsberättelse",
        level: 1,
        text: Some("verksamhetsberattelse.md"),
    },
    StandardSection {
        id: "planeringsforutsattningar",
        heading: "Planeringsförutsättningar",
        level: 1,
        text: Some("planeringsforutsattningar.md"),
    },
    StandardSection {
        id: "mal",
        heading: "Mål",
        level: 1,
        text: Some("mal-inledning.md"),
    },
    StandardSection {
        id: "personalredovisning",
        heading: "Personalredovisning",
        level: 1,
        text: Some("personal-kommentar.md"),
    },
    StandardSection {
        id: "ekonomi",
        heading: "Ekonomi",
        level: 1,
        text: None,
    },
    StandardSection {
        id: "drift",
        heading: "Drift",
        level: 2,
        text: Some("drift-kommentar.md"),
    },
    StandardSection {
        id: "investeringar",
        heading: "Investeringar",
        level: 2,
        text: Some("investeringar-kommentar.md"),
    },
];

/// The memo's text files (read whatever the sections are).
pub const MEMO_TEXTS: [&str; 2] = [
    "tjansteskrivelse-sammanfattning.md",
    "tjansteskrivelse-bakgrund.md",
];

/// A section of the report as the package describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionConfig {
    /// Stable id (a standard id gives the standard content: goals, tables).
    pub id: String,
    /// Heading as printed.
    pub heading: String,
    /// 1 for a main section, 2 for a subsection.
    pub level: u8,
    /// Its text file in `texts.dir`, if any.
    pub text: Option<String>,
    /// Whether the package named the text file itself (`text = "…"`).
    pub text_named: bool,
}

impl SectionConfig {
    /// Whether this is a standard section (with standard content besides its text).
    pub fn standard(&self) -> Option<&'static StandardSection> {
        STANDARD_SECTIONS.iter().find(|s| s.id == self.id)
    }
}

/// The report's name for a period ending with `through_month`: "Tertialrapport 1" (April),
/// "Delårsrapport" (August), "Verksamhetsberättelse" (December), else "Månadsrapport".
pub fn default_report_name(through_month: u32) -> &'static str {
    match through_month {
        4 => "Tertialrapport 1",
        8 => "Delårsrapport",
        12 => "Verksamhetsberättelse",
        _ => "Månadsrapport",
    }
}

/// Whether a name already says what kind of body it is ("… kommun", "… stad", "Region …").
fn names_itself(name: &str, words: &[&str]) -> bool {
    let lower = name.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| words.contains(&w))
}

impl Organisation {
    /// A member's name as printed: "Herrljunga kommun", "Region Halland"; a name that
    /// already says it ("Kommun A", "Göteborgs stad", "Region Skåne") is kept as it is.
    pub fn member_name(self, name: &str) -> String {
        match self {
            Organisation::Region => {
                if names_itself(name, &["region", "regionen"]) {
                    name.to_string()
                } else {
                    format!("Region {name}")
                }
            }
            Organisation::Kommun | Organisation::Gemensam => {
                if names_itself(name, &["kommun", "kommunen", "stad", "staden"]) {
                    name.to_string()
                } else {
                    format!("{name} kommun")
                }
            }
        }
    }
}

/// A member municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Whether it is the host.
    pub host: bool,
}

/// Ledger files and what belongs to the committee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerConfig {
    /// Current year's SIE file.
    pub current: String,
    /// Prior year's SIE file.
    pub prior: Option<String>,
    /// Dimension that decides scope.
    pub scope_dimension: u32,
    /// The committee's objects on it.
    pub scope_objects: Vec<ObjectRange>,
}

/// A row of the income statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowConfig {
    /// Stable id (the table's row key).
    pub id: String,
    /// Label as printed.
    pub label: String,
    /// Income, cost or contribution.
    pub kind: RowKindConfig,
    /// The accounts it claims.
    pub accounts: Vec<AccountRange>,
    /// Index into [`AllocationConfig::keys`] of its allocation key.
    pub key: usize,
}

/// Allocation rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationConfig {
    /// Dimension whose objects say where an amount belongs.
    pub dimension: u32,
    /// Allocation keys.
    pub keys: Vec<AllocationKey>,
    /// Objects that belong to one municipality in full.
    pub specific: Vec<Specific>,
}

/// A key: each municipality's share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationKey {
    /// Stable id.
    pub id: String,
    /// Description printed with the rule.
    pub label: String,
    /// Share per municipality in the order of [`Config::municipalities`], scaled by
    /// [`SHARE_SCALE`] (sums to `100 * SHARE_SCALE`).
    pub shares: Vec<i64>,
    /// The shares as written, in municipality order.
    pub shares_text: Vec<String>,
}

/// Objects charged in full to one municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Specific {
    /// Index of the municipality.
    pub municipality: usize,
    /// The objects.
    pub objects: Vec<ObjectRange>,
    /// Name of the group, e.g. "Herrljungaspec".
    pub label: String,
}

/// Investment settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvestmentsConfig {
    /// Register file.
    pub file: String,
    /// Balance accounts with investment outcome.
    pub accounts: Vec<AccountRange>,
    /// Project dimension.
    pub dimension: u32,
    /// Label of the grand total.
    pub total_label: String,
    /// Groups in display order.
    pub groups: Vec<InvestmentGroup>,
}

/// A group of the investment register (common, or one municipality's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvestmentGroup {
    /// Id used in the register's `grupp` column.
    pub id: String,
    /// Label of the group's subtotal row.
    pub label: String,
    /// Row key of the subtotal (default `summa_<id>`).
    pub key: String,
}

/// Staff sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffConfig {
    /// Employments file.
    pub employments: String,
    /// Sick spells file.
    pub sick_spells: String,
    /// Smallest group that is shown.
    pub min_group_size: u32,
}

impl Config {
    /// Last day of the period.
    pub fn period_end(&self) -> Date {
        Date {
            year: self.year,
            month: self.through_month,
            day: crate::money::days_in_month(self.year, self.through_month),
        }
    }

    /// First day of the period.
    pub fn period_start(&self) -> Date {
        Date {
            year: self.year,
            month: 1,
            day: 1,
        }
    }

    /// Index of the contribution row.
    pub fn contribution_row(&self) -> usize {
        self.rows
            .iter()
            .position(|r| r.kind == RowKindConfig::Contribution)
            .unwrap_or(0)
    }

    /// The host municipality's index.
    pub fn host(&self) -> usize {
        self.municipalities.iter().position(|m| m.host).unwrap_or(0)
    }

    /// The row that claims an account when exactly one does; otherwise how many rows
    /// claim it (0, or 2 and more). [`Config::rows_for_account`] without allocating: the
    /// engine asks it once per posting.
    pub fn sole_row_for_account(&self, account: u32) -> Result<usize, usize> {
        let mut claiming = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| accounts_contain(&r.accounts, account))
            .map(|(i, _)| i);
        match (claiming.next(), claiming.next()) {
            (Some(row), None) => Ok(row),
            (None, _) => Err(0),
            (Some(_), Some(_)) => Err(2 + claiming.count()),
        }
    }

    /// The row that claims an account, if exactly one does; all claiming rows otherwise.
    pub fn rows_for_account(&self, account: u32) -> Vec<usize> {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| accounts_contain(&r.accounts, account))
            .map(|(i, _)| i)
            .collect()
    }

    /// The municipality an object belongs to in full, if any.
    pub fn specific_for(&self, object: Option<&str>) -> Option<usize> {
        let id = ObjectId::of(object?);
        self.allocation
            .specific
            .iter()
            .find(|s| s.objects.iter().any(|r| r.contains_id(&id)))
            .map(|s| s.municipality)
    }

    /// Whether an object on the scope dimension is within scope.
    pub fn in_scope(&self, object: Option<&str>) -> bool {
        object.is_some_and(|o| objects_contain(&self.ledger.scope_objects, o))
    }
}

/// [`Config`]'s answers for the postings of a ledger, remembered per account and per object:
/// a ledger has a few hundred accounts and objects but up to millions of postings, and each
/// answer otherwise scans the rows' account ranges or the objects' ranges again. The answers
/// are the config's own ([`Config::sole_row_for_account`], [`Config::in_scope`],
/// [`Config::specific_for`]).
pub struct Lookups<'c, 'o> {
    config: &'c Config,
    rows: FxHashMap<u32, Result<usize, usize>>,
    scope: FxHashMap<TextAt<'o>, bool>,
    specific: FxHashMap<TextAt<'o>, Option<usize>>,
}

/// A text remembered by where it is: a ledger's object ids are interned (one allocation per
/// id), so the address and length name the text without hashing or comparing its bytes.
/// The borrow keeps the text alive, so no other text can be at that address while the memo
/// lives; a text held twice is only remembered twice.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct TextAt<'o>(*const u8, usize, std::marker::PhantomData<&'o str>);

impl<'o> TextAt<'o> {
    fn of(text: &'o str) -> Self {
        TextAt(text.as_ptr(), text.len(), std::marker::PhantomData)
    }
}

impl<'c, 'o> Lookups<'c, 'o> {
    /// No answer remembered yet.
    pub fn new(config: &'c Config) -> Self {
        Lookups {
            config,
            rows: FxHashMap::default(),
            scope: FxHashMap::default(),
            specific: FxHashMap::default(),
        }
    }

    /// The config the answers are of.
    pub fn config(&self) -> &'c Config {
        self.config
    }

    /// [`Config::sole_row_for_account`].
    #[inline]
    pub fn sole_row_for_account(&mut self, account: u32) -> Result<usize, usize> {
        let config = self.config;
        *self
            .rows
            .entry(account)
            .or_insert_with(|| config.sole_row_for_account(account))
    }

    /// [`Config::in_scope`].
    #[inline]
    pub fn in_scope(&mut self, object: Option<&'o str>) -> bool {
        let Some(object) = object else {
            return false;
        };
        let config = self.config;
        *self
            .scope
            .entry(TextAt::of(object))
            .or_insert_with(|| config.in_scope(Some(object)))
    }

    /// [`Config::specific_for`].
    #[inline]
    pub fn specific_for(&mut self, object: Option<&'o str>) -> Option<usize> {
        let object = object?;
        let config = self.config;
        *self
            .specific
            .entry(TextAt::of(object))
            .or_insert_with(|| config.specific_for(Some(object)))
    }
}

/// Whether an account is a result account (classes 3–8).
pub fn is_result_account(account: u32) -> bool {
    let mut a = account;
    while a >= 10 {
        a /= 10;
    }
    (3..=8).contains(&a)
}

/// Parses and validates `delar.toml`.
pub fn parse_config(bytes: &[u8]) -> Result<Config, LoadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| LoadError::Config {
        path: CONFIG_PATH.into(),
        message: format!("filen är inte UTF-8 (byte {})", e.valid_up_to()),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        LoadError::Toml {
            path: CONFIG_PATH.into(),
            line,
            column,
            message: toml_message(e.message()),
        }
    })?;
    validate(raw)
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The TOML reader's message with its common phrases in Swedish.
pub fn toml_message(message: &str) -> String {
    message
        .trim()
        .replace("unknown field", "okänd nyckel")
        .replace("missing field", "nyckel saknas:")
        .replace(", expected one of", ", kända:")
        .replace("unknown variant", "okänt värde")
        .replace("invalid type:", "fel typ:")
        .replace(", expected", ", väntade")
}

/// Whether `key` can be a row key: lower-case ASCII letters, digits and `_`, starting
/// with a letter (keys appear in JSON output and templates).
pub fn is_valid_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn row_key(key: &str, what: &str) -> Result<String, LoadError> {
    if is_valid_key(key) {
        Ok(key.to_string())
    } else {
        Err(cfg_err(format!(
            "{what}: nyckeln \"{key}\" får bara innehålla a–z, 0–9 och _ och ska börja med en bokstav"
        )))
    }
}

fn cfg_err(message: String) -> LoadError {
    LoadError::Config {
        path: CONFIG_PATH.into(),
        message,
    }
}

fn account_ranges(list: &[String], what: &str) -> Result<Vec<AccountRange>, LoadError> {
    list.iter()
        .map(|s| {
            AccountRange::parse(s).ok_or_else(|| {
                cfg_err(format!(
                    "{what}: kontointervallet \"{s}\" är felskrivet (skriv t.ex. \"5000-5999\" eller \"3990\")"
                ))
            })
        })
        .collect()
}

fn object_ranges(list: &[String], what: &str) -> Result<Vec<ObjectRange>, LoadError> {
    list.iter()
        .map(|s| {
            ObjectRange::parse(s).ok_or_else(|| {
                cfg_err(format!(
                    "{what}: objektintervallet \"{s}\" är felskrivet (skriv t.ex. \"8500-8599\" eller ett id)"
                ))
            })
        })
        .collect()
}

fn nonempty_path(p: &str, what: &str) -> Result<String, LoadError> {
    if p.trim().is_empty() {
        return Err(cfg_err(format!("{what}: sökvägen är tom")));
    }
    Ok(p.trim().to_string())
}

fn validate(raw: RawConfig) -> Result<Config, LoadError> {
    let r = raw.report;
    if !(1900..=2200).contains(&r.year) {
        return Err(cfg_err(format!(
            "report.year = {} ligger utanför 1900–2200",
            r.year
        )));
    }
    if !(1..=12).contains(&r.through_month) {
        return Err(cfg_err(format!(
            "report.through_month = {} ligger utanför året (1–12)",
            r.through_month
        )));
    }
    let memo_date = Date::parse(&r.memo_date).ok_or_else(|| {
        cfg_err(format!(
            "report.memo_date = \"{}\" är inget giltigt datum (ÅÅÅÅ-MM-DD)",
            r.memo_date
        ))
    })?;

    // Municipalities.
    if raw.municipalities.is_empty() {
        return Err(cfg_err("minst en [[municipality]] behövs".into()));
    }
    let mut municipalities = Vec::new();
    for m in &raw.municipalities {
        if m.id.trim().is_empty() {
            return Err(cfg_err("en kommun saknar id".into()));
        }
        if municipalities.iter().any(|x: &Municipality| x.id == m.id) {
            return Err(cfg_err(format!("kommunen \"{}\" finns två gånger", m.id)));
        }
        municipalities.push(Municipality {
            id: m.id.clone(),
            name: m.name.clone(),
            host: m.host,
        });
    }
    let organisation = match r.organisation {
        Some(o) => o,
        None if municipalities.len() > 1 => Organisation::Gemensam,
        None => Organisation::Kommun,
    };
    match (organisation, municipalities.len()) {
        (Organisation::Gemensam, 1) => {
            return Err(cfg_err(
                "report.organisation = \"gemensam\" kräver minst två [[municipality]]; för en nämnd i en kommun, skriv organisation = \"kommun\" (eller \"region\")".into(),
            ))
        }
        (Organisation::Kommun | Organisation::Region, n) if n > 1 => {
            return Err(cfg_err(format!(
                "report.organisation = \"{}\" gäller en enda kommun eller region, men paketet har {n} [[municipality]]; skriv organisation = \"gemensam\" för en gemensam nämnd",
                if organisation == Organisation::Region { "region" } else { "kommun" }
            )))
        }
        _ => {}
    }
    if municipalities.len() == 1 {
        // The only member is its own host.
        municipalities[0].host = true;
    }
    let hosts: Vec<&str> = municipalities
        .iter()
        .filter(|m| m.host)
        .map(|m| m.id.as_str())
        .collect();
    if hosts.len() != 1 {
        return Err(cfg_err(format!(
            "exakt en kommun ska vara huvudman (host = true); nu är det {} ({})",
            hosts.len(),
            hosts.join(", ")
        )));
    }
    let known_munis = municipalities
        .iter()
        .map(|m| m.id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let muni_index = |id: &str, what: &str| -> Result<usize, LoadError> {
        municipalities
            .iter()
            .position(|m| m.id == id)
            .ok_or_else(|| {
                cfg_err(format!(
                    "{what}: okänd kommun \"{id}\" (kända: {known_munis})"
                ))
            })
    };

    // Allocation keys: only a joint committee splits its net cost; a committee of one
    // municipality gets one key that gives it everything.
    let a = match (raw.allocation, municipalities.len()) {
        (Some(a), n) if n > 1 => a,
        (None, n) if n > 1 => {
            return Err(cfg_err(format!(
                "[allocation] saknas: en gemensam nämnd med {n} kommuner behöver fördelningsnycklar (se docs/PACKAGE.md)"
            )))
        }
        (Some(_), _) => {
            return Err(cfg_err(
                "[allocation] gäller bara en gemensam nämnd med flera kommuner; ta bort [allocation] och dess nycklar (nämnden har en enda kommun, så inget fördelas)".into(),
            ))
        }
        (None, _) => RawAllocation {
            dimension: raw.ledger.scope_dimension,
            default_key: "hela".into(),
            keys: vec![RawKey {
                id: "hela".into(),
                label: "hela beloppet".into(),
                shares: BTreeMap::from([(municipalities[0].id.clone(), "100".to_string())]),
            }],
            specific: Vec::new(),
        },
    };
    let mut keys: Vec<AllocationKey> = Vec::new();
    for k in &a.keys {
        if keys.iter().any(|x| x.id == k.id) {
            return Err(cfg_err(format!(
                "fördelningsnyckeln \"{}\" finns två gånger",
                k.id
            )));
        }
        let mut shares = vec![0i64; municipalities.len()];
        let mut shares_text = vec![String::new(); municipalities.len()];
        let mut seen = vec![false; municipalities.len()];
        for (mid, text) in &k.shares {
            let i = muni_index(mid, &format!("allocation.key \"{}\"", k.id))?;
            let v = parse_decimal(text, 6).map_err(|e| {
                cfg_err(format!(
                    "allocation.key \"{}\": andelen för {mid} ({e})",
                    k.id
                ))
            })?;
            if v < 0 {
                return Err(cfg_err(format!(
                    "allocation.key \"{}\": andelen för {mid} är negativ",
                    k.id
                )));
            }
            shares[i] = v;
            shares_text[i] = text.trim().to_string();
            seen[i] = true;
        }
        if let Some(i) = seen.iter().position(|s| !s) {
            return Err(cfg_err(format!(
                "allocation.key \"{}\" saknar andel för {}",
                k.id, municipalities[i].id
            )));
        }
        let sum: i64 = shares.iter().sum();
        if sum != 100 * SHARE_SCALE {
            return Err(cfg_err(format!(
                "allocation.key \"{}\": andelarna summerar till {} procent, inte exakt 100",
                k.id,
                crate::money::format_decimal(sum, 6)
            )));
        }
        keys.push(AllocationKey {
            id: k.id.clone(),
            label: k.label.clone(),
            shares,
            shares_text,
        });
    }
    let known_keys = keys
        .iter()
        .map(|k| k.id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let key_index = |id: &str, what: &str| -> Result<usize, LoadError> {
        keys.iter().position(|k| k.id == id).ok_or_else(|| {
            cfg_err(format!(
                "{what}: okänd fördelningsnyckel \"{id}\" (kända: {known_keys})"
            ))
        })
    };
    let default_key = key_index(&a.default_key, "allocation.default_key")?;
    let mut specific = Vec::new();
    for s in &a.specific {
        specific.push(Specific {
            municipality: muni_index(&s.municipality, "allocation.specific")?,
            objects: object_ranges(&s.objects, "allocation.specific")?,
            label: s.label.clone(),
        });
    }

    // Rows.
    let mut rows: Vec<RowConfig> = Vec::new();
    for row in &raw.rows {
        if row.id.trim().is_empty() {
            return Err(cfg_err("en [[row]] saknar id".into()));
        }
        if rows.iter().any(|r| r.id == row.id) || FIXED_KEYS.contains(&row.id.as_str()) {
            return Err(cfg_err(format!(
                "raden \"{}\" finns två gånger eller krockar med en summarad ({})",
                row.id,
                FIXED_KEYS.join(", ")
            )));
        }
        let key = match &row.key {
            Some(k) if municipalities.len() == 1 => {
                return Err(cfg_err(format!(
                    "row \"{}\": key = \"{k}\" är en fördelningsnyckel, men nämnden har en enda kommun och fördelar inget; ta bort key",
                    row.id
                )))
            }
            Some(k) => key_index(k, &format!("row \"{}\"", row.id))?,
            None => default_key,
        };
        rows.push(RowConfig {
            id: row.id.clone(),
            label: row.label.clone(),
            kind: row.kind,
            accounts: account_ranges(&row.accounts, &format!("row \"{}\"", row.id))?,
            key,
        });
    }
    let contributions = rows
        .iter()
        .filter(|r| r.kind == RowKindConfig::Contribution)
        .count();
    if contributions != 1 {
        return Err(cfg_err(format!(
            "exakt en rad ska ha kind = \"contribution\" (kommunbidrag); nu är det {contributions}"
        )));
    }

    let l = raw.ledger;
    let ledger = LedgerConfig {
        current: nonempty_path(&l.current, "ledger.current")?,
        prior: l
            .prior
            .as_deref()
            .map(|p| nonempty_path(p, "ledger.prior"))
            .transpose()?,
        scope_dimension: l.scope_dimension,
        scope_objects: object_ranges(&l.scope_objects, "ledger.scope_objects")?,
    };
    if ledger.scope_objects.is_empty() {
        return Err(cfg_err("ledger.scope_objects är tom".into()));
    }

    let investments = match raw.investments {
        None => None,
        Some(i) => {
            let mut groups: Vec<InvestmentGroup> = Vec::new();
            for g in &i.groups {
                if groups.iter().any(|known| known.id == g.id) {
                    return Err(cfg_err(format!(
                        "investments.group \"{}\" finns två gånger",
                        g.id
                    )));
                }
                groups.push(InvestmentGroup {
                    id: g.id.clone(),
                    label: g.label.clone(),
                    key: match &g.key {
                        Some(k) => row_key(k, "investments.group.key")?,
                        None => format!("summa_{}", g.id),
                    },
                });
            }
            Some(InvestmentsConfig {
                file: nonempty_path(&i.file, "investments.file")?,
                accounts: account_ranges(&i.accounts, "investments.accounts")?,
                dimension: i.dimension,
                total_label: i.total_label,
                groups,
            })
        }
    };
    let staff = match raw.staff {
        None => None,
        Some(s) => Some(StaffConfig {
            employments: nonempty_path(&s.employments, "staff.employments")?,
            sick_spells: nonempty_path(&s.sick_spells, "staff.sick_spells")?,
            min_group_size: s.min_group_size,
        }),
    };

    let report_name = match r.name.as_deref().map(str::trim) {
        Some("") => return Err(cfg_err("report.name är tomt; ta bort nyckeln eller skriv rapportens namn, t.ex. \"Tertialrapport 1\"".into())),
        Some(n) => n.to_string(),
        None => default_report_name(r.through_month).to_string(),
    };
    let available = |id: &str| -> Result<(), String> {
        let missing = match id {
            "resultat_netto" if municipalities.len() < 2 => "flera kommuner (en gemensam nämnd)",
            "budgetforandringar" if raw.budget.changes.is_none() => "budget.changes",
            "prognoskommentarer" if raw.forecast.is_none() => "[forecast]",
            "investeringar" if investments.is_none() => "[investments]",
            "personal" if staff.is_none() => "[staff]",
            _ => return Ok(()),
        };
        Err(format!("report.tables: tabellen \"{id}\" kräver {missing}"))
    };
    let tables: Vec<String> = match &r.tables {
        None => TABLE_IDS
            .iter()
            .filter(|id| available(id).is_ok())
            .map(|id| id.to_string())
            .collect(),
        Some(list) => {
            for id in list {
                if !TABLE_IDS.contains(&id.as_str()) {
                    return Err(cfg_err(format!(
                        "report.tables: okänd tabell \"{id}\" (kända: {})",
                        TABLE_IDS.join(", ")
                    )));
                }
                available(id).map_err(cfg_err)?;
            }
            TABLE_IDS
                .iter()
                .filter(|id| list.iter().any(|l| l == *id))
                .map(|id| id.to_string())
                .collect()
        }
    };
    let sections_listed = !raw.sections.is_empty();
    let sections = if sections_listed {
        let mut out: Vec<SectionConfig> = Vec::new();
        for sec in &raw.sections {
            let what = format!("[[section]] \"{}\"", sec.id);
            if !is_valid_key(&sec.id) {
                return Err(cfg_err(format!(
                    "{what}: id får bara innehålla a–z, 0–9 och _ och ska börja med en bokstav"
                )));
            }
            if out.iter().any(|o| o.id == sec.id) {
                return Err(cfg_err(format!("{what} finns två gånger")));
            }
            let standard = STANDARD_SECTIONS.iter().find(|s| s.id == sec.id);
            let heading = match (&sec.heading, standard) {
                (Some(h), _) if !h.trim().is_empty() => h.trim().to_string(),
                (_, Some(st)) => st.heading.to_string(),
                _ => {
                    return Err(cfg_err(format!(
                        "{what}: heading saknas (ett eget avsnitt behöver en rubrik, t.ex. heading = \"Viktiga händelser\")"
                    )))
                }
            };
            let level = sec.level.unwrap_or(standard.map_or(1, |st| st.level));
            if !(1..=2).contains(&level) {
                return Err(cfg_err(format!(
                    "{what}: level = {level}, väntade 1 eller 2"
                )));
            }
            let text = match sec.text.as_deref().map(str::trim) {
                Some("") => None,
                Some(t) if t.contains('/') || t.contains('\\') || !t.ends_with(".md") => {
                    return Err(cfg_err(format!(
                        "{what}: text = \"{t}\" ska vara ett filnamn i texts.dir som slutar på .md"
                    )))
                }
                Some(t) => Some(t.to_string()),
                None => match standard {
                    Some(st) => st.text.map(str::to_string),
                    None => Some(format!("{}.md", sec.id.replace('_', "-"))),
                },
            };
            out.push(SectionConfig {
                id: sec.id.clone(),
                heading,
                level,
                text,
                text_named: sec.text.is_some(),
            });
        }
        for t in &tables {
            let home = match t.as_str() {
                "investeringar" => "investeringar",
                "personal" => "personalredovisning",
                _ => "drift",
            };
            if !out.iter().any(|s| s.id == home) {
                return Err(cfg_err(format!(
                    "tabellen \"{t}\" visas i avsnittet \"{home}\", som saknas bland [[section]]; lägg till [[section]] med id = \"{home}\" eller välj tabeller med report.tables"
                )));
            }
        }
        out
    } else {
        STANDARD_SECTIONS
            .iter()
            .map(|st| SectionConfig {
                id: st.id.to_string(),
                heading: st.heading.to_string(),
                level: st.level,
                text: st.text.map(str::to_string),
                text_named: false,
            })
            .collect()
    };

    Ok(Config {
        committee: r.committee,
        year: r.year,
        through_month: r.through_month,
        memo_date,
        author: r.author,
        author_title: r.author_title,
        decision: r.decision,
        distribution: r.distribution,
        for_information: r.for_information,
        percent_rounding: r.percent_rounding,
        municipalities,
        ledger,
        rows,
        allocation: AllocationConfig {
            dimension: a.dimension,
            keys,
            specific,
        },
        budget_file: nonempty_path(&raw.budget.file, "budget.file")?,
        budget_changes: raw
            .budget
            .changes
            .as_deref()
            .map(|p| nonempty_path(p, "budget.changes"))
            .transpose()?,
        forecast_file: raw
            .forecast
            .map(|f| nonempty_path(&f.file, "forecast.file"))
            .transpose()?,
        investments,
        staff,
        goals_file: raw
            .goals
            .map(|g| nonempty_path(&g.file, "goals.file"))
            .transpose()?,
        texts_dir: raw.texts.map(|t| t.dir.trim().to_string()),
        organisation,
        report_name,
        tables,
        sections,
        sections_listed,
    })
}

/// Row keys of the income statement that the engine adds; row ids may not use them.
pub const FIXED_KEYS: [&str; 4] = [
    "summa_intakter",
    "summa_kostnader",
    "summa_nettokostnader",
    "resultat",
];
