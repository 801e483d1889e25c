//! Incident × clause → findings, each with its chain of reasons.
//!
//! Every link of the chain (actor → party, who acted, target, place, site, kind,
//! date, exceptions) is either certain or possible; a finding is only as certain
//! as its weakest link. Acts the clause forbids but an exception allows become
//! `allowed` findings, so a mediator can see that the strike on an excluded group
//! was looked at and why it is not a violation.

use crate::facts::{Context, Facts, SideFacts};
use crate::hold::{Hold, POSSIBLE, date_hold, kind_hold, site_hold, zone_hold};
use crate::keys::{FindingKey, NO_PARTY, party_mask};
use truce_model::agreement::{Agreement, Bound, Clause, Exception, PeriodMatch, Target};
use truce_model::finding::{Certainty, Finding, Link, Reason, Verdict};
use truce_model::kind::KindIndex;
use truce_model::report::{Report, Role};
use truce_model::time::DateSpan;

/// Formats a reason only when findings are to be explained: on a million events
/// the sentences cost more than the judging.
macro_rules! text {
    ($explain:expr, $($arg:tt)*) => {
        if $explain { format!($($arg)*) } else { String::new() }
    };
}

fn reason(link: Link, hold: Hold, text: String) -> Reason {
    Reason {
        link,
        certainty: hold.certainty().unwrap_or(Certainty::Possible),
        text,
    }
}

/// Does a side stand for a target selector? Certain when every name on the side
/// matches, possible when only some do (a coalition, or unidentified members).
fn target_hold(
    agreement: &Agreement,
    side: &SideFacts,
    targets: &[Target],
    date: &DateSpan,
) -> Hold {
    let mut best = Hold::No;
    for target in targets {
        let hold = match target {
            Target::Anyone => Hold::Certain,
            Target::Civilians => {
                if side.is_civilian(agreement) {
                    Hold::Certain
                } else if side
                    .matched
                    .iter()
                    .any(|(_, m)| agreement.actors[m.actor].civilian)
                {
                    Hold::Possible(POSSIBLE)
                } else {
                    Hold::No
                }
            }
            _ => {
                let total = side.matched.len() + side.unmatched.len() + side.ambiguous.len();
                let hits = side
                    .matched
                    .iter()
                    .filter(|(_, m)| {
                        let actor = &agreement.actors[m.actor];
                        match target {
                            Target::Covered => {
                                actor.designation_on(date.first)
                                    == Some(truce_model::agreement::Designation::Covered)
                            }
                            Target::Excluded => {
                                actor.designation_on(date.first)
                                    == Some(truce_model::agreement::Designation::Excluded)
                            }
                            Target::Party(p) => actor.party_on(date.first) == Some(*p),
                            Target::Actor(a) => m.actor == *a,
                            Target::Anyone | Target::Civilians => false,
                        }
                    })
                    .count();
                if hits == 0 {
                    Hold::No
                } else if hits == total {
                    Hold::Certain
                } else {
                    Hold::Possible(hits as f64 / total as f64)
                }
            }
        };
        best = best.best(hold);
    }
    best
}

fn side_label(report: &Report, side: &SideFacts) -> String {
    let s = &report.sides[side.side];
    format!("{} \"{}\"", s.field, s.names.join(", "))
}

fn describe_target(
    agreement: &Agreement,
    report: &Report,
    side: &SideFacts,
    date: &DateSpan,
) -> String {
    let mut parts = Vec::new();
    for (n, m) in &side.matched {
        let actor = &agreement.actors[m.actor];
        let name = &report.sides[side.side].names[*n];
        if actor.civilian {
            parts.push(format!("\"{name}\" → `{}` (civilians)", actor.id));
            continue;
        }
        let designation = actor
            .designation_on(date.first)
            .map_or("no designation", |d| d.as_str());
        parts.push(format!(
            "\"{name}\" → `{}` ({designation} on {})",
            actor.id, date.first
        ));
    }
    for n in &side.unmatched {
        parts.push(format!(
            "\"{}\" (not an actor of the agreement)",
            report.sides[side.side].names[*n]
        ));
    }
    if side.civilians_by_source {
        parts.push("civilians according to the source".into());
    }
    parts.join("; ")
}

