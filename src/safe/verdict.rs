//! The words of a batch check: what it looked at, how it came out, and an argument as
//! decoded for review.

use serde::Serialize;

/// What a check looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    /// The 4-byte selector of `data` against the method's canonical signature.
    Selector,
    /// `data` decoded against `contractInputsValues` (or the values encoded, when data is null).
    Values,
    /// `to` against the network's module addresses, and its spelling.
    Target,
    /// `value` (wei) against the method's payability.
    Value,
    /// The selector against the code deployed at `to` (with a network).
    Deployed,
    ChainId,
    Checksum,
}

impl CheckKind {
    pub fn name(self) -> &'static str {
        match self {
            CheckKind::Selector => "selector",
            CheckKind::Values => "values",
            CheckKind::Target => "target",
            CheckKind::Value => "value",
            CheckKind::Deployed => "deployed",
            CheckKind::ChainId => "chainId",
            CheckKind::Checksum => "checksum",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    /// Could not be checked, or worth a reviewer's look; does not fail the batch.
    Warn,
    Fail,
}

impl Status {
    /// A mark and a word, never colour alone.
    pub fn mark(self) -> &'static str {
        match self {
            Status::Pass => "✓ PASS",
            Status::Warn => "⚠ WARN",
            Status::Fail => "✗ FAIL",
        }
    }
}

/// One argument as decoded for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecodedArg {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub value: String,
}
