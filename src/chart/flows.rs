//! The panels of the run charts that show money and growth (MODEL.md §7): spending growth
//! with the probability of breaching the growth line, income and spending with the
//! probability of a current-year deficit, and the balance fan. Probabilities are bars with
//! 95% whiskers and labels above them; for a single path a 是/否 (yes/no) strip says the
//! same without pretending to be a probability.

use super::axes::{Margins, Plot, guide_colour, year_range};
use super::data::{Fan, Pts, at, extent};
use super::frame::{Item, Sw, item, no_data, panel_frame};
use super::info::Observed;
use super::panels::{
    Marker, base_item, draw_fan, draw_markers, fan_items, framed_lane, lane_h, left_margin,
    markers, y_axis,
};
use super::style::{
    FLOW_BAND_ALPHA, GREY, INCOME, INK, SPEND, alpha, em, line_h, money, num, pct, size, stroke, tr,
};
use super::text::{Area, R, anchored, text, width};
use super::{Ctx, Lang};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Share of a two-part panel's height given to the upper plot.
const UPPER: f64 = 0.64;

/// What the lower strip of a growth or cash-flow panel shows.
enum Lower {
    /// Probabilities (%) per year with SEs (%), and a year to highlight.
    Probs(Pts, Pts, Option<i32>),
    /// Yes/no per year (a single path).
    Flags(Vec<(i32, bool)>),
}

/// Probability bars (0–100%) with ±1.96·se whiskers, labelled above the whiskers where the
/// labels fit (else the highlighted year, the last year and the highest bar).
fn prob_bars<DB: DrawingBackend>(
    p: &mut Plot<DB>,
    probs: &Pts,
    se: &Pts,
    highlight: Option<i32>,
) -> R {
    for &(y, v) in probs {
        let a = if Some(y as i32) == highlight {
            1.0
        } else {
            0.72
        };
        p.bar(
            (y - 0.32, 0.0),
            (y + 0.32, v.clamp(0.0, 100.0)),
            alpha(SPEND, a),
        )?;
    }
    let top_of = |y: f64, v: f64| -> f64 {
        let s = at(se, y as i32).unwrap_or(0.0);
        (v + 1.96 * s).min(100.0)
    };
    let w = stroke(0.6);
    for &(y, v) in probs {
        let s = at(se, y as i32).unwrap_or(0.0);
        let (a, b) = ((v - 1.96 * s).max(0.0), (v + 1.96 * s).min(100.0));
        if b - a > 0.8 {
            let st = INK.stroke_width(w);
            p.c.draw_series(LineSeries::new(vec![(y, a), (y, b)], st))?;
            p.c.draw_series(LineSeries::new(vec![(y - 0.12, b), (y + 0.12, b)], st))?;
        }
    }
    let st = anchored(size::text(), HPos::Center, VPos::Bottom);
    let per_year = p.px((1.0, 0.0)).0 - p.px((0.0, 0.0)).0;
    let all_fit = probs
        .iter()
        .all(|(_, v)| width(&pct(v / 100.0), &st) + 6 <= per_year);
    let mut chosen: Vec<f64> = if all_fit {
        probs.iter().map(|p| p.0).collect()
    } else {
        let mut c = Vec::new();
        if let Some(h) = highlight {
            c.push(h as f64);
        }
        if let Some(last) = probs.last() {
            c.push(last.0);
        }
        if let Some(max) = probs.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
            c.push(max.0);
        }
        c
    };
    chosen.sort_by(f64::total_cmp);
    chosen.dedup();
    let mut last_right = i32::MIN;
    for y in chosen {
        let Some(v) = at(probs, y as i32) else {
            continue;
        };
        let s = pct(v / 100.0);
        let (x, ty) = p.px((y, top_of(y, v)));
        let wl = width(&s, &st);
        if x - wl / 2 < last_right + 6 {
            continue;
        }
        text(p.area, &s, (x, ty - 4), &st)?;
        let lh = line_h(size::text());
        p.scene.labels.push(super::layout::Rect::new(
            x - wl / 2,
            ty - 4 - lh,
            x + wl / 2,
            ty - 4,
        ));
        last_right = x + wl / 2;
    }
    Ok(())
}

