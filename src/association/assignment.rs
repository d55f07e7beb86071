//! Rectangular linear-sum assignment: optimal (shortest augmenting path) and
//! greedy nearest neighbour.
//!
//! # Problem
//!
//! Given a row-major `n_rows x n_cols` cost matrix, pick pairs `(row, col)`
//! with every row and every column used at most once. Some pairs may be
//! *forbidden* (outside the gate): their cost is `f64::INFINITY` or any value
//! above [`FORBIDDEN`]. The solvers fill a caller-owned `row_to_col` vector
//! (`row_to_col[i] == Some(j)` when row `i` takes column `j`) and return the
//! total cost of the chosen pairs.
//!
//! # Optimal solver
//!
//! [`solve_assignment`] returns, among all assignments, one that first
//! **maximises the number of assigned allowed pairs** and then **minimises
//! their total cost** (the usual global-nearest-neighbour convention). With
//! no forbidden pair and `n_rows <= n_cols` every row is assigned, and the
//! result has the same total cost as `scipy.optimize.linear_sum_assignment`.
//!
//! The method is the shortest-augmenting-path form of the Jonker-Volgenant
//! algorithm for rectangular problems described by D. F. Crouse, "On
//! implementing 2D rectangular assignment algorithms", IEEE Transactions on
//! Aerospace and Electronic Systems 52(4), 2016. The smaller side is put on the
//! rows (the matrix is transposed internally when `n_rows > n_cols`); one row
//! at a time is added by a Dijkstra-like search over reduced costs
//! `c[i][j] - u[i] - v[j]` for the cheapest path to a free column, then the
//! dual variables `u`, `v` are updated and the path is flipped. Cost is
//! `O(n^2 m)` in the worst case for `n = min(n_rows, n_cols)`,
//! `m = max(n_rows, n_cols)`.
//!
//! ## How forbidden pairs are handled (big-M)
//!
//! Let `lo` and `hi` be the smallest and largest allowed costs, `span = hi -
//! lo`, `n = min(n_rows, n_cols)` and `scale = max(|lo|, |hi|, 1)`. Every
//! forbidden entry is replaced by
//!
//! ```text
//! M = lo + (n + 1) * span + scale
//! ```
//!
//! and the complete problem (every row of the smaller side assigned) is
//! solved. Pairs that received `M` are then dropped. Two complete assignments
//! that use `k` and `k + d` (`d >= 1`) big-M pairs differ in their allowed part
//! by at most `n * span + d * lo`, which is less than `d * M`; so the optimum
//! uses as few big-M pairs as possible (maximum cardinality of allowed pairs)
//! and, among those, has the cheapest allowed part. The reported total is the
//! sum of the *original* costs of the kept pairs, so `M` never leaks into it.
//! Allowed costs must be at most [`FORBIDDEN`] (`1e100`) in magnitude, so `M`
//! stays finite; the price of mixing `M` with small costs is a rounding error
//! of about `n * span * 2^-52` on the duals, far below any meaningful cost
//! difference.
//!
//! # Greedy solver
//!
//! [`greedy_assignment`] repeatedly takes the globally cheapest remaining
//! allowed pair whose row and column are both free (ties broken by smaller
//! row, then smaller column). It is not optimal but is the classic
//! "nearest neighbour" baseline.
//!
//! # Allocation
//!
//! Both solvers keep all their working memory in an [`AssignmentScratch`].
//! Once the scratch and `row_to_col` have grown to the largest problem size
//! seen, further solves do not allocate.

use crate::{Error, Location, Result};

/// Costs strictly above this value (and `f64::INFINITY`) mark a forbidden pair.
///
/// Allowed costs must lie in `[-FORBIDDEN, FORBIDDEN]`.
///
/// ```
/// use fusetrack::association::assignment::{is_forbidden, FORBIDDEN};
/// assert!(is_forbidden(f64::INFINITY));
/// assert!(is_forbidden(2.0 * FORBIDDEN));
/// assert!(!is_forbidden(FORBIDDEN));
/// assert!(!is_forbidden(-3.5));
/// ```
pub const FORBIDDEN: f64 = 1e100;

