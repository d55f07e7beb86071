//! Candidate search and Mahalanobis gating.
//!
//! Predicted track positions are indexed in a spatial index (a hashed
//! uniform grid, [`super::spatial::GridIndex`], allocation-free once warmed
//! up); each measurement asks for the tracks within a Euclidean radius, and only those
//! candidates are tested against the Mahalanobis gate. The radius is exact,
//! not a heuristic: for `S = P + R`, `yᵀ S⁻¹ y ≥ |y|² / λmax(S)` and
//! `λmax(S) ≤ λmax(P) + λmax(R)`, so every pair inside the gate
//! `yᵀ S⁻¹ y ≤ γ` lies within `sqrt(γ (λmax(P)max + λmax(R)))` of the
//! measurement. The search therefore returns exactly the pairs a brute-force
//! scan over all tracks x measurements would (a test checks this on seeded
//! random scenes), while its cost grows with the number of nearby pairs,
//! not with tracks x measurements.
//!
//! The cost of a gated pair is the negative log-likelihood up to a
//! constant, `yᵀ S⁻¹ y + ln det S`, so that a well-localised track beats an
//! uncertain one at the same Mahalanobis distance.

use crate::association::spatial::GridIndex;
use nalgebra::{Matrix2, Vector2};

use crate::filter::{max_eigenvalue2, spd2_parts};

/// A predicted track position with its covariance, as seen by the gate.
///
/// ```
/// use fusetrack::association::gating::GatePoint;
/// use nalgebra::{Matrix2, Vector2};
/// let p = GatePoint { position: Vector2::new(1.0, 2.0), cov: Matrix2::identity() };
/// assert_eq!(p.position.x, 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GatePoint {
    /// Position, metres.
    pub position: Vector2<f64>,
    /// Covariance, m².
    pub cov: Matrix2<f64>,
}

/// A (track, measurement) pair inside the gate.
///
/// ```
/// use fusetrack::association::gating::GatedPair;
/// let p = GatedPair { track: 0, meas: 1, d2: 0.5, cost: 0.2 };
/// assert!(p.d2 < 9.21);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GatedPair {
    /// Index of the track in the slice given to the gate.
    pub track: u32,
    /// Index of the measurement in the slice given to the gate.
    pub meas: u32,
    /// Squared Mahalanobis distance `yᵀ S⁻¹ y`.
    pub d2: f64,
    /// Association cost `yᵀ S⁻¹ y + ln det S`.
    pub cost: f64,
}

/// Parameters of the gate.
///
/// ```
/// use fusetrack::association::gating::GateParams;
/// let g = GateParams { gate_d2: 13.8, max_radius_m: 5.0 };
/// assert!(g.max_radius_m > 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GateParams {
    /// Threshold on the squared Mahalanobis distance (chi-square, 2 dof).
    pub gate_d2: f64,
    /// Hard cap on the Euclidean distance, metres.
    pub max_radius_m: f64,
}

/// Counts from one gating call.
///
/// ```
/// use fusetrack::association::gating::GateStats;
/// assert_eq!(GateStats::default().candidate_pairs, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GateStats {
    /// Pairs returned by the spatial search and tested with Mahalanobis.
    pub candidate_pairs: u64,
    /// Pairs inside the gate.
    pub gated_pairs: u64,
}

impl std::ops::AddAssign for GateStats {
    fn add_assign(&mut self, o: Self) {
        self.candidate_pairs += o.candidate_pairs;
        self.gated_pairs += o.gated_pairs;
    }
}

/// Tracks whose position variance exceeds this (m², a standard deviation
/// of 1 m) are not indexed but tested against every measurement, so that a
/// few coasting tracks do not widen every query.
///
/// ```
/// use fusetrack::association::gating::LOOSE_TRACK_VAR_M2;
/// assert_eq!(LOOSE_TRACK_VAR_M2.sqrt(), 1.0); // one metre
/// ```
pub const LOOSE_TRACK_VAR_M2: f64 = 1.0;

