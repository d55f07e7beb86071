//! The scene overview picture: one SVG file from which a person grasps a
//! run at a glance.
//!
//! [`Overview`] is a by-value builder fed with plain data — the cameras
//! (their positions and ground coverage), ground-truth paths, tracks,
//! markers (track breaks, identity switches, alerts), optional zones, a title
//! and a few summary lines — and [`Overview::render`] turns it into an SVG
//! document; [`Overview::write`] saves it.
//!
//! # What the picture shows
//! - The ground plane seen from above, metres, x to the right and y up, with
//!   one scale for both axes, a faint grid with its coordinates, a scale bar
//!   and an axes arrow under the map.
//! - Camera coverage as faint translucent fills with a thin outline, so that
//!   areas seen by several cameras come out darker; each camera as a dark
//!   dot at its position with a small translucent triangle, its field of
//!   view, opening the way it looks (its optical axis, else towards the
//!   middle of what it sees), and its name.
//! - Ground-truth paths as thin grey lines; tracks as coloured lines, one
//!   colour per track id ([`track_colour`]: stable across runs), with the id
//!   at the start, a dot at the start and a cross at the end. A track line is
//!   broken where the track has no row for more than [`Overview::gap_s`]
//!   seconds; a thin dotted line joins the pieces so the eye still follows
//!   the id.
//! - Markers: a track break as an orange ring, an identity switch as a red
//!   cross, an alert as a bold red triangle with its label.
//! - Zones as labelled dashed outlines.
//! - A header with the title and summary lines, and a side panel with the
//!   legend (only for what is drawn) and counts.
//!
//! Hovering a line, marker or camera in a browser shows a tooltip
//! (`<title>`) with its id and time span.
//!
//! # The extent rule
//! The map must show the people, not the horizon: a camera's coverage
//! polygon can reach a hundred metres and more.
//! 1. If an extent was set with [`Overview::extent_m`], it is used.
//! 2. Otherwise the extent is the bounding box of the ground-truth points,
//!    track points, markers and zone vertices, padded by 8 % of its larger
//!    side (at least 1 m).
//! 3. If there are none of these, it is the bounding box of the camera
//!    positions and coverage vertices that lie within 60 m (on each axis) of
//!    their median point.
//! 4. A camera position outside the box is taken in when it lies at most
//!    `max(10 m, half the larger side)` beyond it. A camera farther out is
//!    drawn on the map border, in its direction, with a small arrow pointing
//!    outward and its distance beyond the border after its name.
//! 5. The box is widened to at least 4 m on each side and then, around its
//!    centre, to an aspect ratio (height / width) between 0.5 and 1.3.
//!    (Coordinates so large that the box's size overflows give a 10 m
//!    square around the origin.)
//!
//! Coverage polygons are clipped to the extent (Sutherland–Hodgman), so the
//! file does not carry far-away vertices; everything else is clipped by an
//! SVG clip path.
//!
//! # Keeping the file small
//! Lines are decimated before they are written: a point closer than the
//! tolerance ([`Overview::decimation_m`], 2 cm by default) to the previous
//! kept point is dropped, then Douglas–Peucker with the same tolerance keeps
//! only points that bend the line. Coordinates are written in pixels with
//! at most 2 decimals and the styles are in one `<style>` block, so a
//! straight 10 000-point path costs a few bytes.
//!
//! # Why a hand-written SVG
//! The picture needs polylines, polygons, circles, text and a few styles:
//! a few hundred lines of careful string writing. A plotting crate would
//! bring a font stack, a raster back end or a large dependency tree to the
//! library for no gain, would decide the layout for us (legend, clamped
//! camera icons, clipped coverage), and would tie the file's structure to its
//! version. Written by hand, the output is small, deterministic (the same
//! input gives the same bytes, which tests can check), readable in any
//! browser, and the crate keeps no extra dependency.
//!
//! # Robustness
//! Rows, markers and vertices with a NaN or infinite number are skipped;
//! names and labels are escaped for XML and stripped of characters XML
//! cannot hold. Rendering never panics.
//!
//! ```
//! use fusetrack::overview::{CameraView, Marker, MarkerKind, Overview};
//!
//! let truth = (0..50).map(|i| (i as f64 * 0.1, 7, i as f64 * 0.2, 1.0));
//! let tracks = (0..50).map(|i| (i as f64 * 0.1, 3, i as f64 * 0.2, 1.1));
//! let svg = Overview::new("hall, run 12")
//!     .summary("MOTA 0.93  IDF1 0.88  HOTA 0.80")
//!     .camera(CameraView::new("hall-1").at([-2.0, -3.0]).coverage(vec![
//!         [0.0, -2.0],
//!         [10.0, -2.0],
//!         [10.0, 4.0],
//!         [0.0, 4.0],
//!     ]))
//!     .truth(truth)
//!     .tracks(tracks)
//!     .marker(Marker::new(MarkerKind::IdSwitch, 2.5, 5.0, 1.0, "7: 3 -> 4"))
//!     .render();
//! assert!(svg.starts_with("<?xml"));
//! assert!(svg.contains("hall-1"));
//! assert!(svg.contains("7: 3 -&gt; 4"));
//! ```

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::Path;

use crate::geometry::{Camera, CameraRig};
use crate::{Error, Result};

/// Default width of the picture, pixels.
const DEFAULT_WIDTH_PX: u32 = 1100;
/// Default gap in a track's rows, seconds, beyond which its line is broken.
const DEFAULT_GAP_S: f64 = 1.0;
/// Default decimation tolerance, metres.
const DEFAULT_DECIMATION_M: f64 = 0.02;
/// Without truth or tracks, camera points farther than this from their
/// median (on either axis) are left out of the extent, metres.
const CAMERA_ONLY_REACH_M: f64 = 60.0;
/// Smallest side of the extent, metres.
const MIN_SIDE_M: f64 = 4.0;
/// Allowed range of the map's aspect ratio, height / width.
const ASPECT_RANGE: (f64, f64) = (0.5, 1.3);
/// Scale bar and grid lengths to choose from, metres.
const NICE_STEPS_M: [f64; 10] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0];

/// Width of the side panel, pixels.
const PANEL_W: f64 = 250.0;
/// Outer margin, pixels.
const MARGIN: f64 = 16.0;
/// Left of the map (room for the grid labels), pixels.
const MAP_LEFT: f64 = 46.0;
/// Size of the camera glyph (its field of view is 2.2 times as long), pixels.
const CAMERA_GLYPH_PX: f64 = 10.0;
/// Height of the band under the map (scale bar, axes arrow), pixels.
const FOOT_H: f64 = 54.0;

/// What a [`Marker`] marks.
///
/// ```
/// use fusetrack::overview::MarkerKind;
/// assert_ne!(MarkerKind::TrackBreak, MarkerKind::IdSwitch);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MarkerKind {
    /// A ground-truth object lost its track (fragmentation): drawn as an
    /// orange ring.
    TrackBreak,
    /// A ground-truth object changed track id: drawn as a red cross.
    IdSwitch,
    /// An alert fired here: drawn as a bold red triangle with its label.
    Alert,
}

/// A point event on the map: a track break, an identity switch, an alert.
///
/// ```
/// use fusetrack::overview::{Marker, MarkerKind};
/// let m = Marker::new(MarkerKind::Alert, 301.5, 3.5, -1.2, "zone_entered jewel-room");
/// assert_eq!(m.kind, MarkerKind::Alert);
/// assert_eq!(m.label, "zone_entered jewel-room");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Time, seconds (shown in the tooltip).
    pub t_s: f64,
    /// Ground position x, metres.
    pub x: f64,
    /// Ground position y, metres.
    pub y: f64,
    /// What it marks.
    pub kind: MarkerKind,
    /// Free text: shown next to alerts, in the tooltip of the others.
    pub label: String,
}

impl Marker {
    /// A marker of `kind` at time `t_s` and ground position (`x`, `y`) metres.
    ///
    /// ```
    /// use fusetrack::overview::{Marker, MarkerKind};
    /// let m = Marker::new(MarkerKind::TrackBreak, 12.0, 1.0, 2.0, "gt 4");
    /// assert_eq!((m.x, m.y), (1.0, 2.0));
    /// ```
    pub fn new(kind: MarkerKind, t_s: f64, x: f64, y: f64, label: impl Into<String>) -> Self {
        Self { t_s, x, y, kind, label: label.into() }
    }

    fn is_finite(&self) -> bool {
        self.t_s.is_finite() && self.x.is_finite() && self.y.is_finite()
    }
}

/// A camera as the overview draws it: a name, an optional ground position
/// and the ground polygon it covers.
///
/// ```
/// use fusetrack::overview::CameraView;
/// let c = CameraView::new("street-4").at([1.0, -8.0]).coverage(vec![[0.0, 0.0], [5.0, 0.0], [2.0, 6.0]]);
/// assert_eq!(c.position_m, Some([1.0, -8.0]));
/// assert_eq!(c.coverage_m.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CameraView {
    /// The camera's name (its `id` in `cameras.json`).
    pub name: String,
    /// Ground position (x, y) of the camera centre, metres; `None` when not
    /// known (a homography camera, a world sensor).
    pub position_m: Option<[f64; 2]>,
    /// Vertices of the ground polygon the camera sees, metres; fewer than
    /// three usable vertices means no coverage is drawn.
    pub coverage_m: Vec<[f64; 2]>,
    /// Ground direction (x, y) the camera looks along, any length; `None`
    /// draws the field of view towards the middle of the coverage.
    pub view_dir: Option<[f64; 2]>,
}

