//! The run view's state: the run being walked and the cursor within the current step.

use crate::engine::run::Outcome;
use crate::engine::{Position, Run};
use crate::runbook::StepAction;
use crate::runbook::graph::Mark;

pub struct RunScreen {
    pub run: Run,
    /// The diff last computed at a diff step, with what it was compared with, for display.
    pub diff: Option<(crate::diff::Diff, String)>,
    /// The checklist item, decision option or diff change under the cursor.
    pub cursor: usize,
    pub flow_scroll: u16,
}

impl RunScreen {
    /// The run view of `run`; on a checklist the cursor starts on the first item not yet
    /// ticked, so a resumed run goes on where it stopped.
    pub fn new(run: Run) -> Self {
        let cursor = match run.current_step().map(|s| &s.action) {
            Some(StepAction::Checklist { items }) => (0..items.len())
                .find(|item| !run.visit.checked.contains(item))
                .unwrap_or(0),
            _ => 0,
        };
        Self {
            run,
            diff: None,
            cursor,
            flow_scroll: 0,
        }
    }

    /// How many things the cursor can be on in the current step.
    pub fn cursor_span(&self) -> usize {
        match self.run.current_step().map(|s| &s.action) {
            Some(StepAction::Checklist { items }) => items.len(),
            Some(StepAction::Decision { options, .. }) => options.len(),
            Some(StepAction::Diff { .. }) => self.diff.as_ref().map_or(0, |(d, _)| d.changes.len()),
            _ => 0,
        }
    }

    pub fn move_cursor(&mut self, delta: isize) {
        let span = self.cursor_span();
        if span > 0 {
            self.cursor = (self.cursor as isize + delta).clamp(0, span as isize - 1) as usize;
        }
    }

    /// The mark of a step: current, or the outcome of its latest visit, or pending.
    pub fn mark(&self, step_id: &str) -> Mark {
        if self.run.position == Position::At(step_id.to_owned()) {
            return Mark::Current;
        }
        match self
            .run
            .history
            .iter()
            .rev()
            .find(|v| v.step == step_id)
            .map(|v| &v.outcome)
        {
            Some(Outcome::Skipped(_)) => Mark::Skipped,
            Some(_) => Mark::Done,
            None => Mark::Pending,
        }
    }

    /// The option taken at a decision step, if it was answered.
    pub fn branch_taken(&self, step_id: &str) -> Option<&str> {
        self.run
            .history
            .iter()
            .rev()
            .find(|v| v.step == step_id)
            .and_then(|v| match &v.outcome {
                Outcome::Branch { option, .. } => Some(option.as_str()),
                _ => None,
            })
    }
}
