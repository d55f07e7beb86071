//! One track: its filter state, lifecycle status and contributing cameras.

use nalgebra::{Matrix2, Vector2};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::filter::KalmanState;
use crate::ids::{CameraId, TrackId};
use crate::motion::MotionModel;

/// Lifecycle status of a track.
///
/// ```
/// use fusetrack::TrackStatus;
/// assert!(TrackStatus::Coasting.is_reported());
/// assert!(!TrackStatus::Tentative.is_reported());
/// assert_eq!(serde_json::to_string(&TrackStatus::Confirmed).unwrap(), "\"confirmed\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TrackStatus {
    /// Born from a detection, not yet confirmed; not reported to users.
    Tentative,
    /// Confirmed and observed recently.
    Confirmed,
    /// Confirmed, but unobserved for a while: the filter predicts it forward.
    Coasting,
}

impl TrackStatus {
    /// True for the statuses reported to users (confirmed and coasting).
    pub fn is_reported(self) -> bool {
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

/// A track on the ground plane.
///
/// Tracks are created by the [`Tracker`](crate::Tracker); users read them
/// through [`Tracker::tracks`](crate::Tracker::tracks).
///
/// ```
/// use fusetrack::{Track, TrackId, TrackStatus, KalmanState};
/// use nalgebra::{Matrix4, Vector4};
/// let s = KalmanState::new(Vector4::new(1.0, 2.0, 0.5, 0.0), Matrix4::identity()).unwrap();
/// let t = Track::new(TrackId(1), 10.0, s, 3);
/// assert_eq!(t.status(), TrackStatus::Tentative);
/// assert_eq!(t.position_at(&Default::default(), 12.0).unwrap(), [2.0, 2.0]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Track {
    id: TrackId,
    status: TrackStatus,
    state: KalmanState,
    /// Time of `state`, seconds.
    t_s: f64,
    born_t_s: f64,
    last_update_t_s: f64,
    hits: u64,
    /// Capture times of the latest hits, oldest first (at most `confirm_hits`).
    recent_hits_s: Vec<f64>,
    contributions: Vec<Contribution>,
    was_confirmed: bool,
    /// A confirmed track this one has stayed compatible with, and since when.
    pub(crate) merge_candidate: Option<(TrackId, f64)>,
}

impl Track {
    /// A new tentative track born at `t_s` with state `state`; `confirm_hits`
    /// sizes the record of recent hits.
    pub fn new(id: TrackId, t_s: f64, state: KalmanState, confirm_hits: u32) -> Self {
        Self {
            id,
            status: TrackStatus::Tentative,
            state,
            t_s,
            born_t_s: t_s,
            last_update_t_s: t_s,
            hits: 0,
            recent_hits_s: Vec::with_capacity(confirm_hits.max(1) as usize),
            contributions: Vec::with_capacity(4),
            was_confirmed: false,
            merge_candidate: None,
        }
    }

    /// The track's id.
    pub fn id(&self) -> TrackId {
        self.id
    }
    /// Its status.
    pub fn status(&self) -> TrackStatus {
        self.status
    }
    /// Its filter state at [`Track::t_s`].
    pub fn state(&self) -> &KalmanState {
        &self.state
    }
    /// Time of the state, seconds.
    pub fn t_s(&self) -> f64 {
        self.t_s
    }
    /// Capture time of the detection that started it, seconds.
    pub fn born_t_s(&self) -> f64 {
        self.born_t_s
    }
    /// Capture time of its latest update, seconds.
    pub fn last_update_t_s(&self) -> f64 {
        self.last_update_t_s
    }
    /// Number of detections assigned to it.
    pub fn hits(&self) -> u64 {
        self.hits
    }
    /// Whether it has ever been confirmed.
    pub fn was_confirmed(&self) -> bool {
        self.was_confirmed
    }
    /// Position `[x, y]` at the state time, metres.
    pub fn position(&self) -> [f64; 2] {
        [self.state.x[0], self.state.x[1]]
    }
    /// Velocity `[vx, vy]` at the state time, m/s.
    pub fn velocity(&self) -> [f64; 2] {
        [self.state.x[2], self.state.x[3]]
    }
    /// Position covariance at the state time, m², row-major.
    pub fn position_cov(&self) -> [[f64; 2]; 2] {
        let p = &self.state.p;
        [[p[(0, 0)], p[(0, 1)]], [p[(1, 0)], p[(1, 1)]]]
    }
    /// Largest standard deviation of the position, metres.
    pub fn position_std_max_m(&self) -> f64 {
        crate::filter::max_eigenvalue2(&self.state.position_cov()).max(0.0).sqrt()
    }

