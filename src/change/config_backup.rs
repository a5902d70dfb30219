//! Config snapshots for rollbacks: `storage/backups/<date>-<id>/` holds a copy of the config
//! files and a manifest of their SHA-256; a snapshot is used only after every hash checks.

use super::ChangeError;
use crate::workspace::durable;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = "manifest.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub created: String,
    pub operator: String,
    /// File name → SHA-256.
    pub files: BTreeMap<String, String>,
}

/// Copies every `*.json` and `catalogue.toml` of `config` (read through `files`) into a new
/// snapshot folder under `backups`; returns it.
pub fn save(
    backups: &Path,
    files: &[(String, String)],
    operator: &str,
) -> Result<PathBuf, ChangeError> {
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let folder = backups.join(format!("{stamp}-{:08x}", std::process::id()));
    let io = |path: &Path, error| ChangeError::Io {
        path: path.to_path_buf(),
        error,
    };
    std::fs::create_dir_all(&folder).map_err(|e| io(&folder, e))?;
    let mut manifest = Manifest {
        created: stamp,
        operator: operator.to_owned(),
        files: BTreeMap::new(),
    };
    for (name, text) in files {
        let path = folder.join(name);
        durable::write(&path, text.as_bytes()).map_err(|e| io(&path, e))?;
        manifest
            .files
            .insert(name.clone(), hex::encode(Sha256::digest(text.as_bytes())));
    }
    let text = serde_json::to_string_pretty(&manifest).map_err(ChangeError::Json)? + "\n";
    let path = folder.join(MANIFEST);
    durable::write(&path, text.as_bytes()).map_err(|e| io(&path, e))?;
    Ok(folder)
}

/// Checks a snapshot folder against its manifest: every listed file present with its hash,
/// and no unlisted file. Errors name the file and both hashes.
pub fn verify(folder: &Path) -> Result<Manifest, ChangeError> {
    let path = folder.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|error| ChangeError::NoManifest {
        path: path.clone(),
        error,
    })?;
    let manifest: Manifest =
        serde_json::from_str(&text).map_err(|error| ChangeError::BadManifest {
            path: path.clone(),
            error,
        })?;
    for (name, expected) in &manifest.files {
        let file = folder.join(name);
        let bytes = std::fs::read(&file).map_err(|error| ChangeError::Io {
            path: file.clone(),
            error,
        })?;
        let actual = hex::encode(Sha256::digest(&bytes));
        if &actual != expected {
            return Err(ChangeError::Changed {
                file,
                actual,
                expected: expected.clone(),
            });
        }
    }
    let entries = std::fs::read_dir(folder).map_err(|error| ChangeError::Io {
        path: folder.to_path_buf(),
        error,
    })?;
    for entry in entries {
        let name = entry
            .map_err(ChangeError::Listing)?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name != MANIFEST && !manifest.files.contains_key(&name) {
            return Err(ChangeError::NotInManifest {
                folder: folder.to_path_buf(),
                name,
            });
        }
    }
    Ok(manifest)
}
