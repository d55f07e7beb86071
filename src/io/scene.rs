//! Reading and writing the files of a scene folder (`FORMATS.md`, version 1).
//!
//! | file | read | write |
//! | --- | --- | --- |
//! | `detections.jsonl` | [`DetectionReader`] (a stream, one line at a time) | [`DetectionWriter`] |
//! | `ground_truth.jsonl` | [`RowReader<GroundTruthRow>`], [`read_ground_truth`] | [`JsonlWriter`] |
//! | `incidents.jsonl` | [`RowReader<Incident>`], [`read_incidents`] | [`JsonlWriter`] |
//! | `tracks.jsonl` | [`RowReader<TrackRow>`] | [`JsonlWriter`] |
//! | `alerts.jsonl` | [`RowReader<AlertRow>`] | [`JsonlWriter`] |
//!
//! The readers are lenient where the contract allows it and strict where it
//! does not:
//! - **Unknown fields are ignored.** The contract only ever changes by adding
//!   optional fields, so a newer writer's file must stay readable.
//! - **Blank lines are skipped.**
//! - **Every other problem is an error that names the file, the line and the
//!   field**, and the reader then goes on with the next line, so a caller can
//!   report a bad line and keep everything else.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::{BBox, CameraId, Detection, Error, Location, Observation, Result, TrackId};

// ---------------------------------------------------------------------------
// Scene folder
// ---------------------------------------------------------------------------

/// The paths of the files of a scene folder.
///
/// ```
/// use fusetrack::io::SceneDir;
/// let s = SceneDir::new("data/plaza");
/// assert_eq!(s.detections(), std::path::Path::new("data/plaza/detections.jsonl"));
/// assert_eq!(s.cameras(), std::path::Path::new("data/plaza/cameras.json"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SceneDir {
    root: PathBuf,
}

impl SceneDir {
    /// A scene folder at `root`, without checking anything (for writing
    /// outputs, or for a folder that does not exist yet). Use
    /// [`SceneDir::open`] to check that the required files are there.
    ///
    /// ```
    /// use fusetrack::io::SceneDir;
    /// let s = SceneDir::new("does/not/exist");
    /// assert_eq!(s.root(), std::path::Path::new("does/not/exist"));
    /// assert!(!s.has_ground_truth());
    /// ```
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Opens an existing scene folder: checks that `cameras.json` and
    /// `detections.jsonl` are there.
    ///
    /// # Errors
    /// [`Error::Io`] naming the first required file that is missing or not a file.
    ///
    /// ```
    /// use fusetrack::{io::SceneDir, Error};
    /// let e = SceneDir::open("no/such/scene").unwrap_err();
    /// assert!(matches!(e, Error::Io { .. }));
    /// assert!(e.to_string().contains("no/such/scene/cameras.json"));
    /// ```
    pub fn open(root: impl Into<PathBuf>) -> Result<Self> {
        let s = Self::new(root);
        for p in [s.cameras(), s.detections()] {
            match std::fs::metadata(&p) {
                Ok(m) if m.is_file() => {}
                Ok(_) => {
                    return Err(Error::Io {
                        path: p,
                        source: std::io::Error::new(
                            std::io::ErrorKind::InvalidInput,
                            "required scene file is not a regular file",
                        ),
                    });
                }
                Err(source) => return Err(Error::Io { path: p, source }),
            }
        }
        Ok(s)
    }

    /// The folder, as given.
    ///
    /// ```
    /// use fusetrack::io::SceneDir;
    /// let s = SceneDir::new("data/museum");
    /// assert_eq!(s.root(), std::path::Path::new("data/museum"));
    /// ```
    pub fn root(&self) -> &Path {
        &self.root
    }
    /// `cameras.json` (required).
    ///
    /// ```
    /// use fusetrack::io::SceneDir;
    /// let s = SceneDir::new("data/museum");
    /// assert_eq!(s.cameras(), std::path::Path::new("data/museum/cameras.json"));
    /// ```
    pub fn cameras(&self) -> PathBuf {
        self.root.join("cameras.json")
    }
    /// `detections.jsonl` (required).
    ///
    /// ```
    /// use fusetrack::io::SceneDir;
    /// let s = SceneDir::new("data/museum");
    /// assert_eq!(s.detections(), std::path::Path::new("data/museum/detections.jsonl"));
    /// ```
    pub fn detections(&self) -> PathBuf {
        self.root.join("detections.jsonl")
    }
    /// `ground_truth.jsonl` (optional).
    ///
    /// ```
    /// use fusetrack::io::SceneDir;
    /// let s = SceneDir::new("data/museum");
    /// assert_eq!(s.ground_truth(), std::path::Path::new("data/museum/ground_truth.jsonl"));
    /// ```
    pub fn ground_truth(&self) -> PathBuf {
        self.root.join("ground_truth.jsonl")
    }
    /// `scene.json` (optional).
    ///
    /// ```
    /// use fusetrack::io::SceneDir;
    /// let s = SceneDir::new("data/museum");
    /// assert_eq!(s.scene(), std::path::Path::new("data/museum/scene.json"));
    /// ```
    pub fn scene(&self) -> PathBuf {
        self.root.join("scene.json")
    }
    /// `incidents.jsonl` (optional).
    ///
    /// ```
    /// use fusetrack::io::SceneDir;
    /// let s = SceneDir::new("data/museum");
    /// assert_eq!(s.incidents(), std::path::Path::new("data/museum/incidents.jsonl"));
    /// ```
    pub fn incidents(&self) -> PathBuf {
        self.root.join("incidents.jsonl")
    }
    /// `tracks.jsonl` (output).
    ///
    /// ```
    /// use fusetrack::io::SceneDir;
    /// let s = SceneDir::new("data/museum");
    /// assert_eq!(s.tracks(), std::path::Path::new("data/museum/tracks.jsonl"));
    /// ```
    pub fn tracks(&self) -> PathBuf {
        self.root.join("tracks.jsonl")
    }
    /// `alerts.jsonl` (output).
    ///
    /// ```
    /// use fusetrack::io::SceneDir;
    /// let s = SceneDir::new("data/museum");
    /// assert_eq!(s.alerts(), std::path::Path::new("data/museum/alerts.jsonl"));
    /// ```
    pub fn alerts(&self) -> PathBuf {
        self.root.join("alerts.jsonl")
    }
    /// `health.jsonl` (output).
    ///
    /// ```
    /// use fusetrack::io::SceneDir;
    /// let s = SceneDir::new("data/museum");
    /// assert_eq!(s.health(), std::path::Path::new("data/museum/health.jsonl"));
    /// ```
    pub fn health(&self) -> PathBuf {
        self.root.join("health.jsonl")
    }
    /// True when the optional `ground_truth.jsonl` exists (as a file).
    ///
    /// ```
    /// use fusetrack::io::SceneDir;
    /// let museum = SceneDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/museum"));
    /// assert!(museum.has_ground_truth());
    /// assert!(!SceneDir::new("no/such/scene").has_ground_truth());
    /// ```
    pub fn has_ground_truth(&self) -> bool {
        self.ground_truth().is_file()
    }
}

