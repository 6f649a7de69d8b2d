//! Driver statistics (MODEL.md §6, §9, §12), read back from the engine's output on a toy
//! region where only the driver under test is random (see `common::recover`):
//! the AR(1) drivers' lag-1 autocorrelation is φ and their long-run sd `σ/√(1−φ²)` around
//! the mean; the mortality index moves by its drift with sd σ; migration is
//! `level·(1 + σ·ε)`; epidemics come in the set share of years with the set median severity,
//! the same for both funds.
//!
//! Tolerances are 4.5 standard errors of each estimate (two-sided normal tail 6.8e-6 per
//! check; about 25 checks, so under 2e-4 that a correct engine fails one). Seeds are fixed,
//! so the outcome is deterministic.

mod common;

use common::{recover, toy};
use fundsim::engine::{self, YearRecord};
use fundsim::resolve::Model;

const K: f64 = 4.5;
const HORIZON: i32 = 2100;
const PATHS: usize = 200;

fn run(m: &Model, seed: u64, paths: usize) -> (Vec<YearRecord>, Vec<Vec<YearRecord>>) {
    let (det, _) = engine::deterministic(m);
    let p = engine::simulate(m, seed, 0, paths, &|_| {});
    (det, (0..paths).map(|k| p.path(k)).collect())
}

fn within(what: &str, got: f64, want: f64, se: f64) {
    assert!(
        (got - want).abs() <= K * se,
        "{what}: {got} vs {want} (se {se}, tolerance {K} se)"
    );
}

/// Check an AR(1) series (one vector per path, consecutive years, already stationary)
/// around a known mean: mean deviation 0, lag-1 autocorrelation φ, sd `σ/√(1−φ²)`.
fn check_ar1(name: &str, series: &[Vec<f64>], mean: f64, phi: f64, sigma: f64) {
    let (mut sxy, mut sxx, mut s1, mut s2, mut m, mut n) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for x in series {
        for (t, v) in x.iter().enumerate() {
            let d = v - mean;
            s1 += d;
            s2 += d * d;
            m += 1.0;
            if t > 0 {
                let prev = x[t - 1] - mean;
                sxy += d * prev;
                sxx += prev * prev;
                n += 1.0;
            }
        }
    }
    let sd_long = sigma / (1.0 - phi * phi).sqrt();
    // SE of the mean of an AR(1): long-run sd σ/(1−φ) over √m.
    within(
        &format!("{name} mean"),
        s1 / m,
        0.0,
        sigma / (1.0 - phi) / m.sqrt(),
    );
    // SE of the least-squares φ̂: √((1−φ²)/n).
    within(
        &format!("{name} lag-1 autocorrelation"),
        sxy / sxx,
        phi,
        ((1.0 - phi * phi) / n).sqrt(),
    );
    // SE of the sample sd of an AR(1): sd·√((1+φ²)/(2m(1−φ²))).
    within(
        &format!("{name} long-run sd"),
        (s2 / m).sqrt(),
        sd_long,
        sd_long * ((1.0 + phi * phi) / (2.0 * m * (1.0 - phi * phi))).sqrt(),
    );
}

/// Years `from..=to` of a per-path, per-year quantity.
fn series(
    paths: &[Vec<YearRecord>],
    years: std::ops::RangeInclusive<usize>,
    f: impl Fn(&[YearRecord], usize) -> f64,
) -> Vec<Vec<f64>> {
    paths
        .iter()
        .map(|p| years.clone().map(|j| f(p, j)).collect())
        .collect()
}

#[test]
fn wage_medical_and_interest_are_ar1_with_the_set_phi_and_sigma() {
    // Years 20..=100: φ^40 ≤ 0.8^40 ≈ 1e-4 of the start-up transient is left.
    let stationary = 20..=100;
    let m = toy(
        HORIZON,
        0.01,
        &[("wage_growth", "{ mean = 0.05, phi = 0.5, sigma = 0.01 }")],
    );
    let (det, paths) = run(&m, 1, PATHS);
    let g = series(&paths, stationary.clone(), |p, j| {
        recover::wage_growth(p, &det, j, 0.05)
    });
    check_ar1("wage growth", &g, 0.05, 0.5, 0.01);

    let m = toy(
        HORIZON,
        0.01,
        &[("medical_growth", "{ mean = 0.04, phi = 0.6, sigma = 0.02 }")],
    );
    let (det, paths) = run(&m, 2, PATHS);
    let g = series(&paths, stationary.clone(), |p, j| {
        recover::medical_growth(p, &det, j, 0.04)
    });
    check_ar1("medical growth", &g, 0.04, 0.6, 0.02);

    let m = toy(
        HORIZON,
        0.01,
        &[("interest", "{ mean = 0.02, phi = 0.8, sigma = 0.003 }")],
    );
    let (_, paths) = run(&m, 3, PATHS);
    let r = series(&paths, stationary, recover::interest);
    check_ar1("interest", &r, 0.02, 0.8, 0.003);
}

