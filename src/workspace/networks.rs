//! `config/networks.toml`: the network profiles a run can target.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub description: String,
    pub chain_id: u64,
    /// Name of the environment variable that holds the RPC URL; never the URL itself.
    pub rpc_env: String,
    /// A state snapshot file (relative to the workspace) used when offline.
    pub snapshot: Option<String>,
    pub safe: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Networks {
    pub networks: BTreeMap<String, Network>,
}

impl Networks {
    pub const FILE: &'static str = "config/networks.toml";

    pub fn parse(text: &str) -> Result<Self, String> {
        crate::toml_file::parse(Self::FILE, text)
    }

    pub fn get(&self, name: &str) -> Option<&Network> {
        self.networks.get(name)
    }

    pub fn names(&self) -> Vec<&str> {
        self.networks.keys().map(String::as_str).collect()
    }
}
