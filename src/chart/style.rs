//! Colours, print sizes and words shared by every chart (run charts, decision charts and
//! anything that adopts their look).
//!
//! **Print size.** Every chart is drawn for a report page: 1890 pixels wide, which is 16 cm
//! at 300 dpi (the text width of an A4 page), and the PNG says so (pHYs 300 dpi). Text sizes
//! are given in points at that size ([`pt`]): 12 pt titles, 10 pt panel captions and 9 pt
//! (小五号) for everything else, so nothing printed is smaller than 9 pt. Line widths are in
//! points too ([`stroke`]).
//!
//! **Tier palette** (MODEL.md §8). Six colours ordered from under-funded (warm, dark) through
//! reasonable (green) to over-funded (blue): depleted `#C0392B`, insufficient `#F28E2B`, low
//! `#F6E8C3`, reasonable `#44AA99`, high `#56B4E9`, excess `#2166AC`. Chosen by search so
//! that every pair differs by a CIEDE2000 ΔE of at least 18 for normal vision and under
//! simulated deuteranopia and protanopia (Machado et al. 2009; checked in the unit tests).
//! Tier colours are used solid only: in the tier-probability areas, in the warning-level
//! strip and in the tier scale at the edge of the months chart, never as tints under bands.
//!
//! **Fans.** Quantile bands are one graded hue (slate): P5–P95 light, P25–P75 darker, the
//! median darkest, all opaque, so no band ever blends with another colour. The deterministic
//! path is Tol purple, dashed. Income is Tol indigo, spending Tol wine.

use super::Lang;
use crate::warning::Tier;
use plotters::style::{RGBAColor, RGBColor};

/// Pixels per inch of every chart (PNG pHYs).
pub const DPI: f64 = 300.0;
/// Width of every chart in pixels: 16 cm at [`DPI`].
pub const PAGE_W: u32 = 1890;
/// Ascent-to-descent height of the embedded font in em (plotters sizes text by this height).
const FONT_HEIGHT_EM: f64 = 1.448;

/// Pixels per point at print size.
pub(crate) fn px_per_pt() -> f64 {
    DPI / 72.0
}

/// plotters font size of text that prints at `points` when the chart is [`PAGE_W`] wide.
pub(crate) fn pt(points: f64) -> f64 {
    points * px_per_pt() * FONT_HEIGHT_EM
}

/// Em size in pixels of a plotters font size.
pub(crate) fn em(size: f64) -> f64 {
    size / FONT_HEIGHT_EM
}

/// Height of one line of text of plotters size `size`, in pixels (1.3 em).
pub(crate) fn line_h(size: f64) -> i32 {
    (em(size) * 1.3).round() as i32
}

/// Stroke width in pixels of a line `points` wide.
pub(crate) fn stroke(points: f64) -> u32 {
    (points * px_per_pt()).round().max(1.0) as u32
}

/// Text sizes (plotters sizes; see [`pt`]).
pub(crate) mod size {
    /// Chart title: 12 pt.
    pub fn title() -> f64 {
        super::pt(12.0)
    }
    /// Panel caption: 10 pt.
    pub fn caption() -> f64 {
        super::pt(10.0)
    }
    /// Everything else (ticks, axis titles, legends, notes, footnote): 9 pt.
    pub fn text() -> f64 {
        super::pt(9.0)
    }
}

/// Tier colours in [`Tier::index`] order (see the module docs).
pub const TIER_COLOURS: [RGBColor; 6] = [
    RGBColor(0xC0, 0x39, 0x2B),
    RGBColor(0xF2, 0x8E, 0x2B),
    RGBColor(0xF6, 0xE8, 0xC3),
    RGBColor(0x44, 0xAA, 0x99),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x21, 0x66, 0xAC),
];

/// Colour of a tier.
pub fn tier_colour(t: Tier) -> RGBColor {
    TIER_COLOURS[t.index()]
}

/// Whether text on a tier colour should be white (dark tiers) rather than ink.
pub(crate) fn on_dark(t: Tier) -> bool {
    matches!(t, Tier::Depleted | Tier::Excess)
}

