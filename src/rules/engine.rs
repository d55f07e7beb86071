//! The alert engine: turns the tracker's tracks into alerts, once per
//! incident, with an `ended` notice.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::scene::{Condition, ConditionKind, CrossingDirection, SceneRules, Severity};
use crate::association::spatial::GridIndex;
use crate::config::ObjectKind;
use crate::filter::KalmanState;
use crate::ids::TrackId;
use crate::io::AlertRow;
use crate::sharded::ShardedTracker;
use crate::track::{Track, TrackStatus};
use crate::tracker::Tracker;

/// One track as the engine sees it: its reported id, the state that stands
/// for it, its status and when it was first seen (for a sharded tracker's
/// global track, the group's, not its representative's).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seen<'a> {
    pub(crate) id: TrackId,
    pub(crate) track: &'a Track,
    /// The estimate the rules read (a group's fused one).
    pub(crate) state: KalmanState,
    pub(crate) status: TrackStatus,
    pub(crate) born_t_s: f64,
}

/// What the engine reads of a tracker.
pub(crate) trait TrackSource {
    /// Latest capture time processed.
    fn time_s(&self) -> Option<f64>;
    /// Latest arrival time seen.
    fn now_rx_s(&self) -> Option<f64>;
    /// Every live track, in id order, appended to `out`.
    fn seen<'a>(&'a self, out: &mut Vec<Seen<'a>>);
    /// Names of the cameras that contributed to a track recently.
    fn camera_names(&self, seen: &Seen<'_>) -> Vec<String>;
}

impl TrackSource for Tracker {
    fn time_s(&self) -> Option<f64> {
        Tracker::time_s(self)
    }
    fn now_rx_s(&self) -> Option<f64> {
        Tracker::now_rx_s(self)
    }
    fn seen<'a>(&'a self, out: &mut Vec<Seen<'a>>) {
        out.extend(self.tracks().map(|t| Seen {
            id: t.id(),
            track: t,
            state: *t.state(),
            status: t.status(),
            born_t_s: t.born_t_s(),
        }));
    }
    fn camera_names(&self, seen: &Seen<'_>) -> Vec<String> {
        self.contributing_cameras(seen.track)
            .filter_map(|c| self.rig().get(c).map(|cam| cam.name().to_string()))
            .collect()
    }
}

impl TrackSource for ShardedTracker {
    fn time_s(&self) -> Option<f64> {
        ShardedTracker::time_s(self)
    }
    fn now_rx_s(&self) -> Option<f64> {
        ShardedTracker::now_rx_s(self)
    }
    fn seen<'a>(&'a self, out: &mut Vec<Seen<'a>>) {
        out.extend(self.tracks().map(|t| Seen {
            id: t.id(),
            track: t.track(),
            state: *t.state(),
            status: t.status(),
            born_t_s: t.born_t_s(),
        }));
    }
    fn camera_names(&self, seen: &Seen<'_>) -> Vec<String> {
        self.contributing_cameras(seen.id)
            .into_iter()
            .filter_map(|c| self.rig().get(c).map(|cam| cam.name().to_string()))
            .collect()
    }
}

/// Whether an [`Alert`] starts or ends an incident.
///
/// ```
/// use fusetrack::rules::AlertPhase;
/// assert_eq!(serde_json::to_string(&AlertPhase::Ended).unwrap(), "\"ended\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertPhase {
    /// The situation has become certain: the alert proper.
    Raised,
    /// The situation is over (the track left, stopped, ended).
    Ended,
}

/// An alert raised (or ended) by a rule about one track.
///
/// ```
/// use fusetrack::rules::{Alert, AlertPhase, Severity};
/// use fusetrack::TrackId;
/// let a = Alert {
///     kind: "zone_entered".into(), rule: "jewel-after-hours".into(), severity: Severity::High,
///     track: TrackId(3), zone: Some("jewel-room".into()), x: 3.49, y: -1.22,
///     t_s: 12.4, emitted_s: 12.75, cameras: vec!["gallery-1".into()], phase: AlertPhase::Raised,
/// };
/// assert!((a.time_to_alert_s() - 0.35).abs() < 1e-12);
/// let row = a.to_row();
/// assert_eq!(row.severity, "high");
/// assert_eq!(row.rule.as_deref(), Some("jewel-after-hours"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// What the track did: the rule's `alert`, or the kind of the condition
    /// that raised it (`zone_entered`, `tripwire_crossed`, `loitering`,
    /// `running`, `vehicle_stopped`, `converging`, `unusual_movement`).
    pub kind: String,
    /// The rule's name.
    pub rule: String,
    /// The rule's severity.
    pub severity: Severity,
    /// The track.
    pub track: TrackId,
    /// The zone of the condition, where it has one.
    pub zone: Option<String>,
    /// Track position x at `t_s`, metres.
    pub x: f64,
    /// Track position y at `t_s`, metres.
    pub y: f64,
    /// Raised: capture time of the first evidence (the moment the track
    /// entered the zone, crossed the line, started running, ...). Ended:
    /// capture time at which the end was established (after hysteresis).
    pub t_s: f64,
    /// Arrival-clock time at which the engine knew it (the tracker's
    /// [`now_rx_s`](Tracker::now_rx_s) at that step), seconds.
    pub emitted_s: f64,
    /// Names of the cameras contributing to the track at that step.
    pub cameras: Vec<String>,
    /// Raised or ended.
    pub phase: AlertPhase,
}

impl Alert {
    /// `emitted_s - t_s`: how long after the first evidence the alert came,
    /// seconds (for an ended notice: how long after the end was established).
    ///
    /// ```
    /// use fusetrack::rules::{Alert, AlertPhase, Severity};
    /// use fusetrack::TrackId;
    /// let a = Alert {
    ///     kind: "running".into(), rule: "no-running".into(), severity: Severity::Medium,
    ///     track: TrackId(8), zone: None, x: 1.0, y: 2.0,
    ///     t_s: 40.0, emitted_s: 41.5, cameras: vec![], phase: AlertPhase::Ended,
    /// };
    /// assert_eq!(a.time_to_alert_s(), 1.5);
    /// ```
    pub fn time_to_alert_s(&self) -> f64 {
        self.emitted_s - self.t_s
    }

