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

use super::axes::{Margins, Plot, year_range};
use super::decision::lower;
use super::frame::{Item, Page, Sw, footnote, item, legend_rows, no_data, panel_frame};
use super::layout::Rect;
use super::panels::{left_margin, y_axis};
use super::style::{
    FAN_INNER, FAN_OUTER, GREY, INK, MEDIAN, alpha, em, fund_label, line_h, money, num, pct, size,
    stroke, tr,
};
use super::text::{Area, R, anchored, text, text_lines, width, wrap};
use super::{Body, ChartError, ChartMeta, Lang, drawable, write_page};
use crate::decision::target::Cmp;
use crate::evaluation::actuals::{Quantity, quantity};
use crate::evaluation::backtest::FanYear;
use crate::evaluation::plan::{Condition, Status, Thresholds};
use crate::evaluation::report::metric_label;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};

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

// ---------------------------------------------------------------- fan pages

/// An actual figure against the base-year projection's fan of its year.
struct Checked<'a> {
    metric: &'a str,
    year: i32,
    /// -1 below P5, 0 inside P5–P95, 1 above P95.
    side: i8,
}

struct FundPage<'a> {
    fans: &'a FundFans,
    base: i32,
    rebased_at: Option<i32>,
    lab: &'a Labels,
}

/// Height of one row of panels (one column, two columns) and the gap between panels.
const ROW_ONE: i32 = 860;
const ROW_TWO: i32 = 680;
const GAP: i32 = 56;

