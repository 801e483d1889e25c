//! The verbs of truce: judge incidents against clauses, test steps over time,
//! compare bracket alternatives, and decide which entitlements may be released.
//!
//! Pure and deterministic: no IO, no clock (`as_of` is a parameter), no global
//! state. The same agreement, reports and `as_of` give the same [`CheckResult`],
//! byte for byte once serialized; parallel work is collected in input order.

mod actors;
mod adjudicate;
pub mod corroborate;
mod facts;
mod hold;
mod incidents;
mod keys;
pub mod result;
mod tally;
pub mod timeline;
mod verify;

pub use actors::{ActorResolver, MatchKind, Resolution};
pub use result::*;

use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use truce_model::agreement::{Agreement, Alternative};
use truce_model::finding::Finding;
use truce_model::message::{Arg, Message};
use truce_model::report::{Grade, Report};
use truce_model::time::Day;

/// Most combinations of bracket alternatives evaluated one by one.
pub const MAX_COMBINATIONS: usize = 32;
/// Most unmatched names listed in the evidence summary.
pub const MAX_UNMATCHED_NAMES: usize = 25;

/// What to check.
pub struct CheckInput<'a> {
    pub agreement: &'a Agreement,
    pub reports: &'a [Report],
    /// The day the check is made "as of": later days are not yet observed.
    /// `None` takes the last day of the evidence.
    pub as_of: Option<Day>,
    /// Pairs of reports an analyst has decided are of different incidents.
    pub kept_apart: &'a [corroborate::KeptApart],
    /// Pairs of reports an analyst has decided are of one incident.
    pub kept_together: &'a [corroborate::KeptApart],
}

/// Runs the whole check, with every finding's reasons. With `as_of`, reports dated
/// after it are not seen at all: the result is the one the same check gives on the
/// evidence cut at that day (a report that began on or before it is seen whole).
pub fn check(input: &CheckInput<'_>) -> CheckResult {
    check_explaining(input, Explain::Everything)
}

/// [`check`], with reasons only for the findings `explain` names: the verdicts,
/// counts and steps are the same whatever it names.
pub fn check_explaining(input: &CheckInput<'_>, explain: Explain<'_>) -> CheckResult {
    let (reports, after_as_of) = seen(input);
    let mut result = adjudicate_explaining(
        input.agreement,
        &reports,
        explain,
        &corroborate::Decisions {
            kept_apart: input.kept_apart,
            kept_together: input.kept_together,
        },
    )
    .result(input.as_of);
    result.evidence.after_as_of = after_as_of as u64;
    result
}

/// The findings [`check_explaining`] gives, without verifying the steps: for a
/// report that shows the reasons of a few incidents after a check made without
/// any (see [`Explain::Reports`]).
pub fn findings_explaining(input: &CheckInput<'_>, explain: Explain<'_>) -> Vec<Finding> {
    let (reports, _) = seen(input);
    let decisions = corroborate::Decisions {
        kept_apart: input.kept_apart,
        kept_together: input.kept_together,
    };
    adjudicate_explaining(input.agreement, &reports, explain, &decisions).findings
}

/// The reports a check sees (those begun by `as_of`) and how many it leaves out.
fn seen<'a>(input: &CheckInput<'a>) -> (std::borrow::Cow<'a, [Report]>, usize) {
    if let Some(day) = input.as_of {
        let after_as_of = input.reports.iter().filter(|r| r.date.first > day).count();
        if after_as_of > 0 {
            return (
                std::borrow::Cow::Owned(cut_at(input.reports, day)),
                after_as_of,
            );
        }
    }
    (std::borrow::Cow::Borrowed(input.reports), 0)
}

/// Which findings carry their reason chains. The verdicts are the same whatever
/// it says: building every sentence of a million findings costs more than
/// judging them, and a report shows the reasons of a few incidents.
#[derive(Clone, Copy, Debug)]
pub enum Explain<'s> {
    /// No finding.
    Nothing,
    /// Every finding.
    Everything,
    /// The findings of the reports with these ids (`source:id`, as an
    /// incident's `reports` lists them), and of the incidents they are pooled into.
    Reports(&'s std::collections::HashSet<String>),
}

