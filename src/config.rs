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
    /// Motion model of the tracks. Default: constant velocity with
    /// acceleration noise 1 m²/s³ (see [`crate::motion`]).
    pub motion: MotionModel,
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
    /// Standard deviation of the velocity of a newborn track, m/s, per axis.
    /// Default 1.5: walking speed is about 1.3 m/s in any direction, so a
    /// person walking up to about 3 m/s lies within two sigma.
    pub initial_velocity_std_m_per_s: f64,
    /// Probability that a true measurement falls inside the gate. The gate
    /// is the chi-square quantile with 2 degrees of freedom,
    /// `-2 ln(1 - p)`. Default 0.999 (gate 13.8).
    pub gate_probability: f64,
    /// No detection farther than this from a track's predicted position is
    /// considered for it, metres, whatever the covariances. Default 5.0:
    /// a walker covers about 1.5 m in a second; this bounds the search for
    /// tracks that have coasted a long time.
    pub max_gate_radius_m: f64,
    /// Assignment method.
    pub association: AssociationMethod,
    /// Hits needed to confirm a tentative track. Default 3.
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
    /// standard deviation, metres) is ended whatever the time. Default 4.0.
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
    /// seconds past its capture time, so that slower cameras' frames of the
    /// same instant are processed in capture order. Detections arriving
    /// later than that are counted and reported, not used. Default 1.0: an
    /// analog link delivers within about a second.
    pub max_lateness_s: f64,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        Self {
            motion: MotionModel::default(),
            default_pixel_noise_per_box_height: 0.03,
            min_pixel_noise_px: 1.0,
            ground_noise_floor_m: 0.15,
            world_sensor_std_m: 0.3,
            initial_velocity_std_m_per_s: 1.5,
            gate_probability: 0.999,
            max_gate_radius_m: 5.0,
            association: AssociationMethod::Optimal,
            confirm_hits: 3,
            confirm_window_s: 1.5,
            tentative_timeout_s: 1.0,
            coast_after_s: 0.6,
            delete_after_in_coverage_s: 2.5,
            delete_after_out_of_coverage_s: 6.0,
            max_position_std_m: 4.0,
            merge_probability: 0.95,
            merge_after_s: 0.5,
            merge_max_distance_m: 1.0,
            contribution_window_s: 1.0,
            max_lateness_s: 1.0,
        }
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

    /// Gate threshold on the squared Mahalanobis distance.
    pub fn gate_d2(&self) -> f64 {
        chi2_2dof_quantile(self.gate_probability)
    }

    /// Merge threshold on the squared Mahalanobis distance between tracks.
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
        self.motion.validate()?;
        let positive = [
            ("default_pixel_noise_per_box_height", self.default_pixel_noise_per_box_height),
            ("min_pixel_noise_px", self.min_pixel_noise_px),
            ("world_sensor_std_m", self.world_sensor_std_m),
            ("initial_velocity_std_m_per_s", self.initial_velocity_std_m_per_s),
            ("max_gate_radius_m", self.max_gate_radius_m),
            ("confirm_window_s", self.confirm_window_s),
            ("tentative_timeout_s", self.tentative_timeout_s),
            ("coast_after_s", self.coast_after_s),
            ("delete_after_in_coverage_s", self.delete_after_in_coverage_s),
            ("delete_after_out_of_coverage_s", self.delete_after_out_of_coverage_s),
            ("max_position_std_m", self.max_position_std_m),
            ("merge_max_distance_m", self.merge_max_distance_m),
            ("contribution_window_s", self.contribution_window_s),
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
        if self.confirm_hits == 0 || self.confirm_hits > 1000 {
            return Err(Error::Config {
                field: "confirm_hits".into(),
                reason: format!("must be between 1 and 1000, got {}", self.confirm_hits),
            });
        }
        Ok(())
    }
}
