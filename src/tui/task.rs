//! Slow work (commands, HTTP checks) runs off the draw path and reports back.

use crate::engine::Event;
use crate::step_actions::{PreparedCommand, PreparedHttp};

pub enum Task {
    Command {
        run: String,
        prepared: PreparedCommand,
    },
    Http {
        run: String,
        prepared: PreparedHttp,
    },
}

pub struct TaskDone {
    pub run: String,
    pub result: Result<Event, String>,
}

impl Task {
    pub fn describe(&self) -> String {
        match self {
            Self::Command { prepared, .. } => format!("running: {}", prepared.command()),
            Self::Http { prepared, .. } => format!("checking: {}", prepared.url()),
        }
    }

    pub async fn execute(self) -> TaskDone {
        match self {
            Self::Command { run, prepared } => TaskDone {
                run,
                result: prepared.execute().await,
            },
            Self::Http { run, prepared } => TaskDone {
                run,
                result: prepared.execute().await,
            },
        }
    }
}