impl Explain<'_> {
    fn report(&self, report: &Report) -> bool {
        match self {
            Explain::Nothing => false,
            Explain::Everything => true,
            Explain::Reports(ids) => ids.contains(&report.id()),
        }
    }
}

/// The reports that began on or before `day`, in their order: what existed then.
pub fn cut_at(reports: &[Report], day: Day) -> Vec<Report> {
    reports
        .iter()
        .filter(|r| r.date.first <= day)
        .cloned()
        .collect()
}

/// Every incident judged against every clause: the first half of a check.
/// Holds what verification and the result need; see [`Adjudication::result`].
pub struct Adjudication<'a> {
    context: facts::Context<'a>,
    reports: &'a [Report],
    facts: Vec<facts::Facts>,
    /// Every finding, grouped by incident in report order.
    findings: Vec<Finding>,
    /// The findings reduced to small integers for counting, same order as `findings`.
    keys: Vec<verify::FindingKey>,
    /// `findings[starts[i]..starts[i + 1]]` are incident `i`'s.
    starts: Vec<usize>,
    /// Each incident's zones it is certainly in, flat, for fast counting.
    certain_zones: verify::ZoneLists,
    /// Which reports make each incident (corroboration).
    incident_map: incidents::IncidentMap,
    /// Decisions to keep reports apart that named reports not in the evidence.
    kept_apart_unknown: Vec<corroborate::KeptApart>,
    /// Decisions to keep reports together that named reports not in the evidence.
    kept_together_unknown: Vec<corroborate::KeptApart>,
    first_day: Option<Day>,
    last_day: Option<Day>,
}

/// Judges every incident against every clause. With `explain = false` the
/// findings carry no reason sentences (the verdicts are the same), which is
/// what large runs that only count want.
pub fn adjudicate<'a>(
    agreement: &'a Agreement,
    reports: &'a [Report],
    explain: bool,
) -> Adjudication<'a> {
    adjudicate_with(
        agreement,
        reports,
        explain,
        &corroborate::Decisions::default(),
    )
}

/// [`adjudicate`], with the analysts' decisions that some reports are of different
/// incidents (see [`corroborate::keep_apart`]). Decisions naming reports not in the
/// evidence are listed in the result's `kept_apart_unknown`.
pub fn adjudicate_with<'a>(
    agreement: &'a Agreement,
    reports: &'a [Report],
    explain: bool,
    decisions: &corroborate::Decisions<'_>,
) -> Adjudication<'a> {
    let explain = if explain {
        Explain::Everything
    } else {
        Explain::Nothing
    };
    adjudicate_explaining(agreement, reports, explain, decisions)
}

/// [`adjudicate_with`], with reasons for the findings `explain` names.
pub fn adjudicate_explaining<'a>(
    agreement: &'a Agreement,
    reports: &'a [Report],
    explain: Explain<'_>,
    decisions: &corroborate::Decisions<'_>,
) -> Adjudication<'a> {
    let (kept_apart, kept_together) = (decisions.kept_apart, decisions.kept_together);
    let context = facts::Context::new(agreement, reports);
    let Judged {
        facts,
        findings,
        keys,
        starts,
        certain_zones,
        zone_starts,
    } = judge_each_report(&context, agreement, reports, explain);
    let first_day = reports.par_iter().map(|r| r.date.first).min();
    let last_day = reports.par_iter().map(|r| r.date.last).max();
    let grouped = group_into_incidents(&context, agreement, reports, kept_apart, kept_together);
    let (findings, keys, starts) = if grouped.incident_map.count < reports.len() {
        let incident_map = &grouped.incident_map;
        pool_findings(
            agreement,
            reports,
            incident_map,
            (findings, &starts),
            &facts,
            explain,
        )
    } else {
        (findings, keys, starts)
    };
    Adjudication {
        context,
        reports,
        facts,
        findings,
        keys,
        starts,
        incident_map: grouped.incident_map,
        kept_apart_unknown: grouped.kept_apart_unknown,
        kept_together_unknown: grouped.kept_together_unknown,
        certain_zones: verify::ZoneLists {
            zones: certain_zones,
            starts: zone_starts,
        },
        first_day,
        last_day,
    }
}

