//! Workbooks (`*.xlsx`) for checking the numbers in Excel or WPS (issue 10): written by every
//! run (`summary.xlsx`), compare (`compare.xlsx`), sweep (`sweep.xlsx`) and evaluate
//! (`evaluation.xlsx`). Each data sheet has a frozen header row with units, numbers stored as
//! numbers with display formats (亿元 with two decimals, months with one, percentages), and
//! every workbook has an assumptions/sources sheet where the folder has one and a manifest
//! sheet. The same inputs give the same bytes (document date from the manifest).

use super::content::{Summary, quantile_stat};
use crate::export::TidyRow;
use crate::warning::Tier;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// Display formats of the workbook.
struct Fmt {
    head: Format,
    text: Format,
    wrap: Format,
    yi: Format,
    months: Format,
    pct: Format,
    int: Format,
    num: Format,
}

impl Fmt {
    fn new() -> Fmt {
        let base = Format::new()
            .set_font_name("Microsoft YaHei")
            .set_font_size(10);
        Fmt {
            head: base
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color("E8E8E8")
                .set_border_bottom(FormatBorder::Thin),
            text: base.clone(),
            wrap: base.clone().set_text_wrap().set_align(FormatAlign::Top),
            yi: base.clone().set_num_format("#,##0.00"),
            months: base.clone().set_num_format("0.0"),
            pct: base.clone().set_num_format("0.0%"),
            int: base.clone().set_num_format("0"),
            num: base.set_num_format("General"),
        }
    }
}

/// How a column's numbers are shown.
#[derive(Clone, Copy)]
enum Col {
    Yi,
    Months,
    Pct,
    Int,
    Num,
}

type R<T> = Result<T, XlsxError>;

fn new_book(manifest: &serde_json::Value, title: &str) -> Workbook {
    let mut wb = Workbook::new();
    let date = manifest["date"].as_str().unwrap_or("1980-01-01");
    let p = |a: usize, b: usize| date.get(a..b).and_then(|s| s.parse::<u16>().ok());
    let dt = match (p(0, 4), p(5, 7), p(8, 10)) {
        (Some(y), Some(m), Some(d)) => ExcelDateTime::from_ymd(y, m as u8, d as u8).ok(),
        _ => None,
    }
    .unwrap_or_else(|| ExcelDateTime::from_ymd(1980, 1, 1).expect("valid date"));
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author(format!("fundsim {}", env!("CARGO_PKG_VERSION")))
            .set_creation_datetime(&dt),
    );
    wb
}

/// A header row at `row` with wrapped text, widths per column, frozen below it.
fn header(ws: &mut Worksheet, f: &Fmt, row: u32, cols: &[(&str, f64)]) -> R<()> {
    for (i, (h, w)) in cols.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &f.head)?;
        ws.set_column_width(i as u16, *w)?;
    }
    ws.set_row_height(row, 66)?;
    ws.set_freeze_panes(row + 1, 1)?;
    // Printed: A4 landscape, as wide as one page.
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

fn put(ws: &mut Worksheet, f: &Fmt, row: u32, col: u16, v: Option<f64>, kind: Col) -> R<()> {
    let Some(v) = v.filter(|v| v.is_finite()) else {
        return Ok(());
    };
    let (v, fmt) = match kind {
        Col::Yi => (v / 1e8, &f.yi),
        Col::Months => (v, &f.months),
        Col::Pct => (v, &f.pct),
        Col::Int => (v, &f.int),
        Col::Num => (v, &f.num),
    };
    ws.write_number_with_format(row, col, v, fmt)?;
    Ok(())
}

fn tier_words(t: Tier) -> String {
    format!(
        "{} {}",
        t.label_zh(),
        crate::chart::tier_label(t, crate::chart::Lang::En).to_lowercase()
    )
}

