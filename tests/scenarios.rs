//! End-to-end scenarios on small synthetic scenes seen through calibrated cameras.

mod common;

use common::*;
use fusetrack::geometry::{Camera, CameraRig};
use fusetrack::{BBox, CameraId, Detection, Error, Event, Observation, Tracker, TrackerConfig};

#[test]
fn three_cameras_one_walker_give_exactly_one_track() {
    let rig = ring_of_cameras(3, 12.0);
    let walker = line([-5.0, -3.0], [5.0, 3.0], 1.3, 0.0);
    // Check every camera sees the walker most of the time.
    let dets = observe(&rig, &[walker], &[10.0, 12.5, 8.0], 0.0, 9.0, 2.0, 7);
    for c in 0..3 {
        let n =
            dets.iter().filter(|d| d.camera == CameraId(c) && !d.observation.is_empty()).count();
        assert!(n > 50, "camera {c} saw the walker only {n} times");
    }
    let (tracker, rows) = run(TrackerConfig::default(), rig, &dets);
    let ids = distinct_ids(&rows);
    assert_eq!(ids.len(), 1, "confirmed tracks: {ids:?}");
    // All three cameras contribute to it at the end.
    let track = tracker.confirmed_tracks().next().expect("the track is still alive at the end");
    assert_eq!(tracker.contributing_cameras(track).count(), 3);
    // And it is where the walker is.
    let walker = line([-5.0, -3.0], [5.0, 3.0], 1.3, 0.0);
    let followed = ids_following(&rows, &walker, 0.5);
    let hit = followed.iter().filter(|x| x.is_some()).count();
    assert!(hit as f64 >= 0.95 * followed.len() as f64, "{hit}/{}", followed.len());
}

#[test]
fn handoff_between_cameras_keeps_one_id() {
    // Two cameras looking at the two halves of a corridor, overlapping little.
    let a = Camera::look_at("west", [1280, 720], 1400.0, [-8.0, -9.0, 5.0], [-8.0, 0.0, 0.0])
        .unwrap()
        .with_pixel_noise_px(2.0);
    let b = Camera::look_at("east", [1280, 720], 1400.0, [6.0, -9.0, 5.0], [6.0, 0.0, 0.0])
        .unwrap()
        .with_pixel_noise_px(2.0);
    let rig = CameraRig::new(vec![a, b]).unwrap();
    let walker = line([-14.0, 0.0], [12.0, 0.0], 1.4, 0.0);
    let dets = observe(&rig, &[walker], &[10.0, 10.0], 0.0, 19.0, 2.0, 11);
    let seen_by = |c: u32| {
        dets.iter().filter(|d| d.camera == CameraId(c) && !d.observation.is_empty()).count()
    };
    assert!(seen_by(0) > 30 && seen_by(1) > 30);
    let (_, rows) = run(TrackerConfig::default(), rig, &dets);
    let ids = distinct_ids(&rows);
    assert_eq!(ids.len(), 1, "the walker got several ids: {ids:?}");
}

#[test]
fn two_people_passing_close_keep_their_ids() {
    let rig = ring_of_cameras(3, 12.0);
    // Opposite directions, 0.8 m apart laterally.
    let p = line([-6.0, 0.4], [6.0, 0.4], 1.3, 0.0);
    let q = line([6.0, -0.4], [-6.0, -0.4], 1.3, 0.0);
    let dets = observe(&rig, &[p, q], &[10.0, 10.0, 10.0], 0.0, 9.0, 2.0, 3);
    let (_, rows) = run(TrackerConfig::default(), rig, &dets);
    let p = line([-6.0, 0.4], [6.0, 0.4], 1.3, 0.0);
    let q = line([6.0, -0.4], [-6.0, -0.4], 1.3, 0.0);
    for (name, w) in [("p", &p), ("q", &q)] {
        let f = ids_following(&rows, w, 0.6);
        let mut ids: Vec<_> = f.iter().flatten().copied().collect();
        assert!(
            ids.len() as f64 > 0.9 * f.len() as f64,
            "{name} followed {}/{}",
            ids.len(),
            f.len()
        );
        ids.dedup();
        assert_eq!(ids.len(), 1, "{name} changed id: {ids:?}");
    }
    assert_eq!(distinct_ids(&rows).len(), 2);
}

