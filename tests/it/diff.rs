//! The risk diff through the real binary: classes, guardrails, fingerprints, colour, JSON,
//! `validate`, and word diffs of long text. Turning a diff into a Safe batch (`plan`, a
//! runbook's safe-batch step, rollbacks from a config snapshot) is in diff_batches.rs.

use crate::support::cli::{Home, json, run};
use crate::support::workspace::edit;
use std::path::Path;

#[test]
fn the_demo_diff_classes_each_change_names_what_it_left_out_and_exits_5() {
    let home = Home::empty();
    let ws = crate::support::workspace::shipped_workspace();
    let (code, out, _) = run(
        &home,
        ws.path(),
        &["diff", "--network", "demo", "--color", "never"],
    );
    assert_eq!(
        code, 5,
        "incomplete: the snapshot does not hold every value: {out}"
    );
    assert!(
        out.contains("⚠ INCOMPLETE: ")
            && out.contains("no getter in the catalogue: not read on chain: ")
            && out.contains("HamiltonianMonitor.records = 2 record(s)"),
        "{out}"
    );
    let (code, _, _) = run(
        &home,
        ws.path(),
        &["diff", "--network", "demo", "--allow-incomplete"],
    );
    assert_eq!(code, 3, "complete enough when told so");
    assert!(
        out.contains("4 changes: 2 security-critical, 2 financial"),
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
        out.contains(&format!(
            "~ [SECURITY]  IdentityRegistry.agentAliases  +beta.agent.ci.agi.eth (0x{})",
            hex::encode(owner_console::catalogue::value::namehash(
                "beta.agent.ci.agi.eth"
            ))
        )),
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
    let ws = crate::support::workspace::shipped_workspace();
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
    let ws = crate::support::workspace::shipped_workspace();
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
    assert!(out.contains("1 guardrail violated"), "{out}");
    let report = json(&home.cli(ws.path(), &["diff", "--network", "demo", "--json"]));
    assert_eq!(report["diff"]["guardrails"][0]["blocking"], true);
    assert_eq!(report["risk"], "security");
}

#[test]
fn the_fixture_config_fails_validate_on_its_slashing_split() {
    let home = Home::empty();
    let ws = crate::support::workspace::shipped_workspace();
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
        strict, 0,
        "the demo passes --strict: its treasury is on the allowlists"
    );
}

#[test]
fn long_text_changes_show_an_inline_diff_of_words() {
    let home = Home::empty();
    let ws = crate::support::workspace::shipped_workspace();
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
fn a_value_not_compared_is_named_with_why_and_changing_it_changes_the_fingerprint() {
    let home = Home::empty();
    let ws = crate::support::workspace::shipped_workspace();
    let fingerprint = || {
        let (code, out, err) = run(
            &home,
            ws.path(),
            &["diff", "--network", "demo", "--fingerprint"],
        );
        assert_eq!(code, 5, "{err}");
        out.trim().to_owned()
    };
    let before = fingerprint();
    edit(
        &ws.path().join("config/hamiltonian-monitor.demo.json"),
        |j| {
            j["records"].as_array_mut().unwrap().pop();
        },
    );
    assert_ne!(
        fingerprint(),
        before,
        "the monitor's records have no getter; what they are set to is still part of what is signed"
    );
    let diff = json(&home.cli(ws.path(), &["diff", "--network", "demo", "--json"]));
    let left = diff["diff"]["not_compared"].as_array().unwrap();
    let records = left
        .iter()
        .find(|n| n["id"] == "HamiltonianMonitor.records")
        .unwrap_or_else(|| panic!("named: {left:?}"));
    assert_eq!(records["proposed"], "1 record(s)");
    assert!(
        records["why"].as_str().unwrap().contains("no getter"),
        "{records}"
    );
    let option = left
        .iter()
        .find(|n| n["id"] == "EnergyOracle.retainUnknown")
        .unwrap();
    assert!(option["why"].as_str().unwrap().contains("planning option"));
}