fn bound_by(
    agreement: &Agreement,
    clause: &Clause,
    actor: usize,
    date: &DateSpan,
) -> Option<(Hold, Option<usize>)> {
    let a = &agreement.actors[actor];
    let first = a.party_on(date.first);
    let last = a.party_on(date.last);
    for bound in &clause.by {
        let (applies, party) = match bound {
            Bound::AnyParty => (first.is_some() || last.is_some(), first.or(last)),
            Bound::Party(p) => (first == Some(*p) || last == Some(*p), Some(*p)),
            Bound::Actor(x) => (*x == actor, first),
        };
        if applies {
            // The party changed within the event's date span: it may not have been bound then.
            let hold = if matches!(bound, Bound::Actor(_)) || first == last {
                Hold::Certain
            } else {
                Hold::Possible(POSSIBLE)
            };
            return Some((hold, party));
        }
    }
    None
}

/// The incident being judged: its number, its id (made once, when it has a
/// finding), its report and what was read of it.
pub(crate) struct Judged<'a> {
    pub incident: usize,
    pub id: &'a mut Option<std::sync::Arc<str>>,
    pub report: &'a Report,
    pub facts: &'a Facts,
}

/// Where an incident's findings go, each with its key.
pub(crate) struct FindingsOut<'a> {
    pub findings: &'a mut Vec<Finding>,
    pub keys: &'a mut Vec<FindingKey>,
}

/// Judges one incident against one clause. Pushes zero or more findings.
///
/// It walks each side that may have acted and each of its names; what it learns
/// on the way (where this incident's findings start, whether every candidate
/// side certainly breaks the clause) spans both loops, so the walk stays in one
/// function of some 160 lines while each link is judged by a function below.
pub(crate) fn adjudicate(
    context: &Context<'_>,
    judged: Judged<'_>,
    clause_index: usize,
    clause: &Clause,
    explain: bool,
    out: FindingsOut<'_>,
) {
    let Judged {
        incident,
        id: incident_id,
        report,
        facts,
    } = judged;
    let FindingsOut {
        findings: out,
        keys,
    } = out;
    let agreement = context.agreement;
    let Some((base, common)) = gates(context, clause_index, clause, report, facts, explain) else {
        return;
    };
    let span = &report.date;
    let first_finding = out.len();
    // Whether the clause was broken, whoever acted: each side that may have acted
    // must, had it acted, certainly have broken the clause (every name on it an
    // actor so bound). `None` until a side fails that test.
    let mut every_candidate_breaks = Some(0usize);

    for (a_index, attacker) in facts.sides.iter().enumerate() {
        if attacker.role == Role::Target || attacker.is_civilian(agreement) {
            continue;
        }
        // The other sides, without allocating in the common one- and two-sided cases.
        let pair: [&SideFacts; 1];
        let many: Vec<&SideFacts>;
        let others: &[&SideFacts] = match facts.sides.len() {
            1 => &[],
            2 => {
                pair = [&facts.sides[1 - a_index]];
                &pair
            }
            _ => {
                many = facts
                    .sides
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != a_index)
                    .map(|(_, s)| s)
                    .collect();
                &many
            }
        };
        // Who acted: the source says so, or the other side is civilians, or only one side is named,
        // or the agreement chose to read the first side named as the one who acted.
        let assumed = agreement.evidence.first_side_acted
            && attacker.role == Role::Unknown
            && !others.is_empty();
        if assumed && a_index != 0 && facts.sides[0].role != Role::Target {
            continue;
        }
        let names_on_side =
            attacker.matched.len() + attacker.unmatched.len() + attacker.ambiguous.len();
        let mut names_that_break = 0usize;
        let (initiator, initiator_text) =
            who_acted(agreement, report, attacker, others, assumed, explain);
        for (name_index, actor_match) in &attacker.matched {
            let Some((bound, party)) = bound_by(agreement, clause, actor_match.actor, span) else {
                continue;
            };
            let alias_hold = match actor_match.period {
                PeriodMatch::Whole => Hold::Certain,
                PeriodMatch::Part | PeriodMatch::None => Hold::Possible(POSSIBLE),
            };
            let Some((target, target_text)) =
                against_whom(agreement, report, clause, others, span, explain)
            else {
                continue;
            };
            let actor = &agreement.actors[actor_match.actor];
            let actor_text = if explain {
                actor_chain_text(
                    agreement,
                    report,
                    attacker,
                    (name_index, actor_match),
                    party,
                    bound,
                    span,
                )
            } else {
                String::new()
            };
            let exceptions = exceptions(context, report, facts, clause, others, span, explain);
            // Had this side acted: the chain without the question of who acted.
            let if_it_acted = base.and(bound).and(alias_hold).and(target);
            let (verdict, hold, breaks) = verdict_of(if_it_acted, initiator, &exceptions);
            if breaks {
                names_that_break += 1;
            }
            let Some(certainty) = hold.certainty() else {
                continue;
            };
            let mut reasons = Vec::new();
            if explain {
                reasons.reserve(8);
                reasons.push(reason(Link::Actor, bound.and(alias_hold), actor_text));
                reasons.push(reason(Link::Initiator, initiator, initiator_text.clone()));
                reasons.push(reason(Link::Target, target, target_text));
                reasons.extend(common.iter().cloned());
                reasons.extend(exceptions.reasons);
            }
            let confidence = (hold.factor() * 1000.0).round() / 1000.0;
            let incident_id = incident_id
                .get_or_insert_with(|| std::sync::Arc::from(report.id()))
                .clone();
            if !make_room_for_actor(
                out,
                keys,
                first_finding,
                &context.actor_ids[actor_match.actor],
                certainty,
                confidence,
            ) {
                continue;
            }
            out.push(Finding {
                id: format!("{incident_id}/{}/{}", clause.id, actor.id),
                incident: incident_id.clone(),
                clause: context.clause_ids[clause_index].clone(),
                party: party.map(|p| context.party_ids[p].clone()),
                actor: context.actor_ids[actor_match.actor].clone(),
                verdict,
                certainty,
                breach: certainty,
                responsible: context.no_parties.clone(),
                guarantors: context.no_parties.clone(),
                confidence,
                date: *span,
                reasons,
            });
            let set_aside = facts.set_aside.is_some();
            keys.push(finding_key(
                incident,
                clause_index,
                party,
                set_aside,
                span,
                verdict,
                certainty,
            ));
        }
        every_candidate_breaks = every_candidate_breaks
            .filter(|_| names_on_side > 0 && names_that_break == names_on_side)
            .map(|n| n + 1);
    }
    if out.len() == first_finding {
        return;
    }
    let breaks = every_candidate_breaks.is_some_and(|sides| sides > 0);
    attribute(
        context,
        breaks,
        explain,
        &mut out[first_finding..],
        &mut keys[first_finding..],
    );
}

