//! People who keep their distance: every pedestrian unit (one person, or a
//! group walking side by side) is integrated together with all the others
//! on the common [`STEP_S`] grid, with a social-force model, so that nobody
//! walks through anybody.
//!
//! **Model.** A unit has a position, a velocity and a facing. Its
//! acceleration is the sum of
//! - a *drive* toward its desired velocity (the leg's speed, toward the
//!   leg's end, with the slow heading wobble of the single-object model,
//!   braking before a pause), relaxed with time constant [`RELAX_S`] and
//!   capped at [`DRIVE_M_PER_S2`];
//! - a *body repulsion* from every other person nearby,
//!   `A exp((r - d) / B)` along the line of centres (the exponential
//!   repulsive potential of Helbing & Molnár, "Social force model for
//!   pedestrian dynamics", Phys. Rev. E 51, 1995), weighted by an
//!   anisotropy factor (what is ahead counts more than what is behind);
//! - an *anticipation* term: if two people keeping their velocities would
//!   come within [`PASS_M`] of each other within [`HORIZON_S`], a push away
//!   from the point of that future contact that grows as the time to it
//!   shrinks (the time-to-collision idea of Karamouzas, Skinner & Guy,
//!   "Universal power law governing pedestrian interactions", PRL 113,
//!   2014, in a simpler form), with a slight keep-right bias so that exact
//!   head-on encounters resolve.
//!
//! The total is capped at [`ACCEL_MAX_M_PER_S2`], the speed at the unit's
//! cap, and above 0.3 m/s the walking direction turns at most
//! [`TURN_RAD_PER_S`]. A last guard shortens a step (down to standing
//! still) that would bring two people of different units closer than
//! [`HARD_MIN_M`]; it is rarely needed.
//!
//! **Groups** move as one unit: the members stand at fixed sideways offsets
//! from its centre, across its facing, which follows the walking direction
//! at a rate that keeps the outer members below [`MEMBER_MAX_M_PER_S`].
//! Forces act between members and are summed on the unit, so a group
//! avoids others as a whole and never splits. **Pausing** people stand still
//! and do not yield (walkers go around them). **Scripted** actors follow
//! their legs and yield little to the crowd; the crowd gives way to them.
//! A unit that makes no progress toward its waypoint for a while (someone
//! is standing on it) counts it as reached.

use nalgebra::Vector2;

use super::motion::{Leg, Pose, STEP_S, Trajectory, wrap_angle};
use super::rng::Rng;

type V2 = Vector2<f64>;

