//! Normalise stage for the ledger: SIE files (via `delar-sie`) become postings with
//! account, year, month, objects and amount in öre, plus what the balance check needs.
//!
//! A ledger is read streaming ([`delar_sie::parse_each`]: one voucher in memory at a time)
//! and summed as it is read: one [`Posting`] per account, year, month and the objects the
//! report uses ([`KeptObjects`]), with the number of ledger rows it sums. The report only
//! ever sums postings (per row, column, month, ansvar, project, scope), so it gives the
//! same figures from the sums as from the rows, and memory grows with the number of
//! distinct (account, month, objects) combinations, not with the number of rows.

use crate::config::{accounts_contain, AccountRange, Config};
use crate::error::LoadError;
use crate::money::{Date, MAX_AMOUNT_ORE};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// The (dimension, id) pairs of an object list, the first one inline.
pub type Objects = smallvec::SmallVec<[(u32, Arc<str>); 1]>;

/// The kept objects of a [`Posting`]: one list, shared by every posting of a ledger with
/// the same objects, so that a posting holds a pointer (a posting is 32 bytes; the
/// postings of a large ledger are most of its memory, issue 11). Compares by content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostingObjects(Option<Arc<Objects>>);

impl PostingObjects {
    /// The (dimension, id) pairs, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, (u32, Arc<str>)> {
        self.as_slice().iter()
    }

    /// The pairs as a slice.
    pub fn as_slice(&self) -> &[(u32, Arc<str>)] {
        self.0.as_deref().map_or(&[], |o| o.as_slice())
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// No objects.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The same shared list (not only equal pairs).
    fn same(&self, other: &PostingObjects) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl From<Objects> for PostingObjects {
    fn from(objects: Objects) -> Self {
        PostingObjects((!objects.is_empty()).then(|| Arc::new(objects)))
    }
}

impl FromIterator<(u32, Arc<str>)> for PostingObjects {
    fn from_iter<I: IntoIterator<Item = (u32, Arc<str>)>>(iter: I) -> Self {
        iter.into_iter().collect::<Objects>().into()
    }
}

/// The amount of the ledger on one account in a month with one combination of the objects
/// the report uses: the sum of every ledger row (or `#PSALDO` record) with these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// Account number.
    pub account: u32,
    /// Calendar year.
    pub year: i32,
    /// Month 1..=12.
    pub month: u32,
    /// How many ledger rows (or `#PSALDO` records) are summed in it; at least 1. It counts
    /// up to `u32::MAX` and stays there (a file with four billion rows on one posting
    /// would be hundreds of GB); the amount is always the whole sum.
    pub rows: u32,
    /// Objects as (dimension, id), in the order of the first row's list; only those
    /// [`KeptObjects`] keeps (for each kept dimension the first pair of a row that gives
    /// it, so [`Posting::object`] answers as the row would). Ids are shared with the SIE
    /// reader's interned text.
    pub objects: PostingObjects,
    /// Amount in öre (debit positive, credit negative): the sum of its rows.
    pub amount: i64,
}

impl Posting {
    /// The object on `dimension`, if any.
    pub fn object(&self, dimension: u32) -> Option<&str> {
        self.objects
            .iter()
            .find(|(d, _)| *d == dimension)
            .map(|(_, id)| &**id)
    }
}

// A posting's size is what a large ledger's memory grows by (see [`Summer`]).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Posting>() == 32);

/// Which objects of the ledger's rows the postings keep: the dimensions the report reads
/// (the scope dimension, the allocation dimension, the project dimension on the investment
/// accounts), or every object. Rows that differ only in other objects are summed into one
/// posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptObjects {
    /// Dimensions kept on every account; `None`: every object of every row, as written.
    dims: Option<Vec<u32>>,
    /// Dimensions kept only on some accounts.
    on_accounts: Vec<(u32, Vec<AccountRange>)>,
}

impl KeptObjects {
    /// Every object of every row (the rows' whole object lists).
    pub fn all() -> KeptObjects {
        KeptObjects {
            dims: None,
            on_accounts: Vec::new(),
        }
    }

    /// The objects a package's report reads: the scope and allocation dimensions on every
    /// account, and the investment projects' dimension on the investment accounts.
    pub fn for_config(config: &Config) -> KeptObjects {
        let mut dims = vec![config.ledger.scope_dimension, config.allocation.dimension];
        dims.sort_unstable();
        dims.dedup();
        KeptObjects {
            dims: Some(dims),
            on_accounts: config
                .investments
                .iter()
                .map(|i| (i.dimension, i.accounts.clone()))
                .collect(),
        }
    }

    /// What either keeps (for a ledger shared by several packages).
    pub fn union(&self, other: &KeptObjects) -> KeptObjects {
        match (&self.dims, &other.dims) {
            (Some(a), Some(b)) => {
                let mut dims: Vec<u32> = a.iter().chain(b).copied().collect();
                dims.sort_unstable();
                dims.dedup();
                let mut on_accounts = self.on_accounts.clone();
                for rule in &other.on_accounts {
                    if !on_accounts.contains(rule) {
                        on_accounts.push(rule.clone());
                    }
                }
                KeptObjects {
                    dims: Some(dims),
                    on_accounts,
                }
            }
            _ => KeptObjects::all(),
        }
    }

    /// The dimensions kept on `account` (sorted); `None`: every object.
    fn dims_for(&self, account: u32) -> Option<Vec<u32>> {
        let mut dims = self.dims.clone()?;
        for (dim, accounts) in &self.on_accounts {
            if accounts_contain(accounts, account) {
                dims.push(*dim);
            }
        }
        dims.sort_unstable();
        dims.dedup();
        Some(dims)
    }
}

/// What a ledger file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerKind {
    /// SIE 4: vouchers.
    Vouchers,
    /// SIE 2/3: period balances (#PSALDO).
    PeriodBalances,
}

/// A voucher whose counting rows do not sum to zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnbalancedVoucher {
    /// Series and number, e.g. `A 12`.
    pub id: String,
    /// Line of `#VER`.
    pub line: u32,
    /// The difference in öre.
    pub difference: i64,
}

