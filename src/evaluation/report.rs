//! The evaluation as text: the tidy `evaluation.csv` / `backtest.csv`, the `evaluation.md` /
//! `backtest.md` tables (Chinese by default, English on request) and the terminal summary
//! (MODEL.md §13).
//!
//! `evaluation.csv` columns: `section, id, fund, year, metric, stat, value, text`, one value
//! per row, values in model units (yuan, persons, months, ratio 0.1 = 10%):
//!
//! | section | id | stats |
//! | --- | --- | --- |
//! | `backtest` | — | `actual` (text: source), `p05` `p25` `p50` `p75` `p95`, `rank`, `error` (actual − median), `relative_error` (empty when the median is 0), `inside_p5_p95`, `inside_p25_p75` (1/0) |
//! | `backtest_score` | — | `n`, `inside_p5_p95`, `inside_p5_p95_se`, `inside_p25_p75`, `inside_p25_p75_se`, `mean_rank` |
//! | `rebase` | key | `value`, `previous` (text: source); `id = year`: the re-basing year; `id = caveat`: text |
//! | `indicator` | indicator id | `name`, `name_en`, `kind`, `threshold` (text: the condition; value: the figure, or the lower one), `threshold_upper`, `actual` (per year), `probability`, `probability_se`, `probability_previous`, `probability_previous_se`, `p50` `p10` `p90` and `p50_previous` `p10_previous` `p90_previous` (last year), `input_value`, `input_meets`, `status` (value: index in table order, text: code), `note`, `note_en`, `seed` (text: file and quote) |

use super::Evaluation;
use super::actuals::{Actual, Quantity, quantity};
use super::backtest::{Backtest, Figure};
use super::plan::{Condition, Indicator, Measure, Status, Verdict};
use std::fmt::Write;

/// Metric names in Chinese and English.
pub fn metric_label(metric: &str, en: bool) -> &str {
    let (zh, e) = match metric {
        "population" => ("常住人口", "Population"),
        "aged_60_plus" => ("60岁及以上人口", "Aged 60+"),
        "actives" => ("在职参保人数", "Active members"),
        "retirees" => ("退休参保人数", "Retired members"),
        "residents" => ("居民参保人数", "Resident members"),
        "insured" => ("参保人数", "Insured persons"),
        "contributions" => ("缴费收入", "Contributions"),
        "subsidy_cost" => ("财政补助", "Fiscal subsidy"),
        "other_income" => ("其他收入", "Other income"),
        "interest" => ("利息收入", "Interest"),
        "income" => ("基金收入", "Income"),
        "spending" => ("基金支出", "Spending"),
        "net_flow" => ("当期结余", "Net flow"),
        "balance" => ("累计结余", "Balance"),
        "months_reserve" => ("累计结余可支付月数", "Months of reserve"),
        "spending_growth" => ("支出增长率", "Spending growth"),
        other => (other, other),
    };
    if en { e } else { zh }
}

/// Fund names in Chinese and English (`region` for population figures).
pub fn fund_name(fund: &str, en: bool) -> &str {
    let (zh, e) = match fund {
        "region" => ("全地区", "Region"),
        "employee" => ("职工医保统筹基金", "Employee pooled fund"),
        "resident" => ("城乡居民医保基金", "Resident fund"),
        "combined" => ("两项基金合计", "Both funds"),
        other => (other, other),
    };
    if en { e } else { zh }
}

/// The display unit of a metric: 亿元, 万人, 个月 / months, %.
pub fn unit_label(metric: &str, en: bool) -> &'static str {
    match (quantity(metric), en) {
        (Some(Quantity::Money), false) => "亿元",
        (Some(Quantity::Money), true) => "100 million yuan",
        (Some(Quantity::Persons), false) => "万人",
        (Some(Quantity::Persons), true) => "10,000 persons",
        (Some(Quantity::Months), false) => "个月",
        (Some(Quantity::Months), true) => "months",
        _ => "%",
    }
}

/// A value of `metric` (model units) in its display unit: 亿元 and 万人 with two decimals,
/// months with one, ratios as percent with one.
pub fn display(metric: &str, v: f64) -> String {
    match quantity(metric) {
        Some(Quantity::Money) => format!("{:.2}", v / 1e8),
        Some(Quantity::Persons) => format!("{:.2}", v / 1e4),
        Some(Quantity::Months) => format!("{v:.1}"),
        _ => format!("{:.1}%", v * 100.0),
    }
}

