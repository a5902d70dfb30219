//! What can stop a step action, from [`super::prepare`] or [`super::Prepared::execute`]: each
//! said as the operator is told it (the text is what the CLI prints and the console shows).

use crate::chain::ChainError;
use crate::runbook::template::TemplateError;
use crate::workspace::WorkspaceError;
use alloy_primitives::B256;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error("the run is over")]
    RunOver,
    #[error(
        "the run has prepared no batch yet: nothing to simulate (a safe-batch step comes first)"
    )]
    NothingToSimulate,
    #[error(
        "run {0} reads no chain here (offline): simulate the batch on a connected machine (`owner-console simulate FILE --network N --out REPORT`) and import it with `run next {0} --simulation REPORT`"
    )]
    SimulateOffline(String),
    #[error(transparent)]
    Simulate(Box<crate::simulate::SimulateError>),
    /// `kind` with its article: "a command", "an http-check".
    #[error("step `{step}` is not {kind} step")]
    WrongKind { step: String, kind: &'static str },
    #[error(
        "step `{0}` only shows its command (run = \"never\"): run it yourself, then complete the step"
    )]
    ShowOnly(String),
    #[error("no command")]
    NoCommand,
    #[error("cannot start `sh`: {0}")]
    Start(std::io::Error),
    #[error(transparent)]
    Roots(#[from] crate::net::RootsError),
    /// `what`: "stdout", "the response", …
    #[error("cannot store {what} as evidence: {error}")]
    Evidence {
        what: &'static str,
        error: std::io::Error,
    },
    #[error("{}: {error}", .path.display())]
    File {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("an acknowledgement needs a reason")]
    NoReason,
    #[error("{0} is within the network's age limit: nothing to acknowledge")]
    NotStale(String),
    #[error(
        "step `{step}` ({fault}) injects a fault for real: only a drill on the sandbox runs it (`owner-console drill {runbook} --network {network}`); this is a {mode} run of `{network}`, so nothing was done — skip the step with a reason"
    )]
    ChaosOutsideDrill {
        step: String,
        fault: &'static str,
        runbook: String,
        network: String,
        mode: &'static str,
    },
    #[error("the sandbox node of `{0}` is stopped: a restart-node step comes first")]
    NodeStopped(String),
    #[error(
        "the sandbox node of `{network}` runs (pid {pid}): nothing to restart; a stop-node step comes first"
    )]
    NodeRunning { network: String, pid: u32 },
    #[error(
        "the run has executed no Safe batch in the sandbox yet: nothing to revert (a receipt step executes it)"
    )]
    NothingToRevert,
    #[error("the chaos step was not prepared for its fault")]
    ChaosUnprepared,
    #[error(
        "this live run reads the chain, but this session is offline or has no RPC URL for `{0}`"
    )]
    NoLiveSource(String),
    #[error(
        "the batch calls functions the code deployed on `{network}` lacks (block {block}); no batch was written and nothing recorded:\n{}",
        .calls.join("\n")
    )]
    MissingFunctions {
        network: String,
        block: u64,
        /// Each call named: index, target (and module), method, selector, why.
        calls: Vec<String>,
    },
    #[error("no address for module {module} on network `{network}`")]
    NoAddress { module: String, network: String },
    #[error("only a drill executes its batch itself; give --tx HASH or --receipt FILE")]
    NotADrill,
    #[error("the run has prepared no Safe batch yet: nothing to execute in the sandbox")]
    NoBatch,
    #[error(
        "step `{step}` builds its Safe batch from the run's recorded diff, and the run has recorded none: a diff step comes first"
    )]
    NoDiff { step: String },
    #[error(
        "the diff against {against} now has fingerprint {now}, but step `{step}` recorded {recorded}: the chain or the config moved since that diff was made and approved{}; no batch was written and nothing recorded. A new diff and new sign-offs are needed (start a new run)",
        if unexplained.is_empty() { String::new() } else { format!(" ({})", unexplained.join("; ")) }
    )]
    DiffMoved {
        step: String,
        recorded: String,
        now: String,
        against: String,
        /// What the diff now holds that the recorded one does not.
        unexplained: Vec<String>,
    },
    #[error(
        "{0}; nothing was sent and nothing recorded: put the prepared file back, or start a new run for a new batch and new sign-offs"
    )]
    BatchNotBound(#[from] crate::safe::binding::BindingError),
    #[error("`{0}` is not a transaction hash (0x and 64 hex digits)")]
    NotTxHash(String),
    #[error("{0:#x} has no receipt yet: not mined (or not on this chain); check again later")]
    NotMined(B256),
    #[error(
        "asked for the receipt of {asked:#x}, the node answered with {}: a node that swaps receipts is not trusted; nothing recorded",
        answered.map_or("no transaction hash".to_owned(), |h| format!("that of {h:#x}"))
    )]
    SwappedReceipt { asked: B256, answered: Option<B256> },
    #[error("{0}")]
    ReceiptJson(serde_json::Error),
    #[error("no node to ask for the receipt")]
    NoNode,
    #[error("the sandbox has no Safe")]
    NoSafe,
    #[error("the sandbox refuses a snapshot before the batch: {0}")]
    SnapshotRefused(String),
    #[error("the batch holds no transaction")]
    EmptyBatch,
    #[error("the batch's Safe transaction: {0}")]
    SafeCall(#[from] crate::safe::multisend::SafeCallError),
    #[error("the sign-off of {name}: {error}")]
    Approval {
        name: String,
        error: crate::safe::approval::ApprovalError,
    },
    #[error("the config cannot be read: {0}")]
    ConfigUnreadable(String),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error(transparent)]
    Context(#[from] crate::workspace::context::ContextError),
    #[error(transparent)]
    Confine(#[from] crate::workspace::evidence::ConfineError),
    #[error(transparent)]
    Target(#[from] crate::chain::TargetError),
    #[error(transparent)]
    Receipt(#[from] crate::chain::ReceiptError),
    #[error(transparent)]
    Change(#[from] crate::change::ChangeError),
    /// Boxed: a sandbox's error holds a node's whole RPC failure.
    #[error(transparent)]
    Sandbox(Box<crate::sandbox::SandboxError>),
}

impl From<crate::sandbox::SandboxError> for StepError {
    fn from(error: crate::sandbox::SandboxError) -> Self {
        Self::Sandbox(Box::new(error))
    }
}

impl From<crate::simulate::SimulateError> for StepError {
    fn from(error: crate::simulate::SimulateError) -> Self {
        Self::Simulate(Box::new(error))
    }
}
