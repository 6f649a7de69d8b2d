//! Summaries (MODEL.md §8, §10): per year, fund and metric the mean, sd (n − 1), quantiles
//! (linear interpolation between order statistics, NumPy's default), tier probabilities,
//! warning level, P(depleted by t), the depletion-year distribution, P(growth ≥ line), and
//! Monte Carlo standard errors of the probabilities. A single path (the deterministic one)
//! gives `stat = value` rows through the same code.
//!
//! Every reduction runs over paths in path order inside one task, so the output does not
//! depend on the number of threads.

use crate::engine::Paths;
use crate::export::TidyRow;
use crate::resolve::Model;
use crate::warning::Tier;
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

/// The base quantities of one year for every path, gathered in one pass over the paths
/// (column `k` holds field `k` of every path), plus the previous year's spending.
struct Columns {
    region: [Vec<f64>; 6],
    fund: [[Vec<f64>; 5]; 2],
    spending_prev: [Vec<f64>; 2],
}

impl Columns {
    fn gather(paths: &Paths, j: usize) -> Self {
        let n = paths.count;
        let v = || Vec::with_capacity(n);
        let mut c = Columns {
            region: std::array::from_fn(|_| v()),
            fund: std::array::from_fn(|_| std::array::from_fn(|_| v())),
            spending_prev: std::array::from_fn(|_| v()),
        };
        let prev_j = j.saturating_sub(1);
        for ch in 0..paths.chunks() {
            let (now, prev) = (paths.chunk_year(ch, j), paths.chunk_year(ch, prev_j));
            for (r, pr) in now.iter().zip(prev) {
                for (col, val) in c.region.iter_mut().zip([
                    r.population,
                    r.aged_60_plus,
                    r.actives,
                    r.retirees,
                    r.residents,
                    r.subsidy_cost,
                ]) {
                    col.push(val);
                }
                for f in 0..2 {
                    let y = &r.fund[f];
                    let cols = &mut c.fund[f];
                    cols[0].push(y.contributions);
                    cols[1].push(y.other_income);
                    cols[2].push(y.interest);
                    cols[3].push(y.spending);
                    cols[4].push(y.balance);
                    c.spending_prev[f].push(pr.fund[f].spending);
                }
            }
        }
        c
    }

    /// Field `k` (contributions, other, interest, spending, balance) of fund `f` at path `p`;
    /// `f = 2` is the sum of both funds.
    #[inline]
    fn get(&self, f: usize, k: usize, p: usize) -> f64 {
        if f < 2 {
            self.fund[f][k][p]
        } else {
            self.fund[0][k][p] + self.fund[1][k][p]
        }
    }

    #[inline]
    fn spending_prev(&self, f: usize, p: usize) -> f64 {
        if f < 2 {
            self.spending_prev[f][p]
        } else {
            self.spending_prev[0][p] + self.spending_prev[1][p]
        }
    }

    #[inline]
    fn income(&self, f: usize, p: usize) -> f64 {
        self.get(f, CONTRIB, p) + self.get(f, OTHER, p) + self.get(f, INTEREST, p)
    }

    #[inline]
    fn months(&self, f: usize, p: usize) -> f64 {
        12.0 * self.get(f, BALANCE, p) / self.get(f, SPENDING, p)
    }

    #[inline]
    fn growth(&self, f: usize, p: usize) -> f64 {
        self.get(f, SPENDING, p) / self.spending_prev(f, p) - 1.0
    }

    /// Fill `x` with `metric` of fund `f` for every path.
    fn derive(&self, metric: &str, f: usize, x: &mut [f64]) {
        fn fill(x: &mut [f64], g: impl Fn(usize) -> f64) {
            for (p, v) in x.iter_mut().enumerate() {
                *v = g(p);
            }
        }
        match metric {
            "population" => x.copy_from_slice(&self.region[0]),
            "aged_60_plus" => x.copy_from_slice(&self.region[1]),
            "actives" => x.copy_from_slice(&self.region[2]),
            "retirees" => x.copy_from_slice(&self.region[3]),
            "residents" => x.copy_from_slice(&self.region[4]),
            "subsidy_cost" => x.copy_from_slice(&self.region[5]),
            "insured" => match f {
                0 => fill(x, |p| self.region[2][p] + self.region[3][p]),
                1 => x.copy_from_slice(&self.region[4]),
                _ => fill(x, |p| {
                    self.region[2][p] + self.region[3][p] + self.region[4][p]
                }),
            },
            "income" => fill(x, |p| self.income(f, p)),
            "contributions" => fill(x, |p| self.get(f, CONTRIB, p)),
            "other_income" => fill(x, |p| self.get(f, OTHER, p)),
            "interest" => fill(x, |p| self.get(f, INTEREST, p)),
            "spending" => fill(x, |p| self.get(f, SPENDING, p)),
            "balance" => fill(x, |p| self.get(f, BALANCE, p)),
            "net_flow" => fill(x, |p| self.income(f, p) - self.get(f, SPENDING, p)),
            "months_reserve" => fill(x, |p| self.months(f, p)),
            "spending_growth" => fill(x, |p| self.growth(f, p)),
            "deficit" => fill(x, |p| {
                f64::from(u8::from(self.income(f, p) < self.get(f, SPENDING, p)))
            }),
            other => unreachable!("unknown metric {other}"),
        }
    }
}

