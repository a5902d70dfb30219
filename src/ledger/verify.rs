//! `ledger verify`: recomputes every hash, the chain, every signature, the signers' listing and
//! roles, and the checkpoint; names each bad entry by `seq` and line and says what is wrong.

use super::attestation::check_signoff;
use super::checkpoint::Checkpoint;
use super::entry::GENESIS;
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
            _ => {}
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
    let mut findings: Vec<(usize, Finding)> = contents
        .damage
        .iter()
        .map(|d| {
            (
                d.line,
                Finding {
                    fault: Fault::Unreadable,
                    seq: None,
                    line: Some(d.line),
                    detail: d.why.clone(),
                },
            )
        })
        .collect();
    let all_seqs: HashSet<u64> = contents.entries.iter().map(|e| e.seq).collect();
    let mut seen: HashMap<u64, String> = HashMap::new();
    let mut signers: Vec<String> = Vec::new();
    let mut expected = 0u64;
    let mut prev = GENESIS.to_owned();
    for (entry, &line) in contents.entries.iter().zip(&contents.lines) {
        let mut found = |fault, detail: String| {
            findings.push((
                line,
                Finding {
                    fault,
                    seq: Some(entry.seq),
                    line: Some(line),
                    detail,
                },
            ))
        };
        match entry.compute_hash() {
            Ok(hash) if hash == entry.hash => match entry.recover_signer() {
                Ok(address) if address.to_checksum(None) == entry.signer => {}
                Ok(address) => found(Fault::BadSignature, format!("the signature is {address}'s, not the named signer {}'s", entry.signer)),
                Err(why) => found(Fault::BadSignature, why),
            },
            Ok(_) => found(Fault::Edited, "the hash does not match the entry's content: the entry or its hash was changed after signing".into()),
            Err(why) => found(Fault::Edited, why.to_string()),
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
        if entry.seq == expected {
            if entry.prev != prev {
                found(
                    Fault::BrokenChain,
                    format!(
                        "`prev` is not the hash of entry {}",
                        entry.seq.saturating_sub(1)
                    ),
                );
            }
        } else if let Some(earlier) = seen.get(&entry.seq) {
            let detail = if *earlier == entry.hash {
                format!("seq {} appears twice", entry.seq)
            } else {
                format!("a second, different entry with seq {}", entry.seq)
            };
            found(Fault::Duplicated, detail);
        } else if entry.seq > expected && !all_seqs.contains(&expected) {
            found(
                Fault::Deleted,
                format!("entries {expected}..{} are missing", entry.seq - 1),
            );
        } else {
            found(
                Fault::Reordered,
                format!("seq {} stands where seq {expected} belongs", entry.seq),
            );
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = seen.entry(entry.seq) {
            slot.insert(entry.hash.clone());
            expected = expected.max(entry.seq + 1);
            prev = entry.hash.clone();
        }
    }
    if let Some(checkpoint) = checkpoint {
        report.checkpoint = Some(checkpoint.entries);
        let mut found = |fault, detail: String| {
            findings.push((
                usize::MAX,
                Finding {
                    fault,
                    seq: None,
                    line: None,
                    detail,
                },
            ))
        };
        if let Err(why) = checkpoint.check_signature() {
            found(Fault::CheckpointMismatch, why);
        } else if (contents.entries.len() as u64) < checkpoint.entries {
            found(
                Fault::Truncated,
                format!(
                    "the checkpoint records {} entries, the ledger holds {}",
                    checkpoint.entries,
                    contents.entries.len()
                ),
            );
        } else if seen.get(&(checkpoint.entries - 1)) != Some(&checkpoint.head) {
            found(
                Fault::CheckpointMismatch,
                format!(
                    "entry {} is not the one the checkpoint records (head {}…)",
                    checkpoint.entries - 1,
                    &checkpoint.head[..12.min(checkpoint.head.len())]
                ),
            );
        }
    }
    findings.sort_by_key(|(line, _)| *line);
    report.findings = findings.into_iter().map(|(_, f)| f).collect();
    report.signers = signers;
    report
}
