//! The multi-camera tracker: the per-frame pipeline in one place.
//!
//! For every capture time released by the reorder buffer, in order:
//!
//! 1. **predict** every track to that time;
//! 2. for each camera frame at that time (in camera order):
//!    1. **gate** the frame's ground measurements against the predicted
//!       positions of the reported (confirmed or coasting) tracks: grid
//!       candidate search, then the Mahalanobis gate;
//!    2. **associate** within each connected component of the gate graph
//!       (optimal or greedy) and **update** the assigned tracks;
//!    3. repeat 2.1-2.2 for the tentative tracks with the measurements left,
//!       so that a person seen by three cameras at the same instant feeds
//!       one tentative track instead of starting three;
//!    4. **birth**: each measurement still unassigned starts a tentative track;
//! 3. **merge** duplicate tracks that describe the same object (compatible
//!    positions and velocities, never seen by the same camera frame);
//! 4. **manage**: confirm, coast, end; every change is an [`Event`].

use nalgebra::{Matrix2, Matrix4, Vector2, Vector4};
use serde::{Deserialize, Serialize};

use crate::association::components::Associator;
use crate::association::gating::{Gate, GateParams, GatePoint, GatedPair};
use crate::association::spatial::GridIndex;
use crate::config::{LatePolicy, ObjectKind, TrackerConfig};
use crate::detection::{Detection, Observation};
use crate::error::{Error, Location, Result};
use crate::events::{EndReason, Event};
use crate::filter::{KalmanState, spd2_inverse_det};
use crate::frame_obs::{FrameObs, ObsKey};
use crate::geometry::{Camera, CameraKind, CameraRig, GroundPoint, PixelPoint};
use crate::ids::{CameraId, TrackId};
use crate::reorder::{Pending, PendingKind, ReorderBuffer};
use crate::track::{OosmOutcome, Track, TrackStatus};

/// Running counts of what the tracker has seen and done.
///
/// ```
/// use fusetrack::TrackerStats;
/// assert_eq!(TrackerStats::default().late_detections, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrackerStats {
    /// Detections accepted by [`Tracker::push`] (boxes and world positions).
    pub detections: u64,
    /// Empty-frame markers accepted.
    pub empty_frames: u64,
    /// Detections assigned to an existing track.
    pub detections_associated: u64,
    /// Detections that arrived after their capture time had been processed.
    pub late_detections: u64,
    /// Of those, the ones used (as out-of-sequence updates or births).
    pub late_used: u64,
    /// Of those, the ones that matched no track and were too vague to start
    /// one (the fate of an on-time detection in the same place).
    pub late_unmatched: u64,
    /// Of those, the ones not considered: dropped by policy or older than
    /// `max_oosm_age_s`. Always `late_detections = late_used +
    /// late_unmatched + late_dropped`.
    pub late_dropped: u64,
    /// Detections that repeated one already received.
    pub duplicate_detections: u64,
    /// Detections beyond `max_detections_per_frame` in one camera frame.
    pub flood_dropped: u64,
    /// Camera frames processed.
    pub frames: u64,
    /// Distinct capture times processed.
    pub time_steps: u64,
    /// Tracks started (tentative).
    pub tracks_born: u64,
    /// Tracks confirmed.
    pub tracks_confirmed: u64,
    /// Tracks ended (all reasons, merges included).
    pub tracks_ended: u64,
    /// Tracks merged into another.
    pub tracks_merged: u64,
    /// Pairs tested with the Mahalanobis gate after the spatial search.
    pub candidate_pairs: u64,
    /// Pairs inside the gate.
    pub gated_pairs: u64,
    /// Connected components solved.
    pub components: u64,
    /// Kalman updates refused for numerical reasons.
    pub numerical_failures: u64,
    /// Unassociated detections too uncertain on the ground to start a track
    /// (`max_birth_std_m`).
    pub too_vague_to_start: u64,
    /// Camera frames that looked up nearby tracks in the step's index
    /// instead of scanning all tracks (`step_index_min_tracks`).
    pub indexed_frames: u64,
}

fn one() -> u64 {
    1
}

fn yes() -> bool {
    true
}

impl TrackerStats {
    /// Adds `other`'s counters to these (the shards of a sharded tracker).
    pub(crate) fn accumulate(&mut self, other: &TrackerStats) {
        let TrackerStats {
            detections,
            empty_frames,
            detections_associated,
            late_detections,
            late_used,
            late_unmatched,
            late_dropped,
            duplicate_detections,
            flood_dropped,
            frames,
            time_steps,
            tracks_born,
            tracks_confirmed,
            tracks_ended,
            tracks_merged,
            candidate_pairs,
            gated_pairs,
            components,
            numerical_failures,
            too_vague_to_start,
            indexed_frames,
        } = *other;
        self.detections += detections;
        self.empty_frames += empty_frames;
        self.detections_associated += detections_associated;
        self.late_detections += late_detections;
        self.late_used += late_used;
        self.late_unmatched += late_unmatched;
        self.late_dropped += late_dropped;
        self.duplicate_detections += duplicate_detections;
        self.flood_dropped += flood_dropped;
        self.frames += frames;
        self.time_steps = self.time_steps.max(time_steps);
        self.tracks_born += tracks_born;
        self.tracks_confirmed += tracks_confirmed;
        self.tracks_ended += tracks_ended;
        self.tracks_merged += tracks_merged;
        self.candidate_pairs += candidate_pairs;
        self.gated_pairs += gated_pairs;
        self.components += components;
        self.numerical_failures += numerical_failures;
        self.too_vague_to_start += too_vague_to_start;
        self.indexed_frames += indexed_frames;
    }
}

/// Position and covariance of a track `dt_s` seconds before its state time:
/// the mean moved back along the velocity, the covariance
/// `F(-dt) P F(-dt)ᵀ + Q(dt)` (retrodiction, inflated by the process noise
/// of the interval; used only to gate late measurements).
fn retrodicted(
    state: &KalmanState,
    model: &crate::motion::MotionModel,
    dt_s: f64,
) -> Option<GatePoint> {
    let f = model.transition(-dt_s);
    let x = f * state.x;
    let p = f * state.p * f.transpose() + model.process_noise(dt_s);
    let position = Vector2::new(x[0], x[1]);
    let cov = p.fixed_view::<2, 2>(0, 0).into_owned();
    (position.iter().all(|v| v.is_finite()) && spd2_inverse_det(&cov).is_some())
        .then_some(GatePoint { position, cov })
}

/// The few configuration values `manage` needs, copied out so that the
/// tracker can be mutated while they are read (without cloning the config).
#[derive(Clone, Copy)]
struct ManageLimits {
    max_lateness_s: f64,
    tentative_timeout_s: f64,
    max_position_std_m: f64,
    delete_after_in_coverage_s: f64,
    delete_after_out_of_coverage_s: f64,
}

impl From<&TrackerConfig> for ManageLimits {
    fn from(c: &TrackerConfig) -> Self {
        Self {
            max_lateness_s: c.max_lateness_s,
            tentative_timeout_s: c.tentative_timeout_s,
            max_position_std_m: c.max_position_std_m,
            delete_after_in_coverage_s: c.delete_after_in_coverage_s,
            delete_after_out_of_coverage_s: c.delete_after_out_of_coverage_s,
        }
    }
}

/// "No time yet": finite, so that a snapshot (JSON cannot hold infinities)
/// restores exactly, and below every real time.
const NEVER: f64 = f64::MIN;

/// A candidate track's association stage: by kind, confirmed first.
fn stage_slot(kind: ObjectKind, confirmed: bool) -> u8 {
    2 * u8::from(kind == ObjectKind::Vehicle) + u8::from(!confirmed)
}

/// Where a track is now, as the gate sees it.
fn current_gate_point(tr: &Track) -> GatePoint {
    GatePoint { position: tr.state().position(), cov: tr.state().position_cov() }
}

/// An integer that orders like [`f64::total_cmp`].
fn total_order_key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    b ^ ((((b >> 63) as u64) >> 1) as i64)
}

/// Sorts `ids`, distinct and below `universe`. Sorting costs ~log n
/// operations per index; marking them in the bit set `bits` (reused) and
/// reading it back costs one per index and one per 64 of the universe: the
/// cheaper of the two is used.
fn sort_distinct_indices(ids: &mut Vec<u32>, universe: usize, bits: &mut Vec<u64>) {
    let words = universe.div_ceil(64);
    if ids.len() * 8 < words {
        ids.sort_unstable();
        return;
    }
    bits.clear();
    bits.resize(words, 0);
    for &i in ids.iter() {
        if let Some(w) = bits.get_mut(i as usize / 64) {
            *w |= 1 << (i % 64);
        }
    }
    ids.clear();
    for (w, &word) in bits.iter().enumerate() {
        let mut b = word;
        while b != 0 {
            ids.push(w as u32 * 64 + b.trailing_zeros());
            b &= b - 1;
        }
    }
}

/// Stage slot of an indexed track that no frame of the step may gate.
const SKIP_SLOT: u8 = u8::MAX;

/// How many assigned pairs ahead a frame's updates prefetch their track:
/// enough to cover a DRAM access (~100 ns) with the ~100 ns an update takes
/// on the way, few enough that the lines are still in L1 when used.
const PREFETCH_AHEAD: usize = 6;

