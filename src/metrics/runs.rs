//! What the metrics need of each run, read straight from its ledger entries (no replay, so a
//! run whose runbook changed or is gone still counts).

use super::rollback::mentions_rollback;
use crate::engine::{Event, Mode};
use crate::ledger::Entry;
use crate::runbook::{Runbook, RunbookKind, StepAction};
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Completed(Timestamp),
    Aborted(Timestamp),
    Unfinished,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFacts {
    pub id: String,
    pub runbook: String,
    /// The title the run started with.
    pub title: String,
    /// The runbook's kind, when the workspace still has it.
    pub kind: Option<RunbookKind>,
    pub mode: Mode,
    pub started: Timestamp,
    pub outcome: Outcome,
    /// Seconds spent at sign-off steps, when the run completed at least one.
    pub signoff_wait_secs: Option<u64>,
    /// A decision chose a rollback option.
    pub chose_rollback: bool,
}

impl RunFacts {
    pub fn is_drill(&self) -> bool {
        self.mode == Mode::Drill || self.kind == Some(RunbookKind::Drill)
    }

    pub fn is_emergency(&self) -> bool {
        self.kind == Some(RunbookKind::Emergency) && !self.is_drill()
    }

    pub fn is_rollback(&self) -> bool {
        (self.kind == Some(RunbookKind::Restore) || self.chose_rollback) && !self.is_drill()
    }

    pub fn completed_at(&self) -> Option<Timestamp> {
        match self.outcome {
            Outcome::Completed(at) => Some(at),
            _ => None,
        }
    }

    /// Time to execute, for a completed run.
    pub fn execute_secs(&self) -> Option<u64> {
        self.completed_at()
            .map(|end| secs_between(self.started, end))
    }
}

fn secs_between(from: Timestamp, to: Timestamp) -> u64 {
    u64::try_from(to.as_second() - from.as_second()).unwrap_or(0)
}

/// Every run of the ledger, oldest first, and why any entries were left out.
pub fn collect(entries: &[Entry], runbooks: &[Arc<Runbook>]) -> (Vec<RunFacts>, Vec<String>) {
    let mut by_run: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for entry in entries {
        by_run.entry(entry.run.as_str()).or_default().push(entry);
    }
    let mut facts = Vec::new();
    let mut problems = Vec::new();
    for (run, entries) in by_run {
        match run_facts(run, &entries, runbooks) {
            Ok(Some(run)) => facts.push(run),
            Ok(None) => {}
            Err(problem) => problems.push(problem.to_string()),
        }
    }
    facts.sort_by(|a, b| a.started.cmp(&b.started).then(a.id.cmp(&b.id)));
    (facts, problems)
}

/// Why a run is left out of the metrics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum LeftOut {
    #[error("run {run}: entry {seq} has time `{time}`, not an RFC 3339 time; the run is left out")]
    BadTime { run: String, seq: u64, time: String },
    #[error("run {run}: its first entry ({seq}) is not run-started; the run is left out")]
    NotStarted { run: String, seq: u64 },
}

fn time_of(entry: &Entry) -> Result<Timestamp, LeftOut> {
    entry.time.parse().map_err(|_| LeftOut::BadTime {
        run: entry.run.clone(),
        seq: entry.seq,
        time: entry.time.clone(),
    })
}

fn run_facts(
    run: &str,
    entries: &[&Entry],
    runbooks: &[Arc<Runbook>],
) -> Result<Option<RunFacts>, LeftOut> {
    let Some((first, rest)) = entries.split_first() else {
        return Ok(None);
    };
    let Event::RunStarted(started) = &first.event else {
        let only_checkpoints = entries
            .iter()
            .all(|e| matches!(e.event, Event::Checkpoint { .. }));
        return if only_checkpoints {
            Ok(None)
        } else {
            Err(LeftOut::NotStarted {
                run: run.to_owned(),
                seq: first.seq,
            })
        };
    };
    let book = runbooks.iter().find(|b| b.id == started.runbook);
    let mut signoff_steps: BTreeSet<&str> = book
        .map(|b| {
            b.steps
                .iter()
                .filter(|s| matches!(s.action, StepAction::Signoff { .. }))
                .map(|s| s.id.as_str())
                .collect()
        })
        .unwrap_or_default();
    signoff_steps.extend(rest.iter().filter_map(|e| match &e.event {
        Event::Signoff(signoff) => Some(signoff.step.as_str()),
        _ => None,
    }));
    let start = time_of(first)?;
    let mut arrived = start;
    let mut waited: Option<u64> = None;
    let mut chose_rollback = false;
    let mut outcome = Outcome::Unfinished;
    for entry in rest {
        let time = time_of(entry)?;
        match &entry.event {
            Event::StepCompleted { step } => {
                if signoff_steps.contains(step.as_str()) {
                    *waited.get_or_insert(0) += secs_between(arrived, time);
                }
                arrived = time;
            }
            Event::StepSkipped { .. } => arrived = time,
            Event::BranchChosen { option, goto, .. } => {
                chose_rollback |= mentions_rollback(option) || mentions_rollback(goto);
                arrived = time;
            }
            Event::RunCompleted {} => outcome = Outcome::Completed(time),
            Event::RunAborted { .. } => outcome = Outcome::Aborted(time),
            _ => {}
        }
    }
    Ok(Some(RunFacts {
        id: run.to_owned(),
        runbook: started.runbook.clone(),
        title: started.title.clone(),
        kind: book.map(|b| b.kind),
        mode: started.mode,
        started: start,
        outcome,
        signoff_wait_secs: waited,
        chose_rollback,
    }))
}
