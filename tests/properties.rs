//! Property tests: filter invariants and the KD-tree gate against brute force.

use fusetrack::association::gating::{Gate, GateParams, GatePoint, gate_brute_force};
use fusetrack::association::spatial::GridIndex;
use fusetrack::{KalmanState, MotionModel};
use nalgebra::{Matrix2, Matrix4, Vector2, Vector4};
use proptest::prelude::*;

fn is_spd(p: &Matrix4<f64>) -> bool {
    (p - p.transpose()).amax() <= 1e-9 * p.amax().max(1.0) && p.cholesky().is_some()
}

fn spd2(sx: f64, sy: f64, rho: f64) -> Matrix2<f64> {
    let c = rho * sx * sy;
    Matrix2::new(sx * sx, c, c, sy * sy)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    /// The written-out prediction and update equal the textbook matrix
    /// forms: `F P Fᵀ + Q`, and the Joseph form
    /// `(I - K H) P (I - K H)ᵀ + K R Kᵀ` with `K = P Hᵀ S⁻¹`.
    #[test]
    fn kalman_steps_equal_the_matrix_forms(
        q in 0.01f64..10.0, dt in 0.0f64..3.0,
        x in prop::array::uniform4(-50.0f64..50.0),
        a in prop::array::uniform4(-2.0f64..2.0),
        b in prop::array::uniform4(-2.0f64..2.0),
        d in prop::array::uniform4(0.01f64..4.0),
        z in prop::array::uniform2(-60.0f64..60.0),
        (sx, sy, rho) in (0.05f64..3.0, 0.05f64..3.0, -0.9f64..0.9),
    ) {
        // A random SPD covariance: diagonal plus two rank-one terms.
        let (va, vb) = (Vector4::from(a), Vector4::from(b));
        let p0 = Matrix4::from_diagonal(&Vector4::from(d)) + va * va.transpose() + vb * vb.transpose();
        let m = MotionModel::constant_velocity(q).unwrap();
        let s0 = KalmanState::new(Vector4::from(x), p0).unwrap();
        let pred = s0.predicted(&m, dt).unwrap();
        let f = m.transition(dt);
        let want_p = f * p0 * f.transpose() + m.process_noise(dt);
        prop_assert!((pred.x - f * Vector4::from(x)).amax() <= 1e-12 * pred.x.amax().max(1.0));
        prop_assert!((pred.p - want_p).amax() <= 1e-12 * want_p.amax().max(1.0));

        let (zv, r) = (Vector2::from(z), spd2(sx, sy, rho));
        let mut upd = pred;
        upd.update(&zv, &r).unwrap();
        let mut h = nalgebra::Matrix2x4::zeros();
        h[(0, 0)] = 1.0;
        h[(1, 1)] = 1.0;
        let s = h * pred.p * h.transpose() + r;
        let k = pred.p * h.transpose() * s.try_inverse().unwrap();
        let ikh = Matrix4::identity() - k * h;
        let want_x = pred.x + k * (zv - h * pred.x);
        let want_p = ikh * pred.p * ikh.transpose() + k * r * k.transpose();
        prop_assert!((upd.x - want_x).amax() <= 1e-9 * want_x.amax().max(1.0));
        prop_assert!((upd.p - want_p).amax() <= 1e-9 * want_p.amax().max(1.0));
    }

    /// Two predictions of dt equal one prediction of 2 dt (continuous noise).
    #[test]
    fn two_half_steps_equal_one_step(
        q in 0.01f64..10.0, dt in 0.001f64..3.0,
        x in prop::array::uniform4(-50.0f64..50.0),
        d in prop::array::uniform4(0.01f64..4.0),
    ) {
        let m = MotionModel::constant_velocity(q).unwrap();
        let s0 = KalmanState::new(Vector4::from(x), Matrix4::from_diagonal(&Vector4::from(d))).unwrap();
        let two = s0.predicted(&m, dt).unwrap().predicted(&m, dt).unwrap();
        let one = s0.predicted(&m, 2.0 * dt).unwrap();
        prop_assert!((two.x - one.x).amax() <= 1e-9 * one.x.amax().max(1.0));
        prop_assert!((two.p - one.p).amax() <= 1e-9 * one.p.amax().max(1.0));
    }

    /// The covariance stays symmetric positive definite through long runs of
    /// predictions and updates with badly scaled measurements.
    #[test]
    fn covariance_stays_spd(
        q in 0.001f64..20.0,
        steps in prop::collection::vec(
            (0.0f64..2.0, -100.0f64..100.0, -100.0f64..100.0, 1e-3f64..10.0, 1e-3f64..10.0, -0.95f64..0.95),
            1..60),
    ) {
        let m = MotionModel::constant_velocity(q).unwrap();
        let mut s = KalmanState::new(Vector4::zeros(), Matrix4::identity() * 100.0).unwrap();
        for (dt, zx, zy, sx, sy, rho) in steps {
            s.predict(&m, dt).unwrap();
            prop_assert!(is_spd(&s.p), "after predict: {}", s.p);
            s.update(&Vector2::new(zx, zy), &spd2(sx, sy, rho)).unwrap();
            prop_assert!(is_spd(&s.p), "after update: {}", s.p);
            prop_assert!(s.is_valid());
        }
    }

    /// The grid index returns exactly the points within the radius, whatever
    /// the cell size, clustering, duplicates or far-away outliers.
    #[test]
    fn grid_index_matches_brute_force(
        pts in prop::collection::vec((-50.0f64..50.0, -50.0f64..50.0), 0..300),
        dup in 0usize..40,
        far in prop::bool::ANY,
        cell in 0.05f64..20.0,
        queries in prop::collection::vec((-60.0f64..60.0, -60.0f64..60.0, 0.0f64..30.0), 1..30),
    ) {
        let mut points: Vec<[f64; 2]> = pts.iter().map(|&(x, y)| [x, y]).collect();
        for _ in 0..dup { points.push([1.25, -3.5]); }
        if far { points.push([1e7, -1e7]); points.push([f64::NAN, 0.0]); }
        let mut index = GridIndex::default();
        index.build(&points, cell);
        let mut got = Vec::new();
        for &(qx, qy, r) in &queries {
            got.clear();
            index.within(&points, [qx, qy], r, &mut got);
            got.sort_unstable();
            let want: Vec<u32> = points.iter().enumerate()
                .filter(|(_, p)| (p[0] - qx).powi(2) + (p[1] - qy).powi(2) <= r * r)
                .map(|(i, _)| i as u32).collect();
            prop_assert_eq!(&got, &want);
        }
    }

    /// The pair search finds every pair within the radius exactly once,
    /// with dense and hashed buckets and radii larger than the cells.
    #[test]
    fn grid_index_pairs_match_brute_force(
        pts in prop::collection::vec((-50.0f64..50.0, -50.0f64..50.0), 0..200),
        spread in prop::bool::ANY,
        dup in 0usize..6,
        far in prop::bool::ANY,
        cell in 0.05f64..20.0,
        radius in -1.0f64..25.0,
    ) {
        // `spread` scatters the points over a city (hashed buckets).
        let scale = if spread { 1000.0 } else { 1.0 };
        let mut points: Vec<[f64; 2]> = pts.iter().map(|&(x, y)| [x * scale, y * scale]).collect();
        for _ in 0..dup { points.push([1.25, -3.5]); }
        if far { points.push([1e7, -1e7]); points.push([f64::NAN, 0.0]); points.push([0.0, f64::INFINITY]); }
        let mut index = GridIndex::default();
        index.build(&points, cell);
        let mut got = Vec::new();
        index.for_each_pair_within(&points, radius, |i, j| got.push((i.min(j), i.max(j))));
        got.sort_unstable();
        let mut want = Vec::new();
        for i in 0..points.len() {
            for j in i + 1..points.len() {
                let (p, q) = (points[i], points[j]);
                if (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) <= radius * radius && radius >= 0.0 {
                    want.push((i as u32, j as u32));
                }
            }
        }
        prop_assert_eq!(&got, &want); // sorted and equal: no pair missed or repeated
    }

    /// The box query returns exactly the points inside the box.
    #[test]
    fn grid_index_box_matches_brute_force(
        pts in prop::collection::vec((-50.0f64..50.0, -50.0f64..50.0), 0..300),
        far in prop::bool::ANY,
        cell in 0.05f64..20.0,
        boxes in prop::collection::vec((-60.0f64..60.0, -60.0f64..60.0, -1.0f64..40.0, -1.0f64..40.0), 1..30),
    ) {
        let mut points: Vec<[f64; 2]> = pts.iter().map(|&(x, y)| [x, y]).collect();
        if far { points.push([1e7, -1e7]); points.push([f64::NAN, 0.0]); points.push([0.0, f64::INFINITY]); }
        let mut index = GridIndex::default();
        index.build(&points, cell);
        let mut got = Vec::new();
        for &(x, y, w, h) in &boxes {
            let (lo, hi) = ([x, y], [x + w, y + h]);
            got.clear();
            index.within_box(&points, lo, hi, &mut got);
            got.sort_unstable();
            let want: Vec<u32> = points.iter().enumerate()
                .filter(|(_, p)| p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] && p[1] <= hi[1])
                .map(|(i, _)| i as u32).collect();
            prop_assert_eq!(&got, &want);
        }
    }

    /// The candidate search finds exactly the pairs brute force finds.
    #[test]
    fn kd_gate_matches_brute_force(
        tracks in prop::collection::vec((-60.0f64..60.0, -60.0f64..60.0, 0.01f64..2.0, 0.01f64..2.0, -0.9f64..0.9), 0..120),
        meas in prop::collection::vec((-60.0f64..60.0, -60.0f64..60.0, 0.01f64..1.0, 0.01f64..1.0, -0.9f64..0.9), 0..120),
        gate_d2 in 1.0f64..20.0,
        cap in 0.5f64..8.0,
    ) {
        let tp: Vec<GatePoint> = tracks.iter().map(|&(x, y, sx, sy, r)| GatePoint { position: Vector2::new(x, y), cov: spd2(sx, sy, r) }).collect();
        let mp: Vec<GatePoint> = meas.iter().map(|&(x, y, sx, sy, r)| GatePoint { position: Vector2::new(x, y), cov: spd2(sx, sy, r) }).collect();
        let params = GateParams { gate_d2, max_radius_m: cap };
        let (mut fast, mut slow) = (Vec::new(), Vec::new());
        let st = Gate::default().gate(&tp, &mp, &params, &mut fast);
        let sb = gate_brute_force(&tp, &mp, &params, &mut slow);
        prop_assert_eq!(&fast, &slow);
        prop_assert_eq!(st.gated_pairs, sb.gated_pairs);
        prop_assert!(st.candidate_pairs <= sb.candidate_pairs);
    }
}

