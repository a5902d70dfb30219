//! The faults a chaos step injects into a drill's sandbox, for real.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// Saves the sandbox node's state, then stops the node: reads fail as on a lost node.
    StopNode,
    /// Starts the stopped node again, on the same port, from the state it had.
    RestartNode,
    /// Undoes the run's last executed Safe batch on the sandbox, as a bad update would.
    RevertLastChange,
}

impl Fault {
    pub const ALL: [Fault; 3] = [Self::StopNode, Self::RestartNode, Self::RevertLastChange];

    pub fn name(self) -> &'static str {
        match self {
            Self::StopNode => "stop-node",
            Self::RestartNode => "restart-node",
            Self::RevertLastChange => "revert-last-change",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|fault| fault.name() == text)
    }
}
