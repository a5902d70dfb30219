//! Config snapshots for rollbacks: `storage/backups/<date>-<id>/` holds a copy of the config
//! files and a manifest of their SHA-256; a snapshot is used only after every hash checks.

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
pub fn save(backups: &Path, files: &[(String, String)], operator: &str) -> Result<PathBuf, String> {
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let folder = backups.join(format!("{stamp}-{:08x}", std::process::id()));
    let io = |path: &Path, e: std::io::Error| format!("{}: {e}", path.display());
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
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())? + "\n";
    let path = folder.join(MANIFEST);
    durable::write(&path, text.as_bytes()).map_err(|e| io(&path, e))?;
    Ok(folder)
}

/// Checks a snapshot folder against its manifest: every listed file present with its hash,
/// and no unlisted file. Errors name the file and both hashes.
pub fn verify(folder: &Path) -> Result<Manifest, String> {
    let path = folder.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: {e} (not a config snapshot?)", path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()))?;
    for (name, expected) in &manifest.files {
        let file = folder.join(name);
        let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let actual = hex::encode(Sha256::digest(&bytes));
        if &actual != expected {
            return Err(format!(
                "{}: sha256 {actual} differs from the manifest's {expected}: the snapshot was changed",
                file.display()
            ));
        }
    }
    for entry in std::fs::read_dir(folder).map_err(|e| format!("{}: {e}", folder.display()))? {
        let name = entry
            .map_err(|e| e.to_string())?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name != MANIFEST && !manifest.files.contains_key(&name) {
            return Err(format!(
                "{}: `{name}` is not in the manifest",
                folder.display()
            ));
        }
    }
    Ok(manifest)
}
