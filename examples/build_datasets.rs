//! Build the demographic datasets in `notebooks-data/` from aggregates (MODEL.md §3, §4, §6).
//!
//! Run from the repository root: `cargo run --release --example build_datasets`.
//!
//! Every input is either read from `notebooks-data/sources/` (copies of `shared/data`) or set
//! in the `INPUTS` block below with its source or the word "assumption". To redo the datasets
//! for another region, change the region names and the inputs, and rerun. See
//! `notebooks-data/README.md` for the method and status of each file.

use anyhow::{Context, Result, bail};
use fundsim::demography::*;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

// ------------------------------------------------------------------------------------ INPUTS
/// China e0 2020, both sexes — china_life_expectancy.csv, row 2020 (stated).
const CHINA_E0_2020: f64 = 77.93;
/// China e0 2015 by sex — china_life_expectancy.csv, row 2015 (stated): total, male, female.
const CHINA_E0_2015: (f64, f64, f64) = (76.34, 73.64, 79.43);
/// Zhejiang e0 2020, both sexes — assumption, consistent with seed 000
/// ("到2025年人均預期壽命達到80歲以上").
const ZHEJIANG_E0_2020: f64 = 79.5;
/// Growth rate of the stable population used to split the open group 65+ — assumption:
/// births and cohort survival rose over the century, so old cohorts are thinner than in the
/// stationary population (see notebooks-data/README.md).
const TAIL_GROWTH: f64 = 0.04;
/// Sex ratio at birth (males per female) — assumption.
const SRB: f64 = 1.11;
/// Extra male share at ages 15–64 in Zhejiang (male-biased migrant workers) — assumption.
const ZHEJIANG_WORKING_AGE_MALE_EXCESS: f64 = 0.05;
/// Zhoukou: no working-age adjustment — assumption.
const ZHOUKOU_WORKING_AGE_MALE_EXCESS: f64 = 0.0;
/// Zhejiang employee scheme members 2020 — seed 000 ("2020年覆蓋全省2067萬參保人員").
const ZHEJIANG_EMPLOYEE_MEMBERS: f64 = 20_670_000.0;
/// Zhejiang insured 2020 — seed 000 ("基本醫療保險參保人數達到5557萬人").
const ZHEJIANG_INSURED: f64 = 55_570_000.0;
/// Active/retiree ratio, national 2019 — per_capita_and_ratios.csv (stated, 2.78).
const ACTIVE_PER_RETIREE: f64 = 2.78;
/// Zhoukou insured 2020 — seed 003 ("全市基本医疗保险参保人数达到978.88万人").
const ZHOUKOU_INSURED: f64 = 9_788_800.0;
/// Zhoukou coverage — seed 003 ("参保率稳定在96%以上"), used as the base's coverage.
const ZHOUKOU_COVERAGE: f64 = 0.96;
/// Zhoukou employee scheme share of insured — assumption (agricultural prefecture).
const ZHOUKOU_EMPLOYEE_SHARE: f64 = 0.09;
/// Mean age and sd of childbearing — assumption.
const FERTILITY_MEAN_AGE: f64 = 29.0;
const FERTILITY_SD: f64 = 5.0;
/// Male share of net in-migrants — assumption.
const MIGRANT_MALE_SHARE: f64 = 0.55;
/// Retiree/active per-capita cost ratio — per_capita_and_ratios.csv 2025 (derived, secondary).
const RETIREE_ACTIVE_COST_RATIO: f64 = 3.34;
/// National 2021 figures for the resident level — per_capita_and_ratios.csv (2021 rows) and
/// national_bmi_enrollment.csv (2021 rows): total BMI spending 24043.10亿 (note of the 2021
/// "expenditure per insured (all)" row), employee spending per insured 4162.1 yuan, employee
/// insured 35431万, resident insured 100866万.
const NAT_2021_TOTAL_SPENDING_YI: f64 = 24_043.10;
const NAT_2021_EMPLOYEE_PER_INSURED: f64 = 4_162.1;
const NAT_2021_EMPLOYEE_10K: f64 = 35_431.0;
const NAT_2021_RESIDENT_10K: f64 = 100_866.0;
/// China employee-scheme members 2020, active and retired — national_bmi_enrollment.csv,
/// rows "2020, employee_active / employee_retired, express_report_快报" (stated): 25398万 and
/// 9025万. The national scenario (base 2020) uses only figures for 2020 and earlier.
const CHINA_ACTIVES_2020: f64 = 253_980_000.0;
const CHINA_RETIREES_2020: f64 = 90_250_000.0;
// --------------------------------------------------------------------------------- END INPUTS

