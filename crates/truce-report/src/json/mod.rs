//! The stable JSON document of a check (`truce-check/2`, `docs/check-output.md`).
//!
//! The document is made of this module's own types, each converted from the
//! engine's result ([`CheckJson::from`]): the engine's types may be renamed or
//! reshaped without the document changing, and the JSON Schema
//! (`docs/check-output.schema.json`, [`check_output_schema`]) comes from these
//! types, so it describes what is written. The types borrow from the result: a
//! document of a million events is written without a copy of its texts.

mod evidence;
mod outcomes;

pub use evidence::*;
pub use outcomes::*;

use serde::Serialize;
use std::io::Write as _;
use truce_engine::CheckResult;
use truce_model::diagnostic::Diagnostic;
use truce_model::time::Day;

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ClauseInfo<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub bracket: Option<&'a str>,
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AgreementInfo<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub clauses: Vec<ClauseInfo<'a>>,
}

// The whole document (no doc comment: it would become the schema's description).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CheckResult")]
pub struct CheckJson<'a> {
    pub schema: &'a str,
    pub agreement: AgreementInfo<'a>,
    pub as_of: Day,
    pub evidence: EvidenceSummary<'a>,
    /// All violations: certain when the clause was certainly broken, whoever did it.
    pub violations: Tally<'a>,
    pub violations_by_party: Vec<Tally<'a>>,
    /// For each party that guarantees others' compliance (`guarantees`).
    pub violations_by_guarantor: Vec<GuarantorTally<'a>>,
    pub violations_by_clause: Vec<Tally<'a>>,
    pub steps: Vec<StepResult<'a>>,
    pub brackets: Vec<BracketResult<'a>>,
    /// Every combination of bracket alternatives, when there are at most 32.
    pub combinations: Vec<Combination<'a>>,
    pub entitlements: Vec<EntitlementStatus<'a>>,
    /// Incidents with at least one finding, in date order.
    pub incidents: Each<'a, truce_engine::IncidentSummary, IncidentSummary<'a>>,
    pub findings: Each<'a, truce_model::finding::Finding, Finding<'a>>,
    pub diagnostics: &'a [Diagnostic],
}

impl<'a> From<&'a CheckResult> for CheckJson<'a> {
    fn from(result: &'a CheckResult) -> Self {
        let agreement = &result.agreement;
        CheckJson {
            schema: result.schema,
            agreement: AgreementInfo {
                id: &agreement.id,
                title: &agreement.title,
                clauses: agreement
                    .clauses
                    .iter()
                    .map(|clause| ClauseInfo {
                        id: &clause.id,
                        text: &clause.text,
                        bracket: clause.bracket.as_deref(),
                    })
                    .collect(),
            },
            as_of: result.as_of,
            evidence: (&result.evidence).into(),
            violations: (&result.violations).into(),
            violations_by_party: result.violations_by_party.iter().map(Into::into).collect(),
            violations_by_guarantor: result
                .violations_by_guarantor
                .iter()
                .map(Into::into)
                .collect(),
            violations_by_clause: result.violations_by_clause.iter().map(Into::into).collect(),
            steps: result.steps.iter().map(Into::into).collect(),
            brackets: result.brackets.iter().map(Into::into).collect(),
            combinations: result.combinations.iter().map(Into::into).collect(),
            entitlements: result.entitlements.iter().map(Into::into).collect(),
            incidents: Each::new(&result.incidents),
            findings: Each::new(&result.findings),
            diagnostics: &result.diagnostics,
        }
    }
}

/// Pretty JSON with a trailing newline. Field order follows the types, so the
/// same result always serializes to the same bytes.
pub fn render(result: &CheckResult) -> String {
    let mut bytes = Vec::new();
    match write(result, &mut bytes) {
        // serde_json writes UTF-8 only.
        Ok(()) => String::from_utf8_lossy(&bytes).into_owned(),
        // Serializing plain data into memory cannot fail; say so rather than panic if it ever does.
        Err(e) => format!("{{\"error\": \"cannot serialize the result: {e}\"}}\n"),
    }
}

