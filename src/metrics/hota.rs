//! HOTA (Luiten et al. 2021) following TrackEval's computation.

use std::collections::HashMap;

use crate::association::assignment::{AssignmentScratch, solve_assignment};
use crate::error::Result;

/// Number of localisation thresholds alpha: 0.05, 0.10, ..., 0.95. The
/// HOTA figures of [`Scores`](crate::metrics::Scores) are means over them.
///
/// ```
/// use fusetrack::metrics::{hota_alpha, FrameData, GroundPoints, MotAccumulator, NUM_ALPHAS};
/// let mut acc = MotAccumulator::new(GroundPoints::new(1.0));
/// // One pair 0.5 m apart: similarity 0.5, a true positive for alpha <= 0.5.
/// acc.push_frame(FrameData { gt_ids: &[1], gt: &[[0.0, 0.0]], hyp_ids: &[5], hyp: &[[0.3, 0.4]] })?;
/// let c = acc.counts()?;
/// let passed = (0..NUM_ALPHAS).filter(|&k| hota_alpha(k) <= 0.5 + 1e-12).count();
/// assert_eq!(passed, 10);
/// let mean: f64 = (0..NUM_ALPHAS).map(|k| c.hota.at(k).hota).sum::<f64>() / NUM_ALPHAS as f64;
/// assert!((mean - 10.0 / 19.0).abs() < 1e-12); // HOTA 1 at 10 alphas, 0 at 9
/// assert!((c.scores().hota - mean).abs() < 1e-15);
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub const NUM_ALPHAS: usize = 19;

/// The localisation threshold alpha number `k` (0-based): `0.05 + 0.05 k`,
/// computed as numpy's `arange(0.05, 0.99, 0.05)` does.
///
/// ```
/// use fusetrack::metrics::{hota_alpha, NUM_ALPHAS};
/// assert_eq!(hota_alpha(0), 0.05);
/// assert!((hota_alpha(NUM_ALPHAS - 1) - 0.95).abs() < 1e-12);
/// ```
pub fn hota_alpha(k: usize) -> f64 {
    0.05 + k as f64 * 0.05
}

/// HOTA sums per alpha for one sequence (or several, summed); the ratios
/// are in [`Scores`](crate::metrics::Scores) via [`HotaCounts::at`].
///
/// ```
/// use fusetrack::metrics::{FrameData, GroundPoints, MotAccumulator};
/// let mut acc = MotAccumulator::new(GroundPoints::new(1.0));
/// acc.push_frame(FrameData { gt_ids: &[1], gt: &[[0.0, 0.0]], hyp_ids: &[5], hyp: &[[0.3, 0.4]] })?;
/// let h = acc.counts()?.hota;
/// // similarity 1 - 0.5 / 1 = 0.5: a true positive for alpha <= 0.5 only
/// assert_eq!(h.tp[9], 1.0); // alpha = 0.5
/// assert_eq!(h.tp[10], 0.0); // alpha = 0.55
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HotaCounts {
    /// Detection true positives per alpha.
    pub tp: [f64; NUM_ALPHAS],
    /// Detection false negatives per alpha.
    pub fn_: [f64; NUM_ALPHAS],
    /// Detection false positives per alpha.
    pub fp: [f64; NUM_ALPHAS],
    /// Sum over true positives of their pair's association score A(c).
    pub ass_sum: [f64; NUM_ALPHAS],
    /// Same with the association recall.
    pub ass_re_sum: [f64; NUM_ALPHAS],
    /// Same with the association precision.
    pub ass_pr_sum: [f64; NUM_ALPHAS],
    /// Sum of the similarities of the true positives.
    pub loc_sum: [f64; NUM_ALPHAS],
}

impl Default for HotaCounts {
    fn default() -> Self {
        let z = [0.0; NUM_ALPHAS];
        Self { tp: z, fn_: z, fp: z, ass_sum: z, ass_re_sum: z, ass_pr_sum: z, loc_sum: z }
    }
}

