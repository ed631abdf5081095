//! Swedish number formatting shared by the HTML, Markdown and JSON outputs.
//!
//! Amounts are whole tkr, percentages whole hundredths of a percent: nothing here rounds
//! or goes through floating point. HTML gets typographic characters (no-break spaces,
//! U+2212 minus); Markdown and other plain text get a normal space and a hyphen-minus so
//! the text stays easy to copy, search and diff.

/// How the separators and the minus sign are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// For HTML: U+00A0 between thousands and before "%", U+2212 for minus.
    Html,
    /// For Markdown and plain text: a normal space and "-".
    Plain,
}

impl Style {
    fn space(self) -> char {
        match self {
            Style::Html => '\u{a0}',
            Style::Plain => ' ',
        }
    }

    fn minus(self) -> char {
        match self {
            Style::Html => '\u{2212}',
            Style::Plain => '-',
        }
    }
}

/// Digits of `n` with `sep` between groups of three: `group_thousands(3750, ' ')` is "3 750".
pub use delar_core::money::group_thousands;

/// A whole number of tkr the Swedish way: "3 750", "−402" (HTML) or "-402" (plain), "0".
pub fn tkr(value: i64, style: Style) -> String {
    let mut out = String::new();
    if value < 0 {
        out.push(style.minus());
    }
    out.push_str(&group_thousands(value.unsigned_abs(), style.space()));
    out
}

/// A percentage from hundredths with two decimals and a decimal comma: 4029 is "40,29 %".
pub fn percent(hundredths: i64, style: Style) -> String {
    let mut out = percent_number(hundredths, style);
    out.push(style.space());
    out.push('%');
    out
}

/// A percentage from hundredths without the "%" sign: 317 is "3,17", -5 is "−0,05".
pub fn percent_number(hundredths: i64, style: Style) -> String {
    let (negative, whole, frac) = split_hundredths(hundredths);
    let mut out = String::new();
    if negative {
        out.push(style.minus());
    }
    out.push_str(&group_thousands(whole, style.space()));
    out.push(',');
    out.push_str(&format!("{frac:02}"));
    out
}

/// A percentage from hundredths as a JSON decimal literal with exactly two decimals:
/// 4029 is "40.29", 0 is "0.00", -5 is "-0.05".
pub fn percent_decimal(hundredths: i64) -> String {
    let (negative, whole, frac) = split_hundredths(hundredths);
    let sign = if negative { "-" } else { "" };
    format!("{sign}{whole}.{frac:02}")
}

/// Sign, whole part and hundredths of a value in hundredths; zero is never negative.
fn split_hundredths(hundredths: i64) -> (bool, u64, u64) {
    let abs = hundredths.unsigned_abs();
    (hundredths < 0, abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NBSP: char = '\u{a0}';

    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(0, ' '), "0");
        assert_eq!(group_thousands(7, ' '), "7");
        assert_eq!(group_thousands(999, ' '), "999");
        assert_eq!(group_thousands(1000, ' '), "1 000");
        assert_eq!(group_thousands(3750, ' '), "3 750");
        assert_eq!(group_thousands(100_000, ' '), "100 000");
        assert_eq!(group_thousands(1_234_567, '.'), "1.234.567");
    }

    #[test]
    fn tkr_plain() {
        assert_eq!(tkr(0, Style::Plain), "0");
        assert_eq!(tkr(651, Style::Plain), "651");
        assert_eq!(tkr(3750, Style::Plain), "3 750");
        assert_eq!(tkr(-402, Style::Plain), "-402");
        assert_eq!(tkr(-4457, Style::Plain), "-4 457");
        assert_eq!(tkr(26_012, Style::Plain), "26 012");
        assert_eq!(tkr(1_234_567, Style::Plain), "1 234 567");
        assert_eq!(tkr(-12_345_678, Style::Plain), "-12 345 678");
    }

    #[test]
    fn tkr_html_uses_nbsp_and_true_minus() {
        assert_eq!(tkr(3750, Style::Html), format!("3{NBSP}750"));
        assert_eq!(tkr(-402, Style::Html), "\u{2212}402");
        assert_eq!(
            tkr(-1_645_000, Style::Html),
            format!("\u{2212}1{NBSP}645{NBSP}000")
        );
        assert_eq!(tkr(0, Style::Html), "0");
    }

    #[test]
    fn tkr_extremes_do_not_overflow() {
        assert_eq!(tkr(i64::MIN, Style::Plain), "-9 223 372 036 854 775 808");
        assert_eq!(tkr(i64::MAX, Style::Plain), "9 223 372 036 854 775 807");
    }

    #[test]
    fn percent_display() {
        assert_eq!(percent(4029, Style::Plain), "40,29 %");
        assert_eq!(percent(5970, Style::Plain), "59,70 %");
        assert_eq!(percent(1950, Style::Plain), "19,50 %");
        assert_eq!(percent(317, Style::Plain), "3,17 %");
        assert_eq!(percent(0, Style::Plain), "0,00 %");
        assert_eq!(percent(5, Style::Plain), "0,05 %");
        assert_eq!(percent(10_000, Style::Plain), "100,00 %");
        assert_eq!(percent(123_456, Style::Plain), "1 234,56 %");
        assert_eq!(percent(-5, Style::Plain), "-0,05 %");
        assert_eq!(percent(4029, Style::Html), format!("40,29{NBSP}%"));
        assert_eq!(percent(-150, Style::Html), format!("\u{2212}1,50{NBSP}%"));
        assert_eq!(percent_number(317, Style::Plain), "3,17");
    }

    #[test]
    fn percent_json_decimal() {
        assert_eq!(percent_decimal(4029), "40.29");
        assert_eq!(percent_decimal(5970), "59.70");
        assert_eq!(percent_decimal(0), "0.00");
        assert_eq!(percent_decimal(7), "0.07");
        assert_eq!(percent_decimal(-5), "-0.05");
        assert_eq!(percent_decimal(-100), "-1.00");
        assert_eq!(percent_decimal(123_456), "1234.56");
    }
}
