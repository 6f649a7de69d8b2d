//! The panels of the run charts that show months of reserve, tiers and the probability of
//! depletion (MODEL.md §7–§8), and the helpers every time-series panel shares: fans, the
//! marker lane (reforms, the plan's end), the tier scale. A panel draws into any area, so
//! the dashboard reuses them. Annotations are placed by [`Plot::label`] in checked free
//! space or in the margins, never on data.

use super::axes::{
    Margins, Plot, guide_colour, n_ticks, nice_ticks, tick_decimals, ticks_width, year_range,
};
use super::data::{Fan, Pts, at, extent, tier_interval};
use super::frame::{Item, Sw, item, no_data, panel_frame, row};
use super::style::{
    self, DET, FAN_INNER, FAN_OUTER, GREY, INK, MEDIAN, alpha, em, line_h, months_text, num,
    on_dark, size, stroke, tier_colour, tier_initial, tier_label, tier_range, tr,
};
use super::text::{Area, R, anchored, text, width};
use super::{Ctx, Lang};
use crate::warning::Tier;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

// ---------------------------------------------------------------- shared pieces

/// Legend entries of a fan (bands and median only where Monte Carlo rows exist).
pub(crate) fn fan_items(fan: &Fan, lang: Lang) -> Vec<Item> {
    let mut v = Vec::new();
    if fan.is_mc() {
        v.push(item(
            Sw::Line(alpha(MEDIAN, 1.0), 1.5),
            tr(lang, "中位数", "Median"),
        ));
        v.push(item(
            Sw::Fill(alpha(FAN_INNER, 1.0)),
            tr(lang, "25%–75% 分位", "25–75% range"),
        ));
        v.push(item(
            Sw::Fill(alpha(FAN_OUTER, 1.0)),
            tr(lang, "5%–95% 分位", "5–95% range"),
        ));
        if !fan.det.is_empty() {
            v.push(item(
                Sw::Dash(alpha(DET, 1.0)),
                tr(lang, "确定性中心路径", "Central path"),
            ));
        }
    } else if !fan.det.is_empty() {
        v.push(item(
            Sw::Line(alpha(MEDIAN, 1.0), 1.5),
            tr(lang, "确定性中心路径", "Central path"),
        ));
    }
    v
}

/// Bands, median and the deterministic path (dashed when a median is drawn, else solid).
pub(crate) fn draw_fan<DB: DrawingBackend>(p: &mut Plot<DB>, fan: &Fan) -> R {
    if fan.is_mc() {
        p.band(&fan.p05, &fan.p95, alpha(FAN_OUTER, 1.0))?;
        p.band(&fan.p25, &fan.p75, alpha(FAN_INNER, 1.0))?;
        p.line(&fan.p50, alpha(MEDIAN, 1.0), 1.5)?;
        if !fan.det.is_empty() {
            p.dashed(&fan.det, alpha(DET, 1.0), 1.1)?;
        }
    } else {
        p.line(&fan.det, alpha(MEDIAN, 1.0), 1.5)?;
    }
    Ok(())
}

/// The base-year marker's legend entry: filled for a published figure, hollow for an
/// assumption, with the value.
pub(crate) fn base_item(
    published: bool,
    year: i32,
    value: &str,
    colour: RGBColor,
    lang: Lang,
) -> Item {
    let what = match (lang, published) {
        (Lang::Zh, true) => format!("{year} 年实际值（公布数）：{value}"),
        (Lang::Zh, false) => format!("{year} 年设定值（假设）：{value}"),
        (Lang::En, true) => format!("{year} actual (published): {value}"),
        (Lang::En, false) => format!("{year} value assumed: {value}"),
    };
    item(Sw::Dot(colour, !published), what)
}

/// Markers above a plot: the reform years (MODEL.md §6) and the plan's end year.
pub(crate) struct Marker {
    pub year: i32,
    pub label: String,
    pub plan: bool,
}

