//! The risk diff through the real binary: classes, guardrails, fingerprints, colour, JSON.

mod support;

use std::path::Path;
use support::cli::{Home, json, text};

fn run(home: &Home, cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let output = home.cli(cwd, args);
    let (out, err) = text(&output);
    (output.status.code().unwrap_or(-1), out, err)
}

fn edit(path: &Path, change: impl FnOnce(&mut serde_json::Value)) {
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    change(&mut json);
    std::fs::write(path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
}

#[test]
fn the_demo_diff_classes_each_change_and_exits_3() {
    let home = Home::empty();
    let ws = support::workspace::shipped_workspace();
    let (code, out, _) = run(
        &home,
        ws.path(),
        &["diff", "--network", "demo", "--color", "never"],
    );
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("4 changes: 1 security-critical, 2 financial, 1 cosmetic"),
        "{out}"
    );
    assert!(
        out.contains("~ [FINANCIAL] FeePool.burnPct 2% → 3%"),
        "{out}"
    );
    assert!(
        out.contains("~ [SECURITY]  EnergyOracle.signers  +0xc3c3"),
        "{out}"
    );
    assert!(
        out.contains("~ [COSMETIC]  IdentityRegistry.agentAliases  +beta.agent.ci.agi.eth"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}'), "no colour when asked for none");
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"fingerprint [0-9a-f]{64}", "fingerprint [FINGERPRINT]");
    settings.add_filter(r", [0-9dhms ]+ old, signed by", ", [AGE] old, signed by");
    settings.bind(|| insta::assert_snapshot!("demo_diff_text", out));

    let (_, coloured, _) = run(
        &home,
        ws.path(),
        &["diff", "--network", "demo", "--color", "always"],
    );
    assert!(coloured.contains("\u{1b}["), "colour when asked for it");
    assert!(
        coloured.contains("[SECURITY]") && coloured.contains("[FINANCIAL]"),
        "words stay with the colours"
    );
    let (_, piped, _) = run(&home, ws.path(), &["diff", "--network", "demo"]);
    assert!(
        !piped.contains('\u{1b}'),
        "auto: no colour when stdout is not a terminal"
    );
}

#[test]
fn the_fingerprint_is_the_same_across_runs_and_key_orders() {
    let home = Home::empty();
    let ws = support::workspace::shipped_workspace();
    let (_, first, _) = run(
        &home,
        ws.path(),
        &["diff", "--network", "demo", "--fingerprint"],
    );
    let (_, second, _) = run(
        &home,
        ws.path(),
        &["diff", "--network", "demo", "--fingerprint"],
    );
    assert_eq!(first, second);
    assert_eq!(first.trim().len(), 64);
    let file = ws.path().join("config/fee-pool.demo.json");
    let original: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let reversed: Vec<String> = original
        .iter()
        .rev()
        .map(|(k, v)| format!("{}: {v}", serde_json::to_string(k).unwrap()))
        .collect();
    std::fs::write(&file, format!("{{\n{}\n}}\n", reversed.join(",\n"))).unwrap();
    let (_, reordered, _) = run(
        &home,
        ws.path(),
        &["diff", "--network", "demo", "--fingerprint"],
    );
    assert_eq!(
        first, reordered,
        "key order does not change the fingerprint"
    );
    edit(&file, |j| j["burnPct"] = serde_json::json!(4));
    let (_, changed, _) = run(
        &home,
        ws.path(),
        &["diff", "--network", "demo", "--fingerprint"],
    );
    assert_ne!(
        first, changed,
        "a different change has a different fingerprint"
    );
}

#[test]
fn a_broken_guardrail_blocks_and_says_what_would_be_valid() {
    let home = Home::empty();
    let ws = support::workspace::shipped_workspace();
    edit(&ws.path().join("config/fee-pool.demo.json"), |j| {
        j["burnPct"] = serde_json::json!(101)
    });
    let (code, out, _) = run(
        &home,
        ws.path(),
        &["diff", "--network", "demo", "--color", "never"],
    );
    assert_eq!(code, 4, "{out}");
    assert!(out.contains("✗ BLOCKED by guardrail burn-pct-range: FeePool.burnPct = 101% — valid: a whole percent from 0 to 100"), "{out}");
    assert!(
        out.contains("✗ BLOCKED by guardrail job-fee-burn-validator-total: 5% + 101% + 12% = 118%"),
        "{out}"
    );
    assert!(out.contains("2 guardrails violated"), "{out}");
    let report = json(&home.cli(ws.path(), &["diff", "--network", "demo", "--json"]));
    assert_eq!(report["diff"]["guardrails"][0]["blocking"], true);
    assert_eq!(report["risk"], "security");
}

