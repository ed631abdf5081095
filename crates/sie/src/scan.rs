//! Bit masks of the bytes of a line (spaces, quotes and backslashes, braces) for the parser's
//! hot path: token boundaries are found with a few bit operations on a mask instead of a
//! loop over bytes. On x86-64 the masks come from SSE2 compares (16 bytes per instruction);
//! elsewhere from a byte loop that gives the same masks.

use std::ops::{BitAnd, BitOr, Not};

/// A bit mask over the bytes of a window of 64 or 128 bytes: bit `i` is byte `i`. Positions
/// passed to [`Mask::has`] and [`Mask::next`] must be inside the window (callers keep them at
/// most the line's length, which is below the window's size).
pub(crate) trait Mask:
    Copy + Default + Eq + BitAnd<Output = Self> + BitOr<Output = Self> + Not<Output = Self>
{
    /// Bits `0..n` set (`n` below the window's size).
    fn low(n: usize) -> Self;
    /// Bit `i` alone (`i` below the window's size).
    fn bit(i: usize) -> Self;
    /// Whether bit `i` is set.
    fn has(self, i: usize) -> bool;
    /// The first set bit at or after `i`; a position at or past the window's end when there
    /// is none.
    fn next(self, i: usize) -> usize;
    /// Classifies the first bytes of `window` (64 or 128 of them, as the mask is wide).
    fn classify(window: &[u8]) -> Classes<Self>;
}

macro_rules! mask_impl {
    ($t:ty, $bytes:expr) => {
        impl Mask for $t {
            #[inline(always)]
            fn low(n: usize) -> Self {
                debug_assert!(n < $bytes);
                ((1 as $t) << (n % $bytes)) - 1
            }
            #[inline(always)]
            fn bit(i: usize) -> Self {
                debug_assert!(i < $bytes);
                (1 as $t) << (i % $bytes)
            }
            #[inline(always)]
            fn has(self, i: usize) -> bool {
                debug_assert!(i < $bytes);
                (self >> (i % $bytes)) & 1 != 0
            }
            #[inline(always)]
            fn next(self, i: usize) -> usize {
                debug_assert!(i < $bytes);
                i + (self >> (i % $bytes)).trailing_zeros() as usize
            }
            #[inline(always)]
            fn classify(window: &[u8]) -> Classes<Self> {
                let mut out = Classes::<$t>::default();
                for (k, chunk) in window[..$bytes].chunks_exact(16).enumerate() {
                    let c = classify16(chunk);
                    let at = |m: u16| <$t>::from(m) << (16 * k);
                    out.space |= at(c[0]);
                    out.quote |= at(c[1]);
                    out.brace |= at(c[2]);
                }
                out
            }
        }
    };
}

mask_impl!(u64, 64);
mask_impl!(u128, 128);

/// Where the bytes of a window that matter to the tokenizer are.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Classes<M> {
    /// Space or tab.
    pub space: M,
    /// `"` or `\` (a backslash may escape a quote; readers tell the two apart by the byte).
    pub quote: M,
    /// `{` or `}`.
    pub brace: M,
}

impl<M: Mask> Classes<M> {
    /// The masks of `window`, limited to its first `len` bytes (the line).
    #[inline(always)]
    pub(crate) fn of_line(window: &[u8], len: usize) -> Classes<M> {
        let c = M::classify(window);
        let valid = M::low(len);
        Classes {
            space: c.space & valid,
            quote: c.quote & valid,
            brace: c.brace & valid,
        }
    }
}

/// The mask of the `\n` bytes among 16.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
pub(crate) fn newlines16(chunk: &[u8; 16]) -> u16 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    // SAFETY: the 16 bytes read are `chunk`'s; an unaligned load has no alignment
    // requirement; the intrinsics need SSE2, which this build enables (the `cfg` above).
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
        _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8))) as u16
    }
}

/// The mask of the `\n` bytes among 16.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
pub(crate) fn newlines16(chunk: &[u8; 16]) -> u16 {
    newlines16_bytes(chunk)
}

/// The mask of the `\n` bytes among 128.
#[inline(always)]
pub(crate) fn newlines128(block: &[u8; 128]) -> u128 {
    let mut m = 0;
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        let chunk: &[u8; 16] = chunk.try_into().expect("16 bytes");
        m |= u128::from(newlines16(chunk)) << (16 * k);
    }
    m
}

/// [`newlines16`] one byte at a time (the portable path, and the reference in tests).
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn newlines16_bytes(chunk: &[u8; 16]) -> u16 {
    let mut m = 0;
    for (i, &b) in chunk.iter().enumerate() {
        if b == b'\n' {
            m |= 1 << i;
        }
    }
    m
}

/// The masks of the ASCII digits and of the `.` bytes among 16 (an amount's characters).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
pub(crate) fn digits16(chunk: &[u8; 16]) -> (u16, u16) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_set1_epi8,
        _mm_sub_epi8,
    };
    // SAFETY: the 16 bytes read are `chunk`'s; an unaligned load has no alignment
    // requirement; the intrinsics need SSE2, which this build enables (the `cfg` above).
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
        // A digit is a byte whose distance above `0` is at most 9 (unsigned).
        let d = _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8));
        let nine = _mm_set1_epi8(9);
        let digits = _mm_cmpeq_epi8(_mm_max_epu8(d, nine), nine);
        let dots = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'.' as i8));
        (
            _mm_movemask_epi8(digits) as u16,
            _mm_movemask_epi8(dots) as u16,
        )
    }
}

