//! One track: its filter state, lifecycle status and contributing cameras.

use std::collections::VecDeque;

use nalgebra::{Matrix2, Vector2};
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::config::ObjectKind;
use crate::error::Result;
use crate::filter::KalmanState;
use crate::ids::{CameraId, TrackId};
use crate::motion::MotionModel;

/// Lifecycle status of a track.
///
/// ```
/// use fusetrack::TrackStatus;
/// assert!(TrackStatus::Coasting.is_confirmed());
/// assert!(!TrackStatus::Tentative.is_confirmed());
/// assert_eq!(serde_json::to_string(&TrackStatus::Confirmed).unwrap(), "\"confirmed\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TrackStatus {
    /// Born from a detection, not yet confirmed; not reported to users.
    Tentative,
    /// Confirmed and observed within the last `coast_after_s`: the tracks
    /// written to `tracks.jsonl`.
    Confirmed,
    /// Confirmed, but unobserved for more than `coast_after_s`: the filter
    /// predicts it forward and it keeps its id, ready to be picked up again,
    /// but it is not reported as a current position.
    Coasting,
}

impl TrackStatus {
    /// True once confirmed: [`TrackStatus::Confirmed`] and
    /// [`TrackStatus::Coasting`].
    ///
    /// ```
    /// # use fusetrack::TrackStatus;
    /// assert!(TrackStatus::Confirmed.is_confirmed());
    /// assert!(!TrackStatus::Tentative.is_confirmed());
    /// ```
    pub fn is_confirmed(self) -> bool {
        matches!(self, TrackStatus::Confirmed | TrackStatus::Coasting)
    }
}

/// The latest contribution of one camera to a track.
///
/// ```
/// use fusetrack::{CameraId, track::Contribution};
/// let c = Contribution { camera: CameraId(2), t_s: 4.5 };
/// assert_eq!(c.camera, CameraId(2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The camera.
    pub camera: CameraId,
    /// Capture time of its latest detection assigned to the track, seconds.
    pub t_s: f64,
}

/// Bytes at the start of a [`Track`] that an update reads or writes (its
/// hot fields; the rest serves births, merges and late measurements).
pub(crate) const HOT_BYTES: usize = std::mem::offset_of!(Track, born_t_s);

/// A track on the ground plane.
///
/// Tracks are created by the [`Tracker`](crate::Tracker); users read them
/// through [`Tracker::tracks`](crate::Tracker::tracks).
///
/// ```
/// use fusetrack::{KalmanState, ObjectKind, Track, TrackId, TrackStatus};
/// use nalgebra::{Matrix4, Vector4};
/// let s = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::identity()).unwrap();
/// let t = Track::new(TrackId(1), ObjectKind::Person, 10.0, s, 3);
/// assert_eq!(t.status(), TrackStatus::Tentative);
/// assert_eq!(t.position_at(&Default::default(), 12.0).unwrap(), [2.0, 2.0]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[repr(C)]
pub struct Track {
    // Hot: read or written by every update, prediction and management pass,
    // kept together so that an update touches as few cache lines as possible.
    state: KalmanState,
    /// Time of `state`, seconds.
    t_s: f64,
    last_update_t_s: f64,
    /// Arrival time of the latest detection assigned, seconds.
    pub(crate) last_update_rx_s: f64,
    /// Time spent unobserved while inside some camera's coverage since the
    /// latest update, seconds.
    pub(crate) unobserved_in_coverage_s: f64,
    hits: u64,
    /// Capture times of the latest hits, oldest first (at most `confirm_hits`).
    /// Inline (no heap block to fetch) for up to four entries: an update
    /// reads both, and with thousands of tracks each extra block is a
    /// cache miss.
    recent_hits_s: SmallVec<[f64; 4]>,
    contributions: SmallVec<[Contribution; 4]>,
    id: TrackId,
    kind: ObjectKind,
    status: TrackStatus,
    was_confirmed: bool,
    // Cold: births, merges and out-of-sequence updates only.
    born_t_s: f64,
    /// A confirmed track this one has stayed compatible with, and since when.
    pub(crate) merge_candidate: Option<(TrackId, f64)>,
    /// The filter state before the oldest update kept in `history`.
    anchor: KalmanState,
    /// Time of `anchor`, seconds.
    anchor_t_s: f64,
    /// The latest updates, oldest first, for out-of-sequence measurements.
    history: VecDeque<PastUpdate>,
}

