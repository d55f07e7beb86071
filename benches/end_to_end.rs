//! End-to-end tracker throughput, in detections per second.
//!
//! - `scenes/NAME`: every sample scene in `data/` (`cameras.json` +
//!   `detections.jsonl`), parsed into memory first; one iteration feeds the
//!   whole recording to a new tracker (`push` of every detection in arrival
//!   order, `step` after each, `flush_step` at the end), as
//!   `fusetrack::replay::replay_scene` does without the file reading,
//!   sampling and scoring. Each iteration must reproduce the first run's
//!   counts exactly.
//! - `city/threadsK`: a generated city-scale scene, 10 000 people walking
//!   over 6 ha seen by 500 world-sensor cameras at 10 Hz (about 10 500
//!   detections per step); one iteration is one 10 Hz step in steady state,
//!   on a rayon pool of K threads (K = 1, 2; `threads2_pinned`: two
//!   workers pinned to CPUs of their own, `fusetrack::pool`). Needs
//!   `FUSETRACK_BENCH_FULL=1`; without it a small stand-in (1 000 people, 50
//!   cameras) keeps the code path exercised by `-- --test`.
//! - `city_sharded/threadsK`: the same scene through a `ShardedTracker` of
//!   two shards (two compact blocks of 250 cameras), on K = 1, 2 threads
//!   (and 2 pinned);
//!   detections pushed as one batch per step (`push_batch`, the shards
//!   taking theirs in parallel). The output does not depend on K, so this
//!   is the two-thread speed-up of a like-for-like computation.
//!
//! `cargo bench --bench end_to_end`; `-- --test` runs each once (CI).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use fusetrack::io::{DetectionReader, SceneDir};
use fusetrack::{CameraRig, Detection, ShardedTracker, Tracker, TrackerConfig, TrackerStats};

#[path = "support/mod.rs"]
mod support;
use support::{Scene, assert_steady, full};

/// The sample scenes: (name, rig, detections in arrival order).
fn sample_scenes() -> Vec<(String, CameraRig, Vec<Detection>)> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&data)
        .expect("data/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("cameras.json").is_file() && p.join("detections.jsonl").is_file())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let scene = SceneDir::open(&dir).expect("scene folder");
            let rig = CameraRig::load(scene.cameras()).expect("cameras.json");
            let dets: Vec<Detection> = DetectionReader::open(scene.detections(), &rig)
                .expect("detections.jsonl")
                .filter_map(Result::ok)
                .collect();
            let name =
                dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (name, rig, dets)
        })
        .collect()
}

/// Feeds a whole recording to a new tracker; returns its final counts.
fn replay(rig: &CameraRig, dets: Vec<Detection>) -> TrackerStats {
    let mut tracker = Tracker::new(TrackerConfig::default(), rig.clone()).expect("config");
    for d in dets {
        // A few recorded lines are refused on purpose (late, malformed
        // boxes); the replay goes on, as replay_scene does.
        let _ = tracker.push(d);
        while tracker.step().expect("step").is_some() {}
        tracker.drain_events();
    }
    while tracker.flush_step().expect("flush").is_some() {}
    *tracker.stats()
}

fn scenes(c: &mut Criterion) {
    let mut g = c.benchmark_group("scenes");
    g.sample_size(10);
    for (name, rig, dets) in sample_scenes() {
        let reference = replay(&rig, dets.clone());
        assert!(reference.tracks_confirmed > 0 && reference.detections_associated > 0);
        g.throughput(Throughput::Elements(reference.detections));
        g.bench_function(BenchmarkId::from_parameter(&name), |b| {
            b.iter_batched(
                || dets.clone(),
                |d| {
                    let st = replay(&rig, d);
                    assert_eq!(st, reference, "replay of {name} is deterministic");
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

/// Pools the city groups run on: one thread, two, and two pinned to CPUs
/// of their own (`fusetrack::pool`).
const VARIANTS: [(usize, bool); 3] = [(1, false), (2, false), (2, true)];

fn pool(threads: usize, pinned: bool) -> rayon::ThreadPool {
    let builder = if pinned {
        fusetrack::pool::pinned_pool_builder(threads)
    } else {
        rayon::ThreadPoolBuilder::new().num_threads(threads)
    };
    builder.build().expect("pool")
}

fn variant(threads: usize, pinned: bool) -> String {
    format!("threads{threads}{}", if pinned { "_pinned" } else { "" })
}

fn city(c: &mut Criterion) {
    let mut g = c.benchmark_group("city");
    let (people, cams) = if full() { (10_000, 500) } else { (1_000, 50) };
    for (threads, pinned) in VARIANTS {
        let pool = pool(threads, pinned);
        let mut scene = Scene::new(people, cams, 2024);
        let warm = pool.install(|| scene.run(30));
        assert_steady(&scene);
        g.throughput(Throughput::Elements(warm as u64 / 30));
        g.sample_size(10);
        if full() {
            g.measurement_time(Duration::from_secs(20));
        }
        let id = BenchmarkId::new(variant(threads, pinned), format!("{people}p_{cams}c"));
        g.bench_function(id, |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    scene.generate();
                    let before = scene.tracker.stats().detections_associated;
                    let t0 = Instant::now();
                    let (pushed, steps) = pool.install(|| scene.feed());
                    spent += t0.elapsed();
                    let assoc = scene.tracker.stats().detections_associated - before;
                    assert_eq!(steps, 1);
                    assert!(assoc as f64 >= 0.9 * pushed as f64, "{assoc} of {pushed} associated");
                }
                spent
            })
        });
        assert_steady(&scene);
    }
    g.finish();
}

fn city_sharded(c: &mut Criterion) {
    let mut g = c.benchmark_group("city_sharded");
    let (people, cams) = if full() { (10_000, 500) } else { (1_000, 50) };
    for (threads, pinned) in VARIANTS {
        let pool = pool(threads, pinned);
        let mut scene = Scene::new(people, cams, 2024);
        let mut tracker = ShardedTracker::new(TrackerConfig::default(), scene.grid.rig.clone(), 2)
            .expect("valid configuration");
        let mut refused = Vec::new();
        let mut feed = |scene: &mut Scene, tracker: &mut ShardedTracker| {
            scene.generate();
            let pushed = scene.frame.len();
            let t0 = Instant::now();
            let steps = pool.install(|| {
                tracker.push_batch(&mut scene.frame, &mut refused);
                let mut steps = 0;
                while tracker.step().expect("tracker step").is_some() {
                    steps += 1;
                }
                tracker.drain_events();
                steps
            });
            let spent = t0.elapsed();
            assert!(refused.is_empty(), "generated detections are valid");
            (pushed, steps, spent)
        };
        let warm: usize = (0..30).map(|_| feed(&mut scene, &mut tracker).0).sum();
        let steady = |tracker: &ShardedTracker| {
            let c = tracker.confirmed_tracks().count() as f64;
            assert!(c >= 0.9 * people as f64 && c <= 1.1 * people as f64 + 2.0, "{c} tracks");
        };
        steady(&tracker);
        g.throughput(Throughput::Elements(warm as u64 / 30));
        g.sample_size(10);
        if full() {
            g.measurement_time(Duration::from_secs(20));
        }
        let id = BenchmarkId::new(variant(threads, pinned), format!("{people}p_{cams}c_2shards"));
        g.bench_function(id, |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let (_, steps, dt) = feed(&mut scene, &mut tracker);
                    assert_eq!(steps, 1);
                    spent += dt;
                }
                spent
            })
        });
        steady(&tracker);
    }
    g.finish();
}

criterion_group!(benches, scenes, city, city_sharded);
criterion_main!(benches);
