//! One document into reports: for each sentence that says something happened,
//! its kind, date, place, actors and killed, each with the words behind it.

use crate::Lang;
use crate::casualties::{FoundKilled, find_killed};
use crate::dates::{default_span, find_dates};
use crate::gazetteer::{Gazetteer, PlaceLevel, distance_km};
use crate::lexicon::*;
use crate::read::Document;
use crate::roles::{Mention, clauses, english_roles};
use crate::text::{Token, normalize_phrase, sentences, tokens};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use truce_model::agreement::Agreement;
use truce_model::kind::Taxonomy;
use truce_model::report::{
    ActorCategory, Location, LocationPrecision, LonLat, Provenance, Report, Role, Side,
    TextEvidence, TextSpan,
};

/// The source every report read from text carries.
pub const TEXT_SOURCE: &str = "text";

/// A sentence that named an event but gave no report, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub document: String,
    /// Bytes of the sentence in the document's text.
    pub start: usize,
    pub end: usize,
    pub reason: String,
}

/// What one sentence (or one clause of it) gave.
enum SentenceOutcome {
    Report(Box<Report>),
    Nothing,
    Skipped(String),
    /// Several clauses with acts of their own: token ranges to read one at a time.
    Clauses(Vec<Range<usize>>),
}

/// Reports of one sentence that are one event: "Two clauses with the same kind, the
/// same place, the same actors and the same day" (the labelled set's rule, and a
/// monitor's) give one report, the first, with a note.
fn merge_same_event(reports: Vec<Report>) -> Vec<Report> {
    let mut out: Vec<Report> = Vec::new();
    for report in reports {
        let same = out.iter_mut().find(|kept| {
            kept.kind == report.kind
                && kept.date == report.date
                && kept.location.place == report.location.place
                && kept.location.precision == report.location.precision
                && kept
                    .sides
                    .iter()
                    .map(|s| (&s.names, s.role))
                    .eq(report.sides.iter().map(|s| (&s.names, s.role)))
        });
        match same {
            Some(kept) => {
                if let Some(evidence) = kept.text.as_mut() {
                    evidence.notes.push(format!(
                        "also said as `{}` (same kind, place, day and actors: one event)",
                        report.kind_label
                    ));
                }
            }
            None => out.push(report),
        }
    }
    out
}

/// Words after a place's name that make it part of a group's name: "Al-Sham Corps",
/// "the Free Idlib Army", "the revenge war for al-Sham State".
const NAMES_A_GROUP_AFTER: &[&str] = &[
    "corps",
    "army",
    "brigade",
    "brigades",
    "division",
    "front",
    "legion",
    "battalion",
    "battalions",
    "movement",
    "state",
    "regiment",
    "republic",
    "gathering",
    "falcons",
];

/// The first word of many place names, which alone names none: "Tal al-Sawwan"
/// is not a town called "Tal".
const PLACE_NAME_HEADS: &[&str] = &[
    "tal", "tall", "tell", "tel", "kafr", "kfar", "kafar", "deir", "dayr", "ain", "ayn", "jabal",
    "jebel", "wadi", "khirbet", "khirbat", "beit", "bayt", "qasr", "maarat", "maarrat", "ras",
    "bir", "umm", "abu", "sheikh", "shaykh", "tell", "hay",
];

/// Whether the words `i..i + width`, found in the gazetteer, name a place where
/// they stand: not when they qualify an actor ("Syria regime", "Lebanon's
/// Hezbollah") or a group's name ("Al-Sham Corps"), nor when they are the start of
/// a longer name the gazetteer does not know ("Tal al-Sawwan", "Tal Melh").
fn names_a_place_here(words: &[Token], i: usize, width: usize, taken: &[(usize, usize)]) -> bool {
    let end = i + width;
    // An actor's name used as a place ("the Syria-Turkey border") is no actor here.
    let actor_at = |k: usize| {
        taken.iter().any(|(a, b)| {
            *a == k
                && !words
                    .get(*b)
                    .is_some_and(|t| matches!(t.norm.as_str(), "border" | "borders" | "frontier"))
        })
    };
    if actor_at(end) || (words.get(end).is_some_and(|t| t.norm == "s") && actor_at(end + 1)) {
        return false;
    }
    if words
        .get(end)
        .is_some_and(|t| NAMES_A_GROUP_AFTER.contains(&t.norm.as_str()) && t.capitalized)
    {
        return false;
    }
    let next_is_name = words
        .get(end)
        .is_some_and(|t| t.capitalized && !actor_at(end));
    let article_then_name = words
        .get(end)
        .is_some_and(|t| truce_model::names::ARTICLES.contains(&t.norm.as_str()))
        && words.get(end + 1).is_some_and(|t| t.capitalized);
    if width == 1
        && PLACE_NAME_HEADS.contains(&words[i].norm.as_str())
        && (next_is_name || article_then_name)
    {
        return false;
    }
    // "Tal al" of "Tal al-Sawwan": a name cut before its end.
    if width > 1
        && truce_model::names::ARTICLES.contains(&words[end - 1].norm.as_str())
        && words.get(end).is_some_and(|t| t.capitalized)
    {
        return false;
    }
    !(width == 1 && article_then_name)
}

/// Whether the tokens `focus` hold a place word followed by a name that is not an
/// actor's ("in the Eastern Ghouta", "on Kafr Batna"): a place of the clause's own,
/// known to the gazetteer or not.
fn names_a_place_unknown(
    words: &[Token],
    focus: &Range<usize>,
    taken: &[(usize, usize)],
    place_cues: &HashSet<String>,
) -> bool {
    focus.clone().any(|i| {
        if !words.get(i).is_some_and(|t| place_cues.contains(&t.norm)) {
            return false;
        }
        let name = i + 1 + usize::from(words.get(i + 1).is_some_and(|t| t.norm == "the"));
        name < focus.end
            && words.get(name).is_some_and(|t| t.capitalized)
            && !taken.iter().any(|(a, b)| (*a..*b).contains(&name))
    })
}

/// What one document gave.
#[derive(Clone, Debug, Default)]
pub struct Extracted {
    pub reports: Vec<Report>,
    pub skipped: Vec<Skipped>,
}

