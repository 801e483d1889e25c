//! `truce`: check a ceasefire agreement against the evidence.
//!
//! This binary only glues: arguments → files read → model, ingest, store and
//! engine calls → a renderer → an exit code. Exit codes: 0 all clear, 1 violations
//! found or steps not met (or, for `lint`, nothing else), 2 truce failed or the
//! input is invalid.

mod bracket;
mod entitlement;
mod extract;
mod files;
mod ledger;
mod runs;
mod server;
mod store;
mod versions;

// Importing allocates and frees millions of small strings (raw rows) across
// two threads; mimalloc does that several times faster than glibc's malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use truce_engine::corroborate::KeptApart;
use truce_engine::{CheckInput, CheckResult};
use truce_ingest::{Format, ImportOptions};
use truce_model::agreement::{Agreement, Loaded};
use truce_model::diagnostic::{Code, Diagnostic};
use truce_model::report::Report;
use truce_model::time::Day;

#[derive(Parser, Debug)]
#[command(name = "truce", version, about = "Verify ceasefires on evidence, not trust", long_about = None)]
struct Cli {
    /// When to use colour: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum LintFormat {
    Text,
    Json,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum ReportFormat {
    Text,
    Json,
    Markdown,
}

#[derive(clap::Args, Debug)]
struct EvidenceArgs {
    /// Evidence files (UCDP GED CSV, ACLED CSV or truce JSON Lines); the format is detected from the header.
    #[arg(long = "events", value_name = "FILE", required_unless_present = "db", num_args = 1..)]
    events: Vec<PathBuf>,
    /// A store made by `truce import`: its current reports are evidence too (with any `--events` files).
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Read every events file as this format instead of detecting it (`ucdp-ged`, `acled`, `truce-jsonl`, …).
    #[arg(long = "events-format", value_name = "FORMAT", value_parser = parse_format)]
    events_format: Option<Format>,
    /// Read every events file through this mapping (a mission's own report form; see docs/sources.md).
    #[arg(long, value_name = "MAPPING.toml", conflicts_with = "events_format")]
    mapping: Option<PathBuf>,
    /// Check as of this day (YYYY-MM-DD): later days are not yet observed. Default: the last day of the evidence.
    #[arg(long = "as-of", value_name = "DATE", value_parser = parse_day)]
    as_of: Option<Day>,
}

#[derive(Subcommand, Debug)]
enum EvalCommand {
    /// Precision, recall and F1 of `truce extract` per field and for whole events (docs/extraction-eval.md).
    Extraction {
        /// Which texts: `dev` (used to write the rules), `test`, `holdout`, `holdout-2` or `holdout-3` (see docs/extraction-eval.md), or `all`.
        #[arg(long, default_value = "test", value_parser = ["dev", "test", "holdout", "holdout-2", "holdout-3", "all"])]
        split: String,
        /// Another labelled set in the same format (default: the one truce ships, crates/truce-extract/eval/).
        #[arg(long, value_name = "FILE")]
        set: Option<PathBuf>,
        /// Also list up to N predictions that were not right, with why.
        #[arg(long, value_name = "N", default_value_t = 0)]
        errors: usize,
    },
}

#[derive(Subcommand, Debug)]
enum QuarantineCommand {
    /// List the rows set aside, one per line: run, file, line, field, value and reason.
    List {
        /// The store (an SQLite file).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// Only the rows first set aside by this import run.
        #[arg(long, value_name = "N")]
        run: Option<i64>,
    },
    /// Write the rows set aside to stdout, with their text, to fix and import again.
    Export {
        /// The store (an SQLite file).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// Only the rows first set aside by this import run.
        #[arg(long, value_name = "N")]
        run: Option<i64>,
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
    },
}

#[derive(Subcommand, Debug)]
enum IncidentsCommand {
    /// Record that two stored reports are of different incidents, whatever corroboration finds.
    Split {
        /// The store (an SQLite file).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// The first report, as SOURCE:ID (`ucdp-ged:216505`).
        first: String,
        /// The second report, as SOURCE:ID.
        second: String,
        /// Who decides (kept on record with the decision).
        #[arg(long, value_name = "NAME")]
        by: String,
        /// Why, in a few words.
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Record that two stored reports are of one incident, whatever corroboration finds.
    Join {
        /// The store (an SQLite file).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// The first report, as SOURCE:ID (`ucdp-ged:216505`).
        first: String,
        /// The second report, as SOURCE:ID.
        second: String,
        /// Who decides (kept on record with the decision).
        #[arg(long, value_name = "NAME")]
        by: String,
        /// Why, in a few words.
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// List the decisions in force.
    Decisions {
        /// The store (an SQLite file).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// Withdraw a decision: the reports may be merged again. The decision stays on record.
    Withdraw {
        /// The store (an SQLite file).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// The decision's number, as `truce incidents decisions` lists it.
        id: i64,
        /// Who withdraws it.
        #[arg(long, value_name = "NAME")]
        by: String,
    },
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum TimelineFormat {
    Text,
    Csv,
    Json,
}

#[derive(Subcommand, Debug)]
enum KeysCommand {
    /// Make a new Ed25519 key pair: the private key into a file only you can read, the public key printed.
    Generate {
        /// The party the key signs for (its id in the agreement); also the key's default name.
        #[arg(long, value_name = "PARTY", required_unless_present_any = ["name", "age"])]
        party: Option<String>,
        /// The key's name, as it appears on signatures (e.g. `usa-secretary-of-state`, `mission`).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Where to write the private key (created with permissions 0600; must not exist).
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
        /// Make an `age` X25519 identity instead, for the payloads a party receives; prints its recipient (`age1…`).
        #[arg(long)]
        age: bool,
    },
}

#[derive(Subcommand, Debug)]
enum EntitlementCommand {
    /// Each entitlement's step, receiving party, whether it may be released as of the day, and where it stands.
    Status {
        /// The agreement file (TOML).
        agreement: PathBuf,
        #[command(flatten)]
        evidence: EvidenceArgs,
    },
    /// Release an entitlement: refused unless its step is verified on the current evidence; recorded.
    Release {
        /// The agreement file (TOML).
        agreement: PathBuf,
        /// The entitlement's id.
        entitlement: String,
        #[command(flatten)]
        evidence: EvidenceArgs,
        /// Who releases it (kept on record).
        #[arg(long, value_name = "NAME")]
        by: String,
        /// Files to hand over with it (the intelligence package), kept encrypted to the receiving party.
        #[arg(long, value_name = "FILE")]
        payload: Vec<PathBuf>,
    },
    /// Suspend a released entitlement (violations resumed); recorded.
    Suspend {
        /// The agreement file (TOML).
        agreement: PathBuf,
        /// The entitlement's id.
        entitlement: String,
        #[command(flatten)]
        evidence: EvidenceArgs,
        /// Who suspends it.
        #[arg(long, value_name = "NAME")]
        by: String,
        /// Why.
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Hand over a released entitlement's payload, still encrypted to the receiving party; recorded.
    Handover {
        /// The agreement file (TOML).
        agreement: PathBuf,
        /// The entitlement's id.
        entitlement: String,
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// The folder to write the `.age` files into.
        #[arg(long, short, value_name = "DIR")]
        out: PathBuf,
    },
    /// Decrypt a handed-over payload file with the receiving party's age identity.
    Open {
        /// The `.age` file.
        file: PathBuf,
        /// The party's identity file (from `truce keys generate --age`).
        #[arg(long, value_name = "FILE")]
        identity: PathBuf,
        /// Where to write the plaintext.
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum BracketCommand {
    /// Sign the resolution of a bracket as one of the parties that must; it takes effect when all have.
    Resolve {
        /// The agreement file (TOML); rewritten with the bracket resolved once every signature is in.
        agreement: PathBuf,
        /// The bracket and the alternative chosen, as BRACKET=ALTERNATIVE (`calm-days=7`, `no-fly-clause=included`).
        choice: String,
        /// The signing party's private key file.
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// The store whose ledger keeps the signatures.
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// Write the resolved agreement here instead of over the agreement file.
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum LedgerCommand {
    /// Sign the store's ledger as it stands (size and root) with the mission's key.
    Checkpoint {
        /// The agreement file: it names the log (`[ledger] origin`) and the mission's keys.
        agreement: PathBuf,
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// The mission's private key file.
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
    },
    /// File a checkpoint a party co-signed (`truce ledger witness`), so later bundles carry it.
    AddCosigned {
        /// The agreement file: it names the mission's and the parties' keys.
        agreement: PathBuf,
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// The co-signed checkpoint the party sent back.
        note: PathBuf,
    },
    /// Write a self-contained bundle: the log, its checkpoints, the keys and every file the records name.
    Export {
        /// The agreement file (its folder holds the files the agreement reads).
        agreement: PathBuf,
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// A new folder to write the bundle into.
        #[arg(long, short, value_name = "DIR")]
        out: PathBuf,
        /// Whom the bundle is for: `staff` (everything), `party:ID` (a party's liaisons)
        /// or `public`. Entries and files the reader may not see are given by their hash
        /// only, as the server does (docs/trust.md).
        #[arg(long = "for", value_name = "READER", default_value = "staff", value_parser = parse_audience)]
        audience: truce_mission::disclosure::Audience,
    },
    /// Check every hash, signature and proof of a bundle, and that the log only grew.
    Verify {
        /// The bundle: its folder, or the zip the server gives (`GET /api/v1/ledger/bundle`).
        bundle: PathBuf,
        /// The mission's public key as you know it (pins it; else the bundle's keys.txt is trusted).
        #[arg(long, value_name = "KEY")]
        key: Vec<String>,
    },
    /// Re-run every recorded check from the bundle's files and compare the findings byte for byte.
    Replay {
        /// The bundle: its folder, or the zip the server gives.
        bundle: PathBuf,
    },
    /// Print entry INDEX's inclusion proof against the bundle's latest checkpoint (JSON).
    Prove {
        /// The bundle: its folder, or the zip the server gives.
        bundle: PathBuf,
        /// The entry's index (from 0).
        index: u64,
    },
    /// Check a proof written by `truce ledger prove`, with nothing but it and the mission's key.
    CheckProof {
        /// The proof (JSON).
        proof: PathBuf,
        /// The mission's public key.
        #[arg(long, value_name = "KEY")]
        key: String,
    },
    /// Co-sign (witness) the bundle's latest checkpoint as a party, refusing a rewritten history.
    Witness {
        /// The bundle's folder.
        bundle: PathBuf,
        /// The party's private key file.
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// The file keeping the last checkpoint this party co-signed (created the first time).
        #[arg(long, value_name = "FILE")]
        state: PathBuf,
        /// Where to write the co-signed checkpoint.
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum TimelineBy {
    Party,
    Zone,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum ExportWhat {
    /// Incidents with findings as GeoJSON points (QGIS, web maps).
    IncidentsGeojson,
    /// Incidents with findings as CSV.
    IncidentsCsv,
    /// Every finding as CSV, with its reasons.
    FindingsCsv,
    /// The evidence reports as HXL-tagged CSV.
    ReportsHxl,
    /// Incidents with findings as GeoParquet (DuckDB, GeoPandas, QGIS, Spark); needs `--output`.
    IncidentsGeoparquet,
    /// Every finding as GeoParquet, with its incident's point; needs `--output`.
    FindingsGeoparquet,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum ExportFormat {
    Csv,
    Jsonl,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Import evidence files into a store: nothing stored twice, revisions kept, bad rows quarantined.
    Import {
        /// Evidence files (UCDP GED CSV, ACLED CSV or truce JSON Lines).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The store (an SQLite file, created when missing).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// Read every file as this format instead of detecting it (`ucdp-ged`, `acled`, `truce-jsonl`, …).
        #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
        format: Option<Format>,
        /// Read every file through this mapping (a mission's own report form; see docs/sources.md).
        #[arg(long, value_name = "MAPPING.toml", conflicts_with = "format")]
        mapping: Option<PathBuf>,
        /// Rows per transaction.
        #[arg(long, hide = true, default_value_t = store::DEFAULT_BATCH)]
        batch_size: usize,
    },
    /// Read reports from news text and social posts: each field with the words behind it (docs/extraction.md).
    Extract {
        /// Plain text, HTML articles, RSS/Atom feeds, or post exports (X/Twitter API v2 or Telegram JSON Lines, Telegram result.json).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The day the documents were published, for those that do not say (relative dates count from it).
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        published: Option<Day>,
        /// The language of documents that do not say: `en` or `ar` (else guessed from the script).
        #[arg(long, value_name = "LANG", value_parser = parse_lang)]
        lang: Option<truce_extract::Lang>,
        /// Read every file as `text`, `html`, `feed` or `posts` instead of detecting it.
        #[arg(long, value_name = "FORMAT", value_parser = parse_text_format)]
        format: Option<truce_extract::read::TextFormat>,
        /// An agreement whose actors' aliases are looked for in the text first.
        #[arg(long, value_name = "AGREEMENT")]
        agreement: Option<PathBuf>,
        /// More places: a GeoNames file (tab-separated, as GeoNames' country dumps).
        #[arg(long, value_name = "FILE")]
        gazetteer: Vec<PathBuf>,
        /// Store the reports in this store as an import run instead of printing them.
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// Write the reports (truce JSON Lines) to this file instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Measure truce against a labelled set (today: `extraction`, reports read from text).
    Eval {
        #[command(subcommand)]
        command: EvalCommand,
    },
    /// The rows an import set aside.
    Quarantine {
        #[command(subcommand)]
        command: QuarantineCommand,
    },
    /// Record that a source withdrew a stored report: checks stop reading it; it stays in the store.
    Delete {
        /// The store (an SQLite file).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// The report, as SOURCE:ID (`ucdp-ged:216505`).
        report: String,
        /// Why (e.g. the source's note), kept with the deletion.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// List the deletions recorded in a store: what each source withdrew, when and why.
    Deletions {
        /// The store (an SQLite file).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// Analysts' decisions on which stored reports are of different incidents, or of one.
    Incidents {
        #[command(subcommand)]
        command: IncidentsCommand,
    },
    /// Check an agreement file (or, with `--mapping`, a report-form mapping) and report every problem, located in its source.
    Lint {
        /// The agreement file (TOML), or the mapping file with `--mapping`.
        agreement: PathBuf,
        /// The file is a mapping of a mission's report form, not an agreement.
        #[arg(long)]
        mapping: bool,
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
    },
    /// Judge the evidence against the agreement: findings, steps, brackets, entitlements.
    Check {
        /// The agreement file (TOML).
        agreement: PathBuf,
        #[command(flatten)]
        evidence: EvidenceArgs,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// The chronology of the agreement and the incidents, and violations and deaths per week and party.
    Timeline {
        /// The agreement file (TOML).
        agreement: PathBuf,
        #[command(flatten)]
        evidence: EvidenceArgs,
        #[arg(long, value_enum, default_value_t = TimelineFormat::Text)]
        format: TimelineFormat,
        /// Also draw violations per day per party, with the step windows shaded, to this SVG file.
        #[arg(long, value_name = "FILE")]
        chart: Option<PathBuf>,
        /// Country-year figures to show beside the incidents: an HXL file such as IDMC's displacement data.
        #[arg(long, value_name = "FILE")]
        figures: Option<PathBuf>,
        /// Only the figures of this country (its code, e.g. `SYR`, or its name as the file writes it).
        #[arg(long, value_name = "COUNTRY", requires = "figures")]
        country: Option<String>,
        /// The weekly CSV per party (default) or per zone of the agreement.
        #[arg(long, value_enum, default_value_t = TimelineBy::Party)]
        by: TimelineBy,
        /// Posts or news (as `truce extract` reads them): hashtags and kinds of event per day, beside the evidence.
        #[arg(long, value_name = "FILE")]
        posts: Vec<PathBuf>,
    },
    /// Write the check's incidents or findings (or the reports) for other tools, to stdout or a file.
    Export {
        /// The agreement file (TOML).
        agreement: PathBuf,
        /// What to write.
        #[arg(value_enum)]
        what: ExportWhat,
        #[command(flatten)]
        evidence: EvidenceArgs,
        /// Write to this file instead of stdout (required for GeoParquet, which is binary).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Resolve bracketed terms by the signatures of the parties the agreement names.
    Bracket {
        #[command(subcommand)]
        command: BracketCommand,
    },
    /// What parties earn: status, release (only on a verified step), suspension, payload hand-over.
    Entitlement {
        #[command(subcommand)]
        command: EntitlementCommand,
    },
    /// Keys that sign for the mission and the parties.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// The agreement's verifiable ledger: checkpoints, bundles, verification, replay, proofs, witnesses.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// List the check runs recorded in a store (each `truce check --db` records one).
    Runs {
        /// The store (an SQLite file).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// What changed between two recorded check runs: findings, steps, entitlements, and why.
    Diff {
        /// The earlier check run's number (as `truce runs` lists them).
        from: i64,
        /// The later check run's number.
        to: i64,
        /// The store (an SQLite file).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
    },
    /// Run the mission's server: the HTTP API (docs/api.md) on the store, for a whole team.
    Serve {
        /// A settings file (TOML; docs/api.md lists its fields).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Where to listen (default 127.0.0.1:8080).
        #[arg(long, value_name = "ADDRESS")]
        listen: Option<std::net::SocketAddr>,
        /// The store: an SQLite file (created when missing) or a PostgreSQL URL (`postgres://user@host/db`).
        #[arg(long, visible_alias = "database", value_name = "PATH|URL")]
        db: Option<PathBuf>,
        /// The agreement the mission verifies (TOML).
        #[arg(long, value_name = "FILE")]
        agreement: Option<PathBuf>,
        /// Check as of this day (default: the last day of the evidence).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Log as JSON lines (default: text).
        #[arg(long)]
        log_json: bool,
        /// How finely the public sees places: exact, district, province or withheld (default district).
        #[arg(long, value_name = "LEVEL")]
        public_coordinates: Option<String>,
    },
    /// The server's users: each has one role (and a liaison one party).
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// API tokens for the server's users (shown once when made).
    Tokens {
        #[command(subcommand)]
        command: TokensCommand,
    },
    /// Print the whole reason chain of a finding (or of every finding of an incident).
    Explain {
        /// The agreement file (TOML).
        agreement: PathBuf,
        /// A finding id (`ucdp-ged:216505/coh-attacks/syrian-government`) or an incident id
        /// (`ucdp-ged:216505`). It may also come last, after `--events FILE…`.
        id: Option<String>,
        #[command(flatten)]
        evidence: EvidenceArgs,
    },
}

#[derive(Subcommand, Debug)]
enum UsersCommand {
    /// Add a user.
    Add {
        /// The user's name (unique).
        name: String,
        /// mission-admin, analyst, monitor, party-liaison or observer.
        #[arg(long)]
        role: String,
        /// The party a liaison is bound to (its id in the agreement).
        #[arg(long)]
        party: Option<String>,
        /// Read a password (for logging in) from standard input.
        #[arg(long)]
        password_stdin: bool,
        /// The agreement (to check the party).
        #[arg(long, value_name = "FILE")]
        agreement: PathBuf,
        /// The store (an SQLite file).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// List the users.
    List {
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum TokensCommand {
    /// Make a token for a user; it is printed once, on standard output.
    Create {
        /// The user's name.
        #[arg(long)]
        user: String,
        /// What the token is for.
        #[arg(long)]
        label: Option<String>,
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// List the tokens (never their secrets).
    List {
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// Revoke a token.
    Revoke {
        /// The token's number.
        id: i64,
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
}

fn parse_format(text: &str) -> Result<Format, String> {
    text.parse::<Format>().map_err(|e| e.to_string())
}

fn parse_day(text: &str) -> Result<Day, String> {
    Day::parse_iso(text).ok_or_else(|| format!("expected a date YYYY-MM-DD, found `{text}`"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let outcome = match cli.command {
        Command::Import {
            files,
            db,
            format,
            mapping,
            batch_size,
        } => mapping
            .as_deref()
            .map(|m| load_mapping(m, color))
            .transpose()
            .and_then(|mapping| store::import(&files, &db, format, mapping.as_ref(), batch_size)),
        Command::Quarantine {
            command: QuarantineCommand::List { db, run },
        } => store::quarantine_list(&db, run).and_then(|text| {
            store::write_stdout(text.as_bytes())?;
            Ok(0)
        }),
        Command::Quarantine {
            command: QuarantineCommand::Export { db, run, format },
        } => store::quarantine_export(&db, run, format == ExportFormat::Jsonl).and_then(|bytes| {
            store::write_stdout(&bytes)?;
            Ok(0)
        }),
        Command::Extract {
            files,
            published,
            lang,
            format,
            agreement,
            gazetteer,
            db,
            output,
        } => (|| {
            let agreement = match &agreement {
                Some(path) => Some(agreement_only(path, color)?),
                None => None,
            };
            extract::extract(&extract::ExtractArgs {
                files: &files,
                published,
                lang,
                format,
                agreement: agreement.as_ref(),
                gazetteers: &gazetteer,
                db: db.as_deref(),
                output: output.as_deref(),
            })
        })(),
        Command::Eval {
            command: EvalCommand::Extraction { split, set, errors },
        } => extract::eval(&split, set.as_deref(), errors),
        Command::Delete { db, report, note } => store::delete(&db, &report, note.as_deref())
            .and_then(|text| {
                store::write_stdout(text.as_bytes())?;
                Ok(0)
            }),
        Command::Serve {
            config,
            listen,
            db,
            agreement,
            as_of,
            log_json,
            public_coordinates,
        } => server::serve(server::ServeFlags {
            config,
            listen,
            db,
            agreement,
            as_of,
            log_json,
            public_coordinates,
        }),
        Command::Users { command } => match command {
            UsersCommand::Add {
                name,
                role,
                party,
                password_stdin,
                agreement,
                db,
            } => server::users_add(
                &db,
                &agreement,
                &name,
                &role,
                party.as_deref(),
                password_stdin,
            ),
            UsersCommand::List { db } => server::users_list(&db),
        }
        .and_then(|text| {
            store::write_stdout(text.as_bytes())?;
            Ok(0)
        }),
        Command::Tokens { command } => match command {
            TokensCommand::Create { user, label, db } => {
                server::tokens_create(&db, &user, label.as_deref())
            }
            TokensCommand::List { db } => server::tokens_list(&db),
            TokensCommand::Revoke { id, db } => server::tokens_revoke(&db, id),
        }
        .and_then(|text| {
            store::write_stdout(text.as_bytes())?;
            Ok(0)
        }),
        Command::Deletions { db } => store::deletions(&db).and_then(|text| {
            store::write_stdout(text.as_bytes())?;
            Ok(0)
        }),
        Command::Incidents { command } => match command {
            IncidentsCommand::Split {
                db,
                first,
                second,
                by,
                reason,
            } => store::incidents_split(&db, &first, &second, &by, reason.as_deref()),
            IncidentsCommand::Join {
                db,
                first,
                second,
                by,
                reason,
            } => store::incidents_join(&db, &first, &second, &by, reason.as_deref()),
            IncidentsCommand::Decisions { db } => store::incidents_decisions(&db),
            IncidentsCommand::Withdraw { db, id, by } => store::incidents_withdraw(&db, id, &by),
        }
        .and_then(|text| {
            store::write_stdout(text.as_bytes())?;
            Ok(0)
        }),
        Command::Keys {
            command:
                KeysCommand::Generate {
                    party,
                    name,
                    out,
                    age,
                },
        } => {
            let name = name.or(party).unwrap_or_default();
            let generated = if age {
                entitlement::generate_age_identity(&out)
            } else {
                ledger::keys_generate(&name, &out)
            };
            generated.and_then(|public| {
                eprintln!(
                    "private key written to {} (keep it secret; it is never printed)",
                    out.display()
                );
                print_stdout(&public)?;
                Ok(0)
            })
        }
        Command::Ledger { command } => ledger_command(command, color),
        Command::Entitlement { command } => entitlement_command(command, color),
        Command::Bracket {
            command:
                BracketCommand::Resolve {
                    agreement,
                    choice,
                    key,
                    db,
                    out,
                },
        } => load_agreement(&agreement).and_then(|(shown, source, loaded)| {
            let Some(parsed) = loaded.agreement else {
                eprint!(
                    "{}",
                    truce_report::diagnostics::render(&loaded.diagnostics, &shown, &source, color)
                );
                bail!("the agreement `{shown}` has errors; `truce lint` lists them");
            };
            let text = bracket::resolve(
                &agreement,
                &parsed,
                &source,
                &choice,
                &key,
                &db,
                out.as_deref(),
            )?;
            print_stdout(&text)?;
            Ok(0)
        }),
        Command::Runs { db } => runs::list(&db).and_then(|text| {
            store::write_stdout(text.as_bytes())?;
            Ok(0)
        }),
        Command::Diff {
            from,
            to,
            db,
            format,
        } => runs::diff_runs(&db, from, to, format == LintFormat::Json),
        Command::Lint {
            agreement,
            mapping: true,
            format,
        } => lint_mapping(&agreement, format, color),
        Command::Lint {
            agreement,
            mapping: false,
            format,
        } => lint(&agreement, format, color),
        Command::Check {
            agreement,
            evidence,
            format,
        } => check(&agreement, &evidence, format, color),
        Command::Explain {
            agreement,
            id,
            mut evidence,
        } => {
            explain_id(id, &mut evidence).and_then(|id| explain(&agreement, &evidence, &id, color))
        }
        Command::Timeline {
            agreement,
            evidence,
            format,
            chart,
            figures,
            country,
            by,
            posts,
        } => {
            let options = TimelineOptions {
                format,
                by,
                chart: chart.as_deref(),
                figures: figures.as_deref(),
                country: country.as_deref(),
                posts: &posts,
            };
            timeline(&agreement, &evidence, &options, color)
        }
        Command::Export {
            agreement,
            what,
            evidence,
            output,
        } => export(&agreement, &evidence, what, output.as_deref(), color),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  Caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

/// Reads and loads an agreement; returns the file name as shown, its source, and the load result.
fn load_agreement(path: &Path) -> Result<(String, String, Loaded)> {
    let shown = path.display().to_string();
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read the agreement `{shown}`"))?;
    let source = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "the agreement `{shown}` is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let loaded = truce_model::agreement::load(&shown, &source, &files::RelativeFiles::new(base));
    Ok((shown, source, loaded))
}

fn lint(path: &Path, format: LintFormat, color: bool) -> Result<u8> {
    let (shown, source, loaded) = load_agreement(path)?;
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.len() - errors;
    match format {
        LintFormat::Json => {
            print_stdout(&truce_report::diagnostics::render_json(&loaded.diagnostics))?
        }
        LintFormat::Text => {
            eprint!(
                "{}",
                truce_report::diagnostics::render(&loaded.diagnostics, &shown, &source, color)
            );
            if errors == 0 {
                let agreement = loaded.agreement.as_ref();
                let summary = agreement.map_or_else(String::new, |a| {
                    format!(
                        ": {} parties, {} actors, {} zones, {} protected sites, {} clauses, {} brackets, {} steps, {} entitlements",
                        a.parties.len(),
                        a.actors.len(),
                        a.zones.len(),
                        a.sites.len(),
                        a.clauses.len(),
                        a.brackets.len(),
                        a.steps.len(),
                        a.entitlements.len()
                    )
                });
                eprintln!("{shown}: ok ({warnings} warning(s)){summary}");
            } else {
                eprintln!("{shown}: {errors} error(s), {warnings} warning(s)");
            }
        }
    }
    Ok(if errors > 0 { 2 } else { 0 })
}

/// An agreement that loads without errors, for the commands that only read it.
fn agreement_only(path: &Path, color: bool) -> Result<Agreement> {
    let (shown, source, loaded) = load_agreement(path)?;
    if let Some(agreement) = loaded.agreement {
        return Ok(agreement);
    }
    eprint!(
        "{}",
        truce_report::diagnostics::render(&loaded.diagnostics, &shown, &source, color)
    );
    bail!("the agreement `{shown}` has errors; `truce lint` lists them")
}

fn entitlement_command(command: EntitlementCommand, color: bool) -> Result<u8> {
    let (text, code) = match command {
        EntitlementCommand::Status {
            agreement,
            evidence,
        } => {
            let db = entitlement::evidence_needs_db(&evidence)?.to_path_buf();
            let checked = checked(&agreement, &evidence, color)?;
            (entitlement::status(&checked, &db)?, 0)
        }
        EntitlementCommand::Release {
            agreement,
            entitlement: id,
            evidence,
            by,
            payload,
        } => {
            let db = entitlement::evidence_needs_db(&evidence)?.to_path_buf();
            let checked = checked(&agreement, &evidence, color)?;
            // The release rests on a check run the ledger holds.
            if let Some(read) = &checked.store {
                let code = truce_report::check_exit_code(&checked.result) as u8;
                runs::record_check_run(&db, &evidence, read, &checked, code)?;
            }
            entitlement::release(&checked, &db, &id, &by, &payload)?
        }
        EntitlementCommand::Suspend {
            agreement,
            entitlement: id,
            evidence,
            by,
            reason,
        } => {
            let db = entitlement::evidence_needs_db(&evidence)?.to_path_buf();
            let checked = checked(&agreement, &evidence, color)?;
            if let Some(read) = &checked.store {
                let code = truce_report::check_exit_code(&checked.result) as u8;
                runs::record_check_run(&db, &evidence, read, &checked, code)?;
            }
            (entitlement::suspend(&checked, &db, &id, &by, &reason)?, 0)
        }
        EntitlementCommand::Handover {
            agreement,
            entitlement: id,
            db,
            out,
        } => {
            let parsed = agreement_only(&agreement, color)?;
            let to = parsed
                .entitlements
                .iter()
                .find(|e| e.id == id)
                .map(|e| parsed.parties[e.to].id.clone())
                .with_context(|| format!("the agreement has no entitlement `{id}`"))?;
            (entitlement::handover(&db, &id, &to, &out)?, 0)
        }
        EntitlementCommand::Open {
            file,
            identity,
            out,
        } => (entitlement::open(&file, &identity, &out)?, 0),
    };
    print_stdout(&text)?;
    Ok(code)
}

fn ledger_command(command: LedgerCommand, color: bool) -> Result<u8> {
    let (text, code) = match command {
        LedgerCommand::Checkpoint { agreement, db, key } => (
            ledger::checkpoint(&agreement_only(&agreement, color)?, &db, &key)?,
            0,
        ),
        LedgerCommand::AddCosigned {
            agreement,
            db,
            note,
        } => (
            ledger::add_cosigned(&agreement_only(&agreement, color)?, &db, &note)?,
            0,
        ),
        LedgerCommand::Export {
            agreement,
            db,
            out,
            audience,
        } => {
            let loaded = agreement_only(&agreement, color)?;
            if let truce_mission::disclosure::Audience::Party(party) = &audience
                && !loaded.parties.iter().any(|p| &p.id == party)
            {
                anyhow::bail!(
                    "`--for party:{party}`: the agreement has no party `{party}` (its parties: {})",
                    loaded
                        .parties
                        .iter()
                        .map(|p| format!("`{}`", p.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            (
                ledger::export(&loaded, &agreement, &db, &out, &audience)?,
                0,
            )
        }
        LedgerCommand::Verify { bundle, key } => {
            let opened = ledger::OpenedBundle::open(&bundle)?;
            let (text, code) = ledger::verify(opened.root(), &key)?;
            (opened.shown(text), code)
        }
        LedgerCommand::Replay { bundle } => {
            let opened = ledger::OpenedBundle::open(&bundle)?;
            let (text, code) = ledger::replay(opened.root())?;
            (opened.shown(text), code)
        }
        LedgerCommand::Prove { bundle, index } => {
            let opened = ledger::OpenedBundle::open(&bundle)?;
            (ledger::prove(opened.root(), index)?, 0)
        }
        LedgerCommand::CheckProof { proof, key } => ledger::check_proof(&proof, &key)?,
        LedgerCommand::Witness {
            bundle,
            key,
            state,
            out,
        } => ledger::witness(&bundle, &key, &state, &out)?,
    };
    print_stdout(&text)?;
    Ok(code)
}

/// Reads and validates a report-form mapping; its problems are shown located in it.
fn load_mapping(path: &Path, color: bool) -> Result<truce_ingest::Mapping> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the mapping `{shown}` (a UTF-8 TOML file)"))?;
    let loaded = truce_ingest::load_mapping(&shown, &text);
    if !loaded.diagnostics.is_empty() {
        eprint!(
            "{}",
            truce_report::diagnostics::render(&loaded.diagnostics, &shown, &text, color)
        );
    }
    match loaded.mapping {
        Some(mapping) => Ok(mapping),
        None => {
            let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
            bail!("the mapping `{shown}` has {errors} error(s); nothing was read")
        }
    }
}

/// `truce lint --mapping FILE`: every problem of a mapping, as for an agreement.
fn lint_mapping(path: &Path, format: LintFormat, color: bool) -> Result<u8> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the mapping `{shown}` (a UTF-8 TOML file)"))?;
    let loaded = truce_ingest::load_mapping(&shown, &text);
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.len() - errors;
    match format {
        LintFormat::Json => {
            print_stdout(&truce_report::diagnostics::render_json(&loaded.diagnostics))?
        }
        LintFormat::Text => {
            eprint!(
                "{}",
                truce_report::diagnostics::render(&loaded.diagnostics, &shown, &text, color)
            );
            match &loaded.mapping {
                Some(mapping) => eprintln!(
                    "{shown}: ok ({warnings} warning(s)); reads {} as source `{}`",
                    mapping.input().name(),
                    mapping.source()
                ),
                None => eprintln!("{shown}: {errors} error(s), {warnings} warning(s)"),
            }
        }
    }
    Ok(if errors > 0 { 2 } else { 0 })
}

/// What a check read from a store, to record the check run there.
struct StoreRead {
    /// The agreement version recorded for this check.
    agreement_version: i64,
    /// The sha256 of its canonical text.
    agreement_sha256: String,
    watermark: truce_store::Watermark,
    /// With `--as-of`: the instant that day ended; later revisions and
    /// withdrawals were not read.
    known_before: Option<String>,
    /// The decisions to keep reports apart in force.
    kept_apart: Vec<i64>,
}

/// The agreement and the evidence, loaded and read.
struct Prepared {
    agreement: Agreement,
    reports: Vec<Report>,
    diagnostics: Vec<Diagnostic>,
    kept_apart: Vec<KeptApart>,
    /// Pairs an analyst decided are of one incident.
    kept_together: Vec<KeptApart>,
    /// When the evidence came (partly) from a store and the agreement version could be recorded there.
    store: Option<StoreRead>,
}

/// Loads the agreement and reads the evidence; reports problems as the user expects.
fn prepare(path: &Path, evidence: &EvidenceArgs, color: bool) -> Result<Prepared> {
    let (shown, source, loaded) = load_agreement(path)?;
    let agreement = match loaded.agreement {
        Some(a) => {
            let warnings: Vec<Diagnostic> = loaded.diagnostics;
            if !warnings.is_empty() {
                eprint!(
                    "{}",
                    truce_report::diagnostics::render(&warnings, &shown, &source, color)
                );
            }
            a
        }
        None => {
            eprint!(
                "{}",
                truce_report::diagnostics::render(&loaded.diagnostics, &shown, &source, color)
            );
            let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
            bail!("the agreement `{shown}` has {errors} error(s); nothing was checked");
        }
    };
    let format = evidence.events_format;
    let mapping = evidence
        .mapping
        .as_deref()
        .map(|m| load_mapping(m, color))
        .transpose()?;
    let options = ImportOptions { keep_raw: false };
    let mut reports = Vec::new();
    let mut diagnostics = Vec::new();
    let mut kept_apart = Vec::new();
    let mut kept_together = Vec::new();
    let mut store_read = None;
    if let Some(db) = &evidence.db {
        let mut store = truce_store::Store::open(db)?;
        // Every version of an agreement checked against the store is kept. A store
        // that cannot be written (a read-only copy) can still be checked; the check
        // is then not recorded, and the user is told.
        let version = match store.record_agreement(&shown, &source, &store::now()) {
            Ok(version) => {
                if version.new {
                    // A new version of the agreement is a fact the ledger keeps.
                    versions::record(
                        &mut store,
                        &agreement,
                        path,
                        &shown,
                        &source,
                        &version.sha256,
                    )?;
                }
                Some((version.id, version.sha256))
            }
            Err(e) => {
                let e = anyhow::Error::from(e);
                eprintln!("warning: {e:#}; this check is not recorded in the store");
                None
            }
        };
        // As of a day, the store's evidence is what it held when that day ended
        // in the agreement's time zone: a revision or a withdrawal recorded
        // later is not seen (history imported later still is).
        let known_before = evidence
            .as_of
            .map(|day| truce_store::known_before(day, agreement.utc_offset_minutes));
        let (read, watermark) = store.reports_known_before(known_before.as_deref())?;
        reports = read;
        let decisions = truce_mission::decisions::decisions(&mut store)?;
        kept_apart = decisions.kept_apart;
        kept_together = decisions.kept_together;
        store_read = version.map(|(agreement_version, agreement_sha256)| StoreRead {
            agreement_version,
            agreement_sha256,
            watermark,
            known_before,
            kept_apart: decisions.ids,
        });
    }
    for file in &evidence.events {
        let name = file.display().to_string();
        let handle = std::fs::File::open(file)
            .with_context(|| format!("cannot open the events file `{name}`"))?;
        let input = std::io::BufReader::with_capacity(1 << 20, handle);
        let imported = match &mapping {
            Some(mapping) => truce_ingest::import_mapped(&name, input, mapping, &options),
            None => truce_ingest::import_reader(&name, input, format, &options),
        }
        .with_context(|| format!("cannot import `{name}`"))?;
        for problem in &imported.quarantined {
            let mut d = Diagnostic::warning(
                Code::QuarantinedRow,
                format!("row set aside: {}", problem.reason),
            )
            .at_line(problem.file.clone(), problem.line as usize);
            if let Some(field) = &problem.field {
                d.message = format!("row set aside: field `{field}`: {}", problem.reason);
            }
            if let Some(value) = &problem.value {
                d.found = Some(format!("`{value}`"));
            }
            diagnostics.push(d);
        }
        reports.extend(imported.reports);
    }
    // Reports dated after `--as-of` stay here: the check does not see them (the
    // engine cuts them), but the ledger records the evidence as it was read, and
    // rebuilds it from the store the same way.
    Ok(Prepared {
        agreement,
        reports,
        diagnostics,
        kept_apart,
        kept_together,
        store: store_read,
    })
}

/// The agreement, the evidence and the check made of them.
struct Checked {
    agreement: Agreement,
    reports: Vec<Report>,
    result: CheckResult,
    kept_apart: Vec<KeptApart>,
    kept_together: Vec<KeptApart>,
    store: Option<StoreRead>,
}

/// Loads, reads the evidence and checks; keeps the agreement and the reports for the caller.
fn checked(path: &Path, evidence: &EvidenceArgs, color: bool) -> Result<Checked> {
    let prepared = prepare(path, evidence, color)?;
    let mut result = truce_engine::check(&CheckInput {
        agreement: &prepared.agreement,
        reports: &prepared.reports,
        as_of: evidence.as_of,
        kept_apart: &prepared.kept_apart,
        kept_together: &prepared.kept_together,
    });
    result.diagnostics = prepared.diagnostics;
    Ok(Checked {
        agreement: prepared.agreement,
        reports: prepared.reports,
        result,
        kept_apart: prepared.kept_apart,
        kept_together: prepared.kept_together,
        store: prepared.store,
    })
}

/// What `truce timeline` is asked to draw, besides the agreement and the evidence.
struct TimelineOptions<'a> {
    format: TimelineFormat,
    by: TimelineBy,
    /// Where to write the SVG chart.
    chart: Option<&'a Path>,
    /// An HXL file of published figures to set beside truce's counts.
    figures: Option<&'a Path>,
    /// The country those figures are of.
    country: Option<&'a str>,
    /// Post exports whose daily talk is drawn under the counts.
    posts: &'a [PathBuf],
}

fn timeline(
    path: &Path,
    evidence: &EvidenceArgs,
    options: &TimelineOptions<'_>,
    color: bool,
) -> Result<u8> {
    let &TimelineOptions {
        format,
        by,
        chart,
        figures,
        country,
        posts,
    } = options;
    let Checked {
        agreement, result, ..
    } = checked(path, evidence, color)?;
    let trends = extract::trends(posts, &agreement)?;
    let mut shown = Vec::new();
    if let Some(file) = figures {
        let name = file.display().to_string();
        let handle = std::fs::File::open(file)
            .with_context(|| format!("cannot open the figures file `{name}`"))?;
        let read = truce_ingest::read_hxl_figures(&name, std::io::BufReader::new(handle))
            .with_context(|| format!("cannot read `{name}`"))?;
        for problem in &read.quarantined {
            eprintln!("warning: figure row set aside: {problem}");
        }
        let wanted = |f: &truce_ingest::Figure| {
            country.is_none_or(|c| {
                f.country_code
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(c))
                    || f.country
                        .as_deref()
                        .is_some_and(|x| x.eq_ignore_ascii_case(c))
            })
        };
        shown = read
            .figures
            .iter()
            .filter(|f| wanted(f))
            .map(|f| truce_engine::timeline::Figure {
                year: f.year,
                country: f
                    .country
                    .clone()
                    .or_else(|| f.country_code.clone())
                    .unwrap_or_default(),
                what: f.column.clone(),
                value: f.value,
                source: format!("{name}:{}", f.line),
            })
            .collect();
    }
    let mut t = truce_engine::timeline::timeline(&agreement, &result, &shown);
    if !posts.is_empty() {
        t.set_trends(trends);
    }
    if let Some(db) = &evidence.db {
        // The agreement's life as the store's ledger records it.
        let mut store = truce_store::Store::open(db)?;
        t.add_to_chronology(truce_mission::life::life_entries(
            &mut store,
            &agreement,
            &truce_mission::disclosure::Audience::Staff,
        )?);
    }
    if let Some(chart) = chart {
        let svg = truce_report::timeline::render_svg(&t)
            .map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
        std::fs::write(chart, svg)
            .with_context(|| format!("cannot write the chart `{}`", chart.display()))?;
        eprintln!("chart written to {}", chart.display());
    }
    let text = match format {
        TimelineFormat::Text => truce_report::timeline::render_text(&t),
        TimelineFormat::Csv if by == TimelineBy::Zone => {
            truce_report::timeline::render_csv_by_zone(&t)
        }
        TimelineFormat::Csv => truce_report::timeline::render_csv(&t),
        TimelineFormat::Json => truce_report::timeline::render_json(&t),
    };
    print_stdout(&text)?;
    Ok(0)
}

fn export(
    path: &Path,
    evidence: &EvidenceArgs,
    what: ExportWhat,
    output: Option<&Path>,
    color: bool,
) -> Result<u8> {
    let binary = matches!(
        what,
        ExportWhat::IncidentsGeoparquet | ExportWhat::FindingsGeoparquet
    );
    if binary && output.is_none() {
        bail!("GeoParquet is a binary file: give `--output FILE.parquet`");
    }
    let Checked {
        reports, result, ..
    } = checked(path, evidence, color)?;
    let bytes = match what {
        ExportWhat::IncidentsGeojson => {
            truce_report::export::incidents_geojson(&result).into_bytes()
        }
        ExportWhat::IncidentsCsv => truce_report::export::incidents_csv(&result).into_bytes(),
        ExportWhat::FindingsCsv => truce_report::export::findings_csv(&result).into_bytes(),
        ExportWhat::ReportsHxl => {
            let mut bytes = Vec::new();
            truce_ingest::write_hxl(&reports, &mut bytes)
                .context("cannot write the reports as HXL")?;
            bytes
        }
        ExportWhat::IncidentsGeoparquet => {
            let mut bytes = Vec::new();
            truce_report::geoparquet::incidents_geoparquet(&result, &mut bytes)?;
            bytes
        }
        ExportWhat::FindingsGeoparquet => {
            let mut bytes = Vec::new();
            truce_report::geoparquet::findings_geoparquet(&result, &mut bytes)?;
            bytes
        }
    };
    match output {
        Some(file) => {
            std::fs::write(file, &bytes)
                .with_context(|| format!("cannot write `{}`", file.display()))?;
            eprintln!("written to {}", file.display());
        }
        None => print_stdout(&String::from_utf8_lossy(&bytes))?,
    }
    Ok(0)
}

fn check(path: &Path, evidence: &EvidenceArgs, format: ReportFormat, color: bool) -> Result<u8> {
    let checked = checked(path, evidence, color)?;
    let result = &checked.result;
    let text = match format {
        ReportFormat::Json => truce_report::json::render(result),
        ReportFormat::Markdown => truce_report::markdown::render(result),
        ReportFormat::Text => {
            truce_report::text::render(result, &truce_report::text::TextOptions { bold: color })
        }
    };
    let code = truce_report::check_exit_code(result) as u8;
    if let (Some(db), Some(read)) = (&evidence.db, &checked.store) {
        runs::record_check_run(db, evidence, read, &checked, code)?;
    }
    print_stdout(&text)?;
    Ok(code)
}

/// The id to explain: the positional one, or else the last value `--events` took
/// (`truce explain AGREEMENT --events FILE ID` gives `--events` both), when it is
/// not a file.
fn explain_id(id: Option<String>, evidence: &mut EvidenceArgs) -> Result<String> {
    if let Some(id) = id {
        return Ok(id);
    }
    // The evidence must still name something once the id is taken from it.
    let last_is_id = evidence.events.last().is_some_and(|l| !l.exists())
        && (evidence.events.len() > 1 || evidence.db.is_some());
    match evidence.events.pop() {
        Some(last) if last_is_id => Ok(last.display().to_string()),
        _ => bail!(
            "which finding, incident or report? give its id after the agreement (`truce explain AGREEMENT ID --events FILE`) or last (`… --events FILE ID`)"
        ),
    }
}

fn explain(path: &Path, evidence: &EvidenceArgs, id: &str, color: bool) -> Result<u8> {
    let Checked {
        agreement,
        reports,
        result,
        kept_apart,
        kept_together,
        ..
    } = checked(path, evidence, color)?;
    // For a report's id: which close reports were merged with it, which were not, and why.
    let corroboration = reports
        .iter()
        .position(|r| r.id() == id)
        .map(|index| corroboration_text(&agreement, &reports, &kept_apart, &kept_together, index));
    match (truce_report::explain::render(&result, id), corroboration) {
        (None, None) => {
            let known = result
                .findings
                .iter()
                .take(3)
                .map(|f| format!("`{}`", f.id))
                .collect::<Vec<_>>()
                .join(", ");
            bail!(
                "no finding, incident or report `{id}` in this check; finding ids look like {known}"
            )
        }
        (findings, corroboration) => {
            let mut text = findings.unwrap_or_else(|| format!("report {id}: no finding\n\n"));
            // Reports read from text: the words behind each field.
            let members: Vec<&str> = result
                .incidents
                .iter()
                .find(|i| i.id == id || i.reports.iter().any(|r| r == id))
                .map(|i| i.reports.iter().map(String::as_str).collect())
                .unwrap_or_else(|| vec![id]);
            for report in reports
                .iter()
                .filter(|r| members.contains(&r.id().as_str()))
            {
                if let Some(words) = truce_report::explain::render_text_evidence(report, color) {
                    text.push_str(&words);
                    text.push('\n');
                }
            }
            text.push_str(&corroboration.unwrap_or_default());
            print_stdout(&text)?;
            Ok(0)
        }
    }
}

/// The close reports of one report, each with the corroboration tests it passed or failed.
fn corroboration_text(
    agreement: &Agreement,
    reports: &[Report],
    kept_apart: &[KeptApart],
    kept_together: &[KeptApart],
    index: usize,
) -> String {
    use std::fmt::Write as _;
    let settings = &agreement.evidence.corroboration;
    let rule = truce_engine::corroborate::CorroborationRule {
        max_days: settings.max_days,
        max_km: settings.max_km,
        coarsest: settings.coarsest,
        longest_span_days: settings.longest_span_days,
        merge_within_source: settings.merge_within_source,
    };
    let resolver = truce_engine::ActorResolver::new(agreement);
    let key = |name: &str, span: &truce_model::time::DateSpan| match resolver.resolve(name, span) {
        truce_engine::Resolution::Matched(m) => Some(agreement.actors[m.actor].id.clone()),
        _ => None,
    };
    let pairs = truce_engine::corroborate::explain_neighbours(
        reports,
        &agreement.taxonomy,
        &rule,
        &key,
        index,
    );
    let mut out = format!(
        "corroboration of report {} (✓ test passed, ✗ failed):\n",
        reports[index].id()
    );
    // Reports that carry the same article or photo are the same evidence wherever
    // and whenever they place the event.
    let same: Vec<(usize, String)> = reports
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .filter_map(|(i, other)| {
            truce_engine::corroborate::shared_evidence(&reports[index], other).map(|why| (i, why))
        })
        .collect();
    let this = (
        reports[index].provenance.source.clone(),
        reports[index].provenance.source_id.clone(),
    );
    let any_joined = kept_together
        .iter()
        .any(|k| k.first == this || k.second == this);
    if pairs.is_empty() && same.is_empty() && !any_joined {
        out.push_str(
            "  no other report within twice the distance and one more day than the rule allows\n",
        );
    }
    let key_of = |r: &Report| (r.provenance.source.clone(), r.provenance.source_id.clone());
    let me = key_of(&reports[index]);
    // Reports an analyst joined to this one, whatever the rule says.
    let joined: Vec<usize> = kept_together
        .iter()
        .filter_map(|k| {
            let other = if k.first == me {
                &k.second
            } else if k.second == me {
                &k.first
            } else {
                return None;
            };
            reports.iter().position(|r| &key_of(r) == other)
        })
        .collect();
    for &other_index in &joined {
        let _ = writeln!(out, "  merged with {}", reports[other_index].id());
        let _ = writeln!(
            out,
            "    ✓ an analyst decided they are one incident (`truce incidents decisions`)"
        );
    }
    let same: Vec<(usize, String)> = same
        .into_iter()
        .filter(|(i, _)| !joined.contains(i))
        .collect();
    for (other_index, why) in &same {
        let other = key_of(&reports[*other_index]);
        let decided = kept_apart
            .iter()
            .any(|k| (k.first == me && k.second == other) || (k.first == other && k.second == me));
        let verdict = if decided {
            "kept apart from"
        } else {
            "merged with"
        };
        let _ = writeln!(out, "  {verdict} {}", reports[*other_index].id());
        let _ = writeln!(out, "    ✓ the same evidence: {why}");
        if decided {
            let _ = writeln!(
                out,
                "    ✗ an analyst decided they are different incidents (`truce incidents decisions`)"
            );
        }
    }
    let pairs: Vec<_> = pairs
        .into_iter()
        .filter(|p| !same.iter().any(|(i, _)| *i == p.other) && !joined.contains(&p.other))
        .collect();
    for mut pair in pairs {
        let other = key_of(&reports[pair.other]);
        let decided = kept_apart
            .iter()
            .any(|k| (k.first == me && k.second == other) || (k.first == other && k.second == me));
        if decided {
            pair.linked = false;
            pair.tests.push((
                false,
                "an analyst decided they are different incidents (`truce incidents decisions`)"
                    .to_string(),
            ));
        }
        let verdict = if pair.linked {
            "merged with"
        } else {
            "kept apart from"
        };
        let _ = writeln!(out, "  {verdict} {}", reports[pair.other].id());
        for (passed, text) in pair.tests {
            let _ = writeln!(out, "    {} {text}", if passed { "✓" } else { "✗" });
        }
    }
    out
}

fn print_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        // A closed pipe (`truce check … | head`) is not a failure of truce.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("cannot write to standard output"),
    }
}

/// `--for staff|public|party:ID`.
fn parse_audience(text: &str) -> Result<truce_mission::disclosure::Audience, String> {
    use truce_mission::disclosure::Audience;
    match text {
        "staff" => Ok(Audience::Staff),
        "public" => Ok(Audience::Public),
        _ => match text.strip_prefix("party:") {
            Some(party) if !party.is_empty() => Ok(Audience::Party(party.to_string())),
            _ => Err(format!(
                "found `{text}`; expected `staff`, `public` or `party:ID`"
            )),
        },
    }
}

fn parse_lang(text: &str) -> Result<truce_extract::Lang, String> {
    truce_extract::Lang::parse(text).ok_or_else(|| format!("found `{text}`; expected `en` or `ar`"))
}

fn parse_text_format(text: &str) -> Result<truce_extract::read::TextFormat, String> {
    truce_extract::read::TextFormat::parse(text)
        .ok_or_else(|| format!("found `{text}`; expected `text`, `html`, `feed` or `posts`"))
}
