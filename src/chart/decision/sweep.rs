//! `sweep` charts (MODEL.md §11 *Sweep*): the measure along one parameter (line with a ±2 SE
//! band, the target line, the current policy and the range where the target is met), or over
//! two (heatmap with a colour bar, the target's contour and the current policy's cell).

use super::{Names, Runs, foot, option_colour, write};
use crate::chart::axes::{Margins, Plot, nice_ticks, tick_decimals};
use crate::chart::frame::{Item, Page, Sw, item, no_data, panel_frame};
use crate::chart::panels::{left_margin, y_axis};
use crate::chart::style::{GREY, INK, SPEND, alpha, em, line_h, num, size, stroke, tr};
use crate::chart::text::{anchored, text, width};
use crate::chart::words::{
    decimals_of, is_probability, measure_axis, measure_text, param_name, param_title, param_unit,
    param_value, threshold_text, unit_scale,
};
use crate::chart::{Body, ChartError, ChartMeta, Lang};
use crate::decision::sweep::Grid;
use crate::decision::target::{Cmp, Measure};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};

/// What a sweep measured besides the grid: the measure, an optional target and the current
/// policy's value of each swept key (`None` where the scenario's value varies by year and
/// cannot be placed on the axis).
pub struct SweepSpec<'a> {
    /// The measure swept.
    pub measure: &'a Measure,
    /// The target's comparison and threshold, if a target was given.
    pub target: Option<(Cmp, f64)>,
    /// Current value of each swept key in the scenario.
    pub current: Vec<Option<f64>>,
}

/// Where along a 1-D sweep the target is met: intervals `(from, to)` in parameter units
/// (linearly interpolated between grid points; `None` ends are open).
fn met_intervals(xs: &[f64], ys: &[f64], c: Cmp, v: f64) -> Vec<(Option<f64>, Option<f64>)> {
    let met: Vec<bool> = ys.iter().map(|y| c.test(*y, v)).collect();
    let cross = |i: usize| {
        let (y0, y1) = (ys[i], ys[i + 1]);
        if (y1 - y0).abs() < 1e-15 {
            (xs[i] + xs[i + 1]) / 2.0
        } else {
            xs[i] + (v - y0) / (y1 - y0) * (xs[i + 1] - xs[i])
        }
    };
    let mut out = Vec::new();
    let mut start: Option<Option<f64>> = None;
    for i in 0..met.len() {
        if met[i] && start.is_none() {
            start = Some(if i == 0 { None } else { Some(cross(i - 1)) });
        }
        if !met[i]
            && let Some(s) = start.take()
        {
            out.push((s, Some(cross(i - 1))));
        }
    }
    if let Some(s) = start {
        out.push((s, None));
    }
    out
}

struct Line<'a> {
    g: &'a Grid,
    spec: &'a SweepSpec<'a>,
    lang: Lang,
}

