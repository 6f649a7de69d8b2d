//! Colours and words shared by every chart.
//!
//! Tier palette (MODEL.md §8): the Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008,
//! "Color Universal Design"), ordered from warm (under-funded) through green (reasonable) to
//! blue (over-funded): depleted vermillion `#D55E00`, insufficient orange `#E69F00`, low yellow
//! `#F0E442`, reasonable bluish green `#009E73`, high sky blue `#56B4E9`, excess blue
//! `#0072B2`. The same colour always means the same tier: as a pale background in the
//! months-of-reserve chart, as solid areas in the tier-probability chart and in the
//! warning-level strip. Other series use colours outside that palette (Paul Tol's indigo and
//! wine, grey bands, black median) so that they are never read as tiers.

use super::Lang;
use crate::warning::Tier;
use plotters::style::{RGBAColor, RGBColor};

/// Tier colours in [`Tier::index`] order (Okabe–Ito).
pub const TIER_COLOURS: [RGBColor; 6] = [
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x72, 0xB2),
];

/// Colour of a tier.
pub fn tier_colour(t: Tier) -> RGBColor {
    TIER_COLOURS[t.index()]
}

pub(crate) const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
pub(crate) const GREY: RGBColor = RGBColor(0x59, 0x59, 0x59);
/// Deterministic central path (Tol purple), drawn dashed.
pub(crate) const DET: RGBColor = RGBColor(0xAA, 0x33, 0x77);
/// Income (Tol indigo).
pub(crate) const INCOME: RGBColor = RGBColor(0x33, 0x22, 0x88);
/// Spending and risk probabilities (Tol wine).
pub(crate) const SPEND: RGBColor = RGBColor(0x88, 0x22, 0x55);
/// Background alpha of tier bands in the months chart.
pub(crate) const TIER_BG_ALPHA: f64 = 0.28;

/// Outer (P5–P95) and inner (P25–P75) band fill: translucent black, readable on any tier.
pub(crate) fn band_outer() -> RGBAColor {
    RGBAColor(0x20, 0x20, 0x20, 0.16)
}
pub(crate) fn band_inner() -> RGBAColor {
    RGBAColor(0x20, 0x20, 0x20, 0.30)
}

/// Text sizes (plotters size: ascent-to-descent height in pixels, ≈ 1.45 em for this font).
pub(crate) mod size {
    pub const TITLE: f64 = 34.0;
    pub const CAPTION: f64 = 25.0;
    pub const AXIS: f64 = 22.0;
    pub const TICK: f64 = 21.0;
    pub const LEGEND: f64 = 21.0;
    pub const NOTE: f64 = 19.0;
    pub const FOOT: f64 = 18.0;
}

/// Pick the Chinese or the English text.
pub(crate) fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Display name of a tier.
pub fn tier_label(t: Tier, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => t.label_zh(),
        Lang::En => match t {
            Tier::Depleted => "Depleted",
            Tier::Insufficient => "Insufficient",
            Tier::Low => "Low",
            Tier::Reasonable => "Reasonable",
            Tier::High => "High",
            Tier::Excess => "Excess",
        },
    }
}

/// Short name of a tier for narrow cells.
pub(crate) fn tier_short(t: Tier, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => t.label_zh(),
        Lang::En => match t {
            Tier::Depleted => "Depl.",
            Tier::Insufficient => "Insuf.",
            Tier::Low => "Low",
            Tier::Reasonable => "Reas.",
            Tier::High => "High",
            Tier::Excess => "Exc.",
        },
    }
}

/// Display name of a fund id (MODEL.md §1).
pub fn fund_label(fund: &str, lang: Lang) -> String {
    match (fund, lang) {
        ("employee", Lang::Zh) => "职工医保统筹基金".into(),
        ("resident", Lang::Zh) => "城乡居民医保基金".into(),
        ("combined", Lang::Zh) => "两项基金合计".into(),
        ("employee", Lang::En) => "Employee pooled fund".into(),
        ("resident", Lang::En) => "Resident fund".into(),
        ("combined", Lang::En) => "Both funds combined".into(),
        (other, _) => other.to_string(),
    }
}

/// Number with a fixed number of decimals and no negative zero.
pub(crate) fn num(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}
