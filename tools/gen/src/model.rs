//! What is booked, independent of any file format: the chart of accounts and objects of a
//! profile, and the vouchers of one fiscal year drawn from a seed, with the per-account
//! totals the generator intends (what a correct reader must find).

use crate::profile::Profile;
use crate::LedgerSpec;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// An account of the chart.
#[derive(Debug, Clone)]
pub struct Account {
    /// Account number.
    pub number: u32,
    /// Name (with å, ä, ö where Swedish has them).
    pub name: String,
}

/// A dimension and its objects (numeric ids).
#[derive(Debug, Clone)]
pub struct Dimension {
    /// Dimension number (`#DIM`).
    pub number: u32,
    /// Name.
    pub name: &'static str,
    /// Object ids, ascending.
    pub ids: Vec<u32>,
}

/// The chart of accounts and dimensions of a profile, and the accounts each kind of
/// voucher books on.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Every account, ascending by number.
    pub accounts: Vec<Account>,
    /// Dimensions: 1 (ansvar or kostnadsställe), 6 (projekt), and for Raindance 20
    /// (verksamhet).
    pub dimensions: Vec<Dimension>,
    /// External income (3000–3899 except internal).
    pub income: Vec<u32>,
    /// Internal income (internal charges).
    pub internal_income: Vec<u32>,
    /// Material and services (4000–4999, 6000–7799).
    pub costs: Vec<u32>,
    /// Internal purchases (the cost side of internal charges).
    pub internal_costs: Vec<u32>,
    /// Personnel (5000–5999).
    pub staff: Vec<u32>,
    /// Depreciation and internal interest (7800–7899, 8400–8499).
    pub capital: Vec<u32>,
    /// Investment (fixed asset) accounts (1100–1299).
    pub assets: Vec<u32>,
}

/// Fixed balance accounts.
pub mod acct {
    /// Kommunbidrag (the contribution).
    pub const CONTRIBUTION: u32 = 3990;
    /// Bank.
    pub const BANK: u32 = 1930;
    /// Accounts receivable.
    pub const RECEIVABLES: u32 = 1511;
    /// Accumulated depreciation.
    pub const ACC_DEPRECIATION: u32 = 1229;
    /// Accounts payable.
    pub const PAYABLES: u32 = 2440;
    /// Input VAT.
    pub const VAT_IN: u32 = 2641;
    /// Employees' tax withheld.
    pub const TAX: u32 = 2710;
    /// Social security contributions due.
    pub const SOCIAL: u32 = 2730;
}

const COST_WORDS: [&str; 16] = [
    "Förbrukningsmaterial",
    "Städtjänster",
    "Hyra lokaler",
    "Elenergi",
    "Licenser och programvaror",
    "Tele- och datakommunikation",
    "Konsulttjänster",
    "Livsmedel",
    "Resor och logi",
    "Reparation och underhåll",
    "Läromedel",
    "Försäkringar",
    "Transporter",
    "Övriga främmande tjänster",
    "Kontorsmaterial",
    "Tryckning och annonsering",
];
const INCOME_WORDS: [&str; 6] = [
    "Taxor och avgifter",
    "Försäljning av tjänster",
    "Hyresintäkter",
    "Statsbidrag",
    "Bidrag från Arbetsförmedlingen",
    "Övriga intäkter",
];
const STAFF_WORDS: [&str; 6] = [
    "Månadslön",
    "Timlön",
    "Semesterlön",
    "Sociala avgifter enligt lag och avtal",
    "Pensionskostnader",
    "Övriga personalkostnader",
];

