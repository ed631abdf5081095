//! The line-level SIE parser shared by the whole-buffer and the streaming readers.

use crate::amount::{Amount, NumberError, Quantity};
use crate::date::{Date, Period};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::encoding::{self, Encoding};
use crate::intern::{short_key, Found, KeyTable};
use crate::model::*;
use crate::scan::{Classes, Mask};
use crate::vouchers::{pack_date, unpack_date, Head, Pair, Row, NO_TEXT};
use crate::{ParseOptions, Parsed};
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;

/// Kind of a field on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An unquoted word.
    Word,
    /// A quoted string (`start..end` excludes the quotes).
    Quoted,
    /// An object list (`start..end` excludes the braces).
    List,
    /// A `{` that ends the line (a voucher body opened on the `#VER` line).
    Open,
}

/// One field of a line, as byte offsets into the line.
#[derive(Debug, Clone, Copy)]
struct Field {
    kind: Kind,
    start: u32,
    end: u32,
    /// Contains `\"` to unescape.
    escaped: bool,
}

/// A syntax problem found while splitting a line into fields.
struct SplitError {
    offset: usize,
    message: &'static str,
    /// Whether the record cannot be used (an open object list); an open quote is read to
    /// the end of the line and only warned about.
    fatal: bool,
}

#[inline]
fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Splits `line` into fields. On an unterminated quote or list the field runs to the end of
/// the line and an error is returned alongside.
fn split(line: &[u8], out: &mut Vec<Field>) -> Option<SplitError> {
    out.clear();
    let n = line.len();
    let mut i = 0usize;
    let mut err = None;
    while i < n {
        let b = line[i];
        if is_space(b) {
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                let start = i + 1;
                let (close, escaped) = closing_quote(line, start);
                match close {
                    Some(q) => {
                        out.push(Field {
                            kind: Kind::Quoted,
                            start: start as u32,
                            end: q as u32,
                            escaped,
                        });
                        i = q + 1;
                    }
                    None => {
                        out.push(Field {
                            kind: Kind::Quoted,
                            start: start as u32,
                            end: n as u32,
                            escaped,
                        });
                        err.get_or_insert(SplitError {
                            offset: i,
                            message: "en text inom citattecken saknar avslutande citattecken",
                            fatal: false,
                        });
                        i = n;
                    }
                }
            }
            b'{' => {
                let start = i + 1;
                let mut j = start;
                let mut close = None;
                while j < n {
                    match line[j] {
                        b'"' => match closing_quote(line, j + 1).0 {
                            Some(q) => j = q,
                            None => break,
                        },
                        b'}' => {
                            close = Some(j);
                            break;
                        }
                        _ => {}
                    }
                    j += 1;
                }
                match close {
                    Some(c) => {
                        out.push(Field {
                            kind: Kind::List,
                            start: start as u32,
                            end: c as u32,
                            escaped: false,
                        });
                        i = c + 1;
                    }
                    None if line[start..].iter().all(|&c| is_space(c)) => {
                        out.push(Field {
                            kind: Kind::Open,
                            start: start as u32,
                            end: start as u32,
                            escaped: false,
                        });
                        i = n;
                    }
                    None => {
                        out.push(Field {
                            kind: Kind::List,
                            start: start as u32,
                            end: n as u32,
                            escaped: false,
                        });
                        err.get_or_insert(SplitError {
                            offset: i,
                            message: "en objektlista saknar avslutande `}`",
                            fatal: true,
                        });
                        i = n;
                    }
                }
            }
            _ => {
                let start = i;
                while i < n && !is_space(line[i]) {
                    i += 1;
                }
                out.push(Field {
                    kind: Kind::Word,
                    start: start as u32,
                    end: i as u32,
                    escaped: false,
                });
            }
        }
    }
    err
}

/// Finds the quote closing a quoted text that starts at `start` (just after the opening
/// quote). A quote preceded by an odd number of backslashes is part of the text. Returns
/// the position and whether the text has backslashes before a quote (to unescape).
fn closing_quote(line: &[u8], start: usize) -> (Option<usize>, bool) {
    let mut j = start;
    let mut escaped = false;
    while let Some(k) = memchr::memchr(b'"', &line[j..]) {
        let q = j + k;
        let run = line[start..q]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if run > 0 {
            escaped = true;
        }
        if run % 2 == 1 {
            j = q + 1;
            continue;
        }
        return (Some(q), escaped);
    }
    (None, escaped)
}

/// The bytes of a field, unescaped: before a quote (or the end of a quoted text), `\\` is a
/// backslash and `\"` a quote; other backslashes are literal (`1820\A012`).
fn field_bytes<'a>(line: &'a [u8], f: &Field) -> Cow<'a, [u8]> {
    let raw = &line[f.start as usize..f.end as usize];
    if !f.escaped {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut k = 0;
    while k < raw.len() {
        if raw[k] != b'\\' {
            out.push(raw[k]);
            k += 1;
            continue;
        }
        let run = raw[k..].iter().take_while(|&&b| b == b'\\').count();
        let after = k + run;
        if after == raw.len() || raw[after] == b'"' {
            out.extend(std::iter::repeat_n(b'\\', run / 2));
            if run % 2 == 1 && after < raw.len() {
                out.push(b'"');
                k = after + 1;
            } else {
                k = after;
            }
        } else {
            out.extend(std::iter::repeat_n(b'\\', run));
            k = after;
        }
    }
    Cow::Owned(out)
}

/// Voucher numbers seen per series, for the duplicate check. Numeric numbers are kept as
/// merged ranges, so memory stays small for the usual gap-free numbering.
#[derive(Default)]
struct VoucherKeys {
    ranges: FxHashMap<u32, std::collections::BTreeMap<u64, u64>>,
    other: FxHashSet<(u32, Box<[u8]>)>,
    /// The last range of one series, (series, start, end), whose end may be ahead of its
    /// entry in `ranges`: numbers that count up touch no map.
    tail: Option<(u32, u64, u64)>,
}

impl VoucherKeys {
    /// Records `number` in `series`; false when it was already there.
    fn insert(&mut self, series: u32, number: &[u8]) -> bool {
        // Plain decimal numbers without leading zeros (so that "7" and "07" stay apart).
        let numeric = !number.is_empty()
            && number.len() <= 19
            && number.iter().all(u8::is_ascii_digit)
            && (number[0] != b'0' || number.len() == 1);
        if !numeric {
            return self.other.insert((series, number.into()));
        }
        let n = number
            .iter()
            .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
        if let Some((s, _, end)) = &mut self.tail {
            if *s == series && n == *end + 1 {
                *end = n;
                return true;
            }
        }
        if let Some((s, start, end)) = self.tail.take() {
            self.ranges.entry(s).or_default().insert(start, end);
        }
        let fresh = self.insert_number(series, n);
        self.tail = self
            .ranges
            .get(&series)
            .and_then(|m| m.last_key_value())
            .map(|(&start, &end)| (series, start, end));
        fresh
    }

    /// [`VoucherKeys::insert`] of a number into the maps (with `tail` written back).
    fn insert_number(&mut self, series: u32, n: u64) -> bool {
        let map = self.ranges.entry(series).or_default();
        // Fast path for increasing numbers: only the last range can be touched.
        match map.last_key_value().map(|(&s, &e)| (s, e)) {
            Some((s, e)) if n == e + 1 => {
                map.insert(s, n);
                return true;
            }
            Some((_, e)) if n > e + 1 => {
                map.insert(n, n);
                return true;
            }
            None => {
                map.insert(n, n);
                return true;
            }
            _ => {}
        }
        let below = map.range(..=n).next_back().map(|(&s, &e)| (s, e));
        if let Some((_, e)) = below {
            if n <= e {
                return false;
            }
        }
        let above = map.get(&(n + 1)).copied();
        match below {
            Some((s, e)) if e + 1 == n => {
                let end = match above {
                    Some(ae) => {
                        map.remove(&(n + 1));
                        ae
                    }
                    None => n,
                };
                map.insert(s, end);
            }
            _ => {
                let end = match above {
                    Some(ae) => {
                        map.remove(&(n + 1));
                        ae
                    }
                    None => n,
                };
                map.insert(n, end);
            }
        }
        true
    }
}

/// Bytes of `#KSUMMA` content gathered before they are hashed in one block.
const CRC_BLOCK: usize = 1 << 16;
/// Room after [`CRC_BLOCK`] for one line of the hot path (under 128 bytes) and a 16-byte
/// copy past its last token.
const CRC_SLACK: usize = 256;

/// State of the `#KSUMMA` computation.
struct Checksum {
    active: bool,
    opened: bool,
    open_line: u32,
    hasher: crc32fast::Hasher,
    /// Content not hashed yet: `buf[..pos]`. The [`CRC_SLACK`] bytes after [`CRC_BLOCK`]
    /// hold one line of the hot path, copied 16 bytes at a time.
    buf: Box<[u8]>,
    pos: usize,
    /// Scratch for records read by the general path.
    scratch: Vec<u8>,
}

impl Default for Checksum {
    fn default() -> Self {
        Checksum {
            active: false,
            opened: false,
            open_line: 0,
            hasher: crc32fast::Hasher::new(),
            buf: vec![0u8; CRC_BLOCK + CRC_SLACK].into_boxed_slice(),
            pos: 0,
            scratch: Vec::new(),
        }
    }
}

impl Checksum {
    /// Content is gathered and hashed in large blocks (the CRC of a concatenation).
    #[inline]
    fn flush_if_full(&mut self) {
        if self.pos >= CRC_BLOCK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        self.hasher.update(&self.buf[..self.pos]);
        self.pos = 0;
    }

    /// A writer for the tokens of one line of fewer than 128 bytes; its [`TokenWriter::k`]
    /// is then added to `pos`.
    #[inline(always)]
    fn line_writer(&mut self) -> TokenWriter<'_> {
        if self.pos > CRC_BLOCK {
            self.flush();
        }
        let region = self.buf[self.pos..]
            .first_chunk_mut::<CRC_SLACK>()
            .expect("the buffer has CRC_SLACK bytes after CRC_BLOCK");
        TokenWriter { region, k: 0 }
    }

    /// Appends `bytes` (records read by the general path; the hot path uses
    /// [`Checksum::line_writer`]).
    fn push(&mut self, bytes: &[u8]) {
        if self.pos + bytes.len() > self.buf.len() {
            self.flush();
        }
        if bytes.len() > self.buf.len() {
            self.hasher.update(bytes);
            return;
        }
        self.buf[self.pos..self.pos + bytes.len()].copy_from_slice(bytes);
        self.pos += bytes.len();
    }
}

/// Appends the tokens of one line of the hot path to the checksum buffer, into a region with
/// room for the whole line ([`CRC_SLACK`]): a token is copied in 16-byte moves (only its
/// length counts), with no bounds check left (positions are under 128, the region and the
/// pad are larger).
struct TokenWriter<'a> {
    region: &'a mut [u8; CRC_SLACK],
    /// Bytes written to `region`.
    k: usize,
}

impl TokenWriter<'_> {
    /// Appends `pad[start..end]`.
    #[inline(always)]
    fn token(&mut self, pad: &Pad, start: usize, end: usize) {
        let len = end - start;
        debug_assert!(end <= 128 && self.k + len < 128);
        let (s, k) = (start & 127, self.k & 127);
        let mut copy16 = |o: usize| {
            let (so, ko) = ((s + o) & 127, (k + o) & 127);
            let from: &[u8; 16] = pad[so..so + 16].try_into().expect("16 bytes");
            let to: &mut [u8; 16] = (&mut self.region[ko..ko + 16])
                .try_into()
                .expect("16 bytes");
            *to = *from;
        };
        copy16(0);
        if len > 16 {
            for o in (16..len).step_by(16) {
                copy16(o);
            }
        }
        self.k += len;
    }
}

/// Where [`Core::intern_small`] found a text.
#[derive(Clone, Copy)]
enum Slot {
    /// In the table of texts of up to 7 bytes, at this index.
    Short(usize),
    /// In the table of texts of 8 to 15 bytes, at this index.
    Medium(usize),
    /// In neither (16 bytes or more).
    None,
}

/// Where we are in a voucher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VerState {
    /// Not in a voucher.
    None,
    /// `#VER` read, `{` expected.
    AwaitOpen,
    /// Inside `{ … }`.
    Open,
}

