//! fusetrack: multi-camera ground-plane tracking.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod association;
pub mod config;
pub mod detection;
pub mod error;
pub mod events;
pub mod filter;
pub mod geometry;
pub mod ids;
pub mod io;
pub mod metrics;
pub mod motion;
pub mod overview;
pub mod reorder;
pub mod replay;
pub mod sim;
pub mod track;
pub mod tracker;

pub use config::{AssociationMethod, ObjectKind, ObjectModel, TrackerConfig};
pub use detection::{BBox, Detection, Observation};
pub use error::{Error, Location, Result};
pub use events::{EndReason, Event};
pub use filter::{Innovation, KalmanState};
pub use geometry::{Camera, CameraRig};
pub use ids::{CameraId, TrackId};
pub use motion::MotionModel;
pub use track::{Track, TrackStatus};
pub use tracker::{Tracker, TrackerStats};
