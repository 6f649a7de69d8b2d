//! The drawing: page frame (title, footnote) and the panels every chart is made of. A panel
//! draws into any area, so the dashboard reuses the single charts' panels.

use super::data::{Fan, Pts, extent};
use super::font::{self, FAMILY, VAnchor};
use super::style::{self, DET, GREY, INCOME, INK, SPEND, num, size, tier_colour, tr};
use super::{ChartError, ChartKind, Ctx, Lang};
use crate::warning::Tier;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(crate) type R = Result<(), ChartError>;
pub(crate) type Area<DB> = DrawingArea<DB, Shift>;
pub(crate) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

pub(crate) fn font(sz: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, sz).into_font()).color(&INK)
}

pub(crate) fn anchored(sz: f64, h: HPos, v: VPos) -> TextStyle<'static> {
    font(sz).pos(Pos::new(h, v))
}

pub(crate) fn text<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &str,
    at: (i32, i32),
    st: &TextStyle,
) -> R {
    if !font::raster() {
        area.draw(&Text::new(s.to_string(), at, st.clone()))?;
        return Ok(());
    }
    let h = match st.pos.h_pos {
        HPos::Left => 0.0,
        HPos::Center => 0.5,
        HPos::Right => 1.0,
    };
    let v = match st.pos.v_pos {
        VPos::Top => VAnchor::Top,
        VPos::Center => VAnchor::Center,
        VPos::Bottom => VAnchor::Bottom,
    };
    let rotate = matches!(st.font.get_transform(), FontTransform::Rotate270);
    let c = st.color;
    let (r, g, b) = c.rgb;
    for (x, y, cov) in font::raster_text(s, st.font.get_size(), h, v, rotate) {
        let col = RGBAColor(r, g, b, c.alpha * cov as f64);
        area.draw_pixel((at.0 + x, at.1 + y), &col)?;
    }
    Ok(())
}

pub(crate) fn text_w<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &str,
    st: &TextStyle,
) -> Result<i32, ChartError> {
    Ok(area.estimate_text_size(s, st)?.0 as i32)
}

/// Backend coordinate of a data point, relative to `area`.
pub(crate) fn px<DB: DrawingBackend>(c: &Chart<DB>, area: &Area<DB>, p: (f64, f64)) -> (i32, i32) {
    let (x, y) = c.backend_coord(&p);
    let (bx, by) = area.get_base_pixel();
    (x - bx, y - by)
}

/// Plot rectangle (left, top, right, bottom) relative to `area`.
pub(crate) fn plot_rect<DB: DrawingBackend>(
    c: &Chart<DB>,
    area: &Area<DB>,
) -> (i32, i32, i32, i32) {
    let (xr, yr) = c.plotting_area().get_pixel_range();
    let (bx, by) = area.get_base_pixel();
    (xr.start - bx, yr.start - by, xr.end - bx, yr.end - by)
}

// ---------------------------------------------------------------- page frame

fn chart_name(kind: ChartKind, lang: Lang) -> &'static str {
    match kind {
        ChartKind::Months => tr(lang, "累计结余可支付月数", "Months of reserve"),
        ChartKind::Tiers => tr(lang, "预警档位概率", "Probability of each reserve tier"),
        ChartKind::Growth => tr(lang, "基金支出增长率", "Spending growth"),
        ChartKind::Cashflow => tr(lang, "收支与累计结余", "Income, spending and balance"),
        ChartKind::Dashboard => tr(lang, "基金运行风险概览", "Fund risk dashboard"),
    }
}

/// Full title of a chart, e.g. `浙江省 职工医保统筹基金：累计结余可支付月数`.
pub(crate) fn title(ctx: &Ctx, kind: ChartKind) -> String {
    let fund = style::fund_label(ctx.fund, ctx.lang);
    let name = chart_name(kind, ctx.lang);
    match (ctx.lang, ctx.region.is_empty()) {
        (Lang::Zh, true) => format!("{fund}：{name}"),
        (Lang::Zh, false) => format!("{} {fund}：{name}", ctx.region),
        (Lang::En, true) => format!("{fund}: {name}"),
        (Lang::En, false) => format!("{} — {fund}: {name}", ctx.region),
    }
}

fn year_span(ctx: &Ctx) -> Option<(i32, i32)> {
    let ys = ctx.fd.years();
    Some((*ys.first()?, *ys.last()?))
}

fn subtitle(ctx: &Ctx, kind: ChartKind) -> String {
    let lang = ctx.lang;
    let span = year_span(ctx)
        .map(|(a, b)| match lang {
            Lang::Zh => format!("基年 {a} 年，预测至 {b} 年"),
            Lang::En => format!("base year {a}, projected to {b}"),
        })
        .unwrap_or_default();
    let mc = ctx.fd.has_mc("months_reserve") || ctx.fd.has_mc("balance");
    let run = match (lang, mc, ctx.meta.paths) {
        (Lang::Zh, true, Some(n)) => format!("蒙特卡洛模拟 {n} 条路径"),
        (Lang::Zh, true, None) => "蒙特卡洛模拟".to_string(),
        (Lang::Zh, false, _) => "仅确定性中心路径（无随机模拟）".to_string(),
        (Lang::En, true, Some(n)) => format!("Monte Carlo, {n} paths"),
        (Lang::En, true, None) => "Monte Carlo".to_string(),
        (Lang::En, false, _) => "Deterministic central path only (no simulation)".to_string(),
    };
    let q = num(ctx.meta.warning_quantile * 100.0, 0);
    let what = match (lang, kind, mc) {
        (_, _, false) => String::new(),
        (Lang::Zh, ChartKind::Tiers, _) => {
            format!("各档位概率逐年堆叠；预警等级 = 可支付月数 {q}% 分位数所在档位；")
        }
        (Lang::En, ChartKind::Tiers, _) => {
            format!(
                "stacked tier probabilities; warning level = tier of the {q}% quantile of months; "
            )
        }
        (Lang::Zh, _, _) => "阴影为 5%–95% 与 25%–75% 分位区间；".to_string(),
        (Lang::En, _, _) => "shading: 5–95% and 25–75% quantile ranges; ".to_string(),
    };
    match lang {
        Lang::Zh => format!("{run}；{what}{span}"),
        Lang::En => format!("{run}; {what}{span}"),
    }
}