/// The links every finding of the incident under the clause shares — its date,
/// kind, zone and site — cheapest first, most incidents falling outside most
/// clauses: their strength together and their reasons; `None` when one fails.
fn gates(
    context: &Context<'_>,
    clause_index: usize,
    clause: &Clause,
    report: &Report,
    facts: &Facts,
    explain: bool,
) -> Option<(Hold, Vec<Reason>)> {
    let agreement = context.agreement;
    // The cheapest gates first: most incidents fall outside most clauses.
    let date = date_hold(clause, &report.date);
    if date == Hold::No {
        return None;
    }
    if !context.clause_may_concern_kind(clause_index, facts.kind) {
        return None;
    }
    let (kind, kind_matched) = kind_hold(agreement, facts.kind, &clause.kinds);
    if kind == Hold::No {
        return None;
    }
    let (zone, zone_matched) = zone_hold(facts, &clause.zones);
    if zone == Hold::No {
        return None;
    }
    let (site, site_matched) = match &clause.at_sites {
        Some(selector) => site_hold(agreement, facts, selector),
        None => (Hold::Certain, None),
    };
    if site == Hold::No {
        return None;
    }
    let span = &report.date;
    let mut common = Vec::new();
    if explain {
        common.push(reason(
            Link::Kind,
            kind,
            kind_text(agreement, report, facts, kind, kind_matched),
        ));
        common.push(reason(Link::Date, date, date_text(clause, span, date)));
        if let Some(z) = zone_matched {
            common.push(reason(
                Link::Place,
                zone,
                place_text(agreement, report, facts, z, zone),
            ));
        }
        if let Some(s) = site_matched {
            common.push(reason(
                Link::Site,
                site,
                site_text(agreement, report, facts, s, site),
            ));
        }
    }
    Some((kind.and(date).and(zone).and(site), common))
}