/// Voucher texts (CP437 has every letter used).
pub const VOUCHER_TEXTS: [&str; 13] = [
    "Leverantörsfaktura Åhléns AB",
    "Faktura Kontorsvaror i Örebro AB",
    "Städning Björkängens äldreboende",
    "Elräkning Vattenfall",
    "Internfördelning lokalvård",
    "Kundfaktura barnomsorgsavgifter",
    "Hyra Ängsgårdens förskola",
    "Licensavgift ekonomisystem",
    "Måltidsservice skolor",
    "Avskrivningar anläggningar",
    "Investering ombyggnad Östra skolan",
    "Reseräkning Åsa Öberg",
    "Kommunbidrag månad",
];
/// Row texts.
pub const ROW_TEXTS: [&str; 8] = [
    "Förbrukningsmaterial",
    "Städtjänst för skolor",
    "Hyra lokaler äldreboende",
    "Måltider",
    "Licenser",
    "Övriga tjänster",
    "Resor",
    "Läromedel årskurs 4–6",
];
/// Names in signatures.
pub const SIGNATURES: [&str; 3] = ["Åsa Öberg", "Jörgen Ärlig", "Märta Ågren"];

impl Chart {
    /// The chart of `profile`: a small company chart for Fortnox, Visma and BL; a municipal
    /// one (hundreds of ansvar and projects) for Unit4 and Raindance.
    pub fn new(profile: Profile) -> Chart {
        let municipal = profile.municipal();
        let mut accounts = Vec::new();
        let mut add = |n: u32, name: String| {
            accounts.push(Account { number: n, name });
            n
        };
        let step = if municipal { 10 } else { 50 };
        let income: Vec<u32> = (3000..3500)
            .step_by(step)
            .enumerate()
            .map(|(k, n)| add(n, format!("{} {}", INCOME_WORDS[k % 6], k / 6 + 1)))
            .collect();
        let internal_income: Vec<u32> = (3590..3600)
            .step_by(if municipal { 2 } else { 10 })
            .map(|n| add(n, format!("Interna intäkter {n}")))
            .collect();
        add(acct::CONTRIBUTION, "Kommunbidrag".into());
        let mut costs: Vec<u32> = (4000..5000)
            .step_by(step)
            .enumerate()
            .map(|(k, n)| add(n, format!("{} {}", COST_WORDS[k % 16], k / 16 + 1)))
            .collect();
        let staff: Vec<u32> = (5000..6000)
            .step_by(step)
            .enumerate()
            .map(|(k, n)| add(n, format!("{} {}", STAFF_WORDS[k % 6], k / 6 + 1)))
            .collect();
        costs.extend(
            (6000..7800)
                .step_by(step)
                .filter(|n| !(6590..6600).contains(n))
                .enumerate()
                .map(|(k, n)| add(n, format!("{} {}", COST_WORDS[(k + 5) % 16], k / 16 + 1))),
        );
        let internal_costs: Vec<u32> = (6590..6600)
            .step_by(if municipal { 2 } else { 10 })
            .map(|n| add(n, format!("Interna köp {n}")))
            .collect();
        let mut capital: Vec<u32> = (7810..7890)
            .step_by(10)
            .map(|n| add(n, format!("Avskrivningar {n}")))
            .collect();
        capital.push(add(8410, "Intern ränta".into()));
        let assets: Vec<u32> = [1120, 1150, 1221, 1225]
            .into_iter()
            .map(|n| add(n, format!("Anläggningstillgångar {n}")))
            .collect();
        for (n, name) in [
            (acct::ACC_DEPRECIATION, "Ack avskrivningar inventarier"),
            (acct::RECEIVABLES, "Kundfordringar"),
            (acct::BANK, "Bank"),
            (acct::PAYABLES, "Leverantörsskulder"),
            (acct::VAT_IN, "Ingående moms"),
            (acct::TAX, "Personalens källskatt"),
            (acct::SOCIAL, "Lagstadgade sociala avgifter"),
        ] {
            add(n, name.into());
        }
        accounts.sort_by_key(|a| a.number);
        let dimensions = if municipal {
            let mut d = vec![
                Dimension {
                    number: 1,
                    name: "Ansvar",
                    ids: (0..420).map(|i| 1000 + i * 21).collect(),
                },
                Dimension {
                    number: 6,
                    name: "Projekt",
                    ids: (0..320).map(|i| 5000 + i * 3).collect(),
                },
            ];
            if profile == Profile::Raindance {
                d.push(Dimension {
                    number: 20,
                    name: "Verksamhet",
                    ids: (0..80).map(|i| 100 + i * 7).collect(),
                });
            }
            d
        } else {
            vec![
                Dimension {
                    number: 1,
                    name: "Kostnadsställe",
                    ids: (10..50).collect(),
                },
                Dimension {
                    number: 6,
                    name: "Projekt",
                    ids: (1..31).collect(),
                },
            ]
        };
        Chart {
            accounts,
            dimensions,
            income,
            internal_income,
            costs,
            internal_costs,
            staff,
            capital,
            assets,
        }
    }

