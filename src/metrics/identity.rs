//! Identity metrics (Ristani et al. 2016): one global one-to-one matching of
//! ground-truth trajectories to hypothesis trajectories.

use std::collections::HashMap;

use crate::association::assignment::{AssignmentScratch, solve_assignment};
use crate::error::Result;

/// Identity counts of one sequence (or several, summed).
///
/// `idtp + idfn` is the number of ground-truth objects summed over frames,
/// `idtp + idfp` the number of hypotheses.
///
/// ```
/// use fusetrack::metrics::IdentityCounts;
/// let mut a = IdentityCounts { idtp: 8, idfp: 2, idfn: 1 };
/// a.merge(&IdentityCounts { idtp: 1, idfp: 0, idfn: 0 });
/// assert_eq!(a, IdentityCounts { idtp: 9, idfp: 2, idfn: 1 });
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IdentityCounts {
    /// Identity true positives: frames in which a gt trajectory and the
    /// hypothesis trajectory matched to it are within the threshold.
    pub idtp: u64,
    /// Identity false positives: hypotheses not covered that way.
    pub idfp: u64,
    /// Identity false negatives: ground-truth objects not covered that way.
    pub idfn: u64,
}

impl IdentityCounts {
    /// Adds the counts of another sequence; the combined IDF1, IDP and IDR
    /// are computed from the sums.
    ///
    /// ```
    /// use fusetrack::metrics::IdentityCounts;
    /// // Sequence A: 8 gt objects all covered (IDR 1); B: 10 objects, none (IDR 0).
    /// let mut c = IdentityCounts { idtp: 8, idfp: 2, idfn: 0 };
    /// c.merge(&IdentityCounts { idtp: 0, idfp: 0, idfn: 10 });
    /// assert_eq!(c, IdentityCounts { idtp: 8, idfp: 2, idfn: 10 });
    /// let idr = c.idtp as f64 / (c.idtp + c.idfn) as f64;
    /// assert_eq!(idr, 8.0 / 18.0); // weighted by objects, not (1 + 0) / 2
    /// ```
    pub fn merge(&mut self, o: &IdentityCounts) {
        self.idtp += o.idtp;
        self.idfp += o.idfp;
        self.idfn += o.idfn;
    }
}

/// Largest total overlap of a one-to-one matching of gt trajectories to
/// hypothesis trajectories. `overlap[(g, h)]` counts the frames in which gt
/// `g` and hypothesis `h` are within the threshold.
///
/// The bipartite graph is split into connected components (a matching never
/// crosses them); each is solved as a dense assignment with cost `-overlap`
/// and no forbidden pair, so the solver's "most pairs, then least cost" is a
/// maximum-weight matching (pairs without overlap add 0).
pub(crate) fn max_overlap_matching(
    overlap: &HashMap<(u32, u32), u64>,
    n_gt: usize,
    n_hyp: usize,
) -> Result<u64> {
    // Union-find over gt nodes 0..n_gt and hypothesis nodes n_gt..n_gt+n_hyp.
    let mut parent: Vec<usize> = (0..n_gt + n_hyp).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while let Some(&p) = parent.get(x) {
            if p == x {
                break;
            }
            let gp = parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = parent.get_mut(x) {
                *slot = gp;
            }
            x = p;
        }
        x
    }
    let mut edges: Vec<(u32, u32, u64)> = overlap.iter().map(|(&(g, h), &n)| (g, h, n)).collect();
    edges.sort_unstable();
    for &(g, h, _) in &edges {
        let a = find(&mut parent, g as usize);
        let b = find(&mut parent, n_gt + h as usize);
        if a != b {
            if let Some(slot) = parent.get_mut(a) {
                *slot = b;
            }
        }
    }
    // Group edges by component root.
    let mut by_root: HashMap<usize, Vec<(u32, u32, u64)>> = HashMap::new();
    for &e in &edges {
        let r = find(&mut parent, e.0 as usize);
        by_root.entry(r).or_default().push(e);
    }
    let mut roots: Vec<usize> = by_root.keys().copied().collect();
    roots.sort_unstable();

    let mut scratch = AssignmentScratch::new();
    let mut row_to_col = Vec::new();
    let mut total = 0u64;
    for r in roots {
        let Some(comp) = by_root.get(&r) else { continue };
        if let [(_, _, n)] = comp.as_slice() {
            total += n;
            continue;
        }
        let mut gts: Vec<u32> = comp.iter().map(|e| e.0).collect();
        gts.sort_unstable();
        gts.dedup();
        let mut hyps: Vec<u32> = comp.iter().map(|e| e.1).collect();
        hyps.sort_unstable();
        hyps.dedup();
        let mut cost = vec![0.0; gts.len() * hyps.len()];
        for &(g, h, n) in comp {
            let (Ok(i), Ok(j)) = (gts.binary_search(&g), hyps.binary_search(&h)) else { continue };
            if let Some(c) = cost.get_mut(i * hyps.len() + j) {
                *c = -(n as f64);
            }
        }
        solve_assignment(&cost, gts.len(), hyps.len(), &mut row_to_col, &mut scratch)?;
        for (i, j) in row_to_col.iter().enumerate() {
            let Some(j) = *j else { continue };
            if let Some(c) = cost.get(i * hyps.len() + j) {
                // Costs are exact small integers.
                total += (-*c) as u64;
            }
        }
    }
    Ok(total)
}
