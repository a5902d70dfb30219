//! `config/operators.toml`: who the operators are, by address, and the roles each holds.

use alloy_primitives::Address;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operator {
    pub name: String,
    pub address: String,
    #[serde(default)]
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operators {
    #[serde(default)]
    pub operators: Vec<Operator>,
}

/// Why `config/operators.toml` does not load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OperatorsError {
    #[error(transparent)]
    Toml(#[from] crate::workspace::toml_file::TomlError),
    #[error(
        "{file}: operators[{index}] ({name}): `{address}` is not an EIP-55 checksummed address"
    )]
    NotChecksummed {
        file: &'static str,
        index: usize,
        name: String,
        address: String,
    },
}

impl Operators {
    pub const FILE: &'static str = "config/operators.toml";

    pub fn parse(text: &str) -> Result<Self, OperatorsError> {
        let parsed: Self = crate::workspace::toml_file::parse(Self::FILE, text)?;
        for (index, operator) in parsed.operators.iter().enumerate() {
            Address::parse_checksummed(&operator.address, None).map_err(|_| {
                OperatorsError::NotChecksummed {
                    file: Self::FILE,
                    index,
                    name: operator.name.clone(),
                    address: operator.address.clone(),
                }
            })?;
        }
        Ok(parsed)
    }

    pub fn by_address(&self, address: &str) -> Option<&Operator> {
        self.operators
            .iter()
            .find(|o| o.address.eq_ignore_ascii_case(address))
    }
}
