//! Vouchers stored flat: every row of a file in one `Vec`, texts in one buffer, account
//! numbers and object ids as indices into a symbol table. Read through [`VoucherRef`] and
//! [`RowRef`]; build with [`Vouchers::push`] from the owned [`VoucherData`].
//!
//! The layout is what makes the whole-buffer reader fast: a row is 32 bytes with no pointer
//! to follow or free, and reading a voucher allocates nothing.
//!
//! # Corrected vouchers: `#RTRANS`, its copy, and the booking date
//!
//! A voucher changed after registration lists the rows removed as `#BTRANS` (kept, never
//! counted) and the rows added as `#RTRANS`. For readers that do not know `#RTRANS`,
//! exporters write each added row again as `#TRANS` right after it, but not identically:
//! Fortnox puts the signature on the `#RTRANS` only; BL Administration gives the `#RTRANS`
//! the date of the change and the copy the voucher's date. The reader's rule:
//!
//! - The `#TRANS` right after an `#RTRANS` is its copy when account, object list and amount
//!   are equal; date, text, quantity and signature may differ or be missing. The two are
//!   stored as one row of kind [`RowKind::Added`], which counts once. It keeps the
//!   `#RTRANS`'s text, quantity and signature, and takes from the copy what the `#RTRANS`
//!   lacks.
//! - The date written on an `#RTRANS` is when the change was registered
//!   ([`RowRef::registered`]); the copy's date is the row's transaction date
//!   ([`RowRef::date`]).
//! - An `#RTRANS` without its copy (the next row is no `#TRANS`, or the voucher ends), or
//!   followed by a `#TRANS` that differs in account, objects or amount, draws a warning
//!   ([`crate::Code::Correction`]) naming both lines; each row then counts once as written.
//!
//! The month a row counts in is the month of its booking date, [`RowRef::booking_date`]:
//! the row's transaction date when it has one, else the voucher's date. `delar sie balances`
//! ([`crate::TransAggregator`]) and the report engine's ledger (`delar-core`) both use it.

use crate::amount::{Amount, Quantity};
use crate::date::Date;
use crate::model::{RowKind, Sym};
use rustc_hash::FxHashMap;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// Asks the kernel to back the capacity of `v` with transparent huge pages where it can
/// (Linux with THP in `madvise` or `always` mode; elsewhere nothing happens). The stores of
/// a large file take tens of megabytes that are written once, front to back: with 2 MiB
/// pages that costs tens of page faults instead of thousands.
fn huge_pages<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let bytes = v.capacity() * std::mem::size_of::<T>();
        if bytes < 2 * HUGE {
            return;
        }
        let start = v.as_ptr() as usize;
        // The 2 MiB-aligned part of the buffer (madvise wants page alignment).
        let first = start.div_ceil(HUGE) * HUGE;
        let end = (start + bytes) / HUGE * HUGE;
        if end > first {
            // SAFETY: the range lies inside the Vec's own allocation; MADV_HUGEPAGE is
            // advice that changes no contents, and a failure (e.g. THP disabled) is ignored.
            unsafe {
                libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}

/// A text with no entry in the text buffer.
pub(crate) const NO_TEXT: u32 = 0;
/// Bits of [`Row::meta`] holding the number of object pairs.
const OBJECT_COUNT_BITS: u32 = 28;
const OBJECT_COUNT_MASK: u32 = (1 << OBJECT_COUNT_BITS) - 1;
/// Flag of [`Row::meta`]: the row's quantity is `0` (written so; Fortnox writes it on every
/// row) and it has no other rare field, so nothing is stored aside for it. Never together
/// with [`EXTRA_FLAG`].
pub(crate) const ZERO_QUANTITY_FLAG: u32 = 1 << OBJECT_COUNT_BITS;
/// Flag of [`Row::meta`]: the row has a quantity or signature, and [`Row::text`] is an index
/// into [`Vouchers::extras`] (which holds the text id).
pub(crate) const EXTRA_FLAG: u32 = 1 << (OBJECT_COUNT_BITS + 1);
/// Where the kind starts in [`Row::meta`].
const KIND_SHIFT: u32 = 30;

/// Packs a date into a `u32` (0 for none) so that a row stays 32 bytes.
#[inline]
pub(crate) fn pack_date(d: Option<Date>) -> u32 {
    match d {
        Some(d) => (u32::from(d.year) << 16) | (u32::from(d.month) << 8) | u32::from(d.day),
        None => 0,
    }
}

#[inline]
pub(crate) fn unpack_date(p: u32) -> Option<Date> {
    (p != 0).then_some(Date {
        year: (p >> 16) as u16,
        month: (p >> 8) as u8,
        day: p as u8,
    })
}

/// A voucher row as stored (32 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) amount: Amount,
    /// Symbol of the account number.
    pub(crate) account: u32,
    /// First object pair in [`Vouchers::pairs`] (lists are stored once and shared).
    pub(crate) objects: u32,
    /// Number of object pairs (low 28 bits), [`ZERO_QUANTITY_FLAG`], [`EXTRA_FLAG`], kind
    /// (high 2 bits).
    pub(crate) meta: u32,
    /// Text id ([`NO_TEXT`] for none), or with [`EXTRA_FLAG`] an index into
    /// [`Vouchers::extras`].
    pub(crate) text: u32,
    pub(crate) line: u32,
    /// Packed date (0 for none).
    pub(crate) date: u32,
}

