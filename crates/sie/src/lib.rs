//! SIE 1–4 reader and writer: the Swedish standard format for exporting ledgers.
//!
//! The crate knows nothing of reports, databases or the web. Entry points:
//! - [`parse`]: whole-buffer reader with every check, returning the data and diagnostics.
//! - [`parse_each`] and [`parse_each_from`]: [`parse`] handing out one voucher at a time,
//!   from a buffer or from any [`std::io::Read`] (a file read in pieces), with the same
//!   result.
//! - [`SieReader`]: streaming reader over any [`std::io::BufRead`], yielding vouchers one by
//!   one with memory bounded by the largest voucher.
//! - [`write`]: writer for types 1–4 in CP437 with `#KSUMMA`.
//! - [`balances`]: account balances per month derived from vouchers, `#PSALDO` or `#RES`/`#UB`.
#![deny(missing_docs)]

pub mod amount;
pub mod balances;
pub mod date;
pub mod diagnostic;
pub mod encoding;
mod intern;
pub mod model;
mod parser;
pub mod reader;
mod scan;
pub mod vouchers;
pub mod writer;

pub use amount::{Amount, NumberError, Quantity};
pub use balances::{balances, BalanceRow, BalanceSource, Balances, TransAggregator};
pub use date::{Date, Period};
pub use diagnostic::{Code, Diagnostic, Severity, SieError};
pub use encoding::Encoding;
pub use model::*;
pub use reader::{parse_each_from, SieReader};
pub use vouchers::{RowData, RowRef, VoucherData, VoucherRef, Vouchers};
pub use writer::write;

/// How to read a file.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// File name used in diagnostics.
    pub path: String,
    /// Strict (default): data problems such as unbalanced vouchers are errors. Lenient: they
    /// are warnings, and the data is read on. Syntax problems are errors in both modes; the
    /// reader never stops at the first problem either way.
    pub strict: bool,
    /// Force an encoding instead of detecting it.
    pub encoding: Option<Encoding>,
    /// Whether the texts of vouchers and rows are kept (the default). A reader that only
    /// sums amounts turns this off ([`ParseOptions::without_texts`]): the texts are still
    /// read as tokens, checked and counted in `#KSUMMA`, but not decoded or stored, so
    /// `text()` of a voucher or row is `None`. Voucher numbers and signatures are kept.
    pub texts: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            path: "<input>".to_string(),
            strict: true,
            encoding: None,
            texts: true,
        }
    }
}

impl ParseOptions {
    /// Strict options naming `path` in diagnostics.
    pub fn new(path: impl Into<String>) -> Self {
        ParseOptions {
            path: path.into(),
            ..ParseOptions::default()
        }
    }

    /// The same options in lenient mode.
    pub fn lenient(mut self) -> Self {
        self.strict = false;
        self
    }

    /// The same options without the texts of vouchers and rows (see [`ParseOptions::texts`]).
    pub fn without_texts(mut self) -> Self {
        self.texts = false;
        self
    }
}

/// The result of reading a file: what was read, every problem found, and the encoding used.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The data.
    pub file: SieFile,
    /// Errors and warnings in file order (file-wide checks last).
    pub diagnostics: Vec<Diagnostic>,
    /// The encoding the text was decoded with.
    pub encoding: Encoding,
    /// Which path of the reader read the voucher lines.
    pub stats: ReadStats,
}

/// How many voucher rows (`#TRANS`, `#RTRANS`, `#BTRANS`) and `#VER` lines the reader's hot
/// path took, and how many the general record reader (ARCHITECTURE.md, "The SIE hot path").
/// Both paths read alike; the general one is several times slower, so a test can use these
/// counts to check that an exporter's usual lines stay on the hot path. Each line is
/// counted once, by the path that read it; lines the hot path tried and handed on count for
/// the general reader. [`parse_without_hot_path`] counts every line for the general reader.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReadStats {
    /// Voucher rows read by the hot path.
    pub hot_rows: u64,
    /// `#VER` lines read by the hot path.
    pub hot_vers: u64,
    /// Voucher rows read by the general reader.
    pub general_rows: u64,
    /// `#VER` lines read by the general reader.
    pub general_vers: u64,
    /// Balance records (`#IB`, `#UB`, `#RES`, `#OIB`, `#OUB`, `#PSALDO`, `#PBUDGET`) read by
    /// the hot path.
    pub hot_balances: u64,
    /// Balance records read by the general reader.
    pub general_balances: u64,
}