/// Tracks take more memory than this (bytes; a core's L2 cache on current
/// x86-64 parts is 1-2 MiB) before a frame's updates prefetch them.
const PREFETCH_MIN_BYTES: usize = 2 << 20;

/// Below this many tracks, parallel prediction costs more than it saves.
#[cfg(feature = "parallel")]
const PARALLEL_MIN_TRACKS: usize = 4096;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct CameraState {
    /// Arrival time of the latest frame, seconds.
    last_rx_s: Option<f64>,
    /// Frame interval, seconds: from `fps` or learned from capture times.
    interval_s: Option<f64>,
    /// Reported down.
    down: bool,
    /// Arrival time of the first line of the latest frame, and the
    /// exponentially weighted mean and variance of the gaps between frame
    /// arrivals (seconds): a late camera's arrivals jitter more than its
    /// frame interval says.
    frame_rx_s: Option<f64>,
    rx_gap_mean_s: f64,
    rx_gap_var_s2: f64,
    /// Clock check: exponentially weighted sums of yᵀv and vᵀv over
    /// updates of moving tracks fed by other cameras too.
    clock_yv: f64,
    clock_vv: f64,
    clock_yy: f64,
    clock_n: f64,
    clock_suspect: bool,
    last_t_s: Option<f64>,
    /// Boxes / positions of the camera's latest frame, to drop duplicates.
    frame_obs: FrameObs,
    detections: u64,
}

#[derive(Debug, Default)]
struct Scratch {
    frame: Vec<Pending>,
    meas: Vec<(GatePoint, ObjectKind)>,
    meas_keys: Vec<u64>,
    meas_sorted: Vec<(GatePoint, ObjectKind)>,
    stage_meas: Vec<GatePoint>,
    stage_meas_idx: Vec<u32>,
    meas_used: Vec<bool>,
    gate_tracks: Vec<GatePoint>,
    candidates: Vec<(u8, GatePoint, u32)>,
    step_index: GridIndex,
    step_points: Vec<[f64; 2]>,
    step_indexed: usize,
    /// How far (per axis) tracks updated in this step have moved from their
    /// indexed positions, at most.
    step_max_shift_m: [f64; 2],
    /// Per indexed track: its gate point now (refreshed when the track is
    /// updated within the step) and its stage slot (`SKIP_SLOT`: never a
    /// candidate this step), so that choosing a frame's candidates reads
    /// these compact arrays instead of the tracks themselves.
    step_gate: Vec<GatePoint>,
    step_slot: Vec<u8>,
    near_tracks: Vec<u32>,
    /// The step-indexed tracks near a frame, as a bit set (reused).
    near_bits: Vec<u64>,
    gate_track_idx: Vec<u32>,
    pairs: Vec<GatedPair>,
    assigned: Vec<(u32, u32)>,
    gate: Gate,
    assoc: Associator,
    points: Vec<[f64; 2]>,
    merge_pairs: Vec<(f64, u32, u32)>,
    clock: Vec<(usize, f64, f64)>,
    grid: GridIndex,
    clock_sorted: Vec<f64>,
    remove: Vec<bool>,
    candidate_seen: Vec<bool>,
    /// Set by `merge_duplicates` when `manage` is to reset the merge
    /// candidates of tracks updated now and not seen with theirs.
    reset_candidates: bool,
}

impl Clone for Scratch {
    fn clone(&self) -> Self {
        Scratch::default()
    }
}

/// The multi-camera tracker.
///
/// Push detections in arrival order with [`Tracker::push`]; call
/// [`Tracker::step`] until it returns `None` to process every capture time
/// the reorder buffer has released, reading [`Tracker::tracks`] after each
/// step; at the end of a recording call [`Tracker::flush_step`] until it
/// returns `None`. Events accumulate until [`Tracker::drain_events`].
///
/// The tracker is plain data: it can be serialised with serde and restored
/// without loss (a snapshot), and it is `Send`. A snapshot is checked as it
/// is read (configuration, one state per camera, increasing track ids below
/// the next id, finite states, camera indices of tracks and held
/// detections): a damaged one is refused with the field at fault instead of
/// failing later. Several trackers in one process share nothing.
///
/// ```
/// use fusetrack::{CameraId, Detection, Observation, Tracker, TrackerConfig};
/// use fusetrack::geometry::{Camera, CameraRig};
///
/// // One world sensor (a radar, an upstream tracker) giving ground positions.
/// let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
/// let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
/// for k in 0..10 {
///     let t = k as f64 * 0.1;
///     let obs = Observation::World { position_m: [1.0 + 1.2 * t, 2.0], cov_m2: None };
///     tracker.push(Detection::new(t, CameraId(0), obs)).unwrap();
/// }
/// while let Some(_t) = tracker.flush_step().unwrap() {}
/// let confirmed: Vec<_> = tracker.confirmed_tracks().collect();
/// assert_eq!(confirmed.len(), 1);
/// assert!((confirmed[0].velocity()[0] - 1.2).abs() < 0.3);
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "TrackerSnapshot")]
pub struct Tracker {
    config: TrackerConfig,
    rig: CameraRig,
    tracks: Vec<Track>,
    next_track_id: u64,
    /// Gap between consecutive track ids (1, or the number of shards of a
    /// [`crate::sharded::ShardedTracker`], whose shards interleave ids).
    #[serde(default = "one")]
    id_step: u64,
    /// Whether prediction may use rayon's pool (off in the shards of a
    /// sharded tracker, which are themselves run in parallel: a shard
    /// waiting for its own parallel prediction could otherwise pick up a
    /// whole other shard's step and serialise the two).
    #[serde(default = "yes")]
    parallel_inside: bool,
    buffer: ReorderBuffer,
    cameras: Vec<CameraState>,
    /// Latest arrival time seen, seconds.
    now_rx_s: f64,
    /// Latest capture time processed, seconds.
    processed_t_s: f64,
    next_seq: u64,
    /// Detections that arrived after their time was processed, waiting for
    /// out-of-sequence processing at the next step.
    late: Vec<Pending>,
    /// Whether tracks keep their update history for out-of-sequence
    /// measurements: from the start when a camera's stated latency exceeds
    /// the reorder window, else from the first late detection on (until
    /// then the history would cost a second filter step per update for
    /// nothing).
    keep_history: bool,
    last_clock_check_t_s: f64,
    stats: TrackerStats,
    events: Vec<Event>,
    #[serde(skip)]
    scratch: Scratch,
}

/// What a snapshot of a [`Tracker`] holds, checked before it becomes one
/// (a damaged or hostile snapshot is refused with the field at fault, not
/// a panic at the next push or step).
#[derive(Deserialize)]
#[serde(rename = "Tracker")]
struct TrackerSnapshot {
    config: TrackerConfig,
    rig: CameraRig,
    tracks: Vec<Track>,
    next_track_id: u64,
    #[serde(default = "one")]
    id_step: u64,
    #[serde(default = "yes")]
    parallel_inside: bool,
    buffer: ReorderBuffer,
    cameras: Vec<CameraState>,
    now_rx_s: f64,
    processed_t_s: f64,
    next_seq: u64,
    late: Vec<Pending>,
    keep_history: bool,
    last_clock_check_t_s: f64,
    stats: TrackerStats,
    events: Vec<Event>,
}

impl TryFrom<TrackerSnapshot> for Tracker {
    type Error = String;

    fn try_from(s: TrackerSnapshot) -> std::result::Result<Self, String> {
        s.config.validate().map_err(|e| format!("config: {e}"))?;
        let n = s.rig.len();
        if s.cameras.len() != n {
            return Err(format!(
                "cameras: one state per camera of the rig expected ({n}), got {}",
                s.cameras.len()
            ));
        }
        if s.id_step == 0 {
            return Err("id_step: at least 1 expected, got 0".into());
        }
        for (i, tr) in s.tracks.iter().enumerate() {
            if i > 0 && s.tracks[i - 1].id() >= tr.id() {
                return Err(format!(
                    "tracks[{i}]: ids must increase, got {} after {}",
                    tr.id().0,
                    s.tracks[i - 1].id().0
                ));
            }
            if tr.id().0 >= s.next_track_id {
                return Err(format!(
                    "tracks[{i}]: id {} not below next_track_id ({})",
                    tr.id().0,
                    s.next_track_id
                ));
            }
            if let Some(why) = tr.snapshot_defect(n, s.config.confirm_hits) {
                return Err(format!("tracks[{i}] (id {}): {why}", tr.id().0));
            }
        }
        let pending =
            s.buffer.entries().map(|p| ("buffer", p)).chain(s.late.iter().map(|p| ("late", p)));
        for (field, p) in pending {
            if p.camera.index() >= n {
                return Err(format!(
                    "{field}: an entry from camera #{}, not in the rig",
                    p.camera.0
                ));
            }
            if !(p.t_s.is_finite() && p.rx_s.is_finite()) {
                return Err(format!("{field}: an entry with a time that is not finite"));
            }
        }
        Ok(Self {
            config: s.config,
            rig: s.rig,
            tracks: s.tracks,
            next_track_id: s.next_track_id,
            id_step: s.id_step,
            parallel_inside: s.parallel_inside,
            buffer: s.buffer,
            cameras: s.cameras,
            now_rx_s: s.now_rx_s,
            processed_t_s: s.processed_t_s,
            next_seq: s.next_seq,
            late: s.late,
            keep_history: s.keep_history,
            last_clock_check_t_s: s.last_clock_check_t_s,
            stats: s.stats,
            events: s.events,
            scratch: Scratch::default(),
        })
    }
}

