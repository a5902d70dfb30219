//! A prepared batch file read back and checked against the SHA-256 of its bytes that the ledger
//! recorded when it was prepared (`batch-prepared`'s `file_sha256`): what is approved,
//! executed, checked, shown or exported is the file that was prepared, or nothing is.

use super::{Batch, ParseError, parse_batch};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A batch file larger than this is refused unread: the console's batches are a few KiB, and
/// the Safe app's Transaction Builder holds far less.
pub const MAX_BATCH_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum BindingError {
    #[error("{}: {error}", .path.display())]
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{}: {size} bytes, more than a batch file may hold ({MAX_BATCH_BYTES}); refused unread",
        .path.display()
    )]
    TooLarge { path: PathBuf, size: u64 },
    #[error(
        "{}: its SHA-256 is {now}, but batch-prepared recorded {recorded}: the batch changed after it was prepared and approved",
        .path.display()
    )]
    Changed {
        path: PathBuf,
        recorded: String,
        now: String,
    },
    #[error("{}: {error}", .path.display())]
    Unparsable { path: PathBuf, error: ParseError },
}

/// Hex SHA-256 of a batch file's bytes: what `batch-prepared` records as `file_sha256`.
pub fn file_sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `bytes` (the file at `path`) checked against `recorded`, then parsed.
pub fn check_bound(path: &Path, bytes: &[u8], recorded: &str) -> Result<Batch, BindingError> {
    let now = file_sha256(bytes);
    if !now.eq_ignore_ascii_case(recorded) {
        return Err(BindingError::Changed {
            path: path.to_path_buf(),
            recorded: recorded.to_owned(),
            now,
        });
    }
    let text = String::from_utf8_lossy(bytes);
    parse_batch(&text).map_err(|error| BindingError::Unparsable {
        path: path.to_path_buf(),
        error,
    })
}

/// Reads the batch file at `path` (at most [`MAX_BATCH_BYTES`]) and checks it against the
/// SHA-256 `recorded` at batch-prepared.
pub fn read_bound(path: &Path, recorded: &str) -> Result<Batch, BindingError> {
    let unreadable = |error| BindingError::Unreadable {
        path: path.to_path_buf(),
        error,
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_BATCH_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_BATCH_BYTES {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(BindingError::TooLarge {
            path: path.to_path_buf(),
            size,
        });
    }
    check_bound(path, &bytes, recorded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_byte_is_named_with_both_hashes() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("batch.json");
        let text = r#"{"version":"1.0","chainId":"1","createdAt":1,"meta":{},"transactions":[]}"#;
        std::fs::write(&path, text).unwrap();
        let recorded = file_sha256(text.as_bytes());
        assert!(read_bound(&path, &recorded).is_ok());
        std::fs::write(&path, text.replace("\"1\"", "\"5\"")).unwrap();
        let error = read_bound(&path, &recorded).unwrap_err().to_string();
        let now = file_sha256(std::fs::read(&path).unwrap().as_slice());
        assert!(error.contains(&recorded) && error.contains(&now), "{error}");
    }
}
