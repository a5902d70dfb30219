//! A Safe's nonce read from the chain (`nonce()`): the nonce its next transaction must carry,
//! which the Safe transaction hash covers.

use super::block::BlockRef;
use super::client::{Call, Chain};
use super::error::ChainError;
use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, sol};

sol! {
    function nonce() external view returns (uint256);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SafeNonce {
    pub nonce: U256,
    pub block: BlockRef,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SafeNonceError {
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error("the Safe {safe} on network `{network}`: nonce() {why}")]
    Unreadable {
        safe: String,
        network: String,
        why: String,
    },
}

/// The Safe's nonce at the chain's head (the chain id checked in the same request).
pub async fn read(chain: &Chain, safe: Address) -> Result<SafeNonce, SafeNonceError> {
    let reading = chain
        .read(&[Call {
            to: safe,
            data: nonceCall {}.abi_encode().into(),
        }])
        .await?;
    let unreadable = |why: String| SafeNonceError::Unreadable {
        safe: safe.to_checksum(None),
        network: chain.endpoint().network.clone(),
        why,
    };
    let output = match reading.outcomes.into_iter().next() {
        Some(Ok(output)) => output,
        Some(Err(failure)) => return Err(unreadable(failure.to_string())),
        None => return Err(unreadable("was not answered".into())),
    };
    if output.is_empty() {
        return Err(unreadable(format!(
            "returned nothing at block #{}: is a Safe deployed at this address on this chain?",
            reading.block.number
        )));
    }
    let nonce = nonceCall::abi_decode_returns(&output).map_err(|_| {
        unreadable(format!(
            "returned {} byte(s) that are not a uint256: is this address a Safe?",
            output.len()
        ))
    })?;
    Ok(SafeNonce {
        nonce,
        block: reading.block,
    })
}
