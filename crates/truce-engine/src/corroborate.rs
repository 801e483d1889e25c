//! Corroboration: which reports are of the same incident.
//!
//! Reports are linked when they are close in space and time and an `accept`
//! test agrees (compatible kinds and actors, for truce's own rule); incidents
//! are the connected components of those links. Candidate pairs come from a
//! grid over (class, day, cell) — a cell is at least `max_km` wide at the
//! data's highest latitude, so two linked reports are always in the same or a
//! neighbouring cell on the same or the next day — so no step is quadratic in
//! the number of reports, only in the (small) number of reports per cell.

use rayon::prelude::*;
use truce_geo::haversine_km;
use truce_model::kind::{KindIndex, Taxonomy};
use truce_model::names::exact_key;
use truce_model::report::{LocationPrecision, LonLat, Report};

/// When two reports may be of the same incident.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct LinkRule {
    /// Most days between their dates (0 = the same day).
    pub max_days: i32,
    /// Most kilometres between their points (great-circle).
    pub max_km: f64,
}

/// The connected components of the links between reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Clusters {
    /// Every linked pair `(a, b)` with `a < b`, sorted.
    pub links: Vec<(u32, u32)>,
    /// For each report, the smallest index of its component (its incident's first report).
    pub label: Vec<u32>,
    /// Number of components, single reports included.
    pub count: usize,
}

/// One report's place in the candidate grid.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Cell {
    class: u32,
    day: i32,
    x: i32,
    y: i32,
}

/// Links every pair of reports of the same `class` whose `days` differ by at most
/// `rule.max_days` and whose `points` are at most `rule.max_km` apart, and for which
/// `accept(a, b)` holds; reports without a point (`None`) link to nothing.
pub fn link(
    points: &[Option<LonLat>],
    days: &[i32],
    classes: &[u32],
    rule: &LinkRule,
    accept: impl Fn(usize, usize) -> bool + Sync,
) -> Clusters {
    let n = points.len().min(days.len()).min(classes.len());
    let max_lat = points[..n]
        .iter()
        .flatten()
        .filter(|p| p.is_valid())
        .map(|p| p.lat.abs())
        .fold(0.0_f64, f64::max)
        .min(89.0);
    // Cells at least `max_km` wide everywhere in the data (a little more, for rounding).
    let km = rule.max_km.max(1e-6) * 1.001;
    let cell_lat = km / 110.574;
    let cell_lon = km / (111.320 * max_lat.to_radians().cos());
    let cell_of = |p: &LonLat| {
        (
            (p.lon / cell_lon).floor() as i32,
            (p.lat / cell_lat).floor() as i32,
        )
    };

    let mut order: Vec<(Cell, u32)> = (0..n)
        .into_par_iter()
        .filter_map(|i| {
            let p = points[i].filter(LonLat::is_valid)?;
            let (x, y) = cell_of(&p);
            Some((
                Cell {
                    class: classes[i],
                    day: days[i],
                    x,
                    y,
                },
                i as u32,
            ))
        })
        .collect();
    order.par_sort_unstable();
    // The occupied cells, in order: each one's reports are `order[start..end]`.
    let mut cells: Vec<(Cell, u32, u32)> = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && order[j].0 == order[i].0 {
            j += 1;
        }
        cells.push((order[i].0, i as u32, j as u32));
        i = j;
    }
    let max_days = rule.max_days.max(0);
    // Neighbour cells (same class, day + dd, column x + dx, rows y-1..=y+1) are
    // contiguous in the sorted list, and their position only moves forward as
    // the cells are visited in order: one moving cursor per (dd, dx), no hashing.
    let offsets: Vec<(i32, i32)> = (0..=max_days)
        .flat_map(|dd| (-1..=1).map(move |dx| (dd, dx)))
        .collect();
    let chunk = cells
        .len()
        .div_ceil(rayon::current_num_threads().max(1) * 8)
        .max(1);
    let mut links: Vec<(u32, u32)> = cells
        .par_chunks(chunk)
        .flat_map_iter(|part| {
            let mut out = Vec::new();
            let Some(first) = part.first() else {
                return out.into_iter();
            };
            let target = |c: &Cell, dd: i32, dx: i32| Cell {
                class: c.class,
                day: c.day + dd,
                x: c.x + dx,
                y: c.y - 1,
            };
            let mut cursors: Vec<usize> = offsets
                .iter()
                .map(|&(dd, dx)| cells.partition_point(|(c, _, _)| *c < target(&first.0, dd, dx)))
                .collect();
            for (cell, from, to) in part {
                for (k, &(dd, dx)) in offsets.iter().enumerate() {
                    let low = target(cell, dd, dx);
                    let high = Cell {
                        y: cell.y + 1,
                        ..low
                    };
                    let cursor = &mut cursors[k];
                    while *cursor < cells.len() && cells[*cursor].0 < low {
                        *cursor += 1;
                    }
                    let mut o = *cursor;
                    while o < cells.len() && cells[o].0 <= high {
                        let (_, o_from, o_to) = cells[o];
                        o += 1;
                        for &(_, a) in &order[*from as usize..*to as usize] {
                            let pa = points[a as usize].unwrap_or(LonLat {
                                lon: f64::NAN,
                                lat: f64::NAN,
                            });
                            for &(_, b) in &order[o_from as usize..o_to as usize] {
                                // Same day: each unordered pair once. Later days: every pair.
                                if dd == 0 && b <= a {
                                    continue;
                                }
                                let pb = points[b as usize].unwrap_or(LonLat {
                                    lon: f64::NAN,
                                    lat: f64::NAN,
                                });
                                if haversine_km(pa, pb) <= rule.max_km
                                    && accept(a as usize, b as usize)
                                {
                                    out.push(if a < b { (a, b) } else { (b, a) });
                                }
                            }
                        }
                    }
                }
            }
            out.into_iter()
        })
        .collect();
    links.par_sort_unstable();
    let (label, count) = components(n, &links);
    Clusters {
        links,
        label,
        count,
    }
}