fn footnote(ctx: &Ctx) -> String {
    let m = ctx.meta;
    let seed = m.seed.map(|s| s.to_string()).unwrap_or_else(|| "—".into());
    let paths = m.paths.map(|s| s.to_string()).unwrap_or_else(|| "—".into());
    let l = m.tiers.lines;
    let lines = format!(
        "{}/{}/{}/{}",
        num(l[0], 0),
        num(l[1], 0),
        num(l[2], 0),
        num(l[3], 0)
    );
    let g = num(m.growth_line * 100.0, 0);
    match ctx.lang {
        Lang::Zh => format!(
            "情景：{}　随机种子：{seed}　路径数：{paths}　版本：fundsim {}　日期：{}　\
             档位线：{lines} 个月　增长警戒线：{g}%　金额单位：亿元",
            ctx.scenario, m.version, m.date
        ),
        Lang::En => format!(
            "Scenario: {}   seed: {seed}   paths: {paths}   fundsim {}   date: {}   \
             tier lines: {lines} months   growth line: {g}%   money: 亿元 = 100 million yuan",
            ctx.scenario, m.version, m.date
        ),
    }
}

/// Draw title, subtitle and footnote; return the area left for the chart body.
pub(crate) fn frame<DB: DrawingBackend>(
    root: &Area<DB>,
    ctx: &Ctx,
    kind: ChartKind,
) -> Result<Area<DB>, ChartError> {
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    text(
        root,
        &title(ctx, kind),
        (24, 12),
        &anchored(size::TITLE, HPos::Left, VPos::Top),
    )?;
    let sub = anchored(size::NOTE, HPos::Left, VPos::Top).color(&GREY);
    text(root, &subtitle(ctx, kind), (24, 56), &sub)?;
    let foot = anchored(size::FOOT, HPos::Left, VPos::Bottom).color(&GREY);
    root.draw(&PathElement::new(
        vec![(16, h - 34), (w - 16, h - 34)],
        GREY.mix(0.4),
    ))?;
    text(root, &footnote(ctx), (24, h - 8), &foot)?;
    Ok(root.margin(88, 40, 8, 8))
}

// ---------------------------------------------------------------- legends

#[derive(Clone)]
pub(crate) enum Sw {
    Fill(RGBAColor),
    Line(RGBAColor),
    Dash(RGBAColor),
    Dot,
}

pub(crate) struct Item {
    sw: Sw,
    label: String,
    /// Start a new legend row with this item.
    brk: bool,
}

pub(crate) fn item(sw: Sw, label: impl Into<String>) -> Item {
    Item {
        sw,
        label: label.into(),
        brk: false,
    }
}

const SW_W: i32 = 30;
const ROW_H: i32 = 30;

/// Lay out legend items in rows that fit `width`; returns (row, x) per item and row count.
fn legend_layout<DB: DrawingBackend>(
    area: &Area<DB>,
    items: &[Item],
    width: i32,
) -> Result<(Vec<(i32, i32)>, i32), ChartError> {
    let st = font(size::LEGEND);
    let mut pos = Vec::with_capacity(items.len());
    let (mut row, mut x) = (0, 12);
    for it in items {
        let w = SW_W + 6 + text_w(area, &it.label, &st)? + 20;
        if (it.brk || x + w > width) && x > 12 {
            row += 1;
            x = 12;
        }
        pos.push((row, x));
        x += w;
    }
    Ok((pos, if items.is_empty() { 0 } else { row + 1 }))
}

fn draw_swatch<DB: DrawingBackend>(area: &Area<DB>, sw: &Sw, x: i32, yc: i32) -> R {
    match sw {
        Sw::Fill(c) => {
            area.draw(&Rectangle::new(
                [(x, yc - 8), (x + SW_W, yc + 8)],
                c.filled(),
            ))?;
            area.draw(&Rectangle::new(
                [(x, yc - 8), (x + SW_W, yc + 8)],
                GREY.mix(0.5),
            ))?;
        }
        Sw::Line(c) => {
            area.draw(&PathElement::new(
                vec![(x, yc), (x + SW_W, yc)],
                c.stroke_width(3),
            ))?;
        }
        Sw::Dash(c) => {
            for k in 0..3 {
                let a = x + k * 11;
                area.draw(&PathElement::new(
                    vec![(a, yc), (a + 7, yc)],
                    c.stroke_width(3),
                ))?;
            }
        }
        Sw::Dot => {
            area.draw(&Circle::new((x + SW_W / 2, yc), 7, WHITE.filled()))?;
            area.draw(&Circle::new((x + SW_W / 2, yc), 5, INK.filled()))?;
        }
    }
    Ok(())
}

/// Reserve room for an optional caption (top) and a legend (bottom) in `area`, draw both, and
/// return the area left for the plot.
pub(crate) fn panel_frame<DB: DrawingBackend>(
    area: &Area<DB>,
    caption: Option<&str>,
    items: &[Item],
) -> Result<Area<DB>, ChartError> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let top = match caption {
        Some(c) => {
            text(
                area,
                c,
                (12, 4),
                &anchored(size::CAPTION, HPos::Left, VPos::Top),
            )?;
            38
        }
        None => 0,
    };
    let (pos, rows) = legend_layout(area, items, w - 8)?;
    let legend_h = rows * ROW_H + if rows > 0 { 8 } else { 0 };
    let st = anchored(size::LEGEND, HPos::Left, VPos::Center);
    for (it, (row, x)) in items.iter().zip(pos) {
        let yc = h - legend_h + 4 + row * ROW_H + ROW_H / 2;
        draw_swatch(area, &it.sw, x, yc)?;
        text(area, &it.label, (x + SW_W + 6, yc), &st)?;
    }
    Ok(area.margin(top as u32, legend_h as u32, 0, 0))
}

