//! The diff turned into Safe batches through the real binary: `plan` writes a checked batch
//! and refuses a blocked or unreadable change, a runbook's safe-batch step prepares one and
//! records its hash, and a config snapshot is proposed for a rollback (by `diff --from`,
//! `plan --from` and the restore runbook) only while its hashes hold.

use crate::support::cli::{Home, json, run, text};
use crate::support::workspace::edit;
use std::path::Path;

#[test]
fn plan_writes_a_checked_safe_batch_and_refuses_a_blocked_change() {
    let home = Home::empty();
    let ws = crate::support::workspace::shipped_workspace();
    let out = ws.path().join("batch.json");
    let plan = |extra: &[&str]| {
        let mut args = vec!["plan", "--network", "demo", "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        run(&home, ws.path(), &args)
    };
    let (code, _, err) = plan(&[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("the diff is incomplete")
            && err.contains("HamiltonianMonitor.records = 2 record(s) (no getter in the catalogue"),
        "the batch would leave out what the snapshot does not hold: {err}"
    );
    assert!(!out.exists(), "nothing is written for an incomplete diff");
    let (code, printed, err) = plan(&["--allow-incomplete"]);
    assert_eq!(code, 0, "{printed}{err}");
    assert!(
        !printed.contains("StakeManager.treasurySlashPct"),
        "the slashing split has a setter now: {printed}"
    );
    let batch: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(batch["chainId"], "31337");
    let methods: Vec<_> = batch["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["contractMethod"]["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        methods,
        [
            "setSigner",
            "addAgentRootNodeAlias",
            "setBurnPct",
            "setSlashingDistribution"
        ]
    );
    assert_eq!(
        batch["transactions"][1]["contractInputsValues"]["arg0"],
        format!(
            "0x{}",
            hex::encode(owner_console::catalogue::value::namehash(
                "beta.agent.ci.agi.eth"
            ))
        ),
        "an ENS alias goes to the chain as its namehash"
    );
    assert_eq!(
        batch["transactions"][2]["contractInputsValues"]["arg0"], "3",
        "whole percent, as the FeePool keeps it"
    );
    let split = &batch["transactions"][3]["contractInputsValues"];
    assert_eq!(
        [&split["arg0"], &split["arg1"], &split["arg2"]],
        ["40", "55", "5"],
        "one call sets the employer, treasury and validator shares together"
    );
    let (shown, text, _) = run(&home, ws.path(), &["batch", "show", out.to_str().unwrap()]);
    assert_eq!(shown, 0, "{text}");
    assert!(!text.contains("FAIL"), "{text}");

    edit(&ws.path().join("config/fee-pool.demo.json"), |j| {
        j["burnPct"] = serde_json::json!(101)
    });
    let again = ws.path().join("blocked.json");
    let (code, _, err) = run(
        &home,
        ws.path(),
        &[
            "plan",
            "--network",
            "demo",
            "--out",
            again.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("a guardrail blocks this change"), "{err}");
    assert!(!again.exists(), "nothing is written for a blocked change");
}

#[test]
fn a_safe_batch_step_prepares_a_checked_batch_and_records_its_hash() {
    let home = Home::new();
    let ws = crate::support::workspace::shipped_workspace();
    let cwd = ws.path();
    let started = json(&home.cli(
        cwd,
        &[
            "run",
            "start",
            "pause-job-intake",
            "--network",
            "demo",
            "--input",
            "incident_id=INC-7",
            "--json",
        ],
    ));
    let run_id = started["run"].as_str().unwrap().to_owned();
    json(&home.cli(cwd, &["run", "next", &run_id, "--check", "all", "--json"]));
    json(&home.cli(
        cwd,
        &[
            "run",
            "next",
            &run_id,
            "--note",
            "exploit in progress",
            "--json",
        ],
    ));
    json(&home.cli(
        cwd,
        &[
            "run",
            "next",
            &run_id,
            "--skip",
            "--reason",
            "read on a block explorer",
            "--json",
        ],
    ));
    let unconfirmed = home.cli(cwd, &["run", "next", &run_id]);
    assert!(
        text(&unconfirmed).1.contains("type `PAUSE` to confirm"),
        "{:?}",
        text(&unconfirmed)
    );
    let done = json(&home.cli(
        cwd,
        &["run", "next", &run_id, "--confirm", "PAUSE", "--json"],
    ));
    assert_eq!(done["position"]["step"], "collect-signatures");
    let file = cwd.join(format!("storage/batches/{run_id}-build-batch.json"));
    let batch: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(batch["transactions"][0]["contractMethod"]["name"], "pause");
    assert_eq!(
        batch["transactions"][0]["data"], "0x8456cb59",
        "the selector of pause()"
    );
    let shown = json(&home.cli(cwd, &["ledger", "show", "--run", &run_id, "--json"]));
    let prepared = shown
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "batch-prepared")
        .expect("a batch-prepared entry");
    assert_eq!(prepared["body"]["transactions"], 1);
    assert_eq!(prepared["body"]["sha256"].as_str().unwrap().len(), 64);

    let keys = json(&home.cli(cwd, &["keys", "list", "--json"]));
    let address = keys[0]["address"].as_str().unwrap().to_owned();
    let operators =
        crate::support::cli::operators_toml(&[("tester", &address, &["operator", "pauser"])]);
    std::fs::write(cwd.join("config/operators.toml"), operators).unwrap();
    let bundle = cwd.join("bundle");
    let (code, _, err) = run(
        &home,
        cwd,
        &["export", &run_id, "--out", bundle.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        bundle
            .join(format!("batches/{run_id}-build-batch.json"))
            .is_file(),
        "the bundle carries the batch"
    );
    let (code, out, err) = run(&home, cwd, &["verify-bundle", bundle.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_config_snapshot_is_proposed_for_a_rollback_only_when_its_hashes_hold() {
    let home = Home::empty();
    let ws = crate::support::workspace::shipped_workspace();
    let (code, saved, _) = run(&home, ws.path(), &["snapshot", "config"]);
    assert_eq!(code, 0, "{saved}");
    let folder = saved.trim().rsplit(" into ").next().unwrap().to_owned();
    assert!(
        Path::new(&folder).join("manifest.json").is_file(),
        "{folder}"
    );
    assert!(folder.contains("storage/backups/"), "{folder}");

    edit(&ws.path().join("config/fee-pool.demo.json"), |j| {
        j["burnPct"] = serde_json::json!(7)
    });
    let (_, now, _) = run(
        &home,
        ws.path(),
        &["diff", "--network", "demo", "--color", "never"],
    );
    assert!(now.contains("FeePool.burnPct 2% → 7%"), "{now}");
    let (code, rollback, err) = run(
        &home,
        ws.path(),
        &[
            "diff",
            "--network",
            "demo",
            "--from",
            &folder,
            "--color",
            "never",
            "--allow-incomplete",
        ],
    );
    assert_eq!(code, 3, "{rollback}{err}");
    assert!(
        rollback.contains("FeePool.burnPct 2% → 3%"),
        "the saved config proposes what was saved: {rollback}"
    );
    let batch = ws.path().join("rollback.json");
    let (code, _, err) = run(
        &home,
        ws.path(),
        &[
            "plan",
            "--network",
            "demo",
            "--from",
            &folder,
            "--out",
            batch.to_str().unwrap(),
            "--allow-incomplete",
        ],
    );
    assert_eq!(code, 0, "{err}");

    let saved_file = Path::new(&folder).join("fee-pool.demo.json");
    edit(&saved_file, |j| j["burnPct"] = serde_json::json!(9));
    let (code, _, err) = run(
        &home,
        ws.path(),
        &["diff", "--network", "demo", "--from", &folder],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("fee-pool.demo.json: sha256")
            && err.contains("differs from the manifest's")
            && err.contains("the snapshot was changed"),
        "{err}"
    );
}

#[test]
fn the_restore_runbook_diffs_and_batches_the_chosen_snapshot_after_checking_it() {
    let home = Home::new();
    let ws = crate::support::workspace::shipped_workspace();
    let cwd = ws.path();
    let (_, saved, _) = run(&home, cwd, &["snapshot", "config"]);
    let folder = saved.trim().rsplit(" into ").next().unwrap().to_owned();
    let relative = Path::new(&folder)
        .strip_prefix(cwd)
        .unwrap()
        .display()
        .to_string();
    edit(&cwd.join("config/fee-pool.demo.json"), |j| {
        j["burnPct"] = serde_json::json!(9)
    });

    let start_restore = || {
        let started = json(&home.cli(
            cwd,
            &[
                "run",
                "start",
                "restore-config-snapshot",
                "--network",
                "demo",
                "--input",
                &format!("snapshot_dir={relative}"),
                "--json",
            ],
        ));
        started["run"].as_str().unwrap().to_owned()
    };
    let run_id = start_restore();
    json(&home.cli(cwd, &["run", "next", &run_id, "--check", "all", "--json"]));
    json(&home.cli(cwd, &["run", "next", &run_id, "--execute", "--json"]));
    let diffed = home.cli(cwd, &["run", "next", &run_id, "--json"]);
    assert!(
        text(&diffed).1.contains("diff against") && text(&diffed).1.contains("4 changes"),
        "{:?}",
        text(&diffed)
    );
    let done = json(&home.cli(
        cwd,
        &["run", "next", &run_id, "--confirm", "RESTORE", "--json"],
    ));
    assert_eq!(done["position"]["step"], "check-receipt");
    let batch: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(cwd.join(format!("storage/batches/{run_id}-restore-batch.json")))
            .unwrap(),
    )
    .unwrap();
    let burn = batch["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["contractMethod"]["name"] == "setBurnPct")
        .unwrap();
    assert_eq!(
        burn["contractInputsValues"]["arg0"], "3",
        "the snapshot's value, not the edited workspace's 9"
    );

    let second = start_restore();
    json(&home.cli(cwd, &["run", "next", &second, "--check", "all", "--json"]));
    json(&home.cli(cwd, &["run", "next", &second, "--execute", "--json"]));
    edit(&Path::new(&folder).join("fee-pool.demo.json"), |j| {
        j["burnPct"] = serde_json::json!(50)
    });
    let refused = home.cli(cwd, &["run", "next", &second]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).1.contains("the snapshot was changed"),
        "{:?}",
        text(&refused)
    );
}

#[test]
fn plan_refuses_while_a_config_value_cannot_be_read() {
    let home = Home::empty();
    let ws = crate::support::workspace::shipped_workspace();
    edit(&ws.path().join("config/fee-pool.demo.json"), |j| {
        j["burnPct"] = serde_json::json!("three")
    });
    let out = ws.path().join("batch.json");
    let (code, _, err) = run(
        &home,
        ws.path(),
        &["plan", "--network", "demo", "--out", out.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(err.contains("cannot be read: config/fee-pool.demo.json: FeePool.burnPct (/burnPct): `three` is not a whole number"), "{err}");
    assert!(!out.exists());
}

/// A runbook whose diff leaves values out: the catalogue reads none of RewardEngine's role
/// shares, which the demo config gives; the fees domain has a change to make.
fn stake_update_runbook(allow_incomplete: bool) -> String {
    let allowed = if allow_incomplete {
        "allow_incomplete = true\n"
    } else {
        ""
    };
    format!(
        r#"
id = "stake-update"
title = "Update the stake manager"
kind = "update"
severity = "medium"
version = "1.0.0"
summary = "Diff and batch."
networks = ["demo"]

[[steps]]
id = "diff"
title = "Diff"
kind = "diff"
domains = ["fees", "rewards"]

[[steps]]
id = "batch"
title = "Safe batch"
kind = "safe-batch"
source = "diff"
{allowed}
[[steps]]
id = "done"
title = "Done"
kind = "note"
prompt = "Anything to add?"
"#
    )
}

#[test]
fn a_safe_batch_step_refuses_a_diff_that_left_values_out_unless_its_runbook_allows_it() {
    let home = Home::new();
    let ws = crate::support::workspace::shipped_workspace();
    let cwd = ws.path();
    let runbook = cwd.join("runbooks/update/stake-update.toml");
    let batch_of = |run_id: &str| cwd.join(format!("storage/batches/{run_id}-batch.json"));
    let start = || {
        let started = home.cli(
            cwd,
            &[
                "run",
                "start",
                "stake-update",
                "--network",
                "demo",
                "--json",
            ],
        );
        assert!(started.status.success(), "{:?}", text(&started));
        let started = json(&started);
        let run_id = started["run"].as_str().unwrap().to_owned();
        let diffed = home.cli(cwd, &["run", "next", &run_id]);
        assert!(diffed.status.success(), "{:?}", text(&diffed));
        run_id
    };

    std::fs::write(&runbook, stake_update_runbook(false)).unwrap();
    let refused_run = start();
    let refused = home.cli(cwd, &["run", "next", &refused_run]);
    let (_, err) = text(&refused);
    assert_eq!(refused.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the diff is incomplete")
            && err.contains("RewardEngine.mu.agent = 100000000000000000")
            && err.contains("allow_incomplete = true"),
        "the step names what the batch would leave out and how a runbook allows it: {err}"
    );
    assert!(!batch_of(&refused_run).exists(), "no batch is written");
    let shown = json(&home.cli(cwd, &["ledger", "show", "--run", &refused_run, "--json"]));
    assert!(
        !shown
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == "batch-prepared"),
        "nothing is recorded: {shown}"
    );

    std::fs::write(&runbook, stake_update_runbook(true)).unwrap();
    let allowed_run = start();
    let allowed = home.cli(cwd, &["run", "next", &allowed_run]);
    assert!(allowed.status.success(), "{:?}", text(&allowed));
    let batch: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(batch_of(&allowed_run)).unwrap()).unwrap();
    assert!(
        !batch["transactions"].as_array().unwrap().is_empty(),
        "{batch}"
    );
}
