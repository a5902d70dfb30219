//! Before a run moves, each of its entries is checked where it stands in the ledger: its line
//! hashes to its `hash`, its signature is its signer's, the signer is trusted (and a sign-off's
//! approver holds its role), it chains onto the line before it and the line after it chains
//! onto it, and the signed checkpoint does not say the ledger was longer. A run with one bad
//! entry is refused by name; the rest of the ledger is left to `ledger verify`.

use super::checkpoint::Checkpoint;
use super::entry::{Entry, GENESIS};
use super::seal::{Seal, diagnose, line_at, seal_all, short};
use super::store::LedgerContents;
use super::trust::{Trust, signer_faults};
use super::verify::Fault;

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

/// Checks the entries at `picked` (indices into `contents`, ascending).
pub fn check(
    bytes: &[u8],
    contents: &LedgerContents,
    picked: &[usize],
    trust: &Trust,
    checkpoint: Option<&Checkpoint>,
) -> Result<(), Unverified> {
    let seals = seals_of(bytes, contents, picked);
    for (&i, seal) in picked.iter().zip(seals) {
        if let Some(problem) = problem(bytes, contents, i, seal, trust) {
            return Err(problem);
        }
    }
    match (checkpoint, picked.last()) {
        (Some(checkpoint), Some(&last)) => truncated(contents, last, checkpoint, trust),
        _ => Ok(()),
    }
}

/// The entries of every run whose entries all check (in ledger order), and why each other
/// run was left out: what the metrics are made of.
pub fn trusted_runs(
    bytes: &[u8],
    contents: LedgerContents,
    trust: &Trust,
    checkpoint: Option<&Checkpoint>,
) -> (Vec<Entry>, Vec<Unverified>) {
    let all: Vec<usize> = (0..contents.entries.len()).collect();
    let seals = seals_of(bytes, &contents, &all);
    let mut left_out: Vec<Unverified> = Vec::new();
    for (i, seal) in all.into_iter().zip(seals) {
        if left_out.iter().any(|u| u.run == contents.entries[i].run) {
            continue;
        }
        left_out.extend(problem(bytes, &contents, i, seal, trust));
    }
    if let (Some(checkpoint), Some(last)) = (checkpoint, contents.entries.len().checked_sub(1))
        && let Err(cut) = truncated(&contents, last, checkpoint, trust)
        && !left_out.iter().any(|u| u.run == cut.run)
    {
        left_out.push(cut);
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

/// What makes entry `i` untrustworthy, if anything: its seal, its signer, its links.
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
    if let Some((fault, detail)) = signer_faults(entry, trust).into_iter().next() {
        return Some(refuse(fault, detail));
    }
    link(contents, i)
        .err()
        .map(|detail| refuse(Fault::BrokenChain, detail))
}

/// Whether entry `i` chains onto the line before it and the line after it onto entry `i`,
/// with no unreadable line between.
fn link(contents: &LedgerContents, i: usize) -> Result<(), String> {
    let entries = &contents.entries;
    let entry = &entries[i];
    let line = contents.lines[i];
    let damaged_between = |from: usize, to: usize| {
        contents
            .damage
            .iter()
            .find(|d| d.line > from && d.line < to)
            .map(|d| d.line)
    };
    let earlier = i.checked_sub(1).map(|b| (&entries[b], contents.lines[b]));
    if let Some(bad) = damaged_between(earlier.map_or(0, |(_, l)| l), line) {
        return Err(format!(
            "line {bad} before it is unreadable, so what it chains onto cannot be checked"
        ));
    }
    match earlier {
        None if entry.seq != 0 || entry.prev != GENESIS => {
            return Err(format!(
                "it is the ledger's first entry but has seq {} and `prev` {}… (the first has seq 0 and GENESIS): entries before it were removed",
                entry.seq,
                short(&entry.prev)
            ));
        }
        Some((before, before_line)) if before.seq + 1 != entry.seq || before.hash != entry.prev => {
            return Err(format!(
                "it does not chain onto the line before it (line {before_line}, seq {}, hash {}…): its seq is {} and its `prev` {}…; an entry was inserted, removed or moved here",
                before.seq,
                short(&before.hash),
                entry.seq,
                short(&entry.prev)
            ));
        }
        _ => {}
    }
    let Some(after) = entries.get(i + 1) else {
        return match contents.damage.iter().find(|d| d.line > line) {
            Some(d) if d.why.starts_with("incomplete last line") => Ok(()),
            Some(d) => Err(format!("line {} after it is unreadable", d.line)),
            None => Ok(()),
        };
    };
    let after_line = contents.lines[i + 1];
    if let Some(bad) = damaged_between(line, after_line) {
        return Err(format!("line {bad} after it is unreadable"));
    }
    if after.seq != entry.seq + 1 || after.prev != entry.hash {
        return Err(format!(
            "the line after it (line {after_line}, seq {}) does not chain onto it: an entry was inserted, removed or moved here",
            after.seq
        ));
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