impl Body for Line<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let (g, lang) = (self.g, self.lang);
        let key = &g.axes[0].key;
        let xs_scale = unit_scale(param_unit(key), lang);
        let (y_title, ys_scale) = measure_axis(self.spec.measure, lang);
        let xs: Vec<f64> = g.axes[0].values.iter().map(|v| v * xs_scale).collect();
        let se = |i: usize| {
            if g.values[i].se.is_finite() {
                2.0 * g.values[i].se
            } else {
                0.0
            }
        };
        let ys: Vec<f64> = g.values.iter().map(|e| e.value * ys_scale).collect();
        let col = option_colour(0);
        let mut items = vec![
            item(
                Sw::Line(alpha(col, 1.0), 1.5),
                tr(lang, "估计值", "Estimate"),
            ),
            item(
                Sw::Fill(alpha(col, 0.2)),
                tr(lang, "±2 倍蒙特卡洛标准误", "±2 Monte Carlo SE"),
            ),
        ];
        if let Some((c, v)) = self.spec.target {
            let t = threshold_text(self.spec.measure, c, v, lang);
            items.push(item(
                Sw::Dash(alpha(SPEND, 1.0)),
                format!("{}{t}", tr(lang, "目标 ", "Target ")),
            ));
            items.push(item(
                Sw::Fill(alpha(option_colour(2), 0.12)),
                tr(lang, "达到目标的取值范围", "Values meeting the target"),
            ));
            items.push(item(
                Sw::Dot(col, false),
                tr(lang, "达到目标", "Meets the target"),
            ));
            items.push(item(
                Sw::Dot(col, true),
                tr(lang, "未达到目标", "Misses the target"),
            ));
        }
        if let Some(cur) = self.spec.current[0] {
            items.push(item(
                Sw::Dash(alpha(INK, 0.8)),
                format!(
                    "{}{}",
                    tr(lang, "现行政策：", "Current policy: "),
                    param_value(key, cur, lang)
                ),
            ));
        }
        let plot_area = panel_frame(area, None, &items)?;
        if xs.is_empty() {
            return no_data(&plot_area, lang);
        }
        let (xa, xb) = (xs[0], *xs.last().unwrap_or(&xs[0]));
        let (xa, xb) = if xb > xa {
            let p = 0.03 * (xb - xa);
            (xa - p, xb + p)
        } else {
            (xa - 0.5, xa + 0.5)
        };
        let mut vals: Vec<f64> = (0..ys.len())
            .flat_map(|i| [ys[i] - se(i) * ys_scale, ys[i] + se(i) * ys_scale])
            .collect();
        if let Some((_, v)) = self.spec.target {
            vals.push(v * ys_scale);
        }
        let (mut lo, mut hi) = crate::chart::data::extent(vals.into_iter()).unwrap_or((0.0, 1.0));
        let pad = 0.08 * (hi - lo).max(1e-6 * hi.abs().max(1.0));
        lo -= pad;
        hi += pad;
        if is_probability(self.spec.measure) {
            lo = lo.max(0.0);
            hi = hi.min(100.0);
        }
        let (_, ah) = plot_area.dim_in_pixel();
        let (ticks, d) = y_axis(lo, hi, ah as i32);
        let fmt = move |v: f64| num(v, d);
        let xt = nice_ticks(xa, xb, 8);
        let xd = tick_decimals(&xt);
        let st = anchored(size::text(), HPos::Left, VPos::Center);
        let lane = line_h(size::text()) + 18;
        let m = Margins {
            left: left_margin(&ticks, &fmt),
            right: 40 + width("目标 ≥ 100%", &st),
            top: lane,
            bottom: Margins::standard(0, 0, 0, true).bottom,
        };
        let mut p = Plot::new(&plot_area, (xa, xb), (lo, hi), m)?;
        p.grid(&ticks)?;
        p.y_ticks(&ticks, &fmt)?;
        p.y_title(&y_title, m.left)?;
        x_ticks(&mut p, &xt, xd)?;
        p.x_title(&param_title(key, lang))?;
        if let Some((c, v)) = self.spec.target {
            for (a, b) in met_intervals(&xs, &ys, c, v * ys_scale) {
                let (a, b) = (a.unwrap_or(xa), b.unwrap_or(xb));
                p.c.draw_series(std::iter::once(Rectangle::new(
                    [(a, lo), (b, hi)],
                    alpha(option_colour(2), 0.12).filled(),
                )))?;
            }
            p.guide_h(v * ys_scale, alpha(SPEND, 1.0), 1.0, true)?;
            let (_, y) = p.px((xb, v * ys_scale));
            let t = format!(
                "{}{}",
                tr(lang, "目标 ", "target "),
                threshold_text(self.spec.measure, c, v, lang)
            );
            text(p.area, &t, (p.rect.x1 + 10, y), &st.clone().color(&SPEND))?;
            let lh = line_h(size::text());
            p.scene.labels.push(crate::chart::layout::Rect::new(
                p.rect.x1 + 10,
                y - lh / 2,
                p.rect.x1 + 10 + width(&t, &st),
                y + lh / 2,
            ));
        }
        if let Some(cur) = self.spec.current[0] {
            let x = cur * xs_scale;
            if x >= xa && x <= xb {
                p.guide_v(x, alpha(INK, 0.8), 0.9, true)?;
                let s = format!(
                    "{}{}",
                    tr(lang, "现行 ", "current "),
                    param_value(key, cur, lang)
                );
                let (px, _) = p.px((x, lo));
                let w = width(&s, &st);
                let x0 = (px - w / 2).clamp(p.rect.x0, p.rect.x1 - w);
                let y = p.rect.y0 - lane / 2 - 4;
                text(p.area, &s, (x0, y), &st)?;
                let lh = line_h(size::text());
                p.scene.labels.push(crate::chart::layout::Rect::new(
                    x0,
                    y - lh / 2,
                    x0 + w,
                    y + lh / 2,
                ));
            }
        }
        let band_hi: Vec<(f64, f64)> = (0..ys.len())
            .map(|i| (xs[i], ys[i] + se(i) * ys_scale))
            .collect();
        let band_lo: Vec<(f64, f64)> = (0..ys.len())
            .map(|i| (xs[i], ys[i] - se(i) * ys_scale))
            .collect();
        p.band(&band_lo, &band_hi, alpha(col, 0.2))?;
        let pts: Vec<(f64, f64)> = xs.iter().copied().zip(ys.iter().copied()).collect();
        p.line(&pts, alpha(col, 1.0), 1.5)?;
        let r = (em(size::text()) * 0.2) as i32;
        for &(x, y) in &pts {
            let met = self
                .spec
                .target
                .is_none_or(|(c, v)| c.test(y, v * ys_scale));
            p.dot((x, y), r, col, !met)?;
        }
        Ok(())
    }
}

