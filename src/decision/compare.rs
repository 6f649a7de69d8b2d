//! Compare options side by side on common random numbers (MODEL.md §11 "Compare").
//!
//! Every option is simulated with the same seed and paths, so path `i` of every option sees
//! the same random draws. Each indicator is given for every option with its difference from
//! the first option and the Monte Carlo standard error of that difference:
//!
//! * means and probabilities: paired per-path differences `d_i = x_i(option) − x_i(first)`,
//!   SE `sd(d)/√n` — exactly 0 when an option is compared with itself;
//! * medians: the difference of the medians, with the batch SE of [`super::batch_se`]
//!   (20 contiguous batches of paths, the same paths in every option);
//! * the first year the warning level drops below `reasonable` has no SE (it is a year).
//!
//! Cumulative sums run over the projected years `Y0 + 1 ..= Y1`. Employer contributions are
//! the employer's share of the employee fund's contributions: per year
//! `employer_rate·employer_to_pool / rate_pool` (MODEL.md §5) times the contributions.

use super::{BATCHES, Estimate, FUNDS, batch_se, mean_se, median, quantile};
use crate::engine::Paths;
use crate::resolve::Model;
use crate::summary::months_of;
use crate::warning::Tier;
use std::fmt::Write as _;

/// One option: a label and its resolved model.
#[derive(Debug, Clone)]
pub struct OptionSpec {
    /// Label (file stem of the option file).
    pub label: String,
    /// Resolved model.
    pub model: Model,
}

/// One indicator value of one option (MODEL.md §11).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Option label.
    pub option: String,
    /// Fund (`employee`, `resident`, `combined`).
    pub fund: String,
    /// Year (`None` for horizon-wide indicators).
    pub year: Option<i32>,
    /// Indicator id: `median_months`, `p_below_line`, `p_depleted_by_horizon`,
    /// `first_year_below_reasonable`, `cum_subsidy_cost_yi`, `cum_employer_contrib_yi`.
    pub indicator: String,
    /// Value (NaN: never / not defined).
    pub value: f64,
    /// Difference from the first option.
    pub diff: f64,
    /// Monte Carlo SE of the difference (NaN where none).
    pub se: f64,
}

/// Quantiles of the bands: P5, P25, P50, P75, P95 (as the run charts).
pub const BAND_QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Per-year quantiles ([`BAND_QUANTILES`]) of months per fund, and of the per-path
/// difference from the first option, for the charts.
#[derive(Debug, Clone, PartialEq)]
pub struct Bands {
    /// Option label.
    pub label: String,
    /// Years.
    pub years: Vec<i32>,
    /// `[fund][year]` = quantiles of months of reserve.
    pub months: [Vec<[f64; 5]>; 3],
    /// `[fund][year]` = quantiles of `months(option) − months(first option)` path by path
    /// (common random numbers: the same path is the same future in both); zeros for the first.
    pub diff: [Vec<[f64; 5]>; 3],
}

/// The result of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Rows, option by option in input order.
    pub rows: Vec<Row>,
    /// Bands per option.
    pub bands: Vec<Bands>,
    /// Years shown in the table.
    pub years: Vec<i32>,
    /// Paths and seed used.
    pub paths: usize,
    /// Seed.
    pub seed: u64,
    /// The months line used for `p_below_line` (`warning.reserve_lines[1]` of the first option).
    pub line: f64,
}

/// Default table years: every 5 years after the base year, and the horizon.
pub fn default_years(m: &Model) -> Vec<i32> {
    let (b, h) = (m.base_year, m.base_year + m.years as i32 - 1);
    let mut y: Vec<i32> = (b + 1..=h).filter(|y| (y - b) % 5 == 0).collect();
    if y.last() != Some(&h) {
        y.push(h);
    }
    y
}

/// Per-path quantities of one option.
struct Sim {
    /// `months[f][j][p]`.
    months: [Vec<Vec<f64>>; 3],
    /// `depleted[f][p]` by the horizon (1/0).
    depleted: [Vec<f64>; 3],
    subsidy: Vec<f64>,
    employer: Vec<f64>,
}

fn employer_share(m: &Model, j: usize) -> f64 {
    let e = &m.scenario.employee;
    let t = m.year(j);
    let er = e.employer_rate.value_at(t) * e.employer_to_pool.value_at(t);
    let ee = e.employee_rate.value_at(t) * e.employee_to_pool.value_at(t);
    if er + ee > 0.0 { er / (er + ee) } else { 0.0 }
}

