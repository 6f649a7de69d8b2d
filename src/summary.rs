//! Summaries (MODEL.md §8, §10): per year, fund and metric the mean, sd (n − 1), quantiles
//! (linear interpolation between order statistics, NumPy's default), tier probabilities,
//! warning level, P(depleted by t), the depletion-year distribution, P(growth ≥ line), and
//! Monte Carlo standard errors of the probabilities. A single path (the deterministic one)
//! gives `stat = value` rows through the same code.
//!
//! Every reduction runs over paths in path order inside one task, so the output does not
//! depend on the number of threads.

use crate::engine::{Paths, YearRecord};
use crate::export::TidyRow;
use crate::finance::FundYear;
use crate::resolve::Model;
use crate::warning::{Tier, TierTable};
use rayon::prelude::*;

/// Quantile levels reported, with their stat names (MODEL.md §10).
pub const QUANTILES: [(f64, &str); 9] = [
    (0.01, "p01"),
    (0.05, "p05"),
    (0.10, "p10"),
    (0.25, "p25"),
    (0.50, "p50"),
    (0.75, "p75"),
    (0.90, "p90"),
    (0.95, "p95"),
    (0.99, "p99"),
];

/// Fund ids in export order; `region` carries population rows.
pub const FUNDS: [&str; 4] = ["region", "employee", "resident", "combined"];

type Extract = fn(&YearRecord, &YearRecord, usize) -> f64;

