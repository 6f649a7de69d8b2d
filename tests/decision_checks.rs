//! Decision tools (MODEL.md §11) against their own paths: every indicator of `compare`, the
//! target language's events and statistics, the sensitivity steps and the tornado's points
//! are recomputed here from the paths or the scenario; the text, Markdown and CSV outputs of
//! every tool are pinned by a golden file.

mod common;

use common::{fund, model, months, quantile, tier};
use fundsim::decision::compare::{self, OptionSpec};
use fundsim::decision::sensitivity::{self, DRIVERS, Shift};
use fundsim::decision::solve::{self, SolveSpec};
use fundsim::decision::sweep::{self, Axis};
use fundsim::decision::target::{parse_measure, parse_target};
use fundsim::decision::{self as dec, BATCHES, Estimate};
use fundsim::engine::YearRecord;
use fundsim::param::Extension;
use fundsim::resolve::Model;

const TINY: &str = "tests/fixtures/tiny.toml";
/// The tiny scenario with income near spending, so that tiers and probabilities spread.
const BALANCED: [&str; 3] = [
    "employee.employer_rate=0.15",
    "resident.premium=450",
    "resident.subsidy=950",
];

fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    (
        m,
        (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt(),
    )
}

/// Batch SE of a statistic over 20 contiguous batches `[b·n/20, (b+1)·n/20)`.
fn batch_se(n: usize, stat: impl Fn(std::ops::Range<usize>) -> f64) -> f64 {
    let v: Vec<f64> = (0..20)
        .map(|b| stat(b * n / 20..(b + 1) * n / 20))
        .collect();
    mean_sd(&v).1 / 20f64.sqrt()
}

fn paired(x: &[f64], x0: &[f64]) -> (f64, f64) {
    let d: Vec<f64> = x.iter().zip(x0).map(|(a, b)| a - b).collect();
    let (m, sd) = mean_sd(&d);
    (m, sd / (d.len() as f64).sqrt())
}

fn same(what: &str, got: f64, want: f64) {
    assert!(
        (got.is_nan() && want.is_nan()) || (got - want).abs() <= 1e-9 * want.abs().max(1e-9),
        "{what}: tool {got}, from the paths {want}"
    );
}

fn paths_of(m: &Model, seed: u64, n: usize) -> Vec<Vec<YearRecord>> {
    let p = dec::simulate(m, seed, n);
    (0..n).map(|k| p.path(k)).collect()
}

