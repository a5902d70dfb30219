//! Reading a bundle's files: never through a link, never more than a cap into memory.
//! Evidence and the runbook are hashed in pieces; the small documents (`run.json`,
//! `checkpoint.json`, `config/operators.toml`, `SHA256SUMS`) are read whole up to
//! [`DOCUMENT_BYTES`]; the ledger is read whole only once every line is known to be at most
//! [`MAX_LINE_BYTES`].

use super::limits::Size;
use crate::ledger::MAX_LINE_BYTES;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// The most a bundle's small documents may hold (a run of 100,000 entries lists its seqs in
/// under 1 MiB of `run.json`).
pub const DOCUMENT_BYTES: u64 = 16 << 20;

/// Why a file of the bundle is not read, said after its name (the caller names it).
#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    #[error("missing from the bundle")]
    Missing,
    #[error("is reached through a symbolic link")]
    ThroughLink,
    /// No source: the message is the I/O error's.
    #[error("{0}")]
    Io(std::io::Error),
    #[error(
        "holds more than {}, the most this file of a bundle may hold",
        Size(DOCUMENT_BYTES)
    )]
    TooLarge,
}

/// A file of the bundle, opened without following a link anywhere on its path.
pub fn open(root: &Path, relative: &str) -> Result<File, MemberError> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut at = root.to_path_buf();
    for part in relative.split('/') {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Err(_) => return Err(MemberError::Missing),
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(MemberError::ThroughLink);
            }
            Ok(_) => {}
        }
    }
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&at)
        .map_err(MemberError::Io)
}

/// A small document, whole: refused when it holds more than [`DOCUMENT_BYTES`].
pub fn read_document(root: &Path, relative: &str) -> Result<Vec<u8>, MemberError> {
    let file = open(root, relative)?;
    let mut bytes = Vec::new();
    file.take(DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(MemberError::Io)?;
    if bytes.len() as u64 > DOCUMENT_BYTES {
        return Err(MemberError::TooLarge);
    }
    Ok(bytes)
}

/// The SHA-256 of a file of the bundle, read in pieces.
pub fn sha256(root: &Path, relative: &str) -> Result<String, MemberError> {
    let mut file = open(root, relative)?;
    let mut hasher = Sha256::new();
    io::copy(&mut file, &mut hasher).map_err(MemberError::Io)?;
    Ok(hex::encode(hasher.finalize()))
}

/// The ledger, whole, once no line is longer than [`MAX_LINE_BYTES`] and if it holds at most
/// `cap` bytes; a longer line is `Err(Some(its number))`, an unreadable or larger file
/// `Err(None)` with the reason.
pub fn read_ledger(
    root: &Path,
    relative: &str,
    cap: u64,
) -> Result<Vec<u8>, (Option<usize>, String)> {
    let unreadable = |why: String| (None, why);
    let mut file = open(root, relative).map_err(|why| unreadable(why.to_string()))?;
    if let Some(line) = first_long_line(&mut file).map_err(|e| unreadable(e.to_string()))? {
        let what = format!(
            "line {line} is longer than {}, the most a ledger line may hold: damage; the ledger was not checked further",
            Size(MAX_LINE_BYTES as u64)
        );
        return Err((Some(line), what));
    }
    let mut bytes = Vec::new();
    io::Seek::rewind(&mut file)
        .and_then(|()| file.take(cap + 1).read_to_end(&mut bytes))
        .map_err(|e| unreadable(e.to_string()))?;
    if bytes.len() as u64 > cap {
        let what = format!("holds more than {} (it grew while checked?)", Size(cap));
        return Err(unreadable(what));
    }
    Ok(bytes)
}

/// The number (1-based) of the first line longer than [`MAX_LINE_BYTES`], newline excepted;
/// reads no further than that line's first byte too many.
pub fn first_long_line(reader: impl Read) -> io::Result<Option<usize>> {
    let mut reader = BufReader::with_capacity(64 << 10, reader);
    let (mut line, mut length) = (1usize, 0usize);
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(None);
        }
        let read = chunk.len();
        for piece in chunk.split_inclusive(|b| *b == b'\n') {
            let ends = piece.last() == Some(&b'\n');
            length += piece.len() - usize::from(ends);
            if length > MAX_LINE_BYTES {
                return Ok(Some(line));
            }
            if ends {
                line += 1;
                length = 0;
            }
        }
        reader.consume(read);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_over_the_maximum_is_named_and_reading_stops_there() {
        let at_most = [b"{}\n".as_slice(), &vec![b'x'; MAX_LINE_BYTES], b"\n{}"].concat();
        assert_eq!(first_long_line(at_most.as_slice()).unwrap(), None);
        let over = [at_most.as_slice(), &vec![b'y'; MAX_LINE_BYTES + 1]].concat();
        assert_eq!(first_long_line(over.as_slice()).unwrap(), Some(3));
        // An endless line: the reader stops a little past the maximum.
        let mut endless = io::repeat(b'z');
        assert_eq!(first_long_line(&mut endless).unwrap(), Some(1));
        assert_eq!(first_long_line(b"".as_slice()).unwrap(), None);
    }
}
