//! `verify-bundle`: checks a bundle offline and names every failure: `SHA256SUMS` (each
//! file's hash, files missing, files unlisted), the ledger (hashes, chain, signatures, signers)
//! against the checkpoint, which must be of the ledger's end, the run's entries, the runbook's
//! hash and every evidence file the run references.

use super::finding::Finding;
use super::limits::Limits;
use super::{
    CHECKPOINT, FORMAT, LEDGER, OPERATORS, README, RUN, RUNBOOK_FOLDER, RunManifest, SUMS, Store,
    archive, claims, inventory, is_sha256, members, parse_sums, plain_relative, references,
};
use crate::engine::Event;
use crate::ledger::checkpoint::Checkpoint;
use crate::ledger::operators::Operators;
use crate::ledger::store::parse;
use crate::ledger::verify::{Fault, verify};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, Default, Serialize)]
pub struct BundleReport {
    pub bundle: String,
    pub run: Option<String>,
    /// Where the operators list that the signers were checked against came from.
    pub operators: String,
    /// Files listed in `SHA256SUMS`.
    pub files: usize,
    pub ledger_entries: usize,
    pub run_entries: usize,
    pub evidence: usize,
    pub checkpoint: Option<u64>,
    pub findings: Vec<Finding>,
}

impl BundleReport {
    pub fn passed(&self) -> bool {
        self.findings.is_empty()
    }

    fn found(&mut self, file: &str, seq: Option<u64>, what: String) {
        self.findings.push(Finding {
            file: file.to_owned(),
            seq,
            line: None,
            what,
        });
    }
}

/// Checks the bundle at `path` (a folder or a `.tar.gz`), held to `limits` (a bundle over a
/// cap is refused before its files are written, hashed or read). The signers are checked
/// against `trusted` (operators and where they came from) when given, else against the
/// bundle's own `config/operators.toml`.
pub fn verify_bundle(
    path: &Path,
    trusted: Option<(Operators, String)>,
    limits: &Limits,
) -> BundleReport {
    let mut report = BundleReport {
        bundle: path.display().to_string(),
        ..BundleReport::default()
    };
    match std::fs::metadata(path) {
        Err(error) => report.found(&report.bundle.clone(), None, error.to_string()),
        Ok(metadata) if metadata.is_dir() => check_folder(path, trusted, limits, &mut report),
        Ok(_) => match archive::unpack(path, limits) {
            Ok(unpacked) => check_folder(&unpacked.root, trusted, limits, &mut report),
            Err(findings) => report.findings = findings,
        },
    }
    report
}