/// `compare`'s indicators, differences and SEs recomputed from each option's paths
/// (MODEL.md §11; the README's indicator list): medians with the 20-batch SE of the
/// difference, probabilities and cumulative sums with paired per-path SEs, the first year
/// the warning level is below `reasonable`, the employer share of contributions.
#[test]
fn compare_indicators_agree_with_the_paths() {
    let (n, seed) = (200, 9);
    let labels = ["base", "more"];
    let models = [
        model(TINY, &BALANCED),
        model(
            TINY,
            &[
                &BALANCED[..],
                &[
                    "employee.employer_rate=0.17",
                    "employee.employee_to_pool=0.5",
                    "resident.subsidy=1000",
                ],
            ]
            .concat(),
        ),
    ];
    let opts: Vec<OptionSpec> = labels
        .iter()
        .zip(&models)
        .map(|(l, m)| OptionSpec {
            label: l.to_string(),
            model: m.clone(),
        })
        .collect();
    let c = compare::compare(&opts, n, seed, &[2025, 2035]).unwrap();
    let row = |o: &str, f: usize, y: Option<i32>, ind: &str| {
        c.rows
            .iter()
            .find(|r| r.option == o && r.fund == dec::FUNDS[f] && r.year == y && r.indicator == ind)
            .unwrap_or_else(|| panic!("no row {o} {f} {y:?} {ind}"))
            .clone()
    };
    let m0 = &models[0];
    let w = &m0.scenario.warning;
    let (b, ny) = (m0.base_year, m0.years);
    let paths: Vec<Vec<Vec<YearRecord>>> = models.iter().map(|m| paths_of(m, seed, n)).collect();
    let column =
        |o: usize, f: usize, j: usize, g: &dyn Fn(&YearRecord, usize) -> f64| -> Vec<f64> {
            paths[o].iter().map(|p| g(&p[j], f)).collect()
        };
    let mut checked = 0;
    for (o, label) in labels.iter().enumerate() {
        for f in 0..3 {
            for j in 0..ny {
                let (x, x0) = (column(o, f, j, &months), column(0, f, j, &months));
                let r = row(label, f, Some(b + j as i32), "median_months");
                same("median months", r.value, quantile(&x, 0.5));
                same(
                    "median months diff",
                    r.diff,
                    quantile(&x, 0.5) - quantile(&x0, 0.5),
                );
                same(
                    "median months se",
                    r.se,
                    batch_se(n, |rg| {
                        quantile(&x[rg.clone()], 0.5) - quantile(&x0[rg], 0.5)
                    }),
                );
                let band = c.bands[o].months[f][j];
                for (k, q) in fundsim::decision::compare::BAND_QUANTILES
                    .iter()
                    .enumerate()
                {
                    same("band quantile", band[k], quantile(&x, *q));
                }
                let d = c.bands[o].diff[f][j];
                let diff: Vec<f64> = x.iter().zip(&x0).map(|(a, b)| a - b).collect();
                same("diff band median", d[2], quantile(&diff, 0.5));
                if j == 0 {
                    continue;
                }
                let below = |v: &[f64]| -> Vec<f64> {
                    v.iter()
                        .map(|m| f64::from(u8::from(*m < w.tiers.lines[1])))
                        .collect()
                };
                let (i, i0) = (below(&x), below(&x0));
                let r = row(label, f, Some(b + j as i32), "p_below_line");
                let (d, se) = paired(&i, &i0);
                same("P(below line)", r.value, mean_sd(&i).0);
                same("P(below line) diff", r.diff, d);
                same("P(below line) se", r.se, se);
                checked += 1;
            }
            let depleted = |o: usize| -> Vec<f64> {
                paths[o]
                    .iter()
                    .map(|p| f64::from(u8::from(p[1..].iter().any(|r| fund(r, f).0 < 0.0))))
                    .collect()
            };
            let r = row(label, f, None, "p_depleted_by_horizon");
            let (d, se) = paired(&depleted(o), &depleted(0));
            same("P(depleted)", r.value, mean_sd(&depleted(o)).0);
            same("P(depleted) diff", r.diff, d);
            same("P(depleted) se", r.se, se);
            let first_year = |o: usize| -> f64 {
                (1..ny)
                    .find(|&j| {
                        let q = quantile(&column(o, f, j, &months), w.confidence);
                        tier(q, q, &w.tiers.lines) < 3
                    })
                    .map_or(f64::NAN, |j| f64::from(b + j as i32))
            };
            let r = row(label, f, None, "first_year_below_reasonable");
            same("first year", r.value, first_year(o));
            same("first year diff", r.diff, first_year(o) - first_year(0));
            assert!(r.se.is_nan());
        }
        // Cumulative treasury subsidy and employer contributions, years Y0+1..Y1, 亿元.
        let cum = |o: usize, g: &dyn Fn(&YearRecord, i32) -> f64| -> Vec<f64> {
            paths[o]
                .iter()
                .map(|p| (1..ny).map(|j| g(&p[j], b + j as i32)).sum::<f64>() / 1e8)
                .collect()
        };
        let subsidy = |r: &YearRecord, _: i32| r.subsidy_cost;
        let employer = |o: usize| {
            let e = &models[o].scenario.employee;
            move |r: &YearRecord, t: i32| {
                let er = e.employer_rate.value_at(t) * e.employer_to_pool.value_at(t);
                let ee = e.employee_rate.value_at(t) * e.employee_to_pool.value_at(t);
                r.fund[0].contributions * er / (er + ee)
            }
        };
        for (ind, f, x, x0) in [
            ("cum_subsidy_cost_yi", 1, cum(o, &subsidy), cum(0, &subsidy)),
            (
                "cum_employer_contrib_yi",
                0,
                cum(o, &employer(o)),
                cum(0, &employer(0)),
            ),
        ] {
            let r = row(label, f, None, ind);
            let (d, se) = paired(&x, &x0);
            same(ind, r.value, mean_sd(&x).0);
            same(&format!("{ind} diff"), r.diff, d);
            same(&format!("{ind} se"), r.se, se);
        }
    }
    assert!(checked > 50);
    // The table shows the chosen years only; the CSV every year.
    assert_eq!(c.years, vec![2025, 2035]);
    assert_eq!(compare::default_years(m0), vec![2025, 2030, 2035]);
    let md = c.to_markdown();
    assert!(md.contains("| median months | employee | 2025 |"));
    assert!(!md.contains("| median months | employee | 2026 |"));
    assert!(c.to_csv().contains("more,employee,2026,median_months,"));
}

