//! Replaying a recorded scene folder through the tracker: the engine of the
//! `track` example, of the scene tests and of the end-to-end benches.
//!
//! Detections are read as a stream in arrival order and pushed one by one;
//! after each, every capture time the reorder buffer releases is processed
//! and, if asked, every reported track at that time is written to
//! `tracks.jsonl`. When the scene has ground truth, the tracks are sampled
//! at each ground-truth time `g` from the latest state before `g`
//! (predicted forward, as a live consumer would see them), and scored with
//! CLEAR MOT, identity metrics and HOTA on the ground plane.
//!
//! When the scene has a `scene.json`, an [`AlertEngine`] judges the tracks
//! after every step; its alerts are kept in the report, written to
//! `alerts.jsonl` if asked, and scored against `incidents.jsonl` when the
//! scene has one (and ground truth) with [`score_alerts`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::TrackerConfig;
use crate::error::{Error, Location, Result};
use crate::events::Event;
use crate::geometry::CameraRig;
use crate::io::{
    DetectionReader, GroundTruthRow, JsonlWriter, SceneDir, TrackRow, read_ground_truth,
};
use crate::metrics::alerts::{AlertScores, score_alerts};
use crate::metrics::{Scores, TimedPoint, evaluate_points};
use crate::rules::{Alert, AlertEngine, AlertSink, AlertsJsonlWriter, SceneRules};
use crate::tracker::{Tracker, TrackerStats};

/// What to do besides tracking.
///
/// ```
/// use fusetrack::replay::ReplayOptions;
/// let o = ReplayOptions::default().with_tracks_out("out/tracks.jsonl");
/// assert!(o.evaluate);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReplayOptions {
    /// The tracker configuration.
    pub config: TrackerConfig,
    /// Where to write `tracks.jsonl`, if anywhere.
    pub tracks_out: Option<PathBuf>,
    /// Score against `ground_truth.jsonl` when the scene has one.
    pub evaluate: bool,
    /// Distance threshold of the metrics, metres.
    pub threshold_m: f64,
    /// Keep the first this many input errors in the report (all are counted).
    pub max_kept_errors: usize,
    /// Keep every output row in the report (for pictures).
    pub keep_rows: bool,
    /// Run the alert engine when the scene has a `scene.json`.
    pub alerts: bool,
    /// Where to write `alerts.jsonl` (raised alerts), if anywhere; written
    /// only when the scene has a `scene.json`.
    pub alerts_out: Option<PathBuf>,
}

impl Default for ReplayOptions {
    fn default() -> Self {
        Self {
            config: TrackerConfig::default(),
            tracks_out: None,
            evaluate: true,
            threshold_m: 1.0,
            max_kept_errors: 50,
            keep_rows: false,
            alerts: true,
            alerts_out: None,
        }
    }
}

