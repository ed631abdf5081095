//! Time to render the example package's report as PDF (report and memo, typeset by Typst)
//! and as an Excel workbook. The report data is built once, outside the timing, through
//! delar-core from `examples/servicenamnd-it-2023`, as the CLI does.
//!
//! `cargo bench -p delar-render --bench render`

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use delar_core::report::Report;
use delar_core::{build_report, Options, SourceError, SourceFiles};
use delar_render::{pdf, xlsx};

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/servicenamnd-it-2023"
);

/// A package folder on disk.
struct DirFiles(PathBuf);

impl SourceFiles for DirFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        std::fs::read(self.0.join(path)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => SourceError::NotFound,
            _ => SourceError::Other(e.to_string()),
        })
    }
}

fn example() -> Report {
    match build_report(
        &DirFiles(Path::new(EXAMPLE).to_path_buf()),
        &Options::default(),
    ) {
        Ok(report) => report,
        Err(e) => panic!("the example package does not build: {e}"),
    }
}

fn rendering(c: &mut Criterion) {
    let report = example();
    let mut group = c.benchmark_group("render");
    group.sample_size(20);
    group.bench_function("pdf_report", |b| {
        b.iter(|| pdf::report(std::hint::black_box(&report)).map(|bytes| bytes.len()))
    });
    group.bench_function("pdf_memo", |b| {
        b.iter(|| pdf::memo(std::hint::black_box(&report)).map(|bytes| bytes.len()))
    });
    group.bench_function("xlsx_workbook", |b| {
        b.iter(|| xlsx::workbook(std::hint::black_box(&report)).map(|bytes| bytes.len()))
    });
    group.finish();
}

criterion_group!(benches, rendering);
criterion_main!(benches);