impl FundPage<'_> {
    fn cols(&self) -> i32 {
        if self.fans.panels.len() == 1 { 1 } else { 2 }
    }

    fn row_h(&self) -> i32 {
        if self.cols() == 1 { ROW_ONE } else { ROW_TWO }
    }

    fn rows(&self) -> i32 {
        self.fans.panels.len().div_ceil(self.cols() as usize) as i32
    }

    fn rebased(&self) -> bool {
        self.rebased_at.is_some()
    }

    /// The plan's end year when it falls within the charted years.
    fn plan_end(&self) -> Option<i32> {
        self.lab
            .plan
            .map(|p| p.1)
            .filter(|y| *y > self.base && *y <= self.last_fan())
    }

    fn last_fan(&self) -> i32 {
        self.fans
            .panels
            .iter()
            .flat_map(|p| p.previous.iter().chain(&p.rebased).map(|f| f.year))
            .max()
            .unwrap_or(self.base + 1)
    }

    /// Last year shown: five years past the later of the last actual figure and the
    /// re-basing year, and at least the plan's end, within the projection.
    fn x_end(&self) -> i32 {
        let last_actual = self
            .fans
            .panels
            .iter()
            .flat_map(|p| p.actuals.iter().map(|a| a.year))
            .max()
            .unwrap_or(self.base);
        let end = (last_actual.max(self.rebased_at.unwrap_or(self.base)) + 5)
            .max(self.plan_end().unwrap_or(self.base));
        end.min(self.last_fan()).max(self.base + 1)
    }

    fn checked(&self) -> Vec<Checked<'_>> {
        let mut v = Vec::new();
        for p in &self.fans.panels {
            for a in &p.actuals {
                if let Some(f) = p.previous.iter().find(|f| f.year == a.year) {
                    let side = if a.value < f.q[0] {
                        -1
                    } else if a.value > f.q[4] {
                        1
                    } else {
                        0
                    };
                    v.push(Checked {
                        metric: &p.metric,
                        year: a.year,
                        side,
                    });
                }
            }
        }
        v
    }

    /// The back-test's finding: how many actual figures the base-year projection's 5–95%
    /// range holds, and which it missed.
    fn backtest_finding(&self, list: bool) -> String {
        let l = self.lab.lang;
        let b = self.base;
        let c = self.checked();
        let n = c.len();
        let inside = c.iter().filter(|x| x.side == 0).count();
        if n == 0 {
            return match l {
                Lang::Zh => format!("{b} 年基期预测（无同期实际数）"),
                Lang::En => format!("the {b}-based projection (no actual figure to test)"),
            };
        }
        let outside = self.outside(2);
        let more = n - inside > outside.len();
        let listed = match l {
            Lang::Zh if list => format!("；{}{}", outside.join("，"), if more { "等" } else { "" }),
            Lang::En if list => {
                format!("; {}{}", outside.join(", "), if more { ", …" } else { "" })
            }
            _ => String::new(),
        };
        match l {
            Lang::Zh if inside == n && n > 1 => {
                format!("{n} 个实际数全部落在 {b} 年基期预测的 5%–95% 区间内")
            }
            Lang::Zh if inside == n => format!("实际数落在 {b} 年基期预测的 5%–95% 区间内"),
            Lang::Zh => {
                format!("{n} 个实际数中 {inside} 个落在 {b} 年基期预测的 5%–95% 区间内{listed}")
            }
            Lang::En if inside == n && n > 1 => format!(
                "all {n} actual figures lie within the 5–95% range of the {b}-based projection"
            ),
            Lang::En if inside == n => {
                format!("the actual figure lies within the 5–95% range of the {b}-based projection")
            }
            Lang::En => format!(
                "{inside} of {n} actual figures lie within the 5–95% range of the {b}-based projection{listed}"
            ),
        }
    }

    /// The first `max` actual figures outside the base-year projection's 5–95% range, e.g.
    /// `2021 年基金收入高于区间`.
    fn outside(&self, max: usize) -> Vec<String> {
        let l = self.lab.lang;
        self.checked()
            .iter()
            .filter(|x| x.side != 0)
            .take(max)
            .map(|x| {
                let m = metric_name(x.metric, l);
                match (l, x.side > 0) {
                    (Lang::Zh, true) => format!("{} 年{m}高于区间", x.year),
                    (Lang::Zh, false) => format!("{} 年{m}低于区间", x.year),
                    (Lang::En, true) => format!("{} {} above it", lower(&m), x.year),
                    (Lang::En, false) => format!("{} {} below it", lower(&m), x.year),
                }
            })
            .collect()
    }

    /// The re-based projection's finding: the median of the key metric at the plan's end
    /// (or the last year shown) against the previous projection's.
    fn rebased_finding(&self, a: i32) -> Option<String> {
        let l = self.lab.lang;
        let y = self.plan_end().filter(|y| *y > a).unwrap_or(self.x_end());
        let panels = &self.fans.panels;
        let p = ["months_reserve", "balance"]
            .iter()
            .find_map(|m| panels.iter().find(|p| p.metric == *m))
            .or_else(|| panels.iter().find(|p| !p.rebased.is_empty()))?;
        let at = |fan: &[FanYear]| fan.iter().find(|f| f.year == y).map(|f| f.q[2]);
        let (new, old) = (at(&p.rebased)?, at(&p.previous)?);
        let m = metric_name(&p.metric, l);
        let (vn, vo) = (value_text(&p.metric, new, l), value_text(&p.metric, old, l));
        // Whether the median meets the plan's target on this metric in that year.
        let verdict = p
            .targets
            .iter()
            .find(|t| (t.years.0..=t.years.1).contains(&y))
            .map(|t| match (l, t.condition.met(new)) {
                (Lang::Zh, true) => "，符合规划目标".to_string(),
                (Lang::Zh, false) => format!(
                    "，不符合规划目标 {}",
                    target_text(&p.metric, &t.condition, (y, y), l)
                        .trim_start_matches(&format!("{y} 年 "))
                ),
                (Lang::En, true) => ", within the plan's target".to_string(),
                (Lang::En, false) => format!(
                    ", outside the plan's target {}",
                    target_text(&p.metric, &t.condition, (y, y), l)
                        .trim_end_matches(&format!(" in {y}"))
                ),
            })
            .unwrap_or_default();
        Some(match l {
            Lang::Zh => {
                format!("按 {a} 年实际数重新预测，{y} 年{m}中位数 {vn}（原预测 {vo}）{verdict}")
            }
            Lang::En => format!(
                "re-based at {a}, the median {} in {y} is {vn} (previously {vo}){verdict}",
                lower(&m)
            ),
        })
    }

    fn title(&self) -> String {
        let l = self.lab.lang;
        let pre = prefix(&self.lab.region(), &self.fans.fund, l);
        let re = self.rebased_at.and_then(|a| self.rebased_finding(a));
        let bt = self.backtest_finding(re.is_none());
        match re {
            Some(r) if self.checked().is_empty() => format!("{pre}{r}"),
            Some(r) => format!("{pre}{bt}{}{r}", tr(l, "；", "; ")),
            None => format!("{pre}{bt}"),
        }
    }

    fn subtitle(&self) -> String {
        let b = self.base;
        let n = self.lab.meta.paths.unwrap_or(0);
        match (self.lab.lang, self.rebased_at) {
            (Lang::Zh, None) => format!(
                "每个指标一图：{b} 年基期预测的中位数（粗线）、25%–75% 与 5%–95% 分位（色带），圆点为实际数；蒙特卡洛 {n} 条路径"
            ),
            (Lang::En, None) => format!(
                "One panel per figure: the {b}-based projection's median (thick line), 25–75% and 5–95% ranges (bands); dots are actual figures; Monte Carlo, {n} paths"
            ),
            (Lang::Zh, Some(a)) => format!(
                "每个指标一图：灰色为 {b} 年基期的原预测（中位数虚线、分位色带，5%–95% 边界细虚线），蓝灰色为按 {a} 年实际数重新预测（中位数实线、25%–75% 与 5%–95% 分位色带）；圆点为实际数；蒙特卡洛各 {n} 条路径"
            ),
            (Lang::En, Some(a)) => format!(
                "One panel per figure: grey, the previous {b}-based projection (dashed median, bands, thin dashed 5–95% bounds); slate, the projection re-based on the {a} actual figures (solid median, 25–75% and 5–95% bands); dots are actual figures; Monte Carlo, {n} paths each"
            ),
        }
    }

    fn notes(&self) -> Vec<String> {
        let l = self.lab.lang;
        let mut v = Vec::new();
        let targets: Vec<String> = self
            .fans
            .panels
            .iter()
            .flat_map(|p| {
                p.targets.iter().map(|t| {
                    format!(
                        "{}{}",
                        metric_name(&p.metric, l),
                        match l {
                            Lang::Zh =>
                                format!(" {}", target_text(&p.metric, &t.condition, t.years, l)),
                            Lang::En =>
                                format!(" {}", target_text(&p.metric, &t.condition, t.years, l)),
                        }
                    )
                })
            })
            .collect();
        if !targets.is_empty() {
            v.push(match l {
                Lang::Zh => format!("规划目标（红色虚线）：{}", targets.join("；")),
                Lang::En => format!("Plan targets (red dashes): {}", targets.join("; ")),
            });
        }
        let outside = self.outside(usize::MAX);
        if !outside.is_empty() {
            v.push(match l {
                Lang::Zh => format!(
                    "落在 {} 年基期预测 5%–95% 区间外的实际数：{}",
                    self.base,
                    outside.join("，")
                ),
                Lang::En => format!(
                    "Actual figures outside the 5–95% range of the {}-based projection: {}",
                    self.base,
                    outside.join(", ")
                ),
            });
        }
        let derived = self
            .fans
            .panels
            .iter()
            .any(|p| p.actuals.iter().any(|a| !a.published));
        if derived {
            v.push(tr(
                l,
                "空心圆点：由公布数推算的实际数（来源见实际数文件）",
                "Hollow dots: actual figures derived from published ones (sources in the actual-figures file)",
            ).to_string());
        }
        if self.fans.fund == "combined" {
            v.push(tr(
                l,
                "两项基金分别核算、不得互相调剂：合计数仅反映总体规模，不表示一项基金的结余可弥补另一项的缺口",
                "The two funds are accounted separately and may not subsidise each other: the combined figures show the total only",
            ).to_string());
        }
        if self
            .fans
            .panels
            .iter()
            .any(|p| p.metric == "months_reserve")
        {
            let shown = self
                .fans
                .panels
                .iter()
                .filter(|p| p.metric == "months_reserve")
                .any(|p| {
                    p.previous
                        .iter()
                        .chain(&p.rebased)
                        .filter(|f| f.year <= self.x_end())
                        .any(|f| f.q[0] < 0.0)
                });
            if shown {
                v.push(tr(
                    l,
                    "可支付月数为负值时，表示累计缺口折合月数（累计缺口 ÷ 当年月均支出）",
                    "Negative months: the accumulated shortfall in months of that year's spending",
                ).to_string());
            }
        }
        v
    }

    fn page(&self) -> Page {
        Page {
            title: self.title(),
            subtitle: self.subtitle(),
            notes: self.notes(),
            foot: self.lab.foot(),
        }
    }

    fn legend(&self) -> Vec<Item> {
        let l = self.lab.lang;
        let b = self.base;
        let mut v = Vec::new();
        match (self.rebased_at, l) {
            (None, _) => {
                v.push(item(
                    Sw::Line(alpha(MEDIAN, 1.0), 1.5),
                    match l {
                        Lang::Zh => format!("预测中位数（{b} 年基期）"),
                        Lang::En => format!("Projected median ({b} base)"),
                    },
                ));
                v.push(item(
                    Sw::Fill(alpha(FAN_INNER, 1.0)),
                    tr(l, "预测 25%–75% 分位", "Projected 25–75% range"),
                ));
                v.push(item(
                    Sw::Fill(alpha(FAN_OUTER, 1.0)),
                    tr(l, "预测 5%–95% 分位", "Projected 5–95% range"),
                ));
            }
            (Some(a), _) => {
                v.push(item(
                    Sw::Dash(alpha(GREY, 1.0)),
                    match l {
                        Lang::Zh => format!("原预测中位数（{b} 年基期）"),
                        Lang::En => format!("Previous median ({b} base)"),
                    },
                ));
                v.push(item(
                    Sw::Fill(alpha(PREV_INNER, 1.0)),
                    tr(l, "原预测 25%–75%", "Previous 25–75%"),
                ));
                v.push(item(
                    Sw::Fill(alpha(PREV_OUTER, 1.0)),
                    tr(l, "原预测 5%–95%", "Previous 5–95%"),
                ));
                v.push(item(
                    Sw::Line(alpha(MEDIAN, 1.0), 1.5),
                    match l {
                        Lang::Zh => format!("重新预测中位数（{a} 年起）"),
                        Lang::En => format!("Re-based median (from {a})"),
                    },
                ));
                v.push(item(
                    Sw::Fill(alpha(FAN_INNER, 1.0)),
                    tr(l, "重新预测 25%–75%", "Re-based 25–75%"),
                ));
                v.push(item(
                    Sw::Fill(alpha(FAN_OUTER, 1.0)),
                    tr(l, "重新预测 5%–95%", "Re-based 5–95%"),
                ));
            }
        }
        let (published, derived) = self
            .fans
            .panels
            .iter()
            .flat_map(|p| &p.actuals)
            .fold((false, false), |(p, d), a| {
                (p || a.published, d || !a.published)
            });
        if published {
            v.push(item(
                Sw::Dot(INK, false),
                tr(l, "实际数（公布数）", "Actual (published)"),
            ));
        }
        if derived {
            v.push(item(
                Sw::Dot(INK, true),
                tr(
                    l,
                    "实际数（由公布数推算）",
                    "Actual (derived from published)",
                ),
            ));
        }
        if self.fans.panels.iter().any(|p| !p.targets.is_empty()) {
            v.push(item(
                Sw::Dash(alpha(TARGET, 1.0)),
                tr(l, "规划目标", "Plan target"),
            ));
        }
        v
    }

    fn legend_h(&self, w: i32) -> i32 {
        legend_rows(&self.legend(), w) * line_h(size::text()) + 16
    }

    /// Height of the body for a body `w` pixels wide.
    fn body_h(&self, w: i32) -> u32 {
        let r = self.rows();
        (r * self.row_h() + (r - 1) * GAP + GAP / 2 + self.legend_h(w)) as u32
    }

    /// The markers above every panel: the projection start, the re-basing year and the
    /// plan's end, with their colours.
    fn markers(&self) -> Vec<(i32, String, RGBColor)> {
        let l = self.lab.lang;
        let mut v = vec![(
            self.base,
            match l {
                Lang::Zh => format!("预测起点 {}", self.base),
                Lang::En => format!("Start {}", self.base),
            },
            GREY,
        )];
        if let Some(a) = self.rebased_at.filter(|a| *a != self.base) {
            v.push((
                a,
                match l {
                    Lang::Zh => format!("重新预测 {a}"),
                    Lang::En => format!("Re-based {a}"),
                },
                MEDIAN,
            ));
        }
        if let Some(y) = self.plan_end().filter(|y| *y <= self.x_end()) {
            v.push((
                y,
                match l {
                    Lang::Zh => format!("规划期末 {y}"),
                    Lang::En => format!("Plan end {y}"),
                },
                TARGET,
            ));
        }
        v
    }

    fn panel<DB: DrawingBackend>(&self, cell: &Area<DB>, p: &FanPanel) -> R {
        let l = self.lab.lang;
        let (f, u) = unit(&p.metric, l);
        let caption = match l {
            Lang::Zh => format!("{}（{u}）", metric_name(&p.metric, l)),
            Lang::En => format!("{} ({u})", metric_name(&p.metric, l)),
        };
        let area = panel_frame(cell, Some(&caption), &[])?;
        let x_end = self.x_end();
        let years = (self.base, x_end);
        let shown = |fy: &&FanYear| fy.year <= x_end;
        let vals: Vec<f64> = p
            .previous
            .iter()
            .chain(&p.rebased)
            .filter(shown)
            .flat_map(|fy| [fy.q[0], fy.q[4]])
            .chain(p.actuals.iter().map(|a| a.value))
            .chain(p.targets.iter().flat_map(|t| target_values(&t.condition)))
            .map(|v| v * f)
            .filter(|v| v.is_finite())
            .collect();
        let Some((dmin, dmax)) = super::data::extent(vals.into_iter()) else {
            return no_data(&area, l);
        };
        let (aw, ah) = area.dim_in_pixel();
        let lh = line_h(size::text());
        let ms = self.markers();
        let bottom = Margins::standard(0, 0, 0, false).bottom;
        // Room for a label line above and below the data (so that an actual figure at either
        // extreme can be labelled), in a plot about this high.
        let est_h = (ah as i32 - bottom - ms.len() as i32 * lh - 14).max(4 * lh) as f64;
        let room = 1.4 * lh as f64;
        let span = (dmax - dmin).max(1e-9 * dmax.abs().max(1.0));
        let pad = if dmax > dmin {
            (0.06 * span).max(span * room / (est_h - 2.0 * room).max(room))
        } else {
            0.5 + 0.05 * dmax.abs()
        };
        let (lo, hi) = (dmin - pad, dmax + pad);
        let (ticks, d) = y_axis(lo, hi, ah as i32);
        let fmt = move |v: f64| num(v, d);
        let m0 = Margins {
            left: left_margin(&ticks, &fmt),
            right: 24,
            top: 0,
            bottom,
        };
        let lane = lane_rows(&ms, aw as i32, &m0, years);
        let rows = lane.iter().map(|r| r.row + 1).max().unwrap_or(0);
        let m = Margins {
            top: rows * lh + 14,
            ..m0
        };
        let mut pl = Plot::new(&area, year_range(years), (lo, hi), m)?;
        pl.grid(&ticks)?;
        pl.y_ticks(&ticks, &fmt)?;
        pl.y_title(u, m.left)?;
        pl.x_years(years)?;
        // Fans: previous first (grey under a re-based fan), then the re-based one.
        let ser = |fan: &[FanYear], k: usize| -> Vec<(f64, f64)> {
            fan.iter()
                .filter(|fy| fy.year <= x_end)
                .map(|fy| (fy.year as f64, fy.q[k] * f))
                .collect()
        };
        let rebased = self.rebased() && !p.rebased.is_empty();
        if rebased {
            pl.band(
                &ser(&p.previous, 0),
                &ser(&p.previous, 4),
                alpha(PREV_OUTER, 1.0),
            )?;
            pl.band(
                &ser(&p.previous, 1),
                &ser(&p.previous, 3),
                alpha(PREV_INNER, 1.0),
            )?;
            pl.band(
                &ser(&p.rebased, 0),
                &ser(&p.rebased, 4),
                alpha(FAN_OUTER, 1.0),
            )?;
            pl.band(
                &ser(&p.rebased, 1),
                &ser(&p.rebased, 3),
                alpha(FAN_INNER, 1.0),
            )?;
            for k in [0, 4] {
                pl.dashed(&ser(&p.previous, k), alpha(GREY, 0.9), 0.5)?;
            }
            pl.dashed(&ser(&p.previous, 2), alpha(GREY, 1.0), 1.2)?;
            pl.line(&ser(&p.rebased, 2), alpha(MEDIAN, 1.0), 1.5)?;
        } else {
            pl.band(
                &ser(&p.previous, 0),
                &ser(&p.previous, 4),
                alpha(FAN_OUTER, 1.0),
            )?;
            pl.band(
                &ser(&p.previous, 1),
                &ser(&p.previous, 3),
                alpha(FAN_INNER, 1.0),
            )?;
            pl.line(&ser(&p.previous, 2), alpha(MEDIAN, 1.0), 1.5)?;
        }
        for t in &p.targets {
            let (a, b) = (t.years.0.max(self.base), t.years.1.min(x_end));
            if a > b {
                continue;
            }
            for v in target_values(&t.condition) {
                pl.guide_span(
                    (a as f64 - 0.4, v * f),
                    (b as f64 + 0.4, v * f),
                    alpha(TARGET, 1.0),
                    1.1,
                    true,
                )?;
            }
        }
        draw_lane(&mut pl, &ms, &lane)?;
        let r = (em(size::text()) * 0.25) as i32;
        for a in p.actuals.iter().filter(|a| a.year <= x_end) {
            pl.dot((a.year as f64, a.value * f), r, INK, !a.published)?;
        }
        // Each actual figure's value beside it, in free space.
        for a in p.actuals.iter().filter(|a| a.year <= x_end) {
            let at = pl.px((a.year as f64, a.value * f));
            pl.label(at, &value_num(&p.metric, a.value, l), INK)?;
        }
        Ok(())
    }
}

