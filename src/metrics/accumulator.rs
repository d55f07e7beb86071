//! Frame-by-frame accumulation of all metrics, and the final scores.

use std::collections::HashMap;

use crate::error::{Error, Location, Result};
use crate::metrics::clear::{ClearCounts, ClearState};
use crate::metrics::hota::{HotaCounts, HotaState, NUM_ALPHAS};
use crate::metrics::identity::{IdentityCounts, max_overlap_matching};
use crate::metrics::similarity::Similarity;

/// The ground truth and the hypotheses of one frame.
///
/// `gt_ids[i]` is the id of `gt[i]`, `hyp_ids[j]` the id of `hyp[j]`; ids
/// must be unique within the frame on each side.
///
/// ```
/// use fusetrack::metrics::FrameData;
/// let f = FrameData { gt_ids: &[1, 2], gt: &[[0.0, 0.0], [3.0, 1.0]], hyp_ids: &[], hyp: &[] };
/// assert_eq!(f.gt.len(), 2);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct FrameData<'a, P> {
    /// Ground-truth ids.
    pub gt_ids: &'a [u64],
    /// Ground-truth objects, same length as `gt_ids`.
    pub gt: &'a [P],
    /// Hypothesis (tracker output) ids.
    pub hyp_ids: &'a [u64],
    /// Hypotheses, same length as `hyp_ids`.
    pub hyp: &'a [P],
}

/// Accumulates CLEAR MOT, identity and HOTA over the frames of one sequence.
///
/// Push frames in time order with [`push_frame`](Self::push_frame), then read
/// [`counts`](Self::counts). CLEAR MOT is computed as frames arrive; the
/// identity metrics keep per-pair overlap counts; HOTA also keeps each
/// frame's non-zero similarities, because its per-frame matching uses an
/// alignment score that is only known once the whole sequence has been seen.
///
/// A frame that is refused (an error) leaves the accumulator unchanged.
///
/// ```
/// use fusetrack::metrics::{FrameData, GroundPoints, MotAccumulator};
/// let mut acc = MotAccumulator::new(GroundPoints::new(1.0));
/// // two people, the tracker follows both but swaps ids in the third frame
/// let gt = [[0.0, 0.0], [5.0, 0.0]];
/// acc.push_frame(FrameData { gt_ids: &[1, 2], gt: &gt, hyp_ids: &[10, 20], hyp: &gt })?;
/// acc.push_frame(FrameData { gt_ids: &[1, 2], gt: &gt, hyp_ids: &[10, 20], hyp: &gt })?;
/// acc.push_frame(FrameData { gt_ids: &[1, 2], gt: &gt, hyp_ids: &[20, 10], hyp: &gt })?;
/// let s = acc.counts()?.scores();
/// assert_eq!(s.id_switches, 2);
/// assert_eq!(s.mota, 1.0 - 2.0 / 6.0);
/// assert_eq!(s.idf1, 4.0 / 6.0);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug)]
pub struct MotAccumulator<S: Similarity> {
    similarity: S,
    clear: ClearState,
    hota: HotaState,
    gt_index: HashMap<u64, u32>,
    hyp_index: HashMap<u64, u32>,
    gt_count: Vec<u64>,
    hyp_count: Vec<u64>,
    overlap: HashMap<(u32, u32), u64>,
    // per-frame scratch
    distance: Vec<Option<f64>>,
    sim: Vec<f64>,
    gt_idx: Vec<u32>,
    hyp_idx: Vec<u32>,
    sorted: Vec<u64>,
}

