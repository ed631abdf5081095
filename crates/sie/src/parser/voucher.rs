//! Vouchers: `#VER`, the voucher rows of the general reader, corrected rows (an `#RTRANS`
//! and the `#TRANS` copy after it, see [`crate::vouchers`] for the rule), and the checks of
//! a voucher (balance, dates in the year, duplicate numbers).

use super::*;
use crate::vouchers::{pack_date, unpack_date, Head, Pair, Row, NO_TEXT};
use rustc_hash::FxHashSet;
/// Voucher numbers seen per series, for the duplicate check. Numeric numbers are kept as
/// merged ranges, so memory stays small for the usual gap-free numbering.
#[derive(Default, Clone)]
pub(super) struct VoucherKeys {
    pub(super) ranges: FxHashMap<u32, std::collections::BTreeMap<u64, u64>>,
    pub(super) other: FxHashSet<(u32, Box<[u8]>)>,
    /// The last range of each series seen lately, (series, start, end), whose end may be
    /// ahead of its entry in `ranges`: numbers that count up touch no map, also when the
    /// series take turns (as vouchers of several series are written in date order). At most
    /// [`TAILS`] series; the oldest is written back to make room.
    pub(super) tails: Vec<(u32, u64, u64)>,
}

/// How many series [`VoucherKeys::tails`] follows at once.
const TAILS: usize = 16;

impl VoucherKeys {
    /// Records `number` in `series`; false when it was already there.
    // Called from `begin_voucher` in this module; inlined there as it was before the parser
    // was split into modules (0.4 M instructions on the 100 000-row file).
    #[inline]
    pub(super) fn insert(&mut self, series: u32, number: &[u8]) -> bool {
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
        let at = self.tails.iter().position(|t| t.0 == series);
        if let Some(k) = at {
            let t = &mut self.tails[k];
            if n == t.2 + 1 {
                t.2 = n;
                return true;
            }
            let (s, start, end) = self.tails.swap_remove(k);
            self.ranges.entry(s).or_default().insert(start, end);
        } else if self.tails.len() == TAILS {
            let (s, start, end) = self.tails.remove(0);
            self.ranges.entry(s).or_default().insert(start, end);
        }
        let fresh = self.insert_number(series, n);
        if let Some((&start, &end)) = self.ranges.get(&series).and_then(|m| m.last_key_value()) {
            self.tails.push((series, start, end));
        }
        fresh
    }

    /// Writes the last ranges back into `ranges` (for the parallel reader's merge).
    pub(super) fn flush_tail(&mut self) {
        for (s, start, end) in self.tails.drain(..) {
            self.ranges.entry(s).or_default().insert(start, end);
        }
    }

