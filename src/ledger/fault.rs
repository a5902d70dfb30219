//! What can be wrong with an entry, as `ledger verify` and the run check name it.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    Unreadable,
    Edited,
    BadSignature,
    /// Signed by a key that `config/operators.toml` does not list (yet): a new operator's
    /// own entries until their key is listed, not a sign of tampering.
    UnlistedSigner,
    RoleNotHeld,
    BrokenChain,
    Reordered,
    Duplicated,
    Deleted,
    Truncated,
    CheckpointMismatch,
}

impl Fault {
    pub fn name(self) -> &'static str {
        match self {
            Self::Unreadable => "unreadable line",
            Self::Edited => "edited",
            Self::BadSignature => "bad signature",
            Self::UnlistedSigner => "signed by an unlisted key",
            Self::RoleNotHeld => "role not held",
            Self::BrokenChain => "broken chain",
            Self::Reordered => "reordered",
            Self::Duplicated => "duplicated",
            Self::Deleted => "deleted",
            Self::Truncated => "truncated",
            Self::CheckpointMismatch => "checkpoint mismatch",
        }
    }
}