impl Row {
    #[inline]
    pub(crate) fn meta(kind: RowKind, objects: usize) -> u32 {
        let k = match kind {
            RowKind::Normal => 0,
            RowKind::Added => 1,
            RowKind::Removed => 2,
        };
        (k << KIND_SHIFT) | (objects as u32 & OBJECT_COUNT_MASK)
    }

    #[inline]
    pub(crate) fn kind(&self) -> RowKind {
        match self.meta >> KIND_SHIFT {
            0 => RowKind::Normal,
            1 => RowKind::Added,
            _ => RowKind::Removed,
        }
    }

    #[inline]
    pub(crate) fn has_extra(&self) -> bool {
        self.meta & EXTRA_FLAG != 0
    }

    #[inline]
    pub(crate) fn object_count(&self) -> usize {
        (self.meta & OBJECT_COUNT_MASK) as usize
    }
}

/// One (dimension, object) pair of a row's object list, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Pair {
    pub(crate) dimension: u32,
    /// Symbol of the object id.
    pub(crate) id: u32,
}

/// A voucher as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Head {
    pub(crate) series: u32,
    pub(crate) number: u32,
    pub(crate) text: u32,
    pub(crate) signature: u32,
    pub(crate) date: Date,
    pub(crate) registered: Option<Date>,
    pub(crate) rows_start: u32,
    pub(crate) rows_end: u32,
    pub(crate) line: u32,
}

/// The rare fields of a row: quantity, signature and the registration date of an added row
/// (with the row's text id).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Extra {
    pub(crate) text: u32,
    pub(crate) quantity: Option<Quantity>,
    pub(crate) signature: Option<String>,
    pub(crate) registered: Option<Date>,
}

/// The vouchers of a file (`#VER` with their `#TRANS`, `#RTRANS` and `#BTRANS` rows).
///
/// Iterate with [`Vouchers::iter`] (or `for v in &file.vouchers`); each item is a
/// [`VoucherRef`] whose rows are [`RowRef`]s. The streaming reader hands out the same views
/// one voucher at a time.
#[derive(Clone)]
pub struct Vouchers {
    /// Interned account numbers, object ids and series: index = symbol id.
    pub(crate) symbols: Vec<Sym>,
    pub(crate) heads: Vec<Head>,
    pub(crate) rows: Vec<Row>,
    /// Object lists, back to back (rows point into them; the reader lets a row whose list is
    /// written as the previous row's share that row's list).
    pub(crate) pairs: Vec<Pair>,
    /// All texts, back to back; text `k` (from 1) is `texts[ends[k - 1]..ends[k]]`.
    /// Valid UTF-8 (only decoded text is added); kept as bytes so that adding needs no
    /// second validation.
    pub(crate) texts: Vec<u8>,
    pub(crate) text_ends: Vec<usize>,
    pub(crate) extras: Vec<Extra>,
    /// Symbol lookup for [`Vouchers::push`] (the parser keeps its own, faster interner).
    lookup: FxHashMap<Sym, u32>,
}

impl Default for Vouchers {
    fn default() -> Self {
        Vouchers::new()
    }
}

impl Vouchers {
    /// An empty store.
    pub fn new() -> Self {
        Vouchers {
            symbols: Vec::new(),
            heads: Vec::new(),
            rows: Vec::new(),
            pairs: Vec::new(),
            texts: Vec::new(),
            text_ends: vec![0],
            extras: Vec::new(),
            lookup: FxHashMap::default(),
        }
    }

    /// Number of vouchers.
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    /// Whether there are no vouchers.
    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// Number of rows of all vouchers (all kinds).
    pub fn row_count(&self) -> usize {
        self.heads
            .iter()
            .map(|h| (h.rows_end - h.rows_start) as usize)
            .sum()
    }