    /// [`VoucherKeys::insert`] of a number into the maps (with `tail` written back).
    pub(super) fn insert_number(&mut self, series: u32, n: u64) -> bool {
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

/// The voucher being read.
#[derive(Debug, Clone, Copy)]
pub(super) struct Current {
    pub(super) series: u32,
    pub(super) date: Date,
    pub(super) registered: Option<Date>,
    pub(super) line: u32,
    /// Its first row in `file.vouchers.rows`.
    pub(super) rows_start: u32,
    /// Text ids of its number, text and signature in the voucher store (stored when the
    /// `#VER` is read).
    pub(super) number: u32,
    pub(super) text: u32,
    pub(super) signature: u32,
    /// Sum of the counting rows so far.
    pub(super) sum: Amount,
    /// Whether any row has its own date (checked against the year at the end).
    pub(super) row_dates: bool,
}

/// What a `#VER` line gives, for [`Core::begin_voucher`]. Texts are the field contents as
/// read (not yet decoded).
pub(super) struct VerParts<'a> {
    pub(super) series: u32,
    pub(super) number: &'a [u8],
    /// Byte offset of the number field in the line, for the duplicate diagnostic.
    pub(super) number_offset: Option<usize>,
    pub(super) date: Date,
    pub(super) date_offset: usize,
    pub(super) text: &'a [u8],
    pub(super) registered: Option<Date>,
    pub(super) signature: &'a [u8],
    /// The line ends with the voucher's `{`.
    pub(super) open: bool,
}

impl Core {
    /// Finishes the current voucher with its checks.
    pub(super) fn finish_voucher(&mut self) -> bool {
        self.state = VerState::None;
        self.row_after_added(None);
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
                    .filter(|r| r.kind().counts())
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

    pub(super) fn ver(&mut self, line: &[u8], fields: &[Field]) -> RecResult<()> {
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
    pub(super) fn begin_voucher(&mut self, line: &[u8], v: VerParts<'_>) {
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
        let text = if self.texts { v.text } else { &[] };
        let (number, text, signature) = (add(v.number), add(text), add(v.signature));
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
        self.added = None;
        self.state = if v.open {
            VerState::Open
        } else {
            VerState::AwaitOpen
        };
    }

    pub(super) fn row(&mut self, line: &[u8], fields: &[Field], kind: RowKind) -> RecResult<()> {
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
                self.push_row(row, fields.first().map_or(1, |f| f.start + 1));
                Ok(())
            }
            Err(p) => {
                self.damaged = true;
                Err(p)
            }
        }
    }

    /// Adds a row (whose object pairs and text are already stored) to the open voucher; its
    /// label starts at `column`. The row after an `#RTRANS` goes through
    /// [`Core::row_after_added`] first.
    #[inline(always)]
    pub(super) fn push_row(&mut self, row: Row, column: u32) {
        self.push_row_with(|| row, column);
    }

    /// [`Core::push_row`] for the row `make` builds: built where it is stored on the usual
    /// path, so that it is written straight into the store, field by field (a row built
    /// in memory and then copied was read back right after being written in smaller
    /// pieces, which stalled on every row).
    #[inline(always)]
    pub(super) fn push_row_with(&mut self, make: impl Fn() -> Row, column: u32) {
        if self.added.is_some() || self.cur.is_none() {
            self.push_row_after_added(make(), column);
            return;
        }
        self.store_row(make(), column);
    }

    /// [`Core::push_row`] after an `#RTRANS` or outside a voucher (kept out of the usual
    /// path).
    #[cold]
    #[inline(never)]
    fn push_row_after_added(&mut self, row: Row, column: u32) {
        if self.added.is_some() && self.row_after_added(Some((row, column))) {
            return;
        }
        if self.cur.is_none() {
            self.file.vouchers.discard_parts(&row);
            return;
        }
        self.store_row(row, column);
    }

    /// Stores a row of the open voucher and counts it.
    #[inline(always)]
    fn store_row(&mut self, row: Row, column: u32) {
        let Some(cur) = self.cur.as_mut() else {
            return;
        };
        let kind = row.kind();
        self.file.vouchers.rows.push(row);
        if kind.counts() {
            cur.sum += row.amount;
        }
        match kind {
            // Its date is when the change was registered, settled by the next row.
            RowKind::Added => self.added = Some(column),
            // A removed row does not count: its date (often that of the change) is not checked.
            RowKind::Removed => {}
            RowKind::Normal if row.date != 0 => cur.row_dates = true,
            RowKind::Normal => {}
        }
    }

