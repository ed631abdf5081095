//! Writes the vouchers of [`crate::model`] as a SIE 4 file in a profile's syntax: CP437
//! texts, the profile's separators, object lists, amount forms, row fields and line ends,
//! `#PSALDO` and `#PBUDGET` for the municipal profiles, and a correct `#KSUMMA` where the
//! profile writes one.

use crate::model::{
    Chart, Generator, Objects, Row, RowKind, Totals, Voucher, Ymd, ROW_TEXTS, SIGNATURES,
    VOUCHER_TEXTS,
};
use crate::profile::Profile;
use crate::LedgerSpec;
use rand::Rng;
use std::io::{self, Write};

/// Encodes `s` in CP437 (every character the generator uses exists there).
pub fn cp437(s: &str) -> Vec<u8> {
    oem_cp::encode_string_lossy(s, &oem_cp::code_table::ENCODING_TABLE_CP437)
}

/// One output line at a time, with what `#KSUMMA` covers of it: the label and each
/// field's content without separators, quotes or braces.
struct Lines<W: Write> {
    out: W,
    eol: &'static [u8],
    line: Vec<u8>,
    content: Vec<u8>,
    crc: Option<crc32fast::Hasher>,
    sep: u8,
    bytes: u64,
}

impl<W: Write> Lines<W> {
    fn start(&mut self, indent: &[u8], label: &str) {
        self.line.clear();
        self.content.clear();
        self.line.extend_from_slice(indent);
        self.line.extend_from_slice(label.as_bytes());
        self.content.extend_from_slice(label.as_bytes());
    }

    /// A field written as is (a word: no spaces, quotes or braces).
    fn word(&mut self, s: &[u8]) {
        self.line.push(self.sep);
        self.line.extend_from_slice(s);
        self.content.extend_from_slice(s);
    }

    fn num(&mut self, n: impl itoa_like::Int) {
        let mut b = [0u8; 24];
        let s = n.fmt(&mut b);
        self.word(s);
    }

    /// A quoted field (the generator's texts hold no quotes or backslashes).
    fn quoted(&mut self, s: &[u8]) {
        self.line.push(self.sep);
        self.line.push(b'"');
        self.line.extend_from_slice(s);
        self.line.push(b'"');
        self.content.extend_from_slice(s);
    }

    /// Raw bytes inside a field (object lists), with their checksum content.
    fn raw(&mut self, line: &[u8], content: &[u8]) {
        self.line.extend_from_slice(line);
        self.content.extend_from_slice(content);
    }

    /// Ends a record that `#KSUMMA` covers.
    fn end(&mut self) -> io::Result<()> {
        if let Some(crc) = &mut self.crc {
            crc.update(&self.content);
        }
        self.line.extend_from_slice(self.eol);
        self.bytes += self.line.len() as u64;
        self.out.write_all(&self.line)
    }

    /// A line outside the checksum (`#FLAGGA`, the opening `#KSUMMA`, braces).
    fn plain(&mut self, s: &[u8]) -> io::Result<()> {
        self.out.write_all(s)?;
        self.out.write_all(self.eol)?;
        self.bytes += (s.len() + self.eol.len()) as u64;
        Ok(())
    }
}

/// Minimal integer formatting into a stack buffer (the hot loop writes millions of
/// numbers; `write!` through `fmt` would dominate the generator's time).
mod itoa_like {
    /// An integer that formats itself.
    pub trait Int: Copy {
        /// Writes the decimal digits into `buf` and returns them.
        fn fmt(self, buf: &mut [u8; 24]) -> &[u8];
    }
    impl Int for u64 {
        fn fmt(mut self, buf: &mut [u8; 24]) -> &[u8] {
            let mut i = buf.len();
            loop {
                i -= 1;
                buf[i] = b'0' + (self % 10) as u8;
                self /= 10;
                if self == 0 {
                    break;
                }
            }
            &buf[i..]
        }
    }
    impl Int for u32 {
        fn fmt(self, buf: &mut [u8; 24]) -> &[u8] {
            (self as u64).fmt(buf)
        }
    }
}

