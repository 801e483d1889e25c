//! One polygon prepared for fast point-in-polygon tests: its edges, and a
//! uniform grid over its bounding box whose cells are known to be wholly
//! inside, wholly outside, or crossed by the boundary.
//!
//! # How a point is located
//!
//! 1. Outside the bounding box: outside.
//! 2. The point's grid cell is wholly inside or wholly outside: that answer.
//!    A cell is marked *boundary* when any edge may pass through it (the
//!    marking is conservative), so an unmarked cell holds no boundary point
//!    and every point in it answers like the cell's centre, which was located
//!    exactly when the grid was built.
//! 3. Otherwise the even–odd crossing number of a ray from the point towards
//!    +x, over the edges of the point's grid *row* only (every edge whose
//!    y-range meets the row, of every ring, so holes count). The orientation
//!    test is exact (a floating-point filter backed by Shewchuk's adaptive
//!    predicates), so a point exactly on an edge is reported as on the
//!    boundary, never inside.
//!
//! The grid and rows are addressed through the same monotone function of the
//! coordinate ([`Axis::index`]), which is what makes steps 2 and 3 exact in
//! floating point: a point on an edge always falls in a row the edge is
//! listed in and in a cell the edge marked.

use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Coord, Polygon};

/// Where a point is relative to a polygon.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Inside,
    Outside,
    /// On an edge or a vertex (not in the interior).
    Boundary,
}

/// An edge normalised so that `ay <= by`; horizontal edges have `ay == by`.
#[derive(Copy, Clone, Debug, PartialEq)]
pub(crate) struct Edge {
    pub ax: f64,
    pub ay: f64,
    pub bx: f64,
    pub by: f64,
}

impl Edge {
    fn new(a: Coord<f64>, b: Coord<f64>) -> Edge {
        if a.y <= b.y {
            Edge {
                ax: a.x,
                ay: a.y,
                bx: b.x,
                by: b.y,
            }
        } else {
            Edge {
                ax: b.x,
                ay: b.y,
                bx: a.x,
                by: a.y,
            }
        }
    }

    fn min_x(&self) -> f64 {
        self.ax.min(self.bx)
    }

    fn max_x(&self) -> f64 {
        self.ax.max(self.bx)
    }
}

/// Sign of the orientation of (a, b, p): positive when p is left of a→b.
/// Exact: a floating-point filter (Shewchuk's `ccwerrboundA`) and the robust
/// predicate when the filter cannot decide.
#[inline]
fn orient(ax: f64, ay: f64, bx: f64, by: f64, px: f64, py: f64) -> f64 {
    let l = (bx - ax) * (py - ay);
    let r = (by - ay) * (px - ax);
    let det = l - r;
    let bound = 3.330_669_073_875_471_6e-16 * (l.abs() + r.abs());
    if det > bound || -det > bound {
        return det;
    }
    match RobustKernel::orient2d(
        Coord { x: ax, y: ay },
        Coord { x: bx, y: by },
        Coord { x: px, y: py },
    ) {
        Orientation::CounterClockwise => 1.0,
        Orientation::Clockwise => -1.0,
        Orientation::Collinear => 0.0,
    }
}

/// Even–odd location of (px, py) over `edges` (a ray towards +x). `edges`
/// must hold every edge of the polygon whose y-range contains `py`.
#[inline]
pub(crate) fn locate_in(edges: &[Edge], px: f64, py: f64) -> Location {
    let mut inside = false;
    for e in edges {
        if py < e.ay || py > e.by {
            continue;
        }
        let (min_x, max_x) = if e.ax <= e.bx {
            (e.ax, e.bx)
        } else {
            (e.bx, e.ax)
        };
        if px > max_x {
            continue;
        }
        if e.ay == e.by {
            // horizontal, on the point's line: the point is on it or left of it
            if px >= min_x {
                return Location::Boundary;
            }
            continue;
        }
        if px < min_x {
            // the edge lies wholly to the right: crossing, with the half-open rule
            if py < e.by {
                inside = !inside;
            }
            continue;
        }
        let o = orient(e.ax, e.ay, e.bx, e.by, px, py);
        if o == 0.0 {
            return Location::Boundary;
        }
        if o > 0.0 && py < e.by {
            inside = !inside;
        }
    }
    if inside {
        Location::Inside
    } else {
        Location::Outside
    }
}

/// Maps a coordinate to a grid index; monotone non-decreasing in the coordinate.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Axis {
    origin: f64,
    /// Cells per unit (0 for a degenerate extent).
    scale: f64,
    pub n: usize,
}

