//! Who acted and who was hit, read from where an actor stands in its clause.
//!
//! Word lists alone ("an actor before `shelling` acted") were fitted to the
//! phrasings of the texts they were written on and carried badly to others
//! (docs/extraction-eval.md). English news puts the one who acted in a few
//! places only, and the one hit in a few others:
//!
//! - the subject of an active verb: "Russian warplanes strike Idlib", "ISIS
//!   kills 12", "Russia and the regime avenge … and kill 15", "rebels continue
//!   to breach";
//! - behind "by" in the passive: "killed by regime shelling";
//! - before the means it used: "Turkish shelling", "the regime's helicopters";
//! - after the means, with "of": "warplanes of the Syrian regime".
//!
//! The one hit is the object of the verb ("IS targets rebels", "kill 15 members
//! of the regime forces"), stands after "on"/"against", before "positions", or
//! is a subject whose participle has no object ("Twenty IS militants killed in
//! …", headline English for "were killed") or whose verb is one of loss
//! ("regime forces lose 20 members").
//!
//! Each rule looks only at the words around one actor; it decides or passes.

use crate::dates::WEEKDAYS_EN;
use crate::lexicon::DIRECTIONS_EN;
use crate::text::Token;
use truce_model::report::Role;

/// Words between an actor's name and its verb that do not change who acts:
/// "IS militants kill", "the regime's forces shell", "rebels continue to breach".
const BETWEEN_ACTOR_AND_VERB: &[&str] = &[
    "s",
    "organization",
    "organisation",
    "group",
    "forces",
    "force",
    "fighters",
    "fighter",
    "militants",
    "militant",
    "members",
    "member",
    "troops",
    "soldiers",
    "soldier",
    "servicemen",
    "serviceman",
    "militiamen",
    "militiaman",
    "gunmen",
    "cells",
    "units",
    "elements",
    "operatives",
    "jihadists",
    "personnel",
    "commander",
    "commanders",
    "continue",
    "continues",
    "continued",
    "keep",
    "keeps",
    "manage",
    "manages",
    "managed",
    "try",
    "tries",
    "tried",
    "attempt",
    "attempts",
    "attempted",
    "to",
    "also",
    "again",
    "reportedly",
    "allegedly",
    "have",
    "has",
    "had",
    "military",
    "army",
    "their",
    "its",
];

/// Verbs (every form written) whose subject carried out the act.
const ACTING_VERBS: &[&str] = &[
    "kill",
    "kills",
    "killed",
    "target",
    "targets",
    "targeted",
    "shell",
    "shells",
    "shelled",
    "bomb",
    "bombs",
    "bombed",
    "bombard",
    "bombards",
    "bombarded",
    "strike",
    "strikes",
    "struck",
    "hit",
    "hits",
    "storm",
    "storms",
    "stormed",
    "attack",
    "attacks",
    "attacked",
    "ambush",
    "ambushes",
    "ambushed",
    "execute",
    "executes",
    "executed",
    "seize",
    "seizes",
    "seized",
    "capture",
    "captures",
    "captured",
    "control",
    "controls",
    "controlled",
    "regain",
    "regains",
    "regained",
    "retake",
    "retakes",
    "retook",
    "advance",
    "advances",
    "advanced",
    "fire",
    "fires",
    "fired",
    "launch",
    "launches",
    "launched",
    "raid",
    "raids",
    "raided",
    "destroy",
    "destroys",
    "destroyed",
    "shoot",
    "shoots",
    "shot",
    "down",
    "downs",
    "downed",
    "assassinate",
    "assassinates",
    "assassinated",
    "abduct",
    "abducts",
    "abducted",
    "kidnap",
    "kidnaps",
    "kidnapped",
    "arrest",
    "arrests",
    "arrested",
    "detonate",
    "detonates",
    "detonated",
    "avenge",
    "avenges",
    "avenged",
    "commit",
    "commits",
    "committed",
    "carry",
    "carries",
    "carried",
    "breach",
    "breaches",
    "breached",
    "violate",
    "violates",
    "violated",
    "use",
    "uses",
    "used",
    "besiege",
    "besieges",
    "besieged",
    "loot",
    "loots",
    "looted",
    "burn",
    "burns",
    "burned",
    "burnt",
    "behead",
    "beheads",
    "beheaded",
    "blow",
    "blows",
    "blew",
    "pound",
    "pounds",
    "pounded",
    "hammer",
    "hammers",
    "hammered",
    "massacre",
    "massacres",
    "massacred",
    "open",
    "opens",
    "opened",
    "intensify",
    "intensifies",
    "intensified",
    "renew",
    "renews",
    "renewed",
    "repel",
    "repels",
    "repelled",
    "take",
    "takes",
    "took",
    "enter",
    "enters",
    "entered",
    "expel",
    "expels",
    "expelled",
    "claim",
    "claims",
    "claimed",
    "injure",
    "injures",
    "injured",
    "wound",
    "wounds",
    "wounded",
    "mine",
    "mines",
    "mined",
    "drop",
    "drops",
    "dropped",
    "begin",
    "begins",
    "began",
    "start",
    "starts",
    "started",
    "wage",
    "wages",
    "waged",
    "conduct",
    "conducts",
    "conducted",
    "mount",
    "mounts",
    "mounted",
    "stage",
    "stages",
    "staged",
];

