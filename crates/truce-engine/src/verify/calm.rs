//! The lower bound of a `max-violations-per-day` condition for every party × zone
//! at once, in one pass over the violations (the W3 benchmark).

use super::{FindingKey, NO_PARTY};
use truce_model::agreement::Agreement;
use truce_model::time::Day;

/// Per incident, a list of zones (indices), stored flat: incident `i`'s are
/// `zones[starts[i]..starts[i + 1]]`.
pub struct ZoneLists {
    pub zones: Vec<u32>,
    pub starts: Vec<u32>,
}

impl ZoneLists {
    pub fn of(&self, incident: usize) -> &[u32] {
        match (self.starts.get(incident), self.starts.get(incident + 1)) {
            (Some(&a), Some(&b)) => &self.zones[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// For every party × zone, the longest run of days in `first ..= last` with at most
/// `max_per_day` certain, single-day violations by the party certainly in the zone:
/// the lower bound of a `max-violations-per-day` condition, for all pairs in one pass.
pub fn longest_calm_runs(
    agreement: &Agreement,
    certain_zones: &ZoneLists,
    keys: &[FindingKey],
    choice: &[usize],
    first: Day,
    last: Day,
    max_per_day: u32,
) -> Vec<crate::CalmRun> {
    use rayon::prelude::*;
    let zones = agreement.zones.len();
    let buckets = agreement.parties.len() * zones;
    let in_force: Vec<bool> = (0..agreement.clauses.len())
        .map(|c| agreement.clause_in_force(c, choice))
        .collect();
    // Split the keys among the threads at incident boundaries, so an incident is
    // counted once per (party, zone) whatever the number of its findings there.
    let threads = rayon::current_num_threads().max(1);
    let mut bounds = vec![0usize];
    for t in 1..threads {
        let mut at = keys.len() * t / threads;
        while at > 0 && at < keys.len() && keys[at].incident == keys[at - 1].incident {
            at += 1;
        }
        if at > *bounds.last().unwrap_or(&0) {
            bounds.push(at.min(keys.len()));
        }
    }
    bounds.push(keys.len());
    let entries: Vec<(u32, i32)> = bounds
        .par_windows(2)
        .map(|w| {
            let mut out: Vec<(u32, i32)> = Vec::new();
            let mut group: Vec<u32> = Vec::new();
            let mut i = w[0];
            while i < w[1] {
                let incident = keys[i].incident;
                let day = keys[i].first;
                group.clear();
                while i < w[1] && keys[i].incident == incident {
                    let k = &keys[i];
                    i += 1;
                    if !k.violation
                        || !k.certain
                        || k.party == NO_PARTY
                        || !in_force[k.clause as usize]
                    {
                        continue;
                    }
                    if k.first != k.last || k.first < first.0 || k.first > last.0 {
                        continue;
                    }
                    for &zone in certain_zones.of(incident as usize) {
                        group.push((k.party as usize * zones + zone as usize) as u32);
                    }
                }
                group.sort_unstable();
                group.dedup();
                out.extend(group.iter().map(|&b| (b, day)));
            }
            out
        })
        .reduce(Vec::new, |mut a, mut b| {
            a.append(&mut b);
            a
        });
    // Scatter the days into one list per (party, zone), in incident order; evidence
    // usually comes in date order, so most lists need no sorting.
    let mut offsets = vec![0usize; buckets + 1];
    for &(b, _) in &entries {
        offsets[b as usize + 1] += 1;
    }
    for b in 0..buckets {
        offsets[b + 1] += offsets[b];
    }
    let mut cursor = offsets.clone();
    let mut days = vec![0i32; entries.len()];
    for &(b, day) in &entries {
        days[cursor[b as usize]] = day;
        cursor[b as usize] += 1;
    }
    let mut runs = Vec::with_capacity(buckets);
    for bucket in 0..buckets {
        let list = &mut days[offsets[bucket]..offsets[bucket + 1]];
        if !list.is_sorted() {
            list.sort_unstable();
        }
        // Days over the limit split the range into calm runs.
        let mut best = (0u32, first);
        let mut run_start = first.0;
        let mut i = 0;
        while i < list.len() {
            let day = list[i];
            let mut count = 0u32;
            while i < list.len() && list[i] == day {
                count += 1;
                i += 1;
            }
            if count > max_per_day {
                let length = (day - run_start) as u32;
                if length > best.0 {
                    best = (length, Day(run_start));
                }
                run_start = day + 1;
            }
        }
        let length = (last.0 - run_start + 1).max(0) as u32;
        if length > best.0 {
            best = (length, Day(run_start));
        }
        runs.push(crate::CalmRun {
            party: bucket / zones,
            zone: bucket % zones,
            days: best.0,
            first_day: best.1,
        });
    }
    runs
}