/// An amount in öre as the profile writes it: `-137.00`; BL whole kronor as `-133`;
/// Raindance without trailing zeros (`1250.5`, `1250`).
pub fn amount(profile: Profile, ore: i64, out: &mut Vec<u8>) {
    if ore < 0 {
        out.push(b'-');
    }
    let a = ore.unsigned_abs();
    let mut b = [0u8; 24];
    out.extend_from_slice(itoa_like::Int::fmt(a / 100, &mut b));
    let cents = (a % 100) as u8;
    match profile {
        Profile::Bl | Profile::Raindance if cents == 0 => {}
        Profile::Raindance if cents.is_multiple_of(10) => {
            out.push(b'.');
            out.push(b'0' + cents / 10);
        }
        _ => {
            out.push(b'.');
            out.push(b'0' + cents / 10);
            out.push(b'0' + cents % 10);
        }
    }
}

/// Writes one fiscal year of `spec` as SIE 4 to `out`; returns the totals the file holds
/// (what a correct reader must find) and the bytes written.
pub fn write_ledger<W: Write>(spec: &LedgerSpec, out: W) -> io::Result<(Totals, u64)> {
    let mut g = Generator::new(spec);
    let profile = spec.profile;
    let mut w = Lines {
        out,
        eol: spec.line_end().bytes(),
        line: Vec::with_capacity(256),
        content: Vec::with_capacity(256),
        crc: spec.checksum().then(crc32fast::Hasher::new),
        sep: b' ',
        bytes: 0,
    };
    header(spec, &g, &mut w)?;
    let mut totals = Totals::default();
    let mut v = Voucher::empty();
    let texts: Vec<Vec<u8>> = VOUCHER_TEXTS.iter().map(|t| cp437(t)).collect();
    let row_texts: Vec<Vec<u8>> = ROW_TEXTS.iter().map(|t| cp437(t)).collect();
    let signatures: Vec<Vec<u8>> = SIGNATURES.iter().map(|t| cp437(t)).collect();
    let mut scratch = Vec::with_capacity(64);
    let mut content = Vec::with_capacity(64);
    let mut style_rng = g.side_rng(0x51E4);
    while g.next_into(&mut v) {
        totals.add(&v);
        ver_line(profile, &v, &texts, &signatures, &mut w)?;
        w.plain(b"{")?;
        for r in &v.rows {
            let sig = &signatures[v.number as usize % signatures.len()];
            let form = style_rng.gen_range(0..4u8);
            let label = match r.kind {
                RowKind::Normal => "#TRANS",
                RowKind::Added => "#RTRANS",
                RowKind::Removed => "#BTRANS",
            };
            let signed = r.kind != RowKind::Normal;
            row_line(
                profile,
                label,
                r,
                &v,
                form,
                signed.then_some(&sig[..]),
                &row_texts,
                &mut scratch,
                &mut content,
                &mut w,
            )?;
            if r.kind == RowKind::Added {
                // The copy for readers that do not know #RTRANS: same account, objects
                // and amount; Fortnox and BL write it without the signature.
                row_line(
                    profile,
                    "#TRANS",
                    r,
                    &v,
                    form,
                    spec.signed_copy.then_some(&sig[..]),
                    &row_texts,
                    &mut scratch,
                    &mut content,
                    &mut w,
                )?;
            }
        }
        w.plain(b"}")?;
    }
    if let Some(crc) = w.crc.take() {
        let line = format!("#KSUMMA {}", crc.finalize());
        w.plain(line.as_bytes())?;
    }
    w.out.flush()?;
    Ok((totals, w.bytes))
}

