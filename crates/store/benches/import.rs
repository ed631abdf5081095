//! Ledger-row import throughput (rows/s) on SQLite (a file) and PostgreSQL (a throwaway
//! database on 127.0.0.1:5432): `Store::import` of a prepared package with one ledger of
//! 200 000 generated rows into a fresh database each time; only the import is timed.
//!
//! `cargo bench -p delar-store --bench import`

#[path = "../tests/common/mod.rs"]
mod common;

use common::{Kind, TestDb};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use delar_store::import::{LedgerRow, PreparedLedger};
use delar_store::PreparedImport;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const ROWS: usize = 200_000;

/// A package with one ledger of `rows` rows shaped like a municipality's export.
fn package(rows: usize) -> PreparedImport {
    let rows: Vec<LedgerRow> = (0..rows)
        .map(|i| LedgerRow {
            kind: "#TRANS",
            account: format!("{}", 4000 + (i * 7) % 3000),
            year: 2023,
            month: (i % 12) as u32 + 1,
            objects: format!("[[1,\"{}\"],[20,\"{}\"]]", 8510 + i % 30, 900 + i % 50),
            voucher: Some(format!("A {}", i / 4 + 1)),
            date: Some(format!("2023-{:02}-{:02}", i % 12 + 1, i % 28 + 1)),
            text: Some(format!("Leverantör {} fakt {}", i % 500, 100_000 + i)),
            amount_ore: ((i as i64 * 7919) % 2_000_000) - 1_000_000,
            line: i as u32 + 20,
        })
        .collect();
    let total_ore = rows.iter().map(|r| r.amount_ore).sum();
    PreparedImport {
        committee: "Bänknämnden".into(),
        year: 2023,
        through_month: 8,
        sha256: "0".repeat(64),
        files: BTreeMap::from([("huvudbok.se".to_string(), b"bench".to_vec())]),
        ledgers: vec![PreparedLedger {
            role: "current",
            path: "huvudbok.se".into(),
            sha256: delar_store::sha256_hex(b"bench"),
            year: 2023,
            kind: "vouchers",
            rows,
            total_ore,
        }],
    }
}

fn import(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let prepared = package(ROWS);
    let mut group = c.benchmark_group("import");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    for (name, kind) in [
        ("sqlite_file", Kind::SqliteFile),
        ("postgres", Kind::Postgres),
    ] {
        if kind == Kind::Postgres && common::skip_postgres() {
            eprintln!("import/postgres not measured: DELAR_SKIP_POSTGRES=1");
            continue;
        }
        group.bench_function(format!("{name}/{ROWS}_rows"), |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    let db = rt.block_on(TestDb::new(kind)).expect("a database");
                    let store = rt.block_on(db.open());
                    let start = Instant::now();
                    rt.block_on(store.import("bench", &prepared, None)).unwrap();
                    timed += start.elapsed();
                    rt.block_on(store.close());
                }
                timed
            })
        });
    }
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
