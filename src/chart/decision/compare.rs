//! `compare` charts (MODEL.md §11 *Compare*): per fund, the options' median months of reserve
//! with their 25–75% bands and 5–95% lines (`compare_months_<fund>`), and the paired
//! difference of each option from the reference, path by path on common random numbers,
//! with its bands (`compare_diff_<fund>`): possible here because options share random
//! numbers, so a path is the same future under every option.

use super::{Names, Runs, foot, option_colour, write};
use crate::chart::axes::{Margins, Plot, guide_colour, year_range};
use crate::chart::frame::{Item, Page, Sw, item, no_data, panel_frame};
use crate::chart::panels::{left_margin, y_axis};
use crate::chart::style::{INK, alpha, months_text, num, tr};
use crate::chart::words::{OptionNames, option_names};
use crate::chart::{Body, ChartError, ChartMeta, Lang};
use crate::decision::FUNDS;
use crate::decision::compare::Comparison;
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

const BODY_H: u32 = 1100;

/// Series `k` (0 = P5 … 4 = P95) of one option's quantile table.
fn series(years: &[i32], q: &[[f64; 5]], k: usize) -> Vec<(f64, f64)> {
    years
        .iter()
        .zip(q)
        .map(|(y, v)| (*y as f64, v[k]))
        .collect()
}

/// Options whose medians equal an earlier option's in every year: `dup[i] = Some(j)`.
fn duplicates(c: &Comparison, f: usize) -> Vec<Option<usize>> {
    (0..c.bands.len())
        .map(|i| {
            (0..i).find(|&j| {
                c.bands[i].months[f]
                    .iter()
                    .zip(&c.bands[j].months[f])
                    .all(|(a, b)| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9))
            })
        })
        .collect()
}

struct Overlay<'a> {
    c: &'a Comparison,
    f: usize,
    names: &'a [String],
    lines: [f64; 2],
    lang: Lang,
}

impl Overlay<'_> {
    fn items(&self) -> Vec<Item> {
        let lang = self.lang;
        let dup = duplicates(self.c, self.f);
        let mut items: Vec<Item> = self
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let label = match (dup[i], lang) {
                    (Some(j), Lang::Zh) => format!("{n}（与{}结果相同，曲线重合）", self.names[j]),
                    (Some(j), Lang::En) => {
                        format!("{n} (same as {}: lines coincide)", self.names[j])
                    }
                    (None, _) => n.clone(),
                };
                let sw = if dup[i].is_some() {
                    Sw::Dash(alpha(option_colour(i), 1.0))
                } else {
                    Sw::Line(alpha(option_colour(i), 1.0), 1.5)
                };
                item(sw, label)
            })
            .collect();
        items.push(item(
            Sw::Fill(alpha(INK, 0.14)),
            tr(
                lang,
                "25%–75% 分位（各方案同色）",
                "25–75% range (option colour)",
            ),
        ));
        items.push(item(
            Sw::Dash(alpha(INK, 0.6)),
            tr(lang, "5%–95% 分位（细虚线）", "5–95% range (thin dashes)"),
        ));
        items
    }
}

impl Body for Overlay<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let (c, f, lang) = (self.c, self.f, self.lang);
        let years = &c.bands[0].years;
        let span = (years[0], *years.last().unwrap_or(&years[0]));
        let plot_area = panel_frame(area, None, &self.items())?;
        if span.1 <= span.0 {
            return no_data(&plot_area, lang);
        }
        let vals = c
            .bands
            .iter()
            .flat_map(|b| b.months[f].iter().flat_map(|q| [q[0], q[4]]));
        let (dmin, dmax) =
            crate::chart::data::extent(vals.chain([0.0, self.lines[1]])).unwrap_or((0.0, 1.0));
        let pad = 0.05 * (dmax - dmin).max(1e-9);
        let (lo, hi) = (dmin - pad, dmax + pad);
        let (_, ah) = plot_area.dim_in_pixel();
        let (ticks, d) = y_axis(lo, hi, ah as i32);
        let fmt = move |v: f64| num(v, d);
        let st = crate::chart::text::anchored(
            crate::chart::style::size::text(),
            plotters::style::text_anchor::HPos::Left,
            plotters::style::text_anchor::VPos::Center,
        );
        let lw = crate::chart::text::width(&months_text(self.lines[1], 0, lang), &st);
        let m = Margins {
            left: left_margin(&ticks, &fmt),
            right: lw + 40,
            top: 16,
            bottom: Margins::standard(0, 0, 0, true).bottom,
        };
        let mut p = Plot::new(&plot_area, year_range(span), (lo, hi), m)?;
        p.grid(&ticks)?;
        p.y_ticks(&ticks, &fmt)?;
        p.y_title(tr(lang, "可支付月数（个月）", "Months of reserve"), m.left)?;
        p.x_years(span)?;
        p.x_title(tr(lang, "年份", "Year"))?;
        p.guide_h(0.0, alpha(INK, 0.6), 0.6, false)?;
        for l in self.lines {
            p.guide_h(l, guide_colour(), 0.8, true)?;
        }
        for (i, b) in c.bands.iter().enumerate() {
            p.band(
                &series(years, &b.months[f], 1),
                &series(years, &b.months[f], 3),
                alpha(option_colour(i), 0.14),
            )?;
        }
        for (i, b) in c.bands.iter().enumerate() {
            for k in [0, 4] {
                p.dashed(
                    &series(years, &b.months[f], k),
                    alpha(option_colour(i), 0.8),
                    0.45,
                )?;
            }
        }
        let dup = duplicates(c, f);
        for (i, b) in c.bands.iter().enumerate() {
            let s = series(years, &b.months[f], 2);
            if dup[i].is_some() {
                p.dashed(&s, alpha(option_colour(i), 1.0), 1.3)?;
            } else {
                p.line(&s, alpha(option_colour(i), 1.0), 1.5)?;
            }
        }
        let labels: Vec<(f64, String, RGBColor)> = self
            .lines
            .iter()
            .map(|l| (*l, months_text(*l, 0, lang), INK))
            .collect();
        let boxes = p.edge_labels(&labels, 10)?;
        p.scene.labels.extend(boxes);
        Ok(())
    }
}

