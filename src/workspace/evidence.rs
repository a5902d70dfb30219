//! The content-addressed evidence store: `storage/evidence/<sha256>`, written durably.

use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

pub struct EvidenceStore {
    folder: PathBuf,
}

impl EvidenceStore {
    pub fn new(folder: PathBuf) -> Self {
        Self { folder }
    }

    pub fn path_of(&self, sha256: &str) -> PathBuf {
        self.folder.join(sha256)
    }

    /// Stores bytes under their hash; returns the hash.
    pub fn put_bytes(&self, bytes: &[u8]) -> io::Result<String> {
        let sha256 = hex::encode(Sha256::digest(bytes));
        self.write_once(&sha256, |file| file.write_all(bytes))?;
        Ok(sha256)
    }

    /// Copies a regular file into the store; returns its hash and size.
    pub fn put_file(&self, source: &Path) -> io::Result<(String, u64)> {
        let metadata = fs::metadata(source)?;
        if !metadata.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is not a regular file", source.display()),
            ));
        }
        let mut hasher = Sha256::new();
        let mut reader = File::open(source)?;
        let mut buffer = vec![0u8; 64 * 1024];
        let mut bytes = Vec::with_capacity(metadata.len() as usize);
        loop {
            let read = reader.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
            bytes.extend_from_slice(&buffer[..read]);
        }
        let sha256 = hex::encode(hasher.finalize());
        self.write_once(&sha256, |file| file.write_all(&bytes))?;
        Ok((sha256, bytes.len() as u64))
    }

    fn write_once(
        &self,
        sha256: &str,
        write: impl FnOnce(&mut File) -> io::Result<()>,
    ) -> io::Result<()> {
        let target = self.path_of(sha256);
        if target.is_file() {
            return Ok(());
        }
        super::durable::write_with(&target, write)
    }
}

/// Why a file cannot be attached as evidence.
#[derive(Debug, thiserror::Error)]
pub enum ConfineError {
    #[error(
        "{}: `..` is not allowed in an evidence path; give the file's own path inside the workspace",
        .0.display()
    )]
    ParentDir(PathBuf),
    #[error("{}: {error}", .path.display())]
    Io { path: PathBuf, error: io::Error },
    #[error(
        "{} is a symbolic link; attach the file itself, copied into the workspace",
        .0.display()
    )]
    Symlink(PathBuf),
    #[error("{} is not a regular file", .0.display())]
    NotAFile(PathBuf),
    #[error(
        "{} resolves to {}, outside the workspace ({}); copy the file into the workspace first",
        .path.display(),
        .resolved.display(),
        .allowed.join(" or ")
    )]
    Outside {
        path: PathBuf,
        resolved: PathBuf,
        allowed: Vec<String>,
    },
}

/// Where evidence may come from: `path` must name a regular file whose canonical path lies
/// inside one of `roots`; `..` and symbolic links are refused.
pub fn confine(path: &Path, roots: &[PathBuf]) -> Result<PathBuf, ConfineError> {
    let io = |error| ConfineError::Io {
        path: path.to_path_buf(),
        error,
    };
    if path.components().any(|c| c == Component::ParentDir) {
        return Err(ConfineError::ParentDir(path.to_path_buf()));
    }
    let metadata = fs::symlink_metadata(path).map_err(io)?;
    if metadata.file_type().is_symlink() {
        return Err(ConfineError::Symlink(path.to_path_buf()));
    }
    if !metadata.is_file() {
        return Err(ConfineError::NotAFile(path.to_path_buf()));
    }
    let canonical = path.canonicalize().map_err(io)?;
    let inside = roots
        .iter()
        .filter_map(|root| root.canonicalize().ok())
        .any(|root| canonical.starts_with(root));
    if inside {
        return Ok(canonical);
    }
    Err(ConfineError::Outside {
        path: path.to_path_buf(),
        resolved: canonical,
        allowed: roots.iter().map(|r| r.display().to_string()).collect(),
    })
}
