//! A Safe transaction executed in the sandbox as an executor does it on a real chain:
//! `execTransaction` on the sandbox's Safe, sent from one of the node's dev accounts, so the
//! receipt goes to the Safe and carries the Safe's `ExecutionSuccess`. The mock Safe checks no
//! signatures (a drill limit, see `assets/contracts/MockSafe.sol`), so none are sent.

use super::SandboxError;
use super::deploy::Sender;
use alloy_primitives::{Address, B256, Bytes, U256};
use alloy_sol_types::{SolCall, sol};

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
}

/// One call the Safe makes (operation 0), as a batch transaction names it.
#[derive(Debug, Clone)]
pub struct SafeCall {
    pub to: Address,
    pub value: U256,
    pub data: Bytes,
}

#[derive(Debug, Clone)]
pub struct Executed {
    pub hash: B256,
    /// Why the execution reverted (the Safe's `GS013` when the call inside failed), when it did.
    pub reverted: Option<String>,
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

/// The `execTransaction` calldata of `call`: no gas limit of its own, no refund, no signatures.
pub fn calldata(call: &SafeCall) -> Bytes {
    execTransactionCall {
        to: call.to,
        value: call.value,
        data: call.data.clone(),
        operation: 0,
        safeTxGas: U256::ZERO,
        baseGas: U256::ZERO,
        gasPrice: U256::ZERO,
        gasToken: Address::ZERO,
        refundReceiver: Address::ZERO,
        signatures: Bytes::new(),
    }
    .abi_encode()
    .into()
}

/// Sends `call` through the Safe's `execTransaction` from `executor` and waits until it is
/// mined. A reverted execution is mined too (as on a real chain): its hash comes back with the
/// reason, read by replaying it on the block before.
pub async fn execute(
    sender: &Sender<'_>,
    executor: Address,
    safe: Address,
    call: &SafeCall,
) -> Result<Executed, SandboxError> {
    let data = calldata(call);
    let mined = sender.submit(executor, Some(safe), data.clone()).await?;
    let reverted = match mined.succeeded {
        true => None,
        false => Some(
            sender
                .replayed_revert(executor, safe, data, mined.block, None)
                .await,
        ),
    };
    Ok(Executed {
        hash: mined.hash,
        reverted,
    })
}

/// `call` executed through the Safe by the sandbox's executor; an execution that reverts is
/// an error naming its reason.
pub async fn execute_or_fail(
    sender: &Sender<'_>,
    safe: Address,
    call: &SafeCall,
) -> Result<B256, SandboxError> {
    let executor = executor(sender).await?;
    let executed = execute(sender, executor, safe, call).await?;
    match executed.reverted {
        None => Ok(executed.hash),
        Some(why) => Err(SandboxError::ExecutionReverted {
            hash: executed.hash,
            why,
        }),
    }
}
