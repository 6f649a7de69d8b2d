//! The target language of `sweep` and `solve` (MODEL.md §11: "the smallest value of a
//! parameter that meets a target such as P(M ≥ 6 in every year to 2030) ≥ 90%").
//!
//! Grammar (keywords are case-insensitive, spaces are free):
//!
//! ```text
//! target   := measure CMP NUMBER                      e.g. P(...) >= 0.9
//! measure  := "P" "(" event ")"                       a probability over paths
//!           | STAT "(" METRIC [fund] "in" YEAR ")"   a statistic of one year
//! event    := METRIC [CMP NUMBER] [fund] [years]
//! fund     := "for" ("employee" | "resident" | "combined")      default: combined
//! years    := "in" ("every" | "any") "year" YEAR ["-" YEAR]     a range of years
//!           | "in" YEAR                                         one year
//!           | "by" YEAR                                         any year from Y0+1 to YEAR
//!                                                  default: in every year Y0+1-Y1
//! CMP      := ">=" | ">" | "<=" | "<"
//! STAT     := "mean" | "median" | "q" NN (quantile NN%, e.g. q10)
//! METRIC   := "months"   months of reserve 12·B/S                       (needs CMP)
//!           | "balance"  balance, 亿元                                  (needs CMP)
//!           | "growth"   spending growth S(t)/S(t−1) − 1 (0.1 = 10%)    (needs CMP)
//!           | "deficit"  current-year deficit C + other + I < S         (yes/no)
//!           | "depleted" balance below zero                             (yes/no)
//! ```
//!
//! Examples: `P(months >= 6 for resident in every year 2021-2030) >= 0.9`,
//! `P(depleted for employee by 2035) <= 0.05`, `median(months for combined in 2035) >= 9`,
//! `P(growth < 0.1 for resident in any year 2021-2025)`.
//! A yes/no metric is 1 or 0 per path and year, so `mean(deficit for resident in 2030)` is a
//! probability. Growth and deficit start at Y0 + 1 (MODEL.md §12).
//!
//! Standard errors: a probability's is `√(p(1−p)/n)`, a mean's `sd/√n`, a median's or
//! quantile's the batch estimate of [`super::batch_se`].

use super::{Estimate, FUNDS, balance, batch_se, income, mean_se, quantile, spending};
use crate::engine::{Paths, YearRecord};
use crate::resolve::Model;
use crate::summary::{months_of, prop_se};

/// A metric of one fund in one year of one path (MODEL.md §7, §11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Months of reserve `12·B/S`.
    Months,
    /// Balance, 亿元.
    Balance,
    /// Spending growth `S(t)/S(t−1) − 1`.
    Growth,
    /// Current-year deficit (1 or 0).
    Deficit,
    /// Balance below zero (1 or 0).
    Depleted,
}

impl Metric {
    const ALL: [(&'static str, Metric); 5] = [
        ("months", Metric::Months),
        ("balance", Metric::Balance),
        ("growth", Metric::Growth),
        ("deficit", Metric::Deficit),
        ("depleted", Metric::Depleted),
    ];

    /// Name in the target language.
    pub fn name(self) -> &'static str {
        Metric::ALL.iter().find(|m| m.1 == self).expect("listed").0
    }

    /// Whether the metric is yes/no (1 or 0).
    pub fn is_flag(self) -> bool {
        matches!(self, Metric::Deficit | Metric::Depleted)
    }

    /// First year index the metric is defined for (flows need a previous year).
    pub fn first_index(self) -> usize {
        match self {
            Metric::Growth | Metric::Deficit => 1,
            _ => 0,
        }
    }

