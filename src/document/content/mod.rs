//! The contents of a report, read from an output folder's files (issue 10): a run folder
//! (`summary.csv`, `manifest.json`), a compare folder (`compare.csv`) or an evaluation folder
//! (`evaluation.csv`, `rebased/summary.csv`). Nothing is simulated; every number is one of
//! the folder's, shown in 亿元, 万人, months or percent; sentences are generated from them.

mod compare;
mod evaluation;
mod run;

use super::{Align, Block, Cell, Document, Figure, Lang, Table, tr};
use crate::export::TidyRow;
use crate::warning::Tier;
use std::collections::HashMap;
use std::path::Path;

/// What kind of output folder a report is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `fundsim run`.
    Run,
    /// `fundsim compare`.
    Compare,
    /// `fundsim evaluate`.
    Evaluation,
}

/// The kind of the output folder `dir`, from the files it holds.
pub fn kind(dir: &Path) -> Result<Kind, String> {
    if !dir.join("manifest.json").is_file() {
        return Err(format!(
            "{}: no manifest.json; expected the output folder of fundsim run, compare or evaluate",
            dir.display()
        ));
    }
    if dir.join("evaluation.csv").is_file() {
        Ok(Kind::Evaluation)
    } else if dir.join("compare.csv").is_file() {
        Ok(Kind::Compare)
    } else if dir.join("summary.csv").is_file() {
        Ok(Kind::Run)
    } else {
        Err(format!(
            "{}: holds none of summary.csv, compare.csv, evaluation.csv; expected the output folder of fundsim run, compare or evaluate (sweep, solve, sensitivity and backtest folders have no report)",
            dir.display()
        ))
    }
}

/// The report of the output folder `dir` in `lang`.
pub fn build(dir: &Path, lang: Lang) -> Result<Document, String> {
    let manifest = read_json(&dir.join("manifest.json"))?;
    let mut c = Ctx::new(dir, lang, manifest);
    match kind(dir)? {
        Kind::Run => run::build(&mut c)?,
        Kind::Compare => compare::build(&mut c)?,
        Kind::Evaluation => evaluation::build(&mut c)?,
    }
    Ok(c.doc)
}

/// A JSON file.
pub(crate) fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not valid JSON ({e}); expected a fundsim manifest",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

/// A CSV file as records of strings, with its header.
pub(crate) fn read_records(path: &Path) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    let mut r = csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let head: Vec<String> = r
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| format!("{}:{}: {e}", path.display(), i + 2))?;
        rows.push(rec.iter().map(str::to_string).collect());
    }
    Ok((head, rows))
}

/// A CSV file whose header must be `want`.
pub(crate) fn read_table(path: &Path, want: &[&str]) -> Result<Vec<Vec<String>>, String> {
    let (head, rows) = read_records(path)?;
    if head != want {
        return Err(format!(
            "{}:1: header `{}`; expected `{}`",
            path.display(),
            head.join(","),
            want.join(",")
        ));
    }
    Ok(rows)
}

/// The report being written, with its running table and figure numbers.
pub(crate) struct Ctx<'a> {
    pub dir: &'a Path,
    pub lang: Lang,
    pub manifest: serde_json::Value,
    pub doc: Document,
    tables: usize,
    figures: usize,
}

impl<'a> Ctx<'a> {
    fn new(dir: &'a Path, lang: Lang, manifest: serde_json::Value) -> Self {
        let date = manifest["date"].as_str().unwrap_or_default().to_string();
        Ctx {
            dir,
            lang,
            manifest,
            doc: Document {
                lang,
                title: String::new(),
                subtitle: Vec::new(),
                footer: String::new(),
                date,
                blocks: Vec::new(),
            },
            tables: 0,
            figures: 0,
        }
    }

    /// `zh` or `en`.
    pub fn t<'s>(&self, zh: &'s str, en: &'s str) -> &'s str {
        tr(self.lang, zh, en)
    }

    /// The manifest's paths: `10000` in Chinese, `10,000` in English.
    pub fn paths(&self) -> String {
        let n = self.manifest["paths"].as_u64().unwrap_or(0);
        if self.zh() {
            n.to_string()
        } else {
            thousands(n)
        }
    }

