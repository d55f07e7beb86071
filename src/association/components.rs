//! Splitting the gate graph into connected components and solving each.
//!
//! Tracks and measurements are the nodes of a bipartite graph whose edges
//! are the gated pairs. Pairs in different connected components cannot
//! compete for anything, so each component is solved on its own: the dense
//! cost matrix is only as large as the component (usually 1x1 or 2x2 in a
//! crowd), never tracks x measurements.

use crate::association::assignment::{AssignmentScratch, greedy_assignment, solve_assignment};
use crate::association::gating::GatedPair;
use crate::config::AssociationMethod;
use crate::error::Result;

/// Counts from one association.
///
/// ```
/// use fusetrack::association::components::AssociationStats;
/// assert_eq!(AssociationStats::default().components, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AssociationStats {
    /// Connected components with at least one edge.
    pub components: u64,
    /// Number of nodes (tracks + measurements) in the largest component.
    pub largest_component: u64,
}

/// Solves the assignment of gated pairs, component by component, with
/// reusable buffers.
///
/// ```
/// use fusetrack::association::components::Associator;
/// use fusetrack::association::gating::GatedPair;
/// use fusetrack::AssociationMethod;
/// // Two tracks, two measurements, crossing costs: optimal takes the diagonal.
/// let pairs = [
///     GatedPair { track: 0, meas: 0, d2: 1.0, cost: 1.0 },
///     GatedPair { track: 0, meas: 1, d2: 0.9, cost: 0.9 },
///     GatedPair { track: 1, meas: 1, d2: 1.0, cost: 1.0 },
/// ];
/// let mut out = Vec::new();
/// let mut a = Associator::default();
/// let st = a.associate(2, 2, &pairs, AssociationMethod::Optimal, &mut out).unwrap();
/// out.sort();
/// assert_eq!(out, vec![(0, 0), (1, 1)]);
/// assert_eq!(st.components, 1);
/// // Greedy grabs the cheapest pair first and leaves track 1 without.
/// a.associate(2, 2, &pairs, AssociationMethod::Greedy, &mut out).unwrap();
/// assert_eq!(out, vec![(0, 1)]);
/// ```
#[derive(Debug, Default)]
pub struct Associator {
    parent: Vec<u32>,
    order: Vec<(u32, u32)>,
    /// Counting sort of `order` by root: start of each root's run.
    root_start: Vec<u32>,
    track_local: Vec<u32>,
    meas_local: Vec<u32>,
    comp_tracks: Vec<u32>,
    comp_meas: Vec<u32>,
    cost: Vec<f64>,
    row_to_col: Vec<Option<usize>>,
    scratch: AssignmentScratch,
}

const NONE: u32 = u32::MAX;

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

