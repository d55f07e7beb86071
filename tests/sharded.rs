//! The sharded tracker: the same output as one tracker with one shard, the
//! same output on any number of threads, consistent global events, an
//! accuracy close to one tracker's on a crowd crossing shard borders, and
//! bad input refused without losing anything.

mod common;
use common::*;
use fusetrack::geometry::{Camera, CameraRig, Polygon};
use fusetrack::metrics::{TimedPoint, evaluate_points};
use fusetrack::rules::{Alert, AlertEngine, AlertPhase, SceneRules};
use fusetrack::{
    CameraId, Detection, Event, Location, Observation, ShardedTracker, TrackId, TrackerConfig,
};

const SIDE_M: f64 = 120.0;
const DT_S: f64 = 0.1;

/// `g x g` world sensors tiling a square of `SIDE_M`, each covering its
/// cell and 2 m beyond (so neighbours overlap by 4 m).
fn grid_rig(g: u32) -> CameraRig {
    let cell = SIDE_M / f64::from(g);
    let cams = (0..g * g)
        .map(|k| {
            let (x0, y0) = (f64::from(k % g) * cell - 2.0, f64::from(k / g) * cell - 2.0);
            let (x1, y1) = (x0 + cell + 4.0, y0 + cell + 4.0);
            let cov = Polygon::new(vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]).unwrap();
            Camera::world_sensor(format!("s{k}")).with_coverage(cov)
        })
        .collect();
    CameraRig::new(cams).unwrap()
}

/// A crowd walking straight at 1.3 m/s and bouncing off the square's
/// edges, seen by every sensor covering it (probability 0.95, noise 0.15
/// m, 20 ms latency): the detections in arrival order, and the truth.
fn crowd(people: usize, steps: usize, g: u32, seed: u64) -> (Vec<Detection>, Vec<TimedPoint>) {
    let cell = SIDE_M / f64::from(g);
    let mut rng = Rng(seed);
    let mut walkers: Vec<([f64; 2], [f64; 2])> = (0..people)
        .map(|_| {
            let a = rng.uniform() * std::f64::consts::TAU;
            ([rng.uniform() * SIDE_M, rng.uniform() * SIDE_M], [1.3 * a.cos(), 1.3 * a.sin()])
        })
        .collect();
    let (mut dets, mut truth) = (Vec::new(), Vec::new());
    for step in 0..steps {
        let t = step as f64 * DT_S;
        for (i, (p, _)) in walkers.iter().enumerate() {
            truth.push((t, i as u64, *p));
        }
        for k in 0..g * g {
            let (x0, y0) = (f64::from(k % g) * cell - 2.0, f64::from(k / g) * cell - 2.0);
            for (p, _) in &walkers {
                let inside =
                    p[0] >= x0 && p[0] <= x0 + cell + 4.0 && p[1] >= y0 && p[1] <= y0 + cell + 4.0;
                if inside && rng.uniform() < 0.95 {
                    let pos = [p[0] + 0.15 * rng.normal(), p[1] + 0.15 * rng.normal()];
                    let obs = Observation::World { position_m: pos, cov_m2: None };
                    dets.push(Detection::new(t, CameraId(k), obs).with_rx(t + 0.02));
                }
            }
        }
        for (p, v) in &mut walkers {
            for a in 0..2 {
                p[a] += DT_S * v[a];
                if !(0.0..=SIDE_M).contains(&p[a]) {
                    p[a] = p[a].clamp(0.0, SIDE_M);
                    v[a] = -v[a];
                }
            }
        }
    }
    (dets, truth)
}

/// Replays detections through a sharded tracker, one by one (`batch`
/// false) or a capture time at a time through `push_batch`; returns the
/// tracker, the confirmed tracks at every processed time, and the events
/// of each processed time.
fn run_sharded(
    rig: CameraRig,
    shards: usize,
    dets: &[Detection],
    batch: bool,
) -> (ShardedTracker, Vec<Row>, Vec<Vec<Event>>) {
    let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, shards).unwrap();
    let (mut rows, mut events) = (Vec::new(), Vec::new());
    let collect =
        |tr: &mut ShardedTracker, t: f64, rows: &mut Vec<Row>, ev: &mut Vec<Vec<Event>>| {
            for track in tr.confirmed_tracks() {
                rows.push((t, track.id(), track.position()));
            }
            ev.push(tr.drain_events().collect());
        };
    let mut pending = Vec::new();
    let mut refused = Vec::new();
    for (i, d) in dets.iter().enumerate() {
        if batch {
            pending.push(d.clone());
            if dets.get(i + 1).is_some_and(|n| n.rx_s == d.rx_s) {
                continue;
            }
            tracker.push_batch(&mut pending, &mut refused);
            assert!(refused.is_empty());
        } else {
            tracker.push(d.clone()).unwrap();
        }
        while let Some(t) = tracker.step().unwrap() {
            collect(&mut tracker, t, &mut rows, &mut events);
        }
    }
    while let Some(t) = tracker.flush_step().unwrap() {
        collect(&mut tracker, t, &mut rows, &mut events);
    }
    (tracker, rows, events)
}

