//! The alert rules on small constructed scenes: a real tracker fed by a
//! world sensor (a radar-like camera giving ground positions), the engine
//! after every step.

use fusetrack::geometry::{Camera, CameraRig};
use fusetrack::rules::{Alert, AlertEngine, AlertPhase, NormalityModel, SceneRules};
use fusetrack::{CameraId, Detection, Location, Observation, Tracker, TrackerConfig};

/// An object: its class and where it is at time t (None: not there).
struct Walker {
    class: &'static str,
    at: Box<dyn Fn(f64) -> Option<[f64; 2]>>,
}

fn walker(class: &'static str, f: impl Fn(f64) -> Option<[f64; 2]> + 'static) -> Walker {
    Walker { class, at: Box::new(f) }
}

/// Piecewise-linear path through `(t, [x, y])` waypoints; absent outside.
fn path(points: Vec<(f64, [f64; 2])>) -> impl Fn(f64) -> Option<[f64; 2]> {
    move |t| {
        let first = points.first()?;
        let last = points.last()?;
        if t < first.0 || t > last.0 {
            return None;
        }
        for w in points.windows(2) {
            let (a, b) = (w[0], w[1]);
            if t >= a.0 && t <= b.0 {
                let f = if b.0 > a.0 { (t - a.0) / (b.0 - a.0) } else { 0.0 };
                return Some([a.1[0] + f * (b.1[0] - a.1[0]), a.1[1] + f * (b.1[1] - a.1[1])]);
            }
        }
        None
    }
}

/// Deterministic noise in [-1, 1] (a hash of the inputs).
fn noise(k: u64, j: u64, axis: u64) -> f64 {
    let mut z =
        k.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ j.wrapping_mul(0xC2B2_AE3D_27D4_EB4F) ^ axis;
    z ^= z >> 33;
    z = z.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    z ^= z >> 33;
    (z % 2_000_001) as f64 / 1_000_000.0 - 1.0
}

fn rules(json: &str) -> SceneRules {
    SceneRules::from_json_str(json, &Location::file("scene.json")).expect("valid scene.json")
}

/// Runs the walkers through a tracker at 10 Hz from 0 to `t_end` with
/// uniform position noise of `noise_m`, and the engine after every step.
fn run_with(
    scene: SceneRules,
    walkers: &[Walker],
    t_end: f64,
    noise_m: f64,
) -> (Vec<Alert>, AlertEngine) {
    let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    let mut engine = AlertEngine::new(scene);
    let mut alerts = Vec::new();
    let steps = (t_end / 0.1).round() as u64;
    let var = (noise_m * noise_m / 3.0).max(0.01);
    for k in 0..=steps {
        let t = k as f64 * 0.1;
        let mut any = false;
        for (j, w) in walkers.iter().enumerate() {
            if let Some(p) = (w.at)(t) {
                let p = [
                    p[0] + noise_m * noise(k, j as u64, 1),
                    p[1] + noise_m * noise(k, j as u64, 2),
                ];
                let obs =
                    Observation::World { position_m: p, cov_m2: Some([[var, 0.0], [0.0, var]]) };
                tracker
                    .push(Detection::new(t, CameraId(0), obs).with_class(w.class).with_rx(t + 0.05))
                    .unwrap();
                any = true;
            }
        }
        if !any {
            tracker
                .push(Detection::new(t, CameraId(0), Observation::Empty).with_rx(t + 0.05))
                .unwrap();
        }
        while tracker.step().unwrap().is_some() {
            engine.observe(&tracker, &mut alerts);
        }
    }
    while tracker.flush_step().unwrap().is_some() {
        engine.observe(&tracker, &mut alerts);
    }
    engine.finish(&mut alerts);
    (alerts, engine)
}

fn run(json: &str, walkers: &[Walker], t_end: f64) -> Vec<Alert> {
    run_with(rules(json), walkers, t_end, 0.0).0
}

