//! The sensitivity tornado (MODEL.md §11 *Sensitivity*): per fund, each driver's effect on
//! the median months of reserve at the horizon (left) and on the probability of depletion by
//! the horizon in percentage points (right), with the value at each bar's end. Drivers with
//! no effect on the fund are left out and named in a note.

use super::{Names, Runs, foot, write};
use crate::chart::axes::{Margins, Plot, nice_ticks, tick_decimals};
use crate::chart::frame::{Page, Sw, item, no_data, panel_frame};
use crate::chart::layout::Rect;
use crate::chart::style::{GREY, INK, alpha, line_h, num, pct, size, stroke, tr};
use crate::chart::text::{anchored, text, width};
use crate::chart::words::{param_name, step_text};
use crate::chart::{Body, ChartError, ChartMeta, Lang};
use crate::decision::FUNDS;
use crate::decision::sensitivity::{Effect, Tornado};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};

/// Parameter down (Tol red) and up (Tol blue).
const DOWN: RGBColor = RGBColor(0xEE, 0x66, 0x77);
const UP: RGBColor = RGBColor(0x44, 0x77, 0xAA);

/// Effects smaller than these are "no effect": 0.005 months, 0.05 percentage points.
const NO_MONTHS: f64 = 0.005;
const NO_PROB: f64 = 0.0005;

fn deltas(t: &Tornado, e: &Effect, f: usize) -> [f64; 4] {
    [
        e.down.months[f] - t.base.months[f],
        e.up.months[f] - t.base.months[f],
        100.0 * (e.down.depleted[f] - t.base.depleted[f]),
        100.0 * (e.up.depleted[f] - t.base.depleted[f]),
    ]
}

fn has_effect(d: &[f64; 4]) -> bool {
    d[0].abs() >= NO_MONTHS
        || d[1].abs() >= NO_MONTHS
        || d[2].abs() >= 100.0 * NO_PROB
        || d[3].abs() >= 100.0 * NO_PROB
}

fn signed(v: f64, d: usize) -> String {
    let s = num(v, d);
    if v > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

struct Chart<'a> {
    t: &'a Tornado,
    rows: Vec<(&'a Effect, [f64; 4])>,
    lang: Lang,
}

impl Chart<'_> {
    fn name(&self, e: &Effect) -> String {
        format!(
            "{} {}",
            param_name(e.driver.key, self.lang),
            step_text(&e.driver, self.lang)
        )
    }
}

