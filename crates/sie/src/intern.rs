//! The interner's table of short texts (up to seven bytes: most account numbers and object
//! ids), keyed by the text packed into a `u64`. Open addressing with linear probing, kept at
//! most half full, so a lookup is a multiply, a shift and usually one compare; each entry also
//! carries a flag the parser uses to note an account's first use.

/// Packs a text of up to seven bytes with its length into a key (distinct texts, distinct
/// keys: the length sits in the top byte).
#[inline(always)]
pub(crate) fn short_key(bytes_le: u64, len: usize) -> u64 {
    debug_assert!(len <= 7);
    bytes_le | ((len as u64) << 56)
}

/// One entry: the key, the symbol id (`u32::MAX` for a free entry) and a flag.
#[derive(Clone, Copy)]
struct Entry {
    key: u64,
    id: u32,
    flag: bool,
}

const FREE: Entry = Entry {
    key: 0,
    id: u32::MAX,
    flag: false,
};

/// A map from short keys to symbol ids.
pub(crate) struct ShortTable {
    entries: Box<[Entry]>,
    /// `64 - log2(entries.len())`: the hash is the top bits of a multiplication.
    shift: u32,
    len: usize,
}

/// Where a lookup ended: the entry's index, and whether the key was there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// The key is at this index.
    At(usize),
    /// The key is not in the table; this free index is where it goes.
    Free(usize),
}

impl Default for ShortTable {
    fn default() -> Self {
        ShortTable::with_bits(11)
    }
}

impl ShortTable {
    fn with_bits(bits: u32) -> ShortTable {
        ShortTable {
            entries: vec![FREE; 1 << bits].into_boxed_slice(),
            shift: 64 - bits,
            len: 0,
        }
    }

    #[inline(always)]
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// Looks `key` up.
    #[inline(always)]
    pub(crate) fn find(&self, key: u64) -> Found {
        let mask = self.entries.len() - 1;
        let mut i = self.home(key);
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

    /// The id at index `i` (from [`ShortTable::find`]).
    #[inline(always)]
    pub(crate) fn id(&self, i: usize) -> u32 {
        self.entries[i].id
    }

    /// The flag at index `i`, to read and set.
    #[inline(always)]
    pub(crate) fn flag(&mut self, i: usize) -> &mut bool {
        &mut self.entries[i].flag
    }

    /// Puts `key` with `id` at the free index `i` from [`ShortTable::find`]; returns the
    /// key's index afterwards (the table may have grown).
    pub(crate) fn insert_at(&mut self, i: usize, key: u64, id: u32) -> usize {
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
        let old = std::mem::replace(self, ShortTable::with_bits(bits));
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

    #[test]
    fn finds_what_was_inserted_across_growth() {
        let mut t = ShortTable::default();
        let mut reference = HashMap::new();
        let mut flagged = Vec::new();
        // Keys that look like account numbers and object ids, the empty text (key 0), and
        // keys that share their home index.
        let mut keys: Vec<u64> = (0..5000u64)
            .map(|n| {
                let text = n.to_string();
                let mut raw = [0u8; 8];
                raw[..text.len()].copy_from_slice(text.as_bytes());
                short_key(u64::from_le_bytes(raw), text.len())
            })
            .collect();
        keys.push(short_key(0, 0));
        for (id, &k) in keys.iter().enumerate() {
            let id = id as u32;
            let i = match t.find(k) {
                Found::Free(i) => t.insert_at(i, k, id),
                Found::At(_) => panic!("{k:x} found before it was inserted"),
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
                    assert_eq!(*t.flag(i), flagged.contains(&k), "{k:x}");
                }
                Found::Free(_) => panic!("{k:x} lost"),
            }
        }
        assert!(matches!(
            t.find(short_key(0x39_39_39_39_39_39, 6)),
            Found::Free(_)
        ));
    }
}
