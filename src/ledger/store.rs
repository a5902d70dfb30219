//! The ledger file: append-only JSON Lines. Each append takes an exclusive lock, chains and
//! signs its entries, writes whole lines and fsyncs before it counts; reading reports every
//! damaged line by number.

use super::checkpoint::Checkpoint;
use super::entry::{Entry, GENESIS, SignError};
use crate::engine::Event;
use crate::workspace::durable::sync_folder;
use alloy_signer_local::PrivateKeySigner;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

pub const LEDGER_FILE: &str = "owner-ledger.jsonl";

/// Besides at the end of every run and at explicit checkpoints, the checkpoint file is
/// refreshed every this many entries: often enough to bound what a truncated tail can hide,
/// rarely enough that an append costs about one write and one fsync.
pub const CHECKPOINT_EVERY: u64 = 64;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{path}:{line}: the last line is incomplete (a write was cut off); nothing is appended until `owner-console ledger repair` moves it aside"
    )]
    TornTail { path: PathBuf, line: usize },
    #[error(
        "{path}:{line}: the last line is not a ledger entry ({why}); nothing is appended until it is looked into (`owner-console ledger verify`)"
    )]
    BadTail {
        path: PathBuf,
        line: usize,
        why: String,
    },
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// A line that could not be read as an entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Damage {
    pub line: usize,
    pub why: String,
}

#[derive(Debug, Default)]
pub struct LedgerContents {
    /// Entries with the line each was read from.
    pub entries: Vec<Entry>,
    pub lines: Vec<usize>,
    /// The byte offset in the file of each entry's line.
    pub offsets: Vec<u64>,
    pub damage: Vec<Damage>,
}

pub struct Ledger {
    path: PathBuf,
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> LedgerError + '_ {
    move |source| LedgerError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Ledger {
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn checkpoint_path(&self) -> PathBuf {
        self.path.with_extension("checkpoint.json")
    }

    /// The run index beside the ledger (a cache of the run list, see `crate::session::run_index`).
    pub fn index_path(&self) -> PathBuf {
        self.path.with_extension("index.json")
    }

    fn open_for_append(&self) -> Result<File, LedgerError> {
        let folder = self.path.parent().unwrap_or(Path::new("."));
        let created_folder = !folder.exists();
        std::fs::create_dir_all(folder).map_err(io_error(folder))?;
        let existed = self.path.exists();
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&self.path)
            .map_err(io_error(&self.path))?;
        if !existed || created_folder {
            sync_folder(folder).map_err(io_error(folder))?;
            if created_folder && let Some(parent) = folder.parent() {
                sync_folder(parent).map_err(io_error(parent))?;
            }
        }
        Ok(file)
    }

    /// Appends the events of one transition as consecutive signed entries; returns them once
    /// they are on disk.
    pub fn append(
        &self,
        run: &str,
        time: &str,
        events: Vec<Event>,
        key: &PrivateKeySigner,
    ) -> Result<Vec<Entry>, LedgerError> {
        let mut file = self.open_for_append()?;
        file.lock().map_err(io_error(&self.path))?;
        let result = self.append_locked(&mut file, run, time, events, key);
        let unlocked = file.unlock().map_err(io_error(&self.path));
        let entries = result?;
        unlocked?;
        Ok(entries)
    }

    fn append_locked(
        &self,
        file: &mut File,
        run: &str,
        time: &str,
        events: Vec<Event>,
        key: &PrivateKeySigner,
    ) -> Result<Vec<Entry>, LedgerError> {
        let (mut seq, mut prev) = match self.last_entry(file)? {
            Some(last) => (last.seq + 1, last.hash),
            None => (0, GENESIS.to_owned()),
        };
        let first_seq = seq;
        let mut bytes = Vec::new();
        let mut entries = Vec::with_capacity(events.len());
        for event in events {
            let entry = Entry::signed(seq, time, run, event, &prev, key)?;
            serde_json::to_writer(&mut bytes, &entry)
                .map_err(|e| io_error(&self.path)(e.into()))?;
            bytes.push(b'\n');
            seq += 1;
            prev = entry.hash.clone();
            entries.push(entry);
        }
        file.write_all(&bytes).map_err(io_error(&self.path))?;
        file.sync_data().map_err(io_error(&self.path))?;
        if let Some(last) = entries.last() {
            let explicit = entries
                .iter()
                .any(|e| matches!(e.event, Event::Checkpoint { .. }));
            let run_ended = entries
                .iter()
                .any(|e| matches!(e.event, Event::RunCompleted {} | Event::RunAborted { .. }));
            let crossed = (first_seq..=last.seq).any(|seq| (seq + 1) % CHECKPOINT_EVERY == 0);
            if explicit {
                Checkpoint::of(last, time, key)?.write(&self.checkpoint_path(), true)?;
            } else if run_ended || crossed {
                // Without fsync: the checkpoint only narrows what a truncation can hide, and a
                // lost one leaves the previous, still valid, in place.
                let _ = Checkpoint::of(last, time, key)
                    .and_then(|c| c.write(&self.checkpoint_path(), false));
            }
        }
        Ok(entries)
    }

