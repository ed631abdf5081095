//! The data read from a SIE file: header, chart of accounts, dimensions, balances, vouchers.

use crate::amount::{Amount, Quantity};
use crate::date::{Date, Period};
use crate::vouchers::Vouchers;
use serde::Serialize;
use smallvec::SmallVec;
use std::sync::Arc;

/// An interned piece of text (account number, object id, series). Cloning is cheap.
pub type Sym = Arc<str>;

/// SIE file type (`#SIETYP`). Type 4 covers both 4E (export) and 4I (import).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SieType {
    /// Type 1: year balances (#IB, #UB, #RES).
    #[serde(rename = "1")]
    Type1,
    /// Type 2: type 1 plus period balances (#PSALDO, #PBUDGET).
    #[serde(rename = "2")]
    Type2,
    /// Type 3: type 2 plus objects (#DIM, #OBJEKT, #OIB, #OUB, object period balances).
    #[serde(rename = "3")]
    Type3,
    /// Type 4: type 3 plus vouchers (#VER, #TRANS, #RTRANS, #BTRANS).
    #[serde(rename = "4")]
    Type4,
}

impl SieType {
    /// The number written after `#SIETYP`.
    pub fn number(self) -> u8 {
        match self {
            SieType::Type1 => 1,
            SieType::Type2 => 2,
            SieType::Type3 => 3,
            SieType::Type4 => 4,
        }
    }

    /// The type for a `#SIETYP` number.
    pub fn from_number(n: u8) -> Option<SieType> {
        match n {
            1 => Some(SieType::Type1),
            2 => Some(SieType::Type2),
            3 => Some(SieType::Type3),
            4 => Some(SieType::Type4),
            _ => None,
        }
    }
}

/// `#PROGRAM name version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Program {
    /// Program name.
    pub name: String,
    /// Program version.
    pub version: Option<String>,
}

/// `#GEN date sign`: when and by whom the file was generated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Generated {
    /// Date of export.
    pub date: Date,
    /// Who exported.
    pub signature: Option<String>,
}

/// `#ORGNR orgnr acquisition activity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct OrgNumber {
    /// Organisation number, e.g. `556677-8899`.
    pub number: String,
    /// Acquisition number (förvärvsnummer).
    pub acquisition: Option<String>,
    /// Activity number (verksamhetsnummer).
    pub activity: Option<String>,
}

/// `#ADRESS contact street postal phone`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Address {
    /// Contact person.
    pub contact: String,
    /// Street address.
    pub street: String,
    /// Postal code and town.
    pub postal: String,
    /// Phone number.
    pub phone: String,
}

/// `#RAR index start end`: a fiscal year. Index 0 is the current year, -1 the prior one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FiscalYear {
    /// Year index (0 current, -1 prior, …).
    pub index: i32,
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
}

impl FiscalYear {
    /// Whether `date` lies within this year.
    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }
}

/// `#KTYP`: account type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum AccountType {
    /// `T`: asset (tillgång).
    #[serde(rename = "T")]
    Asset,
    /// `S`: liability or equity (skuld).
    #[serde(rename = "S")]
    Liability,
    /// `K`: cost (kostnad).
    #[serde(rename = "K")]
    Cost,
    /// `I`: income (intäkt).
    #[serde(rename = "I")]
    Income,
}

impl AccountType {
    /// The letter SIE uses.
    pub fn letter(self) -> char {
        match self {
            AccountType::Asset => 'T',
            AccountType::Liability => 'S',
            AccountType::Cost => 'K',
            AccountType::Income => 'I',
        }
    }

    /// Reads the letter (case-insensitive).
    pub fn from_letter(text: &str) -> Option<AccountType> {
        match text {
            "T" | "t" => Some(AccountType::Asset),
            "S" | "s" => Some(AccountType::Liability),
            "K" | "k" => Some(AccountType::Cost),
            "I" | "i" => Some(AccountType::Income),
            _ => None,
        }
    }
}

/// An account: `#KONTO` with its `#KTYP`, `#ENHET` and `#SRU`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Account number as written (usually four digits).
    pub number: Sym,
    /// Account name.
    pub name: String,
    /// `#KTYP`, when given.
    pub kind: Option<AccountType>,
    /// `#ENHET`: unit of quantities, when given.
    pub unit: Option<String>,
    /// `#SRU` codes (tax form codes).
    pub sru: Vec<String>,
    /// Source line of `#KONTO` (0 when the account only appears in #KTYP/#SRU/#ENHET).
    #[serde(skip)]
    pub line: u32,
}

