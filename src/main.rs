//! `fundsim`: the command line over the library (see README.md). Each subcommand's flags
//! and work live in [`fundsim::commands`]; this file only parses and dispatches.

use clap::{Parser, Subcommand};
use fundsim::commands::{
    self, backtest, check, compare, evaluate, rebase, report, run, sensitivity, show, solve, sweep,
};
use std::io::Write;
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
    Run(run::RunArgs),
    /// Re-render the charts of a saved run from its summary.csv and manifest.json.
    Chart(run::ChartArgs),
    /// Print the resolved scenario: every parameter per year with its source.
    Show(show::ShowArgs),
    /// Validate scenario files only.
    Check(check::CheckArgs),
    /// Compare option files side by side on common random numbers (MODEL.md §11).
    Compare(compare::CompareArgs),
    /// Sweep one or two parameters and chart a measure (line or heatmap) (MODEL.md §11).
    Sweep(sweep::SweepArgs),
    /// Smallest (or largest) parameter value meeting a target, by bisection (MODEL.md §11).
    Solve(solve::SolveArgs),
    /// Tornado of each driver's and policy parameter's effect (MODEL.md §11).
    Sensitivity(sensitivity::SensitivityArgs),
    /// Rank actual figures among the base-year projection's paths (MODEL.md §13).
    Backtest(backtest::BacktestArgs),
    /// Write a scenario re-based at a later year's actual figures (MODEL.md §13).
    Rebase(rebase::RebaseArgs),
    /// Mid-term evaluation: back-test, re-based projection, plan indicator statuses (MODEL.md §13).
    Evaluate(evaluate::EvaluateArgs),
    /// Report of a run, compare or evaluate folder: A4 HTML, and PDF (--pdf) and Word (--docx).
    Report(report::ReportArgs),
}

fn dispatch(c: &Command) -> commands::Result<String> {
    match c {
        Command::Run(a) => run::run(a),
        Command::Chart(a) => run::chart(a),
        Command::Show(a) => show::show(a),
        Command::Check(a) => check::check(a),
        Command::Compare(a) => compare::compare(a),
        Command::Sweep(a) => sweep::sweep(a),
        Command::Solve(a) => solve::solve(a),
        Command::Sensitivity(a) => sensitivity::sensitivity(a),
        Command::Backtest(a) => backtest::backtest(a),
        Command::Rebase(a) => rebase::rebase(a),
        Command::Evaluate(a) => evaluate::evaluate(a),
        Command::Report(a) => report::report(a),
    }
}

/// Write to stdout; a closed pipe (`fundsim run | head`) is not an error.
fn emit(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e),
        _ => Ok(()),
    }
}

/// An error as one line: the message's lines joined, control characters escaped.
fn one_line(text: &str) -> String {
    let joined = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::with_capacity(joined.len());
    for c in joined.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go to stdout as clap writes them.
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            // A usage error: its first paragraph, on one line (exit status 2).
            let text = e.to_string();
            let first = text.split("\n\n").next().unwrap_or(&text);
            eprintln!(
                "{}; see `fundsim --help`",
                one_line(first).trim_end_matches('.')
            );
            return ExitCode::from(2);
        }
    };
    match dispatch(&cli.command).and_then(|text| Ok(emit(&text)?)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", one_line(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}
