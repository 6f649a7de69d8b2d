//! Charts of the decision tools (MODEL.md §11): the compare overlay of median months with
//! P10–P90 bands per option, the sweep line chart and heatmap, and the sensitivity tornado.
//! Each is written as PNG and SVG with the embedded font, like the run charts. Option
//! colours are Paul Tol's "bright" scheme, outside the tier palette; the heatmap uses a
//! sequential blue scale; the tornado draws "down" in Tol red and "up" in Tol blue.
//!
//! Words (titles, axis titles, legends, footers, bar and cell labels) go through the run
//! charts' `text()`, which rasterises them with proper advances and kerning in PNG; plotters
//! draws the tick numbers only. Legends sit below the plot so that they never cover data.

use super::panels::{
    Area, Chart, Item, R, Sw, anchored, decimals, item, panel_frame, plot_rect, px, text, text_w,
};
use super::style::{GREY, INK, num, size};
use super::{ChartError, font};
use crate::decision::compare::Bands;
use crate::decision::sensitivity::Tornado;
use crate::decision::sweep::Grid;
use crate::export::write_atomic;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};

/// Option colours (Tol bright).
const OPTION_COLOURS: [RGBColor; 7] = [
    RGBColor(0x44, 0x77, 0xAA),
    RGBColor(0xEE, 0x66, 0x77),
    RGBColor(0x22, 0x88, 0x33),
    RGBColor(0xCC, 0xBB, 0x44),
    RGBColor(0x66, 0xCC, 0xEE),
    RGBColor(0xAA, 0x33, 0x77),
    RGBColor(0x66, 0x66, 0x66),
];

pub(super) trait Drawing {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

/// Alpha of an option's P10–P90 band in the compare overlay.
const BAND_ALPHA: f64 = 0.22;
/// Tornado colours: parameter down (Tol red) and up (Tol blue).
const DOWN: RGBColor = RGBColor(0xEE, 0x66, 0x77);
const UP: RGBColor = RGBColor(0x44, 0x77, 0xAA);

fn option_colour(i: usize) -> RGBColor {
    OPTION_COLOURS[i % OPTION_COLOURS.len()]
}

pub(super) fn write_pair(
    d: &impl Drawing,
    dir: &Path,
    stem: &str,
    (w, h): (u32, u32),
) -> Result<Vec<PathBuf>, ChartError> {
    font::ensure_registered()?;
    let png = super::png_with((w, h), |root| {
        root.fill(&WHITE)?;
        d.draw(root)
    })?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE)?;
        d.draw(&root)?;
        root.present()?;
    }
    let svg = super::fix_svg_text(&svg);
    let png_path = dir.join(format!("{stem}.png"));
    let svg_path = dir.join(format!("{stem}.svg"));
    write_atomic(&png_path, &png)?;
    write_atomic(&svg_path, svg.as_bytes())?;
    Ok(vec![png_path, svg_path])
}

fn extent(v: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for x in v.filter(|x| x.is_finite()) {
        lo = lo.min(x);
        hi = hi.max(x);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        return (lo - 0.5, hi + 0.5);
    }
    let pad = 0.06 * (hi - lo);
    (lo - pad, hi + pad)
}

/// Page frame: title on top (shrunk to fit the width), footer under a rule at the bottom,
/// legend below the plot; returns the area left for the plot.
pub(super) fn page<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    footer: &str,
    items: &[Item],
) -> Result<Area<DB>, ChartError> {
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let mut st = anchored(size::TITLE, HPos::Left, VPos::Top);
    for sz in [size::TITLE, size::CAPTION, size::NOTE] {
        st = anchored(sz, HPos::Left, VPos::Top);
        if text_w(root, title, &st)? <= w - 48 {
            break;
        }
    }
    text(root, title, (24, 12), &st)?;
    root.draw(&PathElement::new(
        vec![(16, h - 34), (w - 16, h - 34)],
        GREY.mix(0.4),
    ))?;
    let foot = anchored(size::FOOT, HPos::Left, VPos::Bottom).color(&GREY);
    text(root, footer, (24, h - 8), &foot)?;
    let body = root.margin(64, 40, 8, 16);
    panel_frame(&body, None, items)
}