    /// The objects of dimension `number` (empty when the chart has no such dimension).
    pub fn ids(&self, number: u32) -> &[u32] {
        self.dimensions
            .iter()
            .find(|d| d.number == number)
            .map(|d| &d.ids[..])
            .unwrap_or(&[])
    }
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ymd {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31.
    pub day: u8,
}

/// Whether `year` is a leap year.
pub fn leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn month_days(year: i32, month: u8) -> u8 {
    match month {
        2 if leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Ymd {
    /// The `day_index`-th day (0-based) of `year`.
    pub fn from_day(year: i32, mut day_index: u32) -> Ymd {
        let mut month = 1;
        loop {
            let len = month_days(year, month) as u32;
            if day_index < len || month == 12 {
                return Ymd {
                    year,
                    month,
                    day: (day_index.min(len - 1) + 1) as u8,
                };
            }
            day_index -= len;
            month += 1;
        }
    }

    /// `YYYYMMDD`.
    pub fn sie(self) -> u32 {
        self.year as u32 * 10_000 + self.month as u32 * 100 + self.day as u32
    }
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// `#TRANS`.
    Normal,
    /// `#RTRANS` (added after registration; written with a `#TRANS` copy after it).
    Added,
    /// `#BTRANS` (removed after registration; does not count).
    Removed,
}

/// Up to three (dimension, object id) pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Objects {
    len: u8,
    pairs: [(u32, u32); 3],
}

impl Objects {
    /// No objects.
    pub const NONE: Objects = Objects {
        len: 0,
        pairs: [(0, 0); 3],
    };

    /// Adds a pair.
    pub fn push(&mut self, dimension: u32, id: u32) {
        self.pairs[self.len as usize] = (dimension, id);
        self.len += 1;
    }

    /// The pairs.
    pub fn pairs(&self) -> &[(u32, u32)] {
        &self.pairs[..self.len as usize]
    }

    /// The object on `dimension`.
    pub fn get(&self, dimension: u32) -> Option<u32> {
        self.pairs().iter().find(|p| p.0 == dimension).map(|p| p.1)
    }
}

/// A voucher row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// Record kind.
    pub kind: RowKind,
    /// Account number.
    pub account: u32,
    /// Objects.
    pub objects: Objects,
    /// Amount in öre (debit positive).
    pub amount: i64,
    /// Index into [`ROW_TEXTS`] of the row text, for profiles that write one.
    pub text: u8,
}

/// What a voucher is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoucherKind {
    /// Supplier invoice: costs (and VAT) against accounts payable.
    Supplier,
    /// Payroll: thousands of salary rows against tax, social fees and bank.
    Payroll,
    /// Internal charge: internal purchase on one ansvar, internal income on another.
    Internal,
    /// Customer invoice: income against receivables.
    Customer,
    /// Investment: fixed assets on projects against accounts payable.
    Investment,
    /// Depreciation and internal interest.
    Capital,
    /// The monthly contribution (kommunbidrag).
    Contribution,
    /// A supplier invoice corrected after registration (`#BTRANS`, `#RTRANS`).
    Correction,
}

/// A voucher.
#[derive(Debug, Clone)]
pub struct Voucher {
    /// Kind.
    pub kind: VoucherKind,
    /// Series.
    pub series: &'static str,
    /// Number within the series.
    pub number: u32,
    /// Voucher date.
    pub date: Ymd,
    /// Registration date (a few days later, within the year).
    pub registered: Ymd,
    /// Index into [`VOUCHER_TEXTS`].
    pub text: u8,
    /// Rows.
    pub rows: Vec<Row>,
}