/// Forms that are also passive participles: "IS militants killed in …" (were killed)
/// or "the regime killed 15" (did kill), told apart by what follows.
fn is_participle(word: &str) -> bool {
    word.ends_with("ed")
        || matches!(
            word,
            "hit" | "struck" | "shot" | "taken" | "blown" | "burnt" | "retook" | "took" | "blew"
        )
}

/// What may stand between "by" and the one who acted: "by the invading Turkish army".
const BEFORE_AN_AGENT: &[&str] = &[
    "the",
    "a",
    "an",
    "invading",
    "occupying",
    "allied",
    "pro",
    "loyal",
    "regular",
];

/// Verbs whose subject is the one who lost: "regime forces lose 20 members".
const LOSING_VERBS: &[&str] = &[
    "lose",
    "loses",
    "lost",
    "suffer",
    "suffers",
    "suffered",
    "die",
    "dies",
    "died",
    "mourn",
    "mourns",
    "mourned",
    "sustain",
    "sustains",
    "sustained",
    "fall",
    "falls",
    "fell",
];

/// Verbs of two sides: "SDF and IS clash", "rebels fight regime forces".
const TWO_SIDED_VERBS: &[&str] = &[
    "clash",
    "clashes",
    "clashed",
    "fight",
    "fights",
    "fought",
    "battle",
    "battles",
    "battled",
    "exchange",
    "exchanges",
    "exchanged",
    "engage",
    "engages",
    "engaged",
];

/// The means an actor's name stands before: "Turkish shelling", "Russian warplanes".
/// The first fourteen (the machines, and shelling) are what "its" and "their" put
/// on the actor named before ("its warplanes").
pub(crate) const MEANS: &[&str] = &[
    "warplanes",
    "warplane",
    "jets",
    "jet",
    "helicopters",
    "helicopter",
    "artillery",
    "aircraft",
    "planes",
    "plane",
    "drones",
    "drone",
    "aviation",
    "shelling",
    "shells",
    "bombardment",
    "bombing",
    "bombings",
    "airstrike",
    "airstrikes",
    "strikes",
    "strike",
    "missiles",
    "missile",
    "rockets",
    "rocket",
    "mortars",
    "mortar",
    "sniper",
    "snipers",
    "attack",
    "attacks",
    "offensive",
    "raids",
    "raid",
    "fire",
    "tanks",
    "tank",
    "gunboats",
    "landmine",
    "landmines",
    "mine",
    "mines",
    "ied",
    "ieds",
    "bomb",
    "bombs",
    "explosives",
];

/// Words after a name that make it the one hit: "regime positions", "IS headquarters".
const HIT_PLACES: &[&str] = &[
    "positions",
    "position",
    "sites",
    "site",
    "headquarters",
    "bases",
    "base",
    "locations",
    "gatherings",
    "checkpoint",
    "checkpoints",
    "convoy",
    "convoys",
    "vehicle",
    "vehicles",
    "outposts",
    "outpost",
    "barracks",
    "depots",
    "depot",
    "hideouts",
    "hideout",
    "strongholds",
    "stronghold",
];

