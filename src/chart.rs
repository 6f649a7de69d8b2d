//! Charts of a run's tidy summary (MODEL.md §10, §11 "Run"; issues #4, #9): months of
//! reserve, tier probabilities (MODEL.md §8), spending growth, cash flow, the cumulative
//! probability of depletion and a one-page dashboard per fund, each written as PNG and SVG
//! with the same content, sized for a report page (16 cm wide, text ≥ 9 pt, PNG at 300 dpi;
//! see [`style`]).
//!
//! Every title states the chart's finding; annotations never cover data (they are placed in
//! checked free space or in the margins, see [`layout`]); a base-year value is drawn as
//! actual only when its source is a published figure; a deterministic run draws paths and
//! 是/否 strips, never probabilities.
//!
//! Text is drawn with an embedded subset of Noto Sans CJK SC (see [`FONT_FAMILY`] and
//! `assets/fonts/README.md`), so Chinese renders on a machine without system fonts. SVG keeps
//! text as text, names common CJK families first and carries `<title>` and `<desc>`.
//!
//! Output is deterministic: the same rows and [`ChartMeta`] give byte-identical files (no
//! clock, no hash-map order; `meta.date` is the only date written).

mod axes;
mod dashboard;
mod data;
pub mod decision;
pub mod evaluation;
mod findings;
mod flows;
mod font;
mod frame;
mod info;
pub mod layout;
mod panels;
pub mod style;
mod text;
mod words;

pub(crate) use font::FONT_BYTES;
pub use font::{FONT_FAMILY, missing_glyphs};
pub use info::is_published;
pub use style::{TIER_COLOURS, fund_label, tier_colour, tier_label};

use crate::export::{ExportError, TidyRow, write_atomic};
use crate::targets::Target;
use crate::warning::TierTable;
use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::prelude::*;
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

/// A fund's base-year balance and spending (MODEL.md §5–§6) with their sources, so that a
/// chart draws them as actual only when the source is a published figure ([`is_published`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BaseInput {
    /// Base-year balance, yuan.
    pub balance: Option<f64>,
    /// Its source.
    pub balance_source: String,
    /// Base-year spending, yuan (`None`: not given, κ = 1).
    pub spending: Option<f64>,
    /// Its source.
    pub spending_source: String,
}

/// A reform that changes spending from its start year (MODEL.md §6).
#[derive(Debug, Clone, PartialEq)]
pub struct Reform {
    /// Fund index: 0 employee, 1 resident.
    pub fund: usize,
    /// First year of the effect.
    pub start: i32,
    /// Name as in the scenario.
    pub name: String,
}

/// What the charts say about the run besides the rows: footnote fields (MODEL.md §10
/// manifest), the warning lines (MODEL.md §8), the region, the base-year inputs' sources,
/// reforms, and the region's published figures and plan indicators (`seeds/targets.toml`).
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
    /// Quantile q of the warning level (MODEL.md §8; default 0.10): the level is stated "at
    /// (1 − q) confidence".
    pub warning_quantile: f64,
    /// Base-year inputs of the employee and the resident fund.
    pub base: [BaseInput; 2],
    /// Reforms of both funds.
    pub reforms: Vec<Reform>,
    /// The region's figures from `seeds/targets.toml` (published base-year figures are drawn
    /// as actual points; binding and expected indicators give the plan's end year).
    pub targets: Vec<Target>,
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
            base: Default::default(),
            reforms: Vec::new(),
            targets: Vec::new(),
        }
    }
}

/// The kinds of chart. File stems are `<kind>_<fund>`, e.g. `months_employee`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChartKind {
    /// Months-of-reserve fan with the tier scale (MODEL.md §7, §8).
    Months,
    /// Stacked tier probabilities with the warning level; a tier strip for a single path.
    Tiers,
    /// Spending-growth fan with the growth line, and P(growth ≥ line) (MODEL.md §7, §8).
    Growth,
    /// Income and spending with P(current-year deficit) (MODEL.md §7, §13).
    Cashflow,
    /// The balance fan with the zero line (MODEL.md §7).
    Balance,
    /// Cumulative probability of depletion by year (Monte Carlo runs only).
    Depletion,
    /// The above for one fund on one page, with key figures.
    Dashboard,
}

impl ChartKind {
    /// Every kind, in the order files are written.
    pub const ALL: [ChartKind; 7] = [
        ChartKind::Months,
        ChartKind::Tiers,
        ChartKind::Growth,
        ChartKind::Cashflow,
        ChartKind::Balance,
        ChartKind::Depletion,
        ChartKind::Dashboard,
    ];

