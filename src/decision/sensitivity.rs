//! Sensitivity tornado (MODEL.md §11 "Sensitivity"): each driver's mean and each key policy
//! parameter is moved down and up by a fixed step, through overrides, and the effect on the
//! median months of reserve at the horizon and on P(depleted by the horizon) is reported per
//! fund, on common random numbers.
//!
//! Steps (every listed year of a time-dated parameter moves by the same step; the extension
//! rule after the last listed year is kept):
//!
//! | driver | key | step |
//! | --- | --- | --- |
//! | wage growth | `drivers.wage_growth.mean` | ±0.01 (1 point a year) |
//! | medical cost growth | `drivers.medical_growth.mean` | ±0.01 |
//! | interest | `drivers.interest.mean` | ±0.005 |
//! | fertility (TFR) | `drivers.fertility.mean` | ±0.2 children per woman (floored at 0) |
//! | mortality drift | `drivers.mortality.drift` | ±0.01 a year |
//! | migration level | `drivers.migration.level` | ±25% |
//! | employer rate | `employee.employer_rate` | ±0.005 (half a point) |
//! | resident premium | `resident.premium` | ±10% |
//! | resident subsidy | `resident.subsidy` | ±10% |
//!
//! A parameter is replaced by two overrides, `KEY=0` and then
//! `KEY={ values = {…}, after = … }` (the first clears the table so that the second does
//! not merge into it).

use super::{FUNDS, fmt_value, median};
use crate::param::{Extension, Param};
use crate::resolve::Model;
use crate::scenario::Scenario;
use std::fmt::Write as _;

/// How a parameter is moved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shift {
    /// Add ± this amount.
    Abs(f64),
    /// Multiply by 1 ± this fraction.
    Rel(f64),
}

/// A driver or policy parameter of the tornado.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Driver {
    /// Display name.
    pub name: &'static str,
    /// Scenario key path.
    pub key: &'static str,
    /// Step.
    pub shift: Shift,
    /// Lowest allowed value (the step is floored here).
    pub floor: f64,
}

/// The drivers and policy parameters of the tornado, with their steps (module docs).
pub const DRIVERS: [Driver; 9] = [
    Driver {
        name: "wage growth",
        key: "drivers.wage_growth.mean",
        shift: Shift::Abs(0.01),
        floor: f64::NEG_INFINITY,
    },
    Driver {
        name: "medical cost growth",
        key: "drivers.medical_growth.mean",
        shift: Shift::Abs(0.01),
        floor: f64::NEG_INFINITY,
    },
    Driver {
        name: "interest",
        key: "drivers.interest.mean",
        shift: Shift::Abs(0.005),
        floor: f64::NEG_INFINITY,
    },
    Driver {
        name: "fertility (TFR)",
        key: "drivers.fertility.mean",
        shift: Shift::Abs(0.2),
        floor: 0.0,
    },
    Driver {
        name: "mortality drift",
        key: "drivers.mortality.drift",
        shift: Shift::Abs(0.01),
        floor: f64::NEG_INFINITY,
    },
    Driver {
        name: "migration level",
        key: "drivers.migration.level",
        shift: Shift::Rel(0.25),
        floor: f64::NEG_INFINITY,
    },
    Driver {
        name: "employer rate",
        key: "employee.employer_rate",
        shift: Shift::Abs(0.005),
        floor: 0.0,
    },
    Driver {
        name: "resident premium",
        key: "resident.premium",
        shift: Shift::Rel(0.10),
        floor: 0.0,
    },
    Driver {
        name: "resident subsidy",
        key: "resident.subsidy",
        shift: Shift::Rel(0.10),
        floor: 0.0,
    },
];

impl Driver {
    /// The step as text.
    pub fn step_text(&self) -> String {
        match self.shift {
            Shift::Abs(d) => format!("±{}", fmt_value(d)),
            Shift::Rel(r) => format!("±{}%", fmt_value(r * 100.0)),
        }
    }

