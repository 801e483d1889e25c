//! `truce bracket resolve`: the parties settle a bracketed term by signing it.
//!
//! Each party the agreement names in the bracket's `resolved_by` signs the same
//! statement — this agreement version, this bracket, this alternative — with its
//! key. Every signature is appended to the ledger as it comes. The resolution takes
//! effect only when all of them have signed: then a new agreement version is written
//! with the bracket resolved (the old one stays in the store and the ledger), and the
//! resolution, with every signature, is appended too.

use crate::ledger;
use anyhow::{Context, Result, bail};
use std::path::Path;
use truce_audit::{Note, VerifierKey, open_note};
use truce_mission::record::{BracketResolution, BracketSignature, Record, Signature};
use truce_model::agreement::{Agreement, Alternative};
use truce_store::Storage;

/// The text every signer signs: what is settled, on which version.
fn statement(
    agreement: &Agreement,
    version_sha256: &str,
    bracket: &str,
    alternative: &str,
) -> String {
    format!(
        "truce bracket resolution\nagreement {}\nversion {version_sha256}\nbracket {bracket}\nalternative {alternative}\n",
        agreement.id
    )
}

/// The alternative named on the command line, as the agreement writes it.
fn alternative_index(agreement: &Agreement, bracket: usize, text: &str) -> Option<usize> {
    let wanted = text.trim().to_ascii_lowercase();
    agreement.brackets[bracket]
        .alternatives
        .iter()
        .position(|a| match a {
            Alternative::Number(n) => wanted.parse::<f64>().ok() == Some(*n),
            Alternative::Included(true) => matches!(wanted.as_str(), "included" | "true" | "in"),
            Alternative::Included(false) => {
                matches!(wanted.as_str(), "left out" | "left-out" | "false" | "out")
            }
        })
}

/// The agreement's text with `resolved = …` set in the bracket's table, every other
/// line (comments included) as it was.
fn resolved_text(source: &str, bracket: &str, value: &str) -> Option<String> {
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let is_header = |l: &str| l.trim_start().starts_with('[');
    let id_line = format!("id = \"{bracket}\"");
    let mut start = None;
    for (i, line) in lines.iter().enumerate() {
        if line.trim() == "[[bracket]]" {
            let end = (i + 1..lines.len())
                .find(|&j| is_header(lines[j]))
                .unwrap_or(lines.len());
            if lines[i + 1..end].iter().any(|l| l.trim() == id_line) {
                start = Some((i, end));
                break;
            }
        }
    }
    let (header, end) = start?;
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let setting = format!("resolved = {value}\n");
    match (header + 1..end).find(|&j| lines[j].trim_start().starts_with("resolved =")) {
        Some(j) => out[j] = setting,
        None => {
            let id = (header + 1..end).find(|&j| lines[j].trim() == id_line)?;
            out.insert(id + 1, setting);
        }
    }
    Some(out.concat())
}

/// The signatures the ledger holds for this statement, by party.
fn signatures_so_far(store: &mut dyn Storage, text: &str) -> Result<Vec<(String, String)>> {
    let mut found = Vec::new();
    let len = store.ledger_len()?;
    for entry in store.ledger_entries(0, len)? {
        if !truce_mission::record::RecordKind::BracketSignature.is(&entry.kind) {
            continue;
        }
        if let Ok(Record::BracketSignature(signature)) = Record::parse(&entry.record)
            && signature.statement == text
        {
            found.push((signature.party, signature.note));
        }
    }
    Ok(found)
}