/// Per-symbol facts kept by dense index.
#[derive(Default, Clone, Copy)]
struct SymInfo {
    declared: bool,
    /// First use in a voucher row (line, column), 0 when unused.
    first_use: (u32, u32),
}

/// The parser: fed one line at a time, it fills a [`SieFile`] (without vouchers, which it
/// hands back) and a list of diagnostics.
pub(crate) struct Core {
    path: String,
    strict: bool,
    pub(crate) encoding: Encoding,
    /// Whether the encoding is known (detected, forced, or decided by a non-ASCII line).
    pub(crate) encoding_known: bool,
    pub(crate) file: SieFile,
    pub(crate) diags: Vec<Diagnostic>,
    interner: FxHashMap<Box<[u8]>, u32>,
    /// Interned texts of 8 to 15 bytes, with the same flag as `short`.
    medium: KeyTable<u128>,
    /// Interned texts of up to 7 bytes (most account numbers and object ids), each with the
    /// flag that the first use of the symbol as an account is recorded.
    short: KeyTable<u64>,

    info: Vec<SymInfo>,
    account_index: FxHashMap<u32, usize>,
    voucher_keys: VoucherKeys,
    /// The voucher being read (its rows go straight into `file.vouchers`).
    cur: Option<Current>,
    /// The object list of the last row the hot path read.
    prev_list: PrevList,
    /// Object pairs of a row read by the general path, before it is committed.
    pair_scratch: Vec<(u32, u32)>,
    state: VerState,
    damaged: bool,
    /// The last row was an `#RTRANS` whose `#TRANS` copy may follow.
    after_added: bool,
    ksumma: Checksum,
    fields: Vec<Field>,
    inner: Vec<Field>,
    pub(crate) line_no: u32,
    pub(crate) records: u64,
    seen_record: bool,
    not_sie: bool,
    /// Errors and warnings not listed after [`MAX_DIAGNOSTICS`].
    suppressed: (u64, u64),
    /// Whether voucher rows may take the fast path (off in tests comparing both paths).
    fast_rows: bool,
}

/// An object pair as the hot path finds it: the dimension number and the offsets of the
/// dimension and id tokens from the list's `{` (a line of the hot path is under 128 bytes).
#[derive(Default, Clone, Copy)]
struct PairToks {
    dim: u32,
    ds: u8,
    de: u8,
    os: u8,
    oe: u8,
}

/// The masks that keep the first `n` bytes of 32 (as two little-endian 16-byte words), by `n`.
static LIST_MASKS: [[u128; 2]; 33] = {
    let mut t = [[0u128; 2]; 33];
    let mut n: usize = 0;
    while n <= 32 {
        let low = if n >= 16 { 16 } else { n };
        let high = n.saturating_sub(16);
        t[n][0] = if low == 16 {
            u128::MAX
        } else {
            (1u128 << (8 * low)) - 1
        };
        t[n][1] = if high == 16 {
            u128::MAX
        } else {
            (1u128 << (8 * high)) - 1
        };
        n += 1;
    }
    t
};

/// The object list of the last row the hot path read, as written (up to 32 bytes with its
/// braces), with what reading it gave: a row whose list is written byte for byte the same
/// reads the same, so it is not read again.
#[derive(Default)]
struct PrevList {
    /// The text as two masked 16-byte words; `len` 0 when there is none.
    words: [u128; 2],
    masks: [u128; 2],
    len: usize,
    /// Where the list starts in the voucher store, and its number of pairs.
    start: u32,
    n: usize,
    /// Its pairs (offsets from the `{`).
    pairs: [PairToks; 4],
}

impl PrevList {
    /// Whether the list at `open` (the `{`) of `line` is the same text.
    #[inline(always)]
    fn matches(&self, pad: &Pad, len: usize, open: usize) -> bool {
        if self.len == 0 || open + self.len > len {
            return false;
        }
        let [a, b] = pad32(pad, open);
        a & self.masks[0] == self.words[0] && b & self.masks[1] == self.words[1]
    }

    /// Keeps the list `pad[open..close]` just read (when it is short enough).
    #[inline(always)]
    fn remember(
        &mut self,
        pad: &Pad,
        open: usize,
        close: usize,
        start: u32,
        pairs: &[PairToks; 4],
        n: usize,
    ) {
        self.len = 0;
        let len = close - open;
        let Some(masks) = LIST_MASKS.get(len) else {
            return;
        };
        let [a, b] = pad32(pad, open);
        self.masks = *masks;
        self.words = [a & masks[0], b & masks[1]];
        self.pairs = *pairs;
        self.start = start;
        self.n = n;
        self.len = len;
    }
}

/// The record a line of the hot path starts with.
#[derive(Clone, Copy)]
enum Label {
    /// `#TRANS`, `#RTRANS` or `#BTRANS`, with the label's length.
    Row(RowKind, usize),
    /// `#VER`.
    Ver,
}

/// The masks of one line (bits past its end clear) that the hot path reads tokens with, and
/// the line's pad to tell the bytes of a mask apart.
struct Tokens<'a, M> {
    pad: &'a Pad,
    space: M,
    nonspace: M,
    /// `"` or `\`.
    quote: M,
    /// `{` or `}`.
    brace: M,
    /// Where a plain word ends: a space, quote, backslash or brace, or the end of the line.
    word_end: M,
    /// A space or the end of the line.
    space_or_end: M,
    len: usize,
}

impl<'a, M: Mask> Tokens<'a, M> {
    #[inline(always)]
    fn new(pad: &'a Pad, c: &Classes<M>, len: usize) -> Tokens<'a, M> {
        let past_end = !M::low(len);
        Tokens {
            pad,
            space: c.space,
            // With the end of the line as a stop, so that `next` stays inside the line.
            nonspace: !c.space & M::low(len) | M::bit(len),
            quote: c.quote,
            brace: c.brace,
            word_end: c.space | c.quote | c.brace | past_end,
            space_or_end: c.space | past_end,
            len,
        }
    }

    /// The byte at `i` (a position in the line, under 128).
    #[inline(always)]
    fn byte(&self, i: usize) -> u8 {
        self.pad[i & 127]
    }

    /// The closing `"` of a quoted text opened at `i`: the next quote or backslash must be a
    /// quote inside the line (a backslash may escape a quote: the general path knows the
    /// rules).
    #[inline(always)]
    fn closing_quote(&self, i: usize) -> Option<usize> {
        let close = self.quote.next(i + 1);
        (close < self.len && self.byte(close) == b'"').then_some(close)
    }

    /// The plain token at `i` (a byte of the line that is not a space): a word up to a space
    /// or the end of the line, or a quoted text without backslashes followed by a space or
    /// the end. Returns (start, end, quoted) of its text and the position after it; `None`
    /// for anything else (a brace, a backslash, a word running into a quote, an open quote),
    /// as [`simple_token`] decides.
    #[inline(always)]
    fn token(&self, i: usize) -> Option<((usize, usize, bool), usize)> {
        if self.quote.has(i) {
            if self.byte(i) != b'"' {
                return None;
            }
            let close = self.closing_quote(i)?;
            let after = close + 1;
            if after < self.len && !self.space.has(after) {
                return None;
            }
            Some(((i + 1, close, true), after))
        } else {
            let end = self.word_end.next(i);
            if end < self.len && !self.space.has(end) {
                return None;
            }
            Some(((i, end, false), end))
        }
    }
}

/// An amount as the hot path takes it: `[-]digits[.d[d]]` with one to fifteen integer
/// digits (so no overflow is possible); `None` for anything else.
#[inline(always)]
fn fast_amount(tok: &[u8]) -> Option<Amount> {
    let (neg, digits) = match tok {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, tok),
    };
    let mut v: i64 = 0;
    let mut k = 0;
    while let Some(&b) = digits.get(k) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        if k == 15 {
            return None;
        }
        v = v * 10 + i64::from(d);
        k += 1;
    }
    if k == 0 {
        return None;
    }
    let digit = |b: u8| {
        let d = b.wrapping_sub(b'0');
        (d <= 9).then_some(i64::from(d))
    };
    v = match &digits[k..] {
        [] | [b'.'] => v * 100,
        [b'.', a] => (v * 10 + digit(*a)?) * 10,
        [b'.', a, b] => (v * 10 + digit(*a)?) * 10 + digit(*b)?,
        _ => return None,
    };
    Some(Amount(if neg { -v } else { v }))
}

/// Bytes the hot path reads from the start of a line of under 128 bytes: the line and what
/// follows it (the next lines, or zeros in a copy), so that 16- and 32-byte loads from any
/// position of the line stay inside.
const PAD: usize = 160;
/// See [`PAD`].
type Pad = [u8; PAD];

/// The 16 bytes of `pad` from `i`, a position in the line (under 128).
#[inline(always)]
fn pad16(pad: &Pad, i: usize) -> u128 {
    debug_assert!(i < 128);
    let i = i & 127;
    u128::from_le_bytes(pad[i..i + 16].try_into().expect("16 bytes"))
}

/// The 32 bytes of `pad` from `i`, a position in the line (under 128), as two words.
#[inline(always)]
fn pad32(pad: &Pad, i: usize) -> [u128; 2] {
    debug_assert!(i < 128);
    let i = i & 127;
    [
        u128::from_le_bytes(pad[i..i + 16].try_into().expect("16 bytes")),
        u128::from_le_bytes(pad[i + 16..i + 32].try_into().expect("16 bytes")),
    ]
}

/// The voucher being read.
#[derive(Debug, Clone, Copy)]
struct Current {
    series: u32,
    date: Date,
    registered: Option<Date>,
    line: u32,
    /// Its first row in `file.vouchers.rows`.
    rows_start: u32,
    /// Text ids of its number, text and signature in the voucher store (stored when the
    /// `#VER` is read).
    number: u32,
    text: u32,
    signature: u32,
    /// Sum of the counting rows so far.
    sum: Amount,
    /// Whether any row has its own date (checked against the year at the end).
    row_dates: bool,
}

/// What a `#VER` line gives, for [`Core::begin_voucher`]. Texts are the field contents as
/// read (not yet decoded).
struct VerParts<'a> {
    series: u32,
    number: &'a [u8],
    /// Byte offset of the number field in the line, for the duplicate diagnostic.
    number_offset: Option<usize>,
    date: Date,
    date_offset: usize,
    text: &'a [u8],
    registered: Option<Date>,
    signature: &'a [u8],
    /// The line ends with the voucher's `{`.
    open: bool,
}

/// At most this many diagnostics are listed; the rest are counted.
pub(crate) const MAX_DIAGNOSTICS: usize = 10_000;

/// Result type of record handlers: `Err` carries (field index or column offset, message, code).
type RecResult<T> = Result<T, Problem>;

/// A problem with a record, pointing at a byte offset of the line.
struct Problem {
    offset: usize,
    message: String,
    code: Code,
}

impl Core {
    pub(crate) fn new(options: &ParseOptions) -> Core {
        Core {
            path: options.path.clone(),
            strict: options.strict,
            encoding: options.encoding.unwrap_or_default(),
            encoding_known: options.encoding.is_some(),
            file: SieFile::default(),
            diags: Vec::new(),
            interner: FxHashMap::default(),
            medium: KeyTable::default(),
            short: KeyTable::default(),

            info: Vec::new(),
            account_index: FxHashMap::default(),
            voucher_keys: VoucherKeys::default(),
            cur: None,
            pair_scratch: Vec::new(),
            prev_list: PrevList::default(),
            state: VerState::None,
            damaged: false,
            after_added: false,
            ksumma: Checksum::default(),
            fields: Vec::with_capacity(16),
            inner: Vec::with_capacity(8),
            line_no: 0,
            records: 0,
            seen_record: false,
            not_sie: false,
            suppressed: (0, 0),
            fast_rows: true,
        }
    }

    /// Whether the input was found not to be SIE at all (reading stops).
    pub(crate) fn is_not_sie(&self) -> bool {
        self.not_sie
    }

    fn column(&self, line: &[u8], offset: usize) -> u32 {
        let offset = offset.min(line.len());
        let col = if self.encoding == Encoding::Utf8 {
            line[..offset]
                .iter()
                .filter(|&&b| (b & 0xC0) != 0x80)
                .count()
        } else {
            offset
        };
        u32::try_from(col + 1).unwrap_or(u32::MAX)
    }

