//! The app's background work: the tasks it starts besides the step actions (the ledger's
//! verification, the full replay of the run list, the fresh load of the runbooks) and what it
//! does when any task ends.

use super::{App, Verification};
use crate::session::run_index::IndexFile;
use crate::steps::Done;
use crate::tui::shared::Ctx;
use crate::tui::status::Status;
use crate::tui::task::{FreshRunbooks, Task, TaskDone};

impl App {
    /// A background task ended: record a step action's outcome against its run, or take in
    /// what a check found.
    pub fn on_task_done(&mut self, done: TaskDone) {
        match done {
            TaskDone::Verified { seen, result } => {
                self.verified_seen = seen;
                self.reverifying = false;
                self.verification = match result {
                    Ok(report) => Verification::of(&report),
                    Err(error) => Verification::Failed(error),
                };
            }
            TaskDone::RunsListed(Ok(replayed)) => {
                let said = self.run_list.check(&self.session, replayed);
                self.runs_changed(said);
            }
            TaskDone::RunsListed(Err(error)) => self
                .shared
                .say(Status::warning(format!("cannot read the journal: {error}"))),
            TaskDone::RunbooksLoaded(Ok(fresh)) => self.check_runbooks(fresh),
            TaskDone::RunbooksLoaded(Err(error)) => self.shared.say(Status::warning(format!(
                "cannot read the runbooks: {error}"
            ))),
            TaskDone::Unlocked(Ok(key)) => self.session.unlock(key),
            TaskDone::Unlocked(Err(error)) => {
                let why = format!("{error}\nThe console stays read-only: nothing can be recorded.");
                self.shared.error("The operator key is not unlocked", why);
            }
            TaskDone::Refreshed { network, result } => self.network.refreshed(&network, result),
            TaskDone::Action { run, result } => self.step_done(&run, result),
        }
    }

    /// A step action ended: recorded against its run, open or not.
    fn step_done(&mut self, run: &str, result: Result<Done, String>) {
        self.shared.busy = None;
        self.network.refresh_soon();
        let mut ctx = Ctx {
            session: &mut self.session,
            shared: &mut self.shared,
            entries: &mut self.run_list.entries,
            live: self.network.live.as_ref(),
        };
        match (self.run.as_mut().filter(|s| s.run.id == run), result) {
            (Some(screen), result) => screen.on_step_done(&mut ctx, result),
            (None, Ok(done)) => match ctx.session.open_run(run) {
                Ok(mut run) => {
                    if let Err(error) = ctx.session.record(&mut run, vec![done.event]) {
                        ctx.shared.error("Not recorded", error.to_string());
                    }
                }
                Err(error) => ctx.shared.error("Not recorded", error.to_string()),
            },
            (None, Err(error)) => ctx.shared.error("The action failed", error),
        }
    }

    /// Reads the run list through the run index (which it keeps up to date).
    pub fn refresh_runs(&mut self) {
        self.start_runs_from(IndexFile::read(&self.session.ledger()));
        self.complete_run_list();
    }

    /// The start screen's run list: the unfinished runs and the count of all entries, the
    /// closed runs left for [`Self::complete_run_list`].
    pub(super) fn start_runs_from(&mut self, index_file: IndexFile) {
        let said = self.run_list.start_from(&self.session, index_file);
        if let Some(said) = said {
            self.shared.say(said);
        }
        self.home
            .rebuild(&self.run_list.runs, &self.session.runbooks);
    }

    /// Puts the closed runs that the start screen left unread into the run list (right after
    /// the first frame, before any key); when the index's text of them does not read, the
    /// list is replayed from the ledger and the index rebuilt.
    pub fn complete_run_list(&mut self) {
        let said = self.run_list.complete(&self.session);
        self.runs_changed(said);
    }

    /// The run list was replayed when there is something to say about it: the start screen
    /// shows the new list, and the status line says why.
    fn runs_changed(&mut self, said: Option<Status>) {
        if let Some(said) = said {
            self.home
                .rebuild(&self.run_list.runs, &self.session.runbooks);
            self.shared.say(said);
        }
    }

    /// The runbooks loaded afresh came back: what the runbook cache gave is put right where
    /// it differs.
    fn check_runbooks(&mut self, fresh: FreshRunbooks) {
        if !self.session.reconcile(&fresh.files, fresh.loaded) {
            return;
        }
        tracing::warn!("the runbook cache disagreed with the runbook files; reloaded from them");
        self.home
            .rebuild(&self.run_list.runs, &self.session.runbooks);
        self.shared.say(Status::warning(
            "the runbook cache did not match the files: the runbooks are now loaded from them",
        ));
    }

    /// The background task that loads the runbooks afresh, when some came from the cache.
    pub fn load_runbooks_task(&self) -> Option<Task> {
        self.session
            .runbooks_from_cache
            .then(|| Task::LoadRunbooks(self.session.workspace.clone()))
    }

    /// The background task that verifies the whole ledger.
    pub fn verify_task(&self) -> Task {
        let ledger = self.session.ledger();
        Task::Verify {
            ledger: ledger.path().to_path_buf(),
            checkpoint: ledger.checkpoint_path(),
            operators: self.session.operators.clone(),
            seen: self.run_list.entries,
        }
    }

    /// The ledger verified again when entries were recorded since the shown verification
    /// began (and none is under way), so that what the status bar says comes to cover them.
    pub fn verify_if_stale(&mut self) -> Option<Task> {
        if self.reverifying
            || self.verification == Verification::Pending
            || self.run_list.entries == self.verified_seen
        {
            return None;
        }
        self.reverifying = true;
        Some(self.verify_task())
    }

    /// The background task that lists the runs from a full replay, to check the run index.
    pub fn list_runs_task(&self) -> Task {
        Task::ListRuns {
            ledger: self.session.ledger().path().to_path_buf(),
            lister: self.session.lister(),
        }
    }
}