/// A marker label's place in the lane above a plot: its row (0 nearest the plot), its left
/// edge and width.
struct LaneLabel {
    row: i32,
    x0: i32,
    w: i32,
}

/// A marker label's option: row, left edge, whether it sits left of its line.
type Opt = (i32, i32, bool);

/// The search for a placement of marker labels: each label's line x and width.
struct LaneSearch {
    geo: Vec<(i32, i32)>,
    area_w: i32,
}

impl LaneSearch {
    /// Options of label `i`: every row, right or left of its line, inside the area.
    fn options(&self, i: usize) -> Vec<Opt> {
        let (at, w) = self.geo[i];
        let mut v = Vec::new();
        for row in 0..self.geo.len() as i32 {
            for (left, flipped) in [(at + 8, false), (at - 8 - w, true)] {
                if left >= 0 && left + w <= self.area_w - 4 {
                    v.push((row, left, flipped));
                }
            }
        }
        v
    }

    /// Whether labels `i` and `j` may sit at `oi` and `oj`: apart in one row, and the line
    /// of the upper one clear of the lower one.
    fn ok(&self, (i, oi): (usize, Opt), (j, oj): (usize, Opt)) -> bool {
        let span = |k: usize, o: Opt| (o.1 - 12, o.1 + self.geo[k].1 + 12);
        let (bi, bj) = (span(i, oi), span(j, oj));
        if oi.0 == oj.0 {
            bi.1 <= bj.0 || bj.1 <= bi.0
        } else if oi.0 < oj.0 {
            !(bi.0..=bi.1).contains(&self.geo[j].0)
        } else {
            !(bj.0..=bj.1).contains(&self.geo[i].0)
        }
    }

