//! Unsaved drafts: text typed into a note but not yet recorded, kept so that a signal, a lost
//! SSH link or a kill does not lose it. A draft is never a ledger entry: it lives in
//! `storage/drafts/<run>-<step>.txt` (0600), written whole to a temporary file, fsync'd and
//! renamed over the old one, and is removed once the note is recorded.

use std::path::{Path, PathBuf};

/// Why a draft could not be kept, read or removed.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("draft of run `{run}` step `{step}`: not a plain file name")]
    NotAFileName { run: String, step: String },
    #[error("draft {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io_at(path: &Path) -> impl FnOnce(std::io::Error) -> DraftError + '_ {
    move |source| DraftError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The drafts of one workspace.
#[derive(Debug, Clone)]
pub struct Drafts {
    folder: PathBuf,
}

impl Drafts {
    /// The drafts kept under the workspace's `storage` folder.
    pub fn in_storage(storage: &Path) -> Self {
        Self {
            folder: storage.join("drafts"),
        }
    }

    /// Where the draft of `step` in `run` is kept. Run and step ids are single path parts
    /// (the run's id is made by the console, the step's is validated by the loader); anything
    /// else is refused rather than written outside the folder.
    pub fn path_of(&self, run: &str, step: &str) -> Result<PathBuf, DraftError> {
        let name = format!("{run}-{step}.txt");
        let single = Path::new(&name)
            .file_name()
            .is_some_and(|n| n == name.as_str());
        if !single || name.starts_with('.') {
            return Err(DraftError::NotAFileName {
                run: run.to_owned(),
                step: step.to_owned(),
            });
        }
        Ok(self.folder.join(name))
    }

    /// Writes the draft durably: temporary file (0600), fsync, rename, fsync of the folder.
    pub fn save(&self, run: &str, step: &str, text: &str) -> Result<PathBuf, DraftError> {
        let path = self.path_of(run, step)?;
        crate::workspace::durable::write_private(&path, text.as_bytes()).map_err(io_at(&path))?;
        Ok(path)
    }

    /// The draft of `step` in `run`, if one is kept.
    pub fn load(&self, run: &str, step: &str) -> Result<Option<String>, DraftError> {
        let path = self.path_of(run, step)?;
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_at(&path)(e)),
        }
    }

    /// Removes the draft (the note is recorded now); returns whether there was one.
    pub fn discard(&self, run: &str, step: &str) -> Result<bool, DraftError> {
        let path = self.path_of(run, step)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(io_at(&path)(e)),
        }
    }
}
