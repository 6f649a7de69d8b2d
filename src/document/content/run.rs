//! The report of a run folder: findings, charts, per-fund tables, assumptions, method,
//! reproduction (issue 10).

use super::thousands;
use super::{
    Cols, Ctx, Summary, assumptions_table, first_year, fund, lines_sentence, months, num, pct,
    plan_years, quantile_stat, tier_cell, yi,
};
use crate::document::{Align, Cell};

const FUNDS: [&str; 3] = ["employee", "resident", "combined"];

pub(super) fn build(c: &mut Ctx) -> Result<(), String> {
    let s = Summary::read(&c.dir.join("summary.csv"))?;
    let m = c.manifest.clone();
    let sc = &m["resolved"]["scenario"];
    let region = if c.zh() {
        sc["region"]["name"].as_str()
    } else {
        sc["region"]["name_en"].as_str()
    }
    .unwrap_or_else(|| m["scenario"].as_str().unwrap_or(""))
    .to_string();
    let id = m["scenario"].as_str().unwrap_or("").to_string();
    let (base, horizon) = (s.base(), s.horizon());
    c.doc.title = if c.zh() {
        format!("{region}基本医疗保险基金可持续性精算预测报告")
    } else {
        format!("{region}: sustainability of the basic medical insurance funds")
    };
    c.doc.subtitle = vec![
        if c.zh() {
            format!("预测期 {base}—{horizon} 年")
        } else {
            format!("Actuarial projection {base}–{horizon}")
        },
        subtitle(c, &id, &s),
    ];
    c.doc.footer = format!(
        "{region} · {id} · fundsim {}",
        m["fundsim_version"].as_str().unwrap_or("")
    );
    let q = sc["warning"]["confidence"].as_f64().unwrap_or(0.1);
    let qs = quantile_stat(q);

    c.h1(c.t("一、主要结论", "1. Findings"));
    c.para(if c.zh() {
        format!(
            "本报告预测{region}职工医保统筹基金和城乡居民医保基金 {base}—{horizon} 年的收支与累计结余{}。全部数字取自本目录的 summary.csv 和 manifest.json。",
            if s.mc { format!("，共 {} 条蒙特卡洛路径", m["paths"].as_u64().unwrap_or(0)) } else { "（确定性中心路径）".into() }
        )
    } else {
        format!(
            "This report projects the income, spending and balance of {region}'s employee pooled fund and resident fund over {base}–{horizon}{}. Every number comes from this folder's summary.csv and manifest.json.",
            if s.mc { format!(" on {} Monte Carlo paths", thousands(m["paths"].as_u64().unwrap_or(0))) } else { " (deterministic central path)".into() }
        )
    });
    let items = FUNDS.iter().map(|f| findings(c, &s, f, &qs)).collect();
    c.bullets(items);
    c.para(lines_sentence(c, &sc["warning"]));
    levels_table(
        c,
        &s,
        &qs,
        c.t("规划年份预警等级", "Warning levels in the plan years")
            .to_string(),
    );

    c.h1(c.t("二、预警图表", "2. Charts"));
    let intro = c.t(
        "各基金依次给出：累计结余可支付月数（中位数及 P5–P95、P25–P75 区间，底色为预警等级区间）、各预警等级的概率、支出增长率、收支与累计结余。",
        "For each fund: months of reserve (median with P5–P95 and P25–P75 bands over the tier colours), the probability of each warning level, spending growth, and income, spending and balance.",
    );
    c.charts(intro, &["months", "tiers", "growth", "cashflow"]);

    c.h1(c.t("三、分年度预测表", "3. Projection by year"));
    for f in FUNDS {
        c.h2(&fund(f, c.lang));
        year_table(c, &s, f, &qs);
    }
    population_table(c, &s);

    c.h1(c.t("四、假设与来源", "4. Assumptions and sources"));
    c.para(c.t(
        "下表列出情景的每个参数、各年取值和来源；标为“假设”的参数没有公开数字可依，是结论中最需要核对的部分。",
        "Every parameter of the scenario with its values and source; those marked \"assumption\" rest on no published figure and are the first to check.",
    ).to_string());
    let cap = c
        .t("情景参数与来源", "Scenario parameters and sources")
        .to_string();
    assumptions_table(c, &m["resolved"]["per_year"], base, &cap);

    c.h1(c.t("五、方法说明", "5. Method"));
    method(c, &m, &s);
    c.reproduction(c.t("六、复现信息", "6. Reproduction"));
    Ok(())
}

