//! `fundsim sweep`: a measure over a 1-D or 2-D parameter grid (MODEL.md §11 *Sweep*).

use super::output::OutputSet;
use super::{DecisionArgs, LangArg, Result, ToolManifest, load, wrote};
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
    /// Measure in the target language, e.g. "P(months >= 6 for resident in every year 2021-2030)";
    /// with a comparison ("... >= 0.9") it is a target: the chart draws the threshold and
    /// where it is met.
    #[arg(long)]
    pub measure: String,
    #[command(flatten)]
    pub run: DecisionArgs,
    /// Chart language.
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
    /// Skip the Excel workbook sweep.xlsx.
    #[arg(long)]
    pub no_xlsx: bool,
}

/// The measure, and the target's comparison and threshold when `text` is a target.
fn parse(text: &str) -> Result<(target::Measure, Option<(target::Cmp, f64)>)> {
    let measure_error = match target::parse_measure(text) {
        Ok(m) => return Ok((m, None)),
        Err(e) => e,
    };
    match target::parse_target(text) {
        Ok(t) => Ok((t.measure, Some((t.cmp, t.value)))),
        // The measure parsed and a comparison followed: the target's error says what is wrong.
        Err(e) if measure_error.message.contains("to make it a target") => {
            Err(anyhow::anyhow!("{e}"))
        }
        Err(_) => Err(anyhow::anyhow!("{measure_error}")),
    }
}

/// The scenario's value of `key` when it is the same in every projected year.
fn current_value(m: &crate::resolve::Model, key: &str) -> Option<f64> {
    let s = &m.scenario;
    let (b, h) = (s.region.base_year, s.region.horizon);
    let params = crate::report::params(s);
    let (_, p) = params.iter().find(|(k, _)| k == key)?;
    let v = p.value_at(b + 1);
    ((b + 1)..=h)
        .all(|y| (p.value_at(y) - v).abs() <= 1e-12 * v.abs().max(1.0))
        .then_some(v)
}

/// `fundsim sweep SCENARIO --param KEY=LO:HI:STEP [--param ...] --measure "..."`.
pub fn sweep(a: &SweepArgs) -> Result<String> {
    let (measure, goal) = parse(&a.measure)?;
    let axes = a
        .params
        .iter()
        .map(|p| sweep::parse_axis(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(anyhow::Error::msg)?;
    let name = source::scenario_name(a.scenario.as_deref());
    let (_, m0) = load(Some(&name), &a.run.set)?;
    measure.check(&m0).map_err(anyhow::Error::msg)?;
    // Per point: one simulation's records and the measure's per-path values.
    let (paths, seed) = a.run.paths_seed(&m0, 8)?;
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
    let meta = crate::chart::decision::meta_for(&m0, seed, paths, a.lang.into());
    let spec = crate::chart::decision::SweepSpec {
        measure: &measure,
        target: goal,
        current: axes.iter().map(|x| current_value(&m0, &x.key)).collect(),
    };
    let charts =
        crate::chart::decision::sweep_chart(&g, &spec, &meta, a.lang.into(), &set.staged("charts"))
            .map_err(|e| anyhow::anyhow!("drawing charts: {e}"))?;
    set.record(&charts);
    text.push_str(&wrote(&set.commit()?));
    Ok(text)
}