impl CameraView {
    /// A camera with a name, no position and no coverage.
    ///
    /// ```
    /// use fusetrack::overview::CameraView;
    /// assert_eq!(CameraView::new("c1").position_m, None);
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), position_m: None, coverage_m: Vec::new(), view_dir: None }
    }

    /// Sets the ground position of the camera, metres.
    ///
    /// ```
    /// use fusetrack::overview::CameraView;
    /// assert_eq!(CameraView::new("c1").at([2.0, 3.0]).position_m, Some([2.0, 3.0]));
    /// ```
    #[must_use]
    pub fn at(mut self, position_m: [f64; 2]) -> Self {
        self.position_m = Some(position_m);
        self
    }

    /// Sets the ground direction (x, y) the camera looks along.
    ///
    /// ```
    /// use fusetrack::overview::CameraView;
    /// assert_eq!(CameraView::new("c1").looking([0.0, 1.0]).view_dir, Some([0.0, 1.0]));
    /// ```
    #[must_use]
    pub fn looking(mut self, dir: [f64; 2]) -> Self {
        self.view_dir = Some(dir);
        self
    }

    /// Sets the ground polygon the camera covers, metres.
    ///
    /// ```
    /// use fusetrack::overview::CameraView;
    /// let c = CameraView::new("c1").coverage(vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]);
    /// assert_eq!(c.coverage_m[1], [1.0, 0.0]);
    /// ```
    #[must_use]
    pub fn coverage(mut self, vertices_m: Vec<[f64; 2]>) -> Self {
        self.coverage_m = vertices_m;
        self
    }
}

impl From<&Camera> for CameraView {
    /// The camera's name, its centre on the ground and the ground direction
    /// of its optical axis (pinhole cameras), and its coverage polygon
    /// (empty when it has none).
    ///
    /// ```
    /// use fusetrack::geometry::Camera;
    /// use fusetrack::overview::CameraView;
    /// let cam = Camera::look_at("c", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?;
    /// let view = CameraView::from(&cam);
    /// assert_eq!(view.name, "c");
    /// assert_eq!(view.position_m.map(|p| p.map(f64::round)), Some([0.0, -10.0]));
    /// assert!(view.coverage_m.len() >= 3);
    /// // Looking from (0, -10) towards the origin: along +y.
    /// let d = view.view_dir.unwrap();
    /// assert!(d[0].abs() < 1e-9 && d[1] > 0.0);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    fn from(camera: &Camera) -> Self {
        Self {
            name: camera.name().to_owned(),
            position_m: camera.centre_m().map(|c| [c[0], c[1]]),
            coverage_m: if camera.has_coverage() {
                camera.coverage().vertices().to_vec()
            } else {
                Vec::new()
            },
            // The optical axis in the world is the third row of R
            // (world -> camera); a camera looking straight down has none.
            view_dir: camera
                .extrinsics()
                .map(|e| [e.r[(2, 0)], e.r[(2, 1)]])
                .filter(|d| d[0].hypot(d[1]) > 1e-6),
        }
    }
}

/// A named ground polygon (a room, a restricted area), drawn as a labelled
/// dashed outline.
///
/// ```
/// use fusetrack::overview::Zone;
/// let z = Zone::new("jewel-room", vec![[0.0, 0.0], [4.0, 0.0], [4.0, 3.0], [0.0, 3.0]]);
/// assert_eq!(z.name, "jewel-room");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Zone {
    /// The zone's name.
    pub name: String,
    /// Its vertices, metres.
    pub vertices_m: Vec<[f64; 2]>,
}

impl Zone {
    /// A zone from its name and vertices (metres).
    ///
    /// ```
    /// use fusetrack::overview::Zone;
    /// assert_eq!(Zone::new("z", vec![[0.0, 0.0]]).vertices_m.len(), 1);
    /// ```
    pub fn new(name: impl Into<String>, vertices_m: Vec<[f64; 2]>) -> Self {
        Self { name: name.into(), vertices_m }
    }
}

