//! `parse_each_parallel` gives what `parse_each` gives: the same diagnostics in the same
//! order (lines, columns, messages), the same file and symbols, the same statistics, and
//! every voucher exactly once; on every corpus file and on random files built to hit the
//! cases where a range's result cannot be merged (duplicate numbers across ranges, records
//! between vouchers, a voucher left open at a cut, `#KSUMMA`, a late non-ASCII line, more
//! diagnostics than are listed).

mod common;

use delar_sie::{
    parallel_ranges, parse_each, parse_each_parallel, Parallel, ParseOptions, Parsed, VoucherData,
};
use proptest::prelude::*;

/// The diagnostics as shown, the file, the statistics and the encoding of a parse.
fn summary(p: &Parsed) -> (Vec<String>, String, delar_sie::ReadStats, String) {
    (
        p.diagnostics.iter().map(|d| d.to_string()).collect(),
        format!("{:?}", p.file),
        p.stats,
        format!("{:?}", p.encoding),
    )
}

/// Reads `bytes` in order and on `threads` threads (cut however small the input) and
/// compares; returns how many accumulators the parallel read returned (1 + the ranges
/// read by forks and merged) and how many ranges the input was cut into.
fn check(name: &str, bytes: &[u8], options: &ParseOptions, threads: usize) -> (usize, usize) {
    let mut seq: Vec<VoucherData> = Vec::new();
    let sequential = parse_each(bytes, options, |_, v| seq.push(v.to_data()));
    let parallel = Parallel {
        threads,
        min_bytes: 0,
    };
    let (par, accs) = parse_each_parallel(
        bytes,
        options,
        parallel,
        Vec::new,
        |acc: &mut Vec<VoucherData>, _, v| acc.push(v.to_data()),
    );
    let merged = accs.len();
    let mut got: Vec<VoucherData> = accs.into_iter().flatten().collect();
    got.sort_by_key(|v| v.line);
    seq.sort_by_key(|v| v.line);
    let (a, b) = (summary(&sequential), summary(&par));
    assert_eq!(a.0, b.0, "{name}, {threads} threads: diagnostics");
    assert_eq!(a.1, b.1, "{name}, {threads} threads: file");
    assert_eq!(a.2, b.2, "{name}, {threads} threads: statistics");
    assert_eq!(a.3, b.3, "{name}, {threads} threads: encoding");
    assert_eq!(got, seq, "{name}, {threads} threads: vouchers");
    (merged, parallel_ranges(bytes, parallel))
}

/// Asserts that `bytes` was cut into at least `threads` ranges and every range's result
/// was merged (none read again).
fn check_all_merged(name: &str, bytes: &[u8], options: &ParseOptions, threads: usize) {
    let (merged, ranges) = check(name, bytes, options, threads);
    assert!(
        ranges >= threads,
        "{name}: {ranges} ranges for {threads} threads"
    );
    assert_eq!(merged, ranges, "{name}, {threads} threads: ranges merged");
}

#[test]
fn every_corpus_file_reads_alike_on_several_threads() {
    for path in common::corpus_files() {
        let bytes = std::fs::read(&path).expect("readable corpus file");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for threads in [2, 3, 7] {
            check(&name, &bytes, &ParseOptions::new(&name), threads);
            check(&name, &bytes, &ParseOptions::new(&name).lenient(), threads);
        }
    }
}

