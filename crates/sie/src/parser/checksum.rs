//! `#KSUMMA`: the CRC-32 of the records between the opening and the closing `#KSUMMA`,
//! gathered in blocks (the hot path copies its tokens 16 bytes at a time).

use super::*;
/// Bytes of `#KSUMMA` content gathered before they are hashed in one block.
pub(super) const CRC_BLOCK: usize = 1 << 16;
/// Room after [`CRC_BLOCK`] for one line of the hot path (under 128 bytes) and a 16-byte
/// copy past its last token.
pub(super) const CRC_SLACK: usize = 256;

/// State of the `#KSUMMA` computation.
#[derive(Clone)]
pub(super) struct Checksum {
    pub(super) active: bool,
    pub(super) opened: bool,
    pub(super) open_line: u32,
    pub(super) hasher: crc32fast::Hasher,
    /// Content not hashed yet: `buf[..pos]`. The [`CRC_SLACK`] bytes after [`CRC_BLOCK`]
    /// hold one line of the hot path, copied 16 bytes at a time.
    pub(super) buf: Box<[u8]>,
    pub(super) pos: usize,
    /// Scratch for records read by the general path.
    pub(super) scratch: Vec<u8>,
    /// Scratch for the fields of an object list of such a record.
    pub(super) inner: Vec<Field>,
}

impl Default for Checksum {
    fn default() -> Self {
        Checksum {
            active: false,
            opened: false,
            open_line: 0,
            hasher: crc32fast::Hasher::new(),
            buf: vec![0u8; CRC_BLOCK + CRC_SLACK].into_boxed_slice(),
            pos: 0,
            scratch: Vec::new(),
            inner: Vec::new(),
        }
    }
}

impl Checksum {
    /// Content is gathered and hashed in large blocks (the CRC of a concatenation).
    #[inline]
    pub(super) fn flush_if_full(&mut self) {
        if self.pos >= CRC_BLOCK {
            self.flush();
        }
    }

    pub(super) fn flush(&mut self) {
        self.hasher.update(&self.buf[..self.pos]);
        self.pos = 0;
    }

    /// A writer for the tokens of one line of fewer than 128 bytes; its [`TokenWriter::k`]
    /// is then added to `pos`.
    #[inline(always)]
    pub(super) fn line_writer(&mut self) -> TokenWriter<'_> {
        if self.pos > CRC_BLOCK {
            self.flush();
        }
        let region = self.buf[self.pos..]
            .first_chunk_mut::<CRC_SLACK>()
            .expect("the buffer has CRC_SLACK bytes after CRC_BLOCK");
        TokenWriter { region, k: 0 }
    }

    /// Appends `bytes` (records read by the general path; the hot path uses
    /// [`Checksum::line_writer`]).
    pub(super) fn push(&mut self, bytes: &[u8]) {
        if self.pos + bytes.len() > self.buf.len() {
            self.flush();
        }
        if bytes.len() > self.buf.len() {
            self.hasher.update(bytes);
            return;
        }
        self.buf[self.pos..self.pos + bytes.len()].copy_from_slice(bytes);
        self.pos += bytes.len();
    }
}

/// Appends the tokens of one line of the hot path to the checksum buffer, into a region with
/// room for the whole line ([`CRC_SLACK`]): a token is copied in 16-byte moves (only its
/// length counts), with no bounds check left (positions are under 128, the region and the
/// pad are larger).
pub(super) struct TokenWriter<'a> {
    pub(super) region: &'a mut [u8; CRC_SLACK],
    /// Bytes written to `region`.
    pub(super) k: usize,
}

impl TokenWriter<'_> {
    /// Appends `pad[start..end]`.
    #[inline(always)]
    pub(super) fn token(&mut self, pad: &Pad, start: usize, end: usize) {
        let len = end - start;
        debug_assert!(end <= 128 && self.k + len < 128);
        let (s, k) = (start & 127, self.k & 127);
        let mut copy16 = |o: usize| {
            let (so, ko) = ((s + o) & 127, (k + o) & 127);
            let from: &[u8; 16] = pad[so..so + 16].try_into().expect("16 bytes");
            let to: &mut [u8; 16] = (&mut self.region[ko..ko + 16])
                .try_into()
                .expect("16 bytes");
            *to = *from;
        };
        copy16(0);
        if len > 16 {
            for o in (16..len).step_by(16) {
                copy16(o);
            }
        }
        self.k += len;
    }
}

