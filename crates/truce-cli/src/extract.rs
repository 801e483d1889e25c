//! `truce extract`: reports from news text and social posts (`truce_extract`),
//! written as truce JSON Lines or stored as an import run.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use truce_extract::read::{ReadOptions, TextFormat, read};
use truce_extract::{Extractor, Gazetteer, Lang};
use truce_model::agreement::Agreement;
use truce_model::time::Day;

/// What `truce extract` was asked.
pub struct ExtractArgs<'a> {
    pub files: &'a [PathBuf],
    pub published: Option<Day>,
    pub lang: Option<Lang>,
    pub format: Option<TextFormat>,
    pub agreement: Option<&'a Agreement>,
    pub gazetteers: &'a [PathBuf],
    pub db: Option<&'a Path>,
    pub output: Option<&'a Path>,
}

pub fn extract(args: &ExtractArgs<'_>) -> Result<u8> {
    let mut gazetteer = Gazetteer::builtin();
    for path in args.gazetteers {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "cannot read the gazetteer `{}` (a UTF-8 GeoNames file)",
                path.display()
            )
        })?;
        let added = gazetteer
            .add_geonames(&text)
            .map_err(|e| anyhow::anyhow!("the gazetteer `{}`: {e}", path.display()))?;
        eprintln!(
            "{}: {added} place(s) added to the gazetteer",
            path.display()
        );
    }
    let extractor = Extractor::new(gazetteer, args.agreement);
    let options = ReadOptions {
        published: args.published,
        lang: args.lang,
        format: args.format,
    };
    let mut out: Box<dyn Write> = match args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write `{}`", path.display()))?,
        )),
        None if args.db.is_some() => Box::new(std::io::sink()),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut store = match args.db {
        Some(db) => Some(truce_store::open_storage(&db.display().to_string())?),
        None => None,
    };
    let mut any_set_aside = false;
    for path in args.files {
        let name = path.display().to_string();
        // Read as a stream (a post export can be hundreds of megabytes), hashed on the way.
        let file = std::fs::File::open(path).with_context(|| format!("cannot read `{name}`"))?;
        let mut hashed = Hashed {
            inner: file,
            hasher: sha2::Sha256::default(),
            size: 0,
        };
        // Reports are written as they are read; only a store needs them all at once.
        let keep = store.is_some();
        let mut reports = Vec::new();
        let mut report_count = 0usize;
        let mut skipped = Vec::new();
        let mut skipped_count = 0usize;
        let mut write_error = None;
        let summary = read(&name, &mut hashed, &options, &mut |document| {
            let extracted = extractor.extract(&document);
            for report in &extracted.reports {
                if write_error.is_none()
                    && let Err(e) = serde_json::to_writer(&mut out, report)
                        .map_err(anyhow::Error::from)
                        .and_then(|()| out.write_all(b"\n").map_err(Into::into))
                {
                    write_error = Some(e);
                }
            }
            report_count += extracted.reports.len();
            if keep {
                reports.extend(extracted.reports);
            }
            skipped_count += extracted.skipped.len();
            // The first notes are shown; the rest are counted.
            skipped.extend(
                extracted
                    .skipped
                    .into_iter()
                    .take(20usize.saturating_sub(skipped.len())),
            );
        })?;
        if let Some(e) = write_error {
            return Err(e.context("cannot write the reports"));
        }
        for aside in &summary.set_aside {
            eprintln!(
                "warning: `{}` line {}: set aside: {}",
                aside.file, aside.line, aside.reason
            );
        }
        any_set_aside |= !summary.set_aside.is_empty();
        let mut stored = String::new();
        if let Some(store) = store.as_mut() {
            let problems: Vec<truce_ingest::RowProblem> = summary
                .set_aside
                .iter()
                .map(|a| truce_ingest::RowProblem {
                    file: a.file.clone(),
                    line: a.line,
                    field: None,
                    value: None,
                    reason: a.reason.clone(),
                })
                .collect();
            let meta = truce_store::FileMeta {
                name: name.clone(),
                sha256: format!("{:x}", sha2::Digest::finalize(hashed.hasher.clone())),
                size: hashed.size,
                format: format!("text-{}", summary.format.unwrap_or("text")),
            };
            let run = store.import_all(&meta, &reports, &problems, &[], &crate::store::now())?;
            // Recorded in the ledger at once, as `truce import` records its runs
            // (before, a text's run waited for the next `truce import`).
            truce_mission::record_finished_imports(store.as_mut(), &crate::store::now())?;
            stored = format!(
                "; stored as import run {}: {} new, {} duplicate(s), {} revised",
                run.id, run.counts.stored, run.counts.duplicates, run.counts.revised
            );
        }
        eprintln!(
            "{name}: {} document(s) read ({}), {} report(s), {} sentence(s) naming an event left without a report, {} post(s) set aside{stored}",
            summary.documents,
            summary.format.unwrap_or("text"),
            report_count,
            skipped_count,
            summary.set_aside.len()
        );
        for skip in &skipped {
            eprintln!(
                "  note: {} bytes {}..{}: {}",
                skip.document, skip.start, skip.end, skip.reason
            );
        }
    }
    out.flush().context("cannot write the reports")?;
    Ok(if any_set_aside { 1 } else { 0 })
}