#[test]
fn result_does_not_depend_on_detection_order_within_a_frame() {
    let rig = ring_of_cameras(3, 12.0);
    let walkers =
        vec![line([-6.0, 0.0], [6.0, 0.0], 1.3, 0.0), line([0.0, -6.0], [0.0, 6.0], 1.1, 0.5)];
    let dets = observe(&rig, &walkers, &[10.0], 0.0, 8.0, 2.0, 5);
    // Reverse the order of detections within each (camera, time) frame.
    let mut shuffled = dets.clone();
    let mut i = 0;
    while i < shuffled.len() {
        let mut j = i;
        while j < shuffled.len()
            && shuffled[j].camera == shuffled[i].camera
            && shuffled[j].t_s == shuffled[i].t_s
        {
            j += 1;
        }
        shuffled[i..j].reverse();
        i = j;
    }
    assert_ne!(dets, shuffled);
    let (_, a) = run(TrackerConfig::default(), rig.clone(), &dets);
    let (_, b) = run(TrackerConfig::default(), rig, &shuffled);
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

#[test]
fn snapshot_and_restore_continue_identically() {
    let rig = ring_of_cameras(3, 12.0);
    let walkers = vec![line([-6.0, 1.0], [6.0, 1.0], 1.3, 0.0)];
    let dets = observe(&rig, &walkers, &[10.0], 0.0, 8.0, 2.0, 9);
    let (reference, ref_rows) = run(TrackerConfig::default(), rig.clone(), &dets);

    let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    // A fresh tracker restores too.
    let json = serde_json::to_string(&tracker).unwrap();
    tracker = serde_json::from_str(&json).unwrap();
    let mut rows = Vec::new();
    let half = dets.len() / 2;
    for (k, d) in dets.iter().enumerate() {
        if k == half {
            let json = serde_json::to_string(&tracker).unwrap();
            tracker = serde_json::from_str(&json).unwrap();
        }
        tracker.push(d.clone()).unwrap();
        while let Some(t) = tracker.step().unwrap() {
            rows.extend(tracker.confirmed_tracks().map(|tr| (t, tr.id(), tr.position())));
        }
    }
    while let Some(t) = tracker.flush_step().unwrap() {
        rows.extend(tracker.confirmed_tracks().map(|tr| (t, tr.id(), tr.position())));
    }
    assert_eq!(rows, ref_rows);
    assert_eq!(tracker.stats(), reference.stats());
}

/// A damaged or hostile snapshot is refused with the field at fault, never
/// accepted to panic at the next push or step.
#[test]
fn a_damaged_tracker_snapshot_is_refused_not_a_panic_later() {
    let rig = ring_of_cameras(3, 12.0);
    let walkers =
        vec![line([-6.0, 1.0], [6.0, 1.0], 1.3, 0.0), line([-6.0, -2.0], [6.0, -2.0], 1.1, 0.0)];
    let dets = observe(&rig, &walkers, &[10.0], 0.0, 8.0, 2.0, 9);
    let (mut tracker, _) = run(TrackerConfig::default(), rig, &dets[..dets.len() / 2]);
    // Something left in the reorder buffer, so its entries are checked too.
    for d in &dets[dets.len() / 2..dets.len() / 2 + 3] {
        tracker.push(d.clone()).unwrap();
    }
    assert!(tracker.tracks().count() >= 2);
    let good = serde_json::to_value(&tracker).unwrap();
    let back: Tracker = serde_json::from_value(good.clone()).unwrap();
    assert_eq!(back.tracks().count(), tracker.tracks().count());
    assert_eq!(back.stats(), tracker.stats());
    let damaged = |path: &str, v: serde_json::Value| {
        let mut j = good.clone();
        *j.pointer_mut(path).unwrap_or_else(|| panic!("{path} in the snapshot")) = v;
        serde_json::from_value::<Tracker>(j).unwrap_err().to_string()
    };
    let err = damaged("/cameras", serde_json::json!([]));
    assert!(err.contains("cameras") && err.contains("(3), got 0"), "{err}");
    let err = damaged("/tracks/0/contributions/0/camera", 9.into());
    assert!(err.contains("tracks[0]") && err.contains("camera #9"), "{err}");
    assert!(damaged("/id_step", 0.into()).contains("id_step"));
    let err = damaged("/next_track_id", 1.into());
    assert!(err.contains("not below next_track_id"), "{err}");
    let first = good["tracks"][0].clone();
    let err = damaged("/tracks/1", first);
    assert!(err.contains("tracks[1]: ids must increase"), "{err}");
    let err = damaged("/tracks/0/state/p/0", (-1.0).into());
    assert!(err.contains("tracks[0]") && err.contains("covariance"), "{err}");
    let err = damaged("/buffer/heap/0/camera", 7.into());
    assert!(err.contains("buffer") && err.contains("camera #7"), "{err}");
    let err = damaged("/config/confirm_hits", 0.into());
    assert!(err.starts_with("config"), "{err}");
}

#[test]
fn bad_input_is_refused_and_nothing_is_lost() {
    let rig = {
        let mut cams: Vec<Camera> =
            ring_of_cameras(2, 12.0).iter().map(|(_, c)| c.clone()).collect();
        cams.push(Camera::world_sensor("radar"));
        CameraRig::new(cams).unwrap()
    };
    let walkers = vec![line([-6.0, 1.0], [6.0, 1.0], 1.3, 0.0)];
    let dets = observe(&rig, &walkers, &[10.0, 10.0, 0.001], 0.0, 8.0, 2.0, 13);
    let dets: Vec<Detection> = dets.into_iter().filter(|d| d.camera != CameraId(2)).collect();
    let (clean, clean_rows) = run(TrackerConfig::default(), rig.clone(), &dets);

    let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    let mut rows = Vec::new();
    let good_box = BBox { x: 600.0, y: 300.0, w: 30.0, h: 90.0 };
    let mut refused = 0;
    for (k, d) in dets.iter().enumerate() {
        if k % 17 == 5 {
            let t = d.t_s;
            let bad = [
                Detection::new(t, CameraId(0), Observation::BBox(BBox { x: f64::NAN, ..good_box })),
                Detection::new(t, CameraId(0), Observation::BBox(BBox { w: -3.0, ..good_box })),
                Detection::new(t, CameraId(0), Observation::BBox(BBox { h: 0.0, ..good_box })),
                Detection::new(t, CameraId(9), Observation::BBox(good_box)),
                Detection::new(t, CameraId(2), Observation::BBox(good_box)),
                Detection::new(f64::INFINITY, CameraId(0), Observation::BBox(good_box)),
                Detection::new(t, CameraId(0), Observation::BBox(good_box)).with_rx(f64::NAN),
                Detection::new(
                    t,
                    CameraId(2),
                    Observation::World { position_m: [f64::NAN, 0.0], cov_m2: None },
                ),
                Detection::new(
                    t,
                    CameraId(2),
                    Observation::World {
                        position_m: [1.0, 0.0],
                        cov_m2: Some([[1.0, 2.0], [2.0, 1.0]]),
                    },
                ),
                Detection::new(t - 100.0, d.camera, Observation::BBox(good_box)),
                // Far above the horizon: the ray never meets the ground.
                Detection::new(
                    t,
                    CameraId(0),
                    Observation::BBox(BBox { x: 600.0, y: -5000.0, w: 30.0, h: 90.0 }),
                ),
            ];
            for b in bad {
                let e = tracker.push(b).expect_err("bad input must be refused");
                refused += 1;
                let msg = e.to_string();
                assert!(!msg.is_empty());
                if let Error::TimeWentBackwards { camera, .. } = &e {
                    assert!(camera.starts_with("cam"));
                }
            }
        }
        tracker.push(d.clone()).unwrap();
        while let Some(t) = tracker.step().unwrap() {
            rows.extend(tracker.confirmed_tracks().map(|tr| (t, tr.id(), tr.position())));
        }
    }
    while let Some(t) = tracker.flush_step().unwrap() {
        rows.extend(tracker.confirmed_tracks().map(|tr| (t, tr.id(), tr.position())));
    }
    assert!(refused > 50);
    assert_eq!(rows, clean_rows, "bad input changed the result");
    assert_eq!(tracker.stats(), clean.stats());
}

#[test]
fn errors_name_the_camera_and_field() {
    let rig = CameraRig::new(vec![Camera::world_sensor("radar-north")]).unwrap();
    let mut t = Tracker::new(TrackerConfig::default(), rig).unwrap();
    let e = t
        .push(Detection::new(
            1.0,
            CameraId(0),
            Observation::BBox(BBox { x: 1.0, y: 1.0, w: 1.0, h: 1.0 }),
        ))
        .unwrap_err();
    assert!(matches!(e, Error::Unprojectable { .. }), "{e}");
    assert!(e.to_string().contains("radar-north"), "{e}");
    let e = t
        .push(Detection::new(
            1.0,
            CameraId(0),
            Observation::BBox(BBox { x: 1.0, y: 1.0, w: 0.0, h: 1.0 }),
        ))
        .unwrap_err();
    assert!(e.to_string().contains("bbox"), "{e}");
    t.push(Detection::new(
        2.0,
        CameraId(0),
        Observation::World { position_m: [0.0, 0.0], cov_m2: None },
    ))
    .unwrap();
    let e = t
        .push(Detection::new(
            1.5,
            CameraId(0),
            Observation::World { position_m: [0.0, 0.0], cov_m2: None },
        ))
        .unwrap_err();
    assert!(matches!(e, Error::TimeWentBackwards { .. }), "{e}");
    assert!(e.to_string().contains("radar-north") && e.to_string().contains("backwards"), "{e}");
}

#[test]
fn late_and_duplicate_detections_are_counted_and_reported() {
    // Camera b states its latency (as cameras.json may), so tracks keep the
    // history that late detections need from the start.
    let rig = CameraRig::new(vec![
        Camera::world_sensor("a"),
        Camera::world_sensor("b").with_latency_s(1.0),
        Camera::world_sensor("c"),
    ])
    .unwrap();
    let mut cfg = TrackerConfig::default();
    cfg.max_lateness_s = 0.2;
    let mut t = Tracker::new(cfg, rig).unwrap();
    let w = |x: f64| Observation::World { position_m: [x, 0.0], cov_m2: None };
    t.push(Detection::new(0.0, CameraId(0), w(0.0))).unwrap();
    t.push(Detection::new(0.0, CameraId(0), w(0.0))).unwrap(); // exact repeat
    t.push(Detection::new(1.0, CameraId(0), w(1.0))).unwrap();
    while t.step().unwrap().is_some() {}
    assert_eq!(t.time_s(), Some(0.0));
    // Camera b's frame of t = 0.5 arrives at rx = 1.0, before 0.5 was released: in order.
    t.push(Detection::new(0.5, CameraId(1), w(0.5)).with_rx(1.0)).unwrap();
    t.advance_to(2.0);
    while t.step().unwrap().is_some() {}
    assert_eq!(t.time_s(), Some(1.0));
    let track = t.tracks().next().unwrap().id();
    let hits_before = t.track(track).unwrap().hits();
    // Camera b's frame of t = 0.8 arrives after 1.0 was processed: late, but
    // young enough to be applied out of sequence to the same track.
    t.push(Detection::new(0.8, CameraId(1), w(0.8)).with_rx(2.0)).unwrap();
    // Camera c's frame of t = -1.5 is older than max_oosm_age_s: dropped.
    t.push(Detection::new(-1.5, CameraId(2), w(-1.5)).with_rx(2.0)).unwrap();
    while t.step().unwrap().is_some() {}
    let s = t.stats();
    assert_eq!(s.duplicate_detections, 1);
    assert_eq!(s.late_detections, 2);
    assert_eq!(s.late_used, 1);
    assert_eq!(s.late_dropped, 1);
    assert_eq!(s.detections, 5);
    assert_eq!(t.tracks().count(), 1, "the late detection joined the existing track");
    assert_eq!(t.track(track).unwrap().hits(), hits_before + 1);
    let ev: Vec<Event> = t.drain_events().collect();
    assert!(ev.iter().any(
        |e| matches!(e, Event::LateDetection { camera: CameraId(2), t_s, .. } if *t_s == -1.5)
    ));
    assert!(ev.iter().any(|e| matches!(e, Event::DuplicateDetection { .. })));
}

#[test]
fn out_of_sequence_updates_equal_in_order_processing() {
    // One walker seen by a fast camera (on time) and a slow one (0.9 s late,
    // as its calibration states).
    let rig = {
        let cams: Vec<Camera> = ring_of_cameras(2, 12.0)
            .iter()
            .map(
                |(id, c)| if id == CameraId(1) { c.clone().with_latency_s(0.9) } else { c.clone() },
            )
            .collect();
        CameraRig::new(cams).unwrap()
    };
    let walker = line([-5.0, -1.0], [5.0, 1.0], 1.3, 0.0);
    let mut dets = observe(&rig, &[walker], &[10.0, 4.0], 0.0, 7.0, 2.0, 31);
    // In order: everybody waits long enough.
    let mut wait = TrackerConfig::default();
    wait.max_lateness_s = 1.5;
    let (in_order, rows_in_order) = run(wait, rig.clone(), &dets);
    // Late: camera 1 arrives 0.9 s after capture; the tracker waits only 0.2 s.
    for d in &mut dets {
        if d.camera == CameraId(1) {
            d.rx_s = d.t_s + 0.9;
        }
    }
    dets.sort_by(|a, b| a.rx_s.total_cmp(&b.rx_s).then(a.camera.cmp(&b.camera)));
    let (late, rows_late) = run(TrackerConfig::default(), rig, &dets);
    assert!(late.stats().late_detections > 20, "{:?}", late.stats());
    assert_eq!(late.stats().late_used, late.stats().late_detections);
    assert_eq!(late.stats().late_unmatched, 0);
    assert_eq!(late.stats().late_dropped, 0);
    assert_eq!(distinct_ids(&rows_late).len(), 1);
    // At the end both trackers have seen everything: same state.
    let a = in_order.tracks().next().unwrap();
    let b = late.tracks().next().unwrap();
    assert_eq!(a.hits(), b.hits());
    let dx = (a.state().x - b.state().x).amax();
    let dp = (a.state().p - b.state().p).amax();
    assert!(dx < 1e-6 && dp < 1e-6, "state differs by {dx} / {dp}");
    assert!(!rows_in_order.is_empty());
}

#[test]
fn a_camera_going_dark_is_reported_and_its_coverage_stops_counting() {
    let rig = ring_of_cameras(2, 12.0);
    let walker = line([-5.0, -1.0], [5.0, 1.0], 1.3, 0.0);
    let dets = observe(&rig, &[walker], &[10.0, 10.0], 0.0, 7.0, 2.0, 5);
    // Camera 1 sends nothing between 3 s and 5 s.
    let dets: Vec<Detection> = dets
        .into_iter()
        .filter(|d| !(d.camera == CameraId(1) && d.t_s > 3.0 && d.t_s < 5.0))
        .collect();
    let (tracker, _) = run(TrackerConfig::default(), rig, &dets);
    let ev = tracker.events();
    let down = ev.iter().position(|e| matches!(e, Event::CameraDown { camera: CameraId(1), .. }));
    let up = ev.iter().position(|e| matches!(e, Event::CameraUp { camera: CameraId(1), .. }));
    let (Some(down), Some(up)) = (down, up) else { panic!("no down/up events: {ev:?}") };
    assert!(down < up);
    if let Event::CameraDown { rx_s, last_rx_s, .. } = ev[down] {
        assert!(
            last_rx_s < 3.2 && rx_s > last_rx_s + 0.9 && rx_s < last_rx_s + 1.6,
            "{last_rx_s} {rx_s}"
        );
    }
    assert!(!ev.iter().any(|e| matches!(e, Event::CameraDown { camera: CameraId(0), .. })));
    assert!(!tracker.camera_is_down(CameraId(1)));
}

#[test]
fn a_camera_with_a_clock_offset_is_reported() {
    let rig = ring_of_cameras(3, 12.0);
    let walkers: Vec<Path> =
        (0..6).map(|k| line([-6.0, -3.0 + k as f64], [6.0, -3.0 + k as f64], 1.4, 0.0)).collect();
    let mut dets = observe(&rig, &walkers, &[10.0], 0.0, 8.5, 1.0, 77);
    // Camera 2's clock is 0.4 s ahead: it stamps frames 0.4 s later than they were taken.
    for d in &mut dets {
        if d.camera == CameraId(2) {
            d.t_s += 0.4;
            d.rx_s += 0.4;
        }
    }
    dets.sort_by(|a, b| a.rx_s.total_cmp(&b.rx_s).then(a.camera.cmp(&b.camera)));
    let (tracker, _) = run(TrackerConfig::default(), rig, &dets);
    let flagged: Vec<_> = tracker
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::CameraClockOffset { camera, offset_s, suspect: true, .. } => {
                Some((*camera, *offset_s))
            }
            _ => None,
        })
        .collect();
    assert!(flagged.iter().any(|(c, o)| *c == CameraId(2) && *o > 0.15), "{flagged:?}");
    assert!(!flagged.iter().any(|(c, _)| *c != CameraId(2)), "{flagged:?}");
}