/// Tests one pair; `Some(pair)` when it is inside the gate.
///
/// ```
/// use fusetrack::association::gating::{gate_pair, GateParams, GatePoint};
/// use nalgebra::{Matrix2, Vector2};
/// let t = GatePoint { position: Vector2::new(0.0, 0.0), cov: Matrix2::identity() * 0.5 };
/// let m = GatePoint { position: Vector2::new(1.0, 0.0), cov: Matrix2::identity() * 0.5 };
/// let p = gate_pair(0, &t, 0, &m, &GateParams { gate_d2: 9.21, max_radius_m: 5.0 }).unwrap();
/// assert!((p.d2 - 1.0).abs() < 1e-12);
/// ```
#[inline]
pub fn gate_pair(
    ti: u32,
    track: &GatePoint,
    mi: u32,
    meas: &GatePoint,
    params: &GateParams,
) -> Option<GatedPair> {
    let y = meas.position - track.position;
    let dist2 = y.norm_squared();
    if dist2 > params.max_radius_m * params.max_radius_m {
        return None;
    }
    // yᵀ S⁻¹ y with S⁻¹ = [[c, -b], [-b, a]] / det written out: no inverse
    // matrix formed for the many candidates that fail the gate.
    let [a, b, c, det] = spd2_parts(&(track.cov + meas.cov))?;
    let d2 = (c * y.x * y.x - 2.0 * b * y.x * y.y + a * y.y * y.y) / det;
    // The log-determinant (as `spd2_inverse` gives it) only for pairs kept.
    (d2 <= params.gate_d2).then(|| GatedPair { track: ti, meas: mi, d2, cost: d2 + det.ln() })
}

/// The reference: tests every track against every measurement.
/// Pairs are appended to `out` ordered by measurement, then track.
///
/// ```
/// use fusetrack::association::gating::{gate_brute_force, GateParams, GatePoint};
/// use nalgebra::{Matrix2, Vector2};
/// let tracks = [GatePoint { position: Vector2::new(0.0, 0.0), cov: Matrix2::identity() }];
/// let meas = [GatePoint { position: Vector2::new(0.5, 0.0), cov: Matrix2::identity() },
///             GatePoint { position: Vector2::new(50.0, 0.0), cov: Matrix2::identity() }];
/// let mut out = Vec::new();
/// let st = gate_brute_force(&tracks, &meas, &GateParams { gate_d2: 9.21, max_radius_m: 5.0 }, &mut out);
/// assert_eq!(out.len(), 1);
/// assert_eq!(st.candidate_pairs, 2);
/// ```
pub fn gate_brute_force(
    tracks: &[GatePoint],
    meas: &[GatePoint],
    params: &GateParams,
    out: &mut Vec<GatedPair>,
) -> GateStats {
    let mut st = GateStats::default();
    for (mi, m) in meas.iter().enumerate() {
        for (ti, t) in tracks.iter().enumerate() {
            st.candidate_pairs += 1;
            if let Some(p) = gate_pair(ti as u32, t, mi as u32, m, params) {
                st.gated_pairs += 1;
                out.push(p);
            }
        }
    }
    st
}

/// Spatially indexed gate with reusable buffers: after warm-up, gating a
/// frame does not allocate.
///
/// ```
/// use fusetrack::association::gating::{gate_brute_force, Gate, GateParams, GatePoint};
/// use nalgebra::{Matrix2, Vector2};
/// let tracks: Vec<GatePoint> = (0..100)
///     .map(|i| GatePoint { position: Vector2::new(i as f64 * 3.0, 0.0), cov: Matrix2::identity() * 0.1 })
///     .collect();
/// let meas: Vec<GatePoint> = (0..100)
///     .map(|i| GatePoint { position: Vector2::new(i as f64 * 3.0 + 0.2, 0.1), cov: Matrix2::identity() * 0.1 })
///     .collect();
/// let params = GateParams { gate_d2: 13.8, max_radius_m: 5.0 };
/// let (mut fast, mut slow) = (Vec::new(), Vec::new());
/// let st = Gate::default().gate(&tracks, &meas, &params, &mut fast);
/// gate_brute_force(&tracks, &meas, &params, &mut slow);
/// assert_eq!(fast, slow);
/// assert!(st.candidate_pairs < 400); // not 100 x 100
/// ```
#[derive(Debug, Default)]
pub struct Gate {
    points: Vec<[f64; 2]>,
    loose: Vec<u32>,
    radii: Vec<f64>,
    hits: Vec<u32>,
    index: GridIndex,
}