    pub fn zh(&self) -> bool {
        self.lang == Lang::Zh
    }

    pub fn h1(&mut self, text: &str) {
        self.doc.blocks.push(Block::Heading(1, text.to_string()));
    }

    pub fn h2(&mut self, text: &str) {
        self.doc.blocks.push(Block::Heading(2, text.to_string()));
    }

    pub fn para(&mut self, text: String) {
        self.doc.blocks.push(Block::Para(text));
    }

    pub fn bullets(&mut self, items: Vec<String>) {
        if !items.is_empty() {
            self.doc.blocks.push(Block::Bullets(items));
        }
    }

    /// Add a numbered table (`表 n` / `Table n`).
    pub fn table(
        &mut self,
        caption: &str,
        cols: &[(&str, Align, f32)],
        rows: Vec<Vec<Cell>>,
        note: Option<String>,
    ) {
        self.tables += 1;
        let caption = if self.zh() {
            format!("表 {} {caption}", self.tables)
        } else {
            format!("Table {}. {caption}", self.tables)
        };
        self.doc.blocks.push(Block::Table(Table {
            caption,
            header: cols.iter().map(|c| c.0.to_string()).collect(),
            align: cols.iter().map(|c| c.1).collect(),
            widths: cols.iter().map(|c| c.2).collect(),
            rows,
            note,
        }));
    }

    /// Every chart of `charts/` whose stem starts with one of `prefixes` (in that order, then
    /// by fund), as numbered figures after the paragraph `intro`; a sentence saying so when
    /// the folder has none. Dashboards repeat the other charts and are left out.
    pub fn charts(&mut self, intro: &str, prefixes: &[&str]) {
        let dir = self.dir.join("charts");
        let mut stems: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                let stem = n.strip_suffix(".svg").or_else(|| n.strip_suffix(".png"))?;
                Some(stem.to_string())
            })
            .filter(|s| !s.starts_with("dashboard"))
            .collect();
        stems.sort();
        stems.dedup();
        let fund_rank = |s: &str| {
            ["employee", "resident", "combined", "region"]
                .iter()
                .position(|f| s.ends_with(f))
                .unwrap_or(4)
        };
        let prefix_rank = |s: &str| {
            prefixes
                .iter()
                .position(|p| s.starts_with(p))
                .unwrap_or(prefixes.len())
        };
        stems.sort_by_key(|s| (fund_rank(s), prefix_rank(s), s.clone()));
        if stems.is_empty() {
            self.para(
                self.t(
                    "本目录没有图表（写入时使用了 --no-charts）。运行结果目录可用 fundsim chart 目录 补画图表，再生成本报告。",
                    "This folder has no charts (it was written with --no-charts). For a run folder, fundsim chart DIR draws them; then make this report again.",
                )
                .to_string(),
            );
            return;
        }
        self.para(intro.to_string());
        let cjk = |t: &str| t.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch));
        let drawn_zh = stems.iter().any(|stem| {
            std::fs::read_to_string(dir.join(format!("{stem}.svg")))
                .ok()
                .and_then(|s| svg_title(&s))
                .is_some_and(|t| cjk(&t))
        });
        if !stems.is_empty() && drawn_zh != self.zh() {
            self.para(
                self.t(
                    "注：本目录的图表以英文绘制。如需中文图表，请以 --lang zh 重新绘制（运行结果目录可用 fundsim chart 目录 --lang zh），再生成本报告。",
                    "Note: this folder's charts were drawn in Chinese. For English charts, draw them again with --lang en (for a run folder: fundsim chart DIR --lang en) and make this report again.",
                )
                .to_string(),
            );
        }
        for stem in stems {
            let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).ok();
            let png = std::fs::read(dir.join(format!("{stem}.png"))).ok();
            let title = svg
                .as_deref()
                .and_then(svg_title)
                .unwrap_or_else(|| stem.clone());
            self.figures += 1;
            let caption = if self.zh() {
                format!("图 {} {title}", self.figures)
            } else {
                format!("Figure {}. {title}", self.figures)
            };
            self.doc.blocks.push(Block::Figure(Figure {
                caption,
                svg,
                png,
                file: format!("charts/{stem}"),
            }));
        }
    }

    /// The reproduction block: the manifest's command, version, seed, paths, date, inputs.
    pub fn reproduction(&mut self, heading: &str) {
        let m = &self.manifest;
        let mut lines = vec![
            format!(
                "{}: {}",
                self.t("复现命令", "reproduce"),
                m["reproduce"].as_str().unwrap_or("—")
            ),
            format!(
                "fundsim {} · {} {} · {} {} · {} {}",
                m["fundsim_version"].as_str().unwrap_or("?"),
                self.t("随机种子", "seed"),
                m["seed"].as_u64().map_or("—".into(), |s| s.to_string()),
                self.t("路径数", "paths"),
                m["paths"].as_u64().map_or("—".into(), |s| s.to_string()),
                self.t("日期", "date"),
                m["date"].as_str().unwrap_or("—"),
            ),
        ];
        if let Some(o) = m["overrides"].as_array().filter(|o| !o.is_empty()) {
            let o: Vec<&str> = o.iter().filter_map(|v| v.as_str()).collect();
            lines.push(format!("--set: {}", o.join(" ")));
        }
        lines.push(format!("{} (SHA-256):", self.t("输入文件", "input files")));
        for i in m["inputs"].as_array().into_iter().flatten() {
            lines.push(format!(
                "  {}  {}",
                i["sha256"].as_str().unwrap_or("?"),
                i["name"].as_str().unwrap_or("?")
            ));
        }
        self.h1(heading);
        self.para(
            self.t(
                "同一版本的 fundsim 以相同情景、随机种子和路径数运行，得到逐位相同的结果（与线程数无关）。本报告的全部数字取自本目录的文件，未重新模拟。",
                "The same fundsim version run with the same scenario, seed and paths gives bit-identical results, whatever the thread count. Every number of this report is read from this folder's files; nothing was simulated again.",
            )
            .to_string(),
        );
        self.doc.blocks.push(Block::Code(lines));
    }
}

