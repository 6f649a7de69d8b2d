//! Charts of the decision tools (MODEL.md §11), in the run charts' style and page: the
//! compare overlay and the paired difference of each option from the reference, the sweep
//! line (with the target, the current policy and where the target is met) and heatmap (with
//! a colour bar, the target contour and the current cell), and the sensitivity tornado
//! (effects on the median months and on the probability of depletion). Chinese by default;
//! titles state the finding; parameters carry display names and units; probabilities are
//! shown in percent. Option colours are Paul Tol's "bright" scheme, outside the tier palette.

mod compare;
mod sweep;
mod tornado;

pub use compare::compare_charts;
pub use sweep::{SweepSpec, sweep_chart};
pub use tornado::tornado_chart;

use super::frame::footnote;
use super::write_page as write;
use super::{ChartMeta, Lang, drawable};
use crate::resolve::Model;
use plotters::style::RGBColor;

/// Option colours (Tol bright).
const OPTION_COLOURS: [RGBColor; 7] = [
    RGBColor(0x44, 0x77, 0xAA),
    RGBColor(0xEE, 0x66, 0x77),
    RGBColor(0x22, 0x88, 0x33),
    RGBColor(0xCC, 0xBB, 0x44),
    RGBColor(0x66, 0xCC, 0xEE),
    RGBColor(0xAA, 0x33, 0x77),
    RGBColor(0x66, 0x66, 0x66),
];

fn option_colour(i: usize) -> RGBColor {
    OPTION_COLOURS[i % OPTION_COLOURS.len()]
}

/// The chart metadata of a decision tool's run of `m` (the footnote of the run charts: its
/// scenario, seed, paths, version and date; its region; its warning lines).
pub fn meta_for(m: &Model, seed: u64, paths: usize, lang: Lang) -> ChartMeta {
    let s = &m.scenario;
    ChartMeta {
        scenario: s.region.id.clone(),
        title: Some(match lang {
            Lang::Zh => s.region.name.clone(),
            Lang::En => s.region.name_en.clone(),
        }),
        seed: Some(seed),
        paths: Some(paths),
        date: crate::run::today_utc(),
        tiers: s.warning.tiers.clone(),
        growth_line: s.warning.growth_line,
        warning_quantile: s.warning.confidence,
        ..ChartMeta::default()
    }
}

/// Region and scenario as drawable text, and the prefix of titles for a fund:
/// `浙江省职工医保统筹基金：` / `Zhejiang, employee pooled fund: `.
struct Names {
    region: String,
    scenario: String,
}

impl Names {
    fn of(meta: &ChartMeta) -> Names {
        let mut warnings = Vec::new();
        let scenario = drawable(&meta.scenario, "scenario id", &mut warnings);
        let region = meta
            .title
            .as_deref()
            .map(|t| drawable(t, "region name", &mut warnings))
            .unwrap_or_default();
        Names { region, scenario }
    }

    fn prefix(&self, fund: Option<usize>, lang: Lang) -> String {
        let fund = fund
            .map(|f| super::fund_label(crate::decision::FUNDS[f], lang))
            .unwrap_or_default();
        match lang {
            Lang::Zh => format!("{}{fund}：", self.region),
            Lang::En if fund.is_empty() => format!("{}: ", self.region),
            Lang::En => format!("{}, {}: ", self.region, lower(&fund)),
        }
    }
}

/// `s` with its first letter in lower case (a display name inside an English sentence).
pub(crate) fn lower(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What a decision tool runs on common random numbers (for the footnote).
#[derive(Clone, Copy)]
enum Runs {
    Options,
    Points,
    Steps,
}

/// The footnote of a decision chart: the run charts' footnote and common random numbers.
fn foot(meta: &ChartMeta, names: &Names, lang: Lang, runs: Runs) -> String {
    let extra = match (lang, runs) {
        (Lang::Zh, Runs::Options) => "各方案使用相同随机数（共同随机数）",
        (Lang::Zh, Runs::Points) => "每个取值使用相同随机数（共同随机数），路径数为每个取值",
        (Lang::Zh, Runs::Steps) => "每项参数变动使用相同随机数（共同随机数）",
        (Lang::En, Runs::Options) => "every option on the same random numbers",
        (Lang::En, Runs::Points) => "every grid point on the same random numbers; paths per point",
        (Lang::En, Runs::Steps) => "every parameter step on the same random numbers",
    };
    footnote(meta, &names.scenario, lang, extra)
}