/// Cartesian chart on the plot area with `left` pixels for tick labels and the y title.
fn build<DB: DrawingBackend>(
    area: &Area<DB>,
    x: (f64, f64),
    y: (f64, f64),
    left: u32,
) -> Result<Chart<'_, DB>, ChartError> {
    Ok(ChartBuilder::on(area)
        .margin_left(6)
        .margin_right(24)
        .margin_top(8)
        .margin_bottom(4)
        .x_label_area_size(64)
        .y_label_area_size(left)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)?)
}

/// Axis titles: x centred under the tick labels, y rotated left of them (`left` as in
/// [`build`]); drawn here rather than by plotters so that PNG text is laid out properly.
fn axis_titles<DB: DrawingBackend>(
    c: &Chart<DB>,
    area: &Area<DB>,
    x_desc: &str,
    y_desc: Option<&str>,
    left: i32,
) -> R {
    let (l, t, r, b) = plot_rect(c, area);
    if let Some(d) = y_desc {
        let ys =
            anchored(size::AXIS, HPos::Center, VPos::Center).transform(FontTransform::Rotate270);
        text(area, d, (l - left + 14, (t + b) / 2), &ys)?;
    }
    text(
        area,
        x_desc,
        ((l + r) / 2, b + 36),
        &anchored(size::AXIS, HPos::Center, VPos::Top),
    )
}

/// Number of year labels that fit `width` pixels (every 1, 2, 5, … years).
fn year_labels(years: (i32, i32), width: i32) -> usize {
    let n = (years.1 - years.0 + 1).max(1);
    let step = [1, 2, 5, 10, 20]
        .into_iter()
        .find(|s| (n + s - 1) / s * 62 <= width)
        .unwrap_or(50);
    ((n + step - 1) / step) as usize
}

/// Tick-label decimals for a value range (one more than the run charts below 0.05).
fn value_decimals(lo: f64, hi: f64) -> usize {
    if (hi - lo).abs() < 0.05 {
        3
    } else {
        decimals(lo, hi)
    }
}

struct Overlay<'a> {
    bands: &'a [Bands],
    fund: usize,
    lines: [f64; 2],
    footer: String,
}

impl Drawing for Overlay<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let f = self.fund;
        let years = &self.bands[0].years;
        let (x0, x1) = (years[0], *years.last().unwrap_or(&years[0]));
        let (lo, hi) = extent(
            self.bands
                .iter()
                .flat_map(|b| b.months[f].iter().flat_map(|t| [t.0, t.2]))
                .chain(self.lines),
        );
        let title = format!(
            "Median months of reserve with P10–P90 band — {}",
            super::fund_label(crate::decision::FUNDS[f], super::Lang::En)
        );
        let mut items = Vec::new();
        for (i, b) in self.bands.iter().enumerate() {
            let col = option_colour(i);
            items.push(item(
                Sw::Line(col.to_rgba()),
                format!("{}: median", b.label),
            ));
            items.push(item(Sw::Fill(col.mix(BAND_ALPHA)), "P10–P90"));
        }
        let (la, lb) = (
            crate::decision::fmt_value(self.lines[0]),
            crate::decision::fmt_value(self.lines[1]),
        );
        items.push(item(
            Sw::Dash(GREY.to_rgba()),
            format!("Reasonable range: {la}–{lb} months"),
        ));
        let pa = page(root, &title, &self.footer, &items)?;
        let (ya, yb) = (lo.min(0.0), hi);
        let (xa, xb) = (x0 as f64 - 0.3, x1 as f64 + 0.3);
        let mut c = build(&pa, (xa, xb), (ya, yb), 84)?;
        let width = c.plotting_area().get_pixel_range().0.len() as i32;
        let height = c.plotting_area().get_pixel_range().1.len() as i32;
        let dec = decimals(ya, yb);
        c.configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(INK.mix(0.10))
            .axis_style(GREY)
            .disable_x_mesh()
            .x_labels(year_labels((x0, x1), width))
            .y_labels((height / 40).clamp(3, 10) as usize)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| num(*y, dec))
            .label_style(panels_font(size::TICK))
            .draw()?;
        axis_titles(&c, &pa, "Year", Some("Months of reserve"), 84)?;
        let series = |b: &Bands, k: usize| -> Vec<(f64, f64)> {
            years
                .iter()
                .zip(&b.months[f])
                .map(|(y, t)| (*y as f64, [t.0, t.1, t.2][k]))
                .collect()
        };
        // Bands first, each option in its own translucent colour, then their edges, the
        // reference lines and finally the medians on top of everything.
        for (i, b) in self.bands.iter().enumerate() {
            let col = option_colour(i);
            let mut band = series(b, 2);
            band.extend(series(b, 0).into_iter().rev());
            c.draw_series(std::iter::once(Polygon::new(
                band,
                col.mix(BAND_ALPHA).filled(),
            )))?;
        }
        for (i, b) in self.bands.iter().enumerate() {
            let col = option_colour(i);
            for k in [0, 2] {
                c.draw_series(LineSeries::new(series(b, k), col.mix(0.7).stroke_width(1)))?;
            }
        }
        for l in self.lines {
            c.draw_series(DashedLineSeries::new(
                vec![(xa, l), (xb, l)],
                8,
                6,
                GREY.stroke_width(2),
            ))?;
        }
        // Earlier options drawn wider, so that medians which coincide show as nested stripes.
        let n = self.bands.len() as u32;
        for (i, b) in self.bands.iter().enumerate() {
            let col = option_colour(i);
            let w = 3 + 2 * (n - 1 - i as u32).min(3);
            c.draw_series(LineSeries::new(series(b, 1), col.stroke_width(w)))?;
        }
        Ok(())
    }
}