struct Diff<'a> {
    c: &'a Comparison,
    f: usize,
    names: &'a [String],
    lang: Lang,
}

impl Body for Diff<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let (c, f, lang) = (self.c, self.f, self.lang);
        let years = &c.bands[0].years;
        let span = (years[0], *years.last().unwrap_or(&years[0]));
        let mut items: Vec<Item> = (1..c.bands.len())
            .map(|i| {
                let label = match lang {
                    Lang::Zh => {
                        format!("{} − {}（逐路径差值中位数）", self.names[i], self.names[0])
                    }
                    Lang::En => format!(
                        "{} − {} (median path difference)",
                        self.names[i], self.names[0]
                    ),
                };
                item(Sw::Line(alpha(option_colour(i), 1.0), 1.5), label)
            })
            .collect();
        items.push(item(
            Sw::Fill(alpha(INK, 0.28)),
            tr(lang, "25%–75% 分位", "25–75% range"),
        ));
        items.push(item(
            Sw::Fill(alpha(INK, 0.12)),
            tr(lang, "5%–95% 分位", "5–95% range"),
        ));
        let plot_area = panel_frame(area, None, &items)?;
        if span.1 <= span.0 || c.bands.len() < 2 {
            return no_data(&plot_area, lang);
        }
        let vals = c.bands[1..]
            .iter()
            .flat_map(|b| b.diff[f].iter().flat_map(|q| [q[0], q[4]]));
        let (dmin, dmax) = crate::chart::data::extent(vals.chain([0.0])).unwrap_or((-1.0, 1.0));
        let pad = (0.06 * (dmax - dmin)).max(0.5);
        let (lo, hi) = (dmin - pad, dmax + pad);
        let (_, ah) = plot_area.dim_in_pixel();
        let (ticks, d) = y_axis(lo, hi, ah as i32);
        let fmt = move |v: f64| num(v, d);
        let m = Margins {
            left: left_margin(&ticks, &fmt),
            right: 40,
            top: 16,
            bottom: Margins::standard(0, 0, 0, true).bottom,
        };
        let mut p = Plot::new(&plot_area, year_range(span), (lo, hi), m)?;
        p.grid(&ticks)?;
        p.y_ticks(&ticks, &fmt)?;
        p.y_title(
            tr(
                lang,
                "可支付月数之差（个月）",
                "Difference in months of reserve",
            ),
            m.left,
        )?;
        p.x_years(span)?;
        p.x_title(tr(lang, "年份", "Year"))?;
        p.guide_h(0.0, alpha(INK, 0.8), 0.9, false)?;
        for (i, b) in c.bands.iter().enumerate().skip(1) {
            let col = option_colour(i);
            p.band(
                &series(years, &b.diff[f], 0),
                &series(years, &b.diff[f], 4),
                alpha(col, 0.12),
            )?;
            p.band(
                &series(years, &b.diff[f], 1),
                &series(years, &b.diff[f], 3),
                alpha(col, 0.28),
            )?;
        }
        for (i, b) in c.bands.iter().enumerate().skip(1) {
            p.line(
                &series(years, &b.diff[f], 2),
                alpha(option_colour(i), 1.0),
                1.5,
            )?;
        }
        Ok(())
    }
}

