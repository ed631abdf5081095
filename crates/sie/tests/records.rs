//! Field syntax, record semantics and checks on small hand-written files.

use delar_sie::*;

fn p(text: &str) -> Parsed {
    parse(text.as_bytes(), &ParseOptions::new("t.se"))
}

fn codes(parsed: &Parsed) -> Vec<(Severity, Code, u32)> {
    parsed
        .diagnostics
        .iter()
        .map(|d| (d.severity, d.code, d.line))
        .collect()
}

const HEAD: &str = "#FLAGGA 0\r\n#SIETYP 4\r\n#RAR 0 20230101 20231231\r\n#KONTO 1910 \"Kassa\"\r\n#KONTO 3010 \"Försäljning\"\r\n#KONTO 5010 Lokalhyra\r\n";

#[test]
fn field_syntax_as_exported_in_the_wild() {
    let text = format!(
        "{HEAD}#DIM 1 \"Ansvar\"\n#DIM 6 Projekt\n#OBJEKT 1 \"10\" \"Tio \\\"x\\\"\"\n#VER A 7 20230105 \"Hyra \\\"jan\\\"\"\n{{\n\t#TRANS\t5010\t{{1 \"10\" 6 Bilen}}   100.5\t\"\"  \"rad\"\n  #TRANS 1910 {{}} -100.50\n}}\n"
    );
    let r = p(&text);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let f = &r.file;
    assert_eq!(f.objects[0].name, "Tio \"x\"");
    let v = f.vouchers.get(0).unwrap().to_data();
    assert_eq!(v.text.as_deref(), Some("Hyra \"jan\""));
    assert_eq!(v.number, "7");
    assert_eq!(v.rows.len(), 2);
    let r0 = &v.rows[0];
    assert_eq!(r0.amount, Amount(10050));
    assert_eq!(r0.date, None);
    assert_eq!(r0.text.as_deref(), Some("rad"));
    let objs: Vec<(u32, &str)> = r0.objects.iter().map(|o| (o.0, o.1.as_str())).collect();
    assert_eq!(objs, vec![(1, "10"), (6, "Bilen")]);
    assert!(v.rows[1].objects.is_empty());
    assert_eq!(v.line, 10);
    assert_eq!(f.accounts[1].name, "Försäljning");
}

#[test]
fn backslashes_are_literal_unless_before_a_quote() {
    let r = p("#FLAGGA 0\n#KONTO 1229 \"1820\\A012 Cykel\"\n#KONTO 1230 \"slut\\\\\"\n");
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    assert_eq!(r.file.accounts[0].name, "1820\\A012 Cykel");
    assert_eq!(r.file.accounts[1].name, "slut\\");
}

#[test]
fn too_many_decimals_is_an_error_with_column() {
    let text = format!(
        "{HEAD}#VER A 1 20230105\n{{\n#TRANS 1910 {{}} 1.005\n#TRANS 3010 {{}} -1.00\n}}\n"
    );
    let r = p(&text);
    let d: Vec<_> = r.errors().collect();
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(d[0].code, Code::TooManyDecimals);
    assert_eq!((d[0].line, d[0].column), (9, 16));
    assert_eq!(
        d[0].to_string(),
        "t.se:9:16: error: felaktigt belopp: `1.005` har 3 decimaler; belopp har högst två (öre); avrunda det till hela ören i det exporterande programmet"
    );
    // The damaged voucher is not also reported as unbalanced.
    assert!(!r.diagnostics.iter().any(|d| d.code == Code::Unbalanced));
}