impl ReplayOptions {
    /// Sets the tracker configuration (default: [`TrackerConfig::default`]).
    ///
    /// ```
    /// use fusetrack::replay::{replay_scene, ReplayOptions};
    /// use fusetrack::TrackerConfig;
    /// # fn scene(name: &str) -> std::path::PathBuf {
    /// #     let dir = std::env::temp_dir().join(name);
    /// #     std::fs::create_dir_all(&dir).unwrap();
    /// #     std::fs::write(dir.join("cameras.json"), r#"{"cameras": [{"id": "radar"}]}"#).unwrap();
    /// #     let lines: String = (0..20)
    /// #         .map(|k| format!("{{\"t\": {}, \"camera\": \"radar\", \"world\": [{}, 1.0]}}\n", k as f64 * 0.1, k as f64 * 0.13))
    /// #         .collect();
    /// #     std::fs::write(dir.join("detections.jsonl"), lines).unwrap();
    /// #     dir
    /// # }
    /// // `scene` writes a tiny scene folder: one radar sees one person walk
    /// // east at 1.3 m/s for 2 s (20 detections), as in `replay_scene`'s example.
    /// let dir = scene("fusetrack-doc-replay-config");
    /// let usual = replay_scene(&dir, &ReplayOptions::default(), |_| {})?;
    /// assert_eq!(usual.reported_tracks, 1);
    /// // A configuration that needs more hits than the scene has confirms nothing.
    /// let mut strict = TrackerConfig::default();
    /// strict.confirm_hits = 50;
    /// let none = replay_scene(&dir, &ReplayOptions::default().with_config(strict), |_| {})?;
    /// assert_eq!(none.reported_tracks, 0);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn with_config(mut self, config: TrackerConfig) -> Self {
        self.config = config;
        self
    }
    /// Writes `tracks.jsonl` to `path` (its folder is created): one row per
    /// reported track and processed capture time.
    ///
    /// ```
    /// use fusetrack::io::{RowReader, TrackRow};
    /// use fusetrack::replay::{replay_scene, ReplayOptions};
    /// # fn scene(name: &str) -> std::path::PathBuf {
    /// #     let dir = std::env::temp_dir().join(name);
    /// #     std::fs::create_dir_all(&dir).unwrap();
    /// #     std::fs::write(dir.join("cameras.json"), r#"{"cameras": [{"id": "radar"}]}"#).unwrap();
    /// #     let lines: String = (0..20)
    /// #         .map(|k| format!("{{\"t\": {}, \"camera\": \"radar\", \"world\": [{}, 1.0]}}\n", k as f64 * 0.1, k as f64 * 0.13))
    /// #         .collect();
    /// #     std::fs::write(dir.join("detections.jsonl"), lines).unwrap();
    /// #     dir
    /// # }
    /// // `scene` writes a tiny scene folder: one radar sees one person walk
    /// // east at 1.3 m/s for 2 s (20 detections), as in `replay_scene`'s example.
    /// let dir = scene("fusetrack-doc-replay-tracks");
    /// let out = dir.join("out/tracks.jsonl");
    /// let opts = ReplayOptions::default().with_tracks_out(&out);
    /// let report = replay_scene(&dir, &opts, |_| {})?;
    /// let rows: Vec<TrackRow> = RowReader::open(&out)?.collect::<Result<_, _>>()?;
    /// assert!(!rows.is_empty());
    /// assert!(rows.iter().all(|r| r.status == "confirmed" && r.cameras == ["radar"]));
    /// let last = rows.last().unwrap();
    /// assert!((last.vx - 1.3).abs() < 0.3 && last.vy.abs() < 0.3);
    /// assert_eq!(report.reported_tracks, 1);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn with_tracks_out(mut self, path: impl Into<PathBuf>) -> Self {
        self.tracks_out = Some(path.into());
        self
    }
    /// Keeps every output row in the report ([`ReplayReport::rows`]), as
    /// `(t, track, [x, y])`; off by default.
    ///
    /// ```
    /// use fusetrack::replay::{replay_scene, ReplayOptions};
    /// # fn scene(name: &str) -> std::path::PathBuf {
    /// #     let dir = std::env::temp_dir().join(name);
    /// #     std::fs::create_dir_all(&dir).unwrap();
    /// #     std::fs::write(dir.join("cameras.json"), r#"{"cameras": [{"id": "radar"}]}"#).unwrap();
    /// #     let lines: String = (0..20)
    /// #         .map(|k| format!("{{\"t\": {}, \"camera\": \"radar\", \"world\": [{}, 1.0]}}\n", k as f64 * 0.1, k as f64 * 0.13))
    /// #         .collect();
    /// #     std::fs::write(dir.join("detections.jsonl"), lines).unwrap();
    /// #     dir
    /// # }
    /// // `scene` writes a tiny scene folder: one radar sees one person walk
    /// // east at 1.3 m/s for 2 s (20 detections), as in `replay_scene`'s example.
    /// let dir = scene("fusetrack-doc-replay-rows");
    /// let kept = replay_scene(&dir, &ReplayOptions::default().with_rows(true), |_| {})?;
    /// assert!(!kept.rows.is_empty());
    /// // Every reported position is on the walker's path, x = 1.3 t, y = 1.
    /// for &(t, _, [x, y]) in &kept.rows {
    ///     assert!((x - 1.3 * t).abs() < 0.5 && (y - 1.0).abs() < 0.5, "{t}: {x} {y}");
    /// }
    /// assert!(replay_scene(&dir, &ReplayOptions::default(), |_| {})?.rows.is_empty());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn with_rows(mut self, keep: bool) -> Self {
        self.keep_rows = keep;
        self
    }
    /// Writes `alerts.jsonl` to `path` (when the scene has a `scene.json`).
    ///
    /// ```
    /// use fusetrack::replay::ReplayOptions;
    /// let o = ReplayOptions::default().with_alerts_out("out/alerts.jsonl");
    /// assert!(o.alerts && o.alerts_out.is_some());
    /// ```
    pub fn with_alerts_out(mut self, path: impl Into<PathBuf>) -> Self {
        self.alerts_out = Some(path.into());
        self
    }
}

