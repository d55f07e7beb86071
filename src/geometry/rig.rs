//! The set of cameras of a site, loaded from `cameras.json`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::schema::CameraJson;
use super::{Camera, GroundPoint};
use crate::{CameraId, Error, Location, Result};

/// All cameras (and world sensors) of a site, in `cameras.json` order:
/// [`CameraId`]`(i)` is the i-th camera. Names are unique.
///
/// Serialised in the `cameras.json` form (`{"cameras": [...]}`);
/// deserialising validates.
///
/// ```
/// use fusetrack::geometry::{Camera, CameraRig, GroundPoint};
/// use fusetrack::CameraId;
/// let rig = CameraRig::new(vec![
///     Camera::look_at("a", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?,
///     Camera::world_sensor("radar"),
/// ])?;
/// assert_eq!(rig.id("radar"), Some(CameraId(1)));
/// assert_eq!(rig.cameras_seeing(GroundPoint { x: 0.0, y: 0.0 }).collect::<Vec<_>>(), vec![CameraId(0)]);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(into = "RigJson", try_from = "RigJson")]
pub struct CameraRig {
    cameras: Vec<Camera>,
    by_name: HashMap<String, CameraId>,
}

impl PartialEq for CameraRig {
    fn eq(&self, other: &Self) -> bool {
        self.cameras == other.cameras
    }
}

#[derive(Serialize, Deserialize)]
struct RigJson {
    cameras: Vec<Camera>,
}

/// The file form, for parsing with field-path errors.
#[derive(Deserialize)]
struct RigFile {
    cameras: Vec<CameraJson>,
}

impl From<CameraRig> for RigJson {
    fn from(r: CameraRig) -> Self {
        RigJson { cameras: r.cameras }
    }
}

impl TryFrom<RigJson> for CameraRig {
    type Error = Error;
    fn try_from(r: RigJson) -> Result<Self> {
        CameraRig::new(r.cameras)
    }
}

