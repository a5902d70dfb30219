//! Every shipped runbook walked end to end as a drill against a real sandbox (anvil with the
//! mock platform), through the library as the CLI's `run next` acts (support/library_walk.rs;
//! `hamiltonian_monitor` walks through the binary): every decision down each of its options,
//! Safe batches executed through the Safe, receipts and chain checks read for real, health
//! checks answered by a local server, commands run for real by the binary in the workspace and
//! in a real git checkout of a stand-in platform repository. Between routes the chain goes
//! back to the state it had after `sandbox up` (anvil's `evm_snapshot` / `evm_revert`).
//!
//! The platform's own deploy tools (`npx hardhat`, `docker compose`) are not on a test
//! machine: a recording stand-in answers for each, and the test checks what it was asked.

use crate::support::stage::{INCIDENT, Plan, stage};
use crate::support::walk::covering_routes;
use owner_console::steps::{Act, receipt::ReceiptFrom};
use serde_json::json;

macro_rules! walks {
    ($($test:ident: $id:literal $(after $($before:literal),+)?;)*) => {$(
        #[test]
        fn $test() {
            let plan = Plan { before: &[$($($before),+)?], ..Plan::default() };
            stage().walk_every_route($id, plan);
        }
    )*};
}

walks! {
    pause_job_intake: "pause-job-intake";
    unpause_job_intake: "unpause-job-intake" after "pause-job-intake";
    freeze_payouts: "freeze-payouts";
    unfreeze_payouts: "unfreeze-payouts" after "freeze-payouts";
    pause_everything: "pause-everything";
    controlled_unpause: "controlled-unpause" after "pause-everything";
    failure_recovery_matrix: "failure-recovery-matrix";
    security_hardening_review: "security-hardening-review";
    identity_update: "identity-update";
    energy_oracle_signers: "energy-oracle-signers";
    paymaster_spend_limits: "paymaster-spend-limits";
    one_click_deployment: "one-click-deployment" after "pause-everything";
}

/// Walked through the binary, every step a `run next` as an operator types it (`--http`,
/// `--choose`, `--execute`; `run signoff --fingerprint` after the reviewer's
/// `diff --drill --fingerprint`): the doors the other walks reach through the library.
#[test]
fn hamiltonian_monitor() {
    let plan = Plan {
        through_binary: true,
        ..Plan::default()
    };
    stage().walk_every_route("hamiltonian-monitor", plan);
}

#[test]
fn rotate_oracle_signer() {
    let stage = stage();
    let path = stage
        .workspace
        .path()
        .join("config/energy-oracle.demo.json");
    let config = std::fs::read_to_string(&path).unwrap();
    let retired = "0xA1A1a1a1A1A1A1A1A1a1a1a1a1a1A1A1a1A1a1a1";
    assert!(config.contains(retired), "{config}");
    let rotated: String = config
        .lines()
        .filter(|line| !line.contains(retired))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, rotated).unwrap();
    stage.walk_every_route("rotate-oracle-signer", Plan::default());
}

/// The Safe changes its own signers in the Safe app: the test executes each change through
/// the Safe's `execTransaction` (a call from the Safe to itself, so `authorized` lets it in),
/// and gives the step its hash.
#[test]
fn rotate_safe_signers() {
    let stage = stage();
    let info: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(stage.workspace.path().join("storage/sandbox/demo.json")).unwrap(),
    )
    .unwrap();
    let safe: alloy_primitives::Address = info["safe"].as_str().unwrap().parse().unwrap();
    let owners = stage.rpc(
        "eth_call",
        serde_json::json!([{"to": safe, "data": "0xa0e67e2b"}, "latest"]),
    );
    let words: Vec<String> = owners.as_str().unwrap().as_bytes()[2..]
        .chunks(64)
        .skip(2)
        .map(|word| format!("0x{}", &std::str::from_utf8(word).unwrap()[24..]))
        .collect();
    assert!(words.len() >= 2, "the sandbox Safe's owners: {owners}");
    let checksummed = |word: &str| {
        word.parse::<alloy_primitives::Address>()
            .unwrap()
            .to_checksum(None)
    };
    let previous = checksummed(&words[words.len() - 2]);
    let old = checksummed(&words[words.len() - 1]);
    let (previous, old) = (previous.as_str(), old.as_str());
    let new = "0xd00d000000000000000000000000000000000004";
    let safe = safe.to_checksum(None);
    let send = |signature: &str, args: &[&str]| -> Option<Act> {
        let hash = stage.send_as_safe(&safe, signature, args);
        Some(Act::Receipt(ReceiptFrom::Hash(hash)))
    };
    let answer = |step: &str| match step {
        "swap-receipt" => send("swapOwner(address,address,address)", &[previous, old, new]),
        "add-receipt" => send("addOwnerWithThreshold(address,uint256)", &[new, "2"]),
        "remove-receipt" => send(
            "removeOwner(address,address,uint256)",
            &[previous, old, "2"],
        ),
        _ => None,
    };
    let plan = Plan {
        answer: Some(&answer),
        given: vec![("old_owner", old.to_owned())],
        ..Plan::default()
    };
    stage.walk_every_route("rotate-safe-signers", plan);
}

