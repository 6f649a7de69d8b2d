//! `fundsim evaluate`: the mid-term evaluation in one go (MODEL.md §11 *Backtest*, *Plan
//! check*; §13) — the back-test of the base-year projection, the projection re-based at the
//! latest year with actual balances, and a status with a probability for each plan
//! indicator. Writes `evaluation.csv`, `evaluation.md`, `manifest.json`, the re-based
//! scenario, both projections' summaries and the charts into one folder.

use super::backtest::{EvalArgs, EvaluationManifest, figure_metrics, fund_fans, labels};
use super::output::OutputSet;
use super::rebase::{read_actuals, write_rebased};
use super::{LangArg, Result, ToolManifest, bail, load, record_bytes, summary_bytes};
use crate::chart::evaluation::{IndicatorBar, TargetMark, target_text};
use crate::evaluation::plan::{self, Measure, Plan, Projection};
use crate::evaluation::{Evaluation, backtest, rebase, report};
use std::path::PathBuf;

/// Flags of `fundsim evaluate`.
#[derive(Debug, Clone, clap::Args)]
pub struct EvaluateArgs {
    /// Scenario file or embedded id (the base-year projection).
    pub scenario: String,
    /// Plan file (plans/*.toml): the indicators and the status thresholds.
    #[arg(long)]
    pub plan: String,
    /// Evaluation year: actual figures up to it are used (default: the latest one).
    #[arg(long)]
    pub as_of: Option<i32>,
    #[command(flatten)]
    pub eval: EvalArgs,
    /// Skip the Excel workbook evaluation.xlsx.
    #[arg(long)]
    pub no_xlsx: bool,
}

/// The "wrote" lines, with the charts folder on one line.
pub fn wrote_set(dir: &std::path::Path, files: Vec<PathBuf>) -> String {
    let charts = dir.join("charts");
    let (data, pics): (Vec<_>, Vec<_>) = files.into_iter().partition(|f| !f.starts_with(&charts));
    let mut text = super::wrote(&data);
    if !pics.is_empty() {
        text.push_str(&format!(
            "wrote {} charts (PNG and SVG) in {}\n",
            pics.len() / 2,
            charts.display()
        ));
    }
    text
}

