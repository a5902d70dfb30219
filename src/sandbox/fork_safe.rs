//! The network's Safe on a fork, handed to the workspace's operators for a drill: the fork
//! impersonates the Safe (funded for gas, its balance put back after) and the Safe itself calls
//! its own owner management, as its `authorized` modifier allows its own address to:
//! `addOwnerWithThreshold` for each operator it lacks, then `changeThreshold` to the sandbox's
//! threshold. Its other owners stay. Only the fork changes: the network's node is never sent a
//! transaction. A drill then executes through `execTransaction` with the operators' own
//! signatures, as on a sandbox's own Safe.

use super::SandboxError;
use super::deploy::Sender;
use super::real_safe::SafeSetup;
use super::safe_exec::{SafeState, safe_state};
use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{SolCall, sol};
use serde_json::json;

sol! {
    function VERSION() view returns (string);
}

/// What was done to the Safe on the fork.
#[derive(Debug, Clone)]
pub struct Handed {
    pub version: String,
    /// MultiSendCallOnly v1.4.1 has no code at its canonical address on the network: a batch of
    /// several calls (a delegatecall of it) would execute nothing there.
    pub no_multi_send: bool,
    /// The Safe as the network has it at the fork's block.
    pub before: SafeState,
    /// The operators made owners on the fork (the others already were).
    pub added: Vec<Address>,
    pub threshold: usize,
}

/// The Safe's version, refused (naming what was found) unless `safe` has code that answers
/// `VERSION()` with "1.…" (1.3.0 or later: the Safe transaction hash the console signs) and the
/// owners and threshold of a Safe.
async fn safe_v1(
    sender: &Sender<'_>,
    network: &str,
    safe: Address,
    block: u64,
) -> Result<(String, SafeState), SandboxError> {
    let refuse = |found: String| SandboxError::NotASafeV1 {
        network: network.to_owned(),
        safe,
        block,
        found,
    };
    let code: Bytes = sender
        .request("eth_getCode", json!([safe, "latest"]))
        .await?;
    if code.is_empty() {
        return Err(refuse(
            "it has no code (an account, or nothing deployed there)".to_owned(),
        ));
    }
    let call = json!({ "to": safe, "data": Bytes::from(VERSIONCall {}.abi_encode()) });
    let answer: Result<Bytes, _> = sender.rpc.request("eth_call", (call, "latest")).await;
    let version = answer
        .ok()
        .and_then(|out| VERSIONCall::abi_decode_returns(&out).ok())
        .ok_or_else(|| {
            refuse(format!(
                "it has {} bytes of code but no VERSION()",
                code.len()
            ))
        })?;
    let version = crate::sanitize::for_terminal(&version).into_owned();
    let Some(minor) = version.strip_prefix("1.") else {
        return Err(refuse(format!("its VERSION() is `{version}`, not 1.x")));
    };
    let minor: u32 = minor
        .split('.')
        .next()
        .and_then(|minor| minor.parse().ok())
        .ok_or_else(|| refuse(format!("its VERSION() is `{version}`, not 1.x")))?;
    if minor < 3 {
        return Err(refuse(format!(
            "its VERSION() is `{version}`: the console signs the Safe transaction hash of v1.3.0 and later, which an older Safe does not check"
        )));
    }
    let state = safe_state(sender, safe)
        .await
        .map_err(|error| match error {
            SandboxError::NotASafe { what, .. } => refuse(format!(
                "VERSION() is {version}, but it does not answer {what}"
            )),
            // The node answered, with an error (a revert): not a transport failure.
            SandboxError::Rpc { what, error } if error.as_error_resp().is_some() => refuse(
                format!("VERSION() is {version}, but it does not answer {what}"),
            ),
            other => other,
        })?;
    Ok((version, state))
}

/// Gives `safe` the owners of `setup` (besides its own) and its threshold, on the fork.
pub async fn hand_to_operators(
    sender: &Sender<'_>,
    network: &str,
    safe: Address,
    block: u64,
    setup: &SafeSetup,
) -> Result<Handed, SandboxError> {
    setup.check()?;
    let (version, before) = safe_v1(sender, network, safe, block).await?;
    let balance: U256 = sender
        .request("eth_getBalance", json!([safe, "latest"]))
        .await?;
    let gas_money = U256::from(10u64).pow(U256::from(18u64));
    let _: serde_json::Value = sender
        .request("anvil_impersonateAccount", json!([safe]))
        .await?;
    let _: serde_json::Value = sender
        .request(
            "anvil_setBalance",
            json!([safe, balance.saturating_add(gas_money)]),
        )
        .await?;
    let changed = change_owners(sender, safe, &before, setup).await;
    let _: serde_json::Value = sender
        .request("anvil_stopImpersonatingAccount", json!([safe]))
        .await?;
    let _: serde_json::Value = sender
        .request("anvil_setBalance", json!([safe, balance]))
        .await?;
    let added = changed?;
    let after = safe_state(sender, safe).await?;
    let missing: Vec<String> = setup
        .owners
        .iter()
        .filter(|owner| !after.owners.contains(owner))
        .map(|owner| owner.to_checksum(None))
        .collect();
    if !missing.is_empty() {
        return Err(SandboxError::OwnersNotTaken {
            safe,
            what: format!("{} not among its owners", missing.join(", ")),
        });
    }
    if after.threshold != setup.threshold {
        return Err(SandboxError::OwnersNotTaken {
            safe,
            what: format!(
                "its threshold is {}, not {}",
                after.threshold, setup.threshold
            ),
        });
    }
    let multi_send: Bytes = sender
        .request(
            "eth_getCode",
            json!([crate::safe::multisend::MULTI_SEND_CALL_ONLY, "latest"]),
        )
        .await?;
    Ok(Handed {
        version,
        no_multi_send: multi_send.is_empty(),
        before,
        added,
        threshold: setup.threshold,
    })
}

/// The Safe's own calls, sent from the Safe (impersonated): each missing operator added at
/// the threshold it has, then the threshold changed.
async fn change_owners(
    sender: &Sender<'_>,
    safe: Address,
    before: &SafeState,
    setup: &SafeSetup,
) -> Result<Vec<Address>, SandboxError> {
    let added: Vec<Address> = setup
        .owners
        .iter()
        .filter(|owner| !before.owners.contains(owner))
        .copied()
        .collect();
    let kept = before.threshold.max(1).to_string();
    for owner in &added {
        sender
            .call_explained(
                safe,
                safe,
                "addOwnerWithThreshold(address,uint256)",
                &[owner.to_checksum(None), kept.clone()],
                None,
            )
            .await?;
    }
    if before.threshold != setup.threshold {
        sender
            .call_explained(
                safe,
                safe,
                "changeThreshold(uint256)",
                &[setup.threshold.to_string()],
                None,
            )
            .await?;
    }
    Ok(added)
}