fn collect(m: &Model, paths: &Paths) -> Sim {
    let ny = m.years;
    let n = paths.count;
    let share: Vec<f64> = (0..ny).map(|j| employer_share(m, j)).collect();
    let mut months: [Vec<Vec<f64>>; 3] = std::array::from_fn(|_| vec![vec![0.0; n]; ny]);
    let mut depleted: [Vec<f64>; 3] = std::array::from_fn(|_| vec![0.0; n]);
    let mut subsidy = vec![0.0; n];
    let mut employer = vec![0.0; n];
    for p in 0..n {
        let recs = paths.path(p);
        for (j, r) in recs.iter().enumerate() {
            for f in 0..3 {
                months[f][j][p] = months_of(r, f);
                if j >= 1 && super::balance(r, f) < 0.0 {
                    depleted[f][p] = 1.0;
                }
            }
            if j >= 1 {
                subsidy[p] += r.subsidy_cost / 1e8;
                employer[p] += r.fund[0].contributions * share[j] / 1e8;
            }
        }
    }
    Sim {
        months,
        depleted,
        subsidy,
        employer,
    }
}

/// A Markdown table cell: `|` escaped, line breaks as spaces.
fn md_cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// Bytes per path a comparison of `options` options over `years` years keeps besides one
/// simulation's records: per option the months of each fund and year, depletion per fund,
/// subsidy and employer sums; and a few working columns.
pub fn bytes_per_path(options: usize, years: usize) -> usize {
    options * (3 * years + 5) * 8 + 4 * 8
}

fn paired(x: &[f64], base: &[f64]) -> Estimate {
    let d: Vec<f64> = x.iter().zip(base).map(|(a, b)| a - b).collect();
    mean_se(&d)
}

/// Compare options on common random numbers: `paths` paths with `seed` (MODEL.md §10–11).
/// Every option must have the same base year and horizon; `years` are the table's years.
pub fn compare(
    options: &[OptionSpec],
    paths: usize,
    seed: u64,
    years: &[i32],
) -> Result<Comparison, String> {
    let first = options
        .first()
        .ok_or("compare: expected at least one option")?;
    if paths < 2 {
        return Err(format!("--paths {paths}: expected at least 2 paths"));
    }
    let (b, ny) = (first.model.base_year, first.model.years);
    for o in options {
        if o.model.base_year != b || o.model.years != ny {
            return Err(format!(
                "option {} projects {}–{}, but {} projects {}–{}; expected every option to share the base year and horizon",
                o.label,
                o.model.base_year,
                o.model.base_year + o.model.years as i32 - 1,
                first.label,
                b,
                b + ny as i32 - 1
            ));
        }
    }
    let h = b + ny as i32 - 1;
    for y in years {
        if *y < b || *y > h {
            return Err(format!(
                "--years: {y} is outside the projection; expected years between {b} and {h}"
            ));
        }
    }
    let line = first.model.scenario.warning.tiers.lines[1];
    let q = first.model.scenario.warning.confidence;
    let sims: Vec<Sim> = options
        .iter()
        .map(|o| {
            super::simulate_checked(&o.model, seed, paths)
                .map(|p| collect(&o.model, &p))
                .map_err(|e| format!("option {}: {e}", o.label))
        })
        .collect::<Result<_, _>>()?;
    let base = &sims[0];
    let mut rows = Vec::new();
    let mut bands = Vec::new();
    for (o, s) in options.iter().zip(&sims) {
        let mut push = |fund: usize, year: Option<i32>, ind: &str, v: f64, d: Estimate| {
            rows.push(Row {
                option: o.label.clone(),
                fund: FUNDS[fund].into(),
                year,
                indicator: ind.into(),
                value: v,
                diff: d.value,
                se: d.se,
            })
        };
        for f in 0..3 {
            for j in 0..ny {
                let y = b + j as i32;
                let (x, x0) = (&s.months[f][j], &base.months[f][j]);
                let med = median(x);
                let d = Estimate {
                    value: med - median(x0),
                    se: batch_se(paths, |r| median(&x[r.clone()]) - median(&x0[r])),
                };
                push(f, Some(y), "median_months", med, d);
            }
            for j in 1..ny {
                let y = b + j as i32;
                let ind = |v: &[f64]| -> Vec<f64> {
                    v.iter().map(|m| f64::from(u8::from(*m < line))).collect()
                };
                let (x, x0) = (ind(&s.months[f][j]), ind(&base.months[f][j]));
                let p = x.iter().sum::<f64>() / paths as f64;
                push(f, Some(y), "p_below_line", p, paired(&x, &x0));
            }
            let p = s.depleted[f].iter().sum::<f64>() / paths as f64;
            push(
                f,
                None,
                "p_depleted_by_horizon",
                p,
                paired(&s.depleted[f], &base.depleted[f]),
            );
            let fy = |s: &Sim| -> f64 {
                (1..ny)
                    .find(|&j| {
                        let mq = quantile(&s.months[f][j], q);
                        let tier = first.model.scenario.warning.tiers.classify(mq, mq);
                        tier.index() < Tier::Reasonable.index()
                    })
                    .map_or(f64::NAN, |j| f64::from(b + j as i32))
            };
            let (v, v0) = (fy(s), fy(base));
            push(
                f,
                None,
                "first_year_below_reasonable",
                v,
                Estimate {
                    value: v - v0,
                    se: f64::NAN,
                },
            );
        }
        let sub = mean_se(&s.subsidy).value;
        push(
            1,
            None,
            "cum_subsidy_cost_yi",
            sub,
            paired(&s.subsidy, &base.subsidy),
        );
        let emp = mean_se(&s.employer).value;
        push(
            0,
            None,
            "cum_employer_contrib_yi",
            emp,
            paired(&s.employer, &base.employer),
        );
        let qs = |mut v: Vec<f64>| -> [f64; 5] {
            let q = crate::summary::quantiles(&mut v, &BAND_QUANTILES);
            std::array::from_fn(|k| q[k])
        };
        bands.push(Bands {
            label: o.label.clone(),
            years: (b..=h).collect(),
            months: std::array::from_fn(|f| (0..ny).map(|j| qs(s.months[f][j].clone())).collect()),
            diff: std::array::from_fn(|f| {
                (0..ny)
                    .map(|j| {
                        let d = s.months[f][j]
                            .iter()
                            .zip(&base.months[f][j])
                            .map(|(a, b)| a - b)
                            .collect();
                        qs(d)
                    })
                    .collect()
            }),
        });
    }
    // NaN means "never" (a year) or "no SE"; any other value must be a finite number.
    for r in &rows {
        let year_ind = r.indicator == "first_year_below_reasonable";
        for (what, v, may_be_nan) in [
            ("value", r.value, year_ind),
            ("difference", r.diff, year_ind),
            ("SE", r.se, true),
        ] {
            if !(v.is_finite() || (may_be_nan && v.is_nan())) {
                super::finite(v, || {
                    format!(
                        "option {}: {} {} {} {what}",
                        r.option,
                        r.fund,
                        r.year.map(|y| y.to_string()).unwrap_or_default(),
                        r.indicator
                    )
                })?;
            }
        }
    }
    Ok(Comparison {
        rows,
        bands,
        years: years.to_vec(),
        paths,
        seed,
        line,
    })
}