/// `fundsim evaluate SCENARIO --plan FILE [--actuals FILE] [--as-of YEAR]`.
pub fn evaluate(ev: &EvaluateArgs) -> Result<String> {
    let a = &ev.eval;
    let (name, m) = load(Some(&ev.scenario), &a.run.set)?;
    let actuals = read_actuals(a.actuals.as_deref(), &m)?;
    let plan = Plan::read(&ev.plan, &m)?;
    let (base, horizon) = (m.base_year, m.year(m.years - 1));
    let as_of = match ev.as_of {
        Some(y) if !(base..horizon).contains(&y) => {
            bail!(
                "--as-of {y}: expected a year from the base year {base} to {}",
                horizon - 1
            )
        }
        Some(y) => y,
        None => actuals.latest_year().unwrap_or(base),
    };
    let rows = actuals.up_to(as_of);
    let year = rebase::default_year(&rows, base, as_of);
    let rb = rebase::rebase(&m, &rows, year).map_err(anyhow::Error::msg)?;
    // The base-year projection's records are kept while the re-based one runs (its years
    // are fewer), and each is summarised a year per thread at a time.
    let (paths, seed) = a.run.paths_seed(
        &m,
        record_bytes(m.years) + summary_bytes(rayon::current_num_threads()),
    )?;
    let dir = a
        .run
        .out_dir(&format!("evaluation-{}", m.scenario.region.id));
    let mut set = OutputSet::begin(&dir)?;

    let sim = crate::decision::simulate_checked(&m, seed, paths).map_err(anyhow::Error::msg)?;
    let bt = backtest::backtest(&m, &sim, &rows);
    let previous_rows = crate::summary::summarize(&m, &sim);
    crate::summary::check_finite(&previous_rows).map_err(anyhow::Error::msg)?;

    let rel = format!("rebased/{}.toml", rb.id);
    let header = vec![
        format!(
            "Written by {} into {}",
            super::command_line(),
            dir.display()
        ),
        format!(
            "Actual figures: {} (sha256 {}), up to {as_of}",
            actuals.file, actuals.input.sha256
        ),
    ];
    // Written into the staging folder, a sibling of the final one: relative paths hold.
    let m2 = write_rebased(&rb, &name, &set.staged(&rel), &header, &a.run.set)?;
    let staged = [
        set.staged(&rel),
        set.staged(&format!("rebased/{}.data.csv", rb.id)),
    ];
    set.record(&staged);
    let sim2 = crate::decision::simulate_checked(&m2, seed, paths)
        .map_err(|e| anyhow::anyhow!("re-based scenario {}: {e}", rb.id))?;
    let rebased_rows = crate::summary::summarize(&m2, &sim2);
    crate::summary::check_finite(&rebased_rows).map_err(anyhow::Error::msg)?;

    let (prev, reb) = (
        Projection {
            model: &m,
            paths: &sim,
        },
        Projection {
            model: &m2,
            paths: &sim2,
        },
    );
    let verdicts: Vec<plan::Verdict> = plan
        .indicators
        .iter()
        .map(|ind| plan::judge(ind, &rows, as_of, &prev, &reb, plan.thresholds))
        .collect();
    let s = &m.scenario.region;
    let e = Evaluation {
        scenario: (s.id.clone(), s.name.clone(), s.name_en.clone()),
        base_year: base,
        as_of,
        actuals: rows.clone(),
        backtest: bt,
        rebase: rb,
        plan,
        verdicts,
        paths,
        seed,
        previous_rows,
        rebased_rows,
    };
    let en = a.lang == LangArg::En;
    let mut text = report::evaluation_text(&e);
    let csv = report::evaluation_csv(&e);
    set.write("evaluation.csv", csv.as_bytes())?;
    set.write(
        "evaluation.md",
        report::evaluation_markdown(&e, en).as_bytes(),
    )?;
    set.write(
        "previous/summary.csv",
        &crate::export::to_csv(&e.previous_rows),
    )?;
    set.write(
        "rebased/summary.csv",
        &crate::export::to_csv(&e.rebased_rows),
    )?;
    let mut contents = vec![
        ("evaluation.csv".to_string(), "tidy: back-test figures and scores, re-based inputs, indicator verdicts (schema in src/evaluation/report.rs and README)".to_string()),
        ("evaluation.md".to_string(), format!("indicator table, back-test and re-basing ({})", if en { "English" } else { "Chinese" })),
        (rel.clone(), "the re-based scenario: extends the old one by a relative path, so `fundsim run` it where it lies".to_string()),
        (format!("rebased/{}.data.csv", e.rebase.id), "its population and life table at the re-basing year".to_string()),
        ("previous/summary.csv".to_string(), format!("Monte Carlo summary of the {base}-based projection (MODEL.md §10)")),
        ("rebased/summary.csv".to_string(), format!("Monte Carlo summary of the projection re-based at {}", e.rebase.year)),
    ];
    if !a.no_charts {
        let lang: crate::chart::Lang = a.lang.into();
        let mut metrics = figure_metrics(&e.actuals);
        let mut targets = Vec::new();
        for ind in &e.plan.indicators {
            if let Measure::Metric { metric, fund } = &ind.measure {
                let k = (fund.clone(), metric.clone());
                if !metrics.contains(&k) {
                    metrics.push(k);
                }
                targets.push((
                    fund.clone(),
                    metric.clone(),
                    TargetMark {
                        years: ind.years,
                        condition: ind.condition.clone(),
                    },
                ));
            }
        }
        let fans = fund_fans(
            &metrics,
            &e.actuals,
            &e.previous_rows,
            Some(&e.rebased_rows),
            &targets,
        );
        let extra = match a.lang {
            LangArg::Zh => format!(
                "实际数 {}（截至 {as_of} 年）· 规划文件 {}",
                actuals.file, ev.plan
            ),
            LangArg::En => format!(
                "actual figures {} (to {as_of}) · plan file {}",
                actuals.file, ev.plan
            ),
        };
        let lab = labels(&m, a.lang, paths, seed, extra, Some(e.plan.period));
        let mut charts = crate::chart::evaluation::fan_charts(
            &fans,
            base,
            Some(e.rebase.year),
            &lab,
            "evaluation",
            &set.staged("charts"),
        )
        .map_err(|err| anyhow::anyhow!("drawing charts: {err}"))?;
        let bars: Vec<IndicatorBar> = e
            .plan
            .indicators
            .iter()
            .zip(&e.verdicts)
            .map(|(ind, v)| IndicatorBar {
                name: if en {
                    ind.name_en.clone()
                } else {
                    ind.name.clone()
                },
                target: match &ind.measure {
                    Measure::Metric { metric, .. } => {
                        target_text(metric, &ind.condition, ind.years, lang)
                    }
                    Measure::Input(_) => report::threshold_text(ind, en),
                },
                probability: v.probability.map(|p| p.0),
                previous: v.probability_previous.map(|p| p.0),
                status: v.status,
                input_meets: v.input.map(|i| i.1),
            })
            .collect();
        charts.extend(
            crate::chart::evaluation::indicator_chart(
                &bars,
                e.plan.thresholds,
                &lab,
                &if en {
                    e.plan.name_en.clone()
                } else {
                    e.plan.name.clone()
                },
                (base, e.rebase.year),
                &set.staged("charts"),
            )
            .map_err(|err| anyhow::anyhow!("drawing charts: {err}"))?,
        );
        contents.push(("charts/evaluation_<fund>.{png,svg}".into(), format!("per fund: the {base}-based fan (grey) beside the fan re-based at {} (blue), actual figures marked", e.rebase.year)));
        contents.push((
            "charts/indicators.{png,svg}".into(),
            "each indicator's probability of being met, with the status thresholds".into(),
        ));
        set.record(&charts);
    }
    let mut tool = ToolManifest::new("evaluate", &[&m], &a.run, paths, seed);
    tool.inputs.push(actuals.input.clone());
    tool.inputs.push(e.plan.input.clone());
    contents.push((
        "manifest.json".into(),
        "this file: how to reproduce the folder".into(),
    ));
    let mut man = EvaluationManifest {
        tool,
        model: "MODEL.md §13".into(),
        as_of,
        rebased: Some(serde_json::json!({
            "year": e.rebase.year,
            "scenario": e.rebase.id,
            "file": rel,
            "factors": { "employee_share": e.rebase.factors[0], "coverage": e.rebase.factors[1] },
            "caveats": e.rebase.caveats,
            "thresholds": { "on_track": e.plan.thresholds.on_track, "at_risk": e.plan.thresholds.at_risk },
        })),
        lang: format!("{:?}", a.lang).to_lowercase(),
        contents,
    };
    if !ev.no_xlsx {
        man.contents.push((
            "evaluation.xlsx".into(),
            "workbook: indicators, back-test, re-basing, the re-based projection per fund, its parameters".into(),
        ));
    }
    // For the report and the workbook: names, warning lines and the re-based parameters.
    let resolved = crate::report::resolved_json(&m2);
    let mut mj = serde_json::to_value(&man).expect("manifest serialises");
    mj["region"] = serde_json::json!({ "name": s.name, "name_en": s.name_en });
    mj["plan"] = serde_json::json!({
        "id": e.plan.id, "name": e.plan.name, "name_en": e.plan.name_en, "period": [e.plan.period.0, e.plan.period.1],
        "indicators": e.plan.indicators.iter().map(|ind| serde_json::json!({
            "id": ind.id,
            "target_zh": report::threshold_text(ind, false),
            "target_en": report::threshold_text(ind, true),
        })).collect::<Vec<_>>(),
    });
    mj["warning"] = resolved["scenario"]["warning"].clone();
    mj["parameters"] = resolved["per_year"].clone();
    set.write(
        "manifest.json",
        &serde_json::to_vec_pretty(&mj).expect("manifest serialises"),
    )?;
    if !ev.no_xlsx {
        let book = crate::document::xlsx::evaluation_workbook(&csv, Some(&e.rebased_rows), &mj)
            .map_err(anyhow::Error::msg)?;
        set.write("evaluation.xlsx", &book)?;
    }
    let files = set.commit()?;
    text.push_str(&wrote_set(&dir, files));
    Ok(text)
}
