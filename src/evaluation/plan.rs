//! Plan indicators (MODEL.md §11 *Plan check*, §13): a plan file lists the indicators of a
//! five-year plan that the model can speak to, each resting on figures of
//! `seeds/targets.toml` (the one list of seed figures: quotes, binding or expected, and the
//! thresholds themselves), and says how to measure it.
//!
//! ```toml
//! [plan]
//! id = "zhejiang-14th-fyp"
//! name = "浙江省医疗保障事业发展“十四五”规划"
//! name_en = "Zhejiang healthcare security plan, 14th five-year period"
//! period = [2021, 2025]
//! approx_tolerance = 0.05        # "about" (左右, 约) = within ±5% of the figure (default)
//!
//! [status]                       # probability thresholds (defaults shown)
//! on_track = 0.9                 # 预计达标 when P(meet) ≥ 0.9
//! at_risk = 0.5                  # 有风险 when 0.5 ≤ P(meet) < 0.9, 预计未达标 below
//!
//! [[indicator]]
//! id = "spending_growth"
//! name = "基本医疗保险基金年支出增长率"
//! name_en = "Growth of fund spending"
//! seeds = ["zj_spending_growth_2025"]        # targets.toml ids: quotes and kind
//! metric = "spending_growth"                 # a summary metric (MODEL.md §10, §13) ...
//! fund = "combined"
//! cmp = "<"                                  # <, <=, >, >=, approx, between
//! threshold = "zj_spending_growth_2025"      # value from targets.toml (two ids for between)
//! years = [2021, 2025]                       # every year of the range (default: the period)
//! note = "..."                               # known causes, in Chinese (note_en in English)
//! # ... or a scenario input, judged 按假设 (by assumption):
//! # input = "resident.reimbursement"
//! ```
//!
//! Status at the evaluation year `E` (MODEL.md §13): 未达标 when an actual figure of the
//! period already breaks the indicator; 已达标 when the period is over and the actual figures
//! meet it; otherwise from the probability `p` that the re-based paths meet it in every
//! remaining year: 预计达标 `p ≥ on_track`, 有风险 `at_risk ≤ p < on_track`, 预计未达标 below.
//! An indicator on a scenario input is 按假设, with whether the input meets the threshold.

use super::actuals::{Actual, Quantity, find, quantity};
use super::rebase::central;
use crate::decision::target::Cmp;
use crate::engine::Paths;
use crate::param::Param;
use crate::resolve::Model;
use crate::scenario::read::{Check, ScenarioError, Table, as_array, as_int, as_str};
use crate::scenario::source::{Files, InputFile};
use crate::scenario::tree::{self, Kind, Node};
use crate::summary::{metric_values, quantiles};
use crate::targets::Target;

/// What an indicator's threshold is compared by.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `value CMP threshold`.
    Cmp(Cmp, f64),
    /// `|value − target| ≤ tolerance·|target|`.
    Approx(f64, f64),
    /// `lo ≤ value ≤ hi`.
    Between(f64, f64),
}

impl Condition {
    /// Whether `v` meets the condition.
    pub fn met(&self, v: f64) -> bool {
        match *self {
            Condition::Cmp(c, t) => c.test(v, t),
            Condition::Approx(t, tol) => (v - t).abs() <= tol * t.abs(),
            Condition::Between(lo, hi) => (lo..=hi).contains(&v),
        }
    }

    /// The threshold as text, with values shown by `f`.
    pub fn show(&self, f: impl Fn(f64) -> String) -> String {
        match *self {
            Condition::Cmp(c, t) => {
                let sym = match c {
                    Cmp::Ge => "≥",
                    Cmp::Le => "≤",
                    other => other.symbol(),
                };
                format!("{sym} {}", f(t))
            }
            Condition::Approx(t, tol) => format!("≈ {} (±{}%)", f(t), tol * 100.0),
            Condition::Between(lo, hi) => format!("{}–{}", f(lo), f(hi)),
        }
    }
}

/// What an indicator measures.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// A summary metric of a fund (MODEL.md §10, §13).
    Metric {
        /// Metric name.
        metric: String,
        /// Fund (`region` for population metrics).
        fund: String,
    },
    /// A scenario input (a dotted key of [`crate::report::params`]): status 按假设.
    Input(String),
}

