//! A `diff` step: the run's network's proposed config against its current state, the diff kept
//! in the evidence store under its fingerprint, and the `diff-recorded` event.

use super::{Done, StateFor, StepError, saved_config};
use crate::change::compare::{Against, diff_from};
use crate::engine::{DiffRecorded, Event, Run};
use crate::runbook::StepAction;
use crate::workspace::context::Context;
use std::collections::BTreeSet;
use std::path::PathBuf;

pub struct PreparedDiff {
    ctx: Context,
    step: String,
    network: String,
    from: Option<PathBuf>,
    domains: Vec<String>,
    state: StateFor,
    acknowledged: BTreeSet<String>,
}

pub fn prepare(
    ctx: &Context,
    run: &Run,
    live: Option<crate::chain::LiveState>,
) -> Result<PreparedDiff, StepError> {
    let step = run.current_step().ok_or(StepError::RunOver)?;
    let StepAction::Diff {
        domains, proposed, ..
    } = &step.action
    else {
        return Err(StepError::WrongKind {
            step: step.id.clone(),
            kind: "a diff",
        });
    };
    Ok(PreparedDiff {
        ctx: ctx.clone(),
        step: step.id.clone(),
        network: run.started.network.clone(),
        from: saved_config(ctx, run, proposed.as_deref())?,
        domains: domains.clone(),
        state: StateFor::of(ctx, run, live)?,
        acknowledged: run.acknowledged.clone(),
    })
}

impl PreparedDiff {
    pub fn describe(&self) -> String {
        format!("{} against {}", self.network, self.state.describe())
    }

    /// Reads the state when it must, compares, and returns the event with the diff to show.
    pub async fn execute(self) -> Result<Done, StepError> {
        let live = self.state.read().await?;
        let against = match &live {
            Some(live) => Against::Live(live),
            None => Against::Snapshot,
        };
        let (diff, against, problems) = diff_from(
            &self.ctx,
            &self.network,
            self.from.as_deref(),
            against,
            &self.domains,
            &|stale| self.acknowledged.contains(&stale.block_hash),
        )
        .map_err(StepError::Change)?;
        if let Some(problem) = problems.first() {
            return Err(StepError::ConfigUnreadable(problem.clone()));
        }
        super::recorded_diff::archive(&self.ctx, &diff)?;
        let event = Event::DiffRecorded(DiffRecorded {
            step: self.step,
            fingerprint: diff.fingerprint.clone(),
            summary: diff.summary(),
            risk: diff.risk().map(|r| r.words().to_owned()),
            changes: diff.changes.len(),
            blocking: diff.blocking(),
            against: against.clone(),
            changed: diff.changes.iter().map(|c| c.id.clone()).collect(),
        });
        Ok(Done {
            event,
            diff: Some(Box::new((diff, against))),
        })
    }
}