/// Whether the side acted: certain when the source says so, when no one else is
/// named, when the agreement reads the first side as the actor, or when every
/// other side is civilians (civilians are not the ones attacking); its reason.
fn who_acted(
    agreement: &Agreement,
    report: &Report,
    attacker: &SideFacts,
    others: &[&SideFacts],
    assumed: bool,
    explain: bool,
) -> (Hold, String) {
    let initiator = if attacker.role == Role::Initiator
        || others.is_empty()
        || assumed
        || others.iter().all(|o| o.is_civilian(agreement))
    {
        Hold::Certain
    } else {
        Hold::Possible(POSSIBLE)
    };
    let text = if !explain {
        String::new()
    } else if assumed && !others.iter().all(|o| o.is_civilian(agreement)) {
        format!(
            "the source does not say who attacked whom; the agreement reads the first side named ({}) as the one who acted (`first_side_acted`)",
            side_label(report, attacker)
        )
    } else {
        initiator_text(report, attacker, others, initiator, agreement)
    };
    (initiator, text)
}

/// The verdict on an act had the side done it, and how sure it is once who acted
/// is weighed in; and whether the act, had the side done it, certainly broke the
/// clause (no exception allowing it even possibly).
fn verdict_of(
    if_it_acted: Hold,
    initiator: Hold,
    exceptions: &Exceptions,
) -> (Verdict, Hold, bool) {
    let chain = if_it_acted.and(initiator);
    let (verdict, hold) = if exceptions.allowed == Hold::Certain {
        (Verdict::Allowed, chain)
    } else if let Hold::Possible(_) = exceptions.allowed {
        (Verdict::Violation, chain.and(Hold::Possible(POSSIBLE)))
    } else {
        (Verdict::Violation, chain.and(exceptions.weakened))
    };
    let breaks = verdict == Verdict::Violation
        && exceptions.allowed == Hold::No
        && if_it_acted.and(exceptions.weakened) == Hold::Certain;
    (verdict, hold, breaks)
}

/// The counting key of a finding as adjudication makes it: the breach as certain
/// as the finding, no responsible parties yet (`attribute` sets them).
fn finding_key(
    incident: usize,
    clause_index: usize,
    party: Option<usize>,
    set_aside: bool,
    span: &DateSpan,
    verdict: Verdict,
    certainty: Certainty,
) -> FindingKey {
    FindingKey {
        incident: incident as u32,
        first: span.first.0,
        last: span.last.0,
        clause: clause_index as u16,
        party: party.map_or(NO_PARTY, |p| p as u16),
        violation: verdict == Verdict::Violation,
        certain: certainty == Certainty::Certain,
        breach_certain: certainty == Certainty::Certain,
        responsible: 0,
        set_aside,
    }
}

/// Against whom the act was: the other side that best fits the clause's
/// targets, with its reason; `None` when no side does.
fn against_whom(
    agreement: &Agreement,
    report: &Report,
    clause: &Clause,
    others: &[&SideFacts],
    span: &DateSpan,
    explain: bool,
) -> Option<(Hold, String)> {
    if clause.against.contains(&Target::Anyone) {
        let text = match others.first() {
            _ if !explain => String::new(),
            Some(o) => format!(
                "the clause protects anyone; other side: {}",
                describe_target(agreement, report, o, span)
            ),
            None => "the clause protects anyone; the source names no other side".into(),
        };
        return Some((Hold::Certain, text));
    }
    let mut best: (Hold, Option<&SideFacts>) = (Hold::No, None);
    for other in others {
        let hold = target_hold(agreement, other, &clause.against, span);
        if best.1.is_none() || hold.factor() > best.0.factor() {
            best = (hold, Some(other));
        }
    }
    match best {
        (Hold::No, _) | (_, None) => None,
        (hold, Some(side)) => Some((
            hold,
            text!(
                explain,
                "against {}: {} ({})",
                side_label(report, side),
                describe_target(agreement, report, side, span),
                target_requirement(agreement, clause)
            ),
        )),
    }
}