/// Each report judged on its own against every clause, in parallel: its facts,
/// findings and counting keys, and the zones it is certainly in, as flat lists
/// with where each report's part starts.
struct Judged {
    facts: Vec<facts::Facts>,
    findings: Vec<Finding>,
    keys: Vec<verify::FindingKey>,
    starts: Vec<usize>,
    certain_zones: Vec<u32>,
    zone_starts: Vec<u32>,
}

fn judge_each_report(
    context: &facts::Context<'_>,
    agreement: &Agreement,
    reports: &[Report],
    explain: Explain<'_>,
) -> Judged {
    // Incidents: one per report until corroboration merges them (issue 4).
    // Each thread takes a contiguous share of the reports and fills flat lists.
    let share = reports
        .len()
        .div_ceil(rayon::current_num_threads().max(1) * 4)
        .max(1);
    type Share = (
        Vec<facts::Facts>,
        Vec<Finding>,
        Vec<verify::FindingKey>,
        Vec<usize>,
        Vec<u32>,
        Vec<u32>,
    );
    let shares: Vec<Share> = reports
        .par_chunks(share)
        .enumerate()
        .map(|(chunk, part)| {
            let mut facts = Vec::with_capacity(part.len());
            let mut findings = Vec::new();
            let mut keys = Vec::new();
            let mut counts = Vec::with_capacity(part.len());
            let mut certain_zones = Vec::new();
            let mut zone_counts = Vec::with_capacity(part.len());
            for (offset, report) in part.iter().enumerate() {
                let incident = chunk * share + offset;
                let before = findings.len();
                let fact = context.facts(report);
                let explain = explain.report(report);
                // The incident's id is made once, and only if it has a finding.
                let mut incident_id: Option<Arc<str>> = None;
                for (c, clause) in agreement.clauses.iter().enumerate() {
                    let judged = adjudicate::Judged {
                        incident,
                        id: &mut incident_id,
                        report,
                        facts: &fact,
                    };
                    let out = adjudicate::FindingsOut {
                        findings: &mut findings,
                        keys: &mut keys,
                    };
                    adjudicate::adjudicate(context, judged, c, clause, explain, out);
                }
                let zones_before = certain_zones.len();
                certain_zones.extend(
                    fact.zones
                        .iter()
                        .filter(|z| z.certainty == truce_model::finding::Certainty::Certain)
                        .map(|z| z.zone as u32),
                );
                zone_counts.push((certain_zones.len() - zones_before) as u32);
                facts.push(fact);
                counts.push(findings.len() - before);
            }
            (facts, findings, keys, counts, certain_zones, zone_counts)
        })
        .collect();
    let total: usize = shares.iter().map(|s| s.1.len()).sum();
    let mut facts = Vec::with_capacity(reports.len());
    let mut findings = Vec::with_capacity(total);
    let mut keys = Vec::with_capacity(total);
    let mut starts = Vec::with_capacity(reports.len() + 1);
    starts.push(0);
    let mut certain_zones = Vec::new();
    let mut zone_starts = Vec::with_capacity(reports.len() + 1);
    zone_starts.push(0u32);
    for (f, list, k, counts, zones, zone_counts) in shares {
        facts.extend(f);
        findings.extend(list);
        keys.extend(k);
        for n in counts {
            let last = starts.last().copied().unwrap_or(0);
            starts.push(last + n);
        }
        certain_zones.extend(zones);
        for n in zone_counts {
            let last = zone_starts.last().copied().unwrap_or(0);
            zone_starts.push(last + n);
        }
    }
    Judged {
        facts,
        findings,
        keys,
        starts,
        certain_zones,
        zone_starts,
    }
}

/// The reports grouped into incidents, with the analysts' decisions applied,
/// and the decisions that name reports not in the evidence.
struct Grouped {
    incident_map: incidents::IncidentMap,
    kept_apart_unknown: Vec<corroborate::KeptApart>,
    kept_together_unknown: Vec<corroborate::KeptApart>,
}