/// Every form of the target language evaluated against the paths by hand (README
/// "Target language").
#[test]
fn measures_agree_with_the_paths() {
    let m = model(TINY, &BALANCED);
    let (n, seed) = (300, 4);
    let p = dec::simulate(&m, seed, n);
    let recs: Vec<Vec<YearRecord>> = (0..n).map(|k| p.path(k)).collect();
    let base = m.base_year;
    let j = move |y: i32| (y - base) as usize;
    let prob = |hits: &dyn Fn(&[YearRecord]) -> bool| -> Estimate {
        let x: f64 = recs.iter().filter(|r| hits(r)).count() as f64 / n as f64;
        Estimate {
            value: x,
            se: (x * (1.0 - x) / n as f64).sqrt(),
        }
    };
    let growth = move |r: &[YearRecord], y: i32, f: usize| {
        fund(&r[j(y)], f).1 / fund(&r[j(y) - 1], f).1 - 1.0
    };
    type Hit = Box<dyn Fn(&[YearRecord]) -> bool>;
    let cases: Vec<(&str, Hit)> = vec![
        (
            "P(months >= 6 for resident in every year 2021-2022)",
            Box::new(move |r| (2021..=2022).all(|y| months(&r[j(y)], 1) >= 6.0)),
        ),
        (
            "P(months > 12 for employee in any year 2030 to 2035)",
            Box::new(move |r| (2030..=2035).any(|y| months(&r[j(y)], 0) > 12.0)),
        ),
        (
            "p(MONTHS < 11 in all years 2023–2024)",
            Box::new(move |r| (2023..=2024).all(|y| months(&r[j(y)], 2) < 11.0)),
        ),
        (
            "P(months <= 9 for combined in 2030)",
            Box::new(move |r| months(&r[j(2030)], 2) <= 9.0),
        ),
        (
            "P(balance ≥ 1.5 for employee in some year 2031-2035)",
            Box::new(move |r| (2031..=2035).any(|y| r[j(y)].fund[0].balance / 1e8 >= 1.5)),
        ),
        (
            "P(balance < -0.1 for resident by 2025)",
            Box::new(move |r| (2021..=2025).any(|y| r[j(y)].fund[1].balance / 1e8 < -0.1)),
        ),
        (
            "P(growth ≤ 5% for resident in every year 2021-2035)",
            Box::new(move |r| (2021..=2035).all(|y| growth(r, y, 1) <= 0.05)),
        ),
        (
            "P(growth > 0.06 for employee in any year 2021-2035)",
            Box::new(move |r| (2021..=2035).any(|y| growth(r, y, 0) > 0.06)),
        ),
        (
            "P(deficit for resident in 2022)",
            Box::new(move |r| {
                let (_, s, i) = fund(&r[j(2022)], 1);
                i < s
            }),
        ),
        (
            "P(deficit for employee in any year 2021-2035)",
            Box::new(move |r| {
                (2021..=2035).any(|y| {
                    let (_, s, i) = fund(&r[j(y)], 0);
                    i < s
                })
            }),
        ),
        (
            "P(depleted for resident by 2025)",
            Box::new(move |r| (2021..=2025).any(|y| r[j(y)].fund[1].balance < 0.0)),
        ),
        (
            "P(depleted)",
            Box::new(move |r| (2021..=2035).all(|y| fund(&r[j(y)], 2).0 < 0.0)),
        ),
    ];
    let mut moving = 0;
    for (text, hit) in &cases {
        let measure = parse_measure(text).unwrap_or_else(|e| panic!("{e}"));
        measure.check(&m).unwrap();
        let got = measure.eval(&m, &p);
        let want = prob(hit.as_ref());
        same(text, got.value, want.value);
        same(&format!("{text} se"), got.se, want.se);
        moving += usize::from(want.value > 0.0 && want.value < 1.0);
        // The label parses back to the same measure.
        assert_eq!(parse_measure(&measure.label()).unwrap(), measure, "{text}");
    }
    assert!(
        moving >= 8,
        "only {moving} events are neither certain nor impossible"
    );
    // Statistics of one year: mean (sd/√n), median and quantiles (20-batch SE).
    for (text, f, metric, stat) in [
        ("mean(balance for employee in 2030)", 0, "balance", None),
        (
            "median(months for resident in 2028)",
            1,
            "months",
            Some(0.5),
        ),
        ("q10(growth in 2035)", 2, "growth", Some(0.1)),
        ("Q90(months for combined in 2035)", 2, "months", Some(0.9)),
        ("mean(deficit for resident in 2030)", 1, "deficit", None),
    ] {
        let y: i32 = text[text.len() - 5..text.len() - 1].parse().unwrap();
        let x: Vec<f64> = recs
            .iter()
            .map(|r| match metric {
                "balance" => fund(&r[j(y)], f).0 / 1e8,
                "months" => months(&r[j(y)], f),
                "growth" => growth(r, y, f),
                _ => {
                    let (_, s, i) = fund(&r[j(y)], f);
                    f64::from(u8::from(i < s))
                }
            })
            .collect();
        let measure = parse_measure(text).unwrap();
        let got = measure.eval(&m, &p);
        let (value, se) = match stat {
            None => (mean_sd(&x).0, mean_sd(&x).1 / (n as f64).sqrt()),
            Some(q) => (quantile(&x, q), batch_se(n, |r| quantile(&x[r], q))),
        };
        same(text, got.value, value);
        same(&format!("{text} se"), got.se, se);
        assert_eq!(parse_measure(&measure.label()).unwrap(), measure, "{text}");
    }
    // Targets compare the point estimate.
    let e = parse_measure("P(months >= 6 for resident in 2025)")
        .unwrap()
        .eval(&m, &p);
    for (cmp, met) in [(">=", true), (">", false), ("<=", true), ("<", false)] {
        let t = parse_target(&format!(
            "P(months >= 6 for resident in 2025) {cmp} {}",
            e.value
        ))
        .unwrap();
        assert_eq!(t.met(&e), met, "{cmp}");
    }
}

