//! `sandbox up`: anvil started detached for a network's drills, the mock platform deployed on
//! it and seeded from the network's snapshot (or config), every module handed to the sandbox's
//! real Safe v1.4.1 (owners: the workspace's operators; threshold: the network profile's
//! `sandbox_safe_threshold`), and the sandbox's record saved in storage.

use super::SandboxError;
use super::deploy::{Deployment, Sender, deploy_platform};
use super::node::{find_for, start_detached, terminate};
use super::real_safe::{SafeContracts, SafeSetup};
use super::seed::{SeedFrom, seed};
use super::state::SandboxInfo;
use crate::workspace::context::Context;
use std::path::PathBuf;
use std::time::Duration;

/// A sandbox just started.
pub struct Started {
    pub info: SandboxInfo,
    pub deployment: Deployment,
    /// anvil's own log.
    pub log: PathBuf,
}

pub async fn up(ctx: &Context, network: &str, from: SeedFrom) -> Result<Started, SandboxError> {
    let profile = startable(ctx, network)?;
    let storage = &ctx.workspace.storage;
    let catalogue = ctx.catalogue()?;
    let (values, seeded_from) = seed(ctx, &catalogue, network, from)?;
    let binary = find_for(ctx)?;
    let safe_contracts = SafeContracts::find_for(ctx, &binary)?;
    let setup = safe_setup(ctx, profile)?;
    let folder = storage.join("sandbox");
    std::fs::create_dir_all(&folder).map_err(|error| SandboxError::Io {
        path: folder.clone(),
        error,
    })?;
    let log = folder.join(format!("{network}.anvil.log"));
    let (pid, port) = start_detached(&binary, profile.chain_id, 0, &log)?;
    let url = format!("http://127.0.0.1:{port}");
    let rpc = super::node::client_at(&url)?;
    let sender = Sender {
        rpc: &rpc,
        timeout: Duration::from_secs(20),
    };
    let read = |relative: &str| ctx.workspace.read_text(relative);
    let deployed = deploy_platform(
        &sender,
        &catalogue,
        &read,
        &values,
        (&safe_contracts, &setup),
    );
    let deployment = match deployed.await {
        Ok(deployment) => deployment,
        Err(error) => {
            terminate(pid);
            return Err(SandboxError::NotDeployed(Box::new(error)));
        }
    };
    let info = SandboxInfo {
        network: network.to_owned(),
        chain_id: profile.chain_id,
        url,
        pid,
        started_at: crate::engine::clock::now(),
        contracts: deployment.contracts.clone(),
        safe: deployment.safe,
        seeded_from,
        not_seeded: deployment.not_seeded.clone(),
        stopped: None,
        fork: None,
    };
    info.save(storage)?;
    Ok(Started {
        info,
        deployment,
        log,
    })
}

/// The profile of `network` when a sandbox of it may start: online, the network known, and no
/// sandbox of it running.
pub fn startable<'c>(
    ctx: &'c Context,
    network: &str,
) -> Result<&'c crate::workspace::networks::Network, SandboxError> {
    if ctx.offline {
        return Err(SandboxError::Offline);
    }
    refuse_running(&ctx.workspace.storage, network)?;
    ctx.networks
        .get(network)
        .ok_or_else(|| SandboxError::UnknownNetwork(network.to_owned()))
}

/// Refuses a second sandbox of `network` while its node runs.
fn refuse_running(storage: &std::path::Path, network: &str) -> Result<(), SandboxError> {
    match SandboxInfo::load(storage, network)
        .ok()
        .filter(SandboxInfo::alive)
    {
        Some(info) => Err(SandboxError::AlreadyRuns {
            network: network.to_owned(),
            url: info.url,
            pid: info.pid,
        }),
        None => Ok(()),
    }
}

/// The Safe a network's sandbox gets: the workspace's operators as its owners, in the order
/// config/operators.toml lists them, and the network's `sandbox_safe_threshold` (by default 2,
/// or 1 when a single operator is listed).
pub fn safe_setup(
    ctx: &Context,
    profile: &crate::workspace::networks::Network,
) -> Result<SafeSetup, SandboxError> {
    let owners = ctx
        .operators
        .operators
        .iter()
        .map(|operator| {
            operator
                .address
                .parse()
                .map_err(|_| SandboxError::OperatorAddress {
                    name: operator.name.clone(),
                    address: operator.address.clone(),
                })
        })
        .collect::<Result<Vec<alloy_primitives::Address>, _>>()?;
    let threshold = match profile.sandbox_safe_threshold {
        Some(threshold) => threshold.get(),
        None => owners.len().clamp(1, 2),
    };
    let setup = SafeSetup { owners, threshold };
    setup.check()?;
    Ok(setup)
}
