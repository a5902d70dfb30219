//! Every fault between the console and a node, injected for real (a closed port, a proxy that
//! delays, drops, errors or garbles, a node on another chain, a lagging node, a reorganised
//! block, a getter that reverts or is missing): each gets its own clear error, and nothing is
//! recorded as verified on bad data.

use crate::support::chain::{
    DEMO_RPC_ENV, Platform, add_runbook, live_cli, set_reads, snapshot_values,
};
use crate::support::cli::{Home, PASSPHRASE, json, text};
use crate::support::rpc_proxy::{Fault, Proxy};
use crate::support::workspace::shipped_workspace;
use owner_console::chain::live::read_state;
use owner_console::chain::{ChainError, LiveState, Target};
use owner_console::session::Session;
use owner_console::workspace::Workspace;
use std::path::Path;
use std::time::{Duration, Instant};

fn read_at(platform: &Platform, workspace: &Path, url: &str) -> Result<LiveState, ChainError> {
    let session = Session::open(Workspace::folder(workspace), "tester".into()).unwrap();
    let target = Target::at(&session, "demo", url).unwrap();
    platform.runtime.block_on(async {
        let chain = target.connect()?;
        read_state(&chain, &target).await
    })
}

#[test]
fn transport_faults_each_get_their_own_error() {
    let workspace = shipped_workspace();
    set_reads(workspace.path(), "demo", "timeout_secs = 1");
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let proxy = Proxy::start(platform.node.port);
    let url = proxy.url();
    assert!(read_at(&platform, workspace.path(), &url).is_ok());

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let refused = read_at(
        &platform,
        workspace.path(),
        &format!("http://127.0.0.1:{closed_port}"),
    );
    assert!(
        matches!(refused, Err(ChainError::Refused { .. })),
        "{refused:?}"
    );
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("connection refused")
    );

    type Expected = fn(&ChainError) -> bool;
    let cases: [(Fault, Expected, &str); 6] = [
        (
            Fault::Delay(Duration::from_secs(3)),
            |e| matches!(e, ChainError::Timeout { seconds: 1, .. }),
            "within 1 s",
        ),
        (
            Fault::Status(503),
            |e| matches!(e, ChainError::Http { status: 503, .. }),
            "HTTP 503",
        ),
        (
            Fault::RpcError,
            |e| matches!(e, ChainError::Rpc { code: -32603, .. }),
            "JSON-RPC error -32603",
        ),
        (
            Fault::Truncate,
            |e| matches!(e, ChainError::Malformed { .. }),
            "malformed or truncated",
        ),
        (
            Fault::Garbage,
            |e| matches!(e, ChainError::Malformed { .. }),
            "malformed or truncated",
        ),
        (
            Fault::Drop,
            |e| matches!(e, ChainError::Other { .. } | ChainError::Malformed { .. }),
            "127.0.0.1",
        ),
    ];
    for (fault, expected, words) in cases {
        proxy.set(fault.clone());
        let started = Instant::now();
        let error = read_at(&platform, workspace.path(), &url).expect_err("a fault is an error");
        assert!(expected(&error), "{fault:?}: {error:?}");
        assert!(error.to_string().contains(words), "{fault:?}: {error}");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{fault:?} took {:?}",
            started.elapsed()
        );
    }
    proxy.set(Fault::None);
    assert!(
        read_at(&platform, workspace.path(), &url).is_ok(),
        "the link recovers"
    );
}

#[test]
fn a_node_on_another_chain_is_refused_with_both_ids() {
    let workspace = shipped_workspace();
    let platform = Platform::start_on(workspace.path(), &Default::default(), 5, &[]);
    let error = read_at(&platform, workspace.path(), &platform.url()).expect_err("wrong chain");
    assert!(
        matches!(
            error,
            ChainError::WrongChain {
                expected: 31337,
                reported: 5,
                ..
            }
        ),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.contains("WRONG CHAIN") && text.contains("31337") && text.contains(" 5"),
        "{text}"
    );
}

