//! What can stop a change: a state snapshot refused as a state source, a config backup that
//! does not hold, a comparison or a batch that cannot be made. Said as the operator is told it.

use crate::chain::{ChainError, TargetError};
use crate::workspace::context::ContextError;
use crate::workspace::snapshot::SnapshotError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    #[error("config/networks.toml: {0}")]
    Policy(#[from] crate::catalogue::guardrails::PolicyError),
    #[error("{name}: field `network`: the snapshot is of network `{found}`, not `{network}`")]
    WrongNetwork {
        name: String,
        found: String,
        network: String,
    },
    #[error(
        "{name}: field `drill`: the snapshot was read from a drill's sandbox, not from {network}; refused as a state source"
    )]
    DrillSnapshot { name: String, network: String },
    #[error("{name}: field `chain_id`: chain id {found} differs from {network}'s {expected}")]
    WrongChain {
        name: String,
        network: String,
        found: u64,
        expected: u64,
    },
    #[error("{name}: field `signature`: {why}; refused as a state source")]
    BadSignature { name: String, why: SnapshotError },
    #[error(
        "{name}: field `signer`: signed by {signer}, who is not in config/operators.toml; refused as a state source"
    )]
    UnknownSigner { name: String, signer: String },
    #[error("network `{0}` has no offline snapshot in config/networks.toml")]
    NoSnapshot(String),
    /// The network's own snapshot failed, and the operator may give another.
    #[error("{0}; give one with --against FILE")]
    NoState(Box<ChangeError>),
    #[error("{}", .0.message())]
    Stale(super::offline_state::Stale),
    #[error("{}: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{0}")]
    Json(serde_json::Error),
    #[error("{}: {error} (not a config snapshot?)", .path.display())]
    NoManifest {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}:{}:{}: {error}", .path.display(), .error.line(), .error.column())]
    BadManifest {
        path: PathBuf,
        error: serde_json::Error,
    },
    #[error(
        "{}: sha256 {actual} differs from the manifest's {expected}: the snapshot was changed",
        .file.display()
    )]
    Changed {
        file: PathBuf,
        actual: String,
        expected: String,
    },
    #[error("{0}")]
    Listing(std::io::Error),
    #[error("{}: `{name}` is not in the manifest", .folder.display())]
    NotInManifest { folder: PathBuf, name: String },
    #[error("{0}: a guardrail blocks this change, so no batch is planned")]
    Blocked(String),
    #[error("no address for module {0} in owner-control's config (catalogue [modules])")]
    NoModule(String),
    #[error("no address for module {module} on {network}")]
    NoAddress { module: String, network: String },
    #[error("no network `{0}` in config/networks.toml")]
    UnknownNetwork(String),
    #[error("network `{0}` names no `safe` address in config/networks.toml")]
    NoSafe(String),
    #[error("the batch fails its own checks: {}", .0.join("; "))]
    FailsChecks(Vec<String>),
    #[error("no batch is planned while the config or the state cannot be read: {0}")]
    Unreadable(String),
    #[error(
        "the diff is incomplete: {} proposed value(s) were not compared with the current state, and the batch would set none of them: {}; read them (a node or a snapshot that holds them), or allow it (`plan --allow-incomplete`, or `allow_incomplete = true` on the runbook's safe-batch step)",
        .0.len(),
        .0.join("; ")
    )]
    Incomplete(Vec<String>),
    #[error("{0}: nothing for the Safe to do")]
    NothingToDo(String),
    #[error(transparent)]
    Build(#[from] crate::safe::BuildError),
    #[error(transparent)]
    Context(#[from] ContextError),
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error(transparent)]
    Chain(#[from] ChainError),
}
