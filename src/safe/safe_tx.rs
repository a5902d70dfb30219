//! A batch as the Safe transaction its owners sign: the Safe, chain, nonce, the call the Safe
//! makes (operation, target, value, data) and the three hashes a hardware wallet shows, so a
//! signer can compare them field by field with the device's screen.

use super::format::Batch;
use super::multisend::{Operation, SafeCallError, safe_call};
use super::tx_hash::{SafeAt, safe_tx_hashes};
use alloy_primitives::{Address, U256};
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SafeTransaction {
    pub safe: String,
    pub chain_id: u64,
    pub nonce: String,
    /// Where the nonce came from: given, or read from the Safe (and at which block).
    pub nonce_source: String,
    pub operation: Operation,
    pub operation_code: u8,
    /// The call's target: the batch's one transaction's `to`, or MultiSendCallOnly.
    pub to: String,
    /// `MultiSendCallOnly v1.4.1` when `to` is it.
    pub to_name: Option<String>,
    /// The batch's transactions the call carries.
    pub calls: usize,
    pub value: String,
    pub data: String,
    pub data_bytes: usize,
    pub domain_hash: String,
    pub message_hash: String,
    pub safe_tx_hash: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SafeTxError {
    #[error(
        "chainId {0:?} is not a positive integer: the Safe transaction hash needs the chain id"
    )]
    ChainId(String),
    #[error(transparent)]
    Call(#[from] SafeCallError),
}

/// The batch's chain id, which the Safe transaction hash covers.
pub fn chain_id_of(batch: &Batch) -> Result<u64, SafeTxError> {
    batch
        .chain_id
        .value()
        .ok_or_else(|| SafeTxError::ChainId(batch.chain_id.to_string()))
}

/// The Safe transaction of `batch` made by `safe` at `nonce` on the batch's chain.
pub fn safe_transaction(
    batch: &Batch,
    safe: Address,
    nonce: U256,
    nonce_source: &str,
) -> Result<SafeTransaction, SafeTxError> {
    let chain_id = chain_id_of(batch)?;
    let call = safe_call(batch)?;
    let hashes = safe_tx_hashes(
        &call,
        &SafeAt {
            safe,
            chain_id,
            nonce,
        },
    );
    Ok(SafeTransaction {
        safe: safe.to_checksum(None),
        chain_id,
        nonce: nonce.to_string(),
        nonce_source: nonce_source.to_owned(),
        operation: call.operation,
        operation_code: call.operation.code(),
        to: call.to.to_checksum(None),
        to_name: call
            .is_multi_send()
            .then(|| "MultiSendCallOnly v1.4.1".to_owned()),
        calls: call.calls,
        value: call.value.to_string(),
        data: call.data.to_string(),
        data_bytes: call.data.len(),
        domain_hash: hashes.domain_hash.to_string(),
        message_hash: hashes.message_hash.to_string(),
        safe_tx_hash: hashes.safe_tx_hash.to_string(),
    })
}

/// The Safe transaction as text, its hashes named as the hardware wallets name them.
pub fn safe_transaction_text(tx: &SafeTransaction) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Safe transaction (what the owners sign):");
    let _ = writeln!(out, "  safe:      {}", tx.safe);
    let _ = writeln!(out, "  chain id:  {}", tx.chain_id);
    let _ = writeln!(out, "  nonce:     {} ({})", tx.nonce, tx.nonce_source);
    let target = match &tx.to_name {
        Some(name) => format!("{} ({name})", tx.to),
        None => tx.to.clone(),
    };
    let carried = if tx.calls == 1 {
        "the batch's one transaction".to_owned()
    } else {
        format!("the batch's {} transactions in multiSend(bytes)", tx.calls)
    };
    let _ = writeln!(
        out,
        "  operation: {} ({}): {carried}",
        tx.operation.name(),
        tx.operation_code
    );
    let _ = writeln!(out, "  to:        {target}");
    let _ = writeln!(out, "  value:     {} wei", tx.value);
    let _ = writeln!(out, "  data:      {} byte(s)", tx.data_bytes);
    let _ = writeln!(out, "  Domain hash:           {}", tx.domain_hash);
    let _ = writeln!(out, "  Message hash:          {}", tx.message_hash);
    let _ = writeln!(out, "  Safe transaction hash: {}", tx.safe_tx_hash);
    out
}