const SOURCES: &str = "notebooks-data/sources/population_age_structure.csv";
const OUT: &str = "notebooks-data";

/// Read 2020 census group totals (persons) for a region from the sources copy of
/// `population_age_structure.csv`, keyed by `age_group`.
fn census_2020(region: &str) -> Result<Vec<(String, f64)>> {
    let mut rdr = csv::Reader::from_path(SOURCES).with_context(|| format!("reading {SOURCES}"))?;
    let mut out = Vec::new();
    for rec in rdr.records() {
        let r = rec?;
        if &r[0] == region && &r[1] == "2020" && r[2].starts_with("census") {
            let v: f64 = r[4].parse()?;
            let v = match &r[5] {
                "persons" => v,
                "10k persons" => v * 1e4,
                u => bail!("unexpected unit {u}"),
            };
            out.push((r[3].to_string(), v));
        }
    }
    Ok(out)
}

fn get(groups: &[(String, f64)], name: &str) -> Result<f64> {
    groups
        .iter()
        .find(|(g, _)| g == name)
        .map(|(_, v)| *v)
        .with_context(|| format!("group {name} missing"))
}

fn write_csv(name: &str, header: &str, cols: &[&AgeArray], decimals: usize) -> Result<()> {
    let path = Path::new(OUT).join(name);
    let mut w = BufWriter::new(File::create(&path).with_context(|| format!("{path:?}"))?);
    writeln!(w, "{header}")?;
    for x in 0..N_AGES {
        write!(w, "{x}")?;
        for c in cols {
            write!(w, ",{:.*}", decimals, c[x])?;
        }
        writeln!(w)?;
    }
    println!("wrote {}", path.display());
    Ok(())
}

struct Region {
    pop: SexAges,
    qm: AgeArray,
    qf: AgeArray,
}

fn build_region(groups: &[AgeGroup], e0: (f64, f64), excess: f64) -> Result<Region> {
    let law = MortalityLaw::siler_default();
    let qm = life_table_from_e0(e0.0, &law)?;
    let qf = life_table_from_e0(e0.1, &law)?;
    let (lm, lf) = (stationary_lx(&qm), stationary_lx(&qf));
    let mut l = [0.0; N_AGES];
    for x in 0..N_AGES {
        l[x] = (SRB * lm[x] + lf[x]) / (1.0 + SRB);
    }
    let w = stable_population_weights(&l, TAIL_GROWTH)?;
    let both = ungroup(groups, &w)?;
    let ratio = sex_ratio_by_age(SRB, &qm, &qf, excess)?;
    Ok(Region {
        pop: split_by_sex(&both, &ratio)?,
        qm,
        qf,
    })
}

fn sex_e0(total: f64) -> (f64, f64) {
    let (t, m, f) = CHINA_E0_2015;
    (total - (t - m), total + (f - t))
}