/// Numeric x tick labels under a plot.
fn x_ticks<DB: DrawingBackend>(
    p: &mut Plot<DB>,
    ticks: &[f64],
    d: usize,
) -> Result<(), ChartError> {
    let st = anchored(size::text(), HPos::Center, VPos::Top);
    for &t in ticks {
        let (x, _) = p.px((t, p.y.0));
        p.area.draw(&PathElement::new(
            vec![(x, p.rect.y1), (x, p.rect.y1 + 10)],
            GREY.stroke_width(stroke(0.6)),
        ))?;
        text(p.area, &num(t, d), (x, p.rect.y1 + 14), &st)?;
    }
    Ok(())
}

/// Sequential colour for t in [0, 1]: pale to dark blue.
fn seq(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let a = (0xF7 as f64, 0xFB as f64, 0xFF as f64);
    let b = (0x08 as f64, 0x30 as f64, 0x6B as f64);
    RGBColor(
        (a.0 + (b.0 - a.0) * t) as u8,
        (a.1 + (b.1 - a.1) * t) as u8,
        (a.2 + (b.2 - a.2) * t) as u8,
    )
}

struct Heat<'a> {
    g: &'a Grid,
    spec: &'a SweepSpec<'a>,
    lang: Lang,
}

impl Heat<'_> {
    fn range(&self, scale: f64) -> (f64, f64) {
        let v: Vec<f64> = self
            .g
            .values
            .iter()
            .map(|e| e.value * scale)
            .filter(|v| v.is_finite())
            .collect();
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if lo.is_finite() && hi > lo {
            (lo, hi)
        } else {
            (lo, lo + 1.0)
        }
    }

    /// The cell of the current policy, when both values lie within half a step of the grid.
    fn current_cell(&self) -> Option<(usize, usize)> {
        let idx = |a: usize| -> Option<usize> {
            let vals = &self.g.axes[a].values;
            let cur = self.spec.current.get(a).copied().flatten()?;
            let step = if vals.len() > 1 {
                (vals[1] - vals[0]).abs()
            } else {
                1.0
            };
            let (i, d) = vals
                .iter()
                .enumerate()
                .map(|(i, v)| (i, (v - cur).abs()))
                .min_by(|a, b| a.1.total_cmp(&b.1))?;
            (d <= step / 2.0 + 1e-12).then_some(i)
        };
        Some((idx(0)?, idx(1)?))
    }
}

