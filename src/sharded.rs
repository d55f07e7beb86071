//! Sharded tracking for city-scale rigs: the cameras split into groups
//! (shards), one [`Tracker`] per group, the shards stepped in parallel, and
//! their tracks fused into one set of global tracks.
//!
//! A [`Tracker`] processes the camera frames of a capture time one after
//! the other, each against the state the previous one left, so its
//! association is sequential. A city of 500 cameras is mostly made of
//! districts that never see the same person at the same time; a
//! [`ShardedTracker`] gives each district (by default a compact block of
//! cameras, by their ground coverage) its own tracker and runs them side by
//! side. People in view of two districts at once, or walking from one into
//! the next, have a local track in each; after every step the local tracks
//! of different shards that are the same object are *linked* (track-to-track
//! fusion, the usual architecture of distributed sensor networks) and the
//! whole group is reported under one id:
//!
//! * Two local tracks are linked under the tracker's own duplicate test
//!   ([`TrackerConfig::merge_max_distance_m`], [`TrackerConfig::merge_d2`]
//!   on position and velocity, same object kind), predicted to a common
//!   time. A tentative track links at once; two confirmed ones only after
//!   the test held for [`TrackerConfig::merge_after_s`], as for a merge
//!   inside one tracker. A group holds at most one track per shard: inside
//!   a shard, its own tracker decides who is who.
//! * The group keeps the id of its senior (confirmed before tentative, then
//!   the older id); the junior group is reported ended with
//!   [`EndReason::Merged`], as a duplicate merged inside one tracker is.
//! * A link is a hypothesis, tested again whenever there is news: a track
//!   that, while it and its group's oldest track are both observed (within
//!   [`TrackerConfig::coast_after_s`]), stays outside the association gate
//!   of it ([`TrackerConfig::gate_d2`], looser than the link test, so links
//!   do not flap; compared at the later of their times) for
//!   [`TrackerConfig::merge_after_s`] is another object: it leaves the
//!   group and is reported as a new track (born, and confirmed if it was).
//!   Two people passing close to each other at a border are linked for a
//!   moment and then told apart.
//! * A group is reported ([`ShardedTracker::confirmed_tracks`]) while one
//!   of its tracks is [`TrackStatus::Confirmed`], or once confirmed while a
//!   tentative track of another shard is taking it over. Its state is the
//!   covariance intersection of its tracks' states
//!   ([`ShardedTrack::state`]).
//!
//! Shards number their tracks in disjoint sequences (shard `s` of `k`:
//! `s + 1`, `s + 1 + k`, ...), so every id is unique. The output depends
//! on the plan (which camera is in which shard), never on the number of
//! threads: shards are stepped in parallel with the `parallel` feature, and
//! everything that joins them runs in shard order. With one shard the output
//! is the plain [`Tracker`]'s, event for event.
//!
//! What sharding costs: a person in view of two shards is tracked twice,
//! each shard with its own cameras' detections only, so near a border the
//! two local tracks each use part of the evidence, and a track handed over
//! is re-confirmed by the new shard (it stays reported through the group
//! meanwhile). Wrong links cost a few frames before they are undone. On a
//! test crowd crossing borders (`tests/sharded.rs`), MOTA and IDF1 drop by
//! about 0.003 and 0.01 with two shards, more with many shards. Where every
//! camera sees the same area the cost is large (the sample plaza: MOTA
//! 0.915 with one tracker, 0.838 with two shards; `examples/sharded.rs`):
//! every person is then tracked twice and held together by links alone, and
//! in a tight group a link can join two neighbours for a moment. Camera
//! health and clock checks work per shard (a camera's clock is compared
//! with the other cameras of its shard). Use as few shards as there are
//! cores to fill, along natural borders where possible (districts, museum
//! wings), with [`ShardedTracker::with_groups`].
//!
//! ```
//! use fusetrack::sharded::ShardedTracker;
//! use fusetrack::geometry::Polygon;
//! use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
//! // Two sensors covering [0, 12] and [8, 20] m along a street.
//! let strip = |x0: f64, x1: f64| Polygon::new(vec![[x0, -5.0], [x1, -5.0], [x1, 5.0], [x0, 5.0]]);
//! let rig = CameraRig::new(vec![
//!     Camera::world_sensor("west").with_coverage(strip(0.0, 12.0)?),
//!     Camera::world_sensor("east").with_coverage(strip(8.0, 20.0)?),
//! ])?;
//! let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 2)?;
//! // A walker at 1.2 m/s, seen by each sensor inside its coverage.
//! for k in 0..150 {
//!     let t = 0.1 * k as f64;
//!     let x = 1.0 + 1.2 * t;
//!     for (cam, lo, hi) in [(0, 0.0, 12.0), (1, 8.0, 20.0)] {
//!         if (lo..=hi).contains(&x) {
//!             let obs = Observation::World { position_m: [x, 0.0], cov_m2: None };
//!             tracker.push(Detection::new(t, CameraId(cam), obs))?;
//!         }
//!     }
//!     while tracker.step()?.is_some() {}
//! }
//! while tracker.flush_step()?.is_some() {}
//! // One walker, one id, although two shards tracked them.
//! let ids: Vec<_> = tracker.confirmed_tracks().map(|t| t.id()).collect();
//! assert_eq!(ids.len(), 1);
//! assert!(tracker.links() >= 1);
//! # Ok::<(), fusetrack::Error>(())
//! ```

use std::collections::BTreeMap;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::association::spatial::GridIndex;
use crate::config::TrackerConfig;
use crate::detection::Detection;
use crate::error::{Error, Location, Result};
use crate::events::{EndReason, Event};
use crate::filter::KalmanState;
use crate::geometry::CameraRig;
use crate::ids::{CameraId, TrackId};
use crate::motion::MotionModel;
use crate::track::{Track, TrackStatus, compatibility_d2};
use crate::tracker::{Tracker, TrackerStats};
use nalgebra::{Matrix4, Vector4};

type Map<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// What the fusion knows of one local track, kept up to date from its
/// shard's events (so the step never searches the shards' track lists).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Member {
    /// The group (global track) it belongs to.
    global: TrackId,
    confirmed: bool,
    coasting: bool,
    /// Since when, observed at the same time as its group's oldest track,
    /// it has been too far from it to be the same object.
    apart_since: Option<f64>,
}

/// A change in a shard that the sequential fusion pass must see.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
enum Note {
    Born(TrackId, f64),
    Status(TrackId, f64),
    Ended { track: TrackId, t_s: f64, reason: EndReason },
}

/// One shard: its tracker and the fusion's per-shard bookkeeping.
#[derive(Debug, Serialize, Deserialize)]
struct Shard {
    tracker: Tracker,
    book: Map<TrackId, Member>,
    /// Translated events of the last step, in the shard's order.
    out: Vec<Event>,
    notes: Vec<Note>,
    /// Ground box where another shard's tracks may be the same object as
    /// this shard's: its cameras' coverage, grown by the link radius
    /// (`[x0, y0, x1, y1]`, all of the plane, `±f64::MAX`, for a camera
    /// without coverage: finite, so that a snapshot can be written as
    /// JSON).
    reach: [f64; 4],
    /// Its place in the shard list.
    index: u32,
    /// The other shards' reach.
    others: Vec<[f64; 4]>,
    /// Its tracks inside another shard's reach after the last step (the
    /// candidates for links), found on the shard's thread.
    border: Vec<([f64; 2], TrackId)>,
    /// Errors of the batch's detections, with their batch index.
    #[serde(skip)]
    refused: Vec<(usize, Error)>,
    /// The error of the last step, if any.
    #[serde(skip)]
    error: Option<Error>,
}

