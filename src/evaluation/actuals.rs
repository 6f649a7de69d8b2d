//! Actual figures (MODEL.md §13): a tidy CSV `fund,year,metric,value,unit,source` holding
//! what the bulletins published for the years after the base year, copied as printed.
//!
//! ```text
//! # lines starting with # are comments
//! fund,year,metric,value,unit,source
//! resident,2021,spending,9296.37,亿元,"2021 national healthcare security statistical bulletin (final)"
//! region,2022,aged_60_plus,1329,万人,"Zhejiang 2022 sample survey"
//! ```
//!
//! Metric names are those of the summaries (MODEL.md §10) that a bulletin can print, plus
//! `income` and `insured`; each is checked against its fund with [`crate::summary::metric_start`].
//! `unit` says how the value is printed: `yuan`, `万元`, `亿元` for money, `persons`, `万人`
//! for counts, `months` for months of reserve, `ratio` for spending growth (0.139 = 13.9%).
//! Values are converted to the model's units (yuan, persons) when read. Every error names the
//! file, line and column and says what was expected.

use crate::scenario::read::ScenarioError;
use crate::scenario::source::{Files, InputFile};

/// What kind of quantity a metric is, which fixes the units it may be printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// Yuan per year (flows) or yuan (stocks).
    Money,
    /// Persons.
    Persons,
    /// Months of reserve `12·B/S`.
    Months,
    /// A ratio such as spending growth (0.1 = 10%).
    Ratio,
}

/// The metrics a bulletin can report (MODEL.md §10, §13): name, quantity, and whether a
/// negative value is possible.
pub const FIGURES: [(&str, Quantity, bool); 16] = [
    ("population", Quantity::Persons, false),
    ("aged_60_plus", Quantity::Persons, false),
    ("actives", Quantity::Persons, false),
    ("retirees", Quantity::Persons, false),
    ("residents", Quantity::Persons, false),
    ("insured", Quantity::Persons, false),
    ("contributions", Quantity::Money, false),
    ("subsidy_cost", Quantity::Money, false),
    ("other_income", Quantity::Money, true),
    ("interest", Quantity::Money, true),
    ("income", Quantity::Money, false),
    ("spending", Quantity::Money, false),
    ("net_flow", Quantity::Money, true),
    ("balance", Quantity::Money, true),
    ("months_reserve", Quantity::Months, true),
    ("spending_growth", Quantity::Ratio, true),
];

/// Units a value may be printed in, with their factor to model units.
pub const UNITS: [(&str, f64, Quantity); 7] = [
    ("yuan", 1.0, Quantity::Money),
    ("万元", 1e4, Quantity::Money),
    ("亿元", 1e8, Quantity::Money),
    ("persons", 1.0, Quantity::Persons),
    ("万人", 1e4, Quantity::Persons),
    ("months", 1.0, Quantity::Months),
    ("ratio", 1.0, Quantity::Ratio),
];

/// The quantity of a figure metric, if it is one.
pub fn quantity(metric: &str) -> Option<Quantity> {
    FIGURES.iter().find(|f| f.0 == metric).map(|f| f.1)
}

/// The display unit of a quantity (亿元 for money, 万人 for persons) and its factor.
pub fn display_unit(q: Quantity) -> (&'static str, f64) {
    match q {
        Quantity::Money => ("亿元", 1e8),
        Quantity::Persons => ("万人", 1e4),
        Quantity::Months => ("months", 1.0),
        Quantity::Ratio => ("ratio", 1.0),
    }
}

/// One actual figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Actual {
    /// `region`, `employee`, `resident` or `combined`.
    pub fund: String,
    /// Calendar year.
    pub year: i32,
    /// Metric name (MODEL.md §10, §13).
    pub metric: String,
    /// Value in model units (yuan, persons, months, ratio).
    pub value: f64,
    /// The value as printed in `unit`.
    pub printed: f64,
    /// Unit as printed.
    pub unit: String,
    /// Where the figure comes from.
    pub source: String,
    /// Line in the file.
    pub line: usize,
}

/// An actual-figures file, read and checked against a scenario's years.
#[derive(Debug, Clone, PartialEq)]
pub struct Actuals {
    /// File name as given (a path or `embedded:...`).
    pub file: String,
    /// Rows in file order.
    pub rows: Vec<Actual>,
    /// The file with its SHA-256, for manifests.
    pub input: InputFile,
}

const COLUMNS: [&str; 6] = ["fund", "year", "metric", "value", "unit", "source"];

