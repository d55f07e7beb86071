//! Tracker configuration: every parameter in seconds and metres.
//!
//! The defaults are derived from the physics of walking people and from
//! sensor noise, not tuned to any scene; each field says where its default
//! comes from. Cameras run at different rates (2 to 30 Hz) and rates vary,
//! so nothing is counted in frames.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::motion::MotionModel;

/// How detections are assigned to tracks within one camera frame.
///
/// ```
/// use fusetrack::AssociationMethod;
/// let m: AssociationMethod = serde_json::from_str("\"greedy\"").unwrap();
/// assert_eq!(m, AssociationMethod::Greedy);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AssociationMethod {
    /// Global nearest neighbour: the optimal assignment (shortest augmenting
    /// path) within each connected component of the gate graph.
    #[default]
    Optimal,
    /// Greedy nearest neighbour: repeatedly take the cheapest gated pair.
    Greedy,
}

/// Configuration of a [`Tracker`](crate::Tracker).
///
/// Deserialise from JSON (unknown fields are refused; absent fields take
/// their defaults), then call [`TrackerConfig::validate`] (the tracker does).
///
/// ```
/// use fusetrack::TrackerConfig;
/// let c: TrackerConfig = serde_json::from_str(r#"{"confirm_hits": 4}"#).unwrap();
/// assert_eq!(c.confirm_hits, 4);
/// assert_eq!(c.gate_probability, TrackerConfig::default().gate_probability);
/// assert!(serde_json::from_str::<TrackerConfig>(r#"{"confirm_hitz": 4}"#).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct TrackerConfig {
    /// Model of people (and of detections without a class).
    pub person: ObjectModel,
    /// Model of vehicles: detections whose `class` is in `vehicle_classes`.
    pub vehicle: ObjectModel,
    /// Detector classes that are vehicles (compared without regard to case).
    /// Default: `car`, `truck`, `bus`, `van`, `vehicle`, `motorcycle`.
    pub vehicle_classes: Vec<String>,
    /// Pixel noise (standard deviation of a box's ground contact point) for
    /// cameras whose `pixel_noise` is not given, as a fraction of the box
    /// height. Default 0.03: a detector places the feet of a 100 px tall
    /// person within about 3 px, and the error grows with the box.
    pub default_pixel_noise_per_box_height: f64,
    /// Lower bound on that pixel noise, px. Default 1.0.
    pub min_pixel_noise_px: f64,
    /// Standard deviation added on each ground axis to every camera
    /// measurement, metres. Default 0.15: the bottom centre of a box is not
    /// the centre of a person's footprint (shoulder width about 0.45 m, feet
    /// apart while walking), and calibrations are never exact.
    pub ground_noise_floor_m: f64,
    /// Standard deviation of a world sensor's position when the detection
    /// carries no `world_cov`, metres. Default 0.3.
    pub world_sensor_std_m: f64,
    /// A detection whose ground position is more uncertain than this
    /// (largest standard deviation, metres) updates tracks but never starts
    /// one, nor counts towards confirming one: far away at a grazing angle
    /// a few pixels are metres on the ground, too vague to tell one person
    /// from the next. Default 1.0 m, about the spacing of people walking
    /// together.
    pub max_birth_std_m: f64,
    /// Probability that a true measurement falls inside the gate. The gate
    /// is the chi-square quantile with 2 degrees of freedom,
    /// `-2 ln(1 - p)`. Default 0.999 (gate 13.8).
    pub gate_probability: f64,
    /// Assignment method.
    pub association: AssociationMethod,
    /// Hits needed to confirm a tentative track (detections localised within
    /// `max_birth_std_m`). Default 3.
    pub confirm_hits: u32,
    /// The hits that confirm a track must fall within this many seconds.
    /// Default 1.5: three detections from a camera throttled to 2 Hz span
    /// 1 s, with room for one miss at faster rates.
    pub confirm_window_s: f64,
    /// A tentative track not updated for this long is dropped, seconds.
    /// Default 1.0 (two frame intervals at 2 Hz).
    pub tentative_timeout_s: f64,
    /// A confirmed track not updated for this long is reported lost and
    /// coasts, seconds. Default 0.6 (a little more than one frame at 2 Hz).
    pub coast_after_s: f64,
    /// A track unobserved this long while its predicted position is inside
    /// the coverage of a live camera is ended, seconds. Default 2.5: at
    /// 2 Hz that is four frames missed in a row.
    pub delete_after_in_coverage_s: f64,
    /// A track unobserved this long while outside every camera's coverage
    /// (walking through a blind spot between cameras) is ended, seconds.
    /// Default 6.0: a walker crosses about 8 m of blind spot.
    pub delete_after_out_of_coverage_s: f64,
    /// A coasting track whose position uncertainty exceeds this (largest
    /// standard deviation, metres) is ended whatever the time. Default 5.0:
    /// beyond that a new detection could as well be anybody.
    pub max_position_std_m: f64,
    /// Two tracks are candidates for merging when their positions are
    /// compatible at this chi-square probability (2 degrees of freedom).
    /// Default 0.95.
    pub merge_probability: f64,
    /// Two confirmed tracks that stay compatible for this long, fed by
    /// different cameras, are merged into the older one, seconds. A
    /// tentative track compatible with a confirmed one is absorbed at once.
    /// Default 0.5.
    pub merge_after_s: f64,
    /// Largest distance for a merge, metres. Default 1.0 (two people cannot
    /// stand closer than about 0.4 m, and calibration bias between cameras
    /// is usually below half a metre).
    pub merge_max_distance_m: f64,
    /// A camera counts as contributing to a track if it updated it within
    /// this many seconds. Default 1.0.
    pub contribution_window_s: f64,
    /// The reorder buffer holds a frame until the arrival clock is this many
    /// seconds past its capture time, so that the frames of cameras with
    /// ordinary network latency are processed in capture order. Default 0.2:
    /// a digital camera's detections arrive within 0.1-0.2 s. Frames later
    /// than that (an analog camera a second behind) do not hold everybody
    /// back: they are handled by `late_policy`.
    pub max_lateness_s: f64,
    /// At most this many detections are taken from one camera frame; more
    /// are counted and dropped, so that a camera gone haywire (or flooded
    /// by a broken detector) cannot starve the others. Default 10 000: a
    /// crowded HD frame holds a few hundred people, a world sensor covering
    /// a whole square a few thousand.
    pub max_detections_per_frame: u32,
    /// What to do with a detection whose capture time has already been
    /// processed.
    pub late_policy: LatePolicy,
    /// Performance only, results do not depend on it: from this many
    /// tracks on, a time step with several camera frames indexes the tracks
    /// once, so that each frame looks only at the tracks near it. Default 512.
    pub step_index_min_tracks: usize,
    /// Out-of-sequence measurements older than this (capture time before the
    /// latest processed time minus this) are counted and not used, seconds.
    /// Default 2.0: analog links deliver within about a second.
    pub max_oosm_age_s: f64,
    /// Updates kept per track for exact out-of-sequence processing. Default
    /// 64: at 50 updates per second (two 25 Hz cameras) that covers more
    /// than a second; about 3 KB per track.
    pub oosm_history_len: u32,
    /// A camera that sends nothing (not even empty-frame markers) for this
    /// many of its frame intervals is reported down. Default 4.
    pub camera_down_after_frames: f64,
    /// ... and for at least this many seconds (so that a 25 Hz camera's
    /// jitter does not flap). Default 1.0.
    pub camera_down_min_s: f64,
    /// A camera whose detections lead or lag the tracks as if its clock were
    /// off by more than this is reported, seconds. Default 0.15: more than a
    /// frame at 10 Hz, and 0.2 m for a walker.
    pub clock_offset_alarm_s: f64,
}