    /// Fewest rows, then lowest rows, then fewest labels left of their lines.
    fn score(c: &[Opt]) -> (i32, i32, usize) {
        (
            c.iter().map(|o| o.0).max().unwrap_or(0),
            c.iter().map(|o| o.0).sum(),
            c.iter().filter(|o| o.2).count(),
        )
    }

    /// Depth-first over the options (a handful of markers: at most (2n)^n tries).
    fn search(&self, cur: &mut Vec<Opt>, best: &mut Option<Vec<Opt>>) {
        let i = cur.len();
        if i == self.geo.len() {
            if best
                .as_ref()
                .is_none_or(|b| Self::score(cur) < Self::score(b))
            {
                *best = Some(cur.clone());
            }
            return;
        }
        for o in self.options(i) {
            if cur
                .iter()
                .enumerate()
                .all(|(j, c)| self.ok((i, o), (j, *c)))
            {
                cur.push(o);
                self.search(cur, best);
                cur.pop();
            }
        }
    }
}

/// Place marker labels in rows above a plot with margins `m` in an area `area_w` wide: each
/// label right or left of its year line, so that no two labels of a row touch and no line
/// rising to a label crosses a label below it; of all such placements, the one with the
/// fewest rows, then the lowest rows, then the fewest labels left of their lines.
fn lane_rows(
    ms: &[(i32, String, RGBColor)],
    area_w: i32,
    m: &Margins,
    years: (i32, i32),
) -> Vec<LaneLabel> {
    let (x0, x1) = (m.left, area_w - m.right);
    let (a, b) = year_range(years);
    let st = anchored(size::text(), HPos::Left, VPos::Center);
    let geo: Vec<(i32, i32)> = ms
        .iter()
        .map(|(year, label, _)| {
            let at = x0 + ((*year as f64 - a) / (b - a) * (x1 - x0) as f64).round() as i32;
            (at, width(label, &st))
        })
        .collect();
    let search = LaneSearch {
        geo: geo.clone(),
        area_w,
    };
    let mut best = None;
    search.search(&mut Vec::new(), &mut best);
    // Without a placement (labels too wide for the panel), a staircase: one row each, the
    // latest year lowest, right of its line where it fits.
    let n = ms.len();
    let chosen = best.unwrap_or_else(|| {
        let mut by_year: Vec<usize> = (0..n).collect();
        by_year.sort_by_key(|&i| std::cmp::Reverse(ms[i].0));
        let mut v = vec![(0, 0, false); n];
        for (row, i) in by_year.into_iter().enumerate() {
            v[i] = (
                row as i32,
                (geo[i].0 + 8).min(area_w - 4 - geo[i].1).max(0),
                false,
            );
        }
        v
    });
    chosen
        .iter()
        .zip(&geo)
        .map(|(o, (_, w))| LaneLabel {
            row: o.0,
            x0: o.1,
            w: *w,
        })
        .collect()
}

