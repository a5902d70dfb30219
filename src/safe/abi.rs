//! Between the batch file's method descriptions and values (strings, as the Safe app keeps
//! them) and ABI types and values: the method's canonical signature and selector, the
//! strings a value is written as, and a strict reading of those strings for comparison.

use super::format::{ContractMethod, MethodInput, Slot, parse_address};
use super::value_error::{MethodError, ValueError};
use alloy_dyn_abi::{DynSolType, DynSolValue, Specifier};
use alloy_json_abi::{Function, Param, StateMutability};
use alloy_primitives::{FixedBytes, I256, U256};
use serde_json::{Map, Value};

/// The `Function` a `contractMethod` describes (its name and input types checked).
pub fn function_of(method: &ContractMethod) -> Result<Function, MethodError> {
    let name = &method.name;
    let identifier = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if !identifier {
        return Err(MethodError::NotAnIdentifier(name.clone()));
    }
    let inputs = method
        .inputs
        .iter()
        .map(param_of)
        .collect::<Result<Vec<_>, _>>()?;
    let function = Function {
        name: name.clone(),
        inputs,
        outputs: Vec::new(),
        state_mutability: if method.is_payable() {
            StateMutability::Payable
        } else {
            StateMutability::NonPayable
        },
    };
    for (param, input) in function.inputs.iter().zip(&method.inputs) {
        param.resolve().map_err(|error| MethodError::BadType {
            input: input.name.clone(),
            ty: input.ty.clone(),
            error: Box::new(error),
        })?;
    }
    Ok(function)
}

fn param_of(input: &MethodInput) -> Result<Param, MethodError> {
    let components = match &input.components {
        Slot::Set(components) => components
            .iter()
            .map(param_of)
            .collect::<Result<Vec<_>, _>>()?,
        _ => Vec::new(),
    };
    if input.ty.starts_with("tuple") && components.is_empty() {
        return Err(MethodError::TupleWithoutComponents(input.name.clone()));
    }
    Ok(Param {
        ty: input.ty.clone(),
        name: input.name.clone(),
        components,
        internal_type: None,
    })
}

/// The `contractMethod` inputs for the `Function`'s parameters (`internalType` = the type).
pub fn method_inputs(params: &[Param]) -> Vec<MethodInput> {
    params
        .iter()
        .map(|param| MethodInput {
            internal_type: Slot::Set(
                param
                    .internal_type
                    .as_ref()
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| param.ty.clone()),
            ),
            name: param.name.clone(),
            ty: param.ty.clone(),
            components: if param.components.is_empty() {
                Slot::Absent
            } else {
                Slot::Set(method_inputs(&param.components))
            },
            extra: Map::new(),
        })
        .collect()
}

/// The key a parameter's value is stored under in `contractInputsValues`.
pub fn value_key(input: &MethodInput, index: usize) -> String {
    if input.name.is_empty() {
        format!("arg{index}")
    } else {
        input.name.clone()
    }
}

/// How a value is written in `contractInputsValues`: addresses EIP-55, booleans
/// `true`/`false`, integers in decimal, bytes 0x-hex, strings as they are; arrays and tuples
/// as JSON arrays (booleans as JSON booleans, everything else as strings, which the app's
/// `JSON.parse` hands to ethers without losing digits).
pub fn value_text(value: &DynSolValue) -> String {
    match value {
        DynSolValue::Array(_) | DynSolValue::FixedArray(_) | DynSolValue::Tuple(_) => {
            value_json(value).to_string()
        }
        scalar => scalar_text(scalar),
    }
}

fn value_json(value: &DynSolValue) -> Value {
    match value {
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) | DynSolValue::Tuple(items) => {
            Value::Array(items.iter().map(value_json).collect())
        }
        DynSolValue::Bool(b) => Value::Bool(*b),
        scalar => Value::String(scalar_text(scalar)),
    }
}

fn scalar_text(value: &DynSolValue) -> String {
    match value {
        DynSolValue::Address(address) => address.to_checksum(None),
        DynSolValue::Bool(b) => b.to_string(),
        DynSolValue::Uint(n, _) => n.to_string(),
        DynSolValue::Int(n, _) => n.to_string(),
        DynSolValue::FixedBytes(word, size) => {
            format!("0x{}", hex::encode(&word[..(*size).min(32)]))
        }
        DynSolValue::Bytes(bytes) => format!("0x{}", hex::encode(bytes)),
        DynSolValue::String(text) => text.clone(),
        DynSolValue::Function(function) => format!("0x{}", hex::encode(function)),
        other => value_json(other).to_string(),
    }
}

