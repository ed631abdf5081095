//! A regression test (not a timing): every generator profile, with CRLF and LF line ends and
//! with and without `#KSUMMA`, is read by `delar-sie`'s hot path, not its general record
//! reader (ARCHITECTURE.md, "The SIE hot path"). The general reader reads the same rows
//! several times slower, so a profile whose rows fall to it is a performance regression
//! that no other test sees. The share of voucher rows, `#VER` lines and balance records the
//! general reader took is printed (`cargo test -p delar-gen --test hot_path -- --nocapture`) and bounded.
//! The parallel reader of `delar sie check` is checked to merge every range it cuts each
//! profile into (a range it has to read again in order costs its share of the speed-up).

use delar_gen::sie::write_ledger;
use delar_gen::{LedgerSpec, LineEnd, Profile};
use delar_sie::{
    parallel_ranges, parse, parse_each_parallel, Parallel, ParseOptions, ReadStats, SieReader,
};

const ROWS: u64 = 20_000;

/// The most voucher rows, in parts per million, the general reader may take per profile.
/// Zero for every profile: each one's rows are in a form the hot path reads (plain or
/// quoted dimension numbers, tabs or spaces, a trailing space, empty date and text, a
/// quantity and signature) and under its 128-byte line limit (the generator's longest row,
/// a three-dimension Raindance or a Unit4 row with its text, is well under 100 bytes).
fn max_general_rows_ppm(_profile: Profile) -> u64 {
    0
}

/// The same for `#VER` lines: zero for every profile (plain or quoted series and number,
/// date, text, registration date, signature).
fn max_general_vers_ppm(_profile: Profile) -> u64 {
    0
}

/// The same for the header's balance records (`#IB`, `#UB`, `#RES`, `#PSALDO`, `#PBUDGET`, …,
/// thousands of lines in the municipal profiles): zero for every profile.
fn max_general_balances_ppm(_profile: Profile) -> u64 {
    0
}

fn ppm(part: u64, whole: u64) -> u64 {
    (part * 1_000_000).div_ceil(whole.max(1))
}

