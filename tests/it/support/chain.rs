//! A real local chain for the tests: anvil (from the npm package) with the mock platform
//! deployed and seeded through the catalogue's setters (once per process, then loaded from its
//! saved state: saved_chain.rs), and a workspace whose `demo` network points at it.

use alloy_primitives::{Address, B256};
use alloy_rpc_client::RpcClient;
use owner_console::safe::multisend::SafeCall;
use owner_console::sandbox::deploy::{Deployment, Sender};
use owner_console::sandbox::node::{Node, find_anvil};
use owner_console::sandbox::safe_exec::execute_or_fail;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

pub const DEMO_RPC_ENV: &str = "OWNER_CONSOLE_DEMO_RPC_URL";

/// A runbook `check-offline` of one chain-check step: JobRegistry reads not paused.
/// Adds a runbook to the workspace as `runbooks/emergency/<name>.toml`.
pub fn add_runbook(workspace: &Path, name: &str, text: &str) {
    let path = workspace.join(format!("runbooks/emergency/{name}.toml"));
    std::fs::write(path, text).unwrap();
}

/// A runbook that checks intake is open, checks the receipt of a pause (`EVENT`: the event
/// expected), then checks intake is paused.
pub const RECEIPT_RUNBOOK: &str = r#"
id = "pause-and-verify"
title = "Pause job intake and verify it on chain"
kind = "emergency"
severity = "high"
version = "1.0.0"
summary = "Check intake is open, pause it through the Safe, check the receipt and the new state."
networks = ["demo"]

[[steps]]
id = "open"
title = "Intake is open"
kind = "chain-check"

[[steps.checks]]
contract = "JobRegistry"
call = "paused()(bool)"
op = "=="
value = "false"

[[steps.checks]]
contract = "FeePool"
call = "burnPct()(uint256)"
op = "<="
value = "5"

[[steps.checks]]
contract = "FeePool"
call = "owner()(address)"
op = "role"
value = "safe"

[[steps]]
id = "receipt"
title = "The pause receipt"
kind = "receipt"
contract = "JobRegistry"
events = ["EVENT"]

[[steps]]
id = "paused"
title = "Intake is paused"
kind = "chain-check"

[[steps.checks]]
contract = "JobRegistry"
call = "paused()(bool)"
op = "=="
value = "true"
"#;

/// A home whose key `tester` is a listed operator of the workspace (so it may sign snapshots).
pub fn listed_home(workspace: &Path) -> super::cli::Home {
    let home = super::cli::Home::empty();
    let address = home.add_key("tester");
    let path = workspace.join("config/operators.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&super::cli::operators_toml(&[(
        "tester",
        &address,
        &["operator", "pauser"],
    )]));
    std::fs::write(path, text).unwrap();
    home
}

/// The binary in `workspace`, reading the demo network at `url`.
pub fn live_cli(
    home: &super::cli::Home,
    workspace: &Path,
    url: &str,
    args: &[&str],
) -> std::process::Output {
    home.cli_env(
        workspace,
        super::cli::PASSPHRASE,
        &[(DEMO_RPC_ENV, url)],
        args,
    )
}

pub const CHECK_RUNBOOK: &str = r#"
id = "check-offline"
title = "Check intake"
kind = "emergency"
severity = "low"
version = "1.0.0"
summary = "One chain check: job intake is open."
networks = ["demo"]

[[steps]]
id = "open"
title = "Intake is open"
kind = "chain-check"

[[steps.checks]]
contract = "JobRegistry"
call = "paused()(bool)"
op = "=="
value = "false"
"#;

pub struct Platform {
    pub node: Node,
    pub deployment: Deployment,
    pub runtime: tokio::runtime::Runtime,
    rpc: RpcClient,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

pub fn anvil() -> std::path::PathBuf {
    find_anvil(&[Path::new(env!("CARGO_MANIFEST_DIR"))]).unwrap()
}

/// The values a workspace's demo snapshot holds (chain units), to seed a chain with.
pub fn snapshot_values(workspace: &Path) -> BTreeMap<String, serde_json::Value> {
    let text = std::fs::read_to_string(workspace.join("assets/demo-state.json")).unwrap();
    let snapshot: serde_json::Value = serde_json::from_str(&text).unwrap();
    serde_json::from_value(snapshot["values"].clone()).unwrap()
}

impl Platform {
    /// A node with chain id 31337 (the demo network's) and the platform seeded with `values`;
    /// `extra` are more anvil arguments.
    pub fn start(
        workspace: &Path,
        values: &BTreeMap<String, serde_json::Value>,
        extra: &[&str],
    ) -> Self {
        Self::start_on(workspace, values, 31337, extra)
    }

    pub fn start_on(
        workspace: &Path,
        values: &BTreeMap<String, serde_json::Value>,
        chain_id: u64,
        extra: &[&str],
    ) -> Self {
        let saved = super::saved_chain::saved(workspace, values, chain_id);
        let node = Node::start(&anvil(), chain_id, extra).unwrap();
        saved.load_into(&node.url());
        let rpc = RpcClient::new_http_with_client(
            owner_console::net::ExtraRoots::default().client().unwrap(),
            node.url().parse().unwrap(),
        );
        let platform = Self {
            node,
            deployment: saved.deployment.clone(),
            runtime: runtime(),
            rpc,
        };
        platform.point_demo_network_here(workspace);
        platform
    }

