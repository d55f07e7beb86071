//! One camera: its calibration, the image/ground mappings and their noise.

use nalgebra::{Matrix2, Matrix3, Vector2, Vector3};
use serde::{Deserialize, Serialize};

use super::coverage;
use super::schema::CameraJson;
use super::{GroundMeasurement, GroundPoint, Intrinsics, PixelPoint, Polygon, Unprojectable};
use crate::{Error, Result};

/// Largest accepted deviation of `Rᵀ R` from the identity (max entry).
/// Rotations printed with 6 decimals are still accepted.
///
/// ```
/// use fusetrack::geometry::{Camera, Extrinsics, Intrinsics, ROTATION_TOLERANCE};
/// use nalgebra::{Matrix3, Vector3};
/// let k = Intrinsics { fx: 1000.0, fy: 1000.0, cx: 320.0, cy: 240.0, dist: [0.0; 5] };
/// // Looking down from 5 m, slightly turned; R written out with 6 decimals.
/// let down = Matrix3::new(1.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, -1.0);
/// let r = (down * Extrinsics::from_rvec([0.1, -0.05, 0.3], [0.0; 3]).r).map(|v| (v * 1e6).round() / 1e6);
/// assert!((r.transpose() * r - Matrix3::identity()).amax() <= ROTATION_TOLERANCE);
/// let e = Extrinsics { r, t: Vector3::new(0.0, 0.0, 5.0) };
/// assert!(Camera::pinhole("c", [640, 480], k, e).is_ok());
/// // Scaled by 1.001 it is no longer a rotation: RᵀR deviates by 2e-3.
/// let e = Extrinsics { r: r * 1.001, ..e };
/// let err = Camera::pinhole("c", [640, 480], k, e).unwrap_err();
/// assert!(err.to_string().contains("extrinsics.R"));
/// ```
pub const ROTATION_TOLERANCE: f64 = 1e-5;

/// World-to-camera rigid transform: `X_cam = R X_world + t`, metres.
///
/// The camera frame is OpenCV's: x right, y down, z forward (optical axis).
///
/// ```
/// use fusetrack::geometry::Extrinsics;
/// use nalgebra::{Matrix3, Vector3};
/// let e = Extrinsics::from_rvec([0.0, 0.0, std::f64::consts::FRAC_PI_2], [1.0, 2.0, 3.0]);
/// // A quarter turn about z maps world x to camera y.
/// assert!((e.r * Vector3::x() - Vector3::y()).norm() < 1e-15);
/// assert_eq!(e.t, Vector3::new(1.0, 2.0, 3.0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Extrinsics {
    /// Rotation world -> camera (orthonormal, det +1).
    pub r: Matrix3<f64>,
    /// Translation, metres.
    pub t: Vector3<f64>,
}

impl Extrinsics {
    /// From a Rodrigues rotation vector (axis times angle, radians) and a
    /// translation in metres, as OpenCV's `cv::Rodrigues`:
    /// `R = cos θ I + (1 - cos θ) k kᵀ + sin θ [k]ₓ` with `θ = |rvec|`, `k = rvec / θ`.
    ///
    /// ```
    /// use fusetrack::geometry::Extrinsics;
    /// let e = Extrinsics::from_rvec([0.0; 3], [0.0; 3]);
    /// assert_eq!(e.r, nalgebra::Matrix3::identity());
    /// ```
    pub fn from_rvec(rvec: [f64; 3], t: [f64; 3]) -> Extrinsics {
        let v = Vector3::from(rvec);
        let theta = v.norm();
        let r = if theta < 1e-300 {
            Matrix3::identity()
        } else {
            let k = v / theta;
            let kx = Matrix3::new(0.0, -k.z, k.y, k.z, 0.0, -k.x, -k.y, k.x, 0.0);
            Matrix3::identity() * theta.cos()
                + (k * k.transpose()) * (1.0 - theta.cos())
                + kx * theta.sin()
        };
        Extrinsics { r, t: Vector3::from(t) }
    }
}

