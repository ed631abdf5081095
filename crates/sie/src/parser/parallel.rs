//! The parallel reader: one buffer read on several threads with the result of the
//! whole-buffer reader.
//!
//! The records before the first `#VER` line (identification, chart, balances) are read
//! first. The rest is cut into ranges that each begin with a line starting `#VER`; each range
//! after the first is read on its own thread by a *fork*: a copy of the parser as it stood
//! after the header, numbering lines from the range's first line. The calling thread reads
//! the first range, then merges the forks in file order ([`Core::merge`]). A fork stops
//! before a line it cannot read without knowing the lines before its range (a record other
//! than a voucher record, or a line outside ASCII while the encoding is undecided); the
//! calling thread reads on from there. Where a fork's result cannot be merged (the
//! previous range ended inside a voucher, a record other than a voucher record came between,
//! or a voucher number of the fork's range was used before it), the calling thread reads
//! the range again itself. So the diagnostics, the file, the statistics and the vouchers
//! handed out are those of [`super::parse_buffer_each`]; only the order in which vouchers
//! are handed out, and the symbol tables they come with, differ.

use super::*;
use crate::vouchers::VoucherRef;

/// Below this many bytes of vouchers, [`parse_buffer_parallel`] reads on one thread.
pub(crate) const MIN_PARALLEL: usize = 4 << 20;

/// What a fork keeps besides the parser's state.
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
}

