//! Evaluation against actual figures (MODEL.md §11 *Backtest*, *Plan check*; §13): the
//! five-year plan's mid-term evaluation (中期评估).
//!
//! * [`actuals`] — the actual-figures CSV, read and checked (file:line:column errors).
//! * [`backtest`] — each figure's percentile rank among the paths of the base-year
//!   projection, its bands, and per-metric calibration scores.
//! * [`rebase`] — a scenario restarted at a later year from the actual figures, written as a
//!   short file that `extends` the old one.
//! * [`plan`] — plan files (indicators resting on `seeds/targets.toml`) and their statuses.
//! * [`report`] — the tidy `evaluation.csv`, the `evaluation.md` tables (Chinese or English)
//!   and the terminal text.
//!
//! Like the other computing modules, these return data; `src/commands/{backtest,rebase,
//! evaluate}.rs` read, write and draw.

pub mod actuals;
pub mod backtest;
pub mod plan;
pub mod rebase;
pub mod report;

use crate::export::TidyRow;

/// Everything an evaluation found (what `fundsim evaluate` writes).
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Scenario id, Chinese and English region names.
    pub scenario: (String, String, String),
    /// Base year of the scenario.
    pub base_year: i32,
    /// Evaluation year: actual figures up to it are known.
    pub as_of: i32,
    /// Actual figures used (up to `as_of`).
    pub actuals: Vec<actuals::Actual>,
    /// The back-test of the base-year projection.
    pub backtest: backtest::Backtest,
    /// The re-based scenario.
    pub rebase: rebase::Rebase,
    /// The plan.
    pub plan: plan::Plan,
    /// One verdict per indicator, in plan order.
    pub verdicts: Vec<plan::Verdict>,
    /// Monte Carlo paths and seed of both projections.
    pub paths: usize,
    /// Seed.
    pub seed: u64,
    /// Summary rows of the base-year projection (Monte Carlo).
    pub previous_rows: Vec<TidyRow>,
    /// Summary rows of the re-based projection (Monte Carlo).
    pub rebased_rows: Vec<TidyRow>,
}
