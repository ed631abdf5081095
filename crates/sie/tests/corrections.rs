//! Corrected vouchers (`#RTRANS`, its `#TRANS` copy, `#BTRANS`) in the forms exporters write
//! them (the copy rule: `delar_sie::vouchers`): balances equal the files' own `#PSALDO`, the
//! copy counts once, a missing or different copy is warned about, and every reader agrees.

use delar_sie::*;
use proptest::prelude::*;
use std::path::PathBuf;

fn data(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/corrections")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The exporters' forms: Fortnox (signature only on `#RTRANS`, empty date and text fields,
/// `#BTRANS` before the pair, ordinary rows between a `#BTRANS` and its replacement), BL
/// Administration (the change's date on `#RTRANS`, the voucher's on the copy, `{ "1" "1"}`),
/// Avendo (an identical copy, tabs, CRLF).
const FILES: [&str; 3] = ["fortnox.se", "bl.se", "identical.se"];

/// Reads `bytes` every way (whole buffer with and without the hot path, streaming in one go
/// and voucher by voucher), asserts they agree, and returns the whole-buffer result.
fn read_all_ways(bytes: &[u8], options: &ParseOptions) -> Parsed {
    let whole = parse(bytes, options);
    let general = parse_without_hot_path(bytes, options);
    assert_eq!(general.file, whole.file);
    assert_eq!(general.diagnostics, whole.diagnostics);
    let streamed = SieReader::new(bytes, options).into_parsed().unwrap();
    assert_eq!(streamed.file, whole.file);
    assert_eq!(streamed.diagnostics, whole.diagnostics);
    assert_eq!(streamed.stats, whole.stats);
    let mut one_by_one = Vouchers::new();
    let rest = SieReader::new(bytes, options)
        .read_all(|v| one_by_one.push_ref(v))
        .unwrap();
    assert_eq!(one_by_one, whole.file.vouchers);
    assert_eq!(rest.diagnostics, whole.diagnostics);
    whole
}

/// The balances from the vouchers and from the file's own `#PSALDO` (year 0).
fn both_balances(file: &SieFile) -> (Balances, Balances) {
    let from_vouchers = balances(file, 0);
    assert_eq!(from_vouchers.source, BalanceSource::Transactions);
    let from_psaldo = balances::from_balances(file, 0);
    assert_eq!(from_psaldo.source, BalanceSource::PeriodBalances);
    (from_vouchers, from_psaldo)
}

/// `text` without the `#TRANS` copy after each `#RTRANS`.
fn without_copies(text: &str) -> String {
    let mut out = String::new();
    let mut after_added = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if !(after_added && t.starts_with("#TRANS")) {
            out.push_str(line);
        }
        after_added = t.starts_with("#RTRANS");
    }
    out
}

#[test]
fn balances_equal_the_files_own_period_balances() {
    for name in FILES {
        let bytes = data(name);
        let parsed = read_all_ways(&bytes, &ParseOptions::new(name));
        let problems: Vec<String> = parsed.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        for v in parsed.file.vouchers.iter() {
            assert_eq!(v.balance(), Amount::ZERO, "{name}: {}", v.number());
        }
        let (from_vouchers, from_psaldo) = both_balances(&parsed.file);
        assert_eq!(from_vouchers.rows, from_psaldo.rows, "{name}");
    }
}

#[test]
fn the_copy_counts_once_and_keeps_what_each_line_gives() {
    // Fortnox: the signature and quantity of the #RTRANS; no dates anywhere.
    let f = parse(&data("fortnox.se"), &ParseOptions::new("fortnox.se"));
    let v = f.file.vouchers.iter().find(|v| v.number() == "2").unwrap();
    let rows: Vec<RowData> = v.rows().map(|r| r.to_data()).collect();
    assert_eq!(rows.len(), 3, "{rows:#?}");
    let added = &rows[2];
    assert_eq!(
        (added.kind, added.account.as_str(), added.amount),
        (RowKind::Added, "6250", Amount(21800))
    );
    assert_eq!(added.signature.as_deref(), Some("Signatur"));
    assert_eq!(added.quantity, Some(Quantity::parse(b"0").unwrap()));
    assert_eq!((added.date, added.registered), (None, None));
    assert_eq!(v.rows().nth(2).unwrap().booking_date(&v), v.date());

    // BL: the copy's date is the booking date, the #RTRANS's the registration date, which
    // draws no warning although it lies after the fiscal year.
    let b = parse(&data("bl.se"), &ParseOptions::new("bl.se"));
    assert!(b.diagnostics.is_empty(), "{:?}", b.diagnostics);
    let v = b.file.vouchers.iter().find(|v| v.number() == "33").unwrap();
    let r = v.rows().next().unwrap();
    assert_eq!(
        (r.kind(), r.account(), r.amount()),
        (RowKind::Added, "1920", Amount(100000))
    );
    assert_eq!(r.date(), Date::new(2010, 1, 31));
    assert_eq!(r.registered(), Date::new(2010, 8, 26));
    assert_eq!(r.signature(), Some("2 Christer Bengtsson"));
    assert_eq!(r.line(), 50);
    let v = b.file.vouchers.iter().find(|v| v.number() == "25").unwrap();
    let r = v.rows().nth(3).unwrap();
    assert_eq!(r.object(1), Some("1"));
    assert_eq!(r.kind(), RowKind::Added);
    assert_eq!(r.booking_date(&v), Date::new(2010, 1, 22).unwrap());
}