/// Words before a name that make it the one hit: "on regime positions", "against IS".
const HIT_BEFORE: &[&str] = &["on", "against", "targeting", "at", "upon"];

/// Words that may stand between a verb and its object: "kill 15 members of the
/// regime forces", "target the positions of".
const BEFORE_OBJECT: &[&str] = &[
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "of",
    "members",
    "member",
    "fighters",
    "fighter",
    "elements",
    "soldiers",
    "soldier",
    "militants",
    "personnel",
    "dozens",
    "tens",
    "hundreds",
    "several",
    "many",
    "some",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "more",
    "than",
    "at",
    "least",
    "about",
    "nearly",
    "over",
    "positions",
    "position",
    "commander",
    "commanders",
    "leader",
    "leaders",
    "senior",
    "most",
    "prominent",
];

/// Whether what follows a participle is its object ("killed 15", "shelled Aleppo",
/// "breached truce") rather than a phrase after a passive ("killed in Idlib",
/// "killed by", "killed on Friday", "2 fighters killed - Donetsk Republic").
fn begins_an_object(token: &Token) -> bool {
    const NOT_OBJECTS: &[&str] = &[
        "in",
        "by",
        "as",
        "during",
        "near",
        "after",
        "at",
        "on",
        "while",
        "amid",
        "when",
        "and",
        "since",
        "north",
        "south",
        "east",
        "west",
        "today",
        "yesterday",
        "overnight",
        "last",
        "this",
        "early",
        "late",
        "from",
        "to",
        "with",
        "within",
        "over",
        "for",
        "inside",
        "outside",
        "around",
        "across",
        "into",
        "along",
        "following",
        "before",
        "under",
        "or",
        "but",
        "says",
        "said",
        "say",
    ];
    // What is not a preposition, a time or a speech verb is read as the object:
    // "breached truce", "killed 15", "shelled Aleppo".
    // "Three Turkish soldiers killed clearing IEDs": what they were doing.
    !NOT_OBJECTS.contains(&token.norm.as_str())
        && !WEEKDAYS_EN.contains(&token.norm.as_str())
        && !token.norm.ends_with("ing")
}

/// Whether the gap between two tokens holds a clause break (a comma, a colon, a
/// dash, an ellipsis) in `text`.
fn break_between(text: &str, before: &Token, after: &Token) -> bool {
    text.get(before.end..after.start).is_some_and(|gap| {
        gap.chars()
            .any(|c| matches!(c, ',' | ';' | ':' | '…' | '–' | '—' | '(' | ')'))
            || gap.contains(" - ")
    })
}

/// An actor's name in a clause: its tokens `start..end`.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Mention {
    pub start: usize,
    pub end: usize,
}

/// Words naming a means before "and another means": "air and missile strikes".
const MEANS_LISTED: &[&str] = &[
    "air",
    "aerial",
    "ground",
    "missile",
    "missiles",
    "rocket",
    "rockets",
    "artillery",
    "naval",
    "land",
    "mortar",
    "mortars",
];

/// Words that may open a clause before its act or subject: "and continued clashes".
const OPENING_QUALIFIERS: &[&str] = &[
    "the",
    "renewed",
    "continued",
    "continuing",
    "continuous",
    "intensive",
    "intense",
    "heavy",
    "violent",
    "more",
    "new",
    "fresh",
    "ongoing",
    "further",
    "sporadic",
    "fierce",
    "a",
    "an",
];

/// Words that join two clauses: "… and clashes continue", "… while the regime
/// shells", "… in conjunction with ground strikes".
const CLAUSE_JOINERS: &[&str] = &["and", "while", "whereas", "as", "after", "amid", "then"];