/// The fund sheets of a summary: one per fund, years as rows.
fn fund_sheets(wb: &mut Workbook, f: &Fmt, s: &Summary, qs: &str) -> R<()> {
    for (fund, name) in [
        ("employee", "职工 employee"),
        ("resident", "居民 resident"),
        ("combined", "合计 combined"),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        // (header, width, metric, stat, format)
        let mut cols: Vec<(String, f64, &str, String, Col)> =
            vec![("年份\nYear".into(), 7.0, "", String::new(), Col::Int)];
        if s.mc {
            for (m, zh, en, kind) in [
                ("income", "基金收入", "Income", Col::Yi),
                ("spending", "基金支出", "Spending", Col::Yi),
                ("net_flow", "当期结余", "Net flow", Col::Yi),
                ("balance", "累计结余", "Balance", Col::Yi),
                (
                    "months_reserve",
                    "可支付月数",
                    "Months of reserve",
                    Col::Months,
                ),
                ("spending_growth", "支出增长率", "Spending growth", Col::Pct),
            ] {
                let stats: &[(&str, &str)] = if matches!(m, "income" | "spending" | "net_flow") {
                    &[("p50", "中位数 median")]
                } else {
                    &[("p10", "P10"), ("p50", "中位数 median"), ("p90", "P90")]
                };
                let unit = match kind {
                    Col::Yi => "（亿元 100m yuan）",
                    Col::Months => "（个月 months）",
                    _ => "（%）",
                };
                for (st, sl) in stats {
                    cols.push((
                        format!("{zh} {sl}{unit}\n{en}"),
                        13.0,
                        m,
                        st.to_string(),
                        kind,
                    ));
                }
            }
            for t in Tier::ALL {
                cols.push((
                    format!("等级概率 {}\nP({})", t.label_zh(), t.name()),
                    10.0,
                    "tier_prob",
                    t.name().to_string(),
                    Col::Pct,
                ));
            }
            cols.push((
                "累计穿底概率\nP(depleted by year)".into(),
                12.0,
                "depleted_by",
                "mean".into(),
                Col::Pct,
            ));
            cols.push((
                "支出增长超警戒线概率\nP(growth ≥ line)".into(),
                12.0,
                "growth_breach_prob",
                "mean".into(),
                Col::Pct,
            ));
            cols.push((
                "当期赤字概率\nP(deficit)".into(),
                11.0,
                "deficit",
                "mean".into(),
                Col::Pct,
            ));
        }
        for (m, zh, en, kind) in [
            (
                "balance",
                "中心路径 累计结余（亿元）",
                "Central path: balance",
                Col::Yi,
            ),
            (
                "months_reserve",
                "中心路径 可支付月数（个月）",
                "Central path: months",
                Col::Months,
            ),
            (
                "spending_growth",
                "中心路径 支出增长率（%）",
                "Central path: growth",
                Col::Pct,
            ),
        ] {
            cols.push((format!("{zh}\n{en}"), 13.0, m, "value".into(), kind));
        }
        let heads: Vec<(&str, f64)> = cols.iter().map(|c| (c.0.as_str(), c.1)).collect();
        let n = heads.len() as u16;
        header(ws, f, 0, &heads)?;
        ws.write_string_with_format(0, n, "预警等级\nWarning level", &f.head)?;
        ws.set_column_width(n, 16)?;
        for (r, &y) in s.years.iter().enumerate() {
            let row = r as u32 + 1;
            ws.write_number_with_format(row, 0, f64::from(y), &f.int)?;
            for (i, (_, _, m, st, kind)) in cols.iter().enumerate().skip(1) {
                put(ws, f, row, i as u16, s.get(fund, y, m, st), *kind)?;
            }
            if let Some(t) = s.level(fund, y, qs) {
                ws.write_string_with_format(row, n, tier_words(t), &f.text)?;
            }
        }
    }
    Ok(())
}

