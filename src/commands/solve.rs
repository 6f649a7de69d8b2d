//! `fundsim solve`: the smallest (or largest) parameter value that meets a target, by
//! bisection on common random numbers (MODEL.md §11 *Solve*).

use super::{DecisionArgs, Result, bail, load};
use crate::decision::{parse_range, solve, target};
use crate::scenario::source;

/// Flags of `fundsim solve`.
#[derive(Debug, Clone, clap::Args)]
pub struct SolveArgs {
    /// Scenario file or embedded id.
    pub scenario: Option<String>,
    /// Key path of the parameter, e.g. resident.subsidy.after.growth.
    #[arg(long = "param")]
    pub param: String,
    /// LO:HI range searched.
    #[arg(long)]
    pub range: String,
    /// Target, e.g. "P(months >= 6 for resident in every year 2021-2030) >= 0.9".
    #[arg(long)]
    pub target: String,
    /// Largest value instead of the smallest.
    #[arg(long)]
    pub max: bool,
    /// Stop when the bracket is this narrow (default (HI - LO)/1000).
    #[arg(long)]
    pub tol: Option<f64>,
    #[command(flatten)]
    pub run: DecisionArgs,
}

/// `fundsim solve SCENARIO --param KEY --range LO:HI --target "..." [--max] [--tol T]`.
pub fn solve(a: &SolveArgs) -> Result<String> {
    let target = target::parse_target(&a.target).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (lo, hi) = parse_range(&a.range, "--range").map_err(anyhow::Error::msg)?;
    let key = &a.param;
    if key.is_empty() || key.contains('=') || key.split('.').any(str::is_empty) {
        bail!(
            "--param `{key}`: expected a key path such as employee.employer_rate (no `=VALUE`: the value is what solve finds)"
        );
    }
    let name = source::scenario_name(a.scenario.as_deref());
    let (_, m0) = load(Some(&name), &a.run.set)?;
    target.measure.check(&m0).map_err(anyhow::Error::msg)?;
    // Per evaluation: one simulation's records and the measure's per-path values.
    let (paths, seed) = a.run.paths_seed(&m0, 8)?;
    let spec = solve::SolveSpec {
        scenario: name,
        overrides: a.run.set.clone(),
        key: key.clone(),
        lo,
        hi,
        target,
        maximize: a.max,
        tol: a.tol,
        paths,
        seed,
    };
    let s = solve::solve(&spec, &|_| {}).map_err(anyhow::Error::msg)?;
    Ok(s.to_text(&spec))
}
