//! `truce`: check a ceasefire agreement against the evidence.
//!
//! This binary only glues: arguments → files read → model, ingest, store and
//! engine calls → a renderer → an exit code. Exit codes: 0 all clear, 1 violations
//! found or steps not met (or, for `lint`, nothing else), 2 truce failed or the
//! input is invalid.

mod args;
mod bracket;
mod check;
mod entitlement;
mod extract;
mod files;
mod ledger;
mod runs;
mod server;
mod store;

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

use args::*;
use check::*;

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
    match run(cli.command, color) {
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

/// Runs one command; its exit code (0 all clear, 1 violations or unmet steps).
/// One arm per command, each a call into the command's module: it reads as the
/// table of commands and grows by one arm a command.
fn run(command: Command, color: bool) -> Result<u8> {
    match command {
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
        } => store::quarantine_list(&db, run).and_then(printed),
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
        Command::Delete { db, report, note } => {
            store::delete(&db, &report, note.as_deref()).and_then(printed)
        }
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
            UsersCommand::Disable { name, db } => server::users_disable(&db, &name),
        }
        .and_then(printed),
        Command::Tokens { command } => match command {
            TokensCommand::Create { user, label, db } => {
                server::tokens_create(&db, &user, label.as_deref())
            }
            TokensCommand::List { db } => server::tokens_list(&db),
            TokensCommand::Revoke { id, db } => server::tokens_revoke(&db, id),
        }
        .and_then(printed),
        Command::Deletions { db } => store::deletions(&db).and_then(printed),
        Command::Incidents { command } => match command {
            IncidentsCommand::Split(decision) => store::analyst_decision(store::Apart, &decision),
            IncidentsCommand::Join(decision) => store::analyst_decision(store::Together, &decision),
            IncidentsCommand::Decisions { db } => store::incidents_decisions(&db),
            IncidentsCommand::Withdraw { db, id, by } => store::incidents_withdraw(&db, id, &by),
        }
        .and_then(printed),
        Command::Keys { command } => keys_command(command),
        Command::Ledger { command } => ledger_command(command, color),
        Command::Entitlement { command } => entitlement_command(command, color),
        Command::Bracket { command } => bracket_command(command, color),
        Command::Runs { db } => runs::list(&db).and_then(printed),
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
            record,
        } => check(&agreement, &evidence, format, record, color),
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
    }
}

/// Prints a command's text on stdout: exit 0.
fn printed(text: String) -> Result<u8> {
    store::write_stdout(text.as_bytes())?;
    Ok(0)
}

/// `truce keys generate`: a signing key, or an `age` identity for a party's payloads.
fn keys_command(command: KeysCommand) -> Result<u8> {
    let KeysCommand::Generate {
        party,
        name,
        out,
        age,
    } = command;
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

/// `truce bracket resolve`: a party's signature on a bracket's resolution.
fn bracket_command(command: BracketCommand, color: bool) -> Result<u8> {
    let BracketCommand::Resolve {
        agreement,
        choice,
        key,
        db,
        out,
    } = command;
    load_agreement(&agreement).and_then(|(shown, source, loaded)| {
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
    })
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
    let contents = loaded.agreement.as_ref().map(|a| {
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
    print_lint(
        &loaded.diagnostics,
        &shown,
        &source,
        contents,
        format,
        color,
    )
}

/// Prints what `truce lint` found in a file (JSON on stdout, or the rendered
/// diagnostics on stderr and a last line saying how it went) and returns the exit
/// code. `contents` is what the file holds, said after "ok" when it loaded.
fn print_lint(
    diagnostics: &[Diagnostic],
    shown: &str,
    source: &str,
    contents: Option<String>,
    format: LintFormat,
    color: bool,
) -> Result<u8> {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    match format {
        LintFormat::Json => print_stdout(&truce_report::diagnostics::render_json(diagnostics))?,
        LintFormat::Text => {
            eprint!(
                "{}",
                truce_report::diagnostics::render(diagnostics, shown, source, color)
            );
            match contents {
                Some(contents) => eprintln!("{shown}: ok ({warnings} warning(s)){contents}"),
                None => eprintln!("{shown}: {errors} error(s), {warnings} warning(s)"),
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
            runs::record_run_behind(&db, &evidence, &checked)?;
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
            runs::record_run_behind(&db, &evidence, &checked)?;
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
    let contents = loaded.mapping.as_ref().map(|mapping| {
        format!(
            "; reads {} as source `{}`",
            mapping.input().name(),
            mapping.source()
        )
    });
    print_lint(&loaded.diagnostics, &shown, &text, contents, format, color)
}

fn print_stdout(text: &str) -> Result<()> {
    to_stdout(|out| out.write_all(text.as_bytes()))
}

/// Writes to standard output with `write` as it goes (a large answer is never
/// held whole), then flushes. A closed pipe (`truce check … | head`) is not a
/// failure of truce.
fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("cannot write to standard output"),
    }
}
