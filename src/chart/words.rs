//! Words of the decision charts (MODEL.md §11): display names and units of scenario keys,
//! measures of the target language in plain Chinese or English, the tornado's steps, and
//! what an option changes relative to the reference.

use super::Lang;
use super::style::num;
use crate::decision::FUNDS;
use crate::decision::sensitivity::{Driver, Shift};
use crate::decision::target::{Cmp, Measure, Metric, Quant, Stat};
use crate::param::{Extension, Param};
use crate::scenario::Scenario;

/// How a key's values are shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Unit {
    /// A fraction shown in percent.
    Pct,
    /// Yuan (per person and year where the key says so).
    Yuan,
    /// Yuan shown in 亿元 (billion yuan in English).
    Money,
    /// Persons shown in 万人 (thousands in English).
    Persons,
    /// Years of age.
    Age,
    /// A plain number.
    Plain,
}

const PARAMS: &[(&str, &str, &str, Unit)] = &[
    (
        "employee.employer_rate",
        "单位缴费率",
        "Employer contribution rate",
        Unit::Pct,
    ),
    (
        "employee.employee_rate",
        "个人缴费率",
        "Employee contribution rate",
        Unit::Pct,
    ),
    (
        "employee.employer_to_pool",
        "单位缴费划入统筹比例",
        "Employer share to the pool",
        Unit::Pct,
    ),
    (
        "employee.employee_to_pool",
        "个人缴费划入统筹比例",
        "Employee share to the pool",
        Unit::Pct,
    ),
    (
        "employee.contribution_base",
        "职工缴费基数",
        "Contribution base",
        Unit::Yuan,
    ),
    (
        "employee.collection",
        "职工医保征缴率",
        "Employee collection rate",
        Unit::Pct,
    ),
    (
        "employee.reimbursement",
        "职工住院报销比例",
        "Employee reimbursement rate",
        Unit::Pct,
    ),
    (
        "employee.pension",
        "平均养老金",
        "Average pension",
        Unit::Yuan,
    ),
    (
        "employee.account_rate",
        "退休人员个人账户划入比例",
        "Retiree account rate",
        Unit::Pct,
    ),
    (
        "employee.base_balance",
        "职工医保基年结余",
        "Employee fund base balance",
        Unit::Money,
    ),
    (
        "employee.base_spending",
        "职工医保基年支出",
        "Employee fund base spending",
        Unit::Money,
    ),
    (
        "employee.other_income",
        "职工医保其他收入比例",
        "Employee fund other income",
        Unit::Pct,
    ),
    (
        "resident.premium",
        "居民个人缴费",
        "Resident premium",
        Unit::Yuan,
    ),
    (
        "resident.subsidy",
        "居民财政补助",
        "Resident fiscal subsidy",
        Unit::Yuan,
    ),
    (
        "resident.collection",
        "居民医保征缴率",
        "Resident collection rate",
        Unit::Pct,
    ),
    (
        "resident.reimbursement",
        "居民住院报销比例",
        "Resident reimbursement rate",
        Unit::Pct,
    ),
    (
        "resident.critical_illness_premium",
        "大病保险筹资",
        "Critical-illness premium",
        Unit::Yuan,
    ),
    (
        "resident.base_balance",
        "居民医保基年结余",
        "Resident fund base balance",
        Unit::Money,
    ),
    (
        "resident.base_spending",
        "居民医保基年支出",
        "Resident fund base spending",
        Unit::Money,
    ),
    (
        "resident.other_income",
        "居民医保其他收入比例",
        "Resident fund other income",
        Unit::Pct,
    ),
    ("membership.coverage", "参保率", "Coverage", Unit::Pct),
    (
        "membership.employee_scale",
        "职工参保规模系数",
        "Employee participation scale",
        Unit::Plain,
    ),
    (
        "membership.retirement_age_male",
        "男性退休年龄",
        "Male retirement age",
        Unit::Age,
    ),
    (
        "membership.retirement_age_female",
        "女性退休年龄",
        "Female retirement age",
        Unit::Age,
    ),
    (
        "drivers.wage_growth.mean",
        "工资增长率",
        "Wage growth",
        Unit::Pct,
    ),
    (
        "drivers.medical_growth.mean",
        "医疗费用增长率",
        "Medical cost growth",
        Unit::Pct,
    ),
    (
        "drivers.interest.mean",
        "基金利率",
        "Interest rate",
        Unit::Pct,
    ),
    (
        "drivers.fertility.mean",
        "总和生育率",
        "Total fertility rate",
        Unit::Plain,
    ),
    (
        "drivers.mortality.drift",
        "死亡率改善速度",
        "Mortality improvement drift",
        Unit::Plain,
    ),
    (
        "drivers.migration.level",
        "净迁入人口",
        "Net migration",
        Unit::Persons,
    ),
    (
        "population.sex_ratio_at_birth",
        "出生性别比",
        "Sex ratio at birth",
        Unit::Plain,
    ),
];

