//! How simulated objects move: each follows a route of legs (go to a point
//! at a speed, then maybe pause), steering with a limited turn rate and a
//! limited acceleration, so that paths are smooth. Trajectories are sampled
//! on a fixed time step and read back by linear interpolation.

use serde::{Deserialize, Serialize};

use super::rng::Rng;

/// Time step of the motion integration, seconds.
pub(crate) const STEP_S: f64 = 0.02;

/// What kind of object moves (sets its size and how it is detected).
///
/// ```
/// use fusetrack::sim::ObjectClass;
/// assert_eq!(ObjectClass::Car.name(), "car");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ObjectClass {
    /// A pedestrian.
    Person,
    /// A car.
    Car,
}

impl ObjectClass {
    /// The class name written in `detections.jsonl` (the same as its serde
    /// form); the tracker's default `vehicle_classes` make `car` a vehicle.
    ///
    /// ```
    /// use fusetrack::sim::ObjectClass;
    /// use fusetrack::{ObjectKind, TrackerConfig};
    /// assert_eq!(ObjectClass::Person.name(), "person");
    /// assert_eq!(serde_json::to_string(&ObjectClass::Car).unwrap(), format!("\"{}\"", ObjectClass::Car.name()));
    /// let c = TrackerConfig::default();
    /// assert_eq!(c.kind_of(Some(ObjectClass::Car.name())), ObjectKind::Vehicle);
    /// assert_eq!(c.kind_of(Some(ObjectClass::Person.name())), ObjectKind::Person);
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ObjectClass::Person => "person",
            ObjectClass::Car => "car",
        }
    }
}

/// One leg of a route: walk (or drive) to `to_m` at `speed_m_per_s`, then
/// stand still for `pause_s` seconds.
///
/// ```
/// use fusetrack::sim::Leg;
/// let l = Leg::new([3.0, 4.0], 1.3).with_pause(2.0);
/// assert_eq!((l.to_m, l.speed_m_per_s, l.pause_s), ([3.0, 4.0], 1.3, 2.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leg {
    /// Where the leg ends, ground metres.
    pub to_m: [f64; 2],
    /// Cruising speed, m/s.
    pub speed_m_per_s: f64,
    /// Pause at the end of the leg, seconds (0: go straight on).
    #[serde(default)]
    pub pause_s: f64,
}

impl Leg {
    /// A leg to `to_m` (ground metres) at `speed_m_per_s`, without a pause:
    /// the same as a JSON leg that leaves out `pause_s`.
    ///
    /// ```
    /// use fusetrack::sim::Leg;
    /// let l = Leg::new([12.0, 3.5], 1.4);
    /// assert_eq!(l.pause_s, 0.0);
    /// let json: Leg = serde_json::from_str(r#"{"to_m": [12.0, 3.5], "speed_m_per_s": 1.4}"#).unwrap();
    /// assert_eq!(json, l);
    /// ```
    pub fn new(to_m: [f64; 2], speed_m_per_s: f64) -> Self {
        Self { to_m, speed_m_per_s, pause_s: 0.0 }
    }
    /// Sets the pause at the end, seconds. The object brakes to a stop at
    /// the leg's end and waits; the pause counts from its arrival near it
    /// (braking included), so it stands fully still for somewhat less than
    /// `pause_s` (about 2 s of a 3 s pause at walking speed).
    ///
    /// ```
    /// use fusetrack::sim::{simulate, ActorSpec, Leg, ObjectClass, SceneSpec};
    /// let mut spec = SceneSpec::museum();
    /// spec.duration_s = 12.0;
    /// spec.crowd = None;
    /// // A visitor walks 6 m along the corridor, looks at a painting for 3 s, walks on.
    /// spec.actors = vec![ActorSpec {
    ///     name: "visitor".into(),
    ///     class: ObjectClass::Person,
    ///     start_s: 0.0,
    ///     start_m: [4.0, 3.0],
    ///     legs: vec![Leg::new([10.0, 3.0], 1.5).with_pause(3.0), Leg::new([20.0, 3.0], 1.5)],
    ///     repeat: false,
    ///     height_m: 1.7,
    /// }];
    /// spec.incidents.clear();
    /// let scene = simulate(&spec)?;
    /// let path: Vec<_> = scene.ground_truth.iter().filter(|g| g.id == 1).collect();
    /// let still = path.windows(2).filter(|w| w[0].x == w[1].x && w[0].y == w[1].y).count();
    /// let still_s = still as f64 / spec.ground_truth_hz;
    /// assert!(still_s >= 1.8 && still_s <= 3.0, "{still_s}");
    /// assert!(path.last().unwrap().x > 15.0); // and walked on
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn with_pause(mut self, pause_s: f64) -> Self {
        self.pause_s = pause_s;
        self
    }
}

/// A ground pose: position (metres) and heading (radians from +x, counter-clockwise).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pose {
    /// Ground x, metres.
    pub x: f64,
    /// Ground y, metres.
    pub y: f64,
    /// Heading, radians.
    pub heading: f64,
}

/// How an object of a class steers.
struct Dynamics {
    accel_m_per_s2: f64,
    turn_rad_per_s: f64,
    arrive_m: f64,
    wobble_rad: f64,
}

