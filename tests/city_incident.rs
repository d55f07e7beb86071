//! The city scene's incident: a car stops at the north façade at 02:40 and
//! two people loiter beside it (`data/city`, preset `SceneSpec::city()`).
//!
//! - the recorded scene is the preset's (first 20 s re-simulated);
//! - the façade bays of `scene.json` separate passers-by from loiterers in
//!   the ground truth itself (the principle behind the zones);
//! - end to end through `replay_scene`: the incident is caught, the time to
//!   alert is the rule's 20 s dwell plus a little, and nobody else raises
//!   an alert.

use fusetrack::io::{GroundTruthRow, read_ground_truth, read_incidents};
use fusetrack::replay::{ReplayOptions, replay_scene};
use fusetrack::rules::AlertPhase;
use fusetrack::sim::{ObjectClass, SceneSpec, SensorSpec, simulate};
use fusetrack::{BBox, Observation};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/city");

/// Ground-truth ids of the incident (the preset's actors come first).
const CAR: u64 = 1;
const LOITERERS: [u64; 2] = [2, 3];

/// The vehicle rule's dwell, seconds (`scene.json`).
const STOPPED_FOR_S: f64 = 20.0;
/// The loitering threshold, seconds (`scene.json`).
const LOITER_FOR_S: f64 = 30.0;

