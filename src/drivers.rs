//! Stochastic drivers (MODEL.md §9): correlated innovations `ε = L·z` (normal or
//! multivariate Student-t scaled to unit variance), AR(1) wage growth, medical cost growth,
//! interest and fertility around time-dated means, the mortality index as a random walk with
//! drift, the migration level, and the epidemic shock (MODEL.md §6).
//!
//! The deterministic central path uses [`Shocks::ZERO`]: every ε = 0 and no epidemic.

use crate::scenario::{DRIVERS, Drivers, Innovations};
use rand::rngs::ChaCha8Rng;
use rand_distr::{ChiSquared, Distribution, StandardNormal, StandardUniform};

/// Index of each driver in the innovation vector (MODEL.md §12).
pub mod idx {
    /// Wage growth.
    pub const WAGE: usize = 0;
    /// Medical cost growth.
    pub const MEDICAL: usize = 1;
    /// Interest.
    pub const INTEREST: usize = 2;
    /// Mortality index.
    pub const MORTALITY: usize = 3;
    /// Fertility.
    pub const FERTILITY: usize = 4;
    /// Migration.
    pub const MIGRATION: usize = 5;
}

/// Lower Cholesky factor of a correlation matrix, after checking that it is one: square
/// 6×6, symmetric, unit diagonal, positive definite. The error says why not.
pub fn cholesky(m: &[Vec<f64>]) -> Result<[[f64; DRIVERS]; DRIVERS], String> {
    if m.len() != DRIVERS || m.iter().any(|r| r.len() != DRIVERS) {
        return Err(format!("expected a {DRIVERS}×{DRIVERS} matrix"));
    }
    for i in 0..DRIVERS {
        if (m[i][i] - 1.0).abs() > 1e-12 {
            return Err(format!(
                "diagonal element [{i}][{i}] is {}, expected 1 (a correlation matrix has a unit diagonal)",
                m[i][i]
            ));
        }
        for j in 0..i {
            if (m[i][j] - m[j][i]).abs() > 1e-12 {
                return Err(format!(
                    "not symmetric: [{i}][{j}] = {} but [{j}][{i}] = {}",
                    m[i][j], m[j][i]
                ));
            }
        }
    }
    let a = nalgebra::DMatrix::from_fn(DRIVERS, DRIVERS, |i, j| m[i][j]);
    let chol = a.cholesky().ok_or_else(|| {
        "not positive definite (some combination of the correlations is impossible); \
         expected a valid correlation matrix"
            .to_string()
    })?;
    let l = chol.l();
    let mut out = [[0.0; DRIVERS]; DRIVERS];
    for (i, row) in out.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = l[(i, j)];
        }
    }
    Ok(out)
}

/// One year's random inputs of one path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shocks {
    /// Correlated innovations ε, driver order of [`idx`].
    pub eps: [f64; DRIVERS],
    /// Epidemic claims increase this year (0 = none).
    pub epidemic: f64,
}

impl Shocks {
    /// The central path: no innovation, no epidemic.
    pub const ZERO: Shocks = Shocks {
        eps: [0.0; DRIVERS],
        epidemic: 0.0,
    };
}

/// One AR(1) driver resolved per year.
#[derive(Debug, Clone)]
pub struct Ar1Path {
    /// Mean per year index.
    pub mean: Vec<f64>,
    /// φ.
    pub phi: f64,
    /// σ.
    pub sigma: f64,
}

/// Driver laws resolved per year (MODEL.md §9).
#[derive(Debug, Clone)]
pub struct DriverModel {
    /// Wage growth.
    pub wage: Ar1Path,
    /// Medical cost growth.
    pub medical: Ar1Path,
    /// Interest.
    pub interest: Ar1Path,
    /// Fertility (TFR).
    pub fertility: Ar1Path,
    /// Mortality drift `d(t)` per year index.
    pub mortality_drift: Vec<f64>,
    /// Mortality σ.
    pub mortality_sigma: f64,
    /// Migration level per year index.
    pub migration: Vec<f64>,
    /// Migration σ.
    pub migration_sigma: f64,
    /// Cholesky factor of the correlation matrix.
    pub chol: [[f64; DRIVERS]; DRIVERS],
    /// Student-t: chi-square law of ν and the unit-variance scale `√(ν−2)`.
    pub student: Option<(ChiSquared<f64>, f64)>,
    /// Epidemic probability.
    pub epi_probability: f64,
    /// ln(median severity).
    pub epi_ln_median: f64,
    /// Severity σ (log scale).
    pub epi_sigma: f64,
}

/// A path's driver state carried from year to year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DriverState {
    wage_dev: f64,
    medical_dev: f64,
    interest_dev: f64,
    tfr: f64,
    k: f64,
}

/// The drivers' values in one year of one path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearDrivers {
    /// Wage growth `gw(t)`.
    pub wage_growth: f64,
    /// Medical cost growth `gm(t)`.
    pub medical_growth: f64,
    /// Interest `r(t)`.
    pub interest: f64,
    /// Mortality index `k(t)`.
    pub k: f64,
    /// TFR(t), floored at 0.
    pub tfr: f64,
    /// Net migration `MIG(t)`.
    pub migration: f64,
    /// Epidemic claims increase.
    pub epidemic: f64,
}

