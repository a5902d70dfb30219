//! A `safe-batch` step: the checked Safe batch written under `storage/batches/`, and the
//! `batch-prepared` event with its hashes, checksum and the diff it makes. A batch from a diff
//! is built only from the run's recorded diff: the diff recomputed against the state read now
//! must be the recorded one, or it less changes already made (`recorded_diff`), else the chain
//! or the config moved since and nothing is written.

use super::{StateFor, StepError, last_diff_domains, saved_config};
use crate::change::compare::Against;
use crate::engine::event::BatchPrepared;
use crate::engine::{DiffRecorded, Event, Mode, Run};
use crate::runbook::StepAction;
use crate::workspace::context::Context;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Where the batch's calls come from.
enum Calls {
    /// The calls that make the run's recorded diff, against the state read now.
    Diff {
        recorded: Box<DiffRecorded>,
        allow_incomplete: bool,
        from: Option<PathBuf>,
        domains: Vec<String>,
        state: StateFor,
        acknowledged: BTreeSet<String>,
    },
    /// The step's own calls (module, method, arguments), with the run's inputs filled in.
    Listed(Vec<(String, String, Vec<String>)>),
}

pub struct PreparedBatch {
    ctx: Context,
    step: String,
    title: String,
    network: String,
    mode: Mode,
    calls: Calls,
    /// Relative to storage.
    file: String,
    /// The chain whose deployed code the batch's calls are checked against (none offline).
    deployed: Option<Box<crate::chain::Target>>,
}

pub fn prepare(
    ctx: &Context,
    run: &Run,
    live: Option<crate::chain::LiveState>,
) -> Result<PreparedBatch, StepError> {
    let step = run.current_step().ok_or(StepError::RunOver)?;
    let StepAction::SafeBatch {
        source,
        calls,
        proposed,
        allow_incomplete,
    } = &step.action
    else {
        return Err(StepError::WrongKind {
            step: step.id.clone(),
            kind: "a safe-batch",
        });
    };
    let calls = if source == "diff" {
        let recorded = run.last_diff.clone().ok_or_else(|| StepError::NoDiff {
            step: step.id.clone(),
        })?;
        Calls::Diff {
            recorded: Box::new(recorded),
            allow_incomplete: *allow_incomplete,
            from: saved_config(ctx, run, proposed.as_deref())?,
            domains: last_diff_domains(run),
            state: StateFor::of(ctx, run, live)?,
            acknowledged: run.acknowledged.clone(),
        }
    } else {
        let values = run.template_values();
        let render = |a: &String| crate::runbook::template::render_plain(a, &values);
        Calls::Listed(
            calls
                .iter()
                .map(|call| {
                    let args = call.args.iter().map(render).collect::<Result<_, _>>()?;
                    Ok((call.contract.clone(), call.method.clone(), args))
                })
                .collect::<Result<_, StepError>>()?,
        )
    };
    let network = &run.started.network;
    let deployed = match run.started.mode {
        Mode::Offline => None,
        Mode::Drill => Some(crate::chain::Target::sandbox(ctx, network)?),
        Mode::Live if ctx.mode_for(network) == Mode::Live => {
            Some(crate::chain::Target::of(ctx, network)?)
        }
        Mode::Live => None,
    };
    Ok(PreparedBatch {
        deployed: deployed.map(Box::new),
        ctx: ctx.clone(),
        step: step.id.clone(),
        title: format!("{}: {}", run.started.title, step.title),
        network: run.started.network.clone(),
        mode: run.started.mode,
        calls,
        file: format!("batches/{}-{}.json", run.id, step.id),
    })
}

impl PreparedBatch {
    pub fn describe(&self) -> String {
        match &self.calls {
            Calls::Diff { state, .. } => format!("the diff against {}", state.describe()),
            Calls::Listed(calls) => format!("{} listed call(s)", calls.len()),
        }
    }

    /// Builds and checks the batch, writes it durably, and returns the event with its hash.
    pub async fn execute(self) -> Result<Event, StepError> {
        let ctx = &self.ctx;
        let network = &self.network;
        let (batch, diff_fingerprint) = match self.calls {
            Calls::Diff {
                recorded,
                allow_incomplete,
                from,
                domains,
                state,
                acknowledged,
            } => {
                let live = state.read().await?;
                let against = match &live {
                    Some(live) => Against::Live(live),
                    None => Against::Snapshot,
                };
                let made = crate::change::plan::batch_for_diff(
                    ctx,
                    network,
                    from.as_deref(),
                    against,
                    &domains,
                    &|stale| acknowledged.contains(&stale.block_hash),
                    self.mode,
                )
                .map_err(StepError::Change)?;
                made.refuse_incomplete(allow_incomplete)
                    .map_err(StepError::Change)?;
                super::recorded_diff::check(ctx, &recorded, &made.diff, &made.against)?;
                (made.batch, Some(recorded.fingerprint))
            }
            Calls::Listed(calls) => {
                let batch = crate::change::plan::batch_for_calls(
                    ctx,
                    network,
                    &self.title,
                    &calls,
                    self.mode,
                )
                .map_err(StepError::Change)?;
                (batch, None)
            }
        };
        if let Some(target) = &self.deployed {
            deployed_check(target, &batch).await?;
        }
        let bytes = batch.to_json_pretty() + "\n";
        let path = ctx.workspace.storage.join(&self.file);
        crate::workspace::durable::write(&path, bytes.as_bytes()).map_err(|error| {
            StepError::File {
                path: path.clone(),
                error,
            }
        })?;
        Ok(Event::BatchPrepared(BatchPrepared {
            step: self.step,
            file: self.file,
            sha256: crate::safe::batch_hash(&batch),
            file_sha256: crate::safe::binding::file_sha256(bytes.as_bytes()),
            checksum: batch.computed_checksum().to_string(),
            transactions: batch.transactions.len(),
            diff_fingerprint,
        }))
    }
}

/// Refuses a batch with a call whose target's deployed code lacks its function (or has no
/// code): the same check as `batch show --network`.
async fn deployed_check(
    target: &crate::chain::Target,
    batch: &crate::safe::Batch,
) -> Result<(), StepError> {
    use crate::chain::deployed;
    let names = target
        .modules
        .iter()
        .map(|(name, address)| (*address, name.clone()))
        .collect();
    let chain = target.connect()?;
    let check = deployed::check(&chain, &deployed::calls_of(batch), &names).await?;
    let calls: Vec<String> = check
        .calls
        .iter()
        .filter(|c| c.status == crate::safe::Status::Fail)
        .map(|c| {
            let module = c
                .contract
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default();
            format!(
                "  transactions[{}] to {}{module} {} {}: {}",
                c.index,
                c.to,
                c.method,
                c.selector.as_deref().unwrap_or("(none)"),
                c.reason()
            )
        })
        .collect();
    if calls.is_empty() {
        return Ok(());
    }
    Err(StepError::MissingFunctions {
        network: check.network,
        block: check.block,
        calls,
    })
}

/// Checks that the run's last prepared batch file still has the SHA-256 recorded at
/// batch-prepared, before an approval of the run (whose subject names that hash) is made:
/// what an approver approves is that file. Nothing to check before any batch.
pub fn check_prepared(ctx: &Context, run: &Run) -> Result<(), StepError> {
    if let Some(prepared) = &run.last_batch {
        let path = ctx.workspace.storage.join(&prepared.file);
        crate::safe::binding::read_bound(&path, &prepared.file_sha256)?;
    }
    Ok(())
}