/// A normalised ledger file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    /// Path inside the package.
    pub path: String,
    /// Vouchers or period balances.
    pub kind: LedgerKind,
    /// Every counting amount with a numeric account, summed per account, month and kept
    /// objects (see [`Posting`]).
    pub postings: Vec<Posting>,
    /// Vouchers that do not balance.
    pub unbalanced: Vec<UnbalancedVoucher>,
    /// Number of vouchers (0 for period balances).
    pub voucher_count: usize,
    /// First and last day of the file's current fiscal year (#RAR 0), when given.
    pub fiscal_year: Option<(Date, Date)>,
    /// Removed rows (#BTRANS) that were skipped.
    pub removed_rows: usize,
    /// Accounts that are not numbers, with their summed amounts (left out of the postings).
    pub non_numeric_accounts: Vec<(String, i64)>,
}

impl Ledger {
    /// A ledger built directly from postings (tests, other sources).
    pub fn from_postings(path: &str, postings: Vec<Posting>) -> Ledger {
        Ledger {
            path: path.to_string(),
            kind: LedgerKind::Vouchers,
            postings,
            unbalanced: Vec::new(),
            voucher_count: 0,
            fiscal_year: None,
            removed_rows: 0,
            non_numeric_accounts: Vec::new(),
        }
    }

    /// Sum of all postings (zero for a balanced voucher ledger).
    pub fn total(&self) -> i64 {
        self.postings.iter().map(|p| p.amount).sum::<i64>()
            + self
                .non_numeric_accounts
                .iter()
                .map(|(_, a)| a)
                .sum::<i64>()
    }

    /// The number of ledger rows (or `#PSALDO` records) with a numeric account that the
    /// postings sum.
    pub fn row_count(&self) -> u64 {
        self.postings.iter().map(|p| u64::from(p.rows)).sum()
    }
}