/// A phrase of a lexicon, as normalised words, with what it means.
struct Phrase<T> {
    words: Vec<String>,
    value: T,
}

/// Phrases by their first word, longest first.
struct PhraseIndex<T> {
    by_first: HashMap<String, Vec<Phrase<T>>>,
}

impl<T: Clone> PhraseIndex<T> {
    fn new(entries: impl IntoIterator<Item = (String, T)>) -> Self {
        let mut by_first: HashMap<String, Vec<Phrase<T>>> = HashMap::new();
        for (phrase, value) in entries {
            let words = normalize_phrase(&phrase);
            if let Some(first) = words.first() {
                by_first
                    .entry(first.clone())
                    .or_default()
                    .push(Phrase { words, value });
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|phrase| std::cmp::Reverse(phrase.words.len()));
        }
        PhraseIndex { by_first }
    }

    /// The longest phrase starting at token `i`: its value and how many tokens.
    fn at(&self, tokens: &[Token], i: usize, lang: Lang) -> Option<(T, usize)> {
        let first = &tokens.get(i)?.norm;
        let mut keys: Vec<&str> = vec![first.as_str()];
        // Arabic writes "and", "with", "for", "the" onto the word.
        if lang == Lang::Ar {
            for prefix in ["و", "ف", "ب", "ل", "ك", "وال", "بال", "لل", "فال", "ال"]
            {
                if let Some(rest) = first
                    .strip_prefix(prefix)
                    .filter(|r| r.chars().count() >= 2)
                {
                    keys.push(rest);
                }
            }
        }
        for key in keys {
            if let Some(list) = self.by_first.get(key) {
                for phrase in list {
                    let fits = phrase
                        .words
                        .iter()
                        .enumerate()
                        .skip(1)
                        .all(|(k, w)| tokens.get(i + k).is_some_and(|t| &t.norm == w));
                    if fits {
                        return Some((phrase.value.clone(), phrase.words.len()));
                    }
                }
            }
        }
        None
    }
}

/// An actor the text may name: the name put on the report and whether it came
/// from the agreement.
#[derive(Clone, Debug)]
struct ActorName {
    name: String,
    /// A short alias ("IS", "US") must be written in capitals to count.
    needs_capitals: bool,
    /// The words matched, as written in the lexicon.
    alias: String,
    /// A word that names a side only within one war ("rebels"): the actor of
    /// truce's dictionary it names, by country code (`ACTORS_BY_COUNTRY`).
    by_country: Option<&'static [(&'static str, &'static str)]>,
}

/// Reads documents into reports with one set of lexicons, gazetteer and actors.
pub struct Extractor {
    gazetteer: Gazetteer,
    taxonomy: Taxonomy,
    kinds_en: PhraseIndex<String>,
    kinds_ar: PhraseIndex<String>,
    actors: PhraseIndex<ActorName>,
    hedges: PhraseIndex<u8>,
    denials: PhraseIndex<()>,
    health: PhraseIndex<()>,
    /// Word lists, normalised as tokens are (`على` is matched as `علي`).
    place_cues: HashSet<String>,
    admin_cues: HashSet<String>,
    negators: HashSet<String>,
    attack_verbs: HashSet<String>,
    arabic_hit_before: HashSet<String>,
}

fn normalised(lists: &[&[&str]]) -> HashSet<String> {
    lists
        .iter()
        .flat_map(|l| l.iter())
        .map(|w| normalize_phrase(w).join(" "))
        .collect()
}

/// How far (in words) a date, place, count or actor may be from the words of
/// the kind to belong to the same event (a sentence of a news lede is long).
const REACH: usize = 30;

/// Where a sentence's act stands: its first kind's word (`anchor`), and the
/// words of the clause read (`focus`).
#[derive(Clone, Copy)]
struct Reading<'a> {
    text: &'a str,
    words: &'a [Token],
    lang: Lang,
    anchor: usize,
    focus: &'a Range<usize>,
}

/// What a sentence's words name, each with where it stands (token indices).
struct Scanned {
    /// Kinds of event named.
    cues: Vec<(String, usize, usize)>,
    /// Kinds named but said not to have happened.
    negated: Vec<(usize, usize)>,
    actors: Vec<(ActorName, usize, usize)>,
    /// Health-care words (a hospital, a clinic).
    health: Vec<(usize, usize)>,
    /// Hedges, with the confidence each costs.
    hedges: Vec<(u8, usize, usize)>,
    denials: Vec<(usize, usize)>,
}

/// The clauses of a sentence that tell acts of their own, each to be read as its
/// own report; `None` when it tells one act. Each act's clause reaches to the next
/// act's; the words before the first act belong to it.
fn acts_of(
    text: &str,
    words: &[Token],
    lang: Lang,
    actors: &[(ActorName, usize, usize)],
    cues: &[(String, usize, usize)],
) -> Option<Vec<Range<usize>>> {
    let mentions: Vec<Mention> = actors
        .iter()
        .map(|(_, a, b)| Mention { start: *a, end: *b })
        .collect();
    let cue_starts: Vec<usize> = cues.iter().map(|(_, c, _)| *c).collect();
    let clause_of = match lang {
        Lang::En => clauses(text, words, &mentions, &cue_starts),
        Lang::Ar => vec![0; words.len()],
    };
    let mut acts: Vec<usize> = cue_starts.iter().map(|&c| clause_of[c]).collect();
    acts.dedup();
    if acts.len() < 2 {
        return None;
    }
    let starts: Vec<usize> = acts
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            if k == 0 {
                0
            } else {
                clause_of.iter().position(|&x| x == c).unwrap_or(0)
            }
        })
        .collect();
    Some(
        starts
            .iter()
            .enumerate()
            .map(|(k, &start)| start..starts.get(k + 1).copied().unwrap_or(words.len()))
            .collect(),
    )
}

