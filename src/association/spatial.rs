//! A fixed-radius spatial index on the ground plane: a hashed uniform grid.
//!
//! Points are bucketed by grid cell (counting sort into a hash table of
//! about twice as many buckets as points), so a query of radius `r <= cell`
//! visits at most 3 x 3 cells (2 x 2 with `r <= cell / 2`). Building is
//! O(N), a query O(points nearby).
//! All buffers are kept between uses: once warmed up, neither building nor
//! querying allocates, which is why the tracker's hot path uses this
//! rather than a KD-tree library whose range queries return a fresh `Vec`
//! per query. Results are exact (a test compares with brute force).
//!
//! Cells are hashed, so the index does not depend on the extent of the
//! scene: ten people spread over a city cost as little as ten in a room.

/// A reusable fixed-radius index.
///
/// ```
/// use fusetrack::association::spatial::GridIndex;
/// let points = [[0.0, 0.0], [1.0, 0.0], [10.0, 10.0]];
/// let mut index = GridIndex::default();
/// index.build(&points, 2.0);
/// let mut near = Vec::new();
/// index.within(&points, [0.2, 0.1], 1.5, &mut near);
/// near.sort();
/// assert_eq!(near, vec![0, 1]);
/// ```
#[derive(Debug, Default, Clone)]
pub struct GridIndex {
    cell_m: f64,
    /// `1 / cell_m`.
    inv_cell: f64,
    /// The largest cell coordinate (absolute) of an indexed point.
    max_cell: f64,
    mask: usize,
    /// Start of each bucket in `order` (length buckets + 1).
    starts: Vec<u32>,
    /// Point indices sorted by bucket.
    order: Vec<u32>,
    /// The points in the same order (queries read them contiguously).
    sorted: Vec<[f64; 2]>,
    /// Cell coordinates of each point (to reject hash collisions).
    cells: Vec<(i64, i64)>,
    fill: Vec<u32>,
    /// Each point's bucket (`NO_BUCKET` if not indexed), from `build`.
    buckets: Vec<u32>,
    /// When the points' cells span a small enough rectangle, buckets are
    /// the cells of that rectangle themselves (no hashing, no collisions):
    /// its first cell and its size in cells.
    dense: Option<Dense>,
}

#[derive(Debug, Clone, Copy)]
struct Dense {
    x0: i64,
    y0: i64,
    w: i64,
    h: i64,
}

/// The bucket of a point that is not indexed.
const NO_BUCKET: u32 = u32::MAX;