#[test]
fn slow_and_fast_cameras_both_confirm_the_walker() {
    for fps in [2.0, 5.0, 25.0] {
        let rig = ring_of_cameras(1, 12.0);
        let walker = line([-5.0, -2.0], [5.0, 2.0], 1.3, 0.0);
        let dets = observe(&rig, &[walker], &[fps], 0.0, 8.0, 2.0, 21);
        let (_, rows) = run(TrackerConfig::default(), rig, &dets);
        assert_eq!(distinct_ids(&rows).len(), 1, "fps {fps}");
        let walker = line([-5.0, -2.0], [5.0, 2.0], 1.3, 0.0);
        let f = ids_following(&rows, &walker, 0.6);
        let hit = f.iter().flatten().count();
        assert!(hit as f64 > 0.9 * f.len() as f64, "fps {fps}: {hit}/{}", f.len());
    }
}

#[test]
fn trackers_share_nothing_and_are_send() {
    fn is_send<T: Send>() {}
    is_send::<Tracker>();
    let rig = ring_of_cameras(2, 12.0);
    let dets = observe(&rig, &[line([-4.0, 0.0], [4.0, 0.0], 1.3, 0.0)], &[10.0], 0.0, 5.0, 2.0, 1);
    let (_, a) = run(TrackerConfig::default(), rig.clone(), &dets);
    let (_, b) = run(TrackerConfig::default(), rig, &dets);
    assert_eq!(a, b, "a second tracker must start from scratch (ids from 1)");
    assert_eq!(distinct_ids(&a)[0].0, distinct_ids(&b)[0].0);
}

