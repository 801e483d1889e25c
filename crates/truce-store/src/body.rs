//! A report's stored body: its stored JSON ([`crate::stored`]) and its raw row,
//! compressed together in one zstd frame.
//!
//! Why: the JSON and the raw row were a thousand bytes a row, five times the CSV
//! row they come from; one row alone compresses poorly (about 480 bytes), but the
//! rows of one file share nearly all their words (keys, actor names, place names,
//! event types). So each import run trains a zstd dictionary on its first batch,
//! keeps it once on the run, and compresses every body of the run with it: about
//! 150 bytes a row on ACLED rows. A report stored alone (a monitor's) has no
//! dictionary.
//!
//! Layout: one byte saying how the frame was compressed ([`PLAIN`] or
//! [`WITH_RUN_DICTIONARY`]), then the frame, whose content is the JSON, then, when
//! the report keeps its raw row, a newline and the raw row's JSON. Compact JSON
//! holds no newline (one inside a string is written `\n`), so the first newline
//! ends the report. The content hash is still the sha256 of the JSON alone.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

/// The frame was compressed without a dictionary.
const PLAIN: u8 = 0;
/// The frame was compressed with its import run's dictionary.
const WITH_RUN_DICTIONARY: u8 = 1;
/// zstd's level: 3 is its default; higher levels cost more time than the bytes
/// they save on rows this small.
const LEVEL: i32 = 3;
/// The largest body read back: far above any report, so a damaged length cannot
/// make a reader allocate without bound.
const LARGEST_BODY: usize = 64 << 20;
/// The dictionary's size: 32 KiB held as well as 64 or 110 KiB on ACLED and GED rows.
const DICTIONARY_BYTES: usize = 32 << 10;
/// How many bodies of the first batch train the dictionary.
pub(crate) const TRAINING_ROWS: usize = 2_000;
/// Below this many rows in its first batch a run gets no dictionary: too few
/// samples train nothing worth keeping.
const FEWEST_TRAINING_ROWS: usize = 64;

/// Why a body could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("the body is empty")]
    Empty,
    #[error("the body's first byte is {0}, not a known layout")]
    UnknownLayout(u8),
    #[error("the body was compressed with its import run's dictionary, which the run lacks")]
    MissingDictionary,
    #[error("the body's frame does not decompress: {0}")]
    Frame(std::io::Error),
    #[error("the body is not UTF-8")]
    NotText,
    #[error("the body could not be compressed: {0}")]
    Compress(std::io::Error),
}

/// A trained dictionary, as stored on its run.
pub(crate) type Dictionary = Arc<Vec<u8>>;

/// Trains a run's dictionary on the uncompressed bodies of its first batch; `None`
/// when there are too few to train on or training fails (the run's bodies are
/// then compressed alone, which reads back the same).
pub(crate) fn train(bodies: &[&[u8]]) -> Option<Dictionary> {
    if bodies.len() < FEWEST_TRAINING_ROWS {
        return None;
    }
    let samples = &bodies[..bodies.len().min(TRAINING_ROWS)];
    zstd::dict::from_samples(samples, DICTIONARY_BYTES)
        .ok()
        .map(Arc::new)
}

/// [`train`] on the first rows of a run, given as (JSON, raw row).
pub(crate) fn train_on<'a>(
    rows: impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)>,
) -> Option<Dictionary> {
    let samples: Vec<Vec<u8>> = rows
        .take(TRAINING_ROWS)
        .map(|(json, raw)| {
            let mut plain = Vec::new();
            joined(json, raw, &mut plain);
            plain
        })
        .collect();
    let samples: Vec<&[u8]> = samples.iter().map(Vec::as_slice).collect();
    train(&samples)
}

/// Compresses bodies, with a run's dictionary when it has one.
pub(crate) struct Packer<'d> {
    compressor: zstd::bulk::Compressor<'d>,
    layout: u8,
    /// The uncompressed body being built.
    plain: Vec<u8>,
    /// The compressed frame being built.
    frame: Vec<u8>,
}

