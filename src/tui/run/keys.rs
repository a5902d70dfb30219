//! What the run view's keys do: move the cursor or the flowchart, and act on the current
//! step; each transition goes through the engine and is recorded before the screen moves,
//! and irreversible ones ask for a typed word.

use super::RunScreen;
use crate::runbook::{Step, StepAction};
use crate::tui::action::Action;
use crate::tui::home::FAR;
use crate::tui::outcome::Outcome;
use crate::tui::popups::{Pending, Popup, Purpose};
use crate::tui::shared::Ctx;
use crate::tui::status::Status;
use crate::tui::task::Task;

impl RunScreen {
    pub fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        if self.preview {
            return self.preview_key(action);
        }
        if self.flowchart {
            self.flowchart_key(action);
            return Outcome::Stay;
        }
        match action {
            Action::Back => return Outcome::Close,
            Action::Ledger => return Outcome::OpenLedger,
            Action::Flowchart => {
                self.flowchart = true;
                self.flow_scroll.reset();
            }
            Action::Up => self.move_cursor(-1),
            Action::Down => self.move_cursor(1),
            Action::PageUp => self.move_cursor(-10),
            Action::PageDown => self.move_cursor(10),
            Action::First => self.move_cursor(-FAR),
            Action::Last => self.move_cursor(FAR),
            action => return self.step_action(action, ctx).into(),
        }
        Outcome::Stay
    }

    fn flowchart_key(&mut self, action: Action) {
        match action {
            Action::Back => self.flowchart = false,
            Action::Up => self.scroll_flow(-1),
            Action::Down => self.scroll_flow(1),
            Action::PageUp => self.scroll_flow(-10),
            Action::PageDown => self.scroll_flow(10),
            Action::First => self.flow_scroll.reset(),
            _ => {}
        }
    }

    fn scroll_flow(&mut self, delta: isize) {
        self.flow_scroll.by(delta);
    }

    fn step_action(&mut self, action: Action, ctx: &mut Ctx) -> Option<Task> {
        let step = self.run.current_step()?.clone();
        match action {
            Action::Toggle => match self.run.toggle_item(self.cursor) {
                Ok(event) => {
                    if self.recorded(ctx, vec![event]) {
                        self.move_to_next_unticked();
                    }
                }
                Err(error) => ctx.shared.say(Status::warning(error.to_string())),
            },
            Action::TickRest => match self.run.tick_rest() {
                Ok(events) if events.is_empty() => {
                    ctx.shared.say(Status::info("every item is ticked already"));
                }
                Ok(events) => self.record(ctx, events),
                Err(error) => ctx.shared.say(Status::warning(error.to_string())),
            },
            Action::Complete => self.complete(&step, ctx),
            Action::Skip if step.skippable => ctx.shared.push(Popup::prompt(
                &format!("Skip “{}”", step.title),
                "Why is this step skipped? Enter to record · Esc to cancel",
                Purpose::SkipReason,
                "",
            )),
            Action::Skip => ctx.shared.say(Status::warning(format!(
                "step `{}` may not be skipped",
                step.id
            ))),
            Action::Note if matches!(step.action, StepAction::Note { .. }) => {
                self.open_note_editor(ctx.shared);
            }
            Action::Attach if matches!(step.action, StepAction::Evidence { .. }) => {
                ctx.shared.push(Popup::prompt(
                    "Attach a file",
                    "Path of a file inside the workspace · Enter to attach · Esc to cancel",
                    Purpose::AttachPath,
                    "",
                ));
            }
            Action::Open => self.open_change(ctx.shared),
            Action::Execute => return self.execute(&step.action, ctx),
            Action::Simulate => return self.simulate(ctx),
            Action::Signoff => self.sign_off(ctx),
            Action::Abort => ctx.shared.push(Popup::prompt(
                "Abort this run",
                "Why is the run aborted? Enter to continue · Esc to cancel",
                Purpose::AbortReason,
                "",
            )),
            _ => {}
        }
        None
    }

    /// A decision chooses the option under the cursor; any other step completes, when nothing
    /// blocks it; either asks for the step's word first when it has one.
    fn complete(&mut self, step: &Step, ctx: &mut Ctx) {
        if let StepAction::Decision { options, .. } = &step.action {
            let Some(option) = options.get(self.cursor) else {
                return;
            };
            let label = option.label.clone();
            match &step.confirm {
                Some(word) => ctx.shared.push(Popup::confirm(
                    &step.title,
                    vec![format!("Choose `{label}`: this cannot be undone.")],
                    word,
                    Pending::Choose(label),
                )),
                None => self.engine(ctx, |run| run.choose(&label, None)),
            }
        } else if let Some(blocker) = self.run.completion_blocker() {
            ctx.shared
                .say(Status::warning(format!("⚠ not yet: {blocker}")));
        } else if let Some(word) = &step.confirm {
            ctx.shared.push(Popup::confirm(
                &step.title,
                vec!["This step is irreversible.".into()],
                word,
                Pending::Complete,
            ));
        } else {
            self.engine(ctx, |run| run.complete(None));
        }
    }
}
