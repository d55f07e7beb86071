//! Simulated people keep their distance: in the three sample scenes nobody
//! walks through anybody, groups keep their formation, speeds stay human,
//! and the scenes stay byte-for-byte reproducible.
//!
//! Run with `--nocapture` to see the measured figures.

use std::collections::{BTreeMap, HashMap};

use fusetrack::io::GroundTruthRow;
use fusetrack::sim::{ObjectClass, SceneSpec, SimulatedScene, simulate};

/// Centre distances below this between people of different units fail.
const MIN_APART_M: f64 = 0.4;
/// Group neighbours stay within this band, metres.
const GROUP_BAND_M: [f64; 2] = [0.5, 1.0];
/// Largest pedestrian speed (crowd), m/s.
const MAX_WALK_M_PER_S: f64 = 2.5;

/// Rows by time, in time order.
fn by_time(gt: &[GroundTruthRow]) -> BTreeMap<i64, Vec<&GroundTruthRow>> {
    let mut m: BTreeMap<i64, Vec<&GroundTruthRow>> = BTreeMap::new();
    for r in gt {
        m.entry((r.t_s * 1000.0).round() as i64).or_default().push(r);
    }
    m
}

fn dist(a: &GroundTruthRow, b: &GroundTruthRow) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// The q-quantile (nearest rank) of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(i).copied().unwrap_or(f64::NAN)
}

struct Figures {
    min_apart_m: f64,
    min_pair: (u64, u64, f64),
    p01_apart_m: f64,
    p01_pair_min_m: f64,
    group_band_m: [f64; 2],
    group_pairs: usize,
    max_walk_speed: f64,
    max_accel: f64,
}

/// Measures a scene: distances between people of different units (every
/// ground-truth time), group neighbour distances, crowd speeds; checks
/// actors against their legs' speed.
fn measure(spec: &SceneSpec, scene: &SimulatedScene) -> Figures {
    let info: HashMap<u64, _> = scene.objects.iter().map(|o| (o.id, o)).collect();
    let person = |id: u64| info.get(&id).is_some_and(|o| o.class == ObjectClass::Person);
    let same_group = |a: u64, b: u64| {
        let ga = info.get(&a).and_then(|o| o.group);
        ga.is_some() && ga == info.get(&b).and_then(|o| o.group)
    };
    let mut apart = Vec::new();
    let mut pair_min: HashMap<(u64, u64), f64> = HashMap::new();
    let mut min_pair = (0, 0, f64::INFINITY);
    let mut band = [f64::INFINITY, f64::NEG_INFINITY];
    let mut group_pairs = 0;
    let times = by_time(&scene.ground_truth);
    for rows in times.values() {
        let people: Vec<&&GroundTruthRow> = rows.iter().filter(|r| person(r.id)).collect();
        for (i, a) in people.iter().enumerate() {
            let mut nearest_mate = f64::INFINITY;
            for (j, b) in people.iter().enumerate() {
                if i == j {
                    continue;
                }
                let d = dist(a, b);
                if same_group(a.id, b.id) {
                    nearest_mate = nearest_mate.min(d);
                } else if i < j {
                    apart.push(d);
                    let e = pair_min.entry((a.id, b.id)).or_insert(f64::INFINITY);
                    *e = e.min(d);
                    if d < min_pair.2 {
                        min_pair = (a.id, b.id, d);
                    }
                }
            }
            // A member whose mates are all outside the written area has none here.
            if nearest_mate.is_finite() {
                band = [band[0].min(nearest_mate), band[1].max(nearest_mate)];
                group_pairs += 1;
            }
        }
    }
    apart.sort_by(f64::total_cmp);
    let mut mins: Vec<f64> = pair_min.values().copied().filter(|d| *d < 3.0).collect();
    mins.sort_by(f64::total_cmp);

    // Speeds between consecutive ground-truth rows of each person.
    let mut last: HashMap<u64, (f64, f64, f64)> = HashMap::new();
    let mut max_walk: f64 = 0.0;
    let step = 1.0 / spec.ground_truth_hz;
    for r in &scene.ground_truth {
        if !person(r.id) {
            continue;
        }
        if let Some(&(t, x, y)) = last.get(&r.id) {
            let dt = r.t_s - t;
            if (dt - step).abs() < 1e-6 {
                let v = (r.x - x).hypot(r.y - y) / dt;
                match info.get(&r.id).and_then(|o| o.actor) {
                    Some(ai) => {
                        let legs = &spec.actors[ai].legs;
                        let top = legs.iter().map(|l| l.speed_m_per_s).fold(0.0, f64::max);
                        assert!(
                            v <= 1.2 * top + 0.05,
                            "{}: actor {} at {v:.2} m/s (legs up to {top})",
                            spec.name,
                            r.id
                        );
                    }
                    None => max_walk = max_walk.max(v),
                }
            }
        }
        last.insert(r.id, (r.t_s, r.x, r.y));
    }
    // Accelerations from second differences of three consecutive rows.
    let mut hist: HashMap<u64, Vec<(f64, f64, f64)>> = HashMap::new();
    for r in &scene.ground_truth {
        if person(r.id) {
            hist.entry(r.id).or_default().push((r.t_s, r.x, r.y));
        }
    }
    let mut max_accel: f64 = 0.0;
    for h in hist.values() {
        for w in h.windows(3) {
            let (dt1, dt2) = (w[1].0 - w[0].0, w[2].0 - w[1].0);
            if (dt1 - step).abs() < 1e-6 && (dt2 - step).abs() < 1e-6 {
                let ax = (w[2].1 - 2.0 * w[1].1 + w[0].1) / (step * step);
                let ay = (w[2].2 - 2.0 * w[1].2 + w[0].2) / (step * step);
                max_accel = max_accel.max(ax.hypot(ay));
            }
        }
    }
    Figures {
        max_accel,
        min_apart_m: apart.first().copied().unwrap_or(f64::INFINITY),
        min_pair,
        p01_apart_m: quantile(&apart, 0.01),
        p01_pair_min_m: quantile(&mins, 0.01),
        group_band_m: band,
        group_pairs,
        max_walk_speed: max_walk,
    }
}