impl Voucher {
    /// Row records this voucher writes (an `#RTRANS` writes two: itself and its copy).
    pub fn records(&self) -> u64 {
        self.rows
            .iter()
            .map(|r| if r.kind == RowKind::Added { 2 } else { 1 })
            .sum()
    }
}

/// Per-account totals the generator intends: amounts in öre per (account, month) over
/// counting rows (normal and added; removed rows do not count).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// (account, month 1–12) → öre.
    pub by_month: BTreeMap<(u32, u8), i64>,
    /// Row records written.
    pub records: u64,
    /// Vouchers written.
    pub vouchers: u64,
}

impl Totals {
    /// Adds the counting rows of `v`.
    pub fn add(&mut self, v: &Voucher) {
        for r in &v.rows {
            if r.kind != RowKind::Removed {
                *self.by_month.entry((r.account, v.date.month)).or_default() += r.amount;
            }
        }
        self.records += v.records();
        self.vouchers += 1;
    }

    /// Whole-year total per account.
    pub fn by_account(&self) -> BTreeMap<u32, i64> {
        let mut out = BTreeMap::new();
        for (&(a, _), &v) in &self.by_month {
            *out.entry(a).or_default() += v;
        }
        out
    }
}

/// Draws the vouchers of one fiscal year, one at a time, until the spec's number of row
/// records is written exactly.
pub struct Generator {
    chart: Chart,
    profile: Profile,
    year: i32,
    target: u64,
    written: u64,
    month: u8,
    numbers: [u32; 8],
    rng: ChaCha8Rng,
    seed: u64,
    /// (kind, probability weight per voucher) for the ordinary kinds.
    weights: Vec<(VoucherKind, f64)>,
    payroll_size: (u64, u64),
}

impl Generator {
    /// A generator for `spec`.
    pub fn new(spec: &LedgerSpec) -> Generator {
        let profile = spec.profile;
        let municipal = profile.municipal();
        let cap = (spec.rows / 50).max(4);
        let payroll_size = if municipal {
            (1000.min(cap), 5000.min(cap))
        } else {
            (20.min(cap), 200.min(cap))
        };
        let avg_payroll = (payroll_size.0 + payroll_size.1) as f64 / 2.0;
        // Share of rows per kind, and the mean rows per voucher of each kind.
        let shares: Vec<(VoucherKind, f64, f64)> = if municipal {
            vec![
                (VoucherKind::Payroll, 0.35, avg_payroll),
                (VoucherKind::Supplier, 0.35, 4.0),
                (VoucherKind::Internal, 0.10, 3.0),
                (VoucherKind::Customer, 0.08, 3.0),
                (VoucherKind::Investment, 0.04, 3.0),
                (VoucherKind::Capital, 0.08, 6.0),
            ]
        } else {
            let mut s = vec![
                (VoucherKind::Payroll, 0.15, avg_payroll),
                (VoucherKind::Supplier, 0.40, 4.0),
                (VoucherKind::Customer, 0.25, 3.0),
                (VoucherKind::Internal, 0.05, 3.0),
                (VoucherKind::Investment, 0.03, 3.0),
                (VoucherKind::Capital, 0.07, 4.0),
            ];
            if profile.corrections() {
                s.push((VoucherKind::Correction, 0.05, 5.0));
            }
            s
        };
        let weights = shares
            .into_iter()
            .map(|(k, share, size)| (k, share / size))
            .collect();
        let seed = spec.seed ^ (spec.year as u64).wrapping_mul(0x9E37_79B9);
        Generator {
            chart: Chart::new(profile),
            profile,
            year: spec.year,
            target: spec.rows,
            written: 0,
            month: 0,
            numbers: [0; 8],
            rng: ChaCha8Rng::seed_from_u64(seed),
            seed,
            weights,
            payroll_size,
        }
    }

    /// The chart used.
    pub fn chart(&self) -> &Chart {
        &self.chart
    }

