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
        Err(ChartError::Font("plotters rejected the embedded font".into()))
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
