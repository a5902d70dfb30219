//! Where runbooks, config and run state live: a folder, or the default workspace embedded in
//! the binary (read-only, with its run state in the user's data folder).

pub mod context;
pub mod durable;
pub mod embedded;
pub mod evidence;
pub mod networks;
pub mod settings;
pub mod snapshot;
pub mod toml_file;

use crate::ledger::Ledger;
use crate::ledger::store::LEDGER_FILE;
use crate::workspace::evidence::EvidenceStore;
use std::path::{Path, PathBuf};

/// Beside the embedded workspace's storage: the copy of its files that commands run in.
const EMBEDDED_COPY: &str = "embedded-workspace";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Folder(PathBuf),
    Embedded,
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub source: Source,
    pub storage: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{0}: no such workspace folder")]
    Missing(PathBuf),
    #[error(
        "{0}: not a workspace (it has no runbooks/ folder); `owner-console init {0}` creates one"
    )]
    NotWorkspace(PathBuf),
    #[error("cannot find a data folder for run state (is HOME set?)")]
    NoDataFolder,
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}: already holds a workspace (runbooks/); choose an empty or new folder")]
    AlreadyWorkspace(PathBuf),
}

pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "owner-console")
}

impl Workspace {
    /// `--workspace DIR`, else the current folder when it holds `runbooks/`, else the
    /// embedded default.
    pub fn discover(explicit: Option<&Path>) -> Result<Self, WorkspaceError> {
        if let Some(folder) = explicit {
            if !folder.is_dir() {
                return Err(WorkspaceError::Missing(folder.to_path_buf()));
            }
            if !folder.join("runbooks").is_dir() {
                return Err(WorkspaceError::NotWorkspace(folder.to_path_buf()));
            }
            return Ok(Self::folder(folder));
        }
        let here = std::env::current_dir().map_err(|source| WorkspaceError::Io {
            path: PathBuf::from("."),
            source,
        })?;
        if here.join("runbooks").is_dir() {
            return Ok(Self::folder(&here));
        }
        Self::embedded()
    }