fn group_into_incidents(
    context: &facts::Context<'_>,
    agreement: &Agreement,
    reports: &[Report],
    kept_apart: &[corroborate::KeptApart],
    kept_together: &[corroborate::KeptApart],
) -> Grouped {
    // Corroboration: reports of one incident pool their findings. With one source and
    // no merging within a source, no two reports can be merged: skip the search.
    let settings = &agreement.evidence.corroboration;
    let rule = corroborate::CorroborationRule {
        max_days: settings.max_days,
        max_km: settings.max_km,
        coarsest: settings.coarsest,
        longest_span_days: settings.longest_span_days,
        merge_within_source: settings.merge_within_source,
    };
    // Reports naming an article or a media hash may be the same evidence even within
    // one source, so they always go through corroboration.
    let single_source = reports
        .windows(2)
        .all(|w| w[0].provenance.source == w[1].provenance.source)
        && reports
            .iter()
            .all(|r| r.urls.is_empty() && r.media.is_empty());
    let mut kept_apart_unknown = Vec::new();
    let mut kept_together_unknown = Vec::new();
    let incident_map = if single_source && !rule.merge_within_source && kept_together.is_empty() {
        if !kept_apart.is_empty() {
            // Nothing is merged, so nothing to split; still name the decisions that
            // point at reports not in the evidence.
            let singletons = corroborate::Clusters {
                links: Vec::new(),
                label: (0..reports.len() as u32).collect(),
                count: reports.len(),
            };
            kept_apart_unknown = corroborate::keep_apart(reports, singletons, kept_apart).1;
        }
        incidents::IncidentMap::singletons(reports.len())
    } else {
        let actor_key = |name: &str, span: &truce_model::time::DateSpan| match context
            .resolver
            .resolve(name, span)
        {
            Resolution::Matched(m) => Some(agreement.actors[m.actor].id.clone()),
            _ => None,
        };
        let clusters = corroborate::incidents(reports, &agreement.taxonomy, &rule, &actor_key);
        let (clusters, unknown_together) =
            corroborate::keep_together(reports, clusters, kept_together);
        kept_together_unknown = unknown_together;
        let (clusters, unknown) = corroborate::keep_apart(reports, clusters, kept_apart);
        kept_apart_unknown = unknown;
        incidents::IncidentMap::from_clusters(reports, &clusters)
    };
    Grouped {
        incident_map,
        kept_apart_unknown,
        kept_together_unknown,
    }
}

/// Findings of reports of one incident pooled into the incident's, their
/// counting keys made again from the pooled findings.
fn pool_findings(
    agreement: &Agreement,
    reports: &[Report],
    incident_map: &incidents::IncidentMap,
    (findings, starts): (Vec<Finding>, &[usize]),
    facts: &[facts::Facts],
    explain: Explain<'_>,
) -> (Vec<Finding>, Vec<verify::FindingKey>, Vec<usize>) {
    let clause_index: rustc_hash::FxHashMap<&str, u16> = agreement
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i as u16))
        .collect();
    let party_index: rustc_hash::FxHashMap<&str, u16> = agreement
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i as u16))
        .collect();
    let key_of = |f: &Finding, incident: usize| {
        let responsible: Vec<usize> = f
            .responsible
            .iter()
            .filter_map(|p| party_index.get(&**p).map(|&i| i as usize))
            .collect();
        verify::FindingKey {
            incident: 0,
            first: f.date.first.0,
            last: f.date.last.0,
            clause: clause_index.get(&*f.clause).copied().unwrap_or(0),
            party: f
                .party
                .as_deref()
                .and_then(|p| party_index.get(p).copied())
                .unwrap_or(verify::NO_PARTY),
            violation: f.verdict == truce_model::finding::Verdict::Violation,
            certain: f.certainty == truce_model::finding::Certainty::Certain,
            breach_certain: f.breach == truce_model::finding::Certainty::Certain,
            responsible: verify::party_mask(&responsible),
            set_aside: facts
                .get(incident)
                .is_some_and(|fact: &facts::Facts| fact.set_aside.is_some()),
        }
    };
    incidents::pool(
        reports,
        incident_map,
        findings,
        starts,
        &key_of,
        &|report| explain.report(report),
    )
}

