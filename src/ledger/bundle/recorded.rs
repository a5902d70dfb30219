//! The entry that recorded a stored file, found from the file's own place: a Safe batch at
//! `<bundle>/batches/<name>` beside the bundle's `ledger.jsonl` and `run.json`, or at
//! `<storage>/batches/<name>` beside the workspace's ledger. `batch show` checks a file
//! against it, so that a batch changed and its checksum recomputed does not pass for the one
//! its run prepared.

use super::{LEDGER, RUN, Reference, RunManifest, references};
use crate::ledger::store::{LEDGER_FILE, parse};
use std::path::{Path, PathBuf};

/// A file's record: the ledger that holds it, and the reference its entries make.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub ledger: PathBuf,
    pub run: String,
    pub reference: Reference,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("{}: {error}", .path.display())]
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: unreadable: {error}", .path.display())]
    BadManifest {
        path: PathBuf,
        error: serde_json::Error,
    },
    #[error("{}: no entry records {file}, though it lies beside this ledger", .ledger.display())]
    NotRecorded { ledger: PathBuf, file: String },
}

/// The record of the batch file at `file`, when a ledger lies where a bundle or a workspace
/// keeps one; `None` when there is none (a batch file on its own).
pub fn batch_record(file: &Path) -> Option<Result<Recorded, RecordError>> {
    let file = std::path::absolute(file).ok()?;
    let folder = file.parent()?;
    if folder.file_name()? != "batches" {
        return None;
    }
    let root = folder.parent()?;
    let name = file.file_name()?.to_string_lossy().into_owned();
    let relative = format!("batches/{name}");
    let bundle = (root.join(LEDGER), Some(root.join(RUN)));
    let storage = (root.join(LEDGER_FILE), None);
    let (ledger, manifest) = [bundle, storage].into_iter().find(|(ledger, manifest)| {
        ledger.is_file() && manifest.as_ref().is_none_or(|m| m.is_file())
    })?;
    Some(find(&ledger, manifest.as_deref(), &relative))
}

/// The last entry of the bundle's run (or of any run, in a workspace) that records `relative`.
fn find(ledger: &Path, manifest: Option<&Path>, relative: &str) -> Result<Recorded, RecordError> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|error| RecordError::Unreadable {
            path: path.to_path_buf(),
            error,
        })
    };
    let run = match manifest {
        Some(path) => {
            let manifest: RunManifest =
                serde_json::from_slice(&read(path)?).map_err(|error| RecordError::BadManifest {
                    path: path.to_path_buf(),
                    error,
                })?;
            Some(manifest.run)
        }
        None => None,
    };
    let contents = parse(&read(ledger)?);
    let entries = contents
        .entries
        .iter()
        .filter(|e| run.as_ref().is_none_or(|run| &e.run == run));
    let mut found = None;
    for entry in entries {
        let named = references(std::iter::once(entry))
            .into_iter()
            .find(|r| r.path() == relative);
        if let Some(reference) = named {
            found = Some(Recorded {
                ledger: ledger.to_path_buf(),
                run: entry.run.clone(),
                reference,
            });
        }
    }
    found.ok_or_else(|| RecordError::NotRecorded {
        ledger: ledger.to_path_buf(),
        file: relative.to_owned(),
    })
}