#[test]
fn a_track_that_leaves_every_view_ends_after_the_outside_allowance() {
    let rig = ring_of_cameras(3, 12.0);
    // Walks out of every camera's view (coverage is bounded) and far away.
    let walker = line([0.0, 0.0], [400.0, 0.0], 1.5, 0.0);
    let dets = observe(&rig, &[walker], &[10.0], 0.0, 60.0, 2.0, 17);
    let (tracker, rows) = run(TrackerConfig::default(), rig, &dets);
    assert_eq!(distinct_ids(&rows).len(), 1);
    assert_eq!(tracker.confirmed_tracks().count(), 0, "the track should have ended");
    let last_seen =
        dets.iter().filter(|d| !d.observation.is_empty()).map(|d| d.t_s).fold(0.0, f64::max);
    let last_out = rows.iter().map(|r| r.0).fold(0.0, f64::max);
    let cfg = TrackerConfig::default();
    assert!(
        last_out - last_seen <= cfg.delete_after_out_of_coverage_s + 0.2,
        "{last_seen} {last_out}"
    );
}

#[test]
fn a_flooding_camera_does_not_starve_the_others() {
    let rig = ring_of_cameras(2, 12.0);
    let walker = line([-5.0, -1.0], [5.0, 1.0], 1.3, 0.0);
    let clean = observe(&rig, &[walker], &[10.0, 10.0], 0.0, 6.0, 2.0, 8);
    let (_, clean_rows) = run(TrackerConfig::default(), rig.clone(), &clean);
    // Camera 1 goes haywire: 5000 boxes in every frame.
    let mut flooded = Vec::new();
    for d in &clean {
        flooded.push(d.clone());
        if d.camera == CameraId(1) && !d.observation.is_empty() {
            for k in 0..5000 {
                let b = BBox {
                    x: 10.0 + (k % 100) as f64 * 12.0,
                    y: 400.0 + (k / 100) as f64 * 5.0,
                    w: 8.0,
                    h: 20.0,
                };
                flooded
                    .push(Detection::new(d.t_s, CameraId(1), Observation::BBox(b)).with_rx(d.rx_s));
            }
        }
    }
    let mut cfg = TrackerConfig::default();
    cfg.max_detections_per_frame = 50;
    let (tracker, rows) = run(cfg, rig, &flooded);
    assert!(tracker.stats().flood_dropped > 100_000);
    // Camera 0 still tracks the walker: the track follows it as in the clean run.
    let walker = line([-5.0, -1.0], [5.0, 1.0], 1.3, 0.0);
    let f = ids_following(&rows, &walker, 0.6);
    let hit = f.iter().flatten().count();
    assert!(hit as f64 > 0.9 * f.len() as f64, "{hit}/{}", f.len());
    assert!(!clean_rows.is_empty());
}

