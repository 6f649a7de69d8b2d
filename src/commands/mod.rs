//! The commands behind the `fundsim` binary: each subcommand's flags and its orchestration
//! (load → compute → write → render) in one file, above the model. The computing modules
//! ([`crate::engine`], [`crate::summary`], [`crate::decision`], …) return data; only this
//! layer writes files, draws charts and formats what the terminal shows.
//!
//! Every command returns the text to print on stdout, or one error (exit status 2 in the
//! binary). Output folders are written as one set through [`output::OutputSet`].

pub mod backtest;
pub mod check;
pub mod compare;
pub mod evaluate;
pub mod output;
pub mod rebase;
pub mod report;
pub mod run;
pub mod sensitivity;
pub mod show;
pub mod solve;
pub mod sweep;

use crate::resolve::Model;
use crate::scenario::{self, source};
use std::path::{Path, PathBuf};

pub use anyhow::{Result, bail};

/// Chart and table language (`--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LangArg {
    /// Chinese titles and labels.
    #[default]
    Zh,
    /// English titles and labels.
    En,
}

impl From<LangArg> for crate::chart::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Zh => crate::chart::Lang::Zh,
            LangArg::En => crate::chart::Lang::En,
        }
    }
}

/// Load a scenario (a file or an embedded id; none = the default) with `--set` overrides
/// and resolve it; its warnings go to stderr. Returns the name it was loaded under and the
/// model.
pub fn load(arg: Option<&str>, set: &[String]) -> Result<(String, Model)> {
    let name = source::scenario_name(arg);
    let s = scenario::load(&name, set).map_err(anyhow::Error::msg)?;
    let m = Model::new(&s).map_err(anyhow::Error::msg)?;
    print_warnings(&m, "");
    Ok((name, m))
}

/// Print a model's input warnings on stderr, each line prefixed with `label`.
pub fn print_warnings(m: &Model, label: &str) {
    for w in &m.scenario.warnings {
        eprintln!("warning: {label}{w}");
    }
}

/// Paths of a Monte Carlo simulation: `flag` (`--paths`), else the scenario's
/// `simulation.paths`. At least 2: with one path there is no sd or quantile, and its rows
/// would read like the deterministic path's (stat `value`).
pub fn mc_paths(flag: Option<usize>, m: &Model) -> Result<usize> {
    let paths = flag.unwrap_or(m.scenario.simulation.paths);
    if paths < 2 {
        match flag {
            Some(p) => bail!(
                "--paths {p}: expected at least 2 paths (a Monte Carlo summary needs two for sd and quantiles); the central path alone is `fundsim run --deterministic`"
            ),
            None => bail!(
                "simulation.paths = {paths} in the scenario: expected at least 2 paths for a Monte Carlo run; give --paths N, or run --deterministic"
            ),
        }
    }
    Ok(paths)
}

/// Most worker threads accepted: far above the core count (results do not depend on it),
/// low enough that starting them takes no noticeable time.
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (8 * cores).max(64)
}

/// Bytes of per-path records a simulation of `years` years keeps (MODEL.md §10: one
/// record per path and year, kept for the summaries).
pub fn record_bytes(years: usize) -> usize {
    years * std::mem::size_of::<crate::engine::YearRecord>()
}

/// Bytes per path the summaries of `years` years hold besides the records, with `threads`
/// years summarised at once: first depletion years (3 words), and per year summarised the
/// gathered columns (18 values) and one working column per fund (4 values).
pub fn summary_bytes(threads: usize) -> usize {
    3 * 8 + threads * (18 + 4) * 8
}

/// Refuse a Monte Carlo simulation that would not fit in the memory available:
/// `per_path` bytes held for each of `paths` paths (see [`record_bytes`],
/// [`summary_bytes`], and each decision tool's own per-path data).
pub fn check_memory(paths: usize, per_path: usize) -> Result<()> {
    let per_path = per_path as f64;
    let need = paths as f64 * per_path;
    let avail = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemAvailable:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kib| kib * 1024.0);
    if let Some(avail) = avail
        && need > 0.8 * avail
    {
        bail!(
            "--paths {paths}: the simulation would keep {:.1} GiB of per-path results but only {:.1} GiB of memory is available; expected fewer paths (about {} fit)",
            need / 2f64.powi(30),
            avail / 2f64.powi(30),
            (0.8 * avail / per_path) as u64
        );
    }
    Ok(())
}

