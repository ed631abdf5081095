//! Exact numbers: amounts in öre, hours in hundredths, decimal percentages, dates, and the
//! rounding rules (half away from zero, largest remainder). Never floating point.

use std::fmt;

/// Öre per kronor.
pub const ORE_PER_KR: i64 = 100;
/// Öre per tkr (thousand kronor).
pub const ORE_PER_TKR: i64 = 100_000;

/// Why a number in a source could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberError(pub String);

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses a decimal written the Swedish or the English way into an integer scaled by
/// `10^decimals`: `1234`, `1234.50`, `1234,50`, `-1 234,50`, `1 234 567` (space, no-break
/// space or thin space as thousands separator), `−1234` (U+2212 minus). More than
/// `decimals` decimals is an error.
pub fn parse_decimal(text: &str, decimals: u32) -> Result<i64, NumberError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(NumberError("tomt värde, ett tal väntades".into()));
    }
    let (negative, rest) = if let Some(r) = t.strip_prefix('-') {
        (true, r)
    } else if let Some(r) = t.strip_prefix('\u{2212}') {
        (true, r)
    } else {
        (false, t)
    };
    let bad = || NumberError(format!("\"{text}\" är inget giltigt tal"));
    let seps: Vec<(usize, char)> = rest
        .char_indices()
        .filter(|(_, c)| *c == '.' || *c == ',')
        .collect();
    if seps.len() > 1 {
        return Err(bad());
    }
    let (int_part, frac_part) = match seps.first() {
        Some((i, c)) => (&rest[..*i], &rest[*i + c.len_utf8()..]),
        None => (rest, ""),
    };
    if seps.len() == 1 && frac_part.is_empty() {
        return Err(bad());
    }
    // Integer part: digits, optionally grouped by three with a space-like separator.
    let groups: Vec<&str> = int_part
        .split([' ', '\u{a0}', '\u{2009}', '\u{202f}'])
        .collect();
    if groups
        .iter()
        .any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return Err(bad());
    }
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    if frac_part.len() > decimals as usize {
        return Err(NumberError(format!(
            "\"{text}\" har fler än {decimals} decimaler"
        )));
    }
    let mut value: i64 = 0;
    let overflow = || NumberError(format!("\"{text}\" är för stort"));
    for g in &groups {
        for b in g.bytes() {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(i64::from(b - b'0')))
                .ok_or_else(overflow)?;
        }
    }
    let mut frac: i64 = 0;
    for i in 0..decimals as usize {
        let digit = frac_part
            .as_bytes()
            .get(i)
            .map_or(0, |b| i64::from(b - b'0'));
        frac = frac * 10 + digit;
    }
    let scale = 10i64.checked_pow(decimals).ok_or_else(overflow)?;
    let v = value
        .checked_mul(scale)
        .and_then(|v| v.checked_add(frac))
        .ok_or_else(overflow)?;
    Ok(if negative { -v } else { v })
}

/// The largest amount a single source line may carry: 100 000 000 000 kr in öre. Sums of
/// up to 900 000 such lines stay within `i64`.
pub const MAX_AMOUNT_ORE: i64 = 10_000_000_000_000;

/// Parses kronor with at most two decimals into öre (at most [`MAX_AMOUNT_ORE`]).
pub fn parse_ore(text: &str) -> Result<i64, NumberError> {
    let v = parse_decimal(text, 2)?;
    if v.abs() > MAX_AMOUNT_ORE {
        return Err(NumberError(format!(
            "\"{text}\" är orimligt stort (högst 100 000 000 000 kr per rad)"
        )));
    }
    Ok(v)
}

/// Divides rounding half away from zero. `den` must be positive.
pub fn div_round_half_away(num: i128, den: i128) -> i128 {
    if den <= 0 {
        return 0;
    }
    let q = num / den;
    let r = num % den;
    if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    }
}

/// Öre to tkr, rounded half away from zero.
pub fn ore_to_tkr(ore: i64) -> i64 {
    div_round_half_away(i128::from(ore), i128::from(ORE_PER_TKR)) as i64
}

/// Digits of `n` with `sep` between groups of three: `group_thousands(3750, ' ')` is
/// `3 750`.
pub fn group_thousands(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(d);
    }
    out
}

/// Formats whole tkr the Swedish way: `-1 645`, `17 579` (space as thousands separator).
pub fn format_thousands(value: i64) -> String {
    let out = group_thousands(value.unsigned_abs(), ' ');
    if value < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Formats an integer scaled by `10^decimals` as a decimal with a comma, without trailing
/// zeros: `format_decimal(47_780_000, 6)` = `47,78`.
pub fn format_decimal(value: i64, decimals: u32) -> String {
    let scale = 10i64.pow(decimals);
    let int = value / scale;
    let frac = (value % scale).abs();
    let sign = if value < 0 && int == 0 { "-" } else { "" };
    let mut f = format!("{frac:0width$}", width = decimals as usize);
    while f.ends_with('0') {
        f.pop();
    }
    if f.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int},{f}")
    }
}

/// Formats öre as kronor with two decimals and a comma: `-1 234,50`.
pub fn format_kronor(ore: i64) -> String {
    let kr = ore / ORE_PER_KR;
    let rest = (ore % ORE_PER_KR).abs();
    let sign = if ore < 0 && kr == 0 { "-" } else { "" };
    format!("{sign}{},{rest:02}", format_thousands(kr))
}

