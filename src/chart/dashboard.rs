//! The one-page summary of a fund (a report page, 16 cm wide): months of reserve and tiers,
//! cash flow and spending growth, one shared legend, and the key figures in words.

use super::data::Fan;
use super::findings::key_figures;
use super::flows::{cashflow, growth};
use super::frame::{Item, Sw, item, panel_frame, row};
use super::panels::{fan_items, markers, months, tiers};
use super::style::{
    FLOW_BAND_ALPHA, INCOME, INK, SPEND, alpha, line_h, num, size, tier_colour, tier_range, tr,
};
use super::text::{Area, R, anchored, text_lines, wrap};
use super::{Ctx, Lang};
use crate::warning::Tier;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Gap between the dashboard's columns and rows, pixels.
const GAP: i32 = 56;
/// Height of one row of panels, pixels.
const ROW: i32 = 610;

/// The legend every panel of the dashboard shares.
fn legend(ctx: &Ctx) -> Vec<Item> {
    let lang = ctx.lang;
    let fan = Fan::of(ctx.fd, "months_reserve", 1.0);
    let mut v = fan_items(&fan, lang);
    let published = ctx.info.months_published();
    v.push(item(
        Sw::Dot(INK, !published),
        match (lang, published) {
            (Lang::Zh, true) => "基年实际值（公布数）",
            (Lang::Zh, false) => "基年设定值（假设）",
            (Lang::En, true) => "Base year: published",
            (Lang::En, false) => "Base year: assumed",
        },
    ));
    v.push(row(Sw::None, tr(lang, "档位（个月）：", "Tiers (months):")));
    for t in Tier::ALL {
        v.push(item(
            Sw::Fill(alpha(tier_colour(t), 1.0)),
            tier_range(t, ctx.meta.tiers.lines, lang),
        ));
    }
    let line = num(ctx.meta.growth_line * 100.0, 0);
    v.push(row(
        Sw::Line(alpha(INCOME, 1.0), 1.5),
        tr(lang, "收入", "Income"),
    ));
    v.push(item(
        Sw::Line(alpha(SPEND, 1.0), 1.5),
        tr(lang, "支出", "Spending"),
    ));
    if ctx.facts.mc {
        v.push(item(
            Sw::Fill(alpha(SPEND, FLOW_BAND_ALPHA)),
            tr(lang, "收入、支出 5%–95%", "Income, spending 5–95%"),
        ));
    }
    v.push(item(
        Sw::Line(alpha(SPEND, 1.0), 1.0),
        match lang {
            Lang::Zh => format!("增长警戒线 {line}%"),
            Lang::En => format!("Growth line {line}%"),
        },
    ));
    if ctx.facts.mc {
        v.push(item(
            Sw::Fill(alpha(SPEND, 0.72)),
            tr(
                lang,
                "概率（收不抵支；增长率超过警戒线）",
                "Probability (deficit; growth above the line)",
            ),
        ));
    } else {
        v.push(item(
            Sw::Fill(alpha(SPEND, 1.0)),
            tr(
                lang,
                "是（收不抵支；增长率超过警戒线）",
                "Yes (deficit; growth above the line)",
            ),
        ));
        v.push(item(
            Sw::Fill(alpha(super::style::GREY, 0.12)),
            tr(lang, "否", "No"),
        ));
    }
    // Reform markers are numbered in the dashboard's narrow panels.
    let mut k = 0;
    for m in markers(ctx, ctx.facts.years) {
        if m.plan {
            continue;
        }
        k += 1;
        let brk = k == 1;
        let s = match lang {
            Lang::Zh => format!("改革{k}：{} 年 {}", m.year, m.label),
            Lang::En => format!("R{k}: {} {}", m.year, m.label),
        };
        v.push(if brk {
            row(Sw::None, s)
        } else {
            item(Sw::None, s)
        });
    }
    v
}