/// Where in a sentence a field is looked for: the kind's word (`anchor`), the
/// words of the event (`focus`) and the words already read as other fields
/// (`taken`, first and last token).
#[derive(Clone, Copy)]
struct Around<'a> {
    anchor: usize,
    focus: &'a Range<usize>,
    taken: &'a [(usize, usize)],
}
impl Extractor {
    /// An extractor with the built-in lexicons and gazetteer and, when given, the
    /// agreement's actors and aliases (looked for before the general ones) and kinds.
    pub fn new(gazetteer: Gazetteer, agreement: Option<&Agreement>) -> Extractor {
        let taxonomy = agreement.map_or_else(Taxonomy::built_in, |a| a.taxonomy.clone());
        let mut actor_entries: Vec<(String, ActorName)> = Vec::new();
        if let Some(agreement) = agreement {
            for actor in &agreement.actors {
                for alias in actor.aliases.iter() {
                    actor_entries.push((
                        alias.name.clone(),
                        ActorName {
                            name: alias.name.clone(),
                            needs_capitals: alias.name.chars().count() <= 4,
                            alias: alias.name.clone(),
                            by_country: None,
                        },
                    ));
                }
            }
        }
        for (_, name, aliases) in ACTORS {
            for alias in *aliases {
                actor_entries.push((
                    alias.to_string(),
                    ActorName {
                        name: name.to_string(),
                        needs_capitals: alias.chars().count() <= 3,
                        alias: alias.to_string(),
                        by_country: None,
                    },
                ));
            }
        }
        for (word, by_country) in ACTORS_BY_COUNTRY {
            actor_entries.push((
                word.to_string(),
                ActorName {
                    name: word.to_string(),
                    needs_capitals: false,
                    alias: word.to_string(),
                    by_country: Some(by_country),
                },
            ));
        }
        let hedges = HEDGES_EN
            .iter()
            .chain(HEDGES_AR)
            .map(|(p, v)| (p.to_string(), *v));
        Extractor {
            gazetteer,
            taxonomy,
            kinds_en: PhraseIndex::new(
                KINDS_EN.iter().map(|(p, k)| (p.to_string(), k.to_string())),
            ),
            kinds_ar: PhraseIndex::new(
                KINDS_AR.iter().map(|(p, k)| (p.to_string(), k.to_string())),
            ),
            actors: PhraseIndex::new(actor_entries),
            hedges: PhraseIndex::new(hedges),
            denials: PhraseIndex::new(
                DENIALS_EN
                    .iter()
                    .chain(DENIALS_AR)
                    .map(|p| (p.to_string(), ())),
            ),
            health: PhraseIndex::new(
                HEALTH_CARE_EN
                    .iter()
                    .chain(HEALTH_CARE_AR)
                    .map(|p| (p.to_string(), ())),
            ),
            place_cues: normalised(&[PLACE_BEFORE_EN, PLACE_BEFORE_AR]),
            admin_cues: normalised(&[ADMIN1_CUES_EN, ADMIN1_CUES_AR]),
            negators: normalised(&[NEGATORS_EN, NEGATORS_AR]),
            attack_verbs: normalised(&[ATTACK_VERBS_EN, ATTACK_VERBS_AR]),
            arabic_hit_before: normalised(&[TARGET_BEFORE_AR]),
        }
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The reports `document` gives.
    pub fn extract(&self, document: &Document) -> Extracted {
        let mut out = Extracted::default();
        let text = document.text.as_str();
        for (n, sentence) in sentences(text).into_iter().enumerate() {
            let piece = &text[sentence.start..sentence.end];
            let mut words = tokens(piece);
            for word in &mut words {
                word.start += sentence.start;
                word.end += sentence.start;
            }
            // One report per clause that names its own act ("Coalition warplanes bomb
            // Manbij countryside and clashes continue" is two), each clause read with
            // the whole sentence around it (its place may be in an earlier clause).
            let mut reports: Vec<Report> = Vec::new();
            let skip = |reason: String| Skipped {
                document: document.id.clone(),
                start: sentence.start,
                end: sentence.end,
                reason,
            };
            match self.sentence(document, n * 16, sentence.start, sentence.end, &words, None) {
                SentenceOutcome::Report(report) => reports.push(*report),
                SentenceOutcome::Nothing => {}
                SentenceOutcome::Skipped(reason) => out.skipped.push(skip(reason)),
                SentenceOutcome::Clauses(ranges) => {
                    for (part, range) in ranges.into_iter().enumerate().take(15) {
                        match self.sentence(
                            document,
                            n * 16 + part + 1,
                            sentence.start,
                            sentence.end,
                            &words,
                            Some(range),
                        ) {
                            SentenceOutcome::Report(report) => reports.push(*report),
                            SentenceOutcome::Skipped(reason) => out.skipped.push(skip(reason)),
                            SentenceOutcome::Nothing | SentenceOutcome::Clauses(_) => {}
                        }
                    }
                }
            }
            out.reports.extend(merge_same_event(reports));
        }
        out
    }

    fn kind_index(&self, lang: Lang) -> &PhraseIndex<String> {
        match lang {
            Lang::En => &self.kinds_en,
            Lang::Ar => &self.kinds_ar,
        }
    }

    /// The kind all of `kinds` are under: the deepest when they lie on one path.
    fn common_kind(&self, kinds: &[String]) -> String {
        let paths: Vec<Vec<String>> = kinds
            .iter()
            .filter_map(|k| self.taxonomy.find(k))
            .map(|k| {
                self.taxonomy
                    .path(k)
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            })
            .collect();
        let Some(first) = paths.first() else {
            return "event".into();
        };
        // On one path: the deepest.
        if let Some(deepest) = paths.iter().max_by_key(|p| p.len())
            && paths.iter().all(|p| deepest.starts_with(p))
        {
            return deepest.last().cloned().unwrap_or_else(|| "event".into());
        }
        let mut common = first.len();
        for path in &paths {
            common = common.min(first.iter().zip(path).take_while(|(a, b)| a == b).count());
        }
        first
            .get(common.saturating_sub(1))
            .cloned()
            .unwrap_or_else(|| "event".into())
    }

    /// The sentence's words read once, left to right: each run of words taken by
    /// the first list that knows it (actors, kinds, health care, hedges, denials).
    fn scan(&self, text: &str, words: &[Token], lang: Lang) -> Scanned {
        let mut cues: Vec<(String, usize, usize)> = Vec::new();
        let mut negated: Vec<(usize, usize)> = Vec::new();
        let mut actors: Vec<(ActorName, usize, usize)> = Vec::new();
        let mut health: Vec<(usize, usize)> = Vec::new();
        let mut hedges: Vec<(u8, usize, usize)> = Vec::new();
        let mut denials: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if let Some((actor, width)) = self.actors.at(words, i, lang) {
                let written = &text[words[i].start..words[i + width - 1].end];
                let lower_case_ok = !LOWER_CASE_ALIASES.contains(&actor.alias.as_str())
                    || !words[i + width - 1].capitalized;
                let capitals_ok = lower_case_ok && !actor.needs_capitals
                    || written
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .all(|c| c.is_uppercase() || !c.is_ascii());
                // "IS militants", "DPR militia": a description of the name before it.
                let describes_the_last = actor.by_country.is_some()
                    && actors.last().is_some_and(|(_, _, end)| *end == i);
                if capitals_ok && !describes_the_last {
                    actors.push((actor, i, i + width));
                    i += width;
                    continue;
                }
            }
            if let Some((kind, width)) = self.kind_index(lang).at(words, i, lang) {
                let before = i.saturating_sub(2)..i;
                if words[before]
                    .iter()
                    .any(|t| self.negators.contains(&t.norm))
                {
                    negated.push((i, i + width));
                } else if !(lang == Lang::En
                    && width == 1
                    && words[i].norm.ends_with("ed")
                    && i > 0
                    && matches!(words[i - 1].norm.as_str(), "the" | "a" | "an"))
                {
                    // Not "the kidnapped people", "the besieged town": a participle
                    // after an article describes, it does not tell an act.
                    cues.push((kind, i, i + width));
                }
                i += width;
                continue;
            }
            if let Some(((), width)) = self.health.at(words, i, lang) {
                health.push((i, i + width));
                i += width;
                continue;
            }
            if let Some((loss, width)) = self.hedges.at(words, i, lang) {
                // A phrase with no loss is listed so that it is not read as a hedge.
                if loss > 0 {
                    hedges.push((loss, i, i + width));
                }
                i += width;
                continue;
            }
            if let Some(((), width)) = self.denials.at(words, i, lang) {
                denials.push((i, i + width));
                i += width;
                continue;
            }
            i += 1;
        }
        Scanned {
            cues,
            negated,
            actors,
            health,
            hedges,
            denials,
        }
    }

