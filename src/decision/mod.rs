//! Decision tools (MODEL.md §11, issue #5): compare options, sweep a parameter grid, solve
//! for the parameter value that meets a target, and a sensitivity tornado.
//!
//! Every tool changes a scenario the one way the project has: `--set`-style overrides
//! `"key.path=value"` passed to [`crate::scenario::load`]. Every option or grid point is
//! simulated with the same seed and number of paths, so path `i` of each uses random stream
//! `i` (MODEL.md §10, common random numbers): per-path differences between options are
//! paired, and a measure evaluated along a parameter grid is a deterministic function of
//! the parameter.
//!
//! * [`target`] — the small target language shared by `sweep` and `solve`.
//! * [`compare`] — side-by-side indicators of several options with paired differences.
//! * [`sweep`] — a 1-D or 2-D grid of a measure.
//! * [`solve`] — bisection for the smallest (or largest) value meeting a target.
//! * [`sensitivity`] — each driver's and policy parameter's effect, moved down and up.

pub mod compare;
pub mod sensitivity;
pub mod solve;
pub mod sweep;
pub mod target;

use crate::engine::{self, Paths, YearRecord};
use crate::resolve::Model;
use crate::scenario;
use crate::scenario::read::num_text;

/// Fund names in index order: 0 employee, 1 resident, 2 both combined (MODEL.md §7).
pub const FUNDS: [&str; 3] = ["employee", "resident", "combined"];

/// Batches used for the standard error of medians and other quantiles (MODEL.md §11
/// decision tools): the paths are cut into this many contiguous batches, the statistic is
/// computed per batch, and its standard error is `sd(batch values)/√batches`.
pub const BATCHES: usize = 20;

/// An estimate with its Monte Carlo standard error (NaN where none is available)
/// (MODEL.md §10–11).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Point estimate.
    pub value: f64,
    /// Monte Carlo standard error.
    pub se: f64,
}

/// Load a scenario with overrides and resolve it (MODEL.md §11: every option is a set of
/// `--set` overrides on a scenario file). Errors are one readable line.
pub fn model(name: &str, overrides: &[String]) -> Result<Model, String> {
    let s = scenario::load(name, overrides).map_err(|e| e.to_string())?;
    Model::new(&s).map_err(|e| e.to_string())
}

/// Simulate paths `0..paths` with `seed` (MODEL.md §10): the same seed gives every model the
/// same random streams.
pub fn simulate(m: &Model, seed: u64, paths: usize) -> Paths {
    engine::simulate(m, seed, 0, paths, &|_| {})
}

/// [`simulate`], refusing paths with a value no output may carry ([`engine::Fault`]): the
/// deterministic path's fault first, then the first Monte Carlo one.
pub fn simulate_checked(m: &Model, seed: u64, paths: usize) -> Result<Paths, String> {
    let (det, clipped) = engine::deterministic(m);
    Paths::single(det, clipped)
        .check()
        .map_err(|f| f.message(m.base_year, None))?;
    let p = simulate(m, seed, paths);
    p.check().map_err(|f| f.message(m.base_year, Some(seed)))?;
    Ok(p)
}

/// A decision output value that is not a finite number: the error names it.
pub fn finite(v: f64, what: impl FnOnce() -> String) -> Result<f64, String> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!(
            "{} is {}; expected a finite number (the paths' values are too large to summarise)",
            what(),
            crate::scenario::read::num_text(v)
        ))
    }
}

/// Balance of fund `f` (0 employee, 1 resident, 2 combined), yuan.
#[inline]
pub fn balance(r: &YearRecord, f: usize) -> f64 {
    if f < 2 {
        r.fund[f].balance
    } else {
        r.fund[0].balance + r.fund[1].balance
    }
}

/// Spending of fund `f`, yuan.
#[inline]
pub fn spending(r: &YearRecord, f: usize) -> f64 {
    if f < 2 {
        r.fund[f].spending
    } else {
        r.fund[0].spending + r.fund[1].spending
    }
}

/// Income `C + other + I` of fund `f`, yuan.
#[inline]
pub fn income(r: &YearRecord, f: usize) -> f64 {
    let one = |x: &crate::finance::FundYear| x.contributions + x.other_income + x.interest;
    if f < 2 {
        one(&r.fund[f])
    } else {
        one(&r.fund[0]) + one(&r.fund[1])
    }
}

/// Index of a fund name.
pub fn fund_index(name: &str) -> Option<usize> {
    FUNDS.iter().position(|f| *f == name)
}

/// Median (NumPy linear interpolation) of a copy of `x`.
pub fn median(x: &[f64]) -> f64 {
    quantile(x, 0.5)
}

/// Quantile `q` (NumPy linear interpolation) of a copy of `x`.
pub fn quantile(x: &[f64], q: f64) -> f64 {
    if x.is_empty() {
        return f64::NAN;
    }
    let mut v = x.to_vec();
    crate::summary::quantiles(&mut v, &[q])[0]
}

/// Mean and its standard error `sd/√n` (paired differences give the SE of a difference).
pub fn mean_se(x: &[f64]) -> Estimate {
    let (m, sd) = crate::summary::mean_sd(x);
    Estimate {
        value: m,
        se: if x.len() > 1 {
            sd / (x.len() as f64).sqrt()
        } else {
            f64::NAN
        },
    }
}

/// Batch standard error of a statistic: `stat` is applied to [`BATCHES`] contiguous batches
/// of path indices and the SE is `sd(batch values)/√BATCHES` (NaN with fewer than two paths
/// per batch). Used for medians and quantiles, and for differences of medians between
/// options (the batches hold the same paths in every option).
pub fn batch_se(n: usize, stat: impl Fn(std::ops::Range<usize>) -> f64) -> f64 {
    if n < 2 * BATCHES {
        return f64::NAN;
    }
    let vals: Vec<f64> = (0..BATCHES)
        .map(|b| stat(b * n / BATCHES..(b + 1) * n / BATCHES))
        .collect();
    let (_, sd) = crate::summary::mean_sd(&vals);
    sd / (BATCHES as f64).sqrt()
}

/// Parse `LO:HI` (solve) into two finite numbers with `LO < HI`.
pub fn parse_range(text: &str, what: &str) -> Result<(f64, f64), String> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() != 2 {
        return Err(format!(
            "{what} `{text}`: expected LO:HI, two numbers separated by a colon, e.g. 0.06:0.10"
        ));
    }
    let lo = parse_num(parts[0], what, "LO")?;
    let hi = parse_num(parts[1], what, "HI")?;
    if lo >= hi {
        return Err(format!(
            "{what} `{text}`: LO ({}) must be below HI ({})",
            num_text(lo),
            num_text(hi)
        ));
    }
    Ok((lo, hi))
}

fn parse_num(s: &str, what: &str, part: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!(
            "{what}: {part} `{}` is not a number; expected a finite number such as 0.075",
            s.trim()
        )),
    }
}

/// A parameter value as written into an override: shortest round-trip form, with float
/// noise from grid arithmetic removed (12 significant digits).
pub fn fmt_value(v: f64) -> String {
    let r: f64 = format!("{v:.12e}").parse().unwrap_or(v);
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r}")
}
