//! The live chain against a real node (anvil from the npm package) with the mock platform:
//! batched, block-pinned reads; diffs that see a transaction; signed snapshots for air-gapped
//! use; a secret in the RPC URL kept out of every output. Receipts and chain checks are in
//! chain_receipts.rs, an update run through an executed Safe batch in chain_executed_batch.rs.

use crate::support::chain::live_cli as cli;
use crate::support::chain::{
    DEMO_RPC_ENV, Platform, RECEIPT_RUNBOOK, add_runbook, listed_home, snapshot_values,
};
use crate::support::cli::{Home, json, text};
use crate::support::rpc_proxy::{Fault, Proxy};
use crate::support::workspace::shipped_workspace;
use owner_console::chain::Target;
use owner_console::chain::live::read_state;
use owner_console::session::Session;
use owner_console::workspace::Workspace;
use std::path::Path;

fn session(workspace: &Path) -> Session {
    Session::open(Workspace::folder(workspace), "tester".into()).unwrap()
}

/// The proposed and current value of one parameter in `diff --json`.
fn change_of(diff: &serde_json::Value, id: &str) -> Option<(String, String)> {
    diff["diff"]["changes"]
        .as_array()?
        .iter()
        .find(|c| c["id"] == id)
        .map(|c| {
            (
                c["before"].as_str().unwrap_or_default().to_owned(),
                c["after"].as_str().unwrap_or_default().to_owned(),
            )
        })
}

#[test]
fn live_reads_match_the_deployed_values_at_one_block_in_one_request() {
    let workspace = shipped_workspace();
    let seeded = snapshot_values(workspace.path());
    let platform = Platform::start(workspace.path(), &seeded, &[]);
    let proxy = Proxy::start(platform.node.port);
    let session = session(workspace.path());
    let target = Target::at(&session, "demo", &proxy.url()).unwrap();
    let chain = target.connect().unwrap();
    let first = platform
        .runtime
        .block_on(read_state(&chain, &target))
        .unwrap();
    let before = proxy.requests();
    let state = platform
        .runtime
        .block_on(read_state(&chain, &target))
        .unwrap();
    assert_eq!(
        proxy.requests() - before,
        1,
        "a steady refresh is one HTTP request"
    );
    assert_eq!(state.requests, 1);
    assert_eq!(first.block, state.block, "nothing was mined in between");
    assert!(
        target.plan.reads.len() > 60,
        "{} reads",
        target.plan.reads.len()
    );
    let head: serde_json::Value =
        platform.rpc("eth_getBlockByNumber", serde_json::json!(["latest", false]));
    assert_eq!(state.block.hash_hex(), head["hash"].as_str().unwrap());

    let catalogue = session.catalogue().unwrap();
    let live = owner_console::diff::source::from_live(&catalogue, &state);
    let expected = owner_console::diff::source::from_snapshot(
        &catalogue,
        &session.snapshot("demo").unwrap().unwrap(),
        "snapshot",
    );
    let mut compared = 0;
    for parameter in &catalogue.parameters {
        let seeded_ok = seeded.contains_key(&parameter.id)
            && parameter.getter.is_some()
            && !platform.deployment.not_seeded.contains_key(&parameter.id);
        if !seeded_ok {
            continue;
        }
        assert_eq!(
            live.values.get(&parameter.id),
            expected.values.get(&parameter.id),
            "{}",
            parameter.id
        );
        compared += 1;
    }
    assert!(compared >= 40, "only {compared} values compared");
    assert!(live.problems.is_empty(), "{:?}", live.problems);
    assert_eq!(state.values["JobRegistry.paused"], serde_json::json!(false));
    assert_eq!(state.values["Safe.getThreshold"], serde_json::json!("2"));
    assert_eq!(state.values["Safe.getOwners"].as_array().unwrap().len(), 3);
}

#[test]
fn a_transaction_shows_up_in_the_live_diff() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let home = Home::new();
    let url = platform.url();
    let before = cli(
        &home,
        workspace.path(),
        &url,
        &["diff", "--network", "demo", "--json"],
    );
    let diff = json(&before);
    assert!(
        diff["against"]
            .as_str()
            .unwrap()
            .starts_with("live http://127.0.0.1:"),
        "{diff}"
    );
    let (was, proposed) = change_of(&diff, "FeePool.burnPct").expect("burnPct differs");
    assert_eq!(was, "2%");
    platform.as_safe(platform.module("FeePool"), "setBurnPct(uint256)", &["7"]);
    let after = json(&cli(
        &home,
        workspace.path(),
        &url,
        &["diff", "--network", "demo", "--json"],
    ));
    assert_eq!(
        change_of(&after, "FeePool.burnPct"),
        Some(("7%".into(), proposed.clone()))
    );
    let target = proposed.trim_end_matches('%').to_owned();
    platform.as_safe(
        platform.module("FeePool"),
        "setBurnPct(uint256)",
        &[&target],
    );
    let agreed = json(&cli(
        &home,
        workspace.path(),
        &url,
        &["diff", "--network", "demo", "--json"],
    ));
    assert_eq!(
        change_of(&agreed, "FeePool.burnPct"),
        None,
        "config and chain agree now"
    );
}

