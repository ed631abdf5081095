//! Random well-formed files: write, read back, compare; and random bytes never panic.

use delar_sie::*;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use std::sync::Arc;

fn text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 åäöÅÄÖé\"\\\\{}#\t.-]{1,12}").unwrap()
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    option::of(text())
}

fn sym() -> impl Strategy<Value = Sym> {
    proptest::string::string_regex("[a-zA-Z0-9 åä\"\\\\{}-]{0,6}")
        .unwrap()
        .prop_map(|s| Arc::from(s.as_str()))
}

fn account_no() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[1-8][0-9]{3}").unwrap()
}

fn date() -> impl Strategy<Value = Date> {
    (1900u16..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

fn amount() -> impl Strategy<Value = Amount> {
    (-1_000_000_000_000i64..1_000_000_000_000).prop_map(Amount)
}

fn quantity() -> impl Strategy<Value = Option<Quantity>> {
    option::of(
        (-1_000_000i64..1_000_000, 0u8..4)
            .prop_map(|(mantissa, scale)| Quantity { mantissa, scale }),
    )
}

fn objects() -> impl Strategy<Value = ObjectList> {
    vec((1u32..20, sym()), 0..3).prop_map(|v| {
        let mut l = ObjectList::new();
        for (d, id) in v {
            l.push(d, id);
        }
        l
    })
}

fn row() -> impl Strategy<Value = RowData> {
    (
        prop_oneof![
            Just(RowKind::Normal),
            Just(RowKind::Added),
            Just(RowKind::Removed)
        ],
        account_no(),
        objects(),
        amount(),
        option::of(date()),
        opt_text(),
        quantity(),
        opt_text(),
        option::of(date()),
    )
        .prop_map(
            |(kind, account, objects, amount, date, text, quantity, signature, registered)| {
                RowData {
                    // Only an added row (`#RTRANS`) has a registration date.
                    registered: registered.filter(|_| kind == RowKind::Added),
                    kind,
                    account,
                    objects: objects
                        .iter()
                        .map(|o| (o.dimension, o.id.to_string()))
                        .collect(),
                    amount,
                    date,
                    text,
                    quantity,
                    signature,
                    line: 0,
                }
            },
        )
}

fn voucher() -> impl Strategy<Value = VoucherData> {
    (
        sym(),
        proptest::string::string_regex("[0-9]{0,5}").unwrap(),
        date(),
        opt_text(),
        option::of(date()),
        opt_text(),
        vec(row(), 0..6),
    )
        .prop_map(
            |(series, number, date, text, registered, signature, mut rows)| {
                // Balance the voucher with a last row.
                let sum: i64 = rows
                    .iter()
                    .filter(|r| r.kind.counts())
                    .map(|r| r.amount.ore())
                    .sum();
                if sum != 0 {
                    rows.push(RowData::new("1910", Vec::new(), Amount(-sum)));
                }
                VoucherData {
                    series: series.to_string(),
                    number,
                    date,
                    text,
                    registered,
                    signature,
                    rows,
                    line: 0,
                }
            },
        )
}

fn balance() -> impl Strategy<Value = Balance> {
    (-3i32..=0, account_no(), amount(), quantity()).prop_map(|(year, a, amount, quantity)| {
        Balance {
            year,
            account: Arc::from(a.as_str()),
            amount,
            quantity,
            line: 0,
        }
    })
}

fn period_balance() -> impl Strategy<Value = PeriodBalance> {
    (
        -1i32..=0,
        2000u16..2030,
        1u8..=12,
        account_no(),
        objects(),
        amount(),
        quantity(),
    )
        .prop_map(|(year, y, m, a, objects, amount, quantity)| PeriodBalance {
            year,
            period: Period::new(y, m).unwrap(),
            account: Arc::from(a.as_str()),
            objects,
            amount,
            quantity,
            line: 0,
        })
}

fn object_balance() -> impl Strategy<Value = ObjectBalance> {
    (-1i32..=0, account_no(), objects(), amount(), quantity()).prop_map(
        |(year, a, objects, amount, quantity)| ObjectBalance {
            year,
            account: Arc::from(a.as_str()),
            objects,
            amount,
            quantity,
            line: 0,
        },
    )
}

fn account_type() -> impl Strategy<Value = Option<AccountType>> {
    option::of(prop_oneof![
        Just(AccountType::Asset),
        Just(AccountType::Liability),
        Just(AccountType::Cost),
        Just(AccountType::Income)
    ])
}

prop_compose! {
    fn header()(
        program in option::of((text(), opt_text()).prop_map(|(name, version)| Program { name, version })),
        generated in option::of((date(), opt_text()).prop_map(|(date, signature)| Generated { date, signature })),
        prose in opt_text(),
        company_type in opt_text(),
        company_id in opt_text(),
        org in option::of((text(), opt_text(), opt_text()).prop_map(|(number, acquisition, activity)| OrgNumber { number, acquisition, activity })),
        industry_code in opt_text(),
        address in option::of((text(), text(), text(), text()).prop_map(|(contact, street, postal, phone)| Address { contact, street, postal, phone })),
        company_name in opt_text(),
        years in btree_map(-3i32..=0, (date(), 0u16..400), 0..3),
        tax_year in option::of(1990u16..2100),
        balances_through in option::of(date()),
        chart_type in opt_text(),
        currency in opt_text(),
    ) -> SieFile {
        SieFile {
            program, generated, prose, company_type, company_id, org_number: org, industry_code,
            address, company_name,
            fiscal_years: years.into_iter().map(|(index, (start, _))| FiscalYear { index, start, end: start }).collect(),
            tax_year, balances_through, chart_type, currency,
            ..SieFile::default()
        }
    }
}

prop_compose! {
    fn sie_file()(
        mut f in header(),
        accounts in btree_map(account_no(), (text(), account_type(), opt_text(), vec(text(), 0..2)), 0..8),
        dims in btree_map(1u32..1000, (text(), option::of(1u32..1000)), 0..4),
        objs in vec((1u32..1000, sym(), text()), 0..4),
        ib in vec(balance(), 0..3),
        ub in vec(balance(), 0..3),
        res in vec(balance(), 0..3),
        oib in vec(object_balance(), 0..3),
        oub in vec(object_balance(), 0..3),
        ps in vec(period_balance(), 0..4),
        pb in vec(period_balance(), 0..4),
        vouchers in vec(voucher(), 0..5),
    ) -> SieFile {
        f.accounts = accounts.into_iter().map(|(n, (name, kind, unit, sru))| Account {
            number: Arc::from(n.as_str()), name, kind, unit, sru, line: 0,
        }).collect();
        f.dimensions = dims.into_iter().map(|(number, (name, parent))| Dimension { number, name, parent }).collect();
        f.objects = objs.into_iter().map(|(dimension, id, name)| Object { dimension, id, name }).collect();
        f.opening_balances = ib;
        f.closing_balances = ub;
        f.results = res;
        f.object_opening_balances = oib;
        f.object_closing_balances = oub;
        f.period_balances = ps;
        f.period_budgets = pb;
        for v in &vouchers {
            f.vouchers.push(v);
        }
        f.sie_type = Some(SieType::Type4);
        f
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn write_then_read_gives_the_same_data(f in sie_file(), ty in 1u8..=4) {
        let ty = SieType::from_number(ty).unwrap();
        let bytes = write(&f, ty);
        let parsed = parse(&bytes, &ParseOptions::new("gen.se").lenient());
        let errors: Vec<String> = parsed.errors().map(|d| d.to_string()).collect();
        prop_assert!(errors.is_empty(), "{:?}\n{}", errors, String::from_utf8_lossy(&bytes));
        prop_assert!(!parsed.diagnostics.iter().any(|d| d.code == Code::Checksum));
        prop_assert_eq!(parsed.file.without_positions(), f.restricted_to(ty).without_positions());
        // The streaming reader reads the same.
        let streamed = SieReader::new(&bytes[..], &ParseOptions::new("gen.se").lenient())
            .into_parsed()
            .unwrap();
        prop_assert_eq!(streamed.file, parsed.file);
    }

    #[test]
    fn fast_row_path_equals_general_path(f in sie_file()) {
        // Lower-case labels take the general path; the data must be the same.
        let text = String::from_utf8_lossy(&write(&f, SieType::Type4)).into_owned();
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("#KSUMMA"))
            .map(|l| format!("{l}\n"))
            .collect();
        let general = text
            .replace("#TRANS ", "#trans ")
            .replace("#RTRANS ", "#rtrans ")
            .replace("#BTRANS ", "#btrans ")
            .replace("#VER ", "#ver ");
        let a = parse(text.as_bytes(), &ParseOptions::new("a").lenient());
        let b = parse(general.as_bytes(), &ParseOptions::new("a").lenient());
        prop_assert_eq!(&a.file, &b.file);
        prop_assert_eq!(a.diagnostics, b.diagnostics);
    }

    #[test]
    fn random_bytes_never_panic(bytes in vec(any::<u8>(), 0..400)) {
        let _ = parse(&bytes, &ParseOptions::new("x").lenient());
        let mut with_head = b"#FLAGGA 0\n".to_vec();
        with_head.extend_from_slice(&bytes);
        let _ = parse(&with_head, &ParseOptions::new("x"));
        let _ = SieReader::new(&with_head[..], &ParseOptions::new("x")).into_parsed();
        // Lines straddling tiny buffer fills read the same as the whole buffer.
        let whole = parse(&with_head, &ParseOptions::new("x"));
        let small = std::io::BufReader::with_capacity(3, &with_head[..]);
        let streamed = SieReader::new(small, &ParseOptions::new("x")).into_parsed().unwrap();
        // (Windows-1252 is decided line by line when streaming: earlier lines may differ.)
        if streamed.encoding == whole.encoding && whole.encoding != Encoding::Windows1252 {
            prop_assert_eq!(streamed.file, whole.file);
            prop_assert_eq!(streamed.diagnostics, whole.diagnostics);
        }
    }

    #[test]
    fn random_record_soup_never_panics(lines in vec((0usize..12, vec("[ \t{}\"\\\\0-9A.-]{0,4}", 0..6)), 0..30)) {
        const LABELS: [&str; 12] = ["#VER", "#TRANS", "#RTRANS", "#BTRANS", "{", "}", "#KSUMMA", "#PSALDO", "#OIB", "#RAR", "#OBJEKT", "#X"];
        let mut text = String::from("#FLAGGA 0\n");
        for (l, fields) in lines {
            text.push_str(LABELS[l]);
            for f in fields {
                text.push(' ');
                text.push_str(&f);
            }
            text.push('\n');
        }
        let r = parse(text.as_bytes(), &ParseOptions::new("soup"));
        for d in &r.diagnostics {
            prop_assert!(d.line as usize <= text.lines().count());
        }
    }
}
