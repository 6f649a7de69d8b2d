//! Charts of a run's tidy summary (MODEL.md §10, §11 "Run"; issue #4): fan charts of the
//! months of reserve, tier probabilities (MODEL.md §8), spending growth, cash flow and a
//! per-fund dashboard, each written as PNG and SVG with the same content.
//!
//! Text is drawn with an embedded subset of Noto Sans CJK SC (see [`FONT_FAMILY`] and
//! `assets/fonts/README.md`), so Chinese renders on a machine without system fonts. SVG keeps
//! text as text and names common CJK families first; a viewer without any CJK font shows
//! boxes in the SVG only (the PNG never depends on the viewer).
//!
//! Output is deterministic: the same rows and [`ChartMeta`] give byte-identical files (no
//! clock, no hash-map order; `meta.date` is the only date written).

mod data;
pub mod decision;
pub mod evaluation;
mod font;
mod panels;
mod style;

pub(crate) use font::FONT_BYTES;
pub use font::{FONT_FAMILY, missing_glyphs};
pub use style::{TIER_COLOURS, fund_label, tier_colour, tier_label};

use crate::export::{ExportError, TidyRow, write_atomic};
use crate::warning::TierTable;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// Language of titles, axis labels, legends and footnotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese (default).
    #[default]
    Zh,
    /// English.
    En,
}

/// What the charts say about the run besides the rows: footnote fields (MODEL.md §10
/// manifest), the warning lines (MODEL.md §8) and the display name of the region.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartMeta {
    /// Scenario id: selects the rows (`TidyRow::scenario`) and is printed in the footnote.
    pub scenario: String,
    /// Region display name for titles (may be Chinese); `None`: titles name the fund only.
    /// A name with a character the embedded font lacks is replaced by the scenario id, with
    /// a warning (see [`RenderOutput::warnings`]).
    pub title: Option<String>,
    /// Monte Carlo seed (MODEL.md §10); `None` for a deterministic-only run.
    pub seed: Option<u64>,
    /// Number of Monte Carlo paths; `None` for a deterministic-only run.
    pub paths: Option<usize>,
    /// fundsim version printed in the footnote.
    pub version: String,
    /// Date printed in the footnote (the only date written: pass the run's date).
    pub date: String,
    /// Months-of-reserve lines of the tiers (MODEL.md §8).
    pub tiers: TierTable,
    /// Spending-growth warning line as a fraction (MODEL.md §8; default 0.10).
    pub growth_line: f64,
    /// Quantile q of the warning level (MODEL.md §8; default 0.10), drawn as a reference
    /// line in the tier chart.
    pub warning_quantile: f64,
}

impl Default for ChartMeta {
    fn default() -> Self {
        ChartMeta {
            scenario: String::new(),
            title: None,
            seed: None,
            paths: None,
            version: env!("CARGO_PKG_VERSION").to_string(),
            date: String::new(),
            tiers: TierTable::default(),
            growth_line: 0.10,
            warning_quantile: 0.10,
        }
    }
}

/// The kinds of chart (issue #4). File stems are `<kind>_<fund>`, e.g. `months_employee`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChartKind {
    /// Months-of-reserve fan chart over tier-coloured background (MODEL.md §7, §8).
    Months,
    /// Stacked tier probabilities by year with the warning level (MODEL.md §8).
    Tiers,
    /// Spending-growth fan chart with the growth line, and P(growth ≥ line) (MODEL.md §7, §8).
    Growth,
    /// Income and spending with P(current-year deficit), and the balance fan (MODEL.md §7).
    Cashflow,
    /// All of the above for one fund on one page, with key figures.
    Dashboard,
}

impl ChartKind {
    /// Every kind, in the order files are written.
    pub const ALL: [ChartKind; 5] = [
        ChartKind::Months,
        ChartKind::Tiers,
        ChartKind::Growth,
        ChartKind::Cashflow,
        ChartKind::Dashboard,
    ];