/// Display name of an indicator (with the months line filled in).
fn indicator_label(ind: &str, line: f64) -> String {
    match ind {
        "median_months" => "median months".into(),
        "p_below_line" => format!("P(months < {line})"),
        "p_depleted_by_horizon" => "P(depleted by horizon)".into(),
        "first_year_below_reasonable" => "first year level < reasonable".into(),
        "cum_subsidy_cost_yi" => "cum. treasury subsidy, 亿元".into(),
        "cum_employer_contrib_yi" => "cum. employer contrib., 亿元".into(),
        other => other.into(),
    }
}

fn fmt_v(ind: &str, v: f64) -> String {
    if v.is_nan() {
        return if ind == "first_year_below_reasonable" {
            "never".into()
        } else {
            "–".into()
        };
    }
    match ind {
        "first_year_below_reasonable" => format!("{v:.0}"),
        "p_below_line" | "p_depleted_by_horizon" => format!("{v:.3}"),
        "cum_subsidy_cost_yi" | "cum_employer_contrib_yi" => format!("{v:.1}"),
        _ => format!("{v:.2}"),
    }
}

fn fmt_d(ind: &str, d: f64, se: f64) -> String {
    if d.is_nan() {
        return "n/a".into();
    }
    let dv = match ind {
        "first_year_below_reasonable" => format!("{d:+.0}"),
        "p_below_line" | "p_depleted_by_horizon" => format!("{d:+.3}"),
        "cum_subsidy_cost_yi" | "cum_employer_contrib_yi" => format!("{d:+.1}"),
        _ => format!("{d:+.2}"),
    };
    if se.is_nan() {
        dv
    } else {
        let sv = match ind {
            "p_below_line" | "p_depleted_by_horizon" => format!("{se:.3}"),
            "cum_subsidy_cost_yi" | "cum_employer_contrib_yi" => format!("{se:.1}"),
            _ => format!("{se:.2}"),
        };
        format!("{dv} ±{sv}")
    }
}

