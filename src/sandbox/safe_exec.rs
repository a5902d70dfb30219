//! A Safe transaction executed in the sandbox as an executor does it on a real chain: one
//! `execTransaction` on the sandbox's real Safe v1.4.1 (a batch of several calls is one
//! delegatecall of `multiSend` into MultiSendCallOnly: all or nothing), sent from one of the
//! node's dev accounts with the owners' signatures sorted by owner address, as the Safe checks
//! them. Owners whose signature is not given approve the hash on the sandbox itself (the node
//! writes `approvedHashes[owner][hash]`, as their `approveHash` would), up to the threshold,
//! and the result names them.
//! When the execution reverts, the call that failed inside it and its revert data are read
//! from the transaction's call trace.

use super::SandboxError;
use super::deploy::Sender;
use crate::chain::call_trace::trace_transaction;
use crate::safe::multisend::SafeCall;
use alloy_primitives::{Address, B256, Bytes, U256, keccak256};
use alloy_sol_types::{SolCall, SolValue, sol};
use serde_json::json;

sol! {
    function execTransaction(
        address to,
        uint256 value,
        bytes data,
        uint8 operation,
        uint256 safeTxGas,
        uint256 baseGas,
        uint256 gasPrice,
        address gasToken,
        address refundReceiver,
        bytes signatures
    ) returns (bool success);
    function getTransactionHash(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 _nonce) view returns (bytes32);
    function approvedHashes(address owner, bytes32 hash) view returns (uint256);
    function getOwners() view returns (address[]);
    function getThreshold() view returns (uint256);
    function nonce() view returns (uint256);
}

/// An owner's ECDSA signature over the Safe transaction hash (`r ‖ s ‖ v`).
#[derive(Debug, Clone)]
pub struct OwnerSignature {
    pub owner: Address,
    pub signature: [u8; 65],
}

/// The Safe as it stands: its owners, threshold and next nonce.
#[derive(Debug, Clone)]
pub struct SafeState {
    pub owners: Vec<Address>,
    pub threshold: usize,
    pub nonce: U256,
}

/// The call inside the Safe's execution that failed.
#[derive(Debug, Clone)]
pub struct FailedCall {
    /// Its place in the batch, from 0.
    pub index: usize,
    pub to: Address,
    pub input: Bytes,
    pub revert_data: Bytes,
}

#[derive(Debug, Clone)]
pub struct Executed {
    pub hash: B256,
    pub safe_tx_hash: B256,
    /// The owners whose given signatures the Safe was handed.
    pub signed_by: Vec<Address>,
    /// The owners who approved the hash on the sandbox (no signature of theirs was given).
    pub approved_on_sandbox: Vec<Address>,
    /// The signers given who are not the Safe's owners: their signatures were left out.
    pub not_owners: Vec<Address>,
    /// Why the execution reverted (the Safe's `GS013` when a call inside failed), when it did.
    pub reverted: Option<String>,
    /// The call that failed inside it, when the trace names one.
    pub failed_call: Option<FailedCall>,
}

/// The account that executes Safe transactions in the sandbox: the node's first dev account
/// (the one that deployed the platform).
pub async fn executor(sender: &Sender<'_>) -> Result<Address, SandboxError> {
    sender
        .accounts()
        .await?
        .first()
        .copied()
        .ok_or(SandboxError::NoExecutor)
}

async fn view<C: SolCall>(
    sender: &Sender<'_>,
    safe: Address,
    call: C,
    what: &'static str,
) -> Result<C::Return, SandboxError> {
    let request = json!({ "to": safe, "data": Bytes::from(call.abi_encode()) });
    let output: Bytes = sender
        .rpc
        .request("eth_call", (request, "latest"))
        .await
        .map_err(|error| SandboxError::Rpc {
            what,
            error: Box::new(error),
        })?;
    C::abi_decode_returns(&output).map_err(|_| SandboxError::NotASafe {
        safe,
        what: what.to_owned(),
    })
}

