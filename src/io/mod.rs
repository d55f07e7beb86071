//! Reading and writing files.
//!
//! - [`motchallenge`]: MOTChallenge CSV (detections, ground truth, results).

pub mod motchallenge;

pub use motchallenge::{MotReader, MotRow, MotWriter};