/// Population and members (万人).
fn population_sheet(wb: &mut Workbook, f: &Fmt, s: &Summary) -> R<()> {
    let ws = wb.add_worksheet();
    ws.set_name("人口 population")?;
    let cols = [
        (
            "region",
            "population",
            "常住人口（万人）\nPopulation (10,000)",
        ),
        (
            "region",
            "aged_60_plus",
            "60岁及以上（万人）\nAged 60+ (10,000)",
        ),
        (
            "employee",
            "actives",
            "职工在职（万人）\nActive members (10,000)",
        ),
        (
            "employee",
            "retirees",
            "职工退休（万人）\nRetired members (10,000)",
        ),
        (
            "resident",
            "residents",
            "居民参保（万人）\nResident members (10,000)",
        ),
    ];
    let mut heads = vec![("年份\nYear", 7.0)];
    heads.extend(cols.iter().map(|c| (c.2, 16.0)));
    header(ws, f, 0, &heads)?;
    let fmt = Format::new()
        .set_font_name("Microsoft YaHei")
        .set_font_size(10)
        .set_num_format("#,##0.0");
    for (r, &y) in s.years.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_number_with_format(row, 0, f64::from(y), &f.int)?;
        for (i, (fund, m, _)) in cols.iter().enumerate() {
            if let Some(v) = s.central(fund, y, m) {
                ws.write_number_with_format(row, i as u16 + 1, v / 1e4, &fmt)?;
            }
        }
    }
    Ok(())
}

/// The assumptions sheet: every parameter per year with its source.
fn assumptions_sheet(wb: &mut Workbook, f: &Fmt, per_year: &serde_json::Value, base: i32) -> R<()> {
    let Some(obj) = per_year.as_object() else {
        return Ok(());
    };
    let ws = wb.add_worksheet();
    ws.set_name("假设与来源 assumptions")?;
    let years = obj
        .values()
        .filter_map(|p| p["values"].as_array().map(Vec::len))
        .max()
        .unwrap_or(0);
    let ys: Vec<String> = (0..years).map(|j| (base + j as i32).to_string()).collect();
    let mut heads: Vec<(&str, f64)> = vec![("参数\nParameter", 34.0), ("类别\nKind", 12.0)];
    heads.extend(ys.iter().map(|y| (y.as_str(), 10.0)));
    heads.push(("来源\nSource", 90.0));
    header(ws, f, 0, &heads)?;
    for (r, (k, p)) in obj.iter().enumerate() {
        let row = r as u32 + 1;
        let source = p["source"].as_str().unwrap_or("");
        use super::content::SourceClass;
        let kind = match super::content::source_class(source) {
            SourceClass::Assumption => "假设 assumption",
            SourceClass::Partly => "部分假设 partly assumed",
            SourceClass::Derived => "推算 derived",
            SourceClass::Model => "模型设定 model rule",
            SourceClass::Published => "公布 published",
        };
        ws.write_string_with_format(row, 0, k, &f.text)?;
        ws.write_string_with_format(row, 1, kind, &f.text)?;
        for (j, v) in p["values"].as_array().into_iter().flatten().enumerate() {
            if let Some(v) = v.as_f64() {
                ws.write_number_with_format(row, 2 + j as u16, v, &f.num)?;
            }
        }
        ws.write_string_with_format(row, 2 + years as u16, source, &f.text)?;
    }
    Ok(())
}

/// The manifest sheet: every scalar field, then the input files with SHA-256.
fn manifest_sheet(wb: &mut Workbook, f: &Fmt, m: &serde_json::Value) -> R<()> {
    let ws = wb.add_worksheet();
    ws.set_name("manifest")?;
    header(ws, f, 0, &[("字段\nField", 26.0), ("值\nValue", 100.0)])?;
    let mut row = 1;
    if let Some(obj) = m.as_object() {
        for (k, v) in obj {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Array(a) if a.iter().all(|x| x.is_string()) => a
                    .iter()
                    .filter_map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => continue,
            };
            ws.write_string_with_format(row, 0, k, &f.text)?;
            ws.write_string_with_format(row, 1, &text, &f.wrap)?;
            row += 1;
        }
    }
    for i in m["inputs"].as_array().into_iter().flatten() {
        ws.write_string_with_format(row, 0, "input", &f.text)?;
        ws.write_string_with_format(
            row,
            1,
            format!(
                "{}  sha256 {}",
                i["name"].as_str().unwrap_or(""),
                i["sha256"].as_str().unwrap_or("")
            ),
            &f.text,
        )?;
        row += 1;
    }
    Ok(())
}

