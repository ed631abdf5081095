//! Character encodings: detection of CP437 (PC8), UTF-8 and Windows-1252, and decoding of fields.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

/// The character encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum Encoding {
    /// IBM PC code page 437 (`#FORMAT PC8`), what the specification requires. Also reported
    /// for pure ASCII files.
    #[default]
    #[serde(rename = "cp437")]
    Cp437,
    /// UTF-8 (with or without byte order mark).
    #[serde(rename = "utf-8")]
    Utf8,
    /// Windows-1252 / ISO 8859-1 (Latin-1), written by some programs.
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Cp437 => "cp437",
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
        })
    }
}

/// Bytes of Swedish letters and common symbols in CP437 (å ä ö Å Ä Ö é É ü).
const CP437_LETTERS: &[u8] = &[0x86, 0x84, 0x94, 0x8F, 0x8E, 0x99, 0x82, 0x90, 0x81];
/// The same letters in Windows-1252.
const CP1252_LETTERS: &[u8] = &[0xE5, 0xE4, 0xF6, 0xC5, 0xC4, 0xD6, 0xE9, 0xC9, 0xFC];

/// Guesses the encoding of `bytes` (a whole file or a prefix of it). `None` when the bytes are
/// pure ASCII and so say nothing.
pub fn detect(bytes: &[u8]) -> Option<Encoding> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Some(Encoding::Utf8);
    }
    if bytes.is_ascii() {
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => return Some(Encoding::Utf8),
        Err(e) => {
            // A prefix may end inside a character: accept when only the tail is incomplete.
            if e.error_len().is_none()
                && e.valid_up_to() > 0
                && !bytes[..e.valid_up_to()].is_ascii()
            {
                return Some(Encoding::Utf8);
            }
        }
    }
    let mut cp437 = 0usize;
    let mut cp1252 = 0usize;
    // Skip ASCII blocks quickly; score only blocks with high bytes.
    for chunk in bytes.chunks(64).filter(|c| !c.is_ascii()) {
        for &b in chunk.iter().filter(|b| **b >= 0x80) {
            if CP437_LETTERS.contains(&b) {
                cp437 += 1;
            } else if CP1252_LETTERS.contains(&b) {
                cp1252 += 1;
            }
        }
    }
    if cp1252 > cp437 {
        Some(Encoding::Windows1252)
    } else {
        Some(Encoding::Cp437)
    }
}

/// Like [`detect`], but `None` also when the bytes hold no letter that tells CP437 from
/// Windows-1252 (used on single lines by the streaming reader).
pub(crate) fn detect_confident(bytes: &[u8]) -> Option<Encoding> {
    match detect(bytes)? {
        Encoding::Cp437 if !bytes.iter().any(|b| CP437_LETTERS.contains(b)) => None,
        e => Some(e),
    }
}

/// Decodes one field in `encoding`. ASCII is borrowed without copying.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Cow<'_, str> {
    if bytes.is_ascii() {
        // ASCII is valid UTF-8; from_utf8 cannot fail here.
        return match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(bytes),
        };
    }
    match encoding {
        Encoding::Utf8 => String::from_utf8_lossy(bytes),
        Encoding::Cp437 => {
            let mut out = Vec::with_capacity(bytes.len() * 2);
            cp437_into(bytes, &mut out);
            // The table holds the UTF-8 of whole characters only.
            Cow::Owned(String::from_utf8(out).unwrap_or_default())
        }
        Encoding::Windows1252 => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// Decodes one field in `encoding`, appending its UTF-8 bytes to `out`.
#[inline]
pub(crate) fn decode_into(bytes: &[u8], encoding: Encoding, out: &mut Vec<u8>) {
    if bytes.is_ascii() {
        out.extend_from_slice(bytes);
        return;
    }
    match encoding {
        // Most texts of a Swedish export (CP437): straight into `out`, with no `String`
        // built per field (that cost a third of the instructions of a Unit4 file).
        Encoding::Cp437 => cp437_into(bytes, out),
        _ => out.extend_from_slice(decode(bytes, encoding).as_bytes()),
    }
}

/// The UTF-8 bytes of the CP437 characters 0x80–0xFF (every one is in the Basic
/// Multilingual Plane: two or three bytes), with the length in the last byte.
static CP437_UTF8: std::sync::LazyLock<[[u8; 4]; 128]> = std::sync::LazyLock::new(|| {
    let mut t = [[0u8; 4]; 128];
    for (entry, c) in t
        .iter_mut()
        .zip(oem_cp::code_table::DECODING_TABLE_CP437.iter())
    {
        let n = c.encode_utf8(&mut entry[..3]).len();
        entry[3] = n as u8;
    }
    t
});

/// Appends the UTF-8 of the CP437 text `bytes` to `out`.
fn cp437_into(bytes: &[u8], out: &mut Vec<u8>) {
    let table = &*CP437_UTF8;
    out.reserve(bytes.len() * 3);
    // Runs of ASCII copied whole; a text has a letter or two outside ASCII.
    let mut rest = bytes;
    while let Some(k) = rest.iter().position(|&b| b >= 0x80) {
        out.extend_from_slice(&rest[..k]);
        let e = &table[usize::from(rest[k] & 0x7F)];
        out.extend_from_slice(&e[..usize::from(e[3])]);
        rest = &rest[k + 1..];
    }
    out.extend_from_slice(rest);
}

/// Encodes text in CP437; characters CP437 lacks become `?`.
pub fn encode_cp437(text: &str, out: &mut Vec<u8>) {
    if text.is_ascii() {
        out.extend_from_slice(text.as_bytes());
    } else {
        out.extend(oem_cp::encode_string_lossy(
            text,
            &oem_cp::code_table::ENCODING_TABLE_CP437,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects() {
        assert_eq!(detect(b"#FLAGGA 0"), None);
        assert_eq!(detect("#FNAMN \"Övning\"".as_bytes()), Some(Encoding::Utf8));
        assert_eq!(detect(b"#FNAMN \"\x99vning\""), Some(Encoding::Cp437));
        assert_eq!(
            detect(b"#FNAMN \"\xd6vning m\xe5\""),
            Some(Encoding::Windows1252)
        );
        assert_eq!(decode(b"\x99vning", Encoding::Cp437), "Övning");
        assert_eq!(decode(b"\xd6vning", Encoding::Windows1252), "Övning");
        let mut out = Vec::new();
        encode_cp437("Övning €", &mut out);
        assert_eq!(out, b"\x99vning ?");
    }

    #[test]
    fn cp437_decodes_every_byte_as_oem_cp_does() {
        let all: Vec<u8> = (0..=255u8)
            .chain(b"\x86r \x84ng \x94".iter().copied())
            .collect();
        let reference =
            oem_cp::decode_string_complete_table(&all, &oem_cp::code_table::DECODING_TABLE_CP437);
        assert_eq!(decode(&all, Encoding::Cp437), reference);
        let mut out = b"x".to_vec();
        decode_into(&all, Encoding::Cp437, &mut out);
        assert_eq!(out, format!("x{reference}").as_bytes());
    }
}