    /// The `alerts.jsonl` row (with the optional `rule`, `cameras` and, for
    /// ended notices, `phase` fields).
    ///
    /// ```
    /// use fusetrack::rules::{Alert, AlertPhase, Severity};
    /// use fusetrack::TrackId;
    /// let a = Alert {
    ///     kind: "running".into(), rule: "no-running".into(), severity: Severity::Medium,
    ///     track: TrackId(8), zone: None, x: 1.0, y: 2.0,
    ///     t_s: 40.0, emitted_s: 41.5, cameras: vec![], phase: AlertPhase::Ended,
    /// };
    /// let row = a.to_row();
    /// assert_eq!(row.phase.as_deref(), Some("ended"));
    /// assert_eq!((row.kind.as_str(), row.severity.as_str()), ("running", "medium"));
    /// assert_eq!(
    ///     serde_json::to_string(&row).unwrap(),
    ///     r#"{"t":40.0,"emitted":41.5,"kind":"running","track":8,"severity":"medium","x":1.0,"y":2.0,"rule":"no-running","phase":"ended"}"#
    /// );
    /// ```
    pub fn to_row(&self) -> AlertRow {
        AlertRow {
            t_s: self.t_s,
            emitted_s: self.emitted_s,
            kind: self.kind.clone(),
            track: self.track,
            zone: self.zone.clone(),
            severity: self.severity.as_str().to_string(),
            x: self.x,
            y: self.y,
            rule: Some(self.rule.clone()),
            cameras: self.cameras.clone(),
            phase: match self.phase {
                AlertPhase::Raised => None,
                AlertPhase::Ended => Some("ended".into()),
            },
        }
    }
}

// ---------------------------------------------------------------------------
// Per-track state
// ---------------------------------------------------------------------------

type Stamp = (f64, [f64; 2]);

/// `unusual_movement` samples a track only once the standard deviation of
/// its velocity (square root of the trace of its covariance) is below this,
/// m/s: a newborn track's velocity is a guess.
///
/// ```
/// use fusetrack::rules::MAX_SAMPLED_SPEED_STD_M_PER_S;
/// // A velocity covariance of diag(0.3, 0.3) (m/s)² has a std of
/// // sqrt(0.6) = 0.77 m/s: known well enough to be sampled.
/// let v_std = (0.3_f64 + 0.3).sqrt();
/// assert!(v_std <= MAX_SAMPLED_SPEED_STD_M_PER_S);
/// ```
pub const MAX_SAMPLED_SPEED_STD_M_PER_S: f64 = 1.0;

/// `unusual_movement` samples a track only once it is this old, seconds:
/// the filter needs a moment to find its velocity.
///
/// ```
/// use fusetrack::rules::MIN_SAMPLED_AGE_S;
/// let (born_s, now_s) = (10.0, 10.6);
/// assert!(now_s - born_s < MIN_SAMPLED_AGE_S); // too young to be sampled yet
/// ```
pub const MIN_SAMPLED_AGE_S: f64 = 1.0;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct ZoneState {
    /// Committed inside (hysteresis applied).
    inside: bool,
    /// When and where the current stay began.
    entered: Option<Stamp>,
    /// First time seen outside while still committed inside.
    outside_since: Option<f64>,
    /// Latest time truly inside (for `from_zone`).
    last_inside_t_s: Option<f64>,
    /// Since when the zone's schedule has been active for this track.
    armed: Option<Stamp>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct WireState {
    /// Committed side: +1 left, -1 right, 0 unknown.
    side: i8,
    /// Where the track first passed the line towards the other side.
    pending: Option<Stamp>,
    /// Latest committed crossing.
    crossing: Option<(f64, [f64; 2], CrossingDirection)>,
    /// Number of committed crossings (to see a new one).
    crossings: u64,
}

/// A condition that must keep holding, with hysteresis on its end.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct HoldState {
    since: Option<Stamp>,
    fail_since: Option<f64>,
    confirmed: bool,
}

