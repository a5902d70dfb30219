//! What the keys of the run view do to the current step: each transition goes through the
//! engine and is recorded before the screen moves; irreversible ones ask for a typed word.

use super::action::Action;
use super::app::App;
use super::popup::{Pending, Popup, Purpose};
use super::task::Task;
use crate::engine::signoff::Approver;
use crate::engine::{EngineError, Event, Run};
use crate::runbook::{CommandRun, StepAction};
use crate::steps::{self, Act};
use std::path::PathBuf;

/// How the console says that a step action cannot even start.
#[derive(Clone, Copy)]
pub(super) enum Refusal {
    Status,
    Popup(&'static str),
}

impl App {
    pub(super) fn run_action(&mut self, action: Action) -> Option<Task> {
        let screen = self.run.as_ref()?;
        let run = &screen.run;
        let step = run.current_step()?.clone();
        match action {
            Action::Toggle => match run.toggle_item(screen.cursor) {
                Ok(event) => self.record(vec![event]),
                Err(error) => self.status = Some((error.to_string(), true)),
            },
            Action::Complete => {
                if let StepAction::Decision { options, .. } = &step.action {
                    let label = options.get(screen.cursor)?.label.clone();
                    match &step.confirm {
                        Some(word) => self.popups.push(Popup::confirm(
                            &step.title,
                            vec![format!("Choose `{label}`: this cannot be undone.")],
                            word,
                            Pending::Choose(label),
                        )),
                        None => self.engine(|run| run.choose(&label, None)),
                    }
                } else if let Some(blocker) = run.completion_blocker() {
                    self.status = Some((format!("⚠ not yet: {blocker}"), true));
                } else if let Some(word) = &step.confirm {
                    self.popups.push(Popup::confirm(
                        &step.title,
                        vec!["This step is irreversible.".into()],
                        word,
                        Pending::Complete,
                    ));
                } else {
                    self.engine(|run| run.complete(None));
                }
            }
            Action::Skip => {
                if step.skippable {
                    self.popups.push(Popup::prompt(
                        &format!("Skip “{}”", step.title),
                        "Why is this step skipped? Enter to record · Esc to cancel",
                        Purpose::SkipReason,
                        "",
                    ));
                } else {
                    self.status = Some((format!("step `{}` may not be skipped", step.id), true));
                }
            }
            Action::Note if matches!(step.action, StepAction::Note { .. }) => {
                self.open_note_editor();
            }
            Action::Attach if matches!(step.action, StepAction::Evidence { .. }) => {
                self.popups.push(Popup::prompt(
                    "Attach a file",
                    "Path of a file inside the workspace · Enter to attach · Esc to cancel",
                    Purpose::AttachPath,
                    "",
                ));
            }
            Action::Open => self.open_change(),
            Action::Execute => return self.execute(&step.action),
            Action::Signoff => self.sign_off(),
            Action::Abort => {
                self.popups.push(Popup::prompt(
                    "Abort this run",
                    "Why is the run aborted? Enter to continue · Esc to cancel",
                    Purpose::AbortReason,
                    "",
                ));
            }
            _ => {}
        }
        None
    }

    fn execute(&mut self, action: &StepAction) -> Option<Task> {
        if self.busy.is_some() {
            self.status = Some(("wait: something is still running".into(), true));
            return None;
        }
        match action {
            StepAction::Chaos { fault } => self.ask_chaos(fault.name()),
            StepAction::Command {
                run: CommandRun::Confirm,
                ..
            } => self.ask_command(),
            StepAction::Command { .. } => {
                self.status = Some((
                    "this command is shown only: run it yourself, then press Enter".into(),
                    true,
                ))
            }
            StepAction::HttpCheck { .. } => return self.act(Act::CheckHttp, Refusal::Status),
            StepAction::ChainCheck { .. } => return self.check_chain(),
            StepAction::Receipt { .. } => self.ask_receipt(),
            StepAction::SafeBatch { .. } | StepAction::Diff { .. } if self.stale_gate() => {}
            StepAction::SafeBatch { .. } | StepAction::Diff { .. } => {
                let live = match self.fresh_live_state() {
                    Ok(live) => live,
                    Err(error) => {
                        self.status = Some((error, true));
                        return None;
                    }
                };
                return match action {
                    StepAction::Diff { .. } => self.act(
                        Act::ComputeDiff { live },
                        Refusal::Popup("The diff cannot be computed"),
                    ),
                    _ => self.act(
                        Act::PrepareBatch { live },
                        Refusal::Popup("The batch cannot be prepared"),
                    ),
                };
            }
            _ => {}
        }
        None
    }

    /// Prepares `act` on the current step and hands it to the background; says why when it
    /// cannot start.
    pub(super) fn act(&mut self, act: Act, refusal: Refusal) -> Option<Task> {
        let screen = self.run.as_ref()?;
        match steps::prepare(&self.session, &screen.run, act) {
            Ok(prepared) => {
                let run = screen.run.id.clone();
                self.spawn(Task::Step {
                    run,
                    prepared: Box::new(prepared),
                })
            }
            Err(error) => {
                match refusal {
                    Refusal::Status => self.status = Some((error.to_string(), true)),
                    Refusal::Popup(title) => {
                        self.popups.push(Popup::error(title, error.to_string()))
                    }
                }
                None
            }
        }
    }