fn numeric_account(text: &str) -> Option<u32> {
    let t = text.trim();
    (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

fn add_non_numeric(list: &mut Vec<(String, i64)>, account: &str, amount: i64) {
    match list.iter_mut().find(|(a, _)| a == account) {
        Some((_, sum)) => *sum += amount,
        None => list.push((account.to_string(), amount)),
    }
}

/// What an account text of the SIE reader (one interned text) stands for.
enum AccountKey {
    NonNumeric,
    /// The number and the dimensions kept on it (`None`: all).
    Numeric(u32, Option<Vec<u32>>),
}

/// The identity of an interned text of the SIE reader, for the summing keys: the reader
/// interns each text once per file, so equal texts usually share one allocation. Two
/// allocations of one text only split a sum into two postings (the report sums them
/// again); one allocation always holds one text.
fn sym_id(s: &Arc<str>) -> u64 {
    Arc::as_ptr(s).cast::<u8>() as usize as u64
}

/// The 32-bit hash of a posting's key (account number, year, month, kept object list)
/// that [`Summer`]'s index keeps: a folded 64×64-bit multiply of the key's words (as
/// foldhash mixes), so every bit of each part reaches the kept bits. (`FxHasher` over the
/// same words left the account six of the 32 bits: postings of many accounts shared a
/// hash, and each probe compared them one by one.)
#[inline]
fn key_hash(account: u32, year: i32, month: u32, list: u32) -> u32 {
    let a = (u64::from(account) << 32 | u64::from(list)) ^ 0x243F_6A88_85A3_08D3;
    let b = (u64::from(year as u32) << 8 | u64::from(month)) ^ 0x1319_8A2E_0370_7344;
    let m = u128::from(a) * u128::from(b);
    let folded = (m as u64) ^ ((m >> 64) as u64);
    (folded >> 32) as u32 ^ folded as u32
}

/// The hash the index's table works with, made from the kept 32 bits alone (so the table
/// can grow without the keys): spread over 64 bits, the table's slot is chosen by the top
/// bits.
#[inline]
fn table_hash(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Asks the processor to fetch the cache line holding `*p` (a hint: nothing is read, and
/// no address can fault). A no-op on other processors than x86-64.
#[inline(always)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `_mm_prefetch` only hints the cache; it does not dereference `p` in a way
    // the program can observe, and an invalid address is ignored, not a fault.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// [`Summer`]'s index of the postings: open addressing with linear probing over one array
/// of 8-byte slots, each a posting's [`key_hash`] (high half) and its index + 1 (low half),
/// 0 when empty; at most three quarters full. A probe reads one slot of one array
/// (hashbrown's table read a control byte and then a bucket: two cache misses a row when
/// the table is larger than the cache, perf, issue 11), and the slot a row will probe can
/// be fetched ahead ([`PostingIndex::prefetch`]).
struct PostingIndex {
    slots: Vec<u64>,
    /// 64 − log2(slots): a hash's home slot is the top bits of its [`table_hash`].
    shift: u32,
    len: usize,
}

impl PostingIndex {
    fn new() -> Self {
        PostingIndex {
            slots: vec![0; 16],
            shift: 64 - 4,
            len: 0,
        }
    }

    #[inline]
    fn home(&self, hash: u32) -> usize {
        (table_hash(hash) >> self.shift) as usize
    }

    /// Fetches the home slot of `hash` ahead of a probe.
    #[inline]
    fn prefetch(&self, hash: u32) {
        prefetch(self.slots.as_ptr().wrapping_add(self.home(hash)));
    }

    /// The posting index in the home slot of `hash`, when that slot holds one of the
    /// same hash (to fetch the posting ahead; a probe may go on past the home slot).
    #[inline]
    fn at_home(&self, hash: u32) -> Option<u32> {
        let slot = self.slots[self.home(hash)];
        (slot != 0 && (slot >> 32) as u32 == hash).then(|| (slot as u32).wrapping_sub(1))
    }

    /// The index of the posting of `hash` for which `eq` holds.
    #[inline]
    fn find(&self, hash: u32, mut eq: impl FnMut(u32) -> bool) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return None;
            }
            if (slot >> 32) as u32 == hash {
                let index = (slot as u32).wrapping_sub(1);
                if eq(index) {
                    return Some(index);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds the posting `index` (not in the index) of `hash`.
    fn insert(&mut self, hash: u32, index: u32) {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        self.place(u64::from(hash) << 32 | u64::from(index.wrapping_add(1)));
        self.len += 1;
    }

    fn place(&mut self, slot: u64) {
        let mask = self.slots.len() - 1;
        let mut i = self.home((slot >> 32) as u32);
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
    }

    fn grow(&mut self) {
        let doubled = written_zeros(self.slots.len() * 2);
        let old = std::mem::replace(&mut self.slots, doubled);
        self.shift -= 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            self.place(slot);
        }
    }
}

/// `n` zeros, written. (`vec![0; n]` of a large `n` is fresh memory from the system that
/// reads as zeros: [`PostingIndex`] reads a slot before it writes it, so each page of it
/// was faulted in twice, once as the shared zero page and again, copied, on the write,
/// and in a process with more than one thread that second fault interrupts every other
/// core to flush its TLB. That was a quarter of a large report's CPU time, perf, issue 11;
/// written once first, a page faults once.)
// `vec![0; n]` is exactly what this avoids.
#[allow(clippy::slow_vector_initialization)]
fn written_zeros(n: usize) -> Vec<u64> {
    let mut v: Vec<u64> = Vec::with_capacity(n);
    // The block escapes before it is written, so the compiler cannot merge the allocation
    // and the writing back into a request for zeroed memory.
    std::hint::black_box(v.as_mut_ptr());
    v.resize(n, 0);
    v
}

/// A row [`Summer::add`] has keyed but not yet summed: rows wait [`PIPELINE`] rows, while
/// the slot they will probe (and then the posting in it) is fetched into the cache.
#[derive(Clone, Copy, Default)]
struct Pending {
    number: u32,
    year: i32,
    month: u32,
    list: u32,
    hash: u32,
    amount: i64,
}

/// How many rows [`Summer`] keeps waiting (a power of two): the slot of a row is fetched
/// when it comes, its posting half-way, and it is summed when [`PIPELINE`] rows came after
/// it. A row costs about a hundred nanoseconds to key; a cache miss to memory about as
/// much, and a large ledger's postings and index are larger than the cache.
const PIPELINE: usize = 8;

/// The fewest bytes a voucher row takes in a file (`#TRANS 1 {} 1` and a line end is
/// 15; rows of real exports are 30 to 100), for [`Summer::reserve_for`].
const BYTES_PER_ROW: u64 = 24;

/// At most this many postings are reserved ahead (512 MiB of address space).
const MAX_RESERVED_POSTINGS: usize = 16 << 20;

/// Sums rows into postings per account, year, month and kept objects.
///
/// What a row costs is what it touches: in a municipal ledger most rows give a posting of
/// their own (two thirds of them in the generated Raindance year), so the postings and
/// the index are written into fresh memory at the pace of the rows, and on a virtual
/// machine the kernel's (and the host's) work for fresh pages was a fifth of a large
/// report's time (perf, issue 11). So a posting is 32 bytes with its objects as one
/// pointer to a list shared by every posting with the same objects ([`PostingObjects`]),
/// the index holds an 8-byte slot a posting (at most three quarters of its slots full,
/// [`PostingIndex`]), and the key is the posting itself: no copy of it. In a ledger of
/// millions of rows the postings and the index are larger than the cache, and a row's
/// probe would wait for memory twice (its slot, then its posting): rows wait in a short
/// pipeline while both are fetched ([`Pending`]).
struct Summer<'k> {
    keep: &'k KeptObjects,
    /// The postings by key hash: a probe reads a posting only when its hash matches.
    index: PostingIndex,
    /// Rows keyed and not yet summed, oldest at `head` ([`Summer::flush`] sums them).
    pending: [Pending; PIPELINE],
    head: usize,
    waiting: usize,
    postings: Vec<Posting>,
    /// The kept object lists; id 0 is the empty list.
    lists: Vec<PostingObjects>,
    /// The id of each list (after the empty one) by its (dimension, object) words.
    list_ids: FxHashMap<Box<[u64]>, u32>,
    accounts: FxHashMap<u64, AccountKey>,
    non_numeric: Vec<(String, i64)>,
    key: Vec<u64>,
    picked: Vec<(u32, usize)>,
}

impl<'k> Summer<'k> {
    fn new(keep: &'k KeptObjects) -> Self {
        Summer {
            keep,
            index: PostingIndex::new(),
            pending: [Pending::default(); PIPELINE],
            head: 0,
            waiting: 0,
            postings: Vec::new(),
            lists: vec![PostingObjects::default()],
            list_ids: FxHashMap::default(),
            accounts: FxHashMap::default(),
            non_numeric: Vec::new(),
            key: Vec::with_capacity(16),
            picked: Vec::with_capacity(8),
        }
    }

    /// Reserves room for the postings of a file of `bytes` bytes: at most one a row, and a
    /// row takes at least [`BYTES_PER_ROW`] bytes (up to [`MAX_RESERVED_POSTINGS`]). The room
    /// is address space until a posting is written into it, so a file with fewer postings
    /// costs no memory for it; without it, the list grows by copying itself into fresh
    /// memory, and those page faults and copies were a tenth of a large report's time
    /// (perf, issue 11). Where the reservation fails the list grows as before.
    fn reserve_for(&mut self, bytes: u64) {
        let rows = usize::try_from(bytes / BYTES_PER_ROW).unwrap_or(usize::MAX);
        let _ = self.postings.try_reserve(rows.min(MAX_RESERVED_POSTINGS));
    }

    /// Adds one row: `objects` gives its object list in the row's order.
    #[inline]
    fn add<'a, I: Iterator<Item = (u32, &'a Arc<str>)>>(
        &mut self,
        account: &Arc<str>,
        year: i32,
        month: u32,
        objects: impl Fn() -> I,
        amount: i64,
    ) {
        let account_id = sym_id(account);
        if !self.accounts.contains_key(&account_id) {
            let info = match numeric_account(account) {
                Some(n) => AccountKey::Numeric(n, self.keep.dims_for(n)),
                None => AccountKey::NonNumeric,
            };
            self.accounts.insert(account_id, info);
        }
        let Summer {
            accounts,
            key,
            picked,
            non_numeric,
            ..
        } = self;
        let Some(AccountKey::Numeric(number, dims)) = accounts.get(&account_id) else {
            add_non_numeric(non_numeric, account, amount);
            return;
        };
        let number = *number;
        // The kept pairs: the first of each kept dimension, in the row's order.
        picked.clear();
        key.clear();
        for (k, (dim, id)) in objects().enumerate() {
            let kept = match dims {
                None => true,
                Some(dims) => dims.contains(&dim) && !picked.iter().any(|&(d, _)| d == dim),
            };
            if !kept {
                continue;
            }
            picked.push((dim, k));
            key.push(u64::from(dim));
            key.push(sym_id(id));
        }
        let list = if key.is_empty() {
            0
        } else {
            match self.list_ids.get(&key[..]) {
                Some(&list) => list,
                None => self.new_list(&objects),
            }
        };
        let hash = key_hash(number, year, month, list);
        self.queue(Pending {
            number,
            year,
            month,
            list,
            hash,
            amount,
        });
    }

    /// Queues a keyed row: its slot is fetched now, the posting in the slot of the row
    /// half-way along, and the oldest row is summed once [`PIPELINE`] rows wait. The sums
    /// and the order of the postings are those of summing each row as it comes.
    #[inline]
    fn queue(&mut self, row: Pending) {
        self.index.prefetch(row.hash);
        if self.waiting == PIPELINE {
            let half = self.pending[(self.head + PIPELINE / 2) % PIPELINE];
            if let Some(i) = self.index.at_home(half.hash) {
                prefetch(self.postings.as_ptr().wrapping_add(i as usize));
            }
            self.sum_oldest();
        }
        self.pending[(self.head + self.waiting) % PIPELINE] = row;
        self.waiting += 1;
    }

    /// Sums the oldest waiting row (there is one).
    #[inline]
    fn sum_oldest(&mut self) {
        let oldest = self.pending[self.head];
        self.head = (self.head + 1) % PIPELINE;
        self.waiting -= 1;
        self.sum(oldest);
    }

    /// Sums the rows still waiting; the postings are complete after it.
    fn flush(&mut self) {
        while self.waiting > 0 {
            self.sum_oldest();
        }
    }

    /// Adds a keyed row to its posting, or makes one.
    #[inline]
    fn sum(&mut self, row: Pending) {
        let Pending {
            number,
            year,
            month,
            list,
            hash,
            amount,
        } = row;
        let (postings, objects) = (&self.postings, &self.lists[list as usize]);
        let found = self.index.find(hash, |i| {
            let p = &postings[i as usize];
            p.account == number && p.month == month && p.year == year && p.objects.same(objects)
        });
        if let Some(i) = found {
            let p = &mut self.postings[i as usize];
            p.amount += amount;
            p.rows = p.rows.saturating_add(1);
            return;
        }
        let index = u32::try_from(self.postings.len()).unwrap_or(u32::MAX);
        self.postings.push(Posting {
            account: number,
            year,
            month,
            rows: 1,
            objects: self.lists[list as usize].clone(),
            amount,
        });
        self.index.insert(hash, index);
    }

    /// Makes the kept list of the row whose pairs `picked` names (their places in
    /// `objects`) and words `key` hold; returns its id.
    #[cold]
    #[inline(never)]
    fn new_list<'a, I: Iterator<Item = (u32, &'a Arc<str>)>>(
        &mut self,
        objects: &impl Fn() -> I,
    ) -> u32 {
        let mut kept = Objects::with_capacity(self.picked.len());
        let mut picked = self.picked.iter().peekable();
        for (k, (dim, id)) in objects().enumerate() {
            if picked.peek().is_some_and(|&&(_, at)| at == k) {
                picked.next();
                kept.push((dim, id.clone()));
            }
        }
        let id = u32::try_from(self.lists.len()).unwrap_or(u32::MAX);
        self.lists.push(kept.into());
        self.list_ids
            .insert(self.key.clone().into_boxed_slice(), id);
        id
    }
}

/// A ledger of SIE 4 vouchers, summed while they are read.
struct VoucherSums<'k> {
    summer: Summer<'k>,
    unbalanced: Vec<UnbalancedVoucher>,
    removed_rows: usize,
    vouchers: usize,
    /// The first row (file order) whose amount is too large: (line, öre).
    too_big: Option<(u32, i64)>,
}