fn find(key: &str) -> Option<&'static (&'static str, &'static str, &'static str, Unit)> {
    PARAMS.iter().find(|p| p.0 == key)
}

/// Display name of a scenario key (the key itself when unknown).
pub(crate) fn param_name(key: &str, lang: Lang) -> String {
    match (find(key), lang) {
        (Some(p), Lang::Zh) => p.1.to_string(),
        (Some(p), Lang::En) => p.2.to_string(),
        (None, _) => key.to_string(),
    }
}

/// The unit of a key.
pub(crate) fn param_unit(key: &str) -> Unit {
    find(key).map_or(Unit::Plain, |p| p.3)
}

/// Factor from the scenario's value to the displayed number.
pub(crate) fn unit_scale(u: Unit, lang: Lang) -> f64 {
    match (u, lang) {
        (Unit::Pct, _) => 100.0,
        (Unit::Money, Lang::Zh) => 1e-8,
        (Unit::Money, Lang::En) => 1e-9,
        (Unit::Persons, Lang::Zh) => 1e-4,
        (Unit::Persons, Lang::En) => 1e-3,
        _ => 1.0,
    }
}

fn unit_text(u: Unit, lang: Lang) -> &'static str {
    match (u, lang) {
        (Unit::Pct, _) => "%",
        (Unit::Yuan, Lang::Zh) => "元",
        (Unit::Yuan, Lang::En) => "yuan",
        (Unit::Money, Lang::Zh) => "亿元",
        (Unit::Money, Lang::En) => "bn yuan",
        (Unit::Persons, Lang::Zh) => "万人",
        (Unit::Persons, Lang::En) => "thousand",
        (Unit::Age, Lang::Zh) => "岁",
        (Unit::Age, Lang::En) => "years",
        (Unit::Plain, _) => "",
    }
}

/// Axis title of a key, e.g. `单位缴费率（%）` / `Employer contribution rate (%)`.
pub(crate) fn param_title(key: &str, lang: Lang) -> String {
    let u = unit_text(param_unit(key), lang);
    let name = param_name(key, lang);
    match (u.is_empty(), lang) {
        (true, _) => name,
        (false, Lang::Zh) => format!("{name}（{u}）"),
        (false, Lang::En) => format!("{name} ({u})"),
    }
}

/// Decimals that show `v` (already scaled) without noise, at most 3.
pub(crate) fn decimals_of(v: f64) -> usize {
    (0..=3)
        .find(|&d| ((v * 10f64.powi(d as i32)).round() / 10f64.powi(d as i32) - v).abs() < 1e-9)
        .unwrap_or(3)
}

/// A key's value with its unit, e.g. `7.5%`, `923 元`.
pub(crate) fn param_value(key: &str, v: f64, lang: Lang) -> String {
    let u = param_unit(key);
    let x = v * unit_scale(u, lang);
    let n = num(x, decimals_of(x));
    match u {
        Unit::Pct => format!("{n}%"),
        Unit::Plain => n,
        _ => format!("{n} {}", unit_text(u, lang)),
    }
}

