//! CLEAR MOT (Bernardin & Stiefelhagen 2008), frame by frame, with the
//! py-motmetrics conventions for identity switches and fragmentations.

use std::collections::HashMap;

use crate::association::assignment::{AssignmentScratch, solve_assignment};
use crate::error::Result;

/// CLEAR MOT counts of one sequence (or several, summed).
///
/// Built by [`MotAccumulator`](crate::metrics::MotAccumulator); see
/// [`Scores`](crate::metrics::Scores) for the ratios.
///
/// ```
/// use fusetrack::metrics::{FrameData, GroundPoints, MotAccumulator};
/// let mut acc = MotAccumulator::new(GroundPoints::new(1.0));
/// acc.push_frame(FrameData { gt_ids: &[1, 2], gt: &[[0.0, 0.0], [5.0, 0.0]], hyp_ids: &[7], hyp: &[[0.1, 0.0]] })?;
/// let c = acc.counts()?.clear;
/// assert_eq!((c.matches, c.misses, c.false_positives), (1, 1, 0));
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ClearCounts {
    /// Frames pushed (with or without objects).
    pub num_frames: u64,
    /// Ground-truth objects summed over frames.
    pub num_gt: u64,
    /// Hypotheses summed over frames.
    pub num_hyp: u64,
    /// Distinct ground-truth ids.
    pub num_gt_ids: u64,
    /// Distinct hypothesis ids.
    pub num_hyp_ids: u64,
    /// Correspondences that kept (or started) an identity.
    pub matches: u64,
    /// Correspondences whose hypothesis differs from the object's previous one.
    pub switches: u64,
    /// Hypotheses left unmatched.
    pub false_positives: u64,
    /// Ground-truth objects left unmatched.
    pub misses: u64,
    /// Times an object's track was interrupted and later resumed.
    pub fragmentations: u64,
    /// Sum of the distances of all correspondences (matches and switches).
    pub distance_sum: f64,
    /// Objects tracked in at least 80 % of the frames they appear in.
    pub mostly_tracked: u64,
    /// Objects tracked in 20 % to 80 % of their frames.
    pub partially_tracked: u64,
    /// Objects tracked in less than 20 % of their frames.
    pub mostly_lost: u64,
}

impl ClearCounts {
    /// Adds the counts of another sequence (ids are per sequence, so the
    /// distinct-id counts add up too).
    ///
    /// ```
    /// use fusetrack::metrics::ClearCounts;
    /// let mut a = ClearCounts { matches: 3, misses: 1, ..Default::default() };
    /// a.merge(&ClearCounts { matches: 2, ..Default::default() });
    /// assert_eq!((a.matches, a.misses), (5, 1));
    /// ```
    pub fn merge(&mut self, o: &ClearCounts) {
        self.num_frames += o.num_frames;
        self.num_gt += o.num_gt;
        self.num_hyp += o.num_hyp;
        self.num_gt_ids += o.num_gt_ids;
        self.num_hyp_ids += o.num_hyp_ids;
        self.matches += o.matches;
        self.switches += o.switches;
        self.false_positives += o.false_positives;
        self.misses += o.misses;
        self.fragmentations += o.fragmentations;
        self.distance_sum += o.distance_sum;
        self.mostly_tracked += o.mostly_tracked;
        self.partially_tracked += o.partially_tracked;
        self.mostly_lost += o.mostly_lost;
    }
}

/// What CLEAR MOT remembers about one ground-truth object.
#[derive(Debug, Clone, Copy, Default)]
struct GtHistory {
    /// The hypothesis it was last matched to, in any earlier frame.
    last_hyp: Option<u64>,
    /// Frames it appeared in.
    appearances: u64,
    /// Frames it was matched in.
    tracked: u64,
    /// Matched at least once.
    ever_tracked: bool,
    /// Missed since its last match (a fragmentation if it is matched again).
    in_gap: bool,
}

/// Streaming CLEAR MOT state: per-object history plus the counts so far.
#[derive(Debug, Default)]
pub(crate) struct ClearState {
    history: HashMap<u64, GtHistory>,
    counts: ClearCounts,
    // scratch, reused from frame to frame
    gt_used: Vec<bool>,
    hyp_used: Vec<bool>,
    rows: Vec<usize>,
    cols: Vec<usize>,
    cost: Vec<f64>,
    row_to_col: Vec<Option<usize>>,
    solver: AssignmentScratch,
}

