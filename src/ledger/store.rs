//! The ledger file: append-only JSON Lines. Each append takes an exclusive lock, chains and
//! signs its entries, writes whole lines and fsyncs before it counts; reading reports every
//! damaged line by number.

use super::MAX_LINE_BYTES;
use super::checkpoint::Checkpoint;
pub use super::contents::{Damage, LedgerContents, parse, parse_at, parse_on_every_core};
use super::entry::{Entry, GENESIS, SignError};
use super::seal::{Seal, seal};
use super::trust::Trust;
use crate::engine::Event;
use crate::engine::run::Recorded;
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
    #[error(
        "{path}:{line}: the last entry (seq {seq}) cannot be trusted ({why}); nothing is chained onto it until it is looked into (`owner-console ledger verify`; `owner-console ledger repair` moves a torn line aside)"
    )]
    UntrustedTail {
        path: PathBuf,
        line: usize,
        seq: u64,
        why: String,
    },
    #[error("run `{run}` moved since it was read ({} entr(y/ies) recorded since); nothing was recorded", moved.len())]
    RunMoved { run: String, moved: Vec<Entry> },
    #[error(
        "{path}: the ledger is shorter than when run `{run}` was read from it; nothing was recorded"
    )]
    Shrunk { path: PathBuf, run: String },
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// What an append wrote, and the ledger's length after it.
#[derive(Debug)]
pub struct Appended {
    pub entries: Vec<Entry>,
    pub end: u64,
}

