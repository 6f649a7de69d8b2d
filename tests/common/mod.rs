//! Helpers shared by the integration tests (each test file includes this module with
//! `mod common;` and uses only part of it).
#![allow(dead_code)]

use std::path::Path;

/// Compare `actual` with `tests/golden/<name>`. Only `UPDATE_GOLDEN=1` rewrites the file
/// (after review); any other value, or none, compares.
pub fn golden(name: &str, actual: &[u8]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs (UPDATE_GOLDEN=1 rewrites it after review)",
        path.display()
    );
}

/// A per-age inline array of 101 values (ages 0..=100): `rest` everywhere except the listed
/// `(age, value)` pairs, written as TOML.
pub fn ages(rest: f64, set: &[(usize, f64)]) -> String {
    let mut v = [rest; 101];
    for &(x, value) in set {
        v[x] = value;
    }
    let items: Vec<String> = v.iter().map(|x| format!("{x:?}")).collect();
    format!("[{}]", items.join(", "))
}

/// Load a scenario file with `--set`-style overrides and resolve it; panics with the
/// error's message.
pub fn model(file: &str, sets: &[&str]) -> fundsim::resolve::Model {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let s = fundsim::scenario::load(file, &sets).unwrap_or_else(|e| panic!("{e}"));
    fundsim::resolve::Model::new(&s).unwrap_or_else(|e| panic!("{e}"))
}

/// Resolve scenario text (no `extends`); panics with the error's message.
pub fn model_from_str(text: &str) -> fundsim::resolve::Model {
    let s = fundsim::scenario::from_str(text, "test.toml").unwrap_or_else(|e| panic!("{e}"));
    fundsim::resolve::Model::new(&s).unwrap_or_else(|e| panic!("{e}"))
}

/// Balance, spending and income (`C + other + I`) of fund `f` in one record (0 employee,
/// 1 resident, 2 both, MODEL.md §7).
pub fn fund(r: &fundsim::engine::YearRecord, f: usize) -> (f64, f64, f64) {
    let one = |y: &fundsim::finance::FundYear| {
        (
            y.balance,
            y.spending,
            y.contributions + y.other_income + y.interest,
        )
    };
    if f < 2 {
        one(&r.fund[f])
    } else {
        let (a, b) = (one(&r.fund[0]), one(&r.fund[1]));
        (a.0 + b.0, a.1 + b.1, a.2 + b.2)
    }
}

/// Months of reserve `12·B/S` of fund `f`.
pub fn months(r: &fundsim::engine::YearRecord, f: usize) -> f64 {
    let (b, s, _) = fund(r, f);
    12.0 * b / s
}

/// MODEL.md §8's tier table, written out: 0 depleted (B < 0), 1 insufficient (M < l0),
/// 2 low (M < l1), 3 reasonable (M ≤ l2), 4 high (M ≤ l3), 5 excess.
pub fn tier(balance: f64, months: f64, l: &[f64; 4]) -> usize {
    if balance < 0.0 {
        0
    } else if months < l[0] {
        1
    } else if months < l[1] {
        2
    } else if months <= l[2] {
        3
    } else if months <= l[3] {
        4
    } else {
        5
    }
}

/// NumPy's linear quantile of sorted values: `h = (n−1)p`, interpolate between order
/// statistics `⌊h⌋` and `⌊h⌋ + 1`.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// NumPy's linear quantile of a copy of `x`.
pub fn quantile(x: &[f64], p: f64) -> f64 {
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    quantile_sorted(&s, p)
}

/// Relative difference, with a floor of 1 on the scale.
pub fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1.0)
}

/// Drivers of [`toy`]: every driver constant (σ = 0), TFR 1.5 (so that there are workers
/// after 60 years), no migration; a test replaces the lines it needs by key.
const TOY_DRIVERS: [(&str, &str); 6] = [
    ("wage_growth", "{ mean = 0.05, phi = 0.0, sigma = 0.0 }"),
    ("medical_growth", "{ mean = 0.04, phi = 0.0, sigma = 0.0 }"),
    ("interest", "{ mean = 0.02, phi = 0.0, sigma = 0.0 }"),
    ("fertility", "{ mean = 1.5, phi = 0.0, sigma = 0.0 }"),
    ("mortality", "{ drift = 0.0, sigma = 0.0 }"),
    ("migration", "{ level = 0, sigma = 0.0 }"),
];