    fn push_diag(
        &mut self,
        severity: Severity,
        line: u32,
        column: u32,
        code: Code,
        message: String,
    ) {
        if self.diags.len() >= MAX_DIAGNOSTICS {
            // Bounded memory on pathological input: count the rest.
            match severity {
                Severity::Error => self.suppressed.0 += 1,
                Severity::Warning => self.suppressed.1 += 1,
            }
            return;
        }
        self.diags.push(Diagnostic {
            severity,
            path: self.path.clone(),
            line,
            column,
            message,
            code,
        });
    }

    fn report(&mut self, line: &[u8], p: Problem, severity: Severity) {
        let col = self.column(line, p.offset);
        let ln = self.line_no;
        self.push_diag(severity, ln, col, p.code, p.message);
    }

    /// Severity of data checks: errors in strict mode, warnings in lenient mode.
    fn data_severity(&self) -> Severity {
        if self.strict {
            Severity::Error
        } else {
            Severity::Warning
        }
    }

    #[inline]
    fn intern(&mut self, bytes: &[u8]) -> u32 {
        if bytes.len() < 16 {
            let mut key: u128 = (bytes.len() as u128) << 120;
            for (k, &b) in bytes.iter().enumerate() {
                key |= u128::from(b) << (8 * k);
            }
            return self.intern_small(key, bytes).0;
        }
        self.intern_large(bytes)
    }

    /// The interning key of `pad[start..end]` (a token of a line of the hot path) when it is
    /// shorter than 16 bytes, from one unaligned 16-byte load.
    #[inline(always)]
    fn pad_key(pad: &Pad, start: usize, end: usize) -> Option<u128> {
        let len = end - start;
        if len >= 16 {
            return None;
        }
        let word = pad16(pad, start) & ((1u128 << (8 * len)) - 1);
        Some(word | ((len as u128) << 120))
    }

    /// Interns `pad[start..end]`.
    #[inline(always)]
    fn intern_at(&mut self, pad: &Pad, start: usize, end: usize) -> u32 {
        match Self::pad_key(pad, start, end) {
            Some(key) => self.intern_small(key, &pad[start..end]).0,
            None => self.intern(&pad[start..end]),
        }
    }

    /// Interns the account number `pad[start..end]` of a voucher row and records its first
    /// use (for the check of undeclared accounts), usually with no more than the lookup.
    #[inline(always)]
    fn intern_account_at(&mut self, pad: &Pad, start: usize, end: usize) -> u32 {
        let (id, slot) = match Self::pad_key(pad, start, end) {
            Some(key) => self.intern_small(key, &pad[start..end]),
            None => (self.intern(&pad[start..end]), Slot::None),
        };
        let seen = match slot {
            Slot::Short(k) => Some(self.short.flag(k)),
            Slot::Medium(k) => Some(self.medium.flag(k)),
            Slot::None => None,
        };
        if let Some(seen) = seen {
            if *seen {
                return id;
            }
            *seen = true;
        }
        let info = &mut self.info[id as usize];
        if info.first_use.0 == 0 {
            info.first_use = (self.line_no, start as u32 + 1);
        }
        id
    }

    /// Interns a text of up to 15 bytes by its key; returns the id and where its first-use
    /// flag is.
    #[inline(always)]
    fn intern_small(&mut self, key: u128, bytes: &[u8]) -> (u32, Slot) {
        let len = (key >> 120) as usize;
        if len <= 7 {
            // Up to seven bytes: the key fits in 64 bits.
            let k64 = short_key(key as u64, len);
            return match self.short.find(k64) {
                Found::At(i) => (self.short.id(i), Slot::Short(i)),
                Found::Free(i) => {
                    let id = self.new_sym(bytes);
                    (id, Slot::Short(self.short.insert_at(i, k64, id)))
                }
            };
        }
        match self.medium.find(key) {
            Found::At(i) => (self.medium.id(i), Slot::Medium(i)),
            Found::Free(i) => {
                let id = self.new_sym(bytes);
                (id, Slot::Medium(self.medium.insert_at(i, key, id)))
            }
        }
    }

    fn intern_large(&mut self, bytes: &[u8]) -> u32 {
        if let Some(&id) = self.interner.get(bytes) {
            return id;
        }
        let id = self.new_sym(bytes);
        self.interner.insert(bytes.into(), id);
        id
    }

    fn new_sym(&mut self, bytes: &[u8]) -> u32 {
        let syms = &mut self.file.vouchers.symbols;
        let id = u32::try_from(syms.len()).unwrap_or(u32::MAX);
        let text: Sym = encoding::decode(bytes, self.encoding).into();
        syms.push(text);
        self.info.push(SymInfo::default());
        id
    }

    fn sym_of(&mut self, line: &[u8], f: &Field) -> (u32, Sym) {
        let id = match field_bytes(line, f) {
            Cow::Borrowed(b) => self.intern(b),
            Cow::Owned(b) => self.intern(&b),
        };
        (id, self.sym(id).clone())
    }

    /// The text of symbol `id`.
    #[inline]
    fn sym(&self, id: u32) -> &Sym {
        &self.file.vouchers.symbols[id as usize]
    }

    fn text_of(&self, line: &[u8], f: &Field) -> String {
        match field_bytes(line, f) {
            Cow::Borrowed(b) => encoding::decode(b, self.encoding).into_owned(),
            Cow::Owned(b) => encoding::decode(&b, self.encoding).into_owned(),
        }
    }

    /// Decides the encoding from one line when the prefix said nothing.
    fn decide_encoding(&mut self, line: &[u8]) {
        if !self.encoding_known && !line.is_ascii() {
            if let Some(e) = encoding::detect_confident(line) {
                self.encoding = e;
                self.encoding_known = true;
            }
        }
    }

    /// Feeds one line (without its `\n`). Returns true when a voucher ended (it is then the
    /// last one of `file.vouchers`).
    #[inline]
    pub(crate) fn feed_line(&mut self, raw: &[u8]) -> bool {
        self.feed(raw, raw.len())
    }

    /// [`Core::feed_line`] for the line `buf[..len]`; the bytes of `buf` after the line (the
    /// next lines of the input, when there are any) let the hot path read 16 bytes at a time
    /// without running off the end. They are never interpreted.
    #[inline]
    pub(crate) fn feed(&mut self, buf: &[u8], len: usize) -> bool {
        let raw = &buf[..len];
        self.line_no = self.line_no.saturating_add(1);
        if self.fast_rows && self.seen_record && !self.not_sie {
            // The hot path: voucher rows, `#VER` and braces in their usual form.
            let line = match raw {
                [rest @ .., b'\r'] => rest,
                _ => raw,
            };
            if !self.encoding_known {
                self.decide_encoding(line);
            }
            let lead = skip_ws(line, 0);
            match (line.get(lead), self.state) {
                (Some(b'#'), VerState::Open | VerState::None)
                    if self.fast_record(line, buf, lead) =>
                {
                    return false
                }
                (Some(b'}'), VerState::Open) if skip_ws(line, lead + 1) == line.len() => {
                    return self.finish_voucher();
                }
                (Some(b'{'), VerState::AwaitOpen) if skip_ws(line, lead + 1) == line.len() => {
                    self.state = VerState::Open;
                    return false;
                }
                _ => {}
            }
        }
        self.feed_general(raw)
    }

    /// [`Core::feed_line`] for every line the hot path does not take.
    fn feed_general(&mut self, raw: &[u8]) -> bool {
        if self.not_sie {
            return false;
        }
        let mut line = raw;
        if let [rest @ .., b'\r'] = line {
            line = rest;
        }
        if self.line_no == 1 && line.starts_with(b"\xEF\xBB\xBF") {
            line = &line[3..];
        }
        let lead = line.iter().position(|&b| !is_space(b) && b != 0x1A);
        let Some(lead) = lead else {
            return false; // blank line
        };
        if !self.seen_record {
            self.seen_record = true;
            if line[lead] != b'#' {
                self.reject_not_sie(line, lead);
                return false;
            }
        }
        self.decide_encoding(line);
        match line[lead] {
            b'{' if line[lead + 1..].iter().all(|&b| is_space(b)) => {
                self.open_brace(line, lead);
                false
            }
            b'}' if line[lead + 1..].iter().all(|&b| is_space(b)) => self.close_brace(line, lead),
            b'#' => self.record(line),
            _ => {
                let col = self.column(line, lead);
                let ln = self.line_no;
                self.push_diag(
                    Severity::Warning,
                    ln,
                    col,
                    Code::Syntax,
                    "raden är ingen post (poster börjar med `#`); den hoppas över".to_string(),
                );
                false
            }
        }
    }

    fn reject_not_sie(&mut self, line: &[u8], lead: usize) {
        self.not_sie = true;
        let head: String = String::from_utf8_lossy(&line[lead..])
            .chars()
            .take(40)
            .collect();
        let hint = if head.starts_with('<') {
            " Den ser ut som en HTML-sida (kanske en misslyckad nedladdning som sparats under filens namn)."
        } else {
            ""
        };
        let col = self.column(line, lead);
        let ln = self.line_no;
        self.push_diag(
            Severity::Error,
            ln,
            col,
            Code::NotSie,
            format!(
                "ingen SIE-fil: den börjar med `{head}` i stället för en post med `#`.{hint} Exportera filen på nytt från bokföringsprogrammet."
            ),
        );
    }

    fn open_brace(&mut self, line: &[u8], lead: usize) {
        match self.state {
            VerState::AwaitOpen => self.state = VerState::Open,
            _ => {
                let p = Problem {
                    offset: lead,
                    message: "`{` utan föregående #VER; raden hoppas över".to_string(),
                    code: Code::Structure,
                };
                self.report(line, p, Severity::Error);
            }
        }
    }

    fn close_brace(&mut self, line: &[u8], lead: usize) -> bool {
        match self.state {
            VerState::Open => self.finish_voucher(),
            _ => {
                let p = Problem {
                    offset: lead,
                    message: "`}` utan öppen verifikation; raden hoppas över".to_string(),
                    code: Code::Structure,
                };
                self.report(line, p, Severity::Error);
                false
            }
        }
    }

    fn record(&mut self, line: &[u8]) -> bool {
        let mut fields = std::mem::take(&mut self.fields);
        let split_err = if fast_split(line, &mut fields) {
            None
        } else {
            split(line, &mut fields)
        };
        let result = self.record_fields(line, &fields, split_err);
        self.fields = fields;
        result
    }

    fn record_fields(
        &mut self,
        line: &[u8],
        fields: &[Field],
        split_err: Option<SplitError>,
    ) -> bool {
        self.records += 1;
        let label_f = fields[0];
        let label_raw = &line[label_f.start as usize..label_f.end as usize];
        let upper;
        let label: &[u8] = if label_raw.iter().any(|b| b.is_ascii_lowercase()) {
            upper = label_raw.to_ascii_uppercase();
            &upper
        } else {
            label_raw
        };
        if let Some(e) = split_err {
            if e.fatal {
                let p = Problem {
                    offset: e.offset,
                    message: format!(
                        "{}; posten hoppas över; kontrollera klamrarna i posten",
                        e.message
                    ),
                    code: Code::Syntax,
                };
                self.report(line, p, Severity::Error);
                if self.state == VerState::Open {
                    self.damaged = true;
                }
                return false;
            }
            let p = Problem {
                offset: e.offset,
                message: format!("{}; texten läses till radens slut", e.message),
                code: Code::Syntax,
            };
            self.report(line, p, Severity::Warning);
        }

        // #KSUMMA bookkeeping: every record between the opening and the closing #KSUMMA.
        if label == b"#KSUMMA" {
            self.ksumma_record(line, fields);
            return false;
        }
        if self.ksumma.active {
            self.hash_record(line, fields);
        }

        let mut finished = false;
        let is_row = matches!(label, b"#TRANS" | b"#RTRANS" | b"#BTRANS");
        if !is_row {
            match self.state {
                VerState::None => {}
                VerState::AwaitOpen => {
                    // A #VER without a body: keep it, empty.
                    finished = self.finish_voucher();
                }
                VerState::Open => {
                    let ln = self.line_no;
                    let vline = self.cur.map_or(0, |v| v.line);
                    self.push_diag(
                        Severity::Error,
                        ln,
                        1,
                        Code::Structure,
                        format!("verifikationen som öppnades på rad {vline} saknar avslutande `}}` före den här posten; lägg till `}}`"),
                    );
                    finished = self.finish_voucher();
                }
            }
        }

        let res = match label {
            b"#TRANS" => self.row(line, fields, RowKind::Normal),
            b"#RTRANS" => self.row(line, fields, RowKind::Added),
            b"#BTRANS" => self.row(line, fields, RowKind::Removed),
            b"#VER" => self.ver(line, fields),
            _ => self.header_record(label, line, fields),
        };
        if let Err(p) = res {
            // Unknown and incomplete header records are warnings: the specification tells
            // readers to ignore what they cannot use. Voucher records are errors.
            let severity = if p.code == Code::UnknownRecord
                || (p.code == Code::MissingField && !is_row && label != b"#VER")
            {
                Severity::Warning
            } else {
                Severity::Error
            };
            self.report(line, p, severity);
        }
        finished
    }

