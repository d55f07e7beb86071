//! What a simulated scene is made of: the specification, serde-friendly, from
//! which [`simulate`](super::simulate) makes the same files for the same seed.

use serde::{Deserialize, Serialize};

use super::motion::{Leg, ObjectClass};

/// An axis-aligned ground rectangle, metres.
///
/// ```
/// use fusetrack::sim::Rect;
/// let r = Rect::new([0.0, 0.0], [30.0, 20.0]);
/// assert!(r.contains([10.0, 5.0]) && !r.contains([31.0, 5.0]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rect {
    /// Lower-left corner `[x, y]`, metres.
    pub min_m: [f64; 2],
    /// Upper-right corner `[x, y]`, metres.
    pub max_m: [f64; 2],
}

impl Rect {
    /// A rectangle from its lower-left (`min_m`) and upper-right (`max_m`)
    /// corners, metres. The corners are taken as given, not sorted: with
    /// `min_m` above or right of `max_m` the rectangle contains nothing.
    ///
    /// ```
    /// use fusetrack::sim::Rect;
    /// let plaza = Rect::new([-3.0, -9.0], [9.0, 27.0]);
    /// let [w, h] = [plaza.max_m[0] - plaza.min_m[0], plaza.max_m[1] - plaza.min_m[1]];
    /// assert_eq!((w, h), (12.0, 36.0));
    /// assert!(!Rect::new([5.0, 5.0], [0.0, 0.0]).contains([2.0, 2.0]));
    /// ```
    pub fn new(min_m: [f64; 2], max_m: [f64; 2]) -> Self {
        Self { min_m, max_m }
    }
    /// True when `p` lies inside or on the border (false for NaN).
    ///
    /// ```
    /// use fusetrack::sim::Rect;
    /// let room = Rect::new([0.0, 0.0], [10.0, 6.0]);
    /// assert!(room.contains([10.0, 6.0])); // a corner
    /// assert!(room.contains([0.0, 3.0])); // on the west wall
    /// assert!(!room.contains([10.001, 3.0]));
    /// assert!(!room.contains([f64::NAN, 3.0]));
    /// ```
    pub fn contains(&self, p: [f64; 2]) -> bool {
        p[0] >= self.min_m[0]
            && p[0] <= self.max_m[0]
            && p[1] >= self.min_m[1]
            && p[1] <= self.max_m[1]
    }
}

/// Where the cameras come from: a real calibration, or simple cameras placed
/// by hand.
///
/// ```
/// use fusetrack::sim::{simulate, LookAtSpec, RigSpec, SceneSpec};
/// // The plaza uses WILDTRACK's calibration, seven cameras.
/// let mut plaza = SceneSpec::plaza();
/// plaza.duration_s = 0.5;
/// assert!(matches!(plaza.rig, RigSpec::CamerasJson(_)));
/// assert_eq!(simulate(&plaza)?.rig.len(), 7);
/// // The museum's cameras are placed with look-at specs.
/// let museum = SceneSpec::museum();
/// let RigSpec::LookAt(cams) = &museum.rig else { panic!("museum uses look-at cameras") };
/// assert_eq!(cams.len(), 6);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RigSpec {
    /// The text of a `cameras.json` (written back verbatim with the scene).
    CamerasJson(String),
    /// Pinhole cameras without distortion built by
    /// [`Camera::look_at`](crate::geometry::Camera::look_at).
    LookAt(Vec<LookAtSpec>),
}

/// A camera placed at `position_m` and aimed at `target_m`: built by
/// [`Camera::look_at`](crate::geometry::Camera::look_at) (principal point
/// at the image centre, no roll, no distortion).
///
/// ```
/// use fusetrack::geometry::PixelPoint;
/// use fusetrack::sim::{simulate, LookAtSpec, RigSpec, SceneSpec};
/// let mut spec = SceneSpec::museum();
/// spec.duration_s = 0.5;
/// let cam = LookAtSpec {
///     name: "lobby".into(),
///     image_size_px: [1280, 720],
///     focal_px: 800.0,
///     position_m: [2.0, 2.0, 3.0],
///     target_m: [6.0, 4.0, 0.0],
/// };
/// spec.rig = RigSpec::LookAt(vec![cam]);
/// spec.sensors.clear(); // no detections needed here
/// let scene = simulate(&spec)?;
/// let lobby = scene.rig.get(scene.rig.id("lobby").unwrap()).unwrap();
/// // The image centre sees the target.
/// let g = lobby.image_to_ground(PixelPoint { x: 640.0, y: 360.0 }).unwrap();
/// assert!((g.x - 6.0).abs() < 1e-9 && (g.y - 4.0).abs() < 1e-9);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookAtSpec {
    /// Camera name (`id` in `cameras.json`).
    pub name: String,
    /// Image `[width, height]`, pixels.
    pub image_size_px: [u32; 2],
    /// Focal length, pixels.
    pub focal_px: f64,
    /// Camera centre, metres.
    pub position_m: [f64; 3],
    /// A point the optical axis passes through, metres.
    pub target_m: [f64; 3],
}