/// One plan indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Short id.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// The seed figures it rests on (targets.toml).
    pub seeds: Vec<Target>,
    /// What is measured.
    pub measure: Measure,
    /// Threshold.
    pub condition: Condition,
    /// Years of the indicator (every year must meet it).
    pub years: (i32, i32),
    /// Known causes, Chinese and English.
    pub note: (String, String),
}

impl Indicator {
    /// `binding` (约束性), `expected` (预期性), `projection` (a plan's context forecast) or
    /// `observed` (a base-year level): the first binding or expected seed figure decides.
    pub fn kind(&self) -> &str {
        for k in ["binding", "expected", "projection"] {
            if let Some(t) = self.seeds.iter().find(|t| t.kind == k) {
                return &t.kind;
            }
        }
        "observed"
    }
}

/// Probability thresholds of the statuses (MODEL.md §13; configurable in the plan file).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// 预计达标 at or above this probability.
    pub on_track: f64,
    /// 有风险 at or above this, below `on_track`; 预计未达标 below.
    pub at_risk: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            on_track: 0.9,
            at_risk: 0.5,
        }
    }
}

/// A plan file.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Short id.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Plan period.
    pub period: (i32, i32),
    /// Status thresholds.
    pub thresholds: Thresholds,
    /// Indicators in file order.
    pub indicators: Vec<Indicator>,
    /// The file with its SHA-256.
    pub input: InputFile,
}

/// Factor from a targets.toml unit to model units.
fn unit_factor(unit: &str) -> Option<f64> {
    match unit {
        "%" => Some(0.01),
        "万人" => Some(1e4),
        "亿元" => Some(1e8),
        "months" | "yuan/person/year" | "years" => Some(1.0),
        _ => None,
    }
}

/// The targets.toml unit a metric's threshold must be given in.
fn unit_of(q: Quantity) -> &'static str {
    match q {
        Quantity::Money => "亿元",
        Quantity::Persons => "万人",
        Quantity::Months => "months",
        Quantity::Ratio => "%",
    }
}

fn year_pair(n: &Node, key: &str, lo: i32, hi: i32) -> Result<(i32, i32), ScenarioError> {
    let items = as_array(n, key, "[FIRST, LAST], e.g. [2021, 2025]")?;
    if items.len() != 2 {
        return Err(ScenarioError::at(
            n,
            key,
            format!("got {} years, expected [FIRST, LAST]", items.len()),
        ));
    }
    let a = as_int(&items[0], key, lo as i64, hi as i64)? as i32;
    let b = as_int(&items[1], key, a as i64, hi as i64)? as i32;
    Ok((a, b))
}

fn ids(n: &Node, key: &str) -> Result<Vec<(String, Node)>, ScenarioError> {
    match &n.kind {
        Kind::Str(s) => Ok(vec![(s.clone(), n.clone())]),
        _ => as_array(n, key, "a targets.toml id or an array of ids")?
            .iter()
            .map(|i| Ok((as_str(i, key)?.to_string(), i.clone())))
            .collect(),
    }
}

fn target(all: &[Target], id: &str, at: &Node, key: &str) -> Result<Target, ScenarioError> {
    all.iter().find(|t| t.id == id).cloned().ok_or_else(|| {
        let best = all
            .iter()
            .map(|t| (strsim::jaro_winkler(id, &t.id), t.id.as_str()))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|b| b.0 > 0.8)
            .map(|b| format!("; did you mean `{}`?", b.1))
            .unwrap_or_default();
        ScenarioError::at(
            at,
            key,
            format!("got \"{id}\", expected an id of seeds/targets.toml{best}"),
        )
    })
}

impl Plan {
    /// Read a plan file for scenario `m` (years must lie in base + 1 ..= horizon, inputs must
    /// be parameters of the scenario).
    pub fn read(file: &str, m: &Model) -> Result<Plan, ScenarioError> {
        let files = Files::new();
        let text = files.read(file)?;
        let input = files.inputs().remove(0);
        let root = tree::parse(&text, file).map_err(|e| ScenarioError {
            loc: Some(e.loc),
            key: None,
            message: format!("TOML syntax error: {}", e.message),
        })?;
        Self::from_tree(&root, m, input)
    }