    fn param<'a>(&self, s: &'a Scenario) -> &'a Param {
        match self.key {
            "drivers.wage_growth.mean" => &s.drivers.wage_growth.mean,
            "drivers.medical_growth.mean" => &s.drivers.medical_growth.mean,
            "drivers.interest.mean" => &s.drivers.interest.mean,
            "drivers.fertility.mean" => &s.drivers.fertility.mean,
            "drivers.mortality.drift" => &s.drivers.mortality_drift,
            "drivers.migration.level" => &s.drivers.migration,
            "employee.employer_rate" => &s.employee.employer_rate,
            "resident.premium" => &s.resident.premium,
            _ => &s.resident.subsidy,
        }
    }

    /// The overrides that move this parameter of `s` down (`sign = -1`) or up (`+1`).
    pub fn overrides(&self, s: &Scenario, sign: f64) -> Vec<String> {
        let p = self.param(s);
        let mv = |v: f64| {
            let x = match self.shift {
                Shift::Abs(d) => v + sign * d,
                Shift::Rel(r) => v * (1.0 + sign * r),
            };
            fmt_value(x.max(self.floor))
        };
        let after = match p.after {
            Extension::Flat => "\"flat\"".to_string(),
            Extension::Wage => "\"wage\"".to_string(),
            Extension::Cost => "\"cost\"".to_string(),
            Extension::Growth(g) => format!("{{ growth = {} }}", fmt_value(g)),
        };
        let body = match p.points.as_slice() {
            [(None, v)] => format!("value = {}", mv(*v)),
            pts => format!(
                "values = {{ {} }}",
                pts.iter()
                    .map(|(y, v)| format!("{} = {}", y.unwrap_or_default(), mv(*v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        vec![
            format!("{}=0", self.key),
            format!(
                "{}={{ {body}, after = {after}, source = \"sensitivity: {} {}\" }}",
                self.key,
                if sign < 0.0 { "down" } else { "up" },
                self.step_text()
            ),
        ]
    }
}

/// Indicators of one run per fund: median months at the horizon and P(depleted by horizon).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Median months at the horizon, per fund.
    pub months: [f64; 3],
    /// P(depleted in some year ≤ horizon), per fund.
    pub depleted: [f64; 3],
}

fn indicators(m: &Model, seed: u64, paths: usize) -> Result<Point, String> {
    let p = super::simulate_checked(m, seed, paths)?;
    let h = m.years - 1;
    let mut months = [0.0; 3];
    let mut depleted = [0.0; 3];
    for f in 0..3 {
        let x: Vec<f64> = (0..p.count)
            .map(|i| crate::summary::months_of(&p.path(i)[h], f))
            .collect();
        months[f] = super::finite(median(&x), || {
            format!("the median months of the {} fund", FUNDS[f])
        })?;
        depleted[f] = (0..p.count)
            .filter(|&i| p.path(i)[1..].iter().any(|r| super::balance(r, f) < 0.0))
            .count() as f64
            / p.count as f64;
    }
    Ok(Point { months, depleted })
}

/// One driver's effect.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// The driver.
    pub driver: Driver,
    /// Indicators with the parameter moved down.
    pub down: Point,
    /// Indicators with the parameter moved up.
    pub up: Point,
}

/// The tornado's data.
#[derive(Debug, Clone, PartialEq)]
pub struct Tornado {
    /// Scenario id.
    pub scenario: String,
    /// Horizon year.
    pub horizon: i32,
    /// The base run.
    pub base: Point,
    /// Effects in [`DRIVERS`] order.
    pub effects: Vec<Effect>,
    /// Paths.
    pub paths: usize,
    /// Seed.
    pub seed: u64,
}

/// Run the base and every driver down and up (MODEL.md §11). `progress(done, total)`.
pub fn sensitivity(
    scenario: &str,
    overrides: &[String],
    paths: usize,
    seed: u64,
    progress: &dyn Fn(usize, usize),
) -> Result<Tornado, String> {
    if paths < 2 {
        return Err(format!("--paths {paths}: expected at least 2 paths"));
    }
    let m0 = super::model(scenario, overrides)?;
    let base = indicators(&m0, seed, paths)?;
    let total = 2 * DRIVERS.len();
    let mut effects = Vec::new();
    for (i, d) in DRIVERS.iter().enumerate() {
        let run = |sign: f64| -> Result<Point, String> {
            let mut ov = overrides.to_vec();
            ov.extend(d.overrides(&m0.scenario, sign));
            let at = |e: String| format!("{} {}: {e}", d.name, d.step_text());
            let m = super::model(scenario, &ov).map_err(at)?;
            indicators(&m, seed, paths).map_err(at)
        };
        let down = run(-1.0)?;
        progress(2 * i + 1, total);
        let up = run(1.0)?;
        progress(2 * i + 2, total);
        effects.push(Effect {
            driver: *d,
            down,
            up,
        });
    }
    Ok(Tornado {
        scenario: m0.scenario.region.id.clone(),
        horizon: m0.base_year + m0.years as i32 - 1,
        base,
        effects,
        paths,
        seed,
    })
}

impl Tornado {
    /// Effects of fund `f` sorted by the width of the median-months swing, widest first.
    pub fn sorted(&self, f: usize) -> Vec<&Effect> {
        let mut v: Vec<&Effect> = self.effects.iter().collect();
        let w = |e: &Effect| (e.up.months[f] - e.down.months[f]).abs();
        v.sort_by(|a, b| w(b).total_cmp(&w(a)));
        v
    }

    /// Text table: per fund, median months at the horizon and P(depleted) down / base / up.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{} — effect at {} ({} paths, seed {}, common random numbers)\n",
            self.scenario, self.horizon, self.paths, self.seed
        );
        for f in 0..3 {
            let _ = writeln!(
                out,
                "\n{}: median months base {:.2}, P(depleted by {}) base {:.3}",
                FUNDS[f], self.base.months[f], self.horizon, self.base.depleted[f]
            );
            let _ = writeln!(
                out,
                "  {:<22} {:>8}  {:>9} {:>9}  {:>9} {:>9}",
                "driver", "step", "Δmonths−", "Δmonths+", "ΔPdep−", "ΔPdep+"
            );
            for e in self.sorted(f) {
                let _ = writeln!(
                    out,
                    "  {:<22} {:>8}  {:>+9.2} {:>+9.2}  {:>+9.3} {:>+9.3}",
                    e.driver.name,
                    e.driver.step_text(),
                    e.down.months[f] - self.base.months[f],
                    e.up.months[f] - self.base.months[f],
                    e.down.depleted[f] - self.base.depleted[f],
                    e.up.depleted[f] - self.base.depleted[f]
                );
            }
        }
        out
    }

    /// CSV: `fund,driver,key,step,direction,median_months,p_depleted,d_median_months,d_p_depleted`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "fund,driver,key,step,direction,median_months,p_depleted,d_median_months,d_p_depleted\n",
        );
        let g = crate::export::format_value;
        for f in 0..3 {
            let _ = writeln!(
                out,
                "{},base,,,base,{},{},0,0",
                FUNDS[f],
                g(self.base.months[f]),
                g(self.base.depleted[f])
            );
            for e in &self.effects {
                for (dir, p) in [("down", &e.down), ("up", &e.up)] {
                    let _ = writeln!(
                        out,
                        "{},{},{},{},{dir},{},{},{},{}",
                        FUNDS[f],
                        e.driver.name,
                        e.driver.key,
                        e.driver.step_text(),
                        g(p.months[f]),
                        g(p.depleted[f]),
                        g(p.months[f] - self.base.months[f]),
                        g(p.depleted[f] - self.base.depleted[f])
                    );
                }
            }
        }
        out
    }
}
