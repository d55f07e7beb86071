//! Motion models: how a track's state evolves between measurements.
//!
//! The state is `[x, y, vx, vy]` on the ground plane (metres, metres per
//! second). The only model today is the constant-velocity model driven by
//! continuous white-noise acceleration; [`MotionModel`] is
//! `#[non_exhaustive]` so that more models can be added without breaking users.
//!
//! # Constant velocity, continuous white-noise acceleration
//!
//! Each axis is an independent pair (position `p`, velocity `v`) with
//! `dp/dt = v`, `dv/dt = w(t)`, where `w` is white noise of power spectral
//! density `q` (m²/s³). Integrating over an interval `dt` gives the
//! transition and the discrete process noise (Bar-Shalom, Li and
//! Kirubarajan, *Estimation with Applications to Tracking and Navigation*,
//! Wiley 2001, section 6.2.2, eq. 6.2.2-12):
//!
//! ```text
//! F(dt) = | 1  dt |        Q(dt) = q | dt³/3  dt²/2 |
//!         | 0   1 |                  | dt²/2  dt    |
//! ```
//!
//! per axis, laid out over `[x, y, vx, vy]`. Because the noise is
//! continuous, two predictions of `dt` equal one of `2 dt` exactly (up to
//! rounding): the model does not depend on how time is sliced, which is what
//! lets cameras at 2 Hz and 30 Hz feed one track.
//!
//! The velocity of a walker drifts with standard deviation `sqrt(q dt)`: with
//! the default `q = 0.5 m²/s³` that is 0.7 m/s over one second and 1.2 m/s
//! over three: a pedestrian (walking speed about 1.3 m/s, accelerations of
//! a fraction of a m/s² when starting, stopping or turning) stays inside
//! the gate through turns, while a track coasting through a blind spot
//! does not grow an uncertainty larger than the blind spot itself
//! (position standard deviation about 2.6 m after 3.4 s).

use nalgebra::{Matrix4, Vector4};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A track's state `[x, y, vx, vy]` on the ground plane: metres and metres
/// per second.
///
/// ```
/// use fusetrack::motion::StateVector;
/// // At (3, 4) m, walking at 1.3 m/s along +y.
/// let x = StateVector::new(3.0, 4.0, 0.0, 1.3);
/// assert_eq!(x.fixed_rows::<2>(0).norm(), 5.0); // distance from the origin, m
/// assert_eq!(x.fixed_rows::<2>(2).norm(), 1.3); // speed, m/s
/// ```
pub type StateVector = Vector4<f64>;
/// Covariance of a [`StateVector`]: m² in the position block, m²/s in the
/// position-velocity blocks, m²/s² in the velocity block.
///
/// ```
/// use fusetrack::motion::StateCovariance;
/// use nalgebra::Vector4;
/// // 0.5 m standard deviation on position, 1.5 m/s on velocity.
/// let p = StateCovariance::from_diagonal(&Vector4::new(0.25, 0.25, 2.25, 2.25));
/// assert_eq!(p[(0, 0)].sqrt(), 0.5);
/// assert_eq!(p[(3, 3)].sqrt(), 1.5);
/// assert_eq!(p, p.transpose());
/// ```
pub type StateCovariance = Matrix4<f64>;

/// Default power spectral density of the acceleration noise, m²/s³ (see the
/// module docs for the reasoning): the `q` of [`MotionModel::default`] and
/// of people.
///
/// ```
/// use fusetrack::MotionModel;
/// use fusetrack::motion::DEFAULT_ACCEL_PSD_M2_PER_S3;
/// let m = MotionModel::default();
/// assert_eq!(m, MotionModel::constant_velocity(DEFAULT_ACCEL_PSD_M2_PER_S3).unwrap());
/// // Over one second a walker's velocity drifts by sqrt(q dt) ≈ 0.7 m/s.
/// let v_std = m.process_noise(1.0)[(2, 2)].sqrt();
/// assert!((v_std - 0.7071).abs() < 1e-4);
/// ```
pub const DEFAULT_ACCEL_PSD_M2_PER_S3: f64 = 0.5;

/// A motion model for ground-plane tracks.
///
/// Serialised with a `kind` tag, e.g.
/// `{"kind": "constant_velocity", "accel_psd_m2_per_s3": 1.0}`.
///
/// ```
/// use fusetrack::MotionModel;
/// let m = MotionModel::constant_velocity(1.0).unwrap();
/// let f = m.transition(0.5);
/// assert_eq!(f[(0, 2)], 0.5);
/// let q = m.process_noise(2.0);
/// assert!((q[(0, 0)] - 8.0 / 3.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum MotionModel {
    /// Constant velocity driven by continuous white-noise acceleration.
    ConstantVelocity {
        /// Power spectral density `q` of the acceleration noise per axis, m²/s³.
        accel_psd_m2_per_s3: f64,
    },
}

/// The three distinct entries of the constant-velocity process noise over
/// `dt_s` per axis, for acceleration noise density `q`: position variance
/// `q dt³/3`, position-velocity covariance `q dt²/2`, velocity variance
/// `q dt`.
#[inline]
fn cv_noise_terms(q: f64, dt_s: f64) -> [f64; 3] {
    let dt2 = dt_s * dt_s;
    [q * dt2 * dt_s / 3.0, q * dt2 / 2.0, q * dt_s]
}

