//! Account balances per month, derived from vouchers, `#PSALDO`, or `#RES`/`#UB`, so that
//! files of different SIE types describing the same books can be compared.

use crate::amount::Amount;
use crate::date::Period;
use crate::model::*;
use crate::vouchers::VoucherRef;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::fmt;

/// Where the balances come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BalanceSource {
    /// `#TRANS`/`#RTRANS` rows aggregated per account and month of their booking date
    /// ([`crate::RowRef::booking_date`]; the rule is in [`crate::vouchers`]).
    #[serde(rename = "TRANS")]
    Transactions,
    /// `#PSALDO` rows.
    #[serde(rename = "PSALDO")]
    PeriodBalances,
    /// `#RES` (result accounts) and `#UB` (balance accounts) for the whole year.
    #[serde(rename = "RES+UB")]
    YearBalances,
    /// The file holds none of these for the year.
    #[serde(rename = "none")]
    Nothing,
}

impl fmt::Display for BalanceSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BalanceSource::Transactions => "#TRANS (verifikationsrader per konto och månad)",
            BalanceSource::PeriodBalances => "#PSALDO (periodsaldon)",
            BalanceSource::YearBalances => "#RES och #UB (helårsbelopp)",
            BalanceSource::Nothing => {
                "inget (inga verifikationer, #PSALDO, #RES eller #UB för året)"
            }
        })
    }
}

/// One balance: an account's amount for a month (or the year) and, optionally, objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BalanceRow {
    /// Account number.
    pub account: Sym,
    /// Month; `None` for a whole-year figure.
    pub period: Option<Period>,
    /// Empty: the account's total over all objects. Otherwise the amount for these objects
    /// (an addition to the total, not a part of it to be summed with the total).
    pub objects: ObjectList,
    /// Amount.
    pub amount: Amount,
}

/// Balances of one year of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Balances {
    /// Where they come from.
    pub source: BalanceSource,
    /// Year index (0 current, -1 prior).
    pub year: i32,
    /// Rows sorted by account, period, then the total before object rows.
    pub rows: Vec<BalanceRow>,
}

/// Aggregates voucher rows per account and month (and per object) one voucher at a time,
/// so that it also works with the streaming reader.
#[derive(Debug, Default)]
pub struct TransAggregator {
    range: Option<FiscalYear>,
    totals: FxHashMap<(Sym, Period), Amount>,
    by_object: FxHashMap<(Sym, Period, ObjectRef), Amount>,
    vouchers: usize,
}

impl TransAggregator {
    /// Aggregates vouchers dated within `year` (all vouchers when `None`).
    pub fn new(year: Option<FiscalYear>) -> Self {
        TransAggregator {
            range: year,
            ..Default::default()
        }
    }

    /// Adds the counting rows (normal and added) of `v` whose booking date
    /// ([`crate::RowRef::booking_date`], the same rule as the report engine's) is in the
    /// year, each in the month of that date. A row dated outside the year draws a warning
    /// from the reader.
    pub fn add(&mut self, v: &VoucherRef<'_>) {
        let in_year = |d| self.range.as_ref().is_none_or(|y| y.contains(d));
        if in_year(v.date()) {
            self.vouchers += 1;
        }
        for r in v.rows().filter(|r| r.kind().counts()) {
            let date = r.booking_date(v);
            if !in_year(date) {
                continue;
            }
            let period = date.period();
            let account = r.account_sym();
            *self.totals.entry((account.clone(), period)).or_default() += r.amount();
            for (dimension, id) in r.objects() {
                let o = ObjectRef {
                    dimension,
                    id: id.clone(),
                };
                *self
                    .by_object
                    .entry((account.clone(), period, o))
                    .or_default() += r.amount();
            }
        }
    }

    /// Number of vouchers added that are dated in the year.
    pub fn voucher_count(&self) -> usize {
        self.vouchers
    }

    /// The rows, sorted.
    pub fn into_rows(self) -> Vec<BalanceRow> {
        let mut rows: Vec<BalanceRow> = self
            .totals
            .into_iter()
            .map(|((account, p), amount)| BalanceRow {
                account,
                period: Some(p),
                objects: ObjectList::new(),
                amount,
            })
            .chain(self.by_object.into_iter().map(|((account, p, o), amount)| {
                let mut objects = ObjectList::new();
                objects.push(o.dimension, o.id);
                BalanceRow {
                    account,
                    period: Some(p),
                    objects,
                    amount,
                }
            }))
            .collect();
        sort_rows(&mut rows);
        rows
    }
}

fn object_key(o: &ObjectList) -> Vec<(u32, &str)> {
    o.iter().map(|r| (r.dimension, &*r.id)).collect()
}

fn sort_rows(rows: &mut [BalanceRow]) {
    rows.sort_by(|a, b| {
        (
            &*a.account,
            a.period,
            a.objects.len(),
            object_key(&a.objects),
        )
            .cmp(&(
                &*b.account,
                b.period,
                b.objects.len(),
                object_key(&b.objects),
            ))
    });
}

/// Balances of year `year` (0 current, -1 prior): from vouchers when the file has vouchers
/// in that year, else from `#PSALDO`, else from `#RES` and `#UB`.
pub fn balances(file: &SieFile, year: i32) -> Balances {
    let range = file.fiscal_year(year).copied();
    if !file.vouchers.is_empty() && (range.is_some() || year == 0) {
        let mut agg = TransAggregator::new(range);
        for v in file.vouchers.iter() {
            agg.add(&v);
        }
        if agg.voucher_count() > 0 {
            return Balances {
                source: BalanceSource::Transactions,
                year,
                rows: agg.into_rows(),
            };
        }
    }
    from_balances(file, year)
}

/// Balances from `#PSALDO`, else `#RES`/`#UB`/`#OUB` (ignoring vouchers).
pub fn from_balances(file: &SieFile, year: i32) -> Balances {
    let ps: Vec<&PeriodBalance> = file
        .period_balances
        .iter()
        .filter(|p| p.year == year)
        .collect();
    if !ps.is_empty() {
        let mut rows: Vec<BalanceRow> = ps
            .into_iter()
            .map(|p| BalanceRow {
                account: p.account.clone(),
                period: Some(p.period),
                objects: p.objects.clone(),
                amount: p.amount,
            })
            .collect();
        sort_rows(&mut rows);
        return Balances {
            source: BalanceSource::PeriodBalances,
            year,
            rows,
        };
    }
    let mut rows: Vec<BalanceRow> = file
        .results
        .iter()
        .chain(&file.closing_balances)
        .filter(|b| b.year == year)
        .map(|b| BalanceRow {
            account: b.account.clone(),
            period: None,
            objects: ObjectList::new(),
            amount: b.amount,
        })
        .chain(
            file.object_closing_balances
                .iter()
                .filter(|b| b.year == year && !b.objects.is_empty())
                .map(|b| BalanceRow {
                    account: b.account.clone(),
                    period: None,
                    objects: b.objects.clone(),
                    amount: b.amount,
                }),
        )
        .collect();
    sort_rows(&mut rows);
    let source = if rows.is_empty() {
        BalanceSource::Nothing
    } else {
        BalanceSource::YearBalances
    };
    Balances { source, year, rows }
}
