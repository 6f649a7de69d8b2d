//! Scheme membership (MODEL.md §4) folded with the per-age income and cost curves into
//! per-year weight vectors, so that a path's year needs only dot products with its
//! population.

use crate::population::{CELLS, Cells};
use crate::scenario::Scenario;
use crate::scenario::ages::AGES;

/// Per-cell weights of one year (MODEL.md §4–6), each multiplied by the end-of-year
/// population and summed in [`YearWeights::totals`].
#[derive(Debug, Clone)]
pub struct YearWeights {
    /// Per cell: `[1, aged 60+, actives emp·(1−ρ), retirees emp·ρ, residents
    /// max(0, cov − emp), contribution units emp·(1−ρ)·wrel, employee claims
    /// emp·(1−ρ)·c_act + emp·ρ·c_ret, resident claims max(0, cov − emp)·c_res]`.
    pub packed: [[f64; 8]; CELLS],
}

/// The sums of one year: population and membership counts, and the income and claims
/// aggregates before prices (MODEL.md §4–6).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Totals {
    /// Population.
    pub population: f64,
    /// Population aged 60+.
    pub aged_60_plus: f64,
    /// Active employee members.
    pub actives: f64,
    /// Retired employee members.
    pub retirees: f64,
    /// Resident members.
    pub residents: f64,
    /// Σ A·wrel.
    pub contribution_units: f64,
    /// Σ A·c_act + Rt·c_ret.
    pub claims_employee: f64,
    /// Σ Res·c_res.
    pub claims_resident: f64,
}

impl YearWeights {
    /// Weights for year `t` (MODEL.md §4).
    pub fn new(s: &Scenario, t: i32) -> Self {
        let m = &s.membership;
        let escale = m.employee_scale.value_at(t);
        let cov = m.coverage.value_at(t);
        let ret_age = [
            m.retirement_age_male.value_at(t),
            m.retirement_age_female.value_at(t),
        ];
        let e = &s.employee;
        let mut w = YearWeights {
            packed: [[0.0; 8]; CELLS],
        };
        let share = m.employee_share.by_sex();
        let wrel = e.wage_relativity.by_sex();
        let (c_act, c_ret) = (e.cost_active.by_sex(), e.cost_retiree.by_sex());
        let c_res = s.resident.cost.by_sex();
        for sex in 0..2 {
            for x in 0..AGES {
                let i = sex * AGES + x;
                let emp = (share[sex][x] * escale).min(1.0);
                let rho = (x as f64 + 1.0 - ret_age[sex]).clamp(0.0, 1.0);
                let (a, r, res) = (emp * (1.0 - rho), emp * rho, (cov - emp).max(0.0));
                w.packed[i] = [
                    1.0,
                    f64::from(u8::from(x >= 60)),
                    a,
                    r,
                    res,
                    a * wrel[sex][x],
                    a * c_act[sex][x] + r * c_ret[sex][x],
                    res * c_res[sex][x],
                ];
            }
        }
        w
    }

    /// All sums for population `p` in one pass over the cells. Even and odd cells add into
    /// separate accumulators, combined at the end: a fixed order of additions, so the result
    /// does not depend on the machine.
    #[inline(always)]
    pub fn totals(&self, p: &Cells) -> Totals {
        let mut acc = [[0.0f64; 8]; 2];
        for (pc, wc) in p.chunks_exact(2).zip(self.packed.chunks_exact(2)) {
            for h in 0..2 {
                let v = pc[h];
                for k in 0..8 {
                    acc[h][k] += v * wc[h][k];
                }
            }
        }
        let s = |k: usize| acc[0][k] + acc[1][k];
        Totals {
            population: s(0),
            aged_60_plus: s(1),
            actives: s(2),
            retirees: s(3),
            residents: s(4),
            contribution_units: s(5),
            claims_employee: s(6),
            claims_resident: s(7),
        }
    }
}
