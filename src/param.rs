//! Time-dated parameters (MODEL.md §2).
//!
//! A parameter is a number or a table of dated values, linearly interpolated between listed
//! years and flat before the first. After the last listed year an extension rule applies:
//! `flat` (default), a fixed annual `growth`, or indexation to the path's `wage` or medical
//! `cost` index. Every parameter may carry a `source`.
//!
//! Accepted TOML forms:
//! ```toml
//! rate = 0.08                                     # constant
//! ratio = { 2020 = 0.68, 2025 = 0.70 }            # dated values
//! subsidy = { values = { 2020 = 923, 2025 = 1100 }, after = "wage", source = "..." }
//! premium = { value = 400, after = { growth = 0.05 }, source = "assumption" }
//! base_balance = { value = 300, unit = "亿元" }     # money in 亿元 / 万元 (default yuan)
//! ```
//!
//! What each key accepts is its [`Spec`]: the range of its values, whether it may be dated
//! (a base-year value such as a balance may not), whether `after = "wage"` / `"cost"` is
//! applied to it (money amounts only: the engine indexes those, and nothing else), and
//! whether it takes a money `unit`. A constant with `after = { growth = g }` grows from the
//! base year. Every value the parameter takes in base..=horizon, extension included, must
//! pass the key's range check.

use crate::scenario::read::{Check, Result, ScenarioError, Table, as_num, as_str, num_text};
use crate::scenario::tree::{Kind, Node, UNITS, unit_factor};
use serde::Serialize;

/// What a parameter does after its last listed year (MODEL.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Extension {
    /// Stays at the last value.
    Flat,
    /// Grows by a fixed annual rate.
    Growth(f64),
    /// Follows the path's wage index `W(t)/W(last)`.
    Wage,
    /// Follows the path's medical cost index `H(t)/H(last)`.
    Cost,
}

/// A time-dated parameter as written in a scenario (MODEL.md §2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// Listed `(year, value)` points, sorted by year; one point with year `None` for a
    /// constant.
    pub points: Vec<(Option<i32>, f64)>,
    /// Extension rule after the last listed year.
    pub after: Extension,
    /// Where the value comes from (seed file and quote, bulletin, or "assumption").
    pub source: Option<String>,
    /// Where it was set (file:line:column or `--set KEY`), for messages.
    pub at: Option<String>,
    /// The money unit its value was written in (`亿元`, `万元`), when not yuan; values are
    /// held in yuan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// What a scenario key accepts (see the module docs).
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Range of every value.
    pub check: Check,
    /// `None`: may be dated; `Some(why)`: one base-year value only, because `why`.
    pub base_year_only: Option<&'static str>,
    /// Whether `after = "wage"` / `"cost"` is applied (money amounts per member or per year).
    pub indexed: bool,
    /// Whether a money `unit` is accepted.
    pub money: bool,
}

impl Spec {
    /// A dated parameter with values in `check`, not indexed, no unit.
    pub const fn dated(check: Check) -> Self {
        Spec {
            check,
            base_year_only: None,
            indexed: false,
            money: false,
        }
    }

    /// A dated amount of money per member or per year: indexable, with a unit.
    pub const fn money_flow(check: Check) -> Self {
        Spec {
            check,
            base_year_only: None,
            indexed: true,
            money: true,
        }
    }

    /// A base-year amount of money (a balance, the base-year spending, `W(Y0)`): one
    /// value, with a unit; `why` says why only the base year's value is used.
    pub const fn money_base(check: Check, why: &'static str) -> Self {
        Spec {
            check,
            base_year_only: Some(why),
            indexed: false,
            money: true,
        }
    }

    /// This spec, also indexable (`after = "wage"` / `"cost"` applied by the engine).
    pub const fn indexed(self) -> Self {
        Spec {
            indexed: true,
            ..self
        }
    }
}

/// The keys whose `after = "wage"` / `"cost"` the engine applies (MODEL.md §2): amounts of
/// money per member or per year, and the account credit rate. Named in messages.
pub const INDEXED_KEYS: &str = "resident.premium, resident.subsidy, resident.critical_illness_premium, employee.other_income, resident.other_income, employee.account_rate";

/// Which path index a resolved parameter follows after its last listed year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexKind {
    /// Wage index.
    Wage,
    /// Medical cost index.
    Cost,
}