#[test]
fn measures_outside_the_projection_are_refused() {
    let m = model(TINY, &[]);
    for (text, ok) in [
        ("median(months in 2020)", true),
        ("median(months in 2035)", true),
        ("median(months in 2036)", false),
        ("mean(growth in 2020)", false),
        ("mean(growth in 2021)", true),
        ("P(deficit in 2020)", false),
        ("P(months >= 6 in every year 2020-2035)", true),
        ("P(months >= 6 in every year 2019-2030)", false),
        ("P(growth >= 0.1 in every year 2020-2030)", false),
        ("P(depleted by 2035)", true),
        ("P(depleted by 2036)", false),
    ] {
        let r = parse_measure(text).unwrap().check(&m);
        assert_eq!(r.is_ok(), ok, "{text}: {r:?}");
        if let Err(e) = r {
            assert!(e.contains("outside the projection"), "{e}");
        }
    }
}

/// The batch SE, the mean's SE, quantiles and the value formatting of the decision tools.
#[test]
fn decision_helpers() {
    // 40 values 0..39: batches of 2 have means 0.5, 2.5, …, 38.5 (sd of 20 evenly spaced
    // values with step 2: 2·√(20·21/12) = 11.832…), SE 11.832/√20.
    let x: Vec<f64> = (0..40).map(f64::from).collect();
    let se = dec::batch_se(40, |r| x[r].iter().sum::<f64>() / 2.0);
    assert!(
        (se - 2.0 * (35.0f64).sqrt() / 20f64.sqrt()).abs() < 1e-12,
        "{se}"
    );
    assert_eq!(BATCHES, 20);
    assert!(dec::batch_se(39, |_| 1.0).is_nan());
    let e = dec::mean_se(&[1.0, 2.0, 3.0, 4.0]);
    assert_eq!(e.value, 2.5);
    assert!((e.se - (5.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-15);
    assert!(dec::mean_se(&[3.0]).se.is_nan());
    assert_eq!(dec::median(&[3.0, 1.0, 2.0, 10.0]), 2.5);
    assert_eq!(dec::quantile(&[3.0, 1.0, 2.0, 10.0], 0.25), 1.75);
    assert!(dec::quantile(&[], 0.5).is_nan());
    assert_eq!(dec::fmt_value(0.1 + 0.2), "0.3");
    assert_eq!(dec::fmt_value(0.06 + 3.0 * 0.005), "0.075");
    assert_eq!(dec::fmt_value(-0.0), "0");
    assert_eq!(dec::fmt_value(1234.5), "1234.5");
    assert_eq!(dec::fund_index("resident"), Some(1));
    assert_eq!(dec::fund_index("region"), None);
    assert_eq!(
        dec::parse_range(" 0.05 : 0.1", "--range").unwrap(),
        (0.05, 0.1)
    );
    for (bad, msg) in [
        ("0.1", "expected LO:HI"),
        ("a:0.1", "LO `a` is not a number"),
        ("0.1:inf", "HI `inf` is not a number"),
        ("0.1:0.1", "must be below"),
    ] {
        let e = dec::parse_range(bad, "--range").unwrap_err();
        assert!(e.contains(msg), "{bad}: {e}");
    }
    // A record's combined balance, spending and income are the sums of the two funds.
    let mut r = YearRecord::default();
    for (f, v) in [(0usize, 1.0), (1, 10.0)] {
        r.fund[f].balance = v;
        r.fund[f].spending = 2.0 * v;
        r.fund[f].contributions = 3.0 * v;
        r.fund[f].other_income = 4.0 * v;
        r.fund[f].interest = 5.0 * v;
    }
    assert_eq!(dec::balance(&r, 2), 11.0);
    assert_eq!(dec::spending(&r, 2), 22.0);
    assert_eq!(dec::income(&r, 1), 120.0);
    assert_eq!(dec::income(&r, 2), 132.0);
}

/// Sweep axes: the grid includes HI when it lies on a step, values are clean decimals.
#[test]
fn sweep_axes() {
    let a = sweep::parse_axis(" employee.employer_rate = 0.06:0.10:0.005").unwrap();
    assert_eq!(a.key, "employee.employer_rate");
    assert_eq!(a.values.len(), 9);
    assert_eq!(a.values[3], 0.075);
    assert_eq!(*a.values.last().unwrap(), 0.1);
    assert_eq!(sweep::parse_axis("k.x=1:1:1").unwrap().values, vec![1.0]);
    assert_eq!(
        sweep::parse_axis("k.x=0:1:0.3").unwrap().values,
        vec![0.0, 0.3, 0.6, 0.9]
    );
    assert!(
        sweep::parse_axis("k.x=0:2500:1")
            .unwrap_err()
            .contains("2501 values")
    );
    assert_eq!(
        sweep::parse_axis("k.x=1:2500:1").unwrap().values.len(),
        2500
    );
    assert!(
        sweep::parse_axis("k..x=0:1:1")
            .unwrap_err()
            .contains("not a key path")
    );
    assert!(
        sweep::parse_axis("=0:1:1")
            .unwrap_err()
            .contains("not a key path")
    );
    let m = parse_measure("median(months in 2030)").unwrap();
    let ax = |k: &str| Axis {
        key: k.into(),
        values: vec![0.08],
    };
    let e = sweep::sweep(TINY, &[], &[], &m, 10, 1, &|_, _| {}).unwrap_err();
    assert!(e.contains("0 --param given"), "{e}");
    let three = [ax("a.b"), ax("c.d"), ax("e.f")];
    assert!(sweep::sweep(TINY, &[], &three, &m, 10, 1, &|_, _| {}).is_err());
    let twice = [ax("employee.employer_rate"), ax("employee.employer_rate")];
    let e = sweep::sweep(TINY, &[], &twice, &m, 10, 1, &|_, _| {}).unwrap_err();
    assert!(e.contains("given twice"), "{e}");
    let e = sweep::sweep(
        TINY,
        &[],
        &[ax("employee.employer_rate")],
        &m,
        0,
        1,
        &|_, _| {},
    )
    .unwrap_err();
    assert!(e.contains("--paths 0"), "{e}");
    let big = Axis {
        key: "employee.employer_rate".into(),
        values: vec![0.08; 60],
    };
    let big2 = Axis {
        key: "resident.subsidy".into(),
        values: vec![600.0; 60],
    };
    let e = sweep::sweep(TINY, &[], &[big, big2], &m, 10, 1, &|_, _| {}).unwrap_err();
    assert!(e.contains("3600 grid points"), "{e}");
    // Each point is the scenario with the override: the sweep equals separate runs.
    let a = sweep::parse_axis("employee.employer_rate=0.08:0.12:0.02").unwrap();
    let seen = std::cell::RefCell::new(Vec::new());
    let g = sweep::sweep(TINY, &[], std::slice::from_ref(&a), &m, 60, 3, &|d, t| {
        seen.borrow_mut().push((d, t))
    })
    .unwrap();
    assert_eq!(*seen.borrow(), vec![(1, 3), (2, 3), (3, 3)]);
    for (i, v) in a.values.iter().enumerate() {
        let mm = model(TINY, &[&format!("employee.employer_rate={v}")]);
        assert_eq!(g.at(i, 0), m.eval(&mm, &dec::simulate(&mm, 3, 60)));
    }
}

/// The sensitivity steps (module docs of `decision::sensitivity`): every listed year moves
/// by the step, the extension rule and the years are kept, floors hold; the tornado's points
/// are the median months at the horizon and P(depleted by the horizon) of each run.
#[test]
fn sensitivity_steps_and_points() {
    let s = model("scenarios/zhejiang-2020.toml", &[]).scenario;
    for d in DRIVERS {
        for sign in [-1.0, 1.0] {
            let ov = d.overrides(&s, sign);
            let ov: Vec<&str> = ov.iter().map(String::as_str).collect();
            let moved = model("scenarios/zhejiang-2020.toml", &ov).scenario;
            let param = |s: &fundsim::scenario::Scenario| match d.key {
                "drivers.wage_growth.mean" => s.drivers.wage_growth.mean.clone(),
                "drivers.medical_growth.mean" => s.drivers.medical_growth.mean.clone(),
                "drivers.interest.mean" => s.drivers.interest.mean.clone(),
                "drivers.fertility.mean" => s.drivers.fertility.mean.clone(),
                "drivers.mortality.drift" => s.drivers.mortality_drift.clone(),
                "drivers.migration.level" => s.drivers.migration.clone(),
                "employee.employer_rate" => s.employee.employer_rate.clone(),
                "resident.premium" => s.resident.premium.clone(),
                "resident.subsidy" => s.resident.subsidy.clone(),
                other => panic!("unknown key {other}"),
            };
            let (p0, p1) = (param(&s), param(&moved));
            assert_eq!(p0.after, p1.after, "{}", d.name);
            assert_eq!(p0.points.len(), p1.points.len(), "{}", d.name);
            for ((y0, v0), (y1, v1)) in p0.points.iter().zip(&p1.points) {
                assert_eq!(y0, y1, "{}", d.name);
                let want = match d.shift {
                    Shift::Abs(a) => v0 + sign * a,
                    Shift::Rel(r) => v0 * (1.0 + sign * r),
                }
                .max(d.floor);
                assert!(
                    (v1 - want).abs() <= 1e-9 * want.abs().max(1e-9),
                    "{} {sign}: {v1} vs {want}",
                    d.name
                );
            }
            assert!(
                p1.source
                    .as_deref()
                    .unwrap()
                    .contains(if sign < 0.0 { "down" } else { "up" })
            );
        }
    }
    // Floors: a TFR of 0.1 moved down by 0.2 stays at 0; growth extensions are kept.
    let low = model(TINY, &["drivers.fertility.mean=0.1"]).scenario;
    let fert = DRIVERS
        .iter()
        .find(|d| d.key == "drivers.fertility.mean")
        .unwrap();
    assert_eq!(
        fert.overrides(&low, -1.0)[1]
            .split_once('=')
            .unwrap()
            .1
            .split(',')
            .next()
            .unwrap(),
        "{ value = 0"
    );
    let grown = model(
        TINY,
        &["resident.premium={ values = { 2020 = 300, 2025 = 350 }, after = { growth = 0.03 } }"],
    );
    let prem = DRIVERS
        .iter()
        .find(|d| d.key == "resident.premium")
        .unwrap();
    let ov = prem.overrides(&grown.scenario, 1.0);
    let ov: Vec<&str> = ov.iter().map(String::as_str).collect();
    let up = model(TINY, &ov).scenario.resident.premium;
    assert_eq!(up.after, Extension::Growth(0.03));
    assert_eq!(up.points, vec![(Some(2020), 330.0), (Some(2025), 385.0)]);
    assert_eq!(fert.step_text(), "±0.2");
    assert_eq!(prem.step_text(), "±10%");

    // The tornado's points, recomputed for the base run.
    let balanced: Vec<String> = BALANCED.iter().map(|s| s.to_string()).collect();
    let t = sensitivity::sensitivity(TINY, &balanced, 80, 5, &|_, _| {}).unwrap();
    let m = model(TINY, &BALANCED);
    let recs = paths_of(&m, 5, 80);
    for f in 0..3 {
        let x: Vec<f64> = recs.iter().map(|r| months(r.last().unwrap(), f)).collect();
        same("tornado base median", t.base.months[f], quantile(&x, 0.5));
        let dep = recs
            .iter()
            .filter(|r| r[1..].iter().any(|y| fund(y, f).0 < 0.0))
            .count() as f64
            / 80.0;
        same("tornado base P(depleted)", t.base.depleted[f], dep);
        let sorted = t.sorted(f);
        let width = |e: &sensitivity::Effect| (e.up.months[f] - e.down.months[f]).abs();
        assert!(sorted.windows(2).all(|w| width(w[0]) >= width(w[1])));
        assert!(width(sorted[0]) > width(sorted[sorted.len() - 1]));
    }
    assert_eq!(t.horizon, 2035);
    assert_eq!(t.scenario, "tiny");
}

/// Solve's bisection: the default tolerance is (HI − LO)/1000, every step halves the
/// bracket, the answer meets the target and the next step below does not; bad input is
/// refused with a message.
#[test]
fn solve_bisection_and_errors() {
    let target =
        parse_target("P(months >= 6 for employee in every year 2021-2030) >= 0.9").unwrap();
    let spec = |lo: f64, hi: f64, tol: Option<f64>, paths: usize| SolveSpec {
        scenario: TINY.into(),
        overrides: vec![],
        key: "employee.employer_rate".into(),
        lo,
        hi,
        target: target.clone(),
        maximize: false,
        tol,
        paths,
        seed: 11,
    };
    let s = solve::solve(&spec(0.10, 0.25, None, 200), &|_| {}).unwrap();
    assert!((s.tol - 0.15 / 1000.0).abs() < 1e-15);
    assert_eq!(s.steps[0].x, 0.10);
    assert_eq!(s.steps[1].x, 0.25);
    // Steps 3.. are midpoints of the current bracket: the bracket halves each time.
    let (mut bad, mut good) = (0.10, 0.25);
    for st in &s.steps[2..] {
        assert!((st.x - 0.5 * (bad + good)).abs() < 1e-12);
        if st.met {
            good = st.x;
        } else {
            bad = st.x;
        }
    }
    assert!(good - bad <= s.tol && s.value == good && !s.at_end);
    assert_eq!(s.steps.len(), 2 + 10, "⌈log2(1000)⌉ = 10 halvings");
    assert!(s.steps.iter().all(|st| st.met == target.met(&st.estimate)));
    let last_bad = s
        .steps
        .iter()
        .filter(|st| !st.met)
        .map(|st| st.x)
        .fold(0.0, f64::max);
    assert_eq!(last_bad, bad);
    for (sp, msg) in [
        (spec(0.2, 0.1, None, 200), "expected finite LO < HI"),
        (
            spec(0.1, f64::INFINITY, None, 200),
            "expected finite LO < HI",
        ),
        (spec(0.1, 0.2, Some(0.0), 200), "--tol 0"),
        (spec(0.1, 0.2, Some(-1.0), 200), "--tol -1"),
        (spec(0.1, 0.2, None, 0), "--paths 0"),
    ] {
        let e = solve::solve(&sp, &|_| {}).unwrap_err();
        assert!(e.contains(msg), "{e}");
    }
    let mut max = spec(0.10, 0.25, Some(0.01), 200);
    max.target = parse_target("P(depleted for employee by 2035) >= 0.5").unwrap();
    max.maximize = true;
    let s = solve::solve(&max, &|_| {}).unwrap();
    assert!(s.steps.iter().filter(|st| st.met).all(|st| st.x <= s.value));
    assert!(s.steps.iter().filter(|st| !st.met).all(|st| st.x > s.value));
}

/// The text, Markdown and CSV outputs of compare, sweep (1-D and 2-D), solve and
/// sensitivity on small runs of the tiny scenario, against
/// `tests/golden/decision_outputs.txt` (numbers are checked by the tests above; this pins
/// the layout).
#[test]
fn decision_outputs_golden() {
    let mut out = String::new();
    let opts: Vec<OptionSpec> = [
        ("base", vec![]),
        ("rate_17", vec!["employee.employer_rate=0.17"]),
    ]
    .into_iter()
    .map(|(l, extra)| OptionSpec {
        label: l.into(),
        model: model(TINY, &[&BALANCED[..], &extra].concat()),
    })
    .collect();
    let c = compare::compare(&opts, 100, 9, &[2025, 2035]).unwrap();
    for (title, text) in [
        ("compare text", c.to_text()),
        ("compare markdown", c.to_markdown()),
        ("compare csv", c.to_csv()),
    ] {
        out.push_str(&format!("==== {title}\n{text}"));
    }
    let m = parse_measure("P(months >= 6 for employee in every year 2021-2030)").unwrap();
    let a = sweep::parse_axis("employee.employer_rate=0.12:0.16:0.02").unwrap();
    let g = sweep::sweep(TINY, &[], std::slice::from_ref(&a), &m, 60, 3, &|_, _| {}).unwrap();
    out.push_str(&format!(
        "==== sweep 1-D text\n{}==== sweep 1-D csv\n{}",
        g.to_text(),
        g.to_csv()
    ));
    let b = sweep::parse_axis("resident.subsidy=600:700:100").unwrap();
    let m2 = parse_measure("median(months in 2030)").unwrap();
    let g = sweep::sweep(TINY, &[], &[a, b], &m2, 60, 3, &|_, _| {}).unwrap();
    out.push_str(&format!(
        "==== sweep 2-D text\n{}==== sweep 2-D csv\n{}",
        g.to_text(),
        g.to_csv()
    ));
    let spec = SolveSpec {
        scenario: TINY.into(),
        overrides: vec![],
        key: "employee.employer_rate".into(),
        lo: 0.10,
        hi: 0.25,
        target: parse_target("P(months >= 6 for employee in every year 2021-2030) >= 0.9").unwrap(),
        maximize: false,
        tol: Some(0.01),
        paths: 100,
        seed: 11,
    };
    let s = solve::solve(&spec, &|_| {}).unwrap();
    out.push_str(&format!("==== solve text\n{}", s.to_text(&spec)));
    let balanced: Vec<String> = BALANCED.iter().map(|s| s.to_string()).collect();
    let t = sensitivity::sensitivity(TINY, &balanced, 60, 5, &|_, _| {}).unwrap();
    out.push_str(&format!(
        "==== sensitivity text\n{}==== sensitivity csv\n{}",
        t.to_text(),
        t.to_csv()
    ));
    common::golden("decision_outputs.txt", out.as_bytes());
}
