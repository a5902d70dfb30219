//! The files a run's entries reference, and what each entry recorded of them: evidence by its
//! name (its SHA-256), batches and receipts by the SHA-256 their entry recorded, a state
//! snapshot by the block its entry read (and its own signature).

use super::{is_plain_name, is_sha256, sha256_hex};
use crate::engine::Event;
use crate::ledger::Entry;
use crate::workspace::snapshot::{SnapshotError, StateSnapshot};
use serde::Serialize;

/// Why a bundle's copy of a state snapshot does not read as one.
#[derive(Debug, thiserror::Error)]
enum SnapshotFileError {
    #[error("not UTF-8 text")]
    NotUtf8,
    /// No source: the message already says it.
    #[error("not a state snapshot: {0}")]
    NotASnapshot(SnapshotError),
}

/// Where the files entries reference are kept: stores under `storage/`, and the workspace's
/// state snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Store {
    /// `storage/evidence/<sha256>`: attachments, command output, HTTP bodies.
    Evidence,
    /// `storage/receipts/<network>/<name>`: transaction receipts archived at receipt steps.
    Receipts,
    /// `storage/batches/<name>`: Safe transaction batches prepared at safe-batch steps.
    Batches,
    /// A signed state snapshot of the workspace (`assets/demo-state.json`) that an offline
    /// run read, named in the bundle by its path with `_` for `/`.
    Snapshots,
}

impl Store {
    /// The folder under `storage/`, and the same folder in the bundle.
    pub fn folder(self) -> &'static str {
        match self {
            Self::Evidence => "evidence",
            Self::Receipts => "receipts",
            Self::Batches => "batches",
            Self::Snapshots => "snapshots",
        }
    }

    /// Whether a file's name is its SHA-256 (the content-addressed stores).
    pub fn content_addressed(self) -> bool {
        matches!(self, Self::Evidence)
    }
}

/// A file that an entry of the run references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The entry that recorded it (the last one, when several name a file that is rewritten
    /// in place, as a batch prepared again or a receipt checked again).
    pub seq: u64,
    pub store: Store,
    pub name: String,
    /// What the entry calls it (`stdout of step echo`, `attachment tx.json`).
    pub what: String,
    /// The SHA-256 of its bytes that the entry recorded, for a store whose names are not hashes
    /// (`batch-prepared`'s `file_sha256`, `receipt-checked`'s `sha256`); for a snapshot, the
    /// hash of the block it was read at.
    pub recorded: Option<String>,
    /// A snapshot's path in the workspace, as the entry names it.
    pub source: Option<String>,
}

impl Reference {
    /// The file's path in the bundle and, but for a snapshot, relative to `storage/`.
    pub fn path(&self) -> String {
        format!("{}/{}", self.store.folder(), self.name)
    }

    /// Why the name cannot be used as a file name, if it cannot.
    pub fn bad_name(&self) -> Option<String> {
        if self.store.content_addressed() {
            return (!is_sha256(&self.name))
                .then(|| format!("`{}` is not a SHA-256 (64 lowercase hex)", self.name));
        }
        // A receipt lies in its network's folder: `<network>/<file>`.
        let parts = match self.store {
            Store::Receipts => 2,
            _ => 1,
        };
        let plain =
            self.name.split('/').count() == parts && self.name.split('/').all(is_plain_name);
        (!plain).then(|| {
            format!(
                "`{}` is not a plain file name (letters, digits, `.`, `_`, `-`{})",
                self.name,
                if parts == 2 {
                    ", as <network>/<file>"
                } else {
                    ""
                }
            )
        })
    }

    /// Why `content` is not the file the entry recorded, if it is not.
    pub fn mismatch(&self, content: &[u8]) -> Option<String> {
        match &self.recorded {
            Some(block) if self.store == Store::Snapshots => self.snapshot_mismatch(content, block),
            _ => self.sha256_mismatch(&sha256_hex(content)),
        }
    }

    /// As [`Self::mismatch`], for a file that is not a snapshot, from its SHA-256 (streamed).
    pub fn sha256_mismatch(&self, sha256: &str) -> Option<String> {
        match &self.recorded {
            _ if self.store.content_addressed() => {
                (sha256 != self.name).then(|| format!("its SHA-256 is {sha256}, not its name"))
            }
            Some(recorded) => (!sha256.eq_ignore_ascii_case(recorded)).then(|| {
                format!(
                    "its SHA-256 is {sha256}, but the entry at seq {} recorded {recorded}",
                    self.seq
                )
            }),
            None => Some(format!(
                "seq {} records no SHA-256 of the {}",
                self.seq, self.what
            )),
        }
    }
}

