//! The line-level SIE parser shared by the whole-buffer and the streaming readers: the
//! parser state ([`Core`]), the dispatcher that sends each line to the hot path or to the
//! general record reader, diagnostics, interning, and the whole-buffer loop.
//!
//! Where things are:
//! - [`fields`]: splitting a line into fields for the general reader (every record, every
//!   diagnostic).
//! - [`hot`]: the hot path for the usual voucher rows and `#VER` lines (bit masks of the line).
//! - [`voucher`]: `#VER`, voucher rows, corrected rows (`#RTRANS` and its copy), the voucher
//!   checks.
//! - [`header`]: every other record (`#KONTO`, `#RAR`, `#PSALDO`, …).
//! - [`checksum`]: the `#KSUMMA` checksum.

use crate::amount::{Amount, NumberError, Quantity};
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::encoding::{self, Encoding};
use crate::intern::{short_key, small_key, Found, KeyTable};
use crate::model::*;
use crate::{ParseOptions, Parsed, ReadStats};
use rustc_hash::FxHashMap;
use std::borrow::Cow;

mod checksum;
mod fields;
mod header;
mod hot;
pub(crate) mod parallel;
mod voucher;

pub(crate) use checksum::line_checksum_content;
use checksum::*;
use fields::*;
use hot::*;
use parallel::ForkState;
use voucher::*;
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
#[derive(Clone)]
pub(crate) struct Core {
    path: String,
    strict: bool,
    pub(crate) encoding: Encoding,
    /// Whether voucher and row texts are decoded and stored ([`crate::ParseOptions::texts`]).
    pub(crate) texts: bool,
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
    /// The last row stored is an `#RTRANS` whose `#TRANS` copy may follow: the column of its
    /// label.
    added: Option<u32>,
    ksumma: Checksum,
    fields: Vec<Field>,
    inner: Vec<Field>,
    pub(crate) line_no: u32,
    /// Lines read by each path.
    pub(crate) stats: ReadStats,
    seen_record: bool,
    not_sie: bool,
    /// Errors and warnings not listed after [`MAX_DIAGNOSTICS`].
    suppressed: (u64, u64),
    /// Whether voucher rows may take the fast path (off in tests comparing both paths).
    fast_rows: bool,
    /// Records read so far that can change how later voucher lines read: every record but
    /// the voucher records (`#VER`, `#TRANS`, `#RTRANS`, `#BTRANS`) and the balances
    /// ([`is_balance_label`]). A fork for the parallel reader is merged only if none came
    /// between the fork and the merge ([`parallel`]).
    header_records: u64,
    /// A fork of the parallel reader: it stops (see `stopped`) before a line it cannot read
    /// without the state of the lines before it, and keeps the bytes of the symbols it adds.
    fork: Option<Box<ForkState>>,
}

/// Whether `label` (upper case) is a balance record: `#IB`, `#UB`, `#RES`, `#OIB`, `#OUB`,
/// `#PSALDO` or `#PBUDGET`. Reading one changes nothing that reading a voucher looks at (it
/// adds a balance, may add symbols, and may give a diagnostic of its own), so the parallel
/// reader's helpers may start on the vouchers while the header's balances are still read.
pub(crate) fn is_balance_label(label: &[u8]) -> bool {
    matches!(
        label,
        b"#IB" | b"#UB" | b"#RES" | b"#OIB" | b"#OUB" | b"#PSALDO" | b"#PBUDGET"
    )
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
            texts: options.texts,
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
            added: None,
            ksumma: Checksum::default(),
            fields: Vec::with_capacity(16),
            inner: Vec::with_capacity(8),
            line_no: 0,
            stats: ReadStats::default(),
            seen_record: false,
            not_sie: false,
            suppressed: (0, 0),
            fast_rows: true,
            header_records: 0,
            fork: None,
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
        let path = self.path.clone();
        self.push_diagnostic(Diagnostic {
            severity,
            path,
            line,
            column,
            message,
            code,
        });
    }

    /// Lists `d`, or counts it once [`MAX_DIAGNOSTICS`] are listed.
    fn push_diagnostic(&mut self, d: Diagnostic) {
        if self.diags.len() >= MAX_DIAGNOSTICS {
            // Bounded memory on pathological input: count the rest.
            match d.severity {
                Severity::Error => self.suppressed.0 += 1,
                Severity::Warning => self.suppressed.1 += 1,
            }
            return;
        }
        self.diags.push(d);
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
            return self.intern_small(small_key(bytes), bytes).0;
        }
        self.intern_large(bytes)
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
        if let Some(fork) = self.fork.as_mut() {
            fork.new_raw.push(bytes.into());
        }
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
        if !self.encoding_known && self.fork.is_some() && !raw.is_ascii() {
            // A fork cannot decide the encoding: the lines before its range might have.
            self.stop_fork();
            return false;
        }
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
        let split_err = split(line, &mut fields);
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
        let label_f = fields[0];
        let label_raw = &line[label_f.start as usize..label_f.end as usize];
        let upper;
        let label: &[u8] = if label_raw.iter().any(|b| b.is_ascii_lowercase()) {
            upper = label_raw.to_ascii_uppercase();
            &upper
        } else {
            label_raw
        };
        match label {
            b"#TRANS" | b"#RTRANS" | b"#BTRANS" => self.stats.general_rows += 1,
            b"#VER" => self.stats.general_vers += 1,
            _ if self.fork.is_some() => {
                // Not a voucher record: the lines before the fork's range might change
                // what it means (and it changes what the lines after it mean). The line is
                // left to the reader that goes on from here.
                self.line_no -= 1;
                self.stop_fork();
                return false;
            }
            _ if is_balance_label(label) => self.stats.general_balances += 1,
            _ => self.header_records += 1,
        }
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
            stats: self.stats,
        }
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

