//! Unit tests of the chart module's helpers (the rendering tests are in `tests/charts.rs`).

use super::font::{VAnchor, missing_glyphs, raster_text, svg_font_size_factor};
use super::*;

#[test]
fn embedded_font_covers_every_label_and_common_characters() {
    // Labels of this module, tier names and a sample of GB2312 level-1 characters.
    let text = "累计结余可支付月数预警档位概率基金支出增长率收支与累计结余职工医保统筹基金\
                城乡居民医保基金两项基金合计穿底不足偏低合理偏高过多浙江省天津市杭州衢州亳州\
                置信水平首次低于规划期末约束性指标门诊共济集中带量采购付费改革调剂累计缺口折合\
                公布数设定值假设基准方案配对差值现行政策单位缴费率财政补助总和生育死亡迁入\
                ，。：；（）《》“”–—·≥≤%×±−●○◆0123456789ABCxyz";
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

/// CIE L*a*b* of an sRGB colour, optionally through a colour-vision-deficiency matrix in
/// linear RGB (Machado, Oliveira & Fernandes 2009, severity 1).
fn lab(c: plotters::style::RGBColor, m: Option<[[f64; 3]; 3]>) -> [f64; 3] {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let mut rgb = [lin(c.0), lin(c.1), lin(c.2)];
    if let Some(m) = m {
        rgb = std::array::from_fn(|i| {
            (0..3)
                .map(|j| m[i][j] * rgb[j])
                .sum::<f64>()
                .clamp(0.0, 1.0)
        });
    }
    let [r, g, b] = rgb;
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    [
        116.0 * f(y) - 16.0,
        500.0 * (f(x) - f(y)),
        200.0 * (f(y) - f(z)),
    ]
}

/// CIEDE2000 colour difference (Sharma, Wu & Dalal 2005).
fn de2000(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (l1, a1, b1) = (a[0], a[1], a[2]);
    let (l2, a2, b2) = (b[0], b[1], b[2]);
    let cb = (a1.hypot(b1) + a2.hypot(b2)) / 2.0;
    let g = 0.5 * (1.0 - (cb.powi(7) / (cb.powi(7) + 25f64.powi(7))).sqrt());
    let (a1p, a2p) = ((1.0 + g) * a1, (1.0 + g) * a2);
    let (c1, c2) = (a1p.hypot(b1), a2p.hypot(b2));
    let h = |b: f64, a: f64| b.atan2(a).to_degrees().rem_euclid(360.0);
    let (h1, h2) = (h(b1, a1p), h(b2, a2p));
    let dl = l2 - l1;
    let dc = c2 - c1;
    let mut dh = h2 - h1;
    if c1 * c2 == 0.0 {
        dh = 0.0;
    } else if dh > 180.0 {
        dh -= 360.0;
    } else if dh < -180.0 {
        dh += 360.0;
    }
    let dhh = 2.0 * (c1 * c2).sqrt() * (dh.to_radians() / 2.0).sin();
    let lb = (l1 + l2) / 2.0;
    let cbp = (c1 + c2) / 2.0;
    let hb = if c1 * c2 == 0.0 {
        h1 + h2
    } else if (h1 - h2).abs() <= 180.0 {
        (h1 + h2) / 2.0
    } else if h1 + h2 < 360.0 {
        (h1 + h2 + 360.0) / 2.0
    } else {
        (h1 + h2 - 360.0) / 2.0
    };
    let t = 1.0 - 0.17 * (hb - 30.0).to_radians().cos()
        + 0.24 * (2.0 * hb).to_radians().cos()
        + 0.32 * (3.0 * hb + 6.0).to_radians().cos()
        - 0.20 * (4.0 * hb - 63.0).to_radians().cos();
    let dth = 30.0 * (-((hb - 275.0) / 25.0).powi(2)).exp();
    let rc = 2.0 * (cbp.powi(7) / (cbp.powi(7) + 25f64.powi(7))).sqrt();
    let sl = 1.0 + 0.015 * (lb - 50.0).powi(2) / (20.0 + (lb - 50.0).powi(2)).sqrt();
    let sc = 1.0 + 0.045 * cbp;
    let sh = 1.0 + 0.015 * cbp * t;
    let rt = -(2.0 * dth).to_radians().sin() * rc;
    ((dl / sl).powi(2) + (dc / sc).powi(2) + (dhh / sh).powi(2) + rt * (dc / sc) * (dhh / sh))
        .sqrt()
}

#[test]
fn ciede2000_matches_published_pairs() {
    // Sharma, Wu & Dalal (2005), table 1, pairs 1 and 17.
    let d = de2000([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485]);
    assert!((d - 2.0425).abs() < 1e-3, "{d}");
    let d = de2000([50.0, 2.5, 0.0], [73.0, 25.0, -18.0]);
    assert!((d - 27.1492).abs() < 1e-3, "{d}");
}

#[test]
fn tier_colours_differ_for_normal_and_colour_deficient_vision() {
    let deut = [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ];
    let prot = [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ];
    for (name, m) in [
        ("normal", None),
        ("deuteranopia", Some(deut)),
        ("protanopia", Some(prot)),
    ] {
        for i in 0..6 {
            for j in i + 1..6 {
                let d = de2000(lab(TIER_COLOURS[i], m), lab(TIER_COLOURS[j], m));
                assert!(d >= 18.0, "{name}: tiers {i} and {j} differ by ΔE00 {d:.1}");
            }
            // Every tier stands out from the white page.
            let w = de2000(
                lab(TIER_COLOURS[i], m),
                lab(plotters::style::RGBColor(255, 255, 255), m),
            );
            assert!(
                w >= 14.0,
                "{name}: tier {i} differs from white by ΔE00 {w:.1}"
            );
        }
    }
}

#[test]
fn print_sizes() {
    // 9 pt at 300 dpi is 37.5 px; plotters sizes text by the font's ascent-to-descent height.
    assert!((style::em(style::size::text()) - 37.5).abs() < 0.01);
    assert!((style::PAGE_W as f64 / style::DPI * 2.54 - 16.0).abs() < 0.01);
    assert!(
        style::size::title() > style::size::caption()
            && style::size::caption() > style::size::text()
    );
}

#[test]
fn probabilities_never_round_to_certainty() {
    use style::pct;
    assert_eq!(pct(0.0), "0%");
    assert_eq!(pct(0.004), "<1%");
    assert_eq!(pct(0.0051), "1%");
    assert_eq!(pct(0.545), "55%");
    assert_eq!(pct(0.9992), ">99%");
    assert_eq!(pct(1.0), "100%");
    assert_eq!(style::num(-0.04, 1), "0.0");
    assert_eq!(style::num(-2.38, 1), "−2.4");
}

#[test]
fn published_sources_and_assumptions() {
    assert!(is_published("seed 003: \"支出85.37亿元\""));
    assert!(is_published("000_690ba29909df0ef4.txt: \"...\""));
    assert!(!is_published("assumption: about 20 months of spending"));
    assert!(!is_published("derived: calibrated to 2020 income"));
    assert!(!is_published("option: employer rate 7.5%"));
    assert!(!is_published(""));
    // The reader's words for a value given with --set, and a re-based scenario's sources.
    assert!(!is_published(
        "set on the command line (--set employee.base_balance)"
    ));
    assert!(!is_published(
        "central path of china-2020 at 2022 with the actual figures"
    ));
    assert!(is_published(
        "actual: 2021 final bulletin, resident fund balance"
    ));
}

#[test]
fn labels_spread_apart_and_stay_in_range() {
    use layout::spread;
    // Overlapping wishes move apart symmetrically and keep their order.
    let p = spread(&[100, 105, 300], 20, 0, 1000);
    assert!(p[1] - p[0] >= 20 && p[2] == 300, "{p:?}");
    assert!((p[0] + p[1]) / 2 - 102 <= 1, "{p:?}");
    // Pushed inside the range from both ends.
    let p = spread(&[0, 5, 10], 20, 15, 1000);
    assert!(
        p[0] >= 15 && p[1] - p[0] >= 20 && p[2] - p[1] >= 20,
        "{p:?}"
    );
    let p = spread(&[995, 999], 20, 0, 1000);
    assert!(p[1] <= 1000 && p[1] - p[0] >= 20, "{p:?}");
}

#[test]
fn rectangles_against_lines_and_polygons() {
    use layout::Rect;
    let r = Rect::new(10, 10, 20, 20);
    assert!(r.hits_segment((0, 15), (30, 15)));
    assert!(!r.hits_segment((0, 25), (30, 25)));
    assert!(r.hits_segment((0, 0), (30, 30)));
    assert!(!r.hits_segment((21, 0), (21, 30)));
    // Inside a big polygon, and clear of a small one.
    assert!(r.hits_polygon(&[(0, 0), (100, 0), (100, 100), (0, 100)]));
    assert!(!r.hits_polygon(&[(30, 30), (40, 30), (40, 40)]));
}

#[test]
fn years_are_labelled_to_the_horizon() {
    use axes::year_ticks;
    assert_eq!(
        year_ticks((2020, 2035), 110.0, 100),
        vec![2020, 2022, 2024, 2026, 2028, 2030, 2032, 2035]
    );
    assert_eq!(
        year_ticks((2020, 2035), 50.0, 100),
        vec![2020, 2025, 2030, 2035]
    );
    assert_eq!(*year_ticks((2020, 2034), 50.0, 100).last().unwrap(), 2034);
    assert_eq!(
        axes::nice_ticks(-22.0, 26.0, 5),
        vec![-20.0, -10.0, 0.0, 10.0, 20.0]
    );
}

#[test]
fn text_wraps_between_cjk_characters_not_inside_words() {
    let st = text::anchored(
        style::size::text(),
        plotters::style::text_anchor::HPos::Left,
        plotters::style::text_anchor::VPos::Top,
    );
    let w = text::width("可支付月数可支付", &st);
    let lines = text::wrap("可支付月数可支付月数，2035 年 months", &st, w);
    assert!(lines.len() >= 2, "{lines:?}");
    assert!(lines.iter().all(|l| !l.starts_with('，')), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("months")), "{lines:?}");
    // A title breaks after a clause mark rather than leaving an orphan.
    let big = text::anchored(
        style::size::title(),
        plotters::style::text_anchor::HPos::Left,
        plotters::style::text_anchor::VPos::Top,
    );
    let t = "浙江省职工医保统筹基金：中位路径始终高于 15 个月（过多），2035 年约 39 个月";
    let two = text::wrap_balanced(t, &big, text::width(t, &big) * 4 / 5);
    assert_eq!(two.len(), 2);
    assert!(two[0].ends_with('，'), "{two:?}");
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
            "balance_employee",
            "depletion_employee",
            "dashboard_employee"
        ]
    );
}
