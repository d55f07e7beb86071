//! Tracking metrics: CLEAR MOT, identity metrics (IDF1) and HOTA.
//!
//! All three families are computed in one pass over the frames of a
//! sequence by [`MotAccumulator`], for any object type with a
//! [`Similarity`]: ground-plane points ([`GroundPoints`], Euclidean distance,
//! a match needs `d <= threshold_m`, 1 m by default) or image boxes
//! ([`BoxIou`], a match needs `IoU >= 0.5`). [`evaluate_points`] and
//! [`evaluate_mot`] wrap the accumulator for timed ground points and for
//! MOTChallenge files. Sequences combine by summing their [`Counts`].
//!
//! ```
//! use fusetrack::metrics::evaluate_points;
//! // (t_s, id, [x_m, y_m])
//! let gt = [(0.0, 1, [0.0, 0.0]), (0.0, 2, [4.0, 0.0]), (0.5, 1, [0.5, 0.0]), (0.5, 2, [4.0, 0.5])];
//! let hyp = [(0.0, 10, [0.1, 0.0]), (0.5, 10, [0.5, 0.2]), (0.5, 11, [8.0, 8.0])];
//! let s = evaluate_points(&gt, &hyp, 1.0)?;
//! assert_eq!((s.tp, s.fp, s.fn_, s.id_switches), (2, 1, 2, 0));
//! assert_eq!(s.mota, 1.0 - 3.0 / 4.0);
//! assert!((s.motp - 0.15).abs() < 1e-12); // metres
//! assert_eq!(s.idf1, 2.0 * 2.0 / 7.0);
//! # Ok::<(), fusetrack::Error>(())
//! ```
//!
//! Alerts are scored against true incidents by [`alerts::score_alerts`]
//! (caught / missed, time to alert, false alerts per hour).
//!
//! # CLEAR MOT
//! Bernardin and Stiefelhagen, "Evaluating Multiple Object Tracking
//! Performance: The CLEAR MOT Metrics", EURASIP Journal on Image and Video
//! Processing, 2008. In every frame:
//! 1. an object keeps the hypothesis it was last matched to (in any earlier
//!    frame) if that hypothesis is present and still within the threshold;
//! 2. the remaining objects and hypotheses are paired by an optimal
//!    assignment: as many pairs within the threshold as possible, then the
//!    least total distance ([`solve_assignment`](crate::association::solve_assignment));
//! 3. a pair made in step 2 whose object was last matched to a *different*
//!    hypothesis is an identity switch (IDSW), otherwise a match; unpaired
//!    objects are misses (FN), unpaired hypotheses false positives (FP).
//!
//! MOTA = 1 - (FN + FP + IDSW) / (number of ground-truth objects summed over
//! frames); MOTP = the mean distance of all pairs (matches and switches), in
//! the similarity's unit: metres for points, `1 - IoU` for boxes (lower is
//! better, as py-motmetrics reports it). These are py-motmetrics'
//! conventions (Heindl et al., <https://github.com/cheind/py-motmetrics>):
//! a switch is counted against the last matched hypothesis however long ago,
//! a fragmentation is each interruption of an object's track (matched, then
//! missed, then matched again), and an object is mostly tracked /
//! partially tracked / mostly lost when it is matched in >= 80 %, 20-80 %,
//! < 20 % of the frames it appears in.
//!
//! # Identity metrics
//! Ristani, Solera, Zou, Cucchiara and Tomasi, "Performance Measures and a
//! Data Set for Multi-Target, Multi-Camera Tracking", ECCV workshops 2016.
//! Each ground-truth trajectory is matched to at most one hypothesis
//! trajectory, once for the whole sequence, so that the number of frames in
//! which matched trajectories are within the threshold (IDTP) is as large as
//! possible. Every other object occurrence is an IDFN, every other hypothesis
//! an IDFP. IDP = IDTP / (IDTP + IDFP), IDR = IDTP / (IDTP + IDFN), IDF1 =
//! 2 IDTP / (number of gt + number of hypotheses). The matching is solved per
//! connected component of the "ever within threshold" graph.
//!
//! # HOTA
//! Luiten, Ošep, Dendorfer, Torr, Geiger, Leal-Taixé and Leibe, "HOTA: A
//! Higher Order Metric for Evaluating Multi-Object Tracking", International
//! Journal of Computer Vision 129, 2021; computed as TrackEval
//! (<https://github.com/JonathonLuiten/TrackEval>) does:
//! 1. over the whole sequence, each (gt id, hypothesis id) pair gets an
//!    alignment score: its summed per-frame similarity, each normalised by the
//!    competing similarities of the frame, divided by the union of the two
//!    ids' detection counts;
//! 2. in each frame, objects and hypotheses are paired to maximise
//!    alignment x similarity; for each alpha in 0.05, 0.10, ..., 0.95 a pair
//!    with similarity >= alpha is a true positive, the rest are FN / FP;
//! 3. DetA = TP / (TP + FN + FP); for each true positive c of pair (g, h),
//!    A(c) = TPA / (TPA + FNA + FPA) where TPA counts the frames in which g and
//!    h are a TP pair, FNA the other detections of g, FPA the other
//!    detections of h; AssA is the mean of A over the TPs; HOTA =
//!    sqrt(DetA x AssA); LocA the mean similarity of the TPs.
//!
//! Each is computed per alpha and then averaged over the 19 alphas. The
//! similarity is IoU for boxes. For ground points we use
//! `max(0, 1 - d / d0)` with `d0` the match threshold (1 m by default): the
//! similarity then falls to 0 exactly where CLEAR MOT stops matching, and
//! alpha = 0.5 means "within half the threshold". TrackEval's MOT15-3D
//! setting takes `d0` = 2 m instead; [`GroundPoints::with_zero_similarity_m`]
//! selects it.
//!
//! # Validation
//! `tests/metrics_tud.rs` reproduces py-motmetrics 1.4.0 on MOT15
//! TUD-Campus and TUD-Stadtmitte (all CLEAR MOT and identity figures, each
//! sequence and both together) and TrackEval 1.3.0's HOTA on them;
//! `tests/metrics_points.rs` does the same on seeded synthetic ground-plane
//! sequences; both to 1e-9.

mod accumulator;
pub mod alerts;
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
