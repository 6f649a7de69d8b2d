//! Sweep a grid of one or two parameters and evaluate a measure at every point (MODEL.md §11
//! "Sweep"). Each point is the scenario with the extra overrides `KEY=value`, simulated with
//! the same seed and paths (common random numbers), so the measure is a smooth, paired
//! function of the parameters.

use super::target::Measure;
use super::{Estimate, fmt_value};
use crate::scenario::read::num_text;
use std::fmt::Write as _;

/// Most grid points accepted.
pub const MAX_POINTS: usize = 2_500;

/// One axis of a grid: an override key and its values (MODEL.md §11).
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Scenario key path, e.g. `employee.employer_rate`.
    pub key: String,
    /// Values, increasing.
    pub values: Vec<f64>,
}

/// Parse `KEY=LO:HI:STEP` into an axis: `LO, LO+STEP, …` up to `HI` (included when it lies on
/// the grid within 1e-9 of a step).
pub fn parse_axis(text: &str) -> Result<Axis, String> {
    let (key, spec) = text.split_once('=').ok_or_else(|| {
        format!(
            "--param `{text}`: expected KEY=LO:HI:STEP, e.g. employee.employer_rate=0.06:0.10:0.005"
        )
    })?;
    let key = key.trim();
    if key.is_empty() || key.split('.').any(str::is_empty) {
        return Err(format!(
            "--param `{text}`: `{key}` is not a key path; expected keys joined by dots, e.g. employee.employer_rate"
        ));
    }
    let parts: Vec<&str> = spec.split(':').collect();
    if parts.len() != 3 {
        return Err(format!(
            "--param `{text}`: expected LO:HI:STEP after `=` (three numbers separated by colons), found `{spec}`"
        ));
    }
    let num = |s: &str, what: &str| -> Result<f64, String> {
        match s.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(format!(
                "--param `{text}`: {what} `{}` is not a number; expected a finite number",
                s.trim()
            )),
        }
    };
    let (lo, hi, step) = (
        num(parts[0], "LO")?,
        num(parts[1], "HI")?,
        num(parts[2], "STEP")?,
    );
    if lo > hi {
        return Err(format!(
            "--param `{text}`: LO ({}) is above HI ({}); expected LO ≤ HI",
            num_text(lo),
            num_text(hi)
        ));
    }
    if step <= 0.0 {
        return Err(format!(
            "--param `{text}`: STEP ({}) must be positive",
            num_text(step)
        ));
    }
    // Counted in floating point first: (HI − LO)/STEP may exceed any integer.
    let count = ((hi - lo) / step + 1e-9).floor() + 1.0;
    // (NaN cannot arise: LO ≤ HI and STEP > 0 are finite.)
    if count > MAX_POINTS as f64 {
        return Err(format!(
            "--param `{text}`: {} values; expected at most {MAX_POINTS} (use a larger STEP)",
            num_text(count)
        ));
    }
    let values: Vec<f64> = (0..count as usize)
        .map(|i| fmt_value(lo + i as f64 * step).parse().unwrap_or(lo))
        .collect();
    if values.windows(2).any(|w| w[1] <= w[0]) {
        return Err(format!(
            "--param `{text}`: STEP ({}) is too small for values near {}: written with 12 significant digits, neighbouring values are equal; expected a larger STEP",
            num_text(step),
            num_text(hi.abs().max(lo.abs()))
        ));
    }
    Ok(Axis {
        key: key.to_string(),
        values,
    })
}

/// A swept grid: the axes and the estimate at every point (first axis slowest).
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// One or two axes.
    pub axes: Vec<Axis>,
    /// The measure's label.
    pub measure: String,
    /// Estimates, row-major (`values[i·n2 + k]` for axis values `i`, `k`).
    pub values: Vec<Estimate>,
    /// Paths per point.
    pub paths: usize,
    /// Seed.
    pub seed: u64,
}

impl Grid {
    /// The estimate at axis indices `i` (first axis) and `k` (second axis, 0 when 1-D).
    pub fn at(&self, i: usize, k: usize) -> Estimate {
        let n2 = self.axes.get(1).map_or(1, |a| a.values.len());
        self.values[i * n2 + k]
    }