impl std::ops::AddAssign for ReadStats {
    /// Adds the counts of another part of the input.
    fn add_assign(&mut self, other: ReadStats) {
        self.hot_rows += other.hot_rows;
        self.hot_vers += other.hot_vers;
        self.general_rows += other.general_rows;
        self.general_vers += other.general_vers;
        self.hot_balances += other.hot_balances;
        self.general_balances += other.general_balances;
    }
}

impl Parsed {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The file, or the first error.
    pub fn into_result(self) -> Result<SieFile, SieError> {
        match self.diagnostics.iter().find(|d| d.is_error()) {
            Some(d) => Err(SieError::from(d)),
            None => Ok(self.file),
        }
    }
}

/// Reads a whole SIE file from memory, with every check. Never panics; see [`Parsed`].
pub fn parse(bytes: &[u8], options: &ParseOptions) -> Parsed {
    parser::parse_buffer(bytes, options, true)
}

/// [`parse`] without keeping the vouchers: each voucher is handed to `each` when it ends
/// (with what was read of the rest of the file so far: accounts, objects, `#RAR`) and then
/// dropped, so memory holds one voucher at a time besides `bytes`, as with [`SieReader`].
/// Everything else is as [`parse`] reads it (the encoding decided from the first MiB, the
/// same diagnostics and [`ReadStats`]); the returned file has no vouchers.
pub fn parse_each(
    bytes: &[u8],
    options: &ParseOptions,
    mut each: impl FnMut(&SieFile, VoucherRef<'_>),
) -> Parsed {
    parser::parse_buffer_each(bytes, options, &mut each)
}

/// How [`parse_each_parallel`] divides the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parallel {
    /// Threads to read on, the calling one included (1 reads on the calling thread only).
    pub threads: usize,
    /// Inputs with fewer bytes than this after the header are read on one thread (starting
    /// threads costs more than it gains).
    pub min_bytes: usize,
}

impl Default for Parallel {
    /// As many threads as the machine runs at once; inputs from 4 MiB of vouchers.
    fn default() -> Self {
        Parallel {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            min_bytes: parser::parallel::MIN_PARALLEL,
        }
    }
}

/// [`parse_each`] on several threads: the vouchers are cut into ranges that begin with a
/// `#VER` line (large ones first, smaller ones towards the end), the threads take them in
/// turn until none is left, each reading with a copy of the parser, and the ranges' results
/// are merged in file order. The [`Parsed`] result is the same as that of
/// [`parse_each`] of the same bytes: the same diagnostics in the same order, the same file
/// and symbols, the same [`ReadStats`] (a range whose result cannot be merged, say because a
/// record other than a voucher record comes between vouchers or a voucher number recurs
/// across ranges, is read again in order; see ARCHITECTURE.md, "Reading on several threads").
///
/// Every voucher is handed to `each` exactly once, with the accumulator of the range that
/// read it (made by `init`); the accumulators are returned, so add them up with an
/// operation where order does not matter. Symbol ids in a voucher are those of the
/// [`SieFile`] it is handed with (each thread has its own table): resolve them there. The
/// file of a thread other than the calling one holds the header's identification, chart,
/// dimensions and objects; its balances (`#IB`, `#PSALDO`, …) are in the returned
/// [`Parsed`].
pub fn parse_each_parallel<A: Send>(
    bytes: &[u8],
    options: &ParseOptions,
    parallel: Parallel,
    init: impl Fn() -> A + Sync,
    each: impl Fn(&mut A, &SieFile, VoucherRef<'_>) + Sync,
) -> (Parsed, Vec<A>) {
    parser::parallel::parse_buffer_parallel(
        bytes,
        options,
        parallel.threads,
        parallel.min_bytes,
        &init,
        &each,
    )
}

/// How many ranges [`parse_each_parallel`] cuts `bytes` into (1 when it reads them on the
/// calling thread); when every range's result is merged, it returns that many
/// accumulators. For tests of the parallel reader.
#[doc(hidden)]
pub fn parallel_ranges(bytes: &[u8], parallel: Parallel) -> usize {
    parser::parallel::range_count(bytes, parallel.threads, parallel.min_bytes)
}

/// [`parse`] with every line read by the parser's general record reader, without the hot
/// path that reads the usual voucher rows and `#VER` lines. It gives the same result as
/// [`parse`], only slower: it exists so that fuzzing and tests can check exactly that.
#[doc(hidden)]
pub fn parse_without_hot_path(bytes: &[u8], options: &ParseOptions) -> Parsed {
    parser::parse_buffer(bytes, options, false)
}