/// The display number of `v` (display units), for charts.
pub fn display_value(metric: &str, v: f64) -> f64 {
    match quantity(metric) {
        Some(Quantity::Money) => v / 1e8,
        Some(Quantity::Persons) => v / 1e4,
        Some(Quantity::Months) => v,
        _ => v * 100.0,
    }
}

fn pct(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// A plan figure's kind (binding, expected, context projection, base-year level) in words.
pub fn kind_label(kind: &str, en: bool) -> &str {
    match (kind, en) {
        ("binding", false) => "约束性",
        ("expected", false) => "预期性",
        ("projection", false) => "背景预测",
        ("observed", false) => "基期水平",
        ("binding", true) => "binding",
        ("expected", true) => "expected",
        ("projection", true) => "context projection",
        _ => "base-year level",
    }
}

/// A status label.
pub fn status_label(s: Status, en: bool) -> &'static str {
    if en { s.en() } else { s.zh() }
}

/// The unit (display) a condition's numbers are written in for an indicator.
fn show_value(ind: &Indicator, v: f64) -> String {
    match &ind.measure {
        Measure::Metric { metric, .. } => {
            let s = display(metric, v);
            match quantity(metric) {
                Some(Quantity::Ratio) => s,
                _ => s.trim_end_matches('0').trim_end_matches('.').to_string(),
            }
        }
        Measure::Input(key) => {
            let trim = |s: String| s.trim_end_matches('0').trim_end_matches('.').to_string();
            if v.abs() <= 1.0 && !key.ends_with("premium") && !key.ends_with("subsidy") {
                format!("{}%", trim(format!("{:.2}", 100.0 * v)))
            } else {
                trim(format!("{v:.2}"))
            }
        }
    }
}

/// The condition as text, e.g. `< 10.0%`, `6–9 个月`.
pub fn threshold_text(ind: &Indicator, en: bool) -> String {
    let mut s = ind.condition.show(|v| show_value(ind, v));
    if let Measure::Metric { metric, .. } = &ind.measure
        && quantity(metric) != Some(Quantity::Ratio)
    {
        s.push(' ');
        s.push_str(unit_label(metric, en));
    }
    let years = if ind.years.0 == ind.years.1 {
        format!("{}{}", ind.years.1, if en { "" } else { "年" })
    } else if en {
        format!("every year {}–{}", ind.years.0, ind.years.1)
    } else {
        format!("{}–{}年每年", ind.years.0, ind.years.1)
    };
    if en {
        format!("{s}, {years}")
    } else {
        format!("{years} {s}")
    }
}

struct Csv(csv::Writer<Vec<u8>>);

impl Csv {
    fn new() -> Csv {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "section", "id", "fund", "year", "metric", "stat", "value", "text",
        ])
        .expect("memory");
        Csv(w)
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        section: &str,
        id: &str,
        fund: &str,
        year: Option<i32>,
        metric: &str,
        stat: &str,
        value: Option<f64>,
        text: &str,
    ) {
        let year = year.map(|y| y.to_string()).unwrap_or_default();
        let value = value.map(crate::export::format_value).unwrap_or_default();
        self.0
            .write_record([section, id, fund, &year, metric, stat, &value, text])
            .expect("memory");
    }

    fn finish(self) -> String {
        String::from_utf8(self.0.into_inner().expect("memory")).expect("UTF-8")
    }
}

fn backtest_rows(w: &mut Csv, b: &Backtest) {
    for f in &b.figures {
        let a = &f.actual;
        let mut r = |stat: &str, v: Option<f64>, text: &str| {
            w.row(
                "backtest",
                "",
                &a.fund,
                Some(a.year),
                &a.metric,
                stat,
                v,
                text,
            )
        };
        r("actual", Some(a.value), &a.source);
        for (name, v) in ["p05", "p25", "p50", "p75", "p95"].iter().zip(f.q) {
            r(name, Some(v), "");
        }
        r("rank", Some(f.rank), "");
        r("error", Some(f.error()), "");
        let rel = f.relative_error();
        r(
            "relative_error",
            rel,
            if rel.is_some() {
                ""
            } else {
                "undefined: the median is 0"
            },
        );
        r(
            "inside_p5_p95",
            Some(f64::from(u8::from(f.inside_90()))),
            "",
        );
        r(
            "inside_p25_p75",
            Some(f64::from(u8::from(f.inside_50()))),
            "",
        );
    }
    for s in &b.scores {
        let mut r = |stat: &str, v: f64| {
            w.row(
                "backtest_score",
                "",
                &s.fund,
                None,
                &s.metric,
                stat,
                Some(v),
                "",
            )
        };
        r("n", s.n as f64);
        r("inside_p5_p95", s.inside_90.0);
        r("inside_p5_p95_se", s.inside_90.1);
        r("inside_p25_p75", s.inside_50.0);
        r("inside_p25_p75_se", s.inside_50.1);
        r("mean_rank", s.mean_rank);
    }
}

