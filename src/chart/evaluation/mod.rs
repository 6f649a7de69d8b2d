//! Charts of the evaluation against actual figures (MODEL.md §11 *Backtest*, *Plan check*,
//! §13), on the run charts' page (issue #9: the finding in the title, print sizes, the
//! footnote, `<title>`/`<desc>` and pHYs, Chinese or English):
//!
//! - per fund, one panel per metric: the fan of the base-year projection from its base year
//!   with the actual figures as points and a 预测起点 line — and, for `evaluate`, the fan
//!   re-based at the latest actual year over it, as a central bank overlays its previous
//!   forecast, with the plan's targets and end year;
//! - the plan indicators' probabilities of being met, coloured by status, with the base-year
//!   projection's probability and the status thresholds.
//!
//! Actual figures are filled points when their source is a published figure and hollow when
//! it is derived ([`super::is_published`]); projections are never drawn as points. Every
//! label sits above the plots, in the margins or in checked free space ([`super::layout`]).
//! The previous projection is grey, the re-based one the run charts' slate fan; targets are
//! Tol vibrant red; status colours are Tol bright green, yellow and red, outside the tier
//! palette.

mod fans;
mod indicators;
mod lane;

pub use fans::fan_charts;
pub use indicators::indicator_chart;

use super::decision::lower;
use super::frame::footnote;
use super::style::{fund_label, money, num, tr};
use super::{ChartMeta, Lang, drawable};
use crate::decision::target::Cmp;
use crate::evaluation::actuals::{Quantity, quantity};
use crate::evaluation::backtest::FanYear;
use crate::evaluation::plan::{Condition, Status};
use crate::evaluation::report::metric_label;
use plotters::style::RGBColor;

/// The previous (base-year) projection's bands and median when a re-based fan is drawn.
const PREV_OUTER: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
const PREV_INNER: RGBColor = RGBColor(0xC6, 0xC6, 0xC6);
/// Plan targets (Tol vibrant red).
const TARGET: RGBColor = RGBColor(0xCC, 0x33, 0x11);
/// Status colours (Tol bright): met, at risk, not met.
const GOOD: RGBColor = RGBColor(0x22, 0x88, 0x33);
const RISK: RGBColor = RGBColor(0xCC, 0xBB, 0x44);
const BAD: RGBColor = RGBColor(0xEE, 0x66, 0x77);

/// What the evaluation charts say besides their data.
#[derive(Debug, Clone)]
pub struct Labels {
    /// The base-year projection's chart metadata ([`super::decision::meta_for`]): region,
    /// scenario, seed, paths, date and warning lines for titles and the footnote.
    pub meta: ChartMeta,
    /// Language.
    pub lang: Lang,
    /// Appended to the footnote (the actual-figures file, the evaluation year).
    pub extra: String,
    /// The plan's period (evaluate): its end year is marked 规划期末.
    pub plan: Option<(i32, i32)>,
}

impl Labels {
    fn region(&self) -> String {
        let t = self.meta.title.as_deref().unwrap_or("");
        drawable(t, "region name", &mut Vec::new())
    }

    fn foot(&self) -> String {
        let scenario = drawable(&self.meta.scenario, "scenario id", &mut Vec::new());
        footnote(&self.meta, &scenario, self.lang, &self.extra)
    }
}

/// An actual figure on a panel (model units).
#[derive(Debug, Clone, PartialEq)]
pub struct ActualPoint {
    /// Year.
    pub year: i32,
    /// Value in model units.
    pub value: f64,
    /// Whether its source is a published figure (filled point) rather than one derived from
    /// published figures (hollow point).
    pub published: bool,
}

/// A plan target drawn on a panel over its years.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetMark {
    /// First and last year of the indicator.
    pub years: (i32, i32),
    /// The condition, in model units.
    pub condition: Condition,
}

/// One metric of one fund: the fans, the actual figures and the plan's targets.
#[derive(Debug, Clone, PartialEq)]
pub struct FanPanel {
    /// Metric name (MODEL.md §10).
    pub metric: String,
    /// Fan of the base-year projection.
    pub previous: Vec<FanYear>,
    /// Fan of the re-based projection (empty for a back-test).
    pub rebased: Vec<FanYear>,
    /// Actual figures.
    pub actuals: Vec<ActualPoint>,
    /// Plan targets on this metric.
    pub targets: Vec<TargetMark>,
}

/// The panels of one fund (`region` for population figures).
#[derive(Debug, Clone, PartialEq)]
pub struct FundFans {
    /// Fund id.
    pub fund: String,
    /// Panels, one per metric.
    pub panels: Vec<FanPanel>,
}

