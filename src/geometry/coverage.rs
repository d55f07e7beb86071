//! Deriving a camera's ground coverage polygon from its calibration.

use nalgebra::{Vector2, Vector3};

use super::camera::Model;
use super::polygon::convex_hull;
use super::{Camera, PixelPoint, Polygon};

/// Height of a standing person, metres, used to cap a pinhole camera's range
/// (with [`MIN_PERSON_HEIGHT_PX`]).
///
/// ```
/// use fusetrack::geometry::{Camera, GroundPoint, MIN_PERSON_HEIGHT_PX, PERSON_HEIGHT_M};
/// // 10 m up, fy = 1000 px, tilted down so that the top of the image sees
/// // above the horizon: the derived coverage stops at the range where a
/// // person is about 20 px tall.
/// let cam = Camera::look_at("mast", [1920, 1080], 1000.0, [0.0, 0.0, 10.0], [0.0, 20.0, 0.0])?;
/// let range_m = PERSON_HEIGHT_M * 1000.0 / MIN_PERSON_HEIGHT_PX;
/// assert!((range_m - 85.0).abs() < 1e-12);
/// assert!(cam.sees(GroundPoint { x: 0.0, y: 84.0 }));
/// assert!(!cam.sees(GroundPoint { x: 0.0, y: 86.0 }));
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub const PERSON_HEIGHT_M: f64 = 1.7;
/// A person imaged smaller than this (pixels) is taken as undetectable: the
/// derived coverage of a pinhole camera stops at the horizontal range
/// `PERSON_HEIGHT_M * fy / MIN_PERSON_HEIGHT_PX` from the camera's foot point.
///
/// ```
/// use fusetrack::geometry::{Camera, MIN_PERSON_HEIGHT_PX, PERSON_HEIGHT_M};
/// let cam = Camera::look_at("mast", [1920, 1080], 1000.0, [0.0, 0.0, 10.0], [0.0, 20.0, 0.0])?;
/// let range_m = PERSON_HEIGHT_M * 1000.0 / MIN_PERSON_HEIGHT_PX;
/// // The farthest coverage vertex, measured from the mast's foot (0, 0).
/// let farthest = cam.coverage().vertices().iter().map(|v| v[0].hypot(v[1])).fold(0.0, f64::max);
/// assert!((farthest - range_m).abs() < 1e-9);
/// // A person standing there is imaged at about MIN_PERSON_HEIGHT_PX.
/// let head = cam.world_to_image([0.0, range_m, PERSON_HEIGHT_M]).unwrap();
/// let feet = cam.world_to_image([0.0, range_m, 0.0]).unwrap();
/// assert!((feet.y - head.y - MIN_PERSON_HEIGHT_PX).abs() < 0.15 * MIN_PERSON_HEIGHT_PX);
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub const MIN_PERSON_HEIGHT_PX: f64 = 20.0;
/// Range cap of a homography camera's derived coverage, metres from the
/// ground point seen at the bottom centre of the image (a homography does
/// not tell the camera's position or focal length).
///
/// ```
/// use fusetrack::geometry::{Camera, PixelPoint, HOMOGRAPHY_MAX_RANGE_M};
/// // The homography of a camera whose upper image rows see past the horizon:
/// // the rows just below it map to the ground arbitrarily far away.
/// let pin = Camera::look_at("mast", [1920, 1080], 1000.0, [0.0, 0.0, 10.0], [0.0, 20.0, 0.0])?;
/// let cam = Camera::homography("mast-h", [1920, 1080], pin.ground_homography().unwrap())?;
/// let origin = cam.image_to_ground(PixelPoint { x: 960.0, y: 1080.0 }).unwrap();
/// let farthest = cam
///     .coverage()
///     .vertices()
///     .iter()
///     .map(|v| (v[0] - origin.x).hypot(v[1] - origin.y))
///     .fold(0.0, f64::max);
/// assert!((farthest - HOMOGRAPHY_MAX_RANGE_M).abs() < 1e-9);
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub const HOMOGRAPHY_MAX_RANGE_M: f64 = 100.0;
/// Samples per image side when walking the border to derive a coverage: a
/// derived coverage has at most `4 * BORDER_SAMPLES_PER_SIDE` vertices.
///
/// ```
/// use fusetrack::geometry::{Camera, Extrinsics, Intrinsics, BORDER_SAMPLES_PER_SIDE};
/// use nalgebra::{Matrix3, Vector3};
/// // Looking straight down from 5 m: every border pixel meets the ground.
/// let k = Intrinsics { fx: 1000.0, fy: 1000.0, cx: 320.0, cy: 240.0, dist: [0.0; 5] };
/// let e = Extrinsics {
///     r: Matrix3::new(1.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, -1.0),
///     t: Vector3::new(0.0, 0.0, 5.0),
/// };
/// let cam = Camera::pinhole("down", [640, 480], k, e)?;
/// assert_eq!(cam.coverage().vertices().len(), 4 * BORDER_SAMPLES_PER_SIDE);
/// // The footprint is the image scaled by height / focal length: 3.2 m x 2.4 m.
/// assert!((cam.coverage().area_m2() - 3.2 * 2.4).abs() < 1e-9);
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub const BORDER_SAMPLES_PER_SIDE: usize = 16;