/// `backtest.csv`: the back-test rows of the evaluation schema.
pub fn backtest_csv(b: &Backtest) -> String {
    let mut w = Csv::new();
    backtest_rows(&mut w, b);
    w.finish()
}

fn indicator_rows(w: &mut Csv, ind: &Indicator, v: &Verdict) {
    let (fund, metric) = match &ind.measure {
        Measure::Metric { metric, fund } => (fund.as_str(), metric.as_str()),
        Measure::Input(k) => ("", k.as_str()),
    };
    let id = ind.id.as_str();
    let last = Some(ind.years.1);
    let mut r = |stat: &str, year: Option<i32>, value: Option<f64>, text: &str| {
        w.row("indicator", id, fund, year, metric, stat, value, text)
    };
    r("name", None, None, &ind.name);
    r("name_en", None, None, &ind.name_en);
    r("kind", None, None, ind.kind());
    let (lo, hi) = match ind.condition {
        Condition::Cmp(_, t) | Condition::Approx(t, _) => (t, None),
        Condition::Between(a, b) => (a, Some(b)),
    };
    r("threshold", last, Some(lo), &threshold_text(ind, true));
    if let Some(h) = hi {
        r("threshold_upper", last, Some(h), "");
    }
    if let Condition::Approx(_, tol) = ind.condition {
        r("tolerance", last, Some(tol), "");
    }
    r("first_year", Some(ind.years.0), None, "");
    for (y, a) in &v.actuals {
        r("actual", Some(*y), Some(*a), "");
    }
    if let Some((p, se)) = v.probability {
        r("probability", last, Some(p), "");
        r("probability_se", last, Some(se), "");
    }
    if let Some((p, se)) = v.probability_previous {
        r("probability_previous", last, Some(p), "");
        r("probability_previous_se", last, Some(se), "");
    }
    for (q, suffix) in [(v.end, ""), (v.end_previous, "_previous")] {
        if let Some(e) = q {
            for (name, x) in ["p50", "p10", "p90"].iter().zip(e) {
                r(&format!("{name}{suffix}"), last, Some(x), "");
            }
        }
    }
    if let Some((x, meets)) = v.input {
        r("input_value", last, Some(x), "");
        r("input_meets", last, Some(f64::from(u8::from(meets))), "");
    }
    let index = Status::ALL
        .iter()
        .position(|s| *s == v.status)
        .expect("listed");
    r("status", last, Some(index as f64), v.status.code());
    let notes_zh: Vec<&str> = std::iter::once(ind.note.0.as_str())
        .chain(v.notes.iter().map(|n| n.0.as_str()))
        .filter(|s| !s.is_empty())
        .collect();
    let notes_en: Vec<&str> = std::iter::once(ind.note.1.as_str())
        .chain(v.notes.iter().map(|n| n.1.as_str()))
        .filter(|s| !s.is_empty())
        .collect();
    r("note", None, None, &notes_zh.join("；"));
    r("note_en", None, None, &notes_en.join("; "));
    for t in &ind.seeds {
        r(
            "seed",
            None,
            None,
            &format!("{} ({}): {}", t.seed, t.id, t.quote),
        );
    }
}

