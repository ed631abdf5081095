//! Times the single-threaded stretch of a report between reading the ledgers and rendering
//! (issue 11): `compute` and the chart's monthly net cost of both years, one after the
//! other (as before 2026-12-04) and with the months summed on a second thread (as
//! `report_from_package` does for large ledgers), alternated, and the whole
//! `report_from_package`.
//!
//! `cargo run --release -p delar-core --example compute_time -- PACKAGE_DIR [RUNS]`

use delar_core::compute::{compute, monthly_net_cost};
use delar_core::{load_package, report_from_package, MemoryFiles, Options, Package};
use std::path::Path;
use std::time::{Duration, Instant};

#[path = "../tests/common/dir.rs"]
mod dir;

fn months(pkg: &Package) -> ([i64; 12], Option<[i64; 12]>) {
    let config = &pkg.config;
    (
        monthly_net_cost(config, &pkg.current, config.year),
        pkg.prior
            .as_ref()
            .map(|l| monthly_net_cost(config, l, config.year - 1)),
    )
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: compute_time PACKAGE_DIR [RUNS]");
    let runs: usize = args.next().map_or(20, |r| r.parse().expect("RUNS"));
    let files = MemoryFiles {
        files: dir::files_under(Path::new(&dir)),
    };
    let pkg = load_package(&files, None).expect("package");
    let postings = pkg.current.postings.len() + pkg.prior.as_ref().map_or(0, |l| l.postings.len());
    let (mut serial, mut beside, mut whole) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        let a = (compute(&pkg), months(&pkg));
        serial.push(t.elapsed());
        let t = Instant::now();
        let b = std::thread::scope(|s| {
            let m = s.spawn(|| months(&pkg));
            let c = compute(&pkg);
            (c, m.join().unwrap())
        });
        beside.push(t.elapsed());
        assert_eq!(a, b);
        let t = Instant::now();
        let report = report_from_package(&pkg, &Options::default()).expect("report");
        whole.push(t.elapsed());
        std::hint::black_box(report);
    }
    println!("{dir}: {postings} postings, medians of {runs}");
    println!("compute, then the months:        {:?}", median(serial));
    println!("compute, the months beside it:   {:?}", median(beside));
    println!("report_from_package:             {:?}", median(whole));
}