/// `true` when `cost` marks a forbidden pair (`+inf` or above [`FORBIDDEN`]).
///
/// NaN is not forbidden: the solvers reject it as an error.
///
/// ```
/// use fusetrack::association::assignment::is_forbidden;
/// assert!(is_forbidden(f64::INFINITY));
/// assert!(!is_forbidden(f64::NAN));
/// assert!(!is_forbidden(0.0));
/// ```
#[inline]
pub fn is_forbidden(cost: f64) -> bool {
    cost > FORBIDDEN
}

/// Marker for "no row / no column" in the internal index vectors.
const NONE: usize = usize::MAX;

/// Reusable buffers so repeated solves do not allocate once warmed up.
///
/// Create one per thread (it is cheap: empty until first use) and pass it to
/// every [`solve_assignment`] / [`greedy_assignment`] call.
///
/// ```
/// use fusetrack::association::{solve_assignment, AssignmentScratch};
/// let mut scratch = AssignmentScratch::default();
/// let mut row_to_col = Vec::new();
/// for k in 0..3 {
///     let cost = [1.0 + 0.5 * k as f64, 2.0, 2.0, 1.0];
///     let total = solve_assignment(&cost, 2, 2, &mut row_to_col, &mut scratch)?;
///     assert_eq!(row_to_col, [Some(0), Some(1)]);
///     assert_eq!(total, 2.0 + 0.5 * k as f64);
/// }
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Default, Clone)]
pub struct AssignmentScratch {
    /// Working cost matrix, `n x m` row-major with `n <= m` (maybe transposed, big-M filled).
    work: Vec<f64>,
    /// Row duals (length `n`).
    u: Vec<f64>,
    /// Column duals (length `m`).
    v: Vec<f64>,
    /// Shortest reduced path cost to each column in the current search (length `m`).
    path_cost: Vec<f64>,
    /// Row preceding each column on the current shortest path tree (length `m`).
    pred: Vec<usize>,
    /// Column assigned to each working row (length `n`).
    col4row: Vec<usize>,
    /// Row assigned to each working column (length `m`).
    row4col: Vec<usize>,
    /// Columns not yet scanned in the current search (length `m`).
    todo: Vec<usize>,
    /// Rows visited in the current search (length `n`).
    row_seen: Vec<bool>,
    /// Columns scanned in the current search (length `m`); the greedy solver
    /// uses it for "column taken".
    col_seen: Vec<bool>,
    /// Greedy: (cost, flat index) of the allowed pairs.
    pairs: Vec<(f64, usize)>,
}

impl AssignmentScratch {
    /// An empty scratch (same as `Default`); buffers grow on first use and
    /// are reused by later solves, of any size.
    ///
    /// ```
    /// use fusetrack::association::{solve_assignment, AssignmentScratch};
    /// let mut scratch = AssignmentScratch::new();
    /// let mut row_to_col = Vec::new();
    /// // 2 tracks x 2 detections: the diagonal costs 1 + 2, the other way 5 + 4.
    /// let total = solve_assignment(&[1.0, 5.0, 4.0, 2.0], 2, 2, &mut row_to_col, &mut scratch)?;
    /// assert_eq!((total, row_to_col.as_slice()), (3.0, &[Some(0), Some(1)][..]));
    /// // The same scratch serves the next frame, 3 tracks x 1 detection.
    /// let total = solve_assignment(&[0.9, 0.4, 0.7], 3, 1, &mut row_to_col, &mut scratch)?;
    /// assert_eq!((total, row_to_col.as_slice()), (0.4, &[None, Some(0), None][..]));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// A scratch already sized for problems up to `n_rows x n_cols`, so even
    /// the first [`solve_assignment`] of that size does not allocate.
    /// ([`greedy_assignment`] may still grow its pair list on first use.)
    ///
    /// ```
    /// use fusetrack::association::{solve_assignment, AssignmentScratch};
    /// let mut scratch = AssignmentScratch::with_capacity(3, 5);
    /// let mut row_to_col = Vec::with_capacity(3);
    /// let cost = [0.0; 15];
    /// let total = solve_assignment(&cost, 3, 5, &mut row_to_col, &mut scratch)?;
    /// assert_eq!(total, 0.0);
    /// assert!(row_to_col.iter().all(|c| c.is_some()));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn with_capacity(n_rows: usize, n_cols: usize) -> Self {
        let n = n_rows.min(n_cols);
        let m = n_rows.max(n_cols);
        Self {
            work: Vec::with_capacity(n.saturating_mul(m)),
            u: Vec::with_capacity(n),
            v: Vec::with_capacity(m),
            path_cost: Vec::with_capacity(m),
            pred: Vec::with_capacity(m),
            col4row: Vec::with_capacity(n),
            row4col: Vec::with_capacity(m),
            todo: Vec::with_capacity(m),
            row_seen: Vec::with_capacity(n),
            col_seen: Vec::with_capacity(m),
            pairs: Vec::new(),
        }
    }
}