/// The longest run of calm days for one party in one zone (see [`Adjudication::longest_calm_runs`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CalmRun {
    pub party: usize,
    pub zone: usize,
    /// Length of the longest run of consecutive days with at most the allowed number of violations.
    pub days: u32,
    /// Its first day (the earliest, when several runs are equally long).
    pub first_day: Day,
}

impl<'a> Adjudication<'a> {
    /// Number of findings (violations and allowed acts).
    pub fn finding_count(&self) -> usize {
        self.findings.len()
    }

    fn evidence(&self, as_of: Day) -> verify::Evidence<'_> {
        verify::Evidence::new(
            self.context.agreement,
            self.reports,
            &self.facts,
            &self.keys,
            &self.incident_map.representative,
            as_of,
            self.last_day,
        )
    }

    /// For every party × zone, the longest run of days in `first ..= last` with at most
    /// `max_per_day` certain violations by the party in the zone (the lower bound a
    /// `max-violations-per-day` condition tests), counted in one pass over the violations.
    pub fn longest_calm_runs(&self, first: Day, last: Day, max_per_day: u32) -> Vec<CalmRun> {
        let choice = self.context.agreement.working_choice();
        verify::longest_calm_runs(
            self.context.agreement,
            &self.certain_zones,
            &self.keys,
            &choice,
            first,
            last,
            max_per_day,
        )
    }

    /// Verifies the steps, compares brackets, gates entitlements and assembles the result.
    pub fn result(self, as_of: Option<Day>) -> CheckResult {
        let agreement = self.context.agreement;
        let reports = self.reports;
        let (first_day, last_day) = (self.first_day, self.last_day);
        let as_of = as_of.or(last_day).unwrap_or(Day(0));
        let evidence = self.evidence(as_of);

        let working = agreement.working_choice();
        let steps = verify::verify_steps(&evidence, &working);
        let brackets = compare_brackets(&evidence, &working);
        let combinations = all_combinations(&evidence);
        let entitlements = entitlements(agreement, &steps);
        let clause_starts = clause_starts(agreement, &steps);
        let scope = tally::Scope {
            agreement,
            keys: &self.keys,
            choice: &working,
            starts: &clause_starts,
        };
        let violations_by_party = tally::tally(
            &scope,
            tally::party_of,
            false,
            agreement.parties.iter().map(|p| p.id.clone()).collect(),
        );
        let violations_by_clause = tally::tally(
            &scope,
            |k| Some(k.clause as usize),
            true,
            agreement.clauses.iter().map(|c| c.id.clone()).collect(),
        );
        let violations = all_violations(&scope);
        let violations_by_guarantor = tally::guarantors(&scope);
        let mut evidence_summary = evidence_summary(
            &self.context,
            reports,
            &self.facts,
            (first_day, last_day),
            self.incident_map.count,
            &self.kept_apart_unknown,
            &self.kept_together_unknown,
        );
        evidence_summary.set_aside = tally::set_aside(reports, &self.facts, &self.keys);
        drop(evidence);

        // Findings of a clause before it binds are not findings at all.
        let keep: Vec<bool> = self
            .keys
            .iter()
            .map(|k| k.first >= clause_starts[k.clause as usize])
            .collect();
        // Incidents with findings, by date then id; their findings by clause then actor.
        let ids: Vec<Option<String>> = (0..reports.len())
            .map(|i| {
                keep[self.starts[i]..self.starts[i + 1]]
                    .contains(&true)
                    .then(|| reports[i].id())
            })
            .collect();
        let mut order: Vec<usize> = (0..reports.len()).filter(|&i| ids[i].is_some()).collect();
        order.par_sort_unstable_by(|&a, &b| {
            (reports[a].date.first, &ids[a]).cmp(&(reports[b].date.first, &ids[b]))
        });
        let map = &self.incident_map;
        let all_findings = &self.findings;
        let facts = &self.facts;
        let starts = &self.starts;
        let incidents: Vec<IncidentSummary> = order
            .par_iter()
            .map(|&i| {
                let mut summary = incident_summary(
                    reports,
                    &map.members[i],
                    i,
                    ids[i].clone().unwrap_or_default(),
                );
                summary.grade = map.grade(reports, &all_findings[starts[i]..starts[i + 1]], i);
                summary.independent_sources = map.independent_sources(reports, i) as u32;
                summary.set_aside = facts[i].set_aside;
                for place in &facts[i].zones {
                    let Some(zone) = agreement.zones.get(place.zone) else {
                        continue;
                    };
                    match place.certainty {
                        truce_model::finding::Certainty::Certain => {
                            summary.zones.push(zone.id.clone())
                        }
                        truce_model::finding::Certainty::Possible => {
                            summary.possible_zones.push(zone.id.clone())
                        }
                    }
                }
                summary
            })
            .collect();
        let mut by_incident: Vec<Option<Finding>> = self
            .findings
            .into_iter()
            .zip(&keep)
            .map(|(f, &kept)| kept.then_some(f))
            .collect();
        let mut findings: Vec<Finding> = Vec::with_capacity(by_incident.len());
        for &i in &order {
            let mut list: Vec<Finding> = by_incident[self.starts[i]..self.starts[i + 1]]
                .iter_mut()
                .filter_map(Option::take)
                .collect();
            list.sort_by(|a, b| (&a.clause, &a.actor).cmp(&(&b.clause, &b.actor)));
            findings.extend(list);
        }

        CheckResult {
            schema: SCHEMA,
            agreement: AgreementInfo {
                id: agreement.id.clone(),
                title: agreement.title.clone(),
                clauses: agreement
                    .clauses
                    .iter()
                    .map(|c| ClauseInfo {
                        id: c.id.clone(),
                        text: c.text.clone(),
                        bracket: c.optional_in.map(|b| agreement.brackets[b].id.clone()),
                    })
                    .collect(),
            },
            as_of,
            evidence: evidence_summary,
            violations,
            violations_by_party,
            violations_by_guarantor,
            violations_by_clause,
            steps,
            brackets,
            combinations,
            entitlements,
            incidents,
            findings,
            diagnostics: Vec::new(),
        }
    }
}

