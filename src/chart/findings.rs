//! What a run's charts say in words: the key facts of a fund computed once from its rows
//! (crossings, probabilities at milestone years, the plan's binding indicator), the titles
//! that state them, the subtitles that say what is drawn, the caveats, and the dashboard's
//! key figures. Crossings count from base year + 1: the base year is given, not projected.

use super::data::{Fan, Pts, at, crossing_below};
use super::style::{fund_label, months_text, num, pct, tier_label};
use super::{ChartKind, Ctx, Lang};
use crate::warning::Tier;

/// The key facts of one fund's rows (MODEL.md §7–§8, §10).
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    /// First and last year.
    pub years: (i32, i32),
    /// Monte Carlo rows present (else the deterministic path alone).
    pub mc: bool,
    /// Months of reserve in the base year.
    pub base_months: Option<f64>,
    /// Central months (median, or the path) in the last year, and the 5–95% range.
    pub end_months: Option<f64>,
    pub end_band: Option<(f64, f64)>,
    /// Lowest central months after the base year.
    pub min_months: Option<f64>,
    /// First year the central months fall below 0 (the balance is exhausted).
    pub zero_cross: Option<i32>,
    /// First year the central months fall below the reasonable range's lower line.
    pub low_cross: Option<i32>,
    /// The central months are below that line from the base year on and never reach it.
    pub low_throughout: bool,
    /// Milestone year for probabilities in titles, and P(months < lower line) then.
    pub milestone: i32,
    pub p_low_at_milestone: Option<f64>,
    /// First year (from base + 1) the warning level is below reasonable, and the level in
    /// the last year.
    pub level_below: Option<i32>,
    pub level_end: Option<Tier>,
    /// P(depleted by the last year) (or 0/1 on the path), and the years it first reaches
    /// 10% and 50%.
    pub depleted_end: Option<f64>,
    pub depleted_10: Option<i32>,
    pub depleted_50: Option<i32>,
    /// Central balance in the last year and its 5–95% range, yuan.
    pub balance_end: Option<f64>,
    pub balance_band: Option<(f64, f64)>,
    /// P(current-year deficit) in the last year (or 0/1).
    pub deficit_end: Option<f64>,
    /// First year the central spending exceeds the central income.
    pub spend_over: Option<i32>,
    /// Spending growth: central range over the years, P(growth ≥ line) (or 0/1) at the
    /// plan's end year, and the highest yearly probability with its year.
    pub growth_range: Option<(f64, f64)>,
    pub growth_at_plan: Option<(i32, f64, f64)>,
    pub breach_max: Option<(i32, f64)>,
}

fn first_at_or_above(s: &Pts, p: f64) -> Option<i32> {
    s.iter().find(|q| q.1 >= p).map(|q| q.0 as i32)
}

