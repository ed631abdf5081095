//! Calendar dates (`YYYYMMDD`) and periods (`YYYYMM`) as SIE writes them.

use serde::{Serialize, Serializer};
use std::fmt;

/// A validated calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year (1000–9999).
    pub year: u16,
    /// Month (1–12).
    pub month: u8,
    /// Day of month (1–31, valid for the month).
    pub day: u8,
}

/// A month of a year, as in `#PSALDO` (`YYYYMM`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// Year.
    pub year: u16,
    /// Month (1–12).
    pub month: u8,
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(text: &[u8]) -> Option<u32> {
    let mut v: u32 = 0;
    for &b in text {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(b - b'0');
    }
    Some(v)
}

impl Date {
    /// Creates a date, or `None` when it does not exist.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Reads `YYYYMMDD`. The eight digits are checked and read as one word (a date stands
    /// on every voucher and on most rows, so this is on the reader's hot path).
    #[inline]
    pub fn parse(text: &[u8]) -> Option<Date> {
        let word = u64::from_le_bytes(*<&[u8; 8]>::try_from(text).ok()?);
        // Each byte's distance above `0`; a byte below `0` sets its top bit, one above `9`
        // sets it after adding 0x76 (carries out of a byte only come from bytes already
        // flagged).
        let d = word.wrapping_sub(0x3030_3030_3030_3030);
        if (d | d.wrapping_add(0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080 != 0 {
            return None;
        }
        // Pairs of digits: byte 0 the century, 2 the year in it, 4 the month, 6 the day.
        let pairs = (d.wrapping_mul(10) + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
        let byte = |k: u32| (pairs >> (8 * k) & 0xFF) as u16;
        Date::new(byte(0) * 100 + byte(2), byte(4) as u8, byte(6) as u8)
    }

    /// The month this date falls in.
    pub fn period(self) -> Period {
        Period {
            year: self.year,
            month: self.month,
        }
    }

    /// The date as SIE writes it: `YYYYMMDD`.
    pub fn to_sie(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    /// ISO 8601: `2023-08-31`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Period {
    /// Creates a period, or `None` for a month outside 1–12.
    pub fn new(year: u16, month: u8) -> Option<Period> {
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        Some(Period { year, month })
    }

    /// Reads `YYYYMM`.
    pub fn parse(text: &[u8]) -> Option<Period> {
        if text.len() != 6 {
            return None;
        }
        let year = u16::try_from(digits(&text[0..4])?).ok()?;
        let month = u8::try_from(digits(&text[4..6])?).ok()?;
        Period::new(year, month)
    }
}

impl fmt::Display for Period {
    /// As SIE writes it: `YYYYMM`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}{:02}", self.year, self.month)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader of `YYYYMMDD` before it read the digits as one word.
    fn parse_bytes(text: &[u8]) -> Option<Date> {
        if text.len() != 8 {
            return None;
        }
        let year = u16::try_from(digits(&text[0..4])?).ok()?;
        let month = u8::try_from(digits(&text[4..6])?).ok()?;
        let day = u8::try_from(digits(&text[6..8])?).ok()?;
        Date::new(year, month, day)
    }

    proptest::proptest! {
        #[test]
        fn dates_read_as_digit_by_digit(
            text in proptest::collection::vec(
                proptest::prelude::prop_oneof![
                    b'0'..=b'9', b'0'..=b'9', b'0'..=b'9', b'0'..=b'9',
                    proptest::prelude::Just(b'/'), proptest::prelude::Just(b':'),
                    proptest::prelude::any::<u8>()
                ],
                6..10,
            ),
            valid in (1000u16..=9999, 0u8..=13, 0u8..=32),
        ) {
            proptest::prop_assert_eq!(Date::parse(&text), parse_bytes(&text));
            let (y, m, d) = valid;
            let text = format!("{y:04}{m:02}{d:02}");
            proptest::prop_assert_eq!(Date::parse(text.as_bytes()), parse_bytes(text.as_bytes()));
        }
    }

    #[test]
    fn dates() {
        assert_eq!(Date::parse(b"20240229"), Date::new(2024, 2, 29));
        assert!(Date::parse(b"20230229").is_none());
        assert!(Date::parse(b"2023013").is_none());
        assert!(Date::parse(b"2023-1-1").is_none());
        assert_eq!(
            Date::parse(b"20231231").map(|d| d.to_sie()).as_deref(),
            Some("20231231")
        );
        assert_eq!(Period::parse(b"202313"), None);
        assert_eq!(
            Period::parse(b"202312").map(|p| p.to_string()).as_deref(),
            Some("202312")
        );
    }
}