/// How one camera's detector behaves.
///
/// ```
/// use fusetrack::sim::SensorSpec;
/// let s = SensorSpec::digital("cam-1", 10.0);
/// assert_eq!((s.fps, s.p_detect), (10.0, 0.9));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensorSpec {
    /// The camera's name.
    pub camera: String,
    /// Detection frames per second (authoritative over `fps` in `cameras.json`).
    pub fps: f64,
    /// Time of the first frame, seconds (so cameras are not synchronised).
    pub phase_s: f64,
    /// Probability of detecting a visible object in a frame.
    pub p_detect: f64,
    /// Standard deviation of the box's ground contact point, pixels.
    pub pixel_noise_px: f64,
    /// Relative standard deviation of the box's width and height.
    pub size_noise_frac: f64,
    /// Mean delay from capture to arrival, seconds.
    pub latency_s: f64,
    /// Standard deviation of that delay, seconds.
    pub latency_jitter_s: f64,
    /// Mean number of false positives per frame (Poisson).
    pub false_positives_per_frame: f64,
    /// Capture-time intervals `[from, to)` in which the camera sends nothing.
    #[serde(default)]
    pub outages_s: Vec<[f64; 2]>,
}

impl SensorSpec {
    /// A good digital camera: p_detect 0.9, 2.5 px noise, 5 % size noise,
    /// 0.1 ± 0.03 s latency, 0.05 false positives per frame, first frame at
    /// 0 s, no outage.
    ///
    /// (`hall` below, hidden: a 20 m x 10 m area seen by one 1280x720 camera
    /// named `cam`, 4 m up on its south side, at 10 Hz; nobody in it yet.)
    ///
    /// ```
    /// # use fusetrack::sim as sim_;
    /// # let hall = sim_::SceneSpec {
    /// #     name: "hall".into(), seed: 1, duration_s: 10.0,
    /// #     area: sim_::Rect::new([0.0, 0.0], [20.0, 10.0]), ground_truth_hz: 10.0, walls_m: vec![],
    /// #     rig: sim_::RigSpec::LookAt(vec![sim_::LookAtSpec { name: "cam".into(),
    /// #         image_size_px: [1280, 720], focal_px: 800.0, position_m: [10.0, -8.0, 4.0],
    /// #         target_m: [10.0, 5.0, 0.0] }]),
    /// #     sensors: vec![sim_::SensorSpec::digital("cam", 10.0)],
    /// #     people: sim_::PeopleSpec::default(), crowd: None, traffic: None, actors: vec![],
    /// #     incidents: vec![],
    /// # };
    /// # let walker = |from: [f64; 2], to: [f64; 2]| sim_::ActorSpec {
    /// #     name: "walker".into(), class: sim_::ObjectClass::Person, start_s: 0.0, start_m: from,
    /// #     legs: vec![sim_::Leg::new(to, 1.6)], repeat: false, height_m: 1.75,
    /// # };
    /// use fusetrack::sim::{simulate, SensorSpec};
    /// let s = SensorSpec::digital("cam", 10.0);
    /// assert_eq!((s.p_detect, s.pixel_noise_px, s.latency_s, s.latency_jitter_s), (0.9, 2.5, 0.1, 0.03));
    /// // Someone walks across the hall for 10 s: frames arrive about 0.1 s late.
    /// let mut spec = hall.clone();
    /// spec.sensors = vec![s];
    /// spec.actors = vec![walker([2.0, 5.0], [18.0, 5.0])];
    /// let d = simulate(&spec)?.detections;
    /// let mean_latency = d.iter().map(|d| d.latency_s()).sum::<f64>() / d.len() as f64;
    /// assert!((mean_latency - 0.1).abs() < 0.01);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn digital(camera: impl Into<String>, fps: f64) -> Self {
        Self {
            camera: camera.into(),
            fps,
            phase_s: 0.0,
            p_detect: 0.9,
            pixel_noise_px: 2.5,
            size_noise_frac: 0.05,
            latency_s: 0.1,
            latency_jitter_s: 0.03,
            false_positives_per_frame: 0.05,
            outages_s: Vec::new(),
        }
    }
    /// An old analog camera through an encoder: p_detect 0.75, 7 px noise,
    /// 0.7 ± 0.15 s latency, more false positives.
    ///
    /// ```
    /// use fusetrack::sim::SensorSpec;
    /// assert_eq!(SensorSpec::analog("old", 4.0).pixel_noise_px, 7.0);
    /// ```
    pub fn analog(camera: impl Into<String>, fps: f64) -> Self {
        Self {
            p_detect: 0.75,
            pixel_noise_px: 7.0,
            size_noise_frac: 0.1,
            latency_s: 0.7,
            latency_jitter_s: 0.15,
            false_positives_per_frame: 0.15,
            ..Self::digital(camera, fps)
        }
    }
    /// Sets the capture time of the first frame, seconds; frames follow
    /// every `1 / fps`. Give cameras different phases so that they are not
    /// synchronised.
    ///
    /// (`hall` below, hidden: a 20 m x 10 m area seen by one 1280x720 camera
    /// named `cam`, 4 m up on its south side, at 10 Hz; nobody in it yet.)
    ///
    /// ```
    /// # use fusetrack::sim as sim_;
    /// # let hall = sim_::SceneSpec {
    /// #     name: "hall".into(), seed: 1, duration_s: 10.0,
    /// #     area: sim_::Rect::new([0.0, 0.0], [20.0, 10.0]), ground_truth_hz: 10.0, walls_m: vec![],
    /// #     rig: sim_::RigSpec::LookAt(vec![sim_::LookAtSpec { name: "cam".into(),
    /// #         image_size_px: [1280, 720], focal_px: 800.0, position_m: [10.0, -8.0, 4.0],
    /// #         target_m: [10.0, 5.0, 0.0] }]),
    /// #     sensors: vec![sim_::SensorSpec::digital("cam", 10.0)],
    /// #     people: sim_::PeopleSpec::default(), crowd: None, traffic: None, actors: vec![],
    /// #     incidents: vec![],
    /// # };
    /// use fusetrack::sim::{simulate, SensorSpec};
    /// let mut spec = hall.clone();
    /// spec.sensors = vec![SensorSpec::digital("cam", 10.0).with_phase(0.05)];
    /// let scene = simulate(&spec)?;
    /// let t: Vec<f64> = scene.detections.iter().take(3).map(|d| d.t_s).collect();
    /// assert_eq!(t, [0.05, 0.15, 0.25]); // one empty-frame marker per frame
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn with_phase(mut self, phase_s: f64) -> Self {
        self.phase_s = phase_s;
        self
    }
    /// Sets the mean delay from capture to arrival and its standard
    /// deviation (jitter), seconds.
    ///
    /// (`hall` below, hidden: a 20 m x 10 m area seen by one 1280x720 camera
    /// named `cam`, 4 m up on its south side, at 10 Hz; nobody in it yet.)
    ///
    /// ```
    /// # use fusetrack::sim as sim_;
    /// # let hall = sim_::SceneSpec {
    /// #     name: "hall".into(), seed: 1, duration_s: 10.0,
    /// #     area: sim_::Rect::new([0.0, 0.0], [20.0, 10.0]), ground_truth_hz: 10.0, walls_m: vec![],
    /// #     rig: sim_::RigSpec::LookAt(vec![sim_::LookAtSpec { name: "cam".into(),
    /// #         image_size_px: [1280, 720], focal_px: 800.0, position_m: [10.0, -8.0, 4.0],
    /// #         target_m: [10.0, 5.0, 0.0] }]),
    /// #     sensors: vec![sim_::SensorSpec::digital("cam", 10.0)],
    /// #     people: sim_::PeopleSpec::default(), crowd: None, traffic: None, actors: vec![],
    /// #     incidents: vec![],
    /// # };
    /// use fusetrack::sim::{simulate, SensorSpec};
    /// let mut spec = hall.clone();
    /// // An analog link: 0.7 s late, no jitter.
    /// spec.sensors = vec![SensorSpec::digital("cam", 10.0).with_latency(0.7, 0.0)];
    /// let d = simulate(&spec)?.detections;
    /// assert!(d.iter().all(|d| (d.latency_s() - 0.7).abs() < 1e-9));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn with_latency(mut self, mean_s: f64, jitter_s: f64) -> Self {
        self.latency_s = mean_s;
        self.latency_jitter_s = jitter_s;
        self
    }
    /// Sets the standard deviation of a box's ground contact point, pixels.
    ///
    /// (`hall` below, hidden: a 20 m x 10 m area seen by one 1280x720 camera
    /// named `cam`, 4 m up on its south side, at 10 Hz; nobody in it yet.)
    ///
    /// ```
    /// # use fusetrack::sim as sim_;
    /// # let hall = sim_::SceneSpec {
    /// #     name: "hall".into(), seed: 1, duration_s: 10.0,
    /// #     area: sim_::Rect::new([0.0, 0.0], [20.0, 10.0]), ground_truth_hz: 10.0, walls_m: vec![],
    /// #     rig: sim_::RigSpec::LookAt(vec![sim_::LookAtSpec { name: "cam".into(),
    /// #         image_size_px: [1280, 720], focal_px: 800.0, position_m: [10.0, -8.0, 4.0],
    /// #         target_m: [10.0, 5.0, 0.0] }]),
    /// #     sensors: vec![sim_::SensorSpec::digital("cam", 10.0)],
    /// #     people: sim_::PeopleSpec::default(), crowd: None, traffic: None, actors: vec![],
    /// #     incidents: vec![],
    /// # };
    /// # let walker = |from: [f64; 2], to: [f64; 2]| sim_::ActorSpec {
    /// #     name: "walker".into(), class: sim_::ObjectClass::Person, start_s: 0.0, start_m: from,
    /// #     legs: vec![sim_::Leg::new(to, 1.6)], repeat: false, height_m: 1.75,
    /// # };
    /// use fusetrack::geometry::GroundPoint;
    /// use fusetrack::sim::{simulate, SensorSpec};
    /// use fusetrack::Observation;
    /// // A perfect detector: every box's foot point is where the walker stands
    /// // (up to the rounding of the files: 0.1 px, 1 mm).
    /// let perfect = SensorSpec { p_detect: 1.0, false_positives_per_frame: 0.0, size_noise_frac: 0.0,
    ///     ..SensorSpec::digital("cam", 10.0) }.with_pixel_noise(0.0);
    /// let mut spec = hall.clone();
    /// spec.sensors = vec![perfect];
    /// spec.actors = vec![walker([2.0, 5.0], [18.0, 5.0])];
    /// let scene = simulate(&spec)?;
    /// let cam = scene.rig.get(scene.rig.id("cam").unwrap()).unwrap();
    /// for d in &scene.detections {
    ///     let Observation::BBox(b) = d.observation else { continue };
    ///     let gt = scene.ground_truth.iter().find(|g| g.t_s == d.t_s).unwrap();
    ///     let p = cam.ground_to_image(GroundPoint { x: gt.x, y: gt.y }).unwrap();
    ///     let [u, v] = b.foot_point();
    ///     assert!((u - p.x).hypot(v - p.y) < 0.2);
    /// }
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn with_pixel_noise(mut self, px: f64) -> Self {
        self.pixel_noise_px = px;
        self
    }
    /// Adds an outage: frames captured in `[from_s, to_s)` are not sent at
    /// all, not even as empty-frame markers (the camera is down).
    ///
    /// (`hall` below, hidden: a 20 m x 10 m area seen by one 1280x720 camera
    /// named `cam`, 4 m up on its south side, at 10 Hz; nobody in it yet.)
    ///
    /// ```
    /// # use fusetrack::sim as sim_;
    /// # let hall = sim_::SceneSpec {
    /// #     name: "hall".into(), seed: 1, duration_s: 10.0,
    /// #     area: sim_::Rect::new([0.0, 0.0], [20.0, 10.0]), ground_truth_hz: 10.0, walls_m: vec![],
    /// #     rig: sim_::RigSpec::LookAt(vec![sim_::LookAtSpec { name: "cam".into(),
    /// #         image_size_px: [1280, 720], focal_px: 800.0, position_m: [10.0, -8.0, 4.0],
    /// #         target_m: [10.0, 5.0, 0.0] }]),
    /// #     sensors: vec![sim_::SensorSpec::digital("cam", 10.0)],
    /// #     people: sim_::PeopleSpec::default(), crowd: None, traffic: None, actors: vec![],
    /// #     incidents: vec![],
    /// # };
    /// use fusetrack::sim::{simulate, SensorSpec};
    /// let mut spec = hall.clone();
    /// spec.sensors = vec![SensorSpec::digital("cam", 10.0).with_outage(3.0, 5.0)];
    /// let d = simulate(&spec)?.detections;
    /// assert!(!d.iter().any(|d| (3.0..5.0).contains(&d.t_s)));
    /// assert!(d.iter().any(|d| d.t_s == 2.9) && d.iter().any(|d| d.t_s == 5.0));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn with_outage(mut self, from_s: f64, to_s: f64) -> Self {
        self.outages_s.push([from_s, to_s]);
        self
    }
}

