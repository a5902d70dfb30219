//! `sandbox up --fork demo` through the real binary, the network's node being a local anvil
//! that holds the platform's real compiled modules owned by the real Safe v1.4.1 (threshold 2,
//! three owners none of whom is an operator): the fork keeps the real addresses, the Safe takes
//! the operators as owners on the fork only, and a shipped runbook's drill (Pause job intake)
//! runs to its end there through the Safe's `execTransaction` with bob's and carol's own
//! signatures. The fork's chain changes; the network's node is sent nothing. What cannot be
//! forked is said, and leaves no sandbox behind.

use crate::support::chain::live_cli;
use crate::support::cli::{Home, text};
use crate::support::library_walk::LibraryWalker;
use crate::support::real_platform::RealPlatform;
use crate::support::tls_proxy::{TestCa, TlsProxy, trust_in_profile};
use crate::support::walk::{Walker, covering_routes};
use alloy_primitives::{Address, B256, Bytes, Signature, U256};
use alloy_sol_types::{SolCall, sol};
use owner_console::session::Session;
use owner_console::workspace::Workspace;
use serde_json::{Value, json};
use std::path::Path;
use std::time::Instant;

sol! {
    function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) returns (bool success);
    function getOwners() view returns (address[]);
    function getThreshold() view returns (uint256);
    function nonce() view returns (uint256);
    function paused() view returns (bool);
}

/// A drill that loses the node and brings it back, then reads the pause.
const CHAOS: &str = r#"
id = "fork-chaos"
title = "Lose the fork's node"
kind = "drill"
severity = "low"
version = "1.0.0"
summary = "The node stopped and started again; the pause is still there."
networks = ["demo"]

[[steps]]
id = "stop"
title = "Lose the node"
kind = "chaos"
fault = "stop-node"

[[steps]]
id = "restart"
title = "Bring the node back"
kind = "chaos"
fault = "restart-node"

[[steps]]
id = "still-paused"
title = "The pause is still there"
kind = "chain-check"

[[steps.checks]]
contract = "JobRegistry"
call = "paused()(bool)"
op = "=="
value = "true"
"#;

const PASSWORD: &str = "S3CRET-PASSWORD";
const API_KEY: &str = "S3CRET-API-KEY";

/// The workspace (the team listed as operators, the demo network describing the real
/// platform), the team's home, and the platform on its own node: the network's node.
struct Network {
    workspace: tempfile::TempDir,
    home: Home,
    platform: RealPlatform,
    started: Instant,
}

fn network() -> Network {
    let started = Instant::now();
    let workspace = crate::support::workspace::shipped_workspace();
    let home = Home::empty();
    crate::support::team::list_in(workspace.path(), &home);
    let platform = RealPlatform::with_real_safe();
    platform.describe_in(workspace.path());
    Network {
        workspace,
        home,
        platform,
        started,
    }
}

impl Network {
    fn cli(&self, args: &[&str]) -> std::process::Output {
        live_cli(
            &self.home,
            self.workspace.path(),
            &self.platform.url(),
            args,
        )
    }

    fn sandbox_info(&self) -> Value {
        crate::support::stage::sandbox_record(self.workspace.path())
    }
}

impl Drop for Network {
    fn drop(&mut self) {
        if self
            .workspace
            .path()
            .join("storage/sandbox/demo.json")
            .exists()
        {
            let _ = self.cli(&["sandbox", "down", "--network", "demo"]);
        }
        println!("test took {:?}", self.started.elapsed());
    }
}

fn rpc(url: &str, method: &'static str, params: Value) -> Value {
    let client = alloy_rpc_client::RpcClient::new_http_with_client(
        owner_console::net::ExtraRoots::default().client().unwrap(),
        url.parse().unwrap(),
    );
    owner_console::cli::runtime::block_on(client.request(method, params))
        .unwrap()
        .unwrap_or_else(|e| panic!("{method}: {e}"))
}

fn view<C: SolCall>(url: &str, to: Address, call: C) -> C::Return {
    let data = Bytes::from(call.abi_encode());
    let output = rpc(
        url,
        "eth_call",
        json!([{ "to": to, "data": data }, "latest"]),
    );
    let output: Bytes = serde_json::from_value(output).unwrap();
    C::abi_decode_returns(&output).unwrap()
}

fn head(url: &str) -> u64 {
    let number: alloy_primitives::U64 =
        serde_json::from_value(rpc(url, "eth_blockNumber", json!([]))).unwrap();
    number.to()
}

/// What the network's node holds of the Safe and JobRegistry, and its head.
#[derive(Debug, PartialEq)]
struct Seen {
    head: u64,
    owners: Vec<Address>,
    threshold: U256,
    nonce: U256,
    paused: bool,
}