/// Draw the markers: a dashed line at each year through the plot and its label in the lane
/// above, joined to the line.
fn draw_lane<DB: DrawingBackend>(
    p: &mut Plot<DB>,
    ms: &[(i32, String, RGBColor)],
    lane: &[LaneLabel],
) -> R {
    let lh = line_h(size::text());
    for ((year, label, col), ll) in ms.iter().zip(lane) {
        p.guide_v(*year as f64, alpha(*col, 0.9), 0.8, true)?;
        let yc = p.rect.y0 - 8 - lh / 2 - ll.row * lh;
        let x = p.px((*year as f64, 0.0)).0;
        p.area.draw(&PathElement::new(
            vec![(x, yc), (x, p.rect.y0)],
            alpha(*col, 0.9).stroke_width(stroke(0.5)),
        ))?;
        let st = anchored(size::text(), HPos::Left, VPos::Center).color(col);
        text(p.area, label, (ll.x0, yc), &st)?;
        p.scene
            .labels
            .push(Rect::new(ll.x0, yc - lh / 2, ll.x0 + ll.w, yc + lh / 2));
    }
    Ok(())
}

impl Body for FundPage<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let (w, h) = area.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let cols = self.cols();
        let cw = (w - (cols - 1) * GAP) / cols;
        let rh = self.row_h();
        for (i, p) in self.fans.panels.iter().enumerate() {
            let (c, r) = (i as i32 % cols, i as i32 / cols);
            let (x, y) = (c * (cw + GAP), r * (rh + GAP));
            let cell = area.margin(
                y as u32,
                (h - y - rh).max(0) as u32,
                x as u32,
                (w - x - cw).max(0) as u32,
            );
            self.panel(&cell, p)?;
        }
        let lh = self.legend_h(w);
        let legend = area.margin((h - lh).max(0) as u32, 0, 0, 0);
        panel_frame(&legend, None, &self.legend())?;
        Ok(())
    }
}