/// Time constant of the drive toward the desired velocity, seconds.
pub(crate) const RELAX_S: f64 = 0.5;
/// Largest acceleration of the drive alone, m/s².
pub(crate) const DRIVE_M_PER_S2: f64 = 1.5;
/// Largest total acceleration (drive and avoidance), m/s².
pub(crate) const ACCEL_MAX_M_PER_S2: f64 = 2.0;
/// Largest turn rate of the walking direction above 0.3 m/s, rad/s.
pub(crate) const TURN_RAD_PER_S: f64 = 2.5;
/// Body repulsion strength `A`, m/s².
const BODY_A_M_PER_S2: f64 = 2.0;
/// Body repulsion range `B`, metres.
const BODY_B_M: f64 = 0.25;
/// Centre distance at which the body repulsion equals `A`, metres.
const BODY_R_M: f64 = 0.6;
/// Weight of what is behind, relative to what is ahead (anisotropy λ).
const LAMBDA: f64 = 0.35;
/// Centre distance that anticipation tries to keep when passing, metres.
pub(crate) const PASS_M: f64 = 0.75;
/// How far ahead anticipation looks, seconds.
pub(crate) const HORIZON_S: f64 = 3.0;
/// Strength of anticipation, m/s².
const ANTICIPATION_M_PER_S2: f64 = 1.2;
/// Times to contact below this count as this (bounds the push), seconds.
const TAU_FLOOR_S: f64 = 0.3;
/// Share of the anticipation push turned to the walker's right.
const KEEP_RIGHT: f64 = 0.25;
/// People farther apart than this do not interact, metres.
const CUTOFF_M: f64 = 8.0;
/// The guard keeps centres of different units at least this far apart, metres.
pub(crate) const HARD_MIN_M: f64 = 0.45;
/// A newcomer enters only where everyone is at least this far away, metres.
pub(crate) const CLEAR_M: f64 = 1.0;
/// Largest speed of a group member (centre speed plus rotation), m/s.
pub(crate) const MEMBER_MAX_M_PER_S: f64 = 2.4;
/// Largest speed of a crowd walker, m/s.
const WALKER_MAX_M_PER_S: f64 = 2.4;
/// Waypoint reached within this distance, metres...
const ARRIVE_M: f64 = 0.35;
/// ...or within this many seconds at the current speed (fast walkers and
/// runners, whose turns are wide, do not circle their waypoints).
const ARRIVE_S: f64 = 0.3;
/// A waypoint without a pause left behind within this distance counts as reached, metres.
const PASS_BY_M: f64 = 1.5;
/// Facing turn rate of a single person, rad/s.
const FACE_RAD_PER_S: f64 = 4.0;
/// Gain from facing error to the group's wanted turn rate, 1/s.
const FACE_GAIN_PER_S: f64 = 1.5;
/// Time over which a push's torque turns a group, seconds.
const TORQUE_S: f64 = 0.5;
/// Largest acceleration of a group member from the group's turning, m/s².
const MEMBER_ACCEL_M_PER_S2: f64 = 1.5;
/// Scripted actors feel the crowd at this fraction of the normal push.
const SCRIPTED_YIELD: f64 = 0.2;
/// The crowd feels scripted actors at this multiple of the normal push.
const CROWD_YIELD: f64 = 1.5;

/// A unit ready to enter: where, its route, its members.
pub(super) struct Walker {
    /// The caller's label, given back in [`Entrances::left`].
    pub tag: usize,
    /// Start position, metres.
    pub start: [f64; 2],
    /// The route.
    pub legs: Vec<Leg>,
    /// Sideways offsets of the members (one `0.0` for a single person), metres.
    pub lateral_m: Vec<f64>,
    /// A scripted actor (yields little).
    pub scripted: bool,
    /// The unit's own randomness (heading wobble).
    pub rng: Rng,
}

/// Who enters the scene, and when; told who left.
pub(super) trait Entrances {
    /// Lets in the units that enter at `t_s`, through `door`.
    fn arrivals(&mut self, t_s: f64, door: &mut Door<'_>);
    /// The unit labelled `tag` finished its route at `t_s`.
    fn left(&mut self, tag: usize, t_s: f64);
}

/// How units enter the walk: each takes the next trajectory index.
pub(super) struct Door<'a> {
    t_s: f64,
    units: &'a mut Vec<(usize, Unit)>,
    trajs: &'a mut Vec<Trajectory>,
}

impl Door<'_> {
    /// Lets `w` in whatever the crowd (scripted actors keep their time).
    pub(crate) fn enter(&mut self, w: Walker) {
        let u = Unit::new(w);
        self.trajs.push(Trajectory { start_s: self.t_s, poses: vec![u.pose()] });
        self.units.push((self.trajs.len() - 1, u));
    }

    /// Lets `w` in if every member is at least [`CLEAR_M`] from everyone
    /// now and over the next [`HORIZON_S`] at the current velocities;
    /// otherwise gives it back.
    pub(crate) fn try_enter(&mut self, w: Walker) -> Result<(), Walker> {
        let new = Unit::new(w);
        let clear = new.lateral_m.iter().all(|&lat| {
            let m = member(new.pos, new.facing, lat);
            self.units.iter().all(|(_, u)| {
                u.lateral_m.iter().all(|&l| {
                    let d = m - member(u.pos, u.facing, l);
                    let vr = new.vel - if u.standing() { V2::zeros() } else { u.vel };
                    closest(d, vr, HORIZON_S) >= CLEAR_M
                })
            })
        });
        if clear {
            self.trajs.push(Trajectory { start_s: self.t_s, poses: vec![new.pose()] });
            self.units.push((self.trajs.len() - 1, new));
            Ok(())
        } else {
            Err(new.into_walker())
        }
    }
}