#[test]
fn indexing_the_tracks_per_step_changes_nothing() {
    // 700 people on a 60 m x 60 m square, four world sensors (quadrants,
    // overlapping), 10 Hz, unsynchronised: many tracks, several frames a step.
    let rig =
        CameraRig::new((0..4).map(|i| Camera::world_sensor(format!("q{i}"))).collect()).unwrap();
    let mut rng = Rng(99);
    let mut people: Vec<([f64; 2], [f64; 2])> = (0..700)
        .map(|_| {
            let a = rng.uniform() * std::f64::consts::TAU;
            ([rng.uniform() * 60.0, rng.uniform() * 60.0], [1.3 * a.cos(), 1.3 * a.sin()])
        })
        .collect();
    let mut dets = Vec::new();
    for k in 0..40 {
        // Two pairs of synchronised cameras: two frames per time step.
        for (c, phase) in [(0u32, 0.0), (1, 0.0), (2, 0.027), (3, 0.027)] {
            let t = k as f64 * 0.1 + phase;
            let (x0, y0) = ((c % 2) as f64 * 28.0, (c / 2) as f64 * 28.0);
            for (p, _) in &people {
                if p[0] >= x0 && p[0] < x0 + 32.0 && p[1] >= y0 && p[1] < y0 + 32.0 {
                    let pos = [p[0] + 0.1 * rng.normal(), p[1] + 0.1 * rng.normal()];
                    dets.push(
                        Detection::new(
                            t,
                            CameraId(c),
                            Observation::World { position_m: pos, cov_m2: None },
                        )
                        .with_rx(t + 0.02),
                    );
                }
            }
        }
        for (p, v) in &mut people {
            p[0] = (p[0] + 0.1 * v[0]).rem_euclid(60.0);
            p[1] = (p[1] + 0.1 * v[1]).rem_euclid(60.0);
        }
    }
    dets.sort_by(|a, b| a.rx_s.total_cmp(&b.rx_s).then(a.camera.cmp(&b.camera)));
    let (indexed, rows_indexed) = run(TrackerConfig::default(), rig.clone(), &dets);
    let mut scan = TrackerConfig::default();
    scan.step_index_min_tracks = usize::MAX;
    let (scanned, rows_scanned) = run(scan, rig, &dets);
    assert!(indexed.tracks().count() > 600, "{}", indexed.tracks().count());
    assert!(indexed.stats().indexed_frames > 50, "{:?}", indexed.stats());
    assert_eq!(scanned.stats().indexed_frames, 0);
    assert_eq!(rows_indexed, rows_scanned);
    // Same counts, apart from the index use and the candidates tested: the
    // index skips tracks in the corners of the widened box, which are too
    // far from every measurement to gate anyway.
    let (mut a, mut b) = (*indexed.stats(), *scanned.stats());
    (a.indexed_frames, b.indexed_frames) = (0, 0);
    assert!(a.candidate_pairs <= b.candidate_pairs);
    (a.candidate_pairs, b.candidate_pairs) = (0, 0);
    assert_eq!(a, b, "same counts apart from the index use");
    assert!(indexed.stats().detections_associated > 20_000);
}

