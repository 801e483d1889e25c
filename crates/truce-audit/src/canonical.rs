//! Canonical records: RFC 8785, the JSON Canonicalization Scheme (JCS).
//!
//! The same record must always give the same bytes, and so the same leaf hash,
//! whoever writes it: object members sorted by their UTF-16 code units, no
//! whitespace, strings with the minimal escapes, numbers as ECMAScript prints a
//! double. The serialisation is `serde_json_canonicalizer`'s (the Rust implementation
//! listed by the RFC's reference repository); this module adds the one check JCS
//! leaves to the caller: integers a double cannot hold exactly are refused instead of
//! being silently rounded into another record.

use serde_json::Value;
use thiserror::Error;

use crate::hash::{Hash, leaf_hash};

/// The largest integer every JSON reader holds exactly: 2^53 − 1 (I-JSON, RFC 7493
/// §2.2; JCS serialises every number as an IEEE 754 double). Larger integers are
/// accepted only when their canonical text is the text they were written with.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Why a value has no canonical form, or bytes are not the canonical form of their
/// value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CanonicalJsonError {
    /// An integer beyond ±(2^53 − 1) that a double cannot hold: canonical JSON would
    /// write another number.
    #[error(
        "the integer {number} at `{pointer}` would become {canonical} in canonical JSON (every number is a double); write it as a string"
    )]
    UnsafeInteger {
        /// The integer as the input wrote it.
        number: String,
        /// What canonical JSON would write instead.
        canonical: String,
        /// Where it is, as a JSON Pointer (RFC 6901); empty for the whole document.
        pointer: String,
    },
    /// The serialiser refused the value.
    #[error("the value cannot be written as canonical JSON: {reason}")]
    Serialize {
        /// What the serialiser said.
        reason: String,
    },
    /// The bytes are not JSON at all.
    #[error("the record is not JSON: {reason}")]
    NotJson {
        /// What the parser said, with its line and column.
        reason: String,
    },
    /// The bytes are JSON, but not in canonical form.
    #[error(
        "the record is JSON but not canonical JSON (RFC 8785): it first differs from its canonical form at byte {offset}"
    )]
    NotCanonical {
        /// The first byte offset where the record and its canonical form differ.
        offset: usize,
    },
}

/// The RFC 8785 canonical bytes of a JSON value.
///
/// ```
/// let value = serde_json::json!({"b": [1.0, 1e21, "é\n"], "a": true});
/// let bytes = truce_audit::canonical_json(&value).unwrap();
/// assert_eq!(String::from_utf8(bytes).unwrap(), "{\"a\":true,\"b\":[1,1e+21,\"é\\n\"]}");
/// ```
pub fn canonical_json(value: &Value) -> Result<Vec<u8>, CanonicalJsonError> {
    let mut pointer = String::new();
    check_integers(value, &mut pointer)?;
    serde_json_canonicalizer::to_vec(value).map_err(|error| CanonicalJsonError::Serialize {
        reason: error.to_string(),
    })
}

/// The leaf hash of a record: SHA-256(0x00 || canonical JSON of the record).
pub fn record_leaf_hash(value: &Value) -> Result<Hash, CanonicalJsonError> {
    Ok(leaf_hash(&canonical_json(value)?))
}

/// Reads a record that must already be in canonical form, as a record read back from
/// a log must be: anything else (whitespace, another key order, `1.0` for `1`,
/// duplicate keys) would hash differently from what was logged.
pub fn parse_canonical_json(bytes: &[u8]) -> Result<Value, CanonicalJsonError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|error| CanonicalJsonError::NotJson {
            reason: error.to_string(),
        })?;
    let canonical = canonical_json(&value)?;
    if canonical != bytes {
        let offset = canonical
            .iter()
            .zip(bytes)
            .position(|(a, b)| a != b)
            .unwrap_or(canonical.len().min(bytes.len()));
        return Err(CanonicalJsonError::NotCanonical { offset });
    }
    Ok(value)
}

/// Refuses integers that a double cannot hold exactly, naming where they are.
fn check_integers(value: &Value, pointer: &mut String) -> Result<(), CanonicalJsonError> {
    match value {
        Value::Number(number) => {
            let magnitude = match (number.as_u64(), number.as_i64()) {
                (Some(unsigned), _) => Some(unsigned),
                (None, Some(signed)) => Some(signed.unsigned_abs()),
                // A number with a fraction or an exponent is a double already.
                (None, None) => None,
            };
            if magnitude.is_some_and(|magnitude| magnitude > MAX_SAFE_INTEGER) {
                // Beyond 2^53 an integer survives only if the ECMAScript text of its
                // double is its own text (as canonical output read back is);
                // otherwise another record would be logged.
                let written = number.to_string();
                let canonical = serde_json_canonicalizer::to_string(number).map_err(|error| {
                    CanonicalJsonError::Serialize {
                        reason: error.to_string(),
                    }
                })?;
                if canonical != written {
                    return Err(CanonicalJsonError::UnsafeInteger {
                        number: written,
                        canonical,
                        pointer: pointer.clone(),
                    });
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let length = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                check_integers(item, pointer)?;
                pointer.truncate(length);
            }
        }
        Value::Object(members) => {
            for (key, member) in members {
                let length = pointer.len();
                pointer.push('/');
                // RFC 6901 escapes: `~` as `~0`, `/` as `~1`.
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                check_integers(member, pointer)?;
                pointer.truncate(length);
            }
        }
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
    Ok(())
}