/// The clause each token of `words` is in, counted from 0. A clause ends at a
/// break in punctuation, and at a joining word followed by a new subject or a new
/// act ("… Manbij countryside and clashes continue", "…, and the International
/// Coalition kill them"), but not between two subjects of one verb ("Russia and the
/// regime avenge"), nor before a second verb of the same subject ("… and kill 15").
pub(crate) fn clauses(
    text: &str,
    words: &[Token],
    mentions: &[Mention],
    cue_starts: &[usize],
) -> Vec<usize> {
    let mention_at = |i: usize| mentions.iter().any(|m| m.start == i);
    let mention_ends_at = |i: usize| mentions.iter().any(|m| m.end == i);
    // A kind's words that are a verb of the subject before ("and kill", "and shell"),
    // not a new act's noun ("and clashes", "and shelling").
    let new_act_at = |i: usize| {
        cue_starts.contains(&i)
            && (!ACTING_VERBS.contains(&words[i].norm.as_str()) || words[i].norm.ends_with('s'))
    };
    let mut out = Vec::with_capacity(words.len());
    let mut clause = 0;
    for i in 0..words.len() {
        if i > 0 {
            let w = words[i - 1].norm.as_str();
            // "air and missile strikes", "aerial and artillery shelling": one means.
            let means_listed =
                i >= 2 && MEANS_LISTED.contains(&words[i - 2].norm.as_str()) && w == "and";
            let joined = !means_listed && CLAUSE_JOINERS.contains(&w) && {
                // Past an article and the words that only qualify the act or its
                // subject: "and continued clashes", "and renewed Turkish shelling".
                let mut after = i;
                while after < words.len()
                    && after < i + 3
                    && OPENING_QUALIFIERS.contains(&words[after].norm.as_str())
                {
                    after += 1;
                }
                (mention_at(i)
                    || mention_at(after)
                    || new_act_at(i)
                    || (after < words.len() && new_act_at(after)))
                    && !mention_ends_at(i - 1)
            };
            let conjunction = w == "with"
                && i >= 2
                && (words[i - 2].norm == "along"
                    || (i >= 3 && words[i - 2].norm == "conjunction" && words[i - 3].norm == "in"));
            // "…, killing 12 militants": the same act, told on.
            let told_on = matches!(
                words[i].norm.as_str(),
                "killing" | "leaving" | "wounding" | "injuring" | "targeting" | "hitting"
            );
            if joined || conjunction || (!told_on && break_between(text, &words[i - 1], &words[i]))
            {
                clause += 1;
            }
        }
        out.push(clause);
    }
    out
}

/// The role of each of `mentions` (in order, not overlapping) in the English
/// sentence `words` of `text`. The report is about the acts whose words start at
/// `cue_starts` and the killing the sentence tells: an actor in a clause with
/// neither did or suffered something else ("… killed in air strikes … and SDF
/// enters …"), so it gets no role in this report. `means_at` holds the tokens
/// where a one-sided kind's words start ("shelling", "air strikes"), which act
/// like a means after a name.
pub(crate) fn english_roles(
    text: &str,
    words: &[Token],
    mentions: &[Mention],
    means_at: &[usize],
    cue_starts: &[usize],
    focus: std::ops::Range<usize>,
) -> Vec<Role> {
    let clause = clauses(text, words, mentions, cue_starts);
    let mut with_the_act: Vec<usize> = cue_starts
        .iter()
        .filter_map(|&c| clause.get(c).copied())
        .collect();
    with_the_act.extend(
        words
            .iter()
            .zip(&clause)
            .enumerate()
            .filter(|(i, (t, _))| {
                focus.contains(i)
                    && matches!(t.norm.as_str(), "kill" | "kills" | "killed" | "killing")
            })
            .map(|(_, (_, c))| *c),
    );
    mentions
        .iter()
        .enumerate()
        .map(|(m, mention)| {
            let Some(own) = clause.get(mention.start) else {
                return Role::Unknown;
            };
            if !with_the_act.is_empty() && !with_the_act.contains(own) {
                return Role::Unknown;
            }
            role_of(text, words, mentions, m, mention, means_at)
        })
        .collect()
}

