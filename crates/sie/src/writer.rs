//! Writer for SIE types 1–4: CP437, CRLF line ends, `#KSUMMA` checksum.

use crate::date::Date;
use crate::encoding::encode_cp437;
use crate::model::*;
use crate::parser::line_checksum_content;

/// A field to write.
enum Tok<'a> {
    /// Written as is (numbers, dates, codes known to be safe).
    Raw(String),
    /// Written unquoted when it is a plain word, else quoted.
    Word(&'a str),
    /// Always quoted.
    Text(&'a str),
    /// An object list.
    List(&'a ObjectList),
    /// An object list of a voucher row: (dimension, object id) pairs.
    Pairs(Vec<(u32, &'a str)>),
}

struct Writer {
    out: Vec<u8>,
    line: Vec<u8>,
    crc: crc32fast::Hasher,
    scratch: Vec<u8>,
}

fn is_plain_word(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b > b' ' && b != b'"' && b != b'{' && b != b'}' && b != 0x7F)
        && !s.starts_with('#')
}

/// Writes `s` quoted: `"` becomes `\"`, backslashes before a quote or the end are doubled,
/// line breaks and other control characters become spaces.
fn quote(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let start = out.len();
    encode_cp437(s, out);
    let body = &out[start..];
    if body
        .iter()
        .any(|&b| b == b'"' || b == b'\\' || b < b' ' && b != b'\t')
    {
        let body: Vec<u8> = out.split_off(start);
        let mut k = 0;
        while k < body.len() {
            let b = body[k];
            if b == b'\\' {
                let run = body[k..].iter().take_while(|&&c| c == b'\\').count();
                let after = k + run;
                let double = after == body.len() || body[after] == b'"';
                let n = if double { run * 2 } else { run };
                out.extend(std::iter::repeat_n(b'\\', n));
                k = after;
                continue;
            }
            if b == b'"' {
                out.push(b'\\');
                out.push(b'"');
            } else if b < b' ' && b != b'\t' {
                out.push(b' ');
            } else {
                out.push(b);
            }
            k += 1;
        }
    }
    out.push(b'"');
}

impl Writer {
    fn new() -> Self {
        Writer {
            out: Vec::with_capacity(1 << 16),
            line: Vec::with_capacity(256),
            crc: crc32fast::Hasher::new(),
            scratch: Vec::with_capacity(256),
        }
    }

    /// Writes a record and adds it to the checksum.
    fn rec(&mut self, label: &str, toks: &[Tok<'_>]) {
        self.rec_indent(label, toks, false);
    }

    fn rec_indent(&mut self, label: &str, toks: &[Tok<'_>], indent: bool) {
        self.line.clear();
        if indent {
            self.line.push(b'\t');
        }
        self.line.extend_from_slice(label.as_bytes());
        for t in toks {
            self.line.push(b' ');
            match t {
                Tok::Raw(s) => encode_cp437(s, &mut self.line),
                Tok::Word(s) if is_plain_word(s) => encode_cp437(s, &mut self.line),
                Tok::Word(s) | Tok::Text(s) => quote(s, &mut self.line),
                Tok::List(list) => {
                    self.line.push(b'{');
                    for (k, o) in list.iter().enumerate() {
                        if k > 0 {
                            self.line.push(b' ');
                        }
                        self.line
                            .extend_from_slice(o.dimension.to_string().as_bytes());
                        self.line.push(b' ');
                        quote(&o.id, &mut self.line);
                    }
                    self.line.push(b'}');
                }
                Tok::Pairs(pairs) => {
                    self.line.push(b'{');
                    for (k, (dimension, id)) in pairs.iter().enumerate() {
                        if k > 0 {
                            self.line.push(b' ');
                        }
                        self.line
                            .extend_from_slice(dimension.to_string().as_bytes());
                        self.line.push(b' ');
                        quote(id, &mut self.line);
                    }
                    self.line.push(b'}');
                }
            }
        }
        self.scratch.clear();
        line_checksum_content(&self.line, &mut self.scratch);
        self.crc.update(&self.scratch);
        self.out.extend_from_slice(&self.line);
        self.out.extend_from_slice(b"\r\n");
    }

    /// A structural line (`{`, `}`), not part of the checksum.
    fn plain(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
        self.out.extend_from_slice(b"\r\n");
    }
}

/// Drops trailing empty optional fields and writes `""` for empty ones before a present one.
fn trailing<'a>(opts: Vec<Option<Tok<'a>>>) -> Vec<Tok<'a>> {
    let last = opts.iter().rposition(Option::is_some);
    let mut out = Vec::new();
    if let Some(last) = last {
        for t in opts.into_iter().take(last + 1) {
            out.push(t.unwrap_or(Tok::Raw("\"\"".to_string())));
        }
    }
    out
}

fn opt_text(s: &Option<String>) -> Option<Tok<'_>> {
    s.as_deref().map(Tok::Text)
}

/// Writes `file` as a SIE file of type `ty` in CP437 with a `#KSUMMA` checksum.
///
/// Only the records that type `ty` may carry are written (see [`SieFile::restricted_to`]).
/// Characters that CP437 lacks are written as `?`.
pub fn write(file: &SieFile, ty: SieType) -> Vec<u8> {
    let mut w = Writer::new();
    let flag = file.flag.clone().unwrap_or_else(|| "0".to_string());
    w.plain(&format!("#FLAGGA {flag}"));
    w.plain("#KSUMMA");
    w.rec("#FORMAT", &[Tok::Raw("PC8".into())]);
    w.rec("#SIETYP", &[Tok::Raw(ty.number().to_string())]);
    if let Some(p) = &file.program {
        let mut t = vec![Tok::Text(&p.name)];
        if let Some(v) = &p.version {
            t.push(Tok::Text(v));
        }
        w.rec("#PROGRAM", &t);
    }
    if let Some(g) = &file.generated {
        let t = trailing(vec![
            Some(Tok::Raw(g.date.to_sie())),
            opt_text(&g.signature),
        ]);
        w.rec("#GEN", &t);
    }
    if let Some(p) = &file.prose {
        w.rec("#PROSA", &[Tok::Text(p)]);
    }
    if let Some(s) = &file.company_type {
        w.rec("#FTYP", &[Tok::Text(s)]);
    }
    if let Some(s) = &file.company_id {
        w.rec("#FNR", &[Tok::Text(s)]);
    }
    if let Some(o) = &file.org_number {
        let t = trailing(vec![
            Some(Tok::Text(&o.number)),
            opt_text(&o.acquisition),
            opt_text(&o.activity),
        ]);
        w.rec("#ORGNR", &t);
    }
    if let Some(s) = &file.industry_code {
        w.rec("#BKOD", &[Tok::Text(s)]);
    }
    if let Some(a) = &file.address {
        w.rec(
            "#ADRESS",
            &[
                Tok::Text(&a.contact),
                Tok::Text(&a.street),
                Tok::Text(&a.postal),
                Tok::Text(&a.phone),
            ],
        );
    }
    if let Some(s) = &file.company_name {
        w.rec("#FNAMN", &[Tok::Text(s)]);
    }
    for y in &file.fiscal_years {
        w.rec(
            "#RAR",
            &[
                Tok::Raw(y.index.to_string()),
                Tok::Raw(y.start.to_sie()),
                Tok::Raw(y.end.to_sie()),
            ],
        );
    }
    if let Some(t) = file.tax_year {
        w.rec("#TAXAR", &[Tok::Raw(t.to_string())]);
    }
    if let Some(d) = file.balances_through {
        w.rec("#OMFATTN", &[Tok::Raw(d.to_sie())]);
    }
    if let Some(s) = &file.chart_type {
        w.rec("#KPTYP", &[Tok::Text(s)]);
    }
    if let Some(s) = &file.currency {
        w.rec("#VALUTA", &[Tok::Text(s)]);
    }
    for u in &file.unknown_records {
        // Kept as read: label and the rest of the line.
        w.line.clear();
        let mut line = Vec::new();
        line.extend_from_slice(u.label.as_bytes());
        if !u.rest.is_empty() {
            line.push(b' ');
            encode_cp437(&u.rest, &mut line);
        }
        w.scratch.clear();
        line_checksum_content(&line, &mut w.scratch);
        w.crc.update(&w.scratch);
        w.out.extend_from_slice(&line);
        w.out.extend_from_slice(b"\r\n");
    }
    for a in &file.accounts {
        w.rec("#KONTO", &[Tok::Word(&a.number), Tok::Text(&a.name)]);
    }
    for a in &file.accounts {
        if let Some(k) = a.kind {
            w.rec(
                "#KTYP",
                &[Tok::Word(&a.number), Tok::Raw(k.letter().to_string())],
            );
        }
        if let Some(u) = &a.unit {
            w.rec("#ENHET", &[Tok::Word(&a.number), Tok::Text(u)]);
        }
        for s in &a.sru {
            w.rec("#SRU", &[Tok::Word(&a.number), Tok::Text(s)]);
        }
    }
    if ty >= SieType::Type3 {
        for d in &file.dimensions {
            match d.parent {
                None => w.rec(
                    "#DIM",
                    &[Tok::Raw(d.number.to_string()), Tok::Text(&d.name)],
                ),
                Some(p) => w.rec(
                    "#UNDERDIM",
                    &[
                        Tok::Raw(d.number.to_string()),
                        Tok::Text(&d.name),
                        Tok::Raw(p.to_string()),
                    ],
                ),
            }
        }
        for o in &file.objects {
            w.rec(
                "#OBJEKT",
                &[
                    Tok::Raw(o.dimension.to_string()),
                    Tok::Text(&o.id),
                    Tok::Text(&o.name),
                ],
            );
        }
    }
    let balance = |w: &mut Writer, label: &str, b: &Balance| {
        let mut t = vec![
            Tok::Raw(b.year.to_string()),
            Tok::Word(&b.account),
            Tok::Raw(b.amount.to_string()),
        ];
        if let Some(q) = b.quantity {
            t.push(Tok::Raw(q.to_string()));
        }
        w.rec(label, &t);
    };
    for b in &file.opening_balances {
        balance(&mut w, "#IB", b);
    }
    for b in &file.closing_balances {
        balance(&mut w, "#UB", b);
    }
    if ty >= SieType::Type3 {
        for (label, list) in [
            ("#OIB", &file.object_opening_balances),
            ("#OUB", &file.object_closing_balances),
        ] {
            for b in list {
                let mut t = vec![
                    Tok::Raw(b.year.to_string()),
                    Tok::Word(&b.account),
                    Tok::List(&b.objects),
                    Tok::Raw(b.amount.to_string()),
                ];
                if let Some(q) = b.quantity {
                    t.push(Tok::Raw(q.to_string()));
                }
                w.rec(label, &t);
            }
        }
    }
    for b in &file.results {
        balance(&mut w, "#RES", b);
    }
    if ty >= SieType::Type2 {
        for (label, list) in [
            ("#PSALDO", &file.period_balances),
            ("#PBUDGET", &file.period_budgets),
        ] {
            for p in list {
                if ty < SieType::Type3 && !p.objects.is_empty() {
                    continue;
                }
                let mut t = vec![
                    Tok::Raw(p.year.to_string()),
                    Tok::Raw(p.period.to_string()),
                    Tok::Word(&p.account),
                    Tok::List(&p.objects),
                    Tok::Raw(p.amount.to_string()),
                ];
                if let Some(q) = p.quantity {
                    t.push(Tok::Raw(q.to_string()));
                }
                w.rec(label, &t);
            }
        }
    }
    if ty >= SieType::Type4 {
        for v in file.vouchers.iter() {
            let t = trailing(vec![
                Some(Tok::Text(v.series())),
                Some(Tok::Text(v.number())),
                Some(Tok::Raw(v.date().to_sie())),
                v.text().map(Tok::Text),
                v.registered().map(|d| Tok::Raw(d.to_sie())),
                v.signature().map(Tok::Text),
            ]);
            w.rec("#VER", &t);
            w.plain("{");
            for r in v.rows() {
                let tokens = |date: Option<Date>| {
                    let mut t = vec![
                        Tok::Word(r.account()),
                        Tok::Pairs(r.objects().map(|(d, id)| (d, &**id)).collect()),
                        Tok::Raw(r.amount().to_string()),
                    ];
                    t.extend(trailing(vec![
                        date.map(|d| Tok::Raw(d.to_sie())),
                        r.text().map(Tok::Text),
                        r.quantity().map(|q| Tok::Raw(q.to_string())),
                        r.signature().map(Tok::Text),
                    ]));
                    t
                };
                if r.kind() == RowKind::Added {
                    // The #RTRANS with the date the change was registered, then the #TRANS
                    // copy for readers that do not know #RTRANS, with the row's date (the
                    // copy rule: crate::vouchers).
                    w.rec_indent("#RTRANS", &tokens(r.registered()), true);
                    w.rec_indent("#TRANS", &tokens(r.date()), true);
                } else {
                    w.rec_indent(r.kind().label(), &tokens(r.date()), true);
                }
            }
            w.plain("}");
        }
    }
    let crc = std::mem::take(&mut w.crc).finalize();
    w.plain(&format!("#KSUMMA {crc}"));
    w.out
}