fn dynamics(class: ObjectClass) -> Dynamics {
    match class {
        ObjectClass::Person => {
            Dynamics { accel_m_per_s2: 1.5, turn_rad_per_s: 2.5, arrive_m: 0.35, wobble_rad: 0.25 }
        }
        ObjectClass::Car => {
            Dynamics { accel_m_per_s2: 2.5, turn_rad_per_s: 0.8, arrive_m: 1.5, wobble_rad: 0.0 }
        }
    }
}

pub(super) fn wrap_angle(a: f64) -> f64 {
    let t = std::f64::consts::TAU;
    let mut r = a % t;
    if r > std::f64::consts::PI {
        r -= t;
    } else if r < -std::f64::consts::PI {
        r += t;
    }
    r
}

/// A sampled trajectory: poses every [`STEP_S`] seconds from `start_s`.
#[derive(Debug, Clone)]
pub(crate) struct Trajectory {
    /// Time of the first pose, seconds.
    pub start_s: f64,
    /// Poses at `start_s + i * STEP_S`.
    pub poses: Vec<Pose>,
}

impl Trajectory {
    /// Time of the last pose, seconds.
    pub(crate) fn end_s(&self) -> f64 {
        self.start_s + (self.poses.len().saturating_sub(1)) as f64 * STEP_S
    }

    /// The pose at `t_s` (linear interpolation), `None` outside the trajectory.
    pub(crate) fn at(&self, t_s: f64) -> Option<Pose> {
        let u = (t_s - self.start_s) / STEP_S;
        if u.is_nan() || u < 0.0 {
            return None;
        }
        let i = u.floor() as usize;
        let a = *self.poses.get(i)?;
        let f = u - i as f64;
        match self.poses.get(i + 1) {
            Some(b) => Some(Pose {
                x: a.x + f * (b.x - a.x),
                y: a.y + f * (b.y - a.y),
                heading: if f < 0.5 { a.heading } else { b.heading },
            }),
            None if f < 1e-9 => Some(a),
            None => None,
        }
    }
}

/// Integrates a route from `start` at `start_s`, until the last leg is done
/// or `until_s` is reached.
pub(crate) fn integrate(
    class: ObjectClass,
    start_s: f64,
    start: [f64; 2],
    legs: &[Leg],
    until_s: f64,
    rng: &mut Rng,
) -> Trajectory {
    let dy = dynamics(class);
    let mut x = start[0];
    let mut y = start[1];
    let mut heading = legs.first().map_or(0.0, |l| (l.to_m[1] - y).atan2(l.to_m[0] - x));
    let mut v = legs.first().map_or(0.0, |l| l.speed_m_per_s);
    let mut leg = 0usize;
    let mut pause_left = 0.0;
    let mut wobble = 0.0;
    let mut poses = vec![Pose { x, y, heading }];
    let max_steps = ((until_s - start_s) / STEP_S).ceil().max(0.0) as usize;
    for _ in 0..max_steps {
        if pause_left > 0.0 {
            pause_left -= STEP_S;
            poses.push(Pose { x, y, heading });
            continue;
        }
        let Some(l) = legs.get(leg) else { break };
        let (ex, ey) = (l.to_m[0] - x, l.to_m[1] - y);
        let d = ex.hypot(ey);
        if d < dy.arrive_m.max(v * STEP_S) {
            if l.pause_s > 0.0 {
                pause_left = l.pause_s;
                v = 0.0;
            }
            leg += 1;
            poses.push(Pose { x, y, heading });
            continue;
        }
        // Heading: turn toward the target at a limited rate, plus a slow
        // random wobble (an Ornstein-Uhlenbeck-like walk) for people.
        wobble += -wobble * STEP_S / 2.0 + dy.wobble_rad * STEP_S.sqrt() * rng.normal() * 0.7;
        let err = wrap_angle(ey.atan2(ex) + wobble * (d / 3.0).min(1.0) - heading);
        let max_turn = dy.turn_rad_per_s * STEP_S;
        heading = wrap_angle(heading + err.clamp(-max_turn, max_turn));
        // Speed: cruise, brake before a stop, slow down in sharp turns.
        let mut v_des = l.speed_m_per_s;
        if l.pause_s > 0.0 || leg + 1 == legs.len() && class == ObjectClass::Car {
            v_des = v_des
                .min((2.0 * dy.accel_m_per_s2 * (d - 0.5 * dy.arrive_m).max(0.0)).sqrt() + 0.2);
        }
        v_des *= (0.5 + 0.5 * err.cos()).max(0.25);
        let dv = dy.accel_m_per_s2 * STEP_S;
        v += (v_des - v).clamp(-dv, dv);
        x += v * heading.cos() * STEP_S;
        y += v * heading.sin() * STEP_S;
        poses.push(Pose { x, y, heading });
    }
    Trajectory { start_s, poses }
}

/// A pose shifted sideways by `lateral_m` (positive: to the left of the heading).
pub(crate) fn beside(p: Pose, lateral_m: f64) -> Pose {
    Pose {
        x: p.x - lateral_m * p.heading.sin(),
        y: p.y + lateral_m * p.heading.cos(),
        heading: p.heading,
    }
}