/// The markers of a fund within `years` (reforms after the base year, the plan's end).
pub(crate) fn markers(ctx: &Ctx, years: (i32, i32)) -> Vec<Marker> {
    let mut v: Vec<Marker> = ctx
        .info
        .reforms
        .iter()
        .filter(|(y, _)| *y > years.0 && *y <= years.1)
        .map(|(y, names)| Marker {
            year: *y,
            label: names.join(tr(ctx.lang, "、", ", ")),
            plan: false,
        })
        .collect();
    if let Some(y) = ctx.info.plan_end.filter(|y| *y > years.0 && *y <= years.1) {
        v.push(Marker {
            year: y,
            label: tr(ctx.lang, "规划期末", "Plan end").to_string(),
            plan: true,
        });
    }
    v.sort_by_key(|m| (m.year, m.plan));
    v
}

/// Height of the marker lane above a plot (0 without markers).
pub(crate) fn lane_h(ms: &[Marker]) -> i32 {
    if ms.is_empty() {
        12
    } else {
        line_h(size::text()) + 18
    }
}

/// Horizontal positions for labels of widths `w` that want to be centred at `want`, within
/// `[lo, hi]` and `gap` apart; `None` when they do not fit, or when a label would have to
/// move more than three em away from its year (it would seem to mark another).
fn spread_x(want: &[i32], w: &[i32], gap: i32, lo: i32, hi: i32) -> Option<Vec<i32>> {
    let n = want.len();
    let mut x0: Vec<i32> = (0..n).map(|i| want[i] - w[i] / 2).collect();
    for i in 0..n {
        let floor = if i == 0 {
            lo
        } else {
            x0[i - 1] + w[i - 1] + gap
        };
        x0[i] = x0[i].max(floor);
    }
    for i in (0..n).rev() {
        let ceil = if i == n - 1 { hi } else { x0[i + 1] - gap };
        x0[i] = x0[i].min(ceil - w[i]);
    }
    let near = (0..n).all(|i| {
        let far = (em(size::text()) * 3.0) as i32;
        x0[i] <= want[i] + far && x0[i] + w[i] >= want[i] - far
    });
    (n == 0 || (x0[0] >= lo && near)).then_some(x0)
}

/// Space between two labels in the marker lane.
fn lane_gap() -> i32 {
    (em(size::text()) * 1.5) as i32
}

/// The lane's labels: the markers' names where they fit above their years, else numbers
/// (reforms) explained by legend entries.
pub(crate) struct Lane {
    pub labels: Vec<String>,
    pub legend: Vec<Item>,
}

fn lane_bounds(area_w: i32, m: &Margins) -> (i32, i32) {
    (m.left - 20, area_w - 4)
}

/// Decide the lane's labels for a plot with margins `m` in an area `area_w` wide (the
/// plot's x positions follow from them), before the legend is drawn.
pub(crate) fn lane(
    ms: &[Marker],
    lang: Lang,
    area_w: i32,
    m: &Margins,
    years: (i32, i32),
    numbered: bool,
) -> Lane {
    let (x0, x1) = (m.left, area_w - m.right);
    let (a, b) = year_range(years);
    let want: Vec<i32> = ms
        .iter()
        .map(|mk| x0 + ((mk.year as f64 - a) / (b - a) * (x1 - x0) as f64).round() as i32)
        .collect();
    let (lo, hi) = lane_bounds(area_w, m);
    let st = anchored(size::text(), HPos::Left, VPos::Center);
    let widths = |ls: &[String]| ls.iter().map(|l| width(l, &st)).collect::<Vec<_>>();
    let full: Vec<String> = ms.iter().map(|mk| mk.label.clone()).collect();
    if !numbered && spread_x(&want, &widths(&full), lane_gap(), lo, hi).is_some() {
        return Lane {
            labels: full,
            legend: Vec::new(),
        };
    }
    let mut k = 0;
    let mut legend = Vec::new();
    let labels = ms
        .iter()
        .map(|mk| {
            if mk.plan {
                mk.label.clone()
            } else {
                k += 1;
                let tag = format!("{}{k}", tr(lang, "改革", "R"));
                let sep = tr(lang, "：", ": ");
                let yr = match lang {
                    Lang::Zh => format!("{} 年", mk.year),
                    Lang::En => mk.year.to_string(),
                };
                legend.push(item(Sw::None, format!("{tag}{sep}{yr} {}", mk.label)));
                tag
            }
        })
        .collect();
    Lane { labels, legend }
}

