//! `parse_each_from` reads a file from any reader as `parse_each` reads it from memory,
//! including the encoding, which both decide from the first MiB (where `SieReader` alone
//! decides it on the first line with letters outside ASCII), and reports I/O errors.

use delar_sie::{parse_each, parse_each_from, Encoding, ParseOptions, SieReader};

/// A file of more than a MiB: its first voucher text is the CP437 bytes `C3 A5` ("├Ñ"),
/// which also read as UTF-8 "å"; later texts hold CP437 `86` ("å"), which is not UTF-8.
fn mixed() -> Vec<u8> {
    let mut f = b"#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#RAR 0 20230101 20231231\r\n\
#KONTO 1930 \"Bank\"\r\n#KONTO 4010 \"Intakter\"\r\n"
        .to_vec();
    let mut n = 0;
    while f.len() < (1 << 20) + 4096 {
        n += 1;
        let text: &[u8] = if n == 1 { b"\xC3\xA5" } else { b"L\x86n" };
        f.extend_from_slice(format!("#VER A {n} 20230105 \"").as_bytes());
        f.extend_from_slice(text);
        f.extend_from_slice(b"\"\r\n{\r\n#TRANS 1930 {} -100.00\r\n#TRANS 4010 {} 100.00\r\n}\r\n");
    }
    f
}

fn texts(read: impl FnOnce(&mut dyn FnMut(Option<String>))) -> Vec<Option<String>> {
    let mut out = Vec::new();
    read(&mut |t| out.push(t));
    out
}

#[test]
fn the_encoding_is_decided_as_parse_each_decides_it() {
    let bytes = mixed();
    let options = ParseOptions::new("mixed.se");
    let mut each = Vec::new();
    let whole = parse_each(&bytes, &options, |_, v| {
        each.push(v.text().map(str::to_string))
    });
    assert!(!whole.has_errors(), "{:?}", whole.diagnostics);
    let from = texts(|push| {
        let parsed = parse_each_from(&bytes[..], &options, |_, v| {
            push(v.text().map(str::to_string))
        })
        .unwrap();
        assert_eq!(parsed.encoding, whole.encoding);
        assert_eq!(parsed.diagnostics, whole.diagnostics);
        assert_eq!(parsed.stats, whole.stats);
    });
    assert_eq!(from, each);
    assert_eq!(whole.encoding, Encoding::Cp437);
    assert_eq!(each[0].as_deref(), Some("├Ñ"));
    assert_eq!(each[1].as_deref(), Some("Lån"));
    // The line-by-line reader alone takes the first such line's word for it.
    let mut reader = SieReader::new(&bytes[..], &options);
    let first = reader
        .next_voucher()
        .unwrap()
        .unwrap()
        .text()
        .map(str::to_string);
    assert_eq!(first.as_deref(), Some("å"));
}

/// A reader that fails after `ok` bytes.
struct Failing<'a> {
    bytes: &'a [u8],
    ok: usize,
}

impl std::io::Read for Failing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.ok == 0 {
            return Err(std::io::Error::other("disk on fire"));
        }
        let n = buf.len().min(self.ok).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        self.ok -= n;
        Ok(n)
    }
}

#[test]
fn io_errors_name_the_file() {
    let bytes = mixed();
    for ok in [0, 100, (1 << 20) + 100] {
        let e = parse_each_from(
            Failing { bytes: &bytes, ok },
            &ParseOptions::new("x/h.se"),
            |_, _| {},
        )
        .unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("x/h.se") && text.contains("disk on fire"),
            "{ok}: {text}"
        );
    }
}