impl Associator {
    /// Replaces `out` with the assigned `(track, meas)` pairs.
    ///
    /// Indices in `pairs` must be below `n_tracks` and `n_meas` (pairs
    /// outside are ignored). The result does not depend on the order of
    /// `pairs` except through exact cost ties.
    ///
    /// With [`AssociationMethod::Optimal`] each component gets the
    /// assignment that first uses as many pairs as possible, then has the
    /// smallest total cost (see [`crate::association::assignment`]).
    ///
    /// # Errors
    /// Propagates a failure of the assignment solver (non-finite costs).
    ///
    /// ```
    /// use fusetrack::association::components::Associator;
    /// use fusetrack::association::gating::GatedPair;
    /// use fusetrack::AssociationMethod;
    /// let pair = |track, meas, cost| GatedPair { track, meas, d2: cost, cost };
    /// let pairs = [
    ///     pair(0, 0, 1.0), // component {t0, m0}
    ///     pair(1, 1, 0.5), // component {t1, t2, m1, m2}
    ///     pair(2, 1, 0.3),
    ///     pair(1, 2, 1.0),
    ///     pair(5, 0, 0.1), // track 5 does not exist: ignored
    /// ];
    /// let mut out = Vec::new();
    /// let st = Associator::default().associate(3, 3, &pairs, AssociationMethod::Optimal, &mut out)?;
    /// out.sort();
    /// // t1-m1 alone (0.5) is cheaper, but t1-m2 + t2-m1 (1.3) assigns two pairs.
    /// assert_eq!(out, [(0, 0), (1, 2), (2, 1)]);
    /// assert_eq!(st.components, 2);
    /// assert_eq!(st.largest_component, 4);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn associate(
        &mut self,
        n_tracks: usize,
        n_meas: usize,
        pairs: &[GatedPair],
        method: AssociationMethod,
        out: &mut Vec<(u32, u32)>,
    ) -> Result<AssociationStats> {
        out.clear();
        let mut st = AssociationStats::default();
        let n = n_tracks + n_meas;
        self.parent.clear();
        self.parent.extend(0..n as u32);
        let valid = |p: &GatedPair| (p.track as usize) < n_tracks && (p.meas as usize) < n_meas;
        for p in pairs.iter().filter(|p| valid(p)) {
            let a = find(&mut self.parent, p.track);
            let b = find(&mut self.parent, n_tracks as u32 + p.meas);
            if a != b {
                // Union by smaller root keeps the result independent of pair order.
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                self.parent[hi as usize] = lo;
            }
        }
        // Every node's root in one pass: a root is the smallest node of its
        // component and a parent is never above its child (unions link the
        // larger root under the smaller, path halving only shortcuts to
        // ancestors), so in increasing order a node's parent already holds
        // its root. No search loops (data-dependent branches) afterwards.
        for x in 0..n {
            let p = self.parent[x] as usize;
            self.parent[x] = self.parent[p];
        }
        let root = |parent: &[u32], track: u32| parent[track as usize];
        // Group pair indices by component root, in order of root and then
        // of pair index: a counting sort (roots are below `n`), linear
        // time instead of a comparison sort's n log n.
        self.root_start.clear();
        self.root_start.resize(n + 1, 0);
        let mut valid_pairs = 0;
        for p in pairs.iter().filter(|p| valid(p)) {
            let r = root(&self.parent, p.track);
            self.root_start[r as usize + 1] += 1;
            valid_pairs += 1;
        }
        // Running sum in a register (not through the previous entry in
        // memory: a store-to-load chain over every node).
        let mut sum = 0;
        for v in &mut self.root_start {
            sum += *v;
            *v = sum;
        }
        self.order.clear();
        self.order.resize(valid_pairs, (0, 0));
        for (i, p) in pairs.iter().enumerate() {
            if valid(p) {
                let r = root(&self.parent, p.track);
                let slot = &mut self.root_start[r as usize];
                self.order[*slot as usize] = (r, i as u32);
                *slot += 1;
            }
        }
        self.track_local.clear();
        self.track_local.resize(n_tracks, NONE);
        self.meas_local.clear();
        self.meas_local.resize(n_meas, NONE);

        let mut start = 0;
        while start < self.order.len() {
            let root = self.order[start].0;
            let mut end = start;
            while end < self.order.len() && self.order[end].0 == root {
                end += 1;
            }
            st.components += 1;
            self.solve_component(start, end, pairs, method, out)?;
            let nodes = (self.comp_tracks.len() + self.comp_meas.len()) as u64;
            st.largest_component = st.largest_component.max(nodes);
            start = end;
        }
        Ok(st)
    }

    fn solve_component(
        &mut self,
        start: usize,
        end: usize,
        pairs: &[GatedPair],
        method: AssociationMethod,
        out: &mut Vec<(u32, u32)>,
    ) -> Result<()> {
        self.comp_tracks.clear();
        self.comp_meas.clear();
        for &(_, pi) in &self.order[start..end] {
            let p = pairs[pi as usize];
            if self.track_local[p.track as usize] == NONE {
                self.track_local[p.track as usize] = self.comp_tracks.len() as u32;
                self.comp_tracks.push(p.track);
            }
            if self.meas_local[p.meas as usize] == NONE {
                self.meas_local[p.meas as usize] = self.comp_meas.len() as u32;
                self.comp_meas.push(p.meas);
            }
        }
        let (nr, nc) = (self.comp_tracks.len(), self.comp_meas.len());
        if end - start == 1 {
            let p = pairs[self.order[start].1 as usize];
            out.push((p.track, p.meas));
        } else {
            self.cost.clear();
            self.cost.resize(nr * nc, f64::INFINITY);
            for &(_, pi) in &self.order[start..end] {
                let p = pairs[pi as usize];
                let (r, c) = (
                    self.track_local[p.track as usize] as usize,
                    self.meas_local[p.meas as usize] as usize,
                );
                let slot = &mut self.cost[r * nc + c];
                *slot = slot.min(p.cost);
            }
            match method {
                AssociationMethod::Greedy => {
                    greedy_assignment(&self.cost, nr, nc, &mut self.row_to_col, &mut self.scratch)?
                }
                _ => solve_assignment(&self.cost, nr, nc, &mut self.row_to_col, &mut self.scratch)?,
            };
            for (r, c) in self.row_to_col.iter().enumerate() {
                if let Some(c) = *c {
                    out.push((self.comp_tracks[r], self.comp_meas[c]));
                }
            }
        }
        for &t in &self.comp_tracks {
            self.track_local[t as usize] = NONE;
        }
        for &m in &self.comp_meas {
            self.meas_local[m as usize] = NONE;
        }
        Ok(())
    }
}
