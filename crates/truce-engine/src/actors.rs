//! Resolving the actor names a source gives to the agreement's actors.
//!
//! A name is looked up by its exact key first, then by its transliteration key
//! (for names long enough that folding is safe). ACLED writes some actors as
//! "ACRONYM: Full name"; each part is tried too. When two actors answer to a
//! name, the date decides (aliases hold for periods); when the date does not,
//! the name is ambiguous and left unresolved, with a note, never guessed.

use rustc_hash::FxHashMap as HashMap;
use truce_model::agreement::{Agreement, PeriodMatch};
use truce_model::names::{MIN_FOLD_LENGTH, exact_key, fold_key};
use truce_model::time::DateSpan;

/// How a name matched an alias.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MatchKind {
    /// Same name up to case, diacritics, punctuation and article spelling.
    Exact,
    /// Same name up to transliteration.
    Transliteration,
}

/// One alias a name may refer to.
#[derive(Clone, Debug)]
struct Candidate {
    actor: usize,
    alias: usize,
    how: MatchKind,
}

/// The resolution of one name on one date span.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolution {
    Matched(ActorMatch),
    /// Several actors answer to the name on this date.
    Ambiguous(Vec<usize>),
    Unmatched,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ActorMatch {
    pub actor: usize,
    pub alias: usize,
    pub how: MatchKind,
    /// Whether the alias's period covers the event's whole date span.
    pub period: PeriodMatch,
}

/// Name → candidate aliases, built once per agreement.
pub struct ActorResolver<'a> {
    agreement: &'a Agreement,
    exact: HashMap<String, Vec<(usize, usize)>>,
    folded: HashMap<String, Vec<(usize, usize)>>,
    /// Candidates per raw name, filled by [`ActorResolver::warm`] before the
    /// parallel work starts; names repeat millions of times.
    cache: HashMap<String, Vec<Candidate>>,
}

impl<'a> ActorResolver<'a> {
    pub fn new(agreement: &'a Agreement) -> Self {
        let mut exact: HashMap<String, Vec<(usize, usize)>> = HashMap::default();
        let mut folded: HashMap<String, Vec<(usize, usize)>> = HashMap::default();
        for (a, actor) in agreement.actors.iter().enumerate() {
            for (i, alias) in actor.aliases.iter().enumerate() {
                exact
                    .entry(alias.exact_key.clone())
                    .or_default()
                    .push((a, i));
                if alias.exact_key.chars().count() >= MIN_FOLD_LENGTH {
                    folded
                        .entry(alias.fold_key.clone())
                        .or_default()
                        .push((a, i));
                }
            }
        }
        ActorResolver {
            agreement,
            exact,
            folded,
            cache: HashMap::default(),
        }
    }

    /// Looks up every name once, so that resolving needs no lock.
    pub fn warm<'n>(&mut self, names: impl IntoIterator<Item = &'n str>) {
        for name in names {
            if !self.cache.contains_key(name) {
                let candidates = self.compute_candidates(name);
                self.cache.insert(name.to_string(), candidates);
            }
        }
    }

    fn candidates(&self, name: &str) -> std::borrow::Cow<'_, [Candidate]> {
        match self.cache.get(name) {
            Some(hit) => std::borrow::Cow::Borrowed(hit.as_slice()),
            None => std::borrow::Cow::Owned(self.compute_candidates(name)),
        }
    }

    fn compute_candidates(&self, name: &str) -> Vec<Candidate> {
        let mut keys = vec![exact_key(name)];
        // "NDF: National Defence Forces" — ACLED's acronym-and-name form.
        if let Some((short, long)) = name.split_once(':') {
            keys.push(exact_key(long));
            keys.push(exact_key(short));
        }
        for key in &keys {
            if let Some(hits) = self.exact.get(key) {
                return hits
                    .iter()
                    .map(|&(actor, alias)| Candidate {
                        actor,
                        alias,
                        how: MatchKind::Exact,
                    })
                    .collect();
            }
        }
        for key in &keys {
            if key.chars().count() < MIN_FOLD_LENGTH {
                continue;
            }
            if let Some(hits) = self.folded.get(&fold_key(key)) {
                return hits
                    .iter()
                    .map(|&(actor, alias)| Candidate {
                        actor,
                        alias,
                        how: MatchKind::Transliteration,
                    })
                    .collect();
            }
        }
        Vec::new()
    }

    /// Resolves a name for an event dated `span`.
    pub fn resolve(&self, name: &str, span: &DateSpan) -> Resolution {
        let candidates = self.candidates(name);
        if candidates.is_empty() {
            return Resolution::Unmatched;
        }
        let with_period: Vec<(&Candidate, PeriodMatch)> = candidates
            .iter()
            .map(|c| {
                (
                    c,
                    self.agreement.actors[c.actor].aliases[c.alias]
                        .period
                        .relate(span),
                )
            })
            .collect();
        // Prefer aliases whose period holds over the whole span, then those that hold for part of it.
        for wanted in [PeriodMatch::Whole, PeriodMatch::Part, PeriodMatch::None] {
            let mut actors: Vec<&(&Candidate, PeriodMatch)> =
                with_period.iter().filter(|(_, p)| *p == wanted).collect();
            if actors.is_empty() {
                continue;
            }
            actors.sort_by_key(|(c, _)| c.actor);
            let first = actors[0].0;
            if actors.iter().all(|(c, _)| c.actor == first.actor) {
                return Resolution::Matched(ActorMatch {
                    actor: first.actor,
                    alias: first.alias,
                    how: first.how,
                    period: wanted,
                });
            }
            let mut ids: Vec<usize> = actors.iter().map(|(c, _)| c.actor).collect();
            ids.dedup();
            return Resolution::Ambiguous(ids);
        }
        Resolution::Unmatched
    }
}
