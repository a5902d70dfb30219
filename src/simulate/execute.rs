//! A batch executed on a fork as its Safe would execute it. A Safe v1.x runs its own code
//! path: one of its owners is impersonated (and funded), its threshold lowered to 1 (Safe
//! v1.4.1's storage slot 4), and `execTransaction` sent from that owner with a pre-validated
//! signature (v = 1, r = the owner): one call as itself (operation 0), several as a
//! delegatecall of `multiSend` to MultiSendCallOnly (operation 1), all or nothing. A Safe that
//! is not a v1.x (no `VERSION()` "1.…", threshold or owners; or its threshold not in slot 4)
//! is impersonated itself and sends the calls one by one, stopping at the first that reverts:
//! not atomic, and said so.

use super::SimulateError;
use crate::chain::call_trace::{Frame, trace_transaction};
use crate::safe::multisend::SafeCall;
use crate::sandbox::deploy::Sender;
use crate::sandbox::safe_exec;
use alloy_primitives::{Address, B256, Bytes, U256};
use alloy_rpc_client::RpcClient;
use alloy_sol_types::{SolCall, sol};
use serde_json::json;
use std::time::Duration;

sol! {
    function VERSION() view returns (string);
    function getThreshold() view returns (uint256);
    function getOwners() view returns (address[]);
}

/// Safe v1.4.1's storage slot of `threshold` (after singleton, modules, owners, ownerCount).
pub const THRESHOLD_SLOT: u64 = 4;

/// One call of the batch, as the Safe makes it.
#[derive(Debug, Clone)]
pub struct BatchCall {
    pub to: Address,
    pub value: U256,
    pub data: Bytes,
}

/// How the batch was executed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// The Safe's own `execTransaction`, sent by `owner` (threshold lowered from `threshold`).
    SafeExecTransaction {
        version: String,
        owner: Address,
        threshold: U256,
    },
    /// The Safe impersonated, each call sent on its own: `why` the Safe's path was not used.
    OneByOne { why: String },
}

pub struct Executed {
    pub how: How,
    /// Whether the batch took effect (every call succeeded and the Safe did not revert).
    pub succeeded: bool,
    pub gas_used: u64,
    pub transactions: Vec<B256>,
    /// Per batch call: its frame in the trace, or none when it never ran.
    pub frames: Vec<Option<Frame>>,
    /// The Safe's own revert data when the Safe (not a call) refused.
    pub safe_revert: Option<Bytes>,
}

fn on_fork(what: &str) -> impl Fn(String) -> SimulateError + '_ {
    move |detail| SimulateError::OnFork {
        what: what.to_owned(),
        detail: crate::sanitize::for_terminal(&detail).into_owned(),
    }
}

async fn rpc<P: alloy_json_rpc::RpcSend, R: alloy_json_rpc::RpcRecv>(
    client: &RpcClient,
    method: &'static str,
    params: P,
) -> Result<R, SimulateError> {
    client
        .request(method, params)
        .await
        .map_err(|e| on_fork(method)(e.to_string()))
}

async fn view(client: &RpcClient, to: Address, data: Vec<u8>) -> Option<Bytes> {
    let request = json!({ "to": to, "data": Bytes::from(data) });
    client
        .request::<_, Bytes>("eth_call", (request, "latest"))
        .await
        .ok()
}

/// What makes `safe` a Safe v1.x whose own code path can run the batch, or why it is not one.
async fn safe_v1(client: &RpcClient, safe: Address) -> Result<(String, Address, U256), String> {
    let version = view(client, safe, VERSIONCall {}.abi_encode())
        .await
        .and_then(|out| VERSIONCall::abi_decode_returns(&out).ok())
        .ok_or("it has no VERSION()")?;
    if !version.starts_with("1.") {
        return Err(format!(
            "its VERSION() is {}, not 1.x",
            crate::sanitize::for_terminal(&version)
        ));
    }
    let threshold = view(client, safe, getThresholdCall {}.abi_encode())
        .await
        .and_then(|out| getThresholdCall::abi_decode_returns(&out).ok())
        .ok_or("it has no getThreshold()")?;
    let owners = view(client, safe, getOwnersCall {}.abi_encode())
        .await
        .and_then(|out| getOwnersCall::abi_decode_returns(&out).ok())
        .ok_or("it has no getOwners()")?;
    let owner = owners.first().copied().ok_or("it has no owners")?;
    Ok((version, owner, threshold))
}

/// Impersonates `account` on the fork with ether for gas.
async fn impersonate(client: &RpcClient, account: Address) -> Result<(), SimulateError> {
    let _: serde_json::Value = rpc(client, "anvil_impersonateAccount", (account,)).await?;
    let hundred_ether = U256::from(100u64) * U256::from(10u64).pow(U256::from(18u64));
    let _: serde_json::Value = rpc(client, "anvil_setBalance", (account, hundred_ether)).await?;
    Ok(())
}

fn sender(client: &RpcClient) -> Sender<'_> {
    Sender {
        rpc: client,
        timeout: Duration::from_secs(60),
    }
}