impl Body for Chart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let lang = self.lang;
        let items = [
            item(
                Sw::Fill(alpha(DOWN, 0.9)),
                tr(lang, "参数下调", "Parameter down"),
            ),
            item(
                Sw::Fill(alpha(UP, 0.9)),
                tr(lang, "参数上调", "Parameter up"),
            ),
        ];
        let body = panel_frame(area, None, &items)?;
        if self.rows.is_empty() {
            return no_data(&body, lang);
        }
        let n = self.rows.len();
        let st = anchored(size::text(), HPos::Right, VPos::Center);
        let names: Vec<String> = self.rows.iter().map(|(e, _)| self.name(e)).collect();
        let wname = names.iter().map(|s| width(s, &st)).max().unwrap_or(0);
        let (w, _) = body.dim_in_pixel();
        let gap = 40;
        let left_w = wname + 24;
        let panel_w = (w as i32 - left_w - gap) / 2;
        let left = body.margin(0, 0, 0, (w as i32 - left_w - panel_w).max(0) as u32);
        let right = body.margin(0, 0, (left_w + panel_w + gap) as u32, 0);
        let t = self.t;
        let titles = match lang {
            Lang::Zh => [
                "可支付月数中位数的变化（个月）".to_string(),
                "穿底概率的变化（百分点）".to_string(),
            ],
            Lang::En => [
                format!("Change in median months at {}", t.horizon),
                format!("Change in P(exhausted by {}), pp", t.horizon),
            ],
        };
        // Both panels' headers take the same height, so that their rows line up.
        let head = anchored(size::text(), HPos::Center, VPos::Top);
        let head_n = titles
            .iter()
            .map(|s| crate::chart::text::wrap(s, &head, panel_w - 12).len())
            .max()
            .unwrap_or(1) as i32;
        for (k, (sub, lw)) in [(&left, left_w), (&right, 0)].into_iter().enumerate() {
            let (di, ui, dec) = if k == 0 { (0, 1, 1) } else { (2, 3, 1) };
            let title = &titles[k];
            let vals = self
                .rows
                .iter()
                .flat_map(|(_, d)| [d[di], d[ui]])
                .chain([0.0]);
            let (lo, hi) = crate::chart::data::extent(vals).unwrap_or((-1.0, 1.0));
            // Room for the value labels beyond the longest bars on either side.
            let lab = self
                .rows
                .iter()
                .flat_map(|(_, d)| [signed(d[di], dec), signed(d[ui], dec)])
                .map(|s| width(&s, &anchored(size::text(), HPos::Left, VPos::Center)))
                .max()
                .unwrap_or(0)
                + 24;
            let plot_w = (panel_w - 12).max(2 * lab + 10) as f64;
            let pad = (hi - lo).max(1e-6) * lab as f64 / (plot_w - 2.0 * lab as f64);
            let (lo, hi) = (lo - pad, hi + pad);
            let ticks = nice_ticks(lo, hi, 5);
            let td = tick_decimals(&ticks);
            let head_lines = crate::chart::text::wrap(title, &head, panel_w - 12);
            let lh = line_h(size::text());
            let m = Margins {
                left: lw,
                right: 12,
                top: head_n * lh + 12,
                bottom: lh + 24,
            };
            let mut p = Plot::new(sub, (lo, hi), (0.0, n as f64), m)?;
            let gl = INK.mix(0.10).stroke_width(stroke(0.4));
            for &x in &ticks {
                p.c.draw_series(LineSeries::new(vec![(x, 0.0), (x, n as f64)], gl))?;
            }
            let xt = anchored(size::text(), HPos::Center, VPos::Top);
            for &x in &ticks {
                let (px, _) = p.px((x, 0.0));
                text(p.area, &num(x, td), (px, p.rect.y1 + 10), &xt)?;
            }
            let top = p.rect.y0 - head_lines.len() as i32 * lh - 6;
            crate::chart::text::text_lines(
                p.area,
                &head_lines,
                ((p.rect.x0 + p.rect.x1) / 2, top),
                &head,
            )?;
            let vl = anchored(size::text(), HPos::Left, VPos::Center);
            let vr = anchored(size::text(), HPos::Right, VPos::Center);
            for (r, (_, d)) in self.rows.iter().enumerate() {
                let y = (n - 1 - r) as f64;
                for (v, col) in [(d[di], DOWN), (d[ui], UP)] {
                    let (a, b) = if v < 0.0 { (v, 0.0) } else { (0.0, v) };
                    p.bar((a, y + 0.18), (b, y + 0.82), alpha(col, 0.9))?;
                }
                // Value labels at the outer ends: the negative one left, the positive right.
                let (neg, pos) = (d[di].min(d[ui]), d[di].max(d[ui]));
                let (_, yc) = p.px((0.0, y + 0.5));
                let lh = line_h(size::text());
                let shown = |v: f64| v.abs() >= 0.05;
                if neg < 0.0 && shown(neg) {
                    let (x, _) = p.px((neg, 0.0));
                    let s = signed(neg, dec);
                    text(p.area, &s, (x - 8, yc), &vr)?;
                    let w = width(&s, &vr);
                    p.scene
                        .labels
                        .push(Rect::new(x - 8 - w, yc - lh / 2, x - 8, yc + lh / 2));
                }
                if pos > 0.0 && shown(pos) {
                    let (x, _) = p.px((pos, 0.0));
                    let s = signed(pos, dec);
                    text(p.area, &s, (x + 8, yc), &vl)?;
                    let w = width(&s, &vl);
                    p.scene
                        .labels
                        .push(Rect::new(x + 8, yc - lh / 2, x + 8 + w, yc + lh / 2));
                }
            }
            p.c.draw_series(LineSeries::new(
                vec![(0.0, 0.0), (0.0, n as f64)],
                INK.stroke_width(stroke(0.9)),
            ))?;
            let r = p.rect;
            p.area.draw(&PathElement::new(
                vec![(r.x0, r.y1), (r.x1, r.y1)],
                GREY.stroke_width(stroke(0.6)),
            ))?;
            if k == 0 {
                for (row, name) in names.iter().enumerate() {
                    let (_, y) = p.px((0.0, (n - 1 - row) as f64 + 0.5));
                    text(p.area, name, (p.rect.x0 - 12, y), &st)?;
                }
            }
        }
        Ok(())
    }
}