/// Opens a file for buffered reading, naming it in the error.
fn open_read(path: &Path) -> Result<BufReader<File>> {
    File::open(path)
        .map(BufReader::new)
        .map_err(|source| Error::Io { path: path.to_path_buf(), source })
}

/// Creates (truncates) a file for buffered writing, naming it in the error.
fn create_write(path: &Path) -> Result<BufWriter<File>> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|source| Error::Io { path: path.to_path_buf(), source })
}

// ---------------------------------------------------------------------------
// Camera names
// ---------------------------------------------------------------------------

/// What the detection reader and writer need to know about the cameras:
/// name <-> [`CameraId`], and whether a camera can turn image boxes into
/// ground positions (a *world sensor* has no calibration and must send `world`).
///
/// Implemented by [`CameraRig`](crate::geometry::CameraRig); [`CameraNameTable`] is a stand-alone
/// implementation for tools and tests that have names but no calibration.
///
/// ```
/// use fusetrack::{io::{CameraNameTable, CameraNames}, CameraId};
/// let t = CameraNameTable::new([("cam-a", true), ("radar", false)]);
/// assert_eq!(t.camera_id("radar"), Some(CameraId(1)));
/// assert_eq!(t.camera_name(CameraId(0)), Some("cam-a"));
/// assert!(!t.accepts_bbox(CameraId(1)));
/// ```
pub trait CameraNames {
    /// The id of the camera called `name`, if there is one.
    fn camera_id(&self, name: &str) -> Option<CameraId>;
    /// The name of camera `id`, if there is one.
    fn camera_name(&self, id: CameraId) -> Option<&str>;
    /// False for a world sensor (no calibration: its detections must carry `world`).
    fn accepts_bbox(&self, id: CameraId) -> bool;
}

/// A list of camera names in `cameras.json` order, each with a flag saying
/// whether the camera is calibrated (accepts image boxes).
///
/// ```
/// use fusetrack::{io::{CameraNameTable, CameraNames}, CameraId};
/// let t = CameraNameTable::new([("a", true)]);
/// assert_eq!(t.camera_id("b"), None);
/// assert_eq!(t.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CameraNameTable {
    names: Vec<String>,
    accepts_bbox: Vec<bool>,
}

impl CameraNameTable {
    /// Builds the table; camera `i` of the iterator gets `CameraId(i)`.
    /// Each item is `(name, calibrated)`: `false` marks a world sensor, whose
    /// detections must carry `world` rather than `bbox`.
    ///
    /// ```
    /// use fusetrack::{io::{CameraNameTable, CameraNames}, CameraId};
    /// let t = CameraNameTable::new([("north", true), ("lidar", false)]);
    /// assert_eq!(t.camera_id("lidar"), Some(CameraId(1)));
    /// assert!(t.accepts_bbox(CameraId(0)));
    /// assert!(!t.accepts_bbox(CameraId(1)));
    /// assert!(!t.accepts_bbox(CameraId(9))); // unknown camera
    /// ```
    pub fn new<S: Into<String>>(cameras: impl IntoIterator<Item = (S, bool)>) -> Self {
        let mut t = Self::default();
        for (n, b) in cameras {
            t.names.push(n.into());
            t.accepts_bbox.push(b);
        }
        t
    }
    /// Number of cameras.
    ///
    /// ```
    /// use fusetrack::io::CameraNameTable;
    /// assert_eq!(CameraNameTable::new([("a", true), ("b", true)]).len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.names.len()
    }
    /// True when there is no camera.
    ///
    /// ```
    /// use fusetrack::io::CameraNameTable;
    /// assert!(CameraNameTable::default().is_empty());
    /// assert!(!CameraNameTable::new([("a", true)]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

impl CameraNames for CameraNameTable {
    fn camera_id(&self, name: &str) -> Option<CameraId> {
        self.names.iter().position(|n| n == name).and_then(|i| u32::try_from(i).ok()).map(CameraId)
    }
    fn camera_name(&self, id: CameraId) -> Option<&str> {
        self.names.get(id.index()).map(String::as_str)
    }
    fn accepts_bbox(&self, id: CameraId) -> bool {
        self.accepts_bbox.get(id.index()).copied().unwrap_or(false)
    }
}

impl CameraNames for crate::geometry::CameraRig {
    fn camera_id(&self, name: &str) -> Option<CameraId> {
        self.id(name)
    }
    fn camera_name(&self, id: CameraId) -> Option<&str> {
        self.get(id).map(|c| c.name())
    }
    fn accepts_bbox(&self, id: CameraId) -> bool {
        self.get(id).is_some_and(|c| c.kind() != crate::geometry::CameraKind::WorldSensor)
    }
}

impl<T: CameraNames + ?Sized> CameraNames for &T {
    fn camera_id(&self, name: &str) -> Option<CameraId> {
        (**self).camera_id(name)
    }
    fn camera_name(&self, id: CameraId) -> Option<&str> {
        (**self).camera_name(id)
    }
    fn accepts_bbox(&self, id: CameraId) -> bool {
        (**self).accepts_bbox(id)
    }
}

