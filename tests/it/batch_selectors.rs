//! A batch's selectors against deployed code: the dispatcher read from the platform's real
//! compiled modules (`../shared/fixtures/agijobs/build/`) holds every function of their ABIs,
//! and `batch show FILE --network N` names, on a real anvil, each call whose target lacks the
//! function, a call to an address with no code, and calls through EIP-1967 and EIP-1167
//! proxies (checked against the implementation's code).

use crate::support::chain::DEMO_RPC_ENV;
use crate::support::cli::{Home, json, text};
use alloy_primitives::{Address, B256};
use alloy_rpc_client::RpcClient;
use owner_console::chain::deployed::IMPLEMENTATION_SLOT;
use owner_console::chain::dispatcher::Dispatcher;
use owner_console::safe::{PlannedCall, build_batch};
use owner_console::sandbox::node::Node;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn modules() -> BTreeMap<String, serde_json::Value> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(crate::support::agijobs::build()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            out.insert(name, json);
        }
    }
    out
}

fn hex_bytes(text: &str) -> Vec<u8> {
    hex::decode(text.trim_start_matches("0x")).unwrap()
}

/// The selectors of the module's ABI, from the fixture's `methodIdentifiers`.
fn abi_selectors(module: &serde_json::Value) -> BTreeSet<[u8; 4]> {
    module["methodIdentifiers"]
        .as_object()
        .unwrap()
        .values()
        .map(|s| hex_bytes(s.as_str().unwrap()).try_into().unwrap())
        .collect()
}

#[test]
fn the_dispatcher_of_every_real_module_holds_its_whole_abi_and_no_other_modules_function() {
    let modules = modules();
    assert!(modules.len() >= 15, "found {} modules", modules.len());
    let every_selector: BTreeSet<[u8; 4]> = modules.values().flat_map(abi_selectors).collect();
    let mut extras = Vec::new();
    for (name, module) in &modules {
        let code = hex_bytes(module["deployedBytecode"].as_str().unwrap());
        let found = Dispatcher::read(&code);
        let own = abi_selectors(module);
        let lost: Vec<String> = own.difference(&found.selectors).map(hex::encode).collect();
        assert!(lost.is_empty(), "{name}: ABI selectors not found: {lost:?}");
        // What is collected beyond the ABI is never another module's function...
        let foreign: Vec<String> = found
            .selectors
            .difference(&own)
            .filter(|s| every_selector.contains(*s))
            .map(hex::encode)
            .collect();
        assert!(
            foreign.is_empty(),
            "{name} claims functions it lacks: {foreign:?}"
        );
        // ...and stays small beside the real ones.
        let extra = found.selectors.len() - own.len();
        assert!(extra <= own.len(), "{name}: {extra} extra constants");
        // The trailer was found (solc's 0xa2 map, 51 bytes plus its length) and left out.
        assert_eq!(found.code_bytes, code.len() - 53, "{name}: trailer");
        assert!(!found.is_proxy(), "{name} read as a proxy");
        extras.push(format!("{name} {}+{extra}", own.len()));
    }
    println!("selectors (ABI + extra constants): {}", extras.join(", "));
}

/// A plain anvil with real modules' runtime code put at fixed addresses, and a workspace whose
/// demo network points at it and names them in its deployment manifest.
struct Deployed {
    node: Node,
    runtime: tokio::runtime::Runtime,
    rpc: RpcClient,
    workspace: tempfile::TempDir,
    home: Home,
}

const FEE_POOL: Address = Address::repeat_byte(0x11);
const STAKE_MANAGER: Address = Address::repeat_byte(0x22);
const EIP1967_PROXY: Address = Address::repeat_byte(0x33);
const CLONE: Address = Address::repeat_byte(0x44);
const EMPTY_PROXY: Address = Address::repeat_byte(0x55);
const NOBODY: Address = Address::repeat_byte(0x66);
const SAFE: Address = Address::repeat_byte(0x5a);

/// A forwarding proxy: copies calldata, DELEGATECALLs the address in the EIP-1967 slot, and
/// returns or reverts with what came back. It dispatches nothing itself.
fn eip1967_proxy_code() -> String {
    format!(
        "365f5f37 5f5f 36 5f 7f{} 54 5a f4 3d5f5f3e 6036 57 3d5ffd 5b 3d5ff3",
        hex::encode(IMPLEMENTATION_SLOT)
    )
    .replace(' ', "")
}

/// An EIP-1167 clone of `implementation`.
fn clone_code(implementation: Address) -> String {
    format!(
        "363d3d373d3d3d363d73{}5af43d82803e903d91602b57fd5bf3",
        hex::encode(implementation)
    )
}

