//! Streaming reader: vouchers one by one from any `BufRead`, memory bounded by the largest
//! voucher (plus the chart of accounts and objects).

use crate::diagnostic::{Diagnostic, SieError};
use crate::encoding::Encoding;
use crate::model::SieFile;
use crate::parser::{line_end, Core, DETECT_PREFIX};
use crate::vouchers::VoucherRef;
use crate::{ParseOptions, Parsed};
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::PathBuf;

/// Reads a SIE file incrementally.
///
/// Records other than vouchers are collected into [`SieReader::header`]; vouchers are handed
/// out one at a time by [`SieReader::next_voucher`] (or [`SieReader::read_all`]) as views
/// that live until the next call, and are not kept. Diagnostics are collected as with
/// [`crate::parse`]; file-wide checks run when the end is reached.
///
/// The encoding is decided on the first line holding non-ASCII letters (CP437 until then)
/// unless [`ParseOptions::encoding`] forces one.
pub struct SieReader<R> {
    inner: R,
    core: Core,
    buf: Vec<u8>,
    position: u64,
    done: bool,
    /// The last voucher handed out is still in the store (cleared before reading on).
    handed_out: bool,
    /// Keep every voucher (for [`SieReader::into_parsed`]).
    keep: bool,
    path: String,
    progress: Option<Box<dyn FnMut(u64)>>,
}

impl<R: BufRead> SieReader<R> {
    /// Creates a reader over `inner`.
    pub fn new(inner: R, options: &ParseOptions) -> Self {
        SieReader {
            inner,
            core: Core::new(options),
            buf: Vec::with_capacity(256),
            position: 0,
            done: false,
            handed_out: false,
            keep: false,
            path: options.path.clone(),
            progress: None,
        }
    }

    /// Calls `hook` with the number of bytes read so far after each voucher (for progress bars).
    pub fn with_progress(mut self, hook: impl FnMut(u64) + 'static) -> Self {
        self.progress = Some(Box::new(hook));
        self
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Lines read so far.
    pub fn line(&self) -> u32 {
        self.core.line_no
    }

    /// Everything but vouchers read so far (all of it once the end is reached). Its
    /// `vouchers` hold at most the voucher last handed out.
    pub fn header(&self) -> &SieFile {
        &self.core.file
    }

    /// Diagnostics so far.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.core.diags
    }

    /// Which path of the reader read the voucher lines so far (also in
    /// [`Parsed::stats`] at the end).
    pub fn stats(&self) -> crate::ReadStats {
        self.core.stats
    }

    /// The encoding in use.
    pub fn encoding(&self) -> Encoding {
        self.core.encoding
    }

    /// Whether the input turned out not to be a SIE file.
    pub fn is_not_sie(&self) -> bool {
        self.core.is_not_sie()
    }

    /// The next voucher; `None` at the end. `Err` only for I/O errors. The voucher is valid
    /// until the next call; keep a copy with [`VoucherRef::to_data`] or
    /// [`crate::Vouchers::push_ref`].
    pub fn next_voucher(&mut self) -> Option<Result<VoucherRef<'_>, SieError>> {
        match self.advance() {
            Ok(true) => self.core.file.vouchers.last().map(Ok),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }

