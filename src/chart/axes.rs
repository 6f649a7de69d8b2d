//! A plot: a Cartesian area with axes drawn by us (ticks, labels and titles in the chart font
//! at print size), whose every series is recorded in a [`Scene`] for label placement and for
//! the no-label-on-data test.

use super::ChartError;
use super::layout::{self, Rect, Scene, around, spread};
use super::style::{self, GREY, INK, em, line_h, num, size, stroke};
use super::text::{Area, R, anchored, text, width};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, VPos};

pub(crate) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Room around the plot rectangle inside its area, in pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Margins {
    /// Tick labels and the y title.
    pub left: i32,
    /// Labels at the right edge (line labels, the tier scale).
    pub right: i32,
    /// The marker lane above the plot.
    pub top: i32,
    /// Tick labels and the x title.
    pub bottom: i32,
}

impl Margins {
    /// Margins for a plot with y tick labels up to `tick_w` pixels wide, a y title, year
    /// ticks below and an x title when `x_title`.
    pub fn standard(tick_w: i32, right: i32, top: i32, x_title: bool) -> Margins {
        let t = size::text();
        Margins {
            left: tick_w + line_h(t) + 24,
            right,
            top,
            bottom: line_h(t) + 16 + if x_title { line_h(t) + 4 } else { 0 },
        }
    }
}

/// A plot on `area`: the chart context, its rectangle (relative to `area`) and its scene.
pub(crate) struct Plot<'a, DB: DrawingBackend> {
    pub c: Chart<'a, DB>,
    pub area: &'a Area<DB>,
    pub rect: Rect,
    pub scene: Scene,
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl<DB: DrawingBackend> Drop for Plot<'_, DB> {
    fn drop(&mut self) {
        layout::finish(&self.scene);
    }
}

impl<'a, DB: DrawingBackend> Plot<'a, DB> {
    /// A plot of `x × y` on `area` with margins `m`.
    pub fn new(
        area: &'a Area<DB>,
        x: (f64, f64),
        y: (f64, f64),
        m: Margins,
    ) -> Result<Self, ChartError> {
        let c = ChartBuilder::on(area)
            .margin_left(0)
            .margin_right(m.right.max(0) as u32)
            .margin_top(m.top.max(0) as u32)
            .margin_bottom(0)
            .x_label_area_size(m.bottom.max(0) as u32)
            .y_label_area_size(m.left.max(0) as u32)
            .build_cartesian_2d(x.0..x.1, y.0..y.1)?;
        let (xr, yr) = c.plotting_area().get_pixel_range();
        let (bx, by) = area.get_base_pixel();
        let rect = Rect::new(xr.start - bx, yr.start - by, xr.end - bx, yr.end - by);
        Ok(Plot {
            c,
            area,
            rect,
            scene: Scene {
                plot: rect,
                offset: (bx, by),
                ..Scene::default()
            },
            x,
            y,
        })
    }

    /// Pixel of a data point, relative to the area.
    pub fn px(&self, p: (f64, f64)) -> (i32, i32) {
        let (x, y) = self.c.backend_coord(&p);
        let (bx, by) = self.area.get_base_pixel();
        (x - bx, y - by)
    }

    fn clamp(&self, pts: &[(f64, f64)]) -> Vec<(f64, f64)> {
        let (lo, hi) = (self.y.0.min(self.y.1), self.y.0.max(self.y.1));
        pts.iter()
            .filter(|p| p.1.is_finite())
            .map(|&(x, y)| (x, y.clamp(lo, hi)))
            .collect()
    }

    fn pxs(&self, pts: &[(f64, f64)]) -> Vec<(i32, i32)> {
        pts.iter().map(|p| self.px(*p)).collect()
    }

    /// A data series as a solid line (recorded).
    pub fn line(&mut self, pts: &[(f64, f64)], colour: RGBAColor, points: f64) -> R {
        let pts = self.clamp(pts);
        self.c.draw_series(LineSeries::new(
            pts.clone(),
            colour.stroke_width(stroke(points)),
        ))?;
        let l = self.pxs(&pts);
        self.scene.lines.push(l);
        Ok(())
    }

