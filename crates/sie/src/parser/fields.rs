//! Splitting a line into fields for the general record reader: words, quoted texts with
//! their escapes, object lists, and the `{` that may end a `#VER` line. [`split`] takes
//! lines of plain tokens (most header records) with [`fast_split`] and every other form,
//! finding the syntax errors, with [`split_full`].

use std::borrow::Cow;
/// Kind of a field on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// An unquoted word.
    Word,
    /// A quoted string (`start..end` excludes the quotes).
    Quoted,
    /// An object list (`start..end` excludes the braces).
    List,
    /// A `{` that ends the line (a voucher body opened on the `#VER` line).
    Open,
}

/// One field of a line, as byte offsets into the line.
#[derive(Debug, Clone, Copy)]
pub(super) struct Field {
    pub(super) kind: Kind,
    pub(super) start: u32,
    pub(super) end: u32,
    /// Contains `\"` to unescape.
    pub(super) escaped: bool,
}

/// A syntax problem found while splitting a line into fields.
pub(super) struct SplitError {
    pub(super) offset: usize,
    pub(super) message: &'static str,
    /// Whether the record cannot be used (an open object list); an open quote is read to
    /// the end of the line and only warned about.
    pub(super) fatal: bool,
}

#[inline]
pub(super) fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Splits `line` into fields. On an unterminated quote or list the field runs to the end of
/// the line and an error is returned alongside.
#[inline]
pub(super) fn split(line: &[u8], out: &mut Vec<Field>) -> Option<SplitError> {
    if fast_split(line, out) {
        return None;
    }
    split_full(line, out)
}

/// [`split`] for every form of a line, byte by byte.
pub(super) fn split_full(line: &[u8], out: &mut Vec<Field>) -> Option<SplitError> {
    out.clear();
    let n = line.len();
    let mut i = 0usize;
    let mut err = None;
    while i < n {
        let b = line[i];
        if is_space(b) {
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                let start = i + 1;
                let (close, escaped) = closing_quote(line, start);
                match close {
                    Some(q) => {
                        out.push(Field {
                            kind: Kind::Quoted,
                            start: start as u32,
                            end: q as u32,
                            escaped,
                        });
                        i = q + 1;
                    }
                    None => {
                        out.push(Field {
                            kind: Kind::Quoted,
                            start: start as u32,
                            end: n as u32,
                            escaped,
                        });
                        err.get_or_insert(SplitError {
                            offset: i,
                            message: "en text inom citattecken saknar avslutande citattecken",
                            fatal: false,
                        });
                        i = n;
                    }
                }
            }
            b'{' => {
                let start = i + 1;
                let mut j = start;
                let mut close = None;
                while j < n {
                    match line[j] {
                        b'"' => match closing_quote(line, j + 1).0 {
                            Some(q) => j = q,
                            None => break,
                        },
                        b'}' => {
                            close = Some(j);
                            break;
                        }
                        _ => {}
                    }
                    j += 1;
                }
                match close {
                    Some(c) => {
                        out.push(Field {
                            kind: Kind::List,
                            start: start as u32,
                            end: c as u32,
                            escaped: false,
                        });
                        i = c + 1;
                    }
                    None if line[start..].iter().all(|&c| is_space(c)) => {
                        out.push(Field {
                            kind: Kind::Open,
                            start: start as u32,
                            end: start as u32,
                            escaped: false,
                        });
                        i = n;
                    }
                    None => {
                        out.push(Field {
                            kind: Kind::List,
                            start: start as u32,
                            end: n as u32,
                            escaped: false,
                        });
                        err.get_or_insert(SplitError {
                            offset: i,
                            message: "en objektlista saknar avslutande `}`",
                            fatal: true,
                        });
                        i = n;
                    }
                }
            }
            _ => {
                let start = i;
                while i < n && !is_space(line[i]) {
                    i += 1;
                }
                out.push(Field {
                    kind: Kind::Word,
                    start: start as u32,
                    end: i as u32,
                    escaped: false,
                });
            }
        }
    }
    err
}

