//! Charts of the evaluation against actual figures (MODEL.md §11 *Backtest*, *Plan check*,
//! §13): per fund, the fan of the base-year projection from its base year with the actual
//! figures marked and a 预测起点 line — and, for `evaluate`, the fan re-based at the latest
//! actual year beside it, as a central bank overlays its previous forecast; and one chart of
//! the plan indicators' probabilities with the status thresholds.
//!
//! Built from the run charts' pieces (`panels::text`, `panel_frame`, legend swatches, the
//! band fills of `style`) and the decision charts' PNG + SVG writer. The previous projection
//! is grey, the re-based one Tol blue, actual figures black dots; status colours are Tol's
//! green, yellow and red, outside the tier palette.

use super::decision::{Drawing, page, write_pair};
use super::panels::{
    Area, Chart, R, Sw, anchored, decimals, font, item, panel_frame, plot_rect, px, text, text_w,
};
use super::style::{GREY, INK, band_inner, band_outer, fund_label, num, size, tr};
use super::{ChartError, Lang};
use crate::evaluation::backtest::FanYear;
use crate::evaluation::plan::{Status, Thresholds};
use crate::evaluation::report::{display_value, metric_label, unit_label};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};

/// Re-based projection (Tol blue).
const NEW: RGBColor = RGBColor(0x44, 0x77, 0xAA);
/// Status colours (Tol bright): met, at risk, not met, by assumption / not assessed.
const GOOD: RGBColor = RGBColor(0x22, 0x88, 0x33);
const RISK: RGBColor = RGBColor(0xCC, 0xBB, 0x44);
const BAD: RGBColor = RGBColor(0xEE, 0x66, 0x77);

/// Titles' language, region name and footnote.
#[derive(Debug, Clone)]
pub struct Labels {
    /// Language.
    pub lang: Lang,
    /// Region name in that language.
    pub region: String,
    /// Footnote (version, scenario, paths, seed, date).
    pub footer: String,
}

/// One metric of one fund: the fans and the actual figures (model units).
#[derive(Debug, Clone, PartialEq)]
pub struct FanPanel {
    /// Metric name (MODEL.md §10).
    pub metric: String,
    /// Fan of the base-year projection.
    pub previous: Vec<FanYear>,
    /// Fan of the re-based projection (empty for a back-test).
    pub rebased: Vec<FanYear>,
    /// Actual figures `(year, value)`.
    pub actuals: Vec<(i32, f64)>,
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
    /// Target, as text.
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

fn fund_title(fund: &str, lang: Lang) -> String {
    if fund == "region" {
        tr(lang, "人口", "Population").to_string()
    } else {
        fund_label(fund, lang)
    }
}

struct FundPage<'a> {
    fans: &'a FundFans,
    base: i32,
    rebased_at: Option<i32>,
    lab: &'a Labels,
}