#[test]
fn fertility_is_ar1_with_the_set_phi_and_sigma() {
    // No deaths or migration: the population grows by the births, TFR × the 1000 women aged
    // 49 at the start of the year (base-year cohorts up to year 50).
    let m = toy(
        2050,
        0.0,
        &[("fertility", "{ mean = 1.5, phi = 0.7, sigma = 0.1 }")],
    );
    let (_, paths) = run(&m, 4, 2 * PATHS);
    let tfr = series(&paths, 15..=50, |p, j| recover::growth(p, j) / 1000.0);
    check_ar1("TFR", &tfr, 1.5, 0.7, 0.1);
}

#[test]
fn mortality_index_is_a_random_walk_with_the_set_drift_and_sigma() {
    let (drift, sigma) = (0.02, 0.01);
    let m = toy(
        HORIZON,
        0.01,
        &[
            ("mortality", "{ drift = 0.02, sigma = 0.01 }"),
            ("fertility", "{ mean = 0.0 }"),
        ],
    );
    let (_, paths) = run(&m, 5, PATHS);
    // k(0) = 0; increments k(j) − k(j−1) are i.i.d. N(drift, σ²).
    let k = series(&paths, 0..=100, |p, j| {
        if j == 0 {
            0.0
        } else {
            recover::mortality_index(p, j, 0.01)
        }
    });
    let steps: Vec<Vec<f64>> = k
        .iter()
        .map(|x| x.windows(2).map(|w| w[1] - w[0]).collect())
        .collect();
    check_ar1("mortality index increments", &steps, drift, 0.0, sigma);
}

#[test]
fn migration_is_level_times_one_plus_sigma_epsilon() {
    let (level, sigma) = (10_000.0, 0.3);
    let m = toy(
        HORIZON,
        0.0,
        &[
            ("migration", "{ level = 10000, sigma = 0.3 }"),
            ("fertility", "{ mean = 0.0 }"),
        ],
    );
    let (_, paths) = run(&m, 6, PATHS);
    let mig = series(&paths, 1..=100, recover::growth);
    check_ar1("migration", &mig, level, 0.0, level * sigma);
}

#[test]
fn epidemics_come_with_the_set_probability_and_median_in_both_funds() {
    let (p, median, sigma) = (0.2f64, 0.1f64, 0.5f64);
    let m = toy(
        HORIZON,
        0.01,
        &[(
            "epidemic",
            "{ probability = 0.2, median = 0.1, sigma = 0.5 }",
        )],
    );
    let (det, paths) = run(&m, 7, PATHS);
    let mut logs = Vec::new();
    let mut years = 0usize;
    for path in &paths {
        for j in 1..m.years {
            years += 1;
            let resident = recover::epidemic(path, &det, j, 1);
            let employee = recover::epidemic(path, &det, j, 0);
            // Claims are the whole spending of both funds here: the same factor.
            assert!(
                (resident - employee).abs() < 1e-9,
                "year {j}: {resident} vs {employee}"
            );
            if resident > 1e-12 {
                logs.push(resident.ln());
            } else {
                assert!(resident.abs() < 1e-12, "year {j}: {resident}");
            }
        }
    }
    let n = years as f64;
    let share = logs.len() as f64 / n;
    within(
        "share of epidemic years",
        share,
        p,
        (p * (1.0 - p) / n).sqrt(),
    );
    let ne = logs.len() as f64;
    // Sample median of ln(severity) ~ N(ln median, σ²): SE √(π/2)·σ/√n.
    let med = fundsim::decision::median(&logs);
    within(
        "median log severity",
        med,
        median.ln(),
        (std::f64::consts::PI / 2.0).sqrt() * sigma / ne.sqrt(),
    );
    let (_, sd) = fundsim::summary::mean_sd(&logs);
    within("sd of log severity", sd, sigma, sigma / (2.0 * ne).sqrt());
}
