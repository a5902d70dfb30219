//! Before a run moves, each of its entries is checked where it stands in the ledger: its line
//! hashes to its `hash`, its signature is its signer's, the signer is trusted (and a sign-off's
//! approver holds its role), it chains onto the line before it and the line after it chains
//! onto it, and the signed checkpoint does not say the ledger was longer. A run with one bad
//! entry is refused by name; the rest of the ledger is left to `ledger verify`.

use super::checkpoint::Checkpoint;
use super::entry::{Entry, GENESIS};
use super::fault::Fault;
use super::seal::{Seal, diagnose, line_at, line_hashes, seal_all, short};
use super::store::LedgerContents;
use super::trust::{Trust, signer_faults};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "run `{run}` cannot be trusted: entry {seq} (line {line}): {}: {detail}; nothing is done with this run (`owner-console ledger verify` lists every problem)",
    fault.name()
)]
pub struct Unverified {
    pub run: String,
    pub seq: u64,
    pub line: usize,
    pub fault: Fault,
    pub detail: String,
}

/// The entries of `run`, in order, once every one of them checks.
pub fn checked_run(
    bytes: &[u8],
    contents: LedgerContents,
    run: &str,
    trust: &Trust,
    checkpoint: Option<&Checkpoint>,
) -> Result<Vec<Entry>, Unverified> {
    let picked: Vec<usize> = (0..contents.entries.len())
        .filter(|&i| contents.entries[i].run == run)
        .collect();
    check(bytes, &contents, &picked, trust, checkpoint)?;
    let mut entries = contents.entries;
    let mut keep = picked.into_iter().peekable();
    let mut index = 0;
    entries.retain(|_| {
        let kept = keep.next_if_eq(&index).is_some();
        index += 1;
        kept
    });
    Ok(entries)
}

/// Checks the entries at `picked` (indices into `contents`, ascending): each one's seal and
/// signer, and the hash chain of every line from the first of them to the end of the ledger,
/// so that no entry of theirs can have been removed, moved or given to another run.
pub fn check(
    bytes: &[u8],
    contents: &LedgerContents,
    picked: &[usize],
    trust: &Trust,
    checkpoint: Option<&Checkpoint>,
) -> Result<(), Unverified> {
    let Some(&first) = picked.first() else {
        return Ok(());
    };
    let seals = seals_of(bytes, contents, picked);
    for (&i, seal) in picked.iter().zip(seals) {
        if let Some(problem) = problem(bytes, contents, i, seal, trust) {
            return Err(problem);
        }
    }
    chain_from(bytes, contents, first)?;
    match checkpoint {
        Some(checkpoint) => truncated(contents, first, checkpoint, trust),
        None => Ok(()),
    }
}

/// The entries of every run whose entries all check (in ledger order), and why each other
/// run was left out: what the metrics are made of. A break in the chain leaves out every run
/// with an entry before it.
pub fn trusted_runs(
    bytes: &[u8],
    contents: LedgerContents,
    trust: &Trust,
    checkpoint: Option<&Checkpoint>,
) -> (Vec<Entry>, Vec<Unverified>) {
    let all: Vec<usize> = (0..contents.entries.len()).collect();
    let seals = seals_of(bytes, &contents, &all);
    let mut left_out: Vec<Unverified> = Vec::new();
    let mut leave_out = |problem: Unverified| {
        if !left_out.iter().any(|u| u.run == problem.run) {
            left_out.push(problem);
        }
    };
    for (i, seal) in all.into_iter().zip(seals) {
        if let Some(problem) = problem(bytes, &contents, i, seal, trust) {
            leave_out(problem);
        }
    }
    let runs_before = |at: usize| -> Vec<usize> {
        let mut firsts: Vec<usize> = Vec::new();
        for (i, entry) in contents.entries.iter().enumerate().take(at + 1) {
            if !firsts.iter().any(|&f| contents.entries[f].run == entry.run) {
                firsts.push(i);
            }
        }
        firsts
    };
    if let Err(broken) = chain_from(bytes, &contents, 0) {
        let at = contents.lines.partition_point(|&l| l < broken.line);
        for first in runs_before(at.min(contents.entries.len().saturating_sub(1))) {
            leave_out(Unverified {
                run: contents.entries[first].run.clone(),
                ..broken.clone()
            });
        }
    }
    if let (Some(checkpoint), false) = (checkpoint, contents.entries.is_empty())
        && let Err(cut) = truncated(&contents, contents.entries.len() - 1, checkpoint, trust)
    {
        leave_out(cut);
    }
    let mut entries = contents.entries;
    entries.retain(|e| !left_out.iter().any(|u| u.run == e.run));
    (entries, left_out)
}

