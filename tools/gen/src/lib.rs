//! Benchmark-only generators for delar: SIE 4 ledgers in the shapes real exporters write
//! (one [`Profile`] each), whole report packages around them, and hledger / ledger-cli
//! journals of the same vouchers, all deterministic by seed.
//!
//! A ledger is produced in two layers: [`model`] draws the vouchers of one fiscal year
//! (what is booked, independent of any file format) and keeps the per-account totals it
//! intends; [`sie`] writes them in a profile's syntax and [`journal`] as plain-text
//! accounting journals. [`package`] writes a whole report package around two such years.
#![deny(missing_docs)]

pub mod journal;
pub mod model;
pub mod package;
pub mod profile;
pub mod sie;

pub use model::{Chart, Generator, Totals};
pub use profile::{LineEnd, Profile};

/// What can go wrong while generating: only writing the output.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// Writing a file failed.
    #[error("writing {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// What to generate: one fiscal year of vouchers.
#[derive(Debug, Clone)]
pub struct LedgerSpec {
    /// The exporter whose shape the file takes.
    pub profile: Profile,
    /// Voucher row records to write (`#TRANS`, `#RTRANS`, `#BTRANS`, the copies included).
    pub rows: u64,
    /// Seed of the random draws: the same spec gives the same bytes.
    pub seed: u64,
    /// The calendar year of the fiscal year (`#RAR 0`).
    pub year: i32,
    /// Line ends; `None` for the profile's own.
    pub line_end: Option<LineEnd>,
    /// Whether to write `#KSUMMA`; `None` for the profile's own habit.
    pub checksum: Option<bool>,
    /// Whether the `#TRANS` copy after an `#RTRANS` repeats its signature. Fortnox and BL
    /// write the copy without it (the default, `false`); `true` writes the form of
    /// `delar-sie`'s own writer. `delar-sie` reads both as one row (its rule for copies
    /// compares account, objects and amount only).
    pub signed_copy: bool,
    /// How many (account, ansvar) pairs get a `#PSALDO` (prior year) and a `#PBUDGET`
    /// (current year) per month, 24 lines each; `None` for the profile's habit (300 in the
    /// municipal profiles, none in the others). A municipal SIE 3 or 4 export may carry a
    /// period balance for every account and object: tens of thousands of pairs.
    pub period_pairs: Option<u32>,
}

impl LedgerSpec {
    /// A spec with the profile's own line ends and checksum habit.
    pub fn new(profile: Profile, rows: u64, seed: u64, year: i32) -> Self {
        LedgerSpec {
            profile,
            rows,
            seed,
            year,
            line_end: None,
            checksum: None,
            signed_copy: false,
            period_pairs: None,
        }
    }

    /// The line ends used.
    pub fn line_end(&self) -> LineEnd {
        self.line_end.unwrap_or(self.profile.line_end())
    }

    /// Whether `#KSUMMA` is written.
    pub fn checksum(&self) -> bool {
        self.checksum.unwrap_or(self.profile.writes_checksum())
    }
}
