//! Where things are on a chart: every plot records the series it drew (lines and bands, in
//! pixels) and every annotation box it placed, so that a label is put only in free space and
//! a test can check that no annotation covers data (issue #9).
//!
//! Labels go (1) beside the point they describe, at the first of several candidate positions
//! that is inside the plot and clear of every series, band and earlier label; or (2) outside
//! the plot, in its margins. Labels along an edge (line labels, year markers) are spread
//! apart by [`spread`] so that they never overlap.

use std::cell::RefCell;

/// An axis-aligned rectangle in pixels, `x0 ≤ x1`, `y0 ≤ y1` (y down).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rect {
    /// Left.
    pub x0: i32,
    /// Top.
    pub y0: i32,
    /// Right.
    pub x1: i32,
    /// Bottom.
    pub y1: i32,
}

impl Rect {
    /// The rectangle spanned by two corners.
    pub fn new(x0: i32, y0: i32, x1: i32, y1: i32) -> Rect {
        Rect {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
        }
    }

    /// Whether two rectangles overlap (touching edges do not).
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// Whether `o` lies inside this rectangle.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }

    fn has_point(&self, p: (i32, i32)) -> bool {
        p.0 > self.x0 && p.0 < self.x1 && p.1 > self.y0 && p.1 < self.y1
    }

    /// Grown by `d` pixels on every side.
    pub fn grow(&self, d: i32) -> Rect {
        Rect::new(self.x0 - d, self.y0 - d, self.x1 + d, self.y1 + d)
    }

    /// Moved by `(dx, dy)`.
    pub fn shift(&self, dx: i32, dy: i32) -> Rect {
        Rect::new(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)
    }

    /// Whether the segment `a–b` passes through the rectangle's interior.
    pub fn hits_segment(&self, a: (i32, i32), b: (i32, i32)) -> bool {
        if self.has_point(a) || self.has_point(b) {
            return true;
        }
        let (x0, y0, x1, y1) = (
            self.x0 as f64,
            self.y0 as f64,
            self.x1 as f64,
            self.y1 as f64,
        );
        // Liang–Barsky clipping of the segment against the open rectangle.
        let (ax, ay) = (a.0 as f64, a.1 as f64);
        let (dx, dy) = (b.0 as f64 - ax, b.1 as f64 - ay);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [(-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)] {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        t0 < t1
    }

    /// Whether the polyline crosses the rectangle.
    pub fn hits_line(&self, pts: &[(i32, i32)]) -> bool {
        match pts {
            [] => false,
            [p] => self.has_point(*p),
            _ => pts.windows(2).any(|w| self.hits_segment(w[0], w[1])),
        }
    }

    /// Whether the rectangle overlaps the (closed, simple) polygon.
    pub fn hits_polygon(&self, poly: &[(i32, i32)]) -> bool {
        if poly.len() < 3 {
            return self.hits_line(poly);
        }
        let n = poly.len();
        if (0..n).any(|i| self.hits_segment(poly[i], poly[(i + 1) % n])) {
            return true;
        }
        let c = ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2);
        point_in_polygon(c, poly)
    }
}

fn point_in_polygon(p: (i32, i32), poly: &[(i32, i32)]) -> bool {
    let (x, y) = (p.0 as f64 + 0.5, p.1 as f64 + 0.5);
    let mut inside = false;
    let n = poly.len();
    for i in 0..n {
        let (a, b) = (poly[i], poly[(i + n - 1) % n]);
        let (ax, ay, bx, by) = (a.0 as f64, a.1 as f64, b.0 as f64, b.1 as f64);
        if (ay > y) != (by > y) && x < (bx - ax) * (y - ay) / (by - ay) + ax {
            inside = !inside;
        }
    }
    inside
}

/// What one plot drew: its rectangle, series (polylines), bands (polygons), reference lines
/// and annotation boxes, in pixels of the whole image once recorded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scene {
    /// The plot rectangle.
    pub plot: Rect,
    /// Data series drawn as lines.
    pub lines: Vec<Vec<(i32, i32)>>,
    /// Data drawn as areas (bands, bars).
    pub bands: Vec<Vec<(i32, i32)>>,
    /// Reference lines (warning lines, year markers): labels avoid them too.
    pub guides: Vec<Vec<(i32, i32)>>,
    /// Annotation boxes (labels placed on or beside the plot).
    pub labels: Vec<Rect>,
    /// Which image, in drawing order, the plot belongs to (set when recorded).
    pub page: usize,
    /// Offset of the drawing area in the image (added when recorded).
    #[doc(hidden)]
    pub offset: (i32, i32),
}

impl Scene {
    /// Whether `r` is clear of every series, band, guide and earlier label.
    pub fn is_free(&self, r: &Rect) -> bool {
        self.lines.iter().all(|l| !r.hits_line(l))
            && self.bands.iter().all(|b| !r.hits_polygon(b))
            && self.guides.iter().all(|g| !r.hits_line(g))
            && self.labels.iter().all(|l| !r.intersects(l))
    }

    /// The first candidate box (top-left corners, for a `w × h` label) that lies inside the
    /// plot (less `pad`) and is free; it is recorded as a label.
    pub fn place(&mut self, candidates: &[(i32, i32)], w: i32, h: i32, pad: i32) -> Option<Rect> {
        let inner = self.plot.grow(-pad);
        let r = candidates
            .iter()
            .map(|&(x, y)| Rect::new(x, y, x + w, y + h))
            .find(|r| inner.contains(r) && self.is_free(&r.grow(pad)))?;
        self.labels.push(r);
        Some(r)
    }

