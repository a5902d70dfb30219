//! What a popup answers after a key, and what its text or typed word is for.

/// What a prompt's text is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Filter,
    SkipReason,
    AbortReason,
    AttachPath,
    Note,
    /// A receipt step's transaction hash or receipt file.
    ReceiptSource,
    /// Why a stale state snapshot is used anyway.
    StaleReason,
}

/// What a typed confirmation unlocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Complete,
    Choose(String),
    Execute,
    /// A drill's chaos step: inject its fault into the sandbox.
    Chaos,
    Abort(String),
    QuitWhileBusy,
}

/// What a popup asks of the app after a key.
pub enum Reply {
    Stay,
    Close,
    Submit(Purpose, String),
    Confirmed(Pending, String),
    StartRun,
    /// Put this text on the terminal's clipboard.
    Copy(String),
}
