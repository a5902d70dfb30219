//! The run index beside the ledger (`owner-ledger.index.json`): the run list's summaries and
//! the part of the ledger they cover (its length in bytes, its lines, the SHA-256 of its last
//! line), so that start-up replays only the entries appended since.
//!
//! It is a cache and is never believed over the ledger: it is used only when the ledger still
//! holds, at the covered length, the very line it ends on, and only for the same runbooks and
//! the same console; otherwise the list comes from a full replay and the index is rewritten.
//! Verification never reads it.

mod closed_runs;
mod error;

pub use closed_runs::ClosedRuns;
pub use error::{ClosedRunsError, IndexError, NotAnIndex};

use crate::ledger::store::{self, Damage, LedgerContents};
use crate::ledger::{Entry, Ledger, LedgerError};
use crate::session::run_list::{self, RunLister, RunSummary, UNFINISHED};
use crate::workspace::durable;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::os::unix::fs::FileExt;

const FORMAT: u32 = 2;

/// The header line of the index file; the closed runs follow it (see [`closed_runs`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunIndex {
    format: u32,
    /// The console's version: a newer one may summarise differently.
    console: String,
    /// Each runbook's id and SHA-256: a run's summary depends on its runbook.
    runbooks: BTreeMap<String, String>,
    covered: Covered,
    /// The unfinished runs, first in the run list's order.
    unfinished: Vec<RunSummary>,
    /// The entries of the closed runs: the start screen counts every entry.
    closed_entries: usize,
    /// The byte offsets of the entries of each unfinished run: an entry appended to one of
    /// them replays that run alone.
    open_runs: BTreeMap<String, Vec<u64>>,
    damage: Vec<Damage>,
    /// The closed runs, after the unfinished ones (the file's second line).
    #[serde(skip)]
    closed: ClosedRuns,
    /// Whether this differs from the index file (not stored).
    #[serde(skip)]
    changed: bool,
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

/// The run list as the start screen first shows it: the unfinished runs (in `listed`) and
/// the count of every run's entries now, the closed runs still as the index's text until
/// [`StartRuns::complete`] reads them (the console does, right after its first frame).
#[derive(Debug)]
pub struct StartRuns {
    /// Its runs are the unfinished ones.
    pub listed: IndexedRuns,
    /// The entries of all runs, closed ones too.
    pub entries: usize,
    pub closed: ClosedRuns,
}

impl StartRuns {
    /// The whole run list; Err (why) when the index's closed runs do not read.
    pub fn complete(self) -> Result<IndexedRuns, ClosedRunsError> {
        let mut listed = self.listed;
        listed.runs.extend(self.closed.parse()?);
        Ok(listed)
    }
}

/// The run list of `ledger`, through its index; rewrites the index when it changed. A failed
/// index write is logged, not an error: the list itself came from the ledger. Only the
/// ledger's tail past the index is read (and the earlier lines of the runs it touches).
pub fn runs(ledger: &Ledger, lister: &RunLister) -> Result<IndexedRuns, LedgerError> {
    runs_with(ledger, lister, IndexFile::read(ledger))
}

/// The index file of a ledger as read (and parsed), before it is checked against the ledger
/// and the runbooks: start-up reads it right after the runbooks.
pub struct IndexFile(Result<RunIndex, IndexError>);

impl IndexFile {
    pub fn read(ledger: &Ledger) -> Self {
        Self(read(&ledger.index_path()))
    }
}

/// [`runs`], with the index file already read.
pub fn runs_with(
    ledger: &Ledger,
    lister: &RunLister,
    index_file: IndexFile,
) -> Result<IndexedRuns, LedgerError> {
    let unreadable = |why: ClosedRunsError| LedgerError::Io {
        path: ledger.index_path(),
        source: std::io::Error::other(why),
    };
    match runs_for_start(ledger, lister, index_file)?.complete() {
        Ok(listed) => Ok(listed),
        // A full replay, which parses every run itself.
        Err(why) => runs_for_start(ledger, lister, IndexFile(Err(why.into())))?
            .complete()
            .map_err(unreadable),
    }
}

/// [`runs_with`], with the closed runs left unread (the console's first frame).
pub fn runs_for_start(
    ledger: &Ledger,
    lister: &RunLister,
    index_file: IndexFile,
) -> Result<StartRuns, LedgerError> {
    let io = |source| LedgerError::Io {
        path: ledger.path().to_path_buf(),
        source,
    };
    let file = match File::open(ledger.path()) {
        Ok(file) => Some(file),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(io(error)),
    };
    let length = match &file {
        Some(file) => file.metadata().map_err(io)?.len(),
        None => 0,
    };
    let path = ledger.index_path();
    let advanced = index_file.0.and_then(|old| match &file {
        Some(file) => old.advance(file, length, lister),
        None => Err(IndexError::NoLedger),
    });
    let (index, torn, source) = match advanced {
        Ok((index, torn, replayed)) => (index, torn, Source::Index { replayed }),
        Err(why) => {
            let bytes = match &file {
                Some(file) => read_range(file, 0, length).map_err(io)?,
                None => Vec::new(),
            };
            let (index, torn) = RunIndex::build(&bytes, lister);
            (index, torn, Source::FullReplay(why.to_string()))
        }
    };
    if index.changed
        && let Err(error) = index.write(ledger)
    {
        tracing::warn!("{}: the run index is not written: {error}", path.display());
    }
    let mut damage = index.damage.clone();
    damage.extend(torn);
    let entries = index.closed_entries + index.unfinished.iter().map(|r| r.entries).sum::<usize>();
    Ok(StartRuns {
        listed: IndexedRuns {
            runs: index.unfinished,
            damage,
            ledger_bytes: length,
            source,
        },
        entries,
        closed: index.closed,
    })
}

