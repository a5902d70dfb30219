//! A parameter's value, normalised: numbers in base units, addresses checksummed, sets sorted.

use super::units::{Unit, show};
use alloy_primitives::{Address, I256};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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
    /// A Solidity enum (`uint8` on chain): shown and written by its members' names, which the
    /// parameter's `variants` list in order.
    Enum,
    /// An ENS node (`bytes32` on chain), written in the config as its name (`agent.agi.eth`)
    /// or as the 0x hash itself.
    Namehash,
    /// A set of ENS nodes (`bytes32[]` on chain: the root node aliases), each written as a
    /// name or a hash.
    NamehashSet,
}

impl Kind {
    /// A set of members, added and removed one by one.
    pub fn is_set(self) -> bool {
        matches!(self, Self::AddressSet | Self::StringSet | Self::NamehashSet)
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Value {
    Number(#[serde(serialize_with = "decimal")] I256),
    Bool(bool),
    Text(String),
    Set(BTreeSet<String>),
    Records(Vec<serde_json::Value>),
    /// An ENS node whose name is known: its hash (0x, lower case) and the name. It equals any
    /// value with the same hash, named or not (the chain has the hash only).
    #[serde(serialize_with = "hash_only")]
    Named(String, String),
    /// ENS nodes by hash (0x, lower case), each with its name where known. It equals any set
    /// of the same hashes (the chain has the hashes only).
    #[serde(serialize_with = "hashes_only")]
    NamedSet(BTreeMap<String, Option<String>>),
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Number(a), Self::Number(b)) => a == b,
            (Self::Bool(a), Self::Bool(b)) => a == b,
            (Self::Text(a) | Self::Named(a, _), Self::Text(b) | Self::Named(b, _)) => a == b,
            (Self::Set(a), Self::Set(b)) => a == b,
            (Self::NamedSet(a), Self::NamedSet(b)) => a.keys().eq(b.keys()),
            (Self::Records(a), Self::Records(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Value {}

fn hashes_only<S: serde::Serializer>(
    nodes: &BTreeMap<String, Option<String>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(nodes.keys())
}

fn hash_only<S: serde::Serializer>(
    hash: &str,
    _name: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(hash)
}

/// The ENS namehash of `name` (EIP-137): the zero node for the empty name, else the hash of
/// the parent's node and the first label's hash. `name` must be normalised already.
pub fn namehash(name: &str) -> [u8; 32] {
    let mut node = [0u8; 32];
    if name.is_empty() {
        return node;
    }
    for label in name.rsplit('.') {
        let mut both = [0u8; 64];
        both[..32].copy_from_slice(&node);
        both[32..].copy_from_slice(alloy_primitives::keccak256(label.as_bytes()).as_slice());
        node = alloy_primitives::keccak256(both).0;
    }
    node
}

/// An ENS name as the console accepts it: labels of lower-case letters, digits, `-` and `_`
/// (already normalised, so its namehash is the one ENS uses), none empty.
fn ens_name(text: &str) -> Result<String, ValueError> {
    let fine = !text.is_empty()
        && text.split('.').all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        });
    if fine {
        Ok(text.to_owned())
    } else {
        Err(ValueError::NotAnEnsName(text.to_owned()))
    }
}

/// An ENS node written as its hash, or as its name (then with the name).
fn ens_node(text: &str) -> Result<(String, Option<String>), ValueError> {
    match bytes32(text) {
        Some(hash) => Ok((hash, None)),
        None => {
            let name = ens_name(text)?;
            Ok((format!("0x{}", hex::encode(namehash(&name))), Some(name)))
        }
    }
}

/// The hash of an ENS node written as its name or its hash.
pub fn ens_hash(text: &str) -> Result<String, ValueError> {
    ens_node(text).map(|(hash, _)| hash)
}

fn bytes32(text: &str) -> Option<String> {
    let hex = text.strip_prefix("0x")?;
    (hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit())).then(|| text.to_lowercase())
}

fn decimal<S: serde::Serializer>(value: &I256, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_string())
}

/// An ENS node as an operator reads it: its name and hash, or the hash alone.
pub fn node_shown(hash: &str, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{name} ({hash})"),
        None => hash.to_owned(),
    }
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
    #[error(
        "`{0}` is a 1e18-scaled share that is no whole basis point (a multiple of 1e14, 0.01%): the console compares shares in basis points"
    )]
    NotWholeBasisPoint(String),
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
    #[error("`{given}` is none of {variants}")]
    NotAVariant { given: String, variants: String },
    #[error(
        "`{0}` is not an ENS name in normalised form (lower-case labels of a-z, 0-9, `-`, `_`) nor 0x and 64 hex digits"
    )]
    NotAnEnsName(String),
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
    unit.to_base(parsed).ok_or_else(|| match unit {
        Unit::Share18 => ValueError::NotWholeBasisPoint(raw_text(raw)),
        _ => ValueError::OutOfRange(raw_text(raw)),
    })
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
            Kind::Bytes32 => bytes32(raw.as_str().unwrap_or_default())
                .map(Self::Text)
                .ok_or_else(|| ValueError::NotBytes32(raw.to_string())),
            Kind::Namehash => {
                let text = raw
                    .as_str()
                    .ok_or_else(|| ValueError::NotAString(raw.to_string()))?;
                Ok(match ens_node(text)? {
                    (hash, Some(name)) => Self::Named(hash, name),
                    (hash, None) => Self::Text(hash),
                })
            }
            Kind::NamehashSet => {
                let mut nodes = BTreeMap::new();
                for member in members(raw)? {
                    let (hash, name) = ens_node(&member)?;
                    if nodes.insert(hash.clone(), name).is_some() {
                        notes.push(Note::Duplicate(member));
                    }
                }
                Ok(Self::NamedSet(nodes))
            }
            Kind::Enum => Self::read_enum(raw, &[]),
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

    /// Reads a raw JSON value of `parameter` written in `unit` (its config unit, or its chain
    /// unit for values read from chain): as [`Value::read`], with the enum's names.
    pub fn read_as(
        raw: &serde_json::Value,
        parameter: &super::Parameter,
        unit: Unit,
        notes: &mut Vec<Note>,
    ) -> Result<Self, ValueError> {
        match parameter.kind {
            Kind::Enum => Self::read_enum(raw, &parameter.variants),
            kind => Self::read(raw, kind, unit, notes),
        }
    }

    /// An enum member by name (any case) or by number, as the name `variants` gives it.
    fn read_enum(raw: &serde_json::Value, variants: &[String]) -> Result<Self, ValueError> {
        let text = raw_text(raw);
        let by_number = match raw {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        let found = match by_number {
            Some(n) => usize::try_from(n).ok().and_then(|n| variants.get(n)),
            None => variants.iter().find(|v| v.eq_ignore_ascii_case(&text)),
        };
        found
            .map(|v| Self::Text(v.clone()))
            .ok_or_else(|| ValueError::NotAVariant {
                given: text,
                variants: if variants.is_empty() {
                    "the enum's members (the catalogue lists none)".to_owned()
                } else {
                    variants.join(", ")
                },
            })
    }

    /// The value as a setter's argument, as text in the chain's unit: numbers divided by the
    /// chain unit's factor, an enum member as its number, an ENS node as its hash.
    pub fn chain_text(&self, parameter: &super::Parameter) -> String {
        match self {
            Self::Number(base) => parameter.chain_unit().from_base(*base).to_string(),
            Self::Text(name) if parameter.kind == Kind::Enum => parameter
                .variants
                .iter()
                .position(|v| v == name)
                .map(|n| n.to_string())
                .unwrap_or_else(|| name.clone()),
            Self::Named(hash, _) => hash.clone(),
            other => other.show(Unit::None),
        }
    }

    /// The value as an operator reads it, in `unit`.
    pub fn show(&self, unit: Unit) -> String {
        match self {
            Self::Number(n) => show(*n, unit),
            Self::Bool(b) => b.to_string(),
            Self::Text(t) => t.clone(),
            Self::Named(hash, name) => node_shown(hash, Some(name)),
            Self::Set(members) => format!(
                "{{{}}}",
                members.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            Self::Records(items) => format!("{} record(s)", items.len()),
            Self::NamedSet(nodes) => format!(
                "{{{}}}",
                nodes
                    .iter()
                    .map(|(hash, name)| node_shown(hash, name.as_deref()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// The members of a set, as the chain takes them (an ENS node by its hash).
    pub fn members(&self) -> Option<Vec<&String>> {
        match self {
            Self::Set(members) => Some(members.iter().collect()),
            Self::NamedSet(nodes) => Some(nodes.keys().collect()),
            _ => None,
        }
    }

    pub fn number(&self) -> Option<I256> {
        match self {
            Self::Number(n) => Some(*n),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namehash_is_eip_137s() {
        let hex = |name: &str| format!("0x{}", hex::encode(namehash(name)));
        assert_eq!(hex(""), format!("0x{}", "0".repeat(64)));
        assert_eq!(
            hex("eth"),
            "0x93cdeb708b7545dc668eb9280176169d1c33cfd8ed6f04690a0bcc88a93fc4ae"
        );
        assert_eq!(
            hex("foo.eth"),
            "0xde9b09fd7c5f901e23a3f19fecc54828e9c848539801e86591bd9801b019f84f"
        );
    }

    #[test]
    fn a_namehash_reads_as_a_name_or_a_hash_and_both_are_equal() {
        let read =
            |raw: serde_json::Value| Value::read(&raw, Kind::Namehash, Unit::None, &mut Vec::new());
        let named = read(serde_json::json!("foo.eth")).expect("a name");
        let hash = "0xde9b09fd7c5f901e23a3f19fecc54828e9c848539801e86591bd9801b019f84f";
        assert_eq!(named, Value::Text(hash.into()));
        assert_eq!(named.show(Unit::None), format!("foo.eth ({hash})"));
        assert_eq!(
            read(serde_json::json!(hash.to_uppercase().replace("0X", "0x"))),
            Ok(Value::Text(hash.into()))
        );
        for bad in ["Foo.eth", "foo..eth", "", "foo eth"] {
            assert!(
                matches!(
                    read(serde_json::json!(bad)),
                    Err(ValueError::NotAnEnsName(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_set_of_ens_nodes_compares_by_hash_and_keeps_the_names_it_was_given() {
        let read = |raw: serde_json::Value, notes: &mut Vec<Note>| {
            Value::read(&raw, Kind::NamehashSet, Unit::None, notes)
        };
        let hash = format!("0x{}", hex::encode(namehash("foo.eth")));
        let mut notes = Vec::new();
        let named = read(serde_json::json!(["foo.eth", "eth"]), &mut notes).expect("names");
        let hashed = read(
            serde_json::json!([
                hash.to_uppercase().replace("0X", "0x"),
                format!("0x{}", hex::encode(namehash("eth")))
            ]),
            &mut notes,
        )
        .expect("hashes");
        assert_eq!(named, hashed);
        assert!(notes.is_empty());
        assert!(
            named
                .show(Unit::None)
                .contains(&format!("foo.eth ({hash})"))
        );
        assert_eq!(
            serde_json::to_value(&named).expect("json"),
            serde_json::to_value(&hashed).expect("json"),
            "only the hashes are state"
        );
        read(serde_json::json!(["foo.eth", hash]), &mut notes).expect("the same node twice");
        assert_eq!(notes, [Note::Duplicate(hash.clone())]);
        assert!(matches!(
            read(serde_json::json!(["Foo.eth"]), &mut Vec::new()),
            Err(ValueError::NotAnEnsName(_))
        ));
    }

    #[test]
    fn signed_values_may_be_negative_and_unsigned_ones_may_not() {
        let raw = serde_json::json!("-50000000000000000");
        assert!(Value::read(&raw, Kind::Int, Unit::Fixed18, &mut Vec::new()).is_ok());
        assert!(matches!(
            Value::read(&raw, Kind::Uint, Unit::Fixed18, &mut Vec::new()),
            Err(ValueError::Negative(_))
        ));
    }
}
