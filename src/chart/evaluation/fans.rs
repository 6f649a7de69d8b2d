//! The evaluation's fan pages (MODEL.md §11 *Backtest*, §13): per fund, one panel per
//! metric with the base-year projection's fan, the re-based fan over it, the actual figures
//! and the plan's targets; the title states how many actual figures the base-year 5–95%
//! range held and where the re-based median ends against the old one and the target.

use super::lane::{draw_lane, lane_rows};
use super::*;
use crate::chart::axes::{Margins, Plot, year_range};
use crate::chart::decision::lower;
use crate::chart::frame::{Item, Page, Sw, item, legend_rows, no_data, panel_frame};
use crate::chart::panels::{left_margin, y_axis};
use crate::chart::style::{
    FAN_INNER, FAN_OUTER, GREY, INK, MEDIAN, alpha, em, line_h, num, size, tr,
};
use crate::chart::text::{Area, R};
use crate::chart::{Body, ChartError, Lang, write_page};
use crate::evaluation::backtest::FanYear;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

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
        let Some((dmin, dmax)) = crate::chart::data::extent(vals.into_iter()) else {
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
    let w = crate::chart::frame::body_width(crate::chart::style::PAGE_W);
    for page in fund_pages(fans, base, rebased_at, lab) {
        let name = format!("{stem}_{}", page.fans.fund);
        out.extend(write_page(dir, &name, &page.page(), page.body_h(w), &page)?);
    }
    Ok(out)
}
