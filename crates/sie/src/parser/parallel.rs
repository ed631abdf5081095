//! The parallel reader: one buffer read on several threads with the result of the
//! whole-buffer reader.
//!
//! Before the header is read, the input after its first line beginning with `#VER` is cut
//! into ranges that each begin with such a line: a small first one, then large ones and
//! smaller ones towards the end ([`plan`]); a helper thread counts the newlines up to the
//! first range it may take (`LineCounts`) while the calling thread reads the header
//! (identification, chart, balances). Where the header's balances begin (`#IB`, `#PSALDO`, …: thousands of lines of
//! a municipal ledger, which change nothing a voucher's reading looks at), the helpers get
//! a *fork*, a copy of the parser as it stands then, and start on the ranges after the
//! first while the calling thread reads on (a header without balances: when it ends). Every
//! thread takes the next range not yet taken, until none is left: the calling thread first
//! reads the first range itself, the others read theirs with their fork, numbering lines
//! from the range's first line. A thread that meets a slow stretch (or a busy core) takes
//! fewer ranges, so the threads end together. A fork stops before a line it cannot read
//! without knowing the lines before its range (a record other than a voucher record, or a
//! line outside ASCII while the encoding is undecided); what it found in each range is
//! taken out of it when the range ends ([`RangeResult`]). When every range is read, the
//! calling thread merges the ranges' results in file order ([`Core::merge`]) and reads on
//! where a fork stopped. Where a range's result cannot be merged (the previous range ended
//! inside a voucher, a record other than a voucher or balance record came between, or a
//! voucher number of the range was used before it), the calling thread reads the range
//! again itself. So the diagnostics, the file, the statistics and the vouchers handed out
//! are those of [`super::parse_buffer_each`]; only the order in which vouchers are handed
//! out, and the symbol tables they come with, differ.

use super::*;
use crate::vouchers::VoucherRef;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

/// Below this many bytes of vouchers, [`parse_buffer_parallel`] reads on one thread.
pub(crate) const MIN_PARALLEL: usize = 4 << 20;

/// What a fork keeps besides the parser's state, for every range it reads.
#[derive(Clone)]
pub(crate) struct ForkState {
    /// The bytes of the symbols the fork added, by id from `base`.
    pub(super) new_raw: Vec<Box<[u8]>>,
    /// The number of symbols when it was forked.
    base: usize,
    /// `header_records` of the parser it was forked from, at the fork.
    header_records: u64,
    /// It stopped before the line it was fed last.
    stopped: bool,
    /// The first uses of symbols as accounts recorded in the current range, in order:
    /// (id, (line, column)).
    first_uses: Vec<(u32, (u32, u32))>,
}

/// What a fork found in one range: taken out of it when the range ends, merged by the
/// calling thread.
struct RangeResult {
    diags: Vec<Diagnostic>,
    suppressed: (u64, u64),
    stats: ReadStats,
    /// The CRC of the range's `#KSUMMA` content.
    crc: crc32fast::Hasher,
    voucher_keys: VoucherKeys,
    first_uses: Vec<(u32, (u32, u32))>,
    /// The fork's symbols added up to the range's end (`new_raw[..syms_end]`).
    syms_end: usize,
    /// Lines read up to where the range's reading ended.
    line_no: u32,
    /// It ended between vouchers.
    between: bool,
}

/// A range read by a fork: its index, what was found, the accumulator of its vouchers, and
/// where reading stopped (the range's end, or the start of the line the fork stopped before).
type Taken<A> = (usize, RangeResult, A, usize);

/// A voucher callback of the parallel reader, with the accumulator of the thread.
type Each<'f, A> = dyn Fn(&mut A, &SieFile, VoucherRef<'_>) + Sync + 'f;