/// The position of the next `\n` at or after `from`, or the length. Lines are short (30–80
/// bytes): the first step looks at 128 bytes, which hold the end of nearly every line, so
/// that whether they do is rarely mispredicted (a loop of 16-byte steps ended after a
/// varying number of steps on every line, and a first step of 64 bytes missed the end of
/// half the lines of a Unit4 export); then 16-byte steps, then `memchr`.
#[inline(always)]
pub(crate) fn line_end(bytes: &[u8], from: usize) -> usize {
    if let Some(block) = bytes.get(from..).and_then(|rest| rest.first_chunk::<128>()) {
        let found = crate::scan::newlines128(block);
        if found != 0 {
            return from + found.trailing_zeros() as usize;
        }
    }
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
pub(crate) const DETECT_PREFIX: usize = 1 << 20;

/// Whole-buffer parse.
pub(crate) fn parse_buffer(bytes: &[u8], options: &ParseOptions, hot_path: bool) -> Parsed {
    let mut core = buffer_core(bytes, options, hot_path);
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

/// [`parse_buffer`] handing each voucher to `each` when it ends and then dropping it, so that
/// memory holds one voucher at a time (as the streaming reader does), with the reading of
/// the whole-buffer reader: the same encoding decision, the same hot path.
pub(crate) fn parse_buffer_each(
    bytes: &[u8],
    options: &ParseOptions,
    each: &mut dyn FnMut(&SieFile, crate::VoucherRef<'_>),
) -> Parsed {
    let mut core = buffer_core(bytes, options, true);
    let hand = |core: &mut Core, each: &mut dyn FnMut(&SieFile, crate::VoucherRef<'_>)| {
        if let Some(v) = core.file.vouchers.last() {
            each(&core.file, v);
        }
        core.clear_vouchers();
    };
    let mut start = 0usize;
    while start < bytes.len() {
        let end = line_end(bytes, start);
        let line = &bytes[start..];
        let len = end - start;
        start = end + 1;
        if core.feed(line, len) {
            hand(&mut core, each);
        }
        if core.is_not_sie() {
            break;
        }
    }
    if core.finish() {
        hand(&mut core, each);
    }
    core.clear_vouchers();
    core.into_parsed()
}

/// The parser for a whole buffer: the encoding decided from its first MiB.
fn buffer_core(bytes: &[u8], options: &ParseOptions, hot_path: bool) -> Core {
    let mut core = Core::new(options);
    core.fast_rows = hot_path;
    if !core.encoding_known {
        let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
        core.apply_detected(encoding::detect(prefix), bytes.len());
    }
    core
}

impl Core {
    /// Decides the encoding, unless the options force one, from what
    /// [`encoding::detect`] found in the first [`DETECT_PREFIX`] bytes of an input of
    /// `len` bytes. The first MiB decides (a whole-file scan would cost as much as
    /// reading a UTF-8 file); when it is all ASCII, the first line with letters outside
    /// ASCII decides, as in the streaming reader.
    pub(crate) fn apply_detected(&mut self, detected: Option<Encoding>, len: usize) {
        if self.encoding_known {
            return;
        }
        if let Some(e) = detected {
            self.encoding = e;
            self.encoding_known = true;
        } else {
            self.encoding_known = len <= DETECT_PREFIX;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // Lines of every length from 0 to 200 (inside and past the first 128-byte step),
        // the last without its newline.
        let mut text = Vec::new();
        for len in (0..=200).chain((0..=200).rev()) {
            text.extend((0..len).map(|k| b'a' + (k % 26) as u8));
            text.push(b'\n');
        }
        text.extend_from_slice(b"no newline after me");
        let mut expected: Vec<usize> = memchr::memchr_iter(b'\n', &text).collect();
        expected.push(text.len());
        for from in [0, 1, 63, 64, 65, 1000] {
            let first = expected.iter().copied().find(|&e| e >= from).unwrap();
            assert_eq!(line_end(&text, from), first, "from {from}");
        }
        let (mut got, mut start) = (Vec::new(), 0);
        while start < text.len() {
            let end = line_end(&text, start);
            got.push(end);
            start = end + 1;
        }
        assert_eq!(got, expected);
    }
}
