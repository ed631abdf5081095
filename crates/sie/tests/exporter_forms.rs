//! The voucher rows real exporters write, read with and without the parser's hot path
//! (`parse` and `parse_without_hot_path`): the same data and the same diagnostics, and the
//! usual forms on the hot path (`ReadStats`). Each form also in malformed variants, which
//! the hot path must hand to the general reader untouched.

use delar_sie::*;

/// A file around `rows` (one voucher), with `#KSUMMA` when `ksumma`, LF or CRLF.
fn file(rows: &[&str], ksumma: bool, crlf: bool) -> Vec<u8> {
    let mut lines = vec!["#FLAGGA 0"];
    if ksumma {
        lines.push("#KSUMMA");
    }
    lines.extend([
        "#SIETYP 4",
        "#RAR 0 20230101 20231231",
        "#DIM 1 \"Ansvar\"",
        "#KONTO 1910 \"Kassa\"",
        "#KONTO 3010 \"F\u{f6}rs\u{e4}ljning\"",
        "#VER \"KB\" \"1\" 20230105 \"Hyra\" 20230110",
        "{",
    ]);
    lines.extend_from_slice(rows);
    lines.push("}");
    let mut text = lines.join("\n") + "\n";
    if ksumma {
        // A wrong value on purpose: the diagnostic names the sum the reader computed, so both
        // paths must hash the same content of every line to give the same message.
        text.push_str("#KSUMMA 1\n");
    }
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    text.into_bytes()
}

/// Reads `bytes` with and without the hot path; asserts they agree; returns the result with.
fn both(bytes: &[u8], what: &str) -> Parsed {
    let options = ParseOptions::new("f.se");
    let fast = parse(bytes, &options);
    let general = parse_without_hot_path(bytes, &options);
    assert_eq!(fast.file, general.file, "{what}");
    assert_eq!(fast.diagnostics, general.diagnostics, "{what}");
    assert_eq!(fast.encoding, general.encoding, "{what}");
    // The general reader counts every line for itself.
    assert_eq!(general.stats.hot_rows + general.stats.hot_vers, 0, "{what}");
    assert_eq!(
        fast.stats.hot_rows + fast.stats.general_rows,
        general.stats.general_rows,
        "{what}"
    );
    let streamed = SieReader::new(bytes, &options).into_parsed().unwrap();
    assert_eq!(streamed.file, fast.file, "{what}");
    assert_eq!(streamed.diagnostics, fast.diagnostics, "{what}");
    assert_eq!(streamed.stats, fast.stats, "{what}");
    let mut vouchers = Vouchers::new();
    let each = parse_each(bytes, &options, |_, v| vouchers.push_ref(v));
    assert_eq!(vouchers, fast.file.vouchers, "{what}");
    assert_eq!(each.diagnostics, fast.diagnostics, "{what}");
    assert_eq!(each.stats, fast.stats, "{what}");
    fast
}

/// Balanced pairs of rows in each exporter's usual form.
const FORMS: [(&str, [&str; 2]); 8] = [
    (
        "Unit4: quoted dimension numbers, two spaces of indent",
        [
            "  #TRANS 3010 {\"1\" \"1120\" \"6\" \"5007\"} -1250.00 20230105 \"Hyra \u{e5}r\"",
            "  #TRANS 1910 {\"1\" \"1120\"} 1250.00 20230105 \"Hyra \u{e5}r\"",
        ],
    ),
    (
        "Raindance: three dimensions, fully quoted, no trailing zeros",
        [
            "#TRANS 3010 {\"1\" \"1120\" \"20\" \"350\" \"6\" \"5007\"} -1250.5",
            "#TRANS 1910 {1 1120 20 350} 1250.5",
        ],
    ),
    (
        "BL Administration: tabs, `{ \"1\" \"1\"}`, whole kronor",
        [
            "#TRANS\t3010\t{ \"1\" \"1\"}\t-133\t20230105\t\"\"",
            "#TRANS\t1910\t{}\t133\t20230105\t\"Kontant\"",
        ],
    ),
    (
        "BL Administration: a correction with an empty quantity and a signature",
        [
            "#BTRANS\t3010\t{ \"1\" \"1\"}\t-133\t20230107\t\"\"\t\"\"\t\"2 Christer Bengtsson\"",
            "#TRANS\t1910\t{ \"1\" \"1\"}\t0\t20230105\t\"\"",
        ],
    ),
    (
        "Fortnox: trailing space, no date or text",
        ["#TRANS 1910 {} -137.00 ", "#TRANS 3010 {} 137.00 "],
    ),
    (
        "Fortnox: empty date and text, a quantity",
        [
            "#TRANS 1910 {} -137.00 \"\" \"\" 0",
            "#TRANS 3010 {} 137.00 \"\" \"\" 2.5",
        ],
    ),
    (
        "Fortnox: #RTRANS with its signature and the copy without",
        [
            "#RTRANS 1910 {} 0 \"\" \"\" 0 \"Kalle Anka\"",
            "#TRANS 1910 {} 0 \"\" \"\" 0",
        ],
    ),
    (
        "Visma: tab indent, row date and text",
        [
            "\t#TRANS 3010 {1 \"10\"} -100.00 20230105 \"\"",
            "\t#TRANS 1910 {1 \"10\"} 100.00 20230105 \"Kontant f\u{f6}rs\u{e4}ljning\"",
        ],
    ),
];

