//! Sustained throughput of one tracker on a generated crowd, with the time
//! split between `push` (validation, projection, reorder buffer) and `step`
//! (prediction, association, updates, track management).
//!
//! The scene is the benches' seeded crowd (one person per 6 m², walking
//! 1.3 m/s, 10 Hz, world-sensor cameras tiling the area with 5 % overlap:
//! `benches/support/mod.rs`). After 30 warm-up steps (every track
//! confirmed), each step generates one instant's detections (not timed),
//! pushes them and steps the tracker until nothing is ready.
//!
//! ```text
//! cargo run --release --example throughput -- [PEOPLE [CAMERAS [STEPS [SHARDS]]]]
//! cargo run --release --example throughput -- 10000 500 100   # city scale
//! cargo run --release --example throughput -- 100000 8 20    # 100 000 tracks
//! RAYON_NUM_THREADS=1 cargo run --release --example throughput   # one core
//! cargo run --release --example throughput -- 10000 500 100 2   # 2 shards
//! ```
//!
//! With SHARDS, a `ShardedTracker` with that many shards (compact blocks of
//! cameras) replaces the `Tracker`; its output is the same on any number of
//! threads, so `RAYON_NUM_THREADS=1` and `2` compare like with like.
//!
//! `FUSETRACK_PIN=1` runs everything on a global pool whose workers are
//! pinned to CPUs of their own (`fusetrack::pool::pinned_pool_builder`), as
//! a deployment on dedicated cores would:
//!
//! ```text
//! FUSETRACK_PIN=1 RAYON_NUM_THREADS=2 cargo run --release --example throughput -- 10000 500 100 2
//! ```
//!
//! Defaults: 10 000 people, 500 cameras, 100 steps, no sharding; anything other than a
//! whole number in range is refused with a message. The flood limit
//! (`max_detections_per_frame`) is raised to twice the crowd so that one
//! camera can report everyone. Because the run is deterministic, it also
//! serves for instruction counts:
//! `valgrind --tool=cachegrind target/release/examples/throughput 1000 1 100`.

use std::time::Instant;

#[path = "../benches/support/mod.rs"]
mod support;
use fusetrack::{ShardedTracker, TrackerConfig};
use support::{Scene, assert_steady};

/// Positional argument `i` (`name`), between 1 and `max`; `default` when
/// absent; a message naming it when it is not such a number.
fn arg(args: &[String], i: usize, name: &str, default: usize, max: usize) -> Result<usize, String> {
    let Some(text) = args.get(i) else { return Ok(default) };
    match text.parse::<usize>() {
        Ok(v) if (1..=max).contains(&v) => Ok(v),
        _ => Err(format!("{name}: expected a whole number from 1 to {max}, got {text:?}")),
    }
}

