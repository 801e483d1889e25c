//! How one link of a finding's chain holds: certainly, possibly (with a
//! confidence factor) or not at all, and the links adjudication and
//! verification both weigh — an event's kind against a list of kinds, an
//! incident against zones, sites and a clause's dates.

use crate::facts::Facts;
use truce_model::agreement::{Agreement, Clause, SiteSelector};
use truce_model::finding::Certainty;
use truce_model::kind::{KindIndex, KindMatch};
use truce_model::time::{DateSpan, Overlap};

/// A link's outcome: certain, possible with a confidence factor, or broken.
#[derive(Copy, Clone, Debug, PartialEq)]
pub(crate) enum Hold {
    Certain,
    Possible(f64),
    No,
}

impl Hold {
    pub(crate) fn certainty(self) -> Option<Certainty> {
        match self {
            Hold::Certain => Some(Certainty::Certain),
            Hold::Possible(_) => Some(Certainty::Possible),
            Hold::No => None,
        }
    }

    pub(crate) fn factor(self) -> f64 {
        match self {
            Hold::Certain => 1.0,
            Hold::Possible(f) => f,
            Hold::No => 0.0,
        }
    }

    pub(crate) fn and(self, other: Hold) -> Hold {
        match (self, other) {
            (Hold::No, _) | (_, Hold::No) => Hold::No,
            (Hold::Certain, Hold::Certain) => Hold::Certain,
            (a, b) => Hold::Possible(a.factor() * b.factor()),
        }
    }

    pub(crate) fn best(self, other: Hold) -> Hold {
        match (self, other) {
            (Hold::Certain, _) | (_, Hold::Certain) => Hold::Certain,
            (Hold::Possible(a), Hold::Possible(b)) => Hold::Possible(a.max(b)),
            (Hold::Possible(a), Hold::No) | (Hold::No, Hold::Possible(a)) => Hold::Possible(a),
            (Hold::No, Hold::No) => Hold::No,
        }
    }
}

/// The confidence given to a link that may hold.
pub(crate) const POSSIBLE: f64 = 0.5;

pub(crate) fn from_certainty(c: Certainty) -> Hold {
    match c {
        Certainty::Certain => Hold::Certain,
        Certainty::Possible => Hold::Possible(POSSIBLE),
    }
}

/// How an event's kind stands against a list of kinds (empty list = any kind).
pub(crate) fn kind_hold(
    agreement: &Agreement,
    kind: KindIndex,
    wanted: &[KindIndex],
) -> (Hold, Option<KindIndex>) {
    if wanted.is_empty() {
        return (Hold::Certain, None);
    }
    let mut best = (Hold::No, None);
    for &w in wanted {
        let hold = match agreement.taxonomy.relate(kind, w) {
            KindMatch::Certain => Hold::Certain,
            KindMatch::Possible => Hold::Possible(POSSIBLE),
            KindMatch::No => Hold::No,
        };
        if best.0 != Hold::Certain
            && hold != Hold::No
            && (best.0 == Hold::No || hold == Hold::Certain)
        {
            best = (hold, Some(w));
        }
    }
    best
}

/// How an incident stands against a list of zones (empty = anywhere).
pub(crate) fn zone_hold(facts: &Facts, zones: &[usize]) -> (Hold, Option<usize>) {
    if zones.is_empty() {
        return (Hold::Certain, None);
    }
    let mut best = (Hold::No, None);
    for place in facts.zones.iter().filter(|p| zones.contains(&p.zone)) {
        let hold = from_certainty(place.certainty);
        if best.0 == Hold::No || (hold == Hold::Certain && best.0 != Hold::Certain) {
            best = (hold, Some(place.zone));
        }
    }
    best
}

/// How an incident stands against a site selector.
pub(crate) fn site_hold(
    agreement: &Agreement,
    facts: &Facts,
    selector: &SiteSelector,
) -> (Hold, Option<usize>) {
    let mut best = (Hold::No, None);
    for place in &facts.sites {
        if !selector.selects(place.site, &agreement.sites[place.site]) {
            continue;
        }
        let hold = from_certainty(place.certainty);
        if best.0 == Hold::No || (hold == Hold::Certain && best.0 != Hold::Certain) {
            best = (hold, Some(place.site));
        }
    }
    best
}

/// How an incident's dates stand against the clause's window.
pub(crate) fn date_hold(clause: &Clause, span: &DateSpan) -> Hold {
    match clause.window.overlap(span) {
        Overlap::Inside => Hold::Certain,
        Overlap::Partial { share } => Hold::Possible(share),
        Overlap::Outside => Hold::No,
    }
}
