//! Reading and writing the files of the data contract.
//!
//! - [`scene`]: the scene folder of `FORMATS.md`: `cameras.json` (through
//!   [`CameraRig::load`](crate::CameraRig::load)), `detections.jsonl` read as
//!   a stream, `ground_truth.jsonl`, `incidents.jsonl`, and the outputs
//!   `tracks.jsonl` and `alerts.jsonl`;
//! - [`motchallenge`]: MOTChallenge CSV det, gt and result files.
//!
//! Every reader names the file, the line and the field of what it refuses,
//! and goes on with the next line, so nothing already read is lost.
pub mod motchallenge;
pub mod scene;

pub use motchallenge::{MotReader, MotRow, MotWriter};
pub use scene::{
    AlertRow, CameraNameTable, CameraNames, DetectionReader, DetectionWriter, GroundTruthRow,
    Incident, JsonlRow, JsonlWriter, RowReader, SceneDir, TrackRow, read_ground_truth,
    read_incidents,
};