pub(super) fn subtitle(c: &Ctx, id: &str, s: &Summary) -> String {
    let m = &c.manifest;
    let date = m["date"].as_str().unwrap_or("");
    if s.mc {
        if c.zh() {
            format!(
                "情景 {id} · {} 条蒙特卡洛路径 · 随机种子 {} · fundsim {} · {date}",
                m["paths"].as_u64().unwrap_or(0),
                m["seed"].as_u64().unwrap_or(0),
                m["fundsim_version"].as_str().unwrap_or("")
            )
        } else {
            format!(
                "Scenario {id} · {} Monte Carlo paths · seed {} · fundsim {} · {date}",
                thousands(m["paths"].as_u64().unwrap_or(0)),
                m["seed"].as_u64().unwrap_or(0),
                m["fundsim_version"].as_str().unwrap_or("")
            )
        }
    } else {
        format!(
            "{} {id} · {} · fundsim {} · {date}",
            c.t("情景", "Scenario"),
            c.t("确定性中心路径", "deterministic central path"),
            m["fundsim_version"].as_str().unwrap_or("")
        )
    }
}

/// One sentence per fund: levels in the plan years, when the median and P10 cross the
/// low|reasonable line and zero, and the probability of depletion by the horizon.
pub(super) fn findings(c: &Ctx, s: &Summary, f: &str, qs: &str) -> String {
    let years: Vec<i32> = s.years.iter().copied().filter(|&y| y > s.base()).collect();
    let plan = plan_years(s.base(), s.horizon());
    let name = fund(f, c.lang);
    let levels: Vec<String> = plan
        .iter()
        .map(|&y| {
            let t = s.level(f, y, qs).map_or("—".to_string(), |t| {
                crate::chart::tier_label(t, c.lang).to_string()
            });
            if c.zh() {
                format!("{y}年“{t}”")
            } else {
                format!("{} in {y}", t.to_lowercase())
            }
        })
        .collect();
    let stat = if s.mc { "p50" } else { "value" };
    let cross = |stat: &str, line: f64| {
        first_year(&years, |y| {
            s.get(f, y, "months_reserve", stat)
                .is_some_and(|m| m < line)
        })
    };
    let line = 6.0;
    let h = s.horizon();
    let depleted = s.get(f, h, "depleted_by", "mean");
    if c.zh() {
        let mut t = format!("{name}：预警等级 {}。", levels.join("，"));
        let med = if s.mc {
            "可支付月数中位数"
        } else {
            "可支付月数"
        };
        t.push_str(&format!(
            "{med}{}",
            cross_zh(cross(stat, line), cross(stat, 0.0))
        ));
        if s.mc {
            t.push_str(&format!(
                "；P10（较差情形）{}",
                cross_zh(cross("p10", line), cross("p10", 0.0))
            ));
            t.push_str(&format!("；到 {h} 年累计穿底概率 {}", pct(depleted, 1)));
        }
        t.push('。');
        t
    } else {
        let mut t = format!("{name}: warning level {}. ", levels.join(", "));
        let med = if s.mc {
            "median months of reserve"
        } else {
            "months of reserve"
        };
        t.push_str(&format!(
            "The {med} {}",
            cross_en(cross(stat, line), cross(stat, 0.0))
        ));
        if s.mc {
            t.push_str(&format!(
                "; the 10th percentile (an adverse case) {}; probability of depletion by {h}: {}",
                cross_en(cross("p10", line), cross("p10", 0.0)),
                pct(depleted, 1)
            ));
        }
        t.push('.');
        t
    }
}