/// 1-based character column of field `i` of a CSV line (searched in order, so a value that
/// also occurs earlier in the line is still found at its own place).
fn column_of(line: &str, fields: &[&str], i: usize) -> usize {
    let mut from = 0;
    for (k, f) in fields.iter().enumerate().take(i + 1) {
        match line[from..].find(f) {
            Some(p) if k == i => return line[..from + p].chars().count() + 1,
            Some(p) => from += p + f.len(),
            None => break,
        }
    }
    line[..from.min(line.len())].chars().count() + 1
}

impl Actuals {
    /// Read and check `file` (a path or `embedded:` name) for a scenario whose projection
    /// runs `base..=horizon`: rows must lie in `base + 1 ..= horizon`.
    pub fn read(file: &str, base: i32, horizon: i32) -> Result<Actuals, ScenarioError> {
        let files = Files::new();
        let text = files.read(file)?;
        let input = files.inputs().remove(0);
        let rows = parse(&text, file, base, horizon)?;
        Ok(Actuals {
            file: file.to_string(),
            rows,
            input,
        })
    }

    /// The rows up to and including `year`.
    pub fn up_to(&self, year: i32) -> Vec<Actual> {
        self.rows
            .iter()
            .filter(|a| a.year <= year)
            .cloned()
            .collect()
    }

    /// The latest year with any row.
    pub fn latest_year(&self) -> Option<i32> {
        self.rows.iter().map(|a| a.year).max()
    }
}

/// The row for `(fund, year, metric)`, if any.
pub fn find<'a>(rows: &'a [Actual], fund: &str, year: i32, metric: &str) -> Option<&'a Actual> {
    rows.iter()
        .find(|a| a.fund == fund && a.year == year && a.metric == metric)
}

