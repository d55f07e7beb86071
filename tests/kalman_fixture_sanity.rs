//! Validates the filterpy reference fixture itself
//! (`tests/fixtures/kalman/filterpy_cv2d.json`, see the README there):
//! shapes, symmetry, and the relations between the recorded quantities that
//! hold for any correct Kalman step (S = H P⁻ Hᵀ + R, y = z - H x⁻,
//! NIS = yᵀ S⁻¹ y, the Gaussian log-likelihood, P⁻ = F P⁺ Fᵀ + Q, the
//! process-noise formula). It does not test fusetrack's filter.

use nalgebra::{Matrix2, Matrix4, Vector2, Vector4};

#[derive(serde::Deserialize)]
struct Fixture {
    versions: std::collections::BTreeMap<String, String>,
    sequences: Vec<Sequence>,
}

#[derive(serde::Deserialize)]
struct Sequence {
    q: f64,
    x0: Vec<f64>,
    #[serde(rename = "P0")]
    p0: Vec<Vec<f64>>,
    steps: Vec<Step>,
}

#[derive(serde::Deserialize)]
#[allow(non_snake_case)]
struct Step {
    dt: f64,
    F: Vec<Vec<f64>>,
    Q: Vec<Vec<f64>>,
    x_prior: Vec<f64>,
    P_prior: Vec<Vec<f64>>,
    z: Vec<f64>,
    R: Vec<Vec<f64>>,
    y: Vec<f64>,
    S: Vec<Vec<f64>>,
    nis: f64,
    log_likelihood: f64,
    x_post: Vec<f64>,
    P_post: Vec<Vec<f64>>,
}

fn m4(rows: &[Vec<f64>]) -> Matrix4<f64> {
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.len() == 4));
    Matrix4::from_fn(|i, j| rows[i][j])
}

fn m2(rows: &[Vec<f64>]) -> Matrix2<f64> {
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.len() == 2));
    Matrix2::from_fn(|i, j| rows[i][j])
}

fn v4(v: &[f64]) -> Vector4<f64> {
    assert_eq!(v.len(), 4);
    Vector4::from_column_slice(v)
}

fn v2(v: &[f64]) -> Vector2<f64> {
    assert_eq!(v.len(), 2);
    Vector2::from_column_slice(v)
}

/// Relative closeness of two matrices (max abs difference over max abs entry).
fn close<const R: usize, const C: usize>(
    a: &nalgebra::SMatrix<f64, R, C>,
    b: &nalgebra::SMatrix<f64, R, C>,
    tol: f64,
) -> bool {
    let scale = a.amax().max(b.amax()).max(1e-300);
    (a - b).amax() <= tol * scale
}

fn assert_symmetric<const N: usize>(a: &nalgebra::SMatrix<f64, N, N>, what: &str) {
    assert!(close(a, &a.transpose(), 1e-12), "{what} not symmetric: {a}");
}

#[test]
fn filterpy_fixture_is_internally_consistent() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/kalman/filterpy_cv2d.json");
    let fx: Fixture = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(fx.versions.contains_key("filterpy"));
    let qs: Vec<f64> = fx.sequences.iter().map(|s| s.q).collect();
    assert_eq!(qs, [0.1, 1.0, 5.0]);

    let h = nalgebra::Matrix2x4::new(1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    let mut nis_sum = 0.0;
    let mut n_steps = 0;
    for seq in &fx.sequences {
        assert_eq!(seq.steps.len(), 40);
        let mut x_prev = v4(&seq.x0);
        let mut p_prev = m4(&seq.p0);
        assert_symmetric(&p_prev, "P0");
        for (k, st) in seq.steps.iter().enumerate() {
            let ctx = format!("q={} step {k}", seq.q);
            let dt = st.dt;
            assert!((0.02..=2.0).contains(&dt), "{ctx}: dt {dt}");

            // F(dt) and Q(dt) as documented in the README.
            let f = m4(&st.F);
            let mut f_want = Matrix4::identity();
            f_want[(0, 2)] = dt;
            f_want[(1, 3)] = dt;
            assert_eq!(f, f_want, "{ctx}: F");
            let q = m4(&st.Q);
            let (a, b, c) = (seq.q * dt.powi(3) / 3.0, seq.q * dt.powi(2) / 2.0, seq.q * dt);
            #[rustfmt::skip]
            let q_want = Matrix4::new(
                a, 0.0, b, 0.0,
                0.0, a, 0.0, b,
                b, 0.0, c, 0.0,
                0.0, b, 0.0, c,
            );
            assert!(close(&q, &q_want, 1e-12), "{ctx}: Q {q} vs {q_want}");

            // Predict: x⁻ = F x⁺, P⁻ = F P⁺ Fᵀ + Q.
            let x_prior = v4(&st.x_prior);
            let p_prior = m4(&st.P_prior);
            assert!(close(&x_prior, &(f * x_prev), 1e-12), "{ctx}: x_prior");
            assert!(close(&p_prior, &(f * p_prev * f.transpose() + q), 1e-12), "{ctx}: P_prior");

            // Innovation and its covariance.
            let r = m2(&st.R);
            let s = m2(&st.S);
            let y = v2(&st.y);
            let z = v2(&st.z);
            for (m, what) in [(&r, "R"), (&s, "S")] {
                assert_symmetric(m, what);
            }
            assert_symmetric(&p_prior, "P_prior");
            let sd = (r[(0, 0)].sqrt(), r[(1, 1)].sqrt());
            assert!((0.05..=2.0).contains(&sd.0) && (0.05..=2.0).contains(&sd.1), "{ctx}: R std");
            assert!(close(&s, &(h * p_prior * h.transpose() + r), 1e-12), "{ctx}: S");
            assert!(close(&y, &(z - h * x_prior), 1e-12), "{ctx}: y");

            // NIS and log-likelihood of y ~ N(0, S).
            let chol = s.cholesky().expect("S positive definite");
            let nis = y.dot(&chol.solve(&y));
            assert!(
                (nis - st.nis).abs() <= 1e-10 * st.nis.max(1.0),
                "{ctx}: nis {nis} vs {}",
                st.nis
            );
            let ll = -0.5 * (nis + s.determinant().ln() + 2.0 * (2.0 * std::f64::consts::PI).ln());
            assert!(
                (ll - st.log_likelihood).abs() <= 1e-10 * st.log_likelihood.abs().max(1.0),
                "{ctx}: log-likelihood {ll} vs {}",
                st.log_likelihood
            );

            // Posterior covariance: symmetric, positive definite, and no larger than the prior.
            let p_post = m4(&st.P_post);
            assert_symmetric(&p_post, "P_post");
            assert!(p_post.cholesky().is_some(), "{ctx}: P_post not positive definite");
            assert!(p_post.trace() < p_prior.trace(), "{ctx}: update did not shrink P");

            nis_sum += st.nis;
            n_steps += 1;
            x_prev = v4(&st.x_post);
            p_prev = p_post;
        }
    }
    // The data were simulated from the filter's own model, so NIS ~ chi²(2):
    // mean 2, standard error of the mean of 120 values = 2/sqrt(120) ≈ 0.18.
    let mean_nis = nis_sum / n_steps as f64;
    assert!((mean_nis - 2.0).abs() < 0.6, "mean NIS {mean_nis}");
}
