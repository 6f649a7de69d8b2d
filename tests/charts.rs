//! Chart rendering (issues #4, #9) on a synthetic but realistic summary (MODEL.md §10 rows):
//! every chart renders in both languages and for a deterministic summary, PNG and SVG agree
//! in size and record their print size, no annotation covers a plotted series, and a small
//! input matches the golden SVGs.
//!
//! Set `FUNDSIM_CHART_OUT=dir` to also write every chart there for a look, and
//! `UPDATE_GOLDEN=1` to rewrite `tests/golden/`.

mod common;

use fundsim::chart::layout::{Scene, covering_labels};
use fundsim::chart::style::{DPI, PAGE_W};
use fundsim::chart::{ChartKind, ChartMeta, Lang, render_all, render_svg, scenes};
use fundsim::export::TidyRow;
use fundsim::warning::{Tier, TierTable};
use statrs::distribution::{ContinuousCDF, Normal};
use std::path::Path;

const QS: [(&str, f64); 9] = [
    ("p01", 0.01),
    ("p05", 0.05),
    ("p10", 0.10),
    ("p25", 0.25),
    ("p50", 0.50),
    ("p75", 0.75),
    ("p90", 0.90),
    ("p95", 0.95),
    ("p99", 0.99),
];

struct Rows(Vec<TidyRow>);

impl Rows {
    fn push(&mut self, fund: &str, year: i32, metric: &str, stat: &str, value: f64) {
        self.0.push(TidyRow {
            scenario: "zj_base".into(),
            fund: fund.into(),
            year,
            metric: metric.into(),
            stat: stat.into(),
            value,
        });
    }

    /// MC rows of a normal variable (mean, sd, quantiles, se) plus the deterministic value.
    #[allow(clippy::too_many_arguments)]
    fn normal(
        &mut self,
        fund: &str,
        year: i32,
        metric: &str,
        mu: f64,
        sd: f64,
        det: f64,
        mc: bool,
    ) {
        self.push(fund, year, metric, "value", det);
        if !mc {
            return;
        }
        self.push(fund, year, metric, "mean", mu);
        self.push(fund, year, metric, "sd", sd);
        self.push(fund, year, metric, "se", sd / 100.0);
        for (name, q) in QS {
            let z = if sd > 0.0 {
                Normal::new(0.0, 1.0).unwrap().inverse_cdf(q)
            } else {
                0.0
            };
            self.push(fund, year, metric, name, mu + z * sd);
        }
    }

    fn prob(&mut self, fund: &str, year: i32, metric: &str, p: f64, det: f64, mc: bool) {
        self.push(fund, year, metric, "value", det);
        if mc {
            self.push(fund, year, metric, "mean", p);
            self.push(fund, year, metric, "se", (p * (1.0 - p) / 10_000.0).sqrt());
        }
    }
}