fn seals_of(bytes: &[u8], contents: &LedgerContents, picked: &[usize]) -> Vec<Seal> {
    let chosen: Vec<&Entry> = picked.iter().map(|&i| &contents.entries[i]).collect();
    let written: Vec<&[u8]> = picked
        .iter()
        .map(|&i| line_at(bytes, contents.offsets[i] as usize))
        .collect();
    seal_all(&chosen, &written)
}

/// What makes entry `i` untrustworthy by itself, if anything: its seal or its signer.
fn problem(
    bytes: &[u8],
    contents: &LedgerContents,
    i: usize,
    seal: Seal,
    trust: &Trust,
) -> Option<Unverified> {
    let entry = &contents.entries[i];
    let refuse = |fault, detail: String| Unverified {
        run: entry.run.clone(),
        seq: entry.seq,
        line: contents.lines[i],
        fault,
        detail,
    };
    match seal {
        Seal::Sound => {}
        Seal::BadSignature(why) => return Some(refuse(Fault::BadSignature, why)),
        Seal::Unhashable(why) => return Some(refuse(Fault::Edited, why)),
        Seal::Edited { computed } => {
            let written = line_at(bytes, contents.offsets[i] as usize);
            let prev = i
                .checked_sub(1)
                .map_or(GENESIS, |b| contents.entries[b].hash.as_str());
            let edit = diagnose(entry, written, &computed, entry.seq, Some(prev));
            return Some(refuse(Fault::Edited, edit.detail));
        }
    }
    signer_faults(entry, trust)
        .into_iter()
        .next()
        .map(|(fault, detail)| refuse(fault, detail))
}

/// Whether every line from entry `first` to the end of the ledger hashes to its `hash` and
/// chains onto the one before it, with no unreadable line among them (a torn last line
/// aside), and entry `first` onto the line before it. Blamed on entry `first`.
fn chain_from(bytes: &[u8], contents: &LedgerContents, first: usize) -> Result<(), Unverified> {
    let entries = &contents.entries;
    let Some(anchor) = entries.get(first) else {
        return Ok(());
    };
    let broken = |detail: String| Unverified {
        run: anchor.run.clone(),
        seq: anchor.seq,
        line: contents.lines[first],
        fault: Fault::BrokenChain,
        detail,
    };
    let since = contents.lines[first];
    if let Some(bad) = contents
        .damage
        .iter()
        .find(|d| d.line > since && !d.why.starts_with("incomplete last line"))
    {
        return Err(broken(format!(
            "line {} after it is unreadable ({}), so what follows it cannot be checked",
            bad.line, bad.why
        )));
    }
    let lines: Vec<&[u8]> = contents.offsets[first..]
        .iter()
        .map(|&offset| line_at(bytes, offset as usize))
        .collect();
    let hashes = line_hashes(&lines);
    let (mut seq, mut prev) = match first.checked_sub(1) {
        Some(before) => (entries[before].seq + 1, entries[before].hash.as_str()),
        None => (0, GENESIS),
    };
    for (i, computed) in (first..entries.len()).zip(hashes) {
        let entry = &entries[i];
        let line = contents.lines[i];
        if entry.seq != seq || entry.prev != prev {
            return Err(broken(format!(
                "line {line} (seq {}) does not chain onto the line before it (seq {}, hash {}…): an entry was inserted, removed or moved there",
                entry.seq,
                seq.saturating_sub(1),
                short(prev)
            )));
        }
        if computed.as_deref() != Some(entry.hash.as_str()) {
            return Err(broken(format!(
                "line {line} (seq {}, run `{}`) no longer hashes to its `hash`: it was changed after signing",
                entry.seq, entry.run
            )));
        }
        seq += 1;
        prev = &entry.hash;
    }
    Ok(())
}

/// Whether a trusted, signed checkpoint records more entries than the ledger holds (blamed
/// on entry `at`).
fn truncated(
    contents: &LedgerContents,
    at: usize,
    checkpoint: &Checkpoint,
    trust: &Trust,
) -> Result<(), Unverified> {
    if checkpoint.check_signature().is_err() || !trust.signs(&checkpoint.signer) {
        return Ok(());
    }
    let held = contents.entries.last().map_or(0, |e| e.seq + 1);
    if checkpoint.entries <= held {
        return Ok(());
    }
    Err(Unverified {
        run: contents.entries[at].run.clone(),
        seq: contents.entries[at].seq,
        line: contents.lines[at],
        fault: Fault::Truncated,
        detail: format!(
            "the checkpoint of {} records {} entries, but the ledger holds {held}: its end was cut off",
            checkpoint.time, checkpoint.entries
        ),
    })
}