#[test]
fn without_the_copies_the_balances_are_the_same_and_each_rtrans_is_warned_about() {
    for name in FILES {
        let bytes = data(name);
        let text = String::from_utf8(bytes.clone()).unwrap();
        let bare = without_copies(&text);
        assert!(bare.len() < text.len(), "{name}");
        let with = parse(&bytes, &ParseOptions::new(name));
        let without = read_all_ways(bare.as_bytes(), &ParseOptions::new(name));
        assert_eq!(
            balances(&with.file, 0),
            balances(&without.file, 0),
            "{name}"
        );
        // The warning is on the #RTRANS, or on the #TRANS after it that is now no copy.
        let lines: Vec<&str> = bare.lines().map(str::trim_start).collect();
        let added_lines: Vec<u32> = (0..lines.len())
            .filter(|&i| lines[i].starts_with("#RTRANS"))
            .map(|i| match lines.get(i + 1) {
                Some(next) if next.starts_with("#TRANS") => i as u32 + 2,
                _ => i as u32 + 1,
            })
            .collect();
        let warned: Vec<u32> = without
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::Correction && d.severity == Severity::Warning)
            .map(|d| d.line)
            .collect();
        assert_eq!(warned, added_lines, "{name}");
        assert_eq!(without.diagnostics.len(), warned.len(), "{name}");
        let d = &without.diagnostics[0];
        assert!(
            d.message
                .contains("#RTRANS (tillagd rad) följs inte av sin kopia som #TRANS")
                || d.message
                    .contains("så den är ingen kopia av den tillagda raden"),
            "{d}"
        );
        assert!(d.column >= 1);
    }
}

#[test]
fn a_different_trans_after_rtrans_is_its_own_row_with_a_warning() {
    let head = "#FLAGGA 0\n#SIETYP 4\n#RAR 0 20260101 20261231\n#KONTO 1930 \"Bank\"\n#KONTO 3010 \"F\"\n#KONTO 6250 \"Porto\"\n#KONTO 6251 \"Porto\"\n";
    let cases = [
        (
            "#RTRANS 6250 {} 218 \"\" \"\" 0 \"S\"\n#TRANS 6251 {} 218 \"\" \"\" 0\n",
            "kontot 6251 i stället för 6250",
        ),
        (
            "#RTRANS 6250 {1 \"1\"} 218\n#TRANS 6250 { \"1\" \"2\"} 218\n",
            "objektlistan {1 \"2\"} i stället för {1 \"1\"}",
        ),
        (
            "#RTRANS 6250 {} 218\n\t#TRANS 6250 {} 219\n",
            "beloppet 219.00 i stället för 218.00",
        ),
    ];
    for (rows, what) in cases {
        let text = format!("{head}#VER A 1 20260112\n{{\n{rows}}}\n");
        let p = read_all_ways(text.as_bytes(), &ParseOptions::new("t.se").lenient());
        let warnings: Vec<&Diagnostic> = p
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::Correction)
            .collect();
        assert_eq!(warnings.len(), 1, "{rows}: {:?}", p.diagnostics);
        let d = warnings[0];
        assert_eq!(d.line, 11, "{d}");
        assert!(d.message.contains(what), "{d}");
        assert!(d.message.contains("rad 10"), "{d}");
        // Both rows count: the voucher does not balance, which is reported too.
        assert_eq!(p.file.vouchers.get(0).unwrap().row_count(), 2);
        assert!(p.diagnostics.iter().any(|d| d.code == Code::Unbalanced));
    }
    // The tab before #TRANS counts in the column.
    let text = format!("{head}#VER A 1 20260112\n{{\n{}}}\n", cases[2].0);
    let p = parse(text.as_bytes(), &ParseOptions::new("t.se").lenient());
    assert_eq!(p.diagnostics[0].column, 2);
    // An #RTRANS followed by a #BTRANS, and one that ends the voucher.
    let text = format!(
        "{head}#VER A 1 20260112\n{{\n#RTRANS 1930 {{}} 5\n#BTRANS 1930 {{}} 5\n#RTRANS 3010 {{}} -5 20270101\n}}\n"
    );
    let p = read_all_ways(text.as_bytes(), &ParseOptions::new("t.se"));
    let lines: Vec<(u32, u32, Code)> = p
        .diagnostics
        .iter()
        .map(|d| (d.line, d.column, d.code))
        .collect();
    assert_eq!(
        lines,
        vec![(10, 1, Code::Correction), (12, 1, Code::Correction)]
    );
    let v = p.file.vouchers.get(0).unwrap();
    assert_eq!(v.balance(), Amount::ZERO);
    // Without a copy the #RTRANS date is the registration date; the row books in the
    // voucher's month.
    let r = v.rows().nth(2).unwrap();
    assert_eq!((r.date(), r.registered()), (None, Date::new(2027, 1, 1)));
}