fn no_data<DB: DrawingBackend>(area: &Area<DB>, lang: Lang) -> R {
    let (w, h) = area.dim_in_pixel();
    let st = anchored(size::CAPTION, HPos::Center, VPos::Center).color(&GREY);
    text(
        area,
        tr(lang, "无数据", "No data"),
        (w as i32 / 2, h as i32 / 2),
        &st,
    )
}

// ---------------------------------------------------------------- axes

/// Cartesian chart on `area` with room for tick labels and `right` pixels on the right.
fn build<'a, DB: DrawingBackend>(
    area: &'a Area<DB>,
    x: (f64, f64),
    y: (f64, f64),
    right: u32,
    top: u32,
    x_desc: bool,
) -> Result<Chart<'a, DB>, ChartError> {
    Ok(ChartBuilder::on(area)
        .margin_left(6)
        .margin_right(right)
        .margin_top(top)
        .margin_bottom(4)
        .x_label_area_size(if x_desc { 62 } else { 34 })
        .y_label_area_size(84)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)?)
}

struct Axes<'s> {
    y_desc: &'s str,
    x_desc: Option<&'s str>,
    y_decimals: usize,
    x_mesh: bool,
}

fn mesh<DB: DrawingBackend>(c: &mut Chart<DB>, area: &Area<DB>, years: (i32, i32), ax: Axes) -> R {
    let n_years = (years.1 - years.0 + 1).max(1);
    let width = c.plotting_area().get_pixel_range().0.len() as i32;
    let step = [1, 2, 5, 10, 20]
        .into_iter()
        .find(|s| (n_years + s - 1) / s * 62 <= width)
        .unwrap_or(50);
    let n_labels = ((n_years + step - 1) / step) as usize;
    let height = c.plotting_area().get_pixel_range().1.len() as i32;
    let n_y = (height / 32).clamp(3, 10) as usize;
    let dec = ax.y_decimals;
    let yfmt = move |v: &f64| num(*v, dec);
    let xfmt = |v: &f64| format!("{v:.0}");
    let mut m = c.configure_mesh();
    m.light_line_style(TRANSPARENT)
        .bold_line_style(INK.mix(0.10))
        .axis_style(GREY)
        .label_style(font(size::TICK))
        .axis_desc_style(font(size::AXIS))
        .x_labels(n_labels)
        .y_labels(n_y)
        .x_label_formatter(&xfmt)
        .y_label_formatter(&yfmt);
    if !ax.x_mesh {
        m.disable_x_mesh();
    }
    m.draw()?;
    // Axis descriptions drawn here (not by plotters) so that PNG text is laid out properly.
    let (l, t, r, b) = plot_rect(c, area);
    let ys = anchored(size::AXIS, HPos::Center, VPos::Center).transform(FontTransform::Rotate270);
    text(area, ax.y_desc, (l - 70, (t + b) / 2), &ys)?;
    if let Some(d) = ax.x_desc {
        text(
            area,
            d,
            ((l + r) / 2, b + 36),
            &anchored(size::AXIS, HPos::Center, VPos::Top),
        )?;
    }
    Ok(())
}

fn x_range(years: (i32, i32)) -> (f64, f64) {
    (years.0 as f64 - 0.5, years.1 as f64 + 0.5)
}

/// Decimals for tick labels of a value range.
pub(crate) fn decimals(lo: f64, hi: f64) -> usize {
    let span = (hi - lo).abs();
    if span >= 5.0 {
        0
    } else if span >= 0.5 {
        1
    } else {
        2
    }
}

fn clamp(p: &Pts, lo: f64, hi: f64) -> Pts {
    p.iter().map(|(x, y)| (*x, y.clamp(lo, hi))).collect()
}

/// Polygon between a lower and an upper series (years present in both).
fn band_poly(lo: &Pts, hi: &Pts) -> Vec<(f64, f64)> {
    let lower: Pts = lo
        .iter()
        .filter(|p| hi.iter().any(|q| q.0 == p.0))
        .copied()
        .collect();
    let upper: Pts = hi
        .iter()
        .filter(|p| lo.iter().any(|q| q.0 == p.0))
        .copied()
        .collect();
    lower.into_iter().chain(upper.into_iter().rev()).collect()
}

fn fan_items(fan: &Fan, lang: Lang, det_colour: RGBColor) -> Vec<Item> {
    let mut v = Vec::new();
    if fan.is_mc() {
        v.push(item(
            Sw::Fill(style::band_outer()),
            tr(lang, "5%–95% 分位", "5–95% range"),
        ));
        v.push(item(
            Sw::Fill(style::band_inner()),
            tr(lang, "25%–75% 分位", "25–75% range"),
        ));
        v.push(item(Sw::Line(INK.into()), tr(lang, "中位数", "Median")));
    }
    if !fan.det.is_empty() {
        v.push(item(
            Sw::Dash(det_colour.into()),
            tr(lang, "确定性路径", "Deterministic path"),
        ));
    }
    v
}

