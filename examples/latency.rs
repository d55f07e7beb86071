//! Frame latency percentiles: the time of one `Tracker::step()` in steady
//! state, at 1 000 and 10 000 live tracks.
//!
//! The scene is the benches' seeded crowd (one person per 6 m², 10 Hz,
//! world-sensor cameras tiling the area: `benches/support/mod.rs`). With one
//! camera a step processes exactly one camera frame (about one detection per
//! track); with 8 cameras a step processes the 8 frames of one instant.
//! Detections are pushed before the clock starts; only `step()` is timed.
//!
//! ```text
//! cargo run --release --example latency [-- --steps 2000]
//! ```
//!
//! Prints, per configuration: p50, p99, p99.9 and max of the step time, and
//! the gate's candidate and gated pairs per detection.

use std::time::Instant;

#[path = "../benches/support/mod.rs"]
mod support;
use support::{Scene, assert_steady};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let steps: usize = args
        .iter()
        .position(|a| a == "--steps")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    println!(
        "steps\ttracks\tcameras\tdets/step\tp50 ms\tp99 ms\tp99.9 ms\tmax ms\tcand/det\tgated/det"
    );
    for &(n, cams) in &[(1_000usize, 1usize), (1_000, 8), (10_000, 1), (10_000, 8)] {
        let mut scene = Scene::new(n, cams, 31 + n as u64);
        scene.run(30);
        assert_steady(&scene);
        let s0 = *scene.tracker.stats();
        let mut times_ms = Vec::with_capacity(steps);
        let mut dets = 0usize;
        for _ in 0..steps {
            scene.generate();
            dets += scene.frame.len();
            for d in scene.frame.drain(..) {
                scene.tracker.push(d).expect("valid detection");
            }
            let t0 = Instant::now();
            let stepped = scene.tracker.step().expect("step");
            times_ms.push(t0.elapsed().as_secs_f64() * 1e3);
            assert!(stepped.is_some(), "one frame released per frame pushed");
            assert!(scene.tracker.step().expect("step").is_none());
            scene.tracker.drain_events();
        }
        assert_steady(&scene);
        let s1 = *scene.tracker.stats();
        let processed = (s1.detections_associated - s0.detections_associated).max(1) as f64;
        times_ms.sort_by(f64::total_cmp);
        println!(
            "{steps}\t{n}\t{cams}\t{:.0}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{:.2}\t{:.2}",
            dets as f64 / steps as f64,
            percentile(&times_ms, 50.0),
            percentile(&times_ms, 99.0),
            percentile(&times_ms, 99.9),
            times_ms.last().copied().unwrap_or(f64::NAN),
            (s1.candidate_pairs - s0.candidate_pairs) as f64 / processed,
            (s1.gated_pairs - s0.gated_pairs) as f64 / processed,
        );
    }
}