/// Writes [`render`]'s bytes to `out` as they are made: the incidents and
/// findings are converted one at a time, so a document of a million findings
/// is never held in memory, as text or as wire types.
pub fn write(result: &CheckResult, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // The serializer makes many small writes: into a buffer it knows the type
    // of, they are inlined; only whole buffers go through `out`.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 20, out);
    serde_json::to_writer_pretty(&mut buffered, &CheckJson::from(result))?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// A list of the document written item by item, each converted from the
/// engine's type (`S`) to the document's (`W`) only while it is serialized.
/// Its schema is that of `Vec<W>`.
pub struct Each<'a, S, W> {
    items: &'a [S],
    wire: std::marker::PhantomData<fn() -> W>,
}

impl<'a, S, W> Each<'a, S, W> {
    pub fn new(items: &'a [S]) -> Self {
        Each {
            items,
            wire: std::marker::PhantomData,
        }
    }

    /// The items, as the document writes them.
    pub fn iter(&self) -> impl Iterator<Item = W> + 'a
    where
        W: From<&'a S> + 'a,
    {
        self.items.iter().map(W::from)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<S, W> Clone for Each<'_, S, W> {
    fn clone(&self) -> Self {
        Each::new(self.items)
    }
}

impl<S, W> std::fmt::Debug for Each<'_, S, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Each({} items)", self.items.len())
    }
}

impl<'a, S, W: From<&'a S> + PartialEq + 'a> PartialEq for Each<'a, S, W> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<'a, S, W: From<&'a S> + Serialize + 'a> Serialize for Each<'a, S, W> {
    fn serialize<Z: serde::Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<S, W: schemars::JsonSchema> schemars::JsonSchema for Each<'_, S, W> {
    fn inline_schema() -> bool {
        Vec::<W>::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        Vec::<W>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        Vec::<W>::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Vec::<W>::json_schema(generator)
    }
}

/// The JSON Schema of the document (draft 2020-12), as committed in
/// `docs/check-output.schema.json`.
pub fn check_output_schema() -> schemars::Schema {
    let mut schema = schemars::schema_for!(CheckJson<'static>);
    schema.insert(
        "$id".into(),
        "https://truce.invalid/schema/truce-check-2.json".into(),
    );
    schema.insert("title".into(), "truce check output (truce-check/2)".into());
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each word of the document's vocabularies is the one the model and the
    /// engine spell: converting renames nothing a reader already knows.
    #[test]
    fn each_word_is_the_models_own() {
        fn same<M: Serialize, W: Serialize>(model: M, wire: W) {
            assert_eq!(
                serde_json::to_value(&model).expect("model"),
                serde_json::to_value(&wire).expect("wire")
            );
        }
        use truce_engine::Status as S;
        for s in [
            S::Met,
            S::NotMet,
            S::Pending,
            S::InsufficientEvidence,
            S::Locked,
        ] {
            same(s, Status::from(s));
        }
        use truce_model::finding::{Certainty as C, Link as L, Verdict as V};
        for c in [C::Certain, C::Possible] {
            same(c, Certainty::from(c));
        }
        for v in [V::Violation, V::Allowed] {
            same(v, Verdict::from(v));
        }
        for l in [
            L::Actor,
            L::Initiator,
            L::Target,
            L::Place,
            L::Site,
            L::Kind,
            L::Date,
            L::Exception,
            L::Attribution,
            L::Evidence,
        ] {
            same(l, Link::from(l));
        }
        use truce_model::report::Grade as G;
        for g in [G::SingleSource, G::Corroborated, G::Contested] {
            same(g, Grade::from(g));
            assert_eq!(
                serde_json::to_value(Grade::from(g)).expect("grade"),
                crate::grade_word(g)
            );
        }
    }
}
