//! The engine's per-posting lookups give what the plain ones give: the sole row of an
//! account (`sole_row_for_account`, no allocation) agrees with `rows_for_account` for
//! every account, with and without rows that overlap; the object ranges (an id read once
//! for several ranges) agree with a plain reading of each range.

use delar_core::config::{parse_config, Config, ObjectRange};

const EXAMPLE: &str = include_str!("../../../examples/servicenamnd-it-2023/delar.toml");

fn check_rows(config: &Config) {
    for account in 0..100_000 {
        let all = config.rows_for_account(account);
        let sole = config.sole_row_for_account(account);
        match all.as_slice() {
            [one] => assert_eq!(sole, Ok(*one), "{account}"),
            many => assert_eq!(sole, Err(many.len()), "{account}"),
        }
    }
}

#[test]
fn the_sole_row_agrees_with_every_claiming_row() {
    let config = parse_config(EXAMPLE.as_bytes()).unwrap();
    check_rows(&config);
    assert_eq!(config.sole_row_for_account(1930), Err(0));
    // Rows that overlap: 5000-5999 claimed twice, 3950 three times.
    let overlapping = EXAMPLE
        .replace(
            r#"accounts = ["6100-6299"]"#,
            r#"accounts = ["6100-6299", "5500-5599", "3950"]"#,
        )
        .replace(
            r#"accounts = ["3000-3899"]"#,
            r#"accounts = ["3000-3899", "3950"]"#,
        );
    assert_ne!(overlapping, EXAMPLE);
    // The configuration takes overlapping rows (the claims check reports them).
    let config = parse_config(overlapping.as_bytes()).unwrap();
    check_rows(&config);
    assert_eq!(config.sole_row_for_account(5550), Err(2));
    assert_eq!(config.sole_row_for_account(3950), Err(3));
}

/// A plain reading of one range, as the engine read it before ids were read once.
fn plain(range: &ObjectRange, id: &str) -> bool {
    match range {
        ObjectRange::Numeric { from, to } => {
            let id = id.trim();
            !id.is_empty()
                && id.bytes().all(|c| c.is_ascii_digit())
                && id.parse::<u64>().is_ok_and(|v| (*from..=*to).contains(&v))
        }
        ObjectRange::Exact(s) => s == id.trim(),
    }
}

#[test]
fn object_ranges_read_an_id_as_before() {
    let ranges: Vec<ObjectRange> = ["8500-8599", "8520", "Exakt", "0-0", "18446744073709551615"]
        .iter()
        .map(|t| ObjectRange::parse(t).unwrap())
        .collect();
    let ids = [
        "8510",
        " 8520 ",
        "08520",
        "8600",
        "85a0",
        "",
        " ",
        "Exakt",
        " Exakt ",
        "exakt",
        "0",
        "000",
        "18446744073709551615",
        "18446744073709551616",
        "-1",
        "+5",
        "٣",
    ];
    for range in &ranges {
        for id in ids {
            assert_eq!(range.contains(id), plain(range, id), "{range:?} {id:?}");
        }
    }
    for id in ids {
        let expected = ranges.iter().any(|r| plain(r, id));
        assert_eq!(
            delar_core::config::objects_contain(&ranges, id),
            expected,
            "{id:?}"
        );
    }
}