/// The tornado step of a driver: percentage points for rates (`±1 个百分点`), percent for
/// relative steps.
pub(crate) fn step_text(d: &Driver, lang: Lang) -> String {
    match d.shift {
        Shift::Rel(r) => format!("±{}%", num(r * 100.0, decimals_of(r * 100.0))),
        Shift::Abs(a) if param_unit(d.key) == Unit::Pct => {
            let p = num(a * 100.0, decimals_of(a * 100.0));
            match lang {
                Lang::Zh => format!("±{p} 个百分点"),
                Lang::En => format!("±{p} pp"),
            }
        }
        Shift::Abs(a) => format!("±{}", num(a, decimals_of(a))),
    }
}

fn fund_short(f: usize, lang: Lang) -> &'static str {
    match (FUNDS.get(f).copied().unwrap_or("combined"), lang) {
        ("employee", Lang::Zh) => "职工医保统筹基金",
        ("resident", Lang::Zh) => "城乡居民医保基金",
        (_, Lang::Zh) => "两项基金合计",
        ("employee", Lang::En) => "employee fund",
        ("resident", Lang::En) => "resident fund",
        (_, Lang::En) => "both funds combined",
    }
}

fn cmp_text(c: Cmp) -> &'static str {
    match c {
        Cmp::Ge => "≥",
        Cmp::Gt => ">",
        Cmp::Le => "≤",
        Cmp::Lt => "<",
    }
}

fn metric_cond(m: Metric, cond: Option<(Cmp, f64)>, lang: Lang) -> String {
    let c = |unit_zh: &str, unit_en: &str, scale: f64| match cond {
        Some((c, v)) => {
            let x = v * scale;
            let n = num(x, decimals_of(x));
            match lang {
                Lang::Zh => format!(" {} {n}{unit_zh}", cmp_text(c)),
                Lang::En => format!(" {} {n}{unit_en}", cmp_text(c)),
            }
        }
        None => String::new(),
    };
    match (m, lang) {
        (Metric::Months, Lang::Zh) => format!("可支付月数{}", c(" 个月", "", 1.0)),
        (Metric::Months, Lang::En) => format!("months of reserve{}", c("", "", 1.0)),
        (Metric::Balance, Lang::Zh) => format!("累计结余{}", c(" 亿元", "", 1.0)),
        (Metric::Balance, Lang::En) => format!("balance{}", c("", " bn yuan", 0.1)),
        (Metric::Growth, Lang::Zh) => format!("支出增长率{}", c("%", "", 100.0)),
        (Metric::Growth, Lang::En) => format!("spending growth{}", c("", "%", 100.0)),
        (Metric::Deficit, Lang::Zh) => "当期收不抵支".to_string(),
        (Metric::Deficit, Lang::En) => "a current-year deficit".to_string(),
        (Metric::Depleted, Lang::Zh) => "累计结余穿底".to_string(),
        (Metric::Depleted, Lang::En) => "the balance exhausted".to_string(),
    }
}