/// The text of an SVG's `<title>`, else of its first `<text>` (the chart's drawn title).
fn svg_title(svg: &str) -> Option<String> {
    let (a, end) = match svg.find("<title>") {
        Some(a) => (a + 7, "</title>"),
        None => {
            let t = svg.find("<text")?;
            (t + svg[t..].find('>')? + 1, "</text>")
        }
    };
    let b = a + svg[a..].find(end)?;
    let t = svg[a..b].trim();
    (!t.is_empty()).then(|| {
        t.replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
    })
}

/// A run's tidy summary, indexed by (fund, year, metric, stat).
pub(crate) struct Summary {
    map: HashMap<(String, i32, String, String), f64>,
    /// Years, increasing.
    pub years: Vec<i32>,
    /// Monte Carlo rows present (else the deterministic path only).
    pub mc: bool,
}

impl Summary {
    /// Read `summary.csv` (or another summary file).
    pub fn read(path: &Path) -> Result<Summary, String> {
        let rows = crate::export::read_csv(path).map_err(|e| e.to_string())?;
        Ok(Summary::from_rows(&rows))
    }

    pub fn from_rows(rows: &[TidyRow]) -> Summary {
        let mut map = HashMap::with_capacity(rows.len());
        let mut years: Vec<i32> = Vec::new();
        let mut mc = false;
        for r in rows {
            mc |= r.stat == "p50";
            years.push(r.year);
            map.insert(
                (r.fund.clone(), r.year, r.metric.clone(), r.stat.clone()),
                r.value,
            );
        }
        years.sort_unstable();
        years.dedup();
        Summary { map, years, mc }
    }

    pub fn get(&self, fund: &str, year: i32, metric: &str, stat: &str) -> Option<f64> {
        self.map
            .get(&(fund.to_string(), year, metric.to_string(), stat.to_string()))
            .copied()
            .filter(|v| v.is_finite())
    }

    /// The central statistic: the median of a Monte Carlo run, else the deterministic value.
    pub fn central(&self, fund: &str, year: i32, metric: &str) -> Option<f64> {
        self.get(fund, year, metric, if self.mc { "p50" } else { "value" })
    }

