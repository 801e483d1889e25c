//! Check runs: what a `truce check --db` read and what it found, kept so that
//! two runs can be compared after the evidence has moved on.
//!
//! Reports and deletions are only ever appended (a revision is a new row, a
//! deletion a new record), so the evidence a run read is fixed by two numbers:
//! the highest report row and the highest deletion it could see (its
//! [`Watermark`]). What changed between two runs is then what lies between
//! their watermarks ([`Store::changes_between`]), however long ago they ran.

use crate::StoreError;
use truce_model::report::Report;
use truce_model::time::{Day, Minute};

/// The high-water marks of the store's append-only evidence at one moment.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Watermark {
    /// The highest `reports` row (revision) stored.
    pub last_report: i64,
    /// The highest deletion recorded.
    pub last_deletion: i64,
}

/// The instant day `day` ends in the local time `utc_offset_minutes` (the
/// agreement's `timezone`), in UTC as the store compares recorded times:
/// `YYYY-MM-DDTHH:MM:SS`. Evidence recorded before it was known on that day.
pub fn known_before(day: Day, utc_offset_minutes: i32) -> String {
    let minute = day.next().first_minute().0 - i64::from(utc_offset_minutes);
    let (year, month, date) = Minute(minute).day().ymd();
    let within = minute.rem_euclid(24 * 60);
    format!(
        "{year:04}-{month:02}-{date:02}T{:02}:{:02}:00",
        within / 60,
        within % 60
    )
}

/// The reports as known before an instant, for SQLite and PostgreSQL alike;
/// `marks` are the placeholders of the highest report row, the highest deletion
/// and the instant. Per identity (among rows up to the watermark): the latest
/// revision recorded before the instant, or the first one when none was. A
/// revision is recorded when its import run started; times are compared to the
/// second (the stored texts are RFC 3339 in UTC, with or without a fraction).
pub(crate) fn known_reports_sql(marks: &[&str; 3]) -> String {
    let [report, deletion, before] = marks;
    format!(
        "SELECT r.id, r.file, r.line, r.body, r.first_run, r.source, r.ident FROM reports r \
         JOIN import_runs run ON run.id = r.first_run \
         WHERE r.id <= {report} \
           AND ((substr(run.started, 1, 19) < {before} AND NOT EXISTS ( \
                   SELECT 1 FROM reports later JOIN import_runs l ON l.id = later.first_run \
                   WHERE later.source = r.source AND later.ident = r.ident \
                     AND later.id > r.id AND later.id <= {report} \
                     AND substr(l.started, 1, 19) < {before})) \
             OR NOT EXISTS ( \
                   SELECT 1 FROM reports other JOIN import_runs o ON o.id = other.first_run \
                   WHERE other.source = r.source AND other.ident = r.ident \
                     AND other.id <= {report} \
                     AND (other.id < r.id OR substr(o.started, 1, 19) < {before}))) \
           AND NOT EXISTS (SELECT 1 FROM deletions d WHERE d.id = r.deleted_by \
               AND d.id <= {deletion} AND substr(d.recorded, 1, 19) < {before}) \
         ORDER BY r.id"
    )
}

/// The reports as they stood at a watermark, for SQLite and PostgreSQL alike;
/// `marks` are the placeholders of the highest report row and the highest
/// deletion. Per identity, the latest revision up to the watermark, unless a
/// deletion up to the watermark marked it.
pub(crate) fn reports_at_sql(marks: [&str; 2]) -> String {
    let [report, deletion] = marks;
    format!(
        "SELECT r.id, r.file, r.line, r.body, r.first_run FROM reports r \
         WHERE r.id <= {report} \
           AND NOT EXISTS (SELECT 1 FROM reports later WHERE later.source = r.source \
               AND later.ident = r.ident AND later.id > r.id AND later.id <= {report}) \
           AND (r.deleted_by IS NULL OR r.deleted_by > {deletion}) \
         ORDER BY r.id"
    )
}

/// A check run to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCheckRun<'a> {
    /// When it ran (RFC 3339).
    pub started: &'a str,
    /// The agreement version it checked ([`crate::AgreementVersion::id`]).
    pub agreement: i64,
    /// The agreement's own `id` (from the file), which stays the same across versions and paths.
    pub agreement_id: &'a str,
    /// The `--as-of` day as given (`YYYY-MM-DD`), `None` for the last day of the evidence.
    pub as_of: Option<&'a str>,
    /// The evidence it read from the store ([`Store::reports_with_watermark`]).
    pub watermark: Watermark,
    /// With `as_of`: the instant that day ended ([`known_before`]); revisions and
    /// deletions recorded later were not read.
    pub known_before: Option<&'a str>,
    /// The decisions to keep reports apart in force ([`crate::KeptApartDecision::id`]).
    pub kept_apart: &'a [i64],
    /// Events files read beside the store: (name, sha256).
    pub files: &'a [(String, String)],
    /// Reports read in all (store and files).
    pub reports: u64,
    /// The check output (truce-check JSON).
    pub result: &'a str,
    /// The exit code the check gave (0 all clear, 1 violations or unmet steps).
    pub exit_code: i32,
}

