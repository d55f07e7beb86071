//! Running a [`SceneSpec`]: motion of every object, then every camera frame.

use std::path::Path;

use crate::geometry::{Camera, CameraKind, CameraRig};
use crate::io::{DetectionWriter, GroundTruthRow, Incident, JsonlWriter, SceneDir};
use crate::{BBox, CameraId, Detection, Error, Location, Observation, Result};

use super::motion::{Leg, ObjectClass, Pose, STEP_S, Trajectory, beside, integrate};
use super::rng::Rng;
use super::routes::{edge_point, inner_point, network_route};
use super::social::{self, Door, Entrances, Walker};
use super::spec::{CrowdSpec, Paths, RigSpec, SceneSpec, SensorSpec, TrafficSpec};

/// Rounds to 1 ms.
fn ms(t: f64) -> f64 {
    (t * 1000.0).round() / 1000.0
}
/// Rounds to 0.1 px.
fn px(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
/// Rounds to 1 mm.
fn mm(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// One simulated object: its class, size and where it is over time.
#[derive(Debug, Clone)]
struct SimObject {
    id: u64,
    class: ObjectClass,
    /// Index into the trajectories (group members share their leader's).
    traj: usize,
    /// Sideways offset from the trajectory, metres (group members).
    lateral_m: f64,
    /// `[length, width, height]`, metres.
    size_m: [f64; 3],
    /// Smallest id of its group, if it walks in one.
    group: Option<u64>,
    /// Index in `SceneSpec::actors`, for a scripted actor.
    actor: Option<usize>,
}

/// What one simulated object is: the ground truth's id, and how it moves.
///
/// ```
/// use fusetrack::sim::{ObjectClass, SceneSpec, simulate};
/// let mut spec = SceneSpec::museum();
/// spec.duration_s = 2.0;
/// let scene = simulate(&spec)?;
/// // The scripted actors come first, ids 1..=4, in spec order.
/// let guard = &scene.objects[0];
/// assert_eq!((guard.id, guard.class, guard.actor, guard.group), (1, ObjectClass::Person, Some(0), None));
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SimulatedObject {
    /// Its id in the ground truth.
    pub id: u64,
    /// Person or car.
    pub class: ObjectClass,
    /// For a member of a group walking together: the smallest id in the group.
    pub group: Option<u64>,
    /// For a scripted actor: its index in [`SceneSpec::actors`].
    pub actor: Option<usize>,
}

/// The result of [`simulate`]: the contents of a scene folder, in memory.
///
/// ```no_run
/// use fusetrack::sim::{SceneSpec, simulate};
/// let scene = simulate(&SceneSpec::museum())?;
/// scene.write("out/museum")?;
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SimulatedScene {
    /// The camera rig.
    pub rig: CameraRig,
    /// The text of `cameras.json`.
    pub cameras_json: String,
    /// The detections, sorted by arrival time `rx`.
    pub detections: Vec<Detection>,
    /// The ground truth, sorted by time then id.
    pub ground_truth: Vec<GroundTruthRow>,
    /// The true incidents.
    pub incidents: Vec<Incident>,
    /// Every object, by id (not written to the folder).
    pub objects: Vec<SimulatedObject>,
}

impl SimulatedScene {
    /// Writes `cameras.json`, `detections.jsonl`, `ground_truth.jsonl` and,
    /// if there are incidents, `incidents.jsonl` into `dir` (created if
    /// needed). Existing files of those names are replaced; nothing else in
    /// `dir` is touched.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file that could not be written.
    ///
    /// ```
    /// use fusetrack::io::{read_ground_truth, read_incidents, SceneDir};
    /// use fusetrack::sim::{simulate, SceneSpec};
    /// use fusetrack::CameraRig;
    /// let mut spec = SceneSpec::museum();
    /// spec.duration_s = 3.0;
    /// let scene = simulate(&spec)?;
    /// let dir = std::env::temp_dir().join(format!("fusetrack-doc-write-{}", std::process::id()));
    /// scene.write(&dir)?;
    /// let files = SceneDir::new(&dir);
    /// assert_eq!(CameraRig::load(files.cameras())?.len(), scene.rig.len());
    /// assert_eq!(read_ground_truth(files.ground_truth())?, scene.ground_truth);
    /// let lines = std::fs::read_to_string(files.detections()).unwrap().lines().count();
    /// assert_eq!(lines, scene.detections.len());
    /// // No incident in the first 3 s: no incidents.jsonl.
    /// assert!(scene.incidents.is_empty() && !files.incidents().exists());
    /// std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn write(&self, dir: impl AsRef<Path>) -> Result<()> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir)
            .map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
        let s = SceneDir::new(dir);
        let cams = s.cameras();
        std::fs::write(&cams, &self.cameras_json)
            .map_err(|source| Error::Io { path: cams, source })?;
        let mut w = DetectionWriter::create(s.detections(), &self.rig)?;
        for d in &self.detections {
            w.write(d)?;
        }
        w.finish()?;
        let mut g = JsonlWriter::create(s.ground_truth())?;
        for r in &self.ground_truth {
            g.write(r)?;
        }
        g.finish()?;
        if !self.incidents.is_empty() {
            let mut i = JsonlWriter::create(s.incidents())?;
            for r in &self.incidents {
                i.write(r)?;
            }
            i.finish()?;
        }
        Ok(())
    }
}

fn config(field: &str, reason: impl Into<String>) -> Error {
    Error::Config { field: field.to_owned(), reason: reason.into() }
}

/// Runs the scene described by `spec`: the same spec gives the same scene.
///
/// # Errors
/// [`Error::Config`] for an unusable spec (a sensor naming no camera, a
/// non-positive rate or duration), or the rig's own errors.
///
/// ```
/// use fusetrack::sim::{SceneSpec, simulate};
/// let mut spec = SceneSpec::museum();
/// spec.duration_s = 5.0;
/// let a = simulate(&spec)?;
/// let b = simulate(&spec)?;
/// assert_eq!(a.detections, b.detections);
/// assert!(a.detections.windows(2).all(|w| w[0].rx_s <= w[1].rx_s));
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub fn simulate(spec: &SceneSpec) -> Result<SimulatedScene> {
    if !(spec.duration_s > 0.0 && spec.duration_s.is_finite()) {
        return Err(config("duration_s", "must be a positive number of seconds"));
    }
    if !(spec.ground_truth_hz > 0.0 && spec.ground_truth_hz.is_finite()) {
        return Err(config("ground_truth_hz", "must be positive"));
    }
    let (rig, cameras_json) = build_rig(spec)?;
    let mut sensors: Vec<(CameraId, &SensorSpec)> = Vec::with_capacity(spec.sensors.len());
    for (i, s) in spec.sensors.iter().enumerate() {
        let id = rig.id(&s.camera).ok_or_else(|| {
            config(&format!("sensors[{i}].camera"), format!("no camera named `{}`", s.camera))
        })?;
        if rig.get(id).is_some_and(|c| c.kind() == CameraKind::WorldSensor) {
            return Err(config(
                &format!("sensors[{i}].camera"),
                "the simulator needs a calibrated camera",
            ));
        }
        if !(s.fps > 0.0 && s.fps.is_finite()) {
            return Err(config(&format!("sensors[{i}].fps"), "must be positive"));
        }
        sensors.push((id, s));
    }

    let (trajs, objects) = move_objects(spec);
    let ground_truth = ground_truth(spec, &rig, &trajs, &objects);
    let incidents = incidents(spec, &trajs, &objects);

    let mut lines: Vec<(i64, u32, u64, u32, Detection)> = Vec::new();
    for (id, s) in &sensors {
        let Some(cam) = rig.get(*id) else { continue };
        let mut rng = Rng::substream(spec.seed, 1_000 + u64::from(id.0));
        sense(spec, cam, *id, s, &trajs, &objects, &mut rng, &mut lines);
    }
    lines.sort_by_key(|l| (l.0, l.1, l.2, l.3));
    let detections = lines.into_iter().map(|l| l.4).collect();
    let objects = objects
        .iter()
        .map(|o| SimulatedObject { id: o.id, class: o.class, group: o.group, actor: o.actor })
        .collect();
    Ok(SimulatedScene { rig, cameras_json, detections, ground_truth, incidents, objects })
}

fn build_rig(spec: &SceneSpec) -> Result<(CameraRig, String)> {
    match &spec.rig {
        RigSpec::CamerasJson(text) => {
            let rig = CameraRig::from_json_str(text, &Location::file("cameras.json (scene spec)"))?;
            Ok((rig, text.clone()))
        }
        RigSpec::LookAt(cams) => {
            let mut out = Vec::with_capacity(cams.len());
            for c in cams {
                let mut cam = Camera::look_at(
                    &c.name,
                    c.image_size_px,
                    c.focal_px,
                    c.position_m,
                    c.target_m,
                )?;
                if let Some(s) = spec.sensors.iter().find(|s| s.camera == c.name) {
                    cam = cam
                        .with_fps(s.fps)
                        .with_pixel_noise_px(s.pixel_noise_px)
                        .with_latency_s(s.latency_s);
                }
                out.push(cam);
            }
            let rig = CameraRig::new(out)?;
            let mut text = rig.to_json_string();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            Ok((rig, text))
        }
    }
}

// ---------------------------------------------------------------------------
// Motion
// ---------------------------------------------------------------------------

fn person_height(spec: &SceneSpec, rng: &mut Rng) -> f64 {
    let p = &spec.people;
    rng.gauss(p.height_mean_m, p.height_sd_m)
        .clamp(p.height_mean_m - 3.0 * p.height_sd_m, p.height_mean_m + 3.0 * p.height_sd_m)
}

fn walking_speed(spec: &SceneSpec, rng: &mut Rng) -> f64 {
    let p = &spec.people;
    rng.gauss(p.speed_mean_m_per_s, p.speed_sd_m_per_s)
        .clamp(p.speed_clip_m_per_s[0], p.speed_clip_m_per_s[1])
}

/// A pending object before ids are given: when it starts, and what it is.
struct Pending {
    start_s: f64,
    order: usize,
    class: ObjectClass,
    traj: usize,
    lateral_m: f64,
    size_m: [f64; 3],
}

/// Integrates every object; ids: actors `1..=n` in spec order, then the
/// others in order of appearance. People (actors and crowd) walk together
/// through [`social::walk`]; cars drive their lanes on their own.
fn move_objects(spec: &SceneSpec) -> (Vec<Trajectory>, Vec<SimObject>) {
    let w = spec.people.width_m;
    let mut pop = Population::new(spec);
    let (mut trajs, _stats) = social::walk(spec.duration_s, &mut pop);
    let mut actor_traj: Vec<Option<usize>> = vec![None; spec.actors.len()];
    let mut pending: Vec<Pending> = Vec::new();
    for (ti, e) in pop.entered.iter().enumerate() {
        match e {
            Entered::Actor(ai) => {
                if let Some(slot) = actor_traj.get_mut(*ai) {
                    *slot = Some(ti);
                }
            }
            Entered::Crowd { start_s, lateral_m, heights_m } => {
                for (&lat, &h) in lateral_m.iter().zip(heights_m) {
                    pending.push(Pending {
                        start_s: *start_s,
                        order: pending.len(),
                        class: ObjectClass::Person,
                        traj: ti,
                        lateral_m: lat,
                        size_m: [w, w, h],
                    });
                }
            }
        }
    }
    let mut objects = Vec::new();
    for (ai, a) in spec.actors.iter().enumerate() {
        let ti = match actor_traj.get(ai).copied().flatten() {
            Some(ti) if a.class == ObjectClass::Person => ti,
            _ => {
                // Cars (and actors that never enter) move on their own.
                let mut rng = Rng::substream(spec.seed, ACTOR_STREAM + ai as u64);
                trajs.push(integrate(
                    a.class,
                    a.start_s,
                    a.start_m,
                    &actor_legs(a),
                    spec.duration_s,
                    &mut rng,
                ));
                trajs.len() - 1
            }
        };
        // A car actor has the traffic's car footprint (or a common car's).
        let size_m = match a.class {
            ObjectClass::Car => {
                let [l, cw, _] = spec.traffic.as_ref().map_or(CAR_SIZE_M, |t| t.size_m);
                [l, cw, a.height_m]
            }
            ObjectClass::Person => [w, w, a.height_m],
        };
        objects.push(SimObject {
            id: objects.len() as u64 + 1,
            class: a.class,
            traj: ti,
            lateral_m: 0.0,
            size_m,
            group: None,
            actor: Some(ai),
        });
    }
    if let Some(t) = &spec.traffic {
        let mut rng = Rng::substream(spec.seed, TRAFFIC_STREAM);
        traffic(spec, t, &mut rng, &mut trajs, &mut pending);
    }
    pending.sort_by(|a, b| a.start_s.total_cmp(&b.start_s).then(a.order.cmp(&b.order)));
    let first_crowd = objects.len();
    for p in pending {
        objects.push(SimObject {
            id: objects.len() as u64 + 1,
            class: p.class,
            traj: p.traj,
            lateral_m: p.lateral_m,
            size_m: p.size_m,
            group: None,
            actor: None,
        });
    }
    // Groups: members share a trajectory; the group is named by its smallest id.
    let mut leader: std::collections::BTreeMap<usize, (u64, usize)> = Default::default();
    for o in objects.iter().skip(first_crowd).filter(|o| o.class == ObjectClass::Person) {
        let e = leader.entry(o.traj).or_insert((o.id, 0));
        e.0 = e.0.min(o.id);
        e.1 += 1;
    }
    for o in objects.iter_mut().skip(first_crowd) {
        if let Some(&(id, n)) = leader.get(&o.traj) {
            if n > 1 {
                o.group = Some(id);
            }
        }
    }
    (trajs, objects)
}

/// `[length, width, height]` of a car actor in a scene without traffic, metres.
const CAR_SIZE_M: [f64; 3] = [4.5, 1.8, 1.5];

/// Random sub-streams: crowd slot `s` uses `CROWD_STREAM + s`, actor `i`
/// `ACTOR_STREAM + i`, the traffic `TRAFFIC_STREAM` (cameras use `1_000 + id`).
const CROWD_STREAM: u64 = 10_000;
const ACTOR_STREAM: u64 = 20_000;
const TRAFFIC_STREAM: u64 = 2;

/// An actor's route (repeated, if it repeats).
fn actor_legs(a: &super::spec::ActorSpec) -> Vec<Leg> {
    if a.repeat {
        a.legs.iter().copied().cycle().take(a.legs.len().saturating_mul(200)).collect()
    } else {
        a.legs.clone()
    }
}

/// A unit that entered the walk, in order of entry.
enum Entered {
    Actor(usize),
    Crowd { start_s: f64, lateral_m: Vec<f64>, heights_m: Vec<f64> },
}

/// One place in the crowd: a walker (or group) at a time, replaced after it leaves.
struct Slot {
    rng: Rng,
    /// When the next walker may enter (infinity while one walks).
    next_s: f64,
    first: bool,
    /// A drawn walker waiting for room to enter, with its members' heights.
    ready: Option<(Walker, Vec<f64>)>,
}

/// The people of a scene: scripted actors at their times, the crowd kept
/// at its count. Tags: actor `i` is `i`, slot `s` is `actors.len() + s`.
struct Population<'a> {
    spec: &'a SceneSpec,
    /// Person actors not yet entered, in spec order.
    waiting_actors: Vec<usize>,
    slots: Vec<Slot>,
    entered: Vec<Entered>,
}