/// A parameter resolved to one value per projection year (index 0 = base year). Values
/// after `last` are the last value when `index` is set: the engine multiplies them by the
/// path's index ratio (MODEL.md §2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved {
    /// Value per year, base year first.
    pub values: Vec<f64>,
    /// Path index followed after `last`, if any.
    pub index: Option<IndexKind>,
    /// Year index of the last listed value (clamped to the projection).
    pub last: usize,
    /// The parameter's source.
    pub source: Option<String>,
}

impl Resolved {
    /// Value in year index `j`, given the path's wage and cost indices by year.
    #[inline]
    pub fn at(&self, j: usize, wage: &[f64], cost: &[f64]) -> f64 {
        let v = self.values[j];
        match self.index {
            Some(kind) if j > self.last => {
                let idx = if kind == IndexKind::Wage { wage } else { cost };
                v * idx[j] / idx[self.last]
            }
            _ => v,
        }
    }
}

impl Param {
    /// A constant parameter.
    pub fn constant(v: f64, source: Option<&str>) -> Self {
        Param {
            points: vec![(None, v)],
            after: Extension::Flat,
            source: source.map(str::to_string),
            at: None,
            unit: None,
        }
    }

    /// The listed value at `year` (interpolated, flat before the first point; after the last
    /// point, flat or grown — path indexation is applied by [`Resolved::at`]).
    pub fn value_at(&self, year: i32) -> f64 {
        let pts = &self.points;
        let (Some(y0), v0) = pts[0] else {
            return pts[0].1;
        };
        if year <= y0 {
            return v0;
        }
        for w in pts.windows(2) {
            let ((Some(ya), va), (Some(yb), vb)) = (w[0], w[1]) else {
                unreachable!("dated parameters have years")
            };
            if year <= yb {
                return va + (vb - va) * f64::from(year - ya) / f64::from(yb - ya);
            }
        }
        let (Some(yl), vl) = *pts.last().expect("non-empty") else {
            unreachable!()
        };
        match self.after {
            Extension::Growth(g) => vl * (1.0 + g).powi(year - yl),
            _ => vl,
        }
    }

    /// Year of the last listed point, if dated.
    pub fn last_year(&self) -> Option<i32> {
        self.points.last().and_then(|p| p.0)
    }

    /// Resolve to one value per year `base..=horizon`.
    pub fn resolve(&self, base: i32, horizon: i32) -> Resolved {
        let values = (base..=horizon).map(|y| self.value_at(y)).collect();
        let last = match self.last_year() {
            Some(y) => (y.clamp(base, horizon) - base) as usize,
            None => 0,
        };
        let index = match self.after {
            Extension::Wage => Some(IndexKind::Wage),
            Extension::Cost => Some(IndexKind::Cost),
            _ => None,
        };
        Resolved {
            values,
            index,
            last,
            source: self.source.clone(),
        }
    }

    /// Read a parameter from `node` at `key`, checking every value with `check` and every
    /// year against `years`. Any extension rule is accepted (see [`Param::read_with`]).
    pub fn read(node: &Node, key: &str, check: Check, years: (i32, i32)) -> Result<Param> {
        Self::read_with(node, key, Spec::dated(check).indexed(), years)
    }

    /// Read a parameter from `node` at `key` under the rules of `spec` (module docs).
    pub fn read_with(node: &Node, key: &str, spec: Spec, years: (i32, i32)) -> Result<Param> {
        let mut p = Self::read_inner(node, key, spec, years)?;
        if let Some(why) = spec.base_year_only {
            if p.points.len() > 1 || p.points[0].0.is_some() {
                return Err(ScenarioError::at(
                    node,
                    key,
                    format!("got dated values, expected a single value ({why})"),
                ));
            }
        } else if let ([(None, v)], Extension::Growth(_)) = (p.points.as_slice(), p.after) {
            // A constant that grows: listed at the base year, grown from there.
            p.points = vec![(Some(years.0), *v)];
        }
        for y in years.0..=years.1 {
            let v = p.value_at(y);
            if spec.check.test(v).is_err() {
                let how = match (p.last_year(), p.after) {
                    (Some(l), Extension::Growth(g)) => {
                        format!("growing by {} a year after {l}, it", num_text(g))
                    }
                    _ => "it".to_string(),
                };
                // The extension rule took it out of range: point at `after`.
                let (at, path) = match &node.kind {
                    Kind::Table(m) if m.contains_key("after") => {
                        (&m["after"], format!("{key}.after"))
                    }
                    _ => (node, key.to_string()),
                };
                return Err(ScenarioError::at(
                    at,
                    &path,
                    format!(
                        "{how} reaches {} in {y}; expected {} in every year to {}",
                        num_text(v),
                        spec.check.expected(),
                        years.1
                    ),
                ));
            }
        }
        p.at = Some(node.loc.to_string());
        p.source = crate::scenario::read::source_for(node, &[], p.source.take());
        Ok(p)
    }