/// The records of the header that reading vouchers never looks at (the balances and
/// unknown records): kept out of a fork (copying them for every fork cost up to a
/// millisecond on municipal headers).
#[derive(Default)]
struct Balances {
    opening: Vec<Balance>,
    closing: Vec<Balance>,
    object_opening: Vec<ObjectBalance>,
    object_closing: Vec<ObjectBalance>,
    results: Vec<Balance>,
    period: Vec<PeriodBalance>,
    budgets: Vec<PeriodBalance>,
    unknown: Vec<UnknownRecord>,
}

impl Balances {
    /// Swaps these records with those of `file`.
    fn swap(&mut self, file: &mut SieFile) {
        use std::mem::swap;
        swap(&mut self.opening, &mut file.opening_balances);
        swap(&mut self.closing, &mut file.closing_balances);
        swap(&mut self.object_opening, &mut file.object_opening_balances);
        swap(&mut self.object_closing, &mut file.object_closing_balances);
        swap(&mut self.results, &mut file.results);
        swap(&mut self.period, &mut file.period_balances);
        swap(&mut self.budgets, &mut file.period_budgets);
        swap(&mut self.unknown, &mut file.unknown_records);
    }
}

impl Core {
    /// Stops a fork before the line it was just fed (its line number not counted).
    pub(super) fn stop_fork(&mut self) {
        if let Some(f) = self.fork.as_mut() {
            f.stopped = true;
        }
    }

    fn stopped(&self) -> bool {
        self.fork.as_ref().is_some_and(|f| f.stopped)
    }

    /// Records the first use of the symbol `id` as an account, at `column` of the current
    /// line, unless it has one (in a fork, also in the range's list of first uses).
    #[inline]
    pub(super) fn note_first_use(&mut self, id: u32, column: u32) {
        let info = &mut self.info[id as usize];
        if info.first_use.0 == 0 {
            info.first_use = (self.line_no, column);
            if let Some(f) = self.fork.as_mut() {
                f.first_uses.push((id, info.first_use));
            }
        }
    }

    /// A fork of this parser for reading ranges of vouchers: the same header, symbols and
    /// checks; what it finds in each range is taken out with [`Core::end_range`].
    fn fork(&mut self) -> Core {
        // Not copied: the diagnostics so far (a fork begins each range without any) and the
        // header's balances.
        let diags = std::mem::take(&mut self.diags);
        let mut balances = Balances::default();
        balances.swap(&mut self.file);
        let mut c = self.clone();
        balances.swap(&mut self.file);
        self.diags = diags;
        c.fork = Some(Box::new(ForkState {
            new_raw: Vec::new(),
            base: self.file.vouchers.symbols.len(),
            header_records: self.header_records,
            stopped: false,
            first_uses: Vec::new(),
        }));
        c
    }

    /// Prepares a fork to read a range that begins after `line_no` lines, between vouchers.
    fn begin_range(&mut self, line_no: u32) {
        self.line_no = line_no;
        self.state = VerState::None;
        self.cur = None;
        self.damaged = false;
        self.added = None;
        self.prev_list = PrevList::default();
        self.clear_vouchers();
        self.diags.clear();
        self.suppressed = (0, 0);
        self.stats = ReadStats::default();
        self.ksumma.hasher = crc32fast::Hasher::new();
        self.ksumma.pos = 0;
        self.voucher_keys = VoucherKeys::default();
        if let Some(f) = self.fork.as_mut() {
            f.stopped = false;
            f.first_uses.clear();
        }
    }

    /// Takes what a fork found in the range it just read.
    fn end_range(&mut self) -> RangeResult {
        self.voucher_keys.flush_tail();
        self.ksumma.flush();
        let fork = self.fork.as_mut().expect("a fork reads ranges");
        RangeResult {
            diags: std::mem::take(&mut self.diags),
            suppressed: self.suppressed,
            stats: std::mem::take(&mut self.stats),
            crc: std::mem::replace(&mut self.ksumma.hasher, crc32fast::Hasher::new()),
            voucher_keys: std::mem::take(&mut self.voucher_keys),
            first_uses: std::mem::take(&mut fork.first_uses),
            syms_end: fork.new_raw.len(),
            line_no: self.line_no,
            between: self.state == VerState::None && self.cur.is_none(),
        }
    }