    /// A data series as a dashed line (recorded).
    pub fn dashed(&mut self, pts: &[(f64, f64)], colour: RGBAColor, points: f64) -> R {
        let pts = self.clamp(pts);
        let w = stroke(points);
        self.c.draw_series(DashedLineSeries::new(
            pts.clone(),
            w * 4,
            w * 3,
            colour.stroke_width(w),
        ))?;
        let l = self.pxs(&pts);
        self.scene.lines.push(l);
        Ok(())
    }

    /// The area between a lower and an upper series (years present in both; recorded).
    pub fn band(&mut self, lo: &[(f64, f64)], hi: &[(f64, f64)], fill: RGBAColor) -> R {
        let lower: Vec<(f64, f64)> = lo
            .iter()
            .filter(|p| hi.iter().any(|q| q.0 == p.0))
            .copied()
            .collect();
        let upper: Vec<(f64, f64)> = hi
            .iter()
            .filter(|p| lo.iter().any(|q| q.0 == p.0))
            .copied()
            .collect();
        let poly: Vec<(f64, f64)> = self.clamp(
            &lower
                .into_iter()
                .chain(upper.into_iter().rev())
                .collect::<Vec<_>>(),
        );
        if poly.len() < 3 {
            // A band of one year is a vertical line.
            if poly.len() == 2 {
                self.line(&poly, fill, 1.0)?;
            }
            return Ok(());
        }
        self.c
            .draw_series(std::iter::once(Polygon::new(poly.clone(), fill.filled())))?;
        let p = self.pxs(&poly);
        self.scene.bands.push(p);
        Ok(())
    }

    /// A filled rectangle of data (a bar; recorded).
    pub fn bar(&mut self, a: (f64, f64), b: (f64, f64), fill: RGBAColor) -> R {
        let pts = self.clamp(&[a, b]);
        self.c.draw_series(std::iter::once(Rectangle::new(
            [pts[0], pts[1]],
            fill.filled(),
        )))?;
        let (p, q) = (self.px(pts[0]), self.px(pts[1]));
        self.scene
            .bands
            .push(vec![(p.0, p.1), (q.0, p.1), (q.0, q.1), (p.0, q.1)]);
        Ok(())
    }

    /// A marker dot of radius `r` pixels (recorded as data): filled, or hollow (white inside).
    pub fn dot(&mut self, p: (f64, f64), r: i32, colour: RGBColor, hollow: bool) -> R {
        let c = self.px(p);
        let w = stroke(0.9) as i32;
        self.area.draw(&Circle::new(c, r + w, colour.filled()))?;
        if hollow {
            self.area.draw(&Circle::new(c, r - w, WHITE.filled()))?;
        }
        self.scene.bands.push(vec![
            (c.0 - r, c.1 - r),
            (c.0 + r, c.1 - r),
            (c.0 + r, c.1 + r),
            (c.0 - r, c.1 + r),
        ]);
        Ok(())
    }

    /// A horizontal reference line across the plot (a guide, not data).
    pub fn guide_h(&mut self, y: f64, colour: RGBAColor, points: f64, dashed: bool) -> R {
        if y < self.y.0.min(self.y.1) || y > self.y.0.max(self.y.1) {
            return Ok(());
        }
        let pts = vec![(self.x.0, y), (self.x.1, y)];
        self.guide(pts, colour, points, dashed)
    }

    /// A vertical reference line through the plot (a guide, not data).
    pub fn guide_v(&mut self, x: f64, colour: RGBAColor, points: f64, dashed: bool) -> R {
        let pts = vec![(x, self.y.0), (x, self.y.1)];
        self.guide(pts, colour, points, dashed)
    }

    /// A reference segment from `a` to `b` in data units (a guide, not data), e.g. a plan
    /// target over the plan's years.
    pub fn guide_span(
        &mut self,
        a: (f64, f64),
        b: (f64, f64),
        colour: RGBAColor,
        points: f64,
        dashed: bool,
    ) -> R {
        self.guide(vec![a, b], colour, points, dashed)
    }

    fn guide(&mut self, pts: Vec<(f64, f64)>, colour: RGBAColor, points: f64, dashed: bool) -> R {
        let w = stroke(points);
        if dashed {
            self.c.draw_series(DashedLineSeries::new(
                pts.clone(),
                w * 5,
                w * 4,
                colour.stroke_width(w),
            ))?;
        } else {
            self.c
                .draw_series(LineSeries::new(pts.clone(), colour.stroke_width(w)))?;
        }
        let l = self.pxs(&pts);
        self.scene.guides.push(l);
        Ok(())
    }

