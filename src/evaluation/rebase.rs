//! Re-basing (MODEL.md §13): a new scenario whose base year is a later year `A`, started
//! from what is known at the end of `A`.
//!
//! * Population at the end of `A`: the old scenario's central path, scaled per age and sex
//!   by actual / modelled `population` and, where given, `aged_60_plus` (ages 60+ by the
//!   60+ ratio, ages below 60 by the ratio of the rest). Only `aged_60_plus` given: ages
//!   below 60 are kept. The life table becomes `q0·exp(−b·k(A))` (capped at 1), so that
//!   mortality carries on from the central path's improvement index.
//! * Balances at the end of `A`: the actuals; a fund without an actual balance keeps the
//!   central path's (a caveat says so).
//! * κ: the base-year spending of `A` is set to the actual spending (the central path's when
//!   none is given), so the usual calibration (MODEL.md §6, §12) makes the modelled spending
//!   of `A` (end-of-`A` population, `H = 1`, `pol(A)`) equal to it.
//! * Membership: one factor on the employee share (`membership.employee_scale`) so that
//!   modelled employee members (actives + retirees) of `A` equal the actual employee
//!   `insured` (or `actives` + `retirees`), and one on `membership.coverage` so that modelled
//!   residents equal the actual resident `insured` (or `residents`, or combined `insured`
//!   less the employee members); both held constant afterwards. A single factor cannot
//!   match actives and retirees separately: their split follows the retirement ages.
//! * Driver states start at their means (MODEL.md §9): the contribution base `W(A)`, the
//!   pension and every parameter indexed to the wage or cost index after a year ≤ `A` take
//!   the central path's values at `A`.
//!
//! Every other input is inherited through `extends`: dated values keep their values for the
//! years after `A` (the new file's `region.rebased_from` lets them be listed from the old
//! base year on). Re-basing at the old base year with no actual figures is the identity.

use super::actuals::{Actual, find};
use crate::drivers::Shocks;
use crate::engine::{self, YearRecord};
use crate::param::{Extension, Param};
use crate::population::{CELLS, Cells};
use crate::resolve::Model;
use crate::scenario::Scenario;
use crate::scenario::ages::AGES;

/// The old scenario's central path at year index `j` (MODEL.md §9: every ε = 0, no
/// epidemic): what a re-based scenario inherits besides the actuals.
#[derive(Debug, Clone)]
pub struct Central {
    /// Population at the end of the year, by cell.
    pub population: Cells,
    /// Wage index `W(t)/W(Y0)` for year indices `0..=j`.
    pub wage_index: Vec<f64>,
    /// Medical cost index `H(t)` for year indices `0..=j`.
    pub cost_index: Vec<f64>,
    /// Average contribution base `W` of the year.
    pub contribution_base: f64,
    /// Average pension of the year.
    pub pension: f64,
    /// Mortality improvement index `k` of the year.
    pub k: f64,
    /// The central path's record of the year.
    pub record: YearRecord,
}

/// The central path of `m` up to year index `j` (the same steps as the engine's path).
pub fn central(m: &Model, j: usize) -> Central {
    let e = &m.employee;
    let mut pop = m.population0;
    let (mut next, mut q) = ([0.0; CELLS], [0.0; CELLS]);
    let mut ds = m.drivers.start();
    let (mut w, mut h, mut pension, mut k) = (e.contribution_base, 1.0, e.pension, 0.0);
    let (mut wi, mut ci) = (vec![1.0; j + 1], vec![1.0; j + 1]);
    for t in 1..=j {
        let d = m.drivers.step(t, &mut ds, &Shocks::ZERO);
        m.population
            .step(&pop, &mut next, d.k, d.tfr, d.migration, &mut q);
        std::mem::swap(&mut pop, &mut next);
        w *= 1.0 + d.wage_growth;
        h *= 1.0 + d.medical_growth;
        pension *= 1.0 + e.pension_link[t] * d.wage_growth;
        wi[t] = w / e.contribution_base;
        ci[t] = h;
        k = d.k;
    }
    Central {
        population: pop,
        wage_index: wi,
        cost_index: ci,
        contribution_base: w,
        pension,
        k,
        record: engine::deterministic(m).0[j],
    }
}

/// One replaced input of the re-based scenario: its key and new value with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Replaced {
    /// Dotted key, e.g. `employee.base_balance`.
    pub key: String,
    /// The new parameter (its `source` says where the value comes from).
    pub param: Param,
    /// The old value at `A` (model units), for the report.
    pub old: f64,
}

