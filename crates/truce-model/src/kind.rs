//! The hierarchy of event kinds.
//!
//! Sources know an event's kind at different depths: UCDP GED's
//! `type_of_violence` says "state-based armed conflict", an ACLED
//! `sub_event_type` says "Air/drone strike". Each source maps into this tree at
//! the depth it really knows, and a clause names the kinds it forbids. An event
//! whose kind is the clause's kind or below it is certainly of that kind; an
//! event known only by an ancestor of the clause's kind *may* be of it; any other
//! kind is not. An agreement may add its own kinds under the built-in ones.

use serde::Serialize;

/// One kind in the tree: a stable id (`air-strike`), its parent, and a label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KindInfo {
    pub id: String,
    pub parent: Option<KindIndex>,
    pub label: String,
    pub positive: bool,
}

/// Index of a kind in a [`Taxonomy`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct KindIndex(pub u16);

/// The built-in kinds: (id, parent id, label). The order puts parents first.
pub const BUILT_IN_KINDS: &[(&str, &str, &str)] = &[
    ("event", "", "any event"),
    ("political-violence", "event", "political violence"),
    (
        "armed-conflict",
        "political-violence",
        "organised armed violence between armed actors",
    ),
    ("armed-clash", "armed-conflict", "armed clash"),
    ("territory-taken", "armed-clash", "territory taken by force"),
    (
        "remote-violence",
        "armed-conflict",
        "explosions and remote violence",
    ),
    ("air-strike", "remote-violence", "air or drone strike"),
    (
        "shelling",
        "remote-violence",
        "shelling, artillery or missile attack",
    ),
    (
        "explosive-device",
        "remote-violence",
        "remote explosive, landmine or IED",
    ),
    ("suicide-bombing", "remote-violence", "suicide bombing"),
    ("grenade", "remote-violence", "grenade"),
    ("chemical-weapon", "remote-violence", "chemical weapon"),
    (
        "violence-against-civilians",
        "political-violence",
        "violence against civilians",
    ),
    (
        "attack-on-civilians",
        "violence-against-civilians",
        "attack on civilians",
    ),
    (
        "attack-on-health-care",
        "attack-on-civilians",
        "attack on a hospital or health workers",
    ),
    (
        "abduction",
        "violence-against-civilians",
        "abduction or forced disappearance",
    ),
    (
        "sexual-violence",
        "violence-against-civilians",
        "sexual violence",
    ),
    ("demonstration", "event", "demonstration"),
    ("protest", "demonstration", "protest"),
    ("riot", "demonstration", "riot or mob violence"),
    ("strategic-development", "event", "strategic development"),
    ("arrest", "strategic-development", "arrests"),
    (
        "looting",
        "strategic-development",
        "looting or property destruction",
    ),
    (
        "base-established",
        "strategic-development",
        "headquarters or base established",
    ),
    (
        "territory-transfer",
        "strategic-development",
        "non-violent transfer of territory",
    ),
    ("agreement", "strategic-development", "agreement"),
    (
        "disrupted-weapons-use",
        "strategic-development",
        "disrupted weapons use",
    ),
    (
        "group-change",
        "strategic-development",
        "change to group or activity",
    ),
    ("humanitarian", "event", "humanitarian activity"),
    (
        "humanitarian-access",
        "humanitarian",
        "humanitarian access granted",
    ),
    (
        "convoy-delivered",
        "humanitarian-access",
        "humanitarian convoy delivered",
    ),
    (
        "access-obstructed",
        "humanitarian",
        "humanitarian access obstructed or besieged",
    ),
];

/// Kinds that count as positive events (compliance, not violation).
const POSITIVE_ROOTS: &[&str] = &["humanitarian-access"];

/// How an event's kind relates to a kind a clause or condition names.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum KindMatch {
    /// The event's kind is the named kind or one of its descendants.
    Certain,
    /// The event's kind is an ancestor: it may or may not be the named kind.
    Possible,
    No,
}

