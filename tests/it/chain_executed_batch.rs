//! An update runbook run against a real node (anvil from the npm package) with the mock
//! platform: its diff becomes a Safe batch, the batch is executed on the chain, the receipt
//! step finds the event in one of its transactions, and the last step passes only once config
//! and chain agree.

use crate::support::chain::live_cli as cli;
use crate::support::chain::{Platform, listed_home, snapshot_values};
use crate::support::cli::text;
use crate::support::workspace::shipped_workspace;

const UPDATE_RUNBOOK: &str = r#"
id = "burn-update"
title = "Update the burn percentage"
kind = "update"
severity = "medium"
version = "1.0.0"
summary = "Diff, batch, execute, receipt, and check that config and chain agree."
networks = ["demo"]

[[steps]]
id = "diff"
title = "Diff"
kind = "diff"
domains = ["fees"]

[[steps]]
id = "batch"
title = "Safe batch"
kind = "safe-batch"
source = "diff"

[[steps]]
id = "receipt"
title = "Receipt"
kind = "receipt"
contract = "FeePool"
events = ["BurnPctUpdated(uint256)"]

[[steps]]
id = "agree"
title = "Config and chain agree"
kind = "diff"
domains = ["fees"]
expect_agreement = true
"#;

#[test]
fn an_executed_safe_batch_makes_config_and_chain_agree() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    std::fs::write(
        workspace.path().join("runbooks/update/burn-update.toml"),
        UPDATE_RUNBOOK,
    )
    .unwrap();
    let home = listed_home(workspace.path());
    let url = platform.url();
    let started = cli(
        &home,
        workspace.path(),
        &url,
        &["run", "start", "burn-update", "--network", "demo"],
    );
    let run = crate::support::cli::run_of(&started);
    let diffed = cli(&home, workspace.path(), &url, &["run", "next", &run]);
    assert!(diffed.status.success(), "{:?}", text(&diffed));
    let batched = cli(&home, workspace.path(), &url, &["run", "next", &run]);
    let (_, err) = text(&batched);
    assert!(batched.status.success(), "{err}");
    let batch = std::fs::read_dir(workspace.path().join("storage/batches"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let early = cli(
        &home,
        workspace.path(),
        &url,
        &[
            "run",
            "next",
            &run,
            "--tx",
            &format!("0x{}", "cd".repeat(32)),
        ],
    );
    assert!(!early.status.success(), "no receipt before the execution");
    let hashes = platform.execute_batch(&batch);
    assert!(!hashes.is_empty());
    let mut passed = false;
    for hash in hashes.iter().map(|h| format!("{h:#x}")) {
        let checked = cli(
            &home,
            workspace.path(),
            &url,
            &["run", "next", &run, "--tx", &hash],
        );
        if checked.status.success() {
            passed = true;
            break;
        }
    }
    assert!(
        passed,
        "one of the batch's transactions carries BurnPctUpdated"
    );
    // The reward role is an enum (`platform` in the config, `Agent`, its zero, on a chain never
    // set): its setter `setRewardRole(uint8)` is in the same batch, so config and chain agree.
    let agreed = cli(&home, workspace.path(), &url, &["run", "next", &run]);
    let (out, err) = text(&agreed);
    assert!(agreed.status.success(), "{out}\n{err}");
    assert!(err.contains("no changes"), "{err}");
    assert!(out.contains("completed"), "{out}");
}