    /// The id of a symbol, without adding it.
    fn lookup(&self, bytes: &[u8]) -> Option<u32> {
        if bytes.len() < 16 {
            let key = small_key(bytes);
            let len = bytes.len();
            if len <= 7 {
                return match self.short.find(short_key(key as u64, len)) {
                    Found::At(i) => Some(self.short.id(i)),
                    Found::Free(_) => None,
                };
            }
            return match self.medium.find(key) {
                Found::At(i) => Some(self.medium.id(i)),
                Found::Free(_) => None,
            };
        }
        self.interner.get(bytes).copied()
    }

    /// Merges `r`, what the fork `fs` found reading the lines from where this parser
    /// stands; `map` holds this parser's ids of the fork's symbols merged so far (extended
    /// here). False, changing nothing, when the result is not what this parser would have
    /// found:
    /// - this parser is inside a voucher (the range began with a new voucher),
    /// - this parser read a record other than a voucher or balance record after the fork
    ///   was made,
    /// - the range ended inside a voucher, or
    /// - a voucher number of the range was used in the same series before it (the
    ///   duplicate is reported where it occurs when the range is read again).
    fn merge(&mut self, r: RangeResult, fs: &ForkState, map: &mut Vec<u32>) -> bool {
        if self.state != VerState::None
            || self.cur.is_some()
            || self.not_sie
            || self.header_records != fs.header_records
            || !r.between
        {
            return false;
        }
        let base = fs.base;
        // Duplicates across the ranges, looked up without adding symbols.
        self.voucher_keys.flush_tail();
        let known = |core: &Core, id: u32| -> Option<u32> {
            match (id as usize).checked_sub(base) {
                None => Some(id),
                Some(k) => core.lookup(&fs.new_raw[k]),
            }
        };
        for (&series, ranges) in &r.voucher_keys.ranges {
            let Some(mine) = known(self, series).and_then(|s| self.voucher_keys.ranges.get(&s))
            else {
                continue;
            };
            for (&start, &end) in ranges {
                if mine
                    .range(..=end)
                    .next_back()
                    .is_some_and(|(_, &e)| e >= start)
                {
                    return false;
                }
            }
        }
        for (series, number) in &r.voucher_keys.other {
            if let Some(s) = known(self, *series) {
                if self.voucher_keys.other.contains(&(s, number.clone())) {
                    return false;
                }
            }
        }

        // The result holds: the symbols the fork added up to the range's end, in the order
        // it met them (those of its earlier ranges this parser has already: read again or
        // merged), first uses, numbers, diagnostics, counts.
        for raw in &fs.new_raw[map.len()..r.syms_end] {
            let id = self.intern(raw);
            map.push(id);
        }
        let id_of = |id: u32| match (id as usize).checked_sub(base) {
            None => id,
            Some(k) => map[k],
        };
        for (id, first_use) in r.first_uses {
            let mine = &mut self.info[id_of(id) as usize];
            if mine.first_use.0 == 0 {
                mine.first_use = first_use;
            }
        }
        for (series, ranges) in r.voucher_keys.ranges {
            self.voucher_keys
                .ranges
                .entry(id_of(series))
                .or_default()
                .extend(ranges);
        }
        for (series, number) in r.voucher_keys.other {
            self.voucher_keys.other.insert((id_of(series), number));
        }
        for d in r.diags {
            self.push_diagnostic(d);
        }
        self.suppressed.0 += r.suppressed.0;
        self.suppressed.1 += r.suppressed.1;
        self.stats += r.stats;
        if self.ksumma.active {
            // The CRC of the concatenation of both ranges' contents.
            self.ksumma.flush();
            self.ksumma.hasher.combine(&r.crc);
        }
        self.line_no = r.line_no;
        true
    }
}

