//! The one call the Safe executes for a batch, as the Safe app proposes it: a batch of one
//! transaction is that call (operation 0, call); a batch of several is one delegatecall
//! (operation 1) to MultiSendCallOnly v1.4.1 with `multiSend(bytes)`, the calls packed one
//! after the other. This call is what the Safe transaction hash covers.

use super::abi::{function_of, read_value, value_key};
use super::format::{Batch, Slot, Transaction};
use alloy_dyn_abi::{JsonAbiExt, Specifier};
use alloy_primitives::{Address, Bytes, U256, address};
use alloy_sol_types::sol_data::{self, Uint};
use alloy_sol_types::{SolCall, SolType, sol};
use serde::Serialize;

/// MultiSendCallOnly v1.4.1 at its canonical address (the same on every chain): it refuses
/// delegatecalls inside the batch, so every packed call is a plain call.
pub const MULTI_SEND_CALL_ONLY: Address = address!("0x9641d764fc13c8B624c04430C7356C1C7C8102e2");

sol! {
    function multiSend(bytes transactions) external payable;
}

/// One call packed into `multiSend`'s bytes: operation, to, value, data length, data.
type PackedCall = (
    Uint<8>,
    sol_data::Address,
    Uint<256>,
    Uint<256>,
    sol_data::Bytes,
);

/// How the Safe makes the call: the `operation` field of a Safe transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    Call,
    DelegateCall,
}

impl Operation {
    pub fn code(self) -> u8 {
        match self {
            Operation::Call => 0,
            Operation::DelegateCall => 1,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Operation::Call => "call",
            Operation::DelegateCall => "delegatecall",
        }
    }
}

/// The call a Safe transaction makes for a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeCall {
    pub to: Address,
    pub value: U256,
    pub data: Bytes,
    pub operation: Operation,
    /// The batch's transactions that the call carries (1, or the number packed in multiSend).
    pub calls: usize,
}

impl SafeCall {
    /// One plain call (operation 0).
    pub fn call(to: Address, value: U256, data: Bytes) -> Self {
        Self {
            to,
            value,
            data,
            operation: Operation::Call,
            calls: 1,
        }
    }

    /// True when the calls go through MultiSendCallOnly.
    pub fn is_multi_send(&self) -> bool {
        self.operation == Operation::DelegateCall && self.to == MULTI_SEND_CALL_ONLY
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SafeCallError {
    #[error("the batch has no transactions: there is no Safe transaction to hash")]
    Empty,
    #[error(
        "transactions[{index}]: data is null and its calldata cannot be encoded from contractMethod and contractInputsValues: {reason}"
    )]
    Calldata { index: usize, reason: String },
}

/// The call the Safe executes for `batch`.
pub fn safe_call(batch: &Batch) -> Result<SafeCall, SafeCallError> {
    let calls = batch
        .transactions
        .iter()
        .enumerate()
        .map(|(index, tx)| {
            Ok((
                tx,
                calldata(tx).map_err(|reason| SafeCallError::Calldata { index, reason })?,
            ))
        })
        .collect::<Result<Vec<_>, SafeCallError>>()?;
    match calls.as_slice() {
        [] => Err(SafeCallError::Empty),
        [(tx, data)] => Ok(SafeCall {
            to: tx.to.address,
            value: tx.value.amount,
            data: data.clone(),
            operation: Operation::Call,
            calls: 1,
        }),
        many => {
            let packed: Vec<u8> = many
                .iter()
                .flat_map(|(tx, data)| {
                    PackedCall::abi_encode_packed(&(
                        Operation::Call.code(),
                        tx.to.address,
                        tx.value.amount,
                        U256::from(data.len()),
                        data.clone(),
                    ))
                })
                .collect();
            Ok(SafeCall {
                to: MULTI_SEND_CALL_ONLY,
                value: U256::ZERO,
                data: multiSendCall {
                    transactions: packed.into(),
                }
                .abi_encode()
                .into(),
                operation: Operation::DelegateCall,
                calls: many.len(),
            })
        }
    }
}

/// A transaction's calldata as the Safe app sends it: `data` when given; else encoded from
/// `contractMethod` and `contractInputsValues`; else none (a plain transfer).
pub fn calldata(tx: &Transaction) -> Result<Bytes, String> {
    if let Slot::Set(data) = &tx.data {
        return Ok(data.bytes.clone().into());
    }
    let Some(method) = tx.contract_method.get() else {
        return Ok(Bytes::new());
    };
    let function = function_of(method).map_err(|e| e.to_string())?;
    let empty = serde_json::Map::new();
    let values = tx.contract_inputs_values.get().unwrap_or(&empty);
    let typed = method
        .inputs
        .iter()
        .zip(&function.inputs)
        .enumerate()
        .map(|(i, (input, param))| {
            let key = value_key(input, i);
            let given = values
                .get(&key)
                .ok_or_else(|| format!("`{key}` is missing from contractInputsValues"))?;
            let ty = param.resolve().map_err(|e| format!("`{key}`: {e}"))?;
            read_value(&ty, given).map_err(|e| format!("`{key}`: {e}"))
        })
        .collect::<Result<Vec<_>, String>>()?;
    function
        .abi_encode_input(&typed)
        .map(Bytes::from)
        .map_err(|e| e.to_string())
}