/// The smallest `|d + vr τ|` over `τ` in `[0, horizon_s]`.
fn closest(d: V2, vr: V2, horizon_s: f64) -> f64 {
    let q = vr.norm_squared();
    let tau = if q > 1e-12 { (-d.dot(&vr) / q).clamp(0.0, horizon_s) } else { 0.0 };
    (d + vr * tau).norm()
}

pub(super) struct Unit {
    tag: usize,
    legs: Vec<Leg>,
    leg: usize,
    lateral_m: Vec<f64>,
    lateral_max_m: f64,
    scripted: bool,
    rng: Rng,
    pos: V2,
    vel: V2,
    facing: f64,
    /// Turn rate of the facing, rad/s.
    spin: f64,
    pause_left_s: f64,
    wobble: f64,
    best_d: f64,
    stall_s: f64,
    cap_m_per_s: f64,
    /// Index of the unit's first member in the step's body list.
    first_body: usize,
}

/// One person's body for a step: position, velocity, unit index, kind.
#[derive(Clone, Copy)]
struct Body {
    p: V2,
    v: V2,
    unit: usize,
    scripted: bool,
}

fn dir(a: f64) -> V2 {
    V2::new(a.cos(), a.sin())
}

/// Position of a member `lateral_m` to the left of a unit at `pos` facing `facing`.
fn member(pos: V2, facing: f64, lateral_m: f64) -> V2 {
    pos + lateral_m * V2::new(-facing.sin(), facing.cos())
}

impl Unit {
    fn new(w: Walker) -> Self {
        let pos = V2::new(w.start[0], w.start[1]);
        let first = w.legs.first();
        let facing = first.map_or(0.0, |l| (l.to_m[1] - pos.y).atan2(l.to_m[0] - pos.x));
        // Walking from the start, unless standing at the first waypoint.
        let v0 = first
            .filter(|l| (l.to_m[0] - pos.x).hypot(l.to_m[1] - pos.y) >= ARRIVE_M)
            .map_or(0.0, |l| l.speed_m_per_s);
        let lateral_max_m = w.lateral_m.iter().fold(0.0f64, |m, l| m.max(l.abs()));
        let leg_max = w.legs.iter().fold(0.0f64, |m, l| m.max(l.speed_m_per_s));
        let mut cap = 1.15 * leg_max;
        if !w.scripted {
            cap = cap.min(WALKER_MAX_M_PER_S);
        }
        if lateral_max_m > 0.0 {
            cap = cap.min(MEMBER_MAX_M_PER_S - 0.3 * lateral_max_m);
        }
        Self {
            tag: w.tag,
            legs: w.legs,
            leg: 0,
            lateral_m: w.lateral_m,
            lateral_max_m,
            scripted: w.scripted,
            rng: w.rng,
            pos,
            vel: dir(facing) * v0.min(cap),
            facing,
            spin: 0.0,
            pause_left_s: 0.0,
            wobble: 0.0,
            best_d: f64::INFINITY,
            stall_s: 0.0,
            cap_m_per_s: cap,
            first_body: 0,
        }
    }

    /// Gives the walker back (for a later try), as it was.
    fn into_walker(self) -> Walker {
        Walker {
            tag: self.tag,
            start: [self.pos.x, self.pos.y],
            legs: self.legs,
            lateral_m: self.lateral_m,
            scripted: self.scripted,
            rng: self.rng,
        }
    }