    fn from_tree(root: &Node, m: &Model, input: InputFile) -> Result<Plan, ScenarioError> {
        let all = crate::targets::all();
        let (first, last) = (m.base_year + 1, m.year(m.years - 1));
        let top = Table::new(root, "")?;
        let p = top.req_table("plan", "a [plan] table")?;
        let req_str = |t: &Table, key: &'static str, what: &str| -> Result<String, ScenarioError> {
            t.string(key)?.ok_or_else(|| {
                ScenarioError::at(
                    t.node(),
                    &t.key_path(key),
                    format!("missing key; expected {what}"),
                )
            })
        };
        let id = req_str(&p, "id", "a short id")?;
        let name = req_str(&p, "name", "the plan's Chinese name")?;
        let name_en = req_str(&p, "name_en", "the plan's English name")?;
        if let Some(region) = p.string("region")?
            && !region.eq_ignore_ascii_case(&m.scenario.region.name_en)
        {
            return Err(ScenarioError::at(
                p.opt("region").expect("read"),
                "plan.region",
                format!(
                    "got \"{region}\", but the scenario is {} ({}); expected a plan for the scenario's region",
                    m.scenario.region.name_en, m.scenario.region.id
                ),
            ));
        }
        let period = year_pair(
            p.req("period", "[FIRST, LAST], e.g. [2021, 2025]")?,
            "plan.period",
            first,
            last,
        )?;
        let tol = p
            .number(
                "approx_tolerance",
                Check::Range(0.0, 1.0, "a relative tolerance"),
            )?
            .unwrap_or(0.05);
        p.finish()?;
        let mut thresholds = Thresholds::default();
        if let Some(st) = top.table("status")? {
            let prob = Check::Range(0.0, 1.0, "a probability");
            thresholds.on_track = st.number("on_track", prob)?.unwrap_or(0.9);
            thresholds.at_risk = st.number("at_risk", prob)?.unwrap_or(0.5);
            if thresholds.at_risk > thresholds.on_track {
                return Err(ScenarioError::at(
                    st.node(),
                    "status",
                    format!(
                        "at_risk {} is above on_track {}; expected at_risk ≤ on_track",
                        thresholds.at_risk, thresholds.on_track
                    ),
                ));
            }
            st.finish()?;
        }
        let list = as_array(
            top.req("indicator", "[[indicator]] tables")?,
            "indicator",
            "[[indicator]] tables",
        )?;
        let mut indicators = Vec::new();
        for (i, node) in list.iter().enumerate() {
            let t = Table::new(node, &format!("indicator[{i}]"))?;
            let ind = read_indicator(&t, &all, m, period, tol, (first, last))?;
            if indicators.iter().any(|x: &Indicator| x.id == ind.id) {
                return Err(ScenarioError::at(
                    node,
                    &t.key_path("id"),
                    format!("\"{}\" is used twice; expected unique ids", ind.id),
                ));
            }
            indicators.push(ind);
        }
        top.finish()?;
        Ok(Plan {
            id,
            name,
            name_en,
            period,
            thresholds,
            indicators,
            input,
        })
    }
}