/// Executes the batch (`call`, the Safe transaction; `calls`, its transactions) by `safe`.
pub async fn execute(
    client: &RpcClient,
    safe: Address,
    call: &SafeCall,
    calls: &[BatchCall],
) -> Result<Executed, SimulateError> {
    let (version, owner, threshold) = match safe_v1(client, safe).await {
        Ok(found) => found,
        Err(why) => return one_by_one(client, safe, calls, why).await,
    };
    if let Err(why) = lower_threshold(client, safe, &version).await? {
        return one_by_one(client, safe, calls, why).await;
    }
    through_safe(client, safe, call, calls, version, owner, threshold).await
}

/// Writes 1 into the Safe's threshold slot; when `getThreshold()` does not then say 1 (a
/// contract that says it is a Safe v1.x and keeps its threshold elsewhere), the slot is put
/// back and why is said.
async fn lower_threshold(
    client: &RpcClient,
    safe: Address,
    version: &str,
) -> Result<Result<(), String>, SimulateError> {
    let slot = B256::from(U256::from(THRESHOLD_SLOT));
    let was: B256 = rpc(client, "eth_getStorageAt", (safe, slot, "latest")).await?;
    let one = B256::from(U256::from(1));
    let _: serde_json::Value = rpc(client, "anvil_setStorageAt", (safe, slot, one)).await?;
    let lowered = view(client, safe, getThresholdCall {}.abi_encode())
        .await
        .and_then(|out| getThresholdCall::abi_decode_returns(&out).ok());
    if lowered == Some(U256::from(1)) {
        return Ok(Ok(()));
    }
    let _: serde_json::Value = rpc(client, "anvil_setStorageAt", (safe, slot, was)).await?;
    Ok(Err(format!(
        "it says it is Safe {}, but its threshold is not in storage slot {THRESHOLD_SLOT}: after writing 1 there, getThreshold() gives {}",
        crate::sanitize::for_terminal(version),
        lowered.map_or("nothing".to_owned(), |t| t.to_string())
    )))
}

async fn through_safe(
    client: &RpcClient,
    safe: Address,
    call: &SafeCall,
    calls: &[BatchCall],
    version: String,
    owner: Address,
    threshold: U256,
) -> Result<Executed, SimulateError> {
    impersonate(client, owner).await?;
    let approved = safe_exec::packed_signatures(&[], &[owner]);
    let mined = sender(client)
        .submit(owner, Some(safe), safe_exec::calldata(call, approved))
        .await?;
    let trace = trace_transaction(client, mined.hash).await?;
    let found = trace.calls_made_by(safe);
    let frames = match_calls(calls, &found);
    let call_reverted = frames.iter().flatten().any(Frame::reverted);
    let safe_revert =
        (!mined.succeeded && !call_reverted).then(|| trace.output.clone().unwrap_or_default());
    Ok(Executed {
        how: How::SafeExecTransaction {
            version,
            owner,
            threshold,
        },
        succeeded: mined.succeeded,
        gas_used: trace.gas_used(),
        transactions: vec![mined.hash],
        frames,
        safe_revert,
    })
}

/// Each batch call's frame among the Safe's calls, in order (a guard's or a module's calls
/// between them are passed over); after a call that reverted, none ran.
fn match_calls(calls: &[BatchCall], found: &[&Frame]) -> Vec<Option<Frame>> {
    let mut frames = Vec::with_capacity(calls.len());
    let mut rest = found.iter();
    let mut stopped = false;
    for call in calls {
        let frame = if stopped {
            None
        } else {
            rest.by_ref()
                .find(|f| f.to == Some(call.to) && f.input == call.data)
                .map(|f| (*f).clone())
        };
        stopped |= frame.as_ref().is_none_or(Frame::reverted);
        frames.push(frame);
    }
    frames
}

/// Waits (bounded) until the fork has mined `hash`.
async fn wait_mined(client: &RpcClient, hash: B256) -> Result<(), SimulateError> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let receipt: Option<serde_json::Value> =
            rpc(client, "eth_getTransactionReceipt", (hash,)).await?;
        if receipt.is_some() {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            return Err(on_fork("eth_getTransactionReceipt")(format!(
                "{hash} was not mined within 60 s"
            )));
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn one_by_one(
    client: &RpcClient,
    safe: Address,
    calls: &[BatchCall],
    why: String,
) -> Result<Executed, SimulateError> {
    impersonate(client, safe).await?;
    let mut frames = Vec::with_capacity(calls.len());
    let mut transactions = Vec::new();
    let mut gas_used = 0;
    let mut succeeded = true;
    for call in calls {
        if !succeeded {
            frames.push(None);
            continue;
        }
        let request = json!({
            "from": safe, "to": call.to, "value": call.value, "data": call.data, "gas": "0x1c9c380"
        });
        let hash: B256 = rpc(client, "eth_sendTransaction", (request,)).await?;
        wait_mined(client, hash).await?;
        let frame = trace_transaction(client, hash).await?;
        transactions.push(hash);
        gas_used += frame.gas_used();
        succeeded = !frame.reverted();
        frames.push(Some(frame));
    }
    Ok(Executed {
        how: How::OneByOne { why },
        succeeded,
        gas_used,
        transactions,
        frames,
        safe_revert: None,
    })
}