/// A row of 是/否 cells, one per year.
fn flags<DB: DrawingBackend>(p: &mut Plot<DB>, f: &[(i32, bool)], lang: Lang) -> R {
    let st = anchored(size::text(), HPos::Center, VPos::Center);
    for &(y, yes) in f {
        let (a, b) = ((y as f64 - 0.42, 0.15), (y as f64 + 0.42, 0.85));
        let col = if yes {
            alpha(SPEND, 1.0)
        } else {
            alpha(GREY, 0.12)
        };
        p.bar(a, b, col)?;
        let s = match (lang, yes) {
            (Lang::Zh, true) => "是",
            (Lang::Zh, false) => "否",
            (Lang::En, true) => "yes",
            (Lang::En, false) => "no",
        };
        let per_year = p.px((1.0, 0.0)).0 - p.px((0.0, 0.0)).0;
        if width(s, &st) + 4 <= per_year * 84 / 100 {
            let c = if yes { WHITE } else { INK };
            text(p.area, s, p.px((y as f64, 0.5)), &st.clone().color(&c))?;
        }
    }
    Ok(())
}

/// The lower strip of a two-part panel: probabilities or yes/no cells.
fn lower<DB: DrawingBackend>(
    area: &Area<DB>,
    years: (i32, i32),
    what: &Lower,
    y_title: &str,
    m: Margins,
    lang: Lang,
) -> R {
    match what {
        Lower::Probs(probs, se, hl) => {
            let ticks = [0.0, 50.0, 100.0];
            let mut p = Plot::new(area, year_range(years), (0.0, 118.0), m)?;
            p.grid(&ticks)?;
            p.y_ticks(&ticks, &|v| num(v, 0))?;
            // A long axis title does not fit a short strip: fall back to "probability (%)".
            let st = anchored(size::text(), HPos::Center, VPos::Center);
            let short = tr(lang, "概率（%）", "Prob. (%)");
            let fits = |s: &str| width(s, &st) + 8 <= p.rect.y1 - p.rect.y0;
            let t = if fits(y_title) { y_title } else { short };
            if fits(t) {
                p.y_title(t, m.left)?;
            }
            p.x_years(years)?;
            p.x_title(tr(lang, "年份", "Year"))?;
            prob_bars(&mut p, probs, se, *hl)
        }
        Lower::Flags(f) => {
            let mut p = Plot::new(area, year_range(years), (0.0, 1.0), m)?;
            p.x_years(years)?;
            p.x_title(tr(lang, "年份", "Year"))?;
            p.grid(&[])?;
            let st = anchored(size::text(), HPos::Right, VPos::Center);
            let (_, y) = p.px((p.x.0, 0.5));
            text(p.area, y_title, (p.rect.x0 - 12, y), &st)?;
            flags(&mut p, f, lang)
        }
    }
}

/// Split a panel body into upper and lower parts: the lower gets a share of the height, and
/// at least room for its year axis and two (yes/no cells) or three (bars) lines of text.
fn split<DB: DrawingBackend>(body: &Area<DB>, lower: &Lower) -> (Area<DB>, Area<DB>) {
    let (_, h) = body.dim_in_pixel();
    let lh = line_h(size::text());
    let axis = Margins::standard(0, 0, 10, true);
    let (share, lines) = match lower {
        Lower::Probs(..) => (1.0 - UPPER, 3.5),
        Lower::Flags(_) => (0.24, 1.8),
    };
    let need = axis.bottom + axis.top + (lines * lh as f64) as i32;
    let low = ((h as f64 * share) as i32).max(need).min(h as i32 / 2);
    body.split_vertically((h as i32 - low).max(0) as u32)
}

// ---------------------------------------------------------------- spending growth

