//! `fundsim backtest`: the base-year projection against the actual figures (MODEL.md §11
//! *Backtest*, §13): each figure's percentile rank and bands, per-metric calibration, and a
//! fan chart per fund with the actuals marked.

use super::output::OutputSet;
use super::rebase::read_actuals;
use super::{DecisionArgs, LangArg, Result, ToolManifest, bail, load, summary_bytes};
use crate::chart::evaluation::{ActualPoint, FanPanel, FundFans, Labels, TargetMark};
use crate::evaluation::actuals::Actual;
use crate::evaluation::backtest::{self, fan};
use crate::evaluation::report;
use crate::export::TidyRow;
use crate::resolve::Model;
use std::path::PathBuf;

/// Flags shared by `fundsim backtest` and `fundsim evaluate`.
#[derive(Debug, Clone, clap::Args)]
pub struct EvalArgs {
    /// Actual figures (CSV: fund,year,metric,value,unit,source); default: the scenario's
    /// `actuals` key.
    #[arg(long)]
    pub actuals: Option<String>,
    #[command(flatten)]
    pub run: DecisionArgs,
    /// Language of the tables and charts.
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,
}

/// Flags of `fundsim backtest`.
#[derive(Debug, Clone, clap::Args)]
pub struct BacktestArgs {
    /// Scenario file or embedded id.
    pub scenario: String,
    #[command(flatten)]
    pub eval: EvalArgs,
}

/// The manifest of an evaluation folder: the decision tools' manifest plus the actual
/// figures (and plan) read and what each file holds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EvaluationManifest {
    /// Command, scenarios, seed, paths, inputs (with SHA-256), reproduce command.
    #[serde(flatten)]
    pub tool: ToolManifest,
    /// Model specification section implemented.
    pub model: String,
    /// Evaluation year (actual figures up to it are used).
    pub as_of: i32,
    /// Re-basing year and the re-based scenario file (evaluate only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rebased: Option<serde_json::Value>,
    /// Language of the tables and charts.
    pub lang: String,
    /// Every file of the folder with what it holds.
    pub contents: Vec<(String, String)>,
}

/// Fans of every fund that has actual figures (or indicators): per fund, one panel per
/// metric, the previous projection's fan, the re-based one when given, the actuals (filled
/// where their source is a published figure) and the plan's `targets` on that metric.
pub fn fund_fans(
    metrics: &[(String, String)],
    actuals: &[Actual],
    previous: &[TidyRow],
    rebased: Option<&[TidyRow]>,
    targets: &[(String, String, TargetMark)],
) -> Vec<FundFans> {
    let mut out: Vec<FundFans> = Vec::new();
    for fund in crate::summary::FUNDS {
        let panels: Vec<FanPanel> = metrics
            .iter()
            .filter(|(f, _)| f == fund)
            .map(|(_, metric)| FanPanel {
                metric: metric.clone(),
                previous: fan(previous, fund, metric),
                rebased: rebased.map(|r| fan(r, fund, metric)).unwrap_or_default(),
                actuals: actuals
                    .iter()
                    .filter(|a| a.fund == fund && a.metric == *metric)
                    .map(|a| ActualPoint {
                        year: a.year,
                        value: a.value,
                        published: crate::chart::is_published(&a.source),
                    })
                    .collect(),
                targets: targets
                    .iter()
                    .filter(|(f, m, _)| f == fund && m == metric)
                    .map(|t| t.2.clone())
                    .collect(),
            })
            .collect();
        if !panels.is_empty() {
            out.push(FundFans {
                fund: fund.to_string(),
                panels,
            });
        }
    }
    out
}

/// The (fund, metric) pairs of the actual figures, in order of first appearance.
pub fn figure_metrics(actuals: &[Actual]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    for a in actuals {
        let k = (a.fund.clone(), a.metric.clone());
        if !v.contains(&k) {
            v.push(k);
        }
    }
    v
}