impl ClearState {
    /// Scores one frame. `distance[i * n_hyp + j]` is the distance of gt `i`
    /// and hypothesis `j` when they may match. Ids are unique within the frame.
    pub(crate) fn push(
        &mut self,
        gt_ids: &[u64],
        hyp_ids: &[u64],
        distance: &[Option<f64>],
    ) -> Result<()> {
        let (n_gt, n_hyp) = (gt_ids.len(), hyp_ids.len());
        self.gt_used.clear();
        self.gt_used.resize(n_gt, false);
        self.hyp_used.clear();
        self.hyp_used.resize(n_hyp, false);
        let dist = |i: usize, j: usize| distance.get(i * n_hyp + j).copied().flatten();

        // 1. Keep the correspondences of earlier frames that are still valid.
        for (i, gid) in gt_ids.iter().enumerate() {
            let Some(prev) = self.history.get(gid).and_then(|h| h.last_hyp) else { continue };
            let Some(j) = hyp_ids.iter().position(|h| *h == prev) else { continue };
            if self.hyp_used.get(j).copied().unwrap_or(true) {
                continue;
            }
            if let Some(d) = dist(i, j) {
                self.gt_used[i] = true;
                self.hyp_used[j] = true;
                self.counts.matches += 1;
                self.counts.distance_sum += d;
            }
        }

        // 2. Optimal assignment of the rest: most pairs, then least total distance.
        self.rows.clear();
        self.rows.extend((0..n_gt).filter(|&i| !self.gt_used[i]));
        self.cols.clear();
        self.cols.extend((0..n_hyp).filter(|&j| !self.hyp_used[j]));
        self.cost.clear();
        let mut any = false;
        for &i in &self.rows {
            for &j in &self.cols {
                let c = dist(i, j).unwrap_or(f64::INFINITY);
                any |= c.is_finite();
                self.cost.push(c);
            }
        }
        if any {
            solve_assignment(
                &self.cost,
                self.rows.len(),
                self.cols.len(),
                &mut self.row_to_col,
                &mut self.solver,
            )?;
            for (r, c) in self.row_to_col.iter().enumerate() {
                let Some(c) = *c else { continue };
                let (Some(&i), Some(&j)) = (self.rows.get(r), self.cols.get(c)) else { continue };
                let Some(d) = dist(i, j) else { continue };
                let (Some(&gid), Some(&hid)) = (gt_ids.get(i), hyp_ids.get(j)) else { continue };
                let h = self.history.entry(gid).or_default();
                if h.last_hyp.is_some_and(|p| p != hid) {
                    self.counts.switches += 1;
                } else {
                    self.counts.matches += 1;
                }
                h.last_hyp = Some(hid);
                self.counts.distance_sum += d;
                self.gt_used[i] = true;
                self.hyp_used[j] = true;
            }
        }

        // 3. Misses, false positives, per-object history.
        for (i, gid) in gt_ids.iter().enumerate() {
            let h = self.history.entry(*gid).or_default();
            h.appearances += 1;
            if self.gt_used[i] {
                if h.in_gap {
                    self.counts.fragmentations += 1;
                }
                h.in_gap = false;
                h.ever_tracked = true;
                h.tracked += 1;
            } else {
                self.counts.misses += 1;
                h.in_gap = h.ever_tracked;
            }
        }
        self.counts.false_positives += self.hyp_used.iter().filter(|u| !**u).count() as u64;
        self.counts.num_frames += 1;
        self.counts.num_gt += n_gt as u64;
        self.counts.num_hyp += n_hyp as u64;
        Ok(())
    }

    /// The counts so far, with the per-object ratios evaluated.
    pub(crate) fn counts(&self, num_hyp_ids: u64) -> ClearCounts {
        let mut c = self.counts;
        c.num_gt_ids = self.history.len() as u64;
        c.num_hyp_ids = num_hyp_ids;
        for h in self.history.values() {
            let ratio =
                if h.appearances == 0 { 0.0 } else { h.tracked as f64 / h.appearances as f64 };
            if ratio >= 0.8 {
                c.mostly_tracked += 1;
            } else if ratio >= 0.2 {
                c.partially_tracked += 1;
            } else {
                c.mostly_lost += 1;
            }
        }
        c
    }
}