fn seen(url: &str, safe: Address, job_registry: Address) -> Seen {
    Seen {
        head: head(url),
        owners: view(url, safe, getOwnersCall {}),
        threshold: view(url, safe, getThresholdCall {}),
        nonce: view(url, safe, nonceCall {}),
        paused: view(url, job_registry, pausedCall {}),
    }
}

fn bodies<'a>(entries: &'a [Value], kind: &str) -> Vec<&'a Value> {
    entries
        .iter()
        .filter(|e| e["type"] == kind)
        .map(|e| &e["body"])
        .collect()
}

fn entries_of(workspace: &Path, run: &str) -> Vec<Value> {
    std::fs::read_to_string(workspace.join("storage/owner-ledger.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|entry| entry["run"] == run)
        .collect()
}

#[test]
fn a_pause_drill_runs_on_a_fork_of_the_network_through_its_real_safe() {
    let network = network();
    let upstream = network.platform.url();
    let safe = network.platform.safe;
    let job_registry = network.platform.modules["JobRegistry"];
    let before = seen(&upstream, safe, job_registry);
    assert!(!before.paused);
    assert_eq!(before.threshold, U256::from(2));
    let (bob, carol) = (
        crate::support::team::address("bob"),
        crate::support::team::address("carol"),
    );
    assert!(
        !before.owners.contains(&bob),
        "bob is no owner on the network"
    );

    // The node as a provider's is: `https://` behind a private certificate authority (which the
    // profile trusts and anvil could not), a password and an API key in its URL.
    let ca = TestCa::new("owner-console test CA");
    let proxy = TlsProxy::start(network.platform.chain.node.port, &ca, &["localhost"]);
    std::fs::write(network.workspace.path().join("private-ca.pem"), &ca.pem).unwrap();
    trust_in_profile(network.workspace.path(), "private-ca.pem");
    let secret_url = proxy
        .url()
        .replace("https://", &format!("https://fork:{PASSWORD}@"))
        + "?key="
        + API_KEY;
    let up_started = Instant::now();
    let up = live_cli(
        &network.home,
        network.workspace.path(),
        &secret_url,
        &["sandbox", "up", "--fork", "demo"],
    );
    let (out, err) = text(&up);
    println!("sandbox up --fork took {:?}:\n{out}", up_started.elapsed());
    assert!(up.status.success(), "{out}{err}");
    assert!(
        out.contains(&format!(
            "forking the network's node at block #{}",
            before.head
        )),
        "{out}"
    );
    assert!(out.contains("(Safe v1.4.1, 2 of 3 owners"), "{out}");
    assert!(!out.contains("MultiSendCallOnly"), "{out}");
    assert!(
        out.contains("on the fork only: the operators ")
            && out.contains("bob, carol, dave added as owners; threshold 2"),
        "{out}"
    );
    let info = network.sandbox_info();
    assert_eq!(info["fork"]["block"], json!(before.head), "{info:#}");
    assert_eq!(
        info["safe"].as_str().unwrap().parse::<Address>().unwrap(),
        safe
    );
    for (name, address) in &network.platform.modules {
        assert_eq!(
            info["contracts"][name]
                .as_str()
                .unwrap()
                .parse::<Address>()
                .unwrap(),
            *address,
            "{name} at its real address"
        );
    }
    let log = std::fs::read_to_string(
        network
            .workspace
            .path()
            .join("storage/sandbox/demo.anvil.log"),
    )
    .unwrap();
    assert!(log.contains("Listening on"), "{log}");
    let record = serde_json::to_string(&info).unwrap();
    for secret in [PASSWORD, API_KEY] {
        for (what, text) in [
            ("output", &out),
            ("errors", &err),
            ("log", &log),
            ("record", &record),
        ] {
            assert!(
                !text.contains(secret),
                "the {what} shows the URL's secret: {text}"
            );
        }
    }
    assert!(
        log.contains(&format!("key={}", owner_console::redact::MASK)),
        "{log}"
    );
    // anvil forks through the console's relay: the node's URL is on no command line.
    let relay_url = info["fork"]["relay_url"].as_str().unwrap();
    assert!(
        command_lines()
            .iter()
            .any(|line| line.contains(&format!("--fork-url {relay_url}"))),
        "anvil forks the relay"
    );
    assert_no_secret_on_a_command_line();
    let relay_log = std::fs::read_to_string(
        network
            .workspace
            .path()
            .join("storage/sandbox/demo.relay.log"),
    )
    .unwrap();
    assert!(
        !relay_log.contains(PASSWORD) && !relay_log.contains(API_KEY),
        "{relay_log}"
    );
    let fork = info["url"].as_str().unwrap().to_owned();
    assert_ne!(fork, upstream);
    let forked = seen(&fork, safe, job_registry);
    for operator in ["alice", "bob", "carol", "dave"] {
        assert!(
            forked
                .owners
                .contains(&crate::support::team::address(operator)),
            "{operator} owns the Safe on the fork: {forked:?}"
        );
    }
    assert!(before.owners.iter().all(|o| forked.owners.contains(o)));
    assert_eq!(forked.threshold, U256::from(2));
    assert_eq!(forked.nonce, before.nonce, "no Safe transaction yet");
    let status = network.cli(&["sandbox", "status", "--network", "demo"]);
    let (out, err) = text(&status);
    assert!(status.status.success(), "{out}{err}");
    println!("{out}");
    assert!(
        out.contains("a fork of https://***:***@localhost:")
            && out.contains(&format!("at block #{}", before.head)),
        "{out}"
    );

    // The drill, walked through the library; bob and carol sign the batch.
    let id = "pause-job-intake";
    let mut walker = Walker {
        home: &network.home,
        workspace: network.workspace.path(),
        env: Vec::new(),
        approvers: vec!["bob".into(), "carol".into()],
        operator: "alice".into(),
        answer: None,
    };
    walker.env = vec![("OWNER_CONSOLE_KEY".into(), "alice".into())];
    let walker = LibraryWalker::new(walker, None);
    let session =
        Session::open(Workspace::folder(network.workspace.path()), "tester".into()).unwrap();
    let book = (*session.runbook(id).unwrap()).clone();
    let route = covering_routes(&book)
        .into_iter()
        .find(|route| route.steps.iter().any(|s| s == "check-receipt"))
        .unwrap();
    let inputs = vec![
        ("incident_id".to_owned(), "INC-2026-0142".to_owned()),
        ("reason".to_owned(), "a drill on the fork".to_owned()),
    ];
    let run = walker.start_drill(id, "demo", &inputs);
    let visited = walker.walk(&book, &run, &|step| route.choice(&book, step, 0));
    assert_eq!(&visited[..route.steps.len()], &route.steps[..]);

    let after = seen(&fork, safe, job_registry);
    assert!(after.paused, "JobRegistry is paused on the fork");
    assert_eq!(
        after.nonce,
        before.nonce + U256::from(1),
        "one Safe transaction"
    );
    assert_eq!(
        seen(&upstream, safe, job_registry),
        before,
        "the network's node is unchanged: no block, no owner, no pause"
    );
    let entries = entries_of(network.workspace.path(), &run);
    assert_eq!(entries[0]["body"]["mode"], "drill");
    let receipt = bodies(&entries, "receipt-checked")[0].clone();
    assert_eq!(receipt["passed"], true, "{receipt:#}");
    let hash = receipt["executed"][0].as_str().unwrap();
    let tx = rpc(&fork, "eth_getTransactionByHash", json!([hash]));
    assert_eq!(tx["to"].as_str().unwrap().parse::<Address>().unwrap(), safe);
    let input: Bytes = serde_json::from_value(tx["input"].clone()).unwrap();
    let exec = execTransactionCall::abi_decode(&input).unwrap();
    assert_eq!(exec.to, job_registry);
    let safe_tx_hash: B256 =
        bodies(&entries, "batch-prepared")[0]["safe_transaction"]["safe_tx_hash"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
    let signers: Vec<Address> = exec
        .signatures
        .chunks(65)
        .map(|raw| {
            Signature::from_raw(raw)
                .unwrap()
                .recover_address_from_prehash(&safe_tx_hash)
                .unwrap()
        })
        .collect();
    let mut expected = vec![bob, carol];
    expected.sort();
    assert_eq!(signers, expected, "bob's and carol's own signatures");

    // A drill's chaos steps stop the fork's node and start it again: it forks the network's
    // node again at the same block, with what the drill changed on it.
    std::fs::write(
        network
            .workspace
            .path()
            .join("runbooks/drill/fork-chaos.toml"),
        CHAOS,
    )
    .unwrap();
    let chaos = |args: &[&str]| {
        let mut all = vec!["--key", "alice"];
        all.extend_from_slice(args);
        let output = live_cli(&network.home, network.workspace.path(), &secret_url, &all);
        let (out, err) = text(&output);
        assert!(output.status.success(), "{args:?}: {out}{err}");
        output
    };
    let run = crate::support::cli::run_of(&chaos(&["drill", "fork-chaos", "--network", "demo"]));
    chaos(&["run", "next", &run, "--execute"]);
    assert_gone(info["pid"].as_u64().unwrap());
    chaos(&["run", "next", &run, "--execute"]);
    assert_no_secret_on_a_command_line();
    let restarted = network.sandbox_info();
    assert_eq!(restarted["url"], info["url"], "the same port");
    assert_ne!(restarted["pid"], info["pid"]);
    let log = std::fs::read_to_string(
        network
            .workspace
            .path()
            .join("storage/sandbox/demo.restarted.anvil.log"),
    )
    .unwrap();
    assert!(log.contains("Fork") && !log.contains(API_KEY), "{log}");
    chaos(&["run", "next", &run]);
    let again = seen(&fork, safe, job_registry);
    assert!(again.paused && again.owners.contains(&bob), "{again:?}");
    assert_eq!(again.nonce, after.nonce);
    for (name, address) in &network.platform.modules {
        let code = rpc(&fork, "eth_getCode", json!([address, "latest"]));
        assert!(
            code.as_str().unwrap().len() > 2,
            "{name} has its code again"
        );
    }
    assert_eq!(seen(&upstream, safe, job_registry), before);

    let info = restarted;
    let pid = info["pid"].as_u64().unwrap();
    let down = network.cli(&["sandbox", "down", "--network", "demo"]);
    assert!(down.status.success(), "{:?}", text(&down));
    assert!(
        !network
            .workspace
            .path()
            .join("storage/sandbox/demo.json")
            .exists(),
        "the sandbox is forgotten"
    );
    assert_gone(pid);
    assert_gone(info["fork"]["relay_pid"].as_u64().unwrap());
    assert_nothing_left(network.workspace.path());
}

/// The command lines of the processes running now (a zombie has none).
fn command_lines() -> Vec<String> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| {
            let cmdline = std::fs::read(entry.ok()?.path().join("cmdline")).ok()?;
            let args: Vec<String> = cmdline
                .split(|b| *b == 0)
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            Some(args.join(" "))
        })
        .collect()
}

/// Waits (5 s at most) until no process's command line holds `text`.
fn assert_none_runs_with(text: &str) {
    let running = || -> Vec<String> {
        command_lines()
            .into_iter()
            .filter(|line| line.contains(text))
            .collect()
    };
    let deadline = Instant::now() + std::time::Duration::from_secs(5);
    while !running().is_empty() && Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        running(),
        Vec::<String>::new(),
        "still running with `{text}`"
    );
}