// ---------------------------------------------------------------------------
// detections.jsonl: reading
// ---------------------------------------------------------------------------

/// A string borrowed from the line when it has no escapes.
struct Str<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                v: &'de str,
            ) -> std::result::Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// One line of `detections.jsonl`, as parsed, before validation.
#[derive(Default)]
struct RawDetection<'de> {
    t: Option<f64>,
    rx: Option<f64>,
    camera: Option<Str<'de>>,
    frame: Option<u64>,
    bbox: Option<[f64; 4]>,
    world: Option<[f64; 2]>,
    world_cov: Option<[[f64; 2]; 2]>,
    score: Option<f64>,
    class: Option<Str<'de>>,
    empty: Option<bool>,
}

/// Deserializes a detection line, recording in `field` which field was
/// being read, so that a type error can name it.
struct LineSeed<'c> {
    field: &'c Cell<Option<&'static str>>,
}

const DETECTION_FIELDS: [&str; 10] =
    ["t", "rx", "camera", "frame", "bbox", "world", "world_cov", "score", "class", "empty"];

impl<'de> DeserializeSeed<'de> for LineSeed<'_> {
    type Value = RawDetection<'de>;
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LineSeed<'_> {
    type Value = RawDetection<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        fn put<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
            map: &mut A,
            slot: &mut Option<T>,
            name: &'static str,
        ) -> std::result::Result<(), A::Error> {
            if slot.is_some() {
                return Err(de::Error::custom(format_args!("duplicate field `{name}`")));
            }
            // `null` counts as absent.
            *slot = map.next_value::<Option<T>>()?;
            Ok(())
        }
        let mut r = RawDetection::default();
        while let Some(key) = map.next_key::<Str<'de>>()? {
            let name = DETECTION_FIELDS.iter().copied().find(|f| *f == key.0);
            self.field.set(name);
            match name {
                Some("t") => put(&mut map, &mut r.t, "t")?,
                Some("rx") => put(&mut map, &mut r.rx, "rx")?,
                Some("camera") => put(&mut map, &mut r.camera, "camera")?,
                Some("frame") => put(&mut map, &mut r.frame, "frame")?,
                Some("bbox") => put(&mut map, &mut r.bbox, "bbox")?,
                Some("world") => put(&mut map, &mut r.world, "world")?,
                Some("world_cov") => put(&mut map, &mut r.world_cov, "world_cov")?,
                Some("score") => put(&mut map, &mut r.score, "score")?,
                Some("class") => put(&mut map, &mut r.class, "class")?,
                Some("empty") => put(&mut map, &mut r.empty, "empty")?,
                // Unknown fields (e.g. `embedding`, or fields added by a newer
                // version of the contract) are skipped.
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            self.field.set(None);
        }
        Ok(r)
    }
}

fn invalid(at: &Location, field: &str, reason: impl Into<String>) -> Error {
    Error::InvalidField { at: at.clone(), field: field.to_owned(), reason: reason.into() }
}

/// Parses and validates one non-blank line of `detections.jsonl`.
fn parse_detection_line<C: CameraNames>(
    line: &str,
    cameras: &C,
    at: &dyn Fn() -> Location,
) -> Result<Detection> {
    let field = Cell::new(None);
    let mut de = serde_json::Deserializer::from_str(line);
    let parsed = LineSeed { field: &field }.deserialize(&mut de).and_then(|r| de.end().map(|()| r));
    let raw = match parsed {
        Ok(r) => r,
        Err(e) => {
            return Err(match field.get() {
                Some(f) if e.is_data() => invalid(&at(), f, e.to_string()),
                _ => Error::Malformed { at: at(), reason: e.to_string() },
            });
        }
    };
    let t = raw.t.ok_or_else(|| Error::MissingField { at: at(), field: "t".into() })?;
    if !t.is_finite() {
        return Err(invalid(&at(), "t", format!("capture time must be finite, got {t}")));
    }
    let rx = raw.rx.unwrap_or(t);
    if !rx.is_finite() {
        return Err(invalid(&at(), "rx", format!("arrival time must be finite, got {rx}")));
    }
    let camera_name =
        raw.camera.ok_or_else(|| Error::MissingField { at: at(), field: "camera".into() })?;
    let camera = cameras.camera_id(&camera_name.0).ok_or_else(|| Error::UnknownCamera {
        at: at(),
        camera: camera_name.0.clone().into_owned(),
    })?;
    if let Some(s) = raw.score {
        if !(0.0..=1.0).contains(&s) {
            return Err(invalid(&at(), "score", format!("score must be in [0, 1], got {s}")));
        }
    }
    let empty = raw.empty.unwrap_or(false);
    let observation = if empty {
        if raw.bbox.is_some() || raw.world.is_some() {
            return Err(invalid(
                &at(),
                "empty",
                "an empty-frame marker cannot also carry `bbox` or `world`",
            ));
        }
        Observation::Empty
    } else {
        if let Some(b) = raw.bbox {
            let bb = BBox { x: b[0], y: b[1], w: b[2], h: b[3] };
            if let Some(reason) = bb.invalid_reason() {
                return Err(invalid(&at(), "bbox", format!("{reason}, got {b:?}")));
            }
            if !cameras.accepts_bbox(camera) {
                return Err(Error::Unprojectable {
                    at: at(),
                    camera: camera_name.0.into_owned(),
                    reason: "field `bbox` from a camera without calibration (a world sensor must send `world`)".into(),
                });
            }
        }
        if raw.world_cov.is_some() && raw.world.is_none() {
            return Err(invalid(&at(), "world_cov", "`world_cov` given without `world`"));
        }
        match (raw.world, raw.bbox) {
            (Some(w), _) => {
                if !(w[0].is_finite() && w[1].is_finite()) {
                    return Err(invalid(
                        &at(),
                        "world",
                        format!("position must be finite, got {w:?}"),
                    ));
                }
                if let Some(c) = raw.world_cov {
                    if let Some(reason) = cov_invalid_reason(&c) {
                        return Err(invalid(&at(), "world_cov", format!("{reason}, got {c:?}")));
                    }
                }
                Observation::World { position_m: w, cov_m2: raw.world_cov }
            }
            (None, Some(b)) => Observation::BBox(BBox { x: b[0], y: b[1], w: b[2], h: b[3] }),
            (None, None) => {
                if !cameras.accepts_bbox(camera) {
                    return Err(Error::MissingField { at: at(), field: "world".into() });
                }
                return Err(Error::MissingField { at: at(), field: "bbox".into() });
            }
        }
    };
    Ok(Detection {
        t_s: t,
        rx_s: rx,
        camera,
        frame: raw.frame,
        observation,
        score: raw.score,
        class: raw.class.map(|c| c.0.into_owned()),
    })
}