pub struct Ledger {
    path: PathBuf,
    /// Whose last entry an append chains onto; without it only the hash and the signature
    /// of the last entry are checked.
    trust: Option<Trust>,
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> LedgerError + '_ {
    move |source| LedgerError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Ledger {
    pub fn new(path: PathBuf) -> Self {
        Self { path, trust: None }
    }

    /// Appends chain only onto a last entry signed by a trusted signer (or the appending key).
    pub fn trusting(mut self, trust: Trust) -> Self {
        self.trust = Some(trust);
        self
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
        Ok(self.append_to_run(run, None, time, events, key)?.entries)
    }

    /// [`Self::append`] for a run whose state was read up to `since`: under the lock, the
    /// ledger past `since` is read first, and if it holds an entry of the run, nothing is
    /// appended (the run moved: its state is no longer what the events were made from).
    pub fn append_to_run(
        &self,
        run: &str,
        since: Option<Recorded>,
        time: &str,
        events: Vec<Event>,
        key: &PrivateKeySigner,
    ) -> Result<Appended, LedgerError> {
        let mut file = self.open_for_append()?;
        file.lock().map_err(io_error(&self.path))?;
        let result = match since {
            Some(since) => self.moved_since(&mut file, run, since),
            None => Ok(()),
        }
        .and_then(|()| self.append_locked(&mut file, run, time, events, key));
        let unlocked = file.unlock().map_err(io_error(&self.path));
        let appended = result?;
        unlocked?;
        Ok(appended)
    }

    /// Err(RunMoved) when the ledger past `since` holds an entry of `run` after its seq.
    fn moved_since(&self, file: &mut File, run: &str, since: Recorded) -> Result<(), LedgerError> {
        let length = file.seek(SeekFrom::End(0)).map_err(io_error(&self.path))?;
        if length == since.end {
            return Ok(());
        }
        if length < since.end {
            return Err(LedgerError::Shrunk {
                path: self.path.clone(),
                run: run.to_owned(),
            });
        }
        file.seek(SeekFrom::Start(since.end))
            .map_err(io_error(&self.path))?;
        let mut tail = Vec::new();
        file.take(length - since.end)
            .read_to_end(&mut tail)
            .map_err(io_error(&self.path))?;
        let moved: Vec<Entry> = parse(&tail)
            .entries
            .into_iter()
            .filter(|e| e.run == run && e.seq > since.seq)
            .collect();
        match moved.is_empty() {
            true => Ok(()),
            false => Err(LedgerError::RunMoved {
                run: run.to_owned(),
                moved,
            }),
        }
    }

    fn append_locked(
        &self,
        file: &mut File,
        run: &str,
        time: &str,
        events: Vec<Event>,
        key: &PrivateKeySigner,
    ) -> Result<Appended, LedgerError> {
        let (mut seq, mut prev) = match self.trusted_last_entry(file, key)? {
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
        let end = file.seek(SeekFrom::End(0)).map_err(io_error(&self.path))?;
        remember_written_tail(&self.path, &bytes);
        if let Some(last) = entries.last() {
            let explicit = entries
                .iter()
                .any(|e| matches!(e.event, Event::Checkpoint { .. }));
            let run_ended = entries
                .iter()
                .any(|e| matches!(e.event, Event::RunCompleted {} | Event::RunAborted { .. }));
            let crossed = (first_seq..=last.seq).any(|seq| (seq + 1) % CHECKPOINT_EVERY == 0);
            // Under the lock no other checkpoint is being written: what a kill left goes.
            if explicit || run_ended || crossed {
                crate::workspace::durable::remove_leftovers(&self.checkpoint_path());
            }
            if explicit {
                Checkpoint::of(last, time, key)?.write(&self.checkpoint_path(), true)?;
            } else if run_ended || crossed {
                // Without fsync: the checkpoint only narrows what a truncation can hide, and a
                // lost one leaves the previous, still valid, in place.
                let _ = Checkpoint::of(last, time, key)
                    .and_then(|c| c.write(&self.checkpoint_path(), false));
            }
        }
        Ok(Appended { entries, end })
    }

    /// Records a `checkpoint` entry and writes the checkpoint file durably, both under the lock
    /// so that no other writer's newer checkpoint is replaced by this one.
    pub fn checkpoint(&self, time: &str, key: &PrivateKeySigner) -> Result<Entry, LedgerError> {
        let mut file = self.open_for_append()?;
        file.lock().map_err(io_error(&self.path))?;
        let result = self.trusted_last_entry(&mut file, key).and_then(|last| {
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
        let mut entries = result?.entries;
        unlocked?;
        entries.pop().ok_or_else(|| {
            io_error(&self.path)(io::Error::other("no checkpoint entry was written"))
        })
    }

    /// The last entry, once its line hashes to its `hash`, its signature is its signer's and
    /// the signer is trusted (or is `key`): a forged or edited line is never chained onto.
    fn trusted_last_entry(
        &self,
        file: &mut File,
        key: &PrivateKeySigner,
    ) -> Result<Option<Entry>, LedgerError> {
        let Some((entry, line)) = self.last_entry(file)? else {
            return Ok(None);
        };
        if wrote_this_tail(&self.path, &line) {
            return Ok(Some(entry));
        }
        let untrusted = |why: String| LedgerError::UntrustedTail {
            path: self.path.clone(),
            line: self.count_lines().unwrap_or(0),
            seq: entry.seq,
            why,
        };
        match seal(&entry, &line) {
            Seal::Sound => {}
            Seal::Edited { computed } => {
                return Err(untrusted(format!(
                    "its line hashes to {}…, not to its `hash` {}…: it was changed after signing",
                    &computed[..12],
                    entry.hash.get(..12).unwrap_or(&entry.hash)
                )));
            }
            Seal::BadSignature(why) | Seal::Unhashable(why) => return Err(untrusted(why)),
        }
        let own = key.address().to_checksum(None) == entry.signer;
        if !own && self.trust.as_ref().is_some_and(|t| !t.signs(&entry.signer)) {
            return Err(untrusted(format!(
                "it is signed by {}, who is not in config/operators.toml",
                entry.signer
            )));
        }
        Ok(Some(entry))
    }

    /// The last entry and its line, read from the file's tail so that entries appended by
    /// another process are seen.
    fn last_entry(&self, file: &mut File) -> Result<Option<(Entry, Vec<u8>)>, LedgerError> {
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
                None if window as usize <= MAX_LINE_BYTES => {
                    window *= 4;
                    continue;
                }
                None => body,
            };
            if line.len() > MAX_LINE_BYTES {
                return Err(LedgerError::BadTail {
                    path: self.path.clone(),
                    line: self.count_lines().unwrap_or(0),
                    why: format!("longer than the {MAX_LINE_BYTES} bytes a ledger line may be"),
                });
            }
            return serde_json::from_slice::<Entry>(line)
                .map(|entry| Some((entry, line.to_vec())))
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

/// The last line this process wrote to a ledger: when the ledger still ends with exactly
/// that line, the next append chains onto it without checking its signature again.
static WRITTEN_TAIL: std::sync::Mutex<Option<(PathBuf, Vec<u8>)>> = std::sync::Mutex::new(None);

fn remember_written_tail(path: &Path, written: &[u8]) {
    let body = written.strip_suffix(b"\n").unwrap_or(written);
    let last = body.rsplit(|b| *b == b'\n').next().unwrap_or(body);
    if let Ok(mut tail) = WRITTEN_TAIL.lock() {
        *tail = Some((path.to_path_buf(), last.to_vec()));
    }
}

fn wrote_this_tail(path: &Path, line: &[u8]) -> bool {
    WRITTEN_TAIL
        .lock()
        .is_ok_and(|tail| tail.as_ref().is_some_and(|(p, l)| p == path && l == line))
}
