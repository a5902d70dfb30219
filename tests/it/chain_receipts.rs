//! Receipts and chain checks against a real node (anvil from the npm package) with the mock
//! platform: an honest pause verifies; a wrong event, an unknown or malformed hash and a
//! transaction the node mined as failed each keep the step open.

use crate::support::chain::live_cli as cli;
use crate::support::chain::{Platform, RECEIPT_RUNBOOK, add_runbook, listed_home, snapshot_values};
use crate::support::cli::{Home, json, text};
use crate::support::workspace::shipped_workspace;

#[test]
fn chain_checks_and_receipts_verify_against_the_node() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let path = workspace
        .path()
        .join("runbooks/emergency/pause-and-verify.toml");
    std::fs::write(&path, RECEIPT_RUNBOOK.replace("EVENT", "Paused(address)")).unwrap();
    std::fs::write(
        workspace.path().join("runbooks/emergency/wrong-event.toml"),
        RECEIPT_RUNBOOK
            .replace("EVENT", "Unpaused(address)")
            .replace("pause-and-verify", "wrong-event"),
    )
    .unwrap();
    let home = listed_home(workspace.path());
    let url = platform.url();
    let started = cli(
        &home,
        workspace.path(),
        &url,
        &["run", "start", "pause-and-verify", "--network", "demo"],
    );
    assert!(started.status.success(), "{:?}", text(&started));
    let run = crate::support::cli::run_of(&started);
    let checked = cli(&home, workspace.path(), &url, &["run", "next", &run]);
    let (out, err) = text(&checked);
    assert!(checked.status.success(), "{out}\n{err}");
    assert!(
        err.contains("✓ pass JobRegistry.paused()(bool) == false — read false"),
        "{err}"
    );
    assert!(err.contains("role safe ("), "{err}");
    assert!(out.contains("now at step 2 of 3"), "{out}");

    let still_open = cli(&home, workspace.path(), &url, &["run", "next", &run]);
    assert!(
        !still_open.status.success(),
        "a receipt step needs a receipt"
    );

    let pause = platform.as_safe(platform.module("JobRegistry"), "pause()", &[]);
    let hash = format!("{pause:#x}");
    let good = cli(
        &home,
        workspace.path(),
        &url,
        &["run", "next", &run, "--tx", &hash],
    );
    let (out, err) = text(&good);
    assert!(good.status.success(), "{out}\n{err}");
    assert!(err.contains(&format!("receipt {hash} ✓ pass")), "{err}");
    let archived = workspace
        .path()
        .join(format!("storage/receipts/demo/{hash}.json"));
    let receipt: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&archived).unwrap()).unwrap();
    assert_eq!(receipt["transactionHash"], hash.as_str());

    let done = cli(&home, workspace.path(), &url, &["run", "next", &run]);
    let (out, err) = text(&done);
    assert!(done.status.success(), "{out}\n{err}");
    assert!(out.contains("completed"), "{out}");

    let wrong = cli(
        &home,
        workspace.path(),
        &url,
        &["run", "start", "wrong-event", "--network", "demo"],
    );
    let wrong_run = crate::support::cli::run_of(&wrong);
    let check = cli(&home, workspace.path(), &url, &["run", "next", &wrong_run]);
    let (_, err) = text(&check);
    assert!(
        !check.status.success(),
        "JobRegistry is paused now: the first check fails"
    );
    assert!(
        err.contains("✗ FAIL JobRegistry.paused()(bool) == false — read true"),
        "{err}"
    );
    let status = json(&cli(
        &home,
        workspace.path(),
        &url,
        &["run", "status", &wrong_run, "--json"],
    ));
    assert_eq!(
        status["position"]["step"], "open",
        "a failed check keeps the step open"
    );

    let verify = cli(&home, workspace.path(), &url, &["ledger", "verify"]);
    assert!(verify.status.success(), "{:?}", text(&verify));
    let entries = crate::support::run_view::journal_entries(
        &workspace.path().join("storage/owner-ledger.jsonl"),
    );
    let receipt_entry = entries
        .iter()
        .find(|e| e["type"] == "receipt-checked")
        .unwrap();
    assert_eq!(receipt_entry["body"]["passed"], true);
    assert_eq!(
        receipt_entry["body"]["events"][0]["signature"],
        "Paused(address)"
    );
    let check_entry = entries
        .iter()
        .find(|e| e["type"] == "chain-checked")
        .unwrap();
    let head: serde_json::Value = platform.rpc(
        "eth_getBlockByNumber",
        serde_json::json!([check_entry["body"]["block_number"], false]),
    );
    assert_eq!(
        check_entry["body"]["block_hash"], head["hash"],
        "the check names the block it read"
    );
}

#[test]
fn a_receipt_for_the_wrong_event_or_a_failed_transaction_keeps_the_step_open() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    add_runbook(
        workspace.path(),
        "wrong-event",
        &RECEIPT_RUNBOOK.replace("EVENT", "Unpaused(address)"),
    );
    let home = Home::new();
    let url = platform.url();
    let started = cli(
        &home,
        workspace.path(),
        &url,
        &["run", "start", "pause-and-verify", "--network", "demo"],
    );
    let run = crate::support::cli::run_of(&started);
    assert!(
        cli(&home, workspace.path(), &url, &["run", "next", &run])
            .status
            .success()
    );
    let pause = format!(
        "{:#x}",
        platform.as_safe(platform.module("JobRegistry"), "pause()", &[])
    );
    // Each of these is refused with its reason; returns what the run said of itself.
    let refused = |tx: &str, says: &str| {
        let next = cli(
            &home,
            workspace.path(),
            &url,
            &["run", "next", &run, "--tx", tx],
        );
        let (out, err) = text(&next);
        assert!(!next.status.success(), "{tx}: {out}");
        assert!(err.contains(says), "{tx}: {err}");
        out
    };
    let wrong = refused(
        &pause,
        "no Unpaused(address) event from JobRegistry in the receipt",
    );
    assert!(
        wrong.contains("now at step 2 of 3"),
        "the step stays open: {wrong}"
    );
    refused(&format!("0x{}", "ab".repeat(32)), "has no receipt yet");
    refused("0x1234", "is not a transaction hash");

    // pause() from an account that is not the owner, mined with its gas given (so the node
    // does not refuse it up front): a real receipt with status 0.
    let reverted = platform.submit_as_stranger(platform.module("JobRegistry"), "pause()", &[]);
    assert!(!reverted.succeeded, "the node mined a failed transaction");
    let failed = refused(
        &format!("{:#x}", reverted.hash),
        "the transaction failed (status 0): nothing changed on chain",
    );
    assert!(
        failed.contains("now at step 2 of 3"),
        "the step stays open: {failed}"
    );
}