/// Sizes and gait of people: each walker of the crowd draws its speed
/// and height once, from these normal distributions.
///
/// (`hall` below, hidden: a 20 m x 10 m area seen by one 1280x720 camera
/// named `cam`, 4 m up on its south side, at 10 Hz; nobody in it yet.)
///
/// ```
/// # use fusetrack::sim as sim_;
/// # let hall = sim_::SceneSpec {
/// #     name: "hall".into(), seed: 1, duration_s: 10.0,
/// #     area: sim_::Rect::new([0.0, 0.0], [20.0, 10.0]), ground_truth_hz: 10.0, walls_m: vec![],
/// #     rig: sim_::RigSpec::LookAt(vec![sim_::LookAtSpec { name: "cam".into(),
/// #         image_size_px: [1280, 720], focal_px: 800.0, position_m: [10.0, -8.0, 4.0],
/// #         target_m: [10.0, 5.0, 0.0] }]),
/// #     sensors: vec![sim_::SensorSpec::digital("cam", 10.0)],
/// #     people: sim_::PeopleSpec::default(), crowd: None, traffic: None, actors: vec![],
/// #     incidents: vec![],
/// # };
/// use fusetrack::sim::{simulate, CrowdSpec, Paths, PeopleSpec};
/// // Everybody walks at exactly 1 m/s.
/// let mut spec = hall.clone();
/// spec.people = PeopleSpec {
///     speed_mean_m_per_s: 1.0,
///     speed_sd_m_per_s: 0.0,
///     speed_clip_m_per_s: [1.0, 1.0],
///     ..PeopleSpec::default()
/// };
/// spec.crowd = Some(CrowdSpec {
///     count: 3,
///     paths: Paths::OpenArea { waypoints: [1, 2] },
///     pause_probability: 0.0,
///     pause_s: [0.0, 0.0],
///     group_probability: 0.0,
///     group_spacing_m: 0.6,
///     respawn_s: [0.0, 1.0],
/// });
/// let scene = simulate(&spec)?;
/// let mut speeds = Vec::new();
/// for o in &scene.objects {
///     let track: Vec<_> = scene.ground_truth.iter().filter(|g| g.id == o.id).collect();
///     for w in track.windows(2).filter(|w| (w[1].t_s - w[0].t_s - 0.1).abs() < 1e-9) {
///         speeds.push((w[1].x - w[0].x).hypot(w[1].y - w[0].y) / 0.1);
///     }
/// }
/// let mean = speeds.iter().sum::<f64>() / speeds.len() as f64;
/// assert!(speeds.iter().all(|&v| v < 1.05)); // nobody faster (1 mm rounding)
/// assert!(mean > 0.9); // slower only when turning
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeopleSpec {
    /// Mean walking speed, m/s.
    pub speed_mean_m_per_s: f64,
    /// Its standard deviation, m/s.
    pub speed_sd_m_per_s: f64,
    /// Speeds are clipped to `[min, max]`, m/s.
    pub speed_clip_m_per_s: [f64; 2],
    /// Mean height, metres.
    pub height_mean_m: f64,
    /// Height standard deviation, metres.
    pub height_sd_m: f64,
    /// Body width, metres.
    pub width_m: f64,
}

