//! A run: the runbook, what was started with, and the recorded outcomes. Position, branch
//! history and the current step's progress are all derived by replaying the events.

use super::event::{
    BatchPrepared, ChainChecked, ChaosInjected, CommandRan, DiffRecorded, Event, HttpChecked,
    ReceiptChecked, RunStarted, SafeTxSignature, Signoff, SimulationRecorded,
};
use crate::ledger::Entry;
use crate::runbook::{Next, Runbook, Step};
use std::collections::BTreeSet;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    At(String),
    Completed,
    Aborted(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Completed,
    Skipped(String),
    Branch { option: String, goto: String },
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Completed => f.write_str("completed"),
            Self::Skipped(reason) => write!(f, "skipped: {reason}"),
            Self::Branch { option, goto } => write!(f, "chose {option} → {goto}"),
        }
    }
}

/// One finished visit to a step, in the order they happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visited {
    pub step: String,
    pub outcome: Outcome,
    pub time: String,
}

/// What has happened at the current step since the run arrived there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visit {
    pub checked: BTreeSet<usize>,
    pub commands: Vec<CommandRan>,
    pub http: Vec<HttpChecked>,
    pub attachments: Vec<(String, String, u64)>,
    pub note: Option<String>,
    pub signoffs: Vec<Signoff>,
    pub diff: Option<DiffRecorded>,
    pub batch: Option<BatchPrepared>,
    pub chain_checks: Vec<ChainChecked>,
    pub receipts: Vec<ReceiptChecked>,
    pub chaos: Option<ChaosInjected>,
    pub simulations: Vec<SimulationRecorded>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("the run is over ({0}); nothing more can be recorded")]
    Finished(&'static str),
    #[error("the journal names step `{0}`, which this runbook does not have")]
    UnknownStep(String),
    #[error("event for step `{got}` but the run is at `{at}`")]
    WrongStep { got: String, at: String },
    #[error("{0}")]
    Blocked(String),
    #[error("the journal holds no run-started entry for run {0}")]
    NotStarted(String),
}

#[derive(Debug, Clone)]
pub struct Run {
    pub id: String,
    pub started: RunStarted,
    pub started_at: String,
    pub last_time: String,
    pub runbook: Arc<Runbook>,
    /// The address that started the run (its `run-started` entry's signer).
    pub executor: String,
    pub history: Vec<Visited>,
    pub visit: Visit,
    /// The last diff this run recorded, at any step: sign-offs compare fingerprints with it.
    pub last_diff: Option<DiffRecorded>,
    /// The last Safe batch this run prepared, at any step: a drill executes it in the sandbox.
    pub last_batch: Option<BatchPrepared>,
    /// The approvers' signatures over `last_batch`'s Safe transaction, from the sign-offs
    /// recorded since it was prepared (approver, signature): what a drill executes it with.
    pub safe_tx_signatures: Vec<(String, SafeTxSignature)>,
    /// The last simulation this run recorded, at any step: a sign-off may require it to pass
    /// for `last_batch`.
    pub last_simulation: Option<SimulationRecorded>,
    /// A drill: the transactions that executed `last_batch` in the sandbox, once it has run.
    pub executed_batch: Vec<String>,
    /// A drill: the sandbox snapshot taken before `executed_batch` was sent.
    pub before_execution: Option<String>,
    /// Block hashes of the stale state snapshots the operator acknowledged using.
    pub acknowledged: BTreeSet<String>,
    pub position: Position,
    /// How far into the ledger this state was read: a transition is appended only if no
    /// entry of the run came after it. None until `run-started` is recorded.
    pub recorded: Option<Recorded>,
}

/// The seq of a run's last entry, and the ledger's length (at a line's end) when it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub seq: u64,
    pub end: u64,
}

impl Run {
    /// A new run, before its `run-started` entry is recorded.
    pub fn new(
        id: String,
        started: RunStarted,
        time: String,
        runbook: Arc<Runbook>,
        executor: String,
    ) -> Self {
        let position = match runbook.first_step() {
            Some(step) => Position::At(step.id.clone()),
            None => Position::Completed,
        };
        Self {
            id,
            started,
            started_at: time.clone(),
            last_time: time,
            runbook,
            executor,
            history: Vec::new(),
            visit: Visit::default(),
            last_diff: None,
            last_batch: None,
            safe_tx_signatures: Vec::new(),
            last_simulation: None,
            executed_batch: Vec::new(),
            before_execution: None,
            acknowledged: BTreeSet::new(),
            position,
            recorded: None,
        }
    }

    /// Rebuilds a run from its journal entries (in order, this run's only).
    pub fn replay(runbook: Arc<Runbook>, entries: &[Entry]) -> Result<Self, EngineError> {
        let mut entries = entries.iter();
        let first = entries.next();
        let Some(Entry {
            event: Event::RunStarted(started),
            run,
            time,
            signer,
            ..
        }) = first
        else {
            let id = first.map(|e| e.run.clone()).unwrap_or_default();
            return Err(EngineError::NotStarted(id));
        };
        let mut state = Self::new(
            run.clone(),
            started.clone(),
            time.clone(),
            runbook,
            signer.clone(),
        );
        let mut last = first;
        for entry in entries {
            state.apply(&entry.event, &entry.time)?;
            last = Some(entry);
        }
        // Where in the file is not known here: the session, which read the file, says.
        state.recorded = last.map(|entry| Recorded {
            seq: entry.seq,
            end: 0,
        });
        Ok(state)
    }

    /// What `{{…}}` placeholders are filled with: the inputs, and the run's own context.
    pub fn template_values(&self) -> std::collections::BTreeMap<String, String> {
        let mut values = self.started.inputs.clone();
        values.insert("network".into(), self.started.network.clone());
        values.insert(
            "chain_id".into(),
            self.started
                .chain_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
        );
        values.insert("run_id".into(), self.id.clone());
        values.insert("operator".into(), self.started.operator.clone());
        values
    }

