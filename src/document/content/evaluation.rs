//! The report of an evaluation folder (`evaluation.csv`, `rebased/summary.csv`): the plan
//! indicators' statuses, the back-test of the base-year projection, the re-basing and the
//! re-based projection's warning levels (issue 10; MODEL.md §13).

use super::run::{findings, levels_table, year_table};
use super::{
    Cols, Ctx, Summary, assumptions_table, fund, lines_sentence, num, pct, quantile_stat,
    read_table,
};
use crate::document::{Align, Cell};
use crate::evaluation::plan::Status;
use crate::evaluation::report::{display, fund_name, metric_label, unit_label};
use std::collections::BTreeMap;

/// One `evaluation.csv` row.
struct Row {
    section: String,
    id: String,
    fund: String,
    year: Option<i32>,
    metric: String,
    stat: String,
    value: Option<f64>,
    text: String,
}

fn read(c: &Ctx) -> Result<Vec<Row>, String> {
    let path = c.dir.join("evaluation.csv");
    let recs = read_table(
        &path,
        &[
            "section", "id", "fund", "year", "metric", "stat", "value", "text",
        ],
    )?;
    Ok(recs
        .into_iter()
        .map(|r| Row {
            section: r[0].clone(),
            id: r[1].clone(),
            fund: r[2].clone(),
            year: r[3].parse().ok(),
            metric: r[4].clone(),
            stat: r[5].clone(),
            value: r[6].parse().ok(),
            text: r[7].clone(),
        })
        .collect())
}

/// One indicator's fields, by stat.
#[derive(Default)]
struct Ind {
    id: String,
    metric: String,
    last_year: Option<i32>,
    v: BTreeMap<String, (Option<f64>, String)>,
}

impl Ind {
    fn val(&self, k: &str) -> Option<f64> {
        self.v.get(k).and_then(|x| x.0)
    }
    fn text(&self, k: &str) -> &str {
        self.v.get(k).map_or("", |x| x.1.as_str())
    }
}

