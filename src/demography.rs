//! Demographic building blocks for the population and membership base (MODEL.md §3, §4, §6).
//!
//! Everything here is a pure function of its inputs: no I/O, no randomness. The functions turn
//! the aggregates a bureau actually has (census group totals, a life expectancy, plan figures)
//! into the single-age arrays the engine needs:
//!
//! | need (MODEL.md) | function | method |
//! | --- | --- | --- |
//! | base population `P[s][x]` (§3) | [`ungroup`], [`stable_population_weights`], [`sex_ratio_by_age`], [`split_by_sex`] | PCHIP on the cumulative count, open group split by (stable) `Lx`; sex ratio from SRB × survival |
//! | base life table `q0(s,x)` (§3.1) | [`life_table_from_e0`], [`life_expectancy`], [`stationary_lx`] | Siler law, level fitted to e0 by bisection |
//! | fertility pattern `f(x)` (§3.3) | [`fertility_shape`] | discretised shifted gamma on 15..=49 |
//! | migration pattern `m(s,x)` (§3.4) | [`migration_shape`] | Rogers–Castro schedule × male share |
//! | employee share `emp0(s,x)` (§4) | [`employee_participation`] | logistic entry × continuous retiree decline, calibrated to members and active/retiree ratio |
//! | contribution base `wrel(s,x)` (§5) | [`contribution_base_relativity`] | Mincer (log-quadratic) age–earnings profile |
//! | age-cost curves `c_*(s,x)` (§6) | [`age_cost_curve`], [`calibrate_cost_gradient`] | floor + Gompertz-like gradient + infant and maternity terms |
//! | rough projection check (§3.2) | [`survive`] | ageing step of §3 without births or migration |
//!
//! Ages are `0..=100`, index 100 being the open group 100+ ([`N_AGES`] = 101 cells).
//! Errors are [`DemographyError`]; no function panics on bad input.

// Numeric code over fixed age grids reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

use statrs::distribution::{ContinuousCDF, Gamma};
use std::fmt;
use thiserror::Error;

/// Number of single-age cells: ages 0..=99 and the open group 100+ (MODEL.md §1).
pub const N_AGES: usize = 101;

/// One value per single age 0..=100 (index 100 = 100+) (MODEL.md §1).
pub type AgeArray = [f64; N_AGES];

/// A pair of single-age arrays, one per sex (MODEL.md §1: sexes `male`, `female`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SexAges {
    /// Values for males, ages 0..=100.
    pub male: AgeArray,
    /// Values for females, ages 0..=100.
    pub female: AgeArray,
}

impl SexAges {
    /// Both sexes zero.
    pub fn zeros() -> Self {
        SexAges {
            male: [0.0; N_AGES],
            female: [0.0; N_AGES],
        }
    }

    /// Sum over both sexes and all ages.
    pub fn total(&self) -> f64 {
        self.male.iter().sum::<f64>() + self.female.iter().sum::<f64>()
    }

    /// Sum over both sexes of ages `from..=to` (`to` capped at 100).
    pub fn sum_ages(&self, from: usize, to: usize) -> f64 {
        let to = to.min(N_AGES - 1);
        if from > to {
            return 0.0;
        }
        self.male[from..=to].iter().sum::<f64>() + self.female[from..=to].iter().sum::<f64>()
    }

    /// Both sexes added age by age.
    pub fn both(&self) -> AgeArray {
        let mut out = [0.0; N_AGES];
        for x in 0..N_AGES {
            out[x] = self.male[x] + self.female[x];
        }
        out
    }
}

/// Errors of the demography module. Every message names the offending input.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum DemographyError {
    /// [`ungroup`] was given no groups.
    #[error("no age groups given")]
    NoGroups,
    /// A group total is negative, NaN or infinite.
    #[error("age group {group}: total {total} must be a finite number >= 0")]
    BadTotal {
        /// The group, e.g. `15-59`.
        group: String,
        /// The offending total.
        total: f64,
    },
    /// A group's bounds are impossible (`to < from`, or an age above 100).
    #[error("age group {group}: bounds must satisfy from <= to <= 100")]
    BadBounds {
        /// The group.
        group: String,
    },
    /// Two groups cover the same ages and cannot be normalised.
    #[error("age groups {first} and {second} overlap")]
    Overlap {
        /// The earlier group.
        first: String,
        /// The later group.
        second: String,
    },
    /// Some ages are covered by no group.
    #[error("no age group covers ages {from}..={to}")]
    Gap {
        /// First uncovered age.
        from: u32,
        /// Last uncovered age.
        to: u32,
    },
    /// A nested open group (e.g. 65+) is larger than the one containing it (60+).
    #[error(
        "open group {inner} (total {inner_total}) is larger than {outer} (total {outer_total}) which contains it"
    )]
    NestedLarger {
        /// The containing open group, e.g. `60+`.
        outer: String,
        /// Its total.
        outer_total: f64,
        /// The contained open group, e.g. `65+`.
        inner: String,
        /// Its total.
        inner_total: f64,
    },
    /// An age-indexed input array is unusable.
    #[error("{what}: {reason}")]
    BadArray {
        /// Which argument.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// A scalar parameter is out of its domain.
    #[error("parameter {name} = {value}: {reason}")]
    InvalidParameter {
        /// Parameter name.
        name: &'static str,
        /// Offending value.
        value: f64,
        /// The domain it must lie in.
        reason: &'static str,
    },
    /// The requested life expectancy cannot be produced by the law.
    #[error("life expectancy {target} cannot be fitted: the law gives {low:.3}..{high:.3} years")]
    E0OutOfRange {
        /// Requested e0.
        target: f64,
        /// Smallest e0 the law reaches.
        low: f64,
        /// Largest e0 the law reaches.
        high: f64,
    },
    /// A calibration target cannot be met within the parameter's search range.
    #[error("calibration of {what} failed: {reason}")]
    Calibration {
        /// What was calibrated.
        what: &'static str,
        /// Why it failed.
        reason: String,
    },
}

fn param(
    name: &'static str,
    value: f64,
    ok: bool,
    reason: &'static str,
) -> Result<(), DemographyError> {
    if ok && value.is_finite() {
        Ok(())
    } else {
        Err(DemographyError::InvalidParameter {
            name,
            value,
            reason,
        })
    }
}

