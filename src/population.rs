//! Cohort-component projection (MODEL.md §3): mortality with a Lee–Carter-style index,
//! ageing, births, net migration, clipping at 0.
//!
//! State is one flat array of 202 cells: males at ages 0..=100, then females.

use crate::scenario::ages::AGES;

/// Number of cells: two sexes × 101 ages.
pub const CELLS: usize = 2 * AGES;
/// Offset of the female block.
pub const FEMALE: usize = AGES;

/// A population by sex and single age (MODEL.md §3), males first.
pub type Cells = [f64; CELLS];

/// Fixed inputs of the population step (MODEL.md §3).
#[derive(Debug, Clone)]
pub struct PopulationModel {
    /// Base life table `q0(s,x)`.
    pub q0: Cells,
    /// Improvement weights `b(x)` (same for both sexes).
    pub b: [f64; AGES],
    /// `Some(b)` when `b(x)` is the same at every age: one `exp` per year instead of 202.
    pub b_uniform: Option<f64>,
    /// Fertility shape `f(x)`.
    pub fertility: [f64; AGES],
    /// Share of births by sex `[σmale, σfemale]` used by [`PopulationModel::step`] (the
    /// engine passes each year's own share to [`PopulationModel::step_with`]).
    pub birth_share: [f64; 2],
    /// Migration shape `m(s,x)` (sums to 1).
    pub migration: Cells,
}

impl PopulationModel {
    /// Mortality `q(s,x,t) = min(1, q0·exp(−b(x)·k))` into `q`.
    #[inline(always)]
    pub fn mortality(&self, k: f64, q: &mut Cells) {
        match self.b_uniform {
            Some(b) => {
                let f = (-b * k).exp();
                for (qi, &q0) in q.iter_mut().zip(&self.q0) {
                    *qi = (q0 * f).min(1.0);
                }
            }
            None => {
                for s in 0..2 {
                    for x in 0..AGES {
                        let i = s * AGES + x;
                        q[i] = (self.q0[i] * (-self.b[x] * k).exp()).min(1.0);
                    }
                }
            }
        }
    }

    /// Project `from` (end of year t−1) into `to` (end of year t) with mortality index `k`,
    /// total fertility `tfr` and net migration `mig` (MODEL.md §3, order of §12); `q` is
    /// scratch for the year's mortality. Returns the number of persons clipped at 0 after
    /// migration. Sums use four fixed lanes, so results do not depend on the machine's
    /// vector width.
    #[inline(always)]
    pub fn step(
        &self,
        from: &Cells,
        to: &mut Cells,
        k: f64,
        tfr: f64,
        mig: f64,
        q: &mut Cells,
    ) -> f64 {
        self.step_with(from, to, k, tfr, self.birth_share, mig, q)
    }

    /// [`PopulationModel::step`] with the year's share of births by sex (the sex ratio at
    /// birth may be dated, MODEL.md §2–3).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub fn step_with(
        &self,
        from: &Cells,
        to: &mut Cells,
        k: f64,
        tfr: f64,
        birth_share: [f64; 2],
        mig: f64,
        q: &mut Cells,
    ) -> f64 {
        self.mortality(k, q);
        // Births from start-of-year women (f is zero outside 15..=49).
        let mut lanes = [0.0; 4];
        let (f, w) = (&self.fertility[15..51], &from[FEMALE + 15..FEMALE + 51]);
        for (fc, wc) in f.chunks_exact(4).zip(w.chunks_exact(4)) {
            for l in 0..4 {
                lanes[l] += fc[l] * wc[l];
            }
        }
        let births = tfr * ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]));
        for s in 0..2 {
            let o = s * AGES;
            let (src, qq, dst) = (&from[o..o + AGES], &q[o..o + AGES], &mut to[o..o + AGES]);
            for x in 1..AGES - 1 {
                dst[x] = src[x - 1] * (1.0 - qq[x - 1]);
            }
            dst[100] = src[99] * (1.0 - qq[99]) + src[100] * (1.0 - qq[100]);
            dst[0] = births * birth_share[s] * (1.0 - qq[0] / 2.0);
        }
        if mig == 0.0 {
            return 0.0;
        }
        let mut clipped = [0.0; 2];
        for (pc, mc) in to.chunks_exact_mut(2).zip(self.migration.chunks_exact(2)) {
            for h in 0..2 {
                let v = pc[h] + mig * mc[h];
                clipped[h] += (-v).max(0.0);
                pc[h] = v.max(0.0);
            }
        }
        clipped[0] + clipped[1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(q: f64) -> PopulationModel {
        PopulationModel {
            q0: [q; CELLS],
            b: [1.0; AGES],
            b_uniform: Some(1.0),
            fertility: [0.0; AGES],
            birth_share: [0.5, 0.5],
            migration: [1.0 / CELLS as f64; CELLS],
        }
    }

    #[test]
    fn zero_mortality_fertility_migration_only_ages() {
        let m = model(0.0);
        let mut before = [0.0; CELLS];
        for (i, v) in before.iter_mut().enumerate() {
            *v = (i % 7 + 1) as f64 * 10.0;
        }
        let mut p = [0.0; CELLS];
        let total: f64 = before.iter().sum();
        let mut q = [0.0; CELLS];
        let clipped = m.step(&before, &mut p, 0.0, 0.0, 0.0, &mut q);
        assert_eq!(clipped, 0.0);
        for s in 0..2 {
            let o = s * AGES;
            assert_eq!(p[o], 0.0);
            for x in 1..100 {
                assert_eq!(p[o + x], before[o + x - 1]);
            }
            assert_eq!(p[o + 100], before[o + 99] + before[o + 100]);
        }
        let after: f64 = p.iter().sum();
        assert!((after - total).abs() < 1e-9);
    }

    #[test]
    fn deaths_and_clipping_are_accounted() {
        let m = model(0.1);
        let mut p = [0.0; CELLS];
        let mut q = [0.0; CELLS];
        let clipped = m.step(
            &[100.0; CELLS],
            &mut p,
            0.0,
            0.0,
            -100.0 * CELLS as f64,
            &mut q,
        );
        // After ageing: age 0 has no births (0), ages 1..=99 hold 90, the open group 180.
        // Migration removes 100 from every cell: ages 0..=99 clip (100 + 99 × 10 per sex),
        // the open group keeps 80.
        assert!(
            (clipped - 2.0 * (100.0 + 99.0 * 10.0)).abs() < 1e-9,
            "{clipped}"
        );
        for s in 0..2 {
            assert!(p[s * AGES..s * AGES + 100].iter().all(|&v| v == 0.0));
            assert!((p[s * AGES + 100] - 80.0).abs() < 1e-9);
        }
    }
}