/// What happens to a detection that arrives after its capture time has been
/// processed.
///
/// ```
/// use fusetrack::LatePolicy;
/// assert_eq!(LatePolicy::default(), LatePolicy::OutOfSequence);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LatePolicy {
    /// Count it and drop it.
    Drop,
    /// Apply it as an out-of-sequence measurement: associate it against the
    /// tracks as they were at its capture time, and replay each assigned
    /// track's filter from a short stored history with the measurement in
    /// its place (exact: the same result as in-order processing). A late
    /// detection that matches no track starts one, predicted to the present.
    /// Tracks keep that history from the start when some camera's stated
    /// `latency` exceeds `max_lateness_s`, otherwise from the first late
    /// detection on (a detection older than a track's history is treated
    /// as unmatched for that track).
    #[default]
    OutOfSequence,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        Self {
            person: ObjectModel::person(),
            vehicle: ObjectModel::vehicle(),
            vehicle_classes: ["car", "truck", "bus", "van", "vehicle", "motorcycle"]
                .map(String::from)
                .to_vec(),
            default_pixel_noise_per_box_height: 0.03,
            min_pixel_noise_px: 1.0,
            ground_noise_floor_m: 0.15,
            world_sensor_std_m: 0.3,
            max_birth_std_m: 1.0,
            gate_probability: 0.999,
            association: AssociationMethod::Optimal,
            confirm_hits: 3,
            confirm_window_s: 1.5,
            tentative_timeout_s: 1.0,
            coast_after_s: 0.6,
            delete_after_in_coverage_s: 2.5,
            delete_after_out_of_coverage_s: 6.0,
            max_position_std_m: 5.0,
            merge_probability: 0.95,
            merge_after_s: 0.5,
            merge_max_distance_m: 1.0,
            contribution_window_s: 1.0,
            max_lateness_s: 0.2,
            max_detections_per_frame: 10_000,
            late_policy: LatePolicy::OutOfSequence,
            step_index_min_tracks: 512,
            max_oosm_age_s: 2.0,
            oosm_history_len: 64,
            camera_down_after_frames: 4.0,
            camera_down_min_s: 1.0,
            clock_offset_alarm_s: 0.15,
        }
    }
}

