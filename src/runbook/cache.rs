//! Validated runbooks kept in the workspace's storage (`runbook-cache.json`), each under the
//! SHA-256 of its file's text and its path: the console's start-up reads them there instead of
//! parsing and validating every file again.
//!
//! A cache, never believed alone: the console loads the files afresh right after its first
//! frame, before it handles any key, and replaces whatever differs
//! (`Session::reconcile`). The command forms never read it.

use super::load::{Loaded, load_texts};
use crate::workspace::durable;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const FORMAT: u32 = 1;
pub const FILE: &str = "runbook-cache.json";

#[derive(Default, Deserialize)]
struct Stored {
    format: u32,
    console: String,
    /// By [`key`].
    loaded: BTreeMap<String, Loaded>,
}

#[derive(Serialize)]
struct StoredRef<'a> {
    format: u32,
    console: &'a str,
    loaded: BTreeMap<&'a str, &'a Loaded>,
}

/// The files loaded, in their order, and how many came from the cache.
pub struct CachedLoad {
    pub loaded: Vec<Loaded>,
    pub from_cache: usize,
}

/// Loads `files` (shown path, text) through the cache file `cache`: a file whose text and path
/// are there is not parsed again. The cache is rewritten when it missed a file or held others;
/// a cache that cannot be read or written is passed over (and logged).
pub fn load_texts_cached(files: &[(PathBuf, String)], cache: &Path) -> CachedLoad {
    let mut stored = read(cache);
    let keys: Vec<String> = files.iter().map(|(path, text)| key(path, text)).collect();
    let mut found: Vec<Option<Loaded>> = keys.iter().map(|k| stored.loaded.remove(k)).collect();
    let from_cache = found.iter().flatten().count();
    let missed: Vec<(PathBuf, String)> = files
        .iter()
        .zip(&found)
        .filter(|(_, hit)| hit.is_none())
        .map(|(file, _)| file.clone())
        .collect();
    let mut fresh = load_texts(&missed).into_iter();
    for slot in found.iter_mut().filter(|slot| slot.is_none()) {
        *slot = fresh.next();
    }
    let loaded: Vec<Loaded> = found.into_iter().flatten().collect();
    if (from_cache < files.len() || !stored.loaded.is_empty())
        && let Err(error) = write(cache, &keys, &loaded)
    {
        tracing::warn!(
            "{}: the runbook cache is not written: {error}",
            cache.display()
        );
    }
    CachedLoad { loaded, from_cache }
}

/// Rewrites the cache with `files` loaded afresh as `loaded` (after the cache proved wrong).
pub fn replace(cache: &Path, files: &[(PathBuf, String)], loaded: &[Loaded]) {
    let keys: Vec<String> = files.iter().map(|(path, text)| key(path, text)).collect();
    if let Err(error) = write(cache, &keys, loaded) {
        tracing::warn!(
            "{}: the runbook cache is not written: {error}",
            cache.display()
        );
    }
}

fn key(path: &Path, text: &str) -> String {
    format!(
        "{} {}",
        hex::encode(Sha256::digest(text.as_bytes())),
        path.display()
    )
}

fn read(cache: &Path) -> Stored {
    let bytes = match std::fs::read(cache) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Stored::default(),
        Err(error) => {
            tracing::warn!("{}: {error}", cache.display());
            return Stored::default();
        }
    };
    match serde_json::from_slice::<Stored>(&bytes) {
        Ok(stored) if stored.format == FORMAT && stored.console == env!("CARGO_PKG_VERSION") => {
            stored
        }
        Ok(_) => Stored::default(),
        Err(error) => {
            tracing::warn!("{}: not a runbook cache: {error}", cache.display());
            Stored::default()
        }
    }
}

fn write(cache: &Path, keys: &[String], loaded: &[Loaded]) -> std::io::Result<()> {
    let stored = StoredRef {
        format: FORMAT,
        console: env!("CARGO_PKG_VERSION"),
        loaded: keys.iter().map(String::as_str).zip(loaded).collect(),
    };
    let bytes = serde_json::to_vec(&stored)?;
    durable::write_cache(cache, &bytes)
}