/// The colour of a track id on the overview, as `#rrggbb`.
///
/// Hues step by the golden angle (137.5°) from one id to the next, so that
/// neighbouring ids differ strongly; saturation and lightness are fixed
/// (lightness lowered for yellows and greens so every colour reads on
/// white). Computed in integers from the id alone: the same id has the same
/// colour in every run and on every machine.
///
/// ```
/// use fusetrack::overview::track_colour;
/// assert_eq!(track_colour(3), track_colour(3));
/// assert_ne!(track_colour(3), track_colour(4));
/// assert_eq!(track_colour(0).len(), 7);
/// ```
pub fn track_colour(id: u64) -> String {
    // Hue in thousandths of a degree, starting at 200° (blue) so the first
    // ids stay clear of the red and orange of the markers.
    let hue_mdeg = (200_000u128 + u128::from(id) * 137_508) % 360_000;
    let hue = hue_mdeg as f64 / 1000.0;
    let light = if (40.0..200.0).contains(&hue) { 0.36 } else { 0.46 };
    let [r, g, b] = hsl_to_rgb(hue, 0.72, light);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// HSL (hue in degrees, saturation and lightness in 0..1) to 8-bit RGB.
fn hsl_to_rgb(hue_deg: f64, s: f64, l: f64) -> [u8; 3] {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = hue_deg.rem_euclid(360.0) / 60.0;
    let x = c * (1.0 - (hp.rem_euclid(2.0) - 1.0).abs());
    let (r1, g1, b1) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let to8 = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    [to8(r1), to8(g1), to8(b1)]
}

/// Builder of the overview picture. See the [module documentation](self)
/// for what it draws and how the extent is chosen.
///
/// All setters take and return the builder by value; rows, markers and
/// cameras given several times add up.
///
/// ```
/// use fusetrack::overview::Overview;
/// let svg = Overview::new("empty scene").render();
/// assert!(svg.contains("empty scene"));
/// assert!(svg.trim_end().ends_with("</svg>"));
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Overview {
    title: String,
    summary: Vec<String>,
    cameras: Vec<CameraView>,
    truth: Vec<Row>,
    tracks: Vec<Row>,
    markers: Vec<Marker>,
    zones: Vec<Zone>,
    gap_s: f64,
    decimation_m: f64,
    width_px: u32,
    extent: Option<Bounds>,
}

/// One row of a path: time, object id, ground x and y.
#[derive(Debug, Clone, Copy)]
struct Row {
    t_s: f64,
    id: u64,
    x: f64,
    y: f64,
}

impl Overview {
    /// An empty overview with a title.
    ///
    /// ```
    /// use fusetrack::overview::Overview;
    /// assert!(Overview::new("plaza").render().contains(">plaza<"));
    /// ```
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            summary: Vec::new(),
            cameras: Vec::new(),
            truth: Vec::new(),
            tracks: Vec::new(),
            markers: Vec::new(),
            zones: Vec::new(),
            gap_s: DEFAULT_GAP_S,
            decimation_m: DEFAULT_DECIMATION_M,
            width_px: DEFAULT_WIDTH_PX,
            extent: None,
        }
    }

    /// Adds a summary line under the title (for example the scores).
    ///
    /// ```
    /// use fusetrack::overview::Overview;
    /// let svg = Overview::new("t").summary("MOTA 0.93  IDF1 0.88").render();
    /// assert!(svg.contains("MOTA 0.93  IDF1 0.88"));
    /// ```
    pub fn summary(mut self, line: impl Into<String>) -> Self {
        self.summary.push(line.into());
        self
    }

    /// Adds a camera.
    ///
    /// ```
    /// use fusetrack::overview::{CameraView, Overview};
    /// let svg = Overview::new("t").camera(CameraView::new("gate").at([0.0, 0.0])).render();
    /// assert!(svg.contains(">gate<"));
    /// ```
    pub fn camera(mut self, camera: CameraView) -> Self {
        self.cameras.push(camera);
        self
    }

    /// Adds several cameras.
    ///
    /// ```
    /// use fusetrack::overview::{CameraView, Overview};
    /// let svg = Overview::new("t")
    ///     .cameras([CameraView::new("a").at([0.0, 0.0]), CameraView::new("b").at([3.0, 0.0])])
    ///     .render();
    /// assert!(svg.contains(">a<") && svg.contains(">b<"));
    /// ```
    pub fn cameras(mut self, cameras: impl IntoIterator<Item = CameraView>) -> Self {
        self.cameras.extend(cameras);
        self
    }

    /// Adds every camera of a rig, in rig order ([`CameraView::from`] each).
    ///
    /// ```
    /// use fusetrack::geometry::{Camera, CameraRig};
    /// use fusetrack::overview::Overview;
    /// let rig = CameraRig::new(vec![
    ///     Camera::look_at("north", [640, 480], 500.0, [0.0, -10.0, 3.0], [0.0, 0.0, 0.0])?,
    ///     Camera::world_sensor("radar"),
    /// ])?;
    /// let svg = Overview::new("t").rig(&rig).render();
    /// assert!(svg.contains(">north<"));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn rig(self, rig: &CameraRig) -> Self {
        self.cameras(rig.iter().map(|(_, c)| CameraView::from(c)))
    }

    /// Adds ground-truth rows `(t_s, id, x, y)` (seconds, object id, metres),
    /// in any order. Rows with a NaN or infinite number are skipped.
    ///
    /// ```
    /// use fusetrack::overview::Overview;
    /// let svg = Overview::new("t").truth([(0.0, 7, 0.0, 0.0), (1.0, 7, 1.0, 0.0)]).render();
    /// assert!(svg.contains("class=\"gt\""));
    /// ```
    pub fn truth(mut self, rows: impl IntoIterator<Item = (f64, u64, f64, f64)>) -> Self {
        self.truth.extend(rows.into_iter().filter_map(row));
        self
    }

    /// Adds track rows `(t_s, track, x, y)` (seconds, track id, metres), in
    /// any order. Rows with a NaN or infinite number are skipped.
    ///
    /// ```
    /// use fusetrack::overview::Overview;
    /// let svg = Overview::new("t").tracks([(0.0, 3, 0.0, 0.0), (0.5, 3, 1.0, 0.0)]).render();
    /// assert_eq!(svg.matches("<polyline").count(), 1 + 1); // the track and its legend sample
    /// ```
    pub fn tracks(mut self, rows: impl IntoIterator<Item = (f64, u64, f64, f64)>) -> Self {
        self.tracks.extend(rows.into_iter().filter_map(row));
        self
    }

    /// Adds a marker.
    ///
    /// ```
    /// use fusetrack::overview::{Marker, MarkerKind, Overview};
    /// let svg = Overview::new("t")
    ///     .marker(Marker::new(MarkerKind::Alert, 1.0, 0.0, 0.0, "intrusion"))
    ///     .render();
    /// assert!(svg.contains(">intrusion<"));
    /// ```
    pub fn marker(mut self, marker: Marker) -> Self {
        self.markers.push(marker);
        self
    }

    /// Adds several markers.
    ///
    /// ```
    /// use fusetrack::overview::{Marker, MarkerKind, Overview};
    /// let m = (0..3).map(|i| Marker::new(MarkerKind::TrackBreak, i as f64, i as f64, 0.0, ""));
    /// let svg = Overview::new("t").markers(m).render();
    /// assert_eq!(svg.matches("class=\"brk\"").count(), 3 + 1); // and the legend
    /// ```
    pub fn markers(mut self, markers: impl IntoIterator<Item = Marker>) -> Self {
        self.markers.extend(markers);
        self
    }

    /// Adds a zone, drawn as a labelled dashed outline.
    ///
    /// ```
    /// use fusetrack::overview::{Overview, Zone};
    /// let z = Zone::new("jewel-room", vec![[0.0, 0.0], [4.0, 0.0], [4.0, 3.0]]);
    /// assert!(Overview::new("t").zone(z).render().contains(">jewel-room<"));
    /// ```
    pub fn zone(mut self, zone: Zone) -> Self {
        self.zones.push(zone);
        self
    }

    /// Sets the largest time between two consecutive rows of a track, in
    /// seconds, for which its line stays unbroken (default 1 s). A value
    /// that is not a positive number keeps the default.
    ///
    /// ```
    /// use fusetrack::overview::Overview;
    /// let rows = [(0.0, 1, 0.0, 0.0), (1.0, 1, 1.0, 0.0), (5.0, 1, 2.0, 0.0), (6.0, 1, 3.0, 0.0)];
    /// let broken = Overview::new("t").tracks(rows).gap_s(2.0).render();
    /// let whole = Overview::new("t").tracks(rows).gap_s(10.0).render();
    /// assert_eq!(broken.matches("<polyline").count(), whole.matches("<polyline").count() + 1);
    /// ```
    pub fn gap_s(mut self, gap_s: f64) -> Self {
        self.gap_s = if gap_s > 0.0 && !gap_s.is_nan() { gap_s } else { DEFAULT_GAP_S };
        self
    }

    /// Sets the decimation tolerance in metres (default 0.02 m): points
    /// that move a line by less are dropped. Zero keeps every point; a
    /// negative or non-finite value keeps the default.
    ///
    /// ```
    /// use fusetrack::overview::Overview;
    /// let rows: Vec<_> = (0..100).map(|i| (i as f64 * 0.04, 1, i as f64 * 0.01, 0.0)).collect();
    /// let fine = Overview::new("t").tracks(rows.clone()).decimation_m(0.0).render();
    /// let coarse = Overview::new("t").tracks(rows).render();
    /// assert!(fine.len() > coarse.len());
    /// ```
    pub fn decimation_m(mut self, tolerance_m: f64) -> Self {
        self.decimation_m = if tolerance_m >= 0.0 && tolerance_m.is_finite() {
            tolerance_m
        } else {
            DEFAULT_DECIMATION_M
        };
        self
    }

    /// Sets the width of the picture in pixels (default 1100; held to
    /// 500..=8000). The height follows from the extent.
    ///
    /// ```
    /// use fusetrack::overview::Overview;
    /// assert!(Overview::new("t").width_px(800).render().contains("width=\"800\""));
    /// ```
    pub fn width_px(mut self, width_px: u32) -> Self {
        self.width_px = width_px.clamp(500, 8000);
        self
    }

    /// Shows exactly this ground rectangle (metres, lower-left and
    /// upper-right corners) instead of the automatic extent; it is still
    /// widened to the allowed aspect ratio. Ignored unless both corners are
    /// finite and `max_m` is above and to the right of `min_m`.
    ///
    /// ```
    /// use fusetrack::overview::Overview;
    /// let svg = Overview::new("t").extent_m([0.0, 0.0], [40.0, 30.0]).render();
    /// assert!(svg.contains("x 0 to 40 m"));
    /// ```
    pub fn extent_m(mut self, min_m: [f64; 2], max_m: [f64; 2]) -> Self {
        let b = Bounds { min: min_m, max: max_m };
        self.extent = if b.is_valid() { Some(b) } else { None };
        self
    }

    /// The ground rectangle the map shows, as `(min_m, max_m)` corners,
    /// after the extent rule of the module documentation.
    ///
    /// ```
    /// use fusetrack::overview::Overview;
    /// let o = Overview::new("t").truth([(0.0, 1, 0.0, 0.0), (9.0, 1, 30.0, 10.0)]);
    /// let (min, max) = o.view_extent_m();
    /// assert!(min[0] < 0.0 && min[1] < 0.0 && max[0] > 30.0 && max[1] > 10.0);
    /// ```
    pub fn view_extent_m(&self) -> ([f64; 2], [f64; 2]) {
        let b = choose_extent(self);
        (b.min, b.max)
    }

    /// Renders the picture as an SVG document.
    ///
    /// ```
    /// use fusetrack::overview::Overview;
    /// let svg = Overview::new("t").tracks([(0.0, 1, 0.0, 0.0), (0.1, 1, 0.1, 0.0)]).render();
    /// assert!(svg.starts_with("<?xml version=\"1.0\""));
    /// ```
    pub fn render(&self) -> String {
        Renderer::new(self).run()
    }

    /// Renders the picture and writes it to `path`.
    ///
    /// # Errors
    /// [`Error::Io`] naming the path when the file cannot be written.
    ///
    /// ```
    /// use fusetrack::overview::Overview;
    /// let path = std::env::temp_dir().join("fusetrack_overview_doctest.svg");
    /// Overview::new("t").write(&path)?;
    /// assert!(std::fs::read_to_string(&path)?.contains("<svg"));
    /// let err = Overview::new("t").write("/nonexistent-dir/x.svg").unwrap_err();
    /// assert!(err.to_string().starts_with("/nonexistent-dir/x.svg"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.render())
            .map_err(|source| Error::Io { path: path.to_path_buf(), source })
    }
}

fn row((t_s, id, x, y): (f64, u64, f64, f64)) -> Option<Row> {
    (t_s.is_finite() && x.is_finite() && y.is_finite()).then_some(Row { t_s, id, x, y })
}

fn finite2(p: [f64; 2]) -> bool {
    p[0].is_finite() && p[1].is_finite()
}

/// An axis-aligned ground rectangle, metres.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bounds {
    min: [f64; 2],
    max: [f64; 2],
}