/// The candidate search does not grow as tracks x detections: on a scene of
/// N people spread over an area that grows with N (constant density), the
/// number of pairs tested grows linearly.
#[test]
fn candidate_pairs_grow_linearly_not_quadratically() {
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut uniform = || {
        rng = rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let params = GateParams { gate_d2: 13.8, max_radius_m: 5.0 };
    let mut per_n = Vec::new();
    for n in [100usize, 1000, 10000] {
        // One person per 4 m² on average, like a busy plaza.
        let side = (n as f64 * 4.0).sqrt();
        let mut tracks = Vec::new();
        let mut meas = Vec::new();
        for _ in 0..n {
            let (x, y) = (uniform() * side, uniform() * side);
            tracks
                .push(GatePoint { position: Vector2::new(x, y), cov: Matrix2::identity() * 0.04 });
            meas.push(GatePoint {
                position: Vector2::new(x + 0.2 * (uniform() - 0.5), y + 0.2 * (uniform() - 0.5)),
                cov: Matrix2::identity() * 0.04,
            });
        }
        let mut out = Vec::new();
        let st = Gate::default().gate(&tracks, &meas, &params, &mut out);
        // Every person's own detection is within the gate.
        assert!(st.gated_pairs >= n as u64);
        per_n.push((n, st.candidate_pairs));
    }
    for &(n, c) in &per_n {
        let per_detection = c as f64 / n as f64;
        assert!(
            per_detection < 10.0,
            "n={n}: {c} candidate pairs ({per_detection:.1} per detection)"
        );
    }
    // All pairs would be 10^8 at n = 10 000.
    assert!(per_n[2].1 < 100_000, "{per_n:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// No input makes the tracker panic: wild numbers, unknown cameras,
    /// boxes from world sensors, times in any order; errors are fine.
    #[test]
    fn hostile_input_never_panics(
        dets in prop::collection::vec(
            (
                prop::sample::select(vec![0.0, 0.1, -1.0, 1e9, -1e300, 1e300, f64::NAN, f64::INFINITY, 3.7]),
                0u32..4,
                prop::sample::select(vec![0.0, 1.0, -5.0, 1e12, -1e300, 1e300, f64::NAN, 640.0, 360.0]),
                prop::sample::select(vec![0.0, 1.0, -5.0, 1e12, 1e300, f64::NAN, 80.0, 1e-300]),
                0u8..3,
            ),
            1..80,
        ),
    ) {
        use fusetrack::{BBox, CameraId, CameraRig, Camera, Detection, Observation, Tracker, TrackerConfig};
        let rig = CameraRig::new(vec![
            Camera::look_at("a", [1280, 720], 900.0, [0.0, -12.0, 6.0], [0.0, 0.0, 0.0]).unwrap(),
            Camera::world_sensor("w"),
            Camera::look_at("b", [640, 480], 500.0, [10.0, 10.0, 3.0], [0.0, 0.0, 0.0]).unwrap(),
        ]).unwrap();
        let mut tracker = Tracker::new(TrackerConfig::default(), rig).unwrap();
        let mut t_base = 0.0;
        for (dt, cam, a, b, kind) in dets {
            t_base += 0.05;
            let t = if dt.is_finite() && dt.abs() < 10.0 { t_base + dt } else { dt };
            let obs = match kind {
                0 => Observation::BBox(BBox { x: a, y: b, w: b.abs().min(1e6), h: a.abs().min(1e6) }),
                1 => Observation::World { position_m: [a, b], cov_m2: Some([[b.abs(), 0.0], [0.0, a.abs()]]) },
                _ => Observation::Empty,
            };
            let _ = tracker.push(Detection::new(t, CameraId(cam), obs).with_rx(t_base));
            let _ = tracker.step();
        }
        while let Ok(Some(_)) = tracker.flush_step() {}
        let json = serde_json::to_string(&tracker).unwrap();
        let _back: Tracker = serde_json::from_str(&json).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    /// Solving each connected component of the gated pairs on its own is
    /// solving the whole problem: the associator's pairs have the maximum
    /// cardinality and the minimum total cost of one optimal assignment of
    /// the full matrix (forbidden where no pair was gated), and it counts
    /// the components that a breadth-first search finds.
    #[test]
    fn associating_by_components_equals_one_global_assignment(
        n_tracks in 1usize..12,
        n_meas in 1usize..12,
        raw in prop::collection::vec((0usize..12, 0usize..12, 0u8..6), 0..40),
    ) {
        use fusetrack::association::components::Associator;
        use fusetrack::association::gating::GatedPair;
        use fusetrack::association::{AssignmentScratch, solve_assignment};
        use fusetrack::AssociationMethod;
        let pairs: Vec<GatedPair> = raw
            .iter()
            .filter(|&&(t, m, _)| t < n_tracks && m < n_meas)
            .map(|&(t, m, c)| GatedPair { track: t as u32, meas: m as u32, d2: 0.0, cost: f64::from(c) * 0.5 - 1.0 })
            .collect();
        let mut out = Vec::new();
        let st = Associator::default()
            .associate(n_tracks, n_meas, &pairs, AssociationMethod::Optimal, &mut out)
            .unwrap();
        let mut full = vec![f64::INFINITY; n_tracks * n_meas];
        for p in &pairs {
            let c = &mut full[p.track as usize * n_meas + p.meas as usize];
            *c = c.min(p.cost);
        }
        let mut row_to_col = Vec::new();
        let want_total = solve_assignment(&full, n_tracks, n_meas, &mut row_to_col, &mut AssignmentScratch::default()).unwrap();
        let want_count = row_to_col.iter().flatten().count();
        prop_assert_eq!(out.len(), want_count);
        let total: f64 = out.iter().map(|&(t, m)| full[t as usize * n_meas + m as usize]).sum();
        prop_assert!((total - want_total).abs() < 1e-9, "total {} vs {}", total, want_total);
        let (mut tracks_used, mut meas_used) = (vec![false; n_tracks], vec![false; n_meas]);
        for &(t, m) in &out {
            prop_assert!(full[t as usize * n_meas + m as usize].is_finite(), "ungated pair {t}-{m}");
            prop_assert!(!std::mem::replace(&mut tracks_used[t as usize], true), "track {t} twice");
            prop_assert!(!std::mem::replace(&mut meas_used[m as usize], true), "measurement {m} twice");
        }
        // Components with at least one pair, by breadth-first search.
        let n = n_tracks + n_meas;
        let mut adj = vec![Vec::new(); n];
        for p in &pairs {
            let (a, b) = (p.track as usize, n_tracks + p.meas as usize);
            adj[a].push(b);
            adj[b].push(a);
        }
        let (mut seen, mut components) = (vec![false; n], 0u64);
        for s in 0..n {
            if seen[s] || adj[s].is_empty() {
                continue;
            }
            components += 1;
            let mut queue = vec![s];
            seen[s] = true;
            while let Some(x) = queue.pop() {
                for &y in &adj[x] {
                    if !std::mem::replace(&mut seen[y], true) {
                        queue.push(y);
                    }
                }
            }
        }
        prop_assert_eq!(st.components, components);
    }
}