/// A recorded check run. `result` is empty in listings ([`Store::check_runs`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckRun {
    pub id: i64,
    pub started: String,
    /// The agreement's name (the file as given) and the sha256 of its canonical text.
    pub agreement_name: String,
    pub agreement_sha256: String,
    pub agreement_version: i64,
    /// The agreement's own `id`.
    pub agreement_id: String,
    pub as_of: Option<String>,
    pub watermark: Watermark,
    pub known_before: Option<String>,
    pub kept_apart: Vec<i64>,
    pub files: Vec<(String, String)>,
    pub reports: u64,
    pub result_sha256: String,
    pub result: String,
    pub exit_code: i32,
}

/// How one report's identity stands in two states of the store.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportChange {
    pub source: String,
    pub source_id: String,
    /// The revision current in the earlier state; `None` when it was not stored
    /// yet or was deleted.
    pub before: Option<Report>,
    /// The revision current in the later state; `None` when deleted.
    pub after: Option<Report>,
    /// When the report is deleted in the later state: the deletion's note, if any.
    pub deletion_note: Option<String>,
}

/// A deletion as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedDeletion {
    pub id: i64,
    pub source: String,
    pub source_id: String,
    /// When it was recorded (RFC 3339).
    pub recorded: String,
    /// The source's note, when given.
    pub note: Option<String>,
    /// The import run that found it, when an import did (else the command line).
    pub run: Option<i64>,
    /// How many stored revisions it marked deleted.
    pub revisions_marked: u64,
}

/// The store's high-water marks now, in SQL both stores read.
pub(crate) const WATERMARK_SQL: &str = "SELECT (SELECT COALESCE(MAX(id), 0) FROM reports), \
     (SELECT COALESCE(MAX(id), 0) FROM deletions)";

/// The check runs, oldest first; placeholders: the run's number (or NULL for
/// every run) and whether to read each result.
pub(crate) fn check_runs_sql(marks: [&str; 2]) -> String {
    let [id, with_result] = marks;
    format!(
        "SELECT c.id, c.started, a.name, a.sha256, c.agreement, c.as_of, c.last_report, \
         c.last_deletion, c.kept_apart, c.files, c.reports, c.result_sha256, \
         CASE WHEN {with_result} THEN c.result ELSE '' END, c.exit_code, c.agreement_id, \
         c.known_before \
         FROM check_runs c JOIN agreements a ON a.id = c.agreement \
         WHERE {id} IS NULL OR c.id = {id} ORDER BY c.id"
    )
}

/// Records a check run; placeholders in the order of [`NewCheckRun`]'s columns.
pub(crate) fn record_check_run_sql(marks: [&str; 13]) -> String {
    format!(
        "INSERT INTO check_runs (started, agreement, agreement_id, as_of, last_report, \
         last_deletion, kept_apart, files, reports, result_sha256, result, exit_code, \
         known_before) VALUES ({})",
        marks.join(", ")
    )
}

/// A check run's lists as stored: the decisions in force and the files read beside the store.
pub(crate) fn encode_run_lists(run: &NewCheckRun<'_>) -> (String, String) {
    // Plain lists of numbers and string pairs always serialise.
    let kept_apart = serde_json::to_string(run.kept_apart).unwrap_or_else(|_| "[]".into());
    let files = serde_json::to_string(run.files).unwrap_or_else(|_| "[]".into());
    (kept_apart, files)
}

/// The lists of a check run read back. They were written by
/// [`encode_run_lists`] from the same types: a list that does not read back
/// is shown empty rather than failing the whole listing.
pub(crate) fn decode_run_lists(kept_apart: &str, files: &str) -> (Vec<i64>, Vec<(String, String)>) {
    (
        serde_json::from_str(kept_apart).unwrap_or_default(),
        serde_json::from_str(files).unwrap_or_default(),
    )
}

