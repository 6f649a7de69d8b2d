//! Calibration of the shipped scenarios to the figures of the seed documents and the public
//! data (seeds/targets.toml, notebooks-data/README.md), on the deterministic central path.

use fundsim::engine;
use fundsim::population::{CELLS, FEMALE};
use fundsim::resolve::Model;
use fundsim::scenario;

fn model(file: &str) -> Model {
    Model::new(&scenario::load(file, &[]).unwrap()).unwrap()
}

#[test]
fn zhejiang_base_year_matches_census_and_plan() {
    let m = model("scenarios/zhejiang-2020.toml");
    let (det, _) = engine::deterministic(&m);
    // 7th census (population_age_structure.csv): 64,567,588 and 12,072,684 aged 60+.
    assert!((det[0].population - 64_567_588.0).abs() < 1.0);
    assert!((det[0].aged_60_plus - 12_072_684.0).abs() < 1.0);
    // Seed 000: 5557万 insured, of whom 2067万 in the employee scheme.
    let employee = det[0].actives + det[0].retirees;
    assert!((employee / 2.067e7 - 1.0).abs() < 1e-3, "{employee}");
    assert!(((employee + det[0].residents) / 5.557e7 - 1.0).abs() < 1e-3);
    // Active/retiree ratio 2.78 (per_capita_and_ratios.csv, national 2019).
    assert!((det[0].actives / det[0].retirees - 2.78).abs() < 0.01);
}

#[test]
fn zhejiang_elderly_2025_within_5_percent_of_the_plan() {
    // Seed 000: "老年人口約達1500萬人" by 2025.
    let m = model("scenarios/zhejiang-2020.toml");
    let (det, _) = engine::deterministic(&m);
    let elderly_2025 = det[(2025 - m.base_year) as usize].aged_60_plus;
    assert!((elderly_2025 / 1.5e7 - 1.0).abs() < 0.05, "{elderly_2025}");
    // Survey totals (population_age_structure.csv): 6577万 in 2022, 6627万 in 2023.
    for (year, total) in [(2022, 6.577e7), (2023, 6.627e7)] {
        let p = det[(year - m.base_year) as usize].population;
        assert!((p / total - 1.0).abs() < 0.01, "{year}: {p}");
    }
}

#[test]
fn zhejiang_births_2022_near_the_survey() {
    // population_age_structure.csv: Zhejiang 2022 births 41.2万. Replay the central path's
    // population to 2022 and count the births of that year.
    let m = model("scenarios/zhejiang-2020.toml");
    let mut ds = m.drivers.start();
    let (mut pop, mut next, mut q) = (m.population0, [0.0; CELLS], [0.0; CELLS]);
    let mut births = 0.0;
    for j in 1..=2 {
        let d = m.drivers.step(j, &mut ds, &fundsim::drivers::Shocks::ZERO);
        m.population.step(&pop, &mut next, d.k, d.tfr, 0.0, &mut q);
        births = next[0] + next[FEMALE];
        pop = next;
    }
    assert!((births / 412_000.0 - 1.0).abs() < 0.10, "{births}");
}

#[test]
fn zhoukou_starts_from_the_seed_totals() {
    // Seed 003: balance 55.87亿, spending 85.37亿, income 92.47亿 (2020).
    let m = model("scenarios/zhoukou-2020.toml");
    let (det, _) = engine::deterministic(&m);
    let r = &det[0];
    let balance = r.fund[0].balance + r.fund[1].balance;
    let spending = r.fund[0].spending + r.fund[1].spending;
    assert!((balance - 55.87e8).abs() < 1.0);
    assert!((spending - 85.37e8).abs() < 1.0);
    assert!((12.0 * balance / spending - 7.85).abs() <= 0.01);
    let income = r.fund[0].contributions + r.fund[1].contributions;
    assert!((income / 92.47e8 - 1.0).abs() < 0.03, "{income}");
    // 978.88万 insured.
    let insured = r.actives + r.retirees + r.residents;
    assert!((insured / 978.88e4 - 1.0).abs() < 0.01, "{insured}");
}