/// Months of reserve `12·B/S` of fund `f` (0 employee, 1 resident, 2 combined) in one
/// record (MODEL.md §7).
pub fn months_of(r: &crate::engine::YearRecord, f: usize) -> f64 {
    let (b, s) = if f < 2 {
        (r.fund[f].balance, r.fund[f].spending)
    } else {
        (
            r.fund[0].balance + r.fund[1].balance,
            r.fund[0].spending + r.fund[1].spending,
        )
    };
    12.0 * b / s
}

const CONTRIB: usize = 0;
const OTHER: usize = 1;
const INTEREST: usize = 2;
const SPENDING: usize = 3;
const BALANCE: usize = 4;

/// Metrics of a fund with the first year index they are defined for (MODEL.md §10, §12:
/// flows that need a previous year start at `Y0 + 1`).
const FUND_METRICS: [(&str, usize); 10] = [
    ("contributions", 0),
    ("other_income", 0),
    ("interest", 1),
    ("income", 1),
    ("spending", 0),
    ("net_flow", 1),
    ("balance", 0),
    ("months_reserve", 0),
    ("spending_growth", 1),
    ("deficit", 1),
];

/// Metrics of each fund id before the fund metrics. `insured` (MODEL.md §13) is the fund's
/// members: actives + retirees (employee), residents (resident), all three (combined).
fn own_metrics(fund: &str) -> &'static [&'static str] {
    match fund {
        "region" => &["population", "aged_60_plus"],
        "employee" => &["actives", "retirees", "insured"],
        "resident" => &["residents", "subsidy_cost", "insured"],
        _ => &["subsidy_cost", "insured"],
    }
}

/// First year index at which `metric` is reported for `fund` (0 = base year), or `None`
/// when the summaries have no such row (MODEL.md §10, §12). The one list of which metric
/// belongs to which fund, shared with the evaluation of actual figures (§13).
pub fn metric_start(fund: &str, metric: &str) -> Option<usize> {
    if !FUNDS.contains(&fund) {
        return None;
    }
    if own_metrics(fund).contains(&metric) {
        return Some(0);
    }
    if fund == "region" {
        return None;
    }
    FUND_METRICS
        .iter()
        .find(|(m, _)| *m == metric)
        .map(|(_, from)| *from)
}

/// The values of `metric` for `fund` in year index `j` on every path, in path order: the
/// numbers the summary's quantiles of that row are taken from (MODEL.md §10, §13).
/// `metric` must be one [`metric_start`] knows for `fund`, and `j` at or after its start.
pub fn metric_values(paths: &Paths, j: usize, fund: &str, metric: &str) -> Vec<f64> {
    let fi = FUNDS
        .iter()
        .position(|f| *f == fund)
        .expect("a summary fund");
    debug_assert!(metric_start(fund, metric).is_some_and(|s| j >= s));
    let cols = Columns::gather(paths, j);
    let mut x = vec![0.0; paths.count];
    cols.derive(metric, fi.saturating_sub(1), &mut x);
    x
}

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
    let at = |i: usize, x: &[f64], zeros: Option<usize>| match zeros {
        // A 0/1 column in sorted order: `zeros` zeros, then ones.
        Some(z) => f64::from(u8::from(i >= z)),
        None => x[i],
    };
    let interpolate = |x: &[f64], zeros: Option<usize>| -> Vec<f64> {
        probs
            .iter()
            .map(|p| {
                let h = (n - 1) as f64 * p;
                let lo = h.floor() as usize;
                let hi = (lo + 1).min(n - 1);
                let (a, b) = (at(lo, x, zeros), at(hi, x, zeros));
                a + (h - lo as f64) * (b - a)
            })
            .collect()
    };
    // Fast paths that give the same numbers as selection: a constant column, a 0/1 column.
    if x.iter().all(|v| v.to_bits() == x[0].to_bits()) {
        return probs.iter().map(|_| x[0]).collect();
    }
    if x.iter().all(|&v| v == 0.0 || v == 1.0) {
        let zeros = x.iter().filter(|&&v| v == 0.0).count();
        return interpolate(x, Some(zeros));
    }
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
    interpolate(x, None)
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