/// The actor link in words: the source's name → the alias → the actor → its
/// party on the event's first day, with what makes the link only possible.
fn actor_chain_text(
    agreement: &Agreement,
    report: &Report,
    attacker: &SideFacts,
    (name_index, actor_match): (&usize, &crate::actors::ActorMatch),
    party: Option<usize>,
    bound: Hold,
    span: &DateSpan,
) -> String {
    let actor = &agreement.actors[actor_match.actor];
    let party_text = match party {
        Some(p) => format!("party `{}`", agreement.parties[p].id),
        None => "no party".into(),
    };
    let alias = &actor.aliases[actor_match.alias];
    let how = match actor_match.how {
        crate::actors::MatchKind::Exact => "same name",
        crate::actors::MatchKind::Transliteration => "same name up to transliteration",
    };
    let mut text = format!(
        "{} names \"{}\" → alias \"{}\" ({how}) → actor `{}` → {party_text} on {}",
        report.sides[attacker.side].field,
        report.sides[attacker.side].names[*name_index],
        alias.name,
        actor.id,
        span.first
    );
    if actor_match.period != PeriodMatch::Whole {
        text.push_str(&format!(
            "; the alias holds {} only, not on every day of the event",
            alias.period
        ));
    }
    if bound != Hold::Certain {
        text.push_str("; the actor's party changed during the event's dates");
    }
    text
}

/// What a clause's exceptions make of an act.
struct Exceptions {
    /// How surely an exception allows it (`No`: none does).
    allowed: Hold,
    /// How much exceptions that might apply weaken the violation.
    weakened: Hold,
    reasons: Vec<Reason>,
}

/// Checks each of the clause's exceptions against the act.
fn exceptions(
    context: &Context<'_>,
    report: &Report,
    facts: &Facts,
    clause: &Clause,
    others: &[&SideFacts],
    span: &DateSpan,
    explain: bool,
) -> Exceptions {
    let mut out = Exceptions {
        allowed: Hold::No,
        weakened: Hold::Certain,
        reasons: Vec::new(),
    };
    for exception in &clause.exceptions {
        let (outcome, text) =
            exception_outcome(context, report, facts, exception, others, span, explain);
        match outcome {
            ExceptionOutcome::Allows(h) => {
                out.allowed = out.allowed.best(h);
                out.reasons.push(reason(Link::Exception, h, text));
            }
            ExceptionOutcome::MayAllow => {
                out.weakened = out.weakened.and(Hold::Possible(POSSIBLE));
                out.reasons
                    .push(reason(Link::Exception, Hold::Possible(POSSIBLE), text));
            }
            ExceptionOutcome::DoesNotApply => {
                out.reasons
                    .push(reason(Link::Exception, Hold::Certain, text))
            }
        }
    }
    out
}

/// Two names on one side may be aliases of one actor ("Jabhat Ansar al-Din" and
/// "Jaish al-Muhajireen" both in "other opposition groups"): the actor acted
/// once, so it has one finding under a clause, the strongest of its names', and
/// one id. Returns whether a finding of `actor` with this `certainty` and
/// `confidence` is to be added (its weaker twin, if any, removed).
fn make_room_for_actor(
    out: &mut Vec<Finding>,
    keys: &mut Vec<FindingKey>,
    first_finding: usize,
    actor: &str,
    certainty: Certainty,
    confidence: f64,
) -> bool {
    let Some(at) = out[first_finding..].iter().position(|f| &*f.actor == actor) else {
        return true;
    };
    let kept = &out[first_finding + at];
    let stronger = (certainty == Certainty::Certain && kept.certainty != Certainty::Certain)
        || (certainty == kept.certainty && confidence > kept.confidence);
    if stronger {
        out.remove(first_finding + at);
        keys.remove(first_finding + at);
    }
    stronger
}