/// `Some(reason)` unless `c` is a finite, symmetric, positive semi-definite 2x2 matrix.
fn cov_invalid_reason(c: &[[f64; 2]; 2]) -> Option<&'static str> {
    let [[a, b], [b2, d]] = *c;
    if ![a, b, b2, d].iter().all(|v| v.is_finite()) {
        return Some("covariance entries must be finite");
    }
    let scale = a.abs().max(d.abs()).max(b.abs()).max(f64::MIN_POSITIVE);
    if (b - b2).abs() > 1e-9 * scale {
        return Some("covariance must be symmetric");
    }
    let tol = 1e-12 * scale * scale;
    if a < 0.0 || d < 0.0 || a * d - b * b2 < -tol {
        return Some("covariance must be positive semi-definite");
    }
    None
}

/// A stream over the detections of a `detections.jsonl` file: one line is
/// read, parsed and validated per call to `next`, so the file is never held
/// in memory.
///
/// Each item is a [`Detection`] or an error that names the file, the line
/// and the field: [`Error::Malformed`] (not JSON, or a truncated last line),
/// [`Error::MissingField`], [`Error::InvalidField`] (a value out of range or of
/// the wrong type), [`Error::UnknownCamera`], [`Error::Unprojectable`] (a
/// box from a camera without calibration). After an error the stream goes
/// on with the next line. A read error of the underlying file
/// ([`Error::Io`]) ends the stream.
///
/// Rules beyond the field checks: `rx` absent means `rx = t`; `null` counts
/// as absent; a line needs `bbox`, `world` or `"empty": true`; when both
/// `bbox` and `world` are given, `world` is used (the sensor's own ground
/// position) after the box has been checked; unknown fields are ignored;
/// blank lines are skipped.
///
/// ```
/// use fusetrack::io::{CameraNameTable, DetectionReader};
/// use fusetrack::{CameraId, Error, Observation};
/// let cams = CameraNameTable::new([("cam-a", true)]);
/// let text = "{\"t\": 1.0, \"camera\": \"cam-a\", \"bbox\": [10, 20, 5, 15]}\n\
///             {\"t\": 1.1, \"camera\": \"cam-z\", \"empty\": true}\n\
///             {\"t\": 1.2, \"rx\": 1.5, \"camera\": \"cam-a\", \"empty\": true}\n";
/// let items: Vec<_> = DetectionReader::new(text.as_bytes(), "d.jsonl", &cams).collect();
/// let first = items[0].as_ref().unwrap();
/// assert_eq!((first.t_s, first.rx_s, first.camera), (1.0, 1.0, CameraId(0)));
/// assert!(matches!(&items[1], Err(Error::UnknownCamera { camera, .. }) if camera == "cam-z"));
/// assert_eq!(items[1].as_ref().unwrap_err().to_string(), "d.jsonl:2: unknown camera `cam-z`");
/// assert_eq!(items[2].as_ref().unwrap().observation, Observation::Empty);
/// ```
pub struct DetectionReader<R, C> {
    input: R,
    path: PathBuf,
    cameras: C,
    line_no: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead, C: CameraNames> DetectionReader<R, C> {
    /// A reader over `input`; `path` is only used in error messages.
    ///
    /// ```
    /// use fusetrack::io::{CameraNameTable, DetectionReader};
    /// let cams = CameraNameTable::new([("a", true)]);
    /// let text = "{\"t\": 0.5, \"camera\": \"a\", \"bbox\": [1, 2, 3, 4]}\n";
    /// let mut r = DetectionReader::new(text.as_bytes(), "in-memory", &cams);
    /// assert_eq!(r.next().unwrap().unwrap().t_s, 0.5);
    /// assert!(r.next().is_none());
    /// ```
    pub fn new(input: R, path: impl Into<PathBuf>, cameras: C) -> Self {
        Self {
            input,
            path: path.into(),
            cameras,
            line_no: 0,
            buf: Vec::with_capacity(256),
            done: false,
        }
    }

    /// The one-based number of the line read last (0 before the first).
    /// Blank lines count, so this matches the line numbers of an editor.
    ///
    /// ```
    /// use fusetrack::io::{CameraNameTable, DetectionReader};
    /// let cams = CameraNameTable::new([("a", true)]);
    /// let text = "\n{\"t\": 0.5, \"camera\": \"a\", \"empty\": true}\n";
    /// let mut r = DetectionReader::new(text.as_bytes(), "d.jsonl", &cams);
    /// assert_eq!(r.line_no(), 0);
    /// assert!(r.next().unwrap().is_ok());
    /// assert_eq!(r.line_no(), 2); // the blank line 1 was skipped
    /// ```
    pub fn line_no(&self) -> u64 {
        self.line_no
    }
}

impl<C: CameraNames> DetectionReader<BufReader<File>, C> {
    /// Opens `path` for reading.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be opened.
    ///
    /// ```
    /// use fusetrack::io::{CameraNameTable, DetectionReader};
    /// let cams = CameraNameTable::new([("a", true)]);
    /// assert!(DetectionReader::open("missing/detections.jsonl", &cams).is_err());
    /// ```
    pub fn open(path: impl AsRef<Path>, cameras: C) -> Result<Self> {
        let p = path.as_ref();
        Ok(Self::new(open_read(p)?, p, cameras))
    }
}

impl<R: BufRead, C: CameraNames> Iterator for DetectionReader<R, C> {
    type Item = Result<Detection>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let line = match next_text_line(
                &mut self.input,
                &mut self.buf,
                &mut self.line_no,
                &self.path,
                &mut self.done,
            )? {
                Ok(Some(l)) => l,
                Ok(None) => continue,
                Err(e) => return Some(Err(e)),
            };
            let text = line.text;
            let at = || Location::file_line(&self.path, self.line_no);
            let r = parse_detection_line(text, &self.cameras, &at);
            return Some(r.map_err(|e| truncation_note(e, line.unterminated)));
        }
    }
}

