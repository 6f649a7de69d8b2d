//! The report of a compare folder (`compare.csv`): options side by side with their paired
//! differences and standard errors (issue 10; MODEL.md §11 *Compare*).

use super::{Cols, Ctx, assumptions_table, fund, num, plan_years, read_table};
use crate::document::{Align, Cell};
use std::collections::HashMap;

const FUNDS: [&str; 3] = ["employee", "resident", "combined"];

/// (option, fund, year, indicator).
type Key = (String, String, Option<i32>, String);

/// compare.csv as (option, fund, year, indicator) → (value, diff, se).
struct Rows {
    options: Vec<String>,
    map: HashMap<Key, (f64, f64, f64)>,
    years: Vec<i32>,
}

impl Rows {
    fn get(&self, o: &str, f: &str, y: Option<i32>, ind: &str) -> Option<(f64, f64, f64)> {
        self.map
            .get(&(o.to_string(), f.to_string(), y, ind.to_string()))
            .copied()
    }
}

fn read(c: &Ctx) -> Result<Rows, String> {
    let path = c.dir.join("compare.csv");
    let recs = read_table(
        &path,
        &[
            "option",
            "fund",
            "year",
            "indicator",
            "value",
            "diff",
            "se_diff",
        ],
    )?;
    let mut rows = Rows {
        options: Vec::new(),
        map: HashMap::new(),
        years: Vec::new(),
    };
    let f = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
    for (i, r) in recs.iter().enumerate() {
        let year = if r[2].is_empty() {
            None
        } else {
            Some(r[2].parse::<i32>().map_err(|_| {
                format!(
                    "{}:{}: year `{}`; expected a year",
                    path.display(),
                    i + 2,
                    r[2]
                )
            })?)
        };
        if !rows.options.contains(&r[0]) {
            rows.options.push(r[0].clone());
        }
        if let Some(y) = year {
            rows.years.push(y);
        }
        rows.map.insert(
            (r[0].clone(), r[1].clone(), year, r[3].clone()),
            (f(&r[4]), f(&r[5]), f(&r[6])),
        );
    }
    rows.years.sort_unstable();
    rows.years.dedup();
    if rows.options.is_empty() {
        return Err(format!(
            "{}: no rows; expected a compare.csv written by fundsim compare",
            path.display()
        ));
    }
    Ok(rows)
}

/// `value`, or for a later option `value (±diff ± se)`.
fn cell(ind: &str, v: (f64, f64, f64), first: bool, zh: bool) -> String {
    let (d, pctp) = match ind {
        "median_months" => (1, false),
        "p_below_line" | "p_depleted_by_horizon" => (1, true),
        "first_year_below_reasonable" => (0, false),
        _ => (1, false),
    };
    let show = |x: f64| {
        if pctp {
            format!("{}%", num(100.0 * x, d))
        } else {
            num(x, d)
        }
    };
    let value = if ind == "first_year_below_reasonable" && !v.0.is_finite() {
        if zh {
            "未出现".to_string()
        } else {
            "never".to_string()
        }
    } else {
        show(v.0)
    };
    if first || !v.1.is_finite() {
        return value;
    }
    let sign = |x: f64| if x >= 0.0 { "+" } else { "−" };
    let dd = if pctp {
        num(100.0 * v.1.abs(), d)
    } else {
        num(v.1.abs(), d)
    };
    let unit = if pctp {
        if zh { "个百分点" } else { " pp" }
    } else {
        ""
    };
    if v.2.is_finite() && ind != "first_year_below_reasonable" {
        let se = if pctp {
            num(100.0 * v.2, d + 1)
        } else {
            num(v.2, d + 1)
        };
        format!("{value}（{}{dd}{unit} ± {se}）", sign(v.1))
            .replace('（', if zh { "（" } else { " (" })
            .replace('）', if zh { "）" } else { ")" })
    } else {
        format!("{value}（{}{dd}）", sign(v.1))
            .replace('（', if zh { "（" } else { " (" })
            .replace('）', if zh { "）" } else { ")" })
    }
}

fn indicator_label(c: &Ctx, ind: &str, line: &str) -> String {
    match ind {
        "median_months" => c
            .t("可支付月数中位数（个月）", "Median months of reserve")
            .to_string(),
        "p_below_line" => {
            if c.zh() {
                format!("可支付月数低于{line}个月的概率")
            } else {
                format!("P(months < {line})")
            }
        }
        "p_depleted_by_horizon" => c
            .t("期末前累计穿底概率", "P(depleted by the horizon)")
            .to_string(),
        "first_year_below_reasonable" => c
            .t(
                "预警等级首次低于“合理”的年份",
                "First year the level is below reasonable",
            )
            .to_string(),
        "cum_subsidy_cost_yi" => c
            .t(
                "累计财政补助（亿元）",
                "Cumulative fiscal subsidy (100m yuan)",
            )
            .to_string(),
        "cum_employer_contrib_yi" => c
            .t(
                "累计单位缴费（亿元）",
                "Cumulative employer contributions (100m yuan)",
            )
            .to_string(),
        o => o.to_string(),
    }
}