/// Range of the allowed costs of a validated matrix.
struct CostStats {
    /// Smallest allowed cost (`+inf` when none).
    lo: f64,
    /// Largest allowed cost (`-inf` when none).
    hi: f64,
    /// Number of allowed entries.
    allowed: usize,
}

/// Checks the shape and values of `cost`; returns the range of allowed costs.
fn validate(cost: &[f64], n_rows: usize, n_cols: usize) -> Result<CostStats> {
    let expected = n_rows.checked_mul(n_cols).ok_or_else(|| Error::InvalidField {
        at: Location::none(),
        field: "cost".into(),
        reason: format!("matrix size {n_rows} x {n_cols} overflows usize"),
    })?;
    if cost.len() != expected {
        return Err(Error::InvalidField {
            at: Location::none(),
            field: "cost".into(),
            reason: format!(
                "expected {n_rows} x {n_cols} = {expected} entries (row-major), got {}",
                cost.len()
            ),
        });
    }
    let mut stats = CostStats { lo: f64::INFINITY, hi: f64::NEG_INFINITY, allowed: 0 };
    for (k, &c) in cost.iter().enumerate() {
        if is_forbidden(c) {
            continue;
        }
        if c.is_nan() || c < -FORBIDDEN {
            let (i, j) = (k / n_cols.max(1), k % n_cols.max(1));
            return Err(Error::InvalidField {
                at: Location::none(),
                field: format!("cost[{i}][{j}]"),
                reason: format!(
                    "cost must be a number in [-1e100, 1e100] or above 1e100 / +inf \
                     for a forbidden pair, got {c}"
                ),
            });
        }
        stats.lo = stats.lo.min(c);
        stats.hi = stats.hi.max(c);
        stats.allowed += 1;
    }
    Ok(stats)
}

/// Sets `row_to_col` to `n_rows` times `None` without shrinking its capacity.
fn reset_output(row_to_col: &mut Vec<Option<usize>>, n_rows: usize) {
    row_to_col.clear();
    row_to_col.resize(n_rows, None);
}

/// Clears `buf` and fills it with `len` copies of `value`, reusing capacity.
fn refill<T: Clone>(buf: &mut Vec<T>, len: usize, value: T) {
    buf.clear();
    buf.resize(len, value);
}

