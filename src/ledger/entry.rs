//! One ledger line: the event, its place in the chain, its hash and the operator's signature.
//!
//! `hash` is the SHA-256 of the RFC 8785 (JCS) canonical form of the entry without `hash` and
//! `sig`; `sig` is an EIP-191 `personal_sign` signature over the 32 bytes of that hash, so
//! any Ethereum tool can check it (`verifyMessage(getBytes("0x" + hash), sig)`).

use crate::engine::Event;
use alloy_primitives::{Address, B256, Signature};
use alloy_signer::SignerSync;
use alloy_signer_local::PrivateKeySigner;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// `prev` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    /// UTC, RFC 3339.
    pub time: String,
    pub run: String,
    #[serde(flatten)]
    pub event: Event,
    /// `hash` of the previous entry, or `GENESIS`.
    pub prev: String,
    /// SHA-256 (hex) of the canonical entry without `hash` and `sig`.
    pub hash: String,
    /// The operator's address (EIP-55).
    pub signer: String,
    /// 65-byte signature, 0x-hex.
    pub sig: String,
}

/// The part of an entry that its hash covers.
#[derive(Serialize)]
struct Hashed<'a> {
    seq: u64,
    time: &'a str,
    run: &'a str,
    #[serde(flatten)]
    event: &'a Event,
    prev: &'a str,
    signer: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    #[error("cannot put the entry in canonical form: {0}")]
    Canonical(String),
    #[error("cannot sign: {0}")]
    Sign(String),
}

impl Entry {
    /// The canonical bytes the hash is taken over.
    pub fn canonical(&self) -> Result<Vec<u8>, SignError> {
        let hashed = Hashed {
            seq: self.seq,
            time: &self.time,
            run: &self.run,
            event: &self.event,
            prev: &self.prev,
            signer: &self.signer,
        };
        serde_json_canonicalizer::to_vec(&hashed).map_err(|e| SignError::Canonical(e.to_string()))
    }

    pub fn compute_hash(&self) -> Result<String, SignError> {
        Ok(hex::encode(Sha256::digest(self.canonical()?)))
    }

    /// Builds, hashes and signs the entry that follows `prev`.
    pub fn signed(
        seq: u64,
        time: &str,
        run: &str,
        event: Event,
        prev: &str,
        key: &PrivateKeySigner,
    ) -> Result<Self, SignError> {
        let mut entry = Self {
            seq,
            time: time.to_owned(),
            run: run.to_owned(),
            event,
            prev: prev.to_owned(),
            hash: String::new(),
            signer: key.address().to_checksum(None),
            sig: String::new(),
        };
        entry.hash = entry.compute_hash()?;
        entry.sig = sign_hash(&entry.hash, key)?;
        Ok(entry)
    }

    /// The address that signed `hash`, from `sig`.
    pub fn recover_signer(&self) -> Result<Address, String> {
        recover(&self.hash, &self.sig)
    }
}

fn hash_bytes(hash: &str) -> Result<B256, String> {
    let bytes = hex::decode(hash).map_err(|_| format!("`{hash}` is not hex"))?;
    (bytes.len() == 32)
        .then(|| B256::from_slice(&bytes))
        .ok_or_else(|| format!("`{hash}` is not 32 bytes"))
}

/// EIP-191 `personal_sign` over the 32 bytes of a hex SHA-256.
pub fn sign_hash(hash: &str, key: &PrivateKeySigner) -> Result<String, SignError> {
    let bytes = hash_bytes(hash).map_err(SignError::Sign)?;
    let signature = key
        .sign_message_sync(bytes.as_slice())
        .map_err(|e| SignError::Sign(e.to_string()))?;
    Ok(format!("0x{}", hex::encode(signature.as_bytes())))
}

/// The address whose EIP-191 signature over the hash's bytes `sig` is.
pub fn recover(hash: &str, sig: &str) -> Result<Address, String> {
    let bytes = hash_bytes(hash)?;
    let raw = hex::decode(sig.trim_start_matches("0x"))
        .map_err(|_| "the signature is not hex".to_owned())?;
    let signature = Signature::try_from(raw.as_slice())
        .map_err(|e| format!("the signature is malformed: {e}"))?;
    signature
        .recover_address_from_msg(bytes.as_slice())
        .map_err(|e| format!("no address recovers from the signature: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_entries_verify_and_edits_do_not() {
        let key = PrivateKeySigner::random();
        let event = Event::Note {
            step: "s".into(),
            text: "hello".into(),
        };
        let entry = Entry::signed(0, "2026-11-23T00:00:00Z", "r", event, GENESIS, &key).unwrap();
        assert_eq!(entry.recover_signer().unwrap(), key.address());
        assert_eq!(entry.compute_hash().unwrap(), entry.hash);
        let mut edited = entry.clone();
        edited.event = Event::Note {
            step: "s".into(),
            text: "hellO".into(),
        };
        assert_ne!(edited.compute_hash().unwrap(), entry.hash);
    }

    #[test]
    fn canonical_form_sorts_keys_and_has_no_spaces() {
        let key = PrivateKeySigner::random();
        let entry = Entry::signed(7, "t", "r", Event::RunCompleted {}, GENESIS, &key).unwrap();
        let text = String::from_utf8(entry.canonical().unwrap()).unwrap();
        assert!(text.starts_with(r#"{"body":{},"prev":"0000"#), "{text}");
        assert!(text.ends_with(r#""type":"run-completed"}"#), "{text}");
    }
}
