//! `sie4-ref FILE [RUNS]`: the crate `sie4` (crates.io) reading a SIE 4 file, as a second
//! Rust reference beside delar for the side-by-side comparison. `sie4` 0.1.1 knows only a
//! subset of the records (no `#DIM`, `#OBJEKT`, `#KTYP`, `#PSALDO`, `#PBUDGET`, `#RTRANS`,
//! `#BTRANS`, `#KSUMMA`, `#FNR`; `#KPTYP` only BAS95/96, EUBAS97, NE2007), so the lines it
//! cannot know are filtered out first (outside the timing) and listed; when it still stops,
//! the line where it stopped is printed. Prints the median parse time over RUNS and
//! `TOTAL account;öre` lines of the per-account sums it read.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

const UNKNOWN: [&[u8]; 10] = [
    b"#DIM",
    b"#OBJEKT",
    b"#KTYP",
    b"#PSALDO",
    b"#PBUDGET",
    b"#KSUMMA",
    b"#FNR",
    b"#KPTYP",
    b"#RTRANS",
    b"#BTRANS",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: sie4-ref FILE [RUNS]");
        return ExitCode::from(2);
    };
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut kept = Vec::with_capacity(bytes.len());
    let mut dropped: BTreeMap<&str, usize> = BTreeMap::new();
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let label = line.trim_ascii_start();
        match UNKNOWN.iter().find(|u| {
            label.starts_with(u) && label.get(u.len()).is_some_and(|b| b.is_ascii_whitespace())
        }) {
            Some(u) => {
                *dropped
                    .entry(std::str::from_utf8(u).unwrap_or("?"))
                    .or_default() += 1
            }
            None => kept.extend_from_slice(line),
        }
    }
    for (label, n) in &dropped {
        println!("FILTERED {label} {n}");
    }
    let mut times = Vec::new();
    let mut totals: BTreeMap<u32, rust_decimal::Decimal> = BTreeMap::new();
    let mut outcome = Ok(0usize);
    for _ in 0..runs.max(1) {
        totals.clear();
        let start = Instant::now();
        let mut rows = 0usize;
        outcome = Ok(0);
        // Item by item over the whole (filtered) buffer, as sie4's Reader does over its
        // buffer, so that the place of a failure is known.
        let mut rest = sie4::Span::new(&kept[..]);
        while !rest.fragment().trim_ascii().is_empty() {
            match sie4::Item::parse(rest) {
                Ok((next, item)) => {
                    if let sie4::Item::Ver(v) = item {
                        for t in v.transactions.0 {
                            rows += 1;
                            *totals.entry(t.account).or_default() += t.amount;
                        }
                    }
                    rest = next;
                }
                Err(_) => {
                    let at = rest.location_offset();
                    let line = kept[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                    let text: Vec<u8> = kept[at..]
                        .iter()
                        .skip_while(|b| b.is_ascii_whitespace())
                        .take_while(|&&b| b != b'\n' && b != b'\r')
                        .copied()
                        .collect();
                    outcome = Err(format!(
                        "at line {line} of the filtered file: {}",
                        String::from_utf8_lossy(&text)
                    ));
                    break;
                }
            }
        }
        times.push(start.elapsed().as_secs_f64());
        if outcome.is_err() {
            break;
        }
        outcome = Ok(rows);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    match outcome {
        Ok(rows) => {
            println!(
                "OK rows {rows} median {:.1} ms ({:.0} MB/s of the filtered {} bytes) runs {}",
                median * 1000.0,
                kept.len() as f64 / median / 1e6,
                kept.len(),
                times.len()
            );
            for (a, v) in &totals {
                // Amounts in öre: the sums are exact decimals with at most two places.
                println!(
                    "TOTAL {a};{}",
                    (v * rust_decimal::Decimal::from(100)).normalize()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("FAILED {e} after {:.1} ms", median * 1000.0);
            ExitCode::from(1)
        }
    }
}