    /// The vouchers in file order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = VoucherRef<'_>> + DoubleEndedIterator {
        self.heads
            .iter()
            .map(move |head| VoucherRef { store: self, head })
    }

    /// The voucher at `index` (file order).
    pub fn get(&self, index: usize) -> Option<VoucherRef<'_>> {
        self.heads
            .get(index)
            .map(|head| VoucherRef { store: self, head })
    }

    /// The last voucher.
    pub fn last(&self) -> Option<VoucherRef<'_>> {
        self.heads
            .last()
            .map(|head| VoucherRef { store: self, head })
    }

    /// Removes every voucher; interned symbols are kept (they are shared with the header).
    pub fn clear(&mut self) {
        self.heads.clear();
        self.rows.clear();
        self.pairs.clear();
        self.texts.clear();
        self.text_ends.clear();
        self.text_ends.push(0);
        self.extras.clear();
    }

    /// Stores object list `list`, returning its start in [`Vouchers::pairs`] (0 for the
    /// empty list).
    #[inline]
    pub(crate) fn add_list(&mut self, list: &[Pair]) -> u32 {
        if list.is_empty() {
            return 0;
        }
        let start = u32::try_from(self.pairs.len()).unwrap_or(u32::MAX);
        // Lists are short: element by element beats a call to copy the slice.
        for &p in list {
            self.pairs.push(p);
        }
        start
    }

    /// Where a list of `n` pairs (at most four) that the hot path is about to add with
    /// [`Vouchers::push_pair`] starts ([`Vouchers::add_list`]'s value for it), with room
    /// made for the four.
    #[inline(always)]
    pub(crate) fn begin_list4(&mut self, n: usize) -> u32 {
        debug_assert!(n <= 4);
        self.pairs.reserve(4);
        if n == 0 {
            return 0;
        }
        u32::try_from(self.pairs.len()).unwrap_or(u32::MAX)
    }

    /// Adds a pair of the list begun with [`Vouchers::begin_list4`].
    #[inline(always)]
    pub(crate) fn push_pair(&mut self, p: Pair) {
        self.pairs.push(p);
    }

    /// Sets every source line to 0 (for comparing the data of two reads).
    pub(crate) fn clear_lines(&mut self) {
        for h in &mut self.heads {
            h.line = 0;
        }
        for r in &mut self.rows {
            r.line = 0;
        }
    }

    /// A view of row `index` of the store.
    #[inline]
    pub(crate) fn row_ref(&self, index: usize) -> RowRef<'_> {
        RowRef {
            store: self,
            row: &self.rows[index],
        }
    }

    /// Removes the text and extra fields of `row`, the last ones added (its object list
    /// may be shared and stays).
    pub(crate) fn discard_parts(&mut self, row: &Row) {
        let mut text = row.text;
        if row.has_extra() {
            if row.text as usize + 1 == self.extras.len() {
                text = self.extras.pop().map_or(NO_TEXT, |e| e.text);
            } else {
                text = NO_TEXT;
            }
        }
        if text != NO_TEXT && text as usize == self.text_ends.len() - 1 {
            self.text_ends.pop();
            let end = self.text_ends.last().copied().unwrap_or(0);
            self.texts.truncate(end);
        }
    }

    /// [`RowRef::copy_difference`] of the row at `index` and `copy` (not stored).
    pub(crate) fn copy_difference_at(&self, index: usize, copy: &Row) -> Option<String> {
        if index >= self.rows.len() {
            return None;
        }
        self.row_ref(index).copy_difference(&RowRef {
            store: self,
            row: copy,
        })
    }

    /// Joins the `#RTRANS` row at `index` and `copy`, the `#TRANS` after it that the copy rule
    /// (module docs) takes as its copy, whose text and extra fields were the last ones added
    /// (`copy` itself is not stored).
    pub(crate) fn merge_copy(&mut self, index: usize, copy: &Row) {
        let (text, quantity, signature) = {
            let c = RowRef {
                store: self,
                row: copy,
            };
            (
                c.text().map(str::to_string),
                c.quantity(),
                c.signature().map(str::to_string),
            )
        };
        self.discard_parts(copy);
        self.resolve_added(index, copy.date, text, quantity, signature);
    }

    /// Settles the `#RTRANS` row at `index`: the date written on it becomes its registration
    /// date, `date` (its copy's, 0 for none) its transaction date, and what its copy gives
    /// fills what it lacks.
    pub(crate) fn resolve_added(
        &mut self,
        index: usize,
        date: u32,
        text: Option<String>,
        quantity: Option<Quantity>,
        signature: Option<String>,
    ) {
        let Some(&row) = self.rows.get(index) else {
            return;
        };
        let r = RowRef {
            store: self,
            row: &row,
        };
        let own_text = if row.has_extra() {
            r.extra().map_or(NO_TEXT, |e| e.text)
        } else {
            row.text
        };
        let quantity = r.quantity().or(quantity);
        let signature = r.signature().map(str::to_string).or(signature);
        let registered = unpack_date(row.date);
        let text = match (own_text, text) {
            (NO_TEXT, Some(t)) => self.add_text(&t),
            (own, _) => own,
        };
        let mut row = row;
        row.date = date;
        // Its quantity (a zero one included) is in `quantity` now.
        row.meta &= !ZERO_QUANTITY_FLAG;
        if row.has_extra() {
            if let Some(e) = self.extras.get_mut(row.text as usize) {
                *e = Extra {
                    text,
                    quantity,
                    signature,
                    registered,
                };
            }
        } else {
            let (text, flag) = self.text_and_extra(text, quantity, signature, registered);
            row.text = text;
            row.meta |= flag;
        }
        self.rows[index] = row;
    }

    /// Reserves room for the vouchers of a file of `bytes` bytes (a guess; pages never
    /// written cost nothing, and growing a large block moves no data).
    pub(crate) fn reserve_for(&mut self, bytes: usize) {
        self.rows.reserve(bytes / 40);
        self.pairs.reserve(bytes / 40);
        self.heads.reserve(bytes / 160);
        self.text_ends.reserve(bytes / 64);
        self.texts.reserve(bytes / 8);
        huge_pages(&self.rows);
        huge_pages(&self.pairs);
        huge_pages(&self.heads);
        huge_pages(&self.text_ends);
        huge_pages(&self.texts);
    }

    /// The text of a symbol id.
    #[inline]
    pub(crate) fn sym(&self, id: u32) -> &Sym {
        &self.symbols[id as usize]
    }

    /// The text with id `id` (`None` for [`NO_TEXT`]).
    #[inline]
    pub(crate) fn text(&self, id: u32) -> Option<&str> {
        if id == NO_TEXT {
            return None;
        }
        std::str::from_utf8(self.text_bytes(id)).ok()
    }

    /// The bytes (UTF-8) of text `id`; empty for [`NO_TEXT`].
    #[inline]
    pub(crate) fn text_bytes(&self, id: u32) -> &[u8] {
        if id == NO_TEXT {
            return &[];
        }
        let k = id as usize;
        &self.texts[self.text_ends[k - 1]..self.text_ends[k]]
    }

    /// Adds a text, returning its id; the empty text is stored as none.
    #[inline]
    pub(crate) fn add_text(&mut self, text: &str) -> u32 {
        if text.is_empty() {
            return NO_TEXT;
        }
        self.add_text_bytes(text.as_bytes())
    }

    /// Adds a text given as UTF-8 bytes, returning its id; the empty text is stored as none.
    #[inline]
    pub(crate) fn add_text_bytes(&mut self, text: &[u8]) -> u32 {
        if text.is_empty() {
            return NO_TEXT;
        }
        self.texts.extend_from_slice(text);
        self.close_text()
    }

    /// Ends the text appended to [`Vouchers::texts`] since the last one, returning its id
    /// (none when nothing was appended).
    #[inline]
    pub(crate) fn close_text(&mut self) -> u32 {
        let end = self.texts.len();
        if self.text_ends.last() == Some(&end) {
            return NO_TEXT;
        }
        self.text_ends.push(end);
        u32::try_from(self.text_ends.len() - 1).unwrap_or(NO_TEXT)
    }

    /// The `text` field and the flag to add to `meta` of a row with text id `text` and the
    /// rare fields (stored aside only when one is given).
    pub(crate) fn text_and_extra(
        &mut self,
        text: u32,
        quantity: Option<Quantity>,
        signature: Option<String>,
        registered: Option<Date>,
    ) -> (u32, u32) {
        if signature.is_none() && registered.is_none() {
            match quantity {
                None => return (text, 0),
                Some(Quantity::ZERO) => return (text, ZERO_QUANTITY_FLAG),
                Some(_) => {}
            }
        }
        self.extras.push(Extra {
            text,
            quantity,
            signature,
            registered,
        });
        let index = u32::try_from(self.extras.len() - 1).unwrap_or(u32::MAX);
        (index, EXTRA_FLAG)
    }

    /// The symbol id of `text`, adding it when new (for [`Vouchers::push`]).
    fn intern(&mut self, text: &str) -> u32 {
        if self.lookup.len() < self.symbols.len() {
            // Symbols added by the parser: index them once.
            for (i, s) in self.symbols.iter().enumerate().skip(self.lookup.len()) {
                self.lookup.entry(s.clone()).or_insert(i as u32);
            }
        }
        if let Some(&id) = self.lookup.get(text) {
            return id;
        }
        let sym: Sym = Arc::from(text);
        let id = u32::try_from(self.symbols.len()).unwrap_or(u32::MAX);
        self.symbols.push(sym.clone());
        self.lookup.insert(sym, id);
        id
    }

    /// Appends a voucher.
    pub fn push(&mut self, v: &VoucherData) {
        self.push_parts(
            &v.series,
            &v.number,
            v.date,
            v.text.as_deref(),
            v.registered,
            v.signature.as_deref(),
            v.line,
            v.rows.iter().map(|r| RowParts {
                kind: r.kind,
                account: &r.account,
                objects: r.objects.iter().map(|(d, id)| (*d, id.as_str())).collect(),
                amount: r.amount,
                date: r.date,
                text: r.text.as_deref(),
                quantity: r.quantity,
                signature: r.signature.as_deref(),
                registered: r.registered,
                line: r.line,
            }),
        );
    }

    /// Appends a copy of a voucher of another store (or of the streaming reader).
    pub fn push_ref(&mut self, v: VoucherRef<'_>) {
        self.push_parts(
            v.series(),
            v.number(),
            v.date(),
            v.text(),
            v.registered(),
            v.signature(),
            v.line(),
            v.rows().map(|r| RowParts {
                kind: r.kind(),
                account: r.account(),
                objects: r.objects().map(|(d, id)| (d, &**id)).collect(),
                amount: r.amount(),
                date: r.date(),
                text: r.text(),
                quantity: r.quantity(),
                signature: r.signature(),
                registered: r.registered(),
                line: r.line(),
            }),
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn push_parts<'a>(
        &mut self,
        series: &str,
        number: &str,
        date: Date,
        text: Option<&str>,
        registered: Option<Date>,
        signature: Option<&str>,
        line: u32,
        rows: impl Iterator<Item = RowParts<'a>>,
    ) {
        let series = self.intern(series);
        let number = self.add_text(number);
        let text = self.add_text(text.unwrap_or(""));
        let signature = self.add_text(signature.unwrap_or(""));
        let rows_start = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
        for r in rows {
            let account = self.intern(r.account);
            let n = r.objects.len();
            let list: Vec<Pair> = r
                .objects
                .into_iter()
                .map(|(dimension, id)| Pair {
                    dimension,
                    id: self.intern(id),
                })
                .collect();
            let objects = self.add_list(&list);
            let text = self.add_text(r.text.unwrap_or(""));
            let (text, flag) = self.text_and_extra(
                text,
                r.quantity,
                r.signature.map(str::to_string),
                r.registered,
            );
            self.rows.push(Row {
                amount: r.amount,
                account,
                objects,
                meta: Row::meta(r.kind, n) | flag,
                text,
                line: r.line,
                date: pack_date(r.date),
            });
        }
        let rows_end = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
        self.heads.push(Head {
            series,
            number,
            text,
            signature,
            date,
            registered,
            rows_start,
            rows_end,
            line,
        });
    }
}