/// The two kinds of object the tracker models differently.
///
/// ```
/// use fusetrack::{ObjectKind, TrackerConfig};
/// let c = TrackerConfig::default();
/// assert_eq!(c.kind_of(Some("Car")), ObjectKind::Vehicle);
/// assert_eq!(c.kind_of(Some("person")), ObjectKind::Person);
/// assert_eq!(c.kind_of(None), ObjectKind::Person);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ObjectKind {
    /// People, and anything the detector did not classify.
    Person,
    /// Cars, trucks, buses, ...
    Vehicle,
}

impl ObjectKind {
    /// Every kind, in a fixed order: for per-kind tables and loops over the
    /// models of a configuration.
    ///
    /// ```
    /// use fusetrack::{ObjectKind, TrackerConfig};
    /// let c = TrackerConfig::default();
    /// let gates: Vec<f64> = ObjectKind::ALL.iter().map(|&k| c.model(k).max_gate_radius_m).collect();
    /// assert_eq!(gates, [5.0, 15.0]); // person, then vehicle
    /// ```
    pub const ALL: [ObjectKind; 2] = [ObjectKind::Person, ObjectKind::Vehicle];
}

/// How one kind of object moves and how its box relates to its position.
///
/// ```
/// use fusetrack::ObjectModel;
/// let car = ObjectModel::vehicle();
/// // The box's bottom centre is, on average over headings, (L + W) / π
/// // nearer the camera than the vehicle's centre.
/// assert!((car.foot_offset_m() - (4.5 + 1.8) / std::f64::consts::PI).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ObjectModel {
    /// Motion model.
    pub motion: MotionModel,
    /// Standard deviation of the velocity of a newborn track, m/s, per axis.
    pub initial_velocity_std_m_per_s: f64,
    /// Footprint on the ground, `[length, width]`, metres. The bottom
    /// centre of an image box is where the object's nearest edge meets the
    /// ground, not its centre: the measurement is moved away from the
    /// camera by the mean half-depth `(L + W) / π` (the mean over headings
    /// of half the extent along the line of sight) and its variance along
    /// the line of sight grows by that half-depth's variance
    /// `(L² + W²)/8 + L W/(2π) - ((L + W)/π)²`.
    pub footprint_m: [f64; 2],
    /// No detection farther than this from a track's predicted position is
    /// considered for it, metres, whatever the covariances.
    pub max_gate_radius_m: f64,
}

impl Default for ObjectModel {
    fn default() -> Self {
        Self::person()
    }
}