fn main() {
    #[cfg(feature = "parallel")]
    if pinned() {
        // 0 workers: rayon's default (RAYON_NUM_THREADS or the CPU count).
        if let Err(e) = fusetrack::pool::pinned_pool_builder(0).build_global() {
            eprintln!("throughput: cannot build the pinned pool: {e}");
            std::process::exit(1);
        }
    }
    let args: Vec<String> = std::env::args().collect();
    let parsed = (|| {
        Ok::<_, String>((
            arg(&args, 1, "PEOPLE", 10_000, 10_000_000)?,
            arg(&args, 2, "CAMERAS", 500, 100_000)?,
            arg(&args, 3, "STEPS", 100, 1_000_000)?,
            match args.get(4) {
                Some(_) => arg(&args, 4, "SHARDS", 1, 1024)?,
                None => 0,
            },
        ))
    })();
    let (people, cams, steps, shards) = match parsed {
        Ok(v) => v,
        Err(e) => {
            eprintln!("throughput: {e}\nusage: throughput [PEOPLE [CAMERAS [STEPS [SHARDS]]]]");
            std::process::exit(2);
        }
    };
    let mut cfg = TrackerConfig::default();
    let everyone = u32::try_from(people).unwrap_or(u32::MAX).saturating_mul(2);
    cfg.max_detections_per_frame = cfg.max_detections_per_frame.max(everyone);
    let mut scene = Scene::with_config(people, cams, 2024, cfg.clone());
    if shards > 0 {
        if shards > cams {
            eprintln!("throughput: SHARDS must not exceed CAMERAS ({cams}), got {shards}");
            std::process::exit(2);
        }
        sharded(scene, cfg, shards, steps);
        return;
    }
    scene.run(30);
    assert_steady(&scene);
    let (mut push_s, mut step_s, mut detections) = (0.0, 0.0, 0usize);
    for _ in 0..steps {
        scene.generate();
        detections += scene.frame.len();
        let t0 = Instant::now();
        for d in scene.frame.drain(..) {
            scene.tracker.push(d).expect("generated detections are valid");
        }
        let t1 = Instant::now();
        while scene.tracker.step().expect("no numerical failure").is_some() {}
        step_s += t1.elapsed().as_secs_f64();
        push_s += (t1 - t0).as_secs_f64();
        scene.tracker.drain_events();
    }
    let per_step = |s: f64| s * 1e3 / steps as f64;
    println!(
        "{people} people, {cams} cameras, {steps} steps, {} threads{}: \
         push {:.2} ms/step, step {:.2} ms/step, {:.0} detections/step, {:.3} M detections/s",
        rayon_threads(),
        if pinned() { " (pinned)" } else { "" },
        per_step(push_s),
        per_step(step_s),
        detections as f64 / steps as f64,
        detections as f64 / (push_s + step_s) / 1e6
    );
}

/// Threads of rayon's global pool (1 without the `parallel` feature).
/// The same loop with a `ShardedTracker` over the scene's cameras.
fn sharded(mut scene: Scene, cfg: TrackerConfig, shards: usize, steps: usize) {
    let (people, cams) = (scene.crowd.len(), scene.grid.len());
    let mut tracker =
        ShardedTracker::new(cfg, scene.grid.rig.clone(), shards).expect("valid configuration");
    let mut refused = Vec::new();
    let mut feed = |scene: &mut Scene, tracker: &mut ShardedTracker| {
        let t0 = Instant::now();
        tracker.push_batch(&mut scene.frame, &mut refused);
        assert!(refused.is_empty(), "generated detections are valid");
        let t1 = Instant::now();
        while tracker.step().expect("no numerical failure").is_some() {}
        tracker.drain_events();
        ((t1 - t0).as_secs_f64(), t1.elapsed().as_secs_f64())
    };
    for _ in 0..30 {
        scene.generate();
        feed(&mut scene, &mut tracker);
    }
    let confirmed = tracker.confirmed_tracks().count();
    assert!(
        (confirmed as f64) >= 0.9 * people as f64
            && (confirmed as f64) <= 1.1 * people as f64 + 2.0,
        "steady state expected: {confirmed} confirmed tracks for {people} people"
    );
    let (mut push_s, mut step_s, mut detections) = (0.0, 0.0, 0usize);
    for _ in 0..steps {
        scene.generate();
        detections += scene.frame.len();
        let (p, s) = feed(&mut scene, &mut tracker);
        push_s += p;
        step_s += s;
    }
    let per_step = |s: f64| s * 1e3 / steps as f64;
    println!(
        "{people} people, {cams} cameras, {steps} steps, {} threads{}, {shards} shards: \
         push {:.2} ms/step, step {:.2} ms/step, {:.0} detections/step, {:.3} M detections/s \
         ({confirmed} confirmed tracks after the warm-up, {} links)",
        rayon_threads(),
        if pinned() { " (pinned)" } else { "" },
        per_step(push_s),
        per_step(step_s),
        detections as f64 / steps as f64,
        detections as f64 / (push_s + step_s) / 1e6,
        tracker.links()
    );
}

/// Whether `FUSETRACK_PIN=1` asks for pinned workers.
fn pinned() -> bool {
    std::env::var_os("FUSETRACK_PIN").is_some_and(|v| v == "1")
}

fn rayon_threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