    /// CSV: one row per point, `KEY1[,KEY2],value,se` (an empty `se` where there is none),
    /// written by a CSV writer, so any key text is quoted as CSV needs.
    pub fn to_csv(&self) -> String {
        let mut header: Vec<String> = self.axes.iter().map(|a| a.key.clone()).collect();
        header.extend(["value".into(), "se".into()]);
        let n2 = self.axes.get(1).map_or(1, |a| a.values.len());
        let rows = self.values.iter().enumerate().map(|(idx, e)| {
            let (i, k) = (idx / n2, idx % n2);
            let mut r = vec![fmt_value(self.axes[0].values[i])];
            if let Some(a) = self.axes.get(1) {
                r.push(fmt_value(a.values[k]));
            }
            r.push(crate::export::format_value(e.value));
            r.push(if e.se.is_nan() {
                String::new()
            } else {
                crate::export::format_value(e.se)
            });
            r
        });
        crate::export::csv_text(std::iter::once(header).chain(rows))
    }

    /// Text table for the terminal (1-D: a column; 2-D: first axis down, second across).
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{} — {} paths per point, seed {} (common random numbers)\n",
            self.measure, self.paths, self.seed
        );
        match self.axes.get(1) {
            None => {
                let _ = writeln!(
                    out,
                    "{:>24}  {:>10}  {:>8}",
                    self.axes[0].key, "value", "se"
                );
                for (i, v) in self.axes[0].values.iter().enumerate() {
                    let e = self.at(i, 0);
                    let _ = writeln!(
                        out,
                        "{:>24}  {:>10.4}  {:>8.4}",
                        fmt_value(*v),
                        e.value,
                        e.se
                    );
                }
            }
            Some(a2) => {
                let _ = write!(out, "{} ↓ / {} →\n{:>12}", self.axes[0].key, a2.key, "");
                for v in &a2.values {
                    let _ = write!(out, " {:>9}", fmt_value(*v));
                }
                out.push('\n');
                for (i, v) in self.axes[0].values.iter().enumerate() {
                    let _ = write!(out, "{:>12}", fmt_value(*v));
                    for k in 0..a2.values.len() {
                        let _ = write!(out, " {:>9.4}", self.at(i, k).value);
                    }
                    out.push('\n');
                }
            }
        }
        out
    }
}

/// Evaluate `measure` at every point of the grid: the scenario `scenario` with `overrides`,
/// then `KEY=value` per axis (MODEL.md §11). `progress(done, total)` after each point.
pub fn sweep(
    scenario: &str,
    overrides: &[String],
    axes: &[Axis],
    measure: &Measure,
    paths: usize,
    seed: u64,
    progress: &dyn Fn(usize, usize),
) -> Result<Grid, String> {
    if axes.is_empty() || axes.len() > 2 {
        return Err(format!(
            "sweep: {} --param given; expected one (a line chart) or two (a heatmap)",
            axes.len()
        ));
    }
    if axes.len() == 2 && axes[0].key == axes[1].key {
        return Err(format!(
            "sweep: --param {} given twice; expected two different keys",
            axes[0].key
        ));
    }
    if paths < 2 {
        return Err(format!("--paths {paths}: expected at least 2 paths"));
    }
    let n2 = axes.get(1).map_or(1, |a| a.values.len());
    let total = axes[0].values.len() * n2;
    if total > MAX_POINTS {
        return Err(format!(
            "sweep: {total} grid points; expected at most {MAX_POINTS}"
        ));
    }
    let mut values = Vec::with_capacity(total);
    for idx in 0..total {
        let (i, k) = (idx / n2, idx % n2);
        let mut ov = overrides.to_vec();
        ov.push(format!("{}={}", axes[0].key, fmt_value(axes[0].values[i])));
        if let Some(a) = axes.get(1) {
            ov.push(format!("{}={}", a.key, fmt_value(a.values[k])));
        }
        let m = super::model(scenario, &ov).map_err(|e| point_error(axes, &ov, &e))?;
        if idx == 0 {
            measure.check(&m)?;
        }
        let p = super::simulate_checked(&m, seed, paths).map_err(|e| point_error(axes, &ov, &e))?;
        let e = measure.eval(&m, &p);
        super::finite(e.value, || point_error(axes, &ov, "the measure"))?;
        values.push(e);
        progress(idx + 1, total);
    }
    Ok(Grid {
        axes: axes.to_vec(),
        measure: measure.label(),
        values,
        paths,
        seed,
    })
}

/// An error at a grid point names the parameter values and the scenario's own message.
pub(crate) fn point_error(axes: &[Axis], ov: &[String], e: &str) -> String {
    let keys: Vec<&str> = axes.iter().map(|a| a.key.as_str()).collect();
    let mine: Vec<&String> = ov
        .iter()
        .filter(|o| keys.iter().any(|k| o.starts_with(&format!("{k}="))))
        .collect();
    format!(
        "with {}: {e}",
        mine.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
}