/// Decide the marker lane of a plot with margins `m` in `area` (see [`lane`]), add the
/// numbered markers' entries to the legend `items` and draw the panel's caption and legend;
/// returns the lane and the area left for the plot.
pub(crate) fn framed_lane<DB: DrawingBackend>(
    area: &Area<DB>,
    caption: Option<&str>,
    mut items: Vec<Item>,
    ms: &[Marker],
    m: &Margins,
    years: (i32, i32),
    lang: Lang,
) -> Result<(Lane, Area<DB>), super::ChartError> {
    let (aw, _) = area.dim_in_pixel();
    let ln = lane(ms, lang, aw as i32, m, years, caption.is_some());
    items.extend(
        ln.legend
            .iter()
            .map(|i| item(i.sw.clone(), i.label.clone())),
    );
    let plot = panel_frame(area, caption, &items)?;
    Ok((ln, plot))
}

/// Draw the markers: a dashed vertical guide at each year and its label (from [`lane`]) in
/// the lane above the plot, joined to its year by a tick.
pub(crate) fn draw_markers<DB: DrawingBackend>(p: &mut Plot<DB>, ms: &[Marker], lane: &Lane) -> R {
    if ms.is_empty() {
        return Ok(());
    }
    for m in ms {
        let col = if m.plan {
            alpha(INK, 0.7)
        } else {
            alpha(GREY, 0.8)
        };
        p.guide_v(m.year as f64, col, if m.plan { 0.9 } else { 0.6 }, true)?;
    }
    let st = anchored(size::text(), HPos::Left, VPos::Center);
    let want: Vec<i32> = ms.iter().map(|m| p.px((m.year as f64, 0.0)).0).collect();
    let lo = p.rect.x0 - 20;
    let hi = p.area.dim_in_pixel().0 as i32 - 4;
    let widths: Vec<i32> = lane.labels.iter().map(|l| width(l, &st)).collect();
    let Some(xs) = spread_x(&want, &widths, lane_gap(), lo, hi) else {
        return Ok(());
    };
    let lh = line_h(size::text());
    let y = p.rect.y0 - lh / 2 - 8;
    for (((m, l), x), (xw, lw)) in ms
        .iter()
        .zip(&lane.labels)
        .zip(&xs)
        .zip(want.iter().zip(&widths))
    {
        let col = if m.plan { INK } else { GREY };
        text(p.area, l, (*x, y), &st.clone().color(&col))?;
        let tx = (*xw).clamp(*x, *x + lw);
        p.area.draw(&PathElement::new(
            vec![(tx, y + lh / 2 - 4), (*xw, p.rect.y0)],
            GREY.stroke_width(stroke(0.5)),
        ))?;
        p.scene.labels.push(super::layout::Rect::new(
            *x,
            y - lh / 2,
            *x + lw,
            y + lh / 2,
        ));
    }
    Ok(())
}

/// Left margin for tick labels `fmt(ticks)` and a y title.
pub(crate) fn left_margin(ticks: &[f64], fmt: &dyn Fn(f64) -> String) -> i32 {
    Margins::standard(ticks_width(ticks, fmt), 0, 0, false).left
}

/// y ticks for `(lo, hi)` in a plot about `h` pixels high, their formatter, and the left
/// margin they need.
pub(crate) fn y_axis(lo: f64, hi: f64, h: i32) -> (Vec<f64>, usize) {
    let ticks = nice_ticks(lo, hi, n_ticks(h));
    let d = tick_decimals(&ticks);
    (ticks, d)
}

// ---------------------------------------------------------------- months of reserve

/// Width of the tier scale at the right edge of the months plot.
fn scale_w() -> i32 {
    (em(size::text()) * 0.6) as i32
}