impl Tracker {
    /// A tracker for the cameras of `rig`.
    ///
    /// # Errors
    /// [`Error::Config`] if the configuration is out of range.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// let mut bad = TrackerConfig::default();
    /// bad.confirm_hits = 0;
    /// assert!(Tracker::new(bad, tracker.rig().clone()).is_err());
    /// ```
    pub fn new(config: TrackerConfig, rig: CameraRig) -> Result<Self> {
        config.validate()?;
        let keep_history = config.late_policy == LatePolicy::OutOfSequence
            && rig.iter().any(|(_, c)| c.latency_s().is_some_and(|l| l > config.max_lateness_s));
        let cameras = rig
            .iter()
            .map(|(_, c)| CameraState {
                interval_s: c.fps().filter(|f| *f > 0.0).map(|f| 1.0 / f),
                ..CameraState::default()
            })
            .collect();
        Ok(Self {
            config,
            rig,
            tracks: Vec::new(),
            next_track_id: 1,
            id_step: 1,
            parallel_inside: true,
            buffer: ReorderBuffer::default(),
            cameras,
            now_rx_s: NEVER,
            processed_t_s: NEVER,
            next_seq: 0,
            late: Vec::new(),
            keep_history,
            last_clock_check_t_s: NEVER,
            stats: TrackerStats::default(),
            events: Vec::new(),
            scratch: Scratch::default(),
        })
    }

    /// Makes this tracker number its tracks `first`, `first + step`, ...
    /// (the shards of a sharded tracker take disjoint id sequences). Only
    /// before the first track is born.
    pub(crate) fn set_id_sequence(&mut self, first: u64, step: u64) {
        debug_assert!(self.tracks.is_empty() && self.next_track_id == 1);
        self.next_track_id = first.max(1);
        self.id_step = step.max(1);
    }

    /// Takes the next id of this tracker's sequence for a track made
    /// elsewhere (a sharded tracker's split of a wrong link).
    pub(crate) fn reserve_track_id(&mut self) -> TrackId {
        let id = TrackId(self.next_track_id);
        self.next_track_id += self.id_step;
        id
    }

    /// Whether prediction may run on rayon's pool (the output is the same
    /// either way).
    pub(crate) fn set_parallel_inside(&mut self, on: bool) {
        self.parallel_inside = on;
    }