fn fund_pages<'a>(
    fans: &'a [FundFans],
    base: i32,
    rebased_at: Option<i32>,
    lab: &'a Labels,
) -> impl Iterator<Item = FundPage<'a>> {
    fans.iter()
        .filter(|f| !f.panels.is_empty())
        .map(move |f| FundPage {
            fans: f,
            base,
            rebased_at,
            lab,
        })
}

/// Write one fan chart per fund, `<stem>_<fund>.png/.svg`: per metric, the base-year
/// projection's fan with the actual figures, and the re-based fan when `rebased_at` is
/// given.
pub fn fan_charts(
    fans: &[FundFans],
    base: i32,
    rebased_at: Option<i32>,
    lab: &Labels,
    stem: &str,
    dir: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    let mut out = Vec::new();
    let w = super::frame::body_width(super::style::PAGE_W);
    for page in fund_pages(fans, base, rebased_at, lab) {
        let name = format!("{stem}_{}", page.fans.fund);
        out.extend(write_page(dir, &name, &page.page(), page.body_h(w), &page)?);
    }
    Ok(out)
}

// ---------------------------------------------------------------- indicator probabilities

struct Bars<'a> {
    bars: &'a [IndicatorBar],
    t: Thresholds,
    lab: &'a Labels,
    plan: &'a str,
}

fn status_colour(s: Status) -> RGBColor {
    match s {
        Status::Achieved | Status::OnTrack => GOOD,
        Status::AtRisk => RISK,
        Status::OffTrack | Status::Missed => BAD,
        Status::ByAssumption | Status::NotAssessed => GREY,
    }
}

fn status_name(s: Status, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => s.zh(),
        Lang::En => s.en(),
    }
}

/// The probability drawn as a bar: none for input indicators and for one already missed.
fn drawn_probability(b: &IndicatorBar) -> Option<f64> {
    b.probability.filter(|_| b.status != Status::Missed)
}

/// Why a row has no bar.
fn no_bar_note(b: &IndicatorBar, lang: Lang) -> &'static str {
    match (b.status, b.input_meets) {
        (Status::ByAssumption, Some(true)) => {
            tr(lang, "情景设定值达到目标", "the scenario's input meets it")
        }
        (Status::ByAssumption, _) => tr(
            lang,
            "情景设定值未达到目标",
            "the scenario's input does not meet it",
        ),
        (Status::Missed, _) => tr(
            lang,
            "实际数已突破目标",
            "an actual figure already breaks it",
        ),
        _ => tr(lang, "以实际数判断", "judged on actual figures"),
    }
}

/// A threshold line's label, e.g. `达标线 90%`.
fn s_of(name: &str, v: f64) -> String {
    format!("{name} {}", pct(v))
}

/// Column widths of the indicator chart in a body `w` wide: names, plot, statuses.
fn bar_columns(w: i32) -> (i32, i32, i32) {
    let names = w * 40 / 100;
    let status = w * 21 / 100;
    (names, w - names - status, status)
}