/// Months-of-reserve fan with the tier scale at the right edge (MODEL.md §7–§8).
pub(crate) fn months<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx, caption: Option<&str>) -> R {
    let lang = ctx.lang;
    let l = ctx.meta.tiers.lines;
    let fan = Fan::of(ctx.fd, "months_reserve", 1.0);
    let years = ctx.facts.years;
    let ms = markers(ctx, years);
    let mut items = fan_items(&fan, lang);
    if let Some(b) = fan.base() {
        items.push(base_item(
            ctx.info.months_published(),
            b.0 as i32,
            &months_text(b.1, 1, lang),
            INK,
            lang,
        ));
    }
    if caption.is_none() {
        // Standalone chart: the tier scale's legend, with ranges, on rows of its own.
        items.push(row(
            Sw::None,
            tr(lang, "色标（个月）：", "Tier scale (months):"),
        ));
        for t in Tier::ALL {
            items.push(item(
                Sw::Fill(alpha(tier_colour(t), 1.0)),
                tier_range(t, l, lang),
            ));
        }
    }
    let (Some((dmin, dmax)), true) = (extent(fan.values()), years.1 > years.0) else {
        let plot = panel_frame(area, caption, &items)?;
        return no_data(&plot, lang);
    };
    let mut hi = dmax.max(l[3] * 1.1);
    let mut lo = dmin.min(0.0);
    let span = hi - lo;
    hi += 0.04 * span;
    lo -= 0.04 * span;
    lo = lo.max(-hi);
    let (_, ah) = area.dim_in_pixel();
    let (ticks, d) = y_axis(lo, hi, ah as i32 / 2);
    let fmt = move |v: f64| num(v, d);
    let st = anchored(size::text(), HPos::Left, VPos::Center);
    let label_w = [0.0, l[0], l[1], l[2], l[3]]
        .iter()
        .map(|v| width(&months_text(*v, 0, lang), &st))
        .max()
        .unwrap_or(0);
    let m = Margins {
        left: left_margin(&ticks, &fmt),
        right: scale_w() + 10 + 18 + label_w + 6,
        top: lane_h(&ms),
        bottom: Margins::standard(0, 0, 0, true).bottom,
    };
    let (ln, plot_area) = framed_lane(area, caption, items, &ms, &m, years, lang)?;
    let mut p = Plot::new(&plot_area, year_range(years), (lo, hi), m)?;
    p.grid(&ticks)?;
    p.y_ticks(&ticks, &fmt)?;
    p.y_title(tr(lang, "可支付月数（个月）", "Months of reserve"), m.left)?;
    p.x_years(years)?;
    p.x_title(tr(lang, "年份", "Year"))?;
    // Tier lines: 0 strong, 6 and 9 (the reasonable range) medium, 3 and 15 light.
    let lines = [0.0, l[0], l[1], l[2], l[3]];
    for (i, v) in lines.iter().enumerate() {
        let (c, w) = match i {
            0 => (alpha(INK, 0.8), 0.9),
            2 | 3 => (guide_colour(), 0.8),
            _ => (alpha(GREY, 0.45), 0.5),
        };
        p.guide_h(*v, c, w, i == 1 || i == 4)?;
    }
    draw_markers(&mut p, &ms, &ln)?;
    draw_fan(&mut p, &fan)?;
    if let Some(b) = fan.base() {
        p.dot(
            (b.0, b.1.clamp(lo, hi)),
            (em(size::text()) * 0.25) as i32,
            INK,
            !ctx.info.months_published(),
        )?;
    }
    tier_scale(&mut p, l, lo, hi)?;
    // Every tier line labelled where the labels fit near their lines, else 0, 6 and 9 only.
    let h = line_h(size::text());
    let fits = |vs: &[f64]| {
        let want: Vec<i32> = vs.iter().map(|v| p.px((p.x.1, *v)).1).collect();
        let pos = super::layout::spread(&want, h, p.rect.y0, p.rect.y1);
        want.iter().zip(&pos).all(|(a, b)| (a - b).abs() <= h / 3)
    };
    let inside: Vec<f64> = lines
        .iter()
        .copied()
        .filter(|v| *v > lo && *v < hi)
        .collect();
    let shown: Vec<f64> = if fits(&inside) {
        inside
    } else {
        inside
            .into_iter()
            .filter(|v| *v == 0.0 || *v == l[1] || *v == l[2])
            .collect()
    };
    let labels: Vec<(f64, String, RGBColor)> = shown
        .iter()
        .map(|v| (*v, months_text(*v, 0, lang), INK))
        .collect();
    let edge = p.edge_labels(&labels, scale_w() + 10)?;
    p.scene.labels.extend(edge);
    // The crossing the title states, marked where it happens.
    if let Some(y) = ctx.facts.zero_cross {
        let who = match (lang, fan.is_mc()) {
            (Lang::Zh, true) => format!("中位路径 {y} 年穿底"),
            (Lang::Zh, false) => format!("{y} 年穿底"),
            (Lang::En, true) => format!("median exhausted in {y}"),
            (Lang::En, false) => format!("exhausted in {y}"),
        };
        if let Some(v) = at(fan.central(), y) {
            let a = p.px((y as f64, v));
            p.label(a, &who, INK)?;
        }
    }
    Ok(())
}