#[test]
fn every_exporter_form_reads_alike_and_on_the_hot_path() {
    for (what, rows) in FORMS {
        for ksumma in [false, true] {
            for crlf in [false, true] {
                let bytes = file(&rows, ksumma, crlf);
                let what = format!("{what} (#KSUMMA {ksumma}, CRLF {crlf})");
                let fast = both(&bytes, &what);
                assert_eq!(fast.stats.general_rows, 0, "{what}: {:?}", fast.stats);
                assert_eq!(fast.stats.hot_rows, 2, "{what}");
                assert_eq!(fast.stats.hot_vers, 1, "{what}");
                let unexpected: Vec<_> = fast
                    .diagnostics
                    .iter()
                    .filter(|d| d.code != Code::Checksum)
                    .collect();
                assert!(unexpected.is_empty(), "{what}: {unexpected:?}");
            }
        }
    }
}

/// Rows in the same forms with one thing wrong (or unusual): read alike by both paths,
/// diagnostics included.
const MALFORMED: [&str; 30] = [
    "  #TRANS 3010 {\"\" \"1120\"} -1250.00",
    "  #TRANS 3010 {\"x\" \"1120\"} -1250.00",
    "  #TRANS 3010 {\"1\"\"1120\"} -1250.00",
    "  #TRANS 3010 {\"1\"x \"1120\"} -1250.00",
    "  #TRANS 3010 {\"1 \"1120\"} -1250.00",
    "  #TRANS 3010 {\"1\" \"1120\" \"6\"} -1250.00",
    "  #TRANS 3010 {\"1\" \"1120\" \"6\" } -1250.00",
    "  #TRANS 3010 {\"1234567890\" \"1120\"} -1250.00",
    "  #TRANS 3010 {\"1\\\" \"1120\"} -1250.00",
    "  #TRANS 3010 {\"1\" \"1120\" -1250.00",
    "  #TRANS 3010 {\"1\" \"1120\"}-1250.00",
    "  #TRANS 3010 {\"1\" \"1120\"} -1250.005",
    "  #TRANS 3010 {\"1\" \"1120\"} -1250.00 2023010 \"t\"",
    "  #TRANS 3010 {\"1\" \"1120\"} -1250.00 20230105 \"t",
    "#TRANS\t3010\t{ \"1\"}\t-133\t20230105\t\"\"",
    "#TRANS\t3010\t{ \"1\" \"1\"\t-133\t20230105\t\"\"",
    "#TRANS\t3010\t{ \"1\" \"1\"}\t-133\t20231305\t\"\"",
    "#TRANS\t3010\t{ \"1\" \"1\"}\t-133\t20220105\t\"\"",
    "#RTRANS\t3010\t{ \"1\" \"1\"}\t-133\t20230105\t\"\"\t\"x\"\t\"Anna\"",
    "#RTRANS\t3010\t{ \"1\" \"1\"}\t-133\t20230105\t\"\"\t\"\"\t\"Anna\"\textra",
    "#TRANS 1910 {} -137.00 \"\" \"\" 1,5",
    "#TRANS 1910 {} -137.00 \"\" \"\" 1.1234567891",
    "#TRANS 1910 {} -137.00 \"\" \"\" 99999999999999999999",
    "#TRANS 1910 {} -137.00 \"\" \"\" 0 \"sig",
    "#TRANS 1910 {} -137.00 \"\" \"\" 0 \"si\\\"g\"",
    "#TRANS 1910 {} -137.00 \"\" \"\" 0 sig more",
    "#TRANS 1910 {} -137.00 \"\" \"\"0",
    "#TRANS 1910 {} -137.0.0 ",
    "#RTRANS 1910 {} 0 \"\" \"\" 0 \"Kalle\"",
    "#TRANS 1910 {} -137.00 \"20230105\" \"\" 0",
];

#[test]
fn malformed_variants_read_alike_with_the_same_diagnostics() {
    let mut with_diagnostics = 0;
    for row in MALFORMED {
        for ksumma in [false, true] {
            for crlf in [false, true] {
                // The row alone (mostly unbalanced) and twice with the same list after a row of
                // the usual form.
                let usual = "  #TRANS 3010 {\"1\" \"1120\"} 0 20230105 \"t\"";
                for rows in [&[row][..], &[usual, row, row]] {
                    let bytes = file(rows, ksumma, crlf);
                    let parsed = both(&bytes, row);
                    if parsed
                        .diagnostics
                        .iter()
                        .any(|d| d.code != Code::Checksum && d.code != Code::Unbalanced)
                    {
                        with_diagnostics += 1;
                    }
                }
            }
        }
    }
    // Most variants are wrong in a way a diagnostic names (the rest are unusual, not wrong).
    assert!(with_diagnostics >= 20 * 8, "{with_diagnostics}");
}