/// Waits (5 s at most) until process `pid` is gone (or a zombie: it was the binary's child, and
/// no one may reap it).
fn assert_gone(pid: u64) {
    let stat = || std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let gone = || stat().is_empty() || stat().contains(") Z ");
    let deadline = Instant::now() + std::time::Duration::from_secs(5);
    while !gone() && Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(gone(), "pid {pid} still runs: {}", stat());
}

/// Neither a relay of the workspace's sandbox nor an anvil forking through it is left.
fn assert_nothing_left(workspace: &Path) {
    let relay_log = workspace.join("storage/sandbox/demo.relay.log");
    let relay_port = std::fs::read_to_string(relay_log).ok().and_then(|log| {
        log.lines()
            .find_map(|line| line.trim().strip_prefix("Listening on 127.0.0.1:"))
            .map(str::to_owned)
    });
    if let Some(port) = relay_port {
        assert_none_runs_with(&format!("--fork-url http://127.0.0.1:{port}/"));
    }
    assert_none_runs_with(&format!("{} sandbox relay", workspace.display()));
}

/// No process has the node's password or API key on its command line.
fn assert_no_secret_on_a_command_line() {
    let shown: Vec<String> = command_lines()
        .into_iter()
        .filter(|line| line.contains(PASSWORD) || line.contains(API_KEY))
        .collect();
    assert_eq!(
        shown,
        Vec::<String>::new(),
        "the node's URL on a command line"
    );
}