    /// P(months below the low|reasonable line): the depleted, insufficient and low tiers.
    pub fn p_below(&self, fund: &str, year: i32) -> Option<f64> {
        let v: Vec<f64> = ["depleted", "insufficient", "low"]
            .iter()
            .filter_map(|t| self.get(fund, year, "tier_prob", t))
            .collect();
        (v.len() == 3).then(|| v.iter().sum())
    }

    /// The warning level of a year (Monte Carlo: tier of the warning quantile; else the
    /// tier of the deterministic path).
    pub fn level(&self, fund: &str, year: i32, quantile_stat: &str) -> Option<Tier> {
        let v = if self.mc {
            self.get(fund, year, "warning_level", quantile_stat)
        } else {
            self.get(fund, year, "warning_level", "value")
        }?;
        Tier::from_index(v.round() as usize)
    }

    pub fn base(&self) -> i32 {
        self.years.first().copied().unwrap_or(0)
    }

    pub fn horizon(&self) -> i32 {
        self.years.last().copied().unwrap_or(0)
    }
}

/// The plan years of a projection: the last years of five-year plans (years ending in 0 or
/// 5) after the base year, and the horizon.
pub(crate) fn plan_years(base: i32, horizon: i32) -> Vec<i32> {
    let mut y: Vec<i32> = (base + 1..=horizon).filter(|y| y % 5 == 0).collect();
    if y.last() != Some(&horizon) && horizon > base {
        y.push(horizon);
    }
    y
}

/// Pale tier colours for table cells (the charts' Okabe–Ito tier colours mixed 35% with white).
pub(crate) fn tier_fill(t: Tier) -> String {
    let c = crate::chart::tier_colour(t);
    let mix = |v: u8| (255.0 - 0.35 * (255.0 - f64::from(v))).round() as u8;
    format!("{:02X}{:02X}{:02X}", mix(c.0), mix(c.1), mix(c.2))
}

/// A tier cell: its name, on its pale colour.
pub(crate) fn tier_cell(t: Option<Tier>, lang: Lang) -> Cell {
    match t {
        Some(t) => Cell {
            text: crate::chart::tier_label(t, lang).to_string(),
            fill: Some(tier_fill(t)),
            bold: false,
        },
        None => Cell::from("—"),
    }
}

/// Fund name.
pub(crate) fn fund(f: &str, lang: Lang) -> String {
    crate::chart::fund_label(f, lang)
}

/// 亿元 with two decimals (from yuan), `—` when missing.
pub(crate) fn yi(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| num(v / 1e8, 2))
}

/// A number with `d` decimals, no negative zero, `—` when not finite.
pub(crate) fn num(v: f64, d: usize) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let s = format!("{v:.d$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// An integer with thousands separators (`10,000`).
pub(crate) fn thousands(n: u64) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (i, ch) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A ratio as percent with `d` decimals.
pub(crate) fn pct(v: Option<f64>, d: usize) -> String {
    v.map_or("—".into(), |v| format!("{}%", num(100.0 * v, d)))
}

/// Months with one decimal.
pub(crate) fn months(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| num(v, 1))
}

/// One header cell list and column spec shorthand.
pub(crate) type Cols<'a> = Vec<(&'a str, Align, f32)>;

/// The first year from `years` in which `f(year)` holds, if any.
pub(crate) fn first_year(years: &[i32], f: impl Fn(i32) -> bool) -> Option<i32> {
    years.iter().copied().find(|&y| f(y))
}

/// How a parameter is shown: its label and unit.
#[derive(Clone, Copy, PartialEq)]
enum Unit {
    Pct,
    Yi,
    Yuan,
    Plain,
}

