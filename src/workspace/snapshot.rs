//! A state snapshot: the platform's values at one block, for working offline.

use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub number: u64,
    pub hash: String,
    /// UTC, RFC 3339.
    pub timestamp: String,
}

/// Every catalogue value at one block. A snapshot taken by `snapshot state` is signed by the
/// operator who took it: `signature` is an EIP-191 signature over the SHA-256 of the snapshot's
/// RFC 8785 canonical form without `signature` (`signer` included).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StateSnapshot {
    pub network: String,
    pub chain_id: u64,
    pub block: Block,
    pub taken_at: String,
    /// Where the values came from, redacted (`http://127.0.0.1:8545/`), or how they were made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub values: BTreeMap<String, serde_json::Value>,
    /// Values the node could not give, and why.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unreadable: BTreeMap<String, String>,
    /// Read from a drill's sandbox (`snapshot state` run by a drill), not from the network:
    /// refused as the network's state source.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub drill: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// Why a state snapshot cannot be read, or its signature does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// `field` is empty when the fault is not in one field.
    #[error(
        "{name}:{line}:{column}:{} {message}",
        field_part(.field)
    )]
    Parse {
        name: String,
        line: usize,
        column: usize,
        field: String,
        message: String,
    },
    #[error("{0}: the snapshot file is missing")]
    Missing(String),
    #[error("{0}")]
    Canonical(String),
    #[error(transparent)]
    Sign(#[from] crate::ledger::entry::SignError),
    #[error("the snapshot is not signed")]
    NotSigned,
    #[error(transparent)]
    Recover(#[from] crate::ledger::entry::RecoverError),
    #[error("signer `{0}` is not an address")]
    BadSigner(String),
    #[error(
        "the signature is not {signer}'s (it recovers to {recovered}): the snapshot was changed after signing"
    )]
    NotTheSigners { signer: String, recovered: String },
}

/// ` field `x`:` when there is a field, else nothing.
fn field_part(field: &str) -> String {
    if field.is_empty() {
        String::new()
    } else {
        format!(" field `{field}`:")
    }
}

impl StateSnapshot {
    pub fn parse(name: &str, text: &str) -> Result<Self, SnapshotError> {
        let mut reader = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut reader).map_err(|error| {
            let inner = error.inner();
            let field = error.path().to_string();
            SnapshotError::Parse {
                name: name.to_owned(),
                line: inner.line(),
                column: inner.column(),
                field: if field == "." { String::new() } else { field },
                message: inner.to_string(),
            }
        })
    }

    /// SHA-256 (hex) of the canonical snapshot without its signature: what the signature covers.
    pub fn signing_hash(&self) -> Result<String, SnapshotError> {
        let mut unsigned = self.clone();
        unsigned.signature = None;
        let canonical = serde_json_canonicalizer::to_vec(&unsigned)
            .map_err(|e| SnapshotError::Canonical(e.to_string()))?;
        Ok(hex::encode(sha2::Sha256::digest(&canonical)))
    }

    pub fn sign(
        &mut self,
        key: &alloy_signer_local::PrivateKeySigner,
    ) -> Result<(), SnapshotError> {
        self.signer = Some(key.address().to_checksum(None));
        self.signature = None;
        let hash = self.signing_hash()?;
        self.signature = Some(crate::ledger::entry::sign_hash(&hash, key)?);
        Ok(())
    }

    /// The signer's address when the signature holds; why not otherwise.
    pub fn verify_signature(&self) -> Result<String, SnapshotError> {
        let (Some(signer), Some(signature)) = (&self.signer, &self.signature) else {
            return Err(SnapshotError::NotSigned);
        };
        let recovered = crate::ledger::entry::recover(&self.signing_hash()?, signature)
            .map_err(SnapshotError::Recover)?;
        let claimed: alloy_primitives::Address = signer
            .parse()
            .map_err(|_| SnapshotError::BadSigner(signer.clone()))?;
        if recovered == claimed {
            Ok(recovered.to_checksum(None))
        } else {
            Err(SnapshotError::NotTheSigners {
                signer: signer.clone(),
                recovered: recovered.to_checksum(None),
            })
        }
    }

    /// How old the snapshot's block is, in whole seconds, or None if its time is unreadable.
    pub fn age_seconds(&self, now: jiff::Timestamp) -> Option<i64> {
        let at: jiff::Timestamp = self.block.timestamp.parse().ok()?;
        Some(now.as_second() - at.as_second())
    }

    /// How old the snapshot's block is now, as people read it (`11d 6h`), or `?`.
    pub fn age_shown(&self) -> String {
        self.age_seconds(jiff::Timestamp::now())
            .map(short_age)
            .unwrap_or_else(|| "?".into())
    }

    /// The pause state of each module the snapshot knows (`JobRegistry.paused` → true).
    pub fn pause_states(&self) -> Vec<(String, bool)> {
        self.values
            .iter()
            .filter_map(|(key, value)| {
                let module = key.strip_suffix(".paused")?;
                Some((module.to_owned(), value.as_bool()?))
            })
            .collect()
    }
}

/// "3d 4h", "12m", "40s": an age that fits a status bar.
pub fn short_age(seconds: i64) -> String {
    let seconds = seconds.max(0);
    match seconds {
        s if s >= 86_400 => format!("{}d {}h", s / 86_400, (s % 86_400) / 3600),
        s if s >= 3600 => format!("{}h {}m", s / 3600, (s % 3600) / 60),
        s if s >= 60 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}