impl Core {
    pub(super) fn ksumma_record(&mut self, line: &[u8], fields: &[Field]) {
        if fields.len() < 2 {
            if !self.ksumma.opened {
                self.ksumma.opened = true;
                self.ksumma.active = true;
                self.ksumma.open_line = self.line_no;
                self.ksumma.hasher = crc32fast::Hasher::new();
                self.ksumma.pos = 0;
            }
            return;
        }
        let f = fields[1];
        let text = &line[f.start as usize..f.end as usize];
        let value = std::str::from_utf8(text)
            .ok()
            .and_then(|t| t.parse::<u64>().ok())
            .and_then(|v| u32::try_from(v).ok());
        let Some(value) = value else {
            let p = Problem {
                offset: f.start as usize,
                message: "värdet i #KSUMMA är inget tal mellan 0 och 4294967295".to_string(),
                code: Code::Syntax,
            };
            self.report(line, p, Severity::Error);
            return;
        };
        self.file.checksum = Some(value);
        if !self.ksumma.active {
            let p = Problem {
                offset: f.start as usize,
                message: "avslutande #KSUMMA utan inledande #KSUMMA i filens början; kontrollsumman kan inte kontrolleras".to_string(),
                code: Code::Checksum,
            };
            self.report(line, p, Severity::Warning);
            return;
        }
        self.ksumma.active = false;
        self.ksumma.flush();
        let actual = std::mem::take(&mut self.ksumma.hasher).finalize();
        if actual != value {
            let sev = self.data_severity();
            let p = Problem {
                offset: f.start as usize,
                message: format!(
                    "kontrollsumman stämmer inte: #KSUMMA anger {value} men posterna från rad {} ger {actual}; filen har ändrats eller skadats efter exporten; exportera den på nytt",
                    self.ksumma.open_line
                ),
                code: Code::Checksum,
            };
            self.report(line, p, sev);
        }
    }

    /// Adds a record's label and field contents (no separators, quotes or braces) to the CRC.
    pub(super) fn hash_record(&mut self, line: &[u8], fields: &[Field]) {
        if fields
            .iter()
            .all(|f| !f.escaped && matches!(f.kind, Kind::Word | Kind::Quoted))
        {
            for f in fields {
                self.ksumma.push(&line[f.start as usize..f.end as usize]);
            }
            self.ksumma.flush_if_full();
            return;
        }
        let mut scratch = std::mem::take(&mut self.ksumma.scratch);
        let mut inner = std::mem::take(&mut self.ksumma.inner);
        scratch.clear();
        checksum_content(line, fields, &mut scratch, &mut inner);
        self.ksumma.push(&scratch);
        self.ksumma.scratch = scratch;
        self.ksumma.inner = inner;
        self.ksumma.flush_if_full();
    }
}

/// Appends what `#KSUMMA` covers of one record: the label and each field's content, without
/// separators, quotes or the braces of object lists (the SIE 4 rule, verified against the
/// Norstedts and Visma files of the corpus). `inner` is scratch for the fields of a list.
pub(super) fn checksum_content(
    line: &[u8],
    fields: &[Field],
    out: &mut Vec<u8>,
    inner: &mut Vec<Field>,
) {
    for f in fields {
        match f.kind {
            Kind::Word | Kind::Quoted => out.extend_from_slice(&field_bytes(line, f)),
            Kind::List => {
                let body = &line[f.start as usize..f.end as usize];
                let _ = split(body, inner);
                for g in inner.iter() {
                    out.extend_from_slice(&field_bytes(body, g));
                }
            }
            Kind::Open => {}
        }
    }
}

/// [`checksum_content`] for a whole line (used by the writer).
pub(crate) fn line_checksum_content(line: &[u8], out: &mut Vec<u8>) {
    let mut fields = Vec::new();
    let _ = split(line, &mut fields);
    checksum_content(line, &fields, out, &mut Vec::new());
}
