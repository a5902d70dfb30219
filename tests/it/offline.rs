//! Offline means offline: with `--offline` the console opens no network connection at all,
//! even with an RPC URL in the environment (a listener at that URL counts the attempts), and
//! works from the network's signed snapshot.

use crate::support::chain::{CHECK_RUNBOOK, DEMO_RPC_ENV};
use crate::support::cli::{Home, PASSPHRASE, text};
use crate::support::rpc_proxy::Proxy;
use crate::support::workspace::shipped_workspace;

#[test]
fn offline_opens_no_connection_and_reads_the_snapshot() {
    let workspace = shipped_workspace();
    std::fs::write(
        workspace
            .path()
            .join("runbooks/emergency/check-offline.toml"),
        CHECK_RUNBOOK,
    )
    .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let watched = Proxy::start(listener.local_addr().unwrap().port());
    let home = Home::new();
    let url = watched.url();
    let cli = |args: &[&str]| {
        let mut all = vec!["--offline"];
        all.extend_from_slice(args);
        home.cli_env(workspace.path(), PASSPHRASE, &[(DEMO_RPC_ENV, &url)], &all)
    };

    let diff = cli(&["diff", "--network", "demo", "--allow-incomplete"]);
    let (out, _) = text(&diff);
    assert_eq!(diff.status.code(), Some(3), "{out}");
    assert!(out.contains("against assets/demo-state.json"), "{out}");

    let status = cli(&["chain", "status", "--network", "demo"]);
    let (_, err) = text(&status);
    assert!(!status.status.success());
    assert!(
        err.contains("offline: no network connection is opened"),
        "{err}"
    );
    let snapshot = cli(&["snapshot", "state", "--network", "demo", "--out", "s.json"]);
    assert!(!snapshot.status.success());

    let started = cli(&["run", "start", "check-offline", "--network", "demo"]);
    let run = crate::support::cli::run_of(&started);
    let next = cli(&["run", "next", &run]);
    let (out, err) = text(&next);
    assert!(next.status.success(), "{out}\n{err}");
    assert!(
        err.contains("reading: snapshot assets/demo-state.json"),
        "{err}"
    );
    assert!(
        err.contains("✓ pass JobRegistry.paused()(bool) == false — read false"),
        "{err}"
    );
    let status = crate::support::cli::json(&cli(&["run", "status", &run, "--json"]));
    assert_eq!(status["position"]["status"], "completed");

    assert_eq!(
        watched.connections(),
        0,
        "offline, nothing may connect to the RPC URL"
    );
}

#[test]
fn a_stale_snapshot_needs_a_recorded_acknowledgement() {
    let workspace = shipped_workspace();
    std::fs::write(
        workspace
            .path()
            .join("runbooks/emergency/check-offline.toml"),
        CHECK_RUNBOOK,
    )
    .unwrap();
    crate::support::chain::set_reads(workspace.path(), "demo", "max_state_age_secs = 3600");
    let home = Home::new();
    let cli = |args: &[&str]| home.cli_env(workspace.path(), PASSPHRASE, &[], args);
    let diff = cli(&["diff", "--network", "demo"]);
    let (_, err) = text(&diff);
    assert!(!diff.status.success());
    assert!(
        err.contains("STALE STATE: assets/demo-state.json is") && err.contains("limit of 1h 0m"),
        "{err}"
    );
    let acknowledged = cli(&[
        "diff",
        "--network",
        "demo",
        "--accept-stale",
        "drill on last week's state",
        "--allow-incomplete",
    ]);
    assert_eq!(
        acknowledged.status.code(),
        Some(3),
        "{:?}",
        text(&acknowledged)
    );

    let started = cli(&["run", "start", "check-offline", "--network", "demo"]);
    let run = crate::support::cli::run_of(&started);
    let refused = cli(&["run", "next", &run]);
    let (out, err) = text(&refused);
    assert!(!refused.status.success(), "{out}");
    assert!(err.contains("✗ verifies nothing: STALE STATE"), "{err}");
    let accepted = cli(&[
        "run",
        "next",
        &run,
        "--accept-stale",
        "air-gapped drill, state from the 20th",
    ]);
    assert!(accepted.status.success(), "{:?}", text(&accepted));
    let ledger =
        std::fs::read_to_string(workspace.path().join("storage/owner-ledger.jsonl")).unwrap();
    let ack = ledger
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|e| e["type"] == "state-acknowledged")
        .expect("the acknowledgement is in the ledger");
    assert_eq!(
        ack["body"]["reason"],
        "air-gapped drill, state from the 20th"
    );
    assert_eq!(ack["body"]["limit_secs"], 3600);
}