/// HOTA and its parts at one alpha.
///
/// ```
/// use fusetrack::metrics::HotaCounts;
/// let mut c = HotaCounts::default();
/// c.tp[0] = 3.0; c.fn_[0] = 1.0; c.ass_sum[0] = 3.0; c.ass_re_sum[0] = 3.0; c.ass_pr_sum[0] = 3.0;
/// c.loc_sum[0] = 2.4;
/// let a = c.at(0);
/// assert_eq!(a.deta, 0.75);
/// assert_eq!(a.assa, 1.0);
/// assert_eq!(a.hota, 0.75f64.sqrt());
/// assert!((a.loca - 0.8).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HotaAtAlpha {
    /// sqrt(DetA x AssA).
    pub hota: f64,
    /// TP / (TP + FN + FP).
    pub deta: f64,
    /// Mean association score of the true positives.
    pub assa: f64,
    /// Detection recall TP / (TP + FN).
    pub detre: f64,
    /// Detection precision TP / (TP + FP).
    pub detpr: f64,
    /// Mean association recall of the true positives.
    pub assre: f64,
    /// Mean association precision of the true positives.
    pub asspr: f64,
    /// Mean similarity of the true positives (1 when there are none).
    pub loca: f64,
}

impl HotaCounts {
    /// Adds the sums of another sequence (TrackEval's `combine_sequences`):
    /// the combined HOTA is computed from the summed counts.
    ///
    /// ```
    /// use fusetrack::metrics::HotaCounts;
    /// // At the first alpha: sequence A has 3 true positives, B 1 miss.
    /// let mut a = HotaCounts::default();
    /// a.tp[0] = 3.0;
    /// a.ass_sum[0] = 3.0;
    /// let mut b = HotaCounts::default();
    /// b.fn_[0] = 1.0;
    /// a.merge(&b);
    /// assert_eq!((a.tp[0], a.fn_[0]), (3.0, 1.0));
    /// assert_eq!(a.at(0).deta, 0.75); // 3 / (3 + 1)
    /// ```
    pub fn merge(&mut self, o: &HotaCounts) {
        for k in 0..NUM_ALPHAS {
            self.tp[k] += o.tp[k];
            self.fn_[k] += o.fn_[k];
            self.fp[k] += o.fp[k];
            self.ass_sum[k] += o.ass_sum[k];
            self.ass_re_sum[k] += o.ass_re_sum[k];
            self.ass_pr_sum[k] += o.ass_pr_sum[k];
            self.loc_sum[k] += o.loc_sum[k];
        }
    }

    /// The scores at alpha number `k` (see [`hota_alpha`]); all zero (LocA 1)
    /// for `k >= NUM_ALPHAS`.
    ///
    /// ```
    /// use fusetrack::metrics::{HotaCounts, NUM_ALPHAS};
    /// let mut c = HotaCounts::default();
    /// // At alpha 0.05: 2 TPs, 1 FN, 1 FP; the TPs' association scores are 1 and 0.5.
    /// c.tp[0] = 2.0;
    /// c.fn_[0] = 1.0;
    /// c.fp[0] = 1.0;
    /// c.ass_sum[0] = 1.5;
    /// c.loc_sum[0] = 1.8;
    /// let a = c.at(0);
    /// assert_eq!(a.deta, 0.5); // 2 / (2 + 1 + 1)
    /// assert_eq!(a.assa, 0.75); // 1.5 / 2
    /// assert_eq!(a.hota, (0.5f64 * 0.75).sqrt());
    /// assert_eq!((a.detre, a.detpr), (2.0 / 3.0, 2.0 / 3.0));
    /// assert!((a.loca - 0.9).abs() < 1e-15);
    /// // Out of range: nothing detected.
    /// assert_eq!((c.at(NUM_ALPHAS).hota, c.at(NUM_ALPHAS).loca), (0.0, 1.0));
    /// ```
    pub fn at(&self, k: usize) -> HotaAtAlpha {
        let g = |a: &[f64; NUM_ALPHAS]| a.get(k).copied().unwrap_or(0.0);
        let (tp, fn_, fp) = (g(&self.tp), g(&self.fn_), g(&self.fp));
        let deta = tp / (tp + fn_ + fp).max(1.0);
        let assa = g(&self.ass_sum) / tp.max(1.0);
        HotaAtAlpha {
            hota: (deta * assa).sqrt(),
            deta,
            assa,
            detre: tp / (tp + fn_).max(1.0),
            detpr: tp / (tp + fp).max(1.0),
            assre: g(&self.ass_re_sum) / tp.max(1.0),
            asspr: g(&self.ass_pr_sum) / tp.max(1.0),
            loca: g(&self.loc_sum).max(1e-10) / tp.max(1e-10),
        }
    }
}