/// A re-based scenario (MODEL.md §13), ready to be written as a short TOML file that
/// `extends` the old one, with a data file for the population and life table.
#[derive(Debug, Clone)]
pub struct Rebase {
    /// Old scenario id and base year.
    pub from: (String, i32),
    /// Earliest base year in the chain (the new file's `region.rebased_from`).
    pub rebased_from: i32,
    /// New base year `A`.
    pub year: i32,
    /// New scenario id.
    pub id: String,
    /// Population at the end of `A`.
    pub population: Cells,
    /// Where the population comes from.
    pub population_source: String,
    /// New base life table `q0·exp(−b·k(A))`.
    pub life_table: Cells,
    /// Where the life table comes from.
    pub life_table_source: String,
    /// Replaced parameters, in the order of [`crate::report::params`].
    pub replaced: Vec<Replaced>,
    /// Factors on the employee share and on coverage (1 when no count is given).
    pub factors: [f64; 2],
    /// What was not known at `A` and taken from the central path instead.
    pub caveats: Vec<String>,
}

/// The id of the re-based scenario: a trailing `-<old base year>` becomes `-<A>`, otherwise
/// `-<A>` is appended (`zhejiang-2020` → `zhejiang-2022`).
pub fn new_id(id: &str, base: i32, year: i32) -> String {
    match id.strip_suffix(&format!("-{base}")) {
        Some(stem) => format!("{stem}-{year}"),
        None => format!("{id}-{year}"),
    }
}

/// Default re-basing year for actuals known up to `as_of`: the latest year with an actual
/// balance (MODEL.md §13); without any, the latest year with any actual figure; without any
/// figure, the base year.
pub fn default_year(actuals: &[Actual], base: i32, as_of: i32) -> i32 {
    let known = || actuals.iter().filter(|a| a.year <= as_of);
    known()
        .filter(|a| a.metric == "balance")
        .map(|a| a.year)
        .max()
        .or_else(|| known().map(|a| a.year).max())
        .unwrap_or(base)
}

fn sources(rows: &[&Actual]) -> String {
    let mut v: Vec<&str> = Vec::new();
    for r in rows {
        if !v.contains(&r.source.as_str()) {
            v.push(&r.source);
        }
    }
    format!("actual: {}", v.join("; "))
}

/// The parameter `p` as seen from a new base year `A` (year index `ja` of the old model),
/// with its listed values from `A` on multiplied by `factor`. A parameter indexed to the wage
/// or cost index after a year ≤ `A` is re-anchored at its central-path value in `A`.
fn rebase_param(
    p: &Param,
    m: &Model,
    c: &Central,
    ja: usize,
    factor: f64,
    source: String,
) -> Param {
    let a = m.year(ja);
    let indexed = matches!(p.after, Extension::Wage | Extension::Cost);
    let anchored = indexed && p.last_year().is_none_or(|y| y <= a);
    let at_a = if anchored {
        p.resolve(m.base_year, m.year(m.years - 1))
            .at(ja, &c.wage_index, &c.cost_index)
    } else {
        p.value_at(a)
    };
    let points = match p.last_year() {
        None => vec![(None, factor * at_a)],
        Some(_) => std::iter::once((Some(a), factor * at_a))
            .chain(
                p.points
                    .iter()
                    .filter(|(y, _)| y.is_some_and(|y| y > a))
                    .map(|&(y, v)| (y, factor * v)),
            )
            .collect(),
    };
    Param {
        points,
        after: p.after,
        source: Some(source),
        at: None,
        unit: None,
    }
}

/// Find `f` with `g(f) = target` for `g` increasing, starting from `f0` (exact when `g` is
/// linear), else by bisection. `None` when no `f` up to `hi` reaches the target.
fn solve(g: impl Fn(f64) -> f64, target: f64, f0: f64, hi: f64) -> Option<f64> {
    let close = |f: f64| ((g(f) - target) / target).abs() < 1e-13;
    if f0.is_finite() && f0 > 0.0 && close(f0) {
        return Some(f0);
    }
    if g(hi) < target {
        return None;
    }
    let (mut lo, mut hi) = (0.0, hi);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if g(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
        if close(hi) {
            break;
        }
    }
    Some(hi)
}

/// Members of the year-`a` membership of scenario `s` with the employee share and coverage
/// scaled by `f = [employee, coverage]`, on population `pop`: (employee members, residents).
fn members(s: &Scenario, a: i32, pop: &Cells, f: [f64; 2]) -> (f64, f64) {
    let mut t = s.clone();
    let m = &mut t.membership;
    m.employee_scale = Param::constant(f[0] * m.employee_scale.value_at(a), None);
    m.coverage = Param::constant(f[1] * m.coverage.value_at(a), None);
    let tot = crate::membership::YearWeights::new(&t, a).totals(pop);
    (tot.actives + tot.retirees, tot.residents)
}

