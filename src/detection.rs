//! What goes into the tracker: one detection from one camera.

use serde::{Deserialize, Serialize};

use crate::ids::CameraId;

/// An axis-aligned image box `[x, y, w, h]` in pixels: top-left corner, then
/// width and height (MOTChallenge convention, image origin top-left, y down).
///
/// ```
/// use fusetrack::BBox;
/// let b = BBox { x: 100.0, y: 50.0, w: 20.0, h: 60.0 };
/// assert_eq!(b.foot_point(), [110.0, 110.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BBox {
    /// Left edge, pixels.
    pub x: f64,
    /// Top edge, pixels.
    pub y: f64,
    /// Width, pixels (> 0).
    pub w: f64,
    /// Height, pixels (> 0).
    pub h: f64,
}

impl BBox {
    /// The ground contact point: bottom centre `(x + w/2, y + h)`, pixels.
    /// This is the pixel a camera's calibration maps to the ground plane.
    ///
    /// ```
    /// use fusetrack::BBox;
    /// // A person 84 px tall whose box starts at (412, 188.5), 31 px wide.
    /// let b = BBox { x: 412.0, y: 188.5, w: 31.0, h: 84.0 };
    /// assert_eq!(b.foot_point(), [427.5, 272.5]);
    /// ```
    pub fn foot_point(&self) -> [f64; 2] {
        [self.x + 0.5 * self.w, self.y + self.h]
    }

    /// `Some(reason)` if the box is unusable: a non-finite number or a
    /// width or height that is not positive.
    ///
    /// ```
    /// use fusetrack::BBox;
    /// assert!(BBox { x: 0.0, y: 0.0, w: 0.0, h: 5.0 }.invalid_reason().is_some());
    /// assert!(BBox { x: 0.0, y: f64::NAN, w: 1.0, h: 5.0 }.invalid_reason().is_some());
    /// assert!(BBox { x: 0.0, y: 0.0, w: 1.0, h: 5.0 }.invalid_reason().is_none());
    /// ```
    pub fn invalid_reason(&self) -> Option<&'static str> {
        if !(self.x.is_finite() && self.y.is_finite() && self.w.is_finite() && self.h.is_finite()) {
            Some("box coordinates must be finite numbers")
        } else if self.w <= 0.0 || self.h <= 0.0 {
            Some("box width and height must be positive")
        } else {
            None
        }
    }
}

/// What a detection says about where the object is.
///
/// ```
/// use fusetrack::{BBox, Observation};
/// let o = Observation::BBox(BBox { x: 1.0, y: 2.0, w: 3.0, h: 4.0 });
/// assert!(!o.is_empty());
/// assert!(Observation::Empty.is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Observation {
    /// An image box, to be mapped to the ground through the camera's calibration.
    BBox(BBox),
    /// A ground position given by the sensor itself (metres), with an
    /// optional 2x2 covariance (m², row-major).
    World {
        /// `[x, y]` on the ground plane, metres.
        position_m: [f64; 2],
        /// Covariance of the position, m²; the camera's default when absent.
        cov_m2: Option<[[f64; 2]; 2]>,
    },
    /// An empty-frame marker: the camera captured a frame and saw nothing.
    Empty,
}

impl Observation {
    /// True for an empty-frame marker (a frame captured with nothing seen),
    /// false for a box or a ground position.
    ///
    /// ```
    /// use fusetrack::Observation;
    /// assert!(Observation::Empty.is_empty());
    /// let w = Observation::World { position_m: [3.0, -1.5], cov_m2: None };
    /// assert!(!w.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        matches!(self, Observation::Empty)
    }
}

/// One detection (or empty-frame marker) from one camera.
///
/// ```
/// use fusetrack::{BBox, CameraId, Detection, Observation};
/// let d = Detection::new(12.4, CameraId(0), Observation::BBox(BBox { x: 412.0, y: 188.5, w: 31.0, h: 84.0 }))
///     .with_rx(12.71);
/// assert_eq!(d.rx_s, 12.71);
/// assert_eq!(d.latency_s(), 12.71 - 12.4);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// Capture time, seconds on the shared clock.
    pub t_s: f64,
    /// Arrival time at the tracker, seconds on the same clock (`t_s` when unknown).
    pub rx_s: f64,
    /// The camera that saw it.
    pub camera: CameraId,
    /// The camera's frame number, if given.
    pub frame: Option<u64>,
    /// Where the object is, or an empty-frame marker.
    pub observation: Observation,
    /// Detector confidence in `0..=1`, if given.
    pub score: Option<f64>,
    /// Object class as the detector names it (`person`, `car`, ...), if given.
    pub class: Option<String>,
}

impl Detection {
    /// A detection captured and received at `t_s` (so zero latency), with
    /// no frame number, score or class.
    ///
    /// ```
    /// use fusetrack::{CameraId, Detection, Observation};
    /// let d = Detection::new(4.0, CameraId(1), Observation::Empty);
    /// assert_eq!(d.rx_s, 4.0);
    /// assert_eq!(d.latency_s(), 0.0);
    /// assert_eq!((d.frame, d.score, d.class), (None, None, None));
    /// ```
    pub fn new(t_s: f64, camera: CameraId, observation: Observation) -> Self {
        Self { t_s, rx_s: t_s, camera, frame: None, observation, score: None, class: None }
    }
    /// Sets the arrival time, seconds on the shared clock; the capture time
    /// is left as it is.
    ///
    /// ```
    /// use fusetrack::{CameraId, Detection, Observation};
    /// let d = Detection::new(10.0, CameraId(0), Observation::Empty).with_rx(10.25);
    /// assert_eq!((d.t_s, d.rx_s), (10.0, 10.25));
    /// ```
    pub fn with_rx(mut self, rx_s: f64) -> Self {
        self.rx_s = rx_s;
        self
    }
    /// Sets the detector score (confidence in `0..=1`).
    ///
    /// ```
    /// use fusetrack::{CameraId, Detection, Observation};
    /// let d = Detection::new(0.0, CameraId(0), Observation::Empty).with_score(0.87);
    /// assert_eq!(d.score, Some(0.87));
    /// ```
    pub fn with_score(mut self, score: f64) -> Self {
        self.score = Some(score);
        self
    }
    /// Sets the camera's frame number.
    ///
    /// ```
    /// use fusetrack::{CameraId, Detection, Observation};
    /// // Frame 250 of a 25 fps camera is captured at 10 s.
    /// let d = Detection::new(250.0 / 25.0, CameraId(0), Observation::Empty).with_frame(250);
    /// assert_eq!(d.frame, Some(250));
    /// assert_eq!(d.t_s, 10.0);
    /// ```
    pub fn with_frame(mut self, frame: u64) -> Self {
        self.frame = Some(frame);
        self
    }
    /// Sets the object class as the detector names it (`person`, `car`, ...).
    ///
    /// ```
    /// use fusetrack::{CameraId, Detection, Observation};
    /// let d = Detection::new(0.0, CameraId(0), Observation::Empty).with_class("car");
    /// assert_eq!(d.class.as_deref(), Some("car"));
    /// ```
    pub fn with_class(mut self, class: impl Into<String>) -> Self {
        self.class = Some(class.into());
        self
    }
    /// Arrival minus capture time, seconds: how late the detection reached
    /// the tracker.
    ///
    /// ```
    /// use fusetrack::{CameraId, Detection, Observation};
    /// let d = Detection::new(2.0, CameraId(0), Observation::Empty).with_rx(2.5);
    /// assert_eq!(d.latency_s(), 0.5);
    /// ```
    pub fn latency_s(&self) -> f64 {
        self.rx_s - self.t_s
    }
}
