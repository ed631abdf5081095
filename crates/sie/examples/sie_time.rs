//! Development aid: times the whole-buffer and streaming readers on a file
//! (`sie_time FILE [whole|stream] [RUNS]`).
fn main() {
    let mut args = std::env::args().skip(1);
    let p = args.next().unwrap_or_default();
    let mode = args.next().unwrap_or_else(|| "both".to_string());
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let bytes = std::fs::read(&p).unwrap_or_default();
    for _ in 0..runs {
        if mode != "stream" {
            let t = std::time::Instant::now();
            let parsed = delar_sie::parse(&bytes, &delar_sie::ParseOptions::new(p.clone()));
            let el = t.elapsed();
            println!(
                "whole: {:?} {:.0} MB/s rows {} diags {}",
                el,
                bytes.len() as f64 / el.as_secs_f64() / 1e6,
                parsed.file.row_count(),
                parsed.diagnostics.len()
            );
        }
        if mode != "whole" {
            let t = std::time::Instant::now();
            let mut n = 0usize;
            let r = delar_sie::SieReader::new(&bytes[..], &delar_sie::ParseOptions::new(p.clone()))
                .read_all(|v| n += v.row_count());
            let el = t.elapsed();
            println!(
                "stream: {:?} {:.0} MB/s rows {n} diags {}",
                el,
                bytes.len() as f64 / el.as_secs_f64() / 1e6,
                r.map(|r| r.diagnostics.len()).unwrap_or(0)
            );
        }
    }
}
