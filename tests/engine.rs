//! The projection engine: accounting identities, demographic conservation, closed forms,
//! calibration, and the Monte Carlo contract (MODEL.md §3–10).

mod common;

use fundsim::drivers::Shocks;
use fundsim::engine::{self, Paths, YearRecord};
use fundsim::export::TidyRow;
use fundsim::resolve::Model;
use fundsim::scenario;
use fundsim::summary;
use std::collections::HashMap;

fn model(file: &str, sets: &[&str]) -> Model {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let s = scenario::load(file, &sets).unwrap_or_else(|e| panic!("{e}"));
    Model::new(&s).unwrap_or_else(|e| panic!("{e}"))
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1.0)
}

const SCENARIOS: [&str; 3] = [
    "tests/fixtures/tiny.toml",
    "scenarios/zhejiang-2020.toml",
    "scenarios/zhoukou-2020.toml",
];

#[test]
fn accounting_identity_every_year() {
    for file in SCENARIOS {
        let m = model(file, &[]);
        let (det, _) = engine::deterministic(&m);
        let paths = engine::simulate(&m, 11, 0, 50, &|_| {});
        let mut all: Vec<Vec<YearRecord>> = vec![det];
        for p in 0..50 {
            all.push(paths.path(p));
        }
        for recs in &all {
            for j in 1..recs.len() {
                for f in 0..2 {
                    let (y, b0) = (recs[j].fund[f], recs[j - 1].fund[f].balance);
                    let lhs = y.balance - b0;
                    let rhs = y.contributions + y.other_income + y.interest - y.spending;
                    assert!(
                        (lhs - rhs).abs() <= 1e-9 * y.balance.abs().max(b0.abs()).max(y.spending),
                        "{file} year {j} fund {f}: {lhs} vs {rhs}"
                    );
                }
            }
        }
    }
}

#[test]
fn without_mortality_fertility_migration_the_population_only_ages() {
    let m = model(
        "tests/fixtures/tiny.toml",
        &[
            "population.life_table=0",
            "drivers.fertility.mean=0",
            "drivers.migration.level=0",
        ],
    );
    let (det, clipped) = engine::deterministic(&m);
    assert_eq!(clipped, 0.0);
    // 1000 persons per age and sex: each year one more single-age cohort of 2000 turns 60,
    // nobody dies, nobody is born, nobody moves.
    for (j, r) in det.iter().enumerate() {
        assert_eq!(r.population, 202_000.0, "year {j}");
        assert_eq!(r.aged_60_plus, 82_000.0 + 2000.0 * j as f64, "year {j}");
    }
}

#[test]
fn frozen_population_matches_closed_form() {
    let m = model("tests/fixtures/frozen.toml", &[]);
    let (det, _) = engine::deterministic(&m);
    let (r, g) = (0.02f64, 0.04f64);
    for f in 0..2 {
        let (c, s0, b0) = (
            det[1].fund[f].contributions,
            det[0].fund[f].spending,
            det[0].fund[f].balance,
        );
        // Everyone is retired or a resident: contributions are constant, claims grow with H.
        let non_claims = if f == 0 {
            det[0].retirees * 40_000.0 * 0.02
        } else {
            det[0].residents * 40.0
        };
        let claims0 = s0 - non_claims;
        let mut b = b0;
        for (j, rec) in det.iter().enumerate().skip(1) {
            let s = claims0 * (1.0 + g).powi(j as i32) + non_claims;
            b = b * (1.0 + r) + (c - s) * (1.0 + r / 2.0);
            assert_eq!(rec.fund[f].contributions, c);
            assert!(rel(rec.fund[f].spending, s) < 1e-12, "fund {f} year {j}");
            assert!(
                rel(rec.fund[f].balance, b) < 1e-9,
                "fund {f} year {j}: {} vs {b}",
                rec.fund[f].balance
            );
        }
    }
}

/// κ through the engine: on a frozen population with no cost growth and a policy factor
/// that is already 0.8 in the base year (a reform in force since 2015), every later year's
/// claims, account credit and 大病 transfer equal the base year's, so the modelled spending
/// equals the observed one.
#[test]
fn kappa_reproduces_observed_base_year_spending_through_the_engine() {
    let reform = "[{ name = \"old\", start = 2015, ramp_years = 0, effect = -0.2 }]";
    let m = model(
        "tests/fixtures/frozen.toml",
        &[
            "drivers.medical_growth.mean=0",
            &format!("employee.reforms={reform}"),
            &format!("resident.reforms={reform}"),
        ],
    );
    assert!((m.employee.kappa - 1.0).abs() > 0.1 && (m.resident.kappa - 1.0).abs() > 0.1);
    let (det, _) = engine::deterministic(&m);
    let observed = [
        m.scenario
            .employee
            .base_spending
            .as_ref()
            .unwrap()
            .value_at(2020),
        m.scenario
            .resident
            .base_spending
            .as_ref()
            .unwrap()
            .value_at(2020),
    ];
    for f in 0..2 {
        assert_eq!(det[0].fund[f].spending, observed[f]);
        for rec in &det[1..] {
            assert!(
                rel(rec.fund[f].spending, observed[f]) < 1e-12,
                "fund {f}: {} vs observed {}",
                rec.fund[f].spending,
                observed[f]
            );
        }
    }
}

