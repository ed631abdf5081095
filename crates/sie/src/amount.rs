//! Money as integer öre ([`Amount`]) and exact decimal quantities ([`Quantity`]).

use serde::{Serialize, Serializer};
use std::fmt;

/// An amount of money in öre (hundredths of a krona). Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(pub i64);

/// Why a number field could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// The field is empty.
    #[error("talet är tomt")]
    Empty,
    /// A character that is not a digit, sign or decimal point.
    #[error("`{0}` är inget tal (siffror med valfritt `-` och `.` väntas)")]
    Syntax(String),
    /// More decimals than allowed.
    #[error("`{text}` har {decimals} decimaler; belopp har högst två (öre)")]
    TooManyDecimals {
        /// The text as written.
        text: String,
        /// How many decimals it has.
        decimals: usize,
    },
    /// The value does not fit in 64 bits.
    #[error("`{0}` är för stort")]
    Overflow(String),
}

/// Parses `[+-]digits[.digits]` into (negative, integer digits value, fraction digits, scale).
fn parse_decimal(text: &[u8], max_scale: usize) -> Result<(i64, u8), NumberError> {
    let shown = || String::from_utf8_lossy(text).into_owned();
    if text.is_empty() {
        return Err(NumberError::Empty);
    }
    let (neg, rest) = match text[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if rest.is_empty() {
        return Err(NumberError::Syntax(shown()));
    }
    let mut value: i64 = 0;
    let mut scale: usize = 0;
    let mut seen_point = false;
    let mut digits = 0usize;
    for &b in rest {
        match b {
            b'0'..=b'9' => {
                value = value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(i64::from(b - b'0')))
                    .ok_or_else(|| NumberError::Overflow(shown()))?;
                digits += 1;
                if seen_point {
                    scale += 1;
                }
            }
            b'.' | b',' if !seen_point => seen_point = true,
            _ => return Err(NumberError::Syntax(shown())),
        }
    }
    if digits == 0 {
        return Err(NumberError::Syntax(shown()));
    }
    if scale > max_scale {
        return Err(NumberError::TooManyDecimals {
            text: shown(),
            decimals: scale,
        });
    }
    let scale = u8::try_from(scale).map_err(|_| NumberError::Overflow(shown()))?;
    Ok((if neg { -value } else { value }, scale))
}

impl Amount {
    /// Zero kronor.
    pub const ZERO: Amount = Amount(0);

    /// Creates an amount from öre.
    pub const fn from_ore(ore: i64) -> Self {
        Amount(ore)
    }

    /// The amount in öre.
    pub const fn ore(self) -> i64 {
        self.0
    }

    /// Reads an amount as SIE writes it: `-1234.5`, `100`, `0.07` (at most two decimals).
    pub fn parse(text: &[u8]) -> Result<Self, NumberError> {
        // Fast path: plain digits with an optional sign and up to two decimals.
        let (value, scale) = parse_decimal(text, 2)?;
        let factor = match scale {
            0 => 100,
            1 => 10,
            _ => 1,
        };
        value
            .checked_mul(factor)
            .map(Amount)
            .ok_or_else(|| NumberError::Overflow(String::from_utf8_lossy(text).into_owned()))
    }

    /// Adds, failing on overflow.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }

    /// Whether the amount is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, rhs: Amount) -> Amount {
        Amount(self.0.saturating_add(rhs.0))
    }
}

impl std::ops::AddAssign for Amount {
    fn add_assign(&mut self, rhs: Amount) {
        self.0 = self.0.saturating_add(rhs.0);
    }
}

impl std::ops::Neg for Amount {
    type Output = Amount;
    fn neg(self) -> Amount {
        Amount(self.0.saturating_neg())
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An exact decimal quantity (kvantitet): `mantissa / 10^scale`. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Quantity {
    /// The digits as an integer.
    pub mantissa: i64,
    /// How many of the digits are decimals (at most 9).
    pub scale: u8,
}

impl Quantity {
    /// Zero, written `0` (no decimals).
    pub const ZERO: Quantity = Quantity {
        mantissa: 0,
        scale: 0,
    };

    /// Reads a quantity as written in SIE (up to nine decimals, kept exactly).
    pub fn parse(text: &[u8]) -> Result<Self, NumberError> {
        let (mantissa, scale) = parse_decimal(text, 9)?;
        Ok(Quantity { mantissa, scale })
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let abs = self.mantissa.unsigned_abs();
        if self.scale == 0 {
            return write!(f, "{sign}{abs}");
        }
        let div = 10u64.pow(u32::from(self.scale));
        write!(
            f,
            "{sign}{}.{:0width$}",
            abs / div,
            abs % div,
            width = usize::from(self.scale)
        )
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(Amount::parse(b"-1234.5"), Ok(Amount(-123450)));
        assert_eq!(Amount::parse(b"0.07"), Ok(Amount(7)));
        assert_eq!(Amount::parse(b"100"), Ok(Amount(10000)));
        assert_eq!(Amount::parse(b"+3."), Ok(Amount(300)));
        assert!(matches!(
            Amount::parse(b"1.005"),
            Err(NumberError::TooManyDecimals { decimals: 3, .. })
        ));
        assert!(Amount::parse(b"1e5").is_err());
        assert!(Amount::parse(b"-").is_err());
        assert!(Amount::parse(b"99999999999999999999").is_err());
        assert_eq!(Amount(-5).to_string(), "-0.05");
        assert_eq!(Amount(123456).to_string(), "1234.56");
        assert_eq!(Amount(i64::MIN).to_string(), "-92233720368547758.08");
    }

    #[test]
    fn quantities() {
        let q = Quantity::parse(b"-1.250").unwrap();
        assert_eq!(q.to_string(), "-1.250");
        assert_eq!(Quantity::parse(b"7").unwrap().to_string(), "7");
    }
}
