//! The steps that act on the world, one file per step kind. The one way any of them is
//! carried out: [`prepare`] from the run and what the operator gave (checked, no I/O beyond
//! reading the workspace), then [`Prepared::execute`] (the I/O, on whichever runtime the door
//! has), which yields the event to record. The CLI's `run next` and the console's keys differ
//! only in how they ask for the [`Act`] and how they show what came back.

pub mod batch;
pub mod chain_check;
pub mod chaos;
pub mod command;
pub mod command_env;
pub mod diff;
mod drill_execution;
pub mod error;
pub mod evidence;
pub mod http;
pub mod receipt;
mod recorded_diff;
pub mod simulate;
pub mod stale;

use crate::chain::{LiveState, Target};
use crate::diff::Diff;
use crate::engine::{Event, Mode, Run};
use crate::runbook::StepAction;
use crate::workspace::context::Context;
use std::path::{Path, PathBuf};

pub use error::StepError;

/// What the operator asks of the current step.
pub enum Act {
    /// Run the step's command (typing its confirmation was the go-ahead).
    RunCommand,
    CheckHttp,
    Attach(PathBuf),
    CheckChain,
    Receipt(receipt::ReceiptFrom),
    InjectChaos,
    /// Compare the config with the current state; `live` is a fresh reading already at hand.
    ComputeDiff {
        live: Option<LiveState>,
    },
    /// Write the step's Safe batch; `live` as for the diff.
    PrepareBatch {
        live: Option<LiveState>,
    },
    /// Use the network's stale snapshot anyway, for this reason.
    AcknowledgeStale(String),
    /// Dry-run the run's prepared batch on a fork, or import the report a connected machine
    /// made of it.
    Simulate {
        import: Option<PathBuf>,
    },
}

/// A step action ready to be carried out: everything it needs is inside, so it can go to a
/// background task.
pub enum Prepared {
    Command(command::PreparedCommand),
    Http(http::PreparedHttp),
    Attach(evidence::PreparedAttach),
    ChainCheck(chain_check::PreparedChainCheck),
    Receipt(receipt::PreparedReceipt),
    Chaos(chaos::PreparedChaos),
    Diff(diff::PreparedDiff),
    Batch(batch::PreparedBatch),
    Simulate(Box<simulate::PreparedSimulation>),
    Stale(Event),
}

/// What a step action gave: the event to record and, for a diff, the diff to show.
pub struct Done {
    pub event: Event,
    pub diff: Option<Box<(Diff, String)>>,
}

impl From<Event> for Done {
    fn from(event: Event) -> Self {
        Self { event, diff: None }
    }
}

/// Checks that `act` fits the run's current step and gathers what carrying it out needs.
pub fn prepare(ctx: &Context, run: &Run, act: Act) -> Result<Prepared, StepError> {
    Ok(match act {
        Act::RunCommand => Prepared::Command(command::prepare(ctx, run)?),
        Act::CheckHttp => Prepared::Http(http::prepare(ctx, run)?),
        Act::Attach(file) => Prepared::Attach(evidence::prepare(ctx, run, &file)?),
        Act::CheckChain => Prepared::ChainCheck(chain_check::prepare(ctx, run)?),
        Act::Receipt(from) => Prepared::Receipt(receipt::prepare(ctx, run, from)?),
        Act::InjectChaos => Prepared::Chaos(chaos::prepare(ctx, run)?),
        Act::ComputeDiff { live } => Prepared::Diff(diff::prepare(ctx, run, live)?),
        Act::PrepareBatch { live } => Prepared::Batch(batch::prepare(ctx, run, live)?),
        Act::AcknowledgeStale(reason) => Prepared::Stale(stale::acknowledge(ctx, run, &reason)?),
        Act::Simulate { import } => {
            Prepared::Simulate(Box::new(simulate::prepare(ctx, run, import)?))
        }
    })
}

/// What the current step still does by itself before it can complete, when nothing else is
/// asked: read the chain for a chain-check not yet passed, compute a diff not yet recorded (or
/// one that blocks), write a batch not yet prepared.
pub fn still_to_do(run: &Run) -> Option<Act> {
    match &run.current_step()?.action {
        StepAction::ChainCheck { .. }
            if !run.visit.chain_checks.last().is_some_and(|c| c.passed) =>
        {
            Some(Act::CheckChain)
        }
        StepAction::Diff { .. }
            if run.visit.diff.is_none() || run.completion_blocker().is_some() =>
        {
            Some(Act::ComputeDiff { live: None })
        }
        StepAction::SafeBatch { .. } if run.visit.batch.is_none() => {
            Some(Act::PrepareBatch { live: None })
        }
        StepAction::Simulate
            if run.visit.simulations.is_empty() || run.completion_blocker().is_some() =>
        {
            Some(Act::Simulate { import: None })
        }
        _ => None,
    }
}