fn finish(mut wb: Workbook) -> Result<Vec<u8>, String> {
    wb.save_to_buffer().map_err(|e| format!("xlsx: {e}"))
}

/// `summary.xlsx` of a run: one sheet per fund, population, assumptions, manifest.
pub fn run_workbook(rows: &[TidyRow], manifest: &serde_json::Value) -> Result<Vec<u8>, String> {
    let s = Summary::from_rows(rows);
    let q = manifest["resolved"]["scenario"]["warning"]["confidence"]
        .as_f64()
        .unwrap_or(0.1);
    let f = Fmt::new();
    let mut wb = new_book(manifest, "fundsim summary");
    (|| -> R<()> {
        fund_sheets(&mut wb, &f, &s, &quantile_stat(q))?;
        population_sheet(&mut wb, &f, &s)?;
        assumptions_sheet(&mut wb, &f, &manifest["resolved"]["per_year"], s.base())?;
        manifest_sheet(&mut wb, &f, manifest)
    })()
    .map_err(|e| format!("xlsx: {e}"))?;
    finish(wb)
}

/// `compare.xlsx`: the side-by-side table (value, difference from the first option, SE of
/// the difference per option), and the manifest.
pub fn compare_workbook(
    c: &crate::decision::compare::Comparison,
    manifest: &serde_json::Value,
) -> Result<Vec<u8>, String> {
    let f = Fmt::new();
    let mut wb = new_book(manifest, "fundsim compare");
    let mut options: Vec<&str> = Vec::new();
    let mut keys: Vec<(&str, Option<i32>, &str)> = Vec::new();
    for r in &c.rows {
        if !options.contains(&r.option.as_str()) {
            options.push(&r.option);
        }
        let k = (r.fund.as_str(), r.year, r.indicator.as_str());
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    (|| -> R<()> {
        let ws = wb.add_worksheet();
        ws.set_name("对比 comparison")?;
        let heads_owned: Vec<String> = options
            .iter()
            .enumerate()
            .flat_map(|(k, o)| {
                if k == 0 {
                    vec![format!("{o}\n值 value")]
                } else {
                    vec![
                        format!("{o}\n值 value"),
                        format!("{o}\n差值 difference"),
                        format!("{o}\n差值标准误 SE"),
                    ]
                }
            })
            .collect();
        let mut heads: Vec<(&str, f64)> = vec![
            ("基金\nFund", 12.0),
            ("指标\nIndicator", 30.0),
            ("单位\nUnit", 12.0),
            ("年份\nYear", 8.0),
        ];
        heads.extend(heads_owned.iter().map(|h| (h.as_str(), 16.0)));
        header(ws, &f, 0, &heads)?;
        ws.set_freeze_panes(1, 4)?;
        for (r, (fund, year, ind)) in keys.iter().enumerate() {
            let row = r as u32 + 1;
            let (unit, kind) = match *ind {
                "median_months" => ("个月 months", Col::Months),
                "p_below_line" | "p_depleted_by_horizon" => ("%", Col::Pct),
                "first_year_below_reasonable" => ("年 year", Col::Int),
                _ => ("亿元 100m yuan", Col::Num),
            };
            ws.write_string_with_format(row, 0, *fund, &f.text)?;
            ws.write_string_with_format(row, 1, *ind, &f.text)?;
            ws.write_string_with_format(row, 2, unit, &f.text)?;
            if let Some(y) = year {
                ws.write_number_with_format(row, 3, f64::from(*y), &f.int)?;
            }
            let mut col = 4u16;
            for (k, o) in options.iter().enumerate() {
                let x = c.rows.iter().find(|x| {
                    x.option == *o && x.fund == *fund && x.year == *year && x.indicator == *ind
                });
                let (v, d, se) =
                    x.map_or((f64::NAN, f64::NAN, f64::NAN), |x| (x.value, x.diff, x.se));
                // Cumulative sums are already in 亿元: two decimals.
                let kind2 = if matches!(kind, Col::Num) {
                    Col::Num
                } else {
                    kind
                };
                let put_num = |ws: &mut Worksheet, col: u16, v: f64| -> R<()> {
                    if !v.is_finite() {
                        return Ok(());
                    }
                    let fmt = match kind2 {
                        Col::Months => &f.months,
                        Col::Pct => &f.pct,
                        Col::Int => &f.int,
                        _ => &f.yi,
                    };
                    ws.write_number_with_format(row, col, v, fmt)?;
                    Ok(())
                };
                put_num(ws, col, v)?;
                col += 1;
                if k > 0 {
                    put_num(ws, col, d)?;
                    put_num(ws, col + 1, se)?;
                    col += 2;
                }
            }
        }
        manifest_sheet(&mut wb, &f, manifest)
    })()
    .map_err(|e| format!("xlsx: {e}"))?;
    finish(wb)
}

/// `sweep.xlsx`: the grid as a list (one row per point) and, for two axes, as a matrix;
/// and the manifest.
pub fn sweep_workbook(
    g: &crate::decision::sweep::Grid,
    manifest: &serde_json::Value,
) -> Result<Vec<u8>, String> {
    let f = Fmt::new();
    let mut wb = new_book(manifest, "fundsim sweep");
    (|| -> R<()> {
        let ws = wb.add_worksheet();
        ws.set_name("网格 grid")?;
        let mut heads: Vec<(&str, f64)> = g.axes.iter().map(|a| (a.key.as_str(), 26.0)).collect();
        let mhead = format!("{}\n值 value", g.measure);
        heads.push((mhead.as_str(), 30.0));
        heads.push(("标准误\nSE", 12.0));
        header(ws, &f, 0, &heads)?;
        let n2 = g.axes.get(1).map_or(1, |a| a.values.len());
        for (idx, e) in g.values.iter().enumerate() {
            let row = idx as u32 + 1;
            let (i, k) = (idx / n2, idx % n2);
            ws.write_number_with_format(row, 0, g.axes[0].values[i], &f.num)?;
            let mut col = 1;
            if let Some(a) = g.axes.get(1) {
                ws.write_number_with_format(row, 1, a.values[k], &f.num)?;
                col = 2;
            }
            put(ws, &f, row, col, Some(e.value), Col::Num)?;
            put(ws, &f, row, col + 1, Some(e.se), Col::Num)?;
        }
        if let Some(a2) = g.axes.get(1) {
            let ws = wb.add_worksheet();
            ws.set_name("矩阵 matrix")?;
            let corner = format!("{} ↓ / {} →", g.axes[0].key, a2.key);
            ws.write_string_with_format(0, 0, &corner, &f.head)?;
            ws.set_column_width(0, 30)?;
            for (k, v) in a2.values.iter().enumerate() {
                ws.write_number_with_format(0, k as u16 + 1, *v, &f.head)?;
                ws.set_column_width(k as u16 + 1, 11)?;
            }
            ws.set_freeze_panes(1, 1)?;
            for (i, v) in g.axes[0].values.iter().enumerate() {
                ws.write_number_with_format(i as u32 + 1, 0, *v, &f.head)?;
                for k in 0..a2.values.len() {
                    put(
                        ws,
                        &f,
                        i as u32 + 1,
                        k as u16 + 1,
                        Some(g.at(i, k).value),
                        Col::Num,
                    )?;
                }
            }
        }
        manifest_sheet(&mut wb, &f, manifest)
    })()
    .map_err(|e| format!("xlsx: {e}"))?;
    finish(wb)
}

/// `evaluation.xlsx`: the indicator table (one row per indicator, the statistics as
/// columns), the back-test (one row per actual figure), the re-basing, the re-based
/// projection's fund sheets when given, and the manifest. `csv` is `evaluation.csv`.
pub fn evaluation_workbook(
    csv: &str,
    rebased: Option<&[TidyRow]>,
    manifest: &serde_json::Value,
) -> Result<Vec<u8>, String> {
    let f = Fmt::new();
    let mut wb = new_book(manifest, "fundsim evaluation");
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let recs: Vec<Vec<String>> = r
        .records()
        .filter_map(Result::ok)
        .map(|x| x.iter().map(str::to_string).collect())
        .collect();
    (|| -> R<()> {
        // Indicators: one row each.
        let ws = wb.add_worksheet();
        ws.set_name("指标 indicators")?;
        let stats: [(&str, &str, Option<Col>); 16] = [
            ("name", "指标\nIndicator", None),
            ("name_en", "Indicator (English)", None),
            ("kind", "属性\nKind", None),
            ("threshold", "目标\nTarget", None),
            ("status", "状态\nStatus", None),
            ("probability", "达标概率\nP(met)", Some(Col::Pct)),
            ("probability_se", "标准误\nSE", Some(Col::Pct)),
            (
                "probability_previous",
                "基期预测概率\nBase-year P(met)",
                Some(Col::Pct),
            ),
            ("probability_previous_se", "标准误\nSE", Some(Col::Pct)),
            ("p50", "末年中位数\nLast-year median", Some(Col::Num)),
            ("p10", "P10", Some(Col::Num)),
            ("p90", "P90", Some(Col::Num)),
            ("input_value", "情景输入值\nInput value", Some(Col::Num)),
            ("first_year", "首年\nFirst year", Some(Col::Int)),
            ("note", "说明\nNote", None),
            ("seed", "规划依据\nPlan source", None),
        ];
        let mut heads: Vec<(&str, f64)> = vec![
            ("编号\nid", 22.0),
            ("基金\nFund", 10.0),
            ("口径\nMetric", 16.0),
        ];
        heads.extend(
            stats
                .iter()
                .map(|s| (s.1, if s.2.is_some() { 12.0 } else { 24.0 })),
        );
        header(ws, &f, 0, &heads)?;
        let mut ids: Vec<&str> = Vec::new();
        for x in recs.iter().filter(|x| x[0] == "indicator") {
            if !ids.contains(&x[1].as_str()) {
                ids.push(&x[1]);
            }
        }
        for (k, id) in ids.iter().enumerate() {
            let row = k as u32 + 1;
            let mine: Vec<&Vec<String>> = recs
                .iter()
                .filter(|x| x[0] == "indicator" && x[1] == *id)
                .collect();
            ws.write_string_with_format(row, 0, *id, &f.text)?;
            ws.write_string_with_format(row, 1, &mine[0][2], &f.text)?;
            ws.write_string_with_format(row, 2, &mine[0][4], &f.text)?;
            for (j, (stat, _, kind)) in stats.iter().enumerate() {
                let Some(x) = mine.iter().find(|x| x[5] == *stat) else {
                    continue;
                };
                let col = 3 + j as u16;
                match kind {
                    Some(kd) => put(ws, &f, row, col, x[6].parse().ok(), *kd)?,
                    None if *stat == "status" => {
                        let s = x[6]
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| crate::evaluation::plan::Status::ALL.get(i).copied());
                        if let Some(s) = s {
                            ws.write_string_with_format(
                                row,
                                col,
                                format!("{} {}", s.zh(), s.en()),
                                &f.text,
                            )?;
                        }
                    }
                    None => {
                        let t = if x[7].is_empty() { &x[6] } else { &x[7] };
                        ws.write_string_with_format(row, col, t, &f.text)?;
                    }
                }
            }
        }
        // Back-test: one row per actual figure.
        let ws = wb.add_worksheet();
        ws.set_name("回测 backtest")?;
        let bstats = [
            "actual",
            "p05",
            "p25",
            "p50",
            "p75",
            "p95",
            "rank",
            "error",
            "relative_error",
            "inside_p5_p95",
            "inside_p25_p75",
        ];
        let mut heads: Vec<(&str, f64)> = vec![
            ("基金\nFund", 10.0),
            ("年份\nYear", 7.0),
            ("口径\nMetric", 16.0),
            ("单位\nUnit", 12.0),
        ];
        heads.extend(bstats.iter().map(|s| (*s, 13.0)));
        heads.push(("实际数来源\nSource", 60.0));
        header(ws, &f, 0, &heads)?;
        let mut keys: Vec<(&str, &str, &str)> = Vec::new();
        for x in recs.iter().filter(|x| x[0] == "backtest") {
            let k = (x[2].as_str(), x[3].as_str(), x[4].as_str());
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        for (k, (fund, year, metric)) in keys.iter().enumerate() {
            let row = k as u32 + 1;
            let q = crate::evaluation::actuals::quantity(metric);
            use crate::evaluation::actuals::Quantity;
            let (unit, scale, fmt) = match q {
                Some(Quantity::Money) => ("亿元", 1e-8, &f.yi),
                Some(Quantity::Persons) => ("万人", 1e-4, &f.yi),
                Some(Quantity::Months) => ("个月 months", 1.0, &f.months),
                _ => ("%", 1.0, &f.pct),
            };
            ws.write_string_with_format(row, 0, *fund, &f.text)?;
            if let Ok(y) = year.parse::<f64>() {
                ws.write_number_with_format(row, 1, y, &f.int)?;
            }
            ws.write_string_with_format(row, 2, *metric, &f.text)?;
            ws.write_string_with_format(row, 3, unit, &f.text)?;
            for (j, st) in bstats.iter().enumerate() {
                let Some(x) = recs.iter().find(|x| {
                    x[0] == "backtest"
                        && x[2] == *fund
                        && x[3] == *year
                        && x[4] == *metric
                        && x[5] == *st
                }) else {
                    continue;
                };
                let Ok(v) = x[6].parse::<f64>() else { continue };
                let col = 4 + j as u16;
                match *st {
                    "rank" | "inside_p5_p95" | "inside_p25_p75" => {
                        ws.write_number_with_format(row, col, v, &f.num)?
                    }
                    "relative_error" => ws.write_number_with_format(row, col, v, &f.pct)?,
                    _ => ws.write_number_with_format(row, col, v * scale, fmt)?,
                };
                if *st == "actual" {
                    ws.write_string_with_format(row, 4 + bstats.len() as u16, &x[7], &f.text)?;
                }
            }
        }
        // Re-basing.
        let ws = wb.add_worksheet();
        ws.set_name("重新起算 rebase")?;
        header(
            ws,
            &f,
            0,
            &[
                ("参数\nKey", 30.0),
                ("年份\nYear", 7.0),
                ("项\nStat", 10.0),
                ("值\nValue", 20.0),
                ("来源或说明\nSource or note", 90.0),
            ],
        )?;
        for (k, x) in recs.iter().filter(|x| x[0] == "rebase").enumerate() {
            let row = k as u32 + 1;
            ws.write_string_with_format(row, 0, &x[1], &f.text)?;
            if let Ok(y) = x[3].parse::<f64>() {
                ws.write_number_with_format(row, 1, y, &f.int)?;
            }
            ws.write_string_with_format(row, 2, &x[5], &f.text)?;
            if let Ok(v) = x[6].parse::<f64>() {
                ws.write_number_with_format(row, 3, v, &f.num)?;
            }
            ws.write_string_with_format(row, 4, &x[7], &f.text)?;
        }
        if let Some(rows) = rebased {
            let s = Summary::from_rows(rows);
            let q = manifest["warning"]["confidence"].as_f64().unwrap_or(0.1);
            fund_sheets(&mut wb, &f, &s, &quantile_stat(q))?;
            if manifest["parameters"].is_object() {
                assumptions_sheet(&mut wb, &f, &manifest["parameters"], s.base())?;
            }
        }
        manifest_sheet(&mut wb, &f, manifest)
    })()
    .map_err(|e| format!("xlsx: {e}"))?;
    finish(wb)
}