impl<S: Similarity> MotAccumulator<S> {
    /// An empty accumulator comparing objects with `similarity`
    /// ([`GroundPoints`](crate::metrics::GroundPoints),
    /// [`BoxIou`](crate::metrics::BoxIou) or your own
    /// [`Similarity`]).
    ///
    /// ```
    /// use fusetrack::BBox;
    /// use fusetrack::metrics::{BoxIou, FrameData, MotAccumulator};
    /// let mut acc = MotAccumulator::new(BoxIou::default());
    /// let person = BBox { x: 100.0, y: 50.0, w: 40.0, h: 100.0 };
    /// // The tracker's box is 10 px to the right: IoU = 30 x 100 / (50 x 100) = 0.6.
    /// let track = BBox { x: 110.0, ..person };
    /// acc.push_frame(FrameData { gt_ids: &[1], gt: &[person], hyp_ids: &[3], hyp: &[track] })?;
    /// let s = acc.counts()?.scores();
    /// assert_eq!((s.tp, s.fp, s.fn_), (1, 0, 0));
    /// assert!((s.motp - 0.4).abs() < 1e-12); // 1 - IoU
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn new(similarity: S) -> Self {
        Self {
            similarity,
            clear: ClearState::default(),
            hota: HotaState::default(),
            gt_index: HashMap::new(),
            hyp_index: HashMap::new(),
            gt_count: Vec::new(),
            hyp_count: Vec::new(),
            overlap: HashMap::new(),
            distance: Vec::new(),
            sim: Vec::new(),
            gt_idx: Vec::new(),
            hyp_idx: Vec::new(),
            sorted: Vec::new(),
        }
    }

