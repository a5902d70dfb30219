//! The run index beside the ledger (`owner-ledger.index.json`): the run list's summaries and
//! the part of the ledger they cover (its length in bytes, its lines, the SHA-256 of its last
//! line), so that start-up replays only the entries appended since.
//!
//! It is a cache and is never believed over the ledger: it is used only when the ledger still
//! holds, at the covered length, the very line it ends on, and only for the same runbooks and
//! the same console; otherwise the list comes from a full replay and the index is rewritten.
//! Verification never reads it.

use crate::ledger::store::{self, Damage, LedgerContents, write_replacing};
use crate::ledger::{Entry, Ledger, LedgerError};
use crate::run_list::{self, RunLister, RunSummary, UNFINISHED};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunIndex {
    format: u32,
    /// The console's version: a newer one may summarise differently.
    console: String,
    /// Each runbook's id and SHA-256: a run's summary depends on its runbook.
    runbooks: BTreeMap<String, String>,
    covered: Covered,
    runs: Vec<RunSummary>,
    /// The byte offsets of the entries of each unfinished run: an entry appended to one of
    /// them replays that run alone.
    open_runs: BTreeMap<String, Vec<u64>>,
    damage: Vec<Damage>,
}

/// The whole lines of the ledger that the index covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Covered {
    pub bytes: u64,
    pub lines: usize,
    /// SHA-256 of the last covered line (without its newline); empty when nothing is covered.
    pub last_line_sha256: String,
}

/// The run list and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedRuns {
    pub runs: Vec<RunSummary>,
    pub damage: Vec<Damage>,
    /// The ledger's length when it was read.
    pub ledger_bytes: u64,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The index held; this many entries were replayed after it.
    Index { replayed: usize },
    /// The index could not be used (why); the whole ledger was replayed.
    FullReplay(String),
}

/// The run list of `ledger`, through its index; rewrites the index when it changed. A failed
/// index write is logged, not an error: the list itself came from the ledger.
pub fn runs(ledger: &Ledger, lister: &RunLister) -> Result<IndexedRuns, LedgerError> {
    let bytes = ledger.read_bytes()?;
    let path = ledger.index_path();
    let old = read(&path);
    let (index, tail, source) = match old.and_then(|old| old.advance(&bytes, lister)) {
        Ok((index, tail, replayed)) => (index, tail, Source::Index { replayed }),
        Err(why) => {
            let (index, tail) = RunIndex::build(&bytes, lister);
            (index, tail, Source::FullReplay(why))
        }
    };
    let changed = !matches!(source, Source::Index { replayed: 0 })
        || index.covered.bytes != covered_len(&bytes);
    if changed && let Err(error) = index.write(ledger) {
        tracing::warn!("{}: the run index is not written: {error}", path.display());
    }
    let mut damage = index.damage.clone();
    damage.extend(tail);
    Ok(IndexedRuns {
        runs: index.runs,
        damage,
        ledger_bytes: bytes.len() as u64,
        source,
    })
}

/// The run list from a full replay of `ledger`, without the index (the background check of
/// what the index gave).
pub fn replayed(ledger: &Ledger, lister: &RunLister) -> Result<IndexedRuns, LedgerError> {
    let bytes = ledger.read_bytes()?;
    let contents = store::parse(&bytes);
    Ok(IndexedRuns {
        runs: lister.list(contents.entries),
        damage: contents.damage,
        ledger_bytes: bytes.len() as u64,
        source: Source::FullReplay("asked for".to_owned()),
    })
}

/// Replays the whole ledger and rewrites its index, whatever the index held.
pub fn rebuild(ledger: &Ledger, lister: &RunLister) -> Result<IndexedRuns, LedgerError> {
    std::fs::remove_file(ledger.index_path()).ok();
    runs(ledger, lister)
}

fn read(path: &std::path::Path) -> Result<RunIndex, String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err("there is no run index yet".to_owned());
        }
        Err(error) => return Err(format!("{}: {error}", path.display())),
    };
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: not a run index: {e}", path.display()))
}

/// The length of the ledger's whole lines: a torn last line is left out of the index.
fn covered_len(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |at| at as u64 + 1)
}

fn last_line_sha256(whole_lines: &[u8]) -> String {
    let Some(body) = whole_lines.strip_suffix(b"\n") else {
        return String::new();
    };
    let start = body
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |at| at + 1);
    hex::encode(Sha256::digest(&body[start..]))
}

impl RunIndex {
    /// An index of the whole of `bytes` (a ledger file), from a full replay; and the damage
    /// found past its whole lines (a torn last line).
    pub fn build(bytes: &[u8], lister: &RunLister) -> (Self, Vec<Damage>) {
        let empty = Self {
            format: FORMAT,
            console: env!("CARGO_PKG_VERSION").to_owned(),
            runbooks: lister.fingerprint(),
            covered: Covered {
                bytes: 0,
                lines: 0,
                last_line_sha256: String::new(),
            },
            runs: Vec::new(),
            open_runs: BTreeMap::new(),
            damage: Vec::new(),
        };
        let contents = store::parse(bytes);
        let runs = lister.list(contents.entries.clone());
        empty.extended(bytes, contents, runs)
    }