/// Every scenario of the incident drill. The sandbox-chaos route stops the node and starts it
/// again (which loses anvil's snapshots, so the chain is not set back between routes), sends
/// the oracle update, loses it to a revert, sees that in the post-change check, and sends it
/// again.
#[test]
fn quarterly_incident_drill() {
    let stage = stage();
    let plan = Plan {
        chain_carries_over: true,
        ..Plan::default()
    };
    let runs = stage.walk_every_route("quarterly-incident-drill", plan);
    let chaos: Vec<Vec<serde_json::Value>> = runs
        .iter()
        .map(|run| stage.entries_of(run))
        .filter(|entries| entries.iter().any(|e| e["type"] == "chaos-injected"))
        .collect();
    assert_eq!(chaos.len(), 1, "one route injects chaos");
    let entries = &chaos[0];
    let faults: Vec<&str> = entries
        .iter()
        .filter(|e| e["type"] == "chaos-injected")
        .map(|e| e["body"]["fault"].as_str().unwrap())
        .collect();
    assert_eq!(faults, ["stop-node", "restart-node", "revert-last-change"]);
    let diff_at = |step: &str| {
        let found = entries
            .iter()
            .find(|e| e["type"] == "diff-recorded" && e["body"]["step"] == step);
        found.unwrap_or_else(|| panic!("no diff at {step}"))["body"].clone()
    };
    assert_eq!(
        diff_at("oracle-diff")["changed"],
        json!(["EnergyOracle.signers"])
    );
    assert_eq!(
        diff_at("oracle-disagree")["changed"],
        json!(["EnergyOracle.signers"]),
        "after the revert, the post-change check sees config and chain disagree"
    );
    assert_eq!(diff_at("oracle-agree")["changes"], 0);
    let signers = &stage.sandbox_values()["EnergyOracle.signers"];
    assert!(
        signers.to_string().to_lowercase().contains("0xc3c3c3c3"),
        "the update sent again is on the chain: {signers}"
    );
}

#[test]
fn fee_update() {
    let stage = stage();
    for file in ["job-registry.demo.json", "stake-manager.demo.json"] {
        stage.rewrite(file, r#""feePct": 5"#, r#""feePct": 6"#);
    }
    // The mock FeePool cannot set its reward role (the platform's sets it through
    // applyConfiguration, which the catalogue does not model): leave it out of the proposal.
    stage.rewrite("fee-pool.demo.json", r#""rewardRole": "platform","#, "");
    let plan = Plan {
        given: vec![("new_fee_pct", "6".into())],
        ..Plan::default()
    };
    stage.walk_every_route("fee-update", plan);
}

#[test]
fn treasury_rotation() {
    let stage = stage();
    let (old, new) = (
        "0xf777777777777777777777777777777777777777",
        "0xF999999999999999999999999999999999999999",
    );
    for file in [
        "fee-pool.demo.json",
        "stake-manager.demo.json",
        "job-registry.demo.json",
        "thermodynamics.demo.json",
    ] {
        let treasury = |address: &str| format!(r#""treasury": "{address}""#);
        stage.rewrite(file, &treasury(old), &treasury(new));
    }
    // The new treasury joins the allowlists (the allowlist batch adds it first); the old one
    // stays on them.
    for file in ["fee-pool.demo.json", "stake-manager.demo.json"] {
        let listed = |address: &str| format!(r#""{address}": true"#);
        stage.rewrite(
            file,
            &listed(old),
            &format!("{},\n    {}", listed(new), listed(old)),
        );
    }
    let plan = Plan {
        given: vec![("new_treasury", new.into())],
        ..Plan::default()
    };
    stage.walk_every_route("treasury-rotation", plan);
}

/// The change a rewards update makes: kappa, so that the batch has a receipt to check.
#[test]
fn rewards_thermodynamics() {
    let stage = stage();
    stage.rewrite(
        "thermodynamics.demo.json",
        r#""kappa": "1000000000000000000""#,
        r#""kappa": "1100000000000000000""#,
    );
    stage.walk_every_route("rewards-thermodynamics", Plan::default());
}

#[test]
fn change_assurance() {
    let stage = stage();
    let change = stage.earlier_run();
    let bundles = tempfile::tempdir().unwrap();
    let book = stage.book("change-assurance");
    for (index, route) in covering_routes(&book).iter().enumerate() {
        let bundle = bundles.path().join(format!("bundle-{index}"));
        let inputs = stage.inputs(
            "change-assurance",
            &[
                ("change_run", change.clone()),
                ("bundle_dir", bundle.display().to_string()),
            ],
        );
        stage.walk("change-assurance", &inputs, route, None);
        assert!(
            bundle.join("SHA256SUMS").exists(),
            "the bundle was exported"
        );
    }
}

#[test]
fn postmortem() {
    let stage = stage();
    let plan = Plan {
        given: vec![("incident_run", stage.earlier_run())],
        ..Plan::default()
    };
    stage.walk_every_route("postmortem", plan);
}

#[test]
fn slash_validator() {
    let stage = stage();
    stage.walk_every_route("slash-validator", Plan::default());
    assert!(
        stage.asked().contains(&format!(
            "npx hardhat run scripts/v2/slashValidator.ts --address 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed --memo {INCIDENT} --network localhost"
        )),
        "the slash script was run with the incident as memo: {}",
        stage.asked()
    );
}

#[test]
fn service_rollout() {
    let stage = stage();
    stage.walk_every_route("service-rollout", Plan::default());
    assert!(
        stage
            .asked()
            .contains("docker compose --file compose.yaml --env-file deployment-config/oneclick.env up --build --detach orchestrator"),
        "the service was rolled out: {}",
        stage.asked()
    );
}
