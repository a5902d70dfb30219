//! A `simulate` step (and the batch step's simulate action): the run's prepared batch, read
//! back against the SHA-256 its batch-prepared entry recorded, dry-run on a fork of the run's
//! chain (a drill's: its sandbox), or a signed report made on a connected machine imported
//! (its signer listed, its batch and diff this run's). The report goes into the evidence
//! store; the `simulation-recorded` event binds it to the batch and the diff.

use super::{StepError, last_diff_domains, saved_config};
use crate::engine::event::SimulationRecorded;
use crate::engine::{Event, Mode, Run};
use crate::runbook::StepAction;
use crate::simulate::{Report, Simulation, report};
use crate::workspace::context::Context;
use std::path::PathBuf;

enum Source {
    Fork(Box<Simulation>),
    /// A report checked already, with its file's bytes.
    Imported(Box<Report>, Vec<u8>),
}

pub struct PreparedSimulation {
    ctx: Context,
    step: String,
    source: Source,
}

pub fn prepare(
    ctx: &Context,
    run: &Run,
    import: Option<PathBuf>,
) -> Result<PreparedSimulation, StepError> {
    let step = run.current_step().ok_or(StepError::RunOver)?;
    let at_batch = matches!(step.action, StepAction::SafeBatch { .. }) && run.visit.batch.is_some();
    if !matches!(step.action, StepAction::Simulate) && !at_batch {
        return Err(StepError::WrongKind {
            step: step.id.clone(),
            kind: "a simulate (or a prepared safe-batch)",
        });
    }
    let batch = run
        .last_batch
        .as_ref()
        .ok_or(StepError::NothingToSimulate)?;
    let path = ctx.workspace.storage.join(&batch.file);
    let bytes = std::fs::read(&path).map_err(|error| StepError::File {
        path: path.clone(),
        error,
    })?;
    crate::safe::binding::check_bound(&path, &bytes, &batch.file_sha256)?;
    let network = &run.started.network;
    if let Some(file) = import {
        let name = file.display().to_string();
        let imported = Report::read(&file).map_err(crate::simulate::SimulateError::from)?;
        imported
            .check_import(
                &name,
                &ctx.operators,
                &report::Expected {
                    network,
                    batch_sha256: &batch.file_sha256,
                    diff_fingerprint: batch.diff_fingerprint.as_deref(),
                },
            )
            .map_err(crate::simulate::SimulateError::from)?;
        let text = imported.to_json().into_bytes();
        return Ok(PreparedSimulation {
            ctx: ctx.clone(),
            step: step.id.clone(),
            source: Source::Imported(Box::new(imported), text),
        });
    }
    if run.started.mode == Mode::Offline || ctx.offline {
        return Err(StepError::SimulateOffline(run.id.clone()));
    }
    let target = crate::chain::Target::for_mode(ctx, network, run.started.mode)?;
    let proposed = run.runbook.step(&batch.step).and_then(|s| match &s.action {
        StepAction::SafeBatch { proposed, .. } => proposed.clone(),
        _ => None,
    });
    let simulation = Simulation {
        ctx: ctx.clone(),
        target,
        batch_file: batch.file.clone(),
        batch_bytes: bytes,
        block: None,
        domains: last_diff_domains(run),
        from: saved_config(ctx, run, proposed.as_deref())?,
        abis: crate::simulate::workspace_abis(ctx)?,
        anvil: crate::sandbox::node::find_for(ctx).map_err(crate::simulate::SimulateError::from)?,
    };
    Ok(PreparedSimulation {
        ctx: ctx.clone(),
        step: step.id.clone(),
        source: Source::Fork(Box::new(simulation)),
    })
}

impl PreparedSimulation {
    pub fn describe(&self) -> String {
        match &self.source {
            Source::Fork(simulation) => format!(
                "simulating the batch on a fork of {}",
                simulation.target.endpoint.shown()
            ),
            Source::Imported(..) => "importing the simulation report".to_owned(),
        }
    }

    /// The report (made now, or imported) kept as evidence, and the event that records it.
    pub async fn execute(self) -> Result<(Event, Report), StepError> {
        let (made, bytes, imported) = match self.source {
            Source::Fork(simulation) => {
                let made = simulation.run().await?;
                let bytes = made.to_json().into_bytes();
                (made, bytes, false)
            }
            Source::Imported(made, bytes) => (*made, bytes, true),
        };
        let report_sha256 =
            self.ctx
                .evidence()
                .put_bytes(&bytes)
                .map_err(|error| StepError::Evidence {
                    what: "the simulation report",
                    error,
                })?;
        let event = Event::SimulationRecorded(SimulationRecorded {
            step: self.step,
            report_sha256,
            batch_sha256: made.batch_sha256.clone(),
            diff_fingerprint: made.diff_fingerprint.clone(),
            fork_block: made.fork.block,
            atomic: made.execution.atomic,
            passed: made.passed,
            verdict: crate::sanitize::for_terminal(&made.verdict).into_owned(),
            signer: made.signer.clone(),
            imported,
        });
        Ok((event, made))
    }
}