impl Deployed {
    fn start() -> Self {
        let (node, rpc, runtime) = crate::support::real_chain::local_node(&[]);
        let deployed = Self {
            node,
            runtime,
            rpc,
            workspace: crate::support::workspace::shipped_workspace(),
            home: Home::empty(),
        };
        let modules = modules();
        let code = |name: &str| {
            modules[name]["deployedBytecode"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        deployed.set_code(FEE_POOL, &code("FeePool"));
        deployed.set_code(STAKE_MANAGER, &code("StakeManager"));
        deployed.set_code(EIP1967_PROXY, &eip1967_proxy_code());
        deployed.set_code(EMPTY_PROXY, &eip1967_proxy_code());
        deployed.set_code(CLONE, &clone_code(STAKE_MANAGER));
        let slot = B256::left_padding_from(FEE_POOL.as_slice());
        let _: serde_json::Value = deployed
            .runtime
            .block_on(deployed.rpc.request(
                "anvil_setStorageAt",
                (EIP1967_PROXY, IMPLEMENTATION_SLOT, slot),
            ))
            .unwrap();
        deployed.name_modules();
        deployed
    }

    fn set_code(&self, at: Address, code: &str) {
        let code = format!("0x{}", code.trim_start_matches("0x"));
        let _: serde_json::Value = self
            .runtime
            .block_on(self.rpc.request("anvil_setCode", (at, code)))
            .unwrap();
    }

    /// The demo network's deployment manifest names the two modules.
    fn name_modules(&self) {
        let root = self.workspace.path();
        let manifest = serde_json::json!({ "contracts": {
            "FeePool": FEE_POOL.to_checksum(None),
            "StakeManager": STAKE_MANAGER.to_checksum(None),
        }});
        std::fs::write(root.join("deployment.json"), manifest.to_string()).unwrap();
        let path = root.join("config/networks.toml");
        let text = std::fs::read_to_string(&path).unwrap().replacen(
            "[networks.demo]\n",
            "[networks.demo]\ndeployment = \"deployment.json\"\n",
            1,
        );
        std::fs::write(path, text).unwrap();
    }

    /// A batch file of `calls` (target, signature, arguments) on the demo chain.
    fn batch(&self, name: &str, calls: &[(Address, &str, &[&str])]) -> std::path::PathBuf {
        let planned: Vec<PlannedCall> = calls
            .iter()
            .map(|(to, signature, args)| PlannedCall::new("Module", *to, signature, args))
            .collect();
        let batch = build_batch(31337, SAFE, name, "", &planned, 1_761_326_849_944).unwrap();
        let path = self.workspace.path().join(format!("{name}.json"));
        std::fs::write(&path, batch.to_json_pretty()).unwrap();
        path
    }

    fn show(&self, file: &Path, extra: &[&str]) -> std::process::Output {
        let file = file.to_str().unwrap();
        let mut args = vec!["batch", "show", file, "--network", "demo"];
        args.extend(extra);
        self.home.cli_env(
            self.workspace.path(),
            crate::support::cli::PASSPHRASE,
            &[(DEMO_RPC_ENV, &self.node.url())],
            &args,
        )
    }
}

fn exit_code(output: &std::process::Output) -> Option<i32> {
    output.status.code()
}

#[test]
fn batch_show_against_a_network_names_each_call_the_deployed_code_lacks() {
    let started = std::time::Instant::now();
    let chain = Deployed::start();
    let good = chain.batch(
        "good",
        &[
            (FEE_POOL, "setBurnPct(uint256 pct)", &["5"]),
            (STAKE_MANAGER, "setMinStake(uint256 stake)", &["10"]),
        ],
    );
    let shown = chain.show(&good, &[]);
    let (out, err) = text(&shown);
    assert_eq!(exit_code(&shown), Some(0), "{out}\n{err}");
    assert!(
        out.contains("every call's function is in the code at its target"),
        "{out}"
    );

    // StakeManager's setter sent to FeePool: FeePool has no such function.
    let bad = chain.batch(
        "bad",
        &[
            (FEE_POOL, "setBurnPct(uint256 pct)", &["5"]),
            (FEE_POOL, "setMinStake(uint256 stake)", &["10"]),
        ],
    );
    let shown = chain.show(&bad, &[]);
    let (out, err) = text(&shown);
    assert_eq!(exit_code(&shown), Some(1), "{out}\n{err}");
    let selector = format!(
        "0x{}",
        hex::encode(&alloy_primitives::keccak256("setMinStake(uint256)")[..4])
    );
    let named = out
        .lines()
        .find(|l| l.contains("FAIL transactions[1] to"))
        .unwrap_or_else(|| panic!("the missing call is not named:\n{out}"));
    for part in [
        &FEE_POOL.to_checksum(None),
        "(FeePool)",
        "setMinStake",
        &selector,
        "the contract has no such function",
    ] {
        assert!(named.contains(part), "{part} in {named}");
    }
    assert!(
        !out.contains("FAIL transactions[0]"),
        "the good call is not named:\n{out}"
    );

    let shown = chain.show(&bad, &["--json"]);
    assert_eq!(exit_code(&shown), Some(1));
    let report = json(&shown);
    let calls = report["deployed"]["calls"].as_array().unwrap();
    assert_eq!(calls[0]["outcome"], "dispatched");
    assert_eq!(calls[1]["outcome"], "missing");
    assert_eq!(calls[1]["contract"], "FeePool");
    assert_eq!(calls[1]["selector"], selector.as_str());
    assert!(report["deployed"]["block"].as_u64().is_some());
    let deployed_checks: Vec<&serde_json::Value> = report["transactions"][1]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "deployed")
        .collect();
    assert_eq!(deployed_checks.len(), 1);
    assert_eq!(deployed_checks[0]["status"], "fail");

    // Offline, the same file passes: no check looks at deployed code.
    let offline = chain.home.cli(
        chain.workspace.path(),
        &["batch", "show", bad.to_str().unwrap()],
    );
    assert_eq!(exit_code(&offline), Some(0), "{:?}", text(&offline));
    println!("batch show against anvil: {:?}", started.elapsed());
}

#[test]
fn calls_to_no_code_and_through_proxies_are_named() {
    let chain = Deployed::start();
    let file = chain.batch(
        "proxies",
        &[
            (NOBODY, "setBurnPct(uint256 pct)", &["5"]),
            (EIP1967_PROXY, "setBurnPct(uint256 pct)", &["5"]),
            (EIP1967_PROXY, "setMinStake(uint256 stake)", &["10"]),
            (CLONE, "setMinStake(uint256 stake)", &["10"]),
            (CLONE, "setRewardRole(uint8 role)", &["1"]),
            (EMPTY_PROXY, "setBurnPct(uint256 pct)", &["5"]),
        ],
    );
    let shown = chain.show(&file, &["--json"]);
    assert_eq!(exit_code(&shown), Some(1), "{:?}", text(&shown));
    let report = json(&shown);
    let calls = report["deployed"]["calls"].as_array().unwrap();
    let outcomes: Vec<&str> = calls
        .iter()
        .map(|c| c["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        [
            "no-code",
            "dispatched-by-implementation",
            "missing-in-implementation",
            "dispatched-by-implementation",
            "missing-in-implementation",
            "proxy-unchecked",
        ]
    );
    assert_eq!(calls[1]["proxy"]["kind"], "EIP-1967");
    assert_eq!(
        calls[1]["proxy"]["implementation"],
        FEE_POOL.to_checksum(None).as_str()
    );
    assert_eq!(calls[3]["proxy"]["kind"], "EIP-1167");
    assert_eq!(calls[5]["status"], "warn");

    let shown = chain.show(&file, &[]);
    let (out, _) = text(&shown);
    let no_code = out
        .lines()
        .find(|l| l.contains("FAIL transactions[0] to"))
        .unwrap_or_else(|| panic!("the call to no code is not named:\n{out}"));
    assert!(no_code.contains(&NOBODY.to_checksum(None)), "{no_code}");
    assert!(no_code.contains("no code at the address"), "{no_code}");
    assert!(
        out.contains("cannot be checked on the proxy's own code"),
        "{out}"
    );
}

const MISSING_CALL_RUNBOOK: &str = r#"
id = "wrong-setter"
title = "A setter sent to the wrong module"
kind = "update"
severity = "low"
version = "1.0.0"
summary = "One listed call: StakeManager's setMinStake sent to FeePool."
networks = ["demo"]

[[steps]]
id = "batch"
title = "Safe batch"
kind = "safe-batch"
source = "calls"

[[steps.calls]]
contract = "FeePool"
method = "setMinStake(uint256)"
args = ["1"]
"#;

#[test]
fn a_live_safe_batch_step_refuses_a_call_the_deployed_code_lacks() {
    use crate::support::chain::{Platform, listed_home, live_cli, snapshot_values};
    let workspace = crate::support::workspace::shipped_workspace();
    let root = workspace.path();
    let platform = Platform::start(root, &snapshot_values(root), &[]);
    std::fs::write(
        root.join("runbooks/update/wrong-setter.toml"),
        MISSING_CALL_RUNBOOK,
    )
    .unwrap();
    let home = listed_home(root);
    let url = platform.url();
    let started = live_cli(
        &home,
        root,
        &url,
        &["run", "start", "wrong-setter", "--network", "demo"],
    );
    assert!(started.status.success(), "{:?}", text(&started));
    let run = crate::support::cli::run_of(&started);
    let batched = live_cli(&home, root, &url, &["run", "next", &run]);
    let (out, err) = text(&batched);
    assert!(!batched.status.success(), "{out}\n{err}");
    let fee_pool = platform.module("FeePool").to_checksum(None);
    let named = err
        .lines()
        .find(|l| l.contains("transactions[0] to"))
        .unwrap_or_else(|| panic!("the call is not named:\n{out}\n{err}"));
    for part in [
        fee_pool.as_str(),
        "(FeePool)",
        "setMinStake",
        "the contract has no such function",
    ] {
        assert!(named.contains(part), "{part} in {named}");
    }
    assert!(
        !root.join("storage/batches").exists()
            || std::fs::read_dir(root.join("storage/batches"))
                .unwrap()
                .next()
                .is_none(),
        "a batch was written"
    );
}