impl Axis {
    pub fn new(min: f64, max: f64, n: usize) -> Axis {
        let extent = max - min;
        let scale = if extent > 0.0 && extent.is_finite() {
            n as f64 / extent
        } else {
            0.0
        };
        Axis {
            origin: min,
            scale,
            n,
        }
    }

    #[inline]
    pub fn index(&self, v: f64) -> usize {
        // `as usize` saturates: negatives and NaN go to 0
        (((v - self.origin) * self.scale) as usize).min(self.n - 1)
    }

    /// A coordinate near the middle of cell `i` (not necessarily mapped to `i`).
    fn centre(&self, i: usize) -> f64 {
        if self.scale > 0.0 {
            self.origin + (i as f64 + 0.5) / self.scale
        } else {
            self.origin
        }
    }

    /// Bounds of cell `i` (approximate, for conservative marking).
    fn bounds(&self, i: usize) -> (f64, f64) {
        if self.scale > 0.0 {
            (
                self.origin + i as f64 / self.scale,
                self.origin + (i + 1) as f64 / self.scale,
            )
        } else {
            (f64::NEG_INFINITY, f64::INFINITY)
        }
    }
}

const CELL_OUTSIDE: u8 = 0;
const CELL_INSIDE: u8 = 1;
const CELL_BOUNDARY: u8 = 2;

/// How many grid cells per edge a prepared polygon gets (before the clamps).
pub const DEFAULT_CELLS_PER_EDGE: f64 = 4.0;
/// The most cells along one side of a polygon's grid.
const MAX_SIDE: usize = 1024;
/// Rows are halved until the row lists hold at most this many copies per edge.
const ROW_COPIES_PER_EDGE: usize = 16;

/// A polygon prepared for point location.
#[derive(Clone, Debug)]
pub(crate) struct PreparedPolygon {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
    /// Every edge of every ring, in ring order (exterior first).
    pub edges: Vec<Edge>,
    xs: Axis,
    ys: Axis,
    cells: Vec<u8>,
    row_start: Vec<usize>,
    row_edges: Vec<Edge>,
}

impl PreparedPolygon {
    /// `None` when the polygon has a non-finite coordinate or no edges.
    pub fn new(polygon: &Polygon<f64>, cells_per_edge: f64) -> Option<PreparedPolygon> {
        let mut edges = Vec::new();
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let coords = &ring.0;
            if coords.iter().any(|c| !c.x.is_finite() || !c.y.is_finite()) {
                return None;
            }
            if coords.len() < 2 {
                continue;
            }
            for w in coords.windows(2) {
                if w[0] != w[1] {
                    edges.push(Edge::new(w[0], w[1]));
                }
            }
            // close the ring if its last point is not its first
            if let (Some(&first), Some(&last)) = (coords.first(), coords.last())
                && first != last
            {
                edges.push(Edge::new(last, first));
            }
        }
        if edges.is_empty() {
            return None;
        }
        let mut min_x = f64::INFINITY;
        let mut min_y = f64::INFINITY;
        let mut max_x = f64::NEG_INFINITY;
        let mut max_y = f64::NEG_INFINITY;
        for e in &edges {
            min_x = min_x.min(e.min_x());
            max_x = max_x.max(e.max_x());
            min_y = min_y.min(e.ay);
            max_y = max_y.max(e.by);
        }

        // grid of about cells_per_edge * n cells with square-ish cells
        let target = (edges.len() as f64 * cells_per_edge.max(0.0)).max(1.0);
        let (w, h) = (max_x - min_x, max_y - min_y);
        let (nx, ny) = if w > 0.0 && h > 0.0 {
            let nx = (target * w / h).sqrt().ceil();
            let ny = (target * h / w).sqrt().ceil();
            (nx, ny)
        } else if w > 0.0 {
            (target.ceil(), 1.0)
        } else if h > 0.0 {
            (1.0, target.ceil())
        } else {
            (1.0, 1.0)
        };
        let nx = (nx as usize).clamp(1, MAX_SIDE);
        let mut ny = (ny as usize).clamp(1, MAX_SIDE);
        let xs = Axis::new(min_x, max_x, nx);
        // rows: every edge whose y-range meets the row (same index function as
        // lookups); fewer rows when long edges would be copied into too many
        let budget = (edges.len() * ROW_COPIES_PER_EDGE).max(4096);
        let ys = loop {
            let ys = Axis::new(min_y, max_y, ny);
            let copies: usize = edges
                .iter()
                .map(|e| ys.index(e.by) - ys.index(e.ay) + 1)
                .sum();
            if copies <= budget || ny == 1 {
                break ys;
            }
            ny = ny.div_ceil(2);
        };
        let mut row_start = vec![0usize; ny + 1];
        for e in &edges {
            for c in &mut row_start[ys.index(e.ay) + 1..=ys.index(e.by) + 1] {
                *c += 1;
            }
        }
        for r in 0..ny {
            row_start[r + 1] += row_start[r];
        }
        let mut fill: Vec<usize> = row_start[..ny].to_vec();
        let mut row_edges = vec![edges[0]; row_start[ny]];
        for e in &edges {
            for f in &mut fill[ys.index(e.ay)..=ys.index(e.by)] {
                row_edges[*f] = *e;
                *f += 1;
            }
        }

