//! The step actions that run in the background (a command, a check, a diff, a batch, a
//! fault), each prepared first and asked for when it acts on the world; and the step actions
//! done in place: a change shown in full, a sign-off.

use super::RunScreen;
use crate::engine::Event;
use crate::engine::signoff::Approver;
use crate::runbook::{CommandRun, StepAction};
use crate::steps::{self, Act};
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::popups::{Pending, Popup};
use crate::tui::shared::{Ctx, Shared};
use crate::tui::status::Status;
use crate::tui::task::Task;

/// How the console says that a step action cannot even start.
#[derive(Clone, Copy)]
pub(super) enum Refusal {
    Status,
    Popup(&'static str),
}

impl RunScreen {
    pub(super) fn execute(&mut self, action: &StepAction, ctx: &mut Ctx) -> Option<Task> {
        if ctx.shared.busy.is_some() {
            ctx.shared
                .say(Status::warning("wait: something is still running"));
            return None;
        }
        match action {
            StepAction::Chaos { fault } => self.ask_chaos(ctx, fault.name()),
            StepAction::Command {
                run: CommandRun::Confirm,
                ..
            } => self.ask_command(ctx),
            StepAction::Command { .. } => self.show_command(ctx),
            StepAction::HttpCheck { .. } => return self.act(ctx, Act::CheckHttp, Refusal::Status),
            StepAction::ChainCheck { .. } => return self.check_chain(ctx),
            StepAction::Receipt { .. } if self.drill_batch_to_execute() => {
                return self.act(
                    ctx,
                    Act::Receipt(crate::steps::receipt::ReceiptFrom::DrillExecution),
                    Refusal::Popup("The receipt cannot be checked"),
                );
            }
            StepAction::Receipt { .. } => self.ask_receipt(ctx.shared),
            StepAction::Simulate => return self.simulate(ctx),
            StepAction::SafeBatch { .. } | StepAction::Diff { .. } if self.stale_gate(ctx) => {}
            StepAction::SafeBatch { .. } | StepAction::Diff { .. } => {
                let live = match self.fresh_live_state(ctx) {
                    Ok(live) => live,
                    Err(error) => {
                        ctx.shared.say(Status::warning(error));
                        return None;
                    }
                };
                return match action {
                    StepAction::Diff { .. } => self.act(
                        ctx,
                        Act::ComputeDiff { live },
                        Refusal::Popup("The diff cannot be computed"),
                    ),
                    _ => self.act(
                        ctx,
                        Act::PrepareBatch { live },
                        Refusal::Popup("The batch cannot be prepared"),
                    ),
                };
            }
            _ => {}
        }
        None
    }

    /// The run's prepared batch dry-run on a fork, in the background (the same call as
    /// `run next` at a simulate step).
    pub(super) fn simulate(&mut self, ctx: &mut Ctx) -> Option<Task> {
        if ctx.shared.busy.is_some() {
            ctx.shared
                .say(Status::warning("wait: something is still running"));
            return None;
        }
        self.act(
            ctx,
            Act::Simulate { import: None },
            Refusal::Popup("The batch cannot be simulated"),
        )
    }

    /// Prepares `act` on the current step for the background; says why when it cannot start.
    pub(super) fn act(&mut self, ctx: &mut Ctx, act: Act, refusal: Refusal) -> Option<Task> {
        match steps::prepare(ctx.session, &self.run, act) {
            Ok(prepared) => Some(Task::Step {
                run: self.run.id.clone(),
                prepared: Box::new(prepared),
            }),
            Err(error) => {
                match refusal {
                    Refusal::Status => ctx.shared.say(Status::warning(error.to_string())),
                    Refusal::Popup(title) => ctx.shared.error(title, error.to_string()),
                }
                None
            }
        }
    }