#[test]
fn written_and_read_back_the_corrections_are_the_same() {
    for name in FILES {
        let first = parse(&data(name), &ParseOptions::new(name));
        let written = write(&first.file, SieType::Type4);
        let text = String::from_utf8_lossy(&written);
        assert!(text.contains("#RTRANS"), "{name}");
        let second = read_all_ways(&written, &ParseOptions::new(name));
        assert!(
            second.diagnostics.is_empty(),
            "{name}: {:?}",
            second.diagnostics
        );
        assert_eq!(
            second.file.without_positions().vouchers,
            first.file.without_positions().vouchers,
            "{name}"
        );
    }
}

#[test]
fn stats_count_the_lines_each_path_read() {
    // Fortnox's rows (empty date and text, a quantity, a signature on #RTRANS and
    // #BTRANS) and #VER lines are read by the hot path.
    let bytes = data("fortnox.se");
    let fast = parse(&bytes, &ParseOptions::new("f"));
    assert_eq!(
        fast.stats,
        ReadStats {
            hot_rows: 10,
            hot_vers: 3,
            general_rows: 0,
            general_vers: 0,
            hot_balances: 11,
            general_balances: 0,
        }
    );
    let general = parse_without_hot_path(&bytes, &ParseOptions::new("f"));
    assert_eq!(
        general.stats,
        ReadStats {
            hot_rows: 0,
            hot_vers: 0,
            general_rows: 10,
            general_vers: 3,
            hot_balances: 0,
            general_balances: 11,
        }
    );
    let bytes = data("identical.se");
    let mut reader = SieReader::new(&bytes[..], &ParseOptions::new("i"));
    while reader.next_voucher().is_some() {}
    assert_eq!(
        reader.stats(),
        ReadStats {
            hot_rows: 5,
            hot_vers: 1,
            general_rows: 0,
            general_vers: 0,
            hot_balances: 3,
            general_balances: 0,
        }
    );
}

