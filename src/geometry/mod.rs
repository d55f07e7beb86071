//! Camera geometry: from image pixels to the ground plane and back.
//!
//! # Frames and conventions
//! - **World**: right-handed, metres, ground plane z = 0, z up ([`GroundPoint`] is `(x, y)` on it).
//! - **Camera** (OpenCV): x right, y down, z forward; `X_cam = R X_world + t`
//!   ([`Extrinsics`]); the camera centre is `C = -R⁻¹ t` and must be above the ground.
//! - **Image**: pixels, origin at the top-left corner, x right, y down ([`PixelPoint`]).
//!   Detectors report *raw* pixels of the distorted image; [`Camera::image_to_ground`]
//!   takes raw pixels.
//!
//! # Pinhole model with OpenCV distortion
//! A camera-frame point `(X, Y, Z)`, `Z > 0`, has normalised coordinates
//! `x = X/Z`, `y = Y/Z`, `r² = x² + y²`; the lens moves it to
//! `x'' = x (1 + k1 r² + k2 r⁴ + k3 r⁶) + 2 p1 x y + p2 (r² + 2x²)`,
//! `y'' = y (1 + k1 r² + k2 r⁴ + k3 r⁶) + p1 (r² + 2y²) + 2 p2 x y`, imaged at
//! `u = fx x'' + cx`, `v = fy y'' + cy` ([`Intrinsics`], same as `cv2.projectPoints`;
//! checked against it to 1e-6 px in `tests/geometry.rs`).
//!
//! **Undistortion** (raw pixel to `(x, y)`): damped Newton iteration on the
//! 2x2 system `distort(x, y) = (x'', y'')` with the analytic Jacobian, from
//! `(x'', y'')`, at most [`UNDISTORT_MAX_ITERATIONS`] steps, stopping when a
//! step is below [`UNDISTORT_STEP_TOLERANCE`]; a residual above
//! [`UNDISTORT_RESIDUAL_TOLERANCE`] gives [`Unprojectable::NonFinite`].
//! Strong barrel distortion (WILDTRACK's CVLab1, `k3 = -0.69`) makes the
//! polynomial fold back at some radius: `d/dr [r (1 + k1 r² + k2 r⁴ + k3 r⁶)] = 0`.
//! Past that *fold radius* the model does not describe the lens and is not
//! invertible, so points there are refused ([`Unprojectable::Degenerate`] one
//! way, `None` from [`Camera::world_to_image`] the other way). For CVLab1 the
//! fold is at r ≈ 0.82, and the far image corners lie beyond it.
//!
//! # Ray / ground intersection
//! The viewing ray of `(x, y)` has world direction `d = R⁻¹ (x, y, 1)`; it
//! meets z = 0 at `C + s d` with `s = -C_z / d_z`, in front of the camera iff
//! `d_z < 0` (else [`Unprojectable::AboveHorizon`]).
//!
//! # Homography cameras
//! `H` maps undistorted pixels `(u, v, 1)` to `(x w, y w, w)` on the ground;
//! `w <= 0` means above the horizon. The sign of `H` is normalised so that
//! `w > 0` at the bottom centre of the image. `world_to_image` uses `H⁻¹` for
//! ground points (z = 0) only.
//!
//! # Measurement noise
//! For isotropic pixel noise `σ` at the foot point, the ground covariance is
//! the first-order propagation `Σ = σ² J Jᵀ`, with `J` the 2x2 Jacobian of
//! image to ground at that pixel, computed analytically by the chain rule:
//! `J = J_ray · J_dist⁻¹ · diag(1/fx, 1/fy)`, where `J_dist` is the
//! distortion Jacobian at the undistorted point and column i of `J_ray` is
//! `s (a_xy - d_xy a_z / d_z)`, `a` the i-th column of `R⁻¹`. For a
//! homography, `J = (H_{0..1, 0..1} - g h_{2, 0..1}) / w`. `J` is checked
//! against central differences in the tests. Far and grazing points have a
//! large `J` and hence a large covariance, as they should.
//!
//! # Coverage
//! A camera's coverage is the `coverage` polygon of `cameras.json` when
//! given. Otherwise it is derived by walking the image border
//! ([`BORDER_SAMPLES_PER_SIDE`] raw pixels a side) and mapping each sample
//! to the ground:
//! - pinhole: rays that meet the ground are intersected; the range is capped
//!   at `PERSON_HEIGHT_M * fy / MIN_PERSON_HEIGHT_PX` (1.7 m x fy / 20 px,
//!   about 147 m for WILDTRACK: beyond it a person is under 20 px tall),
//!   measured horizontally from the camera's foot point; rays above the
//!   horizon give the point at that range in their horizontal direction;
//!   samples beyond the distortion fold are skipped;
//! - homography: samples with `w <= 0` are dropped, the rest capped at
//!   [`HOMOGRAPHY_MAX_RANGE_M`] from the ground point of the bottom centre pixel;
//! - the ring is used if it is a simple polygon, else its convex hull.
//!
//! A world sensor without a `coverage` has the empty coverage: it "sees"
//! nothing for coverage purposes ([`Camera::has_coverage`] is false).
//!
//! # cameras.json
//! [`CameraRig::from_json_str`] follows FORMATS.md. Unknown fields are
//! accepted and ignored (other systems may add optional fields).
//! `image_size` is required for calibrated cameras. Errors name the field
//! path (`cameras[2].intrinsics.fx`) and the camera id.
//!
//! ```
//! use fusetrack::geometry::{CameraRig, GroundPoint};
//! let rig = CameraRig::load(concat!(env!("CARGO_MANIFEST_DIR"), "/data/plaza/cameras.json"))?;
//! let cam = rig.get(rig.id("CVLab1").unwrap()).unwrap();
//! let foot = cam.ground_to_image(GroundPoint { x: 3.0, y: 0.0 }).unwrap();
//! let m = cam.measure_foot_point(foot, 3.0).unwrap();
//! assert!((m.position.x - 3.0).abs() < 1e-6 && (m.position.y - 0.0).abs() < 1e-6);
//! # Ok::<(), fusetrack::Error>(())
//! ```

// `!(x > 0.0)` is used on purpose throughout: it is true for NaN, so
// non-finite input is refused by the same test as out-of-range input.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

mod camera;
mod coverage;
mod lens;
mod points;
mod polygon;
mod rig;
mod schema;

pub use camera::{Camera, CameraKind, Extrinsics, ROTATION_TOLERANCE};
pub use coverage::{
    BORDER_SAMPLES_PER_SIDE, HOMOGRAPHY_MAX_RANGE_M, MIN_PERSON_HEIGHT_PX, PERSON_HEIGHT_M,
};
pub use lens::{
    Intrinsics, UNDISTORT_MAX_ITERATIONS, UNDISTORT_RESIDUAL_TOLERANCE, UNDISTORT_STEP_TOLERANCE,
};
pub use points::{GroundMeasurement, GroundPoint, PixelPoint, Unprojectable};
pub use polygon::{ON_EDGE_TOLERANCE_M, Polygon};
pub use rig::CameraRig;
