//! The checkpoint beside the ledger: how many entries it held and the hash of the last, signed.
//! A ledger shorter than its checkpoint, or with another entry at that place, was truncated or
//! rewritten.

use super::entry::{Entry, RecoverError, SignError, recover, sign_hash};
use crate::workspace::durable;
use alloy_primitives::Address;
use alloy_signer_local::PrivateKeySigner;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Number of entries the ledger held.
    pub entries: u64,
    /// `hash` of the last of them.
    pub head: String,
    pub time: String,
    pub signer: String,
    /// EIP-191 signature over the SHA-256 of the canonical checkpoint without `sig`.
    pub sig: String,
}

/// Why a checkpoint's signature does not hold: it does not recover, or not to its signer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointSignatureError {
    #[error(transparent)]
    Canonical(#[from] SignError),
    #[error(transparent)]
    Recover(#[from] RecoverError),
    #[error("the checkpoint's signature is {recovered}'s, not {signer}'s")]
    OtherSigner { recovered: Address, signer: String },
}

#[derive(Serialize)]
struct Signed<'a> {
    entries: u64,
    head: &'a str,
    time: &'a str,
    signer: &'a str,
}

impl Checkpoint {
    fn digest(&self) -> Result<String, SignError> {
        let signed = Signed {
            entries: self.entries,
            head: &self.head,
            time: &self.time,
            signer: &self.signer,
        };
        let bytes = serde_json_canonicalizer::to_vec(&signed)
            .map_err(|e| SignError::Canonical(e.to_string()))?;
        Ok(hex::encode(Sha256::digest(bytes)))
    }

    /// The checkpoint after `last`.
    pub fn of(last: &Entry, time: &str, key: &PrivateKeySigner) -> Result<Self, SignError> {
        let mut checkpoint = Self {
            entries: last.seq + 1,
            head: last.hash.clone(),
            time: time.to_owned(),
            signer: key.address().to_checksum(None),
            sig: String::new(),
        };
        checkpoint.sig = sign_hash(&checkpoint.digest()?, key)?;
        Ok(checkpoint)
    }

    /// Whether the signature holds and is the named signer's.
    pub fn check_signature(&self) -> Result<(), CheckpointSignatureError> {
        let digest = self.digest()?;
        let address = recover(&digest, &self.sig)?;
        if address.to_checksum(None) == self.signer {
            Ok(())
        } else {
            Err(CheckpointSignatureError::OtherSigner {
                recovered: address,
                signer: self.signer.clone(),
            })
        }
    }

    /// Writes through a temporary file and a rename; `durable` adds the fsyncs.
    pub fn write(&self, path: &Path, durable: bool) -> Result<(), SignError> {
        let io = |e: std::io::Error| SignError::Sign(format!("{}: {e}", path.display()));
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|e| io(e.into()))?;
        bytes.push(b'\n');
        match durable {
            true => durable::write(path, &bytes).map_err(io),
            false => durable::write_cache(path, &bytes).map_err(io),
        }
    }

    pub fn read(path: &Path) -> Result<Option<Self>, String> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| format!("{}: not a checkpoint: {e}", path.display())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(format!("{}: {error}", path.display())),
        }
    }
}
