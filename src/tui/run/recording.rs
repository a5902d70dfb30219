//! Appends, then moves the run: the screen never shows a step as done before it is on disk.

use super::RunScreen;
use crate::engine::{EngineError, Event, Run};
use crate::steps::Done;
use crate::tui::shared::Ctx;
use crate::tui::status::Status;

impl RunScreen {
    /// Records `events` against the run; says why when they are not recorded.
    pub(super) fn record(&mut self, ctx: &mut Ctx, events: Vec<Event>) {
        self.recorded(ctx, events);
    }

    /// As [`RunScreen::record`]; returns whether the events were recorded.
    pub(super) fn recorded(&mut self, ctx: &mut Ctx, events: Vec<Event>) -> bool {
        let before = self.run.current_step().map(|s| s.id.clone());
        let count = events.len();
        match ctx.session.record(&mut self.run, events) {
            Ok(()) => {
                *ctx.entries += count;
                if self.run.current_step().map(|s| s.id.clone()) != before {
                    self.at_new_step();
                }
                if self.run.is_finished() {
                    ctx.shared.say(Status::info(format!(
                        "run {} is over; it stays in the journal",
                        self.run.id
                    )));
                }
                true
            }
            Err(error) => {
                ctx.shared.error("Not recorded", error.to_string());
                false
            }
        }
    }

    /// A transition of the engine, recorded; or what refused it, on the status line.
    pub(super) fn engine(
        &mut self,
        ctx: &mut Ctx,
        transition: impl FnOnce(&Run) -> Result<Vec<Event>, EngineError>,
    ) {
        match transition(&self.run) {
            Ok(events) => self.record(ctx, events),
            Err(error) => ctx.shared.say(Status::warning(format!("⚠ {error}"))),
        }
    }

    /// A step action of this run ended in the background: its event is recorded, and a diff
    /// it computed is shown.
    pub fn on_step_done(&mut self, ctx: &mut Ctx, result: Result<Done, String>) {
        match result {
            Ok(done) => {
                if let Some(diff) = done.diff {
                    self.diff = Some(*diff);
                    self.cursor = 0;
                }
                self.record(ctx, vec![done.event]);
            }
            Err(error) => ctx.shared.error("The action failed", error),
        }
    }
}