/// Spending-growth fan with the growth line, over P(growth ≥ line) (MODEL.md §7–§8).
pub(crate) fn growth<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx, caption: Option<&str>) -> R {
    let lang = ctx.lang;
    let line = ctx.meta.growth_line * 100.0;
    let fan = Fan::of(ctx.fd, "spending_growth", 100.0);
    let years = ctx.facts.years;
    let binding = ctx.info.growth_target;
    let line_txt = num(line, 0);
    let mut items = fan_items(&fan, lang);
    items.push(item(
        Sw::Line(alpha(SPEND, 1.0), 1.0),
        match (lang, binding.is_some()) {
            (Lang::Zh, true) => format!("增长警戒线 {line_txt}%（规划约束性指标）"),
            (Lang::Zh, false) => format!("增长警戒线 {line_txt}%"),
            (Lang::En, true) => format!("Growth line {line_txt}% (plan's binding indicator)"),
            (Lang::En, false) => format!("Growth line {line_txt}%"),
        },
    ));
    let (lower_what, y_title) = if fan.is_mc() {
        let p = ctx.fd.series("growth_breach_prob", "mean", 100.0);
        let se = ctx.fd.series("growth_breach_prob", "se", 100.0);
        items.push(item(
            Sw::Fill(alpha(SPEND, 0.72)),
            match lang {
                Lang::Zh => format!("增长率超过 {line_txt}% 的概率"),
                Lang::En => format!("Probability of growth above {line_txt}%"),
            },
        ));
        (
            Lower::Probs(p, se, binding.map(|b| b.year)),
            tr(lang, "概率（%）", "Prob. (%)").to_string(),
        )
    } else {
        let f = fan
            .det
            .iter()
            .map(|(y, g)| (*y as i32, *g >= line))
            .collect();
        (
            Lower::Flags(f),
            match lang {
                Lang::Zh => format!("超过 {line_txt}%？"),
                Lang::En => format!("Above {line_txt}%?"),
            },
        )
    };
    let Some((dmin, dmax)) = extent(fan.values()) else {
        let body = panel_frame(area, caption, &items)?;
        return no_data(&body, lang);
    };
    let mut hi = dmax.max(line * 1.25);
    let mut lo = dmin.min(0.0);
    let span = hi - lo;
    hi += 0.05 * span;
    lo -= 0.05 * span;
    let ms = markers(ctx, years);
    let (_, ah) = area.dim_in_pixel();
    let (ticks, d) = y_axis(lo, hi, (ah as f64 * UPPER * 0.6) as i32);
    let fmt = move |v: f64| num(v, d);
    let st = anchored(size::text(), HPos::Left, VPos::Center);
    let left = left_margin(&ticks, &fmt).max(left_margin(&[0.0, 50.0, 100.0], &|v| num(v, 0)));
    // A yes/no strip's label sits left of it, clear of the upper plot's rotated axis title.
    let y_title_w = width(&y_title, &anchored(size::text(), HPos::Right, VPos::Center))
        + 24
        + line_h(size::text());
    let left = if matches!(lower_what, Lower::Flags(_)) {
        left.max(y_title_w)
    } else {
        left
    };
    let right = width(&format!("{line_txt}%"), &st) + 24;
    let m_top = Margins {
        left,
        right,
        top: lane_h(&ms),
        bottom: 12,
    };
    let (ln, body) = framed_lane(area, caption, items, &ms, &m_top, years, lang)?;
    let (up, down) = split(&body, &lower_what);
    let mut p = Plot::new(&up, year_range(years), (lo, hi), m_top)?;
    p.grid(&ticks)?;
    p.y_ticks(&ticks, &fmt)?;
    p.y_title(tr(lang, "支出增长率（%）", "Spending growth (%)"), left)?;
    p.guide_h(0.0, alpha(INK, 0.5), 0.5, false)?;
    draw_markers(&mut p, &ms, &ln)?;
    draw_fan(&mut p, &fan)?;
    p.guide_h(line, alpha(SPEND, 1.0), 1.0, false)?;
    let (_, y) = p.px((p.x.1, line));
    text(
        p.area,
        &format!("{line_txt}%"),
        (p.rect.x1 + 10, y),
        &st.clone().color(&SPEND),
    )?;
    drop(p);
    let m_low = Margins::standard(0, right, 10, true);
    let m_low = Margins { left, ..m_low };
    lower(&down, years, &lower_what, &y_title, m_low, lang)
}