fn sorted(events: &[Event]) -> Vec<String> {
    let mut v: Vec<String> = events.iter().map(|e| format!("{e:?}")).collect();
    v.sort();
    v
}

#[test]
fn one_shard_reports_what_the_tracker_reports() {
    let (dets, _) = crowd(300, 60, 3, 5);
    let rig = grid_rig(3);
    let mut plain = fusetrack::Tracker::new(TrackerConfig::default(), rig.clone()).unwrap();
    let mut sharded = ShardedTracker::new(TrackerConfig::default(), rig, 1).unwrap();
    let mut steps = 0;
    for d in &dets {
        plain.push(d.clone()).unwrap();
        sharded.push(d.clone()).unwrap();
        loop {
            let (a, b) = (plain.step().unwrap(), sharded.step().unwrap());
            assert_eq!(a, b);
            if a.is_none() {
                break;
            }
            steps += 1;
            let rows_a: Vec<Row> =
                plain.confirmed_tracks().map(|t| (0.0, t.id(), t.position())).collect();
            let rows_b: Vec<Row> =
                sharded.confirmed_tracks().map(|t| (0.0, t.id(), t.position())).collect();
            assert_eq!(rows_a, rows_b, "step {steps}");
            // Same events; the fusion reports status changes after the
            // shard's own events, so the order within a step may differ.
            let ev_a: Vec<Event> = plain.drain_events().collect();
            let ev_b: Vec<Event> = sharded.drain_events().collect();
            assert_eq!(sorted(&ev_a), sorted(&ev_b), "step {steps}");
        }
    }
    assert!(steps >= 50);
    assert_eq!(plain.stats(), &sharded.stats());
    assert!(plain.stats().tracks_confirmed >= 300);
    assert_eq!(sharded.links(), 0);
}

#[test]
fn sharded_output_is_identical_whatever_the_number_of_threads() {
    let (dets, _) = crowd(800, 40, 3, 9);
    let rig = grid_rig(3);
    let on = |threads: usize, batch: bool, pinned: bool| {
        #[cfg(feature = "parallel")]
        let pool = if pinned {
            fusetrack::pool::pinned_pool_builder(threads)
        } else {
            rayon::ThreadPoolBuilder::new().num_threads(threads)
        };
        #[cfg(not(feature = "parallel"))]
        let pool = {
            let _ = pinned; // no pinned pools without the feature
            rayon::ThreadPoolBuilder::new().num_threads(threads)
        };
        pool.build().unwrap().install(|| run_sharded(rig.clone(), 4, &dets, batch))
    };
    let (one, rows_one, ev_one) = on(1, false, false);
    let (two, rows_two, ev_two) = on(2, false, false);
    let (_, rows_batch, ev_batch) = on(2, true, false);
    // Workers pinned to CPUs of their own (`fusetrack::pool`): the same.
    let (pinned, rows_pinned, ev_pinned) = on(2, true, true);
    assert_eq!(rows_one, rows_pinned);
    assert_eq!(ev_one, ev_pinned);
    assert_eq!(one.stats(), pinned.stats());
    assert!(rows_one.len() > 20_000, "{}", rows_one.len());
    assert!(one.links() > 10, "{}", one.links());
    assert_eq!(rows_one, rows_two);
    assert_eq!(ev_one, ev_two);
    assert_eq!(one.stats(), two.stats());
    assert_eq!(one.links(), two.links());
    // A capture time pushed as a batch, shards in parallel: the same.
    assert_eq!(rows_one, rows_batch);
    assert_eq!(ev_one, ev_batch);
}