/// When months first fall below the 6-month line and below zero, in Chinese.
fn cross_zh(six: Option<i32>, zero: Option<i32>) -> String {
    match (six, zero) {
        (None, _) => "预测期内始终不低于 6 个月".into(),
        (Some(a), None) => format!("{a}年起低于 6 个月，预测期内未降至 0 以下"),
        (Some(a), Some(b)) => format!("{a}年起低于 6 个月，{b}年起降至 0 以下（穿底）"),
    }
}

/// When months first fall below the 6-month line and below zero, in English.
fn cross_en(six: Option<i32>, zero: Option<i32>) -> String {
    match (six, zero) {
        (None, _) => "is 6 months or more in every year".into(),
        (Some(a), None) => format!("is below 6 months from {a}, above 0 throughout"),
        (Some(a), Some(b)) => format!("is below 6 months from {a} and below 0 (depleted) from {b}"),
    }
}

/// Table of the plan years: per fund and year, median months (P10–P90), P(< 6 months),
/// P(depleted by the year), warning level.
pub(super) fn levels_table(c: &mut Ctx, s: &Summary, qs: &str, caption: String) {
    let mut rows = Vec::new();
    for f in FUNDS {
        for (k, y) in plan_years(s.base(), s.horizon()).into_iter().enumerate() {
            let mut r = vec![
                Cell::from(if k == 0 {
                    fund(f, c.lang)
                } else {
                    String::new()
                }),
                Cell::from(y.to_string()),
                Cell::from(months(s.central(f, y, "months_reserve"))),
            ];
            if s.mc {
                r.push(Cell::from(format!(
                    "{} – {}",
                    months(s.get(f, y, "months_reserve", "p10")),
                    months(s.get(f, y, "months_reserve", "p90"))
                )));
                r.push(Cell::from(pct(s.p_below(f, y), 1)));
                r.push(Cell::from(pct(s.get(f, y, "depleted_by", "mean"), 1)));
            }
            r.push(super::tier_cell(s.level(f, y, qs), c.lang));
            rows.push(r);
        }
    }
    let mut cols: Cols = vec![
        (c.t("基金", "Fund"), Align::Left, 22.0),
        (c.t("年份", "Year"), Align::Center, 8.0),
        (
            if s.mc {
                c.t("可支付月数\n中位数（个月）", "Months of reserve\nmedian")
            } else {
                c.t("可支付月数（个月）", "Months of reserve")
            },
            Align::Right,
            14.0,
        ),
    ];
    if s.mc {
        cols.push((
            c.t(
                "可支付月数\nP10 – P90（个月）",
                "Months of reserve\nP10 – P90",
            ),
            Align::Right,
            16.0,
        ));
        cols.push((
            c.t("低于6个月\n的概率", "P(months\n< 6)"),
            Align::Right,
            12.0,
        ));
        cols.push((
            c.t("累计穿底\n概率", "P(depleted\nby the year)"),
            Align::Right,
            12.0,
        ));
    }
    cols.push((c.t("预警等级", "Warning level"), Align::Center, 11.0));
    let note = if s.mc {
        Some(c.t(
            "中位数、P10、P90 为当年各路径可支付月数的分位数；预警等级取 P10 所在区间；累计穿底概率为当年及以前任一年结余为负的路径占比。",
            "Median, P10 and P90 are quantiles of the year's months over the paths; the warning level is the tier of P10; P(depleted by the year) is the share of paths with a negative balance in that year or before.",
        ).to_string())
    } else {
        None
    };
    c.table(&caption, &cols, rows, note);
}