/// The root of `x` in a union–find forest, halving the path on the way.
fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let up = parent[parent[x as usize] as usize];
        parent[x as usize] = up;
        x = up;
    }
    x
}

/// Union–find over the links; each report labelled with the smallest index of its component.
fn components(n: usize, links: &[(u32, u32)]) -> (Vec<u32>, usize) {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for &(a, b) in links {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            // The smaller index becomes the root, so labels are the first report of each incident.
            let (keep, join) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent[join as usize] = keep;
        }
    }
    let mut count = 0;
    let mut label = vec![0u32; n];
    for i in 0..n as u32 {
        let root = find(&mut parent, i);
        label[i as usize] = root;
        if root == i {
            count += 1;
        }
    }
    (label, count)
}

/// An analyst's decision that two reports are of different incidents, whatever
/// the rule says: each report named by its source and the source's own id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct KeptApart {
    pub first: (String, String),
    pub second: (String, String),
}

/// Each decision's two reports as indices into `reports`; decisions naming a report
/// not there (or the same report twice) are returned apart, to be reported.
fn decided_pairs(reports: &[Report], decisions: &[KeptApart]) -> (Vec<(u32, u32)>, Vec<KeptApart>) {
    let mut index: rustc_hash::FxHashMap<(&str, &str), u32> = rustc_hash::FxHashMap::default();
    for (i, r) in reports.iter().enumerate() {
        index.insert(
            (
                r.provenance.source.as_str(),
                r.provenance.source_id.as_str(),
            ),
            i as u32,
        );
    }
    let find_report =
        |(source, id): &(String, String)| index.get(&(source.as_str(), id.as_str())).copied();
    let mut unknown = Vec::new();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for decision in decisions {
        match (find_report(&decision.first), find_report(&decision.second)) {
            (Some(a), Some(b)) if a != b => pairs.push((a, b)),
            _ => unknown.push(decision.clone()),
        }
    }
    (pairs, unknown)
}

