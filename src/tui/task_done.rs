//! What the console does when a background task ends.

use super::app::{App, Verification};
use super::popup::Popup;
use super::task::TaskDone;
use std::time::Instant;

impl App {
    /// A background task ended: record a step action's outcome against its run, or take in
    /// the verification.
    pub fn on_task_done(&mut self, done: TaskDone) {
        let (run, result) = match done {
            TaskDone::Verified(Ok(report)) => {
                self.verification = match report.first() {
                    None => Verification::Passed,
                    Some(finding) => Verification::Failed(finding.to_string()),
                };
                return;
            }
            TaskDone::Verified(Err(error)) => {
                self.verification = Verification::Failed(error);
                return;
            }
            TaskDone::RunsListed(Ok(replayed)) => return self.check_runs(replayed),
            TaskDone::RunsListed(Err(error)) => {
                self.status = Some((format!("cannot read the journal: {error}"), true));
                return;
            }
            TaskDone::RunbooksLoaded(Ok(fresh)) => return self.check_runbooks(fresh),
            TaskDone::RunbooksLoaded(Err(error)) => {
                self.status = Some((format!("cannot read the runbooks: {error}"), true));
                return;
            }
            TaskDone::Unlocked(Ok(key)) => return self.session.unlock(key),
            TaskDone::Unlocked(Err(error)) => {
                let why = format!("{error}\nThe console stays read-only: nothing can be recorded.");
                self.popups
                    .push(Popup::error("The operator key is not unlocked", why));
                return;
            }
            TaskDone::Refreshed { network, result } => {
                if let Some(live) = self.live.as_mut().filter(|l| l.network() == network) {
                    live.on_result(result, std::time::Instant::now());
                }
                return;
            }
            TaskDone::Action { run, result } => (run, result),
        };
        self.busy = None;
        if let Some(live) = self.live.as_mut() {
            live.refresh_soon(Instant::now());
        }
        let is_current = self.run.as_ref().is_some_and(|s| s.run.id == run);
        match (result, is_current) {
            (Ok(done), true) => {
                if let (Some(diff), Some(screen)) = (done.diff, self.run.as_mut()) {
                    screen.diff = Some(diff);
                    screen.cursor = 0;
                }
                self.record(vec![done.event]);
            }
            (Ok(done), false) => match self.session.open_run(&run) {
                Ok(mut run) => {
                    if let Err(error) = self.session.record(&mut run, vec![done.event]) {
                        self.popups
                            .push(Popup::error("Not recorded", error.to_string()));
                    }
                }
                Err(error) => self
                    .popups
                    .push(Popup::error("Not recorded", error.to_string())),
            },
            (Err(error), _) => self.popups.push(Popup::error("The action failed", error)),
        }
    }
}