    /// Value in year index `j` of one path for fund `f`.
    #[inline]
    pub fn value(self, recs: &[YearRecord], j: usize, f: usize) -> f64 {
        let r = &recs[j];
        match self {
            Metric::Months => months_of(r, f),
            Metric::Balance => balance(r, f) / 1e8,
            Metric::Growth => spending(r, f) / spending(&recs[j - 1], f) - 1.0,
            Metric::Deficit => f64::from(u8::from(income(r, f) < spending(r, f))),
            Metric::Depleted => f64::from(u8::from(balance(r, f) < 0.0)),
        }
    }
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// `>=`
    Ge,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `<`
    Lt,
}

impl Cmp {
    /// Whether `a CMP b`.
    #[inline]
    pub fn test(self, a: f64, b: f64) -> bool {
        match self {
            Cmp::Ge => a >= b,
            Cmp::Gt => a > b,
            Cmp::Le => a <= b,
            Cmp::Lt => a < b,
        }
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Ge => ">=",
            Cmp::Gt => ">",
            Cmp::Le => "<=",
            Cmp::Lt => "<",
        }
    }
}

/// How an event is checked over its years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quant {
    /// In every year of the range.
    Every,
    /// In at least one year of the range.
    Any,
}

/// A per-path event: a condition on a metric of a fund over a range of years.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Metric.
    pub metric: Metric,
    /// Comparison with a threshold (numeric metrics); `None` for yes/no metrics.
    pub cond: Option<(Cmp, f64)>,
    /// Fund index (0 employee, 1 resident, 2 combined).
    pub fund: usize,
    /// Every or any year.
    pub quant: Quant,
    /// Years `(first, last)`; `None`: Y0 + 1 ..= Y1 of the model.
    pub years: Option<(i32, i32)>,
}

/// A statistic of a metric over paths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stat {
    /// Mean.
    Mean,
    /// Quantile (0.5 = median).
    Quantile(f64),
}

/// What is measured: a number per model run (MODEL.md §11).
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// Probability of an event.
    Prob(Event),
    /// A statistic of a metric of a fund in one year.
    Stat {
        /// Statistic.
        stat: Stat,
        /// Metric.
        metric: Metric,
        /// Fund index.
        fund: usize,
        /// Year.
        year: i32,
    },
}

/// A target: a measure compared with a number (MODEL.md §11).
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// What is measured.
    pub measure: Measure,
    /// Comparison.
    pub cmp: Cmp,
    /// Threshold.
    pub value: f64,
}

impl Target {
    /// Whether an estimate meets the target (on the point estimate).
    pub fn met(&self, e: &Estimate) -> bool {
        self.cmp.test(e.value, self.value)
    }
}

// ---------------------------------------------------------------- lexing and parsing

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Num(f64),
    Cmp(Cmp),
    LParen,
    RParen,
    Dash,
    End,
}

impl Tok {
    fn show(&self) -> String {
        match self {
            Tok::Word(w) => format!("`{w}`"),
            Tok::Num(v) => format!("`{v}`"),
            Tok::Cmp(c) => format!("`{}`", c.symbol()),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::Dash => "`-`".into(),
            Tok::End => "the end of the text".into(),
        }
    }
}

/// A parse error: the text, the column (1-based, in characters) and what was expected.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// The text parsed.
    pub text: String,
    /// Column of the problem, 1-based.
    pub col: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // One line (README "Errors and guarantees"): the text, then where in it.
        let rest: String = self.text.chars().skip(self.col.saturating_sub(1)).collect();
        write!(
            f,
            "bad target at column {} of `{}` (at `{rest}`): {}",
            self.col, self.text, self.message
        )
    }
}