// ---------------------------------------------------------------- cash flow and balance

/// Colour of a published figure's diamond: its series' colour.
fn observed_colour(o: &Observed) -> RGBColor {
    match o.metric {
        "income" => INCOME,
        "spending" => SPEND,
        _ => GREY,
    }
}

fn observed_items(obs: &[Observed], lang: Lang) -> Vec<Item> {
    let (scale, unit) = money(lang);
    obs.iter()
        .map(|o| {
            let what = match (o.metric, lang) {
                ("income", Lang::Zh) => "收入",
                ("spending", Lang::Zh) => "支出",
                (_, Lang::Zh) => "结余",
                ("income", Lang::En) => "income",
                ("spending", Lang::En) => "spending",
                (_, Lang::En) => "balance",
            };
            let v = num(o.value * scale, 1);
            let label = match lang {
                Lang::Zh => format!("{} 年{what}公布数：{v} {unit}", o.year),
                Lang::En => format!("{} published {what}: {v} {unit}", o.year),
            };
            item(Sw::Diamond(observed_colour(o)), label)
        })
        .collect()
}

/// A published figure as a diamond with its value beside it (placed in free space).
fn diamond<DB: DrawingBackend>(p: &mut Plot<DB>, o: &Observed, scale: f64, colour: RGBColor) -> R {
    let c = p.px((o.year as f64, o.value * scale));
    let r = (em(size::text()) * 0.34) as i32;
    let pts = vec![
        (c.0, c.1 - r),
        (c.0 + r, c.1),
        (c.0, c.1 + r),
        (c.0 - r, c.1),
    ];
    p.area.draw(&Polygon::new(pts.clone(), colour.filled()))?;
    p.area.draw(&PathElement::new(
        pts.iter().chain(pts.first()).copied().collect::<Vec<_>>(),
        INK.stroke_width(stroke(0.5)),
    ))?;
    p.scene.bands.push(pts);
    Ok(())
}