    /// A random generator for header records (`#PSALDO`, `#PBUDGET`), independent of the
    /// voucher draws.
    pub fn side_rng(&self, salt: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(self.seed ^ salt)
    }

    /// Fills `v` with the next voucher; false when the spec's rows are all written.
    pub fn next_into(&mut self, v: &mut Voucher) -> bool {
        let remaining = self.target - self.written;
        if remaining < 2 {
            return false;
        }
        let days = if leap(self.year) { 366 } else { 365 };
        let day = (self.written as u128 * days as u128 / self.target.max(1) as u128) as u32;
        let date = Ymd::from_day(self.year, day);
        let kind = if date.month != self.month {
            self.month = date.month;
            VoucherKind::Contribution
        } else {
            self.pick_kind()
        };
        let mut n = match kind {
            VoucherKind::Payroll => self
                .rng
                .gen_range(self.payroll_size.0..=self.payroll_size.1),
            VoucherKind::Supplier => self.rng.gen_range(2..=6),
            VoucherKind::Internal | VoucherKind::Customer => self.rng.gen_range(2..=4),
            VoucherKind::Investment => self.rng.gen_range(2..=3),
            VoucherKind::Capital => self.rng.gen_range(2..=10),
            VoucherKind::Contribution => 2,
            VoucherKind::Correction => self.rng.gen_range(4..=6),
        }
        .min(remaining);
        if remaining - n == 1 {
            n += 1;
        }
        let kind = match kind {
            VoucherKind::Payroll | VoucherKind::Correction if n < 4 => VoucherKind::Supplier,
            k => k,
        };
        v.kind = kind;
        v.rows.clear();
        v.date = match kind {
            VoucherKind::Payroll => Ymd { day: 25, ..date },
            VoucherKind::Contribution => Ymd { day: 1, ..date },
            _ => date,
        };
        let reg_day =
            (v.date.day + self.rng.gen_range(0..4)).min(month_days(self.year, date.month));
        v.registered = Ymd {
            day: reg_day,
            ..v.date
        };
        // Corrections are supplier invoices: one series, one number sequence.
        let slot = match kind {
            VoucherKind::Correction => VoucherKind::Supplier as usize,
            k => k as usize,
        };
        self.numbers[slot] += 1;
        v.number = self.numbers[slot];
        v.series = self.series(kind);
        v.text = match kind {
            VoucherKind::Payroll => 11,
            VoucherKind::Capital => 9,
            VoucherKind::Investment => 10,
            VoucherKind::Internal => 4,
            VoucherKind::Customer => 5,
            VoucherKind::Contribution => 12,
            _ => self.rng.gen_range(0..9),
        };
        self.fill(kind, n, v);
        debug_assert_eq!(v.records(), n);
        debug_assert_eq!(
            v.rows
                .iter()
                .filter(|r| r.kind != RowKind::Removed)
                .map(|r| r.amount)
                .sum::<i64>(),
            0
        );
        self.written += n;
        true
    }