pub(super) fn build(c: &mut Ctx) -> Result<(), String> {
    let rows = read(c)?;
    let m = c.manifest.clone();
    let zh = c.zh();
    let region = m["region"][if zh { "name" } else { "name_en" }]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| m["scenarios"][0].as_str().unwrap_or("").to_string());
    let plan_name = m["plan"][if zh { "name" } else { "name_en" }]
        .as_str()
        .unwrap_or("")
        .to_string();
    let as_of = m["as_of"].as_i64().unwrap_or(0);
    let rebase_year = m["rebased"]["year"].as_i64();
    c.doc.title = if zh {
        format!("{region}医疗保障基金运行中期评估报告")
    } else {
        format!("{region}: mid-term evaluation of the medical insurance funds")
    };
    let mut sub = Vec::new();
    if !plan_name.is_empty() {
        sub.push(plan_name.clone());
    }
    sub.push(format!(
        "{} {as_of} · {} {} · {} {} · fundsim {} · {}",
        c.t("评估年份", "evaluation as of"),
        c.t("每次预测路径数", "paths per projection"),
        c.paths(),
        c.t("随机种子", "seed"),
        m["seed"].as_u64().unwrap_or(0),
        m["fundsim_version"].as_str().unwrap_or(""),
        m["date"].as_str().unwrap_or("")
    ));
    c.doc.subtitle = sub;
    c.doc.footer = format!(
        "{region} · {} {as_of} · fundsim {}",
        c.t("中期评估", "mid-term evaluation as of"),
        m["fundsim_version"].as_str().unwrap_or("")
    );

    // Indicators in file order.
    let mut inds: Vec<Ind> = Vec::new();
    for r in rows.iter().filter(|r| r.section == "indicator") {
        let k = match inds.iter().position(|i| i.id == r.id) {
            Some(k) => k,
            None => {
                inds.push(Ind {
                    id: r.id.clone(),
                    metric: r.metric.clone(),
                    ..Ind::default()
                });
                inds.len() - 1
            }
        };
        let i = &mut inds[k];
        if r.stat == "status" || r.stat == "probability" {
            i.last_year = r.year.or(i.last_year);
        }
        let key = if r.stat == "actual" {
            format!("actual {}", r.year.unwrap_or(0))
        } else {
            r.stat.clone()
        };
        i.v.insert(key, (r.value, r.text.clone()));
    }
    // The target in the report's language (manifest `plan.indicators`), else the CSV's text.
    for i in inds.iter_mut() {
        let t = m["plan"]["indicators"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|x| x["id"].as_str() == Some(i.id.as_str()))
            .and_then(|x| x[if zh { "target_zh" } else { "target_en" }].as_str());
        if let Some(t) = t {
            i.v.insert("threshold".into(), (None, t.to_string()));
        }
    }
    let status = |i: &Ind| {
        i.val("status")
            .and_then(|v| Status::ALL.get(v as usize).copied())
    };
    let label = |s: Status| if zh { s.zh() } else { s.en() };

    c.h1(c.t("一、主要结论", "1. Findings"));
    let mut counts: Vec<(Status, usize)> = Status::ALL.iter().map(|s| (*s, 0)).collect();
    for i in &inds {
        if let Some(s) = status(i) {
            counts
                .iter_mut()
                .find(|x| x.0 == s)
                .expect("every status")
                .1 += 1;
        }
    }
    let counted: Vec<String> = counts
        .iter()
        .filter(|x| x.1 > 0)
        .map(|(s, n)| {
            if zh {
                format!("{}{n}项", s.zh())
            } else {
                format!("{n} {}", s.en())
            }
        })
        .collect();
    c.para(if zh {
        format!(
            "截至 {as_of} 年，{}共评估 {} 项指标：{}。{}判断依据为已公布的实际数和{}重新起算的预测；达标概率为预测路径中在剩余年份均满足目标的比例。数字取自本目录的 evaluation.csv 和 rebased/summary.csv。",
            if plan_name.is_empty() { String::new() } else { format!("对照《{plan_name}》，") },
            inds.len(),
            counted.join("，"),
            "",
            rebase_year.map_or(String::new(), |y| format!("自 {y} 年"))
        )
    } else {
        format!(
            "As of {as_of}, {} indicators{} were assessed: {}. The statuses rest on the published actual figures and the projection restarted{}; the probability is the share of projected paths meeting the target in every remaining year. Numbers from this folder's evaluation.csv and rebased/summary.csv.",
            inds.len(),
            if plan_name.is_empty() { String::new() } else { format!(" of \"{plan_name}\"") },
            counted.join(", "),
            rebase_year.map_or(String::new(), |y| format!(" at {y}"))
        )
    });
    let items: Vec<String> = inds
        .iter()
        .map(|i| {
            let name = if zh {
                i.text("name")
            } else {
                i.text("name_en")
            };
            let st = status(i).map_or("—", label);
            let p = i.val("probability");
            let pp = i.val("probability_previous");
            let mut t = if zh {
                format!("{name}（目标：{}）：{st}", i.text("threshold"))
            } else {
                format!("{name} (target: {}): {st}", i.text("threshold"))
            };
            if let Some(p) = p {
                t.push_str(&if zh {
                    format!("，达标概率 {}（基期预测 {}）", pct(Some(p), 0), pct(pp, 0))
                } else {
                    format!(
                        ", probability {} (base-year projection {})",
                        pct(Some(p), 0),
                        pct(pp, 0)
                    )
                });
            }
            t.push_str(if zh { "。" } else { "." });
            t
        })
        .collect();
    c.bullets(items);
    // Back-test in one sentence.
    let figures: Vec<&Row> = rows
        .iter()
        .filter(|r| r.section == "backtest" && r.stat == "inside_p5_p95")
        .collect();
    let inside = figures.iter().filter(|r| r.value == Some(1.0)).count();
    if !figures.is_empty() {
        c.para(if zh {
            format!(
                "回测：{} 个实际数中有 {inside} 个落在基期预测的 P5–P95 区间内（校准良好的模型约为 90%）。未落入区间的数字说明基期预测在这些方面偏离实际，见第三部分。",
                figures.len()
            )
        } else {
            format!(
                "Back-test: {inside} of {} actual figures fall inside the base-year projection's P5–P95 band (about 90% for a well-calibrated model). Those outside show where the base-year projection departed from the facts; see section 3.",
                figures.len()
            )
        });
    }
    let caveats: Vec<String> = m["rebased"]["caveats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    ind_table(c, &inds, &status);

    let rebased = Summary::read(&c.dir.join("rebased/summary.csv")).ok();
    let qs = quantile_stat(m["warning"]["confidence"].as_f64().unwrap_or(0.1));
    if let Some(s) = &rebased {
        c.h2(&if zh {
            format!("重新起算后的预警等级（{}—{}年）", s.base(), s.horizon())
        } else {
            format!(
                "Warning levels of the re-based projection, {}–{}",
                s.base(),
                s.horizon()
            )
        });
        let items = ["employee", "resident", "combined"]
            .iter()
            .map(|f| findings(c, s, f, &qs))
            .collect();
        c.bullets(items);
        if m["warning"].is_object() {
            c.para(lines_sentence(c, &m["warning"]));
        }
    }

    c.h1(c.t("二、评估图表", "2. Charts"));
    let intro = c.t(
        "指标达标概率图，以及各基金基期预测（灰色）与重新起算预测（蓝色）的分位区间，黑点为实际数。",
        "The indicators' probabilities, and per fund the base-year projection (grey) beside the re-based one (blue), actual figures as black dots.",
    );
    c.charts(intro, &["indicators", "evaluation"]);

    c.h1(c.t("三、回测与重新起算", "3. Back-test and re-basing"));
    backtest_table(c, &rows);
    rebase_table(c, &rows, rebase_year);
    if !caveats.is_empty() {
        c.h2(c.t("注意事项", "Caveats"));
        c.bullets(caveats);
    }

    if let Some(s) = &rebased {
        c.h1(&if zh {
            format!("四、重新起算的分年度预测（{}—{}年）", s.base(), s.horizon())
        } else {
            format!(
                "4. Re-based projection by year, {}–{}",
                s.base(),
                s.horizon()
            )
        });
        let cap = c
            .t(
                "规划年份预警等级（重新起算）",
                "Warning levels in the plan years (re-based)",
            )
            .to_string();
        levels_table(c, s, &qs, cap);
        for f in ["employee", "resident", "combined"] {
            c.h2(&fund(f, c.lang));
            year_table(c, s, f, &qs);
        }
    }

    c.h1(if rebased.is_some() {
        c.t("五、依据与假设", "5. Sources and assumptions")
    } else {
        c.t("四、依据与假设", "4. Sources and assumptions")
    });
    seeds_table(c, &inds);
    if m["parameters"].is_object() {
        let base = rebased.as_ref().map_or(0, |s| s.base());
        let cap = c
            .t(
                "重新起算情景的参数与来源",
                "Parameters and sources of the re-based scenario",
            )
            .to_string();
        assumptions_table(c, &m["parameters"], base, &cap);
    }
    c.h2(c.t("方法", "Method"));
    c.bullets(if zh {
        vec![
            "回测：以基期情景从基期年起模拟，把每个实际数放到同年各路径的分布中，给出中位数、P5–P95 区间和百分位秩。".to_string(),
            "重新起算：以最新实际数（人口、结余、支出、参保人数）替换基期情景在该年的状态，其余假设沿用；没有实际数的项目取原预测中心路径的值（见注意事项）。".to_string(),
            format!(
                "状态：已有实际数违反目标为“未达标”；期满且实际数达到为“已达标”；否则按重新起算预测的达标概率 p 判断：p ≥ {} 为“预计达标”，{} ≤ p < {} 为“有风险”，以下为“预计未达标”；由情景输入决定的指标为“按假设”。",
                pct(m["rebased"]["thresholds"]["on_track"].as_f64(), 0),
                pct(m["rebased"]["thresholds"]["at_risk"].as_f64(), 0),
                pct(m["rebased"]["thresholds"]["on_track"].as_f64(), 0)
            ),
        ]
    } else {
        vec![
            "Back-test: the base scenario simulated from its base year; each actual figure placed among the paths of its year: median, P5–P95 band and percentile rank.".to_string(),
            "Re-basing: the latest actual figures (population, balances, spending, members) replace the base scenario's state in that year; other assumptions carry on; where no actual figure exists the central path's value is used (see the caveats).".to_string(),
            format!(
                "Status: missed when an actual figure already breaks the target; achieved when the period is over and the actual figures meet it; otherwise from the re-based probability p: on track when p ≥ {}, at risk when {} ≤ p < {}, off track below; by assumption for an indicator set by a scenario input.",
                pct(m["rebased"]["thresholds"]["on_track"].as_f64(), 0),
                pct(m["rebased"]["thresholds"]["at_risk"].as_f64(), 0),
                pct(m["rebased"]["thresholds"]["on_track"].as_f64(), 0)
            ),
        ]
    });
    c.reproduction(if rebased.is_some() {
        c.t("六、复现信息", "6. Reproduction")
    } else {
        c.t("五、复现信息", "5. Reproduction")
    });
    Ok(())
}