/// Words of the ChaCha stream reserved for each year of a path: one year's draws start at
/// `year × YEAR_WORDS`, so a year's draws do not depend on how many the previous year used.
pub const YEAR_WORDS: u128 = 256;

impl DriverModel {
    /// Resolve the scenario's drivers for years `base..=horizon`.
    pub fn new(d: &Drivers, base: i32, horizon: i32) -> Result<Self, String> {
        let ar = |a: &crate::scenario::Ar1| Ar1Path {
            mean: a.mean.resolve(base, horizon).values,
            phi: a.phi,
            sigma: a.sigma,
        };
        let student = match d.innovations {
            Innovations::Normal => None,
            Innovations::StudentT(nu) => Some((
                ChiSquared::new(nu).map_err(|e| format!("degrees of freedom {nu}: {e}"))?,
                (nu - 2.0).sqrt(),
            )),
        };
        Ok(DriverModel {
            wage: ar(&d.wage_growth),
            medical: ar(&d.medical_growth),
            interest: ar(&d.interest),
            fertility: ar(&d.fertility),
            mortality_drift: d.mortality_drift.resolve(base, horizon).values,
            mortality_sigma: d.mortality_sigma,
            migration: d.migration.resolve(base, horizon).values,
            migration_sigma: d.migration_sigma,
            chol: cholesky(&d.correlation)?,
            student,
            epi_probability: d.epidemic.probability,
            epi_ln_median: d.epidemic.median.max(f64::MIN_POSITIVE).ln(),
            epi_sigma: d.epidemic.sigma,
        })
    }

    /// State at the base year: every AR(1) at its mean, `k(Y0) = 0`.
    pub fn start(&self) -> DriverState {
        DriverState {
            wage_dev: 0.0,
            medical_dev: 0.0,
            interest_dev: 0.0,
            tfr: self.fertility.mean[0].max(0.0),
            k: 0.0,
        }
    }

    /// Draw year `j`'s shocks from a path's stream (positioned at the year's block).
    pub fn draw(&self, rng: &mut ChaCha8Rng, j: usize) -> Shocks {
        rng.set_word_pos(j as u128 * YEAR_WORDS);
        let mut z = [0.0; DRIVERS];
        for v in z.iter_mut() {
            *v = StandardNormal.sample(rng);
        }
        if let Some((chi2, scale)) = &self.student {
            let w: f64 = chi2.sample(rng);
            let f = scale / w.sqrt();
            z.iter_mut().for_each(|v| *v *= f);
        }
        let mut eps = [0.0; DRIVERS];
        for (i, e) in eps.iter_mut().enumerate() {
            *e = (0..=i).map(|k| self.chol[i][k] * z[k]).sum();
        }
        let u: f64 = StandardUniform.sample(rng);
        let ze: f64 = StandardNormal.sample(rng);
        let epidemic = if u < self.epi_probability {
            (self.epi_ln_median + self.epi_sigma * ze).exp()
        } else {
            0.0
        };
        Shocks { eps, epidemic }
    }

    /// Advance the drivers to year index `j ≥ 1` (MODEL.md §9, §12).
    #[inline]
    pub fn step(&self, j: usize, st: &mut DriverState, s: &Shocks) -> YearDrivers {
        use idx::*;
        let e = &s.eps;
        st.wage_dev = self.wage.phi * st.wage_dev + self.wage.sigma * e[WAGE];
        st.medical_dev = self.medical.phi * st.medical_dev + self.medical.sigma * e[MEDICAL];
        st.interest_dev = self.interest.phi * st.interest_dev + self.interest.sigma * e[INTEREST];
        let f = &self.fertility;
        st.tfr = (f.mean[j] + f.phi * (st.tfr - f.mean[j - 1]) + f.sigma * e[FERTILITY]).max(0.0);
        st.k += self.mortality_drift[j] + self.mortality_sigma * e[MORTALITY];
        YearDrivers {
            wage_growth: self.wage.mean[j] + st.wage_dev,
            medical_growth: self.medical.mean[j] + st.medical_dev,
            interest: self.interest.mean[j] + st.interest_dev,
            k: st.k,
            tfr: st.tfr,
            migration: self.migration[j] * (1.0 + self.migration_sigma * e[MIGRATION]),
            epidemic: s.epidemic,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eye() -> Vec<Vec<f64>> {
        (0..6)
            .map(|i| (0..6).map(|j| f64::from(u8::from(i == j))).collect())
            .collect()
    }

    #[test]
    fn cholesky_refuses_bad_matrices() {
        assert!(cholesky(&eye()).is_ok());
        let mut m = eye();
        m[0][1] = 0.5;
        assert!(cholesky(&m).unwrap_err().starts_with("not symmetric"));
        let mut m = eye();
        m[2][2] = 0.9;
        assert!(
            cholesky(&m)
                .unwrap_err()
                .starts_with("diagonal element [2][2]")
        );
        let mut m = eye();
        for (i, j) in [(0, 1), (1, 2), (0, 2)] {
            m[i][j] = if (i, j) == (0, 2) { -0.9 } else { 0.9 };
            m[j][i] = m[i][j];
        }
        assert!(
            cholesky(&m)
                .unwrap_err()
                .starts_with("not positive definite")
        );
    }
}