fn read_indicator(
    t: &Table,
    all: &[Target],
    m: &Model,
    period: (i32, i32),
    tol: f64,
    (first, last): (i32, i32),
) -> Result<Indicator, ScenarioError> {
    let need = |key: &'static str, what: &str| -> Result<String, ScenarioError> {
        t.string(key)?.ok_or_else(|| {
            ScenarioError::at(
                t.node(),
                &t.key_path(key),
                format!("missing key; expected {what}"),
            )
        })
    };
    let id = need("id", "a short id")?;
    let name = need("name", "the indicator's Chinese name")?;
    let name_en = need("name_en", "the indicator's English name")?;
    let seeds_node = t.req("seeds", "an array of seeds/targets.toml ids")?;
    let seeds = ids(seeds_node, &t.key_path("seeds"))?
        .iter()
        .map(|(s, n)| target(all, s, n, &t.key_path("seeds")))
        .collect::<Result<Vec<_>, _>>()?;
    if seeds.is_empty() {
        return Err(ScenarioError::at(
            seeds_node,
            &t.key_path("seeds"),
            "empty; expected at least one seed figure the indicator rests on",
        ));
    }
    let (metric, input) = (t.opt("metric"), t.opt("input"));
    let measure = match (metric, input) {
        (Some(mn), None) => {
            let metric = as_str(mn, &t.key_path("metric"))?.to_string();
            let fnode = t.req("fund", "region, employee, resident or combined")?;
            let fund = as_str(fnode, &t.key_path("fund"))?.to_string();
            if quantity(&metric).is_none() {
                let list: Vec<&str> = super::actuals::FIGURES.iter().map(|f| f.0).collect();
                return Err(ScenarioError::at(
                    mn,
                    &t.key_path("metric"),
                    format!("got \"{metric}\", expected one of: {}", list.join(", ")),
                ));
            }
            if crate::summary::metric_start(&fund, &metric).is_none() {
                return Err(ScenarioError::at(
                    fnode,
                    &t.key_path("fund"),
                    format!(
                        "got \"{fund}\", which has no `{metric}`; expected region, employee, resident or combined with that metric"
                    ),
                ));
            }
            Measure::Metric { metric, fund }
        }
        (None, Some(inode)) => {
            let key = as_str(inode, &t.key_path("input"))?.to_string();
            if !crate::report::params(&m.scenario)
                .iter()
                .any(|(k, _)| *k == key)
            {
                return Err(ScenarioError::at(
                    inode,
                    &t.key_path("input"),
                    format!(
                        "got \"{key}\", expected a time-dated parameter of the scenario, e.g. resident.reimbursement"
                    ),
                ));
            }
            Measure::Input(key)
        }
        _ => {
            return Err(ScenarioError::at(
                t.node(),
                t.path(),
                "expected either `metric` (with `fund`) or `input`",
            ));
        }
    };
    let cnode = t.req("cmp", "<, <=, >, >=, approx or between")?;
    let cmp = as_str(cnode, &t.key_path("cmp"))?;
    let tnode = t.req("threshold", "a targets.toml id (two for between)")?;
    let th = ids(tnode, &t.key_path("threshold"))?;
    let want = if cmp == "between" { 2 } else { 1 };
    if th.len() != want {
        return Err(ScenarioError::at(
            tnode,
            &t.key_path("threshold"),
            format!("got {} ids, expected {want} for cmp \"{cmp}\"", th.len()),
        ));
    }
    let mut values = Vec::new();
    for (tid, n) in &th {
        let tg = target(all, tid, n, &t.key_path("threshold"))?;
        let factor = unit_factor(&tg.unit).ok_or_else(|| {
            ScenarioError::at(
                n,
                &t.key_path("threshold"),
                format!("\"{tid}\" is in {}, which has no model unit; expected %, 万人, 亿元, months or yuan/person/year", tg.unit),
            )
        })?;
        if let Measure::Metric { metric, .. } = &measure {
            let q = quantity(metric).expect("checked");
            if tg.unit != unit_of(q) {
                return Err(ScenarioError::at(
                    n,
                    &t.key_path("threshold"),
                    format!(
                        "\"{tid}\" is in {}, expected a figure in {} for `{metric}`",
                        tg.unit,
                        unit_of(q)
                    ),
                ));
            }
        }
        // A percentage is divided, not multiplied by 0.01, so that 97% is the same number
        // as a scenario's 0.97.
        values.push(if tg.unit == "%" {
            tg.value / 100.0
        } else {
            tg.value * factor
        });
    }
    let condition = match cmp {
        "<" => Condition::Cmp(Cmp::Lt, values[0]),
        "<=" => Condition::Cmp(Cmp::Le, values[0]),
        ">" => Condition::Cmp(Cmp::Gt, values[0]),
        ">=" => Condition::Cmp(Cmp::Ge, values[0]),
        "approx" => Condition::Approx(
            values[0],
            t.number("tolerance", Check::Range(0.0, 1.0, "a relative tolerance"))?
                .unwrap_or(tol),
        ),
        "between" if values[0] <= values[1] => Condition::Between(values[0], values[1]),
        "between" => {
            return Err(ScenarioError::at(
                tnode,
                &t.key_path("threshold"),
                "the lower figure is above the upper one; expected [LOWER, UPPER]",
            ));
        }
        other => {
            return Err(ScenarioError::at(
                cnode,
                &t.key_path("cmp"),
                format!("got \"{other}\", expected <, <=, >, >=, approx or between"),
            ));
        }
    };
    if !matches!(condition, Condition::Approx(..)) {
        t.opt("tolerance");
    }
    let mut years = match t.opt("years") {
        Some(n) => year_pair(n, &t.key_path("years"), first, last)?,
        None => period,
    };
    if let Measure::Metric { metric, fund } = &measure {
        let start = crate::summary::metric_start(fund, metric).unwrap_or(0) as i32;
        years.0 = years.0.max(m.base_year + start.max(1));
    }
    let note = (
        t.string("note")?.unwrap_or_default(),
        t.string("note_en")?.unwrap_or_default(),
    );
    t.finish()?;
    Ok(Indicator {
        id,
        name,
        name_en,
        seeds,
        measure,
        condition,
        years,
        note,
    })
}