/// Per-year table of one fund.
pub(super) fn year_table(c: &mut Ctx, s: &Summary, f: &str, qs: &str) {
    let mut rows = Vec::new();
    for &y in &s.years {
        let mut r = vec![
            Cell::from(y.to_string()),
            Cell::from(yi(s.central(f, y, "income"))),
            Cell::from(yi(s.central(f, y, "spending"))),
            Cell::from(yi(s.central(f, y, "balance"))),
        ];
        if s.mc {
            r.push(Cell::from(yi(s.get(f, y, "balance", "p10"))));
            r.push(Cell::from(yi(s.get(f, y, "balance", "p90"))));
        }
        r.push(Cell::from(months(s.central(f, y, "months_reserve"))));
        if s.mc {
            r.push(Cell::from(months(s.get(f, y, "months_reserve", "p10"))));
        }
        r.push(Cell::from(pct(s.central(f, y, "spending_growth"), 1)));
        if s.mc {
            r.push(Cell::from(pct(s.p_below(f, y), 1)));
            r.push(Cell::from(pct(s.get(f, y, "depleted_by", "mean"), 1)));
        }
        r.push(tier_cell(s.level(f, y, qs), c.lang));
        rows.push(r);
    }
    let med = s.mc;
    let mut cols: Cols = vec![
        (c.t("年份", "Year"), Align::Center, 6.0),
        (
            if med {
                c.t("基金收入\n中位数\n（亿元）", "Income\nmedian\n(100m yuan)")
            } else {
                c.t("基金收入\n（亿元）", "Income\n(100m yuan)")
            },
            Align::Right,
            10.0,
        ),
        (
            if med {
                c.t(
                    "基金支出\n中位数\n（亿元）",
                    "Spending\nmedian\n(100m yuan)",
                )
            } else {
                c.t("基金支出\n（亿元）", "Spending\n(100m yuan)")
            },
            Align::Right,
            10.0,
        ),
        (
            if med {
                c.t("累计结余\n中位数\n（亿元）", "Balance\nmedian\n(100m yuan)")
            } else {
                c.t("累计结余\n（亿元）", "Balance\n(100m yuan)")
            },
            Align::Right,
            10.0,
        ),
    ];
    if med {
        cols.push((
            c.t("累计结余\nP10\n（亿元）", "Balance\nP10\n(100m yuan)"),
            Align::Right,
            9.5,
        ));
        cols.push((
            c.t("累计结余\nP90\n（亿元）", "Balance\nP90\n(100m yuan)"),
            Align::Right,
            9.5,
        ));
    }
    cols.push((
        if med {
            c.t("可支付\n月数\n中位数", "Months\nmedian")
        } else {
            c.t("可支付\n月数", "Months")
        },
        Align::Right,
        8.0,
    ));
    if med {
        cols.push((c.t("可支付\n月数\nP10", "Months\nP10"), Align::Right, 8.0));
    }
    cols.push((
        if med {
            c.t("支出\n增长率\n中位数", "Spending\ngrowth\nmedian")
        } else {
            c.t("支出\n增长率", "Spending\ngrowth")
        },
        Align::Right,
        8.5,
    ));
    if med {
        cols.push((
            c.t("低于\n6个月\n概率", "P(< 6\nmonths)"),
            Align::Right,
            8.0,
        ));
        cols.push((c.t("累计\n穿底\n概率", "P(de-\npleted)"), Align::Right, 8.0));
    }
    cols.push((c.t("预警\n等级", "Warning\nlevel"), Align::Center, 7.5));
    let note = if med {
        c.t(
            "金额单位为亿元（当年价格）。各列分位数分别计算，同一行的中位数不属于同一条路径，因此收入中位数减支出中位数不一定等于结余中位数的变化。收入与增长率为当年流量，从基期次年起列出。",
            "Money in 100 million yuan (current prices). Each column's quantile is computed on its own, so one row's medians need not belong to one path: median income less median spending need not equal the change in the median balance. Income and growth are flows of the year, listed from the year after the base year.",
        )
    } else {
        c.t(
            "金额单位为亿元（当年价格）；确定性中心路径（所有随机冲击为 0）。",
            "Money in 100 million yuan (current prices); deterministic central path (every shock 0).",
        )
    }
    .to_string();
    let cap = if c.zh() {
        format!("{}分年度预测", fund(f, c.lang))
    } else {
        format!("{}: projection by year", fund(f, c.lang))
    };
    c.table(&cap, &cols, rows, Some(note));
}