fn lex(text: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |col: usize, m: String| ParseError {
        text: text.to_string(),
        col,
        message: m,
    };
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push((Tok::LParen, col));
            i += 1;
        } else if c == ')' {
            out.push((Tok::RParen, col));
            i += 1;
        } else if c == '-' || c == '–' {
            out.push((Tok::Dash, col));
            i += 1;
        } else if c == '>' || c == '<' || c == '≥' || c == '≤' {
            let eq = chars.get(i + 1) == Some(&'=');
            let cmp = match (c, eq) {
                ('>', true) | ('≥', _) => Cmp::Ge,
                ('>', false) => Cmp::Gt,
                ('<', true) | ('≤', _) => Cmp::Le,
                _ => Cmp::Lt,
            };
            out.push((Tok::Cmp(cmp), col));
            i += if eq { 2 } else { 1 };
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            // exponent
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut k = i + 1;
                if k < chars.len() && (chars[k] == '+' || chars[k] == '-') {
                    k += 1;
                }
                if k < chars.len() && chars[k].is_ascii_digit() {
                    i = k;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let mut s: String = chars[start..i].iter().collect();
            let mut pct = false;
            if chars.get(i) == Some(&'%') {
                pct = true;
                i += 1;
            }
            let v: f64 = s
                .parse()
                .map_err(|_| err(col, format!("`{s}` is not a number")))?;
            if pct {
                s.push('%');
            }
            out.push((Tok::Num(if pct { v / 100.0 } else { v }), col));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let w: String = chars[start..i].iter().collect();
            out.push((Tok::Word(w.to_lowercase()), col));
        } else if c == '=' && chars.get(i + 1) == Some(&'=') {
            return Err(err(
                col,
                "`==` is not a comparison here; expected >=, >, <= or <".into(),
            ));
        } else {
            return Err(err(
                col,
                format!(
                    "unexpected character `{c}`; expected a word, a number, a comparison (>=, >, <=, <) or a parenthesis"
                ),
            ));
        }
    }
    out.push((Tok::End, chars.len() + 1));
    Ok(out)
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }
    fn col(&self) -> usize {
        self.toks[self.pos].1
    }
    fn next(&mut self) -> Tok {
        let t = self.toks[self.pos].0.clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn fail<T>(&self, expected: &str) -> Result<T, ParseError> {
        Err(ParseError {
            text: self.text.to_string(),
            col: self.col(),
            message: format!("expected {expected}, found {}", self.peek().show()),
        })
    }
    fn word_is(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Word(x) if x == w)
    }
    fn expect(&mut self, t: Tok, expected: &str) -> Result<(), ParseError> {
        if *self.peek() == t {
            self.next();
            Ok(())
        } else {
            self.fail(expected)
        }
    }
    fn number(&mut self, expected: &str) -> Result<f64, ParseError> {
        let neg = if *self.peek() == Tok::Dash {
            self.next();
            true
        } else {
            false
        };
        match self.peek() {
            Tok::Num(v) => {
                let v = *v;
                self.next();
                Ok(if neg { -v } else { v })
            }
            _ => self.fail(expected),
        }
    }
    fn year(&mut self) -> Result<i32, ParseError> {
        match self.peek() {
            Tok::Num(v) if v.fract() == 0.0 && (1900.0..=2200.0).contains(v) => {
                let y = *v as i32;
                self.next();
                Ok(y)
            }
            _ => self.fail("a year such as 2030"),
        }
    }
    fn cmp(&mut self) -> Option<Cmp> {
        if let Tok::Cmp(c) = self.peek() {
            let c = *c;
            self.next();
            Some(c)
        } else {
            None
        }
    }
    fn metric(&mut self) -> Result<Metric, ParseError> {
        if let Tok::Word(w) = self.peek()
            && let Some(m) = Metric::ALL.iter().find(|m| m.0 == w)
        {
            let m = m.1;
            self.next();
            return Ok(m);
        }
        self.fail("a metric (months, balance, growth, deficit or depleted)")
    }
    fn fund(&mut self) -> Result<usize, ParseError> {
        if self.word_is("for") {
            self.next();
            if let Tok::Word(w) = self.peek()
                && let Some(f) = super::fund_index(w)
            {
                self.next();
                return Ok(f);
            }
            return self.fail("a fund (employee, resident or combined) after `for`");
        }
        Ok(2)
    }
    /// `"in" ("every"|"any") "year" Y ["-" Y] | "in" Y | "by" Y`
    fn years(&mut self) -> Result<(Quant, Option<(i32, i32)>), ParseError> {
        if self.word_is("by") {
            self.next();
            let y = self.year()?;
            return Ok((Quant::Any, Some((i32::MIN, y))));
        }
        if !self.word_is("in") {
            return Ok((Quant::Every, None));
        }
        self.next();
        let quant = if self.word_is("every") || self.word_is("all") {
            Quant::Every
        } else if self.word_is("any") || self.word_is("some") {
            Quant::Any
        } else if matches!(self.peek(), Tok::Num(_)) {
            let y = self.year()?;
            return Ok((Quant::Every, Some((y, y))));
        } else {
            return self.fail("`every year`, `any year` or a year after `in`");
        };
        self.next();
        if self.word_is("year") || self.word_is("years") {
            self.next();
        } else {
            return self.fail("`year`");
        }
        let a = self.year()?;
        let b = if *self.peek() == Tok::Dash || self.word_is("to") {
            self.next();
            let col = self.col();
            let b = self.year()?;
            if b < a {
                return Err(ParseError {
                    text: self.text.to_string(),
                    col,
                    message: format!(
                        "the range {a}-{b} runs backwards; expected a last year ≥ {a}"
                    ),
                });
            }
            b
        } else {
            a
        };
        Ok((quant, Some((a, b))))
    }

    fn measure(&mut self) -> Result<Measure, ParseError> {
        let Tok::Word(w) = self.peek().clone() else {
            return self.fail("`P(`, `mean(`, `median(` or a quantile such as `q10(`");
        };
        let stat = match w.as_str() {
            "p" | "prob" => None,
            "mean" => Some(Stat::Mean),
            "median" => Some(Stat::Quantile(0.5)),
            q if q.starts_with('q')
                && q.len() > 1
                && q[1..].chars().all(|c| c.is_ascii_digit())
                && (1..=99).contains(&q[1..].parse::<u32>().unwrap_or(0)) =>
            {
                Some(Stat::Quantile(
                    f64::from(q[1..].parse::<u32>().unwrap_or(50)) / 100.0,
                ))
            }
            _ => return self.fail("`P(`, `mean(`, `median(` or a quantile such as `q10(`"),
        };
        self.next();
        self.expect(Tok::LParen, "`(`")?;
        let mcol = self.col();
        let metric = self.metric()?;
        let m = match stat {
            None => {
                let cond = match self.cmp() {
                    Some(c) => {
                        if metric.is_flag() {
                            return Err(ParseError {
                                text: self.text.to_string(),
                                col: mcol,
                                message: format!(
                                    "`{}` is a yes/no metric and takes no comparison; expected `for`, `in`, `by` or `)` after it",
                                    metric.name()
                                ),
                            });
                        }
                        Some((c, self.number("a number after the comparison")?))
                    }
                    None if !metric.is_flag() => {
                        return self.fail(&format!(
                            "a comparison (>=, >, <=, <) after `{}`",
                            metric.name()
                        ));
                    }
                    None => None,
                };
                let fund = self.fund()?;
                let (quant, years) = self.years()?;
                Measure::Prob(Event {
                    metric,
                    cond,
                    fund,
                    quant,
                    years,
                })
            }
            Some(stat) => {
                let fund = self.fund()?;
                if !self.word_is("in") {
                    return self.fail("`in YEAR` (a statistic is of one year)");
                }
                self.next();
                let year = self.year()?;
                Measure::Stat {
                    stat,
                    metric,
                    fund,
                    year,
                }
            }
        };
        self.expect(Tok::RParen, "`)` or one of `for`, `in`, `by`")?;
        Ok(m)
    }
}