/// What a replay did and how well.
///
/// Input errors do not stop a replay: they are counted in `error_count`
/// and the first ones kept in `errors`. `scores` is there only when the
/// scene has a `ground_truth.jsonl` and [`ReplayOptions::evaluate`] is on.
///
/// ```
/// use fusetrack::replay::{replay_scene, ReplayOptions};
/// let dir = std::env::temp_dir().join("fusetrack-doc-replay-report");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("cameras.json"), r#"{"cameras": [{"id": "radar"}]}"#).unwrap();
/// // A person walks east at 1.3 m/s along y = 1 for 3 s; the radar sees
/// // them every 0.1 s, and the ground truth says where they were.
/// let (mut det, mut gt) = (String::new(), String::new());
/// for k in 0..30 {
///     let (t, x) = (k as f64 * 0.1, k as f64 * 0.13);
///     det += &format!("{{\"t\": {t}, \"camera\": \"radar\", \"world\": [{x}, 1.0]}}\n");
///     gt += &format!("{{\"t\": {t}, \"id\": 1, \"x\": {x}, \"y\": 1.0}}\n");
/// }
/// det += "this line is not JSON\n";
/// std::fs::write(dir.join("detections.jsonl"), det).unwrap();
/// std::fs::write(dir.join("ground_truth.jsonl"), gt).unwrap();
///
/// let r = replay_scene(&dir, &ReplayOptions::default(), |_| {})?;
/// assert_eq!((r.cameras, r.lines, r.error_count), (1, 31, 1));
/// assert_eq!(r.stats.detections, 30);
/// assert_eq!(r.reported_tracks, 1);
/// assert_eq!(r.ground_truth.len(), 30);
/// let s = r.scores.as_ref().unwrap();
/// // Never a wrong position, and one identity throughout; the first
/// // samples are missed while the track is still tentative.
/// assert_eq!(s.precision, 1.0);
/// assert_eq!(s.idp, 1.0);
/// assert!(s.recall > 0.8 && s.recall < 1.0);
/// assert!(r.scene_rules.is_none() && r.alerts.is_empty()); // no scene.json
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct ReplayReport {
    /// Number of cameras.
    pub cameras: usize,
    /// Lines of `detections.jsonl` read.
    pub lines: u64,
    /// Input errors (file, line, field), the first `max_kept_errors` of them.
    pub errors: Vec<Error>,
    /// All input errors counted.
    pub error_count: u64,
    /// The tracker's counts at the end.
    pub stats: TrackerStats,
    /// Distinct track ids reported (confirmed at some time).
    pub reported_tracks: u64,
    /// Wall time of the whole replay (reading, tracking, writing), seconds.
    pub wall_s: f64,
    /// Time spent inside the tracker (push and step), seconds.
    pub tracker_s: f64,
    /// Scores, when the scene has ground truth and evaluation was asked.
    pub scores: Option<Scores>,
    /// Ground truth rows (when evaluated).
    pub ground_truth: Vec<GroundTruthRow>,
    /// Tracks sampled at the ground-truth times (when evaluated).
    pub sampled: Vec<TimedPoint>,
    /// Every output row `(t, track, [x, y])`, when `keep_rows` was asked.
    pub rows: Vec<TimedPoint>,
    /// The tracker at the end of the replay.
    pub tracker: Tracker,
    /// The scene's rules, when it has a `scene.json` (and alerts were asked).
    pub scene_rules: Option<SceneRules>,
    /// Every alert raised and ended notice, in the order emitted.
    pub alerts: Vec<Alert>,
    /// Alert scores, when the scene has `scene.json`, `incidents.jsonl` and
    /// ground truth (and evaluation was asked).
    pub alert_scores: Option<AlertScores>,
    /// Camera health reports (down, up, clock), in order.
    pub health: Vec<HealthRow>,
}