/// A column: metric name, first year index it is defined for, extractor
/// `(record, previous record, fund 0|1|2) → value`.
struct Spec(&'static str, usize, Extract);

fn fy(r: &YearRecord, f: usize) -> FundYear {
    if f < 2 {
        r.fund[f]
    } else {
        let (a, b) = (r.fund[0], r.fund[1]);
        FundYear {
            contributions: a.contributions + b.contributions,
            other_income: a.other_income + b.other_income,
            interest: a.interest + b.interest,
            spending: a.spending + b.spending,
            balance: a.balance + b.balance,
        }
    }
}

/// Months of reserve `12·B/S` (MODEL.md §7).
pub fn months(r: &YearRecord, f: usize) -> f64 {
    let y = fy(r, f);
    12.0 * y.balance / y.spending
}

fn income(y: &FundYear) -> f64 {
    y.contributions + y.other_income + y.interest
}

const REGION: &[Spec] = &[
    Spec("population", 0, |r, _, _| r.population),
    Spec("aged_60_plus", 0, |r, _, _| r.aged_60_plus),
];
const EMPLOYEE_ONLY: &[Spec] = &[
    Spec("actives", 0, |r, _, _| r.actives),
    Spec("retirees", 0, |r, _, _| r.retirees),
];
const RESIDENT_ONLY: &[Spec] = &[Spec("residents", 0, |r, _, _| r.residents)];
const SUBSIDY: &[Spec] = &[Spec("subsidy_cost", 0, |r, _, _| r.subsidy_cost)];
const FUND: &[Spec] = &[
    Spec("contributions", 0, |r, _, f| fy(r, f).contributions),
    Spec("other_income", 0, |r, _, f| fy(r, f).other_income),
    Spec("interest", 1, |r, _, f| fy(r, f).interest),
    Spec("spending", 0, |r, _, f| fy(r, f).spending),
    Spec("net_flow", 1, |r, _, f| {
        let y = fy(r, f);
        income(&y) - y.spending
    }),
    Spec("balance", 0, |r, _, f| fy(r, f).balance),
    Spec("months_reserve", 0, |r, _, f| months(r, f)),
    Spec("spending_growth", 1, |r, p, f| {
        fy(r, f).spending / fy(p, f).spending - 1.0
    }),
    Spec("deficit", 1, |r, _, f| {
        let y = fy(r, f);
        f64::from(u8::from(income(&y) < y.spending))
    }),
];

/// Mean and sd (n − 1) in path order.
pub fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let ss: f64 = x.iter().map(|v| (v - mean) * (v - mean)).sum();
    let sd = if x.len() > 1 {
        (ss / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    (mean, sd)
}

/// Quantiles with NumPy's default linear interpolation: `h = (n−1)p`,
/// `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`. Reorders `x` (partial selection, no full sort).
pub fn quantiles(x: &mut [f64], probs: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut ks: Vec<usize> = probs
        .iter()
        .flat_map(|p| {
            let h = (n - 1) as f64 * p;
            let lo = h.floor() as usize;
            [lo, (lo + 1).min(n - 1)]
        })
        .collect();
    ks.sort_unstable();
    ks.dedup();
    select_many(x, &ks, 0);
    probs
        .iter()
        .map(|p| {
            let h = (n - 1) as f64 * p;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            x[lo] + (h - lo as f64) * (x[hi] - x[lo])
        })
        .collect()
}

/// Place the order statistics `ks` (sorted, offsets relative to `x` start + `offset`) at
/// their positions, recursing around the middle one.
fn select_many(x: &mut [f64], ks: &[usize], offset: usize) {
    if ks.is_empty() || x.len() <= 1 {
        return;
    }
    let mid = ks.len() / 2;
    let k = ks[mid] - offset;
    x.select_nth_unstable_by(k, f64::total_cmp);
    let (left, rest) = x.split_at_mut(k);
    select_many(left, &ks[..mid], offset);
    select_many(&mut rest[1..], &ks[mid + 1..], offset + k + 1);
}

/// Stat name of the warning level: `value` on a single path, else the quantile it is the
/// tier of (`p10` for q = 0.10).
pub fn level_stat(q: f64, n: usize) -> String {
    if n == 1 {
        "value".into()
    } else {
        format!("p{:02}", (q * 100.0).round() as u32)
    }
}

/// Standard error of a proportion.
pub fn prop_se(p: f64, n: usize) -> f64 {
    (p * (1.0 - p) / n as f64).sqrt()
}

struct Out<'a> {
    scenario: &'a str,
    year: i32,
    rows: Vec<TidyRow>,
}

impl Out<'_> {
    fn push(&mut self, fund: &str, metric: &str, stat: &str, value: f64) {
        self.rows.push(TidyRow {
            scenario: self.scenario.to_string(),
            fund: fund.to_string(),
            year: self.year,
            metric: metric.to_string(),
            stat: stat.to_string(),
            value,
        });
    }

    /// Distribution rows of one column (or `value` for a single path).
    fn column(&mut self, fund: &str, metric: &str, x: &mut [f64]) {
        if x.len() == 1 {
            return self.push(fund, metric, "value", x[0]);
        }
        let (mean, sd) = mean_sd(x);
        self.push(fund, metric, "mean", mean);
        self.push(fund, metric, "sd", sd);
        let probs: Vec<f64> = QUANTILES.iter().map(|q| q.0).collect();
        for (v, (_, name)) in quantiles(x, &probs).into_iter().zip(QUANTILES) {
            self.push(fund, metric, name, v);
        }
        self.push(fund, metric, "se", sd / (x.len() as f64).sqrt());
    }

    /// A probability (or a 0/1 value for a single path) with its standard error.
    fn prob(
        &mut self,
        fund: &str,
        metric: &str,
        stat: &str,
        se_metric: Option<&str>,
        hits: usize,
        n: usize,
    ) {
        let p = hits as f64 / n as f64;
        if n == 1 {
            return self.push(fund, metric, if stat == "mean" { "value" } else { stat }, p);
        }
        self.push(fund, metric, stat, p);
        match se_metric {
            Some(m) => self.push(fund, m, stat, prop_se(p, n)),
            None => self.push(fund, metric, "se", prop_se(p, n)),
        }
    }
}

/// Per-path first depletion year index per fund (`usize::MAX` = never).
fn first_depletion(paths: &Paths) -> Vec<[usize; 3]> {
    (0..paths.count)
        .map(|p| {
            let recs = paths.path(p);
            let mut out = [usize::MAX; 3];
            for (f, o) in out.iter_mut().enumerate() {
                *o = recs
                    .iter()
                    .position(|r| fy(r, f).balance < 0.0)
                    .unwrap_or(usize::MAX);
            }
            out
        })
        .collect()
}

/// Tidy summary rows of a set of paths (MODEL.md §10). With one path every row has
/// `stat = value`.
pub fn summarize(m: &Model, paths: &Paths) -> Vec<TidyRow> {
    let s = &m.scenario;
    let tiers = &s.warning.tiers;
    let depletion = first_depletion(paths);
    let per_year: Vec<Vec<TidyRow>> = (0..paths.years)
        .into_par_iter()
        .map(|j| year_rows(m, paths, j, tiers, &depletion))
        .collect();
    per_year.into_iter().flatten().collect()
}

