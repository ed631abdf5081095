//! The global allocator: the system's, with large blocks on transparent huge pages.
//!
//! A large report sums a million ledger rows into hash maps and vectors of tens of MB that
//! are written once, out of order; with 4 KiB pages every first write to a page is a page
//! fault, and faults were an eighth of such a report's time (perf, issue 11). Blocks of
//! [`HUGE_FROM`] bytes or more are advised to the kernel as huge-page candidates
//! (`madvise(MADV_HUGEPAGE)`, which counts where transparent huge pages are set to
//! `madvise`, as on Debian and Ubuntu; where they are `always` or `never` it changes
//! nothing). The blocks themselves come from the system allocator as before.

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks from this size are advised (two huge pages: a smaller block may not hold one
/// aligned huge page).
const HUGE_FROM: usize = 4 << 20;

/// The huge page size of x86-64 and of most arm64 kernels.
#[cfg(target_os = "linux")]
const HUGE_PAGE: usize = 2 << 20;

/// The system allocator, advising large blocks onto huge pages.
pub struct Allocator;

/// Advises the whole huge pages inside `len` bytes at `ptr`.
#[inline]
fn advise(ptr: *mut u8, len: usize) {
    #[cfg(target_os = "linux")]
    if !ptr.is_null() && len >= HUGE_FROM {
        let start = (ptr as usize).next_multiple_of(HUGE_PAGE);
        let end = (ptr as usize + len) / HUGE_PAGE * HUGE_PAGE;
        if end > start {
            // SAFETY: the range lies inside the block just allocated; the advice changes
            // how the kernel backs it, not its contents. A failure is harmless.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (ptr, len);
}

// SAFETY: every call is passed on to `System` unchanged; `advise` only gives the kernel
// advice about blocks `System` returned.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        advise(ptr, layout.size());
        ptr
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        advise(ptr, layout.size());
        ptr
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        advise(new, new_size);
        new
    }
}