impl ObjectModel {
    /// People: constant velocity with acceleration noise 0.5 m²/s³ (see
    /// [`crate::motion`]); newborn velocity standard deviation 1.5 m/s
    /// (walking speed is about 1.3 m/s in any direction, so up to about
    /// 3 m/s lies within two sigma); no footprint offset, because a person's
    /// position is conventionally the ground point under the box's bottom
    /// centre (as in the WILDTRACK and MOTChallenge annotations); gate capped at
    /// 5 m (a walker covers 1.5 m in a second; the cap bounds the search for
    /// tracks that coasted long).
    ///
    /// ```
    /// use fusetrack::{MotionModel, ObjectModel};
    /// let p = ObjectModel::person();
    /// assert_eq!(p, ObjectModel::default());
    /// assert_eq!(p.foot_offset_m(), 0.0); // the box's foot point is the position
    /// // Velocity drift over one second: sqrt(q dt) = sqrt(0.5) ≈ 0.7 m/s.
    /// let q = p.motion.process_noise(1.0);
    /// assert!((q[(2, 2)].sqrt() - 0.5f64.sqrt()).abs() < 1e-12);
    /// assert_eq!(p.motion, MotionModel::default());
    /// ```
    pub fn person() -> Self {
        Self {
            motion: MotionModel::default(),
            initial_velocity_std_m_per_s: 1.5,
            footprint_m: [0.0, 0.0],
            max_gate_radius_m: 5.0,
        }
    }

    /// Vehicles: acceleration noise 4 m²/s³ (braking or turning at a few
    /// m/s² changes the velocity by 2 m/s within a second); newborn velocity
    /// standard deviation 7 m/s (urban speeds up to 14 m/s, 50 km/h, within
    /// two sigma); footprint 4.5 m x 1.8 m (a car); gate capped at 15 m
    /// (a car at 14 m/s seen by a camera throttled to 2 Hz moves 7 m
    /// between frames).
    ///
    /// ```
    /// use fusetrack::ObjectModel;
    /// let car = ObjectModel::vehicle();
    /// // Velocity drift over one second: sqrt(q dt) = sqrt(4) = 2 m/s.
    /// let q = car.motion.process_noise(1.0);
    /// assert!((q[(2, 2)].sqrt() - 2.0).abs() < 1e-12);
    /// // The gate cap covers half a second at 50 km/h with room to spare.
    /// assert!(car.max_gate_radius_m > 50.0 / 3.6 * 0.5);
    /// assert_eq!(car.footprint_m, [4.5, 1.8]);
    /// ```
    pub fn vehicle() -> Self {
        Self {
            motion: MotionModel::ConstantVelocity { accel_psd_m2_per_s3: 4.0 },
            initial_velocity_std_m_per_s: 7.0,
            footprint_m: [4.5, 1.8],
            max_gate_radius_m: 15.0,
        }
    }

    /// Mean distance from the box's ground contact point to the object's
    /// centre along the line of sight, metres: `(L + W) / π`.
    ///
    /// Seen at heading `θ`, an `L x W` rectangle extends
    /// `L |cos θ| + W |sin θ|` along the line of sight; half of that,
    /// averaged over all headings, is `(L + W) / π`.
    ///
    /// ```
    /// use fusetrack::ObjectModel;
    /// let car = ObjectModel::vehicle();
    /// let [l, w] = car.footprint_m;
    /// // Average the half-depth over 3600 headings.
    /// let n = 3600;
    /// let mean = (0..n)
    ///     .map(|i| {
    ///         let th = (i as f64 + 0.5) * std::f64::consts::TAU / n as f64;
    ///         0.5 * (l * th.cos().abs() + w * th.sin().abs())
    ///     })
    ///     .sum::<f64>()
    ///     / n as f64;
    /// assert!((car.foot_offset_m() - mean).abs() < 1e-6);
    /// assert!((car.foot_offset_m() - 2.005).abs() < 1e-3); // about 2 m for a car
    /// ```
    pub fn foot_offset_m(&self) -> f64 {
        (self.footprint_m[0] + self.footprint_m[1]) / std::f64::consts::PI
    }

    /// Variance over headings of that distance, m²:
    /// `(L² + W²)/8 + L W/(2π) - ((L + W)/π)²` (see
    /// [`ObjectModel::footprint_m`]). It is added to the measurement
    /// variance along the line of sight.
    ///
    /// ```
    /// use fusetrack::ObjectModel;
    /// let car = ObjectModel::vehicle();
    /// let [l, w] = car.footprint_m;
    /// // Variance of the half-depth over 3600 headings.
    /// let n = 3600;
    /// let depths: Vec<f64> = (0..n)
    ///     .map(|i| {
    ///         let th = (i as f64 + 0.5) * std::f64::consts::TAU / n as f64;
    ///         0.5 * (l * th.cos().abs() + w * th.sin().abs())
    ///     })
    ///     .collect();
    /// let mean = depths.iter().sum::<f64>() / n as f64;
    /// let var = depths.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / n as f64;
    /// assert!((car.foot_offset_var_m2() - var).abs() < 1e-6);
    /// // A person has no footprint: no offset, no extra variance.
    /// assert_eq!(ObjectModel::person().foot_offset_var_m2(), 0.0);
    /// ```
    pub fn foot_offset_var_m2(&self) -> f64 {
        let [l, w] = self.footprint_m;
        let mean = self.foot_offset_m();
        ((l * l + w * w) / 8.0 + l * w / (2.0 * std::f64::consts::PI) - mean * mean).max(0.0)
    }