fn ind_value(i: &Ind, v: Option<f64>, zh: bool) -> String {
    match (v, i.metric.as_str()) {
        (None, _) => "—".into(),
        (Some(v), m) if !m.is_empty() && crate::evaluation::actuals::quantity(m).is_some() => {
            display(m, v)
        }
        // A scenario input: a rate, or yuan per person (premium, subsidy).
        (Some(v), m) => {
            if v.abs() <= 1.0 {
                pct(Some(v), 1)
            } else if m.ends_with("premium") || m.ends_with("subsidy") {
                format!("{} {}", num(v, 2), if zh { "元" } else { "yuan" })
            } else {
                num(v, 2)
            }
        }
    }
}

fn ind_table(c: &mut Ctx, inds: &[Ind], status: &dyn Fn(&Ind) -> Option<Status>) {
    let zh = c.zh();
    let rows: Vec<Vec<Cell>> = inds
        .iter()
        .map(|i| {
            let st = status(i);
            let fill = st.map(|s| match s {
                Status::Achieved | Status::OnTrack => "CCEBDD",
                Status::AtRisk => "FBE5B6",
                Status::OffTrack | Status::Missed => "F6CBB6",
                _ => "E8E8E8",
            });
            let prob = i.val("probability").map_or("—".to_string(), |p| {
                format!(
                    "{} ± {}",
                    pct(Some(p), 1),
                    num(100.0 * i.val("probability_se").unwrap_or(0.0), 1)
                )
            });
            let last = match (i.val("p50"), i.last_year) {
                (Some(_), Some(y)) => format!(
                    "{y}: {} ({}–{})",
                    ind_value(i, i.val("p50"), zh),
                    ind_value(i, i.val("p10"), zh),
                    ind_value(i, i.val("p90"), zh)
                ),
                _ => i
                    .val("input_value")
                    .map_or("—".into(), |v| ind_value(i, Some(v), zh)),
            };
            vec![
                Cell::from(if zh {
                    i.text("name")
                } else {
                    i.text("name_en")
                }),
                Cell::from(crate::evaluation::report::kind_label(i.text("kind"), !zh)),
                Cell::from(i.text("threshold")),
                Cell {
                    text: st.map_or("—".into(), |s| {
                        if zh {
                            s.zh().to_string()
                        } else {
                            s.en().to_string()
                        }
                    }),
                    fill: fill.map(str::to_string),
                    bold: true,
                },
                Cell::from(prob),
                Cell::from(pct(i.val("probability_previous"), 1)),
                Cell::from(last),
            ]
        })
        .collect();
    let cols: Cols = vec![
        (c.t("指标", "Indicator"), Align::Left, 22.0),
        (c.t("属性", "Kind"), Align::Center, 9.0),
        (c.t("目标", "Target"), Align::Left, 21.0),
        (c.t("状态", "Status"), Align::Center, 11.0),
        (
            c.t("达标概率\n± 标准误", "P(met)\n± SE"),
            Align::Right,
            11.0,
        ),
        (
            c.t("基期预测\n的概率", "Base-year\nP(met)"),
            Align::Right,
            9.0,
        ),
        (
            c.t("末年中位数\n（P10–P90）", "Last year: median\n(P10–P90)"),
            Align::Right,
            17.0,
        ),
    ];
    let note = c.t(
        "达标概率：重新起算预测中，目标期剩余年份均满足目标的路径比例；基期预测的概率为基期年起算预测在整个目标期的达标比例。",
        "P(met): the share of re-based paths meeting the target in every remaining year of the period; base-year P(met): the same on the base-year projection over the whole period.",
    ).to_string();
    let cap = c.t("规划指标评估", "Plan indicators").to_string();
    c.table(&cap, &cols, rows, Some(note));
}

