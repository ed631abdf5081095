//! `ParseOptions::without_texts`: the same vouchers, rows, diagnostics and `#KSUMMA`
//! verdict as a full read, with only the vouchers' and rows' texts left out.

mod common;

use delar_sie::{parse, parse_each, ParseOptions, Parsed, VoucherData};

/// Every voucher of a parse as data, with the texts cleared when `clear` is set.
fn vouchers(parsed: &Parsed, clear: bool) -> Vec<VoucherData> {
    parsed
        .file
        .vouchers
        .iter()
        .map(|v| {
            let mut d = v.to_data();
            if clear {
                d.text = None;
                for r in &mut d.rows {
                    r.text = None;
                }
            }
            d
        })
        .collect()
}

/// Reads `bytes` both ways (whole buffer and streaming) and checks that only the texts
/// differ; returns the number of texts the full read had.
fn check(name: &str, bytes: &[u8]) -> usize {
    let full_opts = ParseOptions::new(name).lenient();
    let bare_opts = full_opts.clone().without_texts();
    let full = parse(bytes, &full_opts);
    let bare = parse(bytes, &bare_opts);
    assert_eq!(
        vouchers(&bare, false),
        vouchers(&full, true),
        "{name}: the vouchers differ in more than their texts"
    );
    assert!(
        vouchers(&bare, false)
            .iter()
            .all(|v| v.text.is_none() && v.rows.iter().all(|r| r.text.is_none())),
        "{name}: a text was kept"
    );
    let shown = |p: &Parsed| {
        p.diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(shown(&bare), shown(&full), "{name}: diagnostics differ");
    assert_eq!(bare.stats, full.stats, "{name}: the paths taken differ");
    assert_eq!(bare.encoding, full.encoding, "{name}");
    // The same through the streaming reader.
    let mut streamed = Vec::new();
    let each = parse_each(bytes, &bare_opts, |_, v| streamed.push(v.to_data()));
    assert_eq!(streamed, vouchers(&bare, false), "{name}: streaming");
    assert_eq!(shown(&each), shown(&full), "{name}: streaming diagnostics");
    vouchers(&full, false)
        .iter()
        .map(|v| usize::from(v.text.is_some()) + v.rows.iter().filter(|r| r.text.is_some()).count())
        .sum()
}

/// A CP437 file with texts on the hot path (plain `#TRANS`) and the general path (a row
/// with a quantity and a signature, an escaped quote), a correct `#KSUMMA`.
fn cp437_file(ksumma: Option<u32>) -> Vec<u8> {
    let mut out = Vec::new();
    let text = "#FLAGGA 0\r\n#KSUMMA\r\n#PROGRAM \"Test\" 1\r\n#FORMAT PC8\r\n#SIETYP 4\r\n\
#RAR 0 20230101 20231231\r\n#KONTO 1930 \"Bank\"\r\n#KONTO 4010 \"Varuink\u{f6}p\"\r\n\
#DIM 1 \"Ansvar\"\r\n#OBJEKT 1 \"10\" \"\u{c5}ldreomsorg\"\r\n\
#VER A 1 20230105 \"M\u{e5}ltider \u{e4}ldreboende\"\r\n{\r\n\
   #TRANS 4010 {1 \"10\"} 100.00 20230105 \"F\u{f6}rbrukning\"\r\n\
   #TRANS 1930 {} -100.00 20230105 \"Bank \\\"\u{e4}r\\\" h\u{e4}r\" 1 \"K\u{e5}re\"\r\n}\r\n\
#VER A 2 20230106 \"\"\r\n{\r\n   #TRANS 4010 {} 5 \"\" \"\u{d6}vrigt\"\r\n   #TRANS 1930 {} -5\r\n}\r\n";
    for c in text.chars() {
        let b = match c {
            '\u{e5}' => 0x86,
            '\u{e4}' => 0x84,
            '\u{f6}' => 0x94,
            '\u{c5}' => 0x8f,
            '\u{d6}' => 0x99,
            c => c as u8,
        };
        out.push(b);
    }
    if let Some(sum) = ksumma {
        out.extend_from_slice(format!("#KSUMMA {sum}\r\n").as_bytes());
    }
    out
}

#[test]
fn only_the_texts_are_left_out() {
    // The right #KSUMMA is what the full read computes; both reads must accept it, and
    // both must reject a wrong one.
    let probe = parse(&cp437_file(Some(1)), &ParseOptions::new("probe").lenient());
    let wrong = probe
        .diagnostics
        .iter()
        .find(|d| d.message.contains("KSUMMA"))
        .expect("a wrong #KSUMMA is reported")
        .message
        .clone();
    let right: u32 = wrong
        .split_once(" ger ")
        .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .expect("the message gives the computed sum");
    let good = cp437_file(Some(right));
    let diags = parse(&good, &ParseOptions::new("good")).diagnostics;
    assert!(diags.is_empty(), "{wrong} / {diags:?}");
    assert_eq!(check("good", &good), 4);
    assert!(parse(&good, &ParseOptions::new("good").without_texts())
        .diagnostics
        .is_empty());
    check("wrong", &cp437_file(Some(1)));
    check("none", &cp437_file(None));
}

#[test]
fn every_corpus_file_reads_alike_without_texts() {
    let mut texts = 0;
    for path in common::corpus_files() {
        let bytes = std::fs::read(&path).expect("readable corpus file");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        texts += check(&name, &bytes);
    }
    // The corpus has texts to leave out: the test compares something.
    assert!(texts > 100, "{texts} texts in the corpus");
}