fn param_label(key: &str) -> (&'static str, &'static str, Unit) {
    use Unit::*;
    match key {
        "population.sex_ratio_at_birth" => (
            "出生性别比（女=100）",
            "Sex ratio at birth (girls = 100)",
            Plain,
        ),
        "membership.employee_scale" => ("职工参保规模系数", "Employee membership scale", Plain),
        "membership.coverage" => ("居民参保覆盖率", "Resident coverage", Pct),
        "membership.retirement_age_male" => ("男性退休年龄（岁）", "Retirement age, men", Plain),
        "membership.retirement_age_female" => {
            ("女性退休年龄（岁）", "Retirement age, women", Plain)
        }
        "employee.base_balance" => (
            "职工统筹基金基期累计结余（亿元）",
            "Employee pooled fund: base-year balance (100 million yuan)",
            Yi,
        ),
        "employee.base_spending" => (
            "职工统筹基金基期支出（亿元）",
            "Employee pooled fund: base-year spending (100 million yuan)",
            Yi,
        ),
        "employee.contribution_base" => (
            "职工平均缴费基数（元/年）",
            "Average contribution base (yuan a year)",
            Yuan,
        ),
        "employee.employer_rate" => ("单位缴费率", "Employer contribution rate", Pct),
        "employee.employee_rate" => ("个人缴费率", "Employee contribution rate", Pct),
        "employee.employer_to_pool" => (
            "单位缴费划入统筹基金比例",
            "Share of employer contributions to the pool",
            Pct,
        ),
        "employee.employee_to_pool" => (
            "个人缴费划入统筹基金比例",
            "Share of employee contributions to the pool",
            Pct,
        ),
        "employee.collection" => ("职工医保征缴率", "Employee collection rate", Pct),
        "employee.reimbursement" => (
            "职工政策范围内住院报销比例",
            "Employee inpatient reimbursement (policy scope)",
            Pct,
        ),
        "employee.pension" => (
            "退休人员平均养老金（元/年）",
            "Average pension (yuan a year)",
            Yuan,
        ),
        "employee.pension_link" => (
            "养老金随工资增长的比例",
            "Pension indexation to wage growth",
            Pct,
        ),
        "employee.account_rate" => (
            "退休人员个人账户划入比例（占养老金）",
            "Retirees' account credit (share of pension)",
            Pct,
        ),
        "employee.other_income" => (
            "职工统筹基金其他收入（占缴费）",
            "Employee fund other income (share of contributions)",
            Pct,
        ),
        "resident.base_balance" => (
            "居民医保基金基期累计结余（亿元）",
            "Resident fund: base-year balance (100 million yuan)",
            Yi,
        ),
        "resident.base_spending" => (
            "居民医保基金基期支出（亿元）",
            "Resident fund: base-year spending (100 million yuan)",
            Yi,
        ),
        "resident.premium" => (
            "居民个人缴费（元/人·年）",
            "Resident premium (yuan per person a year)",
            Yuan,
        ),
        "resident.subsidy" => (
            "居民财政补助（元/人·年）",
            "Fiscal subsidy (yuan per person a year)",
            Yuan,
        ),
        "resident.collection" => ("居民医保征缴率", "Resident collection rate", Pct),
        "resident.reimbursement" => (
            "居民政策范围内住院报销比例",
            "Resident inpatient reimbursement (policy scope)",
            Pct,
        ),
        "resident.critical_illness_premium" => (
            "大病保险筹资（元/人·年）",
            "Critical-illness insurance (yuan per person a year)",
            Yuan,
        ),
        "resident.other_income" => (
            "居民医保基金其他收入（占缴费）",
            "Resident fund other income (share of contributions)",
            Pct,
        ),
        "drivers.wage_growth.mean" => ("工资增长率（均值）", "Wage growth (mean)", Pct),
        "drivers.medical_growth.mean" => {
            ("医疗费用增长率（均值）", "Medical cost growth (mean)", Pct)
        }
        "drivers.interest.mean" => ("基金利率（均值）", "Interest on balances (mean)", Pct),
        "drivers.fertility.mean" => ("总和生育率（均值）", "Total fertility rate (mean)", Plain),
        "drivers.mortality.drift" => ("死亡率改善速度", "Mortality improvement (drift)", Plain),
        "drivers.migration.level" => ("净迁移水平系数", "Net migration level", Plain),
        _ => ("", "", Plain),
    }
}

fn show_param(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Pct => {
            let s = num(100.0 * v, 2);
            format!("{}%", s.trim_end_matches('0').trim_end_matches('.'))
        }
        Unit::Yi => num(v / 1e8, 2),
        Unit::Yuan => num(v, 0),
        Unit::Plain => {
            let s = num(v, 3);
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    }
}