/// Finds the quote closing a quoted text that starts at `start` (just after the opening
/// quote). A quote preceded by an odd number of backslashes is part of the text. Returns
/// the position and whether the text has backslashes before a quote (to unescape).
pub(super) fn closing_quote(line: &[u8], start: usize) -> (Option<usize>, bool) {
    let mut j = start;
    let mut escaped = false;
    while let Some(k) = memchr::memchr(b'"', &line[j..]) {
        let q = j + k;
        let run = line[start..q]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if run > 0 {
            escaped = true;
        }
        if run % 2 == 1 {
            j = q + 1;
            continue;
        }
        return (Some(q), escaped);
    }
    (None, escaped)
}

/// The bytes of a field, unescaped: before a quote (or the end of a quoted text), `\\` is a
/// backslash and `\"` a quote; other backslashes are literal (`1820\A012`).
#[inline]
pub(super) fn field_bytes<'a>(line: &'a [u8], f: &Field) -> Cow<'a, [u8]> {
    let raw = &line[f.start as usize..f.end as usize];
    if !f.escaped {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(unescape(raw))
}

/// The bytes of an escaped field (see [`field_bytes`]).
#[cold]
#[inline(never)]
fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut k = 0;
    while k < raw.len() {
        if raw[k] != b'\\' {
            out.push(raw[k]);
            k += 1;
            continue;
        }
        let run = raw[k..].iter().take_while(|&&b| b == b'\\').count();
        let after = k + run;
        if after == raw.len() || raw[after] == b'"' {
            out.extend(std::iter::repeat_n(b'\\', run / 2));
            if run % 2 == 1 && after < raw.len() {
                out.push(b'"');
                k = after + 1;
            } else {
                k = after;
            }
        } else {
            out.extend(std::iter::repeat_n(b'\\', run));
            k = after;
        }
    }
    out
}

/// Byte classes for the token loops: one table load per byte instead of several compares.
pub(super) const SPACE: u8 = 1;
/// `"`, `{`, `}`: ends a plain word or needs the general path.
pub(super) const SPECIAL: u8 = 2;
/// `\\`: needs the general path inside quotes.
pub(super) const BACKSLASH: u8 = 4;
pub(super) static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b' ' as usize] = SPACE;
    t[b'\t' as usize] = SPACE;
    t[b'"' as usize] = SPECIAL;
    t[b'{' as usize] = SPECIAL;
    t[b'}' as usize] = SPECIAL;
    t[b'\\' as usize] = BACKSLASH;
    t
};

/// The first position at or after `i` that is not a space or tab.
#[inline(always)]
pub(super) fn skip_ws(line: &[u8], mut i: usize) -> usize {
    while let Some(&b) = line.get(i) {
        if !is_space(b) {
            break;
        }
        i += 1;
    }
    i
}

/// Splits a line of plain tokens only (words without quotes or braces, quoted texts without
/// backslashes, object lists of such words and texts), as [`split_full`] would; false
/// (with `out` in any state) for anything else.
pub(super) fn fast_split(line: &[u8], out: &mut Vec<Field>) -> bool {
    out.clear();
    let mut i = 0;
    loop {
        i = skip_ws(line, i);
        if i >= line.len() {
            return true;
        }
        if line[i] == b'{' {
            // An object list of plain tokens, closed on the line and followed by a space or
            // the end; anything else (an open list, a `{` ending a `#VER` line) is left to
            // `split`.
            let start = i + 1;
            let mut j = start;
            loop {
                match line.get(j) {
                    None | Some(b'{' | b'\\') => return false,
                    Some(b'"') => {
                        // Short ids: a plain loop beats a memchr call.
                        let close = line[j + 1..].iter().position(|&b| b == b'"' || b == b'\\');
                        match close {
                            Some(k) if line[j + 1 + k] == b'"' => j += k + 2,
                            _ => return false,
                        }
                    }
                    Some(b'}') => break,
                    Some(_) => j += 1,
                }
            }
            if j + 1 < line.len() && !is_space(line[j + 1]) {
                return false;
            }
            out.push(Field {
                kind: Kind::List,
                start: start as u32,
                end: j as u32,
                escaped: false,
            });
            i = j + 1;
            continue;
        }
        let Some((start, end, quoted)) = simple_token(line, &mut i) else {
            return false;
        };
        out.push(Field {
            kind: if quoted { Kind::Quoted } else { Kind::Word },
            start: start as u32,
            end: end as u32,
            escaped: false,
        });
    }
}