/// Status of an indicator at the evaluation year (MODEL.md §13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 已达标: the period is over and the actual figures meet it.
    Achieved,
    /// 未达标: an actual figure already breaks it.
    Missed,
    /// 预计达标: P(meet) ≥ on_track.
    OnTrack,
    /// 有风险: at_risk ≤ P(meet) < on_track.
    AtRisk,
    /// 预计未达标: P(meet) < at_risk.
    OffTrack,
    /// 按假设: the indicator restates a scenario input.
    ByAssumption,
    /// 无法评估: the period is over and no actual figure covers it.
    NotAssessed,
}

impl Status {
    /// Every status, in table order.
    pub const ALL: [Status; 7] = [
        Status::Achieved,
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::Missed,
        Status::ByAssumption,
        Status::NotAssessed,
    ];

    /// Machine name (evaluation.csv).
    pub fn code(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::Missed => "missed",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::ByAssumption => "by_assumption",
            Status::NotAssessed => "not_assessed",
        }
    }

    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Status::Achieved => "已达标",
            Status::Missed => "未达标",
            Status::OnTrack => "预计达标",
            Status::AtRisk => "有风险",
            Status::OffTrack => "预计未达标",
            Status::ByAssumption => "按假设",
            Status::NotAssessed => "无法评估",
        }
    }

    /// English label.
    pub fn en(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::Missed => "missed",
            Status::OnTrack => "on track",
            Status::AtRisk => "at risk",
            Status::OffTrack => "off track",
            Status::ByAssumption => "by assumption",
            Status::NotAssessed => "not assessed",
        }
    }

    /// The status from a probability of meeting the indicator.
    pub fn from_probability(p: f64, t: Thresholds) -> Status {
        if p >= t.on_track {
            Status::OnTrack
        } else if p >= t.at_risk {
            Status::AtRisk
        } else {
            Status::OffTrack
        }
    }
}

/// A projection evaluated for the indicators: a model and its Monte Carlo paths.
pub struct Projection<'a> {
    /// The model (its base year is where the paths start).
    pub model: &'a Model,
    /// Monte Carlo paths from that base year.
    pub paths: &'a Paths,
}

impl Projection<'_> {
    /// Per-path: does the metric meet `c` in every year of `years` (years outside the
    /// projection's Y0+1..=Y1 are skipped)? Returns the share of paths and its SE.
    fn probability(&self, fund: &str, metric: &str, c: &Condition, years: &[i32]) -> (f64, f64) {
        let m = self.model;
        let n = self.paths.count;
        let mut ok = vec![true; n];
        for &y in years {
            let j = (y - m.base_year) as usize;
            for (o, v) in ok
                .iter_mut()
                .zip(metric_values(self.paths, j, fund, metric))
            {
                *o &= c.met(v);
            }
        }
        let p = ok.iter().filter(|&&o| o).count() as f64 / n as f64;
        (p, crate::summary::prop_se(p, n))
    }

    /// Median, P10 and P90 of the metric in `year`.
    fn end(&self, fund: &str, metric: &str, year: i32) -> [f64; 3] {
        let j = (year - self.model.base_year) as usize;
        let mut x = metric_values(self.paths, j, fund, metric);
        quantiles(&mut x, &[0.5, 0.1, 0.9])
            .try_into()
            .expect("three levels")
    }

    fn covers(&self, year: i32) -> bool {
        year > self.model.base_year && year <= self.model.year(self.model.years - 1)
    }
}

