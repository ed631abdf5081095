//! The interner's tables of short texts (account numbers, object ids, series), keyed by the
//! text packed into an integer: up to 7 bytes in a `u64`, up to 15 in a `u128`, the length
//! in the top byte. Open addressing with linear probing, kept at most half full, so a
//! lookup is a multiply, a shift and usually one compare; each entry also carries a flag the
//! parser uses to note an account's first use.

/// A key: a text packed with its length (distinct texts, distinct keys).
pub(crate) trait Key: Copy + Eq + Default {
    /// A well-mixed 64-bit hash whose top bits index the table.
    fn hash(self) -> u64;
}

impl Key for u64 {
    #[inline(always)]
    fn hash(self) -> u64 {
        self.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

impl Key for u128 {
    #[inline(always)]
    fn hash(self) -> u64 {
        (self as u64 ^ (self >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

/// The key of a text of up to 15 bytes: its bytes little-endian, its length in the top
/// byte.
#[inline(always)]
pub(crate) fn small_key(bytes: &[u8]) -> u128 {
    debug_assert!(bytes.len() < 16);
    let mut key: u128 = (bytes.len() as u128) << 120;
    for (k, &b) in bytes.iter().enumerate() {
        key |= u128::from(b) << (8 * k);
    }
    key
}

/// Packs a text of up to seven bytes (little-endian in `bytes_le`) with its length.
#[inline(always)]
pub(crate) fn short_key(bytes_le: u64, len: usize) -> u64 {
    debug_assert!(len <= 7);
    bytes_le | ((len as u64) << 56)
}

/// One entry: the key, the symbol id (`u32::MAX` for a free entry) and a flag.
#[derive(Clone, Copy)]
struct Entry<K> {
    key: K,
    id: u32,
    flag: bool,
}

/// A map from keys to symbol ids.
#[derive(Clone)]
pub(crate) struct KeyTable<K> {
    entries: Box<[Entry<K>]>,
    /// `64 - log2(entries.len())`: the hash's top bits are the home index.
    shift: u32,
    len: usize,
}

/// Where a lookup ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// The key is at this index.
    At(usize),
    /// The key is not in the table; this free index is where it goes.
    Free(usize),
}

impl<K: Key> Default for KeyTable<K> {
    fn default() -> Self {
        KeyTable::with_bits(11)
    }
}

impl<K: Key> KeyTable<K> {
    fn with_bits(bits: u32) -> KeyTable<K> {
        let free = Entry {
            key: K::default(),
            id: u32::MAX,
            flag: false,
        };
        KeyTable {
            entries: vec![free; 1 << bits].into_boxed_slice(),
            shift: 64 - bits,
            len: 0,
        }
    }

    /// Looks `key` up.
    #[inline(always)]
    pub(crate) fn find(&self, key: K) -> Found {
        let mask = self.entries.len() - 1;
        let mut i = (key.hash() >> self.shift) as usize;
        loop {
            let e = &self.entries[i];
            if e.id == u32::MAX {
                return Found::Free(i);
            }
            if e.key == key {
                return Found::At(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// The id at index `i` (from [`KeyTable::find`]).
    #[inline(always)]
    pub(crate) fn id(&self, i: usize) -> u32 {
        self.entries[i].id
    }

    /// The flag at index `i`, to read and set.
    #[inline(always)]
    pub(crate) fn flag(&mut self, i: usize) -> &mut bool {
        &mut self.entries[i].flag
    }

    /// Puts `key` with `id` at the free index `i` from [`KeyTable::find`]; returns the
    /// key's index afterwards (the table may have grown).
    pub(crate) fn insert_at(&mut self, i: usize, key: K, id: u32) -> usize {
        debug_assert!(id != u32::MAX && self.entries[i].id == u32::MAX);
        self.entries[i] = Entry {
            key,
            id,
            flag: false,
        };
        self.len += 1;
        if self.len * 2 <= self.entries.len() {
            return i;
        }
        let bits = 64 - self.shift + 1;
        let old = std::mem::replace(self, KeyTable::with_bits(bits));
        self.len = old.len;
        for e in old.entries.iter().filter(|e| e.id != u32::MAX) {
            match self.find(e.key) {
                Found::Free(j) => self.entries[j] = *e,
                Found::At(_) => unreachable!("keys are distinct"),
            }
        }
        match self.find(key) {
            Found::At(j) => j,
            Found::Free(_) => unreachable!("just inserted"),
        }
    }

    /// Number of keys.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn keys_of_different_lengths_differ() {
        assert_ne!(short_key(0, 0), short_key(0, 1));
        assert_ne!(short_key(u64::from(b'7'), 1), short_key(0x3730, 2));
    }

    /// Inserts `keys` (distinct), flags every third, and finds them all again.
    fn check<K: Key + std::hash::Hash + std::fmt::Debug>(keys: &[K]) {
        let mut t = KeyTable::<K>::default();
        let mut reference = HashMap::new();
        let mut flagged = Vec::new();
        for (id, &k) in keys.iter().enumerate() {
            let id = id as u32;
            let i = match t.find(k) {
                Found::Free(i) => t.insert_at(i, k, id),
                Found::At(_) => panic!("{k:?} found before it was inserted"),
            };
            assert_eq!(t.id(i), id);
            reference.insert(k, id);
            if id.is_multiple_of(3) {
                *t.flag(i) = true;
                flagged.push(k);
            }
        }
        assert_eq!(t.len(), keys.len());
        assert!(t.entries.len() >= 2 * keys.len());
        for (&k, &id) in &reference {
            match t.find(k) {
                Found::At(i) => {
                    assert_eq!(t.id(i), id);
                    assert_eq!(*t.flag(i), flagged.contains(&k), "{k:?}");
                }
                Found::Free(_) => panic!("{k:?} lost"),
            }
        }
    }

    #[test]
    fn finds_what_was_inserted_across_growth() {
        // Keys that look like account numbers and object ids, and the empty text (key 0,
        // which is also what a free entry holds).
        let texts: Vec<String> = (0..5000u64).map(|n| n.to_string()).collect();
        let mut short: Vec<u64> = texts
            .iter()
            .map(|t| {
                let mut raw = [0u8; 8];
                raw[..t.len()].copy_from_slice(t.as_bytes());
                short_key(u64::from_le_bytes(raw), t.len())
            })
            .collect();
        short.push(short_key(0, 0));
        check(&short);
        let medium: Vec<u128> = texts
            .iter()
            .map(|t| {
                let t = format!("P-{t:0>6}");
                let mut raw = [0u8; 16];
                raw[..t.len()].copy_from_slice(t.as_bytes());
                u128::from_le_bytes(raw) | ((t.len() as u128) << 120)
            })
            .collect();
        check(&medium);
    }
}
