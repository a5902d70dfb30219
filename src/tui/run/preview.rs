//! A preview of a runbook: the run view over a run that is never started, walked step by
//! step with the arrows, so an operator can read every step before starting it. Nothing in
//! a preview is recorded: its keys only move between steps and within one.

use super::RunScreen;
use crate::engine::event::RunStarted;
use crate::engine::{Mode, Position, Run};
use crate::runbook::Runbook;
use crate::tui::action::Action;
use crate::tui::home::FAR;
use crate::tui::outcome::Outcome;
use std::sync::Arc;

/// The run a preview shows: `book` on `network`, not started, each input standing as its
/// `<name>` (or its default) in the commands it fills.
pub fn preview_run(book: Arc<Runbook>, network: &str, operator: &str) -> Run {
    let inputs = book
        .inputs
        .iter()
        .map(|input| {
            let value = input
                .default
                .clone()
                .unwrap_or_else(|| format!("<{}>", input.name));
            (input.name.clone(), value)
        })
        .collect();
    let started = RunStarted {
        runbook: book.id.clone(),
        version: book.version.clone(),
        path: String::new(),
        sha256: String::new(),
        title: book.title.clone(),
        inputs,
        network: network.to_owned(),
        chain_id: None,
        mode: Mode::Offline,
        operator: operator.to_owned(),
    };
    let time = crate::engine::clock::now();
    Run::new("preview".into(), started, time, book, operator.to_owned())
}

impl RunScreen {
    /// The keys of a preview: next and previous step, the cursor within a step, back.
    pub(super) fn preview_key(&mut self, action: Action) -> Outcome {
        match action {
            Action::Back => return Outcome::Close,
            Action::NextStep => self.preview_step(1),
            Action::PreviousStep => self.preview_step(-1),
            Action::Up => self.move_cursor(-1),
            Action::Down => self.move_cursor(1),
            Action::PageUp => self.move_cursor(-10),
            Action::PageDown => self.move_cursor(10),
            Action::First => self.move_cursor(-FAR),
            Action::Last => self.move_cursor(FAR),
            _ => {}
        }
        Outcome::Stay
    }

    /// Shows the step `delta` steps away in the runbook's order, stopping at either end.
    fn preview_step(&mut self, delta: isize) {
        let steps = &self.run.runbook.steps;
        let Position::At(id) = &self.run.position else {
            return;
        };
        let Some(index) = steps.iter().position(|step| &step.id == id) else {
            return;
        };
        let last = steps.len().saturating_sub(1) as isize;
        let target = (index as isize + delta).clamp(0, last) as usize;
        if target != index {
            self.run.position = Position::At(steps[target].id.clone());
            self.at_new_step();
        }
    }
}
