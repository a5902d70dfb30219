//! The start screen's run list: read through the run index, then checked against a full
//! replay in the background, beside the ledger's verification.

use super::status::Status;
use crate::ledger::store::Damage;
use crate::session::run_index::{self, ClosedRuns, IndexFile, IndexedRuns};
use crate::session::{RunSummary, Session};

#[derive(Default)]
pub struct RunList {
    pub runs: Vec<RunSummary>,
    pub damage: Vec<Damage>,
    /// The ledger's entry count, for the status bar.
    pub entries: usize,
    /// The closed runs, not in `runs` until read after the first frame.
    closed: Option<ClosedRuns>,
    /// The ledger's length when the run list was read.
    listed_bytes: u64,
}

impl RunList {
    /// The unfinished runs and the count of all entries, the closed runs left for
    /// [`Self::complete`].
    pub fn start_from(&mut self, session: &Session, index_file: IndexFile) -> Option<Status> {
        match session.runs_for_start(index_file) {
            Ok(start) => {
                self.show(start.listed);
                self.entries = start.entries;
                self.closed = Some(start.closed);
                None
            }
            Err(error) => Some(Status::warning(format!("cannot read the journal: {error}"))),
        }
    }

    /// Puts the closed runs left unread into the list (right after the first frame, before
    /// any key); when the index's text of them does not read, the list is replayed from the
    /// ledger and the index rebuilt, and what is said about it returned.
    pub fn complete(&mut self, session: &Session) -> Option<Status> {
        let closed = self.closed.take()?;
        match closed.parse() {
            Ok(closed) => {
                self.runs.extend(closed);
                self.entries = self.runs.iter().map(|r| r.entries).sum();
                return None;
            }
            Err(why) => tracing::warn!("{why}; the run list is replayed from the ledger"),
        }
        Some(
            match run_index::rebuild(&session.ledger(), &session.lister()) {
                Ok(listed) => {
                    self.show(listed);
                    Status::warning(
                        "the run index's closed runs did not read: the run list is now replayed from the ledger",
                    )
                }
                Err(error) => Status::warning(format!("cannot read the journal: {error}")),
            },
        )
    }

    fn show(&mut self, listed: IndexedRuns) {
        self.closed = None;
        self.entries = listed.runs.iter().map(|r| r.entries).sum();
        self.runs = listed.runs;
        self.damage = listed.damage;
        self.listed_bytes = listed.ledger_bytes;
    }

    /// A full replay came back: when the ledger has not moved since the list was read and the
    /// two differ, the run index lied; the replay's list is taken, the index rebuilt, and
    /// what is said about it returned.
    pub fn check(&mut self, session: &Session, replayed: IndexedRuns) -> Option<Status> {
        let same = replayed.runs == self.runs && replayed.damage == self.damage;
        if replayed.ledger_bytes != self.listed_bytes || same {
            return None;
        }
        tracing::warn!("the run index disagreed with a full replay of the ledger; rebuilt");
        self.show(replayed);
        if let Err(error) = run_index::rebuild(&session.ledger(), &session.lister()) {
            tracing::warn!("the run index is not rebuilt: {error}");
        }
        Some(Status::warning(
            "the run index did not match the ledger: the run list is now replayed from the ledger",
        ))
    }
}
