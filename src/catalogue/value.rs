//! A parameter's value, normalised: numbers in base units, addresses checksummed, sets sorted.

use super::units::{Unit, show};
use alloy_primitives::{Address, I256};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Uint,
    Int,
    Bool,
    Address,
    Bytes32,
    String,
    AddressSet,
    StringSet,
    Records,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Number(#[serde(serialize_with = "decimal")] I256),
    Bool(bool),
    Text(String),
    Set(BTreeSet<String>),
    Records(Vec<serde_json::Value>),
}

fn decimal<S: serde::Serializer>(value: &I256, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_string())
}

/// What reading a raw value found besides the value itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// An address that is valid but not written in EIP-55 checksum form.
    NotChecksummed(String, String),
    /// A list with the same member more than once.
    Duplicate(String),
}

/// A raw value that does not read as its kind; each variant quotes the value as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("`{0}` is not a number")]
    NotANumber(String),
    #[error("`{0}` is out of range")]
    OutOfRange(String),
    #[error("`{0}` is not a whole number")]
    NotWhole(String),
    #[error("`{0}` is negative")]
    Negative(String),
    #[error("`{0}` is not true or false")]
    NotBool(String),
    #[error("`{0}` is not an address string")]
    NotAddressString(String),
    #[error("`{0}` is not an address")]
    NotAddress(String),
    #[error(
        "`{given}` fails its EIP-55 checksum (a typo?); if the address is right, write it as {checksummed}"
    )]
    BadChecksum { given: String, checksummed: String },
    #[error("`{0}` is not 0x and 64 hex digits")]
    NotBytes32(String),
    #[error("`{0}` is not a string")]
    NotAString(String),
    #[error("`{0}` is not a list or an object of members")]
    NotMembers(String),
    #[error("`{0}` is not a list")]
    NotAList(String),
}

fn number(raw: &serde_json::Value, unit: Unit) -> Result<I256, ValueError> {
    let whole = match raw {
        serde_json::Value::Number(n) => n.as_i64().map(I256::try_from),
        _ => None,
    };
    let parsed = match (whole, raw) {
        (Some(Ok(whole)), _) => whole,
        (_, serde_json::Value::Number(n)) => parse_whole(&n.to_string())?,
        (_, serde_json::Value::String(s)) => parse_whole(s.trim())?,
        (_, other) => return Err(ValueError::NotANumber(other.to_string())),
    };
    parsed
        .checked_mul(unit.factor())
        .ok_or_else(|| ValueError::OutOfRange(raw_text(raw)))
}

fn parse_whole(text: &str) -> Result<I256, ValueError> {
    text.parse()
        .map_err(|_| ValueError::NotWhole(text.to_owned()))
}

/// A raw value as `number` quotes it in a message: a string without its quotes.
fn raw_text(raw: &serde_json::Value) -> String {
    match raw {
        serde_json::Value::String(s) => s.trim().to_owned(),
        other => other.to_string(),
    }
}

fn address(text: &str, notes: &mut Vec<Note>) -> Result<String, ValueError> {
    let parsed: Address = text
        .parse()
        .map_err(|_| ValueError::NotAddress(text.to_owned()))?;
    let checksummed = parsed.to_checksum(None);
    let hex = &text[2..];
    let mixed =
        hex.chars().any(|c| c.is_ascii_lowercase()) && hex.chars().any(|c| c.is_ascii_uppercase());
    if mixed && text != checksummed {
        return Err(ValueError::BadChecksum {
            given: text.to_owned(),
            checksummed,
        });
    }
    if text != checksummed {
        notes.push(Note::NotChecksummed(text.to_owned(), checksummed.clone()));
    }
    Ok(checksummed)
}

/// Members of a set written as a list, or as an object whose keys are the members (`{"0x…": true}`).
fn members(raw: &serde_json::Value) -> Result<Vec<String>, ValueError> {
    match raw {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| ValueError::NotAString(i.to_string()))
            })
            .collect(),
        serde_json::Value::Object(map) => Ok(map
            .iter()
            .filter(|(_, v)| v.as_bool() != Some(false))
            .map(|(k, _)| k.clone())
            .collect()),
        other => Err(ValueError::NotMembers(other.to_string())),
    }
}

impl Value {
    /// Reads a raw JSON value of `kind` written in `unit`.
    pub fn read(
        raw: &serde_json::Value,
        kind: Kind,
        unit: Unit,
        notes: &mut Vec<Note>,
    ) -> Result<Self, ValueError> {
        match kind {
            Kind::Uint => {
                let value = number(raw, unit)?;
                if value.is_negative() {
                    Err(ValueError::Negative(raw.to_string()))
                } else {
                    Ok(Self::Number(value))
                }
            }
            Kind::Int => number(raw, unit).map(Self::Number),
            Kind::Bool => raw
                .as_bool()
                .map(Self::Bool)
                .ok_or_else(|| ValueError::NotBool(raw.to_string())),
            Kind::Address => {
                let text = raw
                    .as_str()
                    .ok_or_else(|| ValueError::NotAddressString(raw.to_string()))?;
                address(text, notes).map(Self::Text)
            }
            Kind::Bytes32 => {
                let text = raw.as_str().unwrap_or_default();
                let hex = text.strip_prefix("0x").unwrap_or("");
                if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    Ok(Self::Text(text.to_lowercase()))
                } else {
                    Err(ValueError::NotBytes32(raw.to_string()))
                }
            }
            Kind::String => raw
                .as_str()
                .map(|s| Self::Text(s.to_owned()))
                .ok_or_else(|| ValueError::NotAString(raw.to_string())),
            Kind::AddressSet | Kind::StringSet => {
                let mut set = BTreeSet::new();
                for member in members(raw)? {
                    let member = if kind == Kind::AddressSet {
                        address(&member, notes)?
                    } else {
                        member
                    };
                    if !set.insert(member.clone()) {
                        notes.push(Note::Duplicate(member));
                    }
                }
                Ok(Self::Set(set))
            }
            Kind::Records => raw
                .as_array()
                .cloned()
                .map(Self::Records)
                .ok_or_else(|| ValueError::NotAList(raw.to_string())),
        }
    }

    /// The value as an operator reads it, in `unit`.
    pub fn show(&self, unit: Unit) -> String {
        match self {
            Self::Number(n) => show(*n, unit),
            Self::Bool(b) => b.to_string(),
            Self::Text(t) => t.clone(),
            Self::Set(members) => format!(
                "{{{}}}",
                members.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            Self::Records(items) => format!("{} record(s)", items.len()),
        }
    }

    pub fn number(&self) -> Option<I256> {
        match self {
            Self::Number(n) => Some(*n),
            _ => None,
        }
    }
}