/// One correction in an exporter's form: the rows it adds to a voucher dated `date`, the
/// change registered on `registered`, moving `amount` from account `from` to `to`.
fn correction(
    form: u8,
    from: &str,
    to: &str,
    amount: &str,
    objects: &str,
    date: &str,
    registered: &str,
) -> String {
    match form {
        // Fortnox: #BTRANS, an ordinary row between, signature only on #RTRANS.
        0 => format!(
            "#BTRANS {from} {objects} {amount} \"\" \"\" 0 \"Signatur\"\n#TRANS 1930 {{}} 0 \"\" \"\" 0\n#RTRANS {to} {objects} {amount} \"\" \"\" 0 \"Signatur\"\n#TRANS {to} {objects} {amount} \"\" \"\" 0\n"
        ),
        // BL Administration: the change's date on #BTRANS/#RTRANS, the voucher's on the copy.
        1 => format!(
            "#BTRANS {from}  {objects} {amount} {registered} \"\" \"\" \"2 Christer Bengtsson\"\n#RTRANS {to}  {objects} {amount} {registered} \"\" \"\" \"2 Christer Bengtsson\"\n#TRANS {to}  {objects} {amount} {date} \"\" \n"
        ),
        // An identical copy (Avendo, the specification's example).
        _ => format!(
            "\t#BTRANS {from} {objects} {amount}\n\t#RTRANS {to} {objects} {amount}\n\t#TRANS  {to} {objects} {amount}\n"
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Vouchers with corrections in the exporters' forms: every reader agrees, vouchers
    /// balance, there is no warning, and the file reads to the same balances without the
    /// compatibility copies (then with a warning per #RTRANS).
    #[test]
    fn corrections_in_every_form_read_to_the_same_balances(
        vouchers in proptest::collection::vec(
            (
                1u8..=28,
                proptest::collection::vec(
                    (0u8..3, 0usize..4, 0usize..4, 1i64..100_000, any::<bool>()),
                    0..4,
                ),
            ),
            1..6,
        ),
    ) {
        let accounts = ["1920", "1930", "3010", "6250"];
        let mut text = String::from(
            "#FLAGGA 0\n#SIETYP 4\n#RAR 0 20260101 20261231\n#DIM 1 \"Enhet\"\n#KONTO 1910 \"Kassa\"\n#KONTO 1920 \"PlusGiro\"\n#KONTO 1930 \"Bank\"\n#KONTO 3010 \"F\"\n#KONTO 6250 \"Porto\"\n",
        );
        for (k, (day, corrections)) in vouchers.iter().enumerate() {
            let date = format!("202603{day:02}");
            text.push_str(&format!("#VER A {} {date} \"v\"\n{{\n", k + 1));
            let mut sum = 0i64;
            for &(form, from, to, ore, with_objects) in corrections {
                let amount = format!("{}.{:02}", ore / 100, ore % 100);
                let objects = if with_objects { "{1 \"7\"}" } else { "{}" };
                let objects = if form == 1 && with_objects { "{ \"1\" \"7\"}" } else { objects };
                text.push_str(&correction(
                    form, accounts[from], accounts[to], &amount, objects, &date, "20270826",
                ));
                sum += ore;
            }
            if sum != 0 {
                text.push_str(&format!("#TRANS 1910 {{}} -{}.{:02}\n", sum / 100, sum % 100));
            }
            text.push_str("}\n");
        }
        let with = read_all_ways(text.as_bytes(), &ParseOptions::new("p.se"));
        prop_assert!(with.diagnostics.is_empty(), "{:?}\n{text}", with.diagnostics);
        let bare = without_copies(&text);
        let without = read_all_ways(bare.as_bytes(), &ParseOptions::new("p.se"));
        prop_assert!(!without.has_errors(), "{:?}", without.diagnostics);
        prop_assert_eq!(
            without.diagnostics.iter().filter(|d| d.code == Code::Correction).count(),
            bare.matches("#RTRANS").count()
        );
        prop_assert_eq!(balances(&with.file, 0), balances(&without.file, 0));
    }
}

/// A quantity of `0` (Fortnox writes it on every row) is kept without an entry aside
/// (`ZERO_QUANTITY_FLAG`); every reader, the corrections and a write and read back give the
/// same quantities as for any other value.
#[test]
fn zero_quantities_read_as_written() {
    let text = "#FLAGGA 0\n#SIETYP 4\n#RAR 0 20230101 20231231\n#KONTO 1930 \"Bank\"\n\
        #KONTO 3001 \"F\"\n#VER A 1 20230105 \"\"\n{\n\
        #TRANS 1930 {} 100.00 \"\" \"\" 0\n\
        #TRANS 3001 {} -40.00 \"\" \"\" 0.00\n\
        #TRANS 3001 {} -50.00 \"\" \"\" 00\n\
        #TRANS 3001 {} -10.00 \"\" \"\" 2\n}\n\
        #VER A 2 20230106 \"\"\n{\n\
        #RTRANS 1930 {} 15.00 20230107 \"\" 0\n\
        #TRANS 1930 {} 15.00 \"\" \"\" 0\n\
        #BTRANS 1930 {} 5.00 \"\" \"\" 0\n\
        #TRANS 3001 {} -10.00 \"\" \"\" 0 \"Sig\"\n\
        #TRANS 3001 {} -5.00 \"\" \"\"\n}\n";
    let q = |m, s| {
        Some(Quantity {
            mantissa: m,
            scale: s,
        })
    };
    let parsed = read_all_ways(text.as_bytes(), &ParseOptions::new("zero.se"));
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let quantities = |file: &SieFile| -> Vec<(RowKind, Option<Quantity>, Option<String>)> {
        file.vouchers
            .iter()
            .flat_map(|v| {
                v.rows()
                    .map(|r| (r.kind(), r.quantity(), r.signature().map(str::to_string)))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let expected = vec![
        (RowKind::Normal, q(0, 0), None),
        (RowKind::Normal, q(0, 2), None),
        (RowKind::Normal, q(0, 0), None),
        (RowKind::Normal, q(2, 0), None),
        (RowKind::Added, q(0, 0), None),
        (RowKind::Removed, q(0, 0), None),
        (RowKind::Normal, q(0, 0), Some("Sig".to_string())),
        (RowKind::Normal, None, None),
    ];
    assert_eq!(quantities(&parsed.file), expected);
    let added = parsed
        .file
        .vouchers
        .iter()
        .nth(1)
        .unwrap()
        .rows()
        .next()
        .unwrap();
    assert_eq!(added.registered(), Date::new(2023, 1, 7));
    let written = write(&parsed.file, SieType::Type4);
    let again = read_all_ways(&written, &ParseOptions::new("zero.se"));
    assert_eq!(quantities(&again.file), expected);
}
