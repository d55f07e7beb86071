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

#[cfg(test)]
mod tests {
    use super::*;

    /// Any index and length is accepted, in range or not, and the data is
    /// left as it was.
    #[test]
    fn hints_never_fail_or_change_data() {
        let v: Vec<[f64; 20]> = (0..4).map(|i| [i as f64; 20]).collect();
        for i in [0, 3, 4, usize::MAX] {
            prefetch_item(&v, i);
            for bytes in [0, 1, 64, 160, usize::MAX] {
                prefetch_prefix(&v, i, bytes);
            }
        }
        let empty: [u8; 0] = [];
        prefetch_item(&empty, 0);
        prefetch_item(&[(); 3], 1); // zero-sized elements: no line to fetch
        assert!(v.iter().enumerate().all(|(i, a)| a.iter().all(|&x| x == i as f64)));
    }
}