/// Next plain token from `i`: a word without quotes or braces, or a quoted text without
/// backslashes. Returns (start, end, quoted); `None` at the end of the line or for anything
/// else (`{`, `}`, escapes), leaving the decision to the general path.
#[inline(always)]
pub(super) fn simple_token(line: &[u8], i: &mut usize) -> Option<(usize, usize, bool)> {
    *i = skip_ws(line, *i);
    let n = line.len();
    if *i >= n {
        return None;
    }
    if line[*i] == b'"' {
        // Short texts: a plain loop beats a memchr call per token.
        let start = *i + 1;
        let mut end = start;
        loop {
            match line.get(end) {
                None => return None,
                Some(&b) => match CLASS[b as usize] {
                    0 | SPACE => end += 1,
                    BACKSLASH => return None,
                    _ if b == b'"' => break,
                    _ => end += 1,
                },
            }
        }
        *i = end + 1;
        if *i < n && CLASS[line[*i] as usize] != SPACE {
            return None;
        }
        return Some((start, end, true));
    }
    let start = *i;
    while *i < n {
        match CLASS[line[*i] as usize] {
            0 | BACKSLASH => *i += 1,
            SPACE => break,
            _ => return None,
        }
    }
    Some((start, *i, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(line: &[u8], fast: bool) -> Option<Vec<(Kind, u32, u32, bool)>> {
        let mut out = Vec::new();
        if fast {
            if !fast_split(line, &mut out) {
                return None;
            }
        } else if split_full(line, &mut out).is_some() {
            return None;
        }
        Some(
            out.iter()
                .map(|f| (f.kind, f.start, f.end, f.escaped))
                .collect(),
        )
    }

    #[test]
    fn fast_split_takes_plain_object_lists() {
        let line = br#"#PSALDO -1 202201 3010 {"1" "1882" 6 x} -399163.20"#;
        assert_eq!(fields(line, true), fields(line, false));
        assert_eq!(fields(line, true).unwrap()[4].0, Kind::List);
        // Left to `split`: an escape, a nested or open list, a list run into a word.
        for line in [
            &br#"#OIB 0 1 {1 "a\"b"} 1"#[..],
            b"#OIB 0 1 {1 {2} 1",
            b"#OIB 0 1 {1 2",
            b"#OIB 0 1 {1 2}x 1",
            b"#VER A 1 20230101 {",
        ] {
            assert_eq!(
                fields(line, true),
                None,
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }

    proptest! {
        /// Wherever the shortcut takes a line, it splits it as `split_full` does.
        #[test]
        fn fast_split_agrees_with_split(
            tokens in proptest::collection::vec(
                prop_oneof![
                    Just("#PSALDO"), Just("1"), Just("-1"), Just("202301"), Just("3010"),
                    Just("\"1\""), Just("\"1882\""), Just("{"), Just("}"), Just("{}"),
                    Just("{1 2}"), Just("{\"1\" \"a b\"}"), Just("\""), Just("\\"),
                    Just("a\"b"), Just("\"x\\\"y\""), Just("-12.50"), Just("\t"), Just(""),
                ],
                0..10,
            ),
            glue in proptest::collection::vec(prop_oneof![Just(" "), Just(""), Just("\t")], 10),
        ) {
            let mut line = String::new();
            for (t, g) in tokens.iter().zip(&glue) {
                line.push_str(t);
                line.push_str(g);
            }
            let line = line.as_bytes();
            if let Some(fast) = fields(line, true) {
                let mut out = Vec::new();
                prop_assert!(split_full(line, &mut out).is_none(), "{:?}", String::from_utf8_lossy(line));
                let slow: Vec<_> = out.iter().map(|f| (f.kind, f.start, f.end, f.escaped)).collect();
                prop_assert_eq!(fast, slow, "{:?}", String::from_utf8_lossy(line));
            }
        }
    }
}