fn header<W: Write>(spec: &LedgerSpec, g: &Generator, w: &mut Lines<W>) -> io::Result<()> {
    let profile = spec.profile;
    let chart = g.chart();
    let y = spec.year;
    w.plain(b"#FLAGGA 0")?;
    if w.crc.is_some() {
        w.plain(b"#KSUMMA")?;
    }
    let (program, version): (&str, &str) = match profile {
        Profile::Fortnox => ("Fortnox", "3.41.2"),
        Profile::Visma => ("Visma Administration 2000", "2023.1"),
        Profile::Bl => ("BL Administration", "2023.3.101"),
        Profile::Unit4 => ("Unit4 ERP", "7.5"),
        Profile::Raindance => ("Raindance Ekonomi", "2023.1"),
    };
    w.start(b"", "#PROGRAM");
    w.quoted(program.as_bytes());
    w.word(version.as_bytes());
    w.end()?;
    w.start(b"", "#FORMAT");
    w.word(b"PC8");
    w.end()?;
    w.start(b"", "#GEN");
    w.num(
        Ymd {
            year: y + 1,
            month: 1,
            day: 15,
        }
        .sie(),
    );
    w.end()?;
    w.start(b"", "#SIETYP");
    w.word(b"4");
    w.end()?;
    if matches!(profile, Profile::Fortnox | Profile::Bl) {
        w.start(b"", "#FNR");
        w.word(b"0001");
        w.end()?;
    }
    w.start(b"", "#FNAMN");
    let name = if profile.municipal() {
        "Älvsjöns kommun"
    } else {
        "Åkessons Bygg & Måleri AB"
    };
    w.quoted(&cp437(name));
    w.end()?;
    w.start(b"", "#ORGNR");
    w.word(if profile.municipal() {
        b"212000-9999"
    } else {
        b"556677-8899"
    });
    w.end()?;
    for (k, year) in [(0i32, y), (-1, y - 1)] {
        w.start(b"", "#RAR");
        w.word(k.to_string().as_bytes());
        w.num(
            Ymd {
                year,
                month: 1,
                day: 1,
            }
            .sie(),
        );
        w.num(
            Ymd {
                year,
                month: 12,
                day: 31,
            }
            .sie(),
        );
        w.end()?;
    }
    w.start(b"", "#KPTYP");
    w.word(if profile.municipal() {
        b"KOMMUNBAS"
    } else {
        b"BAS2014"
    });
    w.end()?;
    if profile == Profile::Visma {
        w.start(b"", "#VALUTA");
        w.word(b"SEK");
        w.end()?;
    }
    for d in &chart.dimensions {
        w.start(b"", "#DIM");
        w.num(d.number);
        w.quoted(&cp437(d.name));
        w.end()?;
    }
    for d in &chart.dimensions {
        for (k, id) in d.ids.iter().enumerate() {
            w.start(b"", "#OBJEKT");
            w.num(d.number);
            w.quoted(id.to_string().as_bytes());
            let name = format!(
                "{} {} {}",
                d.name,
                ["Åby", "Ängen", "Östra", "Söder"][k % 4],
                id
            );
            w.quoted(&cp437(&name));
            w.end()?;
        }
    }
    for a in &chart.accounts {
        w.start(b"", "#KONTO");
        w.num(a.number);
        w.quoted(&cp437(&a.name));
        w.end()?;
        if matches!(profile, Profile::Visma | Profile::Bl | Profile::Raindance) {
            w.start(b"", "#KTYP");
            w.num(a.number);
            w.word(match a.number {
                1000..=1999 => b"T",
                2000..=2999 => b"S",
                3000..=3999 => b"I",
                _ => b"K",
            });
            w.end()?;
        }
    }
    let pairs = spec
        .period_pairs
        .unwrap_or(if profile.municipal() { 300 } else { 0 });
    if pairs > 0 {
        period_records(spec, pairs, g, chart, w)?;
    }
    Ok(())
}

