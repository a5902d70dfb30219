//! The start screen's run list: read through the run index, then checked against a full
//! replay in the background, beside the ledger's verification.

use super::app::App;
use super::task::{FreshRunbooks, Task};
use crate::session::run_index::{self, IndexFile, IndexedRuns};

impl App {
    /// Reads the run list through the run index (which it keeps up to date).
    pub fn refresh_runs(&mut self) {
        self.start_runs_from(IndexFile::read(&self.session.ledger()));
        self.complete_run_list();
    }

    /// The start screen's run list: the unfinished runs and the count of all entries, the
    /// closed runs left for [`Self::complete_run_list`].
    pub(super) fn start_runs_from(&mut self, index_file: IndexFile) {
        match self.session.runs_for_start(index_file) {
            Ok(start) => {
                self.show_runs(start.listed);
                self.entries = start.entries;
                self.closed_runs = Some(start.closed);
            }
            Err(error) => self.status = Some((format!("cannot read the journal: {error}"), true)),
        }
        self.home.rebuild(&self.runs, &self.session.runbooks);
    }

    /// Puts the closed runs that the start screen left unread into the run list (right after
    /// the first frame, before any key); when the index's text of them does not read, the
    /// list is replayed from the ledger and the index rebuilt.
    pub fn complete_run_list(&mut self) {
        let Some(closed) = self.closed_runs.take() else {
            return;
        };
        match closed.parse() {
            Ok(closed) => {
                self.runs.extend(closed);
                self.entries = self.runs.iter().map(|r| r.entries).sum();
                return;
            }
            Err(why) => tracing::warn!("{why}; the run list is replayed from the ledger"),
        }
        let replayed = run_index::rebuild(&self.session.ledger(), &self.session.lister());
        self.status = Some(match replayed {
            Ok(listed) => {
                self.show_runs(listed);
                let said = "the run index's closed runs did not read: the run list is now replayed from the ledger";
                (said.to_owned(), true)
            }
            Err(error) => (format!("cannot read the journal: {error}"), true),
        });
        self.home.rebuild(&self.runs, &self.session.runbooks);
    }

    pub(super) fn show_runs(&mut self, listed: IndexedRuns) {
        self.closed_runs = None;
        self.entries = listed.runs.iter().map(|r| r.entries).sum();
        self.runs = listed.runs;
        self.damage = listed.damage;
        self.listed_bytes = listed.ledger_bytes;
    }

    /// A full replay came back: when the ledger has not moved since the list was read and the
    /// two differ, the run index lied; the replay's list is shown and the index rebuilt.
    pub(super) fn check_runs(&mut self, replayed: IndexedRuns) {
        let same = replayed.runs == self.runs && replayed.damage == self.damage;
        if replayed.ledger_bytes != self.listed_bytes || same {
            return;
        }
        tracing::warn!("the run index disagreed with a full replay of the ledger; rebuilt");
        self.show_runs(replayed);
        self.home.rebuild(&self.runs, &self.session.runbooks);
        if let Err(error) = run_index::rebuild(&self.session.ledger(), &self.session.lister()) {
            tracing::warn!("the run index is not rebuilt: {error}");
        }
        self.status = Some((
            "the run index did not match the ledger: the run list is now replayed from the ledger"
                .to_owned(),
            true,
        ));
    }

    /// The runbooks loaded afresh came back: what the runbook cache gave is put right where
    /// it differs.
    pub(super) fn check_runbooks(&mut self, fresh: FreshRunbooks) {
        if !self.session.reconcile(&fresh.files, fresh.loaded) {
            return;
        }
        tracing::warn!("the runbook cache disagreed with the runbook files; reloaded from them");
        self.home.rebuild(&self.runs, &self.session.runbooks);
        self.status = Some((
            "the runbook cache did not match the files: the runbooks are now loaded from them"
                .to_owned(),
            true,
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
        }
    }

    /// The background task that lists the runs from a full replay, to check the run index.
    pub fn list_runs_task(&self) -> Task {
        Task::ListRuns {
            ledger: self.session.ledger().path().to_path_buf(),
            lister: self.session.lister(),
        }
    }
}
