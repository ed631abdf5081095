//! The exporters whose file shapes the generator imitates, and what each does by habit.

use std::fmt;
use std::str::FromStr;

/// An exporter's shape of SIE 4 file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Profile {
    /// Fortnox: small company chart, `#TRANS 1910 {} -137.00 ` with empty or missing date
    /// and text fields, `#BTRANS`/`#RTRANS` corrections with the `#TRANS` copy after each
    /// `#RTRANS`.
    Fortnox,
    /// Visma Administration: row dates and texts, `{1 "10"}` lists, tab-indented rows,
    /// `#KSUMMA`.
    Visma,
    /// BL Administration: `{ "1" "1"}` lists with a leading space, tabs between fields,
    /// whole kronor without decimals, corrections.
    Bl,
    /// Unit4 (Agresso), a municipal ledger: hundreds of ansvar and projects, quoted
    /// dimension numbers `{"1" "1120" "6" "5007"}`, `#PSALDO` and `#PBUDGET`, LF line ends,
    /// `#KSUMMA`.
    Unit4,
    /// Raindance-style municipal ledger: three dimensions, lists written unquoted
    /// (`{1 1120 20 350}`) or fully quoted, amounts without trailing zeros, `#PSALDO` and
    /// `#PBUDGET`.
    Raindance,
}

/// Line ends of a generated file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnd {
    /// `\r\n`.
    Crlf,
    /// `\n`.
    Lf,
}

impl LineEnd {
    /// The bytes.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            LineEnd::Crlf => b"\r\n",
            LineEnd::Lf => b"\n",
        }
    }
}

impl Profile {
    /// Every profile, in a fixed order.
    pub const ALL: [Profile; 5] = [
        Profile::Fortnox,
        Profile::Visma,
        Profile::Bl,
        Profile::Unit4,
        Profile::Raindance,
    ];

    /// The name used on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Fortnox => "fortnox",
            Profile::Visma => "visma",
            Profile::Bl => "bl",
            Profile::Unit4 => "unit4",
            Profile::Raindance => "raindance",
        }
    }

    /// Whether the profile is a municipal ledger (hundreds of ansvar and projects, payroll
    /// vouchers of thousands of rows, `#PSALDO`, `#PBUDGET`).
    pub fn municipal(self) -> bool {
        matches!(self, Profile::Unit4 | Profile::Raindance)
    }

    /// The exporter's usual line ends.
    pub fn line_end(self) -> LineEnd {
        match self {
            Profile::Unit4 => LineEnd::Lf,
            _ => LineEnd::Crlf,
        }
    }

    /// Whether the exporter usually writes `#KSUMMA`.
    pub fn writes_checksum(self) -> bool {
        matches!(self, Profile::Visma | Profile::Unit4)
    }

    /// Whether the exporter writes `#BTRANS`/`#RTRANS` corrections.
    pub fn corrections(self) -> bool {
        matches!(self, Profile::Fortnox | Profile::Bl)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Profile::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
                format!("unknown profile '{s}'; one of {}", names.join(", "))
            })
    }
}