/// Hands the voucher that just ended to `each` and empties the store.
fn hand<A>(core: &mut Core, acc: &mut A, each: &Each<'_, A>) {
    if let Some(v) = core.file.vouchers.last() {
        each(acc, &core.file, v);
    }
    core.clear_vouchers();
}

/// Feeds the lines of `bytes[from..to]` (`to` a line start or the end), handing out the
/// vouchers that end; returns where reading stopped: `to`, or for a fork that stopped, the
/// start of the line it stopped before.
fn run<A>(
    core: &mut Core,
    bytes: &[u8],
    from: usize,
    to: usize,
    acc: &mut A,
    each: &Each<'_, A>,
) -> usize {
    let mut start = from;
    while start < to {
        let end = line_end(bytes, start);
        if core.feed(&bytes[start..], end - start) {
            hand(core, acc, each);
        }
        if core.is_not_sie() {
            return to;
        }
        if core.stopped() {
            return start;
        }
        start = end + 1;
    }
    to
}

/// Whether the header line at the start of `rest` is where the parallel reader's helpers
/// may start on the vouchers: a balance record ([`is_balance_label`]), written as exporters
/// write them (the label in capitals at the line's start). What the parser reads after it
/// and before the vouchers is as a rule more balances, which change nothing a fork looks
/// at; if another record comes instead (`#KONTO` after `#PSALDO`), the forks' ranges are
/// not merged but read again in order ([`Core::merge`]), as they would be after any record
/// between vouchers.
fn early_start(rest: &[u8]) -> bool {
    let label_end = rest.iter().take(10).position(|&b| b == b' ' || b == b'\t');
    label_end.is_some_and(|k| is_balance_label(&rest[..k]))
}

/// Where the ranges begin, for `threads` threads: the first line beginning with `#VER`
/// (where the header ends, as a rule), then starts of later such lines, and the input's
/// length last. The first range, the calling thread's after the header, is `min_range`
/// bytes: a helper counts the newlines up to the range it starts on (its rows' line
/// numbers), and with the first range a quarter of the input that count (and the page
/// faults of mapping that quarter in) kept the helper from the vouchers for 3–7 ms. Each
/// later range is a `1 / (2 * threads)` share of what is left but at least `min_range`
/// bytes: large ranges keep the merging cheap; small ones at the end let the threads end
/// together. Fewer than three bounds (a single range): nothing to share.
fn plan(bytes: &[u8], threads: usize, min_range: usize) -> Vec<usize> {
    let len = bytes.len();
    let finder = memchr::memmem::Finder::new(b"\n#VER");
    let first = if bytes.starts_with(b"#VER") {
        Some(0)
    } else {
        finder.find(bytes).map(|k| k + 1)
    };
    let Some(first) = first else {
        return vec![len];
    };
    let mut bounds = vec![first];
    let mut c = first;
    loop {
        let size = if bounds.len() == 1 {
            min_range.max(1)
        } else {
            ((len - c) / (2 * threads.max(1))).max(min_range.max(1))
        };
        let Some(search) = (c + size).checked_sub(1).filter(|&s| s < len) else {
            break;
        };
        let Some(k) = finder.find(&bytes[search..]) else {
            break;
        };
        c = search + k + 1;
        bounds.push(c);
    }
    bounds.push(len);
    bounds
}

/// The smallest range [`plan`] cuts for a reader that shares inputs from `min_bytes`: a
/// sixteenth of it (256 KiB by default), the size of the first range and of the last ones.
/// The last ranges are that small so that the threads end together: at 1 MiB, the thread that took the last range ran on alone for about 2 ms
/// on average (`delar sie check` on the development VM), where a range costs a few
/// microseconds to hand out and merge.
fn min_range(min_bytes: usize) -> usize {
    (min_bytes / 16).max(1)
}

/// How many ranges [`parse_buffer_parallel`] cuts `bytes` into (1: read on one thread).
pub(crate) fn range_count(bytes: &[u8], threads: usize, min_bytes: usize) -> usize {
    let min_bytes = min_bytes.max(1);
    if threads < 2 || bytes.len() < min_bytes {
        return 1;
    }
    plan(bytes, threads, min_range(min_bytes))
        .len()
        .saturating_sub(1)
        .max(1)
}