impl ReplayReport {
    /// Detections (boxes and world positions, not empty-frame markers) per
    /// second of tracker time ([`ReplayReport::tracker_s`]): the tracker's
    /// throughput, without the time spent reading and writing files.
    ///
    /// ```
    /// use fusetrack::replay::{replay_scene, ReplayOptions};
    /// # fn scene(name: &str) -> std::path::PathBuf {
    /// #     let dir = std::env::temp_dir().join(name);
    /// #     std::fs::create_dir_all(&dir).unwrap();
    /// #     std::fs::write(dir.join("cameras.json"), r#"{"cameras": [{"id": "radar"}]}"#).unwrap();
    /// #     let lines: String = (0..20)
    /// #         .map(|k| format!("{{\"t\": {}, \"camera\": \"radar\", \"world\": [{}, 1.0]}}\n", k as f64 * 0.1, k as f64 * 0.13))
    /// #         .collect();
    /// #     std::fs::write(dir.join("detections.jsonl"), lines).unwrap();
    /// #     dir
    /// # }
    /// // `scene` writes a tiny scene folder: one radar sees one person walk
    /// // east at 1.3 m/s for 2 s (20 detections), as in `replay_scene`'s example.
    /// let dir = scene("fusetrack-doc-replay-rate");
    /// let r = replay_scene(&dir, &ReplayOptions::default(), |_| {})?;
    /// assert_eq!(r.stats.detections, 20);
    /// assert!(r.tracker_s <= r.wall_s);
    /// let rate = r.detections_per_s();
    /// assert!(rate.is_finite() && rate > 0.0);
    /// assert!((rate * r.tracker_s.max(1e-9) - 20.0).abs() < 1e-6);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn detections_per_s(&self) -> f64 {
        self.stats.detections as f64 / self.tracker_s.max(1e-9)
    }
}

/// Replays the scene folder `dir` through a new tracker.
///
/// `on_progress` is called now and then with the number of lines read.
///
/// # Errors
/// Fatal problems only: a missing or unreadable `cameras.json` or
/// `detections.jsonl`, a bad configuration, an unwritable output. Bad
/// detection lines are counted and kept in the report, and the replay goes on.
///
/// ```
/// use fusetrack::replay::{replay_scene, ReplayOptions};
/// let dir = std::env::temp_dir().join("fusetrack-doc-replay");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("cameras.json"), r#"{"cameras": [{"id": "radar"}]}"#).unwrap();
/// let lines: String = (0..20)
///     .map(|k| format!("{{\"t\": {}, \"camera\": \"radar\", \"world\": [{}, 1.0]}}\n", k as f64 * 0.1, k as f64 * 0.13))
///     .collect();
/// std::fs::write(dir.join("detections.jsonl"), lines + "{\"t\": 9, \"camera\": \"nope\", \"world\": [0, 0]}\n").unwrap();
/// let report = replay_scene(&dir, &ReplayOptions::default(), |_| {}).unwrap();
/// assert_eq!(report.reported_tracks, 1);
/// assert_eq!(report.error_count, 1);
/// assert!(report.errors[0].to_string().contains("detections.jsonl:21"));
/// ```
pub fn replay_scene(
    dir: impl AsRef<Path>,
    options: &ReplayOptions,
    mut on_progress: impl FnMut(u64),
) -> Result<ReplayReport> {
    let wall = Instant::now();
    let scene = SceneDir::open(dir.as_ref())?;
    let rig = CameraRig::load(scene.cameras())?;
    let cameras = rig.len();
    let names: Vec<String> = rig.iter().map(|(_, c)| c.name().to_string()).collect();
    let ground_truth = if options.evaluate && scene.has_ground_truth() {
        read_ground_truth(scene.ground_truth())?
    } else {
        Vec::new()
    };
    let mut gt_times: Vec<f64> = ground_truth.iter().map(|r| r.t_s).collect();
    gt_times.sort_by(f64::total_cmp);
    gt_times.dedup();

    let scene_rules = if options.alerts && scene.scene().is_file() {
        Some(SceneRules::load(scene.scene())?)
    } else {
        None
    };
    let alert_writer = match (&options.alerts_out, &scene_rules) {
        (Some(p), Some(_)) => Some(AlertsJsonlWriter::create(p)?),
        _ => None,
    };

    let reader = DetectionReader::open(scene.detections(), &rig)?;
    let mut tracker = Tracker::new(options.config.clone(), rig.clone())?;
    let mut writer = match &options.tracks_out {
        Some(p) => {
            if let Some(parent) = p.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .map_err(|source| Error::Io { path: parent.to_path_buf(), source })?;
            }
            let f =
                std::fs::File::create(p).map_err(|source| Error::Io { path: p.clone(), source })?;
            Some(JsonlWriter::new(std::io::BufWriter::new(f), p.clone()))
        }
        None => None,
    };

    let mut st = State {
        gt_times,
        gi: 0,
        sampled: Vec::new(),
        rows: Vec::new(),
        reported: Vec::new(),
        tracker_s: 0.0,
        keep_rows: options.keep_rows,
        names,
        engine: scene_rules.clone().map(AlertEngine::new),
        alert_writer,
        alert_buf: Vec::new(),
        alerts: Vec::new(),
        health: Vec::new(),
    };
    let mut errors = Vec::new();
    let mut error_count = 0u64;
    let mut lines = 0u64;
    let det_path = scene.detections();
    let mut keep_error = |e: Error, errors: &mut Vec<Error>| {
        error_count += 1;
        if errors.len() < options.max_kept_errors {
            errors.push(e);
        }
    };
    for item in reader {
        lines += 1;
        if lines % 4096 == 0 {
            on_progress(lines);
        }
        match item {
            Ok(det) => {
                let t0 = Instant::now();
                let r = tracker.push(det);
                st.tracker_s += t0.elapsed().as_secs_f64();
                if let Err(e) = r {
                    keep_error(
                        e.with_location(&Location::file_line(&det_path, lines)),
                        &mut errors,
                    );
                }
            }
            Err(e) => keep_error(e, &mut errors),
        }
        st.drain(&mut tracker, &mut writer, false)?;
    }
    st.drain(&mut tracker, &mut writer, true)?;
    if let Some(engine) = st.engine.as_mut() {
        engine.finish(&mut st.alert_buf);
        st.emit_alerts()?;
    }
    if let Some(w) = st.alert_writer.take() {
        w.finish()?;
    }
    on_progress(lines);
    if let Some(w) = writer {
        w.finish()?.flush().map_err(|source| Error::Io {
            path: options.tracks_out.clone().unwrap_or_default(),
            source,
        })?;
    }
    let scores = if ground_truth.is_empty() {
        None
    } else {
        let gt: Vec<TimedPoint> = ground_truth.iter().map(|r| (r.t_s, r.id, [r.x, r.y])).collect();
        Some(evaluate_points(&gt, &st.sampled, options.threshold_m)?)
    };
    let alert_scores = match &scene_rules {
        Some(_) if scene.incidents().is_file() && !ground_truth.is_empty() => {
            let incidents = crate::io::read_incidents(scene.incidents())?;
            let rows: Vec<_> = st.alerts.iter().map(Alert::to_row).collect();
            Some(score_alerts(&rows, &incidents, &ground_truth, options.threshold_m)?)
        }
        _ => None,
    };
    st.reported.sort_unstable();
    st.reported.dedup();
    Ok(ReplayReport {
        cameras,
        lines,
        errors,
        error_count,
        stats: *tracker.stats(),
        reported_tracks: st.reported.len() as u64,
        wall_s: wall.elapsed().as_secs_f64(),
        tracker_s: st.tracker_s,
        scores,
        ground_truth,
        sampled: st.sampled,
        rows: st.rows,
        tracker,
        scene_rules,
        alerts: st.alerts,
        alert_scores,
        health: st.health,
    })
}