/// One line as read: its bytes without the line end, and whether it was the
/// last line of the file without a newline.
struct Line<'b> {
    bytes: &'b [u8],
    unterminated: bool,
}

/// Reads the next line into `buf`. `None` at the end of the input (or after
/// a read error was reported).
fn next_line<'b, R: BufRead>(
    input: &mut R,
    buf: &'b mut Vec<u8>,
    line_no: &mut u64,
    path: &Path,
    done: &mut bool,
) -> Option<Result<Line<'b>>> {
    if *done {
        return None;
    }
    buf.clear();
    match input.read_until(b'\n', buf) {
        Ok(0) => {
            *done = true;
            None
        }
        Ok(_) => {
            *line_no += 1;
            let unterminated = buf.last() != Some(&b'\n');
            let mut end = buf.len();
            if !unterminated {
                end -= 1;
                if end > 0 && buf.get(end - 1) == Some(&b'\r') {
                    end -= 1;
                }
            }
            Some(Ok(Line { bytes: buf.get(..end).unwrap_or(&[]), unterminated }))
        }
        Err(source) => {
            *done = true;
            Some(Err(Error::Io { path: path.to_path_buf(), source }))
        }
    }
}

/// One line of text, without its line ending.
struct TextLine<'b> {
    text: &'b str,
    unterminated: bool,
}

/// The next line as text: `Ok(None)` for a blank line, an error naming
/// the line when it is not UTF-8; `None` at the end of the input.
fn next_text_line<'b, R: BufRead>(
    input: &mut R,
    buf: &'b mut Vec<u8>,
    line_no: &mut u64,
    path: &Path,
    done: &mut bool,
) -> Option<Result<Option<TextLine<'b>>>> {
    let line = match next_line(input, buf, line_no, path, done)? {
        Ok(l) => l,
        Err(e) => return Some(Err(e)),
    };
    Some(match std::str::from_utf8(line.bytes) {
        Ok(text) if text.trim().is_empty() => Ok(None),
        Ok(text) => Ok(Some(TextLine { text, unterminated: line.unterminated })),
        Err(e) => Err(Error::Malformed {
            at: Location::file_line(path, *line_no),
            reason: format!("line is not UTF-8: {e}"),
        }),
    })
}

/// Adds "truncated last line" to a malformed-JSON error on a last line that
/// has no newline.
fn truncation_note(e: Error, unterminated: bool) -> Error {
    match e {
        Error::Malformed { at, reason } if unterminated => Error::Malformed {
            at,
            reason: format!("truncated last line (no newline at end of file): {reason}"),
        },
        other => other,
    }
}

// ---------------------------------------------------------------------------
// detections.jsonl: writing
// ---------------------------------------------------------------------------

#[derive(Serialize)]
struct OutDetection<'a> {
    t: f64,
    rx: f64,
    camera: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    frame: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bbox: Option<[f64; 4]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    world: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    world_cov: Option<[[f64; 2]; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    empty: bool,
}

/// Writes [`Detection`]s as `detections.jsonl` lines, in the order given
/// (the caller keeps them sorted by `rx`). Numbers are written as they are:
/// round them first for compact files.
///
/// ```
/// use fusetrack::io::{CameraNameTable, DetectionWriter};
/// use fusetrack::{BBox, CameraId, Detection, Observation};
/// let cams = CameraNameTable::new([("cam-a", true)]);
/// let mut w = DetectionWriter::new(Vec::new(), "mem", &cams);
/// let d = Detection::new(1.5, CameraId(0), Observation::BBox(BBox { x: 1.0, y: 2.0, w: 3.0, h: 4.0 }))
///     .with_rx(1.6)
///     .with_frame(15);
/// w.write(&d).unwrap();
/// w.write(&Detection::new(1.6, CameraId(0), Observation::Empty)).unwrap();
/// let text = String::from_utf8(w.finish().unwrap()).unwrap();
/// assert_eq!(
///     text,
///     "{\"t\":1.5,\"rx\":1.6,\"camera\":\"cam-a\",\"frame\":15,\"bbox\":[1.0,2.0,3.0,4.0]}\n\
///      {\"t\":1.6,\"rx\":1.6,\"camera\":\"cam-a\",\"empty\":true}\n"
/// );
/// ```
pub struct DetectionWriter<W: Write, C> {
    out: W,
    path: PathBuf,
    cameras: C,
}

impl<W: Write, C: CameraNames> DetectionWriter<W, C> {
    /// A writer into `out`; `path` is only used in error messages.
    ///
    /// ```
    /// use fusetrack::io::{CameraNameTable, DetectionWriter};
    /// let cams = CameraNameTable::new([("a", true)]);
    /// let w = DetectionWriter::new(Vec::new(), "mem", &cams);
    /// assert!(w.finish().unwrap().is_empty()); // nothing written yet
    /// ```
    pub fn new(out: W, path: impl Into<PathBuf>, cameras: C) -> Self {
        Self { out, path: path.into(), cameras }
    }