/// One update kept for replaying the filter when an older measurement
/// arrives late: capture time, position, covariance `[xx, xy, yy]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct PastUpdate {
    t_s: f64,
    z: [f64; 2],
    r: [f64; 3],
}

impl PastUpdate {
    fn new(t_s: f64, z: &Vector2<f64>, r: &Matrix2<f64>) -> Self {
        Self { t_s, z: [z.x, z.y], r: [r[(0, 0)], r[(0, 1)], r[(1, 1)]] }
    }
    fn z(&self) -> Vector2<f64> {
        Vector2::new(self.z[0], self.z[1])
    }
    fn r(&self) -> Matrix2<f64> {
        Matrix2::new(self.r[0], self.r[1], self.r[1], self.r[2])
    }
}

/// What became of an out-of-sequence measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OosmOutcome {
    /// Applied exactly: the filter was replayed from before its time.
    Applied,
    /// Older than the history kept: not used.
    TooOld,
    /// The replay failed numerically: the track is unchanged.
    Failed,
}

impl Track {
    /// A new tentative track of an object of `kind` born at `t_s` with
    /// state `state`; `confirm_hits` sizes the record of recent hits.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!((track.id(), track.status(), track.hits()), (TrackId(7), TrackStatus::Tentative, 0));
    /// ```
    pub fn new(
        id: TrackId,
        kind: ObjectKind,
        t_s: f64,
        state: KalmanState,
        confirm_hits: u32,
    ) -> Self {
        Self::with_history(id, kind, t_s, state, confirm_hits, 0)
    }

    /// Like [`Track::new`], keeping the latest `history_len` updates so that
    /// a measurement arriving late can be applied exactly.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// let t = Track::with_history(TrackId(1), ObjectKind::Vehicle, 0.0, state, 3, 64);
    /// assert_eq!(t.kind(), ObjectKind::Vehicle);
    /// ```
    pub fn with_history(
        id: TrackId,
        kind: ObjectKind,
        t_s: f64,
        state: KalmanState,
        confirm_hits: u32,
        history_len: u32,
    ) -> Self {
        Self {
            id,
            kind,
            status: TrackStatus::Tentative,
            state,
            t_s,
            born_t_s: t_s,
            last_update_t_s: t_s,
            last_update_rx_s: t_s,
            hits: 0,
            recent_hits_s: SmallVec::with_capacity(confirm_hits.max(1) as usize),
            contributions: SmallVec::new(),
            was_confirmed: false,
            unobserved_in_coverage_s: 0.0,
            merge_candidate: None,
            anchor: state,
            anchor_t_s: t_s,
            history: VecDeque::with_capacity(history_len as usize),
        }
    }