/// A voucher callback of the parallel reader, with the accumulator of the thread.
type Each<'f, A> = dyn Fn(&mut A, &SieFile, VoucherRef<'_>) + Sync + 'f;

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

    /// A fork of this parser (which stands between vouchers) for a range of lines: the same
    /// header, symbols and checks, none of the diagnostics, counts or checksum so far.
    fn fork(&self) -> Core {
        let mut c = self.clone();
        c.fork = Some(Box::new(ForkState {
            new_raw: Vec::new(),
            base: self.file.vouchers.symbols.len(),
            header_records: self.header_records,
            stopped: false,
        }));
        c.diags = Vec::new();
        c.suppressed = (0, 0);
        c.stats = ReadStats::default();
        c.ksumma.hasher = crc32fast::Hasher::new();
        c.ksumma.pos = 0;
        c
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

    /// Merges the fork `w`, which read the lines from where this parser stands; false,
    /// changing nothing, when its result is not what this parser would have found:
    /// - this parser is inside a voucher (the fork began with a new voucher),
    /// - this parser read a record other than a voucher record after the fork was made,
    /// - the fork ended inside a voucher, or
    /// - a voucher number of the fork's range was used in the same series before it (the
    ///   duplicate is reported where it occurs when the range is read again).
    fn merge(&mut self, mut w: Core) -> bool {
        let Some(fs) = w.fork.take() else {
            return false;
        };
        if self.state != VerState::None
            || self.cur.is_some()
            || self.not_sie
            || self.header_records != fs.header_records
            || w.state != VerState::None
            || w.cur.is_some()
        {
            return false;
        }
        let base = fs.base;
        // Duplicates across the ranges, looked up without adding symbols.
        w.voucher_keys.flush_tail();
        self.voucher_keys.flush_tail();
        let known = |core: &Core, id: u32| -> Option<u32> {
            match (id as usize).checked_sub(base) {
                None => Some(id),
                Some(k) => core.lookup(&fs.new_raw[k]),
            }
        };
        for (&series, ranges) in &w.voucher_keys.ranges {
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
        for (series, number) in &w.voucher_keys.other {
            if let Some(s) = known(self, *series) {
                if self.voucher_keys.other.contains(&(s, number.clone())) {
                    return false;
                }
            }
        }

        // The fork's result holds: its symbols, first uses, numbers, diagnostics, counts.
        let map: Vec<u32> = fs.new_raw.iter().map(|raw| self.intern(raw)).collect();
        let id_of = |id: u32| match (id as usize).checked_sub(base) {
            None => id,
            Some(k) => map[k],
        };
        for (id, info) in w.info.iter().enumerate() {
            if info.first_use.0 != 0 {
                let mine = &mut self.info[id_of(id as u32) as usize];
                if mine.first_use.0 == 0 {
                    mine.first_use = info.first_use;
                }
            }
        }
        for (series, ranges) in std::mem::take(&mut w.voucher_keys.ranges) {
            self.voucher_keys
                .ranges
                .entry(id_of(series))
                .or_default()
                .extend(ranges);
        }
        for (series, number) in std::mem::take(&mut w.voucher_keys.other) {
            self.voucher_keys.other.insert((id_of(series), number));
        }
        for d in w.diags {
            self.push_diagnostic(d);
        }
        self.suppressed.0 += w.suppressed.0;
        self.suppressed.1 += w.suppressed.1;
        self.stats += w.stats;
        if self.ksumma.active {
            // The CRC of the concatenation of both ranges' contents.
            self.ksumma.flush();
            w.ksumma.flush();
            self.ksumma.hasher.combine(&w.ksumma.hasher);
        }
        self.line_no = w.line_no;
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

/// How many times faster counting the newlines before a range is than reading it: a fork
/// counts them before it starts (`bytecount`, about 10 GB/s here against 0.5 GB/s), so
/// the ranges further in are made that much shorter.
const COUNT_SPEEDUP: usize = 20;

/// Where to cut `bytes[from..]` into up to `parts` ranges that take about equally long,
/// the counting of the newlines before each range included: the starts of the ranges after
/// the first, each a line beginning with `#VER`.
fn cut_points(bytes: &[u8], from: usize, parts: usize) -> Vec<usize> {
    let len = bytes.len();
    // Range k starts at c(k) and costs c(k+1) - c(k) + c(k) / COUNT_SPEEDUP (none for the
    // first): with every cost equal to `share`, c(k+1) = c(k) - c(k) / COUNT_SPEEDUP + share.
    // The share that ends the last range at the end of the input is found by bisection.
    let targets = |share: usize| -> Vec<usize> {
        let mut c = from;
        let mut out = Vec::with_capacity(parts);
        for k in 0..parts {
            let count = if k == 0 { 0 } else { c / COUNT_SPEEDUP };
            c = (c + share).saturating_sub(count);
            out.push(c);
        }
        out
    };
    let (mut lo, mut hi) = (0usize, len - from);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if targets(mid)[parts - 1] >= len {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let targets = targets(lo);
    let finder = memchr::memmem::Finder::new(b"\n#VER");
    let mut cuts: Vec<usize> = Vec::with_capacity(parts);
    let mut last = from;
    for &target in &targets[..parts - 1] {
        let search = target.clamp(last + 1, len) - 1;
        let Some(k) = bytes.get(search..).and_then(|rest| finder.find(rest)) else {
            break;
        };
        let cut = search + k + 1;
        if cut > last && cut < bytes.len() {
            cuts.push(cut);
            last = cut;
        }
    }
    cuts
}

/// [`super::parse_buffer_each`] on up to `threads` threads (see the module's documentation):
/// each thread gets an accumulator from `init` that `each` adds the vouchers to; the
/// accumulators of the ranges read are returned with the result. Inputs with fewer than
/// `min_bytes` bytes after the header are read on the calling thread.
pub(crate) fn parse_buffer_parallel<A: Send>(
    bytes: &[u8],
    options: &ParseOptions,
    threads: usize,
    min_bytes: usize,
    init: &(dyn Fn() -> A + Sync),
    each: &Each<'_, A>,
) -> (Parsed, Vec<A>) {
    let mut core = buffer_core(bytes, options, true);
    let mut acc = init();
    let mut accs = Vec::new();

    // The header: up to the first line beginning with `#VER` between vouchers.
    let mut pos = 0usize;
    while pos < bytes.len() && !core.is_not_sie() {
        if bytes[pos..].starts_with(b"#VER") && core.state == VerState::None && core.cur.is_none() {
            break;
        }
        let end = line_end(bytes, pos);
        if core.feed(&bytes[pos..], end - pos) {
            hand(&mut core, &mut acc, each);
        }
        pos = end + 1;
    }
    let pos = pos.min(bytes.len());

    let cuts = if threads > 1 && bytes.len() - pos >= min_bytes.max(1) && !core.is_not_sie() {
        cut_points(bytes, pos, threads)
    } else {
        Vec::new()
    };
    if cuts.is_empty() {
        run(&mut core, bytes, pos, bytes.len(), &mut acc, each);
    } else {
        let ends: Vec<usize> = cuts.iter().skip(1).copied().chain([bytes.len()]).collect();
        let forks: Vec<Core> = cuts.iter().map(|_| core.fork()).collect();
        std::thread::scope(|scope| {
            let handles: Vec<_> = forks
                .into_iter()
                .zip(cuts.iter().zip(&ends))
                .map(|(mut w, (&from, &to))| {
                    scope.spawn(move || {
                        let lines = bytecount::count(&bytes[..from], b'\n');
                        w.line_no = u32::try_from(lines).unwrap_or(u32::MAX);
                        let mut a = init();
                        let stop = run(&mut w, bytes, from, to, &mut a, each);
                        (w, a, stop)
                    })
                })
                .collect();
            let mut at = run(&mut core, bytes, pos, cuts[0], &mut acc, each);
            for ((h, &from), &to) in handles.into_iter().zip(&cuts).zip(&ends) {
                let (w, a, stop) = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                if at == from && core.merge(w) {
                    accs.push(a);
                    at = stop;
                }
                at = run(&mut core, bytes, at, to, &mut acc, each);
            }
        });
    }
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
    fn cuts_fall_on_ver_lines_and_shorten_the_later_ranges() {
        let mut text = String::from("#SIETYP 4\n");
        for k in 0..20_000 {
            text.push_str(&format!(
                "#VER A {k} 20230101\n{{\n#TRANS 1930 {{}} 1\n}}\n"
            ));
        }
        let bytes = text.as_bytes();
        for parts in 2..6 {
            let cuts = cut_points(bytes, 10, parts);
            assert_eq!(cuts.len(), parts - 1);
            let mut bounds = vec![10];
            bounds.extend(&cuts);
            bounds.push(bytes.len());
            for w in bounds.windows(2) {
                assert!(w[0] < w[1], "{parts}: {bounds:?}");
            }
            for &c in &cuts {
                assert!(bytes[c..].starts_with(b"#VER") && bytes[c - 1] == b'\n');
            }
            // Each later range is shorter by about the newlines its thread counts first.
            let first = bounds[1] - bounds[0];
            let last = bounds[parts] - bounds[parts - 1];
            assert!(last < first, "{parts}: {bounds:?}");
            let cost = last + bounds[parts - 1] / COUNT_SPEEDUP;
            assert!(cost.abs_diff(first) < first / 50, "{parts}: {first} {cost}");
        }
        // Nothing to cut at: no cuts.
        assert!(cut_points(b"#SIETYP 4\n#KONTO 1 x\n", 0, 2).is_empty());
    }
}