impl Clone for Shard {
    /// The batch buffers are empty between calls, and errors are not
    /// `Clone`: a clone starts with empty ones.
    fn clone(&self) -> Self {
        Self {
            tracker: self.tracker.clone(),
            book: self.book.clone(),
            out: self.out.clone(),
            notes: self.notes.clone(),
            reach: self.reach,
            index: self.index,
            others: self.others.clone(),
            border: self.border.clone(),
            refused: Vec::new(),
            error: None,
        }
    }
}

/// A global track: the local tracks linked as one object.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Group {
    members: SmallVec<[(u32, TrackId); 2]>,
    /// Confirmed at some point (one of its tracks was).
    confirmed: bool,
    /// Reported lost (confirmed, no track confirmed or taking over).
    lost: bool,
    /// Earliest birth among its tracks, seconds.
    born_t_s: f64,
    /// A confirmed senior this confirmed group is compatible with, and
    /// since when (links of two confirmed groups must persist).
    candidate: Option<(TrackId, f64)>,
}

/// Scratch buffers of the linking pass, kept between steps.
#[derive(Debug, Clone, Default)]
struct LinkScratch {
    points: Vec<[f64; 2]>,
    owners: Vec<(u32, TrackId)>,
    grid: GridIndex,
    pairs: Vec<(f64, u32, u32)>,
    /// Groups whose status may have changed, with the time of the change.
    touched: Vec<(TrackId, f64)>,
    candidates_seen: Vec<TrackId>,
    /// Linked groups to check, and the members to split off.
    linked: Vec<TrackId>,
    /// Members tested this step: (group, shard, track, too far apart).
    apart: Vec<(TrackId, u32, TrackId, bool)>,
    splits: Vec<(TrackId, u32, TrackId)>,
}

/// A global track of a [`ShardedTracker`]: its id and the local track that
/// stands for it (the most recently updated of its group).
///
/// ```
/// # use fusetrack::sharded::ShardedTracker;
/// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
/// let rig = CameraRig::new(vec![Camera::world_sensor("radar")])?;
/// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
/// for k in 0..5 {
///     let obs = Observation::World { position_m: [0.1 * k as f64, 0.0], cov_m2: None };
///     tracker.push(Detection::new(0.1 * k as f64, CameraId(0), obs))?;
/// }
/// while tracker.flush_step()?.is_some() {}
/// let t = tracker.confirmed_tracks().next().unwrap();
/// assert_eq!(t.id(), t.track().id()); // a group of one keeps its track's id
/// assert_eq!(t.members(), 1);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ShardedTrack<'a> {
    id: TrackId,
    track: &'a Track,
    members: usize,
    status: TrackStatus,
    born_t_s: f64,
    state: KalmanState,
    t_s: f64,
}

impl<'a> ShardedTrack<'a> {
    /// The global id (the id of the group's senior local track).
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")])?;
    /// let tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// assert!(tracker.tracks().map(|t| t.id()).next().is_none());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn id(&self) -> TrackId {
        self.id
    }

    /// The group's most recently updated local track (its kind, hits,
    /// cameras and times). Its own [`Track::id`] is the local one; the
    /// group's estimate is [`ShardedTrack::state`].
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")])?;
    /// let tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// assert!(tracker.tracks().map(|t| t.track().position()).next().is_none());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn track(&self) -> &'a Track {
        self.track
    }

    /// How many local tracks (one per shard at most) the group links.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")])?;
    /// let tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// assert_eq!(tracker.tracks().map(|t| t.members()).sum::<usize>(), 0);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn members(&self) -> usize {
        self.members
    }

    /// The global track's status: [`TrackStatus::Confirmed`] while it is
    /// reported ([`ShardedTracker::confirmed_tracks`]),
    /// [`TrackStatus::Coasting`] once confirmed but lost, else
    /// [`TrackStatus::Tentative`] (its representative's own status may
    /// differ: a tentative track taking over a confirmed group).
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig, TrackStatus};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")])?;
    /// let tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// assert!(tracker.tracks().all(|t| t.status() != TrackStatus::Coasting));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn status(&self) -> TrackStatus {
        self.status
    }

    /// When the global track was first seen: the earliest birth among the
    /// tracks it has linked (a person handed over between shards keeps
    /// their time in the scene), seconds.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")])?;
    /// let tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// assert!(tracker.tracks().all(|t| t.born_t_s() <= t.track().born_t_s()));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn born_t_s(&self) -> f64 {
        self.born_t_s
    }

    /// The group's estimate at [`ShardedTrack::t_s`]: with one track, its
    /// state; with several, their states predicted to the latest of their
    /// times and fused by covariance intersection with equal weights
    /// (Julier and Uhlmann 1997: consistent whatever the unknown
    /// correlation between the tracks, which share the object's motion),
    /// so the reported position does not jump between the tracks.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// tracker.push(Detection::new(0.0, CameraId(0), Observation::World { position_m: [1.0, 2.0], cov_m2: None }))?;
    /// tracker.flush_step()?;
    /// let t = tracker.tracks().next().unwrap();
    /// assert_eq!(t.state(), t.track().state()); // one track: its own state
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn state(&self) -> &KalmanState {
        &self.state
    }

    /// Time of [`ShardedTrack::state`], seconds.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// tracker.push(Detection::new(0.5, CameraId(0), Observation::World { position_m: [1.0, 2.0], cov_m2: None }))?;
    /// tracker.flush_step()?;
    /// assert_eq!(tracker.tracks().next().unwrap().t_s(), 0.5);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn t_s(&self) -> f64 {
        self.t_s
    }

    /// Position of the group's estimate, metres.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// tracker.push(Detection::new(0.0, CameraId(0), Observation::World { position_m: [1.0, 2.0], cov_m2: None }))?;
    /// tracker.flush_step()?;
    /// assert_eq!(tracker.tracks().next().unwrap().position(), [1.0, 2.0]);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn position(&self) -> [f64; 2] {
        [self.state.x[0], self.state.x[1]]
    }

    /// Velocity of the group's estimate, m/s.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// tracker.push(Detection::new(0.0, CameraId(0), Observation::World { position_m: [1.0, 2.0], cov_m2: None }))?;
    /// tracker.flush_step()?;
    /// assert_eq!(tracker.tracks().next().unwrap().velocity(), [0.0, 0.0]); // a newborn
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn velocity(&self) -> [f64; 2] {
        [self.state.x[2], self.state.x[3]]
    }

    /// Position of the group's estimate predicted to `t_s` (not before its
    /// time), metres.
    ///
    /// # Errors
    /// As [`KalmanState::predicted`].
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, MotionModel, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// tracker.push(Detection::new(0.0, CameraId(0), Observation::World { position_m: [1.0, 2.0], cov_m2: None }))?;
    /// tracker.flush_step()?;
    /// let t = tracker.tracks().next().unwrap();
    /// assert_eq!(t.position_at(&MotionModel::default(), 3.0)?, [1.0, 2.0]); // not moving
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn position_at(&self, model: &MotionModel, t_s: f64) -> Result<[f64; 2]> {
        let s = self.state.predicted(model, (t_s - self.t_s).max(0.0))?;
        Ok([s.x[0], s.x[1]])
    }
}

