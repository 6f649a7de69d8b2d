//! One year of the deterministic path worked out by hand from MODEL.md §3–7, §9, §12 on a
//! toy region small enough to follow on paper: age-varying mortality and improvement
//! weights, births, migration, a fractional retirement age, age-varying membership and
//! wage relativity, employee and resident collection below 1, κ ≠ 1 in both funds, a reform
//! and a reimbursement change, a pension linked to wages, the account credit, the
//! critical-illness transfer, other income, and parameters that follow the path's wage
//! index, its cost index or a fixed growth after their last listed year (MODEL.md §2). The
//! expected numbers below were computed from the formulas with a calculator (each step in
//! the comments), not taken from the code.

mod common;

use common::{ages, model_from_str};
use fundsim::engine;

fn scenario() -> String {
    let by_sex = |male: String, female: String| format!("{{ male = {male}, female = {female} }}");
    // Employee share 0.6 from age 16, none below.
    let share: Vec<(usize, f64)> = (16..=100).map(|x| (x, 0.6)).collect();
    format!(
        r#"
[region]
id = "hand"
name = "手算"
base_year = 2020
horizon = 2021

[population]
base = {base}
life_table = {life}
improvement_weight = {b}
fertility_shape = {fert}
sex_ratio_at_birth = 1.05
migration_shape = {mig}

[membership]
employee_share = {share}
employee_scale = {{ 2020 = 1.0, 2021 = 1.1 }}
coverage = 0.95
retirement_age_male = {{ 2020 = 60.0, 2021 = 60.5 }}
retirement_age_female = 55

[employee]
base_balance = 5.0e7
base_spending = 6.0e6
contribution_base = 60000
employer_rate = 0.08
employee_rate = 0.02
employer_to_pool = 0.7
employee_to_pool = 0.5
collection = 0.95
wage_relativity = {wrel}
cost_active = 2000
cost_retiree = 5000
reimbursement = 0.8
reforms = [ {{ name = "DRG", start = 2021, ramp_years = 2, effect = -0.1 }} ]
pension = 40000
pension_link = 0.5
account_rate = 0.02
other_income = {{ values = {{ 2020 = 1.0e6 }}, after = {{ growth = 0.1 }} }}

[resident]
base_balance = 2.0e7
base_spending = 2.0e6
premium = {{ 2020 = 300, 2021 = 350 }}
subsidy = {{ values = {{ 2020 = 600 }}, after = "wage" }}
collection = 0.9
cost = {cres}
reimbursement = {{ 2020 = 0.6, 2021 = 0.63 }}
critical_illness_premium = {{ value = 40, after = "cost" }}
other_income = 2.0e5

[drivers]
wage_growth = {{ mean = {{ 2020 = 0.06, 2021 = 0.05 }}, phi = 0.5, sigma = 0.01 }}
medical_growth = {{ mean = 0.04, phi = 0.5, sigma = 0.01 }}
interest = {{ mean = {{ 2020 = 0.03, 2021 = 0.02 }}, phi = 0.5, sigma = 0.001 }}
fertility = {{ mean = {{ 2020 = 1.2, 2021 = 1.5 }}, phi = 0.5, sigma = 0.05 }}
mortality = {{ drift = 0.1, sigma = 0.01 }}
migration = {{ level = 200, sigma = 0.1 }}
epidemic = {{ probability = 0.5, median = 0.1, sigma = 0.5 }}
"#,
        base = by_sex(
            ages(0.0, &[(29, 1000.0), (59, 800.0), (100, 10.0)]),
            ages(0.0, &[(29, 1000.0), (54, 600.0)]),
        ),
        life = by_sex(
            ages(0.001, &[(0, 0.006), (29, 0.002), (59, 0.01), (100, 0.3)]),
            ages(0.001, &[(0, 0.005), (29, 0.001), (54, 0.004)]),
        ),
        b = ages(1.0, &[(59, 0.5)]),
        fert = ages(0.0, &[(29, 1.0)]),
        mig = by_sex(ages(0.0, &[(30, 0.5)]), ages(0.0, &[(25, 0.5)])),
        share = by_sex(ages(0.0, &share), ages(0.0, &share)),
        wrel = by_sex(ages(1.0, &[(30, 1.2)]), ages(1.0, &[])),
        cres = by_sex(ages(1000.0, &[(0, 1500.0)]), ages(1000.0, &[(0, 1500.0)])),
    )
}

