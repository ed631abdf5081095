//! The hot path: voucher rows (`#TRANS`, `#RTRANS`, `#BTRANS`) and `#VER` lines in their
//! usual forms, read from bit masks of the line (see ARCHITECTURE.md, "The SIE hot path").
//! It changes nothing before it has accepted a line; a line it rejects goes to the general
//! reader, which reads it as if the hot path had never tried.

use super::*;
use crate::date::Period;
use crate::scan::{self, Classes, Mask};
use crate::vouchers::{pack_date, Pair, Row, ZERO_QUANTITY_FLAG};
/// An object pair as the hot path finds it: the dimension number and the offsets of the
/// dimension and id tokens from the list's `{` (a line of the hot path is under 128 bytes).
#[derive(Default, Clone, Copy)]
pub(super) struct PairToks {
    pub(super) dim: u32,
    pub(super) ds: u8,
    pub(super) de: u8,
    pub(super) os: u8,
    pub(super) oe: u8,
}

/// The masks that keep the first `n` bytes of 32 (as two little-endian 16-byte words), by `n`.
pub(super) static LIST_MASKS: [[u128; 2]; 33] = {
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
#[derive(Default, Clone)]
pub(super) struct PrevList {
    /// The text as two masked 16-byte words; `len` 0 when there is none.
    pub(super) words: [u128; 2],
    pub(super) masks: [u128; 2],
    pub(super) len: usize,
    /// Where the list starts in the voucher store, and its number of pairs.
    pub(super) start: u32,
    pub(super) n: usize,
    /// Its pairs (offsets from the `{`).
    pub(super) pairs: [PairToks; 4],
}

impl PrevList {
    /// Whether the list at `open` (the `{`) of `line` is the same text.
    #[inline(always)]
    pub(super) fn matches(&self, pad: &Pad, len: usize, open: usize) -> bool {
        if self.len == 0 || open + self.len > len {
            return false;
        }
        let [a, b] = pad32(pad, open);
        a & self.masks[0] == self.words[0] && b & self.masks[1] == self.words[1]
    }

    /// Keeps the list `pad[open..close]` just read (when it is short enough).
    #[inline(always)]
    pub(super) fn remember(
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

/// An optional token of a line of the hot path packed in 32 bits: its start and end (under
/// 128), whether it was quoted, and a bit saying it is there. (Kept as one word: the
/// tokens as `Option<(usize, usize, bool)>` were written a field at a time and read back
/// whole, a store the processor could not forward to the load, on every row.)
#[derive(Clone, Copy)]
pub(super) struct Tok(u32);

impl Tok {
    /// No token.
    pub(super) const NONE: Tok = Tok(0);

    #[inline(always)]
    pub(super) fn new((start, end, quoted): (usize, usize, bool)) -> Tok {
        debug_assert!(start <= end && end < 256);
        Tok((start & 255) as u32 | ((end & 255) as u32) << 8 | u32::from(quoted) << 16 | 1 << 17)
    }

    /// (start, end, quoted), or `None` for [`Tok::NONE`].
    #[inline(always)]
    pub(super) fn get(self) -> Option<(usize, usize, bool)> {
        (self.0 != 0).then_some((
            (self.0 & 255) as usize,
            (self.0 >> 8 & 255) as usize,
            self.0 >> 16 & 1 != 0,
        ))
    }
}

/// The record a line of the hot path starts with.
#[derive(Clone, Copy)]
pub(super) enum Label {
    /// `#TRANS`, `#RTRANS` or `#BTRANS`, with the label's length.
    Row(RowKind, usize),
    /// `#VER`.
    Ver,
    /// A balance record outside vouchers, with the label's length.
    Balance(BalanceKind, usize),
}

/// The balance records the hot path reads (exporters write thousands of them ahead of the
/// vouchers, and a SIE 2 or 3 file is nothing else): `#IB`, `#UB`, `#RES`
/// (`year account amount [quantity]`), `#OIB`, `#OUB` (`year account [{objects}] amount
/// [quantity]`) and `#PSALDO`, `#PBUDGET` (`year period account [{objects}] amount
/// [quantity]`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum BalanceKind {
    /// `#IB`.
    Opening,
    /// `#UB`.
    Closing,
    /// `#RES`.
    Result,
    /// `#OIB`.
    ObjectOpening,
    /// `#OUB`.
    ObjectClosing,
    /// `#PSALDO`.
    Period,
    /// `#PBUDGET`.
    Budget,
}

impl BalanceKind {
    /// Whether the record has a period after the year.
    fn has_period(self) -> bool {
        matches!(self, BalanceKind::Period | BalanceKind::Budget)
    }

    /// Whether the record may have an object list after the account.
    fn may_have_list(self) -> bool {
        !matches!(
            self,
            BalanceKind::Opening | BalanceKind::Closing | BalanceKind::Result
        )
    }
}

/// One to nine ASCII digits as a number (no overflow is possible); `None` for anything
/// else.
#[inline(always)]
fn nine_digits(tok: &[u8]) -> Option<u32> {
    if tok.is_empty() || tok.len() > 9 {
        return None;
    }
    let mut v = 0u32;
    for &b in tok {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + u32::from(d);
    }
    Some(v)
}

/// A year index as the hot path takes it: an optional `-` and one to nine digits; `None`
/// for any other form (`+1`, say), which the general path reads.
#[inline(always)]
fn small_year(tok: &[u8]) -> Option<i32> {
    let (neg, digits) = match tok {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, tok),
    };
    // Nine digits are below 2^31.
    let v = nine_digits(digits)? as i32;
    Some(if neg { -v } else { v })
}

/// The masks of one line (bits past its end clear) that the hot path reads tokens with, and
/// the line's pad to tell the bytes of a mask apart.
pub(super) struct Tokens<'a, M> {
    pub(super) pad: &'a Pad,
    pub(super) space: M,
    pub(super) nonspace: M,
    /// `"` or `\`.
    pub(super) quote: M,
    /// `{` or `}`.
    pub(super) brace: M,
    /// Where a plain word ends: a space, quote, backslash or brace, or the end of the line.
    pub(super) word_end: M,
    /// A space or the end of the line.
    pub(super) space_or_end: M,
    pub(super) len: usize,
}