/// A summary for 2020–`y1`: months of reserve falling from about 14 to 5 with a widening fan,
/// spending growing ~8% a year, tier probabilities consistent with the months distribution.
fn synthetic(y1: i32, mc: bool) -> Vec<TidyRow> {
    let tiers = TierTable::default();
    let n01 = Normal::new(0.0, 1.0).unwrap();
    let mut r = Rows(Vec::new());
    for y in 2020..=y1 {
        r.push(
            "region",
            y,
            "population",
            "value",
            64.5e6 + 0.1e6 * (y - 2020) as f64,
        );
    }
    for (fi, fund) in ["employee", "resident", "combined"].into_iter().enumerate() {
        let scale = [1.0, 0.8, 1.8][fi];
        let drop = [9.0, 10.5, 9.7][fi];
        let mut spend = 600.0e8 * scale;
        let mut depleted_by: f64 = 0.0;
        for y in 2020..=y1 {
            let t = (y - 2020) as f64;
            let frac = t / 15.0;
            let m_mu = 14.0 - drop * frac;
            let m_sd = 0.1 + 2.4 * frac.powf(0.8);
            let det = m_mu + 0.3;
            let growth = 0.075 + 0.01 * (t * 0.9).sin();
            if y > 2020 {
                spend *= 1.0 + growth;
            }
            r.normal(fund, y, "months_reserve", m_mu, m_sd, det, mc);
            let bal = m_mu * spend / 12.0;
            r.normal(
                fund,
                y,
                "balance",
                bal,
                m_sd * spend / 12.0,
                det * spend / 12.0,
                mc,
            );
            r.normal(
                fund,
                y,
                "spending",
                spend,
                0.02 * t.sqrt() * spend,
                spend,
                mc,
            );
            // Tier probabilities from the normal months distribution.
            let cdf = |m: f64| {
                if m_sd > 0.0 {
                    n01.cdf((m - m_mu) / m_sd)
                } else if m_mu < m {
                    1.0
                } else {
                    0.0
                }
            };
            let l = tiers.lines;
            let cuts = [cdf(0.0), cdf(l[0]), cdf(l[1]), cdf(l[2]), cdf(l[3]), 1.0];
            let det_tier = tiers.classify(det, det);
            let mut prev = 0.0;
            for t_ in Tier::ALL {
                let p = cuts[t_.index()] - prev;
                prev = cuts[t_.index()];
                // Tier probabilities are Monte Carlo rows only (README: model decisions).
                if mc {
                    r.push(fund, y, "tier_prob", t_.name(), p);
                    r.push(
                        fund,
                        y,
                        "tier_prob_se",
                        t_.name(),
                        (p * (1.0 - p) / 1e4).sqrt(),
                    );
                }
            }
            let q10 = m_mu + m_sd * n01.inverse_cdf(0.10);
            let level = tiers.classify(q10, q10);
            r.push(fund, y, "warning_level", "value", det_tier.index() as f64);
            if mc {
                r.push(fund, y, "warning_level", "p10", level.index() as f64);
            }
            if y == 2020 {
                continue;
            }
            // Flows start at base year + 1 (MODEL.md §12).
            let contrib = spend * (1.02 - 0.012 * t);
            r.normal(
                fund,
                y,
                "contributions",
                contrib,
                0.02 * contrib,
                contrib,
                mc,
            );
            r.normal(fund, y, "other_income", 0.01 * spend, 0.0, 0.01 * spend, mc);
            r.normal(
                fund,
                y,
                "interest",
                0.015 * bal,
                0.002 * bal,
                0.015 * bal,
                mc,
            );
            let income = contrib + 0.01 * spend + 0.015 * bal;
            r.normal(fund, y, "income", income, 0.02 * income, income, mc);
            let net = income - spend;
            r.normal(fund, y, "net_flow", net, 0.03 * spend, net, mc);
            r.normal(
                fund,
                y,
                "spending_growth",
                growth,
                0.012 + 0.001 * t,
                growth,
                mc,
            );
            let breach = 1.0 - n01.cdf((0.10 - growth) / (0.012 + 0.001 * t));
            r.prob(fund, y, "growth_breach_prob", breach, 0.0, mc);
            let deficit = 1.0 - n01.cdf(net / (0.03 * spend));
            r.prob(
                fund,
                y,
                "deficit",
                deficit,
                if net < 0.0 { 1.0 } else { 0.0 },
                mc,
            );
            depleted_by = depleted_by.max(cdf(0.0));
            r.prob(fund, y, "depleted_by", depleted_by, 0.0, mc);
        }
    }
    r.0
}

fn meta(paths: Option<usize>) -> ChartMeta {
    ChartMeta {
        scenario: "zj_base".into(),
        title: Some("浙江省".into()),
        seed: paths.map(|_| 20240601),
        paths,
        version: "0.1.0".into(),
        date: "2025-06-01".into(),
        ..ChartMeta::default()
    }
}

fn look(rows: &[TidyRow], meta: &ChartMeta, lang: Lang, sub: &str) {
    if let Ok(dir) = std::env::var("FUNDSIM_CHART_OUT") {
        render_all(rows, meta, lang, &Path::new(&dir).join(sub)).unwrap();
    }
}

/// The pixel size an SVG declares in its `viewBox`.
fn svg_size(path: &Path) -> (u32, u32) {
    let s = std::fs::read_to_string(path).unwrap();
    let vb = s
        .split("viewBox=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let v: Vec<u32> = vb.split(' ').map(|x| x.parse().unwrap()).collect();
    (v[2], v[3])
}

/// The pHYs chunk of a PNG: pixels per unit in x and y, and the unit (1 = metre).
fn png_phys(bytes: &[u8]) -> Option<(u32, u32, u8)> {
    let mut i = 8;
    while i + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
        let kind = &bytes[i + 4..i + 8];
        let data = &bytes[i + 8..i + 8 + len];
        if kind == b"pHYs" {
            let x = u32::from_be_bytes(data[0..4].try_into().unwrap());
            let y = u32::from_be_bytes(data[4..8].try_into().unwrap());
            return Some((x, y, data[8]));
        }
        if kind == b"IDAT" {
            return None;
        }
        i += 12 + len;
    }
    None
}