impl Default for PeopleSpec {
    /// 1.3 ± 0.25 m/s clipped to 0.5..2.2; 1.75 ± 0.08 m tall; 0.5 m wide.
    fn default() -> Self {
        Self {
            speed_mean_m_per_s: 1.3,
            speed_sd_m_per_s: 0.25,
            speed_clip_m_per_s: [0.5, 2.2],
            height_mean_m: 1.75,
            height_sd_m: 0.08,
            width_m: 0.5,
        }
    }
}

/// Paths a crowd walks on.
///
/// (`hall` below, hidden: a 20 m x 10 m area seen by one 1280x720 camera
/// named `cam`, 4 m up on its south side, at 10 Hz; nobody in it yet.)
///
/// ```
/// # use fusetrack::sim as sim_;
/// # let hall = sim_::SceneSpec {
/// #     name: "hall".into(), seed: 1, duration_s: 10.0,
/// #     area: sim_::Rect::new([0.0, 0.0], [20.0, 10.0]), ground_truth_hz: 10.0, walls_m: vec![],
/// #     rig: sim_::RigSpec::LookAt(vec![sim_::LookAtSpec { name: "cam".into(),
/// #         image_size_px: [1280, 720], focal_px: 800.0, position_m: [10.0, -8.0, 4.0],
/// #         target_m: [10.0, 5.0, 0.0] }]),
/// #     sensors: vec![sim_::SensorSpec::digital("cam", 10.0)],
/// #     people: sim_::PeopleSpec::default(), crowd: None, traffic: None, actors: vec![],
/// #     incidents: vec![],
/// # };
/// use fusetrack::sim::{simulate, CrowdSpec, Paths};
/// // In an open area, newcomers walk in from outside an edge.
/// let mut spec = hall.clone();
/// spec.duration_s = 30.0;
/// spec.crowd = Some(CrowdSpec {
///     count: 4,
///     paths: Paths::OpenArea { waypoints: [1, 2] },
///     pause_probability: 0.0,
///     pause_s: [0.0, 0.0],
///     group_probability: 0.0,
///     group_spacing_m: 0.6,
///     respawn_s: [0.0, 1.0],
/// });
/// let scene = simulate(&spec)?;
/// let late_comers: Vec<_> = scene
///     .objects
///     .iter()
///     .filter_map(|o| scene.ground_truth.iter().find(|g| g.id == o.id))
///     .filter(|first| first.t_s > 0.0) // those present at the start are placed inside
///     .collect();
/// assert!(!late_comers.is_empty());
/// for first in late_comers {
///     assert!(!spec.area.contains([first.x, first.y]) // seen outside by the camera,
///         || first.x.min(20.0 - first.x).min(first.y).min(10.0 - first.y) < 0.5); // or at the edge
/// }
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Paths {
    /// An open area: enter at a random point just outside an edge of the
    /// scene area, visit `waypoints` random points inside, leave at an edge.
    OpenArea {
        /// Number of waypoints per person, `[min, max]`.
        waypoints: [usize; 2],
    },
    /// A network of footpaths: enter at an entry node, walk the shortest
    /// path to another entry node.
    Network(WalkGraph),
}