fn check_folder(
    root: &Path,
    trusted: Option<(Operators, String)>,
    limits: &Limits,
    report: &mut BundleReport,
) {
    let Some(present) = check_sums(root, limits, report) else {
        return;
    };
    let manifest =
        read(root, RUN, report).and_then(|bytes| parsed::<RunManifest>(RUN, &bytes, report));
    let operators = match trusted {
        Some((operators, source)) => {
            report.operators = source;
            operators
        }
        None => {
            report.operators = format!("the bundle's own {OPERATORS}");
            read(root, OPERATORS, report)
                .and_then(|bytes| {
                    Operators::parse(&String::from_utf8_lossy(&bytes))
                        .map_err(|why| report.found(OPERATORS, None, why.to_string()))
                        .ok()
                })
                .unwrap_or_default()
        }
    };
    let checkpoint = read(root, CHECKPOINT, report)
        .and_then(|bytes| parsed::<Checkpoint>(CHECKPOINT, &bytes, report))
        .filter(|c| {
            let why = if c.entries == 0 {
                "records 0 entries"
            } else if !is_sha256(&c.head) {
                "its head is not a SHA-256 (64 lowercase hex)"
            } else {
                return true;
            };
            report.found(CHECKPOINT, None, why.to_owned());
            false
        });
    let bytes = match members::read_ledger(root, LEDGER, limits.max_file_bytes) {
        Ok(bytes) => bytes,
        Err((line, what)) => {
            report.findings.push(Finding {
                file: LEDGER.to_owned(),
                seq: None,
                line,
                what,
            });
            return;
        }
    };
    check_ledger(&bytes, &operators, checkpoint.as_ref(), report);
    let Some(manifest) = manifest else {
        return;
    };
    report.run = Some(manifest.run.clone());
    if manifest.format != FORMAT {
        let what = format!(
            "format {} is not one this version reads ({FORMAT}, which binds batches, receipts, run.json and README.txt to the signed entries): export the run again",
            manifest.format
        );
        report.found(RUN, None, what);
    }
    let contents = parse(&bytes);
    let entries: Vec<_> = contents
        .entries
        .iter()
        .filter(|e| e.run == manifest.run)
        .collect();
    report.run_entries = entries.len();
    let seqs: Vec<u64> = entries.iter().map(|e| e.seq).collect();
    if seqs != manifest.seqs {
        let listed: BTreeSet<_> = manifest.seqs.iter().collect();
        let held: BTreeSet<_> = seqs.iter().collect();
        let missing: Vec<_> = listed.difference(&held).collect();
        let extra: Vec<_> = held.difference(&listed).collect();
        report.found(
            RUN,
            None,
            format!(
                "lists the entries of run {} as seqs {}, but {LEDGER} holds them at seqs {} (listed but not held: {}; held but not listed: {})",
                manifest.run,
                seq_list(&manifest.seqs),
                seq_list(&seqs),
                seq_list(missing.into_iter().copied()),
                seq_list(extra.into_iter().copied())
            ),
        );
    }
    let Some(first) = entries.first() else {
        return;
    };
    match &first.event {
        Event::RunStarted(started) => match plain_relative(&manifest.runbook) {
            Ok(_) if manifest.runbook.starts_with(&format!("{RUNBOOK_FOLDER}/")) => {
                match members::sha256(root, &manifest.runbook) {
                    Err(why) => report.found(&manifest.runbook, None, why.to_string()),
                    Ok(sha256) if sha256 != started.sha256 => report.found(
                        &manifest.runbook,
                        Some(first.seq),
                        format!(
                            "its SHA-256 is {sha256}, but run-started recorded {}: this is not the runbook the run followed",
                            started.sha256
                        ),
                    ),
                    Ok(_) => {}
                }
            }
            Ok(_) => report.found(
                RUN,
                None,
                format!(
                    "the runbook `{}` is not under {RUNBOOK_FOLDER}/",
                    manifest.runbook
                ),
            ),
            Err(why) => report.found(RUN, None, format!("the runbook path: {why}")),
        },
        other => report.found(
            LEDGER,
            Some(first.seq),
            format!(
                "the first entry of run {} is {}, not run-started",
                manifest.run,
                other.type_name()
            ),
        ),
    }
    let referenced = references(entries.iter().copied());
    report.evidence = referenced.len();
    for reference in &referenced {
        let seq = Some(reference.seq);
        let path = reference.path();
        if let Some(why) = reference.bad_name() {
            report.found(LEDGER, seq, format!("{}: {why}", reference.what));
            continue;
        }
        if reference.store == Store::Snapshots {
            let content = match members::read_document(root, &path) {
                Ok(content) => content,
                Err(why) => {
                    report.found(&path, seq, format!("{why} (the {})", reference.what));
                    continue;
                }
            };
            if let Some(why) = reference.mismatch(&content) {
                let changed = format!("{why}: the {} was changed", reference.what);
                report.found(&path, seq, changed);
            } else if let Some(why) = reference.unlisted_signer(&content, &operators) {
                report.found(&path, seq, why);
            }
            continue;
        }
        let sha256 = match members::sha256(root, &path) {
            Ok(sha256) => sha256,
            Err(why) => {
                report.found(&path, seq, format!("{why} (the {})", reference.what));
                continue;
            }
        };
        if let Some(why) = reference.sha256_mismatch(&sha256) {
            let changed = format!("{why}: the {} was changed", reference.what);
            report.found(&path, seq, changed);
        }
    }
    if let (Some(checkpoint), Event::RunStarted(started)) = (&checkpoint, &first.event) {
        let rebuilt = claims::manifest(&manifest.run, started, &entries, checkpoint);
        let readme = read(root, README, report);
        let title = &started.title;
        for (file, what) in
            claims::differences(&manifest, readme.as_deref(), &rebuilt, title, &referenced)
        {
            report.found(file, None, what);
        }
    }
    let named: BTreeSet<String> = referenced.iter().map(|r| r.path()).collect();
    for file in present.keys() {
        let stored = ["evidence/", "receipts/", "batches/", "snapshots/"]
            .iter()
            .any(|folder| file.starts_with(folder));
        if stored && !named.contains(file) {
            report.found(
                file,
                None,
                format!("no entry of run {} references it", manifest.run),
            );
        }
    }
}