/// What [`Vouchers::push_parts`] needs of a row.
struct RowParts<'a> {
    kind: RowKind,
    account: &'a str,
    objects: Vec<(u32, &'a str)>,
    amount: Amount,
    date: Option<Date>,
    text: Option<&'a str>,
    quantity: Option<Quantity>,
    signature: Option<&'a str>,
    registered: Option<Date>,
    line: u32,
}

impl<'a> IntoIterator for &'a Vouchers {
    type Item = VoucherRef<'a>;
    type IntoIter = Box<dyn Iterator<Item = VoucherRef<'a>> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl PartialEq for Vouchers {
    /// Equal when the vouchers read the same (symbol ids and storage order may differ).
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl Eq for Vouchers {}

impl fmt::Debug for Vouchers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Vouchers {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for v in self.iter() {
            seq.serialize_element(&v)?;
        }
        seq.end()
    }
}

/// A voucher read from a file: `#VER` and its rows.
#[derive(Clone, Copy)]
pub struct VoucherRef<'a> {
    store: &'a Vouchers,
    head: &'a Head,
}

impl<'a> VoucherRef<'a> {
    /// Series (may be empty).
    pub fn series(&self) -> &'a str {
        self.store.sym(self.head.series)
    }

    /// Number within the series (may be empty).
    pub fn number(&self) -> &'a str {
        self.store.text(self.head.number).unwrap_or("")
    }

    /// Voucher date.
    pub fn date(&self) -> Date {
        self.head.date
    }

    /// Text.
    pub fn text(&self) -> Option<&'a str> {
        self.store.text(self.head.text)
    }

    /// Registration date.
    pub fn registered(&self) -> Option<Date> {
        self.head.registered
    }

    /// Signature.
    pub fn signature(&self) -> Option<&'a str> {
        self.store.text(self.head.signature)
    }

    /// Source line of `#VER` (0 when unknown).
    pub fn line(&self) -> u32 {
        self.head.line
    }

    /// The rows in file order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = RowRef<'a>> + DoubleEndedIterator + 'a {
        let store = self.store;
        self.raw_rows().iter().map(move |row| RowRef { store, row })
    }

    /// Number of rows (all kinds).
    pub fn row_count(&self) -> usize {
        (self.head.rows_end - self.head.rows_start) as usize
    }

    fn raw_rows(&self) -> &'a [Row] {
        self.store
            .rows
            .get(self.head.rows_start as usize..self.head.rows_end as usize)
            .unwrap_or(&[])
    }

    /// Sum of the rows that count (normal and added): zero for a balanced voucher.
    pub fn balance(&self) -> Amount {
        self.raw_rows()
            .iter()
            .filter(|r| r.kind().counts())
            .fold(Amount::ZERO, |a, r| a + r.amount)
    }

    /// An owned copy.
    pub fn to_data(&self) -> VoucherData {
        VoucherData {
            series: self.series().to_string(),
            number: self.number().to_string(),
            date: self.date(),
            text: self.text().map(str::to_string),
            registered: self.registered(),
            signature: self.signature().map(str::to_string),
            rows: self.rows().map(|r| r.to_data()).collect(),
            line: self.line(),
        }
    }
}

