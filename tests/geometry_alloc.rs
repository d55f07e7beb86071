//! The per-detection path (`measure_foot_point`, `image_to_ground`, `sees`)
//! must not allocate. A counting global allocator checks it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use fusetrack::geometry::{CameraRig, GroundPoint, PixelPoint};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Only the test's own thread counts: the harness allocates on others.
    static COUNTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

// SAFETY: forwards to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.try_with(|c| c.get()).unwrap_or(false) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn hot_path_does_not_allocate() {
    let rig =
        CameraRig::load(concat!(env!("CARGO_MANIFEST_DIR"), "/data/plaza/cameras.json")).unwrap();
    let cams: Vec<_> = rig.iter().map(|(_, c)| c).collect();
    let pixels: Vec<PixelPoint> = (0..200)
        .map(|i| PixelPoint { x: (i * 97 % 1920) as f64, y: (i * 53 % 1080) as f64 })
        .collect();
    let start = std::time::Instant::now();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    COUNTING.with(|c| c.set(true));
    let mut ok = 0usize;
    for c in &cams {
        for &p in &pixels {
            if let Ok(m) = c.measure_foot_point(p, 3.0) {
                ok += 1;
                let g = GroundPoint { x: m.position.x, y: m.position.y };
                std::hint::black_box(rig.cameras_seeing(g).count());
            }
            std::hint::black_box(c.image_to_ground(p).ok());
        }
    }
    COUNTING.with(|c| c.set(false));
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    let calls = cams.len() * pixels.len();
    eprintln!("{calls} measure+project+coverage calls in {:?} (debug build)", start.elapsed());
    assert!(ok > calls / 3, "only {ok} of {calls} measured");
    assert_eq!(after - before, 0, "the hot path allocated");
}