    /// Writes one line. A world observation is written as `world` (with
    /// `world_cov` when it has one), an empty frame as `"empty": true`.
    ///
    /// # Errors
    /// [`Error::UnknownCamera`] if the detection's camera is not in the table
    /// (nothing is written then), [`Error::Io`] if writing fails.
    ///
    /// ```
    /// use fusetrack::io::{CameraNameTable, DetectionWriter};
    /// use fusetrack::{CameraId, Detection, Error, Observation};
    /// let cams = CameraNameTable::new([("radar", false)]);
    /// let mut w = DetectionWriter::new(Vec::new(), "mem", &cams);
    /// let seen = Observation::World { position_m: [2.0, -1.5], cov_m2: None };
    /// w.write(&Detection::new(3.0, CameraId(0), seen.clone())).unwrap();
    /// let stray = Detection::new(3.0, CameraId(7), seen);
    /// assert!(matches!(w.write(&stray), Err(Error::UnknownCamera { .. })));
    /// assert_eq!(
    ///     w.finish().unwrap(),
    ///     b"{\"t\":3.0,\"rx\":3.0,\"camera\":\"radar\",\"world\":[2.0,-1.5]}\n"
    /// );
    /// ```
    pub fn write(&mut self, d: &Detection) -> Result<()> {
        let camera = self.cameras.camera_name(d.camera).ok_or_else(|| Error::UnknownCamera {
            at: Location::file(&self.path),
            camera: format!("#{}", d.camera.0),
        })?;
        let mut o = OutDetection {
            t: d.t_s,
            rx: d.rx_s,
            camera,
            frame: d.frame,
            bbox: None,
            world: None,
            world_cov: None,
            score: d.score,
            class: d.class.as_deref(),
            empty: false,
        };
        match d.observation {
            Observation::BBox(b) => o.bbox = Some([b.x, b.y, b.w, b.h]),
            Observation::World { position_m, cov_m2 } => {
                o.world = Some(position_m);
                o.world_cov = cov_m2;
            }
            Observation::Empty => o.empty = true,
        }
        write_json_line(&mut self.out, &o, &self.path)
    }

    /// Flushes and returns the inner writer.
    ///
    /// # Errors
    /// [`Error::Io`] if flushing fails.
    ///
    /// ```
    /// use fusetrack::io::{CameraNameTable, DetectionWriter};
    /// use fusetrack::{CameraId, Detection, Observation};
    /// let cams = CameraNameTable::new([("a", true)]);
    /// let mut w = DetectionWriter::new(Vec::new(), "mem", &cams);
    /// w.write(&Detection::new(0.0, CameraId(0), Observation::Empty)).unwrap();
    /// let bytes = w.finish().unwrap();
    /// assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 1);
    /// ```
    pub fn finish(mut self) -> Result<W> {
        self.out.flush().map_err(|source| Error::Io { path: self.path.clone(), source })?;
        Ok(self.out)
    }
}

impl<C: CameraNames> DetectionWriter<BufWriter<File>, C> {
    /// Creates (or truncates) the file at `path`.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be created.
    ///
    /// ```
    /// use fusetrack::io::{CameraNameTable, DetectionWriter};
    /// let cams = CameraNameTable::new([("a", true)]);
    /// assert!(DetectionWriter::create("no/such/dir/d.jsonl", &cams).is_err());
    /// ```
    pub fn create(path: impl AsRef<Path>, cameras: C) -> Result<Self> {
        let p = path.as_ref();
        Ok(Self::new(create_write(p)?, p, cameras))
    }
}

fn write_json_line<W: Write, T: Serialize + ?Sized>(
    out: &mut W,
    row: &T,
    path: &Path,
) -> Result<()> {
    let io_err = |source: std::io::Error| Error::Io { path: path.to_path_buf(), source };
    serde_json::to_writer(&mut *out, row).map_err(|e| io_err(std::io::Error::other(e)))?;
    out.write_all(b"\n").map_err(io_err)
}

// ---------------------------------------------------------------------------
// Row files: ground truth, incidents, tracks, alerts
// ---------------------------------------------------------------------------

/// One line of `ground_truth.jsonl`: where object `id` truly was at `t_s`.
///
/// ```
/// use fusetrack::io::GroundTruthRow;
/// let r = GroundTruthRow { t_s: 12.4, id: 7, x: 3.512, y: -1.25 };
/// assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"t":12.4,"id":7,"x":3.512,"y":-1.25}"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GroundTruthRow {
    /// Time, seconds.
    #[serde(rename = "t")]
    pub t_s: f64,
    /// Object id, stable over time.
    pub id: u64,
    /// Ground position x, metres.
    pub x: f64,
    /// Ground position y, metres.
    pub y: f64,
}

/// One line of `incidents.jsonl`: a true incident, for scoring alerts.
///
/// ```
/// use fusetrack::io::Incident;
/// let i: Incident = serde_json::from_str(
///     r#"{"t": 301.5, "until": 342.0, "kind": "intrusion", "ids": [41, 42], "zone": "jewel-room"}"#,
/// ).unwrap();
/// assert_eq!((i.t_s, i.until_s, i.ids.as_slice()), (301.5, 342.0, &[41, 42][..]));
/// assert_eq!(i.zone.as_deref(), Some("jewel-room"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Capture time of the first moment a vigilant observer could have known, seconds.
    #[serde(rename = "t")]
    pub t_s: f64,
    /// When the incident ended, seconds.
    #[serde(rename = "until")]
    pub until_s: f64,
    /// What happened (free text, e.g. `intrusion`).
    pub kind: String,
    /// The ground-truth object ids involved.
    #[serde(default)]
    pub ids: Vec<u64>,
    /// The zone, where it applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
}

/// One line of `tracks.jsonl` (output): a confirmed track at a capture time.
///
/// ```
/// use fusetrack::io::TrackRow;
/// use fusetrack::TrackId;
/// let r = TrackRow {
///     t_s: 12.4, track: TrackId(3), x: 3.49, y: -1.22, vx: 0.8, vy: 0.1,
///     cov: [[0.04, 0.0], [0.0, 0.05]], status: "confirmed".into(),
///     cameras: vec!["gallery-1".into()],
/// };
/// assert_eq!(
///     serde_json::to_string(&r).unwrap(),
///     r#"{"t":12.4,"track":3,"x":3.49,"y":-1.22,"vx":0.8,"vy":0.1,"cov":[[0.04,0.0],[0.0,0.05]],"status":"confirmed","cameras":["gallery-1"]}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackRow {
    /// Capture time, seconds.
    #[serde(rename = "t")]
    pub t_s: f64,
    /// Track id.
    pub track: TrackId,
    /// Position x, metres.
    pub x: f64,
    /// Position y, metres.
    pub y: f64,
    /// Velocity x, m/s.
    pub vx: f64,
    /// Velocity y, m/s.
    pub vy: f64,
    /// Position covariance, m², row-major.
    pub cov: [[f64; 2]; 2],
    /// Track status (`confirmed`, ...).
    pub status: String,
    /// Names of the cameras whose detections updated the track at `t`.
    #[serde(default)]
    pub cameras: Vec<String>,
}