/// The newlines before each range's start in [`plan`]'s bounds, counted (`bytecount`) as far
/// as a thread has needed them: a helper counts up to its first range while the header is
/// read, and a thread taking a later range counts on to it. Counting the whole file at once
/// (about 5 ms for 47 MB on the development VM) kept the helpers from their first range.
struct LineCounts<'b> {
    bytes: &'b [u8],
    bounds: &'b [usize],
    counted: Mutex<Vec<u32>>,
}

impl<'b> LineCounts<'b> {
    fn new(bytes: &'b [u8], bounds: &'b [usize]) -> LineCounts<'b> {
        LineCounts {
            bytes,
            bounds,
            counted: Mutex::new(Vec::new()),
        }
    }

    /// The newlines before `bounds[k]`.
    fn before(&self, k: usize) -> u32 {
        // A thread that panicked while counting left whole entries only.
        let mut counted = self.counted.lock().unwrap_or_else(|e| e.into_inner());
        while counted.len() <= k {
            let j = counted.len();
            let (from, n) = match j.checked_sub(1) {
                Some(i) => (self.bounds[i], counted[i] as usize),
                None => (0, 0),
            };
            let n = n + bytecount::count(&self.bytes[from..self.bounds[j]], b'\n');
            counted.push(u32::try_from(n).unwrap_or(u32::MAX));
        }
        counted[k]
    }
}

/// How long a helper waits for its fork by polling before it blocks: the header is read
/// in about a millisecond, and a thread woken from blocking on a virtual machine's idle
/// core was seen to start 2 to 4 ms late (`delar sie check`, issue 11).
const SPIN_FOR_FORK: std::time::Duration = std::time::Duration::from_millis(5);

/// The helper's fork, or `None` when the calling thread reads on alone: polled for
/// [`SPIN_FOR_FORK`], then waited for.
fn await_fork(rx: &mpsc::Receiver<Option<Core>>) -> Option<Core> {
    let start = std::time::Instant::now();
    let mut polls = 0u32;
    loop {
        match rx.try_recv() {
            Ok(fork) => return fork,
            Err(mpsc::TryRecvError::Disconnected) => return None,
            Err(mpsc::TryRecvError::Empty) => {}
        }
        polls = polls.wrapping_add(1);
        if polls.is_multiple_of(64) && start.elapsed() > SPIN_FOR_FORK {
            return rx.recv().ok().flatten();
        }
        std::hint::spin_loop();
    }
}

/// Reads the ranges not yet taken (`next` counts them out) with the fork `w`, until none
/// is left.
#[allow(clippy::too_many_arguments)]
fn take_ranges<A>(
    w: &mut Core,
    bytes: &[u8],
    bounds: &[usize],
    lines: &LineCounts<'_>,
    next: &AtomicUsize,
    init: &(dyn Fn() -> A + Sync),
    each: &Each<'_, A>,
) -> Vec<Taken<A>> {
    let mut taken = Vec::new();
    loop {
        let k = next.fetch_add(1, Ordering::Relaxed);
        if k + 1 >= bounds.len() {
            return taken;
        }
        w.begin_range(lines.before(k));
        let mut a = init();
        let stop = run(w, bytes, bounds[k], bounds[k + 1], &mut a, each);
        taken.push((k, w.end_range(), a, stop));
    }
}