impl<'d> Packer<'d> {
    pub(crate) fn new(dictionary: Option<&'d [u8]>) -> std::io::Result<Packer<'d>> {
        let (compressor, layout) = match dictionary {
            Some(dictionary) => (
                zstd::bulk::Compressor::with_dictionary(LEVEL, dictionary)?,
                WITH_RUN_DICTIONARY,
            ),
            None => (zstd::bulk::Compressor::new(LEVEL)?, PLAIN),
        };
        Ok(Packer {
            compressor,
            layout,
            plain: Vec::with_capacity(2048),
            frame: Vec::with_capacity(2048),
        })
    }

    /// Appends the body of `json` and `raw` to `out`.
    pub(crate) fn pack(
        &mut self,
        json: &[u8],
        raw: Option<&[u8]>,
        out: &mut Vec<u8>,
    ) -> std::io::Result<()> {
        joined(json, raw, &mut self.plain);
        // The compressor writes from the start of the buffer's capacity.
        self.frame.clear();
        self.frame
            .reserve(zstd::zstd_safe::compress_bound(self.plain.len()));
        self.compressor
            .compress_to_buffer(&self.plain, &mut self.frame)?;
        out.push(self.layout);
        out.extend_from_slice(&self.frame);
        Ok(())
    }
}

/// The body of a report stored alone (a monitor's), without a raw row or a dictionary.
pub(crate) fn alone(json: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    Packer::new(None)?.pack(json, None, &mut out)?;
    Ok(out)
}

/// How many rows a migration reads and rewrites at a time.
const REWRITE_ROWS: i64 = 10_000;

/// What the migration that brought bodies needs of a store, one per backend.
pub(crate) trait Rewrite {
    type Error;
    /// Up to `limit` rows of `run` after row `after`, in row order: (row id, the
    /// stored JSON, the raw row).
    #[allow(clippy::type_complexity)]
    fn rows(
        &mut self,
        run: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, Option<String>)>, Self::Error>;
    fn set_dictionary(&mut self, run: i64, dictionary: &[u8]) -> Result<(), Self::Error>;
    fn set_body(&mut self, row: i64, body: &[u8]) -> Result<(), Self::Error>;
    fn failed(error: std::io::Error) -> Self::Error;
}

/// Compresses every stored report of `runs` into its body, run by run: the run's
/// first rows train its dictionary, as an import of them would have.
pub(crate) fn rewrite_runs<R: Rewrite>(store: &mut R, runs: &[i64]) -> Result<(), R::Error> {
    for &run in runs {
        let mut after = 0i64;
        let mut decided: Option<Option<Dictionary>> = None;
        loop {
            let rows = store.rows(run, after, REWRITE_ROWS)?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            let dictionary = match &decided {
                Some(dictionary) => dictionary.clone(),
                None => {
                    let trained = train_on(rows.iter().map(|(_, json, raw)| {
                        (json.as_bytes(), raw.as_deref().map(str::as_bytes))
                    }));
                    if let Some(trained) = &trained {
                        store.set_dictionary(run, trained)?;
                    }
                    decided = Some(trained.clone());
                    trained
                }
            };
            let mut packer =
                Packer::new(dictionary.as_deref().map(Vec::as_slice)).map_err(R::failed)?;
            let mut body = Vec::new();
            for (id, json, raw) in &rows {
                body.clear();
                packer
                    .pack(
                        json.as_bytes(),
                        raw.as_deref().map(str::as_bytes),
                        &mut body,
                    )
                    .map_err(R::failed)?;
                store.set_body(*id, &body)?;
            }
        }
    }
    Ok(())
}

/// The uncompressed body: the JSON, then a newline and the raw row when there is one.
pub(crate) fn joined(json: &[u8], raw: Option<&[u8]>, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(json);
    if let Some(raw) = raw {
        out.push(b'\n');
        out.extend_from_slice(raw);
    }
}

/// Whether reading `body` back needs its run's dictionary.
pub(crate) fn needs_dictionary(body: &[u8]) -> bool {
    body.first() == Some(&WITH_RUN_DICTIONARY)
}

/// Reads bodies back. Loading a dictionary costs far more than decompressing one
/// small body, so each run's dictionary is loaded once, into a decompressor kept
/// for the run's other bodies.
#[derive(Default)]
pub(crate) struct Unpacker {
    alone: Option<zstd::bulk::Decompressor<'static>>,
    /// By run; `None` for a run that has no dictionary.
    by_run: HashMap<i64, Option<zstd::bulk::Decompressor<'static>>>,
}

impl Unpacker {
    /// The stored JSON of a body of run `run` and its raw row's JSON, if it keeps
    /// one. `dictionary` gives a run's dictionary; it is asked once a run, the first
    /// time one of the run's bodies needs it, and its error is returned as is.
    pub(crate) fn unpack<E>(
        &mut self,
        body: &[u8],
        run: i64,
        dictionary: impl FnOnce(i64) -> Result<Option<Vec<u8>>, E>,
    ) -> Result<Result<(String, Option<String>), BodyError>, E> {
        let Some((&layout, frame)) = body.split_first() else {
            return Ok(Err(BodyError::Empty));
        };
        let decompressor = match layout {
            PLAIN => match &mut self.alone {
                Some(decompressor) => decompressor,
                empty => match zstd::bulk::Decompressor::new() {
                    Ok(decompressor) => empty.insert(decompressor),
                    Err(e) => return Ok(Err(BodyError::Frame(e))),
                },
            },
            WITH_RUN_DICTIONARY => {
                let loaded = match self.by_run.entry(run) {
                    Entry::Occupied(entry) => entry.into_mut(),
                    Entry::Vacant(entry) => {
                        let loaded = match dictionary(run)? {
                            Some(dictionary) => {
                                match zstd::bulk::Decompressor::with_dictionary(&dictionary) {
                                    Ok(decompressor) => Some(decompressor),
                                    Err(e) => return Ok(Err(BodyError::Frame(e))),
                                }
                            }
                            None => None,
                        };
                        entry.insert(loaded)
                    }
                };
                match loaded {
                    Some(decompressor) => decompressor,
                    None => return Ok(Err(BodyError::MissingDictionary)),
                }
            }
            other => return Ok(Err(BodyError::UnknownLayout(other))),
        };
        Ok(decompressed(decompressor, frame))
    }
}

/// The JSON and raw row of a body's frame.
fn decompressed(
    decompressor: &mut zstd::bulk::Decompressor<'_>,
    frame: &[u8],
) -> Result<(String, Option<String>), BodyError> {
    let size = zstd::bulk::Decompressor::upper_bound(frame)
        .unwrap_or(LARGEST_BODY)
        .min(LARGEST_BODY);
    let plain = decompressor
        .decompress(frame, size)
        .map_err(BodyError::Frame)?;
    let text = String::from_utf8(plain).map_err(|_| BodyError::NotText)?;
    Ok(match text.split_once('\n') {
        Some((json, raw)) => (json.to_string(), Some(raw.to_string())),
        None => (text, None),
    })
}

/// [`Unpacker::unpack`] of one body, with its run's dictionary given.
#[cfg(test)]
fn unpack(body: &[u8], dictionary: Option<&[u8]>) -> Result<(String, Option<String>), BodyError> {
    Unpacker::default()
        .unpack(body, 0, |_| {
            Ok::<_, std::convert::Infallible>(dictionary.map(<[u8]>::to_vec))
        })
        .unwrap_or_else(|never| match never {})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| {
                (
                    format!(
                        r#"{{"provenance":{{"source":"acled","source_id":"SYR{i}"}},"kind":"air-strike","summary":"line\nbreak {i}"}}"#
                    ),
                    format!(r#"["SYR{i}","2016-09-{:02}","Air/drone strike"]"#, i % 28 + 1),
                )
            })
            .collect()
    }

