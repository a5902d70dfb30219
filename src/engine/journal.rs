//! The run journal: append-only JSON Lines, each append written and fsync'd under an exclusive
//! lock before it counts, read back with every damaged line reported by number.

use super::event::{Entry, Event};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

pub const JOURNAL_FILE: &str = "owner-ledger.jsonl";

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{path}:{line}: the last line is incomplete (a write was cut off); nothing is appended until `owner-console journal repair` moves it aside"
    )]
    TornTail { path: PathBuf, line: usize },
    #[error("{path}:{line}: the last line is not a journal entry: {why}")]
    BadTail {
        path: PathBuf,
        line: usize,
        why: String,
    },
}

/// A line that could not be read as an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    pub line: usize,
    pub why: String,
}

#[derive(Debug, Default)]
pub struct JournalContents {
    pub entries: Vec<Entry>,
    pub damage: Vec<Damage>,
}

pub struct Journal {
    path: PathBuf,
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Journal {
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn open_for_append(&self) -> Result<File, JournalError> {
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

    /// Appends the events of one transition as consecutive entries; returns them once they
    /// are on disk.
    pub fn append(
        &self,
        run: &str,
        time: &str,
        events: Vec<Event>,
    ) -> Result<Vec<Entry>, JournalError> {
        let mut file = self.open_for_append()?;
        file.lock().map_err(io_error(&self.path))?;
        let result = self.append_locked(&mut file, run, time, events);
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
    ) -> Result<Vec<Entry>, JournalError> {
        let next_seq = self.next_seq(file)?;
        let mut bytes = Vec::new();
        let mut entries = Vec::with_capacity(events.len());
        for (offset, event) in events.into_iter().enumerate() {
            let entry = Entry {
                seq: next_seq + offset as u64,
                time: time.to_owned(),
                run: run.to_owned(),
                event,
            };
            serde_json::to_writer(&mut bytes, &entry)
                .map_err(|e| io_error(&self.path)(e.into()))?;
            bytes.push(b'\n');
            entries.push(entry);
        }
        file.write_all(&bytes).map_err(io_error(&self.path))?;
        file.sync_data().map_err(io_error(&self.path))?;
        Ok(entries)
    }

    /// The sequence number after the last entry, read from the file's tail so that entries
    /// appended by another process are counted.
    fn next_seq(&self, file: &mut File) -> Result<u64, JournalError> {
        let length = file.seek(SeekFrom::End(0)).map_err(io_error(&self.path))?;
        if length == 0 {
            return Ok(0);
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
                return Err(JournalError::TornTail {
                    path: self.path.clone(),
                    line,
                });
            }
            let body = &tail[..tail.len() - 1];
            match body.iter().rposition(|b| *b == b'\n') {
                Some(at) => return self.seq_of_line(&body[at + 1..]),
                None if start == 0 => return self.seq_of_line(body),
                None => window *= 4,
            }
        }
    }

    fn seq_of_line(&self, line: &[u8]) -> Result<u64, JournalError> {
        serde_json::from_slice::<Entry>(line)
            .map(|entry| entry.seq + 1)
            .map_err(|error| JournalError::BadTail {
                path: self.path.clone(),
                line: self.count_lines().unwrap_or(0),
                why: error.to_string(),
            })
    }

    fn count_lines(&self) -> Result<usize, JournalError> {
        let bytes = std::fs::read(&self.path).map_err(io_error(&self.path))?;
        Ok(bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .count())
    }

    /// Every entry, and every line that is not one. A missing file is an empty journal.
    pub fn read(&self) -> Result<JournalContents, JournalError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Ok(JournalContents::default());
            }
            Err(error) => return Err(io_error(&self.path)(error)),
        };
        Ok(parse(&bytes))
    }

    /// Moves an incomplete last line into a backup file beside the journal and truncates it,
    /// so that appends can go on. Returns the backup's path, or None if the tail was whole.
    pub fn repair(&self) -> Result<Option<PathBuf>, JournalError> {
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
        let mut saved = File::create(&backup).map_err(io_error(&backup))?;
        saved.write_all(&bytes[keep..]).map_err(io_error(&backup))?;
        saved.sync_all().map_err(io_error(&backup))?;
        let file = OpenOptions::new()
            .write(true)
            .open(&self.path)
            .map_err(io_error(&self.path))?;
        file.set_len(keep as u64).map_err(io_error(&self.path))?;
        file.sync_all().map_err(io_error(&self.path))?;
        Ok(Some(backup))
    }
}

pub fn parse(bytes: &[u8]) -> JournalContents {
    let mut contents = JournalContents::default();
    let torn = !bytes.is_empty() && bytes.last() != Some(&b'\n');
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let last_line = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |at| at + 1);
    for (index, line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        let number = index + 1;
        match serde_json::from_slice::<Entry>(line) {
            Ok(entry) => contents.entries.push(entry),
            Err(_) if torn && number == last_line => contents.damage.push(Damage {
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

fn sync_folder(folder: &Path) -> io::Result<()> {
    File::open(folder)?.sync_all()
}
