//! One run end to end: deterministic path, Monte Carlo paths, summaries, and the outputs
//! with their manifest (MODEL.md §10). The CLI is a thin layer over this.

use crate::engine::{self, Paths};
use crate::export::{self, ExportError, TidyRow};
use crate::report;
use crate::resolve::Model;
use crate::summary;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Only the deterministic central path.
    pub deterministic_only: bool,
    /// Monte Carlo paths.
    pub paths: usize,
    /// Seed.
    pub seed: u64,
    /// Worker threads (`None`: rayon's default, one per core).
    pub threads: Option<usize>,
    /// Show a progress bar on stderr (hidden anyway when stderr is not a terminal).
    pub progress: bool,
}

/// The result of a run.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Tidy rows: the deterministic path (`stat = value`), then Monte Carlo rows if any.
    pub rows: Vec<TidyRow>,
    /// Manifest.
    pub manifest: Manifest,
}

/// How to reproduce an output (MODEL.md §10): version, resolved scenario, seed, paths,
/// threads, wall time, input file hashes.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// fundsim version.
    pub fundsim_version: String,
    /// Model specification version.
    pub model: String,
    /// Scenario id.
    pub scenario: String,
    /// Scenario file as given.
    pub scenario_file: String,
    /// `--set` overrides.
    pub overrides: Vec<String>,
    /// Deterministic only?
    pub deterministic_only: bool,
    /// Seed (Monte Carlo runs).
    pub seed: Option<u64>,
    /// Paths (Monte Carlo runs).
    pub paths: Option<usize>,
    /// Worker threads used.
    pub threads: usize,
    /// Wall time of the simulation and summaries, seconds.
    pub wall_seconds: f64,
    /// UTC date of the run (YYYY-MM-DD), printed in chart footnotes.
    pub date: String,
    /// Persons clipped at 0 on the deterministic path, and the mean over Monte Carlo paths.
    pub clipped_persons: ClippedReport,
    /// Input files with SHA-256.
    pub inputs: Vec<crate::scenario::source::InputFile>,
    /// Command that reproduces the run.
    pub reproduce: String,
    /// Warnings about the inputs (unused keys, likely unit slips), as printed.
    pub warnings: Vec<String>,
    /// Row count and SHA-256 of `summary.csv` as written, so `fundsim chart` can tell a
    /// truncated or edited file (set when the output files are made).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary_csv: Option<FileDigest>,
    /// The resolved inputs (as `fundsim show --json`).
    pub resolved: serde_json::Value,
    /// The region's figures in `seeds/targets.toml` (published base-year figures and plan
    /// indicators, matched by `region.name_en`), so that `fundsim chart` can draw them from
    /// the output folder alone.
    pub targets: Vec<crate::targets::Target>,
}

/// Row count and SHA-256 of an output file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FileDigest {
    /// Data rows (the header not counted).
    pub rows: usize,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
}

impl FileDigest {
    /// The digest of `bytes` holding `rows` data rows.
    pub fn of(bytes: &[u8], rows: usize) -> Self {
        use sha2::Digest;
        FileDigest {
            rows,
            sha256: sha2::Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        }
    }
}

/// Persons clipped at 0 after migration (MODEL.md §3).
#[derive(Debug, Clone, Serialize)]
pub struct ClippedReport {
    /// On the deterministic path, all years.
    pub deterministic: f64,
    /// Mean per Monte Carlo path, all years.
    pub monte_carlo_mean: Option<f64>,
}

/// Run a model. Refuses (one line) a path value that no output may carry, naming the path,
/// year, fund and quantity ([`engine::Fault`]), and any summary row that is not a finite
/// number; and a thread pool that cannot be started.
pub fn run(m: &Model, scenario_file: &str, o: &RunOptions) -> Result<RunResult, String> {
    let start = Instant::now();
    let (det, det_clipped) = engine::deterministic(m);
    let det = Paths::single(det, det_clipped);
    det.check().map_err(|f| f.message(m.base_year, None))?;
    let mut rows = summary::summarize(m, &det);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(o.threads.unwrap_or(0))
        .build()
        .map_err(|e| {
            format!(
                "--threads {}: cannot start the worker threads ({e}); expected fewer threads",
                o.threads.unwrap_or(0)
            )
        })?;
    let threads = pool.current_num_threads();
    let mut mc_clipped = None;
    if !o.deterministic_only {
        let bar = indicatif::ProgressBar::new(o.paths as u64);
        if !o.progress {
            bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} paths {elapsed}")
                .expect("valid template"),
        );
        let paths = pool.install(|| engine::simulate(m, o.seed, 0, o.paths, &|n| bar.inc(n)));
        bar.finish_and_clear();
        paths
            .check()
            .map_err(|f| f.message(m.base_year, Some(o.seed)))?;
        mc_clipped = Some(paths.clipped / o.paths as f64);
        rows.extend(pool.install(|| summary::summarize(m, &paths)));
    }
    summary::check_finite(&rows)?;
    let s = &m.scenario;
    let mut reproduce = format!("fundsim run {scenario_file}");
    if o.deterministic_only {
        reproduce.push_str(" --deterministic");
    } else {
        reproduce.push_str(&format!(" --paths {} --seed {}", o.paths, o.seed));
    }
    for set in &s.overrides {
        reproduce.push_str(&format!(" --set '{set}'"));
    }
    let manifest = Manifest {
        fundsim_version: env!("CARGO_PKG_VERSION").into(),
        model: "MODEL.md v1".into(),
        scenario: s.region.id.clone(),
        scenario_file: scenario_file.into(),
        overrides: s.overrides.clone(),
        deterministic_only: o.deterministic_only,
        seed: (!o.deterministic_only).then_some(o.seed),
        paths: (!o.deterministic_only).then_some(o.paths),
        threads,
        wall_seconds: start.elapsed().as_secs_f64(),
        date: today_utc(),
        clipped_persons: ClippedReport {
            deterministic: det_clipped,
            monte_carlo_mean: mc_clipped,
        },
        inputs: s.inputs.clone(),
        reproduce,
        warnings: s.warnings.clone(),
        summary_csv: None,
        resolved: report::resolved_json(m),
        targets: crate::targets::for_region(&s.region.name_en),
    };
    Ok(RunResult { rows, manifest })
}

