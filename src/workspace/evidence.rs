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

/// Where evidence may come from: `path` must name a regular file whose canonical path lies
/// inside one of `roots`; `..` and symbolic links are refused.
pub fn confine(path: &Path, roots: &[PathBuf]) -> Result<PathBuf, String> {
    let shown = path.display();
    if path.components().any(|c| c == Component::ParentDir) {
        return Err(format!(
            "{shown}: `..` is not allowed in an evidence path; give the file's own path inside the workspace"
        ));
    }
    let metadata = fs::symlink_metadata(path).map_err(|e| format!("{shown}: {e}"))?;
    if metadata.file_type().is_symlink() {
        return Err(format!(
            "{shown} is a symbolic link; attach the file itself, copied into the workspace"
        ));
    }
    if !metadata.is_file() {
        return Err(format!("{shown} is not a regular file"));
    }
    let canonical = path.canonicalize().map_err(|e| format!("{shown}: {e}"))?;
    let inside = roots
        .iter()
        .filter_map(|root| root.canonicalize().ok())
        .any(|root| canonical.starts_with(root));
    if inside {
        return Ok(canonical);
    }
    let allowed: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    Err(format!(
        "{shown} resolves to {}, outside the workspace ({}); copy the file into the workspace first",
        canonical.display(),
        allowed.join(" or ")
    ))
}
