//! `ledger verify`: recomputes every hash, the chain, every signature, the signers' listing and
//! roles, and the checkpoint; names each bad entry by `seq` and line and says what is wrong.

use super::checkpoint::Checkpoint;
use super::entry::GENESIS;
use super::operators::Operators;
use super::seal::{Seal, diagnose, line_at, seal_all, short};
use super::store::parse_on_every_core;
use super::trust::{Trust, signer_faults, unlisted_keys};

pub use super::fault::Fault;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

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
    /// The keys that signed entries (or imported sign-offs) without being listed in
    /// `config/operators.toml`, in the order first met.
    pub unlisted: Vec<UnlistedKey>,
}

/// A key that signed entries without being listed, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnlistedKey {
    pub address: String,
    pub entries: usize,
}

/// What a verification comes to, for every door alike (`ledger verify`, the console).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict<'r> {
    /// Every hash, the chain, every signature, signer, role and the checkpoint hold.
    Verified,
    /// All holds except that some entries are signed by keys not listed (yet): a new
    /// operator's own entries until they list their key.
    Unlisted {
        /// The entries signed by such a key.
        entries: usize,
        keys: &'r [UnlistedKey],
    },
    /// Something else is wrong (tampering, a bad signature, a role not held…): the first.
    Failed(&'r Finding),
}

impl Report {
    pub fn passed(&self) -> bool {
        self.findings.is_empty()
    }

    pub fn first(&self) -> Option<&Finding> {
        self.findings.first()
    }

    pub fn verdict(&self) -> Verdict<'_> {
        let mut other = self
            .findings
            .iter()
            .filter(|f| f.fault != Fault::UnlistedSigner);
        if let Some(failed) = other.next() {
            return Verdict::Failed(failed);
        }
        if self.findings.is_empty() {
            return Verdict::Verified;
        }
        let entries: HashSet<(Option<u64>, Option<usize>)> =
            self.findings.iter().map(|f| (f.seq, f.line)).collect();
        Verdict::Unlisted {
            entries: entries.len(),
            keys: &self.unlisted,
        }
    }
}

pub fn verify(bytes: &[u8], operators: &Operators, checkpoint: Option<&Checkpoint>) -> Report {
    let contents = parse_on_every_core(bytes);
    let trust = Trust::listed(operators.clone());
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
    let mut unlisted: Vec<UnlistedKey> = Vec::new();
    let mut expected = 0u64;
    let written: Vec<&[u8]> = contents
        .offsets
        .iter()
        .map(|&offset| line_at(bytes, offset as usize))
        .collect();
    let entries: Vec<&_> = contents.entries.iter().collect();
    let seals = seal_all(&entries, &written);
    for (((entry, &line), written), seal) in contents
        .entries
        .iter()
        .zip(&contents.lines)
        .zip(&written)
        .zip(seals)
    {
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
        match seal {
            Seal::Sound => {}
            Seal::BadSignature(why) => pending.push((Fault::BadSignature, why)),
            Seal::Unhashable(why) => pending.push((Fault::Edited, why)),
            Seal::Edited { computed } => {
                let edit = diagnose(entry, written, &computed, expected, want_prev);
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
        for (fault, detail) in signer_faults(entry, &trust) {
            found(fault, detail);
        }
        for key in unlisted_keys(entry, &trust) {
            match unlisted
                .iter_mut()
                .find(|k| k.address.eq_ignore_ascii_case(key))
            {
                Some(known) => known.entries += 1,
                None => unlisted.push(UnlistedKey {
                    address: key.to_owned(),
                    entries: 1,
                }),
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
            found(Fault::CheckpointMismatch, None, why.to_string());
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
    report.unlisted = unlisted;
    report
}

struct Placed {
    hash: String,
    link: String,
    line: usize,
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