/// The incidents again with the analysts' decisions that two reports are of one
/// incident, whatever the rule says (the same `KeptApart` pair type, read as "kept
/// together"): each adds a link. Applied before [`keep_apart`], so a decision to keep
/// reports apart wins over a chain of joins. Pairs naming a report not in `reports`
/// are returned, to be reported.
pub fn keep_together(
    reports: &[Report],
    mut clusters: Clusters,
    decisions: &[KeptApart],
) -> (Clusters, Vec<KeptApart>) {
    if decisions.is_empty() {
        return (clusters, Vec::new());
    }
    let (pairs, unknown) = decided_pairs(reports, decisions);
    if pairs.is_empty() {
        return (clusters, unknown);
    }
    clusters
        .links
        .extend(pairs.into_iter().map(|(a, b)| (a.min(b), a.max(b))));
    clusters.links.sort_unstable();
    clusters.links.dedup();
    let (label, count) = components(reports.len(), &clusters.links);
    clusters.label = label;
    clusters.count = count;
    (clusters, unknown)
}

/// What analysts decided about which reports make one incident.
#[derive(Clone, Copy, Debug, Default)]
pub struct Decisions<'a> {
    /// Pairs of reports of different incidents, whatever the rule says.
    pub kept_apart: &'a [KeptApart],
    /// Pairs of reports of one incident, whatever the rule says.
    pub kept_together: &'a [KeptApart],
}

/// The incidents again with the analysts' decisions applied: a link is dropped
/// when it would put two reports kept apart into one incident. Links are taken in
/// order (closest report indices first), so the outcome does not depend on how the
/// search was split between threads. Pairs naming a report not in `reports` are
/// returned, to be reported rather than silently ignored.
pub fn keep_apart(
    reports: &[Report],
    clusters: Clusters,
    decisions: &[KeptApart],
) -> (Clusters, Vec<KeptApart>) {
    if decisions.is_empty() {
        // The usual case: no index of a million reports to build for nothing.
        return (clusters, Vec::new());
    }
    let (apart, unknown) = decided_pairs(reports, decisions);
    if apart.is_empty() {
        return (clusters, unknown);
    }
    let n = clusters.label.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    // For each root, the reports its incident must never be joined with.
    let mut forbidden: rustc_hash::FxHashMap<u32, Vec<u32>> = rustc_hash::FxHashMap::default();
    for &(a, b) in &apart {
        forbidden.entry(a).or_default().push(b);
        forbidden.entry(b).or_default().push(a);
    }
    let mut links = Vec::with_capacity(clusters.links.len());
    for &(a, b) in &clusters.links {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra == rb {
            links.push((a, b));
            continue;
        }
        // Each decision is listed under both its reports' roots, so one side suffices.
        let clash = forbidden
            .get(&ra)
            .is_some_and(|list| list.iter().any(|&x| find(&mut parent, x) == rb));
        if clash {
            continue;
        }
        let (keep, join) = if ra < rb { (ra, rb) } else { (rb, ra) };
        parent[join as usize] = keep;
        if let Some(moved) = forbidden.remove(&join) {
            forbidden.entry(keep).or_default().extend(moved);
        }
        links.push((a, b));
    }
    let (label, count) = components(n, &links);
    (
        Clusters {
            links,
            label,
            count,
        },
        unknown,
    )
}

/// truce's own rule for reports of the same incident (see `docs/corroboration.md`).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct CorroborationRule {
    /// Most days between the reports' first days.
    pub max_days: i32,
    /// Most kilometres between their points.
    pub max_km: f64,
    /// Reports located less precisely than this are never merged: a governorate's centroid
    /// says nothing about which strike in the governorate it was.
    pub coarsest: LocationPrecision,
    /// Reports dated to a span longer than this many days are never merged.
    pub longest_span_days: i64,
    /// Merge two reports of the same source with different ids. Off by default: a curated
    /// dataset (UCDP GED, ACLED) gives two events two ids because its coders judged them
    /// distinct; a feed of news items or monitors' notes may want it on.
    pub merge_within_source: bool,
}

