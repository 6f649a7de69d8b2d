//! Unit tests of the chart module's helpers (the rendering tests are in `tests/charts.rs`).

use super::font::{VAnchor, missing_glyphs, raster_text, svg_font_size_factor};
use super::*;

#[test]
fn embedded_font_covers_every_label_and_common_characters() {
    // Labels of this module, tier names and a sample of GB2312 level-1 characters.
    let text = "累计结余可支付月数预警档位概率基金支出增长率收支与累计结余职工医保统筹基金\
                城乡居民医保基金两项基金合计穿底不足偏低合理偏高过多浙江省天津市杭州衢州亳州\
                ，。：；（）《》“”–—·≥≤%×0123456789ABCxyz";
    assert_eq!(missing_glyphs(text), Vec::<char>::new());
    assert_eq!(missing_glyphs("𠀀a"), vec!['𠀀']);
}

#[test]
fn svg_font_size_matches_png_em() {
    // Noto Sans CJK: units per em 1000, ascent − descent 1448.
    let f = svg_font_size_factor();
    assert!((f - 1.24 / 1.448).abs() < 1e-6, "{f}");
    let svg = r#"<text font-family="sans-serif" font-size="16.129032258064516">x</text>"#;
    let fixed = fix_svg_text(svg);
    assert!(fixed.contains(r#"font-size="13.81""#), "{fixed}");
    assert!(fixed.contains("Noto Sans CJK SC"), "{fixed}");
}

#[test]
fn raster_text_anchors() {
    let extent = |v| {
        let px = raster_text("中x", 21.0, 0.0, v, false);
        let ys: Vec<i32> = px.iter().map(|p| p.1).collect();
        (*ys.iter().min().unwrap(), *ys.iter().max().unwrap())
    };
    let (t0, _) = extent(VAnchor::Top);
    let (c0, c1) = extent(VAnchor::Center);
    let (_, b1) = extent(VAnchor::Bottom);
    assert!((-3..=1).contains(&t0), "top {t0}");
    assert!((c0 + c1).abs() <= 6, "centre {c0}..{c1}");
    assert!(b1 <= 6, "bottom {b1}");
    // Centred text is centred horizontally; rotated text reads upwards.
    let xs: Vec<i32> = raster_text("ABCD", 21.0, 0.5, VAnchor::Center, false)
        .iter()
        .map(|p| p.0)
        .collect();
    let (lo, hi) = (*xs.iter().min().unwrap(), *xs.iter().max().unwrap());
    assert!((lo + hi).abs() <= 3, "{lo}..{hi}");
    let rot = raster_text("ABCD", 21.0, 0.0, VAnchor::Center, true);
    assert!(
        rot.iter().all(|p| p.1 <= 1),
        "rotated text goes up from the anchor"
    );
}

#[test]
fn undrawable_region_name_falls_back_with_a_warning() {
    let mut w = Vec::new();
    let meta = ChartMeta {
        scenario: "zj_base".into(),
        title: Some("浙江省".into()),
        ..ChartMeta::default()
    };
    assert_eq!(
        display_names(&meta, &mut w),
        ("浙江省".into(), "zj_base".into())
    );
    assert!(w.is_empty());
    let meta = ChartMeta {
        title: Some("𪚥市".into()),
        ..meta
    };
    assert_eq!(
        display_names(&meta, &mut w),
        ("zj_base".into(), "zj_base".into())
    );
    assert_eq!(w.len(), 1);
}

#[test]
fn file_stems_are_stable() {
    let names: Vec<String> = ChartKind::ALL
        .iter()
        .map(|k| k.file_stem("employee"))
        .collect();
    assert_eq!(
        names,
        [
            "months_employee",
            "tiers_employee",
            "growth_employee",
            "cashflow_employee",
            "dashboard_employee"
        ]
    );
}
