//! The two restore runbooks walked end to end as drills, down every branch: on a sandbox where
//! config and chain agree, a config backup is taken, then a bad change is made on the chain as
//! the Safe (FeePool.burnPct set to 9). The restore must find exactly that change (the backup's
//! hashes checked first), put the backup's value back on the sandbox through the Safe batch,
//! and leave config and chain agreeing; the commands the runbooks run (`snapshot state`) read
//! the sandbox, not the real network. A backup changed since it was made is refused, naming
//! the file, and the record stays whole.

use crate::support::cli::text;
use crate::support::stage::{Plan, Stage, stage_seeded_from};
use owner_console::sandbox::seed::SeedFrom;
use serde_json::json;
use std::cell::RefCell;
use std::path::Path;

const BAD_BURN_PCT: &str = "9";

/// A stage whose chain holds the config, a backup of that config (its folder relative to the
/// workspace), and then a bad change on the chain: FeePool.burnPct = 9.
fn after_a_bad_change() -> (Stage, String) {
    let stage = stage_seeded_from(SeedFrom::Config);
    // The mock FeePool cannot set its reward role (no setter in the catalogue): left out of the
    // config, so that config and chain can agree.
    stage.rewrite("fee-pool.demo.json", r#""rewardRole": "platform","#, "");
    let walker = stage.walker();
    // Agree on every value read; those with no getter are named and left out (exit 5 without
    // --allow-incomplete).
    let agree = walker.cli(
        "alice",
        &["diff", "--network", "demo", "--drill", "--allow-incomplete"],
    );
    assert_eq!(agree.status.code(), Some(0), "{:?}", text(&agree));
    let saved = walker.cli("alice", &["snapshot", "config"]);
    let (out, err) = text(&saved);
    assert!(saved.status.success(), "{out}{err}");
    let folder = out
        .trim()
        .rsplit(" into ")
        .next()
        .unwrap_or_else(|| panic!("no folder in: {out}"));
    let backup = Path::new(folder)
        .strip_prefix(stage.workspace.path())
        .unwrap_or_else(|_| panic!("{folder} is not in the workspace"))
        .display()
        .to_string();
    let fee_pool = stage.sandbox_info()["contracts"]["FeePool"]
        .as_str()
        .unwrap()
        .to_owned();
    stage.send_as_safe(&fee_pool, "setBurnPct(uint256)", &[BAD_BURN_PCT]);
    assert_eq!(
        stage.sandbox_values()["FeePool.burnPct"],
        json!(BAD_BURN_PCT)
    );
    (stage, backup)
}

/// The backup's own value of FeePool.burnPct, as the chain holds it.
fn backed_up_burn_pct(stage: &Stage, backup: &str) -> serde_json::Value {
    let path = stage
        .workspace
        .path()
        .join(backup)
        .join("fee-pool.demo.json");
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let value = &config["burnPct"];
    assert!(value.is_number(), "the backup holds burnPct: {config}");
    json!(value.to_string())
}

/// Walks `id` with its backup input `input` = `backup`, and records the sandbox's values at
/// the step after the batch has been executed (`after_batch`).
fn walk_restore(
    stage: &Stage,
    id: &str,
    input: &'static str,
    backup: &str,
    after_batch: &str,
) -> (Vec<String>, Vec<serde_json::Value>) {
    let seen = RefCell::new(Vec::new());
    let answer = |step: &str| {
        if step == after_batch {
            seen.borrow_mut()
                .push(stage.sandbox_values()["FeePool.burnPct"].clone());
        }
        None
    };
    let per_route =
        |index: usize| vec![("state_file", format!("storage/backups/state-{index}.json"))];
    let plan = Plan {
        given: vec![(input, backup.to_owned())],
        answer: Some(&answer),
        per_route: Some(&per_route),
        ..Plan::default()
    };
    let runs = stage.walk_every_route(id, plan);
    (runs, seen.into_inner())
}

fn diff_at(stage: &Stage, run: &str, step: &str) -> serde_json::Value {
    let entries = stage.entries_of(run);
    let found = entries
        .iter()
        .find(|e| e["type"] == "diff-recorded" && e["body"]["step"] == step);
    found.unwrap_or_else(|| panic!("run {run}: no diff at {step}"))["body"].clone()
}

/// The restore's receipt step on the Safe passed on the Safe's own `ExecutionSuccess`, from a
/// transaction to the Safe (its `execTransaction`), and was not skipped.
fn assert_the_safe_executed(stage: &Stage, run: &str, step: &str) {
    let entries = stage.entries_of(run);
    assert!(
        !entries
            .iter()
            .any(|e| e["type"] == "step-skipped" && e["body"]["step"] == step),
        "run {run}: {step} was skipped"
    );
    let receipt = entries
        .iter()
        .find(|e| e["type"] == "receipt-checked" && e["body"]["step"] == step)
        .unwrap_or_else(|| panic!("run {run}: no receipt at {step}"));
    let body = &receipt["body"];
    assert_eq!(body["passed"], true, "{body}");
    assert_eq!(
        body["events"],
        json!([{"signature": "ExecutionSuccess(bytes32,uint256)", "found": true}])
    );
    let to: alloy_primitives::Address = body["to"].as_str().unwrap().parse().unwrap();
    let safe: alloy_primitives::Address = stage.sandbox_info()["safe"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(to, safe, "{body}");
}

#[test]
fn restore_config_snapshot_puts_the_backup_back_on_the_sandbox() {
    let (stage, backup) = after_a_bad_change();
    let (runs, after_batch) = walk_restore(
        &stage,
        "restore-config-snapshot",
        "snapshot_dir",
        &backup,
        "post-restore-diff",
    );
    assert_eq!(runs.len(), 1, "the runbook has one route");
    let found = diff_at(&stage, &runs[0], "diff-snapshot");
    assert_eq!(found["changed"], json!(["FeePool.burnPct"]), "{found}");
    assert!(found["against"].as_str().unwrap().starts_with("live "));
    assert_eq!(
        after_batch,
        [backed_up_burn_pct(&stage, &backup)],
        "after the restore batch the sandbox holds the backup's value"
    );
    assert_eq!(diff_at(&stage, &runs[0], "post-restore-diff")["changes"], 0);
    assert_the_safe_executed(&stage, &runs[0], "check-receipt");
}

#[test]
fn restore_from_backups_confirms_them_and_restores_on_the_sandbox() {
    let (stage, backup) = after_a_bad_change();
    let (runs, after_batch) = walk_restore(
        &stage,
        "restore-from-backups",
        "backup_dir",
        &backup,
        "restore-evidence",
    );
    assert_eq!(runs.len(), 3, "backups only, restore, not yet");
    assert_eq!(
        after_batch,
        [backed_up_burn_pct(&stage, &backup)],
        "the one route that restores leaves the backup's value on the sandbox"
    );
    let restored = runs
        .iter()
        .find(|run| {
            stage
                .entries_of(run)
                .iter()
                .any(|e| e["body"]["step"] == "post-restore-diff")
        })
        .expect("a route restores");
    assert_eq!(
        diff_at(&stage, restored, "diff-backup")["changed"],
        json!(["FeePool.burnPct"])
    );
    assert_eq!(diff_at(&stage, restored, "post-restore-diff")["changes"], 0);
    assert_the_safe_executed(&stage, restored, "check-receipt");
    for index in 0..runs.len() {
        let path = stage
            .workspace
            .path()
            .join(format!("storage/backups/state-{index}.json"));
        let state: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            state["drill"],
            true,
            "{}: marked as a drill's",
            path.display()
        );
        assert_eq!(
            state["values"]["FeePool.burnPct"],
            json!(BAD_BURN_PCT),
            "{}: read from the sandbox's FeePool, not the network's addresses",
            path.display()
        );
        assert!(state["signature"].is_string(), "{}: signed", path.display());
    }
    let refused = stage.walker().cli(
        "alice",
        &[
            "diff",
            "--network",
            "demo",
            "--against",
            "storage/backups/state-0.json",
        ],
    );
    let (_, err) = text(&refused);
    assert!(!refused.status.success());
    assert!(
        err.contains("state-0.json") && err.contains("drill"),
        "a drill's snapshot is no state of the network: {err}"
    );
}

#[test]
fn a_backup_changed_since_it_was_made_is_refused_naming_the_file() {
    let (stage, backup) = after_a_bad_change();
    let changed = stage
        .workspace
        .path()
        .join(&backup)
        .join("fee-pool.demo.json");
    let text_before = std::fs::read_to_string(&changed).unwrap();
    std::fs::write(&changed, text_before.replace("\"burnPct\"", "\"burnPct\" ")).unwrap();
    let walker = stage.walker();
    let started = walker.cli(
        "alice",
        &[
            "drill",
            "restore-config-snapshot",
            "--network",
            "demo",
            "--input",
            &format!("snapshot_dir={backup}"),
        ],
    );
    assert!(started.status.success(), "{:?}", text(&started));
    let run = crate::support::cli::run_of(&started);
    for args in [&["--check", "all"][..], &["--execute"][..]] {
        let mut all = vec!["run", "next", run.as_str()];
        all.extend_from_slice(args);
        let moved = walker.cli("alice", &all);
        assert!(moved.status.success(), "{:?}", text(&moved));
    }
    let ledger = stage.workspace.path().join("storage/owner-ledger.jsonl");
    let recorded = std::fs::read_to_string(&ledger).unwrap();
    let refused = walker.cli("alice", &["run", "next", &run]);
    let (out, err) = text(&refused);
    assert!(!refused.status.success(), "{out}");
    assert!(
        err.contains(&changed.display().to_string()) && err.contains("differs from the manifest"),
        "the refusal names the changed file: {err}"
    );
    assert_eq!(
        std::fs::read_to_string(&ledger).unwrap(),
        recorded,
        "nothing more recorded, nothing lost"
    );
    let status =
        crate::support::cli::json(&walker.cli("alice", &["run", "status", &run, "--json"]));
    assert_eq!(status["position"]["step"], "diff-snapshot");
    let verified = walker.cli("alice", &["ledger", "verify"]);
    assert!(verified.status.success(), "{:?}", text(&verified));
    assert_eq!(
        stage.sandbox_values()["FeePool.burnPct"],
        json!(BAD_BURN_PCT),
        "nothing was sent"
    );
}
