//! A seeded, deterministic scene simulator: people and cars moving on the
//! ground, seen by calibrated cameras of mixed quality, written out as a
//! scene folder (`cameras.json`, `detections.jsonl`, `ground_truth.jsonl`,
//! `incidents.jsonl`).
//!
//! - [`SceneSpec`]: what the scene is (serde; the presets
//!   [`SceneSpec::plaza`], [`SceneSpec::museum`], [`SceneSpec::city`] make
//!   the sample scenes of `data/`).
//! - [`simulate`]: runs it; [`SimulatedScene::write`] writes the folder.
//!
//! **Model.** Objects follow routes of legs with a limited turn rate and
//! acceleration (smooth paths), pausing at some waypoints; groups of 2-3
//! walk side by side; walkers leave at the edges and are replaced, so about
//! a fixed number stays in view. People (crowd and scripted actors) are
//! integrated together and step around each other with a social-force
//! model, so nobody walks through anybody (see the `social` module's notes
//! in the source: groups avoid others as a unit, the crowd gives way to
//! scripted actors, pausing people stand their ground); cars drive their
//! lanes on their own. Each camera takes frames at its own rate
//! and phase; for every object it projects a box (person: foot and head
//! points, width from the height; car: the eight corners of its box), keeps
//! it if the ground contact point is in the image, no wall is in the way
//! and nearer objects cover at most [`OCCLUSION_HIDDEN_FRACTION`] of it;
//! detects it with the camera's probability; adds pixel noise to the
//! contact point and size noise; adds Poisson false positives; delays the
//! frame by the camera's latency (frames of one camera arrive in order);
//! and writes `{"empty": true}` for a frame with nothing in it. Lines are
//! sorted by arrival time, ties by camera, frame and position in the frame.
//!
//! **Reproducibility.** All randomness comes from [`Rng`]
//! (xoshiro256**, written here, so a dependency upgrade cannot change a
//! scene); same spec => byte-identical files on the same platform. Numbers
//! are rounded for compact files: times to 1 ms, pixels to 0.1 px, metres
//! to 1 mm.

mod motion;
mod presets;
mod rng;
mod routes;
mod run;
mod social;
mod spec;

pub use motion::{Leg, ObjectClass};
pub use rng::Rng;
pub use run::{OCCLUSION_HIDDEN_FRACTION, SimulatedObject, SimulatedScene, simulate};
pub use spec::{
    ActorSpec, CrowdSpec, IncidentSpec, Lane, LookAtSpec, Paths, PeopleSpec, Rect, RigSpec,
    SceneSpec, SensorSpec, TrafficSpec, WalkGraph,
};