impl Gate {
    /// Appends to `out` every pair inside the gate, ordered by measurement,
    /// then track index: exactly what [`gate_brute_force`] returns, at the
    /// cost of a grid-index search. The search radius accounts for the most
    /// uncertain track, so an uncertain track far away is still found.
    ///
    /// ```
    /// use fusetrack::association::gating::{gate_brute_force, Gate, GateParams, GatePoint};
    /// use nalgebra::{Matrix2, Vector2};
    /// let tracks = [
    ///     // Well localised (10 cm), 1.5 m from the detection: far outside its gate.
    ///     GatePoint { position: Vector2::new(0.0, 0.0), cov: Matrix2::identity() * 0.01 },
    ///     // Coasting (2 m), also 1.5 m away: well inside its gate.
    ///     GatePoint { position: Vector2::new(3.0, 0.0), cov: Matrix2::identity() * 4.0 },
    /// ];
    /// let meas = [GatePoint { position: Vector2::new(1.5, 0.0), cov: Matrix2::identity() * 0.01 }];
    /// let params = GateParams { gate_d2: 13.8, max_radius_m: 5.0 };
    /// let mut out = Vec::new();
    /// let st = Gate::default().gate(&tracks, &meas, &params, &mut out);
    /// assert_eq!(out.len(), 1);
    /// assert_eq!((out[0].track, out[0].meas), (1, 0));
    /// assert!((out[0].d2 - 1.5f64.powi(2) / 4.01).abs() < 1e-12); // y² / (P + R)
    /// assert_eq!(st.gated_pairs, 1);
    /// let mut reference = Vec::new();
    /// gate_brute_force(&tracks, &meas, &params, &mut reference);
    /// assert_eq!(out, reference);
    /// ```
    pub fn gate(
        &mut self,
        tracks: &[GatePoint],
        meas: &[GatePoint],
        params: &GateParams,
        out: &mut Vec<GatedPair>,
    ) -> GateStats {
        let mut st = GateStats::default();
        if tracks.is_empty() || meas.is_empty() {
            return st;
        }
        // Tracks with a non-finite position cannot be indexed; the tracker
        // never holds such tracks, but the gate must not panic on them.
        // Tracks whose position is very uncertain (coasting ones) would
        // widen every query; they are kept aside and tested against every
        // measurement instead (they are few).
        self.points.clear();
        self.loose.clear();
        let mut max_track_eig: f64 = 0.0;
        for (ti, t) in tracks.iter().enumerate() {
            let finite = t.position.x.is_finite() && t.position.y.is_finite();
            let e = max_eigenvalue2(&t.cov);
            let p = if finite && e <= LOOSE_TRACK_VAR_M2 {
                max_track_eig = max_track_eig.max(e);
                [t.position.x, t.position.y]
            } else {
                if finite && e.is_finite() {
                    self.loose.push(ti as u32);
                }
                [f64::MAX, f64::MAX]
            };
            self.points.push(p);
        }
        let cap2 = params.max_radius_m * params.max_radius_m;
        // The exact search radius of each measurement; the grid's cells are
        // sized from the largest.
        self.radii.clear();
        let mut cell = 0.0f64;
        for m in meas {
            let me = max_eigenvalue2(&m.cov);
            let r2 = (params.gate_d2 * (max_track_eig + me)).min(cap2);
            let r = if r2.is_finite() && r2 >= 0.0 { r2.sqrt() } else { -1.0 };
            cell = cell.max(r);
            self.radii.push(r);
        }
        // Cells twice the largest radius: a query then spans at most 2 x 2
        // cells, fewer lookups for a few more points to test.
        self.index.build(&self.points, (2.0 * cell).max(0.5));
        for (mi, m) in meas.iter().enumerate() {
            let r = self.radii[mi];
            if r < 0.0 || !(m.position.x.is_finite() && m.position.y.is_finite()) {
                continue;
            }
            self.hits.clear();
            self.index.within(&self.points, [m.position.x, m.position.y], r, &mut self.hits);
            self.hits.extend_from_slice(&self.loose);
            sort_few(&mut self.hits);
            for &ti in &self.hits {
                st.candidate_pairs += 1;
                if let Some(p) = gate_pair(ti, &tracks[ti as usize], mi as u32, m, params) {
                    st.gated_pairs += 1;
                    out.push(p);
                }
            }
        }
        st
    }
}

/// Sorts the few hits of one query: insertion sort below 24 elements,
/// where the standard library's sort spends more on setting up than on
/// sorting.
fn sort_few(v: &mut [u32]) {
    if v.len() > 24 {
        v.sort_unstable();
        return;
    }
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1] > x {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}
