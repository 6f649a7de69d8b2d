//! The random-stream contract (README "Model decisions", MODEL.md §10), rebuilt by hand from
//! its documented recipe: path `i` draws from `ChaCha8Rng::seed_from_u64(seed)` with
//! `set_stream(i)`; year `j`'s draws start at word `256·j`; per year six standard normals
//! `z`, then (Student-t only) one χ²(ν) draw `W` scaling `z` by `√((ν−2)/W)`, then the
//! epidemic's uniform `u` and normal `ze`; `ε = L·z` with `L` the Cholesky factor of the
//! correlation matrix; an epidemic year when `u < p`, with claims raised by
//! `exp(ln(median) + σ·ze)`.

mod common;

use common::{model, recover, toy};
use fundsim::drivers::{Shocks, cholesky};
use fundsim::engine::{self, YearRecord};
use fundsim::resolve::Model;
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use rand_distr::{ChiSquared, Distribution, StandardNormal, StandardUniform};

/// One year's draws of one path, by the documented recipe.
struct Draws {
    z: [f64; 6],
    chi2: Option<f64>,
    u: f64,
    ze: f64,
}

fn draws(seed: u64, path: u64, year: usize, nu: Option<f64>) -> Draws {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(path);
    rng.set_word_pos(256 * year as u128);
    let z: [f64; 6] = std::array::from_fn(|_| StandardNormal.sample(&mut rng));
    let chi2 = nu.map(|nu| ChiSquared::new(nu).unwrap().sample(&mut rng));
    let u = StandardUniform.sample(&mut rng);
    let ze = StandardNormal.sample(&mut rng);
    Draws { z, chi2, u, ze }
}

/// The shocks of one year from its draws: Student-t scaling, `ε = L·z`, the epidemic.
fn shocks(m: &Model, d: &Draws) -> Shocks {
    let s = &m.scenario.drivers;
    let mut z = d.z;
    if let (Some(w), fundsim::scenario::Innovations::StudentT(nu)) = (d.chi2, s.innovations) {
        let f = (nu - 2.0).sqrt() / w.sqrt();
        z.iter_mut().for_each(|v| *v *= f);
    }
    let l = cholesky(&s.correlation).unwrap();
    let eps = std::array::from_fn(|i| (0..=i).map(|k| l[i][k] * z[k]).sum());
    let e = &s.epidemic;
    let epidemic = if d.u < e.probability {
        (e.median.ln() + e.sigma * d.ze).exp()
    } else {
        0.0
    };
    Shocks { eps, epidemic }
}

fn bits(r: &YearRecord) -> Vec<u64> {
    let mut v = vec![
        r.population,
        r.aged_60_plus,
        r.actives,
        r.retirees,
        r.residents,
        r.subsidy_cost,
    ];
    for f in &r.fund {
        v.extend([
            f.contributions,
            f.other_income,
            f.interest,
            f.spending,
            f.balance,
        ]);
    }
    v.into_iter().map(f64::to_bits).collect()
}

fn nu(m: &Model) -> Option<f64> {
    match m.scenario.drivers.innovations {
        fundsim::scenario::Innovations::StudentT(nu) => Some(nu),
        fundsim::scenario::Innovations::Normal => None,
    }
}

/// Paths rebuilt by hand (draws by the recipe, fed to the engine's one-path step) equal the
/// engine's Monte Carlo paths bit for bit, for normal and Student-t innovations, with a
/// correlation matrix and frequent epidemics, on paths that do not start at 0.
#[test]
fn paths_rebuilt_from_the_documented_recipe_are_bit_identical() {
    let (seed, first, count) = (20201231u64, 5000u64, 300usize);
    for sets in [
        vec!["drivers.epidemic.probability=0.3"],
        vec![
            "drivers.epidemic.probability=0.3",
            "drivers.innovations=\"student-t\"",
            "drivers.degrees_of_freedom=5",
        ],
    ] {
        let m = model("scenarios/zhejiang-2020.toml", &sets);
        let paths = engine::simulate(&m, seed, first, count, &|_| {});
        let mut epidemics = 0;
        for k in [0usize, 1, 137, 256, 299] {
            let id = first + k as u64;
            let hand: Vec<Shocks> = (0..m.years)
                .map(|j| shocks(&m, &draws(seed, id, j, nu(&m))))
                .collect();
            epidemics += hand[1..].iter().filter(|s| s.epidemic > 0.0).count();
            let mut rebuilt = vec![YearRecord::default(); m.years];
            engine::run_path(&m, |j| hand[j], &mut rebuilt);
            let engine_path = paths.path(k);
            for j in 0..m.years {
                assert_eq!(
                    bits(&rebuilt[j]),
                    bits(&engine_path[j]),
                    "{sets:?}: path {id}, year {}",
                    m.year(j)
                );
            }
        }
        assert!(
            epidemics > 0,
            "no epidemic year drawn: the epidemic is untested"
        );
    }
}

