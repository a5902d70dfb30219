//! The run view: the run being walked, the cursor within the current step, its flowchart,
//! and the drafts of its notes.

mod answers;
mod chain_steps;
mod keys;
mod note_drafts;
mod preview;
mod recording;
mod scroll;
mod step_actions;

use crate::engine::run::Outcome;
use crate::engine::{Position, Run};
use crate::runbook::StepAction;
use crate::runbook::graph::Mark;
use crate::session::drafts::Drafts;
use std::time::Instant;

pub use preview::preview_run;
pub use scroll::Scroll;

pub struct RunScreen {
    pub run: Run,
    /// The diff last computed at a diff step, with what it was compared with, for display.
    pub diff: Option<(crate::diff::Diff, String)>,
    /// The checklist item, decision option or diff change under the cursor.
    pub cursor: usize,
    /// The flowchart is shown instead of the steps.
    pub flowchart: bool,
    /// How far the flowchart is scrolled from where the current step puts it.
    pub flow_scroll: Scroll,
    /// How far the step's pane is scrolled, on a step without a cursor.
    pub detail_scroll: Scroll,
    /// A preview: the run is not started, and nothing is recorded (see `preview.rs`).
    pub preview: bool,
    /// Where note drafts are kept.
    drafts: Drafts,
    /// When the open note editor's text is next due in `drafts`.
    draft_due: Option<Instant>,
}

impl RunScreen {
    /// The run view of `run`; on a checklist the cursor starts on the first item not yet
    /// ticked, so a resumed run goes on where it stopped.
    pub fn new(run: Run, drafts: Drafts) -> Self {
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
            flowchart: false,
            flow_scroll: Scroll::both_ways(),
            detail_scroll: Scroll::down_from_top(),
            preview: false,
            drafts,
            draft_due: None,
        }
    }

    /// The preview of a run never started (see [`preview_run`]).
    pub fn preview(run: Run, drafts: Drafts) -> Self {
        Self {
            preview: true,
            ..Self::new(run, drafts)
        }
    }

    /// The kind of the current step, if the run is not over.
    pub fn step_kind(&self) -> Option<&'static str> {
        self.run.current_step().map(|s| s.action.kind_name())
    }

    /// The step kinds of the run's runbook, each once.
    pub fn step_kinds(&self) -> Vec<&'static str> {
        let steps = self.run.runbook.steps.iter();
        let mut kinds: Vec<_> = steps.map(|step| step.action.kind_name()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds
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

    /// After a tick, the cursor goes to the next item not yet ticked (from the top again
    /// when none is below); it stays after an untick, or when every item is ticked.
    fn move_to_next_unticked(&mut self) {
        let Some(StepAction::Checklist { items }) = self.run.current_step().map(|s| &s.action)
        else {
            return;
        };
        if !self.run.visit.checked.contains(&self.cursor) {
            return;
        }
        let unticked = |item: &usize| !self.run.visit.checked.contains(item);
        let below = (self.cursor + 1..items.len()).find(unticked);
        if let Some(next) = below.or_else(|| (0..self.cursor).find(unticked)) {
            self.cursor = next;
        }
    }

    /// Puts the cursor on the option a number key names (`1` the first); false when there is
    /// no such option.
    pub fn point_at(&mut self, key: &crossterm::event::KeyEvent) -> bool {
        let crossterm::event::KeyCode::Char(digit) = key.code else {
            return false;
        };
        match digit.to_digit(10).and_then(|n| usize::try_from(n).ok()) {
            Some(number) if (1..=self.cursor_span()).contains(&number) => {
                self.cursor = number - 1;
                true
            }
            _ => false,
        }
    }

    /// Moves the cursor; on a step without one, scrolls its pane.
    pub fn move_cursor(&mut self, delta: isize) {
        let span = self.cursor_span();
        if span > 0 {
            self.cursor = (self.cursor as isize + delta).clamp(0, span as isize - 1) as usize;
        } else {
            self.detail_scroll.by(delta);
        }
    }

    /// The cursor and the pane's scroll back at the top, for a step newly shown.
    pub fn at_new_step(&mut self) {
        self.cursor = 0;
        self.detail_scroll.reset();
    }

    /// The mark of a step: current, or the outcome of its latest visit, or pending (not
    /// taken once the run is over).
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
            None if self.run.is_finished() => Mark::NotTaken,
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
