//! Checking the value given for a typed runbook input.

use super::model::{InputSpec, InputType};
use alloy_primitives::{Address, U256};
use std::path::Path;

/// Checks `value` against `spec`; on failure says what would be valid.
pub fn check_value(spec: &InputSpec, value: &str) -> Result<(), String> {
    check_typed(spec.kind, &spec.options, value)
}

pub fn check_typed(kind: InputType, options: &[String], value: &str) -> Result<(), String> {
    match kind {
        InputType::Address => check_address(value),
        InputType::Uint => U256::from_str_radix(value, 10)
            .map(|_| ())
            .map_err(|_| format!("`{value}` is not an unsigned decimal integer below 2^256")),
        InputType::Bytes32 => {
            let hex = value.strip_prefix("0x").unwrap_or("");
            if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                Ok(())
            } else {
                Err(format!("`{value}` is not 0x followed by 64 hex digits"))
            }
        }
        InputType::String => Ok(()),
        InputType::Enum => {
            if options.iter().any(|option| option == value) {
                Ok(())
            } else {
                Err(format!("`{value}` is not one of: {}", options.join(", ")))
            }
        }
        InputType::File => {
            if Path::new(value).is_file() {
                Ok(())
            } else {
                Err(format!("`{value}` is not a readable file"))
            }
        }
    }
}

fn check_address(value: &str) -> Result<(), String> {
    let hex = value.strip_prefix("0x").unwrap_or("");
    if hex.len() != 40 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("`{value}` is not 0x followed by 40 hex digits"));
    }
    match Address::parse_checksummed(value, None) {
        Ok(address) if address == Address::ZERO => {
            Err("the zero address is never a valid target".to_owned())
        }
        Ok(_) => Ok(()),
        Err(_) => {
            let checksummed = value
                .parse::<Address>()
                .map(|address| address.to_checksum(None))
                .unwrap_or_default();
            Err(format!(
                "`{value}` fails its EIP-55 checksum; if the address is right, write it as {checksummed}"
            ))
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
        let error = check_typed(InputType::Address, &[], &lower).unwrap_err();
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
        assert!(error.contains("low, high"));
    }
}
