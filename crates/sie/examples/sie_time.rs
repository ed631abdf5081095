//! Development aid: times the whole-buffer and streaming readers on a file
//! (`sie_time FILE [whole|stream|general|check|parallel] [RUNS]`; `general` is the
//! whole-buffer reader without its hot path; `check` is what `delar sie check` reads, on one
//! thread: the streaming whole-buffer reader without texts; `parallel` the same on every
//! core, as `delar sie check` reads it (without the process's start and the file's
//! mapping); both print the median of the runs).
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
    if mode == "check" || mode == "parallel" {
        let options = options.clone().without_texts();
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = std::time::Instant::now();
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
            times.push((t.elapsed(), rows, parsed.diagnostics.len()));
        }
        times.sort();
        let (median, rows, diags) = times[times.len() / 2];
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
