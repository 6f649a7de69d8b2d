//! `fundsim sweep`: a measure over a 1-D or 2-D parameter grid (MODEL.md §11 *Sweep*).

use super::output::OutputSet;
use super::{DecisionArgs, Result, ToolManifest, load, wrote};
use crate::decision::{sweep, target};
use crate::scenario::source;

/// Flags of `fundsim sweep`.
#[derive(Debug, Clone, clap::Args)]
pub struct SweepArgs {
    /// Scenario file or embedded id.
    pub scenario: Option<String>,
    /// KEY=LO:HI:STEP, e.g. employee.employer_rate=0.06:0.10:0.005 (once or twice).
    #[arg(long = "param", required = true)]
    pub params: Vec<String>,
    /// Measure in the target language, e.g. "P(months >= 6 for resident in every year 2021-2030)".
    #[arg(long)]
    pub measure: String,
    #[command(flatten)]
    pub run: DecisionArgs,
    /// Skip the Excel workbook sweep.xlsx.
    #[arg(long)]
    pub no_xlsx: bool,
}

/// `fundsim sweep SCENARIO --param KEY=LO:HI:STEP [--param ...] --measure "..."`.
pub fn sweep(a: &SweepArgs) -> Result<String> {
    let measure = target::parse_measure(&a.measure).map_err(|e| anyhow::anyhow!("{e}"))?;
    let axes = a
        .params
        .iter()
        .map(|p| sweep::parse_axis(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(anyhow::Error::msg)?;
    let name = source::scenario_name(a.scenario.as_deref());
    let (_, m0) = load(Some(&name), &a.run.set)?;
    measure.check(&m0).map_err(anyhow::Error::msg)?;
    let (paths, seed) = a.run.paths_seed(&m0, 1)?;
    let dir = a.run.out_dir(&format!("sweep-{}", m0.scenario.region.id));
    let mut set = OutputSet::begin(&dir)?;
    let t0 = std::time::Instant::now();
    let g = sweep::sweep(&name, &a.run.set, &axes, &measure, paths, seed, &|_, _| {})
        .map_err(anyhow::Error::msg)?;
    let secs = t0.elapsed().as_secs_f64();
    let mut text = g.to_text();
    text.push_str(&format!("{} points in {secs:.2} s\n", g.values.len()));
    set.write("sweep.csv", g.to_csv().as_bytes())?;
    let manifest = ToolManifest::new("sweep", &[&m0], &a.run, paths, seed);
    set.write("manifest.json", &manifest.to_bytes())?;
    if !a.no_xlsx {
        let mj = serde_json::to_value(&manifest).expect("manifest serialises");
        let book = crate::document::xlsx::sweep_workbook(&g, &mj).map_err(anyhow::Error::msg)?;
        set.write("sweep.xlsx", &book)?;
    }
    let footer = format!(
        "fundsim {} · {} · {paths} paths per point · seed {seed} · common random numbers",
        env!("CARGO_PKG_VERSION"),
        m0.scenario.region.id
    );
    let charts = crate::chart::decision::sweep_chart(&g, &footer, &set.staged("charts"))
        .map_err(|e| anyhow::anyhow!("drawing charts: {e}"))?;
    set.record(&charts);
    text.push_str(&wrote(&set.commit()?));
    Ok(text)
}
