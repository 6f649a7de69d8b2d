//! Checks of a resolved scenario before anything runs (MODEL.md §4–7; README "Errors and
//! guarantees"):
//!
//! * inputs that would make a fund's spending 0 in some year are refused, naming the key and
//!   the year: months of reserve `12·B/S` and spending growth `S/S₋₁ − 1` would not be
//!   numbers (a fund with no members, or members whose costs are all 0);
//! * money that is implausible for the region's population gets a warning that names the
//!   likely unit slip and the `unit` that would fix it (`{ value = 300, unit = "亿元" }`).
//!
//! What cannot be predicted here (a stochastic path that empties the population, growth
//! that overflows) is caught where the paths are summarised ([`crate::engine::Fault`]).

use crate::membership::{Totals, YearWeights};
use crate::param::Param;
use crate::scenario::Scenario;
use crate::scenario::read::{ScenarioError, num_text};
use crate::scenario::tree::UNITS;

/// Refuse a scenario in which a fund has no spending in some year (module docs).
/// `weights[j]` are the membership weights of year index `j`.
pub fn refuse_zero_spending(s: &Scenario, weights: &[YearWeights]) -> Result<(), ScenarioError> {
    let m = &s.membership;
    for (j, w) in weights.iter().enumerate() {
        let t = s.region.base_year + j as i32;
        let sum = |k: usize| w.packed.iter().map(|c| c[k]).sum::<f64>();
        let (retirees, residents) = (sum(3), sum(4));
        let employee_members = sum(2) + retirees;
        let credit = s.employee.pension.value_at(s.region.base_year)
            * s.employee.account_rate.value_at(t)
            > 0.0;
        let transfer = s.resident.critical_illness_premium.value_at(t) > 0.0;
        let employee_spends = sum(6) > 0.0 || (retirees > 0.0 && credit);
        let resident_spends = sum(7) > 0.0 || (residents > 0.0 && transfer);
        let why = |fund: &str, cause: String| {
            format!(
                "in {t} the {fund} fund {cause}, so its spending is 0 and months of reserve (12·B/S) are undefined; expected spending in every year {}–{}",
                s.region.base_year, s.region.horizon
            )
        };
        if !employee_spends {
            let (key, p, cause) = if employee_members == 0.0 {
                let scale = m.employee_scale.value_at(t);
                if scale == 0.0 {
                    (
                        "membership.employee_scale",
                        m.employee_scale.at.as_deref(),
                        "has no members (employee_scale is 0)".to_string(),
                    )
                } else {
                    (
                        "membership.employee_share",
                        m.employee_share.at.as_deref(),
                        "has no members (employee_share is 0 at every age)".to_string(),
                    )
                }
            } else {
                (
                    "employee.cost_active",
                    s.employee.cost_active.at.as_deref(),
                    "has members but cost_active and cost_retiree are 0 at every age they hold"
                        .to_string(),
                )
            };
            return Err(error(p, key, why("employee", cause)));
        }
        if !resident_spends {
            let (key, p, cause) = if residents == 0.0 {
                (
                    "membership.coverage",
                    m.coverage.at.as_deref(),
                    format!(
                        "has no members (coverage {} is at or below the employee share at every age)",
                        num_text(m.coverage.value_at(t))
                    ),
                )
            } else {
                (
                    "resident.cost",
                    s.resident.cost.at.as_deref(),
                    "has members but resident.cost is 0 at every age they hold".to_string(),
                )
            };
            return Err(error(p, key, why("resident", cause)));
        }
    }
    Ok(())
}

/// An error at an input's position `at` (when it has one).
fn error(at: Option<&str>, key: &str, message: String) -> ScenarioError {
    ScenarioError {
        loc: None,
        key: Some(match at {
            Some(at) => format!("{at}: {key}"),
            None => key.to_string(),
        }),
        message,
    }
}

/// One plausibility rule: `value / per`, in `unit` (`context` says of what), should lie in
/// `lo..=hi`.
struct Rule<'a> {
    key: String,
    param: &'a Param,
    value: f64,
    per: f64,
    unit: &'static str,
    context: String,
    lo: f64,
    hi: f64,
}