/// Re-base model `m` at year `year` with the actual figures `actuals` (rows of other years
/// are ignored). Errors say which figure cannot be matched and why.
pub fn rebase(m: &Model, actuals: &[Actual], year: i32) -> Result<Rebase, String> {
    let s = &m.scenario;
    let (base, horizon) = (s.region.base_year, s.region.horizon);
    if year < base || year >= horizon {
        return Err(format!(
            "re-basing year {year}: expected a year from the base year {base} to {} (the re-based projection needs at least one year before the horizon {horizon})",
            horizon - 1
        ));
    }
    let ja = (year - base) as usize;
    let c = central(m, ja);
    let get = |fund: &str, metric: &str| find(actuals, fund, year, metric);
    let mut caveats = Vec::new();

    // Population, scaled above and below 60.
    let (pa, a60) = (get("region", "population"), get("region", "aged_60_plus"));
    let total: f64 = c.population.iter().sum();
    let old60: f64 = (0..2)
        .map(|sx| {
            c.population[sx * AGES + 60..(sx + 1) * AGES]
                .iter()
                .sum::<f64>()
        })
        .sum();
    let (f_under, f_over) = match (pa, a60) {
        (Some(p), Some(o)) => ((p.value - o.value) / (total - old60), o.value / old60),
        (Some(p), None) => (p.value / total, p.value / total),
        (None, Some(o)) => (1.0, o.value / old60),
        (None, None) => (1.0, 1.0),
    };
    if !(f_under.is_finite() && f_under > 0.0 && f_over.is_finite() && f_over > 0.0) {
        return Err(format!(
            "the actual population of {year} cannot be matched: modelled {total:.0} persons ({old60:.0} aged 60+), expected an actual population above the actual aged 60+"
        ));
    }
    let mut population = c.population;
    for sx in 0..2 {
        for x in 0..AGES {
            population[sx * AGES + x] *= if x >= 60 { f_over } else { f_under };
        }
    }
    let pop_rows: Vec<&Actual> = [pa, a60].into_iter().flatten().collect();
    let mut population_source = format!(
        "central path of {} at {year} (driver states at their means)",
        s.region.id
    );
    if !pop_rows.is_empty() {
        population_source.push_str(&format!(", scaled to {}", sources(&pop_rows)));
    }
    let mut life_table = [0.0; CELLS];
    m.population.mortality(c.k, &mut life_table);
    let life_table_source = format!(
        "{}: q0·exp(−b·k) with the central path's k({year}) = {}",
        s.population.life_table.origin, c.k
    );

    // Membership factors.
    let emp_target = get("employee", "insured")
        .map(|a| (a.value, vec![a]))
        .or_else(
            || match (get("employee", "actives"), get("employee", "retirees")) {
                (Some(x), Some(y)) => Some((x.value + y.value, vec![x, y])),
                _ => None,
            },
        );
    let (emp0, _) = members(s, year, &population, [1.0, 1.0]);
    let f_e = match &emp_target {
        None => 1.0,
        Some((target, _)) => {
            let escale_max = (year..=horizon)
                .map(|t| s.membership.employee_scale.value_at(t))
                .fold(0.0, f64::max);
            solve(
                |f| members(s, year, &population, [f, 1.0]).0,
                *target,
                target / emp0,
                10.0 / escale_max.max(1e-9),
            )
            .ok_or_else(|| {
                format!(
                    "the actual employee members of {year} ({target:.0}) cannot be matched: even an employee share of 1 at every age gives fewer; expected at most the population"
                )
            })?
        }
    };
    let (emp, res0) = members(s, year, &population, [f_e, 1.0]);
    let res_target = get("resident", "insured")
        .or_else(|| get("resident", "residents"))
        .map(|a| (a.value, vec![a]))
        .or_else(|| get("combined", "insured").map(|a| (a.value - emp, vec![a])));
    let f_c = match &res_target {
        None => 1.0,
        Some((target, rows)) => {
            let cov_max = (year..=horizon)
                .map(|t| s.membership.coverage.value_at(t))
                .fold(0.0, f64::max);
            let f = solve(
                |f| members(s, year, &population, [f_e, f]).1,
                *target,
                target / res0,
                1.0 / cov_max.max(1e-9),
            );
            f.filter(|f| *f > 0.0).ok_or_else(|| {
                format!(
                    "the actual resident members of {year} ({target:.0}, {}) cannot be matched: coverage would exceed 1 (every resident insured); expected fewer insured than the population",
                    sources(rows)
                )
            })?
        }
    };

    // Replaced parameters, in the order of `report::params`.
    let mut replaced: Vec<Replaced> = Vec::new();
    let stock = |fund: usize, metric: &str, key: &str, old: f64, caveats: &mut Vec<String>| {
        let name = ["employee", "resident"][fund];
        match get(name, metric) {
            Some(a) => (a.value, sources(&[a])),
            None if year == base => (old, format!("{}: its own base-year figure", s.region.id)),
            None => {
                caveats.push(format!(
                    "{key}: no actual {name} {metric} for {year}; the central path's {old:.0} yuan is used"
                ));
                (
                    old,
                    format!(
                        "central path of {} at {year} (no actual figure)",
                        s.region.id
                    ),
                )
            }
        }
    };
    for (key, p) in crate::report::params(s) {
        let old = p.value_at(year);
        let param = match key.as_str() {
            "employee.base_balance" | "resident.base_balance" => {
                let f = usize::from(key.starts_with("resident"));
                let (v, src) = stock(f, "balance", &key, c.record.fund[f].balance, &mut caveats);
                Some(Param::constant(v, Some(&src)))
            }
            "employee.contribution_base" => Some(Param::constant(
                c.contribution_base,
                Some(&format!(
                    "central path of {} at {year}: W({base}) grown by the mean wage growth",
                    s.region.id
                )),
            )),
            "employee.pension" => Some(Param::constant(
                c.pension,
                Some(&format!(
                    "central path of {} at {year}: pension({base}) grown by the linked mean wage growth",
                    s.region.id
                )),
            )),
            "membership.employee_scale" if f_e != 1.0 => {
                let rows = &emp_target.as_ref().expect("a target gave f ≠ 1").1;
                Some(rebase_param(
                    p,
                    m,
                    &c,
                    ja,
                    f_e,
                    format!(
                        "× {f_e} so that employee members of {year} equal the {}",
                        sources(rows)
                    ),
                ))
            }
            "membership.coverage" if f_c != 1.0 => {
                let rows = &res_target.as_ref().expect("a target gave f ≠ 1").1;
                Some(rebase_param(
                    p,
                    m,
                    &c,
                    ja,
                    f_c,
                    format!(
                        "× {f_c} so that resident members of {year} equal the {}",
                        sources(rows)
                    ),
                ))
            }
            _ if matches!(p.after, Extension::Wage | Extension::Cost)
                && p.last_year().is_none_or(|y| y <= year) =>
            {
                let src = format!(
                    "central path of {} at {year}, indexed as before: {}",
                    s.region.id,
                    p.source.as_deref().unwrap_or("no source")
                );
                Some(rebase_param(p, m, &c, ja, 1.0, src))
            }
            _ => None,
        };
        if let Some(param) = param {
            replaced.push(Replaced { key, param, old });
        }
    }
    // Base-year spending (optional keys, so not in the loop's order when absent).
    for (f, name) in ["employee", "resident"].into_iter().enumerate() {
        let observed = if f == 0 {
            &s.employee.base_spending
        } else {
            &s.resident.base_spending
        };
        let key = format!("{name}.base_spending");
        let central_s = c.record.fund[f].spending;
        if observed.is_none() && year == base && get(name, "spending").is_none() {
            continue;
        }
        let (v, src) = stock(f, "spending", &key, central_s, &mut caveats);
        replaced.push(Replaced {
            key,
            param: Param::constant(v, Some(&src)),
            old: central_s,
        });
    }
    if actuals
        .iter()
        .all(|a| a.year != year || a.metric != "balance")
        && year != base
    {
        caveats.insert(
            0,
            format!(
                "no actual balance for {year}: the funds restart from the {} central path, so the re-based bands leave out the uncertainty of {}–{year}",
                s.region.id,
                base + 1
            ),
        );
    }
    Ok(Rebase {
        from: (s.region.id.clone(), base),
        rebased_from: s.region.rebased_from.unwrap_or(base).min(base),
        year,
        id: new_id(&s.region.id, base, year),
        population,
        population_source,
        life_table,
        life_table_source,
        replaced,
        factors: [f_e, f_c],
        caveats,
    })
}