/// The result does not depend on the number of threads: 5 000 people (above
/// the size where prediction runs on rayon's pool) on a 180 m square, seen
/// by 9 synchronous world
/// sensors in a 3 x 3 grid, or by one sensor covering everything (frames of
/// ~4 750 detections); people wrap around the edges so that tracks start
/// and end all along. One thread and two give the same rows, the same
/// events and the same counts.
#[test]
fn output_is_identical_whatever_the_number_of_threads() {
    const SIDE: f64 = 180.0;
    for grid in [3u32, 1] {
        let cell = SIDE / grid as f64;
        let cams = grid * grid;
        let rig =
            CameraRig::new((0..cams).map(|i| Camera::world_sensor(format!("s{i}"))).collect())
                .unwrap();
        let mut rng = Rng(77);
        let mut people: Vec<([f64; 2], [f64; 2])> = (0..5000)
            .map(|_| {
                let a = rng.uniform() * std::f64::consts::TAU;
                ([rng.uniform() * SIDE, rng.uniform() * SIDE], [1.3 * a.cos(), 1.3 * a.sin()])
            })
            .collect();
        let mut dets = Vec::new();
        for step in 0..25 {
            let t = step as f64 * 0.1;
            for k in 0..cams {
                let (x0, y0) = ((k % grid) as f64 * cell - 1.0, (k / grid) as f64 * cell - 1.0);
                for (p, _) in &people {
                    let inside = p[0] >= x0
                        && p[0] < x0 + cell + 2.0
                        && p[1] >= y0
                        && p[1] < y0 + cell + 2.0;
                    if inside && rng.uniform() >= 0.05 {
                        let pos = [p[0] + 0.15 * rng.normal(), p[1] + 0.15 * rng.normal()];
                        let obs = Observation::World { position_m: pos, cov_m2: None };
                        dets.push(Detection::new(t, CameraId(k), obs).with_rx(t + 0.02));
                    }
                }
            }
            for (p, v) in &mut people {
                p[0] = (p[0] + 0.1 * v[0]).rem_euclid(SIDE);
                p[1] = (p[1] + 0.1 * v[1]).rem_euclid(SIDE);
            }
        }
        dets.sort_by(|a, b| a.rx_s.total_cmp(&b.rx_s).then(a.camera.cmp(&b.camera)));
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| run(TrackerConfig::default(), rig.clone(), &dets))
        };
        let (one, rows_one) = on(1);
        let (two, rows_two) = on(2);
        let st = one.stats();
        assert!(one.tracks().count() > 4096, "{}", one.tracks().count());
        assert!(st.tracks_born > 5000 && st.tracks_ended > 0, "{grid}: {st:?}");
        assert!(rows_one.len() > 50_000, "{}", rows_one.len());
        assert_eq!(rows_one, rows_two, "{grid} x {grid} sensors");
        assert_eq!(one.events(), two.events());
        assert_eq!(one.stats(), two.stats());
    }
}