fn year_rows(
    m: &Model,
    paths: &Paths,
    j: usize,
    tiers: &TierTable,
    depletion: &[[usize; 3]],
) -> Vec<TidyRow> {
    let s = &m.scenario;
    let n = paths.count;
    let mut out = Out {
        scenario: &s.region.id,
        year: m.year(j),
        rows: Vec::new(),
    };
    let mut x = vec![0.0; n];
    let gather = |f: usize, spec: &Spec, x: &mut Vec<f64>| {
        for (p, v) in x.iter_mut().enumerate() {
            let recs = paths.path(p);
            *v = (spec.2)(&recs[j], &recs[j.saturating_sub(1)], f);
        }
    };
    for spec in REGION {
        gather(0, spec, &mut x);
        out.column("region", spec.0, &mut x);
    }
    for (f, fund) in FUNDS[1..].iter().enumerate() {
        let (members, subsidy): (&[Spec], &[Spec]) = match f {
            0 => (EMPLOYEE_ONLY, &[]),
            1 => (RESIDENT_ONLY, SUBSIDY),
            _ => (&[], SUBSIDY),
        };
        let specs = members
            .iter()
            .chain(FUND.iter().take(1))
            .chain(subsidy)
            .chain(&FUND[1..]);
        for spec in specs.filter(|sp| j >= sp.1) {
            gather(f, spec, &mut x);
            out.column(fund, spec.0, &mut x);
        }
        // Tiers, warning level, depletion, growth breaches.
        let mut counts = [0usize; 6];
        let mut breaches = 0usize;
        for (p, v) in x.iter_mut().enumerate() {
            let recs = paths.path(p);
            let r = &recs[j];
            let mo = months(r, f);
            counts[tiers.classify(fy(r, f).balance, mo).index()] += 1;
            *v = mo;
            if j >= 1 {
                let g = fy(r, f).spending / fy(&recs[j - 1], f).spending - 1.0;
                breaches += usize::from(g >= s.warning.growth_line);
            }
        }
        // The deterministic path's tier is its warning level; tier probabilities are Monte
        // Carlo rows only (their stat is the tier name, which a `value` row cannot carry).
        if n > 1 {
            for t in Tier::ALL {
                out.prob(
                    fund,
                    "tier_prob",
                    t.name(),
                    Some("tier_prob_se"),
                    counts[t.index()],
                    n,
                );
            }
        }
        let q = quantiles(&mut x, &[s.warning.confidence])[0];
        let level = tiers.classify(q, q);
        out.push(
            fund,
            "warning_level",
            &level_stat(s.warning.confidence, n),
            level.index() as f64,
        );
        let by = depletion.iter().filter(|d| d[f] <= j).count();
        out.prob(fund, "depleted_by", "mean", None, by, n);
        if j >= 1 {
            let at = depletion.iter().filter(|d| d[f] == j).count();
            out.prob(fund, "depletion_year_prob", "mean", None, at, n);
            out.prob(fund, "growth_breach_prob", "mean", None, breaches, n);
        }
    }
    out.rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_numpy_linear() {
        // numpy.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0, .1, .25, .5, .9, 1])
        let mut x = vec![3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let q = quantiles(&mut x, &[0.0, 0.1, 0.25, 0.5, 0.9, 1.0]);
        let expect = [1.0, 1.0, 1.75, 3.5, 6.9, 9.0];
        for (a, b) in q.iter().zip(expect) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
    }

    #[test]
    fn quantiles_of_large_sample_agree_with_sorting() {
        let mut x: Vec<f64> = (0..10_001).map(|i| ((i * 7919) % 10_007) as f64).collect();
        let mut sorted = x.clone();
        sorted.sort_by(f64::total_cmp);
        let probs: Vec<f64> = QUANTILES.iter().map(|q| q.0).collect();
        let q = quantiles(&mut x, &probs);
        for (p, v) in probs.iter().zip(q) {
            let h = 10_000.0 * p;
            let lo = h as usize;
            let e = sorted[lo] + (h - lo as f64) * (sorted[(lo + 1).min(10_000)] - sorted[lo]);
            assert_eq!(v, e);
        }
    }

    #[test]
    fn mean_sd_uses_n_minus_one() {
        let (m, s) = mean_sd(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(m, 2.5);
        assert!((s - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
    }
}
