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
