//! The decision subcommands' work behind `src/main.rs` (MODEL.md §11): load, run, write
//! files and return the text to print. Errors are one readable message.

use super::compare::{self, OptionSpec};
use super::{sensitivity, solve, sweep, target};
use crate::export::write_atomic;
use crate::scenario::source;
use std::path::{Path, PathBuf};

/// Common run settings: `None` takes the first scenario's `simulation` values.
#[derive(Debug, Clone, Default)]
pub struct RunArgs {
    /// Paths.
    pub paths: Option<usize>,
    /// Seed.
    pub seed: Option<u64>,
    /// Output folder.
    pub out: Option<PathBuf>,
    /// `--set` overrides applied to every scenario.
    pub set: Vec<String>,
}

fn label_of(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_string())
}

fn write(path: &Path, text: &str, written: &mut Vec<PathBuf>) -> Result<(), String> {
    write_atomic(path, text.as_bytes()).map_err(|e| format!("writing {}: {e}", path.display()))?;
    written.push(path.to_path_buf());
    Ok(())
}

fn wrote(text: &mut String, files: &[PathBuf]) {
    for f in files {
        text.push_str(&format!("wrote {}\n", f.display()));
    }
}

fn parse_years(s: &str) -> Result<Vec<i32>, String> {
    s.split(',')
        .map(|y| {
            y.trim().parse::<i32>().map_err(|_| {
                format!("--years `{s}`: `{}` is not a year; expected years separated by commas, e.g. 2025,2030,2035", y.trim())
            })
        })
        .collect()
}

/// `fundsim compare A.toml B.toml ...`: see [`compare::compare`].
pub fn compare(files: &[String], years: Option<&str>, a: &RunArgs) -> Result<String, String> {
    if files.is_empty() {
        return Err("compare: expected at least one scenario or option file".into());
    }
    let mut options = Vec::new();
    for f in files {
        let name = source::scenario_name(Some(f));
        let model = super::model(&name, &a.set)?;
        options.push(OptionSpec {
            label: label_of(f),
            model,
        });
    }
    let s0 = &options[0].model.scenario;
    let paths = a.paths.unwrap_or(s0.simulation.paths);
    let seed = a.seed.unwrap_or(s0.simulation.seed);
    let years = match years {
        Some(y) => parse_years(y)?,
        None => compare::default_years(&options[0].model),
    };
    let c = compare::compare(&options, paths, seed, &years)?;
    let dir = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(format!("compare-{}", s0.region.id)));
    let mut text = format!(
        "{} {} — options compared on common random numbers\n",
        s0.region.name, s0.region.name_en
    );
    text.push_str(&c.to_text());
    let mut files_w = Vec::new();
    write(&dir.join("compare.csv"), &c.to_csv(), &mut files_w)?;
    write(&dir.join("compare.md"), &c.to_markdown(), &mut files_w)?;
    let l = s0.warning.tiers.lines;
    let footer = format!(
        "fundsim {} · {} · {paths} paths · seed {seed} · common random numbers · lines at {} and {} months",
        env!("CARGO_PKG_VERSION"),
        s0.region.id,
        l[1],
        l[2]
    );
    let charts = crate::chart::decision::compare_overlay(
        &c.bands,
        [l[1], l[2]],
        &footer,
        &dir.join("charts"),
    )
    .map_err(|e| format!("drawing charts: {e}"))?;
    files_w.extend(charts);
    wrote(&mut text, &files_w);
    Ok(text)
}