/// The tier scale: a bar at the right edge of the plot coloured by tier over its months.
fn tier_scale<DB: DrawingBackend>(p: &mut Plot<DB>, l: [f64; 4], lo: f64, hi: f64) -> R {
    let x0 = p.rect.x1 + 6;
    let x1 = x0 + scale_w();
    for t in Tier::ALL {
        let (a, b) = tier_interval(t, l);
        let (a, b) = (a.max(lo), b.min(hi));
        if a >= b {
            continue;
        }
        let (_, ya) = p.px((p.x.1, a));
        let (_, yb) = p.px((p.x.1, b));
        p.area.draw(&Rectangle::new(
            [(x0, yb), (x1, ya)],
            tier_colour(t).filled(),
        ))?;
    }
    p.area.draw(&Rectangle::new(
        [(x0, p.rect.y0), (x1, p.rect.y1)],
        GREY.mix(0.7).stroke_width(stroke(0.4)),
    ))?;
    Ok(())
}

// ---------------------------------------------------------------- tiers

/// Stat of the warning level rows: the Monte Carlo quantile (`p10`) where the summary has
/// Monte Carlo rows, else `value` (the deterministic path's tier).
fn level_stat(ctx: &Ctx) -> String {
    let n = if ctx.facts.mc { 2 } else { 1 };
    crate::summary::level_stat(ctx.meta.warning_quantile, n)
}

/// The warning level per year (from the rows, or from the tier probabilities).
fn warning_levels(ctx: &Ctx, probs: &[(i32, [f64; 6])]) -> Vec<(i32, Tier)> {
    let given = ctx.fd.series("warning_level", &level_stat(ctx), 1.0);
    if !given.is_empty() {
        return given
            .iter()
            .filter_map(|(y, v)| Tier::from_index(v.round() as usize).map(|t| (*y as i32, t)))
            .collect();
    }
    let q = ctx.meta.warning_quantile;
    probs
        .iter()
        .filter_map(|(y, p)| {
            let mut cum = 0.0;
            for t in Tier::ALL {
                cum += p[t.index()];
                if cum >= q - 1e-12 {
                    return Some((*y, t));
                }
            }
            None
        })
        .collect()
}

fn tier_items(l: [f64; 4], lang: Lang) -> Vec<Item> {
    let mut v = vec![row(Sw::None, tr(lang, "档位（个月）：", "Tiers (months):"))];
    v.extend(Tier::ALL.iter().map(|t| {
        item(
            Sw::Fill(alpha(tier_colour(*t), 1.0)),
            tier_range(*t, l, lang),
        )
    }));
    v
}

/// Run-length segments of consecutive years with the same tier.
fn segments(levels: &[(i32, Tier)]) -> Vec<(i32, i32, Tier)> {
    let mut v: Vec<(i32, i32, Tier)> = Vec::new();
    for &(y, t) in levels {
        match v.last_mut() {
            Some(s) if s.2 == t && s.1 + 1 == y => s.1 = y,
            _ => v.push((y, y, t)),
        }
    }
    v
}

