//! Diagnostics (file, line, column, message) and the crate's error type.

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data can be used, but something looks wrong.
    Warning,
    /// The file is not valid; strict mode rejects it.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Stable identifiers of the problems the reader reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The input is not a SIE file at all (e.g. a saved HTML page).
    NotSie,
    /// A field has the wrong syntax (number, date, quotes, braces).
    Syntax,
    /// A required field is missing.
    MissingField,
    /// An amount with more than two decimals.
    TooManyDecimals,
    /// A record the reader does not know.
    UnknownRecord,
    /// A voucher whose rows do not sum to zero.
    Unbalanced,
    /// `#KSUMMA` does not match the content.
    Checksum,
    /// A date outside the `#RAR` year.
    DateOutsideYear,
    /// An account used in a row but never declared with `#KONTO`.
    UndeclaredAccount,
    /// The same voucher number twice in a series.
    DuplicateVoucher,
    /// Braces `{ }` of a voucher that do not match.
    Structure,
    /// Text that does not decode in the detected encoding.
    Encoding,
    /// An `#RTRANS` (added row) without its `#TRANS` copy, or followed by a `#TRANS` that
    /// differs from it in account, objects or amount (see [`crate::vouchers`]).
    Correction,
}

impl Code {
    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Code::NotSie => "not-sie",
            Code::Syntax => "syntax",
            Code::MissingField => "missing-field",
            Code::TooManyDecimals => "too-many-decimals",
            Code::UnknownRecord => "unknown-record",
            Code::Unbalanced => "unbalanced",
            Code::Checksum => "checksum",
            Code::DateOutsideYear => "date-outside-year",
            Code::UndeclaredAccount => "undeclared-account",
            Code::DuplicateVoucher => "duplicate-voucher",
            Code::Structure => "structure",
            Code::Encoding => "encoding",
            Code::Correction => "correction",
        }
    }
}

/// One problem found in a file. Display: `FILE:LINE:COL: error|warning: message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// File name as given in [`crate::ParseOptions::path`].
    pub path: String,
    /// 1-based line (0 when the problem concerns the whole file).
    pub line: u32,
    /// 1-based column in characters (0 when not tied to a column).
    pub column: u32,
    /// What is wrong and what the user can do, in Swedish (the language of the interface).
    pub message: String,
    /// Stable code.
    pub code: Code,
}

impl Diagnostic {
    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path, self.line, self.column, self.severity, self.message
        )
    }
}

/// Errors of the SIE crate as values.
#[derive(Debug, thiserror::Error)]
pub enum SieError {
    /// Reading the input failed.
    #[error("{path}: kan inte läsas: {source}")]
    Io {
        /// File.
        path: PathBuf,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// The file has an error (the first one; see the diagnostics for all).
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// File.
        path: String,
        /// Line.
        line: u32,
        /// Column.
        column: u32,
        /// What is wrong.
        message: String,
        /// Stable code.
        code: Code,
    },
}

impl From<&Diagnostic> for SieError {
    fn from(d: &Diagnostic) -> Self {
        SieError::Invalid {
            path: d.path.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            code: d.code,
        }
    }
}