    /// Records a `checkpoint` entry and writes the checkpoint file durably, both under the lock
    /// so that no other writer's newer checkpoint is replaced by this one.
    pub fn checkpoint(&self, time: &str, key: &PrivateKeySigner) -> Result<Entry, LedgerError> {
        let mut file = self.open_for_append()?;
        file.lock().map_err(io_error(&self.path))?;
        let result = self.last_entry(&mut file).and_then(|last| {
            let (entries, head) = match last {
                Some(last) => (last.seq + 1, last.hash),
                None => (0, GENESIS.to_owned()),
            };
            self.append_locked(
                &mut file,
                "ledger",
                time,
                vec![Event::Checkpoint { entries, head }],
                key,
            )
        });
        let unlocked = file.unlock().map_err(io_error(&self.path));
        let mut entries = result?;
        unlocked?;
        entries.pop().ok_or_else(|| {
            io_error(&self.path)(io::Error::other("no checkpoint entry was written"))
        })
    }

    /// The last entry, read from the file's tail so that entries appended by another process
    /// are seen.
    fn last_entry(&self, file: &mut File) -> Result<Option<Entry>, LedgerError> {
        let length = file.seek(SeekFrom::End(0)).map_err(io_error(&self.path))?;
        if length == 0 {
            return Ok(None);
        }
        let mut window = 4096u64;
        loop {
            let start = length.saturating_sub(window);
            file.seek(SeekFrom::Start(start))
                .map_err(io_error(&self.path))?;
            let mut tail = Vec::new();
            file.take(length - start)
                .read_to_end(&mut tail)
                .map_err(io_error(&self.path))?;
            if tail.last() != Some(&b'\n') {
                let line = self.count_lines()?;
                return Err(LedgerError::TornTail {
                    path: self.path.clone(),
                    line,
                });
            }
            let body = &tail[..tail.len() - 1];
            let line = match body.iter().rposition(|b| *b == b'\n') {
                Some(at) => &body[at + 1..],
                None if start == 0 => body,
                None => {
                    window *= 4;
                    continue;
                }
            };
            return serde_json::from_slice::<Entry>(line)
                .map(Some)
                .map_err(|error| LedgerError::BadTail {
                    path: self.path.clone(),
                    line: self.count_lines().unwrap_or(0),
                    why: error.to_string(),
                });
        }
    }

    fn count_lines(&self) -> Result<usize, LedgerError> {
        let bytes = std::fs::read(&self.path).map_err(io_error(&self.path))?;
        Ok(bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .count())
    }

    pub fn read_bytes(&self) -> Result<Vec<u8>, LedgerError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => Ok(bytes),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(error) => Err(io_error(&self.path)(error)),
        }
    }

    /// Every entry, and every line that is not one. A missing file is an empty ledger.
    pub fn read(&self) -> Result<LedgerContents, LedgerError> {
        Ok(parse(&self.read_bytes()?))
    }

    /// Moves an incomplete last line into a backup file beside the ledger and truncates it,
    /// so that appends can go on. Returns the backup's path, or None if the tail was whole.
    pub fn repair(&self) -> Result<Option<PathBuf>, LedgerError> {
        let bytes = std::fs::read(&self.path).map_err(io_error(&self.path))?;
        if bytes.is_empty() || bytes.last() == Some(&b'\n') {
            return Ok(None);
        }
        let keep = bytes
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |at| at + 1);
        let stamp = jiff::Timestamp::now()
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        let backup = self.path.with_extension(format!("jsonl.torn-{stamp}"));
        crate::workspace::durable::write(&backup, &bytes[keep..]).map_err(io_error(&backup))?;
        let file = OpenOptions::new()
            .write(true)
            .open(&self.path)
            .map_err(io_error(&self.path))?;
        file.set_len(keep as u64).map_err(io_error(&self.path))?;
        file.sync_all().map_err(io_error(&self.path))?;
        Ok(Some(backup))
    }
}

pub fn parse(bytes: &[u8]) -> LedgerContents {
    parse_at(bytes, 0, 0)
}

/// Parses the part of a ledger file that starts at byte `offset`, after `lines_before` lines
/// (it must start a line): line numbers and offsets are the file's.
pub fn parse_at(bytes: &[u8], lines_before: usize, offset: u64) -> LedgerContents {
    let mut contents = LedgerContents::default();
    let mut at = offset;
    let torn = !bytes.is_empty() && bytes.last() != Some(&b'\n');
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let last_line = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |at| at + 1);
    for (index, line) in lines.iter().enumerate() {
        let start = at;
        at += line.len() as u64 + 1;
        if line.is_empty() {
            continue;
        }
        let number = lines_before + index + 1;
        match serde_json::from_slice::<Entry>(line) {
            Ok(entry) => {
                contents.entries.push(entry);
                contents.lines.push(number);
                contents.offsets.push(start);
            }
            Err(_) if torn && index + 1 == last_line => contents.damage.push(Damage {
                line: number,
                why: "incomplete last line (the write was cut off)".to_owned(),
            }),
            Err(error) => contents.damage.push(Damage {
                line: number,
                why: error.to_string(),
            }),
        }
    }
    contents
}
