//! The Kalman filter of one track: predict and update on fixed-size types.
//!
//! Measurements are ground positions `z = H x + v`, `H = [I₂ 0]`,
//! `v ~ N(0, R)`. The update computes the innovation `y = z - H x`, its
//! covariance `S = H P Hᵀ + R`, inverts it in closed form (failing with an
//! error, never a panic, when `S` is not positive definite), and applies the
//! gain `K = P Hᵀ S⁻¹`. The covariance is updated in Joseph form,
//! `P' = (I - K H) P (I - K H)ᵀ + K R Kᵀ`, which stays symmetric positive
//! semi-definite under rounding and for any gain, at the price of a few more
//! multiplications (Bucy and Joseph, 1968; Bar-Shalom et al. 2001, eq. 5.2.3-18).
//!
//! Every step is checked against filterpy to 1e-9 on stored
//! reference vectors (`tests/fixtures/kalman/`).

use nalgebra::{Matrix2, Matrix4, Vector2};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::motion::{MotionModel, StateCovariance, StateVector};

/// The innovation of a measurement against a predicted state.
///
/// ```
/// use fusetrack::KalmanState;
/// use nalgebra::{Matrix2, Matrix4, Vector2, Vector4};
/// let s = KalmanState::new(Vector4::zeros(), Matrix4::identity()).unwrap();
/// let inn = s.innovation(&Vector2::new(1.0, 0.0), &Matrix2::identity()).unwrap();
/// assert_eq!(inn.y, Vector2::new(1.0, 0.0));
/// assert!((inn.nis - 0.5).abs() < 1e-12); // 1² / (1 + 1)
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Innovation {
    /// `y = z - H x`, metres.
    pub y: Vector2<f64>,
    /// `S = H P Hᵀ + R`, m².
    pub s: Matrix2<f64>,
    /// `S⁻¹`, in closed form.
    pub s_inv: Matrix2<f64>,
    /// Normalised innovation squared `yᵀ S⁻¹ y` (squared Mahalanobis
    /// distance; chi-square with 2 degrees of freedom under the model).
    pub nis: f64,
    /// `ln det S`.
    pub ln_det_s: f64,
}

impl Innovation {
    /// Log-likelihood of the measurement under the prediction:
    /// `-(nis + ln det S + 2 ln 2π) / 2`.
    ///
    /// ```
    /// use fusetrack::KalmanState;
    /// use nalgebra::{Matrix2, Matrix4, Vector2, Vector4};
    /// let s = KalmanState::new(Vector4::zeros(), Matrix4::identity() * 0.5).unwrap();
    /// let inn = s.innovation(&Vector2::zeros(), &(Matrix2::identity() * 0.5)).unwrap();
    /// assert!((inn.log_likelihood() + (2.0 * std::f64::consts::PI).ln()).abs() < 1e-12);
    /// ```
    pub fn log_likelihood(&self) -> f64 {
        -0.5 * (self.nis + self.ln_det_s + 2.0 * (2.0 * std::f64::consts::PI).ln())
    }
}

/// Inverse and log-determinant of a symmetric 2x2 matrix, in closed form;
/// `None` unless it is positive definite (`a > 0` and `det > 0`, Sylvester's
/// criterion) and finite.
///
/// ```
/// use fusetrack::filter::spd2_inverse;
/// use nalgebra::Matrix2;
/// let (inv, ln_det) = spd2_inverse(&Matrix2::new(4.0, 0.0, 0.0, 1.0)).unwrap();
/// assert_eq!(inv, Matrix2::new(0.25, 0.0, 0.0, 1.0));
/// assert!((ln_det - 4f64.ln()).abs() < 1e-12);
/// assert!(spd2_inverse(&Matrix2::new(1.0, 2.0, 2.0, 1.0)).is_none());
/// ```
pub fn spd2_inverse(s: &Matrix2<f64>) -> Option<(Matrix2<f64>, f64)> {
    let (inv, det) = spd2_inverse_det(s)?;
    Some((inv, det.ln()))
}