/// Footpaths: nodes and the straight edges between them.
///
/// (`hall` below, hidden: a 20 m x 10 m area seen by one 1280x720 camera
/// named `cam`, 4 m up on its south side, at 10 Hz; nobody in it yet.)
///
/// ```
/// # use fusetrack::sim as sim_;
/// # let hall = sim_::SceneSpec {
/// #     name: "hall".into(), seed: 1, duration_s: 10.0,
/// #     area: sim_::Rect::new([0.0, 0.0], [20.0, 10.0]), ground_truth_hz: 10.0, walls_m: vec![],
/// #     rig: sim_::RigSpec::LookAt(vec![sim_::LookAtSpec { name: "cam".into(),
/// #         image_size_px: [1280, 720], focal_px: 800.0, position_m: [10.0, -8.0, 4.0],
/// #         target_m: [10.0, 5.0, 0.0] }]),
/// #     sensors: vec![sim_::SensorSpec::digital("cam", 10.0)],
/// #     people: sim_::PeopleSpec::default(), crowd: None, traffic: None, actors: vec![],
/// #     incidents: vec![],
/// # };
/// use fusetrack::sim::{simulate, CrowdSpec, Paths, WalkGraph};
/// // One footpath along y = 5 m across the hall, entries at both ends.
/// let path = WalkGraph {
///     nodes_m: vec![[-1.0, 5.0], [10.0, 5.0], [21.0, 5.0]],
///     edges: vec![[0, 1], [1, 2]],
///     entries: vec![0, 2],
///     lateral_spread_m: 0.5,
/// };
/// let mut spec = hall.clone();
/// spec.crowd = Some(CrowdSpec {
///     count: 3,
///     paths: Paths::Network(path),
///     pause_probability: 0.0,
///     pause_s: [0.0, 0.0],
///     group_probability: 0.0,
///     group_spacing_m: 0.6,
///     respawn_s: [0.0, 1.0],
/// });
/// let scene = simulate(&spec)?;
/// assert!(!scene.ground_truth.is_empty());
/// // Everybody keeps to the path: the personal offset (up to 0.5 m) plus a
/// // little wobble and sidestepping.
/// assert!(scene.ground_truth.iter().all(|g| (g.y - 5.0).abs() < 1.0));
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalkGraph {
    /// Node positions, metres.
    pub nodes_m: Vec<[f64; 2]>,
    /// Edges, as pairs of node indices.
    pub edges: Vec<[usize; 2]>,
    /// Nodes where people enter and leave.
    pub entries: Vec<usize>,
    /// People keep a personal sideways offset from the path, uniform in ± this, metres.
    pub lateral_spread_m: f64,
}

