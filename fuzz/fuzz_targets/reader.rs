//! Fuzz target: the SIE readers never panic on any input, agree with each other (whole
//! buffer, streaming, voucher by voucher, and without the hot path), and what they read can
//! be written and read back without errors.
#![no_main]

use delar_sie::{parse, parse_without_hot_path, write, ParseOptions, SieReader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let strict = parse(data, &ParseOptions::new("fuzz"));
    let lenient = parse(data, &ParseOptions::new("fuzz").lenient());
    for d in &lenient.diagnostics {
        let _ = d.to_string();
    }
    // The streaming reader reads the same vouchers, in one go and voucher by voucher (it
    // reuses its store between vouchers). The encoding is fixed to what the whole-buffer
    // reader detected: the streaming reader decides it on the first line that tells, so
    // texts before that line may be decoded differently when it is not given.
    let mut same_encoding = ParseOptions::new("fuzz").lenient();
    same_encoding.encoding = Some(lenient.encoding);
    let whole = parse(data, &same_encoding);
    // The hot path for voucher rows and `#VER` lines reads what the general reader reads.
    let general = parse_without_hot_path(data, &same_encoding);
    assert_eq!(general.file, whole.file);
    assert_eq!(general.diagnostics, whole.diagnostics);
    let streamed = SieReader::new(data, &same_encoding)
        .into_parsed()
        .expect("reading from memory cannot fail");
    assert_eq!(streamed.file.vouchers, whole.file.vouchers);
    assert_eq!(streamed.diagnostics, whole.diagnostics);
    let mut one_by_one = delar_sie::Vouchers::new();
    let rest = SieReader::new(data, &same_encoding)
        .read_all(|v| one_by_one.push_ref(v))
        .expect("reading from memory cannot fail");
    assert_eq!(one_by_one, whole.file.vouchers);
    assert_eq!(rest.diagnostics, streamed.diagnostics);
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
