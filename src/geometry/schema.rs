//! The `cameras.json` entry as serde sees it, and its conversion to and
//! from [`Camera`] with field-relative errors.

use nalgebra::{Matrix3, Vector3};
use serde::{Deserialize, Serialize};

use super::camera::{Issue, Model};
use super::{Camera, Extrinsics, Intrinsics, Polygon};

/// One entry of `cameras.json`. Unknown fields are accepted and ignored
/// (FORMATS.md: formats grow only by optional fields other systems may add).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct CameraJson {
    pub(crate) id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) image_size: Option<[u32; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) fps: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) intrinsics: Option<IntrinsicsJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) extrinsics: Option<ExtrinsicsJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) homography: Option<[[f64; 3]; 3]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) pixel_noise: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) latency: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) coverage: Option<Vec<[f64; 2]>>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct IntrinsicsJson {
    fx: f64,
    fy: f64,
    cx: f64,
    cy: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dist: Option<Vec<f64>>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct ExtrinsicsJson {
    #[serde(rename = "R", default, skip_serializing_if = "Option::is_none")]
    r: Option<[[f64; 3]; 3]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rvec: Option<[f64; 3]>,
    t: [f64; 3],
}

fn issue(field: &'static str, reason: impl Into<String>) -> Issue {
    Issue { field, reason: reason.into() }
}

fn optional_number(
    v: Option<f64>,
    field: &'static str,
    strictly_positive: bool,
) -> Result<Option<f64>, Issue> {
    match v {
        None => Ok(None),
        Some(x) if !x.is_finite() => Err(issue(field, format!("must be a finite number, got {x}"))),
        Some(x) if strictly_positive && x <= 0.0 => {
            Err(issue(field, format!("must be > 0, got {x}")))
        }
        Some(x) if x < 0.0 => Err(issue(field, format!("must be >= 0, got {x}"))),
        Some(x) => Ok(Some(x)),
    }
}

impl CameraJson {
    /// Validates and builds the camera; the issue's field is relative to the entry.
    pub(crate) fn to_camera(&self) -> Result<Camera, Issue> {
        let fps = optional_number(self.fps, "fps", true)?;
        let pixel_noise = optional_number(self.pixel_noise, "pixel_noise", false)?;
        let latency = optional_number(self.latency, "latency", false)?;
        let coverage = match &self.coverage {
            None => None,
            Some(v) => {
                Polygon::check(v).map_err(|r| issue("coverage", r))?;
                Some(Polygon::unchecked(v.clone()))
            }
        };
        let model = match (&self.intrinsics, &self.extrinsics, &self.homography) {
            (Some(_), _, Some(_)) => {
                return Err(issue(
                    "homography",
                    "a camera has either `intrinsics` + `extrinsics` or `homography`, not both",
                ));
            }
            (None, Some(_), Some(_)) => {
                return Err(issue("extrinsics", "`extrinsics` cannot go with `homography`"));
            }
            (Some(_), None, None) => {
                return Err(issue("extrinsics", "`intrinsics` given without `extrinsics`"));
            }
            (None, Some(_), None) => {
                return Err(issue("intrinsics", "`extrinsics` given without `intrinsics`"));
            }
            (Some(k), Some(e), None) => {
                let dist = match k.dist.as_deref() {
                    None => [0.0; 5],
                    Some([k1, k2, p1, p2]) => [*k1, *k2, *p1, *p2, 0.0],
                    Some([k1, k2, p1, p2, k3]) => [*k1, *k2, *p1, *p2, *k3],
                    Some(d) => {
                        return Err(issue(
                            "intrinsics.dist",
                            format!(
                                "expected [k1, k2, p1, p2, k3] (4 or 5 numbers), got {} numbers",
                                d.len()
                            ),
                        ));
                    }
                };
                let k = Intrinsics { fx: k.fx, fy: k.fy, cx: k.cx, cy: k.cy, dist };
                let e = match (e.r, e.rvec) {
                    (Some(_), Some(_)) => {
                        return Err(issue("extrinsics", "give either `R` or `rvec`, not both"));
                    }
                    (None, None) => {
                        return Err(issue(
                            "extrinsics",
                            "needs `R` (3x3 rotation) or `rvec` (Rodrigues vector)",
                        ));
                    }
                    (Some(r), None) => {
                        Extrinsics { r: Matrix3::from_fn(|i, j| r[i][j]), t: Vector3::from(e.t) }
                    }
                    (None, Some(v)) => {
                        if !v.iter().all(|x| x.is_finite()) {
                            return Err(issue("extrinsics.rvec", "entries must be finite numbers"));
                        }
                        Extrinsics::from_rvec(v, e.t)
                    }
                };
                if self.image_size.is_none() {
                    return Err(issue("image_size", "required for a calibrated camera"));
                }
                Camera::pinhole_model(k, e)
            }
            (None, None, Some(h)) => match self.image_size {
                None => return Err(issue("image_size", "required for a calibrated camera")),
                Some(size) => Camera::homography_model(Matrix3::from_fn(|i, j| h[i][j]), size),
            },
            (None, None, None) => Ok(Model::WorldSensor),
        };
        let mut cam = Camera::build(self.id.clone(), self.image_size, model, coverage)?;
        cam.fps = fps;
        cam.pixel_noise_px = pixel_noise;
        cam.latency_s = latency;
        Ok(cam)
    }
}

impl From<Camera> for CameraJson {
    fn from(c: Camera) -> Self {
        let (intrinsics, extrinsics, homography) = match &c.model {
            Model::Pinhole(p) => (
                Some(IntrinsicsJson {
                    fx: p.k.fx,
                    fy: p.k.fy,
                    cx: p.k.cx,
                    cy: p.k.cy,
                    dist: Some(p.k.dist.to_vec()),
                }),
                Some(ExtrinsicsJson {
                    r: Some(std::array::from_fn(|i| std::array::from_fn(|j| p.e.r[(i, j)]))),
                    rvec: None,
                    t: p.e.t.into(),
                }),
                None,
            ),
            Model::Homography(h) => {
                (None, None, Some(std::array::from_fn(|i| std::array::from_fn(|j| h.h[(i, j)]))))
            }
            Model::WorldSensor => (None, None, None),
        };
        CameraJson {
            id: c.name.clone(),
            image_size: c.image_size_px,
            fps: c.fps,
            intrinsics,
            extrinsics,
            homography,
            pixel_noise: c.pixel_noise_px,
            latency: c.latency_s,
            coverage: c.coverage_given.then(|| c.coverage.vertices().to_vec()),
        }
    }
}

impl TryFrom<CameraJson> for Camera {
    type Error = String;
    fn try_from(j: CameraJson) -> Result<Self, String> {
        j.to_camera().map_err(|i| format!("camera `{}`: field `{}`: {}", j.id, i.field, i.reason))
    }
}
