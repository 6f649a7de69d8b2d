//! What the charts know about a fund besides its rows: whether the base-year values are
//! published figures or assumptions, the published figures of the seeds to draw as actual
//! points, the reforms that make steps, and the plan's end year and binding indicator
//! (`seeds/targets.toml` through [`crate::targets`], carried in the run's manifest).

use super::{ChartMeta, Lang};
use crate::targets::Target;

/// Whether a `source` text cites a published figure (a seed quote, a bulletin, `actual: …`
/// of a re-based scenario) rather than an assumption: not empty, and not starting with
/// `assumption`, `derived`, `option`, `sensitivity`, `calibrated`, `central path` (a
/// re-based scenario's value from the old scenario's path) or `set on the command line` /
/// `--set` (README "Scenario files", "Re-basing").
pub fn is_published(source: &str) -> bool {
    let s = source.trim().to_ascii_lowercase();
    !s.is_empty()
        && ![
            "assumption",
            "derived",
            "option",
            "sensitivity",
            "calibrated",
            "central path",
            "set on the command line",
            "--set",
        ]
        .iter()
        .any(|w| s.starts_with(w))
}

/// A published figure drawn as an actual point (MODEL.md §13 base-year check).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Observed {
    /// Summary metric it matches: `income`, `spending` or `balance`.
    pub metric: &'static str,
    /// Year.
    pub year: i32,
    /// Value in yuan.
    pub value: f64,
    /// Whether the published figure includes maternity insurance (生育保险).
    pub maternity: bool,
}

/// The plan's binding spending-growth indicator: growth below `line` in years to `year`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct GrowthTarget {
    /// Last year of the plan.
    pub year: i32,
    /// Growth line as a fraction.
    pub line: f64,
}

/// Per-fund facts from the metadata.
#[derive(Debug, Clone, Default)]
pub(crate) struct FundInfo {
    /// Base-year balance is a published figure.
    pub balance_published: bool,
    /// Base-year spending is a published figure.
    pub spending_published: bool,
    /// Published figures of this fund (the seeds give totals of both funds: combined only).
    pub observed: Vec<Observed>,
    /// Reform start years with their display names (both funds' for combined).
    pub reforms: Vec<(i32, Vec<String>)>,
    /// Last year of the plan (binding or expected indicators), if any.
    pub plan_end: Option<i32>,
    /// The binding spending-growth indicator, if the plan has one.
    pub growth_target: Option<GrowthTarget>,
}

impl FundInfo {
    /// Whether the base-year months of reserve (balance ÷ spending) are published figures.
    pub fn months_published(&self) -> bool {
        self.balance_published && self.spending_published
    }
}

fn observed_metric(t: &Target) -> Option<&'static str> {
    let i = t.indicator.as_str();
    if t.kind != "observed" || !matches!(t.comparison.as_str(), "eq" | "approx") || t.unit != "亿元"
    {
        return None;
    }
    if i.starts_with("fund_income") {
        Some("income")
    } else if i.starts_with("fund_spending") && !i.contains("growth") {
        Some("spending")
    } else if i.starts_with("fund_accumulated_balance") || i.starts_with("fund_balance") {
        Some("balance")
    } else {
        None
    }
}

/// Display name of a reform (the scenario's English name; Chinese for the known ones).
pub(crate) fn reform_name(name: &str, lang: Lang) -> String {
    let zh = match name.to_ascii_lowercase().as_str() {
        "drg payment" => "DRG 付费",
        "drg/dip payment" => "DRG/DIP 付费",
        "dip payment" => "DIP 付费",
        "volume-based procurement" => "集中带量采购",
        "outpatient mutual-aid pooling" => "门诊共济",
        _ => "",
    };
    match lang {
        Lang::Zh if !zh.is_empty() => zh.to_string(),
        _ => name.to_string(),
    }
}

/// The facts of `fund` (`employee`, `resident`, `combined`) whose base year is `y0`.
pub(crate) fn fund_info(meta: &ChartMeta, fund: &str, lang: Lang, y0: Option<i32>) -> FundInfo {
    let idx: &[usize] = match fund {
        "employee" => &[0],
        "resident" => &[1],
        _ => &[0, 1],
    };
    let base = &meta.base;
    let observed: Vec<Observed> = if fund == "combined" {
        meta.targets
            .iter()
            .filter_map(|t| {
                Some(Observed {
                    metric: observed_metric(t)?,
                    year: t.year,
                    value: t.value * 1e8,
                    maternity: t.indicator.contains("maternity"),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    // A combined base value is published when both parts are, or when it equals a published
    // total of the base year (within 0.5%).
    let published = |src: fn(&super::BaseInput) -> (&str, Option<f64>), metric: &str| -> bool {
        if idx.iter().all(|&f| is_published(src(&base[f]).0)) {
            return true;
        }
        let total: Option<f64> = idx.iter().map(|&f| src(&base[f]).1).sum();
        match (idx.len(), total) {
            (2, Some(v)) => observed.iter().any(|o| {
                o.metric == metric
                    && Some(o.year) == y0
                    && (o.value - v).abs() <= 0.005 * o.value.abs()
            }),
            _ => false,
        }
    };
    let mut reforms: Vec<(i32, Vec<String>)> = Vec::new();
    for r in meta.reforms.iter().filter(|r| idx.contains(&r.fund)) {
        let name = reform_name(&r.name, lang);
        match reforms.iter_mut().find(|(y, _)| *y == r.start) {
            Some((_, names)) => {
                if !names.contains(&name) {
                    names.push(name)
                }
            }
            None => reforms.push((r.start, vec![name])),
        }
    }
    reforms.sort_by_key(|r| r.0);
    let plan_end = meta
        .targets
        .iter()
        .filter(|t| t.kind == "binding" || t.kind == "expected")
        .map(|t| t.year)
        .max();
    let growth_target = meta
        .targets
        .iter()
        .filter(|t| {
            t.kind == "binding"
                && t.indicator == "fund_spending_growth"
                && matches!(t.comparison.as_str(), "lt" | "le")
        })
        .map(|t| GrowthTarget {
            year: t.year,
            line: t.value / 100.0,
        })
        .max_by_key(|g| g.year);
    FundInfo {
        balance_published: published(|b| (&b.balance_source, b.balance), "balance"),
        spending_published: published(|b| (&b.spending_source, b.spending), "spending"),
        observed,
        reforms,
        plan_end,
        growth_target,
    }
}
