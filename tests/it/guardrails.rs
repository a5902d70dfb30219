//! The two kinds of guardrail, through the real binary: each contract limit the platform
//! enforces blocks `diff` and `plan` before any batch is written; the console is no stricter
//! than the contract where it has no reason to be (JobRegistry's fee and validator reward are
//! summed without the FeePool's burn; a zero treasury is a policy warning); a policy guardrail
//! is labelled `policy` in text and JSON and a network may make it fail, warn or go off.

use crate::support::cli::{Home, run};
use crate::support::workspace::edit;
use std::path::Path;

/// `plan` is refused, naming `guardrail`, and writes no batch; `diff` exits 4 (blocked).
fn blocked(ws: &Path, guardrail: &str) {
    let home = Home::empty();
    let (code, out, err) = run(
        &home,
        ws,
        &[
            "diff",
            "--network",
            "demo",
            "--color",
            "never",
            "--allow-incomplete",
        ],
    );
    assert_eq!(code, 4, "diff is blocked by {guardrail}: {out}{err}");
    assert!(
        out.contains(&format!("✗ BLOCKED by guardrail {guardrail}:")),
        "{out}"
    );
    let batch = ws.join("blocked.json");
    let (code, out, err) = run(
        &home,
        ws,
        &[
            "plan",
            "--network",
            "demo",
            "--out",
            batch.to_str().unwrap(),
            "--allow-incomplete",
        ],
    );
    assert_eq!(code, 1, "plan is refused for {guardrail}: {out}{err}");
    assert!(err.contains("a guardrail blocks this change"), "{err}");
    assert!(!batch.exists(), "no batch is written past {guardrail}");
}

#[test]
fn each_contract_limit_blocks_diff_and_plan_before_a_batch_is_written() {
    let cases: [(&str, &str, serde_json::Value, &str); 5] = [
        (
            "stake-manager",
            "/maxTotalPayoutPct",
            serde_json::json!(300),
            "max-total-payout-pct",
        ),
        (
            "stake-manager",
            "/maxAGITypes",
            serde_json::json!(60),
            "max-agi-types",
        ),
        (
            "stake-manager",
            "/minStakeTokens",
            serde_json::json!("0"),
            "min-stake-positive",
        ),
        (
            "thermodynamics",
            "/thermostat/systemTemperature",
            serde_json::json!("2000000000000000001"),
            "system-temperature-within-bounds",
        ),
        (
            "thermodynamics",
            "/thermostat/systemTemperature",
            serde_json::json!("499999999999999999"),
            "system-temperature-within-bounds",
        ),
    ];
    for (file, pointer, value, guardrail) in cases {
        let ws = crate::support::workspace::shipped_workspace();
        edit(&ws.path().join(format!("config/{file}.demo.json")), |j| {
            *j.pointer_mut(pointer).unwrap() = value.clone();
        });
        blocked(ws.path(), guardrail);
    }
}

#[test]
fn the_system_temperature_is_held_to_bounds_the_config_leaves_to_the_current_state() {
    // The config gives no bounds: the contract checks against the ones it holds, the
    // snapshot's (max 2.0), and so does the guardrail.
    let ws = crate::support::workspace::shipped_workspace();
    edit(&ws.path().join("config/thermodynamics.demo.json"), |j| {
        let thermostat = j["thermostat"].as_object_mut().unwrap();
        thermostat.remove("bounds");
        thermostat.insert("systemTemperature".into(), "2500000000000000000".into());
    });
    blocked(ws.path(), "system-temperature-within-bounds");

    // At the bound itself, it passes.
    edit(&ws.path().join("config/thermodynamics.demo.json"), |j| {
        j["thermostat"]["systemTemperature"] = "2000000000000000000".into();
    });
    let (code, out, err) = run(
        &Home::empty(),
        ws.path(),
        &[
            "diff",
            "--network",
            "demo",
            "--color",
            "never",
            "--allow-incomplete",
        ],
    );
    assert_eq!(code, 3, "{out}{err}");
    assert!(!out.contains("system-temperature-within-bounds"), "{out}");
}