    /// Prefix of the file name.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Months => "months",
            ChartKind::Tiers => "tiers",
            ChartKind::Growth => "growth",
            ChartKind::Cashflow => "cashflow",
            ChartKind::Balance => "balance",
            ChartKind::Depletion => "depletion",
            ChartKind::Dashboard => "dashboard",
        }
    }

    /// Height in pixels of the chart's body (plots and legends; the dashboard's grows with
    /// its key figures); the image is [`style::PAGE_W`] wide and as high as the body plus
    /// its title, notes and footnote.
    pub fn body_height(self) -> u32 {
        match self {
            ChartKind::Months | ChartKind::Tiers => 1060,
            ChartKind::Growth | ChartKind::Cashflow => 1250,
            ChartKind::Balance => 1000,
            ChartKind::Depletion => 860,
            ChartKind::Dashboard => 2000,
        }
    }

    /// Whether the kind is drawn for a run with (`mc`) or without Monte Carlo rows: the
    /// depletion probability needs paths.
    pub fn drawn(self, mc: bool) -> bool {
        mc || self != ChartKind::Depletion
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

/// Everything a panel needs: the fund's series, the metadata, the resolved display texts and
/// the facts the texts state.
pub(crate) struct Ctx<'a> {
    pub meta: &'a ChartMeta,
    pub lang: Lang,
    pub fund: &'a str,
    pub fd: &'a data::FundData,
    /// Region name to put in titles ("" when none or not drawable).
    pub region: String,
    /// Scenario id as drawable text.
    pub scenario: String,
    /// Facts from the metadata (published figures, reforms, plan).
    pub info: info::FundInfo,
    /// Facts from the rows.
    pub facts: findings::Facts,
    /// Lowest months value drawn (for the negative-months note).
    pub months_min: Option<f64>,
}

impl<'a> Ctx<'a> {
    fn new(
        meta: &'a ChartMeta,
        lang: Lang,
        fund: &'a str,
        fd: &'a data::FundData,
        names: &(String, String),
    ) -> Ctx<'a> {
        let y0 = fd.years().first().copied();
        let mut c = Ctx {
            meta,
            lang,
            fund,
            fd,
            region: names.0.clone(),
            scenario: names.1.clone(),
            info: info::fund_info(meta, fund, lang, y0),
            facts: findings::Facts::default(),
            months_min: findings::months_min(fd),
        };
        c.facts = findings::facts(&c);
        c
    }
}

