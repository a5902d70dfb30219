//! An approver's signature over a prepared Safe transaction's `safeTxHash`: made with the key
//! that signs their ledger entries, recorded in their sign-off, checked against the approver
//! whenever the ledger is read, and handed to the Safe's `execTransaction` as it is.

use crate::engine::event::SafeTxSignature;
use crate::ledger::entry::{RecoverError, recover_digest};
use alloy_primitives::{Address, B256};
use alloy_signer::SignerSync;
use alloy_signer_local::PrivateKeySigner;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    #[error("the Safe transaction hash `{0}` is not 32 bytes of hex")]
    NotAHash(String),
    #[error("its signature over Safe transaction {hash}: {error}")]
    Unreadable { hash: String, error: RecoverError },
    #[error(
        "its signature over Safe transaction {hash} is by {signer}, not by the approver {approver}"
    )]
    NotTheApprover {
        hash: String,
        signer: String,
        approver: String,
    },
    #[error("cannot sign Safe transaction {hash}: {error}")]
    Sign { hash: String, error: String },
}

fn hash_of(text: &str) -> Result<B256, ApprovalError> {
    text.parse()
        .map_err(|_| ApprovalError::NotAHash(text.to_owned()))
}

/// `key`'s signature over `safe_tx_hash` (the 32 bytes themselves, v 27 or 28).
pub fn sign(safe_tx_hash: &str, key: &PrivateKeySigner) -> Result<SafeTxSignature, ApprovalError> {
    let hash = hash_of(safe_tx_hash)?;
    let signature = key
        .sign_hash_sync(&hash)
        .map_err(|error| ApprovalError::Sign {
            hash: safe_tx_hash.to_owned(),
            error: error.to_string(),
        })?;
    Ok(SafeTxSignature {
        safe_tx_hash: format!("{hash:#x}"),
        signature: format!("0x{}", hex::encode(signature.as_bytes())),
    })
}

/// The address `signed` recovers to.
pub fn signer(signed: &SafeTxSignature) -> Result<Address, ApprovalError> {
    let hash = hash_of(&signed.safe_tx_hash)?;
    recover_digest(hash, &signed.signature).map_err(|error| ApprovalError::Unreadable {
        hash: signed.safe_tx_hash.clone(),
        error,
    })
}

/// Checks that `signed` is `approver`'s (an EIP-55 or lower-case address).
pub fn check(signed: &SafeTxSignature, approver: &str) -> Result<Address, ApprovalError> {
    let signer = signer(signed)?;
    if signer.to_checksum(None).eq_ignore_ascii_case(approver) {
        Ok(signer)
    } else {
        Err(ApprovalError::NotTheApprover {
            hash: signed.safe_tx_hash.clone(),
            signer: signer.to_checksum(None),
            approver: approver.to_owned(),
        })
    }
}

/// The signature's 65 bytes as the Safe reads them (`r ‖ s ‖ v`).
pub fn bytes(signed: &SafeTxSignature) -> Result<[u8; 65], ApprovalError> {
    let unreadable = |error| ApprovalError::Unreadable {
        hash: signed.safe_tx_hash.clone(),
        error,
    };
    let raw = hex::decode(signed.signature.trim_start_matches("0x"))
        .map_err(|_| unreadable(RecoverError::SignatureNotHex))?;
    raw.try_into()
        .map_err(|raw: Vec<u8>| unreadable(RecoverError::SignatureLength(raw.len())))
}

/// `signoff` with `key`'s signature over `run`'s prepared Safe transaction, when it has one.
pub fn signed_off(
    run: &crate::engine::Run,
    mut signoff: crate::engine::Signoff,
    key: &PrivateKeySigner,
) -> Result<crate::engine::Signoff, ApprovalError> {
    signoff.safe_tx = run.safe_tx_hash().map(|hash| sign(hash, key)).transpose()?;
    Ok(signoff)
}