/// Says, on the findings of one incident under one clause, whether the clause was
/// broken whoever acted (`breaks`: every side that may have acted would have broken
/// it) and which parties may be responsible. One candidate party makes the
/// attribution to it certain; several leave it open between them.
fn attribute(
    context: &Context<'_>,
    breaks: bool,
    explain: bool,
    findings: &mut [Finding],
    keys: &mut [FindingKey],
) {
    let mut parties: Vec<usize> = keys
        .iter()
        .filter(|k| k.violation && k.party != NO_PARTY)
        .map(|k| k.party as usize)
        .collect();
    parties.sort_unstable();
    parties.dedup();
    let mask = party_mask(&parties);
    // One list for the incident and clause, shared by its findings; one party's is
    // shared by every finding it is the one candidate of.
    let names: std::sync::Arc<[std::sync::Arc<str>]> = match parties.as_slice() {
        [] => context.no_parties.clone(),
        [one] => context.single_party[*one].clone(),
        many => many.iter().map(|&p| context.party_ids[p].clone()).collect(),
    };
    let sole = (parties.len() == 1).then(|| parties[0]);
    // The candidates in words, once for the incident and clause.
    let list = if explain {
        parties
            .iter()
            .map(|&p| format!("`{}`", context.party_ids[p]))
            .collect::<Vec<_>>()
            .join(" or ")
    } else {
        String::new()
    };
    for (finding, key) in findings.iter_mut().zip(keys.iter_mut()) {
        if !key.violation {
            continue;
        }
        key.responsible = mask;
        finding.responsible = names.clone();
        if breaks {
            key.breach_certain = true;
            finding.breach = Certainty::Certain;
            if sole.is_some() && sole == Some(key.party as usize) {
                key.certain = true;
                finding.certainty = Certainty::Certain;
            }
        }
        if key.party != NO_PARTY {
            finding.guarantors = context.guarantors_of[key.party as usize].clone();
        }
        if explain {
            let reason = attribution_reason(finding, breaks, parties.len(), &list);
            finding.reasons.push(reason);
        }
    }
}