    /// The hot path for a line starting with `#` (at `lead`) where a voucher row or a `#VER`
    /// may stand: the label is matched, the line's bytes (up to 128) are classified into bit
    /// masks, and [`Core::fast_row`] or [`Core::fast_ver`] reads it. `buf` starts with the
    /// line; the bytes after it (the next lines) only fill the mask window and are never
    /// interpreted. False (having changed nothing) when the line needs the general path,
    /// which also gives the diagnostics.
    #[inline(always)]
    fn fast_record(&mut self, line: &[u8], buf: &[u8], lead: usize) -> bool {
        let label = match (self.state, &line[lead..]) {
            (VerState::Open, [b'#', b'T', b'R', b'A', b'N', b'S', b' ' | b'\t', ..]) => {
                Label::Row(RowKind::Normal, 6)
            }
            (VerState::Open, [b'#', b'R', b'T', b'R', b'A', b'N', b'S', b' ' | b'\t', ..]) => {
                Label::Row(RowKind::Added, 7)
            }
            (VerState::Open, [b'#', b'B', b'T', b'R', b'A', b'N', b'S', b' ' | b'\t', ..]) => {
                Label::Row(RowKind::Removed, 7)
            }
            (VerState::None, [b'#', b'V', b'E', b'R', b' ' | b'\t', ..]) => Label::Ver,
            _ => return false,
        };
        // The masks cover one byte more than the line, so that every position the readers
        // compute (at most the line's length) is inside them.
        let len = line.len();
        if len >= 128 {
            return false;
        }
        match buf.first_chunk::<PAD>() {
            Some(pad) => self.fast_padded(pad, len, lead, label),
            None => self.fast_copied(line, lead, label),
        }
    }

    /// [`Core::fast_record`] for a line near the end of the input, where fewer than [`PAD`]
    /// bytes follow its start: the line is copied into a buffer with room after it.
    #[cold]
    #[inline(never)]
    fn fast_copied(&mut self, line: &[u8], lead: usize, label: Label) -> bool {
        let mut pad = [0u8; PAD];
        let len = line.len().min(127);
        pad[..len].copy_from_slice(&line[..len]);
        self.fast_padded(&pad, len, lead, label)
    }

    /// [`Core::fast_record`] for the line `pad[..len]`.
    #[inline(always)]
    fn fast_padded(&mut self, pad: &Pad, len: usize, lead: usize, label: Label) -> bool {
        if len < 64 {
            self.fast_masked(pad, len, lead, label, Classes::<u64>::of_line(pad, len))
        } else {
            self.fast_masked(pad, len, lead, label, Classes::<u128>::of_line(pad, len))
        }
    }

    #[inline(always)]
    fn fast_masked<M: Mask>(
        &mut self,
        pad: &Pad,
        len: usize,
        lead: usize,
        label: Label,
        c: Classes<M>,
    ) -> bool {
        let t = Tokens::new(pad, &c, len);
        match label {
            Label::Row(kind, label_len) => self.fast_row(pad, len, lead, kind, label_len, &t),
            Label::Ver => self.fast_ver(pad, len, lead, &t),
        }
    }

    /// Fast path for the common voucher rows: `#TRANS acct {dim id …} amount [date] [text]`
    /// with plain words or quoted texts, read in one pass over the line's masks. Returns
    /// false (having changed nothing) when the line needs the general path.
    #[inline(always)]
    fn fast_row<M: Mask>(
        &mut self,
        pad: &Pad,
        len: usize,
        lead: usize,
        kind: RowKind,
        label_len: usize,
        t: &Tokens<'_, M>,
    ) -> bool {
        let line = &pad[..len];
        // Pass 1: find the tokens without side effects.
        // Account: a plain word followed by a space.
        let acc_start = t.nonspace.next(lead + label_len + 1);
        let acc = (acc_start, t.word_end.next(acc_start));
        if acc.1 == acc.0 || !t.space.has(acc.1) {
            return false;
        }
        let list_open = t.nonspace.next(acc.1);
        if list_open >= len || t.byte(list_open) != b'{' {
            return false;
        }
        let mut i = list_open + 1;
        // Object list pairs up to the `}`: (dimension, dimension token, id token) as offsets
        // into `line`. Anything unusual goes to the general path. A list written exactly as
        // the last row's (the rows of a voucher often share their objects) is not read again.
        let mut pairs = [PairToks::default(); 4];
        let mut n = 0;
        let same_as_prev = self.prev_list.matches(pad, len, list_open);
        if same_as_prev {
            let prev = &self.prev_list;
            n = prev.n;
            pairs = prev.pairs;
            i = list_open + prev.len;
        } else {
            let id_end = t.space | t.brace;
            loop {
                i = t.nonspace.next(i);
                if i >= len {
                    return false;
                }
                if t.brace.has(i) {
                    if t.byte(i) != b'}' {
                        return false;
                    }
                    i += 1;
                    break;
                }
                if n == pairs.len() {
                    return false;
                }
                // The dimension: one to nine digits and a space.
                let ds = i;
                let de = t.word_end.next(ds);
                if de == ds || de - ds > 9 || !t.space.has(de) {
                    return false;
                }
                let mut dim: u32 = 0;
                for &b in &line[ds..de] {
                    let d = b.wrapping_sub(b'0');
                    if d > 9 {
                        return false;
                    }
                    dim = dim * 10 + u32::from(d);
                }
                // The object id: quoted or a plain word, then a space or the `}`.
                let s = t.nonspace.next(de);
                let (os, oe);
                if t.quote.has(s) {
                    if t.byte(s) != b'"' {
                        return false;
                    }
                    let Some(close) = t.closing_quote(s) else {
                        return false;
                    };
                    os = s + 1;
                    oe = close;
                    i = oe + 1;
                } else {
                    os = s;
                    oe = t.word_end.next(s);
                    if oe == os {
                        return false;
                    }
                    i = oe;
                }
                if !id_end.has(i) || t.byte(i) == b'{' {
                    return false;
                }
                // Offsets from the `{` of a line under 128 bytes fit a byte.
                let rel = |x: usize| (x - list_open) as u8;
                pairs[n] = PairToks {
                    dim,
                    ds: rel(ds),
                    de: rel(de),
                    os: rel(os),
                    oe: rel(oe),
                };
                n += 1;
            }
        }
        let list_close = i;
        // Amount: [-]digits[.d[d]], at most 15 integer digits (no overflow possible), then a
        // space or the end of the line.
        let amount_start = t.nonspace.next(i);
        let amount_end = t.space_or_end.next(amount_start);
        let Some(amount) = fast_amount(&line[amount_start..amount_end]) else {
            return false;
        };
        // Optional date and text; quantity, signature or anything else: general path.
        let mut date = None;
        let mut date_tok = None;
        let mut text_tok = None;
        i = t.nonspace.next(amount_end);
        if i < len {
            let Some((tok, next)) = t.token(i) else {
                return false;
            };
            if tok.1 > tok.0 {
                match Date::parse(&line[tok.0..tok.1]) {
                    Some(d) if !tok.2 => date = Some(d),
                    _ => return false,
                }
            }
            date_tok = Some(tok);
            i = t.nonspace.next(next);
            if i < len {
                let Some((tok, next)) = t.token(i) else {
                    return false;
                };
                text_tok = Some(tok);
                if t.nonspace.next(next) < len {
                    return false;
                }
            }
        }
        // Pass 2: commit.
        let acc_id = self.intern_account_at(pad, acc.0, acc.1);
        let objects = if same_as_prev {
            self.prev_list.start
        } else {
            let mut list = [Pair {
                dimension: 0,
                id: 0,
            }; 4];
            for (slot, p) in list.iter_mut().zip(&pairs[..n]) {
                let at = |o: u8| list_open + usize::from(o);
                *slot = Pair {
                    dimension: p.dim,
                    id: self.intern_at(pad, at(p.os), at(p.oe)),
                };
            }
            let objects = self.file.vouchers.add_list(&list[..n]);
            self.prev_list
                .remember(pad, list_open, list_close, objects, &pairs, n);
            objects
        };
        self.records += 1;
        if self.ksumma.active {
            let mut w = self.ksumma.line_writer();
            w.token(pad, lead, lead + label_len);
            w.token(pad, acc.0, acc.1);
            for p in &pairs[..n] {
                let at = |o: u8| list_open + usize::from(o);
                w.token(pad, at(p.ds), at(p.de));
                w.token(pad, at(p.os), at(p.oe));
            }
            w.token(pad, amount_start, amount_end);
            if let Some(t) = date_tok {
                w.token(pad, t.0, t.1);
            }
            if let Some(t) = text_tok {
                w.token(pad, t.0, t.1);
            }
            self.ksumma.pos += w.k;
        }
        let text = match text_tok {
            Some((ts, te, _)) if te > ts => {
                let store = &mut self.file.vouchers;
                encoding::decode_into(&line[ts..te], self.encoding, &mut store.texts);
                store.close_text()
            }
            _ => 0,
        };
        let row = Row {
            amount,
            account: acc_id,
            objects,
            meta: Row::meta(kind, n),
            text,
            line: self.line_no,
            date: pack_date(date),
        };
        self.push_row(row);
        true
    }

    /// Fast path for `#VER series number date [text [registered [signature]]]` with plain
    /// words or quoted texts, outside a voucher. Returns false (having changed nothing) when
    /// the line needs the general path.
    #[inline(always)]
    fn fast_ver<M: Mask>(&mut self, pad: &Pad, len: usize, lead: usize, t: &Tokens<'_, M>) -> bool {
        let line = &pad[..len];
        let mut i = t.nonspace.next(lead + 5);
        let mut toks = [(0usize, 0usize, false); 6];
        let mut n = 0;
        while i < len {
            if n == toks.len() {
                return false;
            }
            let Some((tok, next)) = t.token(i) else {
                return false;
            };
            toks[n] = tok;
            n += 1;
            i = t.nonspace.next(next);
        }
        if n < 3 {
            return false;
        }
        // The token texts, empty for the optional ones not given.
        let mut texts: [&[u8]; 6] = [&[]; 6];
        for (text, t) in texts.iter_mut().zip(&toks[..n]) {
            *text = &line[t.0..t.1];
        }
        let tok = |k: usize| texts[k];
        let Some(date) = Date::parse(tok(2)) else {
            return false;
        };
        let registered = if tok(4).is_empty() {
            None
        } else {
            match Date::parse(tok(4)) {
                Some(d) => Some(d),
                None => return false,
            }
        };
        // Commit.
        self.records += 1;
        if self.ksumma.active {
            let mut w = self.ksumma.line_writer();
            w.token(pad, lead, lead + 4);
            for t in &toks[..n] {
                w.token(pad, t.0, t.1);
            }
            self.ksumma.pos += w.k;
        }
        let series = self.intern_at(pad, toks[0].0, toks[0].1);
        self.begin_voucher(
            line,
            VerParts {
                series,
                number: tok(1),
                number_offset: Some(toks[1].0),
                date,
                date_offset: toks[2].0,
                text: tok(3),
                registered,
                signature: tok(5),
                open: false,
            },
        );
        true
    }