    /// Writes `deployment.json` into the workspace and names it, and the Safe, in the demo
    /// network's profile.
    pub fn point_demo_network_here(&self, workspace: &Path) {
        let manifest = self.deployment.manifest("demo", self.node.chain_id);
        std::fs::write(
            workspace.join("deployment.json"),
            serde_json::to_string_pretty(&manifest).unwrap(),
        )
        .unwrap();
        let path = workspace.join("config/networks.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out = String::new();
        for line in text.lines() {
            if line.starts_with("safe = \"0x5afe") {
                out.push_str(&format!(
                    "safe = \"{}\"\ndeployment = \"deployment.json\"\n",
                    self.deployment.safe.to_checksum(None)
                ));
            } else {
                out.push_str(line);
                out.push('\n');
            }
        }
        assert!(
            out.contains("deployment.json"),
            "the demo profile has its safe line"
        );
        std::fs::write(path, out).unwrap();
    }

    pub fn url(&self) -> String {
        self.node.url()
    }

    pub fn module(&self, name: &str) -> Address {
        self.deployment.contracts[name]
    }

    pub fn rpc<T: serde::de::DeserializeOwned + std::fmt::Debug + Send + Sync + Unpin + 'static>(
        &self,
        method: &'static str,
        params: serde_json::Value,
    ) -> T {
        self.runtime
            .block_on(self.rpc.request(method, params))
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// Executes `signature(args)` on `to` through the Safe's `execTransaction`, sent from the
    /// deployer: what an executed Safe transaction does. Returns the transaction hash.
    pub fn as_safe(&self, to: Address, signature: &str, args: &[&str]) -> B256 {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let data = owner_console::sandbox::deploy::calldata(signature, &args).unwrap();
        self.through_safe(to, data)
    }

    /// Sends `signature(args)` to `to` from one of the node's own accounts (not the Safe, so
    /// a call only the owner may make reverts), and waits until it is mined, reverted or not.
    pub fn submit_as_stranger(
        &self,
        to: Address,
        signature: &str,
        args: &[&str],
    ) -> owner_console::sandbox::deploy::Mined {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let data = owner_console::sandbox::deploy::calldata(signature, &args).unwrap();
        let sender = Sender {
            rpc: &self.rpc,
            timeout: Duration::from_secs(10),
        };
        self.runtime.block_on(async {
            let accounts = sender.accounts().await.unwrap();
            sender.submit(accounts[1], Some(to), data).await.unwrap()
        })
    }

    fn through_safe(&self, to: Address, data: alloy_primitives::Bytes) -> B256 {
        let sender = Sender {
            rpc: &self.rpc,
            timeout: Duration::from_secs(10),
        };
        let call = SafeCall::call(to, alloy_primitives::U256::ZERO, data);
        self.runtime
            .block_on(execute_or_fail(&sender, self.deployment.safe, &call))
            .unwrap()
    }

    /// Deploys one more contract of `assets/contracts/build/` (constructor without arguments).
    pub fn deploy(&self, workspace: &Path, name: &str) -> Address {
        let read = |relative: &str| std::fs::read_to_string(workspace.join(relative)).ok();
        let artifact = owner_console::sandbox::deploy::artifact(name, &read).unwrap();
        let sender = Sender {
            rpc: &self.rpc,
            timeout: Duration::from_secs(10),
        };
        self.runtime
            .block_on(sender.deploy(self.deployment.deployer, &artifact, &[]))
            .unwrap()
    }

    /// Rewrites the workspace's deployment manifest with `module` at `address`.
    pub fn move_module(&self, workspace: &Path, module: &str, address: Address) {
        let path = workspace.join("deployment.json");
        let mut manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        manifest["contracts"][module] = serde_json::json!(address.to_checksum(None));
        std::fs::write(path, manifest.to_string()).unwrap();
    }

    /// Executes a prepared Safe batch file as the Safe would: each transaction through the
    /// Safe's `execTransaction`. Returns the transaction hashes.
    pub fn execute_batch(&self, batch: &Path) -> Vec<B256> {
        let batch: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(batch).unwrap()).unwrap();
        batch["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|tx| {
                let to: Address = tx["to"].as_str().unwrap().parse().unwrap();
                let data: alloy_primitives::Bytes = tx["data"].as_str().unwrap().parse().unwrap();
                self.through_safe(to, data)
            })
            .collect()
    }

    pub fn mine(&self, blocks: u64) {
        let _: serde_json::Value = self.rpc("anvil_mine", serde_json::json!([blocks]));
    }
}

/// Adds `[networks.<network>.reads]` settings to the workspace's networks.toml.
pub fn set_reads(workspace: &Path, network: &str, settings: &str) {
    let path = workspace.join("config/networks.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!("\n[networks.{network}.reads]\n{settings}\n"));
    std::fs::write(path, text).unwrap();
}