impl Comparison {
    /// The table's lines: (indicator label, fund, year, cells per option).
    fn table(&self) -> (Vec<String>, Vec<[String; 3]>, Vec<Vec<String>>) {
        let labels: Vec<String> = self.bands.iter().map(|b| b.label.clone()).collect();
        let nopt = labels.len();
        let per = self.rows.len() / nopt.max(1);
        let mut keys = Vec::new();
        let mut cells = Vec::new();
        for i in 0..per {
            let r0 = &self.rows[i];
            let shown = match r0.year {
                Some(y) => self.years.contains(&y),
                None => true,
            };
            if !shown {
                continue;
            }
            keys.push([
                indicator_label(&r0.indicator, self.line),
                r0.fund.clone(),
                r0.year.map(|y| y.to_string()).unwrap_or_default(),
            ]);
            cells.push(
                (0..nopt)
                    .map(|o| {
                        let r = &self.rows[o * per + i];
                        if o == 0 {
                            fmt_v(&r.indicator, r.value)
                        } else {
                            format!(
                                "{} ({})",
                                fmt_v(&r.indicator, r.value),
                                fmt_d(&r.indicator, r.diff, r.se)
                            )
                        }
                    })
                    .collect(),
            );
        }
        (labels, keys, cells)
    }

    fn note(&self) -> String {
        format!(
            "{} paths, seed {} (common random numbers). Each later option: value (difference from {} ± Monte Carlo SE of the difference; paired per-path SE for probabilities and means, {BATCHES}-batch SE for medians; none for years).",
            self.paths,
            self.seed,
            self.bands.first().map_or("", |b| b.label.as_str())
        )
    }

    /// Plain-text table for the terminal.
    pub fn to_text(&self) -> String {
        let (labels, keys, cells) = self.table();
        let w0 = keys
            .iter()
            .map(|k| k[0].chars().count())
            .max()
            .unwrap_or(9)
            .max(9);
        let widths: Vec<usize> = (0..labels.len())
            .map(|o| {
                cells
                    .iter()
                    .map(|c| c[o].chars().count())
                    .chain(std::iter::once(labels[o].chars().count()))
                    .max()
                    .unwrap_or(8)
            })
            .collect();
        let pad =
            |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())));
        let mut out = String::new();
        let _ = write!(
            out,
            "{}  {}  {}",
            pad("indicator", w0),
            pad("fund", 8),
            pad("year", 4)
        );
        for (o, l) in labels.iter().enumerate() {
            let _ = write!(out, "  {}", pad(l, widths[o]));
        }
        out.push('\n');
        for (k, c) in keys.iter().zip(&cells) {
            let _ = write!(
                out,
                "{}  {}  {}",
                pad(&k[0], w0),
                pad(&k[1], 8),
                pad(&k[2], 4)
            );
            for (o, v) in c.iter().enumerate() {
                let _ = write!(out, "  {}", pad(v, widths[o]));
            }
            out.push('\n');
        }
        out.push_str(&self.note());
        out.push('\n');
        out
    }

    /// Markdown table (option labels escaped, so a `|` or a newline in a file name
    /// cannot break a row).
    pub fn to_markdown(&self) -> String {
        let (labels, keys, cells) = self.table();
        let mut out = String::from("| indicator | fund | year |");
        for l in &labels {
            let _ = write!(out, " {} |", md_cell(l));
        }
        out.push_str("\n| --- | --- | --- |");
        for _ in &labels {
            out.push_str(" ---: |");
        }
        out.push('\n');
        for (k, c) in keys.iter().zip(&cells) {
            let _ = write!(out, "| {} | {} | {} |", k[0], k[1], k[2]);
            for v in c {
                let _ = write!(out, " {v} |");
            }
            out.push('\n');
        }
        let _ = writeln!(out, "\n{}", self.note());
        out
    }

    /// Tidy CSV: `option,fund,year,indicator,value,diff,se_diff` (every year, not only the
    /// table's; empty year for horizon-wide indicators; NaN — never, or no SE — written as
    /// empty), by a CSV writer, so an option name with a comma or quote stays one field.
    pub fn to_csv(&self) -> String {
        let f = |v: f64| {
            if v.is_nan() {
                String::new()
            } else {
                crate::export::format_value(v)
            }
        };
        let header = [
            "option",
            "fund",
            "year",
            "indicator",
            "value",
            "diff",
            "se_diff",
        ]
        .map(String::from)
        .to_vec();
        let rows = self.rows.iter().map(|r| {
            vec![
                r.option.clone(),
                r.fund.clone(),
                r.year.map(|y| y.to_string()).unwrap_or_default(),
                r.indicator.clone(),
                f(r.value),
                f(r.diff),
                f(r.se),
            ]
        });
        crate::export::csv_text(std::iter::once(header).chain(rows))
    }
}