impl FundPage<'_> {
    fn title(&self) -> String {
        let l = self.lab.lang;
        let fund = fund_title(&self.fans.fund, l);
        match (self.rebased_at, l) {
            (None, Lang::Zh) => format!(
                "{} {fund}：{} 年基期预测与实际数（回测）",
                self.lab.region, self.base
            ),
            (None, Lang::En) => format!(
                "{} — {fund}: the {}-based projection against actual figures (back-test)",
                self.lab.region, self.base
            ),
            (Some(a), Lang::Zh) => format!(
                "{} {fund}：{} 年基期原预测与 {a} 年起重新预测",
                self.lab.region, self.base
            ),
            (Some(a), Lang::En) => format!(
                "{} — {fund}: the {}-based projection and the projection re-based at {a}",
                self.lab.region, self.base
            ),
        }
    }

    /// Last year shown: five years past the later of the last actual and the re-basing
    /// year, within the projection.
    fn x_end(&self) -> i32 {
        let last_fan = self
            .fans
            .panels
            .iter()
            .flat_map(|p| p.previous.iter().chain(&p.rebased).map(|f| f.year))
            .max()
            .unwrap_or(self.base + 1);
        let last_actual = self
            .fans
            .panels
            .iter()
            .flat_map(|p| p.actuals.iter().map(|a| a.0))
            .max()
            .unwrap_or(self.base);
        (last_actual.max(self.rebased_at.unwrap_or(self.base)) + 5).min(last_fan)
    }

    fn panel<DB: DrawingBackend>(&self, area: &Area<DB>, p: &FanPanel, x_end: i32) -> R {
        let l = self.lab.lang;
        let en = l == Lang::En;
        let caption = format!(
            "{}（{}）",
            metric_label(&p.metric, en),
            unit_label(&p.metric, en)
        );
        let caption = if en {
            caption.replace('（', " (").replace('）', ")")
        } else {
            caption
        };
        let body = panel_frame(area, Some(&caption), &[])?;
        let dv = |v: f64| display_value(&p.metric, v);
        let shown = |f: &&FanYear| f.year <= x_end;
        let mut vals: Vec<f64> = p
            .previous
            .iter()
            .chain(&p.rebased)
            .filter(shown)
            .flat_map(|f| [f.q[0], f.q[4]])
            .chain(p.actuals.iter().map(|a| a.1))
            .map(dv)
            .filter(|v| v.is_finite())
            .collect();
        if vals.is_empty() {
            vals.push(0.0);
        }
        let (lo, hi) = vals
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v), b.max(*v))
            });
        let pad = if hi > lo {
            0.08 * (hi - lo)
        } else {
            0.5 + 0.05 * hi.abs()
        };
        let (ya, yb) = (lo - pad, hi + pad);
        let (xa, xb) = (self.base as f64 - 0.5, x_end as f64 + 0.5);
        let mut c: Chart<DB> = ChartBuilder::on(&body)
            .margin_left(6)
            .margin_right(20)
            .margin_top(30)
            .margin_bottom(4)
            .x_label_area_size(36)
            .y_label_area_size(84)
            .build_cartesian_2d(xa..xb, ya..yb)?;
        let width = c.plotting_area().get_pixel_range().0.len() as i32;
        let n_years = x_end - self.base + 1;
        let step = [1, 2, 5, 10]
            .into_iter()
            .find(|s| (n_years + s - 1) / s * 56 <= width)
            .unwrap_or(20);
        let dec = decimals(ya, yb);
        c.configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(INK.mix(0.10))
            .axis_style(GREY)
            .disable_x_mesh()
            .x_labels(((n_years + step - 1) / step) as usize)
            .y_labels(6)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| num(*y, dec))
            .label_style(font(size::TICK))
            .draw()?;
        let series = |fan: &[FanYear], k: usize| -> Vec<(f64, f64)> {
            fan.iter()
                .filter(|f| f.year <= x_end)
                .map(|f| (f.year as f64, dv(f.q[k])))
                .collect()
        };
        let band = |fan: &[FanYear], a: usize, b: usize| -> Vec<(f64, f64)> {
            let mut v = series(fan, b);
            v.extend(series(fan, a).into_iter().rev());
            v
        };
        let rebased = !p.rebased.is_empty();
        // Previous projection: grey bands (paler when a re-based fan is drawn over it).
        let (outer, inner) = if rebased {
            (GREY.mix(0.12), GREY.mix(0.22))
        } else {
            (band_outer(), band_inner())
        };
        c.draw_series(std::iter::once(Polygon::new(
            band(&p.previous, 0, 4),
            outer.filled(),
        )))?;
        c.draw_series(std::iter::once(Polygon::new(
            band(&p.previous, 1, 3),
            inner.filled(),
        )))?;
        if rebased {
            c.draw_series(DashedLineSeries::new(
                series(&p.previous, 2),
                8,
                5,
                GREY.stroke_width(2),
            ))?;
            c.draw_series(std::iter::once(Polygon::new(
                band(&p.rebased, 0, 4),
                NEW.mix(0.18).filled(),
            )))?;
            c.draw_series(std::iter::once(Polygon::new(
                band(&p.rebased, 1, 3),
                NEW.mix(0.35).filled(),
            )))?;
            c.draw_series(LineSeries::new(series(&p.rebased, 2), NEW.stroke_width(3)))?;
        } else {
            c.draw_series(LineSeries::new(series(&p.previous, 2), INK.stroke_width(3)))?;
        }
        // Start lines, labelled at the top of the plot.
        let (_, top, _, bottom) = plot_rect(&c, &body);
        let mut starts = vec![(self.base, tr(l, "预测起点", "Projection start"))];
        if let Some(a) = self.rebased_at.filter(|a| *a != self.base) {
            starts.push((a, tr(l, "重新预测起点", "Re-based start")));
        }
        for (k, (y, label)) in starts.iter().enumerate() {
            let (x, _) = px(&c, &body, (*y as f64, ya));
            for seg in (top..bottom).step_by(12) {
                body.draw(&PathElement::new(
                    vec![(x, seg), (x, (seg + 6).min(bottom))],
                    GREY.stroke_width(2),
                ))?;
            }
            let st = anchored(size::NOTE, HPos::Left, VPos::Bottom).color(&GREY);
            text(
                &body,
                &format!("{label} {y}"),
                (x + 6, top - 4 - 22 * k as i32),
                &st,
            )?;
        }
        for &(y, v) in &p.actuals {
            let at = px(&c, &body, (y as f64, dv(v)));
            body.draw(&Circle::new(at, 8, WHITE.filled()))?;
            body.draw(&Circle::new(at, 6, INK.filled()))?;
        }
        Ok(())
    }
}

