//! Building a batch from planned contract calls: each signature parsed, each argument coerced
//! to its type, the call ABI-encoded, and the method and values written as the Safe app does.

use super::abi::{method_inputs, value_key, value_text};
use super::format::{
    Batch, ChainId, ContractMethod, CreatedAt, HexAddress, HexData, Meta, Slot, TX_BUILDER_VERSION,
    Transaction, Wei,
};
use alloy_dyn_abi::{DynSolType, JsonAbiExt, Specifier};
use alloy_json_abi::{Function, StateMutability};
use alloy_primitives::Address;
use serde_json::{Map, Value};

/// One contract call the Safe is to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCall {
    /// The platform module called, e.g. `FeePool`.
    pub contract: String,
    pub to: Address,
    /// `setBurnPct(uint256)`, or with names: `setBurnPct(uint256 pct)`.
    pub signature: String,
    /// One string per parameter: decimal or 0x-hex integers, addresses, `true`/`false`,
    /// 0x-hex bytes, `[a, b]` arrays and `(a, b)` tuples.
    pub args: Vec<String>,
}

impl PlannedCall {
    pub fn new(contract: &str, to: Address, signature: &str, args: &[&str]) -> Self {
        Self {
            contract: contract.to_owned(),
            to,
            signature: signature.to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    /// `FeePool.setBurnPct(uint256 pct)`: how errors name the call.
    pub fn label(&self) -> String {
        format!("{}.{}", self.contract, self.signature)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("{call}: the signature does not parse: {message}")]
    Signature { call: String, message: String },
    #[error("{call}: expects {expected} argument(s), {given} given")]
    ArgCount {
        call: String,
        expected: usize,
        given: usize,
    },
    #[error("{call}: parameter `{param}` ({ty}): {value:?} is not a valid {ty}: {message}")]
    Arg {
        call: String,
        param: String,
        ty: String,
        value: String,
        message: String,
    },
    #[error("{call}: cannot encode: {message}")]
    Encode { call: String, message: String },
}

/// The transaction for one call: `data` encoded, `contractMethod` and `contractInputsValues`
/// filled (unnamed parameters are named `arg0`, `arg1`, …), `value` "0".
pub fn build_transaction(call: &PlannedCall) -> Result<Transaction, BuildError> {
    let label = call.label();
    let mut function = Function::parse(&call.signature).map_err(|e| BuildError::Signature {
        call: label.clone(),
        message: e.to_string(),
    })?;
    if function.inputs.len() != call.args.len() {
        return Err(BuildError::ArgCount {
            call: label,
            expected: function.inputs.len(),
            given: call.args.len(),
        });
    }
    let mut values = Vec::with_capacity(call.args.len());
    for (index, (param, arg)) in function.inputs.iter_mut().zip(&call.args).enumerate() {
        if param.name.is_empty() {
            param.name = format!("arg{index}");
        }
        let arg_error = |message: String| BuildError::Arg {
            call: label.clone(),
            param: param.name.clone(),
            ty: param.selector_type().into_owned(),
            value: arg.clone(),
            message,
        };
        let ty: DynSolType = param.resolve().map_err(|e| arg_error(e.to_string()))?;
        let value = ty.coerce_str(arg).map_err(|e| arg_error(e.to_string()))?;
        if ty == DynSolType::Address {
            check_spelling(arg).map_err(|e| arg_error(e.to_string()))?;
        }
        values.push(value);
    }
    let data = function
        .abi_encode_input(&values)
        .map_err(|e| BuildError::Encode {
            call: label.clone(),
            message: e.to_string(),
        })?;
    let inputs = method_inputs(&function.inputs);
    let mut inputs_values = Map::new();
    for (index, (input, value)) in inputs.iter().zip(&values).enumerate() {
        inputs_values.insert(value_key(input, index), Value::String(value_text(value)));
    }
    Ok(Transaction {
        to: HexAddress::new(call.to),
        value: Wei::zero(),
        data: Slot::Set(HexData::new(data)),
        contract_method: Slot::Set(ContractMethod {
            inputs,
            name: function.name.clone(),
            payable: Slot::Set(function.state_mutability == StateMutability::Payable),
            extra: Map::new(),
        }),
        contract_inputs_values: Slot::Set(inputs_values),
        extra: Map::new(),
    })
}

#[derive(Debug, thiserror::Error)]
#[error("mixed-case address with a wrong EIP-55 checksum (a typo?)")]
struct WrongChecksum;

/// A mixed-case address must carry a correct EIP-55 checksum (a typo in it is then caught).
fn check_spelling(arg: &str) -> Result<(), WrongChecksum> {
    let text = arg.trim();
    let hex = text.trim_start_matches("0x");
    let mixed =
        hex.bytes().any(|b| b.is_ascii_uppercase()) && hex.bytes().any(|b| b.is_ascii_lowercase());
    if mixed && Address::parse_checksummed(text, None).is_err() {
        return Err(WrongChecksum);
    }
    Ok(())
}

/// A batch for the Safe at `safe` on `chain_id`, with one transaction per call and the Safe
/// app's checksum in `meta.checksum`.
pub fn build_batch(
    chain_id: u64,
    safe: Address,
    name: &str,
    description: &str,
    calls: &[PlannedCall],
    created_at_ms: u64,
) -> Result<Batch, BuildError> {
    let transactions = calls
        .iter()
        .map(build_transaction)
        .collect::<Result<Vec<_>, _>>()?;
    let mut batch = Batch {
        version: "1.0".to_owned(),
        chain_id: ChainId::Text(chain_id.to_string()),
        created_at: CreatedAt::Millis(created_at_ms.into()),
        meta: Meta {
            name: Slot::Set(name.to_owned()),
            description: Slot::Set(description.to_owned()),
            tx_builder_version: Slot::Set(TX_BUILDER_VERSION.to_owned()),
            created_from_safe_address: Slot::Set(safe.to_checksum(None)),
            created_from_owner_address: Slot::Set(String::new()),
            checksum: Slot::Absent,
            extra: Map::new(),
        },
        transactions,
        extra: Map::new(),
    };
    batch.meta.checksum = Slot::Set(batch.computed_checksum().to_string());
    Ok(batch)
}