impl PartialEq for VoucherRef<'_> {
    fn eq(&self, o: &Self) -> bool {
        self.series() == o.series()
            && self.number() == o.number()
            && self.date() == o.date()
            && self.text() == o.text()
            && self.registered() == o.registered()
            && self.signature() == o.signature()
            && self.line() == o.line()
            && self.row_count() == o.row_count()
            && self.rows().zip(o.rows()).all(|(a, b)| a == b)
    }
}

impl fmt::Debug for VoucherRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Voucher")
            .field("series", &self.series())
            .field("number", &self.number())
            .field("date", &self.date())
            .field("text", &self.text())
            .field("registered", &self.registered())
            .field("signature", &self.signature())
            .field("line", &self.line())
            .field("rows", &self.rows().collect::<Vec<_>>())
            .finish()
    }
}

impl Serialize for VoucherRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Rows<'a>(VoucherRef<'a>);
        impl Serialize for Rows<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.rows())
            }
        }
        let mut st = s.serialize_struct("Voucher", 7)?;
        st.serialize_field("series", self.series())?;
        st.serialize_field("number", self.number())?;
        st.serialize_field("date", &self.date())?;
        st.serialize_field("text", &self.text())?;
        st.serialize_field("registered", &self.registered())?;
        st.serialize_field("signature", &self.signature())?;
        st.serialize_field("rows", &Rows(*self))?;
        st.end()
    }
}

