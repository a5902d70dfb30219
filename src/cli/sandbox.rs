//! `sandbox up|down|status`: a local anvil with the mock platform, per network, for drills;
//! and `drill RUNBOOK`: a run that acts on it, flagged as a drill in every entry.

use crate::chain::{Chain, Target};
use crate::sandbox::deploy::{Sender, deploy_platform};
use crate::sandbox::node::start_detached;
use crate::sandbox::seed::{SeedFrom, seed};
use crate::sandbox::state::{SandboxInfo, file_of};
use crate::session::Session;
use color_eyre::eyre::{Report, bail};
use std::process::ExitCode;
use std::time::Duration;

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
            if session.offline {
                bail!("offline: a sandbox is a (local) network connection; drop --offline");
            }
            if let Some(info) = SandboxInfo::load(storage, network)
                .ok()
                .filter(SandboxInfo::alive)
            {
                bail!(
                    "the sandbox of `{network}` already runs at {} (pid {}): `sandbox down --network {network}` first",
                    info.url,
                    info.pid
                );
            }
            let profile = session.networks.get(network).ok_or_else(|| {
                Report::msg(format!(
                    "network `{network}` is not in config/networks.toml"
                ))
            })?;
            let catalogue = session.catalogue().map_err(Report::msg)?;
            let (values, seeded_from) =
                seed(session, &catalogue, network, *from).map_err(Report::msg)?;
            let binary = crate::sandbox::node::find_for(session).map_err(Report::msg)?;
            std::fs::create_dir_all(storage.join("sandbox"))?;
            let log = storage.join("sandbox").join(format!("{network}.anvil.log"));
            let (pid, port) =
                start_detached(&binary, profile.chain_id, 0, &log).map_err(Report::msg)?;
            let url = format!("http://127.0.0.1:{port}");
            let deployed = super::runtime::block_on(async {
                let rpc = alloy_rpc_client::RpcClient::new_http(
                    url.parse().map_err(|_| "bad URL".to_owned())?,
                );
                let sender = Sender {
                    rpc: &rpc,
                    timeout: Duration::from_secs(20),
                };
                let read = |relative: &str| session.workspace.read_text(relative);
                deploy_platform(&sender, &catalogue, &read, &values).await
            })?;
            let deployment = match deployed {
                Ok(deployment) => deployment,
                Err(error) => {
                    crate::sandbox::node::terminate(pid);
                    bail!("the mock platform did not deploy: {error}");
                }
            };
            let info = SandboxInfo {
                network: network.clone(),
                chain_id: profile.chain_id,
                url: url.clone(),
                pid,
                started_at: crate::engine::clock::now(),
                contracts: deployment.contracts.clone(),
                safe: deployment.safe,
                seeded_from,
                not_seeded: deployment.not_seeded.clone(),
                stopped: None,
            };
            info.save(storage).map_err(Report::msg)?;
            println!(
                "sandbox of {network}: anvil at {url} (pid {pid}, chain {}), log {}",
                profile.chain_id,
                log.display()
            );
            println!(
                "  {} modules deployed, seeded from {}; owned by the Safe {}",
                deployment.contracts.len(),
                info.seeded_from,
                deployment.safe.to_checksum(None)
            );
            for (id, why) in &deployment.not_seeded {
                println!("  not seeded: {id}: {why}");
            }
            println!(
                "  state in {}; drill with `owner-console drill RUNBOOK --network {network}`",
                file_of(storage, network).display()
            );
            Ok(ExitCode::SUCCESS)
        }
        SandboxCommand::Down { network } => {
            let info = SandboxInfo::load(storage, network).map_err(Report::msg)?;
            info.stop(storage).map_err(Report::msg)?;
            println!("sandbox of {network} stopped (pid {})", info.pid);
            Ok(ExitCode::SUCCESS)
        }
        SandboxCommand::Status { network } => {
            let info = SandboxInfo::load(storage, network).map_err(Report::msg)?;
            if !info.alive() {
                println!(
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
                    println!(
                        "sandbox of {network}: ✓ running at {} (pid {}), block #{} {}",
                        info.url,
                        info.pid,
                        head.number,
                        head.hash_hex()
                    );
                    println!(
                        "  seeded from {}, since {}; Safe {}",
                        info.seeded_from,
                        info.started_at,
                        info.safe.to_checksum(None)
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => {
                    println!("sandbox of {network}: ✗ {error}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}
