//! The batch file's shape, as the Safe Transaction Builder writes and reads it.
//!
//! Parsing keeps what the file says exactly: a key that is absent stays absent and `null`
//! stays `null` ([`Slot`]), `chainId` and `createdAt` keep their JSON type, addresses and hex
//! keep their spelling, and unknown keys are kept (`extra`). Serialising a parsed batch thus
//! gives back the same JSON value, which is what the Safe checksum covers.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Number, Value};
use std::fmt;
use std::str::FromStr;

pub use super::fields::{HexAddress, HexData, Wei, parse_address};

/// The Transaction Builder version that written batches name.
pub const TX_BUILDER_VERSION: &str = "1.18.2";

/// A batch file: `version`, `chainId`, `createdAt`, `meta` and the `transactions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Batch {
    pub version: String,
    pub chain_id: ChainId,
    pub created_at: CreatedAt,
    pub meta: Meta,
    pub transactions: Vec<Transaction>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub name: Slot<String>,
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub description: Slot<String>,
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub tx_builder_version: Slot<String>,
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub created_from_safe_address: Slot<String>,
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub created_from_owner_address: Slot<String>,
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub checksum: Slot<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One call the Safe makes: `to`, `value` (wei, a decimal string) and either raw `data` or a
/// `contractMethod` with `contractInputsValues` (the Safe app encodes those when `data` is null).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub to: HexAddress,
    pub value: Wei,
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub data: Slot<HexData>,
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub contract_method: Slot<ContractMethod>,
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub contract_inputs_values: Slot<Map<String, Value>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractMethod {
    pub inputs: Vec<MethodInput>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub payable: Slot<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ContractMethod {
    pub fn is_payable(&self) -> bool {
        self.payable.get().copied().unwrap_or(false)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodInput {
    #[serde(
        rename = "internalType",
        default,
        skip_serializing_if = "Slot::is_absent"
    )]
    pub internal_type: Slot<String>,
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// A tuple's fields.
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub components: Slot<Vec<MethodInput>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A key that may be absent, `null`, or set: the three read back as they were written.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Slot<T> {
    #[default]
    Absent,
    Null,
    Set(T),
}

impl<T> Slot<T> {
    pub fn get(&self) -> Option<&T> {
        match self {
            Slot::Set(value) => Some(value),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Slot::Absent)
    }
}

impl<T: Serialize> Serialize for Slot<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Slot::Set(value) => value.serialize(serializer),
            _ => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Slot<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Slot::Set(value),
            None => Slot::Null,
        })
    }
}

/// `chainId`: the Safe app writes a string; some writers a number. Kept as written.
#[derive(Debug, Clone, PartialEq)]
pub enum ChainId {
    Text(String),
    Number(Number),
}

impl ChainId {
    /// The chain id when it is a positive integer.
    pub fn value(&self) -> Option<u64> {
        let id = match self {
            ChainId::Text(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
                text.parse().ok()
            }
            ChainId::Text(_) => None,
            ChainId::Number(number) => number.as_u64(),
        };
        id.filter(|id| *id > 0)
    }
}

impl fmt::Display for ChainId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainId::Text(text) => f.write_str(text),
            ChainId::Number(number) => write!(f, "{number}"),
        }
    }
}

impl Serialize for ChainId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ChainId::Text(text) => serializer.serialize_str(text),
            ChainId::Number(number) => number.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ChainId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(text) => Ok(ChainId::Text(text)),
            Value::Number(number) => Ok(ChainId::Number(number)),
            other => Err(de::Error::custom(format!(
                "expected the chain id as a string like \"1\" or a number, found {}",
                json_kind(&other)
            ))),
        }
    }
}

/// `createdAt`: epoch milliseconds (the Safe app) or an ISO-8601 timestamp (the AGI Jobs
/// repository's own writer). Kept as written.
#[derive(Debug, Clone, PartialEq)]
pub enum CreatedAt {
    Millis(Number),
    Iso(String),
}

impl CreatedAt {
    /// Milliseconds since the epoch, when they can be told.
    pub fn millis(&self) -> Option<i64> {
        match self {
            CreatedAt::Millis(number) => number
                .as_i64()
                .or_else(|| number.as_f64().map(|f| f as i64)),
            CreatedAt::Iso(text) => jiff::Timestamp::from_str(text)
                .ok()
                .map(|t| t.as_millisecond()),
        }
    }
}

impl Serialize for CreatedAt {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            CreatedAt::Millis(number) => number.serialize(serializer),
            CreatedAt::Iso(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for CreatedAt {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Number(number) => Ok(CreatedAt::Millis(number)),
            Value::String(text) => match jiff::Timestamp::from_str(&text) {
                Ok(_) => Ok(CreatedAt::Iso(text)),
                Err(error) => Err(de::Error::custom(format!(
                    "expected epoch milliseconds or an ISO-8601 timestamp, found {text:?} ({error})"
                ))),
            },
            other => Err(de::Error::custom(format!(
                "expected epoch milliseconds or an ISO-8601 timestamp, found {}",
                json_kind(&other)
            ))),
        }
    }
}

pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
