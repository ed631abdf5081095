//! The same vouchers as plain-text accounting journals, for the side-by-side comparison:
//! hledger's journal format and ledger-cli's, each with a monthly periodic budget, so that
//! `hledger balance --budget -M` and `ledger --budget -M balance` do the same work as
//! `delar report` on the package.

use crate::model::{Generator, RowKind, Totals, Voucher, VOUCHER_TEXTS};
use crate::LedgerSpec;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Which program reads the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// hledger.
    Hledger,
    /// ledger-cli.
    Ledger,
}

/// `1234.50`, `-0.05`: öre as a decimal amount with two decimals.
pub fn decimal(ore: i64) -> String {
    let sign = if ore < 0 { "-" } else { "" };
    let a = ore.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Writes the budget (per account and month, öre) as one monthly periodic transaction
/// balanced against `2999`, then every year of `specs` (oldest first) as transactions;
/// returns the totals of each year.
pub fn write_journal<W: Write>(
    specs: &[LedgerSpec],
    budget: &BTreeMap<u32, i64>,
    budget_year: i32,
    flavour: Flavour,
    mut out: W,
) -> io::Result<Vec<Totals>> {
    let (from, to) = (
        format!("{budget_year}-01-01"),
        format!("{}-01-01", budget_year + 1),
    );
    match flavour {
        Flavour::Hledger => writeln!(out, "~ monthly from {from} to {to}  budget")?,
        Flavour::Ledger => writeln!(out, "~ Monthly from {from} to {to}")?,
    }
    let mut sum = 0i64;
    for (&account, &year) in budget {
        let monthly = year / 12;
        sum += monthly;
        writeln!(out, "    {account}    {}", decimal(monthly))?;
    }
    writeln!(out, "    2999    {}", decimal(-sum))?;
    writeln!(out)?;
    let mut all = Vec::new();
    for spec in specs {
        let mut g = Generator::new(spec);
        let mut v = Voucher::empty();
        let mut totals = Totals::default();
        while g.next_into(&mut v) {
            totals.add(&v);
            let d = v.date;
            writeln!(
                out,
                "{:04}-{:02}-{:02} {}{} {}",
                d.year, d.month, d.day, v.series, v.number, VOUCHER_TEXTS[v.text as usize]
            )?;
            for r in v.rows.iter().filter(|r| r.kind != RowKind::Removed) {
                writeln!(out, "    {}    {}", r.account, decimal(r.amount))?;
            }
            writeln!(out)?;
        }
        all.push(totals);
    }
    out.flush()?;
    Ok(all)
}