/// One line of `alerts.jsonl` (output).
///
/// ```
/// use fusetrack::io::AlertRow;
/// use fusetrack::TrackId;
/// let a = AlertRow {
///     t_s: 12.4, emitted_s: 12.75, kind: "zone_entered".into(), track: TrackId(3),
///     zone: Some("jewel-room".into()), severity: "high".into(), x: 3.49, y: -1.22,
///     rule: None, cameras: vec![], phase: None,
/// };
/// assert_eq!(
///     serde_json::to_string(&a).unwrap(),
///     r#"{"t":12.4,"emitted":12.75,"kind":"zone_entered","track":3,"zone":"jewel-room","severity":"high","x":3.49,"y":-1.22}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRow {
    /// Capture time of the first evidence, seconds.
    #[serde(rename = "t")]
    pub t_s: f64,
    /// Arrival-clock time at which the alert was raised, seconds.
    #[serde(rename = "emitted")]
    pub emitted_s: f64,
    /// What the object did (`zone_entered`, ...).
    pub kind: String,
    /// The track.
    pub track: TrackId,
    /// The zone, where it applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// Severity (`low`, `medium`, `high`, `critical`).
    pub severity: String,
    /// Track position x at `t`, metres.
    pub x: f64,
    /// Track position y at `t`, metres.
    pub y: f64,
    /// Optional: the name of the rule that raised it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Optional: the cameras contributing to the track when it was raised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cameras: Vec<String>,
    /// Optional: `ended` for the notice that an incident is over; absent
    /// for the alert itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

/// A row type of a JSON-lines file, with the checks a parsed row must pass.
///
/// ```
/// use fusetrack::io::{GroundTruthRow, JsonlRow};
/// let r = GroundTruthRow { t_s: f64::NAN, id: 1, x: 0.0, y: 0.0 };
/// assert_eq!(r.invalid_field(), Some(("t", "must be finite")));
/// ```
pub trait JsonlRow: Serialize + for<'de> Deserialize<'de> {
    /// `Some((field, reason))` when a parsed row is not acceptable.
    fn invalid_field(&self) -> Option<(&'static str, &'static str)>;
}

fn first_not_finite(fields: &[(&'static str, f64)]) -> Option<(&'static str, &'static str)> {
    fields.iter().find(|(_, v)| !v.is_finite()).map(|(n, _)| (*n, "must be finite"))
}

impl JsonlRow for GroundTruthRow {
    fn invalid_field(&self) -> Option<(&'static str, &'static str)> {
        first_not_finite(&[("t", self.t_s), ("x", self.x), ("y", self.y)])
    }
}

impl JsonlRow for Incident {
    fn invalid_field(&self) -> Option<(&'static str, &'static str)> {
        first_not_finite(&[("t", self.t_s), ("until", self.until_s)]).or_else(|| {
            (self.until_s < self.t_s)
                .then_some(("until", "an incident cannot end before it begins"))
        })
    }
}

impl JsonlRow for TrackRow {
    fn invalid_field(&self) -> Option<(&'static str, &'static str)> {
        let [[a, b], [c, d]] = self.cov;
        first_not_finite(&[
            ("t", self.t_s),
            ("x", self.x),
            ("y", self.y),
            ("vx", self.vx),
            ("vy", self.vy),
        ])
        .or_else(|| first_not_finite(&[("cov", a), ("cov", b), ("cov", c), ("cov", d)]))
    }
}

impl JsonlRow for AlertRow {
    fn invalid_field(&self) -> Option<(&'static str, &'static str)> {
        first_not_finite(&[
            ("t", self.t_s),
            ("emitted", self.emitted_s),
            ("x", self.x),
            ("y", self.y),
        ])
    }
}

/// A stream over the rows of a JSON-lines file (`ground_truth.jsonl`,
/// `incidents.jsonl`, `tracks.jsonl`, `alerts.jsonl`), one line per call to
/// `next`. Errors name the file and line ([`Error::Malformed`] with the
/// parser's message, which names a missing field; [`Error::InvalidField`]
/// for a non-finite number); the stream goes on after them. Unknown fields
/// are ignored, blank lines skipped.
///
/// ```
/// use fusetrack::io::{GroundTruthRow, RowReader};
/// let text = "{\"t\": 0.0, \"id\": 1, \"x\": 1.5, \"y\": 2.0}\n{\"t\": 0.0, \"id\": 2}\n";
/// let rows: Vec<_> = RowReader::<_, GroundTruthRow>::new(text.as_bytes(), "gt.jsonl").collect();
/// assert_eq!(rows[0].as_ref().unwrap().x, 1.5);
/// assert!(rows[1].as_ref().unwrap_err().to_string().starts_with("gt.jsonl:2: malformed input: missing field `x`"));
/// ```
pub struct RowReader<R, T> {
    input: R,
    path: PathBuf,
    line_no: u64,
    buf: Vec<u8>,
    done: bool,
    _row: PhantomData<fn() -> T>,
}

impl<R: BufRead, T: JsonlRow> RowReader<R, T> {
    /// A reader over `input`; `path` is only used in error messages.
    ///
    /// ```
    /// use fusetrack::io::{Incident, RowReader};
    /// let text = "{\"t\": 5.0, \"until\": 4.0, \"kind\": \"loitering\"}\n";
    /// let mut r = RowReader::<_, Incident>::new(text.as_bytes(), "incidents.jsonl");
    /// let e = r.next().unwrap().unwrap_err();
    /// assert!(e.to_string().starts_with("incidents.jsonl:1:"));
    /// assert!(e.to_string().contains("cannot end before it begins"));
    /// ```
    pub fn new(input: R, path: impl Into<PathBuf>) -> Self {
        Self {
            input,
            path: path.into(),
            line_no: 0,
            buf: Vec::new(),
            done: false,
            _row: PhantomData,
        }
    }
}

impl<T: JsonlRow> RowReader<BufReader<File>, T> {
    /// Opens `path` for reading.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be opened.
    ///
    /// ```
    /// use fusetrack::io::{Incident, RowReader};
    /// assert!(RowReader::<_, Incident>::open("missing/incidents.jsonl").is_err());
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let p = path.as_ref();
        Ok(Self::new(open_read(p)?, p))
    }
}

impl<R: BufRead, T: JsonlRow> Iterator for RowReader<R, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let line = match next_text_line(
                &mut self.input,
                &mut self.buf,
                &mut self.line_no,
                &self.path,
                &mut self.done,
            )? {
                Ok(Some(l)) => l,
                Ok(None) => continue,
                Err(e) => return Some(Err(e)),
            };
            let text = line.text;
            let at = || Location::file_line(&self.path, self.line_no);
            let r = match serde_json::from_str::<T>(text) {
                Ok(row) => match row.invalid_field() {
                    Some((field, reason)) => Err(invalid(&at(), field, reason)),
                    None => Ok(row),
                },
                Err(e) => Err(Error::Malformed { at: at(), reason: e.to_string() }),
            };
            return Some(r.map_err(|e| truncation_note(e, line.unterminated)));
        }
    }
}