    /// Reads up to the end of the next voucher; true when one ended.
    fn advance(&mut self) -> Result<bool, SieError> {
        if self.handed_out && !self.keep {
            self.core.clear_vouchers();
        }
        self.handed_out = false;
        while !self.done {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Err(SieError::Io {
                        path: PathBuf::from(&self.path),
                        source: e,
                    });
                }
            };
            if buf.is_empty() {
                // End of input: a last line without `\n`, then the file-wide checks.
                if !self.buf.is_empty() {
                    let line = std::mem::take(&mut self.buf);
                    let ended = self.core.feed_line(&line);
                    self.buf = line;
                    self.buf.clear();
                    if ended {
                        self.handed_out = true;
                        return Ok(true);
                    }
                    continue;
                }
                self.done = true;
                let ended = self.core.finish();
                self.handed_out = ended;
                return Ok(ended);
            }
            // Lines are read in place from the reader's buffer; only a line that straddles
            // two buffer fills is copied.
            let mut used = 0usize;
            let mut ended = false;
            loop {
                let end = line_end(buf, used);
                if end == buf.len() {
                    break;
                }
                let e = if self.buf.is_empty() {
                    self.core.feed(&buf[used..], end - used)
                } else {
                    self.buf.extend_from_slice(&buf[used..end]);
                    let e = self.core.feed_line(&self.buf);
                    self.buf.clear();
                    e
                };
                used = end + 1;
                if e || self.core.is_not_sie() {
                    ended = e;
                    break;
                }
            }
            if !ended && !self.core.is_not_sie() {
                self.buf.extend_from_slice(&buf[used..]);
                used = buf.len();
            }
            self.inner.consume(used);
            self.position += used as u64;
            if self.core.is_not_sie() {
                self.done = true;
                return Ok(false);
            }
            if ended {
                if let Some(hook) = self.progress.as_mut() {
                    hook(self.position);
                }
                self.handed_out = true;
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Reads to the end, passing each voucher to `each`, and returns the rest of the file
    /// (without vouchers) with all diagnostics.
    pub fn read_all(self, mut each: impl FnMut(VoucherRef<'_>)) -> Result<Parsed, SieError> {
        self.read_all_with_header(|_, v| each(v))
    }

    /// [`SieReader::read_all`], also passing what was read of the rest of the file so far
    /// (accounts, objects, `#RAR`: the records that precede the vouchers).
    pub fn read_all_with_header(
        mut self,
        mut each: impl FnMut(&SieFile, VoucherRef<'_>),
    ) -> Result<Parsed, SieError> {
        while self.advance()? {
            let file = &self.core.file;
            if let Some(v) = file.vouchers.last() {
                each(file, v);
            }
        }
        self.core.clear_vouchers();
        Ok(self.core.into_parsed())
    }

    /// Reads to the end, keeping the vouchers: the same result as [`crate::parse`] except
    /// that the encoding is decided line by line.
    pub fn into_parsed(mut self) -> Result<Parsed, SieError> {
        self.keep = true;
        while self.advance()? {}
        Ok(self.core.into_parsed())
    }
}

/// Bytes read from the input at a time by [`parse_each_from`].
const READ_BUFFER: usize = 256 << 10;

/// [`crate::parse_each`] over any reader (a file, say) instead of a buffer: the input is
/// read in pieces, so memory holds one voucher, a read buffer and the first MiB of the
/// input (kept to decide the encoding) besides what is read of the header. The result
/// is the same as [`crate::parse_each`] of the same bytes: the encoding is decided from
/// the first MiB in the same way (where [`SieReader`] alone decides it line by line), and
/// the same vouchers, diagnostics and [`crate::ReadStats`] come out. `Err` only for I/O
/// errors, with `options.path`.
pub fn parse_each_from<R: Read>(
    mut input: R,
    options: &ParseOptions,
    each: impl FnMut(&SieFile, VoucherRef<'_>),
) -> Result<Parsed, SieError> {
    let mut prefix = Vec::with_capacity(DETECT_PREFIX + 1);
    // One byte more than the prefix tells whether the input ends within it.
    (&mut input)
        .take(DETECT_PREFIX as u64 + 1)
        .read_to_end(&mut prefix)
        .map_err(|source| SieError::Io {
            path: PathBuf::from(&options.path),
            source,
        })?;
    // Detected only when the options do not force an encoding (as `parse` does).
    let detected = options
        .encoding
        .is_none()
        .then(|| crate::encoding::detect(&prefix[..prefix.len().min(DETECT_PREFIX)]))
        .flatten();
    let len = prefix.len();
    let chained = Cursor::new(prefix).chain(input);
    let mut reader = SieReader::new(BufReader::with_capacity(READ_BUFFER, chained), options);
    reader.core.apply_detected(detected, len);
    reader.read_all_with_header(each)
}