#[test]
fn the_fixture_config_fails_validate_on_its_slashing_split() {
    let home = Home::empty();
    let ws = support::workspace::shipped_workspace();
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agijobs"))
            .unwrap()
    {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(
                &path,
                ws.path().join("config").join(path.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    let networks = std::fs::read_to_string(ws.path().join("config/networks.toml")).unwrap();
    std::fs::write(ws.path().join("config/networks.toml"), format!("{networks}\n[networks.ci]\ndescription = \"CI\"\nchain_id = 31337\nrpc_env = \"CI_RPC_URL\"\n")).unwrap();
    let (code, out, err) = run(&home, ws.path(), &["validate", "--network", "ci"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("FAIL [ci] slashing-split: 40% + 60% + 5% = 105% — remedy: the employer, treasury and validator shares of a slash must add up to at most 100"), "{err}");
    assert!(out.contains("WARN [ci] config/fee-pool.ci.json: FeePool.treasury (/treasury): `0xF777777777777777777777777777777777777777` is not in EIP-55 checksum form"), "{out}");
    let (demo, _, _) = run(&home, ws.path(), &["validate", "--network", "demo"]);
    assert_eq!(demo, 0);
    let (strict, _, _) = run(
        &home,
        ws.path(),
        &["validate", "--network", "demo", "--strict"],
    );
    assert_eq!(
        strict, 1,
        "the demo's allowlist warnings fail under --strict"
    );
}

#[test]
fn plan_writes_a_checked_safe_batch_and_refuses_a_blocked_change() {
    let home = Home::empty();
    let ws = support::workspace::shipped_workspace();
    let out = ws.path().join("batch.json");
    let (code, printed, err) = run(
        &home,
        ws.path(),
        &["plan", "--network", "demo", "--out", out.to_str().unwrap()],
    );
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
        ["setSigner", "setBurnPct", "setSlashingDistribution"]
    );
    assert_eq!(
        batch["transactions"][1]["contractInputsValues"]["arg0"], "3",
        "whole percent, as the FeePool keeps it"
    );
    let split = &batch["transactions"][2]["contractInputsValues"];
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
    let ws = support::workspace::shipped_workspace();
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
    let operators = support::cli::operators_toml(&[("tester", &address, &["operator", "pauser"])]);
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
    let ws = support::workspace::shipped_workspace();
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
fn long_text_changes_show_an_inline_diff_of_words() {
    let home = Home::empty();
    let ws = support::workspace::shipped_workspace();
    let set_uri = |uri: &str| {
        edit(&ws.path().join("config/identity-registry.demo.json"), |j| {
            j["agentProfiles"]["0xCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"]["metadataURI"] =
                serde_json::json!(uri)
        })
    };
    set_uri("ipfs://bafybeigdyrzt/agents/supply chain profile version one");
    let (_, saved, _) = run(&home, ws.path(), &["snapshot", "config"]);
    let folder = saved.trim().rsplit(" into ").next().unwrap().to_owned();
    set_uri("ipfs://bafybeigdyrzt/agents/supply chain profile version two");
    let (code, out, err) = run(
        &home,
        ws.path(),
        &[
            "diff",
            "--network",
            "demo",
            "--against",
            &folder,
            "--color",
            "never",
        ],
    );
    assert_eq!(code, 3, "{out}{err}");
    assert!(out.contains("1 change: 1 cosmetic"), "{out}");
    assert!(out.contains("~ [COSMETIC]  IdentityRegistry.agentProfileURI ipfs://bafybeigdyrzt/agents/supply chain profile version [-one-]{+two+}"), "{out}");
}

#[test]
fn the_restore_runbook_diffs_and_batches_the_chosen_snapshot_after_checking_it() {
    let home = Home::new();
    let ws = support::workspace::shipped_workspace();
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
    let run_id = started["run"].as_str().unwrap().to_owned();
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

    let second = json(&home.cli(
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
    let second = second["run"].as_str().unwrap().to_owned();
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
    let ws = support::workspace::shipped_workspace();
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