/// A measure in words, e.g. `职工医保统筹基金 2021–2030 年每年可支付月数 ≥ 6 个月的概率`.
pub(crate) fn measure_text(m: &Measure, lang: Lang) -> String {
    match m {
        Measure::Prob(e) => {
            let years = match (lang, e.quant, e.years) {
                (Lang::Zh, Quant::Every, None) => "预测期内每年".to_string(),
                (Lang::Zh, Quant::Any, None) => "预测期内至少一年".to_string(),
                (Lang::Zh, _, Some((i32::MIN, y))) => format!("至 {y} 年"),
                (Lang::Zh, _, Some((a, b))) if a == b => format!(" {a} 年"),
                (Lang::Zh, Quant::Every, Some((a, b))) => format!(" {a}–{b} 年每年"),
                (Lang::Zh, Quant::Any, Some((a, b))) => format!(" {a}–{b} 年至少一年"),
                (Lang::En, Quant::Every, None) => "in every projected year".to_string(),
                (Lang::En, Quant::Any, None) => "in some projected year".to_string(),
                (Lang::En, _, Some((i32::MIN, y))) => format!("by {y}"),
                (Lang::En, _, Some((a, b))) if a == b => format!("in {a}"),
                (Lang::En, Quant::Every, Some((a, b))) => format!("in every year {a}–{b}"),
                (Lang::En, Quant::Any, Some((a, b))) => format!("in some year {a}–{b}"),
            };
            let what = metric_cond(e.metric, e.cond, lang);
            match lang {
                Lang::Zh => format!("{}{years}{what}的概率", fund_short(e.fund, lang)),
                Lang::En => format!(
                    "probability of {what} {years} ({})",
                    fund_short(e.fund, lang)
                ),
            }
        }
        Measure::Stat {
            stat,
            metric,
            fund,
            year,
        } => {
            let s = match (stat, lang) {
                (Stat::Mean, Lang::Zh) => "均值".to_string(),
                (Stat::Mean, Lang::En) => "mean".to_string(),
                (Stat::Quantile(q), Lang::Zh) if *q == 0.5 => "中位数".to_string(),
                (Stat::Quantile(q), Lang::En) if *q == 0.5 => "median".to_string(),
                (Stat::Quantile(q), Lang::Zh) => format!("{}% 分位数", num(q * 100.0, 0)),
                (Stat::Quantile(q), Lang::En) => format!("{}% quantile", num(q * 100.0, 0)),
            };
            let what = metric_cond(*metric, None, lang);
            match lang {
                Lang::Zh => format!("{} {year} 年{what}{s}", fund_short(*fund, lang)),
                Lang::En => format!("{s} {what} in {year} ({})", fund_short(*fund, lang)),
            }
        }
    }
}

/// Whether a measure is a probability (shown 0–100%).
pub(crate) fn is_probability(m: &Measure) -> bool {
    match m {
        Measure::Prob(_) => true,
        Measure::Stat { stat, metric, .. } => *stat == Stat::Mean && metric.is_flag(),
    }
}

/// The axis title of a measure and the factor from its value to the displayed number.
pub(crate) fn measure_axis(m: &Measure, lang: Lang) -> (String, f64) {
    if is_probability(m) {
        return (
            match lang {
                Lang::Zh => "概率（%）".into(),
                Lang::En => "Probability (%)".into(),
            },
            100.0,
        );
    }
    let Measure::Stat { metric, .. } = m else {
        unreachable!("probabilities handled above")
    };
    match (metric, lang) {
        (Metric::Months, Lang::Zh) => ("可支付月数（个月）".into(), 1.0),
        (Metric::Months, Lang::En) => ("Months of reserve".into(), 1.0),
        (Metric::Balance, Lang::Zh) => ("累计结余（亿元）".into(), 1.0),
        (Metric::Balance, Lang::En) => ("Balance (billion yuan)".into(), 0.1),
        (Metric::Growth, Lang::Zh) => ("支出增长率（%）".into(), 100.0),
        (Metric::Growth, Lang::En) => ("Spending growth (%)".into(), 100.0),
        (_, _) => ("".into(), 1.0),
    }
}

/// A target's comparison in words, e.g. `≥ 90%`.
pub(crate) fn threshold_text(m: &Measure, c: Cmp, v: f64, lang: Lang) -> String {
    let (_, scale) = measure_axis(m, lang);
    let x = v * scale;
    let unit = if scale == 100.0 { "%" } else { "" };
    format!("{} {}{unit}", cmp_text(c), num(x, decimals_of(x)))
}

fn after_text(e: Extension, lang: Lang) -> String {
    match (e, lang) {
        (Extension::Flat, Lang::Zh) => "此后不变".into(),
        (Extension::Flat, Lang::En) => "flat after".into(),
        (Extension::Wage, Lang::Zh) => "此后随工资增长".into(),
        (Extension::Wage, Lang::En) => "then with wages".into(),
        (Extension::Cost, Lang::Zh) => "此后随医疗费用增长".into(),
        (Extension::Cost, Lang::En) => "then with medical costs".into(),
        (Extension::Growth(g), Lang::Zh) => {
            format!("此后每年 +{}%", num(g * 100.0, decimals_of(g * 100.0)))
        }
        (Extension::Growth(g), Lang::En) => {
            format!("then +{}% a year", num(g * 100.0, decimals_of(g * 100.0)))
        }
    }
}

