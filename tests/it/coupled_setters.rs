//! A setter that overwrites another value: `StakeManager.setValidatorRewardPct(pct)` also sets
//! `validatorSlashRewardPct = pct` (on the platform and in the sandbox's mock). The plan calls
//! it before `setSlashingDistribution`, and calls that again to restore a slash share the
//! config leaves unchanged, so that one executed batch leaves the chain as the config says.

use crate::support::chain::live_cli as cli;
use crate::support::chain::{Platform, listed_home, snapshot_values};
use crate::support::cli::text;
use crate::support::workspace::{edit, shipped_workspace};
use std::path::Path;

const RUNBOOK: &str = r#"
id = "stake-update"
title = "Update the stake manager's rewards and slashing"
kind = "update"
severity = "medium"
version = "1.0.0"
summary = "Diff, batch, execute, and check that config and chain agree."
networks = ["demo"]

[[steps]]
id = "diff"
title = "Diff"
kind = "diff"
domains = ["fees", "stake-manager"]

[[steps]]
id = "batch"
title = "Safe batch"
kind = "safe-batch"
source = "diff"
allow_incomplete = true

[[steps]]
id = "agree"
title = "Config and chain agree"
kind = "diff"
domains = ["fees", "stake-manager"]
expect_agreement = true
"#;

/// Runs the runbook: diff, batch (returned: the methods called, in order), execute it through
/// the Safe, then the agreement check; returns the methods and whether config and chain agree.
fn plan_execute_agree(workspace: &Path, platform: &Platform) -> (Vec<String>, bool, String) {
    std::fs::write(workspace.join("runbooks/update/stake-update.toml"), RUNBOOK).unwrap();
    let home = listed_home(workspace);
    let url = platform.url();
    let started = cli(
        &home,
        workspace,
        &url,
        &["run", "start", "stake-update", "--network", "demo"],
    );
    let run = crate::support::cli::run_of(&started);
    let diffed = cli(&home, workspace, &url, &["run", "next", &run]);
    assert!(diffed.status.success(), "{:?}", text(&diffed));
    let batched = cli(&home, workspace, &url, &["run", "next", &run]);
    assert!(batched.status.success(), "{:?}", text(&batched));
    let batch = std::fs::read_dir(workspace.join("storage/batches"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&batch).unwrap()).unwrap();
    let methods: Vec<String> = json["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["contractMethod"]["name"].as_str().unwrap().to_owned())
        .collect();
    platform.execute_batch(&batch);
    let agreed = cli(&home, workspace, &url, &["run", "next", &run]);
    let (out, err) = text(&agreed);
    (methods, agreed.status.success(), format!("{out}\n{err}"))
}

/// The position of `method` in `methods`.
fn at(methods: &[String], method: &str) -> usize {
    methods
        .iter()
        .position(|m| m == method)
        .unwrap_or_else(|| panic!("{method} in {methods:?}"))
}

/// The config's slashing split and validator reward set to the chain's, then `change` applied.
fn stake_config(workspace: &Path, change: impl FnOnce(&mut serde_json::Value)) {
    let chain = snapshot_values(workspace);
    edit(&workspace.join("config/stake-manager.demo.json"), |j| {
        for (field, id) in [
            ("employerSlashPct", "StakeManager.employerSlashPct"),
            ("treasurySlashPct", "StakeManager.treasurySlashPct"),
            (
                "validatorSlashRewardPct",
                "StakeManager.validatorSlashRewardPct",
            ),
            ("validatorRewardPct", "StakeManager.validatorRewardPct"),
        ] {
            let value: u64 = match &chain[id] {
                serde_json::Value::String(s) => s.parse().unwrap(),
                other => other.as_u64().unwrap(),
            };
            j[field] = value.into();
        }
        change(j);
    });
}

#[test]
fn one_batch_changing_the_validator_reward_and_the_slashing_split_reaches_the_config() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    stake_config(workspace.path(), |j| {
        j["validatorRewardPct"] = 20.into();
        j["employerSlashPct"] = 30.into();
        j["treasurySlashPct"] = 60.into();
        j["validatorSlashRewardPct"] = 10.into();
    });
    let (methods, agreed, said) = plan_execute_agree(workspace.path(), &platform);
    assert!(
        at(&methods, "setValidatorRewardPct") < at(&methods, "setSlashingDistribution"),
        "the coupled setter goes first: {methods:?}"
    );
    assert!(agreed, "config and chain agree after one pass: {said}");
    assert!(said.contains("no changes"), "{said}");
}

#[test]
fn a_slash_share_the_config_leaves_unchanged_is_restored_after_the_coupled_setter() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    // The chain's split made the config's (40/55/5), so that only the reward changes.
    platform.as_safe(
        platform.module("StakeManager"),
        "setSlashingDistribution(uint256,uint256,uint256)",
        &["40", "55", "5"],
    );
    edit(
        &workspace.path().join("config/stake-manager.demo.json"),
        |j| {
            j["employerSlashPct"] = 40.into();
            j["treasurySlashPct"] = 55.into();
            j["validatorSlashRewardPct"] = 5.into();
            j["validatorRewardPct"] = 20.into();
        },
    );
    let (methods, agreed, said) = plan_execute_agree(workspace.path(), &platform);
    assert_eq!(
        methods
            .iter()
            .filter(|m| m.starts_with("setValidator") || m.starts_with("setSlashing"))
            .collect::<Vec<_>>(),
        ["setValidatorRewardPct", "setSlashingDistribution"],
        "the unchanged split is set again, after the reward: {methods:?}"
    );
    assert!(agreed, "{said}");
    assert!(said.contains("no changes"), "{said}");
}