/// The image border, clockwise on screen from the top-left corner, as
/// `4 * BORDER_SAMPLES_PER_SIDE` raw pixels on the rectangle `[0, w] x [0, h]`.
fn border(w: f64, h: f64) -> impl Iterator<Item = PixelPoint> {
    let n = BORDER_SAMPLES_PER_SIDE;
    (0..4 * n).map(move |i| {
        let t = (i % n) as f64 / n as f64;
        let (x, y) = match i / n {
            0 => (t * w, 0.0),
            1 => (w, t * h),
            2 => ((1.0 - t) * w, h),
            _ => (0.0, (1.0 - t) * h),
        };
        PixelPoint { x, y }
    })
}

/// Caps `g` at `range` metres from `origin`, along the line from `origin`.
fn cap(origin: Vector2<f64>, g: Vector2<f64>, range: f64) -> Vector2<f64> {
    let d = g - origin;
    let n = d.norm();
    if n > range { origin + d * (range / n) } else { g }
}

/// The derived coverage of a camera (empty for a world sensor). See the
/// module docs for the method.
pub(crate) fn derive(cam: &Camera) -> Polygon {
    let Some([w, h]) = cam.image_size_px else { return Polygon::empty() };
    let (w, h) = (f64::from(w), f64::from(h));
    let ring: Vec<[f64; 2]> = match &cam.model {
        Model::WorldSensor => return Polygon::empty(),
        Model::Pinhole(p) => {
            let range = PERSON_HEIGHT_M * p.k.fy / MIN_PERSON_HEIGHT_PX;
            let c = p.centre;
            let foot = Vector2::new(c.x, c.y);
            border(w, h)
                .filter_map(|px| {
                    let d: Vector3<f64> = cam.pixel_ray(px)?;
                    let horiz = Vector2::new(d.x, d.y);
                    let g = if d.z < 0.0 {
                        let s = -c.z / d.z;
                        cap(foot, foot + horiz * s, range)
                    } else {
                        // Above the horizon: the farthest point in that direction.
                        let n = horiz.norm();
                        if !(n > 0.0) {
                            return None;
                        }
                        foot + horiz * (range / n)
                    };
                    (g.x.is_finite() && g.y.is_finite()).then_some([g.x, g.y])
                })
                .collect()
        }
        Model::Homography(hm) => {
            let origin = [PixelPoint { x: 0.5 * w, y: h }, PixelPoint { x: 0.5 * w, y: 0.5 * h }]
                .into_iter()
                .find_map(|px| {
                    let q = hm.h * Vector3::new(px.x, px.y, 1.0);
                    (q.z > 0.0).then(|| Vector2::new(q.x / q.z, q.y / q.z))
                });
            let Some(origin) = origin else { return Polygon::empty() };
            border(w, h)
                .filter_map(|px| {
                    let q = hm.h * Vector3::new(px.x, px.y, 1.0);
                    if !(q.z > 0.0) {
                        return None;
                    }
                    let g = cap(origin, Vector2::new(q.x / q.z, q.y / q.z), HOMOGRAPHY_MAX_RANGE_M);
                    (g.x.is_finite() && g.y.is_finite()).then_some([g.x, g.y])
                })
                .collect()
        }
    };
    simple_polygon(ring)
}

/// The ring as a simple polygon: consecutive duplicates removed; if it is
/// still not simple (strong distortion can twist the border), its convex
/// hull; empty if even that is degenerate.
fn simple_polygon(mut ring: Vec<[f64; 2]>) -> Polygon {
    ring.dedup_by(|a, b| (a[0] - b[0]).hypot(a[1] - b[1]) < 1e-9);
    while ring.len() > 1
        && ring
            .first()
            .zip(ring.last())
            .is_some_and(|(a, b)| (a[0] - b[0]).hypot(a[1] - b[1]) < 1e-9)
    {
        ring.pop();
    }
    if Polygon::check(&ring).is_ok() {
        return Polygon::unchecked(ring);
    }
    let hull = convex_hull(&ring);
    if Polygon::check(&hull).is_ok() { Polygon::unchecked(hull) } else { Polygon::empty() }
}
