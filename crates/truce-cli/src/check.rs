//! Checking: the agreement loaded, the evidence read from files and the store,
//! the engine's check, and the commands that render it (`check`, `explain`,
//! `timeline`, `export`).

use super::*;

/// What a check read from a store, to record the check run there.
pub(crate) struct StoreRead {
    /// The agreement version recorded for this check.
    pub(crate) agreement_version: i64,
    /// The sha256 of its canonical text.
    pub(crate) agreement_sha256: String,
    pub(crate) watermark: truce_store::Watermark,
    /// With `--as-of`: the instant that day ended; later revisions and
    /// withdrawals were not read.
    pub(crate) known_before: Option<String>,
    /// The decisions to keep reports apart in force.
    pub(crate) kept_apart: Vec<i64>,
}

/// The agreement and the evidence, loaded and read.
pub(crate) struct Prepared {
    pub(crate) agreement: Agreement,
    pub(crate) reports: Vec<Report>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) kept_apart: Vec<KeptApart>,
    /// Pairs an analyst decided are of one incident.
    pub(crate) kept_together: Vec<KeptApart>,
    /// When the evidence came (partly) from a store and the agreement version could be recorded there.
    pub(crate) store: Option<StoreRead>,
}

/// Loads the agreement and reads the evidence; reports problems as the user
/// expects. With `record`, the agreement's version is recorded in the store
/// (`check --record`), so that the check can be.
pub(crate) fn prepare(
    path: &Path,
    evidence: &EvidenceArgs,
    color: bool,
    record: bool,
) -> Result<Prepared> {
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
        // As of a day, the store's evidence is what it held when that day ended
        // in the agreement's time zone: a revision or a withdrawal recorded
        // later is not seen (history imported later still is).
        let known_before = evidence
            .as_of
            .map(|day| truce_store::known_before(day, agreement.utc_offset_minutes));
        let database = db.to_string_lossy();
        if !record {
            // A check reads, from either store.
            let mut storage = truce_store::open_storage(&database)?;
            (reports, _) = storage.reports_known_before(known_before.as_deref())?;
            let decisions = truce_mission::decisions::decisions(storage.as_mut())?;
            kept_apart = decisions.kept_apart;
            kept_together = decisions.kept_together;
        } else {
            let read = record_and_read(&mut Recording {
                path,
                db,
                agreement: &agreement,
                shown: &shown,
                source: &source,
                known_before,
            })?;
            reports = read.reports;
            kept_apart = read.kept_apart;
            kept_together = read.kept_together;
            store_read = read.store;
        }
    }
    for file in &truce_mission::import::evidence_files(&evidence.events)? {
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
pub(crate) struct Checked {
    pub(crate) agreement: Agreement,
    pub(crate) reports: Vec<Report>,
    pub(crate) result: CheckResult,
    pub(crate) kept_apart: Vec<KeptApart>,
    pub(crate) kept_together: Vec<KeptApart>,
    pub(crate) store: Option<StoreRead>,
}

/// Loads, reads the evidence and checks; keeps the agreement and the reports for
/// the caller. Writes nothing to the store.
pub(crate) fn checked(path: &Path, evidence: &EvidenceArgs, color: bool) -> Result<Checked> {
    checked_to_record(path, evidence, color, false, Reasons::Every)
}

/// Which findings a check gives reasons to.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Reasons<'a> {
    /// Every finding (the JSON document, a recorded run, exports).
    Every,
    /// Those a text or Markdown report shows ([`truce_report::check_shown`]).
    Shown,
    /// Those of the incident of a finding's, an incident's or a report's id (`explain`).
    Of(&'a str),
}

/// [`checked`], with the agreement's version recorded in the store when `record`.
fn checked_to_record(
    path: &Path,
    evidence: &EvidenceArgs,
    color: bool,
    record: bool,
    reasons: Reasons<'_>,
) -> Result<Checked> {
    let prepared = prepare(path, evidence, color, record)?;
    let input = CheckInput {
        agreement: &prepared.agreement,
        reports: &prepared.reports,
        as_of: evidence.as_of,
        kept_apart: &prepared.kept_apart,
        kept_together: &prepared.kept_together,
    };
    let mut result = match reasons {
        Reasons::Every => truce_engine::check(&input),
        Reasons::Shown => truce_report::check_shown(&input),
        Reasons::Of(id) => truce_report::check_explaining_id(&input, id),
    };
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
pub(crate) struct TimelineOptions<'a> {
    pub(crate) format: TimelineFormat,
    pub(crate) by: TimelineBy,
    /// Where to write the SVG chart.
    pub(crate) chart: Option<&'a Path>,
    /// An HXL file of published figures to set beside truce's counts.
    pub(crate) figures: Option<&'a Path>,
    /// The country those figures are of.
    pub(crate) country: Option<&'a str>,
    /// Post exports whose daily talk is drawn under the counts.
    pub(crate) posts: &'a [PathBuf],
}

pub(crate) fn timeline(
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
        let mut store = truce_store::open_storage(&db.to_string_lossy())?;
        t.add_to_chronology(truce_mission::life::life_entries(
            store.as_mut(),
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

pub(crate) fn export(
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

/// `truce check`: reads, checks and renders; with `record` (`--record`, which
/// needs `--db`) the check is recorded in the store as a check run, and in its ledger.
pub(crate) fn check(
    path: &Path,
    evidence: &EvidenceArgs,
    format: ReportFormat,
    record: bool,
    color: bool,
) -> Result<u8> {
    // A recorded run keeps the whole document; a text or Markdown report shows
    // the reasons of a few incidents, and only those are built.
    let reasons = match format {
        ReportFormat::Text | ReportFormat::Markdown if !record => Reasons::Shown,
        _ => Reasons::Every,
    };
    let checked = checked_to_record(path, evidence, color, record, reasons)?;
    let result = &checked.result;
    let code = truce_report::check_exit_code(result) as u8;
    if let (Some(db), Some(read)) = (&evidence.db, &checked.store) {
        runs::record_check_run(db, evidence, read, &checked, code)?;
    }
    match format {
        // Written as it is made: the document of a million events is never held whole.
        ReportFormat::Json => crate::to_stdout(|out| truce_report::json::write(result, out))?,
        ReportFormat::Markdown => print_stdout(&truce_report::markdown::render(result))?,
        ReportFormat::Text => print_stdout(&truce_report::text::render(
            result,
            &truce_report::text::TextOptions { bold: color },
        ))?,
    }
    Ok(code)
}

/// The id to explain: the positional one, or else the last value `--events` took
/// (`truce explain AGREEMENT --events FILE ID` gives `--events` both), when it is
/// not a file.
pub(crate) fn explain_id(id: Option<String>, evidence: &mut EvidenceArgs) -> Result<String> {
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

pub(crate) fn explain(path: &Path, evidence: &EvidenceArgs, id: &str, color: bool) -> Result<u8> {
    let Checked {
        agreement,
        reports,
        result,
        kept_apart,
        kept_together,
        ..
    } = checked_to_record(path, evidence, color, false, Reasons::Of(id))?;
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
pub(crate) fn corroboration_text(
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

/// A check to record in the store (`check --db … --record`).
struct Recording<'a> {
    /// The agreement file, and the name and text it was read as.
    path: &'a Path,
    db: &'a Path,
    agreement: &'a Agreement,
    shown: &'a str,
    source: &'a str,
    /// With `--as-of`: the instant that day ended.
    known_before: Option<String>,
}

/// What a recorded check read from the store.
struct RecordedRead {
    reports: Vec<Report>,
    kept_apart: Vec<KeptApart>,
    kept_together: Vec<KeptApart>,
    /// `None` when the store could not be written: the check is then not recorded.
    store: Option<StoreRead>,
}

/// Records the agreement's version in the store (a new one goes into the
/// ledger) and reads the evidence with the watermark the check run will record.
/// A store that cannot be written (a read-only copy) can still be checked; the
/// check is then not recorded, and the user is told.
fn record_and_read(recording: &mut Recording<'_>) -> Result<RecordedRead> {
    let mut store = store::open(recording.db)?;
    let version = match store.record_agreement(recording.shown, recording.source, &store::now()) {
        Ok(version) => {
            if version.new {
                // A new version of the agreement is a fact the ledger keeps.
                truce_mission::record_agreement_version(
                    store.as_mut(),
                    recording.agreement,
                    recording.path,
                    recording.shown,
                    recording.source,
                    &version.sha256,
                    None,
                    &crate::store::now(),
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
    let known_before = recording.known_before.take();
    let (reports, watermark) = store.reports_known_before(known_before.as_deref())?;
    let decisions = truce_mission::decisions::decisions(store.as_mut())?;
    Ok(RecordedRead {
        reports,
        kept_apart: decisions.kept_apart,
        kept_together: decisions.kept_together,
        store: version.map(|(agreement_version, agreement_sha256)| StoreRead {
            agreement_version,
            agreement_sha256,
            watermark,
            known_before,
            kept_apart: decisions.ids,
        }),
    })
}