/// `#DIM` or `#UNDERDIM`: a dimension (e.g. 1 kostnadsställe, 6 projekt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dimension {
    /// Dimension number.
    pub number: u32,
    /// Name.
    pub name: String,
    /// For `#UNDERDIM`: the superior dimension.
    pub parent: Option<u32>,
}

/// `#OBJEKT dim id name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Object {
    /// Dimension number.
    pub dimension: u32,
    /// Object id (code).
    pub id: Sym,
    /// Name.
    pub name: String,
}

/// One (dimension, object id) pair of an object list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ObjectRef {
    /// Dimension number.
    pub dimension: u32,
    /// Object id.
    pub id: Sym,
}

/// An object list `{1 "10" 6 "Bilen"}`; empty for `{}`. Stored inline for up to two pairs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct ObjectList(pub SmallVec<[ObjectRef; 2]>);

impl ObjectList {
    /// The empty list.
    pub fn new() -> Self {
        ObjectList(SmallVec::new())
    }

    /// The pairs.
    pub fn as_slice(&self) -> &[ObjectRef] {
        &self.0
    }

    /// Iterates over the pairs.
    pub fn iter(&self) -> std::slice::Iter<'_, ObjectRef> {
        self.0.iter()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Adds a pair.
    #[inline]
    pub fn push(&mut self, dimension: u32, id: Sym) {
        self.0.push(ObjectRef { dimension, id });
    }

    /// The object id given for `dimension`, if any.
    pub fn get(&self, dimension: u32) -> Option<&Sym> {
        self.0
            .iter()
            .find(|o| o.dimension == dimension)
            .map(|o| &o.id)
    }
}

impl<'a> IntoIterator for &'a ObjectList {
    type Item = &'a ObjectRef;
    type IntoIter = std::slice::Iter<'a, ObjectRef>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// `#IB`, `#UB` or `#RES`: a balance of an account for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Balance {
    /// Year index (0 current, -1 prior).
    pub year: i32,
    /// Account number.
    pub account: Sym,
    /// Balance.
    pub amount: Amount,
    /// Quantity, when given.
    pub quantity: Option<Quantity>,
    /// Source line.
    #[serde(skip)]
    pub line: u32,
}

/// `#OIB` or `#OUB`: a balance of an account for an object list and a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectBalance {
    /// Year index.
    pub year: i32,
    /// Account number.
    pub account: Sym,
    /// Objects.
    pub objects: ObjectList,
    /// Balance.
    pub amount: Amount,
    /// Quantity, when given.
    pub quantity: Option<Quantity>,
    /// Source line.
    #[serde(skip)]
    pub line: u32,
}

/// `#PSALDO` or `#PBUDGET`: an amount of an account for a month (and object list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodBalance {
    /// Year index.
    pub year: i32,
    /// Month.
    pub period: Period,
    /// Account number.
    pub account: Sym,
    /// Objects (empty: the account's total).
    pub objects: ObjectList,
    /// Amount.
    pub amount: Amount,
    /// Quantity, when given.
    pub quantity: Option<Quantity>,
    /// Source line.
    #[serde(skip)]
    pub line: u32,
}

/// Kind of a voucher row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    /// `#TRANS`: a normal row.
    Normal,
    /// `#RTRANS`: a row added after the voucher was first registered (counts).
    Added,
    /// `#BTRANS`: a row removed after registration (kept, does not count).
    Removed,
}

impl RowKind {
    /// The record label.
    pub fn label(self) -> &'static str {
        match self {
            RowKind::Normal => "#TRANS",
            RowKind::Added => "#RTRANS",
            RowKind::Removed => "#BTRANS",
        }
    }

    /// Whether the row counts in balances (normal and added rows do).
    pub fn counts(self) -> bool {
        !matches!(self, RowKind::Removed)
    }
}

/// A record the reader does not know, kept as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownRecord {
    /// Label including `#`.
    pub label: String,
    /// The rest of the line, decoded.
    pub rest: String,
    /// Source line.
    #[serde(skip)]
    pub line: u32,
}

