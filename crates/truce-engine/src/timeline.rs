//! The war's arithmetic over time: one chronology of the agreement's life
//! interleaved with incidents, and daily and weekly series per party, on both
//! bounds of the evidence, with casualties as ranges.

use crate::result::{CheckResult, Status};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use truce_model::agreement::Agreement;
use truce_model::finding::{Certainty, Verdict};
use truce_model::message::{Arg, Message};
use truce_model::time::{DateSpan, Day};

/// One dated line of the chronology.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    pub day: Day,
    /// `clause-in-force`, `clause-ends`, `step-window`, `step-met`, `step-ends`, `incident`.
    pub what: String,
    pub text: Message,
}

/// Violations on one day by one party (incidents), on both bounds, counted as steps
/// count them: on the certain bound an incident certainly by the party and dated to
/// one day counts on that day; on the possible bound every incident possibly by the
/// party counts on every day of its span. Reports the counting filter sets aside
/// count on no day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Daily {
    pub day: Day,
    pub party: String,
    pub certain: u64,
    pub certain_or_possible: u64,
}

/// Violations on one day whoever did them, or in one zone (`zone`, empty for the
/// whole agreement), counted as [`Daily`]: on the certain bound, incidents where the
/// clause was certainly broken (and that are certainly in the zone); on the possible
/// bound, every incident with a violation that may be in the zone.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DailyAll {
    pub day: Day,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub zone: String,
    pub certain: u64,
    pub certain_or_possible: u64,
}

/// One week (Monday to Sunday) for one party: incidents with a violation by the
/// party and their deaths, on both bounds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Weekly {
    pub week: Day,
    pub party: String,
    #[serde(flatten)]
    pub totals: WeekTotals,
}

/// One week (Monday to Sunday) in one zone of the agreement: incidents certainly in
/// the zone with a violation (by any party) and their deaths, on both bounds.
/// Incidents only possibly in the zone (their place is too imprecise) are not
/// counted here.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ZoneWeekly {
    pub week: Day,
    pub zone: String,
    #[serde(flatten)]
    pub totals: WeekTotals,
}

/// A week's incidents and their deaths, and the cumulative deaths since the first
/// week, on both bounds, for one party or one zone. Deaths are low, best, high.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct WeekTotals {
    pub incidents_certain: u64,
    pub incidents_certain_or_possible: u64,
    /// Deaths in incidents with a certain violation: low, best, high.
    pub deaths_certain: [u64; 3],
    /// The same counting possible violations too.
    pub deaths_certain_or_possible: [u64; 3],
    pub cumulative_deaths_certain: [u64; 3],
    pub cumulative_deaths_certain_or_possible: [u64; 3],
}

/// A step's window and outcome, for shading a chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepWindow {
    pub id: String,
    pub first: Day,
    pub last: Option<Day>,
    pub status: Status,
    pub met_on: Option<Day>,
}

/// A figure for a country and year from another dataset (e.g. IDMC's internally
/// displaced people), shown beside the incidents.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Figure {
    pub year: i32,
    pub country: String,
    /// What is counted, as the dataset names it (`Conflict Stock Displacement`).
    pub what: String,
    pub value: u64,
    /// Where the figure comes from (file and line).
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Timeline {
    pub agreement: String,
    pub parties: Vec<String>,
    pub chronology: Vec<Entry>,
    pub daily: Vec<Daily>,
    /// Violations per day whoever did them: first for the whole agreement (`zone`
    /// empty), then per zone.
    pub daily_all: Vec<DailyAll>,
    pub weekly: Vec<Weekly>,
    /// The agreement's zones, in its order.
    pub zones: Vec<String>,
    /// The same weeks per zone: every zone for every week with a violation in any zone.
    pub weekly_by_zone: Vec<ZoneWeekly>,
    pub steps: Vec<StepWindow>,
    /// Figures for the years of the evidence (displacement…), by country, year and what.
    pub figures: Vec<Figure>,
    /// What posts and news talked about, per day (`truce timeline --posts`): hashtags
    /// and the kinds of event read from them, beside the curated evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trends: Vec<Trend>,
}

