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
    /// The threshold of the real Safe `sandbox up` deploys for this network's drills, whose
    /// owners are the workspace's operators: how many of their signatures execute a batch
    /// there. At least 1 and at most the number of operators; absent, 2 (1 with one operator).
    #[serde(default, deserialize_with = "threshold")]
    pub sandbox_safe_threshold: Option<std::num::NonZeroUsize>,
    /// A deployment manifest (relative to the workspace) naming the modules' addresses, of the
    /// shape `{"contracts": {"FeePool": "0x…"}}`; else `config/owner-control.<network>.json`.
    pub deployment: Option<String>,
    /// A PEM file (relative to the workspace) of certificate authorities trusted for this
    /// network's node besides the machine's: a node behind a private CA.
    pub ca_file: Option<String>,
    #[serde(default)]
    pub reads: ReadSettings,
    /// The catalogue's policy guardrails as this network wants them: a guardrail id and
    /// "fail", "warn" or "off". Contract limits cannot be named.
    #[serde(default)]
    pub policy: BTreeMap<String, crate::catalogue::guardrails::PolicySetting>,
}

/// How live reads of a network behave.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReadSettings {
    /// Each request to the node gives up after this long.
    pub timeout_secs: u64,
    /// Blocks on top of a receipt's before it counts.
    pub confirmations: u64,
    /// A state snapshot older than this needs a recorded acknowledgement before it is used.
    pub max_state_age_secs: Option<u64>,
    /// A node whose latest block is older than this is lagging: its reads verify nothing.
    pub max_block_age_secs: Option<u64>,
    /// The state panel reads again this often.
    pub refresh_secs: u64,
    /// Where the search for a set's members in its events starts: the block the platform was
    /// deployed at (0 searches the whole chain).
    pub logs_from_block: u64,
    /// Blocks asked for in one `eth_getLogs` (halved while the node refuses a range).
    pub logs_page_blocks: u64,
}

impl Default for ReadSettings {
    fn default() -> Self {
        Self {
            timeout_secs: 5,
            confirmations: 1,
            max_state_age_secs: None,
            max_block_age_secs: None,
            refresh_secs: 5,
            logs_from_block: 0,
            logs_page_blocks: 10_000,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Networks {
    pub networks: BTreeMap<String, Network>,
}

impl Networks {
    pub const FILE: &'static str = "config/networks.toml";

    pub fn parse(text: &str) -> Result<Self, crate::workspace::toml_file::TomlError> {
        crate::workspace::toml_file::parse(Self::FILE, text)
    }

    pub fn get(&self, name: &str) -> Option<&Network> {
        self.networks.get(name)
    }

    pub fn names(&self) -> Vec<&str> {
        self.networks.keys().map(String::as_str).collect()
    }
}

/// A Safe threshold: a whole number of at least 1, said by the field's name when it is not.
fn threshold<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<std::num::NonZeroUsize>, D::Error> {
    let given = usize::deserialize(deserializer)?;
    std::num::NonZeroUsize::new(given).map(Some).ok_or_else(|| {
        serde::de::Error::custom(
            "`sandbox_safe_threshold` is 0: a Safe's threshold is at least 1 (and at most its owners, the operators)",
        )
    })
}