/// Track ids of a frame's new objects follow one canonical order (kind, then
/// x, then y, then covariance), whatever order the detections arrive in:
/// persons and vehicles mixed, objects sharing an x (one pair a picometre
/// apart in y), positions of both signs. (Two observations at the very same
/// spot in one frame are one repeated observation: refused as a duplicate.)
#[test]
fn new_tracks_are_numbered_in_canonical_order_whatever_the_arrival_order() {
    use fusetrack::ObjectKind;
    // (x, y, variance, class)
    let objects: [(f64, f64, f64, &str); 9] = [
        (3.0, 1.0, 0.04, "person"),
        (-2.5, 4.0, 0.04, "car"),
        (3.0, -1.0, 0.04, "person"),
        (0.5, 0.5, 0.09, "person"),
        (-7.25, -3.0, 0.04, "person"),
        (0.5, 0.5 + 1e-12, 0.04, "person"),
        (6.0, -6.0, 0.09, "truck"),
        (-2.5, -4.0, 0.04, "car"),
        (12.0, 2.0, 0.04, "person"),
    ];
    let kind =
        |class: &str| if class == "person" { ObjectKind::Person } else { ObjectKind::Vehicle };
    let mut expected: Vec<(ObjectKind, f64, f64, f64)> =
        objects.iter().map(|&(x, y, v, c)| (kind(c), x, y, v)).collect();
    expected.sort_by(|a, b| {
        a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.total_cmp(&b.2)).then(a.3.total_cmp(&b.3))
    });
    let n = objects.len();
    let mut orders: Vec<Vec<usize>> = vec![(0..n).collect(), (0..n).rev().collect()];
    orders.extend((1..n).step_by(2).map(|r| (0..n).map(|i| (i + r) % n).collect()));
    orders.push((0..n).map(|i| (i * 4) % n).collect()); // 4 and 9 coprime
    for order in &orders {
        let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
        let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
        for &i in order {
            let (x, y, v, class) = objects[i];
            let obs = Observation::World { position_m: [x, y], cov_m2: Some([[v, 0.0], [0.0, v]]) };
            tracker.push(Detection::new(0.0, CameraId(0), obs).with_class(class)).unwrap();
        }
        while tracker.flush_step().unwrap().is_some() {}
        let mut born: Vec<_> = tracker.tracks().collect();
        born.sort_by_key(|tr| tr.id());
        let got: Vec<_> = born
            .iter()
            .map(|tr| {
                let p = tr.state();
                (tr.kind(), p.x[0], p.x[1], p.p[(0, 0)])
            })
            .collect();
        assert_eq!(got, expected, "arrival order {order:?}");
    }
}