fn raised(alerts: &[Alert]) -> Vec<&Alert> {
    alerts.iter().filter(|a| a.phase == AlertPhase::Raised).collect()
}
fn ended(alerts: &[Alert]) -> Vec<&Alert> {
    alerts.iter().filter(|a| a.phase == AlertPhase::Ended).collect()
}

const SQUARE: &str = r#"{"name": "room", "polygon": [[0, 0], [4, 0], [4, 4], [0, 4]]}"#;

#[test]
fn zone_entry_raises_once_at_the_entry_and_ends_when_the_track_leaves() {
    let json = format!(
        r#"{{"version": 1, "zones": [{SQUARE}],
        "rules": [{{"name": "room-entry", "severity": "high", "kind": "zone_entry", "zone": "room"}}]}}"#
    );
    // East along y = 2 at 1 m/s from x = -3 (t = 0) to x = 9 (t = 12):
    // in the room from t = 3 to t = 7.
    let w = walker("person", path(vec![(0.0, [-3.0, 2.0]), (12.0, [9.0, 2.0])]));
    let alerts = run(&json, &[w], 12.0);
    let r = raised(&alerts);
    let e = ended(&alerts);
    assert_eq!((r.len(), e.len()), (1, 1), "{alerts:#?}");
    let a = r[0];
    assert_eq!(a.kind, "zone_entered");
    assert_eq!(a.rule, "room-entry");
    assert_eq!(a.zone.as_deref(), Some("room"));
    assert_eq!(a.cameras, ["radar"]);
    // First state inside: at most one 0.1 s step after x = 0.
    assert!(a.t_s >= 3.0 - 1e-9 && a.t_s <= 3.1 + 1e-9, "t = {}", a.t_s);
    assert!(a.x >= -1e-6 && a.x <= 0.15, "x = {}", a.x);
    // Emitted when the tracker processed that time: the detection's 0.05 s
    // latency plus the reorder window `max_lateness_s` later on the arrival clock.
    let expected = 0.05 + TrackerConfig::default().max_lateness_s;
    assert!((a.time_to_alert_s() - expected).abs() < 0.11, "time to alert {}", a.time_to_alert_s());
    // Ended once 0.5 m beyond the far border (x = 4.5 at t = 7.5).
    assert!((e[0].t_s - 7.5).abs() <= 0.11, "ended at {}", e[0].t_s);
}

#[test]
fn a_track_exactly_on_the_border_is_inside_and_one_just_outside_is_not() {
    let json = format!(
        r#"{{"version": 1, "zones": [{SQUARE}],
        "rules": [{{"name": "r", "severity": "low", "kind": "zone_entry", "zone": "room"}}]}}"#
    );
    // Along the top edge y = 4 exactly, no noise.
    let on = walker("person", path(vec![(0.0, [1.0, 4.0]), (5.0, [3.0, 4.0])]));
    assert_eq!(raised(&run(&json, &[on], 5.0)).len(), 1);
    let off = walker("person", path(vec![(0.0, [1.0, 4.001]), (5.0, [3.0, 4.001])]));
    assert_eq!(raised(&run(&json, &[off], 5.0)).len(), 0);
}

#[test]
fn hysteresis_keeps_a_track_jittering_at_the_border_to_one_alert() {
    let rules_with = |h: &str| {
        format!(
            r#"{{"version": 1, {h} "zones": [{SQUARE}],
            "rules": [{{"name": "r", "severity": "low", "kind": "zone_entry", "zone": "room"}}]}}"#
        )
    };
    // Walks along the top border, swaying ±0.3 m across it every 1.6 s, with noise.
    let sway = || {
        walker("person", |t: f64| {
            (t <= 20.0)
                .then(|| [0.5 + 0.15 * t, 4.0 + 0.3 * (t * std::f64::consts::TAU / 1.6).sin()])
        })
    };
    let (with, _) = run_with(rules(&rules_with("")), &[sway()], 20.0, 0.05);
    assert_eq!(raised(&with).len(), 1, "{with:#?}");
    // The same without hysteresis: a new alert at every sway (the oracle
    // that the test scene does cross the border back and forth).
    let none = rules_with(r#""hysteresis": {"exit_hold_s": 0, "exit_margin_m": 0},"#);
    let (without, _) = run_with(rules(&none), &[sway()], 20.0, 0.05);
    assert!(
        raised(&without).len() >= 5,
        "only {} alerts without hysteresis",
        raised(&without).len()
    );
}