/// Compute the facts of the fund in `ctx` (facts field not yet set).
pub(crate) fn facts(ctx: &Ctx) -> Facts {
    let fd = ctx.fd;
    let ys = fd.years();
    let (Some(&y0), Some(&y1)) = (ys.first(), ys.last()) else {
        return Facts::default();
    };
    let fan = Fan::of(fd, "months_reserve", 1.0);
    let mc = fan.is_mc();
    let central = fan.central().clone();
    let l = ctx.meta.tiers.lines;
    let pstat = if mc { "mean" } else { "value" };
    let after: Vec<f64> = central
        .iter()
        .filter(|p| p.0 as i32 > y0)
        .map(|p| p.1)
        .collect();
    let low_cross = crossing_below(&central, l[1], y0 + 1);
    let low_throughout = central.first().is_some_and(|p| p.1 < l[1])
        && low_cross.is_none()
        && after.iter().all(|v| *v < l[1]);
    let milestone = match ctx.info.plan_end {
        Some(p) if p + 5 <= y1 => p + 5,
        Some(_) => y1,
        None => (y0 + 10).min(y1),
    };
    let p_low = fd.prob_below(l, l[1]);
    let level_stat = if mc {
        crate::summary::level_stat(ctx.meta.warning_quantile, 2)
    } else {
        "value".to_string()
    };
    let levels: Vec<(i32, Tier)> = fd
        .series("warning_level", &level_stat, 1.0)
        .iter()
        .filter_map(|(y, v)| Tier::from_index(v.round() as usize).map(|t| (*y as i32, t)))
        .collect();
    let depleted = fd.series("depleted_by", pstat, 1.0);
    let income = fd.series("income", if mc { "p50" } else { "value" }, 1.0);
    let spending = fd.series("spending", if mc { "p50" } else { "value" }, 1.0);
    let growth = Fan::of(fd, "spending_growth", 1.0);
    let breach = fd.series("growth_breach_prob", pstat, 1.0);
    let growth_at_plan = ctx.info.growth_target.and_then(|g| {
        let y = g.year;
        let g_central = at(growth.central(), y)?;
        let p = if mc {
            at(&breach, y)?
        } else {
            f64::from(u8::from(g_central >= ctx.meta.growth_line))
        };
        Some((y, p, g_central))
    });
    Facts {
        years: (y0, y1),
        mc,
        base_months: central.first().map(|p| p.1),
        end_months: at(&central, y1),
        end_band: fd
            .value("months_reserve", "p05", y1)
            .zip(fd.value("months_reserve", "p95", y1)),
        min_months: after.iter().copied().reduce(f64::min),
        zero_cross: crossing_below(&central, 0.0, y0 + 1),
        low_cross,
        low_throughout,
        milestone,
        p_low_at_milestone: at(&p_low, milestone),
        level_below: levels
            .iter()
            .find(|(y, t)| *y > y0 && t.index() < Tier::Reasonable.index())
            .map(|p| p.0),
        level_end: levels.iter().find(|(y, _)| *y == y1).map(|p| p.1),
        depleted_end: at(&depleted, y1),
        depleted_10: first_at_or_above(&depleted, 0.10),
        depleted_50: first_at_or_above(&depleted, 0.50),
        balance_end: fd.value("balance", if mc { "p50" } else { "value" }, y1),
        balance_band: fd
            .value("balance", "p05", y1)
            .zip(fd.value("balance", "p95", y1)),
        deficit_end: fd.value("deficit", pstat, y1),
        spend_over: spending
            .iter()
            .filter(|p| p.0 as i32 > y0)
            .find(|p| at(&income, p.0 as i32).is_some_and(|i| p.1 > i))
            .map(|p| p.0 as i32),
        growth_range: super::data::extent(growth.central().iter().map(|p| p.1)),
        growth_at_plan,
        breach_max: breach.iter().filter(|p| mc && p.1 > 0.0).fold(
            None,
            |a: Option<(i32, f64)>, p| match a {
                Some(q) if q.1 >= p.1 => Some(q),
                _ => Some((p.0 as i32, p.1)),
            },
        ),
    }
}

