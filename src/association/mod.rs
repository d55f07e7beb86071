//! Data association: deciding which detection belongs to which track.
//!
//! The per-frame pipeline gates track-detection pairs (only plausible pairs
//! get a finite cost) and then solves an assignment problem on the resulting
//! cost matrix:
//!
//! - [`spatial`]: a fixed-radius spatial index (hashed grid), allocation-free;
//! - [`gating`]: candidate search in that index and the Mahalanobis gate;
//! - [`components`]: the gate graph split into connected components, each
//!   solved on its own;
//! - [`assignment`]: rectangular linear-sum assignment, optimal
//!   ([`solve_assignment`], Jonker-Volgenant shortest augmenting path, global
//!   nearest neighbour) and greedy ([`greedy_assignment`]). Forbidden
//!   (gated-out) pairs are marked with `f64::INFINITY`.
//!
//! ```
//! use fusetrack::association::{solve_assignment, AssignmentScratch};
//! let inf = f64::INFINITY;
//! // 2 tracks x 2 detections, track 0 cannot reach detection 1.
//! let cost = [0.5, inf, 0.7, 0.2];
//! let mut row_to_col = Vec::new();
//! let mut scratch = AssignmentScratch::default();
//! let total = solve_assignment(&cost, 2, 2, &mut row_to_col, &mut scratch)?;
//! assert_eq!(row_to_col, [Some(0), Some(1)]);
//! assert!((total - 0.7).abs() < 1e-12);
//! # Ok::<(), fusetrack::Error>(())
//! ```

pub mod assignment;
pub mod components;
pub mod gating;
pub mod spatial;

pub use assignment::{
    AssignmentScratch, FORBIDDEN, greedy_assignment, is_forbidden, solve_assignment,
};