pub(super) fn build(c: &mut Ctx) -> Result<(), String> {
    let r = read(c)?;
    let m = c.manifest.clone();
    let (base, horizon) = (
        r.years.first().copied().unwrap_or(0),
        r.years.last().copied().unwrap_or(0),
    );
    let opts_meta = m["options"].as_array().cloned().unwrap_or_default();
    let region = opts_meta
        .first()
        .and_then(|o| o[if c.zh() { "region" } else { "region_en" }].as_str())
        .map(str::to_string)
        .unwrap_or_else(|| m["scenarios"][0].as_str().unwrap_or("").to_string());
    let line = m["line"].as_f64().map_or("6".to_string(), |l| num(l, 0));
    let reference = r.options[0].clone();
    c.doc.title = if c.zh() {
        format!("{region}医保基金政策方案比较（{base}—{horizon}年）")
    } else {
        format!(
            "{region}: policy options for the medical insurance funds compared, {base}–{horizon}"
        )
    };
    c.doc.subtitle = vec![format!(
        "{} {} · {} {} · {} {} · fundsim {} · {}",
        c.t("方案", "options"),
        r.options.join(" / "),
        c.t("每方案路径数", "paths per option"),
        c.paths(),
        c.t("随机种子", "seed"),
        m["seed"].as_u64().unwrap_or(0),
        m["fundsim_version"].as_str().unwrap_or(""),
        m["date"].as_str().unwrap_or("")
    )];
    c.doc.footer = format!(
        "{region} · {} · fundsim {}",
        c.t("方案比较", "options compared"),
        m["fundsim_version"].as_str().unwrap_or("")
    );

    c.h1(c.t("一、主要结论", "1. Findings"));
    c.para(if c.zh() {
        format!(
            "本报告比较 {} 个方案，以 {reference} 为参照。各方案使用相同的随机种子和路径（共同随机数），差异只来自方案本身；括号内为与参照方案之差 ± 蒙特卡洛标准误。数字取自本目录的 compare.csv。",
            r.options.len()
        )
    } else {
        format!(
            "This report compares {} options against {reference}. Every option runs on the same seed and paths (common random numbers), so differences come from the options alone; brackets give the difference from the reference ± its Monte Carlo standard error. Numbers from this folder's compare.csv.",
            r.options.len()
        )
    });
    let mut items = Vec::new();
    for o in r.options.iter().skip(1) {
        let same = |f: &str| {
            r.map
                .iter()
                .filter(|(k, _)| k.0 == *o && k.1 == f)
                .all(|(_, v)| v.1 == 0.0 || !v.1.is_finite())
        };
        let unaffected: Vec<String> = FUNDS
            .iter()
            .filter(|f| same(f))
            .map(|f| fund(f, c.lang))
            .collect();
        if !unaffected.is_empty() {
            items.push(if c.zh() {
                format!("{o}：{}的各项指标与参照方案完全相同（共同随机数下差异为 0）。", unaffected.join("、"))
            } else {
                format!("{o}: every indicator of the {} is the same as the reference's (difference 0 on common random numbers).", unaffected.join(", "))
            });
        }
        for f in FUNDS.iter().copied().filter(|f| !same(f)) {
            let mm = r.get(o, f, Some(horizon), "median_months");
            let pd = r.get(o, f, None, "p_depleted_by_horizon");
            let fy = r.get(o, f, None, "first_year_below_reasonable");
            let fy0 = r.get(&reference, f, None, "first_year_below_reasonable");
            let (Some(mm), Some(pd)) = (mm, pd) else {
                continue;
            };
            let year = |v: Option<(f64, f64, f64)>| {
                v.map(|v| v.0)
                    .filter(|y| y.is_finite())
                    .map_or(c.t("未出现", "never").to_string(), |y| num(y, 0))
            };
            let name = fund(f, c.lang);
            let sign = |x: f64| if x >= 0.0 { "+" } else { "−" };
            let (m0, ms, md, mse) = (num(mm.0, 1), sign(mm.1), num(mm.1.abs(), 1), num(mm.2, 2));
            let (p0, ps, pdd, pse) = (
                format!("{}%", num(100.0 * pd.0, 1)),
                sign(pd.1),
                num(100.0 * pd.1.abs(), 1),
                num(100.0 * pd.2, 2),
            );
            let (y1, y0) = (year(fy), year(fy0));
            items.push(if c.zh() {
                format!(
                    "{o}，{name}：{horizon}年可支付月数中位数 {m0} 个月（较参照 {ms}{md} 个月 ± {mse}），到 {horizon} 年累计穿底概率 {p0}（{ps}{pdd} 个百分点 ± {pse}），预警等级首次低于“合理”的年份 {y1}（参照 {y0}）。"
                )
            } else {
                format!(
                    "{o}, {name}: median months in {horizon} {m0} ({ms}{md} ± {mse} against the reference); probability of depletion by {horizon} {p0} ({ps}{pdd} pp ± {pse}); first year below reasonable {y1} (reference {y0})."
                )
            });
        }
        for (f, ind) in [
            ("employee", "cum_employer_contrib_yi"),
            ("resident", "cum_subsidy_cost_yi"),
        ] {
            if let Some(v) = r.get(o, f, None, ind)
                && v.1.abs() > 0.05
            {
                items.push(if c.zh() {
                    format!(
                        "{o}：{}—{horizon} 年{}较参照{} {} 亿元（合计 {} 亿元）。",
                        base + 1,
                        indicator_label(c, ind, &line).replace("（亿元）", ""),
                        if v.1 >= 0.0 { "增加" } else { "减少" },
                        num(v.1.abs(), 1),
                        num(v.0, 1)
                    )
                } else {
                    format!(
                        "{o}: {} {}–{horizon} {} by {} (total {}).",
                        indicator_label(c, ind, &line),
                        base + 1,
                        if v.1 >= 0.0 { "up" } else { "down" },
                        num(v.1.abs(), 1),
                        num(v.0, 1)
                    )
                });
            }
        }
    }
    c.bullets(items);
    let cap = c
        .t("期末主要指标", "Key indicators at the horizon")
        .to_string();
    key_table(c, &r, horizon, &line, &cap);

    c.h1(c.t("二、比较图表", "2. Charts"));
    let intro = c.t(
        "各基金一图：各方案可支付月数的中位数及分位区间叠放比较。",
        "One chart per fund: each option's median months of reserve with its bands, overlaid.",
    );
    c.charts(intro, &["compare_months", "compare_diff", "compare"]);

    c.h1(c.t("三、分基金比较表", "3. Comparison by fund"));
    for f in FUNDS {
        c.h2(&fund(f, c.lang));
        let mut rows = Vec::new();
        for ind in ["median_months", "p_below_line"] {
            for y in plan_years(base, horizon) {
                let mut row = vec![
                    Cell::from(indicator_label(c, ind, &line)),
                    Cell::from(y.to_string()),
                ];
                for (k, o) in r.options.iter().enumerate() {
                    row.push(Cell::from(
                        r.get(o, f, Some(y), ind)
                            .map_or("—".into(), |v| cell(ind, v, k == 0, c.zh())),
                    ));
                }
                rows.push(row);
            }
        }
        for ind in [
            "p_depleted_by_horizon",
            "first_year_below_reasonable",
            "cum_subsidy_cost_yi",
            "cum_employer_contrib_yi",
        ] {
            if r.get(&r.options[0], f, None, ind).is_none() {
                continue;
            }
            let mut row = vec![
                Cell::from(indicator_label(c, ind, &line)),
                Cell::from(format!("{}–{horizon}", base + 1)),
            ];
            for (k, o) in r.options.iter().enumerate() {
                row.push(Cell::from(
                    r.get(o, f, None, ind)
                        .map_or("—".into(), |v| cell(ind, v, k == 0, c.zh())),
                ));
            }
            rows.push(row);
        }
        let mut cols: Cols = vec![
            (c.t("指标", "Indicator"), Align::Left, 26.0),
            (c.t("年份", "Year"), Align::Center, 10.0),
        ];
        for o in &r.options {
            cols.push((o.as_str(), Align::Right, 64.0 / r.options.len() as f32));
        }
        let cap = if c.zh() {
            format!("{}：各方案比较", fund(f, c.lang))
        } else {
            format!("{}: options compared", fund(f, c.lang))
        };
        let note = c.t(
            "第一列方案为参照；其后各方案括号内为与参照之差 ± 蒙特卡洛标准误（概率与均值为逐路径配对差的标准误，中位数为 20 组分批标准误，年份无标准误）。",
            "The first option is the reference; later options show in brackets the difference from it ± the Monte Carlo SE (paired per-path SE for probabilities and means, 20-batch SE for medians, none for years).",
        ).to_string();
        let cols_ref: Vec<(&str, Align, f32)> = cols.iter().map(|(a, b, w)| (*a, *b, *w)).collect();
        c.table(&cap, &cols_ref, rows, Some(note));
    }

    c.h1(c.t("四、方案与假设", "4. Options and assumptions"));
    if opts_meta.is_empty() {
        c.para(c.t("本目录的 manifest.json 未记录各方案的参数；方案文件见第六部分的输入文件。", "This folder's manifest.json does not list the options' parameters; the option files are among the inputs in section 6.").to_string());
    } else {
        let mut rows = Vec::new();
        for o in &opts_meta {
            let diffs: Vec<String> = o["differs"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|d| {
                    format!(
                        "{}: {}",
                        d["key"].as_str().unwrap_or(""),
                        d["source"].as_str().unwrap_or("")
                    )
                })
                .collect();
            rows.push(vec![
                Cell::from(o["label"].as_str().unwrap_or("")),
                Cell::from(o["file"].as_str().unwrap_or("")),
                Cell::from(if diffs.is_empty() {
                    c.t("（参照）", "(reference)").to_string()
                } else {
                    diffs.join("；")
                }),
            ]);
        }
        let cols: Cols = vec![
            (c.t("方案", "Option"), Align::Left, 18.0),
            (c.t("方案文件", "File"), Align::Left, 30.0),
            (
                c.t(
                    "与参照不同的参数及来源",
                    "Parameters that differ from the reference, with their source",
                ),
                Align::Left,
                52.0,
            ),
        ];
        let cap = c.t("各方案", "The options").to_string();
        c.table(&cap, &cols, rows, None);
        if let Some(p) = opts_meta
            .first()
            .map(|o| o["per_year"].clone())
            .filter(|p| p.is_object())
        {
            let cap = if c.zh() {
                format!("参照方案 {reference} 的参数与来源")
            } else {
                format!("Parameters and sources of the reference {reference}")
            };
            assumptions_table(c, &p, base, &cap);
        }
    }

    c.h1(c.t("五、方法说明", "5. Method"));
    c.bullets(if c.zh() {
        vec![
            format!("每个方案都是同一情景加上各自的参数改动，以相同的随机种子（{}）和路径数（{}）模拟：第 i 条路径在所有方案中使用同一组随机数，方案间的差异是配对差异，标准误远小于各自的抽样误差。", m["seed"].as_u64().unwrap_or(0), m["paths"].as_u64().unwrap_or(0)),
            "概率与均值的标准误由逐路径差值计算（方案与自身比较时恰为 0）；中位数的标准误由 20 组连续路径分批估计；年份指标无标准误。".to_string(),
            format!("累计财政补助与单位缴费为 {}—{horizon} 年各年之和（亿元，当年价格）；单位缴费为职工统筹基金缴费中按费率划分的单位部分。", base + 1),
        ]
    } else {
        vec![
            format!("Each option is the scenario with its own changes, simulated with the same seed ({}) and paths ({}): path i uses the same random numbers in every option, so differences are paired and their standard errors far smaller than each option's own sampling error.", m["seed"].as_u64().unwrap_or(0), m["paths"].as_u64().unwrap_or(0)),
            "Standard errors of probabilities and means come from per-path differences (exactly 0 for an option against itself); of medians from 20 batches of consecutive paths; years have none.".to_string(),
            format!("Cumulative subsidy and employer contributions sum the years {}–{horizon} (100 million yuan, current prices); the employer share is split from the pooled contributions by the rates.", base + 1),
        ]
    });
    c.reproduction(c.t("六、复现信息", "6. Reproduction"));
    Ok(())
}