/// `浙江省职工医保统筹基金：` / `Zhejiang, employee pooled fund: `.
fn prefix(ctx: &Ctx) -> String {
    let fund = fund_label(ctx.fund, ctx.lang);
    match (ctx.lang, ctx.region.is_empty()) {
        (Lang::Zh, true) => format!("{fund}："),
        (Lang::Zh, false) => format!("{}{fund}：", ctx.region),
        (Lang::En, true) => format!("{fund}: "),
        (Lang::En, false) => format!("{}, {}: ", ctx.region, lower_first(&fund)),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The title of a chart: the fund and its finding.
pub(crate) fn title(ctx: &Ctx, kind: ChartKind) -> String {
    let f = &ctx.facts;
    let finding = match kind {
        ChartKind::Months | ChartKind::Dashboard => months_finding(ctx),
        ChartKind::Tiers => tiers_finding(ctx),
        ChartKind::Growth => growth_finding(ctx),
        ChartKind::Cashflow => cashflow_finding(ctx),
        ChartKind::Balance => balance_finding(ctx),
        ChartKind::Depletion => depletion_finding(ctx),
    };
    let _ = f;
    format!("{}{finding}", prefix(ctx))
}

fn months_finding(ctx: &Ctx) -> String {
    let f = &ctx.facts;
    let (lang, l) = (ctx.lang, ctx.meta.tiers.lines);
    let who = match (lang, f.mc) {
        (Lang::Zh, true) => "中位路径",
        (Lang::Zh, false) => "确定性中心路径",
        (Lang::En, true) => "the median path",
        (Lang::En, false) => "the central path",
    };
    let p_low = match (f.mc, f.p_low_at_milestone) {
        (true, Some(p)) if p >= 0.01 => Some(match lang {
            Lang::Zh => format!(
                "{} 年低于 {} 个月的概率 {}",
                f.milestone,
                num(l[1], 0),
                pct(p)
            ),
            Lang::En => format!(
                "P(below {} months in {}) = {}",
                num(l[1], 0),
                f.milestone,
                pct(p)
            ),
        }),
        _ => None,
    };
    let first = if let Some(y) = f.zero_cross {
        match lang {
            Lang::Zh => format!("{who}约 {y} 年穿底"),
            Lang::En => format!("{who} is exhausted in about {y}"),
        }
    } else if let Some(y) = f.low_cross {
        match lang {
            Lang::Zh => format!("{who} {y} 年降至 {} 个月以下", num(l[1], 0)),
            Lang::En => format!("{who} falls below {} months in {y}", num(l[1], 0)),
        }
    } else if f.min_months.is_some_and(|m| m > l[3]) {
        match lang {
            Lang::Zh => format!(
                "{who}始终高于 {} 个月（过多），{} 年约 {}",
                num(l[3], 0),
                f.years.1,
                months_text(f.end_months.unwrap_or(f64::NAN), 0, lang)
            ),
            Lang::En => format!(
                "{who} stays above {} months (excess), about {} in {}",
                num(l[3], 0),
                months_text(f.end_months.unwrap_or(f64::NAN), 0, lang),
                f.years.1
            ),
        }
    } else {
        let end = months_text(f.end_months.unwrap_or(f64::NAN), 1, lang);
        match lang {
            Lang::Zh => format!("{} 年{}可支付月数约 {end}", f.years.1, who),
            Lang::En => format!("about {end} of reserve in {} ({who})", f.years.1),
        }
    };
    match (p_low, lang) {
        (Some(p), Lang::Zh) => format!("{first}；{p}"),
        (Some(p), Lang::En) => format!("{first}; {p}"),
        (None, _) => first,
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn tiers_finding(ctx: &Ctx) -> String {
    let f = &ctx.facts;
    let lang = ctx.lang;
    let conf = num((1.0 - ctx.meta.warning_quantile) * 100.0, 0);
    let end = f.level_end.map(|t| tier_label(t, lang)).unwrap_or("—");
    match (lang, f.mc, f.level_below) {
        (Lang::Zh, true, Some(y)) => format!(
            "{conf}% 置信水平下的预警等级 {y} 年首次低于合理，{} 年为“{end}”",
            f.years.1
        ),
        (Lang::Zh, true, None) => format!(
            "{conf}% 置信水平下的预警等级始终不低于合理，{} 年为“{end}”",
            f.years.1
        ),
        (Lang::Zh, false, Some(y)) => {
            format!(
                "确定性中心路径 {y} 年首次低于合理区间，{} 年为“{end}”",
                f.years.1
            )
        }
        (Lang::Zh, false, None) => {
            format!(
                "确定性中心路径始终不低于合理区间，{} 年为“{end}”",
                f.years.1
            )
        }
        (Lang::En, true, Some(y)) => format!(
            "warning level at {conf}% confidence first below reasonable in {y}; “{end}” in {}",
            f.years.1
        ),
        (Lang::En, true, None) => format!(
            "warning level at {conf}% confidence never below reasonable; “{end}” in {}",
            f.years.1
        ),
        (Lang::En, false, Some(y)) => format!(
            "the central path is first below the reasonable range in {y}; “{end}” in {}",
            f.years.1
        ),
        (Lang::En, false, None) => format!(
            "the central path never falls below the reasonable range; “{end}” in {}",
            f.years.1
        ),
    }
}

fn growth_finding(ctx: &Ctx) -> String {
    let f = &ctx.facts;
    let lang = ctx.lang;
    let line = num(ctx.meta.growth_line * 100.0, 0);
    if let Some((y, p, g)) = f.growth_at_plan {
        let g_txt = format!("{}%", num(g * 100.0, 1));
        return match (lang, f.mc) {
            (Lang::Zh, true) => {
                let risk = if p >= 0.5 {
                    "约束性指标大概率突破"
                } else if p >= 0.1 {
                    "约束性指标存在突破风险"
                } else {
                    "约束性指标大概率达成"
                };
                format!(
                    "{y} 年（规划期末）支出增长率超过 {line}% 的概率 {}，{risk}",
                    pct(p)
                )
            }
            (Lang::Zh, false) => format!(
                "{y} 年（规划期末）支出增长率 {g_txt}，{}约束性指标（<{line}%）",
                if p > 0.5 { "不满足" } else { "满足" }
            ),
            (Lang::En, true) => {
                let risk = if p >= 0.5 {
                    "the binding target is likely missed"
                } else if p >= 0.1 {
                    "the binding target is at risk"
                } else {
                    "the binding target is likely met"
                };
                format!(
                    "P(growth above {line}% in {y}, the plan's last year) = {}; {risk}",
                    pct(p)
                )
            }
            (Lang::En, false) => format!(
                "growth {g_txt} in {y}, the plan's last year: {} the binding indicator (below {line}%)",
                if p > 0.5 { "misses" } else { "meets" }
            ),
        };
    }
    let range = f
        .growth_range
        .map(|(a, b)| match lang {
            Lang::Zh => format!("{}%–{}%", num(a * 100.0, 1), num(b * 100.0, 1)),
            Lang::En => format!("{}% and {}%", num(a * 100.0, 1), num(b * 100.0, 1)),
        })
        .unwrap_or_else(|| "—".into());
    match (lang, f.breach_max) {
        (Lang::Zh, Some((y, p))) => format!(
            "支出增长率{}在 {range} 之间；超过 {line}% 的概率最高为 {}（{y} 年）",
            if f.mc { "中位数" } else { "" },
            pct(p)
        ),
        (Lang::Zh, None) => format!("支出增长率在 {range} 之间"),
        (Lang::En, Some((y, p))) => format!(
            "{}growth between {range}; P(above {line}%) peaks at {} in {y}",
            if f.mc { "median " } else { "" },
            pct(p)
        ),
        (Lang::En, None) => format!("spending growth between {range}"),
    }
}

fn cashflow_finding(ctx: &Ctx) -> String {
    let f = &ctx.facts;
    let lang = ctx.lang;
    let y1 = f.years.1;
    let first = match (lang, f.mc, f.spend_over) {
        (Lang::Zh, true, Some(y)) => format!("支出中位数 {y} 年起超过收入"),
        (Lang::Zh, false, Some(y)) => format!("确定性中心路径 {y} 年起当期收不抵支"),
        (Lang::Zh, true, None) => "收入中位数始终高于支出".to_string(),
        (Lang::Zh, false, None) => "收入始终高于支出".to_string(),
        (Lang::En, true, Some(y)) => format!("median spending exceeds income from {y}"),
        (Lang::En, false, Some(y)) => format!("the central path is in deficit from {y}"),
        (Lang::En, true, None) => "median income stays above spending".to_string(),
        (Lang::En, false, None) => "income stays above spending".to_string(),
    };
    match (lang, f.mc, f.deficit_end) {
        (Lang::Zh, true, Some(p)) => format!("{first}；{y1} 年当期收不抵支的概率 {}", pct(p)),
        (Lang::En, true, Some(p)) => format!("{first}; P(deficit in {y1}) = {}", pct(p)),
        _ => first,
    }
}

fn balance_finding(ctx: &Ctx) -> String {
    let f = &ctx.facts;
    let lang = ctx.lang;
    let (scale, unit) = super::style::money(lang);
    let y1 = f.years.1;
    let v = |x: f64| num(x * scale, 0);
    let end = f.balance_end.map(v).unwrap_or_else(|| "—".into());
    let band = f.balance_band.map(|(a, b)| match lang {
        Lang::Zh => format!("（5%–95%：{} 至 {}）", v(a), v(b)),
        Lang::En => format!(" (5–95%: {} to {})", v(a), v(b)),
    });
    let band = band.unwrap_or_default();
    match (lang, f.mc, f.zero_cross) {
        (Lang::Zh, true, Some(y)) => {
            format!("累计结余中位路径约 {y} 年转负，{y1} 年为 {end} {unit}{band}")
        }
        (Lang::Zh, false, Some(y)) => {
            format!("确定性中心路径的累计结余 {y} 年转负，{y1} 年为 {end} {unit}")
        }
        (Lang::Zh, true, None) => format!("{y1} 年累计结余中位数约 {end} {unit}{band}"),
        (Lang::Zh, false, None) => format!("确定性中心路径 {y1} 年累计结余 {end} {unit}"),
        (Lang::En, true, Some(y)) => {
            format!("the median balance turns negative in about {y}: {end} {unit} in {y1}{band}")
        }
        (Lang::En, false, Some(y)) => {
            format!("the central path's balance turns negative in {y}: {end} {unit} in {y1}")
        }
        (Lang::En, true, None) => format!("median balance about {end} {unit} in {y1}{band}"),
        (Lang::En, false, None) => format!("central path's balance {end} {unit} in {y1}"),
    }
}

fn depletion_finding(ctx: &Ctx) -> String {
    let f = &ctx.facts;
    let lang = ctx.lang;
    let y1 = f.years.1;
    let end = f.depleted_end.map(pct).unwrap_or_else(|| "—".into());
    match (lang, f.depleted_10, f.depleted_50) {
        (Lang::Zh, Some(a), Some(b)) => {
            format!("累计结余穿底概率 {a} 年达到 10%，{b} 年达到 50%")
        }
        (Lang::Zh, Some(a), None) => {
            format!("累计结余穿底概率 {a} 年达到 10%，至 {y1} 年为 {end}")
        }
        (Lang::Zh, None, _) => format!("至 {y1} 年累计结余穿底的概率为 {end}，低于 10%"),
        (Lang::En, Some(a), Some(b)) => {
            format!("probability of exhausting the balance reaches 10% in {a} and 50% in {b}")
        }
        (Lang::En, Some(a), None) => {
            format!("probability of exhausting the balance reaches 10% in {a}, {end} by {y1}")
        }
        (Lang::En, None, _) => {
            format!("probability of exhausting the balance by {y1} is {end}, below 10%")
        }
    }
}

/// What a chart draws (the subtitle).
pub(crate) fn subtitle(ctx: &Ctx, kind: ChartKind) -> String {
    let lang = ctx.lang;
    let f = &ctx.facts;
    let (y0, y1) = f.years;
    let conf = num((1.0 - ctx.meta.warning_quantile) * 100.0, 0);
    let line = num(ctx.meta.growth_line * 100.0, 0);
    let run = match (lang, f.mc, ctx.meta.paths) {
        (Lang::Zh, true, Some(n)) => format!("蒙特卡洛模拟 {n} 条路径"),
        (Lang::Zh, true, None) => "蒙特卡洛模拟".to_string(),
        (Lang::Zh, false, _) => "仅确定性中心路径（无随机模拟）".to_string(),
        (Lang::En, true, Some(n)) => format!("Monte Carlo, {n} paths"),
        (Lang::En, true, None) => "Monte Carlo".to_string(),
        (Lang::En, false, _) => "deterministic central path only (no simulation)".to_string(),
    };
    let span = match lang {
        Lang::Zh => format!("基年 {y0} 年，预测至 {y1} 年"),
        Lang::En => format!("base year {y0}, projected to {y1}"),
    };
    let what = match (lang, kind, f.mc) {
        (Lang::Zh, ChartKind::Months, true) => {
            "累计结余可支付月数：中位数，深浅阴影为 25%–75%、5%–95% 分位区间，右侧色标为预警档位".into()
        }
        (Lang::Zh, ChartKind::Months, false) => {
            "累计结余可支付月数，右侧色标为预警档位".to_string()
        }
        (Lang::Zh, ChartKind::Tiers, true) => format!(
            "各预警档位的概率（逐年堆叠）；上方色条为 {conf}% 置信水平下的预警等级"
        ),
        (Lang::Zh, ChartKind::Tiers, false) => "每年所处的预警档位".to_string(),
        (Lang::Zh, ChartKind::Growth, true) => format!(
            "基金支出增长率（中位数与分位区间）；下图为增长率超过 {line}% 的概率，误差线为 95% 置信区间"
        ),
        (Lang::Zh, ChartKind::Growth, false) => {
            format!("基金支出增长率；下方标出增长率是否超过 {line}%")
        }
        (Lang::Zh, ChartKind::Cashflow, true) => {
            "基金收入（征缴、其他收入与利息）与支出：中位数，阴影为 5%–95% 区间；下图为当期收不抵支的概率".to_string()
        }
        (Lang::Zh, ChartKind::Cashflow, false) => {
            "基金收入（征缴、其他收入与利息）与支出；下方标出当期是否收不抵支".to_string()
        }
        (Lang::Zh, ChartKind::Balance, true) => {
            "累计结余：中位数，深浅阴影为 25%–75%、5%–95% 分位区间".to_string()
        }
        (Lang::Zh, ChartKind::Balance, false) => "累计结余".to_string(),
        (Lang::Zh, ChartKind::Depletion, _) => {
            "截至各年累计结余至少一次低于 0 的概率，阴影为 95% 置信区间".to_string()
        }
        (Lang::Zh, ChartKind::Dashboard, _) => "可支付月数、预警档位、收支与支出增长".to_string(),
        (Lang::En, ChartKind::Months, true) => {
            "months of reserve: median with 25–75% and 5–95% ranges (darker, lighter); tier scale at the right".into()
        }
        (Lang::En, ChartKind::Months, false) => {
            "months of reserve; tier scale at the right".to_string()
        }
        (Lang::En, ChartKind::Tiers, true) => format!(
            "probability of each tier (stacked); strip above: warning level at {conf}% confidence"
        ),
        (Lang::En, ChartKind::Tiers, false) => "the tier of each year".to_string(),
        (Lang::En, ChartKind::Growth, true) => format!(
            "spending growth (median and ranges); below: probability of growth above {line}%, whiskers 95% confidence"
        ),
        (Lang::En, ChartKind::Growth, false) => {
            format!("spending growth; below: whether growth is above {line}%")
        }
        (Lang::En, ChartKind::Cashflow, true) => {
            "fund income (contributions, other income, interest) and spending: medians, 5–95% shaded; below: probability of a current-year deficit".to_string()
        }
        (Lang::En, ChartKind::Cashflow, false) => {
            "fund income (contributions, other income, interest) and spending; below: whether the year is in deficit".to_string()
        }
        (Lang::En, ChartKind::Balance, true) => {
            "balance: median with 25–75% and 5–95% ranges (darker, lighter)".to_string()
        }
        (Lang::En, ChartKind::Balance, false) => "balance".to_string(),
        (Lang::En, ChartKind::Depletion, _) => {
            "probability that the balance has fallen below 0 by each year; shading: 95% confidence".to_string()
        }
        (Lang::En, ChartKind::Dashboard, _) => {
            "months of reserve, tiers, cash flow and spending growth".to_string()
        }
    };
    match lang {
        Lang::Zh => format!("{what}；{run}；{span}"),
        Lang::En => format!("{}; {run}; {span}", capital(&what)),
    }
}

/// Caveats under a chart.
pub(crate) fn notes(ctx: &Ctx, kind: ChartKind) -> Vec<String> {
    let lang = ctx.lang;
    let info = &ctx.info;
    let f = &ctx.facts;
    let mut v = Vec::new();
    let shows_base = matches!(
        kind,
        ChartKind::Months | ChartKind::Cashflow | ChartKind::Balance | ChartKind::Dashboard
    );
    if shows_base {
        let (published, zh, en, verb) = match kind {
            ChartKind::Cashflow => (info.spending_published, "支出", "spending", "is"),
            ChartKind::Balance => (info.balance_published, "结余", "balance", "is"),
            _ => (
                info.months_published(),
                "结余与支出",
                "balance and spending",
                "are",
            ),
        };
        v.push(match (lang, published) {
            (Lang::Zh, true) => format!("● 基年实际值：基年{zh}为公布数"),
            (Lang::Zh, false) => format!("○ 基年设定值（假设）：基年{zh}为情景假设，并非公布数"),
            (Lang::En, true) => format!("● Base-year actual: the base-year {en} {verb} published"),
            (Lang::En, false) => format!(
                "○ Base-year value assumed: the base-year {en} {verb} a scenario assumption, not published"
            ),
        });
    }
    let metrics: &[&str] = match kind {
        ChartKind::Cashflow | ChartKind::Dashboard => &["income", "spending"],
        ChartKind::Balance => &["balance"],
        _ => &[],
    };
    let has_obs = !super::flows::diamonds(ctx, metrics).is_empty();
    if has_obs {
        let mat = info.observed.iter().any(|o| o.maternity);
        v.push(match (lang, mat) {
            (Lang::Zh, true) => "◆ 公布数：规划文件所载基本医疗保险基金收入、支出、累计结余（含生育保险）".into(),
            (Lang::Zh, false) => "◆ 公布数：规划文件所载基本医疗保险基金收入、支出、累计结余".into(),
            (Lang::En, true) => "◆ Published: fund income, spending and balance stated in the plan (including maternity insurance)".into(),
            (Lang::En, false) => "◆ Published: fund income, spending and balance stated in the plan".into(),
        });
    }
    let negative = matches!(kind, ChartKind::Months | ChartKind::Dashboard)
        && ctx.months_min.is_some_and(|m| m < 0.0);
    if negative {
        v.push(tr_s(
            lang,
            "可支付月数为负值时，表示累计缺口折合月数（累计缺口 ÷ 当年月均支出）",
            "Negative months: the accumulated shortfall in months of that year's spending",
        ));
    }
    if kind == ChartKind::Tiers && f.mc {
        let conf = num((1.0 - ctx.meta.warning_quantile) * 100.0, 0);
        let q = num(ctx.meta.warning_quantile * 100.0, 0);
        v.push(match lang {
            Lang::Zh => format!(
                "{conf}% 置信水平下的预警等级：可支付月数的 {q}% 分位数所在档位（即有 {conf}% 的把握不低于该档位）"
            ),
            Lang::En => format!(
                "Warning level at {conf}% confidence: the tier of the {q}% quantile of months (the reserve is at least in this tier with {conf}% probability)"
            ),
        });
    }
    if let Some(g) = info.growth_target
        && matches!(kind, ChartKind::Growth | ChartKind::Dashboard)
    {
        v.push(match lang {
            Lang::Zh => format!(
                "规划约束性指标：基本医疗保险基金年支出增长率 <{}%（至 {} 年）",
                num(g.line * 100.0, 0),
                g.year
            ),
            Lang::En => format!(
                "Plan's binding indicator: fund spending growth below {}% a year (to {})",
                num(g.line * 100.0, 0),
                g.year
            ),
        });
    }
    if ctx.fund == "combined" {
        v.push(tr_s(
            lang,
            "两项基金分别核算、不得互相调剂：合计数仅反映总体规模，不表示一项基金的结余可弥补另一项的缺口",
            "The two funds are accounted separately and may not subsidise each other: the combined figures show the total only",
        ));
    }
    v
}

fn tr_s(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// The dashboard's key figures, one sentence each.
pub(crate) fn key_figures(ctx: &Ctx) -> Vec<String> {
    let f = &ctx.facts;
    let lang = ctx.lang;
    let l = ctx.meta.tiers.lines;
    let (y0, y1) = f.years;
    let mo = |v: Option<f64>| v.map(|v| months_text(v, 1, lang)).unwrap_or("—".into());
    let yes_no = |p: Option<f64>| match (lang, p) {
        (_, None) => "—".to_string(),
        (Lang::Zh, Some(p)) => if p > 0.5 { "是" } else { "否" }.to_string(),
        (Lang::En, Some(p)) => if p > 0.5 { "yes" } else { "no" }.to_string(),
    };
    let prob = |p: Option<f64>| p.map(pct).unwrap_or("—".into());
    let conf = num((1.0 - ctx.meta.warning_quantile) * 100.0, 0);
    let base_kind = match (lang, ctx.info.months_published()) {
        (Lang::Zh, true) => "公布数",
        (Lang::Zh, false) => "设定值，假设",
        (Lang::En, true) => "published",
        (Lang::En, false) => "assumed",
    };
    let mut v = Vec::new();
    match lang {
        Lang::Zh => {
            let which = if f.mc { "中位数" } else { "确定性路径" };
            v.push(format!(
                "基年（{y0}）可支付月数：{}（{base_kind}）",
                mo(f.base_months)
            ));
            let band = f
                .end_band
                .map(|(a, b)| format!("，5%–95%：{} 至 {}", num(a, 1), num(b, 1)))
                .unwrap_or_default();
            v.push(if f.mc {
                format!("{y1} 年可支付月数{which}：{}{band}", mo(f.end_months))
            } else {
                format!("{y1} 年可支付月数（{which}）：{}", mo(f.end_months))
            });
            let six = num(l[1], 0);
            v.push(match (f.low_cross, f.low_throughout) {
                (Some(y), _) => format!("{which}首次降至 {six} 个月以下：{y} 年"),
                (None, true) => format!("{which}：基年起一直低于 {six} 个月"),
                (None, false) => format!("{which}：预测期内未降至 {six} 个月以下"),
            });
            let lvl = if f.mc {
                format!("{conf}% 置信水平下")
            } else {
                "确定性路径".into()
            };
            v.push(match f.level_below {
                Some(y) => format!("预警等级首次低于合理（{lvl}）：{y} 年"),
                None => format!("预警等级（{lvl}）：预测期内未低于合理"),
            });
            v.push(format!(
                "{y1} 年预警等级：{}",
                f.level_end.map(|t| tier_label(t, lang)).unwrap_or("—")
            ));
            if f.mc {
                let cross = match (f.depleted_10, f.depleted_50) {
                    (Some(a), Some(b)) => format!("（{a} 年达 10%，{b} 年达 50%）"),
                    (Some(a), None) => format!("（{a} 年达 10%）"),
                    _ => String::new(),
                };
                v.push(format!(
                    "{y1} 年前累计结余穿底的概率：{}{cross}",
                    prob(f.depleted_end)
                ));
                v.push(format!(
                    "{y1} 年当期收不抵支的概率：{}",
                    prob(f.deficit_end)
                ));
            } else {
                let when = f
                    .zero_cross
                    .map(|y| format!("（{y} 年）"))
                    .unwrap_or_default();
                v.push(format!(
                    "{y1} 年前累计结余是否穿底：{}{when}",
                    yes_no(f.depleted_end)
                ));
                v.push(format!(
                    "{y1} 年是否当期收不抵支：{}",
                    yes_no(f.deficit_end)
                ));
            }
            if let Some((y, p, g)) = f.growth_at_plan {
                let line = num(ctx.meta.growth_line * 100.0, 0);
                v.push(if f.mc {
                    format!(
                        "{y} 年（规划期末）支出增长率超过 {line}% 的概率：{}",
                        pct(p)
                    )
                } else {
                    format!("{y} 年（规划期末）支出增长率：{}%", num(g * 100.0, 1))
                });
            } else if let Some((y, p)) = f.breach_max {
                v.push(format!(
                    "支出增长率超过 {}% 的最高年度概率：{}（{y} 年）",
                    num(ctx.meta.growth_line * 100.0, 0),
                    pct(p)
                ));
            }
        }
        Lang::En => {
            let which = if f.mc { "median" } else { "central path" };
            v.push(format!(
                "Months of reserve in base year {y0}: {} ({base_kind})",
                mo(f.base_months)
            ));
            let band = f
                .end_band
                .map(|(a, b)| format!("; 5–95%: {} to {}", num(a, 1), num(b, 1)))
                .unwrap_or_default();
            v.push(format!(
                "Months of reserve in {y1}, {which}: {}{band}",
                mo(f.end_months)
            ));
            let six = num(l[1], 0);
            v.push(match (f.low_cross, f.low_throughout) {
                (Some(y), _) => format!("The {which} first falls below {six} months in {y}"),
                (None, true) => format!("The {which} is below {six} months from the base year on"),
                (None, false) => format!("The {which} stays at {six} months or more"),
            });
            let lvl = if f.mc {
                format!("at {conf}% confidence")
            } else {
                "central path".into()
            };
            v.push(match f.level_below {
                Some(y) => format!("Warning level first below reasonable ({lvl}): {y}"),
                None => format!("Warning level ({lvl}) never below reasonable"),
            });
            v.push(format!(
                "Warning level in {y1}: {}",
                f.level_end.map(|t| tier_label(t, lang)).unwrap_or("—")
            ));
            if f.mc {
                let cross = match (f.depleted_10, f.depleted_50) {
                    (Some(a), Some(b)) => format!(" (10% in {a}, 50% in {b})"),
                    (Some(a), None) => format!(" (10% in {a})"),
                    _ => String::new(),
                };
                v.push(format!(
                    "P(balance exhausted by {y1}): {}{cross}",
                    prob(f.depleted_end)
                ));
                v.push(format!(
                    "P(current-year deficit in {y1}): {}",
                    prob(f.deficit_end)
                ));
            } else {
                let when = f.zero_cross.map(|y| format!(" ({y})")).unwrap_or_default();
                v.push(format!(
                    "Balance exhausted by {y1}: {}{when}",
                    yes_no(f.depleted_end)
                ));
                v.push(format!("Deficit in {y1}: {}", yes_no(f.deficit_end)));
            }
            if let Some((y, p, g)) = f.growth_at_plan {
                let line = num(ctx.meta.growth_line * 100.0, 0);
                v.push(if f.mc {
                    format!(
                        "P(spending growth above {line}% in {y}, plan end): {}",
                        pct(p)
                    )
                } else {
                    format!("Spending growth in {y} (plan end): {}%", num(g * 100.0, 1))
                });
            } else if let Some((y, p)) = f.breach_max {
                v.push(format!(
                    "Highest yearly P(growth above {}%): {} ({y})",
                    num(ctx.meta.growth_line * 100.0, 0),
                    pct(p)
                ));
            }
        }
    }
    v
}

/// `(central, P5, P95)` lowest months drawn, for the negative-months note.
pub(crate) fn months_min(fd: &super::data::FundData) -> Option<f64> {
    let fan = Fan::of(fd, "months_reserve", 1.0);
    super::data::extent(fan.values()).map(|e| e.0)
}