/// How often something came up in posts on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trend {
    pub day: Day,
    /// `hashtag` or `kind` (an event kind read from the posts' words).
    pub what: String,
    /// The hashtag as first written (`#AleppoIsBurning`), or the kind's id.
    pub key: String,
    /// Posts that day with it (a post counts once per hashtag or kind).
    pub posts: u64,
}

/// The chronology's order: by day, then by what happened and its words, so the
/// same entries always read in the same order.
fn sort_chronology(chronology: &mut [Entry]) {
    // Entries of one day and one kind are about different clauses or steps: in
    // the order of their ids (the order their English sentences sort in).
    chronology.sort_by(|a, b| {
        (a.day, &a.what, subject(&a.text)).cmp(&(b.day, &b.what, subject(&b.text)))
    });
}

impl Timeline {
    /// Sets the day-by-day trends of posts, in order: by day, then the most talked-of first.
    pub fn set_trends(&mut self, mut trends: Vec<Trend>) {
        trends.sort_by(|a, b| {
            (a.day, &a.what, std::cmp::Reverse(a.posts), &a.key).cmp(&(
                b.day,
                &b.what,
                std::cmp::Reverse(b.posts),
                &b.key,
            ))
        });
        self.trends = trends;
    }

    /// Adds dated entries from outside the check (the ledger's record of versions,
    /// resolutions and releases) to the chronology, in its order.
    pub fn add_to_chronology(&mut self, entries: impl IntoIterator<Item = Entry>) {
        self.chronology.extend(entries);
        sort_chronology(&mut self.chronology);
    }
}

/// Builds the timeline of a check. Incidents enter the chronology when they hold a
/// certain violation (the possible ones are counted in the series, not listed).
/// `figures` from other datasets are kept for the years the evidence covers.
pub fn timeline(agreement: &Agreement, result: &CheckResult, figures: &[Figure]) -> Timeline {
    let (mut chronology, steps) = agreement_chronology(agreement, result);
    let violations = Violations::of(result);
    chronology.extend(certain_incidents(result, &violations));
    sort_chronology(&mut chronology);
    let parties: Vec<String> = agreement.parties.iter().map(|p| p.id.clone()).collect();
    let (daily, weekly) = by_party(result, &violations, &parties);
    let zones: Vec<String> = agreement.zones.iter().map(|z| z.id.clone()).collect();
    let weekly_by_zone = by_zone(result, &violations, &zones);
    Timeline {
        agreement: agreement.id.clone(),
        parties,
        chronology,
        daily,
        daily_all: daily_whoever(result, &violations.breaches),
        weekly,
        zones,
        weekly_by_zone,
        steps,
        figures: figures_in_span(result, figures),
        trends: Vec::new(),
    }
}