impl Default for CorroborationRule {
    fn default() -> Self {
        CorroborationRule {
            max_days: 1,
            max_km: 2.0,
            coarsest: LocationPrecision::Near,
            longest_span_days: 2,
            merge_within_source: false,
        }
    }
}

/// Groups reports into incidents under `rule`: close in space and time, kinds on the same
/// main branch of the tree (political violence, demonstrations, strategic developments,
/// humanitarian), and actors that do not contradict (the reports share an actor, or one
/// of them names none). Below the main branch the sources' own codings disagree too
/// often to decide: UCDP codes the attack on the UN aid convoy of 19 September 2016 as
/// one-sided violence against civilians, a press agency as an air strike.
///
/// `actor_key` names an actor the same way whatever the source's spelling — the
/// agreement's actor id when the name resolves (so "Government of Syria" in UCDP GED
/// and "Military Forces of Syria (2000-)" in ACLED agree), or `None` to fall back on
/// the name's exact key.
pub fn incidents(
    reports: &[Report],
    taxonomy: &Taxonomy,
    rule: &CorroborationRule,
    actor_key: &(dyn Fn(&str, &truce_model::time::DateSpan) -> Option<String> + Sync),
) -> Clusters {
    let kinds: Vec<Option<KindIndex>> = reports.iter().map(|r| taxonomy.find(&r.kind)).collect();
    // The class is the kind's branch just below the root (political violence, demonstrations…):
    // only reports of one branch can be compared.
    let classes: Vec<u32> = kinds
        .iter()
        .map(|k| match k {
            Some(k) => {
                let path = taxonomy.path(*k);
                path.get(1)
                    .and_then(|branch| taxonomy.find(branch))
                    .map_or(u32::MAX - 1, |b| u32::from(b.0))
            }
            None => u32::MAX,
        })
        .collect();
    let mergeable: Vec<bool> = reports
        .iter()
        .map(|r| r.location.precision <= rule.coarsest && r.date.days() <= rule.longest_span_days)
        .collect();
    let points: Vec<Option<LonLat>> = reports
        .iter()
        .zip(&mergeable)
        .map(|(r, &m)| if m { r.location.point } else { None })
        .collect();
    let days: Vec<i32> = reports.iter().map(|r| r.date.first.0).collect();
    let names: Vec<Vec<String>> = reports.iter().map(|r| actor_keys(r, actor_key)).collect();
    let link_rule = LinkRule {
        max_days: rule.max_days,
        max_km: rule.max_km,
    };
    let mut clusters = link(&points, &days, &classes, &link_rule, |a, b| {
        // (The class already puts both kinds on one main branch.)
        let kinds_known = kinds[a].is_some() && kinds[b].is_some();
        let sources_allow = rule.merge_within_source
            || reports[a].provenance.source != reports[b].provenance.source;
        let actors_agree = names[a].is_empty()
            || names[b].is_empty()
            || names[a].iter().any(|n| names[b].binary_search(n).is_ok());
        kinds_known && sources_allow && actors_agree
    });
    let same = same_evidence_links(reports);
    if !same.is_empty() {
        clusters.links.extend(same);
        clusters.links.par_sort_unstable();
        clusters.links.dedup();
        let (label, count) = components(reports.len(), &clusters.links);
        clusters.label = label;
        clusters.count = count;
    }
    clusters
}

