//! What the run view does with a prompt's text or a typed confirmation.

use super::RunScreen;
use super::step_actions::Refusal;
use crate::steps::Act;
use crate::tui::popups::{Pending, Popup, Purpose};
use crate::tui::shared::Ctx;
use crate::tui::status::Status;
use crate::tui::task::Task;
use std::path::PathBuf;

impl RunScreen {
    pub fn on_submit(&mut self, ctx: &mut Ctx, purpose: Purpose, text: String) -> Option<Task> {
        match purpose {
            Purpose::Filter => {}
            Purpose::SkipReason => self.engine(ctx, |run| run.skip(&text)),
            Purpose::Note => self.record_note(ctx, &text),
            Purpose::AttachPath => {
                let file = PathBuf::from(text.trim());
                return self.act(ctx, Act::Attach(file), Refusal::Popup("Not attached"));
            }
            Purpose::AbortReason if !text.trim().is_empty() => {
                let detail = vec![
                    format!("Reason: {text}"),
                    "The run ends here; it stays in the journal.".into(),
                ];
                ctx.shared.push(Popup::confirm(
                    "Abort the run?",
                    detail,
                    "abort",
                    Pending::Abort(text),
                ));
            }
            Purpose::AbortReason => ctx.shared.say(Status::warning("an abort needs a reason")),
            Purpose::ReceiptSource => return self.check_receipt(ctx, &text),
            Purpose::StaleReason => self.acknowledge_stale(ctx, &text),
        }
        None
    }

    /// The note is recorded, and its draft goes.
    fn record_note(&mut self, ctx: &mut Ctx, text: &str) {
        let step = self.run.current_step().map(|s| s.id.clone());
        let run = self.run.id.clone();
        match self.run.note(text) {
            Ok(event) => {
                if self.recorded(ctx, vec![event])
                    && let Some(step) = step
                {
                    self.drop_draft(ctx.shared, &run, &step);
                }
            }
            Err(error) => ctx.shared.say(Status::warning(error.to_string())),
        }
    }

    /// The typed word was right: the step moves, or its action starts. Quitting is the
    /// app's.
    pub fn on_confirmed(&mut self, ctx: &mut Ctx, pending: Pending, typed: String) -> Option<Task> {
        match pending {
            Pending::Complete => self.engine(ctx, |run| run.complete(Some(&typed))),
            Pending::Choose(label) => self.engine(ctx, |run| run.choose(&label, Some(&typed))),
            Pending::Abort(reason) => self.engine(ctx, |run| run.abort(&reason).map(|e| vec![e])),
            Pending::Chaos => return self.act(ctx, Act::InjectChaos, Refusal::Status),
            Pending::Execute => return self.act(ctx, Act::RunCommand, Refusal::Status),
            Pending::QuitWhileBusy => {}
        }
        None
    }
}