fn legend_h(ctx: &Ctx, w: i32) -> i32 {
    super::frame::legend_rows(&legend(ctx), w) * line_h(size::text()) + 16
}

/// The key figures wrapped into two columns `col_w` wide.
fn key_columns(ctx: &Ctx, col_w: i32) -> Vec<Vec<Vec<String>>> {
    let st = anchored(size::text(), HPos::Left, VPos::Top);
    let figures = key_figures(ctx);
    let half = figures.len().div_ceil(2).max(1);
    figures
        .chunks(half)
        .map(|c| c.iter().map(|l| wrap(l, &st, col_w - 30)).collect())
        .collect()
}

fn key_col_w(w: i32) -> i32 {
    (w - 3 * 24) / 2
}

/// Height of the key-figure panel's text.
fn key_text_h(ctx: &Ctx, w: i32) -> i32 {
    let lh = line_h(size::text());
    key_columns(ctx, key_col_w(w))
        .iter()
        .map(|c| c.iter().map(|l| l.len() as i32 * lh + lh / 4).sum::<i32>())
        .max()
        .unwrap_or(0)
}

/// Height of the dashboard's body for a body `w` pixels wide.
pub(crate) fn height(ctx: &Ctx, w: i32) -> u32 {
    let key = line_h(size::caption()) + 8 + 20 + key_text_h(ctx, w) + 16;
    (2 * (ROW + GAP) + legend_h(ctx, w) + GAP / 2 + key) as u32
}

/// Months and tiers; cash flow and growth; the shared legend; the key figures.
pub(crate) fn dashboard<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx) -> R {
    let lang = ctx.lang;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let cw = (w - GAP) / 2;
    let cell = |c: i32, r: i32| {
        let x = c * (cw + GAP);
        let y = r * (ROW + GAP);
        area.margin(
            y as u32,
            (h - y - ROW).max(0) as u32,
            x as u32,
            (w - x - cw).max(0) as u32,
        )
    };
    let cap = |zh, en| Some(tr(lang, zh, en));
    months(
        &cell(0, 0),
        ctx,
        cap("累计结余可支付月数", "Months of reserve"),
    )?;
    tiers(&cell(1, 0), ctx, cap("预警档位", "Tiers"))?;
    cashflow(
        &cell(0, 1),
        ctx,
        cap("收入、支出与收不抵支", "Income, spending, deficit"),
    )?;
    growth(&cell(1, 1), ctx, cap("支出增长率", "Spending growth"))?;
    let rest = area.margin((2 * (ROW + GAP)) as u32, 0, 0, 0);
    let (_, rh) = rest.dim_in_pixel();
    // panel_frame draws the legend at the bottom of its area: give it just the legend's room.
    let lh = legend_h(ctx, w);
    let legend_area = rest.margin(0, (rh as i32 - lh).max(0) as u32, 0, 0);
    panel_frame(&legend_area, None, &legend(ctx))?;
    let keys = rest.margin((lh + GAP / 2) as u32, 0, 0, 0);
    key_panel(&keys, ctx)
}

/// The key figures in two columns on a light panel.
fn key_panel<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx) -> R {
    let lang = ctx.lang;
    let body = panel_frame(area, Some(tr(lang, "关键指标", "Key figures")), &[])?;
    let (w, h) = body.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    body.draw(&Rectangle::new([(0, 0), (w, h)], INK.mix(0.04).filled()))?;
    let st = anchored(size::text(), HPos::Left, VPos::Top);
    let lh = line_h(size::text());
    let col_w = key_col_w(w);
    for (c, chunk) in key_columns(ctx, col_w).iter().enumerate() {
        let x = 24 + c as i32 * (col_w + 24);
        let mut y = 20;
        for lines in chunk {
            text_lines(&body, &["•".to_string()], (x, y), &st)?;
            y += text_lines(&body, lines, (x + 28, y), &st)? + lh / 4;
        }
    }
    Ok(())
}
