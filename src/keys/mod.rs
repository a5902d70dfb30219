//! Operator keys: Web3 Secret Storage keystores (scrypt) in the user's data folder, mode 0600.
//! A key file that group or others can read is refused, as ssh does. These keys sign ledger
//! entries only; no platform owner key is ever read.

pub mod passphrase;

use alloy_signer_local::PrivateKeySigner;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot find a data folder for keys (is HOME set?)")]
    NoFolder,
    #[error("no operator key yet: create one with `owner-console keys new --name NAME`")]
    NoKey,
    #[error("several operator keys ({0}): choose one with --key NAME (or OWNER_CONSOLE_KEY)")]
    Ambiguous(String),
    #[error("no operator key named `{name}` (have: {have})")]
    Unknown { name: String, have: String },
    #[error("`{0}` is not a valid key name (letters, digits, `-`, `_`, `.`)")]
    BadName(String),
    #[error("a key named `{0}` already exists")]
    Exists(String),
    #[error(
        "{path}: permissions {mode:o} are too open: the key must be readable by its owner only (chmod 600 {path})"
    )]
    TooOpen { path: PathBuf, mode: u32 },
    #[error("{0}: wrong passphrase, or not a keystore this program can read")]
    WrongPassphrase(PathBuf),
    #[error("{path}: {why}")]
    Io { path: PathBuf, why: String },
    #[error("{path}: field `{field}`: {why}")]
    BadKeystore {
        path: PathBuf,
        field: &'static str,
        why: String,
    },
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct KeyInfo {
    pub name: String,
    pub address: Option<String>,
    pub path: PathBuf,
    pub mode: String,
}

pub struct KeyStore {
    folder: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |e| KeyError::Io {
        path: path.to_path_buf(),
        why: e.to_string(),
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

impl KeyStore {
    pub fn new(folder: PathBuf) -> Self {
        Self { folder }
    }

    /// `<data folder>/keys`.
    pub fn default_location() -> Result<Self, KeyError> {
        let dirs = crate::workspace::project_dirs().ok_or(KeyError::NoFolder)?;
        Ok(Self::new(dirs.data_dir().join("keys")))
    }

    pub fn path_of(&self, name: &str) -> PathBuf {
        self.folder.join(format!("{name}.json"))
    }

    /// Creates a key; the file is 0600 from the start, in a 0700 folder.
    pub fn create(&self, name: &str, passphrase: &str) -> Result<KeyInfo, KeyError> {
        if !valid_name(name) {
            return Err(KeyError::BadName(name.to_owned()));
        }
        let target = self.path_of(name);
        if target.exists() {
            return Err(KeyError::Exists(name.to_owned()));
        }
        std::fs::create_dir_all(&self.folder).map_err(io(&self.folder))?;
        std::fs::set_permissions(&self.folder, std::fs::Permissions::from_mode(0o700))
            .map_err(io(&self.folder))?;
        let staging = self.folder.join(format!(".new-{}", std::process::id()));
        std::fs::create_dir_all(&staging).map_err(io(&staging))?;
        std::fs::set_permissions(&staging, std::fs::Permissions::from_mode(0o700))
            .map_err(io(&staging))?;
        let key = PrivateKeySigner::random();
        let written = PrivateKeySigner::encrypt_keystore(
            &staging,
            &mut rand::thread_rng(),
            key.to_bytes(),
            passphrase,
            Some("key.json"),
        )
        .map_err(|e| KeyError::Io {
            path: staging.clone(),
            why: e.to_string(),
        });
        let staged = staging.join("key.json");
        let result = written.and_then(|_| {
            std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o600))
                .map_err(io(&staged))?;
            std::fs::rename(&staged, &target).map_err(io(&target))
        });
        let _ = std::fs::remove_dir_all(&staging);
        result?;
        Ok(KeyInfo {
            name: name.to_owned(),
            address: Some(key.address().to_checksum(None)),
            path: target,
            mode: "600".into(),
        })
    }

    pub fn list(&self) -> Result<Vec<KeyInfo>, KeyError> {
        let entries = match std::fs::read_dir(&self.folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(&self.folder)(e)),
        };
        let mut keys = Vec::new();
        for entry in entries {
            let path = entry.map_err(io(&self.folder))?.path();
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".json"))
            else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let mode = std::fs::metadata(&path)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0);
            keys.push(KeyInfo {
                name: name.to_owned(),
                address: stored_address(&path),
                path: path.clone(),
                mode: format!("{mode:o}"),
            });
        }
        keys.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(keys)
    }

    /// The key to use: the one named, else the only one.
    pub fn choose(&self, name: Option<&str>) -> Result<KeyInfo, KeyError> {
        let keys = self.list()?;
        let names = || {
            keys.iter()
                .map(|k| k.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match name {
            Some(name) => keys
                .iter()
                .find(|k| k.name == name)
                .cloned()
                .ok_or_else(|| KeyError::Unknown {
                    name: name.to_owned(),
                    have: names(),
                }),
            None => match keys.as_slice() {
                [] => Err(KeyError::NoKey),
                [only] => Ok(only.clone()),
                _ => Err(KeyError::Ambiguous(names())),
            },
        }
    }

    /// Decrypts a key, after checking that only its owner can read it.
    pub fn unlock(&self, key: &KeyInfo, passphrase: &str) -> Result<PrivateKeySigner, KeyError> {
        let metadata = std::fs::metadata(&key.path).map_err(io(&key.path))?;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::TooOpen {
                path: key.path.clone(),
                mode,
            });
        }
        check_derived_key_length(&key.path)?;
        PrivateKeySigner::decrypt_keystore(&key.path, passphrase)
            .map_err(|_| KeyError::WrongPassphrase(key.path.clone()))
    }
}

/// The decryptor splits a 32-byte derived key into its cipher and MAC halves and panics on a
/// shorter one, so a keystore asking for another length is refused here, naming the field.
fn check_derived_key_length(path: &Path) -> Result<(), KeyError> {
    let bytes = std::fs::read(path).map_err(io(path))?;
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Ok(()); // not JSON: the decryptor says so
    };
    let crypto = json.get("crypto").or_else(|| json.get("Crypto"));
    let dklen = crypto.and_then(|c| c.get("kdfparams")?.get("dklen"));
    match dklen {
        None => Ok(()),
        Some(dklen) if dklen.as_u64() == Some(32) => Ok(()),
        Some(dklen) => Err(KeyError::BadKeystore {
            path: path.to_path_buf(),
            field: "crypto.kdfparams.dklen",
            why: format!("{dklen} is not supported (32 is)"),
        }),
    }
}

/// The address a geth-compatible keystore names, read without decrypting.
fn stored_address(path: &Path) -> Option<String> {
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    let hex = json.get("address")?.as_str()?;
    let address: alloy_primitives::Address =
        format!("0x{}", hex.trim_start_matches("0x")).parse().ok()?;
    Some(address.to_checksum(None))
}