impl<'a> Population<'a> {
    fn new(spec: &'a SceneSpec) -> Self {
        let waiting_actors = spec
            .actors
            .iter()
            .enumerate()
            .filter(|(_, a)| a.class == ObjectClass::Person)
            .map(|(i, _)| i)
            .collect();
        let n = spec.crowd.as_ref().map_or(0, |c| c.count);
        let slots = (0..n)
            .map(|s| Slot {
                rng: Rng::substream(spec.seed, CROWD_STREAM + s as u64),
                next_s: 0.0,
                first: true,
                ready: None,
            })
            .collect();
        Self { spec, waiting_actors, slots, entered: Vec::new() }
    }
}

/// Draws a crowd walker (or group): speed, route, pauses, members.
fn draw_walker(
    spec: &SceneSpec,
    c: &CrowdSpec,
    first: bool,
    tag: usize,
    rng: &mut Rng,
) -> Option<(Walker, Vec<f64>)> {
    let speed = walking_speed(spec, rng);
    let (start, points) = match &c.paths {
        Paths::OpenArea { waypoints } => {
            let k = waypoints[0] + rng.index(waypoints[1].saturating_sub(waypoints[0]) + 1);
            let start =
                if first { inner_point(&spec.area, rng) } else { edge_point(&spec.area, rng) };
            let mut pts: Vec<[f64; 2]> = (0..k).map(|_| inner_point(&spec.area, rng)).collect();
            pts.push(edge_point(&spec.area, rng));
            (start, pts)
        }
        Paths::Network(g) => {
            let (s, pts) = network_route(g, rng)?;
            if first {
                // Start somewhere along the route.
                let cut = rng.index(pts.len());
                let s0 = if cut == 0 { s } else { pts.get(cut - 1).copied().unwrap_or(s) };
                let a = pts.get(cut).copied().unwrap_or(s0);
                let f = rng.uniform();
                (
                    [s0[0] + f * (a[0] - s0[0]), s0[1] + f * (a[1] - s0[1])],
                    pts.get(cut..).map(<[_]>::to_vec).unwrap_or_default(),
                )
            } else {
                (s, pts)
            }
        }
    };
    let n_pts = points.len();
    let legs: Vec<Leg> = points
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let pause = if i + 1 < n_pts && rng.chance(c.pause_probability) {
                rng.range(c.pause_s[0], c.pause_s[1])
            } else {
                0.0
            };
            Leg::new(p, speed).with_pause(pause)
        })
        .collect();
    let members = if rng.chance(c.group_probability) { 2 + rng.index(2) } else { 1 };
    let s = c.group_spacing_m;
    let lateral_m = match members {
        1 => vec![0.0],
        2 => vec![-0.5 * s, 0.5 * s],
        _ => vec![-s, 0.0, s],
    };
    let heights = lateral_m.iter().map(|_| person_height(spec, rng)).collect();
    let walker_rng = Rng::new(rng.next_u64());
    Some((Walker { tag, start, legs, lateral_m, scripted: false, rng: walker_rng }, heights))
}