#[test]
fn global_events_tell_a_consistent_story() {
    let (dets, _) = crowd(600, 80, 4, 21);
    let (tracker, rows, events) = run_sharded(grid_rig(4), 4, &dets, false);
    assert!(tracker.links() > 10);
    use std::collections::HashMap;
    #[derive(Default, Clone, Copy, PartialEq, Debug)]
    struct Life {
        born: bool,
        confirmed: bool,
        lost: bool,
        ended: bool,
    }
    let mut lives: HashMap<TrackId, Life> = HashMap::new();
    let mut merged_into = 0;
    for (k, step) in events.iter().enumerate() {
        for e in step {
            let Some(id) = e.track() else { continue };
            let life = lives.entry(id).or_default();
            assert!(!life.ended, "step {k}: event after the end of {id:?}: {e:?}");
            match *e {
                Event::TrackBorn { .. } => {
                    assert!(!life.born, "{id:?} born twice");
                    life.born = true;
                }
                Event::TrackConfirmed { .. } => {
                    assert!(life.born && !life.confirmed, "{id:?}: {life:?}");
                    life.confirmed = true;
                }
                Event::TrackLost { .. } => {
                    assert!(life.confirmed && !life.lost, "{id:?}: {life:?}");
                    life.lost = true;
                }
                Event::TrackRecovered { .. } => {
                    assert!(life.lost, "{id:?}: {life:?}");
                    life.lost = false;
                }
                Event::TrackEnded { reason, was_confirmed, .. } => {
                    assert_eq!(was_confirmed, life.confirmed, "{id:?}");
                    if let fusetrack::EndReason::Merged { into } = reason {
                        assert_ne!(into, id);
                        merged_into += 1;
                    }
                    life.ended = true;
                }
                Event::TrackUpdated { .. } => assert!(life.born, "{id:?} updated before birth"),
                _ => {}
            }
        }
    }
    assert!(merged_into > 0);
    // Every reported id was confirmed and not ended; no id twice at a time.
    let mut seen_at: HashMap<u64, Vec<TrackId>> = HashMap::new();
    for &(t, id, _) in &rows {
        seen_at.entry(t.to_bits()).or_default().push(id);
    }
    for ids in seen_at.values_mut() {
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
    for (id, life) in &lives {
        if rows.iter().any(|r| r.1 == *id) {
            assert!(life.confirmed, "{id:?} reported unconfirmed");
        }
    }
    // Alive at the end: exactly the groups the tracker still holds.
    let alive: Vec<TrackId> = tracker.tracks().map(|t| t.id()).collect();
    for id in &alive {
        assert!(lives.get(id).is_some_and(|l| l.born && !l.ended), "{id:?}");
    }
}

/// MOTA and IDF1 of the confirmed tracks against the truth (1 m).
fn scores(rows: &[Row], truth: &[TimedPoint]) -> (f64, f64) {
    let hyp: Vec<TimedPoint> = rows.iter().map(|&(t, id, p)| (t, id.0, p)).collect();
    let s = evaluate_points(truth, &hyp, 1.0).unwrap();
    (s.mota, s.idf1)
}

#[test]
fn sharding_costs_little_accuracy_on_a_crowd_crossing_borders() {
    let (dets, truth) = crowd(500, 200, 4, 33);
    let rig = grid_rig(4);
    let (_, plain_rows) = run(TrackerConfig::default(), rig.clone(), &dets);
    let (mota, idf1) = scores(&plain_rows, &truth);
    assert!(mota > 0.9 && idf1 > 0.8, "one tracker: MOTA {mota:.3} IDF1 {idf1:.3}");
    for shards in [2, 4, 16] {
        let (tracker, rows, _) = run_sharded(rig.clone(), shards, &dets, false);
        let (m, i) = scores(&rows, &truth);
        eprintln!(
            "{shards} shards: MOTA {m:.3} IDF1 {i:.3} ({} links); one tracker: MOTA {mota:.3} IDF1 {idf1:.3}",
            tracker.links()
        );
        // A person in two shards' view is filtered on part of the
        // evidence by each, and a hand-over costs a re-confirmation: a
        // small loss, not a collapse (without links, every border crossing
        // would be a new identity and every overlap a duplicate).
        assert!(m >= mota - 0.02, "{shards} shards: MOTA {m:.3} vs {mota:.3}");
        assert!(i >= idf1 - 0.08, "{shards} shards: IDF1 {i:.3} vs {idf1:.3}");
        assert!(tracker.links() > 0);
    }
}

#[test]
fn plans_are_compact_balanced_blocks() {
    let rig = grid_rig(4);
    let tracker = ShardedTracker::new(TrackerConfig::default(), rig.clone(), 4).unwrap();
    // Four shards of a 4 x 4 grid: the four 2 x 2 quadrants.
    for k in 0..16u32 {
        let (x, y) = (k % 4, k / 4);
        let quadrant = |c: u32| (c % 4 / 2, c / 4 / 2);
        for other in 0..16u32 {
            let same = tracker.shard_of(CameraId(k)) == tracker.shard_of(CameraId(other));
            assert_eq!(same, quadrant(k) == quadrant(other), "{x},{y} vs {other}");
        }
    }
    for shards in 1..=16 {
        let t = ShardedTracker::new(TrackerConfig::default(), rig.clone(), shards).unwrap();
        let mut sizes = vec![0usize; shards];
        for k in 0..16 {
            sizes[t.shard_of(CameraId(k)).unwrap()] += 1;
        }
        let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
        assert!(hi - lo <= 1, "{shards} shards: {sizes:?}");
    }
    // Sensors without coverage still get a plan.
    let bare =
        CameraRig::new((0..5).map(|i| Camera::world_sensor(format!("r{i}"))).collect()).unwrap();
    let t = ShardedTracker::new(TrackerConfig::default(), bare, 2).unwrap();
    let zero = (0..5).filter(|&k| t.shard_of(CameraId(k)) == Some(0)).count();
    assert_eq!(zero, 2);
}

#[test]
fn bad_input_is_refused_and_nothing_is_lost() {
    let rig = grid_rig(2);
    let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 2).unwrap();
    let at = |t: f64, c: u32, x: f64| {
        Detection::new(t, CameraId(c), Observation::World { position_m: [x, 10.0], cov_m2: None })
    };
    for k in 0..10 {
        tracker.push(at(0.1 * k as f64, 0, 10.0 + 0.1 * k as f64)).unwrap();
    }
    let before = tracker.stats();
    let unknown = tracker.push(at(1.0, 4, 0.0)).unwrap_err();
    assert!(unknown.to_string().contains("#4"), "{unknown}");
    assert!(tracker.push(at(1.0, 0, f64::NAN)).is_err());
    assert!(tracker.push(at(0.5, 0, 10.0)).is_err()); // time went backwards
    assert!(tracker.push(at(f64::INFINITY, 1, 10.0)).is_err());
    assert_eq!(tracker.stats(), before);
    let mut batch = vec![at(1.0, 0, 11.0), at(1.0, 7, 0.0), at(0.2, 0, 11.0), at(1.0, 3, 50.0)];
    let mut refused = Vec::new();
    tracker.push_batch(&mut batch, &mut refused);
    let idx: Vec<usize> = refused.iter().map(|r| r.0).collect();
    assert_eq!(idx, vec![1, 2]);
    assert_eq!(tracker.stats().detections, before.detections + 2);
    while tracker.flush_step().unwrap().is_some() {}
    assert_eq!(tracker.confirmed_tracks().count(), 1);
    assert!(ShardedTracker::with_groups(TrackerConfig::default(), grid_rig(2), &[]).is_err());
}

