//! The plan indicators' chart (MODEL.md §11 *Plan check*, §13): per indicator, the
//! probability of meeting it on the re-based projection in its status colour, the base-year
//! projection's as a tick, and the at-risk and on-track lines; the title counts statuses.

use super::*;
use crate::chart::axes::{Margins, Plot};
use crate::chart::frame::{Item, Page, Sw, item, legend_rows, no_data, panel_frame};
use crate::chart::layout::Rect;
use crate::chart::style::{GREY, INK, alpha, line_h, pct, size, stroke, tr};
use crate::chart::text::{anchored, text, text_lines, width, wrap};
use crate::chart::{Body, ChartError, Lang, drawable, write_page};
use crate::evaluation::plan::{Status, Thresholds};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};

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
    let w = crate::chart::frame::body_width(crate::chart::style::PAGE_W);
    write_page(
        dir,
        "indicators",
        &b.page(rebased_at, base),
        b.body_h(w),
        &b,
    )
}
