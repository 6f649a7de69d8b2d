//! `fundsim`: the command line over the library (see README.md).

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use fundsim::resolve::Model;
use fundsim::scenario::{self, source};
use fundsim::{report, run};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "fundsim",
    version,
    about = "Actuarial fund-sustainability simulator for China's basic medical insurance pooled funds (职工医保统筹基金, 城乡居民医保基金)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Project a scenario: per-year table in the terminal, summary.csv and manifest.json on disk.
    Run {
        /// Scenario file, or the id of an embedded scenario (default: zhejiang-2020).
        scenario: Option<String>,
        /// Only the deterministic central path (every shock 0, no epidemic).
        #[arg(long)]
        deterministic: bool,
        /// Monte Carlo paths (default: the scenario's simulation.paths).
        #[arg(long)]
        paths: Option<usize>,
        /// Seed (default: the scenario's simulation.seed).
        #[arg(long)]
        seed: Option<u64>,
        /// Worker threads (default: one per core). Results do not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// Output folder (default: out/<scenario id>/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Override a scenario key, e.g. --set employee.employer_rate=0.075 (repeatable, applied last).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// Skip the charts.
        #[arg(long)]
        no_charts: bool,
        /// Chart language.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// Re-render the charts of a saved run from its summary.csv and manifest.json.
    Chart {
        /// Output folder of a run (holds summary.csv and manifest.json).
        dir: PathBuf,
        /// Chart language.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// Print the resolved scenario: every parameter per year with its source.
    Show {
        /// Scenario file or embedded id (default: zhejiang-2020).
        scenario: Option<String>,
        /// The complete resolved inputs as JSON (every per-age array and per-year value).
        #[arg(long)]
        json: bool,
        /// Override a scenario key (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Validate scenario files only.
    Check {
        /// Scenario files.
        #[arg(required = true)]
        scenarios: Vec<String>,
    },
    /// Compare option files side by side on common random numbers (MODEL.md §11).
    Compare {
        /// Scenario or option files; the first is the reference for differences.
        #[arg(required = true)]
        scenarios: Vec<String>,
        #[command(flatten)]
        run: DecisionArgs,
        /// Years shown in the table, e.g. 2025,2030,2035 (default: every 5 years and the horizon).
        #[arg(long)]
        years: Option<String>,
    },
    /// Sweep one or two parameters and chart a measure (line or heatmap) (MODEL.md §11).
    Sweep {
        /// Scenario file or embedded id.
        scenario: Option<String>,
        /// KEY=LO:HI:STEP, e.g. employee.employer_rate=0.06:0.10:0.005 (once or twice).
        #[arg(long = "param", required = true)]
        params: Vec<String>,
        /// Measure in the target language, e.g. "P(months >= 6 for resident in every year 2021-2030)".
        #[arg(long)]
        measure: String,
        #[command(flatten)]
        run: DecisionArgs,
    },
    /// Smallest (or largest) parameter value meeting a target, by bisection (MODEL.md §11).
    Solve {
        /// Scenario file or embedded id.
        scenario: Option<String>,
        /// Key path of the parameter, e.g. resident.subsidy.after.growth.
        #[arg(long = "param")]
        param: String,
        /// LO:HI range searched.
        #[arg(long)]
        range: String,
        /// Target, e.g. "P(months >= 6 for resident in every year 2021-2030) >= 0.9".
        #[arg(long)]
        target: String,
        /// Largest value instead of the smallest.
        #[arg(long)]
        max: bool,
        /// Stop when the bracket is this narrow (default (HI - LO)/1000).
        #[arg(long)]
        tol: Option<f64>,
        #[command(flatten)]
        run: DecisionArgs,
    },
    /// Tornado of each driver's and policy parameter's effect (MODEL.md §11).
    Sensitivity {
        /// Scenario file or embedded id.
        scenario: Option<String>,
        #[command(flatten)]
        run: DecisionArgs,
    },
}

/// Options shared by the decision subcommands.
#[derive(clap::Args)]
struct DecisionArgs {
    /// Monte Carlo paths (default: the scenario's simulation.paths).
    #[arg(long)]
    paths: Option<usize>,
    /// Seed (default: the scenario's simulation.seed); the same for every option.
    #[arg(long)]
    seed: Option<u64>,
    /// Output folder.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Override a scenario key in every run (repeatable, applied before the tool's own).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
}

impl From<DecisionArgs> for fundsim::decision::cli::RunArgs {
    fn from(a: DecisionArgs) -> Self {
        fundsim::decision::cli::RunArgs {
            paths: a.paths,
            seed: a.seed,
            out: a.out,
            set: a.set,
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    /// Chinese titles and labels.
    Zh,
    /// English titles and labels.
    En,
}

impl From<LangArg> for fundsim::chart::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Zh => fundsim::chart::Lang::Zh,
            LangArg::En => fundsim::chart::Lang::En,
        }
    }
}

fn load(arg: Option<&str>, set: &[String]) -> Result<(String, Model)> {
    let name = source::scenario_name(arg);
    let s = scenario::load(&name, set).map_err(anyhow::Error::msg)?;
    let m = Model::new(&s).map_err(anyhow::Error::msg)?;
    Ok((name, m))
}

/// Write to stdout; a closed pipe (`fundsim run | head`) is not an error.
fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Refuse a Monte Carlo run whose per-path records would not fit in the memory available
/// (16 numbers per path and year are kept for the summaries, MODEL.md §10).
fn check_memory(paths: usize, years: i32) -> Result<()> {
    let need =
        paths as f64 * f64::from(years) * std::mem::size_of::<fundsim::engine::YearRecord>() as f64;
    let avail = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemAvailable:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kib| kib * 1024.0);
    if let Some(avail) = avail {
        if need > 0.8 * avail {
            bail!(
                "--paths {paths}: the run would keep {:.1} GiB of per-path results but only {:.1} GiB of memory is available; expected fewer paths (about {} fit)",
                need / 2f64.powi(30),
                avail / 2f64.powi(30),
                (0.8 * avail / (need / paths as f64)) as u64
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match real_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn real_main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            scenario,
            deterministic,
            paths,
            seed,
            threads,
            out,
            set,
            no_charts,
            lang,
        } => {
            let (name, m) = load(scenario.as_deref(), &set)?;
            let s = &m.scenario;
            if paths == Some(0) {
                bail!("--paths 0: expected at least 1 path");
            }
            if threads == Some(0) {
                bail!("--threads 0: expected at least 1 thread");
            }
            let paths_n = paths.unwrap_or(s.simulation.paths);
            if !deterministic {
                check_memory(paths_n, s.region.horizon - s.region.base_year + 1)?;
            }
            let opts = run::RunOptions {
                deterministic_only: deterministic,
                paths: paths_n,
                seed: seed.unwrap_or(s.simulation.seed),
                threads,
                progress: std::io::stderr().is_terminal(),
            };
            let r = run::run(&m, &name, &opts);
            let dir = out.unwrap_or_else(|| PathBuf::from("out").join(&s.region.id));
            let years: Vec<i32> = (s.region.base_year..=s.region.horizon).collect();
            let mut text = format!(
                "{} {} — {} ({}), {}–{}\n",
                s.region.name,
                s.region.name_en,
                if deterministic {
                    "deterministic central path"
                } else {
                    "Monte Carlo"
                },
                s.region.id,
                s.region.base_year,
                s.region.horizon
            );
            if deterministic {
                text.push_str(&report::deterministic_table(&r.rows, &years));
            } else {
                text.push_str(&format!(
                    "{} paths, seed {}, {} threads, {:.2} s; months of reserve (累计结余可支付月数):\n",
                    opts.paths, opts.seed, r.manifest.threads, r.manifest.wall_seconds
                ));
                let level = fundsim::summary::level_stat(s.warning.confidence, opts.paths.max(2));
                text.push_str(&report::monte_carlo_table(&r.rows, &years, &level));
            }
            let written =
                run::write(&dir, &r).with_context(|| format!("writing {}", dir.display()))?;
            for p in written {
                text.push_str(&format!("wrote {}\n", p.display()));
            }
            if !no_charts {
                let charts = run::write_charts(&dir, &r, lang.into()).with_context(|| {
                    format!("drawing charts into {}", dir.join("charts").display())
                })?;
                for w in &charts.warnings {
                    eprintln!("warning: {w}");
                }
                text.push_str(&format!(
                    "wrote {} charts (PNG and SVG) in {}\n",
                    charts.files.len(),
                    dir.join("charts").display()
                ));
            }
            emit(&text)
        }
        Command::Chart { dir, lang } => {
            let rows = fundsim::export::read_csv(&dir.join("summary.csv"))?;
            let man_path = dir.join("manifest.json");
            let text = std::fs::read_to_string(&man_path)
                .with_context(|| format!("reading {}", man_path.display()))?;
            let manifest: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("{}: not a fundsim manifest", man_path.display()))?;
            let meta = run::chart_meta(&manifest, lang.into()).with_context(|| {
                format!(
                    "{}: a field the charts need is missing (scenario, fundsim_version, date, resolved.scenario.warning)",
                    man_path.display()
                )
            })?;
            let out = fundsim::chart::render_all(&rows, &meta, lang.into(), &dir.join("charts"))?;
            for w in &out.warnings {
                eprintln!("warning: {w}");
            }
            emit(&format!(
                "wrote {} charts (PNG and SVG) in {}\n",
                out.files.len(),
                dir.join("charts").display()
            ))
        }
        Command::Show {
            scenario,
            json,
            set,
        } => {
            let (_, m) = load(scenario.as_deref(), &set)?;
            if json {
                emit(&(serde_json::to_string_pretty(&report::resolved_json(&m))? + "\n"))
            } else {
                emit(&report::show_text(&m))
            }
        }
        Command::Check { scenarios } => {
            let mut failed = 0;
            for sc in &scenarios {
                match load(Some(sc), &[]) {
                    Ok((_, m)) => println!(
                        "ok: {sc} ({}, {}–{})",
                        m.scenario.region.id,
                        m.scenario.region.base_year,
                        m.scenario.region.horizon
                    ),
                    Err(e) => {
                        eprintln!("error: {e:#}");
                        failed += 1;
                    }
                }
            }
            if failed > 0 {
                bail!(
                    "{failed} of {} scenario files failed validation",
                    scenarios.len()
                );
            }
            Ok(())
        }
        Command::Compare {
            scenarios,
            run,
            years,
        } => decision_out(fundsim::decision::cli::compare(
            &scenarios,
            years.as_deref(),
            &run.into(),
        )),
        Command::Sweep {
            scenario,
            params,
            measure,
            run,
        } => decision_out(fundsim::decision::cli::sweep(
            scenario.as_deref(),
            &params,
            &measure,
            &run.into(),
        )),
        Command::Solve {
            scenario,
            param,
            range,
            target,
            max,
            tol,
            run,
        } => decision_out(fundsim::decision::cli::solve(
            scenario.as_deref(),
            &param,
            &range,
            &target,
            max,
            tol,
            &run.into(),
        )),
        Command::Sensitivity { scenario, run } => decision_out(
            fundsim::decision::cli::sensitivity(scenario.as_deref(), &run.into()),
        ),
    }
}

/// Print a decision tool's text, or turn its message into the error.
fn decision_out(r: std::result::Result<String, String>) -> Result<()> {
    emit(&r.map_err(anyhow::Error::msg)?)
}
