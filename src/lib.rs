//! # fusetrack
//!
//! Multi-camera ground-plane tracking for surveillance: detections from many
//! calibrated, overlapping cameras of mixed quality and latency go in; tracks
//! on the ground plane, one per person or vehicle whatever the number of
//! cameras that see it, come out.
//!
//! ```
//! use fusetrack::{BBox, CameraRig, Detection, Observation, Tracker, TrackerConfig};
//! use fusetrack::geometry::Camera;
//!
//! // Two calibrated cameras (here made with `look_at`; real ones come from
//! // `cameras.json` with `CameraRig::load`).
//! let rig = CameraRig::new(vec![
//!     Camera::look_at("north", [1280, 720], 900.0, [0.0, 12.0, 6.0], [0.0, 0.0, 0.0])?,
//!     Camera::look_at("south", [1280, 720], 900.0, [0.0, -12.0, 6.0], [0.0, 0.0, 0.0])?,
//! ])?;
//! let mut tracker = Tracker::new(TrackerConfig::default(), rig.clone())?;
//! // A person walking along x, seen by both cameras at 10 Hz.
//! for k in 0..30 {
//!     let t = k as f64 * 0.1;
//!     let ground = fusetrack::geometry::GroundPoint { x: -2.0 + 1.3 * t, y: 0.5 };
//!     for (id, cam) in rig.iter() {
//!         let foot = cam.ground_to_image(ground).unwrap();
//!         let bbox = BBox { x: foot.x - 15.0, y: foot.y - 90.0, w: 30.0, h: 90.0 };
//!         tracker.push(Detection::new(t, id, Observation::BBox(bbox)).with_rx(t + 0.05))?;
//!     }
//!     while let Some(_t) = tracker.step()? {
//!         // Here a live system reads `tracker.confirmed_tracks()` and the events.
//!     }
//! }
//! while tracker.flush_step()?.is_some() {}
//! let tracks: Vec<_> = tracker.confirmed_tracks().collect();
//! assert_eq!(tracks.len(), 1); // one person, two cameras: one track
//! assert!((tracks[0].position()[0] - (-2.0 + 1.3 * 2.9)).abs() < 0.3);
//! assert_eq!(tracker.contributing_cameras(tracks[0]).count(), 2);
//! # Ok::<(), fusetrack::Error>(())
//! ```
//!
//! ## The pipeline
//!
//! [`Tracker::push`] checks a detection, maps its box to the ground through
//! the camera's calibration ([`geometry`]: undistortion, ray/ground
//! intersection, pixel noise propagated to a ground covariance through the
//! Jacobian) and holds it in a [`reorder`] buffer. [`Tracker::step`] releases
//! capture times in order and runs, for each camera frame: predict
//! ([`motion`], [`filter`]), gate (grid-index candidates, Mahalanobis test:
//! [`association::gating`]), associate (connected components, optimal or
//! greedy assignment: [`association::components`],
//! [`association::assignment`]), update (Joseph form), then births, merges
//! of duplicate tracks and track management ([`tracker`], [`track`]), with
//! [`Event`]s for every change.
//!
//! ## Around it
//!
//! - [`io`]: the data contract's files (`cameras.json`, `detections.jsonl`
//!   read as a stream, `ground_truth.jsonl`, `tracks.jsonl`, ...) and
//!   MOTChallenge CSV;
//! - [`metrics`]: CLEAR MOT, identity metrics and HOTA, checked against
//!   py-motmetrics and TrackEval;
//! - [`replay`]: a recorded scene through a tracker, with scores;
//! - [`sim`]: a seeded scene simulator (the sample scenes in `data/`);
//! - [`overview`]: an SVG picture of a run;
//! - [`sharded`]: for city-scale rigs and several cores, one tracker per
//!   block of cameras, stepped in parallel, fused into one set of tracks.
//!
//! ## Units and conventions
//!
//! Metres, seconds, pixels; the world is right-handed with the ground at
//! `z = 0`; images have their origin top-left, y down; boxes are
//! `[x, y, w, h]` and their ground contact point is the bottom centre.
//! Every configuration field carries its unit in its name.
//!
//! ## Features
//!
//! `parallel` (default) lets the tracker predict large track sets, the
//! sharded tracker step its shards and the alert engine evaluate rules for
//! large crowds on rayon's pool (the output is the same on any number of
//! threads); turn default features off for a single-threaded build on small
//! embedded boxes. With it, [`pool::pinned_pool_builder`] builds a rayon pool
//! whose workers are pinned to CPUs of their own, which the short parallel
//! sections of a step need to use two cores reliably (see [`pool`]).
//!
//! ## Unsafe code
//!
//! None, with one reviewed exception: a private module issues x86-64
//! prefetch hints (`prefetcht0`, which cannot fault and changes no result)
//! for the tracks a camera frame is about to update, measured +8-12 % at
//! 100 000 tracks. Every other module is checked by `deny(unsafe_code)`.
#![deny(unsafe_code)]
#![deny(missing_docs)]

pub mod association;
pub mod config;
pub mod detection;
pub mod error;
pub mod events;
pub mod filter;
mod frame_obs;
pub mod geometry;
pub mod ids;
pub mod io;
pub mod metrics;
pub mod motion;
pub mod overview;
#[cfg(feature = "parallel")]
pub mod pool;
mod prefetch;
pub mod reorder;
pub mod replay;
pub mod rules;
pub mod sharded;
pub mod sim;
pub mod track;
pub mod tracker;

pub use config::{AssociationMethod, LatePolicy, ObjectKind, ObjectModel, TrackerConfig};
pub use detection::{BBox, Detection, Observation};
pub use error::{Error, Location, Result};
pub use events::{EndReason, Event};
pub use filter::{Innovation, KalmanState};
pub use geometry::{Camera, CameraRig};
pub use ids::{CameraId, TrackId};
pub use motion::MotionModel;
pub use rules::{Alert, AlertEngine, AlertSink, SceneRules, Severity};
pub use sharded::{ShardedTrack, ShardedTracker};
pub use track::{Track, TrackStatus};
pub use tracker::{Tracker, TrackerStats};

/// The README's examples, compiled as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