/// One frame as HOTA's second pass needs it.
#[derive(Debug, Clone, Copy)]
struct FrameSpan {
    gt_start: usize,
    n_gt: usize,
    hyp_start: usize,
    n_hyp: usize,
    sim_start: usize,
    n_sim: usize,
}

/// What HOTA keeps of a sequence: the per-pair soft co-occurrence
/// (first pass, streaming) and each frame's non-zero similarities (the second
/// pass needs the global alignment score, known only at the end).
#[derive(Debug, Default)]
pub(crate) struct HotaState {
    potential: HashMap<(u32, u32), f64>,
    frames: Vec<FrameSpan>,
    gt_idx: Vec<u32>,
    hyp_idx: Vec<u32>,
    sims: Vec<(u32, u32, f64)>,
    row_sum: Vec<f64>,
    col_sum: Vec<f64>,
}

impl HotaState {
    /// Frames recorded.
    pub(crate) fn num_frames(&self) -> usize {
        self.frames.len()
    }

    /// Records one frame. `similarity[i * n_hyp + j]`; `gt_idx`/`hyp_idx`
    /// are the sequence-wide indices of the frame's ids.
    pub(crate) fn push(&mut self, gt_idx: &[u32], hyp_idx: &[u32], similarity: &[f64]) {
        let (n_gt, n_hyp) = (gt_idx.len(), hyp_idx.len());
        let sim_start = self.sims.len();
        self.row_sum.clear();
        self.row_sum.resize(n_gt, 0.0);
        self.col_sum.clear();
        self.col_sum.resize(n_hyp, 0.0);
        for i in 0..n_gt {
            for j in 0..n_hyp {
                let s = similarity.get(i * n_hyp + j).copied().unwrap_or(0.0);
                if s > 0.0 {
                    self.sims.push((i as u32, j as u32, s));
                    if let Some(r) = self.row_sum.get_mut(i) {
                        *r += s;
                    }
                    if let Some(c) = self.col_sum.get_mut(j) {
                        *c += s;
                    }
                }
            }
        }
        // Soft matching count: each similarity normalised by the frame's
        // competing similarities (a Jaccard-like share of the pair).
        for &(i, j, s) in self.sims.get(sim_start..).unwrap_or(&[]) {
            let (i, j) = (i as usize, j as usize);
            let denom = self.row_sum.get(i).copied().unwrap_or(0.0)
                + self.col_sum.get(j).copied().unwrap_or(0.0)
                - s;
            if denom > f64::EPSILON {
                if let (Some(&g), Some(&h)) = (gt_idx.get(i), hyp_idx.get(j)) {
                    *self.potential.entry((g, h)).or_insert(0.0) += s / denom;
                }
            }
        }
        self.frames.push(FrameSpan {
            gt_start: self.gt_idx.len(),
            n_gt,
            hyp_start: self.hyp_idx.len(),
            n_hyp,
            sim_start,
            n_sim: self.sims.len() - sim_start,
        });
        self.gt_idx.extend_from_slice(gt_idx);
        self.hyp_idx.extend_from_slice(hyp_idx);
    }