/// One line of `health.jsonl`: a camera went down, came back, or its
/// clock looks off. Collected by the replay in [`ReplayReport::health`]
/// (the `track` example writes them to `health.jsonl`, see
/// [`SceneDir::health`](crate::io::SceneDir::health)); the schema is fusetrack's own
/// (FORMATS.md leaves it to the project).
///
/// ```
/// use fusetrack::replay::HealthRow;
/// let r = HealthRow { rx: 31.2, camera: "east-block".into(), event: "camera_down".into(), last_rx: Some(30.0), offset_s: None };
/// assert_eq!(
///     serde_json::to_string(&r).unwrap(),
///     r#"{"rx":31.2,"camera":"east-block","event":"camera_down","last_rx":30.0}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HealthRow {
    /// Arrival-clock time of the report, seconds.
    pub rx: f64,
    /// The camera's name.
    pub camera: String,
    /// `camera_down`, `camera_up`, `clock_suspect` or `clock_ok`.
    pub event: String,
    /// For `camera_down`: arrival time of its last frame, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_rx: Option<f64>,
    /// For clock reports: the estimated offset, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_s: Option<f64>,
}

impl crate::io::JsonlRow for HealthRow {
    fn invalid_field(&self) -> Option<(&'static str, &'static str)> {
        (!self.rx.is_finite()).then_some(("rx", "must be a finite number"))
    }
}

struct State {
    gt_times: Vec<f64>,
    gi: usize,
    sampled: Vec<TimedPoint>,
    rows: Vec<TimedPoint>,
    reported: Vec<u64>,
    tracker_s: f64,
    keep_rows: bool,
    names: Vec<String>,
    engine: Option<AlertEngine>,
    alert_writer: Option<AlertsJsonlWriter<std::io::BufWriter<std::fs::File>>>,
    alert_buf: Vec<Alert>,
    alerts: Vec<Alert>,
    health: Vec<HealthRow>,
}

