//! A running sandbox, as `sandbox up` left it: `storage/sandbox/<network>.json` names the
//! node (loopback URL, PID) and where the platform's modules and Safe live on it (the mock
//! platform's, or on a fork the network's own). A drill run of that network reads and writes
//! there.

use super::SandboxError;
use alloy_primitives::Address;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SandboxInfo {
    pub network: String,
    pub chain_id: u64,
    /// A loopback URL: no secret.
    pub url: String,
    pub pid: u32,
    pub started_at: String,
    pub contracts: BTreeMap<String, Address>,
    pub safe: Address,
    /// What seeded the modules' values (`snapshot <file>` or `config`).
    pub seeded_from: String,
    /// Values no setter could seed, and why.
    #[serde(default)]
    pub not_seeded: BTreeMap<String, String>,
    /// When a drill's chaos step stopped the node (its state saved for `restart-node`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// Set when the node is a fork of the network's node (`sandbox up --fork`): its modules and
    /// Safe are the network's own, at their real addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fork: Option<ForkOrigin>,
}

/// Where a fork sandbox's chain comes from: its network's node, at one block, reached through
/// the sandbox's relay (fork_relay.rs).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ForkOrigin {
    pub block: u64,
    /// The network's node, its URL redacted.
    pub node: String,
    pub relay_pid: u32,
    /// The relay's loopback URL, which anvil forks: no secret.
    pub relay_url: String,
}

impl ForkOrigin {
    pub fn relay_alive(&self) -> bool {
        pid_alive(self.relay_pid)
    }
}

fn pid_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill(2) with signal 0 only asks whether the process exists.
    unsafe { libc::kill(pid, 0) == 0 }
}

pub fn file_of(storage: &Path, network: &str) -> PathBuf {
    storage.join("sandbox").join(format!("{network}.json"))
}

impl SandboxInfo {
    pub fn load(storage: &Path, network: &str) -> Result<Self, SandboxError> {
        let path = file_of(storage, network);
        let text = std::fs::read_to_string(&path)
            .map_err(|_| SandboxError::NoSandbox(network.to_owned()))?;
        serde_json::from_str(&text).map_err(|error| SandboxError::Json { path, error })
    }

    /// The network's sandbox, refused when its node is gone. A node that a chaos step stopped
    /// still counts: reading it fails as on a real outage, until a `restart-node` step.
    pub fn running(storage: &Path, network: &str) -> Result<Self, SandboxError> {
        let info = Self::load(storage, network)?;
        if info.alive() || info.stopped.is_some() {
            Ok(info)
        } else {
            Err(SandboxError::NotRunning {
                network: network.to_owned(),
                pid: info.pid,
            })
        }
    }

    pub fn save(&self, storage: &Path) -> Result<(), SandboxError> {
        let path = file_of(storage, &self.network);
        let text = serde_json::to_string_pretty(self).map_err(SandboxError::Serialize)? + "\n";
        crate::workspace::durable::write(&path, text.as_bytes())
            .map_err(|error| SandboxError::Io { path, error })
    }

    /// Whether the node's process is still there.
    pub fn alive(&self) -> bool {
        pid_alive(self.pid)
    }

    /// Stops the node (SIGTERM), and a fork's relay, and forgets the sandbox.
    pub fn stop(&self, storage: &Path) -> Result<(), SandboxError> {
        if self.alive() {
            super::node::terminate(self.pid);
        }
        if let Some(fork) = self.fork.as_ref().filter(|fork| fork.relay_alive()) {
            super::node::terminate(fork.relay_pid);
        }
        let _ = std::fs::remove_file(state_file(storage, &self.network));
        let path = file_of(storage, &self.network);
        std::fs::remove_file(&path).map_err(|error| SandboxError::Io { path, error })
    }

    /// The node's port, from its loopback URL.
    pub fn port(&self) -> Result<u16, SandboxError> {
        self.url
            .rsplit(':')
            .next()
            .and_then(|port| port.trim_end_matches('/').parse().ok())
            .ok_or_else(|| SandboxError::NoPort(self.url.clone()))
    }
}

/// Where a stopped node's state waits for `restart-node`: what `anvil_dumpState` gave.
pub fn state_file(storage: &Path, network: &str) -> PathBuf {
    storage.join("sandbox").join(format!("{network}.state"))
}