#[test]
fn tripwire_crossed_back_and_forth() {
    let json = |dir: &str| {
        format!(
            r#"{{"version": 1, "tripwires": [{{"name": "sill", "from": [0, -2], "to": [0, 2]}}],
            "rules": [{{"name": "wire", "severity": "high", "kind": "tripwire_crossed", "tripwire": "sill", "direction": "{dir}"}}]}}"#
        )
    };
    // Going from +y... the wire points +y, so its left is -x. Start at x = 3
    // (right), cross to x = -3 at t = 6 (crossing x = 0 at t = 3), back to
    // x = 3 at t = 12 (crossing at t = 9).
    let w =
        || walker("person", path(vec![(0.0, [3.0, 0.5]), (6.0, [-3.0, 0.5]), (12.0, [3.0, 0.5])]));
    let inward = run(&json("right_to_left"), &[w()], 13.0);
    let r = raised(&inward);
    assert_eq!(r.len(), 1, "{inward:#?}");
    assert!((r[0].t_s - 3.0).abs() < 0.11, "crossing at {}", r[0].t_s);
    assert!(r[0].x.abs() < 0.05, "crossing point x = {}", r[0].x);
    assert_eq!(r[0].kind, "tripwire_crossed");
    let e = ended(&inward);
    assert_eq!(e.len(), 1);
    // Ended when it crossed back (0.3 m past the line at t = 9.3).
    assert!((e[0].t_s - 9.3).abs() < 0.11, "ended at {}", e[0].t_s);

    let outward = run(&json("left_to_right"), &[w()], 13.0);
    let r = raised(&outward);
    assert_eq!(r.len(), 1);
    assert!((r[0].t_s - 9.0).abs() < 0.11);

    let any = run(&json("any"), &[w()], 13.0);
    let r = raised(&any);
    assert_eq!(r.len(), 2, "{any:#?}");
    assert!((r[0].t_s - 3.0).abs() < 0.11 && (r[1].t_s - 9.0).abs() < 0.11);
}

#[test]
fn walking_around_the_end_of_a_tripwire_is_not_a_crossing() {
    let json = r#"{"version": 1, "tripwires": [{"name": "w", "from": [0, -1], "to": [0, 1]}],
        "rules": [{"name": "wire", "severity": "high", "kind": "tripwire_crossed", "tripwire": "w", "direction": "any"}]}"#;
    // From (3, 0) up to (3, 4), across to (-3, 4) above the wire's end, down to (-3, 0).
    let w = walker(
        "person",
        path(vec![(0.0, [3.0, 0.0]), (4.0, [3.0, 4.0]), (10.0, [-3.0, 4.0]), (14.0, [-3.0, 0.0])]),
    );
    assert!(raised(&run(json, &[w], 14.0)).is_empty());
}

#[test]
fn schedule_crossing_midnight() {
    // t = 0 s is 23:59:00; the rule is active 23:59:30-00:00:20, i.e. scene
    // times 30 s to 80 s.
    let json = format!(
        r#"{{"version": 1, "clock": {{"start_time_of_day": "23:59:00"}}, "zones": [{SQUARE}],
        "rules": [{{"name": "night", "severity": "high", "kind": "zone_entry", "zone": "room",
                   "schedule": ["23:59:30-00:00:20"]}}]}}"#
    );
    // Walks in at t = 8 and stays until t = 100 (a slow stroll inside).
    let w =
        walker("person", path(vec![(5.0, [-1.0, 2.0]), (10.0, [1.0, 2.0]), (100.0, [3.0, 2.0])]));
    let alerts = run(&json, &[w], 100.0);
    let (r, e) = (raised(&alerts), ended(&alerts));
    assert_eq!((r.len(), e.len()), (1, 1), "{alerts:#?}");
    // Raised when the schedule opened, ended when it closed after midnight.
    assert!((r[0].t_s - 30.0).abs() < 0.11, "raised at {}", r[0].t_s);
    assert!((e[0].t_s - 80.0).abs() < 0.11, "ended at {}", e[0].t_s);

    // The same walk in the daytime: nothing.
    let day = json.replace("23:59:00", "12:00:00");
    let w =
        walker("person", path(vec![(5.0, [-1.0, 2.0]), (10.0, [1.0, 2.0]), (100.0, [3.0, 2.0])]));
    assert!(run(&day, &[w], 100.0).is_empty());
}