/// Covariance intersection of several tracks' states, with equal weights,
/// at the latest of their times: `P⁻¹ = Σ Pᵢ⁻¹ / n`, `x = P Σ Pᵢ⁻¹ xᵢ / n`.
/// `None` if a prediction or an inverse fails.
fn fuse(tracks: &[&Track], config: &TrackerConfig) -> Option<(KalmanState, f64)> {
    let t = tracks.iter().map(|tr| tr.t_s()).fold(f64::NEG_INFINITY, f64::max);
    let w = 1.0 / tracks.len() as f64;
    let mut info = Matrix4::<f64>::zeros();
    let mut info_x = Vector4::<f64>::zeros();
    for tr in tracks {
        let s = tr.state_at(&config.model(tr.kind()).motion, t).ok()?;
        let inv = s.p.try_inverse()?;
        info += inv * w;
        info_x += inv * s.x * w;
    }
    let p = info.try_inverse()?;
    let x = p * info_x;
    let state = KalmanState::new(x, (p + p.transpose()) * 0.5).ok()?;
    Some((state, t))
}

/// Several [`Tracker`]s, one per group of cameras, stepped in parallel and
/// fused into one set of tracks (see the [module docs](self)).
///
/// The calls mirror [`Tracker`]'s: [`push`](Self::push) each detection,
/// then [`step`](Self::step) until it returns `None` (or
/// [`flush_step`](Self::flush_step) at the end of a recording), and read
/// [`confirmed_tracks`](Self::confirmed_tracks) and
/// [`drain_events`](Self::drain_events). Like a [`Tracker`], it can be
/// saved with serde and restored, and then goes on exactly as it would
/// have (a test snapshots one mid-run through JSON).
///
/// ```
/// use fusetrack::sharded::ShardedTracker;
/// use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
/// let rig = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("b")])?;
/// // Explicit groups: camera a in one shard, b in the other.
/// let groups = vec![vec![CameraId(0)], vec![CameraId(1)]];
/// let mut tracker = ShardedTracker::with_groups(TrackerConfig::default(), rig, &groups)?;
/// assert_eq!(tracker.shard_of(CameraId(1)), Some(1));
/// for k in 0..6 {
///     let t = 0.1 * k as f64;
///     for cam in [0, 1] {
///         let obs = Observation::World { position_m: [t, 0.0], cov_m2: None };
///         tracker.push(Detection::new(t, CameraId(cam), obs))?;
///     }
/// }
/// while tracker.flush_step()?.is_some() {}
/// // Both shards track the walker; the fusion reports one.
/// assert_eq!(tracker.shards().map(|s| s.tracks().count()).sum::<usize>(), 2);
/// assert_eq!(tracker.confirmed_tracks().count(), 1);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "Snapshot")]
pub struct ShardedTracker {
    shards: Vec<Shard>,
    /// Shard of each camera, by camera index.
    shard_of: Vec<u32>,
    groups: BTreeMap<TrackId, Group>,
    events: Vec<Event>,
    time_s: Option<f64>,
    links: u64,
    #[serde(skip)]
    scratch: LinkScratch,
    /// Groups with a pending candidate link.
    candidate_groups: Vec<TrackId>,
    /// Groups of two tracks or more.
    linked: std::collections::BTreeSet<TrackId>,
    splits: u64,
}

/// A [`ShardedTracker`] as read back from a snapshot, checked before use:
/// the shard indices it holds must be those of its shards (a damaged or
/// hostile snapshot is refused, not a panic later).
#[derive(Deserialize)]
struct Snapshot {
    shards: Vec<Shard>,
    shard_of: Vec<u32>,
    groups: BTreeMap<TrackId, Group>,
    events: Vec<Event>,
    time_s: Option<f64>,
    links: u64,
    candidate_groups: Vec<TrackId>,
    linked: std::collections::BTreeSet<TrackId>,
    splits: u64,
}

impl TryFrom<Snapshot> for ShardedTracker {
    type Error = String;

    fn try_from(s: Snapshot) -> std::result::Result<Self, String> {
        let n = s.shards.len();
        if n == 0 || u32::try_from(n).is_err() {
            return Err(format!("shards: from 1 to 2^32 - 1 expected, got {n}"));
        }
        if let Some(i) = (0..n).find(|&i| s.shards[i].index as usize != i) {
            return Err(format!("shards[{i}].index: {i} expected, got {}", s.shards[i].index));
        }
        let cameras = s.shards[0].tracker.rig().len();
        if s.shard_of.len() != cameras {
            return Err(format!(
                "shard_of: one per camera ({cameras}) expected, got {}",
                s.shard_of.len()
            ));
        }
        if let Some(c) = s.shard_of.iter().position(|&k| k as usize >= n) {
            return Err(format!(
                "shard_of[{c}]: a shard below {n} expected, got {}",
                s.shard_of[c]
            ));
        }
        for (id, g) in &s.groups {
            if let Some(m) = g.members.iter().find(|m| m.0 as usize >= n) {
                return Err(format!("groups[{}]: member in shard {} of {n}", id.0, m.0));
            }
        }
        Ok(Self {
            shards: s.shards,
            shard_of: s.shard_of,
            groups: s.groups,
            events: s.events,
            time_s: s.time_s,
            links: s.links,
            scratch: LinkScratch::default(),
            candidate_groups: s.candidate_groups,
            linked: s.linked,
            splits: s.splits,
        })
    }
}