#[test]
fn rtrans_copy_is_not_counted_twice_and_btrans_does_not_count() {
    let text = format!(
        "{HEAD}#VER A 1 20230105\n{{\n#TRANS 1910 {{}} 100\n#TRANS 3010 {{}} -100\n#BTRANS 3010 {{}} -100\n#RTRANS 1910 {{}} 50 20230106\n#TRANS 1910 {{}} 50 20230106\n#RTRANS 3010 {{}} -50\n#TRANS 3010 {{}} -50\n}}\n"
    );
    let r = p(&text);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let kinds: Vec<RowKind> = r
        .file
        .vouchers
        .get(0)
        .unwrap()
        .rows()
        .map(|r| r.kind())
        .collect();
    assert_eq!(
        kinds,
        vec![
            RowKind::Normal,
            RowKind::Normal,
            RowKind::Removed,
            RowKind::Added,
            RowKind::Added
        ]
    );
    let b = balances(&r.file, 0);
    let got: Vec<(String, i64)> = b
        .rows
        .iter()
        .map(|x| (x.account.to_string(), x.amount.ore()))
        .collect();
    assert_eq!(got, vec![("1910".into(), 15000), ("3010".into(), -15000)]);
    // A #TRANS after an #RTRANS that differs is a row of its own, with a warning.
    let text = format!(
        "{HEAD}#VER A 1 20230105\n{{\n#RTRANS 1910 {{}} 50\n#TRANS 1910 {{}} 60\n#TRANS 3010 {{}} -110\n}}\n"
    );
    let r = p(&text);
    assert_eq!(codes(&r), vec![(Severity::Warning, Code::Correction, 10)]);
    let d = &r.diagnostics[0];
    assert_eq!(d.column, 1);
    assert!(
        d.message
            .contains("#TRANS efter #RTRANS på rad 9 har beloppet 60.00 i stället för 50.00"),
        "{d}"
    );
    assert_eq!(r.file.vouchers.get(0).unwrap().row_count(), 3);
}

#[test]
fn unbalanced_voucher_strict_and_lenient() {
    let text = format!(
        "{HEAD}#VER B 3 20230105 \"x\"\n{{\n#TRANS 1910 {{}} 100\n#TRANS 3010 {{}} -99.99\n}}\n"
    );
    let strict = p(&text);
    assert_eq!(codes(&strict), vec![(Severity::Error, Code::Unbalanced, 7)]);
    assert!(strict.diagnostics[0]
        .message
        .contains("verifikation B 3 (rad 7)"));
    assert!(strict.diagnostics[0].message.contains("summerar till 0.01"));
    let lenient = parse(text.as_bytes(), &ParseOptions::new("t.se").lenient());
    assert_eq!(
        codes(&lenient),
        vec![(Severity::Warning, Code::Unbalanced, 7)]
    );
    assert_eq!(lenient.file.vouchers.len(), 1);
    assert!(strict.into_result().is_err());
}

#[test]
fn checks_dates_accounts_duplicates() {
    let text = format!(
        "{HEAD}#VER A 1 20240105\n{{\n#TRANS 1910 {{}} 100\n#TRANS 9999 {{}} -100\n}}\n#VER A 1 20230105\n{{\n#TRANS 1910 {{}} 1\n#TRANS 3010 {{}} -1\n}}\n"
    );
    let r = p(&text);
    assert_eq!(
        codes(&r),
        vec![
            (Severity::Warning, Code::DateOutsideYear, 7),
            (Severity::Warning, Code::DuplicateVoucher, 12),
            (Severity::Warning, Code::UndeclaredAccount, 10),
        ]
    );
    assert!(r.diagnostics[2].message.contains("konto 9999"));
    assert!(!r.has_errors());
}

#[test]
fn unknown_records_are_kept_as_warnings() {
    let r = p("#FLAGGA 0\n#NYPOST 1 \"två\" {1 2}\n#SIETYP 1\n");
    assert_eq!(codes(&r), vec![(Severity::Warning, Code::UnknownRecord, 2)]);
    assert_eq!(r.file.unknown_records[0].label, "#NYPOST");
    assert_eq!(r.file.unknown_records[0].rest, "1 \"två\" {1 2}");
    assert_eq!(r.file.sie_type, Some(SieType::Type1));
}

#[test]
fn encodings_are_detected() {
    let cp437 = b"#FLAGGA 0\n#FNAMN \"\x99vningsbolaget \x86\x84\x94\"\n";
    let r = parse(cp437, &ParseOptions::new("a"));
    assert_eq!(r.encoding, Encoding::Cp437);
    assert_eq!(r.file.company_name.as_deref(), Some("Övningsbolaget åäö"));
    let latin = b"#FLAGGA 0\n#FNAMN \"\xd6vningsbolaget \xe5\xe4\xf6\"\n";
    let r = parse(latin, &ParseOptions::new("a"));
    assert_eq!(r.encoding, Encoding::Windows1252);
    assert_eq!(r.file.company_name.as_deref(), Some("Övningsbolaget åäö"));
    let utf8 = "\u{feff}#FLAGGA 0\n#FNAMN \"Övningsbolaget åäö\"\n";
    let r = parse(utf8.as_bytes(), &ParseOptions::new("a"));
    assert_eq!(r.encoding, Encoding::Utf8);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.file.company_name.as_deref(), Some("Övningsbolaget åäö"));
    // The streaming reader decides on the first line with letters.
    let s = SieReader::new(&latin[..], &ParseOptions::new("a"))
        .into_parsed()
        .unwrap();
    assert_eq!(s.encoding, Encoding::Windows1252);
    assert_eq!(s.file.company_name.as_deref(), Some("Övningsbolaget åäö"));
}