/// The masks of the ASCII digits and of the `.` bytes among 16 (an amount's characters).
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
pub(crate) fn digits16(chunk: &[u8; 16]) -> (u16, u16) {
    digits16_bytes(chunk)
}

/// [`digits16`] one byte at a time (the portable path, and the reference in tests).
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn digits16_bytes(chunk: &[u8; 16]) -> (u16, u16) {
    let (mut digits, mut dots) = (0, 0);
    for (i, &b) in chunk.iter().enumerate() {
        if b.is_ascii_digit() {
            digits |= 1 << i;
        }
        if b == b'.' {
            dots |= 1 << i;
        }
    }
    (digits, dots)
}

/// Masks of 16 bytes: space or tab, `"` or `\`, `{` or `}`.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn classify16(chunk: &[u8]) -> [u16; 3] {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    assert!(chunk.len() >= 16);
    // SAFETY: the 16 bytes read are inside `chunk` (asserted above) and an unaligned load
    // has no alignment requirement; the SSE2 intrinsics need SSE2, which this build enables
    // (the `cfg` above; it is part of every x86-64 target).
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
        let eq = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
        let bits = |m: __m128i| _mm_movemask_epi8(m) as u16;
        [
            bits(_mm_or_si128(eq(b' '), eq(b'\t'))),
            bits(_mm_or_si128(eq(b'"'), eq(b'\\'))),
            bits(_mm_or_si128(eq(b'{'), eq(b'}'))),
        ]
    }
}

/// Masks of 16 bytes: space or tab, `"` or `\`, `{` or `}`.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn classify16(chunk: &[u8]) -> [u16; 3] {
    classify16_bytes(chunk)
}

/// [`classify16`] one byte at a time (the portable path, and the reference in tests).
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn classify16_bytes(chunk: &[u8]) -> [u16; 3] {
    let mut out = [0u16; 3];
    for (i, &b) in chunk[..16].iter().enumerate() {
        let k = match b {
            b' ' | b'\t' => 0,
            b'"' | b'\\' => 1,
            b'{' | b'}' => 2,
            _ => continue,
        };
        out[k] |= 1 << i;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mask_operations() {
        assert_eq!(u64::low(0), 0);
        assert_eq!(u64::low(3), 0b111);
        assert_eq!(u64::low(63), !0 >> 1);
        assert_eq!(u128::low(127), !0 >> 1);
        assert_eq!(u128::low(70), (1u128 << 70) - 1);
        let m: u64 = 0b1010_0000;
        assert_eq!(m.next(0), 5);
        assert_eq!(m.next(5), 5);
        assert_eq!(m.next(6), 7);
        assert!(m.next(8) >= 64);
        assert!(m.next(63) >= 64);
        assert!(m.has(7) && !m.has(6) && !m.has(63));
        let m: u128 = 1 << 100;
        assert_eq!(m.next(3), 100);
        assert!(m.next(101) >= 128);
        assert!(m.has(100) && !m.has(127));
    }

    #[test]
    fn classifies_a_row() {
        let mut w = [b'x'; 64];
        let line = b"\t#TRANS 1930 {1 \"a b\"} -1.00 \\";
        w[..line.len()].copy_from_slice(line);
        let c = Classes::<u64>::of_line(&w, line.len());
        let at = |m: u64| (0..64).filter(|&i| m.has(i)).collect::<Vec<_>>();
        assert_eq!(at(c.space), [0, 7, 12, 15, 18, 22, 28]);
        assert_eq!(at(c.quote), [16, 20, 29]);
        assert_eq!(at(c.brace), [13, 21]);
    }

    proptest! {
        #[test]
        fn vector_and_byte_classification_agree(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b' '), Just(b'\t'), Just(b'"'), Just(b'{'), Just(b'}'),
                    Just(b'\\'), Just(b'\n'), Just(b'.'), Just(b'0'), Just(b'9'), Just(b'/'),
                    Just(b':'), any::<u8>()],
                128,
            ),
            len in 0usize..128,
        ) {
            for (k, chunk) in bytes.chunks_exact(16).enumerate() {
                prop_assert_eq!(classify16(chunk), classify16_bytes(chunk), "chunk {}", k);
                let chunk: &[u8; 16] = chunk.try_into().unwrap();
                prop_assert_eq!(newlines16(chunk), newlines16_bytes(chunk), "chunk {}", k);
                prop_assert_eq!(digits16(chunk), digits16_bytes(chunk), "chunk {}", k);
            }
            let c = Classes::<u128>::of_line(&bytes, len);
            for (i, &b) in bytes.iter().enumerate() {
                let inside = i < len;
                prop_assert_eq!(c.space.has(i), inside && (b == b' ' || b == b'\t'));
                prop_assert_eq!(c.quote.has(i), inside && (b == b'"' || b == b'\\'));
                prop_assert_eq!(c.brace.has(i), inside && (b == b'{' || b == b'}'));
            }
            let short = Classes::<u64>::of_line(&bytes, len.min(63));
            prop_assert_eq!(short.space, c.space as u64 & u64::low(len.min(63)));
            prop_assert_eq!(short.quote, c.quote as u64 & u64::low(len.min(63)));
        }
    }
}
