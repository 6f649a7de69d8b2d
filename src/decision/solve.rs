//! Solve for the smallest (or largest) parameter value that meets a target (MODEL.md §11
//! "Solve"): bisection on common random numbers.
//!
//! Every evaluation uses the same seed and paths, so the estimated measure is a deterministic
//! function of the parameter and bisection converges on it. The method assumes the target is
//! met on one side of a single crossing inside `[LO, HI]`:
//!
//! 1. both ends are evaluated; for the smallest value (default), if `LO` already meets the
//!    target the answer is `LO`; if `HI` does not, no value in the range meets it (an error
//!    that gives both ends' values). `--max` mirrors this: `HI` if it meets the target, none
//!    if `LO` does not.
//! 2. otherwise the bracket `[bad, good]` is halved until its width is at most the
//!    tolerance (default `(HI − LO)/1000`); the answer is the `good` end, so the reported
//!    value always meets the target (it is within the tolerance of the crossing). A
//!    parameter value is written into the scenario with 12 significant digits, so halving
//!    also stops when the midpoint, so written, equals an end: a tolerance below that
//!    resolution ends there instead of looping (the answer says so).

use super::target::Target;
use super::{Estimate, fmt_value};
use crate::scenario::read::num_text;

/// One evaluation of the bisection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// Parameter value.
    pub x: f64,
    /// Measure estimate at `x`.
    pub estimate: Estimate,
    /// Whether the target is met at `x`.
    pub met: bool,
}

/// What to solve.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveSpec {
    /// Scenario file or embedded id.
    pub scenario: String,
    /// Overrides applied before the parameter.
    pub overrides: Vec<String>,
    /// Parameter key path.
    pub key: String,
    /// Range `[lo, hi]`.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Target.
    pub target: Target,
    /// Largest instead of smallest value.
    pub maximize: bool,
    /// Bracket width at which to stop (`None`: `(hi − lo)/1000`).
    pub tol: Option<f64>,
    /// Paths per evaluation.
    pub paths: usize,
    /// Seed.
    pub seed: u64,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Smallest (largest with `--max`) value found that meets the target.
    pub value: f64,
    /// Measure at `value`.
    pub achieved: Estimate,
    /// Every evaluation in order (the two ends first).
    pub steps: Vec<Step>,
    /// Tolerance used.
    pub tol: f64,
    /// Whether the answer is an end of the range (the target is met there already).
    pub at_end: bool,
    /// Whether halving stopped at the resolution of written values before the tolerance.
    pub at_resolution: bool,
}

impl Solution {
    /// A report for the terminal.
    pub fn to_text(&self, spec: &SolveSpec) -> String {
        let mut out = format!(
            "target: {} {} {}\nparameter: {} in [{}, {}], {} value, tolerance {}; {} paths, seed {} (common random numbers)\n",
            spec.target.measure.label(),
            spec.target.cmp.symbol(),
            spec.target.value,
            spec.key,
            fmt_value(spec.lo),
            fmt_value(spec.hi),
            if spec.maximize { "largest" } else { "smallest" },
            fmt_value(self.tol),
            spec.paths,
            spec.seed
        );
        out.push_str("  iter  value          measure    se       meets\n");
        for (i, s) in self.steps.iter().enumerate() {
            out.push_str(&format!(
                "  {:>4}  {:<13}  {:<9.4}  {:<7.4}  {}\n",
                i + 1,
                fmt_value(s.x),
                s.estimate.value,
                s.estimate.se,
                if s.met { "yes" } else { "no" }
            ));
        }
        out.push_str(&format!(
            "answer: {} = {}{} — achieved {:.4} (Monte Carlo SE {:.4}) after {} evaluations\n",
            spec.key,
            fmt_value(self.value),
            if self.at_end {
                " (the end of the range already meets the target)"
            } else {
                ""
            },
            self.achieved.value,
            self.achieved.se,
            self.steps.len()
        ));
        if self.at_resolution {
            out.push_str(
                "note: the bracket reached the resolution of parameter values (12 significant digits) before the tolerance\n",
            );
        }
        out
    }
}

/// Run the bisection (see the module docs). `progress(step)` after each evaluation.
pub fn solve(spec: &SolveSpec, progress: &dyn Fn(&Step)) -> Result<Solution, String> {
    let (lo, hi) = (spec.lo, spec.hi);
    if !(lo.is_finite() && hi.is_finite()) || lo >= hi {
        return Err(format!(
            "--range {}:{}: expected finite LO < HI",
            num_text(lo),
            num_text(hi)
        ));
    }
    let tol = spec.tol.unwrap_or((hi - lo) / 1000.0);
    if !(tol.is_finite() && tol > 0.0) {
        return Err(format!(
            "--tol {}: expected a positive number",
            num_text(tol)
        ));
    }
    if spec.paths < 2 {
        return Err(format!("--paths {}: expected at least 2 paths", spec.paths));
    }
    let mut steps = Vec::new();
    let mut eval = |x: f64| -> Result<Step, String> {
        let mut ov = spec.overrides.clone();
        ov.push(format!("{}={}", spec.key, fmt_value(x)));
        let m = super::model(&spec.scenario, &ov)
            .map_err(|e| format!("with {}={}: {e}", spec.key, fmt_value(x)))?;
        spec.target.measure.check(&m)?;
        let at = || format!("with {}={}", spec.key, fmt_value(x));
        let p = super::simulate_checked(&m, spec.seed, spec.paths)
            .map_err(|e| format!("{}: {e}", at()))?;
        let estimate = spec.target.measure.eval(&m, &p);
        super::finite(estimate.value, || format!("{}: the measure", at()))?;
        let s = Step {
            x,
            estimate,
            met: spec.target.met(&estimate),
        };
        progress(&s);
        steps.push(s);
        Ok(s)
    };
    let a = eval(lo)?;
    let b = eval(hi)?;
    let (near, far) = if spec.maximize { (b, a) } else { (a, b) };
    if near.met {
        return Ok(Solution {
            value: near.x,
            achieved: near.estimate,
            steps,
            tol,
            at_end: true,
            at_resolution: false,
        });
    }
    if !far.met {
        return Err(format!(
            "no value of {} in [{}, {}] meets the target {} {} {}: it gives {:.4} (SE {:.4}) at {} and {:.4} (SE {:.4}) at {}; widen --range or relax the target",
            spec.key,
            fmt_value(lo),
            fmt_value(hi),
            spec.target.measure.label(),
            spec.target.cmp.symbol(),
            spec.target.value,
            a.estimate.value,
            a.estimate.se,
            fmt_value(lo),
            b.estimate.value,
            b.estimate.se,
            fmt_value(hi)
        ));
    }
    let (mut good, mut bad) = (far, near);
    let mut at_resolution = false;
    while (good.x - bad.x).abs() > tol {
        // The midpoint as it is written into the scenario (see the module docs).
        let mid: f64 = fmt_value(0.5 * (good.x + bad.x))
            .parse()
            .expect("fmt_value writes a number");
        if !(good.x.min(bad.x) < mid && mid < good.x.max(bad.x)) {
            at_resolution = true;
            break;
        }
        let s = eval(mid)?;
        if s.met {
            good = s;
        } else {
            bad = s;
        }
    }
    Ok(Solution {
        value: good.x,
        achieved: good.estimate,
        steps,
        tol,
        at_end: false,
        at_resolution,
    })
}