/// Ambient pedestrians, kept at about `count` in the scene: a walker who
/// leaves is replaced after a delay drawn from `respawn_s`.
///
/// (`hall` below, hidden: a 20 m x 10 m area seen by one 1280x720 camera
/// named `cam`, 4 m up on its south side, at 10 Hz; nobody in it yet.)
///
/// ```
/// # use fusetrack::sim as sim_;
/// # let hall = sim_::SceneSpec {
/// #     name: "hall".into(), seed: 1, duration_s: 10.0,
/// #     area: sim_::Rect::new([0.0, 0.0], [20.0, 10.0]), ground_truth_hz: 10.0, walls_m: vec![],
/// #     rig: sim_::RigSpec::LookAt(vec![sim_::LookAtSpec { name: "cam".into(),
/// #         image_size_px: [1280, 720], focal_px: 800.0, position_m: [10.0, -8.0, 4.0],
/// #         target_m: [10.0, 5.0, 0.0] }]),
/// #     sensors: vec![sim_::SensorSpec::digital("cam", 10.0)],
/// #     people: sim_::PeopleSpec::default(), crowd: None, traffic: None, actors: vec![],
/// #     incidents: vec![],
/// # };
/// use std::collections::BTreeMap;
/// use fusetrack::sim::{simulate, CrowdSpec, Paths};
/// let mut spec = hall.clone();
/// spec.duration_s = 30.0;
/// spec.crowd = Some(CrowdSpec {
///     count: 4,
///     paths: Paths::OpenArea { waypoints: [1, 2] },
///     pause_probability: 0.0,
///     pause_s: [0.0, 0.0],
///     group_probability: 0.0, // single walkers: one id per walker
///     group_spacing_m: 0.6,
///     respawn_s: [0.0, 1.0],
/// });
/// let scene = simulate(&spec)?;
/// let mut present: BTreeMap<u64, usize> = BTreeMap::new(); // per ground-truth time, in ms
/// for g in &scene.ground_truth {
///     *present.entry((g.t_s * 1000.0).round() as u64).or_default() += 1;
/// }
/// assert_eq!(present.len(), 300); // 30 s at 10 Hz
/// assert!(present.values().all(|&n| n <= 4));
/// let mean = present.values().sum::<usize>() as f64 / present.len() as f64;
/// assert!(mean > 3.5); // short gaps while a leaver is replaced
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrowdSpec {
    /// Number of walkers (or groups) kept in the scene.
    pub count: usize,
    /// Where they walk.
    pub paths: Paths,
    /// Probability of a pause at a waypoint.
    pub pause_probability: f64,
    /// Pause length range, seconds.
    pub pause_s: [f64; 2],
    /// Probability that a newcomer is a group of 2-3 walking side by side.
    pub group_probability: f64,
    /// Sideways spacing in a group, metres.
    pub group_spacing_m: f64,
    /// Delay before a leaver is replaced, range in seconds.
    pub respawn_s: [f64; 2],
}

/// One traffic lane: cars drive from `from_m` to `to_m` and may stop at `stop_m`.
///
/// A car stopping at the line brakes to a stop with its centre within
/// about 1.5 m before `stop_m`.
///
/// (`hall` below, hidden: a 20 m x 10 m area seen by one 1280x720 camera
/// named `cam`, 4 m up on its south side, at 10 Hz; nobody in it yet.)
///
/// ```
/// # use fusetrack::sim as sim_;
/// # let hall = sim_::SceneSpec {
/// #     name: "hall".into(), seed: 1, duration_s: 10.0,
/// #     area: sim_::Rect::new([0.0, 0.0], [20.0, 10.0]), ground_truth_hz: 10.0, walls_m: vec![],
/// #     rig: sim_::RigSpec::LookAt(vec![sim_::LookAtSpec { name: "cam".into(),
/// #         image_size_px: [1280, 720], focal_px: 800.0, position_m: [10.0, -8.0, 4.0],
/// #         target_m: [10.0, 5.0, 0.0] }]),
/// #     sensors: vec![sim_::SensorSpec::digital("cam", 10.0)],
/// #     people: sim_::PeopleSpec::default(), crowd: None, traffic: None, actors: vec![],
/// #     incidents: vec![],
/// # };
/// use fusetrack::sim::{simulate, Lane, TrafficSpec};
/// let mut spec = hall.clone();
/// spec.traffic = Some(TrafficSpec {
///     lanes: vec![Lane { from_m: [-10.0, 5.0], to_m: [30.0, 5.0], stop_m: Some([10.0, 5.0]) }],
///     speed_m_per_s: [8.0, 10.0],
///     stop_probability: 1.0,
///     stop_s: [2.0, 2.0],
///     gap_s: [1.0, 2.0],
///     size_m: [4.5, 1.8, 1.5],
/// });
/// let scene = simulate(&spec)?;
/// let car: Vec<_> = scene.ground_truth.iter().filter(|g| g.id == scene.objects[0].id).collect();
/// // Standing still (same position 0.1 s apart) about 2 s, just before the line.
/// let still: Vec<_> = car.windows(2).filter(|w| w[1].x == w[0].x).map(|w| w[0]).collect();
/// assert!(still.len() >= 15 && still.len() <= 25, "{}", still.len());
/// assert!(still.iter().all(|g| g.x > 8.0 && g.x < 10.0 && g.y == 5.0));
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lane {
    /// Lane start (outside the scene), metres.
    pub from_m: [f64; 2],
    /// Lane end (outside the scene), metres.
    pub to_m: [f64; 2],
    /// A stop line, if any, metres.
    pub stop_m: Option<[f64; 2]>,
}