/// Population and members (万人), central values.
fn population_table(c: &mut Ctx, s: &Summary) {
    let w = |v: Option<f64>| v.map_or("—".into(), |v| num(v / 1e4, 1));
    let rows: Vec<Vec<Cell>> = s
        .years
        .iter()
        .map(|&y| {
            vec![
                Cell::from(y.to_string()),
                Cell::from(w(s.central("region", y, "population"))),
                Cell::from(w(s.central("region", y, "aged_60_plus"))),
                Cell::from(w(s.central("employee", y, "actives"))),
                Cell::from(w(s.central("employee", y, "retirees"))),
                Cell::from(w(s.central("resident", y, "residents"))),
            ]
        })
        .collect();
    let cols: Cols = vec![
        (c.t("年份", "Year"), Align::Center, 10.0),
        (
            c.t("常住人口（万人）", "Population (10,000)"),
            Align::Right,
            18.0,
        ),
        (
            c.t("60岁及以上（万人）", "Aged 60+ (10,000)"),
            Align::Right,
            18.0,
        ),
        (
            c.t("职工在职参保（万人）", "Active members (10,000)"),
            Align::Right,
            18.0,
        ),
        (
            c.t("职工退休参保（万人）", "Retired members (10,000)"),
            Align::Right,
            18.0,
        ),
        (
            c.t("居民参保（万人）", "Resident members (10,000)"),
            Align::Right,
            18.0,
        ),
    ];
    let cap = c.t("人口与参保人数", "Population and members").to_string();
    let note = if s.mc {
        c.t("各路径中位数。", "Medians over the paths.")
    } else {
        c.t("确定性中心路径。", "Deterministic central path.")
    }
    .to_string();
    c.table(&cap, &cols, rows, Some(note));
}

fn method(c: &mut Ctx, m: &serde_json::Value, s: &Summary) {
    let paths = m["paths"].as_u64().unwrap_or(0);
    let seed = m["seed"].as_u64().unwrap_or(0);
    let items = if c.zh() {
        vec![
            "人口：以基期人口为起点，按年龄、性别逐年推算出生、死亡和迁移（队列要素法）；生育率、死亡率改善和迁移水平为随机驱动因素。".to_string(),
            "参保：职工在职与退休人数由人口、参保规模系数和退休年龄得出；居民参保人数为人口乘以覆盖率。".to_string(),
            "收入：职工统筹基金收入 = 缴费基数 × 缴费率 × 划入统筹比例 × 征缴率 × 在职人数，加其他收入和利息；居民医保基金收入 = 参保人数 × （个人缴费 + 财政补助），加其他收入和利息。".to_string(),
            "支出：基期支出按年龄别费用曲线分摊，此后随医疗费用增长率、人口年龄结构和政策因素变化；基期支出由公布数字校准。".to_string(),
            if s.mc {
                format!("随机模拟：工资增长、医疗费用增长、利率、生育、死亡、迁移及疫情冲击每年随机抽取，共 {paths} 条路径（随机种子 {seed}）；第 i 条路径使用独立的随机数流，结果与线程数无关。")
            } else {
                "确定性中心路径：所有随机冲击取 0，无疫情冲击。".to_string()
            },
            "可支付月数 = 12 × 年末累计结余 ÷ 当年支出。模型规格见 MODEL.md，每个参数的来源见第四部分。".to_string(),
        ]
    } else {
        vec![
            "Population: from the base-year population by age and sex, births, deaths and migration year by year (cohort-component method); fertility, mortality improvement and migration are random drivers.".to_string(),
            "Members: active and retired employees from the population, the membership scale and retirement ages; resident members are the population times coverage.".to_string(),
            "Income: employee pooled fund = contribution base × rate × share to the pool × collection × active members, plus other income and interest; resident fund = members × (premium + fiscal subsidy), plus other income and interest.".to_string(),
            "Spending: base-year spending spread by an age profile of costs, then moved by medical cost growth, the age structure and policy factors; base-year spending calibrated on published figures.".to_string(),
            if s.mc {
                format!("Monte Carlo: wage growth, medical cost growth, interest, fertility, mortality, migration and epidemic shocks drawn each year on {} paths (seed {seed}); path i uses its own random stream, so results do not depend on the thread count.", thousands(paths))
            } else {
                "Deterministic central path: every shock 0, no epidemic.".to_string()
            },
            "Months of reserve = 12 × year-end balance ÷ the year's spending. The model is specified in MODEL.md; every parameter's source is in section 4.".to_string(),
        ]
    };
    c.bullets(items);
}