impl Bounds {
    fn empty() -> Self {
        Self { min: [f64::INFINITY; 2], max: [f64::NEG_INFINITY; 2] }
    }
    fn is_valid(&self) -> bool {
        finite2(self.min)
            && finite2(self.max)
            && self.max[0] > self.min[0]
            && self.max[1] > self.min[1]
    }
    fn is_empty(&self) -> bool {
        !(self.min[0] <= self.max[0] && self.min[1] <= self.max[1])
    }
    fn add(&mut self, p: [f64; 2]) {
        if finite2(p) {
            self.min = [self.min[0].min(p[0]), self.min[1].min(p[1])];
            self.max = [self.max[0].max(p[0]), self.max[1].max(p[1])];
        }
    }
    fn size(&self) -> [f64; 2] {
        [self.max[0] - self.min[0], self.max[1] - self.min[1]]
    }
    fn pad(&mut self, d: f64) {
        for k in 0..2 {
            self.min[k] -= d;
            self.max[k] += d;
        }
    }
    /// Widens side `k` around the centre to at least `len`.
    fn widen(&mut self, k: usize, len: f64) {
        let size = self.max[k] - self.min[k];
        if size < len {
            let d = (len - size) / 2.0;
            self.min[k] -= d;
            self.max[k] += d;
        }
    }
    /// How far `p` lies outside, on the worse axis (0 inside).
    fn outside_by(&self, p: [f64; 2]) -> f64 {
        (0..2).map(|k| (self.min[k] - p[k]).max(p[k] - self.max[k]).max(0.0)).fold(0.0, f64::max)
    }
    fn contains(&self, p: [f64; 2]) -> bool {
        self.outside_by(p) == 0.0
    }
}

/// The automatic extent; see the module documentation for the rule.
fn choose_extent(o: &Overview) -> Bounds {
    let mut b = match o.extent {
        Some(b) => b,
        None => {
            let mut content = Bounds::empty();
            for r in o.truth.iter().chain(&o.tracks) {
                content.add([r.x, r.y]);
            }
            for m in o.markers.iter().filter(|m| m.is_finite()) {
                content.add([m.x, m.y]);
            }
            for v in o.zones.iter().flat_map(|z| &z.vertices_m) {
                content.add(*v);
            }
            if content.is_empty() {
                content = camera_only_extent(&o.cameras);
            }
            if content.is_empty() {
                content = Bounds { min: [-5.0, -5.0], max: [5.0, 5.0] };
            }
            let size = content.size();
            let larger = size[0].max(size[1]);
            content.pad((0.08 * larger).max(1.0));
            let reach = (0.5 * larger).max(10.0);
            let mut grown = content;
            for p in o.cameras.iter().filter_map(|c| c.position_m).filter(|p| finite2(*p)) {
                if content.outside_by(p) <= reach {
                    grown.add(p);
                }
            }
            if grown != content {
                grown.pad(1.5);
            }
            grown
        }
    };
    b.widen(0, MIN_SIDE_M);
    b.widen(1, MIN_SIDE_M);
    let [w, h] = b.size();
    if h / w < ASPECT_RANGE.0 {
        b.widen(1, w * ASPECT_RANGE.0);
    } else if h / w > ASPECT_RANGE.1 {
        b.widen(0, h / ASPECT_RANGE.1);
    }
    // Coordinates so large that the sizes overflow: show the default square.
    let [w, h] = b.size();
    if b.is_valid() && w.is_finite() && h.is_finite() && w > 0.0 {
        b
    } else {
        Bounds { min: [-5.0, -5.0], max: [5.0, 5.0] }
    }
}

/// Bounding box of the camera points within reach of their median.
fn camera_only_extent(cameras: &[CameraView]) -> Bounds {
    let pts: Vec<[f64; 2]> = cameras
        .iter()
        .flat_map(|c| c.position_m.iter().chain(&c.coverage_m))
        .copied()
        .filter(|p| finite2(*p))
        .collect();
    let median = |k: usize| {
        let mut v: Vec<f64> = pts.iter().map(|p| p[k]).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let m = [median(0), median(1)];
    let mut b = Bounds::empty();
    for p in &pts {
        if (p[0] - m[0]).abs() <= CAMERA_ONLY_REACH_M && (p[1] - m[1]).abs() <= CAMERA_ONLY_REACH_M
        {
            b.add(*p);
        }
    }
    b
}

/// Drops points within `tol` of the previous kept point, then simplifies
/// with Douglas–Peucker at `tol`. First and last points are always kept.
fn decimate(points: &[[f64; 2]], tol: f64) -> Vec<[f64; 2]> {
    let (Some(&first), Some(&last)) = (points.first(), points.last()) else {
        return Vec::new();
    };
    let mut radial = Vec::with_capacity(points.len().min(4096));
    radial.push(first);
    let mut prev = first;
    let n = points.len();
    for (i, &p) in points.iter().enumerate().skip(1) {
        if i + 1 == n || dist(p, prev) > tol {
            radial.push(p);
            prev = p;
        }
    }
    if radial.len() <= 2 {
        if radial.len() == 1 && n > 1 {
            radial.push(last);
        }
        return radial;
    }
    let mut keep = vec![false; radial.len()];
    keep[0] = true;
    keep[radial.len() - 1] = true;
    let mut stack = vec![(0usize, radial.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (pa, pb) = (radial[a], radial[b]);
        let mut best = (0.0, a);
        for (i, &p) in radial.iter().enumerate().take(b).skip(a + 1) {
            let d = seg_dist(p, pa, pb);
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > tol {
            keep[best.1] = true;
            stack.push((a, best.1));
            stack.push((best.1, b));
        }
    }
    radial.iter().zip(&keep).filter(|(_, k)| **k).map(|(p, _)| *p).collect()
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// Distance from `p` to the segment `a`–`b`.
fn seg_dist(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    if len2 <= 0.0 {
        return dist(p, a);
    }
    let t = (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0);
    dist(p, [a[0] + t * dx, a[1] + t * dy])
}

/// Clips a polygon to a rectangle (Sutherland–Hodgman).
fn clip_polygon(poly: &[[f64; 2]], r: &Bounds) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = poly.iter().copied().filter(|p| finite2(*p)).collect();
    // (axis, bound, keep when coordinate >= bound)
    let edges =
        [(0, r.min[0], true), (0, r.max[0], false), (1, r.min[1], true), (1, r.max[1], false)];
    for (k, bound, above) in edges {
        let inside = |p: &[f64; 2]| if above { p[k] >= bound } else { p[k] <= bound };
        let input = std::mem::take(&mut out);
        let Some(&last) = input.last() else { break };
        let mut s = last;
        for &e in &input {
            let cross = |s: [f64; 2], e: [f64; 2]| {
                let t = (bound - s[k]) / (e[k] - s[k]);
                let mut p = [s[0] + t * (e[0] - s[0]), s[1] + t * (e[1] - s[1])];
                p[k] = bound;
                p
            };
            match (inside(&e), inside(&s)) {
                (true, true) => out.push(e),
                (true, false) => {
                    out.push(cross(s, e));
                    out.push(e);
                }
                (false, true) => out.push(cross(s, e)),
                (false, false) => {}
            }
            s = e;
        }
    }
    out
}

/// A number with at most two decimals and no trailing zeros.
struct N(f64);

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = (self.0 * 100.0).round() / 100.0;
        if v == 0.0 || !v.is_finite() {
            return f.write_str("0");
        }
        let mut buf = String::with_capacity(16);
        let _ = write!(buf, "{v:.2}");
        let s = buf.trim_end_matches('0').trim_end_matches('.');
        f.write_str(s)
    }
}

/// Text escaped for XML content and attribute values; characters XML 1.0
/// cannot hold are dropped.
struct Esc<'a>(&'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&apos;")?,
                '\t' | '\n' | '\r' => f.write_char(' ')?,
                c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// One unbroken piece of a path.
struct Segment {
    t0: f64,
    t1: f64,
    points: Vec<[f64; 2]>,
}

/// Splits rows into per-id time-ordered segments at gaps above `gap_s`.
fn segments(rows: &[Row], gap_s: f64, tol: f64) -> BTreeMap<u64, Vec<Segment>> {
    let mut by_id: BTreeMap<u64, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        by_id.entry(r.id).or_default().push(r);
    }
    let mut out = BTreeMap::new();
    for (id, mut rs) in by_id {
        rs.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
        let mut segs: Vec<Segment> = Vec::new();
        let mut cur: Vec<[f64; 2]> = Vec::new();
        let mut t0 = f64::NAN;
        let mut t_prev = f64::NAN;
        for r in rs {
            if !cur.is_empty() && r.t_s - t_prev > gap_s {
                segs.push(Segment { t0, t1: t_prev, points: decimate(&cur, tol) });
                cur.clear();
            }
            if cur.is_empty() {
                t0 = r.t_s;
            }
            cur.push([r.x, r.y]);
            t_prev = r.t_s;
        }
        if !cur.is_empty() {
            segs.push(Segment { t0, t1: t_prev, points: decimate(&cur, tol) });
        }
        out.insert(id, segs);
    }
    out
}