/// Bytes `from..to` of `file`.
fn read_range(file: &File, from: u64, to: u64) -> std::io::Result<Vec<u8>> {
    let length = usize::try_from(to.saturating_sub(from)).map_err(std::io::Error::other)?;
    let mut bytes = vec![0; length];
    file.read_exact_at(&mut bytes, from)?;
    Ok(bytes)
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

fn read(path: &std::path::Path) -> Result<RunIndex, IndexError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(IndexError::NoIndexYet);
        }
        Err(error) => {
            return Err(IndexError::Unreadable {
                path: path.to_path_buf(),
                error,
            });
        }
    };
    let not_an_index = |why| IndexError::NotAnIndex {
        path: path.to_path_buf(),
        why,
    };
    let (header, closed) = closed_runs::split(&bytes).map_err(not_an_index)?;
    let mut index: RunIndex =
        serde_json::from_slice(header).map_err(|e| not_an_index(NotAnIndex::Header(e)))?;
    index.closed = closed;
    Ok(index)
}

/// The length of the whole lines of `bytes`: a torn last line is left out of the index.
fn covered_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |at| at + 1)
}

/// How far before the index's end the ledger is first read to find its last line.
const LAST_LINE_WINDOW: u64 = 16 * 1024;

/// Bytes of the ledger file from offset `start`.
struct Part {
    start: u64,
    bytes: Vec<u8>,
}