/// Today's UTC date as YYYY-MM-DD (civil-from-days, no time-zone database needed).
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Chart metadata of a run, from its manifest (so `fundsim chart` re-renders the same
/// images from a saved output folder). Fields added since a manifest was written (targets)
/// are optional: an older manifest gives charts without the published points.
pub fn chart_meta(
    manifest: &serde_json::Value,
    lang: crate::chart::Lang,
) -> Option<crate::chart::ChartMeta> {
    let res = manifest.get("resolved")?;
    let sc = res.get("scenario")?;
    let w = sc.get("warning")?;
    let lines: Vec<f64> = w["tiers"]["lines"]
        .as_array()?
        .iter()
        .filter_map(serde_json::Value::as_f64)
        .collect();
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let base = |fund: &str| crate::chart::BaseInput {
        balance: res["per_year"][format!("{fund}.base_balance")]["values"][0].as_f64(),
        balance_source: text(&sc[fund]["base_balance"]["source"]),
        spending: res["derived"][format!("base_spending_{fund}")].as_f64(),
        spending_source: text(&sc[fund]["base_spending"]["source"]),
    };
    let reforms = ["employee", "resident"]
        .iter()
        .enumerate()
        .flat_map(|(f, fund)| {
            sc[*fund]["reforms"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(move |r| {
                    Some(crate::chart::Reform {
                        fund: f,
                        start: i32::try_from(r["start"].as_i64()?).ok()?,
                        name: r["name"].as_str()?.to_string(),
                    })
                })
        })
        .collect();
    let targets = manifest
        .get("targets")
        .and_then(|t| serde_json::from_value(t.clone()).ok())
        .unwrap_or_default();
    Some(crate::chart::ChartMeta {
        scenario: manifest["scenario"].as_str()?.to_string(),
        title: sc["region"][match lang {
            crate::chart::Lang::Zh => "name",
            crate::chart::Lang::En => "name_en",
        }]
        .as_str()
        .map(str::to_string),
        seed: manifest["seed"].as_u64(),
        paths: manifest["paths"].as_u64().map(|p| p as usize),
        version: manifest["fundsim_version"].as_str()?.to_string(),
        date: manifest["date"].as_str()?.to_string(),
        tiers: crate::warning::TierTable {
            lines: lines.try_into().ok()?,
            source: w["tiers"]["source"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        },
        growth_line: w["growth_line"].as_f64()?,
        warning_quantile: w["confidence"].as_f64()?,
        base: [base("employee"), base("resident")],
        reforms,
        targets,
    })
}

/// Render every chart of a run into `dir/charts/` (MODEL.md §8, issue: tiered warning
/// charts). Returns the files and any warnings (e.g. a name the font cannot draw).
pub fn write_charts(
    dir: &Path,
    r: &RunResult,
    lang: crate::chart::Lang,
) -> Result<crate::chart::RenderOutput, crate::chart::ChartError> {
    let manifest = serde_json::to_value(&r.manifest).expect("manifest serialises");
    let meta = chart_meta(&manifest, lang).expect("a run's own manifest has every field");
    crate::chart::render_all(&r.rows, &meta, lang, &dir.join("charts"))
}

/// The files of a run's output set (MODEL.md §10): `summary.csv`, `summary.parquet` and
/// `manifest.json`, as (name, bytes).
pub fn output_files(r: &RunResult) -> Result<Vec<(&'static str, Vec<u8>)>, ExportError> {
    let pq = export::to_parquet(&r.rows).map_err(|message| ExportError::Format {
        path: PathBuf::from("summary.parquet"),
        message,
    })?;
    let csv = export::to_csv(&r.rows);
    let mut manifest = r.manifest.clone();
    manifest.summary_csv = Some(FileDigest::of(&csv, r.rows.len()));
    let man = serde_json::to_vec_pretty(&manifest).expect("manifest serialises");
    Ok(vec![
        ("summary.csv", csv),
        ("summary.parquet", pq),
        ("manifest.json", man),
    ])
}