fn panels_font(sz: f64) -> TextStyle<'static> {
    super::panels::font(sz)
}

/// Write the compare overlay charts `compare_months_<fund>.png/.svg` (MODEL.md §11).
/// `lines` are the reasonable range's months lines drawn as references.
pub fn compare_overlay(
    bands: &[Bands],
    lines: [f64; 2],
    footer: &str,
    dir: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    let mut out = Vec::new();
    for f in 0..3 {
        let o = Overlay {
            bands,
            fund: f,
            lines,
            footer: footer.to_string(),
        };
        out.extend(write_pair(
            &o,
            dir,
            &format!("compare_months_{}", crate::decision::FUNDS[f]),
            (1400, 860),
        )?);
    }
    Ok(out)
}

struct SweepLine<'a> {
    grid: &'a Grid,
    footer: String,
}

impl Drawing for SweepLine<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let g = self.grid;
        let xs = &g.axes[0].values;
        let (xa, xb) = (xs[0], *xs.last().unwrap_or(&xs[0]));
        let (xa, xb) = if xb > xa {
            let pad = 0.03 * (xb - xa);
            (xa - pad, xb + pad)
        } else {
            (xa - 0.5, xa + 0.5)
        };
        let se = |e: &crate::decision::Estimate| if e.se.is_finite() { 2.0 * e.se } else { 0.0 };
        let (lo, hi) = extent(
            g.values
                .iter()
                .flat_map(|e| [e.value - se(e), e.value + se(e)]),
        );
        let col = OPTION_COLOURS[0];
        let items = [
            item(Sw::Line(col.to_rgba()), "Estimate"),
            item(Sw::Fill(col.mix(0.2)), "±2 Monte Carlo SE"),
        ];
        let pa = page(root, &g.measure, &self.footer, &items)?;
        let mut c = build(&pa, (xa, xb), (lo, hi), 96)?;
        let height = c.plotting_area().get_pixel_range().1.len() as i32;
        let dec = value_decimals(lo, hi);
        c.configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(INK.mix(0.10))
            .axis_style(GREY)
            .x_labels(xs.len().clamp(2, 12))
            .y_labels((height / 40).clamp(3, 10) as usize)
            .x_label_formatter(&|x| crate::decision::fmt_value(*x))
            .y_label_formatter(&|y| num(*y, dec))
            .label_style(panels_font(size::TICK))
            .draw()?;
        axis_titles(&c, &pa, &g.axes[0].key, Some("Value"), 96)?;
        let band: Vec<(f64, f64)> = xs
            .iter()
            .zip(&g.values)
            .map(|(x, e)| (*x, e.value + se(e)))
            .chain(
                xs.iter()
                    .zip(&g.values)
                    .rev()
                    .map(|(x, e)| (*x, e.value - se(e))),
            )
            .collect();
        c.draw_series(std::iter::once(Polygon::new(band, col.mix(0.2).filled())))?;
        let pts: Vec<(f64, f64)> = xs
            .iter()
            .zip(&g.values)
            .map(|(x, e)| (*x, e.value))
            .collect();
        c.draw_series(LineSeries::new(pts.clone(), col.stroke_width(3)))?;
        c.draw_series(pts.into_iter().map(|p| Circle::new(p, 4, col.filled())))?;
        Ok(())
    }
}

