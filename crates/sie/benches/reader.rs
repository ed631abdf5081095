//! Reader throughput on a generated SIE 4 file of 1 000 000 #TRANS rows with object lists
//! (every check on, #KSUMMA verified). Run: `cargo bench -p delar-sie --bench reader`.

mod gen;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use delar_sie::{parse, ParseOptions, SieReader};
use std::hint::black_box;

fn reader(c: &mut Criterion) {
    let rows: usize = std::env::var("SIE_BENCH_ROWS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1_000_000);
    let bytes = gen::generate(rows);
    // Sanity: the file is valid and complete.
    let check = parse(&bytes, &ParseOptions::new("bench.se"));
    assert!(check.diagnostics.is_empty(), "{:?}", check.diagnostics);
    assert_eq!(check.file.row_count(), rows);
    assert!(check.file.checksum.is_some());
    drop(check);
    eprintln!(
        "generated SIE 4 file: {} bytes, {rows} #TRANS rows",
        bytes.len()
    );

    let mut g = c.benchmark_group("sie_reader");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.sample_size(10);
    g.bench_function("whole_buffer", |b| {
        // The result (about 200 MB of vouchers) is dropped outside the timing.
        b.iter_batched(
            || (),
            |_| parse(black_box(&bytes), &ParseOptions::new("bench.se")),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("streaming", |b| {
        b.iter(|| {
            let mut n = 0usize;
            let parsed = SieReader::new(black_box(&bytes[..]), &ParseOptions::new("bench.se"))
                .read_all(|v| n += v.row_count())
                .expect("in memory");
            assert!(parsed.diagnostics.is_empty());
            n
        })
    });
    g.bench_function("baseline_count_lines", |b| {
        b.iter(|| memchr::memchr_iter(b'\n', black_box(&bytes)).count())
    });
    g.finish();
}

criterion_group!(benches, reader);
criterion_main!(benches);