impl ShardedTracker {
    /// `shards` trackers over compact blocks of cameras: the cameras'
    /// coverage centres are split in two along their wider extent, in
    /// proportion to the shards on each side, and so on recursively, so
    /// that each shard has `cameras / shards` cameras (give or take one).
    /// Cameras without a coverage go with their neighbours in rig order.
    ///
    /// # Errors
    /// [`Error::Config`] if `shards` is 0 or more than the cameras, or the
    /// configuration is out of range.
    ///
    /// ```
    /// use fusetrack::sharded::ShardedTracker;
    /// use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("b")])?;
    /// assert!(ShardedTracker::new(TrackerConfig::default(), rig.clone(), 2).is_ok());
    /// assert!(ShardedTracker::new(TrackerConfig::default(), rig.clone(), 3).is_err());
    /// assert!(ShardedTracker::new(TrackerConfig::default(), rig, 0).is_err());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn new(config: TrackerConfig, rig: CameraRig, shards: usize) -> Result<Self> {
        if shards == 0 || shards > rig.len() {
            return Err(Error::Config {
                field: "shards".into(),
                reason: format!("must be from 1 to the {} cameras, got {shards}", rig.len()),
            });
        }
        let centres: Vec<(CameraId, [f64; 2])> = rig
            .iter()
            .map(|(id, c)| {
                let b = c.coverage().bbox();
                let centre = [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0];
                (id, if centre.iter().all(|v| v.is_finite()) { centre } else { [f64::NAN; 2] })
            })
            .collect();
        let mut groups = Vec::with_capacity(shards);
        bisect(centres, shards, &mut groups);
        Self::with_groups(config, rig, &groups)
    }

    /// Trackers over the given groups of cameras (districts, say): every
    /// camera of the rig in exactly one group.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty group, a camera the rig does not
    /// have, or a camera in no group or in two; or if the configuration is
    /// out of range.
    ///
    /// ```
    /// use fusetrack::sharded::ShardedTracker;
    /// use fusetrack::{Camera, CameraId, CameraRig, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("b")])?;
    /// let cfg = TrackerConfig::default;
    /// assert!(ShardedTracker::with_groups(cfg(), rig.clone(), &[vec![CameraId(1), CameraId(0)]]).is_ok());
    /// assert!(ShardedTracker::with_groups(cfg(), rig.clone(), &[vec![CameraId(0)]]).is_err()); // b in none
    /// assert!(ShardedTracker::with_groups(cfg(), rig.clone(), &[vec![CameraId(0), CameraId(1)], vec![]]).is_err());
    /// assert!(ShardedTracker::with_groups(cfg(), rig, &[vec![CameraId(0), CameraId(1), CameraId(1)]]).is_err());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn with_groups(
        config: TrackerConfig,
        rig: CameraRig,
        groups: &[Vec<CameraId>],
    ) -> Result<Self> {
        config.validate()?;
        let bad = |reason: String| Error::Config { field: "shards".into(), reason };
        if groups.is_empty() {
            return Err(bad("at least one group of cameras is needed".into()));
        }
        let k = u32::try_from(groups.len()).map_err(|_| bad("too many groups".into()))?;
        let mut shard_of = vec![u32::MAX; rig.len()];
        for (s, g) in (0u32..).zip(groups) {
            if g.is_empty() {
                return Err(bad(format!("group {s} has no camera")));
            }
            for &c in g {
                match shard_of.get_mut(c.index()) {
                    None => return Err(bad(format!("group {s}: the rig has no camera #{}", c.0))),
                    Some(slot) if *slot != u32::MAX => {
                        return Err(bad(format!("camera #{} is in two groups", c.0)));
                    }
                    Some(slot) => *slot = s,
                }
            }
        }
        if let Some(c) = shard_of.iter().position(|&s| s == u32::MAX) {
            return Err(bad(format!("camera #{c} is in no group")));
        }
        let link_radius_m = config.merge_max_distance_m;
        let mut shards = Vec::with_capacity(groups.len());
        for (s, g) in (0u64..).zip(groups) {
            let mut tracker = Tracker::new(config.clone(), rig.clone())?;
            tracker.set_id_sequence(s + 1, u64::from(k));
            tracker.set_parallel_inside(k == 1);
            let mut reach = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
            for &c in g {
                let b = rig.get(c).map_or([f64::NAN; 4], |cam| cam.coverage().bbox());
                if b.iter().all(|v| v.is_finite()) && b[0] <= b[2] && b[1] <= b[3] {
                    reach = [
                        reach[0].min(b[0]),
                        reach[1].min(b[1]),
                        reach[2].max(b[2]),
                        reach[3].max(b[3]),
                    ];
                } else {
                    // No coverage: its detections may be anywhere.
                    reach = [f64::MIN, f64::MIN, f64::MAX, f64::MAX];
                    break;
                }
            }
            let r = link_radius_m;
            shards.push(Shard {
                tracker,
                book: Map::default(),
                out: Vec::new(),
                notes: Vec::new(),
                reach: [reach[0] - r, reach[1] - r, reach[2] + r, reach[3] + r],
                index: s as u32,
                others: Vec::new(),
                border: Vec::new(),
                refused: Vec::new(),
                error: None,
            });
        }
        let reaches: Vec<[f64; 4]> = shards.iter().map(|s| s.reach).collect();
        for s in &mut shards {
            let me = s.index as usize;
            s.others = (0..reaches.len()).filter(|&o| o != me).map(|o| reaches[o]).collect();
        }
        Ok(Self {
            shards,
            shard_of,
            groups: BTreeMap::new(),
            events: Vec::new(),
            time_s: None,
            links: 0,
            scratch: LinkScratch::default(),
            candidate_groups: Vec::new(),
            linked: std::collections::BTreeSet::new(),
            splits: 0,
        })
    }

    /// The configuration (every shard's).
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// assert_eq!(tracker.config(), &TrackerConfig::default());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn config(&self) -> &TrackerConfig {
        self.shards[0].tracker.config()
    }

    /// The shard that takes the detections of `camera`.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// assert_eq!(tracker.shard_of(CameraId(0)), Some(0));
    /// assert_eq!(tracker.shard_of(CameraId(5)), None);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn shard_of(&self, camera: CameraId) -> Option<usize> {
        self.shard_of.get(camera.index()).map(|&s| s as usize)
    }

    /// The shards' trackers, in shard order (their tracks carry local ids).
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("b")])?;
    /// let tracker = ShardedTracker::new(TrackerConfig::default(), rig, 2)?;
    /// assert_eq!(tracker.shards().count(), 2);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn shards(&self) -> impl ExactSizeIterator<Item = &Tracker> + '_ {
        self.shards.iter().map(|s| &s.tracker)
    }

    /// Hands a detection to the shard of its camera ([`Tracker::push`]).
    ///
    /// # Errors
    /// [`Error::UnknownCamera`] for a camera the rig does not have, else as
    /// [`Tracker::push`]; nothing changes on an error.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// let at = |c: u32| Detection::new(0.0, CameraId(c), Observation::World { position_m: [0.0, 0.0], cov_m2: None });
    /// assert!(tracker.push(at(0)).is_ok());
    /// assert!(tracker.push(at(3)).is_err());
    /// assert_eq!(tracker.stats().detections, 1);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn push(&mut self, det: Detection) -> Result<()> {
        let Some(&s) = self.shard_of.get(det.camera.index()) else {
            return Err(Error::UnknownCamera {
                at: Location::none(),
                camera: format!("#{}", det.camera.0),
            });
        };
        self.shards[s as usize].tracker.push(det)
    }

    /// Hands a batch of detections (a frame's worth, say) to their shards,
    /// which take them in parallel: the same as [`ShardedTracker::push`]
    /// on each in turn, since a camera's detections all go to one shard in
    /// their order. `dets` is left empty (its buffer kept); the refused
    /// detections' errors are appended to `refused` with their index in the
    /// batch, in batch order.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("b")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 2)?;
    /// let at = |c: u32, x: f64| Detection::new(0.0, CameraId(c), Observation::World { position_m: [x, 0.0], cov_m2: None });
    /// let mut batch = vec![at(0, 1.0), at(9, 0.0), at(1, f64::NAN), at(1, 2.0)];
    /// let mut refused = Vec::new();
    /// tracker.push_batch(&mut batch, &mut refused);
    /// assert!(batch.is_empty());
    /// let indices: Vec<usize> = refused.iter().map(|(i, _)| *i).collect();
    /// assert_eq!(indices, vec![1, 2]); // unknown camera, position not finite
    /// assert_eq!(tracker.stats().detections, 2);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn push_batch(&mut self, dets: &mut Vec<Detection>, refused: &mut Vec<(usize, Error)>) {
        let start = refused.len();
        let shard_of = &self.shard_of;
        for (i, det) in dets.iter().enumerate() {
            if shard_of.get(det.camera.index()).is_none() {
                let camera = format!("#{}", det.camera.0);
                refused.push((i, Error::UnknownCamera { at: Location::none(), camera }));
            }
        }
        // Each shard picks its cameras' detections from the shared batch
        // (nothing is moved or copied on the way).
        let batch: &[Detection] = dets;
        for_each_shard(&mut self.shards, batch.len() >= 2, |s: &mut Shard| {
            for (i, det) in batch.iter().enumerate() {
                if shard_of.get(det.camera.index()) == Some(&s.index) {
                    if let Err(e) = s.tracker.push_ref(det) {
                        s.refused.push((i, e));
                    }
                }
            }
        });
        dets.clear();
        for s in &mut self.shards {
            refused.append(&mut s.refused);
        }
        refused[start..].sort_by_key(|(i, _)| *i);
    }

    /// Moves every shard's arrival clock to `now_rx_s`
    /// ([`Tracker::advance_to`]).
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("b")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 2)?;
    /// tracker.advance_to(3.0);
    /// assert!(tracker.shards().all(|s| s.now_rx_s() == Some(3.0)));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn advance_to(&mut self, now_rx_s: f64) {
        for s in &mut self.shards {
            s.tracker.advance_to(now_rx_s);
        }
    }

    /// Processes the next capture time that some shard may release (every
    /// shard's clock first moves to the latest arrival any of them saw) and
    /// returns it: each shard holding frames of that time steps, in
    /// parallel; in the others time passes (their tracks are predicted and
    /// managed, so the tracks of a shard whose cameras went dark are lost
    /// and ended as one tracker would); then the tracks are linked across
    /// shards. `None` when nothing is ready.
    ///
    /// # Errors
    /// As [`Tracker::step`] (the first shard's error); the tracker stays
    /// usable.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("b")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 2)?;
    /// let at = |t: f64, c: u32| Detection::new(t, CameraId(c), Observation::World { position_m: [0.0, 0.0], cov_m2: None });
    /// tracker.push(at(0.0, 0))?;
    /// assert_eq!(tracker.step()?, None); // held for max_lateness_s
    /// tracker.push(at(1.0, 1))?; // another shard's arrival moves both clocks
    /// assert_eq!(tracker.step()?, Some(0.0));
    /// assert_eq!(tracker.time_s(), Some(0.0));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn step(&mut self) -> Result<Option<f64>> {
        if let Some(now) = self.now_rx_s() {
            self.advance_to(now);
        }
        let t = self.next_ready_t_s();
        self.run(t, false)
    }

    /// Capture time that the next [`ShardedTracker::step`] would process,
    /// if any is ready (on the latest arrival time any shard has seen).
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("b")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 2)?;
    /// let at = |t: f64, c: u32| Detection::new(t, CameraId(c), Observation::World { position_m: [0.0, 0.0], cov_m2: None });
    /// tracker.push(at(2.0, 0))?;
    /// assert_eq!(tracker.next_ready_t_s(), None); // held for max_lateness_s
    /// tracker.push(at(2.5, 1))?; // the other shard's clock moves on
    /// assert_eq!(tracker.next_ready_t_s(), Some(2.0));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn next_ready_t_s(&self) -> Option<f64> {
        let now = self.now_rx_s()?;
        let ready_until = now - self.config().max_lateness_s;
        self.earliest_pending_t_s().filter(|&t| t <= ready_until)
    }

    /// Earliest capture time held in any shard's reorder buffer.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("b")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 2)?;
    /// let at = |t: f64, c: u32| Detection::new(t, CameraId(c), Observation::World { position_m: [0.0, 0.0], cov_m2: None });
    /// tracker.push(at(2.1, 1))?;
    /// tracker.push(at(2.0, 0))?;
    /// assert_eq!(tracker.earliest_pending_t_s(), Some(2.0));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn earliest_pending_t_s(&self) -> Option<f64> {
        self.shards.iter().filter_map(|s| s.tracker.earliest_pending_t_s()).reduce(f64::min)
    }

    /// Like [`ShardedTracker::step`] but releases the next capture time
    /// whatever the arrival clocks say: for the end of a recording.
    ///
    /// # Errors
    /// As [`ShardedTracker::step`].
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("b")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 2)?;
    /// let at = |t: f64, c: u32| Detection::new(t, CameraId(c), Observation::World { position_m: [0.0, 0.0], cov_m2: None });
    /// tracker.push(at(0.2, 1))?;
    /// tracker.push(at(0.1, 0))?;
    /// assert_eq!(tracker.flush_step()?, Some(0.1));
    /// assert_eq!(tracker.flush_step()?, Some(0.2));
    /// assert_eq!(tracker.flush_step()?, None);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn flush_step(&mut self) -> Result<Option<f64>> {
        let t = self.earliest_pending_t_s();
        self.run(t, true)
    }

    fn run(&mut self, t: Option<f64>, flush: bool) -> Result<Option<f64>> {
        let one = |s: &mut Shard| {
            let result = match t {
                Some(t) if s.tracker.earliest_pending_t_s() == Some(t) => {
                    if flush {
                        s.tracker.flush_step()
                    } else {
                        s.tracker.step()
                    }
                }
                // No frames of its cameras at `t`: time still passes for
                // its tracks (a shard gone dark loses them on time).
                Some(t) => s.tracker.pass_time(t).map(|()| None),
                None => s.tracker.apply_late().map(|()| None),
            };
            s.translate();
            s.find_border_tracks();
            s.error = result.err();
        };
        // In parallel only when two shards or more have frames to process
        // (applying late detections alone is too little to share). Every
        // shard runs (no short cut at an error); the first error in shard
        // order is returned.
        let busy = t.map_or(0, |t| {
            self.shards.iter().filter(|s| s.tracker.earliest_pending_t_s() == Some(t)).count()
        });
        for_each_shard(&mut self.shards, busy >= 2, one);
        let first_error = self.shards.iter_mut().find_map(|s| s.error.take());
        if let Some(t) = t {
            self.time_s = Some(t);
        }
        self.fuse(t);
        match first_error {
            Some(e) => Err(e),
            None => Ok(t),
        }
    }

    /// The sequential pass after the shards stepped: their events in shard
    /// order, group bookkeeping, links across shards, group status.
    fn fuse(&mut self, t: Option<f64>) {
        let mut sc = std::mem::take(&mut self.scratch);
        sc.touched.clear();
        for si in 0..self.shards.len() {
            let shard = &mut self.shards[si];
            self.events.append(&mut shard.out);
            for note in shard.notes.drain(..) {
                match note {
                    Note::Born(id, born_t_s) => {
                        let mut g = Group { born_t_s, ..Group::default() };
                        g.members.push((si as u32, id));
                        self.groups.insert(id, g);
                    }
                    Note::Status(id, t_s) => {
                        if let Some(m) = shard.book.get(&id) {
                            sc.touched.push((m.global, t_s));
                        }
                    }
                    Note::Ended { track, t_s, reason } => {
                        let Some(m) = shard.book.remove(&track) else { continue };
                        let Some(g) = self.groups.get_mut(&m.global) else { continue };
                        g.members.retain(|x| *x != (si as u32, track));
                        if g.members.is_empty() {
                            let was_confirmed = g.confirmed;
                            self.groups.remove(&m.global);
                            let reason = match reason {
                                EndReason::Merged { into } => EndReason::Merged {
                                    into: shard.book.get(&into).map_or(into, |x| x.global),
                                },
                                r => r,
                            };
                            self.events.push(Event::TrackEnded {
                                track: m.global,
                                t_s,
                                reason,
                                was_confirmed,
                            });
                        } else {
                            sc.touched.push((m.global, t_s));
                        }
                    }
                }
            }
        }
        if let Some(t) = t.filter(|_| self.shards.len() > 1) {
            self.link(t, &mut sc);
            self.split(t, &mut sc);
        }
        // By group, the latest time first (the time of its events).
        sc.touched.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        sc.touched.dedup_by_key(|x| x.0);
        for &(gid, t) in &sc.touched {
            let Some(g) = self.groups.get_mut(&gid) else { continue };
            let (mut confirmed, mut reported, mut taking_over) = (false, false, false);
            for &(s, id) in &g.members {
                if let Some(m) = self.shards[s as usize].book.get(&id) {
                    confirmed |= m.confirmed;
                    reported |= m.confirmed && !m.coasting;
                    taking_over |= !m.confirmed;
                }
            }
            if confirmed && !g.confirmed {
                g.confirmed = true;
                self.events.push(Event::TrackConfirmed { track: gid, t_s: t });
            }
            let lost = g.confirmed && !(reported || taking_over);
            if lost != g.lost {
                g.lost = lost;
                self.events.push(if lost {
                    Event::TrackLost { track: gid, t_s: t }
                } else {
                    Event::TrackRecovered { track: gid, t_s: t }
                });
            }
        }
        self.scratch = sc;
    }

    /// Links the local tracks of different shards that are one object.
    fn link(&mut self, t: f64, sc: &mut LinkScratch) {
        sc.points.clear();
        sc.owners.clear();
        for shard in &self.shards {
            for &(p, id) in &shard.border {
                sc.points.push(p);
                sc.owners.push((shard.index, id));
            }
        }
        if sc.points.len() < 2 {
            return;
        }
        let (radius, gate, link_after_s) = {
            let c = self.config();
            (c.merge_max_distance_m, c.merge_d2(), c.merge_after_s)
        };
        sc.grid.build(&sc.points, 2.0 * radius);
        sc.pairs.clear();
        let (shards, owners) = (&self.shards, &sc.owners);
        let lookup = |i: u32| {
            let (s, id) = owners[i as usize];
            shards[s as usize].tracker.track(id)
        };
        sc.grid.for_each_pair_within(&sc.points, radius, |i, j| {
            if owners[i as usize].0 == owners[j as usize].0 {
                return;
            }
            let (Some(a), Some(b)) = (lookup(i), lookup(j)) else { return };
            if a.kind() != b.kind() || (a.last_update_t_s() != t && b.last_update_t_s() != t) {
                return;
            }
            let Some((dp2, dv2)) = compatible_at(a, b, shards[0].tracker.config()) else {
                return;
            };
            if dp2 <= gate && dv2 <= gate {
                sc.pairs.push((dp2, i.min(j), i.max(j)));
            }
        });
        sc.pairs.sort_unstable_by(|a, b| {
            let key = |p: &(f64, u32, u32)| (owners[p.1 as usize], owners[p.2 as usize]);
            a.0.total_cmp(&b.0).then_with(|| key(a).cmp(&key(b)))
        });
        sc.candidates_seen.clear();
        for k in 0..sc.pairs.len() {
            let (_, i, j) = sc.pairs[k];
            let (a, b) = (sc.owners[i as usize], sc.owners[j as usize]);
            let global =
                |(s, id): (u32, TrackId)| self.shards[s as usize].book.get(&id).map(|m| m.global);
            let (Some(ga), Some(gb)) = (global(a), global(b)) else { continue };
            if ga == gb {
                continue;
            }
            let (Some(group_a), Some(group_b)) = (self.groups.get(&ga), self.groups.get(&gb))
            else {
                continue;
            };
            // One track per shard in a group: inside a shard, its own
            // tracker decides who is who.
            if group_a.members.iter().any(|x| group_b.members.iter().any(|y| x.0 == y.0)) {
                continue;
            }
            let (senior, junior) = match (group_a.confirmed, group_b.confirmed) {
                (false, true) => (gb, ga),
                (true, false) => (ga, gb),
                _ => (ga.min(gb), ga.max(gb)),
            };
            let both_confirmed = group_a.confirmed && group_b.confirmed;
            if both_confirmed {
                sc.candidates_seen.push(junior);
                let j = self.groups.get_mut(&junior).expect("looked up above");
                match j.candidate {
                    Some((id, since)) if id == senior && t - since >= link_after_s => {}
                    Some((id, _)) if id == senior => continue,
                    _ => {
                        j.candidate = Some((senior, t));
                        continue;
                    }
                }
            }
            let Some(jg) = self.groups.remove(&junior) else { continue };
            for &(s, id) in &jg.members {
                if let Some(m) = self.shards[s as usize].book.get_mut(&id) {
                    m.global = senior;
                    m.apart_since = None; // a new group, a new test
                }
            }
            let sg = self.groups.get_mut(&senior).expect("looked up above");
            sg.members.extend(jg.members.iter().copied());
            sg.born_t_s = sg.born_t_s.min(jg.born_t_s);
            sg.members.sort_unstable();
            sg.candidate = None;
            self.linked.insert(senior);
            self.links += 1;
            sc.touched.push((senior, t));
            self.events.push(Event::TrackEnded {
                track: junior,
                t_s: t,
                reason: EndReason::Merged { into: senior },
                was_confirmed: jg.confirmed,
            });
        }
        // A candidate link not confirmed by this step's evidence starts
        // over: only when one of the group's tracks was observed now (with
        // cameras capturing at different instants, most steps carry no
        // news of a given group).
        sc.candidates_seen.sort_unstable();
        sc.candidates_seen.dedup();
        let shards = &self.shards;
        let observed_now = |g: &Group| {
            g.members.iter().any(|&(s, id)| {
                shards[s as usize].tracker.track(id).is_some_and(|tr| tr.last_update_t_s() == t)
            })
        };
        self.candidate_groups.retain(|id| {
            if sc.candidates_seen.binary_search(id).is_ok() {
                return false; // listed again below
            }
            match self.groups.get_mut(id) {
                Some(g) if g.candidate.is_some() => {
                    if observed_now(g) {
                        g.candidate = None;
                        false
                    } else {
                        true
                    }
                }
                _ => false,
            }
        });
        self.candidate_groups.extend_from_slice(&sc.candidates_seen);
        self.candidate_groups.sort_unstable();
        self.candidate_groups.dedup();
    }

    /// Undoes wrong links: a track that, while it and its group's oldest
    /// track are both observed, stays outside the association gate of it
    /// ([`TrackerConfig::gate_d2`], looser than the link test, so a link
    /// does not flap) for [`TrackerConfig::merge_after_s`] is another
    /// object, and leaves the group under a new id.
    fn split(&mut self, t: f64, sc: &mut LinkScratch) {
        let (split_d2, recent_s, link_after_s) = {
            let c = self.config();
            (c.gate_d2(), c.coast_after_s, c.merge_after_s)
        };
        sc.linked.clear();
        sc.linked.extend(self.linked.iter().copied());
        sc.splits.clear();
        sc.apart.clear();
        for &gid in &sc.linked {
            let Some(g) = self.groups.get(&gid).filter(|g| g.members.len() >= 2) else {
                self.linked.remove(&gid);
                continue;
            };
            let Some(&(anchor_shard, anchor_id)) = g.members.iter().min_by_key(|m| m.1) else {
                continue;
            };
            let shards = &self.shards;
            let Some(anchor) = shards[anchor_shard as usize].tracker.track(anchor_id) else {
                continue;
            };
            // Evidence: both observed lately (not coasting on a prediction)
            // and one of them now; cameras of different shards seldom
            // capture at the same instant, so the two are compared at the
            // later one's time.
            let recent = |tr: &Track| t - tr.last_update_t_s() <= recent_s;
            if !recent(anchor) {
                continue;
            }
            for &(s, id) in &g.members {
                if id == anchor_id {
                    continue;
                }
                let Some(tr) = shards[s as usize].tracker.track(id).filter(|tr| recent(tr)) else {
                    continue;
                };
                if anchor.last_update_t_s() != t && tr.last_update_t_s() != t {
                    continue;
                }
                let config = shards[0].tracker.config();
                let apart = compatible_at(anchor, tr, config).is_none_or(|(dp2, _)| dp2 > split_d2);
                sc.apart.push((gid, s, id, apart));
            }
        }
        for &(gid, s, id, apart) in &sc.apart {
            let Some(m) = self.shards[s as usize].book.get_mut(&id) else { continue };
            if !apart {
                m.apart_since = None;
                continue;
            }
            let since = *m.apart_since.get_or_insert(t);
            if t - since >= link_after_s {
                sc.splits.push((gid, s, id));
            }
        }
        for &(gid, s, id) in &sc.splits {
            let shard = &mut self.shards[s as usize];
            let Some((position_m, born_t_s)) =
                shard.tracker.track(id).map(|tr| (tr.position(), tr.born_t_s()))
            else {
                continue;
            };
            let new = shard.tracker.reserve_track_id();
            let Some(m) = shard.book.get_mut(&id) else { continue };
            m.global = new;
            m.apart_since = None;
            let confirmed = m.confirmed;
            let mut g = Group { confirmed, born_t_s, ..Group::default() };
            g.members.push((s, id));
            self.groups.insert(new, g);
            if let Some(old) = self.groups.get_mut(&gid) {
                old.members.retain(|x| *x != (s, id));
                if old.members.len() < 2 {
                    self.linked.remove(&gid);
                }
            }
            self.splits += 1;
            self.events.push(Event::TrackBorn { track: new, t_s: t, position_m });
            if confirmed {
                self.events.push(Event::TrackConfirmed { track: new, t_s: t });
            }
            sc.touched.push((gid, t));
            sc.touched.push((new, t));
        }
    }

    /// Every global track (tentative ones included), by id.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// tracker.push(Detection::new(0.0, CameraId(0), Observation::World { position_m: [0.0, 0.0], cov_m2: None }))?;
    /// tracker.flush_step()?;
    /// assert_eq!(tracker.tracks().count(), 1); // tentative
    /// assert_eq!(tracker.confirmed_tracks().count(), 0);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn tracks(&self) -> impl Iterator<Item = ShardedTrack<'_>> + '_ {
        self.groups.iter().filter_map(|(&id, g)| self.view(id, g))
    }

    /// The global tracks to report now: those with a local track
    /// [`TrackStatus::Confirmed`], or confirmed before and being taken over
    /// by a tentative track of another shard; by id.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// for k in 0..3 {
    ///     let obs = Observation::World { position_m: [0.1 * k as f64, 0.0], cov_m2: None };
    ///     tracker.push(Detection::new(0.1 * k as f64, CameraId(0), obs))?;
    /// }
    /// while tracker.flush_step()?.is_some() {}
    /// assert_eq!(tracker.confirmed_tracks().count(), 1); // three hits confirm it
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn confirmed_tracks(&self) -> impl Iterator<Item = ShardedTrack<'_>> + '_ {
        self.groups
            .iter()
            .filter(|(_, g)| g.confirmed && !g.lost)
            .filter_map(|(&id, g)| self.view(id, g))
    }

    /// One global track by id.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig, TrackId};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// tracker.push(Detection::new(0.0, CameraId(0), Observation::World { position_m: [0.0, 0.0], cov_m2: None }))?;
    /// tracker.flush_step()?;
    /// let id = tracker.tracks().next().unwrap().id();
    /// assert!(tracker.track(id).is_some());
    /// assert!(tracker.track(TrackId(999)).is_none());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn track(&self, id: TrackId) -> Option<ShardedTrack<'_>> {
        self.groups.get(&id).and_then(|g| self.view(id, g))
    }

    fn view(&self, id: TrackId, g: &Group) -> Option<ShardedTrack<'_>> {
        let mut best: Option<&Track> = None;
        let mut all: SmallVec<[&Track; 4]> = SmallVec::new();
        for &(s, local) in &g.members {
            let Some(tr) = self.shards[s as usize].tracker.track(local) else { continue };
            all.push(tr);
            if best.is_none_or(|b| tr.last_update_t_s() > b.last_update_t_s()) {
                best = Some(tr);
            }
        }
        let best = best?;
        let (state, t_s) = match all.len() {
            1 => (*best.state(), best.t_s()),
            _ => fuse(&all, self.config()).unwrap_or((*best.state(), best.t_s())),
        };
        let status = match (g.confirmed, g.lost) {
            (true, false) => TrackStatus::Confirmed,
            (true, true) => TrackStatus::Coasting,
            _ => TrackStatus::Tentative,
        };
        Some(ShardedTrack {
            id,
            track: best,
            members: g.members.len(),
            status,
            born_t_s: g.born_t_s,
            state,
            t_s,
        })
    }

    /// Events since the last drain, with global track ids. For each step:
    /// each shard's births, updates, detection and camera events, in shard
    /// order; then the groups' confirmations, losses, recoveries and ends,
    /// and the splits of wrong links. A group linked into another is
    /// reported ended, merged into it.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// tracker.push(Detection::new(0.0, CameraId(0), Observation::World { position_m: [0.0, 0.0], cov_m2: None }))?;
    /// tracker.flush_step()?;
    /// assert!(matches!(tracker.events()[0], fusetrack::Event::TrackBorn { .. }));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Takes the events raised since the last drain.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// tracker.push(Detection::new(0.0, CameraId(0), Observation::World { position_m: [0.0, 0.0], cov_m2: None }))?;
    /// tracker.flush_step()?;
    /// assert_eq!(tracker.drain_events().count(), 1);
    /// assert!(tracker.events().is_empty());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn drain_events(&mut self) -> std::vec::Drain<'_, Event> {
        self.events.drain(..)
    }

    /// The shards' counters, summed (track counts are of local tracks),
    /// except `time_steps`: the most any shard processed.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// assert_eq!(tracker.stats().detections, 0);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn stats(&self) -> TrackerStats {
        let mut total = TrackerStats::default();
        for s in &self.shards {
            total.accumulate(s.tracker.stats());
        }
        total
    }

    /// Links made across shards so far (each joined two groups).
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// assert_eq!(tracker.links(), 0);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn links(&self) -> u64 {
        self.links
    }

    /// Links undone so far: tracks that left a group because they were
    /// observed too far from it, for too long, to be the same object (each
    /// then continues under a new id).
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// assert_eq!(tracker.splits(), 0);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn splits(&self) -> u64 {
        self.splits
    }

    /// The cameras that contributed to a global track recently (any of its
    /// tracks, within [`TrackerConfig::contribution_window_s`]), each once,
    /// in its tracks' order (shard by shard).
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraId, CameraRig, Detection, Observation, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// tracker.push(Detection::new(0.0, CameraId(0), Observation::World { position_m: [0.0, 0.0], cov_m2: None }))?;
    /// tracker.flush_step()?;
    /// let id = tracker.tracks().next().unwrap().id();
    /// assert_eq!(tracker.contributing_cameras(id), vec![CameraId(0)]);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn contributing_cameras(&self, id: TrackId) -> Vec<CameraId> {
        let mut cams = Vec::new();
        if let Some(g) = self.groups.get(&id) {
            for &(s, local) in &g.members {
                let shard = &self.shards[s as usize].tracker;
                if let Some(tr) = shard.track(local) {
                    for c in shard.contributing_cameras(tr) {
                        if !cams.contains(&c) {
                            cams.push(c);
                        }
                    }
                }
            }
        }
        cams
    }

    /// The camera rig.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// assert_eq!(tracker.rig().len(), 1);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn rig(&self) -> &CameraRig {
        self.shards[0].tracker.rig()
    }

    /// Latest arrival time seen by any shard, seconds.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// tracker.advance_to(2.0);
    /// assert_eq!(tracker.now_rx_s(), Some(2.0));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn now_rx_s(&self) -> Option<f64> {
        self.shards.iter().filter_map(|s| s.tracker.now_rx_s()).reduce(f64::max)
    }

    /// Latest capture time processed, seconds.
    ///
    /// ```
    /// # use fusetrack::sharded::ShardedTracker;
    /// # use fusetrack::{Camera, CameraRig, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a")])?;
    /// let tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// assert_eq!(tracker.time_s(), None);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn time_s(&self) -> Option<f64> {
        self.time_s
    }
}