impl<'k> VoucherSums<'k> {
    fn new(keep: &'k KeptObjects) -> Self {
        VoucherSums {
            summer: Summer::new(keep),
            unbalanced: Vec::new(),
            removed_rows: 0,
            vouchers: 0,
            too_big: None,
        }
    }

    /// Each counting row (#TRANS, #RTRANS with its copy counted once) in the month of its
    /// booking date, `delar_sie::RowRef::booking_date` (the rule is stated in
    /// `delar_sie::vouchers`; `delar sie balances` uses the same); removed rows (#BTRANS) are
    /// skipped.
    fn voucher(&mut self, v: delar_sie::VoucherRef<'_>) {
        self.vouchers += 1;
        let difference = v.balance().ore();
        if difference != 0 {
            let id = format!("{} {}", v.series(), v.number()).trim().to_string();
            self.unbalanced.push(UnbalancedVoucher {
                id,
                line: v.line(),
                difference,
            });
        }
        for row in v.rows() {
            let amount = row.amount().ore();
            if self.too_big.is_none() && amount.abs() > MAX_AMOUNT_ORE {
                self.too_big = Some((row.line(), amount));
            }
            if !row.kind().counts() {
                self.removed_rows += 1;
                continue;
            }
            let date = row.booking_date(&v);
            self.summer.add(
                row.account_sym(),
                i32::from(date.year),
                u32::from(date.month),
                || row.objects(),
                amount,
            );
        }
    }
}