/// The kind of a source: published figure, derived from published figures, or assumption.
fn source_kind(source: &str, lang: Lang) -> Cell {
    let (zh, en, fill) = match source_class(source) {
        SourceClass::Assumption => ("假设", "assumption", Some("FFE699")),
        SourceClass::Partly => ("部分假设", "partly assumed", Some("FFF2CC")),
        SourceClass::Derived => ("推算", "derived", None),
        SourceClass::Model => ("模型设定", "model rule", None),
        SourceClass::Published => ("公布数据", "published", None),
    };
    Cell {
        text: tr(lang, zh, en).to_string(),
        fill: fill.map(str::to_string),
        bold: fill.is_some(),
    }
}

/// What a `source` string says a number rests on (the provenance convention: assumptions
/// are labelled `assumption: ...`, derivations `derived: ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SourceClass {
    /// `assumption: …`.
    Assumption,
    /// A published figure with an assumption for some years.
    Partly,
    /// `derived: …`, `central path …`.
    Derived,
    /// `default`, `MODEL.md …`: a rule of the model.
    Model,
    /// A figure from a document or dataset.
    Published,
}

/// The class of a source string.
pub(crate) fn source_class(source: &str) -> SourceClass {
    let s = source.trim_start().to_lowercase();
    if s.starts_with("assumption") {
        SourceClass::Assumption
    } else if s.starts_with("derived")
        || s.starts_with("central path")
        || s.starts_with("actual: derived")
    {
        SourceClass::Derived
    } else if s.contains("assumption") {
        SourceClass::Partly
    } else if s.is_empty() || s.starts_with("default") || s.starts_with("model.md") {
        SourceClass::Model
    } else {
        SourceClass::Published
    }
}

