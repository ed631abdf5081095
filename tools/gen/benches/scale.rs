//! Scale benchmarks on generated data (criterion):
//! - `sie_parse/<profile>/<rows>/{whole_buffer,streaming}`: `delar_sie::parse` and the
//!   streaming `SieReader` (every check on) on one fiscal year of each exporter profile;
//! - `report/<profile>/<rows>`: the engine's whole report (`delar_core::build_report`:
//!   reading both ledgers, budget, forecast, investments, checks, tables) on a package held
//!   in memory.
//!
//! Sizes: `DELAR_BENCH_ROWS` (comma-separated, default `100000,1000000`; add `10000000`
//! for the largest, which takes long) and `DELAR_BENCH_PROFILES` (default all). Run:
//! `cargo bench -p delar-gen --bench scale`. Peak memory is measured per process by
//! `tools/bench/memory.sh`, not here.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use delar_gen::package::{write_package, PackageSpec};
use delar_gen::sie::write_ledger;
use delar_gen::{LedgerSpec, Profile};
use delar_sie::{parse, ParseOptions, SieReader};
use std::hint::black_box;

fn sizes() -> Vec<u64> {
    std::env::var("DELAR_BENCH_ROWS")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

fn profiles() -> Vec<Profile> {
    match std::env::var("DELAR_BENCH_PROFILES") {
        Ok(s) => s.split(',').filter_map(|p| p.trim().parse().ok()).collect(),
        Err(_) => Profile::ALL.to_vec(),
    }
}

fn sie_parse(c: &mut Criterion) {
    for rows in sizes() {
        for profile in profiles() {
            let mut bytes = Vec::new();
            write_ledger(&LedgerSpec::new(profile, rows, 1, 2023), &mut bytes).expect("memory");
            // The file must read cleanly, or the timing would be of error paths.
            let check = parse(&bytes, &ParseOptions::new("bench.se"));
            assert!(
                check.diagnostics.is_empty(),
                "{profile}: {:?}",
                check.diagnostics
            );
            drop(check);
            let mut g = c.benchmark_group(format!("sie_parse/{profile}/{rows}"));
            g.throughput(Throughput::Bytes(bytes.len() as u64));
            g.sample_size(10);
            g.bench_function("whole_buffer", |b| {
                b.iter_batched(
                    || (),
                    |_| parse(black_box(&bytes), &ParseOptions::new("bench.se")),
                    BatchSize::PerIteration,
                )
            });
            g.bench_function("streaming", |b| {
                b.iter(|| {
                    let mut n = 0usize;
                    let parsed =
                        SieReader::new(black_box(&bytes[..]), &ParseOptions::new("bench.se"))
                            .read_all(|v| n += v.row_count())
                            .expect("in memory");
                    assert!(parsed.diagnostics.is_empty());
                    n
                })
            });
            g.finish();
        }
    }
}

fn report(c: &mut Criterion) {
    for rows in sizes() {
        for profile in profiles() {
            let dir = tempfile::tempdir().expect("temp dir");
            let spec = PackageSpec {
                profile,
                rows,
                seed: 1,
                year: 2023,
            };
            write_package(dir.path(), &spec).expect("written");
            let mut files = delar_core::MemoryFiles::default();
            for rel in [
                "delar.toml",
                "huvudbok/huvudbok-2023.se",
                "huvudbok/huvudbok-2022.se",
                "budget/budget-2023.csv",
                "budget/budgetforandringar-2023.csv",
                "prognos/prognos-2023.csv",
                "investeringar/investeringar-2023.csv",
            ] {
                let bytes = std::fs::read(dir.path().join(rel)).expect("generated file");
                files.files.insert(rel.to_string(), bytes);
            }
            drop(dir);
            let options = delar_core::Options::default();
            delar_core::build_report(&files, &options).expect("the package reports");
            let mut g = c.benchmark_group(format!("report/{profile}"));
            g.sample_size(10);
            g.bench_function(format!("{rows}"), |b| {
                b.iter(|| delar_core::build_report(black_box(&files), &options).expect("report"))
            });
            g.finish();
        }
    }
}

criterion_group!(benches, sie_parse, report);
criterion_main!(benches);