impl State {
    /// Keeps the camera health events and drops the rest, so that the
    /// tracker's event list does not grow through a long replay.
    fn collect_health(&mut self, tracker: &mut Tracker) {
        let names = &self.names;
        let name = |c: crate::CameraId| names.get(c.index()).cloned().unwrap_or_default();
        for e in tracker.drain_events() {
            let row = match e {
                Event::CameraDown { camera, last_rx_s, rx_s } => HealthRow {
                    rx: rx_s,
                    camera: name(camera),
                    event: "camera_down".into(),
                    last_rx: Some(last_rx_s),
                    offset_s: None,
                },
                Event::CameraUp { camera, rx_s } => HealthRow {
                    rx: rx_s,
                    camera: name(camera),
                    event: "camera_up".into(),
                    last_rx: None,
                    offset_s: None,
                },
                Event::CameraClockOffset { camera, offset_s, suspect, rx_s } => HealthRow {
                    rx: rx_s,
                    camera: name(camera),
                    event: if suspect { "clock_suspect" } else { "clock_ok" }.into(),
                    last_rx: None,
                    offset_s: Some(offset_s),
                },
                _ => continue,
            };
            self.health.push(row);
        }
    }

    /// Processes every capture time ready (all, when `flush`), sampling
    /// the ground-truth times that fall before each.
    fn drain(
        &mut self,
        tracker: &mut Tracker,
        writer: &mut Option<JsonlWriter<std::io::BufWriter<std::fs::File>>>,
        flush: bool,
    ) -> Result<()> {
        loop {
            let next =
                if flush { tracker.earliest_pending_t_s() } else { tracker.next_ready_t_s() };
            let Some(next) = next else {
                // Late detections count at once, not at the next frame.
                let t0 = Instant::now();
                tracker.apply_late()?;
                self.tracker_s += t0.elapsed().as_secs_f64();
                if flush {
                    // Ground-truth times up to the last processed time.
                    if let Some(now) = tracker.time_s() {
                        self.sample_until(tracker, now, true);
                    }
                }
                return Ok(());
            };
            self.sample_until(tracker, next, false);
            let t0 = Instant::now();
            let stepped = if flush { tracker.flush_step()? } else { tracker.step()? };
            self.tracker_s += t0.elapsed().as_secs_f64();
            self.collect_health(tracker);
            let Some(t) = stepped else { return Ok(()) };
            if let Some(engine) = self.engine.as_mut() {
                engine.observe(tracker, &mut self.alert_buf);
                self.emit_alerts()?;
            }
            for tr in tracker.confirmed_tracks() {
                self.reported.push(tr.id().0);
                if self.keep_rows {
                    self.rows.push((t, tr.id().0, tr.position()));
                }
                if let Some(w) = writer.as_mut() {
                    let [x, y] = tr.position();
                    let [vx, vy] = tr.velocity();
                    let cameras = tracker
                        .contributing_cameras(tr)
                        .filter_map(|c| self.names.get(c.index()).cloned())
                        .collect();
                    w.write(&TrackRow {
                        t_s: t,
                        track: tr.id(),
                        x,
                        y,
                        vx,
                        vy,
                        cov: tr.position_cov(),
                        status: "confirmed".into(),
                        cameras,
                    })?;
                }
            }
            self.reported.sort_unstable();
            self.reported.dedup();
        }
    }

    /// Writes and keeps the alerts of the latest observation.
    fn emit_alerts(&mut self) -> Result<()> {
        for a in self.alert_buf.drain(..) {
            if let Some(w) = self.alert_writer.as_mut() {
                w.alert(&a)?;
            }
            self.alerts.push(a);
        }
        Ok(())
    }

    /// Samples the reported tracks at every ground-truth time before `until`
    /// (or at it, when `inclusive`), from their latest state.
    fn sample_until(&mut self, tracker: &Tracker, until: f64, inclusive: bool) {
        while self.gi < self.gt_times.len() {
            let g = self.gt_times[self.gi];
            if g > until || (!inclusive && g == until) {
                break;
            }
            if tracker.time_s().is_some() {
                for tr in tracker.confirmed_tracks() {
                    let model = tracker.config().model(tr.kind()).motion;
                    if let Ok(p) = tr.position_at(&model, g) {
                        self.sampled.push((g, tr.id().0, p));
                    }
                }
            }
            self.gi += 1;
        }
    }
}
