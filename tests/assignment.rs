//! Oracle tests for the assignment solvers.
//!
//! - brute force over every partial matching of small random matrices
//!   (max cardinality of allowed pairs, then min cost);
//! - a naive quadratic greedy for `greedy_assignment`;
//! - scipy's `linear_sum_assignment` on 31 matrices up to 200 x 200
//!   (`tests/fixtures/assignment/scipy_lsa.json`, see the README there).

use fusetrack::association::assignment::is_forbidden;
use fusetrack::association::{AssignmentScratch, greedy_assignment, solve_assignment};

/// splitmix64: tiny seeded generator, enough for test matrices.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// Best (cardinality, cost) over all matchings of allowed pairs, by exhaustive search.
fn brute_force(cost: &[f64], r: usize, c: usize) -> (usize, f64) {
    struct Search<'a> {
        cost: &'a [f64],
        r: usize,
        c: usize,
        used: Vec<bool>,
        best: (usize, f64),
    }
    impl Search<'_> {
        /// Rows before `row` are decided; `card` pairs of total `sum` so far.
        fn rec(&mut self, row: usize, card: usize, sum: f64) {
            if row == self.r {
                if card > self.best.0 || (card == self.best.0 && sum < self.best.1) {
                    self.best = (card, sum);
                }
                return;
            }
            // Row left unassigned, or assigned to each free allowed column.
            self.rec(row + 1, card, sum);
            for j in 0..self.c {
                let v = self.cost[row * self.c + j];
                if !self.used[j] && !is_forbidden(v) {
                    self.used[j] = true;
                    self.rec(row + 1, card + 1, sum + v);
                    self.used[j] = false;
                }
            }
        }
    }
    let mut s = Search { cost, r, c, used: vec![false; c], best: (0, 0.0) };
    s.rec(0, 0, 0.0);
    s.best
}

/// Checks that `row_to_col` is a matching of allowed pairs and that `total` is its cost.
fn check_matching(
    cost: &[f64],
    r: usize,
    c: usize,
    row_to_col: &[Option<usize>],
    total: f64,
) -> usize {
    assert_eq!(row_to_col.len(), r);
    let mut used = vec![false; c];
    let mut sum = 0.0;
    let mut card = 0;
    for (i, a) in row_to_col.iter().enumerate() {
        if let Some(j) = *a {
            assert!(j < c, "column {j} out of range");
            assert!(!used[j], "column {j} used twice");
            used[j] = true;
            let v = cost[i * c + j];
            assert!(!is_forbidden(v), "forbidden pair ({i}, {j}) assigned");
            sum += v;
            card += 1;
        }
    }
    assert!(
        (sum - total).abs() <= 1e-12 * (1.0 + sum.abs()),
        "reported {total}, pairs sum to {sum}"
    );
    card
}

fn random_matrix(rng: &mut SplitMix64, r: usize, c: usize, forbid_p: f64, ints: bool) -> Vec<f64> {
    let lo = -10.0 * rng.unit();
    (0..r * c)
        .map(|_| {
            if rng.unit() < forbid_p {
                if rng.below(2) == 0 { f64::INFINITY } else { 1e200 }
            } else if ints {
                rng.below(4) as f64
            } else {
                lo + 20.0 * rng.unit()
            }
        })
        .collect()
}

#[test]
fn optimal_matches_brute_force_on_small_random_matrices() {
    let mut rng = SplitMix64(0x5EED_0001);
    let mut scratch = AssignmentScratch::default();
    let mut out = Vec::new();
    let mut cases = 0;
    for r in 1..=7 {
        for c in 1..=7 {
            for &forbid_p in &[0.0, 0.3, 0.7] {
                for ints in [false, true] {
                    let cost = random_matrix(&mut rng, r, c, forbid_p, ints);
                    let total = solve_assignment(&cost, r, c, &mut out, &mut scratch).unwrap();
                    let card = check_matching(&cost, r, c, &out, total);
                    let (best_card, best_cost) = brute_force(&cost, r, c);
                    assert_eq!(card, best_card, "{r}x{c} p={forbid_p} cost={cost:?}");
                    assert!(
                        (total - best_cost).abs() <= 1e-9 * (1.0 + best_cost.abs()),
                        "{r}x{c} p={forbid_p}: got {total}, brute force {best_cost}, cost={cost:?}"
                    );
                    cases += 1;
                }
            }
        }
    }
    assert_eq!(cases, 7 * 7 * 3 * 2);
}

#[test]
fn cardinality_beats_cost() {
    // Row 0 alone would take column 0 (cost 0), but then row 1 (only column 0
    // allowed) stays unassigned: the solver must give 2 pairs at cost 1000 + 1.
    let inf = f64::INFINITY;
    let cost = [0.0, 1000.0, 1.0, inf];
    let mut out = Vec::new();
    let total = solve_assignment(&cost, 2, 2, &mut out, &mut AssignmentScratch::default()).unwrap();
    assert_eq!(out, [Some(1), Some(0)]);
    assert_eq!(total, 1001.0);
}

