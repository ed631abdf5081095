//! The Övningsbolaget cross-check of PROVENANCE.md: #TRANS aggregated per account and month
//! equals the type 2 file's #PSALDO (year 0, no object), and per account over the year the
//! type 1 file's #RES (year 0). Zero differences, to the öre.

mod common;

use delar_sie::{balances, parse, Amount, BalanceSource, ParseOptions, Period, SieFile};
use std::collections::BTreeMap;

fn read(name: &str) -> SieFile {
    let bytes = std::fs::read(common::corpus_dir().join(name)).unwrap();
    parse(&bytes, &ParseOptions::new(name))
        .into_result()
        .unwrap()
}

fn nonzero<K: Ord>(m: BTreeMap<K, Amount>) -> BTreeMap<K, Amount> {
    m.into_iter().filter(|(_, a)| !a.is_zero()).collect()
}

#[test]
fn transactions_match_period_balances_and_results() {
    let t4 = read("transaktioner_ovnbolag.se");
    let t2 = read("periodsaldo_ovnbolag.se");
    let t1 = read("arsaldo_ovnbolag.se");

    let from_trans = balances(&t4, 0);
    assert_eq!(from_trans.source, BalanceSource::Transactions);
    let monthly: BTreeMap<(String, Period), Amount> = from_trans
        .rows
        .iter()
        .filter(|r| r.objects.is_empty())
        .map(|r| ((r.account.to_string(), r.period.unwrap()), r.amount))
        .collect();

    let mut psaldo: BTreeMap<(String, Period), Amount> = BTreeMap::new();
    for p in t2
        .period_balances
        .iter()
        .filter(|p| p.year == 0 && p.objects.is_empty())
    {
        *psaldo.entry((p.account.to_string(), p.period)).or_default() += p.amount;
    }
    assert!(psaldo.len() > 50, "{} #PSALDO rows", psaldo.len());
    let (monthly_nz, psaldo_nz) = (nonzero(monthly.clone()), nonzero(psaldo));
    let diffs: Vec<_> = monthly_nz
        .keys()
        .chain(psaldo_nz.keys())
        .filter(|k| monthly_nz.get(*k) != psaldo_nz.get(*k))
        .collect();
    assert!(
        diffs.is_empty(),
        "per month: {} differences: {diffs:?}",
        diffs.len()
    );

    // Per account over the year against #RES of the type 1 file.
    let mut yearly: BTreeMap<String, Amount> = BTreeMap::new();
    for ((acc, _), a) in &monthly {
        *yearly.entry(acc.clone()).or_default() += *a;
    }
    let res: BTreeMap<String, Amount> = t1
        .results
        .iter()
        .filter(|r| r.year == 0)
        .map(|r| (r.account.to_string(), r.amount))
        .collect();
    assert!(res.len() > 20, "{} #RES rows", res.len());
    for (acc, amount) in &res {
        assert_eq!(
            yearly.get(acc).copied().unwrap_or_default(),
            *amount,
            "account {acc}"
        );
    }
    // Every result account with a yearly movement has its #RES row.
    let result_accounts = nonzero(
        yearly
            .into_iter()
            .filter(|(a, _)| a.as_bytes()[0] >= b'3')
            .collect(),
    );
    for (acc, amount) in &result_accounts {
        assert_eq!(res.get(acc), Some(amount), "account {acc} has no #RES");
    }
}