fn backtest_table(c: &mut Ctx, rows: &[Row]) {
    let zh = c.zh();
    // (fund, year, metric) in file order.
    let mut keys: Vec<(String, i32, String)> = Vec::new();
    type Key = (String, i32, String, String);
    let mut v: BTreeMap<Key, (Option<f64>, String)> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.section == "backtest") {
        let Some(y) = r.year else { continue };
        let k = (r.fund.clone(), y, r.metric.clone());
        if !keys.contains(&k) {
            keys.push(k.clone());
        }
        v.insert((k.0, k.1, k.2, r.stat.clone()), (r.value, r.text.clone()));
    }
    if keys.is_empty() {
        return;
    }
    let out: Vec<Vec<Cell>> = keys
        .iter()
        .map(|(f, y, m)| {
            let g = |s: &str| {
                v.get(&(f.clone(), *y, m.clone(), s.to_string()))
                    .and_then(|x| x.0)
            };
            let d = |s: &str| g(s).map_or("—".into(), |x| display(m, x));
            let inside = g("inside_p5_p95") == Some(1.0);
            vec![
                Cell::from(fund_name(f, !zh)),
                Cell::from(
                    format!("{}（{}）", metric_label(m, !zh), unit_label(m, !zh))
                        .replace('（', if zh { "（" } else { " (" })
                        .replace('）', if zh { "）" } else { ")" }),
                ),
                Cell::from(y.to_string()),
                Cell::from(d("actual")),
                Cell::from(d("p50")),
                Cell::from(format!("{} – {}", d("p05"), d("p95"))),
                Cell::from(g("rank").map_or("—".into(), |r| num(r, 3))),
                Cell {
                    text: if inside {
                        c.t("是", "yes")
                    } else {
                        c.t("否", "no")
                    }
                    .to_string(),
                    fill: (!inside).then(|| "F6CBB6".to_string()),
                    bold: false,
                },
            ]
        })
        .collect();
    let cols: Cols = vec![
        (c.t("基金", "Fund"), Align::Left, 17.0),
        (c.t("指标", "Figure"), Align::Left, 20.0),
        (c.t("年份", "Year"), Align::Center, 7.0),
        (c.t("实际数", "Actual"), Align::Right, 11.0),
        (c.t("预测中位数", "Median"), Align::Right, 11.0),
        (c.t("P5 – P95", "P5 – P95"), Align::Right, 18.0),
        (c.t("百分位秩", "Rank"), Align::Right, 8.0),
        (c.t("落入区间", "Inside"), Align::Center, 8.0),
    ];
    let note = c.t(
        "百分位秩：实际数在预测路径中的位置（0.5 为中位数，接近 0 或 1 表示预测明显偏高或偏低）。实际数的来源见 evaluation.csv。",
        "Rank: where the actual figure falls among the paths (0.5 = the median; near 0 or 1: the projection was clearly too high or too low). Sources of the actual figures are in evaluation.csv.",
    ).to_string();
    let cap = c
        .t("基期预测回测", "Back-test of the base-year projection")
        .to_string();
    c.table(&cap, &cols, out, Some(note));
}