/// The actors of a report as `actor_key` names them (the exact spelling where it
/// knows none), sorted and without repeats: what two reports must share to be one
/// incident.
fn actor_keys(
    report: &Report,
    actor_key: &(dyn Fn(&str, &truce_model::time::DateSpan) -> Option<String> + Sync),
) -> Vec<String> {
    let mut keys: Vec<String> = report
        .sides
        .iter()
        .flat_map(|s| {
            s.names
                .iter()
                .map(|n| actor_key(n, &report.date).unwrap_or_else(|| exact_key(n)))
        })
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// An article's address as compared: without the scheme (`http` and `https` give the
/// same article), a leading `www.`, the fragment, tracking parameters (`utm_*`,
/// `fbclid`, `gclid`) and a trailing `/`; the host in lower case.
pub fn url_key(url: &str) -> String {
    let url = url.trim();
    let rest = url.split_once("://").map_or(url, |(scheme, rest)| {
        if scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            rest
        } else {
            url
        }
    });
    let rest = rest.split('#').next().unwrap_or("");
    let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = address.split_once('/').unwrap_or((address, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| {
            let name = p.split('=').next().unwrap_or("").to_ascii_lowercase();
            !p.is_empty() && !name.starts_with("utm_") && name != "fbclid" && name != "gclid"
        })
        .collect();
    let path = path.trim_end_matches('/');
    let mut key = host.to_string();
    if !path.is_empty() {
        key.push('/');
        key.push_str(path);
    }
    if !kept.is_empty() {
        key.push('?');
        key.push_str(&kept.join("&"));
    }
    key
}

/// The outlet an article comes from: its host, without `www.` (`reuters.com`).
pub fn url_outlet(url: &str) -> String {
    let key = url_key(url);
    key.split(['/', '?']).next().unwrap_or("").to_string()
}

/// Links between reports that name the same article (by [`url_key`]) or the same
/// media hash: the same evidence, whatever else differs, even within one source
/// (GDELT codes several events from one article). Each report is linked to the first
/// that named the address or hash, so the links do not depend on threads.
pub fn same_evidence_links(reports: &[Report]) -> Vec<(u32, u32)> {
    let mut first: rustc_hash::FxHashMap<String, u32> = rustc_hash::FxHashMap::default();
    let mut links = Vec::new();
    for (i, report) in reports.iter().enumerate() {
        let keys = report
            .urls
            .iter()
            .map(|u| format!("url {}", url_key(u)))
            .chain(
                report
                    .media
                    .iter()
                    .map(|m| format!("media {}", m.trim().to_ascii_lowercase())),
            );
        for key in keys {
            match first.entry(key) {
                std::collections::hash_map::Entry::Occupied(seen) => {
                    if *seen.get() != i as u32 {
                        links.push((*seen.get(), i as u32));
                    }
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(i as u32);
                }
            }
        }
    }
    links.sort_unstable();
    links.dedup();
    links
}

/// What two reports share that makes them the same evidence: the article or the media hash.
pub fn shared_evidence(a: &Report, b: &Report) -> Option<String> {
    for url in &a.urls {
        let key = url_key(url);
        if b.urls.iter().any(|u| url_key(u) == key) {
            return Some(format!("the same article ({url})"));
        }
    }
    for hash in &a.media {
        if b.media.iter().any(|h| h.eq_ignore_ascii_case(hash)) {
            return Some(format!("the same photo or video (sha256 {hash})"));
        }
    }
    None
}

/// Why two reports were, or were not, taken for the same incident.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PairExplanation {
    pub other: usize,
    pub linked: bool,
    pub distance_km: f64,
    pub days_apart: i32,
    /// Each test of the rule, passed or not, in words.
    pub tests: Vec<(bool, String)>,
}