impl Bars<'_> {
    /// Lines of each row's name and target (left) and status and note (right).
    fn row_texts(&self, w: i32) -> Vec<(Vec<String>, Vec<String>, Vec<String>)> {
        let l = self.lab.lang;
        let (nw, _, sw) = bar_columns(w);
        let st = anchored(size::text(), HPos::Left, VPos::Top);
        self.bars
            .iter()
            .map(|b| {
                let name = wrap(&b.name, &st, nw - 24);
                let target = wrap(&b.target, &st, nw - 24);
                let status = match drawn_probability(b) {
                    Some(p) => format!("{} {}", status_name(b.status, l), pct(p)),
                    None => status_name(b.status, l).to_string(),
                };
                let mut right = vec![status];
                if drawn_probability(b).is_none() {
                    right.extend(wrap(no_bar_note(b, l), &st, sw - 20));
                }
                (name, target, right)
            })
            .collect()
    }

    fn row_heights(&self, w: i32) -> Vec<i32> {
        let lh = line_h(size::text());
        self.row_texts(w)
            .iter()
            .map(|(n, t, r)| (n.len() + t.len()).max(r.len()).max(2) as i32 * lh + 28)
            .collect()
    }

    fn items(&self) -> Vec<Item> {
        let l = self.lab.lang;
        let mut v = vec![
            item(
                Sw::Fill(alpha(GOOD, 0.9)),
                tr(l, "已达标 / 预计达标", "Achieved / on track"),
            ),
            item(Sw::Fill(alpha(RISK, 0.9)), tr(l, "有风险", "At risk")),
            item(
                Sw::Fill(alpha(BAD, 0.9)),
                tr(l, "未达标 / 预计未达标", "Missed / off track"),
            ),
        ];
        if self.bars.iter().any(|b| b.previous.is_some()) {
            v.push(item(
                Sw::Line(alpha(INK, 1.0), 1.2),
                tr(l, "原预测的达标概率（竖线）", "Previous projection (tick)"),
            ));
        }
        v
    }

    fn body_h(&self, w: i32) -> u32 {
        let lh = line_h(size::text());
        let legend = legend_rows(&self.items(), w) * lh + 16;
        let rows: i32 = self.row_heights(w).iter().sum();
        (self.lane_rows(w) * lh + 20 + rows.max(lh * 2) + 2 * lh + 40 + legend) as u32
    }

    /// The threshold labels' boxes (x only) above a plot in a body `w` wide: `k` 0 the
    /// at-risk line, 1 the on-track line.
    fn threshold_box(&self, w: i32, k: usize, s: &str) -> Rect {
        let (nw, pw, _) = bar_columns(w);
        let v = if k == 0 {
            self.t.at_risk
        } else {
            self.t.on_track
        };
        let st = anchored(size::text(), HPos::Center, VPos::Center);
        let half = width(s, &st) / 2;
        let x = (nw + (v.clamp(0.0, 1.0) * pw as f64).round() as i32).clamp(half, w - half);
        Rect::new(x - half, 0, x + half, 1)
    }

    /// Rows the threshold labels take above the plot: two where they would touch.
    fn lane_rows(&self, w: i32) -> i32 {
        let l = self.lab.lang;
        let a = self.threshold_box(
            w,
            0,
            &s_of(tr(l, "有风险线", "At-risk line"), self.t.at_risk),
        );
        let b = self.threshold_box(
            w,
            1,
            &s_of(tr(l, "达标线", "On-track line"), self.t.on_track),
        );
        if a.grow(12).intersects(&b) { 2 } else { 1 }
    }

    fn counts(&self) -> [usize; 4] {
        let mut c = [0; 4];
        for b in self.bars {
            let k = match b.status {
                Status::Achieved | Status::OnTrack => 0,
                Status::AtRisk => 1,
                Status::OffTrack | Status::Missed => 2,
                Status::ByAssumption | Status::NotAssessed => 3,
            };
            c[k] += 1;
        }
        c
    }

    fn title(&self) -> String {
        let l = self.lab.lang;
        let region = self.lab.region();
        let plan = drawable(self.plan, "plan name", &mut Vec::new());
        let pre = match l {
            Lang::Zh if plan.contains(&region) => format!("{plan}："),
            Lang::Zh => format!("{region}{plan}："),
            Lang::En => format!("{plan}: "),
        };
        let [good, risk, bad, other] = self.counts();
        let n = self.bars.len();
        let parts: Vec<String> = [
            (good, "已达标或预计达标", "achieved or on track"),
            (risk, "有风险", "at risk"),
            (bad, "未达标或预计未达标", "missed or off track"),
            (other, "按假设或无法评估", "by assumption or not assessed"),
        ]
        .iter()
        .filter(|(k, _, _)| *k > 0)
        .map(|(k, zh, en)| match l {
            Lang::Zh => format!("{k} 项{zh}"),
            Lang::En => format!("{k} {en}"),
        })
        .collect();
        let all = [good, risk, bad, other].contains(&n) && n > 1;
        match (l, all) {
            (Lang::Zh, true) => format!("{pre}{}", parts[0].replacen(" 项", " 项指标均", 1)),
            (Lang::En, true) => format!("{pre}all {}", parts[0].replacen(' ', " indicators ", 1)),
            (Lang::Zh, false) => format!("{pre}{n} 项指标中 {}", parts.join("，")),
            (Lang::En, false) => format!("{pre}of {n} indicators, {}", parts.join(", ")),
        }
    }

    fn page(&self, rebased_at: i32, base: i32) -> Page {
        let l = self.lab.lang;
        let n = self.lab.meta.paths.unwrap_or(0);
        let (on, risk) = (pct(self.t.on_track), pct(self.t.at_risk));
        let subtitle = match l {
            Lang::Zh => format!(
                "色条：按 {rebased_at} 年实际数重新预测的达标概率（其余年份每年均达标，蒙特卡洛 {n} 条路径），颜色为评估结论；竖线：{base} 年基期原预测的达标概率；虚线：达标线 {on}、有风险线 {risk}（规划文件设定）"
            ),
            Lang::En => format!(
                "Bars: probability of meeting each indicator in every remaining year on the projection re-based at {rebased_at} (Monte Carlo, {n} paths), coloured by status; ticks: the {base}-based projection's probability; dashes: on-track line {on}, at-risk line {risk} (set in the plan file)"
            ),
        };
        let mut notes = Vec::new();
        if self.bars.iter().any(|b| b.status == Status::ByAssumption) {
            notes.push(tr(
                l,
                "按假设：指标是情景的输入（如缴费、补助、报销比例），结论只说明设定值是否达到目标，不是对实际的预测",
                "By assumption: the indicator is a scenario input (premiums, subsidies, reimbursement); the status says only whether the input meets the target, not a forecast",
            ).to_string());
        }
        Page {
            title: self.title(),
            subtitle,
            notes,
            foot: self.lab.foot(),
        }
    }
}