    /// A command step asks for its typed word first, showing the command it will run.
    fn ask_command(&mut self) {
        let Some(screen) = self.run.as_ref() else {
            return;
        };
        match steps::command::prepare(&self.session, &screen.run) {
            Ok(prepared) => {
                let detail = vec![
                    "This runs on this machine:".into(),
                    format!("$ {}", prepared.command()),
                ];
                let word = confirm_word(&screen.run, "run");
                self.popups.push(Popup::confirm(
                    "Run the command?",
                    detail,
                    &word,
                    Pending::Execute,
                ));
            }
            Err(error) => self.status = Some((error.to_string(), true)),
        }
    }

    /// A drill's chaos step asks for its typed word first; it needs no live reading (the
    /// node may be the one that is down).
    fn ask_chaos(&mut self, fault: &str) {
        let Some(screen) = self.run.as_ref() else {
            return;
        };
        match steps::chaos::prepare(&self.session, &screen.run) {
            Ok(prepared) => {
                let detail = vec![
                    format!("This injects `{fault}` for real:"),
                    prepared.describe(),
                ];
                let word = confirm_word(&screen.run, "chaos");
                self.popups.push(Popup::confirm(
                    "Inject the fault?",
                    detail,
                    &word,
                    Pending::Chaos,
                ));
            }
            Err(error) => self
                .popups
                .push(Popup::error("No chaos here", error.to_string())),
        }
    }

    /// The change under the cursor of the diff step, in full, in a popup.
    fn open_change(&mut self) {
        let kind = self.current_step_kind();
        let key = |action| {
            self.keymap
                .key_for(super::keymap::Context::Run, kind, action)
        };
        let (complete, execute) = (key(Action::Complete), key(Action::Execute));
        let Some(screen) = self.run.as_ref() else {
            return;
        };
        let status = match &screen.diff {
            Some((diff, _)) if screen.cursor < diff.changes.len() => {
                self.popups.push(Popup::Change {
                    index: screen.cursor,
                    scroll: 0,
                });
                return;
            }
            Some(_) => format!("no change to show; {complete} completes the step"),
            None => format!("{execute} computes the diff first; {complete} completes the step"),
        };
        self.status = Some((status, false));
    }

    fn sign_off(&mut self) {
        let Some(address) = self.session.key().map(|k| k.address().to_checksum(None)) else {
            self.status = Some(("read-only: no operator key is unlocked".into(), true));
            return;
        };
        let Some(operator) = self.session.operators.by_address(&address).cloned() else {
            self.status = Some((
                format!("{address} is not in config/operators.toml, so it holds no role"),
                true,
            ));
            return;
        };
        let approver = Approver {
            address: &address,
            name: &operator.name,
            roles: &operator.roles,
        };
        match self.run.as_ref().map(|s| s.run.sign_off(&approver, None)) {
            Some(Ok(signoff)) => self.record(vec![Event::Signoff(signoff)]),
            Some(Err(error)) => self.status = Some((format!("⚠ {error}"), true)),
            None => {}
        }
    }

    pub(super) fn spawn(&mut self, task: Task) -> Option<Task> {
        if task.is_step_action() {
            self.busy = Some(task.describe());
        }
        Some(task)
    }

    fn engine(&mut self, transition: impl FnOnce(&Run) -> Result<Vec<Event>, EngineError>) {
        let Some(screen) = self.run.as_ref() else {
            return;
        };
        match transition(&screen.run) {
            Ok(events) => self.record(events),
            Err(error) => self.status = Some((format!("⚠ {error}"), true)),
        }
    }

    pub(super) fn on_submit(&mut self, purpose: Purpose, text: String) -> Option<Task> {
        match purpose {
            Purpose::Filter => {}
            Purpose::SkipReason => self.engine(|run| run.skip(&text)),
            Purpose::Note => {
                let screen = self.run.as_ref()?;
                let step = screen.run.current_step().map(|s| s.id.clone());
                let run = screen.run.id.clone();
                match screen.run.note(&text) {
                    Ok(event) => {
                        if self.recorded(vec![event])
                            && let Some(step) = step
                        {
                            self.drop_draft(&run, &step);
                        }
                    }
                    Err(error) => self.status = Some((error.to_string(), true)),
                }
            }
            Purpose::AttachPath => {
                let file = PathBuf::from(text.trim());
                return self.act(Act::Attach(file), Refusal::Popup("Not attached"));
            }
            Purpose::AbortReason if !text.trim().is_empty() => {
                let detail = vec![
                    format!("Reason: {text}"),
                    "The run ends here; it stays in the journal.".into(),
                ];
                self.popups.push(Popup::confirm(
                    "Abort the run?",
                    detail,
                    "abort",
                    Pending::Abort(text),
                ));
            }
            Purpose::AbortReason => self.status = Some(("an abort needs a reason".into(), true)),
            Purpose::ReceiptSource => return self.check_receipt(&text),
            Purpose::StaleReason => self.acknowledge_stale(&text),
        }
        None
    }

    pub(super) fn on_confirmed(&mut self, pending: Pending, typed: String) -> Option<Task> {
        match pending {
            Pending::Complete => self.engine(|run| run.complete(Some(&typed))),
            Pending::Choose(label) => self.engine(|run| run.choose(&label, Some(&typed))),
            Pending::Abort(reason) => self.engine(|run| run.abort(&reason).map(|e| vec![e])),
            Pending::QuitWhileBusy => self.quit = true,
            Pending::Chaos => return self.act(Act::InjectChaos, Refusal::Status),
            Pending::Execute => return self.act(Act::RunCommand, Refusal::Status),
        }
        None
    }
}

/// The word the operator types to confirm the current step: its own `confirm`, else `default`.
fn confirm_word(run: &crate::engine::Run, default: &str) -> String {
    run.current_step()
        .and_then(|s| s.confirm.clone())
        .unwrap_or_else(|| default.to_owned())
}
