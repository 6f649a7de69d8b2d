//! The Monte Carlo table against its own paths (MODEL.md §7–8, §10): every summary row of a
//! 2,000-path run of the shipped Zhejiang scenario is recomputed here from the paths
//! (`Paths::record`) with the formulas of MODEL.md, and the reported standard errors are
//! checked by replication over 30 seeds.

mod common;

use common::{fund, model, quantile_sorted as quantile, tier};
use fundsim::engine::{self, Paths, YearRecord};
use fundsim::export::TidyRow;
use fundsim::resolve::Model;
use fundsim::summary;
use std::collections::HashMap;

type Index = HashMap<(String, i32, String, String), f64>;
/// A quantity of one record.
type Field<'a> = &'a dyn Fn(&YearRecord) -> f64;

fn index(rows: &[TidyRow]) -> Index {
    let mut ix = HashMap::new();
    for r in rows {
        let key = (r.fund.clone(), r.year, r.metric.clone(), r.stat.clone());
        assert!(ix.insert(key, r.value).is_none(), "duplicate row {r:?}");
    }
    ix
}

fn get(ix: &Index, fund: &str, year: i32, metric: &str, stat: &str) -> f64 {
    *ix.get(&(fund.into(), year, metric.into(), stat.into()))
        .unwrap_or_else(|| panic!("no row {fund} {year} {metric} {stat}"))
}

const FUNDS: [&str; 3] = ["employee", "resident", "combined"];

fn close(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1e-12),
        "{what}: summary {got}, from the paths {want}"
    );
}

/// Distribution rows of one column: mean, sd (n − 1), the nine quantiles, se = sd/√n.
fn check_column(ix: &Index, fund: &str, year: i32, metric: &str, x: &[f64]) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let g = |s: &str| get(ix, fund, year, metric, s);
    // Sums may run in another order than here: compare within 1e-9 relative plus 1e-12 of
    // the data's scale (a constant column's sd is 0 or rounding noise).
    let scale = x.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    let check = |stat: &str, got: f64, want: f64| {
        assert!(
            (got - want).abs() <= 1e-9 * want.abs() + 1e-12 * scale,
            "{fund} {year} {metric} {stat}: summary {got}, from the paths {want}"
        );
    };
    check("mean", g("mean"), mean);
    check("sd", g("sd"), sd);
    check("se", g("se"), sd / n.sqrt());
    check("se vs its own sd", g("se"), g("sd") / n.sqrt());
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    for (p, name) in summary::QUANTILES {
        check(name, g(name), quantile(&sorted, p));
    }
}

/// A probability row and its se `√(p(1−p)/n)`.
fn check_prob(ix: &Index, key: (&str, i32, &str, &str), se_metric: &str, hits: usize, n: usize) {
    let (fund, year, metric, stat) = key;
    let p = hits as f64 / n as f64;
    let got = get(ix, fund, year, metric, stat);
    assert_eq!(got, p, "{fund} {year} {metric} {stat}: {got} vs {hits}/{n}");
    let se_stat = if se_metric == metric { "se" } else { stat };
    close(
        &format!("{fund} {year} {se_metric} {se_stat}"),
        get(ix, fund, year, se_metric, se_stat),
        (p * (1.0 - p) / n as f64).sqrt(),
    );
}