    /// Light horizontal grid lines at `ticks` (drawn first, not recorded) and the axis lines.
    pub fn grid(&mut self, ticks: &[f64]) -> R {
        let st = INK.mix(0.10).stroke_width(stroke(0.4));
        for &t in ticks {
            self.c
                .draw_series(LineSeries::new(vec![(self.x.0, t), (self.x.1, t)], st))?;
        }
        let r = self.rect;
        let ax = GREY.stroke_width(stroke(0.6));
        self.area.draw(&PathElement::new(
            vec![(r.x0, r.y0), (r.x0, r.y1), (r.x1, r.y1)],
            ax,
        ))?;
        Ok(())
    }

    /// Tick labels left of the plot at `ticks`, formatted by `fmt`.
    pub fn y_ticks(&mut self, ticks: &[f64], fmt: &dyn Fn(f64) -> String) -> R {
        let st = anchored(size::text(), HPos::Right, VPos::Center);
        let tick = GREY.stroke_width(stroke(0.6));
        for &t in ticks {
            let (_, y) = self.px((self.x.0, t));
            self.area.draw(&PathElement::new(
                vec![(self.rect.x0 - 10, y), (self.rect.x0, y)],
                tick,
            ))?;
            text(self.area, &fmt(t), (self.rect.x0 - 16, y), &st)?;
        }
        Ok(())
    }

    /// The y axis title, rotated, at the left edge of the margin.
    pub fn y_title(&mut self, s: &str, left: i32) -> R {
        let st =
            anchored(size::text(), HPos::Center, VPos::Center).transform(FontTransform::Rotate270);
        let x = self.rect.x0 - left + (em(size::text()) * 0.7) as i32;
        text(self.area, s, (x, (self.rect.y0 + self.rect.y1) / 2), &st)
    }

    /// Year ticks and labels below the plot: the first and last year always, every 1, 2, 5
    /// or 10 years between as the width allows.
    pub fn x_years(&mut self, years: (i32, i32)) -> R {
        let st = anchored(size::text(), HPos::Center, VPos::Top);
        let w_label = width("2035", &st) + 16;
        let (a, _) = self.px((years.0 as f64, 0.0));
        let (b, _) = self.px((years.1 as f64, 0.0));
        let per_year = (b - a) as f64 / (years.1 - years.0).max(1) as f64;
        let tick = GREY.stroke_width(stroke(0.6));
        for y in year_ticks(years, per_year, w_label) {
            let (x, _) = self.px((y as f64, 0.0));
            self.area.draw(&PathElement::new(
                vec![(x, self.rect.y1), (x, self.rect.y1 + 10)],
                tick,
            ))?;
            text(self.area, &y.to_string(), (x, self.rect.y1 + 14), &st)?;
        }
        Ok(())
    }

    /// The x axis title under the tick labels.
    pub fn x_title(&mut self, s: &str) -> R {
        let st = anchored(size::text(), HPos::Center, VPos::Top);
        let y = self.rect.y1 + 14 + line_h(size::text());
        text(self.area, s, ((self.rect.x0 + self.rect.x1) / 2, y), &st)
    }

    /// A label placed in free space beside `anchor` (pixels), with a leader line when it
    /// sits away from the point. `None` when no free place exists (say it elsewhere).
    pub fn label(
        &mut self,
        anchor: (i32, i32),
        s: &str,
        colour: RGBColor,
    ) -> Result<Option<Rect>, ChartError> {
        let st = anchored(size::text(), HPos::Left, VPos::Center).color(&colour);
        let (w, h) = (width(s, &st) + 12, line_h(size::text()));
        let pad = (em(size::text()) * 0.25) as i32;
        let Some(r) = self.scene.place(&around(anchor, w, h, h / 2), w, h, pad) else {
            return Ok(None);
        };
        // Leader from the point to the nearest point of the box, when not adjacent.
        let near = (anchor.0.clamp(r.x0, r.x1), anchor.1.clamp(r.y0, r.y1));
        let d2 = (near.0 - anchor.0).pow(2) + (near.1 - anchor.1).pow(2);
        if d2 > (h * h) / 2 {
            self.area.draw(&PathElement::new(
                vec![anchor, near],
                GREY.stroke_width(stroke(0.5)),
            ))?;
        }
        text(self.area, s, (r.x0 + 6, (r.y0 + r.y1) / 2), &st)?;
        Ok(Some(r))
    }

