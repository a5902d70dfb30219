//! The platform's real compiled modules (`../shared/fixtures/agijobs/build/`, see `SOURCE.md`)
//! on a local anvil: the $AGIALPHA token at its fixed address, deploys from the node's first
//! account, calls as any account, and calls executed by the real Safe v1.4.1
//! (`execTransaction`, as an executed Safe transaction does).

use alloy_dyn_abi::DynSolValue;
use alloy_primitives::{Address, B256, Bytes, U256};
use alloy_rpc_client::RpcClient;
use owner_console::catalogue::Catalogue;
use owner_console::safe::multisend::SafeCall;
use owner_console::sandbox::deploy::{Artifact, Sender, calldata};
use owner_console::sandbox::node::Node;
use owner_console::sandbox::safe_exec::execute_or_fail;
use std::path::Path;
use std::time::Duration;

/// The $AGIALPHA token's fixed address, where the modules expect it.
pub const AGIALPHA: &str = "0xA61a3B3a130a9c20768EEBF97E21515A6046a1fA";

/// `build/<name>.json` of the real platform.
pub fn real(name: &str) -> serde_json::Value {
    let path = super::agijobs::build().join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

pub fn artifact(name: &str) -> Artifact {
    let mut json = real(name);
    json["contractName"] = name.into();
    serde_json::from_value(json).unwrap()
}

/// The project's own `config/catalogue.toml`.
pub fn catalogue() -> Catalogue {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("config/catalogue.toml"),
    )
    .unwrap();
    Catalogue::parse(&text).unwrap()
}

/// A fresh anvil (chain 31337, `args` added), a JSON-RPC client to it and a runtime to drive
/// the client.
pub fn local_node(args: &[&str]) -> (Node, RpcClient, tokio::runtime::Runtime) {
    let node = Node::start(&super::chain::anvil(), 31337, args).unwrap();
    let rpc = RpcClient::new_http_with_client(
        owner_console::net::ExtraRoots::default().client().unwrap(),
        node.url().parse().unwrap(),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    (node, rpc, runtime)
}

pub struct RealChain {
    pub node: Node,
    pub rpc: RpcClient,
    pub runtime: tokio::runtime::Runtime,
    /// The node's first account: it deploys, and executes Safe transactions.
    pub deployer: Address,
}

impl RealChain {
    /// Anvil (chain id 31337, no code-size limit: StakeManager and JobRegistry exceed it) with
    /// MockERC20's code at the token's fixed address.
    pub fn start() -> Self {
        let (node, rpc, runtime) = local_node(&["--disable-code-size-limit"]);
        let token = real("MockERC20")["deployedBytecode"]
            .as_str()
            .unwrap()
            .to_owned();
        let _: serde_json::Value = runtime
            .block_on(rpc.request("anvil_setCode", (AGIALPHA, token)))
            .unwrap();
        let deployer = runtime
            .block_on(sender(&rpc).accounts())
            .unwrap()
            .first()
            .copied()
            .unwrap();
        Self {
            node,
            rpc,
            runtime,
            deployer,
        }
    }

    /// Anvil as [`Self::start`] starts it, with the whole state `anvil_dumpState` gave of
    /// another such node loaded (its contracts, accounts and blocks).
    pub fn loaded(state: &str) -> Self {
        let (node, rpc, runtime) = local_node(&["--disable-code-size-limit"]);
        let loaded: bool = runtime
            .block_on(rpc.request("anvil_loadState", (state,)))
            .unwrap();
        assert!(loaded, "anvil_loadState");
        let deployer = runtime.block_on(sender(&rpc).accounts()).unwrap()[0];
        Self {
            node,
            rpc,
            runtime,
            deployer,
        }
    }

    /// The node's whole state (`anvil_dumpState`), for [`Self::loaded`].
    pub fn dump(&self) -> String {
        self.runtime
            .block_on(self.rpc.request_noparams("anvil_dumpState"))
            .unwrap()
    }

    pub fn sender(&self) -> Sender<'_> {
        sender(&self.rpc)
    }

    pub fn accounts(&self) -> Vec<Address> {
        self.runtime.block_on(self.sender().accounts()).unwrap()
    }

    /// Deploys the real module `name` from the deployer.
    pub fn deploy(&self, name: &str, args: &[DynSolValue]) -> Address {
        self.deploy_artifact(&artifact(name), args)
    }

    pub fn deploy_artifact(&self, artifact: &Artifact, args: &[DynSolValue]) -> Address {
        self.runtime
            .block_on(self.sender().deploy(self.deployer, artifact, args))
            .unwrap_or_else(|e| panic!("{}: {e}", artifact.name))
    }

    /// Whether `signature(args)`, sent by `from`, succeeds.
    pub fn succeeds_as(&self, from: Address, to: Address, signature: &str, args: &[&str]) -> bool {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let data = calldata(signature, &args).unwrap();
        self.runtime
            .block_on(self.sender().submit(from, Some(to), data))
            .unwrap()
            .succeeded
    }

    /// Whether `signature(args)`, sent by the deployer, succeeds.
    pub fn succeeds(&self, to: Address, signature: &str, args: &[&str]) -> bool {
        self.succeeds_as(self.deployer, to, signature, args)
    }

    /// `data` executed by `safe` (a real Safe) through its `execTransaction`, its owners'
    /// approvals made on the node; panics naming the reason when the call inside reverts.
    pub fn through_safe(&self, safe: Address, to: Address, data: Bytes) -> B256 {
        let call = SafeCall::call(to, U256::ZERO, data);
        self.runtime
            .block_on(execute_or_fail(&self.sender(), safe, &call))
            .unwrap_or_else(|e| panic!("through the Safe to {to}: {e}"))
    }

    pub fn as_safe(&self, safe: Address, to: Address, signature: &str, args: &[&str]) -> B256 {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        self.through_safe(safe, to, calldata(signature, &args).unwrap())
    }

    /// The first word `signature()` returns at the latest block.
    pub fn read(&self, to: Address, signature: &str) -> U256 {
        let data = calldata(signature, &[]).unwrap();
        let out: Bytes = self
            .runtime
            .block_on(self.rpc.request(
                "eth_call",
                (serde_json::json!({"to": to, "data": data}), "latest"),
            ))
            .unwrap();
        U256::from_be_slice(&out[..32])
    }
}

fn sender(rpc: &RpcClient) -> Sender<'_> {
    Sender {
        rpc,
        timeout: Duration::from_secs(20),
    }
}