impl Drawing for FundPage<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let l = self.lab.lang;
        let mut items = Vec::new();
        if self.rebased_at.is_some() {
            items.push(item(
                Sw::Fill(GREY.mix(0.22)),
                tr(
                    l,
                    "原预测 P25–P75 / P5–P95",
                    "Previous projection P25–P75 / P5–P95",
                ),
            ));
            items.push(item(
                Sw::Dash(GREY.to_rgba()),
                tr(l, "原预测中位数", "Previous median"),
            ));
            items.push(item(
                Sw::Fill(NEW.mix(0.35)),
                tr(l, "重新预测 P25–P75 / P5–P95", "Re-based P25–P75 / P5–P95"),
            ));
            items.push(item(
                Sw::Line(NEW.to_rgba()),
                tr(l, "重新预测中位数", "Re-based median"),
            ));
        } else {
            items.push(item(
                Sw::Fill(band_inner()),
                tr(l, "预测 P25–P75", "Projected P25–P75"),
            ));
            items.push(item(
                Sw::Fill(band_outer()),
                tr(l, "预测 P5–P95", "Projected P5–P95"),
            ));
            items.push(item(
                Sw::Line(INK.to_rgba()),
                tr(l, "预测中位数", "Projected median"),
            ));
        }
        items.push(item(Sw::Dot, tr(l, "实际", "Actual")));
        let grid = page(root, &self.title(), &self.lab.footer, &items)?;
        let n = self.fans.panels.len();
        let cols = match n {
            1 | 2 => n,
            3 | 4 => 2,
            _ => 3,
        };
        let rows = n.div_ceil(cols);
        let x_end = self.x_end();
        let cells = grid.split_evenly((rows, cols));
        for (cell, p) in cells.iter().zip(&self.fans.panels) {
            self.panel(&cell.margin(6, 6, 6, 6), p, x_end)?;
        }
        Ok(())
    }
}

/// Write one fan chart per fund, `<stem>_<fund>.png/.svg`: the base-year projection's fan
/// per metric with the actual figures, and the re-based fan when `rebased_at` is given.
pub fn fan_charts(
    fans: &[FundFans],
    base: i32,
    rebased_at: Option<i32>,
    lab: &Labels,
    stem: &str,
    dir: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    let mut out = Vec::new();
    for f in fans.iter().filter(|f| !f.panels.is_empty()) {
        let n = f.panels.len();
        let rows = n.div_ceil(match n {
            1 | 2 => n,
            3 | 4 => 2,
            _ => 3,
        }) as u32;
        let page = FundPage {
            fans: f,
            base,
            rebased_at,
            lab,
        };
        out.extend(write_pair(
            &page,
            dir,
            &format!("{stem}_{}", f.fund),
            (1600, 190 + 470 * rows),
        )?);
    }
    Ok(out)
}

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