/// Parse the text of an actual-figures file (see the module docs).
pub fn parse(
    text: &str,
    file: &str,
    base: i32,
    horizon: i32,
) -> Result<Vec<Actual>, ScenarioError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(text.as_bytes());
    let at = |line: usize, col: usize, column: &str, msg: String| {
        ScenarioError::plain(format!("{file}:{line}:{col}: column `{column}`: {msg}"))
    };
    let headers = rdr
        .headers()
        .map_err(|e| ScenarioError::plain(format!("{file}: {e}")))?
        .clone();
    let header_line = headers.position().map_or(1, |p| p.line() as usize);
    let names: Vec<&str> = headers.iter().map(str::trim).collect();
    if names != COLUMNS {
        return Err(ScenarioError::plain(format!(
            "{file}:{header_line}: got columns {}, expected exactly {}",
            names.join(","),
            COLUMNS.join(",")
        )));
    }
    let mut rows: Vec<Actual> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| ScenarioError::plain(format!("{file}: {e}")))?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let raw = lines.get(line.saturating_sub(1)).copied().unwrap_or("");
        let f: Vec<&str> = rec.iter().map(str::trim).collect();
        if f.len() != COLUMNS.len() {
            return Err(ScenarioError::plain(format!(
                "{file}:{line}: got {} fields, expected {} ({})",
                f.len(),
                COLUMNS.len(),
                COLUMNS.join(",")
            )));
        }
        let err = |i: usize, msg: String| at(line, column_of(raw, &f, i), COLUMNS[i], msg);
        let (fund, metric, unit) = (f[0], f[2], f[4]);
        let Some(&(_, q, may_be_negative)) = FIGURES.iter().find(|x| x.0 == metric) else {
            let list: Vec<&str> = FIGURES.iter().map(|x| x.0).collect();
            return Err(err(
                2,
                format!("got \"{metric}\", expected one of: {}", list.join(", ")),
            ));
        };
        if !crate::summary::FUNDS.contains(&fund) {
            return Err(err(
                0,
                format!(
                    "got \"{fund}\", expected one of: {}",
                    crate::summary::FUNDS.join(", ")
                ),
            ));
        }
        let start = crate::summary::metric_start(fund, metric).ok_or_else(|| {
            let funds: Vec<&str> = crate::summary::FUNDS
                .iter()
                .copied()
                .filter(|fd| crate::summary::metric_start(fd, metric).is_some())
                .collect();
            err(
                0,
                format!(
                    "got \"{fund}\", but `{metric}` is reported for {}",
                    funds.join(", ")
                ),
            )
        })?;
        let first = base + 1.max(start as i32);
        let year: i32 = f[1]
            .parse()
            .ok()
            .filter(|y| (first..=horizon).contains(y))
            .ok_or_else(|| {
                err(
                    1,
                    format!(
                        "got \"{}\", expected a year between {first} and {horizon} (actual figures are for the years after the base year {base})",
                        f[1]
                    ),
                )
            })?;
        let printed: f64 = f[3]
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| err(3, format!("got \"{}\", expected a finite number", f[3])))?;
        if printed < 0.0 && !may_be_negative {
            return Err(err(
                3,
                format!("got {}, expected a number ≥ 0 for `{metric}`", f[3]),
            ));
        }
        let Some(&(_, factor, _)) = UNITS.iter().find(|u| u.0 == unit && u.2 == q) else {
            let fits: Vec<&str> = UNITS.iter().filter(|u| u.2 == q).map(|u| u.0).collect();
            return Err(err(
                4,
                format!(
                    "got \"{unit}\", expected {} for `{metric}`",
                    fits.join(" or ")
                ),
            ));
        };
        if f[5].is_empty() {
            return Err(err(
                5,
                "empty, expected where the figure comes from (bulletin, release, page)".into(),
            ));
        }
        if let Some(prev) = find(&rows, fund, year, metric) {
            return Err(err(
                0,
                format!(
                    "{fund} {year} {metric} is given twice (also on line {}); expected one value per fund, year and metric",
                    prev.line
                ),
            ));
        }
        rows.push(Actual {
            fund: fund.to_string(),
            year,
            metric: metric.to_string(),
            value: printed * factor,
            printed,
            unit: unit.to_string(),
            source: f[5].to_string(),
            line,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "fund,year,metric,value,unit,source\n";

    fn err(body: &str) -> String {
        parse(&format!("{HEAD}{body}"), "a.csv", 2020, 2035)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn converts_units_and_keeps_the_printed_value() {
        let r = parse(
            &format!("# note\n{HEAD}resident,2021,spending,9296.37,亿元,bulletin\nregion,2022,population,6577,万人,survey\nresident,2021,spending_growth,-0.009,ratio,b\n"),
            "a.csv",
            2020,
            2035,
        )
        .unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].value, 9296.37 * 1e8);
        assert_eq!(r[0].printed, 9296.37);
        assert_eq!(r[0].line, 3);
        assert_eq!(r[1].value, 6577.0 * 1e4);
    }

    #[test]
    fn each_check_names_line_column_and_expectation() {
        let e = err("resident,2021,spendng,1,亿元,s\n");
        assert!(
            e.starts_with("a.csv:2:15: column `metric`: got \"spendng\""),
            "{e}"
        );
        let e = err("resident,2021,actives,1,万人,s\n");
        assert!(
            e.contains("column `fund`") && e.contains("reported for employee"),
            "{e}"
        );
        let e = err("pension,2021,spending,1,亿元,s\n");
        assert!(e.starts_with("a.csv:2:1: column `fund`"), "{e}");
        let e = err("resident,2020,spending,1,亿元,s\n");
        assert!(
            e.contains("column `year`") && e.contains("between 2021 and 2035"),
            "{e}"
        );
        let e = err("resident,2036,spending,1,亿元,s\n");
        assert!(e.contains("column `year`"), "{e}");
        let e = err("resident,2021,spending,NaN,亿元,s\n");
        assert!(e.contains("column `value`") && e.contains("finite"), "{e}");
        let e = err("resident,2021,spending,-5,亿元,s\n");
        assert!(e.contains("column `value`") && e.contains("≥ 0"), "{e}");
        let e = err("resident,2021,spending,5,万人,s\n");
        assert!(
            e.contains("column `unit`") && e.contains("yuan or 万元 or 亿元"),
            "{e}"
        );
        let e = err("resident,2021,spending,5,亿元,s\nresident,2021,spending,6,亿元,t\n");
        assert!(e.starts_with("a.csv:3:1:") && e.contains("line 2"), "{e}");
        let e = err("resident,2021,spending,5,亿元,\n");
        assert!(e.contains("column `source`"), "{e}");
        let e = parse("fund,year,value\n", "a.csv", 2020, 2035).unwrap_err();
        assert!(
            e.to_string()
                .contains("expected exactly fund,year,metric,value,unit,source")
        );
    }

    #[test]
    fn negative_values_where_a_metric_can_be_negative() {
        let r = parse(
            &format!("{HEAD}employee,2021,net_flow,-5,亿元,s\nemployee,2021,balance,-1,亿元,s\n"),
            "a.csv",
            2020,
            2035,
        )
        .unwrap();
        assert_eq!(r[0].value, -5e8);
    }
}