/// Parse a measure such as `P(months >= 6 for resident in every year 2021-2030)` (the
/// `--measure` of `sweep`).
pub fn parse_measure(text: &str) -> Result<Measure, ParseError> {
    let mut p = Parser {
        text,
        toks: lex(text)?,
        pos: 0,
    };
    let m = p.measure()?;
    if *p.peek() != Tok::End {
        return p.fail("the end of the measure, or a comparison and a number (e.g. `>= 0.9`) to make it a target");
    }
    Ok(m)
}

/// Parse a target such as `P(months >= 6 for resident in every year 2021-2030) >= 0.9`
/// (the `--target` of `solve`). A probability threshold must lie in [0, 1] (`90%` is read
/// as 0.9).
pub fn parse_target(text: &str) -> Result<Target, ParseError> {
    let mut p = Parser {
        text,
        toks: lex(text)?,
        pos: 0,
    };
    let measure = p.measure()?;
    let Some(cmp) = p.cmp() else {
        return p.fail("a comparison (>=, >, <=, <) and a number after the measure, e.g. `>= 0.9`");
    };
    let col = p.col();
    let value = p.number("a number after the comparison, e.g. 0.9")?;
    if matches!(measure, Measure::Prob(_)) && !(0.0..=1.0).contains(&value) {
        return Err(ParseError {
            text: text.to_string(),
            col,
            message: format!(
                "a probability is compared with {value}; expected a number between 0 and 1 (e.g. 0.9 or 90%)"
            ),
        });
    }
    if *p.peek() != Tok::End {
        return p.fail("the end of the target");
    }
    Ok(Target {
        measure,
        cmp,
        value,
    })
}