/// Values over the years, shortly: one value, or `2020: a → 2035: b` with the years it changes.
fn values_text(values: &[f64], base: i32, unit: Unit) -> String {
    let Some(first) = values.first() else {
        return "—".into();
    };
    let shown: Vec<String> = values.iter().map(|v| show_param(*v, unit)).collect();
    if shown.iter().all(|s| *s == shown[0]) {
        return show_param(*first, unit);
    }
    // Years where the shown value changes, at most four points.
    let mut points: Vec<(i32, &String)> = vec![(base, &shown[0])];
    for (j, s) in shown.iter().enumerate().skip(1) {
        if *s != shown[j - 1] {
            points.push((base + j as i32, s));
        }
    }
    let last = (
        base + shown.len() as i32 - 1,
        shown.last().expect("non-empty"),
    );
    if points.len() > 4 {
        let mid = points[points.len() / 2];
        points = vec![points[0], mid, last];
    }
    points
        .iter()
        .map(|(y, s)| format!("{y}: {s}"))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The assumptions table from a `per_year` object of resolved parameters (as in a run's
/// `manifest.json`): every parameter with its values over the years, its source and its
/// kind (published figure, derived, assumption).
pub(crate) fn assumptions_table(
    c: &mut Ctx,
    per_year: &serde_json::Value,
    base: i32,
    caption: &str,
) {
    let Some(obj) = per_year.as_object() else {
        return;
    };
    let mut keys: Vec<&String> = obj.keys().collect();
    // Policy first, then drivers, population last (the order a reader checks them).
    let rank = |k: &str| match k.split('.').next() {
        Some("employee") => 0,
        Some("resident") => 1,
        Some("membership") => 2,
        Some("drivers") => 3,
        _ => 4,
    };
    keys.sort_by_key(|k| (rank(k), param_order(k)));
    let mut rows = Vec::new();
    for k in keys {
        let p = &obj[k.as_str()];
        let (zh, en, unit) = param_label(k);
        let label = if zh.is_empty() {
            k.to_string()
        } else {
            tr(c.lang, zh, en).to_string()
        };
        let values: Vec<f64> = p["values"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
            .unwrap_or_default();
        let source = p["source"].as_str().unwrap_or("").to_string();
        rows.push(vec![
            Cell::from(label),
            Cell::from(values_text(&values, base, unit)),
            source_kind(&source, c.lang),
            Cell::from(source),
        ]);
    }
    let cols: Cols = vec![
        (c.t("参数", "Parameter"), Align::Left, 24.0),
        (
            c.t("取值（年份: 值）", "Value (year: value)"),
            Align::Left,
            19.0,
        ),
        (c.t("类别", "Kind"), Align::Center, 7.0),
        (c.t("来源", "Source"), Align::Left, 50.0),
    ];
    let note = c
        .t(
            "类别：公布数据 = 统计公报、规划文件等公开数字；推算 = 由公开数字换算或校准；模型设定 = 模型规格（MODEL.md）的规则或缺省值；假设 = 无公开数字时的假定，部分假设 = 部分年份为假定（均以底色标出）。取值只列出变化的年份，此后保持不变；百分数为年率或比例。来源照录情景文件原文。",
            "Kind: published = a figure from a bulletin, plan or yearbook; derived = computed or calibrated from published figures; model rule = a rule or default of the model specification (MODEL.md); assumption = set where no figure is published, partly assumed = assumed for some years (both shaded). Values list the years where they change and hold after; percentages are annual rates or shares. Sources as written in the scenario files.",
        )
        .to_string();
    c.table(caption, &cols, rows, Some(note));
}

fn param_order(k: &str) -> usize {
    const ORDER: &[&str] = &[
        "base_balance",
        "base_spending",
        "contribution_base",
        "employer_rate",
        "employee_rate",
        "employer_to_pool",
        "employee_to_pool",
        "collection",
        "premium",
        "subsidy",
        "critical_illness_premium",
        "reimbursement",
        "pension",
        "pension_link",
        "account_rate",
        "other_income",
    ];
    let last = k.rsplit('.').next().unwrap_or(k);
    ORDER.iter().position(|o| *o == last).unwrap_or(ORDER.len())
}

/// The warning lines (tier table) of a resolved scenario, as one sentence.
pub(crate) fn lines_sentence(c: &Ctx, warning: &serde_json::Value) -> String {
    let l: Vec<f64> = warning["tiers"]["lines"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
        .unwrap_or_else(|| vec![3.0, 6.0, 9.0, 15.0]);
    let l = |i: usize| l.get(i).map_or("?".into(), |v| num(*v, 0));
    let (a, b, cc, d) = (l(0), l(1), l(2), l(3));
    let q = warning["confidence"].as_f64().unwrap_or(0.1);
    let p = num(100.0 * q, 0);
    let conf = pct(Some(1.0 - q), 0);
    let g = pct(Some(warning["growth_line"].as_f64().unwrap_or(0.1)), 0);
    if c.zh() {
        format!(
            "预警等级按累计结余可支付月数划分：结余为负为“穿底”，0–{a} 个月“不足”，{a}–{b} 个月“偏低”，{b}–{cc} 个月“合理”，{cc}–{d} 个月“偏高”，{d} 个月以上“过多”；每年的预警等级取可支付月数第 {p} 百分位数所在区间（即有 {conf} 的把握结余不低于该等级）。支出增长率警戒线为 {g}。"
        )
    } else {
        format!(
            "Warning levels follow the months of reserve: a negative balance is \"depleted\", 0–{a} months \"insufficient\", {a}–{b} \"low\", {b}–{cc} \"reasonable\", {cc}–{d} \"high\", over {d} \"excess\"; a year's level is the tier of the {p}th percentile of months (with {conf} confidence the reserve is at least in that tier). The spending-growth warning line is {g}."
        )
    }
}

/// The stat name of a quantile (`0.1` → `p10`).
pub(crate) fn quantile_stat(q: f64) -> String {
    format!("p{:02}", (100.0 * q).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_list_only_the_years_they_change() {
        assert_eq!(values_text(&[0.08; 16], 2020, Unit::Pct), "8%");
        assert_eq!(
            values_text(&[0.68, 0.68, 0.70, 0.70], 2020, Unit::Pct),
            "2020: 68% → 2022: 70%"
        );
        assert_eq!(num(-0.001, 2), "0.00");
        assert_eq!(thousands(10000), "10,000");
        assert_eq!(thousands(999), "999");
    }
}