/// The keys whose parameters differ between `reference` and any of `others`.
pub(crate) fn differing_keys(reference: &Scenario, others: &[&Scenario]) -> Vec<String> {
    let base = crate::report::params(reference);
    let mut keys = Vec::new();
    for o in others {
        for ((k, p), (_, q)) in base.iter().zip(crate::report::params(o)) {
            if !same(p, q) && !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    keys
}

fn same(a: &Param, b: &Param) -> bool {
    a.points == b.points && a.after == b.after
}

/// What a scenario sets for `key`, shortly: the constant, or the value in the last year
/// (`horizon`) with its extension rule when that is what differs.
pub(crate) fn setting(
    s: &Scenario,
    key: &str,
    horizon: i32,
    differs_in_after: bool,
    lang: Lang,
) -> String {
    let params = crate::report::params(s);
    let Some((_, p)) = params.iter().find(|(k, _)| k == key) else {
        return String::new();
    };
    let name = param_name(key, lang);
    match p.points.as_slice() {
        [(None, v)] => format!("{name} {}", param_value(key, *v, lang)),
        _ if differs_in_after => format!(
            "{name}{}{}",
            if lang == Lang::Zh { "" } else { " " },
            after_text(p.after, lang)
        ),
        _ => match lang {
            Lang::Zh => format!(
                "{name} {horizon} 年 {}",
                param_value(key, p.value_at(horizon), lang)
            ),
            Lang::En => format!(
                "{name} {} in {horizon}",
                param_value(key, p.value_at(horizon), lang)
            ),
        },
    }
}

/// How the options are named: one name each, and when they differ in one constant key
/// only, that key's name and each option's value (for titles such as "单位缴费率为 8%、7.5%
/// 时分别为 …").
pub(crate) struct OptionNames {
    pub names: Vec<String>,
    pub single: Option<(String, Vec<String>)>,
}

/// Names of options from what they set for the keys that differ between them (the file
/// stems where nothing differs, or where the name would be too long for a title).
pub(crate) fn option_names(options: &[(&str, &Scenario)], horizon: i32, lang: Lang) -> OptionNames {
    let stems = || OptionNames {
        names: options.iter().map(|o| o.0.to_string()).collect(),
        single: None,
    };
    let Some((_, reference)) = options.first() else {
        return stems();
    };
    let others: Vec<&Scenario> = options[1..].iter().map(|o| o.1).collect();
    let keys = differing_keys(reference, &others);
    if keys.is_empty() || keys.len() > 2 {
        return stems();
    }
    let constants: Option<Vec<String>> = options
        .iter()
        .map(|(_, s)| {
            crate::report::params(s)
                .into_iter()
                .find(|(k, _)| *k == keys[0])
                .and_then(|(_, p)| match p.points.as_slice() {
                    [(None, v)] => Some(param_value(&keys[0], *v, lang)),
                    _ => None,
                })
        })
        .collect();
    let single = match (keys.len(), constants) {
        (1, Some(values)) => Some((param_name(&keys[0], lang), values)),
        _ => None,
    };
    let after_differs = |k: &String| {
        let all: Vec<(&Scenario, Param)> = options
            .iter()
            .filter_map(|o| {
                crate::report::params(o.1)
                    .into_iter()
                    .find(|(kk, _)| kk == k)
                    .map(|(_, p)| (o.1, p.clone()))
            })
            .collect();
        all.windows(2).any(|w| w[0].1.after != w[1].1.after)
            && all.windows(2).all(|w| w[0].1.points == w[1].1.points)
    };
    let names = options
        .iter()
        .map(|(stem, s)| {
            let parts: Vec<String> = keys
                .iter()
                .map(|k| setting(s, k, horizon, after_differs(k), lang))
                .collect();
            let name = parts.join(if lang == Lang::Zh { "，" } else { ", " });
            if name.chars().count() > 40 {
                stem.to_string()
            } else {
                name
            }
        })
        .collect();
    OptionNames { names, single }
}