/// The first day each clause binds: a clause that starts when a step is met binds
/// from the day after the step is met (on both bounds), and not at all while it is not.
fn clause_starts(agreement: &Agreement, steps: &[StepResult]) -> Vec<i32> {
    agreement
        .clauses
        .iter()
        .map(|c| match c.from_step {
            None => i32::MIN,
            Some(step) => steps
                .get(step)
                .and_then(|s| s.met_on)
                .map_or(i32::MAX, |d| d.0 + 1),
        })
        .collect()
}

/// Every violation, once per incident: certain when some clause was certainly broken.
fn all_violations(scope: &tally::Scope<'_>) -> Tally {
    tally::tally(scope, |_| Some(0), true, vec!["all".to_string()])
        .into_iter()
        .next()
        .unwrap_or(Tally {
            id: "all".into(),
            certain: 0,
            certain_or_possible: 0,
            allowed: 0,
        })
}

/// The incident as a reader sees it: its representative report's place and kind, every
/// report behind it, and casualties merged across them (`docs/corroboration.md`).
fn incident_summary(
    reports: &[Report],
    members: &[usize],
    representative: usize,
    id: String,
) -> IncidentSummary {
    let report = &reports[representative];
    let location = &report.location;
    // "Idlib Governorate, Idlib Governorate": name each place once.
    let mut parts: Vec<&str> = Vec::new();
    for part in [
        location.place.as_deref(),
        location.admin2.as_deref(),
        location.admin1.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        if !part.is_empty() && !parts.contains(&part) {
            parts.push(part);
        }
    }
    let ids: Vec<String> = if members.len() > 1 {
        members.iter().map(|&m| reports[m].id()).collect()
    } else {
        vec![id.clone()]
    };
    IncidentSummary {
        reports: ids,
        id,
        date: report.date,
        place: parts.join(", "),
        point: report.location.point,
        location_precision: report.location.precision,
        kind: report.kind.clone(),
        kind_label: report.kind_label.clone(),
        casualties: merged_casualties(members.iter().filter_map(|&m| reports[m].casualties)),
        summary: report.summary.clone(),
        grade: Grade::SingleSource,
        independent_sources: 1,
        zones: Vec::new(),
        possible_zones: Vec::new(),
        text_only: members.iter().all(|&m| reports[m].text.is_some()),
        set_aside: None,
    }
}