// ---------------------------------------------------------------- evaluation

impl Measure {
    /// Check the measure's years against a model (base..=horizon; flows from base + 1).
    pub fn check(&self, m: &Model) -> Result<(), String> {
        let (b, h) = (m.base_year, m.base_year + m.years as i32 - 1);
        let (metric, lo, hi) = match self {
            Measure::Prob(e) => {
                let (lo, hi) = self.span(m);
                let _ = e;
                (e.metric, lo, hi)
            }
            Measure::Stat { metric, year, .. } => (*metric, *year, *year),
        };
        let first = b + metric.first_index() as i32;
        if lo < first || hi > h {
            return Err(format!(
                "the measure's years {lo}-{hi} are outside the projection; expected years between {first} and {h} for `{}` ({b} is the base year{})",
                metric.name(),
                if metric.first_index() > 0 {
                    ", and this metric needs a previous year"
                } else {
                    ""
                }
            ));
        }
        Ok(())
    }

    /// The years an event covers in a model.
    fn span(&self, m: &Model) -> (i32, i32) {
        let (b, h) = (m.base_year, m.base_year + m.years as i32 - 1);
        match self {
            Measure::Prob(e) => match e.years {
                None => (b + 1, h),
                Some((i32::MIN, y)) => (b + 1, y),
                Some(r) => r,
            },
            Measure::Stat { year, .. } => (*year, *year),
        }
    }

    /// Per-path values: the event's indicator (1 or 0), or the metric in the year.
    pub fn per_path(&self, m: &Model, paths: &Paths) -> Vec<f64> {
        let (lo, hi) = self.span(m);
        let (jl, jh) = ((lo - m.base_year) as usize, (hi - m.base_year) as usize);
        (0..paths.count)
            .map(|p| {
                let recs = &paths.path(p);
                match self {
                    Measure::Prob(e) => {
                        let hit = |j: usize| {
                            let v = e.metric.value(recs, j, e.fund);
                            match e.cond {
                                Some((c, x)) => c.test(v, x),
                                None => v > 0.5,
                            }
                        };
                        let ok = match e.quant {
                            Quant::Every => (jl..=jh).all(hit),
                            Quant::Any => (jl..=jh).any(hit),
                        };
                        f64::from(u8::from(ok))
                    }
                    Measure::Stat { metric, fund, .. } => metric.value(recs, jl, *fund),
                }
            })
            .collect()
    }