/// Optimal rectangular assignment (maximum number of allowed pairs, then
/// minimum total cost).
///
/// `cost` is row-major `n_rows x n_cols`; `f64::INFINITY` or any value above
/// [`FORBIDDEN`] marks a forbidden pair. On success `row_to_col` has length
/// `n_rows` and `row_to_col[i] == Some(j)` when row `i` is assigned to column
/// `j`; the return value is the sum of the costs of the assigned pairs. With
/// `n_rows == 0` or `n_cols == 0` the result is empty and the cost `0.0`.
/// Negative costs are allowed. See the [module docs](self) for the algorithm
/// and how forbidden pairs are handled.
///
/// Does not allocate once `scratch` and `row_to_col` have been used for a
/// problem at least this large.
///
/// # Errors
///
/// [`Error::InvalidField`] (field `cost` or `cost[i][j]`) when
/// `cost.len() != n_rows * n_cols`, or an entry is NaN, `-inf` or below
/// `-FORBIDDEN`. [`Error::Numerical`] if the search fails (not expected for
/// valid input). On an input error `row_to_col` is left unchanged.
///
/// # Example
///
/// Two tracks (rows), three detections (columns); track 1 may not take
/// detection 0:
///
/// ```
/// use fusetrack::association::{solve_assignment, AssignmentScratch};
/// let inf = f64::INFINITY;
/// let cost = [
///     1.0, 2.0, 9.0, //
///     inf, 1.5, 8.0,
/// ];
/// let mut scratch = AssignmentScratch::default();
/// let mut row_to_col = Vec::new();
/// let total = solve_assignment(&cost, 2, 3, &mut row_to_col, &mut scratch)?;
/// assert_eq!(row_to_col, [Some(0), Some(1)]);
/// assert_eq!(total, 2.5);
///
/// // Maximum cardinality comes first: row 0 gives up its cheapest column
/// // so that both rows get a partner.
/// let cost = [1.0, 5.0, /**/ 2.0, inf];
/// let total = solve_assignment(&cost, 2, 2, &mut row_to_col, &mut scratch)?;
/// assert_eq!(row_to_col, [Some(1), Some(0)]);
/// assert_eq!(total, 7.0);
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub fn solve_assignment(
    cost: &[f64],
    n_rows: usize,
    n_cols: usize,
    row_to_col: &mut Vec<Option<usize>>,
    scratch: &mut AssignmentScratch,
) -> Result<f64> {
    let stats = validate(cost, n_rows, n_cols)?;
    reset_output(row_to_col, n_rows);
    if n_rows == 0 || n_cols == 0 || stats.allowed == 0 {
        return Ok(0.0);
    }
    if n_rows == 1 || n_cols == 1 {
        // One row (or one column): the cheapest allowed entry, the first on
        // ties, as the general solver would choose (one track between two
        // detections, or one detection between two tracks).
        let mut best: Option<(usize, f64)> = None;
        for (k, &c) in cost.iter().enumerate() {
            if !is_forbidden(c) && best.is_none_or(|(_, b)| c < b) {
                best = Some((k, c));
            }
        }
        if let Some((k, c)) = best {
            let (i, j) = if n_rows == 1 { (0, k) } else { (k, 0) };
            row_to_col[i] = Some(j);
            return Ok(c);
        }
        return Ok(0.0);
    }
    let transposed = n_rows > n_cols;
    let (n, m) = if transposed { (n_cols, n_rows) } else { (n_rows, n_cols) };

    // Big-M for forbidden entries (only used when there are some).
    let big_m = if stats.allowed < cost.len() {
        let span = stats.hi - stats.lo;
        let scale = stats.lo.abs().max(stats.hi.abs()).max(1.0);
        // n <= usize::MAX; as f64 is exact enough for a bound.
        stats.lo + (n as f64 + 1.0) * span + scale
    } else {
        0.0
    };
    if !big_m.is_finite() {
        return Err(Error::Numerical { what: "assignment: forbidden-pair penalty overflowed" });
    }

    // Working matrix: n x m, smaller side on the rows.
    let s = scratch;
    s.work.clear();
    if transposed {
        for j in 0..n_cols {
            s.work.extend(
                cost.iter()
                    .skip(j)
                    .step_by(n_cols)
                    .map(|&c| if is_forbidden(c) { big_m } else { c }),
            );
        }
    } else {
        s.work.extend(cost.iter().map(|&c| if is_forbidden(c) { big_m } else { c }));
    }

    if n == 2 && m == 2 {
        // Half of the tracker's multi-node components are 2 x 2.
        two_by_two(s);
    } else if m <= SMALL_MAX_COLS {
        // Most of the rest (3 x 3, 4 x 4, ...): exact over column subsets.
        small_exact(s, n, m);
    } else {
        shortest_augmenting_path(s, n, m)?;
    }

    let mut total = 0.0;
    for (wr, &wc) in s.col4row.iter().enumerate() {
        let (i, j) = if transposed { (wc, wr) } else { (wr, wc) };
        let Some(&c) = cost.get(i * n_cols + j) else {
            return Err(Error::Numerical { what: "assignment: solver left a row unassigned" });
        };
        if is_forbidden(c) {
            continue;
        }
        if let Some(slot) = row_to_col.get_mut(i) {
            *slot = Some(j);
            total += c;
        }
    }
    Ok(total)
}