impl Entrances for Population<'_> {
    fn arrivals(&mut self, t_s: f64, door: &mut Door<'_>) {
        let spec = self.spec;
        let eps = 1e-9;
        let mut i = 0;
        while let Some(&ai) = self.waiting_actors.get(i) {
            match spec.actors.get(ai) {
                Some(a) if a.start_s <= t_s + eps => {
                    door.enter(Walker {
                        tag: ai,
                        start: a.start_m,
                        legs: actor_legs(a),
                        lateral_m: vec![0.0],
                        scripted: true,
                        rng: Rng::substream(spec.seed, ACTOR_STREAM + ai as u64),
                    });
                    self.entered.push(Entered::Actor(ai));
                    self.waiting_actors.remove(i);
                }
                _ => i += 1,
            }
        }
        let Some(c) = &spec.crowd else { return };
        let n_actors = spec.actors.len();
        for (si, slot) in self.slots.iter_mut().enumerate() {
            if slot.next_s > t_s + eps {
                continue;
            }
            // The first walkers start inside: draw again where it is crowded.
            // Later ones wait at the edge until there is room.
            let tries = if slot.ready.is_some() {
                1
            } else if slot.first {
                30
            } else {
                1
            };
            for attempt in 0..tries {
                let ready = if attempt > 0 { None } else { slot.ready.take() };
                let (w, heights_m) = match ready {
                    Some(r) => r,
                    None => match draw_walker(spec, c, slot.first, n_actors + si, &mut slot.rng) {
                        Some(r) => r,
                        None => {
                            slot.next_s = f64::INFINITY;
                            break;
                        }
                    },
                };
                let lateral_m = w.lateral_m.clone();
                match door.try_enter(w) {
                    Ok(()) => {
                        self.entered.push(Entered::Crowd { start_s: t_s, lateral_m, heights_m });
                        slot.next_s = f64::INFINITY;
                        break;
                    }
                    Err(w) => slot.ready = Some((w, heights_m)),
                }
            }
        }
    }

    fn left(&mut self, tag: usize, t_s: f64) {
        let Some(c) = &self.spec.crowd else { return };
        let Some(slot) =
            tag.checked_sub(self.spec.actors.len()).and_then(|s| self.slots.get_mut(s))
        else {
            return;
        };
        slot.first = false;
        slot.next_s = t_s + slot.rng.range(c.respawn_s[0], c.respawn_s[1]);
    }
}
fn traffic(
    spec: &SceneSpec,
    t: &TrafficSpec,
    rng: &mut Rng,
    trajs: &mut Vec<Trajectory>,
    pending: &mut Vec<Pending>,
) {
    for lane in &t.lanes {
        let mut t0 = rng.range(0.0, t.gap_s[1]);
        while t0 < spec.duration_s {
            let v = rng.range(t.speed_m_per_s[0], t.speed_m_per_s[1]);
            let mut legs = Vec::new();
            if let Some(stop) = lane.stop_m {
                let pause = if rng.chance(t.stop_probability) {
                    rng.range(t.stop_s[0], t.stop_s[1])
                } else {
                    0.0
                };
                legs.push(Leg::new(stop, v).with_pause(pause));
            }
            legs.push(Leg::new(lane.to_m, v));
            let traj = integrate(ObjectClass::Car, t0, lane.from_m, &legs, spec.duration_s, rng);
            let end = traj.end_s();
            trajs.push(traj);
            pending.push(Pending {
                start_s: t0,
                order: pending.len(),
                class: ObjectClass::Car,
                traj: trajs.len() - 1,
                lateral_m: 0.0,
                size_m: t.size_m,
            });
            t0 = end + rng.range(t.gap_s[0], t.gap_s[1]);
        }
    }
}

