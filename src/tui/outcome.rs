//! What a screen asks of the app once it has handled an action.

use super::task::Task;
use crate::engine::Run;

/// What the app does after a screen handled an action.
pub enum Outcome {
    Stay,
    /// Start this background task.
    Spawn(Task),
    /// Open the run view of this run.
    ShowRun(Box<Run>),
    /// Open the preview of this run, never started.
    Preview(Box<Run>),
    OpenLedger,
    OpenMetrics,
    /// Back to the screen beneath this one.
    Close,
}

impl From<Option<Task>> for Outcome {
    fn from(task: Option<Task>) -> Self {
        task.map_or(Self::Stay, Self::Spawn)
    }
}
