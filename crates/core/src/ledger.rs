//! Normalise stage for the ledger: SIE files (via `delar-sie`) become postings with
//! account, year, month, objects and amount in öre, plus what the balance check needs.

use crate::error::LoadError;
use crate::money::{Date, MAX_AMOUNT_ORE};
use std::sync::Arc;

/// One amount of the ledger in a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// Account number.
    pub account: u32,
    /// Calendar year.
    pub year: i32,
    /// Month 1..=12.
    pub month: u32,
    /// Objects as (dimension, id); ids are shared with the SIE reader's interned text.
    pub objects: Vec<(u32, Arc<str>)>,
    /// Amount in öre (debit positive, credit negative).
    pub amount: i64,
}

impl Posting {
    /// The object on `dimension`, if any.
    pub fn object(&self, dimension: u32) -> Option<&str> {
        self.objects
            .iter()
            .find(|(d, _)| *d == dimension)
            .map(|(_, id)| &**id)
    }
}

/// What a ledger file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerKind {
    /// SIE 4: vouchers.
    Vouchers,
    /// SIE 2/3: period balances (#PSALDO).
    PeriodBalances,
}

/// A voucher whose counting rows do not sum to zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnbalancedVoucher {
    /// Series and number, e.g. `A 12`.
    pub id: String,
    /// Line of `#VER`.
    pub line: u32,
    /// The difference in öre.
    pub difference: i64,
}

/// A normalised ledger file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    /// Path inside the package.
    pub path: String,
    /// Vouchers or period balances.
    pub kind: LedgerKind,
    /// Every counting amount with a numeric account.
    pub postings: Vec<Posting>,
    /// Vouchers that do not balance.
    pub unbalanced: Vec<UnbalancedVoucher>,
    /// Number of vouchers (0 for period balances).
    pub voucher_count: usize,
    /// First and last day of the file's current fiscal year (#RAR 0), when given.
    pub fiscal_year: Option<(Date, Date)>,
    /// Removed rows (#BTRANS) that were skipped.
    pub removed_rows: usize,
    /// Accounts that are not numbers, with their summed amounts (left out of the postings).
    pub non_numeric_accounts: Vec<(String, i64)>,
}

impl Ledger {
    /// A ledger built directly from postings (tests, other sources).
    pub fn from_postings(path: &str, postings: Vec<Posting>) -> Ledger {
        Ledger {
            path: path.to_string(),
            kind: LedgerKind::Vouchers,
            postings,
            unbalanced: Vec::new(),
            voucher_count: 0,
            fiscal_year: None,
            removed_rows: 0,
            non_numeric_accounts: Vec::new(),
        }
    }

    /// Sum of all postings (zero for a balanced voucher ledger).
    pub fn total(&self) -> i64 {
        self.postings.iter().map(|p| p.amount).sum::<i64>()
            + self
                .non_numeric_accounts
                .iter()
                .map(|(_, a)| a)
                .sum::<i64>()
    }
}