const STYLE: &str = "text{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;fill:#222}\
.halo{fill:none;stroke:#fff;stroke-width:3.5;stroke-linejoin:round}\
.grid{stroke:#e6e6e6;stroke-width:1}\
.ax{font-size:10px;fill:#888}\
.cov{fill:#3b7dd8;fill-opacity:.05;stroke:#3b7dd8;stroke-opacity:.4;stroke-width:.8}\
.cam{fill:#1d3557;stroke:#fff;stroke-width:1}\
.fov{fill:#1d3557;fill-opacity:.28;stroke:#1d3557;stroke-opacity:.7;stroke-width:.8}\
.camt{font-size:11px;font-weight:bold;fill:#1d3557}\
.zone{fill:#7b2cbf;fill-opacity:.04;stroke:#7b2cbf;stroke-width:1.6;stroke-dasharray:7 4}\
.zonet{font-size:12px;font-weight:bold;fill:#7b2cbf}\
.gt{fill:none;stroke:#b8b8b8;stroke-width:5;stroke-opacity:.5;stroke-linejoin:round;stroke-linecap:round}\
.gtt{font-size:9px;fill:#888}\
.trk{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}\
.gap{fill:none;stroke-width:1.4;stroke-dasharray:1 4;stroke-linecap:round}\
.end{fill:none;stroke-width:1.8}\
.tid{font-size:11px;font-weight:bold}\
.brk{fill:none;stroke:#f08c00;stroke-width:2.2}\
.sw{fill:none;stroke:#d00000;stroke-width:2.6;stroke-linecap:round}\
.alr{fill:#d00000;stroke:#fff;stroke-width:1.2}\
.alrt{font-size:12px;font-weight:bold;fill:#d00000}\
.frame{fill:none;stroke:#555;stroke-width:1}\
.lg{font-size:12px}\
.muted{font-size:11px;fill:#666}";

/// A placed label's box, pixels (x0, y0, x1, y1).
type LabelBox = [f64; 4];

/// A camera's place on the map.
struct CameraGlyph {
    name: String,
    /// Glyph apex, pixels.
    at: [f64; 2],
    /// Direction of view, radians clockwise from screen-up.
    heading: f64,
    /// For a camera beyond the map: metres beyond, and the outward direction.
    off: Option<(f64, f64)>,
    /// Box reserved around the glyph, pixels.
    glyph: LabelBox,
}

struct Renderer<'a> {
    o: &'a Overview,
    out: String,
    ext: Bounds,
    /// Pixels per metre.
    scale: f64,
    /// Map rectangle, pixels: left, top, width, height.
    map: [f64; 4],
    width: f64,
    height: f64,
    header_h: f64,
    labels: Vec<LabelBox>,
}

impl<'a> Renderer<'a> {
    fn new(o: &'a Overview) -> Self {
        let ext = choose_extent(o);
        let width = f64::from(o.width_px);
        let header_h = 40.0 + 17.0 * o.summary.len() as f64;
        let map_w = width - PANEL_W - MAP_LEFT - 2.0 * MARGIN;
        let [ew, eh] = ext.size();
        let scale = map_w / ew;
        let map_h = eh * scale;
        let map = [MAP_LEFT, header_h, map_w, map_h];
        let height = (header_h + map_h + FOOT_H).max(header_h + 420.0) + MARGIN;
        Self {
            o,
            out: String::with_capacity(64 * 1024),
            ext,
            scale,
            map,
            width,
            height,
            header_h,
            labels: Vec::new(),
        }
    }

    /// World metres to SVG pixels.
    fn px(&self, p: [f64; 2]) -> [f64; 2] {
        [
            self.map[0] + (p[0] - self.ext.min[0]) * self.scale,
            self.map[1] + (self.ext.max[1] - p[1]) * self.scale,
        ]
    }

    fn points_attr(&mut self, pts: &[[f64; 2]]) {
        for (i, p) in pts.iter().enumerate() {
            let q = self.px(*p);
            let sep = if i == 0 { "" } else { " " };
            let _ = write!(self.out, "{sep}{},{}", N(q[0]), N(q[1]));
        }
    }

    /// Text with a white halo behind it.
    fn text(&mut self, x: f64, y: f64, class: &str, anchor: &str, s: &str) {
        let a =
            if anchor == "start" { String::new() } else { format!(" text-anchor=\"{anchor}\"") };
        let _ = writeln!(
            self.out,
            "<text x=\"{x}\" y=\"{y}\" class=\"{class} halo\"{a}>{t}</text>\
             <text x=\"{x}\" y=\"{y}\" class=\"{class}\"{a}>{t}</text>",
            x = N(x),
            y = N(y),
            t = Esc(s)
        );
    }