    /// Which kinds the sentence tells, once all its words are known: violence before
    /// the truce it breaks, a strike on health care, a killing with no means named.
    /// Returns whether the kind rests on a count of the dead alone.
    fn settle_kinds(
        &self,
        cues: &mut Vec<(String, usize, usize)>,
        health: &[(usize, usize)],
        killed: &[FoundKilled],
        words: &[Token],
        lang: Lang,
    ) -> bool {
        // Violence first: a ceasefire mentioned beside a strike is context.
        let violent = |k: &str| {
            self.taxonomy
                .find(k)
                .zip(self.taxonomy.find("political-violence"))
                .is_some_and(|(k, pv)| self.taxonomy.is_within(k, pv))
        };
        if cues.iter().any(|(k, _, _)| violent(k)) {
            cues.retain(|(k, _, _)| violent(k));
        } else if !cues.is_empty()
            && let Some(k) = killed.iter().find(|k| k.killed.best > 0)
        {
            // "Three killed in east Ukraine despite Orthodox Easter truce": the
            // killing is the event, the truce its context.
            *cues = vec![("political-violence".into(), k.token, k.token + 1)];
        }
        // Health care struck with no means named ("attacked a hospital", "bombed a clinic").
        if !health.is_empty()
            && !cues.is_empty()
            && cues
                .iter()
                .all(|(k, _, _)| k == "armed-conflict" || k == "remote-violence")
        {
            for cue in cues.iter_mut() {
                cue.0 = "attack-on-health-care".into();
            }
        }
        if cues.is_empty() && !health.is_empty() {
            let verb = words
                .iter()
                .enumerate()
                .find(|(_, t)| self.attack_verbs.contains(&t.norm));
            if let Some((v, _)) = verb {
                cues.push(("attack-on-health-care".into(), v, v + 1));
            }
        }
        // A killing with no means named (it must be placed to be a report: a day's
        // toll across the country is not one incident).
        let mut kill_only = false;
        // "21 people were killed yesterday in different circumstances": a toll of
        // many incidents, not one.
        let many_circumstances = lang == Lang::En
            && words
                .iter()
                .any(|t| t.norm == "circumstances" || t.norm == "causes");
        if cues.is_empty()
            && !many_circumstances
            && let Some(k) = killed.iter().find(|k| k.killed.best > 0)
        {
            cues.push(("political-violence".into(), k.token, k.token + 1));
            kill_only = true;
        }
        kill_only
    }

