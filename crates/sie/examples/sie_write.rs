//! Development aid: reads a SIE file and writes it back as type 4 to stdout.
use std::io::Write;
fn main() {
    let p = std::env::args().nth(1).unwrap_or_default();
    let bytes = std::fs::read(&p).unwrap_or_default();
    let parsed = delar_sie::parse(&bytes, &delar_sie::ParseOptions::new(p));
    let out = delar_sie::write(&parsed.file, delar_sie::SieType::Type4);
    let _ = std::io::stdout().write_all(&out);
}
