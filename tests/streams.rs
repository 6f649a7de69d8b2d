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
/// on a toy region where only wage growth is random (φ = 0, identity correlation), the
/// path's wage growth gives back `z₀` of every year; where only migration is random,
/// the population gives back `z₅`; with frequent epidemics, spending gives back the
/// epidemic drawn from the 7th and 8th numbers (after the χ² draw for Student-t).
#[test]
fn innovations_read_back_from_the_output_follow_the_recipe() {
    let (seed, first, count) = (42u64, 1000u64, 64usize);
    let (sigma, level, msig) = (0.01, 10_000.0, 0.2);
    for t in [None, Some(7.0f64)] {
        let innovations = match t {
            None => String::from("\"normal\""),
            Some(nu) => format!("\"student-t\"\ndegrees_of_freedom = {nu:?}"),
        };
        let wage = toy(
            2030,
            0.01,
            &[
                ("wage_growth", "{ mean = 0.05, phi = 0.0, sigma = 0.01 }"),
                ("innovations", &innovations),
                (
                    "epidemic",
                    "{ probability = 0.5, median = 0.1, sigma = 0.5 }",
                ),
            ],
        );
        let mig = toy(
            2030,
            0.0,
            &[
                (
                    "migration",
                    &format!("{{ level = {level:?}, sigma = {msig:?} }}"),
                ),
                ("fertility", "{ mean = 0.0 }"),
                ("innovations", &innovations),
            ],
        );
        let scale = |d: &Draws| match (t, d.chi2) {
            (Some(nu), Some(w)) => (nu - 2.0).sqrt() / w.sqrt(),
            _ => 1.0,
        };
        let (wd, _) = engine::deterministic(&wage);
        let (md, _) = engine::deterministic(&mig);
        let wp = engine::simulate(&wage, seed, first, count, &|_| {});
        let mp = engine::simulate(&mig, seed, first, count, &|_| {});
        let mut epidemics = 0;
        for k in 0..count {
            let (w, g) = (wp.path(k), mp.path(k));
            for j in 1..wage.years {
                let d = draws(seed, first + k as u64, j, t);
                let f = scale(&d);
                let z0 = (recover::wage_growth(&w, &wd, j, 0.05) - 0.05) / sigma;
                assert!(
                    (z0 - f * d.z[0]).abs() < 1e-8,
                    "{t:?} path {k} year {j}: wage innovation {z0} vs z0 = {}",
                    f * d.z[0]
                );
                let z5 = (recover::growth(&g, j) - recover::growth(&md, j)) / (level * msig);
                assert!(
                    (z5 - f * d.z[5]).abs() < 1e-8,
                    "{t:?} path {k} year {j}: migration innovation {z5} vs z5 = {}",
                    f * d.z[5]
                );
                let epi = recover::epidemic(&w, &wd, j, 1);
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