/// Whether every option gives the reference's months in this fund.
fn all_same(c: &Comparison, f: usize) -> bool {
    c.bands.len() > 1 && duplicates(c, f)[1..].iter().all(|d| *d == Some(0))
}

fn overlay_title(c: &Comparison, f: usize, on: &OptionNames, pre: &str, lang: Lang) -> String {
    let last = c.bands[0].years.len() - 1;
    let h = c.bands[0].years[last];
    let m: Vec<String> = c
        .bands
        .iter()
        .map(|b| num(b.months[f][last][2], 1))
        .collect();
    if all_same(c, f) {
        return match lang {
            Lang::Zh => format!(
                "{pre}各方案结果相同（所比较的参数不影响本基金），{h} 年可支付月数中位数均为 {} 个月",
                m[0]
            ),
            Lang::En => format!(
                "{pre}the options give the same result (the parameters compared do not affect this fund): median months of reserve in {h} {}",
                m[0]
            ),
        };
    }
    let (zh_sep, en_sep) = ("、", ", ");
    match (&on.single, lang) {
        (Some((name, vals)), Lang::Zh) => format!(
            "{pre}{name}为 {} 时，{h} 年可支付月数中位数分别为 {} 个月",
            vals.join(zh_sep),
            m.join(zh_sep)
        ),
        (Some((name, vals)), Lang::En) => format!(
            "{pre}median months of reserve in {h}: {} with {} at {}",
            m.join(en_sep),
            name.to_lowercase(),
            vals.join(en_sep)
        ),
        (None, _) => {
            let parts: Vec<String> = on
                .names
                .iter()
                .zip(&m)
                .map(|(n, v)| format!("{n} {v}"))
                .collect();
            match lang {
                Lang::Zh => format!("{pre}{h} 年可支付月数中位数：{}（个月）", parts.join("；")),
                Lang::En => format!("{pre}median months of reserve in {h}: {}", parts.join("; ")),
            }
        }
    }
}

fn diff_title(c: &Comparison, f: usize, on: &OptionNames, pre: &str, lang: Lang) -> String {
    let last = c.bands[0].years.len() - 1;
    let h = c.bands[0].years[last];
    if all_same(c, f) {
        return match lang {
            Lang::Zh => format!("{pre}各方案对本基金没有影响：可支付月数的逐路径差值恒为 0"),
            Lang::En => {
                format!("{pre}the options do not affect this fund: every path difference is 0")
            }
        };
    }
    let d: Vec<String> = c.bands[1..]
        .iter()
        .map(|b| sign(b.diff[f][last][2]))
        .collect();
    match (&on.single, lang) {
        (Some((name, vals)), Lang::Zh) => {
            let parts: Vec<String> = vals[1..]
                .iter()
                .zip(&d)
                .map(|(v, d)| format!("{v} 时 {d}"))
                .collect();
            format!(
                "{pre}与{name} {} 相比，{h} 年可支付月数逐路径差值的中位数：{} 个月",
                vals[0],
                parts.join("，")
            )
        }
        (Some((name, vals)), Lang::En) => {
            let parts: Vec<String> = vals[1..]
                .iter()
                .zip(&d)
                .map(|(v, d)| format!("{d} at {v}"))
                .collect();
            format!(
                "{pre}against {} at {}, median path difference in months at {h}: {}",
                name.to_lowercase(),
                vals[0],
                parts.join(", ")
            )
        }
        (None, _) => {
            let parts: Vec<String> = on.names[1..]
                .iter()
                .zip(&d)
                .map(|(n, d)| format!("{n} {d}"))
                .collect();
            match lang {
                Lang::Zh => format!(
                    "{pre}与{}相比，{h} 年可支付月数逐路径差值的中位数：{}（个月）",
                    on.names[0],
                    parts.join("；")
                ),
                Lang::En => format!(
                    "{pre}against {}, median path difference in months at {h}: {}",
                    on.names[0],
                    parts.join("; ")
                ),
            }
        }
    }
}

/// The 5–95% range of each option's paired difference in the last year, as a note.
fn diff_ranges(c: &Comparison, f: usize, names: &[String], lang: Lang) -> String {
    let last = c.bands[0].years.len() - 1;
    let h = c.bands[0].years[last];
    let parts: Vec<String> = c.bands[1..]
        .iter()
        .zip(&names[1..])
        .map(|(b, n)| {
            let q = b.diff[f][last];
            match lang {
                Lang::Zh => format!("{n}：{} 至 {} 个月", sign(q[0]), sign(q[4])),
                Lang::En => format!("{n}: {} to {} months", sign(q[0]), sign(q[4])),
            }
        })
        .collect();
    match lang {
        Lang::Zh => format!("{h} 年 90% 的路径差值落在：{}", parts.join("；")),
        Lang::En => format!(
            "In {h}, 90% of path differences lie within: {}",
            parts.join("; ")
        ),
    }
}