/// Vehicles on lanes: one car per lane at a time, the next entering after a gap.
///
/// (`hall` below, hidden: a 20 m x 10 m area seen by one 1280x720 camera
/// named `cam`, 4 m up on its south side, at 10 Hz; nobody in it yet.)
///
/// ```
/// # use fusetrack::sim as sim_;
/// # let hall = sim_::SceneSpec {
/// #     name: "hall".into(), seed: 1, duration_s: 10.0,
/// #     area: sim_::Rect::new([0.0, 0.0], [20.0, 10.0]), ground_truth_hz: 10.0, walls_m: vec![],
/// #     rig: sim_::RigSpec::LookAt(vec![sim_::LookAtSpec { name: "cam".into(),
/// #         image_size_px: [1280, 720], focal_px: 800.0, position_m: [10.0, -8.0, 4.0],
/// #         target_m: [10.0, 5.0, 0.0] }]),
/// #     sensors: vec![sim_::SensorSpec::digital("cam", 10.0)],
/// #     people: sim_::PeopleSpec::default(), crowd: None, traffic: None, actors: vec![],
/// #     incidents: vec![],
/// # };
/// use fusetrack::sim::{simulate, Lane, ObjectClass, TrafficSpec};
/// let mut spec = hall.clone();
/// spec.traffic = Some(TrafficSpec {
///     lanes: vec![Lane { from_m: [-10.0, 5.0], to_m: [30.0, 5.0], stop_m: None }],
///     speed_m_per_s: [8.0, 10.0],
///     stop_probability: 0.0,
///     stop_s: [0.0, 0.0],
///     gap_s: [1.0, 2.0],
///     size_m: [4.5, 1.8, 1.5],
/// });
/// let scene = simulate(&spec)?;
/// assert!(scene.objects.iter().all(|o| o.class == ObjectClass::Car));
/// assert!(scene.objects.len() >= 2); // 40 m at 8-10 m/s plus a gap: a car every 5-7 s
/// // Cars keep to their lane, below the top of the speed range.
/// for o in &scene.objects {
///     let car: Vec<_> = scene.ground_truth.iter().filter(|g| g.id == o.id).collect();
///     assert!(car.iter().all(|g| g.y == 5.0));
///     assert!(car.windows(2).all(|w| (w[1].x - w[0].x) / (w[1].t_s - w[0].t_s) < 10.05));
/// }
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficSpec {
    /// The lanes.
    pub lanes: Vec<Lane>,
    /// Cruising speed range, m/s.
    pub speed_m_per_s: [f64; 2],
    /// Probability of stopping at the stop line.
    pub stop_probability: f64,
    /// Stop length range, seconds.
    pub stop_s: [f64; 2],
    /// Gap between one car leaving its lane and the next entering, seconds.
    pub gap_s: [f64; 2],
    /// Car `[length, width, height]`, metres.
    pub size_m: [f64; 3],
}

/// A scripted object (a guard on rounds, an intruder). Actors have the
/// ground-truth ids `1..=actors.len()` in spec order. An actor whose route
/// is done (and not repeated) leaves the scene.
///
/// (`hall` below, hidden: a 20 m x 10 m area seen by one 1280x720 camera
/// named `cam`, 4 m up on its south side, at 10 Hz; nobody in it yet.)
///
/// ```
/// # use fusetrack::sim as sim_;
/// # let hall = sim_::SceneSpec {
/// #     name: "hall".into(), seed: 1, duration_s: 10.0,
/// #     area: sim_::Rect::new([0.0, 0.0], [20.0, 10.0]), ground_truth_hz: 10.0, walls_m: vec![],
/// #     rig: sim_::RigSpec::LookAt(vec![sim_::LookAtSpec { name: "cam".into(),
/// #         image_size_px: [1280, 720], focal_px: 800.0, position_m: [10.0, -8.0, 4.0],
/// #         target_m: [10.0, 5.0, 0.0] }]),
/// #     sensors: vec![sim_::SensorSpec::digital("cam", 10.0)],
/// #     people: sim_::PeopleSpec::default(), crowd: None, traffic: None, actors: vec![],
/// #     incidents: vec![],
/// # };
/// use fusetrack::sim::{simulate, ActorSpec, Leg, ObjectClass};
/// let guard = ActorSpec {
///     name: "guard".into(),
///     class: ObjectClass::Person,
///     start_s: 1.0,
///     start_m: [5.0, 5.0],
///     legs: vec![Leg::new([15.0, 5.0], 1.5), Leg::new([5.0, 5.0], 1.5)],
///     repeat: true,
///     height_m: 1.8,
/// };
/// let mut spec = hall.clone();
/// spec.duration_s = 30.0;
/// spec.actors = vec![guard.clone()];
/// let scene = simulate(&spec)?;
/// let rounds: Vec<_> = scene.ground_truth.iter().filter(|g| g.id == 1).collect();
/// assert_eq!((rounds[0].t_s, rounds[0].x, rounds[0].y), (1.0, 5.0, 5.0));
/// assert_eq!(rounds.last().unwrap().t_s, 29.9); // still on rounds at the end
/// // Without `repeat` the guard leaves after one round trip (about 13 s).
/// spec.actors[0].repeat = false;
/// let once = simulate(&spec)?;
/// let last = once.ground_truth.iter().filter(|g| g.id == 1).last().unwrap();
/// assert!(last.t_s > 12.0 && last.t_s < 16.0, "{}", last.t_s);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorSpec {
    /// A name for documentation (`guard-1`, `intruder-a`).
    pub name: String,
    /// Class.
    pub class: ObjectClass,
    /// When it appears, seconds.
    pub start_s: f64,
    /// Where it appears, metres.
    pub start_m: [f64; 2],
    /// Its route.
    pub legs: Vec<Leg>,
    /// Repeat the route (from its last point) until the scene ends.
    #[serde(default)]
    pub repeat: bool,
    /// Height, metres. A car takes its length and width from the scene's
    /// [`TrafficSpec::size_m`] (4.5 m x 1.8 m without traffic); a person
    /// from [`PeopleSpec::width_m`].
    pub height_m: f64,
}