/// A file of `n` balanced vouchers in series A numbered from 1, with a chart.
fn base(n: usize) -> Vec<String> {
    let mut lines: Vec<String> = [
        "#FLAGGA 0",
        "#PROGRAM \"Test\" 1",
        "#FORMAT PC8",
        "#SIETYP 4",
        "#RAR 0 20230101 20231231",
        "#KONTO 1930 \"Bank\"",
        "#KONTO 4010 \"Inkop\"",
        "#DIM 1 \"Ansvar\"",
        "#OBJEKT 1 \"10\" \"Skola\"",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for k in 1..=n {
        lines.push(format!(
            "#VER A {k} 20230{} \"Inkop {k}\"",
            101 + (k % 8) * 100
        ));
        lines.push("{".to_string());
        lines.push(format!("   #TRANS 4010 {{1 \"10\"}} {k}.00"));
        lines.push(format!("   #TRANS 1930 {{}} -{k}.00"));
        lines.push("}".to_string());
    }
    lines
}

/// Lines that make a range's result depend on what came before it.
fn disturbance(kind: u8, k: usize) -> Vec<String> {
    match kind % 12 {
        // The same number again (a duplicate across ranges when far from the first).
        0 => vec![
            format!("#VER A {} 20230301 \"Igen\"", 1 + k % 50),
            "{".into(),
            "#TRANS 4010 {} 1".into(),
            "#TRANS 1930 {} -1".into(),
            "}".into(),
        ],
        // A record between vouchers.
        1 => vec![format!("#KONTO {} \"Nytt konto\"", 5000 + k % 7)],
        // A voucher left open (no `}`).
        2 => vec![
            format!("#VER B {k} 20230301 \"Oppen\""),
            "{".into(),
            "#TRANS 4010 {} 1".into(),
        ],
        // Unbalanced, outside the year, an undeclared account.
        3 => vec![
            format!("#VER C {k} 20220301"),
            "{".into(),
            format!("#TRANS {} {{}} 1", 7000 + k % 5),
            "}".into(),
        ],
        // A non-ASCII text (CP437 ä) in a row.
        4 => vec![
            format!("#VER D {k} 20230301 \"M\u{84}lt\""),
            "{".into(),
            "#TRANS 4010 {} 1 \"\" \"\u{84}\"".into(),
            "#TRANS 1930 {} -1".into(),
            "}".into(),
        ],
        // A stray brace, a line that is no record.
        5 => vec!["}".into(), "hej".into()],
        // Rows in another form the general reader takes.
        6 => vec![
            format!("#VER \"E\" \"{k}\" 20230301 \"\" 20230302 \"Sig\""),
            "{".into(),
            "#RTRANS 4010 {1 \"10\"} 2 20230301 \"r\" 1.5 \"Sig\"".into(),
            "#TRANS 4010 {1 \"10\"} 2 20230301 \"r\" 1.5 \"Sig\"".into(),
            "#BTRANS 4010 {} 2".into(),
            "#TRANS 1930 {} -2".into(),
            "}".into(),
        ],
        // A voucher with a non-numeric number, twice.
        7 => vec![
            format!("#VER F X{} 20230301", k % 3),
            "{".into(),
            "}".into(),
        ],
        // A #VER inside an open voucher.
        8 => vec![
            format!("#VER G {k} 20230301"),
            "{".into(),
            format!("#VER G {} 20230301", k + 1),
            "{".into(),
            "}".into(),
        ],
        // A bad amount (an error).
        9 => vec![
            format!("#VER H {k} 20230301"),
            "{".into(),
            "#TRANS 4010 {} 1,5x".into(),
            "}".into(),
        ],
        // A balance record after the vouchers began.
        10 => vec![format!("#PSALDO 0 202301 4010 {{}} {k}.00")],
        // An indented #VER (read by the general path).
        _ => vec![
            format!("  #VER I {k} 20230301"),
            "  {".into(),
            "  #TRANS 4010 {} 0".into(),
            "  }".into(),
        ],
    }
}

/// Header lines after the chart, before the first voucher: mostly balances (after which
/// the parallel reader's helpers start on the vouchers), sometimes a record that changes
/// what later lines mean, or one that is wrong.
fn header_line(kind: u8, k: usize) -> Vec<String> {
    match kind % 11 {
        0..=2 => vec![format!(
            "#PSALDO 0 2023{:02} 4010 {{1 \"10\"}} {k}.00",
            1 + k % 12
        )],
        3 => vec![format!("#IB 0 1930 {k}.50"), format!("#UB 0 1930 -{k}")],
        4 => vec![format!("#OIB 0 4010 {{1 \"{}\"}} 1", 10 + k % 3)],
        // A balance of an account no #KONTO declares, then used in a voucher.
        5 => vec![
            format!("#PBUDGET 0 202301 {} {{}} 5", 6000 + k % 4),
            format!("#RES 0 {} 1", 6000 + k % 4),
        ],
        // Records that change what the vouchers' lines mean, after balances.
        6 => vec![format!("#KONTO {} \"Sent konto\"", 7000 + k % 5)],
        7 => vec![format!("#OBJEKT 1 \"{}\" \"M\u{84}lt\"", 10 + k % 3)],
        // Another fiscal year: the vouchers' dates fall outside it.
        10 => vec!["#RAR 0 20220101 20221231".into()],
        // A wrong balance (an error), and a `#VER` without a body in the header.
        8 => vec!["#PSALDO 0 2023 4010 {} x".into()],
        _ => vec![format!("#VER A {} 20230101", 1 + k % 5)],
    }
}

/// Encodes a text whose chars are all below 256 byte for byte (CP437 bytes as chars).
fn bytes_of(lines: &[String], crlf: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        out.extend(l.chars().map(|c| c as u32 as u8));
        if crlf {
            out.push(b'\r');
        }
        out.push(b'\n');
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_files_read_alike_on_several_threads(
        n in 5usize..120,
        inserts in proptest::collection::vec((0usize..1000, any::<u8>()), 0..8),
        head in proptest::collection::vec(any::<u8>(), 0..6),
        threads in 2usize..6,
        crlf in any::<bool>(),
        lenient in any::<bool>(),
    ) {
        let mut lines = base(n);
        let mut header = 9;
        for (k, kind) in head.into_iter().enumerate() {
            let extra = header_line(kind, k);
            let len = extra.len();
            lines.splice(header..header, extra);
            header += len;
        }
        for (at, kind) in inserts {
            // After the header, mostly between vouchers (inside one as the lines shift).
            let k = header + (at % (n + 1)) * 5;
            let k = k.min(lines.len());
            let extra = disturbance(kind, at);
            lines.splice(k..k, extra);
        }
        let bytes = bytes_of(&lines, crlf);
        let mut options = ParseOptions::new("random.se");
        if lenient {
            options = options.lenient();
        }
        check("random", &bytes, &options, threads);
    }
}

#[test]
fn a_plain_file_is_read_by_every_thread() {
    let bytes = bytes_of(&base(400), false);
    check_all_merged("plain", &bytes, &ParseOptions::new("plain"), 4);
}

#[test]
fn a_late_record_stops_a_range_and_the_rest_is_read_in_order() {
    // #KONTO after vouchers: the range holding it is read on from there by the calling
    // thread; the declaration counts for the rows after it, as in a read in order.
    let mut lines = base(300);
    let at = lines.len() - 5 * 20;
    lines.insert(at, "#KONTO 7010 \"Sent konto\"".into());
    lines.extend(disturbance(3, 10)); // uses 7000 + 0: undeclared
    let bytes = bytes_of(&lines, true);
    check("late", &bytes, &ParseOptions::new("late"), 3);
}

/// `base(n)` with `balances` `#PSALDO` lines in the header, and `after` after them.
fn with_balances(n: usize, balances: usize, after: &[&str]) -> Vec<String> {
    let mut lines = base(n);
    let mut extra: Vec<String> = (0..balances)
        .map(|k| format!("#PSALDO 0 2023{:02} 4010 {{1 \"10\"}} {k}.00", 1 + k % 12))
        .collect();
    extra.extend(after.iter().map(|s| s.to_string()));
    lines.splice(9..9, extra);
    lines
}

#[test]
fn the_helpers_start_where_the_headers_balances_begin() {
    // Every range read by a helper that started at the first #PSALDO is merged.
    let bytes = bytes_of(&with_balances(400, 3000, &[]), false);
    for threads in [2, 3, 5] {
        check_all_merged("balances", &bytes, &ParseOptions::new("balances"), threads);
    }
    // A declaration after the balances: the helpers' ranges (read without it) are read
    // again in order, so the rows using the account are not reported as undeclared.
    let mut lines = with_balances(400, 3000, &["#KONTO 7001 \"Sent konto\""]);
    lines.extend(disturbance(3, 1)); // a row on 7001
    let bytes = bytes_of(&lines, true);
    let p = parse_each(&bytes, &ParseOptions::new("late-chart"), |_, _| {});
    assert!(!p.diagnostics.iter().any(|d| d.message.contains("7001")));
    let on_two_and_four = |name: &str, bytes: &[u8]| {
        for threads in [2, 4] {
            check(name, bytes, &ParseOptions::new(name), threads);
        }
    };
    on_two_and_four("late-chart", &bytes);
    // Another fiscal year after the balances: a helper (which read the vouchers with the
    // year before) is not merged; every voucher is reported outside the year, as in order.
    let lines = with_balances(400, 3000, &["#RAR 0 20220101 20221231"]);
    let bytes = bytes_of(&lines, false);
    let p = parse_each(&bytes, &ParseOptions::new("late-year"), |_, _| {});
    let outside = |p: &Parsed| {
        p.diagnostics
            .iter()
            .filter(|d| d.message.contains("utanför"))
            .count()
    };
    assert!(outside(&p) >= 400, "{}", outside(&p));
    on_two_and_four("late-year", &bytes);
    // A #VER without a body among the balances, and the header's end past the first cut.
    let lines = with_balances(
        400,
        3000,
        &["#VER A 1 20230101", "#PSALDO 0 202301 4010 {} 1"],
    );
    let bytes = bytes_of(&lines, false);
    check(
        "ver-in-header",
        &bytes,
        &ParseOptions::new("ver-in-header").lenient(),
        3,
    );
}

#[test]
fn duplicates_across_ranges_are_reported_where_they_occur() {
    let mut lines = base(300);
    lines.extend(disturbance(0, 0)); // A 1 again, at the end
    let bytes = bytes_of(&lines, false);
    let mut seq = 0;
    let p = parse_each(&bytes, &ParseOptions::new("dup"), |_, _| seq += 1);
    assert!(p
        .diagnostics
        .iter()
        .any(|d| d.message.contains("två gånger")));
    check("dup", &bytes, &ParseOptions::new("dup"), 2);
}

#[test]
fn more_diagnostics_than_are_listed_are_counted_alike() {
    // 12 000 unbalanced vouchers: the first 10 000 diagnostics are listed, the rest counted.
    let mut lines = base(1);
    for k in 0..12_000 {
        lines.push(format!("#VER U {k} 20230301"));
        lines.push("{".into());
        lines.push("#TRANS 4010 {} 1".into());
        lines.push("}".into());
    }
    let bytes = bytes_of(&lines, false);
    check_all_merged("many", &bytes, &ParseOptions::new("many").lenient(), 3);
    check("many", &bytes, &ParseOptions::new("many"), 2);
}

#[test]
fn a_late_non_ascii_line_with_the_encoding_undecided() {
    // The first MiB is ASCII, so the encoding is decided by the first line outside ASCII;
    // a range that meets one before its reader knows stops there.
    let mut lines = base(12_000);
    assert!(bytes_of(&lines, false).len() > 1 << 20);
    let at = lines.len() - 5 * 100;
    lines.splice(at..at, disturbance(4, 1));
    let bytes = bytes_of(&lines, false);
    check("late-cp437", &bytes, &ParseOptions::new("late-cp437"), 2);
    check("late-cp437", &bytes, &ParseOptions::new("late-cp437"), 5);
}

#[test]
fn a_checksum_over_several_ranges() {
    // #KSUMMA: the CRC of the ranges is combined; a wrong sum is reported as in order.
    for sum in ["1", "2"] {
        let mut lines = base(500);
        lines.insert(1, "#KSUMMA".into());
        lines.push(format!("#KSUMMA {sum}"));
        let bytes = bytes_of(&lines, true);
        let p = parse_each(&bytes, &ParseOptions::new("k").lenient(), |_, _| {});
        assert!(p.diagnostics.iter().any(|d| d.message.contains("KSUMMA")));
        check_all_merged("k", &bytes, &ParseOptions::new("k").lenient(), 3);
    }
}