#[test]
fn zone_schedule_arms_the_zone() {
    let json = r#"{"version": 1, "clock": {"start_time_of_day": "05:59:50"},
        "zones": [{"name": "room", "polygon": [[0, 0], [4, 0], [4, 4], [0, 4]], "schedule": ["22:00-06:00"]}],
        "rules": [{"name": "r", "severity": "high", "kind": "zone_entry", "zone": "room"}]}"#;
    // In the room at t = 2 (05:59:52): raised; at 06:00:00 the zone disarms: ended.
    let w = walker("person", path(vec![(0.0, [-1.0, 2.0]), (3.0, [2.0, 2.0]), (30.0, [2.5, 2.0])]));
    let alerts = run(json, &[w], 30.0);
    let (r, e) = (raised(&alerts), ended(&alerts));
    assert_eq!((r.len(), e.len()), (1, 1), "{alerts:#?}");
    assert!((e[0].t_s - 10.0).abs() < 0.11);
}

#[test]
fn loitering_only_for_those_who_stay() {
    let json = format!(
        r#"{{"version": 1, "zones": [{SQUARE}],
        "rules": [{{"name": "linger", "severity": "medium", "kind": "loitering", "zone": "room", "for_s": 8}}]}}"#
    );
    // Passer-by: 4 s in the room. Lingerer: enters at t = 2, stays 12 s.
    let passer = walker("person", path(vec![(0.0, [-1.0, 1.0]), (6.0, [5.0, 1.0])]));
    let lingerer = walker(
        "person",
        path(vec![(0.0, [2.0, 6.0]), (2.0, [2.0, 4.0]), (14.0, [2.5, 3.0]), (18.0, [2.5, 7.0])]),
    );
    let alerts = run(&json, &[passer, lingerer], 18.0);
    let r = raised(&alerts);
    assert_eq!(r.len(), 1, "{alerts:#?}");
    assert_eq!(r[0].kind, "loitering");
    assert!((r[0].t_s - 2.0).abs() < 0.25, "episode start {}", r[0].t_s);
    assert!(r[0].emitted_s >= r[0].t_s + 8.0);
    assert!((r[0].y - 4.0).abs() < 0.3);
}

#[test]
fn running_needs_a_sustained_speed() {
    let json = r#"{"version": 1, "rules": [
        {"name": "run", "severity": "medium", "kind": "running", "min_speed_m_per_s": 2.2, "for_s": 1.0}]}"#;
    // Walker at 1.3 m/s; sprinter: walks, runs at 3.5 m/s from t = 4 to t = 8, walks.
    let walker_ = walker("person", path(vec![(0.0, [0.0, 10.0]), (12.0, [15.6, 10.0])]));
    let runner = walker(
        "person",
        path(vec![(0.0, [0.0, 0.0]), (4.0, [5.2, 0.0]), (8.0, [19.2, 0.0]), (12.0, [24.4, 0.0])]),
    );
    // A stumble: 0.5 s at 3.5 m/s, shorter than `for_s`.
    let stumble = walker(
        "person",
        path(vec![
            (0.0, [0.0, -10.0]),
            (4.0, [5.2, -10.0]),
            (4.5, [6.95, -10.0]),
            (12.0, [16.7, -10.0]),
        ]),
    );
    let alerts = run(json, &[walker_, runner, stumble], 12.0);
    let r = raised(&alerts);
    assert_eq!(r.len(), 1, "{alerts:#?}");
    assert!(r[0].y.abs() < 0.5, "the runner, not {r:?}");
    // The filtered speed passes 2.2 m/s (+1 sigma) within a second of the change.
    assert!(r[0].t_s > 4.0 && r[0].t_s < 5.0, "episode start {}", r[0].t_s);
    assert_eq!(ended(&alerts).len(), 1);
}