#[test]
fn every_profile_reads_on_the_hot_path() {
    let mut failures = Vec::new();
    println!("| profile | line ends | #KSUMMA | rows | general rows | share | #VER | general #VER | share | balances | general balances | share |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for profile in Profile::ALL {
        for eol in [LineEnd::Crlf, LineEnd::Lf] {
            for ksumma in [true, false] {
                let mut spec = LedgerSpec::new(profile, ROWS, 17, 2023);
                spec.line_end = Some(eol);
                spec.checksum = Some(ksumma);
                let mut bytes = Vec::new();
                let (totals, _) = write_ledger(&spec, &mut bytes).expect("in memory");
                let name = format!("{profile}-{eol:?}-{ksumma}.se");
                let parsed = parse(&bytes, &ParseOptions::new(&name));
                assert!(
                    parsed.diagnostics.is_empty(),
                    "{name}: {:?}",
                    parsed.diagnostics.first()
                );
                let s: ReadStats = parsed.stats;
                // Every row record and voucher was counted by one path or the other, so the
                // shares below are of the whole file.
                assert_eq!(s.hot_rows + s.general_rows, totals.records, "{name}: rows");
                assert_eq!(s.hot_vers + s.general_vers, totals.vouchers, "{name}: #VER");
                let mut reader = SieReader::new(&bytes[..], &ParseOptions::new(&name));
                while reader.next_voucher().is_some() {}
                assert_eq!(reader.stats(), s, "{name}: the streaming reader's paths");
                // The parallel reader (`delar sie check`) merges every range it cut the
                // vouchers into: none had to be read again in order.
                let parallel = Parallel {
                    threads: 4,
                    min_bytes: 0,
                };
                let (p, accs) = parse_each_parallel(
                    &bytes,
                    &ParseOptions::new(&name),
                    parallel,
                    || 0u64,
                    |n: &mut u64, _, v| *n += v.row_count() as u64,
                );
                assert_eq!(p.stats, s, "{name}: the parallel reader's paths");
                assert!(
                    p.diagnostics.is_empty(),
                    "{name}: {:?}",
                    p.diagnostics.first()
                );
                let ranges = parallel_ranges(&bytes, parallel);
                assert!(ranges >= 4, "{name}: {ranges} ranges");
                assert_eq!(
                    accs.len(),
                    ranges,
                    "{name}: a range was read again in order"
                );
                let in_order: u64 = parsed
                    .file
                    .vouchers
                    .iter()
                    .map(|v| v.row_count() as u64)
                    .sum();
                assert_eq!(accs.iter().sum::<u64>(), in_order, "{name}: rows");

                let rows_ppm = ppm(s.general_rows, totals.records);
                let vers_ppm = ppm(s.general_vers, totals.vouchers);
                let balances = s.hot_balances + s.general_balances;
                let balances_ppm = ppm(s.general_balances, balances);
                println!(
                    "| {profile} | {eol:?} | {ksumma} | {} | {} | {:.4} % | {} | {} | {:.4} % | {balances} | {} | {:.4} % |",
                    totals.records,
                    s.general_rows,
                    rows_ppm as f64 / 1e4,
                    totals.vouchers,
                    s.general_vers,
                    vers_ppm as f64 / 1e4,
                    s.general_balances,
                    balances_ppm as f64 / 1e4,
                );
                if rows_ppm > max_general_rows_ppm(profile) {
                    failures.push(format!(
                        "{name}: the general reader took {} of {} rows ({rows_ppm} ppm, at most {} allowed)",
                        s.general_rows,
                        totals.records,
                        max_general_rows_ppm(profile)
                    ));
                }
                if balances_ppm > max_general_balances_ppm(profile) {
                    failures.push(format!(
                        "{name}: the general reader took {} of {balances} balance records ({balances_ppm} ppm, at most {} allowed)",
                        s.general_balances,
                        max_general_balances_ppm(profile)
                    ));
                }
                if vers_ppm > max_general_vers_ppm(profile) {
                    failures.push(format!(
                        "{name}: the general reader took {} of {} #VER lines ({vers_ppm} ppm, at most {} allowed)",
                        s.general_vers,
                        totals.vouchers,
                        max_general_vers_ppm(profile)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A ledger of mostly balance records (`--period-pairs`, as a municipal SIE 3 or 4 export
/// with a period balance per account and ansvar writes it) is read on the hot path in every
/// profile's forms, whole and streamed.
#[test]
fn balance_heavy_files_read_on_the_hot_path() {
    for profile in Profile::ALL {
        let mut spec = LedgerSpec::new(profile, 2_000, 17, 2023);
        spec.period_pairs = Some(2_000);
        let mut bytes = Vec::new();
        write_ledger(&spec, &mut bytes).expect("in memory");
        let name = format!("{profile}-balances.se");
        let parsed = parse(&bytes, &ParseOptions::new(&name));
        assert!(
            parsed.diagnostics.is_empty(),
            "{name}: {:?}",
            parsed.diagnostics.first()
        );
        let s = parsed.stats;
        let file = &parsed.file;
        let written = (file.period_balances.len() + file.period_budgets.len()) as u64;
        // 2 000 draws of (account, ansvar), 24 lines each for every pair drawn (a small
        // company chart gives the same pair more often: Fortnox's about 1 600 pairs).
        assert!(written > 24 * 1_000, "{name}: {written} period records");
        assert_eq!(s.general_balances, 0, "{name}: {s:?}");
        assert!(s.hot_balances >= written, "{name}: {s:?}");
        let mut reader = SieReader::new(&bytes[..], &ParseOptions::new(&name));
        while reader.next_voucher().is_some() {}
        assert_eq!(reader.stats(), s, "{name}: the streaming reader's paths");
    }
}