    fn pack_all(dictionary: Option<&[u8]>, rows: &[(String, String)]) -> Vec<Vec<u8>> {
        let mut packer = Packer::new(dictionary).expect("a compressor");
        rows.iter()
            .enumerate()
            .map(|(i, (json, raw))| {
                let mut out = Vec::new();
                let raw = (i % 3 != 0).then_some(raw.as_bytes());
                packer.pack(json.as_bytes(), raw, &mut out).expect("packs");
                out
            })
            .collect()
    }

    #[test]
    fn bodies_read_back_what_was_packed_with_and_without_a_dictionary() {
        let rows = rows(500);
        let mut plain = Vec::new();
        let samples: Vec<Vec<u8>> = rows
            .iter()
            .map(|(json, raw)| {
                joined(json.as_bytes(), Some(raw.as_bytes()), &mut plain);
                plain.clone()
            })
            .collect();
        let samples: Vec<&[u8]> = samples.iter().map(Vec::as_slice).collect();
        let dictionary = train(&samples).expect("500 rows train a dictionary");
        for dictionary in [None, Some(dictionary.as_slice())] {
            for (i, body) in pack_all(dictionary, &rows).iter().enumerate() {
                let (json, raw) = unpack(body, dictionary).expect("reads back");
                assert_eq!(json, rows[i].0);
                assert_eq!(raw.as_deref(), (i % 3 != 0).then_some(rows[i].1.as_str()));
            }
        }
        assert!(train(&samples[..10]).is_none(), "ten rows train nothing");
    }

    #[test]
    fn a_body_that_needs_its_dictionary_or_is_damaged_is_an_error_not_a_panic() {
        let rows = rows(200);
        let samples: Vec<&[u8]> = rows.iter().map(|(json, _)| json.as_bytes()).collect();
        let dictionary = train(&samples).expect("a dictionary");
        let body = &pack_all(Some(&dictionary), &rows)[1];
        assert!(matches!(
            unpack(body, None),
            Err(BodyError::MissingDictionary)
        ));
        assert!(matches!(unpack(&[], None), Err(BodyError::Empty)));
        assert!(matches!(
            unpack(&[7, 1, 2], None),
            Err(BodyError::UnknownLayout(7))
        ));
        for cut in 1..body.len() {
            let _ = unpack(&body[..cut], Some(&dictionary));
        }
        let mut flipped = body.clone();
        for i in 1..flipped.len() {
            flipped[i] ^= 0x5a;
            let _ = unpack(&flipped, Some(&dictionary));
            flipped[i] ^= 0x5a;
        }
    }
}