impl Prepared {
    /// What is being done, as the operator is told while it runs.
    pub fn describe(&self) -> String {
        match self {
            Self::Command(prepared) => format!("running: {}", prepared.command()),
            Self::Http(prepared) => format!("checking: {}", prepared.url()),
            Self::Attach(prepared) => format!("attaching {}", prepared.file().display()),
            Self::ChainCheck(prepared) => format!("reading: {}", prepared.describe()),
            Self::Receipt(_) => "checking the receipt".to_owned(),
            Self::Chaos(prepared) => format!("injecting: {}", prepared.describe()),
            Self::Diff(prepared) => format!("comparing: {}", prepared.describe()),
            Self::Batch(prepared) => format!("preparing the batch: {}", prepared.describe()),
            Self::Simulate(prepared) => prepared.describe(),
            Self::Stale(_) => "acknowledging the stale snapshot".to_owned(),
        }
    }

    pub async fn execute(self) -> Result<Done, StepError> {
        Ok(match self {
            Self::Command(prepared) => prepared.execute().await?.into(),
            Self::Http(prepared) => prepared.execute().await?.into(),
            Self::Attach(prepared) => prepared.execute()?.into(),
            Self::ChainCheck(prepared) => prepared.execute().await?.into(),
            Self::Receipt(prepared) => prepared.execute().await?.into(),
            Self::Chaos(prepared) => prepared.execute().await?.into(),
            Self::Diff(prepared) => prepared.execute().await?,
            Self::Batch(prepared) => prepared.execute().await?.into(),
            Self::Simulate(prepared) => prepared.execute().await?.0.into(),
            Self::Stale(event) => event.into(),
        })
    }
}

/// The current state a diff or batch of the run compares with, chosen by the run's mode and
/// not the session's: an offline run resumed where the network's RPC URL is set still reads
/// its snapshot, and never stalls on a node.
pub(crate) enum StateFor {
    Snapshot,
    Live(Box<LiveState>),
    /// To be read when the action is carried out: a drill's sandbox, or a live run's node when
    /// no fresh reading was at hand.
    Read(Box<Target>),
}

impl StateFor {
    fn of(ctx: &Context, run: &Run, live: Option<LiveState>) -> Result<Self, StepError> {
        let network = &run.started.network;
        Ok(match (run.started.mode, live) {
            (Mode::Offline, _) => Self::Snapshot,
            (_, Some(live)) => Self::Live(Box::new(live)),
            (Mode::Drill, None) => Self::Read(Box::new(
                Target::sandbox(ctx, network).map_err(StepError::from)?,
            )),
            (Mode::Live, None) if ctx.mode_for(network) == Mode::Live => {
                Self::Read(Box::new(Target::of(ctx, network).map_err(StepError::from)?))
            }
            (Mode::Live, None) => Self::Snapshot,
        })
    }

    fn describe(&self) -> String {
        match self {
            Self::Snapshot => "the network's snapshot".to_owned(),
            Self::Live(live) => format!("the reading of block #{}", live.block.number),
            Self::Read(target) => format!("live {}", target.endpoint.shown()),
        }
    }

    async fn read(self) -> Result<Option<LiveState>, StepError> {
        match self {
            Self::Snapshot => Ok(None),
            Self::Live(live) => Ok(Some(*live)),
            Self::Read(target) => crate::chain::live::read(&target)
                .await
                .map(Some)
                .map_err(StepError::from),
        }
    }
}

/// A step's `proposed` folder with its placeholders filled, relative to the folder that holds
/// the workspace's `storage/`.
fn saved_config(
    ctx: &Context,
    run: &Run,
    proposed: Option<&str>,
) -> Result<Option<PathBuf>, StepError> {
    let Some(template) = proposed else {
        return Ok(None);
    };
    let folder = crate::runbook::template::render_plain(template, &run.template_values())?;
    let base = ctx
        .workspace
        .storage
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    Ok(Some(base.join(folder)))
}

/// The domains of the diff step this run last computed, so that its batch makes exactly that diff.
fn last_diff_domains(run: &Run) -> Vec<String> {
    let step = run
        .last_diff
        .as_ref()
        .and_then(|d| run.runbook.step(&d.step));
    match step.map(|s| &s.action) {
        Some(StepAction::Diff { domains, .. }) => domains.clone(),
        _ => Vec::new(),
    }
}