/// Bands, median and the dashed deterministic path, clamped to `[lo, hi]`.
fn draw_fan<DB: DrawingBackend>(c: &mut Chart<DB>, fan: &Fan, lo: f64, hi: f64) -> R {
    if fan.is_mc() {
        let outer = band_poly(&clamp(&fan.p05, lo, hi), &clamp(&fan.p95, lo, hi));
        c.draw_series(std::iter::once(Polygon::new(
            outer,
            style::band_outer().filled(),
        )))?;
        let inner = band_poly(&clamp(&fan.p25, lo, hi), &clamp(&fan.p75, lo, hi));
        c.draw_series(std::iter::once(Polygon::new(
            inner,
            style::band_inner().filled(),
        )))?;
        c.draw_series(LineSeries::new(
            clamp(&fan.p50, lo, hi),
            INK.stroke_width(3),
        ))?;
    }
    if !fan.det.is_empty() {
        c.draw_series(DashedLineSeries::new(
            clamp(&fan.det, lo, hi),
            10,
            6,
            DET.stroke_width(3),
        ))?;
    }
    Ok(())
}

/// Dot on the base-year value with a boxed label beside it.
fn base_marker<DB: DrawingBackend>(
    c: &mut Chart<DB>,
    area: &Area<DB>,
    p: (f64, f64),
    label: &str,
) -> R {
    c.draw_series(std::iter::once(Circle::new(p, 8, WHITE.filled())))?;
    c.draw_series(std::iter::once(Circle::new(p, 6, INK.filled())))?;
    let (x, y) = px(c, area, p);
    let st = anchored(size::NOTE, HPos::Left, VPos::Bottom);
    let w = text_w(area, label, &st)?;
    let (x0, y1) = (x + 10, y - 10);
    area.draw(&Rectangle::new(
        [(x0 - 4, y1 - 24), (x0 + w + 4, y1 + 2)],
        WHITE.mix(0.85).filled(),
    ))?;
    text(area, label, (x0, y1), &st)
}

fn base_label(lang: Lang, year: f64, value: &str, unit_zh: &str, unit_en: &str) -> String {
    match lang {
        Lang::Zh => format!("基年 {year:.0}：{value} {unit_zh}"),
        Lang::En => format!("Base {year:.0}: {value} {unit_en}"),
    }
}

// ---------------------------------------------------------------- months of reserve

fn tier_interval(t: Tier, l: [f64; 4]) -> (f64, f64) {
    match t {
        Tier::Depleted => (f64::NEG_INFINITY, 0.0),
        Tier::Insufficient => (0.0, l[0]),
        Tier::Low => (l[0], l[1]),
        Tier::Reasonable => (l[1], l[2]),
        Tier::High => (l[2], l[3]),
        Tier::Excess => (l[3], f64::INFINITY),
    }
}

fn tier_items(lang: Lang, alpha: f64) -> Vec<Item> {
    Tier::ALL
        .iter()
        .map(|t| {
            item(
                Sw::Fill(tier_colour(*t).mix(alpha)),
                style::tier_label(*t, lang),
            )
        })
        .collect()
}

fn months_unit(lang: Lang, v: f64) -> String {
    match lang {
        Lang::Zh => format!("{} 个月", num(v, 0)),
        Lang::En => format!("{} mo", num(v, 0)),
    }
}

/// Months-of-reserve fan over the tier background (MODEL.md §7–§8).
pub(crate) fn months<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx, caption: Option<&str>) -> R {
    let lang = ctx.lang;
    let fan = Fan::of(ctx.fd, "months_reserve", 1.0);
    let mut items = fan_items(&fan, lang, DET);
    items.push(item(Sw::Dot, tr(lang, "基年实际值", "Base year")));
    if caption.is_none() {
        // Standalone chart: tier colours on a row of their own (the dashboard shows them in
        // its tier panel).
        let mut tiers = tier_items(lang, style::TIER_BG_ALPHA + 0.1);
        let tier_title = tr(lang, "背景档位：", "Tier: ");
        tiers[0].label = format!("{tier_title}{}", tiers[0].label);
        tiers[0].brk = true;
        items.extend(tiers);
    }
    let plot = panel_frame(area, caption, &items)?;
    let (Some(years), Some((dmin, dmax))) = (year_span(ctx), extent(fan.values())) else {
        return no_data(&plot, lang);
    };
    let l = ctx.meta.tiers.lines;
    let mut hi = dmax.max(l[3] * 1.12);
    let mut lo = dmin.min(0.0);
    let span = hi - lo;
    hi += 0.04 * span;
    lo -= 0.05 * span;
    lo = lo.max(-hi);
    let xr = x_range(years);
    let mut c = build(&plot, xr, (lo, hi), 96, 10, true)?;
    mesh(
        &mut c,
        &plot,
        years,
        Axes {
            y_desc: tr(lang, "可支付月数（月）", "Months of reserve (months)"),
            x_desc: Some(tr(lang, "年份", "Year")),
            y_decimals: 0,
            x_mesh: true,
        },
    )?;
    for t in Tier::ALL {
        let (a, b) = tier_interval(t, l);
        let (a, b) = (a.max(lo), b.min(hi));
        if a < b {
            let st = tier_colour(t).mix(style::TIER_BG_ALPHA).filled();
            c.draw_series(std::iter::once(Rectangle::new([(xr.0, a), (xr.1, b)], st)))?;
        }
    }
    // Tier lines; 6 and 9 months (the reasonable range) stronger and always labelled.
    let (_, top, right, bottom) = plot_rect(&c, &plot);
    let mut labelled: Vec<i32> = Vec::new();
    let lab = anchored(size::TICK, HPos::Left, VPos::Center);
    for (i, v) in std::iter::once(0.0).chain(l).enumerate() {
        if v <= lo || v >= hi {
            continue;
        }
        let key = i == 2 || i == 3;
        let st = if key {
            INK.mix(0.75).stroke_width(2)
        } else {
            INK.mix(0.35).stroke_width(1)
        };
        c.draw_series(LineSeries::new(vec![(xr.0, v), (xr.1, v)], st))?;
        let (_, y) = px(&c, &plot, (xr.0, v));
        if (key || labelled.iter().all(|p| (p - y).abs() >= 22)) && y > top + 6 && y < bottom - 6 {
            let s = if i == 0 {
                "0".to_string()
            } else {
                months_unit(lang, v)
            };
            let st = if key {
                lab.clone()
            } else {
                lab.clone().color(&GREY)
            };
            text(&plot, &s, (right + 8, y), &st)?;
            labelled.push(y);
        }
    }
    draw_fan(&mut c, &fan, lo, hi)?;
    if let Some(b) = fan.base() {
        let label = base_label(lang, b.0, &num(b.1, 1), "个月", "months");
        base_marker(&mut c, &plot, (b.0, b.1.clamp(lo, hi)), &label)?;
    }
    Ok(())
}