impl Body for Heat<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let (g, lang) = (self.g, self.lang);
        let (n1, n2) = (g.axes[0].values.len(), g.axes[1].values.len());
        let (v_title, scale) = measure_axis(self.spec.measure, lang);
        let (vlo, vhi) = self.range(scale);
        let mut items: Vec<Item> = Vec::new();
        if let Some((c, v)) = self.spec.target {
            items.push(item(
                Sw::Line(alpha(INK, 1.0), 2.2),
                format!(
                    "{}{}",
                    tr(lang, "目标边界：", "Target boundary: "),
                    threshold_text(self.spec.measure, c, v, lang)
                ),
            ));
        }
        let cur = self.current_cell();
        if let Some((i, k)) = cur {
            let s = format!(
                "{}{}{}{}",
                tr(lang, "现行政策所在格：", "Current policy's cell: "),
                param_value(&g.axes[0].key, g.axes[0].values[i], lang),
                tr(lang, "，", ", "),
                param_value(&g.axes[1].key, g.axes[1].values[k], lang)
            );
            items.push(item(Sw::Line(alpha(SPEND, 1.0), 1.6), s));
        }
        let plot_area = panel_frame(area, None, &items)?;
        let ys: Vec<String> = g.axes[0]
            .values
            .iter()
            .map(|v| param_value(&g.axes[0].key, *v, lang))
            .collect();
        let xs: Vec<String> = g.axes[1]
            .values
            .iter()
            .map(|v| param_value(&g.axes[1].key, *v, lang))
            .collect();
        let tick = anchored(size::text(), HPos::Right, VPos::Center);
        let wmax = ys.iter().map(|s| width(s, &tick)).max().unwrap_or(0);
        let bar_w = (em(size::text()) * 0.8) as i32;
        let cticks = nice_ticks(vlo, vhi, 6);
        let cd = tick_decimals(&cticks);
        let cw = cticks
            .iter()
            .map(|t| width(&num(*t, cd), &tick))
            .max()
            .unwrap_or(0);
        let m = Margins {
            left: wmax + line_h(size::text()) + 30,
            right: 30 + bar_w + 14 + cw + line_h(size::text()) + 20,
            top: 16,
            bottom: Margins::standard(0, 0, 0, true).bottom,
        };
        let mut p = Plot::new(&plot_area, (0.0, n2 as f64), (0.0, n1 as f64), m)?;
        let cell_w = p.px((1.0, 0.0)).0 - p.px((0.0, 0.0)).0;
        let cell_h = p.px((0.0, 0.0)).1 - p.px((0.0, 1.0)).1;
        for i in 0..n1 {
            for k in 0..n2 {
                let v = g.at(i, k).value * scale;
                let t = (v - vlo) / (vhi - vlo);
                p.bar(
                    (k as f64, i as f64),
                    (k as f64 + 1.0, i as f64 + 1.0),
                    alpha(seq(t), 1.0),
                )?;
            }
        }
        let span = vhi - vlo;
        let vd = if span >= 20.0 {
            0
        } else if span >= 2.0 {
            1
        } else {
            2
        };
        let prob = is_probability(self.spec.measure);
        let cell = anchored(size::text(), HPos::Center, VPos::Center);
        for i in 0..n1 {
            for k in 0..n2 {
                let v = g.at(i, k).value * scale;
                let s = if prob {
                    crate::chart::style::pct(v / 100.0)
                } else {
                    num(v, vd)
                };
                if width(&s, &cell) + 8 <= cell_w && line_h(size::text()) <= cell_h {
                    let t = (v - vlo) / (vhi - vlo);
                    let ink = if t > 0.55 { WHITE } else { INK };
                    text(
                        p.area,
                        &s,
                        p.px((k as f64 + 0.5, i as f64 + 0.5)),
                        &cell.clone().color(&ink),
                    )?;
                }
            }
        }
        // Target contour: edges between cells that meet the target and cells that do not.
        if let Some((c, v)) = self.spec.target {
            let met = |i: usize, k: usize| c.test(g.at(i, k).value, v);
            let w = stroke(2.2);
            let mut seg = |a: (f64, f64), b: (f64, f64)| {
                p.c.draw_series(LineSeries::new(vec![a, b], INK.stroke_width(w)))
                    .map(|_| ())
            };
            for i in 0..n1 {
                for k in 0..n2 {
                    if k + 1 < n2 && met(i, k) != met(i, k + 1) {
                        seg(((k + 1) as f64, i as f64), ((k + 1) as f64, (i + 1) as f64))?;
                    }
                    if i + 1 < n1 && met(i, k) != met(i + 1, k) {
                        seg((k as f64, (i + 1) as f64), ((k + 1) as f64, (i + 1) as f64))?;
                    }
                }
            }
        }
        if let Some((i, k)) = cur {
            let (a, b) = (
                p.px((k as f64, i as f64)),
                p.px((k as f64 + 1.0, i as f64 + 1.0)),
            );
            p.area
                .draw(&Rectangle::new([a, b], SPEND.stroke_width(stroke(1.6))))?;
        }
        // Axis labels centred on rows and columns (every n-th where crowded).
        let xt = anchored(size::text(), HPos::Center, VPos::Top);
        let xw = xs.iter().map(|s| width(s, &xt)).max().unwrap_or(0) + 12;
        let kstep = ((xw as f64 / cell_w.max(1) as f64).ceil() as usize).max(1);
        for k in (0..n2).step_by(kstep) {
            let (x, _) = p.px((k as f64 + 0.5, 0.0));
            text(p.area, &xs[k], (x, p.rect.y1 + 14), &xt)?;
        }
        let istep = ((line_h(size::text()) as f64 / cell_h.max(1) as f64).ceil() as usize).max(1);
        for i in (0..n1).step_by(istep) {
            let (_, y) = p.px((0.0, i as f64 + 0.5));
            text(p.area, &ys[i], (p.rect.x0 - 12, y), &tick)?;
        }
        p.y_title(&param_title(&g.axes[0].key, lang), m.left)?;
        p.x_title(&param_title(&g.axes[1].key, lang))?;
        // Colour bar.
        let x0 = p.rect.x1 + 30;
        let (y0, y1) = (p.rect.y0, p.rect.y1);
        let n = (y1 - y0).max(1);
        for j in 0..n {
            let t = 1.0 - j as f64 / n as f64;
            p.area.draw(&PathElement::new(
                vec![(x0, y0 + j), (x0 + bar_w, y0 + j)],
                seq(t).stroke_width(1),
            ))?;
        }
        p.area.draw(&Rectangle::new(
            [(x0, y0), (x0 + bar_w, y1)],
            GREY.stroke_width(stroke(0.4)),
        ))?;
        let lt = anchored(size::text(), HPos::Left, VPos::Center);
        for t in &cticks {
            let y = y1 - ((t - vlo) / (vhi - vlo) * (y1 - y0) as f64).round() as i32;
            p.area.draw(&PathElement::new(
                vec![(x0 + bar_w, y), (x0 + bar_w + 8, y)],
                GREY.stroke_width(stroke(0.5)),
            ))?;
            text(p.area, &num(*t, cd), (x0 + bar_w + 14, y), &lt)?;
        }
        let vt = anchored(size::text(), HPos::Center, VPos::Center)
            .transform(plotters::style::FontTransform::Rotate270);
        text(
            p.area,
            &v_title,
            (
                x0 + bar_w + 14 + cw + line_h(size::text()) / 2 + 8,
                (y0 + y1) / 2,
            ),
            &vt,
        )?;
        Ok(())
    }
}

