//! One ledger line: the event, its place in the chain, its hash and the operator's signature.
//!
//! `hash` is the SHA-256 of the RFC 8785 (JCS) canonical form of the entry without `hash` and
//! `sig`; `sig` is an EIP-191 `personal_sign` signature over the 32 bytes of that hash, so
//! any Ethereum tool can check it (`verifyMessage(getBytes("0x" + hash), sig)`).

use crate::engine::Event;
use alloy_primitives::{Address, B256, eip191_hash_message};
use alloy_signer::SignerSync;
use alloy_signer_local::PrivateKeySigner;
use secp256k1::ecdsa::{RecoverableSignature, RecoveryId};
use secp256k1::{Message, SECP256K1};
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
    pub fn recover_signer(&self) -> Result<Address, RecoverError> {
        recover(&self.hash, &self.sig)
    }
}

/// Why no address recovers from a hash and a signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecoverError {
    #[error("`{0}` is not hex")]
    HashNotHex(String),
    #[error("`{0}` is not 32 bytes")]
    HashNot32Bytes(String),
    #[error("the signature is not hex")]
    SignatureNotHex,
    #[error("the signature is {0} bytes, not 65")]
    SignatureLength(usize),
    #[error("the signature's v is {0} (valid: 27 or 28)")]
    BadV(u8),
    #[error("the signature is malformed: {0}")]
    Malformed(secp256k1::Error),
    #[error("no address recovers from the signature: {0}")]
    NoAddress(secp256k1::Error),
}

fn hash_bytes(hash: &str) -> Result<B256, RecoverError> {
    let bytes = hex::decode(hash).map_err(|_| RecoverError::HashNotHex(hash.to_owned()))?;
    (bytes.len() == 32)
        .then(|| B256::from_slice(&bytes))
        .ok_or_else(|| RecoverError::HashNot32Bytes(hash.to_owned()))
}

/// EIP-191 `personal_sign` over the 32 bytes of a hex SHA-256.
pub fn sign_hash(hash: &str, key: &PrivateKeySigner) -> Result<String, SignError> {
    let bytes = hash_bytes(hash).map_err(|e| SignError::Sign(e.to_string()))?;
    let signature = key
        .sign_message_sync(bytes.as_slice())
        .map_err(|e| SignError::Sign(e.to_string()))?;
    Ok(format!("0x{}", hex::encode(signature.as_bytes())))
}

/// The address whose EIP-191 signature over the hash's bytes `sig` is (libsecp256k1: every
/// entry of a run is recovered before the run moves).
pub fn recover(hash: &str, sig: &str) -> Result<Address, RecoverError> {
    let bytes = hash_bytes(hash)?;
    recover_digest(eip191_hash_message(bytes.as_slice()), sig)
}

/// The address whose ECDSA signature (`r ‖ s ‖ v`, hex) over `digest` itself `sig` is.
pub fn recover_digest(digest: B256, sig: &str) -> Result<Address, RecoverError> {
    let raw =
        hex::decode(sig.trim_start_matches("0x")).map_err(|_| RecoverError::SignatureNotHex)?;
    let raw: [u8; 65] = raw
        .try_into()
        .map_err(|raw: Vec<u8>| RecoverError::SignatureLength(raw.len()))?;
    let [compact @ .., v] = raw;
    let id = match v {
        0 | 27 => RecoveryId::Zero,
        1 | 28 => RecoveryId::One,
        _ => return Err(RecoverError::BadV(v)),
    };
    let signature =
        RecoverableSignature::from_compact(&compact, id).map_err(RecoverError::Malformed)?;
    let key = SECP256K1
        .recover_ecdsa(Message::from_digest(digest.0), &signature)
        .map_err(RecoverError::NoAddress)?;
    Ok(Address::from_raw_public_key(
        &key.serialize_uncompressed()[1..],
    ))
}

/// The hash of an entry as written: SHA-256 of the RFC 8785 form of the line's JSON object
/// without `hash` and `sig`, every other field included, known to this console or not.
pub fn line_hash(line: &[u8]) -> Result<String, SignError> {
    let mut object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(line)
        .map_err(|e| SignError::Canonical(format!("not a JSON object: {e}")))?;
    object.remove("hash");
    object.remove("sig");
    let canonical = serde_json_canonicalizer::to_vec(&object)
        .map_err(|e| SignError::Canonical(e.to_string()))?;
    Ok(hex::encode(Sha256::digest(canonical)))
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
    fn the_line_hash_of_a_written_entry_is_its_hash_and_covers_added_fields() {
        let key = PrivateKeySigner::random();
        let entry = Entry::signed(3, "t", "r", Event::RunCompleted {}, GENESIS, &key).unwrap();
        let line = serde_json::to_vec(&entry).unwrap();
        assert_eq!(line_hash(&line).unwrap(), entry.hash);
        let text = String::from_utf8(line).unwrap();
        let added = text.replacen("{", "{\"extra\":1,", 1);
        assert_ne!(line_hash(added.as_bytes()).unwrap(), entry.hash);
        let in_body = text.replacen("\"body\":{", "\"body\":{\"extra\":1", 1);
        assert_ne!(line_hash(in_body.as_bytes()).unwrap(), entry.hash);
    }

    #[test]
    fn libsecp256k1_recovers_what_alloy_signs() {
        let key = PrivateKeySigner::random();
        let hash = hex::encode([7u8; 32]);
        let sig = sign_hash(&hash, &key).unwrap();
        assert_eq!(recover(&hash, &sig).unwrap(), key.address());
        let mut low_v = hex::decode(&sig[2..]).unwrap();
        low_v[64] -= 27;
        assert_eq!(recover(&hash, &hex::encode(&low_v)).unwrap(), key.address());
        assert!(recover(&hash, "0x1111").is_err());
        assert!(recover(&hash, &format!("{}1d", &sig[..130])).is_err());
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
