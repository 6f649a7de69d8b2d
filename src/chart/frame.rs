//! The page around every chart: a title that states the finding, a subtitle saying what is
//! drawn, notes (caveats) under the body and the footnote (scenario, seed, paths, version,
//! date, warning lines), all wrapped to the page width; and the legends under each panel.
//! The page height grows with its text so that plots keep their size.

use super::style::{GREY, INK, em, line_h, num, size, stroke, tr};
use super::text::{Area, R, anchored, text, text_lines, width, wrap, wrap_balanced};
use super::{ChartError, ChartMeta, Lang};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Left and right page margin in pixels.
pub(crate) const SIDE: i32 = 40;

/// The texts of a page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    /// Title: the finding (12 pt, up to three lines).
    pub title: String,
    /// What is drawn (9 pt, grey).
    pub subtitle: String,
    /// Caveats and explanations under the body (9 pt).
    pub notes: Vec<String>,
    /// Footnote (9 pt, grey, under a rule).
    pub foot: String,
}

/// A page's wrapped lines and the heights above and below its body.
pub(crate) struct PageLayout {
    title: Vec<String>,
    sub: Vec<String>,
    notes: Vec<String>,
    foot: Vec<String>,
    /// Pixels above the body.
    pub top: i32,
    /// Pixels below the body.
    pub bottom: i32,
}

impl Page {
    /// Wrap the texts for a page `w` pixels wide.
    pub fn layout(&self, w: u32) -> PageLayout {
        let tw = w as i32 - 2 * SIDE;
        let title = wrap_balanced(
            &self.title,
            &anchored(size::title(), HPos::Left, VPos::Top),
            tw,
        );
        let st = anchored(size::text(), HPos::Left, VPos::Top);
        let sub = wrap(&self.subtitle, &st, tw);
        let notes: Vec<String> = self.notes.iter().flat_map(|n| wrap(n, &st, tw)).collect();
        let foot = wrap(&self.foot, &st, tw);
        let (lt, l9) = (line_h(size::title()), line_h(size::text()));
        let top = 28 + title.len() as i32 * lt + 6 + sub.len() as i32 * l9 + 20;
        let bottom = 12
            + notes.len() as i32 * l9
            + if notes.is_empty() { 0 } else { 10 }
            + 14
            + foot.len() as i32 * l9
            + 20;
        PageLayout {
            title,
            sub,
            notes,
            foot,
            top,
            bottom,
        }
    }
}

impl PageLayout {
    /// Total image height for a body `body_h` pixels high.
    pub fn height(&self, body_h: u32) -> u32 {
        (self.top + self.bottom) as u32 + body_h
    }

    /// Draw the texts on `root` and return the body area.
    pub fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Result<Area<DB>, ChartError> {
        let (w, h) = root.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let mut y = 28;
        y += text_lines(
            root,
            &self.title,
            (SIDE, y),
            &anchored(size::title(), HPos::Left, VPos::Top),
        )?;
        y += 6;
        let grey = anchored(size::text(), HPos::Left, VPos::Top).color(&GREY);
        text_lines(root, &self.sub, (SIDE, y), &grey)?;
        let l9 = line_h(size::text());
        let foot_y = h - 20 - self.foot.len() as i32 * l9;
        text_lines(root, &self.foot, (SIDE, foot_y), &grey)?;
        root.draw(&PathElement::new(
            vec![(SIDE - 8, foot_y - 10), (w - SIDE + 8, foot_y - 10)],
            GREY.mix(0.5).stroke_width(stroke(0.5)),
        ))?;
        let notes_y = foot_y - 14 - self.notes.len() as i32 * l9 - 10;
        let ink = anchored(size::text(), HPos::Left, VPos::Top);
        text_lines(root, &self.notes, (SIDE, notes_y), &ink)?;
        let side = (w - body_width(w as u32)) as u32 / 2;
        Ok(root.margin(self.top as u32, self.bottom as u32, side, side))
    }
}

/// Width of the body area of a page `w` pixels wide.
pub(crate) fn body_width(w: u32) -> i32 {
    w as i32 - 2 * (SIDE - 8)
}

/// The footnote of every chart, run or decision: scenario, seed, paths, version, date,
/// the tier lines and the growth line; `extra` is appended (e.g. common random numbers).
pub(crate) fn footnote(m: &ChartMeta, scenario: &str, lang: Lang, extra: &str) -> String {
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
    let sep = if extra.is_empty() { "" } else { " · " };
    let run = match (lang, m.seed.is_none() && m.paths.is_none()) {
        (Lang::Zh, true) => "确定性中心路径（无随机模拟）".to_string(),
        (Lang::Zh, false) => format!("随机种子 {seed} · 路径数 {paths}"),
        (Lang::En, true) => "deterministic central path (no simulation)".to_string(),
        (Lang::En, false) => format!("seed {seed} · {paths} paths"),
    };
    match lang {
        Lang::Zh => format!(
            "情景 {scenario} · {run} · fundsim {} · 日期 {} · \
             档位线 {lines} 个月 · 支出增长警戒线 {g}%{sep}{extra}",
            m.version, m.date
        ),
        Lang::En => format!(
            "Scenario {scenario} · {run} · fundsim {} · date {} · \
             tier lines {lines} months · spending-growth line {g}%{sep}{extra}",
            m.version, m.date
        ),
    }
}

// ---------------------------------------------------------------- legends