fn key_table(c: &mut Ctx, r: &Rows, horizon: i32, line: &str, cap: &str) {
    let mut rows = Vec::new();
    for f in FUNDS {
        let mut first = true;
        for (ind, y) in [
            ("median_months", Some(horizon)),
            ("p_depleted_by_horizon", None),
            ("first_year_below_reasonable", None),
        ] {
            if r.get(&r.options[0], f, y, ind).is_none() {
                continue;
            }
            let name = if first {
                fund(f, c.lang)
            } else {
                String::new()
            };
            first = false;
            let mut row = vec![Cell::from(name), Cell::from(indicator_label(c, ind, line))];
            for (k, o) in r.options.iter().enumerate() {
                row.push(Cell::from(
                    r.get(o, f, y, ind)
                        .map_or("—".into(), |v| cell(ind, v, k == 0, c.zh())),
                ));
            }
            rows.push(row);
        }
    }
    let mut cols: Vec<(&str, Align, f32)> = vec![
        (c.t("基金", "Fund"), Align::Left, 16.0),
        (c.t("指标", "Indicator"), Align::Left, 24.0),
    ];
    for o in &r.options {
        cols.push((o.as_str(), Align::Right, 60.0 / r.options.len() as f32));
    }
    let note = if c.zh() {
        format!("可支付月数中位数为 {horizon} 年数值；括号内为与参照方案之差 ± 标准误。")
    } else {
        format!("Median months are for {horizon}; brackets: difference from the reference ± SE.")
    };
    c.table(cap, &cols, rows, Some(note));
}