    /// The second pass: per frame, the matching that maximises
    /// `alignment x similarity`, then the per-alpha counts.
    /// `gt_count`/`hyp_count`: detections per id over the sequence.
    pub(crate) fn counts(&self, gt_count: &[u64], hyp_count: &[u64]) -> Result<HotaCounts> {
        let count = |v: &[u64], k: u32| v.get(k as usize).copied().unwrap_or(0) as f64;
        let alignment = |g: u32, h: u32| -> f64 {
            let p = self.potential.get(&(g, h)).copied().unwrap_or(0.0);
            let d = count(gt_count, g) + count(hyp_count, h) - p;
            if d > 0.0 { p / d } else { 0.0 }
        };
        let mut out = HotaCounts::default();
        let mut matches: HashMap<(u32, u32), [u32; NUM_ALPHAS]> = HashMap::new();
        let mut cost = Vec::new();
        let mut sim = Vec::new();
        let mut row_to_col = Vec::new();
        let mut scratch = AssignmentScratch::new();
        for f in &self.frames {
            let (n_gt, n_hyp) = (f.n_gt as f64, f.n_hyp as f64);
            if f.n_gt == 0 || f.n_hyp == 0 || f.n_sim == 0 {
                for k in 0..NUM_ALPHAS {
                    out.fn_[k] += n_gt;
                    out.fp[k] += n_hyp;
                }
                continue;
            }
            let gts = self.gt_idx.get(f.gt_start..f.gt_start + f.n_gt).unwrap_or(&[]);
            let hyps = self.hyp_idx.get(f.hyp_start..f.hyp_start + f.n_hyp).unwrap_or(&[]);
            cost.clear();
            cost.resize(f.n_gt * f.n_hyp, 0.0);
            sim.clear();
            sim.resize(f.n_gt * f.n_hyp, 0.0);
            for &(i, j, s) in self.sims.get(f.sim_start..f.sim_start + f.n_sim).unwrap_or(&[]) {
                let (Some(&g), Some(&h)) = (gts.get(i as usize), hyps.get(j as usize)) else {
                    continue;
                };
                let at = i as usize * f.n_hyp + j as usize;
                if let (Some(c), Some(sv)) = (cost.get_mut(at), sim.get_mut(at)) {
                    *c = -(alignment(g, h) * s);
                    *sv = s;
                }
            }
            // No forbidden pair: the solver's "most pairs, then least cost"
            // is the maximum-score assignment of TrackEval's Hungarian step.
            solve_assignment(&cost, f.n_gt, f.n_hyp, &mut row_to_col, &mut scratch)?;
            let mut matched = [0.0f64; NUM_ALPHAS];
            for (i, j) in row_to_col.iter().enumerate() {
                let Some(j) = *j else { continue };
                let s = sim.get(i * f.n_hyp + j).copied().unwrap_or(0.0);
                let (Some(&g), Some(&h)) = (gts.get(i), hyps.get(j)) else { continue };
                for (k, m) in matched.iter_mut().enumerate() {
                    if s >= hota_alpha(k) - f64::EPSILON {
                        *m += 1.0;
                        out.loc_sum[k] += s;
                        if let Some(c) = matches.entry((g, h)).or_insert([0; NUM_ALPHAS]).get_mut(k)
                        {
                            *c += 1;
                        }
                    }
                }
            }
            for (k, m) in matched.iter().enumerate() {
                out.tp[k] += m;
                out.fn_[k] += n_gt - m;
                out.fp[k] += n_hyp - m;
            }
        }
        // Association: for every matched pair c, A(c) = |TPA| / (|TPA| + |FNA| + |FPA|),
        // weighted by its number of true positives. Sorted for reproducible sums.
        let mut pairs: Vec<((u32, u32), [u32; NUM_ALPHAS])> = matches.into_iter().collect();
        pairs.sort_unstable_by_key(|p| p.0);
        for ((g, h), m) in pairs {
            let (gc, hc) = (count(gt_count, g), count(hyp_count, h));
            for (k, &mk) in m.iter().enumerate() {
                let mk = mk as f64;
                if mk == 0.0 {
                    continue;
                }
                out.ass_sum[k] += mk * (mk / (gc + hc - mk).max(1.0));
                out.ass_re_sum[k] += mk * (mk / gc.max(1.0));
                out.ass_pr_sum[k] += mk * (mk / hc.max(1.0));
            }
        }
        Ok(out)
    }
}
