//! Software prefetch: the crate's one exception to `unsafe_code = deny`.
//!
//! With 100 000 tracks (57 MB of `Track`s, more than the last-level cache)
//! the Kalman updates of a camera frame visit tracks in measurement order,
//! that is at random in memory, and each update used to wait for its track
//! to arrive from DRAM. Asking for the track a few updates ahead lets those
//! loads overlap: measured +8 % (median of interleaved runs, range
//! -3..+20 %) at 100 000 tracks, neutral at 1 000 (`benches/RESULTS.md`).
//! A prefetch is only a hint to the cache: it never faults, reads nothing
//! into the program and changes no result; on targets other than x86-64
//! it compiles to nothing.

/// Asks the CPU to start loading the cache lines of the first `bytes` bytes
/// of `items[i]` (all of it if `bytes` is larger); nothing if `i` is out of
/// range.
#[inline(always)]
#[allow(unsafe_code)]
pub(crate) fn prefetch_prefix<T>(items: &[T], i: usize, bytes: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(item) = items.get(i) {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let p = std::ptr::from_ref(item).cast::<i8>();
        let end = bytes.min(size_of::<T>());
        let mut off = 0;
        while off < end {
            // SAFETY: `p.wrapping_add(off)` stays inside `item` (`off` is
            // below its size) and is never dereferenced: `prefetcht0` is a
            // cache hint that cannot fault and has no architectural effect.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(p.wrapping_add(off)) };
            off += 64;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (items, i, bytes);
}

/// [`prefetch_prefix`] of the whole element.
#[inline(always)]
pub(crate) fn prefetch_item<T>(items: &[T], i: usize) {
    prefetch_prefix(items, i, size_of::<T>());
}
