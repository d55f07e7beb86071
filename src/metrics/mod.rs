//! Tracking metrics: CLEAR MOT, identity metrics (IDF1) and HOTA.
//! (docs in progress)

mod accumulator;
mod clear;
mod hota;
mod identity;
mod sequence;
mod similarity;

pub use accumulator::{Counts, FrameData, MotAccumulator, Scores};
pub use clear::ClearCounts;
pub use hota::{HotaAtAlpha, HotaCounts, NUM_ALPHAS, hota_alpha};
pub use identity::IdentityCounts;
pub use sequence::{TimedPoint, evaluate_mot, evaluate_points, evaluate_points_with};
pub use similarity::{BoxIou, GroundPoints, PairScore, Similarity};
