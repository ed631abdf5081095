//! Streaming reader: vouchers one by one from any `BufRead`, memory bounded by the largest
//! voucher (plus the chart of accounts and objects).

use crate::diagnostic::{Diagnostic, SieError};
use crate::encoding::Encoding;
use crate::model::{SieFile, Voucher};
use crate::parser::{line_end, Core};
use crate::{ParseOptions, Parsed};
use std::io::BufRead;
use std::path::PathBuf;

/// Reads a SIE file incrementally.
///
/// Records other than vouchers are collected into [`SieReader::header`]; vouchers are yielded
/// by [`SieReader::next_voucher`] (or the `Iterator` impl) and not kept. Diagnostics are
/// collected as with [`crate::parse`]; file-wide checks run when the end is reached.
///
/// The encoding is decided on the first line holding non-ASCII letters (CP437 until then)
/// unless [`ParseOptions::encoding`] forces one.
pub struct SieReader<R> {
    inner: R,
    core: Core,
    buf: Vec<u8>,
    position: u64,
    done: bool,
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

    /// Everything but vouchers read so far (all of it once the end is reached).
    pub fn header(&self) -> &SieFile {
        &self.core.file
    }

    /// Diagnostics so far.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.core.diags
    }

    /// The encoding in use.
    pub fn encoding(&self) -> Encoding {
        self.core.encoding
    }

    /// Whether the input turned out not to be a SIE file.
    pub fn is_not_sie(&self) -> bool {
        self.core.is_not_sie()
    }

    /// The next voucher; `None` at the end. `Err` only for I/O errors.
    pub fn next_voucher(&mut self) -> Option<Result<Voucher, SieError>> {
        while !self.done {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Some(Err(SieError::Io {
                        path: PathBuf::from(&self.path),
                        source: e,
                    }));
                }
            };
            if buf.is_empty() {
                // End of input: a last line without `\n`, then the file-wide checks.
                if !self.buf.is_empty() {
                    let line = std::mem::take(&mut self.buf);
                    let v = self.core.feed_line(&line);
                    self.buf = line;
                    self.buf.clear();
                    if let Some(v) = v {
                        return Some(Ok(v));
                    }
                    continue;
                }
                self.done = true;
                return self.core.finish().map(Ok);
            }
            // Lines are read in place from the reader's buffer; only a line that straddles
            // two buffer fills is copied.
            let mut used = 0usize;
            let mut found = None;
            loop {
                let end = line_end(buf, used);
                if end == buf.len() {
                    break;
                }
                let v = if self.buf.is_empty() {
                    self.core.feed_line(&buf[used..end])
                } else {
                    self.buf.extend_from_slice(&buf[used..end]);
                    let v = self.core.feed_line(&self.buf);
                    self.buf.clear();
                    v
                };
                used = end + 1;
                if v.is_some() || self.core.is_not_sie() {
                    found = v;
                    break;
                }
            }
            if found.is_none() && !self.core.is_not_sie() {
                self.buf.extend_from_slice(&buf[used..]);
                used = buf.len();
            }
            self.inner.consume(used);
            self.position += used as u64;
            if self.core.is_not_sie() {
                self.done = true;
                return None;
            }
            if let Some(v) = found {
                if let Some(hook) = self.progress.as_mut() {
                    hook(self.position);
                }
                return Some(Ok(v));
            }
        }
        None
    }

    /// Reads to the end, passing each voucher to `each`, and returns the rest of the file
    /// (without vouchers) with all diagnostics.
    pub fn read_all(mut self, mut each: impl FnMut(Voucher)) -> Result<Parsed, SieError> {
        while let Some(v) = self.next_voucher() {
            each(v?);
        }
        Ok(self.core.into_parsed())
    }

    /// Reads to the end, keeping the vouchers: the same result as [`crate::parse`] except
    /// that the encoding is decided line by line.
    pub fn into_parsed(self) -> Result<Parsed, SieError> {
        let mut vouchers = Vec::new();
        let mut parsed = self.read_all(|v| vouchers.push(v))?;
        parsed.file.vouchers = vouchers;
        Ok(parsed)
    }
}

impl<R: BufRead> Iterator for SieReader<R> {
    type Item = Result<Voucher, SieError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_voucher()
    }
}