/// The chronology's dates from the agreement and the steps (clauses in force and
/// ending, step windows opening and closing, steps met), and each step's window.
fn agreement_chronology(
    agreement: &Agreement,
    result: &CheckResult,
) -> (Vec<Entry>, Vec<StepWindow>) {
    let mut chronology = Vec::new();
    for clause in &agreement.clauses {
        if let Some(start) = clause.window.start {
            chronology.push(Entry {
                day: start.day(),
                what: "clause-in-force".into(),
                text: Message::new("chronology-clause-in-force")
                    .with("clause", &clause.id)
                    .with("start", start),
            });
        }
        if let Some(end) = clause.window.end {
            chronology.push(Entry {
                day: end.day(),
                what: "clause-ends".into(),
                text: Message::new("chronology-clause-ends")
                    .with("clause", &clause.id)
                    .with("end", end),
            });
        }
    }
    let mut steps = Vec::new();
    for step in &result.steps {
        if let Some(first) = step.window_first {
            chronology.push(Entry {
                day: first,
                what: "step-window".into(),
                text: Message::new("chronology-step-window")
                    .with("step", &step.id)
                    .with("name", &step.name),
            });
            steps.push(StepWindow {
                id: step.id.clone(),
                first,
                last: step.window_last,
                status: step.status,
                met_on: step.met_on,
            });
        }
        match (step.status, step.met_on, step.window_last) {
            (Status::Met, Some(day), _) => chronology.push(Entry {
                day,
                what: "step-met".into(),
                text: Message::new("chronology-step-met").with("step", &step.id),
            }),
            (status, _, Some(last)) if status != Status::Locked => chronology.push(Entry {
                day: last,
                what: "step-ends".into(),
                text: Message::new("chronology-step-ends")
                    .with("step", &step.id)
                    .with("status", status.message())
                    .with("summary", step.summary.clone()),
            }),
            _ => {}
        }
    }
    (chronology, steps)
}

/// The violations the series count, per incident; incidents that counts over days
/// leave out (the agreement's `[evidence]` filter) are not counted here either.
struct Violations<'a> {
    /// The incident's first day, and the parties it holds a violation by, each at
    /// its strongest.
    by_incident: BTreeMap<&'a str, (Day, BTreeMap<&'a str, Certainty>)>,
    /// Whether the agreement was broken at all, whoever did it, at its strongest.
    breaches: BTreeMap<&'a str, (DateSpan, Certainty)>,
    /// The incident's deaths: low, best, high.
    deaths: BTreeMap<&'a str, [u64; 3]>,
}