/// `wrote PATH` lines for the terminal.
pub fn wrote(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|f| format!("wrote {}\n", f.display()))
        .collect()
}

/// The default output folder `out/<name>`.
pub fn default_out(name: &str) -> PathBuf {
    Path::new("out").join(name)
}

/// Options shared by the decision commands (`compare`, `sweep`, `solve`, `sensitivity`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DecisionArgs {
    /// Monte Carlo paths (default: the scenario's simulation.paths).
    #[arg(long)]
    pub paths: Option<usize>,
    /// Seed (default: the scenario's simulation.seed); the same for every option.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output folder.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override a scenario key in every run (repeatable, applied before the tool's own).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

impl DecisionArgs {
    /// Paths and seed: the flags, else the scenario's `simulation` values. Refuses fewer
    /// than 2 paths ([`mc_paths`]) and a simulation that would not fit in memory: one
    /// simulation's records at a time, plus `extra` bytes per path that the tool keeps.
    pub fn paths_seed(&self, m: &Model, extra: usize) -> Result<(usize, u64)> {
        let paths = mc_paths(self.paths, m)?;
        check_memory(paths, record_bytes(m.years) + extra)?;
        Ok((paths, self.seed.unwrap_or(m.scenario.simulation.seed)))
    }

    /// The output folder: `--out`, else `out/<default>`.
    pub fn out_dir(&self, default: &str) -> PathBuf {
        self.out.clone().unwrap_or_else(|| default_out(default))
    }
}

/// The command line that produced an output, for its manifest (`fundsim` and the
/// arguments, each quoted for a POSIX shell where needed).
pub fn command_line() -> String {
    let mut out = String::from("fundsim");
    for a in std::env::args().skip(1) {
        out.push(' ');
        if !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
        {
            out.push_str(&a);
        } else {
            out.push('\'');
            out.push_str(&a.replace('\'', r"'\''"));
            out.push('\'');
        }
    }
    out
}

/// The manifest of a decision tool's output folder: how to reproduce it, and what it read.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ToolManifest {
    /// fundsim version.
    pub fundsim_version: String,
    /// The subcommand.
    pub command: String,
    /// Scenario ids, in order.
    pub scenarios: Vec<String>,
    /// Seed shared by every run.
    pub seed: u64,
    /// Paths per run.
    pub paths: usize,
    /// `--set` overrides applied to every run.
    pub overrides: Vec<String>,
    /// UTC date (YYYY-MM-DD).
    pub date: String,
    /// Input files with SHA-256 (every scenario's chain and data).
    pub inputs: Vec<crate::scenario::source::InputFile>,
    /// The command line that wrote the folder.
    pub reproduce: String,
    /// The scenarios' input warnings (also printed on stderr), each once.
    pub warnings: Vec<String>,
}

impl ToolManifest {
    /// The manifest of `command` over `models`.
    pub fn new(
        command: &str,
        models: &[&Model],
        a: &DecisionArgs,
        paths: usize,
        seed: u64,
    ) -> Self {
        let mut inputs: Vec<crate::scenario::source::InputFile> = Vec::new();
        for m in models {
            for i in &m.scenario.inputs {
                if !inputs.iter().any(|x| x.name == i.name) {
                    inputs.push(i.clone());
                }
            }
        }
        ToolManifest {
            fundsim_version: env!("CARGO_PKG_VERSION").into(),
            command: command.into(),
            scenarios: models
                .iter()
                .map(|m| m.scenario.region.id.clone())
                .collect(),
            seed,
            paths,
            overrides: a.set.clone(),
            date: crate::run::today_utc(),
            inputs,
            reproduce: command_line(),
            warnings: models.iter().flat_map(|m| &m.scenario.warnings).fold(
                Vec::new(),
                |mut v, w| {
                    if !v.contains(w) {
                        v.push(w.clone());
                    }
                    v
                },
            ),
        }
    }

    /// As pretty JSON bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).expect("manifest serialises")
    }
}