fn check_array(what: &'static str, a: &AgeArray) -> Result<(), DemographyError> {
    if let Some(x) = a.iter().position(|v| !v.is_finite() || *v < 0.0) {
        return Err(DemographyError::BadArray {
            what,
            reason: format!("value {} at age {x} must be finite and >= 0", a[x]),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Ungrouping (MODEL.md §3, "grouped totals expanded to single ages by a documented smooth method")
// ---------------------------------------------------------------------------------------------

/// A census age group with its total (MODEL.md §3: base data may be grouped totals).
///
/// `to = None` is an open group (`from`+, e.g. 65+); `to = Some(100)` also reaches the open age
/// 100+. Groups may nest in the census way: 0–14, 15–59, 60+, 65+.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgeGroup {
    /// First age of the group.
    pub from: u32,
    /// Last age (inclusive), or `None` for an open group reaching 100+.
    pub to: Option<u32>,
    /// Number of persons (or any non-negative quantity).
    pub total: f64,
}

impl AgeGroup {
    /// A closed group `from..=to`.
    pub fn closed(from: u32, to: u32, total: f64) -> Self {
        AgeGroup {
            from,
            to: Some(to),
            total,
        }
    }

    /// An open group `from`+.
    pub fn open(from: u32, total: f64) -> Self {
        AgeGroup {
            from,
            to: None,
            total,
        }
    }

    fn last(&self) -> u32 {
        self.to.unwrap_or(100)
    }
}

impl fmt::Display for AgeGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to {
            Some(to) => write!(f, "{}-{}", self.from, to),
            None => write!(f, "{}+", self.from),
        }
    }
}

/// Normalise census groups into disjoint closed groups plus at most one final open group
/// (MODEL.md §3). Nested open groups `a+ ⊃ b+` become `a..=b-1` and `b+`.
fn normalise_groups(groups: &[AgeGroup]) -> Result<Vec<AgeGroup>, DemographyError> {
    if groups.is_empty() {
        return Err(DemographyError::NoGroups);
    }
    let mut closed = Vec::new();
    let mut open = Vec::new();
    for g in groups {
        if !g.total.is_finite() || g.total < 0.0 {
            return Err(DemographyError::BadTotal {
                group: g.to_string(),
                total: g.total,
            });
        }
        match g.to {
            Some(to) if to < g.from || to > 100 => {
                return Err(DemographyError::BadBounds {
                    group: g.to_string(),
                });
            }
            None if g.from > 100 => {
                return Err(DemographyError::BadBounds {
                    group: g.to_string(),
                });
            }
            Some(_) => closed.push(*g),
            None => open.push(*g),
        }
    }
    open.sort_by_key(|g| g.from);
    for w in open.windows(2) {
        let (outer, inner) = (w[0], w[1]);
        if outer.from == inner.from {
            return Err(DemographyError::Overlap {
                first: outer.to_string(),
                second: inner.to_string(),
            });
        }
        if inner.total > outer.total {
            return Err(DemographyError::NestedLarger {
                outer: outer.to_string(),
                outer_total: outer.total,
                inner: inner.to_string(),
                inner_total: inner.total,
            });
        }
        closed.push(AgeGroup::closed(
            outer.from,
            inner.from - 1,
            outer.total - inner.total,
        ));
    }
    if let Some(last) = open.last() {
        closed.push(*last);
    }
    closed.sort_by_key(|g| g.from);
    let mut next = 0u32;
    for (i, g) in closed.iter().enumerate() {
        if g.from > next {
            return Err(DemographyError::Gap {
                from: next,
                to: g.from - 1,
            });
        }
        if g.from < next {
            return Err(DemographyError::Overlap {
                first: closed[i - 1].to_string(),
                second: g.to_string(),
            });
        }
        next = g.last() + 1;
    }
    if next <= 100 {
        return Err(DemographyError::Gap {
            from: next,
            to: 100,
        });
    }
    Ok(closed)
}

/// Fritsch–Carlson / PCHIP derivatives (the shape-preserving rules of Fritsch & Butland 1984,
/// as in SciPy's `PchipInterpolator`).
fn pchip_slopes(x: &[f64], y: &[f64]) -> Vec<f64> {
    let n = x.len();
    let h: Vec<f64> = (0..n - 1).map(|k| x[k + 1] - x[k]).collect();
    let d: Vec<f64> = (0..n - 1).map(|k| (y[k + 1] - y[k]) / h[k]).collect();
    let mut m = vec![0.0; n];
    if n == 2 {
        m[0] = d[0];
        m[1] = d[0];
        return m;
    }
    for k in 1..n - 1 {
        if d[k - 1] == 0.0 || d[k] == 0.0 || d[k - 1].signum() != d[k].signum() {
            m[k] = 0.0;
        } else {
            let w1 = 2.0 * h[k] + h[k - 1];
            let w2 = h[k] + 2.0 * h[k - 1];
            m[k] = (w1 + w2) / (w1 / d[k - 1] + w2 / d[k]);
        }
    }
    let end = |h0: f64, h1: f64, d0: f64, d1: f64| -> f64 {
        let mut e = ((2.0 * h0 + h1) * d0 - h0 * d1) / (h0 + h1);
        if e.signum() != d0.signum() || d0 == 0.0 {
            e = 0.0;
        } else if d0.signum() != d1.signum() && e.abs() > 3.0 * d0.abs() {
            e = 3.0 * d0;
        }
        e
    };
    m[0] = end(h[0], h[1], d[0], d[1]);
    m[n - 1] = end(h[n - 2], h[n - 3], d[n - 2], d[n - 3]);
    m
}

/// Evaluate the cubic Hermite interpolant; exact at knots.
fn hermite_eval(x: &[f64], y: &[f64], m: &[f64], t: f64) -> f64 {
    let n = x.len();
    if t <= x[0] {
        return y[0];
    }
    if t >= x[n - 1] {
        return y[n - 1];
    }
    let k = match x.iter().position(|&xk| xk > t) {
        Some(j) => j - 1,
        None => n - 2,
    };
    if t == x[k] {
        return y[k];
    }
    let h = x[k + 1] - x[k];
    let s = (t - x[k]) / h;
    let s2 = s * s;
    let s3 = s2 * s;
    (2.0 * s3 - 3.0 * s2 + 1.0) * y[k]
        + (s3 - 2.0 * s2 + s) * h * m[k]
        + (-2.0 * s3 + 3.0 * s2) * y[k + 1]
        + (s3 - s2) * h * m[k + 1]
}

/// Expand grouped totals into single ages 0..=100 (MODEL.md §3, base data).
///
/// Method:
/// 1. Normalise the groups: nested open groups (60+, 65+) become disjoint (60–64, 65+); the
///    result must tile 0..=100 without gap or overlap, every total finite and ≥ 0.
/// 2. Knots of the cumulative count `N(a)` (persons younger than exact age `a`) at every
///    group boundary: `N(0) = 0`, `N(to+1) = N(from) + total`, `N(101) =` grand total.
/// 3. The open last group `F+` gets internal knots at `a = F+5, F+10, …, ≤ 100` from
///    `tail_weights` `w` (e.g. the stationary `Lx` of a life table, see [`stationary_lx`]):
///    the share of the group aged ≥ a is `Σ_{y≥a} w(y) / Σ_{y≥F} w(y)`.
/// 4. Monotone cubic (Fritsch–Carlson / PCHIP) interpolation of `N` through the knots; the
///    count at single age `x` is `N(x+1) − N(x)`.
///
/// Because the interpolant is monotone and exact at knots, counts are non-negative and every
/// group total is reproduced up to rounding. `tail_weights` must be finite and ≥ 0, with a
/// positive sum over the open group's ages (it is not used when no group is open).
pub fn ungroup(groups: &[AgeGroup], tail_weights: &AgeArray) -> Result<AgeArray, DemographyError> {
    check_array("tail_weights", tail_weights)?;
    let groups = normalise_groups(groups)?;
    let mut kx = vec![0.0];
    let mut ky = vec![0.0];
    let mut cum = 0.0;
    for g in &groups {
        match g.to {
            Some(to) => {
                cum += g.total;
                kx.push(f64::from(to + 1));
                ky.push(cum);
            }
            None => {
                let f = g.from as usize;
                let denom: f64 = tail_weights[f..].iter().sum();
                if denom <= 0.0 {
                    return Err(DemographyError::BadArray {
                        what: "tail_weights",
                        reason: format!("weights over ages {f}..=100 sum to zero"),
                    });
                }
                let base = cum;
                let mut a = f + 5;
                while a <= 100 {
                    let above: f64 = tail_weights[a..].iter().sum();
                    kx.push(a as f64);
                    ky.push(base + g.total * (1.0 - above / denom));
                    a += 5;
                }
                cum += g.total;
                kx.push(101.0);
                ky.push(cum);
            }
        }
    }
    let m = pchip_slopes(&kx, &ky);
    let mut out = [0.0; N_AGES];
    let mut prev = 0.0;
    for x in 0..N_AGES {
        let next = hermite_eval(&kx, &ky, &m, (x + 1) as f64);
        out[x] = (next - prev).max(0.0);
        prev = next;
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Life tables (MODEL.md §3.1: "a parametric law fitted to a life expectancy")
// ---------------------------------------------------------------------------------------------

/// A parametric mortality law with a fixed shape; [`life_table_from_e0`] scales its level
/// (MODEL.md §3.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MortalityLaw {
    /// Siler (1979) hazard `μ(x) = a1·e^(−b1·x) + a2 + a3·e^(b3·x)`: a falling infant/child
    /// term, a constant background term and a Gompertz senescent term.
    Siler {
        /// Infant/child level `a1` (per year, at exact age 0).
        a1: f64,
        /// Infant/child decay rate `b1` (per year of age).
        b1: f64,
        /// Constant background hazard `a2`.
        a2: f64,
        /// Senescent level `a3` (the Gompertz term at exact age 0).
        a3: f64,
        /// Gompertz slope `b3` (per year of age), typically 0.09–0.11.
        b3: f64,
    },
}

impl MortalityLaw {
    /// The default shape used for China and Zhejiang (assumption): `a1 = 0.016`, `b1 = 3.0`,
    /// `a2 = 3e-4`, `a3 = 1.7e-5`, `b3 = 0.10`. At level 1 this gives an infant death
    /// probability of about 5‰, `q(60) ≈ 0.008` and `q(80) ≈ 0.05`, roughly China around 2020;
    /// only the shape matters because the level is refitted to e0.
    pub fn siler_default() -> Self {
        MortalityLaw::Siler {
            a1: 0.016,
            b1: 3.0,
            a2: 3e-4,
            a3: 1.7e-5,
            b3: 0.10,
        }
    }

    fn validate(&self) -> Result<(), DemographyError> {
        match *self {
            MortalityLaw::Siler { a1, b1, a2, a3, b3 } => {
                param("a1", a1, a1 >= 0.0, "must be >= 0")?;
                param("b1", b1, b1 > 0.0, "must be > 0")?;
                param("a2", a2, a2 >= 0.0, "must be >= 0")?;
                param("a3", a3, a3 > 0.0, "must be > 0")?;
                param("b3", b3, b3 > 0.0 && b3 < 1.0, "must lie in (0, 1)")?;
                Ok(())
            }
        }
    }

    /// Cumulative hazard `∫_x^{x+1} μ(t) dt` over one year of age (closed form).
    pub fn year_hazard(&self, x: f64) -> f64 {
        match *self {
            MortalityLaw::Siler { a1, b1, a2, a3, b3 } => {
                a1 * (-b1 * x).exp() * (1.0 - (-b1).exp()) / b1
                    + a2
                    + a3 * (b3 * x).exp() * (b3.exp() - 1.0) / b3
            }
        }
    }
}

/// Period life expectancy at birth of a single-age table `q` (MODEL.md §3.1).
///
/// Conventions: radix `l(0) = 1`; for ages 0..=99 deaths fall at mid-year (`a(x) = 0.5`), so
/// `L(x) = l(x)·(1 − q(x)/2)`; the open group 100+ has a constant hazard
/// `μ = −ln(1 − q(100))` (the same one-year death probability every year, as in the ageing step
/// of MODEL.md §3.2), so `L(100+) = l(100)/μ`. With `q(100) = 1` this falls back to
/// `l(100)·0.5`; with `q(100) = 0` and `l(100) > 0` the result is infinite. Values of `q`
/// outside [0, 1] are clamped; NaN propagates.
pub fn life_expectancy(q: &AgeArray) -> f64 {
    stationary_lx(q).iter().sum()
}

/// Stationary person-years `L(x)` of the table `q`, radix `l(0) = 1` (MODEL.md §3.1); the
/// conventions are those of [`life_expectancy`] (which is `Σ L(x)`). `L(100)` is the whole open
/// group 100+. Useful as `tail_weights` for [`ungroup`].
pub fn stationary_lx(q: &AgeArray) -> AgeArray {
    let mut out = [0.0; N_AGES];
    let mut l = 1.0;
    for x in 0..N_AGES - 1 {
        let qx = q[x].clamp(0.0, 1.0);
        out[x] = l * (1.0 - 0.5 * qx);
        l *= 1.0 - qx;
    }
    let q100 = q[100].clamp(0.0, 1.0);
    out[100] = if q100 >= 1.0 {
        0.5 * l
    } else if l == 0.0 {
        0.0
    } else {
        l / -(1.0 - q100).ln()
    };
    out
}

/// Stable-population weights `w(x) = L(x)·e^(−r·x)` (MODEL.md §3 base data): the age
/// distribution of a population with life table `L` whose births grew at rate `r` per year.
/// With `r > 0` older ages weigh less than in the stationary population (`r = 0`), which
/// stands in for smaller and less-surviving old cohorts when used as `tail_weights` for
/// [`ungroup`]. `lx` must be finite and ≥ 0, `|r| < 0.2`.
pub fn stable_population_weights(lx: &AgeArray, growth: f64) -> Result<AgeArray, DemographyError> {
    check_array("lx", lx)?;
    param(
        "growth",
        growth,
        growth.abs() < 0.2,
        "must lie in (-0.2, 0.2)",
    )?;
    let mut w = [0.0; N_AGES];
    for x in 0..N_AGES {
        w[x] = lx[x] * (-growth * x as f64).exp();
    }
    Ok(w)
}

fn table_at_level(law: &MortalityLaw, level: f64) -> AgeArray {
    let mut q = [0.0; N_AGES];
    for x in 0..N_AGES {
        q[x] = 1.0 - (-level * law.year_hazard(x as f64)).exp();
    }
    q
}

/// Single-age death probabilities `q(x)` from a law whose level is fitted to a period life
/// expectancy `e0` (MODEL.md §3.1, "a parametric law fitted to a life expectancy").
///
/// Method: proportional hazards, `μ_L(x) = L·μ(x)`, so `q(x) = 1 − exp(−L·∫_x^{x+1} μ)`;
/// the level `L` is found by bisection on `ln L ∈ [ln 1e-6, ln 1e6]` until
/// [`life_expectancy`]`(q) = e0` (to 1e-10 years). `q(100)` is the one-year probability of the
/// open group at the hazard of age 100–101, treated as constant (see [`life_expectancy`]).
pub fn life_table_from_e0(e0: f64, law: &MortalityLaw) -> Result<AgeArray, DemographyError> {
    param(
        "e0",
        e0,
        e0 > 0.0 && e0 <= 110.0,
        "must lie in (0, 110] years",
    )?;
    law.validate()?;
    let (mut lo, mut hi) = (1e-6f64.ln(), 1e6f64.ln());
    let e_lo_level = life_expectancy(&table_at_level(law, lo.exp())); // high e0
    let e_hi_level = life_expectancy(&table_at_level(law, hi.exp())); // low e0
    if !(e0 <= e_lo_level && e0 >= e_hi_level) {
        return Err(DemographyError::E0OutOfRange {
            target: e0,
            low: e_hi_level,
            high: e_lo_level,
        });
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        let e = life_expectancy(&table_at_level(law, mid.exp()));
        if (e - e0).abs() < 1e-10 {
            lo = mid;
            hi = mid;
            break;
        }
        if e > e0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(table_at_level(law, (0.5 * (lo + hi)).exp()))
}

// ---------------------------------------------------------------------------------------------
// Sex split and ageing
// ---------------------------------------------------------------------------------------------

/// Sex ratio by age (males per female) for splitting a both-sexes population (MODEL.md §3,
/// base data; an assumption wherever single-age sex data are missing).
///
/// Method: the stationary population of the two life tables, born at sex ratio `srb`:
/// `r(x) = srb · L_male(x) / L_female(x)`, times `(1 + working_age_excess)` at ages 15..=64
/// (a male-biased labour migrant stock; 0 for none). Ratios fall at old ages because women
/// survive longer.
pub fn sex_ratio_by_age(
    srb: f64,
    q_male: &AgeArray,
    q_female: &AgeArray,
    working_age_excess: f64,
) -> Result<AgeArray, DemographyError> {
    param("srb", srb, srb > 0.0, "must be > 0")?;
    param(
        "working_age_excess",
        working_age_excess,
        working_age_excess > -1.0,
        "must be > -1",
    )?;
    check_array("q_male", q_male)?;
    check_array("q_female", q_female)?;
    let lm = stationary_lx(q_male);
    let lf = stationary_lx(q_female);
    let mut r = [0.0; N_AGES];
    for x in 0..N_AGES {
        if lf[x] <= 0.0 {
            return Err(DemographyError::BadArray {
                what: "q_female",
                reason: format!("no female survivors at age {x}"),
            });
        }
        let mig = if (15..=64).contains(&x) {
            1.0 + working_age_excess
        } else {
            1.0
        };
        r[x] = srb * lm[x] / lf[x] * mig;
    }
    Ok(r)
}

/// Split a both-sexes population by a sex ratio (males per female) at each age:
/// `male = P·r/(1+r)`, `female = P/(1+r)` (MODEL.md §3 base data).
pub fn split_by_sex(
    total: &AgeArray,
    males_per_female: &AgeArray,
) -> Result<SexAges, DemographyError> {
    check_array("total", total)?;
    check_array("males_per_female", males_per_female)?;
    let mut out = SexAges::zeros();
    for x in 0..N_AGES {
        let r = males_per_female[x];
        out.male[x] = total[x] * r / (1.0 + r);
        out.female[x] = total[x] / (1.0 + r);
    }
    Ok(out)
}

/// Age a population `years` times by MODEL.md §3 step 2 with constant `q` and no births or
/// migration (ages 0..=years−1 empty at the end): a rough check of a base population and table.
pub fn survive(
    pop: &SexAges,
    q_male: &AgeArray,
    q_female: &AgeArray,
    years: u32,
) -> Result<SexAges, DemographyError> {
    check_array("pop.male", &pop.male)?;
    check_array("pop.female", &pop.female)?;
    for (what, q) in [("q_male", q_male), ("q_female", q_female)] {
        if q.iter().any(|v| !(0.0..=1.0).contains(v)) {
            return Err(DemographyError::BadArray {
                what,
                reason: "death probabilities must lie in [0, 1]".into(),
            });
        }
    }
    let step = |p: &AgeArray, q: &AgeArray| -> AgeArray {
        let mut n = [0.0; N_AGES];
        for x in 0..99 {
            n[x + 1] = p[x] * (1.0 - q[x]);
        }
        n[100] = p[99] * (1.0 - q[99]) + p[100] * (1.0 - q[100]);
        n
    };
    let mut cur = *pop;
    for _ in 0..years {
        cur = SexAges {
            male: step(&cur.male, q_male),
            female: step(&cur.female, q_female),
        };
    }
    Ok(cur)
}

// ---------------------------------------------------------------------------------------------
// Fertility and migration age patterns (MODEL.md §3.3, §3.4)
// ---------------------------------------------------------------------------------------------

/// Age pattern of fertility `f(x)` for MODEL.md §3.3 (`f` sums to 1; `TFR` carries the level).
///
/// Method: a gamma distribution of exact age at childbearing shifted to start at 15, with
/// mean `mean_age` and standard deviation `sd` (shape `((mean−15)/sd)²`, scale
/// `sd²/(mean−15)`); `f(x)` is its mass on `[x, x+1)` for x = 15..=49, renormalised to sum 1
/// (mass beyond 50 is dropped). Zero outside 15..=49. Requires `15 < mean_age < 50`,
/// `0 < sd < 15`.
pub fn fertility_shape(mean_age: f64, sd: f64) -> Result<AgeArray, DemographyError> {
    param(
        "mean_age",
        mean_age,
        mean_age > 15.0 && mean_age < 50.0,
        "must lie in (15, 50)",
    )?;
    param("sd", sd, sd > 0.0 && sd < 15.0, "must lie in (0, 15)")?;
    let m = mean_age - 15.0;
    let shape = (m / sd).powi(2);
    let rate = m / (sd * sd);
    let g = Gamma::new(shape, rate).map_err(|_| DemographyError::InvalidParameter {
        name: "sd",
        value: sd,
        reason: "gives an invalid gamma distribution",
    })?;
    let mut f = [0.0; N_AGES];
    for x in 15..=49usize {
        let a = (x - 15) as f64;
        f[x] = (g.cdf(a + 1.0) - g.cdf(a)).max(0.0);
    }
    let s: f64 = f.iter().sum();
    if s <= 0.0 || !s.is_finite() {
        return Err(DemographyError::InvalidParameter {
            name: "sd",
            value: sd,
            reason: "leaves no fertility mass on ages 15..=49",
        });
    }
    f.iter_mut().for_each(|v| *v /= s);
    Ok(f)
}

/// Rogers–Castro model migration schedule (MODEL.md §3.4):
/// `m(x) = a1·e^(−α1·x) + a2·exp(−α2·(x−μ2) − e^(−λ2·(x−μ2))) + c`
/// (childhood, labour-force and constant components).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RogersCastro {
    /// Childhood component level.
    pub a1: f64,
    /// Childhood component decay.
    pub alpha1: f64,
    /// Labour-force component level.
    pub a2: f64,
    /// Labour-force peak location (years).
    pub mu2: f64,
    /// Labour-force descent rate.
    pub alpha2: f64,
    /// Labour-force ascent rate.
    pub lambda2: f64,
    /// Constant component.
    pub c: f64,
}

impl RogersCastro {
    /// The "standard" schedule of Rogers & Castro (1981): `a1 = 0.02, α1 = 0.1, a2 = 0.06,
    /// μ2 = 20, α2 = 0.1, λ2 = 0.4, c = 0.003` (peak in the early twenties).
    pub fn standard() -> Self {
        RogersCastro {
            a1: 0.02,
            alpha1: 0.1,
            a2: 0.06,
            mu2: 20.0,
            alpha2: 0.1,
            lambda2: 0.4,
            c: 0.003,
        }
    }

    /// Schedule value at age `x` (unnormalised).
    pub fn at(&self, x: f64) -> f64 {
        let d = x - self.mu2;
        self.a1 * (-self.alpha1 * x).exp()
            + self.a2 * (-self.alpha2 * d - (-self.lambda2 * d).exp()).exp()
            + self.c
    }
}

/// Age–sex pattern `m(s,x)` of net migrants for MODEL.md §3.4: the Rogers–Castro schedule
/// normalised over ages 0..=100, times `male_share` for males and `1 − male_share` for
/// females, so the two arrays together sum to 1.
pub fn migration_shape(
    schedule: &RogersCastro,
    male_share: f64,
) -> Result<(AgeArray, AgeArray), DemographyError> {
    param(
        "male_share",
        male_share,
        (0.0..=1.0).contains(&male_share),
        "must lie in [0, 1]",
    )?;
    let fields = [
        ("a1", schedule.a1),
        ("alpha1", schedule.alpha1),
        ("a2", schedule.a2),
        ("mu2", schedule.mu2),
        ("alpha2", schedule.alpha2),
        ("lambda2", schedule.lambda2),
        ("c", schedule.c),
    ];
    for (name, v) in fields {
        param(name, v, v >= 0.0, "must be >= 0")?;
    }
    let mut m = [0.0; N_AGES];
    for x in 0..N_AGES {
        m[x] = schedule.at(x as f64);
    }
    let s: f64 = m.iter().sum();
    if s <= 0.0 || !s.is_finite() {
        return Err(DemographyError::InvalidParameter {
            name: "a2",
            value: schedule.a2,
            reason: "the schedule is zero or not finite everywhere",
        });
    }
    let mut male = [0.0; N_AGES];
    let mut female = [0.0; N_AGES];
    for x in 0..N_AGES {
        male[x] = m[x] / s * male_share;
        female[x] = m[x] / s * (1.0 - male_share);
    }
    Ok((male, female))
}

// ---------------------------------------------------------------------------------------------
// Membership (MODEL.md §4)
// ---------------------------------------------------------------------------------------------

/// Retired fraction of the age-x cohort, `ρ = clamp(x + 1 − R, 0, 1)` (MODEL.md §4).
pub fn retired_fraction(x: usize, retirement_age: f64) -> f64 {
    (x as f64 + 1.0 - retirement_age).clamp(0.0, 1.0)
}

/// Shape of employee-scheme participation by age (MODEL.md §4, `emp0`), before its level.
///
/// `shape_s(x) = 0` below `min_age`, else `k_s · g(min(x, R_s)) · e^(−δ·max(0, x − R_s))` with the working-age profile
/// `g(a) = 1/(1 + e^(−(a − entry_age)/entry_spread)) · e^(−late_decline·max(0, a − 45))`:
/// logistic entry into formal jobs, a gentle fall in formal employment after 45, and beyond
/// the retirement age a decline `δ` per year (older cohorts had less formal employment). The
/// curve is continuous at `R`, so raising `R` in a scenario does not create a jump. `δ` and the
/// level are calibrated by [`employee_participation`]; `k_male = 1`, `k_female =
/// female_relative`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParticipationShape {
    /// Youngest age that can be a member (legal working age); `emp0 = 0` below it.
    pub min_age: f64,
    /// Age at which half of the plateau participation is reached.
    pub entry_age: f64,
    /// Logistic spread of the entry (years).
    pub entry_spread: f64,
    /// Proportional fall per year of age above 45, before retirement.
    pub late_decline: f64,
    /// Female level relative to male.
    pub female_relative: f64,
    /// Retirement ages `(male, female)`; may be fractional.
    pub retirement_age: (f64, f64),
}

impl ParticipationShape {
    /// Defaults (assumptions): no members below 16, entry midpoint 22, spread 2 years, late decline 1.5 %/year
    /// after 45, female level 0.85 of male, retirement at 60 (men) and 52 (women: 50 for
    /// workers, 55 for cadres, blended).
    pub fn default_china() -> Self {
        ParticipationShape {
            min_age: 16.0,
            entry_age: 22.0,
            entry_spread: 2.0,
            late_decline: 0.015,
            female_relative: 0.85,
            retirement_age: (60.0, 52.0),
        }
    }

    fn unit(&self, x: usize, female: bool, delta: f64) -> f64 {
        let (r, k) = if female {
            (self.retirement_age.1, self.female_relative)
        } else {
            (self.retirement_age.0, 1.0)
        };
        if (x as f64) < self.min_age {
            return 0.0;
        }
        let a = (x as f64).min(r);
        let g = 1.0 / (1.0 + (-(a - self.entry_age) / self.entry_spread).exp())
            * (-self.late_decline * (a - 45.0).max(0.0)).exp();
        k * g * (-delta * (x as f64 - r).max(0.0)).exp()
    }
}

/// Result of [`employee_participation`].
#[derive(Debug, Clone, PartialEq)]
pub struct Participation {
    /// `emp0(s,x)`: share of each age–sex cell in the employee scheme (MODEL.md §4).
    pub emp0: SexAges,
    /// Calibrated level (multiplies the shape).
    pub level: f64,
    /// Calibrated post-retirement decline `δ` per year of age.
    pub retiree_decline: f64,
    /// Actives `P·emp0·(1−ρ)` by age and sex.
    pub actives: SexAges,
    /// Retirees `P·emp0·ρ` by age and sex.
    pub retirees: SexAges,
}

fn membership(pop: &SexAges, emp: &SexAges, r: (f64, f64)) -> (SexAges, SexAges) {
    let mut act = SexAges::zeros();
    let mut ret = SexAges::zeros();
    for x in 0..N_AGES {
        let rm = retired_fraction(x, r.0);
        let rf = retired_fraction(x, r.1);
        act.male[x] = pop.male[x] * emp.male[x] * (1.0 - rm);
        ret.male[x] = pop.male[x] * emp.male[x] * rm;
        act.female[x] = pop.female[x] * emp.female[x] * (1.0 - rf);
        ret.female[x] = pop.female[x] * emp.female[x] * rf;
    }
    (act, ret)
}

fn emp_at(shape: &ParticipationShape, level: f64, delta: f64) -> SexAges {
    let mut e = SexAges::zeros();
    for x in 0..N_AGES {
        e.male[x] = (level * shape.unit(x, false, delta)).min(1.0);
        e.female[x] = (level * shape.unit(x, true, delta)).min(1.0);
    }
    e
}

/// Calibrate `emp0(s,x)` (MODEL.md §4) to a population so that the scheme has `members`
/// persons (actives + retirees) with `active_per_retiree` actives per retiree, using the
/// model's own retirement rule `ρ = clamp(x + 1 − R, 0, 1)`.
///
/// Method: nested bisection. For a decline `δ` (searched in [−0.2, 0.5]) the level is found by
/// bisection so that `Σ P·emp0 = members` (`emp0` capped at 1); then `δ` is bisected so that
/// the active/retiree ratio matches (the ratio rises with `δ`).
pub fn employee_participation(
    pop: &SexAges,
    shape: &ParticipationShape,
    members: f64,
    active_per_retiree: f64,
) -> Result<Participation, DemographyError> {
    check_array("pop.male", &pop.male)?;
    check_array("pop.female", &pop.female)?;
    param("members", members, members > 0.0, "must be > 0")?;
    param(
        "active_per_retiree",
        active_per_retiree,
        active_per_retiree > 0.0,
        "must be > 0",
    )?;
    param(
        "entry_spread",
        shape.entry_spread,
        shape.entry_spread > 0.0,
        "must be > 0",
    )?;
    param(
        "late_decline",
        shape.late_decline,
        shape.late_decline >= 0.0,
        "must be >= 0",
    )?;
    param(
        "female_relative",
        shape.female_relative,
        shape.female_relative > 0.0,
        "must be > 0",
    )?;
    param("entry_age", shape.entry_age, true, "must be finite")?;
    param(
        "min_age",
        shape.min_age,
        shape.min_age >= 0.0,
        "must be >= 0",
    )?;
    for (name, r) in [
        ("retirement_age.male", shape.retirement_age.0),
        ("retirement_age.female", shape.retirement_age.1),
    ] {
        param(name, r, (1.0..=100.0).contains(&r), "must lie in [1, 100]")?;
    }
    let r = shape.retirement_age;
    let level_for = |delta: f64| -> Result<f64, DemographyError> {
        let tot = |level: f64| emp_at(shape, level, delta).both_weighted(pop);
        let mut hi = 1.0;
        while tot(hi) < members {
            hi *= 2.0;
            if hi > 1e9 {
                return Err(DemographyError::Calibration {
                    what: "employee participation level",
                    reason: format!(
                        "{members} members exceed what the population can hold (emp0 capped at 1)"
                    ),
                });
            }
        }
        let mut lo = 0.0;
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if tot(mid) < members {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Ok(0.5 * (lo + hi))
    };
    let ratio_for = |delta: f64| -> Result<(f64, f64), DemographyError> {
        let level = level_for(delta)?;
        let (a, rt) = membership(pop, &emp_at(shape, level, delta), r);
        let rt = rt.total();
        Ok((
            level,
            if rt > 0.0 {
                a.total() / rt
            } else {
                f64::INFINITY
            },
        ))
    };
    let (mut lo, mut hi) = (-0.2, 0.5);
    let (r_lo, r_hi) = (ratio_for(lo)?.1, ratio_for(hi)?.1);
    if !(active_per_retiree >= r_lo && active_per_retiree <= r_hi) {
        return Err(DemographyError::Calibration {
            what: "employee retiree decline",
            reason: format!(
                "active/retiree ratio {active_per_retiree} outside the reachable {r_lo:.3}..{r_hi:.3}"
            ),
        });
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if ratio_for(mid)?.1 < active_per_retiree {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let delta = 0.5 * (lo + hi);
    let (level, _) = ratio_for(delta)?;
    let emp0 = emp_at(shape, level, delta);
    let (actives, retirees) = membership(pop, &emp0, r);
    Ok(Participation {
        emp0,
        level,
        retiree_decline: delta,
        actives,
        retirees,
    })
}

impl SexAges {
    /// `Σ_s Σ_x self(s,x)·weights(s,x)`.
    pub fn both_weighted(&self, weights: &SexAges) -> f64 {
        (0..N_AGES)
            .map(|x| self.male[x] * weights.male[x] + self.female[x] * weights.female[x])
            .sum()
    }
}

// ---------------------------------------------------------------------------------------------
// Contribution base (MODEL.md §5) and age-cost curves (MODEL.md §6)
// ---------------------------------------------------------------------------------------------

/// Age–earnings profile for `wrel(s,x)` (MODEL.md §5): Mincer's log-quadratic
/// `ln w(x) = 2·curvature·(peak_age − start)·(a − start) − curvature·(a − start)²`,
/// `a = max(x, start)`, peaking at `peak_age`; females × `female_relative`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EarningsProfile {
    /// Age where the profile starts (younger ages use its value).
    pub start_age: f64,
    /// Age of peak earnings.
    pub peak_age: f64,
    /// Curvature of log earnings per squared year.
    pub curvature: f64,
    /// Female contribution base relative to male at the same age.
    pub female_relative: f64,
}

impl EarningsProfile {
    /// Defaults (assumptions): start 16, peak 45, curvature 0.0006 (peak/age-20 ≈ 1.45),
    /// female 0.85 of male.
    pub fn default_china() -> Self {
        EarningsProfile {
            start_age: 16.0,
            peak_age: 45.0,
            curvature: 0.0006,
            female_relative: 0.85,
        }
    }

    fn at(&self, x: usize) -> f64 {
        let a = (x as f64).max(self.start_age) - self.start_age;
        let p = self.peak_age - self.start_age;
        (2.0 * self.curvature * p * a - self.curvature * a * a).exp()
    }
}

/// `wrel(s,x)` (MODEL.md §5): the profile scaled so that its mean over `active_weights`
/// (e.g. the base-year actives `A(s,x)`) is exactly 1.
pub fn contribution_base_relativity(
    profile: &EarningsProfile,
    active_weights: &SexAges,
) -> Result<SexAges, DemographyError> {
    check_array("active_weights.male", &active_weights.male)?;
    check_array("active_weights.female", &active_weights.female)?;
    param(
        "start_age",
        profile.start_age,
        profile.start_age >= 0.0,
        "must be >= 0",
    )?;
    param(
        "peak_age",
        profile.peak_age,
        profile.peak_age >= profile.start_age,
        "must be >= start_age",
    )?;
    param(
        "curvature",
        profile.curvature,
        profile.curvature >= 0.0,
        "must be >= 0",
    )?;
    param(
        "female_relative",
        profile.female_relative,
        profile.female_relative > 0.0,
        "must be > 0",
    )?;
    let mut w = SexAges::zeros();
    for x in 0..N_AGES {
        w.male[x] = profile.at(x);
        w.female[x] = profile.at(x) * profile.female_relative;
    }
    normalise_mean(w, active_weights, "active_weights")
}

fn normalise_mean(
    mut v: SexAges,
    weights: &SexAges,
    what: &'static str,
) -> Result<SexAges, DemographyError> {
    let wsum = weights.total();
    let m = v.both_weighted(weights) / wsum;
    if wsum <= 0.0 || !(m > 0.0 && m.is_finite()) {
        return Err(DemographyError::BadArray {
            what,
            reason: "weights sum to zero".into(),
        });
    }
    v.male.iter_mut().for_each(|c| *c /= m);
    v.female.iter_mut().for_each(|c| *c /= m);
    Ok(v)
}

/// Parametric age-cost curve for `c_*(s,x)` (MODEL.md §6), relative per-capita claims:
///
/// `c_s(x) = infant·e^(−x/infant_decay) + floor + e^(gradient·(min(x, cap_age) − 40))
///          + [female] maternity·e^(−((x − 29)/5)²/2)`
///
/// The exponential term is a Gompertz-like rise with age that stops at `cap_age` (per-capita
/// claims of the oldest old level off); the maternity bump reflects childbirth costs in the
/// employee scheme (maternity insurance is merged into it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgeCostCurve {
    /// Extra cost at age 0.
    pub infant: f64,
    /// Decay (years) of the infant term.
    pub infant_decay: f64,
    /// Age-independent floor.
    pub floor: f64,
    /// Exponential age gradient per year (calibrated by [`calibrate_cost_gradient`]).
    pub gradient: f64,
    /// Age above which the exponential term stays flat.
    pub cap_age: f64,
    /// Height of the female maternity bump (peak at 29, sd 5 years).
    pub maternity: f64,
}

impl AgeCostCurve {
    /// Defaults (assumptions): infant 1.5 decaying over 2 years, floor 0.4, gradient 0.045,
    /// cap 90, maternity 0.5.
    pub fn default_china() -> Self {
        AgeCostCurve {
            infant: 1.5,
            infant_decay: 2.0,
            floor: 0.4,
            gradient: 0.045,
            cap_age: 90.0,
            maternity: 0.5,
        }
    }
}

/// Evaluate an [`AgeCostCurve`] (MODEL.md §6) for both sexes, unnormalised.
pub fn age_cost_curve(curve: &AgeCostCurve) -> Result<SexAges, DemographyError> {
    param("infant", curve.infant, curve.infant >= 0.0, "must be >= 0")?;
    param(
        "infant_decay",
        curve.infant_decay,
        curve.infant_decay > 0.0,
        "must be > 0",
    )?;
    param("floor", curve.floor, curve.floor >= 0.0, "must be >= 0")?;
    param(
        "gradient",
        curve.gradient,
        curve.gradient.abs() < 1.0,
        "must lie in (-1, 1)",
    )?;
    param(
        "cap_age",
        curve.cap_age,
        curve.cap_age >= 0.0,
        "must be >= 0",
    )?;
    param(
        "maternity",
        curve.maternity,
        curve.maternity >= 0.0,
        "must be >= 0",
    )?;
    let mut c = SexAges::zeros();
    for x in 0..N_AGES {
        let a = x as f64;
        let base = curve.infant * (-a / curve.infant_decay).exp()
            + curve.floor
            + (curve.gradient * (a.min(curve.cap_age) - 40.0)).exp();
        c.male[x] = base;
        c.female[x] = base + curve.maternity * (-0.5 * ((a - 29.0) / 5.0).powi(2)).exp();
    }
    Ok(c)
}

/// Calibrate the gradient of an [`AgeCostCurve`] (MODEL.md §6) so that the mean cost over
/// `retirees` divided by the mean cost over `actives` equals `target_ratio`; returns the
/// calibrated curve and its values normalised to mean 1 over `actives`.
///
/// Method: bisection of `gradient` in [0, 0.2] (the ratio rises with the gradient when
/// retirees are older than actives).
pub fn calibrate_cost_gradient(
    curve: &AgeCostCurve,
    actives: &SexAges,
    retirees: &SexAges,
    target_ratio: f64,
) -> Result<(AgeCostCurve, SexAges), DemographyError> {
    param(
        "target_ratio",
        target_ratio,
        target_ratio > 0.0,
        "must be > 0",
    )?;
    for (what, a) in [
        ("actives.male", &actives.male),
        ("actives.female", &actives.female),
        ("retirees.male", &retirees.male),
        ("retirees.female", &retirees.female),
    ] {
        check_array(what, a)?;
    }
    let (na, nr) = (actives.total(), retirees.total());
    if na <= 0.0 || nr <= 0.0 {
        return Err(DemographyError::BadArray {
            what: "actives/retirees",
            reason: "both groups must be non-empty".into(),
        });
    }
    let ratio = |g: f64| -> Result<f64, DemographyError> {
        let c = age_cost_curve(&AgeCostCurve {
            gradient: g,
            ..*curve
        })?;
        Ok((c.both_weighted(retirees) / nr) / (c.both_weighted(actives) / na))
    };
    let (mut lo, mut hi) = (0.0, 0.2);
    let (r_lo, r_hi) = (ratio(lo)?, ratio(hi)?);
    if !(target_ratio >= r_lo && target_ratio <= r_hi) {
        return Err(DemographyError::Calibration {
            what: "age-cost gradient",
            reason: format!("ratio {target_ratio} outside the reachable {r_lo:.3}..{r_hi:.3}"),
        });
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if ratio(mid)? < target_ratio {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let fitted = AgeCostCurve {
        gradient: 0.5 * (lo + hi),
        ..*curve
    };
    let values = normalise_mean(age_cost_curve(&fitted)?, actives, "actives")?;
    Ok((fitted, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn census_groups() -> Vec<AgeGroup> {
        // Zhejiang 2020 census (shared/data/population_age_structure.csv)
        let total = 64_567_588.0;
        let g0 = 8_681_781.0;
        let g60 = 12_072_684.0;
        let g65 = 8_566_349.0;
        vec![
            AgeGroup::closed(0, 14, g0),
            AgeGroup::closed(15, 59, total - g0 - g60),
            AgeGroup::open(60, g60),
            AgeGroup::open(65, g65),
        ]
    }

    fn lx() -> AgeArray {
        stationary_lx(&life_table_from_e0(79.5, &MortalityLaw::siler_default()).unwrap())
    }

    #[test]
    fn ungroup_reproduces_totals_and_is_non_negative() {
        let p = ungroup(&census_groups(), &lx()).unwrap();
        let rel = |a: f64, b: f64| ((a - b) / b).abs();
        assert!(p.iter().all(|v| *v >= 0.0 && v.is_finite()));
        assert!(rel(p[0..15].iter().sum(), 8_681_781.0) < 1e-9);
        assert!(rel(p[60..].iter().sum(), 12_072_684.0) < 1e-9);
        assert!(rel(p[65..].iter().sum(), 8_566_349.0) < 1e-9);
        assert!(rel(p[60..65].iter().sum(), 12_072_684.0 - 8_566_349.0) < 1e-9);
        assert!(rel(p.iter().sum(), 64_567_588.0) < 1e-9);
    }

    #[test]
    fn ungroup_order_free_and_closed_last() {
        let mut g = census_groups();
        g.reverse();
        let a = ungroup(&g, &lx()).unwrap();
        let b = ungroup(&census_groups(), &lx()).unwrap();
        assert_eq!(a, b);
        let closed = [
            AgeGroup::closed(0, 49, 500.0),
            AgeGroup::closed(50, 100, 100.0),
        ];
        let p = ungroup(&closed, &[0.0; N_AGES]).unwrap();
        assert!((p[50..].iter().sum::<f64>() - 100.0).abs() < 1e-9);
    }

    #[test]
    fn ungroup_rejects_bad_input() {
        let w = lx();
        let mut g = census_groups();
        g[3].total = 13_000_000.0; // 65+ > 60+
        assert!(matches!(
            ungroup(&g, &w),
            Err(DemographyError::NestedLarger { .. })
        ));
        let g = [AgeGroup::closed(0, 14, 1.0), AgeGroup::open(20, 1.0)];
        assert_eq!(
            ungroup(&g, &w),
            Err(DemographyError::Gap { from: 15, to: 19 })
        );
        let g = [AgeGroup::closed(0, 14, -1.0), AgeGroup::open(15, 1.0)];
        assert!(matches!(
            ungroup(&g, &w),
            Err(DemographyError::BadTotal { .. })
        ));
        let g = [AgeGroup::closed(0, 20, 1.0), AgeGroup::open(15, 1.0)];
        assert!(matches!(
            ungroup(&g, &w),
            Err(DemographyError::Overlap { .. })
        ));
        let g = [AgeGroup::closed(0, 50, 1.0)];
        assert_eq!(
            ungroup(&g, &w),
            Err(DemographyError::Gap { from: 51, to: 100 })
        );
        assert_eq!(ungroup(&[], &w), Err(DemographyError::NoGroups));
        let g = [AgeGroup::closed(0, 14, 1.0), AgeGroup::open(15, 1.0)];
        assert!(ungroup(&g, &[0.0; N_AGES]).is_err());
        let mut bad = w;
        bad[3] = f64::NAN;
        assert!(ungroup(&g, &bad).is_err());
        assert!(ungroup(&[AgeGroup::closed(5, 2, 1.0)], &w).is_err());
    }

    #[test]
    fn life_table_fits_e0() {
        let law = MortalityLaw::siler_default();
        for e0 in [60.0, 75.23, 77.93, 81.02, 85.0] {
            let q = life_table_from_e0(e0, &law).unwrap();
            assert!((life_expectancy(&q) - e0).abs() < 1e-6, "e0 {e0}");
            assert!(q.iter().all(|v| (0.0..=1.0).contains(v)));
            for x in 30..100 {
                assert!(q[x + 1] >= q[x], "q not monotone at {x}");
            }
        }
        assert!(matches!(
            life_table_from_e0(0.3, &law),
            Err(DemographyError::E0OutOfRange { .. })
        ));
        assert!(life_table_from_e0(f64::NAN, &law).is_err());
        assert!(life_table_from_e0(500.0, &law).is_err());
        let bad = MortalityLaw::Siler {
            a1: 0.01,
            b1: 1.0,
            a2: 0.0,
            a3: -1.0,
            b3: 0.1,
        };
        assert!(life_table_from_e0(70.0, &bad).is_err());
    }

    #[test]
    fn life_expectancy_conventions() {
        let mut q = [0.0; N_AGES];
        q[100] = 1.0;
        assert!((life_expectancy(&q) - 100.5).abs() < 1e-12);
        let mut q = [1.0; N_AGES];
        q[0] = 1.0;
        assert!((life_expectancy(&q) - 0.5).abs() < 1e-12);
        let q = life_table_from_e0(78.0, &MortalityLaw::siler_default()).unwrap();
        let l = stationary_lx(&q);
        assert!((l.iter().sum::<f64>() - life_expectancy(&q)).abs() < 1e-12);
    }

    #[test]
    fn fertility_sums_to_one() {
        let f = fertility_shape(29.0, 5.0).unwrap();
        assert!((f.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(f[..15].iter().all(|v| *v == 0.0) && f[50..].iter().all(|v| *v == 0.0));
        let mean: f64 = (0..N_AGES).map(|x| (x as f64 + 0.5) * f[x]).sum();
        assert!((mean - 29.0).abs() < 0.3, "mean {mean}");
        assert!(fertility_shape(10.0, 5.0).is_err());
        assert!(fertility_shape(29.0, 0.0).is_err());
    }

    #[test]
    fn stable_weights_fall_faster() {
        let l = lx();
        let w = stable_population_weights(&l, 0.03).unwrap();
        assert!(w[80] / w[60] < l[80] / l[60]);
        assert_eq!(stable_population_weights(&l, 0.0).unwrap(), l);
        assert!(stable_population_weights(&l, 1.0).is_err());
    }

    #[test]
    fn migration_sums_to_one() {
        let (m, f) = migration_shape(&RogersCastro::standard(), 0.55).unwrap();
        let s: f64 = m.iter().sum::<f64>() + f.iter().sum::<f64>();
        assert!((s - 1.0).abs() < 1e-12);
        assert!((m.iter().sum::<f64>() - 0.55).abs() < 1e-12);
        assert!(migration_shape(&RogersCastro::standard(), 1.5).is_err());
    }

    fn zj_pop() -> SexAges {
        let law = MortalityLaw::siler_default();
        let qm = life_table_from_e0(76.8, &law).unwrap();
        let qf = life_table_from_e0(82.6, &law).unwrap();
        let mut w = stationary_lx(&qm);
        let wf = stationary_lx(&qf);
        for x in 0..N_AGES {
            w[x] += wf[x];
        }
        let p = ungroup(&census_groups(), &w).unwrap();
        let r = sex_ratio_by_age(1.11, &qm, &qf, 0.03).unwrap();
        split_by_sex(&p, &r).unwrap()
    }

    #[test]
    fn participation_calibrates() {
        let pop = zj_pop();
        let part = employee_participation(
            &pop,
            &ParticipationShape::default_china(),
            20_670_000.0,
            2.78,
        )
        .unwrap();
        let (a, r) = (part.actives.total(), part.retirees.total());
        assert!(((a + r) / 20_670_000.0 - 1.0).abs() < 1e-6);
        assert!((a / r / 2.78 - 1.0).abs() < 1e-6);
        assert!(
            part.emp0
                .male
                .iter()
                .chain(&part.emp0.female)
                .all(|v| (0.0..=1.0).contains(v))
        );
        assert!(
            employee_participation(&pop, &ParticipationShape::default_china(), 1e12, 2.78).is_err()
        );
    }

    #[test]
    fn cost_and_wage_calibrate() {
        let pop = zj_pop();
        let part = employee_participation(
            &pop,
            &ParticipationShape::default_china(),
            20_670_000.0,
            2.78,
        )
        .unwrap();
        let (_, c) = calibrate_cost_gradient(
            &AgeCostCurve::default_china(),
            &part.actives,
            &part.retirees,
            3.34,
        )
        .unwrap();
        let ma = c.both_weighted(&part.actives) / part.actives.total();
        let mr = c.both_weighted(&part.retirees) / part.retirees.total();
        assert!((ma - 1.0).abs() < 1e-9 && (mr / ma - 3.34).abs() < 1e-6);
        let w =
            contribution_base_relativity(&EarningsProfile::default_china(), &part.actives).unwrap();
        assert!((w.both_weighted(&part.actives) / part.actives.total() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn survive_moves_cohorts() {
        let pop = zj_pop();
        let q = [0.0; N_AGES];
        let s = survive(&pop, &q, &q, 5).unwrap();
        assert!((s.total() - pop.total()).abs() < 1e-6);
        assert_eq!(s.male[5], pop.male[0]);
        assert!(s.male[..5].iter().all(|v| *v == 0.0));
    }
}