/// The Safe's owners, threshold and nonce.
pub async fn safe_state(sender: &Sender<'_>, safe: Address) -> Result<SafeState, SandboxError> {
    let owners = view(sender, safe, getOwnersCall {}, "getOwners()").await?;
    let threshold = view(sender, safe, getThresholdCall {}, "getThreshold()").await?;
    let nonce = view(sender, safe, nonceCall {}, "nonce()").await?;
    Ok(SafeState {
        owners,
        threshold: threshold.try_into().unwrap_or(usize::MAX),
        nonce,
    })
}

/// The Safe's own `getTransactionHash` of `call` at `nonce` (no gas refund).
pub async fn transaction_hash(
    sender: &Sender<'_>,
    safe: Address,
    call: &SafeCall,
    nonce: U256,
) -> Result<B256, SandboxError> {
    let request = getTransactionHashCall {
        to: call.to,
        value: call.value,
        data: call.data.clone(),
        operation: call.operation.code(),
        safeTxGas: U256::ZERO,
        baseGas: U256::ZERO,
        gasPrice: U256::ZERO,
        gasToken: Address::ZERO,
        refundReceiver: Address::ZERO,
        _nonce: nonce,
    };
    view(sender, safe, request, "getTransactionHash(…)").await
}

/// The `signatures` bytes the Safe checks: one 65-byte signature per owner, by ascending owner
/// address; an owner with no signature given approved the hash (`v` = 1, `r` = the owner).
pub fn packed_signatures(signed: &[OwnerSignature], approved: &[Address]) -> Bytes {
    let mut all: Vec<(Address, [u8; 65])> = signed.iter().map(|s| (s.owner, s.signature)).collect();
    for owner in approved {
        let mut approval = [0u8; 65];
        approval[12..32].copy_from_slice(owner.as_slice());
        approval[64] = 1;
        all.push((*owner, approval));
    }
    all.sort_by_key(|(owner, _)| *owner);
    all.iter()
        .flat_map(|(_, signature)| signature.iter().copied())
        .collect::<Vec<u8>>()
        .into()
}

/// The `execTransaction` calldata of `call` with `signatures`: no gas limit of its own, no
/// refund.
pub fn calldata(call: &SafeCall, signatures: Bytes) -> Bytes {
    execTransactionCall {
        to: call.to,
        value: call.value,
        data: call.data.clone(),
        operation: call.operation.code(),
        safeTxGas: U256::ZERO,
        baseGas: U256::ZERO,
        gasPrice: U256::ZERO,
        gasToken: Address::ZERO,
        refundReceiver: Address::ZERO,
        signatures,
    }
    .abi_encode()
    .into()
}

async fn anvil(
    sender: &Sender<'_>,
    method: &'static str,
    params: serde_json::Value,
) -> Result<(), SandboxError> {
    sender
        .request::<serde_json::Value>(method, params)
        .await
        .map(drop)
}

/// The slot of the Safe v1.4.1's `approvedHashes` mapping (SafeStorage: singleton, modules,
/// owners, ownerCount, threshold, nonce, the deprecated domain separator, signedMessages).
const APPROVED_HASHES_SLOT: u64 = 8;

/// `approvedHashes[owner][hash]` set to 1 by the sandbox's node (`anvil_setStorageAt`): what
/// the owner's `approveHash(hash)` leaves, without a transaction of theirs (no block is mined).
async fn approve_on_sandbox(
    sender: &Sender<'_>,
    safe: Address,
    owner: Address,
    hash: B256,
) -> Result<(), SandboxError> {
    let by_owner = keccak256((owner, U256::from(APPROVED_HASHES_SLOT)).abi_encode());
    let slot = keccak256((hash, by_owner).abi_encode());
    let one = B256::with_last_byte(1);
    anvil(sender, "anvil_setStorageAt", json!([safe, slot, one])).await
}

