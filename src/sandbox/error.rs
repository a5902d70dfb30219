//! Why a sandbox cannot be started, read, driven or faulted: each said as the operator is told.

use alloy_json_rpc::RpcError;
use alloy_primitives::{Address, B256};
use alloy_transport::TransportErrorKind;
use std::path::PathBuf;
use std::process::ExitStatus;
use std::time::Duration;

pub type RpcFailure = RpcError<TransportErrorKind>;

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("no sandbox for `{0}`: start one with `owner-console sandbox up --network {0}`")]
    NoSandbox(String),
    #[error(
        "the sandbox of `{network}` is not running (its node, pid {pid}, is gone): `owner-console sandbox up --network {network}` again"
    )]
    NotRunning { network: String, pid: u32 },
    #[error(
        "the sandbox of `{network}` already runs at {url} (pid {pid}): `sandbox down --network {network}` first"
    )]
    AlreadyRuns {
        network: String,
        url: String,
        pid: u32,
    },
    #[error("offline: a sandbox is a (local) network connection; drop --offline")]
    Offline,
    #[error("network `{0}` is not in config/networks.toml")]
    UnknownNetwork(String),
    #[error(transparent)]
    Context(#[from] crate::workspace::context::ContextError),
    /// Boxed: a change's error can hold a sandbox's. No source: the message says it all.
    #[error("{0}")]
    State(Box<crate::change::ChangeError>),
    #[error("{}: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: {error}", .path.display())]
    Json {
        path: PathBuf,
        error: serde_json::Error,
    },
    #[error("{0}")]
    Serialize(serde_json::Error),
    #[error("the sandbox URL `{0}` has no port")]
    NoPort(String),
    #[error("the sandbox URL `{0}` is not a URL")]
    NotAUrl(String),
    #[error(transparent)]
    Client(#[from] crate::net::RootsError),
    #[error(
        "no anvil binary: run `npm ci` in the project (it installs {}) or set OWNER_CONSOLE_ANVIL",
        super::node::PACKAGE_BINARY
    )]
    NoAnvil,
    #[error("{}: cannot start: {error}", .binary.display())]
    CannotStart {
        binary: PathBuf,
        error: std::io::Error,
    },
    #[error("anvil has no stdout")]
    NoStdout,
    #[error("anvil did not say it was listening within 20 s")]
    Silent,
    #[error("anvil did not say it was listening within 20 s; see {}", .0.display())]
    SilentSeeLog(PathBuf),
    #[error("anvil listens on `{0}`, which has no port")]
    ListensWithoutPort(String),
    #[error("anvil exited ({status}); see {}", .log.display())]
    Exited { status: ExitStatus, log: PathBuf },
    /// `what`: the call and, where it helps, what its failure means.
    #[error("{what}: {error}")]
    Rpc {
        what: &'static str,
        error: Box<RpcFailure>,
    },
    #[error("the sandbox node (pid {0}) cannot be stopped")]
    CannotStop(u32),
    #[error("the sandbox node (pid {pid}) still answers on port {port} 10 s after SIGTERM")]
    StillAnswers { pid: u32, port: u16 },
    #[error(
        "{}: {error}: no saved state to restart from (a stop-node step saves it)",
        .path.display()
    )]
    NoSavedState {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "the restarted node did not take the saved state: the Safe {} has no code; stopped it again",
        .0.to_checksum(None)
    )]
    StateNotTaken(Address),
    #[error(
        "the sandbox has no snapshot {0} any more (reverted already, or its node was restarted since): nothing was undone"
    )]
    NoSnapshot(String),
    #[error("{file}: missing")]
    NoArtifact { file: String },
    #[error("{file}: {error}")]
    BadArtifact {
        file: String,
        error: serde_json::Error,
    },
    #[error("the node has no unlocked account")]
    NoAccount,
    #[error("the sandbox node has no unlocked account to execute with")]
    NoExecutor,
    #[error("transaction {0:#x} reverted")]
    Reverted(B256),
    #[error("{signature} reverted: {why}")]
    CallReverted { signature: String, why: String },
    #[error("transaction {hash:#x} not mined within {timeout:?}")]
    NotMined { hash: B256, timeout: Duration },
    #[error("{name}: constructor arguments: {error}")]
    Constructor {
        name: String,
        error: Box<alloy_dyn_abi::Error>,
    },
    #[error("{0}: the deployment created no contract")]
    NoContract(String),
    #[error("its setter needs {0} too, which the state lacks")]
    GroupIncomplete(String),
    #[error("`{signature}` is not a Solidity signature: {error}")]
    NotASignature {
        signature: String,
        error: Box<alloy_json_abi::parser::Error>,
    },
    #[error("{signature} takes {takes} argument(s), not {given}")]
    WrongArity {
        signature: String,
        takes: usize,
        given: usize,
    },
    #[error("{signature}: type {ty}: {error}")]
    BadType {
        signature: String,
        ty: String,
        error: Box<alloy_dyn_abi::Error>,
    },
    #[error("{signature}: `{text}` is not a {ty}: {error}")]
    BadArgument {
        signature: String,
        text: String,
        ty: String,
        error: Box<alloy_dyn_abi::Error>,
    },
    #[error("{signature}: {error}")]
    Encode {
        signature: String,
        error: Box<alloy_dyn_abi::Error>,
    },
    #[error("the sandbox's platform did not deploy: {0}")]
    NotDeployed(Box<SandboxError>),
    #[error("the Safe's execution {hash:#x} reverted: {why}")]
    ExecutionReverted { hash: B256, why: String },
    #[error(
        "no Safe contracts: run `npm ci` in the project (it installs {} v1.4.1 beside anvil)",
        super::real_safe::PACKAGE
    )]
    NoSafeContracts,
    #[error(
        "config/operators.toml lists no operator: the sandbox's Safe would have no owner (its owners are the operators' addresses)"
    )]
    NoOwners,
    #[error("config/operators.toml: operator `{name}`: `{address}` is not an address")]
    OperatorAddress { name: String, address: String },
    #[error(
        "the sandbox's Safe threshold {threshold} is not between 1 and its {owners} owner(s) (the operators in config/operators.toml): change `sandbox_safe_threshold` of the network in config/networks.toml"
    )]
    Threshold { threshold: usize, owners: usize },
    #[error("{} cannot own a Safe (the Safe refuses the zero address and its sentinel 0x…01)", .0.to_checksum(None))]
    BadOwner(Address),
    #[error("{} is listed twice in config/operators.toml: a Safe owner is listed once", .0.to_checksum(None))]
    DuplicateOwner(Address),
    #[error("{} does not answer {what} as a Safe v1.4.1 does", .safe.to_checksum(None))]
    NotASafe { safe: Address, what: String },
    #[error("anvil could not fork {node} at block #{block}: {detail}")]
    ForkFailed {
        block: u64,
        node: String,
        detail: String,
    },
    /// The network's node, its profile or its addresses, as a read of it says why not.
    #[error("{0}")]
    Network(Box<crate::chain::TargetError>),
    #[error(
        "network `{0}` names no `safe` in config/networks.toml: a fork's drills act through the network's Safe"
    )]
    NoNetworkSafe(String),
    #[error(
        "the Safe of `{network}` in config/networks.toml, {}, is not a Safe (v1.3.0 or later) on the fork at block #{block}: {found}",
        .safe.to_checksum(None)
    )]
    NotASafeV1 {
        network: String,
        safe: Address,
        block: u64,
        found: String,
    },
    #[error("the relay to the network's node did not start: {0}")]
    RelayFailed(String),
    #[error(
        "the relay of the sandbox of `{network}` to the network's node (pid {pid}) is gone: `owner-console sandbox down --network {network}`, then `sandbox up --fork {network}` again"
    )]
    RelayGone { network: String, pid: u32 },
    #[error(
        "the Safe {} did not take the operators on the fork: {what}",
        .safe.to_checksum(None)
    )]
    OwnersNotTaken { safe: Address, what: String },
    #[error(
        "the approvers signed Safe transaction {signed:#x}, but the Safe's hash of this batch at its nonce {nonce} is now {now:#x} (another Safe transaction ran since the batch was prepared): prepare the batch again and sign off anew"
    )]
    SignedAnotherTransaction {
        signed: B256,
        now: B256,
        nonce: alloy_primitives::U256,
    },
}

impl From<crate::chain::TargetError> for SandboxError {
    fn from(error: crate::chain::TargetError) -> Self {
        Self::Network(Box::new(error))
    }
}

impl From<crate::chain::ChainError> for SandboxError {
    fn from(error: crate::chain::ChainError) -> Self {
        Self::Network(Box::new(error.into()))
    }
}