/// Casualties of one incident from several reports: each report's low is a floor, so the
/// highest low is; the highest high is the ceiling; the best is the median of the bests,
/// kept within the range.
fn merged_casualties(
    all: impl Iterator<Item = truce_model::report::Casualties>,
) -> Option<truce_model::report::Casualties> {
    let all: Vec<truce_model::report::Casualties> = all.collect();
    if all.len() <= 1 {
        return all.into_iter().next();
    }
    let low = all.iter().map(|c| c.low).max().unwrap_or(0);
    let high = all.iter().map(|c| c.high).max().unwrap_or(0).max(low);
    let mut bests: Vec<u32> = all.iter().map(|c| c.best).collect();
    bests.sort_unstable();
    let best = bests[bests.len() / 2].clamp(low, high);
    let civilians = all.iter().filter_map(|c| c.civilians).max();
    Some(truce_model::report::Casualties {
        low,
        best,
        high,
        civilians,
    })
}

fn briefs(steps: &[StepResult]) -> Vec<StepBrief> {
    steps
        .iter()
        .map(|s| StepBrief {
            id: s.id.clone(),
            status: s.status,
            met_on: s.met_on,
            summary: s.summary.clone(),
        })
        .collect()
}

fn compare_brackets(evidence: &verify::Evidence<'_>, working: &[usize]) -> Vec<BracketResult> {
    let agreement = evidence.agreement;
    agreement
        .brackets
        .iter()
        .enumerate()
        .map(|(b, bracket)| {
            let alternatives = bracket
                .alternatives
                .iter()
                .enumerate()
                .map(|(a, alternative)| {
                    let mut choice = working.to_vec();
                    choice[b] = a;
                    let steps = verify::verify_steps(evidence, &choice);
                    let starts = clause_starts(agreement, &steps);
                    let violations = all_violations(&tally::Scope {
                        agreement,
                        keys: evidence.keys,
                        choice: &choice,
                        starts: &starts,
                    });
                    AlternativeResult {
                        value: alternative.to_string(),
                        working: a == working[b],
                        steps: briefs(&steps),
                        violations,
                    }
                })
                .collect();
            BracketResult {
                id: bracket.id.clone(),
                text: bracket.text.clone(),
                resolved: bracket
                    .resolved
                    .and_then(|r| bracket.alternatives.get(r))
                    .map(Alternative::to_string),
                alternatives,
            }
        })
        .collect()
}

