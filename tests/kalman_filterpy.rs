//! fusetrack's Kalman steps against filterpy's, on the stored reference
//! vectors of `tests/fixtures/kalman/` (see its README for how they were made).

use fusetrack::{KalmanState, MotionModel};
use nalgebra::{Matrix2, Matrix4, Vector2, Vector4};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    sequences: Vec<Sequence>,
}
#[derive(Deserialize)]
struct Sequence {
    q: f64,
    x0: Vec<f64>,
    #[serde(rename = "P0")]
    p0: Vec<Vec<f64>>,
    steps: Vec<Step>,
}
#[derive(Deserialize)]
struct Step {
    dt: f64,
    #[serde(rename = "Q")]
    q: Vec<Vec<f64>>,
    x_prior: Vec<f64>,
    #[serde(rename = "P_prior")]
    p_prior: Vec<Vec<f64>>,
    z: Vec<f64>,
    #[serde(rename = "R")]
    r: Vec<Vec<f64>>,
    y: Vec<f64>,
    #[serde(rename = "S")]
    s: Vec<Vec<f64>>,
    nis: f64,
    log_likelihood: f64,
    x_post: Vec<f64>,
    #[serde(rename = "P_post")]
    p_post: Vec<Vec<f64>>,
}

fn m4(v: &[Vec<f64>]) -> Matrix4<f64> {
    Matrix4::from_fn(|i, j| v[i][j])
}
fn m2(v: &[Vec<f64>]) -> Matrix2<f64> {
    Matrix2::from_fn(|i, j| v[i][j])
}

/// Relative closeness: |a - b| <= tol * max(1, |b|).
fn close(what: &str, a: &[f64], b: &[f64], tol: f64) {
    assert_eq!(a.len(), b.len());
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= tol * y.abs().max(1.0),
            "{what}[{k}]: fusetrack {x} vs filterpy {y}"
        );
    }
}

#[test]
fn kalman_steps_match_filterpy_to_1e9() {
    let text = std::fs::read_to_string("tests/fixtures/kalman/filterpy_cv2d.json").unwrap();
    let fx: Fixture = serde_json::from_str(&text).unwrap();
    assert_eq!(fx.sequences.len(), 3);
    let mut checked = 0;
    for seq in &fx.sequences {
        let model = MotionModel::constant_velocity(seq.q).unwrap();
        let mut s = KalmanState::new(Vector4::from_column_slice(&seq.x0), m4(&seq.p0)).unwrap();
        for (k, st) in seq.steps.iter().enumerate() {
            let tag = format!("q={} step {k}", seq.q);
            close(
                &format!("{tag} Q"),
                model.process_noise(st.dt).as_slice(),
                m4(&st.q).as_slice(),
                1e-12,
            );
            s.predict(&model, st.dt).unwrap();
            close(&format!("{tag} x_prior"), s.x.as_slice(), &st.x_prior, 1e-9);
            close(&format!("{tag} P_prior"), s.p.as_slice(), m4(&st.p_prior).as_slice(), 1e-9);
            let z = Vector2::new(st.z[0], st.z[1]);
            let inn = s.update(&z, &m2(&st.r)).unwrap();
            close(&format!("{tag} y"), inn.y.as_slice(), &st.y, 1e-9);
            close(&format!("{tag} S"), inn.s.as_slice(), m2(&st.s).as_slice(), 1e-9);
            close(&format!("{tag} nis"), &[inn.nis], &[st.nis], 1e-9);
            close(&format!("{tag} loglik"), &[inn.log_likelihood()], &[st.log_likelihood], 1e-9);
            close(&format!("{tag} x_post"), s.x.as_slice(), &st.x_post, 1e-9);
            close(&format!("{tag} P_post"), s.p.as_slice(), m4(&st.p_post).as_slice(), 1e-9);
            checked += 1;
        }
    }
    assert!(checked >= 100, "only {checked} steps checked");
}