#[test]
fn a_signed_live_snapshot_serves_an_offline_session_with_the_same_fingerprint() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let home = listed_home(workspace.path());
    let url = platform.url();
    let file = workspace.path().join("state.json");
    let file_text = file.to_str().unwrap();
    let taken = cli(
        &home,
        workspace.path(),
        &url,
        &["snapshot", "state", "--network", "demo", "--out", file_text],
    );
    assert!(taken.status.success(), "{:?}", text(&taken));
    let live = cli(
        &home,
        workspace.path(),
        &url,
        &["diff", "--network", "demo", "--fingerprint"],
    );
    let offline = cli(
        &home,
        workspace.path(),
        &url,
        &[
            "--offline",
            "diff",
            "--network",
            "demo",
            "--against",
            file_text,
            "--fingerprint",
        ],
    );
    assert_eq!(text(&live).0, text(&offline).0);
    assert_eq!(text(&live).0.trim().len(), 64);
    let described = json(&cli(
        &home,
        workspace.path(),
        &url,
        &[
            "--offline",
            "diff",
            "--network",
            "demo",
            "--against",
            file_text,
            "--json",
        ],
    ));
    assert!(
        described["against"]
            .as_str()
            .unwrap()
            .contains("signed by tester"),
        "{described}"
    );

    let snapshot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let head: serde_json::Value =
        platform.rpc("eth_getBlockByNumber", serde_json::json!(["latest", false]));
    assert_eq!(snapshot["block"]["hash"], head["hash"]);
    assert_eq!(snapshot["chain_id"], 31337);

    let tampered_file = workspace.path().join("tampered.json");
    let tampered = std::fs::read_to_string(&file).unwrap().replacen(
        "\"FeePool.burnPct\": \"2\"",
        "\"FeePool.burnPct\": \"9\"",
        1,
    );
    assert_ne!(tampered, std::fs::read_to_string(&file).unwrap());
    std::fs::write(&tampered_file, tampered).unwrap();
    let refused = cli(
        &home,
        workspace.path(),
        &url,
        &[
            "--offline",
            "diff",
            "--network",
            "demo",
            "--against",
            tampered_file.to_str().unwrap(),
        ],
    );
    let (_, err) = text(&refused);
    assert!(!refused.status.success());
    assert!(
        err.contains("field `signature`") && err.contains("changed after signing"),
        "{err}"
    );
}

#[test]
fn a_secret_in_the_rpc_url_never_reaches_the_screen_the_ledger_or_the_log() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let proxy = Proxy::start(platform.node.port);
    add_runbook(
        workspace.path(),
        "pause-and-verify",
        &RECEIPT_RUNBOOK.replace("EVENT", "Paused(address)"),
    );
    let secrets = [
        "hunter2secret",
        "0123456789abcdef0123456789abcdef",
        "s3cr3tkey",
    ];
    let url = format!(
        "http://opsuser:{}@127.0.0.1:{}/v3/{}?apikey={}",
        secrets[0], proxy.port, secrets[1], secrets[2]
    );
    let home = listed_home(workspace.path());
    let mut seen = String::new();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = url.replace(
        &format!(":{}/", proxy.port),
        &format!(":{}/", closed.local_addr().unwrap().port()),
    );
    drop(closed);
    let mut run_cli = |args: &[&str]| {
        let vars = [(DEMO_RPC_ENV, url.as_str()), ("OWNER_CONSOLE_LOG", "trace")];
        let output = home.cli_env(
            workspace.path(),
            crate::support::cli::PASSPHRASE,
            &vars,
            args,
        );
        let (out, err) = text(&output);
        seen.push_str(&out);
        seen.push_str(&err);
        output
    };
    let status = run_cli(&["chain", "status", "--network", "demo"]);
    assert!(
        status.status.success(),
        "every read of the deployed platform answers"
    );
    run_cli(&["diff", "--network", "demo", "--json"]);
    let started = run_cli(&["run", "start", "pause-and-verify", "--network", "demo"]);
    let run = crate::support::cli::run_of(&started);
    run_cli(&["run", "next", &run]);
    proxy.set(Fault::Status(503));
    run_cli(&["run", "next", &run]);
    run_cli(&["chain", "status", "--network", "demo"]);
    proxy.set(Fault::Garbage);
    run_cli(&["diff", "--network", "demo"]);
    proxy.set(Fault::None);
    let snapshot = workspace.path().join("s.json");
    run_cli(&[
        "snapshot",
        "state",
        "--network",
        "demo",
        "--out",
        snapshot.to_str().unwrap(),
    ]);
    let vars = [
        (DEMO_RPC_ENV, down.as_str()),
        ("OWNER_CONSOLE_LOG", "trace"),
    ];
    let node_down = home.cli_env(
        workspace.path(),
        crate::support::cli::PASSPHRASE,
        &vars,
        &["chain", "status", "--network", "demo"],
    );
    assert!(!node_down.status.success(), "the node is down");
    let (out, err) = text(&node_down);
    seen.push_str(&out);
    seen.push_str(&err);
    assert!(
        seen.contains("http://***:***@127.0.0.1:"),
        "the redacted URL is shown: {seen}"
    );
    assert!(seen.contains("HTTP 503"), "{seen}");
    let ledger =
        std::fs::read_to_string(workspace.path().join("storage/owner-ledger.jsonl")).unwrap();
    assert!(ledger.contains("chain-checked"), "the run read the chain");
    let log = std::fs::read_to_string(
        home.path()
            .join("state/owner-console/logs/owner-console.log"),
    )
    .unwrap();
    assert!(log.contains("TRACE"), "trace logging is on");
    let written = std::fs::read_to_string(&snapshot).unwrap();
    for secret in secrets {
        for (what, text) in [
            ("output", &seen),
            ("ledger", &ledger),
            ("log", &log),
            ("snapshot", &written),
        ] {
            assert!(!text.contains(secret), "{secret} leaked into the {what}");
        }
    }
}
