//! The streaming reader's memory stays bounded by the largest voucher: a generated ledger of
//! 400 000 rows (never held in memory as a whole) is read with a small peak allocation.

use delar_sie::{ParseOptions, SieReader};
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufReader, Read};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Produces a SIE 4 file voucher by voucher.
struct Ledger {
    vouchers: usize,
    next: usize,
    buf: Vec<u8>,
    pos: usize,
}

impl Read for Ledger {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
            if self.next == 0 {
                self.buf.extend_from_slice(
                    b"#FLAGGA 0\r\n#SIETYP 4\r\n#RAR 0 20230101 20231231\r\n#KONTO 1910 Kassa\r\n#KONTO 5010 Hyra\r\n",
                );
            } else if self.next > self.vouchers {
                return Ok(0);
            }
            if self.next >= 1 {
                let n = self.next;
                let m = n % 12 + 1;
                let text = format!(
                    "#VER A {n} 2023{m:02}01 \"Hyra {n}\"\r\n{{\r\n\t#TRANS 5010 {{1 \"{o}\" 6 P{p}}} {n}.50\r\n\t#TRANS 1910 {{}} -{n}.50\r\n}}\r\n",
                    o = 8000 + n % 300,
                    p = n % 40
                );
                self.buf.extend_from_slice(text.as_bytes());
            }
            self.next += 1;
        }
        let k = out.len().min(self.buf.len() - self.pos);
        out[..k].copy_from_slice(&self.buf[self.pos..self.pos + k]);
        self.pos += k;
        Ok(k)
    }
}

#[test]
fn memory_is_bounded_by_the_largest_voucher() {
    let vouchers = 200_000;
    let ledger = Ledger {
        vouchers,
        next: 0,
        buf: Vec::new(),
        pos: 0,
    };
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut reader = SieReader::new(BufReader::new(ledger), &ParseOptions::new("gen"));
    let (mut count, mut rows, mut sum) = (0usize, 0usize, 0i64);
    while let Some(v) = reader.next_voucher() {
        let v = v.unwrap();
        count += 1;
        rows += v.row_count();
        sum += v.rows().next().map_or(0, |r| r.amount().ore());
    }
    assert!(
        reader.diagnostics().is_empty(),
        "{:?}",
        reader.diagnostics()
    );
    let bytes = reader.position();
    assert_eq!((count, rows), (vouchers, 2 * vouchers));
    assert_eq!(
        sum,
        (1..=vouchers as i64).map(|n| n * 100 + 50).sum::<i64>()
    );
    let peak = PEAK.load(Ordering::Relaxed) - base;
    eprintln!("peak allocation {peak} bytes for {bytes} bytes read");
    assert!(bytes > 20_000_000, "{bytes} bytes read");
    // Interned accounts and objects plus buffers: well under a megabyte, for 20+ MB read.
    assert!(
        peak < 1_000_000,
        "peak allocation {peak} bytes for {bytes} bytes read"
    );
}
