//! `fundsim show`: the resolved scenario, every parameter per year with its source
//! (MODEL.md §2: "a resolved scenario … is printable").

use super::{Result, load};
use crate::report;

/// Flags of `fundsim show`.
#[derive(Debug, Clone, clap::Args)]
pub struct ShowArgs {
    /// Scenario file or embedded id (default: zhejiang-2020).
    pub scenario: Option<String>,
    /// The complete resolved inputs as JSON (every per-age array and per-year value).
    #[arg(long)]
    pub json: bool,
    /// Override a scenario key (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// `fundsim show`.
pub fn show(a: &ShowArgs) -> Result<String> {
    let (_, m) = load(a.scenario.as_deref(), &a.set)?;
    if a.json {
        Ok(serde_json::to_string_pretty(&report::resolved_json(&m))? + "\n")
    } else {
        Ok(report::show_text(&m))
    }
}