pub(crate) const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
pub(crate) const GREY: RGBColor = RGBColor(0x59, 0x59, 0x59);
/// P5–P95 band.
pub(crate) const FAN_OUTER: RGBColor = RGBColor(0xD9, 0xDE, 0xE8);
/// P25–P75 band.
pub(crate) const FAN_INNER: RGBColor = RGBColor(0xA3, 0xAE, 0xC4);
/// Median.
pub(crate) const MEDIAN: RGBColor = RGBColor(0x1F, 0x2A, 0x44);
/// Deterministic central path (Tol purple), drawn dashed.
pub(crate) const DET: RGBColor = RGBColor(0xAA, 0x33, 0x77);
/// Income (Tol indigo).
pub(crate) const INCOME: RGBColor = RGBColor(0x33, 0x22, 0x88);
/// Spending and risk probabilities (Tol wine).
pub(crate) const SPEND: RGBColor = RGBColor(0x88, 0x22, 0x55);
/// Alpha of the income and spending P5–P95 bands.
pub(crate) const FLOW_BAND_ALPHA: f64 = 0.16;

/// A colour with alpha.
pub(crate) fn alpha(c: RGBColor, a: f64) -> RGBAColor {
    RGBAColor(c.0, c.1, c.2, a)
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

/// One-character name of a tier for narrow cells.
pub(crate) fn tier_initial(t: Tier, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => match t {
            Tier::Depleted => "穿",
            Tier::Insufficient => "不",
            Tier::Low => "低",
            Tier::Reasonable => "合",
            Tier::High => "高",
            Tier::Excess => "多",
        },
        Lang::En => match t {
            Tier::Depleted => "D",
            Tier::Insufficient => "I",
            Tier::Low => "L",
            Tier::Reasonable => "R",
            Tier::High => "H",
            Tier::Excess => "E",
        },
    }
}

/// A tier with its range of months, e.g. `合理 6–9` or `Depleted <0` (MODEL.md §8).
pub(crate) fn tier_range(t: Tier, lines: [f64; 4], lang: Lang) -> String {
    let l = lines.map(|v| num(v, 0));
    let range = match t {
        Tier::Depleted => "<0".to_string(),
        Tier::Insufficient => format!("0–{}", l[0]),
        Tier::Low => format!("{}–{}", l[0], l[1]),
        Tier::Reasonable => format!("{}–{}", l[1], l[2]),
        Tier::High => format!("{}–{}", l[2], l[3]),
        Tier::Excess => format!(">{}", l[3]),
    };
    format!("{} {range}", tier_label(t, lang))
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

/// Number with a fixed number of decimals, no negative zero, and a true minus sign.
pub(crate) fn num(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if let Some(rest) = s.strip_prefix('-') {
        if rest.chars().all(|c| c == '0' || c == '.') {
            rest.to_string()
        } else {
            format!("−{rest}")
        }
    } else {
        s
    }
}

/// A probability (0–1) as a whole percentage, the one format of every chart: `<1%` and
/// `>99%` near the ends so that a rounded 0% or 100% never claims certainty.
pub(crate) fn pct(p: f64) -> String {
    if !p.is_finite() {
        return "—".into();
    }
    let v = p * 100.0;
    if v <= 0.0 {
        "0%".into()
    } else if v < 0.5 {
        "<1%".into()
    } else if v >= 100.0 {
        "100%".into()
    } else if v >= 99.5 {
        ">99%".into()
    } else {
        format!("{}%", num(v, 0))
    }
}

/// Money in 亿元 as printed: 亿元 in Chinese, billion yuan (亿元 / 10) in English. Returns
/// the number's factor from yuan and the unit.
pub(crate) fn money(lang: Lang) -> (f64, &'static str) {
    match lang {
        Lang::Zh => (1e-8, "亿元"),
        Lang::En => (1e-9, "bn yuan"),
    }
}

/// Months as printed with their unit, e.g. `7.9 个月` / `7.9 months`.
pub(crate) fn months_text(v: f64, decimals: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{} 个月", num(v, decimals)),
        Lang::En => format!("{} months", num(v, decimals)),
    }
}
