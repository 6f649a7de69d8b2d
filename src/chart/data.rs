//! Series extracted from tidy rows (MODEL.md §10) for one fund, in year order.

use crate::export::TidyRow;
use crate::warning::Tier;
use std::collections::BTreeMap;

/// All rows of one fund of one scenario, keyed by `(metric, stat)` then year.
#[derive(Debug, Default)]
pub(crate) struct FundData {
    map: BTreeMap<(String, String), BTreeMap<i32, f64>>,
}

/// Group rows of `scenario` by fund (BTreeMap: deterministic order).
pub(crate) fn group(rows: &[TidyRow], scenario: &str) -> BTreeMap<String, FundData> {
    let mut out: BTreeMap<String, FundData> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.scenario == scenario) {
        out.entry(r.fund.clone())
            .or_default()
            .map
            .entry((r.metric.clone(), r.stat.clone()))
            .or_default()
            .insert(r.year, r.value);
    }
    out
}

/// Points `(year, value)`, finite values only.
pub(crate) type Pts = Vec<(f64, f64)>;

impl FundData {
    /// Finite `(year, value · scale)` points of one metric and stat, in year order.
    pub(crate) fn series(&self, metric: &str, stat: &str, scale: f64) -> Pts {
        self.map
            .get(&(metric.to_string(), stat.to_string()))
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| v.is_finite())
                    .map(|(y, v)| (*y as f64, v * scale))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// One value.
    pub(crate) fn value(&self, metric: &str, stat: &str, year: i32) -> Option<f64> {
        self.map
            .get(&(metric.to_string(), stat.to_string()))
            .and_then(|m| m.get(&year))
            .copied()
            .filter(|v| v.is_finite())
    }

    /// All years with any row, ascending.
    pub(crate) fn years(&self) -> Vec<i32> {
        let mut ys: Vec<i32> = self.map.values().flat_map(|m| m.keys().copied()).collect();
        ys.sort_unstable();
        ys.dedup();
        ys
    }

    /// Per year, the probability of each tier (index order), from `tier_prob` rows (Monte
    /// Carlo); a deterministic summary has none, and its path's tier (`warning_level`,
    /// stat `value`) counts with probability 1.
    pub(crate) fn tier_probs(&self) -> Vec<(i32, [f64; 6])> {
        let mut by_year: BTreeMap<i32, [f64; 6]> = BTreeMap::new();
        if !self.map.keys().any(|(m, _)| m == "tier_prob") {
            for (x, v) in self.series("warning_level", "value", 1.0) {
                if let Some(t) = Tier::from_index(v.round() as usize) {
                    by_year.entry(x as i32).or_insert([0.0; 6])[t.index()] = 1.0;
                }
            }
            return by_year.into_iter().collect();
        }
        for ((metric, stat), m) in &self.map {
            if metric != "tier_prob" {
                continue;
            }
            if let Some(t) = Tier::from_name(stat) {
                for (y, v) in m {
                    if v.is_finite() {
                        by_year.entry(*y).or_insert([0.0; 6])[t.index()] = v.clamp(0.0, 1.0);
                    }
                }
            }
        }
        by_year.into_iter().collect()
    }

    /// P(months of reserve below the tier line `line`) per year: the tier probabilities of
    /// the tiers entirely below it (MODEL.md §8), Monte Carlo rows only.
    pub(crate) fn prob_below(&self, lines: [f64; 4], line: f64) -> Pts {
        self.tier_probs_mc()
            .into_iter()
            .map(|(y, p)| {
                let below: f64 = Tier::ALL
                    .iter()
                    .filter(|t| tier_upper(**t, lines) <= line)
                    .map(|t| p[t.index()])
                    .sum();
                (y as f64, below)
            })
            .collect()
    }

    fn tier_probs_mc(&self) -> Vec<(i32, [f64; 6])> {
        if self.map.keys().any(|(m, _)| m == "tier_prob") {
            self.tier_probs()
        } else {
            Vec::new()
        }
    }
}

/// Upper bound in months of a tier (MODEL.md §8).
pub(crate) fn tier_upper(t: Tier, l: [f64; 4]) -> f64 {
    match t {
        Tier::Depleted => 0.0,
        Tier::Insufficient => l[0],
        Tier::Low => l[1],
        Tier::Reasonable => l[2],
        Tier::High => l[3],
        Tier::Excess => f64::INFINITY,
    }
}

/// The months range of a tier, `(lower, upper)` (MODEL.md §8).
pub(crate) fn tier_interval(t: Tier, l: [f64; 4]) -> (f64, f64) {
    let lower = match Tier::from_index(t.index().wrapping_sub(1)) {
        Some(prev) => tier_upper(prev, l),
        None => f64::NEG_INFINITY,
    };
    (lower, tier_upper(t, l))
}

/// A fan: quantile bands, median and the deterministic path of one metric.
#[derive(Debug, Default)]
pub(crate) struct Fan {
    pub p05: Pts,
    pub p25: Pts,
    pub p50: Pts,
    pub p75: Pts,
    pub p95: Pts,
    pub det: Pts,
}

impl Fan {
    pub(crate) fn of(fd: &FundData, metric: &str, scale: f64) -> Fan {
        Fan {
            p05: fd.series(metric, "p05", scale),
            p25: fd.series(metric, "p25", scale),
            p50: fd.series(metric, "p50", scale),
            p75: fd.series(metric, "p75", scale),
            p95: fd.series(metric, "p95", scale),
            det: fd.series(metric, "value", scale),
        }
    }

    pub(crate) fn is_mc(&self) -> bool {
        !self.p50.is_empty()
    }

    /// Every value drawn.
    pub(crate) fn values(&self) -> impl Iterator<Item = f64> + '_ {
        [
            &self.p05, &self.p25, &self.p50, &self.p75, &self.p95, &self.det,
        ]
        .into_iter()
        .flat_map(|s| s.iter().map(|p| p.1))
    }

    /// The first point (base year) of the central path, or of the median.
    pub(crate) fn base(&self) -> Option<(f64, f64)> {
        self.det.first().or(self.p50.first()).copied()
    }

    /// The central line: the median (Monte Carlo) or the deterministic path.
    pub(crate) fn central(&self) -> &Pts {
        if self.is_mc() { &self.p50 } else { &self.det }
    }
}

/// First year from `from` on where `series` is below `line` after being at or above it the
/// year before (a downward crossing).
pub(crate) fn crossing_below(series: &Pts, line: f64, from: i32) -> Option<i32> {
    series.windows(2).find_map(|w| {
        (w[1].0 as i32 >= from && w[1].1 < line && w[0].1 >= line).then_some(w[1].0 as i32)
    })
}

/// Value of a series in a year.
pub(crate) fn at(series: &Pts, year: i32) -> Option<f64> {
    series.iter().find(|p| p.0 as i32 == year).map(|p| p.1)
}

/// `(min, max)` of finite values, `None` when none.
pub(crate) fn extent(vals: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    vals.filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((a, b)) => Some((a.min(v), b.max(v))),
        })
}