/// The same contract read back from the engine's output alone, without its one-path step:
/// on a toy region where only one driver is random (φ = 0, identity correlation, so
/// `ε = z`), each driver's value in every year gives back its own innovation `z₀ … z₅` —
/// wage growth from contributions, medical growth from spending, interest from interest,
/// the mortality index from deaths, the TFR from births, migration from the population — and
/// spending gives back the epidemic drawn from the numbers after the six normals (and the
/// χ² draw for Student-t). A wrong stream, word offset, draw order, driver index or sign
/// fails here.
#[test]
fn innovations_read_back_from_the_output_follow_the_recipe() {
    let (seed, first, count) = (42u64, 1000u64, 48usize);
    for t in [None, Some(7.0f64)] {
        let innovations = match t {
            None => String::from("\"normal\""),
            Some(nu) => format!("\"student-t\"\ndegrees_of_freedom = {nu:?}"),
        };
        let innovations = ("innovations", innovations.as_str());
        let no_births = ("fertility", "{ mean = 0.0 }");
        // (driver index, model, innovation of year j from a path and the central path).
        type Read = Box<dyn Fn(&[YearRecord], &[YearRecord], usize) -> f64>;
        let drivers: Vec<(usize, Model, Read)> = vec![
            (
                0,
                toy(
                    2030,
                    0.01,
                    &[
                        ("wage_growth", "{ mean = 0.05, phi = 0.0, sigma = 0.01 }"),
                        innovations,
                    ],
                ),
                Box::new(|p, d, j| (recover::wage_growth(p, d, j, 0.05) - 0.05) / 0.01),
            ),
            (
                1,
                toy(
                    2030,
                    0.01,
                    &[
                        ("medical_growth", "{ mean = 0.04, phi = 0.0, sigma = 0.01 }"),
                        innovations,
                    ],
                ),
                Box::new(|p, d, j| (recover::medical_growth(p, d, j, 0.04) - 0.04) / 0.01),
            ),
            (
                2,
                toy(
                    2030,
                    0.01,
                    &[
                        ("interest", "{ mean = 0.02, phi = 0.0, sigma = 0.002 }"),
                        innovations,
                    ],
                ),
                Box::new(|p, _, j| (recover::interest(p, j) - 0.02) / 0.002),
            ),
            (
                3,
                toy(
                    2030,
                    0.01,
                    &[
                        ("mortality", "{ drift = 0.02, sigma = 0.01 }"),
                        no_births,
                        innovations,
                    ],
                ),
                Box::new(|p, _, j| {
                    let k0 = if j == 1 {
                        0.0
                    } else {
                        recover::mortality_index(p, j - 1, 0.01)
                    };
                    (recover::mortality_index(p, j, 0.01) - k0 - 0.02) / 0.01
                }),
            ),
            (
                4,
                toy(
                    2030,
                    0.0,
                    &[
                        ("fertility", "{ mean = 1.5, phi = 0.0, sigma = 0.1 }"),
                        innovations,
                    ],
                ),
                // Births = TFR × the 1000 base-year women aged 49 (no deaths, no migration).
                Box::new(|p, _, j| (recover::growth(p, j) / 1000.0 - 1.5) / 0.1),
            ),
            (
                5,
                toy(
                    2030,
                    0.0,
                    &[
                        ("migration", "{ level = 10000, sigma = 0.2 }"),
                        no_births,
                        innovations,
                    ],
                ),
                Box::new(|p, d, j| {
                    (recover::growth(p, j) - recover::growth(d, j)) / (10000.0 * 0.2)
                }),
            ),
        ];
        let scale = |d: &Draws| match (t, d.chi2) {
            (Some(nu), Some(w)) => (nu - 2.0).sqrt() / w.sqrt(),
            _ => 1.0,
        };
        for (i, m, read) in &drivers {
            let (det, _) = engine::deterministic(m);
            let paths = engine::simulate(m, seed, first, count, &|_| {});
            for k in 0..count {
                let p = paths.path(k);
                for j in 1..m.years {
                    let d = draws(seed, first + k as u64, j, t);
                    let (got, want) = (read(&p, &det, j), scale(&d) * d.z[*i]);
                    assert!(
                        (got - want).abs() < 1e-8,
                        "{t:?} driver {i} path {k} year {j}: innovation {got} vs z{i} = {want}"
                    );
                }
            }
        }
        // Epidemics: probability 0.5, median 0.1, σ 0.5, read from the resident spending.
        let m = toy(
            2030,
            0.01,
            &[
                (
                    "epidemic",
                    "{ probability = 0.5, median = 0.1, sigma = 0.5 }",
                ),
                innovations,
            ],
        );
        let (det, _) = engine::deterministic(&m);
        let paths = engine::simulate(&m, seed, first, count, &|_| {});
        let mut epidemics = 0;
        for k in 0..count {
            let p = paths.path(k);
            for j in 1..m.years {
                let d = draws(seed, first + k as u64, j, t);
                let epi = recover::epidemic(&p, &det, j, 1);
                let want = if d.u < 0.5 {
                    (0.1f64.ln() + 0.5 * d.ze).exp()
                } else {
                    0.0
                };
                epidemics += usize::from(want > 0.0);
                assert!(
                    (epi - want).abs() < 1e-9,
                    "{t:?} path {k} year {j}: epidemic {epi} vs {want}"
                );
            }
        }
        assert!(epidemics > 100, "{epidemics} epidemic years");
    }
}