/// Every Monte Carlo row of months, balance, spending, growth and the probabilities, per
/// fund and year, recomputed from the paths.
fn check_summary(m: &Model, paths: &Paths, ix: &Index) {
    let n = paths.count;
    let w = &m.scenario.warning;
    let lines = w.tiers.lines;
    let mut spread = 0;
    for (f, fund_name) in FUNDS.iter().enumerate() {
        let mut depleted = vec![false; n];
        let mut depleted_by_sum = 0.0;
        for j in 0..paths.years {
            let year = m.year(j);
            let rec = |p: usize| fund(paths.record(p, j), f);
            let months: Vec<f64> = (0..n).map(|p| 12.0 * rec(p).0 / rec(p).1).collect();
            let balance: Vec<f64> = (0..n).map(|p| rec(p).0).collect();
            let spending: Vec<f64> = (0..n).map(|p| rec(p).1).collect();
            check_column(ix, fund_name, year, "months_reserve", &months);
            check_column(ix, fund_name, year, "balance", &balance);
            check_column(ix, fund_name, year, "spending", &spending);
            // Stocks and flows of the year's records (MODEL.md §10 metric names).
            let field = |g: &dyn Fn(&YearRecord) -> f64| -> Vec<f64> {
                (0..n).map(|p| g(paths.record(p, j))).collect()
            };
            let flow = |g: &dyn Fn(&fundsim::finance::FundYear) -> f64| {
                field(&|r: &YearRecord| match f {
                    2 => g(&r.fund[0]) + g(&r.fund[1]),
                    _ => g(&r.fund[f]),
                })
            };
            let members: [(&str, Field); 5] = [
                ("actives", &|r| r.actives),
                ("retirees", &|r| r.retirees),
                ("residents", &|r| r.residents),
                ("subsidy_cost", &|r| r.subsidy_cost),
                ("insured", &|r| match f {
                    0 => r.actives + r.retirees,
                    1 => r.residents,
                    _ => r.actives + r.retirees + r.residents,
                }),
            ];
            let own: &[&str] = match f {
                0 => &["actives", "retirees", "insured"],
                1 => &["residents", "subsidy_cost", "insured"],
                _ => &["subsidy_cost", "insured"],
            };
            for (metric, g) in members {
                if own.contains(&metric) {
                    check_column(ix, fund_name, year, metric, &field(g));
                }
            }
            check_column(
                ix,
                fund_name,
                year,
                "contributions",
                &flow(&|y| y.contributions),
            );
            check_column(
                ix,
                fund_name,
                year,
                "other_income",
                &flow(&|y| y.other_income),
            );
            if f == 0 {
                check_column(ix, "region", year, "population", &field(&|r| r.population));
                check_column(
                    ix,
                    "region",
                    year,
                    "aged_60_plus",
                    &field(&|r| r.aged_60_plus),
                );
            }
            if j > 0 {
                check_column(ix, fund_name, year, "interest", &flow(&|y| y.interest));
                let net: Vec<f64> = (0..n).map(|p| rec(p).2 - rec(p).1).collect();
                check_column(ix, fund_name, year, "net_flow", &net);
            }

            // Tier probabilities: the share of paths in each tier.
            let mut counts = [0usize; 6];
            for p in 0..n {
                counts[tier(balance[p], months[p], &lines)] += 1;
            }
            for t in fundsim::warning::Tier::ALL {
                check_prob(
                    ix,
                    (fund_name, year, "tier_prob", t.name()),
                    "tier_prob_se",
                    counts[t.index()],
                    n,
                );
            }
            // Warning level: the tier of the `confidence` quantile of months.
            let mut sorted = months.clone();
            sorted.sort_by(f64::total_cmp);
            let q = quantile(&sorted, w.confidence);
            let level = tier(q, q, &lines);
            let stat = format!("p{:02}", (w.confidence * 100.0).round() as u32);
            assert_eq!(
                get(ix, fund_name, year, "warning_level", &stat),
                level as f64,
                "{fund_name} {year}: warning level vs tier of the {} quantile {q}",
                w.confidence
            );
            let top = tier(
                quantile(&sorted, 1.0 - w.confidence),
                quantile(&sorted, 1.0 - w.confidence),
                &lines,
            );
            spread += usize::from(top != level);

            // Depleted by t: B < 0 in some year ≤ t; it is the sum of the depletion-year
            // probabilities up to t.
            let mut first = 0;
            for p in 0..n {
                if balance[p] < 0.0 && !depleted[p] {
                    depleted[p] = true;
                    first += 1;
                }
            }
            let by = depleted.iter().filter(|&&d| d).count();
            check_prob(
                ix,
                (fund_name, year, "depleted_by", "mean"),
                "depleted_by",
                by,
                n,
            );
            if j == 0 {
                depleted_by_sum = by as f64 / n as f64;
                continue;
            }
            check_prob(
                ix,
                (fund_name, year, "depletion_year_prob", "mean"),
                "depletion_year_prob",
                first,
                n,
            );
            depleted_by_sum += get(ix, fund_name, year, "depletion_year_prob", "mean");
            close(
                &format!("{fund_name} {year}: Σ depletion-year probabilities"),
                depleted_by_sum,
                get(ix, fund_name, year, "depleted_by", "mean"),
            );
            // Growth S/S₋₁ − 1, P(growth ≥ line), P(current-year deficit).
            let growth: Vec<f64> = (0..n)
                .map(|p| rec(p).1 / fund(paths.record(p, j - 1), f).1 - 1.0)
                .collect();
            check_column(ix, fund_name, year, "spending_growth", &growth);
            let income: Vec<f64> = (0..n).map(|p| rec(p).2).collect();
            check_column(ix, fund_name, year, "income", &income);
            let breaches = growth.iter().filter(|&&g| g >= w.growth_line).count();
            check_prob(
                ix,
                (fund_name, year, "growth_breach_prob", "mean"),
                "growth_breach_prob",
                breaches,
                n,
            );
            let deficits = (0..n).filter(|&p| rec(p).2 < rec(p).1).count();
            let d: Vec<f64> = (0..n)
                .map(|p| f64::from(u8::from(rec(p).2 < rec(p).1)))
                .collect();
            check_column(ix, fund_name, year, "deficit", &d);
            assert_eq!(
                get(ix, fund_name, year, "deficit", "mean"),
                deficits as f64 / n as f64
            );
        }
    }
    // The run must be able to tell the confidence quantile from its mirror image.
    assert!(spread > 10, "the warning level is the same at P10 and P90");
}

