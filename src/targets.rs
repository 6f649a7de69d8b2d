//! The figures of the seed documents the model can speak to (`seeds/targets.toml`,
//! MODEL.md §11 *Plan check*, §13): plan indicators (binding 约束性 / expected 预期性),
//! published base-year figures (observed) and the plans' own expectations (projection),
//! each with its seed file and a verbatim quote. One list, read by every part that needs
//! it (plan files, charts), so that no second copy can drift.

use serde::{Deserialize, Serialize};

/// The text of `seeds/targets.toml`, compiled in.
pub const TARGETS_TOML: &str = include_str!("../seeds/targets.toml");

/// One figure of a seed document (see the header of `seeds/targets.toml` for the keys).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Unique id, e.g. `zk_income_2020`.
    pub id: String,
    /// What is measured, e.g. `fund_income_incl_maternity`.
    pub indicator: String,
    /// Region as the seed names it in English (`Zhejiang`, `Zhoukou`, `Tianjin`, …); matched
    /// against a scenario's `region.name_en`.
    pub region: String,
    /// Year the figure refers to.
    pub year: i32,
    /// The figure, in `unit`.
    pub value: f64,
    /// `%`, `亿元`, `万人`, `months`, …
    pub unit: String,
    /// `lt`, `le`, `eq`, `ge`, `gt` or `approx`.
    pub comparison: String,
    /// `binding`, `expected`, `observed` or `projection`.
    pub kind: String,
    /// Seed file name (in `seeds/`).
    pub seed: String,
    /// Verbatim quote from the seed.
    pub quote: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    target: Vec<Target>,
}

/// Parse a targets file.
pub fn parse(text: &str) -> Result<Vec<Target>, String> {
    toml::from_str::<File>(text)
        .map(|f| f.target)
        .map_err(|e| e.to_string())
}

/// The compiled-in `seeds/targets.toml`.
pub fn all() -> Vec<Target> {
    parse(TARGETS_TOML).expect("seeds/targets.toml is checked by tests/targets.rs")
}

/// The figures of one region (by its English name, case-insensitive).
pub fn for_region(name_en: &str) -> Vec<Target> {
    all()
        .into_iter()
        .filter(|t| t.region.eq_ignore_ascii_case(name_en))
        .collect()
}

impl Target {
    /// Where the figure comes from, as a scenario `source` would say it.
    pub fn source(&self) -> String {
        format!("{}: \"{}\"", self.seed, self.quote)
    }
}
