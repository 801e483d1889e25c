//! truce's embedded store: one SQLite file, no server, that loses nothing.
//!
//! It keeps every import run (which file, its sha256, how far it got, what
//! became of each row), every revision of every report, every quarantined
//! row, every recorded deletion and every version of an agreement. Only this
//! crate knows SQL; the rest of truce sees [`Report`]s and plain structs.
//!
//! ## Identity, duplicates and revisions
//! A report's identity is its source and the source's id (`ucdp-ged` + GED
//! `id`); for a report without an id it is its content hash. Its *content* is
//! the normalised report without the file, line and raw row it was read from
//! (see `docs/store.md`), hashed with sha256. For each row of an import:
//! - an identity never seen is **stored** (revision 1);
//! - content already stored under that identity (in any revision) is a **duplicate**;
//! - new content under a known identity is **revised**: a new revision, the
//!   previous current one kept and marked `superseded_by` it;
//! - a row the importer could not read is **quarantined**;
//! - a row the importer read and set aside as out of scope (a GDELT event that
//!   is not material conflict) is **skipped** ([`ImportRun::add_skipped`]).
//!
//! So for every run, `read = stored + duplicates + revised + quarantined + skipped`.
//!
//! ## Crash safety
//! Rows are added in batches ([`ImportRun::add`]), each one transaction that
//! also advances the run's counts and `rows_done` (WAL journal,
//! `synchronous = NORMAL`). A process killed mid-import leaves the store at the
//! end of its last committed batch; [`Store::begin_import`] on the same file
//! (same sha256 and format) resumes that run, and the caller skips the first
//! [`ImportRun::rows_done`] rows.

mod body;
mod checks;
mod import;
mod ledger;
mod migration;
mod people;
#[cfg(feature = "postgres")]
pub mod pg;
mod sqlite;
mod storage;
mod stored;
pub use body::BodyError;

pub use checks::{CheckRun, NewCheckRun, RecordedDeletion, ReportChange, Watermark, known_before};
pub use import::{BatchProblems, EncodedBatch, ImportWriter, ReportEncoder};
pub use ledger::{LedgerEntry, Payload, StoredCheckpoint};
pub use people::{
    ApiToken, LedgerRecord, MONITOR_SOURCE, MonitorSubmission, Principal, Session,
    SubmissionFilter, Submitted, new_monitor_report_id,
};
pub use sqlite::schema::SCHEMA_VERSION;
pub use sqlite::{ImportRun, Store};
pub use storage::{
    AgreementStore, CheckRunInputs, CheckRunStore, EvidenceStore, LedgerStore, MONITOR_RUN_FORMAT,
    PeopleStore, Storage,
};

/// Every part of [`Storage`], to call a store's methods: `use truce_store::prelude::*`.
pub mod prelude {
    pub use crate::storage::{
        AgreementStore, CheckRunStore, EvidenceStore, LedgerStore, PeopleStore, Storage,
    };
}

use sha2::{Digest, Sha256};

/// What can go wrong with the store. Every message names the store's file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file could not be opened or set up as a store.
    #[error("cannot open the store `{file}`")]
    Open {
        file: String,
        #[source]
        source: rusqlite::Error,
    },
    /// The store was written by a newer truce.
    #[error(
        "the store `{file}` has schema version {found}, newer than this truce knows ({known}); use a newer truce"
    )]
    TooNew {
        file: String,
        found: u32,
        known: u32,
    },
    /// A migration step failed; the store stays at the version before it.
    #[error("cannot migrate the store `{file}` to schema version {version}")]
    Migrate {
        file: String,
        version: u32,
        #[source]
        source: rusqlite::Error,
    },
    /// A read or a write failed.
    #[error("cannot {action} in the store `{file}`")]
    Sql {
        file: String,
        action: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    /// A stored report's JSON cannot be read back.
    #[error("the store `{file}`: report row {row} cannot be read back")]
    Corrupt {
        file: String,
        row: i64,
        #[source]
        source: serde_json::Error,
    },
    /// A stored report's body cannot be decompressed.
    #[error("the store `{file}`: report row {row} cannot be read back")]
    CorruptBody {
        file: String,
        row: i64,
        #[source]
        source: BodyError,
    },
    /// A PostgreSQL store failed (the database is named without its password).
    #[cfg(feature = "postgres")]
    #[error("cannot {action} in the PostgreSQL store `{database}`")]
    Postgres {
        database: String,
        action: &'static str,
        #[source]
        source: postgres::Error,
    },
    /// The ledger record of a write could not be made; nothing was written.
    #[error("the store `{file}`: cannot record the write in the ledger: {message}")]
    Record { file: String, message: String },
    /// No import run with this number.
    #[error("the store `{file}` has no import run {run}")]
    NoRun { file: String, run: i64 },
}

/// The file an import reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileMeta {
    /// The file name as given.
    pub name: String,
    /// The sha256 of its bytes, lowercase hex ([`sha256_hex`]).
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// The format it is read as (`ucdp-ged`, `acled`, `truce-jsonl`).
    pub format: String,
}

/// What became of the rows of a run (or of one batch). Serialized as its six
/// numbers, under these names: the ledger's `import-run` record carries them flat.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Rows read: `stored + duplicates + revised + quarantined + skipped`.
    pub read: u64,
    /// New identities stored.
    pub stored: u64,
    /// Rows whose content was already stored under their identity.
    pub duplicates: u64,
    /// Rows that gave a known identity a new revision.
    pub revised: u64,
    /// Rows that could not be read.
    pub quarantined: u64,
    /// Rows read and set aside as out of scope.
    pub skipped: u64,
}

