//! The run list: every run in the ledger, summarised by replaying its entries against the
//! workspace's runbooks. Owns its runbooks (shared), so that a background task can list the
//! runs as well as the session.

use super::error::SessionError;
use crate::engine::{Event, Mode, Position, Run};
use crate::ledger::Entry;
use crate::runbook::Runbook;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A run as listed on the start screen and by `run list`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RunSummary {
    pub id: String,
    pub runbook: String,
    pub title: String,
    pub network: String,
    pub operator: String,
    pub mode: Mode,
    pub started_at: String,
    pub last_time: String,
    pub entries: usize,
    /// `unfinished`, `completed` or `aborted`.
    #[serde(deserialize_with = "status_name")]
    pub status: Cow<'static, str>,
    pub current_step: Option<String>,
    /// Why the run cannot be resumed as it stands, if it cannot.
    pub problem: Option<String>,
}

pub const UNFINISHED: &str = "unfinished";
const STATUSES: [&str; 3] = [UNFINISHED, "completed", "aborted"];

fn status_name<'de, D: serde::Deserializer<'de>>(from: D) -> Result<Cow<'static, str>, D::Error> {
    let name: String = serde::Deserialize::deserialize(from)?;
    STATUSES
        .into_iter()
        .find(|known| *known == name)
        .map(Cow::Borrowed)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown run status `{name}`")))
}

#[derive(Debug, Clone)]
pub struct RunLister {
    runbooks: Vec<Arc<Runbook>>,
}

impl RunLister {
    pub fn new(runbooks: Vec<Arc<Runbook>>) -> Self {
        Self { runbooks }
    }

    /// Each runbook's id and the SHA-256 of its file: a summary holds only while these do.
    pub fn fingerprint(&self) -> BTreeMap<String, String> {
        self.runbooks
            .iter()
            .map(|book| (book.id.clone(), book.sha256.clone()))
            .collect()
    }

    /// Every run of `entries`, unfinished first, newest first within each group.
    pub fn list(&self, entries: Vec<Entry>) -> Vec<RunSummary> {
        let mut by_run: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for entry in entries {
            by_run.entry(entry.run.clone()).or_default().push(entry);
        }
        let mut summaries: Vec<RunSummary> = by_run
            .into_iter()
            .filter_map(|(id, entries)| self.summarize(id, &entries))
            .collect();
        sort(&mut summaries);
        summaries
    }

    /// One run's summary from all of its entries, in order; None when they do not start with
    /// `run-started` (the ledger's own entries).
    pub fn summarize(&self, id: String, entries: &[Entry]) -> Option<RunSummary> {
        let Event::RunStarted(started) = &entries.first()?.event else {
            return None;
        };
        let replayed = self.replay(&id, entries);
        let (status, current_step, problem) = match &replayed {
            Ok(run) => match &run.position {
                Position::At(step) => (UNFINISHED, Some(step.clone()), None),
                Position::Completed => ("completed", None, None),
                Position::Aborted(_) => ("aborted", None, None),
            },
            Err(error) => {
                let closed = entries.iter().rev().find_map(|e| match e.event {
                    Event::RunCompleted {} => Some("completed"),
                    Event::RunAborted { .. } => Some("aborted"),
                    _ => None,
                });
                (closed.unwrap_or(UNFINISHED), None, Some(error.to_string()))
            }
        };
        Some(RunSummary {
            id,
            runbook: started.runbook.clone(),
            title: started.title.clone(),
            network: started.network.clone(),
            operator: started.operator.clone(),
            mode: started.mode,
            started_at: entries[0].time.clone(),
            last_time: entries.last().map(|e| e.time.clone()).unwrap_or_default(),
            entries: entries.len(),
            status: Cow::Borrowed(status),
            current_step,
            problem,
        })
    }

    pub fn replay(&self, id: &str, entries: &[Entry]) -> Result<Run, SessionError> {
        let Some(Entry {
            event: Event::RunStarted(started),
            ..
        }) = entries.first()
        else {
            return Err(SessionError::UnknownRun(id.to_owned()));
        };
        let book = find_runbook(&self.runbooks, &started.runbook).map_err(|_| {
            SessionError::RunbookGone {
                run: id.to_owned(),
                runbook: started.runbook.clone(),
            }
        })?;
        if book.sha256 != started.sha256 {
            return Err(SessionError::RunbookChanged {
                run: id.to_owned(),
                path: started.path.clone(),
                was: short(&started.sha256),
                now: short(&book.sha256),
            });
        }
        Ok(Run::replay(book, entries)?)
    }
}

/// A runbook by id, or by its path in the workspace.
pub fn find_runbook(runbooks: &[Arc<Runbook>], name: &str) -> Result<Arc<Runbook>, SessionError> {
    let name = name.trim_end_matches(".toml");
    runbooks
        .iter()
        .find(|book| book.id == name || book.path.with_extension("") == std::path::Path::new(name))
        .cloned()
        .ok_or_else(|| SessionError::UnknownRunbook(name.to_owned()))
}

/// Unfinished first, newest first within each group.
pub fn sort(summaries: &mut [RunSummary]) {
    summaries.sort_by(|a, b| {
        (a.status != UNFINISHED)
            .cmp(&(b.status != UNFINISHED))
            .then(b.last_time.cmp(&a.last_time))
            .then(a.id.cmp(&b.id))
    });
}

fn short(sha256: &str) -> String {
    sha256.chars().take(12).collect()
}