    /// The track's id.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.id(), TrackId(7));
    /// ```
    pub fn id(&self) -> TrackId {
        self.id
    }
    /// The kind of object it follows.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.kind(), ObjectKind::Person);
    /// ```
    pub fn kind(&self) -> ObjectKind {
        self.kind
    }
    /// Its status.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.status(), TrackStatus::Tentative);
    /// ```
    pub fn status(&self) -> TrackStatus {
        self.status
    }
    /// Its filter state at [`Track::t_s`].
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.state().x[2], 0.5);
    /// ```
    pub fn state(&self) -> &KalmanState {
        &self.state
    }
    /// Time of the state, seconds.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.t_s(), 10.0);
    /// ```
    pub fn t_s(&self) -> f64 {
        self.t_s
    }
    /// Capture time of the detection that started it, seconds.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.born_t_s(), 10.0);
    /// ```
    pub fn born_t_s(&self) -> f64 {
        self.born_t_s
    }
    /// Capture time of its latest update, seconds.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.last_update_t_s(), 10.0);
    /// ```
    pub fn last_update_t_s(&self) -> f64 {
        self.last_update_t_s
    }
    /// Time spent unobserved inside some camera's coverage since the latest
    /// update, seconds.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.unobserved_in_coverage_s(), 0.0);
    /// ```
    pub fn unobserved_in_coverage_s(&self) -> f64 {
        self.unobserved_in_coverage_s
    }
    /// Arrival time of the latest detection assigned to it, seconds.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.last_update_rx_s(), 10.0); // capture time until told otherwise
    /// ```
    pub fn last_update_rx_s(&self) -> f64 {
        self.last_update_rx_s
    }
    /// Number of detections assigned to it.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.hits(), 0);
    /// ```
    pub fn hits(&self) -> u64 {
        self.hits
    }
    /// Whether it has ever been confirmed.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert!(!track.was_confirmed());
    /// ```
    pub fn was_confirmed(&self) -> bool {
        self.was_confirmed
    }
    /// Position `[x, y]` at the state time, metres.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.position(), [1.0, 2.0]);
    /// ```
    pub fn position(&self) -> [f64; 2] {
        [self.state.x[0], self.state.x[1]]
    }
    /// Velocity `[vx, vy]` at the state time, m/s.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.velocity(), [0.5, 0.0]);
    /// ```
    pub fn velocity(&self) -> [f64; 2] {
        [self.state.x[2], self.state.x[3]]
    }
    /// Position covariance at the state time, m², row-major.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.position_cov(), [[0.04, 0.0], [0.0, 0.09]]);
    /// ```
    pub fn position_cov(&self) -> [[f64; 2]; 2] {
        let p = &self.state.p;
        [[p[(0, 0)], p[(0, 1)]], [p[(1, 0)], p[(1, 1)]]]
    }
    /// Largest standard deviation of the position, metres.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert!((track.position_std_max_m() - 0.3).abs() < 1e-12);
    /// ```
    pub fn position_std_max_m(&self) -> f64 {
        crate::filter::max_eigenvalue2(&self.state.position_cov()).max(0.0).sqrt()
    }

    /// The state predicted to `t_s` (the state itself for `t_s` at or
    /// before the state time); `self` is unchanged.
    ///
    /// # Errors
    /// [`Error::Numerical`](crate::Error::Numerical) if the prediction is not finite.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// let later = track.state_at(&MotionModel::default(), 12.0).unwrap();
    /// assert_eq!(later.x[0], 2.0);
    /// assert!(later.p[(0, 0)] > track.state().p[(0, 0)]);
    /// ```
    pub fn state_at(&self, model: &MotionModel, t_s: f64) -> Result<KalmanState> {
        self.state.predicted(model, (t_s - self.t_s).max(0.0))
    }

    /// Position predicted to `t_s`, metres.
    ///
    /// # Errors
    /// As [`Track::state_at`].
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert_eq!(track.position_at(&MotionModel::default(), 14.0).unwrap(), [3.0, 2.0]);
    /// // Earlier than the state: the state itself.
    /// assert_eq!(track.position_at(&MotionModel::default(), 5.0).unwrap(), [1.0, 2.0]);
    /// ```
    pub fn position_at(&self, model: &MotionModel, t_s: f64) -> Result<[f64; 2]> {
        let s = self.state_at(model, t_s)?;
        Ok([s.x[0], s.x[1]])
    }

    /// All cameras that have contributed, with the time of their latest detection.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// assert!(track.contributions().is_empty()); // no detection assigned yet
    /// ```
    pub fn contributions(&self) -> &[Contribution] {
        &self.contributions
    }

    /// Cameras whose latest detection for this track is at most `window_s`
    /// seconds older than `now_s`: the cameras currently contributing.
    ///
    /// ```
    /// use fusetrack::{KalmanState, ObjectKind, Track, TrackId};
    /// use nalgebra::{Matrix4, Vector4};
    /// let s = KalmanState::new(Vector4::zeros(), Matrix4::identity()).unwrap();
    /// let t = Track::new(TrackId(1), ObjectKind::Person, 0.0, s, 3);
    /// assert_eq!(t.cameras_within(0.0, 1.0).count(), 0);
    /// ```
    pub fn cameras_within(&self, now_s: f64, window_s: f64) -> impl Iterator<Item = CameraId> + '_ {
        self.contributions.iter().filter(move |c| now_s - c.t_s <= window_s).map(|c| c.camera)
    }

    /// True when `other` got a detection from the same camera frame as
    /// `self` (same camera, same capture time): then the two are surely
    /// different objects.
    ///
    /// ```
    /// # use fusetrack::{KalmanState, MotionModel, ObjectKind, Track, TrackId, TrackStatus};
    /// # use nalgebra::{Matrix4, Vector4};
    /// # let state = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::from_diagonal(&Vector4::new(0.04, 0.09, 1.0, 1.0))).unwrap();
    /// # let track = Track::new(TrackId(7), ObjectKind::Person, 10.0, state, 3);
    /// let other = Track::new(TrackId(8), ObjectKind::Person, 10.0, state, 3);
    /// assert!(!track.co_observed_with(&other));
    /// ```
    pub fn co_observed_with(&self, other: &Track) -> bool {
        self.contributions
            .iter()
            .any(|a| other.contributions.iter().any(|b| a.camera == b.camera && a.t_s == b.t_s))
    }

    // ----- crate-internal mutation, used by the tracker -----

    pub(crate) fn state_mut(&mut self) -> &mut KalmanState {
        &mut self.state
    }

    pub(crate) fn set_state_time(&mut self, t_s: f64) {
        self.t_s = t_s;
    }

    pub(crate) fn set_status(&mut self, status: TrackStatus) {
        if status.is_confirmed() {
            self.was_confirmed = true;
        }
        self.status = status;
    }

    /// Why this track, read from a snapshot, cannot belong to a tracker of
    /// `n_cameras` cameras confirming on `confirm_hits` hits (`None` if it
    /// can).
    pub(crate) fn snapshot_defect(&self, n_cameras: usize, confirm_hits: u32) -> Option<String> {
        if !self.state.is_valid() || !self.t_s.is_finite() {
            return Some("state not finite, or covariance not symmetric positive".into());
        }
        if let Some(c) = self.contributions.iter().find(|c| c.camera.index() >= n_cameras) {
            return Some(format!("contribution from camera #{}, not in the rig", c.camera.0));
        }
        let cap = confirm_hits.max(1) as usize;
        if self.recent_hits_s.len() > cap {
            return Some(format!(
                "{} recent hits, more than confirm_hits ({cap})",
                self.recent_hits_s.len()
            ));
        }
        None
    }

    /// Records a hit from `camera` at `t_s`; returns true if the track is
    /// tentative and the hits of the last `window_s` seconds now number at
    /// least `confirm_hits`.
    pub(crate) fn record_hit(
        &mut self,
        camera: CameraId,
        t_s: f64,
        confirm_hits: u32,
        window_s: f64,
        informative: bool,
    ) -> bool {
        self.hits += 1;
        self.unobserved_in_coverage_s = 0.0;
        self.last_update_t_s = self.last_update_t_s.max(t_s);
        match self.contributions.iter_mut().find(|c| c.camera == camera) {
            Some(c) => c.t_s = c.t_s.max(t_s),
            None => self.contributions.push(Contribution { camera, t_s }),
        }
        // Only a tentative track needs its recent hits (a confirmed one
        // never returns to tentative): confirmed tracks skip the
        // bookkeeping. Only hits that localise the object count towards
        // confirmation.
        if self.status.is_confirmed() {
            return false;
        }
        if informative {
            let cap = confirm_hits.max(1) as usize;
            let h = self.recent_hits_s.as_mut_slice();
            if h.len() == cap {
                // Drop the oldest (late hits may arrive out of order; the
                // first of equal ones): the last takes its place, the new
                // hit goes last, as `swap_remove` then `push` would do.
                let mut k = 0;
                for (i, v) in h.iter().enumerate().skip(1) {
                    if v.total_cmp(&h[k]).is_lt() {
                        k = i;
                    }
                }
                h[k] = h[cap - 1];
                h[cap - 1] = t_s;
            } else {
                self.recent_hits_s.push(t_s);
            }
        }
        let cap = confirm_hits.max(1) as usize;
        let (lo, hi) = self
            .recent_hits_s
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &h| (lo.min(h), hi.max(h)));
        self.recent_hits_s.len() == cap && hi - lo <= window_s
    }

    /// Remembers an in-order update (already applied to the state) for
    /// later out-of-sequence measurements; the oldest updates are folded
    /// into the anchor when the history is full or older than `max_age_s`.
    pub(crate) fn remember_update(
        &mut self,
        model: &MotionModel,
        t_s: f64,
        z: &Vector2<f64>,
        r: &Matrix2<f64>,
        max_age_s: f64,
    ) {
        let cap = self.history.capacity();
        if cap == 0 {
            return;
        }
        while self.history.len() >= cap
            || self.history.front().is_some_and(|h| t_s - h.t_s > max_age_s)
        {
            if !self.fold_oldest(model) {
                break;
            }
        }
        if self.history.len() < cap {
            self.history.push_back(PastUpdate::new(t_s, z, r));
        }
    }

    /// Moves the anchor forward over the oldest kept update.
    fn fold_oldest(&mut self, model: &MotionModel) -> bool {
        let Some(h) = self.history.pop_front() else { return false };
        let mut a = self.anchor;
        if a.predict(model, h.t_s - self.anchor_t_s).is_ok() && a.update(&h.z(), &h.r()).is_ok() {
            self.anchor = a;
            self.anchor_t_s = h.t_s;
        } else {
            // Keep the chain consistent: restart it from the current state.
            self.anchor = self.state;
            self.anchor_t_s = self.t_s;
            self.history.clear();
        }
        true
    }

    /// Forgets the kept updates: the history starts from the current state.
    pub(crate) fn restart_history(&mut self) {
        self.anchor = self.state;
        self.anchor_t_s = self.t_s;
        self.history.clear();
    }

    /// Time before which an out-of-sequence measurement cannot be applied.
    pub(crate) fn oosm_horizon_s(&self) -> f64 {
        self.anchor_t_s
    }

    /// Applies a measurement captured at `t_s`, earlier than the state
    /// time, exactly: the filter is replayed from the anchor through the
    /// kept updates with the new one in its place in time, then predicted
    /// to the state time. The result equals in-order processing.
    pub(crate) fn apply_out_of_sequence(
        &mut self,
        model: &MotionModel,
        t_s: f64,
        z: &Vector2<f64>,
        r: &Matrix2<f64>,
    ) -> OosmOutcome {
        if t_s < self.anchor_t_s || self.history.capacity() == 0 {
            return OosmOutcome::TooOld;
        }
        let at = self.history.partition_point(|h| h.t_s <= t_s);
        let mut s = self.anchor;
        let mut now = self.anchor_t_s;
        let new = PastUpdate::new(t_s, z, r);
        let replay = self
            .history
            .iter()
            .take(at)
            .chain(std::iter::once(&new))
            .chain(self.history.iter().skip(at));
        for h in replay {
            if s.predict(model, (h.t_s - now).max(0.0)).is_err()
                || s.update(&h.z(), &h.r()).is_err()
            {
                return OosmOutcome::Failed;
            }
            now = now.max(h.t_s);
        }
        if s.predict(model, (self.t_s - now).max(0.0)).is_err() {
            return OosmOutcome::Failed;
        }
        self.state = s;
        if self.history.len() >= self.history.capacity() {
            // Full: fold the oldest first (it is older than the new one, or the new one is first).
            if at == 0 {
                // The late update itself is the oldest: fold it straight into the anchor.
                let mut a = self.anchor;
                if a.predict(model, t_s - self.anchor_t_s).is_ok() && a.update(z, r).is_ok() {
                    self.anchor = a;
                    self.anchor_t_s = t_s;
                }
                return OosmOutcome::Applied;
            }
            self.fold_oldest(model);
        }
        let at = self.history.partition_point(|h| h.t_s <= t_s);
        self.history.insert(at, new);
        OosmOutcome::Applied
    }

    /// Takes over the camera contributions of a duplicate merged into it.
    pub(crate) fn absorb_contributions(&mut self, other: &Track) {
        for oc in &other.contributions {
            match self.contributions.iter_mut().find(|c| c.camera == oc.camera) {
                Some(c) => c.t_s = c.t_s.max(oc.t_s),
                None => self.contributions.push(*oc),
            }
        }
        self.last_update_t_s = self.last_update_t_s.max(other.last_update_t_s);
        self.last_update_rx_s = self.last_update_rx_s.max(other.last_update_rx_s);
    }

    /// Squared Mahalanobis distance between the positions of two tracks at
    /// the same time, under the sum of their covariances, and the same for
    /// velocities. `None` if a covariance sum is not positive definite.
    pub(crate) fn compatibility_d2(&self, other: &Track) -> Option<(f64, f64)> {
        compatibility_d2(&self.state, &other.state)
    }
}

/// Squared Mahalanobis distances between two states at the same time:
/// positions under the sum of their covariances, and the same for
/// velocities. `None` if a covariance sum is not positive definite.
pub(crate) fn compatibility_d2(a: &KalmanState, b: &KalmanState) -> Option<(f64, f64)> {
    let dp: Vector2<f64> = a.position() - b.position();
    let sp: Matrix2<f64> = a.position_cov() + b.position_cov();
    let (sp_inv, _) = crate::filter::spd2_inverse_det(&sp)?;
    let dv: Vector2<f64> = a.velocity() - b.velocity();
    let sv: Matrix2<f64> =
        a.p.fixed_view::<2, 2>(2, 2).into_owned() + b.p.fixed_view::<2, 2>(2, 2).into_owned();
    let (sv_inv, _) = crate::filter::spd2_inverse_det(&sv)?;
    Some(((dp.transpose() * sp_inv * dp)[(0, 0)], (dv.transpose() * sv_inv * dv)[(0, 0)]))
}