    fn absolute(&self) -> Scene {
        let (dx, dy) = self.offset;
        let mv = |v: &Vec<Vec<(i32, i32)>>| -> Vec<Vec<(i32, i32)>> {
            v.iter()
                .map(|l| l.iter().map(|p| (p.0 + dx, p.1 + dy)).collect())
                .collect()
        };
        Scene {
            plot: self.plot.shift(dx, dy),
            lines: mv(&self.lines),
            bands: mv(&self.bands),
            guides: mv(&self.guides),
            labels: self.labels.iter().map(|r| r.shift(dx, dy)).collect(),
            page: PAGE.with(|p| p.get()),
            offset: (0, 0),
        }
    }
}

/// The annotation boxes of `scenes` that cover a plotted series or band of any of them
/// (empty when every label sits in free space, as it must).
pub fn covering_labels(scenes: &[Scene]) -> Vec<Rect> {
    scenes
        .iter()
        .flat_map(|s| s.labels.iter().map(move |r| (s.page, r)))
        .filter(|(page, r)| {
            scenes.iter().filter(|t| t.page == *page).any(|t| {
                t.lines.iter().any(|l| r.hits_line(l)) || t.bands.iter().any(|b| r.hits_polygon(b))
            })
        })
        .map(|(_, r)| *r)
        .collect()
}

/// Candidate top-left corners for a `w × h` label about the point `p`: beside it on either
/// side, above and below, at growing distances.
pub(crate) fn around(p: (i32, i32), w: i32, h: i32, step: i32) -> Vec<(i32, i32)> {
    let mut v = Vec::new();
    for k in 1..=6 {
        let d = step * k;
        v.extend([
            (p.0 + d / 2, p.1 - h - d),
            (p.0 + d / 2, p.1 + d),
            (p.0 - w - d / 2, p.1 - h - d),
            (p.0 - w - d / 2, p.1 + d),
            (p.0 - w / 2, p.1 - h - d),
            (p.0 - w / 2, p.1 + d),
            (p.0 + d, p.1 - h / 2),
            (p.0 - w - d, p.1 - h / 2),
        ]);
    }
    v
}

/// Positions for labels of height `h` that want to sit at `want` (one axis, pixels), kept
/// within `[lo, hi]` (label centres) and at least `h` apart, each as close to its wish as
/// that allows (clusters of overlapping labels are centred on their wishes). Returns the
/// positions in the order given.
pub(crate) fn spread(want: &[i32], h: i32, lo: i32, hi: i32) -> Vec<i32> {
    let mut idx: Vec<usize> = (0..want.len()).collect();
    idx.sort_by_key(|&i| (want[i], i));
    // Clusters: (first index in sorted order, count, start position).
    let mut cl: Vec<(usize, usize, f64)> = Vec::new();
    for (k, &i) in idx.iter().enumerate() {
        cl.push((k, 1, want[i] as f64));
        loop {
            let n = cl.len();
            if n < 2 {
                break;
            }
            let (a, b) = (cl[n - 2], cl[n - 1]);
            if a.2 + a.1 as f64 * h as f64 > b.2 {
                // Merge: centre the cluster on the mean of its wishes.
                let cnt = a.1 + b.1;
                let mean = idx[a.0..a.0 + cnt]
                    .iter()
                    .map(|&i| want[i] as f64)
                    .sum::<f64>()
                    / cnt as f64;
                let start = mean - (cnt as f64 - 1.0) * h as f64 / 2.0;
                cl.truncate(n - 2);
                cl.push((a.0, cnt, start));
            } else {
                break;
            }
        }
    }
    let mut pos = vec![0i32; want.len()];
    let total = want.len() as f64 * h as f64;
    let mut prev_end = f64::NEG_INFINITY;
    for (first, cnt, start) in cl {
        for j in 0..cnt {
            let mut y = start + j as f64 * h as f64;
            y = y.max(prev_end + h as f64);
            pos[idx[first + j]] = y.round() as i32;
            prev_end = y;
        }
    }
    // Keep inside [lo, hi]: shift everything down from the top, then up from the bottom.
    if !pos.is_empty() && (hi - lo) as f64 >= total - h as f64 {
        let mut order = idx.clone();
        let mut floor = lo;
        for &i in &order {
            pos[i] = pos[i].max(floor);
            floor = pos[i] + h;
        }
        order.reverse();
        let mut ceil = hi;
        for &i in &order {
            pos[i] = pos[i].min(ceil);
            ceil = pos[i] - h;
        }
    }
    pos
}

thread_local! {
    static RECORD: RefCell<Option<Vec<Scene>>> = const { RefCell::new(None) };
    static PAGE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Start a new image: scenes finished from now on belong to it.
pub(crate) fn new_page() {
    PAGE.with(|p| p.set(p.get() + 1));
}

/// Record every [`Scene`] finished on this thread while `f` runs, in image pixels (for
/// checks such as "no annotation covers data"; charts drawn on other threads are not seen).
pub fn record<T>(f: impl FnOnce() -> T) -> (T, Vec<Scene>) {
    RECORD.with(|r| *r.borrow_mut() = Some(Vec::new()));
    let out = f();
    let scenes = RECORD.with(|r| r.borrow_mut().take()).unwrap_or_default();
    (out, scenes)
}

/// Hand a finished scene to the recorder, if one is listening.
pub(crate) fn finish(scene: &Scene) {
    RECORD.with(|r| {
        if let Some(v) = r.borrow_mut().as_mut() {
            v.push(scene.absolute());
        }
    });
}