#[test]
fn what_cannot_be_forked_is_said_and_leaves_no_sandbox() {
    let network = network();
    let state = network.workspace.path().join("storage/sandbox/demo.json");
    let refused = |output: std::process::Output, said: &[&str]| {
        let (out, err) = text(&output);
        assert!(!output.status.success(), "{out}{err}");
        println!("{err}");
        for words in said {
            assert!(err.contains(words), "`{words}` in: {err}");
        }
        assert!(
            !err.contains("panicked") && !err.contains('\u{1b}'),
            "{err}"
        );
        assert!(!state.exists(), "no sandbox left: {err}");
        assert_nothing_left(network.workspace.path());
    };
    refused(
        network.cli(&["sandbox", "up", "--fork", "nowhere"]),
        &["network `nowhere` is not in config/networks.toml"],
    );
    refused(
        network.cli(&["--offline", "sandbox", "up", "--fork", "demo"]),
        &["offline"],
    );
    refused(
        live_cli(
            &network.home,
            network.workspace.path(),
            "http://127.0.0.1:1",
            &["sandbox", "up", "--fork", "demo"],
        ),
        &["connection refused"],
    );
    refused(
        network.cli(&["sandbox", "up", "--fork", "demo", "--block", "99999999"]),
        &["block #99999999 is past the head of `demo`"],
    );
    // The network's Safe is an address without code: the fork starts, finds no Safe there,
    // says so and stops.
    let nowhere = "0x000000000000000000000000000000000000dEaD";
    let path = network.workspace.path().join("config/networks.toml");
    let networks = std::fs::read_to_string(&path).unwrap();
    let safe = network.platform.safe.to_checksum(None);
    std::fs::write(&path, networks.replace(&safe, nowhere)).unwrap();
    refused(
        network.cli(&["sandbox", "up", "--fork", "demo"]),
        &[nowhere, "is not a Safe (v1.3.0 or later)", "it has no code"],
    );
    // A Safe older than 1.3.0: its transaction hash is not the one the console signs.
    let old_safe = "0x00000000000000000000000000000000000011a1";
    let mut code = hex::decode("6060600c60003960606000f3").unwrap();
    code.extend(U256::from(0x20).to_be_bytes::<32>());
    code.extend(U256::from(5).to_be_bytes::<32>());
    code.extend(B256::right_padding_from(b"1.1.1".as_slice()));
    rpc(
        &network.platform.url(),
        "anvil_setCode",
        json!([old_safe, Bytes::from(code)]),
    );
    let networks = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, networks.replace(nowhere, old_safe)).unwrap();
    refused(
        network.cli(&["sandbox", "up", "--fork", "demo"]),
        &["its VERSION() is `1.1.1`", "hash of v1.3.0 and later"],
    );
    let networks = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, networks.replace(old_safe, nowhere)).unwrap();
    // A contract that is not a Safe: JobRegistry has code, but no VERSION().
    let job_registry = network.platform.at("JobRegistry");
    let networks = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, networks.replace(nowhere, &job_registry)).unwrap();
    refused(
        network.cli(&["sandbox", "up", "--fork", "demo"]),
        &[&job_registry, "no VERSION()"],
    );
    // A network without MultiSendCallOnly at its canonical address: forked, and said.
    let networks = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, networks.replace(&job_registry, &safe)).unwrap();
    let multi_send = owner_console::safe::multisend::MULTI_SEND_CALL_ONLY;
    rpc(
        &network.platform.url(),
        "anvil_setCode",
        json!([multi_send, "0x"]),
    );
    let up = network.cli(&["sandbox", "up", "--fork", "demo"]);
    let (out, err) = text(&up);
    assert!(up.status.success(), "{out}{err}");
    assert!(
        out.contains(&format!(
            "! MultiSendCallOnly v1.4.1 has no code at {} on this network",
            multi_send.to_checksum(None)
        )),
        "{out}"
    );
}