/// Splits `target` (integer units) among parts whose exact values are `exact` in units of
/// `1/unit`, by largest remainder: each part gets the floor of its exact value, and the
/// units left over go to the parts with the largest remainders (earlier parts first on a
/// tie). The result always sums to `target`. When `target` lies between the sum of the
/// floors and the sum of the ceilings (the normal case), every part is its exact value
/// rounded down or up.
pub fn apportion(target: i64, exact: &[i64], unit: i64) -> Vec<i64> {
    if exact.is_empty() || unit <= 0 {
        return Vec::new();
    }
    let mut shown: Vec<i64> = exact.iter().map(|e| e.div_euclid(unit)).collect();
    let rems: Vec<i64> = exact.iter().map(|e| e.rem_euclid(unit)).collect();
    let mut order: Vec<usize> = (0..exact.len()).collect();
    // Largest remainder first; stable sort keeps earlier parts first on a tie.
    order.sort_by(|a, b| rems[*b].cmp(&rems[*a]));
    let floors: i128 = shown.iter().map(|v| i128::from(*v)).sum();
    let mut left = i128::from(target) - floors;
    let n = order.len() as i128;
    // Whole rounds (only for inconsistent input) go to every part alike.
    let whole = left.div_euclid(n);
    if whole != 0 {
        for v in shown.iter_mut() {
            *v += whole as i64;
        }
        left -= whole * n;
    }
    for &i in order.iter().take(left as usize) {
        shown[i] += 1;
    }
    shown
}

/// Splits `amount` öre by `shares` (any non-negative weights) with largest remainder, so
/// that the parts always sum to `amount` exactly. With all-zero shares, everything goes to
/// the first part.
pub fn allocate(amount: i64, shares: &[i64]) -> Vec<i64> {
    if shares.is_empty() {
        return Vec::new();
    }
    let total: i128 = shares.iter().map(|s| i128::from(*s)).sum();
    if total <= 0 {
        let mut v = vec![0; shares.len()];
        v[0] = amount;
        return v;
    }
    let amount = i128::from(amount);
    let mut parts: Vec<i64> = Vec::with_capacity(shares.len());
    let mut rems: Vec<i128> = Vec::with_capacity(shares.len());
    for s in shares {
        let p = amount * i128::from(*s);
        parts.push(p.div_euclid(total) as i64);
        rems.push(p.rem_euclid(total));
    }
    let sum: i128 = parts.iter().map(|p| i128::from(*p)).sum();
    let left = (amount - sum) as usize;
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|a, b| rems[*b].cmp(&rems[*a]));
    for &i in order.iter().take(left) {
        parts[i] += 1;
    }
    parts
}

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month 1..=12.
    pub month: u32,
    /// Day 1..=31.
    pub day: u32,
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (also `YYYYMMDD`).
    pub fn parse(text: &str) -> Option<Date> {
        let t = text.trim();
        if !t.is_ascii() {
            return None;
        }
        let (y, m, d) = if t.len() == 10 && &t[4..5] == "-" && &t[7..8] == "-" {
            (&t[0..4], &t[5..7], &t[8..10])
        } else if t.len() == 8 {
            (&t[0..4], &t[4..6], &t[6..8])
        } else {
            return None;
        };
        if ![y, m, d]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Days since 1970-01-01.
    pub fn day_number(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Days in a month of a year.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// The Swedish name of a month (1..=12), lower case.
pub fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ];
    NAMES
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_accepted_forms() {
        let cases = [
            ("1234", Ok(123_400)),
            ("1234.50", Ok(123_450)),
            ("1234,50", Ok(123_450)),
            ("-1 234,50", Ok(-123_450)),
            ("1 234 567", Ok(123_456_700)),
            ("1\u{a0}234", Ok(123_400)),
            ("1\u{2009}234,5", Ok(123_450)),
            ("\u{2212}1234", Ok(-123_400)),
            ("0,01", Ok(1)),
            ("1234,567", Err(())),
            ("12 34", Err(())),
            ("1.234,50", Err(())),
            ("abc", Err(())),
            ("", Err(())),
            ("12,", Err(())),
            ("+12", Err(())),
        ];
        for (input, expect) in cases {
            assert_eq!(parse_ore(input).map_err(|_| ()), expect, "input {input:?}");
        }
    }

    #[test]
    fn tkr_rounding_half_away_from_zero() {
        for (ore, tkr) in [
            (50_000, 1),
            (49_999, 0),
            (-50_000, -1),
            (-49_999, 0),
            (1_757_949_999, 17_579),
        ] {
            assert_eq!(ore_to_tkr(ore), tkr, "{ore}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(format_thousands(-1645), "-1 645");
        assert_eq!(format_thousands(17579), "17 579");
        assert_eq!(format_thousands(402), "402");
        assert_eq!(format_thousands(1_234_567), "1 234 567");
        assert_eq!(format_kronor(-123_450), "-1 234,50");
        assert_eq!(format_kronor(-5), "-0,05");
    }

    #[test]
    fn apportion_respects_target() {
        assert_eq!(apportion(3, &[150, 150, 0], 100), vec![2, 1, 0]);
        assert_eq!(apportion(-2, &[-150, -50], 100), vec![-1, -1]);
        assert_eq!(apportion(10, &[100, 100], 100), vec![5, 5]);
    }

    #[test]
    fn allocate_largest_remainder() {
        assert_eq!(allocate(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(allocate(-100, &[1, 1, 1]), vec![-33, -33, -34]);
        assert_eq!(allocate(7, &[0, 0]), vec![7, 0]);
    }

    #[test]
    fn dates() {
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("202å-01-0").is_none());
        assert!(Date::parse("2023ååå").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        let a = Date::parse("2023-01-01").unwrap();
        let b = Date::parse("2023-03-01").unwrap();
        assert_eq!(b.day_number() - a.day_number(), 59);
        assert_eq!(Date::parse("1970-01-01").unwrap().day_number(), 0);
    }
}