/// Decode a PNG, check its size and that it is not blank, and that it records a resolution
/// of at least 300 dpi, which puts its width at 16 cm (the text width of an A4 report).
fn check_png(path: &Path, size: (u32, u32)) {
    let bytes = std::fs::read(path).unwrap();
    let (x, y, unit) = png_phys(&bytes).unwrap_or_else(|| panic!("{}: no pHYs", path.display()));
    assert_eq!(unit, 1, "{}: pHYs unit is not the metre", path.display());
    assert_eq!(x, y, "{}", path.display());
    let dpi = x as f64 * 0.0254;
    assert!(dpi >= 299.9, "{}: {dpi} dpi", path.display());
    let cm = size.0 as f64 / dpi * 2.54;
    assert!((cm - 16.0).abs() < 0.05, "{}: {cm} cm wide", path.display());
    let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_luma8();
    assert_eq!(img.dimensions(), size, "{}", path.display());
    let n = img.pixels().len() as f64;
    let mean = img.pixels().map(|p| p.0[0] as f64).sum::<f64>() / n;
    let var = img
        .pixels()
        .map(|p| (p.0[0] as f64 - mean).powi(2))
        .sum::<f64>()
        / n;
    assert!(
        var > 200.0,
        "{}: pixel variance {var} looks blank",
        path.display()
    );
    let dark = img.pixels().filter(|p| p.0[0] < 100).count() as f64 / n;
    assert!(dark > 0.005, "{}: too little ink ({dark})", path.display());
}

/// Check an SVG: well formed enough, 16 cm wide, with a title and a description, and the
/// texts `must_contain`.
fn check_svg(path: &Path, size: (u32, u32), must_contain: &[&str]) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.starts_with("<svg"), "{}", path.display());
    assert!(s.trim_end().ends_with("</svg>"), "{}", path.display());
    assert_eq!(size.0, PAGE_W, "{}", path.display());
    let mm = |px: u32| px as f64 / DPI * 25.4;
    assert!(
        s.contains(&format!(
            "width=\"{:.1}mm\" height=\"{:.1}mm\"",
            mm(size.0),
            mm(size.1)
        )),
        "{}",
        path.display()
    );
    assert!(s.contains("width=\"160.0mm\""), "{}", path.display());
    let title = s
        .split("<title id=\"title\">")
        .nth(1)
        .map(|t| t.split("</title>").next().unwrap());
    assert!(
        title.is_some_and(|t| t.chars().count() > 10),
        "{}: no title",
        path.display()
    );
    let desc = s
        .split("<desc id=\"desc\">")
        .nth(1)
        .map(|t| t.split("</desc>").next().unwrap());
    assert!(
        desc.is_some_and(|t| t.chars().count() > 20),
        "{}: no description",
        path.display()
    );
    // Tags balance (XML-ish): as many <text and </text> ...
    assert_eq!(s.matches("<text").count(), s.matches("</text>").count());
    for t in must_contain {
        assert!(s.contains(t), "{}: missing {t:?}", path.display());
    }
}

/// Every chart of a Monte Carlo (`mc`) or deterministic summary.
fn stems(mc: bool) -> Vec<(ChartKind, &'static str)> {
    let mut v = Vec::new();
    for f in ["employee", "resident", "combined"] {
        for k in ChartKind::ALL.into_iter().filter(|k| k.drawn(mc)) {
            v.push((k, f));
        }
    }
    v
}

/// Render and check every chart's PNG and SVG in `dir`; returns nothing, panics on a fault.
fn check_dir(dir: &Path, mc: bool, expect: &dyn Fn(ChartKind) -> Vec<&'static str>) {
    for (kind, fund) in stems(mc) {
        let stem = kind.file_stem(fund);
        let svg = dir.join(format!("{stem}.svg"));
        let size = svg_size(&svg);
        check_png(&dir.join(format!("{stem}.png")), size);
        check_svg(&svg, size, &expect(kind));
    }
}

