//! Safe Transaction Builder batch files: build them from contract calls, parse them (errors
//! name the field), check every transaction, compute the Safe app's checksum, decode them
//! for review, read a prepared one back against the hash its run recorded (binding), and
//! compute the Safe transaction hash its owners sign (multisend, tx_hash, safe_tx).
//!
//! The console never holds the platform's owner keys: it only prepares these files, which the
//! Safe multisig's owners load into the Safe web app's Transaction Builder and sign there.
//! Nothing here touches a terminal library.

pub mod abi;
pub mod approval;
pub mod binding;
pub mod build;
pub mod calldata;
pub mod check;
pub mod checksum;
pub mod fields;
pub mod format;
pub mod multisend;
pub mod parse;
pub mod review;
pub mod safe_tx;
pub mod tx_hash;
pub mod value_error;
pub mod verdict;

pub use build::{BuildError, PlannedCall, build_batch, build_transaction};
pub use check::{Check, check_batch};
pub use checksum::safe_checksum;
pub use format::{Batch, ContractMethod, Meta, MethodInput, Slot, Transaction};
pub use parse::{ParseError, parse_batch};
pub use review::{Review, review, review_text};
pub use safe_tx::{SafeTransaction, SafeTxError, safe_transaction, safe_transaction_text};
pub use verdict::{CheckKind, Status};

use alloy_primitives::B256;
use serde_json::Value;
use sha2::{Digest, Sha256};

impl Batch {
    /// The checksum the Safe app computes for this batch (see [`safe_checksum`]).
    pub fn computed_checksum(&self) -> B256 {
        safe_checksum(&self.to_value())
    }

    /// The batch as a JSON value; for a parsed batch, the same value as the file's.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The batch file's text, indented as the Safe app's export is.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// SHA-256 (hex) of the batch's canonical JSON (RFC 8785): what a run records in the ledger
/// for the file it prepared, whatever its indentation or key order.
pub fn batch_hash(batch: &Batch) -> String {
    let canonical = serde_json_canonicalizer::to_vec(&batch.to_value()).unwrap_or_default();
    hex::encode(Sha256::digest(canonical))
}