/// `evaluation.csv` (see the module docs for the schema).
pub fn evaluation_csv(e: &Evaluation) -> String {
    let mut w = Csv::new();
    backtest_rows(&mut w, &e.backtest);
    let rb = &e.rebase;
    w.row(
        "rebase",
        "year",
        "",
        Some(rb.year),
        "",
        "value",
        Some(rb.year as f64),
        &rb.id,
    );
    for c in &rb.caveats {
        w.row("rebase", "caveat", "", Some(rb.year), "", "text", None, c);
    }
    for r in &rb.replaced {
        let v = r.param.value_at(rb.year);
        let src = r.param.source.as_deref().unwrap_or("");
        w.row(
            "rebase",
            &r.key,
            "",
            Some(rb.year),
            "",
            "value",
            Some(v),
            src,
        );
        w.row(
            "rebase",
            &r.key,
            "",
            Some(rb.year),
            "",
            "previous",
            Some(r.old),
            "",
        );
    }
    for (ind, v) in e.plan.indicators.iter().zip(&e.verdicts) {
        indicator_rows(&mut w, ind, v);
    }
    w.finish()
}

fn figure_line(f: &Figure, en: bool) -> String {
    let a = &f.actual;
    format!(
        "| {} | {} | {} | {} | {} | {}–{} | {:.2} | {} |\n",
        fund_name(&a.fund, en),
        metric_label(&a.metric, en),
        a.year,
        display(&a.metric, a.value),
        display(&a.metric, f.median()),
        display(&a.metric, f.q[0]),
        display(&a.metric, f.q[4]),
        f.rank,
        match (f.inside_90(), en) {
            (true, false) => "是",
            (false, false) => "否",
            (true, true) => "yes",
            (false, true) => "no",
        }
    )
}

/// The back-test tables (Markdown).
pub fn backtest_markdown(b: &Backtest, base: i32, en: bool) -> String {
    let mut o = String::new();
    if en {
        let _ = writeln!(
            o,
            "Each actual figure against the {} paths of the {base}-based projection. Amounts in 100 million yuan, persons in 10,000.\n",
            b.paths
        );
        o.push_str("| Fund | Metric | Year | Actual | Median | P5–P95 | Percentile rank | Inside P5–P95 |\n");
    } else {
        let _ = writeln!(
            o,
            "实际数与 {base} 年基期预测（{} 条路径）的比较。金额单位：亿元；人数单位：万人。\n",
            b.paths
        );
        o.push_str("| 基金 | 指标 | 年份 | 实际 | 预测中位数 | P5–P95 | 百分位 | 在P5–P95内 |\n");
    }
    o.push_str("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for f in &b.figures {
        o.push_str(&figure_line(f, en));
    }
    o.push('\n');
    if en {
        o.push_str("| Fund | Metric | Figures | Inside P5–P95 (± SE) | Inside P25–P75 (± SE) | Mean rank |\n");
    } else {
        o.push_str("| 基金 | 指标 | 个数 | 在P5–P95内（±标准误） | 在P25–P75内（±标准误） | 平均百分位 |\n");
    }
    o.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for s in &b.scores {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} ± {} | {} ± {} | {:.2} |",
            fund_name(&s.fund, en),
            metric_label(&s.metric, en),
            s.n,
            pct(s.inside_90.0),
            pct(s.inside_90.1),
            pct(s.inside_50.0),
            pct(s.inside_50.1),
            s.mean_rank
        );
    }
    o.push_str(if en {
        "\nA calibrated projection puts about 90% of figures inside P5–P95 and 50% inside P25–P75, with ranks near 0.5 on average (MODEL.md §13).\n"
    } else {
        "\n预测校准良好时，约 90% 的实际数落在 P5–P95 内、50% 落在 P25–P75 内，平均百分位接近 0.5（MODEL.md §13）。\n"
    });
    o
}

fn verdict_cells(ind: &Indicator, v: &Verdict, en: bool) -> [String; 4] {
    let metric = match &ind.measure {
        Measure::Metric { metric, .. } => metric.as_str(),
        Measure::Input(_) => "",
    };
    let actual = match (&v.input, v.actuals.last()) {
        (Some((x, meets)), _) => {
            let yes = match (meets, en) {
                (true, false) => "设定值达到目标",
                (false, false) => "设定值未达到目标",
                (true, true) => "input meets the target",
                (false, true) => "input does not meet the target",
            };
            format!("{}（{yes}）", show_value(ind, *x))
        }
        (None, Some(_)) => v
            .actuals
            .iter()
            .map(|(y, x)| format!("{} ({y})", display(metric, *x)))
            .collect::<Vec<_>>()
            .join(", "),
        (None, None) => "—".into(),
    };
    let end = match v.end.or(v.end_previous) {
        Some(e) if !metric.is_empty() => format!(
            "{} ({}–{})",
            display(metric, e[0]),
            display(metric, e[1]),
            display(metric, e[2])
        ),
        _ => "—".into(),
    };
    let p = match (v.probability, v.probability_previous) {
        (Some((p, _)), Some((q, _))) => format!(
            "{} ({} {})",
            pct(p),
            if en { "previous" } else { "原预测" },
            pct(q)
        ),
        (Some((p, _)), None) => pct(p),
        (None, Some((q, _))) => {
            format!("— ({} {})", if en { "previous" } else { "原预测" }, pct(q))
        }
        (None, None) => "—".into(),
    };
    let mut notes: Vec<&str> = Vec::new();
    let own = if en { &ind.note.1 } else { &ind.note.0 };
    if !own.is_empty() {
        notes.push(own);
    }
    for n in &v.notes {
        notes.push(if en { &n.1 } else { &n.0 });
    }
    [actual, end, p, notes.join(if en { "; " } else { "；" })]
}