/// Executes `call` through the Safe's `execTransaction` from `executor` and waits until it is
/// mined. `expected` is the Safe transaction hash the signatures were made over: the Safe's
/// own hash of `call` at its current nonce must be it. Signatures of accounts that are not
/// owners are left out. A reverted execution is mined too (as on a real chain): its hash
/// comes back with the reason and the call inside that failed.
pub async fn execute(
    sender: &Sender<'_>,
    executor: Address,
    safe: Address,
    call: &SafeCall,
    expected: Option<B256>,
    signatures: &[OwnerSignature],
) -> Result<Executed, SandboxError> {
    let state = safe_state(sender, safe).await?;
    let safe_tx_hash = transaction_hash(sender, safe, call, state.nonce).await?;
    if let Some(signed) = expected.filter(|signed| *signed != safe_tx_hash) {
        return Err(SandboxError::SignedAnotherTransaction {
            signed,
            now: safe_tx_hash,
            nonce: state.nonce,
        });
    }
    let mut signed: Vec<OwnerSignature> = Vec::new();
    let mut not_owners = Vec::new();
    for signature in signatures {
        if !state.owners.contains(&signature.owner) {
            not_owners.push(signature.owner);
        } else if !signed.iter().any(|s| s.owner == signature.owner) {
            signed.push(signature.clone());
        }
    }
    let missing = state.threshold.saturating_sub(signed.len());
    let approved: Vec<Address> = state
        .owners
        .iter()
        .filter(|owner| !signed.iter().any(|s| s.owner == **owner))
        .take(missing)
        .copied()
        .collect();
    for owner in &approved {
        approve_on_sandbox(sender, safe, *owner, safe_tx_hash).await?;
        let request = approvedHashesCall {
            owner: *owner,
            hash: safe_tx_hash,
        };
        if view(sender, safe, request, "approvedHashes(…)").await? != U256::from(1) {
            return Err(SandboxError::NotASafe {
                safe,
                what: "approvedHashes(…) after its storage was written".to_owned(),
            });
        }
    }
    let data = calldata(call, packed_signatures(&signed, &approved));
    let mined = sender.submit(executor, Some(safe), data.clone()).await?;
    let (reverted, failed_call) = match mined.succeeded {
        true => (None, None),
        false => {
            let why = sender
                .replayed_revert(executor, safe, data, mined.block, None)
                .await;
            (Some(why), failed_call(sender, mined.hash, safe).await)
        }
    };
    Ok(Executed {
        hash: mined.hash,
        safe_tx_hash,
        signed_by: signed.iter().map(|s| s.owner).collect(),
        approved_on_sandbox: approved,
        not_owners,
        reverted,
        failed_call,
    })
}

/// The first call the Safe made in transaction `hash` that reverted, and its place among the
/// Safe's calls; none when the node gives no trace or no call of the Safe's failed.
async fn failed_call(sender: &Sender<'_>, hash: B256, safe: Address) -> Option<FailedCall> {
    let trace = match trace_transaction(sender.rpc, hash).await {
        Ok(trace) => trace,
        Err(error) => {
            tracing::warn!("no call trace of {hash:#x}: {error}");
            return None;
        }
    };
    let calls = trace.calls_made_by(safe);
    let (index, frame) = calls.iter().enumerate().find(|(_, f)| f.reverted())?;
    Some(FailedCall {
        index,
        to: frame.to.unwrap_or_default(),
        input: frame.input.clone(),
        revert_data: frame.revert_data().unwrap_or_default().to_vec().into(),
    })
}

/// `call` executed through the Safe by the sandbox's executor, every approval made on the
/// sandbox (for tests and set-ups acting as the Safe); an execution that reverts is an error
/// naming its reason.
pub async fn execute_or_fail(
    sender: &Sender<'_>,
    safe: Address,
    call: &SafeCall,
) -> Result<B256, SandboxError> {
    let executor = executor(sender).await?;
    let executed = execute(sender, executor, safe, call, None, &[]).await?;
    match executed.reverted {
        None => Ok(executed.hash),
        Some(why) => Err(SandboxError::ExecutionReverted {
            hash: executed.hash,
            why,
        }),
    }
}