    /// Places a label near an anchor point without overlapping earlier
    /// labels when possible; returns the text's start position.
    fn place_label(&mut self, at: [f64; 2], s: &str, font_px: f64) -> [f64; 2] {
        let w = 0.62 * font_px * s.chars().count() as f64;
        let h = font_px;
        let tries = [
            (6.0, -5.0),
            (6.0, h + 4.0),
            (-w - 6.0, -5.0),
            (-w - 6.0, h + 4.0),
            (-w / 2.0, -9.0),
            (-w / 2.0, h + 9.0),
        ];
        let boxes: Vec<LabelBox> = tries
            .iter()
            .map(|(dx, dy)| [at[0] + dx, at[1] + dy - h, at[0] + dx + w, at[1] + dy])
            .collect();
        let free = |b: &LabelBox| {
            !self.labels.iter().any(|o| b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3])
        };
        let chosen = boxes.iter().find(|b| free(b)).or(boxes.first()).copied().unwrap_or([
            at[0],
            at[1] - h,
            at[0] + w,
            at[1],
        ]);
        self.labels.push(chosen);
        [chosen[0], chosen[3]]
    }

    fn run(mut self) -> String {
        let (w, h) = (self.width, self.height);
        let _ = writeln!(
            self.out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{wi}\" height=\"{hi}\" viewBox=\"0 0 {wi} {hi}\">\n\
             <title>{t}</title>\n<style>{STYLE}</style>\n\
             <defs><clipPath id=\"map\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>\n\
             <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>",
            N(self.map[0]),
            N(self.map[1]),
            N(self.map[2]),
            N(self.map[3]),
            wi = w.round(),
            hi = h.round(),
            t = Esc(&self.o.title),
        );
        self.header();
        self.grid();
        let cams = self.camera_layout();
        self.out.push_str("<g clip-path=\"url(#map)\">\n");
        self.coverage();
        self.zones();
        let truth = segments(&self.o.truth, self.o.gap_s, self.o.decimation_m);
        let tracks = segments(&self.o.tracks, self.o.gap_s, self.o.decimation_m);
        self.truth(&truth);
        self.tracks(&tracks);
        self.markers();
        self.out.push_str("</g>\n");
        self.cameras(&cams);
        let _ = writeln!(
            self.out,
            "<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            N(self.map[0]),
            N(self.map[1]),
            N(self.map[2]),
            N(self.map[3])
        );
        self.footer();
        self.panel(truth.len(), &tracks);
        self.out.push_str("</svg>\n");
        self.out
    }

    fn header(&mut self) {
        let title = self.o.title.clone();
        let _ = writeln!(
            self.out,
            "<text x=\"{}\" y=\"26\" font-size=\"19\" font-weight=\"bold\">{}</text>",
            N(MARGIN),
            Esc(&title)
        );
        for (i, line) in self.o.summary.iter().enumerate() {
            let _ = writeln!(
                self.out,
                "<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"#333\" xml:space=\"preserve\">{}</text>",
                N(MARGIN),
                N(46.0 + 17.0 * i as f64),
                Esc(line)
            );
        }
    }

    /// Grid step: the largest nice step giving at least four lines across
    /// the larger side.
    fn grid_step(&self) -> f64 {
        let [w, h] = self.ext.size();
        let larger = w.max(h);
        NICE_STEPS_M.iter().rev().copied().find(|s| larger / s >= 4.0).unwrap_or(1.0)
    }

    fn grid(&mut self) {
        let step = self.grid_step();
        let [x0, y0, mw, mh] = self.map;
        let mut lines = String::new();
        let mut labels = String::new();
        let first = |lo: f64| (lo / step).ceil() * step;
        let mut x = first(self.ext.min[0]);
        let mut n = 0;
        while x <= self.ext.max[0] && n < 200 {
            let p = self.px([x, 0.0])[0];
            let _ = write!(lines, "M{} {}V{}", N(p), N(y0), N(y0 + mh));
            let _ = write!(
                labels,
                "<text class=\"ax\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                N(p),
                N(y0 + mh + 12.0),
                N(x)
            );
            x += step;
            n += 1;
        }
        let mut y = first(self.ext.min[1]);
        while y <= self.ext.max[1] && n < 400 {
            let p = self.px([0.0, y])[1];
            let _ = write!(lines, "M{} {}H{}", N(x0), N(p), N(x0 + mw));
            let _ = write!(
                labels,
                "<text class=\"ax\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                N(x0 - 4.0),
                N(p + 3.5),
                N(y)
            );
            y += step;
            n += 1;
        }
        let _ = writeln!(self.out, "<path class=\"grid\" d=\"{lines}\"/>\n{labels}");
    }

    fn coverage(&mut self) {
        // Clip a little outside the map so outlines do not run along its frame.
        let mut clip = self.ext;
        clip.pad(2.0 / self.scale);
        let o = self.o;
        for c in &o.cameras {
            let poly = clip_polygon(&c.coverage_m, &clip);
            if poly.len() < 3 {
                continue;
            }
            self.out.push_str("<polygon class=\"cov\" points=\"");
            self.points_attr(&poly);
            let _ = writeln!(self.out, "\"><title>coverage of {}</title></polygon>", Esc(&c.name));
        }
    }

    fn zones(&mut self) {
        let o = self.o;
        for z in &o.zones {
            let v: Vec<[f64; 2]> = z.vertices_m.iter().copied().filter(|p| finite2(*p)).collect();
            if v.len() < 2 {
                continue;
            }
            self.out.push_str("<polygon class=\"zone\" points=\"");
            self.points_attr(&v);
            let _ = writeln!(self.out, "\"><title>zone {}</title></polygon>", Esc(&z.name));
            // Label inside the top-left corner of the zone's box.
            let mut b = Bounds::empty();
            v.iter().for_each(|p| b.add(*p));
            let at = self.px([b.min[0], b.max[1]]);
            self.labels.push([
                at[0],
                at[1],
                at[0] + 0.62 * 12.0 * z.name.chars().count() as f64 + 8.0,
                at[1] + 18.0,
            ]);
            self.text(at[0] + 4.0, at[1] + 15.0, "zonet", "start", &z.name);
        }
    }

    fn truth(&mut self, truth: &BTreeMap<u64, Vec<Segment>>) {
        self.out.push_str("<g>\n");
        for (id, segs) in truth {
            for s in segs {
                self.out.push_str("<polyline class=\"gt\" points=\"");
                self.poly_points(&s.points);
                let _ = writeln!(
                    self.out,
                    "\"><title>truth {id}: t {}-{} s</title></polyline>",
                    N(s.t0),
                    N(s.t1)
                );
            }
            if let Some(p) = segs.first().and_then(|s| s.points.first()) {
                let at = self.px(*p);
                let label = format!("{id}");
                let _ = writeln!(
                    self.out,
                    "<text class=\"gtt\" x=\"{}\" y=\"{}\">{}</text>",
                    N(at[0] - 4.0),
                    N(at[1] + 11.0),
                    label
                );
            }
        }
        self.out.push_str("</g>\n");
    }

    /// Writes the points of a polyline; a single point is written twice so
    /// that round line caps show it as a dot.
    fn poly_points(&mut self, pts: &[[f64; 2]]) {
        if let [p] = pts {
            self.points_attr(&[*p, *p]);
        } else {
            self.points_attr(pts);
        }
    }

    fn tracks(&mut self, tracks: &BTreeMap<u64, Vec<Segment>>) {
        let mut label_queue = Vec::new();
        for (id, segs) in tracks {
            let colour = track_colour(*id);
            let (Some(first), Some(last)) = (segs.first(), segs.last()) else { continue };
            let _ =
                writeln!(self.out, "<g data-track=\"{id}\" stroke=\"{colour}\" fill=\"{colour}\">");
            // Dotted joins over the gaps.
            let mut gap = String::new();
            for pair in segs.windows(2) {
                let [s0, s1] = pair else { continue };
                if let (Some(a), Some(b)) = (s0.points.last(), s1.points.first()) {
                    let (a, b) = (self.px(*a), self.px(*b));
                    let _ = write!(gap, "M{} {}L{} {}", N(a[0]), N(a[1]), N(b[0]), N(b[1]));
                }
            }
            if !gap.is_empty() {
                let _ = writeln!(self.out, "<path class=\"gap\" d=\"{gap}\"/>");
            }
            for s in segs {
                self.out.push_str("<polyline class=\"trk\" points=\"");
                self.poly_points(&s.points);
                let _ = writeln!(
                    self.out,
                    "\"><title>track {id}: t {}-{} s</title></polyline>",
                    N(s.t0),
                    N(s.t1)
                );
            }
            if let Some(p) = first.points.first() {
                let q = self.px(*p);
                let _ = writeln!(
                    self.out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"3.2\" stroke=\"#fff\" stroke-width=\"1\"/>",
                    N(q[0]),
                    N(q[1])
                );
                label_queue.push((*id, q, colour.clone()));
            }
            if let Some(p) = last.points.last() {
                let q = self.px(*p);
                let d = 3.5;
                let _ = writeln!(
                    self.out,
                    "<path class=\"end\" d=\"M{} {}l{} {}m0 {}l{} {}\"/>",
                    N(q[0] - d),
                    N(q[1] - d),
                    N(2.0 * d),
                    N(2.0 * d),
                    N(-2.0 * d),
                    N(-2.0 * d),
                    N(2.0 * d)
                );
            }
            self.out.push_str("</g>\n");
        }
        // Labels last, so that no line is drawn over them.
        for (id, q, colour) in label_queue {
            let s = id.to_string();
            let at = self.place_label(q, &s, 11.0);
            let _ = writeln!(
                self.out,
                "<text x=\"{x}\" y=\"{y}\" class=\"tid halo\">{s}</text><text x=\"{x}\" y=\"{y}\" class=\"tid\" fill=\"{colour}\">{s}</text>",
                x = N(at[0]),
                y = N(at[1]),
            );
        }
    }

    fn markers(&mut self) {
        let o = self.o;
        let mut alert_labels = Vec::new();
        for m in o.markers.iter().filter(|m| m.is_finite()) {
            let q = self.px([m.x, m.y]);
            let tip = format!(
                "{} at t {} s{}{}",
                kind_name(m.kind),
                N(m.t_s),
                if m.label.is_empty() { "" } else { ": " },
                m.label
            );
            match m.kind {
                MarkerKind::TrackBreak => {
                    let _ = writeln!(
                        self.out,
                        "<circle class=\"brk\" cx=\"{}\" cy=\"{}\" r=\"5.5\"><title>{}</title></circle>",
                        N(q[0]),
                        N(q[1]),
                        Esc(&tip)
                    );
                }
                MarkerKind::IdSwitch => {
                    let _ = writeln!(
                        self.out,
                        "<path class=\"sw\" d=\"{}\"><title>{}</title></path>",
                        cross_d(q, 5.0),
                        Esc(&tip)
                    );
                }
                MarkerKind::Alert => {
                    let _ = writeln!(
                        self.out,
                        "<path class=\"alr\" d=\"{}\"><title>{}</title></path>",
                        triangle_d(q, 9.0),
                        Esc(&tip)
                    );
                    alert_labels.push((q, m.label.clone()));
                }
            }
        }
        for (q, label) in alert_labels {
            if !label.is_empty() {
                let at = self.place_label([q[0] + 3.0, q[1]], &label, 12.0);
                self.text(at[0], at[1], "alrt", "start", &label);
            }
        }
    }

    /// Where each camera glyph goes: its point on the map (on the border
    /// for a far camera), its heading, and how far beyond the border it is.
    /// The glyph boxes are reserved so that no label covers a camera.
    fn camera_layout(&mut self) -> Vec<CameraGlyph> {
        let o = self.o;
        let [x0, y0, mw, mh] = self.map;
        let centre = [x0 + mw / 2.0, y0 + mh / 2.0];
        let inset = 14.0;
        let mut out = Vec::new();
        for c in &o.cameras {
            let Some(pos) = c.position_m.filter(|p| finite2(*p)) else { continue };
            // Directions are taken from halved coordinates so that huge
            // finite inputs cannot overflow.
            let half_diff =
                |a: [f64; 2], b: [f64; 2]| [0.5 * a[0] - 0.5 * b[0], 0.5 * a[1] - 0.5 * b[1]];
            // Direction of view: towards the middle of the coverage.
            let cov: Vec<[f64; 2]> = c.coverage_m.iter().copied().filter(|p| finite2(*p)).collect();
            let dir = c.view_dir.filter(|d| finite2(*d) && (d[0] != 0.0 || d[1] != 0.0));
            let heading = if let Some(d) = dir {
                d[0].atan2(d[1])
            } else if cov.len() >= 3 {
                let n = cov.len() as f64;
                let m = [
                    cov.iter().map(|p| p[0] / n).sum::<f64>(),
                    cov.iter().map(|p| p[1] / n).sum::<f64>(),
                ];
                let d = half_diff(m, pos);
                d[0].atan2(d[1])
            } else {
                0.0
            };
            let (at, off) = if self.ext.contains(pos) {
                (self.px(pos), None)
            } else {
                // Onto the inset border, along the ray from the map centre.
                let c_m = [
                    0.5 * self.ext.min[0] + 0.5 * self.ext.max[0],
                    0.5 * self.ext.min[1] + 0.5 * self.ext.max[1],
                ];
                let d = half_diff(pos, c_m);
                let big = d[0].abs().max(d[1].abs()).max(f64::MIN_POSITIVE);
                let v = [d[0] / big, -d[1] / big];
                let tx = if v[0].abs() > 1e-12 {
                    (mw / 2.0 - inset) / v[0].abs()
                } else {
                    f64::INFINITY
                };
                let ty = if v[1].abs() > 1e-12 {
                    (mh / 2.0 - inset) / v[1].abs()
                } else {
                    f64::INFINITY
                };
                let t = tx.min(ty);
                let b = [centre[0] + t * v[0], centre[1] + t * v[1]];
                let b_m = [c_m[0] + t * v[0] / self.scale, c_m[1] - t * v[1] / self.scale];
                let h = half_diff(pos, b_m);
                (b, Some((2.0 * h[0].hypot(h[1]), v[0].atan2(-v[1]))))
            };
            // Box around the glyph (and the arrow of a far camera).
            let mut corners = camera_corners(at, heading, CAMERA_GLYPH_PX).to_vec();
            if let Some((_, dir)) = off {
                corners.push([at[0] + 14.0 * dir.sin(), at[1] - 14.0 * dir.cos()]);
            }
            let mut gb = Bounds::empty();
            corners.iter().for_each(|p| gb.add(*p));
            let glyph = [gb.min[0] - 2.0, gb.min[1] - 2.0, gb.max[0] + 2.0, gb.max[1] + 2.0];
            self.labels.push(glyph);
            out.push(CameraGlyph { name: c.name.clone(), at, heading, off, glyph });
        }
        out
    }

    fn cameras(&mut self, cams: &[CameraGlyph]) {
        for c in cams {
            let _ = write!(self.out, "<g><title>camera {}</title>", Esc(&c.name));
            if let Some((_, dir)) = c.off {
                // Small arrow pointing out of the map, towards the camera.
                let tip = [c.at[0] + 14.0 * dir.sin(), c.at[1] - 14.0 * dir.cos()];
                let _ = write!(
                    self.out,
                    "<path d=\"M{} {}L{} {}\" stroke=\"#1d3557\" stroke-width=\"1.5\"/>\
                     <path class=\"cam\" d=\"{}\"/>",
                    N(c.at[0]),
                    N(c.at[1]),
                    N(tip[0]),
                    N(tip[1]),
                    arrow_head_d(tip, dir, 4.0)
                );
            }
            let _ = writeln!(self.out, "{}</g>", camera_glyph(c.at, c.heading, CAMERA_GLYPH_PX));
        }
        for c in cams {
            let label = match c.off {
                Some((m, _)) if m < 1e5 => format!("{} ({} m away)", c.name, m.round()),
                Some(_) => format!("{} (far away)", c.name),
                None => c.name.clone(),
            };
            let (x, y, anchor) = self.place_beside(c.glyph, &label, 11.0);
            self.text(x, y, "camt", anchor, &label);
        }
    }

    /// Places a label beside a box (right, left, below, above, or further
    /// down or up), preferring a spot inside the map that no earlier label
    /// takes; returns the text position and anchor.
    fn place_beside(&mut self, b: LabelBox, s: &str, font_px: f64) -> (f64, f64, &'static str) {
        let w = 0.62 * font_px * s.chars().count() as f64;
        let h = font_px;
        let (cx, cy) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
        // (text x, baseline y, anchor, left edge of the text)
        let (right, left) = (b[2] + 2.0, b[0] - 2.0);
        let mid = cy + 0.35 * h;
        let mut spots: Vec<(f64, f64, &'static str, f64)> =
            vec![(right, mid, "start", right), (left, mid, "end", left - w)];
        for k in 0..4 {
            let dy = f64::from(k) * (h + 2.0);
            spots.push((cx, b[3] + 0.85 * h + dy, "middle", cx - w / 2.0));
            spots.push((cx, b[1] - 0.25 * h - dy, "middle", cx - w / 2.0));
        }
        let tries: Vec<(f64, f64, &'static str, LabelBox)> = spots
            .into_iter()
            .map(|(x, y, anchor, l)| (x, y, anchor, [l, y - 0.8 * h, l + w, y + 0.2 * h]))
            .collect();
        let [x0, y0, mw, mh] = self.map;
        let inside = |l: &LabelBox| l[0] >= x0 && l[2] <= x0 + mw && l[1] >= y0 && l[3] <= y0 + mh;
        let free = |l: &LabelBox| {
            !self.labels.iter().any(|o| l[0] < o[2] && o[0] < l[2] && l[1] < o[3] && o[1] < l[3])
        };
        let pick = tries
            .iter()
            .find(|t| inside(&t.3) && free(&t.3))
            .or_else(|| tries.iter().find(|t| free(&t.3)))
            .or(tries.first())
            .copied();
        match pick {
            Some((x, y, anchor, l)) => {
                self.labels.push(l);
                (x, y, anchor)
            }
            None => (b[2], b[3], "start"),
        }
    }

    fn footer(&mut self) {
        let [x0, y0, mw, mh] = self.map;
        let y = y0 + mh + 36.0;
        // Scale bar: the largest nice length up to a quarter of the map.
        let ew = self.ext.size()[0];
        let bar_m = NICE_STEPS_M.iter().rev().copied().find(|s| *s <= ew / 4.0).unwrap_or(1.0);
        let bar_px = bar_m * self.scale;
        let _ = writeln!(
            self.out,
            "<path d=\"M{x} {y1}V{y}H{x2}V{y1}\" fill=\"none\" stroke=\"#222\" stroke-width=\"2\"/>\
             <text x=\"{xm}\" y=\"{yt}\" font-size=\"12\" text-anchor=\"middle\">{b} m</text>",
            x = N(x0),
            y1 = N(y - 5.0),
            y = N(y),
            x2 = N(x0 + bar_px),
            xm = N(x0 + bar_px / 2.0),
            yt = N(y + 13.0),
            b = N(bar_m),
        );
        // Extent, in words.
        let _ = writeln!(
            self.out,
            "<text class=\"muted\" x=\"{}\" y=\"{}\">x {} to {} m, y {} to {} m, grid {} m</text>",
            N(x0 + bar_px + 16.0),
            N(y + 4.0),
            N(self.ext.min[0]),
            N(self.ext.max[0]),
            N(self.ext.min[1]),
            N(self.ext.max[1]),
            N(self.grid_step())
        );
        // Axes arrow at the bottom right.
        let ax = x0 + mw - 40.0;
        let y = y0 + mh + 46.0;
        let _ = writeln!(
            self.out,
            "<g stroke=\"#222\" stroke-width=\"1.5\" fill=\"#222\"><path d=\"M{ax} {y}h22M{ax} {y}v-20\"/>\
             <path stroke=\"none\" d=\"{hx}\"/><path stroke=\"none\" d=\"{hy}\"/></g>\
             <text x=\"{tx}\" y=\"{ty}\" font-size=\"11\">x</text><text x=\"{ux}\" y=\"{uy}\" font-size=\"11\">y</text>",
            ax = N(ax),
            y = N(y),
            hx = arrow_head_d([ax + 27.0, y], std::f64::consts::FRAC_PI_2, 4.0),
            hy = arrow_head_d([ax, y - 25.0], 0.0, 4.0),
            tx = N(ax + 31.0),
            ty = N(y + 4.0),
            ux = N(ax + 5.0),
            uy = N(y - 20.0),
        );
    }

    fn panel(&mut self, n_truth: usize, tracks: &BTreeMap<u64, Vec<Segment>>) {
        let o = self.o;
        let x = self.width - PANEL_W - MARGIN;
        let gx = x + 12.0;
        let tx = x + 44.0;
        let has = |k: MarkerKind| o.markers.iter().any(|m| m.kind == k && m.is_finite());
        let mut entries: Vec<(Legend, String)> = Vec::new();
        if o.cameras.iter().any(|c| c.coverage_m.iter().filter(|p| finite2(**p)).count() >= 3) {
            entries.push((Legend::Coverage, "coverage (darker: overlap)".into()));
        }
        if o.cameras.iter().any(|c| c.position_m.is_some_and(finite2)) {
            entries.push((Legend::Camera, "camera, field of view".into()));
        }
        if !o.zones.is_empty() {
            entries.push((Legend::Zone, "zone".into()));
        }
        if n_truth > 0 {
            entries.push((Legend::Truth, "ground truth (grey band, id)".into()));
        }
        if !tracks.is_empty() {
            entries.push((Legend::Track, "track: id, start, end".into()));
            if tracks.values().any(|s| s.len() > 1) {
                entries.push((Legend::Gap, format!("track gap over {} s", N(o.gap_s))));
            }
        }
        for k in [MarkerKind::TrackBreak, MarkerKind::IdSwitch, MarkerKind::Alert] {
            if has(k) {
                entries.push((Legend::Marker(k), kind_name(k).into()));
            }
        }
        let mut rows = String::new();
        let mut y = self.header_h + 4.0;
        for (glyph, text) in &entries {
            y += 22.0;
            rows.push_str(&legend_glyph(*glyph, gx, y));
            let _ = writeln!(
                rows,
                "<text class=\"lg\" x=\"{}\" y=\"{}\">{}</text>",
                N(tx),
                N(y + 4.0),
                Esc(text)
            );
        }
        let legend_h = y - (self.header_h + 4.0) + 16.0;
        let _ = writeln!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"#fafafa\" stroke=\"#ccc\"/>\n{rows}",
            N(x),
            N(self.header_h),
            N(PANEL_W),
            N(legend_h.max(30.0))
        );
        // Counts and time span.
        let mut t = (f64::INFINITY, f64::NEG_INFINITY);
        for r in o.truth.iter().chain(&o.tracks) {
            t = (t.0.min(r.t_s), t.1.max(r.t_s));
        }
        let count =
            |k: MarkerKind| o.markers.iter().filter(|m| m.kind == k && m.is_finite()).count();
        let mut lines = vec![
            format!("{}, {}", plural(o.cameras.len(), "camera"), plural(o.zones.len(), "zone")),
            format!("{}, {}", plural(n_truth, "truth object"), plural(tracks.len(), "track")),
            format!(
                "{}, {}, {}",
                plural(count(MarkerKind::TrackBreak), "break"),
                plural(count(MarkerKind::IdSwitch), "switch"),
                plural(count(MarkerKind::Alert), "alert")
            ),
        ];
        if t.0 <= t.1 {
            lines.push(format!("time {} to {} s", N(t.0), N(t.1)));
        }
        let mut yy = self.header_h + legend_h.max(30.0) + 22.0;
        for l in lines {
            let _ = writeln!(
                self.out,
                "<text class=\"muted\" x=\"{}\" y=\"{}\">{}</text>",
                N(x + 4.0),
                N(yy),
                Esc(&l)
            );
            yy += 16.0;
        }
    }
}