/// `[a, b, c, det]` of a symmetric 2x2 matrix `[[a, b], [b, c]]` (`b` the
/// mean of the two off-diagonal entries); `None` unless it is finite and
/// positive definite (`a > 0` and `det > 0`, Sylvester's criterion).
#[inline]
pub(crate) fn spd2_parts(s: &Matrix2<f64>) -> Option<[f64; 4]> {
    let a = s[(0, 0)];
    let b = 0.5 * (s[(0, 1)] + s[(1, 0)]);
    let c = s[(1, 1)];
    if !(a.is_finite() && b.is_finite() && c.is_finite()) || a <= 0.0 {
        return None;
    }
    let det = a * c - b * b;
    if det <= 0.0 || !det.is_finite() {
        return None;
    }
    Some([a, b, c, det])
}

/// [`spd2_inverse`] without the logarithm (saved where only the inverse is
/// needed): the inverse and the determinant. One division and no square
/// root: this runs for every gated pair and every update.
pub(crate) fn spd2_inverse_det(s: &Matrix2<f64>) -> Option<(Matrix2<f64>, f64)> {
    let [a, b, c, det] = spd2_parts(s)?;
    let k = 1.0 / det;
    let inv = Matrix2::new(c * k, -b * k, -b * k, a * k);
    Some((inv, det))
}

/// True if every number is finite. On a contiguous slice: nalgebra's
/// element iterator costs several times more per element. `x * 0` is 0
/// for a finite `x` and NaN for an infinity or a NaN, and a NaN anywhere
/// makes the sum NaN: two arithmetic operations per number, in two lanes
/// that the compiler pairs into vector instructions (a quarter of the
/// instructions of testing each number).
#[inline]
fn all_finite(v: &[f64]) -> bool {
    let mut acc = [0.0f64; 2];
    let pairs = v.chunks_exact(2);
    let rest = pairs.remainder();
    for p in pairs {
        acc[0] += p[0] * 0.0;
        acc[1] += p[1] * 0.0;
    }
    for x in rest {
        acc[0] += x * 0.0;
    }
    acc[0] + acc[1] == 0.0
}

/// Largest eigenvalue of a symmetric 2x2 matrix.
///
/// ```
/// use fusetrack::filter::max_eigenvalue2;
/// use nalgebra::Matrix2;
/// assert!((max_eigenvalue2(&Matrix2::new(2.0, 0.0, 0.0, 5.0)) - 5.0).abs() < 1e-12);
/// ```
pub fn max_eigenvalue2(m: &Matrix2<f64>) -> f64 {
    let a = m[(0, 0)];
    let b = 0.5 * (m[(0, 1)] + m[(1, 0)]);
    let c = m[(1, 1)];
    let mean = 0.5 * (a + c);
    let r = (0.25 * (a - c) * (a - c) + b * b).sqrt();
    mean + r
}

/// Mean and covariance of one track's state.
///
/// ```
/// use fusetrack::{KalmanState, MotionModel};
/// use nalgebra::{Matrix2, Matrix4, Vector2, Vector4};
/// let mut s = KalmanState::new(Vector4::new(0.0, 0.0, 1.0, 0.0), Matrix4::identity()).unwrap();
/// s.predict(&MotionModel::default(), 1.0).unwrap();
/// assert_eq!(s.position(), Vector2::new(1.0, 0.0));
/// let inn = s.update(&Vector2::new(1.2, 0.1), &(Matrix2::identity() * 0.01)).unwrap();
/// assert!(inn.nis >= 0.0);
/// assert!((s.position() - Vector2::new(1.2, 0.1)).norm() < 0.01);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KalmanState {
    /// State mean `[x, y, vx, vy]`.
    pub x: StateVector,
    /// State covariance.
    pub p: StateCovariance,
}

