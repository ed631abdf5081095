//! Errors as values: why a package could not be read or turned into a report, with the
//! file, line and column to look at. Messages are in Swedish (they are shown to users).

use crate::money::format_kronor;
use std::fmt::Write as _;

/// Why a source file could not be read (returned by [`crate::SourceFiles`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// No such file.
    #[error("filen finns inte")]
    NotFound,
    /// Any other failure, described.
    #[error("{0}")]
    Other(String),
}

/// An account booked within scope that no row, or more than one row, claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimProblem {
    /// The account.
    pub account: u32,
    /// Ids of the rows that claim it (empty: none does).
    pub rows: Vec<String>,
    /// Sum of its amounts within scope, in öre.
    pub amount_ore: i64,
    /// The source the amounts come from (a path).
    pub source: String,
}

impl ClaimProblem {
    /// One line in Swedish.
    pub fn describe(&self) -> String {
        if self.rows.is_empty() {
            format!(
                "konto {} ({} kr i {}) hör inte till någon rad",
                self.account,
                format_kronor(self.amount_ore),
                self.source
            )
        } else {
            format!(
                "konto {} ({} kr i {}) hör till flera rader: {}",
                self.account,
                format_kronor(self.amount_ore),
                self.source,
                self.rows.join(", ")
            )
        }
    }
}

/// Why a package could not be loaded or a report built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// A file named by the package is missing.
    #[error("{path}: filen saknas (sökvägen anges i delar.toml eller är delar.toml själv)")]
    Missing {
        /// Path inside the package.
        path: String,
    },
    /// A file could not be read.
    #[error("{path}: kan inte läsas: {message}")]
    Read {
        /// Path inside the package.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// `delar.toml` (or another TOML file) is not valid TOML or has unknown keys.
    #[error("{path}:{line}:{column}: {message}")]
    Toml {
        /// Path inside the package.
        path: String,
        /// Line (1-based; 0 if unknown).
        line: usize,
        /// Column (1-based; 0 if unknown).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The package description is inconsistent.
    #[error("{path}: {message}")]
    Config {
        /// Path inside the package.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A CSV source has an error.
    #[error("{path}:{line}: {}", with_column(column.as_deref(), message))]
    Csv {
        /// Path inside the package.
        path: String,
        /// Line (1-based).
        line: usize,
        /// The column's name, if the error is in one cell.
        column: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A cell or the layout of a workbook source (`.xlsx`) is wrong.
    #[error("{path}: blad \"{sheet}\", rad {row}{}: {message}", sheet_column(column.as_deref()))]
    Sheet {
        /// Path inside the package.
        path: String,
        /// The worksheet's name.
        sheet: String,
        /// Row as Excel numbers it (1-based).
        row: usize,
        /// Column as Excel names it, with the column's header, e.g. `C (belopp)`.
        column: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A ledger file could not be read as SIE.
    #[error("{path}: SIE-filen kan inte läsas: {message}")]
    Sie {
        /// Path inside the package.
        path: String,
        /// The reader's errors.
        message: String,
    },
    /// A text template has an error.
    #[error("{}: mallfel: {message}", at_line(path, *line))]
    Template {
        /// Path inside the package.
        path: String,
        /// Line (1-based; 0 if unknown).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A committee's package in a municipality folder could not be read or reported.
    #[error("nämnden {id} (mappen {dir}/): {source}")]
    Committee {
        /// The committee's id in `kommun.toml`.
        id: String,
        /// Its package folder.
        dir: String,
        /// What went wrong, with paths inside the committee's package.
        source: Box<LoadError>,
    },
    /// Bookings within scope on result accounts that no row or several rows claim.
    #[error("{}", describe_claims(problems))]
    Claims {
        /// Every account concerned.
        problems: Vec<ClaimProblem>,
    },
}

fn at_line(path: &str, line: usize) -> String {
    if line == 0 {
        path.to_string()
    } else {
        format!("{path}:{line}")
    }
}

fn sheet_column(column: Option<&str>) -> String {
    column.map_or(String::new(), |c| format!(", kolumn {c}"))
}

fn with_column(column: Option<&str>, message: &str) -> String {
    match column {
        Some(c) => format!("kolumn \"{c}\": {message}"),
        None => message.to_string(),
    }
}

fn describe_claims(problems: &[ClaimProblem]) -> String {
    let mut s = String::from(
        "varje resultatkonto inom nämndens ansvar ska höra till exakt en rad i resultaträkningen ([[row]] accounts):",
    );
    for p in problems {
        let _ = write!(s, "\n  - {}", p.describe());
    }
    s
}