/// Chart labels for model `m`: the run charts' metadata ([`crate::chart::decision::meta_for`])
/// and `extra` for the footnote.
pub fn labels(
    m: &Model,
    lang: LangArg,
    paths: usize,
    seed: u64,
    extra: String,
    plan: Option<(i32, i32)>,
) -> Labels {
    let lang = lang.into();
    Labels {
        meta: crate::chart::decision::meta_for(m, seed, paths, lang),
        lang,
        extra,
        plan,
    }
}

/// `fundsim backtest SCENARIO [--actuals FILE]`.
pub fn backtest(b: &BacktestArgs) -> Result<String> {
    let a = &b.eval;
    let (_, m) = load(Some(&b.scenario), &a.run.set)?;
    let actuals = read_actuals(a.actuals.as_deref(), &m)?;
    if actuals.rows.is_empty() {
        bail!("{}: no actual figures to test against", actuals.file);
    }
    // One simulation's records, summarised (for the charts) a year per thread at a time.
    let (paths, seed) = a
        .run
        .paths_seed(&m, summary_bytes(rayon::current_num_threads()))?;
    let dir = a.run.out_dir(&format!("backtest-{}", m.scenario.region.id));
    let mut set = OutputSet::begin(&dir)?;
    let sim = crate::decision::simulate_checked(&m, seed, paths).map_err(anyhow::Error::msg)?;
    let bt = backtest::backtest(&m, &sim, &actuals.rows);
    let en = a.lang == LangArg::En;
    let base = m.base_year;
    let mut text = format!(
        "{} {} — back-test of the {base}-based projection ({}), {paths} paths, seed {seed}\n",
        m.scenario.region.name, m.scenario.region.name_en, m.scenario.region.id
    );
    text.push_str(&report::backtest_text(&bt));
    set.write("backtest.csv", report::backtest_csv(&bt).as_bytes())?;
    set.write(
        "backtest.md",
        report::backtest_markdown(&bt, base, en).as_bytes(),
    )?;
    let mut tool = ToolManifest::new("backtest", &[&m], &a.run, paths, seed);
    tool.inputs.push(actuals.input.clone());
    let mut contents = vec![
        ("backtest.csv".to_string(), "every actual figure against the projection: stats actual, p05–p95, rank, error, inside_p5_p95; per metric the shares inside each band with SEs and the mean rank (schema in src/evaluation/report.rs)".to_string()),
        ("backtest.md".to_string(), "the same as tables".to_string()),
    ];
    if !a.no_charts {
        let rows = crate::summary::summarize(&m, &sim);
        crate::summary::check_finite(&rows).map_err(anyhow::Error::msg)?;
        let fans = fund_fans(
            &figure_metrics(&actuals.rows),
            &actuals.rows,
            &rows,
            None,
            &[],
        );
        let extra = match a.lang {
            LangArg::Zh => format!("实际数 {}", actuals.file),
            LangArg::En => format!("actual figures {}", actuals.file),
        };
        let lab = labels(&m, a.lang, paths, seed, extra, None);
        let charts = crate::chart::evaluation::fan_charts(
            &fans,
            base,
            None,
            &lab,
            "backtest",
            &set.staged("charts"),
        )
        .map_err(|e| anyhow::anyhow!("drawing charts: {e}"))?;
        contents.push((
            "charts/backtest_<fund>.{png,svg}".into(),
            "fan from the base year (P5–P95, P25–P75, median) with the actual figures marked"
                .into(),
        ));
        set.record(&charts);
    }
    let man = EvaluationManifest {
        tool,
        model: "MODEL.md §13".into(),
        as_of: actuals.latest_year().unwrap_or(base),
        rebased: None,
        lang: format!("{:?}", a.lang).to_lowercase(),
        contents,
    };
    set.write(
        "manifest.json",
        &serde_json::to_vec_pretty(&man).expect("manifest serialises"),
    )?;
    let files: Vec<PathBuf> = set.commit()?;
    text.push_str(&super::evaluate::wrote_set(&dir, files));
    Ok(text)
}