#[test]
fn a_chain_check_compares_with_a_run_input() {
    let workspace = shipped_workspace();
    let templated = CHECK_RUNBOOK
        .replace("value = \"false\"", "value = \"{{expected}}\"")
        .replace(
            "networks = [\"demo\"]",
            "networks = [\"demo\"]\n\n[[inputs]]\nname = \"expected\"\ntype = \"string\"\nrequired = true",
        );
    let path = workspace
        .path()
        .join("runbooks/emergency/check-offline.toml");
    std::fs::write(&path, &templated).unwrap();
    let home = Home::new();
    let cli = |args: &[&str]| home.cli_env(workspace.path(), PASSPHRASE, &[], args);
    let started = cli(&[
        "run",
        "start",
        "check-offline",
        "--network",
        "demo",
        "--input",
        "expected=true",
    ]);
    let run = crate::support::cli::run_of(&started);
    let next = cli(&["run", "next", &run]);
    let (_, err) = text(&next);
    assert!(
        !next.status.success(),
        "the snapshot reads false, the input says true"
    );
    assert!(
        err.contains("✗ FAIL JobRegistry.paused()(bool) == true — read false"),
        "{err}"
    );

    std::fs::write(&path, templated.replace("{{expected}}", "{{nowhere}}")).unwrap();
    let invalid = cli(&["validate"]);
    let (out, err) = text(&invalid);
    assert!(!invalid.status.success());
    let said = format!("{out}{err}");
    assert!(
        said.contains("check-offline.toml") && said.contains("checks[0].value"),
        "{said}"
    );
    assert!(
        said.contains("`{{nowhere}}` names no declared input"),
        "{said}"
    );
}

const DIFF_RUNBOOK: &str = r#"
id = "diff-offline"
title = "Diff the fees"
kind = "emergency"
severity = "low"
version = "1.0.0"
summary = "One diff step."
networks = ["demo"]

[[steps]]
id = "diff"
title = "Diff"
kind = "diff"
domains = ["fees"]
"#;

/// The run's mode chooses the current state, not the session: an offline run resumed where
/// the network's RPC URL is set still diffs against its snapshot and connects to nothing.
#[test]
fn an_offline_run_resumed_with_an_rpc_url_set_still_reads_its_snapshot() {
    let workspace = shipped_workspace();
    crate::support::chain::add_runbook(workspace.path(), "diff-offline", DIFF_RUNBOOK);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let watched = Proxy::start(listener.local_addr().unwrap().port());
    let home = Home::new();
    let url = watched.url();
    let started = home.cli_env(
        workspace.path(),
        PASSPHRASE,
        &[],
        &["run", "start", "diff-offline", "--network", "demo"],
    );
    let run = crate::support::cli::run_of(&started);
    let next = home.cli_env(
        workspace.path(),
        PASSPHRASE,
        &[(DEMO_RPC_ENV, &url)],
        &["run", "next", &run],
    );
    let (out, err) = text(&next);
    assert!(next.status.success(), "{out}\n{err}");
    let status = crate::support::cli::json(&home.cli_env(
        workspace.path(),
        PASSPHRASE,
        &[],
        &["run", "status", &run, "--json"],
    ));
    assert_eq!(status["mode"], "offline");
    assert_eq!(status["position"]["status"], "completed");
    let ledger =
        std::fs::read_to_string(workspace.path().join("storage/owner-ledger.jsonl")).unwrap();
    let recorded = ledger
        .lines()
        .find(|line| line.contains("diff-recorded"))
        .expect("the diff is recorded");
    assert!(
        recorded.contains("assets/demo-state.json"),
        "the offline run's diff is against its snapshot: {recorded}"
    );
    assert_eq!(
        watched.connections(),
        0,
        "an offline run's diff may not connect to the RPC URL"
    );
}