    /// The state predicted to `t_s` (the state itself for `t_s` at or
    /// before the state time); `self` is unchanged.
    ///
    /// # Errors
    /// [`Error::Numerical`](crate::Error::Numerical) if the prediction is not finite.
    pub fn state_at(&self, model: &MotionModel, t_s: f64) -> Result<KalmanState> {
        self.state.predicted(model, (t_s - self.t_s).max(0.0))
    }

    /// Position predicted to `t_s`, metres.
    ///
    /// # Errors
    /// As [`Track::state_at`].
    pub fn position_at(&self, model: &MotionModel, t_s: f64) -> Result<[f64; 2]> {
        let s = self.state_at(model, t_s)?;
        Ok([s.x[0], s.x[1]])
    }

    /// All cameras that have contributed, with the time of their latest detection.
    pub fn contributions(&self) -> &[Contribution] {
        &self.contributions
    }

    /// Cameras whose latest detection for this track is at most `window_s`
    /// seconds older than `now_s`: the cameras currently contributing.
    ///
    /// ```
    /// use fusetrack::{Track, TrackId, KalmanState};
    /// use nalgebra::{Matrix4, Vector4};
    /// let s = KalmanState::new(Vector4::zeros(), Matrix4::identity()).unwrap();
    /// let t = Track::new(TrackId(1), 0.0, s, 3);
    /// assert_eq!(t.cameras_within(0.0, 1.0).count(), 0);
    /// ```
    pub fn cameras_within(&self, now_s: f64, window_s: f64) -> impl Iterator<Item = CameraId> + '_ {
        self.contributions.iter().filter(move |c| now_s - c.t_s <= window_s).map(|c| c.camera)
    }

    /// True when `other` got a detection from the same camera frame as
    /// `self` (same camera, same capture time): then the two are surely
    /// different objects.
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
        if status.is_reported() {
            self.was_confirmed = true;
        }
        self.status = status;
    }

    /// Records a hit from `camera` at `t_s`; returns true if the hits of the
    /// last `window_s` seconds now number at least `confirm_hits`.
    pub(crate) fn record_hit(
        &mut self,
        camera: CameraId,
        t_s: f64,
        confirm_hits: u32,
        window_s: f64,
    ) -> bool {
        self.hits += 1;
        self.last_update_t_s = self.last_update_t_s.max(t_s);
        let cap = confirm_hits.max(1) as usize;
        if self.recent_hits_s.len() == cap {
            self.recent_hits_s.remove(0);
        }
        self.recent_hits_s.push(t_s);
        match self.contributions.iter_mut().find(|c| c.camera == camera) {
            Some(c) => c.t_s = c.t_s.max(t_s),
            None => self.contributions.push(Contribution { camera, t_s }),
        }
        self.recent_hits_s.len() == cap && self.recent_hits_s.iter().all(|&h| t_s - h <= window_s)
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
    }

    /// Squared Mahalanobis distance between the positions of two tracks at
    /// the same time, under the sum of their covariances, and the same for
    /// velocities. `None` if a covariance sum is not positive definite.
    pub(crate) fn compatibility_d2(&self, other: &Track) -> Option<(f64, f64)> {
        let dp: Vector2<f64> = self.state.position() - other.state.position();
        let sp: Matrix2<f64> = self.state.position_cov() + other.state.position_cov();
        let (sp_inv, _) = crate::filter::spd2_inverse(&sp)?;
        let dv: Vector2<f64> = self.state.velocity() - other.state.velocity();
        let sv: Matrix2<f64> = self.state.p.fixed_view::<2, 2>(2, 2).into_owned()
            + other.state.p.fixed_view::<2, 2>(2, 2).into_owned();
        let (sv_inv, _) = crate::filter::spd2_inverse(&sv)?;
        Some(((dp.transpose() * sp_inv * dp)[(0, 0)], (dv.transpose() * sv_inv * dv)[(0, 0)]))
    }
}