/// What kind of calibration a camera has.
///
/// ```
/// use fusetrack::geometry::{Camera, CameraKind};
/// assert_eq!(Camera::world_sensor("radar").kind(), CameraKind::WorldSensor);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CameraKind {
    /// Full pinhole calibration with OpenCV distortion.
    Pinhole,
    /// A ground-plane homography from undistorted pixels to metres.
    Homography,
    /// No image calibration: the sensor reports ground positions itself.
    WorldSensor,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Pinhole {
    pub(crate) k: Intrinsics,
    pub(crate) e: Extrinsics,
    /// R⁻¹ (equal to Rᵀ up to rounding for a validated R).
    pub(crate) r_inv: Matrix3<f64>,
    /// Camera centre in the world, metres: `-R⁻¹ t`.
    pub(crate) centre: Vector3<f64>,
    /// See `Intrinsics::fold_radius`.
    pub(crate) fold_radius: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Homography {
    /// Undistorted pixel -> ground, sign chosen so that `w > 0` at the
    /// bottom centre of the image.
    pub(crate) h: Matrix3<f64>,
    pub(crate) h_inv: Matrix3<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Model {
    Pinhole(Box<Pinhole>),
    Homography(Homography),
    WorldSensor,
}

/// A problem in a calibration, relative to the camera: the field (`intrinsics.fx`)
/// and the reason. Turned into `Error::Calibration` or `Error::InvalidField`.
#[derive(Debug)]
pub(crate) struct Issue {
    pub(crate) field: &'static str,
    pub(crate) reason: String,
}

fn issue(field: &'static str, reason: impl Into<String>) -> Issue {
    Issue { field, reason: reason.into() }
}

/// A camera (or a world sensor) of the rig: calibration, image size, timing
/// and noise, and the ground polygon it covers.
///
/// Plain data: `Clone`, `Debug`, and serde in the `cameras.json` entry form
/// (deserialising validates as the constructors do). See the
/// [module docs](crate::geometry) for the conventions and formulas.
///
/// ```
/// use fusetrack::geometry::{Camera, GroundPoint, PixelPoint};
/// // 4 m up at the origin, looking at a point 10 m north on the ground.
/// let cam = Camera::look_at("north", [1920, 1080], 1000.0, [0.0, 0.0, 4.0], [0.0, 10.0, 0.0])?;
/// let px = cam.ground_to_image(GroundPoint { x: 1.0, y: 8.0 }).unwrap();
/// let g = cam.image_to_ground(px).unwrap();
/// assert!((g.x - 1.0).abs() < 1e-9 && (g.y - 8.0).abs() < 1e-9);
/// // The image centre sees the target.
/// let c = cam.image_to_ground(PixelPoint { x: 960.0, y: 540.0 }).unwrap();
/// assert!(c.x.abs() < 1e-9 && (c.y - 10.0).abs() < 1e-9);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "CameraJson", try_from = "CameraJson")]
pub struct Camera {
    pub(crate) name: String,
    pub(crate) model: Model,
    pub(crate) image_size_px: Option<[u32; 2]>,
    pub(crate) fps: Option<f64>,
    pub(crate) pixel_noise_px: Option<f64>,
    pub(crate) latency_s: Option<f64>,
    pub(crate) coverage: Polygon,
    /// True when the coverage was given (not derived).
    pub(crate) coverage_given: bool,
}

impl Camera {
    /// A pinhole camera with OpenCV distortion.
    ///
    /// # Errors
    /// [`Error::Calibration`] naming the field if a number is not finite,
    /// `fx` or `fy` is not positive, the image size is zero, `R` is not a
    /// rotation (orthonormal with det +1 within [`ROTATION_TOLERANCE`]), or
    /// the camera centre is not above the ground (z <= 0).
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, Extrinsics, Intrinsics};
    /// let k = Intrinsics { fx: 1000.0, fy: 1000.0, cx: 320.0, cy: 240.0, dist: [0.0; 5] };
    /// // Looking straight down from 5 m: camera z = world -z, camera y = world -y.
    /// let r = nalgebra::Matrix3::new(1.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, -1.0);
    /// let e = Extrinsics { r, t: nalgebra::Vector3::new(0.0, 0.0, 5.0) };
    /// let cam = Camera::pinhole("down", [640, 480], k, e)?;
    /// assert_eq!(cam.centre_m(), Some([0.0, 0.0, 5.0]));
    /// let bad = Intrinsics { fx: -1.0, ..k };
    /// assert!(Camera::pinhole("down", [640, 480], bad, e).unwrap_err().to_string().contains("intrinsics.fx"));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn pinhole(
        name: impl Into<String>,
        image_size_px: [u32; 2],
        k: Intrinsics,
        e: Extrinsics,
    ) -> Result<Camera> {
        let name = name.into();
        Self::build(name.clone(), Some(image_size_px), Self::pinhole_model(k, e), None)
            .map_err(|i| calib(&name, i))
    }

    /// A camera calibrated by a ground-plane homography `H` mapping
    /// undistorted pixels `(u, v, 1)` to ground metres `(x w, y w, w)`.
    /// `H` is defined up to scale; its sign is normalised so that `w > 0` at
    /// the bottom centre of the image.
    ///
    /// # Errors
    /// [`Error::Calibration`] if `H` has a non-finite entry or is singular
    /// (`|det H| <= 1e-12 ‖H‖³`, Frobenius norm), or the image size is zero.
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, PixelPoint};
    /// let h = nalgebra::Matrix3::new(0.01, 0.0, -3.2, 0.0, 0.02, -1.1, 0.0, 0.0004, 1.0);
    /// let cam = Camera::homography("street-4", [720, 576], h)?;
    /// let g = cam.image_to_ground(PixelPoint { x: 320.0, y: 55.0 }).unwrap();
    /// assert!((g.x - 0.0).abs() < 1e-12 && (g.y - 0.0).abs() < 1e-12);
    /// assert!(Camera::homography("s", [720, 576], nalgebra::Matrix3::zeros()).is_err());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn homography(
        name: impl Into<String>,
        image_size_px: [u32; 2],
        h: Matrix3<f64>,
    ) -> Result<Camera> {
        let name = name.into();
        let model = Self::homography_model(h, image_size_px);
        Self::build(name.clone(), Some(image_size_px), model, None).map_err(|i| calib(&name, i))
    }

    /// A world sensor: no image calibration, its detections carry ground
    /// positions. It covers nothing unless given a coverage with
    /// [`Camera::with_coverage`].
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, GroundPoint};
    /// let radar = Camera::world_sensor("radar-1");
    /// assert!(!radar.has_coverage());
    /// assert!(!radar.sees(GroundPoint { x: 0.0, y: 0.0 }));
    /// ```
    pub fn world_sensor(name: impl Into<String>) -> Camera {
        Camera {
            name: name.into(),
            model: Model::WorldSensor,
            image_size_px: None,
            fps: None,
            pixel_noise_px: None,
            latency_s: None,
            coverage: Polygon::empty(),
            coverage_given: false,
        }
    }

    /// A distortion-free pinhole camera at `position_m` looking at
    /// `target_m`, principal point at the image centre, `fx = fy = focal_px`,
    /// no roll (image "up" is world +z). For simulators and tests.
    ///
    /// # Errors
    /// [`Error::Calibration`] if the camera looks straight up or down (roll
    /// undefined), position equals target, a value is not finite or not
    /// positive, or the camera is not above the ground.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// assert_eq!(cam.centre_m().map(|c| c[2]), Some(3.0));
    /// assert!(Camera::look_at("c", [640, 480], 500.0, [0.0, 0.0, 3.0], [0.0, 0.0, 0.0]).is_err());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn look_at(
        name: impl Into<String>,
        image_size_px: [u32; 2],
        focal_px: f64,
        position_m: [f64; 3],
        target_m: [f64; 3],
    ) -> Result<Camera> {
        let name = name.into();
        let pos = Vector3::from(position_m);
        let forward = Vector3::from(target_m) - pos;
        let right = forward.cross(&Vector3::z());
        let (Some(f), Some(r)) =
            (forward.try_normalize(1e-12), right.try_normalize(1e-9 * forward.norm()))
        else {
            return Err(calib(
                &name,
                issue("extrinsics", "look_at: the viewing direction must not be vertical or zero"),
            ));
        };
        let down = f.cross(&r);
        let rot = Matrix3::from_rows(&[r.transpose(), down.transpose(), f.transpose()]);
        let e = Extrinsics { r: rot, t: -(rot * pos) };
        let k = Intrinsics {
            fx: focal_px,
            fy: focal_px,
            cx: 0.5 * f64::from(image_size_px[0]),
            cy: 0.5 * f64::from(image_size_px[1]),
            dist: [0.0; 5],
        };
        Self::pinhole(name, image_size_px, k, e)
    }

    /// Sets the frame rate, frames per second. Ignored unless finite and > 0.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// assert_eq!(Camera::world_sensor("r").with_fps(10.0).fps(), Some(10.0));
    /// assert_eq!(Camera::world_sensor("r").with_fps(-1.0).fps(), None);
    /// ```
    pub fn with_fps(mut self, fps: f64) -> Self {
        if fps.is_finite() && fps > 0.0 {
            self.fps = Some(fps);
        }
        self
    }

    /// Sets the standard deviation of a box's ground contact point, pixels.
    /// Ignored unless finite and >= 0.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// assert_eq!(Camera::world_sensor("r").with_pixel_noise_px(3.0).pixel_noise_px(), Some(3.0));
    /// ```
    pub fn with_pixel_noise_px(mut self, s: f64) -> Self {
        if s.is_finite() && s >= 0.0 {
            self.pixel_noise_px = Some(s);
        }
        self
    }

    /// Sets the typical latency from capture to arrival, seconds. Ignored
    /// unless finite and >= 0.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// assert_eq!(Camera::world_sensor("r").with_latency_s(0.1).latency_s(), Some(0.1));
    /// ```
    pub fn with_latency_s(mut self, s: f64) -> Self {
        if s.is_finite() && s >= 0.0 {
            self.latency_s = Some(s);
        }
        self
    }

    /// Sets an explicit coverage polygon (replaces the derived one). An
    /// empty polygon restores the derived coverage.
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, GroundPoint, Polygon};
    /// let p = Polygon::new(vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]])?;
    /// let radar = Camera::world_sensor("radar").with_coverage(p);
    /// assert!(radar.sees(GroundPoint { x: 9.0, y: 1.0 }));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn with_coverage(mut self, p: Polygon) -> Self {
        if p.is_empty() {
            self.coverage_given = false;
            self.coverage = coverage::derive(&self);
        } else {
            self.coverage_given = true;
            self.coverage = p;
        }
        self
    }

    /// Replaces the distortion coefficients `[k1, k2, p1, p2, k3]` of a
    /// pinhole camera (and re-derives its coverage unless given). Ignored for
    /// other cameras or if a coefficient is not finite.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?
    ///     .with_dist([-0.2, 0.05, 0.0, 0.0, 0.0]);
    /// assert_eq!(cam.intrinsics().map(|k| k.dist[0]), Some(-0.2));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn with_dist(mut self, dist: [f64; 5]) -> Self {
        if let Model::Pinhole(p) = &mut self.model {
            if dist.iter().all(|d| d.is_finite()) {
                p.k.dist = dist;
                p.fold_radius = p.k.fold_radius();
                if !self.coverage_given {
                    self.coverage = coverage::derive(&self);
                }
            }
        }
        self
    }

    /// The camera's unique name (the `id` of `cameras.json`).
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// assert_eq!(Camera::world_sensor("radar").name(), "radar");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The kind of calibration.
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, CameraKind};
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// assert_eq!(cam.kind(), CameraKind::Pinhole);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn kind(&self) -> CameraKind {
        match self.model {
            Model::Pinhole(_) => CameraKind::Pinhole,
            Model::Homography(_) => CameraKind::Homography,
            Model::WorldSensor => CameraKind::WorldSensor,
        }
    }

    /// `[width, height]`, pixels; `None` for world sensors.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// assert_eq!(cam.image_size_px(), Some([640, 480]));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn image_size_px(&self) -> Option<[u32; 2]> {
        self.image_size_px
    }

    /// Frames per second, if known.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// assert_eq!(Camera::world_sensor("r").fps(), None);
    /// ```
    pub fn fps(&self) -> Option<f64> {
        self.fps
    }

    /// Standard deviation of a box's ground contact point, pixels, if known.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// assert_eq!(Camera::world_sensor("r").pixel_noise_px(), None);
    /// ```
    pub fn pixel_noise_px(&self) -> Option<f64> {
        self.pixel_noise_px
    }

    /// Typical capture-to-arrival latency, seconds, if known.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// assert_eq!(Camera::world_sensor("r").latency_s(), None);
    /// ```
    pub fn latency_s(&self) -> Option<f64> {
        self.latency_s
    }

    /// The intrinsics of a pinhole camera.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// assert_eq!(cam.intrinsics().map(|k| k.cx), Some(320.0));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn intrinsics(&self) -> Option<&Intrinsics> {
        match &self.model {
            Model::Pinhole(p) => Some(&p.k),
            _ => None,
        }
    }

    /// The extrinsics of a pinhole camera.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// assert!((cam.extrinsics().unwrap().r.determinant() - 1.0).abs() < 1e-12);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn extrinsics(&self) -> Option<&Extrinsics> {
        match &self.model {
            Model::Pinhole(p) => Some(&p.e),
            _ => None,
        }
    }

    /// The camera centre in the world frame, metres (pinhole cameras):
    /// `C = -R⁻¹ t`.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [1.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// let c = cam.centre_m().unwrap();
    /// assert!((c[0] - 1.0).abs() < 1e-12 && (c[1] + 10.0).abs() < 1e-12 && (c[2] - 3.0).abs() < 1e-12);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn centre_m(&self) -> Option<[f64; 3]> {
        match &self.model {
            Model::Pinhole(p) => Some(p.centre.into()),
            _ => None,
        }
    }

    /// The homography from undistorted pixels to ground metres: the one
    /// given for a homography camera, `(K [r1 r2 t])⁻¹` for a pinhole camera
    /// (`r1`, `r2` the first two columns of `R`), `None` for a world sensor
    /// or if it is singular (the ground plane seen edge-on).
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// let h = cam.ground_homography().unwrap();
    /// let g = h * nalgebra::Vector3::new(320.0, 240.0, 1.0);
    /// assert!((g.x / g.z).abs() < 1e-9 && (g.y / g.z).abs() < 1e-9);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn ground_homography(&self) -> Option<Matrix3<f64>> {
        match &self.model {
            Model::Pinhole(p) => {
                let k = Matrix3::new(p.k.fx, 0.0, p.k.cx, 0.0, p.k.fy, p.k.cy, 0.0, 0.0, 1.0);
                let m = Matrix3::from_columns(&[
                    p.e.r.column(0).into_owned(),
                    p.e.r.column(1).into_owned(),
                    p.e.t,
                ]);
                (k * m).try_inverse()
            }
            Model::Homography(h) => Some(h.h),
            Model::WorldSensor => None,
        }
    }

    /// Whether a pixel lies inside the image rectangle `[0, w] x [0, h]`.
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, PixelPoint};
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// assert!(cam.in_image(PixelPoint { x: 10.0, y: 470.0 }));
    /// assert!(!cam.in_image(PixelPoint { x: -1.0, y: 10.0 }));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn in_image(&self, p: PixelPoint) -> bool {
        match self.image_size_px {
            Some([w, h]) => p.x >= 0.0 && p.y >= 0.0 && p.x <= f64::from(w) && p.y <= f64::from(h),
            None => false,
        }
    }

    /// The ground point seen at the raw (distorted) pixel `p`.
    ///
    /// Pinhole: undistort (bounded Newton iteration, see the module docs),
    /// then intersect the viewing ray with z = 0. Homography: `H (u, v, 1)`,
    /// [`Unprojectable::AboveHorizon`] if `w <= 0`. World sensor:
    /// [`Unprojectable::NoCalibration`]. Never allocates.
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, PixelPoint, Unprojectable};
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// assert!(cam.image_to_ground(PixelPoint { x: 320.0, y: 400.0 }).is_ok());
    /// // Top of the image, 0.3 rad above the axis: the ray rises.
    /// assert_eq!(cam.image_to_ground(PixelPoint { x: 320.0, y: 0.0 }), Err(Unprojectable::AboveHorizon));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn image_to_ground(&self, p: PixelPoint) -> Result<GroundPoint, Unprojectable> {
        self.image_to_ground_impl(p, false).map(|(g, _)| GroundPoint { x: g.x, y: g.y })
    }

    /// The 2x2 Jacobian d(ground)/d(raw pixel) at `p`, metres per pixel,
    /// computed analytically (chain rule through intrinsics, distortion and
    /// the ray/plane intersection; see the module docs).
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, PixelPoint};
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// let j = cam.ground_jacobian(PixelPoint { x: 320.0, y: 240.0 }).unwrap();
    /// // At the target, 10.44 m away: one pixel across is about 10.44 / 500 m.
    /// assert!((j[(0, 0)] - 109f64.sqrt() / 500.0).abs() < 1e-9);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn ground_jacobian(&self, p: PixelPoint) -> Result<Matrix2<f64>, Unprojectable> {
        self.image_to_ground_impl(p, true).map(|(_, j)| j)
    }

    /// A detection's foot point on the ground with its covariance:
    /// `position = image_to_ground(foot)`, `cov = σ² J Jᵀ` with `J` the
    /// analytic Jacobian of image to ground at `foot` and `σ =
    /// pixel_noise_px` (isotropic pixel noise; first-order propagation).
    /// Never allocates.
    ///
    /// # Errors
    /// As [`Camera::image_to_ground`]; [`Unprojectable::NonFinite`] if
    /// `pixel_noise_px` is not finite; [`Unprojectable::Degenerate`] if `J`
    /// is singular (`|det J| <= 1e-12 ‖J‖²`).
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, PixelPoint};
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// let near = cam.measure_foot_point(PixelPoint { x: 320.0, y: 470.0 }, 3.0).unwrap();
    /// let far = cam.measure_foot_point(PixelPoint { x: 320.0, y: 245.0 }, 3.0).unwrap();
    /// assert!(far.cov[(1, 1)] > 10.0 * near.cov[(1, 1)]); // range uncertainty grows with distance
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn measure_foot_point(
        &self,
        foot: PixelPoint,
        pixel_noise_px: f64,
    ) -> Result<GroundMeasurement, Unprojectable> {
        if !pixel_noise_px.is_finite() {
            return Err(Unprojectable::NonFinite);
        }
        let (g, j) = self.image_to_ground_impl(foot, true)?;
        let det = j.determinant();
        if !(det.abs() > 1e-12 * j.norm_squared()) {
            return Err(Unprojectable::Degenerate);
        }
        let cov = j * j.transpose() * (pixel_noise_px * pixel_noise_px);
        let cov = (cov + cov.transpose()) * 0.5;
        if !(cov.iter().all(|v| v.is_finite())) {
            return Err(Unprojectable::NonFinite);
        }
        Ok(GroundMeasurement { position: g, cov })
    }

    /// The raw (distorted) pixel where the world point `p_m` (metres) is
    /// imaged, including lens distortion; it may lie outside the image (see
    /// [`Camera::in_image`]).
    ///
    /// `None` if the point is behind or in the plane of the camera, beyond the
    /// radius where the distortion model folds back (where the model does not
    /// describe the lens, so [`Camera::image_to_ground`] could not come back),
    /// for a homography camera if `z != 0` or the point is beyond the
    /// horizon, and always for a world sensor.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// let p = cam.world_to_image([0.0, 0.0, 0.0]).unwrap();
    /// assert!((p.x - 320.0).abs() < 1e-9 && (p.y - 240.0).abs() < 1e-9);
    /// assert_eq!(cam.world_to_image([0.0, -20.0, 0.0]), None); // behind
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn world_to_image(&self, p_m: [f64; 3]) -> Option<PixelPoint> {
        let out = match &self.model {
            Model::Pinhole(c) => {
                let x = c.e.r * Vector3::from(p_m) + c.e.t;
                if !(x.z > 0.0) {
                    return None;
                }
                let (xn, yn) = (x.x / x.z, x.y / x.z);
                if xn.hypot(yn) > c.fold_radius {
                    return None;
                }
                c.k.normalized_to_pixel(xn, yn)
            }
            Model::Homography(h) => {
                if p_m[2] != 0.0 {
                    return None;
                }
                let q = h.h_inv * Vector3::new(p_m[0], p_m[1], 1.0);
                if !(q.z > 0.0) {
                    return None;
                }
                PixelPoint { x: q.x / q.z, y: q.y / q.z }
            }
            Model::WorldSensor => return None,
        };
        (out.x.is_finite() && out.y.is_finite()).then_some(out)
    }

    /// [`Camera::world_to_image`] of the ground point `(g.x, g.y, 0)`.
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, GroundPoint};
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// assert!(cam.ground_to_image(GroundPoint { x: 0.0, y: 0.0 }).is_some());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn ground_to_image(&self, g: GroundPoint) -> Option<PixelPoint> {
        self.world_to_image([g.x, g.y, 0.0])
    }

    /// The ground polygon this camera covers: the `coverage` given in
    /// `cameras.json` (or by [`Camera::with_coverage`]), else the one derived
    /// from the calibration (see the module docs); the empty polygon for a
    /// world sensor without a declared coverage ("sees nothing").
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// assert!(cam.coverage().area_m2() > 10.0);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn coverage(&self) -> &Polygon {
        &self.coverage
    }

    /// Whether the coverage was given rather than derived.
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// assert!(!Camera::world_sensor("r").coverage_is_given());
    /// ```
    pub fn coverage_is_given(&self) -> bool {
        self.coverage_given
    }

    /// Whether the coverage is non-empty (false for a world sensor without
    /// a declared coverage).
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// assert!(!Camera::world_sensor("r").has_coverage());
    /// ```
    pub fn has_coverage(&self) -> bool {
        !self.coverage.is_empty()
    }

    /// Whether the ground point lies in the coverage (closed polygon,
    /// bounding-box precheck).
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, GroundPoint};
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// assert!(cam.sees(GroundPoint { x: 0.0, y: 0.0 }));
    /// assert!(!cam.sees(GroundPoint { x: 0.0, y: -20.0 }));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn sees(&self, g: GroundPoint) -> bool {
        self.coverage.contains(g)
    }

    // ----- internals -----

    /// Ground point (and, if asked, the Jacobian) of a raw pixel.
    fn image_to_ground_impl(
        &self,
        p: PixelPoint,
        jacobian: bool,
    ) -> Result<(Vector2<f64>, Matrix2<f64>), Unprojectable> {
        if !(p.x.is_finite() && p.y.is_finite()) {
            return Err(Unprojectable::NonFinite);
        }
        match &self.model {
            Model::Pinhole(c) => {
                let (xd, yd) = ((p.x - c.k.cx) / c.k.fx, (p.y - c.k.cy) / c.k.fy);
                let ((xn, yn), jd) = c.k.undistort(xd, yd, c.fold_radius)?;
                let d = c.r_inv * Vector3::new(xn, yn, 1.0);
                if !(d.z < 0.0) {
                    return Err(Unprojectable::AboveHorizon);
                }
                let s = -c.centre.z / d.z;
                let g = Vector2::new(c.centre.x + s * d.x, c.centre.y + s * d.y);
                if !(g.x.is_finite() && g.y.is_finite()) {
                    return Err(Unprojectable::NonFinite);
                }
                if !jacobian {
                    return Ok((g, Matrix2::zeros()));
                }
                // d g / d(xn, yn): column i is s (a_xy - d_xy a_z / d_z), a = column i of R⁻¹.
                let col = |i: usize| {
                    let a = c.r_inv.column(i);
                    Vector2::new(a[0] - d.x * a[2] / d.z, a[1] - d.y * a[2] / d.z) * s
                };
                let jg = Matrix2::from_columns(&[col(0), col(1)]);
                let jd_inv = jd.try_inverse().ok_or(Unprojectable::Degenerate)?;
                let jk_inv = Matrix2::new(1.0 / c.k.fx, 0.0, 0.0, 1.0 / c.k.fy);
                Ok((g, jg * jd_inv * jk_inv))
            }
            Model::Homography(h) => {
                let q = h.h * Vector3::new(p.x, p.y, 1.0);
                if !(q.z > 0.0) {
                    return Err(Unprojectable::AboveHorizon);
                }
                let g = Vector2::new(q.x / q.z, q.y / q.z);
                if !(g.x.is_finite() && g.y.is_finite()) {
                    return Err(Unprojectable::NonFinite);
                }
                // d(q_xy / q_z)/dp = (H_xy,0..2 - g h_z,0..2) / q_z.
                let j = Matrix2::new(
                    h.h[(0, 0)] - g.x * h.h[(2, 0)],
                    h.h[(0, 1)] - g.x * h.h[(2, 1)],
                    h.h[(1, 0)] - g.y * h.h[(2, 0)],
                    h.h[(1, 1)] - g.y * h.h[(2, 1)],
                ) / q.z;
                Ok((g, j))
            }
            Model::WorldSensor => Err(Unprojectable::NoCalibration),
        }
    }

    /// World direction of the viewing ray through a raw pixel (pinhole only).
    pub(crate) fn pixel_ray(&self, p: PixelPoint) -> Option<Vector3<f64>> {
        match &self.model {
            Model::Pinhole(c) => {
                let (xd, yd) = ((p.x - c.k.cx) / c.k.fx, (p.y - c.k.cy) / c.k.fy);
                let ((xn, yn), _) = c.k.undistort(xd, yd, c.fold_radius).ok()?;
                Some(c.r_inv * Vector3::new(xn, yn, 1.0))
            }
            _ => None,
        }
    }

    pub(crate) fn pinhole_model(k: Intrinsics, e: Extrinsics) -> std::result::Result<Model, Issue> {
        for (v, f) in [
            (k.fx, "intrinsics.fx"),
            (k.fy, "intrinsics.fy"),
            (k.cx, "intrinsics.cx"),
            (k.cy, "intrinsics.cy"),
        ] {
            if !v.is_finite() {
                return Err(issue(f, format!("must be a finite number, got {v}")));
            }
        }
        if !(k.fx > 0.0) {
            return Err(issue("intrinsics.fx", format!("focal length must be > 0, got {}", k.fx)));
        }
        if !(k.fy > 0.0) {
            return Err(issue("intrinsics.fy", format!("focal length must be > 0, got {}", k.fy)));
        }
        if !k.dist.iter().all(|d| d.is_finite()) {
            return Err(issue("intrinsics.dist", "distortion coefficients must be finite numbers"));
        }
        if !e.r.iter().all(|v| v.is_finite()) {
            return Err(issue("extrinsics.R", "rotation entries must be finite numbers"));
        }
        if !e.t.iter().all(|v| v.is_finite()) {
            return Err(issue("extrinsics.t", "translation entries must be finite numbers"));
        }
        let dev = (e.r.transpose() * e.r - Matrix3::identity()).amax();
        if !(dev <= ROTATION_TOLERANCE) {
            return Err(issue(
                "extrinsics.R",
                format!("not orthonormal: max |RᵀR - I| = {dev:.3e} > {ROTATION_TOLERANCE:e}"),
            ));
        }
        let det = e.r.determinant();
        if !(det > 0.0) {
            return Err(issue(
                "extrinsics.R",
                format!("not a rotation: det R = {det:.6} (a reflection)"),
            ));
        }
        let r_inv = e.r.try_inverse().ok_or_else(|| issue("extrinsics.R", "singular"))?;
        let centre = -(r_inv * e.t);
        if !(centre.z > 0.0) {
            return Err(issue(
                "extrinsics.t",
                format!(
                    "camera centre ({:.3}, {:.3}, {:.3}) m is not above the ground (z must be > 0)",
                    centre.x, centre.y, centre.z
                ),
            ));
        }
        let fold_radius = k.fold_radius();
        Ok(Model::Pinhole(Box::new(Pinhole { k, e, r_inv, centre, fold_radius })))
    }

    pub(crate) fn homography_model(
        h: Matrix3<f64>,
        image_size_px: [u32; 2],
    ) -> std::result::Result<Model, Issue> {
        if !h.iter().all(|v| v.is_finite()) {
            return Err(issue("homography", "entries must be finite numbers"));
        }
        let scale = h.norm();
        let det = h.determinant();
        if !(det.abs() > 1e-12 * scale * scale * scale) {
            return Err(issue("homography", format!("singular matrix (det = {det:e})")));
        }
        let bottom =
            h * Vector3::new(0.5 * f64::from(image_size_px[0]), f64::from(image_size_px[1]), 1.0);
        let h = if bottom.z < 0.0 { -h } else { h };
        let h_inv = h.try_inverse().ok_or_else(|| issue("homography", "singular matrix"))?;
        Ok(Model::Homography(Homography { h, h_inv }))
    }

    /// Assembles and validates a camera; derives its coverage if not given.
    pub(crate) fn build(
        name: String,
        image_size_px: Option<[u32; 2]>,
        model: std::result::Result<Model, Issue>,
        coverage: Option<Polygon>,
    ) -> std::result::Result<Camera, Issue> {
        if name.is_empty() {
            return Err(issue("id", "must not be empty"));
        }
        if let Some([w, h]) = image_size_px {
            if w == 0 || h == 0 {
                return Err(issue(
                    "image_size",
                    format!("width and height must be > 0, got [{w}, {h}]"),
                ));
            }
        }
        let model = model?;
        let mut cam = Camera {
            name,
            model,
            image_size_px,
            fps: None,
            pixel_noise_px: None,
            latency_s: None,
            coverage: Polygon::empty(),
            coverage_given: false,
        };
        match coverage {
            Some(p) if !p.is_empty() => {
                cam.coverage = p;
                cam.coverage_given = true;
            }
            _ => cam.coverage = coverage::derive(&cam),
        }
        Ok(cam)
    }
}

fn calib(name: &str, i: Issue) -> Error {
    Error::Calibration { camera: name.to_string(), reason: format!("`{}`: {}", i.field, i.reason) }
}