/// A legend swatch.
#[derive(Clone)]
pub(crate) enum Sw {
    /// A filled box.
    Fill(RGBAColor),
    /// A line `points` wide.
    Line(RGBAColor, f64),
    /// A dashed line.
    Dash(RGBAColor),
    /// A marker dot: filled (a published figure) or hollow (an assumption).
    Dot(RGBColor, bool),
    /// A diamond (a published figure of a plan document).
    Diamond(RGBColor),
    /// No swatch (a heading).
    None,
}

/// A legend entry.
pub(crate) struct Item {
    pub sw: Sw,
    pub label: String,
    /// Start a new legend row with this item.
    pub brk: bool,
}

/// A legend entry.
pub(crate) fn item(sw: Sw, label: impl Into<String>) -> Item {
    Item {
        sw,
        label: label.into(),
        brk: false,
    }
}

/// A legend entry that starts a new row.
pub(crate) fn row(sw: Sw, label: impl Into<String>) -> Item {
    Item {
        brk: true,
        ..item(sw, label)
    }
}

fn sw_w() -> i32 {
    (em(size::text()) * 1.6) as i32
}

/// Lay out legend items in rows that fit `width`; returns (row, x) per item and row count.
fn legend_layout(items: &[Item], width_px: i32) -> (Vec<(i32, i32)>, i32) {
    let st = anchored(size::text(), HPos::Left, VPos::Center);
    let gap = (em(size::text()) * 0.9) as i32;
    let mut pos = Vec::with_capacity(items.len());
    let (mut r, mut x) = (0, 0);
    for it in items {
        let sw = if matches!(it.sw, Sw::None) {
            0
        } else {
            sw_w() + 10
        };
        let w = sw + width(&it.label, &st) + gap;
        if (it.brk || x + w > width_px) && x > 0 {
            r += 1;
            x = 0;
        }
        pos.push((r, x));
        x += w;
    }
    (pos, if items.is_empty() { 0 } else { r + 1 })
}

/// Rows a legend of `items` takes in `width` pixels.
pub(crate) fn legend_rows(items: &[Item], width_px: i32) -> i32 {
    legend_layout(items, width_px).1
}

fn draw_swatch<DB: DrawingBackend>(area: &Area<DB>, sw: &Sw, x: i32, yc: i32) -> R {
    let w = sw_w();
    let hh = (em(size::text()) * 0.32) as i32;
    match sw {
        Sw::Fill(c) => {
            area.draw(&Rectangle::new(
                [(x, yc - hh), (x + w, yc + hh)],
                c.filled(),
            ))?;
            area.draw(&Rectangle::new(
                [(x, yc - hh), (x + w, yc + hh)],
                GREY.mix(0.6).stroke_width(stroke(0.4)),
            ))?;
        }
        Sw::Line(c, p) => {
            area.draw(&PathElement::new(
                vec![(x, yc), (x + w, yc)],
                c.stroke_width(stroke(*p)),
            ))?;
        }
        Sw::Dash(c) => {
            let d = w / 4;
            for k in 0..3 {
                let a = x + k * (d + d / 2);
                area.draw(&PathElement::new(
                    vec![(a, yc), (a + d, yc)],
                    c.stroke_width(stroke(1.2)),
                ))?;
            }
        }
        Sw::Dot(c, hollow) => {
            let r = (em(size::text()) * 0.28) as i32;
            let lw = stroke(0.9) as i32;
            area.draw(&Circle::new((x + w / 2, yc), r + lw, c.filled()))?;
            if *hollow {
                area.draw(&Circle::new((x + w / 2, yc), r - lw, WHITE.filled()))?;
            }
        }
        Sw::Diamond(c) => {
            let r = (em(size::text()) * 0.34) as i32;
            let cx = x + w / 2;
            let pts = vec![(cx, yc - r), (cx + r, yc), (cx, yc + r), (cx - r, yc)];
            area.draw(&Polygon::new(pts.clone(), c.filled()))?;
            area.draw(&PathElement::new(
                pts.iter().chain(pts.first()).copied().collect::<Vec<_>>(),
                INK.stroke_width(stroke(0.5)),
            ))?;
        }
        Sw::None => {}
    }
    Ok(())
}

/// Reserve room for an optional caption (top) and a legend (bottom) in `area`, draw both,
/// and return the area left for the plot. A captioned panel is part of a page with one
/// shared legend (the dashboard) and draws no legend of its own.
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
                (0, 0),
                &anchored(size::caption(), HPos::Left, VPos::Top),
            )?;
            line_h(size::caption()) + 8
        }
        None => 0,
    };
    let items = if caption.is_some() { &[][..] } else { items };
    let (pos, rows) = legend_layout(items, w);
    let lh = line_h(size::text());
    let legend_h = rows * lh + if rows > 0 { 16 } else { 0 };
    let st = anchored(size::text(), HPos::Left, VPos::Center);
    for (it, (r, x)) in items.iter().zip(pos) {
        let yc = h - legend_h + 16 + r * lh + lh / 2;
        let tx = if matches!(it.sw, Sw::None) {
            x
        } else {
            draw_swatch(area, &it.sw, x, yc)?;
            x + sw_w() + 10
        };
        text(area, &it.label, (tx, yc), &st)?;
    }
    Ok(area.margin(top as u32, legend_h as u32, 0, 0))
}

/// "No data" in the middle of an area.
pub(crate) fn no_data<DB: DrawingBackend>(area: &Area<DB>, lang: Lang) -> R {
    let (w, h) = area.dim_in_pixel();
    let st = anchored(size::caption(), HPos::Center, VPos::Center).color(&GREY);
    text(
        area,
        tr(lang, "无数据", "No data"),
        (w as i32 / 2, h as i32 / 2),
        &st,
    )
}