/// The 2 x 2 problem in `s.work`, in closed form: exactly the assignment
/// [`shortest_augmenting_path`] returns, ties included. Row 0 takes its
/// cheaper column `j0` (column 0 on a tie); row 1 then takes the other
/// column, unless giving row 0 the other column and row 1 `j0` is strictly
/// cheaper, compared with the same reduced costs in the same order of
/// operations as the general solver.
fn two_by_two(s: &mut AssignmentScratch) {
    let w = &s.work;
    let j0 = if w[0] <= w[1] { 0 } else { 1 };
    let j1 = 1 - j0;
    let swap = (w[2 + j0] + w[j1]) - w[j0] < w[2 + j1];
    s.col4row.clear();
    s.col4row.extend(if swap { [j1, j0] } else { [j0, j1] });
}

/// Widest problem [`small_exact`] solves (`2^m` partial assignments).
const SMALL_MAX_COLS: usize = 4;

/// The complete `n x m` problem in `s.work` (`n <= m <= SMALL_MAX_COLS`),
/// exactly, by dynamic programming over the sets of columns taken: the
/// cheapest way to give rows `0..k` the columns of a set of `k` columns,
/// for every such set, from the sets of `k - 1`. A few dozen additions for
/// a 4 x 4 problem, where the shortest augmenting path spends hundreds of
/// instructions on bookkeeping and data-dependent branches. Its total is
/// the same minimum; on an exact tie between totals the first found is
/// kept (which optimum is returned may then differ from the general
/// solver's, as with any reordering of rows or columns).
fn small_exact(s: &mut AssignmentScratch, n: usize, m: usize) {
    const SETS: usize = 1 << SMALL_MAX_COLS;
    let mut best = [f64::INFINITY; SETS];
    let mut last = [0u8; SETS];
    best[0] = 0.0;
    for set in 0..1usize << m {
        let k = set.count_ones() as usize;
        if k >= n || best[set] == f64::INFINITY {
            continue;
        }
        let row = &s.work[k * m..(k + 1) * m];
        for (j, &c) in row.iter().enumerate() {
            let next = set | 1 << j;
            let total = best[set] + c;
            if next != set && total < best[next] {
                best[next] = total;
                last[next] = j as u8;
            }
        }
    }
    let (mut full, mut full_total) = ((1usize << n) - 1, f64::INFINITY);
    for (set, &total) in best.iter().enumerate().take(1 << m) {
        if set.count_ones() as usize == n && total < full_total {
            (full, full_total) = (set, total);
        }
    }
    s.col4row.clear();
    s.col4row.resize(n, 0);
    let mut set = full;
    for row in (0..n).rev() {
        let j = usize::from(last[set]);
        s.col4row[row] = j;
        set &= !(1 << j);
    }
}