/// The glyphs of the legend.
#[derive(Debug, Clone, Copy)]
enum Legend {
    Coverage,
    Camera,
    Zone,
    Truth,
    Track,
    Gap,
    Marker(MarkerKind),
}

/// A legend glyph, 24 px wide, starting at `gx` and centred on `y`.
fn legend_glyph(g: Legend, gx: f64, y: f64) -> String {
    let c = track_colour(1);
    let (x, ym, cx) = (N(gx), N(y), N(gx + 12.0));
    match g {
        Legend::Coverage => format!(
            "<rect class=\"cov\" x=\"{x}\" y=\"{}\" width=\"24\" height=\"12\"/>\
             <rect class=\"cov\" x=\"{}\" y=\"{}\" width=\"12\" height=\"12\"/>",
            N(y - 6.0),
            N(gx + 12.0),
            N(y - 6.0)
        ),
        Legend::Camera => camera_glyph([gx + 3.0, y], std::f64::consts::FRAC_PI_2, 9.0),
        Legend::Zone => {
            format!(
                "<rect class=\"zone\" x=\"{x}\" y=\"{}\" width=\"24\" height=\"12\"/>",
                N(y - 6.0)
            )
        }
        Legend::Truth => format!("<path class=\"gt\" d=\"M{x} {ym}h24\"/>"),
        Legend::Track => format!(
            "<g stroke=\"{c}\" fill=\"{c}\"><polyline class=\"trk\" points=\"{x},{ym} {},{ym}\"/>\
             <circle cx=\"{x}\" cy=\"{ym}\" r=\"3.2\"/>\
             <path class=\"end\" d=\"M{} {}l7 7m0 -7l-7 7\"/></g>",
            N(gx + 24.0),
            N(gx + 20.5),
            N(y - 3.5)
        ),
        Legend::Gap => format!("<path class=\"gap\" stroke=\"{c}\" d=\"M{x} {ym}h24\"/>"),
        Legend::Marker(MarkerKind::TrackBreak) => {
            format!("<circle class=\"brk\" cx=\"{cx}\" cy=\"{ym}\" r=\"5.5\"/>")
        }
        Legend::Marker(MarkerKind::IdSwitch) => {
            format!("<path class=\"sw\" d=\"{}\"/>", cross_d([gx + 12.0, y], 5.0))
        }
        Legend::Marker(MarkerKind::Alert) => {
            format!("<path class=\"alr\" d=\"{}\"/>", triangle_d([gx + 12.0, y], 9.0))
        }
    }
}

