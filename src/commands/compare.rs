//! `fundsim compare`: options side by side on common random numbers (MODEL.md §11 *Compare*).

use super::output::OutputSet;
use super::{DecisionArgs, LangArg, Result, ToolManifest, wrote};
use crate::decision::compare::{self, OptionSpec};
use crate::scenario::source;
use std::path::Path;

/// Flags of `fundsim compare`.
#[derive(Debug, Clone, clap::Args)]
pub struct CompareArgs {
    /// Scenario or option files; the first is the reference for differences.
    #[arg(required = true)]
    pub scenarios: Vec<String>,
    #[command(flatten)]
    pub run: DecisionArgs,
    /// Years shown in the table, e.g. 2025,2030,2035 (default: every 5 years and the horizon).
    #[arg(long)]
    pub years: Option<String>,
    /// Chart language.
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
    /// Skip the Excel workbook compare.xlsx.
    #[arg(long)]
    pub no_xlsx: bool,
}

/// What the report needs to know of each option (manifest `options`): its label, file,
/// region name, and the parameters that differ from the first option with their source;
/// the first option also carries every parameter (`per_year`, as in a run's manifest).
fn options_json(options: &[OptionSpec], files: &[String]) -> serde_json::Value {
    let first = crate::report::resolved_json(&options[0].model);
    let per0 = &first["per_year"];
    let list: Vec<serde_json::Value> = options
        .iter()
        .zip(files)
        .enumerate()
        .map(|(k, (o, file))| {
            let r = &o.model.scenario.region;
            let mut v = serde_json::json!({
                "label": o.label,
                "file": file,
                "scenario": r.id,
                "region": r.name,
                "region_en": r.name_en,
            });
            if k == 0 {
                v["per_year"] = per0.clone();
            } else {
                let mine = crate::report::resolved_json(&o.model);
                let differs: Vec<serde_json::Value> = mine["per_year"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(key, p)| per0.get(key.as_str()) != Some(p))
                    .map(|(key, p)| serde_json::json!({ "key": key, "values": p["values"], "source": p["source"] }))
                    .collect();
                v["differs"] = serde_json::Value::Array(differs);
            }
            v
        })
        .collect();
    serde_json::Value::Array(list)
}

fn label_of(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_string())
}

fn parse_years(s: &str) -> Result<Vec<i32>> {
    s.split(',')
        .map(|y| {
            y.trim().parse::<i32>().map_err(|_| {
                anyhow::anyhow!("--years `{s}`: `{}` is not a year; expected years separated by commas, e.g. 2025,2030,2035", y.trim())
            })
        })
        .collect()
}

/// `fundsim compare A.toml B.toml ...`: see [`compare::compare`].
pub fn compare(a: &CompareArgs) -> Result<String> {
    let mut options = Vec::new();
    for f in &a.scenarios {
        let name = source::scenario_name(Some(f));
        let model = crate::decision::model(&name, &a.run.set).map_err(anyhow::Error::msg)?;
        let label = label_of(f);
        super::print_warnings(&model, &format!("option {label}: "));
        options.push(OptionSpec { label, model });
    }
    let m0 = &options[0].model;
    let s0 = &m0.scenario;
    // Each option's paths are kept while the next one runs.
    let (paths, seed) = a
        .run
        .paths_seed(m0, compare::bytes_per_path(options.len(), m0.years))?;
    let years = match &a.years {
        Some(y) => parse_years(y)?,
        None => compare::default_years(m0),
    };
    let dir = a.run.out_dir(&format!("compare-{}", s0.region.id));
    let mut set = OutputSet::begin(&dir)?;
    let c = compare::compare(&options, paths, seed, &years).map_err(anyhow::Error::msg)?;
    let mut text = format!(
        "{} {} — options compared on common random numbers\n",
        s0.region.name, s0.region.name_en
    );
    text.push_str(&c.to_text());
    set.write("compare.csv", c.to_csv().as_bytes())?;
    set.write("compare.md", c.to_markdown().as_bytes())?;
    let models: Vec<_> = options.iter().map(|o| &o.model).collect();
    let mut manifest =
        serde_json::to_value(ToolManifest::new("compare", &models, &a.run, paths, seed))
            .expect("manifest serialises");
    manifest["line"] = serde_json::json!(c.line);
    manifest["options"] = options_json(&options, &a.scenarios);
    set.write(
        "manifest.json",
        &serde_json::to_vec_pretty(&manifest).expect("manifest serialises"),
    )?;
    if !a.no_xlsx {
        let book =
            crate::document::xlsx::compare_workbook(&c, &manifest).map_err(anyhow::Error::msg)?;
        set.write("compare.xlsx", &book)?;
    }
    let meta = crate::chart::decision::meta_for(m0, seed, paths, a.lang.into());
    let named: Vec<(&str, &crate::scenario::Scenario)> = options
        .iter()
        .map(|o| (o.label.as_str(), &o.model.scenario))
        .collect();
    let charts = crate::chart::decision::compare_charts(
        &c,
        &named,
        &meta,
        a.lang.into(),
        &set.staged("charts"),
    )
    .map_err(|e| anyhow::anyhow!("drawing charts: {e}"))?;
    set.record(&charts);
    text.push_str(&wrote(&set.commit()?));
    Ok(text)
}