#[test]
fn tracks_of_a_shard_gone_dark_are_lost_and_ended_on_time() {
    // Two sensors, one shard each, each seeing its own walker; sensor 1
    // goes dark at 3 s while sensor 0 goes on.
    let rig = grid_rig(2);
    let groups = vec![vec![CameraId(0), CameraId(2)], vec![CameraId(1), CameraId(3)]];
    let mut sharded =
        ShardedTracker::with_groups(TrackerConfig::default(), rig.clone(), &groups).unwrap();
    let mut plain = fusetrack::Tracker::new(TrackerConfig::default(), rig).unwrap();
    let mut reported_after_dark = Vec::new();
    for k in 0..150 {
        let t = k as f64 * DT_S;
        let mut frame = vec![(0, [10.0 + 1.2 * t, 10.0])];
        if t < 3.0 {
            frame.push((1, [100.0, 10.0 + 1.2 * t]));
        }
        for (cam, p) in frame {
            let obs = Observation::World { position_m: p, cov_m2: None };
            let d = Detection::new(t, CameraId(cam), obs).with_rx(t + 0.02);
            sharded.push(d.clone()).unwrap();
            plain.push(d).unwrap();
        }
        while let Some(t) = sharded.step().unwrap() {
            assert_eq!(plain.step().unwrap(), Some(t));
            let ids = |it: Vec<[f64; 2]>| it.iter().filter(|p| p[0] > 60.0).count();
            let s = ids(sharded.confirmed_tracks().map(|t| t.track().position()).collect());
            let p = ids(plain.confirmed_tracks().map(|t| t.position()).collect());
            // The dark shard's walker is reported exactly while one
            // tracker would report it.
            assert_eq!(s, p, "t = {t:.1}");
            if t > 3.0 {
                reported_after_dark.push(s);
            }
        }
    }
    assert_eq!(reported_after_dark.first(), Some(&1)); // still coasting on
    assert_eq!(reported_after_dark.last(), Some(&0)); // lost, then ended
    assert_eq!(sharded.tracks().count(), plain.tracks().count());
    // Time passed in the dark shard too.
    assert!(sharded.time_s().is_some_and(|t| t > 14.0));
    assert!(sharded.shards().all(|s| s.time_s() == sharded.time_s()));
}

