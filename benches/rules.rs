//! Rule evaluation at crowd scale: `AlertEngine::observe` once per 10 Hz
//! step, in confirmed tracks per second.
//!
//! The benches' seeded crowd (one person per 6 m², walking 1.3 m/s, world
//! sensors; `support/mod.rs`) is tracked to steady state, then each
//! iteration steps the tracker once (not timed) and times one `observe`
//! with two rules: a zone entry over a 40 m square, and a converging group
//! (3 people within 6 m closing in at 0.3 m/s or more), the rule that looks
//! at every track's neighbours.
//!
//! - `rules/observe/threadsK/N`: N = 1 000 people on 8 cameras and, with
//!   `FUSETRACK_BENCH_FULL=1`, 10 000 on 500 (city scale); rules evaluated
//!   on a rayon pool of K threads (K = 1, 2; the tracker steps on the same
//!   pool, outside the timed part).
//!
//! `cargo bench --bench rules`; `-- --test` runs each once (CI).

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use fusetrack::error::Location;
use fusetrack::rules::{AlertEngine, SceneRules};

#[path = "support/mod.rs"]
mod support;
use support::{Scene, full};

const RULES: &str = r#"{"version": 1,
  "zones": [{"name": "square", "polygon": [[0, 0], [40, 0], [40, 40], [0, 40]]}],
  "rules": [
    {"name": "gather", "severity": "medium", "kind": "converging", "min_tracks": 3,
     "radius_m": 6, "min_closing_speed_m_per_s": 0.3, "for_s": 1},
    {"name": "square-entry", "severity": "high", "kind": "zone_entry", "zone": "square"}]}"#;

fn observe(c: &mut Criterion) {
    let rules = SceneRules::from_json_str(RULES, &Location::file("rules bench")).expect("rules");
    let sizes: &[(usize, usize)] = if full() { &[(1000, 8), (10_000, 500)] } else { &[(1000, 8)] };
    let mut group = c.benchmark_group("rules/observe");
    group.sample_size(10);
    for &(people, cameras) in sizes {
        for threads in [1usize, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
            let mut scene = Scene::new(people, cameras, 11);
            pool.install(|| scene.run(30));
            let mut engine = AlertEngine::new(rules.clone());
            let mut alerts = Vec::new();
            pool.install(|| engine.observe(&scene.tracker, &mut alerts));
            group.throughput(Throughput::Elements(scene.confirmed() as u64));
            let id = BenchmarkId::new(format!("threads{threads}"), people);
            group.bench_function(id, |b| {
                b.iter_custom(|iters| {
                    let mut spent = Duration::ZERO;
                    for _ in 0..iters {
                        pool.install(|| scene.run(1));
                        alerts.clear();
                        let t0 = Instant::now();
                        pool.install(|| engine.observe(&scene.tracker, &mut alerts));
                        spent += t0.elapsed();
                    }
                    spent
                });
            });
            assert!(engine.raised() > 0, "the crowd raises alerts at {people} people");
        }
    }
    group.finish();
}

criterion_group!(benches, observe);
criterion_main!(benches);
