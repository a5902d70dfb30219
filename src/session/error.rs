//! What can go wrong opening a session, starting a run or recording in it.

use crate::ledger::LedgerError;
use crate::workspace::WorkspaceError;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(
        "no operator key is unlocked: nothing can be recorded (create one with `owner-console keys new`, unlock it with its passphrase)"
    )]
    Locked,
    #[error(transparent)]
    Context(#[from] crate::workspace::context::ContextError),
    #[error(transparent)]
    Engine(#[from] crate::engine::EngineError),
    #[error(
        "no runbook `{0}` in this workspace (see `owner-console validate` for files that failed to load)"
    )]
    UnknownRunbook(String),
    #[error(transparent)]
    Unverified(#[from] crate::ledger::run_check::Unverified),
    #[error(
        "run {run} moved while this was being done: it is now {now}; nothing was recorded (look at it again: `owner-console run status {run}`)"
    )]
    RunMoved { run: String, now: String },
    #[error("no run `{0}` in the ledger")]
    UnknownRun(String),
    #[error("run {run} uses runbook `{runbook}`, which is no longer in the workspace")]
    RunbookGone { run: String, runbook: String },
    #[error(
        "run {run}: its runbook {path} changed since the run started (sha256 {was} then, {now} now); it is not resumed. Restore the file or abort the run with `owner-console run abort {run} --reason …`"
    )]
    RunbookChanged {
        run: String,
        path: String,
        was: String,
        now: String,
    },
    #[error("runbook `{runbook}` does not run on network `{network}` (valid: {valid})")]
    WrongNetwork {
        runbook: String,
        network: String,
        valid: String,
    },
    #[error("input `{name}`: {why}")]
    BadInput { name: String, why: String },
    /// `why` is no `source`: the message already says it.
    #[error("input `{name}`: {why}")]
    InputValue {
        name: String,
        why: crate::runbook::inputs::InputError,
    },
    #[error("{0}")]
    Config(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}