/// anvil itself cannot fork (its node refuses the connection): what it said last is the
/// error, the node's URL redacted in it and in the log, and no anvil is left running.
#[test]
fn a_fork_anvil_cannot_make_is_said_in_its_last_words_redacted() {
    let anvil = crate::support::chain::anvil();
    let url = format!("http://fork:{PASSWORD}@127.0.0.1:1/?key={API_KEY}");
    let shown = owner_console::redact::redact_url(&url);
    let upstream = owner_console::sandbox::fork::Upstream {
        url: &url,
        shown: &shown,
        chain_id: 31337,
        block: 7,
    };
    let folder = tempfile::tempdir().unwrap();
    let log = folder.path().join("demo.anvil.log");
    let detached = owner_console::sandbox::fork::start_detached(&anvil, &upstream, 0, &log);
    let throwaway = owner_console::sandbox::fork::Fork::start(&anvil, &upstream);
    let log = std::fs::read_to_string(&log).unwrap();
    for error in [
        detached.err().unwrap().to_string(),
        throwaway.err().unwrap().to_string(),
    ] {
        println!("{error}");
        assert!(
            error.starts_with(&format!("anvil could not fork {shown} at block #7: ")),
            "{error}"
        );
        assert!(error.contains("Connection refused"), "{error}");
        for secret in [PASSWORD, API_KEY] {
            assert!(
                !error.contains(secret) && !log.contains(secret),
                "{error}\n{log}"
            );
        }
    }
    assert_none_runs_with(&url);
}
