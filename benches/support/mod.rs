//! Seeded scene generators shared by the benches and the latency example.
//!
//! Not a bench itself: cargo only discovers `benches/*.rs` and
//! `benches/*/main.rs`, so this folder is pulled in with
//! `#[path = "support/mod.rs"] mod support;`.
//!
//! The scene: `n` people spread uniformly over a square of
//! [`AREA_PER_PERSON_M2`] m² each (a busy pedestrian street or a museum
//! hall: one person per 6 m²), walking at about 1.3 m/s with a slowly
//! turning heading and bouncing off the edges, so the number of people is
//! constant. The square is tiled by a grid of world-sensor cameras (an
//! upstream detector that already gives ground positions), each covering its
//! cell grown by [`OVERLAP_FRACTION`] of the cell size on every side, so
//! that people near cell borders are seen by two to four cameras. All
//! cameras capture at the same instants (10 Hz); each detection has
//! Gaussian position noise ([`NOISE_STD_M`]) and a detection probability of
//! [`P_DETECT`].
#![allow(dead_code)] // each bench uses a different part

use fusetrack::geometry::{Camera, CameraRig, Polygon};
use fusetrack::{CameraId, Detection, Observation, Tracker, TrackerConfig};

/// Ground area per person, m².
pub const AREA_PER_PERSON_M2: f64 = 6.0;
/// Each camera's coverage is its grid cell grown by this fraction of the
/// cell size on each side.
pub const OVERLAP_FRACTION: f64 = 0.05;
/// Standard deviation of a detection's ground position, metres (the
/// tracker assumes `world_sensor_std_m` = 0.3).
pub const NOISE_STD_M: f64 = 0.2;
/// Probability that a camera detects a person it covers.
pub const P_DETECT: f64 = 0.95;
/// Frame interval, seconds (10 Hz).
pub const DT_S: f64 = 0.1;
/// Capture-to-arrival latency of every detection, seconds. With the
/// default `max_lateness_s` = 1.0 s the tracker releases the frame captured
/// ten frames earlier after each new frame is pushed.
pub const LATENCY_S: f64 = 0.02;

/// `FUSETRACK_BENCH_FULL=1` turns on the largest sizes (100 000 tracks,
/// city scale), which take minutes.
pub fn full() -> bool {
    std::env::var("FUSETRACK_BENCH_FULL").is_ok_and(|v| v == "1")
}

/// splitmix64: tiny, seeded, good enough for bench inputs.
#[derive(Debug, Clone)]
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// People walking in a square.
#[derive(Debug, Clone)]
pub struct Crowd {
    pub pos: Vec<[f64; 2]>,
    heading: Vec<f64>,
    speed: Vec<f64>,
    pub side_m: f64,
    rng: SplitMix,
}

impl Crowd {
    pub fn new(n: usize, seed: u64) -> Self {
        let mut rng = SplitMix(seed);
        let side_m = (n as f64 * AREA_PER_PERSON_M2).sqrt();
        let pos = (0..n).map(|_| [rng.uniform() * side_m, rng.uniform() * side_m]).collect();
        let heading = (0..n).map(|_| rng.uniform() * std::f64::consts::TAU).collect();
        let speed = (0..n).map(|_| (1.3 + 0.25 * rng.normal()).clamp(0.5, 2.2)).collect();
        Self { pos, heading, speed, side_m, rng }
    }

    pub fn len(&self) -> usize {
        self.pos.len()
    }

    /// Moves everybody by `dt_s` seconds.
    pub fn advance(&mut self, dt_s: f64) {
        let side = self.side_m;
        for i in 0..self.pos.len() {
            self.heading[i] += 0.15 * self.rng.normal();
            let (s, c) = self.heading[i].sin_cos();
            let p = &mut self.pos[i];
            p[0] += self.speed[i] * c * dt_s;
            p[1] += self.speed[i] * s * dt_s;
            // Bounce off the edges.
            if p[0] < 0.0 || p[0] > side {
                p[0] = p[0].clamp(0.0, side);
                self.heading[i] = std::f64::consts::PI - self.heading[i];
            }
            if p[1] < 0.0 || p[1] > side {
                p[1] = p[1].clamp(0.0, side);
                self.heading[i] = -self.heading[i];
            }
        }
    }
}

/// A grid of world-sensor cameras tiling a square.
#[derive(Debug, Clone)]
pub struct CameraGrid {
    pub rig: CameraRig,
    gx: usize,
    gy: usize,
    cell_w: f64,
    cell_h: f64,
    margin_x: f64,
    margin_y: f64,
}