/// Per-path first depletion year index per fund (`usize::MAX` = never), chunk by chunk in
/// parallel (each path's answer depends on that path alone).
fn first_depletion(paths: &Paths) -> Vec<[usize; 3]> {
    let per_chunk: Vec<Vec<[usize; 3]>> = (0..paths.chunks())
        .into_par_iter()
        .map(|ch| {
            let mut out = vec![[usize::MAX; 3]; paths.chunk_year(ch, 0).len()];
            for j in 0..paths.years {
                for (o, r) in out.iter_mut().zip(paths.chunk_year(ch, j)) {
                    let b = [
                        r.fund[0].balance,
                        r.fund[1].balance,
                        r.fund[0].balance + r.fund[1].balance,
                    ];
                    for f in 0..3 {
                        if b[f] < 0.0 && o[f] == usize::MAX {
                            o[f] = j;
                        }
                    }
                }
            }
            out
        })
        .collect();
    per_chunk.concat()
}

/// `Err` naming the first row whose value is not a finite number (README "Errors and
/// guarantees": no such number reaches an output; every summary is checked before it is
/// written).
pub fn check_finite(rows: &[TidyRow]) -> Result<(), String> {
    match rows.iter().find(|r| !r.value.is_finite()) {
        None => Ok(()),
        Some(r) => Err(format!(
            "{}: {} {} {} is {}; expected a finite number (the paths' values are too large to summarise)",
            r.year,
            r.fund,
            r.metric,
            r.stat,
            crate::scenario::read::num_text(r.value)
        )),
    }
}

/// Tidy summary rows of a set of paths (MODEL.md §10). With one path every row has
/// `stat = value`.
pub fn summarize(m: &Model, paths: &Paths) -> Vec<TidyRow> {
    let depletion = first_depletion(paths);
    let per_year: Vec<Vec<TidyRow>> = (0..paths.years)
        .into_par_iter()
        .map(|j| year_rows(m, paths, j, &depletion))
        .collect();
    per_year.into_iter().flatten().collect()
}

fn year_rows(m: &Model, paths: &Paths, j: usize, depletion: &[[usize; 3]]) -> Vec<TidyRow> {
    let cols = Columns::gather(paths, j);
    // The four funds of a year share the gathered columns and run as tasks of their own.
    let per_fund: Vec<Vec<TidyRow>> = (0..FUNDS.len())
        .into_par_iter()
        .map(|fi| fund_rows(m, &cols, paths.count, j, fi, depletion))
        .collect();
    per_fund.into_iter().flatten().collect()
}

fn fund_rows(
    m: &Model,
    cols: &Columns,
    n: usize,
    j: usize,
    fi: usize,
    depletion: &[[usize; 3]],
) -> Vec<TidyRow> {
    let s = &m.scenario;
    let tiers = &s.warning.tiers;
    let fund = FUNDS[fi];
    let f = fi.saturating_sub(1);
    let mut out = Out {
        scenario: &s.region.id,
        year: m.year(j),
        rows: Vec::new(),
    };
    let mut x = vec![0.0; n];
    for metric in own_metrics(fund) {
        cols.derive(metric, f, &mut x);
        out.column(fund, metric, &mut x);
    }
    if fi == 0 {
        return out.rows;
    }
    for (metric, from) in FUND_METRICS {
        if j >= from {
            cols.derive(metric, f, &mut x);
            out.column(fund, metric, &mut x);
        }
    }
    // Tiers, warning level, depletion, growth breaches.
    let mut counts = [0usize; 6];
    let mut breaches = 0usize;
    for (p, v) in x.iter_mut().enumerate() {
        let mo = cols.months(f, p);
        counts[tiers.classify(cols.get(f, BALANCE, p), mo).index()] += 1;
        *v = mo;
        if j >= 1 {
            breaches += usize::from(cols.growth(f, p) >= s.warning.growth_line);
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
    fn fast_paths_agree_with_selection() {
        let probs: Vec<f64> = QUANTILES.iter().map(|q| q.0).collect();
        let mut bin: Vec<f64> = (0..1001).map(|i| f64::from(u8::from(i % 3 == 0))).collect();
        let mut sorted = bin.clone();
        sorted.sort_by(f64::total_cmp);
        let fast = quantiles(&mut bin, &probs);
        for (p, v) in probs.iter().zip(fast) {
            let h = 1000.0 * p;
            let lo = h as usize;
            let e = sorted[lo] + (h - lo as f64) * (sorted[(lo + 1).min(1000)] - sorted[lo]);
            assert_eq!(v, e, "p = {p}");
        }
        assert_eq!(quantiles(&mut [2.5; 7], &[0.1, 0.9]), vec![2.5, 2.5]);
    }

    #[test]
    fn mean_sd_uses_n_minus_one() {
        let (m, s) = mean_sd(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(m, 2.5);
        assert!((s - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
    }
}
