//! The back-test (MODEL.md §11 *Backtest*, §13): each actual figure against the simulated
//! paths of a projection from the base year — its percentile rank, the P5–P95 and P25–P75
//! ranges, the median and the error from it — and, per metric, the share of figures inside
//! each band with its binomial standard error and the mean rank.
//!
//! A calibrated projection gives ranks uniform on (0, 1): about 90% inside P5–P95, 50%
//! inside P25–P75, mean rank 0.5.

use super::actuals::Actual;
use crate::engine::Paths;
use crate::export::TidyRow;
use crate::resolve::Model;
use crate::summary::{metric_values, prop_se, quantiles};

/// Percentile rank of `a` among `x`: `(#{x < a} + ½·#{x = a}) / n` (MODEL.md §13).
pub fn percentile_rank(x: &[f64], a: f64) -> f64 {
    let below = x.iter().filter(|&&v| v < a).count() as f64;
    let equal = x.iter().filter(|&&v| v == a).count() as f64;
    (below + 0.5 * equal) / x.len() as f64
}

/// One actual figure against the simulated paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The actual figure.
    pub actual: Actual,
    /// P5, P25, median, P75, P95 of the simulated values (MODEL.md §10 quantiles).
    pub q: [f64; 5],
    /// Percentile rank of the actual.
    pub rank: f64,
}

/// Quantile levels of [`Figure::q`].
pub const LEVELS: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

impl Figure {
    /// Median of the simulated values.
    pub fn median(&self) -> f64 {
        self.q[2]
    }

    /// Actual minus median (model units).
    pub fn error(&self) -> f64 {
        self.actual.value - self.q[2]
    }

    /// Error relative to the median (`None` when the median is 0: no output carries a
    /// number that is not finite).
    pub fn relative_error(&self) -> Option<f64> {
        (self.q[2] != 0.0).then(|| self.error() / self.q[2].abs())
    }

    /// `p05 ≤ a ≤ p95`.
    pub fn inside_90(&self) -> bool {
        (self.q[0]..=self.q[4]).contains(&self.actual.value)
    }

    /// `p25 ≤ a ≤ p75`.
    pub fn inside_50(&self) -> bool {
        (self.q[1]..=self.q[3]).contains(&self.actual.value)
    }
}

/// The figures of one fund and metric together.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricScore {
    /// Fund.
    pub fund: String,
    /// Metric.
    pub metric: String,
    /// Number of figures.
    pub n: usize,
    /// Share inside P5–P95 and its binomial standard error.
    pub inside_90: (f64, f64),
    /// Share inside P25–P75 and its binomial standard error.
    pub inside_50: (f64, f64),
    /// Mean percentile rank.
    pub mean_rank: f64,
}

/// A back-test: every figure, then the per-metric scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    /// Figures in the order of the actuals file.
    pub figures: Vec<Figure>,
    /// Per fund and metric, in order of first appearance.
    pub scores: Vec<MetricScore>,
    /// Simulated paths each figure was ranked among.
    pub paths: usize,
}

/// Rank every actual figure among `paths` of model `m` (run from its base year).
pub fn backtest(m: &Model, paths: &Paths, actuals: &[Actual]) -> Backtest {
    let figures: Vec<Figure> = actuals
        .iter()
        .map(|a| {
            let j = (a.year - m.base_year) as usize;
            let mut x = metric_values(paths, j, &a.fund, &a.metric);
            let rank = percentile_rank(&x, a.value);
            let q = quantiles(&mut x, &LEVELS);
            Figure {
                actual: a.clone(),
                q: q.try_into().expect("five levels"),
                rank,
            }
        })
        .collect();
    let mut keys: Vec<(String, String)> = Vec::new();
    for f in &figures {
        let k = (f.actual.fund.clone(), f.actual.metric.clone());
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let scores = keys
        .into_iter()
        .map(|(fund, metric)| {
            let g: Vec<&Figure> = figures
                .iter()
                .filter(|f| f.actual.fund == fund && f.actual.metric == metric)
                .collect();
            score(fund, metric, &g)
        })
        .collect();
    Backtest {
        figures,
        scores,
        paths: paths.count,
    }
}

fn score(fund: String, metric: String, g: &[&Figure]) -> MetricScore {
    let n = g.len();
    let share = |hit: fn(&Figure) -> bool| {
        let p = g.iter().filter(|f| hit(f)).count() as f64 / n as f64;
        (p, prop_se(p, n))
    };
    MetricScore {
        fund,
        metric,
        n,
        inside_90: share(Figure::inside_90),
        inside_50: share(Figure::inside_50),
        mean_rank: g.iter().map(|f| f.rank).sum::<f64>() / n as f64,
    }
}

/// One year of a fan: P5, P25, median, P75, P95.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FanYear {
    /// Calendar year.
    pub year: i32,
    /// P5, P25, median, P75, P95.
    pub q: [f64; 5],
}

/// The fan of `metric` for `fund` from a run's Monte Carlo summary rows, years in order.
/// Years whose five quantiles are not all present are skipped.
pub fn fan(rows: &[TidyRow], fund: &str, metric: &str) -> Vec<FanYear> {
    const STATS: [&str; 5] = ["p05", "p25", "p50", "p75", "p95"];
    let mut years: Vec<i32> = rows
        .iter()
        .filter(|r| r.fund == fund && r.metric == metric && r.stat == "p50")
        .map(|r| r.year)
        .collect();
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .filter_map(|y| {
            let mut q = [f64::NAN; 5];
            for r in rows
                .iter()
                .filter(|r| r.fund == fund && r.metric == metric && r.year == y)
            {
                if let Some(i) = STATS.iter().position(|s| *s == r.stat) {
                    q[i] = r.value;
                }
            }
            q.iter()
                .all(|v| !v.is_nan())
                .then_some(FanYear { year: y, q })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_counts_ties_half() {
        let x = [1.0, 2.0, 2.0, 3.0];
        assert_eq!(percentile_rank(&x, 2.0), 0.5);
        assert_eq!(percentile_rank(&x, 0.0), 0.0);
        assert_eq!(percentile_rank(&x, 9.0), 1.0);
        assert_eq!(percentile_rank(&x, 2.5), 0.75);
    }
}