    /// The configuration.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// assert_eq!(tracker.config(), &TrackerConfig::default());
    /// ```
    pub fn config(&self) -> &TrackerConfig {
        &self.config
    }
    /// The cameras.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// assert_eq!(tracker.rig().id("radar"), Some(CameraId(0)));
    /// ```
    pub fn rig(&self) -> &CameraRig {
        &self.rig
    }
    /// Running counts.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// tracker.push(walk(0.0)).unwrap();
    /// assert_eq!(tracker.stats().detections, 1);
    /// ```
    pub fn stats(&self) -> &TrackerStats {
        &self.stats
    }
    /// Latest capture time processed (the time of every track's state),
    /// seconds; `None` before the first step.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// assert_eq!(tracker.time_s(), None);
    /// tracker.push(walk(0.0)).unwrap();
    /// tracker.flush_step().unwrap();
    /// assert_eq!(tracker.time_s(), Some(0.0));
    /// ```
    pub fn time_s(&self) -> Option<f64> {
        (self.processed_t_s != NEVER).then_some(self.processed_t_s)
    }
    /// Latest arrival time seen, seconds; `None` before the first detection.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// tracker.push(walk(1.0).with_rx(1.25)).unwrap();
    /// assert_eq!(tracker.now_rx_s(), Some(1.25));
    /// ```
    pub fn now_rx_s(&self) -> Option<f64> {
        (self.now_rx_s != NEVER).then_some(self.now_rx_s)
    }
    /// Capture time of the earliest frame held in the reorder buffer.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// tracker.push(walk(2.0)).unwrap();
    /// tracker.push(walk(2.1)).unwrap();
    /// assert_eq!(tracker.earliest_pending_t_s(), Some(2.0));
    /// ```
    pub fn earliest_pending_t_s(&self) -> Option<f64> {
        self.buffer.earliest_t_s()
    }
    /// Capture time that the next [`Tracker::step`] would process, if any
    /// is ready.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// tracker.push(walk(2.0)).unwrap();
    /// assert_eq!(tracker.next_ready_t_s(), None); // held for max_lateness_s
    /// tracker.advance_to(2.5);
    /// assert_eq!(tracker.next_ready_t_s(), Some(2.0));
    /// ```
    pub fn next_ready_t_s(&self) -> Option<f64> {
        self.buffer.earliest_t_s().filter(|&t| t <= self.now_rx_s - self.config.max_lateness_s)
    }
    /// Detections and markers held in the reorder buffer.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// tracker.push(walk(0.0)).unwrap();
    /// assert_eq!(tracker.pending(), 1);
    /// tracker.flush_step().unwrap();
    /// assert_eq!(tracker.pending(), 0);
    /// ```
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }
    /// Every live track (tentative ones included), ordered by id.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// tracker.push(walk(0.0)).unwrap();
    /// tracker.flush_step().unwrap();
    /// assert_eq!(tracker.tracks().count(), 1);           // a tentative track
    /// assert_eq!(tracker.confirmed_tracks().count(), 0); // not reported yet
    /// ```
    pub fn tracks(&self) -> impl Iterator<Item = &Track> + '_ {
        self.tracks.iter()
    }
    /// The tracks reported to users: confirmed and observed within the last
    /// `coast_after_s` (status [`TrackStatus::Confirmed`]), ordered by id.
    /// Coasting tracks are in [`Tracker::tracks`].
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// for k in 0..3 { tracker.push(walk(k as f64 * 0.1)).unwrap(); }
    /// while tracker.flush_step().unwrap().is_some() {}
    /// assert_eq!(tracker.confirmed_tracks().count(), 1); // three hits confirm it
    /// ```
    pub fn confirmed_tracks(&self) -> impl Iterator<Item = &Track> + '_ {
        self.tracks.iter().filter(|t| t.status() == TrackStatus::Confirmed)
    }
    /// One live track by id.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// tracker.push(walk(0.0)).unwrap();
    /// tracker.flush_step().unwrap();
    /// let id = tracker.tracks().next().unwrap().id();
    /// assert_eq!(tracker.track(id).unwrap().hits(), 1);
    /// assert!(tracker.track(fusetrack::TrackId(999)).is_none());
    /// ```
    pub fn track(&self, id: TrackId) -> Option<&Track> {
        self.tracks.binary_search_by_key(&id, |t| t.id()).ok().map(|i| &self.tracks[i])
    }
    /// Events raised since the last drain, oldest first.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// tracker.push(walk(0.0)).unwrap();
    /// tracker.flush_step().unwrap();
    /// assert!(matches!(tracker.events()[0], fusetrack::Event::TrackBorn { .. }));
    /// ```
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    /// Removes and returns the events raised since the last drain.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// tracker.push(walk(0.0)).unwrap();
    /// tracker.flush_step().unwrap();
    /// assert_eq!(tracker.drain_events().count(), 1);
    /// assert!(tracker.events().is_empty());
    /// ```
    pub fn drain_events(&mut self) -> std::vec::Drain<'_, Event> {
        self.events.drain(..)
    }
    /// Cameras currently contributing to a track (updated it within
    /// `contribution_window_s` of the tracker time).
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// for k in 0..3 { tracker.push(walk(k as f64 * 0.1)).unwrap(); }
    /// while tracker.flush_step().unwrap().is_some() {}
    /// let track = tracker.confirmed_tracks().next().unwrap();
    /// assert_eq!(tracker.contributing_cameras(track).collect::<Vec<_>>(), vec![CameraId(0)]);
    /// ```
    pub fn contributing_cameras<'a>(
        &'a self,
        track: &'a Track,
    ) -> impl Iterator<Item = CameraId> + 'a {
        track.cameras_within(self.processed_t_s, self.config.contribution_window_s)
    }

    /// Takes one detection (or empty-frame marker), in arrival order.
    ///
    /// The detection is checked and mapped to the ground at once, then held
    /// in the reorder buffer until its capture time is released. A
    /// detection whose capture time has already been processed is counted
    /// as late (an [`Event::LateDetection`]) and not used; an exact repeat
    /// of one already received is counted and ignored.
    ///
    /// # Errors
    /// The detection is refused, and nothing else changes, when: its camera
    /// is unknown ([`Error::UnknownCamera`]); a time is not finite or a box
    /// is invalid ([`Error::InvalidField`]); the camera's capture time went
    /// backwards ([`Error::TimeWentBackwards`]); it cannot be placed on the
    /// ground, e.g. a box from a camera without calibration or above the
    /// horizon ([`Error::Unprojectable`]). Errors carry no file location;
    /// readers add it with [`Error::with_location`].
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// tracker.push(walk(0.0)).unwrap();
    /// // A camera the rig does not have: refused, nothing else changes.
    /// let stray = Detection::new(0.1, CameraId(7), Observation::World { position_m: [0.0, 0.0], cov_m2: None });
    /// assert!(tracker.push(stray).is_err());
    /// assert_eq!(tracker.stats().detections, 1);
    /// ```
    pub fn push(&mut self, det: Detection) -> Result<()> {
        self.push_ref(&det)
    }

    /// [`Tracker::push`] of a borrowed detection (it only reads it): the
    /// shards of a sharded tracker read their detections in place from a
    /// shared batch.
    pub(crate) fn push_ref(&mut self, det: &Detection) -> Result<()> {
        let cam_idx = det.camera.index();
        let Some(camera) = self.rig.get(det.camera) else {
            return Err(Error::UnknownCamera {
                at: Location::none(),
                camera: format!("#{}", det.camera.0),
            });
        };
        for (field, v) in [("t", det.t_s), ("rx", det.rx_s)] {
            if !v.is_finite() {
                return Err(Error::InvalidField {
                    at: Location::none(),
                    field: field.into(),
                    reason: format!("time must be a finite number, got {v}"),
                });
            }
        }
        let cam_state = &self.cameras[cam_idx];
        if let Some(last) = cam_state.last_t_s {
            if det.t_s < last {
                return Err(Error::TimeWentBackwards {
                    at: Location::none(),
                    camera: camera.name().to_string(),
                    t_s: det.t_s,
                    last_t_s: last,
                });
            }
        }
        // Exact bits: a repeat is the very same line sent twice.
        let key = match det.observation {
            Observation::BBox(b) => [b.x, b.y, b.w, b.h],
            Observation::World { position_m, .. } => [position_m[0], position_m[1], f64::NAN, 0.0],
            Observation::Empty => [f64::NAN; 4],
        }
        .map(f64::to_bits);
        let key = ObsKey(key);
        let kind = self.measure(camera, det)?;
        // Accepted from here on.
        self.now_rx_s = self.now_rx_s.max(det.rx_s);
        let cam_state = &mut self.cameras[cam_idx];
        cam_state.last_rx_s = Some(cam_state.last_rx_s.map_or(det.rx_s, |r| r.max(det.rx_s)));
        if cam_state.down {
            cam_state.down = false;
            self.events.push(Event::CameraUp { camera: det.camera, rx_s: det.rx_s });
        }
        if cam_state.last_t_s != Some(det.t_s) {
            if let Some(last) = cam_state.last_t_s {
                // Learn the frame interval (slowly; a missed frame is one outlier).
                let gap = det.t_s - last;
                if gap > 0.0 && gap.is_finite() {
                    cam_state.interval_s = Some(match cam_state.interval_s {
                        Some(i) => 0.9 * i + 0.1 * gap.min(4.0 * i),
                        None => gap,
                    });
                }
            }
            if let Some(prev) = cam_state.frame_rx_s {
                let gap = det.rx_s - prev;
                if gap.is_finite() && gap >= 0.0 {
                    let d = gap - cam_state.rx_gap_mean_s;
                    cam_state.rx_gap_mean_s += 0.1 * d;
                    cam_state.rx_gap_var_s2 = 0.9 * (cam_state.rx_gap_var_s2 + 0.1 * d * d);
                }
            }
            cam_state.frame_rx_s = Some(det.rx_s);
            cam_state.frame_obs.clear();
            cam_state.last_t_s = Some(det.t_s);
        }
        if !det.observation.is_empty() {
            // A repeat of an observation already in the frame is a
            // duplicate; beyond the flood limit anything new is dropped.
            // One hash lookup in the common case (`insert` says whether
            // the key was there).
            let full = cam_state.frame_obs.len() >= self.config.max_detections_per_frame as usize;
            let duplicate = if full {
                cam_state.frame_obs.contains(&key)
            } else {
                !cam_state.frame_obs.insert(key)
            };
            if duplicate {
                self.stats.duplicate_detections += 1;
                self.events.push(Event::DuplicateDetection { camera: det.camera, t_s: det.t_s });
                return Ok(());
            }
            if full {
                self.stats.flood_dropped += 1;
                return Ok(());
            }
            cam_state.detections += 1;
            self.stats.detections += 1;
        } else {
            self.stats.empty_frames += 1;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let pending = Pending { t_s: det.t_s, rx_s: det.rx_s, camera: det.camera, seq, kind };
        if det.t_s <= self.processed_t_s {
            if kind == PendingKind::Empty {
                return Ok(()); // a late empty frame only says the camera is alive
            }
            self.stats.late_detections += 1;
            let usable = self.config.late_policy == LatePolicy::OutOfSequence
                && self.processed_t_s - det.t_s <= self.config.max_oosm_age_s;
            if usable {
                if !self.keep_history {
                    self.start_history();
                }
                self.late.push(pending);
            } else {
                self.drop_late(&pending);
            }
            return Ok(());
        }
        self.buffer.push(pending);
        Ok(())
    }

    /// Starts keeping update histories: each track's history starts now.
    fn start_history(&mut self) {
        self.keep_history = true;
        for tr in &mut self.tracks {
            tr.restart_history();
        }
    }

    fn drop_late(&mut self, p: &Pending) {
        self.stats.late_dropped += 1;
        self.events.push(Event::LateDetection { camera: p.camera, t_s: p.t_s, rx_s: p.rx_s });
    }

    /// Maps a detection to a ground measurement (position and covariance).
    #[inline(always)]
    fn measure(&self, camera: &Camera, det: &Detection) -> Result<PendingKind> {
        let unprojectable = |reason: String| Error::Unprojectable {
            at: Location::none(),
            camera: camera.name().to_string(),
            reason,
        };
        match det.observation {
            Observation::Empty => Ok(PendingKind::Empty),
            Observation::BBox(b) => {
                if let Some(reason) = b.invalid_reason() {
                    return Err(Error::InvalidField {
                        at: Location::none(),
                        field: "bbox".into(),
                        reason: reason.into(),
                    });
                }
                if camera.kind() == CameraKind::WorldSensor {
                    return Err(unprojectable(
                        "the camera has no calibration, so its detections must carry `world`"
                            .into(),
                    ));
                }
                let sigma_px = camera.pixel_noise_px().unwrap_or(
                    (self.config.default_pixel_noise_per_box_height * b.h)
                        .max(self.config.min_pixel_noise_px),
                );
                let [fx, fy] = b.foot_point();
                let m = camera
                    .measure_foot_point(PixelPoint { x: fx, y: fy }, sigma_px)
                    .map_err(|e| unprojectable(e.to_string()))?;
                let kind = self.config.kind_of(det.class.as_deref());
                let model = self.config.model(kind);
                let floor2 = self.config.ground_noise_floor_m * self.config.ground_noise_floor_m;
                let mut z = m.position;
                let mut r = m.cov + Matrix2::identity() * floor2;
                // The box's bottom centre is the object's nearest edge: move
                // the point away from the camera to the footprint's centre.
                if let Some(c) = camera.centre_m() {
                    let ray = Vector2::new(z.x - c[0], z.y - c[1]);
                    let n = ray.norm();
                    if n > 1e-6 {
                        let u = ray / n;
                        z += u * model.foot_offset_m();
                        r += u * u.transpose() * model.foot_offset_var_m2();
                    }
                }
                if !(z.iter().all(|v| v.is_finite()) && spd2_inverse_det(&r).is_some()) {
                    return Err(unprojectable("ground position or covariance not finite".into()));
                }
                Ok(PendingKind::Ground { z, r, kind })
            }
            Observation::World { position_m, cov_m2 } => {
                if !(position_m[0].is_finite() && position_m[1].is_finite()) {
                    return Err(Error::InvalidField {
                        at: Location::none(),
                        field: "world".into(),
                        reason: "position must be finite numbers".into(),
                    });
                }
                let (r, valid) = match cov_m2 {
                    Some(c) => {
                        let r = Matrix2::new(c[0][0], c[0][1], c[1][0], c[1][1]);
                        let symmetric = (r[(0, 1)] - r[(1, 0)]).abs() <= 1e-9 * r.amax();
                        (r, symmetric && spd2_inverse_det(&r).is_some())
                    }
                    None => {
                        // v I is symmetric, and positive definite exactly
                        // when v is a positive number: the same verdict as
                        // the general test, without its square roots.
                        let v = self.config.world_sensor_std_m.powi(2);
                        (Matrix2::identity() * v, v.is_finite() && v > 0.0)
                    }
                };
                if !valid {
                    return Err(Error::InvalidField {
                        at: Location::none(),
                        field: "world_cov".into(),
                        reason: "must be a finite symmetric positive definite 2x2 matrix".into(),
                    });
                }
                let kind = self.config.kind_of(det.class.as_deref());
                Ok(PendingKind::Ground { z: Vector2::new(position_m[0], position_m[1]), r, kind })
            }
        }
    }

    /// Moves the arrival clock to `now_rx_s` without a detection (a live
    /// system calls this on a timer), so that frames held in the reorder
    /// buffer can be released by [`Tracker::step`].
    ///
    /// ```
    /// use fusetrack::{Tracker, TrackerConfig};
    /// use fusetrack::geometry::{Camera, CameraRig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// let mut t = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// t.advance_to(5.0);
    /// assert_eq!(t.now_rx_s(), Some(5.0));
    /// ```
    pub fn advance_to(&mut self, now_rx_s: f64) {
        if now_rx_s.is_finite() {
            self.now_rx_s = self.now_rx_s.max(now_rx_s);
        }
        self.check_cameras();
    }

    /// Reports cameras that have gone silent.
    fn check_cameras(&mut self) {
        let now = self.now_rx_s;
        for (i, c) in self.cameras.iter_mut().enumerate() {
            let (Some(last), Some(interval)) = (c.last_rx_s, c.interval_s) else { continue };
            // Several frame intervals, at least the minimum, and well beyond
            // the jitter of its arrivals.
            let jitter = c.rx_gap_mean_s + 4.0 * c.rx_gap_var_s2.sqrt();
            let limit = (self.config.camera_down_after_frames * interval)
                .max(self.config.camera_down_min_s)
                .max(jitter);
            if !c.down && now - last > limit {
                c.down = true;
                self.events.push(Event::CameraDown {
                    camera: CameraId(i as u32),
                    last_rx_s: last,
                    rx_s: now,
                });
            }
        }
    }

    /// True when the camera is reported down.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// for k in 0..10 { tracker.push(walk(k as f64 * 0.1)).unwrap(); }
    /// assert!(!tracker.camera_is_down(CameraId(0)));
    /// tracker.advance_to(10.0); // ten seconds of silence
    /// assert!(tracker.camera_is_down(CameraId(0)));
    /// ```
    pub fn camera_is_down(&self, camera: CameraId) -> bool {
        self.cameras.get(camera.index()).is_some_and(|c| c.down)
    }

    /// Processes the next capture time whose frames the reorder buffer may
    /// release (capture time at least `max_lateness_s` before the latest
    /// arrival time) and returns it; `None` when nothing is ready.
    ///
    /// After `Some(t)`, every track's state is at time `t`.
    ///
    /// # Errors
    /// Only an internal failure of the assignment solver; the tracker stays
    /// usable.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// tracker.push(walk(0.0).with_rx(0.05)).unwrap();
    /// assert_eq!(tracker.step().unwrap(), None); // held in the reorder buffer
    /// tracker.push(walk(0.5).with_rx(0.55)).unwrap();
    /// assert_eq!(tracker.step().unwrap(), Some(0.0));
    /// assert_eq!(tracker.step().unwrap(), None);
    /// ```
    pub fn step(&mut self) -> Result<Option<f64>> {
        self.check_cameras();
        self.process_late()?;
        if self.next_ready_t_s().is_none() {
            return Ok(None);
        }
        self.process_next()
    }

    /// Like [`Tracker::step`] but releases the next capture time whatever
    /// the arrival clock says: for the end of a recording.
    ///
    /// # Errors
    /// As [`Tracker::step`].
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// tracker.push(walk(0.0)).unwrap();
    /// tracker.push(walk(0.1)).unwrap();
    /// assert_eq!(tracker.flush_step().unwrap(), Some(0.0));
    /// assert_eq!(tracker.flush_step().unwrap(), Some(0.1));
    /// assert_eq!(tracker.flush_step().unwrap(), None);
    /// ```
    pub fn flush_step(&mut self) -> Result<Option<f64>> {
        self.process_late()?;
        self.process_next()
    }

    /// Applies now the detections that arrived after their time was
    /// processed ([`Tracker::step`] and [`Tracker::flush_step`] do it too),
    /// camera frame by camera frame, as out-of-sequence measurements; the
    /// tracks' time does not change. Call it when a late detection should
    /// count at once, e.g. before reading the tracks for an alert.
    ///
    /// # Errors
    /// As [`Tracker::step`].
    ///
    /// ```
    /// use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// let rig = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("b")]).unwrap();
    /// let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// let at = |t: f64, c: u32| Detection::new(t, CameraId(c), Observation::World { position_m: [t, 0.0], cov_m2: None });
    /// tracker.push(at(0.0, 0)).unwrap();
    /// tracker.push(at(1.0, 0)).unwrap();
    /// while tracker.flush_step().unwrap().is_some() {}
    /// tracker.push(at(0.5, 1).with_rx(1.3)).unwrap(); // camera b, late
    /// tracker.apply_late().unwrap();
    /// assert_eq!(tracker.stats().late_used, 1);
    /// assert_eq!(tracker.time_s(), Some(1.0));
    /// ```
    pub fn apply_late(&mut self) -> Result<()> {
        self.process_late()
    }

    fn process_late(&mut self) -> Result<()> {
        if self.late.is_empty() {
            return Ok(());
        }
        let mut s = std::mem::take(&mut self.scratch);
        s.frame.clear();
        s.frame.append(&mut self.late);
        s.frame.sort_unstable_by(|a, b| {
            a.t_s.total_cmp(&b.t_s).then(a.camera.cmp(&b.camera)).then(a.seq.cmp(&b.seq))
        });
        let mut result = Ok(());
        let mut start = 0;
        while start < s.frame.len() {
            let (cam, t) = (s.frame[start].camera, s.frame[start].t_s);
            let mut end = start;
            while end < s.frame.len() && s.frame[end].camera == cam && s.frame[end].t_s == t {
                end += 1;
            }
            if let Err(e) = self.process_camera_frame(cam, t, start, end, true, &mut s) {
                result = Err(e);
            }
            start = end;
        }
        s.frame.clear();
        self.scratch = s;
        result
    }

    /// Lets time pass to `t` without frames (a sharded tracker's shard
    /// whose cameras sent nothing for `t` while others did): applies late
    /// detections, then predicts and manages the tracks at `t`, as a step
    /// with no frames would, so that tracks of a shard gone dark are
    /// reported lost and ended on time. Nothing happens if `t` is not
    /// after the last processed time or frames before `t` are pending.
    pub(crate) fn pass_time(&mut self, t: f64) -> Result<()> {
        let result = self.process_late();
        let pending_before = self.buffer.earliest_t_s().is_some_and(|e| e < t);
        if t <= self.processed_t_s || pending_before || !t.is_finite() {
            return result;
        }
        let mut s = std::mem::take(&mut self.scratch);
        let dt_s = if self.processed_t_s != NEVER { t - self.processed_t_s } else { 0.0 };
        self.processed_t_s = t;
        self.stats.time_steps += 1;
        self.predict_all(t);
        self.manage(t, dt_s, false, &mut s);
        self.scratch = s;
        result
    }

    fn process_next(&mut self) -> Result<Option<f64>> {
        let mut s = std::mem::take(&mut self.scratch);
        let result = self.process_next_with(&mut s);
        self.scratch = s;
        result
    }

    fn process_next_with(&mut self, s: &mut Scratch) -> Result<Option<f64>> {
        let Some(t) = self.buffer.pop_time(&mut s.frame) else {
            return Ok(None);
        };
        let dt_s = if self.processed_t_s != NEVER { t - self.processed_t_s } else { 0.0 };
        self.processed_t_s = t;
        self.stats.time_steps += 1;
        self.predict_all(t);
        self.index_tracks(t, s);
        let mut start = 0;
        let mut result = Ok(());
        while start < s.frame.len() {
            let cam = s.frame[start].camera;
            let mut end = start;
            while end < s.frame.len() && s.frame[end].camera == cam {
                end += 1;
            }
            self.stats.frames += 1;
            if let Err(e) = self.process_camera_frame(cam, t, start, end, false, s) {
                result = Err(e);
            }
            start = end;
        }
        self.merge_duplicates(t, s);
        self.manage(t, dt_s, true, s);
        self.check_clocks(t, s);
        result.map(|()| Some(t))
    }

    /// With many tracks and several camera frames in one step, indexes the
    /// predicted positions once, so that each frame looks only at the
    /// tracks near its measurements instead of scanning them all.
    fn index_tracks(&self, t: f64, s: &mut Scratch) {
        let frames = s.frame.windows(2).filter(|w| w[0].camera != w[1].camera).count() + 1;
        s.step_indexed = 0;
        s.step_max_shift_m = [0.0; 2];
        if self.tracks.len() < self.config.step_index_min_tracks || frames < 2 {
            return;
        }
        s.step_points.clear();
        s.step_gate.clear();
        s.step_slot.clear();
        for tr in &self.tracks {
            s.step_points.push(tr.position());
            match self.gate_point(tr, t) {
                Some(g) => {
                    s.step_gate.push(g);
                    s.step_slot.push(stage_slot(tr.kind(), tr.status().is_confirmed()));
                }
                None => {
                    s.step_gate
                        .push(GatePoint { position: Vector2::zeros(), cov: Matrix2::zeros() });
                    s.step_slot.push(SKIP_SLOT);
                }
            }
        }
        let cap = self.config.person.max_gate_radius_m.max(self.config.vehicle.max_gate_radius_m);
        s.step_index.build(&s.step_points, cap);
        s.step_indexed = self.tracks.len();
    }

    /// Where a frame captured at `t` sees track `tr`: its state if `t` is
    /// not before the track's time, else its state retrodicted to `t`
    /// (`None` if `t` is beyond what the track can take out of sequence).
    fn gate_point(&self, tr: &Track, t: f64) -> Option<GatePoint> {
        if t >= tr.t_s() {
            Some(current_gate_point(tr))
        } else if t < tr.oosm_horizon_s() {
            None
        } else {
            retrodicted(tr.state(), &self.config.model(tr.kind()).motion, tr.t_s() - t)
        }
    }

    /// Predicts every track to `t`. Tracks are independent, so with the
    /// `parallel` feature large track sets are predicted on rayon's pool;
    /// the result is the same whatever the number of threads.
    fn predict_all(&mut self, t: f64) {
        let (person, vehicle) = (self.config.person.motion, self.config.vehicle.motion);
        let predict_one = |tr: &mut Track| -> u64 {
            let dt = t - tr.t_s();
            if dt <= 0.0 {
                return 0;
            }
            let model = if tr.kind() == ObjectKind::Vehicle { vehicle } else { person };
            let failed = tr.state_mut().predict(&model, dt).is_err();
            tr.set_state_time(t);
            u64::from(failed)
        };
        #[cfg(feature = "parallel")]
        let failures: u64 = if self.parallel_inside && self.tracks.len() >= PARALLEL_MIN_TRACKS {
            use rayon::prelude::*;
            self.tracks.par_iter_mut().with_min_len(1024).map(predict_one).sum()
        } else {
            self.tracks.iter_mut().map(predict_one).sum()
        };
        #[cfg(not(feature = "parallel"))]
        let failures: u64 = self.tracks.iter_mut().map(predict_one).sum();
        self.stats.numerical_failures += failures;
    }

    fn process_camera_frame(
        &mut self,
        cam: CameraId,
        t: f64,
        start: usize,
        end: usize,
        late: bool,
        s: &mut Scratch,
    ) -> Result<()> {
        s.meas.clear();
        let rx = s.frame[start..end].iter().map(|p| p.rx_s).fold(f64::NEG_INFINITY, f64::max);
        for p in &s.frame[start..end] {
            if let PendingKind::Ground { z, r, kind } = p.kind {
                s.meas.push((GatePoint { position: z, cov: r }, kind));
            }
        }
        // A canonical order makes the result independent of arrival order
        // within the frame, track ids included: by kind, then position (x,
        // then y) and covariance. Measured cheapest: sort plain integers,
        // each the leading bits of x's total-order key above the
        // measurement's index, so that an integer comparison decides almost
        // every pair; the rare runs that agree on those bits are sorted
        // again by the full key; the kinds are gathered one after the other
        // (a stable pass), as the full key has the kind first.
        let n = s.meas.len();
        let idx_bits = (usize::BITS - n.leading_zeros()).max(1);
        let idx_mask = (1u64 << idx_bits) - 1;
        s.meas_keys.clear();
        s.meas_keys.extend(s.meas.iter().enumerate().map(|(i, (g, _))| {
            let x = (total_order_key(g.position.x) as u64) ^ (1 << 63);
            (x >> idx_bits << idx_bits) | i as u64
        }));
        s.meas_keys.sort_unstable();
        let mut a = 0;
        while a < n {
            let mut b = a + 1;
            while b < n && (s.meas_keys[a] ^ s.meas_keys[b]) & !idx_mask == 0 {
                b += 1;
            }
            if b - a > 1 {
                let meas = &s.meas;
                s.meas_keys[a..b].sort_unstable_by(|&p, &q| {
                    let (p, q) = (&meas[(p & idx_mask) as usize], &meas[(q & idx_mask) as usize]);
                    let (x, y) = (&p.0.cov, &q.0.cov);
                    p.1.cmp(&q.1)
                        .then(p.0.position.x.total_cmp(&q.0.position.x))
                        .then(p.0.position.y.total_cmp(&q.0.position.y))
                        .then(x[(0, 0)].total_cmp(&y[(0, 0)]))
                        .then(x[(1, 1)].total_cmp(&y[(1, 1)]))
                        .then(x[(0, 1)].total_cmp(&y[(0, 1)]))
                });
            }
            a = b;
        }
        s.meas_sorted.clear();
        let meas = &s.meas;
        let at = |k: &u64| meas[(*k & idx_mask) as usize];
        if meas.iter().all(|m| m.1 == meas[0].1) {
            // One kind (the common case): a plain gather.
            s.meas_sorted.extend(s.meas_keys.iter().map(at));
        } else {
            for kind in ObjectKind::ALL {
                s.meas_sorted.extend(s.meas_keys.iter().map(at).filter(|m| m.1 == kind));
            }
        }
        std::mem::swap(&mut s.meas, &mut s.meas_sorted);
        s.meas_used.clear();
        s.meas_used.resize(s.meas.len(), false);
        let mut result = Ok(());
        // Only tracks within the gate's cap of some measurement of their kind
        // can be gated: one pass over the tracks picks them, with the box
        // around the frame's measurements widened by the cap, so that a
        // camera frame does not cost as much as all the tracks.
        let mut boxes = [([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]); 2];
        for (m, k) in &s.meas {
            let b = &mut boxes[usize::from(*k == ObjectKind::Vehicle)];
            b.0 = [b.0[0].min(m.position.x), b.0[1].min(m.position.y)];
            b.1 = [b.1[0].max(m.position.x), b.1[1].max(m.position.y)];
        }
        // Per kind: the box around the frame's measurements of that kind,
        // widened by the kind's gate cap (empty if none of that kind).
        let caps = [self.config.person.max_gate_radius_m, self.config.vehicle.max_gate_radius_m];
        let reach = [0, 1].map(|k| {
            let (lo, hi) = boxes[k];
            ([lo[0] - caps[k], lo[1] - caps[k]], [hi[0] + caps[k], hi[1] + caps[k]])
        });
        let near = |kind: ObjectKind, p: &Vector2<f64>| {
            let (lo, hi) = reach[usize::from(kind == ObjectKind::Vehicle)];
            p.x >= lo[0] && p.x <= hi[0] && p.y >= lo[1] && p.y <= hi[1]
        };
        s.candidates.clear();
        s.near_tracks.clear();
        let use_index = s.step_indexed > 0 && !late;
        if use_index {
            // The step indexed the tracks: look only at those near the
            // frame, and at those born since (not indexed). Tracks updated
            // earlier in the step have moved from their indexed positions
            // by at most `step_max_shift_m` along each axis: the query box
            // is widened by that much, so the choice is exact. Their current gate points
            // are in the step's compact arrays.
            self.stats.indexed_frames += 1;
            let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
            for (rlo, rhi) in reach {
                if rlo[0] <= rhi[0] {
                    lo = [lo[0].min(rlo[0]), lo[1].min(rlo[1])];
                    hi = [hi[0].max(rhi[0]), hi[1].max(rhi[1])];
                }
            }
            let w = s.step_max_shift_m.map(|d| d + 1e-9);
            s.step_index.within_box(
                &s.step_points,
                [lo[0] - w[0], lo[1] - w[1]],
                [hi[0] + w[0], hi[1] + w[1]],
                &mut s.near_tracks,
            );
            sort_distinct_indices(&mut s.near_tracks, s.step_indexed, &mut s.near_bits);
            for &i in &s.near_tracks {
                let sl = s.step_slot[i as usize];
                if sl == SKIP_SLOT {
                    continue;
                }
                let g = s.step_gate[i as usize];
                let kind = if sl >= 2 { ObjectKind::Vehicle } else { ObjectKind::Person };
                if near(kind, &g.position) {
                    s.candidates.push((sl, g, i));
                }
            }
        }
        let first = if use_index { s.step_indexed } else { 0 };
        for (i, tr) in self.tracks.iter().enumerate().skip(first) {
            let kind = tr.kind();
            if boxes[usize::from(kind == ObjectKind::Vehicle)].0[0] == f64::INFINITY {
                continue; // no measurement of this kind in the frame
            }
            let Some(g) = self.gate_point(tr, t) else { continue };
            if near(kind, &g.position) {
                s.candidates.push((stage_slot(kind, tr.status().is_confirmed()), g, i as u32));
            }
        }
        // Each kind of object is associated with tracks of its kind only;
        // confirmed tracks first, then tentative ones.
        for (kind, stage_confirmed) in
            ObjectKind::ALL.into_iter().flat_map(|k| [(k, true), (k, false)])
        {
            if !s.meas.iter().any(|m| m.1 == kind) {
                continue;
            }
            let params = GateParams {
                gate_d2: self.config.gate_d2(),
                max_radius_m: self.config.model(kind).max_gate_radius_m,
            };
            s.stage_meas.clear();
            s.stage_meas_idx.clear();
            for (i, (m, k)) in s.meas.iter().enumerate() {
                if !s.meas_used[i] && *k == kind {
                    s.stage_meas.push(*m);
                    s.stage_meas_idx.push(i as u32);
                }
            }
            s.gate_tracks.clear();
            s.gate_track_idx.clear();
            let want = stage_slot(kind, stage_confirmed);
            for &(sl, g, i) in &s.candidates {
                if sl == want {
                    s.gate_tracks.push(g);
                    s.gate_track_idx.push(i);
                }
            }
            if s.gate_tracks.is_empty() || s.stage_meas.is_empty() {
                continue;
            }
            s.pairs.clear();
            let gs = s.gate.gate(&s.gate_tracks, &s.stage_meas, &params, &mut s.pairs);
            self.stats.candidate_pairs += gs.candidate_pairs;
            self.stats.gated_pairs += gs.gated_pairs;
            match s.assoc.associate(
                s.gate_tracks.len(),
                s.stage_meas.len(),
                &s.pairs,
                self.config.association,
                &mut s.assigned,
            ) {
                Ok(st) => self.stats.components += st.components,
                Err(e) => {
                    s.assigned.clear();
                    result = Err(e);
                }
            }
            // Only when the tracks outgrow a core's cache: below, the hints
            // would cost instructions for lines already there.
            let prefetch = self.tracks.len() * size_of::<Track>() > PREFETCH_MIN_BYTES;
            for (k, &(ti, mi)) in s.assigned.iter().enumerate() {
                // The loads of an update a few pairs ahead start now (a
                // cache hint: with tracks beyond the cache, each update
                // would otherwise wait for its track to come from memory).
                if let Some(&(tn, mn)) = s.assigned.get(k + PREFETCH_AHEAD).filter(|_| prefetch) {
                    let tn = s.gate_track_idx[tn as usize] as usize;
                    crate::prefetch::prefetch_prefix(&self.tracks, tn, crate::track::HOT_BYTES);
                    crate::prefetch::prefetch_item(&s.step_points, tn);
                    crate::prefetch::prefetch_item(&s.step_gate, tn);
                    let mn = s.stage_meas_idx[mn as usize] as usize;
                    crate::prefetch::prefetch_item(&s.meas, mn);
                }
                let track_i = s.gate_track_idx[ti as usize] as usize;
                let meas_i = s.stage_meas_idx[mi as usize] as usize;
                let m = s.meas[meas_i].0;
                if self.update_track(track_i, cam, t, rx, &m) {
                    s.meas_used[meas_i] = true;
                    if track_i < s.step_indexed {
                        // Keep the step's compact copy current.
                        let tr = &self.tracks[track_i];
                        let p0 = s.step_points[track_i];
                        let [x, y] = tr.position();
                        let shift = &mut s.step_max_shift_m;
                        *shift = [shift[0].max((x - p0[0]).abs()), shift[1].max((y - p0[1]).abs())];
                        s.step_gate[track_i] = current_gate_point(tr);
                        s.step_slot[track_i] = stage_slot(tr.kind(), tr.status().is_confirmed());
                    }
                    self.stats.detections_associated += 1;
                    if late {
                        self.stats.late_used += 1;
                    }
                }
            }
        }
        for i in 0..s.meas.len() {
            if !s.meas_used[i] {
                let (m, kind) = s.meas[i];
                let born = self.birth(cam, t, rx, &m, kind);
                if late {
                    if born {
                        self.stats.late_used += 1;
                    } else {
                        self.stats.late_unmatched += 1;
                    }
                }
            }
        }
        result
    }

    /// Kalman update of one track (out of sequence when `t` is before the
    /// track's time); false if refused.
    fn update_track(&mut self, i: usize, cam: CameraId, t: f64, rx: f64, m: &GatePoint) -> bool {
        let cfg = &self.config;
        let model = cfg.model(self.tracks[i].kind()).motion;
        let late = t < self.tracks[i].t_s();
        let tr = &mut self.tracks[i];
        if late {
            match tr.apply_out_of_sequence(&model, t, &m.position, &m.cov) {
                OosmOutcome::Applied => {}
                OosmOutcome::TooOld | OosmOutcome::Failed => return false,
            }
        } else {
            let before = *tr.state();
            match tr.state_mut().update_y(&m.position, &m.cov) {
                Err(_) => {
                    self.stats.numerical_failures += 1;
                    return false;
                }
                Ok(y) => {
                    if self.keep_history {
                        tr.remember_update(&model, t, &m.position, &m.cov, cfg.max_oosm_age_s);
                    }
                    // Clock check: only moving tracks that other cameras also feed.
                    let v = before.velocity();
                    let others =
                        tr.contributions().iter().any(|c| c.camera != cam && t - c.t_s <= 1.0);
                    if tr.status() == TrackStatus::Confirmed && others && v.norm() > 0.5 {
                        let c = &mut self.cameras[cam.index()];
                        const FORGET: f64 = 0.995;
                        c.clock_yv = FORGET * c.clock_yv + y.dot(&v);
                        c.clock_vv = FORGET * c.clock_vv + v.dot(&v);
                        c.clock_yy = FORGET * c.clock_yy + y.dot(&y);
                        c.clock_n = FORGET * c.clock_n + 1.0;
                    }
                }
            }
        }
        let tr = &mut self.tracks[i];
        tr.last_update_rx_s = tr.last_update_rx_s.max(rx);
        let informative = crate::filter::max_eigenvalue2(&m.cov).sqrt() <= cfg.max_birth_std_m;
        let enough = tr.record_hit(cam, t, cfg.confirm_hits, cfg.confirm_window_s, informative);
        let id = tr.id();
        self.events.push(Event::TrackUpdated { track: id, t_s: t, camera: cam });
        match tr.status() {
            TrackStatus::Tentative if enough => {
                tr.set_status(TrackStatus::Confirmed);
                self.stats.tracks_confirmed += 1;
                self.events.push(Event::TrackConfirmed { track: id, t_s: t });
            }
            TrackStatus::Coasting => {
                tr.set_status(TrackStatus::Confirmed);
                self.events.push(Event::TrackRecovered { track: id, t_s: t });
            }
            _ => {}
        }
        true
    }

    /// Starts a tentative track; false if the measurement is too vague.
    fn birth(&mut self, cam: CameraId, t: f64, rx: f64, m: &GatePoint, kind: ObjectKind) -> bool {
        if crate::filter::max_eigenvalue2(&m.cov).sqrt() > self.config.max_birth_std_m {
            self.stats.too_vague_to_start += 1;
            return false;
        }
        let v2 = self.config.model(kind).initial_velocity_std_m_per_s.powi(2);
        let x = Vector4::new(m.position.x, m.position.y, 0.0, 0.0);
        let mut p = Matrix4::zeros();
        p.fixed_view_mut::<2, 2>(0, 0).copy_from(&m.cov);
        p[(2, 2)] = v2;
        p[(3, 3)] = v2;
        let Ok(state) = KalmanState::new(x, p) else {
            self.stats.numerical_failures += 1;
            return false;
        };
        let id = TrackId(self.next_track_id);
        self.next_track_id += self.id_step;
        let mut tr = Track::with_history(
            id,
            kind,
            t,
            state,
            self.config.confirm_hits,
            self.config.oosm_history_len,
        );
        let enough =
            tr.record_hit(cam, t, self.config.confirm_hits, self.config.confirm_window_s, true);
        tr.last_update_rx_s = rx;
        if t < self.processed_t_s {
            // Born from a late detection: bring it to the present.
            let model = self.config.model(kind).motion;
            if tr.state_mut().predict(&model, self.processed_t_s - t).is_err() {
                self.stats.numerical_failures += 1;
                return false;
            }
            tr.set_state_time(self.processed_t_s);
        }
        self.stats.tracks_born += 1;
        self.events.push(Event::TrackBorn { track: id, t_s: t, position_m: [x[0], x[1]] });
        if enough {
            tr.set_status(TrackStatus::Confirmed);
            self.stats.tracks_confirmed += 1;
            self.events.push(Event::TrackConfirmed { track: id, t_s: t });
        }
        self.tracks.push(tr);
        true
    }

    /// Reports cameras whose detections lead or lag the tracks as if their
    /// clocks were off. The innovation of a track moving at velocity `v`,
    /// updated by a camera whose clock is ahead by `d`, is about `-v d`
    /// relative to the track, so `e = -Σ yᵀv / Σ vᵀv` over many updates
    /// (exponentially forgotten) estimates `d` minus the tracks' own bias,
    /// which is pulled by every camera that feeds them. The median over the
    /// cameras is taken as the common reference: a camera is reported when
    /// its estimate is off the median by more than `clock_offset_alarm_s`.
    /// With fewer than three cameras to compare, nobody can be blamed and
    /// nothing is reported. Runs at most once per second of capture time.
    fn check_clocks(&mut self, t: f64, s: &mut Scratch) {
        if t - self.last_clock_check_t_s < 1.0 {
            return;
        }
        self.last_clock_check_t_s = t;
        s.clock.clear();
        for (i, c) in self.cameras.iter().enumerate() {
            if c.clock_n >= 50.0 && c.clock_vv > 0.0 {
                let e = -c.clock_yv / c.clock_vv;
                // Standard error of the least-squares slope: residual
                // variance per update over Σ vᵀv.
                let resid = (c.clock_yy - e * e * c.clock_vv).max(0.0) / c.clock_n;
                s.clock.push((i, e, (resid / c.clock_vv).sqrt()));
            }
        }
        if s.clock.len() < 3 {
            return;
        }
        s.clock_sorted.clear();
        s.clock_sorted.extend(s.clock.iter().map(|c| c.1));
        s.clock_sorted.sort_unstable_by(f64::total_cmp);
        let n = s.clock_sorted.len();
        let median = if n % 2 == 1 {
            s.clock_sorted[n / 2]
        } else {
            0.5 * (s.clock_sorted[n / 2 - 1] + s.clock_sorted[n / 2])
        };
        let alarm = self.config.clock_offset_alarm_s;
        for &(i, e, se) in &s.clock {
            let offset = e - median;
            let c = &mut self.cameras[i];
            // Hysteresis: report above the alarm (and three standard errors,
            // so that a few noisy updates at start-up do not raise it),
            // clear below half of it.
            let suspect = if c.clock_suspect {
                offset.abs() > 0.5 * alarm
            } else {
                offset.abs() > alarm && offset.abs() > 3.0 * se
            };
            if suspect != c.clock_suspect {
                c.clock_suspect = suspect;
                self.events.push(Event::CameraClockOffset {
                    camera: CameraId(i as u32),
                    offset_s: offset,
                    suspect,
                    rx_s: self.now_rx_s,
                });
            }
        }
    }

    /// Estimated clock offset of a camera relative to the tracks it feeds
    /// (camera clock minus track time), seconds, once enough moving tracks
    /// have been seen by it and others. [`Event::CameraClockOffset`] reports
    /// it relative to the median camera.
    ///
    /// ```
    /// # use fusetrack::{CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
    /// # let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
    /// # let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
    /// # let walk = |t: f64| Detection::new(t, CameraId(0), Observation::World { position_m: [1.3 * t, 0.0], cov_m2: None });
    /// // Too little seen so far to say anything.
    /// tracker.push(walk(0.0)).unwrap();
    /// assert_eq!(tracker.camera_clock_offset_s(CameraId(0)), None);
    /// ```
    pub fn camera_clock_offset_s(&self, camera: CameraId) -> Option<f64> {
        let c = self.cameras.get(camera.index())?;
        (c.clock_n >= 50.0 && c.clock_vv > 0.0).then(|| -c.clock_yv / c.clock_vv)
    }

    /// Finds pairs of tracks that describe one object and merges them.
    fn merge_duplicates(&mut self, t: f64, s: &mut Scratch) {
        let n = self.tracks.len();
        s.reset_candidates = false;
        s.remove.clear();
        s.remove.resize(n, false);
        s.candidate_seen.clear();
        s.candidate_seen.resize(n, false);
        if n < 2 {
            return;
        }
        s.points.clear();
        s.points.extend(self.tracks.iter().map(|tr| tr.position()));
        if s.points.iter().any(|p| !(p[0].is_finite() && p[1].is_finite())) {
            return;
        }
        let radius = self.config.merge_max_distance_m;
        // Cells twice the radius: every pair within it lies in the same or
        // neighbouring cells, found by one sweep of the grid (each pair once).
        s.grid.build(&s.points, 2.0 * radius);
        let gate = self.config.merge_d2();
        s.merge_pairs.clear();
        let tracks = &self.tracks;
        s.grid.for_each_pair_within(&s.points, radius, |i, j| {
            let (a, b) = (&tracks[i as usize], &tracks[j as usize]);
            // Only tracks touched now can have become duplicates.
            if (a.last_update_t_s() != t && b.last_update_t_s() != t) || a.kind() != b.kind() {
                return;
            }
            // Symmetric in `a` and `b`: the pair's order does not matter.
            let Some((dp2, dv2)) = a.compatibility_d2(b) else { return };
            if dp2 > gate || dv2 > gate || a.co_observed_with(b) {
                return;
            }
            s.merge_pairs.push((dp2, i.min(j), i.max(j)));
        });
        s.merge_pairs
            .sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for k in 0..s.merge_pairs.len() {
            let (_, a, b) = s.merge_pairs[k];
            let (a, b) = (a as usize, b as usize);
            if s.remove[a] || s.remove[b] {
                continue;
            }
            // The senior is the reported one, else the older (lower id; tracks are ordered by id).
            let (senior, junior) = match (
                self.tracks[a].status().is_confirmed(),
                self.tracks[b].status().is_confirmed(),
            ) {
                (false, true) => (b, a),
                _ => (a, b),
            };
            let merge_now = if self.tracks[junior].status().is_confirmed() {
                s.candidate_seen[junior] = true;
                let senior_id = self.tracks[senior].id();
                match self.tracks[junior].merge_candidate {
                    Some((id, since)) if id == senior_id => t - since >= self.config.merge_after_s,
                    _ => {
                        self.tracks[junior].merge_candidate = Some((senior_id, t));
                        false
                    }
                }
            } else {
                true
            };
            if merge_now {
                let junior_track = self.tracks[junior].clone();
                self.tracks[senior].absorb_contributions(&junior_track);
                s.remove[junior] = true;
                self.stats.tracks_merged += 1;
                let into = self.tracks[senior].id();
                let (id, was_confirmed) = (junior_track.id(), junior_track.was_confirmed());
                self.end_event(id, was_confirmed, t, EndReason::Merged { into });
            }
        }
        // Tracks updated now that are no longer compatible with their
        // candidate drop it; `manage` does this in its pass over the tracks,
        // and removes the merged tracks with the ended ones (one move of
        // the tracks after the first removed instead of two).
        s.reset_candidates = true;
    }

    fn end_event(&mut self, track: TrackId, was_confirmed: bool, t: f64, reason: EndReason) {
        self.stats.tracks_ended += 1;
        self.events.push(Event::TrackEnded { track, t_s: t, reason, was_confirmed });
    }

    /// Confirms, coasts and ends tracks at time `t`.
    ///
    /// "Unobserved" is the smaller of the capture time since the latest
    /// update and the arrival time since it (less the reorder window), so
    /// that a track seen only by a late camera is judged by when its
    /// detections arrive.
    ///
    /// A reported track is ended when it has spent more than
    /// `delete_after_in_coverage_s` unobserved while inside some camera's
    /// coverage (where it should have been seen), or more than
    /// `delete_after_out_of_coverage_s` unobserved in all (the bounded
    /// allowance for blind spots), or when its position has become too
    /// uncertain. Time in a blind spot does not count against the first
    /// limit, so a walker crossing from one camera's view into another's
    /// keeps its track.
    ///
    /// With `after_merge`, the tracks [`Tracker::merge_duplicates`] marked
    /// in `s.remove` are removed too, and its merge-candidate resets done.
    fn manage(&mut self, t: f64, dt_s: f64, after_merge: bool, s: &mut Scratch) {
        let cfg = ManageLimits::from(&self.config);
        if !after_merge {
            s.remove.clear();
            s.remove.resize(self.tracks.len(), false);
            s.reset_candidates = false;
        }
        for i in 0..self.tracks.len() {
            if s.remove[i] {
                continue; // merged into another track
            }
            if s.reset_candidates && !s.candidate_seen[i] && self.tracks[i].last_update_t_s() == t {
                self.tracks[i].merge_candidate = None;
            }
            let tr = &self.tracks[i];
            // Time since the track was last observed, on whichever clock is
            // kinder: a track fed only by a camera a second late is not
            // unobserved for that second, its detections are on their way.
            let unobserved = (t - tr.last_update_t_s())
                .min(self.now_rx_s - cfg.max_lateness_s - tr.last_update_rx_s())
                .max(0.0);
            // Coverage is looked up only for tracks that may be missing (a
            // polygon test per camera is the costly part of a step at city
            // scale): a confirmed track becomes a candidate when it coasts,
            // and is then credited with the whole time since its last update
            // if it is inside a live camera's view.
            let candidate = match tr.status() {
                TrackStatus::Coasting => true,
                TrackStatus::Confirmed => unobserved > self.config.coast_after_s,
                TrackStatus::Tentative => false,
            };
            if candidate {
                let [x, y] = tr.position();
                let cameras = &self.cameras;
                if self.rig.cameras_seeing(GroundPoint { x, y }).any(|c| !cameras[c.index()].down) {
                    let credit = if tr.status() == TrackStatus::Coasting {
                        dt_s.min(unobserved)
                    } else {
                        unobserved
                    };
                    self.tracks[i].unobserved_in_coverage_s += credit;
                }
            }
            let tr = &self.tracks[i];
            let reason = if !tr.state().is_valid() {
                Some(EndReason::NumericalFailure)
            } else {
                match tr.status() {
                    TrackStatus::Tentative => {
                        (unobserved > cfg.tentative_timeout_s).then_some(EndReason::NotConfirmed)
                    }
                    TrackStatus::Confirmed | TrackStatus::Coasting => {
                        if tr.position_std_max_m() > cfg.max_position_std_m {
                            Some(EndReason::TooUncertain)
                        } else if tr.unobserved_in_coverage_s > cfg.delete_after_in_coverage_s
                            || unobserved > cfg.delete_after_out_of_coverage_s
                        {
                            Some(EndReason::Unobserved)
                        } else {
                            None
                        }
                    }
                }
            };
            if let Some(reason) = reason {
                let (id, was_confirmed) = (tr.id(), tr.was_confirmed());
                self.end_event(id, was_confirmed, t, reason);
                s.remove[i] = true;
                continue;
            }
            if self.tracks[i].status() == TrackStatus::Confirmed
                && unobserved > self.config.coast_after_s
            {
                let id = self.tracks[i].id();
                self.tracks[i].set_status(TrackStatus::Coasting);
                self.events.push(Event::TrackLost { track: id, t_s: t });
            }
        }
        let mut k = 0;
        self.tracks.retain(|_| {
            k += 1;
            !s.remove[k - 1]
        });
    }
}

#[cfg(test)]
mod tests {
    use super::sort_distinct_indices;

    /// Both ways (bit set for many indices, sort for few) give the sorted
    /// indices.
    #[test]
    fn distinct_indices_come_out_sorted_either_way() {
        let mut bits = Vec::new();
        for (universe, step) in [(1000usize, 1u32), (1000, 7), (100_000, 997), (64, 3), (65, 64)] {
            let mut want: Vec<u32> = (0..universe as u32).step_by(step as usize).collect();
            // A scrambled order of the same indices.
            let mut ids = want.clone();
            ids.reverse();
            ids.rotate_left(want.len() / 3);
            sort_distinct_indices(&mut ids, universe, &mut bits);
            want.sort_unstable();
            assert_eq!(ids, want, "universe {universe}, every {step}th");
        }
        let mut empty = Vec::new();
        sort_distinct_indices(&mut empty, 10, &mut bits);
        assert!(empty.is_empty());
    }
}