impl HoldState {
    fn update(
        &mut self,
        pred: bool,
        now: f64,
        pos: [f64; 2],
        for_s: f64,
        hold_s: f64,
    ) -> Option<Stamp> {
        if pred {
            self.fail_since = None;
            let since = *self.since.get_or_insert((now, pos));
            if now - since.0 >= for_s - 1e-9 {
                self.confirmed = true;
            }
        } else if self.since.is_some() {
            if self.confirmed {
                let f = *self.fail_since.get_or_insert(now);
                if now - f > hold_s {
                    *self = HoldState::default();
                }
            } else {
                // Not yet established: noise must not carry it.
                *self = HoldState::default();
            }
        }
        self.since
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct NodeState {
    /// Since when the node's own schedule has been active for this track.
    sched: Option<Stamp>,
    /// Speed, converging and unusual-movement conditions.
    hold: HoldState,
    /// `zone_entry`: the entry last judged, and whether it came from a
    /// `from_zone`.
    entry: Option<f64>,
    entry_ok: bool,
    /// `tripwire_crossed`: crossings seen.
    crossings_seen: u64,
    /// `unusual_movement`: recent `(t, surprise)` samples.
    samples: VecDeque<(f64, f64)>,
    last_sample_t_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Episode {
    since: Stamp,
    /// Suppressed duplicate (a converging group already alerted).
    silent: bool,
    kind: String,
    zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RuleState {
    nodes: Vec<NodeState>,
    episode: Option<Episode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct TrackState {
    id: TrackId,
    kind: ObjectKind,
    last: Stamp,
    zones: Vec<ZoneState>,
    wires: Vec<WireState>,
    rules: Vec<RuleState>,
}

/// Below this many tracks, rules are evaluated on the calling thread: rayon's
/// wake-ups would cost more than the work.
#[cfg(feature = "parallel")]
const PARALLEL_MIN_TRACKS: usize = 512;

/// One confirmed track at the current step, for group conditions.
#[derive(Debug, Clone, Copy)]
struct Peer {
    id: TrackId,
    kind: ObjectKind,
    pos: [f64; 2],
    vel: [f64; 2],
    /// Velocity covariance, row-major.
    vel_cov: [f64; 4],
}

/// Standard deviation of the speed of a track along `dir` (unit), m/s.
fn speed_std(vel_cov: &[f64; 4], dir: [f64; 2]) -> f64 {
    let [a, b, c, d] = *vel_cov;
    let var = dir[0] * (a * dir[0] + b * dir[1]) + dir[1] * (c * dir[0] + d * dir[1]);
    var.max(0.0).sqrt()
}

fn vel_cov_of(s: &KalmanState) -> [f64; 4] {
    let p = &s.p;
    [p[(2, 2)], p[(2, 3)], p[(3, 2)], p[(3, 3)]]
}

/// What a condition tree says about a track at one step.
struct Hold<'a> {
    since: Stamp,
    leaf: &'a ConditionKind,
    restarted: bool,
}

/// Turns tracks into alerts, following the rules of a [`SceneRules`].
///
/// Call [`AlertEngine::observe`] after every [`Tracker::step`] (and
/// [`Tracker::flush_step`]); at the end of a recording,
/// [`AlertEngine::finish`] ends the incidents still open. Each rule raises
/// **one** alert per track and episode (an episode is a continuous period
/// during which the rule's condition holds, hysteresis included) and one
/// `ended` notice when it stops holding or the track ends. Only reported
/// tracks (status confirmed) are judged; a coasting track keeps its
/// episodes open without being judged until it is seen again or ends.
///
/// The engine is plain data: it can be serialised (a snapshot, with the
/// rules) and restored, and it is `Send`.
///
/// ```
/// use fusetrack::{CameraId, Detection, Location, Observation, Tracker, TrackerConfig};
/// use fusetrack::geometry::{Camera, CameraRig};
/// use fusetrack::rules::{AlertEngine, AlertPhase, SceneRules};
///
/// let rules = SceneRules::from_json_str(r#"{"version": 1,
///   "zones": [{"name": "vault", "polygon": [[5, -2], [9, -2], [9, 2], [5, 2]]}],
///   "rules": [{"name": "vault-entry", "severity": "critical", "kind": "zone_entry", "zone": "vault"}]}"#,
///   &Location::none())?;
/// let rig = CameraRig::new(vec![Camera::world_sensor("radar")])?;
/// let mut tracker = Tracker::new(TrackerConfig::default(), rig)?;
/// let mut engine = AlertEngine::new(rules);
/// let mut alerts = Vec::new();
/// // A person walks east along y = 0 at 1.25 m/s, through the vault (x 5..9).
/// for k in 0..100 {
///     let t = k as f64 * 0.1;
///     let obs = Observation::World { position_m: [1.25 * t, 0.0], cov_m2: None };
///     tracker.push(Detection::new(t, CameraId(0), obs))?;
///     while tracker.step()?.is_some() {
///         engine.observe(&tracker, &mut alerts);
///     }
/// }
/// while tracker.flush_step()?.is_some() {
///     engine.observe(&tracker, &mut alerts);
/// }
/// engine.finish(&mut alerts);
/// assert_eq!(alerts.len(), 2);
/// let (raised, ended) = (&alerts[0], &alerts[1]);
/// assert_eq!((raised.phase, ended.phase), (AlertPhase::Raised, AlertPhase::Ended));
/// assert_eq!(raised.zone.as_deref(), Some("vault"));
/// assert!((raised.t_s - 4.0).abs() < 0.15); // entered at x = 5 m
/// assert!(raised.emitted_s >= raised.t_s);
/// assert!((ended.t_s - 7.6).abs() < 0.15); // left at x = 9 m, ended 0.5 m beyond (hysteresis)
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AlertEngine {
    scene: SceneRules,
    tracks: Vec<TrackState>,
    last_t_s: Option<f64>,
    last_rx_s: Option<f64>,
    raised: u64,
    #[serde(skip)]
    peers: Vec<Peer>,
    /// `(track, rule)` of the open converging incidents, this step.
    #[serde(skip)]
    open_groups: Vec<(TrackId, usize)>,
    /// The peers' positions, indexed for group conditions.
    #[serde(skip)]
    near: PeerIndex,
}

/// A grid index over the peers' positions, rebuilt each step when a rule
/// looks for groups, so that a group condition visits the peers near a
/// track instead of all of them (quadratic in a crowd of thousands).
#[derive(Debug, Clone, Default)]
struct PeerIndex {
    points: Vec<[f64; 2]>,
    grid: GridIndex,
    /// Whether `grid` indexes this step's peers.
    built: bool,
    /// Never index (every group condition scans all peers): the reference
    /// the tests compare the index with.
    scan_all: bool,
}

impl PeerIndex {
    fn rebuild(&mut self, peers: &[Peer], cell_m: Option<f64>) {
        self.built = false;
        let Some(cell_m) = cell_m.filter(|_| !self.scan_all) else { return };
        self.points.clear();
        self.points.extend(peers.iter().map(|p| p.pos));
        self.grid.build(&self.points, cell_m);
        self.built = true;
    }

    /// Calls `f` with every peer within `radius_m` of `pos` and possibly a
    /// few just beyond (a margin of a part in 10⁹ for rounding): callers
    /// apply their own exact distance test. Without an index, or for a
    /// radius that is not a number >= 0, every peer.
    fn for_each_near<'p>(
        &self,
        peers: &'p [Peer],
        pos: [f64; 2],
        radius_m: f64,
        mut f: impl FnMut(&'p Peer),
    ) {
        if !(self.built && radius_m.is_finite() && radius_m >= 0.0) {
            peers.iter().for_each(f);
            return;
        }
        let r = radius_m * (1.0 + 1e-9) + 1e-9;
        self.grid.for_each_within(&self.points, pos, r, |i| {
            if let Some(p) = peers.get(i as usize) {
                f(p);
            }
        });
    }
}

/// The largest radius of the group conditions in `c` (`None` without any).
fn group_radius(c: &Condition) -> Option<f64> {
    match &c.kind {
        ConditionKind::Converging { radius_m, .. } => {
            (radius_m.is_finite() && *radius_m >= 0.0).then_some(*radius_m)
        }
        ConditionKind::AllOf(v) | ConditionKind::AnyOf(v) => {
            v.iter().filter_map(group_radius).reduce(f64::max)
        }
        _ => None,
    }
}

impl AlertEngine {
    /// An engine for these rules, with no track yet.
    ///
    /// ```
    /// use fusetrack::rules::{AlertEngine, SceneRules};
    /// let e = AlertEngine::new(SceneRules::default());
    /// assert_eq!(e.raised(), 0);
    /// ```
    pub fn new(scene: SceneRules) -> Self {
        Self {
            scene,
            tracks: Vec::new(),
            last_t_s: None,
            last_rx_s: None,
            raised: 0,
            peers: Vec::new(),
            open_groups: Vec::new(),
            near: PeerIndex::default(),
        }
    }

    /// The rules.
    ///
    /// ```
    /// use fusetrack::rules::{AlertEngine, SceneRules};
    /// assert!(AlertEngine::new(SceneRules::default()).scene().rules().is_empty());
    /// ```
    pub fn scene(&self) -> &SceneRules {
        &self.scene
    }

    /// Alerts raised so far (ended notices not counted).
    ///
    /// ```
    /// use fusetrack::rules::{AlertEngine, SceneRules};
    /// assert_eq!(AlertEngine::new(SceneRules::default()).raised(), 0);
    /// ```
    pub fn raised(&self) -> u64 {
        self.raised
    }

    /// Number of incidents currently open (raised and not yet ended).
    ///
    /// ```
    /// use fusetrack::rules::{AlertEngine, SceneRules};
    /// assert_eq!(AlertEngine::new(SceneRules::default()).open(), 0);
    /// ```
    pub fn open(&self) -> usize {
        self.tracks
            .iter()
            .flat_map(|t| &t.rules)
            .filter(|r| r.episode.as_ref().is_some_and(|e| !e.silent))
            .count()
    }

    /// Judges the tracker's tracks at its current time and appends the
    /// alerts raised and ended to `out`. Call it after each step; calling it
    /// again without a new step does nothing.
    ///
    /// See [`AlertEngine`] for a walk through a zone, raised and ended.
    ///
    /// ```
    /// use fusetrack::{CameraId, Detection, Location, Observation, Tracker, TrackerConfig};
    /// use fusetrack::geometry::{Camera, CameraRig};
    /// use fusetrack::rules::{AlertEngine, AlertPhase, SceneRules};
    ///
    /// let rules = SceneRules::from_json_str(r#"{"version": 1,
    ///   "zones": [{"name": "vault", "polygon": [[5, -2], [9, -2], [9, 2], [5, 2]]}],
    ///   "rules": [{"name": "vault-entry", "severity": "critical", "kind": "zone_entry", "zone": "vault"}]}"#,
    ///   &Location::none())?;
    /// let rig = CameraRig::new(vec![Camera::world_sensor("radar")])?;
    /// let mut tracker = Tracker::new(TrackerConfig::default(), rig)?;
    /// let mut engine = AlertEngine::new(rules);
    /// let mut alerts = Vec::new();
    /// // Someone stands still inside the vault for two seconds.
    /// for k in 0..20 {
    ///     let obs = Observation::World { position_m: [7.0, 0.0], cov_m2: None };
    ///     tracker.push(Detection::new(k as f64 * 0.1, CameraId(0), obs))?;
    ///     while tracker.step()?.is_some() {
    ///         engine.observe(&tracker, &mut alerts);
    ///     }
    /// }
    /// // One alert for the whole stay, not one per step.
    /// assert_eq!(alerts.len(), 1);
    /// assert_eq!(alerts[0].phase, AlertPhase::Raised);
    /// // Observing again without a new step adds nothing.
    /// engine.observe(&tracker, &mut alerts);
    /// assert_eq!(alerts.len(), 1);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn observe(&mut self, tracker: &Tracker, out: &mut Vec<Alert>) {
        self.observe_source(tracker, out);
    }

    /// [`AlertEngine::observe`] for a [`ShardedTracker`]: the rules see its
    /// global tracks (a person handed over between shards keeps one
    /// incident, and the time since the group was first seen).
    ///
    /// ```
    /// use fusetrack::rules::{AlertEngine, SceneRules};
    /// use fusetrack::sharded::ShardedTracker;
    /// use fusetrack::{Camera, CameraId, CameraRig, Detection, Location, Observation, TrackerConfig};
    /// let rules = SceneRules::from_json_str(r#"{"version": 1,
    ///   "zones": [{"name": "vault", "polygon": [[5, -2], [9, -2], [9, 2], [5, 2]]}],
    ///   "rules": [{"name": "vault-entry", "severity": "critical", "kind": "zone_entry", "zone": "vault"}]}"#,
    ///   &Location::none())?;
    /// let rig = CameraRig::new(vec![Camera::world_sensor("radar")])?;
    /// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 1)?;
    /// let mut engine = AlertEngine::new(rules);
    /// let mut alerts = Vec::new();
    /// for k in 0..20 {
    ///     let obs = Observation::World { position_m: [7.0, 0.0], cov_m2: None };
    ///     tracker.push(Detection::new(k as f64 * 0.1, CameraId(0), obs))?;
    ///     while tracker.step()?.is_some() {
    ///         engine.observe_sharded(&tracker, &mut alerts);
    ///     }
    /// }
    /// assert_eq!(alerts.len(), 1);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn observe_sharded(&mut self, tracker: &ShardedTracker, out: &mut Vec<Alert>) {
        self.observe_source(tracker, out);
    }

    fn observe_source(&mut self, tracker: &impl TrackSource, out: &mut Vec<Alert>) {
        let Some(now) = tracker.time_s() else { return };
        if self.last_t_s.is_some_and(|last| now <= last) {
            return;
        }
        self.last_t_s = Some(now);
        let rx = tracker.now_rx_s().unwrap_or(now).max(now);
        self.last_rx_s = Some(rx);
        let mut seen = Vec::new();
        tracker.seen(&mut seen);

        // Tracks that ended: close their incidents and forget them (one
        // pass, in order; not a removal per ended track, each shifting the
        // thousands after it).
        let scene = &self.scene;
        self.tracks.retain_mut(|st| {
            let alive = seen.binary_search_by_key(&st.id, |t| t.id).is_ok();
            if !alive {
                end_all(scene, st, rx, out);
            }
            alive
        });

        self.peers.clear();
        self.peers.extend(seen.iter().filter(|t| t.status == TrackStatus::Confirmed).map(|t| {
            Peer {
                id: t.id,
                kind: t.track.kind(),
                pos: t.position(),
                vel: t.velocity(),
                vel_cov: vel_cov_of(&t.state),
            }
        }));
        let cell =
            self.scene.rules().iter().filter_map(|r| group_radius(&r.condition)).reduce(f64::max);
        self.near.rebuild(&self.peers, cell);

        self.open_groups.clear();
        for st in &self.tracks {
            for (ri, rs) in st.rules.iter().enumerate() {
                if rs.episode.as_ref().is_some_and(|e| !e.silent && e.kind == "converging") {
                    self.open_groups.push((st.id, ri));
                }
            }
        }

        // Every confirmed track with a finite state gets a rule state, kept
        // in id order as the tracker holds its tracks (the new ones appended,
        // then one merge of the two sorted runs, not one insertion each).
        let before = self.tracks.len();
        for t in seen.iter().filter(|t| usable(t)) {
            if self.tracks[..before].binary_search_by_key(&t.id, |s| s.id).is_err() {
                let st = new_state(&self.scene, t.id, t.track.kind(), now, t.position());
                self.tracks.push(st);
            }
        }
        if self.tracks.len() > before {
            self.tracks.sort_by_key(|s| s.id);
        }

        // Zones, tripwires and every rule's condition, track by track: each
        // reads only its own state, the scene and this step's peers, so
        // large crowds are evaluated on rayon's pool (with the `parallel`
        // feature); the holds are kept in track order.
        let n_rules = self.scene.rules().len();
        // One slot per rule and track (at least one per track, so that
        // every track is visited even without rules).
        let width = n_rules.max(1);
        let mut holds: Vec<Option<Hold<'_>>> = Vec::new();
        holds.resize_with(self.tracks.len() * width, || None);
        // Each rule state's track, found by walking both id-ordered lists
        // together (not a search of the tracker's tracks per state).
        let mut matched: Vec<Option<&Seen<'_>>> = Vec::with_capacity(self.tracks.len());
        let mut it = seen.iter().peekable();
        for st in &self.tracks {
            while it.next_if(|t| t.id < st.id).is_some() {}
            matched.push(it.peek().copied().filter(|t| t.id == st.id && usable(t)));
        }
        let (scene, peers, near) = (&self.scene, &self.peers[..], &self.near);
        let evaluate = |((st, track), hs): ((&mut TrackState, &Option<&Seen<'_>>), _)| {
            if let Some(track) = track {
                evaluate_track(scene, peers, near, now, track, st, hs);
            }
        };
        #[cfg(feature = "parallel")]
        if self.tracks.len() >= PARALLEL_MIN_TRACKS && n_rules > 0 {
            use rayon::prelude::*;
            let chunks = holds.par_chunks_mut(width);
            let items = self.tracks.par_iter_mut().zip(matched.par_iter()).zip(chunks);
            items.with_min_len(64).for_each(evaluate);
        } else {
            let items = self.tracks.iter_mut().zip(matched.iter()).zip(holds.chunks_mut(width));
            items.for_each(evaluate);
        }
        #[cfg(not(feature = "parallel"))]
        self.tracks.iter_mut().zip(matched.iter()).zip(holds.chunks_mut(width)).for_each(evaluate);

        // Episodes and alerts, in track order (a converging group raises
        // once, so each track sees the groups opened before it).
        for (i, st) in self.tracks.iter_mut().enumerate() {
            let Some(track) = matched.get(i).copied().flatten() else { continue };
            let pos = st.last.1;
            let cameras = || -> Vec<String> { tracker.camera_names(track) };
            let hs = holds.get_mut(i * width..i * width + n_rules).unwrap_or_default();
            for (ri, ((rule, rs), h)) in
                self.scene.rules().iter().zip(st.rules.iter_mut()).zip(hs).enumerate()
            {
                let hold = h.take();
                let alert =
                    |phase, t_s: f64, p: [f64; 2], kind: String, zone: Option<String>| Alert {
                        kind,
                        rule: rule.name.clone(),
                        severity: rule.severity,
                        track: st.id,
                        zone,
                        x: p[0],
                        y: p[1],
                        t_s,
                        emitted_s: rx,
                        cameras: cameras(),
                        phase,
                    };
                // End the current episode if it stopped holding or restarted.
                let restart = hold.as_ref().is_some_and(|h| h.restarted);
                if hold.is_none() || restart {
                    if let Some(ep) = rs.episode.take() {
                        if !ep.silent {
                            out.push(alert(AlertPhase::Ended, now, pos, ep.kind, ep.zone));
                        }
                    }
                }
                if let (Some(h), None) = (hold, &rs.episode) {
                    let kind =
                        rule.alert_kind.clone().unwrap_or_else(|| h.leaf.alert_kind().to_string());
                    let zone =
                        h.leaf.zone().or_else(|| rule.condition.kind.zone()).map(str::to_string);
                    // A converging group raises once: not again for a member
                    // near a track that already has this rule's incident open.
                    let silent = match h.leaf {
                        ConditionKind::Converging { radius_m, .. } => {
                            let mut open = false;
                            let groups = &self.open_groups;
                            self.near.for_each_near(&self.peers, pos, *radius_m, |p| {
                                open = open
                                    || (p.id != st.id
                                        && dist(p.pos, pos) <= *radius_m
                                        && groups.contains(&(p.id, ri)));
                            });
                            open
                        }
                        _ => false,
                    };
                    if !silent {
                        if matches!(h.leaf, ConditionKind::Converging { .. }) {
                            self.open_groups.push((st.id, ri));
                        }
                        self.raised += 1;
                        out.push(alert(
                            AlertPhase::Raised,
                            h.since.0,
                            h.since.1,
                            kind.clone(),
                            zone.clone(),
                        ));
                    }
                    rs.episode = Some(Episode { since: h.since, silent, kind, zone });
                }
            }
        }
    }

    /// [`AlertEngine::observe`], handing each alert to a sink.
    ///
    /// # Errors
    /// The sink's first error; the alerts after it in this step are not
    /// delivered (the engine's state has moved on regardless).
    ///
    /// ```
    /// use fusetrack::rules::{Alert, AlertEngine, SceneRules};
    /// use fusetrack::{Tracker, TrackerConfig};
    /// use fusetrack::geometry::{Camera, CameraRig};
    /// let tracker = Tracker::new(TrackerConfig::default(), CameraRig::new(vec![Camera::world_sensor("r")])?)?;
    /// let mut engine = AlertEngine::new(SceneRules::default());
    /// let (tx, rx) = std::sync::mpsc::channel::<Alert>();
    /// let mut tx = tx;
    /// engine.observe_into(&tracker, &mut tx)?;
    /// assert!(rx.try_recv().is_err()); // nothing yet
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn observe_into(
        &mut self,
        tracker: &Tracker,
        sink: &mut impl super::AlertSink,
    ) -> crate::Result<()> {
        let mut out = Vec::new();
        self.observe(tracker, &mut out);
        out.iter().try_for_each(|a| sink.alert(a))
    }

    /// Ends every open incident (end of a recording): appends an `ended`
    /// notice for each, at its track's latest time, and forgets all tracks.
    ///
    /// ```
    /// use fusetrack::rules::{AlertEngine, SceneRules};
    /// let mut e = AlertEngine::new(SceneRules::default());
    /// let mut out = Vec::new();
    /// e.finish(&mut out);
    /// assert!(out.is_empty());
    /// ```
    pub fn finish(&mut self, out: &mut Vec<Alert>) {
        let rx = self.last_rx_s.unwrap_or(f64::NAN);
        for mut st in std::mem::take(&mut self.tracks) {
            end_all(&self.scene, &mut st, rx, out);
        }
    }
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// Number of nodes of a condition tree (pre-order).
fn count_nodes(c: &Condition) -> usize {
    1 + match &c.kind {
        ConditionKind::AllOf(v) | ConditionKind::AnyOf(v) => v.iter().map(count_nodes).sum(),
        _ => 0,
    }
}

fn new_state(
    scene: &SceneRules,
    id: TrackId,
    kind: ObjectKind,
    now: f64,
    pos: [f64; 2],
) -> TrackState {
    TrackState {
        id,
        kind,
        last: (now, pos),
        zones: vec![ZoneState::default(); scene.zones().len()],
        wires: vec![WireState::default(); scene.tripwires().len()],
        rules: scene
            .rules()
            .iter()
            .map(|r| RuleState {
                nodes: vec![NodeState::default(); count_nodes(&r.condition)],
                episode: None,
            })
            .collect(),
    }
}

/// Whether the rules look at a track: confirmed, with a finite state.
fn usable(t: &Seen<'_>) -> bool {
    t.status == TrackStatus::Confirmed
        && t.position().iter().chain(&t.velocity()).all(|v| v.is_finite())
}

impl Seen<'_> {
    fn position(&self) -> [f64; 2] {
        [self.state.x[0], self.state.x[1]]
    }
    fn velocity(&self) -> [f64; 2] {
        [self.state.x[2], self.state.x[3]]
    }
}

/// Updates the zones and tripwires of one track's rule state and evaluates
/// every rule's condition for it into `hs` (one per rule).
fn evaluate_track<'s>(
    scene: &'s SceneRules,
    peers: &[Peer],
    near: &PeerIndex,
    now: f64,
    seen: &Seen<'_>,
    st: &mut TrackState,
    hs: &mut [Option<Hold<'s>>],
) {
    let (pos, vel) = (seen.position(), seen.velocity());
    let prev = st.last;
    update_zones(scene, st, now, pos);
    update_wires(scene, st, prev, now, pos);
    st.last = (now, pos);
    for ((rule, rs), h) in scene.rules().iter().zip(st.rules.iter_mut()).zip(hs) {
        let mut cx = Cx {
            scene,
            zones: &st.zones,
            wires: &st.wires,
            kind: st.kind,
            id: st.id,
            now,
            pos,
            vel,
            vel_cov: vel_cov_of(&seen.state),
            born_s: seen.born_t_s,
            peers,
            near,
        };
        let mut node = 0;
        *h = eval(&mut cx, &rule.condition, &mut rs.nodes, &mut node);
    }
}

/// Ends the open episodes of a track that is gone (taking them).
fn end_all(scene: &SceneRules, st: &mut TrackState, rx: f64, out: &mut Vec<Alert>) {
    for (rule, rs) in scene.rules().iter().zip(st.rules.iter_mut()) {
        if let Some(ep) = rs.episode.take() {
            if !ep.silent {
                out.push(Alert {
                    kind: ep.kind,
                    rule: rule.name.clone(),
                    severity: rule.severity,
                    track: st.id,
                    zone: ep.zone,
                    x: st.last.1[0],
                    y: st.last.1[1],
                    t_s: st.last.0,
                    emitted_s: if rx.is_finite() { rx.max(st.last.0) } else { st.last.0 },
                    cameras: Vec::new(),
                    phase: AlertPhase::Ended,
                });
            }
        }
    }
}

/// Distance from `p` to the nearest edge of a polygon's outline, metres.
fn dist_to_outline(vertices: &[[f64; 2]], p: [f64; 2]) -> f64 {
    let n = vertices.len();
    let mut best = f64::INFINITY;
    for i in 0..n {
        let (Some(a), Some(b)) = (vertices.get(i), vertices.get((i + 1) % n)) else { continue };
        let ab = [b[0] - a[0], b[1] - a[1]];
        let ap = [p[0] - a[0], p[1] - a[1]];
        let l2 = ab[0] * ab[0] + ab[1] * ab[1];
        let t = if l2 > 0.0 { ((ap[0] * ab[0] + ap[1] * ab[1]) / l2).clamp(0.0, 1.0) } else { 0.0 };
        best = best.min(dist(p, [a[0] + t * ab[0], a[1] + t * ab[1]]));
    }
    best
}

/// Zone membership with hysteresis: in at once (a point on the border is
/// in), out only after `exit_hold_s` outside or `exit_margin_m` beyond.
fn update_zones(scene: &SceneRules, st: &mut TrackState, now: f64, pos: [f64; 2]) {
    let h = scene.hysteresis();
    let g = crate::geometry::GroundPoint { x: pos[0], y: pos[1] };
    for (zone, zs) in scene.zones().iter().zip(st.zones.iter_mut()) {
        if zone.polygon.contains(g) {
            if !zs.inside {
                zs.inside = true;
                zs.entered = Some((now, pos));
            }
            zs.outside_since = None;
            zs.last_inside_t_s = Some(now);
        } else if zs.inside {
            let since = *zs.outside_since.get_or_insert(now);
            if now - since > h.exit_hold_s
                || dist_to_outline(zone.polygon.vertices(), pos) > h.exit_margin_m
            {
                zs.inside = false;
                zs.entered = None;
                zs.outside_since = None;
            }
        }
        zs.armed = match &zone.schedule {
            None => None,
            Some(s) if s.is_active(scene.clock(), now) => Some(zs.armed.unwrap_or((now, pos))),
            Some(_) => None,
        };
    }
}

/// Tripwire sides with hysteresis: a track changes side once it is
/// `tripwire_margin_m` past the line (within the segment's extent, the same
/// margin beyond its ends); the crossing time and place are where it passed
/// the line, interpolated between the two states around it.
fn update_wires(scene: &SceneRules, st: &mut TrackState, prev: Stamp, now: f64, pos: [f64; 2]) {
    let margin = scene.hysteresis().tripwire_margin_m;
    for (w, ws) in scene.tripwires().iter().zip(st.wires.iter_mut()) {
        let d = [w.to_m[0] - w.from_m[0], w.to_m[1] - w.from_m[1]];
        let len = d[0].hypot(d[1]);
        if len.is_nan() || len <= 0.0 {
            continue;
        }
        let signed =
            |p: [f64; 2]| (d[0] * (p[1] - w.from_m[1]) - d[1] * (p[0] - w.from_m[0])) / len;
        let along = |p: [f64; 2]| (d[0] * (p[0] - w.from_m[0]) + d[1] * (p[1] - w.from_m[1])) / len;
        let s = along(pos);
        if !(s >= -margin && s <= len + margin) {
            ws.side = 0;
            ws.pending = None;
            continue;
        }
        let dn = signed(pos);
        let cur: i8 = if dn > 0.0 {
            1
        } else if dn < 0.0 {
            -1
        } else {
            0
        };
        if ws.side == 0 {
            if dn.abs() >= margin {
                ws.side = cur;
            }
            continue;
        }
        if cur == -ws.side {
            if ws.pending.is_none() {
                // Where it passed the line, between the previous state and now.
                let dp = signed(prev.1);
                let f = if (dp - dn).abs() > 0.0 && dp.signum() == f64::from(ws.side) {
                    (dp / (dp - dn)).clamp(0.0, 1.0)
                } else {
                    1.0
                };
                let t = prev.0 + f * (now - prev.0);
                let p =
                    [prev.1[0] + f * (pos[0] - prev.1[0]), prev.1[1] + f * (pos[1] - prev.1[1])];
                ws.pending = Some((t, p));
            }
            if dn.abs() >= margin {
                let dir = if ws.side > 0 {
                    CrossingDirection::LeftToRight
                } else {
                    CrossingDirection::RightToLeft
                };
                if let Some((t, p)) = ws.pending.take() {
                    ws.crossing = Some((t, p, dir));
                    ws.crossings += 1;
                }
                ws.side = cur;
            }
        } else {
            ws.pending = None;
        }
    }
}

struct Cx<'a> {
    scene: &'a SceneRules,
    zones: &'a [ZoneState],
    wires: &'a [WireState],
    kind: ObjectKind,
    id: TrackId,
    now: f64,
    pos: [f64; 2],
    vel: [f64; 2],
    vel_cov: [f64; 4],
    born_s: f64,
    peers: &'a [Peer],
    near: &'a PeerIndex,
}

impl Cx<'_> {
    fn zone_index(&self, name: &str) -> Option<usize> {
        self.scene.zones().iter().position(|z| z.name == name)
    }
    /// The current stay in a zone (committed inside, and armed when the
    /// zone has a schedule): since when, counting from the later of the two.
    fn in_zone(&self, name: &str) -> Option<Stamp> {
        let i = self.zone_index(name)?;
        let zs = self.zones.get(i)?;
        let entered = zs.entered.filter(|_| zs.inside)?;
        match (&self.scene.zones().get(i)?.schedule, zs.armed) {
            (None, _) => Some(entered),
            (Some(_), Some(armed)) => Some(later(entered, armed)),
            (Some(_), None) => None,
        }
    }
}

fn later(a: Stamp, b: Stamp) -> Stamp {
    if b.0 > a.0 { b } else { a }
}

/// Evaluates a condition tree for the track of `cx`; `node` walks the
/// node states in pre-order.
fn eval<'a>(
    cx: &mut Cx<'_>,
    c: &'a Condition,
    nodes: &mut [NodeState],
    node: &mut usize,
) -> Option<Hold<'a>> {
    let me = *node;
    *node += 1;
    let h = cx.scene.hysteresis();
    let (now, pos) = (cx.now, cx.pos);
    let speed = cx.vel[0].hypot(cx.vel[1]);
    // The speed less `speed_sigmas` standard deviations along the motion.
    let speed_low = if speed > 0.0 {
        speed - h.speed_sigmas * speed_std(&cx.vel_cov, [cx.vel[0] / speed, cx.vel[1] / speed])
    } else {
        0.0
    };
    let kind_ok = c.objects.as_ref().is_none_or(|o| o.contains(&cx.kind));
    // Children first, so that every node state is visited every step.
    let children: Option<Option<Hold<'a>>> = match &c.kind {
        ConditionKind::AllOf(v) => {
            let mut acc: Option<Hold<'a>> = None;
            let mut all = true;
            for sub in v {
                match eval(cx, sub, nodes, node) {
                    Some(s) => {
                        acc = Some(match acc {
                            None => s,
                            Some(a) => {
                                let restarted = a.restarted || s.restarted;
                                let mut pick = if s.since.0 > a.since.0 { s } else { a };
                                pick.restarted = restarted;
                                pick
                            }
                        })
                    }
                    None => all = false,
                }
            }
            Some(if all { acc } else { None })
        }
        ConditionKind::AnyOf(v) => {
            let mut acc: Option<Hold<'a>> = None;
            for sub in v {
                if let Some(s) = eval(cx, sub, nodes, node) {
                    acc = Some(match acc {
                        Some(a) if a.since.0 <= s.since.0 => a,
                        _ => s,
                    });
                }
            }
            Some(acc)
        }
        _ => None,
    };
    let ns = nodes.get_mut(me)?;
    ns.sched = match &c.schedule {
        Some(s) if s.is_active(cx.scene.clock(), now) => Some(ns.sched.unwrap_or((now, pos))),
        _ => None,
    };
    let raw: Option<Hold<'a>> = match &c.kind {
        ConditionKind::AllOf(_) | ConditionKind::AnyOf(_) => children.flatten(),
        ConditionKind::ZoneEntry { zone, from_zones, from_within_s } => {
            let stay = cx.in_zone(zone);
            let entered = cx.zone_index(zone).and_then(|i| cx.zones.get(i)).and_then(|z| z.entered);
            match entered {
                Some((te, _)) if ns.entry != Some(te) => {
                    ns.entry = Some(te);
                    ns.entry_ok = from_zones.is_empty()
                        || from_zones.iter().any(|f| {
                            cx.zone_index(f).and_then(|i| cx.zones.get(i)).is_some_and(|z| {
                                z.inside
                                    || z.last_inside_t_s.is_some_and(|l| te - l <= *from_within_s)
                            })
                        });
                }
                Some(_) => {}
                None => ns.entry = None,
            }
            stay.filter(|_| ns.entry_ok).map(|since| Hold {
                since,
                leaf: &c.kind,
                restarted: false,
            })
        }
        ConditionKind::Loitering { zone } => {
            cx.in_zone(zone).map(|since| Hold { since, leaf: &c.kind, restarted: false })
        }
        ConditionKind::TripwireCrossed { tripwire, direction } => {
            let wi = cx.scene.tripwires().iter().position(|w| &w.name == tripwire);
            let ws = wi.and_then(|i| cx.wires.get(i));
            let seen = ns.crossings_seen;
            ws.and_then(|ws| {
                ns.crossings_seen = ws.crossings;
                let (t, p, dir) = ws.crossing?;
                (*direction == CrossingDirection::Any || dir == *direction).then_some(Hold {
                    since: (t, p),
                    leaf: &c.kind,
                    restarted: ws.crossings != seen && seen != 0,
                })
            })
        }
        ConditionKind::Running { min_speed_m_per_s, zone } => {
            let stay = zone.as_deref().map(|z| cx.in_zone(z));
            let in_zone = stay.is_none_or(|s| s.is_some());
            let since = ns.hold.update(
                in_zone && speed_low >= *min_speed_m_per_s,
                now,
                pos,
                c.for_s,
                h.hold_s,
            );
            since.map(|s| Hold {
                since: match stay.flatten() {
                    Some(z) => later(s, z),
                    None => s,
                },
                leaf: &c.kind,
                restarted: false,
            })
        }
        ConditionKind::VehicleStopped { zone, max_speed_m_per_s } => {
            let stay = cx.in_zone(zone);
            let pred =
                cx.kind == ObjectKind::Vehicle && stay.is_some() && speed <= *max_speed_m_per_s;
            let since = ns.hold.update(pred, now, pos, c.for_s, h.hold_s);
            since.map(|s| Hold {
                since: match stay {
                    Some(z) => later(s, z),
                    None => s,
                },
                leaf: &c.kind,
                restarted: false,
            })
        }
        ConditionKind::Converging { min_tracks, radius_m, min_closing_speed_m_per_s, zone } => {
            let in_zone = zone.as_deref().is_none_or(|z| cx.in_zone(z).is_some());
            let closing = |p: &Peer| {
                if p.id == cx.id || !c.objects.as_ref().is_none_or(|o| o.contains(&p.kind)) {
                    return false;
                }
                let r = dist(p.pos, pos);
                if r > *radius_m || r <= 0.0 {
                    return r <= 0.0;
                }
                // Speed of p towards the point where this track is.
                let u = [(pos[0] - p.pos[0]) / r, (pos[1] - p.pos[1]) / r];
                p.vel[0] * u[0] + p.vel[1] * u[1] - h.speed_sigmas * speed_std(&p.vel_cov, u)
                    >= *min_closing_speed_m_per_s
            };
            // Only the peers near this track can count (the index gives a
            // superset of those within the radius; the test above decides).
            let mut members = 0usize;
            cx.near.for_each_near(cx.peers, pos, *radius_m, |p| {
                members += usize::from(closing(p));
            });
            let pred = in_zone && 1 + members >= *min_tracks as usize;
            ns.hold.update(pred, now, pos, c.for_s, h.hold_s).map(|since| Hold {
                since,
                leaf: &c.kind,
                restarted: false,
            })
        }
        ConditionKind::UnusualMovement { model, threshold_nats, window_s, .. } => {
            let period = model.sample_period_s();
            // A newborn track's velocity is a guess: sample only once known.
            let v_std = (cx.vel_cov[0] + cx.vel_cov[3]).max(0.0).sqrt();
            if v_std <= MAX_SAMPLED_SPEED_STD_M_PER_S
                && now - cx.born_s >= MIN_SAMPLED_AGE_S
                && ns.last_sample_t_s.is_none_or(|l| now - l >= period - 1e-9)
            {
                ns.last_sample_t_s = Some(now);
                ns.samples.push_back((now, model.surprise_nats(pos, cx.vel)));
            }
            while ns.samples.front().is_some_and(|(t, _)| now - t > *window_s) {
                ns.samples.pop_front();
            }
            let covered = ns.samples.front().is_some_and(|(t, _)| now - t >= 0.5 * window_s);
            let n = ns.samples.len() as f64;
            let score = ns.samples.iter().map(|(_, s)| s).sum::<f64>() / n.max(1.0);
            let pred = covered && score > *threshold_nats;
            ns.hold.update(pred, now, pos, c.for_s, h.hold_s).map(|since| Hold {
                since,
                leaf: &c.kind,
                restarted: false,
            })
        }
    };
    if !kind_ok {
        return None;
    }
    let mut hold = raw?;
    if c.schedule.is_some() {
        hold.since = later(hold.since, ns.sched?);
    }
    (now - hold.since.0 >= c.for_s - 1e-9).then_some(hold)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TrackerConfig;
    use crate::detection::{Detection, Observation};
    use crate::error::Location;
    use crate::geometry::{Camera, CameraRig};
    use crate::ids::CameraId;
    use crate::tracker::Tracker;

    /// Group conditions give the same alerts with the peer index (rules
    /// evaluated on two threads) as with a scan of every peer (one thread):
    /// 600 people in a 60 m square, a third of them
    /// walking towards one of three meeting points, under two converging
    /// rules (one nested in `all_of`, one for vehicles only, which nobody
    /// is), over 8 s at 10 Hz.
    #[test]
    fn peer_index_gives_the_scan_result() {
        let json = r#"{"version": 1, "zones": [{"name": "east", "polygon": [[30, 0], [60, 0], [60, 60], [30, 60]]}],
          "rules": [
            {"name": "gather", "severity": "medium", "kind": "converging", "min_tracks": 3, "radius_m": 6,
             "min_closing_speed_m_per_s": 0.3, "for_s": 1},
            {"name": "gather-east", "severity": "high", "kind": "all_of", "conditions": [
              {"kind": "converging", "min_tracks": 4, "radius_m": 9.5, "min_closing_speed_m_per_s": 0.2},
              {"kind": "zone_entry", "zone": "east"}]},
            {"name": "cars", "severity": "low", "kind": "converging", "min_tracks": 2, "radius_m": 4,
             "min_closing_speed_m_per_s": 0.1, "objects": ["vehicle"]}]}"#;
        let rules = SceneRules::from_json_str(json, &Location::file("scene.json")).unwrap();
        let rig = CameraRig::new(vec![Camera::world_sensor("radar")]).unwrap();
        let cfg = TrackerConfig { max_detections_per_frame: 10_000, ..TrackerConfig::default() };
        let mut tracker = Tracker::new(cfg, rig).unwrap();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut uniform = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let meet = [[15.0, 15.0], [45.0, 40.0], [20.0, 50.0]];
        let mut people: Vec<([f64; 2], [f64; 2])> = (0..600)
            .map(|k| {
                let p = [60.0 * uniform(), 60.0 * uniform()];
                let v = if k % 3 == 0 {
                    let m = meet[k % 9 / 3];
                    let d = (m[0] - p[0]).hypot(m[1] - p[1]).max(1e-6);
                    [1.2 * (m[0] - p[0]) / d, 1.2 * (m[1] - p[1]) / d]
                } else {
                    let a = std::f64::consts::TAU * uniform();
                    [1.3 * a.cos(), 1.3 * a.sin()]
                };
                (p, v)
            })
            .collect();
        let (mut indexed, mut scanned) = (AlertEngine::new(rules.clone()), AlertEngine::new(rules));
        scanned.near.scan_all = true;
        let (mut a, mut b) = (Vec::new(), Vec::new());
        // The indexed engine on two threads (600 tracks: above the size
        // where rules are evaluated on rayon's pool), the scan on one.
        #[cfg(feature = "parallel")]
        let pools = [2, 1].map(|n| rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap());
        for step in 0..80 {
            let t = step as f64 * 0.1;
            for (p, v) in &mut people {
                let obs = Observation::World { position_m: *p, cov_m2: None };
                tracker.push(Detection::new(t, CameraId(0), obs)).unwrap();
                p[0] += 0.1 * v[0];
                p[1] += 0.1 * v[1];
            }
            tracker.advance_to(t + 1.0);
            while tracker.step().unwrap().is_some() {}
            #[cfg(feature = "parallel")]
            {
                pools[0].install(|| indexed.observe(&tracker, &mut a));
                pools[1].install(|| scanned.observe(&tracker, &mut b));
            }
            #[cfg(not(feature = "parallel"))]
            {
                indexed.observe(&tracker, &mut a);
                scanned.observe(&tracker, &mut b);
            }
        }
        indexed.finish(&mut a);
        scanned.finish(&mut b);
        assert!(indexed.near.built && !scanned.near.built);
        let gather = a.iter().filter(|x| x.rule == "gather").count();
        let east = a.iter().filter(|x| x.rule == "gather-east").count();
        assert!(gather >= 3 && east >= 1, "{gather} gather, {east} gather-east alerts");
        assert_eq!(a, b);
        assert_eq!(indexed.raised(), scanned.raised());
    }
}