    fn validate(&self, name: &str) -> Result<()> {
        self.motion.validate().map_err(|e| match e {
            Error::Config { field, reason } => {
                Error::Config { field: format!("{name}.{field}"), reason }
            }
            other => other,
        })?;
        for (field, v) in [
            ("initial_velocity_std_m_per_s", self.initial_velocity_std_m_per_s),
            ("max_gate_radius_m", self.max_gate_radius_m),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::Config {
                    field: format!("{name}.{field}"),
                    reason: format!("must be a positive number, got {v}"),
                });
            }
        }
        if !self.footprint_m.iter().all(|v| v.is_finite() && *v >= 0.0) {
            return Err(Error::Config {
                field: format!("{name}.footprint_m"),
                reason: "must be two numbers >= 0".into(),
            });
        }
        Ok(())
    }
}

/// Chi-square quantile with 2 degrees of freedom: `-2 ln(1 - p)`.
///
/// ```
/// use fusetrack::config::chi2_2dof_quantile;
/// assert!((chi2_2dof_quantile(0.99) - 9.2103).abs() < 1e-4);
/// ```
pub fn chi2_2dof_quantile(p: f64) -> f64 {
    -2.0 * (1.0 - p).ln()
}

impl TrackerConfig {
    /// Loads a configuration from a JSON string.
    ///
    /// # Errors
    /// [`Error::Malformed`] for JSON that does not parse or names an unknown
    /// field; [`Error::Config`] for a value out of range.
    ///
    /// ```
    /// use fusetrack::TrackerConfig;
    /// assert!(TrackerConfig::from_json_str(r#"{"max_lateness_s": -1}"#).is_err());
    /// ```
    pub fn from_json_str(json: &str) -> Result<Self> {
        let c: TrackerConfig = serde_json::from_str(json).map_err(|e| Error::Malformed {
            at: crate::error::Location::none(),
            reason: e.to_string(),
        })?;
        c.validate()?;
        Ok(c)
    }

    /// The kind of object a detector class names: [`ObjectKind::Vehicle`]
    /// if the class is in [`TrackerConfig::vehicle_classes`] (ignoring
    /// case), otherwise (and for no class) [`ObjectKind::Person`].
    ///
    /// ```
    /// use fusetrack::{ObjectKind, TrackerConfig};
    /// let mut c = TrackerConfig::default();
    /// assert_eq!(c.kind_of(Some("BUS")), ObjectKind::Vehicle);
    /// assert_eq!(c.kind_of(Some("bicycle")), ObjectKind::Person);
    /// c.vehicle_classes.push("bicycle".into());
    /// assert_eq!(c.kind_of(Some("Bicycle")), ObjectKind::Vehicle);
    /// ```
    pub fn kind_of(&self, class: Option<&str>) -> ObjectKind {
        match class {
            Some(c) if self.vehicle_classes.iter().any(|v| v.eq_ignore_ascii_case(c)) => {
                ObjectKind::Vehicle
            }
            _ => ObjectKind::Person,
        }
    }

    /// The model of a kind of object: [`TrackerConfig::person`] or
    /// [`TrackerConfig::vehicle`].
    ///
    /// ```
    /// use fusetrack::{ObjectKind, TrackerConfig};
    /// let c = TrackerConfig::default();
    /// assert_eq!(c.model(ObjectKind::Vehicle).footprint_m, [4.5, 1.8]);
    /// assert_eq!(c.model(c.kind_of(None)), &c.person);
    /// ```
    pub fn model(&self, kind: ObjectKind) -> &ObjectModel {
        match kind {
            ObjectKind::Vehicle => &self.vehicle,
            _ => &self.person,
        }
    }