/// `truce eval extraction`: the scores as a table on stdout.
pub fn eval(split: &str, set: Option<&Path>, errors: usize) -> Result<u8> {
    let text = match set {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the labelled set `{}`", path.display()))?,
        None => truce_extract::eval::LABELLED_SET.to_string(),
    };
    let extractor = Extractor::new(Gazetteer::builtin(), None);
    let scores = truce_extract::eval::evaluate(&text, &extractor, split, errors)
        .map_err(|e| anyhow::anyhow!("the labelled set: {e}"))?;
    let mut out = format!(
        "extraction, {split} split: {} text(s), {} expected event(s), {} predicted\n\n{:<22} {:>9} {:>7} {:>6}   right / predicted / expected\n",
        scores.texts,
        scores.events.expected,
        scores.events.predicted,
        "field",
        "precision",
        "recall",
        "F1"
    );
    let row = |name: &str, f: &truce_extract::eval::FieldScore| {
        format!(
            "{name:<22} {:>9.3} {:>7.3} {:>6.3}   {} / {} / {}\n",
            f.precision(),
            f.recall(),
            f.f1(),
            f.right,
            f.predicted,
            f.expected
        )
    };
    for (name, score) in &scores.fields {
        out.push_str(&row(name, score));
    }
    out.push_str(&row("whole events", &scores.events));
    for (level, right, predicted) in &scores.by_confidence {
        let precision = if *predicted == 0 {
            0.0
        } else {
            *right as f64 / *predicted as f64
        };
        let recall = if scores.events.expected == 0 {
            0.0
        } else {
            *right as f64 / scores.events.expected as f64
        };
        out.push_str(&format!(
            "{:<22} {:>9.3} {:>7.3} {:>6}   {} / {} / {}\n",
            format!("  confidence >= {level}"),
            precision,
            recall,
            "",
            right,
            predicted,
            scores.events.expected
        ));
    }
    out.push_str("\nwhole events: kind, date, place and responsible actor all right, each within the precision stated\n");
    for miss in &scores.misses {
        out.push_str(&format!(
            "\n{}: {}\n  \"{}\"\n",
            miss.text_id, miss.what, miss.text
        ));
    }
    std::io::stdout()
        .write_all(out.as_bytes())
        .context("cannot write the scores")?;
    Ok(0)
}

/// The hashtags and the kinds of event read from posts, per day of publication
/// (`truce timeline --posts`). A post counts once per hashtag and per kind;
/// hashtags are counted without case (`#Aleppo` = `#aleppo`), shown as first written.
pub fn trends(
    files: &[PathBuf],
    agreement: &Agreement,
) -> Result<Vec<truce_engine::timeline::Trend>> {
    use std::collections::{BTreeMap, BTreeSet};
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let extractor = Extractor::new(Gazetteer::builtin(), Some(agreement));
    let mut counts: BTreeMap<(Day, &'static str, String), (String, u64)> = BTreeMap::new();
    let mut undated = 0u64;
    for path in files {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).with_context(|| format!("cannot read `{name}`"))?;
        let summary = read(
            &name,
            std::io::BufReader::new(file),
            &ReadOptions::default(),
            &mut |document| {
                let Some(day) = document.published else {
                    undated += 1;
                    return;
                };
                let tags: BTreeSet<(String, String)> = document
                    .hashtags
                    .iter()
                    .map(|t| (t.to_lowercase(), format!("#{t}")))
                    .collect();
                for (key, shown) in tags {
                    counts.entry((day, "hashtag", key)).or_insert((shown, 0)).1 += 1;
                }
                let kinds: BTreeSet<String> = extractor
                    .extract(&document)
                    .reports
                    .into_iter()
                    .map(|r| r.kind)
                    .collect();
                for kind in kinds {
                    counts
                        .entry((day, "kind", kind.clone()))
                        .or_insert((kind, 0))
                        .1 += 1;
                }
            },
        )?;
        for aside in &summary.set_aside {
            eprintln!(
                "warning: `{}` line {}: set aside: {}",
                aside.file, aside.line, aside.reason
            );
        }
    }
    if undated > 0 {
        eprintln!(
            "warning: {undated} post(s) without a publication day are not counted in the trends"
        );
    }
    Ok(counts
        .into_iter()
        .map(
            |((day, what, _), (key, posts))| truce_engine::timeline::Trend {
                day,
                what: what.to_string(),
                key,
                posts,
            },
        )
        .collect())
}

/// A reader that hashes and counts what passes through it.
struct Hashed<R> {
    inner: R,
    hasher: sha2::Sha256,
    size: u64,
}

impl<R: std::io::Read> std::io::Read for Hashed<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        sha2::Digest::update(&mut self.hasher, &buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}