    /// Frames pushed so far.
    ///
    /// ```
    /// use fusetrack::metrics::{FrameData, GroundPoints, MotAccumulator};
    /// let mut acc = MotAccumulator::new(GroundPoints::default());
    /// acc.push_frame(FrameData { gt_ids: &[], gt: &[], hyp_ids: &[], hyp: &[] })?;
    /// assert_eq!(acc.num_frames(), 1);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn num_frames(&self) -> u64 {
        self.hota.num_frames() as u64
    }

    /// Scores one frame.
    ///
    /// # Errors
    /// [`Error::InvalidField`] when ids and objects differ in number, an id
    /// occurs twice on one side, or an object is invalid for the similarity
    /// (NaN coordinates, ...); [`Error::InvalidField`] from the assignment
    /// solver cannot happen for finite inputs. The accumulator is unchanged
    /// after an error.
    ///
    /// ```
    /// use fusetrack::metrics::{FrameData, GroundPoints, MotAccumulator};
    /// let mut acc = MotAccumulator::new(GroundPoints::default());
    /// let bad = FrameData { gt_ids: &[1], gt: &[[f64::NAN, 0.0]], hyp_ids: &[], hyp: &[] };
    /// assert!(acc.push_frame(bad).is_err());
    /// assert_eq!(acc.num_frames(), 0);
    /// ```
    pub fn push_frame(&mut self, frame: FrameData<'_, S::Item>) -> Result<()> {
        let frame_no = self.num_frames();
        self.validate(&frame, frame_no)?;
        let (n_gt, n_hyp) = (frame.gt.len(), frame.hyp.len());

        self.distance.clear();
        self.sim.clear();
        for g in frame.gt {
            for h in frame.hyp {
                let p = self.similarity.compare(g, h);
                self.distance.push(p.distance.filter(|d| d.is_finite()));
                self.sim.push(if p.similarity.is_finite() {
                    p.similarity.clamp(0.0, 1.0)
                } else {
                    0.0
                });
            }
        }
        // CLEAR first: it is the only step that can fail (solver), and it
        // leaves nothing half-done when it does.
        self.clear.push(frame.gt_ids, frame.hyp_ids, &self.distance)?;

        self.gt_idx.clear();
        for id in frame.gt_ids {
            let next = self.gt_index.len() as u32;
            let k = *self.gt_index.entry(*id).or_insert(next);
            if k == next {
                self.gt_count.push(0);
            }
            if let Some(c) = self.gt_count.get_mut(k as usize) {
                *c += 1;
            }
            self.gt_idx.push(k);
        }
        self.hyp_idx.clear();
        for id in frame.hyp_ids {
            let next = self.hyp_index.len() as u32;
            let k = *self.hyp_index.entry(*id).or_insert(next);
            if k == next {
                self.hyp_count.push(0);
            }
            if let Some(c) = self.hyp_count.get_mut(k as usize) {
                *c += 1;
            }
            self.hyp_idx.push(k);
        }
        for i in 0..n_gt {
            for j in 0..n_hyp {
                if self.distance.get(i * n_hyp + j).copied().flatten().is_some() {
                    if let (Some(&g), Some(&h)) = (self.gt_idx.get(i), self.hyp_idx.get(j)) {
                        *self.overlap.entry((g, h)).or_insert(0) += 1;
                    }
                }
            }
        }
        self.hota.push(&self.gt_idx, &self.hyp_idx, &self.sim);
        Ok(())
    }

    fn validate(&mut self, frame: &FrameData<'_, S::Item>, frame_no: u64) -> Result<()> {
        let err = |field: String, reason: String| Error::InvalidField {
            at: Location::none(),
            field: format!("frame {frame_no}: {field}"),
            reason,
        };
        if frame.gt_ids.len() != frame.gt.len() {
            return Err(err(
                "gt_ids".into(),
                format!("{} ids for {} objects", frame.gt_ids.len(), frame.gt.len()),
            ));
        }
        if frame.hyp_ids.len() != frame.hyp.len() {
            return Err(err(
                "hyp_ids".into(),
                format!("{} ids for {} hypotheses", frame.hyp_ids.len(), frame.hyp.len()),
            ));
        }
        for (side, items) in [("gt", frame.gt), ("hyp", frame.hyp)] {
            for (i, item) in items.iter().enumerate() {
                if let Some(reason) = self.similarity.invalid_reason(item) {
                    return Err(err(format!("{side}[{i}]"), reason.into()));
                }
            }
        }
        for (side, ids) in [("gt_ids", frame.gt_ids), ("hyp_ids", frame.hyp_ids)] {
            self.sorted.clear();
            self.sorted.extend_from_slice(ids);
            self.sorted.sort_unstable();
            if let Some(w) = self.sorted.windows(2).find(|w| w.first() == w.get(1)) {
                let id = w.first().copied().unwrap_or(0);
                return Err(err(side.into(), format!("id {id} occurs twice in the frame")));
            }
        }
        Ok(())
    }

    /// All counts of the sequence so far (solves the global identity matching
    /// and HOTA's second pass; the accumulator can take more frames after).
    ///
    /// # Errors
    /// Only if the assignment solver fails, which finite inputs do not cause.
    ///
    /// ```
    /// use fusetrack::metrics::{FrameData, GroundPoints, MotAccumulator};
    /// let mut acc = MotAccumulator::new(GroundPoints::default());
    /// acc.push_frame(FrameData { gt_ids: &[1], gt: &[[0.0, 0.0]], hyp_ids: &[], hyp: &[] })?;
    /// let c = acc.counts()?;
    /// assert_eq!((c.clear.misses, c.identity.idfn), (1, 1));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn counts(&self) -> Result<Counts> {
        let clear = self.clear.counts(self.hyp_index.len() as u64);
        let idtp = max_overlap_matching(&self.overlap, self.gt_index.len(), self.hyp_index.len())?;
        let identity = IdentityCounts {
            idtp,
            idfp: clear.num_hyp.saturating_sub(idtp),
            idfn: clear.num_gt.saturating_sub(idtp),
        };
        let hota = self.hota.counts(&self.gt_count, &self.hyp_count)?;
        Ok(Counts { clear, identity, hota })
    }
}

