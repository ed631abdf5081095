//! Writes the benchmark's generated SIE 4 file: `cargo run --release -p delar-sie --example gen_sie -- OUT [ROWS] [ROWS_PER_VOUCHER]`.
#[path = "../benches/gen.rs"]
#[allow(dead_code)]
mod gen;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "bench.se".to_string());
    let rows: usize = args
        .next()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1_000_000);
    let per_voucher: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(4);
    let bytes = gen::generate_with(rows, per_voucher);
    if let Err(e) = std::fs::write(&out, &bytes) {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(1);
    }
    eprintln!("{out}: {} bytes, {rows} #TRANS rows", bytes.len());
}