fn all_combinations(evidence: &verify::Evidence<'_>) -> Vec<Combination> {
    let agreement = evidence.agreement;
    let total: usize = agreement
        .brackets
        .iter()
        .map(|b| b.alternatives.len().max(1))
        .product();
    if agreement.brackets.len() < 2 || total > MAX_COMBINATIONS {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(total);
    for n in 0..total {
        let mut rest = n;
        let mut choice = Vec::with_capacity(agreement.brackets.len());
        for bracket in &agreement.brackets {
            let len = bracket.alternatives.len().max(1);
            choice.push(rest % len);
            rest /= len;
        }
        let steps = verify::verify_steps(evidence, &choice);
        out.push(Combination {
            choice: agreement
                .brackets
                .iter()
                .zip(&choice)
                .map(|(b, &a)| {
                    (
                        b.id.clone(),
                        b.alternatives
                            .get(a)
                            .map_or_else(String::new, Alternative::to_string),
                    )
                })
                .collect(),
            steps: briefs(&steps),
        });
    }
    out
}

fn entitlements(agreement: &Agreement, steps: &[StepResult]) -> Vec<EntitlementStatus> {
    agreement
        .entitlements
        .iter()
        .map(|e| {
            let step = &steps[e.step];
            // The agreement says whether possible violations block the release: then the
            // step must be met on both bounds; else certain evidence is enough.
            let (releasable, met_on) = if e.possible_violations_block {
                (step.status == Status::Met, step.met_on)
            } else {
                (
                    step.on_certain.status == Status::Met,
                    step.on_certain.met_on,
                )
            };
            let reason = if releasable {
                Message::new(
                    if e.possible_violations_block || step.status == Status::Met {
                        "entitlement-step-met"
                    } else {
                        "entitlement-step-met-on-certain"
                    },
                )
                .with("step", &step.id)
                .with("day", met_on.map_or_else(|| Arg::verbatim("?"), Arg::Day))
            } else if e.possible_violations_block && step.on_certain.status == Status::Met {
                Message::new("entitlement-withheld-possible")
                    .with("step", &step.id)
                    .with("explanation", step.with_possible.explanation.clone())
            } else {
                Message::new("entitlement-withheld")
                    .with("step", &step.id)
                    .with("status", step.status.message())
                    .with("summary", step.summary.clone())
            };
            EntitlementStatus {
                id: e.id.clone(),
                to: agreement.parties[e.to].id.clone(),
                from: e.from.map(|f| agreement.parties[f].id.clone()),
                what: e.what.clone(),
                step: step.id.clone(),
                releasable,
                reason,
            }
        })
        .collect()
}

/// The evidence's first and last day.
type DaySpan = (Option<Day>, Option<Day>);

fn evidence_summary(
    context: &facts::Context<'_>,
    reports: &[Report],
    facts: &[facts::Facts],
    (first_day, last_day): DaySpan,
    incidents: usize,
    kept_apart_unknown: &[corroborate::KeptApart],
    kept_together_unknown: &[corroborate::KeptApart],
) -> EvidenceSummary {
    let pair_text = |k: &corroborate::KeptApart| {
        format!(
            "{}:{} / {}:{}",
            k.first.0, k.first.1, k.second.0, k.second.1
        )
    };
    let agreement = context.agreement;
    let mut by_source: BTreeMap<&str, u64> = BTreeMap::new();
    let mut unmatched: HashMap<&str, u64> = HashMap::new();
    let mut ambiguous: BTreeMap<&str, (Vec<String>, u64)> = BTreeMap::new();
    let mut unknown_kinds: BTreeMap<&str, u64> = BTreeMap::new();
    for (report, f) in reports.iter().zip(facts) {
        *by_source
            .entry(report.provenance.source.as_str())
            .or_default() += 1;
        if !f.kind_known {
            *unknown_kinds.entry(report.kind.as_str()).or_default() += 1;
        }
        for side in &f.sides {
            for &n in &side.unmatched {
                if side.civilians_by_source {
                    continue;
                }
                *unmatched
                    .entry(report.sides[side.side].names[n].as_str())
                    .or_default() += 1;
            }
            for (n, actors) in &side.ambiguous {
                let entry = ambiguous
                    .entry(report.sides[side.side].names[*n].as_str())
                    .or_insert_with(|| {
                        (
                            actors
                                .iter()
                                .map(|a| agreement.actors[*a].id.clone())
                                .collect(),
                            0,
                        )
                    });
                entry.1 += 1;
            }
        }
    }
    let mut unmatched_names: Vec<NameCount> = unmatched
        .into_iter()
        .map(|(n, c)| NameCount {
            name: n.to_string(),
            reports: c,
        })
        .collect();
    unmatched_names.sort_by(|a, b| b.reports.cmp(&a.reports).then_with(|| a.name.cmp(&b.name)));
    unmatched_names.truncate(MAX_UNMATCHED_NAMES);
    EvidenceSummary {
        kept_apart_unknown: kept_apart_unknown.iter().map(pair_text).collect(),
        kept_together_unknown: kept_together_unknown.iter().map(pair_text).collect(),
        set_aside: Vec::new(),
        after_as_of: 0,
        reports: reports.len() as u64,
        incidents: incidents as u64,
        first_day,
        last_day,
        by_source: by_source
            .into_iter()
            .map(|(n, c)| NameCount {
                name: n.to_string(),
                reports: c,
            })
            .collect(),
        unmatched_names,
        ambiguous_names: ambiguous
            .into_iter()
            .map(|(n, (actors, c))| AmbiguousName {
                name: n.to_string(),
                actors,
                reports: c,
            })
            .collect(),
        unknown_kinds: unknown_kinds
            .into_iter()
            .map(|(n, c)| NameCount {
                name: n.to_string(),
                reports: c,
            })
            .collect(),
    }
}