/// A true incident to record in `incidents.jsonl`: it lasts from the first
/// to the last moment any of `actors` is inside `region`.
///
/// (`hall` below, hidden: a 20 m x 10 m area seen by one 1280x720 camera
/// named `cam`, 4 m up on its south side, at 10 Hz; nobody in it yet.)
///
/// ```
/// # use fusetrack::sim as sim_;
/// # let hall = sim_::SceneSpec {
/// #     name: "hall".into(), seed: 1, duration_s: 10.0,
/// #     area: sim_::Rect::new([0.0, 0.0], [20.0, 10.0]), ground_truth_hz: 10.0, walls_m: vec![],
/// #     rig: sim_::RigSpec::LookAt(vec![sim_::LookAtSpec { name: "cam".into(),
/// #         image_size_px: [1280, 720], focal_px: 800.0, position_m: [10.0, -8.0, 4.0],
/// #         target_m: [10.0, 5.0, 0.0] }]),
/// #     sensors: vec![sim_::SensorSpec::digital("cam", 10.0)],
/// #     people: sim_::PeopleSpec::default(), crowd: None, traffic: None, actors: vec![],
/// #     incidents: vec![],
/// # };
/// # let walker = |from: [f64; 2], to: [f64; 2]| sim_::ActorSpec {
/// #     name: "walker".into(), class: sim_::ObjectClass::Person, start_s: 0.0, start_m: from,
/// #     legs: vec![sim_::Leg::new(to, 1.6)], repeat: false, height_m: 1.75,
/// # };
/// use fusetrack::sim::{simulate, IncidentSpec, Rect};
/// let mut spec = hall.clone();
/// // Walking east along y = 5 at 1.6 m/s, through the middle strip x = 8..12 m.
/// spec.actors = vec![walker([2.0, 5.0], [18.0, 5.0])];
/// spec.incidents = vec![IncidentSpec {
///     kind: "intrusion".into(),
///     actors: vec![0],
///     region: Rect::new([8.0, 0.0], [12.0, 10.0]),
///     zone: Some("middle".into()),
/// }];
/// let scene = simulate(&spec)?;
/// let i = &scene.incidents[0];
/// assert_eq!((i.kind.as_str(), i.ids.as_slice(), i.zone.as_deref()), ("intrusion", &[1][..], Some("middle")));
/// // In at about (8 - 2) / 1.6 = 3.75 s, out at about (12 - 2) / 1.6 = 6.25 s.
/// assert!((i.t_s - 3.75).abs() < 0.2 && (i.until_s - 6.25).abs() < 0.2, "{i:?}");
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentSpec {
    /// `kind` as written (`intrusion`).
    pub kind: String,
    /// Indices into [`SceneSpec::actors`].
    pub actors: Vec<usize>,
    /// The region whose occupation is the incident.
    pub region: Rect,
    /// `zone` as written.
    pub zone: Option<String>,
}

/// A complete description of a simulated scene. Same spec (seed included)
/// => byte-identical files, on the same platform.
///
/// ```
/// use fusetrack::sim::SceneSpec;
/// let s = SceneSpec::museum();
/// assert_eq!(s.name, "museum");
/// let json = serde_json::to_string(&s).unwrap();
/// let back: SceneSpec = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, s);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneSpec {
    /// Scene name.
    pub name: String,
    /// Seed of every random draw.
    pub seed: u64,
    /// Length of the scene, seconds (capture times in `[0, duration_s)`).
    pub duration_s: f64,
    /// The scene area: ground truth is written for objects inside it (and
    /// for objects outside it that a camera can see), and false positives
    /// are placed in it.
    pub area: Rect,
    /// Ground-truth rate, Hz.
    pub ground_truth_hz: f64,
    /// Walls (segments `[[x0, y0], [x1, y1]]`, metres) that block the view.
    #[serde(default)]
    pub walls_m: Vec<[[f64; 2]; 2]>,
    /// The cameras.
    pub rig: RigSpec,
    /// One per camera that produces detections.
    pub sensors: Vec<SensorSpec>,
    /// People's sizes and gait.
    #[serde(default)]
    pub people: PeopleSpec,
    /// Ambient pedestrians.
    pub crowd: Option<CrowdSpec>,
    /// Vehicles.
    pub traffic: Option<TrafficSpec>,
    /// Scripted objects; their ids are `1..=actors.len()` in this order.
    #[serde(default)]
    pub actors: Vec<ActorSpec>,
    /// True incidents to record.
    #[serde(default)]
    pub incidents: Vec<IncidentSpec>,
}