/// Solves the complete `n x m` (`n <= m`) problem held in `s.work`, filling
/// `s.col4row` (every row gets a column).
fn shortest_augmenting_path(s: &mut AssignmentScratch, n: usize, m: usize) -> Result<()> {
    let fail = || Error::Numerical { what: "assignment: shortest augmenting path" };
    refill(&mut s.u, n, 0.0);
    refill(&mut s.v, m, 0.0);
    refill(&mut s.col4row, n, NONE);
    refill(&mut s.row4col, m, NONE);
    refill(&mut s.pred, m, NONE);
    refill(&mut s.path_cost, m, f64::INFINITY);
    refill(&mut s.row_seen, n, false);
    refill(&mut s.col_seen, m, false);
    s.todo.clear();
    s.todo.extend(0..m);

    for start in 0..n {
        // --- Dijkstra over reduced costs from `start` to the nearest free column.
        s.path_cost.fill(f64::INFINITY);
        s.row_seen.fill(false);
        s.col_seen.fill(false);
        // Scan columns in reverse order so that the first column wins ties among
        // free columns (the order only affects which optimum is returned).
        for (k, slot) in s.todo.iter_mut().enumerate() {
            *slot = m - 1 - k;
        }
        let mut n_todo = m;
        let mut reached = 0.0_f64; // reduced path length to the last scanned column
        let mut row = start;
        let sink = loop {
            if let Some(seen) = s.row_seen.get_mut(row) {
                *seen = true;
            }
            let row_costs = s.work.get(row * m..(row + 1) * m).ok_or_else(fail)?;
            let u_row = s.u.get(row).copied().ok_or_else(fail)?;
            let mut best = f64::INFINITY;
            let mut best_k = NONE;
            for k in 0..n_todo {
                let j = s.todo[k];
                let reduced = reached + row_costs[j] - u_row - s.v[j];
                if reduced < s.path_cost[j] {
                    s.pred[j] = row;
                    s.path_cost[j] = reduced;
                }
                let pc = s.path_cost[j];
                // Prefer a free column on ties: the search can stop there.
                if pc < best || (pc == best && s.row4col[j] == NONE) {
                    best = pc;
                    best_k = k;
                }
            }
            if best_k == NONE || !best.is_finite() {
                return Err(fail());
            }
            reached = best;
            let j = s.todo[best_k];
            s.col_seen[j] = true;
            n_todo -= 1;
            s.todo[best_k] = s.todo[n_todo];
            match s.row4col[j] {
                NONE => break j,
                r => row = r,
            }
        };

        // --- Dual update keeps reduced costs non-negative and zero on the matching.
        if let Some(u) = s.u.get_mut(start) {
            *u += reached;
        }
        for i in 0..n {
            if i != start && s.row_seen[i] {
                let j = s.col4row[i];
                let pc = s.path_cost.get(j).copied().ok_or_else(fail)?;
                s.u[i] += reached - pc;
            }
        }
        for j in 0..m {
            if s.col_seen[j] {
                s.v[j] -= reached - s.path_cost[j];
            }
        }

        // --- Flip the augmenting path ending at `sink`.
        let mut j = sink;
        loop {
            let i = s.pred.get(j).copied().ok_or_else(fail)?;
            let slot = s.row4col.get_mut(j).ok_or_else(fail)?;
            *slot = i;
            let prev = std::mem::replace(s.col4row.get_mut(i).ok_or_else(fail)?, j);
            if i == start {
                break;
            }
            j = prev;
        }
    }
    Ok(())
}

