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
use std::sync::Arc;
use truce_model::agreement::{Agreement, Bound, Clause, Exception, PeriodMatch, Target};
use truce_model::finding::{Certainty, Finding, Link, Reason, Verdict};
use truce_model::kind::KindIndex;
use truce_model::message::{Arg, Joiner, Message};
use truce_model::report::{Report, Role};
use truce_model::time::DateSpan;

/// Builds a reason's sentence only when findings are to be explained: on a
/// million events the sentences cost more than the judging.
macro_rules! say {
    ($explain:expr, $message:expr) => {
        if $explain {
            $message
        } else {
            Message::default()
        }
    };
}

fn reason(link: Link, hold: Hold, message: impl Into<Arc<Message>>) -> Reason {
    Reason {
        link,
        certainty: hold.certainty().unwrap_or(Certainty::Possible),
        message: message.into(),
    }
}

/// Statements said one after the other; one alone is said as it is (most
/// actor links have one, and a check keeps one per finding).
fn statements(mut parts: Vec<Arg>) -> Message {
    if parts.len() == 1
        && matches!(parts.first(), Some(Arg::Message(_)))
        && let Some(Arg::Message(only)) = parts.pop()
    {
        return only;
    }
    Message::new("reason-list").with("items", Arg::list(parts, Joiner::Semicolon))
}