    /// Prefix of the file name.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Months => "months",
            ChartKind::Tiers => "tiers",
            ChartKind::Growth => "growth",
            ChartKind::Cashflow => "cashflow",
            ChartKind::Dashboard => "dashboard",
        }
    }

    /// Image size in pixels (width, height), the same for PNG and SVG.
    pub fn size(self) -> (u32, u32) {
        match self {
            ChartKind::Months | ChartKind::Tiers => (1200, 760),
            ChartKind::Growth => (1200, 860),
            ChartKind::Cashflow => (1600, 860),
            ChartKind::Dashboard => (1920, 1080),
        }
    }

    /// File stem for a fund, e.g. `tiers_resident`.
    pub fn file_stem(self, fund: &str) -> String {
        format!("{}_{fund}", self.name())
    }
}

/// Funds charted, in this order, where the rows have them (MODEL.md §10; `region` rows hold
/// population only and are not charted).
pub const FUNDS: [&str; 3] = ["employee", "resident", "combined"];

/// What [`render_all`] wrote.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenderOutput {
    /// Files written (PNG then SVG per chart), in a fixed order.
    pub files: Vec<PathBuf>,
    /// Things the caller should tell the user (e.g. a region name the font cannot draw);
    /// nothing is printed by this module.
    pub warnings: Vec<String>,
}

/// Chart errors.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// No row of the scenario for any charted fund.
    #[error("no chartable rows for scenario {0:?} (funds employee, resident, combined)")]
    NoData(String),
    /// The embedded font could not be loaded.
    #[error("font: {0}")]
    Font(String),
    /// plotters failed.
    #[error("drawing failed: {0}")]
    Draw(String),
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
    /// Writing a file failed.
    #[error(transparent)]
    Export(#[from] ExportError),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(e.to_string())
    }
}

/// Everything a panel needs: the fund's series, the metadata and the resolved display texts.
pub(crate) struct Ctx<'a> {
    pub meta: &'a ChartMeta,
    pub lang: Lang,
    pub fund: &'a str,
    pub fd: &'a data::FundData,
    /// Region name to put in titles ("" when none or not drawable).
    pub region: String,
    /// Scenario id as drawable text.
    pub scenario: String,
}

/// Resolve the texts that come from the caller: a title with characters the font lacks falls
/// back to the scenario id; any remaining undrawable character becomes `?`.
fn display_names(meta: &ChartMeta, warnings: &mut Vec<String>) -> (String, String) {
    let scenario: String = if missing_glyphs(&meta.scenario).is_empty() {
        meta.scenario.clone()
    } else {
        let missing = missing_glyphs(&meta.scenario);
        warnings.push(format!(
            "scenario id {:?}: the chart font has no glyph for {:?}; drawn as '?'",
            meta.scenario,
            missing.iter().collect::<String>()
        ));
        meta.scenario
            .chars()
            .map(|c| if missing.contains(&c) { '?' } else { c })
            .collect()
    };
    let region = match &meta.title {
        None => String::new(),
        Some(t) => {
            let missing = missing_glyphs(t);
            if missing.is_empty() {
                t.clone()
            } else {
                warnings.push(format!(
                    "region name {t:?}: the chart font has no glyph for {:?}; titles use the \
                     scenario id {scenario:?} instead",
                    missing.iter().collect::<String>()
                ));
                scenario.clone()
            }
        }
    };
    (region, scenario)
}

/// Render every chart of every fund present to `dir` as `<kind>_<fund>.png` and `.svg`
/// (see [`ChartKind`]), written atomically. Rows of other scenarios than `meta.scenario` are
/// ignored. Monte Carlo rows give bands; a deterministic-only summary (`stat = value`) draws
/// the central path alone.
pub fn render_all(
    rows: &[TidyRow],
    meta: &ChartMeta,
    lang: Lang,
    dir: &Path,
) -> Result<RenderOutput, ChartError> {
    font::ensure_registered()?;
    let groups = data::group(rows, &meta.scenario);
    let funds: Vec<&str> = FUNDS
        .iter()
        .copied()
        .filter(|f| groups.contains_key(*f))
        .collect();
    if funds.is_empty() {
        return Err(ChartError::NoData(meta.scenario.clone()));
    }
    let mut out = RenderOutput::default();
    let (region, scenario) = display_names(meta, &mut out.warnings);
    for fund in funds {
        let ctx = Ctx {
            meta,
            lang,
            fund,
            fd: &groups[fund],
            region: region.clone(),
            scenario: scenario.clone(),
        };
        for kind in ChartKind::ALL {
            let stem = kind.file_stem(fund);
            let png_path = dir.join(format!("{stem}.png"));
            write_atomic(&png_path, &png_bytes(&ctx, kind)?)?;
            let svg_path = dir.join(format!("{stem}.svg"));
            write_atomic(&svg_path, svg_string(&ctx, kind)?.as_bytes())?;
            out.files.push(png_path);
            out.files.push(svg_path);
        }
    }
    Ok(out)
}

