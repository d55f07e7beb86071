//! fusetrack: multi-camera ground-plane tracking.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod association;
pub mod detection;
pub mod error;
pub mod geometry;
pub mod ids;
pub mod io;
pub mod metrics;
pub mod sim;

pub use detection::{BBox, Detection, Observation};
pub use error::{Error, Location, Result};
pub use ids::{CameraId, TrackId};