/// The tree of kinds, built-in plus those an agreement adds.
#[derive(Clone, Debug, Serialize)]
pub struct Taxonomy {
    kinds: Vec<KindInfo>,
}

impl Default for Taxonomy {
    fn default() -> Self {
        Taxonomy::built_in()
    }
}

impl Taxonomy {
    pub fn built_in() -> Taxonomy {
        let mut taxonomy = Taxonomy {
            kinds: Vec::with_capacity(BUILT_IN_KINDS.len()),
        };
        for (id, parent, label) in BUILT_IN_KINDS {
            let parent = taxonomy.find(parent);
            // The table is ordered parents-first, so a missing parent only happens for the root.
            taxonomy.push(id, parent, label);
        }
        taxonomy
    }

    /// Adds a kind; returns its index. The caller checks that the id is new.
    pub fn push(&mut self, id: &str, parent: Option<KindIndex>, label: &str) -> KindIndex {
        let index = KindIndex(self.kinds.len() as u16);
        let positive = POSITIVE_ROOTS.contains(&id)
            || parent.is_some_and(|p| self.kinds[p.0 as usize].positive);
        self.kinds.push(KindInfo {
            id: id.to_string(),
            parent,
            label: label.to_string(),
            positive,
        });
        index
    }

    pub fn find(&self, id: &str) -> Option<KindIndex> {
        self.kinds
            .iter()
            .position(|k| k.id == id)
            .map(|i| KindIndex(i as u16))
    }

    pub fn get(&self, index: KindIndex) -> &KindInfo {
        &self.kinds[index.0 as usize]
    }

    pub fn id(&self, index: KindIndex) -> &str {
        &self.kinds[index.0 as usize].id
    }

    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (KindIndex, &KindInfo)> {
        self.kinds
            .iter()
            .enumerate()
            .map(|(i, k)| (KindIndex(i as u16), k))
    }

    /// True when `kind` is `ancestor` or lies below it.
    pub fn is_within(&self, kind: KindIndex, ancestor: KindIndex) -> bool {
        let mut current = Some(kind);
        // The depth is bounded by the number of kinds, which also guards against a cycle.
        for _ in 0..=self.kinds.len() {
            match current {
                Some(k) if k == ancestor => return true,
                Some(k) => current = self.kinds[k.0 as usize].parent,
                None => return false,
            }
        }
        false
    }

    /// How an event of kind `event` relates to the named kind `wanted`.
    pub fn relate(&self, event: KindIndex, wanted: KindIndex) -> KindMatch {
        if self.is_within(event, wanted) {
            KindMatch::Certain
        } else if self.is_within(wanted, event) {
            KindMatch::Possible
        } else {
            KindMatch::No
        }
    }

    /// The path from the root to `kind`, e.g. `event / political-violence / …`.
    pub fn path(&self, kind: KindIndex) -> Vec<&str> {
        let mut path = Vec::new();
        let mut current = Some(kind);
        for _ in 0..=self.kinds.len() {
            match current {
                Some(k) => {
                    path.push(self.kinds[k.0 as usize].id.as_str());
                    current = self.kinds[k.0 as usize].parent;
                }
                None => break,
            }
        }
        path.reverse();
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_of_knowledge_decides_certainty() {
        let t = Taxonomy::built_in();
        let air = t.find("air-strike").expect("built in");
        let pv = t.find("political-violence").expect("built in");
        let clash = t.find("armed-clash").expect("built in");
        assert_eq!(t.relate(air, pv), KindMatch::Certain);
        assert_eq!(t.relate(pv, air), KindMatch::Possible);
        assert_eq!(t.relate(clash, air), KindMatch::No);
        assert!(
            t.get(t.find("convoy-delivered").expect("built in"))
                .positive
        );
        assert_eq!(
            t.path(air),
            vec![
                "event",
                "political-violence",
                "armed-conflict",
                "remote-violence",
                "air-strike"
            ]
        );
    }
}