#[test]
fn vehicle_stopped_in_a_no_stopping_zone() {
    let json = r#"{"version": 1, "zones": [{"name": "facade", "polygon": [[10, -2], [20, -2], [20, 2], [10, 2]]}],
        "rules": [{"name": "stopped", "severity": "high", "kind": "vehicle_stopped", "zone": "facade", "for_s": 5}]}"#;
    // A car drives in at 10 m/s, stops at x = 15 from t = 2 to t = 12, drives on.
    let car = walker(
        "car",
        path(vec![
            (0.0, [-5.0, 0.0]),
            (2.0, [15.0, 0.0]),
            (12.0, [15.0, 0.0]),
            (14.0, [35.0, 0.0]),
        ]),
    );
    // A person standing in the zone, and a car stopping outside it.
    let person = walker("person", path(vec![(0.0, [12.0, 1.0]), (14.0, [12.0, 1.0])]));
    let other =
        walker("car", path(vec![(0.0, [-20.0, 30.0]), (2.0, [0.0, 30.0]), (14.0, [0.0, 30.0])]));
    let alerts = run(json, &[car, person, other], 14.0);
    let r = raised(&alerts);
    assert_eq!(r.len(), 1, "{alerts:#?}");
    assert_eq!(r[0].kind, "vehicle_stopped");
    assert!((r[0].x - 15.0).abs() < 1.0);
    assert!(r[0].t_s > 2.0 && r[0].t_s < 4.0, "stop began {}", r[0].t_s);
    assert!(r[0].emitted_s >= r[0].t_s + 5.0);
}

#[test]
fn converging_group_raises_once() {
    let json = r#"{"version": 1, "rules": [
        {"name": "gather", "severity": "medium", "kind": "converging", "min_tracks": 3, "radius_m": 6,
         "min_closing_speed_m_per_s": 0.3, "for_s": 1}]}"#;
    // Three people walk towards (0, 0) from three sides and stop 1 m from it.
    let towards = |from: [f64; 2]| {
        let n = from[0].hypot(from[1]);
        let stop = [from[0] / n, from[1] / n];
        walker("person", path(vec![(0.0, from), ((n - 1.0) / 1.2, stop), (15.0, stop)]))
    };
    let group = [towards([12.0, 0.0]), towards([-10.0, 3.0]), towards([1.0, -11.0])];
    let alerts = run(json, &group, 15.0);
    let r = raised(&alerts);
    assert_eq!(r.len(), 1, "{alerts:#?}");
    assert_eq!(r[0].kind, "converging");
    // Only two: never three.
    let pair = [towards([12.0, 0.0]), towards([-10.0, 3.0])];
    assert!(raised(&run(json, &pair, 15.0)).is_empty());
}

#[test]
fn zone_entry_from_a_zone() {
    let json = r#"{"version": 1, "zones": [
        {"name": "room", "polygon": [[0, 0], [10, 0], [10, 10], [0, 10]]},
        {"name": "window", "polygon": [[9, 4], [11, 4], [11, 6], [9, 6]]},
        {"name": "door", "polygon": [[4, -1], [6, -1], [6, 1], [4, 1]]}],
      "rules": [{"name": "via-window", "severity": "critical", "kind": "zone_entry", "zone": "room", "from_zone": "window"}]}"#;
    let in_window =
        walker("person", path(vec![(0.0, [13.0, 5.0]), (4.0, [9.0, 5.0]), (8.0, [5.0, 8.0])]));
    let by_door =
        walker("person", path(vec![(0.0, [5.0, -4.0]), (4.0, [5.0, 1.0]), (8.0, [5.0, 5.0])]));
    let alerts = run(json, &[in_window, by_door], 8.0);
    let r = raised(&alerts);
    assert_eq!(r.len(), 1, "{alerts:#?}");
    assert!(r[0].x > 9.5, "the one through the window: {:?}", r[0]);
}