/// Everything read from one SIE file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct SieFile {
    /// `#FLAGGA` (0 or 1).
    pub flag: Option<String>,
    /// `#FORMAT` as declared (usually `PC8`).
    pub format: Option<String>,
    /// `#SIETYP`.
    pub sie_type: Option<SieType>,
    /// `#PROGRAM`.
    pub program: Option<Program>,
    /// `#GEN`.
    pub generated: Option<Generated>,
    /// `#PROSA`: free text.
    pub prose: Option<String>,
    /// `#FTYP`: company type.
    pub company_type: Option<String>,
    /// `#FNR`: company id in the exporting program.
    pub company_id: Option<String>,
    /// `#ORGNR`.
    pub org_number: Option<OrgNumber>,
    /// `#BKOD`: industry (SNI) code.
    pub industry_code: Option<String>,
    /// `#ADRESS`.
    pub address: Option<Address>,
    /// `#FNAMN`: company name.
    pub company_name: Option<String>,
    /// `#RAR`: fiscal years.
    pub fiscal_years: Vec<FiscalYear>,
    /// `#TAXAR`: tax assessment year.
    pub tax_year: Option<u16>,
    /// `#OMFATTN`: date up to which balances are included.
    pub balances_through: Option<Date>,
    /// `#KPTYP`: chart of accounts type (e.g. `BAS2014`).
    pub chart_type: Option<String>,
    /// `#VALUTA`: currency code (SEK when absent).
    pub currency: Option<String>,
    /// Accounts in order of first appearance.
    pub accounts: Vec<Account>,
    /// `#DIM` and `#UNDERDIM`.
    pub dimensions: Vec<Dimension>,
    /// `#OBJEKT`.
    pub objects: Vec<Object>,
    /// `#IB`.
    pub opening_balances: Vec<Balance>,
    /// `#UB`.
    pub closing_balances: Vec<Balance>,
    /// `#OIB`.
    pub object_opening_balances: Vec<ObjectBalance>,
    /// `#OUB`.
    pub object_closing_balances: Vec<ObjectBalance>,
    /// `#RES`.
    pub results: Vec<Balance>,
    /// `#PSALDO`.
    pub period_balances: Vec<PeriodBalance>,
    /// `#PBUDGET`.
    pub period_budgets: Vec<PeriodBalance>,
    /// `#VER` with rows (empty when read with the streaming reader, which yields them).
    pub vouchers: Vouchers,
    /// The value of the closing `#KSUMMA`, when the file carries one.
    pub checksum: Option<u32>,
    /// Records the reader does not know.
    pub unknown_records: Vec<UnknownRecord>,
}

impl SieFile {
    /// The fiscal year with `index` (0 current, -1 prior).
    pub fn fiscal_year(&self, index: i32) -> Option<&FiscalYear> {
        self.fiscal_years.iter().find(|y| y.index == index)
    }

    /// The account with `number`.
    pub fn account(&self, number: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| &*a.number == number)
    }

    /// Number of voucher rows (all kinds).
    pub fn row_count(&self) -> usize {
        self.vouchers.row_count()
    }

    /// The smallest SIE type that holds everything in this file.
    pub fn content_type(&self) -> SieType {
        if !self.vouchers.is_empty() {
            SieType::Type4
        } else if !self.objects.is_empty()
            || !self.dimensions.is_empty()
            || !self.object_opening_balances.is_empty()
            || !self.object_closing_balances.is_empty()
            || self
                .period_balances
                .iter()
                .chain(&self.period_budgets)
                .any(|p| !p.objects.is_empty())
        {
            SieType::Type3
        } else if !self.period_balances.is_empty() || !self.period_budgets.is_empty() {
            SieType::Type2
        } else {
            SieType::Type1
        }
    }

    /// A copy holding only what a file of type `ty` may carry (what [`crate::write`] writes).
    pub fn restricted_to(&self, ty: SieType) -> SieFile {
        let mut f = self.clone();
        f.sie_type = Some(ty);
        if ty < SieType::Type4 {
            f.vouchers.clear();
        }
        if ty < SieType::Type3 {
            f.dimensions.clear();
            f.objects.clear();
            f.object_opening_balances.clear();
            f.object_closing_balances.clear();
            f.period_balances.retain(|p| p.objects.is_empty());
            f.period_budgets.retain(|p| p.objects.is_empty());
        }
        if ty < SieType::Type2 {
            f.period_balances.clear();
            f.period_budgets.clear();
        }
        f
    }

    /// A copy with source lines and the checksum cleared, for comparing the data of two reads.
    pub fn without_positions(&self) -> SieFile {
        let mut f = self.clone();
        f.checksum = None;
        f.format = None;
        f.flag = None;
        for a in &mut f.accounts {
            a.line = 0;
        }
        for b in f
            .opening_balances
            .iter_mut()
            .chain(&mut f.closing_balances)
            .chain(&mut f.results)
        {
            b.line = 0;
        }
        for b in f
            .object_opening_balances
            .iter_mut()
            .chain(&mut f.object_closing_balances)
        {
            b.line = 0;
        }
        for p in f.period_balances.iter_mut().chain(&mut f.period_budgets) {
            p.line = 0;
        }
        f.vouchers.clear_lines();
        for u in &mut f.unknown_records {
            u.line = 0;
        }
        f
    }
}