#[test]
fn zhoukou_base_year_months() {
    // 003_1391c439b343357d.txt: balance 55.87亿, spending 85.37亿 → 12 × 55.87 / 85.37 = 7.853.
    let m = model("scenarios/zhoukou-2020.toml", &[]);
    let (det, _) = engine::deterministic(&m);
    let months = summary::months_of(&det[0], 2);
    assert!((months - 7.85).abs() <= 0.01, "{months}");
}

fn index(rows: &[TidyRow]) -> HashMap<(String, i32, String, String), f64> {
    rows.iter()
        .map(|r| {
            (
                (r.fund.clone(), r.year, r.metric.clone(), r.stat.clone()),
                r.value,
            )
        })
        .collect()
}

#[test]
fn summaries_do_not_depend_on_thread_count() {
    let m = model("scenarios/zhejiang-2020.toml", &[]);
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let p = engine::simulate(&m, 5, 0, 1500, &|_| {});
            fundsim::export::to_csv(&summary::summarize(&m, &p))
        })
    };
    assert!(run(1) == run(4), "1 and 4 threads differ");
}

#[test]
fn paths_a_to_b_equal_that_slice_of_a_larger_run() {
    let m = model("scenarios/zhejiang-2020.toml", &[]);
    let big = engine::simulate(&m, 9, 0, 700, &|_| {});
    let part = engine::simulate(&m, 9, 300, 200, &|_| {});
    for k in 0..200 {
        assert_eq!(big.path(300 + k), part.path(k), "path {}", 300 + k);
    }
}

#[test]
fn zero_sigma_monte_carlo_equals_deterministic_path() {
    let m = model(
        "scenarios/zhejiang-2020.toml",
        &[
            "drivers.wage_growth.sigma=0",
            "drivers.medical_growth.sigma=0",
            "drivers.interest.sigma=0",
            "drivers.fertility.sigma=0",
            "drivers.mortality.sigma=0",
            "drivers.migration.sigma=0",
            "drivers.epidemic.probability=0",
        ],
    );
    let (det, c) = engine::deterministic(&m);
    let det = index(&summary::summarize(&m, &Paths::single(det, c)));
    let mc = summary::summarize(&m, &engine::simulate(&m, 3, 0, 64, &|_| {}));
    let mut compared = 0;
    for r in &mc {
        if summary::QUANTILES.iter().any(|q| q.1 == r.stat) {
            let d = det[&(
                r.fund.clone(),
                r.year,
                r.metric.clone(),
                "value".to_string(),
            )];
            assert_eq!(r.value.to_bits(), d.to_bits(), "{r:?} vs {d}");
            compared += 1;
        }
    }
    assert!(compared > 1000);
}

#[test]
fn innovations_match_the_correlation_matrix() {
    let m = model("scenarios/zhejiang-2020.toml", &[]);
    let corr = &m.scenario.drivers.correlation;
    let n = 40_000usize;
    let mut rng = <rand::rngs::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(1);
    let draws: Vec<Shocks> = (0..n)
        .map(|i| {
            rng.set_stream(i as u64);
            m.drivers.draw(&mut rng, 1)
        })
        .collect();
    let nf = n as f64;
    for a in 0..6 {
        let xa: Vec<f64> = draws.iter().map(|d| d.eps[a]).collect();
        let (mean, sd) = summary::mean_sd(&xa);
        assert!(mean.abs() < 4.0 / nf.sqrt(), "mean of driver {a}: {mean}");
        // Var of the sample variance of a normal: 2σ⁴/(n−1).
        assert!(
            (sd * sd - 1.0).abs() < 4.0 * (2.0 / nf).sqrt(),
            "variance of driver {a}: {}",
            sd * sd
        );
        for b in 0..a {
            let xb: Vec<f64> = draws.iter().map(|d| d.eps[b]).collect();
            let r = xa.iter().zip(&xb).map(|(x, y)| x * y).sum::<f64>() / nf;
            let rho = corr[a][b];
            let se = (1.0 - rho * rho) / nf.sqrt();
            assert!(
                (r - rho).abs() < 4.0 * se + 1e-12,
                "corr {a},{b}: {r} vs {rho}"
            );
        }
    }
}