fn check_preset(spec: SceneSpec) {
    let scene = simulate(&spec).unwrap();
    let f = measure(&spec, &scene);
    println!(
        "{}: min distance {:.3} m (ids {} {}), 1st percentile {:.3} m over all times, {:.3} m over pairs' minima (< 3 m); group neighbours {:.3}..{:.3} m ({} rows); max crowd speed {:.2} m/s; max acceleration {:.2} m/s²",
        spec.name,
        f.min_apart_m,
        f.min_pair.0,
        f.min_pair.1,
        f.p01_apart_m,
        f.p01_pair_min_m,
        f.group_band_m[0],
        f.group_band_m[1],
        f.group_pairs,
        f.max_walk_speed,
        f.max_accel
    );
    assert!(
        f.min_apart_m >= MIN_APART_M,
        "{}: ids {} and {} come {:.3} m close",
        spec.name,
        f.min_pair.0,
        f.min_pair.1,
        f.min_pair.2
    );
    if f.group_pairs > 0 {
        assert!(
            f.group_band_m[0] >= GROUP_BAND_M[0] && f.group_band_m[1] <= GROUP_BAND_M[1],
            "{}: group neighbours {:?} m apart",
            spec.name,
            f.group_band_m
        );
    }
    assert!(f.max_walk_speed <= MAX_WALK_M_PER_S, "{}: {} m/s", spec.name, f.max_walk_speed);
}

#[test]
fn plaza_people_keep_their_distance() {
    let spec = SceneSpec::plaza();
    check_preset(spec);
}

#[test]
fn museum_people_keep_their_distance() {
    check_preset(SceneSpec::museum());
}

#[test]
fn city_people_keep_their_distance() {
    check_preset(SceneSpec::city());
}