#[test]
fn result_does_not_depend_on_row_or_column_order() {
    let mut rng = SplitMix64(0x5EED_0002);
    let mut scratch = AssignmentScratch::default();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..50 {
        let r = 1 + rng.below(12) as usize;
        let c = 1 + rng.below(12) as usize;
        let cost = random_matrix(&mut rng, r, c, 0.4, false);
        // Reverse rows and rotate columns by one.
        let mut perm = vec![0.0; r * c];
        for i in 0..r {
            for j in 0..c {
                perm[(r - 1 - i) * c + (j + 1) % c] = cost[i * c + j];
            }
        }
        let ta = solve_assignment(&cost, r, c, &mut a, &mut scratch).unwrap();
        let tb = solve_assignment(&perm, r, c, &mut b, &mut scratch).unwrap();
        let ca = a.iter().flatten().count();
        let cb = b.iter().flatten().count();
        assert_eq!(ca, cb);
        assert!((ta - tb).abs() <= 1e-9 * (1.0 + ta.abs()), "{ta} vs {tb}");
    }
}

/// Naive greedy oracle: scan the whole matrix for the cheapest free allowed pair, repeatedly.
fn naive_greedy(cost: &[f64], r: usize, c: usize) -> (Vec<Option<usize>>, f64) {
    let mut out = vec![None; r];
    let mut col_used = vec![false; c];
    let mut total = 0.0;
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for i in 0..r {
            if out[i].is_some() {
                continue;
            }
            for j in 0..c {
                let v = cost[i * c + j];
                if col_used[j] || is_forbidden(v) {
                    continue;
                }
                if best.is_none_or(|(bv, _, _)| v < bv) {
                    best = Some((v, i, j));
                }
            }
        }
        let Some((v, i, j)) = best else { break };
        out[i] = Some(j);
        col_used[j] = true;
        total += v;
    }
    (out, total)
}

#[test]
fn greedy_matches_naive_greedy() {
    let mut rng = SplitMix64(0x5EED_0003);
    let mut scratch = AssignmentScratch::default();
    let mut out = Vec::new();
    for _ in 0..300 {
        let r = rng.below(15) as usize;
        let c = rng.below(15) as usize;
        let ints = rng.below(2) == 0;
        let cost = random_matrix(&mut rng, r, c, 0.3, ints);
        let total = greedy_assignment(&cost, r, c, &mut out, &mut scratch).unwrap();
        let (want, want_total) = naive_greedy(&cost, r, c);
        assert_eq!(out, want, "{r}x{c} cost={cost:?}");
        assert_eq!(total, want_total);
        // And greedy is never better than the optimum.
        let mut opt = Vec::new();
        let best = solve_assignment(&cost, r, c, &mut opt, &mut scratch).unwrap();
        let (gc, oc) = (out.iter().flatten().count(), opt.iter().flatten().count());
        assert!(gc <= oc);
        if gc == oc {
            assert!(best <= total + 1e-9 * (1.0 + total.abs()));
        }
    }
}

#[derive(serde::Deserialize)]
struct ScipyFixture {
    versions: serde_json::Value,
    cases: Vec<ScipyCase>,
}

#[derive(serde::Deserialize)]
struct ScipyCase {
    name: String,
    n_rows: usize,
    n_cols: usize,
    cost: Vec<f64>,
    total: f64,
    row_to_col: Vec<Option<usize>>,
    unique: bool,
}

#[test]
fn optimal_matches_scipy_linear_sum_assignment() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/assignment/scipy_lsa.json");
    let text = std::fs::read_to_string(path).unwrap();
    let fx: ScipyFixture = serde_json::from_str(&text).unwrap();
    assert!(fx.versions.get("scipy").is_some());
    assert_eq!(fx.cases.len(), 31);
    let mut scratch = AssignmentScratch::default();
    let mut out = Vec::new();
    let mut unique_checked = 0;
    for case in &fx.cases {
        let (r, c) = (case.n_rows, case.n_cols);
        let total = solve_assignment(&case.cost, r, c, &mut out, &mut scratch).unwrap();
        let card = check_matching(&case.cost, r, c, &out, total);
        assert_eq!(card, r.min(c), "{}", case.name);
        let rel = (total - case.total).abs() / case.total.abs().max(1.0);
        assert!(rel <= 1e-9, "{}: got {total}, scipy {}", case.name, case.total);
        if case.unique {
            assert_eq!(out, case.row_to_col, "{}", case.name);
            unique_checked += 1;
        }
    }
    assert_eq!(unique_checked, 24);
}