impl Default for MotionModel {
    fn default() -> Self {
        MotionModel::ConstantVelocity { accel_psd_m2_per_s3: DEFAULT_ACCEL_PSD_M2_PER_S3 }
    }
}

impl MotionModel {
    /// A constant-velocity model with acceleration noise density `q` (m²/s³).
    ///
    /// # Errors
    /// [`Error::Config`] unless `q` is finite and positive.
    ///
    /// ```
    /// use fusetrack::MotionModel;
    /// assert!(MotionModel::constant_velocity(-1.0).is_err());
    /// ```
    pub fn constant_velocity(accel_psd_m2_per_s3: f64) -> Result<Self> {
        let m = MotionModel::ConstantVelocity { accel_psd_m2_per_s3 };
        m.validate()?;
        Ok(m)
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`Error::Config`] naming the field at fault.
    ///
    /// ```
    /// use fusetrack::MotionModel;
    /// assert!(MotionModel::default().validate().is_ok());
    /// ```
    pub fn validate(&self) -> Result<()> {
        match *self {
            MotionModel::ConstantVelocity { accel_psd_m2_per_s3: q } => {
                if !(q.is_finite() && q > 0.0) {
                    return Err(Error::Config {
                        field: "motion.accel_psd_m2_per_s3".into(),
                        reason: format!("must be a positive number, got {q}"),
                    });
                }
            }
        }
        Ok(())
    }

    /// State transition matrix `F(dt)` for an interval of `dt_s` seconds.
    ///
    /// ```
    /// use fusetrack::MotionModel;
    /// let f = MotionModel::default().transition(0.1);
    /// assert_eq!(f[(1, 3)], 0.1);
    /// assert_eq!(f[(2, 2)], 1.0);
    /// ```
    pub fn transition(&self, dt_s: f64) -> StateCovariance {
        match *self {
            MotionModel::ConstantVelocity { .. } => {
                let mut f = Matrix4::identity();
                f[(0, 2)] = dt_s;
                f[(1, 3)] = dt_s;
                f
            }
        }
    }

    /// Discrete process noise `Q(dt)` for an interval of `dt_s` seconds
    /// (formula in the module docs).
    ///
    /// ```
    /// use fusetrack::MotionModel;
    /// let q = MotionModel::constant_velocity(2.0).unwrap().process_noise(1.0);
    /// assert!((q[(2, 2)] - 2.0).abs() < 1e-12);  // q dt
    /// assert!((q[(0, 2)] - 1.0).abs() < 1e-12);  // q dt²/2
    /// assert_eq!(q[(0, 1)], 0.0);                 // axes independent
    /// ```
    pub fn process_noise(&self, dt_s: f64) -> StateCovariance {
        match *self {
            MotionModel::ConstantVelocity { accel_psd_m2_per_s3: q } => {
                let [pp, pv, vv] = cv_noise_terms(q, dt_s);
                let mut m = Matrix4::zeros();
                for axis in 0..2 {
                    m[(axis, axis)] = pp;
                    m[(axis, axis + 2)] = pv;
                    m[(axis + 2, axis)] = pv;
                    m[(axis + 2, axis + 2)] = vv;
                }
                m
            }
        }
    }

    /// Predicts a state and covariance forward by `dt_s`:
    /// `x' = F x`, `P' = F P Fᵀ + Q`.
    ///
    /// ```
    /// use fusetrack::MotionModel;
    /// use nalgebra::{Matrix4, Vector4};
    /// let m = MotionModel::default();
    /// let (x, _p) = m.predict(&Vector4::new(0.0, 0.0, 1.0, -2.0), &Matrix4::identity(), 0.5);
    /// assert_eq!(x, Vector4::new(0.5, -1.0, 1.0, -2.0));
    /// ```
    #[inline]
    pub fn predict(
        &self,
        x: &StateVector,
        p: &StateCovariance,
        dt_s: f64,
    ) -> (StateVector, StateCovariance) {
        match *self {
            MotionModel::ConstantVelocity { accel_psd_m2_per_s3: q } => {
                // F = [[I, dt I], [0, I]]: F P adds dt x the velocity rows to
                // the position rows, (F P) Fᵀ the same with columns. Written
                // out, this skips the 4 x 4 products' multiplications by 0
                // and 1, and computes only the upper triangle of the
                // symmetric result (mirrored), with Q's eight nonzero
                // entries (`process_noise`) added where they fall.
                let dt = dt_s;
                let mut x2 = *x;
                x2[0] += dt * x[2];
                x2[1] += dt * x[3];
                let [pp, pv, vv] = cv_noise_terms(q, dt);
                let noise = |i: usize, j: usize| match (i, j) {
                    (0, 0) | (1, 1) => pp,
                    (0, 2) | (1, 3) => pv,
                    (2, 2) | (3, 3) => vv,
                    _ => 0.0,
                };
                // (F P)(i, j): row i, plus dt x row i + 2 for a position row.
                let fp = |i: usize, j: usize| {
                    if i < 2 { p[(i, j)] + dt * p[(i + 2, j)] } else { p[(i, j)] }
                };
                let mut p2 = StateCovariance::zeros();
                for i in 0..4 {
                    for j in i..4 {
                        let v = if j < 2 { fp(i, j) + dt * fp(i, j + 2) } else { fp(i, j) };
                        let v = v + noise(i, j);
                        p2[(i, j)] = v;
                        p2[(j, i)] = v;
                    }
                }
                (x2, p2)
            }
        }
    }
}
