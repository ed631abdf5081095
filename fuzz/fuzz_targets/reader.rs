//! Fuzz target: the SIE readers never panic on any input, agree with each other (whole
//! buffer, streaming, voucher by voucher, and without the hot path), and what they read can
//! be written and read back without errors. The input also drives a generator of corrected
//! vouchers (`#BTRANS`, `#RTRANS` and its `#TRANS` copy) in the forms exporters write them:
//! a file with the copies and the same file without them must read to the same balances.
#![no_main]

use delar_sie::{balances, parse, parse_without_hot_path, write, Code, ParseOptions, SieReader};
use libfuzzer_sys::fuzz_target;

/// The readers agree on `data`; returns the lenient whole-buffer result.
fn check(data: &[u8]) -> delar_sie::Parsed {
    let strict = parse(data, &ParseOptions::new("fuzz"));
    let lenient = parse(data, &ParseOptions::new("fuzz").lenient());
    for d in &lenient.diagnostics {
        let _ = d.to_string();
    }
    // The streaming reader reads the same vouchers, in one go and voucher by voucher (it
    // reuses its store between vouchers). The encoding is fixed to what the whole-buffer
    // reader detected: the streaming reader decides it on the first line that tells, so
    // texts before that line may be decoded differently when it is not given.
    let mut same_encoding = ParseOptions::new("fuzz").lenient();
    same_encoding.encoding = Some(lenient.encoding);
    let whole = parse(data, &same_encoding);
    // The hot path for voucher rows and `#VER` lines reads what the general reader reads.
    let general = parse_without_hot_path(data, &same_encoding);
    assert_eq!(general.file, whole.file);
    assert_eq!(general.diagnostics, whole.diagnostics);
    let streamed = SieReader::new(data, &same_encoding)
        .into_parsed()
        .expect("reading from memory cannot fail");
    assert_eq!(streamed.file.vouchers, whole.file.vouchers);
    assert_eq!(streamed.diagnostics, whole.diagnostics);
    assert_eq!(streamed.stats, whole.stats);
    let mut one_by_one = delar_sie::Vouchers::new();
    let rest = SieReader::new(data, &same_encoding)
        .read_all(|v| one_by_one.push_ref(v))
        .expect("reading from memory cannot fail");
    assert_eq!(one_by_one, whole.file.vouchers);
    assert_eq!(rest.diagnostics, streamed.diagnostics);
    let _ = strict.has_errors();
    // Whatever was read can be written, and the written file reads back without errors.
    if !lenient.has_errors() {
        let ty = lenient.file.content_type();
        let out = write(&lenient.file, ty);
        let again = parse(&out, &ParseOptions::new("fuzz-written").lenient());
        assert!(
            !again.has_errors(),
            "written file has errors: {:?}",
            again
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .collect::<Vec<_>>()
        );
        let _ = balances(&again.file, 0);
    }
    lenient
}

/// A file of vouchers with corrections in the exporters' forms, four input bytes per
/// correction, and the same file without the `#TRANS` copies after each `#RTRANS`.
fn corrections(data: &[u8]) -> (String, String) {
    const ACCOUNTS: [&str; 5] = ["1920", "1930", "3010", "6250", "1799"];
    let head = "#FLAGGA 0\n#SIETYP 4\n#RAR 0 20260101 20261231\n#KONTO 1910 \"Kassa\"\n#KONTO 1920 \"Plusgiro\"\n#KONTO 1930 \"Bank\"\n#KONTO 3010 \"Intakter\"\n#KONTO 6250 \"Porto\"\n#KONTO 1799 \"Fordringar\"\n";
    let (mut with, mut without) = (head.to_string(), head.to_string());
    let mut number = 0;
    for (k, voucher) in data.chunks(16).enumerate().take(64) {
        number += 1;
        let day = 1 + (k % 28);
        let date = format!("202605{day:02}");
        let ver = format!("#VER A {number} {date} \"Rattad\" 20260630\n{{\n");
        with.push_str(&ver);
        without.push_str(&ver);
        let mut sum = 0i64;
        for c in voucher.chunks_exact(4) {
            let (form, from, to) = (c[0] % 3, ACCOUNTS[c[1] as usize % 5], ACCOUNTS[c[2] as usize % 5]);
            let ore = i64::from(c[3]) * 137 - 9000 + i64::from(c[1]);
            let amount = delar_sie::Amount(ore).to_string();
            let objects = match (c[0] >> 2) % 3 {
                0 => "{}",
                1 if form == 1 => "{ \"1\" \"1\"}",
                1 => "{1 \"1\"}",
                _ => "{1 \"1\" 6 \"P7\"}",
            };
            // The copy's date is the voucher's or none, so that without it the row books in
            // the same month.
            let (added, copy) = match form {
                // Fortnox: signature only on #RTRANS, empty fields, a row between #BTRANS
                // and its replacement.
                0 => (
                    format!(
                        "#BTRANS {from} {objects} {amount} \"\" \"\" 0 \"Signatur\"\n#TRANS 1910 {{}} 0 \"\" \"\" 0\n#RTRANS {to} {objects} {amount} \"\" \"\" 0 \"Signatur\"\n"
                    ),
                    format!("#TRANS {to} {objects} {amount} \"\" \"\" 0\n"),
                ),
                // BL Administration: the change's date on #BTRANS and #RTRANS (outside the
                // year), the voucher's on the copy.
                1 => (
                    format!(
                        "#BTRANS {from}  {objects} {amount} 20270826 \"\" \"\" \"2 Christer\"\n#RTRANS {to}  {objects} {amount} 20270826 \"\" \"\" \"2 Christer\"\n"
                    ),
                    format!("#TRANS {to}  {objects} {amount} {date} \"\" \n"),
                ),
                // Identical copy (Avendo, the specification).
                _ => (
                    format!("\t#BTRANS {from} {objects} {amount}\n\t#RTRANS {to} {objects} {amount}\n"),
                    format!("\t#TRANS  {to} {objects} {amount}\n"),
                ),
            };
            with.push_str(&added);
            with.push_str(&copy);
            without.push_str(&added);
            sum += ore;
        }
        let last = format!("#TRANS 1910 {{}} {}\n}}\n", delar_sie::Amount(-sum));
        with.push_str(&last);
        without.push_str(&last);
    }
    (with, without)
}

fuzz_target!(|data: &[u8]| {
    check(data);
    // Corrected vouchers: with and without the compatibility copies, the same balances; the
    // copies draw no warning, each missing one does.
    let (with, without) = corrections(data);
    let a = check(with.as_bytes());
    let b = check(without.as_bytes());
    assert!(a.diagnostics.is_empty(), "{:?}\n{with}", a.diagnostics);
    assert!(!b.has_errors(), "{:?}\n{without}", b.diagnostics);
    let warned = b
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::Correction)
        .count();
    assert_eq!(warned, without.matches("#RTRANS").count(), "{without}");
    assert_eq!(balances(&a.file, 0), balances(&b.file, 0), "{with}\n{without}");
    for v in a.file.vouchers.iter() {
        assert!(v.balance().is_zero(), "{with}");
    }
});