/// `truce bracket resolve AGREEMENT BRACKET=ALTERNATIVE --key KEY --db PATH [--out FILE]`.
///
/// The resolution's steps in the order a party's liaison takes them — which
/// bracket and alternative, whose key, the signatures so far, this party's
/// signature, and once every named party has signed, the new version written,
/// recorded and explained — each refusing with what to do instead; kept as one
/// story (some 200 lines) because each step's message names what the ones
/// before found.
pub fn resolve(
    agreement_path: &Path,
    agreement: &Agreement,
    source: &str,
    choice: &str,
    key: &Path,
    db: &Path,
    out: Option<&Path>,
) -> Result<String> {
    let Some((bracket_id, alternative_text)) = choice.split_once('=') else {
        bail!("`{choice}` is not BRACKET=ALTERNATIVE (e.g. `calm-days=10`)");
    };
    let Some(b) = agreement.brackets.iter().position(|x| x.id == bracket_id) else {
        let known: Vec<&str> = agreement.brackets.iter().map(|x| x.id.as_str()).collect();
        bail!(
            "the agreement has no bracket `{bracket_id}` (it has {})",
            known.join(", ")
        );
    };
    let bracket = &agreement.brackets[b];
    let Some(alternative) = alternative_index(agreement, b, alternative_text) else {
        let known: Vec<String> = bracket.alternatives.iter().map(|a| a.to_string()).collect();
        bail!(
            "`{alternative_text}` is not an alternative of bracket `{bracket_id}` ({})",
            known.join(", ")
        );
    };
    if bracket.signers.is_empty() {
        bail!(
            "bracket `{bracket_id}` names no one who must sign its resolution (`resolved_by` in the agreement); nothing was signed"
        );
    }
    let signer = ledger::read_signer(key)?;
    let public = signer.verifier_key().to_string();
    let party = agreement
        .parties
        .iter()
        .position(|p| p.keys.contains(&public))
        .with_context(|| {
            format!(
                "the key `{}` is not listed for any party of the agreement (`[[party]] keys`); nothing was signed",
                signer.name()
            )
        })?;
    if !bracket.signers.contains(&party) {
        bail!(
            "party `{}` is not among those who resolve bracket `{bracket_id}` (`resolved_by`: {}); nothing was signed",
            agreement.parties[party].id,
            bracket
                .signers
                .iter()
                .map(|&p| agreement.parties[p].id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let mut store = truce_store::open_storage(&db.to_string_lossy())?;
    let version = store.record_agreement(
        &agreement_path.display().to_string(),
        source,
        &crate::store::now(),
    )?;
    if version.new {
        truce_mission::record_agreement_version(
            store.as_mut(),
            agreement,
            agreement_path,
            &agreement_path.display().to_string(),
            source,
            &version.sha256,
            None,
            &crate::store::now(),
        )?;
    }
    let alternative_shown = bracket.alternatives[alternative].to_string();
    let text = statement(agreement, &version.sha256, bracket_id, &alternative_shown);
    let mut signed = signatures_so_far(store.as_mut(), &text)?;
    let party_id = agreement.parties[party].id.clone();
    let mut out_text = String::new();
    if signed.iter().any(|(p, _)| *p == party_id) {
        out_text.push_str(&format!("{party_id} had already signed this resolution\n"));
    } else {
        let note =
            Note::sign(&text, &[&signer], 0).map_err(|e| anyhow::anyhow!("cannot sign: {e}"))?;
        let note_text = String::from_utf8_lossy(&note.to_bytes()).into_owned();
        let at = crate::store::now();
        let signature = BracketSignature {
            at: at.clone(),
            agreement: agreement.id.clone(),
            agreement_sha256: version.sha256.clone(),
            bracket: bracket_id.to_string(),
            alternative: alternative_shown.clone(),
            party: party_id.clone(),
            key: public.clone(),
            statement: text.clone(),
            note: note_text.clone(),
        };
        let index =
            truce_mission::append(store.as_mut(), &Record::BracketSignature(signature), &at)?;
        out_text.push_str(&format!(
            "{party_id} signed `{bracket_id}` = {alternative_shown} (ledger entry {index})\n"
        ));
        signed.push((party_id.clone(), note_text));
    }
    // Every signature is checked again against the keys the agreement lists: the
    // resolution stands on them, not on the ledger's say-so.
    let mut valid = Vec::new();
    for (p, note) in &signed {
        let Some(party) = agreement.parties.iter().find(|x| &x.id == p) else {
            continue;
        };
        let keys: Vec<VerifierKey> = party
            .keys
            .iter()
            .filter_map(|k| VerifierKey::parse(k).ok())
            .collect();
        if let Ok(opened) = open_note(note.as_bytes(), &keys)
            && opened.note.text == text
            && !opened.verified.is_empty()
        {
            valid.push(p.clone());
        }
    }
    let missing: Vec<&str> = bracket
        .signers
        .iter()
        .map(|&p| agreement.parties[p].id.as_str())
        .filter(|p| !valid.iter().any(|v| v == p))
        .collect();
    if !missing.is_empty() {
        out_text.push_str(&format!(
            "not in effect yet: waiting for the signature of {}\n",
            missing.join(", ")
        ));
        return Ok(out_text);
    }
    let value = match bracket.alternatives[alternative] {
        Alternative::Number(_) => alternative_shown.clone(),
        Alternative::Included(included) => included.to_string(),
    };
    let new_text = resolved_text(source, bracket_id, &value).with_context(|| {
        format!("cannot find bracket `{bracket_id}`'s table in the agreement's text")
    })?;
    let target = out.unwrap_or(agreement_path);
    // The new version must load and say what was signed before it is written.
    let base = agreement_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let loaded = truce_model::agreement::load(
        &target.display().to_string(),
        &new_text,
        &crate::files::RelativeFiles::new(base),
    );
    let resolved_ok = loaded
        .agreement
        .as_ref()
        .and_then(|a| a.brackets.iter().find(|x| x.id == bracket_id))
        .and_then(|x| x.resolved)
        == Some(alternative);
    if !resolved_ok {
        bail!("the resolved agreement does not load as expected; nothing was written");
    }
    std::fs::write(target, &new_text)
        .with_context(|| format!("cannot write `{}`", target.display()))?;
    let name = target.display().to_string();
    let new_version = store.record_agreement(&name, &new_text, &crate::store::now())?;
    if let Some(new_agreement) = &loaded.agreement {
        truce_mission::record_agreement_version(
            store.as_mut(),
            new_agreement,
            target,
            &name,
            &new_text,
            &new_version.sha256,
            None,
            &crate::store::now(),
        )?;
    }
    let at = crate::store::now();
    let resolution = BracketResolution {
        at: at.clone(),
        agreement: agreement.id.clone(),
        from_sha256: version.sha256.clone(),
        to_sha256: new_version.sha256.clone(),
        bracket: bracket_id.to_string(),
        alternative: alternative_shown.clone(),
        signed_by: valid.clone(),
        signatures: signed
            .iter()
            .map(|(party, note)| Signature {
                party: party.clone(),
                note: note.clone(),
            })
            .collect(),
    };
    let index = truce_mission::append(store.as_mut(), &Record::BracketResolution(resolution), &at)?;
    out_text.push_str(&format!(
        "in effect: `{bracket_id}` = {alternative_shown}, signed by {}; new agreement version {} written to {} (ledger entry {index}); the old version stays in the store\n",
        valid.join(" and "),
        &new_version.sha256[..12],
        target.display()
    ));
    Ok(out_text)
}