fn role_of(
    text: &str,
    words: &[Token],
    mentions: &[Mention],
    m: usize,
    mention: &Mention,
    means_at: &[usize],
) -> Role {
    let norm = |i: usize| words.get(i).map(|t| t.norm.as_str());
    let (a, b) = (mention.start, mention.end);
    let before = a.checked_sub(1).and_then(norm);
    // "killed by regime shelling", "carried out by the coalition".
    let mut k = a;
    while k > 0 && a - k < 3 && BEFORE_AN_AGENT.contains(&words[k - 1].norm.as_str()) {
        k -= 1;
    }
    if k > 0 && words[k - 1].norm == "by" {
        return Role::Initiator;
    }
    // The object of a verb right before it, whatever follows: "downed Turkish
    // helicopter", "a car bombing targeting Turkish tank backed factions".
    if before.is_some_and(|w| {
        (ACTING_VERBS.contains(&w) && !is_participle(w)) || matches!(w, "targeting" | "downed")
    }) {
        return Role::Target;
    }
    // "X-led", "U.S.-led coalition".
    if norm(b) == Some("led") || words[b - 1].norm == "led" {
        return Role::Initiator;
    }
    // "regime positions", "IS headquarters".
    if norm(b).is_some_and(|w| HIT_PLACES.contains(&w)) {
        return Role::Target;
    }
    // What follows the name: its means, its verb.
    if let Some(role) = role_from_what_follows(text, words, mentions, m, means_at) {
        return role;
    }
    // "on regime positions", "against IS".
    if before.is_some_and(|w| HIT_BEFORE.contains(&w)) {
        return Role::Target;
    }
    // "warplanes of the Syrian regime", "attack of the SDF" (before the
    // object rule: "attack" is also a verb).
    let of_at = if before == Some("of") {
        Some(a - 1)
    } else if before == Some("the") && a >= 2 && norm(a - 2) == Some("of") {
        Some(a - 2)
    } else {
        None
    };
    if let Some(of) = of_at
        && of >= 1
        && norm(of - 1).is_some_and(|w| MEANS.contains(&w))
    {
        return Role::Initiator;
    }
    // The object of an acting verb: "IS targets rebels", "kill 15 members of the regime forces".
    let mut k = a;
    let mut steps = 0;
    while k > 0 && steps < 6 {
        let w = words[k - 1].norm.as_str();
        if k < a && break_between(text, &words[k - 1], &words[k]) {
            break;
        }
        if ACTING_VERBS.contains(&w) {
            return Role::Target;
        }
        if BEFORE_OBJECT.contains(&w) || words[k - 1].number().is_some() {
            k -= 1;
            steps += 1;
            continue;
        }
        break;
    }
    Role::Unknown
}