/// The sentence that separates whether the clause was broken from who broke it.
fn attribution_reason(finding: &Finding, breaks: bool, candidates: usize, list: &str) -> Reason {
    let guarantors = if finding.guarantors.is_empty() {
        String::new()
    } else {
        format!(
            "; guaranteed by {}",
            finding
                .guarantors
                .iter()
                .map(|g| format!("`{g}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let (certainty, text) = match (breaks, candidates) {
        (true, 1) => (
            Certainty::Certain,
            format!("certain violation; responsible: {list}{guarantors}"),
        ),
        (true, _) => (
            Certainty::Certain,
            format!(
                "certain violation: every side that may have acted is bound by the clause; responsible: {list} — the source does not say who acted{guarantors}"
            ),
        ),
        (false, 1) if finding.certainty == Certainty::Certain => (
            Certainty::Certain,
            format!("certain violation; responsible: {list}{guarantors}"),
        ),
        (false, _) => (
            Certainty::Possible,
            format!(
                "possible violation: a side that may have acted is not bound by the clause, or a link is uncertain; if it was one, responsible: {list}{guarantors}"
            ),
        ),
    };
    Reason {
        link: Link::Attribution,
        certainty,
        text,
    }
}

enum ExceptionOutcome {
    /// The exception allows the act (certainly or possibly).
    Allows(Hold),
    /// The exception might apply: the act may be allowed.
    MayAllow,
    DoesNotApply,
}

fn exception_outcome(
    context: &Context<'_>,
    report: &Report,
    facts: &Facts,
    exception: &Exception,
    others: &[&SideFacts],
    span: &DateSpan,
    explain: bool,
) -> (ExceptionOutcome, String) {
    let agreement = context.agreement;
    let target = if exception.against.is_empty() {
        Hold::Certain
    } else {
        others
            .iter()
            .map(|o| target_hold(agreement, o, &exception.against, span))
            .fold(Hold::No, Hold::best)
    };
    let (kind, _) = kind_hold(agreement, facts.kind, &exception.kinds);
    let (zone, _) = zone_hold(facts, &exception.zones);
    let applies = target.and(kind).and(zone);
    let name = &exception.reason;
    if applies == Hold::No {
        return (
            ExceptionOutcome::DoesNotApply,
            text!(
                explain,
                "exception \"{name}\" does not apply: {}",
                exception_miss(target, kind, zone)
            ),
        );
    }
    let void = match &exception.unless_at_sites {
        Some(selector) => site_hold(agreement, facts, selector),
        None => (Hold::No, None),
    };
    let site_name = |s: Option<usize>| {
        s.map_or_else(String::new, |s| {
            text!(
                explain,
                " `{}` ({})",
                agreement.sites[s].id,
                agreement.sites[s].name
            )
        })
    };
    match (applies, void.0) {
        (Hold::Certain, Hold::No) => (
            ExceptionOutcome::Allows(Hold::Certain),
            text!(
                explain,
                "exception \"{name}\" applies: the target is one it covers"
            ),
        ),
        (_, Hold::Certain) => (
            ExceptionOutcome::DoesNotApply,
            text!(
                explain,
                "exception \"{name}\" does not hold here: the event is at protected site{}",
                site_name(void.1)
            ),
        ),
        (Hold::Certain, Hold::Possible(_)) => (
            ExceptionOutcome::MayAllow,
            text!(
                explain,
                "exception \"{name}\" would apply, but the event may be at protected site{}, where it does not hold",
                site_name(void.1)
            ),
        ),
        _ => {
            let _ = report;
            (
                ExceptionOutcome::MayAllow,
                text!(
                    explain,
                    "exception \"{name}\" may apply: {}",
                    exception_partial(target, kind, zone)
                ),
            )
        }
    }
}

fn exception_miss(target: Hold, kind: Hold, zone: Hold) -> &'static str {
    if target == Hold::No {
        "the target is not one it names"
    } else if kind == Hold::No {
        "the event is not of a kind it names"
    } else if zone == Hold::No {
        "the event is not in a zone it names"
    } else {
        "its conditions are not met"
    }
}

fn exception_partial(target: Hold, kind: Hold, zone: Hold) -> &'static str {
    if target != Hold::Certain {
        "only some of the other side is a target it covers"
    } else if kind != Hold::Certain {
        "the event may not be of a kind it names"
    } else if zone != Hold::Certain {
        "the event may not be in a zone it names"
    } else {
        "it may hold"
    }
}

fn target_requirement(agreement: &Agreement, clause: &Clause) -> String {
    let names: Vec<String> = clause
        .against
        .iter()
        .map(|t| match t {
            Target::Covered => "covered actors".to_string(),
            Target::Excluded => "excluded actors".to_string(),
            Target::Civilians => "civilians".to_string(),
            Target::Anyone => "anyone".to_string(),
            Target::Party(p) => format!("party `{}`", agreement.parties[*p].id),
            Target::Actor(a) => format!("actor `{}`", agreement.actors[*a].id),
        })
        .collect();
    format!("the clause protects {}", names.join(" or "))
}

fn initiator_text(
    report: &Report,
    attacker: &SideFacts,
    others: &[&SideFacts],
    hold: Hold,
    agreement: &Agreement,
) -> String {
    let me = side_label(report, attacker);
    match hold {
        Hold::Certain if attacker.role == Role::Initiator => {
            format!("the source says {me} carried out the act")
        }
        Hold::Certain if others.is_empty() => format!("the source names only {me}"),
        Hold::Certain => format!("the other side is civilians, so {me} acted"),
        _ => {
            let other = others
                .first()
                .map_or_else(String::new, |o| side_label(report, o));
            let _ = agreement;
            format!(
                "the source does not say who attacked whom ({me} and {other}): attributing the act to {} is possible, not certain",
                report.sides[attacker.side].field
            )
        }
    }
}

fn kind_text(
    agreement: &Agreement,
    report: &Report,
    facts: &Facts,
    hold: Hold,
    wanted: Option<KindIndex>,
) -> String {
    let event_kind = agreement.taxonomy.id(facts.kind);
    let source = if report.kind_label.is_empty() {
        String::new()
    } else {
        format!("{} → ", report.kind_label)
    };
    let unknown = if facts.kind_known {
        String::new()
    } else {
        format!(
            " (kind `{}` is not in the taxonomy; read as any event)",
            report.kind
        )
    };
    match (hold, wanted) {
        (Hold::Certain, Some(w)) => format!(
            "{source}`{event_kind}`{unknown}, which is a kind of `{}` the clause forbids",
            agreement.taxonomy.id(w)
        ),
        (Hold::Certain, None) => {
            format!("{source}`{event_kind}`{unknown}; the clause concerns any kind")
        }
        (_, Some(w)) => format!(
            "{source}`{event_kind}`{unknown}: the source only says this much, so it may or may not be `{}` the clause forbids",
            agreement.taxonomy.id(w)
        ),
        _ => format!("{source}`{event_kind}`{unknown}"),
    }
}

fn date_text(clause: &Clause, span: &DateSpan, hold: Hold) -> String {
    match hold {
        Hold::Certain => format!("{span} is within the clause's window ({})", clause.window),
        _ => format!(
            "{span} is only partly within the clause's window ({}): the event may fall outside it",
            clause.window
        ),
    }
}

fn location_text(report: &Report, facts: &Facts) -> String {
    let loc = &report.location;
    let place = loc
        .place
        .as_deref()
        .or(loc.admin2.as_deref())
        .or(loc.admin1.as_deref())
        .unwrap_or("unnamed place");
    match loc.point {
        Some(p) => format!(
            "{place} ({p}, {}, ±{} km)",
            loc.precision.label(),
            km(facts.radius_km)
        ),
        None => format!("{place} (no coordinates, {})", loc.precision.label()),
    }
}

fn km(value: f64) -> String {
    if value.is_finite() {
        if value >= 10.0 {
            format!("{value:.0}")
        } else {
            format!("{value:.1}")
        }
    } else {
        "∞".into()
    }
}

fn place_text(
    agreement: &Agreement,
    report: &Report,
    facts: &Facts,
    zone: usize,
    hold: Hold,
) -> String {
    let z = &agreement.zones[zone];
    let place = location_text(report, facts);
    let Some(p) = facts.zones.iter().find(|p| p.zone == zone) else {
        return place;
    };
    let named = [&report.location.admin1, &report.location.admin2]
        .into_iter()
        .flatten()
        .find(|n| z.admin.as_ref().is_some_and(|u| u.named_by(n)));
    match (hold, named) {
        (Hold::Certain, Some(name)) if p.named_by_source => format!(
            "{place} → the source names the unit \"{name}\", which is zone `{}` ({}): in it whatever the location's uncertainty",
            z.id, z.name
        ),
        _ => place_distance_text(&place, z, p, hold),
    }
}

fn place_distance_text(
    place: &str,
    z: &truce_model::agreement::Zone,
    p: &crate::facts::ZonePlace,
    hold: Hold,
) -> String {
    match hold {
        Hold::Certain if !p.distance_km.is_finite() => {
            format!("{place} → inside zone `{}` ({})", z.id, z.name)
        }
        Hold::Certain => format!(
            "{place} → inside zone `{}` ({}), {} km from its edge",
            z.id,
            z.name,
            km(p.distance_km)
        ),
        _ if !p.distance_km.is_finite() => format!(
            "{place} → may be in zone `{}` ({}): the location is too coarse to tell",
            z.id, z.name
        ),
        _ if p.inside => format!(
            "{place} → the point is in zone `{}` ({}) but only {} km from its edge, less than the location's uncertainty: possibly in the zone",
            z.id,
            z.name,
            km(p.distance_km)
        ),
        _ => format!(
            "{place} → the point is {} km outside zone `{}` ({}), within the location's uncertainty: possibly in the zone",
            km(p.distance_km),
            z.id,
            z.name
        ),
    }
}

fn site_text(
    agreement: &Agreement,
    report: &Report,
    facts: &Facts,
    site: usize,
    hold: Hold,
) -> String {
    let s = &agreement.sites[site];
    let place = location_text(report, facts);
    let Some(p) = facts.sites.iter().find(|p| p.site == site) else {
        return place;
    };
    let precision = match s.precision {
        truce_model::agreement::SitePrecision::Exact => "facility location".to_string(),
        truce_model::agreement::SitePrecision::Settlement => format!(
            "known only by its town, ±{} km",
            km(s.location_uncertainty_km)
        ),
    };
    let distance = if p.distance_km.is_finite() {
        format!("{} km", km(p.distance_km))
    } else {
        "an unknown distance".into()
    };
    match hold {
        Hold::Certain => format!(
            "{place} → {distance} from protected site `{}` ({}, {precision}), within its {} km protection radius",
            s.id,
            s.name,
            km(s.protection_radius_km)
        ),
        _ => format!(
            "{place} → {distance} from protected site `{}` ({}, {precision}); given both uncertainties it may be within the {} km protection radius",
            s.id,
            s.name,
            km(s.protection_radius_km)
        ),
    }
}
