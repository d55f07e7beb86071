//! Intrinsics and the OpenCV lens distortion model, forward and inverse.

use nalgebra::Matrix2;
use serde::{Deserialize, Serialize};

use super::{PixelPoint, Unprojectable};

/// Maximum Newton iterations of the undistortion. Newton converges
/// quadratically, so this bound is reached only near the distortion fold;
/// it keeps [`Camera::image_to_ground`](crate::geometry::Camera::image_to_ground)
/// bounded in time whatever the pixel.
///
/// ```
/// use fusetrack::geometry::{Camera, PixelPoint};
/// // A lens as strongly distorted as WILDTRACK's CVLab1 (k3 = -0.69).
/// let cam = Camera::look_at("c", [1920, 1080], 1740.0, [0.0, 0.0, 10.0], [0.0, 20.0, 0.0])?
///     .with_dist([-0.4325, 0.6106, 0.0082, 0.0019, -0.6924]);
/// // Every pixel on a 120 px grid that maps to the ground maps back to itself.
/// let mut mapped = 0;
/// for i in 0..=16 {
///     for j in 0..=9 {
///         let p = PixelPoint { x: 120.0 * i as f64, y: 120.0 * j as f64 };
///         if let Ok(g) = cam.image_to_ground(p) {
///             let q = cam.ground_to_image(g).unwrap();
///             assert!((q.x - p.x).hypot(q.y - p.y) < 1e-6);
///             mapped += 1;
///         }
///     }
/// }
/// assert!(mapped > 150); // of 170; the two top corners lie past the fold
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub const UNDISTORT_MAX_ITERATIONS: usize = 20;
/// The undistortion stops when a Newton step is smaller than this
/// (normalised image units, about 1e-9 px).
///
/// ```
/// use fusetrack::geometry::{Camera, GroundPoint, UNDISTORT_STEP_TOLERANCE};
/// // In pixels the tolerance is the step times the focal length.
/// assert!(UNDISTORT_STEP_TOLERANCE * 2000.0 <= 2e-9);
/// // So a distorted pixel maps back to its ground point far below a millimetre.
/// let cam = Camera::look_at("c", [1280, 720], 800.0, [0.0, -10.0, 4.0], [0.0, 5.0, 0.0])?
///     .with_dist([-0.25, 0.08, 0.001, -0.0005, 0.0]);
/// let g = GroundPoint { x: 4.0, y: 6.0 };
/// let back = cam.image_to_ground(cam.ground_to_image(g).unwrap()).unwrap();
/// assert!((back.x - g.x).hypot(back.y - g.y) < 1e-9);
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub const UNDISTORT_STEP_TOLERANCE: f64 = 1e-12;
/// Largest accepted residual of the undistortion, normalised image units
/// (about 2e-7 px for a 2000 px focal length); above it the point is refused
/// with [`Unprojectable::NonFinite`] (or [`Unprojectable::Degenerate`] near
/// the distortion fold, where no preimage exists).
///
/// ```
/// use fusetrack::geometry::{Camera, PixelPoint, Unprojectable, UNDISTORT_RESIDUAL_TOLERANCE};
/// // For a 2000 px focal length the tolerance is 2e-7 px.
/// assert!((UNDISTORT_RESIDUAL_TOLERANCE * 2000.0 - 2e-7).abs() < 1e-20);
/// // A CVLab1-like lens folds back before the top corners of its image:
/// // no undistorted point reaches them within the tolerance.
/// let cam = Camera::look_at("c", [1920, 1080], 1740.0, [0.0, 0.0, 10.0], [0.0, 20.0, 0.0])?
///     .with_dist([-0.4325, 0.6106, 0.0082, 0.0019, -0.6924]);
/// assert_eq!(cam.image_to_ground(PixelPoint { x: 0.0, y: 0.0 }), Err(Unprojectable::Degenerate));
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub const UNDISTORT_RESIDUAL_TOLERANCE: f64 = 1e-10;

/// Pinhole intrinsics with OpenCV distortion.
///
/// `fx`, `fy`: focal lengths in pixels; `cx`, `cy`: principal point in
/// pixels; `dist`: `[k1, k2, p1, p2, k3]` (OpenCV order and meaning) for the
/// raw, distorted image. No skew.
///
/// A point `(X, Y, Z)` in the camera frame (x right, y down, z forward) is
/// imaged at `u = fx x'' + cx`, `v = fy y'' + cy`, where `x = X/Z`, `y = Y/Z`,
/// `r² = x² + y²` and
///
/// ```text
/// x'' = x (1 + k1 r² + k2 r⁴ + k3 r⁶) + 2 p1 x y + p2 (r² + 2 x²)
/// y'' = y (1 + k1 r² + k2 r⁴ + k3 r⁶) + p1 (r² + 2 y²) + 2 p2 x y
/// ```
///
/// ```
/// use fusetrack::geometry::Intrinsics;
/// let k = Intrinsics { fx: 1000.0, fy: 1000.0, cx: 960.0, cy: 540.0, dist: [0.0; 5] };
/// let p = k.normalized_to_pixel(0.1, -0.05);
/// assert_eq!((p.x, p.y), (1060.0, 490.0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Intrinsics {
    /// Focal length along x, pixels.
    pub fx: f64,
    /// Focal length along y, pixels.
    pub fy: f64,
    /// Principal point x, pixels.
    pub cx: f64,
    /// Principal point y, pixels.
    pub cy: f64,
    /// `[k1, k2, p1, p2, k3]`.
    pub dist: [f64; 5],
}