/// Reads a `contractInputsValues` entry as a value of `ty`, strictly: addresses as 0x and 40
/// hex digits in any case, integers in decimal (or 0x-hex), booleans `true`/`false`, bytes as
/// 0x-hex of the right length; arrays and tuples as a JSON array (in a string or not).
pub fn read_value(ty: &DynSolType, value: &Value) -> Result<DynSolValue, ValueError> {
    match ty {
        DynSolType::Array(inner) => {
            let items = json_items(value)?;
            let values = items
                .iter()
                .map(|item| read_value(inner, item))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(DynSolValue::Array(values))
        }
        DynSolType::FixedArray(inner, len) => {
            let items = json_items(value)?;
            if items.len() != *len {
                return Err(ValueError::ItemCount {
                    expected: *len,
                    found: items.len(),
                });
            }
            let values = items
                .iter()
                .map(|item| read_value(inner, item))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(DynSolValue::FixedArray(values))
        }
        DynSolType::Tuple(types) => {
            let items = json_items(value)?;
            if items.len() != types.len() {
                return Err(ValueError::FieldCount {
                    expected: types.len(),
                    found: items.len(),
                });
            }
            let values = types
                .iter()
                .zip(&items)
                .map(|(ty, item)| read_value(ty, item))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(DynSolValue::Tuple(values))
        }
        scalar => read_scalar(scalar, value),
    }
}

fn json_items(value: &Value) -> Result<Vec<Value>, ValueError> {
    match value {
        Value::Array(items) => Ok(items.clone()),
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(items)) => Ok(items),
            _ => Err(ValueError::NotAnArrayText(text.clone())),
        },
        other => Err(ValueError::NotAnArray(other.to_string())),
    }
}

fn read_scalar(ty: &DynSolType, value: &Value) -> Result<DynSolValue, ValueError> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Bool(b) if *ty == DynSolType::Bool => b.to_string(),
        Value::Number(n) if matches!(ty, DynSolType::Uint(_) | DynSolType::Int(_)) => {
            if n.is_f64() {
                return Err(ValueError::NotAnInteger(n.to_string()));
            }
            n.to_string()
        }
        other => return Err(ValueError::NotAString(other.to_string())),
    };
    let text = text.trim();
    match ty {
        DynSolType::Address => Ok(DynSolValue::Address(parse_address(text)?)),
        DynSolType::Bool => match text {
            "true" => Ok(DynSolValue::Bool(true)),
            "false" => Ok(DynSolValue::Bool(false)),
            _ => Err(ValueError::NotABool(text.to_owned())),
        },
        DynSolType::Uint(bits) => {
            let n = read_uint(text)?;
            if n.bit_len() > *bits {
                return Err(ValueError::TooWide {
                    text: text.to_owned(),
                    kind: "uint",
                    bits: *bits,
                });
            }
            Ok(DynSolValue::Uint(n, *bits))
        }
        DynSolType::Int(bits) => {
            let (negative, digits) = match text.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, text),
            };
            let abs = read_uint(digits)?;
            let sign = if negative {
                alloy_primitives::Sign::Negative
            } else {
                alloy_primitives::Sign::Positive
            };
            let n = I256::checked_from_sign_and_abs(sign, abs)
                .filter(|n| fits_int(n, *bits))
                .ok_or_else(|| ValueError::TooWide {
                    text: text.to_owned(),
                    kind: "int",
                    bits: *bits,
                })?;
            Ok(DynSolValue::Int(n, *bits))
        }
        DynSolType::FixedBytes(size) => {
            let bytes = read_hex(text)?;
            if bytes.len() != *size {
                return Err(ValueError::ByteCount {
                    expected: *size,
                    found: bytes.len(),
                    text: text.to_owned(),
                });
            }
            let mut word = FixedBytes::<32>::ZERO;
            word[..*size].copy_from_slice(&bytes);
            Ok(DynSolValue::FixedBytes(word, *size))
        }
        DynSolType::Bytes => read_hex(text).map(DynSolValue::Bytes),
        DynSolType::String => match value {
            // A string keeps its spaces.
            Value::String(raw) => Ok(DynSolValue::String(raw.clone())),
            _ => Ok(DynSolValue::String(text.to_owned())),
        },
        DynSolType::Function => {
            let bytes = read_hex(text)?;
            let function = <[u8; 24]>::try_from(bytes.as_slice())
                .map_err(|_| ValueError::NotAFunction(bytes.len()))?;
            Ok(DynSolValue::Function(function.into()))
        }
        other => Err(ValueError::Unsupported(other.sol_type_name().into_owned())),
    }
}

fn fits_int(n: &I256, bits: usize) -> bool {
    if bits >= 256 {
        return true;
    }
    let limit = I256::ONE << (bits - 1);
    *n >= -limit && *n < limit
}

fn read_uint(text: &str) -> Result<U256, ValueError> {
    let bad = |error| ValueError::BadInteger {
        text: text.to_owned(),
        error,
    };
    if let Some(hex) = text.strip_prefix("0x") {
        return U256::from_str_radix(hex, 16).map_err(bad);
    }
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValueError::NotDecimal(text.to_owned()));
    }
    U256::from_str_radix(text, 10).map_err(bad)
}

fn read_hex(text: &str) -> Result<Vec<u8>, ValueError> {
    let hex = text
        .strip_prefix("0x")
        .ok_or_else(|| ValueError::NoHexPrefix(text.to_owned()))?;
    hex::decode(hex).map_err(|error| ValueError::BadHex {
        text: text.to_owned(),
        error,
    })
}