#[inline]
fn bucket(cx: i64, cy: i64, mask: usize) -> usize {
    // A multiplicative hash of the two cell coordinates.
    let h = (cx as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (cy as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    ((h ^ (h >> 29)) as usize) & mask
}

/// Appends the `ids` whose point passes `keep`, without a branch on the
/// outcome (each id is written, the length moves on only if kept): which
/// candidates pass is a coin toss for the branch predictor.
#[inline]
fn push_kept(out: &mut Vec<u32>, ids: &[u32], pts: &[[f64; 2]], keep: impl Fn(&[f64; 2]) -> bool) {
    let mut n = out.len();
    out.resize(n + ids.len(), 0);
    for (&i, p) in ids.iter().zip(pts) {
        if let Some(slot) = out.get_mut(n) {
            *slot = i;
        }
        n += usize::from(keep(p));
    }
    out.truncate(n);
}

/// `v.floor()` as an integer, exact for `|v| < 2^51`. Adding 1.5 * 2^52
/// rounds `v` to an integer (the default rounding, to nearest) held in the
/// low bits of the sum's mantissa, read off as an integer; one less if that
/// rounded up. A handful of instructions, where a float-to-integer cast
/// saturates (range and NaN checks) and `f64::floor` is a library call on
/// the baseline x86-64 target (no SSE4.1 rounding instruction). This runs
/// for every point indexed and twice per query.
#[inline]
fn floor_small(v: f64) -> i64 {
    const SHIFT: f64 = 6_755_399_441_055_744.0; // 1.5 * 2^52
    let t = v + SHIFT;
    let rounded = t.to_bits() as i64 - SHIFT.to_bits() as i64;
    rounded - i64::from(t - SHIFT > v)
}

impl GridIndex {
    /// Indexes `points` (metres) with cells of `cell_m` metres; queries
    /// are cheapest with a radius at most `cell_m`. Non-finite points are
    /// never returned by queries. A cell size that is not finite and
    /// positive is replaced by 1 m. Building again reuses the buffers.
    ///
    /// ```
    /// use fusetrack::association::spatial::GridIndex;
    /// let mut index = GridIndex::default();
    /// let mut near = Vec::new();
    /// index.build(&[[0.0, 0.0], [f64::NAN, 0.0]], 1.0);
    /// index.within(&[[0.0, 0.0], [f64::NAN, 0.0]], [0.0, 0.0], 5.0, &mut near);
    /// assert_eq!(near, vec![0]); // the NaN point is never found
    /// // Rebuilt for other points (and a bad cell size, taken as 1 m):
    /// let moved = [[50.0, 50.0], [50.5, 50.0]];
    /// index.build(&moved, -3.0);
    /// near.clear();
    /// index.within(&moved, [0.0, 0.0], 5.0, &mut near);
    /// assert!(near.is_empty());
    /// index.within(&moved, [50.2, 50.0], 0.4, &mut near);
    /// near.sort();
    /// assert_eq!(near, vec![0, 1]);
    /// ```
    pub fn build(&mut self, points: &[[f64; 2]], cell_m: f64) {
        self.cell_m = if cell_m.is_finite() && cell_m > 0.0 { cell_m } else { 1.0 };
        self.inv_cell = 1.0 / self.cell_m;
        self.cells.clear();
        let (mut lo, mut hi) = ((i64::MAX, i64::MAX), (i64::MIN, i64::MIN));
        for p in points {
            let c = self.cell_of(*p);
            if c.0 != i64::MIN {
                lo = (lo.0.min(c.0), lo.1.min(c.1));
                hi = (hi.0.max(c.0), hi.1.max(c.1));
            }
            self.cells.push(c);
        }
        // Dense buckets when the occupied rectangle has at most about four
        // cells per point (a crowd, a room); hashed otherwise (a few people
        // spread over a city), so memory stays O(points) either way.
        self.dense = None;
        self.max_cell = 0.0;
        if lo.0 <= hi.0 {
            self.max_cell =
                [lo.0, lo.1, hi.0, hi.1].map(|c| (c as f64).abs()).into_iter().fold(0.0, f64::max);
            let (w, h) = (hi.0 - lo.0 + 1, hi.1 - lo.1 + 1);
            let limit = 4 * points.len() as i64 + 64;
            if w.checked_mul(h).is_some_and(|cells| cells <= limit) {
                self.dense = Some(Dense { x0: lo.0, y0: lo.1, w, h });
            }
        }
        let buckets = match self.dense {
            Some(d) => (d.w * d.h) as usize,
            None => (2 * points.len()).next_power_of_two().max(16),
        };
        self.mask = buckets.next_power_of_two() - 1;
        self.starts.clear();
        self.starts.resize(buckets + 1, 0);
        // Each point's bucket once (`NO_BUCKET` if not indexed), for the
        // count and again for the placement.
        self.buckets.clear();
        for k in 0..self.cells.len() {
            let (cx, cy) = self.cells[k];
            let b = self.bucket_of(cx, cy);
            if let Some(b) = b {
                self.starts[b + 1] += 1;
            }
            self.buckets.push(b.map_or(NO_BUCKET, |b| b as u32));
        }
        // Running sum in a register (not through the previous entry in
        // memory: a store-to-load chain over every bucket).
        let mut sum = 0;
        for v in &mut self.starts {
            sum += *v;
            *v = sum;
        }
        self.fill.clear();
        self.fill.extend_from_slice(&self.starts[..buckets]);
        self.order.clear();
        self.order.resize(self.starts[buckets] as usize, 0);
        self.sorted.clear();
        self.sorted.resize(self.order.len(), [0.0; 2]);
        for (i, (&b, p)) in self.buckets.iter().zip(points).enumerate() {
            if b != NO_BUCKET {
                let k = self.fill[b as usize] as usize;
                self.order[k] = i as u32;
                self.sorted[k] = *p;
                self.fill[b as usize] += 1;
            }
        }
    }

    /// The bucket of cell `(cx, cy)`; `None` for the unindexed marker and,
    /// with dense buckets, for cells outside the occupied rectangle.
    #[inline]
    fn bucket_of(&self, cx: i64, cy: i64) -> Option<usize> {
        if cx == i64::MIN {
            return None;
        }
        match self.dense {
            Some(d) => {
                let (dx, dy) = (cx.wrapping_sub(d.x0), cy.wrapping_sub(d.y0));
                (0..d.w).contains(&dx).then_some(())?;
                (0..d.h).contains(&dy).then_some((dy * d.w + dx) as usize)
            }
            None => Some(bucket(cx, cy, self.mask)),
        }
    }

    /// The cells a query from cell `lo` to cell `hi` must visit, clipped
    /// to the occupied rectangle with dense buckets (possibly an empty
    /// range); `None` if there are more cells than points (scan every point
    /// instead).
    fn cell_range(&self, lo: (i64, i64), hi: (i64, i64)) -> Option<((i64, i64), (i64, i64))> {
        let (lo, hi) = match self.dense {
            Some(d) => (
                (lo.0.max(d.x0), lo.1.max(d.y0)),
                (hi.0.min(d.x0 + d.w - 1), hi.1.min(d.y0 + d.h - 1)),
            ),
            None => (lo, hi),
        };
        // An empty range gives a span <= 0: visited at no cost.
        let span = (hi.0 - lo.0 + 1).saturating_mul(hi.1 - lo.1 + 1);
        (span <= self.order.len() as i64 || self.dense.is_some()).then_some((lo, hi))
    }

    fn cell_of(&self, p: [f64; 2]) -> (i64, i64) {
        // A multiplication, not a division: the binning only has to be
        // monotone (the same function for points and query bounds).
        let (x, y) = (p[0] * self.inv_cell, p[1] * self.inv_cell);
        // Far beyond any scene (1e15 cells) or not finite (the comparison
        // is false for NaN and the infinities): not indexed.
        if x.abs() < 1e15 && y.abs() < 1e15 {
            (floor_small(x), floor_small(y))
        } else {
            (i64::MIN, i64::MIN)
        }
    }

    /// Appends to `out` the indices of the `points` (the slice given to
    /// [`GridIndex::build`]) within `radius_m` of `q` (distance `<= radius_m`),
    /// in no particular order. `out` is not cleared. Nothing is found for a
    /// negative or NaN radius or a non-finite `q`. A radius larger than the
    /// cells gives the same result, only slower.
    ///
    /// `points` must be the slice the index was built from; with another
    /// slice the result is meaningless (indices beyond it are skipped, never
    /// a panic).
    ///
    /// ```
    /// use fusetrack::association::spatial::GridIndex;
    /// // People on a 1 m lattice, 10 x 10.
    /// let points: Vec<[f64; 2]> =
    ///     (0..100).map(|i| [(i % 10) as f64, (i / 10) as f64]).collect();
    /// let mut index = GridIndex::default();
    /// index.build(&points, 1.5);
    /// let mut near = vec![999]; // kept: `within` appends
    /// index.within(&points, [4.0, 4.0], 1.0, &mut near);
    /// near.sort();
    /// assert_eq!(near, vec![34, 43, 44, 45, 54, 999]); // the centre and its 4 neighbours
    /// // A huge radius finds everyone, the same as a brute-force scan.
    /// near.clear();
    /// index.within(&points, [4.0, 4.0], 1e6, &mut near);
    /// assert_eq!(near.len(), 100);
    /// near.clear();
    /// index.within(&points, [4.0, 4.0], -1.0, &mut near);
    /// assert!(near.is_empty());
    /// ```
    pub fn within(&self, points: &[[f64; 2]], q: [f64; 2], radius_m: f64, out: &mut Vec<u32>) {
        self.query_disc(points, q, radius_m, |ids, pts, keep| push_kept(out, ids, pts, keep));
    }

    /// [`GridIndex::within`] with a callback instead of an output vector
    /// (no buffer to own: the query can run on many threads at once).
    pub(crate) fn for_each_within(
        &self,
        points: &[[f64; 2]],
        q: [f64; 2],
        radius_m: f64,
        mut emit: impl FnMut(u32),
    ) {
        self.query_disc(points, q, radius_m, |ids, pts, keep| {
            for (&i, p) in ids.iter().zip(pts) {
                if keep(p) {
                    emit(i);
                }
            }
        });
    }

    /// The runs of candidates for the disc of `radius_m` around `q`, each
    /// given to `take` with the test of being in the disc. (Inlined into its
    /// two callers, the `dyn` test is called directly; a version returning
    /// the disc's box for the callers to test measured 4-5 % slower at
    /// 1 000 tracks.)
    fn query_disc(
        &self,
        points: &[[f64; 2]],
        q: [f64; 2],
        radius_m: f64,
        mut take: impl FnMut(&[u32], &[[f64; 2]], &dyn Fn(&[f64; 2]) -> bool),
    ) {
        if self.order.is_empty()
            || radius_m.is_nan()
            || radius_m < 0.0
            || !q[0].is_finite()
            || !q[1].is_finite()
        {
            return;
        }
        let r2 = radius_m * radius_m;
        let lo = [q[0] - radius_m, q[1] - radius_m];
        let hi = [q[0] + radius_m, q[1] + radius_m];
        let keep = |p: &[f64; 2]| (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) <= r2;
        self.select(points, lo, hi, |ids, pts| take(ids, pts, &keep));
    }

    /// Appends to `out` the indices of the `points` (the slice given to
    /// [`GridIndex::build`]) inside the axis-aligned box from `lo` to `hi`
    /// (bounds included), in no particular order. `out` is not cleared.
    /// Nothing is found for an empty box (`lo` above `hi` on either axis)
    /// or non-finite bounds. A box much larger than the cells gives the same
    /// result as a scan of every point, at about the cost of one.
    ///
    /// ```
    /// use fusetrack::association::spatial::GridIndex;
    /// let points: Vec<[f64; 2]> =
    ///     (0..100).map(|i| [(i % 10) as f64, (i / 10) as f64]).collect();
    /// let mut index = GridIndex::default();
    /// index.build(&points, 2.0);
    /// let mut near = Vec::new();
    /// index.within_box(&points, [2.5, 7.0], [4.0, 8.5], &mut near);
    /// near.sort();
    /// assert_eq!(near, vec![73, 74, 83, 84]);
    /// near.clear();
    /// index.within_box(&points, [4.0, 0.0], [3.0, 9.0], &mut near); // empty box
    /// assert!(near.is_empty());
    /// ```
    pub fn within_box(&self, points: &[[f64; 2]], lo: [f64; 2], hi: [f64; 2], out: &mut Vec<u32>) {
        if self.order.is_empty() || !(lo[0] <= hi[0] && lo[1] <= hi[1]) {
            return;
        }
        let inside =
            |p: &[f64; 2]| p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] && p[1] <= hi[1];
        self.select(points, lo, hi, |ids, pts| push_kept(out, ids, pts, inside));
    }

    /// Calls `f(i, j)` once for every unordered pair of indexed `points`
    /// (the slice given to [`GridIndex::build`]) within `radius_m` of each
    /// other (distance `<= radius_m`), with `i` and `j` their indices and
    /// `i != j`, in no particular order. Nothing is found for a negative or
    /// NaN radius; non-finite points are never paired. A radius up to the
    /// cell size is cheapest: each cell is compared with itself and four of
    /// its neighbours, every pair once, which costs less than one
    /// [`GridIndex::within`] query per point. With a slice other than the
    /// one indexed the result is meaningless, never a panic.
    ///
    /// ```
    /// use fusetrack::association::spatial::GridIndex;
    /// let points = [[0.0, 0.0], [0.8, 0.0], [5.0, 5.0], [5.0, 5.9], [0.0, 0.9]];
    /// let mut index = GridIndex::default();
    /// index.build(&points, 1.0);
    /// let mut pairs = Vec::new();
    /// index.for_each_pair_within(&points, 1.0, |i, j| pairs.push((i.min(j), i.max(j))));
    /// pairs.sort();
    /// assert_eq!(pairs, vec![(0, 1), (0, 4), (2, 3)]); // 1 and 4 are 1.2 m apart
    /// ```
    pub fn for_each_pair_within(
        &self,
        points: &[[f64; 2]],
        radius_m: f64,
        mut f: impl FnMut(u32, u32),
    ) {
        if self.order.is_empty() || radius_m.is_nan() || radius_m < 0.0 {
            return;
        }
        let r2 = radius_m * radius_m;
        let mut visit = |i: u32, j: u32| {
            if let (Some(p), Some(q)) = (points.get(i as usize), points.get(j as usize)) {
                if (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) <= r2 {
                    f(i, j);
                }
            }
        };
        // Pairs lie at most `k` cells apart on each axis, rounding included:
        // binning `x` to `x / cell` errs by a few units in the last place of
        // the largest cell coordinate (`k` is finite or infinite, never NaN:
        // the radius is a number and the cells positive).
        let slack = 1e-15 * (self.max_cell + 1.0);
        let k = (radius_m * self.inv_cell * (1.0 + 1e-15) + slack).ceil();
        let stencil = (2.0 * k + 1.0) * (k + 1.0);
        if stencil > self.order.len() as f64 {
            // More neighbour cells than points: every pair.
            for (a, &i) in self.order.iter().enumerate() {
                for &j in &self.order[a + 1..] {
                    visit(i, j);
                }
            }
            return;
        }
        let k = k as i64;
        // The neighbours after a cell: the rest of its row, then the rows
        // above (the cells before it see it as one of theirs).
        let forward =
            (0..=k).flat_map(|dy| (if dy == 0 { 1 } else { -k }..=k).map(move |dx| (dx, dy)));
        let slice = |b: usize| &self.order[self.starts[b] as usize..self.starts[b + 1] as usize];
        match self.dense {
            Some(d) => {
                // Dense buckets are the cells row by row: the neighbours of a
                // cell in one row are one contiguous run of the bucket-ordered
                // copy of the points (no lookup per cell, no indirection).
                // Driven by the points, not the cells: empty cells cost
                // nothing. Point `a` (in cell x of row y) meets the points
                // after it in its cell and in the next `k` cells of its row,
                // then cells x - k ..= x + k of the next `k` rows: each pair
                // once.
                let run_end = |row: i64, x: i64| self.starts[(row + x + 1) as usize] as usize;
                for a in 0..self.order.len() {
                    let (cx, cy) = self.cells[self.order[a] as usize];
                    let (x, y) = (cx - d.x0, cy - d.y0);
                    let p = self.sorted[a];
                    let mut meet = |from: usize, to: usize| {
                        for (b, q) in self.sorted[from..to].iter().enumerate() {
                            if (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) <= r2 {
                                f(self.order[a], self.order[from + b]);
                            }
                        }
                    };
                    meet(a + 1, run_end(y * d.w, (x + k).min(d.w - 1)));
                    for row in (y + 1..=y + k).take_while(|&r| r < d.h).map(|r| r * d.w) {
                        let first = (x - k).max(0);
                        meet(
                            self.starts[(row + first) as usize] as usize,
                            run_end(row, (x + k).min(d.w - 1)),
                        );
                    }
                }
            }
            None => {
                // Buckets may hold several cells: compare cells, not buckets.
                for b in 0..self.starts.len() - 1 {
                    let own = slice(b);
                    for (a, &i) in own.iter().enumerate() {
                        let c = self.cells[i as usize];
                        for &j in &own[a + 1..] {
                            if self.cells[j as usize] == c {
                                visit(i, j);
                            }
                        }
                        for (dx, dy) in forward.clone() {
                            let n = (c.0.wrapping_add(dx), c.1.wrapping_add(dy));
                            let Some(nb) = self.bucket_of(n.0, n.1) else { continue };
                            for &j in slice(nb) {
                                if self.cells[j as usize] == n {
                                    visit(i, j);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Gives `take` the candidates for the box from `lo` to `hi`, in runs
    /// (their indices and positions): the points of the cells covering the
    /// box, each once, or every point when the box spans more cells than
    /// there are points. `take` keeps those in its shape.
    fn select(
        &self,
        points: &[[f64; 2]],
        lo: [f64; 2],
        hi: [f64; 2],
        mut take: impl FnMut(&[u32], &[[f64; 2]]),
    ) {
        let (clo, chi) = (self.cell_of(lo), self.cell_of(hi));
        if clo.0 == i64::MIN || chi.0 == i64::MIN {
            return;
        }
        let Some((clo, chi)) = self.cell_range(clo, chi) else {
            for &i in &self.order {
                if let Some(p) = points.get(i as usize) {
                    take(&[i], std::slice::from_ref(p));
                }
            }
            return;
        };
        if let Some(d) = self.dense {
            // Dense buckets are the cells row by row: the cells of one row
            // of the box are one contiguous run of `order` (and of the
            // copy of the points kept in that order).
            if clo.0 > chi.0 {
                return;
            }
            for cy in clo.1..=chi.1 {
                let row = (cy - d.y0) * d.w - d.x0;
                let (b0, b1) = ((row + clo.0) as usize, (row + chi.0) as usize);
                let run = self.starts[b0] as usize..self.starts[b1 + 1] as usize;
                take(&self.order[run.clone()], &self.sorted[run]);
            }
            return;
        }
        for cy in clo.1..=chi.1 {
            for cx in clo.0..=chi.0 {
                let Some(b) = self.bucket_of(cx, cy) else { continue };
                for &i in &self.order[self.starts[b] as usize..self.starts[b + 1] as usize] {
                    // Skip points of other cells that hashed to the same
                    // bucket.
                    if self.cells[i as usize] == (cx, cy) {
                        if let Some(p) = points.get(i as usize) {
                            take(&[i], std::slice::from_ref(p));
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod floor_tests {
    use super::floor_small;

    #[test]
    fn floor_small_is_floor_below_two_to_the_51() {
        let mut vals = vec![0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 1e15, -1e15, 2e15, -2e15];
        for k in [1.0, 3.0, 1e3, 2251799813685247.0, 2251799813685246.5] {
            for d in [-1.0, -0.5, -1e-9, 0.0, 1e-9, 0.5, 1.0] {
                vals.push(k + d);
                vals.push(-k + d);
            }
        }
        // A deterministic spread over magnitudes 2^-12 .. 2^51.
        let mut z: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..100_000 {
            z = z.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let mag = 2f64.powi((z >> 58) as i32 - 12);
            let frac = (z >> 11) as f64 / (1u64 << 53) as f64;
            vals.push(if z & 1 == 0 { mag * frac } else { -mag * frac });
        }
        let mut checked = 0;
        for v in vals {
            if v.abs() < 2f64.powi(51) {
                assert_eq!(floor_small(v), v.floor() as i64, "floor of {v:e}");
                checked += 1;
            }
        }
        assert!(checked > 90_000);
    }
}