impl Drawing for Bars<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let l = self.lab.lang;
        let en = l == Lang::En;
        let title = match (en, self.plan.contains(&self.lab.region)) {
            (true, _) => format!("{}: probability that each indicator is met", self.plan),
            (false, true) => format!("{}：各指标达标概率", self.plan),
            (false, false) => format!("{} {}：各指标达标概率", self.lab.region, self.plan),
        };
        let items = [
            item(
                Sw::Fill(GOOD.to_rgba()),
                tr(l, "已达标 / 预计达标", "Achieved / on track"),
            ),
            item(Sw::Fill(RISK.to_rgba()), tr(l, "有风险", "At risk")),
            item(
                Sw::Fill(BAD.to_rgba()),
                tr(l, "未达标 / 预计未达标", "Missed / off track"),
            ),
            item(
                Sw::Line(INK.to_rgba()),
                tr(l, "原预测概率", "Previous projection"),
            ),
        ];
        let area = page(root, &title, &self.lab.footer, &items)?;
        let name_st = anchored(size::LEGEND, HPos::Right, VPos::Bottom);
        let target_st = anchored(size::NOTE, HPos::Right, VPos::Top).color(&GREY);
        let mut left = 200;
        for b in self.bars {
            left = left
                .max(text_w(&area, &b.name, &name_st)?)
                .max(text_w(&area, &b.target, &target_st)?);
        }
        let left = (left + 24) as u32;
        let n = self.bars.len().max(1) as f64;
        let mut c: Chart<DB> = ChartBuilder::on(&area)
            .margin_left(6)
            .margin_right(190)
            .margin_top(10)
            .margin_bottom(4)
            .x_label_area_size(60)
            .y_label_area_size(left)
            .build_cartesian_2d(0.0..1.0, 0.0..n)?;
        c.configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(INK.mix(0.10))
            .axis_style(GREY)
            .disable_y_mesh()
            .x_labels(6)
            .y_labels(0)
            .x_label_formatter(&|x| format!("{:.0}%", x * 100.0))
            .label_style(font(size::TICK))
            .draw()?;
        let (pl, _, pr, pb) = plot_rect(&c, &area);
        text(
            &area,
            tr(
                l,
                "达标概率（重新预测，其余年份每年均达标）",
                "Probability of meeting it in every remaining year (re-based projection)",
            ),
            ((pl + pr) / 2, pb + 34),
            &anchored(size::AXIS, HPos::Center, VPos::Top),
        )?;
        for (v, label) in [
            (self.t.at_risk, tr(l, "有风险线", "at-risk line")),
            (self.t.on_track, tr(l, "达标线", "on-track line")),
        ] {
            c.draw_series(DashedLineSeries::new(
                vec![(v, 0.0), (v, n)],
                8,
                6,
                GREY.stroke_width(2),
            ))?;
            let (x, y) = px(&c, &area, (v, n));
            text(
                &area,
                &format!("{label} {:.0}%", v * 100.0),
                (x, y + 2),
                &anchored(size::NOTE, HPos::Center, VPos::Top)
                    .color(&GREY)
                    .transform(FontTransform::None),
            )?;
        }
        for (i, b) in self.bars.iter().enumerate() {
            let y = n - 1.0 - i as f64;
            let col = status_colour(b.status);
            let probability = b.probability.filter(|_| b.status != Status::Missed);
            if let Some(p) = probability {
                c.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y + 0.3), (p, y + 0.7)],
                    col.mix(0.9).filled(),
                )))?;
            }
            if let Some(q) = b.previous {
                let (x, yc) = px(&c, &area, (q, y + 0.5));
                area.draw(&PathElement::new(
                    vec![(x, yc - 20), (x, yc + 20)],
                    INK.stroke_width(3),
                ))?;
            }
            let (_, ym) = px(&c, &area, (0.0, y + 0.5));
            text(&area, &b.name, (pl - 12, ym), &name_st)?;
            text(&area, &b.target, (pl - 12, ym + 2), &target_st)?;
            let ink = if probability.is_none() && col == GREY {
                GREY
            } else {
                INK
            };
            let st = anchored(size::LEGEND, HPos::Left, VPos::Center).color(&ink);
            let label = match (probability, en) {
                (Some(p), false) => format!("{} {:.0}%", b.status.zh(), p * 100.0),
                (Some(p), true) => format!("{} {:.0}%", b.status.en(), p * 100.0),
                (None, false) => b.status.zh().to_string(),
                (None, true) => b.status.en().to_string(),
            };
            text(&area, &label, (pr + 14, ym), &st)?;
            if probability.is_none() {
                let note = match (b.status, b.input_meets, en) {
                    (Status::ByAssumption, Some(true), false) => {
                        "情景输入，设定值达到目标（未作概率判断）"
                    }
                    (Status::ByAssumption, _, false) => {
                        "情景输入，设定值未达到目标（未作概率判断）"
                    }
                    (Status::ByAssumption, Some(true), true) => {
                        "a scenario input that meets the target (no probability)"
                    }
                    (Status::ByAssumption, _, true) => {
                        "a scenario input that does not meet the target (no probability)"
                    }
                    (Status::Missed, _, false) => "实际数已突破目标",
                    (Status::Missed, _, true) => "an actual figure already breaks it",
                    (_, _, false) => "以实际数判断",
                    (_, _, true) => "judged on actual figures",
                };
                text(
                    &area,
                    note,
                    (pl + 10, ym),
                    &anchored(size::NOTE, HPos::Left, VPos::Center).color(&GREY),
                )?;
            }
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
    dir: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    let h = 250 + 96 * bars.len().max(1) as u32;
    write_pair(&Bars { bars, t, lab, plan }, dir, "indicators", (1600, h))
}