impl Reference {
    /// A snapshot is the one the entry read when it is of the block the entry recorded and
    /// its signature holds (who signed it is checked against the operators by the caller).
    fn snapshot_mismatch(&self, content: &[u8], block: &str) -> Option<String> {
        let snapshot = match parse_snapshot(&self.name, content) {
            Ok(snapshot) => snapshot,
            Err(why) => return Some(why.to_string()),
        };
        if !snapshot.block.hash.eq_ignore_ascii_case(block) {
            return Some(format!(
                "it is of block {}, but the entry at seq {} read block {block}",
                snapshot.block.hash, self.seq
            ));
        }
        snapshot
            .verify_signature()
            .err()
            .map(|why| format!("its signature does not hold: {why}"))
    }
}

impl Reference {
    /// For a snapshot whose signature holds: why its signer does not count, when they are
    /// not among `operators`.
    pub fn unlisted_signer(
        &self,
        content: &[u8],
        operators: &crate::ledger::operators::Operators,
    ) -> Option<String> {
        if self.store != Store::Snapshots {
            return None;
        }
        let signer = parse_snapshot(&self.name, content)
            .ok()?
            .verify_signature()
            .ok()?;
        operators.by_address(&signer).is_none().then(|| {
            format!(
                "signed by {signer}, who is not among the operators; the {} is not trusted",
                self.what
            )
        })
    }
}

fn parse_snapshot(name: &str, content: &[u8]) -> Result<StateSnapshot, SnapshotFileError> {
    let text = std::str::from_utf8(content).map_err(|_| SnapshotFileError::NotUtf8)?;
    StateSnapshot::parse(name, text).map_err(SnapshotFileError::NotASnapshot)
}

/// The snapshot path a chain check's source names: `snapshot <path> (<network> chain …)`.
fn snapshot_path(source: &str) -> Option<&str> {
    let rest = source.strip_prefix("snapshot ")?;
    Some(rest.split_once(" (").map_or(rest, |(path, _)| path))
}

/// Every file the entries reference, each once: an evidence file under the first entry that
/// references it, a batch or a receipt under the last that recorded it.
pub fn references<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Vec<Reference> {
    let mut found: Vec<Reference> = Vec::new();
    for entry in entries {
        let mut add = |store, name: &str, what: String, recorded: Option<&String>| {
            let source = (store == Store::Snapshots).then(|| name.to_owned());
            let name = match store {
                Store::Snapshots => name.replace('/', "_"),
                _ => name.to_owned(),
            };
            let reference = Reference {
                seq: entry.seq,
                store,
                name: name.clone(),
                what,
                recorded: recorded.cloned(),
                source,
            };
            match found
                .iter_mut()
                .find(|r| r.store == store && r.name == name)
            {
                Some(earlier) if recorded.is_some() => *earlier = reference,
                Some(_) => {}
                None => found.push(reference),
            }
        };
        match &entry.event {
            Event::EvidenceAttached {
                step, name, sha256, ..
            } => add(
                Store::Evidence,
                sha256,
                format!("attachment `{name}` of step {step}"),
                None,
            ),
            Event::CommandRan(ran) => {
                add(
                    Store::Evidence,
                    &ran.stdout_sha256,
                    format!("stdout of step {}", ran.step),
                    None,
                );
                add(
                    Store::Evidence,
                    &ran.stderr_sha256,
                    format!("stderr of step {}", ran.step),
                    None,
                );
            }
            Event::HttpChecked(checked) => {
                if let Some(sha256) = &checked.body_sha256 {
                    add(
                        Store::Evidence,
                        sha256,
                        format!("HTTP body of step {}", checked.step),
                        None,
                    );
                }
            }
            Event::DiffRecorded(diff) => add(
                Store::Evidence,
                &diff.fingerprint,
                format!("diff of step {}", diff.step),
                None,
            ),
            Event::BatchPrepared(batch) => add(
                Store::Batches,
                batch.file.strip_prefix("batches/").unwrap_or(&batch.file),
                format!("Safe batch of step {}", batch.step),
                Some(&batch.file_sha256),
            ),
            Event::ReceiptChecked(receipt) => add(
                Store::Receipts,
                receipt
                    .file
                    .strip_prefix("receipts/")
                    .unwrap_or(&receipt.file),
                format!("receipt of step {} ({})", receipt.step, receipt.tx_hash),
                Some(&receipt.sha256),
            ),
            Event::StateAcknowledged(acknowledged) => add(
                Store::Snapshots,
                &acknowledged.snapshot,
                "state snapshot acknowledged as stale".to_owned(),
                Some(&acknowledged.block_hash),
            ),
            Event::ChainChecked(checked) => {
                if let Some(path) = snapshot_path(&checked.source) {
                    add(
                        Store::Snapshots,
                        path,
                        format!("state snapshot read at step {}", checked.step),
                        Some(&checked.block_hash),
                    );
                }
            }
            _ => {}
        }
    }
    found
}