/// Sequential colour for t in [0, 1]: white-ish to dark blue.
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

struct Heatmap<'a> {
    grid: &'a Grid,
    footer: String,
}

impl Drawing for Heatmap<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let g = self.grid;
        let (n1, n2) = (g.axes[0].values.len(), g.axes[1].values.len());
        let (vlo, vhi) = {
            let v: Vec<f64> = g
                .values
                .iter()
                .map(|e| e.value)
                .filter(|v| v.is_finite())
                .collect();
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() && hi > lo {
                (lo, hi)
            } else {
                (lo, lo + 1.0)
            }
        };
        let items = [
            item(Sw::Fill(seq(0.0).to_rgba()), format!("{vlo:.3} (lowest)")),
            item(
                Sw::Fill(seq(0.5).to_rgba()),
                format!("{:.3}", (vlo + vhi) / 2.0),
            ),
            item(Sw::Fill(seq(1.0).to_rgba()), format!("{vhi:.3} (highest)")),
        ];
        let pa = page(root, &g.measure, &self.footer, &items)?;
        // Room for the widest row label left of the cells.
        let tick = anchored(size::TICK, HPos::Right, VPos::Center);
        let mut wmax = 0;
        for v in &g.axes[0].values {
            wmax = wmax.max(text_w(&pa, &crate::decision::fmt_value(*v), &tick)?);
        }
        let left = (wmax + 48).max(84);
        let mut c = build(&pa, (0.0, n2 as f64), (0.0, n1 as f64), left as u32)?;
        c.configure_mesh()
            .disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .axis_style(GREY)
            .draw()?;
        for i in 0..n1 {
            for k in 0..n2 {
                let v = g.at(i, k).value;
                let t = (v - vlo) / (vhi - vlo);
                c.draw_series(std::iter::once(Rectangle::new(
                    [(k as f64, i as f64), (k as f64 + 1.0, i as f64 + 1.0)],
                    seq(t).filled(),
                )))?;
            }
        }
        // Cell values, and the parameter values centred on their rows and columns.
        if n1 * n2 <= 400 {
            for i in 0..n1 {
                for k in 0..n2 {
                    let v = g.at(i, k).value;
                    let t = (v - vlo) / (vhi - vlo);
                    let ink = if t > 0.55 { WHITE } else { INK };
                    let st = anchored(size::NOTE, HPos::Center, VPos::Center).color(&ink);
                    let at = px(&c, &pa, (k as f64 + 0.5, i as f64 + 0.5));
                    text(&pa, &format!("{v:.2}"), at, &st)?;
                }
            }
        }
        let (l, _, _, b) = plot_rect(&c, &pa);
        let xs = anchored(size::TICK, HPos::Center, VPos::Top);
        for k in (0..n2).step_by(n2.div_ceil(12).max(1)) {
            let (x, _) = px(&c, &pa, (k as f64 + 0.5, 0.0));
            let s = crate::decision::fmt_value(g.axes[1].values[k]);
            text(&pa, &s, (x, b + 6), &xs)?;
        }
        for i in (0..n1).step_by(n1.div_ceil(12).max(1)) {
            let (_, y) = px(&c, &pa, (0.0, i as f64 + 0.5));
            let s = crate::decision::fmt_value(g.axes[0].values[i]);
            text(&pa, &s, (l - 8, y), &tick)?;
        }
        axis_titles(&c, &pa, &g.axes[1].key, Some(&g.axes[0].key), left)?;
        Ok(())
    }
}