#[test]
fn every_chart_renders_in_chinese() {
    let rows = synthetic(2035, true);
    let meta = meta(Some(10_000));
    let dir = tempfile::tempdir().unwrap();
    let out = render_all(&rows, &meta, Lang::Zh, dir.path()).unwrap();
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert_eq!(out.files.len(), 42);
    check_dir(dir.path(), true, &|kind| {
        let mut expect = vec!["浙江省", "zj_base", "20240601", "10000", "2025-06-01"];
        expect.extend(match kind {
            ChartKind::Months => vec!["可支付月数（个月）", "6 个月", "合理 6–9", "设定值"],
            ChartKind::Tiers => vec!["预警等级", "合理 6–9", "90% 置信水平"],
            ChartKind::Growth => vec!["增长警戒线 10%", "超过 10% 的概率"],
            ChartKind::Cashflow => vec!["金额（亿元）", "收入（中位数）", "当期收不抵支的概率"],
            ChartKind::Balance => vec!["累计结余（亿元）", "穿底线"],
            ChartKind::Depletion => vec!["穿底概率（%）", "10%", "50%"],
            ChartKind::Dashboard => vec!["关键指标", "预警等级首次低于合理"],
        });
        expect
    });
    // No chart mentions money where it shows none, and no statistician's notation.
    for (kind, fund) in stems(true) {
        let s = std::fs::read_to_string(dir.path().join(format!("{}.svg", kind.file_stem(fund))))
            .unwrap();
        assert!(!s.contains("q = "), "{kind:?}: statistician's notation");
        assert!(!s.contains("P(增长率"), "{kind:?}: statistician's notation");
        if matches!(
            kind,
            ChartKind::Months | ChartKind::Tiers | ChartKind::Growth | ChartKind::Depletion
        ) {
            assert!(!s.contains("亿元"), "{kind:?} mentions money");
        }
    }
    look(&rows, &meta, Lang::Zh, "zh");
}

#[test]
fn english_labels() {
    let rows = synthetic(2035, true);
    let meta = ChartMeta {
        title: Some("Zhejiang".into()),
        ..meta(Some(10_000))
    };
    let dir = tempfile::tempdir().unwrap();
    render_all(&rows, &meta, Lang::En, dir.path()).unwrap();
    check_dir(dir.path(), true, &|kind| match kind {
        ChartKind::Months => vec!["Months of reserve", "Zhejiang, ", "Year", "Reasonable 6–9"],
        ChartKind::Cashflow => vec!["Billion yuan", "Income (median)"],
        ChartKind::Balance => vec!["Balance (billion yuan)", "bn yuan"],
        _ => vec!["Zhejiang"],
    });
    for (kind, fund) in stems(true) {
        let s = std::fs::read_to_string(dir.path().join(format!("{}.svg", kind.file_stem(fund))))
            .unwrap();
        // Text elements only: the font list names CJK families.
        let texts: String = s
            .split("<text")
            .skip(1)
            .map(|t| t.split('>').nth(1).unwrap_or(""))
            .collect();
        assert!(
            !texts
                .chars()
                .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
            "{kind:?} {fund}: English chart has Chinese text"
        );
        assert!(!texts.contains("100 million"), "{kind:?}: two money units");
    }
    look(&rows, &meta, Lang::En, "en");
}

#[test]
fn deterministic_only_summary_draws_paths_and_yes_no_not_probabilities() {
    let rows = synthetic(2035, false);
    assert!(rows.iter().all(|r| r.stat == "value"));
    let meta = meta(None);
    let dir = tempfile::tempdir().unwrap();
    let out = render_all(&rows, &meta, Lang::Zh, dir.path()).unwrap();
    // No depletion-probability chart for a single path.
    assert_eq!(out.files.len(), 36);
    assert!(!dir.path().join("depletion_employee.png").exists());
    check_dir(dir.path(), false, &|_| {
        vec!["仅确定性中心路径", "确定性中心路径（无随机模拟）"]
    });
    for (kind, fund) in stems(false) {
        let s = std::fs::read_to_string(dir.path().join(format!("{}.svg", kind.file_stem(fund))))
            .unwrap();
        assert!(
            !s.contains("概率"),
            "{kind:?} {fund}: a probability on a single path"
        );
        assert!(
            !s.contains("中位数"),
            "{kind:?} {fund}: a median without paths"
        );
    }
    for f in ["growth_employee", "cashflow_employee"] {
        let s = std::fs::read_to_string(dir.path().join(format!("{f}.svg"))).unwrap();
        assert!(
            s.contains(">\n否\n<") || s.contains(">\n是\n<"),
            "{f}: no yes/no strip"
        );
    }
    look(&rows, &meta, Lang::Zh, "det");
}