/// `#PSALDO` of the prior year and `#PBUDGET` of the current year for a sample of `draws`
/// (account, ansvar) pairs (duplicates drawn are written once), per month.
fn period_records<W: Write>(
    spec: &LedgerSpec,
    draws: u32,
    g: &Generator,
    chart: &Chart,
    w: &mut Lines<W>,
) -> io::Result<()> {
    let mut rng = g.side_rng(0xB0D6E7);
    let result: Vec<u32> = chart
        .accounts
        .iter()
        .map(|a| a.number)
        .filter(|n| (3000..9000).contains(n))
        .collect();
    let ansvar = chart.ids(1);
    // The profiles without ansvar objects write the account's balance (`{}`).
    let mut pairs: Vec<(u32, Option<u32>)> = (0..draws)
        .map(|_| {
            let account = result[rng.gen_range(0..result.len())];
            let id = (!ansvar.is_empty()).then(|| ansvar[rng.gen_range(0..ansvar.len())]);
            (account, id)
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut buf = Vec::new();
    let mut content = Vec::new();
    for (label, year, k) in [
        ("#PSALDO", spec.year - 1, "-1"),
        ("#PBUDGET", spec.year, "0"),
    ] {
        for &(account, id) in &pairs {
            let mut o = Objects::default();
            if let Some(id) = id {
                o.push(1, id);
            }
            let monthly =
                rng.gen_range(100_000..50_000_000_i64) * if account < 4000 { -1 } else { 1 };
            for month in 1..=12u32 {
                w.start(b"", label);
                w.word(k.as_bytes());
                w.num(year as u32 * 100 + month);
                w.num(account);
                w.line.push(w.sep);
                buf.clear();
                content.clear();
                objects(spec.profile, &o, 0, &mut buf, &mut content);
                w.raw(&buf, &content);
                buf.clear();
                amount(spec.profile, monthly * month as i64, &mut buf);
                w.word(&buf);
                w.end()?;
            }
        }
    }
    Ok(())
}

fn ver_line<W: Write>(
    profile: Profile,
    v: &Voucher,
    texts: &[Vec<u8>],
    signatures: &[Vec<u8>],
    w: &mut Lines<W>,
) -> io::Result<()> {
    w.start(b"", "#VER");
    match profile {
        Profile::Unit4 => {
            w.quoted(v.series.as_bytes());
            w.quoted(v.number.to_string().as_bytes());
        }
        _ => {
            w.word(v.series.as_bytes());
            w.num(v.number);
        }
    }
    w.num(v.date.sie());
    w.quoted(&texts[v.text as usize]);
    match profile {
        Profile::Raindance => {}
        Profile::Bl => {
            w.num(v.registered.sie());
            w.quoted(&signatures[v.number as usize % signatures.len()]);
        }
        _ => w.num(v.registered.sie()),
    }
    w.end()
}

/// Writes an object list in the profile's form into `line`, and its checksum content.
/// `form` varies Raindance's lists between unquoted and fully quoted.
fn objects(profile: Profile, o: &Objects, form: u8, line: &mut Vec<u8>, content: &mut Vec<u8>) {
    let mut b = [0u8; 24];
    line.push(b'{');
    if profile == Profile::Bl && !o.pairs().is_empty() {
        line.push(b' ');
    }
    for (k, &(d, id)) in o.pairs().iter().enumerate() {
        if k > 0 {
            line.push(b' ');
        }
        let ds = itoa_like::Int::fmt(d, &mut b).to_vec();
        let quote_dim = match profile {
            Profile::Bl | Profile::Unit4 => true,
            Profile::Raindance => form == 0,
            _ => false,
        };
        let quote_id = !(profile == Profile::Raindance && form != 0);
        if quote_dim {
            line.push(b'"');
            line.extend_from_slice(&ds);
            line.push(b'"');
        } else {
            line.extend_from_slice(&ds);
        }
        content.extend_from_slice(&ds);
        line.push(b' ');
        let is = itoa_like::Int::fmt(id, &mut b);
        if quote_id {
            line.push(b'"');
            line.extend_from_slice(is);
            line.push(b'"');
        } else {
            line.extend_from_slice(is);
        }
        content.extend_from_slice(is);
    }
    line.push(b'}');
}

#[allow(clippy::too_many_arguments)]
fn row_line<W: Write>(
    profile: Profile,
    label: &str,
    r: &Row,
    v: &Voucher,
    form: u8,
    signature: Option<&[u8]>,
    row_texts: &[Vec<u8>],
    buf: &mut Vec<u8>,
    content: &mut Vec<u8>,
    w: &mut Lines<W>,
) -> io::Result<()> {
    let indent: &[u8] = match profile {
        Profile::Visma => b"\t",
        Profile::Unit4 => b"  ",
        _ => b"",
    };
    w.sep = if profile == Profile::Bl { b'\t' } else { b' ' };
    w.start(indent, label);
    w.num(r.account);
    w.line.push(w.sep);
    buf.clear();
    content.clear();
    objects(profile, &r.objects, form, buf, content);
    w.raw(buf, content);
    buf.clear();
    amount(profile, r.amount, buf);
    w.word(buf);
    let text = &row_texts[r.text as usize][..];
    match profile {
        Profile::Fortnox => {
            // Old exports: `#TRANS 1910 {} -137.00 ` (trailing space, no date, no text);
            // newer ones: empty date and text fields and a quantity.
            if r.kind != RowKind::Normal || form >= 2 {
                w.quoted(b"");
                w.quoted(b"");
                w.word(b"0");
            } else {
                w.line.push(b' ');
            }
        }
        Profile::Visma => {
            w.num(v.date.sie());
            w.quoted(if form == 0 { b"" } else { text });
        }
        Profile::Bl => {
            w.num(v.date.sie());
            w.quoted(if form < 3 { b"" } else { text });
        }
        Profile::Unit4 => {
            w.num(v.date.sie());
            w.quoted(text);
        }
        Profile::Raindance => {}
    }
    if let Some(sig) = signature {
        if profile != Profile::Fortnox {
            // An empty quantity before the signature, as BL writes it (Fortnox wrote
            // its quantity above).
            w.quoted(b"");
        }
        w.quoted(sig);
    }
    w.end()?;
    w.sep = b' ';
    Ok(())
}