/// `[x0, x1]` of the façade bays, read from `scene.json` (each bay spans
/// y 43.5..48: the pavement from the kerb to the façade at y = 46.5, and
/// 1.5 m of margin).
fn bays() -> Vec<[f64; 2]> {
    let text = std::fs::read_to_string(format!("{DIR}/scene.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut out = Vec::new();
    for z in v["zones"].as_array().unwrap() {
        if !z["name"].as_str().unwrap().starts_with("facade-bay-") {
            continue;
        }
        let p: Vec<[f64; 2]> = serde_json::from_value(z["polygon"].clone()).unwrap();
        let xs = p.iter().map(|q| q[0]);
        let ys = p.iter().map(|q| q[1]);
        let (x0, x1) = (xs.clone().fold(f64::INFINITY, f64::min), xs.fold(0.0, f64::max));
        let (y0, y1) = (ys.clone().fold(f64::INFINITY, f64::min), ys.fold(0.0, f64::max));
        assert_eq!((p.len(), y0, y1), (4, 43.5, 48.0), "bay {}", z["name"]);
        out.push([x0, x1]);
    }
    out.sort_by(|a, b| a[0].total_cmp(&b[0]));
    out
}

/// Longest continuous stay of `rows` (one object, in time order) in the
/// box `x0..x1` x `y0..y1`, seconds.
fn longest_stay(rows: &[&GroundTruthRow], x: [f64; 2], y: [f64; 2]) -> f64 {
    let mut best = 0.0_f64;
    let mut since: Option<f64> = None;
    let mut last = f64::NAN;
    for r in rows {
        let inside = r.x >= x[0] && r.x <= x[1] && r.y >= y[0] && r.y <= y[1];
        match (inside, since) {
            (true, None) => since = Some(r.t_s),
            (false, Some(s)) => {
                best = best.max(last - s);
                since = None;
            }
            _ => {}
        }
        last = r.t_s;
    }
    if let Some(s) = since {
        best = best.max(last - s);
    }
    best
}

fn rows_of(gt: &[GroundTruthRow], id: u64) -> Vec<&GroundTruthRow> {
    gt.iter().filter(|r| r.id == id).collect()
}

#[test]
fn the_recorded_scene_is_the_presets_and_the_incident_is_where_the_readme_says() {
    // Re-simulate the first 20 s (the car pulling in, both people out):
    // the recorded actors (ids 1-3) move exactly as the preset makes them.
    // (Not the whole scene: the traffic draws depend on the duration.)
    let mut spec = SceneSpec::city();
    spec.duration_s = 20.0;
    let short = simulate(&spec).unwrap();
    let gt = read_ground_truth(format!("{DIR}/ground_truth.jsonl")).unwrap();
    let actors = |rows: &[GroundTruthRow]| -> Vec<GroundTruthRow> {
        rows.iter().filter(|r| r.t_s < 20.0 && r.id <= 3).cloned().collect()
    };
    let (recorded, preset) = (actors(&gt), actors(&short.ground_truth));
    assert!(recorded.len() >= 220, "{}", recorded.len()); // car 14 s, people 5 + 4 s, 10 Hz
    assert!(recorded == preset, "data/city is not what SceneSpec::city() makes");
    assert_eq!(short.objects[0].class, ObjectClass::Car);

    let inc = read_incidents(format!("{DIR}/incidents.jsonl")).unwrap();
    assert_eq!(inc.len(), 1);
    let i = &inc[0];
    assert_eq!((i.ids.as_slice(), i.zone.as_deref()), (&[1, 2, 3][..], Some("facade-north")));
    // t: the car reaches the kerb (centre 1.25 m off its lane) at about
    // 9.2 s; until: it pulls away from it at about 77 s.
    assert!((9.0..10.0).contains(&i.t_s) && (76.0..78.0).contains(&i.until_s), "{i:?}");

    // The car stands still at the kerb (x 85.8..90.3, y 42.7..44.5) for
    // about 65 s, from 1.5 s after t; the people are out only while it does.
    let car = rows_of(&gt, CAR);
    let still: Vec<_> =
        car.windows(2).filter(|w| w[0].x == w[1].x && w[0].y == w[1].y).map(|w| w[0]).collect();
    let (rest_from, rest_to) = (still[0].t_s, still[still.len() - 1].t_s);
    assert!(rest_from - i.t_s < 2.0 && rest_from > i.t_s, "at rest from {rest_from}");
    assert!((63.0..=67.0).contains(&(rest_to - rest_from)), "{rest_from}..{rest_to}");
    assert!(still.iter().all(|r| (r.x - 88.0).abs() < 0.5 && (r.y - 43.58).abs() < 0.1));
    for id in LOITERERS {
        let p = rows_of(&gt, id);
        let (first, last) = (p[0].t_s, p[p.len() - 1].t_s);
        assert!(first > rest_from + 3.0 && last < rest_to - 2.0, "{id}: {first}..{last}");
        // Within a few metres of the car all along.
        assert!(p.iter().all(|r| (r.x - 88.0).abs() < 5.0 && (r.y - 45.3).abs() < 1.2), "{id}");
    }
}

#[test]
fn facade_bays_tell_loiterers_from_passers_by_in_the_ground_truth() {
    let bays = bays();
    // Bays of 10 m every 5 m along the frontage x 68..118: any stretch of
    // at most 5 m lies wholly in one bay, so someone pacing a few metres
    // is never split between two.
    assert_eq!(bays.len(), 9);
    assert_eq!((bays[0][0], bays[8][1]), (68.0, 118.0));
    assert!(bays.iter().all(|b| b[1] - b[0] == 10.0));
    assert!(bays.windows(2).all(|w| w[1][0] - w[0][0] == 5.0));

    let gt = read_ground_truth(format!("{DIR}/ground_truth.jsonl")).unwrap();
    let mut ids: Vec<u64> = gt.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    let stay = |id: u64| {
        let rows = rows_of(&gt, id);
        bays.iter().map(|b| longest_stay(&rows, *b, [43.5, 48.0])).fold(0.0, f64::max)
    };
    // Passing a bay at a slow 0.8 m/s takes 12.5 s, with a 2-5 s pause at
    // the mid-block crossing up to about 17 s: well under the 30 s of the
    // rule. In the recording no passer-by stays more than 15 s.
    let passers: Vec<(u64, f64)> = ids
        .iter()
        .filter(|id| **id != CAR && !LOITERERS.contains(id))
        .map(|&id| (id, stay(id)))
        .collect();
    assert!(passers.iter().filter(|p| p.1 > 5.0).count() >= 5, "walkers pass the façade");
    for (id, s) in &passers {
        assert!(*s < 0.6 * LOITER_FOR_S, "passer-by {id} stayed {s} s in a bay");
    }
    // The loiterers stay in one bay more than 50 s each.
    for id in LOITERERS {
        assert!(stay(id) > 50.0, "{id}: {}", stay(id));
    }
    // The old single 50 m zone (x 68..118, y 43.5..52) held ordinary
    // walkers for more than 30 s: the false alerts the bays remove.
    let old_zone_max = passers
        .iter()
        .map(|(id, _)| longest_stay(&rows_of(&gt, *id), [68.0, 118.0], [43.5, 52.0]))
        .fold(0.0, f64::max);
    assert!(old_zone_max > LOITER_FOR_S, "{old_zone_max}");
}

#[test]
fn the_incident_is_caught_in_the_rules_dwell_and_nobody_else_raises_an_alert() {
    let report = replay_scene(DIR, &ReplayOptions::default(), |_| {}).unwrap();
    assert_eq!(report.error_count, 0);
    let scores = report.alert_scores.as_ref().expect("city has scene.json, incidents and truth");
    assert_eq!((scores.caught, scores.missed), (1, 0));
    let inc = &scores.incidents[0];
    // Time to alert: the incident begins when the car reaches the kerb; it
    // is at rest about 1.5 s later, and the rule wants 20 s of it (no alert
    // can come sooner than that). On top: the speed filter settling below
    // 2 m/s and the cameras' latency, together under 2 s. Measured: 22.1 s.
    let tta = inc.time_to_alert_s.unwrap();
    assert!((STOPPED_FOR_S..=STOPPED_FOR_S + 3.5).contains(&tta), "time to alert {tta}");
    // Who raised what: the car the vehicle rule, at its resting place; the
    // loiterers the loitering rule.
    let raised: Vec<_> = report.alerts.iter().filter(|a| a.phase == AlertPhase::Raised).collect();
    let gt_near = |id: u64, t: f64, p: [f64; 2]| {
        report.ground_truth.iter().any(|r| {
            r.id == id && (r.t_s - t).abs() <= 0.05 && (r.x - p[0]).hypot(r.y - p[1]) <= 1.0
        })
    };
    let near = |a: &fusetrack::rules::Alert, id: u64| gt_near(id, a.t_s, [a.x, a.y]);
    let vehicle: Vec<_> =
        raised.iter().filter(|a| a.rule == "vehicle-stopped-at-facade-at-night").collect();
    assert_eq!(vehicle.len(), 1);
    assert!(near(vehicle[0], CAR), "{:?}", vehicle[0]);
    let loitering: Vec<_> =
        raised.iter().filter(|a| a.rule == "people-loitering-at-facade-at-night").collect();
    assert!(!loitering.is_empty() && loitering.len() <= 3, "{loitering:?}");
    assert!(loitering.iter().any(|a| LOITERERS.iter().any(|&id| near(a, id))), "{loitering:?}");

    // False alerts: no passer-by stays 30 s in a bay (test above), and no
    // vehicle but the car stops in the kerbside zone (the stop lines lie
    // outside it). What remains is the tracker's: a track that follows a
    // passer-by into a bay and then, in an identity switch, takes over a
    // loiterer (while `east-block` is down only one camera, 70 m away,
    // sees the façade), counts its time in the bay from the passer-by's
    // entry; its alert is at the passer-by's position and scores as false.
    // The bound: at most one such, and every alert not at an incident
    // object's position is about a loiterer by the time it is emitted.
    assert!(scores.false_alerts <= 1, "{:?}", scores.false_alert_indices);
    let sampled_at = |track: u64, t: f64| {
        report
            .sampled
            .iter()
            .filter(|s| s.1 == track && s.0 <= t + 1e-9)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .copied()
    };
    for a in
        raised.iter().filter(|a| ![CAR, LOITERERS[0], LOITERERS[1]].iter().any(|&id| near(a, id)))
    {
        let (t, _, p) = sampled_at(a.track.0, a.emitted_s).expect("the track was sampled");
        assert!(a.emitted_s - t < 0.5, "{a:?}");
        assert!(LOITERERS.iter().any(|&id| gt_near(id, t, p)), "an alert about a passer-by: {a:?}");
    }
    // One in the 84.9 s of ground truth: 42.4 per hour.
    let per_hour = scores.false_alerts_per_hour.unwrap();
    assert!(per_hour < 43.0, "{per_hour}");
    assert!(raised.iter().all(|a| a.emitted_s >= inc.t_s && a.emitted_s <= inc.until_s));
}

#[test]
fn a_car_actor_is_car_sized() {
    // Only the incident's car, one noiseless camera seeing it from the
    // south-west while it stands at the kerb: a car's box (4.5 m x 1.8 m x
    // 1.5 m seen obliquely) is wider than tall; a person-sized footprint
    // (0.5 m x 0.5 m x 1.5 m) would be three times taller than wide.
    let mut spec = SceneSpec::city();
    spec.duration_s = 20.0;
    spec.actors.truncate(1);
    spec.incidents.clear();
    spec.crowd = None;
    spec.traffic = None;
    spec.sensors = vec![SensorSpec {
        p_detect: 1.0,
        pixel_noise_px: 0.0,
        size_noise_frac: 0.0,
        false_positives_per_frame: 0.0,
        ..SensorSpec::digital("junction-sw-hd", 6.0)
    }];
    let scene = simulate(&spec).unwrap();
    let boxes: Vec<BBox> = scene
        .detections
        .iter()
        .filter(|d| d.t_s > 12.0 && d.class.as_deref() == Some("car"))
        .filter_map(|d| match d.observation {
            Observation::BBox(b) => Some(b),
            _ => None,
        })
        .collect();
    assert!(boxes.len() >= 40, "{}", boxes.len());
    assert!(boxes.iter().all(|b| b.w > 1.5 * b.h), "{:?}", boxes[0]);
}

#[test]
fn a_shortened_city_records_only_what_happens_before_its_end() {
    // Cut before the car reaches the kerb (9.16 s): no incident, although
    // the people are due later (at 15 and 16 s).
    let mut spec = SceneSpec::city();
    spec.duration_s = 9.0;
    assert!(simulate(&spec).unwrap().incidents.is_empty());
    // Cut at 12 s, the car at rest: the incident is clipped to the scene.
    spec.duration_s = 12.0;
    let inc = simulate(&spec).unwrap().incidents;
    assert_eq!(inc.len(), 1);
    assert!((9.0..10.0).contains(&inc[0].t_s) && inc[0].until_s < 12.0, "{:?}", inc[0]);
}
