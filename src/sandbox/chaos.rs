//! Faults injected into a running sandbox, for real: its node stopped (its state saved
//! first), started again from that state on the same port and with the same addresses, or the
//! last executed batch undone by going back to the snapshot taken just before it.

use super::SandboxError;
use super::state::{SandboxInfo, state_file};
use alloy_rpc_client::RpcClient;
use std::path::Path;
use std::time::{Duration, Instant};

fn client(info: &SandboxInfo) -> Result<RpcClient, SandboxError> {
    super::node::client_at(&info.url)
}

/// The node's latest block, when it answers.
pub async fn head(info: &SandboxInfo) -> Option<u64> {
    let number: alloy_primitives::U64 = client(info)
        .ok()?
        .request_noparams("eth_blockNumber")
        .await
        .ok()?;
    Some(number.to())
}

fn answers(port: u16) -> bool {
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    std::net::TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok()
}

/// Saves the node's whole state (fsync'd), then stops it and waits until its port no longer
/// answers. The sandbox stays recorded, marked stopped.
pub async fn stop_node(storage: &Path, info: &mut SandboxInfo) -> Result<String, SandboxError> {
    let port = info.port()?;
    let state: String = client(info)?
        .request_noparams("anvil_dumpState")
        .await
        .map_err(|error| SandboxError::Rpc {
            what: "the sandbox node does not give its state (anvil_dumpState)",
            error: Box::new(error),
        })?;
    let path = state_file(storage, &info.network);
    crate::workspace::durable::write(&path, state.as_bytes()).map_err(|error| {
        SandboxError::Io {
            path: path.clone(),
            error,
        }
    })?;
    if !super::node::terminate(info.pid) {
        return Err(SandboxError::CannotStop(info.pid));
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while answers(port) {
        if Instant::now() > deadline {
            return Err(SandboxError::StillAnswers {
                pid: info.pid,
                port,
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    info.stopped = Some(crate::engine::clock::now());
    info.save(storage)?;
    Ok(format!(
        "saved the node's state ({} bytes) to {}, then stopped anvil (pid {}) on port {port}",
        state.len(),
        path.display(),
        info.pid
    ))
}

/// Starts a stopped node again on its port, loads the state it had, and checks that the
/// Safe's code is back at its address. A fork's node forks its network's node again (through
/// the sandbox's relay) at the same block first: the state it saved holds only what changed on
/// the fork.
pub async fn restart_node(
    storage: &Path,
    info: &mut SandboxInfo,
    binary: &Path,
) -> Result<String, SandboxError> {
    let port = info.port()?;
    let path = state_file(storage, &info.network);
    let state = std::fs::read_to_string(&path).map_err(|error| SandboxError::NoSavedState {
        path: path.clone(),
        error,
    })?;
    let log = storage
        .join("sandbox")
        .join(format!("{}.restarted.anvil.log", info.network));
    let (pid, _) = match &info.fork {
        None => super::node::start_detached(binary, info.chain_id, port, &log)?,
        Some(origin) if !origin.relay_alive() => {
            return Err(SandboxError::RelayGone {
                network: info.network.clone(),
                pid: origin.relay_pid,
            });
        }
        Some(origin) => {
            let upstream = super::fork::Upstream {
                url: &origin.relay_url,
                shown: &origin.node,
                chain_id: info.chain_id,
                block: origin.block,
            };
            super::fork::start_detached(binary, &upstream, port, &log)?
        }
    };
    let rpc = client(info)?;
    let loaded: bool = rpc
        .request("anvil_loadState", (state.trim(),))
        .await
        .map_err(|error| SandboxError::Rpc {
            what: "the restarted node refuses the saved state",
            error: Box::new(error),
        })?;
    let code: String = rpc
        .request("eth_getCode", (info.safe, "latest"))
        .await
        .map_err(|error| SandboxError::Rpc {
            what: "the restarted node does not answer",
            error: Box::new(error),
        })?;
    if !loaded || code.trim_start_matches("0x").is_empty() {
        super::node::terminate(pid);
        return Err(SandboxError::StateNotTaken(info.safe));
    }
    info.pid = pid;
    info.stopped = None;
    info.save(storage)?;
    let forking = match &info.fork {
        Some(origin) => format!(" forking the network's node at block #{}", origin.block),
        None => String::new(),
    };
    Ok(format!(
        "started anvil again (pid {pid}) on port {port}{forking} with the state saved in {}; the Safe and modules are at their addresses",
        path.display()
    ))
}

/// Goes back to the sandbox snapshot `snapshot` (taken just before a batch was executed):
/// what the batch changed is undone on the chain.
pub async fn revert_to(info: &SandboxInfo, snapshot: &str) -> Result<String, SandboxError> {
    let reverted: bool = client(info)?
        .request("evm_revert", (snapshot,))
        .await
        .map_err(|error| SandboxError::Rpc {
            what: "the sandbox refuses evm_revert",
            error: Box::new(error),
        })?;
    if !reverted {
        return Err(SandboxError::NoSnapshot(snapshot.to_owned()));
    }
    Ok(format!(
        "went back to sandbox snapshot {snapshot}, taken just before the run's last batch was executed: what the batch changed is undone on the chain"
    ))
}
