//! Every corpus file gives the outcome PROVENANCE.md lists; round trip; streaming and the
//! reader without its hot path agree.

mod common;

use common::{corpus_files, expectations, expected_for, Expected};
use delar_sie::{parse, write, Code, ParseOptions, Severity, SieReader, SieType};

fn name(p: &std::path::Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_file_gives_its_expected_outcome() {
    let table = expectations();
    let mut checked = 0;
    for path in corpus_files() {
        let bytes = std::fs::read(&path).unwrap();
        let n = name(&path);
        let strict = parse(&bytes, &ParseOptions::new(n.clone()));
        let lenient = parse(&bytes, &ParseOptions::new(n.clone()).lenient());
        match expected_for(&n, &table) {
            Expected::Valid => {
                let errors: Vec<String> = strict.errors().map(|d| d.to_string()).collect();
                assert!(
                    errors.is_empty(),
                    "{n} should parse without error: {errors:#?}"
                );
                assert!(!lenient.has_errors(), "{n} lenient");
                assert!(
                    strict.file.sie_type.is_some() || !strict.file.accounts.is_empty(),
                    "{n}: nothing read"
                );
            }
            Expected::NotSie => {
                assert!(strict.has_errors(), "{n} must be rejected");
                let d = strict.errors().next().unwrap();
                assert_eq!(d.code, Code::NotSie, "{n}: {d}");
                assert!(d.message.contains("ingen SIE-fil"), "{n}: {d}");
                assert!(
                    lenient.has_errors(),
                    "{n} must be rejected in lenient mode too"
                );
                assert!(strict.clone().into_result().is_err());
            }
            Expected::Unbalanced {
                series,
                number,
                line,
                sum,
            } => {
                let errs: Vec<_> = strict.errors().collect();
                assert_eq!(errs.len(), 1, "{n}: {errs:#?}");
                let d = errs[0];
                assert_eq!(d.code, Code::Unbalanced, "{n}: {d}");
                assert!(
                    d.message
                        .contains(&format!("verifikation {series} {number} ")),
                    "{n}: {d}"
                );
                assert!(
                    d.message.contains(&format!("summerar till {sum}")),
                    "{n}: {d}"
                );
                if let Some(l) = line {
                    assert_eq!(d.line, l, "{n}: {d}");
                }
                let v = strict
                    .file
                    .vouchers
                    .iter()
                    .find(|v| v.line() == d.line)
                    .expect("the voucher is kept");
                assert_eq!(v.series(), series);
                assert_eq!(v.number(), number);
                // Lenient mode reads on and lists it as a warning.
                assert!(!lenient.has_errors(), "{n} lenient");
                assert!(lenient
                    .diagnostics
                    .iter()
                    .any(|w| w.code == Code::Unbalanced && w.severity == Severity::Warning));
            }
        }
        checked += 1;
    }
    assert!(checked > 60);
}

#[test]
fn round_trip_every_valid_file() {
    let table = expectations();
    for path in corpus_files() {
        let n = name(&path);
        if expected_for(&n, &table) == Expected::NotSie {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let first = parse(&bytes, &ParseOptions::new(n.clone()).lenient());
        let ty = first
            .file
            .sie_type
            .unwrap_or_else(|| first.file.content_type())
            .max(first.file.content_type());
        let written = write(&first.file, ty);
        let second = parse(
            &written,
            &ParseOptions::new(format!("{n} (written)")).lenient(),
        );
        let errors: Vec<String> = second.errors().map(|d| d.to_string()).collect();
        assert!(
            errors.is_empty(),
            "{n}: written file has errors {errors:#?}"
        );
        assert!(
            !second.diagnostics.iter().any(|d| d.code == Code::Checksum),
            "{n}: checksum"
        );
        assert!(second.file.checksum.is_some());
        let a = first.file.restricted_to(ty).without_positions();
        let b = second.file.without_positions();
        if first.encoding == delar_sie::Encoding::Cp437 {
            assert_eq!(a, b, "{n}: data differs after write and read");
        } else {
            // Text CP437 lacks (the UTF-8 file holds U+FFFD) is written as `?`.
            let ja = serde_json::to_string(&a).unwrap().replace('\u{FFFD}', "?");
            let jb = serde_json::to_string(&b).unwrap();
            assert_eq!(ja, jb, "{n}: data differs after write and read");
            assert_eq!(a.vouchers.len(), b.vouchers.len());
        }
        // Writing again gives the same bytes.
        assert_eq!(write(&second.file, ty), written, "{n}: writer not stable");
    }
}

/// A reader that hands out at most 7 bytes a read: lines straddle reads everywhere.
struct Trickle<'a>(&'a [u8]);

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(7).min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn hot_path_reads_every_file_as_the_general_reader() {
    // Each file as exported and without its last byte (the last line then ends the input
    // without a line end), strict and lenient. Lines near the end of the input are read
    // from a copy of the line; the parser's unit tests feed every line that way too.
    for path in corpus_files() {
        let n = name(&path);
        let bytes = std::fs::read(&path).unwrap();
        let mut cut = bytes.clone();
        cut.truncate(bytes.len().saturating_sub(1));
        for input in [&bytes, &cut] {
            for options in [
                ParseOptions::new(n.clone()),
                ParseOptions::new(n.clone()).lenient(),
            ] {
                let fast = parse(input, &options);
                let general = delar_sie::parse_without_hot_path(input, &options);
                assert_eq!(fast.file, general.file, "{n}");
                assert_eq!(fast.diagnostics, general.diagnostics, "{n}");
                assert_eq!(fast.encoding, general.encoding, "{n}");
                // One voucher at a time, read as `parse` reads it.
                let mut vouchers = delar_sie::Vouchers::new();
                let each = delar_sie::parse_each(input, &options, |_, v| vouchers.push_ref(v));
                assert_eq!(vouchers, fast.file.vouchers, "{n}: parse_each");
                let mut header = fast.file.clone();
                header.vouchers.clear();
                assert_eq!(each.file, header, "{n}: parse_each");
                assert_eq!(each.diagnostics, fast.diagnostics, "{n}: parse_each");
                assert_eq!(each.encoding, fast.encoding, "{n}: parse_each");
                assert_eq!(each.stats, fast.stats, "{n}: parse_each");
                // The same from a reader that hands out a few bytes at a time.
                let mut streamed = delar_sie::Vouchers::new();
                let from = delar_sie::parse_each_from(Trickle(input), &options, |_, v| {
                    streamed.push_ref(v)
                })
                .unwrap();
                assert_eq!(streamed, fast.file.vouchers, "{n}: parse_each_from");
                assert_eq!(from.file, header, "{n}: parse_each_from");
                assert_eq!(from.diagnostics, fast.diagnostics, "{n}: parse_each_from");
                assert_eq!(from.encoding, fast.encoding, "{n}: parse_each_from");
                assert_eq!(from.stats, fast.stats, "{n}: parse_each_from");
            }
        }
    }
}

#[test]
fn streaming_reader_agrees_with_whole_buffer() {
    for path in corpus_files() {
        let n = name(&path);
        let bytes = std::fs::read(&path).unwrap();
        let whole = parse(&bytes, &ParseOptions::new(n.clone()));
        let mut positions = Vec::new();
        let reader = SieReader::new(std::io::Cursor::new(&bytes), &ParseOptions::new(n.clone()));
        let mut vouchers = delar_sie::Vouchers::new();
        let mut reader = reader;
        while let Some(v) = reader.next_voucher() {
            vouchers.push_ref(v.unwrap());
            positions.push(reader.position());
        }
        assert!(positions.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(vouchers, whole.file.vouchers, "{n}");
        let streamed = reader.read_all(|_| panic!("no vouchers left")).unwrap();
        assert_eq!(streamed.encoding, whole.encoding, "{n}");
        assert_eq!(streamed.diagnostics, whole.diagnostics, "{n}");
        let mut header = whole.file.clone();
        header.vouchers.clear();
        assert_eq!(streamed.file, header, "{n}");
        // A tiny read buffer: lines straddle buffer fills everywhere.
        let small = std::io::BufReader::with_capacity(7, &bytes[..]);
        let again = SieReader::new(small, &ParseOptions::new(n.clone()))
            .into_parsed()
            .unwrap();
        assert_eq!(again.file, whole.file, "{n} (small buffer)");
        assert_eq!(again.diagnostics, whole.diagnostics, "{n} (small buffer)");
    }
}

#[test]
fn checksums_verify_and_catch_a_changed_byte() {
    let mut with_checksum = 0;
    for path in corpus_files() {
        let n = name(&path);
        let bytes = std::fs::read(&path).unwrap();
        let parsed = parse(&bytes, &ParseOptions::new(n.clone()));
        if parsed.file.checksum.is_none() {
            continue;
        }
        with_checksum += 1;
        assert!(
            !parsed.diagnostics.iter().any(|d| d.code == Code::Checksum),
            "{n}: {:?}",
            parsed.diagnostics
        );
        // Change one letter of the first #KONTO name: the checksum must fail.
        let start = bytes
            .windows(6)
            .position(|w| w == b"#KONTO")
            .expect("a #KONTO record");
        let end = start + bytes[start..].iter().position(|&b| b == b'\n').unwrap();
        let k = (start..end)
            .rev()
            .find(|&i| bytes[i].is_ascii_lowercase())
            .expect("a letter");
        let mut changed = bytes.clone();
        changed[k] = if changed[k] == b'x' { b'y' } else { b'x' };
        let bad = parse(&changed, &ParseOptions::new(n.clone()));
        let d = bad
            .errors()
            .find(|d| d.code == Code::Checksum)
            .unwrap_or_else(|| panic!("{n}: changed byte not detected"));
        assert!(d.message.contains("kontrollsumman stämmer inte"), "{d}");
        assert!(d.line > 1);
    }
    // The Norstedts files and Sie1.se.
    assert!(
        with_checksum >= 5,
        "only {with_checksum} files carry #KSUMMA"
    );
}

#[test]
fn the_utf8_file_is_detected() {
    let mut found = Vec::new();
    for path in corpus_files() {
        let bytes = std::fs::read(&path).unwrap();
        let p = parse(&bytes, &ParseOptions::new(name(&path)));
        if p.encoding == delar_sie::Encoding::Utf8 {
            found.push(name(&path));
            // Decoded as UTF-8, not as CP437 (where the bytes EF BF BD would be `∩┐╜`).
            let names: String = p.file.accounts.iter().map(|a| a.name.as_str()).collect();
            assert!(!names.contains('∩') && !names.contains('┐'));
            assert!(!names.is_ascii());
        }
    }
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn xe_files_with_unquoted_object_ids_and_tabs() {
    let path = common::corpus_dir().join("XE_SIE_3_20151125094952.SE");
    let bytes = std::fs::read(path).unwrap();
    let p = parse(&bytes, &ParseOptions::new("xe3"));
    assert!(!p.has_errors());
    assert!(p.file.period_balances.iter().any(|b| !b.objects.is_empty()));
    assert_eq!(p.file.sie_type, Some(SieType::Type3));
}

#[test]
fn corrected_vouchers_give_the_balance_provenance_states() {
    // PROVENANCE.md, "Corrected vouchers": the file, and the balance line `delar sie
    // balances` gives for it (`ACCOUNT,PERIOD,,AMOUNT`).
    let text = std::fs::read_to_string(common::corpus_dir().join("PROVENANCE.md")).unwrap();
    let section = text
        .split("## ")
        .find(|s| s.starts_with("Corrected vouchers"))
        .expect("a section on corrected vouchers");
    let ticked: Vec<&str> = section.split('`').skip(1).step_by(2).collect();
    let file = ticked
        .iter()
        .find(|t| t.to_ascii_lowercase().ends_with(".se"))
        .expect("a file name");
    let line = ticked
        .iter()
        .find(|t| t.matches(',').count() == 3)
        .expect("a balance line");
    let [account, period, _, amount] = line.split(',').collect::<Vec<_>>()[..] else {
        panic!("{line}");
    };
    let bytes = std::fs::read(common::corpus_dir().join(file)).unwrap();
    let parsed = parse(&bytes, &ParseOptions::new(*file));
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    // The dates of the changes (after the fiscal year) draw no warning: they are when the
    // changes were registered, not when they book.
    assert!(
        !parsed
            .diagnostics
            .iter()
            .any(|d| d.code == Code::DateOutsideYear || d.code == Code::Correction),
        "{:?}",
        parsed.diagnostics
    );
    let b = delar_sie::balances(&parsed.file, 0);
    let got: Vec<String> = b
        .rows
        .iter()
        .filter(|r| {
            &*r.account == account
                && r.objects.is_empty()
                && r.period.map(|p| p.to_string()).as_deref() == Some(period)
        })
        .map(|r| r.amount.to_string())
        .collect();
    assert_eq!(got, vec![amount.to_string()], "{file}: {line}");
    // Every voucher balances with each copy counted once.
    for v in parsed.file.vouchers.iter() {
        assert!(v.balance().is_zero(), "{file}: voucher {}", v.number());
    }
}
