use super::*;
use crate::polygon::PreparedPolygon;
use geo::{Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use proptest::prelude::*;
use truce_model::report::LonLat;

fn ll(lon: f64, lat: f64) -> LonLat {
    LonLat { lon, lat }
}

fn ring(points: &[(f64, f64)]) -> LineString<f64> {
    LineString::new(points.iter().map(|&(x, y)| Coord { x, y }).collect())
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> LineString<f64> {
    ring(&[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])
}

/// 10 × 10 square with a 2 × 2 hole in the middle.
fn square_with_hole() -> MultiPolygon<f64> {
    MultiPolygon::new(vec![Polygon::new(
        rect(0.0, 0.0, 10.0, 10.0),
        vec![rect(4.0, 4.0, 6.0, 6.0)],
    )])
}

fn containing(index: &ZoneIndex, lon: f64, lat: f64) -> Vec<usize> {
    let mut out = Vec::new();
    index.containing(ll(lon, lat), &mut out);
    out
}

#[test]
fn square_with_hole_interior_hole_and_outside() {
    for density in [0.0, 1.0, DENSITIES[2]] {
        let index = ZoneIndex::with_options(
            &[square_with_hole()],
            IndexOptions {
                cells_per_edge: density,
                candidate_grid: density > 1.0,
            },
        );
        assert_eq!(containing(&index, 1.0, 1.0), vec![0], "density {density}");
        assert_eq!(containing(&index, 3.9999, 5.0), vec![0]);
        assert_eq!(containing(&index, 0.0001, 5.0), vec![0]);
        assert_eq!(containing(&index, 9.9999, 9.9999), vec![0]);
        assert_eq!(
            containing(&index, 5.0, 5.0),
            Vec::<usize>::new(),
            "in the hole"
        );
        assert_eq!(
            containing(&index, 4.0001, 5.0),
            Vec::<usize>::new(),
            "just inside the hole"
        );
        assert_eq!(containing(&index, -1.0, 5.0), Vec::<usize>::new());
        assert_eq!(containing(&index, 11.0, 5.0), Vec::<usize>::new());
        assert_eq!(containing(&index, 5.0, 10.0001), Vec::<usize>::new());
    }
}

const DENSITIES: [f64; 3] = [0.0, 2.0, 8.0];

#[test]
fn points_on_edges_and_vertices_are_not_inside() {
    for density in DENSITIES {
        let index = ZoneIndex::with_options(
            &[square_with_hole()],
            IndexOptions {
                cells_per_edge: density,
                candidate_grid: density > 1.0,
            },
        );
        for (x, y) in [
            (0.0, 5.0),   // left edge
            (10.0, 5.0),  // right edge
            (5.0, 0.0),   // bottom edge (horizontal)
            (5.0, 10.0),  // top edge (horizontal)
            (0.0, 0.0),   // vertex, local minimum
            (10.0, 10.0), // vertex, local maximum
            (0.0, 10.0),
            (4.0, 5.0), // hole's edge
            (5.0, 6.0), // hole's top edge
            (6.0, 6.0), // hole's vertex
        ] {
            assert_eq!(
                containing(&index, x, y),
                Vec::<usize>::new(),
                "({x}, {y}) density {density}"
            );
            assert_eq!(
                index.locate(0, ll(x, y)),
                Location::Boundary,
                "({x}, {y}) density {density}"
            );
        }
        assert_eq!(index.locate(0, ll(1.0, 1.0)), Location::Inside);
        assert_eq!(index.locate(0, ll(5.0, 5.0)), Location::Outside);
        assert_eq!(
            index.locate(1, ll(1.0, 1.0)),
            Location::Outside,
            "unknown zone"
        );
    }
}

#[test]
fn point_on_a_slanted_edge_is_exact() {
    // triangle (0,0) (3,1) (0,2): (1.5, 0.5) lies exactly on the first edge
    let tri = MultiPolygon::new(vec![Polygon::new(
        ring(&[(0.0, 0.0), (3.0, 1.0), (0.0, 2.0), (0.0, 0.0)]),
        vec![],
    )]);
    for density in DENSITIES {
        let index = ZoneIndex::with_options(
            std::slice::from_ref(&tri),
            IndexOptions {
                cells_per_edge: density,
                candidate_grid: density > 1.0,
            },
        );
        assert_eq!(index.locate(0, ll(1.5, 0.5)), Location::Boundary);
        assert_eq!(index.locate(0, ll(0.1, 0.1)), Location::Inside);
        assert_eq!(
            index.locate(0, ll(0.3, 0.1 - 1e-12)),
            Location::Outside,
            "just below the edge"
        );
        assert_eq!(
            index.locate(0, ll(0.3, 0.1 + 1e-12)),
            Location::Inside,
            "just above the edge"
        );
        // a ray from (1, 1) towards +x passes through the vertex (3, 1)
        assert_eq!(index.locate(0, ll(1.0, 1.0)), Location::Inside);
        assert_eq!(index.locate(0, ll(4.0, 1.0)), Location::Outside);
    }
}

#[test]
fn overlapping_zones_multipolygons_and_order() {
    let zones = vec![
        MultiPolygon::new(vec![Polygon::new(rect(5.0, 0.0, 15.0, 10.0), vec![])]),
        square_with_hole(),
        // two parts: the second far away
        MultiPolygon::new(vec![
            Polygon::new(rect(100.0, 0.0, 101.0, 1.0), vec![]),
            Polygon::new(rect(7.0, 7.0, 8.0, 8.0), vec![]),
        ]),
        MultiPolygon::new(vec![]),
    ];
    for candidate_grid in [true, false] {
        let index = ZoneIndex::with_options(
            &zones,
            IndexOptions {
                candidate_grid,
                ..IndexOptions::default()
            },
        );
        assert_eq!(index.len(), 4);
        assert_eq!(containing(&index, 7.5, 7.5), vec![0, 1, 2]);
        assert_eq!(containing(&index, 100.5, 0.5), vec![2]);
        assert_eq!(containing(&index, 5.5, 5.5), vec![0], "in zone 1's hole");
        assert_eq!(containing(&index, 1.0, 1.0), vec![1]);
        assert_eq!(
            containing(&index, 50.0, 0.5),
            Vec::<usize>::new(),
            "between the parts"
        );
        assert_eq!(containing(&index, f64::NAN, 1.0), Vec::<usize>::new());
        assert_eq!(containing(&index, 1.0, f64::INFINITY), Vec::<usize>::new());
    }
}

#[test]
fn non_finite_and_degenerate_polygons_are_ignored() {
    let zones = vec![
        MultiPolygon::new(vec![Polygon::new(
            ring(&[(0.0, 0.0), (f64::NAN, 0.0), (1.0, 1.0), (0.0, 0.0)]),
            vec![],
        )]),
        MultiPolygon::new(vec![Polygon::new(ring(&[]), vec![])]),
        MultiPolygon::new(vec![Polygon::new(ring(&[(0.0, 0.0), (0.0, 0.0)]), vec![])]),
        // a degenerate (zero-area) polygon: no interior
        MultiPolygon::new(vec![Polygon::new(
            ring(&[(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (0.0, 0.0)]),
            vec![],
        )]),
        // a ring that is not closed is closed
        MultiPolygon::new(vec![Polygon::new(
            LineString::new(vec![
                Coord { x: 0.0, y: 0.0 },
                Coord { x: 2.0, y: 0.0 },
                Coord { x: 0.0, y: 2.0 },
            ]),
            vec![],
        )]),
    ];
    let index = ZoneIndex::new(&zones);
    assert_eq!(index.ignored(), &[(0, 0), (1, 0), (2, 0)]);
    assert_eq!(containing(&index, 0.5, 0.5), vec![4]);
    assert_eq!(containing(&index, 1.0, 0.0), Vec::<usize>::new());
    assert_eq!(index.locate(3, ll(1.0, 0.0)), Location::Boundary);
    let mut rel = Vec::new();
    index.relate(ll(0.5, 0.5), 1000.0, &mut rel);
    assert_eq!(rel.iter().map(|r| r.zone).collect::<Vec<_>>(), vec![3, 4]);
}

/// One-degree square at the equator: lon 0..1, lat 0..1.
fn unit_square() -> MultiPolygon<f64> {
    MultiPolygon::new(vec![Polygon::new(rect(0.0, 0.0, 1.0, 1.0), vec![])])
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn relate_inside_distance_to_boundary() {
    let index = ZoneIndex::new(&[unit_square()]);
    let mut out = Vec::new();
    // from the centre, the nearest edges are north and south: 0.5° × 110.574 = 55.287 km
    // (east–west: 0.5° × cos 0.5° × 111.320 = 55.658 km)
    index.relate(ll(0.5, 0.5), 50.0, &mut out);
    assert_eq!(out.len(), 1);
    assert!(
        out[0].inside && close(out[0].distance_km, 55.287, 1e-9),
        "{out:?}"
    );
    assert!(out[0].certainly_inside(50.0));
    assert!(!out[0].certainly_inside(60.0));
    // near the west edge: 0.1° × cos 0.5° × 111.320 = 11.13158 km
    index.relate(ll(0.1, 0.5), 5.0, &mut out);
    assert!(
        out[0].inside
            && close(
                out[0].distance_km,
                0.1 * 0.5f64.to_radians().cos() * 111.320,
                1e-9
            ),
        "{out:?}"
    );
    assert!(close(out[0].distance_km, 11.13158, 1e-5));
    // on the boundary: not inside, distance 0
    index.relate(ll(0.0, 0.5), 1.0, &mut out);
    assert_eq!(
        out,
        vec![ZoneRelation {
            zone: 0,
            inside: false,
            distance_km: 0.0
        }]
    );
    index.relate(ll(0.0, 0.5), 0.0, &mut out);
    assert_eq!(out.len(), 1, "distance 0 <= radius 0");
}

#[test]
fn relate_outside_within_radius() {
    let index = ZoneIndex::new(&[unit_square()]);
    let mut out = Vec::new();
    // 0.5° east of the square at lat 0.5: 0.5 × cos 0.5° × 111.320 = 55.6579 km
    let d = 0.5 * 0.5f64.to_radians().cos() * 111.320;
    index.relate(ll(1.5, 0.5), 50.0, &mut out);
    assert!(out.is_empty(), "{out:?}");
    index.relate(ll(1.5, 0.5), 60.0, &mut out);
    assert_eq!(out.len(), 1);
    assert!(
        !out[0].inside && close(out[0].distance_km, d, 1e-9),
        "{out:?}"
    );
    assert!(close(d, 55.6579, 1e-4));
    // diagonal from the corner (1, 1): (0.3 × cos 1.3° × 111.32, 0.3 × 110.574)
    let p = ll(1.3, 1.3);
    let (dx, dy) = (0.3 * 1.3f64.to_radians().cos() * 111.320, 0.3 * 110.574);
    index.relate(p, 100.0, &mut out);
    assert!(
        close(out[0].distance_km, (dx * dx + dy * dy).sqrt(), 1e-9),
        "{out:?}"
    );
    // negative radius counts as 0
    index.relate(ll(1.5, 0.5), -3.0, &mut out);
    assert!(out.is_empty());
}

#[test]
fn relate_in_a_hole_and_with_unbounded_radius() {
    let zones = vec![square_with_hole(), MultiPolygon::new(vec![]), unit_square()];
    let index = ZoneIndex::new(&zones);
    let mut out = Vec::new();
    // centre of the hole (5, 5): 1° to each hole edge; south/north 110.574 km
    index.relate(ll(5.0, 5.0), 200.0, &mut out);
    assert_eq!(out.len(), 1);
    assert!(
        !out[0].inside && close(out[0].distance_km, 110.574, 1e-9),
        "{out:?}"
    );
    // country-level: every zone, none certain
    for radius in [f64::INFINITY, f64::NAN] {
        index.relate(ll(0.5, 0.5), radius, &mut out);
        assert_eq!(
            out.iter().map(|r| r.zone).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
        assert!(out.iter().all(|r| !r.certainly_inside(f64::INFINITY)));
        assert!(out[0].inside && out[2].inside && !out[1].inside);
        assert_eq!(out[1].distance_km, f64::INFINITY);
    }
    index.relate(ll(f64::NAN, 0.5), f64::INFINITY, &mut out);
    assert_eq!(out.len(), 3);
    index.relate(ll(f64::NAN, 0.5), 10.0, &mut out);
    assert!(out.is_empty());
}

#[test]
fn haversine_hand_worked() {
    // one degree of a great circle: 2π × 6371.0088 / 360 = 111.19508 km
    assert!(close(
        haversine_km(ll(0.0, 0.0), ll(1.0, 0.0)),
        111.195_08,
        1e-5
    ));
    assert!(close(
        haversine_km(ll(0.0, 0.0), ll(0.0, 1.0)),
        111.195_08,
        1e-5
    ));
    // a quarter meridian: π/2 × 6371.0088 = 10007.5572 km
    assert!(close(
        haversine_km(ll(0.0, 0.0), ll(0.0, 90.0)),
        10_007.557_2,
        1e-3
    ));
    // antipodes
    assert!(close(
        haversine_km(ll(0.0, 0.0), ll(180.0, 0.0)),
        std::f64::consts::PI * EARTH_RADIUS_KM,
        1e-6
    ));
    // across the antimeridian: 0.02° at the equator
    assert!(close(
        haversine_km(ll(179.99, 0.0), ll(-179.99, 0.0)),
        2.223_90,
        1e-4
    ));
    assert_eq!(haversine_km(ll(36.2, 33.5), ll(36.2, 33.5)), 0.0);
    assert!(haversine_km(ll(f64::NAN, 0.0), ll(0.0, 0.0)).is_nan());
}

#[test]
fn site_index_within() {
    let sites = vec![
        ll(0.0, 0.0),
        ll(0.0, 0.01), // 1.112 km north
        ll(0.0, 1.0),  // 111.2 km north
        ll(179.99, 0.0),
        ll(f64::NAN, 0.0),
        ll(0.0, 0.02), // 2.224 km north
        ll(10.0, 89.99),
    ];
    let index = SiteIndex::new(&sites);
    assert_eq!(index.ignored(), &[4]);
    let mut out = Vec::new();
    index.within(ll(0.0, 0.0), 2.0, &mut out);
    assert_eq!(out.iter().map(|x| x.0).collect::<Vec<_>>(), vec![0, 1]);
    assert!(close(out[1].1, 1.111_95, 1e-5));
    index.within(ll(0.0, 0.0), 2.3, &mut out);
    assert_eq!(out.iter().map(|x| x.0).collect::<Vec<_>>(), vec![0, 1, 5]);
    // across the antimeridian
    index.within(ll(-179.99, 0.0), 5.0, &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].0, 3);
    assert!(close(out[0].1, 2.2239, 1e-4));
    // near the pole every longitude is in reach: (-170, 89.99) is 2.2 km × … from (10, 89.99)
    index.within(ll(-170.0, 89.99), 3.0, &mut out);
    assert_eq!(out.iter().map(|x| x.0).collect::<Vec<_>>(), vec![6]);
    // east–west at 60° N: 1° of longitude is about 55.6 km
    let index2 = SiteIndex::new(&[ll(1.0, 60.0)]);
    index2.within(ll(0.0, 60.0), 55.0, &mut out);
    assert!(out.is_empty());
    index2.within(ll(0.0, 60.0), 56.0, &mut out);
    assert_eq!(out.len(), 1);
    // everything, nothing
    index.within(ll(0.0, 0.0), f64::INFINITY, &mut out);
    assert_eq!(out.len(), 6);
    index.within(ll(0.0, 0.0), f64::NAN, &mut out);
    assert!(out.is_empty());
    index.within(ll(0.0, 95.0), 10.0, &mut out);
    assert!(out.is_empty());
}

#[test]
fn grid_marks_few_cells_of_a_star() {
    let star = star_polygon(
        36.0,
        35.0,
        0.2,
        &[0.1, 0.05, 0.08, 0.02],
        &[0.0, 1.0, 2.0, 3.0],
        200,
    );
    let prepared = PreparedPolygon::new(&star, 8.0).expect("finite");
    assert!(
        prepared.boundary_share() < 0.25,
        "{}",
        prepared.boundary_share()
    );
}

/// A star-shaped polygon like the benchmark's: r(θ) = R (1 + Σ a_m cos(mθ + φ_m)).
fn star_polygon(cx: f64, cy: f64, r: f64, amps: &[f64], phis: &[f64], n: usize) -> Polygon<f64> {
    let mut pts: Vec<(f64, f64)> = (0..n)
        .map(|k| {
            let t = k as f64 * std::f64::consts::TAU / n as f64;
            let mut rr = 1.0;
            for (m, (a, p)) in amps.iter().zip(phis).enumerate() {
                rr += a * ((m as f64 + 2.0) * t + p).cos();
            }
            (cx + r * rr * t.cos(), cy + r * rr * t.sin())
        })
        .collect();
    pts.push(pts[0]);
    Polygon::new(ring(&pts), vec![])
}

fn distance_to_boundary(poly: &Polygon<f64>, x: f64, y: f64) -> f64 {
    let mut best = f64::INFINITY;
    for ls in std::iter::once(poly.exterior()).chain(poly.interiors()) {
        for w in ls.0.windows(2) {
            let d = crate::distance::segment_distance_sq_to_origin(
                w[0].x - x,
                w[0].y - y,
                w[1].x - x,
                w[1].y - y,
            );
            best = best.min(d);
        }
    }
    best.sqrt()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn containing_agrees_with_geo(
        stars in prop::collection::vec(
            (30.0f64..40.0, 30.0f64..40.0, 0.05f64..3.0, prop::collection::vec(0.0f64..0.09, 4), prop::collection::vec(0.0f64..6.3, 4), 3usize..300, any::<bool>()),
            1..6),
        points in prop::collection::vec((28.0f64..42.0, 28.0f64..42.0), 200),
        density in prop::sample::select(vec![0.0, 1.0, 8.0, 32.0]),
        candidate_grid in any::<bool>(),
    ) {
        // star polygons, some with a star-shaped hole at half size around the centre
        let polys: Vec<Polygon<f64>> = stars.iter().map(|(cx, cy, r, a, p, n, hole)| {
            let outer = star_polygon(*cx, *cy, *r, a, p, *n);
            if *hole && *n >= 8 {
                let inner = star_polygon(*cx, *cy, r * 0.4, a, p, n / 2);
                Polygon::new(outer.exterior().clone(), vec![inner.exterior().clone()])
            } else {
                outer
            }
        }).collect();
        let zones: Vec<MultiPolygon<f64>> = polys.iter().map(|p| MultiPolygon::new(vec![p.clone()])).collect();
        let index = ZoneIndex::with_options(&zones, IndexOptions { cells_per_edge: density, candidate_grid });
        let mut out = Vec::new();
        for &(x, y) in &points {
            if polys.iter().any(|p| distance_to_boundary(p, x, y) < 1e-9) {
                continue;
            }
            let expected: Vec<usize> = polys.iter().enumerate().filter(|(_, p)| p.contains(&Point::new(x, y))).map(|(i, _)| i).collect();
            index.containing(ll(x, y), &mut out);
            prop_assert_eq!(&out, &expected, "point ({}, {})", x, y);
        }
        // and points near each star's centre and vertices
        for p in &polys {
            for c in p.exterior().0.iter().step_by(7) {
                for (dx, dy) in [(1e-7, 0.0), (-1e-7, 0.0), (0.0, 1e-7), (0.0, -1e-7)] {
                    let (x, y) = (c.x + dx, c.y + dy);
                    if polys.iter().any(|p| distance_to_boundary(p, x, y) < 1e-12) {
                        continue;
                    }
                    let expected: Vec<usize> = polys.iter().enumerate().filter(|(_, p)| p.contains(&Point::new(x, y))).map(|(i, _)| i).collect();
                    index.containing(ll(x, y), &mut out);
                    prop_assert_eq!(&out, &expected, "near vertex ({}, {})", x, y);
                }
            }
        }
    }

    #[test]
    fn relate_agrees_with_containing(
        (cx, cy, r) in (30.0f64..40.0, 30.0f64..40.0, 0.05f64..1.0),
        points in prop::collection::vec((28.0f64..42.0, 28.0f64..42.0, 0.0f64..200.0), 50),
    ) {
        let zones = vec![MultiPolygon::new(vec![star_polygon(cx, cy, r, &[0.1, 0.05], &[1.0, 2.0], 64)])];
        let index = ZoneIndex::new(&zones);
        let (mut rel, mut inside) = (Vec::new(), Vec::new());
        for &(x, y, radius) in &points {
            index.relate(ll(x, y), radius, &mut rel);
            index.containing(ll(x, y), &mut inside);
            let rel_inside: Vec<usize> = rel.iter().filter(|r| r.inside).map(|r| r.zone).collect();
            prop_assert_eq!(rel_inside, inside.clone());
            for r in &rel {
                prop_assert!(r.inside || r.distance_km <= radius);
                prop_assert!(r.distance_km >= 0.0);
            }
        }
    }
}

/// A comb: `teeth` slots cut down from the top of a `teeth` × 10 rectangle,
/// so most edges are long and vertical (every grid row lists them).
fn comb(teeth: usize) -> Polygon<f64> {
    let mut pts = vec![(0.0, 0.0), (teeth as f64, 0.0), (teeth as f64, 10.0)];
    for i in (0..teeth).rev() {
        let x = i as f64;
        pts.extend([
            (x + 0.75, 10.0),
            (x + 0.75, 1.0),
            (x + 0.25, 1.0),
            (x + 0.25, 10.0),
        ]);
    }
    pts.extend([(0.0, 10.0), (0.0, 0.0)]);
    Polygon::new(ring(&pts), vec![])
}

#[test]
fn comb_with_long_edges_at_any_density() {
    let poly = comb(200);
    let zones = vec![MultiPolygon::new(vec![poly.clone()])];
    // a deterministic spread of points (golden-ratio sequence)
    let points: Vec<(f64, f64)> = (0..4000)
        .map(|k| {
            let k = k as f64;
            (
                (k * 0.618_033_988_75).fract() * 202.0 - 1.0,
                (k * 0.754_877_666_25).fract() * 12.0 - 1.0,
            )
        })
        .collect();
    for density in [0.0, 4.0, 1000.0, 100_000.0] {
        let index = ZoneIndex::with_options(
            &zones,
            IndexOptions {
                cells_per_edge: density,
                candidate_grid: true,
            },
        );
        assert!(
            index.heap_bytes() < 8 << 20,
            "density {density}: {} bytes",
            index.heap_bytes()
        );
        let mut out = Vec::new();
        for &(x, y) in &points {
            if distance_to_boundary(&poly, x, y) < 1e-9 {
                continue;
            }
            index.containing(ll(x, y), &mut out);
            assert_eq!(
                out.is_empty(),
                !poly.contains(&Point::new(x, y)),
                "({x}, {y}) density {density}"
            );
        }
        assert_eq!(
            containing(&index, 0.5, 5.0),
            Vec::<usize>::new(),
            "in a slot"
        );
        assert_eq!(containing(&index, 0.1, 5.0), vec![0], "in a tooth");
    }
}
