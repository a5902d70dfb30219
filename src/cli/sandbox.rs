//! `sandbox up|down|status`: a local anvil with the mock platform, per network, for drills;
//! and `drill RUNBOOK`: a run that acts on it, flagged as a drill in every entry.

use super::output::outln;
use crate::chain::{Chain, Target};
use crate::sandbox::seed::SeedFrom;
use crate::sandbox::state::{SandboxInfo, file_of};
use crate::session::Session;
use color_eyre::eyre::Report;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum SandboxCommand {
    /// Start anvil for NETWORK's drills, deploy the mock platform seeded with the network's
    /// snapshot (or config), and hand every module to a Safe-like contract.
    Up {
        #[arg(long, default_value = "demo")]
        network: String,
        #[arg(long, value_enum, default_value = "snapshot")]
        seed: SeedFrom,
    },
    /// Stop the network's sandbox node and forget it.
    Down {
        #[arg(long, default_value = "demo")]
        network: String,
    },
    /// Whether the network's sandbox runs, and its block.
    Status {
        #[arg(long, default_value = "demo")]
        network: String,
    },
}

pub fn dispatch(session: &Session, command: &SandboxCommand) -> color_eyre::Result<ExitCode> {
    let storage = &session.workspace.storage;
    match command {
        SandboxCommand::Up {
            network,
            seed: from,
        } => {
            let started =
                super::runtime::block_on_text(crate::sandbox::up::up(session, network, *from))?;
            let (info, deployment) = (&started.info, &started.deployment);
            outln!(
                "sandbox of {network}: anvil at {} (pid {}, chain {}), log {}",
                info.url,
                info.pid,
                info.chain_id,
                started.log.display()
            );
            outln!(
                "  {} modules deployed, seeded from {}; owned by the Safe {}",
                deployment.contracts.len(),
                info.seeded_from,
                deployment.safe.to_checksum(None)
            );
            for (id, why) in &deployment.not_seeded {
                outln!("  not seeded: {id}: {why}");
            }
            outln!(
                "  state in {}; drill with `owner-console drill RUNBOOK --network {network}`",
                file_of(storage, network).display()
            );
            Ok(ExitCode::SUCCESS)
        }
        SandboxCommand::Down { network } => {
            let info = SandboxInfo::load(storage, network).map_err(Report::msg)?;
            info.stop(storage).map_err(Report::msg)?;
            outln!("sandbox of {network} stopped (pid {})", info.pid);
            Ok(ExitCode::SUCCESS)
        }
        SandboxCommand::Status { network } => {
            let info = SandboxInfo::load(storage, network).map_err(Report::msg)?;
            if !info.alive() {
                outln!(
                    "sandbox of {network}: ✗ not running (pid {} is gone); `sandbox up` again",
                    info.pid
                );
                return Ok(ExitCode::FAILURE);
            }
            let target = Target::sandbox(session, network).map_err(Report::msg)?;
            let head = super::runtime::block_on(async {
                let chain = Chain::connect(target.endpoint.clone())?;
                chain.head().await
            })?;
            match head {
                Ok(head) => {
                    outln!(
                        "sandbox of {network}: ✓ running at {} (pid {}), block #{} {}",
                        info.url,
                        info.pid,
                        head.number,
                        head.hash_hex()
                    );
                    outln!(
                        "  seeded from {}, since {}; Safe {}",
                        info.seeded_from,
                        info.started_at,
                        info.safe.to_checksum(None)
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => {
                    outln!("sandbox of {network}: ✗ {error}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}
