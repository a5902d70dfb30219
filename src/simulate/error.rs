//! Why a simulation could not be made, or a report not imported: each said with what to do.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    #[error(transparent)]
    Target(#[from] crate::chain::TargetError),
    #[error(transparent)]
    Chain(#[from] crate::chain::ChainError),
    #[error(transparent)]
    Change(#[from] crate::change::ChangeError),
    #[error(transparent)]
    Sandbox(#[from] crate::sandbox::SandboxError),
    #[error("{file}: {error}")]
    Batch { file: String, error: String },
    #[error(
        "{file}: the batch is for chain {batch} (its chainId), but network `{network}` is chain {network_chain}: nothing simulated"
    )]
    WrongChain {
        file: String,
        batch: u64,
        network: String,
        network_chain: u64,
    },
    #[error(
        "network `{0}` names no `safe` in config/networks.toml: there is no Safe to execute the batch"
    )]
    NoSafe(String),
    #[error("on the fork: {what}: {detail}")]
    OnFork { what: String, detail: String },
    #[error(transparent)]
    Trace(#[from] crate::chain::call_trace::TraceError),
    #[error("the ABI folder {}: {error}", .folder.display())]
    AbiFolder { folder: PathBuf, error: String },
    #[error(transparent)]
    Report(#[from] super::report::ReportError),
}
