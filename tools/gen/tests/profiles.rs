//! Every generator profile writes a file that `delar-sie` reads without a single
//! diagnostic (whole-buffer and streaming, with and without `#KSUMMA`, CRLF and LF) and
//! whose balances are, to the öre, the totals the generator intended; a generated package
//! passes every check of `delar check`. This keeps the profiles realistic and readable.

use delar_gen::model::RowKind;
use delar_gen::package::{write_package, PackageSpec};
use delar_gen::sie::write_ledger;
use delar_gen::{LedgerSpec, LineEnd, Profile, Totals};
use delar_sie::{balances, parse, ParseOptions, SieReader, TransAggregator};
use std::collections::BTreeMap;

const ROWS: u64 = 20_000;

fn generate(spec: &LedgerSpec) -> (Vec<u8>, Totals) {
    let mut bytes = Vec::new();
    let (totals, written) = write_ledger(spec, &mut bytes).expect("in memory");
    assert_eq!(written, bytes.len() as u64);
    (bytes, totals)
}

/// The account × month totals without objects, as `delar_sie` reports them.
fn read_totals(rows: &[delar_sie::BalanceRow]) -> BTreeMap<(u32, u8), i64> {
    let mut out = BTreeMap::new();
    for r in rows.iter().filter(|r| r.objects.is_empty()) {
        let account: u32 = r.account.parse().expect("numeric account");
        let month = r.period.expect("monthly").month;
        let prev = out.insert((account, month), r.amount.0);
        assert!(prev.is_none(), "{account} {month} twice");
    }
    out.retain(|_, v| *v != 0);
    out
}

fn intended(t: &Totals) -> BTreeMap<(u32, u8), i64> {
    let mut m = t.by_month.clone();
    m.retain(|_, v| *v != 0);
    m
}

fn check_profile(spec: &LedgerSpec) {
    let name = format!(
        "{}-{:?}-{}.se",
        spec.profile,
        spec.line_end(),
        spec.checksum()
    );
    let (bytes, totals) = generate(spec);
    assert_eq!(totals.records, spec.rows, "{name}: row records written");
    let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
    match spec.line_end() {
        LineEnd::Crlf => assert!(crlf > spec.rows as usize, "{name}: CRLF"),
        LineEnd::Lf => assert_eq!(crlf, 0, "{name}: LF"),
    }
    // CP437 å, ä, ö (0x86, 0x84, 0x94) are in the texts.
    for b in [0x86u8, 0x84, 0x94] {
        assert!(bytes.contains(&b), "{name}: CP437 byte {b:#x}");
    }

    let parsed = parse(&bytes, &ParseOptions::new(&name));
    assert!(
        parsed.diagnostics.is_empty(),
        "{name}: {:?}",
        &parsed.diagnostics[..parsed.diagnostics.len().min(5)]
    );
    assert_eq!(
        parsed.file.checksum.is_some(),
        spec.checksum(),
        "{name}: #KSUMMA"
    );
    assert_eq!(
        parsed.file.vouchers.len() as u64,
        totals.vouchers,
        "{name}: vouchers"
    );
    let b = balances(&parsed.file, 0);
    assert_eq!(b.source, delar_sie::BalanceSource::Transactions);
    let read = read_totals(&b.rows);
    let want = intended(&totals);
    assert!(!want.is_empty());
    for (k, v) in &want {
        assert_eq!(
            read.get(k),
            Some(v),
            "{name}: account {} month {}",
            k.0,
            k.1
        );
    }
    assert_eq!(read, want, "{name}: balances per account and month");

    // The streaming reader reads the same.
    let mut agg = TransAggregator::new(parsed.file.fiscal_year(0).copied());
    let streamed = SieReader::new(&bytes[..], &ParseOptions::new(&name))
        .read_all(|v| agg.add(&v))
        .expect("in memory");
    assert!(
        streamed.diagnostics.is_empty(),
        "{name}: streaming diagnostics"
    );
    assert_eq!(
        read_totals(&agg.into_rows()),
        want,
        "{name}: streaming balances"
    );
}

#[test]
fn every_profile_reads_without_diagnostics_and_with_the_intended_balances() {
    for profile in Profile::ALL {
        check_profile(&LedgerSpec::new(profile, ROWS, 7, 2023));
    }
}