#[test]
fn not_sie_and_garbage_never_panic() {
    let r = p("<html><body>404</body></html>");
    assert_eq!(codes(&r), vec![(Severity::Error, Code::NotSie, 1)]);
    assert!(r.diagnostics[0].message.starts_with("ingen SIE-fil"));
    let r = p("");
    assert_eq!(r.diagnostics[0].code, Code::NotSie);
    for junk in [
        "#VER",
        "#TRANS 1910",
        "#VER A 1 20230101\n{\n#TRANS 1 {1 \"x} 5\n",
        "#PSALDO 0 202313 1910 {} 5",
        "}\n{\n#VER \"\" \"\" 20230101\n#KSUMMA 12\n#KSUMMA\n",
        "#RAR 0 20231231 20230101\n#KSUMMA x",
        "#TRANS 1 {1} 99999999999999999999",
    ] {
        let r = p(junk);
        assert!(r.has_errors(), "{junk:?}: {:?}", r.diagnostics);
        for d in &r.diagnostics {
            assert!(!d.message.is_empty());
        }
    }
}

#[test]
fn file_cut_off_inside_a_voucher() {
    let text = format!("{HEAD}#VER A 1 20230105\n{{\n#TRANS 1910 {{}} 100\n");
    let r = p(&text);
    assert!(r
        .errors()
        .any(|d| d.code == Code::Structure && d.message.contains("rad 7")));
    assert_eq!(r.file.vouchers.len(), 1);
}