/// Reads a ledger file with `delar-sie`, keeping every object of the rows. Syntax errors
/// stop the load; unbalanced vouchers are kept for the `ledger_balanced` check.
pub fn read_ledger(path: &str, bytes: &[u8]) -> Result<Ledger, LoadError> {
    read_ledger_keeping(path, bytes, &KeptObjects::all())
}

/// [`read_ledger`] keeping only the objects `keep` names: the file is read one voucher at a
/// time and summed as it is read (module docs).
pub fn read_ledger_keeping(
    path: &str,
    bytes: &[u8],
    keep: &KeptObjects,
) -> Result<Ledger, LoadError> {
    let mut sums = VoucherSums::new(keep);
    let parsed = delar_sie::parse_each(bytes, &ledger_options(path), |_, v| sums.voucher(v));
    ledger_of(path, parsed, sums)
}

/// How the ledger readers read a file: leniently (unbalanced vouchers are a check of the
/// report, not a stop), and without the vouchers' and rows' texts, which the sums do not use.
fn ledger_options(path: &str) -> delar_sie::ParseOptions {
    delar_sie::ParseOptions::new(path).lenient().without_texts()
}

/// [`read_ledger_keeping`] from a reader (a file on disk, say): the file is read in pieces,
/// so memory holds one voucher and a read buffer of it at a time, never the whole file.
/// The result is the same as [`read_ledger_keeping`] of the same bytes (the encoding is
/// decided from the first MiB in both); an I/O error is a [`LoadError::Read`]. `size`,
/// the file's length when known, sizes the list of postings ahead
/// ([`Summer::reserve_for`]).
pub fn read_ledger_from(
    path: &str,
    input: impl std::io::Read,
    size: Option<u64>,
    keep: &KeptObjects,
) -> Result<Ledger, LoadError> {
    let mut sums = VoucherSums::new(keep);
    if let Some(bytes) = size {
        sums.summer.reserve_for(bytes);
    }
    let parsed = delar_sie::parse_each_from(input, &ledger_options(path), |_, v| sums.voucher(v))
        .map_err(|e| LoadError::Read {
        path: path.to_string(),
        message: match e {
            delar_sie::SieError::Io { source, .. } => source.to_string(),
            other => other.to_string(),
        },
    })?;
    ledger_of(path, parsed, sums)
}

/// The ledger of a file read one voucher at a time into `sums`: its syntax errors stop
/// the load.
fn ledger_of(
    path: &str,
    parsed: delar_sie::Parsed,
    sums: VoucherSums<'_>,
) -> Result<Ledger, LoadError> {
    let errors: Vec<String> = parsed.errors().map(|d| d.to_string()).collect();
    if !errors.is_empty() {
        let shown = errors.iter().take(10).cloned().collect::<Vec<_>>();
        let more = errors.len().saturating_sub(shown.len());
        let mut message = shown.join("; ");
        if more > 0 {
            message.push_str(&format!(" (och {more} fel till)"));
        }
        return Err(LoadError::Sie {
            path: path.to_string(),
            message,
        });
    }
    if let Some((line, ore)) = sums.too_big {
        return Err(too_big(path, line, ore));
    }
    check_amounts(path, &parsed.file)?;
    Ok(finish(path, &parsed.file, sums))
}

fn too_big(path: &str, line: u32, ore: i64) -> LoadError {
    LoadError::Sie {
        path: path.to_string(),
        message: format!(
            "rad {line}: beloppet {} kr är orimligt stort (högst 100 000 000 000 kr per rad)",
            crate::money::format_kronor(ore)
        ),
    }
}

/// Rejects amounts above [`MAX_AMOUNT_ORE`] so that sums cannot overflow: the vouchers'
/// rows held in `file` (none when they were read one at a time), then `#PSALDO` and
/// `#PBUDGET`.
fn check_amounts(path: &str, file: &delar_sie::SieFile) -> Result<(), LoadError> {
    let check = |line: u32, ore: i64| -> Result<(), LoadError> {
        if ore.abs() > MAX_AMOUNT_ORE {
            return Err(too_big(path, line, ore));
        }
        Ok(())
    };
    for v in file.vouchers.iter() {
        for r in v.rows() {
            check(r.line(), r.amount().ore())?;
        }
    }
    for p in file.period_balances.iter().chain(&file.period_budgets) {
        check(p.line, p.amount.ore())?;
    }
    Ok(())
}

/// Turns a read SIE file into postings, keeping every object of the rows: SIE 4 (vouchers)
/// as [`read_ledger`] reads them; without vouchers, #PSALDO of year 0, per month, with its
/// objects.
pub fn ledger_from_sie(path: &str, file: &delar_sie::SieFile) -> Ledger {
    let keep = KeptObjects::all();
    let mut sums = VoucherSums::new(&keep);
    for v in file.vouchers.iter() {
        sums.voucher(v);
    }
    finish(path, file, sums)
}

/// The ledger from the vouchers summed in `sums` and the rest of `file` (its header; its
/// #PSALDO when it has no vouchers).
fn finish(path: &str, file: &delar_sie::SieFile, sums: VoucherSums<'_>) -> Ledger {
    let VoucherSums {
        mut summer,
        unbalanced,
        removed_rows,
        vouchers,
        too_big: _,
    } = sums;
    let kind = if vouchers > 0 || file.sie_type == Some(delar_sie::SieType::Type4) {
        LedgerKind::Vouchers
    } else {
        LedgerKind::PeriodBalances
    };
    if kind == LedgerKind::PeriodBalances {
        for p in file.period_balances.iter().filter(|p| p.year == 0) {
            summer.add(
                &p.account,
                i32::from(p.period.year),
                u32::from(p.period.month),
                || p.objects.iter().map(|o| (o.dimension, &o.id)),
                p.amount.ore(),
            );
        }
    }
    summer.flush();
    Ledger {
        path: path.to_string(),
        kind,
        postings: summer.postings,
        unbalanced,
        voucher_count: vouchers,
        fiscal_year: file.fiscal_year(0).and_then(|y| {
            let d = |x: delar_sie::Date| {
                Date::new(i32::from(x.year), u32::from(x.month), u32::from(x.day))
            };
            Some((d(y.start)?, d(y.end)?))
        }),
        removed_rows,
        non_numeric_accounts: summer.non_numeric,
    }
}