impl Shard {
    /// Lists its tracks inside another shard's reach.
    fn find_border_tracks(&mut self) {
        self.border.clear();
        for tr in self.tracker.tracks() {
            let [x, y] = tr.position();
            if self.others.iter().any(|r| x >= r[0] && y >= r[1] && x <= r[2] && y <= r[3]) {
                self.border.push(([x, y], tr.id()));
            }
        }
    }

    /// Moves the tracker's new events to `out` with global ids, keeping
    /// the book of its tracks, and notes what the fusion pass must see.
    /// Runs on the shard's thread.
    fn translate(&mut self) {
        for e in self.tracker.drain_events() {
            let global =
                |book: &Map<TrackId, Member>, id: TrackId| book.get(&id).map_or(id, |m| m.global);
            match e {
                Event::TrackBorn { track, t_s, .. } => {
                    let m = Member {
                        global: track,
                        confirmed: false,
                        coasting: false,
                        apart_since: None,
                    };
                    self.book.insert(track, m);
                    self.notes.push(Note::Born(track, t_s));
                    self.out.push(e);
                }
                Event::TrackUpdated { track, t_s, camera } => {
                    let track = global(&self.book, track);
                    self.out.push(Event::TrackUpdated { track, t_s, camera });
                }
                Event::TrackConfirmed { track, t_s } => {
                    if let Some(m) = self.book.get_mut(&track) {
                        m.confirmed = true;
                    }
                    self.notes.push(Note::Status(track, t_s));
                }
                Event::TrackLost { track, t_s } | Event::TrackRecovered { track, t_s } => {
                    if let Some(m) = self.book.get_mut(&track) {
                        m.coasting = matches!(e, Event::TrackLost { .. });
                    }
                    self.notes.push(Note::Status(track, t_s));
                }
                Event::TrackEnded { track, t_s, reason, .. } => {
                    self.notes.push(Note::Ended { track, t_s, reason });
                }
                other => self.out.push(other),
            }
        }
    }
}

