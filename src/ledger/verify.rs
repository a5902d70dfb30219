//! `ledger verify`: recomputes every hash, the chain, every signature, the signers' listing and
//! roles, and the checkpoint; names each bad entry by `seq` and line and says what is wrong.

use super::attestation::check_signoff;
use super::checkpoint::Checkpoint;
use super::entry::{Entry, GENESIS, recover};
use super::operators::Operators;
use super::store::parse;
use crate::engine::Event;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    Unreadable,
    Edited,
    BadSignature,
    UnknownSigner,
    RoleNotHeld,
    BrokenChain,
    Reordered,
    Duplicated,
    Deleted,
    Truncated,
    CheckpointMismatch,
}

impl Fault {
    pub fn name(self) -> &'static str {
        match self {
            Self::Unreadable => "unreadable line",
            Self::Edited => "edited",
            Self::BadSignature => "bad signature",
            Self::UnknownSigner => "unknown signer",
            Self::RoleNotHeld => "role not held",
            Self::BrokenChain => "broken chain",
            Self::Reordered => "reordered",
            Self::Duplicated => "duplicated",
            Self::Deleted => "deleted",
            Self::Truncated => "truncated",
            Self::CheckpointMismatch => "checkpoint mismatch",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub fault: Fault,
    pub seq: Option<u64>,
    pub line: Option<usize>,
    pub detail: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.seq, self.line) {
            (Some(seq), Some(line)) => write!(f, "seq {seq} (line {line}): ")?,
            (None, Some(line)) => write!(f, "line {line}: ")?,
            (Some(seq), None) => write!(f, "seq {seq}: ")?,
            (None, None) => {}
        }
        write!(f, "{}: {}", self.fault.name(), self.detail)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub entries: usize,
    pub signers: Vec<String>,
    pub checkpoint: Option<u64>,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.findings.is_empty()
    }

    pub fn first(&self) -> Option<&Finding> {
        self.findings.first()
    }
}

