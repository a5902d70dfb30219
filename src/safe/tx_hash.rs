//! The Safe transaction hash (Safe v1.4.1, EIP-712) of a batch's call, and the two hashes it
//! is made of, as a hardware wallet shows them when an owner signs: the domain hash (the Safe
//! and its chain), the message hash (the SafeTx struct) and the Safe transaction hash
//! `keccak256(0x19 0x01 ‖ domain ‖ message)`. No gas refund: every gas field is zero.

use super::multisend::SafeCall;
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{Eip712Domain, SolStruct, sol};
use serde::Serialize;

sol! {
    struct SafeTx {
        address to;
        uint256 value;
        bytes data;
        uint8 operation;
        uint256 safeTxGas;
        uint256 baseGas;
        uint256 gasPrice;
        address gasToken;
        address refundReceiver;
        uint256 nonce;
    }
}

/// Which Safe, on which chain, at which nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SafeAt {
    pub safe: Address,
    pub chain_id: u64,
    pub nonce: U256,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SafeTxHashes {
    /// The EIP-712 domain separator: `EIP712Domain(uint256 chainId,address verifyingContract)`.
    pub domain_hash: B256,
    /// The SafeTx struct hash.
    pub message_hash: B256,
    /// What the owners sign: the Safe's `getTransactionHash(…)`.
    pub safe_tx_hash: B256,
}

/// The EIP-712 domain of a Safe v1.3+ (chain id and the Safe's address, nothing else).
pub fn domain(safe: Address, chain_id: u64) -> Eip712Domain {
    Eip712Domain {
        chain_id: Some(U256::from(chain_id)),
        verifying_contract: Some(safe),
        ..Eip712Domain::default()
    }
}

/// The three hashes of `call` made by the Safe `at`.
pub fn safe_tx_hashes(call: &SafeCall, at: &SafeAt) -> SafeTxHashes {
    let domain = domain(at.safe, at.chain_id);
    let message = SafeTx {
        to: call.to,
        value: call.value,
        data: call.data.clone(),
        operation: call.operation.code(),
        safeTxGas: U256::ZERO,
        baseGas: U256::ZERO,
        gasPrice: U256::ZERO,
        gasToken: Address::ZERO,
        refundReceiver: Address::ZERO,
        nonce: at.nonce,
    };
    SafeTxHashes {
        domain_hash: domain.hash_struct(),
        message_hash: message.eip712_hash_struct(),
        safe_tx_hash: message.eip712_signing_hash(&domain),
    }
}
