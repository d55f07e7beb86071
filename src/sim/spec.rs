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
    /// A rectangle from two corners.
    pub fn new(min_m: [f64; 2], max_m: [f64; 2]) -> Self {
        Self { min_m, max_m }
    }
    /// True when `p` lies inside or on the border.
    pub fn contains(&self, p: [f64; 2]) -> bool {
        p[0] >= self.min_m[0]
            && p[0] <= self.max_m[0]
            && p[1] >= self.min_m[1]
            && p[1] <= self.max_m[1]
    }
}

/// Where the cameras come from.
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

/// A camera placed at `position_m` and aimed at `target_m`.
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
    /// A good digital camera: p_detect 0.9, 2.5 px noise, 0.1 ± 0.03 s latency.
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
    /// Sets the phase of the first frame.
    pub fn with_phase(mut self, phase_s: f64) -> Self {
        self.phase_s = phase_s;
        self
    }
    /// Sets the latency mean and jitter.
    pub fn with_latency(mut self, mean_s: f64, jitter_s: f64) -> Self {
        self.latency_s = mean_s;
        self.latency_jitter_s = jitter_s;
        self
    }
    /// Sets the pixel noise.
    pub fn with_pixel_noise(mut self, px: f64) -> Self {
        self.pixel_noise_px = px;
        self
    }
    /// Adds an outage `[from, to)`.
    pub fn with_outage(mut self, from_s: f64, to_s: f64) -> Self {
        self.outages_s.push([from_s, to_s]);
        self
    }
}

/// Sizes and gait of people.
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

/// Ambient pedestrians, kept at about `count` in the scene.
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

/// A scripted object (a guard on rounds, an intruder).
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
    /// Height, metres.
    pub height_m: f64,
}

/// A true incident to record in `incidents.jsonl`: it lasts from the first
/// to the last moment any of `actors` is inside `region`.
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
    /// The scene area: ground truth is written for objects inside it, and
    /// false positives are placed in it.
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