fn pose(trajs: &[Trajectory], o: &SimObject, t_s: f64) -> Option<Pose> {
    let p = trajs.get(o.traj)?.at(t_s)?;
    Some(if o.lateral_m == 0.0 { p } else { beside(p, o.lateral_m) })
}

/// Ground truth: every object inside the scene area, and every object
/// outside it that some camera could see (in its image, no wall between):
/// a tracker that follows a visible person a step outside the area is
/// right, not a false positive.
fn ground_truth(
    spec: &SceneSpec,
    rig: &CameraRig,
    trajs: &[Trajectory],
    objects: &[SimObject],
) -> Vec<GroundTruthRow> {
    let mut rows = Vec::new();
    let n = (spec.duration_s * spec.ground_truth_hz).ceil() as u64;
    for k in 0..n {
        let t = ms(k as f64 / spec.ground_truth_hz);
        if t >= spec.duration_s {
            break;
        }
        for o in objects {
            if let Some(p) = pose(trajs, o, t) {
                let visible = || {
                    rig.iter().any(|(_, cam)| {
                        let Some(c) = cam.centre_m() else { return false };
                        !spec
                            .walls_m
                            .iter()
                            .any(|w| segments_cross([c[0], c[1]], [p.x, p.y], w[0], w[1]))
                            && image_box(cam, o.class, o.size_m, p).is_some()
                    })
                };
                if spec.area.contains([p.x, p.y]) || visible() {
                    rows.push(GroundTruthRow { t_s: t, id: o.id, x: mm(p.x), y: mm(p.y) });
                }
            }
        }
    }
    rows
}

