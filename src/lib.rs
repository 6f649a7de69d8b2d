//! fundsim: actuarial projection of China's basic medical insurance pooled funds.
//!
//! Data flows one way (see `../shared/MODEL.md`): [`scenario`] → [`resolve`] (resolved
//! parameters) → [`engine`] (paths) → [`summary`] → [`export`] (and charts).

pub mod chart;
pub mod checks;
pub mod commands;
pub mod decision;
pub mod demography;
pub mod document;
pub mod drivers;
pub mod engine;
pub mod evaluation;
pub mod export;
pub mod finance;
pub mod membership;
pub mod param;
pub mod population;
pub mod report;
pub mod resolve;
pub mod run;
pub mod scenario;
pub mod summary;
pub mod targets;
pub mod warning;
