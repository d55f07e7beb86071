//! Reading and writing fusetrack's files (the data contract of `FORMATS.md`).
//!
//! - [`scene`]: the files of a scene folder: detections (streamed), ground
//!   truth, incidents, and the tracker's outputs (tracks, alerts).

pub mod scene;

pub use scene::{
    AlertRow, CameraNameTable, CameraNames, DetectionReader, DetectionWriter, GroundTruthRow,
    Incident, JsonlRow, JsonlWriter, RowReader, SceneDir, TrackRow, read_ground_truth,
    read_incidents,
};