    fn series(&self, kind: VoucherKind) -> &'static str {
        let municipal = self.profile.municipal();
        match (kind, municipal) {
            (VoucherKind::Supplier | VoucherKind::Correction, true) => "LF",
            (VoucherKind::Payroll, true) => "LON",
            (VoucherKind::Internal, true) => "IF",
            (VoucherKind::Customer, true) => "KF",
            (VoucherKind::Investment, true) => "INV",
            (VoucherKind::Capital, true) => "AVS",
            (VoucherKind::Contribution, true) => "KB",
            (VoucherKind::Supplier | VoucherKind::Correction, false) => "D",
            (VoucherKind::Payroll, false) => "L",
            (VoucherKind::Internal, false) => "I",
            (VoucherKind::Customer, false) => "B",
            (VoucherKind::Investment, false) => "E",
            (VoucherKind::Capital, false) => "F",
            (VoucherKind::Contribution, false) => "A",
        }
    }

    fn pick_kind(&mut self) -> VoucherKind {
        let total: f64 = self.weights.iter().map(|w| w.1).sum();
        let mut x = self.rng.gen::<f64>() * total;
        for &(k, w) in &self.weights {
            if x < w {
                return k;
            }
            x -= w;
        }
        self.weights[0].0
    }

    fn pick(&mut self, list: fn(&Chart) -> &Vec<u32>) -> u32 {
        let from = list(&self.chart);
        from[self.rng.gen_range(0..from.len())]
    }

    /// An object list for a result row: always an ansvar (so that it is in a report's
    /// scope), often a project, for Raindance usually a verksamhet.
    fn result_objects(&mut self, project_share: f64) -> Objects {
        let mut o = Objects::default();
        let ansvar = self.pick_dim(1);
        o.push(1, ansvar);
        if self.profile == Profile::Raindance && self.rng.gen_bool(0.7) {
            let v = self.pick_dim(20);
            o.push(20, v);
        }
        if self.rng.gen_bool(project_share) {
            let p = self.pick_dim(6);
            o.push(6, p);
        }
        o
    }

    fn pick_dim(&mut self, number: u32) -> u32 {
        let len = self.chart.ids(number).len();
        let k = self.rng.gen_range(0..len);
        self.chart.ids(number)[k]
    }

    /// An amount in öre between `lo` and `hi` kronor; BL books mostly whole kronor.
    fn amount(&mut self, lo: i64, hi: i64) -> i64 {
        let ore = self.rng.gen_range(lo * 100..=hi * 100);
        if self.profile == Profile::Bl && self.rng.gen_bool(0.8) {
            ore / 100 * 100
        } else {
            ore
        }
    }

    fn row(&mut self, kind: RowKind, account: u32, objects: Objects, amount: i64) -> Row {
        Row {
            kind,
            account,
            objects,
            amount,
            text: self.rng.gen_range(0..ROW_TEXTS.len() as u8),
        }
    }

    fn fill(&mut self, kind: VoucherKind, n: u64, v: &mut Voucher) {
        let rows = &mut v.rows;
        let mut sum = 0i64;
        let normal = RowKind::Normal;
        match kind {
            VoucherKind::Supplier => {
                let vat = n >= 3 && self.rng.gen_bool(0.5);
                let costs = n - 1 - vat as u64;
                for _ in 0..costs {
                    let a = self.pick(|c| &c.costs);
                    let o = self.result_objects(0.3);
                    let amt = self.amount(100, 50_000);
                    sum += amt;
                    rows.push(self.row(normal, a, o, amt));
                }
                if vat {
                    let amt = sum / 4;
                    sum += amt;
                    rows.push(self.row(normal, acct::VAT_IN, Objects::NONE, amt));
                }
                rows.push(self.row(normal, acct::PAYABLES, Objects::NONE, -sum));
            }
            VoucherKind::Correction => {
                // Originally booked on one cost account; moved to another after registration.
                let a = self.pick(|c| &c.costs);
                let b = self.pick(|c| &c.costs);
                let o = self.result_objects(0.2);
                let amt = self.amount(100, 20_000);
                rows.push(self.row(RowKind::Removed, a, o, amt));
                rows.push(self.row(RowKind::Added, b, o, amt));
                sum += amt;
                for _ in 0..n - 4 {
                    let a = self.pick(|c| &c.costs);
                    let o = self.result_objects(0.2);
                    let amt = self.amount(100, 20_000);
                    sum += amt;
                    rows.push(self.row(normal, a, o, amt));
                }
                rows.push(self.row(normal, acct::PAYABLES, Objects::NONE, -sum));
            }
            VoucherKind::Payroll => {
                for _ in 0..n - 3 {
                    let a = self.pick(|c| &c.staff);
                    let o = self.result_objects(0.1);
                    let amt = self.amount(2_000, 60_000);
                    sum += amt;
                    rows.push(self.row(normal, a, o, amt));
                }
                let tax = sum * 3 / 10;
                let social = sum / 4;
                rows.push(self.row(normal, acct::TAX, Objects::NONE, -tax));
                rows.push(self.row(normal, acct::SOCIAL, Objects::NONE, -social));
                rows.push(self.row(normal, acct::BANK, Objects::NONE, -(sum - tax - social)));
            }
            VoucherKind::Internal => {
                for k in 0..n - 1 {
                    if k % 2 == 0 {
                        let a = self.pick(|c| &c.internal_costs);
                        let o = self.result_objects(0.0);
                        let amt = self.amount(500, 80_000);
                        sum += amt;
                        rows.push(self.row(normal, a, o, amt));
                    } else {
                        let a = self.pick(|c| &c.internal_income);
                        let o = self.result_objects(0.0);
                        let amt = -rows[k as usize - 1].amount;
                        sum += amt;
                        rows.push(self.row(normal, a, o, amt));
                    }
                }
                let a = self.pick(|c| &c.internal_income);
                let o = self.result_objects(0.0);
                rows.push(self.row(normal, a, o, -sum));
            }
            VoucherKind::Customer => {
                for _ in 0..n - 1 {
                    let a = self.pick(|c| &c.income);
                    let o = self.result_objects(0.2);
                    let amt = -self.amount(100, 30_000);
                    sum += amt;
                    rows.push(self.row(normal, a, o, amt));
                }
                rows.push(self.row(normal, acct::RECEIVABLES, Objects::NONE, -sum));
            }
            VoucherKind::Investment => {
                for _ in 0..n - 1 {
                    let a = self.pick(|c| &c.assets);
                    let mut o = Objects::default();
                    let ansvar = self.pick_dim(1);
                    let project = self.pick_dim(6);
                    o.push(1, ansvar);
                    o.push(6, project);
                    let amt = self.amount(10_000, 900_000);
                    sum += amt;
                    rows.push(self.row(normal, a, o, amt));
                }
                rows.push(self.row(normal, acct::PAYABLES, Objects::NONE, -sum));
            }
            VoucherKind::Capital => {
                for _ in 0..n - 1 {
                    let a = self.pick(|c| &c.capital);
                    let o = self.result_objects(0.0);
                    let amt = self.amount(1_000, 200_000);
                    sum += amt;
                    rows.push(self.row(normal, a, o, amt));
                }
                rows.push(self.row(normal, acct::ACC_DEPRECIATION, Objects::NONE, -sum));
            }
            VoucherKind::Contribution => {
                let mut o = Objects::default();
                o.push(1, self.chart.ids(1)[0]);
                // Scaled with the ledger so that the result stays in proportion.
                let per_month = (self.target as i64 * 100_000).max(100_000);
                let amt = per_month + self.rng.gen_range(0..per_month / 100);
                rows.push(self.row(normal, acct::CONTRIBUTION, o, -amt));
                rows.push(self.row(normal, acct::BANK, Objects::NONE, amt));
            }
        }
    }
}

/// The vouchers of `spec`, with the totals, drawn fully (for tests and small ledgers).
pub fn vouchers(spec: &LedgerSpec) -> (Chart, Vec<Voucher>, Totals) {
    let mut g = Generator::new(spec);
    let mut out = Vec::new();
    let mut totals = Totals::default();
    let mut v = Voucher::empty();
    while g.next_into(&mut v) {
        totals.add(&v);
        out.push(v.clone());
    }
    (g.chart, out, totals)
}

/// The totals of `spec` without writing anything.
pub fn totals(spec: &LedgerSpec) -> Totals {
    let mut g = Generator::new(spec);
    let mut totals = Totals::default();
    let mut v = Voucher::empty();
    while g.next_into(&mut v) {
        totals.add(&v);
    }
    totals
}

impl Voucher {
    /// A voucher to fill with [`Generator::next_into`].
    pub fn empty() -> Voucher {
        Voucher {
            kind: VoucherKind::Supplier,
            series: "",
            number: 0,
            date: Ymd {
                year: 0,
                month: 1,
                day: 1,
            },
            registered: Ymd {
                year: 0,
                month: 1,
                day: 1,
            },
            text: 0,
            rows: Vec::new(),
        }
    }
}