/// Runs `f` on every shard: on rayon's pool with the `parallel` feature
/// when `parallel` is set, else one after the other.
fn for_each_shard(shards: &mut [Shard], parallel: bool, f: impl Fn(&mut Shard) + Sync + Send) {
    #[cfg(feature = "parallel")]
    if parallel && shards.len() > 1 {
        use rayon::prelude::*;
        shards.par_iter_mut().for_each(f);
        return;
    }
    let _ = parallel;
    shards.iter_mut().for_each(f);
}

/// The duplicate test's distances between two tracks of different shards,
/// the older state predicted to the newer one's time.
fn compatible_at(a: &Track, b: &Track, config: &TrackerConfig) -> Option<(f64, f64)> {
    let (old, new) = if a.t_s() <= b.t_s() { (a, b) } else { (b, a) };
    let dt = new.t_s() - old.t_s();
    if dt > 0.0 {
        let moved = old.state().predicted(&config.model(old.kind()).motion, dt).ok()?;
        compatibility_d2(&moved, new.state())
    } else {
        compatibility_d2(old.state(), new.state())
    }
}

/// Splits cameras into `k` compact groups of near-equal size by recursive
/// bisection of their coverage centres along the wider extent (cameras
/// without a centre, `NaN`, sort last).
fn bisect(mut cams: Vec<(CameraId, [f64; 2])>, k: usize, out: &mut Vec<Vec<CameraId>>) {
    if k <= 1 {
        out.push(cams.into_iter().map(|(id, _)| id).collect());
        return;
    }
    let spread = |axis: usize| {
        let (lo, hi) = cams
            .iter()
            .map(|c| c.1[axis])
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        if hi >= lo { hi - lo } else { 0.0 }
    };
    let axis = usize::from(spread(1) > spread(0));
    cams.sort_by(|a, b| {
        a.1[axis]
            .total_cmp(&b.1[axis])
            .then(a.1[1 - axis].total_cmp(&b.1[1 - axis]))
            .then(a.0.cmp(&b.0))
    });
    let left = k / 2;
    let cut = cams.len() * left / k;
    let right = cams.split_off(cut);
    bisect(cams, left, out);
    bisect(right, k - left, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ObjectKind;

    fn track(id: u64, x: [f64; 4], var: f64, t_s: f64) -> Track {
        let state = KalmanState::new(Vector4::from(x), Matrix4::identity() * var).unwrap();
        Track::new(TrackId(id), ObjectKind::Person, t_s, state, 3)
    }

    #[test]
    fn fusion_is_covariance_intersection_with_equal_weights() {
        let config = TrackerConfig::default();
        // Same time: P⁻¹ = (I + I/4)/2 = 0.625 I, x = 1.6 (x1 + x2/4)/2.
        let a = track(1, [0.0, 0.0, 1.0, 0.0], 1.0, 2.0);
        let b = track(2, [1.0, 2.0, 1.0, 0.0], 4.0, 2.0);
        let (s, t) = fuse(&[&a, &b], &config).unwrap();
        assert_eq!(t, 2.0);
        for (got, want) in s.x.iter().zip([0.2, 0.4, 1.0, 0.0]) {
            assert!((got - want).abs() < 1e-12, "{:?}", s.x);
        }
        assert!((s.p[(0, 0)] - 1.6).abs() < 1e-12 && s.p[(0, 1)].abs() < 1e-12);
        // Different times: the older one is predicted to the newer one's.
        let c = track(3, [0.0, 0.0, 1.0, 0.0], 1.0, 1.0);
        let (s, t) = fuse(&[&c, &a], &config).unwrap();
        assert_eq!(t, 2.0);
        assert!(s.x[0] > 0.0 && s.x[0] < 1.0, "{:?}", s.x); // c moved to x = 1
        // A covariance that cannot be inverted: no fusion.
        let mut bad = a.clone();
        bad.state_mut().p = Matrix4::zeros();
        assert!(fuse(&[&bad, &b], &config).is_none());
    }
}
