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
    /// Persons clipped at 0 on the deterministic path, and the mean over Monte Carlo paths.
    pub clipped_persons: ClippedReport,
    /// Input files with SHA-256.
    pub inputs: Vec<crate::scenario::source::InputFile>,
    /// Command that reproduces the run.
    pub reproduce: String,
    /// The resolved inputs (as `fundsim show --json`).
    pub resolved: serde_json::Value,
}

/// Persons clipped at 0 after migration (MODEL.md §3).
#[derive(Debug, Clone, Serialize)]
pub struct ClippedReport {
    /// On the deterministic path, all years.
    pub deterministic: f64,
    /// Mean per Monte Carlo path, all years.
    pub monte_carlo_mean: Option<f64>,
}

/// Run a model.
pub fn run(m: &Model, scenario_file: &str, o: &RunOptions) -> RunResult {
    let start = Instant::now();
    let (det, det_clipped) = engine::deterministic(m);
    let mut rows = summary::summarize(m, &Paths::single(det, det_clipped));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(o.threads.unwrap_or(0))
        .build()
        .expect("thread pool");
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
        mc_clipped = Some(paths.clipped / o.paths as f64);
        rows.extend(pool.install(|| summary::summarize(m, &paths)));
    }
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
        clipped_persons: ClippedReport {
            deterministic: det_clipped,
            monte_carlo_mean: mc_clipped,
        },
        inputs: s.inputs.clone(),
        reproduce,
        resolved: report::resolved_json(m),
    };
    RunResult { rows, manifest }
}

/// Write `summary.csv` and `manifest.json` into `dir` (each atomically). Returns the paths.
pub fn write(dir: &Path, r: &RunResult) -> Result<Vec<PathBuf>, ExportError> {
    let csv = dir.join("summary.csv");
    export::write_atomic(&csv, &export::to_csv(&r.rows))?;
    let man = dir.join("manifest.json");
    let text = serde_json::to_vec_pretty(&r.manifest).expect("manifest serialises");
    export::write_atomic(&man, &text)?;
    Ok(vec![csv, man])
}