/// A voucher row (`#TRANS`, `#RTRANS`, `#BTRANS`).
#[derive(Clone, Copy)]
pub struct RowRef<'a> {
    store: &'a Vouchers,
    row: &'a Row,
}

impl<'a> RowRef<'a> {
    /// Normal, added or removed.
    pub fn kind(&self) -> RowKind {
        self.row.kind()
    }

    /// Account number.
    pub fn account(&self) -> &'a str {
        self.store.sym(self.row.account)
    }

    /// Account number as a shared text (cheap to clone).
    pub fn account_sym(&self) -> &'a Sym {
        self.store.sym(self.row.account)
    }

    /// The object list: (dimension, object id) pairs in file order.
    pub fn objects(&self) -> impl ExactSizeIterator<Item = (u32, &'a Sym)> + 'a {
        let store = self.store;
        let start = self.row.objects as usize;
        store
            .pairs
            .get(start..start + self.row.object_count())
            .unwrap_or(&[])
            .iter()
            .map(move |p| (p.dimension, store.sym(p.id)))
    }

    /// The object id given for `dimension`, if any.
    pub fn object(&self, dimension: u32) -> Option<&'a str> {
        self.objects()
            .find(|(d, _)| *d == dimension)
            .map(|(_, id)| &**id)
    }

    /// Amount (debit positive, credit negative).
    pub fn amount(&self) -> Amount {
        self.row.amount
    }

    /// Transaction date when the row gives one.
    pub fn date(&self) -> Option<Date> {
        unpack_date(self.row.date)
    }

    /// The booking date: the month the row counts in is this date's. The row's transaction
    /// date when it has one, else the voucher's (the rule, with corrected rows: module docs).
    pub fn booking_date(&self, voucher: &VoucherRef<'_>) -> Date {
        self.date().unwrap_or(voucher.date())
    }

    /// For an added row (`#RTRANS`): the date written on it, when the change was registered.
    pub fn registered(&self) -> Option<Date> {
        self.extra().and_then(|e| e.registered)
    }

    /// Row text.
    pub fn text(&self) -> Option<&'a str> {
        match self.extra() {
            Some(e) => self.store.text(e.text),
            None if self.row.has_extra() => None,
            None => self.store.text(self.row.text),
        }
    }

    fn extra(&self) -> Option<&'a Extra> {
        if !self.row.has_extra() {
            return None;
        }
        self.store.extras.get(self.row.text as usize)
    }

    /// Quantity, when given.
    pub fn quantity(&self) -> Option<Quantity> {
        if self.row.meta & ZERO_QUANTITY_FLAG != 0 {
            return Some(Quantity::ZERO);
        }
        self.extra().and_then(|e| e.quantity)
    }

    /// Signature, when given.
    pub fn signature(&self) -> Option<&'a str> {
        self.extra().and_then(|e| e.signature.as_deref())
    }

    /// Source line (0 when unknown).
    pub fn line(&self) -> u32 {
        self.row.line
    }

    /// An owned copy.
    pub fn to_data(&self) -> RowData {
        RowData {
            kind: self.kind(),
            account: self.account().to_string(),
            objects: self.objects().map(|(d, id)| (d, id.to_string())).collect(),
            amount: self.amount(),
            date: self.date(),
            text: self.text().map(str::to_string),
            quantity: self.quantity(),
            signature: self.signature().map(str::to_string),
            registered: self.registered(),
            line: self.line(),
        }
    }

    /// Whether two rows read the same apart from kind and line (an `#RTRANS` and the
    /// `#TRANS` copy written after it).
    pub(crate) fn same_content(&self, o: &RowRef<'_>) -> bool {
        self.account() == o.account()
            && self.amount() == o.amount()
            && self.row.date == o.row.date
            && self.text() == o.text()
            && self.quantity() == o.quantity()
            && self.signature() == o.signature()
            && self.registered() == o.registered()
            && self.same_objects(o)
    }

    /// Whether the two rows have the same object list.
    fn same_objects(&self, o: &RowRef<'_>) -> bool {
        self.row.object_count() == o.row.object_count()
            && self
                .objects()
                .zip(o.objects())
                .all(|(a, b)| a.0 == b.0 && a.1 == b.1)
    }

    /// How `copy` (the `#TRANS` after this `#RTRANS`) differs from this row in what the copy
    /// rule compares (account, object list, amount), in Swedish; `None` when it is the copy.
    pub(crate) fn copy_difference(&self, copy: &RowRef<'_>) -> Option<String> {
        if self.account() != copy.account() {
            return Some(format!(
                "kontot {} i stället för {}",
                copy.account(),
                self.account()
            ));
        }
        if !self.same_objects(copy) {
            return Some(format!(
                "objektlistan {} i stället för {}",
                copy.objects_text(),
                self.objects_text()
            ));
        }
        if self.amount() != copy.amount() {
            return Some(format!(
                "beloppet {} i stället för {}",
                copy.amount(),
                self.amount()
            ));
        }
        None
    }

    /// The object list as written in SIE (`{1 "10" 6 "P1"}`), for messages.
    fn objects_text(&self) -> String {
        let pairs: Vec<String> = self
            .objects()
            .map(|(d, id)| format!("{d} \"{id}\""))
            .collect();
        format!("{{{}}}", pairs.join(" "))
    }
}