/// A toy region for driver tests, base year 2000 to `horizon`: 1000 persons at every age
/// and sex, life table `q0` at every age, all fertility at age 49 (so the women who give
/// birth in years 1..=50 are base-year cohorts of exactly 1000), migration spread evenly,
/// half the population in the employee scheme and everyone covered, no account credit and
/// no critical-illness transfer (spending is claims only), κ = 1. `drivers` are
/// `(key, TOML value)` lines of `[drivers]` that replace the constant defaults or add keys
/// (`epidemic`, `innovations`, ...).
pub fn toy(horizon: i32, q0: f64, drivers: &[(&str, &str)]) -> fundsim::resolve::Model {
    let mut lines: Vec<(String, String)> = TOY_DRIVERS
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for (k, v) in drivers {
        match lines.iter_mut().find(|l| l.0 == *k) {
            Some(l) => l.1 = v.to_string(),
            None => lines.push((k.to_string(), v.to_string())),
        }
    }
    let drivers: Vec<String> = lines.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    let text = format!(
        r#"
[region]
id = "toy"
name = "toy"
base_year = 2000
horizon = {horizon}

[population]
base = 1000
life_table = {q0:?}
fertility_shape = {fertility}
sex_ratio_at_birth = 1.0
migration_shape = {mig:?}

[membership]
employee_share = 0.5
coverage = 1.0
retirement_age_male = 60
retirement_age_female = 60

[employee]
base_balance = 1.0e12
contribution_base = 50000
employer_rate = 0.08
employee_rate = 0.02
employer_to_pool = 1.0
employee_to_pool = 0.0
wage_relativity = 1.0
cost_active = 1000
cost_retiree = 3000
reimbursement = 0.8
pension = 30000

[resident]
base_balance = 1.0e11
premium = 300
subsidy = 600
cost = 800
reimbursement = 0.7

[drivers]
{drivers}
"#,
        fertility = ages(0.0, &[(49, 1.0)]),
        mig = 1.0 / 202.0,
        drivers = drivers.join("\n"),
    );
    model_from_str(&text)
}

/// Driver values read back from a path's records, by inverting the model's formulas against
/// the deterministic path (MODEL.md §3, §5–7, §12). Each is exact up to rounding when only
/// the driver named is random (the population and every other driver then follow the
/// deterministic path).
pub mod recover {
    use fundsim::engine::YearRecord;

    /// Ratio of a quantity on the path to the same on the deterministic path.
    fn ratio(p: &[YearRecord], d: &[YearRecord], j: usize, f: impl Fn(&YearRecord) -> f64) -> f64 {
        f(&p[j]) / f(&d[j])
    }

    /// Wage growth `gw(j)` from the employee contributions `C = W·rate·units`: the path's
    /// `W(j)/W(j−1)` is its contributions' ratio divided by the deterministic one, times
    /// `1 + μ(j)`.
    pub fn wage_growth(p: &[YearRecord], d: &[YearRecord], j: usize, mean: f64) -> f64 {
        let c = |r: &YearRecord| r.fund[0].contributions;
        (1.0 + mean) * ratio(p, d, j, c) / ratio(p, d, j - 1, c) - 1.0
    }

    /// Medical cost growth `gm(j)` from the resident spending `S = κ·H·pol·claims` (no
    /// critical-illness transfer, no epidemic).
    pub fn medical_growth(p: &[YearRecord], d: &[YearRecord], j: usize, mean: f64) -> f64 {
        let s = |r: &YearRecord| r.fund[1].spending;
        (1.0 + mean) * ratio(p, d, j, s) / ratio(p, d, j - 1, s) - 1.0
    }

    /// Interest rate `r(j) = I / (B(j−1) + (C + other − S)/2)` of the employee fund.
    pub fn interest(p: &[YearRecord], j: usize) -> f64 {
        let y = &p[j].fund[0];
        y.interest
            / (p[j - 1].fund[0].balance + (y.contributions + y.other_income - y.spending) / 2.0)
    }

    /// The epidemic's claims increase in year `j`: resident spending over the deterministic
    /// path's, minus 1 (medical σ = 0).
    pub fn epidemic(p: &[YearRecord], d: &[YearRecord], j: usize, fund: usize) -> f64 {
        p[j].fund[fund].spending / d[j].fund[fund].spending - 1.0
    }

    /// Persons added in year `j` (births + migration − deaths).
    pub fn growth(p: &[YearRecord], j: usize) -> f64 {
        p[j].population - p[j - 1].population
    }

    /// Mortality index `k(j)` of a population with the same `q0` at every age, no births and
    /// no migration: `P(j) = P(j−1)·(1 − q0·e^(−k))`.
    pub fn mortality_index(p: &[YearRecord], j: usize, q0: f64) -> f64 {
        -((1.0 - p[j].population / p[j - 1].population) / q0).ln()
    }
}
