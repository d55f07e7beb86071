//! Points in the two frames that meet in camera geometry, and why a pixel
//! may fail to reach the ground.

use nalgebra::{Matrix2, Vector2};
use serde::{Deserialize, Serialize};

/// A point in an image, in pixels: origin at the top-left corner of the
/// top-left pixel, x to the right, y down.
///
/// Whether it is a raw (distorted) or an undistorted pixel is said by the
/// function that takes or returns it; [`Camera::image_to_ground`](crate::geometry::Camera::image_to_ground)
/// takes raw pixels, as detectors report them.
///
/// ```
/// use fusetrack::geometry::PixelPoint;
/// let p = PixelPoint { x: 960.0, y: 540.0 };
/// assert_eq!(p.x, 960.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PixelPoint {
    /// Column, pixels, to the right.
    pub x: f64,
    /// Row, pixels, downwards.
    pub y: f64,
}

/// A point on the ground plane z = 0 of the world frame, in metres.
///
/// ```
/// use fusetrack::geometry::GroundPoint;
/// let g = GroundPoint { x: 3.5, y: -1.25 };
/// assert_eq!(g.to_array(), [3.5, -1.25]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroundPoint {
    /// East-ish coordinate, metres.
    pub x: f64,
    /// North-ish coordinate, metres.
    pub y: f64,
}

impl GroundPoint {
    /// `[x, y]`, metres.
    ///
    /// ```
    /// use fusetrack::geometry::GroundPoint;
    /// assert_eq!(GroundPoint { x: 1.0, y: 2.0 }.to_array(), [1.0, 2.0]);
    /// ```
    pub fn to_array(self) -> [f64; 2] {
        [self.x, self.y]
    }

    /// As an nalgebra vector, metres.
    ///
    /// ```
    /// use fusetrack::geometry::GroundPoint;
    /// assert_eq!(GroundPoint { x: 1.0, y: 2.0 }.to_vector()[1], 2.0);
    /// ```
    pub fn to_vector(self) -> Vector2<f64> {
        Vector2::new(self.x, self.y)
    }
}

/// A ground position measured by a camera, with its uncertainty.
///
/// `position` is in metres on the ground plane, `cov` its 2x2 covariance in
/// m², symmetric positive semi-definite. Built by
/// [`Camera::measure_foot_point`](crate::geometry::Camera::measure_foot_point).
///
/// ```
/// use fusetrack::geometry::GroundMeasurement;
/// use nalgebra::{Matrix2, Vector2};
/// let m = GroundMeasurement { position: Vector2::new(1.0, 2.0), cov: Matrix2::identity() * 0.04 };
/// assert_eq!(m.cov[(0, 0)], 0.04);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroundMeasurement {
    /// Ground position, metres.
    pub position: Vector2<f64>,
    /// Covariance of `position`, m².
    pub cov: Matrix2<f64>,
}

/// Why an image point cannot be placed on the ground.
///
/// `Copy` and allocation-free so that the per-detection path never allocates;
/// the tracker turns it into an [`Error::Unprojectable`](crate::Error::Unprojectable)
/// with the file, line and camera when it must report it.
///
/// ```
/// use fusetrack::geometry::Unprojectable;
/// assert_eq!(Unprojectable::AboveHorizon.to_string(), "the viewing ray does not meet the ground in front of the camera (point above the horizon)");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unprojectable {
    /// The camera has no image calibration (a world sensor sent a box).
    NoCalibration,
    /// The viewing ray is parallel to the ground or rises: it never meets the
    /// ground in front of the camera. For a homography camera: the
    /// homogeneous coordinate `w` of `H p` is not positive.
    AboveHorizon,
    /// The point would lie behind the camera. Not produced by
    /// [`Camera::image_to_ground`](crate::geometry::Camera::image_to_ground)
    /// for validated cameras (every pixel's ray points forward); kept for
    /// callers that project other points.
    BehindCamera,
    /// An input or an intermediate value is NaN or infinite, or the
    /// undistortion iteration did not converge.
    NonFinite,
    /// The mapping is singular at that point: the Jacobian of image to ground
    /// is (numerically) singular, or the pixel lies beyond the radius where
    /// the lens distortion model folds back on itself.
    Degenerate,
}

impl std::fmt::Display for Unprojectable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unprojectable::NoCalibration => "the camera has no image calibration (world sensor)",
            Unprojectable::AboveHorizon => {
                "the viewing ray does not meet the ground in front of the camera (point above the horizon)"
            }
            Unprojectable::BehindCamera => "the point is behind the camera",
            Unprojectable::NonFinite => "non-finite value (NaN or infinity) or undistortion did not converge",
            Unprojectable::Degenerate => {
                "the image-to-ground mapping is singular there (grazing ray or beyond the valid lens-distortion radius)"
            }
        })
    }
}

impl std::error::Error for Unprojectable {}