fn scene_rules() -> SceneRules {
    SceneRules::from_json_str(
        r#"{"version": 1,
        "zones": [{"name": "square", "polygon": [[45, 20], [75, 20], [75, 100], [45, 100]]}],
        "rules": [
          {"name": "entry", "severity": "high", "kind": "zone_entry", "zone": "square"},
          {"name": "linger", "severity": "medium", "kind": "loitering", "zone": "square", "for_s": 6},
          {"name": "gather", "severity": "medium", "kind": "converging", "min_tracks": 3, "radius_m": 6,
           "min_closing_speed_m_per_s": 0.3}]}"#,
        &Location::none(),
    )
    .unwrap()
}

#[test]
fn alerts_from_one_shard_are_the_trackers_alerts() {
    let (dets, _) = crowd(300, 120, 3, 41);
    let rig = grid_rig(3);
    let mut plain = fusetrack::Tracker::new(TrackerConfig::default(), rig.clone()).unwrap();
    let mut sharded = ShardedTracker::new(TrackerConfig::default(), rig, 1).unwrap();
    let (mut e1, mut e2) = (AlertEngine::new(scene_rules()), AlertEngine::new(scene_rules()));
    let (mut a1, mut a2) = (Vec::new(), Vec::new());
    for d in &dets {
        plain.push(d.clone()).unwrap();
        sharded.push(d.clone()).unwrap();
        while plain.step().unwrap().is_some() {
            e1.observe(&plain, &mut a1);
        }
        while sharded.step().unwrap().is_some() {
            e2.observe_sharded(&sharded, &mut a2);
        }
    }
    let raised = a1.iter().filter(|a| a.phase == AlertPhase::Raised).count();
    assert!(raised > 50, "{raised} alerts raised");
    assert!(a1.iter().any(|a| a.rule == "linger"));
    if let Some(i) = (0..a1.len().min(a2.len())).find(|&i| a1[i] != a2[i]) {
        panic!("alert {i} of {} / {}:\n{:?}\n{:?}", a1.len(), a2.len(), a1[i], a2[i]);
    }
    assert_eq!(a1.len(), a2.len());
}

