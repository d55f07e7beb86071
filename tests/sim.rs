//! Simulator: determinism, projection consistency, occlusion, outages,
//! arrival order, and the written scene reading back.

use fusetrack::geometry::{Camera, CameraRig, PixelPoint};
use fusetrack::io::{DetectionReader, SceneDir, read_ground_truth, read_incidents};
use fusetrack::sim::{
    ActorSpec, Leg, LookAtSpec, ObjectClass, PeopleSpec, Rect, RigSpec, SceneSpec, SensorSpec,
    simulate,
};
use fusetrack::{BBox, Detection, Observation};

fn tmp(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

fn person(start_s: f64, start_m: [f64; 2], legs: Vec<Leg>) -> ActorSpec {
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

/// One camera at (0, -2, 4) looking north along +y, sensor without false
/// positives, always detecting, `noise_px` pixel noise, 10 Hz in phase with
/// the ground truth.
fn small_spec(actors: Vec<ActorSpec>, noise_px: f64) -> SceneSpec {
    let mut sensor = SensorSpec::digital("cam", 10.0).with_pixel_noise(noise_px);
    sensor.p_detect = 1.0;
    sensor.false_positives_per_frame = 0.0;
    sensor.size_noise_frac = 0.0;
    SceneSpec {
        name: "small".into(),
        seed: 99,
        duration_s: 10.0,
        area: Rect::new([-10.0, 0.0], [10.0, 30.0]),
        ground_truth_hz: 10.0,
        walls_m: Vec::new(),
        rig: RigSpec::LookAt(vec![LookAtSpec {
            name: "cam".into(),
            image_size_px: [1280, 720],
            focal_px: 800.0,
            position_m: [0.0, -2.0, 4.0],
            target_m: [0.0, 10.0, 0.0],
        }]),
        sensors: vec![sensor],
        people: PeopleSpec::default(),
        crowd: None,
        traffic: None,
        actors,
        incidents: Vec::new(),
    }
}

fn boxes(d: &[Detection]) -> Vec<(f64, BBox)> {
    d.iter()
        .filter_map(|d| match d.observation {
            Observation::BBox(b) => Some((d.t_s, b)),
            _ => None,
        })
        .collect()
}

fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn same_seed_gives_identical_bytes() {
    let mut spec = SceneSpec::city();
    spec.duration_s = 8.0;
    let (a, b) = (tmp("det_a"), tmp("det_b"));
    simulate(&spec).unwrap().write(&a).unwrap();
    simulate(&spec).unwrap().write(&b).unwrap();
    let fa = files(&a);
    assert_eq!(fa.len(), 3);
    assert!(fa.iter().all(|(_, bytes)| !bytes.is_empty()));
    assert_eq!(fa, files(&b));
    // Another seed gives another scene.
    spec.seed += 1;
    let c = tmp("det_c");
    simulate(&spec).unwrap().write(&c).unwrap();
    let fc = files(&c);
    assert_ne!(fa[1], fc[1], "detections must depend on the seed");
}

#[test]
fn noiseless_boxes_back_project_onto_the_truth() {
    // A person walking across the view, 6 to 12 m from the camera.
    let spec = small_spec(
        vec![person(
            0.0,
            [-4.0, 6.0],
            vec![Leg::new([4.0, 10.0], 1.0), Leg::new([-3.0, 12.0], 1.0)],
        )],
        0.0,
    );
    let scene = simulate(&spec).unwrap();
    let cam = scene.rig.iter().next().unwrap().1.clone();
    let gt = &scene.ground_truth;
    let b = boxes(&scene.detections);
    assert!(b.len() >= 90, "expected a detection per frame, got {}", b.len());
    for (t, bb) in &b {
        let truth = gt.iter().find(|r| (r.t_s - t).abs() < 1e-9).expect("truth at the frame time");
        let [u, v] = bb.foot_point();
        let g = cam.image_to_ground(PixelPoint { x: u, y: v }).unwrap();
        let err = (g.x - truth.x).hypot(g.y - truth.y);
        // Only rounding (0.1 px, 1 mm) separates them.
        assert!(
            err < 0.01,
            "t={t}: back-projected ({}, {}) vs truth ({}, {})",
            g.x,
            g.y,
            truth.x,
            truth.y
        );
    }
}

#[test]
fn pixel_noise_has_the_specified_spread() {
    let sigma = 2.0;
    let spec = small_spec(
        vec![person(
            0.0,
            [-4.0, 6.0],
            vec![Leg::new([4.0, 10.0], 1.0), Leg::new([-3.0, 12.0], 1.0)],
        )],
        sigma,
    );
    let scene = simulate(&spec).unwrap();
    let cam = scene.rig.iter().next().unwrap().1.clone();
    let mut sq = [0.0f64; 2];
    let mut ground_err = 0.0f64;
    let b = boxes(&scene.detections);
    for (t, bb) in &b {
        let truth = scene.ground_truth.iter().find(|r| (r.t_s - t).abs() < 1e-9).unwrap();
        let p = cam.world_to_image([truth.x, truth.y, 0.0]).unwrap();
        let [u, v] = bb.foot_point();
        sq[0] += (u - p.x).powi(2);
        sq[1] += (v - p.y).powi(2);
        let g = cam.image_to_ground(PixelPoint { x: u, y: v }).unwrap();
        ground_err = ground_err.max((g.x - truth.x).hypot(g.y - truth.y));
    }
    let n = b.len() as f64;
    for s in sq {
        let sd = (s / n).sqrt();
        assert!((sd - sigma).abs() < 0.35 * sigma, "foot point sd {sd} px, expected {sigma}");
    }
    // 2 px at <= 12 m with f = 800 px: well under half a metre on the ground.
    assert!(ground_err < 0.5, "max ground error {ground_err} m");
}

#[test]
fn a_person_behind_another_is_hidden() {
    // Both on the camera's axis (x = 0), standing still: B 1 m behind A.
    let still = |y: f64| person(0.0, [0.0, y], vec![Leg::new([0.0, y], 1.0).with_pause(100.0)]);
    let hidden = simulate(&small_spec(vec![still(6.0), still(7.0)], 0.0)).unwrap();
    let per_frame = boxes(&hidden.detections).len() as f64 / 100.0;
    assert_eq!(per_frame, 1.0, "only the front person is visible");
    // The visible one is the nearer: its foot point is lower in the image.
    let cam = hidden.rig.iter().next().unwrap().1.clone();
    let near = cam.world_to_image([0.0, 6.0, 0.0]).unwrap();
    for (_, b) in boxes(&hidden.detections) {
        assert!((b.foot_point()[1] - near.y).abs() < 0.2);
    }
    // Side by side 2 m apart: both visible.
    let side = |x: f64| person(0.0, [x, 9.0], vec![Leg::new([x, 9.0], 1.0).with_pause(100.0)]);
    let both = simulate(&small_spec(vec![still(6.0), side(2.0)], 0.0)).unwrap();
    assert_eq!(boxes(&both.detections).len(), 200);
}

#[test]
fn outage_silences_the_camera() {
    let mut spec = small_spec(
        vec![person(
            0.0,
            [-4.0, 6.0],
            vec![Leg::new([4.0, 10.0], 1.0), Leg::new([-3.0, 12.0], 1.0)],
        )],
        1.0,
    );
    spec.sensors[0] = spec.sensors[0].clone().with_outage(3.0, 5.5);
    let scene = simulate(&spec).unwrap();
    assert!(scene.detections.iter().all(|d| !(3.0..5.5).contains(&d.t_s)));
    assert!(scene.detections.iter().any(|d| d.t_s < 3.0));
    assert!(scene.detections.iter().any(|d| d.t_s >= 5.5));
    // 100 frames minus the 25 in the outage, each with one line.
    assert_eq!(scene.detections.len(), 75);
}

#[test]
fn empty_frames_are_marked() {
    // Nobody in view: every frame is an empty marker.
    let spec = small_spec(vec![person(0.0, [50.0, 50.0], vec![Leg::new([60.0, 50.0], 1.0)])], 1.0);
    let scene = simulate(&spec).unwrap();
    assert_eq!(scene.detections.len(), 100);
    assert!(scene.detections.iter().all(|d| d.observation == Observation::Empty));
}

#[test]
fn museum_is_sorted_by_arrival_and_fifo_per_camera() {
    let scene = simulate(&SceneSpec::museum()).unwrap();
    let d = &scene.detections;
    assert!(d.windows(2).all(|w| w[0].rx_s <= w[1].rx_s), "rx must be sorted");
    assert!(d.iter().all(|x| x.rx_s >= x.t_s));
    for (id, _) in scene.rig.iter() {
        let ts: Vec<f64> = d.iter().filter(|x| x.camera == id).map(|x| x.t_s).collect();
        assert!(ts.windows(2).all(|w| w[0] <= w[1]), "capture time went backwards");
    }
    // The analog cameras are late: their mean latency is above 0.5 s.
    let analog = scene.rig.id("jewel-analog").unwrap();
    let lat: Vec<f64> = d.iter().filter(|x| x.camera == analog).map(|x| x.latency_s()).collect();
    let mean = lat.iter().sum::<f64>() / lat.len() as f64;
    assert!((0.6..1.0).contains(&mean), "mean latency {mean}");
    // The intrusion: two intruders (ids 3, 4), from about t = 40 s.
    let inc = &scene.incidents;
    assert_eq!(inc.len(), 1);
    assert_eq!(inc[0].ids, vec![3, 4]);
    assert!((38.0..43.0).contains(&inc[0].t_s), "{:?}", inc[0]);
    assert!(inc[0].until_s - inc[0].t_s > 25.0);
    // An intruder stands at the display case (about (15, 15)) at t = 60 s.
    let at_case = scene
        .ground_truth
        .iter()
        .filter(|r| r.t_s == 60.0 && (r.id == 3 || r.id == 4))
        .filter(|r| (r.x - 15.2).hypot(r.y - 14.8) < 1.0)
        .count();
    assert_eq!(at_case, 2);
}

#[test]
fn written_scene_reads_back() {
    let mut spec = SceneSpec::museum();
    spec.duration_s = 60.0;
    let scene = simulate(&spec).unwrap();
    let dir = tmp("museum_rt");
    scene.write(&dir).unwrap();
    let s = SceneDir::open(&dir).unwrap();
    let rig = CameraRig::load(s.cameras()).unwrap();
    assert_eq!(rig.len(), 6);
    let back: Vec<Detection> =
        DetectionReader::open(s.detections(), &rig).unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(back, scene.detections);
    assert_eq!(read_ground_truth(s.ground_truth()).unwrap(), scene.ground_truth);
    assert_eq!(read_incidents(s.incidents()).unwrap(), scene.incidents);
    // Cameras carry the sensor's rate and noise.
    let cam: &Camera = rig.get(rig.id("jewel-north").unwrap()).unwrap();
    assert_eq!(cam.fps(), Some(25.0));
}