/// Write the tornado charts `tornado_<fund>.png/.svg` (MODEL.md §11). `meta` is the
/// scenario's ([`super::meta_for`]).
pub fn tornado_chart(
    t: &Tornado,
    meta: &ChartMeta,
    lang: Lang,
    dir: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    let nm = Names::of(meta);
    let mut out = Vec::new();
    for f in 0..3 {
        let all: Vec<(&Effect, [f64; 4])> = t
            .sorted(f)
            .into_iter()
            .map(|e| (e, deltas(t, e, f)))
            .collect();
        let (rows, none): (Vec<_>, Vec<_>) = all.into_iter().partition(|(_, d)| has_effect(d));
        let chart = Chart { t, rows, lang };
        let h = t.horizon;
        let title = match chart.rows.first() {
            Some((e, d)) => match lang {
                Lang::Zh => format!(
                    "{}对 {h} 年可支付月数影响最大的是{}（{}：{} 至 {} 个月）",
                    nm.prefix(Some(f), lang),
                    param_name(e.driver.key, lang),
                    step_text(&e.driver, lang),
                    signed(d[0].min(d[1]), 1),
                    signed(d[0].max(d[1]), 1)
                ),
                Lang::En => format!(
                    "{}{} moves the median months at {h} most ({}: {} to {})",
                    nm.prefix(Some(f), lang),
                    param_name(e.driver.key, lang),
                    step_text(&e.driver, lang),
                    signed(d[0].min(d[1]), 1),
                    signed(d[0].max(d[1]), 1)
                ),
            },
            None => format!(
                "{}{}",
                nm.prefix(Some(f), lang),
                tr(
                    lang,
                    "所列参数均无影响",
                    "no listed parameter has an effect"
                )
            ),
        };
        let sub = match lang {
            Lang::Zh => format!(
                "每项参数单独下调、上调（其余不变）；基准：{h} 年可支付月数中位数 {} 个月，{h} 年前穿底概率 {}",
                num(t.base.months[f], 1),
                pct(t.base.depleted[f])
            ),
            Lang::En => format!(
                "Each parameter moved down and up alone; base: median months at {h} {}, P(exhausted by {h}) {}",
                num(t.base.months[f], 1),
                pct(t.base.depleted[f])
            ),
        };
        let mut notes = Vec::new();
        if !none.is_empty() {
            let names: Vec<String> = none
                .iter()
                .map(|(e, _)| param_name(e.driver.key, lang))
                .collect();
            notes.push(match lang {
                Lang::Zh => format!("对本基金无影响、未列出：{}", names.join("、")),
                Lang::En => format!("No effect on this fund, not shown: {}", names.join(", ")),
            });
        }
        notes.push(tr(lang, "步长：比率类参数按百分点，缴费与补助按相对比例，迁入人口按 ±25%（见 README“敏感性分析”）", "Steps: rates in percentage points, premium and subsidy relative, migration ±25% (README, sensitivity)").to_string());
        let page = Page {
            title,
            subtitle: sub,
            notes,
            foot: foot(meta, &nm, lang, Runs::Steps),
        };
        let body_h = 260 + chart.rows.len().max(1) as u32 * 110;
        out.extend(write(
            dir,
            &format!("tornado_{}", FUNDS[f]),
            &page,
            body_h,
            &chart,
        )?);
    }
    Ok(out)
}