#[test]
fn a_person_handed_over_between_shards_keeps_one_incident() {
    // Two shards (left and right halves of a 2 x 2 grid, border at x = 60);
    // someone walks slowly through the square across the border.
    let rig = grid_rig(2);
    let groups = vec![vec![CameraId(0), CameraId(2)], vec![CameraId(1), CameraId(3)]];
    let mut tracker = ShardedTracker::with_groups(TrackerConfig::default(), rig, &groups).unwrap();
    let mut engine = AlertEngine::new(scene_rules());
    let mut alerts: Vec<Alert> = Vec::new();
    let mut rng = Rng(3);
    for k in 0..600 {
        let t = k as f64 * DT_S;
        let p = [40.0 + 0.7 * t, 50.0];
        for cam in 0..4u32 {
            let (x0, y0) = (f64::from(cam % 2) * 60.0 - 2.0, f64::from(cam / 2) * 60.0 - 2.0);
            if p[0] >= x0 && p[0] <= x0 + 64.0 && p[1] >= y0 && p[1] <= y0 + 64.0 {
                let z = [p[0] + 0.1 * rng.normal(), p[1] + 0.1 * rng.normal()];
                let obs = Observation::World { position_m: z, cov_m2: None };
                tracker.push(Detection::new(t, CameraId(cam), obs).with_rx(t + 0.02)).unwrap();
            }
        }
        while tracker.step().unwrap().is_some() {
            engine.observe_sharded(&tracker, &mut alerts);
        }
    }
    while tracker.flush_step().unwrap().is_some() {
        engine.observe_sharded(&tracker, &mut alerts);
    }
    engine.finish(&mut alerts);
    assert!(tracker.links() >= 1);
    let raised: Vec<&Alert> = alerts.iter().filter(|a| a.phase == AlertPhase::Raised).collect();
    // One entry and one loitering incident, one track, across the border.
    let brief: Vec<_> = alerts.iter().map(|a| (a.track, &a.kind, a.phase, a.t_s, a.x)).collect();
    assert_eq!(raised.len(), 2, "{brief:?} links {} splits {}", tracker.links(), tracker.splits());
    assert!(raised.iter().all(|a| a.track == raised[0].track));
    let ended: Vec<&Alert> = alerts.iter().filter(|a| a.phase == AlertPhase::Ended).collect();
    assert_eq!(ended.len(), 2, "{alerts:#?}");
    // The walker left the square at x = 75 (t = 50 s), well after the
    // border at x = 60 (t = 28.6 s).
    assert!(
        ended.iter().all(|a| a.x > 70.0),
        "{brief:?} links {} splits {}",
        tracker.links(),
        tracker.splits()
    );
}

#[test]
fn snapshot_and_restore_continue_identically() {
    let (dets, _) = crowd(300, 60, 3, 13);
    let rig = grid_rig(3);
    let (reference, ref_rows, ref_events) = run_sharded(rig.clone(), 2, &dets, false);
    assert!(reference.links() > 0);
    let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 2).unwrap();
    let (mut rows, mut events) = (Vec::new(), Vec::new());
    let half = dets.len() / 2;
    let mut record = |tr: &mut ShardedTracker, t: f64, rows: &mut Vec<Row>| {
        rows.extend(tr.confirmed_tracks().map(|g| (t, g.id(), g.position())));
        events.push(tr.drain_events().collect::<Vec<_>>());
    };
    for (k, d) in dets.iter().enumerate() {
        if k == half {
            let json = serde_json::to_string(&tracker).unwrap();
            tracker = serde_json::from_str(&json).unwrap();
        }
        tracker.push(d.clone()).unwrap();
        while let Some(t) = tracker.step().unwrap() {
            record(&mut tracker, t, &mut rows);
        }
    }
    while let Some(t) = tracker.flush_step().unwrap() {
        record(&mut tracker, t, &mut rows);
    }
    assert_eq!(rows, ref_rows);
    assert_eq!(events, ref_events);
    assert_eq!(tracker.stats(), reference.stats());
    assert_eq!((tracker.links(), tracker.splits()), (reference.links(), reference.splits()));
}

#[test]
fn a_damaged_snapshot_is_refused_not_a_panic_later() {
    let (dets, _) = crowd(100, 20, 2, 3);
    let (tracker, _, _) = run_sharded(grid_rig(2), 2, &dets, false);
    let good = serde_json::to_value(&tracker).unwrap();
    assert!(serde_json::from_value::<ShardedTracker>(good.clone()).is_ok());
    let damaged = |path: &str, v: serde_json::Value| {
        let mut j = good.clone();
        *j.pointer_mut(path).unwrap() = v;
        serde_json::from_value::<ShardedTracker>(j).unwrap_err().to_string()
    };
    assert!(damaged("/shard_of/0", 7.into()).contains("shard_of[0]"));
    assert!(damaged("/shard_of", serde_json::json!([0])).contains("one per camera"));
    assert!(damaged("/shards/1/index", 0.into()).contains("shards[1].index"));
    assert!(damaged("/shards", serde_json::json!([])).contains("shards"));
    let (gid, _) = good["groups"].as_object().unwrap().iter().next().unwrap();
    let err = damaged(&format!("/groups/{gid}/members/0/0"), 5.into());
    assert!(err.contains("member in shard 5"), "{err}");
}
