//! One frame's cost over a size matrix.
//!
//! - `associate`: gating + assignment of one frame, N predicted tracks
//!   against about N detections at one person per 6 m²:
//!   `grid/N` is what the tracker does (grid-index candidates, Mahalanobis
//!   gate, connected components, optimal assignment per component);
//!   `all_pairs/N` is the naive reference (every track x every detection,
//!   then one dense N x N optimal assignment), to show N log N against N².
//! - `tracker_step/{C}cams/N`: a real [`Tracker`] in steady state (every
//!   track confirmed) fed by C world-sensor cameras tiling the area;
//!   one iteration is one 10 Hz time step: `push` of every detection of the
//!   new frame and the `step` that processes the frame released by the
//!   reorder buffer (all C camera frames of one instant). Throughput is in
//!   detections.
//!
//! `cargo bench --bench frame`; `-- --test` runs each once (CI).
//! 100 000 tracks and all-pairs at 3 000 need `FUSETRACK_BENCH_FULL=1`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use fusetrack::association::components::Associator;
use fusetrack::association::gating::{Gate, GateParams, GatePoint, gate_brute_force};
use fusetrack::association::{AssignmentScratch, FORBIDDEN, solve_assignment};
use fusetrack::{AssociationMethod, TrackerConfig};
use nalgebra::{Matrix2, Vector2};

#[path = "support/mod.rs"]
mod support;
use support::{Crowd, Scene, SplitMix, assert_steady, full};

/// Predicted tracks (at the people's positions) and one detection per
/// person with 0.2 m noise, covariances as the tracker would have them.
fn frame_points(n: usize, seed: u64) -> (Vec<GatePoint>, Vec<GatePoint>) {
    let crowd = Crowd::new(n, seed);
    let mut rng = SplitMix(seed ^ 7);
    let p_cov = Matrix2::new(0.06, 0.01, 0.01, 0.05);
    let r_cov = Matrix2::identity() * 0.09;
    let tracks =
        crowd.pos.iter().map(|p| GatePoint { position: Vector2::new(p[0], p[1]), cov: p_cov });
    let meas = crowd.pos.iter().map(|p| GatePoint {
        position: Vector2::new(p[0] + 0.2 * rng.normal(), p[1] + 0.2 * rng.normal()),
        cov: r_cov,
    });
    (tracks.collect(), meas.collect())
}

fn associate(c: &mut Criterion) {
    let mut g = c.benchmark_group("associate");
    let params = GateParams { gate_d2: 13.8, max_radius_m: 5.0 };
    let mut sizes = vec![10usize, 100, 1_000, 10_000];
    if full() {
        sizes.push(100_000);
    }
    for &n in &sizes {
        let (tracks, meas) = frame_points(n, 42 + n as u64);
        g.throughput(Throughput::Elements(n as u64));
        if n >= 10_000 {
            g.sample_size(20);
        }
        let mut gate = Gate::default();
        let mut assoc = Associator::default();
        let mut pairs = Vec::new();
        let mut assigned = Vec::new();
        // The size of the largest connected component of the gate graph
        // decides the dense assignment's cost: print it with the figures.
        gate.gate(&tracks, &meas, &params, &mut pairs);
        let st = assoc
            .associate(n, n, &pairs, AssociationMethod::Optimal, &mut assigned)
            .expect("finite costs");
        eprintln!(
            "associate/{n}: {:.2} gated pairs per detection, {} components, largest {} nodes",
            pairs.len() as f64 / n as f64,
            st.components,
            st.largest_component
        );
        g.bench_with_input(BenchmarkId::new("grid", n), &n, |b, &n| {
            b.iter(|| {
                pairs.clear();
                gate.gate(black_box(&tracks), black_box(&meas), &params, &mut pairs);
                assoc
                    .associate(n, n, &pairs, AssociationMethod::Optimal, &mut assigned)
                    .expect("finite costs");
                // Nearly every detection finds its person.
                assert!(assigned.len() * 10 >= n * 9, "{} of {n} assigned", assigned.len());
            })
        });
        // The naive reference: all pairs, then one dense assignment.
        let all_pairs_max = if full() { 3_000 } else { 1_000 };
        if n <= all_pairs_max {
            let mut cost = vec![FORBIDDEN; n * n];
            let mut scratch = AssignmentScratch::with_capacity(n, n);
            let mut row_to_col = Vec::new();
            g.bench_with_input(BenchmarkId::new("all_pairs", n), &n, |b, &n| {
                b.iter(|| {
                    pairs.clear();
                    gate_brute_force(black_box(&tracks), black_box(&meas), &params, &mut pairs);
                    cost.fill(FORBIDDEN);
                    for p in &pairs {
                        cost[p.track as usize * n + p.meas as usize] = p.cost;
                    }
                    solve_assignment(&cost, n, n, &mut row_to_col, &mut scratch)
                        .expect("finite costs");
                    let k = row_to_col.iter().flatten().count();
                    assert!(k * 10 >= n * 9, "{k} of {n} assigned");
                })
            });
        }
    }
    g.finish();
}

fn tracker_step(c: &mut Criterion) {
    let mut g = c.benchmark_group("tracker_step");
    let mut sizes = vec![10usize, 100, 1_000, 10_000];
    if full() {
        sizes.push(100_000);
    }
    for &cams in &[1usize, 8, 64] {
        for &n in &sizes {
            // One world sensor reporting 100 000 people is over the default
            // flood limit (10 000 per frame): raise it so that every size
            // tracks everyone.
            let mut cfg = TrackerConfig::default();
            cfg.max_detections_per_frame = cfg.max_detections_per_frame.max(2 * n as u32);
            let mut scene = Scene::with_config(n, cams, 7 + n as u64 + cams as u64, cfg);
            // Fill the reorder buffer (1 s) and confirm the tracks.
            let warm = scene.run(30);
            assert_steady(&scene);
            let per_frame = warm as u64 / 30;
            g.throughput(Throughput::Elements(per_frame.max(1)));
            g.sample_size(if n >= 10_000 { 10 } else { 30 });
            if n >= 10_000 {
                g.measurement_time(Duration::from_secs(10));
            }
            g.bench_function(BenchmarkId::new(format!("{cams}cams"), n), |b| {
                b.iter_custom(|iters| {
                    let mut spent = Duration::ZERO;
                    let (mut pushed, mut assoc) = (0usize, 0u64);
                    for _ in 0..iters {
                        scene.generate(); // not timed
                        let before = scene.tracker.stats().detections_associated;
                        let t0 = Instant::now();
                        let (n, steps) = scene.feed();
                        spent += t0.elapsed();
                        assert_eq!(steps, 1, "one time step released per frame pushed");
                        pushed += n;
                        assoc += scene.tracker.stats().detections_associated - before;
                    }
                    // Steady state: nearly every detection updates a track
                    // (over the batch: a tiny crowd varies from frame to frame).
                    assert!(
                        assoc as f64 + 5.0 >= 0.85 * pushed as f64,
                        "steady state: {assoc} of {pushed} associated"
                    );
                    spent
                })
            });
            assert_steady(&scene);
        }
    }
    g.finish();
}

criterion_group!(benches, associate, tracker_step);
criterion_main!(benches);
