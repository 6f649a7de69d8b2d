//! The embedded CJK font: a subset of Noto Sans CJK SC Regular (OFL 1.1), made as described in
//! `assets/fonts/README.md`. It is registered with plotters under [`FONT_FAMILY`] and under
//! `sans-serif` (the family plotters uses for axes), so charts need no system font.

use super::ChartError;
use ab_glyph::{Font, FontRef};
use plotters::style::{FontStyle, register_font};
use std::sync::OnceLock;

/// The subset font file, embedded in the binary.
pub(crate) static FONT_BYTES: &[u8] =
    include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular-subset.otf");

/// Family name the embedded font is registered under (besides `sans-serif`).
pub const FONT_FAMILY: &str = "Noto Sans CJK SC";

/// The family every chart text uses.
pub(crate) const FAMILY: &str = "sans-serif";

/// `font-family` written into SVG files: viewers draw SVG text with their own fonts, so list
/// common CJK families before the generic one.
pub(crate) const SVG_FAMILIES: &str =
    "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif";

fn parsed() -> Result<&'static FontRef<'static>, ChartError> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).ok())
        .as_ref()
        .ok_or_else(|| ChartError::Font("embedded font does not parse".into()))
}

/// Register the embedded font with plotters (once per process).
pub(crate) fn ensure_registered() -> Result<(), ChartError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        [FAMILY, FONT_FAMILY].iter().all(|name| {
            register_font(name, FontStyle::Normal, FONT_BYTES).is_ok()
                && register_font(name, FontStyle::Bold, FONT_BYTES).is_ok()
        })
    });
    if ok {
        Ok(())
    } else {
        Err(ChartError::Font(
            "plotters rejected the embedded font".into(),
        ))
    }
}

/// Characters of `text` that the embedded font cannot draw (ab_glyph glyph id 0); control
/// characters are ignored. A non-empty answer means the text would show empty boxes.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let Ok(font) = parsed() else {
        return text.chars().collect();
    };
    let mut out: Vec<char> = text
        .chars()
        .filter(|c| !c.is_control() && font.glyph_id(*c).0 == 0)
        .collect();
    out.dedup();
    out
}

/// Factor that turns the `font-size` plotters writes into SVG (`size / 1.24`) into the em size
/// ab_glyph draws in PNG (`size · units_per_em / (ascent − descent)`), so both files agree.
pub(crate) fn svg_font_size_factor() -> f64 {
    match parsed() {
        Ok(f) => {
            let upem = f.units_per_em().unwrap_or(1000.0) as f64;
            let h = f.height_unscaled() as f64;
            if h > 0.0 { 1.24 * upem / h } else { 1.0 }
        }
        Err(_) => 1.0,
    }
}

thread_local! {
    static RASTER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// While alive, chart text on this thread is rasterised by [`draw_raster_text`] instead of
/// plotters' ab_glyph path, which drops each glyph's left side bearing (uneven spacing).
pub(crate) struct RasterMode(());

impl RasterMode {
    pub(crate) fn on() -> RasterMode {
        RASTER.with(|r| r.set(true));
        RasterMode(())
    }
}

impl Drop for RasterMode {
    fn drop(&mut self) {
        RASTER.with(|r| r.set(false));
    }
}

/// Whether text is being rasterised for a PNG.
pub(crate) fn raster() -> bool {
    RASTER.with(|r| r.get())
}

/// Vertical anchor of a text line, as the SVG backend writes it (`dy`).
#[derive(Clone, Copy)]
pub(crate) enum VAnchor {
    /// Baseline 0.76 em below the anchor.
    Top,
    /// Baseline 0.5 ex below the anchor.
    Center,
    /// Baseline 0.5 ex above the anchor.
    Bottom,
}

/// Advance width in pixels of a text line at plotters size `size`, laid out exactly as
/// [`raster_text`] lays it out (advances and kerning). The same in PNG and SVG, so layout
/// never depends on the backend.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    use ab_glyph::ScaleFont;
    let Ok(font) = parsed() else {
        return 0.0;
    };
    let scaled = font.as_scaled(size as f32);
    let mut pen = 0.0f32;
    let mut prev = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        pen += scaled.h_advance(id);
        prev = Some(id);
    }
    f64::from(pen)
}

/// Pixels `(x, y, coverage)` of a text line laid out with ab_glyph (advances, kerning and
/// side bearings), relative to the anchor. `h` is 0 (left), 0.5 (centre) or 1 (right) of the
/// advance width; `size` is plotters' font size; `rotate` turns the line 270° (reads upwards).
pub(crate) fn raster_text(
    text: &str,
    size: f64,
    h: f32,
    v: VAnchor,
    rotate: bool,
) -> Vec<(i32, i32, f32)> {
    use ab_glyph::{ScaleFont, point};
    let Ok(font) = parsed() else {
        return Vec::new();
    };
    let scaled = font.as_scaled(size as f32);
    let em = size as f32 * font.units_per_em().unwrap_or(1000.0) / font.height_unscaled();
    let upem = font.units_per_em().unwrap_or(1000.0);
    let ex = font
        .outline(font.glyph_id('x'))
        .map(|o| (o.bounds.max.y - o.bounds.min.y).abs() / upem)
        .unwrap_or(0.5);
    let mut pen = 0.0f32;
    let mut prev = None;
    let mut placed = Vec::new();
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        placed.push((id, pen));
        pen += scaled.h_advance(id);
        prev = Some(id);
    }
    let dx = -h * pen;
    let base = match v {
        VAnchor::Top => 0.76 * em,
        VAnchor::Center => 0.5 * ex * em,
        VAnchor::Bottom => -0.5 * ex * em,
    };
    let mut out = Vec::new();
    for (id, x) in placed {
        let g = id.with_scale_and_position(scaled.scale(), point(dx + x, base));
        if let Some(o) = font.outline_glyph(g) {
            let b = o.px_bounds();
            o.draw(|gx, gy, cov| {
                let (ox, oy) = ((b.min.x + gx as f32) as i32, (b.min.y + gy as f32) as i32);
                let p = if rotate { (oy, -ox) } else { (ox, oy) };
                if cov > 0.0 {
                    out.push((p.0, p.1, cov.min(1.0)));
                }
            });
        }
    }
    out
}