impl Body for Bars<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let l = self.lab.lang;
        let body = panel_frame(area, None, &self.items())?;
        let (w, h) = body.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        if self.bars.is_empty() {
            return no_data(&body, l);
        }
        let (nw, _, sw) = bar_columns(w);
        let lh = line_h(size::text());
        let heights = self.row_heights(w);
        let total: i32 = heights.iter().sum();
        let top = self.lane_rows(w) * lh + 20;
        let m = Margins {
            left: nw,
            right: sw,
            top,
            bottom: h - top - total,
        };
        // y in pixels from the plot's bottom, so that rows keep their heights.
        let mut p = Plot::new(&body, (0.0, 1.0), (0.0, total as f64), m)?;
        let r = p.rect;
        let axis = GREY.stroke_width(stroke(0.6));
        body.draw(&PathElement::new(vec![(r.x0, r.y1), (r.x1, r.y1)], axis))?;
        body.draw(&PathElement::new(vec![(r.x0, r.y0), (r.x0, r.y1)], axis))?;
        let xt = anchored(size::text(), HPos::Center, VPos::Top);
        let grid = INK.mix(0.10).stroke_width(stroke(0.4));
        for k in 0..=5 {
            let x = k as f64 / 5.0;
            let (px, _) = p.px((x, 0.0));
            if k > 0 {
                body.draw(&PathElement::new(vec![(px, r.y0), (px, r.y1)], grid))?;
            }
            body.draw(&PathElement::new(vec![(px, r.y1), (px, r.y1 + 10)], axis))?;
            text(&body, &format!("{}%", k * 20), (px, r.y1 + 14), &xt)?;
        }
        text(
            &body,
            tr(
                l,
                "达标概率（重新预测；其余年份每年均达标）",
                "Probability of meeting it in every remaining year (re-based projection)",
            ),
            ((r.x0 + r.x1) / 2, r.y1 + 14 + lh),
            &xt,
        )?;
        // Threshold lines, labelled above the plot (two rows where they would touch).
        let st = anchored(size::text(), HPos::Center, VPos::Center).color(&GREY);
        let labels = [
            (self.t.at_risk, tr(l, "有风险线", "At-risk line")),
            (self.t.on_track, tr(l, "达标线", "On-track line")),
        ];
        for (k, (v, name)) in labels.into_iter().enumerate() {
            p.guide_v(v, alpha(GREY, 0.9), 0.8, true)?;
            let bx = self.threshold_box(w, k, &s_of(name, v));
            let y = r.y0
                - 10
                - lh / 2
                - if k == 1 && self.lane_rows(w) > 1 {
                    lh
                } else {
                    0
                };
            let bx = Rect::new(bx.x0, y - lh / 2, bx.x1, y + lh / 2);
            text(&body, &s_of(name, v), ((bx.x0 + bx.x1) / 2, y), &st)?;
            p.scene.labels.push(bx);
        }
        let name_st = anchored(size::text(), HPos::Left, VPos::Top);
        let target_st = name_st.clone().color(&GREY);
        let texts = self.row_texts(w);
        let mut top = 0;
        for ((b, rh), (name, target, right)) in self.bars.iter().zip(&heights).zip(&texts) {
            let (y0, y1) = ((total - top) as f64, (total - top - rh) as f64);
            let yc = (y0 + y1) / 2.0;
            let (_, pyc) = p.px((0.0, yc));
            // Row separator.
            if top > 0 {
                let (_, py) = p.px((0.0, y0));
                body.draw(&PathElement::new(
                    vec![(0, py), (w, py)],
                    INK.mix(0.08).stroke_width(stroke(0.4)),
                ))?;
            }
            // Name and target, left.
            let n_lines = (name.len() + target.len()) as i32;
            let ty = pyc - n_lines * lh / 2;
            let used = text_lines(&body, name, (0, ty), &name_st)?;
            text_lines(&body, target, (0, ty + used), &target_st)?;
            // Bar and the previous projection's tick.
            let half = (lh as f64 * 0.45).min(*rh as f64 / 2.0 - 6.0);
            if let Some(pr) = drawn_probability(b) {
                p.bar(
                    (0.0, yc - half),
                    (pr.clamp(0.0, 1.0), yc + half),
                    alpha(status_colour(b.status), 0.9),
                )?;
            }
            if let Some(q) = b.previous {
                let q = q.clamp(0.0, 1.0);
                p.line(
                    &[(q, yc - half - 10.0), (q, yc + half + 10.0)],
                    alpha(INK, 1.0),
                    1.2,
                )?;
            }
            // Status and note, right.
            let rx = r.x1 + 20;
            let ry = pyc - right.len() as i32 * lh / 2;
            text_lines(&body, &right[..1], (rx, ry), &name_st)?;
            text_lines(&body, &right[1..], (rx, ry + lh), &target_st)?;
            top += rh;
        }
        Ok(())
    }
}

/// Write `indicators.png/.svg`: each indicator's probability of being met on the re-based
/// projection (bar, status colour), the base-year projection's (tick), and the thresholds.
pub fn indicator_chart(
    bars: &[IndicatorBar],
    t: Thresholds,
    lab: &Labels,
    plan: &str,
    (base, rebased_at): (i32, i32),
    dir: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    let b = Bars { bars, t, lab, plan };
    let w = super::frame::body_width(super::style::PAGE_W);
    write_page(
        dir,
        "indicators",
        &b.page(rebased_at, base),
        b.body_h(w),
        &b,
    )
}

/// The geometry of the evaluation charts as drawn ([`super::layout::Scene`] per plot, in
/// image pixels), for the check that no label covers data: the fan pages, then the
/// indicator chart when `bars` are given.
pub fn scenes(
    fans: &[FundFans],
    (base, rebased_at): (i32, Option<i32>),
    bars: Option<(&[IndicatorBar], Thresholds, &str)>,
    lab: &Labels,
) -> Result<Vec<super::layout::Scene>, ChartError> {
    super::font::ensure_registered()?;
    let w = super::frame::body_width(super::style::PAGE_W);
    let mut all = Vec::new();
    for page in fund_pages(fans, base, rebased_at, lab) {
        let (_, sc) = super::svg_page(&page.page(), page.body_h(w), &page, true)?;
        all.extend(sc);
    }
    if let Some((bars, t, plan)) = bars {
        let b = Bars { bars, t, lab, plan };
        let page = b.page(rebased_at.unwrap_or(base), base);
        let (_, sc) = super::svg_page(&page, b.body_h(w), &b, true)?;
        all.extend(sc);
    }
    Ok(all)
}