    /// The sides the sentence names near its act, each with its role (roles.rs):
    /// who acted and who was hit, a denial undoing an attribution, "its warplanes"
    /// naming the actor before, "between A and B" naming neither as the one who
    /// acted, and a struck hospital as a civilian target.
    #[allow(clippy::too_many_arguments)]
    fn sides_of(
        &self,
        reading: &Reading<'_>,
        actors: &[(ActorName, usize, usize)],
        cues: &[(String, usize, usize)],
        denials: &[(usize, usize)],
        health: &[(usize, usize)],
        spans: &mut Vec<TextSpan>,
        notes: &mut Vec<String>,
    ) -> Vec<Side> {
        let Reading {
            text,
            words,
            lang,
            anchor,
            focus,
        } = *reading;
        let near = |t: usize| t.abs_diff(anchor) <= REACH;
        let span = |field: &str, a: usize, b: usize| TextSpan {
            field: field.into(),
            start: words[a].start as u64,
            end: words[b - 1].end as u64,
        };
        // Actors and their roles, from where each stands in the sentence (roles.rs).
        let nearby: Vec<&(ActorName, usize, usize)> =
            actors.iter().filter(|(_, a, _)| near(*a)).collect();
        let roles: Vec<Role> = match lang {
            Lang::En => {
                let mentions: Vec<Mention> = nearby
                    .iter()
                    .map(|(_, a, b)| Mention { start: *a, end: *b })
                    .collect();
                let means_at: Vec<usize> = cues
                    .iter()
                    .filter(|(kind, _, _)| kind != "armed-clash")
                    .map(|(_, c, _)| *c)
                    .collect();
                let cue_starts: Vec<usize> = cues.iter().map(|(_, c, _)| *c).collect();
                english_roles(
                    text,
                    words,
                    &mentions,
                    &means_at,
                    &cue_starts,
                    focus.clone(),
                )
            }
            Lang::Ar => nearby
                .iter()
                .map(|(_, a, b)| self.arabic_role(words, cues, *a, *b))
                .collect(),
        };
        let mut sides: Vec<Side> = Vec::new();
        for ((actor, a, b), role) in nearby.into_iter().zip(roles) {
            // Who the text says denies: its attribution is not taken.
            let denied = denials
                .iter()
                .any(|(d, _)| d.abs_diff(*b) <= 3 || d.abs_diff(*a) <= 3);
            let role = if denied && role == Role::Initiator {
                notes.push(format!(
                    "`{}` is said to deny it: not taken as who acted",
                    &text[words[*a].start..words[b - 1].end]
                ));
                Role::Unknown
            } else {
                role
            };
            if sides
                .iter()
                .any(|s| s.names.first() == Some(&actor.name) && s.role == role)
            {
                continue;
            }
            spans.push(span(
                if role == Role::Target {
                    "target"
                } else {
                    "actor"
                },
                *a,
                *b,
            ));
            sides.push(Side {
                field: "text".into(),
                names: vec![actor.name.clone()],
                role,
                category: None,
            });
        }
        // "its warplanes", "their forces": the actor named last before acted.
        let pronoun = words.windows(2).position(|w| {
            matches!(w[0].norm.as_str(), "its" | "their")
                && crate::roles::MEANS[..14].contains(&w[1].norm.as_str())
        });
        if let Some(at) = pronoun
            && let Some((actor, _, _)) = actors.iter().rfind(|(_, a, b)| *b <= at && near(*a))
            && let Some(side) = sides
                .iter_mut()
                .find(|s| s.names.first() == Some(&actor.name) && s.role == Role::Unknown)
        {
            side.role = Role::Initiator;
        }
        // "between A and B": neither of those two is said to have acted.
        if let Some(between) = words.iter().position(|t| t.norm == "between") {
            let within: Vec<&str> = actors
                .iter()
                .filter(|(_, a, _)| *a > between && *a <= between + 8)
                .map(|(actor, _, _)| actor.name.as_str())
                .collect();
            for side in &mut sides {
                if side.role == Role::Initiator
                    && side
                        .names
                        .first()
                        .is_some_and(|n| within.contains(&n.as_str()))
                {
                    side.role = Role::Unknown;
                }
            }
        }
        for (a, b) in health {
            if near(*a) && focus.contains(a) {
                spans.push(span("target", *a, *b));
                sides.push(Side {
                    field: "text".into(),
                    names: vec![text[words[*a].start..words[*b - 1].end].to_string()],
                    role: Role::Target,
                    category: Some(ActorCategory::Civilians),
                });
                break;
            }
        }

        sides
    }