    fn ksumma_record(&mut self, line: &[u8], fields: &[Field]) {
        if fields.len() < 2 {
            if !self.ksumma.opened {
                self.ksumma.opened = true;
                self.ksumma.active = true;
                self.ksumma.open_line = self.line_no;
                self.ksumma.hasher = crc32fast::Hasher::new();
                self.ksumma.pos = 0;
            }
            return;
        }
        let f = fields[1];
        let text = &line[f.start as usize..f.end as usize];
        let value = std::str::from_utf8(text)
            .ok()
            .and_then(|t| t.parse::<u64>().ok())
            .and_then(|v| u32::try_from(v).ok());
        let Some(value) = value else {
            let p = Problem {
                offset: f.start as usize,
                message: "värdet i #KSUMMA är inget tal mellan 0 och 4294967295".to_string(),
                code: Code::Syntax,
            };
            self.report(line, p, Severity::Error);
            return;
        };
        self.file.checksum = Some(value);
        if !self.ksumma.active {
            let p = Problem {
                offset: f.start as usize,
                message: "avslutande #KSUMMA utan inledande #KSUMMA i filens början; kontrollsumman kan inte kontrolleras".to_string(),
                code: Code::Checksum,
            };
            self.report(line, p, Severity::Warning);
            return;
        }
        self.ksumma.active = false;
        self.ksumma.flush();
        let actual = std::mem::take(&mut self.ksumma.hasher).finalize();
        if actual != value {
            let sev = self.data_severity();
            let p = Problem {
                offset: f.start as usize,
                message: format!(
                    "kontrollsumman stämmer inte: #KSUMMA anger {value} men posterna från rad {} ger {actual}; filen har ändrats eller skadats efter exporten; exportera den på nytt",
                    self.ksumma.open_line
                ),
                code: Code::Checksum,
            };
            self.report(line, p, sev);
        }
    }

    /// Adds a record's label and field contents (no separators, quotes or braces) to the CRC.
    fn hash_record(&mut self, line: &[u8], fields: &[Field]) {
        if fields
            .iter()
            .all(|f| !f.escaped && matches!(f.kind, Kind::Word | Kind::Quoted))
        {
            for f in fields {
                self.ksumma.push(&line[f.start as usize..f.end as usize]);
            }
            self.ksumma.flush_if_full();
            return;
        }
        let mut scratch = std::mem::take(&mut self.ksumma.scratch);
        scratch.clear();
        checksum_content(line, fields, &mut scratch);
        self.ksumma.push(&scratch);
        self.ksumma.scratch = scratch;
        self.ksumma.flush_if_full();
    }