impl<'a, M: Mask> Tokens<'a, M> {
    #[inline(always)]
    pub(super) fn new(pad: &'a Pad, c: &Classes<M>, len: usize) -> Tokens<'a, M> {
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
    pub(super) fn byte(&self, i: usize) -> u8 {
        self.pad[i & 127]
    }

    /// The closing `"` of a quoted text opened at `i`: the next quote or backslash must be a
    /// quote inside the line (a backslash may escape a quote: the general path knows the
    /// rules).
    #[inline(always)]
    pub(super) fn closing_quote(&self, i: usize) -> Option<usize> {
        let close = self.quote.next(i + 1);
        (close < self.len && self.byte(close) == b'"').then_some(close)
    }

    /// The plain token at `i` (a byte of the line that is not a space): a word up to a space
    /// or the end of the line, or a quoted text without backslashes followed by a space or
    /// the end. Returns (start, end, quoted) of its text and the position after it; `None`
    /// for anything else (a brace, a backslash, a word running into a quote, an open quote),
    /// as [`simple_token`] decides.
    #[inline(always)]
    pub(super) fn token(&self, i: usize) -> Option<((usize, usize, bool), usize)> {
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
/// digits (so no overflow is possible), the token `pad[start..end]`; `None` for anything
/// else. There is no loop over its bytes: the masks of its digits and of its `.` give the
/// integer part's length, and the digits are converted eight at a time (a loop ending after
/// a varying number of digits cost a mispredicted branch on most rows).
#[inline(always)]
pub(super) fn fast_amount(pad: &Pad, start: usize, end: usize) -> Option<Amount> {
    if end <= start {
        return None;
    }
    let neg = pad[start & 127] == b'-';
    let s = (start + usize::from(neg)) & 127;
    let n = end.checked_sub(s).filter(|&n| n > 0)?;
    if n > 16 {
        return fast_amount_bytes(&pad[start & 127..end.min(PAD)]);
    }
    let chunk: &[u8; 16] = pad[s..s + 16].try_into().expect("16 bytes");
    let (digits, dots) = scan::digits16(chunk);
    // Only the token's own bytes count.
    let inside = (1u32 << n) - 1;
    let digits = u32::from(digits) & inside;
    let int_len = digits.trailing_ones() as usize;
    if int_len == 0 || int_len > 15 {
        return None;
    }
    // After the integer part: nothing, `.`, `.d` or `.dd`.
    let rest = n - int_len;
    if rest > 3 {
        return None;
    }
    let mut frac = 0;
    if rest > 0 {
        let fraction = ((1u32 << (rest - 1)) - 1) << (int_len + 1);
        if u32::from(dots) >> int_len & 1 == 0 || digits & fraction != fraction {
            return None;
        }
        let digit = |k: usize| i64::from(chunk[k & 15].wrapping_sub(b'0'));
        frac = if rest >= 2 {
            digit(int_len + 1) * 10
        } else {
            0
        } + if rest == 3 { digit(int_len + 2) } else { 0 };
    }
    let word =
        |k: usize| u64::from_le_bytes(chunk[k & 7..(k & 7) + 8].try_into().expect("8 bytes"));
    let int = if int_len <= 8 {
        eight_digits(word(0) << (8 * (8 - int_len)))
    } else {
        let high = int_len - 8;
        eight_digits(word(0) << (8 * (8 - high))) * 100_000_000 + eight_digits(word(high))
    };
    let v = int as i64 * 100 + frac;
    Some(Amount(if neg { -v } else { v }))
}

/// A quantity of one to nine digits without sign or decimals (Fortnox writes `0` on every
/// row), read without a call; `None` for any other form, which [`Quantity::parse`] reads.
#[inline(always)]
fn small_quantity(tok: &[u8]) -> Option<Quantity> {
    nine_digits(tok).map(|v| Quantity {
        mantissa: i64::from(v),
        scale: 0,
    })
}

/// The optional quantity token `(start, end, quoted)` of a line of the hot path: `Ok(None)`
/// when absent or empty, `Err(())` when the general path must read (and report) it.
#[inline(always)]
fn optional_quantity(
    line: &[u8],
    tok: Option<(usize, usize, bool)>,
) -> Result<Option<Quantity>, ()> {
    match tok {
        Some((s, e, _)) if e > s => match small_quantity(&line[s..e]) {
            Some(q) => Ok(Some(q)),
            None => Quantity::parse(&line[s..e]).map(Some).map_err(|_| ()),
        },
        _ => Ok(None),
    }
}

/// [`fast_amount`] one byte at a time: for the amounts longer than 16 bytes, and the
/// reference in tests.
#[cold]
#[inline(never)]
fn fast_amount_bytes(tok: &[u8]) -> Option<Amount> {
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

/// The value of eight ASCII digits read little-endian (the first digit in the lowest byte);
/// bytes 0 before the first digit count as zeros. Three multiplications instead of eight
/// steps (the method of "Faster integer parsing", Kholdstare and Lemire).
#[inline(always)]
fn eight_digits(word: u64) -> u64 {
    let v = (word & 0x0F0F_0F0F_0F0F_0F0F).wrapping_mul(2561) >> 8;
    let v = (v & 0x00FF_00FF_00FF_00FF).wrapping_mul(6_553_601) >> 16;
    (v & 0x0000_FFFF_0000_FFFF).wrapping_mul(42_949_672_960_001) >> 32
}

/// Bytes the hot path reads from the start of a line of under 128 bytes: the line and what
/// follows it (the next lines, or zeros in a copy), so that 16- and 32-byte loads from any
/// position of the line stay inside.
pub(super) const PAD: usize = 160;
/// See [`PAD`].
pub(super) type Pad = [u8; PAD];

/// The 16 bytes of `pad` from `i`, a position in the line (under 128).
#[inline(always)]
pub(super) fn pad16(pad: &Pad, i: usize) -> u128 {
    debug_assert!(i < 128);
    let i = i & 127;
    u128::from_le_bytes(pad[i..i + 16].try_into().expect("16 bytes"))
}

/// The 32 bytes of `pad` from `i`, a position in the line (under 128), as two words.
#[inline(always)]
pub(super) fn pad32(pad: &Pad, i: usize) -> [u128; 2] {
    debug_assert!(i < 128);
    let i = i & 127;
    [
        u128::from_le_bytes(pad[i..i + 16].try_into().expect("16 bytes")),
        u128::from_le_bytes(pad[i + 16..i + 32].try_into().expect("16 bytes")),
    ]
}

/// The object list whose `{` is at `list_open` (a line of the hot path): its pairs, as
/// (dimension, dimension token, id token) with offsets from the `{`, written to `pairs`;
/// returns their number and the position after the `}`. `None` for anything unusual (more
/// than four pairs, a dimension that is not one to nine digits, a backslash, a brace in a
/// token), which the general path reads.
#[inline(always)]
pub(super) fn list_pairs<M: Mask>(
    t: &Tokens<'_, M>,
    list_open: usize,
    pairs: &mut [PairToks; 4],
) -> Option<(usize, usize)> {
    let len = t.len;
    let id_end = t.space | t.brace;
    let mut n = 0;
    let mut i = list_open + 1;
    loop {
        i = t.nonspace.next(i);
        if i >= len {
            return None;
        }
        if t.brace.has(i) {
            if t.byte(i) != b'}' {
                return None;
            }
            return Some((n, i + 1));
        }
        if n == pairs.len() {
            return None;
        }
        // The dimension: one to nine digits, plain (`1`) or quoted (`"1"`, as Unit4,
        // Raindance and BL Administration write it), then a space.
        let (ds, de, after);
        if t.quote.has(i) {
            if t.byte(i) != b'"' {
                return None;
            }
            let close = t.closing_quote(i)?;
            (ds, de, after) = (i + 1, close, close + 1);
        } else {
            ds = i;
            de = t.word_end.next(ds);
            after = de;
        }
        if de == ds || de - ds > 9 || !t.space.has(after) {
            return None;
        }
        let dim = nine_digits(&t.pad[ds..de])?;
        // The object id: quoted or a plain word, then a space or the `}`.
        let s = t.nonspace.next(after);
        let (os, oe);
        if t.quote.has(s) {
            if t.byte(s) != b'"' {
                return None;
            }
            let close = t.closing_quote(s)?;
            os = s + 1;
            oe = close;
            i = oe + 1;
        } else {
            os = s;
            oe = t.word_end.next(s);
            if oe == os {
                return None;
            }
            i = oe;
        }
        if !id_end.has(i) || t.byte(i) == b'{' {
            return None;
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

/// The balance record whose label (after its `#`) starts `rest`, followed by a space or
/// tab: the kind and the label's length with its `#`.
#[inline(always)]
fn balance_label(rest: &[u8]) -> Option<Label> {
    let (kind, len) = match rest {
        [b'P', b'S', b'A', b'L', b'D', b'O', b' ' | b'\t', ..] => (BalanceKind::Period, 7),
        [b'P', b'B', b'U', b'D', b'G', b'E', b'T', b' ' | b'\t', ..] => (BalanceKind::Budget, 8),
        [b'I', b'B', b' ' | b'\t', ..] => (BalanceKind::Opening, 3),
        [b'U', b'B', b' ' | b'\t', ..] => (BalanceKind::Closing, 3),
        [b'R', b'E', b'S', b' ' | b'\t', ..] => (BalanceKind::Result, 4),
        [b'O', b'I', b'B', b' ' | b'\t', ..] => (BalanceKind::ObjectOpening, 4),
        [b'O', b'U', b'B', b' ' | b'\t', ..] => (BalanceKind::ObjectClosing, 4),
        _ => return None,
    };
    Some(Label::Balance(kind, len))
}

impl Core {
    /// The interning key of `pad[start..end]` (a token of a line of the hot path) when it is
    /// shorter than 16 bytes, from one unaligned 16-byte load.
    #[inline(always)]
    pub(super) fn pad_key(pad: &Pad, start: usize, end: usize) -> Option<u128> {
        let len = end - start;
        if len >= 16 {
            return None;
        }
        let word = pad16(pad, start) & ((1u128 << (8 * len)) - 1);
        Some(word | ((len as u128) << 120))
    }

    /// Interns `pad[start..end]`.
    #[inline(always)]
    pub(super) fn intern_at(&mut self, pad: &Pad, start: usize, end: usize) -> u32 {
        match Self::pad_key(pad, start, end) {
            Some(key) => self.intern_small(key, &pad[start..end]).0,
            None => self.intern(&pad[start..end]),
        }
    }

    /// Interns the account number `pad[start..end]` of a voucher row and records its first
    /// use (for the check of undeclared accounts), usually with no more than the lookup.
    #[inline(always)]
    pub(super) fn intern_account_at(&mut self, pad: &Pad, start: usize, end: usize) -> u32 {
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
        self.note_first_use(id, start as u32 + 1);
        id
    }

    /// The hot path for a line starting with `#` (at `lead`) where a voucher row or a `#VER`
    /// may stand: the label is matched, the line's bytes (up to 128) are classified into bit
    /// masks, and [`Core::fast_row`] or [`Core::fast_ver`] reads it. `buf` starts with the
    /// line; the bytes after it (the next lines) only fill the mask window and are never
    /// interpreted. False (having changed nothing) when the line needs the general path,
    /// which also gives the diagnostics.
    #[inline(always)]
    pub(super) fn fast_record(&mut self, line: &[u8], buf: &[u8], lead: usize) -> bool {
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
            (VerState::None, [b'#', rest @ ..]) => match balance_label(rest) {
                // A fork stops before any record but a voucher's (see `parallel`).
                Some(label) if self.fork.is_none() => label,
                _ => return false,
            },
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
    pub(super) fn fast_copied(&mut self, line: &[u8], lead: usize, label: Label) -> bool {
        let mut pad = [0u8; PAD];
        let len = line.len().min(127);
        pad[..len].copy_from_slice(&line[..len]);
        self.fast_padded(&pad, len, lead, label)
    }

    /// [`Core::fast_record`] for the line `pad[..len]`.
    #[inline(always)]
    pub(super) fn fast_padded(&mut self, pad: &Pad, len: usize, lead: usize, label: Label) -> bool {
        if len < 64 {
            self.fast_masked(pad, len, lead, label, Classes::<u64>::of_line(pad, len))
        } else {
            self.fast_masked(pad, len, lead, label, Classes::<u128>::of_line(pad, len))
        }
    }

    #[inline(always)]
    pub(super) fn fast_masked<M: Mask>(
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
            Label::Balance(kind, label_len) => {
                self.fast_balance(pad, len, lead, kind, label_len, &t)
            }
        }
    }

    /// Fast path for the common voucher rows: `#TRANS acct {dim id …} amount [date] [text]`
    /// with plain words or quoted texts, read in one pass over the line's masks. Returns
    /// false (having changed nothing) when the line needs the general path.
    #[inline(always)]
    pub(super) fn fast_row<M: Mask>(
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
        // Object list pairs up to the `}`: (dimension, dimension token, id token) as offsets
        // into `line`. Anything unusual goes to the general path. A list written exactly as
        // the last row's (the rows of a voucher often share their objects) is not read again.
        let mut pairs = [PairToks::default(); 4];
        let same_as_prev = self.prev_list.matches(pad, len, list_open);
        let (n, list_close) = if same_as_prev {
            let prev = &self.prev_list;
            pairs = prev.pairs;
            (prev.n, list_open + prev.len)
        } else {
            match list_pairs(t, list_open, &mut pairs) {
                Some(read) => read,
                None => return false,
            }
        };
        // Amount: [-]digits[.d[d]], at most 15 integer digits (no overflow possible), then a
        // space or the end of the line.
        let amount_start = t.nonspace.next(list_close);
        let amount_end = t.space_or_end.next(amount_start);
        let Some(amount) = fast_amount(pad, amount_start, amount_end) else {
            return false;
        };
        // Optional date, text, quantity and signature (plain words or quoted texts, as the
        // general reader takes them); anything after them: general path.
        let mut date = None;
        let mut toks = [Tok::NONE; 4];
        let mut i = t.nonspace.next(amount_end);
        for slot in &mut toks {
            if i >= len {
                break;
            }
            let Some((tok, next)) = t.token(i) else {
                return false;
            };
            *slot = Tok::new(tok);
            i = t.nonspace.next(next);
        }
        if i < len {
            return false;
        }
        let (date_tok, text_tok) = (toks[0].get(), toks[1].get());
        let (quantity_tok, signature_tok) = (toks[2].get(), toks[3].get());
        if let Some((s, e, quoted)) = date_tok {
            if e > s {
                match Date::parse(&line[s..e]) {
                    Some(d) if !quoted => date = Some(d),
                    _ => return false,
                }
            }
        }
        let Ok(quantity) = optional_quantity(line, quantity_tok) else {
            return false;
        };
        // Pass 2: commit.
        let acc_id = self.intern_account_at(pad, acc.0, acc.1);
        let objects = if same_as_prev {
            self.prev_list.start
        } else {
            // Each pair is written straight into the store (a list built on the stack and
            // copied in 16-byte words was loaded before its 4-byte stores had reached the
            // cache: a stalled load on every row with a new list).
            let objects = self.file.vouchers.begin_list4(n);
            for p in &pairs[..n] {
                let at = |o: u8| list_open + usize::from(o);
                let id = self.intern_at(pad, at(p.os), at(p.oe));
                self.file.vouchers.push_pair(Pair {
                    dimension: p.dim,
                    id,
                });
            }
            self.prev_list
                .remember(pad, list_open, list_close, objects, &pairs, n);
            objects
        };
        self.stats.hot_rows += 1;
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
            for t in toks.iter().filter_map(|t| t.get()) {
                w.token(pad, t.0, t.1);
            }
            self.ksumma.pos += w.k;
        }
        let text = match text_tok {
            Some((ts, te, _)) if te > ts && self.texts => {
                let store = &mut self.file.vouchers;
                encoding::decode_into(&line[ts..te], self.encoding, &mut store.texts);
                store.close_text()
            }
            _ => 0,
        };
        let signature = signature_tok.is_some_and(|(s, e, _)| e > s);
        let (text, extra) = match quantity {
            // As `text_and_extra` stores them, without the call.
            None if !signature => (text, 0),
            Some(Quantity::ZERO) if !signature => (text, ZERO_QUANTITY_FLAG),
            _ => self.extra_fields(line, text, quantity, signature_tok),
        };
        let (meta, line, date) = (Row::meta(kind, n) | extra, self.line_no, pack_date(date));
        let row = || Row {
            amount,
            account: acc_id,
            objects,
            meta,
            text,
            line,
            date,
        };
        self.push_row_with(row, lead as u32 + 1);
        true
    }

    /// The row's rare fields (a quantity, a signature) stored aside as the general reader
    /// stores them: the `text` field and the flag for [`Row::meta`].
    #[inline(never)]
    pub(super) fn extra_fields(
        &mut self,
        line: &[u8],
        text: u32,
        quantity: Option<Quantity>,
        signature: Option<(usize, usize, bool)>,
    ) -> (u32, u32) {
        let signature = signature
            .filter(|&(s, e, _)| e > s)
            .map(|(s, e, _)| encoding::decode(&line[s..e], self.encoding).into_owned());
        self.file
            .vouchers
            .text_and_extra(text, quantity, signature, None)
    }

    /// Fast path for the balance records ([`BalanceKind`]) with plain words or quoted texts
    /// and an object list as voucher rows write it, outside a voucher and outside a fork.
    /// Returns false (having changed nothing) when the line needs the general path, which
    /// also gives every diagnostic (a period outside its year among them).
    #[inline(never)]
    pub(super) fn fast_balance<M: Mask>(
        &mut self,
        pad: &Pad,
        len: usize,
        lead: usize,
        kind: BalanceKind,
        label_len: usize,
        t: &Tokens<'_, M>,
    ) -> bool {
        let line = &pad[..len];
        // Pass 1: find the tokens without side effects.
        let mut i = t.nonspace.next(lead + label_len + 1);
        if i >= len {
            return false;
        }
        let Some((year_tok, next)) = t.token(i) else {
            return false;
        };
        let Some(year) = small_year(&line[year_tok.0..year_tok.1]) else {
            return false;
        };
        i = t.nonspace.next(next);
        let mut period_tok = Tok::NONE;
        let mut period = None;
        if kind.has_period() {
            if i >= len {
                return false;
            }
            let Some((tok, next)) = t.token(i) else {
                return false;
            };
            let Some(p) = Period::parse(&line[tok.0..tok.1]) else {
                return false;
            };
            period = Some(p);
            period_tok = Tok::new(tok);
            i = t.nonspace.next(next);
        }
        if i >= len {
            return false;
        }
        let Some((acc, next)) = t.token(i) else {
            return false;
        };
        i = t.nonspace.next(next);
        // The object list (the general path takes a brace in place of the account, or a
        // list where none may stand, and says what is wrong).
        let mut pairs = [PairToks::default(); 4];
        let mut n = 0;
        let mut list_open = None;
        if i < len && t.brace.has(i) {
            if !kind.may_have_list() || t.byte(i) != b'{' {
                return false;
            }
            let Some((read, after)) = list_pairs(t, i, &mut pairs) else {
                return false;
            };
            if after < len && !t.space.has(after) {
                return false;
            }
            list_open = Some(i);
            n = read;
            i = t.nonspace.next(after);
        }
        if i >= len {
            return false;
        }
        let amount_start = i;
        let amount_end = t.space_or_end.next(amount_start);
        let Some(amount) = fast_amount(pad, amount_start, amount_end) else {
            return false;
        };
        // An optional quantity, and nothing after it.
        i = t.nonspace.next(amount_end);
        let mut quantity_tok = Tok::NONE;
        if i < len {
            let Some((tok, next)) = t.token(i) else {
                return false;
            };
            quantity_tok = Tok::new(tok);
            if t.nonspace.next(next) < len {
                return false;
            }
        }
        let Ok(quantity) = optional_quantity(line, quantity_tok.get()) else {
            return false;
        };
        // `#PSALDO` of a period outside its year: the general path warns.
        if let (BalanceKind::Period, Some(p)) = (kind, period) {
            if let Some(fy) = self.file.fiscal_year(year) {
                if p < fy.start.period() || p > fy.end.period() {
                    return false;
                }
            }
        }

        // Pass 2: commit, interning in the general path's order (account, then objects).
        self.stats.hot_balances += 1;
        if self.ksumma.active {
            let mut w = self.ksumma.line_writer();
            w.token(pad, lead, lead + label_len);
            w.token(pad, year_tok.0, year_tok.1);
            if let Some((s, e, _)) = period_tok.get() {
                w.token(pad, s, e);
            }
            w.token(pad, acc.0, acc.1);
            if let Some(open) = list_open {
                for p in &pairs[..n] {
                    let at = |o: u8| open + usize::from(o);
                    w.token(pad, at(p.ds), at(p.de));
                    w.token(pad, at(p.os), at(p.oe));
                }
            }
            w.token(pad, amount_start, amount_end);
            if let Some((s, e, _)) = quantity_tok.get() {
                w.token(pad, s, e);
            }
            self.ksumma.pos += w.k;
        }
        let account_id = self.intern_at(pad, acc.0, acc.1);
        let account = self.sym(account_id).clone();
        let mut objects = ObjectList::new();
        if let Some(open) = list_open {
            for p in &pairs[..n] {
                let at = |o: u8| open + usize::from(o);
                let id = self.intern_at(pad, at(p.os), at(p.oe));
                objects.push(p.dim, self.sym(id).clone());
            }
        }
        let line = self.line_no;
        let file = &mut self.file;
        match (kind, period) {
            (BalanceKind::Period | BalanceKind::Budget, Some(period)) => {
                let b = PeriodBalance {
                    year,
                    period,
                    account,
                    objects,
                    amount,
                    quantity,
                    line,
                };
                if kind == BalanceKind::Period {
                    file.period_balances.push(b);
                } else {
                    file.period_budgets.push(b);
                }
            }
            (BalanceKind::ObjectOpening | BalanceKind::ObjectClosing, _) => {
                let b = ObjectBalance {
                    year,
                    account,
                    objects,
                    amount,
                    quantity,
                    line,
                };
                if kind == BalanceKind::ObjectOpening {
                    file.object_opening_balances.push(b);
                } else {
                    file.object_closing_balances.push(b);
                }
            }
            _ => {
                let b = Balance {
                    year,
                    account,
                    amount,
                    quantity,
                    line,
                };
                match kind {
                    BalanceKind::Opening => file.opening_balances.push(b),
                    BalanceKind::Closing => file.closing_balances.push(b),
                    _ => file.results.push(b),
                }
            }
        }
        true
    }

    /// Fast path for `#VER series number date [text [registered [signature]]]` with plain
    /// words or quoted texts, outside a voucher. Returns false (having changed nothing) when
    /// the line needs the general path.
    #[inline(always)]
    pub(super) fn fast_ver<M: Mask>(
        &mut self,
        pad: &Pad,
        len: usize,
        lead: usize,
        t: &Tokens<'_, M>,
    ) -> bool {
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
        self.stats.hot_vers += 1;
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
            // The exporters' forms (issue 11) and their malformed variants: quoted dimension
            // numbers (Unit4, Raindance), `{ "1" "1"}` and tabs (BL Administration), a
            // trailing space, empty date and text with a quantity, signatures (Fortnox, BL).
            "  #TRANS 3010 {\"1\" \"1120\" \"6\" \"5007\"} -12.50 20230105 \"Hyra \u{e5}r\"",
            "#TRANS 3010 {\"1\" \"1120\" \"20\" \"350\" \"6\" \"5007\"} 1250.5",
            "#TRANS 3010 {1 \"1120\" \"6\" 5007} 7",
            "#TRANS 3010 { \"1\" \"1\"} 100",
            "#TRANS\t3010\t{ \"1\" \"10\"}\t-133\t20230105\t\"\"",
            "#TRANS\t3010\t{ \"1\" \"10\"}\t-133\t20230105\t\"text\"\t",
            "#RTRANS\t3010\t{ \"1\" \"10\"}\t-133\t20230105\t\"\"\t\"\"\t\"Anna\"",
            "#BTRANS\t3010\t{}\t-133\t20230105\t\"\"\t\"\"\t\"2 Christer Bengtsson\"",
            "#TRANS 1910 {} -137.00 ",
            "#TRANS 1910 {} -137.00   ",
            "#TRANS 1910 {} -137.00 \"\" \"\" 0",
            "#TRANS 1910 {} -137.00 \"\" \"\" 0 ",
            "#RTRANS 1910 {} -137.00 \"\" \"\" 0 \"Kalle\"",
            "#TRANS 1910 {} 5 \"\" \"\" 2.125",
            "#TRANS 1910 {} 5 \"\" \"\" -3",
            "#TRANS 1910 {} 5 \"\" \"\" \"1.5\"",
            "#TRANS 1910 {} 5 20230105 \"t\" 1 \"\u{c5}sa\"",
            "#TRANS 1910 {} 5 20230105 t 1 sig",
            "#TRANS 1910 {} 5 \"\" \"\" \"\" \"\"",
            "#TRANS 1910 {} 5 \"\" \"\" \"\" sig",
            "#TRANS 1910 {} 5 \"\" \"\" 1,5",
            "#TRANS 1910 {} 5 \"\" \"\" x",
            "#TRANS 1910 {} 5 \"\" \"\" 1.1234567891",
            "#TRANS 1910 {} 5 \"\" \"\" 99999999999999999999",
            "#TRANS 1910 {} 5 \"\" \"\" 0 sig extra",
            "#TRANS 1910 {} 5 \"\" \"\" 0 \"sig\"x",
            "#TRANS 1910 {} 5 \"\" \"\" 0 \"si\\\"g\"",
            "#TRANS 1910 {} 5 \"\" \"\" 0 \"sig",
            "#TRANS 3010 {\"\" \"1\"} 100",
            "#TRANS 3010 {\"1\"x \"1\"} 100",
            "#TRANS 3010 {\"1\"\"1\"} 100",
            "#TRANS 3010 {\"1 \"1\"} 100",
            "#TRANS 3010 {\"a\" \"1\"} 100",
            "#TRANS 3010 {\"-1\" \"1\"} 100",
            "#TRANS 3010 {\"1234567890\" \"1\"} 100",
            "#TRANS 3010 {\"123456789\" \"1\"} 100",
            "#TRANS 3010 {\"1\\\" \"1\"} 100",
            "#TRANS 3010 {\"1\" } 100",
            "#TRANS 3010 { \"1\"} 100",
            "#TRANS 3010 {\"1\"} 100",
            "#TRANS 3010 {\"1\" \"1\"",
            "#TRANS 3010 {\"1\" \"1\"}",
            "#TRANS 3010 {\"1\" \"1\"}100",
            "#TRANS 3010 {\"1\"\t\"1\"} 100",
            "#TRANS 3010 {\t\"1\" \"1\" } 100",
            "#TRANS 3010 {\"1\" \"1\" \"2\" \"1\" \"3\" \"1\" \"4\" \"1\" \"5\" \"1\"} 100",
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
    fn the_exporters_rows_take_the_hot_path() {
        // The usual rows of Unit4/Raindance (quoted dimension numbers), BL Administration
        // (`{ "1" "1"}`, tabs, signatures after an empty quantity) and Fortnox (a trailing
        // space, empty date and text with a quantity, a signature): every one is read by the
        // hot path, as the general path reads it.
        let rows = [
            "  #TRANS 3010 {\"1\" \"1120\" \"6\" \"5007\"} -12.50 20230105 \"Hyra \u{e5}r\"",
            "#TRANS 3010 {\"1\" \"1120\" \"20\" \"350\" \"6\" \"5007\"} 1250.5",
            "#TRANS 3010 {1 1120 20 350} 1250.5",
            "#TRANS\t3010\t{ \"1\" \"10\"}\t-133\t20230105\t\"\"",
            "#TRANS\t3010\t{ \"1\" \"10\"}\t-133\t20230105\t\"F\u{f6}rbrukning\"",
            "#RTRANS\t3010\t{ \"1\" \"10\"}\t-133\t20230105\t\"\"\t\"\"\t\"Anna\"",
            "#BTRANS\t3010\t{ \"1\" \"10\"}\t-133\t20230105\t\"\"\t\"\"\t\"Anna\"",
            "#TRANS 1910 {} -137.00 ",
            "#TRANS 1910 {} -137.00 \"\" \"\" 0",
            "#RTRANS 1910 {} -137.00 \"\" \"\" 0 \"Kalle\"",
            "#BTRANS 1910 {} -137.00 \"\" \"\" 0 \"Kalle\"",
        ];
        for row in rows {
            let text = voucher_around(row);
            assert_fast_reads_as_general(&text, row);
            for how in [Feed::FastLines, Feed::FastBuffer] {
                let stats = read(&text, how).stats;
                assert_eq!(stats.general_rows, 0, "{how:?}: {row}");
                assert_eq!(stats.hot_rows, 4, "{how:?}: {row}");
            }
            // The same lines with CRLF line ends.
            let crlf = text.replace('\n', "\r\n");
            assert_fast_reads_as_general(&crlf, row);
            assert_eq!(
                read(&crlf, Feed::FastBuffer).stats.general_rows,
                0,
                "CRLF: {row}"
            );
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
    /// A file with `lines` among its header's balances (after `#RAR`, the chart and the
    /// objects, before a voucher), inside `#KSUMMA`.
    fn balances_around(lines: &str) -> String {
        format!(
            "#FLAGGA 0\n#KSUMMA\n#RAR 0 20230101 20231231\n#RAR -1 20220101 20221231\n#KONTO 3010 \"x\"\n#KONTO 1910 \"y\"\n#DIM 1 \"Ansvar\"\n#OBJEKT 1 \"10\" \"a\"\n#IB 0 1910 1.00\n{lines}\n#PSALDO 0 202301 3010 {{1 \"10\"}} -5.00\n#VER A 1 20230101\n{{\n#TRANS 3010 {{}} 5\n#TRANS 1910 {{}} -5\n}}\n#KSUMMA 1\n"
        )
    }

    #[test]
    fn fast_balances_read_as_the_general_path() {
        let lines = [
            "#IB 0 1910 1000.00",
            "#IB -1 1910 -990.00 5",
            "#IB\t0\t1220\t    219292",
            "#IB      0  1010           1000.00",
            "#UB 0 1910 550",
            "#UB 0 1910 550 \"\"",
            "#RES 0 3010 -104320.00",
            "#RES \"0\" \"3010\" 7",
            "#OIB 0 1910 {1 \"10\"} 640.00",
            "#OUB     0  1700   {1 \"1\"}          640.00",
            "#OUB 0 1700 100.00",
            "#PSALDO 0 202301 3010 {} -104320.00",
            "#PSALDO\t0\t202301\t3010\t{ }\t4667\t\"\"",
            "#PSALDO 0 202301 3010 {1 \"10\"} 1111.00",
            "#PSALDO -1 202212 3010 {\"1\" \"Nord\" \"6\" \"5007\"} -1.5",
            "#PSALDO 0 202301 3010 {1 10 6 P1 20 350} 2 3.5",
            "#PSALDO 0 202301 3010 100.00",
            "#PBUDGET 0 202301 3010 {} 100.00",
            "#PBUDGET -1 202301 3010 {1 \"10\"} -100.00 0",
            "#PBUDGET  0 202301 3010 {1         YK} 2.5",
            "#PSALDO 0 202301 \"\" {} 1",
            "#PSALDO 0 202301 3010 {1 \"\"} 1",
            "#PSALDO 0 202301 3010 {1 \"\u{d6}st\"} 1",
            // The general path's, each for its own reason.
            "#PSALDO 0 202401 3010 {} 1",
            "#PSALDO 0 202313 3010 {} 1",
            "#PSALDO 0 2023 3010 {} 1",
            "#PSALDO x 202301 3010 {} 1",
            "#PSALDO +0 202301 3010 {} 1",
            "#PSALDO 0 202301 3010 {} 1 2 3",
            "#PSALDO 0 202301 3010 {} 1,5",
            "#PSALDO 0 202301 3010 {} \"1\"",
            "#PSALDO 0 202301 3010 {} 1 x",
            "#PSALDO 0 202301 3010 {1} 1",
            "#PSALDO 0 202301 3010 {1 \"10\" 1",
            "#PSALDO 0 202301 3010 {1 \"10\"}1",
            "#PSALDO 0 202301 {1 \"10\"} 1",
            "#PSALDO 0 202301 3010 {1 \"a\\\"b\"} 1",
            "#PSALDO 0 202301 3010 {1 2 3 4 5 6 7 8 9 10} 1",
            "#PSALDO 0 202301 3010 {}",
            "#PSALDO 0 202301",
            "#PSALDO",
            "#PSALDO ",
            "#IB 0 1910 {} 1",
            "#IB 0 1910",
            "#IB 0",
            "#OIB 0 1910 {1 \"10\"}",
            "#psaldo 0 202301 3010 {} 1",
            "#PSALDOX 0 202301 3010 {} 1",
            "#IBX 0 1910 1",
            "#PSALDO 0 202301 3010 {} 12345678901234567",
            "#PSALDO 0 202301 3010 {} 1.005",
            "#PSALDO 0 202301 3010 {} 1 \"x y\"",
        ];
        for line in lines {
            for eol in ["\n", "\r\n"] {
                let text = balances_around(line).replace('\n', eol);
                assert_fast_reads_as_general(&text, line);
            }
        }
        // The usual forms are read by the hot path: every balance of this file.
        let text = balances_around(&lines[..23].join("\n"));
        let fast = read(&text, Feed::FastBuffer);
        assert!(
            fast.diagnostics.iter().all(|d| d.code == Code::Checksum),
            "{:?}",
            fast.diagnostics
        );
        assert_eq!(fast.stats.hot_balances, 25);
        assert_eq!(fast.stats.general_balances, 0);
        let general = read(&text, Feed::General);
        assert_eq!(general.stats.general_balances, 25);
        // Inside a voucher a balance record is the general path's (it closes the voucher
        // with an error).
        let text = "#FLAGGA 0\n#RAR 0 20230101 20231231\n#VER A 1 20230101\n{\n#PSALDO 0 202301 3010 {} 1\n}\n";
        assert_fast_reads_as_general(text, "inside a voucher");
        assert_eq!(read(text, Feed::FastBuffer).stats.hot_balances, 0);
    }

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
            Just("\"1\""),
            Just("\"6\" "),
            Just("{ \"1\" "),
            Just("0"),
            Just("\"\" \"\" "),
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
                proptest::prelude::Just("#TRANS 3010 {1 \"10\" 6 P1} -5.25 "),
                proptest::prelude::Just("#TRANS 3010 {\""),
                proptest::prelude::Just("#TRANS\t3010\t{ \"1\" \"10\"}\t-133\t"),
                proptest::prelude::Just("#RTRANS 1910 {} -137.00 \"\" \"\" ")
            ],
            pieces in proptest::collection::vec(piece(), 0..24),
        ) {
            let row = format!("{lead}{label}{}", pieces.concat());
            assert_fast_reads_as_general(&voucher_around(&row), &row);
        }

        /// The same for balance records.
        #[test]
        fn random_balances_read_as_the_general_path(
            label in proptest::prelude::prop_oneof![
                proptest::prelude::Just("#PSALDO 0 202301 3010 "),
                proptest::prelude::Just("#PBUDGET -1 202212 "),
                proptest::prelude::Just("#PSALDO\t0\t202301\t3010\t{1 \"10\"}\t"),
                proptest::prelude::Just("#OIB 0 1910 "), proptest::prelude::Just("#OUB "),
                proptest::prelude::Just("#IB 0 "), proptest::prelude::Just("#UB -1 1910 "),
                proptest::prelude::Just("#RES ")
            ],
            pieces in proptest::collection::vec(piece(), 0..16),
        ) {
            let line = format!("{label}{}", pieces.concat());
            assert_fast_reads_as_general(&balances_around(&line), &line);
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

        /// Amounts read from masks read as one byte at a time, whatever follows the token
        /// in the pad (the next line's bytes, or zeros) and wherever it starts.
        #[test]
        fn amounts_read_from_masks_as_byte_by_byte(
            token in proptest::collection::vec(
                proptest::prelude::prop_oneof![
                    proptest::prelude::Just(b'-'), proptest::prelude::Just(b'.'),
                    proptest::prelude::Just(b'/'), proptest::prelude::Just(b':'),
                    proptest::prelude::Just(b'+'), proptest::prelude::Just(b' '),
                    b'0'..=b'9', b'0'..=b'9', b'0'..=b'9', proptest::prelude::any::<u8>()
                ],
                0..22,
            ),
            at in 0usize..100,
            after in proptest::collection::vec(proptest::prelude::any::<u8>(), PAD),
        ) {
            let mut pad = [0u8; PAD];
            pad.copy_from_slice(&after);
            let len = token.len().min(127 - at);
            pad[at..at + len].copy_from_slice(&token[..len]);
            proptest::prop_assert_eq!(
                fast_amount(&pad, at, at + len),
                fast_amount_bytes(&token[..len]),
                "{:?}", String::from_utf8_lossy(&token[..len])
            );
        }
    }

    #[test]
    fn small_quantities_read_as_quantity_parse_reads_them() {
        for tok in [
            "0",
            "7",
            "12",
            "000",
            "123456789",
            "1234567890",
            "-1",
            "+1",
            "1.5",
            "1,5",
            "",
            "1a",
            "a",
            " 1",
        ] {
            if let Some(q) = small_quantity(tok.as_bytes()) {
                assert_eq!(Ok(q), Quantity::parse(tok.as_bytes()), "{tok}");
            } else {
                assert!(
                    !(1..=9).contains(&tok.len()) || !tok.bytes().all(|b| b.is_ascii_digit()),
                    "{tok} is for the small form"
                );
            }
        }
    }

    #[test]
    fn amounts_of_every_length() {
        let mut pad = [b'\n'; PAD];
        for text in [
            "0",
            "-0",
            "5",
            "-5.",
            "12.5",
            "-12.50",
            "99999999",
            "123456789.01",
            "-999999999999999.99",
            "1000000000000000",
            "12.345",
            "1.2.3",
            "-",
            ".5",
            "1,50",
            "00000000000000.01",
            "87654321",
            "-18765432.1",
        ] {
            pad[3..3 + text.len()].copy_from_slice(text.as_bytes());
            assert_eq!(
                fast_amount(&pad, 3, 3 + text.len()),
                fast_amount_bytes(text.as_bytes()),
                "{text}"
            );
        }
        assert_eq!(fast_amount(&pad, 3, 3), None);
        pad[3..23].copy_from_slice(b"-123456789012345.67 ");
        assert_eq!(
            fast_amount(&pad, 3, 22),
            Some(Amount(-12_345_678_901_234_567))
        );
    }
}