/// Everything needed to compute the scores; sequences combine by summing
/// ([`Counts::merge`]), as py-motmetrics' "OVERALL" row and TrackEval's
/// `combine_sequences` do.
///
/// ```
/// use fusetrack::metrics::{FrameData, GroundPoints, MotAccumulator};
/// let mut a = MotAccumulator::new(GroundPoints::default());
/// a.push_frame(FrameData { gt_ids: &[1], gt: &[[0.0, 0.0]], hyp_ids: &[4], hyp: &[[0.0, 0.0]] })?;
/// let mut b = MotAccumulator::new(GroundPoints::default());
/// b.push_frame(FrameData { gt_ids: &[1], gt: &[[0.0, 0.0]], hyp_ids: &[], hyp: &[] })?;
/// let mut both = a.counts()?;
/// both.merge(&b.counts()?);
/// assert_eq!(both.scores().mota, 0.5);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// CLEAR MOT counts.
    pub clear: ClearCounts,
    /// Identity counts.
    pub identity: IdentityCounts,
    /// HOTA sums per alpha.
    pub hota: HotaCounts,
}

impl Counts {
    /// Adds another sequence's counts. Scores of the merged counts weigh
    /// every frame equally; they are not the mean of the sequences' scores.
    ///
    /// ```
    /// use fusetrack::metrics::{FrameData, GroundPoints, MotAccumulator};
    /// let p = [[0.0, 0.0]];
    /// // Sequence A: one object, tracked (MOTA 1).
    /// let mut a = MotAccumulator::new(GroundPoints::default());
    /// a.push_frame(FrameData { gt_ids: &[1], gt: &p, hyp_ids: &[1], hyp: &p })?;
    /// // Sequence B: one object over three frames, never tracked (MOTA 0).
    /// let mut b = MotAccumulator::new(GroundPoints::default());
    /// for _ in 0..3 {
    ///     b.push_frame(FrameData { gt_ids: &[1], gt: &p, hyp_ids: &[], hyp: &[] })?;
    /// }
    /// let mut all = a.counts()?;
    /// all.merge(&b.counts()?);
    /// let s = all.scores();
    /// assert_eq!(s.num_gt, 4);
    /// assert_eq!(s.mota, 1.0 - 3.0 / 4.0); // not (1 + 0) / 2
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn merge(&mut self, other: &Counts) {
        self.clear.merge(&other.clear);
        self.identity.merge(&other.identity);
        self.hota.merge(&other.hota);
    }

    /// The scores. Ratios whose denominator is zero are NaN (e.g. MOTA
    /// without ground truth, MOTP without a match), as in py-motmetrics;
    /// HOTA's parts follow TrackEval (0, LocA 1) instead.
    ///
    /// ```
    /// use fusetrack::metrics::Counts;
    /// let s = Counts::default().scores();
    /// assert!(s.mota.is_nan() && s.idf1.is_nan());
    /// assert_eq!(s.hota, 0.0);
    /// ```
    pub fn scores(&self) -> Scores {
        let c = &self.clear;
        let id = &self.identity;
        let div = |a: f64, b: f64| if b == 0.0 { f64::NAN } else { a / b };
        let tp = c.matches + c.switches;
        let mut mean = [0.0f64; 8];
        for k in 0..NUM_ALPHAS {
            let a = self.hota.at(k);
            for (m, v) in mean
                .iter_mut()
                .zip([a.hota, a.deta, a.assa, a.loca, a.detre, a.detpr, a.assre, a.asspr])
            {
                *m += v;
            }
        }
        let [hota, deta, assa, loca, detre, detpr, assre, asspr] =
            mean.map(|m| m / NUM_ALPHAS as f64);
        Scores {
            mota: 1.0 - div((c.misses + c.switches + c.false_positives) as f64, c.num_gt as f64),
            motp: div(c.distance_sum, tp as f64),
            precision: div(tp as f64, (tp + c.false_positives) as f64),
            recall: div(tp as f64, c.num_gt as f64),
            idf1: div(2.0 * id.idtp as f64, (c.num_gt + c.num_hyp) as f64),
            idp: div(id.idtp as f64, (id.idtp + id.idfp) as f64),
            idr: div(id.idtp as f64, (id.idtp + id.idfn) as f64),
            hota,
            deta,
            assa,
            loca,
            detre,
            detpr,
            assre,
            asspr,
            num_frames: c.num_frames,
            num_gt: c.num_gt,
            num_hyp: c.num_hyp,
            num_gt_ids: c.num_gt_ids,
            num_hyp_ids: c.num_hyp_ids,
            tp,
            fp: c.false_positives,
            fn_: c.misses,
            id_switches: c.switches,
            fragmentations: c.fragmentations,
            mostly_tracked: c.mostly_tracked,
            partially_tracked: c.partially_tracked,
            mostly_lost: c.mostly_lost,
            idtp: id.idtp,
            idfp: id.idfp,
            idfn: id.idfn,
        }
    }
}

