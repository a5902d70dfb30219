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
    #[error("{file}: {address} is already listed, as `{name}`")]
    AlreadyListed {
        file: &'static str,
        name: String,
        address: String,
    },
    #[error("{file}: the name `{name}` is already taken by {address}; choose another (--name)")]
    NameTaken {
        file: &'static str,
        name: String,
        address: String,
    },
    #[error("{file}: an operator's name must be 1 to 64 printable characters, not `{name}`")]
    BadName { file: &'static str, name: String },
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

    /// The entry that lists `address` as the operator `name`, as this file writes it.
    pub fn entry_text(name: &str, address: &str) -> String {
        let mut table = toml_edit::Table::new();
        fill(&mut table, name, address);
        let mut document = toml_edit::DocumentMut::new();
        let mut entries = toml_edit::ArrayOfTables::new();
        entries.push(table);
        document.insert("operators", toml_edit::Item::ArrayOfTables(entries));
        document.to_string()
    }

    /// `text`, the file as it is, with `address` listed as the operator `name` (role
    /// `operator`) after its last entry; its comments and layout kept as they are.
    pub fn with_entry(text: &str, name: &str, address: &str) -> Result<String, OperatorsError> {
        let listed = Self::parse(text)?;
        if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
            return Err(OperatorsError::BadName {
                file: Self::FILE,
                name: crate::sanitize::for_terminal(name).into_owned(),
            });
        }
        if let Some(known) = listed.by_address(address) {
            return Err(OperatorsError::AlreadyListed {
                file: Self::FILE,
                name: known.name.clone(),
                address: address.to_owned(),
            });
        }
        if let Some(known) = listed.operators.iter().find(|o| o.name == name) {
            return Err(OperatorsError::NameTaken {
                file: Self::FILE,
                name: name.to_owned(),
                address: known.address.clone(),
            });
        }
        let mut document: toml_edit::DocumentMut =
            text.parse().map_err(|e: toml_edit::TomlError| {
                crate::workspace::toml_file::TomlError {
                    file: Self::FILE.to_owned(),
                    line: 1,
                    column: 1,
                    message: e.message().to_owned(),
                }
            })?;
        let entries = document
            .entry("operators")
            .or_insert_with(|| toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new()));
        match entries {
            toml_edit::Item::Value(toml_edit::Value::Array(inline)) => {
                let mut table = toml_edit::InlineTable::new();
                table.insert("name", name.into());
                table.insert("address", address.into());
                table.insert("roles", toml_edit::Array::from_iter(["operator"]).into());
                inline.push(table);
            }
            entries => {
                let entries = entries.as_array_of_tables_mut().ok_or_else(|| {
                    crate::workspace::toml_file::TomlError {
                        file: Self::FILE.to_owned(),
                        line: 1,
                        column: 1,
                        message: "`operators` is neither [[operators]] tables nor an array"
                            .to_owned(),
                    }
                })?;
                let mut table = toml_edit::Table::new();
                fill(&mut table, name, address);
                table.decor_mut().set_prefix("\n");
                entries.push(table);
            }
        }
        let mut written = document.to_string();
        if !written.ends_with('\n') {
            written.push('\n');
        }
        Self::parse(&written)?;
        Ok(written)
    }

    pub fn by_address(&self, address: &str) -> Option<&Operator> {
        self.operators
            .iter()
            .find(|o| o.address.eq_ignore_ascii_case(address))
    }
}

fn fill(table: &mut toml_edit::Table, name: &str, address: &str) {
    table.insert("name", toml_edit::value(name));
    table.insert("address", toml_edit::value(address));
    table.insert(
        "roles",
        toml_edit::value(toml_edit::Array::from_iter(["operator"])),
    );
}

#[cfg(test)]
mod tests {
    use super::Operators;

    const ADDRESS: &str = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF";

    #[test]
    fn an_entry_is_added_after_the_last_with_every_comment_kept() {
        let text = "# who signs\n\n[[operators]]\n# the first\nname = \"a\"  # a comment\naddress = \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\"\nroles = [\"operator\"]\n";
        let written = Operators::with_entry(text, "bob", ADDRESS).unwrap();
        assert_eq!(
            written,
            format!(
                "{text}\n[[operators]]\nname = \"bob\"\naddress = \"{ADDRESS}\"\nroles = [\"operator\"]\n"
            )
        );
        assert_eq!(Operators::parse(&written).unwrap().operators.len(), 2);
        assert!(Operators::with_entry(&written, "carol", ADDRESS).is_err());
        assert!(
            Operators::with_entry(
                &written,
                "bob",
                "0x6813Eb9362372EEF6200f3b1dbC3f819671cBA69"
            )
            .is_err()
        );
    }

    #[test]
    fn the_entry_text_is_what_the_file_holds() {
        assert_eq!(
            Operators::entry_text("bob", ADDRESS),
            format!(
                "[[operators]]\nname = \"bob\"\naddress = \"{ADDRESS}\"\nroles = [\"operator\"]\n"
            )
        );
    }
}
