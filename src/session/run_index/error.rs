//! Why the run index is not used: the start-up list then comes from a full replay, and this
//! is the reason it gives.

use std::path::PathBuf;

/// Why the run index was not used (or its closed runs not read).
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("there is no run index yet")]
    NoIndexYet,
    #[error("{}: {error}", .path.display())]
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    /// No source: the message already says it.
    #[error("{}: not a run index: {why}", .path.display())]
    NotAnIndex { path: PathBuf, why: NotAnIndex },
    #[error("there is no ledger")]
    NoLedger,
    #[error("the run index was written by another version of the console")]
    OtherConsole,
    #[error("the workspace's runbooks changed since the run index was written")]
    RunbooksChanged,
    #[error("the ledger is shorter than the run index says")]
    LedgerShorter,
    #[error("reading the ledger: {0}")]
    ReadingLedger(std::io::Error),
    #[error("the ledger does not hold, where the run index ends, the line it ends on")]
    LastLineDiffers,
    #[error("run {0}, closed in the run index, has new entries")]
    ClosedRunMoved(String),
    #[error("run {run}: offset {offset} is outside the ledger")]
    OffsetOutside { run: String, offset: u64 },
    #[error("run {run}: offset {offset} holds another line now")]
    OffsetMoved { run: String, offset: u64 },
    #[error(transparent)]
    Closed(#[from] ClosedRunsError),
}

/// Why an index file is not one: its two lines, or its header's JSON.
#[derive(Debug, thiserror::Error)]
pub enum NotAnIndex {
    #[error("it does not end with a newline")]
    NoNewline,
    #[error("it is one line, not a header and the closed runs")]
    OneLine,
    /// No source: the message is the JSON error's.
    #[error("{0}")]
    Header(serde_json::Error),
}

/// The index's closed runs are not a list of run summaries.
#[derive(Debug, thiserror::Error)]
#[error("the run index's closed runs do not read: {0}")]
pub struct ClosedRunsError(serde_json::Error);

impl ClosedRunsError {
    pub(super) fn new(error: serde_json::Error) -> Self {
        Self(error)
    }
}