/// `evaluation.md`: the indicator table, the back-test and the re-basing, in Chinese or
/// English, ready for a report.
pub fn evaluation_markdown(e: &Evaluation, en: bool) -> String {
    let (id, name, name_en) = &e.scenario;
    let rb = &e.rebase;
    let plan_end = e.plan.period.1;
    let mut o = String::new();
    if en {
        let _ = writeln!(
            o,
            "# Mid-term evaluation: {} ({name_en}, scenario {id}, actual figures to {})\n",
            e.plan.name_en, e.as_of
        );
        let _ = writeln!(o, "## 1. Plan indicators\n");
        let _ = writeln!(
            o,
            "Probabilities are over {} Monte Carlo paths (seed {}) re-based at {}; \"previous\" is the {}-based projection. Status: on track if P ≥ {}, at risk if P ≥ {}, else off track (MODEL.md §13).\n",
            e.paths,
            e.seed,
            rb.year,
            e.base_year,
            e.plan.thresholds.on_track,
            e.plan.thresholds.at_risk
        );
        o.push_str(&format!("| Indicator | Kind | Target | Actual to date | {plan_end} projected, median (P10–P90) | P(meet) | Status | Notes |\n"));
    } else {
        let _ = writeln!(
            o,
            "# {}中期评估（{name}，情景 {id}，实际数截至 {} 年）\n",
            e.plan.name, e.as_of
        );
        let _ = writeln!(o, "## 一、规划指标评估\n");
        let _ = writeln!(
            o,
            "达标概率基于以 {} 年为起点重新预测的 {} 条蒙特卡洛路径（种子 {}）；括号内为 {} 年基期原预测的概率。状态判定：概率 ≥ {} 为预计达标，≥ {} 为有风险，否则为预计未达标（MODEL.md §13）。\n",
            rb.year,
            e.paths,
            e.seed,
            e.base_year,
            e.plan.thresholds.on_track,
            e.plan.thresholds.at_risk
        );
        o.push_str(&format!("| 指标 | 属性 | 目标 | 实际（至今） | {plan_end}年预测中位数（P10–P90） | 达标概率 | 状态 | 说明 |\n"));
    }
    o.push_str("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (ind, v) in e.plan.indicators.iter().zip(&e.verdicts) {
        let [actual, end, p, notes] = verdict_cells(ind, v, en);
        let name = if en { &ind.name_en } else { &ind.name };
        let fund = match &ind.measure {
            Measure::Metric { fund, .. }
                if fund != "region" && !name.contains(fund_name(fund, en)) =>
            {
                if en {
                    format!(" ({})", fund_name(fund, en))
                } else {
                    format!("（{}）", fund_name(fund, en))
                }
            }
            _ => String::new(),
        };
        let _ = writeln!(
            o,
            "| {}{} | {} | {} | {} | {} | {} | **{}** | {} |",
            name,
            fund,
            kind_label(ind.kind(), en),
            threshold_text(ind, en),
            actual,
            end,
            p,
            status_label(v.status, en),
            notes
        );
    }
    o.push_str(if en {
        "\nSeed quotes:\n\n"
    } else {
        "\n依据（规划原文）：\n\n"
    });
    for ind in &e.plan.indicators {
        let mut seen: Vec<&str> = Vec::new();
        for t in &ind.seeds {
            if seen.contains(&t.quote.as_str()) {
                continue;
            }
            seen.push(&t.quote);
            let _ = writeln!(
                o,
                "- {}: {} — “{}”",
                if en { &ind.name_en } else { &ind.name },
                t.seed,
                t.quote
            );
        }
    }
    o.push_str(if en {
        "\n## 2. Back-test of the base-year projection\n\n"
    } else {
        "\n## 二、基期预测回测\n\n"
    });
    o.push_str(&backtest_markdown(&e.backtest, e.base_year, en));
    if en {
        let _ = writeln!(o, "\n## 3. Re-based projection from {}\n", rb.year);
        let _ = writeln!(
            o,
            "Scenario `{}` extends `{}` and replaces:\n",
            rb.id, rb.from.0
        );
        o.push_str("| Input | Previous (central path) | Re-based | Source |\n");
    } else {
        let _ = writeln!(o, "\n## 三、以 {} 年为起点的重新预测\n", rb.year);
        let _ = writeln!(o, "情景 `{}` 继承 `{}`，替换以下输入：\n", rb.id, rb.from.0);
        o.push_str("| 输入 | 原值（中心路径） | 新值 | 来源 |\n");
    }
    o.push_str("| --- | --- | --- | --- |\n");
    for r in &rb.replaced {
        let _ = writeln!(
            o,
            "| `{}` | {:.6e} | {:.6e} | {} |",
            r.key,
            r.old,
            r.param.value_at(rb.year),
            r.param.source.as_deref().unwrap_or("").replace('|', "/")
        );
    }
    let _ = writeln!(
        o,
        "| `population.base` | | | {} |",
        rb.population_source.replace('|', "/")
    );
    if !rb.caveats.is_empty() {
        o.push_str(if en {
            "\nCaveats:\n\n"
        } else {
            "\n注意：\n\n"
        });
        for c in &rb.caveats {
            let _ = writeln!(o, "- {c}");
        }
    }
    o
}