impl Part {
    /// The line starting at file offset `offset`, without its newline.
    fn line_at(&self, offset: u64) -> Option<&[u8]> {
        let at = usize::try_from(offset.checked_sub(self.start)?).ok()?;
        self.bytes.get(at..)?.split(|b| *b == b'\n').next()
    }
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
            unfinished: Vec::new(),
            closed_entries: 0,
            open_runs: BTreeMap::new(),
            damage: Vec::new(),
            closed: ClosedRuns::default(),
            changed: true,
        };
        let contents = store::parse(bytes);
        let runs = lister.list(contents.entries.clone());
        empty.extended(bytes, contents, Some(runs))
    }

    /// This index carried forward over the ledger's lines past it (`file`, `length` bytes
    /// long): the runs that got entries are summarised again, with their earlier entries read
    /// at their offsets. Err (why) when the index does not describe the ledger.
    fn advance(
        mut self,
        file: &File,
        length: u64,
        lister: &RunLister,
    ) -> Result<(Self, Vec<Damage>, usize), IndexError> {
        self.check_origin(lister)?;
        let covered = self.covered.bytes;
        if covered > length {
            return Err(IndexError::LedgerShorter);
        }
        let tail_bytes = read_range(file, covered, length).map_err(IndexError::ReadingLedger)?;
        let tail = store::parse_at(&tail_bytes, self.covered.lines, covered);
        let mut by_run: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for entry in &tail.entries {
            by_run
                .entry(entry.run.clone())
                .or_default()
                .push(entry.clone());
        }
        let earliest = by_run
            .keys()
            .filter_map(|id| self.open_runs.get(id)?.first().copied())
            .min()
            .unwrap_or(covered);
        let before = self.covered_end(file, earliest.min(covered))?;
        let replayed = tail.entries.len();
        let runs = match by_run.is_empty() {
            true => None,
            false => Some(self.summarized_again(by_run, &before, lister)?),
        };
        let (index, torn) = self.extended(&tail_bytes, tail, runs);
        Ok((index, torn, replayed))
    }

    /// The whole run list with the runs in `by_run` (their entries past the index) summarised
    /// again, their earlier entries read in `before`.
    fn summarized_again(
        &mut self,
        by_run: BTreeMap<String, Vec<Entry>>,
        before: &Part,
        lister: &RunLister,
    ) -> Result<Vec<RunSummary>, IndexError> {
        let closed = std::mem::take(&mut self.closed).parse()?;
        let mut runs = std::mem::take(&mut self.unfinished);
        runs.extend(closed);
        for (id, new) in by_run {
            let mut entries = self.open_entries(before, &id)?;
            if entries.is_empty() && runs.iter().any(|r| r.id == id) {
                return Err(IndexError::ClosedRunMoved(id));
            }
            entries.extend(new);
            runs.retain(|r| r.id != id);
            runs.extend(lister.summarize(id, &entries));
        }
        run_list::sort(&mut runs);
        Ok(runs)
    }

    /// Takes `runs` (in the run list's order, unfinished first) as the index's list.
    fn set_runs(&mut self, runs: Vec<RunSummary>) {
        let (unfinished, closed): (Vec<_>, Vec<_>) =
            runs.into_iter().partition(|r| r.status == UNFINISHED);
        self.closed_entries = closed.iter().map(|r| r.entries).sum();
        self.unfinished = unfinished;
        self.closed = ClosedRuns::Parsed(closed);
    }

    fn check_origin(&self, lister: &RunLister) -> Result<(), IndexError> {
        if self.format != FORMAT || self.console != env!("CARGO_PKG_VERSION") {
            return Err(IndexError::OtherConsole);
        }
        if self.runbooks != lister.fingerprint() {
            return Err(IndexError::RunbooksChanged);
        }
        Ok(())
    }

    /// The ledger's bytes from `from` (or earlier) up to where the index ends, once their
    /// last line is the line the index ends on; Err when it is not.
    fn covered_end(&self, file: &File, mut from: u64) -> Result<Part, IndexError> {
        let covered = self.covered.bytes;
        if covered == 0 {
            return match self.covered.last_line_sha256.is_empty() {
                true => Ok(Part {
                    start: 0,
                    bytes: Vec::new(),
                }),
                false => Err(IndexError::LastLineDiffers),
            };
        }
        from = from.min(covered.saturating_sub(LAST_LINE_WINDOW));
        loop {
            let bytes = read_range(file, from, covered).map_err(IndexError::ReadingLedger)?;
            let Some(body) = bytes.strip_suffix(b"\n") else {
                return Err(IndexError::LastLineDiffers);
            };
            match body.iter().rposition(|b| *b == b'\n') {
                None if from > 0 => from = from.saturating_sub(4 * (covered - from)),
                found => {
                    let line = &body[found.map_or(0, |at| at + 1)..];
                    if hex::encode(Sha256::digest(line)) != self.covered.last_line_sha256 {
                        return Err(IndexError::LastLineDiffers);
                    }
                    return Ok(Part { start: from, bytes });
                }
            }
        }
    }

    /// The entries of unfinished run `id` read at their indexed offsets in `part`; none when
    /// the index has no such run open. Err when an offset no longer holds that run's entry.
    fn open_entries(&self, part: &Part, id: &str) -> Result<Vec<Entry>, IndexError> {
        let Some(offsets) = self.open_runs.get(id) else {
            return Ok(Vec::new());
        };
        offsets
            .iter()
            .map(|&offset| {
                let line = part
                    .line_at(offset)
                    .ok_or_else(|| IndexError::OffsetOutside {
                        run: id.to_owned(),
                        offset,
                    })?;
                match serde_json::from_slice::<Entry>(line) {
                    Ok(entry) if entry.run == id => Ok(entry),
                    _ => Err(IndexError::OffsetMoved {
                        run: id.to_owned(),
                        offset,
                    }),
                }
            })
            .collect()
    }

    /// This index grown by `tail` (parsed from `tail_bytes`, the ledger where the index
    /// ended), with `runs` as the new list if given; and the damage past the whole lines (a
    /// torn one).
    fn extended(
        mut self,
        tail_bytes: &[u8],
        tail: LedgerContents,
        runs: Option<Vec<RunSummary>>,
    ) -> (Self, Vec<Damage>) {
        if let Some(runs) = runs {
            self.set_runs(runs);
        }
        let whole = &tail_bytes[..covered_len(tail_bytes)];
        let lines = self.covered.lines + whole.iter().filter(|b| **b == b'\n').count();
        for (entry, offset) in tail.entries.iter().zip(&tail.offsets) {
            self.open_runs
                .entry(entry.run.clone())
                .or_default()
                .push(*offset);
        }
        let open: BTreeSet<&str> = self.unfinished.iter().map(|r| r.id.as_str()).collect();
        self.open_runs.retain(|id, _| open.contains(id.as_str()));
        let (kept, torn): (Vec<Damage>, Vec<Damage>) =
            tail.damage.into_iter().partition(|d| d.line <= lines);
        self.changed = !whole.is_empty() || self.changed;
        self.damage.extend(kept);
        if !whole.is_empty() {
            self.covered = Covered {
                bytes: self.covered.bytes + whole.len() as u64,
                lines,
                last_line_sha256: last_line_sha256(whole),
            };
        }
        (self, torn)
    }

    /// Writes the index through a temporary file, an fsync and a rename.
    fn write(&self, ledger: &Ledger) -> std::io::Result<()> {
        let bytes = closed_runs::join(&serde_json::to_vec(self)?, &self.closed)?;
        durable::write(&ledger.index_path(), &bytes)
    }
}
