//! The batch file's scalar fields that carry a meaning beyond their JSON string: an address,
//! calldata, and an amount of wei. Each keeps the file's spelling (so the file reads back as it
//! was) beside the parsed value, and a wrong one is refused with what was expected and found.

use super::value_error::{AddressTextError, FieldTextError};
use alloy_primitives::{Address, U256};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An address as the file spells it (any case), checked to be 20 bytes of hex.
#[derive(Debug, Clone, PartialEq)]
pub struct HexAddress {
    pub text: String,
    pub address: Address,
}

impl HexAddress {
    pub fn new(address: Address) -> Self {
        Self {
            text: address.to_checksum(None),
            address,
        }
    }

    /// False when the spelling mixes cases but is not the EIP-55 checksum of the address.
    pub fn checksum_ok(&self) -> bool {
        let hex = self.text.trim_start_matches("0x");
        let mixed = hex.bytes().any(|b| b.is_ascii_uppercase())
            && hex.bytes().any(|b| b.is_ascii_lowercase());
        !mixed || self.text == self.address.to_checksum(None)
    }
}

impl Serialize for HexAddress {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for HexAddress {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrVisitor {
            expected: "a 0x-prefixed 20-byte hex address",
            check: |text: &str| {
                parse_address(text).map(|address| HexAddress {
                    text: text.to_owned(),
                    address,
                })
            },
        })
    }
}

/// An address: `0x` and 40 hex digits, in any case.
pub fn parse_address(text: &str) -> Result<Address, AddressTextError> {
    let hex = text
        .strip_prefix("0x")
        .ok_or_else(|| AddressTextError::NoPrefix(text.to_owned()))?;
    if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AddressTextError::NotFortyHexDigits(text.to_owned()));
    }
    Address::from_str(text).map_err(|error| AddressTextError::Invalid {
        text: text.to_owned(),
        error,
    })
}

/// Calldata as the file spells it, checked to be 0x-prefixed hex of whole bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct HexData {
    pub text: String,
    pub bytes: Vec<u8>,
}

impl HexData {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self {
            text: format!("0x{}", hex::encode(&bytes)),
            bytes,
        }
    }
}

impl Serialize for HexData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for HexData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrVisitor {
            expected: "0x-prefixed hex calldata",
            check: |text: &str| -> Result<HexData, FieldTextError> {
                let hex = text
                    .strip_prefix("0x")
                    .ok_or_else(|| FieldTextError::NoHexPrefix {
                        preview: preview(text),
                    })?;
                let bytes = hex::decode(hex).map_err(|error| FieldTextError::BadHex {
                    preview: preview(text),
                    error,
                })?;
                Ok(HexData {
                    text: text.to_owned(),
                    bytes,
                })
            },
        })
    }
}

/// `value`: wei as a decimal string. The Safe app writes strings, so a JSON number is refused
/// (a large one would have lost digits in the app's JavaScript anyway).
#[derive(Debug, Clone, PartialEq)]
pub struct Wei {
    pub text: String,
    pub amount: U256,
}

impl Wei {
    pub fn zero() -> Self {
        Self {
            text: "0".to_owned(),
            amount: U256::ZERO,
        }
    }
}

impl Serialize for Wei {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Wei {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrVisitor {
            expected: "the value in wei as a decimal string such as \"0\" (the Safe app writes strings)",
            check: |text: &str| {
                if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(FieldTextError::NotDecimalWei(text.to_owned()));
                }
                let amount = U256::from_str_radix(text, 10)
                    .map_err(|error| FieldTextError::NotAnAmount {
                        text: text.to_owned(),
                        error,
                    })?;
                Ok(Wei {
                    text: text.to_owned(),
                    amount,
                })
            },
        })
    }
}

/// Accepts a JSON string that `check` approves; names what it found otherwise.
struct StrVisitor<F> {
    expected: &'static str,
    check: F,
}

impl<'de, T, M: fmt::Display, F: FnOnce(&str) -> Result<T, M>> Visitor<'de> for StrVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expected)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        (self.check)(text).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<T, E> {
        Err(self.found(&format!("the number {n}")))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<T, E> {
        Err(self.found(&format!("the number {n}")))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<T, E> {
        Err(self.found(&format!("the number {n}")))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<T, E> {
        Err(self.found(&format!("the boolean {b}")))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Err(self.found("null"))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(self.found("an array"))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(self.found("an object"))
    }
}

impl<F> StrVisitor<F> {
    fn found<E: de::Error>(&self, found: &str) -> E {
        E::custom(format!("expected {}, found {found}", self.expected))
    }
}

/// The start of a long string, for messages.
pub(crate) fn preview(text: &str) -> String {
    if text.chars().count() > 24 {
        format!("{:?}…", text.chars().take(24).collect::<String>())
    } else {
        format!("{text:?}")
    }
}