impl Intrinsics {
    /// Raw (distorted) pixel of the undistorted normalised image point
    /// `(x, y) = (X/Z, Y/Z)`. No validity check: see
    /// [`Camera::world_to_image`](crate::geometry::Camera::world_to_image) for one.
    ///
    /// ```
    /// use fusetrack::geometry::Intrinsics;
    /// let k = Intrinsics { fx: 100.0, fy: 100.0, cx: 0.0, cy: 0.0, dist: [0.1, 0.0, 0.0, 0.0, 0.0] };
    /// // r² = 1: radial factor 1.1.
    /// assert!((k.normalized_to_pixel(1.0, 0.0).x - 110.0).abs() < 1e-12);
    /// ```
    pub fn normalized_to_pixel(&self, x: f64, y: f64) -> PixelPoint {
        let (xd, yd) = self.distort(x, y);
        PixelPoint { x: self.fx * xd + self.cx, y: self.fy * yd + self.cy }
    }

    /// Distortion of a normalised point: `(x'', y'')`.
    pub(crate) fn distort(&self, x: f64, y: f64) -> (f64, f64) {
        let [k1, k2, p1, p2, k3] = self.dist;
        let r2 = x * x + y * y;
        let radial = 1.0 + r2 * (k1 + r2 * (k2 + r2 * k3));
        (
            x * radial + 2.0 * p1 * x * y + p2 * (r2 + 2.0 * x * x),
            y * radial + p1 * (r2 + 2.0 * y * y) + 2.0 * p2 * x * y,
        )
    }

    /// Distortion and its 2x2 Jacobian d(x'', y'')/d(x, y).
    pub(crate) fn distort_with_jacobian(&self, x: f64, y: f64) -> ((f64, f64), Matrix2<f64>) {
        let [k1, k2, p1, p2, k3] = self.dist;
        let r2 = x * x + y * y;
        let radial = 1.0 + r2 * (k1 + r2 * (k2 + r2 * k3));
        let d_radial = k1 + r2 * (2.0 * k2 + 3.0 * r2 * k3); // d radial / d r²
        let xd = x * radial + 2.0 * p1 * x * y + p2 * (r2 + 2.0 * x * x);
        let yd = y * radial + p1 * (r2 + 2.0 * y * y) + 2.0 * p2 * x * y;
        let off = 2.0 * x * y * d_radial + 2.0 * p1 * x + 2.0 * p2 * y;
        let j = Matrix2::new(
            radial + 2.0 * x * x * d_radial + 2.0 * p1 * y + 6.0 * p2 * x,
            off,
            off,
            radial + 2.0 * y * y * d_radial + 6.0 * p1 * y + 2.0 * p2 * x,
        );
        ((xd, yd), j)
    }

    /// Inverse of [`Intrinsics::distort`] by damped Newton iteration, bounded
    /// by [`UNDISTORT_MAX_ITERATIONS`]. Returns the undistorted normalised
    /// point and the distortion Jacobian there. Refuses points whose solution
    /// lies beyond `fold_radius` or where the Jacobian is not positive
    /// definite in determinant (the model's fold).
    pub(crate) fn undistort(
        &self,
        xd: f64,
        yd: f64,
        fold_radius: f64,
    ) -> Result<((f64, f64), Matrix2<f64>), Unprojectable> {
        if !(xd.is_finite() && yd.is_finite()) {
            return Err(Unprojectable::NonFinite);
        }
        let (mut x, mut y) = (xd, yd);
        let residual = |x: f64, y: f64| {
            let (u, v) = self.distort(x, y);
            (u - xd).hypot(v - yd)
        };
        let mut res = residual(x, y);
        for _ in 0..UNDISTORT_MAX_ITERATIONS {
            let ((u, v), j) = self.distort_with_jacobian(x, y);
            let (ru, rv) = (u - xd, v - yd);
            let det = j.m11 * j.m22 - j.m12 * j.m21;
            if !det.is_finite() || det == 0.0 {
                return Err(Unprojectable::Degenerate);
            }
            let mut dx = (j.m22 * ru - j.m12 * rv) / det;
            let mut dy = (-j.m21 * ru + j.m11 * rv) / det;
            // Damping: halve the step until the residual does not grow.
            let mut accepted = false;
            for _ in 0..30 {
                let r_new = residual(x - dx, y - dy);
                if r_new <= res {
                    res = r_new;
                    accepted = true;
                    break;
                }
                dx *= 0.5;
                dy *= 0.5;
            }
            if !accepted {
                break;
            }
            x -= dx;
            y -= dy;
            if !(x.is_finite() && y.is_finite()) {
                return Err(Unprojectable::NonFinite);
            }
            if dx.abs().max(dy.abs()) < UNDISTORT_STEP_TOLERANCE {
                break;
            }
        }
        if !(res <= UNDISTORT_RESIDUAL_TOLERANCE) {
            // No preimage found. Near or past the fold the pixel is simply
            // outside what the model can reach (the far corners of a strongly
            // distorted image): say so; elsewhere it is a numerical failure.
            return Err(if x.hypot(y) > 0.9 * fold_radius {
                Unprojectable::Degenerate
            } else {
                Unprojectable::NonFinite
            });
        }
        let (_, j) = self.distort_with_jacobian(x, y);
        if x.hypot(y) > fold_radius || !(j.determinant() > 0.0) {
            return Err(Unprojectable::Degenerate);
        }
        Ok(((x, y), j))
    }