#[test]
fn all_of_needs_every_condition_and_objects_filter_kinds() {
    let json = format!(
        r#"{{"version": 1, "zones": [{SQUARE}],
        "rules": [{{"name": "run-in-room", "severity": "high", "kind": "all_of", "objects": ["person"],
          "conditions": [{{"kind": "zone_entry", "zone": "room"}},
                         {{"kind": "running", "min_speed_m_per_s": 2.0}}]}},
                  {{"name": "car-or-runner", "severity": "low", "kind": "any_of", "alert": "odd",
          "conditions": [{{"kind": "zone_entry", "zone": "room", "objects": ["vehicle"]}},
                         {{"kind": "running", "min_speed_m_per_s": 2.0, "zone": "room"}}]}}]}}"#
    );
    // Runner through the room (3 m/s); walker through the room; runner outside.
    let runner_in = walker("person", path(vec![(0.0, [-6.0, 2.0]), (4.0, [6.0, 2.0])]));
    let walker_in = walker("person", path(vec![(0.0, [2.0, -4.0]), (8.0, [2.0, 8.0])]));
    let runner_out = walker("person", path(vec![(0.0, [-6.0, 20.0]), (4.0, [6.0, 20.0])]));
    let alerts = run(&json, &[runner_in, walker_in, runner_out], 8.0);
    let r = raised(&alerts);
    assert_eq!(r.len(), 2, "{alerts:#?}");
    let a = r.iter().find(|a| a.rule == "run-in-room").expect("all_of raised");
    // The episode starts with the later of the two: here entering the
    // room (t = 2) after the running started (t < 1).
    assert_eq!(a.kind, "zone_entered");
    assert!((a.t_s - 2.0).abs() < 0.15 && a.y > 1.0 && a.y < 3.0);
    let b = r.iter().find(|a| a.rule == "car-or-runner").expect("any_of raised");
    assert_eq!(b.kind, "odd");
}