/// The actual value of `metric` for `fund` in `year`: the row itself, or months of reserve
/// from the year's balance and spending, or spending growth from two years' spending.
pub fn actual_value(rows: &[Actual], fund: &str, year: i32, metric: &str) -> Option<f64> {
    if let Some(a) = find(rows, fund, year, metric) {
        return Some(a.value);
    }
    let v = |y: i32, m: &str| find(rows, fund, y, m).map(|a| a.value);
    match metric {
        "months_reserve" => Some(12.0 * v(year, "balance")? / v(year, "spending")?),
        "spending_growth" => Some(v(year, "spending")? / v(year - 1, "spending")? - 1.0),
        _ => None,
    }
}

/// The verdict on one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Indicator id.
    pub id: String,
    /// Actual values in the indicator's years up to the evaluation year.
    pub actuals: Vec<(i32, f64)>,
    /// Years judged on the re-based paths (after the re-basing year, without an actual).
    pub remaining: Vec<i32>,
    /// P(meet in every remaining year) on the re-based paths, with SE.
    pub probability: Option<(f64, f64)>,
    /// P(meet in every year of the indicator) on the base-year projection, with SE.
    pub probability_previous: Option<(f64, f64)>,
    /// Median, P10, P90 in the last year on the re-based paths (when it is after the
    /// re-basing year).
    pub end: Option<[f64; 3]>,
    /// Median, P10, P90 in the last year on the base-year projection.
    pub end_previous: Option<[f64; 3]>,
    /// Input indicators: the input's value in the last year (central path) and whether it
    /// meets the threshold in every year.
    pub input: Option<(f64, bool)>,
    /// The status.
    pub status: Status,
    /// Notes made by the evaluation (Chinese, English).
    pub notes: Vec<(String, String)>,
}

/// The value of scenario input `key` in each of `years` on the central path of `m` (an
/// input indexed to wages or costs follows the central indices).
fn input_values(m: &Model, key: &str, years: &[i32]) -> Vec<f64> {
    let params = crate::report::params(&m.scenario);
    let p: &Param = params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, p)| *p)
        .expect("checked when the plan was read");
    let last = *years.iter().max().expect("years");
    let jl = ((last - m.base_year).max(0) as usize).min(m.years - 1);
    let c = central(m, jl);
    let r = p.resolve(m.base_year, m.year(m.years - 1));
    years
        .iter()
        .map(|&y| {
            let j = (y - m.base_year).clamp(0, jl as i32) as usize;
            r.at(j, &c.wage_index, &c.cost_index)
        })
        .collect()
}

