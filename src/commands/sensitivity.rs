//! `fundsim sensitivity`: a tornado of each driver's and policy parameter's effect
//! (MODEL.md §11 *Sensitivity*).

use super::output::OutputSet;
use super::{DecisionArgs, LangArg, Result, ToolManifest, load, wrote};
use crate::decision::sensitivity;
use crate::scenario::source;

/// Flags of `fundsim sensitivity`.
#[derive(Debug, Clone, clap::Args)]
pub struct SensitivityArgs {
    /// Scenario file or embedded id.
    pub scenario: Option<String>,
    #[command(flatten)]
    pub run: DecisionArgs,
    /// Chart language.
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
}

/// `fundsim sensitivity SCENARIO`: tornado table, CSV and charts.
pub fn sensitivity(a: &SensitivityArgs) -> Result<String> {
    let name = source::scenario_name(a.scenario.as_deref());
    let (_, m0) = load(Some(&name), &a.run.set)?;
    // Per run: one simulation's records and one indicator column.
    let (paths, seed) = a.run.paths_seed(&m0, 8)?;
    let dir = a
        .run
        .out_dir(&format!("sensitivity-{}", m0.scenario.region.id));
    let mut set = OutputSet::begin(&dir)?;
    let t = sensitivity::sensitivity(&name, &a.run.set, paths, seed, &|_, _| {})
        .map_err(anyhow::Error::msg)?;
    let mut text = t.to_text();
    set.write("sensitivity.csv", t.to_csv().as_bytes())?;
    set.write(
        "manifest.json",
        &ToolManifest::new("sensitivity", &[&m0], &a.run, paths, seed).to_bytes(),
    )?;
    let meta = crate::chart::decision::meta_for(&m0, seed, paths, a.lang.into());
    let charts =
        crate::chart::decision::tornado_chart(&t, &meta, a.lang.into(), &set.staged("charts"))
            .map_err(|e| anyhow::anyhow!("drawing charts: {e}"))?;
    set.record(&charts);
    text.push_str(&wrote(&set.commit()?));
    Ok(text)
}