/// Income (contributions + other income + interest, MODEL.md §13) and spending, medians
/// with P5–P95 bands, over P(current-year deficit) (MODEL.md §7).
pub(crate) fn cashflow<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx, caption: Option<&str>) -> R {
    let lang = ctx.lang;
    let fd = ctx.fd;
    let (scale, unit) = money(lang);
    let years = ctx.facts.years;
    let mc = ctx.facts.mc;
    let central = if mc { "p50" } else { "value" };
    let inc = Fan::of(fd, "income", scale);
    let spd = Fan::of(fd, "spending", scale);
    let (inc_c, spd_c) = (
        fd.series("income", central, scale),
        fd.series("spending", central, scale),
    );
    let (lab_in, lab_sp) = match (lang, mc) {
        (Lang::Zh, true) => ("收入（中位数）", "支出（中位数）"),
        (Lang::Zh, false) => ("收入", "支出"),
        (Lang::En, true) => ("Income (median)", "Spending (median)"),
        (Lang::En, false) => ("Income", "Spending"),
    };
    let mut items = vec![
        item(Sw::Line(alpha(INCOME, 1.0), 1.5), lab_in),
        item(Sw::Line(alpha(SPEND, 1.0), 1.5), lab_sp),
    ];
    if mc {
        items.push(item(
            Sw::Fill(alpha(INCOME, FLOW_BAND_ALPHA)),
            tr(lang, "收入 5%–95%", "Income 5–95%"),
        ));
        items.push(item(
            Sw::Fill(alpha(SPEND, FLOW_BAND_ALPHA)),
            tr(lang, "支出 5%–95%", "Spending 5–95%"),
        ));
        items.push(item(
            Sw::Dash(alpha(INCOME, 1.0)),
            tr(lang, "收入（确定性路径）", "Income, central path"),
        ));
        items.push(item(
            Sw::Dash(alpha(SPEND, 1.0)),
            tr(lang, "支出（确定性路径）", "Spending, central path"),
        ));
    }
    let base_sp = spd_c.first().copied();
    if let Some(b) = base_sp {
        let v = format!("{} {unit}", num(b.1, 1));
        let mut it = base_item(ctx.info.spending_published, b.0 as i32, &v, SPEND, lang);
        it.label = format!("{}{}", tr(lang, "支出 ", "Spending "), it.label);
        items.push(it);
    }
    let obs = diamonds(ctx, &["income", "spending"]);
    items.extend(observed_items(&obs, lang));
    let pl = if mc {
        tr(lang, "当期收不抵支的概率", "P(current-year deficit)")
    } else {
        tr(lang, "当期是否收不抵支", "Deficit in the year?")
    };
    items.push(item(
        Sw::Fill(alpha(SPEND, if mc { 0.72 } else { 1.0 })),
        pl,
    ));
    let all: Vec<f64> = [
        &inc_c, &spd_c, &inc.p05, &inc.p95, &spd.p05, &spd.p95, &inc.det, &spd.det,
    ]
    .iter()
    .flat_map(|s| s.iter().map(|p| p.1))
    .chain(obs.iter().map(|o| o.value * scale))
    .collect();
    let Some((_, dmax)) = extent(all.iter().copied()) else {
        let body = panel_frame(area, caption, &items)?;
        return no_data(&body, lang);
    };
    let (lo, hi) = (0.0, dmax * 1.08);
    let ms = markers(ctx, years);
    let (_, ah) = area.dim_in_pixel();
    let (ticks, d) = y_axis(lo, hi, (ah as f64 * UPPER * 0.6) as i32);
    let fmt = move |v: f64| num(v, d);
    let y_title_flag = tr(lang, "收不抵支？", "Deficit?");
    let left = left_margin(&ticks, &fmt).max(left_margin(&[0.0, 50.0, 100.0], &|v| num(v, 0)));
    let left = if mc {
        left
    } else {
        left.max(
            width(
                y_title_flag,
                &anchored(size::text(), HPos::Right, VPos::Center),
            ) + 24
                + line_h(size::text()),
        )
    };
    let m_top = Margins {
        left,
        right: 24,
        top: lane_h(&ms),
        bottom: 12,
    };
    let lower_what = if mc {
        Lower::Probs(
            fd.series("deficit", "mean", 100.0),
            fd.series("deficit", "se", 100.0),
            None,
        )
    } else {
        Lower::Flags(
            fd.series("deficit", "value", 1.0)
                .iter()
                .map(|(y, v)| (*y as i32, *v > 0.5))
                .collect(),
        )
    };
    let (ln, body) = framed_lane(area, caption, items, &ms, &m_top, years, lang)?;
    let (up, down) = split(&body, &lower_what);
    let mut p = Plot::new(&up, year_range(years), (lo, hi), m_top)?;
    p.grid(&ticks)?;
    p.y_ticks(&ticks, &fmt)?;
    p.y_title(tr(lang, "金额（亿元）", "Billion yuan"), left)?;
    draw_markers(&mut p, &ms, &ln)?;
    if mc {
        p.band(&inc.p05, &inc.p95, alpha(INCOME, FLOW_BAND_ALPHA))?;
        p.band(&spd.p05, &spd.p95, alpha(SPEND, FLOW_BAND_ALPHA))?;
        p.dashed(&inc.det, alpha(INCOME, 1.0), 0.9)?;
        p.dashed(&spd.det, alpha(SPEND, 1.0), 0.9)?;
    }
    p.line(&inc_c, alpha(INCOME, 1.0), 1.5)?;
    p.line(&spd_c, alpha(SPEND, 1.0), 1.5)?;
    if let Some(b) = base_sp {
        p.dot(
            b,
            (em(size::text()) * 0.25) as i32,
            SPEND,
            !ctx.info.spending_published,
        )?;
    }
    for o in &obs {
        diamond(&mut p, o, scale, observed_colour(o))?;
    }
    drop(p);
    let y_title = if mc {
        tr(lang, "收不抵支概率（%）", "P(deficit) (%)")
    } else {
        y_title_flag
    };
    let m_low = Margins {
        left,
        ..Margins::standard(0, 24, 10, true)
    };
    lower(&down, years, &lower_what, y_title, m_low, lang)
}