#[test]
fn student_t_innovations_have_excess_kurtosis() {
    let m = model(
        "scenarios/zhejiang-2020.toml",
        &[
            "drivers.innovations=\"student-t\"",
            "drivers.degrees_of_freedom=5",
        ],
    );
    let n = 40_000usize;
    let mut rng = <rand::rngs::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(2);
    let x: Vec<f64> = (0..n)
        .map(|i| {
            rng.set_stream(i as u64);
            m.drivers.draw(&mut rng, 1).eps[0]
        })
        .collect();
    let (mean, sd) = summary::mean_sd(&x);
    let k = x.iter().map(|v| ((v - mean) / sd).powi(4)).sum::<f64>() / n as f64 - 3.0;
    // ν = 5: excess kurtosis 6/(ν − 4) = 6; a normal sample has 0 ± 4·√(24/n) ≈ 0.1.
    assert!(k > 1.0, "excess kurtosis {k}");
    assert!((sd - 1.0).abs() < 0.05, "scaled to unit variance: sd {sd}");
}

#[test]
fn migration_only_mean_balance_matches_its_expectation() {
    // With migration the only random driver, population, income and spending are linear in
    // the migration shocks (no clipping), so E[B(t)] is the deterministic balance.
    let m = model(
        "scenarios/zhejiang-2020.toml",
        &[
            "drivers.wage_growth.sigma=0",
            "drivers.medical_growth.sigma=0",
            "drivers.interest.sigma=0",
            "drivers.fertility.sigma=0",
            "drivers.mortality.sigma=0",
            "drivers.migration.sigma=0.5",
            "drivers.epidemic.probability=0",
        ],
    );
    let (det, _) = engine::deterministic(&m);
    let paths = engine::simulate(&m, 17, 0, 4000, &|_| {});
    assert_eq!(paths.clipped, 0.0);
    let last = m.years - 1;
    for f in 0..2 {
        let x: Vec<f64> = (0..paths.count)
            .map(|p| paths.path(p)[last].fund[f].balance)
            .collect();
        let (mean, sd) = summary::mean_sd(&x);
        let se = sd / (x.len() as f64).sqrt();
        assert!(se > 0.0);
        assert!(
            (mean - det[last].fund[f].balance).abs() < 4.0 * se,
            "fund {f}: {mean} vs {} (se {se})",
            det[last].fund[f].balance
        );
    }
}

#[test]
fn probabilities_carry_standard_errors() {
    let m = model("scenarios/zhejiang-2020.toml", &[]);
    let rows = summary::summarize(&m, &engine::simulate(&m, 1, 0, 400, &|_| {}));
    let ix = index(&rows);
    let y = m.scenario.region.horizon;
    for fund in ["employee", "resident", "combined"] {
        let total: f64 = fundsim::warning::Tier::ALL
            .iter()
            .map(|t| {
                ix[&(
                    fund.to_string(),
                    y,
                    "tier_prob".to_string(),
                    t.name().to_string(),
                )]
            })
            .sum();
        assert!((total - 1.0).abs() < 1e-12);
        let p = ix[&(
            fund.to_string(),
            y,
            "depleted_by".to_string(),
            "mean".to_string(),
        )];
        let se = ix[&(
            fund.to_string(),
            y,
            "depleted_by".to_string(),
            "se".to_string(),
        )];
        assert!((se - (p * (1.0 - p) / 400.0).sqrt()).abs() < 1e-15);
    }
}

/// Persons clipped at 0 after migration (MODEL.md §3.4) are counted through the engine: a
/// toy region of 1000 persons per age and sex, no deaths or births, losing 1500 per cell a
/// year (303,000 in all). Year 1: ages 1–99 hold 1000 after ageing (500 clipped each), age
/// 0 is empty (1500 clipped), age 100+ holds 2000 (none clipped): 2 × 51,000 = 102,000.
/// Year 2: only age 100+ holds 500; every younger cell clips 1500 and the open group 1000:
/// 2 × 151,000 = 302,000. Every Monte Carlo path (σ = 0) clips the same.
#[test]
fn clipped_persons_are_counted() {
    let m = common::toy(
        2002,
        0.0,
        &[
            ("fertility", "{ mean = 0.0 }"),
            ("migration", "{ level = -303000, sigma = 0.0 }"),
        ],
    );
    let (det, clipped) = engine::deterministic(&m);
    assert!(rel(clipped, 404_000.0) < 1e-9, "{clipped}");
    assert!(
        rel(det[1].population, 1000.0) < 1e-9,
        "{}",
        det[1].population
    );
    assert_eq!(det[2].population, 0.0);
    let paths = engine::simulate(&m, 1, 0, 300, &|_| {});
    assert!(
        rel(paths.clipped, 300.0 * 404_000.0) < 1e-9,
        "{}",
        paths.clipped
    );
}
