//! The command line: every command, its arguments and their checks (clap).

use super::*;

#[derive(Parser, Debug)]
#[command(name = "truce", version, about = "Verify ceasefires on evidence, not trust", long_about = None)]
pub(crate) struct Cli {
    /// When to use colour: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub(crate) enum LintFormat {
    Text,
    Json,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub(crate) enum ReportFormat {
    Text,
    Json,
    Markdown,
}

#[derive(clap::Args, Debug)]
pub(crate) struct EvidenceArgs {
    /// Evidence files (UCDP GED, ACLED, GDELT, HXL, truce JSON Lines; GED, ACLED and GDELT also as Parquet or Arrow) or folders of Parquet/Arrow parts; the format is detected.
    #[arg(long = "events", value_name = "FILE", required_unless_present = "db", num_args = 1..)]
    pub(crate) events: Vec<PathBuf>,
    /// A store made by `truce import`: its current reports are evidence too (with any `--events` files).
    #[arg(long, value_name = "PATH")]
    pub(crate) db: Option<PathBuf>,
    /// Read every events file as this format instead of detecting it (`ucdp-ged`, `acled`, `truce-jsonl`, …).
    #[arg(long = "events-format", value_name = "FORMAT", value_parser = parse_format)]
    pub(crate) events_format: Option<Format>,
    /// Read every events file through this mapping (a mission's own report form; see docs/sources.md).
    #[arg(long, value_name = "MAPPING.toml", conflicts_with = "events_format")]
    pub(crate) mapping: Option<PathBuf>,
    /// Check as of this day (YYYY-MM-DD): later days are not yet observed. Default: the last day of the evidence.
    #[arg(long = "as-of", value_name = "DATE", value_parser = parse_day)]
    pub(crate) as_of: Option<Day>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum EvalCommand {
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
pub(crate) enum QuarantineCommand {
    /// List the rows set aside, one per line: run, file, line, field, value and reason.
    List {
        /// The store: a SQLite file or a PostgreSQL URL (`postgres://…`).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// Only the rows first set aside by this import run.
        #[arg(long, value_name = "N")]
        run: Option<i64>,
    },
    /// Write the rows set aside to stdout, with their text, to fix and import again.
    Export {
        /// The store: a SQLite file or a PostgreSQL URL (`postgres://…`).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// Only the rows first set aside by this import run.
        #[arg(long, value_name = "N")]
        run: Option<i64>,
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
    },
}

/// What an analyst's decision on two reports names: the two reports, who
/// decides and why (`truce incidents split` and `join` alike).
#[derive(clap::Args, Debug)]
pub(crate) struct DecisionArgs {
    /// The store: a SQLite file or a PostgreSQL URL (`postgres://…`).
    #[arg(long, value_name = "PATH")]
    pub(crate) db: PathBuf,
    /// The first report, as SOURCE:ID (`ucdp-ged:216505`).
    pub(crate) first: String,
    /// The second report, as SOURCE:ID.
    pub(crate) second: String,
    /// Who decides (kept on record with the decision).
    #[arg(long, value_name = "NAME")]
    pub(crate) by: String,
    /// Why, in a few words.
    #[arg(long, value_name = "TEXT")]
    pub(crate) reason: Option<String>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum IncidentsCommand {
    /// Record that two stored reports are of different incidents, whatever corroboration finds.
    Split(DecisionArgs),
    /// Record that two stored reports are of one incident, whatever corroboration finds.
    Join(DecisionArgs),
    /// List the decisions in force.
    Decisions {
        /// The store: a SQLite file or a PostgreSQL URL (`postgres://…`).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// Withdraw a decision: the reports may be merged again. The decision stays on record.
    Withdraw {
        /// The store: a SQLite file or a PostgreSQL URL (`postgres://…`).
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
pub(crate) enum TimelineFormat {
    Text,
    Csv,
    Json,
}

#[derive(Subcommand, Debug)]
pub(crate) enum KeysCommand {
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
pub(crate) enum EntitlementCommand {
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
pub(crate) enum BracketCommand {
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
pub(crate) enum LedgerCommand {
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
pub(crate) enum TimelineBy {
    Party,
    Zone,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub(crate) enum ExportWhat {
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
pub(crate) enum ExportFormat {
    Csv,
    Jsonl,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Import evidence files into a store: nothing stored twice, revisions kept, bad rows quarantined.
    Import {
        /// Evidence files (UCDP GED, ACLED, GDELT, HXL, truce JSON Lines; GED, ACLED and GDELT also as Parquet or Arrow) or folders of Parquet/Arrow parts.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The store: a SQLite file (created when missing) or a PostgreSQL URL.
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
        /// The store: a SQLite file or a PostgreSQL URL (`postgres://…`).
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
        /// The store: a SQLite file or a PostgreSQL URL (`postgres://…`).
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
        /// Record the check in the store (`--db`) as a check run, in its ledger: what it read and what it found. Without it a check writes nothing.
        #[arg(long, requires = "db")]
        record: bool,
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
        /// The store: a SQLite file or a PostgreSQL URL (`postgres://…`).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// What changed between two recorded check runs: findings, steps, entitlements, and why.
    Diff {
        /// The earlier check run's number (as `truce runs` lists them).
        from: i64,
        /// The later check run's number.
        to: i64,
        /// The store: a SQLite file or a PostgreSQL URL (`postgres://…`).
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
pub(crate) enum UsersCommand {
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
        /// The store: a SQLite file or a PostgreSQL URL (`postgres://…`).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// List the users.
    List {
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
    /// Disable a user: its tokens are revoked and its sessions end at once; the
    /// account stays on record.
    Disable {
        /// The user's name.
        name: String,
        /// The store: a SQLite file or a PostgreSQL URL (`postgres://…`).
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum TokensCommand {
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

pub(crate) fn parse_format(text: &str) -> Result<Format, String> {
    text.parse::<Format>().map_err(|e| e.to_string())
}

pub(crate) fn parse_day(text: &str) -> Result<Day, String> {
    Day::parse_iso(text).ok_or_else(|| format!("expected a date YYYY-MM-DD, found `{text}`"))
}

/// `--for staff|public|party:ID`.
pub(crate) fn parse_audience(text: &str) -> Result<truce_mission::disclosure::Audience, String> {
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

pub(crate) fn parse_lang(text: &str) -> Result<truce_extract::Lang, String> {
    truce_extract::Lang::parse(text).ok_or_else(|| format!("found `{text}`; expected `en` or `ar`"))
}

pub(crate) fn parse_text_format(text: &str) -> Result<truce_extract::read::TextFormat, String> {
    truce_extract::read::TextFormat::parse(text)
        .ok_or_else(|| format!("found `{text}`; expected `text`, `html`, `feed` or `posts`"))
}