    /// Labels at the right edge of the plot for values `ys` (data units), spread so that
    /// they never overlap, each joined to its value by a short leader when moved. `x_off`:
    /// pixels right of the plot where the labels start. Returns the boxes.
    pub fn edge_labels(
        &mut self,
        items: &[(f64, String, RGBColor)],
        x_off: i32,
    ) -> Result<Vec<Rect>, ChartError> {
        let h = line_h(size::text());
        let want: Vec<i32> = items
            .iter()
            .map(|(v, _, _)| self.px((self.x.1, *v)).1)
            .collect();
        let pos = spread(&want, h, self.rect.y0, self.rect.y1 + h / 4);
        let mut boxes = Vec::new();
        let x = self.rect.x1 + x_off;
        for ((y_want, (_, s, col)), y) in want.iter().zip(items).zip(pos) {
            let st = anchored(size::text(), HPos::Left, VPos::Center).color(col);
            let lead = if (y - y_want).abs() > 2 { 14 } else { 0 };
            if lead > 0 {
                self.area.draw(&PathElement::new(
                    vec![(x - 4, *y_want), (x + lead - 2, y)],
                    GREY.stroke_width(stroke(0.5)),
                ))?;
            }
            text(self.area, s, (x + lead, y), &st)?;
            boxes.push(Rect::new(
                x + lead,
                y - h / 2,
                x + lead + width(s, &st),
                y + h / 2,
            ));
        }
        Ok(boxes)
    }
}

/// "Nice" tick values (1, 2, 2.5 or 5 × 10^k apart) covering `[lo, hi]`, at most `max_n`.
pub(crate) fn nice_ticks(lo: f64, hi: f64, max_n: usize) -> Vec<f64> {
    if hi <= lo || !lo.is_finite() || !hi.is_finite() {
        return vec![lo];
    }
    let raw = (hi - lo) / max_n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| (hi - lo) / s <= max_n as f64)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            if v.abs() < step * 1e-9 { 0.0 } else { v }
        })
        .collect()
}

/// Decimals needed to print ticks `ticks` exactly enough.
pub(crate) fn tick_decimals(ticks: &[f64]) -> usize {
    (0..=3)
        .find(|&d| {
            ticks.iter().all(|t| {
                (num(*t, d).replace('−', "-").parse::<f64>().unwrap_or(0.0) - t).abs() < 1e-9
            })
        })
        .unwrap_or(3)
}

/// Years to label on an axis from `years.0` to `years.1`, `per_year` pixels apart, labels
/// `label_w` wide: both ends, and every 1, 2, 5 or 10 years between (aligned on multiples of
/// the step) where they do not crowd the last year.
pub(crate) fn year_ticks(years: (i32, i32), per_year: f64, label_w: i32) -> Vec<i32> {
    let (a, b) = years;
    if b <= a {
        return vec![a];
    }
    let step = [1, 2, 5, 10, 20]
        .into_iter()
        .find(|s| *s as f64 * per_year >= label_w as f64 * 1.15)
        .unwrap_or(50);
    let mut v = vec![a];
    let mut y = (a / step + 1) * step;
    while y < b {
        if (y - v[v.len() - 1]) as f64 * per_year >= label_w as f64 * 1.15
            && (b - y) as f64 * per_year >= label_w as f64 * 1.15
        {
            v.push(y);
        }
        y += step;
    }
    v.push(b);
    v
}

/// The x range of a year axis: half a year beyond each end.
pub(crate) fn year_range(years: (i32, i32)) -> (f64, f64) {
    (years.0 as f64 - 0.5, years.1 as f64 + 0.5)
}

/// Width of the widest tick label.
pub(crate) fn ticks_width(ticks: &[f64], fmt: &dyn Fn(f64) -> String) -> i32 {
    let st = anchored(size::text(), HPos::Right, VPos::Center);
    ticks
        .iter()
        .map(|t| width(&fmt(*t), &st))
        .max()
        .unwrap_or(0)
}

/// y tick count that suits a plot `h` pixels high.
pub(crate) fn n_ticks(h: i32) -> usize {
    (h * 2 / (line_h(size::text()) * 3)).clamp(3, 8) as usize
}

/// Colour of reference text.
pub(crate) fn guide_colour() -> RGBAColor {
    style::alpha(INK, 0.75)
}