        // cells: conservative boundary marking, row by row along each edge
        let mut cells = vec![CELL_OUTSIDE; nx * ny];
        for e in &edges {
            let (r0, r1) = (ys.index(e.ay), ys.index(e.by));
            for r in r0..=r1 {
                let (c0, c1) = if r0 == r1 || e.ay == e.by {
                    (xs.index(e.min_x()), xs.index(e.max_x()))
                } else {
                    // x-range of the edge within the row, widened by a hundredth of a row
                    let (lo, hi) = ys.bounds(r);
                    let pad = (hi - lo) * 0.01;
                    let t = |y: f64| ((y - e.ay) / (e.by - e.ay)).clamp(0.0, 1.0);
                    let xa = e.ax + (e.bx - e.ax) * t(lo - pad);
                    let xb = e.ax + (e.bx - e.ax) * t(hi + pad);
                    let padx = (xs.bounds(0).1 - xs.bounds(0).0).abs() * 0.01;
                    let (x0, x1) = if xa <= xb { (xa, xb) } else { (xb, xa) };
                    let x0 = (x0 - padx).max(e.min_x());
                    let x1 = (x1 + padx).min(e.max_x());
                    (xs.index(x0), xs.index(x1))
                };
                // (rounding can put an interpolated x a hair past the edge's end)
                let (c0, c1) = (c0.min(c1), c0.max(c1));
                for c in &mut cells[r * nx + c0..=r * nx + c1] {
                    *c = CELL_BOUNDARY;
                }
            }
        }
        for r in 0..ny {
            let row = &row_edges[row_start[r]..row_start[r + 1]];
            let cy = ys.centre(r);
            for c in 0..nx {
                let cell = &mut cells[r * nx + c];
                if *cell == CELL_BOUNDARY {
                    continue;
                }
                let cx = xs.centre(c);
                *cell = if ys.index(cy) != r || xs.index(cx) != c {
                    CELL_BOUNDARY
                } else {
                    match locate_in(row, cx, cy) {
                        Location::Inside => CELL_INSIDE,
                        Location::Outside => CELL_OUTSIDE,
                        Location::Boundary => CELL_BOUNDARY,
                    }
                };
            }
        }

        Some(PreparedPolygon {
            min_x,
            min_y,
            max_x,
            max_y,
            edges,
            xs,
            ys,
            cells,
            row_start,
            row_edges,
        })
    }

    /// Where (x, y) is; exact for every finite point.
    #[inline]
    pub fn locate(&self, x: f64, y: f64) -> Location {
        // written so that NaN fails the test
        if !(x >= self.min_x && x <= self.max_x && y >= self.min_y && y <= self.max_y) {
            return Location::Outside;
        }
        let r = self.ys.index(y);
        let c = self.xs.index(x);
        match self.cells[r * self.xs.n + c] {
            CELL_INSIDE => Location::Inside,
            CELL_OUTSIDE => Location::Outside,
            _ => {
                let row = &self.row_edges[self.row_start[r]..self.row_start[r + 1]];
                locate_in(row, x, y)
            }
        }
    }

    /// Share of grid cells crossed by the boundary (for tuning).
    #[cfg(test)]
    pub fn boundary_share(&self) -> f64 {
        self.cells.iter().filter(|&&c| c == CELL_BOUNDARY).count() as f64 / self.cells.len() as f64
    }

    /// Bytes held (approximate).
    pub fn heap_bytes(&self) -> usize {
        self.edges.len() * std::mem::size_of::<Edge>()
            + self.row_edges.len() * std::mem::size_of::<Edge>()
            + self.cells.len()
            + self.row_start.len() * std::mem::size_of::<usize>()
    }
}
