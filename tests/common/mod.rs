//! Shared helpers for scenario tests: small synthetic scenes with exact,
//! seeded detections from calibrated cameras.
#![allow(dead_code)]

use fusetrack::geometry::{Camera, CameraRig, GroundPoint};
use fusetrack::{BBox, CameraId, Detection, Observation, TrackId, Tracker, TrackerConfig};

/// splitmix64: a tiny seeded generator, so tests never change with a crate upgrade.
pub struct Rng(pub u64);
impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// A walker: ground position as a function of time.
pub type Path = Box<dyn Fn(f64) -> Option<[f64; 2]>>;

/// Straight line from `a` to `b` at `speed` m/s starting at `t0`; absent before `t0` and after arrival.
pub fn line(a: [f64; 2], b: [f64; 2], speed: f64, t0: f64) -> Path {
    let len = ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt();
    let dur = len / speed;
    Box::new(move |t| {
        let s = (t - t0) / dur;
        (0.0..=1.0).contains(&s).then(|| [a[0] + s * (b[0] - a[0]), a[1] + s * (b[1] - a[1])])
    })
}

/// Cameras at height 6 m around a square area, looking at its centre.
pub fn ring_of_cameras(n: usize, radius: f64) -> CameraRig {
    let cams = (0..n)
        .map(|i| {
            let a = i as f64 * std::f64::consts::TAU / n as f64;
            Camera::look_at(
                format!("cam{i}"),
                [1280, 720],
                900.0,
                [radius * a.cos(), radius * a.sin(), 6.0],
                [0.0, 0.0, 0.0],
            )
            .unwrap()
            .with_pixel_noise_px(2.0)
        })
        .collect();
    CameraRig::new(cams).unwrap()
}

/// Box of a 1.75 m tall, 0.5 m wide person standing at `g`, as seen by `cam`.
pub fn person_box(cam: &Camera, g: [f64; 2]) -> Option<BBox> {
    let foot = cam.ground_to_image(GroundPoint { x: g[0], y: g[1] })?;
    let head = cam.world_to_image([g[0], g[1], 1.75])?;
    let h = (foot.y - head.y).abs().max(2.0);
    let w = 0.3 * h;
    let [iw, ih] = cam.image_size_px()?;
    if foot.x < 0.0 || foot.y < 0.0 || foot.x >= iw as f64 || foot.y >= ih as f64 {
        return None;
    }
    Some(BBox { x: foot.x - w / 2.0, y: foot.y - h, w, h })
}

/// Detections of `walkers` by every camera of `rig` at `fps` from `t0` to
/// `t1`, with foot-point noise `noise_px` (seeded), camera `i` shifted in
/// phase by `i * 7 ms`, arrival = capture + `latency`. Sorted by arrival.
pub fn observe(
    rig: &CameraRig,
    walkers: &[Path],
    fps: &[f64],
    t0: f64,
    t1: f64,
    noise_px: f64,
    seed: u64,
) -> Vec<Detection> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    for (cid, cam) in rig.iter() {
        let rate = fps[cid.index() % fps.len()];
        let mut k = 0u64;
        loop {
            let t = t0 + cid.index() as f64 * 0.007 + k as f64 / rate;
            if t > t1 {
                break;
            }
            let mut any = false;
            for w in walkers {
                if let Some(g) = w(t) {
                    if let Some(mut b) = person_box(cam, g) {
                        b.x += noise_px * rng.normal();
                        b.y += noise_px * rng.normal();
                        out.push(
                            Detection::new(t, cid, Observation::BBox(b))
                                .with_rx(t + 0.05)
                                .with_frame(k),
                        );
                        any = true;
                    }
                }
            }
            if !any {
                out.push(
                    Detection::new(t, cid, Observation::Empty).with_rx(t + 0.05).with_frame(k),
                );
            }
            k += 1;
        }
    }
    out.sort_by(|a, b| a.rx_s.total_cmp(&b.rx_s).then(a.camera.cmp(&b.camera)));
    out
}

/// One output row: capture time, track id, position.
pub type Row = (f64, TrackId, [f64; 2]);

/// Replays detections through a tracker; returns every confirmed track at
/// every processed capture time.
pub fn run(config: TrackerConfig, rig: CameraRig, dets: &[Detection]) -> (Tracker, Vec<Row>) {
    let mut tracker = Tracker::new(config, rig).unwrap();
    let mut rows = Vec::new();
    let mut collect = |tr: &Tracker, t: f64, rows: &mut Vec<Row>| {
        for track in tr.confirmed_tracks() {
            rows.push((t, track.id(), track.position()));
        }
    };
    for d in dets {
        tracker.push(d.clone()).unwrap();
        while let Some(t) = tracker.step().unwrap() {
            collect(&tracker, t, &mut rows);
        }
    }
    while let Some(t) = tracker.flush_step().unwrap() {
        collect(&tracker, t, &mut rows);
    }
    (tracker, rows)
}

/// Distinct confirmed track ids in the output.
pub fn distinct_ids(rows: &[Row]) -> Vec<TrackId> {
    let mut ids: Vec<TrackId> = rows.iter().map(|r| r.1).collect();
    ids.sort();
    ids.dedup();
    ids
}

/// For each output time at which walker `w` exists, the id of the nearest
/// confirmed track within `max_m` metres (None if none).
pub fn ids_following(rows: &[Row], w: &Path, max_m: f64) -> Vec<Option<TrackId>> {
    let mut times: Vec<f64> = rows.iter().map(|r| r.0).collect();
    times.dedup();
    times
        .iter()
        .filter_map(|&t| {
            let g = w(t)?;
            let best = rows
                .iter()
                .filter(|r| r.0 == t)
                .map(|r| (((r.2[0] - g[0]).powi(2) + (r.2[1] - g[1]).powi(2)).sqrt(), r.1))
                .filter(|(d, _)| *d <= max_m)
                .min_by(|a, b| a.0.total_cmp(&b.0));
            Some(best.map(|b| b.1))
        })
        .collect()
}

pub fn camera(i: u32) -> CameraId {
    CameraId(i)
}