    fn pose(&self) -> Pose {
        Pose { x: self.pos.x, y: self.pos.y, heading: self.facing }
    }

    /// The direction the unit looks in: where it walks, else its facing.
    fn looking(&self) -> V2 {
        let s = self.vel.norm();
        if s > 0.1 { self.vel / s } else { dir(self.facing) }
    }

    fn standing(&self) -> bool {
        self.pause_left_s > 0.0 && self.vel == V2::zeros()
    }
}

/// The push on a person at `a` (of a unit looking along `look`) from one at `b`.
fn push(a: &Body, b: &Body, look: V2) -> V2 {
    let d = a.p - b.p;
    let dist_sq = d.norm_squared();
    if dist_sq > CUTOFF_M * CUTOFF_M {
        return V2::zeros();
    }
    let dist = dist_sq.sqrt();
    // Coincident centres: push along a fixed direction (deterministic).
    let n = if dist > 1e-9 { d / dist } else { V2::new(1.0, 0.0) };
    // 1 when the other is straight ahead, LAMBDA when straight behind.
    let w = LAMBDA + (1.0 - LAMBDA) * 0.5 * (1.0 - n.dot(&look));
    let mut f = n * (BODY_A_M_PER_S2 * w * ((BODY_R_M - dist) / BODY_B_M).exp());
    // Anticipation: first time tau > 0 with |d + vr tau| = PASS_M.
    let vr = a.v - b.v;
    let qa = vr.norm_squared();
    let qb = d.dot(&vr);
    let qc = dist_sq - PASS_M * PASS_M;
    if qc > 0.0 && qb < 0.0 && qa > 1e-12 {
        let disc = qb * qb - qa * qc;
        if disc > 0.0 {
            let tau = (-qb - disc.sqrt()) / qa;
            if tau < HORIZON_S {
                let away = (d + vr * tau) / PASS_M;
                let right = V2::new(look.y, -look.x);
                let mag = ANTICIPATION_M_PER_S2 * w * (HORIZON_S - tau)
                    / (HORIZON_S * tau.max(TAU_FLOOR_S));
                f += (away + right * KEEP_RIGHT) * mag;
            }
        }
    }
    f
}

fn clamp_norm(v: V2, max: f64) -> V2 {
    let n = v.norm();
    if n > max { v * (max / n) } else { v }
}

/// Counters of what the model did, for tests and tuning.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct WalkStats {
    /// Steps shortened by the guard.
    pub guarded_steps: u64,
    /// Waypoints counted as reached because someone stood on them.
    pub stalled_waypoints: u64,
}