/// Greedy nearest-neighbour assignment: repeatedly take the globally cheapest
/// remaining allowed pair whose row and column are both still free.
///
/// Same input conventions, output and errors as [`solve_assignment`]. Ties
/// are broken by the smaller row, then the smaller column, so the result is
/// deterministic. `O(k log k)` for `k` allowed pairs. Not optimal: it may
/// assign fewer pairs, or at a higher total cost, than [`solve_assignment`].
///
/// # Errors
///
/// As [`solve_assignment`]: [`Error::InvalidField`] for a wrong length or a
/// NaN / `-inf` cost.
///
/// # Example
///
/// ```
/// use fusetrack::association::{greedy_assignment, solve_assignment, AssignmentScratch};
/// let cost = [
///     1.0, 2.0, //
///     2.0, 10.0,
/// ];
/// let mut scratch = AssignmentScratch::default();
/// let mut row_to_col = Vec::new();
/// // Greedy grabs (0, 0) first, leaving the expensive (1, 1).
/// let greedy = greedy_assignment(&cost, 2, 2, &mut row_to_col, &mut scratch)?;
/// assert_eq!((greedy, row_to_col.clone()), (11.0, vec![Some(0), Some(1)]));
/// // The optimum is the anti-diagonal.
/// let best = solve_assignment(&cost, 2, 2, &mut row_to_col, &mut scratch)?;
/// assert_eq!((best, row_to_col), (4.0, vec![Some(1), Some(0)]));
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub fn greedy_assignment(
    cost: &[f64],
    n_rows: usize,
    n_cols: usize,
    row_to_col: &mut Vec<Option<usize>>,
    scratch: &mut AssignmentScratch,
) -> Result<f64> {
    let stats = validate(cost, n_rows, n_cols)?;
    reset_output(row_to_col, n_rows);
    if n_rows == 0 || n_cols == 0 || stats.allowed == 0 {
        return Ok(0.0);
    }
    let s = scratch;
    s.pairs.clear();
    s.pairs.extend(
        cost.iter().copied().enumerate().filter(|(_, c)| !is_forbidden(*c)).map(|(k, c)| (c, k)),
    );
    // Unstable sort does not allocate; the index tie-break makes it deterministic
    // (row-major index order = smaller row, then smaller column).
    s.pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    refill(&mut s.col_seen, n_cols, false);
    let limit = n_rows.min(n_cols);
    let mut assigned = 0;
    let mut total = 0.0;
    for &(c, k) in &s.pairs {
        let (i, j) = (k / n_cols, k % n_cols);
        let (Some(slot), Some(taken)) = (row_to_col.get_mut(i), s.col_seen.get_mut(j)) else {
            continue;
        };
        if slot.is_some() || *taken {
            continue;
        }
        *slot = Some(j);
        *taken = true;
        total += c;
        assigned += 1;
        if assigned == limit {
            break;
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The closed form gives the general solver's assignment on every 2 x 2
    /// problem with costs in a small set (so ties are common), big ones
    /// standing for forbidden pairs included.
    #[test]
    fn two_by_two_equals_the_general_solver() {
        let values = [-1.0, 0.0, 0.5, 1.0, 2.0, 1e6];
        let mut checked = 0;
        for a in values {
            for b in values {
                for c in values {
                    for d in values {
                        let mut s = AssignmentScratch::default();
                        s.work.clear();
                        s.work.extend([a, b, c, d]);
                        shortest_augmenting_path(&mut s, 2, 2).unwrap();
                        let general = s.col4row.clone();
                        two_by_two(&mut s);
                        assert_eq!(s.col4row, general, "costs {a} {b} / {c} {d}");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 6usize.pow(4));
    }

    /// The small solver's total equals the general solver's on every shape
    /// it takes, forbidden pairs included; with distinct allowed costs (one
    /// optimum) the allowed pairs are the same too.
    #[test]
    fn small_exact_equals_the_general_solver() {
        let mut z: u64 = 0x5EED_0005;
        let mut next = || {
            z = z.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            z >> 11
        };
        let mut checked = 0;
        for n in 2..=SMALL_MAX_COLS {
            for m in n..=SMALL_MAX_COLS {
                for trial in 0..3000 {
                    let ties = trial % 2 == 0;
                    let big = 1e6;
                    let work: Vec<f64> = (0..n * m)
                        .map(|_| {
                            let r = next();
                            if r % 5 == 0 {
                                big
                            } else if ties {
                                (r % 4) as f64
                            } else {
                                (r % 1_000_000) as f64 / 1e5 - 3.0
                            }
                        })
                        .collect();
                    let mut s = AssignmentScratch::default();
                    s.work.clone_from(&work);
                    shortest_augmenting_path(&mut s, n, m).unwrap();
                    let general = s.col4row.clone();
                    small_exact(&mut s, n, m);
                    let total = |cols: &[usize]| -> f64 {
                        cols.iter().enumerate().map(|(i, &j)| work[i * m + j]).sum()
                    };
                    let mut used = vec![false; m];
                    for &j in &s.col4row {
                        assert!(!std::mem::replace(&mut used[j], true), "column {j} twice");
                    }
                    assert_eq!(s.col4row.len(), n);
                    assert_eq!(total(&s.col4row), total(&general), "{n}x{m} {work:?}");
                    if !ties {
                        // Forbidden placements are dropped from the result
                        // (and tie among themselves): compare the rest.
                        let allowed = |cols: &[usize]| -> Vec<Option<usize>> {
                            cols.iter()
                                .enumerate()
                                .map(|(i, &j)| (work[i * m + j] < big).then_some(j))
                                .collect()
                        };
                        assert_eq!(allowed(&s.col4row), allowed(&general), "{n}x{m} {work:?}");
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 6 * 3000);
    }

    fn solve(cost: &[f64], r: usize, c: usize) -> (f64, Vec<Option<usize>>) {
        let mut out = Vec::new();
        let mut s = AssignmentScratch::default();
        let t = solve_assignment(cost, r, c, &mut out, &mut s).expect("valid input");
        (t, out)
    }

    #[test]
    fn empty_problems() {
        assert_eq!(solve(&[], 0, 5), (0.0, vec![]));
        assert_eq!(solve(&[], 3, 0), (0.0, vec![None, None, None]));
    }

    #[test]
    fn all_forbidden_assigns_nothing() {
        let inf = f64::INFINITY;
        assert_eq!(solve(&[inf, 1e101, inf, f64::MAX], 2, 2), (0.0, vec![None, None]));
    }

    #[test]
    fn tall_matrix_is_transposed() {
        // 3 rows, 2 columns: row 1 is left out.
        let cost = [1.0, 9.0, 5.0, 5.0, 9.0, 1.0];
        assert_eq!(solve(&cost, 3, 2), (2.0, vec![Some(0), None, Some(1)]));
    }

    #[test]
    fn negative_costs() {
        let cost = [-5.0, -1.0, -2.0, -4.0];
        assert_eq!(solve(&cost, 2, 2), (-9.0, vec![Some(0), Some(1)]));
    }

    #[test]
    fn errors() {
        let mut out = Vec::new();
        let mut s = AssignmentScratch::default();
        let e = solve_assignment(&[1.0, 2.0, 3.0], 2, 2, &mut out, &mut s).unwrap_err();
        assert!(e.to_string().contains("expected 2 x 2 = 4 entries"), "{e}");
        let e = solve_assignment(&[1.0, f64::NAN, 3.0, 4.0], 2, 2, &mut out, &mut s).unwrap_err();
        assert!(e.to_string().contains("cost[0][1]"), "{e}");
        let e = greedy_assignment(&[1.0, 2.0, f64::NEG_INFINITY, 4.0], 2, 2, &mut out, &mut s)
            .unwrap_err();
        assert!(e.to_string().contains("cost[1][0]"), "{e}");
        let e = solve_assignment(&[], usize::MAX, 2, &mut out, &mut s).unwrap_err();
        assert!(e.to_string().contains("overflows"), "{e}");
    }

    #[test]
    fn greedy_skips_forbidden_and_breaks_ties_by_index() {
        let inf = f64::INFINITY;
        let cost = [1.0, 1.0, inf, 1.0];
        let mut out = Vec::new();
        let mut s = AssignmentScratch::default();
        let t = greedy_assignment(&cost, 2, 2, &mut out, &mut s).unwrap();
        assert_eq!((t, out), (2.0, vec![Some(0), Some(1)]));
    }
}