    /// Finishes the current voucher with its checks.
    fn finish_voucher(&mut self) -> bool {
        self.state = VerState::None;
        self.after_added = false;
        let Some(cur) = self.cur.take() else {
            return false;
        };
        let damaged = std::mem::replace(&mut self.damaged, false);
        let rows_end = u32::try_from(self.file.vouchers.rows.len()).unwrap_or(u32::MAX);
        if cur.row_dates {
            if let Some(year) = self.file.fiscal_year(0).copied() {
                let outside: Vec<(u32, Date)> = self
                    .file
                    .vouchers
                    .rows
                    .get(cur.rows_start as usize..)
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|r| {
                        let d = unpack_date(r.date)?;
                        (!year.contains(d)).then_some((r.line, d))
                    })
                    .collect();
                for (l, d) in outside {
                    self.push_diag(
                        Severity::Warning,
                        l,
                        1,
                        Code::DateOutsideYear,
                        format!(
                            "raddatumet {d} ligger utanför räkenskapsåret {} – {} (#RAR 0); kontrollera datumet eller vilket år som exporterades",
                            year.start, year.end
                        ),
                    );
                }
            }
        }
        if !damaged && !cur.sum.is_zero() {
            let sev = self.data_severity();
            let sum = cur.sum;
            let number = String::from_utf8_lossy(self.file.vouchers.text_bytes(cur.number));
            let name = voucher_name(self.sym(cur.series), &number, cur.line);
            self.push_diag(
                sev,
                cur.line,
                1,
                Code::Unbalanced,
                format!(
                    "verifikation {name} balanserar inte: raderna summerar till {sum} (ska vara 0.00); rätta verifikationen i bokföringsprogrammet och exportera på nytt"
                ),
            );
        }
        self.file.vouchers.heads.push(Head {
            series: cur.series,
            number: cur.number,
            text: cur.text,
            signature: cur.signature,
            date: cur.date,
            registered: cur.registered,
            rows_start: cur.rows_start,
            rows_end,
            line: cur.line,
        });
        true
    }

    /// Empties the voucher store after the streaming reader handed its last voucher out. A
    /// voucher begun on the same line (a `#VER` after a missing `}`) has no rows yet; its
    /// texts are stored again.
    pub(crate) fn clear_vouchers(&mut self) {
        let store = &mut self.file.vouchers;
        match self.cur.as_mut() {
            Some(cur) if cur.rows_start as usize != store.rows.len() => {
                // Not reached (rows never end a voucher); keep everything rather than lose rows.
                return;
            }
            Some(cur) => {
                let texts =
                    [cur.number, cur.text, cur.signature].map(|id| store.text_bytes(id).to_vec());
                store.clear();
                cur.rows_start = 0;
                [cur.number, cur.text, cur.signature] = texts.map(|t| store.add_text_bytes(&t));
            }
            None => store.clear(),
        }
        // Its list is no longer in the store.
        self.prev_list.len = 0;
    }

    fn ver(&mut self, line: &[u8], fields: &[Field]) -> RecResult<()> {
        let series = match fields.get(1) {
            Some(f) => self.sym_of(line, f).0,
            None => self.intern(b""),
        };
        let date_f = fields
            .get(3)
            .ok_or_else(|| missing(line, "#VER", "verifikationsdatum"))?;
        let date = self.date(line, date_f, "verifikationsdatum")?;
        let registered = match fields.get(5) {
            Some(f) if f.end > f.start => Some(self.date(line, f, "registreringsdatum")?),
            _ => None,
        };
        let bytes = |i: usize| match fields.get(i) {
            Some(f) => field_bytes(line, f),
            None => Cow::Borrowed(&[][..]),
        };
        let (number, text, signature) = (bytes(2), bytes(4), bytes(6));
        let open = fields.last().is_some_and(|f| f.kind == Kind::Open);
        self.begin_voucher(
            line,
            VerParts {
                series,
                number: &number,
                number_offset: fields.get(2).map(|f| f.start as usize),
                date,
                date_offset: date_f.start as usize,
                text: &text,
                registered,
                signature: &signature,
                open,
            },
        );
        Ok(())
    }

    /// Begins a voucher: the duplicate-number and date checks, then the state.
    fn begin_voucher(&mut self, line: &[u8], v: VerParts<'_>) {
        // The texts go to the store now; the voucher's head refers to them when it ends.
        let enc = self.encoding;
        let store = &mut self.file.vouchers;
        let mut add = |raw: &[u8]| {
            if raw.is_empty() {
                return NO_TEXT;
            }
            encoding::decode_into(raw, enc, &mut store.texts);
            store.close_text()
        };
        let (number, text, signature) = (add(v.number), add(v.text), add(v.signature));
        // Duplicate voucher numbers within a series.
        let number_bytes = self.file.vouchers.text_bytes(number);
        if !number_bytes.is_empty() && !self.voucher_keys.insert(v.series, number_bytes) {
            // A warning: some programs number every voucher of a series 1 (see the
            // corpus); the data is still usable.
            let number = String::from_utf8_lossy(number_bytes).into_owned();
            let col = v.number_offset.map_or(1, |o| self.column(line, o));
            let ln = self.line_no;
            let shown = display_series(self.sym(v.series));
            self.push_diag(
                Severity::Warning,
                ln,
                col,
                Code::DuplicateVoucher,
                format!(
                    "verifikationsnummer {number} förekommer två gånger i serie {shown}; varje verifikation behöver ett eget nummer; kontrollera exporten"
                ),
            );
        }
        // Dates inside the current fiscal year.
        if let Some(year) = self.file.fiscal_year(0) {
            if !year.contains(v.date) {
                let col = self.column(line, v.date_offset);
                let ln = self.line_no;
                let (s, e, date) = (year.start, year.end, v.date);
                self.push_diag(
                    Severity::Warning,
                    ln,
                    col,
                    Code::DateOutsideYear,
                    format!("verifikationsdatumet {date} ligger utanför räkenskapsåret {s} – {e} (#RAR 0); kontrollera datumet eller vilket år som exporterades"),
                );
            }
        }
        self.cur = Some(Current {
            series: v.series,
            date: v.date,
            registered: v.registered,
            line: self.line_no,
            rows_start: u32::try_from(self.file.vouchers.rows.len()).unwrap_or(u32::MAX),
            number,
            text,
            signature,
            sum: Amount::ZERO,
            row_dates: false,
        });
        self.damaged = false;
        self.after_added = false;
        self.state = if v.open {
            VerState::Open
        } else {
            VerState::AwaitOpen
        };
    }

    fn row(&mut self, line: &[u8], fields: &[Field], kind: RowKind) -> RecResult<()> {
        let label = kind.label();
        if self.state != VerState::Open {
            if self.state == VerState::AwaitOpen {
                // Tolerate a missing `{` after #VER.
                self.state = VerState::Open;
            } else {
                return Err(Problem {
                    offset: 0,
                    message: format!("{label} utanför en verifikation; rader ska stå mellan `{{` och `}}` efter en #VER"),
                    code: Code::Structure,
                });
            }
        }
        let r = self.row_inner(line, fields, kind);
        match r {
            Ok(row) => {
                self.push_row(row);
                Ok(())
            }
            Err(p) => {
                self.damaged = true;
                Err(p)
            }
        }
    }

    /// Adds a row (whose object pairs and text are already stored) to the open voucher,
    /// dropping the `#TRANS` copy that follows an `#RTRANS`.
    #[inline(always)]
    fn push_row(&mut self, row: Row) {
        let store = &mut self.file.vouchers;
        let Some(cur) = self.cur.as_mut() else {
            store.discard_parts(&row);
            return;
        };
        let kind = row.kind();
        store.rows.push(row);
        if kind == RowKind::Normal && self.after_added {
            self.after_added = false;
            let n = store.rows.len();
            if n >= 2
                && n - 2 >= cur.rows_start as usize
                && store.rows[n - 2].kind() == RowKind::Added
                && store.row_ref(n - 2).same_content(&store.row_ref(n - 1))
            {
                // The #TRANS copy written for old readers after an #RTRANS.
                store.pop_row();
                return;
            }
        }
        self.after_added = kind == RowKind::Added;
        if kind.counts() {
            cur.sum += row.amount;
        }
        if row.date != 0 {
            cur.row_dates = true;
        }
    }

    fn row_inner(&mut self, line: &[u8], fields: &[Field], kind: RowKind) -> RecResult<Row> {
        let label = kind.label();
        let acc_f = fields.get(1).ok_or_else(|| missing(line, label, "konto"))?;
        let (acc_id, _) = self.sym_of(line, acc_f);
        {
            let info = &mut self.info[acc_id as usize];
            if info.first_use.0 == 0 {
                info.first_use = (self.line_no, acc_f.start + 1);
            }
        }
        let mut i = 2;
        self.pair_scratch.clear();
        if let Some(f) = fields.get(2) {
            if f.kind == Kind::List {
                self.object_ids(line, f)?;
                i = 3;
            }
        }
        let amount_f = fields
            .get(i)
            .ok_or_else(|| missing(line, label, "belopp"))?;
        let amount = amount(line, amount_f)?;
        let date = match fields.get(i + 1) {
            Some(f) if f.end > f.start => Some(self.date(line, f, "transaktionsdatum")?),
            _ => None,
        };
        let text = fields
            .get(i + 2)
            .and_then(|f| nonempty(self.text_of(line, f)));
        let quantity = match fields.get(i + 3) {
            Some(f) if f.end > f.start => Some(quantity(line, f)?),
            _ => None,
        };
        let signature = fields
            .get(i + 4)
            .and_then(|f| nonempty(self.text_of(line, f)));
        // Commit: nothing above failed.
        let store = &mut self.file.vouchers;
        let list: Vec<Pair> = self
            .pair_scratch
            .iter()
            .map(|&(dimension, id)| Pair { dimension, id })
            .collect();
        let objects = store.add_list(&list);
        let text = store.add_text(text.as_deref().unwrap_or(""));
        let (text, flag) = store.text_and_extra(text, quantity, signature);
        Ok(Row {
            amount,
            account: acc_id,
            objects,
            meta: Row::meta(kind, self.pair_scratch.len()) | flag,
            text,
            line: self.line_no,
            date: pack_date(date),
        })
    }

    /// Reads an object list of a header record (`#OIB`, `#PSALDO`, …).
    fn objects(&mut self, line: &[u8], f: &Field) -> RecResult<ObjectList> {
        self.pair_scratch.clear();
        self.object_ids(line, f)?;
        let mut list = ObjectList::new();
        for k in 0..self.pair_scratch.len() {
            let (dim, id) = self.pair_scratch[k];
            list.push(dim, self.sym(id).clone());
        }
        Ok(list)
    }

    /// Reads an object list into `pair_scratch` as (dimension, symbol id) pairs.
    fn object_ids(&mut self, line: &[u8], f: &Field) -> RecResult<()> {
        let base = f.start as usize;
        let body = &line[base..f.end as usize];
        if body.iter().all(|&b| is_space(b)) {
            return Ok(());
        }
        let mut inner = std::mem::take(&mut self.inner);
        let mut pairs = std::mem::take(&mut self.pair_scratch);
        let r = self.objects_inner(base, body, &mut inner, &mut pairs);
        self.inner = inner;
        self.pair_scratch = pairs;
        r
    }

    fn objects_inner(
        &mut self,
        base: usize,
        body: &[u8],
        inner: &mut Vec<Field>,
        out: &mut Vec<(u32, u32)>,
    ) -> RecResult<()> {
        if let Some(e) = split(body, inner) {
            return Err(Problem {
                offset: base + e.offset,
                message: format!("{} i objektlistan", e.message),
                code: Code::Syntax,
            });
        }
        if !inner.len().is_multiple_of(2) {
            return Err(Problem {
                offset: base,
                message: "objektlistan ska bestå av par av dimensionsnummer och objekt-id, t.ex. `{1 \"10\" 6 \"P1\"}`".to_string(),
                code: Code::Syntax,
            });
        }
        for pair in inner.chunks_exact(2) {
            let dim_bytes = field_bytes(body, &pair[0]);
            let dim = parse_u32(&dim_bytes).ok_or_else(|| Problem {
                offset: base + pair[0].start as usize,
                message: format!(
                    "`{}` är inget dimensionsnummer i objektlistan",
                    String::from_utf8_lossy(&dim_bytes)
                ),
                code: Code::Syntax,
            })?;
            let (id, _) = self.sym_of(body, &pair[1]);
            out.push((dim, id));
        }
        Ok(())
    }

    fn date(&self, line: &[u8], f: &Field, what: &str) -> RecResult<Date> {
        let b = field_bytes(line, f);
        Date::parse(&b).ok_or_else(|| Problem {
            offset: f.start as usize,
            message: format!(
                "`{}` är inget giltigt {what}; datum skrivs ÅÅÅÅMMDD",
                String::from_utf8_lossy(&b)
            ),
            code: Code::Syntax,
        })
    }

    fn year_index(&self, line: &[u8], f: Option<&Field>, label: &str) -> RecResult<i32> {
        let f = f.ok_or_else(|| missing(line, label, "årsnummer"))?;
        let b = field_bytes(line, f);
        std::str::from_utf8(&b)
            .ok()
            .and_then(|s| s.parse::<i32>().ok())
            .ok_or_else(|| Problem {
                offset: f.start as usize,
                message: format!(
                    "`{}` är inget årsnummer (0 för innevarande år, -1 för föregående)",
                    String::from_utf8_lossy(&b)
                ),
                code: Code::Syntax,
            })
    }

    fn opt_text(&self, line: &[u8], fields: &[Field], i: usize) -> Option<String> {
        fields.get(i).and_then(|f| nonempty(self.text_of(line, f)))
    }

    fn account_entry(&mut self, id: u32, sym: Sym) -> &mut Account {
        let idx = match self.account_index.get(&id) {
            Some(&i) => i,
            None => {
                self.file.accounts.push(Account {
                    number: sym,
                    name: String::new(),
                    kind: None,
                    unit: None,
                    sru: Vec::new(),
                    line: 0,
                });
                let i = self.file.accounts.len() - 1;
                self.account_index.insert(id, i);
                i
            }
        };
        &mut self.file.accounts[idx]
    }

    fn header_record(&mut self, label: &[u8], line: &[u8], fields: &[Field]) -> RecResult<()> {
        let lbl = String::from_utf8_lossy(label).into_owned();
        let need = |i: usize, what: &str| -> RecResult<Field> {
            fields
                .get(i)
                .copied()
                .ok_or_else(|| missing(line, &lbl, what))
        };
        match label {
            b"#FLAGGA" => self.file.flag = Some(self.text_of(line, &need(1, "flagga")?)),
            b"#FORMAT" => self.file.format = Some(self.text_of(line, &need(1, "format")?)),
            b"#SIETYP" => {
                let f = need(1, "typ")?;
                let t = self.text_of(line, &f);
                let ty = t.parse::<u8>().ok().and_then(SieType::from_number);
                match ty {
                    Some(ty) => self.file.sie_type = Some(ty),
                    None => {
                        return Err(Problem {
                            offset: f.start as usize,
                            message: format!("`{t}` är ingen SIE-typ (1, 2, 3 eller 4)"),
                            code: Code::Syntax,
                        })
                    }
                }
            }
            b"#PROGRAM" => {
                self.file.program = Some(Program {
                    name: self.text_of(line, &need(1, "programnamn")?),
                    version: self.opt_text(line, fields, 2),
                })
            }
            b"#GEN" => {
                let date = self.date(line, &need(1, "datum")?, "genereringsdatum")?;
                self.file.generated = Some(Generated {
                    date,
                    signature: self.opt_text(line, fields, 2),
                });
            }
            b"#PROSA" => self.file.prose = self.opt_text(line, fields, 1),
            b"#FTYP" => self.file.company_type = self.opt_text(line, fields, 1),
            b"#FNR" => self.file.company_id = self.opt_text(line, fields, 1),
            b"#ORGNR" => {
                self.file.org_number = Some(OrgNumber {
                    number: self.text_of(line, &need(1, "organisationsnummer")?),
                    acquisition: self.opt_text(line, fields, 2),
                    activity: self.opt_text(line, fields, 3),
                })
            }
            b"#BKOD" => self.file.industry_code = self.opt_text(line, fields, 1),
            b"#ADRESS" => {
                let t = |i| self.opt_text(line, fields, i).unwrap_or_default();
                self.file.address = Some(Address {
                    contact: t(1),
                    street: t(2),
                    postal: t(3),
                    phone: t(4),
                });
            }
            b"#FNAMN" => self.file.company_name = self.opt_text(line, fields, 1),
            b"#RAR" => {
                let index = self.year_index(line, fields.get(1), &lbl)?;
                let start = self.date(line, &need(2, "startdatum")?, "startdatum")?;
                let end = self.date(line, &need(3, "slutdatum")?, "slutdatum")?;
                if end < start {
                    return Err(Problem {
                        offset: fields[3].start as usize,
                        message: "räkenskapsåret slutar innan det börjar".to_string(),
                        code: Code::Syntax,
                    });
                }
                self.file.fiscal_years.retain(|y| y.index != index);
                self.file
                    .fiscal_years
                    .push(FiscalYear { index, start, end });
            }
            b"#TAXAR" => {
                let f = need(1, "år")?;
                let t = self.text_of(line, &f);
                self.file.tax_year = Some(t.parse::<u16>().map_err(|_| Problem {
                    offset: f.start as usize,
                    message: format!("`{t}` är inget år"),
                    code: Code::Syntax,
                })?);
            }
            b"#OMFATTN" => {
                self.file.balances_through = Some(self.date(line, &need(1, "datum")?, "datum")?)
            }
            b"#KPTYP" => self.file.chart_type = self.opt_text(line, fields, 1),
            b"#VALUTA" => self.file.currency = self.opt_text(line, fields, 1),
            b"#KONTO" => {
                let (id, sym) = self.sym_of(line, &need(1, "kontonummer")?);
                let name = self.opt_text(line, fields, 2).unwrap_or_default();
                let ln = self.line_no;
                self.info[id as usize].declared = true;
                let a = self.account_entry(id, sym);
                a.name = name;
                a.line = ln;
            }
            b"#KTYP" => {
                let (id, sym) = self.sym_of(line, &need(1, "kontonummer")?);
                let f = need(2, "kontotyp")?;
                let t = self.text_of(line, &f);
                let kind = AccountType::from_letter(&t).ok_or_else(|| Problem {
                    offset: f.start as usize,
                    message: format!("`{t}` är ingen kontotyp (T, S, K eller I)"),
                    code: Code::Syntax,
                })?;
                self.account_entry(id, sym).kind = Some(kind);
            }
            b"#ENHET" => {
                let (id, sym) = self.sym_of(line, &need(1, "kontonummer")?);
                let unit = self.opt_text(line, fields, 2);
                self.account_entry(id, sym).unit = unit;
            }
            b"#SRU" => {
                let (id, sym) = self.sym_of(line, &need(1, "kontonummer")?);
                let code = self.text_of(line, &need(2, "SRU-kod")?);
                self.account_entry(id, sym).sru.push(code);
            }
            b"#DIM" | b"#UNDERDIM" => {
                let f = need(1, "dimensionsnummer")?;
                let number = self.dim_number(line, &f)?;
                let name = self.opt_text(line, fields, 2).unwrap_or_default();
                let parent = if label == b"#UNDERDIM" {
                    let p = need(3, "överordnad dimension")?;
                    Some(self.dim_number(line, &p)?)
                } else {
                    None
                };
                self.file.dimensions.retain(|d| d.number != number);
                self.file.dimensions.push(Dimension {
                    number,
                    name,
                    parent,
                });
            }
            b"#OBJEKT" => {
                let dimension = self.dim_number(line, &need(1, "dimensionsnummer")?)?;
                let (_, id) = self.sym_of(line, &need(2, "objekt-id")?);
                let name = self.opt_text(line, fields, 3).unwrap_or_default();
                self.file.objects.push(Object {
                    dimension,
                    id,
                    name,
                });
            }
            b"#IB" | b"#UB" | b"#RES" => {
                let year = self.year_index(line, fields.get(1), &lbl)?;
                let (_, account) = self.sym_of(line, &need(2, "konto")?);
                let amount = amount(line, &need(3, "belopp")?)?;
                let quantity = match fields.get(4) {
                    Some(f) if f.end > f.start => Some(quantity(line, f)?),
                    _ => None,
                };
                let b = Balance {
                    year,
                    account,
                    amount,
                    quantity,
                    line: self.line_no,
                };
                match label {
                    b"#IB" => self.file.opening_balances.push(b),
                    b"#UB" => self.file.closing_balances.push(b),
                    _ => self.file.results.push(b),
                }
            }
            b"#OIB" | b"#OUB" => {
                let year = self.year_index(line, fields.get(1), &lbl)?;
                let (_, account) = self.sym_of(line, &need(2, "konto")?);
                let (objects, i) = self.optional_list(line, fields, 3)?;
                let amount = amount(line, &need(i, "amount")?)?;
                let quantity = match fields.get(i + 1) {
                    Some(f) if f.end > f.start => Some(quantity(line, f)?),
                    _ => None,
                };
                let b = ObjectBalance {
                    year,
                    account,
                    objects,
                    amount,
                    quantity,
                    line: self.line_no,
                };
                if label == b"#OIB" {
                    self.file.object_opening_balances.push(b);
                } else {
                    self.file.object_closing_balances.push(b);
                }
            }
            b"#PSALDO" | b"#PBUDGET" => {
                let year = self.year_index(line, fields.get(1), &lbl)?;
                let pf = need(2, "period")?;
                let pb = field_bytes(line, &pf);
                let period = Period::parse(&pb).ok_or_else(|| Problem {
                    offset: pf.start as usize,
                    message: format!(
                        "`{}` är ingen period; perioder skrivs ÅÅÅÅMM",
                        String::from_utf8_lossy(&pb)
                    ),
                    code: Code::Syntax,
                })?;
                let (_, account) = self.sym_of(line, &need(3, "konto")?);
                let (objects, i) = self.optional_list(line, fields, 4)?;
                let amount = amount(line, &need(i, "amount")?)?;
                let quantity = match fields.get(i + 1) {
                    Some(f) if f.end > f.start => Some(quantity(line, f)?),
                    _ => None,
                };
                // #PSALDO only: exporters commonly give #PBUDGET of year 0 the index -1.
                if let Some(fy) = self.file.fiscal_year(year).filter(|_| label == b"#PSALDO") {
                    if period < fy.start.period() || period > fy.end.period() {
                        let col = self.column(line, pf.start as usize);
                        let ln = self.line_no;
                        let (s, e) = (fy.start, fy.end);
                        self.push_diag(
                            Severity::Warning,
                            ln,
                            col,
                            Code::DateOutsideYear,
                            format!("perioden {period} ligger utanför år {year} ({s} – {e}, #RAR {year}); kontrollera årsnumret eller perioden"),
                        );
                    }
                }
                let p = PeriodBalance {
                    year,
                    period,
                    account,
                    objects,
                    amount,
                    quantity,
                    line: self.line_no,
                };
                if label == b"#PSALDO" {
                    self.file.period_balances.push(p);
                } else {
                    self.file.period_budgets.push(p);
                }
            }
            _ => {
                let rest_start = fields[0].end as usize;
                let rest = encoding::decode(&line[rest_start..], self.encoding)
                    .trim()
                    .to_string();
                self.file.unknown_records.push(UnknownRecord {
                    label: lbl.clone(),
                    rest,
                    line: self.line_no,
                });
                return Err(Problem {
                    offset: 0,
                    message: format!("okänd post {lbl} sparas men tolkas inte; ingen åtgärd behövs om inte uppgifterna i den behövs"),
                    code: Code::UnknownRecord,
                });
            }
        }
        Ok(())
    }

    fn optional_list(
        &mut self,
        line: &[u8],
        fields: &[Field],
        i: usize,
    ) -> RecResult<(ObjectList, usize)> {
        match fields.get(i) {
            Some(f) if f.kind == Kind::List => Ok((self.objects(line, f)?, i + 1)),
            _ => Ok((ObjectList::new(), i)),
        }
    }

    fn dim_number(&self, line: &[u8], f: &Field) -> RecResult<u32> {
        let b = field_bytes(line, f);
        parse_u32(&b).ok_or_else(|| Problem {
            offset: f.start as usize,
            message: format!(
                "`{}` är inget dimensionsnummer",
                String::from_utf8_lossy(&b)
            ),
            code: Code::Syntax,
        })
    }

    /// Ends the input: closes what is open and runs the file-wide checks.
    pub(crate) fn finish(&mut self) -> bool {
        if self.not_sie {
            return false;
        }
        if !self.seen_record {
            self.not_sie = true;
            self.push_diag(
                Severity::Error,
                0,
                0,
                Code::NotSie,
                "ingen SIE-fil: filen är tom; exportera den på nytt från bokföringsprogrammet"
                    .to_string(),
            );
            return false;
        }
        let mut last = false;
        match self.state {
            VerState::None => {}
            VerState::AwaitOpen => last = self.finish_voucher(),
            VerState::Open => {
                let vline = self.cur.map_or(0, |v| v.line);
                let ln = self.line_no;
                self.push_diag(
                    Severity::Error,
                    ln,
                    0,
                    Code::Structure,
                    format!("filen slutar inne i verifikationen som öppnades på rad {vline}; avslutande `}}` saknas (har filen kapats?)"),
                );
                last = self.finish_voucher();
            }
        }
        if self.ksumma.active {
            let l = self.ksumma.open_line;
            let sev = self.data_severity();
            self.push_diag(
                sev,
                l,
                1,
                Code::Checksum,
                "filen inleder en kontrollsumma med #KSUMMA men saknar avslutande #KSUMMA med värdet; filen kan vara avkapad; exportera den på nytt".to_string(),
            );
        }
        // Accounts used in rows but never declared.
        let has_chart = self.info.iter().any(|i| i.declared);
        let mut undeclared: Vec<(u32, u32, u32)> = self
            .info
            .iter()
            .enumerate()
            .filter(|(_, i)| i.first_use.0 != 0 && !i.declared)
            .map(|(k, i)| (i.first_use.0, i.first_use.1, k as u32))
            .collect();
        undeclared.sort_unstable();
        for (l, c, id) in undeclared {
            let acc = self.sym(id).clone();
            let msg = if has_chart {
                format!("konto {acc} används på en verifikationsrad men deklareras inte med #KONTO; lägg till det i kontoplanen i det exporterande programmet (kontonamnet kommer att saknas)")
            } else {
                format!("konto {acc} används på en verifikationsrad men filen deklarerar inga konton (#KONTO); kontonamnen kommer att saknas")
            };
            self.push_diag(Severity::Warning, l, c, Code::UndeclaredAccount, msg);
        }
        self.summarize_suppressed();
        last
    }

    /// Adds the count of unlisted diagnostics, if any.
    fn summarize_suppressed(&mut self) {
        let (errors, warnings) = self.suppressed;
        if errors + warnings == 0 {
            return;
        }
        let severity = if errors > 0 {
            Severity::Error
        } else {
            Severity::Warning
        };
        let path = self.path.clone();
        self.diags.push(Diagnostic {
            severity,
            path,
            line: 0,
            column: 0,
            message: format!(
                "ytterligare {errors} fel och {warnings} varningar visas inte (bara de första {MAX_DIAGNOSTICS}); rätta dem ovan och kontrollera igen"
            ),
            code: Code::Syntax,
        });
    }

    /// Builds the result.
    pub(crate) fn into_parsed(self) -> Parsed {
        Parsed {
            file: self.file,
            diagnostics: self.diags,
            encoding: self.encoding,
        }
    }
}