/// Reads a whole `ground_truth.jsonl`, stopping at the first error.
///
/// # Errors
/// [`Error::Io`], or the first line's error as [`RowReader`] reports it.
///
/// ```
/// use fusetrack::io::read_ground_truth;
/// assert!(read_ground_truth("missing/ground_truth.jsonl").is_err());
/// ```
pub fn read_ground_truth(path: impl AsRef<Path>) -> Result<Vec<GroundTruthRow>> {
    RowReader::open(path)?.collect()
}

/// Reads a whole `incidents.jsonl`, stopping at the first error.
///
/// # Errors
/// [`Error::Io`], or the first line's error as [`RowReader`] reports it.
///
/// ```
/// use fusetrack::io::read_incidents;
/// assert!(read_incidents("missing/incidents.jsonl").is_err());
/// ```
pub fn read_incidents(path: impl AsRef<Path>) -> Result<Vec<Incident>> {
    RowReader::open(path)?.collect()
}

/// Writes rows ([`GroundTruthRow`], [`Incident`], [`TrackRow`], [`AlertRow`])
/// as JSON lines.
///
/// ```
/// use fusetrack::io::{GroundTruthRow, JsonlWriter};
/// let mut w = JsonlWriter::new(Vec::new(), "mem");
/// w.write(&GroundTruthRow { t_s: 0.1, id: 3, x: 1.0, y: -2.5 }).unwrap();
/// assert_eq!(w.finish().unwrap(), b"{\"t\":0.1,\"id\":3,\"x\":1.0,\"y\":-2.5}\n");
/// ```
pub struct JsonlWriter<W: Write> {
    out: W,
    path: PathBuf,
}

impl<W: Write> JsonlWriter<W> {
    /// A writer into `out`; `path` is only used in error messages.
    ///
    /// ```
    /// use fusetrack::io::JsonlWriter;
    /// let w = JsonlWriter::new(Vec::new(), "alerts.jsonl");
    /// assert!(w.finish().unwrap().is_empty());
    /// ```
    pub fn new(out: W, path: impl Into<PathBuf>) -> Self {
        Self { out, path: path.into() }
    }

    /// Writes one row as one line. The row is written as it is (it is not
    /// checked with [`JsonlRow::invalid_field`]).
    ///
    /// # Errors
    /// [`Error::Io`] if writing fails.
    ///
    /// ```
    /// use fusetrack::io::{Incident, JsonlWriter};
    /// let mut w = JsonlWriter::new(Vec::new(), "mem");
    /// let i = Incident { t_s: 1.0, until_s: 2.0, kind: "intrusion".into(), ids: vec![4], zone: None };
    /// w.write(&i).unwrap();
    /// assert_eq!(
    ///     String::from_utf8(w.finish().unwrap()).unwrap(),
    ///     "{\"t\":1.0,\"until\":2.0,\"kind\":\"intrusion\",\"ids\":[4]}\n"
    /// );
    /// ```
    pub fn write<T: JsonlRow>(&mut self, row: &T) -> Result<()> {
        write_json_line(&mut self.out, row, &self.path)
    }

    /// Flushes and returns the inner writer.
    ///
    /// # Errors
    /// [`Error::Io`] if flushing fails.
    ///
    /// ```
    /// use fusetrack::io::{GroundTruthRow, JsonlWriter, RowReader};
    /// let mut w = JsonlWriter::new(Vec::new(), "mem");
    /// let row = GroundTruthRow { t_s: 0.5, id: 9, x: 1.25, y: 2.0 };
    /// w.write(&row).unwrap();
    /// let bytes = w.finish().unwrap();
    /// // What was written reads back unchanged.
    /// let back: Vec<GroundTruthRow> =
    ///     RowReader::new(bytes.as_slice(), "mem").collect::<Result<_, _>>().unwrap();
    /// assert_eq!(back, vec![row]);
    /// ```
    pub fn finish(mut self) -> Result<W> {
        self.out.flush().map_err(|source| Error::Io { path: self.path.clone(), source })?;
        Ok(self.out)
    }
}

impl JsonlWriter<BufWriter<File>> {
    /// Creates (or truncates) the file at `path`.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be created.
    ///
    /// ```
    /// use fusetrack::io::JsonlWriter;
    /// assert!(JsonlWriter::create("no/such/dir/tracks.jsonl").is_err());
    /// ```
    pub fn create(path: impl AsRef<Path>) -> Result<Self> {
        let p = path.as_ref();
        Ok(Self::new(create_write(p)?, p))
    }
}
