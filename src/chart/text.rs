//! Text: styles, drawing (rasterised by our own layout in PNG, kept as text in SVG), widths
//! and line wrapping. Widths come from the font alone ([`font::text_width`]), so a layout is
//! the same in PNG and SVG.

use super::ChartError;
use super::font::{self, FAMILY, VAnchor};
use super::style::INK;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(crate) type R = Result<(), ChartError>;
pub(crate) type Area<DB> = DrawingArea<DB, Shift>;

/// Ink text of plotters size `sz`.
pub(crate) fn font(sz: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, sz).into_font()).color(&INK)
}

/// Ink text anchored at `(h, v)`.
pub(crate) fn anchored(sz: f64, h: HPos, v: VPos) -> TextStyle<'static> {
    font(sz).pos(Pos::new(h, v))
}

/// Draw one line of text at `at` (relative to `area`).
pub(crate) fn text<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &str,
    at: (i32, i32),
    st: &TextStyle,
) -> R {
    if s.is_empty() {
        return Ok(());
    }
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

/// Width in pixels of a line of text in style `st`.
pub(crate) fn width(s: &str, st: &TextStyle) -> i32 {
    font::text_width(s, st.font.get_size()).ceil() as i32
}

/// Whether a character may start a line (closing punctuation may not).
fn may_start(c: char) -> bool {
    !"，。；：、）》”’！？,.;:)%".contains(c)
}

/// Whether a character may end a line (opening punctuation may not).
fn may_end(c: char) -> bool {
    !"（《“‘(".contains(c)
}

fn is_wide(c: char) -> bool {
    c as u32 >= 0x2E80
}

/// Break `s` into lines no wider than `max_w` pixels: between any two CJK characters (but
/// not before closing or after opening punctuation) and at spaces; a Latin word is never
/// split. A word wider than a line gets a line of its own.
pub(crate) fn wrap(s: &str, st: &TextStyle, max_w: i32) -> Vec<String> {
    // Tokens: a run of non-space Latin characters, one CJK character, or one space.
    let mut toks: Vec<String> = Vec::new();
    for c in s.chars() {
        let glue = match toks.last() {
            Some(t) => {
                let last = t.chars().last().unwrap_or(' ');
                (!is_wide(c) && c != ' ' && !is_wide(last) && last != ' ')
                    || !may_start(c)
                    || !may_end(last)
            }
            None => false,
        };
        if glue {
            toks.last_mut().expect("checked").push(c);
        } else {
            toks.push(c.to_string());
        }
    }
    let mut lines = Vec::new();
    let mut cur = String::new();
    for t in toks {
        let cand = format!("{cur}{t}");
        if cur.is_empty() || width(cand.trim_end(), st) <= max_w {
            cur = cand;
        } else {
            lines.push(cur.trim_end().to_string());
            cur = t.trim_start().to_string();
        }
    }
    if !cur.trim().is_empty() {
        lines.push(cur.trim_end().to_string());
    }
    lines
}

/// Lines for a title: one line if it fits; else two lines broken after a clause mark
/// (`：；，` or `: ; ,`), the longest first line that leaves a second that fits; else lines
/// of even length (the narrowest width that needs no more lines), so that a title never
/// ends with one orphaned word.
pub(crate) fn wrap_balanced(s: &str, st: &TextStyle, max_w: i32) -> Vec<String> {
    let plain = wrap(s, st, max_w);
    let n = plain.len();
    if n <= 1 {
        return plain;
    }
    if n == 2 {
        let cut = s
            .char_indices()
            .filter(|(_, c)| "：；，:;,".contains(*c))
            .map(|(i, c)| i + c.len_utf8())
            .filter(|&i| width(s[..i].trim_end(), st) <= max_w && width(s[i..].trim(), st) <= max_w)
            .max();
        if let Some(i) = cut {
            return vec![s[..i].trim_end().to_string(), s[i..].trim().to_string()];
        }
    }
    let (mut lo, mut hi) = (max_w / n as i32, max_w);
    while hi - lo > 4 {
        let mid = (lo + hi) / 2;
        if wrap(s, st, mid).len() <= n {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    wrap(s, st, hi)
}

/// Draw lines of text top-down from `at` (`st` anchored at the top); returns the height used.
pub(crate) fn text_lines<DB: DrawingBackend>(
    area: &Area<DB>,
    lines: &[String],
    at: (i32, i32),
    st: &TextStyle,
) -> Result<i32, ChartError> {
    let lh = super::style::line_h(st.font.get_size());
    for (i, l) in lines.iter().enumerate() {
        text(area, l, (at.0, at.1 + i as i32 * lh), st)?;
    }
    Ok(lines.len() as i32 * lh)
}