    /// Gate threshold on the squared Mahalanobis distance between a
    /// detection and a track's predicted measurement:
    /// [`chi2_2dof_quantile`] of [`TrackerConfig::gate_probability`].
    ///
    /// ```
    /// use fusetrack::TrackerConfig;
    /// let c = TrackerConfig::default();
    /// assert!((c.gate_d2() - 13.8155).abs() < 1e-4);
    /// // A chi-square(2) variable exceeds d² with probability exp(-d²/2):
    /// // one true detection in a thousand falls outside the gate.
    /// assert!(((-c.gate_d2() / 2.0).exp() - (1.0 - c.gate_probability)).abs() < 1e-12);
    /// ```
    pub fn gate_d2(&self) -> f64 {
        chi2_2dof_quantile(self.gate_probability)
    }

    /// Merge threshold on the squared Mahalanobis distance between tracks:
    /// [`chi2_2dof_quantile`] of [`TrackerConfig::merge_probability`].
    /// Tighter than the gate, so that only tracks that really agree merge.
    ///
    /// ```
    /// use fusetrack::TrackerConfig;
    /// let c = TrackerConfig::default();
    /// assert!((c.merge_d2() - 5.9915).abs() < 1e-4); // p = 0.95
    /// assert!(c.merge_d2() < c.gate_d2());
    /// ```
    pub fn merge_d2(&self) -> f64 {
        chi2_2dof_quantile(self.merge_probability)
    }

    /// Checks every field.
    ///
    /// # Errors
    /// [`Error::Config`] naming the first field out of range.
    ///
    /// ```
    /// use fusetrack::TrackerConfig;
    /// let mut c = TrackerConfig::default();
    /// c.gate_probability = 1.0;
    /// assert!(c.validate().unwrap_err().to_string().contains("gate_probability"));
    /// ```
    pub fn validate(&self) -> Result<()> {
        self.person.validate("person")?;
        self.vehicle.validate("vehicle")?;
        let positive = [
            ("default_pixel_noise_per_box_height", self.default_pixel_noise_per_box_height),
            ("min_pixel_noise_px", self.min_pixel_noise_px),
            ("max_birth_std_m", self.max_birth_std_m),
            ("world_sensor_std_m", self.world_sensor_std_m),
            ("confirm_window_s", self.confirm_window_s),
            ("tentative_timeout_s", self.tentative_timeout_s),
            ("coast_after_s", self.coast_after_s),
            ("delete_after_in_coverage_s", self.delete_after_in_coverage_s),
            ("delete_after_out_of_coverage_s", self.delete_after_out_of_coverage_s),
            ("max_position_std_m", self.max_position_std_m),
            ("merge_max_distance_m", self.merge_max_distance_m),
            ("contribution_window_s", self.contribution_window_s),
            ("camera_down_after_frames", self.camera_down_after_frames),
            ("camera_down_min_s", self.camera_down_min_s),
            ("clock_offset_alarm_s", self.clock_offset_alarm_s),
        ];
        for (field, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::Config {
                    field: field.into(),
                    reason: format!("must be a positive number, got {v}"),
                });
            }
        }
        let non_negative = [
            ("ground_noise_floor_m", self.ground_noise_floor_m),
            ("merge_after_s", self.merge_after_s),
            ("max_lateness_s", self.max_lateness_s),
            ("max_oosm_age_s", self.max_oosm_age_s),
        ];
        for (field, v) in non_negative {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::Config {
                    field: field.into(),
                    reason: format!("must be a number >= 0, got {v}"),
                });
            }
        }
        for (field, p) in [
            ("gate_probability", self.gate_probability),
            ("merge_probability", self.merge_probability),
        ] {
            if !(p > 0.0 && p < 1.0) {
                return Err(Error::Config {
                    field: field.into(),
                    reason: format!("must be a probability strictly between 0 and 1, got {p}"),
                });
            }
        }
        if self.max_detections_per_frame == 0 {
            return Err(Error::Config {
                field: "max_detections_per_frame".into(),
                reason: "must be at least 1".into(),
            });
        }
        if self.oosm_history_len > 4096 {
            return Err(Error::Config {
                field: "oosm_history_len".into(),
                reason: format!("must be at most 4096, got {}", self.oosm_history_len),
            });
        }
        if self.confirm_hits == 0 || self.confirm_hits > 1000 {
            return Err(Error::Config {
                field: "confirm_hits".into(),
                reason: format!("must be between 1 and 1000, got {}", self.confirm_hits),
            });
        }
        Ok(())
    }
}