fn close(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 1e-11 * want.abs().max(1.0),
        "{what}: engine {got}, by hand {want}"
    );
}

#[test]
fn one_year_by_hand() {
    let m = model_from_str(&scenario());
    let (det, clipped) = engine::deterministic(&m);
    assert_eq!(clipped, 0.0);
    let (y0, y1) = (&det[0], &det[1]);

    // ── Base year 2020 (MODEL.md §6, §12: base population, H = 1, pol(2020) = 1).
    // Members: employee share 0.6 at ages 29, 54, 59, 100 (3410 persons); nobody retired
    // at 59 (ρ = clamp(59 + 1 − 60, 0, 1) = 0) or 54 (R = 55: ρ = 0), all at 100.
    // Actives 0.6 × 3400 = 2040, retirees 0.6 × 10 = 6, residents (0.95 − 0.6) × 3410 = 1193.5.
    close("actives 2020", y0.actives, 2040.0);
    close("retirees 2020", y0.retirees, 6.0);
    close("residents 2020", y0.residents, 1193.5);
    // κE = (6.0e6 − 6 × 40000 × 0.02) / (2040 × 2000 + 6 × 5000) = 5,995,200 / 4,110,000
    //    = 1.458686131386861; κR = (2.0e6 − 1193.5 × 40) / (1193.5 × 1000) = 1.635743611227482.
    close("κE", m.employee.kappa, 1.458686131386861);
    close("κR", m.resident.kappa, 1.635743611227482);
    // Base-year flows: C = 60000 × (0.08 × 0.7 + 0.02 × 0.5) × 0.95 × 2040 = 7,674,480;
    // resident C = 0.9 × 1193.5 × (300 + 600) = 966,735, treasury 0.9 × 1193.5 × 600 = 644,490.
    close("C_E 2020", y0.fund[0].contributions, 7_674_480.0);
    close("other_E 2020", y0.fund[0].other_income, 1.0e6);
    close("other_R 2020", y0.fund[1].other_income, 2.0e5);
    close("C_R 2020", y0.fund[1].contributions, 966_735.0);
    close("F 2020", y0.subsidy_cost, 644_490.0);
    close("S_E 2020", y0.fund[0].spending, 6.0e6);
    close("S_R 2020", y0.fund[1].spending, 2.0e6);

    // ── Drivers 2021 on the central path (every ε = 0): gw = μ(2021) = 0.05 (not 2020's
    // 0.06), gm = 0.04, r = 0.02, TFR = 1.5 + 0.5 × (1.2 − 1.2) = 1.5, k = 0 + 0.1,
    // MIG = 200.
    // ── Population (§3): q = q0 × exp(−b·k): e^−0.1 = 0.9048374180359595 (b = 1),
    // e^−0.05 = 0.951229424500714 at age 59 (b = 0.5).
    //   male 30 = 1000 × (1 − 0.002 e^−0.1) + 100 migrants       = 1098.190325163928
    //   male 60 = 800 × (1 − 0.01 e^−0.05)                         =  792.3901646039943
    //   male 100+ = 10 × (1 − 0.3 e^−0.1)                          =    7.285487745892121
    //   female 30 = 1000 × (1 − 0.001 e^−0.1)                      =  999.095162581964
    //   female 55 = 600 × (1 − 0.004 e^−0.1)                       =  597.8283901967137
    //   female 25 = 100 migrants
    //   births = 1.5 × 1000 start-of-year women aged 29 = 1500;
    //   male 0 = 1500 × 1.05/2.05 × (1 − 0.006 e^−0.1 / 2)         =  766.2071430242829
    //   female 0 = 1500 × 1/2.05 × (1 − 0.005 e^−0.1 / 2)          =  730.0521266743245
    close("population 2021", y1.population, 5091.048799991099);
    close("aged 60+ 2021", y1.aged_60_plus, 799.6756523498865);
    // ── Membership (§4): emp = 0.6 × 1.1 = 0.66 from age 16; male R = 60.5 gives
    // ρ(60) = 0.5; female R = 55 gives ρ(55) = 1.
    //   actives   = 0.66 × (1098.19… + 0.5 × 792.39… + 999.10… + 100)  = 1711.697176231607
    //   retirees  = 0.66 × (0.5 × 792.39… + 7.29… + 597.83…)            =  660.863913761438
    //   residents = 0.95 × (766.21… + 730.05…) + 0.29 × (the 3594.79 adults) = 2463.9352699985
    close("actives 2021", y1.actives, 1711.697176231607);
    close("retirees 2021", y1.retirees, 660.863913761438);
    close("residents 2021", y1.residents, 2463.9352699984997);
    // ── Employee fund (§5–7): W = 60000 × 1.05 = 63000; contribution units
    // 0.66 × (1.2 × 1098.19… + 0.5 × 792.39… + 999.10… + 100) = 1856.658299153246;
    //   C = 63000 × 0.066 × 0.95 × 1856.658… = 7,333,985.947485234
    //   claims = 1711.70… × 2000 + 660.86… × 5000 = 6,727,713.921270404
    //   pol = 0.8/0.8 × (1 − 0.1 × 1/2) = 0.95; H = 1.04; pension = 40000 × (1 + 0.5 × 0.05)
    //   = 41000, credit 41000 × 0.02 = 820 per retiree;
    //   S = 1.458686… × 1.04 × 0.95 × 6,727,713.92… + 660.86… × 820 = 10,237,767.92626509
    //   other income 1.0e6 grows 10% a year after 2020: 1.1e6
    //   I = 0.02 × (5.0e7 + (7,333,985.95 + 1.1e6 − 10,237,767.93)/2) = 981,962.1802122016
    //   B = 5.0e7 + 7,333,985.95 + 1.1e6 + 981,962.18 − 10,237,767.93 = 49,178,180.20143234
    let e = &y1.fund[0];
    close("C_E 2021", e.contributions, 7_333_985.947485234);
    close("other_E 2021", e.other_income, 1.1e6);
    close("S_E 2021", e.spending, 10_237_767.926265089);
    close("I_E 2021", e.interest, 981_962.1802122016);
    close("B_E 2021", e.balance, 49_178_180.20143234);
    // ── Resident fund: members collected 0.9 × 2463.94… = 2217.54174299865; the subsidy
    // follows the wage index after 2020: 600 × 63000/60000 = 630; the 大病 transfer follows
    // the cost index: 40 × 1.04 = 41.6;
    //   C = 2217.54… × (350 + 630) = 2,173,190.908138677, treasury 2217.54… × 630
    //   = 1,397,051.298089149;
    //   claims = 0.95 × (766.21… + 730.05…) × 1500 + 0.29 × 3594.79… × 1000
    //   = 3,174,658.423105339; pol = 0.63/0.6 = 1.05;
    //   S = 1.635743… × 1.04 × 1.05 × 3,174,658.42… + 2463.94… × 41.6 = 5,773,176.246131023
    //   I = 0.02 × (2.0e7 + (2,173,190.91 + 2.0e5 − 5,773,176.25)/2) = 366,000.1466200766
    //   B = 2.0e7 + 2,173,190.91 + 2.0e5 + 366,000.15 − 5,773,176.25 = 16,966,014.80862773
    let r = &y1.fund[1];
    close("C_R 2021", r.contributions, 2_173_190.9081386765);
    close("F 2021", y1.subsidy_cost, 1_397_051.2980891492);
    close("other_R 2021", r.other_income, 2.0e5);
    close("S_R 2021", r.spending, 5_773_176.246131023);
    close("I_R 2021", r.interest, 366_000.14662007656);
    close("B_R 2021", r.balance, 16_966_014.808627732);
}
