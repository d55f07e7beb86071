//! Running a [`SceneSpec`]: motion of every object, then every camera frame.

use std::path::Path;

use crate::geometry::{Camera, CameraKind, CameraRig};
use crate::io::{DetectionWriter, GroundTruthRow, Incident, JsonlWriter, SceneDir};
use crate::{BBox, CameraId, Detection, Error, Location, Observation, Result};

use super::motion::{Leg, ObjectClass, Pose, STEP_S, Trajectory, beside, integrate};
use super::rng::Rng;
use super::spec::{CrowdSpec, Paths, Rect, RigSpec, SceneSpec, SensorSpec, TrafficSpec, WalkGraph};

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
}

impl SimulatedScene {
    /// Writes `cameras.json`, `detections.jsonl`, `ground_truth.jsonl` and,
    /// if there are incidents, `incidents.jsonl` into `dir` (created if
    /// needed). Existing files of those names are replaced; nothing else in
    /// `dir` is touched.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file that could not be written.
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
    Ok(SimulatedScene { rig, cameras_json, detections, ground_truth, incidents })
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
/// others in order of appearance.
fn move_objects(spec: &SceneSpec) -> (Vec<Trajectory>, Vec<SimObject>) {
    let mut rng = Rng::substream(spec.seed, 1);
    let mut trajs = Vec::new();
    let mut objects = Vec::new();
    let w = spec.people.width_m;
    for a in &spec.actors {
        let legs: Vec<Leg> = if a.repeat {
            a.legs.iter().copied().cycle().take(a.legs.len().saturating_mul(200)).collect()
        } else {
            a.legs.clone()
        };
        trajs.push(integrate(a.class, a.start_s, a.start_m, &legs, spec.duration_s, &mut rng));
        objects.push(SimObject {
            id: objects.len() as u64 + 1,
            class: a.class,
            traj: trajs.len() - 1,
            lateral_m: 0.0,
            size_m: [w, w, a.height_m],
        });
    }
    let mut pending: Vec<Pending> = Vec::new();
    if let Some(c) = &spec.crowd {
        crowd(spec, c, &mut rng, &mut trajs, &mut pending);
    }
    if let Some(t) = &spec.traffic {
        traffic(spec, t, &mut rng, &mut trajs, &mut pending);
    }
    pending.sort_by(|a, b| a.start_s.total_cmp(&b.start_s).then(a.order.cmp(&b.order)));
    for p in pending {
        objects.push(SimObject {
            id: objects.len() as u64 + 1,
            class: p.class,
            traj: p.traj,
            lateral_m: p.lateral_m,
            size_m: p.size_m,
        });
    }
    (trajs, objects)
}

/// A random point just outside a random edge of `r`.
fn edge_point(r: &Rect, rng: &mut Rng) -> [f64; 2] {
    let m = 1.0;
    match rng.index(4) {
        0 => [r.min_m[0] - m, rng.range(r.min_m[1], r.max_m[1])],
        1 => [r.max_m[0] + m, rng.range(r.min_m[1], r.max_m[1])],
        2 => [rng.range(r.min_m[0], r.max_m[0]), r.min_m[1] - m],
        _ => [rng.range(r.min_m[0], r.max_m[0]), r.max_m[1] + m],
    }
}

fn inner_point(r: &Rect, rng: &mut Rng) -> [f64; 2] {
    let m = 0.5;
    [rng.range(r.min_m[0] + m, r.max_m[0] - m), rng.range(r.min_m[1] + m, r.max_m[1] - m)]
}

/// Shortest path (by length) between two nodes: Dijkstra on a small graph.
fn shortest_path(g: &WalkGraph, from: usize, to: usize) -> Option<Vec<usize>> {
    let n = g.nodes_m.len();
    let mut dist = vec![f64::INFINITY; n];
    let mut prev = vec![usize::MAX; n];
    let mut done = vec![false; n];
    *dist.get_mut(from)? = 0.0;
    for _ in 0..n {
        let u = (0..n)
            .filter(|&i| !done[i] && dist[i].is_finite())
            .min_by(|&a, &b| dist[a].total_cmp(&dist[b]))?;
        done[u] = true;
        if u == to {
            break;
        }
        for e in &g.edges {
            let v = if e[0] == u {
                e[1]
            } else if e[1] == u {
                e[0]
            } else {
                continue;
            };
            let (Some(pu), Some(pv)) = (g.nodes_m.get(u), g.nodes_m.get(v)) else { continue };
            let d = dist[u] + (pu[0] - pv[0]).hypot(pu[1] - pv[1]);
            if d < dist[v] {
                dist[v] = d;
                prev[v] = u;
            }
        }
    }
    if !dist.get(to)?.is_finite() {
        return None;
    }
    let mut path = vec![to];
    let mut c = to;
    while c != from {
        c = *prev.get(c)?;
        path.push(c);
    }
    path.reverse();
    Some(path)
}

/// A route through the footpath network, offset sideways by `lateral` (the
/// offset is applied at each node along the bisector of the turn).
fn network_route(g: &WalkGraph, rng: &mut Rng) -> Option<([f64; 2], Vec<[f64; 2]>)> {
    let a = *g.entries.get(rng.index(g.entries.len()))?;
    let mut b = a;
    for _ in 0..8 {
        b = *g.entries.get(rng.index(g.entries.len()))?;
        if b != a {
            break;
        }
    }
    if a == b {
        return None;
    }
    let nodes: Vec<[f64; 2]> =
        shortest_path(g, a, b)?.iter().filter_map(|&i| g.nodes_m.get(i).copied()).collect();
    let lat = rng.range(-g.lateral_spread_m, g.lateral_spread_m);
    let n = nodes.len();
    let mut pts = Vec::with_capacity(n);
    for i in 0..n {
        let p = nodes[i];
        let dir_in = if i > 0 {
            unit(sub(p, nodes[i - 1]))
        } else {
            unit(sub(nodes[(i + 1).min(n - 1)], p))
        };
        let dir_out = if i + 1 < n { unit(sub(nodes[i + 1], p)) } else { dir_in };
        let d = unit([dir_in[0] + dir_out[0], dir_in[1] + dir_out[1]]);
        let d = if d == [0.0, 0.0] { dir_in } else { d };
        pts.push([p[0] - lat * d[1], p[1] + lat * d[0]]);
    }
    let start = *pts.first()?;
    Some((start, pts.into_iter().skip(1).collect()))
}

fn sub(a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    [a[0] - b[0], a[1] - b[1]]
}
fn unit(a: [f64; 2]) -> [f64; 2] {
    let n = a[0].hypot(a[1]);
    if n > 1e-12 { [a[0] / n, a[1] / n] } else { [0.0, 0.0] }
}

fn crowd(
    spec: &SceneSpec,
    c: &CrowdSpec,
    rng: &mut Rng,
    trajs: &mut Vec<Trajectory>,
    pending: &mut Vec<Pending>,
) {
    let w = spec.people.width_m;
    for _slot in 0..c.count {
        let mut t0 = 0.0;
        let mut first = true;
        while t0 < spec.duration_s {
            let speed = walking_speed(spec, rng);
            let (start, points) = match &c.paths {
                Paths::OpenArea { waypoints } => {
                    let k = waypoints[0] + rng.index(waypoints[1].saturating_sub(waypoints[0]) + 1);
                    let start = if first {
                        inner_point(&spec.area, rng)
                    } else {
                        edge_point(&spec.area, rng)
                    };
                    let mut pts: Vec<[f64; 2]> =
                        (0..k).map(|_| inner_point(&spec.area, rng)).collect();
                    pts.push(edge_point(&spec.area, rng));
                    (start, pts)
                }
                Paths::Network(g) => match network_route(g, rng) {
                    Some((s, pts)) if first => {
                        // Start somewhere along the route.
                        let cut = rng.index(pts.len());
                        let s0 = if cut == 0 { s } else { pts[cut - 1] };
                        let a = pts.get(cut).copied().unwrap_or(s0);
                        let f = rng.uniform();
                        (
                            [s0[0] + f * (a[0] - s0[0]), s0[1] + f * (a[1] - s0[1])],
                            pts[cut..].to_vec(),
                        )
                    }
                    Some(r) => r,
                    None => break,
                },
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
            let traj = integrate(ObjectClass::Person, t0, start, &legs, spec.duration_s, rng);
            let end = traj.end_s();
            trajs.push(traj);
            let ti = trajs.len() - 1;
            let members = if rng.chance(c.group_probability) { 2 + rng.index(2) } else { 1 };
            let s = c.group_spacing_m;
            let offsets: &[f64] = match members {
                1 => &[0.0],
                2 => &[-0.5 * s, 0.5 * s],
                _ => &[-s, 0.0, s],
            };
            for &lat in offsets {
                let h = person_height(spec, rng);
                pending.push(Pending {
                    start_s: t0,
                    order: pending.len(),
                    class: ObjectClass::Person,
                    traj: ti,
                    lateral_m: lat,
                    size_m: [w, w, h],
                });
            }
            first = false;
            t0 = end + rng.range(c.respawn_s[0], c.respawn_s[1]);
        }
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
                if inc.region.contains([p.x, p.y]) {
                    let t = tr.start_s + i as f64 * STEP_S;
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

/// Fraction of an object's image box above which it counts as hidden.
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
