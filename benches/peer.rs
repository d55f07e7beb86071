//! fusetrack against norfair-rs (a Rust port of norfair) on the same
//! ground-plane points.
//!
//! The data: the benches' seeded crowd (`support/mod.rs`), 1 000 people
//! walking over 6 000 m², seen by one sensor that gives ground positions at
//! 10 Hz with 0.2 m noise and 95 % detection probability, 10 s (100 frames,
//! about 95 000 detections), generated once.
//!
//! - fusetrack: one world-sensor camera, default configuration; every
//!   detection is pushed, every released frame processed.
//! - norfair-rs 0.5: `Tracker::update` once per frame with one single-point
//!   `Detection` per detection, Euclidean distance (`"euclidean"`),
//!   threshold 1 m, its optimized Kalman filter with the noise set for
//!   metres at 10 Hz (R = 0.04 m², as the sensor), an object kept alive 10
//!   frames without detection and initialised after 3 hits (like
//!   fusetrack's `confirm_hits`).
//!
//! Group `peer/…`: one iteration = the whole 10 s for a new tracker;
//! throughput in detections. Before timing, both outputs are scored against
//! the ground truth with `fusetrack::metrics::evaluate_points` (1 m
//! threshold) and printed; the scores are asserted to be those of a working
//! tracker (MOTA > 0.5), so neither side can measure an empty run.
//!
//! `cargo bench --bench peer`; `-- --test` runs each once (CI).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use fusetrack::metrics::{TimedPoint, evaluate_points};
use fusetrack::{CameraId, Detection, Observation, Tracker, TrackerConfig};
use norfair_rs::filter::{FilterFactoryEnum, OptimizedKalmanFilterFactory};

#[path = "support/mod.rs"]
mod support;
use support::{Crowd, DT_S, NOISE_STD_M, P_DETECT, SplitMix};

const PEOPLE: usize = 1_000;
const FRAMES: usize = 100;

/// One frame: capture time, detected positions, ground truth (id, position).
struct Frame {
    t_s: f64,
    dets: Vec<[f64; 2]>,
    truth: Vec<(u64, [f64; 2])>,
}

fn frames() -> Vec<Frame> {
    let mut crowd = Crowd::new(PEOPLE, 2718);
    let mut rng = SplitMix(31415);
    (0..FRAMES)
        .map(|k| {
            let truth: Vec<(u64, [f64; 2])> =
                crowd.pos.iter().enumerate().map(|(i, &p)| (i as u64 + 1, p)).collect();
            let mut dets = Vec::with_capacity(PEOPLE);
            for p in &crowd.pos {
                if rng.uniform() < P_DETECT {
                    dets.push([
                        p[0] + NOISE_STD_M * rng.normal(),
                        p[1] + NOISE_STD_M * rng.normal(),
                    ]);
                }
            }
            crowd.advance(DT_S);
            Frame { t_s: k as f64 * DT_S, dets, truth }
        })
        .collect()
}

/// fusetrack on the frames: confirmed tracks at each processed time.
fn run_fusetrack(frames: &[Frame], out: &mut Vec<TimedPoint>) {
    out.clear();
    let rig = fusetrack::CameraRig::new(vec![fusetrack::Camera::world_sensor("sensor")])
        .expect("one camera");
    let mut tracker = Tracker::new(TrackerConfig::default(), rig).expect("config");
    let record = |tracker: &Tracker, t: f64, out: &mut Vec<TimedPoint>| {
        out.extend(tracker.confirmed_tracks().map(|tr| (t, tr.id().0, tr.position())));
    };
    for f in frames {
        for &p in &f.dets {
            let obs = Observation::World { position_m: p, cov_m2: None };
            tracker.push(Detection::new(f.t_s, CameraId(0), obs).with_rx(f.t_s + 0.02)).unwrap();
        }
        while let Some(t) = tracker.step().unwrap() {
            record(&tracker, t, out);
        }
        tracker.drain_events();
    }
    while let Some(t) = tracker.flush_step().unwrap() {
        record(&tracker, t, out);
    }
}

fn norfair_config() -> norfair_rs::TrackerConfig {
    let mut c = norfair_rs::TrackerConfig::from_distance_name("euclidean", 1.0);
    c.hit_counter_max = 10;
    c.initialization_delay = 2;
    // r: measurement variance (m²); q: process noise per frame; initial
    // position variance, position-velocity covariance, velocity variance.
    c.filter_factory =
        FilterFactoryEnum::Optimized(OptimizedKalmanFilterFactory::new(0.04, 0.01, 0.1, 0.0, 0.05));
    c
}

/// norfair-rs on the frames: active (initialised) objects after each update.
fn run_norfair(frames: &[Frame], out: &mut Vec<TimedPoint>) {
    out.clear();
    let mut tracker = norfair_rs::Tracker::new(norfair_config()).expect("config");
    for f in frames {
        let dets: Vec<norfair_rs::Detection> = f
            .dets
            .iter()
            .map(|p| norfair_rs::Detection::from_slice(p, 1, 2).expect("one 2-D point"))
            .collect();
        let active = tracker.update(dets, 1, None);
        for obj in active {
            if let Some(id) = obj.id {
                out.push((f.t_s, id as u64, [obj.estimate[(0, 0)], obj.estimate[(0, 1)]]));
            }
        }
    }
}

fn peer(c: &mut Criterion) {
    let frames = frames();
    let n_dets: usize = frames.iter().map(|f| f.dets.len()).sum();
    let gt: Vec<TimedPoint> =
        frames.iter().flat_map(|f| f.truth.iter().map(|&(id, p)| (f.t_s, id, p))).collect();
    let mut out = Vec::new();
    for (name, run) in [
        ("fusetrack", run_fusetrack as fn(&[Frame], &mut Vec<TimedPoint>)),
        ("norfair-rs", run_norfair),
    ] {
        run(&frames, &mut out);
        let s = evaluate_points(&gt, &out, 1.0).expect("finite points");
        eprintln!(
            "{name}: MOTA {:.3}, IDF1 {:.3}, id switches {}, FP {}, FN {} \
             ({} people, {FRAMES} frames, {n_dets} detections)",
            s.mota, s.idf1, s.id_switches, s.fp, s.fn_, PEOPLE
        );
        assert!(s.mota > 0.5, "{name} must track: MOTA {}", s.mota);
    }

    let mut g = c.benchmark_group("peer");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n_dets as u64));
    g.bench_function(BenchmarkId::new("fusetrack", PEOPLE), |b| {
        b.iter(|| {
            run_fusetrack(black_box(&frames), &mut out);
            // Most people are reported most of the time.
            assert!(out.len() > PEOPLE * FRAMES * 7 / 10, "{} rows", out.len());
        })
    });
    g.bench_function(BenchmarkId::new("norfair-rs", PEOPLE), |b| {
        b.iter(|| {
            run_norfair(black_box(&frames), &mut out);
            assert!(out.len() > PEOPLE * FRAMES * 7 / 10, "{} rows", out.len());
        })
    });
    g.finish();
}

criterion_group!(benches, peer);
criterion_main!(benches);