impl Counts {
    /// True when `read = stored + duplicates + revised + quarantined + skipped`.
    pub fn add_up(&self) -> bool {
        self.read == self.stored + self.duplicates + self.revised + self.quarantined + self.skipped
    }

    pub(crate) fn plus(&mut self, other: Counts) {
        self.read += other.read;
        self.stored += other.stored;
        self.duplicates += other.duplicates;
        self.revised += other.revised;
        self.quarantined += other.quarantined;
        self.skipped += other.skipped;
    }
}

/// What a run did with a row it has a reason about.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowOutcome {
    /// Not read: set aside to be fixed and imported again.
    Quarantined,
    /// Read, and set aside as out of scope (a GDELT verbal event).
    Skipped,
    /// Read and kept as a report, with something the analyst should know
    /// (a GED death estimate whose low, best and high are out of order).
    Warned,
}

impl RowOutcome {
    /// The word the store keeps and the ledger and API show.
    pub fn as_str(self) -> &'static str {
        match self {
            RowOutcome::Quarantined => "quarantined",
            RowOutcome::Skipped => "skipped",
            RowOutcome::Warned => "warned",
        }
    }

    /// The outcome a stored word names (an unknown word reads as quarantined,
    /// the outcome that asks the most of the reader).
    pub fn from_stored(word: &str) -> RowOutcome {
        match word {
            "skipped" => RowOutcome::Skipped,
            "warned" => RowOutcome::Warned,
            _ => RowOutcome::Quarantined,
        }
    }
}

/// One reason of a run about its rows, and how many rows it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonCount {
    /// What became of the rows.
    pub outcome: RowOutcome,
    /// The field at fault, `None` when the row as a whole is.
    pub field: Option<String>,
    pub reason: String,
    pub count: u64,
}

/// An import run as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunInfo {
    pub id: i64,
    pub file: FileMeta,
    pub started: String,
    /// `None` while the run is open (in progress, or killed before it finished).
    pub finished: Option<String>,
    /// Rows committed so far, in the order the caller gave them.
    pub rows_done: u64,
    pub counts: Counts,
    /// Quarantined, then skipped, then warned rows per field and reason, most frequent first.
    pub reasons: Vec<ReasonCount>,
}

/// A quarantined row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuarantinedRow {
    pub id: i64,
    /// The run that first set it aside.
    pub run: i64,
    pub file: String,
    pub line: u64,
    pub field: Option<String>,
    pub value: Option<String>,
    pub reason: String,
    /// The row's text as it was in the file, when the caller could recover it.
    pub raw: Option<String>,
}

/// Which reports [`Store::reports`] returns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// Only this source (`ucdp-ged`, `acled`, …).
    pub source: Option<String>,
    /// Fill in each report's raw row (`Provenance::raw`).
    pub with_raw: bool,
}

/// A recorded deletion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deletion {
    pub id: i64,
    /// How many stored revisions it marked deleted.
    pub revisions_marked: u64,
}

/// Which way an analyst decided about two reports.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DecisionKind {
    /// Two incidents, though they look like one.
    Apart,
    /// One incident, though they look like two.
    Together,
}

impl DecisionKind {
    /// The word the store keeps.
    pub fn as_stored(self) -> &'static str {
        match self {
            DecisionKind::Apart => "apart",
            DecisionKind::Together => "together",
        }
    }
}

/// A decision's two reports in the one order the store keeps them in, so that
/// (a, b) and (b, a) are the same decision.
pub(crate) fn decision_pair<'r>(
    first: (&'r str, &'r str),
    second: (&'r str, &'r str),
) -> ((&'r str, &'r str), (&'r str, &'r str)) {
    if first <= second {
        (first, second)
    } else {
        (second, first)
    }
}

/// An analyst's decision that two reports are of different incidents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptApartDecision {
    pub id: i64,
    /// (source, the source's id) of each report.
    pub first: (String, String),
    pub second: (String, String),
    pub decided_by: String,
    pub decided: String,
    pub reason: Option<String>,
}

/// A recorded agreement version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementVersion {
    pub id: i64,
    pub sha256: String,
    /// False when this exact text was already recorded under this name.
    pub new: bool,
}

/// An agreement's text as either store keeps it, made canonical (CRLF → LF),
/// and the sha256 of that text, by which a version is known.
pub(crate) fn canonical_agreement(text: &str) -> (String, String) {
    let canonical = text.replace("\r\n", "\n");
    let sha256 = sha256_hex(canonical.as_bytes());
    (canonical, sha256)
}

/// What the store holds, in numbers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Current revisions, not deleted: what a check reads.
    pub current_reports: u64,
    /// Every revision of every report.
    pub revisions: u64,
    pub runs: u64,
    pub quarantined: u64,
    pub deletions: u64,
    pub agreements: u64,
}

/// The sha256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// Opens the store `database` names: a PostgreSQL URL (`postgres://…`) or a SQLite file.
pub fn open_storage(database: &str) -> Result<Box<dyn Storage>, StoreError> {
    if is_postgres(database) {
        #[cfg(feature = "postgres")]
        return Ok(Box::new(crate::pg::PgStore::connect(database)?));
        #[cfg(not(feature = "postgres"))]
        return Err(StoreError::Record {
            file: database.to_string(),
            message: "this truce was built without PostgreSQL (the `postgres` feature)".into(),
        });
    }
    Ok(Box::new(Store::open(database)?))
}

/// True when `database` names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres(database: &str) -> bool {
    database.starts_with("postgres://") || database.starts_with("postgresql://")
}