#[test]
fn a_lagging_node_reads_but_verifies_nothing() {
    let workspace = shipped_workspace();
    set_reads(workspace.path(), "demo", "max_block_age_secs = 1");
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    std::thread::sleep(Duration::from_millis(2100));
    let state = read_at(&platform, workspace.path(), &platform.url()).unwrap();
    let lag = state
        .fresh()
        .expect_err("the newest block is over a second old");
    assert!(
        matches!(lag, ChainError::Lagging { limit_secs: 1, .. }),
        "{lag:?}"
    );
    assert!(lag.to_string().contains("lagging"), "{lag}");
}

#[test]
fn a_reorganised_block_is_seen_and_read_again_at_the_new_head() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let session = Session::open(Workspace::folder(workspace.path()), "tester".into()).unwrap();
    let target = Target::at(&session, "demo", &platform.url()).unwrap();
    let chain = target.connect().unwrap();
    let checkpoint: String = platform.rpc("evm_snapshot", serde_json::json!([]));
    platform.mine(1);
    let before = platform
        .runtime
        .block_on(read_state(&chain, &target))
        .unwrap();
    let _: bool = platform.rpc("evm_revert", serde_json::json!([checkpoint]));
    platform.as_safe(platform.module("FeePool"), "setBurnPct(uint256)", &["4"]);
    let reorganised = platform.runtime.block_on(chain.confirm(&before.block));
    match reorganised {
        Err(ChainError::Reorganised { number, was, now }) => {
            assert_eq!(number, before.block.number);
            assert_eq!(was, before.block.hash_hex());
            assert_ne!(now, was);
        }
        other => panic!("expected a reorganisation, got {other:?}"),
    }
    let after = platform
        .runtime
        .block_on(read_state(&chain, &target))
        .unwrap();
    assert_eq!(
        after.block.number, before.block.number,
        "same height, other block"
    );
    assert_ne!(after.block.hash, before.block.hash);
    assert_eq!(
        after.requests, 2,
        "the stale pin is noticed in the batch and read again"
    );
    assert_eq!(after.values["FeePool.burnPct"], serde_json::json!("4"));
}

#[test]
fn a_getter_that_reverts_or_is_missing_is_a_problem_not_a_value() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let broken = platform.deploy(workspace.path(), "Broken");
    platform.move_module(workspace.path(), "FeePool", broken);
    platform.move_module(
        workspace.path(),
        "HamiltonianMonitor",
        "0x000000000000000000000000000000000000dEaD"
            .parse()
            .unwrap(),
    );
    let state = read_at(&platform, workspace.path(), &platform.url()).unwrap();
    let reverted = &state.failures["FeePool.burnPct"];
    assert!(reverted.contains("broken on purpose"), "{reverted}");
    let missing = &state.failures["HamiltonianMonitor.window"];
    assert!(missing.contains("no contract at the address"), "{missing}");
    assert!(!state.values.contains_key("FeePool.burnPct"));

    let home = Home::new();
    let status = home.cli_env(
        workspace.path(),
        PASSPHRASE,
        &[(DEMO_RPC_ENV, &platform.url())],
        &["chain", "status", "--network", "demo", "--json"],
    );
    assert_eq!(
        status.status.code(),
        Some(5),
        "the node answered, values were unreadable: not a node fault"
    );
    let failures = &json(&status)["failures"];
    assert!(
        failures["FeePool.burnPct"]
            .as_str()
            .is_some_and(|f| f.contains("broken on purpose")),
        "{failures}"
    );
    // A change that a guardrail blocks (StakeManager's burn out of its range) beside the
    // values that could not be read.
    crate::support::workspace::edit(
        &workspace.path().join("config/stake-manager.demo.json"),
        |stake| stake["burnPct"] = serde_json::json!(150),
    );
    let listed = home.cli_env(
        workspace.path(),
        PASSPHRASE,
        &[(DEMO_RPC_ENV, &platform.url())],
        &["diff", "--network", "demo", "--json"],
    );
    assert_eq!(
        listed.status.code(),
        Some(4),
        "a blocking guardrail and values not read: blocked comes before incomplete"
    );
    let left = json(&listed)["diff"]["not_compared"].clone();
    let burn = left
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "FeePool.burnPct")
        .unwrap_or_else(|| panic!("{left}"));
    assert!(
        burn["why"]
            .as_str()
            .is_some_and(|w| w.starts_with("read failed") && w.contains("broken on purpose")),
        "{burn}"
    );
    let diff = home.cli_env(
        workspace.path(),
        PASSPHRASE,
        &[(DEMO_RPC_ENV, &platform.url())],
        &["diff", "--network", "demo"],
    );
    let (_, err) = text(&diff);
    assert!(
        err.contains("FeePool.burnPct: burnPct()(uint256) reverted (broken on purpose)"),
        "{err}"
    );
}