    fn read_inner(node: &Node, key: &str, spec: Spec, years: (i32, i32)) -> Result<Param> {
        let check = spec.check;
        match &node.kind {
            Kind::Num(..) => Ok(Param::constant(as_num(node, key, check)?, None)),
            Kind::Table(map) if !map.is_empty() && map.keys().all(|k| k.parse::<i32>().is_ok()) => {
                Ok(Param {
                    points: read_points(node, key, check, years)?,
                    after: Extension::Flat,
                    source: None,
                    at: None,
                    unit: None,
                })
            }
            Kind::Table(_) => {
                let t = Table::new(node, key)?;
                if let Some(u) = t.opt("unit") {
                    read_unit(u, &t.key_path("unit"), key, spec)?;
                }
                let value = t.opt("value");
                let values = t.opt("values");
                let points = match (value, values) {
                    (Some(v), None) => vec![(None, as_num(v, &t.key_path("value"), check)?)],
                    (None, Some(vs)) => read_points(vs, &t.key_path("values"), check, years)?,
                    (Some(_), Some(vs)) => {
                        return Err(ScenarioError::at(
                            vs,
                            key,
                            "both `value` and `values` given; expected one of them",
                        ));
                    }
                    (None, None) => {
                        return Err(ScenarioError::at(
                            node,
                            key,
                            "expected a number, a table of years such as { 2020 = 0.68, 2025 = 0.70 }, \
                             or a table with `value` or `values`",
                        ));
                    }
                };
                let after = match t.opt("after") {
                    None => Extension::Flat,
                    Some(a) => read_extension(a, &t.key_path("after"), key, spec)?,
                };
                let source = t.string("source")?;
                t.finish()?;
                let first = value.or_else(|| match values.map(|v| &v.kind) {
                    Some(Kind::Table(m)) => m.values().next(),
                    _ => None,
                });
                let unit = match first.map(|n| &n.kind) {
                    Some(Kind::Num(_, text)) => UNITS
                        .iter()
                        .find(|u| u.1 != 1.0 && text.ends_with(&format!(" {}", u.0)))
                        .map(|u| u.0.to_string()),
                    _ => None,
                };
                Ok(Param {
                    points,
                    after,
                    source,
                    at: None,
                    unit,
                })
            }
            _ => Err(ScenarioError::at(
                node,
                key,
                format!(
                    "got {}, expected a number or a table of dated values",
                    node.show()
                ),
            )),
        }
    }
}

fn read_unit(node: &Node, path: &str, key: &str, spec: Spec) -> Result<()> {
    let names: Vec<String> = UNITS.iter().map(|u| format!("\"{}\"", u.0)).collect();
    if !spec.money {
        return Err(ScenarioError::at(
            node,
            path,
            format!(
                "{key} is not an amount of money, so it takes no unit; expected {} without `unit`",
                spec.check.expected()
            ),
        ));
    }
    let u = as_str(node, path)?;
    if unit_factor(u).is_none() {
        return Err(ScenarioError::at(
            node,
            path,
            format!(
                "got {}, expected a money unit: {} (default yuan)",
                node.show(),
                names.join(", ")
            ),
        ));
    }
    Ok(())
}