impl CameraGrid {
    /// `n_cameras` cameras in a `gx x gy` grid with `gx` the largest
    /// divisor of `n_cameras` not above its square root.
    pub fn new(n_cameras: usize, side_m: f64) -> Self {
        let n = n_cameras.max(1);
        let gx = (1..=n).filter(|d| n % d == 0 && d * d <= n).max().unwrap_or(1);
        let gy = n / gx;
        let (cell_w, cell_h) = (side_m / gx as f64, side_m / gy as f64);
        let (margin_x, margin_y) = (OVERLAP_FRACTION * cell_w, OVERLAP_FRACTION * cell_h);
        let mut cams = Vec::with_capacity(n);
        for iy in 0..gy {
            for ix in 0..gx {
                let x0 = ix as f64 * cell_w - margin_x;
                let y0 = iy as f64 * cell_h - margin_y;
                let x1 = (ix + 1) as f64 * cell_w + margin_x;
                let y1 = (iy + 1) as f64 * cell_h + margin_y;
                let cov = Polygon::new(vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
                    .expect("a rectangle is a valid polygon");
                cams.push(Camera::world_sensor(format!("cam-{ix}-{iy}")).with_coverage(cov));
            }
        }
        let rig = CameraRig::new(cams).expect("distinct camera names");
        Self { rig, gx, gy, cell_w, cell_h, margin_x, margin_y }
    }

    pub fn len(&self) -> usize {
        self.gx * self.gy
    }

    /// Calls `f(camera)` for every camera covering `p`.
    pub fn cameras_covering(&self, p: [f64; 2], mut f: impl FnMut(CameraId)) {
        let range = |v: f64, cell: f64, margin: f64, g: usize| {
            let lo = (((v - margin) / cell).floor().max(0.0) as usize).min(g - 1);
            let hi = (((v + margin) / cell).floor().max(0.0) as usize).min(g - 1);
            lo..=hi
        };
        for iy in range(p[1], self.cell_h, self.margin_y, self.gy) {
            for ix in range(p[0], self.cell_w, self.margin_x, self.gx) {
                f(CameraId((iy * self.gx + ix) as u32));
            }
        }
    }
}

/// A crowd, its cameras and a tracker fed at 10 Hz.
pub struct Scene {
    pub crowd: Crowd,
    pub grid: CameraGrid,
    pub tracker: Tracker,
    rng: SplitMix,
    /// Capture time of the next frame, seconds.
    pub t_s: f64,
    /// The next frame's detections, camera by camera.
    pub frame: Vec<Detection>,
    pairs: Vec<(CameraId, usize)>,
}

impl Scene {
    pub fn new(n_people: usize, n_cameras: usize, seed: u64) -> Self {
        Self::with_config(n_people, n_cameras, seed, TrackerConfig::default())
    }

    pub fn with_config(n_people: usize, n_cameras: usize, seed: u64, cfg: TrackerConfig) -> Self {
        let crowd = Crowd::new(n_people, seed);
        let grid = CameraGrid::new(n_cameras, crowd.side_m);
        let tracker = Tracker::new(cfg, grid.rig.clone()).expect("valid default config");
        Self {
            crowd,
            grid,
            tracker,
            rng: SplitMix(seed ^ 0xD1B5_4A32_D192_ED03),
            t_s: 0.0,
            frame: Vec::new(),
            pairs: Vec::new(),
        }
    }

    /// Fills `self.frame` with the detections of the next capture time
    /// (not timed by the benches).
    pub fn generate(&mut self) {
        self.frame.clear();
        self.pairs.clear();
        for (i, &p) in self.crowd.pos.iter().enumerate() {
            let pairs = &mut self.pairs;
            self.grid.cameras_covering(p, |c| pairs.push((c, i)));
        }
        self.pairs.sort_unstable();
        let t = self.t_s;
        for &(cam, i) in &self.pairs {
            if self.rng.uniform() >= P_DETECT {
                continue;
            }
            let p = self.crowd.pos[i];
            let position_m =
                [p[0] + NOISE_STD_M * self.rng.normal(), p[1] + NOISE_STD_M * self.rng.normal()];
            let obs = Observation::World { position_m, cov_m2: None };
            self.frame.push(Detection::new(t, cam, obs).with_rx(t + LATENCY_S));
        }
        self.crowd.advance(DT_S);
        self.t_s += DT_S;
    }

    /// Pushes the generated frame and processes every capture time released
    /// (the timed part): returns (detections pushed, time steps processed).
    pub fn feed(&mut self) -> (usize, usize) {
        let n = self.frame.len();
        for d in self.frame.drain(..) {
            self.tracker.push(d).expect("valid detection");
        }
        let mut steps = 0;
        while self.tracker.step().expect("tracker step").is_some() {
            steps += 1;
        }
        self.tracker.drain_events();
        (n, steps)
    }

    /// Runs `frames` frames (generate + feed); returns detections pushed.
    pub fn run(&mut self, frames: usize) -> usize {
        let mut n = 0;
        for _ in 0..frames {
            self.generate();
            n += self.feed().0;
        }
        n
    }

    /// Confirmed tracks now.
    pub fn confirmed(&self) -> usize {
        self.tracker.confirmed_tracks().count()
    }
}

/// Checks a scene is in steady state: about one confirmed track per person.
pub fn assert_steady(scene: &Scene) {
    let n = scene.crowd.len();
    let c = scene.confirmed();
    assert!(
        c as f64 >= 0.9 * n as f64 && c as f64 <= 1.1 * n as f64 + 2.0,
        "steady state expected: {c} confirmed tracks for {n} people"
    );
}