/// Whether a published figure equals the series' value in its year (within 0.5%).
fn coincides(o: &Observed, s: &Pts, scale: f64) -> bool {
    at(s, o.year).is_some_and(|v| (v - o.value * scale).abs() <= 0.005 * (o.value * scale).abs())
}

/// The published figures of `metrics` drawn as diamonds: those the chart's central series
/// does not already show (a base-year value equal to a published figure is drawn as the
/// filled base-year dot instead).
pub(crate) fn diamonds(ctx: &Ctx, metrics: &[&str]) -> Vec<Observed> {
    let central = if ctx.facts.mc { "p50" } else { "value" };
    ctx.info
        .observed
        .iter()
        .filter(|o| metrics.contains(&o.metric))
        .filter(|o| !coincides(o, &ctx.fd.series(o.metric, central, 1.0), 1.0))
        .cloned()
        .collect()
}

/// Balance fan with the zero line (MODEL.md §7).
pub(crate) fn balance<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx, caption: Option<&str>) -> R {
    let lang = ctx.lang;
    let (scale, unit) = money(lang);
    let fan = Fan::of(ctx.fd, "balance", scale);
    let years = ctx.facts.years;
    let mut items = fan_items(&fan, lang);
    let published = ctx.info.balance_published;
    if let Some(b) = fan.base() {
        items.push(base_item(
            published,
            b.0 as i32,
            &format!("{} {unit}", num(b.1, 1)),
            INK,
            lang,
        ));
    }
    let obs = diamonds(ctx, &["balance"]);
    items.extend(observed_items(&obs, lang));
    let Some((dmin, dmax)) = extent(fan.values().chain(obs.iter().map(|o| o.value * scale))) else {
        let plot = panel_frame(area, caption, &items)?;
        return no_data(&plot, lang);
    };
    let mut lo = dmin.min(0.0);
    let mut hi = dmax.max(0.0);
    let span = (hi - lo).max(1e-9);
    hi += 0.06 * span;
    lo -= 0.04 * span;
    let ms: Vec<Marker> = markers(ctx, years);
    let (_, ah) = area.dim_in_pixel();
    let (ticks, d) = y_axis(lo, hi, ah as i32 / 2);
    let fmt = move |v: f64| num(v, d);
    let st = anchored(size::text(), HPos::Left, VPos::Center);
    let zero_label = tr(lang, "0 穿底线", "0: exhausted");
    let m = Margins {
        left: left_margin(&ticks, &fmt),
        right: width(zero_label, &st) + 24,
        top: lane_h(&ms),
        bottom: Margins::standard(0, 0, 0, true).bottom,
    };
    let (ln, plot) = framed_lane(area, caption, items, &ms, &m, years, lang)?;
    let mut p = Plot::new(&plot, year_range(years), (lo, hi), m)?;
    p.grid(&ticks)?;
    p.y_ticks(&ticks, &fmt)?;
    p.y_title(
        &match lang {
            Lang::Zh => format!("累计结余（{unit}）"),
            Lang::En => "Balance (billion yuan)".to_string(),
        },
        m.left,
    )?;
    p.x_years(years)?;
    p.x_title(tr(lang, "年份", "Year"))?;
    p.guide_h(0.0, guide_colour(), 0.9, false)?;
    let (_, y) = p.px((p.x.1, 0.0));
    text(p.area, zero_label, (p.rect.x1 + 10, y), &st)?;
    draw_markers(&mut p, &ms, &ln)?;
    draw_fan(&mut p, &fan)?;
    if let Some(b) = fan.base() {
        p.dot(b, (em(size::text()) * 0.25) as i32, INK, !published)?;
    }
    for o in &obs {
        diamond(&mut p, o, scale, observed_colour(o))?;
    }
    Ok(())
}