fn read_points(
    node: &Node,
    key: &str,
    check: Check,
    (base, horizon): (i32, i32),
) -> Result<Vec<(Option<i32>, f64)>> {
    let Kind::Table(map) = &node.kind else {
        return Err(ScenarioError::at(
            node,
            key,
            format!(
                "got {}, expected a table of years such as {{ 2020 = 0.68, 2025 = 0.70 }}",
                node.show()
            ),
        ));
    };
    if map.is_empty() {
        return Err(ScenarioError::at(
            node,
            key,
            "expected at least one dated value",
        ));
    }
    let mut pts = Vec::with_capacity(map.len());
    for (k, v) in map {
        let year: i32 = k.parse().map_err(|_| {
            ScenarioError::at(v, &format!("{key}.{k}"), "expected a year as the key")
        })?;
        if year < base || year > horizon {
            return Err(ScenarioError::at(
                v,
                &format!("{key}.{year}"),
                format!(
                    "year {year} is outside the projection; expected a year between {base} and {horizon}"
                ),
            ));
        }
        pts.push((Some(year), as_num(v, &format!("{key}.{year}"), check)?));
    }
    pts.sort_by_key(|p| p.0);
    Ok(pts)
}

fn read_extension(node: &Node, path: &str, key: &str, spec: Spec) -> Result<Extension> {
    if let Some(why) = spec.base_year_only {
        return Err(ScenarioError::at(
            node,
            path,
            format!(
                "{key} has one value ({why}), so `after` would have no effect; expected no `after`"
            ),
        ));
    }
    let e = match &node.kind {
        Kind::Str(_) => match as_str(node, path)? {
            "flat" => Extension::Flat,
            "wage" => Extension::Wage,
            "cost" => Extension::Cost,
            other => {
                return Err(ScenarioError::at(
                    node,
                    path,
                    format!(
                        "got {}, expected \"flat\", \"wage\", \"cost\" or {{ growth = RATE }}",
                        crate::scenario::tree::quote(other)
                    ),
                ));
            }
        },
        Kind::Table(_) => {
            let t = Table::new(node, path)?;
            let g = t.req("growth", "an annual growth rate such as 0.05")?;
            let g = as_num(
                g,
                &t.key_path("growth"),
                Check::Range(-0.5, 1.0, "a growth rate"),
            )?;
            t.finish()?;
            Extension::Growth(g)
        }
        _ => {
            return Err(ScenarioError::at(
                node,
                path,
                format!(
                    "got {}, expected \"flat\", \"wage\", \"cost\" or {{ growth = RATE }}",
                    node.show()
                ),
            ));
        }
    };
    if matches!(e, Extension::Wage | Extension::Cost) && !spec.indexed {
        return Err(ScenarioError::at(
            node,
            path,
            format!(
                "got {}, but {key} is not indexed to the path's wage or cost index (the engine indexes only {INDEXED_KEYS}); expected \"flat\" or {{ growth = RATE }}",
                node.show()
            ),
        ));
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::tree::parse;

    fn p(text: &str) -> Result<Param> {
        let root = parse(&format!("x = {text}\n"), "t.toml").unwrap();
        let Kind::Table(t) = &root.kind else { panic!() };
        Param::read(&t["x"], "x", Check::Finite, (2020, 2035))
    }

    #[test]
    fn interpolation_and_extension() {
        let q = p("{ 2020 = 0.68, 2025 = 0.70 }").unwrap();
        assert_eq!(q.value_at(2019), 0.68);
        assert!((q.value_at(2022) - 0.688).abs() < 1e-12);
        assert_eq!(q.value_at(2030), 0.70);
        let g = p("{ values = { 2020 = 100 }, after = { growth = 0.1 } }").unwrap();
        assert!((g.value_at(2022) - 121.0).abs() < 1e-9);
        let w =
            p("{ values = { 2020 = 100, 2022 = 110 }, after = \"wage\", source = \"s\" }").unwrap();
        let r = w.resolve(2020, 2024);
        let wage = [1.0, 1.1, 1.2, 1.5, 3.0];
        assert_eq!(r.at(2, &wage, &wage), 110.0);
        assert!((r.at(4, &wage, &wage) - 110.0 * 3.0 / 1.2).abs() < 1e-9);
        assert_eq!(r.source.as_deref(), Some("s"));
    }

    #[test]
    fn errors_name_key_and_position() {
        let e = p("{ 2040 = 1 }").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.toml:1:7: x.2040: year 2040 is outside the projection; expected a year between 2020 and 2035"
        );
        let e = p("{ value = 1, aftr = \"wage\" }").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.toml:1:18: x.aftr: unknown key; did you mean `after`?"
        );
    }
}