/// Every report near `report` (within twice the distance and one day more than the
/// rule allows) with the outcome of each test of the rule, so an analyst can see why
/// each close pair was merged or kept apart.
pub fn explain_neighbours(
    reports: &[Report],
    taxonomy: &Taxonomy,
    rule: &CorroborationRule,
    actor_key: &(dyn Fn(&str, &truce_model::time::DateSpan) -> Option<String> + Sync),
    report: usize,
) -> Vec<PairExplanation> {
    let Some(me) = reports.get(report) else {
        return Vec::new();
    };
    let Some(here) = me.location.point.filter(LonLat::is_valid) else {
        return Vec::new();
    };
    let branch = |r: &Report| {
        taxonomy
            .find(&r.kind)
            .and_then(|k| taxonomy.path(k).get(1).map(|b| b.to_string()))
    };
    let my_keys = actor_keys(me, actor_key);
    let my_branch = branch(me);
    let mut out = Vec::new();
    for (i, other) in reports.iter().enumerate() {
        if i == report {
            continue;
        }
        let Some(there) = other.location.point.filter(LonLat::is_valid) else {
            continue;
        };
        let distance = haversine_km(here, there);
        let days = (other.date.first.0 - me.date.first.0).abs();
        if distance > 2.0 * rule.max_km.max(1.0) || days > rule.max_days + 1 {
            continue;
        }
        let their_keys = actor_keys(other, actor_key);
        let mut tests = Vec::new();
        tests.push((
            days <= rule.max_days,
            format!("{days} day(s) apart (at most {})", rule.max_days),
        ));
        tests.push((
            distance <= rule.max_km,
            format!("{distance:.2} km apart (at most {} km)", rule.max_km),
        ));
        let precise =
            me.location.precision <= rule.coarsest && other.location.precision <= rule.coarsest;
        tests.push((
            precise,
            format!(
                "located {} and {} (at least as precisely as {})",
                me.location.precision.label(),
                other.location.precision.label(),
                rule.coarsest.label()
            ),
        ));
        let short =
            me.date.days() <= rule.longest_span_days && other.date.days() <= rule.longest_span_days;
        tests.push((
            short,
            format!(
                "dated to {} and {} day(s) (at most {})",
                me.date.days(),
                other.date.days(),
                rule.longest_span_days
            ),
        ));
        let same_branch = my_branch.is_some() && my_branch == branch(other);
        tests.push((
            same_branch,
            format!(
                "kinds `{}` and `{}` on {} main branch",
                me.kind,
                other.kind,
                if same_branch { "the same" } else { "different" }
            ),
        ));
        let actors = my_keys.is_empty()
            || their_keys.is_empty()
            || my_keys.iter().any(|k| their_keys.binary_search(k).is_ok());
        tests.push((
            actors,
            format!(
                "actors {} and {}",
                my_keys.join(", "),
                their_keys.join(", ")
            ),
        ));
        let sources = rule.merge_within_source || me.provenance.source != other.provenance.source;
        let same_source_note = if sources {
            ""
        } else {
            " (one source gave them two ids: `merge_within_source` is off)"
        };
        tests.push((
            sources,
            format!(
                "sources {} and {}{same_source_note}",
                me.provenance.source, other.provenance.source
            ),
        ));
        let linked = tests.iter().all(|(ok, _)| *ok);
        out.push(PairExplanation {
            other: i,
            linked,
            distance_km: distance,
            days_apart: days,
            tests,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lon: f64, lat: f64) -> Option<LonLat> {
        Some(LonLat { lon, lat })
    }

    #[test]
    fn links_near_reports_of_the_same_class_and_days() {
        // 0.01° of latitude is about 1.1 km.
        let points = [
            p(37.0, 36.0),
            p(37.0, 36.01),
            p(37.0, 36.03),
            p(37.0, 36.0),
            p(37.0, 36.0),
            None,
        ];
        let days = [100, 101, 101, 100, 103, 100];
        let classes = [1, 1, 1, 2, 1, 1];
        let rule = LinkRule {
            max_days: 1,
            max_km: 2.0,
        };
        let clusters = link(&points, &days, &classes, &rule, |_, _| true);
        // 0–1 (1.1 km, a day apart); 1–2 (2.2 km: too far); 0–3 (other class); 0–4 (3 days).
        assert_eq!(clusters.links, vec![(0, 1)]);
        assert_eq!(clusters.label, vec![0, 0, 2, 3, 4, 5]);
        assert_eq!(clusters.count, 5);
    }

    #[test]
    fn chains_make_one_component_and_accept_can_refuse() {
        let points = [p(37.0, 36.0), p(37.0, 36.015), p(37.0, 36.03)];
        let days = [100, 100, 100];
        let classes = [0, 0, 0];
        let rule = LinkRule {
            max_days: 0,
            max_km: 2.0,
        };
        let all = link(&points, &days, &classes, &rule, |_, _| true);
        assert_eq!((all.links.len(), all.count), (2, 1));
        let refused = link(&points, &days, &classes, &rule, |a, b| (a, b) != (1, 2));
        assert_eq!((refused.links, refused.count), (vec![(0, 1)], 2));
    }
}