    /// This index carried forward over what `bytes` holds past it: the runs that got entries
    /// are summarised again. Err (why) when the index does not describe `bytes`.
    fn advance(
        self,
        bytes: &[u8],
        lister: &RunLister,
    ) -> Result<(Self, Vec<Damage>, usize), String> {
        self.check(bytes, lister)?;
        let start = self.covered.bytes as usize;
        let tail = store::parse_at(&bytes[start..], self.covered.lines, self.covered.bytes);
        let replayed = tail.entries.len();
        let mut by_run: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for entry in &tail.entries {
            by_run
                .entry(entry.run.clone())
                .or_default()
                .push(entry.clone());
        }
        let mut runs = self.runs.clone();
        for (id, new) in by_run {
            let mut entries = self.open_entries(bytes, &id)?;
            if entries.is_empty() && runs.iter().any(|r| r.id == id) {
                return Err(format!("run {id}, closed in the index, has new entries"));
            }
            entries.extend(new);
            runs.retain(|r| r.id != id);
            runs.extend(lister.summarize(id, &entries));
        }
        run_list::sort(&mut runs);
        let (index, damage) = self.extended(bytes, tail, runs);
        Ok((index, damage, replayed))
    }

    fn check(&self, bytes: &[u8], lister: &RunLister) -> Result<(), String> {
        if self.format != FORMAT || self.console != env!("CARGO_PKG_VERSION") {
            return Err("the run index was written by another version of the console".into());
        }
        if self.runbooks != lister.fingerprint() {
            return Err("the workspace's runbooks changed since the run index was written".into());
        }
        let covered = usize::try_from(self.covered.bytes).unwrap_or(usize::MAX);
        if covered > bytes.len() {
            return Err("the ledger is shorter than the run index says".into());
        }
        let whole = &bytes[..covered];
        if (covered > 0 && whole.last() != Some(&b'\n'))
            || last_line_sha256(whole) != self.covered.last_line_sha256
            || whole.iter().filter(|b| **b == b'\n').count() != self.covered.lines
        {
            return Err(
                "the ledger does not hold, where the run index ends, the line it ends on".into(),
            );
        }
        Ok(())
    }

    /// The entries of unfinished run `id` read at their indexed offsets; none when the index
    /// has no such run open. Err when an offset no longer holds that run's entry.
    fn open_entries(&self, bytes: &[u8], id: &str) -> Result<Vec<Entry>, String> {
        let Some(offsets) = self.open_runs.get(id) else {
            return Ok(Vec::new());
        };
        offsets
            .iter()
            .map(|&offset| {
                let line = usize::try_from(offset)
                    .ok()
                    .and_then(|at| bytes.get(at..))
                    .and_then(|rest| rest.split(|b| *b == b'\n').next())
                    .ok_or_else(|| format!("run {id}: offset {offset} is past the ledger"))?;
                match serde_json::from_slice::<Entry>(line) {
                    Ok(entry) if entry.run == id => Ok(entry),
                    _ => Err(format!("run {id}: offset {offset} holds another line now")),
                }
            })
            .collect()
    }

    /// This index grown by `tail` (parsed from `bytes` where the index ended), with `runs` as
    /// the new list; and the damage left past the whole lines.
    fn extended(
        mut self,
        bytes: &[u8],
        tail: LedgerContents,
        runs: Vec<RunSummary>,
    ) -> (Self, Vec<Damage>) {
        let end = covered_len(bytes);
        let whole_lines = bytes[..end as usize]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        for (entry, offset) in tail.entries.iter().zip(&tail.offsets) {
            self.open_runs
                .entry(entry.run.clone())
                .or_default()
                .push(*offset);
        }
        let open: Vec<&str> = runs
            .iter()
            .filter(|r| r.status == UNFINISHED)
            .map(|r| r.id.as_str())
            .collect();
        self.open_runs.retain(|id, _| open.contains(&id.as_str()));
        let (kept, torn): (Vec<Damage>, Vec<Damage>) =
            tail.damage.into_iter().partition(|d| d.line <= whole_lines);
        self.damage.extend(kept);
        self.runs = runs;
        self.covered = Covered {
            bytes: end,
            lines: whole_lines,
            last_line_sha256: last_line_sha256(&bytes[..end as usize]),
        };
        (self, torn)
    }

    /// Writes the index through a temporary file, an fsync and a rename.
    fn write(&self, ledger: &Ledger) -> std::io::Result<()> {
        let path = ledger.index_path();
        let partial = path.with_extension(format!("partial-{}", std::process::id()));
        let bytes = serde_json::to_vec(self)?;
        write_replacing(&path, &partial, &bytes, true)
    }
}