/// `fundsim sweep SCENARIO --param KEY=LO:HI:STEP [--param ...] --measure "..."`.
pub fn sweep(
    scenario: Option<&str>,
    params: &[String],
    measure: &str,
    a: &RunArgs,
) -> Result<String, String> {
    let measure = target::parse_measure(measure).map_err(|e| e.to_string())?;
    let axes = params
        .iter()
        .map(|p| sweep::parse_axis(p))
        .collect::<Result<Vec<_>, _>>()?;
    let name = source::scenario_name(scenario);
    let m0 = super::model(&name, &a.set)?;
    measure.check(&m0)?;
    let paths = a.paths.unwrap_or(m0.scenario.simulation.paths);
    let seed = a.seed.unwrap_or(m0.scenario.simulation.seed);
    let t0 = std::time::Instant::now();
    let g = sweep::sweep(&name, &a.set, &axes, &measure, paths, seed, &|_, _| {})?;
    let secs = t0.elapsed().as_secs_f64();
    let dir = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(format!("sweep-{}", m0.scenario.region.id)));
    let mut text = g.to_text();
    text.push_str(&format!("{} points in {secs:.2} s\n", g.values.len()));
    let mut files_w = Vec::new();
    write(&dir.join("sweep.csv"), &g.to_csv(), &mut files_w)?;
    let footer = format!(
        "fundsim {} · {} · {paths} paths per point · seed {seed} · common random numbers",
        env!("CARGO_PKG_VERSION"),
        m0.scenario.region.id
    );
    files_w.extend(
        crate::chart::decision::sweep_chart(&g, &footer, &dir.join("charts"))
            .map_err(|e| format!("drawing charts: {e}"))?,
    );
    wrote(&mut text, &files_w);
    Ok(text)
}

/// `fundsim solve SCENARIO --param KEY --range LO:HI --target "..." [--max] [--tol T]`.
pub fn solve(
    scenario: Option<&str>,
    key: &str,
    range: &str,
    target_text: &str,
    maximize: bool,
    tol: Option<f64>,
    a: &RunArgs,
) -> Result<String, String> {
    let target = target::parse_target(target_text).map_err(|e| e.to_string())?;
    let (lo, hi) = super::parse_range(range, "--range")?;
    if key.is_empty() || key.contains('=') || key.split('.').any(str::is_empty) {
        return Err(format!(
            "--param `{key}`: expected a key path such as employee.employer_rate (no `=VALUE`: the value is what solve finds)"
        ));
    }
    let name = source::scenario_name(scenario);
    let m0 = super::model(&name, &a.set)?;
    target.measure.check(&m0)?;
    let spec = solve::SolveSpec {
        scenario: name,
        overrides: a.set.clone(),
        key: key.to_string(),
        lo,
        hi,
        target,
        maximize,
        tol,
        paths: a.paths.unwrap_or(m0.scenario.simulation.paths),
        seed: a.seed.unwrap_or(m0.scenario.simulation.seed),
    };
    let s = solve::solve(&spec, &|_| {})?;
    Ok(s.to_text(&spec))
}

/// `fundsim sensitivity SCENARIO`: tornado table, CSV and charts.
pub fn sensitivity(scenario: Option<&str>, a: &RunArgs) -> Result<String, String> {
    let name = source::scenario_name(scenario);
    let m0 = super::model(&name, &a.set)?;
    let paths = a.paths.unwrap_or(m0.scenario.simulation.paths);
    let seed = a.seed.unwrap_or(m0.scenario.simulation.seed);
    let t = sensitivity::sensitivity(&name, &a.set, paths, seed, &|_, _| {})?;
    let dir = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(format!("sensitivity-{}", t.scenario)));
    let mut text = t.to_text();
    let mut files_w = Vec::new();
    write(&dir.join("sensitivity.csv"), &t.to_csv(), &mut files_w)?;
    let footer = format!(
        "fundsim {} · {} · {paths} paths · seed {seed} · common random numbers · steps in src/decision/sensitivity.rs",
        env!("CARGO_PKG_VERSION"),
        t.scenario
    );
    files_w.extend(
        crate::chart::decision::tornado_chart(&t, &footer, &dir.join("charts"))
            .map_err(|e| format!("drawing charts: {e}"))?,
    );
    wrote(&mut text, &files_w);
    Ok(text)
}
