//! Development aid: times the whole-buffer and streaming readers on a file
//! (`sie_time FILE [whole|stream|general|check|parallel] [RUNS]`; `general` is the
//! whole-buffer reader without its hot path; `check` is what `delar sie check` reads, on one
//! thread: the streaming whole-buffer reader without texts; `parallel` the same on every
//! core, as `delar sie check` reads it (without the process's start and the file's
//! mapping); both print the median of the runs). Two references for the machine's speed, on
//! one thread, with no checks: `lines` counts the lines (`memchr`), and `scan` visits every
//! line and sums the amounts of the `#TRANS` rows (the token after the object list, read as
//! öre), the least a reader of the rows must do; `tools/bench/sie-check.sh` gives the
//! check's speed as a share of `scan`'s, measured in the same minute, so that figures of
//! faster and slower machines can be compared.
fn main() {
    let mut args = std::env::args().skip(1);
    let p = args.next().unwrap_or_default();
    let mode = args.next().unwrap_or_else(|| "both".to_string());
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let bytes = std::fs::read(&p).unwrap_or_default();
    let options = delar_sie::ParseOptions::new(p.clone());
    // Runs `read` once and prints its time, throughput, rows and diagnostics.
    let time = |name: &str, read: &dyn Fn() -> (usize, usize)| {
        let t = std::time::Instant::now();
        let (rows, diags) = read();
        let el = t.elapsed();
        println!(
            "{name}: {:?} {:.0} MB/s rows {rows} diags {diags}",
            el,
            bytes.len() as f64 / el.as_secs_f64() / 1e6,
        );
    };
    if mode == "lines" || mode == "scan" {
        let times = timed_runs(runs, || {
            if mode == "lines" {
                (memchr::memchr_iter(b'\n', &bytes).count(), 0)
            } else {
                plain_scan(&bytes)
            }
        });
        let (median, (rows, sum)) = times[times.len() / 2];
        println!(
            "{mode} (one thread): median {median:?} min {:?} {:.0} MB/s (median) of {runs} runs, {} {rows}, sum {sum}",
            times[0].0,
            bytes.len() as f64 / median.as_secs_f64() / 1e6,
            if mode == "lines" { "lines" } else { "rows" },
        );
        return;
    }
    if mode == "check" || mode == "parallel" {
        let options = options.clone().without_texts();
        let times = timed_runs(runs, || {
            let (parsed, rows) = if mode == "check" {
                let mut rows = 0usize;
                let parsed = delar_sie::parse_each(&bytes, &options, |_, v| rows += v.row_count());
                (parsed, rows)
            } else {
                let (parsed, rows) = delar_sie::parse_each_parallel(
                    &bytes,
                    &options,
                    delar_sie::Parallel::default(),
                    || 0usize,
                    |rows: &mut usize, _, v| *rows += v.row_count(),
                );
                (parsed, rows.iter().sum())
            };
            (rows, parsed.diagnostics.len())
        });
        let (median, (rows, diags)) = times[times.len() / 2];
        let threads = if mode == "check" {
            "one thread"
        } else {
            "every core"
        };
        println!(
            "{mode} ({threads}): median {median:?} min {:?} {:.0} MB/s (median) of {runs} runs, rows {rows} diags {diags}",
            times[0].0,
            bytes.len() as f64 / median.as_secs_f64() / 1e6,
        );
        return;
    }
    for _ in 0..runs {
        if mode == "general" {
            time("general", &|| {
                let parsed = delar_sie::parse_without_hot_path(&bytes, &options);
                (parsed.file.row_count(), parsed.diagnostics.len())
            });
            continue;
        }
        if mode != "stream" {
            time("whole", &|| {
                let parsed = delar_sie::parse(&bytes, &options);
                (parsed.file.row_count(), parsed.diagnostics.len())
            });
        }
        if mode != "whole" {
            time("stream", &|| {
                let mut n = 0usize;
                let r = delar_sie::SieReader::new(&bytes[..], &options)
                    .read_all(|v| n += v.row_count());
                (n, r.map(|r| r.diagnostics.len()).unwrap_or(0))
            });
        }
    }
}

/// The `scan` reference: the lines found with `memchr`; on a line beginning with `#TRANS`
/// (after spaces and tabs),
/// the token after the object list's `}` read as an amount in öre (`-`, digits, up to two
/// decimals) and summed. Rows whose amount it cannot read this way are not counted.
fn plain_scan(bytes: &[u8]) -> (usize, i64) {
    let (mut rows, mut sum) = (0usize, 0i64);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
        let line = bytes[start..end].trim_ascii_start();
        start = end + 1;
        if !line.starts_with(b"#TRANS") {
            continue;
        }
        let Some(close) = memchr::memchr(b'}', line) else {
            continue;
        };
        let line = line[close + 1..].trim_ascii_start();
        let mut i = 0;
        let neg = line.get(i) == Some(&b'-');
        i += usize::from(neg);
        let (mut v, mut decimals, mut dot, mut digits) = (0i64, 0u32, false, 0);
        while let Some(&b) = line.get(i) {
            match b {
                b'0'..=b'9' if !dot || decimals < 2 => {
                    v = v * 10 + i64::from(b - b'0');
                    digits += 1;
                    decimals += u32::from(dot);
                }
                b'.' if !dot => dot = true,
                _ => break,
            }
            i += 1;
        }
        if digits == 0 {
            continue;
        }
        v *= 10i64.pow(2 - decimals);
        rows += 1;
        sum += if neg { -v } else { v };
    }
    (rows, sum)
}

/// Runs `f` `runs` times: each run's time with what it returned, sorted (the median at
/// the middle, the minimum first).
fn timed_runs<T: Ord>(runs: usize, mut f: impl FnMut() -> T) -> Vec<(std::time::Duration, T)> {
    let mut times: Vec<_> = (0..runs.max(1))
        .map(|_| {
            let t = std::time::Instant::now();
            let out = f();
            (t.elapsed(), out)
        })
        .collect();
    times.sort();
    times
}
