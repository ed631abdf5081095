//! Development aid: prints the diagnostics and counts of SIE files.
fn main() {
    for p in std::env::args().skip(1) {
        let bytes = std::fs::read(&p).unwrap_or_default();
        let parsed = delar_sie::parse(&bytes, &delar_sie::ParseOptions::new(p.clone()));
        let f = &parsed.file;
        println!(
            "{p}: type {:?} enc {} accounts {} vouchers {} rows {} psaldo {} unknown {}",
            f.sie_type.map(|t| t.number()),
            parsed.encoding,
            f.accounts.len(),
            f.vouchers.len(),
            f.row_count(),
            f.period_balances.len(),
            f.unknown_records.len()
        );
        for d in &parsed.diagnostics {
            println!("  {d}");
        }
    }
}