impl KalmanState {
    /// A state from its mean and covariance.
    ///
    /// # Errors
    /// [`Error::Numerical`] if a number is not finite or the covariance is
    /// not symmetric with a positive diagonal.
    ///
    /// ```
    /// use fusetrack::KalmanState;
    /// use nalgebra::{Matrix4, Vector4};
    /// assert!(KalmanState::new(Vector4::repeat(f64::NAN), Matrix4::identity()).is_err());
    /// ```
    pub fn new(x: StateVector, p: StateCovariance) -> Result<Self> {
        let s = Self { x, p };
        if !s.is_valid() {
            return Err(Error::Numerical {
                what: "KalmanState::new: non-finite or invalid covariance",
            });
        }
        Ok(s)
    }

    /// True when every number is finite, the covariance is symmetric (to a
    /// relative 1e-9) and its diagonal is positive. [`KalmanState::new`]
    /// refuses states for which this is false; the fields are public, so a
    /// state edited by hand can be checked again.
    ///
    /// ```
    /// use fusetrack::KalmanState;
    /// use nalgebra::{Matrix4, Vector4};
    /// let mut s = KalmanState::new(Vector4::zeros(), Matrix4::identity())?;
    /// assert!(s.is_valid());
    /// s.p[(0, 1)] = 0.3; // no longer symmetric
    /// assert!(!s.is_valid());
    /// s.p[(1, 0)] = 0.3;
    /// assert!(s.is_valid());
    /// s.p[(3, 3)] = 0.0; // a variance must be positive
    /// assert!(!s.is_valid());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn is_valid(&self) -> bool {
        if !(all_finite(self.x.as_slice()) && all_finite(self.p.as_slice())) {
            return false;
        }
        // On the columns directly (`c[j][i]` is entry `(i, j)`): the same
        // tests as with `(i, j)` indexing, without its bounds checks.
        let c = &self.p.data.0;
        let d = [c[0][0], c[1][1], c[2][2], c[3][3]];
        let scale = d.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(f64::MIN_POSITIVE);
        let sym = |i: usize, j: usize| (c[j][i] - c[i][j]).abs() <= 1e-9 * scale;
        d.iter().all(|&v| v > 0.0)
            && sym(1, 0)
            && sym(2, 0)
            && sym(2, 1)
            && sym(3, 0)
            && sym(3, 1)
            && sym(3, 2)
    }

    /// Position `[x, y]`, metres: the first two entries of the state.
    ///
    /// ```
    /// use fusetrack::KalmanState;
    /// use nalgebra::{Matrix4, Vector2, Vector4};
    /// let s = KalmanState::new(Vector4::new(3.0, -2.0, 1.0, 0.5), Matrix4::identity())?;
    /// assert_eq!(s.position(), Vector2::new(3.0, -2.0));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn position(&self) -> Vector2<f64> {
        Vector2::new(self.x[0], self.x[1])
    }

    /// Velocity `[vx, vy]`, m/s: the last two entries of the state.
    ///
    /// ```
    /// use fusetrack::KalmanState;
    /// use nalgebra::{Matrix4, Vector4};
    /// let s = KalmanState::new(Vector4::new(3.0, -2.0, 1.2, 0.5), Matrix4::identity())?;
    /// assert_eq!(s.velocity().norm(), 1.3); // walking speed, m/s
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn velocity(&self) -> Vector2<f64> {
        Vector2::new(self.x[2], self.x[3])
    }

    /// Covariance of the position, m²: the top-left 2x2 block of the state
    /// covariance.
    ///
    /// ```
    /// use fusetrack::KalmanState;
    /// use fusetrack::filter::max_eigenvalue2;
    /// use nalgebra::{Matrix2, Matrix4, Vector4};
    /// let p = Matrix4::from_diagonal(&Vector4::new(0.04, 0.25, 1.0, 1.0));
    /// let s = KalmanState::new(Vector4::zeros(), p)?;
    /// assert_eq!(s.position_cov(), Matrix2::new(0.04, 0.0, 0.0, 0.25));
    /// // Largest position standard deviation: 0.5 m, along y.
    /// assert_eq!(max_eigenvalue2(&s.position_cov()).sqrt(), 0.5);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn position_cov(&self) -> Matrix2<f64> {
        self.p.fixed_view::<2, 2>(0, 0).into_owned()
    }

    /// Predicts in place by `dt_s` seconds.
    ///
    /// # Errors
    /// [`Error::Numerical`] if `dt_s` is negative or not finite, or the
    /// result is not finite; the state is then left unchanged.
    ///
    /// ```
    /// use fusetrack::{KalmanState, MotionModel};
    /// use nalgebra::{Matrix4, Vector2, Vector4};
    /// let mut s = KalmanState::new(Vector4::new(0.0, 0.0, 1.0, -0.5), Matrix4::identity())?;
    /// let model = MotionModel::constant_velocity(0.5)?;
    /// s.predict(&model, 2.0)?;
    /// assert_eq!(s.position(), Vector2::new(2.0, -1.0));
    /// // Position variance: 1 (before) + dt² · 1 (velocity) + q dt³/3.
    /// assert!((s.p[(0, 0)] - (1.0 + 4.0 + 0.5 * 8.0 / 3.0)).abs() < 1e-12);
    /// assert!(s.predict(&model, f64::NAN).is_err());
    /// assert_eq!(s.position(), Vector2::new(2.0, -1.0)); // unchanged after the error
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn predict(&mut self, model: &MotionModel, dt_s: f64) -> Result<()> {
        // In place (not through `predicted`): no copy of the whole state
        // through a returned `Result`, for every track at every step.
        let (x, p) = self.prediction(model, dt_s)?;
        self.x = x;
        self.p = p;
        Ok(())
    }

    /// Mean and covariance predicted by `dt_s` seconds, checked (always
    /// inlined: returned through a `Result` from a call, the state is
    /// copied once more).
    #[inline(always)]
    fn prediction(&self, model: &MotionModel, dt_s: f64) -> Result<(StateVector, StateCovariance)> {
        if !(dt_s.is_finite() && dt_s >= 0.0) {
            return Err(Error::Numerical { what: "predict: time step negative or not finite" });
        }
        if dt_s == 0.0 {
            return Ok((self.x, self.p));
        }
        let (x, p) = model.predict(&self.x, &self.p, dt_s);
        if !(all_finite(x.as_slice()) && all_finite(p.as_slice())) {
            return Err(Error::Numerical { what: "predict: state not finite" });
        }
        Ok((x, p))
    }

    /// The state predicted by `dt_s` seconds, leaving `self` unchanged.
    ///
    /// # Errors
    /// As [`KalmanState::predict`].
    ///
    /// ```
    /// use fusetrack::{KalmanState, MotionModel};
    /// use nalgebra::{Matrix4, Vector4};
    /// let s = KalmanState::new(Vector4::new(0.0, 0.0, 2.0, 0.0), Matrix4::identity()).unwrap();
    /// assert_eq!(s.predicted(&MotionModel::default(), 0.5).unwrap().x[0], 1.0);
    /// assert!(s.predicted(&MotionModel::default(), -1.0).is_err());
    /// ```
    pub fn predicted(&self, model: &MotionModel, dt_s: f64) -> Result<Self> {
        let (x, p) = self.prediction(model, dt_s)?;
        Ok(Self { x, p })
    }

    /// Innovation of position measurement `z` (metres) with covariance `r`
    /// (m²): how far the measurement is from the predicted position, and how
    /// surprising that is given both uncertainties. The state is not changed.
    ///
    /// # Errors
    /// [`Error::Numerical`] if `S` is not positive definite.
    ///
    /// ```
    /// use fusetrack::KalmanState;
    /// use nalgebra::{Matrix2, Matrix4, Vector2, Vector4};
    /// let p = Matrix4::from_diagonal(&Vector4::new(4.0, 1.0, 1.0, 1.0));
    /// let s = KalmanState::new(Vector4::zeros(), p)?;
    /// let inn = s.innovation(&Vector2::new(2.0, 1.0), &Matrix2::identity())?;
    /// assert_eq!(inn.s, Matrix2::new(5.0, 0.0, 0.0, 2.0)); // P_pos + R
    /// assert!((inn.nis - (4.0 / 5.0 + 1.0 / 2.0)).abs() < 1e-12);
    /// assert!((inn.ln_det_s - 10f64.ln()).abs() < 1e-12);
    /// // A measurement covariance that cancels P makes S singular.
    /// let r = Matrix2::new(-4.0, 0.0, 0.0, -1.0);
    /// assert!(s.innovation(&Vector2::zeros(), &r).is_err());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn innovation(&self, z: &Vector2<f64>, r: &Matrix2<f64>) -> Result<Innovation> {
        let (mut inn, det) = self.innovation_det(z, r)?;
        inn.ln_det_s = det.ln();
        Ok(inn)
    }

    /// [`KalmanState::innovation`] with `det S` instead of its logarithm
    /// (`ln_det_s` left NaN): the tracker's updates need no logarithm.
    /// Inlined: returned through memory, the result was read back before
    /// the stores writing it had completed (a store-forwarding stall).
    #[inline(always)]
    fn innovation_det(&self, z: &Vector2<f64>, r: &Matrix2<f64>) -> Result<(Innovation, f64)> {
        let y = z - self.position();
        let s = self.position_cov() + r;
        let (s_inv, det) = spd2_inverse_det(&s)
            .ok_or(Error::Numerical { what: "innovation covariance not positive definite" })?;
        let nis = (y.transpose() * s_inv * y)[(0, 0)];
        if !nis.is_finite() {
            return Err(Error::Numerical { what: "innovation not finite" });
        }
        Ok((Innovation { y, s, s_inv, nis, ln_det_s: f64::NAN }, det))
    }

    /// [`KalmanState::update`] returning only the innovation `y` (no
    /// logarithm computed): the same posterior, bit for bit.
    pub(crate) fn update_y(&mut self, z: &Vector2<f64>, r: &Matrix2<f64>) -> Result<Vector2<f64>> {
        let (inn, _) = self.innovation_det(z, r)?;
        self.update_with(&inn, r)?;
        Ok(inn.y)
    }

    /// Kalman update with position measurement `z` (metres) of covariance
    /// `r` (m²), Joseph form. Returns the innovation used.
    ///
    /// # Errors
    /// [`Error::Numerical`] if `S` is not positive definite or the result is
    /// not finite; the state is then left unchanged.
    ///
    /// ```
    /// use fusetrack::KalmanState;
    /// use nalgebra::{Matrix2, Matrix4, Vector2, Vector4};
    /// // Prior and measurement equally certain (1 m²): the gain is 1/2, the
    /// // estimate lands half way and its variance halves.
    /// let mut s = KalmanState::new(Vector4::zeros(), Matrix4::identity())?;
    /// let inn = s.update(&Vector2::new(2.0, 0.0), &Matrix2::identity())?;
    /// assert!((inn.nis - 2.0).abs() < 1e-12); // 2² / 2
    /// assert!((s.position() - Vector2::new(1.0, 0.0)).norm() < 1e-12);
    /// assert!((s.position_cov() - Matrix2::identity() * 0.5).norm() < 1e-12);
    /// assert_eq!(s.velocity(), Vector2::zeros()); // uncorrelated with position here
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn update(&mut self, z: &Vector2<f64>, r: &Matrix2<f64>) -> Result<Innovation> {
        let inn = self.innovation(z, r)?;
        self.update_with(&inn, r)?;
        Ok(inn)
    }

    /// Kalman update from an innovation already computed against this state
    /// (as the association step does).
    ///
    /// # Errors
    /// [`Error::Numerical`] if the result is not finite; the state is then left unchanged.
    ///
    /// ```
    /// use fusetrack::{KalmanState, TrackerConfig};
    /// use nalgebra::{Matrix2, Matrix4, Vector2, Vector4};
    /// let gate = TrackerConfig::default().gate_d2();
    /// let prior = KalmanState::new(Vector4::zeros(), Matrix4::identity())?;
    /// let (z, r) = (Vector2::new(0.8, -0.4), Matrix2::identity() * 0.25);
    /// // Gate first, then update with the same innovation.
    /// let inn = prior.innovation(&z, &r)?;
    /// assert!(inn.nis < gate);
    /// let mut gated = prior;
    /// gated.update_with(&inn, &r)?;
    /// // Same result as the one-call update.
    /// let mut direct = prior;
    /// direct.update(&z, &r)?;
    /// assert_eq!(gated, direct);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn update_with(&mut self, inn: &Innovation, r: &Matrix2<f64>) -> Result<()> {
        // Joseph form, written out for H = [I 0] (the measurement is the
        // position): the products skip H's zeros and ones, about a third of
        // the arithmetic of the 4 x 4 matrix products.
        let (p0, si) = (&self.p, &inn.s_inv);
        // K = P Hᵀ S⁻¹: the first two columns of P times S⁻¹.
        let mut k = [[0.0f64; 2]; 4];
        for (i, ki) in k.iter_mut().enumerate() {
            for (c, kic) in ki.iter_mut().enumerate() {
                *kic = p0[(i, 0)] * si[(0, c)] + p0[(i, 1)] * si[(1, c)];
            }
        }
        let mut x = self.x;
        for (i, ki) in k.iter().enumerate() {
            x[i] += ki[0] * inn.y[0] + ki[1] * inn.y[1];
        }
        // A = (I - K H) P: each row less K times the first two rows of P.
        let mut a = Matrix4::zeros();
        for (i, ki) in k.iter().enumerate() {
            for j in 0..4 {
                a[(i, j)] = p0[(i, j)] - ki[0] * p0[(0, j)] - ki[1] * p0[(1, j)];
            }
        }
        // P⁺ = A (I - K H)ᵀ + K R Kᵀ.
        let mut kr = [[0.0f64; 2]; 4];
        for (kri, ki) in kr.iter_mut().zip(&k) {
            for (c, krc) in kri.iter_mut().enumerate() {
                *krc = ki[0] * r[(0, c)] + ki[1] * r[(1, c)];
            }
        }
        // P⁺ is symmetric: its upper triangle is computed and mirrored
        // (ten entries instead of sixteen, and no symmetrising pass).
        let mut p = Matrix4::zeros();
        for i in 0..4 {
            for (j, kj) in k.iter().enumerate().skip(i) {
                let v = a[(i, j)] - a[(i, 0)] * kj[0] - a[(i, 1)] * kj[1]
                    + (kr[i][0] * kj[0] + kr[i][1] * kj[1]);
                p[(i, j)] = v;
                p[(j, i)] = v;
            }
        }
        if !(all_finite(x.as_slice()) && all_finite(p.as_slice())) {
            return Err(Error::Numerical { what: "update: state not finite" });
        }
        self.x = x;
        self.p = p;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::all_finite;

    #[test]
    fn all_finite_finds_a_non_finite_number_anywhere() {
        for len in 0..=17 {
            let v: Vec<f64> = (0..len).map(|i| (i as f64 - 8.0) * 1e300).collect();
            assert!(all_finite(&v), "len {len}: finite values, extremes included");
            for at in 0..len {
                for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                    let mut w = v.clone();
                    w[at] = bad;
                    assert!(!all_finite(&w), "len {len}: {bad} at {at} not found");
                }
            }
        }
        assert!(all_finite(&[f64::MAX, f64::MIN, -0.0, f64::MIN_POSITIVE]));
    }
}