    /// A command step asks for its typed word first, showing the command it will run.
    fn ask_command(&mut self, ctx: &mut Ctx) {
        match steps::command::prepare(ctx.session, &self.run) {
            Ok(prepared) => {
                let detail = vec![
                    "This runs on this machine:".into(),
                    format!("$ {}", prepared.command()),
                ];
                let word = self.confirm_word("run");
                ctx.shared.push(Popup::confirm(
                    "Run the command?",
                    detail,
                    &word,
                    Pending::Execute,
                ));
            }
            Err(error) => ctx.shared.say(Status::warning(error.to_string())),
        }
    }

    /// A command the runbook only shows is not run here: a popup says so and offers to copy
    /// it as shown (sanitized).
    fn show_command(&self, ctx: &mut Ctx) {
        match crate::steps::command::rendered_command(&self.run) {
            Some(Ok(command)) => ctx.shared.push(Popup::ShownCommand {
                command: crate::sanitize::for_terminal(command.trim()).into_owned(),
            }),
            Some(Err(error)) => ctx.shared.say(Status::warning(error.to_string())),
            None => {}
        }
    }

    /// A drill's chaos step asks for its typed word first; it needs no live reading (the
    /// node may be the one that is down).
    fn ask_chaos(&mut self, ctx: &mut Ctx, fault: &str) {
        match steps::chaos::prepare(ctx.session, &self.run) {
            Ok(prepared) => {
                let detail = vec![
                    format!("This injects `{fault}` for real:"),
                    prepared.describe(),
                ];
                let word = self.confirm_word("chaos");
                ctx.shared.push(Popup::confirm(
                    "Inject the fault?",
                    detail,
                    &word,
                    Pending::Chaos,
                ));
            }
            Err(error) => ctx.shared.error("No chaos here", error.to_string()),
        }
    }

    /// The word the operator types to confirm the current step: its own `confirm`, else
    /// `default`.
    fn confirm_word(&self, default: &str) -> String {
        self.run
            .current_step()
            .and_then(|s| s.confirm.clone())
            .unwrap_or_else(|| default.to_owned())
    }

    /// The change under the cursor of the diff step, in full, in a popup.
    pub(super) fn open_change(&self, shared: &mut Shared) {
        let kind = self.step_kind();
        let key = |action| shared.keymap.key_for(Context::Run, kind, action);
        let (complete, execute) = (key(Action::Complete), key(Action::Execute));
        let status = match &self.diff {
            Some((diff, _)) if self.cursor < diff.changes.len() => {
                shared.push(Popup::Change {
                    index: self.cursor,
                    scroll: 0,
                });
                return;
            }
            Some(_) => format!("no change to show; {complete} completes the step"),
            None => format!("{execute} computes the diff first; {complete} completes the step"),
        };
        shared.say(Status::info(status));
    }

    pub(super) fn sign_off(&mut self, ctx: &mut Ctx) {
        let Some(address) = ctx.session.key().map(|k| k.address().to_checksum(None)) else {
            ctx.shared
                .say(Status::warning("read-only: no operator key is unlocked"));
            return;
        };
        let Some(operator) = ctx.session.operators.by_address(&address).cloned() else {
            ctx.shared.say(Status::warning(format!(
                "{address} is not in config/operators.toml, so it holds no role"
            )));
            return;
        };
        let approver = Approver {
            address: &address,
            name: &operator.name,
            roles: &operator.roles,
        };
        if let Err(error) = crate::steps::batch::check_prepared(ctx.session, &self.run) {
            return ctx.shared.say(Status::warning(format!("⚠ {error}")));
        }
        let Some(key) = ctx.session.key() else {
            return;
        };
        let signed = self
            .run
            .sign_off(&approver, None)
            .map_err(|e| e.to_string())
            .and_then(|signoff| {
                crate::safe::approval::signed_off(&self.run, signoff, key)
                    .map_err(|e| e.to_string())
            });
        match signed {
            Ok(signoff) => self.record(ctx, vec![Event::Signoff(signoff)]),
            Err(error) => ctx.shared.say(Status::warning(format!("⚠ {error}"))),
        }
    }
}
