//! Fuzz target: the SIE readers never panic on any input, and what they read can be
//! written and read back without errors.
#![no_main]

use delar_sie::{parse, write, ParseOptions, SieReader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let strict = parse(data, &ParseOptions::new("fuzz"));
    let lenient = parse(data, &ParseOptions::new("fuzz").lenient());
    for d in &lenient.diagnostics {
        let _ = d.to_string();
    }
    // The streaming reader reads the same vouchers.
    let streamed = SieReader::new(data, &ParseOptions::new("fuzz").lenient())
        .into_parsed()
        .expect("reading from memory cannot fail");
    if streamed.encoding == lenient.encoding {
        assert_eq!(streamed.file.vouchers.len(), lenient.file.vouchers.len());
    }
    let _ = strict.has_errors();
    // Whatever was read can be written, and the written file reads back without errors.
    if !lenient.has_errors() {
        let ty = lenient.file.content_type();
        let out = write(&lenient.file, ty);
        let again = parse(&out, &ParseOptions::new("fuzz-written").lenient());
        assert!(
            !again.has_errors(),
            "written file has errors: {:?}",
            again
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .collect::<Vec<_>>()
        );
        let _ = delar_sie::balances(&again.file, 0);
    }
});