// ---------------------------------------------------------------------------
// Small scenes with a known answer
// ---------------------------------------------------------------------------

use fusetrack::sim::{
    ActorSpec, CrowdSpec, Leg, LookAtSpec, Paths, PeopleSpec, Rect, RigSpec, SensorSpec,
};

fn actor(start_s: f64, start_m: [f64; 2], legs: Vec<Leg>) -> ActorSpec {
    ActorSpec {
        name: "p".into(),
        class: ObjectClass::Person,
        start_s,
        start_m,
        legs,
        repeat: false,
        height_m: 1.75,
    }
}

/// A 20 m x 20 m area under one camera, no crowd.
fn small(actors: Vec<ActorSpec>, duration_s: f64) -> SceneSpec {
    SceneSpec {
        name: "small".into(),
        seed: 5,
        duration_s,
        area: Rect::new([-10.0, -10.0], [10.0, 10.0]),
        ground_truth_hz: 10.0,
        walls_m: Vec::new(),
        rig: RigSpec::LookAt(vec![LookAtSpec {
            name: "cam".into(),
            image_size_px: [1280, 720],
            focal_px: 800.0,
            position_m: [0.0, -20.0, 10.0],
            target_m: [0.0, 0.0, 0.0],
        }]),
        sensors: vec![SensorSpec::digital("cam", 5.0)],
        people: PeopleSpec::default(),
        crowd: None,
        traffic: None,
        actors,
        incidents: Vec::new(),
    }
}

/// Positions of object `id` by time (ms).
fn track(scene: &SimulatedScene, id: u64) -> BTreeMap<i64, (f64, f64)> {
    scene
        .ground_truth
        .iter()
        .filter(|r| r.id == id)
        .map(|r| ((r.t_s * 1000.0).round() as i64, (r.x, r.y)))
        .collect()
}

fn min_distance(a: &BTreeMap<i64, (f64, f64)>, b: &BTreeMap<i64, (f64, f64)>) -> f64 {
    a.iter()
        .filter_map(|(t, p)| b.get(t).map(|q| (p.0 - q.0).hypot(p.1 - q.1)))
        .fold(f64::INFINITY, f64::min)
}

/// The largest sideways (y) distance between two runs of a person walking
/// along x, at the same x.
fn max_sideways(a: &BTreeMap<i64, (f64, f64)>, b: &BTreeMap<i64, (f64, f64)>) -> f64 {
    let b: Vec<(f64, f64)> = b.values().copied().collect();
    a.values()
        .filter_map(|p| {
            // The other run's y where it was at this x (nearest sample).
            let q = b.iter().min_by(|u, v| (u.0 - p.0).abs().total_cmp(&(v.0 - p.0).abs()))?;
            Some((p.1 - q.1).abs())
        })
        .fold(0.0, f64::max)
}