/// The identities touched between two states: a revision stored, or a revision
/// marked deleted by a deletion recorded in between. Placeholders: the low and
/// high report rows, the low and high deletions, and whether either state is as
/// known before an instant (then every identity with several revisions, or one
/// deleted, is looked at: such a state may hold an older revision of it).
pub(crate) fn touched_sql(marks: [&str; 5]) -> String {
    let [low_report, high_report, low_deletion, high_deletion, cut] = marks;
    format!(
        "SELECT source, ident, MIN(id) FROM reports \
         WHERE (id > {low_report} AND id <= {high_report}) \
            OR (deleted_by > {low_deletion} AND deleted_by <= {high_deletion}) \
            OR ({cut} AND id <= {high_report} AND (revision > 1 OR deleted_by IS NOT NULL)) \
         GROUP BY source, ident ORDER BY MIN(id)"
    )
}

/// The latest revision of one identity up to a report row, with the deletion
/// that marked it; placeholders: source, ident, the report row.
pub(crate) fn latest_revision_sql(marks: [&str; 3]) -> String {
    let [source, ident, report] = marks;
    format!(
        "SELECT id, file, line, body, first_run, deleted_by FROM reports \
         WHERE source = {source} AND ident = {ident} AND id <= {report} \
         ORDER BY id DESC LIMIT 1"
    )
}

/// One identity as known before an instant ([`known_reports_sql`]); placeholders:
/// the report row, the deletion, the instant, source, ident.
pub(crate) fn known_revision_sql(marks: [&str; 5]) -> String {
    let [report, deletion, before, source, ident] = marks;
    let known = known_reports_sql(&[report, deletion, before]);
    format!(
        "SELECT id, file, line, body, first_run FROM ({known}) k \
         WHERE k.source = {source} AND k.ident = {ident}"
    )
}

/// The note of the latest deletion of a report up to a deletion; placeholders:
/// source, source id, the deletion.
pub(crate) fn deletion_note_sql(marks: [&str; 3]) -> String {
    let [source, source_id, deletion] = marks;
    format!(
        "SELECT note FROM deletions WHERE source = {source} AND source_id = {source_id} \
         AND id <= {deletion} ORDER BY id DESC LIMIT 1"
    )
}

/// What comparing two states of a store reads, one query each; the comparison
/// itself ([`changes_between`]) is written once for both stores.
pub(crate) trait StoreStates {
    /// The identities (source, ident) [`touched_sql`] finds.
    fn touched(
        &mut self,
        low: Watermark,
        high: Watermark,
        cut: bool,
    ) -> Result<Vec<(String, String)>, StoreError>;
    /// The revision of identity (`source`, `ident`) current at `at` (its row id
    /// and the report), as known before `known_before` when given; `None` when
    /// not stored yet or deleted by then.
    fn state_at(
        &mut self,
        source: &str,
        ident: &str,
        at: Watermark,
        known_before: Option<&str>,
    ) -> Result<Option<(i64, Report)>, StoreError>;
    /// The note of the latest deletion of `source:source_id` recorded by `at`.
    fn deletion_note(
        &mut self,
        source: &str,
        source_id: &str,
        at: Watermark,
    ) -> Result<Option<String>, StoreError>;
}

/// [`crate::CheckRunStore::changes_between_known`], for either store.
pub(crate) fn changes_between(
    states: &mut impl StoreStates,
    from: (Watermark, Option<&str>),
    to: (Watermark, Option<&str>),
) -> Result<Vec<ReportChange>, StoreError> {
    let low = Watermark {
        last_report: from.0.last_report.min(to.0.last_report),
        last_deletion: from.0.last_deletion.min(to.0.last_deletion),
    };
    let high = Watermark {
        last_report: from.0.last_report.max(to.0.last_report),
        last_deletion: from.0.last_deletion.max(to.0.last_deletion),
    };
    let cut = from.1.is_some() || to.1.is_some();
    let mut changes = Vec::new();
    for (source, ident) in states.touched(low, high, cut)? {
        let before = states.state_at(&source, &ident, from.0, from.1)?;
        let after = states.state_at(&source, &ident, to.0, to.1)?;
        if before.as_ref().map(|b| b.0) == after.as_ref().map(|a| a.0) {
            continue;
        }
        let source_id = after
            .as_ref()
            .or(before.as_ref())
            .map(|s| s.1.provenance.source_id.clone())
            .unwrap_or_else(|| ident.clone());
        let deletion_note = if after.is_none() {
            states.deletion_note(&source, &source_id, to.0)?
        } else {
            None
        };
        changes.push(ReportChange {
            source,
            source_id,
            before: before.map(|s| s.1),
            after: after.map(|s| s.1),
            deletion_note,
        });
    }
    Ok(changes)
}