    pub fn current_step(&self) -> Option<&Step> {
        match &self.position {
            Position::At(id) => self.runbook.step(id),
            _ => None,
        }
    }

    pub fn is_finished(&self) -> bool {
        !matches!(self.position, Position::At(_))
    }

    pub(super) fn here(&self) -> Result<&Step, EngineError> {
        match &self.position {
            Position::At(id) => self
                .runbook
                .step(id)
                .ok_or_else(|| EngineError::UnknownStep(id.clone())),
            Position::Completed => Err(EngineError::Finished("completed")),
            Position::Aborted(_) => Err(EngineError::Finished("aborted")),
        }
    }

    fn expect_here(&self, step: &str) -> Result<&Step, EngineError> {
        let here = self.here()?;
        if here.id != step {
            return Err(EngineError::WrongStep {
                got: step.to_owned(),
                at: here.id.clone(),
            });
        }
        Ok(here)
    }

    /// Applies a recorded event. Only called with events already in the journal.
    pub fn apply(&mut self, event: &Event, time: &str) -> Result<(), EngineError> {
        self.last_time = time.to_owned();
        let step_of_event = match event {
            Event::ItemChecked { step, .. }
            | Event::EvidenceAttached { step, .. }
            | Event::Note { step, .. }
            | Event::StepCompleted { step }
            | Event::StepSkipped { step, .. }
            | Event::BranchChosen { step, .. } => Some(step.as_str()),
            Event::CommandRan(ran) => Some(ran.step.as_str()),
            Event::HttpChecked(checked) => Some(checked.step.as_str()),
            Event::Signoff(signoff) => Some(signoff.step.as_str()),
            Event::DiffRecorded(diff) => Some(diff.step.as_str()),
            Event::BatchPrepared(batch) => Some(batch.step.as_str()),
            Event::SimulationRecorded(simulation) => Some(simulation.step.as_str()),
            Event::ChainChecked(checked) => Some(checked.step.as_str()),
            Event::ReceiptChecked(checked) => Some(checked.step.as_str()),
            Event::ChaosInjected(chaos) => Some(chaos.step.as_str()),
            Event::StateAcknowledged(_)
            | Event::RunStarted(_)
            | Event::Checkpoint { .. }
            | Event::RunCompleted {}
            | Event::RunAborted { .. } => None,
        };
        if let Some(step) = step_of_event {
            self.expect_here(step)?;
        }
        match event {
            Event::RunStarted(_) | Event::Checkpoint { .. } => {}
            Event::Signoff(signoff) => {
                self.keep_safe_tx_signature(signoff);
                self.visit.signoffs.push(signoff.clone());
            }
            Event::BatchPrepared(batch) => {
                self.visit.batch = Some(batch.clone());
                self.last_batch = Some(batch.clone());
                self.safe_tx_signatures.clear();
                self.executed_batch.clear();
            }
            Event::SimulationRecorded(simulation) => {
                self.visit.simulations.push(simulation.clone());
                self.last_simulation = Some(simulation.clone());
            }
            Event::ChainChecked(checked) => self.visit.chain_checks.push(checked.clone()),
            Event::ChaosInjected(chaos) => self.visit.chaos = Some(chaos.clone()),
            Event::ReceiptChecked(checked) => {
                if !checked.executed.is_empty() {
                    self.executed_batch = checked.executed.clone();
                }
                if checked.before_execution.is_some() {
                    self.before_execution = checked.before_execution.clone();
                }
                self.visit.receipts.push(checked.clone());
            }
            Event::StateAcknowledged(ack) => {
                self.acknowledged.insert(ack.block_hash.clone());
            }
            Event::DiffRecorded(diff) => {
                self.visit.diff = Some(diff.clone());
                self.last_diff = Some(diff.clone());
            }
            Event::ItemChecked { item, checked, .. } => {
                if *checked {
                    self.visit.checked.insert(*item);
                } else {
                    self.visit.checked.remove(item);
                }
            }
            Event::CommandRan(ran) => self.visit.commands.push(ran.clone()),
            Event::HttpChecked(checked) => self.visit.http.push(checked.clone()),
            Event::EvidenceAttached {
                name, sha256, size, ..
            } => self
                .visit
                .attachments
                .push((name.clone(), sha256.clone(), *size)),
            Event::Note { text, .. } => self.visit.note = Some(text.clone()),
            Event::StepCompleted { step } => self.leave(step, Outcome::Completed, time),
            Event::StepSkipped { step, reason } => {
                self.leave(step, Outcome::Skipped(reason.clone()), time)
            }
            Event::BranchChosen { step, option, goto } => self.leave(
                step,
                Outcome::Branch {
                    option: option.clone(),
                    goto: goto.clone(),
                },
                time,
            ),
            Event::RunCompleted {} => self.position = Position::Completed,
            Event::RunAborted { reason } => self.position = Position::Aborted(reason.clone()),
        }
        Ok(())
    }

    fn leave(&mut self, step: &str, outcome: Outcome, time: &str) {
        let next = match &outcome {
            Outcome::Branch { goto, .. } if goto == "end" => Next::End,
            Outcome::Branch { goto, .. } => Next::Step(goto.clone()),
            _ => self
                .runbook
                .step(step)
                .map(|s| s.next.clone())
                .unwrap_or(Next::End),
        };
        self.history.push(Visited {
            step: step.to_owned(),
            outcome,
            time: time.to_owned(),
        });
        self.visit = Visit::default();
        self.position = match next {
            Next::Step(id) => Position::At(id),
            Next::End => Position::Completed,
        };
    }
}