#[test]
fn head_on_walkers_sidestep_and_pass() {
    // A walks east, B walks west, on the same line y = 0; over seeds (the
    // heading wobble differs), keep those where, each walking alone, they
    // would have come within 0.3 m of each other.
    let a = actor(0.0, [-8.0, 0.0], vec![Leg::new([8.0, 0.0], 1.3)]);
    let b = actor(0.0, [8.0, 0.0], vec![Leg::new([-8.0, 0.0], 1.3)]);
    let mut conflicts = 0;
    for seed in 1..=20 {
        let mut spec = small(vec![a.clone(), b.clone()], 16.0);
        spec.seed = seed;
        let scene = simulate(&spec).unwrap();
        let (ta, tb) = (track(&scene, 1), track(&scene, 2));
        // Each alone, with the same wobble (actor i draws from its own stream).
        let mut only_a = spec.clone();
        only_a.actors[1].start_s = 100.0; // never enters
        let mut only_b = spec.clone();
        only_b.actors[0].start_s = 100.0;
        let alone_a = track(&simulate(&only_a).unwrap(), 1);
        let alone_b = track(&simulate(&only_b).unwrap(), 2);
        if min_distance(&alone_a, &alone_b) > 0.3 {
            continue;
        }
        conflicts += 1;
        let d = min_distance(&ta, &tb);
        let (sa, sb) = (max_sideways(&ta, &alone_a), max_sideways(&tb, &alone_b));
        println!("head-on, seed {seed}: closest {d:.3} m, sidesteps {sa:.3} m and {sb:.3} m");
        assert!(d >= PASS_FLOOR_M, "seed {seed}: they came {d:.3} m close");
        assert!(sa < 1.0 && sb < 1.0, "seed {seed}: sidesteps {sa} {sb}");
        // Both get where they were going (the ground truth ends at the area's edge).
        let (ea, eb) = (ta.values().next_back().unwrap(), tb.values().next_back().unwrap());
        assert!(ea.0 > 7.0 && eb.0 < -7.0, "seed {seed}: ends {ea:?} {eb:?}");
    }
    assert!(conflicts >= 3, "only {conflicts} seeds gave a head-on conflict");
}

/// Closest approach asked of two people passing in an open space, metres.
const PASS_FLOOR_M: f64 = 0.5;

#[test]
fn a_walker_goes_around_someone_standing() {
    let stand = actor(0.0, [0.0, 0.0], vec![Leg::new([0.0, 0.0], 1.0).with_pause(60.0)]);
    let walk = actor(0.0, [0.0, -8.0], vec![Leg::new([0.0, 8.0], 1.4)]);
    let scene = simulate(&small(vec![stand, walk], 14.0)).unwrap();
    let (ts, tw) = (track(&scene, 1), track(&scene, 2));
    // Whoever stands does not yield.
    assert!(ts.values().all(|p| p.0.hypot(p.1) < 1e-9), "the standing person moved");
    let d = min_distance(&ts, &tw);
    println!("around a standing person: closest {d:.3} m");
    assert!(d >= PASS_FLOOR_M, "walked {d:.3} m past");
    let end = tw.values().next_back().unwrap();
    assert!(end.1 > 7.5 && end.0.abs() < 0.5, "ended at {end:?}");
}

#[test]
fn a_dense_crowd_keeps_apart() {
    // 14 walkers (some in groups) in 14 m x 14 m for a minute, three seeds.
    for seed in [1, 2, 3] {
        let mut spec = small(Vec::new(), 60.0);
        spec.seed = seed;
        spec.area = Rect::new([-7.0, -7.0], [7.0, 7.0]);
        spec.crowd = Some(CrowdSpec {
            count: 14,
            paths: Paths::OpenArea { waypoints: [1, 3] },
            pause_probability: 0.3,
            pause_s: [1.0, 4.0],
            group_probability: 0.3,
            group_spacing_m: 0.6,
            respawn_s: [0.0, 2.0],
        });
        let scene = simulate(&spec).unwrap();
        let f = measure(&spec, &scene);
        println!(
            "dense crowd, seed {seed}: min {:.3} m, 1st percentile of pairs' minima {:.3} m, max speed {:.2} m/s, max acceleration {:.2} m/s²",
            f.min_apart_m, f.p01_pair_min_m, f.max_walk_speed, f.max_accel
        );
        assert!(f.min_apart_m >= MIN_APART_M, "seed {seed}: {:?}", f.min_pair);
        assert!(f.max_walk_speed <= MAX_WALK_M_PER_S);
        assert!(f.group_pairs > 0 && f.group_band_m[0] >= 0.5 && f.group_band_m[1] <= 1.0);
    }
}

#[test]
fn full_scene_is_reproducible() {
    let spec = SceneSpec::plaza();
    let (a, b) = (simulate(&spec).unwrap(), simulate(&spec).unwrap());
    assert_eq!(a.ground_truth, b.ground_truth);
    assert_eq!(a.detections, b.detections);
    assert_eq!(a.objects, b.objects);
}
