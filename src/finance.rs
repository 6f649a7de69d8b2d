//! Income, spending, interest and reserve of the two funds (MODEL.md §5–7), and the
//! calibration of κ to observed base-year spending (MODEL.md §6, §12).

use crate::param::Resolved;
use crate::scenario::{Reform, Scenario};

/// Employee-fund prices resolved per year (MODEL.md §5–6).
#[derive(Debug, Clone)]
pub struct EmployeeModel {
    /// `rate_pool(t)·collect_E(t)` per year index.
    pub contribution_rate: Vec<f64>,
    /// `W(Y0)`, yuan per active per year.
    pub contribution_base: f64,
    /// `pension(Y0)`.
    pub pension: f64,
    /// Pension link to wage growth per year index.
    pub pension_link: Vec<f64>,
    /// `acct_rate(t)`.
    pub account_rate: Resolved,
    /// `pol_E(t)` per year index.
    pub policy: Vec<f64>,
    /// κE.
    pub kappa: f64,
    /// Other income.
    pub other_income: Resolved,
    /// `B(Y0)`.
    pub base_balance: f64,
    /// `S(Y0)`, observed or modelled.
    pub base_spending: f64,
}

/// Resident-fund prices resolved per year (MODEL.md §5–6).
#[derive(Debug, Clone)]
pub struct ResidentModel {
    /// Premium per member.
    pub premium: Resolved,
    /// Subsidy per member.
    pub subsidy: Resolved,
    /// `collect_R(t)` per year index.
    pub collection: Vec<f64>,
    /// `pol_R(t)` per year index.
    pub policy: Vec<f64>,
    /// κR.
    pub kappa: f64,
    /// 大病保险 transfer per member.
    pub critical_illness: Resolved,
    /// Other income.
    pub other_income: Resolved,
    /// `B(Y0)`.
    pub base_balance: f64,
    /// `S(Y0)`, observed or modelled.
    pub base_spending: f64,
}

/// `pol(t) = ratio(t)/ratio(Y0) · Π reforms(t)` per year (MODEL.md §6).
pub fn policy_factors(ratio: &Resolved, reforms: &[Reform], base: i32) -> Vec<f64> {
    ratio
        .values
        .iter()
        .enumerate()
        .map(|(j, r)| {
            let t = base + j as i32;
            r / ratio.values[0] * reforms.iter().map(|f| f.factor(t)).product::<f64>()
        })
        .collect()
}

/// κ such that modelled base-year spending equals the observed one:
/// `κ = (S_obs − non-claims) / (pol(Y0) · claims(Y0))`, with `H(Y0) = 1` (MODEL.md §12).
/// Returns `(κ, S(Y0))`; without an observation κ = 1 and `S(Y0)` is modelled.
pub fn calibrate(
    observed: Option<f64>,
    claims: f64,
    policy0: f64,
    non_claims: f64,
) -> Result<(f64, f64), String> {
    match observed {
        None => {
            let s0 = policy0 * claims + non_claims;
            if s0.is_finite() && s0 > 0.0 {
                Ok((1.0, s0))
            } else {
                Err(format!(
                    "the modelled base-year spending is {s0:.0} (no members with a cost in the base year, and no observed base_spending); expected members with positive costs, or base_spending"
                ))
            }
        }
        Some(s) => {
            let kappa = (s - non_claims) / (policy0 * claims);
            if kappa.is_finite() && kappa > 0.0 {
                Ok((kappa, s))
            } else {
                Err(format!(
                    "observed base-year spending {s} cannot be matched: the non-claims spending \
                     is {non_claims:.0} and the claims term is {:.0}; expected a spending above \
                     the non-claims part and a non-zero cost curve",
                    policy0 * claims
                ))
            }
        }
    }
}

/// One fund's flows and balance in one year (MODEL.md §5–7), yuan.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FundYear {
    /// Contributions `C`.
    pub contributions: f64,
    /// Other income.
    pub other_income: f64,
    /// Interest `I`.
    pub interest: f64,
    /// Spending `S`.
    pub spending: f64,
    /// End-of-year balance `B`.
    pub balance: f64,
}