#[test]
fn balances_prefer_trans_then_psaldo_then_res() {
    let text = format!(
        "{HEAD}#RAR -1 20220101 20221231\n#RES 0 3010 -500\n#UB 0 1910 500\n#PSALDO 0 202301 3010 {{}} -7\n#PSALDO 0 202301 3010 {{1 \"10\"}} -7\n#RES -1 3010 -1\n#VER A 1 20230105\n{{\n#TRANS 1910 {{1 \"10\"}} 100\n#TRANS 3010 {{1 \"10\" 6 P}} -100\n}}\n#VER A 2 20230205\n{{\n#TRANS 1910 {{}} 1\n#TRANS 3010 {{}} -1\n}}\n"
    );
    let r = p(&text);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    let b = balances(&r.file, 0);
    assert_eq!(b.source, BalanceSource::Transactions);
    let rows: Vec<String> = b
        .rows
        .iter()
        .map(|x| {
            format!(
                "{} {} {:?} {}",
                x.account,
                x.period.map(|p| p.to_string()).unwrap_or_default(),
                x.objects
                    .iter()
                    .map(|o| format!("{}:{}", o.dimension, o.id))
                    .collect::<Vec<_>>(),
                x.amount
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            "1910 202301 [] 100.00",
            "1910 202301 [\"1:10\"] 100.00",
            "1910 202302 [] 1.00",
            "3010 202301 [] -100.00",
            "3010 202301 [\"1:10\"] -100.00",
            "3010 202301 [\"6:P\"] -100.00",
            "3010 202302 [] -1.00",
        ]
    );
    let mut no_vouchers = r.file.clone();
    no_vouchers.vouchers.clear();
    let b = balances(&no_vouchers, 0);
    assert_eq!(b.source, BalanceSource::PeriodBalances);
    assert_eq!(b.rows.len(), 2);
    let b = balances(&r.file, -1);
    assert_eq!(b.source, BalanceSource::YearBalances);
    assert_eq!(b.rows[0].amount, Amount(-100));
    assert_eq!(balances(&r.file, -2).source, BalanceSource::Nothing);
}

#[test]
fn writer_output_is_cp437_with_valid_checksum() {
    let text = format!("{HEAD}#VER A 1 20230105 \"Åtgärd\"\n{{\n#RTRANS 1910 {{}} 100\n#TRANS 1910 {{}} 100\n#TRANS 3010 {{}} -100\n}}\n");
    let r = p(&text);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let out = write(&r.file, SieType::Type4);
    assert!(out.windows(3).any(|w| w == b"\x8Ftg"), "Å in CP437");
    let text_out = String::from_utf8_lossy(&out);
    assert!(text_out.contains("#RTRANS 1910 {} 100.00\r\n\t#TRANS 1910 {} 100.00\r\n"));
    let again = parse(&out, &ParseOptions::new("w"));
    assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
    assert_eq!(again.file.vouchers.get(0).unwrap().row_count(), 2);
    // Changing one byte breaks the checksum.
    let mut bad = out.clone();
    let i = bad.windows(5).position(|w| w == b"Kassa").unwrap();
    bad[i] = b'k';
    let r = parse(&bad, &ParseOptions::new("w"));
    assert_eq!(r.errors().next().map(|d| d.code), Some(Code::Checksum));
}

#[test]
fn row_dates_and_periods_outside_the_year_are_warned() {
    let text = format!(
        "{HEAD}#PSALDO 0 202212 3010 {{}} 5\n#PBUDGET 0 202212 3010 {{}} 5\n#VER A 1 20230105\n{{\n#TRANS 1910 {{}} 100 20220101\n#TRANS 3010 {{}} -100\n}}\n"
    );
    let r = p(&text);
    assert_eq!(
        codes(&r),
        vec![
            (Severity::Warning, Code::DateOutsideYear, 7),
            (Severity::Warning, Code::DateOutsideYear, 11),
        ]
    );
    assert!(r.diagnostics[0].message.contains("perioden 202212"));
    assert_eq!(r.diagnostics[0].column, 11);
    assert!(r.diagnostics[1].message.contains("raddatumet 2022-01-01"));
}

#[test]
fn diagnostics_are_capped_but_counted() {
    let mut text = String::from("#FLAGGA 0\n");
    for _ in 0..10_050 {
        text.push_str("#KTYP 1910 X\n");
    }
    let r = p(&text);
    assert_eq!(r.diagnostics.len(), 10_001);
    let last = r.diagnostics.last().unwrap();
    assert!(
        last.message
            .starts_with("ytterligare 50 fel och 0 varningar"),
        "{last}"
    );
    assert!(last.is_error());
}

#[test]
fn streaming_keeps_a_voucher_begun_on_the_line_that_ends_the_previous_one() {
    // The first voucher lacks its `}`: the second `#VER` ends it and begins the next one on
    // the same line, so the streaming reader hands out the first while the second is open.
    let text = format!(
        "{HEAD}#VER A 1 20230105 \"Första\"\n{{\n#TRANS 1910 {{}} 100 \"\" \"rad ett\"\n#TRANS 3010 {{}} -100\n#VER A 2 20230106 \"Andra\" 20230107 kg\n{{\n#TRANS 1910 {{1 \"10\"}} 50 20230106 \"rad två\" 2 sign\n#TRANS 3010 {{}} -50\n}}\n"
    );
    let whole = p(&text);
    assert_eq!(codes(&whole), vec![(Severity::Error, Code::Structure, 11)]);
    let mut streamed = Vouchers::new();
    let rest = SieReader::new(text.as_bytes(), &ParseOptions::new("t.se"))
        .read_all(|v| streamed.push_ref(v))
        .unwrap();
    assert_eq!(rest.diagnostics, whole.diagnostics);
    assert_eq!(streamed, whole.file.vouchers);
    let second = streamed.get(1).unwrap().to_data();
    assert_eq!(second.text.as_deref(), Some("Andra"));
    assert_eq!(second.signature.as_deref(), Some("kg"));
    assert_eq!(second.rows[0].text.as_deref(), Some("rad två"));
    assert_eq!(second.rows[0].signature.as_deref(), Some("sign"));
    assert_eq!(second.rows[0].objects, vec![(1, "10".to_string())]);
    assert_eq!(
        streamed.get(0).unwrap().rows().next().unwrap().text(),
        Some("rad ett")
    );
}