fn numeric_account(text: &str) -> Option<u32> {
    let t = text.trim();
    (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

fn add_non_numeric(list: &mut Vec<(String, i64)>, account: &str, amount: i64) {
    match list.iter_mut().find(|(a, _)| a == account) {
        Some((_, sum)) => *sum += amount,
        None => list.push((account.to_string(), amount)),
    }
}

/// Reads a ledger file with `delar-sie`. Syntax errors stop the load; unbalanced
/// vouchers are kept for the `ledger_balanced` check.
pub fn read_ledger(path: &str, bytes: &[u8]) -> Result<Ledger, LoadError> {
    let parsed = delar_sie::parse(bytes, &delar_sie::ParseOptions::new(path).lenient());
    let errors: Vec<String> = parsed.errors().map(|d| d.to_string()).collect();
    if !errors.is_empty() {
        let shown = errors.iter().take(10).cloned().collect::<Vec<_>>();
        let more = errors.len().saturating_sub(shown.len());
        let mut message = shown.join("; ");
        if more > 0 {
            message.push_str(&format!(" (och {more} fel till)"));
        }
        return Err(LoadError::Sie {
            path: path.to_string(),
            message,
        });
    }
    check_amounts(path, &parsed.file)?;
    Ok(ledger_from_sie(path, &parsed.file))
}

/// Rejects amounts above [`MAX_AMOUNT_ORE`] so that sums cannot overflow.
fn check_amounts(path: &str, file: &delar_sie::SieFile) -> Result<(), LoadError> {
    let too_big = |line: u32, ore: i64| -> Result<(), LoadError> {
        if ore.abs() > MAX_AMOUNT_ORE {
            return Err(LoadError::Sie {
                path: path.to_string(),
                message: format!(
                    "rad {line}: beloppet {} kr är orimligt stort (högst 100 000 000 000 kr per rad)",
                    crate::money::format_kronor(ore)
                ),
            });
        }
        Ok(())
    };
    for v in file.vouchers.iter() {
        for r in v.rows() {
            too_big(r.line(), r.amount().ore())?;
        }
    }
    for p in file.period_balances.iter().chain(&file.period_budgets) {
        too_big(p.line, p.amount.ore())?;
    }
    Ok(())
}

/// Turns a read SIE file into postings. SIE 4 (vouchers): each counting row (#TRANS,
/// #RTRANS with its copy counted once) in the month of its booking date,
/// `delar_sie::RowRef::booking_date` (the rule is stated in `delar_sie::vouchers`; `delar sie
/// balances` uses the same); removed rows (#BTRANS) are skipped. Without vouchers: #PSALDO of
/// year 0, per month, with its objects.
pub fn ledger_from_sie(path: &str, file: &delar_sie::SieFile) -> Ledger {
    let mut postings = Vec::new();
    let mut unbalanced = Vec::new();
    let mut non_numeric = Vec::new();
    let mut removed_rows = 0;
    let kind = if !file.vouchers.is_empty() || file.sie_type == Some(delar_sie::SieType::Type4) {
        LedgerKind::Vouchers
    } else {
        LedgerKind::PeriodBalances
    };
    match kind {
        LedgerKind::Vouchers => {
            for v in file.vouchers.iter() {
                let difference = v.balance().ore();
                if difference != 0 {
                    let id = format!("{} {}", v.series(), v.number()).trim().to_string();
                    unbalanced.push(UnbalancedVoucher {
                        id,
                        line: v.line(),
                        difference,
                    });
                }
                for row in v.rows() {
                    if !row.kind().counts() {
                        removed_rows += 1;
                        continue;
                    }
                    let date = row.booking_date(&v);
                    let amount = row.amount().ore();
                    match numeric_account(row.account()) {
                        Some(account) => postings.push(Posting {
                            account,
                            year: i32::from(date.year),
                            month: u32::from(date.month),
                            objects: row.objects().map(|(d, id)| (d, id.clone())).collect(),
                            amount,
                        }),
                        None => add_non_numeric(&mut non_numeric, row.account(), amount),
                    }
                }
            }
        }
        LedgerKind::PeriodBalances => {
            for p in file.period_balances.iter().filter(|p| p.year == 0) {
                let amount = p.amount.ore();
                match numeric_account(&p.account) {
                    Some(account) => postings.push(Posting {
                        account,
                        year: i32::from(p.period.year),
                        month: u32::from(p.period.month),
                        objects: p
                            .objects
                            .iter()
                            .map(|o| (o.dimension, o.id.clone()))
                            .collect(),
                        amount,
                    }),
                    None => add_non_numeric(&mut non_numeric, &p.account, amount),
                }
            }
        }
    }
    Ledger {
        path: path.to_string(),
        kind,
        postings,
        unbalanced,
        voucher_count: file.vouchers.len(),
        fiscal_year: file.fiscal_year(0).and_then(|y| {
            let d = |x: delar_sie::Date| {
                Date::new(i32::from(x.year), u32::from(x.month), u32::from(x.day))
            };
            Some((d(y.start)?, d(y.end)?))
        }),
        removed_rows,
        non_numeric_accounts: non_numeric,
    }
}

/// Reads the #PBUDGET records of year 0 of an SIE file as budget lines (objects on
/// `dimension` become the ansvar). Records with objects on other dimensions only, and
/// account totals when object records exist for the same account, are not double counted:
/// an account's object records are used when it has any, else its total.
pub fn budget_from_sie(
    path: &str,
    bytes: &[u8],
    dimension: u32,
) -> Result<Vec<crate::sources::BudgetLine>, LoadError> {
    let parsed = delar_sie::parse(bytes, &delar_sie::ParseOptions::new(path).lenient());
    let errors: Vec<String> = parsed.errors().map(|d| d.to_string()).collect();
    if !errors.is_empty() {
        return Err(LoadError::Sie {
            path: path.to_string(),
            message: errors.into_iter().take(10).collect::<Vec<_>>().join("; "),
        });
    }
    check_amounts(path, &parsed.file)?;
    let records: Vec<&delar_sie::PeriodBalance> = parsed
        .file
        .period_budgets
        .iter()
        .filter(|p| p.year == 0)
        .collect();
    let with_objects: std::collections::BTreeSet<&str> = records
        .iter()
        .filter(|p| p.objects.get(dimension).is_some())
        .map(|p| &*p.account)
        .collect();
    let mut out = Vec::new();
    for p in records {
        let ansvar = p.objects.get(dimension).map(|s| s.to_string());
        if ansvar.is_none() && (with_objects.contains(&*p.account) || !p.objects.is_empty()) {
            continue;
        }
        let account = numeric_account(&p.account).ok_or_else(|| LoadError::Sie {
            path: path.to_string(),
            message: format!("rad {}: kontot \"{}\" är inget nummer", p.line, p.account),
        })?;
        out.push(crate::sources::BudgetLine {
            account,
            ansvar,
            amount: p.amount.ore(),
            origin: (path.to_string(), p.line as usize),
        });
    }
    Ok(out)
}
