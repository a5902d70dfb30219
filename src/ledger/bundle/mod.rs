//! Evidence bundles: one run exported with everything a second person needs to check it
//! offline, and the check itself.
//!
//! A bundle is a folder (or the same folder as a `.tar.gz`):
//!
//! ```text
//! ledger.jsonl          the ledger up to the checkpoint, byte for byte (the run's entries
//!                       alone do not chain: their `prev` points into other runs)
//! run.json              the run's id, status and the seqs of its entries
//! runbook/<file>.toml   the runbook file, as hashed at run-started
//! evidence/<sha256>     every evidence file the run's entries reference (output, bodies,
//!                       attachments, each diff's canonical JSON under its fingerprint)
//! batches/<file>        every Safe batch, as hashed at batch-prepared
//! receipts/<net>/<file> every archived receipt, as hashed at receipt-checked
//! config/operators.toml the operators the ledger was checked against when exported
//! checkpoint.json       ledger size and head hash, signed by the exporter
//! README.txt            how to check it
//! SHA256SUMS            `sha256sum -c` format, covering every other file
//! ```
//!
//! Every file is bound to the signed entries: evidence by its name, batches and receipts by
//! the SHA-256 their entry recorded; `run.json` and `README.txt` are rebuilt from the entries
//! and the signed checkpoint at verify time (`claims`).
//!
//! `export` builds one from a session; `check` verifies one; `archive` packs and safely
//! unpacks the `.tar.gz` form; `recorded` finds the entry that recorded a file beside a ledger.

pub mod archive;
pub mod check;
pub mod claims;
pub mod error;
pub mod export;
pub mod finding;
pub mod recorded;
mod reference;

pub use error::{PathError, ResolveError};
pub use reference::{Reference, Store, references};
pub mod inventory;
pub mod limits;
pub mod members;
mod metered;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

pub const SUMS: &str = "SHA256SUMS";
pub const LEDGER: &str = "ledger.jsonl";
pub const RUN: &str = "run.json";
pub const CHECKPOINT: &str = "checkpoint.json";
pub const OPERATORS: &str = "config/operators.toml";
pub const README: &str = "README.txt";
pub const RUNBOOK_FOLDER: &str = "runbook";

/// The bundle format this version writes and reads: 2 binds batches, receipts, `run.json`
/// and `README.txt` to the signed entries (format 1 did not).
pub const FORMAT: u32 = 2;

/// `run.json`: which run of the ledger the bundle is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunManifest {
    /// The bundle format's version: [`FORMAT`].
    pub format: u32,
    pub run: String,
    /// The seqs of the run's entries in `ledger.jsonl`, in order.
    pub seqs: Vec<u64>,
    /// The runbook file in the bundle (`runbook/<file>.toml`).
    pub runbook: String,
    /// Where the runbook file was in the workspace (as recorded at run-started).
    pub runbook_source: String,
    /// `unfinished`, `completed` or `aborted` when exported.
    pub status: String,
    pub exported_at: String,
    /// The address whose key signed `checkpoint.json`.
    pub exported_by: String,
}

pub fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A file name that is safe in any folder and in `SHA256SUMS`.
pub fn is_plain_name(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('.')
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// SHA-256 of a file, read in pieces.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(hex::encode(hasher.finalize()));
        }
        hasher.update(&buffer[..read]);
    }
}

/// `relative` as a path of plain components: no root, no `..`, no empty or `.` parts.
pub fn plain_relative(relative: &str) -> Result<PathBuf, PathError> {
    if relative.is_empty() {
        return Err(PathError::Empty);
    }
    if relative.contains('\\') || relative.contains('\0') {
        return Err(PathError::BackslashOrNul(relative.to_owned()));
    }
    let path = Path::new(relative);
    if path.is_absolute() {
        return Err(PathError::Absolute(relative.to_owned()));
    }
    if relative
        .split('/')
        .any(|part| part.is_empty() || part == ".")
    {
        return Err(PathError::EmptyComponent(relative.to_owned()));
    }
    if path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(PathError::ClimbsOut(relative.to_owned()));
    }
    Ok(path.to_path_buf())
}

/// `root/relative` for reading, refused when `relative` climbs out with `..`, when the file
/// or any folder on the way is a symbolic link that leads outside `root`, when the file itself
/// is a link, or when it is not a regular file. Returns the resolved path.
pub fn resolve_inside(root: &Path, relative: &str) -> Result<PathBuf, ResolveError> {
    let plain = plain_relative(relative)?;
    let joined = root.join(&plain);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| ResolveError::Io { path, error }
    };
    let metadata = std::fs::symlink_metadata(&joined).map_err(io(&joined))?;
    if metadata.file_type().is_symlink() {
        return Err(ResolveError::Link(joined));
    }
    if !metadata.is_file() {
        return Err(ResolveError::NotAFile(joined));
    }
    let canonical_root = root.canonicalize().map_err(io(root))?;
    let canonical = joined.canonicalize().map_err(io(&joined))?;
    if !canonical.starts_with(&canonical_root) {
        return Err(ResolveError::Outside {
            path: joined,
            resolved: canonical,
            root: canonical_root,
        });
    }
    Ok(canonical)
}

/// Reads a regular file without following a link at its last component.
pub fn read_no_follow(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// `SHA256SUMS` in `sha256sum`'s format: `<hash>  <path>`, sorted by path.
pub fn sums_text(hashes: &BTreeMap<String, String>) -> String {
    hashes
        .iter()
        .map(|(path, hash)| format!("{hash}  {path}\n"))
        .collect()
}

/// One line of `SHA256SUMS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumLine {
    pub line: usize,
    pub hash: String,
    pub path: String,
}

/// The lines of `SHA256SUMS`, and each line that is not `<64 hex>  <path>` (by number).
pub fn parse_sums(text: &str) -> (Vec<SumLine>, Vec<(usize, String)>) {
    let mut lines = Vec::new();
    let mut bad = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        if raw.is_empty() {
            continue;
        }
        let parsed = raw.split_at_checked(64).and_then(|(hash, rest)| {
            let path = rest
                .strip_prefix("  ")
                .or_else(|| rest.strip_prefix(" *"))?;
            is_sha256(hash).then(|| (hash.to_owned(), path.to_owned()))
        });
        match parsed {
            Some((hash, path)) => lines.push(SumLine {
                line: number,
                hash,
                path,
            }),
            None => bad.push((
                number,
                "not `<64 lowercase hex>  <path>` (sha256sum's format)".to_owned(),
            )),
        }
    }
    (lines, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_round_trip_and_bad_lines_are_numbered() {
        let hashes = BTreeMap::from([
            ("b/x".to_owned(), "a".repeat(64)),
            ("a".to_owned(), "b".repeat(64)),
        ]);
        let text = sums_text(&hashes);
        assert!(
            text.starts_with(&format!("{}  a\n", "b".repeat(64))),
            "{text}"
        );
        let (lines, bad) = parse_sums(&format!("{text}nonsense\n"));
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].path, "b/x");
        assert_eq!(bad[0].0, 3);
    }

    #[test]
    fn relative_paths_must_stay_below_their_root() {
        assert!(plain_relative("evidence/abc").is_ok());
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a\\b",
        ] {
            assert!(plain_relative(bad).is_err(), "{bad}");
        }
    }
}