/// A number as TOML writes it back to the same bits.
fn num(v: f64) -> String {
    format!("{v:?}")
}

fn string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A parameter as an inline TOML value, in yuan. It replaces the old value whatever form
/// that was written in (README "Scenario files": a parameter given anew in another form
/// replaces the old one whole; dated values given as `{ 2022 = … }` and as `values` merge by
/// year, the new years winning).
fn param_toml(p: &Param) -> String {
    let after = match p.after {
        Extension::Flat => None,
        Extension::Growth(g) => Some(format!("{{ growth = {} }}", num(g))),
        Extension::Wage => Some("\"wage\"".into()),
        Extension::Cost => Some("\"cost\"".into()),
    };
    let mut parts = Vec::new();
    match p.points.as_slice() {
        [(None, v)] => parts.push(format!("value = {}", num(*v))),
        pts => {
            let years: Vec<String> = pts
                .iter()
                .map(|(y, v)| format!("{} = {}", y.expect("dated"), num(*v)))
                .collect();
            parts.push(format!("values = {{ {} }}", years.join(", ")));
        }
    }
    if let Some(a) = after {
        parts.push(format!("after = {a}"));
    }
    if let Some(s) = &p.source {
        parts.push(format!("source = {}", string(s)));
    }
    format!("{{ {} }}", parts.join(", "))
}

