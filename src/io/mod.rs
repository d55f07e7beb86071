
pub mod motchallenge;
pub mod scene;

pub use motchallenge::{MotReader, MotRow, MotWriter};
pub use scene::{
    AlertRow, CameraNameTable, CameraNames, DetectionReader, DetectionWriter, GroundTruthRow,
    Incident, JsonlRow, JsonlWriter, RowReader, SceneDir, TrackRow, read_ground_truth,
    read_incidents,
};