/// The role the words after mention `m` give it, or `None` when they say nothing.
fn role_from_what_follows(
    text: &str,
    words: &[Token],
    mentions: &[Mention],
    m: usize,
    means_at: &[usize],
) -> Option<Role> {
    let mut next = mentions[m].end;
    // Past "and <another actor>" (shared verb), descriptions and helper verbs.
    let mut passive = false;
    loop {
        let token = words.get(next)?;
        if next > mentions[m].end && break_between(text, &words[next - 1], token) {
            return None;
        }
        let w = token.norm.as_str();
        // "Russia and the regime avenge": the verb is both subjects'.
        let article = usize::from(words.get(next + 1).is_some_and(|t| t.norm == "the"));
        if let Some(other) = mentions
            .iter()
            .find(|o| o.start == next + 1 || o.start == next + 1 + article)
            && w == "and"
        {
            next = other.end;
            continue;
        }
        // "The regime forces and warplanes continue shelling": one subject with its means.
        if w == "and"
            && words
                .get(next + 1)
                .is_some_and(|t| MEANS[..13].contains(&t.norm.as_str()))
        {
            next += 2;
            continue;
        }
        // "The regime forces and their allies continue …".
        if w == "and"
            && words
                .get(next + 1)
                .is_some_and(|t| matches!(t.norm.as_str(), "their" | "its"))
            && words
                .get(next + 2)
                .is_some_and(|t| t.norm.starts_with("all"))
        {
            next += 3;
            continue;
        }
        // "Turkey's Afrin bombardment": a place between the possessive and the means.
        if token.capitalized
            && next > 0
            && words[next - 1].norm == "s"
            && words
                .get(next + 1)
                .is_some_and(|t| MEANS.contains(&t.norm.as_str()))
        {
            next += 1;
            continue;
        }
        if matches!(
            w,
            "was" | "were" | "is" | "are" | "been" | "being" | "be" | "get" | "gets" | "got"
        ) {
            passive = true;
            next += 1;
            continue;
        }
        if BETWEEN_ACTOR_AND_VERB.contains(&w) {
            next += 1;
            continue;
        }
        // "Turkish army says hits IS targets": what it says it did. "Islamic State
        // claims the killing" is read below, as a claim of the act.
        if matches!(w, "says" | "say" | "said" | "claims" | "claim" | "claimed")
            && words
                .get(next + 1)
                .is_some_and(|t| ACTING_VERBS.contains(&t.norm.as_str()))
        {
            next += 1;
            continue;
        }
        // Where the subject is: "active cells east of Euphrates kill", "regime
        // forces in Hama shell".
        let place_words = if w == "in" || w == "near" {
            1
        } else if DIRECTIONS_EN.contains(&w) && words.get(next + 1).is_some_and(|t| t.norm == "of")
        {
            2
        } else {
            0
        };
        if place_words > 0 {
            let mut k = next + place_words;
            while words
                .get(k)
                .is_some_and(|t| t.capitalized || t.norm == "al")
            {
                k += 1;
            }
            if k > next + place_words {
                next = k;
                continue;
            }
        }
        break;
    }
    let token = &words[next];
    let w = token.norm.as_str();
    if TWO_SIDED_VERBS.contains(&w) {
        return Some(Role::Unknown);
    }
    if LOSING_VERBS.contains(&w) {
        return Some(Role::Target);
    }
    if ACTING_VERBS.contains(&w) {
        if passive {
            return Some(Role::Target);
        }
        if is_participle(w) {
            // "IS militants killed in Deir Ezzor" (were killed) against
            // "the regime killed 15 civilians" (did kill).
            let object = words.get(next + 1);
            return Some(match object {
                Some(o) if !break_between(text, token, o) && begins_an_object(o) => Role::Initiator,
                _ => Role::Target,
            });
        }
        return Some(Role::Initiator);
    }
    if means_at.contains(&next) || MEANS.contains(&w) {
        // "IS attacks" and "rebel attacks" are the same words: a means after a name is its own.
        return Some(if passive {
            Role::Target
        } else {
            Role::Initiator
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    /// The roles of the given actor names in `sentence` (each found by its words).
    fn roles(sentence: &str, names: &[&str]) -> Vec<Role> {
        roles_for(sentence, names, &[])
    }

    /// The same, for the act named by the words `acts` (the kind's words).
    fn roles_for(sentence: &str, names: &[&str], acts: &[&str]) -> Vec<Role> {
        let words = tokens(sentence);
        let mut mentions = Vec::new();
        let mut from = 0;
        for name in names {
            let name_words = tokens(name);
            let at = (from..words.len())
                .find(|&i| {
                    name_words
                        .iter()
                        .enumerate()
                        .all(|(k, n)| words.get(i + k).is_some_and(|t| t.norm == n.norm))
                })
                .unwrap_or_else(|| panic!("{name} not in {sentence}"));
            mentions.push(Mention {
                start: at,
                end: at + name_words.len(),
            });
            from = at + name_words.len();
        }
        let cue_starts: Vec<usize> = acts
            .iter()
            .filter_map(|act| words.iter().position(|t| t.norm == *act))
            .collect();
        english_roles(
            sentence,
            &words,
            &mentions,
            &[],
            &cue_starts,
            0..words.len(),
        )
    }

    #[test]
    fn subjects_of_acting_verbs_acted() {
        // UCDP GED headlines (CC BY 4.0).
        assert_eq!(
            roles("IS targets rebels in Qalamoun", &["IS", "rebels"]),
            [Role::Initiator, Role::Target]
        );
        assert_eq!(
            roles(
                "Russia and the regime avenge the death of a Russian pilot and kill 15 civilians",
                &["Russia", "regime"]
            ),
            [Role::Initiator, Role::Initiator]
        );
        assert_eq!(
            roles_for(
                "Two civilians said killed as rebels continue to breach ceasefire in east Ukraine",
                &["rebels"],
                &["breach"]
            ),
            [Role::Initiator]
        );
        assert_eq!(
            roles(
                "Jihadi factions kill a member of the regime forces in Hama countryside",
                &["Jihadi factions", "regime forces"]
            ),
            [Role::Initiator, Role::Target]
        );
    }

    #[test]
    fn headline_participles_are_passive_unless_an_object_follows() {
        assert_eq!(
            roles(
                "Twenty Islamic State militants killed in Turkish-backed Syria operation",
                &["Islamic State"]
            ),
            [Role::Target]
        );
        assert_eq!(
            roles(
                "The regime forces killed 15 civilians in Idlib",
                &["regime forces"]
            ),
            [Role::Initiator]
        );
        assert_eq!(
            roles("Regime forces lose 20 members in Hama", &["Regime forces"]),
            [Role::Target]
        );
    }

    #[test]
    fn means_and_by_and_of() {
        assert_eq!(
            roles(
                "3 killed by U.S.-led airstrike in eastern Syria",
                &["U.S.-led"]
            ),
            [Role::Initiator]
        );
        assert_eq!(
            roles(
                "First civilians killed by Turkish shelling west of Azaz",
                &["Turkish"]
            ),
            [Role::Initiator]
        );
        assert_eq!(
            roles(
                "ground and air strikes by warplanes of the Syrian regime on the area",
                &["Syrian regime"]
            ),
            [Role::Initiator]
        );
        assert_eq!(
            roles("Shelling on regime positions in Daraa", &["regime"]),
            [Role::Target]
        );
        assert_eq!(
            roles("SDF and ISIS clash in Raqqa", &["SDF", "ISIS"]),
            [Role::Unknown, Role::Unknown]
        );
        assert_eq!(
            roles(
                "Violent and surprise attack of the Syrian Democratic Forces in al-Shadadi countryside",
                &["Syrian Democratic Forces"]
            ),
            [Role::Initiator]
        );
        assert_eq!(
            roles(
                "active cells east of Euphrates kill at least 20 oil workers",
                &["active cells"]
            ),
            [Role::Initiator]
        );
    }

    #[test]
    fn what_an_actor_says_or_claims_it_did() {
        // UCDP GED headlines (CC BY 4.0).
        assert_eq!(
            roles_for(
                "Turkish army says hits Islamic State targets in Syria, killing 12 militants",
                &["Turkish army", "Islamic State"],
                &["killing"]
            ),
            [Role::Initiator, Role::Target]
        );
        assert_eq!(
            roles(
                "Islamic State claims the killing of 2 SDF militiamen in the cities of Shaddadi",
                &["Islamic State"]
            ),
            [Role::Initiator]
        );
        assert_eq!(
            roles(
                "Three Turkish soldiers killed clearing IEDs in Syria's Afrin: PM",
                &["Turkish"]
            ),
            [Role::Target]
        );
        assert_eq!(
            roles(
                "The regime forces and their allies continue their attacks on the organization in Rif Dimashq Desert",
                &["regime forces", "the organization"]
            ),
            [Role::Initiator, Role::Target]
        );
        assert_eq!(
            roles_for(
                "Kiev’s military breached truce 50 times over 24 hours, 2 fighters killed",
                &["Kiev"],
                &["breached"]
            ),
            [Role::Initiator]
        );
        assert_eq!(
            roles("Syria Kurds say downed Turkish helicopter", &["Turkish"]),
            [Role::Target]
        );
    }

    #[test]
    fn an_actor_in_another_clause_has_no_role_in_this_act() {
        // UCDP GED headlines (CC BY 4.0).
        assert_eq!(
            roles_for(
                "About 20 ISIS operatives killed in air strikes on Deir Ezzor-Hasaka road and SDF enters administrative borders of Deir Ezzor province",
                &["ISIS", "SDF"],
                &["air"]
            ),
            [Role::Target, Role::Unknown]
        );
        assert_eq!(
            roles_for(
                "Group of ISIS infiltrates into Hajin town, SDF besiege them, and the International Coalition kill them by intensive bombardment",
                &["ISIS", "SDF", "International Coalition"],
                &["bombardment"]
            ),
            [Role::Unknown, Role::Unknown, Role::Initiator]
        );
    }
}
