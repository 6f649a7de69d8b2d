//! `fundsim run` and `fundsim chart`: one projection end to end, and its charts re-rendered
//! from a saved output folder (MODEL.md §10–11 *Run*).

use super::output::{OutputLock, OutputSet, replace_subfolder};
use super::{
    LangArg, Result, bail, check_memory, default_out, load, max_threads, mc_paths, record_bytes,
    summary_bytes, wrote,
};
use crate::{report, run, summary};
use anyhow::Context;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Flags of `fundsim run`.
#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {
    /// Scenario file, or the id of an embedded scenario (default: zhejiang-2020).
    pub scenario: Option<String>,
    /// Only the deterministic central path (every shock 0, no epidemic).
    #[arg(long)]
    pub deterministic: bool,
    /// Monte Carlo paths (default: the scenario's simulation.paths).
    #[arg(long)]
    pub paths: Option<usize>,
    /// Seed (default: the scenario's simulation.seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output folder (default: out/<scenario id>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override a scenario key, e.g. --set employee.employer_rate=0.075 (repeatable, applied last).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Skip the Excel workbook summary.xlsx.
    #[arg(long)]
    pub no_xlsx: bool,
    /// Chart language.
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
}

/// `fundsim run`: simulate, print the table, write the output set (summary, manifest,
/// charts) into one folder.
pub fn run(a: &RunArgs) -> Result<String> {
    let (name, m) = load(a.scenario.as_deref(), &a.set)?;
    let s = &m.scenario;
    if let Some(t) = a.threads
        && !(1..=max_threads()).contains(&t)
    {
        bail!(
            "--threads {t}: expected 1 to {} worker threads (results do not depend on the number)",
            max_threads()
        );
    }
    let paths = if a.deterministic {
        a.paths.unwrap_or(s.simulation.paths)
    } else {
        let paths = mc_paths(a.paths, &m)?;
        let threads = a
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        check_memory(paths, record_bytes(m.years) + summary_bytes(threads))?;
        paths
    };
    let opts = run::RunOptions {
        deterministic_only: a.deterministic,
        paths,
        seed: a.seed.unwrap_or(s.simulation.seed),
        threads: a.threads,
        progress: std::io::stderr().is_terminal(),
    };
    let dir = a.out.clone().unwrap_or_else(|| default_out(&s.region.id));
    // Take the folder before simulating: a second run into it is refused at once.
    let mut set = OutputSet::begin(&dir)?;
    let r = run::run(&m, &name, &opts).map_err(anyhow::Error::msg)?;
    let years: Vec<i32> = (s.region.base_year..=s.region.horizon).collect();
    let mut text = format!(
        "{} {} — {} ({}), {}–{}\n",
        s.region.name,
        s.region.name_en,
        if a.deterministic {
            "deterministic central path"
        } else {
            "Monte Carlo"
        },
        s.region.id,
        s.region.base_year,
        s.region.horizon
    );
    if a.deterministic {
        text.push_str(&report::deterministic_table(&r.rows, &years));
    } else {
        text.push_str(&format!(
            "{} paths, seed {}, {} threads, {:.2} s; months of reserve (累计结余可支付月数):\n",
            opts.paths, opts.seed, r.manifest.threads, r.manifest.wall_seconds
        ));
        let level = summary::level_stat(s.warning.confidence, opts.paths.max(2));
        text.push_str(&report::monte_carlo_table(&r.rows, &years, &level));
    }
    for (rel, bytes) in run::output_files(&r)? {
        set.write(rel, &bytes)?;
    }
    if !a.no_xlsx {
        let manifest = serde_json::to_value(&r.manifest).expect("manifest serialises");
        let book =
            crate::document::xlsx::run_workbook(&r.rows, &manifest).map_err(anyhow::Error::msg)?;
        set.write("summary.xlsx", &book)?;
    }
    let mut warnings = Vec::new();
    let mut n_charts = 0;
    if !a.no_charts {
        let charts = run::write_charts(&set.staged(""), &r, a.lang.into())
            .with_context(|| format!("drawing charts into {}", dir.join("charts").display()))?;
        warnings = charts.warnings;
        n_charts = charts.files.len() / 2;
        set.record(&charts.files);
    }
    let files = set.commit()?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let (data, charts): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|f| !f.starts_with(dir.join("charts")));
    text.push_str(&wrote(&data));
    if !charts.is_empty() {
        text.push_str(&format!(
            "wrote {n_charts} charts ({} files, PNG and SVG) in {}\n",
            2 * n_charts,
            dir.join("charts").display()
        ));
    }
    Ok(text)
}

/// Flags of `fundsim chart`.
#[derive(Debug, Clone, clap::Args)]
pub struct ChartArgs {
    /// Output folder of a run (holds summary.csv and manifest.json).
    pub dir: PathBuf,
    /// Chart language.
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
}

/// `fundsim chart DIR`: re-render a run's charts from its saved summary and manifest,
/// after checking that `summary.csv` is the file the run wrote (row count and SHA-256
/// recorded in the manifest).
pub fn chart(a: &ChartArgs) -> Result<String> {
    let dir = &a.dir;
    let lock = OutputLock::acquire(dir)?;
    let read = |path: &std::path::Path| {
        std::fs::read(path).map_err(|e| {
            anyhow::anyhow!(
                "{}: cannot read: {e}; expected the output folder of `fundsim run` (it holds manifest.json and summary.csv)",
                path.display()
            )
        })
    };
    let man_path = dir.join("manifest.json");
    let manifest: serde_json::Value = serde_json::from_slice(&read(&man_path)?).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: not JSON ({e}); expected the manifest.json that `fundsim run` wrote",
            man_path.display(),
            e.line(),
            e.column()
        )
    })?;
    let csv_path = dir.join("summary.csv");
    let bytes = read(&csv_path)?;
    // Checked before parsing: a truncated file is named as such, not by its broken line.
    let lines = bytes
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        .saturating_sub(1);
    match manifest
        .get("summary_csv")
        .and_then(|d| serde_json::from_value::<run::FileDigest>(d.clone()).ok())
    {
        Some(want) => {
            let got = run::FileDigest::of(&bytes, lines);
            if got != want {
                bail!(
                    "{}: {} rows, SHA-256 {}…, but the run wrote {} rows, SHA-256 {}… (manifest.json): the file was truncated or edited; expected the run's own file (run it again to rewrite both)",
                    csv_path.display(),
                    got.rows,
                    &got.sha256[..12],
                    want.rows,
                    &want.sha256[..12.min(want.sha256.len())]
                );
            }
        }
        None => eprintln!(
            "warning: {}: no row count or SHA-256 of summary.csv (written by an older fundsim), so the file cannot be checked",
            man_path.display()
        ),
    }
    let rows = crate::export::parse_csv(&bytes, &csv_path)?;
    let meta = run::chart_meta(&manifest, a.lang.into()).with_context(|| {
        format!(
            "{}: a field the charts need is missing (scenario, fundsim_version, date, resolved.scenario.warning)",
            man_path.display()
        )
    })?;
    let mut out = None;
    replace_subfolder(&lock, "charts", |staging| {
        crate::chart::render_all(&rows, &meta, a.lang.into(), staging).map(|o| out = Some(o))
    })??;
    let out = out.expect("rendered");
    for w in &out.warnings {
        eprintln!("warning: {w}");
    }
    Ok(format!(
        "wrote {} charts ({} files, PNG and SVG) in {}\n",
        out.files.len() / 2,
        out.files.len(),
        dir.join("charts").display()
    ))
}