/// Checks `SHA256SUMS` against the files; returns the files present (relative path → whether
/// it is a regular file), or None when the bundle crosses a cap (then nothing is hashed).
fn check_sums(
    root: &Path,
    limits: &Limits,
    report: &mut BundleReport,
) -> Option<BTreeMap<String, bool>> {
    let listed = inventory::take(root, limits).map_err(|crossed| report.findings.push(crossed));
    let inventory = listed.ok()?;
    report.findings.extend(inventory.findings);
    let present = inventory.present;
    let Some(bytes) = read(root, SUMS, report) else {
        return Some(present);
    };
    let (lines, bad) = parse_sums(&String::from_utf8_lossy(&bytes));
    for (line, why) in bad {
        report.findings.push(Finding {
            file: SUMS.to_owned(),
            seq: None,
            line: Some(line),
            what: why,
        });
    }
    report.files = lines.len();
    let mut listed = BTreeSet::new();
    for sum in &lines {
        let mut found = |what: String| {
            report.findings.push(Finding {
                file: SUMS.to_owned(),
                seq: None,
                line: Some(sum.line),
                what,
            })
        };
        if let Err(why) = plain_relative(&sum.path) {
            found(why.to_string());
            continue;
        }
        if !listed.insert(sum.path.clone()) {
            found(format!("`{}` is listed twice", sum.path));
            continue;
        }
        match present.get(&sum.path) {
            None => found(format!(
                "lists `{}`, which is missing from the bundle (deleted?)",
                sum.path
            )),
            Some(false) => {} // a link or a special file: reported by the walk
            Some(true) => match members::sha256(root, &sum.path) {
                Err(error) => found(format!("`{}`: {error}", sum.path)),
                Ok(hash) if hash != sum.hash => report.found(
                    &sum.path,
                    None,
                    format!(
                        "its SHA-256 is {hash}, but {SUMS} (line {}) lists {}: the file was changed",
                        sum.line, sum.hash
                    ),
                ),
                Ok(_) => {}
            },
        }
    }
    for file in present.keys() {
        if file != SUMS && !listed.contains(file) {
            report.found(
                file,
                None,
                format!("is not listed in {SUMS} (added after the export?)"),
            );
        }
    }
    Some(present)
}

/// A small document of the bundle, whole; its failure a finding.
fn read(root: &Path, relative: &str, report: &mut BundleReport) -> Option<Vec<u8>> {
    members::read_document(root, relative)
        .map_err(|why| report.found(relative, None, why.to_string()))
        .ok()
}

fn parsed<T: serde::de::DeserializeOwned>(
    file: &str,
    bytes: &[u8],
    report: &mut BundleReport,
) -> Option<T> {
    serde_json::from_slice(bytes)
        .map_err(|error| report.found(file, None, format!("unreadable: {error}")))
        .ok()
}

fn check_ledger(
    bytes: &[u8],
    operators: &Operators,
    checkpoint: Option<&Checkpoint>,
    report: &mut BundleReport,
) {
    let verified = verify(bytes, operators, checkpoint);
    report.ledger_entries = verified.entries;
    report.checkpoint = verified.checkpoint;
    for finding in verified.findings {
        let file = if finding.fault == Fault::CheckpointMismatch {
            CHECKPOINT
        } else {
            LEDGER
        };
        report.findings.push(Finding {
            file: file.to_owned(),
            seq: finding.seq,
            line: finding.line,
            what: format!("{}: {}", finding.fault.name(), finding.detail),
        });
    }
    let Some(checkpoint) = checkpoint else {
        return;
    };
    if operators.by_address(&checkpoint.signer).is_none() {
        let what = format!(
            "signed by {}, who is not among the operators ({})",
            checkpoint.signer, report.operators
        );
        report.found(CHECKPOINT, None, what);
    }
    let last = parse(bytes).entries.into_iter().max_by_key(|e| e.seq);
    if let Some(last) = last
        && checkpoint.entries < last.seq + 1
    {
        report.found(
            CHECKPOINT,
            None,
            format!(
                "records {} entries (head {}…), but {LEDGER} holds {} (head {}…): it is not the checkpoint of this ledger's end (an older one?)",
                checkpoint.entries,
                short(&checkpoint.head),
                last.seq + 1,
                short(&last.hash)
            ),
        );
    }
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// Sequence numbers as a reader writes them: `3, 4, 7`, or `none`.
fn seq_list<'a>(seqs: impl IntoIterator<Item = &'a u64>) -> String {
    let words: Vec<String> = seqs.into_iter().map(u64::to_string).collect();
    if words.is_empty() {
        "none".to_owned()
    } else {
        words.join(", ")
    }
}