fn voucher_name(series: &str, number: &str, line: u32) -> String {
    let s = display_series(series);
    let n = if number.is_empty() {
        "(utan nummer)"
    } else {
        number
    };
    format!("{s} {n} (rad {line})")
}

fn display_series(s: &str) -> String {
    if s.is_empty() {
        "\"\"".to_string()
    } else {
        s.to_string()
    }
}

fn nonempty(s: String) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

fn missing(_line: &[u8], label: &str, what: &str) -> Problem {
    Problem {
        offset: 0,
        message: format!("{label} saknar fältet {what}; posten hoppas över"),
        code: Code::MissingField,
    }
}

fn parse_u32(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    let mut v: u32 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

fn amount(line: &[u8], f: &Field) -> RecResult<Amount> {
    let b = field_bytes(line, f);
    Amount::parse(&b).map_err(|e| Problem {
        offset: f.start as usize,
        message: match &e {
            NumberError::TooManyDecimals { .. } => {
                format!("felaktigt belopp: {e}; avrunda det till hela ören i det exporterande programmet")
            }
            _ => format!("felaktigt belopp: {e}"),
        },
        code: match e {
            NumberError::TooManyDecimals { .. } => Code::TooManyDecimals,
            _ => Code::Syntax,
        },
    })
}

fn quantity(line: &[u8], f: &Field) -> RecResult<Quantity> {
    let b = field_bytes(line, f);
    Quantity::parse(&b).map_err(|e| Problem {
        offset: f.start as usize,
        message: format!("felaktig kvantitet: {e}"),
        code: Code::Syntax,
    })
}

/// Appends what `#KSUMMA` covers of one record: the label and each field's content, without
/// separators, quotes or the braces of object lists (the SIE 4 rule, verified against the
/// Norstedts and Visma files of the corpus).
fn checksum_content(line: &[u8], fields: &[Field], out: &mut Vec<u8>) {
    let mut inner = Vec::new();
    for f in fields {
        match f.kind {
            Kind::Word | Kind::Quoted => out.extend_from_slice(&field_bytes(line, f)),
            Kind::List => {
                let body = &line[f.start as usize..f.end as usize];
                let _ = split(body, &mut inner);
                for g in &inner {
                    out.extend_from_slice(&field_bytes(body, g));
                }
            }
            Kind::Open => {}
        }
    }
}

/// [`checksum_content`] for a whole line (used by the writer).
pub(crate) fn line_checksum_content(line: &[u8], out: &mut Vec<u8>) {
    let mut fields = Vec::new();
    let _ = split(line, &mut fields);
    checksum_content(line, &fields, out);
}

/// Byte classes for the token loops: one table load per byte instead of several compares.
const SPACE: u8 = 1;
/// `"`, `{`, `}`: ends a plain word or needs the general path.
const SPECIAL: u8 = 2;
/// `\\`: needs the general path inside quotes.
const BACKSLASH: u8 = 4;
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b' ' as usize] = SPACE;
    t[b'\t' as usize] = SPACE;
    t[b'"' as usize] = SPECIAL;
    t[b'{' as usize] = SPECIAL;
    t[b'}' as usize] = SPECIAL;
    t[b'\\' as usize] = BACKSLASH;
    t
};

/// The first position at or after `i` that is not a space or tab.
#[inline(always)]
fn skip_ws(line: &[u8], mut i: usize) -> usize {
    while let Some(&b) = line.get(i) {
        if !is_space(b) {
            break;
        }
        i += 1;
    }
    i
}

/// Splits a line of plain tokens only (words without quotes or braces, quoted texts without
/// backslashes), as [`split`] would; false (with `out` in any state) for anything else.
fn fast_split(line: &[u8], out: &mut Vec<Field>) -> bool {
    out.clear();
    let mut i = 0;
    loop {
        i = skip_ws(line, i);
        if i >= line.len() {
            return true;
        }
        let Some((start, end, quoted)) = simple_token(line, &mut i) else {
            return false;
        };
        out.push(Field {
            kind: if quoted { Kind::Quoted } else { Kind::Word },
            start: start as u32,
            end: end as u32,
            escaped: false,
        });
    }
}

/// Next plain token from `i`: a word without quotes or braces, or a quoted text without
/// backslashes. Returns (start, end, quoted); `None` at the end of the line or for anything
/// else (`{`, `}`, escapes), leaving the decision to the general path.
#[inline(always)]
fn simple_token(line: &[u8], i: &mut usize) -> Option<(usize, usize, bool)> {
    *i = skip_ws(line, *i);
    let n = line.len();
    if *i >= n {
        return None;
    }
    if line[*i] == b'"' {
        // Short texts: a plain loop beats a memchr call per token.
        let start = *i + 1;
        let mut end = start;
        loop {
            match line.get(end) {
                None => return None,
                Some(&b) => match CLASS[b as usize] {
                    0 | SPACE => end += 1,
                    BACKSLASH => return None,
                    _ if b == b'"' => break,
                    _ => end += 1,
                },
            }
        }
        *i = end + 1;
        if *i < n && CLASS[line[*i] as usize] != SPACE {
            return None;
        }
        return Some((start, end, true));
    }
    let start = *i;
    while *i < n {
        match CLASS[line[*i] as usize] {
            0 | BACKSLASH => *i += 1,
            SPACE => break,
            _ => return None,
        }
    }
    Some((start, *i, false))
}

/// The position of the next `\n` at or after `from`, or the length. Lines are short (30–60
/// bytes), so a few 16-byte steps beat a `memchr` call per line.
#[inline(always)]
pub(crate) fn line_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..).and_then(|rest| rest.first_chunk::<16>()) {
        let found = crate::scan::newlines16(chunk);
        if found != 0 {
            return i + found.trailing_zeros() as usize;
        }
        i += 16;
    }
    match memchr::memchr(b'\n', &bytes[i.min(bytes.len())..]) {
        Some(k) => i + k,
        None => bytes.len(),
    }
}

/// Bytes the whole-buffer reader looks at to detect the encoding.
const DETECT_PREFIX: usize = 1 << 20;