    /// Reads one sentence (or one clause of it, `focus`) into at most one report,
    /// in the order a reader takes it: what its words name, which kinds it tells,
    /// whether it tells several acts, the date, the place, the sides, whether it is
    /// a report at all, the dead, and how sure it reads. The scan, the kinds, the
    /// acts and the sides are functions of their own; what is left (some 250 lines)
    /// hands the same growing lists of spans and notes from step to step, and reads
    /// best as one story.
    fn sentence(
        &self,
        document: &Document,
        index: usize,
        sentence_start: usize,
        sentence_end: usize,
        words: &[Token],
        focus: Option<Range<usize>>,
    ) -> SentenceOutcome {
        let lang = document.lang;
        let text = document.text.as_str();
        let Scanned {
            mut cues,
            negated,
            actors,
            health,
            hedges,
            denials,
        } = self.scan(text, words, lang);
        let mut killed = find_killed(&text[sentence_start..sentence_end], words, lang);
        let kill_only = self.settle_kinds(&mut cues, &health, &killed, words, lang);
        if cues.is_empty() {
            if !negated.is_empty() {
                let (a, b) = negated[0];
                return SentenceOutcome::Skipped(format!(
                    "`{}`: said not to have happened",
                    &text[words[a.saturating_sub(2)].start..words[b - 1].end]
                ));
            }
            return SentenceOutcome::Nothing;
        }
        // Clauses with acts of their own: one report each (read again, one focus at a time).
        match &focus {
            None => {
                if let Some(ranges) = acts_of(text, words, lang, &actors, &cues) {
                    return SentenceOutcome::Clauses(ranges);
                }
            }
            Some(range) => {
                cues.retain(|(_, c, _)| range.contains(c));
                killed.retain(|k| range.contains(&k.token));
                if cues.is_empty() {
                    return SentenceOutcome::Nothing;
                }
            }
        }
        let split_sentence = focus.is_some();
        let focus = focus.unwrap_or(0..words.len());
        let kinds: Vec<String> = cues.iter().map(|(k, _, _)| k.clone()).collect();
        let kind = self.common_kind(&kinds);
        let anchor = cues[0].1;
        let near = |t: usize| t.abs_diff(anchor) <= REACH;
        let mut spans: Vec<TextSpan> = Vec::new();
        let span = |field: &str, a: usize, b: usize| TextSpan {
            field: field.into(),
            start: words[a].start as u64,
            end: words[b - 1].end as u64,
        };
        for (_, a, b) in &cues {
            spans.push(span("kind", *a, *b));
        }
        let kind_label = cues
            .iter()
            .map(|(_, a, b)| &text[words[*a].start..words[*b - 1].end])
            .collect::<Vec<_>>()
            .join(", ");
        let mut notes: Vec<String> = Vec::new();

        // Date.
        let dates = find_dates(text, words, document.published, lang);
        let date = dates.iter().min_by_key(|d| d.token.abs_diff(anchor));
        let date_span = match (date, document.published) {
            (Some(d), _) => {
                spans.push(TextSpan {
                    field: "date".into(),
                    start: d.start as u64,
                    end: d.end as u64,
                });
                d.span
            }
            (None, Some(published)) => default_span(published),
            (None, None) => {
                return SentenceOutcome::Skipped(format!(
                    "`{}`: no date in the words and no publication day (give --published)",
                    kind_label
                ));
            }
        };

        // The place first: a word like "rebels" names a side only within one war.
        let taken: Vec<(usize, usize)> = actors.iter().map(|(_, a, b)| (*a, *b)).collect();
        let location = self.place(
            document,
            words,
            Around {
                anchor,
                focus: &focus,
                taken: &taken,
            },
            &mut spans,
            &mut notes,
        );
        let carried_place = spans.iter().any(|s| {
            s.field == "place"
                && words
                    .get(focus.start)
                    .is_some_and(|w| (s.start as usize) < w.start)
        });
        let actors: Vec<(ActorName, usize, usize)> = actors
            .into_iter()
            .filter_map(|(actor, a, b)| {
                let Some(by_country) = actor.by_country else {
                    return Some((actor, a, b));
                };
                let country = location.country.as_deref()?;
                let id = by_country.iter().find(|(c, _)| *c == country)?.1;
                let name = ACTORS.iter().find(|(i, _, _)| *i == id)?.1;
                Some((
                    ActorName {
                        name: name.to_string(),
                        needs_capitals: false,
                        alias: actor.alias.clone(),
                        by_country: None,
                    },
                    a,
                    b,
                ))
            })
            .collect();

        let reading = Reading {
            text,
            words,
            lang,
            anchor,
            focus: &focus,
        };
        let sides = self.sides_of(
            &reading, &actors, &cues, &denials, &health, &mut spans, &mut notes,
        );

        // An event is a kind at a place, or a count of the dead: a kind's word alone
        // ("fighting needs to decrease") reports nothing.
        if kill_only && location.point.is_none() {
            return SentenceOutcome::Skipped(format!(
                "`{kind_label}`: a count of the dead with no means and no place, so no report"
            ));
        }
        // A report must be placed (at least in its country) to be judged against an
        // agreement's zones; a strike on health care is reported even unplaced,
        // for a monitor to place.
        let health_care = sides
            .iter()
            .any(|s| s.category == Some(ActorCategory::Civilians) && s.role == Role::Target);
        if location.point.is_none()
            && location.precision == LocationPrecision::Unknown
            && !health_care
        {
            return SentenceOutcome::Skipped(format!(
                "`{kind_label}`: not placed (no place the gazetteer knows), so no report"
            ));
        }
        let someone = sides.iter().any(|s| s.role != Role::Unknown);
        if location.precision == LocationPrecision::Unknown
            && location.place.is_none()
            && killed.is_empty()
            && !someone
        {
            return SentenceOutcome::Skipped(format!(
                "`{kind_label}`: no place, no count of the dead and no one said to act or be hit, so no report"
            ));
        }

        // Killed.
        let casualties = killed
            .iter()
            .filter(|k| killed.len() == 1 || near(k.token))
            .min_by_key(|k| k.token.abs_diff(anchor))
            .map(|k| {
                spans.push(TextSpan {
                    field: "killed".into(),
                    start: k.start as u64,
                    end: k.end as u64,
                });
                k.killed
            });

        // Hedges and denials.
        let mut confidence: i32 = 100;
        let mut hedge_words = Vec::new();
        for (loss, a, b) in &hedges {
            confidence -= i32::from(*loss);
            hedge_words.push(text[words[*a].start..words[*b - 1].end].to_string());
            spans.push(span("hedge", *a, *b));
        }
        for (a, b) in &denials {
            confidence -= 20;
            hedge_words.push(text[words[*a].start..words[*b - 1].end].to_string());
            spans.push(span("hedge", *a, *b));
        }
        for (a, b) in &negated {
            spans.push(span("negation", *a, *b));
        }
        // How the report was read, for the monitor who checks it. These readings
        // do not lower the confidence: on the labelled set, reports read this way
        // were right as often as the others (docs/extraction-eval.md).
        if split_sentence {
            notes.push("one of several acts of the sentence, read as its own report".into());
        }
        if carried_place {
            notes.push("the place is named in an earlier clause of the sentence".into());
        }
        if kill_only {
            notes.push("a count of the dead with no means named: the kind is the broadest".into());
        }
        let confidence = confidence.clamp(10, 100) as u8;
        spans.sort_by_key(|s| (s.start, s.end));

        let mut hasher = Sha256::new();
        hasher.update(document.id.as_bytes());
        hasher.update(format!("\n{index}\n{kind}").as_bytes());
        let digest = hasher.finalize();
        let source_id: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
        let excerpt = text[sentence_start..sentence_end].to_string();
        SentenceOutcome::Report(Box::new(Report {
            provenance: Provenance {
                source: TEXT_SOURCE.into(),
                source_id,
                file: document.file.clone(),
                line: document.line,
                revision: None,
                raw: Vec::new(),
            },
            date: date_span,
            location,
            kind,
            kind_label,
            sides,
            casualties,
            summary: Some(excerpt.chars().take(400).collect()),
            source_count: None,
            urls: document.url.iter().cloned().collect(),
            media: Vec::new(),
            text: Some(TextEvidence {
                document: document.id.clone(),
                title: document.title.clone(),
                published: document.published.map(|d| d.to_string()),
                lang: lang.code().into(),
                excerpt,
                excerpt_start: sentence_start as u64,
                spans,
                confidence,
                hedges: hedge_words,
                notes,
            }),
            aggregate: false,
        }))
    }

    /// Who an actor named in Arabic is: the one who acted when its means or its
    /// verb stand beside it ("طائرات النظام" after "قصفت": verb, then subject), the
    /// one hit after "on"/"against"/"positions of".
    fn arabic_role(
        &self,
        words: &[Token],
        cues: &[(String, usize, usize)],
        a: usize,
        b: usize,
    ) -> Role {
        let before = a.checked_sub(1).map(|j| words[j].norm.as_str());
        if before.is_some_and(|w| self.arabic_hit_before.contains(w)) {
            return Role::Target;
        }
        let means_follows = cues
            .iter()
            .any(|(kind, c, _)| *c == b && kind != "armed-clash");
        let verb_before = before.is_some_and(|w| self.attack_verbs.contains(w))
            || cues
                .iter()
                .any(|(kind, _, end)| *end == a && kind != "armed-clash");
        if means_follows || verb_before {
            Role::Initiator
        } else {
            Role::Unknown
        }
    }

