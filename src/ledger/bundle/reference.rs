//! The files a run's entries reference in the stores under `storage/`, and what each entry
//! recorded of them: evidence by its name (its SHA-256), batches and receipts by the SHA-256
//! their entry recorded.

use super::{is_plain_name, is_sha256, sha256_hex};
use crate::engine::Event;
use crate::ledger::Entry;
use serde::Serialize;

/// A store under `storage/` whose files entries reference by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Store {
    /// `storage/evidence/<sha256>`: attachments, command output, HTTP bodies.
    Evidence,
    /// `storage/receipts/<network>/<name>`: transaction receipts archived at receipt steps.
    Receipts,
    /// `storage/batches/<name>`: Safe transaction batches prepared at safe-batch steps.
    Batches,
}

impl Store {
    /// The folder under `storage/`, and the same folder in the bundle.
    pub fn folder(self) -> &'static str {
        match self {
            Self::Evidence => "evidence",
            Self::Receipts => "receipts",
            Self::Batches => "batches",
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
    /// (`batch-prepared`'s `file_sha256`, `receipt-checked`'s `sha256`).
    pub recorded: Option<String>,
}

impl Reference {
    /// The file's path relative to `storage/`, and in the bundle.
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
        let sha256 = sha256_hex(content);
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

/// Every file the entries reference, each once: an evidence file under the first entry that
/// references it, a batch or a receipt under the last that recorded it.
pub fn references<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Vec<Reference> {
    let mut found: Vec<Reference> = Vec::new();
    for entry in entries {
        let mut add = |store, name: &str, what: String, recorded: Option<&String>| {
            let reference = Reference {
                seq: entry.seq,
                store,
                name: name.to_owned(),
                what,
                recorded: recorded.cloned(),
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
            _ => {}
        }
    }
    found
}
