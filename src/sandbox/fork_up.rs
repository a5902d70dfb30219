//! `sandbox up --fork NETWORK [--block N]`: anvil started detached as a fork of the network's
//! node at one block (by default its head, the block `diff` and `simulate` read), reaching the
//! node through the sandbox's relay (fork_relay.rs): the real platform at its real addresses,
//! nothing deployed or seeded. The network's Safe is handed to the workspace's operators on the
//! fork only (fork_safe.rs), and the sandbox's record names the network's modules and Safe, so
//! that drills act on them as on any sandbox.

use super::SandboxError;
use super::deploy::Sender;
use super::fork::{Upstream, start_detached};
use super::fork_safe::{Handed, hand_to_operators};
use super::node::{find_for, terminate};
use super::state::{ForkOrigin, SandboxInfo};
use super::up::{safe_setup, startable};
use crate::chain::Chain;
use crate::workspace::context::Context;
use std::path::PathBuf;
use std::time::Duration;

/// A fork just started.
pub struct ForkStarted {
    pub info: SandboxInfo,
    pub handed: Handed,
    /// anvil's own log (the node's URL in it redacted).
    pub log: PathBuf,
}

pub async fn up_fork(
    ctx: &Context,
    network: &str,
    block: Option<u64>,
) -> Result<ForkStarted, SandboxError> {
    let profile = startable(ctx, network)?;
    let storage = &ctx.workspace.storage;
    let setup = safe_setup(ctx, profile)?;
    let catalogue = ctx.catalogue()?;
    let contracts = crate::chain::addresses::modules(ctx, &catalogue, network)
        .map_err(crate::chain::TargetError::from)?;
    let safe = crate::chain::addresses::safe(ctx, network)
        .map_err(crate::chain::TargetError::from)?
        .ok_or_else(|| SandboxError::NoNetworkSafe(network.to_owned()))?;
    let binary = find_for(ctx)?;
    let endpoint = crate::chain::live::endpoint(ctx, network)?;
    let block = Chain::connect(endpoint.clone())?.fork_block(block).await?;
    let folder = storage.join("sandbox");
    std::fs::create_dir_all(&folder).map_err(|error| SandboxError::Io {
        path: folder.clone(),
        error,
    })?;
    let log = folder.join(format!("{network}.anvil.log"));
    let relay_log = folder.join(format!("{network}.relay.log"));
    let (relay_pid, relay_url) = super::fork_relay::start_detached(ctx, network, &relay_log)?;
    let shown = endpoint.shown();
    let upstream = Upstream {
        url: &relay_url,
        shown: &shown,
        chain_id: profile.chain_id,
        block,
    };
    let (pid, port) = match start_detached(&binary, &upstream, 0, &log) {
        Ok(started) => started,
        Err(error) => {
            terminate(relay_pid);
            return Err(error);
        }
    };
    let url = format!("http://127.0.0.1:{port}");
    let stop = || {
        terminate(pid);
        terminate(relay_pid);
    };
    let handed = match hand_safe(&url, network, safe, block, &setup).await {
        Ok(handed) => handed,
        Err(error) => {
            stop();
            return Err(error);
        }
    };
    let info = SandboxInfo {
        network: network.to_owned(),
        chain_id: profile.chain_id,
        url,
        pid,
        started_at: crate::engine::clock::now(),
        contracts,
        safe,
        seeded_from: format!("the network's chain at block #{block} (a fork)"),
        not_seeded: Default::default(),
        stopped: None,
        fork: Some(ForkOrigin {
            block,
            node: shown,
            relay_pid,
            relay_url,
        }),
    };
    if let Err(error) = info.save(storage) {
        stop();
        return Err(error);
    }
    Ok(ForkStarted { info, handed, log })
}

async fn hand_safe(
    url: &str,
    network: &str,
    safe: alloy_primitives::Address,
    block: u64,
    setup: &super::real_safe::SafeSetup,
) -> Result<Handed, SandboxError> {
    let rpc = super::node::client_at(url)?;
    let sender = Sender {
        rpc: &rpc,
        timeout: Duration::from_secs(30),
    };
    hand_to_operators(&sender, network, safe, block, setup).await
}