/// Every annotation box (line labels, markers, crossing labels, bar labels) of every chart
/// is clear of every plotted series and band, in both languages and for a single path.
#[test]
fn no_annotation_covers_data() {
    let mut labels = 0;
    for mc in [true, false] {
        let rows = synthetic(2035, mc);
        let meta = meta(mc.then_some(10_000));
        for lang in [Lang::Zh, Lang::En] {
            for (kind, fund) in stems(mc) {
                let sc = scenes(&rows, &meta, lang, kind, fund).unwrap();
                assert!(!sc.is_empty(), "{kind:?} {fund}: no plot recorded");
                labels += check_scenes(&sc, &format!("{kind:?} {fund} {lang:?} mc={mc}"));
            }
        }
    }
    // The check has something to check: line labels, markers and bar labels are recorded.
    assert!(labels > 200, "only {labels} labels recorded");
}

/// Check the labels of `sc` against every series of `sc`; returns the number of labels.
fn check_scenes(sc: &[Scene], what: &str) -> usize {
    let bad = covering_labels(sc);
    assert!(bad.is_empty(), "{what}: labels {bad:?} cover data");
    sc.iter().map(|s| s.labels.len()).sum()
}

#[test]
fn svg_is_byte_identical_on_rerender() {
    let rows = synthetic(2030, true);
    let meta = meta(Some(500));
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    render_all(&rows, &meta, Lang::Zh, a.path()).unwrap();
    // Rows in another order must not change anything either.
    let mut rev = rows.clone();
    rev.reverse();
    render_all(&rev, &meta, Lang::Zh, b.path()).unwrap();
    for (kind, fund) in stems(true) {
        for ext in ["svg", "png"] {
            let name = format!("{}.{ext}", kind.file_stem(fund));
            assert_eq!(
                std::fs::read(a.path().join(&name)).unwrap(),
                std::fs::read(b.path().join(&name)).unwrap(),
                "{name} differs between renders"
            );
        }
    }
}

#[test]
fn region_name_the_font_lacks_falls_back_to_scenario_id() {
    let rows = synthetic(2024, true);
    let mut meta = meta(Some(100));
    meta.title = Some("𠀀𠀁市".into()); // CJK Extension B: not in the subset
    let dir = tempfile::tempdir().unwrap();
    let out = render_all(&rows, &meta, Lang::Zh, dir.path()).unwrap();
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    assert!(out.warnings[0].contains("zj_base"));
    let s = std::fs::read_to_string(dir.path().join("months_employee.svg")).unwrap();
    assert!(!s.contains('𠀀'));
    assert!(s.contains("zj_base职工医保统筹基金："));
}

#[test]
fn other_scenarios_are_ignored_and_missing_scenario_is_an_error() {
    let mut rows = synthetic(2022, true);
    let other: Vec<TidyRow> = rows
        .iter()
        .map(|r| TidyRow {
            scenario: "other".into(),
            value: r.value * 3.0,
            ..r.clone()
        })
        .collect();
    let base = render_svg(
        &rows,
        &meta(Some(100)),
        Lang::Zh,
        ChartKind::Months,
        "employee",
    )
    .unwrap();
    rows.extend(other);
    let mixed = render_svg(
        &rows,
        &meta(Some(100)),
        Lang::Zh,
        ChartKind::Months,
        "employee",
    )
    .unwrap();
    assert_eq!(base, mixed);
    let mut m = meta(Some(100));
    m.scenario = "nope".into();
    let dir = tempfile::tempdir().unwrap();
    assert!(render_all(&rows, &m, Lang::Zh, dir.path()).is_err());
}

/// A small fixed input against `tests/golden/` (set UPDATE_GOLDEN=1 to rewrite).
#[test]
fn golden_svg() {
    let rows = synthetic(2023, true);
    let meta = meta(Some(1000));
    for (kind, lang, name) in [
        (ChartKind::Months, Lang::Zh, "months_employee_zh.svg"),
        (ChartKind::Tiers, Lang::En, "tiers_resident_en.svg"),
    ] {
        let fund = if kind == ChartKind::Months {
            "employee"
        } else {
            "resident"
        };
        let (svg, warnings) = render_svg(&rows, &meta, lang, kind, fund).unwrap();
        assert!(warnings.is_empty());
        common::golden(name, svg.as_bytes());
    }
}