/// The terminal summary of an evaluation.
pub fn evaluation_text(e: &Evaluation) -> String {
    let mut o = String::new();
    let (id, name, name_en) = &e.scenario;
    let _ = writeln!(
        o,
        "{name} {name_en} — mid-term evaluation ({id}), figures to {}, re-based at {} as {}; {} paths, seed {}",
        e.as_of, e.rebase.year, e.rebase.id, e.paths, e.seed
    );
    o.push_str(&backtest_text(&e.backtest));
    let _ = writeln!(
        o,
        "plan indicators ({}, {}–{}):",
        e.plan.id, e.plan.period.0, e.plan.period.1
    );
    for (ind, v) in e.plan.indicators.iter().zip(&e.verdicts) {
        let p = v
            .probability
            .map(|(p, _)| format!("P(meet) {:>6}", pct(p)))
            .unwrap_or_else(|| " ".repeat(14));
        let _ = writeln!(
            o,
            "  {:<22} {:<34} {}  {} {}",
            ind.id,
            threshold_text(ind, true),
            p,
            v.status.zh(),
            v.status.en()
        );
    }
    for c in &e.rebase.caveats {
        let _ = writeln!(o, "caveat: {c}");
    }
    o
}

/// The terminal table of a back-test.
pub fn backtest_text(b: &Backtest) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "back-test: {} figures against {} paths (display units: 亿元, 万人, months, %)",
        b.figures.len(),
        b.paths
    );
    let _ = writeln!(
        o,
        "  {:<9} {:<16} {:>4} {:>11} {:>11} {:>25} {:>6}  P5–P95",
        "fund", "metric", "year", "actual", "median", "P5–P95", "rank"
    );
    for f in &b.figures {
        let a: &Actual = &f.actual;
        let m = &a.metric;
        let _ = writeln!(
            o,
            "  {:<9} {:<16} {:>4} {:>11} {:>11} {:>25} {:>6.3}  {}",
            a.fund,
            m,
            a.year,
            display(m, a.value),
            display(m, f.median()),
            format!("{} – {}", display(m, f.q[0]), display(m, f.q[4])),
            f.rank,
            if f.inside_90() { "inside" } else { "OUTSIDE" }
        );
    }
    for s in &b.scores {
        let _ = writeln!(
            o,
            "  {} {}: {} figures, {} inside P5–P95 (± {}), {} inside P25–P75, mean rank {:.2}",
            s.fund,
            s.metric,
            s.n,
            pct(s.inside_90.0),
            pct(s.inside_90.1),
            pct(s.inside_50.0),
            s.mean_rank
        );
    }
    o
}