/// Resolve the texts that come from the caller: a title with characters the font lacks falls
/// back to the scenario id; any remaining undrawable character becomes `?`.
fn display_names(meta: &ChartMeta, warnings: &mut Vec<String>) -> (String, String) {
    let scenario = drawable(&meta.scenario, "scenario id", warnings);
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

/// `s` with every character the font lacks replaced by `?` (with a warning naming `what`).
pub(crate) fn drawable(s: &str, what: &str, warnings: &mut Vec<String>) -> String {
    let missing = missing_glyphs(s);
    if missing.is_empty() {
        return s.to_string();
    }
    warnings.push(format!(
        "{what} {s:?}: the chart font has no glyph for {:?}; drawn as '?'",
        missing.iter().collect::<String>()
    ));
    s.chars()
        .map(|c| if missing.contains(&c) { '?' } else { c })
        .collect()
}

/// A chart's accessible title and description (SVG `<title>`/`<desc>`, PNG iTXt).
#[derive(Debug, Clone, Default)]
pub(crate) struct Doc {
    pub title: String,
    pub desc: String,
}

fn page(ctx: &Ctx, kind: ChartKind) -> frame::Page {
    frame::Page {
        title: findings::title(ctx, kind),
        subtitle: findings::subtitle(ctx, kind),
        notes: findings::notes(ctx, kind),
        foot: frame::footnote(ctx.meta, &ctx.scenario, ctx.lang, ""),
    }
}

/// What draws a page's body, on any backend.
pub(crate) trait Body {
    /// Draw into the body area.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

fn doc_of(p: &frame::Page) -> Doc {
    Doc {
        title: p.title.clone(),
        desc: [p.subtitle.clone()]
            .into_iter()
            .chain(p.notes.iter().cloned())
            .chain([p.foot.clone()])
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn draw_page<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lay: &frame::PageLayout,
    body: &impl Body,
) -> Result<(), ChartError> {
    root.fill(&WHITE)?;
    let area = lay.draw(root)?;
    body.draw(&area)
}

/// The PNG and SVG of a page whose body (`body_h` pixels high) is drawn by `body`.
pub(crate) fn render_page(
    p: &frame::Page,
    body_h: u32,
    body: &impl Body,
) -> Result<(Vec<u8>, String), ChartError> {
    let lay = p.layout(style::PAGE_W);
    let size = (style::PAGE_W, lay.height(body_h));
    let doc = doc_of(p);
    let png = png_with(size, &doc, |root| draw_page(root, &lay, body))?;
    let svg = svg_with(size, &doc, |root| draw_page(root, &lay, body))?;
    Ok((png, svg))
}

/// The SVG of a page alone, and the scenes of its plots when `record`.
pub(crate) fn svg_page(
    p: &frame::Page,
    body_h: u32,
    body: &impl Body,
    record: bool,
) -> Result<(String, Vec<layout::Scene>), ChartError> {
    let lay = p.layout(style::PAGE_W);
    let size = (style::PAGE_W, lay.height(body_h));
    let doc = doc_of(p);
    let draw = || svg_with(size, &doc, |root| draw_page(root, &lay, body));
    if record {
        let (svg, scenes) = layout::record(draw);
        Ok((svg?, scenes))
    } else {
        Ok((draw()?, Vec::new()))
    }
}

/// A run chart's body.
struct RunBody<'a, 'b> {
    ctx: &'b Ctx<'a>,
    kind: ChartKind,
}

impl Body for RunBody<'_, '_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let ctx = self.ctx;
        match self.kind {
            ChartKind::Months => panels::months(area, ctx, None),
            ChartKind::Tiers => panels::tiers(area, ctx, None),
            ChartKind::Growth => flows::growth(area, ctx, None),
            ChartKind::Cashflow => flows::cashflow(area, ctx, None),
            ChartKind::Balance => flows::balance(area, ctx, None),
            ChartKind::Depletion => panels::depletion(area, ctx, None),
            ChartKind::Dashboard => dashboard::dashboard(area, ctx),
        }
    }
}

/// Height of a run chart's body: the kind's, or the dashboard's for its key figures.
fn body_height(ctx: &Ctx, kind: ChartKind) -> u32 {
    match kind {
        ChartKind::Dashboard => dashboard::height(ctx, frame::body_width(style::PAGE_W)),
        _ => kind.body_height(),
    }
}

fn render_one(ctx: &Ctx, kind: ChartKind) -> Result<(Vec<u8>, String), ChartError> {
    render_page(
        &page(ctx, kind),
        body_height(ctx, kind),
        &RunBody { ctx, kind },
    )
}

/// Render every chart of every fund present to `dir` as `<kind>_<fund>.png` and `.svg`
/// (see [`ChartKind`]), written atomically. Rows of other scenarios than `meta.scenario` are
/// ignored. Monte Carlo rows give bands and probabilities; a deterministic-only summary
/// (`stat = value`) draws the central path, tier and 是/否 strips, and no depletion chart.
/// Charts are drawn in parallel and written in a fixed order.
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
    let names = display_names(meta, &mut out.warnings);
    let ctxs: Vec<Ctx> = funds
        .iter()
        .map(|f| Ctx::new(meta, lang, f, &groups[*f], &names))
        .collect();
    let jobs: Vec<(usize, ChartKind)> = ctxs
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            let mc = c.facts.mc;
            ChartKind::ALL
                .into_iter()
                .filter(move |k| k.drawn(mc))
                .map(move |k| (i, k))
        })
        .collect();
    let rendered: Vec<Result<(Vec<u8>, String), ChartError>> = jobs
        .par_iter()
        .map(|&(i, kind)| render_one(&ctxs[i], kind))
        .collect();
    for ((i, kind), r) in jobs.iter().zip(rendered) {
        let (png, svg) = r?;
        let stem = kind.file_stem(ctxs[*i].fund);
        let png_path = dir.join(format!("{stem}.png"));
        write_atomic(&png_path, &png)?;
        let svg_path = dir.join(format!("{stem}.svg"));
        write_atomic(&svg_path, svg.as_bytes())?;
        out.files.push(png_path);
        out.files.push(svg_path);
    }
    Ok(out)
}

fn one_ctx<T>(
    rows: &[TidyRow],
    meta: &ChartMeta,
    lang: Lang,
    fund: &str,
    f: impl FnOnce(&Ctx) -> Result<T, ChartError>,
) -> Result<(T, Vec<String>), ChartError> {
    font::ensure_registered()?;
    let groups = data::group(rows, &meta.scenario);
    let fd = groups
        .get(fund)
        .ok_or_else(|| ChartError::NoData(meta.scenario.clone()))?;
    let mut warnings = Vec::new();
    let names = display_names(meta, &mut warnings);
    let ctx = Ctx::new(meta, lang, fund, fd, &names);
    Ok((f(&ctx)?, warnings))
}