fn incidents(spec: &SceneSpec, trajs: &[Trajectory], objects: &[SimObject]) -> Vec<Incident> {
    let mut out = Vec::new();
    for inc in &spec.incidents {
        let mut first = f64::INFINITY;
        let mut last = f64::NEG_INFINITY;
        for &a in &inc.actors {
            let Some(o) = objects.get(a) else { continue };
            let Some(tr) = trajs.get(o.traj) else { continue };
            for (i, p) in tr.poses.iter().enumerate() {
                let t = tr.start_s + i as f64 * STEP_S;
                // An actor due after the end has a pose there: not in the scene.
                if t >= spec.duration_s {
                    break;
                }
                if inc.region.contains([p.x, p.y]) {
                    first = first.min(t);
                    last = last.max(t);
                }
            }
        }
        if first <= last {
            out.push(Incident {
                t_s: ms(first),
                until_s: ms(last),
                kind: inc.kind.clone(),
                ids: inc.actors.iter().filter_map(|&a| objects.get(a)).map(|o| o.id).collect(),
                zone: inc.zone.clone(),
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Sensing
// ---------------------------------------------------------------------------

/// True when the segments `a0-a1` and `b0-b1` cross.
fn segments_cross(a0: [f64; 2], a1: [f64; 2], b0: [f64; 2], b1: [f64; 2]) -> bool {
    let orient = |p: [f64; 2], q: [f64; 2], r: [f64; 2]| {
        (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    };
    let d1 = orient(b0, b1, a0);
    let d2 = orient(b0, b1, a1);
    let d3 = orient(a0, a1, b0);
    let d4 = orient(a0, a1, b1);
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// The image box of an object at `p`, if its ground contact point is in
/// front of the camera and in the image. Returns the box (clipped to the
/// image) and the distance from the camera, metres.
pub(crate) fn image_box(
    cam: &Camera,
    class: ObjectClass,
    size_m: [f64; 3],
    p: Pose,
) -> Option<(BBox, f64)> {
    let [iw, ih] = cam.image_size_px()?;
    let (iw, ih) = (f64::from(iw), f64::from(ih));
    let c = cam.centre_m()?;
    let [len, wid, h] = size_m;
    let dist = (p.x - c[0]).hypot(p.y - c[1]).hypot(0.5 * h - c[2]);
    match class {
        ObjectClass::Person => {
            let foot = cam.world_to_image([p.x, p.y, 0.0])?;
            let head = cam.world_to_image([p.x, p.y, h])?;
            let h_px = foot.y - head.y;
            if h_px.is_nan() || h_px <= 1.0 {
                return None;
            }
            let w_px = h_px * wid / h;
            let x0 = foot.x - 0.5 * w_px;
            if !(x0 >= 0.0 && x0 + w_px <= iw && foot.y >= 0.0 && foot.y <= ih) {
                return None;
            }
            let top = head.y.max(0.0);
            Some((BBox { x: x0, y: top, w: w_px, h: foot.y - top }, dist))
        }
        ObjectClass::Car => {
            let (s, co) = p.heading.sin_cos();
            let mut lo = [f64::INFINITY; 2];
            let mut hi = [f64::NEG_INFINITY; 2];
            for (a, b, z) in [
                (0.5, 0.5, 0.0),
                (0.5, -0.5, 0.0),
                (-0.5, 0.5, 0.0),
                (-0.5, -0.5, 0.0),
                (0.5, 0.5, h),
                (0.5, -0.5, h),
                (-0.5, 0.5, h),
                (-0.5, -0.5, h),
            ] {
                let (dx, dy) = (a * len, b * wid);
                let q = cam.world_to_image([p.x + co * dx - s * dy, p.y + s * dx + co * dy, z])?;
                lo = [lo[0].min(q.x), lo[1].min(q.y)];
                hi = [hi[0].max(q.x), hi[1].max(q.y)];
            }
            let fx = 0.5 * (lo[0] + hi[0]);
            if !(fx >= 0.0 && fx <= iw && hi[1] >= 0.0 && hi[1] <= ih) {
                return None;
            }
            let x0 = lo[0].max(0.0);
            let x1 = hi[0].min(iw);
            let y0 = lo[1].max(0.0);
            if !(x1 - x0 > 1.0 && hi[1] - y0 > 1.0) {
                return None;
            }
            Some((BBox { x: x0, y: y0, w: x1 - x0, h: hi[1] - y0 }, dist))
        }
    }
}

fn overlap_area(a: &BBox, b: &BBox) -> f64 {
    let w = (a.x + a.w).min(b.x + b.w) - a.x.max(b.x);
    let h = (a.y + a.h).min(b.y + b.h) - a.y.max(b.y);
    if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
}

/// Fraction of an object's image box above which it counts as hidden: a
/// camera does not detect an object whose box is covered by the boxes of
/// nearer objects over more than this fraction of its area.
///
/// ```
/// use fusetrack::sim::{simulate, ActorSpec, Leg, ObjectClass, SceneSpec, SensorSpec, OCCLUSION_HIDDEN_FRACTION};
/// use fusetrack::{BBox, Observation};
/// assert_eq!(OCCLUSION_HIDDEN_FRACTION, 0.6);
/// let stand = |at: [f64; 2]| ActorSpec {
///     name: "visitor".into(),
///     class: ObjectClass::Person,
///     start_s: 0.0,
///     start_m: at,
///     legs: vec![Leg::new(at, 1.0).with_pause(60.0)],
///     repeat: false,
///     height_m: 1.75,
/// };
/// let mut spec = SceneSpec::museum();
/// spec.duration_s = 2.0;
/// spec.incidents.clear();
/// // One perfect camera in the corridor, looking east from its west end.
/// spec.sensors = vec![SensorSpec { p_detect: 1.0, false_positives_per_frame: 0.0,
///     ..SensorSpec::digital("corridor-west", 10.0) }];
/// let boxes = |spec: &SceneSpec| -> fusetrack::Result<Vec<BBox>> {
///     Ok(simulate(spec)?.detections.iter().filter_map(|d| match d.observation {
///         Observation::BBox(b) => Some(b),
///         _ => None,
///     }).collect())
/// };
/// // Side by side across the line of sight: both seen in all 20 frames.
/// spec.actors = vec![stand([8.0, 2.0]), stand([8.0, 4.5])];
/// assert_eq!(boxes(&spec)?.len(), 40);
/// // One right behind the other: the far one is hidden.
/// spec.actors = vec![stand([8.0, 2.5]), stand([9.0, 2.8])];
/// assert_eq!(boxes(&spec)?.len(), 20);
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub const OCCLUSION_HIDDEN_FRACTION: f64 = 0.6;

#[allow(clippy::too_many_arguments)]
fn sense(
    spec: &SceneSpec,
    cam: &Camera,
    cam_id: CameraId,
    s: &SensorSpec,
    trajs: &[Trajectory],
    objects: &[SimObject],
    rng: &mut Rng,
    lines: &mut Vec<(i64, u32, u64, u32, Detection)>,
) {
    let Some(centre) = cam.centre_m() else { return };
    let cxy = [centre[0], centre[1]];
    let mut seen: Vec<(f64, BBox, ObjectClass)> = Vec::new();
    let mut last_rx_ms = i64::MIN;
    let mut k: u64 = 0;
    loop {
        let t = ms(s.phase_s + k as f64 / s.fps);
        if t >= spec.duration_s {
            break;
        }
        let frame = k;
        k += 1;
        if t < 0.0 || s.outages_s.iter().any(|o| t >= o[0] && t < o[1]) {
            continue;
        }
        // Everything in view, nearest first.
        seen.clear();
        for o in objects {
            let Some(p) = pose(trajs, o, t) else { continue };
            if spec.walls_m.iter().any(|w| segments_cross(cxy, [p.x, p.y], w[0], w[1])) {
                continue;
            }
            if let Some((b, d)) = image_box(cam, o.class, o.size_m, p) {
                seen.push((d, b, o.class));
            }
        }
        seen.sort_by(|a, b| a.0.total_cmp(&b.0));
        let latency = rng.gauss(s.latency_s, s.latency_jitter_s).max(0.01);
        // FIFO delivery: a camera's frames arrive in capture order.
        let rx_ms = (((t + latency) * 1000.0).round() as i64)
            .max(last_rx_ms)
            .max((t * 1000.0).round() as i64);
        last_rx_ms = rx_ms;
        let rx = rx_ms as f64 / 1000.0;
        let mut seq = 0u32;
        for (i, (_, b, class)) in seen.iter().enumerate() {
            let area = b.w * b.h;
            let covered: f64 = seen.iter().take(i).map(|(_, n, _)| overlap_area(b, n)).sum();
            if covered > OCCLUSION_HIDDEN_FRACTION * area || !rng.chance(s.p_detect) {
                continue;
            }
            let [fx, fy] = b.foot_point();
            let fx = fx + s.pixel_noise_px * rng.normal();
            let fy = fy + s.pixel_noise_px * rng.normal();
            let w = (b.w * (1.0 + s.size_noise_frac * rng.normal())).max(2.0);
            let h = (b.h * (1.0 + s.size_noise_frac * rng.normal())).max(2.0);
            let score = rng.gauss(0.82, 0.08).clamp(0.3, 0.99);
            let bb = BBox { x: px(fx - 0.5 * w), y: px(fy - h), w: px(w), h: px(h) };
            let det = Detection::new(t, cam_id, Observation::BBox(bb))
                .with_rx(rx)
                .with_frame(frame)
                .with_score((score * 100.0).round() / 100.0)
                .with_class(class.name());
            lines.push((rx_ms, cam_id.0, frame, seq, det));
            seq += 1;
        }
        for _ in 0..rng.poisson(s.false_positives_per_frame) {
            for _try in 0..10 {
                let g = inner_point(&spec.area, rng);
                let p = Pose { x: g[0], y: g[1], heading: 0.0 };
                let h = person_height(spec, rng);
                let Some((b, _)) = image_box(cam, ObjectClass::Person, [0.5, 0.5, h], p) else {
                    continue;
                };
                let score = rng.gauss(0.5, 0.1).clamp(0.3, 0.95);
                let bb = BBox { x: px(b.x), y: px(b.y), w: px(b.w), h: px(b.h) };
                let det = Detection::new(t, cam_id, Observation::BBox(bb))
                    .with_rx(rx)
                    .with_frame(frame)
                    .with_score((score * 100.0).round() / 100.0)
                    .with_class("person");
                lines.push((rx_ms, cam_id.0, frame, seq, det));
                seq += 1;
                break;
            }
        }
        if seq == 0 {
            let det = Detection::new(t, cam_id, Observation::Empty).with_rx(rx).with_frame(frame);
            lines.push((rx_ms, cam_id.0, frame, 0, det));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In the sample scenes the social forces alone keep people apart: the
    /// guard and the stalled-waypoint rule are (nearly) never needed.
    #[test]
    fn presets_rarely_need_the_guard() {
        for spec in [SceneSpec::plaza(), SceneSpec::museum(), SceneSpec::city()] {
            let (_, stats) = social::walk(spec.duration_s, &mut Population::new(&spec));
            println!("{}: {stats:?}", spec.name);
            assert!(stats.guarded_steps <= 5, "{}: {stats:?}", spec.name);
            assert!(stats.stalled_waypoints <= 5, "{}: {stats:?}", spec.name);
        }
    }
}