pub fn verify(bytes: &[u8], operators: &Operators, checkpoint: Option<&Checkpoint>) -> Report {
    let contents = parse(bytes);
    let mut report = Report {
        entries: contents.entries.len(),
        ..Report::default()
    };
    let raw_lines: Vec<&[u8]> = if contents.damage.is_empty() {
        Vec::new()
    } else {
        bytes.split(|b| *b == b'\n').collect()
    };
    let mut findings: Vec<(usize, Finding)> = contents
        .damage
        .iter()
        .map(|d| {
            let text = raw_lines.get(d.line - 1).copied().unwrap_or_default();
            (
                d.line,
                Finding {
                    fault: Fault::Unreadable,
                    // A line that is still JSON names its entry.
                    seq: serde_json::from_slice::<serde_json::Value>(text)
                        .ok()
                        .and_then(|v| v.get("seq")?.as_u64()),
                    line: Some(d.line),
                    detail: unreadable_detail(&d.why),
                },
            )
        })
        .collect();
    let damaged_lines: Vec<usize> = contents.damage.iter().map(|d| d.line).collect();
    let mut damaged_before = damaged_lines.iter().peekable();
    let all_seqs: HashSet<u64> = contents.entries.iter().map(|e| e.seq).collect();
    let mut first_line: HashMap<u64, usize> = HashMap::new();
    for (entry, &line) in contents.entries.iter().zip(&contents.lines) {
        first_line.entry(entry.seq).or_insert(line);
    }
    // Each seq as first placed: the hash the line holds, the hash the next entry's `prev` must
    // hold (the signed one, when only the `hash` field was changed), and the line.
    let mut placed: HashMap<u64, Placed> = HashMap::new();
    let mut signers: Vec<String> = Vec::new();
    let mut expected = 0u64;
    for (entry, &line) in contents.entries.iter().zip(&contents.lines) {
        let mut unreadable_since = 0u64;
        while damaged_before.next_if(|&&d| d < line).is_some() {
            unreadable_since += 1;
        }
        let want_prev: Option<&str> = match expected {
            0 => Some(GENESIS),
            n => placed.get(&(n - 1)).map(|p| p.link.as_str()),
        };
        let mut seq = entry.seq;
        let mut link = entry.hash.clone();
        let mut prev_blamed = false;
        let mut pending: Vec<(Fault, String)> = Vec::new();
        match seal(entry) {
            Seal::Sound => {}
            Seal::BadSignature(why) => pending.push((Fault::BadSignature, why)),
            Seal::Unhashable(why) => pending.push((Fault::Edited, why)),
            Seal::Edited { computed } => {
                let edit = diagnose(entry, &computed, expected, want_prev);
                seq = edit.seq;
                link = edit.link;
                prev_blamed = edit.prev_blamed;
                pending.push((Fault::Edited, edit.detail));
            }
        }
        let mut found = |fault, detail: String| {
            findings.push((
                line,
                Finding {
                    fault,
                    seq: Some(seq),
                    line: Some(line),
                    detail,
                },
            ))
        };
        for (fault, detail) in pending {
            found(fault, detail);
        }
        if operators.by_address(&entry.signer).is_none() {
            found(
                Fault::UnknownSigner,
                format!("{} is not in config/operators.toml", entry.signer),
            );
        }
        if let Event::Signoff(signoff) = &entry.event {
            if !signoff.approver.eq_ignore_ascii_case(&entry.signer)
                && let Err(why) = check_signoff(&entry.run, signoff)
            {
                found(Fault::BadSignature, format!("imported sign-off: {why}"));
            }
            match operators.by_address(&signoff.approver) {
                None => found(
                    Fault::UnknownSigner,
                    format!(
                        "the approver {} is not in config/operators.toml",
                        signoff.approver
                    ),
                ),
                Some(operator)
                    if !signoff
                        .roles
                        .iter()
                        .any(|role| operator.roles.contains(role)) =>
                {
                    found(
                        Fault::RoleNotHeld,
                        format!(
                            "{} signed off as {:?} but holds {:?}",
                            operator.name, signoff.roles, operator.roles
                        ),
                    )
                }
                Some(_) => {}
            }
        }
        if !signers.contains(&entry.signer) {
            signers.push(entry.signer.clone());
        }
        if seq == expected {
            if let Some(want) = want_prev
                && entry.prev != want
                && !prev_blamed
            {
                let detail = match seq {
                    0 => format!(
                        "`prev` is {}…, but the first entry's `prev` is GENESIS (64 zeros)",
                        short(&entry.prev)
                    ),
                    _ => format!(
                        "`prev` is {}…, but entry {} (line {}) hashes to {}…",
                        short(&entry.prev),
                        seq - 1,
                        placed[&(seq - 1)].line,
                        short(want)
                    ),
                };
                found(Fault::BrokenChain, detail);
            }
        } else if let Some(earlier) = placed.get(&seq) {
            let detail = if earlier.hash == entry.hash {
                format!(
                    "seq {seq} appears twice: this line repeats line {}",
                    earlier.line
                )
            } else {
                format!(
                    "a second, different entry with seq {seq} (the first is at line {})",
                    earlier.line
                )
            };
            found(Fault::Duplicated, detail);
        } else if seq > expected && !all_seqs.contains(&expected) {
            // Missing entries that unreadable lines stand in for are reported as those lines.
            if seq - expected > unreadable_since {
                let after = match expected {
                    0 => "the ledger starts with it".to_owned(),
                    n => format!(
                        "seq {seq} follows seq {} (line {})",
                        n - 1,
                        placed[&(n - 1)].line
                    ),
                };
                let detail = if seq - expected == 1 {
                    format!("entry {expected} is missing: {after}")
                } else {
                    format!(
                        "entries {expected}..={} ({}) are missing: {after}",
                        seq - 1,
                        seq - expected
                    )
                };
                found(Fault::Deleted, detail);
            }
        } else if seq > expected {
            found(
                Fault::Reordered,
                format!(
                    "seq {seq} stands where seq {expected} belongs (seq {expected} comes later, at line {})",
                    first_line.get(&expected).copied().unwrap_or_default()
                ),
            );
        } else {
            found(
                Fault::Reordered,
                format!(
                    "seq {seq} comes after seq {} (line {}); it belongs before it",
                    expected - 1,
                    placed.get(&(expected - 1)).map_or(0, |p| p.line)
                ),
            );
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = placed.entry(seq) {
            slot.insert(Placed {
                hash: entry.hash.clone(),
                link,
                line,
            });
            expected = expected.max(seq + 1);
        }
    }
    if let Some(checkpoint) = checkpoint {
        report.checkpoint = Some(checkpoint.entries);
        let mut found = |fault, seq, detail: String| {
            findings.push((
                usize::MAX,
                Finding {
                    fault,
                    seq,
                    line: None,
                    detail,
                },
            ))
        };
        let head = checkpoint.entries.checked_sub(1);
        if let Err(why) = checkpoint.check_signature() {
            found(Fault::CheckpointMismatch, None, why);
        } else if operators.by_address(&checkpoint.signer).is_none() {
            found(
                Fault::CheckpointMismatch,
                None,
                format!(
                    "the checkpoint is signed by {}, who is not in config/operators.toml",
                    checkpoint.signer
                ),
            );
        } else if expected < checkpoint.entries {
            let ends = match expected {
                0 => "the ledger holds no entry".to_owned(),
                n => format!("the ledger ends at seq {}", n - 1),
            };
            found(
                Fault::Truncated,
                Some(expected),
                format!(
                    "the checkpoint of {} records {} entries (through seq {}); {ends}: entries {expected}..={} were cut from its end",
                    checkpoint.time,
                    checkpoint.entries,
                    checkpoint.entries - 1,
                    checkpoint.entries - 1
                ),
            );
        } else if let Some(head) = head
            && placed.get(&head).map(|p| &p.link) != Some(&checkpoint.head)
        {
            let holds = placed.get(&head).map_or_else(
                || "is not in the ledger".to_owned(),
                |p| format!("(line {}) hashes to {}…", p.line, short(&p.link)),
            );
            found(
                Fault::CheckpointMismatch,
                Some(head),
                format!(
                    "the checkpoint of {} records entry {head} as {}…, but entry {head} {holds}: the ledger was rewritten since",
                    checkpoint.time,
                    short(&checkpoint.head)
                ),
            );
        }
    }
    findings.sort_by_key(|(line, _)| *line);
    report.findings = findings.into_iter().map(|(_, f)| f).collect();
    report.signers = signers;
    report
}

struct Placed {
    hash: String,
    link: String,
    line: usize,
}

/// What an entry's own hash and signature say, before its place in the chain is looked at.
enum Seal {
    /// The hash is the content's, and the named signer signed it.
    Sound,
    /// The hash is the content's, but the signature is not the named signer's.
    BadSignature(String),
    /// The content no longer hashes to `hash`.
    Edited {
        computed: String,
    },
    Unhashable(String),
}

fn seal(entry: &Entry) -> Seal {
    match entry.compute_hash() {
        Ok(hash) if hash == entry.hash => match entry.recover_signer() {
            Ok(address) if address.to_checksum(None) == entry.signer => Seal::Sound,
            Ok(address) => Seal::BadSignature(format!(
                "the signature does not match the entry: it recovers to {address}, not to the named signer {} (the signature was replaced, or the entry and its hash were rewritten)",
                entry.signer
            )),
            Err(why) => Seal::BadSignature(format!("the signature does not check: {why}")),
        },
        Ok(computed) => Seal::Edited { computed },
        Err(why) => Seal::Unhashable(why.to_string()),
    }
}

struct Edit {
    /// The seq the entry was signed with.
    seq: u64,
    /// The hash the next entry's `prev` should hold.
    link: String,
    detail: String,
    /// The verdict already says that `prev` was changed.
    prev_blamed: bool,
}

/// Which field of an entry whose content no longer hashes to `hash` was changed, when the
/// signature and the entry's place tell: `seq`, `prev`, `signer`, the `hash` itself, or else
/// the content (time, run, type or body).
fn diagnose(entry: &Entry, computed: &str, expected: u64, want_prev: Option<&str>) -> Edit {
    let signed = |change: &dyn Fn(&mut Entry)| {
        let mut original = entry.clone();
        change(&mut original);
        original.compute_hash().is_ok_and(|hash| hash == entry.hash)
    };
    let edit = |detail: String| Edit {
        seq: entry.seq,
        link: entry.hash.clone(),
        detail,
        prev_blamed: false,
    };
    if entry.seq != expected && signed(&|e| e.seq = expected) {
        return Edit {
            seq: expected,
            ..edit(format!(
                "`seq` was changed from {expected} to {} after signing",
                entry.seq
            ))
        };
    }
    if let Some(want) = want_prev
        && entry.prev != want
        && signed(&|e| want.clone_into(&mut e.prev))
    {
        let was = match expected {
            0 => "GENESIS".to_owned(),
            n => format!("{}…, the hash of entry {}", short(want), n - 1),
        };
        return Edit {
            prev_blamed: true,
            ..edit(format!("`prev` was changed after signing: it was {was}"))
        };
    }
    let signed_by = recover(&entry.hash, &entry.sig)
        .ok()
        .map(|a| a.to_checksum(None));
    if let Some(address) = &signed_by
        && *address != entry.signer
        && signed(&|e| address.clone_into(&mut e.signer))
    {
        return edit(format!(
            "`signer` was changed from {address} to {} after signing",
            entry.signer
        ));
    }
    if signed_by.as_deref() == Some(entry.signer.as_str()) {
        return edit(format!(
            "the entry's content (its time, run, type or body) was changed after signing: it hashes to {}…, but {} signed {}…",
            short(computed),
            entry.signer,
            short(&entry.hash)
        ));
    }
    if recover(computed, &entry.sig).is_ok_and(|a| a.to_checksum(None) == entry.signer) {
        return Edit {
            link: computed.to_owned(),
            ..edit(format!(
                "`hash` was changed after signing: it reads {}…, but the entry hashes to {}…, which is what {} signed",
                short(&entry.hash),
                short(computed),
                entry.signer
            ))
        };
    }
    edit(format!(
        "the entry hashes to {}…, not to its `hash` {}…, and the signature matches neither: the entry and its hash were changed after signing",
        short(computed),
        short(&entry.hash)
    ))
}

/// The start of a hash, for messages.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// A parse error about one line, without serde's "at line 1" (the line is the ledger's).
fn unreadable_detail(why: &str) -> String {
    match why.rsplit_once(" at line ") {
        Some((what, position)) => match position.split_once(" column ") {
            Some((_, column)) => format!("not a ledger entry: {what} (column {column})"),
            None => format!("not a ledger entry: {what}"),
        },
        None => why.to_owned(),
    }
}