fn sign(v: f64) -> String {
    let s = num(v, 1);
    if v > 0.0 && s != "0.0" {
        format!("+{s}")
    } else {
        s
    }
}

/// Write `compare_months_<fund>` and, with two or more options, `compare_diff_<fund>` for
/// every fund (MODEL.md §11). `options` are the options' labels (file stems) and scenarios,
/// in the comparison's order; `meta` is the reference's ([`super::meta_for`]).
pub fn compare_charts(
    c: &Comparison,
    options: &[(&str, &Scenario)],
    meta: &ChartMeta,
    lang: Lang,
    dir: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    let nm = Names::of(meta);
    let horizon = c
        .bands
        .first()
        .and_then(|b| b.years.last().copied())
        .unwrap_or(0);
    let mut on = option_names(options, horizon, lang);
    let derived = on.names.iter().zip(options).any(|(n, o)| n != o.0);
    // Drawable names, and a number where a name repeats (the same file given twice).
    let mut seen: Vec<String> = Vec::new();
    on.names = on
        .names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let n = crate::chart::drawable(n, "option", &mut Vec::new());
            let n = if seen.contains(&n) {
                match lang {
                    Lang::Zh => format!("{n}（第 {} 项）", i + 1),
                    Lang::En => format!("{n} (#{})", i + 1),
                }
            } else {
                n
            };
            seen.push(n.clone());
            n
        })
        .collect();
    let names = on.names.clone();
    let mut out = Vec::new();
    if c.bands.is_empty() {
        return Ok(out);
    }
    let l = meta.tiers.lines;
    let lines = [l[1], l[2]];
    for f in 0..3 {
        let pre = nm.prefix(Some(f), lang);
        let dups: Vec<String> = duplicates(c, f)
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.map(|j| (i, j)))
            .map(|(i, j)| match lang {
                Lang::Zh => format!("{}与{}的结果完全相同，两条曲线重合", names[i], names[j]),
                Lang::En => format!(
                    "{} and {} give identical results: their lines coincide",
                    names[i], names[j]
                ),
            })
            .collect();
        let legend_names: Vec<String> = if derived {
            options
                .iter()
                .zip(&names)
                .map(|(o, n)| format!("{n}（{}）", o.0).replace("）（", "，"))
                .collect()
        } else {
            names.clone()
        };
        let n_paths = meta.paths.unwrap_or(0);
        let sub = match lang {
            Lang::Zh => format!(
                "各方案可支付月数：中位数（粗线）、25%–75% 分位（浅色带）、5%–95% 分位（细虚线）；虚线为合理区间 {}–{} 个月；蒙特卡洛 {n_paths} 条路径",
                num(l[1], 0),
                num(l[2], 0)
            ),
            Lang::En => format!(
                "Months of reserve per option: median (thick), 25–75% (shaded), 5–95% (thin dashes); dashed lines: reasonable range {}–{} months; Monte Carlo, {n_paths} paths",
                num(l[1], 0),
                num(l[2], 0)
            ),
        };
        let page = Page {
            title: overlay_title(c, f, &on, &pre, lang),
            subtitle: sub,
            notes: dups.clone(),
            foot: foot(meta, &nm, lang, Runs::Options),
        };
        let body = Overlay {
            c,
            f,
            names: &legend_names,
            lines,
            lang,
        };
        out.extend(write(
            dir,
            &format!("compare_months_{}", FUNDS[f]),
            &page,
            BODY_H,
            &body,
        )?);
        if c.bands.len() < 2 {
            continue;
        }
        let sub = match lang {
            Lang::Zh => "各方案与基准方案的可支付月数之差，按同一随机路径配对计算（各方案使用相同随机数，同一路径即同一经济情景）：中位数与 25%–75%、5%–95% 分位区间".to_string(),
            Lang::En => "Difference in months of reserve from the reference, path by path (options share random numbers, so a path is the same future under each): median with 25–75% and 5–95% ranges".to_string(),
        };
        let page = Page {
            title: diff_title(c, f, &on, &pre, lang),
            subtitle: sub,
            notes: vec![diff_ranges(c, f, &names, lang), match lang {
                Lang::Zh => "区间反映同一经济情景下两方案之差的分布，而非两条独立区间的重叠；差值中位数不等于中位数之差".to_string(),
                Lang::En => "The ranges are of the paired difference in the same future, not the overlap of two separate ranges; the median difference need not equal the difference of medians".to_string(),
            }],
            foot: foot(meta, &nm, lang, Runs::Options),
        };
        let body = Diff {
            c,
            f,
            names: &names,
            lang,
        };
        out.extend(write(
            dir,
            &format!("compare_diff_{}", FUNDS[f]),
            &page,
            BODY_H,
            &body,
        )?);
    }
    Ok(out)
}