/// Write the sweep chart `sweep.png/.svg`: a line with a ±2 SE band for one axis, a heatmap
/// for two (MODEL.md §11).
pub fn sweep_chart(grid: &Grid, footer: &str, dir: &Path) -> Result<Vec<PathBuf>, ChartError> {
    if grid.axes.len() == 1 {
        write_pair(
            &SweepLine {
                grid,
                footer: footer.into(),
            },
            dir,
            "sweep",
            (1400, 860),
        )
    } else {
        write_pair(
            &Heatmap {
                grid,
                footer: footer.into(),
            },
            dir,
            "sweep",
            (1400, 1000),
        )
    }
}

struct TornadoChart<'a> {
    t: &'a Tornado,
    fund: usize,
    footer: String,
}

impl Drawing for TornadoChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let f = self.fund;
        let t = self.t;
        let effects = t.sorted(f);
        let n = effects.len();
        let base = t.base.months[f];
        let (lo, hi) = extent(
            effects
                .iter()
                .flat_map(|e| [e.down.months[f] - base, e.up.months[f] - base])
                .chain([0.0]),
        );
        let names: Vec<String> = effects
            .iter()
            .map(|e| format!("{} {}", e.driver.name, e.driver.step_text()))
            .collect();
        let title = format!(
            "Change in median months at {} (base {:.1}) — {}",
            t.horizon,
            base,
            super::fund_label(crate::decision::FUNDS[f], super::Lang::En)
        );
        let items = [
            item(Sw::Fill(DOWN.mix(0.85)), "Parameter down"),
            item(Sw::Fill(UP.mix(0.85)), "Parameter up"),
            item(Sw::Line(INK.to_rgba()), format!("Base: {base:.1} months")),
        ];
        let pa = page(root, &title, &self.footer, &items)?;
        // Driver names left of the plot, centred on their bars.
        let st = anchored(size::TICK, HPos::Right, VPos::Center);
        let mut wmax = 0;
        for name in &names {
            wmax = wmax.max(text_w(&pa, name, &st)?);
        }
        let left = (wmax + 24).max(84);
        let mut c = build(&pa, (lo, hi), (0.0, n as f64), left as u32)?;
        let width = c.plotting_area().get_pixel_range().0.len() as i32;
        let dec = decimals(lo, hi);
        c.configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(INK.mix(0.10))
            .axis_style(GREY)
            .disable_y_mesh()
            .x_labels((width / 90).clamp(3, 12) as usize)
            .y_labels(0)
            .x_label_formatter(&|x| num(*x, dec))
            .label_style(panels_font(size::TICK))
            .draw()?;
        axis_titles(
            &c,
            &pa,
            &format!("Change in median months of reserve at {}", t.horizon),
            None,
            left,
        )?;
        for (r, e) in effects.iter().enumerate() {
            let y = (n - 1 - r) as f64;
            for (v, col) in [(e.down.months[f] - base, DOWN), (e.up.months[f] - base, UP)] {
                let (a, b) = if v < 0.0 { (v, 0.0) } else { (0.0, v) };
                c.draw_series(std::iter::once(Rectangle::new(
                    [(a, y + 0.2), (b, y + 0.8)],
                    col.mix(0.85).filled(),
                )))?;
            }
        }
        c.draw_series(LineSeries::new(
            vec![(0.0, 0.0), (0.0, n as f64)],
            INK.stroke_width(2),
        ))?;
        let (l, _, _, _) = plot_rect(&c, &pa);
        for (r, name) in names.iter().enumerate() {
            let (_, y) = px(&c, &pa, (lo, (n - 1 - r) as f64 + 0.5));
            text(&pa, name, (l - 10, y), &st)?;
        }
        Ok(())
    }
}

/// Write the tornado charts `tornado_<fund>.png/.svg` (MODEL.md §11).
pub fn tornado_chart(t: &Tornado, footer: &str, dir: &Path) -> Result<Vec<PathBuf>, ChartError> {
    let mut out = Vec::new();
    for f in 0..3 {
        let c = TornadoChart {
            t,
            fund: f,
            footer: footer.to_string(),
        };
        out.extend(write_pair(
            &c,
            dir,
            &format!("tornado_{}", crate::decision::FUNDS[f]),
            (1400, 860),
        )?);
    }
    Ok(out)
}