/// A strip of tier cells over the plot's years between pixel rows `y0..y1`, each run of
/// equal tiers labelled with the tier's name (or its initial where the name does not fit).
pub(crate) fn tier_strip<DB: DrawingBackend>(
    p: &mut Plot<DB>,
    levels: &[(i32, Tier)],
    y0: i32,
    y1: i32,
    lang: Lang,
) -> R {
    let half = |y: i32| {
        let a = p.px((y as f64 - 0.5, 0.0)).0;
        let b = p.px((y as f64 + 0.5, 0.0)).0;
        (a, b)
    };
    let st = anchored(size::text(), HPos::Center, VPos::Center);
    for (a, b, t) in segments(levels) {
        let (xa, _) = half(a);
        let (_, xb) = half(b);
        p.area.draw(&Rectangle::new(
            [(xa + 1, y0), (xb - 1, y1)],
            tier_colour(t).filled(),
        ))?;
        for y in a..b {
            let (_, xs) = half(y);
            p.area.draw(&PathElement::new(
                vec![(xs, y0), (xs, y1)],
                WHITE.mix(0.6).stroke_width(1),
            ))?;
        }
        let col = if on_dark(t) { WHITE } else { INK };
        let name = tier_label(t, lang);
        let s = if width(name, &st) + 8 <= xb - xa {
            name
        } else {
            tier_initial(t, lang)
        };
        if width(s, &st) + 4 <= xb - xa {
            text(
                p.area,
                s,
                ((xa + xb) / 2, (y0 + y1) / 2),
                &st.clone().color(&col),
            )?;
        }
    }
    Ok(())
}

/// Stacked tier probabilities with the warning-level strip (MODEL.md §8); for a single path,
/// the tier of each year as a stepped strip.
pub(crate) fn tiers<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx, caption: Option<&str>) -> R {
    if !ctx.facts.mc {
        return tier_steps(area, ctx, caption);
    }
    let lang = ctx.lang;
    let q = ctx.meta.warning_quantile;
    let mut items = vec![item(
        Sw::Dash(alpha(INK, 1.0)),
        match lang {
            Lang::Zh => format!("累计概率 {}%（预警等级取此线所在档位）", num(q * 100.0, 0)),
            Lang::En => format!(
                "Cumulative {}% (the warning level is the tier at this line)",
                num(q * 100.0, 0)
            ),
        },
    )];
    items.extend(tier_items(ctx.meta.tiers.lines, lang));
    let plot_area = panel_frame(area, caption, &items)?;
    let probs = ctx.fd.tier_probs();
    let years = ctx.facts.years;
    if probs.is_empty() || years.1 <= years.0 {
        return no_data(&plot_area, lang);
    }
    let ticks = [0.0, 20.0, 40.0, 60.0, 80.0, 100.0];
    let fmt = |v: f64| num(v, 0);
    let strip = line_h(size::text()) + 12;
    let st = anchored(size::text(), HPos::Right, VPos::Center);
    let lab = tr(lang, "预警等级", "Warning level");
    let m = Margins {
        left: left_margin(&ticks, &fmt).max(width(lab, &st) + 24),
        right: width("100%", &st) + 24,
        top: strip + 16,
        bottom: Margins::standard(0, 0, 0, true).bottom,
    };
    let mut p = Plot::new(&plot_area, year_range(years), (0.0, 100.0), m)?;
    p.grid(&ticks)?;
    p.y_ticks(&ticks, &fmt)?;
    p.y_title(tr(lang, "概率（%）", "Probability (%)"), m.left)?;
    p.x_years(years)?;
    p.x_title(tr(lang, "年份", "Year"))?;
    let mut cum = vec![0.0; probs.len()];
    for t in Tier::ALL {
        let k = t.index();
        if probs.iter().all(|(_, p)| p[k] <= 0.0) {
            continue;
        }
        let lower: Pts = probs
            .iter()
            .zip(&cum)
            .map(|((y, _), c0)| (*y as f64, c0 * 100.0))
            .collect();
        for (c0, (_, pr)) in cum.iter_mut().zip(&probs) {
            *c0 = (*c0 + pr[k]).min(1.0);
        }
        let upper: Pts = probs
            .iter()
            .zip(&cum)
            .map(|((y, _), c1)| (*y as f64, c1 * 100.0))
            .collect();
        p.band(&lower, &upper, alpha(tier_colour(t), 1.0))?;
    }
    let qy = q * 100.0;
    let w = stroke(1.0);
    p.c.draw_series(DashedLineSeries::new(
        vec![(p.x.0, qy), (p.x.1, qy)],
        w * 5,
        w * 4,
        INK.stroke_width(w),
    ))?;
    let (_, y) = p.px((p.x.1, qy));
    text(
        p.area,
        &format!("{}%", num(qy, 0)),
        (p.rect.x1 + 10, y),
        &anchored(size::text(), HPos::Left, VPos::Center),
    )?;
    let levels = warning_levels(ctx, &probs);
    let (y0, y1) = (p.rect.y0 - 10 - strip, p.rect.y0 - 10);
    tier_strip(&mut p, &levels, y0, y1, lang)?;
    text(p.area, lab, (p.rect.x0 - 12, (y0 + y1) / 2), &st)?;
    Ok(())
}