/// [`super::parse_buffer_each`] on up to `threads` threads (see the module's documentation):
/// each range gets an accumulator from `init` that `each` adds its vouchers to; the
/// accumulators of the ranges merged are returned with the result, the calling thread's
/// first. Inputs with fewer than `min_bytes` bytes after the header are read on the calling
/// thread. The [`SieFile`] a fork hands to `each` holds the header's identification, chart,
/// dimensions and objects, not its balances (those are in the result).
pub(crate) fn parse_buffer_parallel<A: Send>(
    bytes: &[u8],
    options: &ParseOptions,
    threads: usize,
    min_bytes: usize,
    init: &(dyn Fn() -> A + Sync),
    each: &Each<'_, A>,
) -> (Parsed, Vec<A>) {
    let mut acc = init();
    let mut accs = Vec::new();
    let min_bytes = min_bytes.max(1);
    let helpers = threads.saturating_sub(1);
    let bounds = if helpers > 0 && bytes.len() >= min_bytes {
        plan(bytes, threads, min_range(min_bytes))
    } else {
        Vec::new()
    };
    let lines = LineCounts::new(bytes, &bounds);
    let next = AtomicUsize::new(usize::MAX);

    let mut core = std::thread::scope(|scope| {
        // The helpers: they count the newlines up to their first range while the header is
        // read, then get their fork (or none, when the input is read on one thread).
        let mut senders = Vec::new();
        let mut handles = Vec::new();
        if bounds.len() >= 3 {
            for _ in 0..helpers {
                let (tx, rx) = mpsc::channel::<Option<Core>>();
                senders.push(tx);
                let (bounds, lines, next) = (&bounds, &lines, &next);
                handles.push(scope.spawn(move || {
                    // Up to the first range a helper may take, while the header is read.
                    lines.before(1);
                    let mut w = await_fork(&rx)?;
                    let taken = take_ranges(&mut w, bytes, bounds, lines, next, init, each);
                    Some((w.fork.take().expect("a fork"), taken))
                }));
            }
        }

        // The helpers were started first: a thread can take milliseconds to be scheduled
        // on an idle core of a virtual machine, and the encoding's detection (the first
        // MiB) hides part of that.
        let mut core = buffer_core(bytes, options, true);

        // The header: up to the first line beginning with `#VER` between vouchers. Where
        // its balances begin (as a rule the longest part of a municipal header, which ends
        // with them), the helpers get their forks and start on the ranges after the first
        // (see `early_start`).
        // Hands the helpers their forks, to take ranges from `first` on.
        let start_helpers = |core: &mut Core, first: usize| {
            next.store(first, Ordering::Relaxed);
            for tx in &senders {
                let _ = tx.send(Some(core.fork()));
            }
        };
        let mut pos = 0usize;
        let mut early = false;
        let may_start_early =
            !senders.is_empty() && bounds.len() >= 3 && bytes.len() - bounds[0] >= min_bytes;
        while pos < bytes.len() && !core.is_not_sie() {
            if bytes[pos..].starts_with(b"#VER")
                && core.state == VerState::None
                && core.cur.is_none()
            {
                break;
            }
            if may_start_early
                && !early
                && pos < bounds[0]
                && core.seen_record
                && core.state == VerState::None
                && core.cur.is_none()
                && early_start(&bytes[pos..])
            {
                early = true;
                start_helpers(&mut core, 1);
            }
            let end = line_end(bytes, pos);
            if core.feed(&bytes[pos..], end - pos) {
                hand(&mut core, &mut acc, each);
            }
            pos = end + 1;
        }
        let pos = pos.min(bytes.len());

        // The calling thread's first range: up to the first bound after the header.
        let first = bounds.partition_point(|&b| b <= pos);
        let share = !core.is_not_sie()
            && first + 1 < bounds.len()
            && (early || !senders.is_empty() && bytes.len() - pos >= min_bytes);
        if !share {
            // Nothing to share (or, after an early start, the header ran on over the
            // ranges): read on here; what the helpers read is not merged.
            next.store(bounds.len(), Ordering::Relaxed);
            if !early {
                for tx in &senders {
                    let _ = tx.send(None);
                }
            }
            run(&mut core, bytes, pos, bytes.len(), &mut acc, each);
            for h in handles {
                let _ = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            }
            return core;
        }
        if early {
            // The helpers began at the range after the first; the header may have run on
            // over ranges (a `#VER` line that was not the header's end): not those.
            next.fetch_max(first, Ordering::Relaxed);
        } else {
            start_helpers(&mut core, first);
        }
        run(&mut core, bytes, pos, bounds[first], &mut acc, each);

        // Then the ranges not yet taken, with a fork of the parser as it stands now.
        let mut mine = core.fork();
        let taken = take_ranges(&mut mine, bytes, &bounds, &lines, &next, init, each);
        let mut forks = vec![mine.fork.take().expect("a fork")];
        let mut results: Vec<Option<(usize, Taken<A>)>> = (0..bounds.len()).map(|_| None).collect();
        for t in taken {
            let k = t.0;
            results[k] = Some((0, t));
        }
        for h in handles {
            let joined = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            if let Some((fs, taken)) = joined {
                for t in taken {
                    let k = t.0;
                    results[k] = Some((forks.len(), t));
                }
                forks.push(fs);
            }
        }

        // Merge in file order; read again what cannot be merged, and on from where a fork
        // stopped.
        let mut maps: Vec<Vec<u32>> = vec![Vec::new(); forks.len()];
        let mut at = bounds[first];
        for k in first..bounds.len() - 1 {
            let (from, to) = (bounds[k], bounds[k + 1]);
            if let Some((f, (_, r, a, stop))) = results[k].take() {
                if at == from && core.merge(r, &forks[f], &mut maps[f]) {
                    accs.push(a);
                    at = stop;
                }
            }
            at = run(&mut core, bytes, at, to, &mut acc, each);
        }
        core
    });
    if core.finish() {
        hand(&mut core, &mut acc, each);
    }
    core.clear_vouchers();
    accs.insert(0, acc);
    (core.into_parsed(), accs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_begin_at_ver_lines_and_shrink_towards_the_end() {
        let mut text = String::from("#SIETYP 4\n");
        for k in 0..20_000 {
            text.push_str(&format!(
                "#VER A {k} 20230101\n{{\n#TRANS 1930 {{}} 1\n}}\n"
            ));
        }
        let bytes = text.as_bytes();
        for threads in 2..6 {
            let bounds = plan(bytes, threads, 10_000);
            assert_eq!(bounds[0], 10);
            assert_eq!(*bounds.last().unwrap(), bytes.len());
            for w in bounds.windows(2) {
                assert!(w[0] < w[1], "{threads}: {bounds:?}");
            }
            for &c in &bounds[..bounds.len() - 1] {
                assert!(bytes[c..].starts_with(b"#VER") && bytes[c - 1] == b'\n');
            }
            // The first range is the smallest (a helper counts the lines up to the next);
            // the second a share of the rest; then they shrink to the minimum.
            let sizes: Vec<usize> = bounds.windows(2).map(|w| w[1] - w[0]).collect();
            assert!(sizes[0].abs_diff(10_000) < 100, "{threads}: {sizes:?}");
            let rest = bytes.len() - bounds[1];
            assert!(
                sizes[1].abs_diff(rest / (2 * threads)) < 100,
                "{threads}: {sizes:?}"
            );
            for w in sizes[1..sizes.len() - 1].windows(2) {
                assert!(w[1] <= w[0] + 100, "{threads}: {sizes:?}");
            }
            assert!(sizes[..sizes.len() - 1].iter().all(|&s| s >= 10_000));
            // The newlines before each range.
            let lines = LineCounts::new(bytes, &bounds);
            for k in [2, 0, 1, bounds.len() - 1, 3] {
                let n = text[..bounds[k]].matches('\n').count();
                assert_eq!(lines.before(k) as usize, n, "{k}");
            }
        }
        // Nothing to cut at: one bound, the end.
        assert_eq!(plan(b"#SIETYP 4\n#KONTO 1 x\n", 2, 1), vec![21]);
        // A file that begins with its vouchers.
        assert_eq!(plan(b"#VER A 1 20230101\n", 2, 1000), vec![0, 18]);
    }
}