/// One chart of one fund as SVG text (what [`render_all`] writes to `<kind>_<fund>.svg`).
pub fn render_svg(
    rows: &[TidyRow],
    meta: &ChartMeta,
    lang: Lang,
    kind: ChartKind,
    fund: &str,
) -> Result<(String, Vec<String>), ChartError> {
    one_ctx(rows, meta, lang, fund, |ctx| {
        let body = RunBody { ctx, kind };
        svg_page(&page(ctx, kind), body_height(ctx, kind), &body, false).map(|r| r.0)
    })
}

/// The geometry of one chart as drawn: one [`layout::Scene`] per plot, in image pixels (for
/// checks such as "no annotation covers data").
pub fn scenes(
    rows: &[TidyRow],
    meta: &ChartMeta,
    lang: Lang,
    kind: ChartKind,
    fund: &str,
) -> Result<Vec<layout::Scene>, ChartError> {
    let (scenes, _) = one_ctx(rows, meta, lang, fund, |ctx| {
        let body = RunBody { ctx, kind };
        svg_page(&page(ctx, kind), body_height(ctx, kind), &body, true).map(|r| r.1)
    })?;
    Ok(scenes)
}

/// Render a page (body `body_h` pixels high, drawn by `body`) and write `stem.png` and
/// `stem.svg` into `dir`, atomically; every chart outside [`render_all`] is written here.
pub(crate) fn write_page(
    dir: &Path,
    stem: &str,
    page: &frame::Page,
    body_h: u32,
    body: &impl Body,
) -> Result<Vec<PathBuf>, ChartError> {
    font::ensure_registered()?;
    let (png, svg) = render_page(page, body_h, body)?;
    let png_path = dir.join(format!("{stem}.png"));
    let svg_path = dir.join(format!("{stem}.svg"));
    write_atomic(&png_path, &png)?;
    write_atomic(&svg_path, svg.as_bytes())?;
    Ok(vec![png_path, svg_path])
}

/// Draw a `w × h` bitmap with `paint` (text rasterised by our own layout, see
/// [`font::RasterMode`]) and encode it as PNG with its resolution (pHYs, [`style::DPI`]) and
/// its title and description (iTXt). Every PNG of the crate goes through here.
pub(crate) fn png_with(
    (w, h): (u32, u32),
    doc: &Doc,
    paint: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), ChartError>,
) -> Result<Vec<u8>, ChartError> {
    layout::new_page();
    let mut buf = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        let _raster = font::RasterMode::on();
        paint(&root)?;
        root.present()?;
    }
    let mut png = Vec::new();
    {
        let err = |e: png::EncodingError| ChartError::Png(e.to_string());
        let mut enc = png::Encoder::new(&mut png, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // Fast deflate with the Paeth filter: about 10 ms and 0.5 MB for a chart, where the
        // default level takes ten times as long for 0.3 MB.
        enc.set_compression(png::Compression::Fast);
        enc.set_filter(png::FilterType::Paeth);
        let ppm = (style::DPI / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        if !doc.title.is_empty() {
            enc.add_itxt_chunk("Title".into(), doc.title.clone())
                .map_err(err)?;
        }
        if !doc.desc.is_empty() {
            enc.add_itxt_chunk("Description".into(), doc.desc.clone())
                .map_err(err)?;
        }
        let mut wr = enc.write_header().map_err(err)?;
        wr.write_image_data(&buf).map_err(err)?;
        wr.finish().map_err(err)?;
    }
    Ok(png)
}

/// Draw an SVG of `w × h` pixels with `paint`; the file says its print size (16 cm wide)
/// and carries `<title>` and `<desc>`.
pub(crate) fn svg_with(
    (w, h): (u32, u32),
    doc: &Doc,
    paint: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    layout::new_page();
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, (w, h)).into_drawing_area();
        paint(&root)?;
        root.present()?;
    }
    Ok(finish_svg(&fix_svg_text(&s), (w, h), doc))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Print size in millimetres and the accessible title and description in the `<svg>` head.
fn finish_svg(svg: &str, (w, h): (u32, u32), doc: &Doc) -> String {
    let mm = |px: u32| px as f64 / style::DPI * 25.4;
    let from = format!("<svg width=\"{w}\" height=\"{h}\"");
    let to = format!(
        "<svg width=\"{:.1}mm\" height=\"{:.1}mm\" role=\"img\" aria-labelledby=\"title desc\"",
        mm(w),
        mm(h)
    );
    let svg = svg.replacen(&from, &to, 1);
    let Some(end) = svg.find('>') else {
        return svg;
    };
    format!(
        "{}\n<title id=\"title\">{}</title>\n<desc id=\"desc\">{}</desc>{}",
        &svg[..=end],
        xml_escape(&doc.title),
        xml_escape(&doc.desc),
        &svg[end + 1..]
    )
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

#[cfg(test)]
mod tests;
