//! The chaos step: prepared from the run (refused unless the run is a drill), carried out on
//! the drill's sandbox for real, and turned into the `chaos-injected` event to record.

use super::StepError;
use crate::engine::event::ChaosInjected;
use crate::engine::{Event, Mode, Run};
use crate::runbook::StepAction;
use crate::runbook::chaos::Fault;
use crate::sandbox::state::SandboxInfo;
use crate::workspace::context::Context;
use std::path::PathBuf;

pub struct PreparedChaos {
    step: String,
    fault: Fault,
    storage: PathBuf,
    info: SandboxInfo,
    /// For `restart-node`: the anvil binary.
    anvil: Option<PathBuf>,
    /// For `revert-last-change`: the sandbox snapshot taken before the run's last batch ran.
    revert_to: Option<String>,
}

pub fn prepare(ctx: &Context, run: &Run) -> Result<PreparedChaos, StepError> {
    let step = run.current_step().ok_or(StepError::RunOver)?;
    let StepAction::Chaos { fault } = &step.action else {
        return Err(StepError::WrongKind {
            step: step.id.clone(),
            kind: "a chaos",
        });
    };
    let fault = *fault;
    let network = &run.started.network;
    if run.started.mode != Mode::Drill {
        return Err(StepError::ChaosOutsideDrill {
            step: step.id.clone(),
            fault: fault.name(),
            runbook: run.started.runbook.clone(),
            network: network.clone(),
            mode: run.started.mode.name(),
        });
    }
    if ctx.offline {
        return Err(crate::chain::ChainError::Offline.into());
    }
    let storage = ctx.workspace.storage.clone();
    let info = SandboxInfo::running(&storage, network)?;
    let stopped = info.stopped.is_some();
    let mut anvil = None;
    let mut revert_to = None;
    match fault {
        Fault::StopNode | Fault::RevertLastChange if stopped => {
            return Err(StepError::NodeStopped(network.clone()));
        }
        Fault::StopNode => {}
        Fault::RestartNode if !stopped => {
            return Err(StepError::NodeRunning {
                network: network.clone(),
                pid: info.pid,
            });
        }
        Fault::RestartNode => anvil = Some(crate::sandbox::node::find_for(ctx)?),
        Fault::RevertLastChange => {
            revert_to = Some(
                run.before_execution
                    .clone()
                    .ok_or(StepError::NothingToRevert)?,
            );
        }
    }
    Ok(PreparedChaos {
        step: step.id.clone(),
        fault,
        storage,
        info,
        anvil,
        revert_to,
    })
}

impl PreparedChaos {
    pub fn describe(&self) -> String {
        format!(
            "{} on the sandbox of {} ({})",
            self.fault.name(),
            self.info.network,
            self.info.url
        )
    }

    pub async fn execute(mut self) -> Result<Event, StepError> {
        let detail = match (self.fault, &self.anvil, &self.revert_to) {
            (Fault::StopNode, _, _) => {
                crate::sandbox::chaos::stop_node(&self.storage, &mut self.info).await?
            }
            (Fault::RestartNode, Some(anvil), _) => {
                crate::sandbox::chaos::restart_node(&self.storage, &mut self.info, anvil).await?
            }
            (Fault::RevertLastChange, _, Some(snapshot)) => {
                crate::sandbox::chaos::revert_to(&self.info, snapshot).await?
            }
            _ => return Err(StepError::ChaosUnprepared),
        };
        let block = match self.fault {
            Fault::StopNode => None,
            _ => crate::sandbox::chaos::head(&self.info).await,
        };
        Ok(Event::ChaosInjected(ChaosInjected {
            step: self.step,
            fault: self.fault,
            detail,
            done_at: crate::engine::clock::now(),
            node: self.info.url,
            block,
        }))
    }
}