impl Rebase {
    /// The data file's text: `age,population_male,population_female,q_male,q_female`
    /// (shortest round-trip numbers, so the scenario reads back the same bits).
    pub fn data_csv(&self) -> String {
        let mut out = String::from("age,population_male,population_female,q_male,q_female\n");
        for x in 0..AGES {
            out.push_str(&format!(
                "{x},{},{},{},{}\n",
                self.population[x],
                self.population[AGES + x],
                self.life_table[x],
                self.life_table[AGES + x]
            ));
        }
        out
    }

    /// The scenario file: `extends` the old one (path as it should be written in the new
    /// file), reads the data file `data` (relative to the new file), and sets every replaced
    /// input with its source. `header` lines are written as comments on top.
    pub fn toml(&self, extends: &str, data: &str, header: &[String]) -> String {
        let mut o = String::new();
        for h in header {
            o.push_str(&format!("# {h}\n"));
        }
        o.push_str(&format!(
            "# Re-based from {} (base year {}) at {} (MODEL.md §13). Every key below replaces the\n\
             # old value; everything else is inherited through `extends`. Sources: \"actual: ...\" from\n\
             # the actual-figures file, \"central path ...\" from the old scenario's deterministic path\n\
             # at {} with driver states at their means.\n",
            self.from.0, self.from.1, self.year, self.year
        ));
        for c in &self.caveats {
            o.push_str(&format!("# caveat: {c}\n"));
        }
        o.push_str(&format!("\nextends = {}\n", string(extends)));
        o.push_str(&format!(
            "\n[region]\nid = {}\nbase_year = {}\nrebased_from = {}\n",
            string(&self.id),
            self.year,
            self.rebased_from
        ));
        o.push_str(&format!(
            "\n[population]\nbase = {{ csv = {}, male = \"population_male\", female = \"population_female\", source = {} }}\n\
             life_table = {{ csv = {}, male = \"q_male\", female = \"q_female\", source = {} }}\n",
            string(data),
            string(&self.population_source),
            string(data),
            string(&self.life_table_source)
        ));
        let mut sections: Vec<(&str, String)> = Vec::new();
        for r in &self.replaced {
            let (sec, rest) = r.key.split_once('.').expect("dotted key");
            let line = format!("{rest} = {}\n", param_toml(&r.param));
            match sections.iter_mut().find(|(s, _)| *s == sec) {
                Some((_, text)) => text.push_str(&line),
                None => sections.push((sec, line)),
            }
        }
        for (sec, text) in sections {
            if sec == "population" {
                o.push_str(&text);
            } else {
                o.push_str(&format!("\n[{sec}]\n{text}"));
            }
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_take_the_new_year() {
        assert_eq!(new_id("zhejiang-2020", 2020, 2022), "zhejiang-2022");
        assert_eq!(new_id("zhejiang-2020", 2020, 2020), "zhejiang-2020");
        assert_eq!(new_id("tiny", 2020, 2023), "tiny-2023");
    }

    #[test]
    fn solve_finds_the_factor_under_a_cap() {
        // g(f) = Σ min(1, w·f) over w = 0.2, 0.5, 0.9: linear until 1/0.9.
        let g = |f: f64| {
            [0.2, 0.5, 0.9]
                .iter()
                .map(|w| (w * f).min(1.0))
                .sum::<f64>()
        };
        let f = solve(g, 2.2, 2.2 / g(1.0), 100.0).unwrap();
        assert!((g(f) - 2.2).abs() < 1e-12, "{f} {}", g(f));
        assert!(solve(g, 3.5, 1.0, 100.0).is_none());
    }
}
