//! Chart rendering (issue #4) on a synthetic but realistic summary (MODEL.md §10 rows).
//!
//! Set `FUNDSIM_CHART_OUT=dir` to also write every chart there for a look, and
//! `UPDATE_GOLDEN=1` to rewrite `tests/golden/`.

mod common;

use fundsim::chart::{ChartKind, ChartMeta, Lang, render_all, render_svg};
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
            let net = contrib + 0.01 * spend + 0.015 * bal - spend;
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

/// Decode a PNG, check its size and that it is not blank.
fn check_png(path: &Path, size: (u32, u32)) {
    let img =
        image::load_from_memory_with_format(&std::fs::read(path).unwrap(), image::ImageFormat::Png)
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

fn check_svg(path: &Path, size: (u32, u32), must_contain: &[&str]) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.starts_with("<svg"), "{}", path.display());
    assert!(s.trim_end().ends_with("</svg>"), "{}", path.display());
    assert!(
        s.contains(&format!("width=\"{}\" height=\"{}\"", size.0, size.1)),
        "{}",
        path.display()
    );
    // Tags balance (XML-ish): as many <text and </text> ...
    assert_eq!(s.matches("<text").count(), s.matches("</text>").count());
    for t in must_contain {
        assert!(s.contains(t), "{}: missing {t:?}", path.display());
    }
}

fn stems() -> Vec<(ChartKind, &'static str)> {
    let mut v = Vec::new();
    for f in ["employee", "resident", "combined"] {
        for k in ChartKind::ALL {
            v.push((k, f));
        }
    }
    v
}

#[test]
fn every_chart_renders_in_chinese() {
    let rows = synthetic(2035, true);
    let meta = meta(Some(10_000));
    let dir = tempfile::tempdir().unwrap();
    let out = render_all(&rows, &meta, Lang::Zh, dir.path()).unwrap();
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert_eq!(out.files.len(), 30);
    for (kind, fund) in stems() {
        let stem = kind.file_stem(fund);
        check_png(&dir.path().join(format!("{stem}.png")), kind.size());
        let mut expect = vec!["浙江省", "zj_base", "20240601", "10000", "2025-06-01"];
        match kind {
            ChartKind::Months => {
                expect.extend(["累计结余可支付月数", "可支付月数（月）", "9 个月"])
            }
            ChartKind::Tiers => expect.extend(["预警档位概率", "合理", "预警等级"]),
            ChartKind::Growth => expect.extend(["基金支出增长率", "增长警戒线 10%"]),
            ChartKind::Cashflow => expect.extend(["收入与支出", "亿元", "当期收不抵支概率"]),
            ChartKind::Dashboard => expect.extend(["基金运行风险概览", "关键指标"]),
        }
        check_svg(
            &dir.path().join(format!("{stem}.svg")),
            kind.size(),
            &expect,
        );
    }
    look(&rows, &meta, Lang::Zh, "zh");
}

#[test]
fn english_labels() {
    let rows = synthetic(2035, true);
    let meta = meta(Some(10_000));
    let dir = tempfile::tempdir().unwrap();
    render_all(&rows, &meta, Lang::En, dir.path()).unwrap();
    check_png(
        &dir.path().join("months_employee.png"),
        ChartKind::Months.size(),
    );
    check_svg(
        &dir.path().join("months_employee.svg"),
        ChartKind::Months.size(),
        &["Months of reserve (months)", "Employee pooled fund", "Year"],
    );
    let s = std::fs::read_to_string(dir.path().join("tiers_resident.svg")).unwrap();
    assert!(
        !s.contains("预警"),
        "English chart still has Chinese labels"
    );
    look(&rows, &meta, Lang::En, "en");
}

#[test]
fn deterministic_only_summary_renders() {
    let rows = synthetic(2035, false);
    assert!(rows.iter().all(|r| r.stat == "value"));
    let meta = meta(None);
    let dir = tempfile::tempdir().unwrap();
    let out = render_all(&rows, &meta, Lang::Zh, dir.path()).unwrap();
    assert_eq!(out.files.len(), 30);
    for (kind, fund) in stems() {
        let stem = kind.file_stem(fund);
        check_png(&dir.path().join(format!("{stem}.png")), kind.size());
        check_svg(
            &dir.path().join(format!("{stem}.svg")),
            kind.size(),
            &["仅确定性中心路径"],
        );
    }
    let months = std::fs::read_to_string(dir.path().join("months_employee.svg")).unwrap();
    assert!(
        !months.contains("中位数"),
        "no median legend without MC rows"
    );
    look(&rows, &meta, Lang::Zh, "det");
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
    for (kind, fund) in stems() {
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
    assert!(s.contains("zj_base 职工医保统筹基金：累计结余可支付月数"));
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