#[test]
fn the_job_fee_and_validator_reward_are_summed_without_the_burn() {
    // JobRegistry checks feePct + validatorRewardPct <= 100; the FeePool's burn is a share of
    // the fee. 86 + 12 (+ burn 3) is valid; 89 + 12 is not.
    let ws = crate::support::workspace::shipped_workspace();
    edit(&ws.path().join("config/job-registry.demo.json"), |j| {
        j["feePct"] = 86.into();
        j["validatorRewardPct"] = 12.into();
    });
    let home = Home::empty();
    let batch = ws.path().join("batch.json");
    let (code, out, err) = run(
        &home,
        ws.path(),
        &[
            "plan",
            "--network",
            "demo",
            "--out",
            batch.to_str().unwrap(),
            "--allow-incomplete",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(batch.exists());
    edit(&ws.path().join("config/job-registry.demo.json"), |j| {
        j["feePct"] = 89.into();
    });
    blocked(ws.path(), "job-fee-validator-total");
}

#[test]
fn a_zero_treasury_is_a_policy_warning_that_a_network_may_make_fail_or_turn_off() {
    let ws = crate::support::workspace::shipped_workspace();
    edit(&ws.path().join("config/stake-manager.demo.json"), |j| {
        j["treasury"] = "0x0000000000000000000000000000000000000000".into();
    });
    let home = Home::empty();
    let diff = |ws: &Path| {
        run(
            &home,
            ws,
            &[
                "diff",
                "--network",
                "demo",
                "--color",
                "never",
                "--allow-incomplete",
            ],
        )
    };
    let (code, out, err) = diff(ws.path());
    assert_eq!(code, 3, "a warning does not block: {out}{err}");
    assert!(
        out.contains("⚠ policy warning treasury-not-zero: StakeManager.treasury = 0x0000000000000000000000000000000000000000"),
        "{out}"
    );
    assert!(
        out.contains("owner policy, stricter than the contract"),
        "{out}"
    );
    let batch = ws.path().join("batch.json");
    let (code, out, err) = run(
        &home,
        ws.path(),
        &[
            "plan",
            "--network",
            "demo",
            "--out",
            batch.to_str().unwrap(),
            "--allow-incomplete",
        ],
    );
    assert_eq!(code, 0, "the contract accepts a zero treasury: {out}{err}");

    let (code, out, _) = run(
        &home,
        ws.path(),
        &["diff", "--network", "demo", "--json", "--allow-incomplete"],
    );
    assert_eq!(code, 3);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = json["diff"]["guardrails"].as_array().unwrap();
    let zero = findings
        .iter()
        .find(|f| f["guardrail"] == "treasury-not-zero")
        .unwrap();
    assert_eq!(zero["kind"], "policy");
    assert_eq!(zero["level"], "warn");
    assert_eq!(zero["blocking"], false);
    assert!(
        findings
            .iter()
            .filter(|f| f["guardrail"] != "treasury-not-zero")
            .all(|f| f["kind"] == "contract"),
        "{findings:?}"
    );

    let networks = ws.path().join("config/networks.toml");
    let shipped = std::fs::read_to_string(&networks).unwrap();
    std::fs::write(
        &networks,
        format!("{shipped}\n[networks.demo.policy]\ntreasury-not-zero = \"fail\"\n"),
    )
    .unwrap();
    let (code, out, err) = diff(ws.path());
    assert_eq!(code, 4, "{out}{err}");
    assert!(
        out.contains("✗ BLOCKED by policy treasury-not-zero:"),
        "{out}"
    );

    std::fs::write(
        &networks,
        format!("{shipped}\n[networks.demo.policy]\ntreasury-not-zero = \"off\"\n"),
    )
    .unwrap();
    let (code, out, err) = diff(ws.path());
    assert_eq!(code, 3, "{out}{err}");
    assert!(!out.contains("treasury-not-zero"), "{out}");

    std::fs::write(
        &networks,
        format!("{shipped}\n[networks.demo.policy]\nslashing-split = \"off\"\n"),
    )
    .unwrap();
    let (code, out, err) = diff(ws.path());
    assert_ne!(code, 0, "{out}");
    assert!(
        err.contains(
            "`slashing-split` is a contract limit (the setter would revert), not a policy"
        ),
        "{err}"
    );
}