fn main() -> Result<()> {
    std::fs::create_dir_all(OUT)?;

    // --- Zhejiang 2020 population ------------------------------------------------------------
    let zj = census_2020("Zhejiang")?;
    let (zt, z0, z60, z65) = (
        get(&zj, "total")?,
        get(&zj, "0-14")?,
        get(&zj, "60+")?,
        get(&zj, "65+")?,
    );
    let zj_groups = [
        AgeGroup::closed(0, 14, z0),
        AgeGroup::closed(15, 59, zt - z0 - z60), // derived: total − 0–14 − 60+
        AgeGroup::open(60, z60),
        AgeGroup::open(65, z65),
    ];
    let zj_e0 = sex_e0(ZHEJIANG_E0_2020);
    let zhej = build_region(&zj_groups, zj_e0, ZHEJIANG_WORKING_AGE_MALE_EXCESS)?;
    write_csv(
        "zhejiang_2020_population.csv",
        "age,male,female",
        &[&zhej.pop.male, &zhej.pop.female],
        3,
    )?;

    // --- China 2020 life table; Zhoukou insured base ------------------------------------------
    let cn = census_2020("China")?;
    let (c0, c15, c60, c65) = (
        get(&cn, "0-14")?,
        get(&cn, "15-59")?,
        get(&cn, "60+")?,
        get(&cn, "65+")?,
    );
    let cn_total = c0 + c15 + c60;
    let zk_base = ZHOUKOU_INSURED / ZHOUKOU_COVERAGE;
    let s = zk_base / cn_total;
    let zk_groups = [
        AgeGroup::closed(0, 14, c0 * s),
        AgeGroup::closed(15, 59, c15 * s),
        AgeGroup::open(60, c60 * s),
        AgeGroup::open(65, c65 * s),
    ];
    let cn_e0 = sex_e0(CHINA_E0_2020);
    let zhou = build_region(&zk_groups, cn_e0, ZHOUKOU_WORKING_AGE_MALE_EXCESS)?;
    write_csv(
        "zhoukou_2020_population.csv",
        "age,male,female",
        &[&zhou.pop.male, &zhou.pop.female],
        3,
    )?;
    // The whole country: the same census groups unscaled.
    let cn_groups = [
        AgeGroup::closed(0, 14, c0),
        AgeGroup::closed(15, 59, c15),
        AgeGroup::open(60, c60),
        AgeGroup::open(65, c65),
    ];
    let china = build_region(&cn_groups, cn_e0, 0.0)?;
    write_csv(
        "china_2020_population.csv",
        "age,male,female",
        &[&china.pop.male, &china.pop.female],
        3,
    )?;
    write_csv(
        "china_2020_life_table.csv",
        "age,male,female",
        &[&zhou.qm, &zhou.qf],
        8,
    )?;
    write_csv(
        "zhejiang_2020_life_table.csv",
        "age,male,female",
        &[&zhej.qm, &zhej.qf],
        8,
    )?;

    // --- fertility and migration shapes -------------------------------------------------------
    let f = fertility_shape(FERTILITY_MEAN_AGE, FERTILITY_SD)?;
    write_csv("fertility_shape.csv", "age,female", &[&f], 10)?;
    let (mm, mf) = migration_shape(&RogersCastro::standard(), MIGRANT_MALE_SHARE)?;
    write_csv("migration_shape.csv", "age,male,female", &[&mm, &mf], 10)?;

    // --- employee participation ----------------------------------------------------------------
    let shape = ParticipationShape::default_china();
    let zp = employee_participation(
        &zhej.pop,
        &shape,
        ZHEJIANG_EMPLOYEE_MEMBERS,
        ACTIVE_PER_RETIREE,
    )?;
    write_csv(
        "employee_participation.csv",
        "age,male,female",
        &[&zp.emp0.male, &zp.emp0.female],
        8,
    )?;
    let zk_members = ZHOUKOU_EMPLOYEE_SHARE * ZHOUKOU_INSURED;
    let kp = employee_participation(&zhou.pop, &shape, zk_members, ACTIVE_PER_RETIREE)?;
    write_csv(
        "employee_participation_zhoukou.csv",
        "age,male,female",
        &[&kp.emp0.male, &kp.emp0.female],
        8,
    )?;

    let cp = employee_participation(
        &china.pop,
        &shape,
        CHINA_ACTIVES_2020 + CHINA_RETIREES_2020,
        CHINA_ACTIVES_2020 / CHINA_RETIREES_2020,
    )?;
    write_csv(
        "employee_participation_china.csv",
        "age,male,female",
        &[&cp.emp0.male, &cp.emp0.female],
        8,
    )?;

    // --- contribution base relativity --------------------------------------------------------
    let wrel = contribution_base_relativity(&EarningsProfile::default_china(), &zp.actives)?;
    write_csv(
        "contribution_base_relativity.csv",
        "age,male,female",
        &[&wrel.male, &wrel.female],
        8,
    )?;

    // --- age-cost curves -----------------------------------------------------------------------
    let (curve, c) = calibrate_cost_gradient(
        &AgeCostCurve::default_china(),
        &zp.actives,
        &zp.retirees,
        RETIREE_ACTIVE_COST_RATIO,
    )?;
    let zj_cov = ZHEJIANG_INSURED / zhej.pop.total();
    let mut res = SexAges::zeros();
    for x in 0..N_AGES {
        res.male[x] = zhej.pop.male[x] * (zj_cov - zp.emp0.male[x]).max(0.0);
        res.female[x] = zhej.pop.female[x] * (zj_cov - zp.emp0.female[x]).max(0.0);
    }
    let nat_emp_spend_yi = NAT_2021_EMPLOYEE_PER_INSURED * NAT_2021_EMPLOYEE_10K / 1e4;
    let nat_res_per_capita =
        (NAT_2021_TOTAL_SPENDING_YI - nat_emp_spend_yi) * 1e4 / NAT_2021_RESIDENT_10K;
    let per_capita_ratio = nat_res_per_capita / NAT_2021_EMPLOYEE_PER_INSURED;
    let members = zp.actives.total() + zp.retirees.total();
    let mean_emp = (c.both_weighted(&zp.actives) + c.both_weighted(&zp.retirees)) / members;
    let mean_res = c.both_weighted(&res) / res.total();
    let lambda = per_capita_ratio * mean_emp / mean_res;
    let mut rm = [0.0; N_AGES];
    let mut rf = [0.0; N_AGES];
    for x in 0..N_AGES {
        rm[x] = lambda * c.male[x];
        rf[x] = lambda * c.female[x];
    }
    write_csv(
        "age_cost_curves.csv",
        "age,active_male,active_female,retiree_male,retiree_female,resident_male,resident_female",
        &[&c.male, &c.female, &c.male, &c.female, &rm, &rf],
        8,
    )?;

    // --- checks and calibration report --------------------------------------------------------
    let p = &zhej.pop;
    println!("\n== checks");
    println!(
        "Zhejiang 2020 total {:.0} (census 64567588), 0-14 {:.0}, 60+ {:.0} (census 12072684), 65+ {:.0}",
        p.total(),
        p.sum_ages(0, 14),
        p.sum_ages(60, 100),
        p.sum_ages(65, 100)
    );
    println!(
        "Zhejiang 2020 sex ratio {:.2} males per 100 females; 55-59 {:.0}",
        100.0 * p.male.iter().sum::<f64>() / p.female.iter().sum::<f64>(),
        p.sum_ages(55, 59)
    );
    println!(
        "Zhejiang 2020 80+ {:.0} ({:.1}% of 65+), 100+ {:.0}",
        p.sum_ages(80, 100),
        100.0 * p.sum_ages(80, 100) / p.sum_ages(65, 100),
        p.male[100] + p.female[100]
    );
    for (years, survey) in [(2, "2022 survey 1329万"), (3, "2023 survey 1424万")] {
        let py = survive(p, &zhej.qm, &zhej.qf, years)?;
        println!(
            "Zhejiang {} 60+ (no births/migration): {:.0} ({survey})",
            2020 + years,
            py.sum_ages(60, 100)
        );
    }
    let p25 = survive(p, &zhej.qm, &zhej.qf, 5)?;
    println!(
        "Zhejiang 2025 60+ (2020 survived 5 years, no births/migration): {:.0} (seed 000: 约1500万)",
        p25.sum_ages(60, 100)
    );
    println!(
        "Zhoukou base total {:.0} (= 978.88万 / 0.96), 60+ {:.0}, insured at 96%: {:.0}",
        zhou.pop.total(),
        zhou.pop.sum_ages(60, 100),
        zhou.pop.total() * ZHOUKOU_COVERAGE
    );
    let law = MortalityLaw::siler_default();
    for (name, e) in [("China", cn_e0), ("Zhejiang", zj_e0)] {
        let qm = life_table_from_e0(e.0, &law)?;
        let qf = life_table_from_e0(e.1, &law)?;
        println!(
            "{name} e0 male {:.2} (fit {:.6}) female {:.2} (fit {:.6}); q0 m {:.5} f {:.5}; q60 m {:.5} f {:.5}; q80 m {:.4} f {:.4}",
            e.0,
            life_expectancy(&qm),
            e.1,
            life_expectancy(&qf),
            qm[0],
            qf[0],
            qm[60],
            qf[60],
            qm[80],
            qf[80]
        );
    }
    println!(
        "China 2020 total {:.0} (census {cn_total:.0}), 60+ {:.0} (census {c60:.0}), 65+ {:.0} (census {c65:.0})",
        china.pop.total(),
        china.pop.sum_ages(60, 100),
        china.pop.sum_ages(65, 100)
    );
    for (name, part, pop) in [
        ("Zhejiang", &zp, &zhej.pop),
        ("Zhoukou", &kp, &zhou.pop),
        ("China", &cp, &china.pop),
    ] {
        let (a, r) = (part.actives.total(), part.retirees.total());
        let maxm = part.emp0.male.iter().cloned().fold(0.0, f64::max);
        let maxf = part.emp0.female.iter().cloned().fold(0.0, f64::max);
        println!(
            "{name} emp0: level {:.4}, retiree decline {:.4}/yr, actives {:.0}, retirees {:.0}, members {:.0}, ratio {:.4}, max emp0 m {:.3} f {:.3}, share of pop {:.4}",
            part.level,
            part.retiree_decline,
            a,
            r,
            a + r,
            a / r,
            maxm,
            maxf,
            (a + r) / pop.total()
        );
    }
    let implied_res = res.total();
    println!(
        "Zhejiang implied coverage {:.4}; residents P*max(0,cov-emp0) {:.0}; insured {:.0} (seed 5557万)",
        zj_cov,
        implied_res,
        implied_res + members
    );
    println!(
        "cost curve: gradient {:.5}; mean active {:.4}, mean retiree {:.4} (ratio {:.4})",
        curve.gradient,
        c.both_weighted(&zp.actives) / zp.actives.total(),
        c.both_weighted(&zp.retirees) / zp.retirees.total(),
        c.both_weighted(&zp.retirees)
            / zp.retirees.total()
            / (c.both_weighted(&zp.actives) / zp.actives.total())
    );
    println!(
        "resident level: national 2021 resident per capita {:.1} yuan vs employee {:.1} (ratio {:.4}); lambda {:.4}; mean resident curve {:.4} vs mean employee member {:.4}",
        nat_res_per_capita,
        NAT_2021_EMPLOYEE_PER_INSURED,
        per_capita_ratio,
        lambda,
        lambda * mean_res,
        mean_emp
    );
    let wm = wrel.both_weighted(&zp.actives) / zp.actives.total();
    println!(
        "wrel mean over actives {wm:.12}; wrel male 45 {:.4}, female 45 {:.4}, male 22 {:.4}",
        wrel.male[45], wrel.female[45], wrel.male[22]
    );
    let fm: f64 = (0..N_AGES).map(|x| (x as f64 + 0.5) * f[x]).sum();
    println!(
        "fertility mean age (mid-year) {fm:.3}; migration sum {:.12}",
        mm.iter().sum::<f64>() + mf.iter().sum::<f64>()
    );
    Ok(())
}