    /// Evaluate on a set of paths: the estimate and its Monte Carlo standard error.
    pub fn eval(&self, m: &Model, paths: &Paths) -> Estimate {
        let x = self.per_path(m, paths);
        self.estimate(&x)
    }

    /// The estimate from per-path values (see [`Measure::per_path`]).
    pub fn estimate(&self, x: &[f64]) -> Estimate {
        let n = x.len();
        match self {
            Measure::Prob(_) => {
                let p = x.iter().sum::<f64>() / n as f64;
                Estimate {
                    value: p,
                    se: prop_se(p, n),
                }
            }
            Measure::Stat {
                stat: Stat::Mean, ..
            } => mean_se(x),
            Measure::Stat {
                stat: Stat::Quantile(q),
                ..
            } => Estimate {
                value: quantile(x, *q),
                se: batch_se(n, |r| quantile(&x[r], *q)),
            },
        }
    }

    /// A short label for tables and charts.
    pub fn label(&self) -> String {
        match self {
            Measure::Prob(e) => {
                let cond = e
                    .cond
                    .map(|(c, v)| format!(" {} {v}", c.symbol()))
                    .unwrap_or_default();
                let years = match (e.quant, e.years) {
                    (_, None) => String::new(),
                    (_, Some((i32::MIN, y))) => format!(" by {y}"),
                    (_, Some((a, b))) if a == b => format!(" in {a}"),
                    (Quant::Every, Some((a, b))) => format!(" in every year {a}-{b}"),
                    (Quant::Any, Some((a, b))) => format!(" in any year {a}-{b}"),
                };
                format!("P({}{cond} for {}{years})", e.metric.name(), FUNDS[e.fund])
            }
            Measure::Stat {
                stat,
                metric,
                fund,
                year,
            } => {
                let s = match stat {
                    Stat::Mean => "mean".to_string(),
                    Stat::Quantile(q) if *q == 0.5 => "median".to_string(),
                    Stat::Quantile(q) => format!("q{:02}", (q * 100.0).round() as u32),
                };
                format!("{s}({} for {} in {year})", metric.name(), FUNDS[*fund])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_example() {
        let t = parse_target("P(months >= 6 for resident in every year 2021-2030) >= 0.9").unwrap();
        assert_eq!(t.cmp, Cmp::Ge);
        assert_eq!(t.value, 0.9);
        let Measure::Prob(e) = &t.measure else {
            panic!()
        };
        assert_eq!(e.fund, 1);
        assert_eq!(e.years, Some((2021, 2030)));
        assert_eq!(e.cond, Some((Cmp::Ge, 6.0)));
        assert_eq!(
            t.measure.label(),
            "P(months >= 6 for resident in every year 2021-2030)"
        );
    }

    #[test]
    fn other_forms() {
        assert!(parse_target("P(depleted for employee by 2035) <= 5%").is_ok());
        assert!(parse_measure("median(months for combined in 2035)").is_ok());
        assert!(parse_measure("q10(balance for employee in 2030)").is_ok());
        assert!(parse_measure("P(balance >= -5 in any year 2021-2025)").is_ok());
    }

    #[test]
    fn errors_say_where_and_what() {
        let e =
            parse_target("P(months >= 6 for residnt in every year 2021-2030) >= 0.9").unwrap_err();
        assert_eq!(e.col, 19);
        assert!(e.message.contains("expected a fund"), "{e}");
        let e = parse_target("P(months >= 6 for resident) >= 1.5").unwrap_err();
        assert!(e.message.contains("between 0 and 1"), "{e}");
        let e = parse_measure("P(months for resident)").unwrap_err();
        assert!(e.message.contains("comparison"), "{e}");
        let e = parse_target("P(months >= 6 in every year 2030-2021) >= 0.9").unwrap_err();
        assert!(e.message.contains("backwards"), "{e}");
    }
}