/// Reads the #PBUDGET records of year 0 of an SIE file as budget lines (objects on
/// `dimension` become the ansvar). Records with objects on other dimensions only, and
/// account totals when object records exist for the same account, are not double counted:
/// an account's object records are used when it has any, else its total.
pub fn budget_from_sie(
    path: &str,
    bytes: &[u8],
    dimension: u32,
) -> Result<Vec<crate::sources::BudgetLine>, LoadError> {
    let parsed = delar_sie::parse(bytes, &delar_sie::ParseOptions::new(path).lenient());
    let errors: Vec<String> = parsed.errors().map(|d| d.to_string()).collect();
    if !errors.is_empty() {
        return Err(LoadError::Sie {
            path: path.to_string(),
            message: errors.into_iter().take(10).collect::<Vec<_>>().join("; "),
        });
    }
    check_amounts(path, &parsed.file)?;
    let records: Vec<&delar_sie::PeriodBalance> = parsed
        .file
        .period_budgets
        .iter()
        .filter(|p| p.year == 0)
        .collect();
    let with_objects: std::collections::BTreeSet<&str> = records
        .iter()
        .filter(|p| p.objects.get(dimension).is_some())
        .map(|p| &*p.account)
        .collect();
    let mut out = Vec::new();
    for p in records {
        let ansvar = p.objects.get(dimension).map(|s| s.to_string());
        if ansvar.is_none() && (with_objects.contains(&*p.account) || !p.objects.is_empty()) {
            continue;
        }
        let account = numeric_account(&p.account).ok_or_else(|| LoadError::Sie {
            path: path.to_string(),
            message: format!("rad {}: kontot \"{}\" är inget nummer", p.line, p.account),
        })?;
        out.push(crate::sources::BudgetLine {
            account,
            ansvar,
            amount: p.amount.ore(),
            origin: (path.to_string(), p.line as usize),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn the_posting_index_finds_every_posting_across_its_growth() {
        let mut index = PostingIndex::new();
        // Hashes that collide (every seventh repeats) and postings inserted in order.
        let hash = |i: u32| (i.wrapping_mul(0x9E37_79B1) % 50_000) | u32::from(i.is_multiple_of(7));
        for i in 0..100_000u32 {
            assert_eq!(index.find(hash(i), |p| p == i), None);
            index.insert(hash(i), i);
        }
        assert_eq!(index.len, 100_000);
        assert!(index.slots.len() * 3 >= index.len * 4);
        assert!(index.slots.len().is_power_of_two());
        for i in (0..100_000u32).rev() {
            assert_eq!(index.find(hash(i), |p| p == i), Some(i), "{i}");
        }
        assert_eq!(index.find(7, |p| p == 100_000), None);
        assert_eq!(written_zeros(3), vec![0; 3]);
    }

    /// A ledger of `n` vouchers with rows on several dimensions (lists that repeat,
    /// change, give a dimension twice or not at all), removed and added rows, a
    /// non-numeric account and a voucher that does not balance.
    fn ledger_text(n: u32) -> String {
        let mut s = String::from(
            "#FLAGGA 0\n#SIETYP 4\n#RAR 0 20230101 20231231\n#DIM 1 \"Ansvar\"\n#DIM 6 \"Projekt\"\n",
        );
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        for v in 1..=n {
            let month = next(12) + 1;
            s.push_str(&format!("#VER A {v} 2023{month:02}15\n{{\n"));
            let mut sum = 0i64;
            for _ in 0..next(5) + 1 {
                let account = [4010, 4020, 5010, 1210, 3010][next(5) as usize];
                let list = match next(6) {
                    0 => String::new(),
                    1 => format!("1 \"{}\"", next(4)),
                    2 => format!("1 \"{}\" 6 \"P{}\"", next(4), next(3)),
                    3 => format!("6 \"P{}\" 1 \"{}\" 2 \"{}\"", next(3), next(4), next(50)),
                    4 => format!("1 \"{}\" 1 \"{}\"", next(4), next(4)),
                    _ => format!("2 \"{}\" 6 \"P{}\"", next(50), next(3)),
                };
                let amount = next(100_000) as i64 - 50_000;
                sum += amount;
                let date = if next(4) == 0 {
                    format!(" 2023{:02}01", next(12) + 1)
                } else {
                    String::new()
                };
                s.push_str(&format!("#TRANS {account} {{{list}}} {amount}{date}\n"));
                if next(9) == 0 {
                    s.push_str(&format!("#BTRANS {account} {{{list}}} 7\n"));
                }
            }
            if next(20) != 0 {
                s.push_str(&format!("#TRANS 1930 {{}} {}\n", -sum));
            }
            if next(30) == 0 {
                s.push_str("#TRANS KASSA {} 100\n#TRANS 1930 {} -100\n");
            }
            s.push_str("}\n");
        }
        s
    }

    /// Sums per (account, year, month, the objects `key` picks), with the row count.
    type Sums = BTreeMap<(u32, i32, u32, Vec<Option<String>>), (i64, u64)>;

    /// The objects a sum is kept apart by, from the account and a row's or posting's
    /// object on a dimension.
    type KeyOf = dyn Fn(u32, &dyn Fn(u32) -> Option<String>) -> Vec<Option<String>>;

    /// Row by row from the whole parsed file, as the report read the ledger before it was
    /// summed while read.
    fn rows_summed(text: &str, key: &KeyOf) -> Sums {
        let parsed = delar_sie::parse(
            text.as_bytes(),
            &delar_sie::ParseOptions::new("t").lenient(),
        );
        let mut out = Sums::new();
        for v in parsed.file.vouchers.iter() {
            for r in v.rows() {
                let Some(account) = numeric_account(r.account()) else {
                    continue;
                };
                if !r.kind().counts() {
                    continue;
                }
                let d = r.booking_date(&v);
                let obj = |dim: u32| r.object(dim).map(str::to_string);
                let e = out
                    .entry((
                        account,
                        i32::from(d.year),
                        u32::from(d.month),
                        key(account, &obj),
                    ))
                    .or_default();
                e.0 += r.amount().ore();
                e.1 += 1;
            }
        }
        out
    }

    fn postings_summed(ledger: &Ledger, key: &KeyOf) -> Sums {
        let mut out = Sums::new();
        for p in &ledger.postings {
            assert!(p.rows >= 1);
            let obj = |dim: u32| p.object(dim).map(str::to_string);
            let e = out
                .entry((p.account, p.year, p.month, key(p.account, &obj)))
                .or_default();
            e.0 += p.amount;
            e.1 += u64::from(p.rows);
        }
        out
    }

    fn keep(dims: &[u32], project_on: Option<(u32, u32)>) -> KeptObjects {
        KeptObjects {
            dims: Some(dims.to_vec()),
            on_accounts: project_on
                .map(|(from, to)| vec![(6, vec![AccountRange { from, to }])])
                .unwrap_or_default(),
        }
    }

    #[test]
    fn summed_postings_give_every_sum_the_rows_give() {
        let text = ledger_text(3000);
        let all = read_ledger("t.se", text.as_bytes()).unwrap();
        // The same as summing the whole parsed file's rows, on every object the rows give
        // (and the old entry point on a parsed file agrees).
        let parsed = delar_sie::parse(
            text.as_bytes(),
            &delar_sie::ParseOptions::new("t").lenient(),
        );
        assert_eq!(ledger_from_sie("t.se", &parsed.file), all);
        let rows = parsed.file.vouchers.row_count() as u64;
        assert!(all.row_count() > 3000 && all.row_count() < rows);
        assert!(!all.unbalanced.is_empty() && all.removed_rows > 0);
        assert_eq!(all.non_numeric_accounts.len(), 1);
        for dims in [&[1u32][..], &[1, 6], &[2], &[1, 2, 6]] {
            let key = |_: u32, obj: &dyn Fn(u32) -> Option<String>| {
                dims.iter().map(|&d| obj(d)).collect()
            };
            let want = rows_summed(&text, &key);
            assert_eq!(postings_summed(&all, &key), want, "all objects, {dims:?}");
            let kept = read_ledger_keeping("t.se", text.as_bytes(), &keep(dims, None)).unwrap();
            assert_eq!(postings_summed(&kept, &key), want, "kept {dims:?}");
            assert!(kept.postings.len() < all.postings.len());
            assert_eq!(kept.total(), all.total());
            assert_eq!(kept.unbalanced, all.unbalanced);
            assert_eq!(kept.voucher_count, all.voucher_count);
            assert_eq!(kept.removed_rows, all.removed_rows);
            assert_eq!(kept.non_numeric_accounts, all.non_numeric_accounts);
        }
        // The project dimension kept on the investment accounts only.
        let k = keep(&[1], Some((1200, 1299)));
        let kept = read_ledger_keeping("t.se", text.as_bytes(), &k).unwrap();
        let key = |account: u32, obj: &dyn Fn(u32) -> Option<String>| {
            let project = (1200..=1299).contains(&account).then(|| obj(6)).flatten();
            vec![obj(1), project]
        };
        assert_eq!(postings_summed(&kept, &key), rows_summed(&text, &key));
        assert!(kept
            .postings
            .iter()
            .all(|p| p.object(6).is_none() || p.account == 1210));
        assert!(kept.postings.iter().any(|p| p.object(6).is_some()));
    }

    #[test]
    fn a_size_hint_changes_nothing_but_the_room_reserved() {
        // The file's size reserves room for its postings (more than it has, or fewer when
        // the hint is wrong); the ledger read is the same either way.
        let text = ledger_text(2000);
        let bytes = text.as_bytes();
        let keep = KeptObjects::all();
        let plain = read_ledger_from("t.se", bytes, None, &keep).unwrap();
        assert_eq!(plain, read_ledger("t.se", bytes).unwrap());
        for hint in [0, 100, bytes.len() as u64, u64::MAX] {
            let hinted = read_ledger_from("t.se", bytes, Some(hint), &keep).unwrap();
            assert_eq!(hinted, plain, "size hint {hint}");
        }
        let mut summer = Summer::new(&keep);
        summer.reserve_for(bytes.len() as u64);
        assert!(summer.postings.capacity() >= bytes.len() / BYTES_PER_ROW as usize);
        assert!(plain.postings.len() <= bytes.len() / BYTES_PER_ROW as usize);
        let mut capped = Summer::new(&keep);
        capped.reserve_for(u64::MAX);
        assert!(capped.postings.capacity() <= 2 * MAX_RESERVED_POSTINGS);
    }

    #[test]
    fn sums_whose_hashes_collide_stay_apart() {
        // 480 000 distinct keys: the index keeps 32 bits of each key's hash, so some keys
        // share one (about 27 pairs expected) and only the key compare tells them apart.
        let keep = KeptObjects::all();
        let mut summer = Summer::new(&keep);
        let accounts: Vec<Arc<str>> = (0..200)
            .map(|a| Arc::from(format!("{}", 4000 + a)))
            .collect();
        let objects: Vec<Arc<str>> = (0..200).map(|o| Arc::from(format!("P{o}"))).collect();
        for round in 0..2 {
            for account in &accounts {
                for month in 1..=12 {
                    for object in &objects {
                        summer.add(
                            account,
                            2023,
                            month,
                            || std::iter::once((6, object)),
                            1 + round,
                        );
                    }
                }
            }
        }
        summer.flush();
        let list = |p: &Posting| {
            let id = summer.lists.iter().position(|l| l.same(&p.objects));
            u32::try_from(id.expect("a posting's list is the summer's")).unwrap()
        };
        let mut hashes: Vec<u32> = summer
            .postings
            .iter()
            .map(|p| key_hash(p.account, p.year, p.month, list(p)))
            .collect();
        assert_eq!(summer.postings.len(), 480_000);
        assert!(summer.postings.iter().all(|p| p.rows == 2 && p.amount == 3));
        hashes.sort_unstable();
        let shared = hashes.windows(2).filter(|w| w[0] == w[1]).count();
        assert!(
            shared > 0,
            "no two keys share a hash: the test tests nothing"
        );
    }

    #[test]
    fn postings_come_in_the_order_of_their_first_row() {
        // Rows wait in the pipeline before they are summed: the postings are still one a
        // key, in the order of each key's first row, with every row summed, for fewer rows
        // than the pipeline holds and for enough to grow the index many times.
        let keep = KeptObjects::all();
        let accounts: Vec<Arc<str>> = (0..37)
            .map(|a| Arc::from(format!("{}", 3000 + a)))
            .collect();
        let objects: Vec<Arc<str>> = (0..11).map(|o| Arc::from(format!("A{o}"))).collect();
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for n in [
            0,
            1,
            PIPELINE - 1,
            PIPELINE,
            PIPELINE + 1,
            3 * PIPELINE,
            20_000,
        ] {
            let mut summer = Summer::new(&keep);
            let mut order: Vec<(u32, u32, usize)> = Vec::new();
            let mut want: std::collections::HashMap<(u32, u32, usize), (i64, u32)> =
                std::collections::HashMap::new();
            for _ in 0..n {
                let a = next(accounts.len() as u64) as usize;
                let month = 1 + next(12) as u32;
                let o = next(objects.len() as u64) as usize;
                let amount = next(1000) as i64 - 500;
                summer.add(
                    &accounts[a],
                    2023,
                    month,
                    || std::iter::once((1, &objects[o])),
                    amount,
                );
                let key = (3000 + a as u32, month, o);
                let e = want.entry(key).or_insert_with(|| {
                    order.push(key);
                    (0, 0)
                });
                e.0 += amount;
                e.1 += 1;
            }
            summer.flush();
            type Entry = ((u32, u32, usize), (i64, u32));
            let got: Vec<Entry> = summer
                .postings
                .iter()
                .map(|p| {
                    let o = objects
                        .iter()
                        .position(|x| Some(&**x) == p.object(1))
                        .expect("a posting's object");
                    ((p.account, p.month, o), (p.amount, p.rows))
                })
                .collect();
            let expected: Vec<_> = order.iter().map(|k| (*k, want[k])).collect();
            assert_eq!(got, expected, "{n} rows");
        }
    }

    #[test]
    fn key_hashes_spread_every_part_of_the_key() {
        // A municipal ledger's keys: 460 accounts, two years of months, 100 object lists.
        // A hash that loses bits of one part makes keys share hashes by the thousand, and
        // the summing compares them one by one (issue 11: 170 ns a row); 1.1 million keys
        // in 32 bits share about 140 by chance.
        let mut hashes = Vec::new();
        for account in 3000..3460 {
            for year in [2022, 2023] {
                for month in 1..=12 {
                    for list in 0..100 {
                        hashes.push(key_hash(account, year, month, list));
                    }
                }
            }
        }
        let n = hashes.len();
        hashes.sort_unstable();
        hashes.dedup();
        assert!(
            n - hashes.len() < 1_000,
            "{} of {n} keys share a hash",
            n - hashes.len()
        );
    }

    #[test]
    fn kept_objects_of_two_packages() {
        let a = keep(&[1], Some((1200, 1299)));
        let b = keep(&[2, 1], None);
        let u = a.union(&b);
        assert_eq!(u.dims_for(4010), Some(vec![1, 2]));
        assert_eq!(u.dims_for(1210), Some(vec![1, 2, 6]));
        assert_eq!(a.union(&KeptObjects::all()), KeptObjects::all());
        assert_eq!(KeptObjects::all().dims_for(4010), None);
    }

    #[test]
    fn period_balances_are_summed_alike() {
        let text = "#FLAGGA 0\n#SIETYP 3\n#RAR 0 20230101 20231231\n\
            #PSALDO 0 202301 4010 {1 \"1\" 2 \"x\"} 100\n#PSALDO 0 202301 4010 {1 \"1\" 2 \"y\"} 50\n\
            #PSALDO 0 202302 4010 {} 7\n#PSALDO -1 202201 4010 {} 9\n#PSALDO 0 202301 X {} 3\n";
        let all = read_ledger("p.se", text.as_bytes()).unwrap();
        assert_eq!(all.kind, LedgerKind::PeriodBalances);
        assert_eq!(all.postings.len(), 3);
        let kept = read_ledger_keeping("p.se", text.as_bytes(), &keep(&[1], None)).unwrap();
        assert_eq!(kept.postings.len(), 2);
        assert_eq!(kept.postings[0].amount, 15_000);
        assert_eq!(kept.postings[0].rows, 2);
        assert_eq!(kept.postings[0].object(1), Some("1"));
        assert_eq!(kept.postings[0].object(2), None);
        assert_eq!(kept.non_numeric_accounts, vec![("X".to_string(), 300)]);
        assert_eq!(kept.row_count(), 3);
    }

    #[test]
    fn errors_and_too_large_amounts_stop_the_read_as_before() {
        let big = "#FLAGGA 0\n#SIETYP 4\n#RAR 0 20230101 20231231\n#PSALDO 0 202301 4010 {} 20000000000000\n#VER A 1 20230105\n{\n#TRANS 4010 {} 10000000000001\n#TRANS 1930 {} -10000000000001\n}\n";
        let e = read_ledger_keeping("b.se", big.as_bytes(), &keep(&[1], None)).unwrap_err();
        assert!(e.to_string().contains("rad 7"), "{e}");
        let bad = "#FLAGGA 0\n#SIETYP 4\n#VER A 1 20230105\n{\n#TRANS 4010 {1 \"x\" 100\n}\n";
        let e = read_ledger_keeping("c.se", bad.as_bytes(), &keep(&[1], None)).unwrap_err();
        assert!(matches!(e, LoadError::Sie { .. }), "{e}");
    }
}
