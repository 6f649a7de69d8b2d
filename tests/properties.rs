//! Property tests: quantiles equal NumPy's linear rule on any sample; the cohort step
//! conserves persons without deaths, births or migration; time-dated parameters stay
//! within the range of their listed values.

use fundsim::population::{CELLS, PopulationModel};
use fundsim::summary::{QUANTILES, quantiles};
use proptest::prelude::*;

fn numpy_linear(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

proptest! {
    #[test]
    fn quantiles_equal_the_sorted_rule(
        mut x in prop::collection::vec(prop_oneof![-1e6..1e6f64, Just(0.0), Just(1.0)], 1..400)
    ) {
        let mut sorted = x.clone();
        sorted.sort_by(f64::total_cmp);
        let probs: Vec<f64> = QUANTILES.iter().map(|q| q.0).collect();
        let q = quantiles(&mut x, &probs);
        for (p, v) in probs.iter().zip(q) {
            prop_assert_eq!(v.to_bits(), numpy_linear(&sorted, *p).to_bits());
        }
    }

    #[test]
    fn cohort_step_conserves_persons(pop in prop::collection::vec(0.0..1e6f64, CELLS)) {
        let m = PopulationModel {
            q0: [0.0; CELLS],
            b: [1.0; 101],
            b_uniform: Some(1.0),
            fertility: [0.0; 101],
            birth_share: [0.5, 0.5],
            migration: [1.0 / CELLS as f64; CELLS],
        };
        let from: [f64; CELLS] = pop.try_into().unwrap();
        let (mut to, mut q) = ([0.0; CELLS], [0.0; CELLS]);
        m.step(&from, &mut to, 0.3, 1.5, 0.0, &mut q);
        let (a, b): (f64, f64) = (from.iter().sum(), to.iter().sum());
        prop_assert!((a - b).abs() <= 1e-9 * a.max(1.0));
    }

    #[test]
    fn dated_parameters_stay_within_their_values(
        v0 in -1.0..1.0f64, v1 in -1.0..1.0f64, y in 2015..2045i32
    ) {
        let text = format!("[x]\np = {{ 2020 = {v0:?}, 2030 = {v1:?} }}\n");
        let root = fundsim::scenario::tree::parse(&text, "t.toml").unwrap();
        let fundsim::scenario::tree::Kind::Table(t) = &root.kind else { unreachable!() };
        let fundsim::scenario::tree::Kind::Table(x) = &t["x"].kind else { unreachable!() };
        let p = fundsim::param::Param::read(
            &x["p"], "x.p", fundsim::scenario::read::Check::Finite, (2020, 2035),
        ).unwrap();
        let v = p.value_at(y);
        prop_assert!(v >= v0.min(v1) - 1e-12 && v <= v0.max(v1) + 1e-12);
    }
}
