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

fn number(raw: &serde_json::Value, unit: Unit) -> Result<I256, String> {
    let whole = match raw {
        serde_json::Value::Number(n) => n.as_i64().map(I256::try_from),
        _ => None,
    };
    let parsed = match (whole, raw) {
        (Some(Ok(whole)), _) => whole,
        (_, serde_json::Value::Number(n)) => parse_whole(&n.to_string())?,
        (_, serde_json::Value::String(s)) => parse_whole(s.trim())?,
        (_, other) => return Err(format!("`{other}` is not a number")),
    };
    parsed
        .checked_mul(unit.factor())
        .ok_or_else(|| format!("`{}` is out of range", raw_text(raw)))
}

fn parse_whole(text: &str) -> Result<I256, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a whole number"))
}

/// A raw value as `number` quotes it in a message: a string without its quotes.
fn raw_text(raw: &serde_json::Value) -> String {
    match raw {
        serde_json::Value::String(s) => s.trim().to_owned(),
        other => other.to_string(),
    }
}

fn address(text: &str, notes: &mut Vec<Note>) -> Result<String, String> {
    let parsed: Address = text
        .parse()
        .map_err(|_| format!("`{text}` is not an address"))?;
    let checksummed = parsed.to_checksum(None);
    let hex = &text[2..];
    let mixed =
        hex.chars().any(|c| c.is_ascii_lowercase()) && hex.chars().any(|c| c.is_ascii_uppercase());
    if mixed && text != checksummed {
        return Err(format!(
            "`{text}` fails its EIP-55 checksum (a typo?); if the address is right, write it as {checksummed}"
        ));
    }
    if text != checksummed {
        notes.push(Note::NotChecksummed(text.to_owned(), checksummed.clone()));
    }
    Ok(checksummed)
}

/// Members of a set written as a list, or as an object whose keys are the members (`{"0x…": true}`).
fn members(raw: &serde_json::Value) -> Result<Vec<String>, String> {
    match raw {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`{i}` is not a string"))
            })
            .collect(),
        serde_json::Value::Object(map) => Ok(map
            .iter()
            .filter(|(_, v)| v.as_bool() != Some(false))
            .map(|(k, _)| k.clone())
            .collect()),
        other => Err(format!("`{other}` is not a list or an object of members")),
    }
}

impl Value {
    /// Reads a raw JSON value of `kind` written in `unit`.
    pub fn read(
        raw: &serde_json::Value,
        kind: Kind,
        unit: Unit,
        notes: &mut Vec<Note>,
    ) -> Result<Self, String> {
        match kind {
            Kind::Uint => {
                let value = number(raw, unit)?;
                if value.is_negative() {
                    Err(format!("`{raw}` is negative"))
                } else {
                    Ok(Self::Number(value))
                }
            }
            Kind::Int => number(raw, unit).map(Self::Number),
            Kind::Bool => raw
                .as_bool()
                .map(Self::Bool)
                .ok_or_else(|| format!("`{raw}` is not true or false")),
            Kind::Address => {
                let text = raw
                    .as_str()
                    .ok_or_else(|| format!("`{raw}` is not an address string"))?;
                address(text, notes).map(Self::Text)
            }
            Kind::Bytes32 => {
                let text = raw.as_str().unwrap_or_default();
                let hex = text.strip_prefix("0x").unwrap_or("");
                if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    Ok(Self::Text(text.to_lowercase()))
                } else {
                    Err(format!("`{raw}` is not 0x and 64 hex digits"))
                }
            }
            Kind::String => raw
                .as_str()
                .map(|s| Self::Text(s.to_owned()))
                .ok_or_else(|| format!("`{raw}` is not a string")),
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
                .ok_or_else(|| format!("`{raw}` is not a list")),
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