/// The tier of each year of a single path: one row per tier, the year's cell filled in its
/// tier's colour, joined by a step line.
fn tier_steps<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx, caption: Option<&str>) -> R {
    let lang = ctx.lang;
    let l = ctx.meta.tiers.lines;
    let items = vec![
        item(
            Sw::Fill(alpha(tier_colour(Tier::Reasonable), 1.0)),
            tr(lang, "确定性中心路径所处档位", "Tier of the central path"),
        ),
        item(
            Sw::None,
            tr(
                lang,
                "格内数字：可支付月数（个月）",
                "Numbers: months of reserve",
            ),
        ),
    ];
    let plot_area = panel_frame(area, caption, &items)?;
    let levels = warning_levels(ctx, &ctx.fd.tier_probs());
    let years = ctx.facts.years;
    if levels.is_empty() || years.1 <= years.0 {
        return no_data(&plot_area, lang);
    }
    let names: Vec<String> = Tier::ALL.iter().map(|t| tier_range(*t, l, lang)).collect();
    let st = anchored(size::text(), HPos::Right, VPos::Center);
    let wmax = names.iter().map(|n| width(n, &st)).max().unwrap_or(0);
    let m = Margins {
        left: wmax + 24,
        right: 24,
        top: 16,
        bottom: Margins::standard(0, 0, 0, true).bottom,
    };
    let mut p = Plot::new(&plot_area, year_range(years), (0.0, 6.0), m)?;
    p.x_years(years)?;
    p.x_title(tr(lang, "年份", "Year"))?;
    for t in Tier::ALL {
        let k = t.index() as f64;
        p.c.draw_series(std::iter::once(Rectangle::new(
            [(p.x.0, k + 0.04), (p.x.1, k + 0.96)],
            tier_colour(t).mix(0.14).filled(),
        )))?;
        let (_, y) = p.px((p.x.0, k + 0.5));
        text(p.area, &names[t.index()], (p.rect.x0 - 12, y), &st)?;
    }
    p.grid(&[])?;
    // The step line first: the cells cover it, so it shows only between them.
    let steps: Pts = levels
        .iter()
        .flat_map(|&(y, t)| {
            let k = t.index() as f64 + 0.5;
            [(y as f64 - 0.5, k), (y as f64 + 0.5, k)]
        })
        .collect();
    p.line(&steps, alpha(INK, 0.8), 0.8)?;
    let months = ctx.fd.series("months_reserve", "value", 1.0);
    let cell = anchored(size::text(), HPos::Center, VPos::Center);
    let (xa, _) = p.px((years.0 as f64, 0.0));
    let (xb, _) = p.px((years.0 as f64 + 1.0, 0.0));
    let room = (xb - xa) * 84 / 100 - 12;
    for &(y, t) in &levels {
        let k = t.index() as f64;
        p.bar(
            (y as f64 - 0.42, k + 0.12),
            (y as f64 + 0.42, k + 0.88),
            alpha(tier_colour(t), 1.0),
        )?;
        if let Some(v) = at(&months, y) {
            let s = [num(v, 1), num(v, 0)]
                .into_iter()
                .find(|s| width(s, &cell) <= room);
            if let Some(s) = s {
                let col = if on_dark(t) { WHITE } else { INK };
                text(
                    p.area,
                    &s,
                    p.px((y as f64, k + 0.5)),
                    &cell.clone().color(&col),
                )?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- depletion

/// P(balance below 0 by each year) with its 95% band, the 10% and 50% lines and the years
/// they are reached (MODEL.md §7; the US Trustees' cumulative depletion chart).
pub(crate) fn depletion<DB: DrawingBackend>(
    area: &Area<DB>,
    ctx: &Ctx,
    caption: Option<&str>,
) -> R {
    let lang = ctx.lang;
    let years = ctx.facts.years;
    let p_by = ctx.fd.series("depleted_by", "mean", 100.0);
    let se = ctx.fd.series("depleted_by", "se", 100.0);
    let items = vec![
        item(
            Sw::Line(alpha(style::SPEND, 1.0), 1.5),
            tr(lang, "截至当年穿底的概率", "P(exhausted by the year)"),
        ),
        item(
            Sw::Fill(alpha(style::SPEND, 0.2)),
            tr(lang, "95% 置信区间", "95% confidence"),
        ),
    ];
    let plot_area = panel_frame(area, caption, &items)?;
    if p_by.is_empty() || years.1 <= years.0 {
        return no_data(&plot_area, lang);
    }
    let hi_v = p_by.iter().map(|p| p.1).fold(0.0, f64::max);
    let hi = if hi_v > 60.0 {
        100.0
    } else {
        (hi_v * 1.25).clamp(60.0, 100.0)
    };
    let (_, ah) = plot_area.dim_in_pixel();
    let (ticks, d) = y_axis(0.0, hi, ah as i32);
    let fmt = move |v: f64| num(v, d);
    let st = anchored(size::text(), HPos::Left, VPos::Center);
    let m = Margins {
        left: left_margin(&ticks, &fmt),
        right: width("50%", &st) + 30,
        top: 16,
        bottom: Margins::standard(0, 0, 0, true).bottom,
    };
    let mut p = Plot::new(&plot_area, year_range(years), (0.0, hi), m)?;
    p.grid(&ticks)?;
    p.y_ticks(&ticks, &fmt)?;
    p.y_title(tr(lang, "穿底概率（%）", "Probability (%)"), m.left)?;
    p.x_years(years)?;
    p.x_title(tr(lang, "年份", "Year"))?;
    for v in [10.0, 50.0] {
        p.guide_h(v, guide_colour(), 0.7, true)?;
        if v < hi {
            let (_, y) = p.px((p.x.1, v));
            text(p.area, &format!("{}%", num(v, 0)), (p.rect.x1 + 10, y), &st)?;
        }
    }
    let band_lo: Pts = p_by
        .iter()
        .map(|(y, v)| (*y, (v - 1.96 * at(&se, *y as i32).unwrap_or(0.0)).max(0.0)))
        .collect();
    let band_hi: Pts = p_by
        .iter()
        .map(|(y, v)| {
            (
                *y,
                (v + 1.96 * at(&se, *y as i32).unwrap_or(0.0)).min(100.0),
            )
        })
        .collect();
    p.band(&band_lo, &band_hi, alpha(style::SPEND, 0.2))?;
    p.line(&p_by, alpha(style::SPEND, 1.0), 1.5)?;
    let r = (em(size::text()) * 0.18) as i32;
    for &(y, v) in &p_by {
        p.dot((y, v), r, style::SPEND, false)?;
    }
    for (cross, v) in [(ctx.facts.depleted_10, 10.0), (ctx.facts.depleted_50, 50.0)] {
        if let Some(y) = cross {
            let Some(pv) = at(&p_by, y) else { continue };
            let s = match lang {
                Lang::Zh => format!("{y} 年达到 {}%", num(v, 0)),
                Lang::En => format!("{}% in {y}", num(v, 0)),
            };
            let a = p.px((y as f64, pv));
            p.label(a, &s, INK)?;
        }
    }
    Ok(())
}