impl Rule<'_> {
    /// A warning when the ratio is outside its range, with the unit that would bring it in.
    fn check(&self) -> Option<String> {
        let r = self.value / self.per;
        if self.value == 0.0 || !r.is_finite() || (self.lo..=self.hi).contains(&r.abs()) {
            return None;
        }
        let at = self
            .param
            .at
            .as_deref()
            .map(|a| format!("{a}: "))
            .unwrap_or_default();
        let written = match &self.param.unit {
            Some(u) => {
                let f = UNITS.iter().find(|x| x.0 == u).map_or(1.0, |x| x.1);
                format!("{} {u}", sig(self.value / f))
            }
            None => format!("{} yuan", sig(self.value)),
        };
        let mut msg = format!(
            "{at}{}: {written} is {} {}{}, outside the plausible {}–{}: is it in the wrong unit?",
            self.key,
            sig(r),
            self.unit,
            self.context,
            sig(self.lo),
            sig(self.hi)
        );
        if self.param.unit.is_none()
            && r.abs() < self.lo
            && let Some((u, f)) = UNITS
                .iter()
                .find(|(_, f)| *f > 1.0 && (self.lo..=self.hi).contains(&(r.abs() * f)))
        {
            msg.push_str(&format!(
                " If it is in {u}, write {{ value = {}, unit = \"{u}\" }} ({} {})",
                sig(self.value),
                sig(r * f),
                self.unit
            ));
        }
        Some(msg)
    }
}

/// A number with 3 significant digits, for messages (scientific from a million).
fn sig(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return num_text(v);
    }
    if v.abs() >= 1e6 {
        return format!("{v:.2e}").replace(".00e", "e").replace("0e", "e");
    }
    let d = 2 - v.abs().log10().floor() as i32;
    let r = if d >= 0 {
        let f = 10f64.powi(d);
        (v * f).round() / f
    } else {
        let f = 10f64.powi(-d);
        (v / f).round() * f
    };
    num_text(r)
}

/// Warnings for money that is implausible for the region's members (module docs): per
/// member spending, months of reserve at the start, contribution base, pension, premium,
/// subsidy, the 大病 transfer and other income. `t0` are the base-year totals and `s0` the
/// base-year spending of each fund (yuan).
pub fn unit_warnings(s: &Scenario, t0: &Totals, s0: [f64; 2]) -> Vec<String> {
    let (e, r) = (&s.employee, &s.resident);
    let b = s.region.base_year;
    let members = [t0.actives + t0.retirees, t0.residents];
    let rule = |key: &str, param, value, per, unit, context: String, lo, hi| Rule {
        key: key.to_string(),
        param,
        value,
        per,
        unit,
        context,
        lo,
        hi,
    };
    let mut rules = Vec::new();
    for (f, (fund, base_spending, balance, other)) in [
        (
            "employee",
            &e.base_spending,
            &e.base_balance,
            &e.other_income,
        ),
        (
            "resident",
            &r.base_spending,
            &r.base_balance,
            &r.other_income,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let of_spending = format!(
            " of the {fund} fund's base-year spending ({} yuan)",
            sig(s0[f])
        );
        if let Some(p) = base_spending {
            let members_text = format!(" ({} members)", sig(members[f]));
            let unit = "yuan per member a year";
            let key = format!("{fund}.base_spending");
            rules.push(rule(
                &key,
                p,
                s0[f],
                members[f],
                unit,
                members_text,
                50.0,
                1e5,
            ));
        }
        let (v, per) = (balance.value_at(b), s0[f] / 12.0);
        let key = format!("{fund}.base_balance");
        rules.push(rule(
            &key,
            balance,
            v,
            per,
            "months",
            of_spending.clone(),
            0.01,
            600.0,
        ));
        let key = format!("{fund}.other_income");
        let v = other.value_at(b + 1);
        rules.push(rule(
            &key,
            other,
            v,
            s0[f],
            "times",
            of_spending,
            1e-5,
            10.0,
        ));
    }
    let per_member = "yuan per member a year";
    for (key, param, lo, hi, unit) in [
        (
            "employee.contribution_base",
            &e.contribution_base,
            3e3,
            1e6,
            "yuan per active a year",
        ),
        ("employee.pension", &e.pension, 1e3, 1e6, "yuan a year"),
        ("resident.premium", &r.premium, 5.0, 5e4, per_member),
        ("resident.subsidy", &r.subsidy, 5.0, 5e4, per_member),
        (
            "resident.critical_illness_premium",
            &r.critical_illness_premium,
            1.0,
            1e4,
            per_member,
        ),
    ] {
        rules.push(rule(
            key,
            param,
            param.value_at(b),
            1.0,
            unit,
            String::new(),
            lo,
            hi,
        ));
    }
    rules.iter().filter_map(Rule::check).collect()
}
