//! `sandbox up|down|status`: a local anvil per network for drills, with the mock platform or
//! forking the network's node (`--fork`); and `drill RUNBOOK`: a run that acts on it, flagged
//! as a drill in every entry.

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
    /// snapshot (or config), and hand every module to a real Safe v1.4.1 owned by the
    /// operators. With --fork: fork the network's node instead (its real platform and Safe).
    Up {
        #[arg(long, default_value = "demo")]
        network: String,
        #[arg(long, value_enum, default_value = "snapshot")]
        seed: SeedFrom,
        /// Fork NETWORK's node (its RPC URL variable must be set) instead of deploying the
        /// mock platform: the real modules at their real addresses, and the network's Safe
        /// given the operators as owners and the profile's `sandbox_safe_threshold`, on the
        /// fork only. anvil reaches the node through a relay that the console leaves running.
        #[arg(long, value_name = "NETWORK", conflicts_with_all = ["network", "seed"])]
        fork: Option<String>,
        /// The block to fork at. Default: the node's head, the block `diff` reads.
        #[arg(long, value_name = "N", requires = "fork")]
        block: Option<u64>,
    },
    /// A fork sandbox's relay to its network's node (started by `up --fork`, detached).
    #[command(hide = true)]
    Relay {
        #[arg(long)]
        network: String,
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
            fork: Some(network),
            block,
            ..
        } => {
            let started = super::runtime::block_on_text(crate::sandbox::fork_up::up_fork(
                session, network, *block,
            ))?;
            let (info, handed) = (&started.info, &started.handed);
            let origin = info.fork.as_ref().map_or(0, |fork| fork.block);
            outln!(
                "sandbox of {network}: anvil at {} (pid {}, chain {}) forking the network's node at block #{origin}, log {}",
                info.url,
                info.pid,
                info.chain_id,
                started.log.display()
            );
            if let Some(fork) = &info.fork {
                outln!(
                    "  it reaches {} through the console's relay at {} (pid {}), so the node's URL is on no command line",
                    fork.node,
                    fork.relay_url,
                    fork.relay_pid
                );
            }
            outln!(
                "  the network's {} modules at their addresses, nothing deployed or seeded",
                info.contracts.len()
            );
            let names: Vec<String> = session
                .operators
                .operators
                .iter()
                .filter(|operator| {
                    operator
                        .address
                        .parse()
                        .is_ok_and(|address| handed.added.contains(&address))
                })
                .map(|operator| crate::sanitize::for_terminal(&operator.name).into_owned())
                .collect();
            outln!(
                "  the network's Safe {} (Safe v{}, {} of {} owners at block #{origin})",
                info.safe.to_checksum(None),
                handed.version,
                handed.before.threshold,
                handed.before.owners.len(),
            );
            outln!(
                "  on the fork only: {}; threshold {}",
                match names.is_empty() {
                    true => "the operators owned it already".to_owned(),
                    false => format!("the operators {} added as owners", names.join(", ")),
                },
                handed.threshold
            );
            if handed.no_multi_send {
                outln!(
                    "  ! MultiSendCallOnly v1.4.1 has no code at {} on this network: a batch of several calls would execute nothing; one-call batches work",
                    crate::safe::multisend::MULTI_SEND_CALL_ONLY.to_checksum(None)
                );
            }
            outln!(
                "  state in {}; drill with `owner-console drill RUNBOOK --network {network}`",
                file_of(storage, network).display()
            );
            Ok(ExitCode::SUCCESS)
        }
        SandboxCommand::Up {
            network,
            seed: from,
            ..
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
        SandboxCommand::Relay { network } => {
            super::runtime::block_on_text(crate::sandbox::fork_relay::serve(
                session,
                network,
                |port| outln!("Listening on 127.0.0.1:{port}"),
            ))?;
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
            if let Some(fork) = info.fork.as_ref().filter(|fork| !fork.relay_alive()) {
                outln!(
                    "sandbox of {network}: ✗ its relay to the network's node (pid {}) is gone; `sandbox down`, then `sandbox up --fork {network}` again",
                    fork.relay_pid
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
                    match &info.fork {
                        Some(fork) => outln!(
                            "  a fork of {} at block #{}, since {}; the network's Safe {}",
                            crate::sanitize::for_terminal(&fork.node),
                            fork.block,
                            info.started_at,
                            info.safe.to_checksum(None)
                        ),
                        None => outln!(
                            "  seeded from {}, since {}; Safe {}",
                            info.seeded_from,
                            info.started_at,
                            info.safe.to_checksum(None)
                        ),
                    }
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
