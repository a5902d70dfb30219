//! Checking the value given for a typed runbook input.

use super::model::{InputSpec, InputType};
use alloy_primitives::{Address, U256};
use std::path::Path;

/// Why a value is not of its input's type: the value, and what would be valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("`{0}` is not an unsigned decimal integer below 2^256")]
    NotUint(String),
    #[error("`{0}` is not 0x followed by 64 hex digits")]
    NotBytes32(String),
    #[error("`{value}` is not one of: {}", .options.join(", "))]
    NotAnOption { value: String, options: Vec<String> },
    #[error("`{0}` is not a readable file")]
    NotAFile(String),
    #[error("`{0}` is not 0x followed by 40 hex digits")]
    NotAnAddress(String),
    #[error("the zero address is never a valid target")]
    ZeroAddress,
    /// `checksummed`: the address written right (empty when it does not parse).
    #[error(
        "`{value}` fails its EIP-55 checksum; if the address is right, write it as {checksummed}"
    )]
    Checksum { value: String, checksummed: String },
}

/// Checks `value` against `spec`; on failure says what would be valid.
pub fn check_value(spec: &InputSpec, value: &str) -> Result<(), InputError> {
    check_typed(spec.kind, &spec.options, value)
}

pub fn check_typed(kind: InputType, options: &[String], value: &str) -> Result<(), InputError> {
    match kind {
        InputType::Address => check_address(value),
        InputType::Uint => U256::from_str_radix(value, 10)
            .map(|_| ())
            .map_err(|_| InputError::NotUint(value.to_owned())),
        InputType::Bytes32 => {
            let hex = value.strip_prefix("0x").unwrap_or("");
            if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                Ok(())
            } else {
                Err(InputError::NotBytes32(value.to_owned()))
            }
        }
        InputType::String => Ok(()),
        InputType::Enum => {
            if options.iter().any(|option| option == value) {
                Ok(())
            } else {
                Err(InputError::NotAnOption {
                    value: value.to_owned(),
                    options: options.to_vec(),
                })
            }
        }
        InputType::File => {
            if Path::new(value).is_file() {
                Ok(())
            } else {
                Err(InputError::NotAFile(value.to_owned()))
            }
        }
    }
}

fn check_address(value: &str) -> Result<(), InputError> {
    let hex = value.strip_prefix("0x").unwrap_or("");
    if hex.len() != 40 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(InputError::NotAnAddress(value.to_owned()));
    }
    match Address::parse_checksummed(value, None) {
        Ok(address) if address == Address::ZERO => Err(InputError::ZeroAddress),
        Ok(_) => Ok(()),
        Err(_) => {
            let checksummed = value
                .parse::<Address>()
                .map(|address| address.to_checksum(None))
                .unwrap_or_default();
            Err(InputError::Checksum {
                value: value.to_owned(),
                checksummed,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_needs_checksum() {
        let good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        assert!(check_typed(InputType::Address, &[], good).is_ok());
        let lower = good.to_lowercase();
        let error = check_typed(InputType::Address, &[], &lower)
            .unwrap_err()
            .to_string();
        assert!(error.contains(good), "{error}");
        assert!(check_typed(InputType::Address, &[], "0x12").is_err());
    }

    #[test]
    fn uint_and_bytes32() {
        assert!(check_typed(InputType::Uint, &[], "42").is_ok());
        assert!(check_typed(InputType::Uint, &[], "-1").is_err());
        assert!(check_typed(InputType::Bytes32, &[], &format!("0x{}", "ab".repeat(32))).is_ok());
        assert!(check_typed(InputType::Bytes32, &[], "0xab").is_err());
    }

    #[test]
    fn enum_lists_options() {
        let options = vec!["low".to_owned(), "high".to_owned()];
        let error = check_typed(InputType::Enum, &options, "mid").unwrap_err();
        assert!(error.to_string().contains("low, high"));
    }
}
