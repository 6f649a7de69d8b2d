//! fundsim: actuarial projection of China's basic medical insurance pooled funds.
//!
//! Data flows one way (see `../shared/MODEL.md`): scenario → resolved parameters → paths →
//! summaries → charts and exports.

pub mod demography;
pub mod export;
pub mod warning;
