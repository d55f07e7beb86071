//! The assignment solvers must not allocate once their scratch and output
//! buffers are warm. A counting global allocator (allowed here: integration
//! tests are separate crates, outside the library's `forbid(unsafe_code)`)
//! counts allocations during a second solve of the same size.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use fusetrack::association::{AssignmentScratch, greedy_assignment, solve_assignment};

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Only the test's own thread counts: the harness allocates on others.
    static COUNTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn count() {
    if COUNTING.try_with(|c| c.get()).unwrap_or(false) {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
    }
}

// SAFETY: forwards every call unchanged to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Deterministic pseudo-random matrix with ~25% forbidden entries.
fn matrix(r: usize, c: usize, seed: u64) -> Vec<f64> {
    let mut x = seed;
    (0..r * c)
        .map(|_| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            if u < 0.25 { f64::INFINITY } else { u * 10.0 }
        })
        .collect()
}

// One test function only, so no other test thread allocates while counting.
#[test]
fn warm_solves_do_not_allocate() {
    let mut scratch = AssignmentScratch::default();
    let mut out = Vec::new();
    for &(r, c) in &[(20, 30), (30, 20), (25, 25)] {
        let a = matrix(r, c, 1);
        let b = matrix(r, c, 2);
        // Warm up with one matrix, then count a solve of another of the same size.
        solve_assignment(&a, r, c, &mut out, &mut scratch).unwrap();
        greedy_assignment(&a, r, c, &mut out, &mut scratch).unwrap();

        let before = ALLOCS.load(Ordering::SeqCst);
        COUNTING.with(|c| c.set(true));
        let t_opt = solve_assignment(&b, r, c, &mut out, &mut scratch).unwrap();
        let n_opt = out.iter().flatten().count();
        let t_greedy = greedy_assignment(&b, r, c, &mut out, &mut scratch).unwrap();
        COUNTING.with(|c| c.set(false));
        let after = ALLOCS.load(Ordering::SeqCst);

        assert_eq!(after - before, 0, "{r}x{c}: warm solves allocated");
        // The solves did real work.
        assert!(n_opt > 0 && t_opt > 0.0 && t_greedy > 0.0);
    }
    // A preallocated scratch does not allocate even on its first optimal solve.
    let mut fresh = AssignmentScratch::with_capacity(40, 12);
    let mut out = Vec::with_capacity(40);
    let m = matrix(40, 12, 3);
    let before = ALLOCS.load(Ordering::SeqCst);
    COUNTING.with(|c| c.set(true));
    solve_assignment(&m, 40, 12, &mut out, &mut fresh).unwrap();
    COUNTING.with(|c| c.set(false));
    assert_eq!(ALLOCS.load(Ordering::SeqCst) - before, 0);
}