/// The scores of a sequence (or of several combined).
///
/// HOTA and its parts are means over the 19 alphas 0.05..0.95, as TrackEval
/// reports them. Distances (MOTP) are in the unit of the similarity: metres
/// for [`GroundPoints`](crate::metrics::GroundPoints), `1 - IoU` for
/// [`BoxIou`](crate::metrics::BoxIou) (lower is better in both).
///
/// ```
/// use fusetrack::metrics::evaluate_points;
/// let gt = [(0.0, 1, [0.0, 0.0]), (0.1, 1, [0.1, 0.0])];
/// let hyp = [(0.0, 7, [0.0, 0.5]), (0.1, 7, [0.1, 0.5])];
/// let s = evaluate_points(&gt, &hyp, 1.0)?;
/// assert_eq!((s.tp, s.fp, s.fn_, s.id_switches), (2, 0, 0, 0));
/// assert_eq!(s.motp, 0.5);
/// assert_eq!(s.idf1, 1.0);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scores {
    /// 1 - (FN + FP + IDSW) / num_gt.
    pub mota: f64,
    /// Mean distance of the correspondences (matches and switches).
    pub motp: f64,
    /// TP / (TP + FP).
    pub precision: f64,
    /// TP / num_gt.
    pub recall: f64,
    /// 2 IDTP / (num_gt + num_hyp).
    pub idf1: f64,
    /// IDTP / (IDTP + IDFP).
    pub idp: f64,
    /// IDTP / (IDTP + IDFN).
    pub idr: f64,
    /// HOTA, mean over alphas.
    pub hota: f64,
    /// Detection accuracy, mean over alphas.
    pub deta: f64,
    /// Association accuracy, mean over alphas.
    pub assa: f64,
    /// Localisation accuracy (mean similarity of HOTA's TPs), mean over alphas.
    pub loca: f64,
    /// Detection recall, mean over alphas.
    pub detre: f64,
    /// Detection precision, mean over alphas.
    pub detpr: f64,
    /// Association recall, mean over alphas.
    pub assre: f64,
    /// Association precision, mean over alphas.
    pub asspr: f64,
    /// Frames.
    pub num_frames: u64,
    /// Ground-truth objects summed over frames.
    pub num_gt: u64,
    /// Hypotheses summed over frames.
    pub num_hyp: u64,
    /// Distinct ground-truth ids.
    pub num_gt_ids: u64,
    /// Distinct hypothesis ids.
    pub num_hyp_ids: u64,
    /// CLEAR true positives (matches + switches).
    pub tp: u64,
    /// CLEAR false positives.
    pub fp: u64,
    /// CLEAR false negatives (misses).
    pub fn_: u64,
    /// Identity switches (py-motmetrics convention).
    pub id_switches: u64,
    /// Fragmentations.
    pub fragmentations: u64,
    /// Objects tracked >= 80 % of their frames.
    pub mostly_tracked: u64,
    /// Objects tracked 20..80 % of their frames.
    pub partially_tracked: u64,
    /// Objects tracked < 20 % of their frames.
    pub mostly_lost: u64,
    /// Identity true positives.
    pub idtp: u64,
    /// Identity false positives.
    pub idfp: u64,
    /// Identity false negatives.
    pub idfn: u64,
}