#[test]
fn unusual_movement_against_the_learned_flow() {
    // Learn: people walk east along a corridor y in [0, 2].
    let mut model = NormalityModel::new([-2.0, -4.0, 22.0, 6.0], 1.0).unwrap();
    for lane in 0..5 {
        let y = 0.2 + 0.4 * lane as f64;
        for k in 0..200 {
            let x = (k as f64 * 0.1) % 20.0;
            model.learn([x, y], [1.3, 0.0]);
        }
    }
    let dir = std::env::temp_dir().join(format!("fusetrack-rules-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    model.save(dir.join("normality.json")).unwrap();
    let text = r#"{"version": 1, "rules": [{"name": "odd", "severity": "low", "kind": "unusual_movement",
        "model": "normality.json", "threshold_nats": 5.5, "window_s": 3}]}"#;
    std::fs::write(dir.join("scene.json"), text).unwrap();
    let scene = SceneRules::load(dir.join("scene.json")).unwrap();
    let usual = walker("person", path(vec![(0.0, [1.0, 1.0]), (10.0, [14.0, 1.0])]));
    let against = walker("person", path(vec![(0.0, [18.0, 1.6]), (10.0, [5.0, 1.6])]));
    let (alerts, _) = run_with(scene, &[usual, against], 10.0, 0.05);
    let r = raised(&alerts);
    assert_eq!(r.len(), 1, "{alerts:#?}");
    assert!((r[0].y - 1.6).abs() < 0.3, "the one going west: {:?}", r[0]);
    // The learned surprise of the two directions, for the record.
    // Brute-force oracle of the surprise in the cell of (5.5, 1.1): count
    // the learned samples there (1 m cells from (-2, -4); 24 x 10 cells + outside, 9 bins).
    let same_cell = |p: [f64; 2]| ((p[0] + 2.0).floor(), (p[1] + 4.0).floor()) == (7.0, 5.0);
    let n = (0..5)
        .flat_map(|lane| (0..200).map(move |k| [(k as f64 * 0.1) % 20.0, 0.2 + 0.4 * lane as f64]))
        .filter(|p| same_cell(*p))
        .count() as f64;
    assert!(n >= 25.0, "{n}");
    let cell = ((1000.0 + 241.0) / (n + 1.0)).ln();
    let east = cell + ((n + 9.0) / (n + 1.0)).ln();
    let west = cell + (n + 9.0).ln();
    assert!((model.surprise_nats([5.5, 1.1], [1.3, 0.0]) - east).abs() < 1e-9);
    assert!((model.surprise_nats([5.5, 1.1], [-1.3, 0.0]) - west).abs() < 1e-9);
    assert!(east < 5.5 && west > 5.5, "{east} {west}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_track_that_ends_gets_an_ended_notice() {
    let json = format!(
        r#"{{"version": 1, "zones": [{SQUARE}],
        "rules": [{{"name": "r", "severity": "low", "kind": "zone_entry", "zone": "room"}}]}}"#
    );
    // Walks in and vanishes at t = 5 (the sensor loses it inside).
    let w = walker("person", path(vec![(0.0, [-2.0, 2.0]), (5.0, [2.0, 2.0])]));
    let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    let mut engine = AlertEngine::new(rules(&json));
    let mut alerts = Vec::new();
    for k in 0..=300u64 {
        let t = k as f64 * 0.1;
        let obs = match (w.at)(t) {
            Some(p) => Observation::World { position_m: p, cov_m2: None },
            None => Observation::Empty,
        };
        tracker.push(Detection::new(t, CameraId(0), obs)).unwrap();
        while tracker.step().unwrap().is_some() {
            engine.observe(&tracker, &mut alerts);
        }
    }
    // Without `finish`: the tracker itself ended the track.
    assert_eq!(raised(&alerts).len(), 1);
    let e = ended(&alerts);
    assert_eq!(e.len(), 1, "{alerts:#?}");
    assert!(e[0].t_s >= 5.0 && e[0].t_s < 6.5, "ended at {}", e[0].t_s);
    assert_eq!(engine.open(), 0);
}

#[test]
fn engine_snapshot_round_trips_mid_run() {
    let json = format!(
        r#"{{"version": 1, "zones": [{SQUARE}],
        "rules": [{{"name": "linger", "severity": "medium", "kind": "loitering", "zone": "room", "for_s": 3}}]}}"#
    );
    let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    let mut engine = AlertEngine::new(rules(&json));
    let w = path(vec![(0.0, [-2.0, 2.0]), (3.0, [2.0, 2.0]), (12.0, [2.0, 2.5])]);
    let mut a = Vec::new();
    let mut b = Vec::new();
    let mut restored: Option<AlertEngine> = None;
    for k in 0..=120u64 {
        let t = k as f64 * 0.1;
        let obs = Observation::World { position_m: w(t).unwrap_or([50.0, 50.0]), cov_m2: None };
        tracker.push(Detection::new(t, CameraId(0), obs)).unwrap();
        while tracker.step().unwrap().is_some() {
            engine.observe(&tracker, &mut a);
            if let Some(r) = restored.as_mut() {
                r.observe(&tracker, &mut b);
            }
        }
        if k == 40 {
            // Mid-episode (in the room, not yet alerted): snapshot and restore.
            let text = serde_json::to_string(&engine).unwrap();
            restored = Some(serde_json::from_str(&text).unwrap());
            b = a.clone();
        }
    }
    assert_eq!(raised(&a).len(), 1);
    assert_eq!(a, b);
}

#[test]
fn engine_is_send() {
    fn is_send<T: Send + 'static>() {}
    is_send::<AlertEngine>();
    is_send::<SceneRules>();
}