/// Integrates every unit that `entrances` lets in, from 0 to `duration_s`.
/// Returns their trajectories in order of entry, and counters.
pub(super) fn walk(duration_s: f64, entrances: &mut dyn Entrances) -> (Vec<Trajectory>, WalkStats) {
    let n_steps = (duration_s / STEP_S).ceil().max(0.0) as usize;
    let mut trajs: Vec<Trajectory> = Vec::new();
    let mut units: Vec<(usize, Unit)> = Vec::new(); // (trajectory index, unit)
    let mut bodies: Vec<Body> = Vec::new();
    let mut accel: Vec<(V2, f64)> = Vec::new(); // (acceleration, spin acceleration)
    let mut stats = WalkStats::default();
    for k in 0..=n_steps {
        let t = k as f64 * STEP_S;
        // Newcomers, checked against everyone already there.
        entrances.arrivals(t, &mut Door { t_s: t, units: &mut units, trajs: &mut trajs });
        if k == n_steps {
            break;
        }

        // Bodies of this step.
        bodies.clear();
        for (ui, (_, u)) in units.iter_mut().enumerate() {
            u.first_body = bodies.len();
            let v = if u.standing() { V2::zeros() } else { u.vel };
            for &lat in &u.lateral_m {
                bodies.push(Body {
                    p: member(u.pos, u.facing, lat),
                    v,
                    unit: ui,
                    scripted: u.scripted,
                });
            }
        }

        // Waypoints, pauses and forces (all from the state at t).
        accel.clear();
        for (ui, (_, u)) in units.iter_mut().enumerate() {
            accel.push((V2::zeros(), 0.0));
            if u.pause_left_s > 0.0 {
                // Pausing: brake to a stop, then stand (and do not yield).
                u.pause_left_s -= STEP_S;
                let s = u.vel.norm();
                if let (Some(a), true) = (accel.last_mut(), s > 0.0) {
                    a.0 = -u.vel / s * DRIVE_M_PER_S2.min(s / STEP_S);
                }
                continue;
            }
            let Some(l) = u.legs.get(u.leg).copied() else { continue };
            let to = V2::new(l.to_m[0], l.to_m[1]);
            let d = (to - u.pos).norm();
            if d < u.best_d - 0.1 {
                u.best_d = d;
                u.stall_s = 0.0;
            } else {
                u.stall_s += STEP_S;
            }
            let stalled = (u.stall_s > 3.0 && d < 1.5) || u.stall_s > 20.0;
            // Passing a waypoint a little aside (pushed by someone) counts.
            let passed = l.pause_s == 0.0 && d < PASS_BY_M && u.vel.dot(&(to - u.pos)) < 0.0;
            if d < ARRIVE_M.max(ARRIVE_S * u.vel.norm()) || passed || stalled {
                if stalled {
                    stats.stalled_waypoints += 1;
                }
                if l.pause_s > 0.0 {
                    u.pause_left_s = l.pause_s;
                }
                u.leg += 1;
                u.best_d = f64::INFINITY;
                u.stall_s = 0.0;
                continue;
            }
            // Drive: toward the waypoint with a slow random wobble.
            u.wobble += -u.wobble * STEP_S / 2.0 + 0.25 * STEP_S.sqrt() * u.rng.normal() * 0.7;
            let want = (to.y - u.pos.y).atan2(to.x - u.pos.x) + u.wobble * (d / 3.0).min(1.0);
            let look = u.looking();
            let err = wrap_angle(want - look.y.atan2(look.x));
            let mut v_des = l.speed_m_per_s;
            if l.pause_s > 0.0 {
                v_des =
                    v_des.min((2.0 * DRIVE_M_PER_S2 * (d - 0.5 * ARRIVE_M).max(0.0)).sqrt() + 0.2);
            }
            v_des *= (0.5 + 0.5 * err.cos()).max(0.25);
            v_des = v_des.min(u.cap_m_per_s);
            let drive = clamp_norm((dir(want) * v_des - u.vel) / RELAX_S, DRIVE_M_PER_S2);
            // Avoidance: every member against every person of other units.
            // A group also turns under the pushes' torque (unit masses at
            // the members: angular acceleration = torque / sum of lateral²).
            let mut f = V2::zeros();
            let mut torque = 0.0;
            let fwd = dir(u.facing);
            let members = bodies.iter().skip(u.first_body).zip(&u.lateral_m);
            for (a, &lat) in members {
                let mut fa = V2::zeros();
                for b in bodies.iter().filter(|b| b.unit != ui) {
                    let weight = match (u.scripted, b.scripted) {
                        (true, false) => SCRIPTED_YIELD,
                        (false, true) => CROWD_YIELD,
                        _ => 1.0,
                    };
                    fa += push(a, b, look) * weight;
                }
                f += fa;
                torque -= lat * fa.dot(&fwd);
            }
            let inertia: f64 = u.lateral_m.iter().map(|l| l * l).sum();
            if let Some(a) = accel.last_mut() {
                *a = (drive + f, if inertia > 0.0 { torque / inertia } else { 0.0 });
            }
        }
        // Move, in a fixed order, each step checked by the guard against
        // where everyone is now.
        for ui in 0..units.len() {
            let Some((_, u)) = units.get(ui) else { continue };
            if u.standing() {
                continue;
            }
            let (a, spin_accel) = accel.get(ui).copied().unwrap_or_default();
            let a = clamp_norm(a, ACCEL_MAX_M_PER_S2);
            let mut v = clamp_norm(u.vel + a * STEP_S, u.cap_m_per_s);
            // Bounded turn rate of the walking direction.
            let (s0, s1) = (u.vel.norm(), v.norm());
            if s0 > 0.3 && s1 > 0.3 {
                let turn = wrap_angle(v.y.atan2(v.x) - u.vel.y.atan2(u.vel.x));
                let max = TURN_RAD_PER_S * STEP_S;
                if turn.abs() > max {
                    let h = u.vel.y.atan2(u.vel.x) + turn.clamp(-max, max);
                    v = dir(h) * s1;
                }
            }
            // Facing follows the walking direction (groups: slowly enough
            // for the outer members).
            let err = if s1 > 0.2 { wrap_angle(v.y.atan2(v.x) - u.facing) } else { 0.0 };
            let spin = if u.lateral_max_m > 0.0 {
                // Groups turn with a bounded angular acceleration too, so
                // that the outer members do not jerk.
                let rate = ((MEMBER_MAX_M_PER_S - s1) / u.lateral_max_m).clamp(0.3, TURN_RAD_PER_S);
                let want = (FACE_GAIN_PER_S * err + TORQUE_S * spin_accel).clamp(-rate, rate);
                let dw = MEMBER_ACCEL_M_PER_S2 / u.lateral_max_m * STEP_S;
                u.spin + (want - u.spin).clamp(-dw, dw)
            } else {
                let m = FACE_RAD_PER_S * STEP_S;
                err.clamp(-m, m) / STEP_S
            };
            let dface = spin * STEP_S;
            // The guard: the largest share of the step that brings no
            // member closer than HARD_MIN_M to anyone (or no closer than now).
            let mut share = 0.0;
            for s in [1.0, 0.5, 0.25] {
                let p = u.pos + v * (STEP_S * s);
                let fc = u.facing + dface * s;
                let ok =
                    u.lateral_m.iter().zip(bodies.iter().skip(u.first_body)).all(|(&lat, me)| {
                        let m = member(p, fc, lat);
                        bodies.iter().filter(|b| b.unit != ui).all(|b| {
                            let nd = (m - b.p).norm_squared();
                            nd >= HARD_MIN_M * HARD_MIN_M || nd >= (me.p - b.p).norm_squared()
                        })
                    });
                if ok {
                    share = s;
                    break;
                }
            }
            if share < 1.0 {
                stats.guarded_steps += 1;
            }
            let Some((_, u)) = units.get_mut(ui) else { continue };
            u.vel = if share * v.norm() > 1e-9 { v * share } else { V2::zeros() };
            u.spin = spin * share;
            u.pos += u.vel * STEP_S;
            u.facing = wrap_angle(u.facing + dface * share);
            let (first, n) = (u.first_body, u.lateral_m.len());
            let (pos, facing, vel) = (u.pos, u.facing, u.vel);
            for (b, &lat) in bodies.iter_mut().skip(first).take(n).zip(&u.lateral_m) {
                b.p = member(pos, facing, lat);
                b.v = vel;
            }
        }

        // Record the poses at t + STEP_S; units done with their route leave.
        let t_next = (k + 1) as f64 * STEP_S;
        let mut i = 0;
        while i < units.len() {
            let Some((ti, u)) = units.get(i) else { break };
            if let Some(tr) = trajs.get_mut(*ti) {
                tr.poses.push(u.pose());
            }
            if u.leg >= u.legs.len() && u.pause_left_s <= 0.0 {
                entrances.left(u.tag, t_next);
                units.remove(i);
            } else {
                i += 1;
            }
        }
    }
    (trajs, stats)
}