#[test]
fn monte_carlo_table_agrees_with_its_paths() {
    let m = model("scenarios/zhejiang-2020.toml", &[]);
    let paths = engine::simulate(&m, 20201231, 0, 2000, &|_| {});
    let ix = index(&summary::summarize(&m, &paths));
    check_summary(&m, &paths, &ix);
    // Another confidence level moves the warning level's quantile with it.
    let m = model(
        "scenarios/zhejiang-2020.toml",
        &["warning.confidence=0.25", "warning.growth_line.value=0.08"],
    );
    let paths = engine::simulate(&m, 7, 0, 1000, &|_| {});
    let ix = index(&summary::summarize(&m, &paths));
    check_summary(&m, &paths, &ix);
}

/// Standard errors checked by replication: over 30 seeds × 300 paths, the spread of the
/// estimates of a mean (months of the resident fund in 2030, summary `se`), a probability
/// (P(resident fund depleted by 2030), summary `se`) and a median (median months of the
/// resident fund in 2030, the decision tools' 20-batch SE) matches the SE they report.
///
/// With correct SEs, 29·(observed sd / reported SE)² is about χ²₂₉; the test accepts a
/// ratio in [0.6, 1.5], i.e. χ²₂₉ in [10.4, 65.3], which a correct SE misses with
/// probability about 8e-4 per estimate (Wilson–Hilferty), 2.4e-3 for the three. The ratio
/// is √300 ≈ 17 when a mean's SE is sd/n, and 1/√20 ≈ 0.22 when the batch SE lacks its √20.
#[test]
fn standard_errors_match_the_spread_over_replications() {
    let m = model("scenarios/zhejiang-2020.toml", &[]);
    let (reps, n, year) = (30u64, 300usize, 2030);
    let median =
        fundsim::decision::target::parse_measure("median(months for resident in 2030)").unwrap();
    let mut est: [Vec<f64>; 3] = Default::default();
    let mut se: [Vec<f64>; 3] = Default::default();
    for seed in 0..reps {
        let paths = engine::simulate(&m, 1000 + seed, 0, n, &|_| {});
        let ix = index(&summary::summarize(&m, &paths));
        for (k, metric) in ["months_reserve", "depleted_by"].into_iter().enumerate() {
            est[k].push(get(&ix, "resident", year, metric, "mean"));
            se[k].push(get(&ix, "resident", year, metric, "se"));
        }
        let e = median.eval(&m, &paths);
        est[2].push(e.value);
        se[2].push(e.se);
    }
    for (k, what) in ["mean months", "P(depleted by 2030)", "median months"]
        .iter()
        .enumerate()
    {
        let (mean, sd) = summary::mean_sd(&est[k]);
        let rms = (se[k].iter().map(|s| s * s).sum::<f64>() / reps as f64).sqrt();
        let ratio = sd / rms;
        assert!(
            (0.6..=1.5).contains(&ratio),
            "{what}: estimates {mean} spread {sd} over {reps} seeds, reported SE {rms} \
             (ratio {ratio})"
        );
    }
}

/// A small fixed run against `tests/golden/monte_carlo_golden-mc.csv`: 200 paths, seed 7,
/// 2 threads, of `tests/fixtures/golden_mc.toml` (correlated Student-t innovations and
/// frequent epidemics), the rows users read most — months, balance and spending (mean,
/// P10, median, P90, se), tier probabilities, warning level, P(depleted by t) and
/// P(growth ≥ line). Any change of streams, drivers, epidemic or summaries changes it.
/// Some of its numbers were checked once against an independent calculation
/// (docs/testing.md, "The Monte Carlo golden").
#[test]
fn monte_carlo_golden() {
    let m = model("tests/fixtures/golden_mc.toml", &[]);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let rows = pool.install(|| {
        let paths = engine::simulate(&m, 7, 0, 200, &|_| {});
        summary::summarize(&m, &paths)
    });
    let keep = |r: &TidyRow| {
        r.fund != "region"
            && match r.metric.as_str() {
                "months_reserve" | "balance" | "spending" => {
                    ["mean", "p10", "p50", "p90", "se"].contains(&r.stat.as_str())
                }
                "tier_prob" | "warning_level" => true,
                "depleted_by" | "growth_breach_prob" => r.stat == "mean",
                _ => false,
            }
    };
    let rows: Vec<TidyRow> = rows.into_iter().filter(keep).collect();
    common::golden("monte_carlo_golden-mc.csv", &fundsim::export::to_csv(&rows));
}