fn line_title(g: &Grid, spec: &SweepSpec, pre: &str, lang: Lang) -> String {
    let key = &g.axes[0].key;
    let name = param_name(key, lang);
    let what = measure_text(spec.measure, lang);
    let (_, ys) = measure_axis(spec.measure, lang);
    let xs_scale = unit_scale(param_unit(key), lang);
    let vals = &g.axes[0].values;
    let pv = |v: f64| param_value(key, v, lang);
    let mv = |v: f64| {
        let x = v * ys;
        let unit = if ys == 100.0 { "%" } else { "" };
        format!("{}{unit}", num(x, decimals_of(x).min(1)))
    };
    let Some((c, t)) = spec.target else {
        let (a, b) = (g.values[0].value, g.values[g.values.len() - 1].value);
        return match lang {
            Lang::Zh => format!(
                "{pre}{name}由 {} 变为 {} 时，{what}由 {} 变为 {}",
                pv(vals[0]),
                pv(vals[vals.len() - 1]),
                mv(a),
                mv(b)
            ),
            Lang::En => format!(
                "{pre}{what}: {} at {} {}, {} at {}",
                mv(a),
                name.to_lowercase(),
                pv(vals[0]),
                mv(b),
                pv(vals[vals.len() - 1])
            ),
        };
    };
    let thr = threshold_text(spec.measure, c, t, lang);
    let ys_v: Vec<f64> = g.values.iter().map(|e| e.value).collect();
    let iv = met_intervals(vals, &ys_v, c, t);
    // An interpolated crossing is given to the grid step's precision.
    let step = if vals.len() > 1 {
        (vals[1] - vals[0]).abs() * xs_scale
    } else {
        1.0
    };
    let d = decimals_of(step);
    let x = |v: f64| {
        let r = (v * xs_scale * 10f64.powi(d as i32)).round() / 10f64.powi(d as i32);
        pv(r / xs_scale)
    };
    let range = match lang {
        Lang::Zh => format!("{}–{}", pv(vals[0]), pv(vals[vals.len() - 1])),
        Lang::En => format!("{}–{}", pv(vals[0]), pv(vals[vals.len() - 1])),
    };
    match (lang, iv.as_slice()) {
        (Lang::Zh, []) => format!("{pre}{name}在 {range} 范围内，{what}均未达到目标（{thr}）"),
        (Lang::En, []) => format!(
            "{pre}{what} misses the target ({thr}) for every {} in {range}",
            name.to_lowercase()
        ),
        (Lang::Zh, [(None, None)]) => {
            format!("{pre}{name}在 {range} 范围内，{what}均达到目标（{thr}）")
        }
        (Lang::En, [(None, None)]) => format!(
            "{pre}{what} meets the target ({thr}) for every {} in {range}",
            name.to_lowercase()
        ),
        (Lang::Zh, [(Some(a), None)]) => {
            format!("{pre}{name}不低于约 {} 时，{what}达到目标（{thr}）", x(*a))
        }
        (Lang::En, [(Some(a), None)]) => format!(
            "{pre}{what} meets the target ({thr}) from {} ≈ {}",
            name.to_lowercase(),
            x(*a)
        ),
        (Lang::Zh, [(None, Some(b))]) => {
            format!("{pre}{name}不高于约 {} 时，{what}达到目标（{thr}）", x(*b))
        }
        (Lang::En, [(None, Some(b))]) => format!(
            "{pre}{what} meets the target ({thr}) up to {} ≈ {}",
            name.to_lowercase(),
            x(*b)
        ),
        (_, ivs) => {
            let parts: Vec<String> = ivs
                .iter()
                .map(|(a, b)| {
                    format!(
                        "{}–{}",
                        a.map(x).unwrap_or_else(|| pv(vals[0])),
                        b.map(x).unwrap_or_else(|| pv(vals[vals.len() - 1]))
                    )
                })
                .collect();
            match lang {
                Lang::Zh => format!(
                    "{pre}{name}在 {} 时，{what}达到目标（{thr}）",
                    parts.join("、")
                ),
                Lang::En => format!(
                    "{pre}{what} meets the target ({thr}) for {} in {}",
                    name.to_lowercase(),
                    parts.join(", ")
                ),
            }
        }
    }
}