#[test]
fn a_failing_node_leaves_a_chain_check_open_and_records_nothing() {
    let workspace = shipped_workspace();
    set_reads(workspace.path(), "demo", "timeout_secs = 1");
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let proxy = Proxy::start(platform.node.port);
    add_runbook(
        workspace.path(),
        "check-offline",
        crate::support::chain::CHECK_RUNBOOK,
    );
    let home = Home::new();
    let url = proxy.url();
    let cli = |args: &[&str]| live_cli(&home, workspace.path(), &url, args);
    let started = cli(&["run", "start", "check-offline", "--network", "demo"]);
    let run = crate::support::cli::run_of(&started);
    let ledger = workspace.path().join("storage/owner-ledger.jsonl");
    let recorded = std::fs::read_to_string(&ledger).unwrap();
    for fault in [
        Fault::Status(502),
        Fault::Garbage,
        Fault::Delay(Duration::from_secs(3)),
    ] {
        proxy.set(fault.clone());
        let next = cli(&["run", "next", &run]);
        let (_, err) = text(&next);
        assert!(!next.status.success(), "{fault:?}");
        assert!(err.contains("error:"), "{fault:?}: {err}");
        assert_eq!(
            std::fs::read_to_string(&ledger).unwrap(),
            recorded,
            "{fault:?} recorded something"
        );
    }
    proxy.set(Fault::None);
    let next = cli(&["run", "next", &run]);
    assert!(next.status.success(), "{:?}", text(&next));
    assert!(text(&next).0.contains("completed"));
}

const RECEIPT_ONLY_RUNBOOK: &str = r#"
id = "pause-receipt"
title = "The pause receipt"
kind = "emergency"
severity = "high"
version = "1.0.0"
summary = "Check the receipt of the pause executed through the Safe."
networks = ["demo"]

[[steps]]
id = "receipt"
title = "The pause receipt"
kind = "receipt"
contract = "JobRegistry"
events = ["Paused(address)"]
"#;

#[test]
fn a_node_that_answers_with_another_transactions_receipt_is_caught() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let proxy = Proxy::start(platform.node.port);
    add_runbook(workspace.path(), "pause-receipt", RECEIPT_ONLY_RUNBOOK);
    let home = Home::new();
    let url = proxy.url();
    let cli = |args: &[&str]| live_cli(&home, workspace.path(), &url, args);
    let run = crate::support::cli::run_of(&cli(&[
        "run",
        "start",
        "pause-receipt",
        "--network",
        "demo",
    ]));
    let pause = format!(
        "{:#x}",
        platform.as_safe(platform.module("JobRegistry"), "pause()", &[])
    );
    let asked = format!("0x{}", "ab".repeat(32));
    let ledger = workspace.path().join("storage/owner-ledger.jsonl");
    let recorded = std::fs::read_to_string(&ledger).unwrap();

    proxy.set(Fault::SwapInRequest(asked.clone(), pause.clone()));
    let lied = cli(&["run", "next", &run, "--tx", &asked]);
    let (out, err) = text(&lied);
    assert!(!lied.status.success(), "{out}");
    assert!(
        err.contains(&format!("asked for the receipt of {asked}"))
            && err.contains(&format!("that of {pause}")),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&ledger).unwrap(),
        recorded,
        "nothing is recorded from a swapped receipt"
    );

    proxy.set(Fault::None);
    let honest = cli(&["run", "next", &run, "--tx", &pause]);
    assert!(honest.status.success(), "{:?}", text(&honest));
    assert!(
        std::fs::read_to_string(&ledger)
            .unwrap()
            .contains("receipt-checked")
    );
}
