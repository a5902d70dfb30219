//! Why a batch file's method description or value does not read as its ABI type: each says
//! what was expected and what was found.

use alloy_primitives::Address;
use alloy_primitives::ruint::ParseError;
use std::str::FromStr;

/// A `contractMethod` that describes no callable method.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MethodError {
    #[error("method name {0:?} is not a Solidity identifier")]
    NotAnIdentifier(String),
    #[error("input `{input}` has type {ty:?}: {error}")]
    BadType {
        input: String,
        ty: String,
        error: Box<alloy_dyn_abi::Error>,
    },
    #[error("input `{0}` is a tuple but lists no components")]
    TupleWithoutComponents(String),
}

/// An address that is not `0x` and 40 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressTextError {
    #[error("{0:?} does not start with 0x")]
    NoPrefix(String),
    #[error("{0:?} is not 40 hex digits after 0x (an address is 20 bytes)")]
    NotFortyHexDigits(String),
    #[error("{text:?}: {error}")]
    Invalid {
        text: String,
        error: <Address as FromStr>::Err,
    },
}

/// A `contractInputsValues` entry that does not read as its parameter's type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    #[error("expected {expected} items, found {found}")]
    ItemCount { expected: usize, found: usize },
    #[error("expected a tuple of {expected} fields, found {found}")]
    FieldCount { expected: usize, found: usize },
    #[error("expected a JSON array such as [\"…\"], found {0:?}")]
    NotAnArrayText(String),
    #[error("expected a JSON array, found {0}")]
    NotAnArray(String),
    #[error("{0} is not an integer")]
    NotAnInteger(String),
    #[error("expected a string, found {0}")]
    NotAString(String),
    #[error("expected true or false, found {0:?}")]
    NotABool(String),
    /// `kind`: `uint` or `int`.
    #[error("{text} does not fit in {kind}{bits}")]
    TooWide {
        text: String,
        kind: &'static str,
        bits: usize,
    },
    #[error("expected {expected} bytes, found {found} in {text:?}")]
    ByteCount {
        expected: usize,
        found: usize,
        text: String,
    },
    #[error("expected 24 bytes, found {0}")]
    NotAFunction(usize),
    #[error("unsupported type {0}")]
    Unsupported(String),
    #[error("expected a decimal integer, found {0:?}")]
    NotDecimal(String),
    #[error("{text:?}: {error}")]
    BadInteger { text: String, error: ParseError },
    #[error("expected 0x-prefixed hex, found {0:?}")]
    NoHexPrefix(String),
    #[error("{text:?}: {error}")]
    BadHex {
        text: String,
        error: hex::FromHexError,
    },
    #[error(transparent)]
    Address(#[from] AddressTextError),
    #[error("no such parameter")]
    NoSuchParameter,
    #[error("{0}")]
    BadType(Box<alloy_dyn_abi::Error>),
}

/// Calldata or an amount of wei that the file spells wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FieldTextError {
    /// `preview`: the start of the text, quoted.
    #[error("{preview} does not start with 0x")]
    NoHexPrefix { preview: String },
    #[error("{preview}: {error}")]
    BadHex {
        preview: String,
        error: hex::FromHexError,
    },
    #[error("expected the value in wei as a decimal string such as \"0\", found {0:?}")]
    NotDecimalWei(String),
    #[error("{text:?} is not a 256-bit amount: {error}")]
    NotAnAmount { text: String, error: ParseError },
}