/// One plan indicator in the probability chart.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorBar {
    /// Name.
    pub name: String,
    /// Target, as text ([`target_text`] for metrics).
    pub target: String,
    /// P(meet) on the re-based projection.
    pub probability: Option<f64>,
    /// P(meet) on the base-year projection.
    pub previous: Option<f64>,
    /// Status.
    pub status: Status,
    /// Input indicators: whether the scenario's input meets the target.
    pub input_meets: Option<bool>,
}

// ---------------------------------------------------------------- units and words

/// A metric's chart unit: the factor from model units and the unit (money as every chart
/// prints it, 亿元 / bn yuan; persons 万人 / million; ratios in percent).
fn unit(metric: &str, lang: Lang) -> (f64, &'static str) {
    match (quantity(metric), lang) {
        (Some(Quantity::Money), l) => money(l),
        (Some(Quantity::Persons), Lang::Zh) => (1e-4, "万人"),
        (Some(Quantity::Persons), Lang::En) => (1e-6, "million persons"),
        (Some(Quantity::Months), Lang::Zh) => (1.0, "个月"),
        (Some(Quantity::Months), Lang::En) => (1.0, "months"),
        _ => (100.0, "%"),
    }
}

/// A number in chart units with as few decimals as it has (none from 100 up, else at most
/// two).
fn short(v: f64) -> String {
    let d = if v.abs() >= 100.0 { 0 } else { 2 };
    let s = num(v, d);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A value of `metric` (model units) in chart units with fixed decimals: one for percent and
/// months, none for large money and person counts.
fn value_num(metric: &str, v: f64, lang: Lang) -> String {
    let (f, u) = unit(metric, lang);
    let x = v * f;
    let d = if u == "%" || quantity(metric) == Some(Quantity::Months) {
        1
    } else if x.abs() >= 100.0 {
        0
    } else if x.abs() >= 1.0 {
        1
    } else {
        2
    };
    num(x, d)
}

/// A value of `metric` (model units) with its unit, e.g. `9724 亿元`, `13.9%`.
fn value_text(metric: &str, v: f64, lang: Lang) -> String {
    let (_, u) = unit(metric, lang);
    let n = value_num(metric, v, lang);
    if u == "%" {
        format!("{n}%")
    } else {
        format!("{n} {u}")
    }
}

/// A target value with its unit, as few decimals as it has (`10%`, `1500 万人`).
fn target_value(metric: &str, v: f64, lang: Lang) -> String {
    let (f, u) = unit(metric, lang);
    if u == "%" {
        format!("{}%", short(v * f))
    } else {
        format!("{} {u}", short(v * f))
    }
}

/// A plan target on `metric` as text in chart units, e.g. `2021–2025 年每年 < 10%`.
pub fn target_text(metric: &str, c: &Condition, years: (i32, i32), lang: Lang) -> String {
    let v = |x: f64| target_value(metric, x, lang);
    let cond = match *c {
        Condition::Cmp(cmp, t) => {
            let sym = match cmp {
                Cmp::Ge => "≥",
                Cmp::Gt => ">",
                Cmp::Le => "≤",
                Cmp::Lt => "<",
            };
            format!("{sym} {}", v(t))
        }
        Condition::Between(lo, hi) => {
            let (f, u) = unit(metric, lang);
            let sep = if u == "%" { "" } else { " " };
            format!("{}–{}{sep}{u}", short(lo * f), short(hi * f))
        }
        Condition::Approx(t, tol) => match lang {
            Lang::Zh => format!("约 {}（±{}%）", v(t), short(tol * 100.0)),
            Lang::En => format!("about {} (±{}%)", v(t), short(tol * 100.0)),
        },
    };
    match (lang, years.0 == years.1) {
        (Lang::Zh, true) => format!("{} 年 {cond}", years.1),
        (Lang::Zh, false) => format!("{}–{} 年每年 {cond}", years.0, years.1),
        (Lang::En, true) => format!("{cond} in {}", years.1),
        (Lang::En, false) => format!("{cond} every year {}–{}", years.0, years.1),
    }
}

/// The values a target's lines are drawn at.
fn target_values(c: &Condition) -> Vec<f64> {
    match *c {
        Condition::Cmp(_, t) => vec![t],
        Condition::Between(lo, hi) => vec![lo, hi],
        Condition::Approx(t, tol) => vec![t * (1.0 - tol), t * (1.0 + tol)],
    }
}

fn metric_name(metric: &str, lang: Lang) -> String {
    metric_label(metric, lang == Lang::En).to_string()
}

/// `浙江省人口：` / `Zhejiang, resident fund: `.
fn prefix(region: &str, fund: &str, lang: Lang) -> String {
    let f = if fund == "region" {
        tr(lang, "人口", "Population").to_string()
    } else {
        fund_label(fund, lang)
    };
    match lang {
        Lang::Zh => format!("{region}{f}："),
        Lang::En if region.is_empty() => format!("{f}: "),
        Lang::En => format!("{region}, {}: ", lower(&f)),
    }
}