    /// The gazetteer's names the sentence's words hold, left to right, longest
    /// first, outside the words `taken` by actors: each as (first token, width,
    /// candidate places, whether a first-order unit is meant).
    fn place_names(
        &self,
        words: &[Token],
        taken: &[(usize, usize)],
        lang: Lang,
    ) -> Vec<(usize, usize, Vec<usize>, bool)> {
        let longest = self.gazetteer.longest_name().clamp(1, 5);
        let mut found: Vec<(usize, usize, Vec<usize>, bool)> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if taken.iter().any(|(a, b)| (*a..*b).contains(&i)) {
                i += 1;
                continue;
            }
            let mut matched = None;
            for width in (1..=longest.min(words.len() - i)).rev() {
                if taken.iter().any(|(a, b)| *a < i + width && i < *b) {
                    continue;
                }
                if width == 1
                    && (NOT_PLACES_EN.contains(&words[i].norm.as_str())
                        || crate::dates::WEEKDAYS_EN.contains(&words[i].norm.as_str()))
                {
                    continue;
                }
                let mut names: Vec<String> =
                    words[i..i + width].iter().map(|t| t.norm.clone()).collect();
                let mut candidates = self.gazetteer.lookup(&names);
                let exact = !candidates.is_empty() && self.gazetteer.lookup_exact(&names);
                if candidates.is_empty() && lang == Lang::Ar {
                    // "بحلب", "وادلب": a letter written onto the name.
                    if let Some(rest) = ["و", "ب", "ل", "ف"]
                        .iter()
                        .find_map(|p| names[0].strip_prefix(p))
                        .filter(|r| r.chars().count() >= 3)
                    {
                        names[0] = rest.to_string();
                        candidates = self.gazetteer.lookup(&names);
                    }
                }
                if candidates.is_empty() {
                    continue;
                }
                let before = i.checked_sub(1).map(|j| words[j].norm.as_str());
                let cued = before.is_some_and(|w| self.place_cues.contains(w));
                // In English a place is a name: written with a capital, or right after a place word.
                let article_then_name = truce_model::names::ARTICLES
                    .contains(&words[i].norm.as_str())
                    && width > 1
                    && words[i + 1].capitalized;
                let looks_like_a_name =
                    lang == Lang::Ar || words[i].capitalized || article_then_name;
                if !(looks_like_a_name && (cued || width > 1 || words[i].norm.chars().count() >= 5))
                {
                    continue;
                }
                // A spelling only the transliteration key joins must stand where a place would.
                if !exact && !cued {
                    continue;
                }
                let after = words.get(i + width).map(|t| t.norm.as_str());
                if lang == Lang::En && after.is_some_and(|w| SPEECH_EN.contains(&w)) && !cued {
                    continue;
                }
                if lang == Lang::En && !names_a_place_here(words, i, width, taken) {
                    continue;
                }
                let admin = before.is_some_and(|w| self.admin_cues.contains(w))
                    || (before == Some("of")
                        && i >= 2
                        && self.admin_cues.contains(&words[i - 2].norm))
                    || after.is_some_and(|w| self.admin_cues.contains(w))
                    // "Daraa and its countryside", "Aleppo southern countryside", "the
                    // city of Aleppo and its western and southern countryside": the unit.
                    // "Hama’s countryside".
                    || (after == Some("s")
                        && words
                            .get(i + width + 1)
                            .is_some_and(|t| self.admin_cues.contains(&t.norm)))
                    // "the city and its south".
                    || (after == Some("and")
                        && words.get(i + width + 1).is_some_and(|t| t.norm == "its")
                        && words.get(i + width + 2).is_some_and(|t| {
                            matches!(t.norm.as_str(), "north" | "south" | "east" | "west" | "surroundings")
                        }))
                    || {
                        let mut k = i + width;
                        while words.get(k).is_some_and(|t| {
                            DIRECTIONS_EN.contains(&t.norm.as_str())
                                || matches!(t.norm.as_str(), "and" | "its")
                        }) && k < i + width + 5
                        {
                            k += 1;
                        }
                        k > i + width
                            && words
                                .get(k)
                                .is_some_and(|t| self.admin_cues.contains(&t.norm))
                    }
                    || before.is_some_and(|w| w.ends_with("ern") && DIRECTIONS_EN.contains(&w))
                    // "Shell Areas East Daraa": around the town.
                    || (before.is_some_and(|w| matches!(w, "north" | "south" | "east" | "west"))
                        && i >= 2
                        && words[i - 2].norm != "the")
                    // "north of Aleppo", "west of Daraa": around it, not in it.
                    || (before == Some("of")
                        && i >= 2
                        && DIRECTIONS_EN.contains(&words[i - 2].norm.as_str()));
                matched = Some((width, candidates, admin));
                break;
            }
            match matched {
                Some((width, candidates, admin)) => {
                    found.push((i, width, candidates, admin));
                    i += width;
                }
                None => i += 1,
            }
        }
        found
    }

    /// The place of the event: the gazetteer's name nearest the kind's words.
    ///
    /// After the names are found ([`Self::place_names`]) it narrows them step by
    /// step — the country the other names agree on, the clause's own place, an
    /// origin set aside, the most precise level nearest the act, a name that fits
    /// places far apart, a town's surroundings — each step reading the survivors
    /// of the one before; kept as one function of some 210 lines so the order of
    /// those steps, which decides the answer, is read in one place.
    fn place(
        &self,
        document: &Document,
        words: &[Token],
        around: Around<'_>,
        spans: &mut Vec<TextSpan>,
        notes: &mut Vec<String>,
    ) -> Location {
        let Around {
            anchor,
            focus,
            taken,
        } = around;
        let lang = document.lang;
        let text = document.text.as_str();
        let found = self.place_names(words, taken, lang);
        let unknown = Location::unknown();
        // A name that fits places in several countries is read in the country of
        // the other places the sentence names ("Kabana north of Latakia" is Syrian).
        let sure: HashSet<String> = found
            .iter()
            .filter_map(|(_, _, candidates, _)| {
                let first = &self.gazetteer.place(*candidates.first()?).country;
                candidates
                    .iter()
                    .all(|&p| &self.gazetteer.place(p).country == first)
                    .then(|| first.clone())
            })
            .collect();
        let found: Vec<(usize, usize, Vec<usize>, bool)> = found
            .into_iter()
            .map(|(t, w, candidates, admin)| {
                let within: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|&p| sure.contains(&self.gazetteer.place(p).country))
                    .collect();
                if within.is_empty() || within.len() == candidates.len() {
                    (t, w, candidates, admin)
                } else {
                    (t, w, within, admin)
                }
            })
            .collect();
        // A clause's own place; else the last one of the clauses before it ("… in
        // Homs and clashes continue"), never one of a later clause.
        let in_focus = found.iter().any(|(t, _, _, _)| focus.contains(t));
        let found: Vec<_> = if in_focus {
            found
                .into_iter()
                .filter(|(t, _, _, _)| focus.contains(t))
                .collect()
        } else if names_a_place_unknown(words, focus, taken, &self.place_cues) {
            // "… and shelling hits areas in the Eastern Ghouta": the clause has a place
            // of its own the gazetteer does not know; an earlier clause's is not it.
            Vec::new()
        } else {
            found
                .into_iter()
                .filter(|(t, _, _, _)| *t < focus.start)
                .max_by_key(|(t, _, _, _)| *t)
                .into_iter()
                .collect()
        };
        // "a displaced family from Palmyra": an origin, not where it happened, when
        // the clause names another place.
        let found: Vec<_> = if found.len() > 1
            && found
                .iter()
                .any(|(t, _, _, _)| *t == 0 || words[t - 1].norm != "from")
        {
            found
                .into_iter()
                .filter(|(t, _, _, _)| *t == 0 || words[t - 1].norm != "from")
                .collect()
        } else {
            found
        };
        // The most precise level named, nearest the kind's words.
        let Some((first, width, candidates, admin)) = found
            .into_iter()
            .filter(|(t, _, _, _)| t.abs_diff(anchor) <= REACH + 6)
            .min_by_key(|(t, w, c, _)| {
                let coarse = c
                    .iter()
                    .all(|&p| self.gazetteer.place(p).level == PlaceLevel::Country);
                // "… bombardment targets Hama": the place after the kind's words is its object.
                let distance = t.abs_diff(anchor).min((t + w).abs_diff(anchor)) * 2;
                (coarse, distance - usize::from(*t > anchor && distance > 0))
            })
        else {
            return unknown;
        };
        let written = &text[words[first].start..words[first + width - 1].end];
        spans.push(TextSpan {
            field: "place".into(),
            start: words[first].start as u64,
            end: words[first + width - 1].end as u64,
        });
        // Which level the words mean: a unit when they say so, else a town before a unit of the same name.
        let wanted = if admin {
            PlaceLevel::Admin1
        } else {
            PlaceLevel::Point
        };
        let mut pool: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&p| self.gazetteer.place(p).level == wanted)
            .collect();
        if pool.is_empty() {
            let best_level = candidates
                .iter()
                .map(|&p| self.gazetteer.place(p).level)
                .min();
            pool = candidates
                .iter()
                .copied()
                .filter(|&p| Some(self.gazetteer.place(p).level) == best_level)
                .collect();
        }
        pool.sort_by(|a, b| {
            self.gazetteer
                .place(*b)
                .population
                .cmp(&self.gazetteer.place(*a).population)
        });
        let Some(&chosen) = pool.first() else {
            return unknown;
        };
        let chosen_place = self.gazetteer.place(chosen);
        // Places of one name far apart: ambiguous, reported with its candidates.
        let apart: Vec<usize> = pool
            .iter()
            .copied()
            .filter(|&p| {
                let other = self.gazetteer.place(p);
                distance_km((other.lat, other.lon), (chosen_place.lat, chosen_place.lon)) > 25.0
            })
            .collect();
        if !apart.is_empty() {
            let listed: Vec<String> = pool
                .iter()
                .take(6)
                .map(|&p| {
                    let place = self.gazetteer.place(p);
                    format!(
                        "{} ({:.4}, {:.4}, {})",
                        place.name, place.lat, place.lon, place.country
                    )
                })
                .collect();
            notes.push(format!(
                "`{written}` is ambiguous: {} places of this name ({}); not placed",
                pool.len(),
                listed.join("; ")
            ));
            let same_country = pool
                .iter()
                .all(|&p| self.gazetteer.place(p).country == chosen_place.country);
            return Location {
                point: None,
                precision: if same_country {
                    LocationPrecision::Country
                } else {
                    LocationPrecision::Unknown
                },
                place: Some(written.to_string()),
                admin1: None,
                admin2: None,
                country: same_country.then(|| chosen_place.country.clone()),
            };
        }
        // The surroundings of a town ("Manbij countryside", "north of Homs"): its unit.
        if admin
            && chosen_place.level == PlaceLevel::Point
            && let Some(unit) = chosen_place
                .admin1
                .as_deref()
                .and_then(|name| self.gazetteer.unit(&chosen_place.country, name))
        {
            return Location {
                point: Some(LonLat {
                    lon: unit.lon,
                    lat: unit.lat,
                }),
                precision: LocationPrecision::Province,
                place: Some(unit.name.clone()),
                admin1: Some(unit.name.clone()),
                admin2: None,
                country: Some(unit.country.clone()),
            };
        }
        let precision = match chosen_place.level {
            PlaceLevel::Point if chosen_place.population >= 100_000 => LocationPrecision::Near,
            PlaceLevel::Point => LocationPrecision::Exact,
            PlaceLevel::Admin1 => LocationPrecision::Province,
            PlaceLevel::Country => LocationPrecision::Country,
        };
        Location {
            point: Some(LonLat {
                lon: chosen_place.lon,
                lat: chosen_place.lat,
            }),
            precision,
            place: Some(chosen_place.name.clone()),
            admin1: chosen_place.admin1.clone(),
            admin2: None,
            country: Some(chosen_place.country.clone()),
        }
    }
}