    /// Settles the pending `#RTRANS` (`added`, the row stored last) when the next row
    /// of its voucher is read (`next`, with its label's column) or the voucher ends (`None`),
    /// by the copy rule of [`crate::vouchers`]: true when `next` was its copy and is joined
    /// with it (and so is not stored); otherwise a warning.
    #[cold]
    #[inline(never)]
    pub(super) fn row_after_added(&mut self, next: Option<(Row, u32)>) -> bool {
        let Some(added) = self.added.take() else {
            return false;
        };
        let store = &mut self.file.vouchers;
        let Some(index) = store.rows.len().checked_sub(1) else {
            return false;
        };
        let added_line = store.rows[index].line;
        let difference = match next {
            Some((copy, _)) if copy.kind() == RowKind::Normal => {
                let difference = store.copy_difference_at(index, &copy);
                if difference.is_none() {
                    store.merge_copy(index, &copy);
                    if copy.date != 0 {
                        if let Some(cur) = self.cur.as_mut() {
                            cur.row_dates = true;
                        }
                    }
                    return true;
                }
                difference
            }
            _ => None,
        };
        store.resolve_added(index, 0, None, None, None);
        let (line, column, message) = match (next, difference) {
            (Some((copy, column)), Some(difference)) => (
                copy.line,
                column,
                format!(
                    "#TRANS efter #RTRANS på rad {added_line} har {difference}, så den är ingen kopia av den tillagda raden: båda räknas. Ett exportprogram skriver varje #RTRANS en gång till som #TRANS med samma konto, objekt och belopp; kontrollera verifikationen i bokföringsprogrammet"
                ),
            ),
            _ => (
                added_line,
                added,
                "#RTRANS (tillagd rad) följs inte av sin kopia som #TRANS med samma konto, objekt och belopp; raden räknas en gång, i verifikationens månad (datumet på #RTRANS är när ändringen registrerades). Kontrollera verifikationen i bokföringsprogrammet om raden ser fel ut".to_string(),
            ),
        };
        self.push_diag(Severity::Warning, line, column, Code::Correction, message);
        false
    }

    pub(super) fn row_inner(
        &mut self,
        line: &[u8],
        fields: &[Field],
        kind: RowKind,
    ) -> RecResult<Row> {
        let label = kind.label();
        let acc_f = fields.get(1).ok_or_else(|| missing(line, label, "konto"))?;
        let (acc_id, _) = self.sym_of(line, acc_f);
        self.note_first_use(acc_id, acc_f.start + 1);
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
        // Without texts (`ParseOptions::texts`) the field is not decoded at all.
        let text = fields
            .get(i + 2)
            .filter(|_| self.texts)
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
        let (text, flag) = store.text_and_extra(text, quantity, signature, None);
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
    pub(super) fn objects(&mut self, line: &[u8], f: &Field) -> RecResult<ObjectList> {
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
    pub(super) fn object_ids(&mut self, line: &[u8], f: &Field) -> RecResult<()> {
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

    pub(super) fn objects_inner(
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
}

pub(super) fn voucher_name(series: &str, number: &str, line: u32) -> String {
    let s = display_series(series);
    let n = if number.is_empty() {
        "(utan nummer)"
    } else {
        number
    };
    format!("{s} {n} (rad {line})")
}

pub(super) fn display_series(s: &str) -> String {
    if s.is_empty() {
        "\"\"".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        for round in 0..300 {
            let mut keys = VoucherKeys::default();
            let mut seen = std::collections::HashSet::new();
            // Two series in the first rounds; later up to 24 taking turns (more than
            // `TAILS`), each counting on from its own last number.
            let series_count = if round < 100 { 2 } else { 24 };
            let mut last = vec![next(20); series_count as usize];
            let mut series = 0u32;
            for _ in 0..400 {
                if next(3) == 0 {
                    series = next(series_count) as u32;
                }
                let n = &mut last[series as usize];
                *n = match next(10) {
                    0..=5 => *n + 1,
                    6 => *n + next(5) + 2,
                    7 => n.saturating_sub(next(8)),
                    _ => next(60),
                };
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
                if next(50) == 0 {
                    keys.flush_tail();
                }
            }
            // Everything written back: the maps hold every number inserted, no other.
            keys.flush_tail();
            let held: usize = keys
                .ranges
                .values()
                .flat_map(|m| m.iter().map(|(s, e)| (e - s + 1) as usize))
                .sum::<usize>()
                + keys.other.len();
            assert_eq!(held, seen.len());
        }
    }
}