fn heat_title(g: &Grid, spec: &SweepSpec, pre: &str, lang: Lang) -> String {
    let what = measure_text(spec.measure, lang);
    let (_, ys) = measure_axis(spec.measure, lang);
    let unit = if ys == 100.0 { "%" } else { "" };
    let n = g.values.len();
    if let Some((c, t)) = spec.target {
        let k = g.values.iter().filter(|e| c.test(e.value, t)).count();
        let thr = threshold_text(spec.measure, c, t, lang);
        return match lang {
            Lang::Zh => format!("{pre}{what}：{n} 个参数组合中 {k} 个达到目标（{thr}）"),
            Lang::En => format!("{pre}{what}: {k} of {n} combinations meet the target ({thr})"),
        };
    }
    let (lo, hi) = g
        .values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |a, e| {
            (a.0.min(e.value), a.1.max(e.value))
        });
    match lang {
        Lang::Zh => format!(
            "{pre}{what}：在所示参数范围内介于 {}{unit} 与 {}{unit} 之间",
            num(lo * ys, 1),
            num(hi * ys, 1)
        ),
        Lang::En => format!(
            "{pre}{what}: between {}{unit} and {}{unit} over the grid",
            num(lo * ys, 1),
            num(hi * ys, 1)
        ),
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Write the sweep chart `sweep.png/.svg`: a line for one axis, a heatmap for two (MODEL.md
/// §11). `meta` is the scenario's ([`super::meta_for`]).
pub fn sweep_chart(
    g: &Grid,
    spec: &SweepSpec,
    meta: &ChartMeta,
    lang: Lang,
    dir: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    let nm = Names::of(meta);
    let pre = nm.prefix(None, lang);
    let se_note = tr(
        lang,
        "带状区域为 ±2 倍蒙特卡洛标准误",
        "band: ±2 Monte Carlo standard errors",
    );
    let mut notes = Vec::new();
    for (a, cur) in g.axes.iter().zip(&spec.current) {
        if cur.is_none() {
            notes.push(match lang {
                Lang::Zh => format!("{}在情景中逐年变化，现行政策无法标在单一取值上", param_name(&a.key, lang)),
                Lang::En => format!("{} varies by year in the scenario: the current policy is not a single value on this axis", param_name(&a.key, lang)),
            });
        }
    }
    if g.axes.len() == 1 {
        let sub = match lang {
            Lang::Zh => format!(
                "{}随{}的变化；{se_note}",
                measure_text(spec.measure, lang),
                param_name(&g.axes[0].key, lang)
            ),
            Lang::En => format!(
                "{} against {}; {se_note}",
                capital(&measure_text(spec.measure, lang)),
                param_name(&g.axes[0].key, lang).to_lowercase()
            ),
        };
        let page = Page {
            title: line_title(g, spec, &pre, lang),
            subtitle: sub,
            notes,
            foot: foot(meta, &nm, lang, Runs::Points),
        };
        write(dir, "sweep", &page, 1100, &Line { g, spec, lang })
    } else {
        let sub = match lang {
            Lang::Zh => format!(
                "{}：纵轴为{}，横轴为{}，颜色与格内数字为估计值",
                measure_text(spec.measure, lang),
                param_name(&g.axes[0].key, lang),
                param_name(&g.axes[1].key, lang)
            ),
            Lang::En => format!(
                "{}: rows {}, columns {}; colour and numbers are the estimates",
                capital(&measure_text(spec.measure, lang)),
                param_name(&g.axes[0].key, lang).to_lowercase(),
                param_name(&g.axes[1].key, lang).to_lowercase()
            ),
        };
        let page = Page {
            title: heat_title(g, spec, &pre, lang),
            subtitle: sub,
            notes,
            foot: foot(meta, &nm, lang, Runs::Points),
        };
        write(dir, "sweep", &page, 1400, &Heat { g, spec, lang })
    }
}