/// Whole-buffer parse.
pub(crate) fn parse_buffer(bytes: &[u8], options: &ParseOptions, hot_path: bool) -> Parsed {
    let mut core = Core::new(options);
    core.fast_rows = hot_path;
    if !core.encoding_known {
        // The first MiB decides (a whole-file scan would cost as much as reading a UTF-8
        // file); when it is all ASCII, the first line with letters outside ASCII decides, as
        // in the streaming reader.
        let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
        if let Some(e) = encoding::detect(prefix) {
            core.encoding = e;
            core.encoding_known = true;
        } else {
            core.encoding_known = bytes.len() <= DETECT_PREFIX;
        }
    }
    core.file.vouchers.reserve_for(bytes.len());
    let mut start = 0usize;
    while start < bytes.len() {
        let end = line_end(bytes, start);
        let line = &bytes[start..];
        let len = end - start;
        start = end + 1;
        core.feed(line, len);
        if core.is_not_sie() {
            break;
        }
    }
    core.finish();
    core.into_parsed()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How a test feeds the parser.
    #[derive(Clone, Copy, Debug)]
    enum Feed {
        /// The general path only.
        General,
        /// The hot path, each line alone (its masks from a copy of the line).
        FastLines,
        /// The hot path, each line with the rest of the input after it (as the whole-buffer
        /// reader feeds it).
        FastBuffer,
    }

    fn read(text: &str, how: Feed) -> Parsed {
        let mut core = Core::new(&ParseOptions::new("t.se"));
        core.fast_rows = !matches!(how, Feed::General);
        let bytes = text.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let end = line_end(bytes, start);
            match how {
                Feed::FastBuffer => core.feed(&bytes[start..], end - start),
                _ => core.feed_line(&bytes[start..end]),
            };
            start = end + 1;
        }
        core.finish();
        core.into_parsed()
    }

    /// Asserts that the hot path, fed either way, reads `text` as the general path does.
    fn assert_fast_reads_as_general(text: &str, what: &str) {
        let general = read(text, Feed::General);
        for how in [Feed::FastLines, Feed::FastBuffer] {
            let fast = read(text, how);
            assert_eq!(fast.file, general.file, "{how:?}: {what}");
            assert_eq!(fast.diagnostics, general.diagnostics, "{how:?}: {what}");
        }
    }

    /// A file with one voucher around `row`: the row twice (the second may reuse the first's
    /// object list), then once more after a different list.
    fn voucher_around(row: &str) -> String {
        format!(
            "#FLAGGA 0\n#KSUMMA\n#RAR 0 20230101 20231231\n#KONTO 3010 \"x\"\n#VER A 1 20230101\n{{\n{row}\n{row}\n#TRANS 3010 {{}} 5\n{row}\n}}\n#KSUMMA 1\n"
        )
    }

    #[test]
    fn duplicate_voucher_numbers_are_found_in_any_order() {
        // Against a set, on sequences that count up, jump, go back and switch series.
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for _ in 0..200 {
            let mut keys = VoucherKeys::default();
            let mut seen = std::collections::HashSet::new();
            let mut n = next(20);
            for _ in 0..300 {
                n = match next(10) {
                    0..=5 => n + 1,
                    6 => n + next(5) + 2,
                    7 => n.saturating_sub(next(8)),
                    _ => next(60),
                };
                let series = (next(7) == 0) as u32;
                let text = if next(20) == 0 {
                    format!("0{n}")
                } else {
                    n.to_string()
                };
                assert_eq!(
                    keys.insert(series, text.as_bytes()),
                    seen.insert((series, text.clone())),
                    "{series} {text}"
                );
            }
        }
    }

    #[test]
    fn line_ends() {
        let text = b"ab\n\ncdefghijklmnop\nq\xC3\xA5\x0A\x8A\n0123456789";
        let mut expected: Vec<usize> = memchr::memchr_iter(b'\n', text).collect();
        expected.push(text.len());
        let mut got = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let end = line_end(text, start);
            got.push(end);
            start = end + 1;
        }
        assert_eq!(got, expected);
        assert_eq!(line_end(b"", 0), 0);
    }

    #[test]
    fn fast_rows_read_as_the_general_path() {
        let rows = [
            "#TRANS 3010 {} 100.00",
            "#TRANS 3010 {1 \"10\" 6 \"P1\"} -100.5",
            "#TRANS 3010 {1 10 6 P1} 1",
            "#TRANS 3010 {1 \"10\"} 100 20230105 \"text\"",
            "#TRANS 3010 {1 \"10\"} 100 \"\" \"text\"",
            "#TRANS 3010 {1 \"10\"} 100 20230105 \"text\" 2.5 sign",
            "#TRANS 3010 {1 \"a}b\"} 100",
            "#TRANS 3010 {1 \"a b\"} 100",
            "#TRANS 3010 {1 \"a\\\"b\"} 100",
            "#TRANS 3010 {1 a\\b} 100",
            "#TRANS 3010 {1} 100",
            "#TRANS 3010 {1 \"x\" 2} 100",
            "#TRANS 3010 {x \"1\"} 100",
            "#TRANS 3010 {1234567890 \"1\"} 100",
            "#TRANS 3010 {123456789 \"1\"} 100",
            "#TRANS 3010 {99999999999 \"1\"} 100",
            "#TRANS 3010 {1 \"1\" 99999999999999999999 \"2\"} 100",
            "#TRANS 3010 {1\"x\"} 100",
            "#TRANS 3010 {1 \"x\"2 \"y\"} 100",
            "#TRANS 3010 {1 \"x\"} 1.005",
            "#TRANS 3010 {1 \"x\"} 1,5",
            "#TRANS 3010 {1 \"x\"} +7",
            "#TRANS 3010 {1 \"x\"} -.5",
            "#TRANS 3010 {1 \"x\"} 99999999999999999999",
            "#TRANS 3010 {1 \"x\"} 123456789012345.67",
            "#TRANS 3010 {1 \"x\"} 1.",
            "#TRANS 3010 {1 \"x\"} 123456789.05",
            "#TRANS 3010 {1 \"x\"} -123456789012345",
            "#TRANS 3010 {1 \"x\"} 1234567890123456",
            "#TRANS 3010 {1 \"x\"} 0.5",
            "#TRANS 3010 {1 \"x\"} 00012.5",
            "#TRANS 3010 {12345678 \"x\"} 1",
            "#TRANS 3010 {1 \"x\u{1}y\"} 1",
            "#TRANS 30\u{1}10 {1 \"x\"} 1",
            "#TRANS 3010 {1 x\u{1}y} 1",
            "#TRANS 3010 {1 \"\u{d6}st\"} 1",
            "#TRANS 3010 {1 \"abcdefghijklmnopqrstuvwxyz\"} 1",
            "#TRANS 301012345678901234567 {1 abcdefghijklmnopqrst} 1",
            "#TRANS 3010 {1 \"x\"} 100 2023013",
            "#TRANS 3010 {1 \"x\" 2 \"y\" 3 \"z\" 4 \"w\" 5 \"v\"} 100",
            "#TRANS \"30 10\" {} 100",
            "#TRANS 3010 {1 \"x\"}100",
            "#TRANS 3010 {1 \"x\"",
            "#RTRANS 3010 {} 100",
            "#BTRANS 3010 {} 100",
            "#TRANS 3010 {} 100\t",
        ];
        let long = "x".repeat(40);
        let longer = "y".repeat(100);
        let wide = [
            // 64 to 127 bytes (the 128-byte masks), and 128 or more (the general path).
            format!("#TRANS 3010 {{1 \"10\" 6 \"P1\"}} -100.5 20230105 \"{long}\""),
            format!("\t#TRANS 3010 {{1 \"{long}\"}} 1 \"\" \"{long}\""),
            format!("#TRANS 3010 {{1 \"10\"}} 1 20230105 \"{longer}\""),
            format!("#TRANS 3010 {{1 \"10\"}} 1 20230105 \"{longer}{longer}\""),
            format!("#TRANS 3010 {{1 \"10\"}} 1 20230105 \"{}\"", "z".repeat(49)),
            format!("#TRANS 3010 {{1 \"10\"}} 1 20230105 \"{}\"", "z".repeat(50)),
            format!("#TRANS 3010 {{1 \"10\"}} 1 20230105 \"{}\"", "z".repeat(51)),
            format!(
                "#TRANS 3010 {{1 \"10\"}} 1 20230105 \"{}\"",
                "z".repeat(113)
            ),
            format!(
                "#TRANS 3010 {{1 \"10\"}} 1 20230105 \"{}\"",
                "z".repeat(114)
            ),
            format!("#TRANS 3010 {{1 \"10\"}} 1 20230105 {}", "z".repeat(115)),
            format!("#TRANS 3010 {{1 \"10\"}} 1 20230105 \"{long}\\\"\""),
        ];
        for row in rows.iter().copied().chain(wide.iter().map(String::as_str)) {
            assert_fast_reads_as_general(&voucher_around(row), row);
        }
    }

    #[test]
    fn fast_vouchers_read_as_the_general_path() {
        let vers = [
            "#VER A 1 20230101",
            "#VER \"A\" \"1\" 20230101 \"Faktura 7\"",
            "#VER \"\" \"\" 20230101",
            "#VER A 1 \"20230101\" text 20230102 sign",
            "#VER A 1 20230101 \"\" \"\" \"\"",
            "#VER A 1 20230101 text 2023010 sign",
            "#VER A 1 20231301",
            "#VER A 1 20220101",
            "#VER A 1",
            "#VER A 1 20230101 text 20230102 sign extra",
            "#VER A 1 20230101 \"a \\\"b\\\"\"",
            "#VER A 1 20230101 \"\u{d6}vning\"",
            "#VER A 1 20230101 {",
            "#VER\tA\t2\t20230101\t\"x\"\t",
            "#VER A 07 20230101",
            "#VER A 7 20230101",
            "#VER A 0 20230101",
            "#VER A 99999999999999999999 20230101",
            "#VER A 99999999999999999999 20230101",
        ];
        let mut text =
            "#FLAGGA 0\n#KSUMMA\n#RAR 0 20230101 20231231\n#KONTO 3010 \"x\"\n".to_string();
        for v in vers {
            text.push_str(&format!(
                "{v}\n{{\n#TRANS 3010 {{}} 5\n#TRANS 3010 {{}} -5\n}}\n"
            ));
        }
        text.push_str("#VER A 1 20230101\n#TRANS 3010 {} 1\n}\n#KSUMMA 1\n");
        assert_fast_reads_as_general(&text, "vouchers");
        let fast = read(&text, Feed::FastBuffer);
        assert!(fast.file.vouchers.len() > 15);
        assert!(fast
            .diagnostics
            .iter()
            .any(|d| d.code == Code::DuplicateVoucher
                && d.message
                    .contains("verifikationsnummer 1 förekommer två gånger")));
    }

    /// Pieces of voucher rows and `#VER` lines, valid and not.
    fn piece() -> impl proptest::strategy::Strategy<Value = &'static str> {
        use proptest::prelude::*;
        prop_oneof![
            Just(" "),
            Just(" "),
            Just(" "),
            Just("\t"),
            Just("  "),
            Just("{"),
            Just("}"),
            Just("\""),
            Just("\\"),
            Just("\\\""),
            Just("1"),
            Just("6"),
            Just("10"),
            Just("\"10\""),
            Just("P1"),
            Just("\"P 1\""),
            Just("3010"),
            Just("-"),
            Just("."),
            Just("100.50"),
            Just("-7.5"),
            Just("1.005"),
            Just("20230105"),
            Just("20231301"),
            Just("\"\""),
            Just("text"),
            Just("\"a text\""),
            Just("\u{d6}"),
            Just("1234567890123456"),
            Just("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        /// Random rows built from pieces (most of them not valid) read the same on the hot
        /// path, fed either way, as on the general path.
        #[test]
        fn random_rows_read_as_the_general_path(
            lead in proptest::prelude::prop_oneof![
                proptest::prelude::Just(""), proptest::prelude::Just("\t"),
                proptest::prelude::Just("  ")
            ],
            label in proptest::prelude::prop_oneof![
                proptest::prelude::Just("#TRANS "), proptest::prelude::Just("#RTRANS\t"),
                proptest::prelude::Just("#BTRANS "), proptest::prelude::Just("#TRANS 3010 {"),
                proptest::prelude::Just("#TRANS 3010 {1 \"10\"} "),
                proptest::prelude::Just("#TRANS 3010 {1 \"10\" 6 P1} -5.25 ")
            ],
            pieces in proptest::collection::vec(piece(), 0..24),
        ) {
            let row = format!("{lead}{label}{}", pieces.concat());
            assert_fast_reads_as_general(&voucher_around(&row), &row);
        }

        /// The same for `#VER` lines.
        #[test]
        fn random_vouchers_read_as_the_general_path(
            pieces in proptest::collection::vec(piece(), 0..24),
        ) {
            let ver = format!("#VER {}", pieces.concat());
            let text = format!(
                "#FLAGGA 0\n#KSUMMA\n#RAR 0 20230101 20231231\n#KONTO 3010 \"x\"\n{ver}\n{{\n#TRANS 3010 {{}} 5\n}}\n#VER A 1 20230101\n{{\n#TRANS 3010 {{}} -5\n}}\n#KSUMMA 1\n"
            );
            assert_fast_reads_as_general(&text, &ver);
        }
    }
}