#[test]
fn line_ends_and_checksum_vary_independently() {
    for profile in Profile::ALL {
        for (eol, sum) in [(LineEnd::Lf, true), (LineEnd::Crlf, false)] {
            let mut spec = LedgerSpec::new(profile, 10_001, 11, 2024);
            spec.line_end = Some(eol);
            spec.checksum = Some(sum);
            check_profile(&spec);
        }
    }
}

#[test]
fn a_wrong_checksum_is_caught() {
    // The checksum is real: flipping one digit of an amount is an error.
    let spec = LedgerSpec::new(Profile::Unit4, 10_000, 3, 2023);
    let (mut bytes, _) = generate(&spec);
    let at = bytes
        .windows(7)
        .position(|w| w == b"#TRANS ")
        .expect("a row");
    let digit = at + bytes[at..].iter().position(|b| b == &b'}').expect("list") + 3;
    assert!(bytes[digit].is_ascii_digit());
    bytes[digit] = if bytes[digit] == b'1' { b'2' } else { b'1' };
    let parsed = parse(&bytes, &ParseOptions::new("changed.se"));
    assert!(parsed
        .diagnostics
        .iter()
        .any(|d| d.code == delar_sie::Code::Checksum));
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let spec = LedgerSpec::new(Profile::Raindance, 12_000, 5, 2023);
    let (a, _) = generate(&spec);
    let (b, _) = generate(&spec);
    assert!(a == b);
    let (c, _) = generate(&LedgerSpec::new(Profile::Raindance, 12_000, 6, 2023));
    assert!(a != c);
}

#[test]
fn the_shapes_differ_as_the_exporters_do() {
    let text = |p| generate(&LedgerSpec::new(p, 10_000, 1, 2023)).0;
    let fortnox = text(Profile::Fortnox);
    let bl = text(Profile::Bl);
    let unit4 = text(Profile::Unit4);
    let has = |b: &[u8], s: &[u8]| b.windows(s.len()).any(|w| w == s);
    assert!(has(&fortnox, b"#RTRANS ") && has(&fortnox, b"#BTRANS "));
    assert!(
        has(&fortnox, b" \r\n#TRANS"),
        "rows with the trailing space"
    );
    assert!(has(&bl, b"#TRANS\t") && has(&bl, b"{ \"1\" \""));
    assert!(
        has(&unit4, b"{\"1\" \"") && has(&unit4, b"#PSALDO -1 ") && has(&unit4, b"#PBUDGET 0 ")
    );
    // Municipal payroll vouchers of thousands of rows, object lists that change.
    let (_, vouchers, _) =
        delar_gen::model::vouchers(&LedgerSpec::new(Profile::Unit4, 60_000, 1, 2023));
    let largest = vouchers.iter().map(|v| v.rows.len()).max().unwrap_or(0);
    assert!(largest >= 1000, "largest voucher {largest} rows");
    let rows: Vec<_> = vouchers.iter().flat_map(|v| v.rows.iter()).collect();
    let changed = rows
        .windows(2)
        .filter(|w| w[0].objects != w[1].objects)
        .count();
    assert!(
        changed * 10 > rows.len() * 8,
        "{changed} of {} rows change their list",
        rows.len()
    );
    let corrections =
        delar_gen::model::vouchers(&LedgerSpec::new(Profile::Fortnox, 20_000, 1, 2023))
            .1
            .iter()
            .flat_map(|v| v.rows.iter())
            .filter(|r| r.kind == RowKind::Added)
            .count();
    assert!(corrections > 10);
}

#[test]
fn a_generated_package_passes_every_check() {
    for profile in [Profile::Raindance, Profile::Bl] {
        let dir = tempfile::tempdir().expect("temp dir");
        let spec = PackageSpec {
            profile,
            rows: 30_000,
            seed: 9,
            year: 2023,
        };
        let summary = write_package(dir.path(), &spec).expect("written");
        assert_eq!(summary.current.records + summary.prior.records, 30_000);
        let mut files = delar_core::MemoryFiles::default();
        for entry in walk(dir.path()) {
            let rel = entry
                .strip_prefix(dir.path())
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            files
                .files
                .insert(rel, std::fs::read(&entry).expect("read"));
        }
        let options = delar_core::Options::default();
        let checks = delar_core::check_package(&files, &options).expect("package reads");
        let failed: Vec<_> = checks
            .iter()
            .filter(|c| c.status == delar_core::report::CheckStatus::Fail)
            .collect();
        assert!(failed.is_empty(), "{profile}: {failed:?}");
        delar_core::build_report(&files, &options).expect("report builds");
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
