//! What `run.json` and `README.txt` say, made from the run's signed entries and the signed
//! checkpoint alone: `export` writes exactly this, and `verify-bundle` makes it again and
//! compares, so an edit to either file is named even when `SHA256SUMS` was rebuilt.

use super::{
    CHECKPOINT, FORMAT, LEDGER, OPERATORS, README, RUN, RUNBOOK_FOLDER, Reference, RunManifest,
    SUMS, Store, is_plain_name,
};
use crate::engine::Event;
use crate::engine::event::RunStarted;
use crate::ledger::Entry;
use crate::ledger::checkpoint::Checkpoint;
use std::path::Path;

/// `run.json` of run `run`, whose entries (in order, the first its run-started) are `entries`,
/// exported with `checkpoint`.
pub fn manifest(
    run: &str,
    started: &RunStarted,
    entries: &[&Entry],
    checkpoint: &Checkpoint,
) -> RunManifest {
    RunManifest {
        format: FORMAT,
        run: run.to_owned(),
        seqs: entries.iter().map(|e| e.seq).collect(),
        runbook: runbook_path(started),
        runbook_source: started.path.clone(),
        status: status_of(entries.last().map(|e| &e.event)).to_owned(),
        exported_at: checkpoint.time.clone(),
        exported_by: checkpoint.signer.clone(),
    }
}

/// Where the runbook file goes in the bundle: `runbook/<its file name>`.
pub fn runbook_path(started: &RunStarted) -> String {
    let file_name = Path::new(&started.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| is_plain_name(n))
        .unwrap_or_else(|| "runbook.toml".to_owned());
    format!("{RUNBOOK_FOLDER}/{file_name}")
}

fn status_of(last: Option<&Event>) -> &'static str {
    match last {
        Some(Event::RunCompleted {}) => "completed",
        Some(Event::RunAborted { .. }) => "aborted",
        _ => "unfinished",
    }
}

/// Each way `run.json` (`given`) and `README.txt` (`readme`, when it could be read) differ
/// from what the signed entries and checkpoint say, by file.
pub fn differences(
    given: &RunManifest,
    readme_bytes: Option<&[u8]>,
    rebuilt: &RunManifest,
    title: &str,
    references: &[Reference],
) -> Vec<(&'static str, String)> {
    let mut found: Vec<(&'static str, String)> = manifest_differences(given, rebuilt)
        .into_iter()
        .map(|what| (RUN, what))
        .collect();
    if let Some(bytes) = readme_bytes
        && let Some(what) = readme_difference(bytes, &readme(rebuilt, title, references))
    {
        found.push((README, what));
    }
    found
}

/// Each field of `given` that is not what the entries say (`seqs` is checked on its own).
fn manifest_differences(given: &RunManifest, rebuilt: &RunManifest) -> Vec<String> {
    let fields = [
        ("runbook", &given.runbook, &rebuilt.runbook),
        (
            "runbook_source",
            &given.runbook_source,
            &rebuilt.runbook_source,
        ),
        ("status", &given.status, &rebuilt.status),
        ("exported_at", &given.exported_at, &rebuilt.exported_at),
        ("exported_by", &given.exported_by, &rebuilt.exported_by),
    ];
    fields
        .into_iter()
        .filter(|(_, given, rebuilt)| given != rebuilt)
        .map(|(field, given, rebuilt)| {
            format!(
                "field `{field}` says {given:?}, but the signed entries and checkpoint say {rebuilt:?}: run.json was edited"
            )
        })
        .collect()
}

/// The first line where `given` differs from `rebuilt`, if any.
fn readme_difference(given: &[u8], rebuilt: &str) -> Option<String> {
    let given = String::from_utf8_lossy(given);
    if given == rebuilt {
        return None;
    }
    let mut theirs = given.lines();
    let mut ours = rebuilt.lines();
    for number in 1.. {
        match (theirs.next(), ours.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => break,
            (a, b) => {
                let shown = |line: Option<&str>| match line {
                    Some(line) => format!("{:?}", line.chars().take(120).collect::<String>()),
                    None => "nothing".to_owned(),
                };
                return Some(format!(
                    "line {number} says {}, but the text made from the signed entries says {}: README.txt was edited",
                    shown(a),
                    shown(b)
                ));
            }
        }
    }
    Some(
        "its line endings differ from the text made from the signed entries: README.txt was edited"
            .to_owned(),
    )
}

/// `README.txt` of the bundle of `manifest`, whose entries reference `references`.
pub fn readme(manifest: &RunManifest, title: &str, references: &[Reference]) -> String {
    let count = |store| references.iter().filter(|r| r.store == store).count();
    format!(
        "Evidence bundle of run {run} ({title})
exported {time} by {by} with owner-console (bundle format {FORMAT}).

What is here
  {LEDGER}           the signed, hash-chained ledger up to the checkpoint, byte for byte
                         (the run's {n} entries are seqs {first}..{last_seq}; {RUN} lists them)
  {RUN}               the run's id, status ({status}) and entry seqs
  {runbook:<22} the runbook file, as hashed when the run started
  evidence/<sha256>      {evidence} file(s) the run's entries reference, each named by its SHA-256
  batches/<file>         {batches} Safe batch(es), as hashed when prepared (batch-prepared)
  receipts/<net>/<file>  {receipts} transaction receipt(s), as hashed when checked (receipt-checked)
  snapshots/<file>       {snapshots} signed state snapshot(s) the run read, of the block it recorded
  {OPERATORS}  the operators (addresses, roles) the ledger was checked against
  {CHECKPOINT}        the ledger's size and head hash, signed by the exporter
  {SUMS}             the SHA-256 of every other file

How to check it
  1. sha256sum -c {SUMS}          (macOS: shasum -a 256 -c {SUMS})
     Every file is intact.
  2. owner-console verify-bundle <this folder or the .tar.gz>
     Offline: every file's hash, the chain, every signature, the signers against
     {OPERATORS} (or --operators FILE, a list you trust), the checkpoint, the
     runbook's hash, every evidence file, every batch and receipt against the hash
     its entry recorded, every snapshot against its block and signature, and {RUN}
     and this text against what the signed entries say.
     It names each failure and exits 1 on any.
",
        run = manifest.run,
        time = manifest.exported_at,
        by = manifest.exported_by,
        n = manifest.seqs.len(),
        first = manifest.seqs.first().copied().unwrap_or(0),
        last_seq = manifest.seqs.last().copied().unwrap_or(0),
        status = manifest.status,
        runbook = manifest.runbook,
        evidence = count(Store::Evidence),
        batches = count(Store::Batches),
        receipts = count(Store::Receipts),
        snapshots = count(Store::Snapshots),
    )
}