    /// The undistorted radius `r = |(x, y)|` at which the radial distortion
    /// `r (1 + k1 r² + k2 r⁴ + k3 r⁶)` stops increasing (the model folds
    /// back), or infinity if it increases up to `r = 10` (84° off axis).
    /// Beyond it the model is not invertible and does not describe the lens.
    pub(crate) fn fold_radius(&self) -> f64 {
        let [k1, k2, _, _, k3] = self.dist;
        let slope = |r: f64| {
            let u = r * r;
            1.0 + u * (3.0 * k1 + u * (5.0 * k2 + u * 7.0 * k3))
        };
        const STEP: f64 = 1e-3;
        const R_MAX: f64 = 10.0;
        let mut prev = 0.0;
        let mut r = STEP;
        while r <= R_MAX {
            if !(slope(r) > 0.0) {
                // Bisect between prev (slope > 0) and r (slope <= 0).
                let (mut lo, mut hi) = (prev, r);
                for _ in 0..60 {
                    let mid = 0.5 * (lo + hi);
                    if slope(mid) > 0.0 {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                return lo;
            }
            prev = r;
            r += STEP;
        }
        f64::INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wildtrack_cvlab1() -> Intrinsics {
        Intrinsics {
            fx: 1743.4478759765625,
            fy: 1735.1566162109375,
            cx: 934.5202026367188,
            cy: 444.3987731933594,
            dist: [
                -0.43248599767684937,
                0.6106230020523071,
                0.008233999833464622,
                0.0018599999602884054,
                -0.6923710107803345,
            ],
        }
    }

    #[test]
    fn undistort_inverts_distort_inside_fold() {
        let k = wildtrack_cvlab1();
        let fold = k.fold_radius();
        // Hand computation: slope(r) = 1 - 1.297 r² + 3.053 r⁴ - 4.847 r⁶ changes sign near 0.82.
        assert!(fold > 0.80 && fold < 0.84, "fold {fold}");
        let mut worst: f64 = 0.0;
        for i in -20..=20 {
            for j in -20..=20 {
                let (x, y) = (i as f64 * 0.035, j as f64 * 0.035);
                if x.hypot(y) > 0.97 * fold {
                    continue;
                }
                let (xd, yd) = k.distort(x, y);
                let ((xu, yu), _) = k.undistort(xd, yd, fold).expect("inside the fold");
                worst = worst.max((xu - x).abs().max((yu - y).abs()));
            }
        }
        assert!(worst < 1e-12, "worst undistortion error {worst}");
    }

    #[test]
    fn jacobian_matches_central_differences() {
        let k = wildtrack_cvlab1();
        let h = 1e-6;
        for &(x, y) in &[(0.1, 0.2), (-0.4, 0.3), (0.55, -0.2)] {
            let (_, j) = k.distort_with_jacobian(x, y);
            let (a, b) = (k.distort(x + h, y), k.distort(x - h, y));
            let (c, d) = (k.distort(x, y + h), k.distort(x, y - h));
            let num = Matrix2::new(
                (a.0 - b.0) / (2.0 * h),
                (c.0 - d.0) / (2.0 * h),
                (a.1 - b.1) / (2.0 * h),
                (c.1 - d.1) / (2.0 * h),
            );
            assert!((j - num).amax() < 1e-8, "{j} vs {num}");
        }
    }

    #[test]
    fn beyond_fold_is_refused_not_looped() {
        let k = wildtrack_cvlab1();
        let fold = k.fold_radius();
        // The distorted radius of the fold is the largest reachable one: farther out has no preimage.
        let (xd, _) = k.distort(fold, 0.0);
        assert!(k.undistort(xd * 1.05, 0.0, fold).is_err());
        assert_eq!(k.undistort(f64::NAN, 0.0, fold), Err(Unprojectable::NonFinite));
    }

    #[test]
    fn no_distortion_has_no_fold() {
        let k = Intrinsics { dist: [0.0; 5], ..wildtrack_cvlab1() };
        assert_eq!(k.fold_radius(), f64::INFINITY);
    }
}
