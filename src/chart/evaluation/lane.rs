//! The marker lane above an evaluation panel: the 预测起点, 重新预测 and 规划期末 labels, each
//! beside its year line, in as few rows as keep every rising line clear of the labels below.

use crate::chart::axes::{Margins, Plot, year_range};
use crate::chart::layout::Rect;
use crate::chart::style::{alpha, line_h, size, stroke};
use crate::chart::text::{R, anchored, text, width};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// A marker label's place in the lane above a plot: its row (0 nearest the plot), its left
/// edge and width.
pub(super) struct LaneLabel {
    pub(super) row: i32,
    x0: i32,
    w: i32,
}

/// A marker label's option: row, left edge, whether it sits left of its line.
type Opt = (i32, i32, bool);

/// The search for a placement of marker labels: each label's line x and width.
struct LaneSearch {
    geo: Vec<(i32, i32)>,
    area_w: i32,
}

impl LaneSearch {
    /// Options of label `i`: every row, right or left of its line, inside the area.
    fn options(&self, i: usize) -> Vec<Opt> {
        let (at, w) = self.geo[i];
        let mut v = Vec::new();
        for row in 0..self.geo.len() as i32 {
            for (left, flipped) in [(at + 8, false), (at - 8 - w, true)] {
                if left >= 0 && left + w <= self.area_w - 4 {
                    v.push((row, left, flipped));
                }
            }
        }
        v
    }

    /// Whether labels `i` and `j` may sit at `oi` and `oj`: apart in one row, and the line
    /// of the upper one clear of the lower one.
    fn ok(&self, (i, oi): (usize, Opt), (j, oj): (usize, Opt)) -> bool {
        let span = |k: usize, o: Opt| (o.1 - 12, o.1 + self.geo[k].1 + 12);
        let (bi, bj) = (span(i, oi), span(j, oj));
        if oi.0 == oj.0 {
            bi.1 <= bj.0 || bj.1 <= bi.0
        } else if oi.0 < oj.0 {
            !(bi.0..=bi.1).contains(&self.geo[j].0)
        } else {
            !(bj.0..=bj.1).contains(&self.geo[i].0)
        }
    }

    /// Fewest rows, then lowest rows, then fewest labels left of their lines.
    fn score(c: &[Opt]) -> (i32, i32, usize) {
        (
            c.iter().map(|o| o.0).max().unwrap_or(0),
            c.iter().map(|o| o.0).sum(),
            c.iter().filter(|o| o.2).count(),
        )
    }

    /// Depth-first over the options (a handful of markers: at most (2n)^n tries).
    fn search(&self, cur: &mut Vec<Opt>, best: &mut Option<Vec<Opt>>) {
        let i = cur.len();
        if i == self.geo.len() {
            if best
                .as_ref()
                .is_none_or(|b| Self::score(cur) < Self::score(b))
            {
                *best = Some(cur.clone());
            }
            return;
        }
        for o in self.options(i) {
            if cur
                .iter()
                .enumerate()
                .all(|(j, c)| self.ok((i, o), (j, *c)))
            {
                cur.push(o);
                self.search(cur, best);
                cur.pop();
            }
        }
    }
}

/// Place marker labels in rows above a plot with margins `m` in an area `area_w` wide: each
/// label right or left of its year line, so that no two labels of a row touch and no line
/// rising to a label crosses a label below it; of all such placements, the one with the
/// fewest rows, then the lowest rows, then the fewest labels left of their lines.
pub(super) fn lane_rows(
    ms: &[(i32, String, RGBColor)],
    area_w: i32,
    m: &Margins,
    years: (i32, i32),
) -> Vec<LaneLabel> {
    let (x0, x1) = (m.left, area_w - m.right);
    let (a, b) = year_range(years);
    let st = anchored(size::text(), HPos::Left, VPos::Center);
    let geo: Vec<(i32, i32)> = ms
        .iter()
        .map(|(year, label, _)| {
            let at = x0 + ((*year as f64 - a) / (b - a) * (x1 - x0) as f64).round() as i32;
            (at, width(label, &st))
        })
        .collect();
    let search = LaneSearch {
        geo: geo.clone(),
        area_w,
    };
    let mut best = None;
    search.search(&mut Vec::new(), &mut best);
    // Without a placement (labels too wide for the panel), a staircase: one row each, the
    // latest year lowest, right of its line where it fits.
    let n = ms.len();
    let chosen = best.unwrap_or_else(|| {
        let mut by_year: Vec<usize> = (0..n).collect();
        by_year.sort_by_key(|&i| std::cmp::Reverse(ms[i].0));
        let mut v = vec![(0, 0, false); n];
        for (row, i) in by_year.into_iter().enumerate() {
            v[i] = (
                row as i32,
                (geo[i].0 + 8).min(area_w - 4 - geo[i].1).max(0),
                false,
            );
        }
        v
    });
    chosen
        .iter()
        .zip(&geo)
        .map(|(o, (_, w))| LaneLabel {
            row: o.0,
            x0: o.1,
            w: *w,
        })
        .collect()
}

/// Draw the markers: a dashed line at each year through the plot and its label in the lane
/// above, joined to the line.
pub(super) fn draw_lane<DB: DrawingBackend>(
    p: &mut Plot<DB>,
    ms: &[(i32, String, RGBColor)],
    lane: &[LaneLabel],
) -> R {
    let lh = line_h(size::text());
    for ((year, label, col), ll) in ms.iter().zip(lane) {
        p.guide_v(*year as f64, alpha(*col, 0.9), 0.8, true)?;
        let yc = p.rect.y0 - 8 - lh / 2 - ll.row * lh;
        let x = p.px((*year as f64, 0.0)).0;
        p.area.draw(&PathElement::new(
            vec![(x, yc), (x, p.rect.y0)],
            alpha(*col, 0.9).stroke_width(stroke(0.5)),
        ))?;
        let st = anchored(size::text(), HPos::Left, VPos::Center).color(col);
        text(p.area, label, (ll.x0, yc), &st)?;
        p.scene
            .labels
            .push(Rect::new(ll.x0, yc - lh / 2, ll.x0 + ll.w, yc + lh / 2));
    }
    Ok(())
}