/// One chart of one fund as SVG text (what [`render_all`] writes to `<kind>_<fund>.svg`).
pub fn render_svg(
    rows: &[TidyRow],
    meta: &ChartMeta,
    lang: Lang,
    kind: ChartKind,
    fund: &str,
) -> Result<(String, Vec<String>), ChartError> {
    font::ensure_registered()?;
    let groups = data::group(rows, &meta.scenario);
    let fd = groups
        .get(fund)
        .ok_or_else(|| ChartError::NoData(meta.scenario.clone()))?;
    let mut warnings = Vec::new();
    let (region, scenario) = display_names(meta, &mut warnings);
    let ctx = Ctx {
        meta,
        lang,
        fund,
        fd,
        region,
        scenario,
    };
    Ok((svg_string(&ctx, kind)?, warnings))
}

fn png_bytes(ctx: &Ctx, kind: ChartKind) -> Result<Vec<u8>, ChartError> {
    png_with(kind.size(), |root| draw(root, ctx, kind))
}

/// Draw a `w × h` bitmap with `paint` (text rasterised by our own layout, see
/// [`font::RasterMode`]) and encode it as PNG. Every PNG of the crate goes through here.
pub(crate) fn png_with(
    (w, h): (u32, u32),
    paint: impl FnOnce(
        &DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>,
    ) -> Result<(), ChartError>,
) -> Result<Vec<u8>, ChartError> {
    let mut buf = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        let _raster = font::RasterMode::on();
        paint(&root)?;
        root.present()?;
    }
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &buf,
        w,
        h,
        image::ColorType::Rgb8,
    )
    .map_err(|e| ChartError::Png(e.to_string()))?;
    Ok(png)
}

fn svg_string(ctx: &Ctx, kind: ChartKind) -> Result<String, ChartError> {
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, kind.size()).into_drawing_area();
        draw(&root, ctx, kind)?;
        root.present()?;
    }
    Ok(fix_svg_text(&s))
}

/// plotters writes `font-size = size / 1.24` and the bare family name into SVG; rewrite both
/// so that SVG text has the size of the PNG text and falls back to installed CJK fonts.
fn fix_svg_text(svg: &str) -> String {
    let factor = font::svg_font_size_factor();
    let family = format!("font-family=\"{}\"", font::FAMILY);
    let svg = svg.replace(&family, &format!("font-family=\"{}\"", font::SVG_FAMILIES));
    let key = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg.as_str();
    while let Some(i) = rest.find(key) {
        out.push_str(&rest[..i + key.len()]);
        rest = &rest[i + key.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        match rest[..end].parse::<f64>() {
            Ok(v) => out.push_str(&format!("{:.2}", v * factor)),
            Err(_) => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    ctx: &Ctx,
    kind: ChartKind,
) -> Result<(), ChartError> {
    root.fill(&WHITE)?;
    let body = panels::frame(root, ctx, kind)?;
    match kind {
        ChartKind::Months => panels::months(&body, ctx, None),
        ChartKind::Tiers => panels::tiers(&body, ctx, None),
        ChartKind::Growth => panels::growth(&body, ctx, None),
        ChartKind::Cashflow => {
            let (w, _) = body.dim_in_pixel();
            let (l, r) = body.split_horizontally(w / 2);
            panels::cashflow(
                &l,
                ctx,
                Some(style::tr(ctx.lang, "收入与支出", "Income and spending")),
            )?;
            panels::balance(&r, ctx, Some(style::tr(ctx.lang, "累计结余", "Balance")))
        }
        ChartKind::Dashboard => panels::dashboard(&body, ctx),
    }
}

#[cfg(test)]
mod tests;