// ---------------------------------------------------------------- tier probabilities

/// Stat of the warning level rows: the Monte Carlo quantile (`p10`) where the summary has
/// Monte Carlo rows, else `value` (the deterministic path's tier).
fn level_stat(ctx: &Ctx) -> String {
    let n = if ctx.fd.has_mc("months_reserve") {
        2
    } else {
        1
    };
    crate::summary::level_stat(ctx.meta.warning_quantile, n)
}

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

fn on_dark(t: Tier) -> bool {
    matches!(t, Tier::Depleted | Tier::Reasonable | Tier::Excess)
}

/// Stacked tier probabilities with the warning-level strip (MODEL.md §8).
pub(crate) fn tiers<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx, caption: Option<&str>) -> R {
    let lang = ctx.lang;
    let q = ctx.meta.warning_quantile;
    let mut items = tier_items(lang, 0.9);
    items.push(item(
        Sw::Dash(INK.into()),
        match lang {
            Lang::Zh => format!("预警分位 q = {}%", num(q * 100.0, 0)),
            Lang::En => format!("Warning quantile q = {}%", num(q * 100.0, 0)),
        },
    ));
    let plot = panel_frame(area, caption, &items)?;
    let probs = ctx.fd.tier_probs();
    let Some(years) = year_span(ctx).filter(|_| !probs.is_empty()) else {
        return no_data(&plot, lang);
    };
    let xr = x_range(years);
    let mut c = build(&plot, xr, (0.0, 100.0), 96, 44, true)?;
    mesh(
        &mut c,
        &plot,
        years,
        Axes {
            y_desc: tr(lang, "概率（%）", "Probability (%)"),
            x_desc: Some(tr(lang, "年份", "Year")),
            y_decimals: 0,
            x_mesh: false,
        },
    )?;
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
        for (c0, (_, p)) in cum.iter_mut().zip(&probs) {
            *c0 = (*c0 + p[k]).min(1.0);
        }
        let upper: Pts = probs
            .iter()
            .zip(&cum)
            .map(|((y, _), c1)| (*y as f64, c1 * 100.0))
            .collect();
        let poly: Vec<(f64, f64)> = lower.into_iter().chain(upper.into_iter().rev()).collect();
        c.draw_series(std::iter::once(Polygon::new(
            poly,
            tier_colour(t).mix(0.9).filled(),
        )))?;
    }
    let qy = q * 100.0;
    c.draw_series(DashedLineSeries::new(
        vec![(xr.0, qy), (xr.1, qy)],
        10,
        6,
        INK.stroke_width(2),
    ))?;
    let (left, top, right, _) = plot_rect(&c, &plot);
    let (_, y) = px(&c, &plot, (xr.0, qy));
    let st = anchored(size::TICK, HPos::Left, VPos::Center);
    text(&plot, &format!("q = {}%", num(qy, 0)), (right + 8, y), &st)?;
    // Warning-level strip above the plot: one cell per year in the tier colour.
    let levels = warning_levels(ctx, &probs);
    let half = ((px(&c, &plot, (1.0 + xr.0, 0.0)).0 - left) / 2 - 1).max(2);
    let cell = anchored(size::NOTE, HPos::Center, VPos::Center);
    for (y, t) in &levels {
        let (x, _) = px(&c, &plot, (*y as f64, 0.0));
        let r = [(x - half, top - 36), (x + half, top - 6)];
        plot.draw(&Rectangle::new(r, tier_colour(*t).filled()))?;
        let s = style::tier_short(*t, lang);
        if text_w(&plot, s, &cell)? <= 2 * half - 2 {
            let st = if on_dark(*t) {
                cell.clone().color(&WHITE)
            } else {
                cell.clone()
            };
            text(&plot, s, (x, top - 21), &st)?;
        }
    }
    if !levels.is_empty() {
        let st = anchored(size::NOTE, HPos::Right, VPos::Center);
        text(
            &plot,
            tr(lang, "预警等级", "Warning"),
            (left - 8, top - 21),
            &st,
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------- probability strips

/// Bars of a probability (0–100 %) per year with ±1.96·se whiskers.
fn prob_strip<DB: DrawingBackend>(
    area: &Area<DB>,
    years: (i32, i32),
    probs: &Pts,
    se: &Pts,
    y_desc: &str,
    lang: Lang,
) -> R {
    let xr = x_range(years);
    let mut c = build(area, xr, (0.0, 100.0), 96, 8, true)?;
    // A long axis title does not fit a short strip: fall back to "probability (%)".
    let plot_h = c.plotting_area().get_pixel_range().1.len() as i32;
    let y_desc = if text_w(area, y_desc, &font(size::AXIS))? + 8 > plot_h {
        tr(lang, "概率（%）", "Prob. (%)")
    } else {
        y_desc
    };
    mesh(
        &mut c,
        area,
        years,
        Axes {
            y_desc,
            x_desc: Some(tr(lang, "年份", "Year")),
            y_decimals: 0,
            x_mesh: false,
        },
    )?;
    c.draw_series(probs.iter().map(|(y, p)| {
        Rectangle::new(
            [(y - 0.32, 0.0), (y + 0.32, p.clamp(0.0, 100.0))],
            SPEND.mix(0.8).filled(),
        )
    }))?;
    for (y, s) in se {
        if let Some((_, p)) = probs.iter().find(|q| q.0 == *y) {
            let (a, b) = ((p - 1.96 * s).max(0.0), (p + 1.96 * s).min(100.0));
            if b - a > 0.5 {
                let st = INK.stroke_width(1);
                c.draw_series(LineSeries::new(vec![(*y, a), (*y, b)], st))?;
                c.draw_series(LineSeries::new(vec![(y - 0.12, b), (y + 0.12, b)], st))?;
            }
        }
    }
    // Value labels where bars are wide enough.
    let (left, top, _, _) = plot_rect(&c, area);
    let bar_w = (px(&c, area, (xr.0 + 1.0, 0.0)).0 - left) as f64 * 0.64;
    let st = anchored(size::NOTE - 2.0, HPos::Center, VPos::Bottom);
    if bar_w >= text_w(area, "100%", &st)? as f64 {
        for (y, p) in probs {
            let (x, py) = px(&c, area, (*y, p.clamp(0.0, 100.0)));
            let ty = (py - 3).max(top + 16);
            text(area, &format!("{}%", num(*p, 0)), (x, ty), &st)?;
        }
    }
    Ok(())
}

/// Probability series in %: the MC `mean` rows, else the deterministic 0/1 `value` rows.
fn prob_series(ctx: &Ctx, metric: &str) -> (Pts, Pts) {
    let p = ctx.fd.series(metric, "mean", 100.0);
    if !p.is_empty() {
        return (p, ctx.fd.series(metric, "se", 100.0));
    }
    (ctx.fd.series(metric, "value", 100.0), Vec::new())
}

// ---------------------------------------------------------------- spending growth

/// Spending-growth fan with the growth line, over P(growth ≥ line) (MODEL.md §7–§8).
pub(crate) fn growth<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx, caption: Option<&str>) -> R {
    let lang = ctx.lang;
    let line = ctx.meta.growth_line * 100.0;
    let fan = Fan::of(ctx.fd, "spending_growth", 100.0);
    let mut items = fan_items(&fan, lang, DET);
    let gl = match lang {
        Lang::Zh => format!("增长警戒线 {}%", num(line, 0)),
        Lang::En => format!("Growth line {}%", num(line, 0)),
    };
    items.push(item(Sw::Line(SPEND.into()), gl.clone()));
    let pl = match (lang, fan.is_mc()) {
        (Lang::Zh, true) => format!("P(增长率 ≥ {}%)", num(line, 0)),
        (Lang::En, true) => format!("P(growth ≥ {}%)", num(line, 0)),
        (Lang::Zh, false) => format!("增长率 ≥ {}%（确定性路径：0 或 100%）", num(line, 0)),
        (Lang::En, false) => format!("Growth ≥ {}% (0 or 100%)", num(line, 0)),
    };
    items.push(item(Sw::Fill(SPEND.mix(0.8)), pl.clone()));
    let body = panel_frame(area, caption, &items)?;
    let (Some(years), Some((dmin, dmax))) = (year_span(ctx), extent(fan.values())) else {
        return no_data(&body, lang);
    };
    let (_, h) = body.dim_in_pixel();
    let (top, bottom) = body.split_vertically((h as f64 * 0.62) as u32);
    let mut hi = dmax.max(line * 1.25);
    let mut lo = dmin.min(0.0);
    let span = hi - lo;
    hi += 0.05 * span;
    lo -= 0.05 * span;
    let mut c = build(&top, x_range(years), (lo, hi), 96, 8, false)?;
    mesh(
        &mut c,
        &top,
        years,
        Axes {
            y_desc: tr(lang, "支出增长率（%）", "Spending growth (%)"),
            x_desc: None,
            y_decimals: decimals(lo, hi),
            x_mesh: true,
        },
    )?;
    let xr = x_range(years);
    if lo < 0.0 {
        c.draw_series(LineSeries::new(
            vec![(xr.0, 0.0), (xr.1, 0.0)],
            INK.mix(0.5),
        ))?;
    }
    draw_fan(&mut c, &fan, lo, hi)?;
    c.draw_series(LineSeries::new(
        vec![(xr.0, line), (xr.1, line)],
        SPEND.stroke_width(2),
    ))?;
    let (_, _, right, _) = plot_rect(&c, &top);
    let (_, y) = px(&c, &top, (xr.0, line));
    let st = anchored(size::TICK, HPos::Left, VPos::Center).color(&SPEND);
    text(&top, &format!("{}%", num(line, 0)), (right + 8, y), &st)?;
    let (p, se) = prob_series(ctx, "growth_breach_prob");
    let (p, se) = if p.is_empty() {
        // No breach rows: the deterministic path's indicator.
        let ind = fan
            .det
            .iter()
            .map(|(y, g)| (*y, if *g >= line { 100.0 } else { 0.0 }));
        (ind.collect(), Vec::new())
    } else {
        (p, se)
    };
    let y_desc = match (lang, fan.is_mc()) {
        (Lang::Zh, true) => format!("{pl}（%）"),
        (Lang::En, true) => format!("{pl} (%)"),
        (_, false) => tr(lang, "概率（%）", "Prob. (%)").to_string(),
    };
    prob_strip(&bottom, years, &p, &se, &y_desc, lang)
}

// ---------------------------------------------------------------- cash flow and balance

/// Income (contributions + other income + interest) and spending in 亿元, over P(current-year
/// deficit) (MODEL.md §7).
pub(crate) fn cashflow<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx, caption: Option<&str>) -> R {
    let lang = ctx.lang;
    let fd = ctx.fd;
    let income_parts = ["contributions", "other_income", "interest"];
    let mc = fd.has_mc("spending");
    let main_stat = if mc { "mean" } else { "value" };
    let income = fd.sum(&income_parts, main_stat, 1e-8);
    let spend = fd.series("spending", main_stat, 1e-8);
    let (income_det, spend_det) = if mc {
        (
            fd.sum(&income_parts, "value", 1e-8),
            fd.series("spending", "value", 1e-8),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let s05 = fd.series("spending", "p05", 1e-8);
    let s95 = fd.series("spending", "p95", 1e-8);
    let (lab_in, lab_sp) = match (lang, mc) {
        (Lang::Zh, true) => ("收入（均值）", "支出（均值）"),
        (Lang::Zh, false) => ("收入", "支出"),
        (Lang::En, true) => ("Income (mean)", "Spending (mean)"),
        (Lang::En, false) => ("Income", "Spending"),
    };
    let mut items = vec![
        item(Sw::Line(INCOME.into()), lab_in),
        item(Sw::Line(SPEND.into()), lab_sp),
    ];
    if !s05.is_empty() {
        items.push(item(
            Sw::Fill(SPEND.mix(0.18)),
            tr(lang, "支出 5%–95%", "Spending 5–95%"),
        ));
    }
    if !income_det.is_empty() || !spend_det.is_empty() {
        items.push(item(
            Sw::Dash(GREY.into()),
            tr(lang, "确定性路径", "Deterministic path"),
        ));
    }
    let pl = match mc {
        true => tr(lang, "当期收不抵支概率", "P(current-year deficit)"),
        false => tr(
            lang,
            "当期收不抵支（确定性路径：0 或 100%）",
            "Current-year deficit (0 or 100%)",
        ),
    };
    items.push(item(Sw::Fill(SPEND.mix(0.8)), pl));
    let body = panel_frame(area, caption, &items)?;
    let all = [&income, &spend, &income_det, &spend_det, &s05, &s95];
    let (Some(years), Some((dmin, dmax))) = (
        year_span(ctx),
        extent(all.iter().flat_map(|s| s.iter().map(|p| p.1))),
    ) else {
        return no_data(&body, lang);
    };
    let (_, h) = body.dim_in_pixel();
    let (top, bottom) = body.split_vertically((h as f64 * 0.62) as u32);
    let lo = dmin.min(0.0);
    let hi = dmax + 0.08 * (dmax - lo).max(1e-9);
    let mut c = build(&top, x_range(years), (lo, hi), 96, 8, false)?;
    mesh(
        &mut c,
        &top,
        years,
        Axes {
            y_desc: tr(lang, "金额（亿元）", "100 million yuan"),
            x_desc: None,
            y_decimals: decimals(lo, hi),
            x_mesh: true,
        },
    )?;
    if !s05.is_empty() {
        let poly = band_poly(&s05, &s95);
        c.draw_series(std::iter::once(Polygon::new(
            poly,
            SPEND.mix(0.18).filled(),
        )))?;
    }
    c.draw_series(LineSeries::new(income.clone(), INCOME.stroke_width(3)))?;
    c.draw_series(LineSeries::new(spend.clone(), SPEND.stroke_width(3)))?;
    for (s, col) in [(&income_det, INCOME), (&spend_det, SPEND)] {
        if !s.is_empty() {
            c.draw_series(DashedLineSeries::new(s.to_vec(), 8, 6, col.stroke_width(2)))?;
        }
    }
    let (p, se) = prob_series(ctx, "deficit");
    let y_desc = match lang {
        Lang::Zh => "收不抵支概率（%）",
        Lang::En => "P(deficit) (%)",
    };
    prob_strip(&bottom, years, &p, &se, y_desc, lang)
}

/// Balance fan in 亿元 with the zero line (MODEL.md §7).
pub(crate) fn balance<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx, caption: Option<&str>) -> R {
    let lang = ctx.lang;
    let fan = Fan::of(ctx.fd, "balance", 1e-8);
    let mut items = fan_items(&fan, lang, DET);
    items.push(item(Sw::Dot, tr(lang, "基年实际值", "Base year")));
    let plot = panel_frame(area, caption, &items)?;
    let (Some(years), Some((dmin, dmax))) = (year_span(ctx), extent(fan.values())) else {
        return no_data(&plot, lang);
    };
    let mut lo = dmin.min(0.0);
    let mut hi = dmax.max(0.0);
    let span = (hi - lo).max(1e-9);
    hi += 0.06 * span;
    lo -= 0.04 * span;
    let xr = x_range(years);
    let mut c = build(&plot, xr, (lo, hi), 96, 10, true)?;
    mesh(
        &mut c,
        &plot,
        years,
        Axes {
            y_desc: tr(lang, "累计结余（亿元）", "Balance (100 million yuan)"),
            x_desc: Some(tr(lang, "年份", "Year")),
            y_decimals: decimals(lo, hi),
            x_mesh: true,
        },
    )?;
    let zero = tier_colour(Tier::Depleted).mix(0.12).filled();
    if lo < 0.0 {
        c.draw_series(std::iter::once(Rectangle::new(
            [(xr.0, lo), (xr.1, 0.0)],
            zero,
        )))?;
    }
    c.draw_series(LineSeries::new(
        vec![(xr.0, 0.0), (xr.1, 0.0)],
        INK.mix(0.6).stroke_width(2),
    ))?;
    draw_fan(&mut c, &fan, lo, hi)?;
    if let Some(b) = fan.base() {
        let d = decimals(lo, hi).max(1);
        let label = match lang {
            Lang::Zh => base_label(lang, b.0, &num(b.1, d), "亿元", ""),
            Lang::En => base_label(lang, b.0, &num(b.1 / 10.0, d + 1), "", "bn yuan"),
        };
        base_marker(&mut c, &plot, b, &label)?;
    }
    Ok(())
}

// ---------------------------------------------------------------- dashboard

fn key_figures(ctx: &Ctx) -> Vec<String> {
    let fd = ctx.fd;
    let lang = ctx.lang;
    let Some((y0, y1)) = year_span(ctx) else {
        return Vec::new();
    };
    let mc = fd.has_mc("months_reserve");
    let central = if mc { "p50" } else { "value" };
    let pstat = if mc { "mean" } else { "value" };
    let pct = |v: Option<f64>| {
        v.map(|v| format!("{}%", num(v * 100.0, 1)))
            .unwrap_or("—".into())
    };
    let mo = |v: Option<f64>| v.map(|v| num(v, 1)).unwrap_or("—".into());
    let mut out = Vec::new();
    let base = fd
        .value("months_reserve", "value", y0)
        .or(fd.value("months_reserve", "p50", y0));
    let end = fd.value("months_reserve", central, y1);
    let band = (
        fd.value("months_reserve", "p05", y1),
        fd.value("months_reserve", "p95", y1),
    );
    let l6 = ctx.meta.tiers.lines[1];
    let first_below = fd
        .series("months_reserve", central, 1.0)
        .iter()
        .find(|p| p.1 < l6)
        .map(|p| format!("{:.0}", p.0));
    let level = fd
        .value("warning_level", &level_stat(ctx), y1)
        .and_then(|v| Tier::from_index(v.round() as usize))
        .map(|t| style::tier_label(t, lang))
        .unwrap_or("—");
    let depleted = fd.value("depleted_by", pstat, y1);
    let deficit = fd.value("deficit", pstat, y1);
    let breach = fd
        .series("growth_breach_prob", "mean", 1.0)
        .into_iter()
        .fold(None, |a: Option<(f64, f64)>, p| match a {
            Some(q) if q.1 >= p.1 => Some(q),
            _ => Some(p),
        });
    match lang {
        Lang::Zh => {
            out.push(format!("基年（{y0}）可支付月数：{} 个月", mo(base)));
            let which = if mc { "中位数" } else { "确定性路径" };
            out.push(format!("{y1} 年可支付月数{which}：{} 个月", mo(end)));
            if let (Some(a), Some(b)) = band {
                out.push(format!(
                    "{y1} 年 5%–95% 区间：{}–{} 个月",
                    mo(Some(a)),
                    mo(Some(b))
                ));
            }
            out.push(format!(
                "{which}首次低于 {} 个月：{}",
                num(l6, 0),
                first_below
                    .map(|y| format!("{y} 年"))
                    .unwrap_or("预测期内未出现".into())
            ));
            out.push(format!("{y1} 年预警等级：{level}"));
            out.push(format!("{y1} 年前累计结余穿底概率：{}", pct(depleted)));
            out.push(format!("{y1} 年当期收不抵支概率：{}", pct(deficit)));
            if let Some((y, p)) = breach {
                out.push(format!(
                    "支出增长率 ≥ {}% 的最高年度概率：{}（{y:.0} 年）",
                    num(ctx.meta.growth_line * 100.0, 0),
                    pct(Some(p))
                ));
            }
        }
        Lang::En => {
            out.push(format!("Months of reserve in base year {y0}: {}", mo(base)));
            let which = if mc { "median" } else { "deterministic path" };
            out.push(format!("Months of reserve in {y1}, {which}: {}", mo(end)));
            if let (Some(a), Some(b)) = band {
                out.push(format!(
                    "{y1} 5–95% range: {}–{} months",
                    mo(Some(a)),
                    mo(Some(b))
                ));
            }
            out.push(format!(
                "First year the {which} is below {} months: {}",
                num(l6, 0),
                first_below.unwrap_or("not before the horizon".into())
            ));
            out.push(format!("Warning level in {y1}: {level}"));
            out.push(format!("P(balance below 0 by {y1}): {}", pct(depleted)));
            out.push(format!("P(current-year deficit in {y1}): {}", pct(deficit)));
            if let Some((y, p)) = breach {
                out.push(format!(
                    "Highest yearly P(growth ≥ {}%): {} ({y:.0})",
                    num(ctx.meta.growth_line * 100.0, 0),
                    pct(Some(p))
                ));
            }
        }
    }
    out
}

fn key_panel<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx) -> R {
    let lang = ctx.lang;
    let plot = panel_frame(area, Some(tr(lang, "关键指标", "Key figures")), &[])?;
    let (w, h) = plot.dim_in_pixel();
    plot.draw(&Rectangle::new(
        [(12, 8), (w as i32 - 12, h as i32 - 8)],
        INK.mix(0.04).filled(),
    ))?;
    let st = anchored(size::LEGEND + 1.0, HPos::Left, VPos::Top);
    for (i, line) in key_figures(ctx).iter().enumerate() {
        text(&plot, &format!("• {line}"), (28, 26 + i as i32 * 40), &st)?;
    }
    Ok(())
}

/// One page per fund: months, tiers and balance on top; growth, cash flow and key figures below.
pub(crate) fn dashboard<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx) -> R {
    let lang = ctx.lang;
    let cells = area.split_evenly((2, 3));
    let cap = |zh, en| Some(tr(lang, zh, en));
    months(
        &cells[0],
        ctx,
        cap("累计结余可支付月数", "Months of reserve"),
    )?;
    tiers(&cells[1], ctx, cap("预警档位概率", "Tier probabilities"))?;
    balance(&cells[2], ctx, cap("累计结余", "Balance"))?;
    growth(&cells[3], ctx, cap("支出增长率", "Spending growth"))?;
    cashflow(
        &cells[4],
        ctx,
        cap("收入、支出与收不抵支概率", "Income, spending, deficit"),
    )?;
    key_panel(&cells[5], ctx)
}