/// Interest and new balance: `I = r·(B(t−1) + (C + other − S)/2)`,
/// `B(t) = B(t−1) + C + other + I − S` (MODEL.md §5, §7; also when B < 0, §12).
#[inline]
pub fn close_year(r: f64, b_prev: f64, c: f64, other: f64, s: f64) -> FundYear {
    let interest = r * (b_prev + (c + other - s) / 2.0);
    FundYear {
        contributions: c,
        other_income: other,
        interest,
        spending: s,
        balance: b_prev + c + other + interest - s,
    }
}

/// Resolve the fund models given the base-year claims and membership totals.
pub fn resolve(
    s: &Scenario,
    claims0: [f64; 2],
    retirees0: f64,
    residents0: f64,
) -> Result<(EmployeeModel, ResidentModel), (&'static str, String)> {
    let (b, h) = (s.region.base_year, s.region.horizon);
    let e = &s.employee;
    let per_year = |p: &crate::param::Param| p.resolve(b, h).values;
    let (er, ee) = (per_year(&e.employer_rate), per_year(&e.employee_rate));
    let (etp, eetp) = (per_year(&e.employer_to_pool), per_year(&e.employee_to_pool));
    let collect = per_year(&e.collection);
    let contribution_rate = (0..er.len())
        .map(|j| (er[j] * etp[j] + ee[j] * eetp[j]) * collect[j])
        .collect();
    let account_rate = e.account_rate.resolve(b, h);
    let pension = e.pension.value_at(b);
    let policy_e = policy_factors(&e.reimbursement.resolve(b, h), &e.reforms, b);
    let non_claims_e = retirees0 * pension * account_rate.values[0];
    let (kappa_e, s0_e) = calibrate(
        e.base_spending.as_ref().map(|p| p.value_at(b)),
        claims0[0],
        policy_e[0],
        non_claims_e,
    )
    .map_err(|m| ("employee.base_spending", m))?;
    let employee = EmployeeModel {
        contribution_rate,
        contribution_base: e.contribution_base.value_at(b),
        pension,
        pension_link: per_year(&e.pension_link),
        account_rate,
        policy: policy_e,
        kappa: kappa_e,
        other_income: e.other_income.resolve(b, h),
        base_balance: e.base_balance.value_at(b),
        base_spending: s0_e,
    };
    let r = &s.resident;
    let critical_illness = r.critical_illness_premium.resolve(b, h);
    let policy_r = policy_factors(&r.reimbursement.resolve(b, h), &r.reforms, b);
    let (kappa_r, s0_r) = calibrate(
        r.base_spending.as_ref().map(|p| p.value_at(b)),
        claims0[1],
        policy_r[0],
        residents0 * critical_illness.values[0],
    )
    .map_err(|m| ("resident.base_spending", m))?;
    let resident = ResidentModel {
        premium: r.premium.resolve(b, h),
        subsidy: r.subsidy.resolve(b, h),
        collection: per_year(&r.collection),
        policy: policy_r,
        kappa: kappa_r,
        critical_illness,
        other_income: r.other_income.resolve(b, h),
        base_balance: r.base_balance.value_at(b),
        base_spending: s0_r,
    };
    Ok((employee, resident))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kappa_reproduces_observed_spending() {
        let (k, s0) = calibrate(Some(1000.0), 400.0, 1.0, 200.0).unwrap();
        assert_eq!(s0, 1000.0);
        assert!((k * 400.0 + 200.0 - 1000.0).abs() < 1e-9);
        assert!(calibrate(Some(100.0), 400.0, 1.0, 200.0).is_err());
    }

    #[test]
    fn reform_ramps() {
        let r = Reform {
            name: "DRG".into(),
            start: 2022,
            ramp_years: 2,
            effect: -0.1,
            source: None,
        };
        assert_eq!(r.factor(2021), 1.0);
        assert!((r.factor(2022) - 0.95).abs() < 1e-12);
        assert!((r.factor(2023) - 0.9).abs() < 1e-12);
        let r0 = Reform { ramp_years: 0, ..r };
        assert!((r0.factor(2022) - 0.9).abs() < 1e-12);
    }

    #[test]
    fn interest_accrues_on_mid_year_flow() {
        let y = close_year(0.02, 100.0, 50.0, 0.0, 30.0);
        assert!((y.interest - 0.02 * 110.0).abs() < 1e-12);
        assert!((y.balance - (100.0 + 20.0 + 2.2)).abs() < 1e-12);
    }
}