/// Judge one indicator at evaluation year `as_of` with the actual figures `rows` (up to
/// `as_of`), the base-year projection `previous` and the projection re-based at `rebased`'s
/// base year.
pub fn judge(
    ind: &Indicator,
    rows: &[Actual],
    as_of: i32,
    previous: &Projection,
    rebased: &Projection,
    t: Thresholds,
) -> Verdict {
    let years: Vec<i32> = (ind.years.0..=ind.years.1).collect();
    let last = ind.years.1;
    let mut v = Verdict {
        id: ind.id.clone(),
        actuals: Vec::new(),
        remaining: Vec::new(),
        probability: None,
        probability_previous: None,
        end: None,
        end_previous: None,
        input: None,
        status: Status::NotAssessed,
        notes: Vec::new(),
    };
    let (metric, fund) = match &ind.measure {
        Measure::Input(key) => {
            let vals = input_values(previous.model, key, &years);
            let meets = vals.iter().all(|x| ind.condition.met(*x));
            v.input = Some((*vals.last().expect("years"), meets));
            v.status = Status::ByAssumption;
            return v;
        }
        Measure::Metric { metric, fund } => (metric.as_str(), fund.as_str()),
    };
    v.actuals = years
        .iter()
        .filter(|&&y| y <= as_of)
        .filter_map(|&y| actual_value(rows, fund, y, metric).map(|x| (y, x)))
        .collect();
    let a = rebased.model.base_year;
    v.remaining = years
        .iter()
        .copied()
        .filter(|&y| y > a && rebased.covers(y) && !v.actuals.iter().any(|x| x.0 == y))
        .collect();
    if previous.covers(ind.years.0) && previous.covers(last) {
        v.probability_previous = Some(previous.probability(fund, metric, &ind.condition, &years));
        v.end_previous = Some(previous.end(fund, metric, last));
    }
    if !v.remaining.is_empty() {
        v.probability = Some(rebased.probability(fund, metric, &ind.condition, &v.remaining));
    }
    if last > a && rebased.covers(last) {
        v.end = Some(rebased.end(fund, metric, last));
    }
    let unknown: Vec<i32> = years
        .iter()
        .copied()
        .filter(|&y| y <= a.max(as_of) && !v.actuals.iter().any(|x| x.0 == y))
        .collect();
    if !unknown.is_empty() {
        let list = unknown
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        v.notes.push((
            format!("{list} 年无实际数，未纳入判断"),
            format!("no actual figure for {list}: not judged"),
        ));
    }
    let broken: Vec<i32> = v
        .actuals
        .iter()
        .filter(|x| !ind.condition.met(x.1))
        .map(|x| x.0)
        .collect();
    v.status = if !broken.is_empty() {
        let list = broken
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        v.notes.push((
            format!("{list} 年实际数未达到目标"),
            format!("the actual figure of {list} breaks it"),
        ));
        Status::Missed
    } else if last <= as_of || v.probability.is_none() {
        if v.actuals.is_empty() {
            Status::NotAssessed
        } else {
            Status::Achieved
        }
    } else {
        Status::from_probability(v.probability.expect("checked").0, t)
    };
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions() {
        assert!(Condition::Cmp(Cmp::Lt, 0.1).met(0.0999));
        assert!(!Condition::Cmp(Cmp::Lt, 0.1).met(0.1));
        assert!(Condition::Approx(1500.0, 0.05).met(1575.0));
        assert!(!Condition::Approx(1500.0, 0.05).met(1575.1));
        assert!(Condition::Between(6.0, 9.0).met(9.0));
        assert!(!Condition::Between(6.0, 9.0).met(5.99));
    }

    #[test]
    fn statuses_from_probability_at_the_thresholds() {
        let t = Thresholds::default();
        assert_eq!(Status::from_probability(0.9, t), Status::OnTrack);
        assert_eq!(Status::from_probability(0.8999, t), Status::AtRisk);
        assert_eq!(Status::from_probability(0.5, t), Status::AtRisk);
        assert_eq!(Status::from_probability(0.4999, t), Status::OffTrack);
        let strict = Thresholds {
            on_track: 0.95,
            at_risk: 0.8,
        };
        assert_eq!(Status::from_probability(0.9, strict), Status::AtRisk);
    }

    #[test]
    fn actual_values_are_derived_where_stated_figures_allow() {
        let row = |y: i32, m: &str, v: f64| Actual {
            fund: "resident".into(),
            year: y,
            metric: m.into(),
            value: v,
            printed: v,
            unit: "yuan".into(),
            source: "s".into(),
            line: 2,
        };
        let rows = [
            row(2021, "balance", 60.0),
            row(2021, "spending", 90.0),
            row(2022, "spending", 99.0),
        ];
        assert_eq!(
            actual_value(&rows, "resident", 2021, "months_reserve"),
            Some(8.0)
        );
        let g = actual_value(&rows, "resident", 2022, "spending_growth").unwrap();
        assert!((g - 0.1).abs() < 1e-12);
        assert_eq!(
            actual_value(&rows, "resident", 2021, "spending_growth"),
            None
        );
        assert_eq!(actual_value(&rows, "employee", 2021, "balance"), None);
    }
}