impl CameraRig {
    /// A rig of these cameras, in this order.
    ///
    /// # Errors
    /// [`Error::InvalidField`] (field `cameras[i].id`) if two cameras share a
    /// name; [`Error::Config`] if there are more than `u32::MAX` cameras.
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, CameraRig};
    /// let dup = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("a")]);
    /// assert!(dup.unwrap_err().to_string().contains("cameras[1].id"));
    /// ```
    pub fn new(cameras: Vec<Camera>) -> Result<CameraRig> {
        Self::with_location(cameras, &Location::none())
    }

    fn with_location(cameras: Vec<Camera>, at: &Location) -> Result<CameraRig> {
        let mut by_name = HashMap::with_capacity(cameras.len());
        for (i, c) in cameras.iter().enumerate() {
            let id = u32::try_from(i).map_err(|_| Error::Config {
                field: "cameras".into(),
                reason: "too many cameras".into(),
            })?;
            if let Some(first) = by_name.insert(c.name().to_string(), CameraId(id)) {
                return Err(Error::InvalidField {
                    at: at.clone(),
                    field: format!("cameras[{i}].id"),
                    reason: format!(
                        "camera `{}`: duplicate id, first used by cameras[{}]",
                        c.name(),
                        first.0
                    ),
                });
            }
        }
        Ok(CameraRig { cameras, by_name })
    }

    /// Parses `cameras.json` text. `at` names the file in errors.
    ///
    /// Unknown fields are accepted and ignored (FORMATS.md: the format grows
    /// only by optional fields that other systems may add).
    ///
    /// # Errors
    /// [`Error::Malformed`] for invalid JSON; [`Error::MissingField`] and
    /// [`Error::InvalidField`] with the field path (`cameras[2].intrinsics.fx`)
    /// and, when known, the camera id in the reason.
    ///
    /// ```
    /// use fusetrack::geometry::{CameraKind, CameraRig};
    /// use fusetrack::Location;
    /// let json = r#"{"cameras": [
    ///   {"id": "street-4", "image_size": [720, 576],
    ///    "homography": [[0.01, 0, -3.2], [0, 0.02, -1.1], [0, 0.0004, 1]]},
    ///   {"id": "radar", "vendor_extension": 7}
    /// ]}"#;
    /// let rig = CameraRig::from_json_str(json, &Location::file("cameras.json"))?;
    /// assert_eq!(rig.len(), 2);
    /// let bad = json.replace("0.0004, 1]]", "0.0004, 1]], \"fps\": -5");
    /// let err = CameraRig::from_json_str(&bad, &Location::file("cameras.json")).unwrap_err();
    /// assert_eq!(err.to_string(), "cameras.json: field `cameras[0].fps`: camera `street-4`: must be > 0, got -5");
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn from_json_str(json: &str, at: &Location) -> Result<CameraRig> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let file: RigFile =
            serde_path_to_error::deserialize(de).map_err(|e| schema_error(json, at, e))?;
        let mut cameras = Vec::with_capacity(file.cameras.len());
        for (i, c) in file.cameras.iter().enumerate() {
            let cam = c.to_camera().map_err(|issue| Error::InvalidField {
                at: at.clone(),
                field: format!("cameras[{i}].{}", issue.field),
                reason: format!("camera `{}`: {}", c.id, issue.reason),
            })?;
            cameras.push(cam);
        }
        Self::with_location(cameras, at)
    }

    /// Reads and parses a `cameras.json` file.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; otherwise as
    /// [`CameraRig::from_json_str`], with the file name.
    ///
    /// ```
    /// use fusetrack::geometry::CameraRig;
    /// let rig = CameraRig::load(concat!(env!("CARGO_MANIFEST_DIR"), "/data/plaza/cameras.json"))?;
    /// assert_eq!(rig.len(), 7);
    /// assert!(CameraRig::load("/nonexistent/cameras.json").is_err());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<CameraRig> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        Self::from_json_str(&text, &Location::file(path))
    }

    /// The rig as `cameras.json` text (pretty-printed). Pinhole rotations are
    /// written as `R`; derived coverages are not written (they are derived
    /// again on loading). Round-trips through [`CameraRig::from_json_str`].
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, CameraRig};
    /// use fusetrack::Location;
    /// let rig = CameraRig::new(vec![Camera::look_at("a", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?])?;
    /// let back = CameraRig::from_json_str(&rig.to_json_string(), &Location::none())?;
    /// assert_eq!(back, rig);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn to_json_string(&self) -> String {
        let cameras: Vec<CameraJson> = self.cameras.iter().cloned().map(CameraJson::from).collect();
        let v = serde_json::json!({ "cameras": cameras });
        serde_json::to_string_pretty(&v).unwrap_or_default()
    }

    /// The id of the camera with this name.
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, CameraRig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// assert_eq!(rig.id("a").map(|c| c.index()), Some(0));
    /// assert_eq!(rig.id("b"), None);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn id(&self, name: &str) -> Option<CameraId> {
        self.by_name.get(name).copied()
    }

    /// The camera with this id.
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, CameraRig};
    /// use fusetrack::CameraId;
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// assert_eq!(rig.get(CameraId(0)).map(|c| c.name()), Some("a"));
    /// assert!(rig.get(CameraId(1)).is_none());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn get(&self, id: CameraId) -> Option<&Camera> {
        self.cameras.get(id.index())
    }

    /// Number of cameras.
    ///
    /// ```
    /// use fusetrack::geometry::CameraRig;
    /// assert_eq!(CameraRig::new(vec![])?.len(), 0);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.cameras.len()
    }

    /// True if there is no camera.
    ///
    /// ```
    /// use fusetrack::geometry::CameraRig;
    /// assert!(CameraRig::new(vec![])?.is_empty());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.cameras.is_empty()
    }

    /// The cameras with their ids, in file order.
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, CameraRig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("b")])?;
    /// let names: Vec<&str> = rig.iter().map(|(_, c)| c.name()).collect();
    /// assert_eq!(names, ["a", "b"]);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (CameraId, &Camera)> {
        (0u32..).zip(self.cameras.iter()).map(|(i, c)| (CameraId(i), c))
    }

    /// The cameras whose coverage contains the ground point.
    ///
    /// ```
    /// use fusetrack::geometry::{CameraRig, GroundPoint};
    /// let rig = CameraRig::load(concat!(env!("CARGO_MANIFEST_DIR"), "/data/plaza/cameras.json"))?;
    /// assert!(rig.cameras_seeing(GroundPoint { x: 3.0, y: 9.0 }).count() >= 3);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn cameras_seeing(&self, g: GroundPoint) -> impl Iterator<Item = CameraId> + '_ {
        self.iter().filter(move |(_, c)| c.sees(g)).map(|(i, _)| i)
    }
}

/// Turns a serde error into a crate error naming the field path.
fn schema_error(
    json: &str,
    at: &Location,
    e: serde_path_to_error::Error<serde_json::Error>,
) -> Error {
    let path = e.path().to_string();
    let inner = e.inner();
    let at = Location {
        file: at.file.clone(),
        line: if inner.line() > 0 { Some(inner.line() as u64) } else { at.line },
    };
    if inner.is_syntax() || inner.is_eof() || inner.is_io() {
        return Error::Malformed { at, reason: inner.to_string() };
    }
    // The camera id, when the error is inside a camera entry that has one.
    let index = e.path().iter().find_map(|s| match s {
        serde_path_to_error::Segment::Seq { index } => Some(*index),
        _ => None,
    });
    let id = index.and_then(|i| {
        let v: serde_json::Value = serde_json::from_str(json).ok()?;
        v.get("cameras")?.get(i)?.get("id")?.as_str().map(str::to_string)
    });
    let msg = inner.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    let prefix = if path == "." { String::new() } else { format!("{path}.") };
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        // The index in the path names the camera.
        return Error::MissingField { at, field: format!("{prefix}{name}") };
    }
    Error::InvalidField {
        at,
        field: if path == "." { "cameras".into() } else { path },
        reason: match id {
            Some(id) => format!("camera `{id}`: {msg}"),
            None => msg,
        },
    }
}