/// An id of the agreement or the taxonomy, shown as written in every language.
fn id(text: &str) -> Arg {
    Arg::verbatim(text)
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

fn side_label(report: &Report, side: &SideFacts) -> Message {
    let s = &report.sides[side.side];
    Message::new("reason-side")
        .with("field", &s.field)
        .with("names", s.names.join(", "))
}

fn describe_target(
    agreement: &Agreement,
    report: &Report,
    side: &SideFacts,
    date: &DateSpan,
) -> Message {
    let mut parts = Vec::new();
    for (n, m) in &side.matched {
        let actor = &agreement.actors[m.actor];
        let name = &report.sides[side.side].names[*n];
        if actor.civilian {
            parts.push(
                Message::new("reason-target-civilian-actor")
                    .with("name", name)
                    .with("actor", id(&actor.id))
                    .into(),
            );
            continue;
        }
        let designation = actor
            .designation_on(date.first)
            .map_or_else(|| Message::new("designation-none"), |d| d.message());
        parts.push(
            Message::new("reason-target-actor")
                .with("name", name)
                .with("actor", id(&actor.id))
                .with("designation", designation)
                .with("day", date.first)
                .into(),
        );
    }
    for n in &side.unmatched {
        parts.push(
            Message::new("reason-target-not-an-actor")
                .with("name", &report.sides[side.side].names[*n])
                .into(),
        );
    }
    if side.civilians_by_source {
        parts.push(Message::new("reason-target-civilians-by-source").into());
    }
    statements(parts)
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
        // Said once for the side, shared by the findings of its names.
        let initiator_text = Arc::new(initiator_text);
        let mut against: Option<Option<(Hold, Arc<Message>)>> = None;
        for (name_index, actor_match) in &attacker.matched {
            let Some((bound, party)) = bound_by(agreement, clause, actor_match.actor, span) else {
                continue;
            };
            let alias_hold = match actor_match.period {
                PeriodMatch::Whole => Hold::Certain,
                PeriodMatch::Part | PeriodMatch::None => Hold::Possible(POSSIBLE),
            };
            let Some((target, target_text)) = against
                .get_or_insert_with(|| {
                    against_whom(agreement, report, clause, others, span, explain)
                        .map(|(hold, text)| (hold, Arc::new(text)))
                })
                .clone()
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
                Message::default()
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
) -> (Hold, Message) {
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
        Message::default()
    } else if assumed && !others.iter().all(|o| o.is_civilian(agreement)) {
        Message::new("reason-initiator-first-side")
            .with("side", side_label(report, attacker))
            .with("setting", "first_side_acted")
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
) -> Option<(Hold, Message)> {
    if clause.against.contains(&Target::Anyone) {
        let text = match others.first() {
            _ if !explain => Message::default(),
            Some(o) => Message::new("reason-target-anyone")
                .with("other", describe_target(agreement, report, o, span)),
            None => Message::new("reason-target-anyone-no-other-side"),
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
            say!(
                explain,
                Message::new("reason-target-against")
                    .with("side", side_label(report, side))
                    .with("names", describe_target(agreement, report, side, span))
                    .with("requirement", target_requirement(agreement, clause))
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
) -> Message {
    let actor = &agreement.actors[actor_match.actor];
    let party_text = match party {
        Some(p) => Message::new("reason-party").with("party", id(&agreement.parties[p].id)),
        None => Message::new("reason-no-party"),
    };
    let alias = &actor.aliases[actor_match.alias];
    let how = Message::new(match actor_match.how {
        crate::actors::MatchKind::Exact => "reason-match-exact",
        crate::actors::MatchKind::Transliteration => "reason-match-transliteration",
    });
    let mut parts: Vec<Arg> = vec![
        Message::new("reason-actor-chain")
            .with("field", &report.sides[attacker.side].field)
            .with("name", &report.sides[attacker.side].names[*name_index])
            .with("alias", &alias.name)
            .with("how", how)
            .with("actor", id(&actor.id))
            .with("party", party_text)
            .with("day", span.first)
            .into(),
    ];
    if actor_match.period != PeriodMatch::Whole {
        parts.push(
            Message::new("reason-alias-part-of-event")
                .with("period", alias.period.message())
                .into(),
        );
    }
    if bound != Hold::Certain {
        parts.push(Message::new("reason-party-changed").into());
    }
    statements(parts)
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
    // The candidates in words, once for the incident and clause, shared by its findings.
    let list: Arg = if explain {
        let names = Arg::codes(parties.iter().map(|&p| &context.party_ids[p]), Joiner::Or);
        Arc::new(Message::new("reason-list").with("items", names)).into()
    } else {
        Arg::list(Vec::new(), Joiner::Or)
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
fn attribution_reason(finding: &Finding, breaks: bool, candidates: usize, list: &Arg) -> Reason {
    let guarantors = if finding.guarantors.is_empty() {
        Message::new("reason-no-guarantors")
    } else {
        Message::new("reason-guarantors").with(
            "guarantors",
            Arg::codes(finding.guarantors.iter(), Joiner::Comma),
        )
    };
    let (certainty, key) = match (breaks, candidates) {
        (true, 1) => (Certainty::Certain, "reason-attribution-certain"),
        (true, _) => (Certainty::Certain, "reason-attribution-certain-either"),
        (false, 1) if finding.certainty == Certainty::Certain => {
            (Certainty::Certain, "reason-attribution-certain")
        }
        (false, _) => (Certainty::Possible, "reason-attribution-possible"),
    };
    Reason {
        link: Link::Attribution,
        certainty,
        message: Arc::new(
            Message::new(key)
                .with("responsible", list.clone())
                .with("guarantors", guarantors),
        ),
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
) -> (ExceptionOutcome, Message) {
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
            say!(
                explain,
                Message::new("reason-exception-does-not-apply")
                    .with("exception", name)
                    .with("why", exception_miss(target, kind, zone))
            ),
        );
    }
    let void = match &exception.unless_at_sites {
        Some(selector) => site_hold(agreement, facts, selector),
        None => (Hold::No, None),
    };
    let site_name = |s: Option<usize>| match s {
        Some(s) => Message::new("reason-exception-site")
            .with("site", id(&agreement.sites[s].id))
            .with("name", &agreement.sites[s].name),
        None => Message::new("reason-exception-no-site"),
    };
    let _ = report;
    let (outcome, key) = match (applies, void.0) {
        (Hold::Certain, Hold::No) => (
            ExceptionOutcome::Allows(Hold::Certain),
            "reason-exception-applies",
        ),
        (_, Hold::Certain) => (
            ExceptionOutcome::DoesNotApply,
            "reason-exception-void-at-site",
        ),
        (Hold::Certain, Hold::Possible(_)) => (
            ExceptionOutcome::MayAllow,
            "reason-exception-maybe-void-at-site",
        ),
        _ => (ExceptionOutcome::MayAllow, "reason-exception-may-apply"),
    };
    // Each sentence places what it needs of these; the rest are not shown.
    let message = say!(
        explain,
        Message::new(key)
            .with("exception", name)
            .with("site", site_name(void.1))
            .with("why", exception_partial(target, kind, zone))
    );
    (outcome, message)
}

fn exception_miss(target: Hold, kind: Hold, zone: Hold) -> Message {
    Message::new(if target == Hold::No {
        "reason-exception-miss-target"
    } else if kind == Hold::No {
        "reason-exception-miss-kind"
    } else if zone == Hold::No {
        "reason-exception-miss-zone"
    } else {
        "reason-exception-miss-conditions"
    })
}

fn exception_partial(target: Hold, kind: Hold, zone: Hold) -> Message {
    Message::new(if target != Hold::Certain {
        "reason-exception-partial-target"
    } else if kind != Hold::Certain {
        "reason-exception-partial-kind"
    } else if zone != Hold::Certain {
        "reason-exception-partial-zone"
    } else {
        "reason-exception-partial-other"
    })
}

fn target_requirement(agreement: &Agreement, clause: &Clause) -> Message {
    let names = clause
        .against
        .iter()
        .map(|t| {
            match t {
                Target::Covered => Message::new("reason-protects-covered"),
                Target::Excluded => Message::new("reason-protects-excluded"),
                Target::Civilians => Message::new("reason-protects-civilians"),
                Target::Anyone => Message::new("reason-protects-anyone"),
                Target::Party(p) => {
                    Message::new("reason-party").with("party", id(&agreement.parties[*p].id))
                }
                Target::Actor(a) => {
                    Message::new("reason-actor").with("actor", id(&agreement.actors[*a].id))
                }
            }
            .into()
        })
        .collect();
    Message::new("reason-protects").with("targets", Arg::list(names, Joiner::Or))
}

fn initiator_text(
    report: &Report,
    attacker: &SideFacts,
    others: &[&SideFacts],
    hold: Hold,
    agreement: &Agreement,
) -> Message {
    let me = side_label(report, attacker);
    let _ = agreement;
    match hold {
        Hold::Certain if attacker.role == Role::Initiator => {
            Message::new("reason-initiator-named").with("side", me)
        }
        Hold::Certain if others.is_empty() => {
            Message::new("reason-initiator-only").with("side", me)
        }
        Hold::Certain => Message::new("reason-initiator-civilians").with("side", me),
        _ => {
            let other = others
                .first()
                .map_or_else(Message::default, |o| side_label(report, o));
            Message::new("reason-initiator-unknown")
                .with("side", me)
                .with("other", other)
                .with("field", &report.sides[attacker.side].field)
        }
    }
}

fn kind_text(
    agreement: &Agreement,
    report: &Report,
    facts: &Facts,
    hold: Hold,
    wanted: Option<KindIndex>,
) -> Message {
    let source = if report.kind_label.is_empty() {
        Message::new("reason-kind-no-source-label")
    } else {
        Message::new("reason-kind-source-label").with("label", &report.kind_label)
    };
    let unknown = if facts.kind_known {
        Message::new("reason-kind-known")
    } else {
        Message::new("reason-kind-unknown").with("kind", &report.kind)
    };
    let key = match (hold, wanted) {
        (Hold::Certain, Some(_)) => "reason-kind-forbidden",
        (Hold::Certain, None) => "reason-kind-any",
        (_, Some(_)) => "reason-kind-maybe-forbidden",
        _ => "reason-kind-plain",
    };
    Message::new(key)
        .with("source", source)
        .with("kind", id(agreement.taxonomy.id(facts.kind)))
        .with("unknown", unknown)
        .with(
            "forbidden",
            id(wanted.map_or("", |w| agreement.taxonomy.id(w))),
        )
}

fn date_text(clause: &Clause, span: &DateSpan, hold: Hold) -> Message {
    Message::new(match hold {
        Hold::Certain => "reason-date-within",
        _ => "reason-date-partly-within",
    })
    .with("span", span.message())
    .with("window", clause.window.message())
}

fn location_text(report: &Report, facts: &Facts) -> Message {
    let loc = &report.location;
    let place = match loc
        .place
        .as_deref()
        .or(loc.admin2.as_deref())
        .or(loc.admin1.as_deref())
    {
        Some(name) => Arg::verbatim(name),
        None => Message::new("reason-unnamed-place").into(),
    };
    match loc.point {
        Some(p) => Message::new("reason-location-point")
            .with("place", place)
            .with("point", p.to_string())
            .with("precision", loc.precision.message())
            .with("radius", km(facts.radius_km)),
        None => Message::new("reason-location-no-point")
            .with("place", place)
            .with("precision", loc.precision.message()),
    }
}

fn km(value: f64) -> Arg {
    if value.is_finite() {
        if value >= 10.0 {
            Arg::number(format!("{value:.0}"))
        } else {
            Arg::number(format!("{value:.1}"))
        }
    } else {
        Arg::verbatim("∞")
    }
}

fn place_text(
    agreement: &Agreement,
    report: &Report,
    facts: &Facts,
    zone: usize,
    hold: Hold,
) -> Message {
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
        (Hold::Certain, Some(name)) if p.named_by_source => Message::new("reason-place-named-unit")
            .with("place", place)
            .with("unit", name)
            .with("zone", id(&z.id))
            .with("name", &z.name),
        _ => place_distance_text(place, z, p, hold),
    }
}

fn place_distance_text(
    place: Message,
    z: &truce_model::agreement::Zone,
    p: &crate::facts::ZonePlace,
    hold: Hold,
) -> Message {
    let key = match hold {
        Hold::Certain if !p.distance_km.is_finite() => "reason-place-inside",
        Hold::Certain => "reason-place-inside-by",
        _ if !p.distance_km.is_finite() => "reason-place-too-coarse",
        _ if p.inside => "reason-place-inside-near-edge",
        _ => "reason-place-outside-near-edge",
    };
    Message::new(key)
        .with("place", place)
        .with("zone", id(&z.id))
        .with("name", &z.name)
        .with("distance", km(p.distance_km))
}

fn site_text(
    agreement: &Agreement,
    report: &Report,
    facts: &Facts,
    site: usize,
    hold: Hold,
) -> Message {
    let s = &agreement.sites[site];
    let place = location_text(report, facts);
    let Some(p) = facts.sites.iter().find(|p| p.site == site) else {
        return place;
    };
    let precision = match s.precision {
        truce_model::agreement::SitePrecision::Exact => Message::new("reason-site-exact"),
        truce_model::agreement::SitePrecision::Settlement => {
            Message::new("reason-site-by-town").with("radius", km(s.location_uncertainty_km))
        }
    };
    let distance = if p.distance_km.is_finite() {
        Message::new("reason-distance-km").with("distance", km(p.distance_km))
    } else {
        Message::new("reason-distance-unknown")
    };
    Message::new(match hold {
        Hold::Certain => "reason-site-within",
        _ => "reason-site-maybe-within",
    })
    .with("place", place)
    .with("distance", distance)
    .with("site", id(&s.id))
    .with("name", &s.name)
    .with("precision", precision)
    .with("radius", km(s.protection_radius_km))
}
