//! The stable JSON document of a check (`truce-check/2`, `docs/check-output.md`).

use truce_engine::CheckResult;

/// Pretty JSON with a trailing newline. Field order follows the types, so the
/// same result always serializes to the same bytes.
pub fn render(result: &CheckResult) -> String {
    match serde_json::to_string_pretty(result) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        // Serializing plain data cannot fail; say so rather than panic if it ever does.
        Err(e) => format!("{{\"error\": \"cannot serialize the result: {e}\"}}\n"),
    }
}