impl PartialEq for RowRef<'_> {
    fn eq(&self, o: &Self) -> bool {
        self.kind() == o.kind() && self.line() == o.line() && self.same_content(o)
    }
}

impl fmt::Debug for RowRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Row")
            .field("kind", &self.kind())
            .field("account", &self.account())
            .field("objects", &self.objects().collect::<Vec<_>>())
            .field("amount", &self.amount())
            .field("date", &self.date())
            .field("text", &self.text())
            .field("quantity", &self.quantity())
            .field("signature", &self.signature())
            .field("line", &self.line())
            .finish()
    }
}

impl Serialize for RowRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Objects<'a>(RowRef<'a>);
        impl Serialize for Objects<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                #[derive(Serialize)]
                struct Pair<'a> {
                    dimension: u32,
                    id: &'a str,
                }
                s.collect_seq(self.0.objects().map(|(dimension, id)| Pair {
                    dimension,
                    id: id.as_ref(),
                }))
            }
        }
        let mut st = s.serialize_struct("TransRow", 9)?;
        st.serialize_field("kind", &self.kind())?;
        st.serialize_field("account", self.account())?;
        st.serialize_field("objects", &Objects(*self))?;
        st.serialize_field("amount", &self.amount())?;
        st.serialize_field("date", &self.date())?;
        st.serialize_field("text", &self.text())?;
        st.serialize_field("quantity", &self.quantity())?;
        st.serialize_field("signature", &self.signature())?;
        match self.registered() {
            Some(d) => st.serialize_field("registered", &d)?,
            None => st.skip_field("registered")?,
        }
        st.end()
    }
}