fn rebase_table(c: &mut Ctx, rows: &[Row], year: Option<i64>) {
    let mut keys: Vec<String> = Vec::new();
    let mut v: BTreeMap<(String, String), (Option<f64>, String)> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.section == "rebase" && r.id != "year" && r.id != "caveat")
    {
        if !keys.contains(&r.id) {
            keys.push(r.id.clone());
        }
        v.insert((r.id.clone(), r.stat.clone()), (r.value, r.text.clone()));
    }
    if keys.is_empty() {
        return;
    }
    let show = |k: &str, x: Option<f64>| -> String {
        let Some(x) = x else { return "—".into() };
        if k.ends_with("balance") || k.ends_with("spending") {
            num(x / 1e8, 2)
        } else if x.abs() < 10.0 {
            num(x, 4)
        } else {
            num(x, 0)
        }
    };
    let out: Vec<Vec<Cell>> = keys
        .iter()
        .map(|k| {
            let (nv, src) = v
                .get(&(k.clone(), "value".into()))
                .cloned()
                .unwrap_or((None, String::new()));
            let pv = v.get(&(k.clone(), "previous".into())).and_then(|x| x.0);
            vec![
                Cell::from(k.as_str()),
                Cell::from(show(k, pv)),
                Cell::from(show(k, nv)),
                Cell::from(src),
            ]
        })
        .collect();
    let cols: Cols = vec![
        (c.t("参数", "Parameter"), Align::Left, 24.0),
        (c.t("原值", "Before"), Align::Right, 12.0),
        (c.t("重新起算值", "Re-based"), Align::Right, 12.0),
        (c.t("来源", "Source"), Align::Left, 52.0),
    ];
    let cap = if c.zh() {
        format!(
            "重新起算（{}年）替换的参数",
            year.map_or("—".into(), |y| y.to_string())
        )
    } else {
        format!(
            "Parameters replaced at re-basing ({})",
            year.map_or("—".into(), |y| y.to_string())
        )
    };
    let note = c.t("结余与支出单位为亿元，缴费基数和养老金为元/年。", "Balances and spending in 100 million yuan; contribution base and pension in yuan a year.").to_string();
    c.table(&cap, &cols, out, Some(note));
}

fn seeds_table(c: &mut Ctx, inds: &[Ind]) {
    let zh = c.zh();
    let rows: Vec<Vec<Cell>> = inds
        .iter()
        .map(|i| {
            let note = if zh {
                i.text("note")
            } else {
                i.text("note_en")
            };
            vec![
                Cell::from(if zh {
                    i.text("name")
                } else {
                    i.text("name_en")
                }),
                Cell::from(i.text("seed")),
                Cell::from(note),
            ]
        })
        .collect();
    let cols: Cols = vec![
        (c.t("指标", "Indicator"), Align::Left, 20.0),
        (
            c.t("规划依据（文件与原文）", "Plan source (file and quote)"),
            Align::Left,
            40.0,
        ),
        (c.t("说明", "Note"), Align::Left, 40.0),
    ];
    let cap = c
        .t("指标的规划依据", "Where each indicator comes from")
        .to_string();
    c.table(&cap, &cols, rows, None);
}