impl<'a> Violations<'a> {
    fn of(result: &'a CheckResult) -> Violations<'a> {
        let set_aside: BTreeSet<&str> = result
            .incidents
            .iter()
            .filter(|i| i.set_aside.is_some())
            .map(|i| i.id.as_str())
            .collect();
        let mut by_incident: BTreeMap<&str, (Day, BTreeMap<&str, Certainty>)> = BTreeMap::new();
        let mut breaches: BTreeMap<&str, (DateSpan, Certainty)> = BTreeMap::new();
        for finding in result
            .findings
            .iter()
            .filter(|f| f.verdict == Verdict::Violation && !set_aside.contains(&*f.incident))
        {
            let breach = breaches
                .entry(&finding.incident)
                .or_insert((finding.date, finding.breach));
            breach.1 = breach.1.min(finding.breach);
            let Some(party) = finding.party.as_deref() else {
                continue;
            };
            let entry = by_incident
                .entry(&finding.incident)
                .or_insert((finding.date.first, BTreeMap::new()));
            let slot = entry.1.entry(party).or_insert(finding.certainty);
            *slot = (*slot).min(finding.certainty);
        }
        let deaths = result
            .incidents
            .iter()
            .filter_map(|i| {
                i.casualties.map(|c| {
                    (
                        i.id.as_str(),
                        [u64::from(c.low), u64::from(c.best), u64::from(c.high)],
                    )
                })
            })
            .collect();
        Violations {
            by_incident,
            breaches,
            deaths,
        }
    }
}

/// The chronology's line for each incident with a certain violation by a party.
fn certain_incidents(result: &CheckResult, violations: &Violations<'_>) -> Vec<Entry> {
    let mut entries = Vec::new();
    for incident in &result.incidents {
        let Some((_, parties)) = violations.by_incident.get(incident.id.as_str()) else {
            continue;
        };
        let certain: Vec<&str> = parties
            .iter()
            .filter(|(_, c)| **c == Certainty::Certain)
            .map(|(p, _)| *p)
            .collect();
        if certain.is_empty() {
            continue;
        }
        let killed =
            violations
                .deaths
                .get(incident.id.as_str())
                .map_or_else(Message::default, |d| {
                    Message::new("chronology-incident-killed")
                        .with("best", Arg::number(d[1]))
                        .with("low", Arg::number(d[0]))
                        .with("high", Arg::number(d[2]))
                });
        entries.push(Entry {
            day: incident.date.first,
            what: "incident".into(),
            text: Message::new("chronology-incident")
                .with("incident", &incident.id)
                .with("place", &incident.place)
                .with("parties", certain.join(", "))
                .with("killed", killed),
        });
    }
    entries
}

/// Violations by party: per day, and per week with deaths and their running totals.
fn by_party(
    result: &CheckResult,
    violations: &Violations<'_>,
    parties: &[String],
) -> (Vec<Daily>, Vec<Weekly>) {
    let mut daily_map: BTreeMap<(Day, &str), (u64, u64)> = BTreeMap::new();
    let mut weekly_map: BTreeMap<(Day, &str), WeekCounts> = BTreeMap::new();
    let spans: BTreeMap<&str, DateSpan> = result
        .incidents
        .iter()
        .map(|i| (i.id.as_str(), i.date))
        .collect();
    for (incident, (day, by_party)) in &violations.by_incident {
        let week = Day(day.0 - day.weekday() as i32);
        let d = violations.deaths.get(incident).copied().unwrap_or([0; 3]);
        let span = spans.get(incident).copied();
        for (party, certainty) in by_party {
            let certain = *certainty == Certainty::Certain;
            add_days(&mut daily_map, party, span, certain);
            let w = weekly_map.entry((week, party)).or_default();
            w.1 += 1;
            add_deaths(&mut w.3, d);
            if certain {
                w.0 += 1;
                add_deaths(&mut w.2, d);
            }
        }
    }
    let daily = daily_map
        .into_iter()
        .map(|((day, party), (c, p))| Daily {
            day,
            party: party.to_string(),
            certain: c,
            certain_or_possible: p,
        })
        .collect();
    let weekly = every_week(parties, &weekly_map)
        .map(|(week, party, totals)| Weekly {
            week,
            party: party.clone(),
            totals,
        })
        .collect();
    (daily, weekly)
}

/// Violations by zone and week: each incident with a violation, certain when the
/// agreement was certainly broken there, whoever did it (as in a condition with
/// no party named).
fn by_zone(result: &CheckResult, violations: &Violations<'_>, zones: &[String]) -> Vec<ZoneWeekly> {
    let mut zone_map: BTreeMap<(Day, &str), WeekCounts> = BTreeMap::new();
    for incident in &result.incidents {
        let Some((day, by_party)) = violations.by_incident.get(incident.id.as_str()) else {
            continue;
        };
        let week = Day(day.0 - day.weekday() as i32);
        let d = violations
            .deaths
            .get(incident.id.as_str())
            .copied()
            .unwrap_or([0; 3]);
        let certain = by_party.values().any(|c| *c == Certainty::Certain)
            || violations
                .breaches
                .get(incident.id.as_str())
                .is_some_and(|(_, b)| *b == Certainty::Certain);
        for zone in &incident.zones {
            let w = zone_map.entry((week, zone.as_str())).or_default();
            w.1 += 1;
            add_deaths(&mut w.3, d);
            if certain {
                w.0 += 1;
                add_deaths(&mut w.2, d);
            }
        }
    }
    every_week(zones, &zone_map)
        .map(|(week, zone, totals)| ZoneWeekly {
            week,
            zone: zone.clone(),
            totals,
        })
        .collect()
}

/// Figures from other datasets for the years the evidence spans (none without evidence).
fn figures_in_span(result: &CheckResult, figures: &[Figure]) -> Vec<Figure> {
    let years = match (result.evidence.first_day, result.evidence.last_day) {
        (Some(a), Some(b)) => Some(a.ymd().0..=b.ymd().0),
        _ => None,
    };
    let mut figures: Vec<Figure> = figures
        .iter()
        .filter(|f| years.as_ref().is_some_and(|y| y.contains(&f.year)))
        .cloned()
        .collect();
    figures.sort_by(|a, b| (&a.country, a.year, &a.what).cmp(&(&b.country, b.year, &b.what)));
    figures
}

/// Counts one incident into a daily series under `key`, by the steps' rule: on the
/// certain bound on its one day (only when dated to one day), on the possible bound
/// on every day of its span.
fn add_days<'a>(
    map: &mut BTreeMap<(Day, &'a str), (u64, u64)>,
    key: &'a str,
    span: Option<DateSpan>,
    certain: bool,
) {
    let Some(span) = span else {
        return;
    };
    for day in span.first.0..=span.last.0 {
        let row = map.entry((Day(day), key)).or_default();
        row.1 += 1;
        if certain && span.first == span.last {
            row.0 += 1;
        }
    }
}

/// Violations per day whoever did them, for the whole agreement and per zone.
fn daily_whoever(
    result: &CheckResult,
    breaches: &BTreeMap<&str, (DateSpan, Certainty)>,
) -> Vec<DailyAll> {
    let mut map: BTreeMap<(Day, &str), (u64, u64)> = BTreeMap::new();
    for incident in &result.incidents {
        let Some((span, breach)) = breaches.get(incident.id.as_str()) else {
            continue;
        };
        let certain = *breach == Certainty::Certain;
        add_days(&mut map, "", Some(*span), certain);
        for zone in &incident.zones {
            add_days(&mut map, zone, Some(*span), certain);
        }
        for zone in &incident.possible_zones {
            add_days(&mut map, zone, Some(*span), false);
        }
    }
    let mut rows: Vec<DailyAll> = map
        .into_iter()
        .map(|((day, zone), (c, p))| DailyAll {
            day,
            zone: zone.to_string(),
            certain: c,
            certain_or_possible: p,
        })
        .collect();
    rows.sort_by(|a, b| (&a.zone, a.day).cmp(&(&b.zone, b.day)));
    rows
}

/// Incidents on certain evidence, counting possible ones, and their deaths (low,
/// best, high) on both bounds, for one week and one party or zone.
type WeekCounts = (u64, u64, [u64; 3], [u64; 3]);

/// Adds an incident's deaths (low, best, high) to a week's.
fn add_deaths(into: &mut [u64; 3], deaths: [u64; 3]) {
    for (sum, n) in into.iter_mut().zip(deaths) {
        *sum += n;
    }
}

/// Every group (in order) for every week any group has counts, with the counts and
/// the cumulative deaths of the group since the first week, on both bounds.
fn every_week<'a>(
    groups: &'a [String],
    counts: &'a BTreeMap<(Day, &str), WeekCounts>,
) -> impl Iterator<Item = (Day, &'a String, WeekTotals)> + 'a {
    let weeks: Vec<Day> = counts
        .keys()
        .map(|(w, _)| *w)
        .collect::<BTreeSet<Day>>()
        .into_iter()
        .collect();
    groups.iter().flat_map(move |group| {
        let mut cumulative = ([0u64; 3], [0u64; 3]);
        weeks.clone().into_iter().map(move |week| {
            let w = counts
                .get(&(week, group.as_str()))
                .copied()
                .unwrap_or_default();
            for k in 0..3 {
                cumulative.0[k] += w.2[k];
                cumulative.1[k] += w.3[k];
            }
            let totals = WeekTotals {
                incidents_certain: w.0,
                incidents_certain_or_possible: w.1,
                deaths_certain: w.2,
                deaths_certain_or_possible: w.3,
                cumulative_deaths_certain: cumulative.0,
                cumulative_deaths_certain_or_possible: cumulative.1,
            };
            (week, group, totals)
        })
    })
}

/// The clause or step a chronology entry is about: its sentence's first value.
fn subject(text: &Message) -> &str {
    match text.args.first() {
        Some((_, Arg::Verbatim(id))) => id,
        _ => "",
    }
}