    pub fn folder(folder: &Path) -> Self {
        let root = std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf());
        Self {
            storage: root.join("storage"),
            source: Source::Folder(root),
        }
    }

    pub fn embedded() -> Result<Self, WorkspaceError> {
        let dirs = project_dirs().ok_or(WorkspaceError::NoDataFolder)?;
        Ok(Self {
            source: Source::Embedded,
            storage: dirs.data_dir().join("storage"),
        })
    }

    /// Where the console keeps its validated runbooks (see `runbook::cache`).
    pub fn runbook_cache(&self) -> PathBuf {
        self.storage.join(crate::runbook::cache::FILE)
    }

    pub fn describe(&self) -> String {
        match &self.source {
            Source::Folder(root) => root.display().to_string(),
            Source::Embedded => "embedded default (read-only)".to_owned(),
        }
    }

    /// Runbook files as (shown path relative to the workspace, text), sorted by path.
    pub fn runbook_files(&self) -> Result<Vec<(PathBuf, String)>, WorkspaceError> {
        let mut files = match &self.source {
            Source::Embedded => embedded::runbook_files(),
            Source::Folder(root) => {
                let mut files = Vec::new();
                for shown in runbook_paths(root)? {
                    let text = std::fs::read_to_string(root.join(&shown)).map_err(|source| {
                        WorkspaceError::Io {
                            path: root.join(&shown),
                            source,
                        }
                    })?;
                    files.push((shown, text));
                }
                files
            }
        };
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(files)
    }

    /// Each runbook file's shown path and its first `head` bytes (lossy UTF-8), sorted by
    /// path: enough to find one by its path or its `id` line without reading every file.
    pub fn runbook_heads(&self, head: u64) -> Result<Vec<(PathBuf, String)>, WorkspaceError> {
        let Source::Folder(root) = &self.source else {
            return self.runbook_files();
        };
        let mut heads = Vec::new();
        for shown in runbook_paths(root)? {
            let path = root.join(&shown);
            let mut bytes = Vec::new();
            std::fs::File::open(&path)
                .and_then(|file| {
                    std::io::Read::read_to_end(&mut std::io::Read::take(file, head), &mut bytes)
                })
                .map_err(|source| WorkspaceError::Io { path, source })?;
            heads.push((shown, String::from_utf8_lossy(&bytes).into_owned()));
        }
        heads.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(heads)
    }

    /// One runbook file, by its shown path: (shown path, text).
    pub fn runbook_file(&self, shown: &Path) -> Result<(PathBuf, String), WorkspaceError> {
        let text = match &self.source {
            Source::Embedded => shown
                .to_str()
                .and_then(embedded::file_text)
                .ok_or_else(|| WorkspaceError::Io {
                    path: shown.to_path_buf(),
                    source: std::io::ErrorKind::NotFound.into(),
                })?,
            Source::Folder(root) => {
                std::fs::read_to_string(root.join(shown)).map_err(|source| WorkspaceError::Io {
                    path: root.join(shown),
                    source,
                })?
            }
        };
        Ok((shown.to_path_buf(), text))
    }

    /// A file of the workspace by its relative path (`config/networks.toml`).
    /// Where a file of a folder workspace is on disk (an embedded one has no files on disk).
    pub fn file_on_disk(&self, relative: &str) -> Option<PathBuf> {
        match &self.source {
            Source::Embedded => None,
            Source::Folder(root) => Some(root.join(relative)),
        }
    }

    pub fn read_text(&self, relative: &str) -> Option<String> {
        match &self.source {
            Source::Embedded => embedded::file_text(relative),
            Source::Folder(root) => std::fs::read_to_string(root.join(relative)).ok(),
        }
    }

    /// Every file of `config/` as (name, text).
    pub fn config_files(&self) -> Result<Vec<(String, String)>, WorkspaceError> {
        let mut files = match &self.source {
            Source::Embedded => embedded::all_files()
                .into_iter()
                .filter_map(|(path, bytes)| {
                    let name = path.strip_prefix("config").ok()?.to_str()?.to_owned();
                    Some((name, String::from_utf8_lossy(bytes).into_owned()))
                })
                .collect(),
            Source::Folder(root) => {
                let folder = root.join("config");
                let io = |source| WorkspaceError::Io {
                    path: folder.clone(),
                    source,
                };
                let mut files = Vec::new();
                for entry in std::fs::read_dir(&folder).map_err(io)? {
                    let path = entry.map_err(io)?.path();
                    if path.is_file()
                        && let Some(name) = path.file_name().and_then(|n| n.to_str())
                    {
                        let text = std::fs::read_to_string(&path).map_err(|source| {
                            WorkspaceError::Io {
                                path: path.clone(),
                                source,
                            }
                        })?;
                        files.push((name.to_owned(), text));
                    }
                }
                files
            }
        };
        files.sort();
        Ok(files)
    }

    pub fn ledger(&self) -> Ledger {
        Ledger::new(self.storage.join(LEDGER_FILE))
    }

    pub fn evidence(&self) -> EvidenceStore {
        EvidenceStore::new(self.storage.join("evidence"))
    }

    /// The folders evidence may be attached from: the workspace (for the embedded one, its
    /// copy where commands run) and its storage.
    pub fn evidence_roots(&self) -> Vec<PathBuf> {
        let workspace = match &self.source {
            Source::Folder(root) => root.clone(),
            Source::Embedded => self.storage.with_file_name(EMBEDDED_COPY),
        };
        vec![workspace, self.storage.clone()]
    }

    /// Where commands run: the workspace folder; for the embedded workspace, a copy of its
    /// files beside the run state, refreshed so that commands see what the console shows.
    pub fn command_folder(&self) -> Result<PathBuf, WorkspaceError> {
        match &self.source {
            Source::Folder(root) => Ok(root.clone()),
            Source::Embedded => {
                let folder = self.storage.with_file_name(EMBEDDED_COPY);
                write_files(&folder, embedded::all_files(), true)?;
                Ok(folder)
            }
        }
    }
}

/// The `.toml` files under `runbooks/`, as paths relative to the workspace, none read.
fn runbook_paths(root: &Path) -> Result<Vec<PathBuf>, WorkspaceError> {
    let mut files = Vec::new();
    collect_toml(root, &root.join("runbooks"), &mut files)?;
    Ok(files)
}

fn collect_toml(
    root: &Path,
    folder: &Path,
    files: &mut Vec<PathBuf>,
) -> Result<(), WorkspaceError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WorkspaceError::Io { path, source }
    };
    for entry in std::fs::read_dir(folder).map_err(io(folder))? {
        let path = entry.map_err(io(folder))?.path();
        if path.is_dir() {
            collect_toml(root, &path, files)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            files.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}

/// Writes the embedded workspace out into `folder` as a starting workspace.
pub fn init(folder: &Path) -> Result<Vec<PathBuf>, WorkspaceError> {
    if folder.join("runbooks").exists() {
        return Err(WorkspaceError::AlreadyWorkspace(folder.to_path_buf()));
    }
    write_files(folder, embedded::all_files(), false)
}

/// Writes files under `folder`; with `only_changed`, leaves files that already hold the bytes.
fn write_files(
    folder: &Path,
    files: Vec<(PathBuf, &'static [u8])>,
    only_changed: bool,
) -> Result<Vec<PathBuf>, WorkspaceError> {
    let mut written = Vec::new();
    for (relative, bytes) in files {
        let target = folder.join(&relative);
        if only_changed && std::fs::read(&target).is_ok_and(|old| old == bytes) {
            continue;
        }
        let io = |source| WorkspaceError::Io {
            path: target.clone(),
            source,
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&target, bytes).map_err(io)?;
        written.push(relative);
    }
    Ok(written)
}