/// "1 track", "2 tracks", "0 switches".
fn plural(n: usize, noun: &str) -> String {
    match (n, noun.ends_with("ch")) {
        (1, _) => format!("1 {noun}"),
        (_, true) => format!("{n} {noun}es"),
        _ => format!("{n} {noun}s"),
    }
}

fn kind_name(k: MarkerKind) -> &'static str {
    match k {
        MarkerKind::TrackBreak => "track break",
        MarkerKind::IdSwitch => "identity switch",
        MarkerKind::Alert => "alert",
    }
}

/// An X of half-size `d` centred at `q`.
fn cross_d(q: [f64; 2], d: f64) -> String {
    format!(
        "M{} {}l{} {}m0 {}l{} {}",
        N(q[0] - d),
        N(q[1] - d),
        N(2.0 * d),
        N(2.0 * d),
        N(-2.0 * d),
        N(-2.0 * d),
        N(2.0 * d)
    )
}

/// An upward triangle of size `s` centred at `q`.
fn triangle_d(q: [f64; 2], s: f64) -> String {
    format!(
        "M{} {}L{} {}L{} {}Z",
        N(q[0]),
        N(q[1] - s),
        N(q[0] + 0.9 * s),
        N(q[1] + 0.6 * s),
        N(q[0] - 0.9 * s),
        N(q[1] + 0.6 * s)
    )
}

/// A camera glyph: a dark dot at `q` and a translucent triangle (the field
/// of view) with its apex there, opening towards `heading` (radians
/// clockwise from screen-up).
fn camera_glyph(q: [f64; 2], heading: f64, s: f64) -> String {
    let [a, b, c] = camera_corners(q, heading, s);
    format!(
        "<path class=\"fov\" d=\"M{} {}L{} {}L{} {}Z\"/><circle class=\"cam\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
        N(a[0]),
        N(a[1]),
        N(b[0]),
        N(b[1]),
        N(c[0]),
        N(c[1]),
        N(q[0]),
        N(q[1]),
        N(0.38 * s)
    )
}

/// The corners of the camera glyph: apex, then the two base corners.
fn camera_corners(q: [f64; 2], heading: f64, s: f64) -> [[f64; 2]; 3] {
    let (sn, cs) = heading.sin_cos();
    // Forward unit (screen): (sin, -cos); right unit: (cos, sin).
    let f = [sn, -cs];
    let r = [cs, sn];
    let base = [q[0] + 2.2 * s * f[0], q[1] + 2.2 * s * f[1]];
    [
        q,
        [base[0] + 0.9 * s * r[0], base[1] + 0.9 * s * r[1]],
        [base[0] - 0.9 * s * r[0], base[1] - 0.9 * s * r[1]],
    ]
}

/// An arrow head with its tip at `tip`, pointing along `dir` (radians
/// clockwise from screen-up).
fn arrow_head_d(tip: [f64; 2], dir: f64, s: f64) -> String {
    let (sn, cs) = dir.sin_cos();
    let f = [sn, -cs];
    let r = [cs, sn];
    let back = [tip[0] - 1.6 * s * f[0], tip[1] - 1.6 * s * f[1]];
    format!(
        "M{} {}L{} {}L{} {}Z",
        N(tip[0]),
        N(tip[1]),
        N(back[0] + 0.7 * s * r[0]),
        N(back[1] + 0.7 * s * r[1]),
        N(back[0] - 0.7 * s * r[0]),
        N(back[1] - 0.7 * s * r[1])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_two_decimals_at_most() {
        assert_eq!(N(12.0).to_string(), "12");
        assert_eq!(N(12.5).to_string(), "12.5");
        assert_eq!(N(12.345).to_string(), "12.35");
        assert_eq!(N(-0.001).to_string(), "0");
        assert_eq!(N(f64::NAN).to_string(), "0");
    }

    #[test]
    fn clipping_a_large_square_gives_the_rectangle() {
        let r = Bounds { min: [0.0, 0.0], max: [2.0, 1.0] };
        let big = [[-100.0, -100.0], [100.0, -100.0], [100.0, 100.0], [-100.0, 100.0]];
        let c = clip_polygon(&big, &r);
        let mut b = Bounds::empty();
        c.iter().for_each(|p| b.add(*p));
        assert_eq!(b, r);
        assert!(clip_polygon(&[[5.0, 5.0], [6.0, 5.0], [6.0, 6.0]], &r).is_empty());
    }

    #[test]
    fn decimation_keeps_corners() {
        let mut pts: Vec<[f64; 2]> = (0..=100).map(|i| [i as f64 * 0.1, 0.0]).collect();
        pts.extend((1..=100).map(|i| [10.0, i as f64 * 0.1]));
        let d = decimate(&pts, 0.02);
        assert_eq!(d, vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]]);
    }

    #[test]
    fn colour_is_hsl_of_golden_angle_hue() {
        // id 0: hue 200°, s 0.72, l 0.46 -> rgb(33, 145, 202) by the HSL formula.
        assert_eq!(track_colour(0), "#2191ca");
        assert_eq!(hsl_to_rgb(0.0, 1.0, 0.5), [255, 0, 0]);
        assert_eq!(hsl_to_rgb(120.0, 1.0, 0.5), [0, 255, 0]);
    }
}