/// An owned voucher, for building files ([`Vouchers::push`]) and for keeping a voucher
/// beyond the streaming reader's next step ([`VoucherRef::to_data`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoucherData {
    /// Series (may be empty).
    pub series: String,
    /// Number within the series (may be empty).
    pub number: String,
    /// Voucher date.
    pub date: Date,
    /// Text.
    pub text: Option<String>,
    /// Registration date.
    pub registered: Option<Date>,
    /// Signature.
    pub signature: Option<String>,
    /// Rows in file order.
    pub rows: Vec<RowData>,
    /// Source line of `#VER` (0 when built).
    #[serde(skip)]
    pub line: u32,
}

/// An owned voucher row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowData {
    /// Normal, added or removed.
    pub kind: RowKind,
    /// Account number.
    pub account: String,
    /// (dimension, object id) pairs.
    pub objects: Vec<(u32, String)>,
    /// Amount.
    pub amount: Amount,
    /// Transaction date when it differs from the voucher's.
    pub date: Option<Date>,
    /// Row text.
    pub text: Option<String>,
    /// Quantity.
    pub quantity: Option<Quantity>,
    /// Signature.
    pub signature: Option<String>,
    /// For an added row (`#RTRANS`): when the change was registered (the date written on
    /// the `#RTRANS`; see the module docs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registered: Option<Date>,
    /// Source line (0 when built).
    #[serde(skip)]
    pub line: u32,
}

impl RowData {
    /// A normal row with account, objects and amount only.
    pub fn new(account: impl Into<String>, objects: Vec<(u32, String)>, amount: Amount) -> Self {
        RowData {
            kind: RowKind::Normal,
            account: account.into(),
            objects,
            amount,
            date: None,
            text: None,
            quantity: None,
            signature: None,
            registered: None,
            line: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_is_32_bytes() {
        assert_eq!(std::mem::size_of::<Row>(), 32);
    }

    #[test]
    fn push_and_read_back() {
        let mut store = Vouchers::new();
        let d = Date::new(2023, 3, 1).unwrap();
        let mut r1 = RowData::new(
            "3010",
            vec![(1, "10".into()), (6, "P1".into())],
            Amount(-500),
        );
        r1.text = Some("Åby".into());
        r1.quantity = Some(Quantity::parse(b"2.5").unwrap());
        let mut r2 = RowData::new("1930", vec![], Amount(500));
        r2.kind = RowKind::Added;
        r2.date = Some(Date::new(2023, 3, 2).unwrap());
        let v = VoucherData {
            series: "A".into(),
            number: "1".into(),
            date: d,
            text: Some("Faktura".into()),
            registered: None,
            signature: Some("kg".into()),
            rows: vec![r1, r2],
            line: 7,
        };
        store.push(&v);
        store.push(&v);
        assert_eq!(store.len(), 2);
        assert_eq!(store.row_count(), 4);
        let got = store.get(1).unwrap();
        assert_eq!(got.to_data(), v);
        assert_eq!(got.balance(), Amount::ZERO);
        let r = got.rows().next().unwrap();
        assert_eq!(r.object(6), Some("P1"));
        assert_eq!(r.object(2), None);
        // Symbols are shared between the two copies.
        assert_eq!(store.symbols.len(), 5);
        let mut copy = Vouchers::new();
        copy.push_ref(got);
        assert_eq!(copy.get(0).unwrap(), got);
        let json = serde_json::to_string(&store.get(0).unwrap()).unwrap();
        assert!(
            json.contains(r#""objects":[{"dimension":1,"id":"10"},{"dimension":6,"id":"P1"}]"#),
            "{json}"
        );
        assert!(
            json.contains(r#""text":"Åby","quantity":"2.5","signature":null"#),
            "{json}"
        );
    }
}
