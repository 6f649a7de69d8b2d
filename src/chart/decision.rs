//! Charts of the decision tools (MODEL.md §11): the compare overlay of median months with
//! P10–P90 bands per option, the sweep line chart and heatmap, and the sensitivity tornado.
//! Each is written as PNG and SVG with the embedded font, like the run charts. Option
//! colours are Paul Tol's "bright" scheme, outside the tier palette; the heatmap uses a
//! sequential blue scale; the tornado draws "down" in Tol red and "up" in Tol blue.

use super::style::size;
use super::{ChartError, font};
use crate::decision::compare::Bands;
use crate::decision::sensitivity::Tornado;
use crate::decision::sweep::Grid;
use crate::export::write_atomic;
use plotters::coord::Shift;
use plotters::prelude::*;
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

trait Drawing {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

fn font_of(px: f64) -> TextStyle<'static> {
    (super::font::FAMILY, px)
        .into_font()
        .color(&super::style::INK)
}

fn write_pair(
    d: &impl Drawing,
    dir: &Path,
    stem: &str,
    (w, h): (u32, u32),
) -> Result<Vec<PathBuf>, ChartError> {
    font::ensure_registered()?;
    let mut buf = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE)?;
        d.draw(&root)?;
        root.present()?;
    }
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &buf,
        w,
        h,
        image::ColorType::Rgb8,
    )
    .map_err(|e| ChartError::Png(e.to_string()))?;
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
        let (body, foot) = root.split_vertically(root.dim_in_pixel().1 - 36);
        foot.draw(&Text::new(
            self.footer.clone(),
            (16, 8),
            font_of(size::FOOT),
        ))?;
        let mut c = ChartBuilder::on(&body)
            .caption(
                format!(
                    "Median months of reserve with P10–P90 band — {}",
                    super::fund_label(crate::decision::FUNDS[f], super::Lang::En)
                ),
                font_of(size::TITLE),
            )
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(x0 as f64 - 0.3..x1 as f64 + 0.3, lo.min(0.0)..hi)?;
        c.configure_mesh()
            .x_desc("Year")
            .y_desc("Months of reserve")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .x_labels((x1 - x0 + 1) as usize)
            .label_style(font_of(size::TICK))
            .axis_desc_style(font_of(size::AXIS))
            .light_line_style(WHITE)
            .draw()?;
        for l in self.lines {
            c.draw_series(LineSeries::new(
                vec![(x0 as f64 - 0.3, l), (x1 as f64 + 0.3, l)],
                super::style::GREY.stroke_width(2),
            ))?;
        }
        for (i, b) in self.bands.iter().enumerate() {
            let col = OPTION_COLOURS[i % OPTION_COLOURS.len()];
            let band: Vec<(f64, f64)> = years
                .iter()
                .zip(&b.months[f])
                .map(|(y, t)| (*y as f64, t.2))
                .chain(
                    years
                        .iter()
                        .zip(&b.months[f])
                        .rev()
                        .map(|(y, t)| (*y as f64, t.0)),
                )
                .collect();
            c.draw_series(std::iter::once(Polygon::new(band, col.mix(0.15).filled())))?;
            for (k, sel) in [(0usize, 0.6), (2, 0.6)] {
                let pts: Vec<(f64, f64)> = years
                    .iter()
                    .zip(&b.months[f])
                    .map(|(y, t)| (*y as f64, if k == 0 { t.0 } else { t.2 }))
                    .collect();
                c.draw_series(LineSeries::new(pts, col.mix(sel).stroke_width(1)))?;
            }
            let med: Vec<(f64, f64)> = years
                .iter()
                .zip(&b.months[f])
                .map(|(y, t)| (*y as f64, t.1))
                .collect();
            c.draw_series(LineSeries::new(med, col.stroke_width(3)))?
                .label(b.label.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], col.stroke_width(3))
                });
        }
        c.configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(super::style::GREY)
            .label_font(font_of(size::LEGEND))
            .draw()?;
        Ok(())
    }
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
            (xa, xb)
        } else {
            (xa - 0.5, xa + 0.5)
        };
        let se = |e: &crate::decision::Estimate| if e.se.is_finite() { 2.0 * e.se } else { 0.0 };
        let (lo, hi) = extent(
            g.values
                .iter()
                .flat_map(|e| [e.value - se(e), e.value + se(e)]),
        );
        let (body, foot) = root.split_vertically(root.dim_in_pixel().1 - 36);
        foot.draw(&Text::new(
            self.footer.clone(),
            (16, 8),
            font_of(size::FOOT),
        ))?;
        let mut c = ChartBuilder::on(&body)
            .caption(g.measure.clone(), font_of(size::CAPTION))
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(90)
            .build_cartesian_2d(xa..xb, lo..hi)?;
        c.configure_mesh()
            .x_desc(g.axes[0].key.clone())
            .y_desc("value (band: ±2 Monte Carlo SE)")
            .label_style(font_of(size::TICK))
            .axis_desc_style(font_of(size::AXIS))
            .light_line_style(WHITE)
            .draw()?;
        let col = OPTION_COLOURS[0];
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
        let (body, foot) = root.split_vertically(root.dim_in_pixel().1 - 36);
        foot.draw(&Text::new(
            format!(
                "{}   colour: {vlo:.3} (light) … {vhi:.3} (dark)",
                self.footer
            ),
            (16, 8),
            font_of(size::FOOT),
        ))?;
        let mut c = ChartBuilder::on(&body)
            .caption(g.measure.clone(), font_of(size::CAPTION))
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..n2 as f64, 0.0..n1 as f64)?;
        let ax2 = g.axes[1].values.clone();
        let ax1 = g.axes[0].values.clone();
        c.configure_mesh()
            .disable_mesh()
            .x_desc(g.axes[1].key.clone())
            .y_desc(g.axes[0].key.clone())
            .x_labels(n2.min(12))
            .y_labels(n1.min(12))
            .x_label_formatter(&|x| {
                let i = x.floor() as usize;
                ax2.get(i)
                    .map(|v| crate::decision::fmt_value(*v))
                    .unwrap_or_default()
            })
            .y_label_formatter(&|y| {
                let i = y.floor() as usize;
                ax1.get(i)
                    .map(|v| crate::decision::fmt_value(*v))
                    .unwrap_or_default()
            })
            .label_style(font_of(size::TICK))
            .axis_desc_style(font_of(size::AXIS))
            .draw()?;
        for i in 0..n1 {
            for k in 0..n2 {
                let v = g.at(i, k).value;
                let t = (v - vlo) / (vhi - vlo);
                c.draw_series(std::iter::once(Rectangle::new(
                    [(k as f64, i as f64), (k as f64 + 1.0, i as f64 + 1.0)],
                    seq(t).filled(),
                )))?;
                if n1 * n2 <= 400 {
                    let ink = if t > 0.55 { WHITE } else { super::style::INK };
                    c.draw_series(std::iter::once(Text::new(
                        format!("{v:.2}"),
                        (k as f64 + 0.3, i as f64 + 0.6),
                        (super::font::FAMILY, size::NOTE).into_font().color(&ink),
                    )))?;
                }
            }
        }
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
        let (body, foot) = root.split_vertically(root.dim_in_pixel().1 - 36);
        foot.draw(&Text::new(
            self.footer.clone(),
            (16, 8),
            font_of(size::FOOT),
        ))?;
        let names: Vec<String> = effects
            .iter()
            .map(|e| format!("{} {}", e.driver.name, e.driver.step_text()))
            .collect();
        let mut c = ChartBuilder::on(&body)
            .caption(
                format!(
                    "Change in median months at {} (base {:.1}) — {}",
                    t.horizon,
                    base,
                    super::fund_label(crate::decision::FUNDS[f], super::Lang::En)
                ),
                font_of(size::CAPTION),
            )
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(300)
            .build_cartesian_2d(lo..hi, 0.0..n as f64)?;
        c.configure_mesh()
            .disable_y_mesh()
            .x_desc("Δ median months of reserve (red: parameter down, blue: up)")
            .y_labels(0)
            .label_style(font_of(size::TICK))
            .axis_desc_style(font_of(size::AXIS))
            .light_line_style(WHITE)
            .draw()?;
        let down = RGBColor(0xEE, 0x66, 0x77);
        let up = RGBColor(0x44, 0x77, 0xAA);
        for (r, e) in effects.iter().enumerate() {
            let y = (n - 1 - r) as f64;
            for (v, col) in [(e.down.months[f] - base, down), (e.up.months[f] - base, up)] {
                let (a, b) = if v < 0.0 { (v, 0.0) } else { (0.0, v) };
                c.draw_series(std::iter::once(Rectangle::new(
                    [(a, y + 0.2), (b, y + 0.8)],
                    col.mix(0.85).filled(),
                )))?;
            }
        }
        c.draw_series(LineSeries::new(
            vec![(0.0, 0.0), (0.0, n as f64)],
            super::style::INK.stroke_width(2),
        ))?;
        // Driver names left of the plot, centred on their bars (widest at the top).
        let st = font_of(size::TICK).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Right,
            plotters::style::text_anchor::VPos::Center,
        ));
        for (r, name) in names.iter().enumerate() {
            let (px, py) = c.backend_coord(&(lo, (n - 1 - r) as f64 + 0.5));
            body.draw(&Text::new(name.clone(), (px - 10, py), st.clone()))?;
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
