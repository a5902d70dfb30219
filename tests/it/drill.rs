//! Drills for real: `sandbox up` starts anvil with the mock platform, a drill of "pause job
//! intake" executes its Safe batch there through the Safe's `execTransaction` (sent from a dev
//! account, as an executor does), its receipt and chain checks are real,
//! and the unpause drill restores it; every entry says it was a drill.

use crate::support::cli::{Home, PASSPHRASE, operators_toml, text};
use crate::support::walk::Walker;
use crate::support::workspace::shipped_workspace;
use alloy_primitives::{Address, keccak256};
use owner_console::chain::Target;
use owner_console::session::Session;
use owner_console::workspace::Workspace;
use std::path::Path;

/// Stops the sandbox however the test ends.
struct SandboxGuard<'a>(&'a Home, &'a Path);

impl Drop for SandboxGuard<'_> {
    fn drop(&mut self) {
        let _ = self
            .0
            .cli(self.1, &["sandbox", "down", "--network", "demo"]);
    }
}

fn team(workspace: &Path) -> Home {
    let home = Home::empty();
    let alice = home.add_key("alice");
    let bob = home.add_key("bob");
    let carol = home.add_key("carol");
    let path = workspace.join("config/operators.toml");
    let mut listed = std::fs::read_to_string(&path).unwrap();
    listed.push_str(&operators_toml(&[
        ("alice", &alice, &["operator", "pauser"]),
        ("bob", &bob, &["pauser", "approver"]),
        ("carol", &carol, &["approver"]),
    ]));
    std::fs::write(path, listed).unwrap();
    home
}

fn paused(workspace: &Path) -> serde_json::Value {
    let session = Session::open(Workspace::folder(workspace), "tester".into()).unwrap();
    let target = Target::sandbox(&session, "demo").unwrap();
    let state = owner_console::cli::runtime::block_on(owner_console::chain::live::read(&target))
        .unwrap()
        .unwrap();
    state.values["JobRegistry.paused"].clone()
}

/// Starts a drill of `id` for incident INC-2026-0142 and walks it to its end.
fn drill(walker: &Walker, id: &str) -> String {
    let started = walker.cli(
        "alice",
        &[
            "drill",
            id,
            "--network",
            "demo",
            "--input",
            "incident_id=INC-2026-0142",
        ],
    );
    assert!(started.status.success(), "{:?}", text(&started));
    let run = crate::support::cli::run_of(&started);
    walker.walk(&book(walker.workspace, id), &run, &|_| String::new());
    run
}

fn book(workspace: &Path, id: &str) -> owner_console::runbook::Runbook {
    let session = Session::open(Workspace::folder(workspace), "tester".into()).unwrap();
    (*session.runbook(id).unwrap()).clone()
}

#[test]
fn a_pause_drill_pauses_the_sandbox_for_real_and_the_unpause_drill_restores_it() {
    let workspace = shipped_workspace();
    let home = team(workspace.path());
    let up = home.cli_with(
        workspace.path(),
        PASSPHRASE,
        &["--key", "alice", "sandbox", "up", "--network", "demo"],
    );
    let _guard = SandboxGuard(&home, workspace.path());
    assert!(up.status.success(), "{:?}", text(&up));
    let (printed, _) = text(&up);
    let not_seeded: Vec<&str> = printed
        .lines()
        .filter_map(|l| l.trim().strip_prefix("not seeded: "))
        .collect();
    assert!(
        not_seeded.is_empty(),
        "the demo snapshot is a state the contracts allow: every value is seeded: {not_seeded:?}"
    );
    assert_eq!(paused(workspace.path()), serde_json::json!(false));
    let walker = Walker {
        home: &home,
        workspace: workspace.path(),
        env: Vec::new(),
        approvers: vec!["bob".into(), "carol".into()],
        operator: "alice".into(),
        answer: None,
    };

    let run = drill(&walker, "pause-job-intake");
    assert_eq!(
        paused(workspace.path()),
        serde_json::json!(true),
        "the drill paused JobRegistry"
    );

    let entries = crate::support::run_view::journal_entries(
        &workspace.path().join("storage/owner-ledger.jsonl"),
    );
    let of_run: Vec<&serde_json::Value> = entries
        .iter()
        .filter(|e| e["run"] == run.as_str())
        .collect();
    assert_eq!(of_run[0]["body"]["mode"], "drill");
    assert_eq!(of_run[0]["body"]["inputs"]["incident_id"], "INC-2026-0142");
    let receipt = of_run
        .iter()
        .find(|e| e["type"] == "receipt-checked")
        .unwrap();
    assert_eq!(receipt["body"]["passed"], true);
    assert!(
        receipt["body"]["source"]
            .as_str()
            .unwrap()
            .starts_with("drill: "),
        "{receipt}"
    );
    assert_executed_through_the_safe(workspace.path(), &receipt["body"]);
    assert!(of_run.iter().any(|e| e["type"] == "run-completed"));
    let verify = walker.cli("alice", &["ledger", "verify"]);
    assert!(verify.status.success(), "{:?}", text(&verify));

    drill(&walker, "unpause-job-intake");
    assert_eq!(
        paused(workspace.path()),
        serde_json::json!(false),
        "the unpause drill restored it"
    );
    let list = crate::support::cli::json(&walker.cli("alice", &["run", "list", "--json"]));
    let modes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["mode"].as_str().unwrap())
        .collect();
    assert_eq!(modes, ["drill", "drill"], "both runs are listed as drills");
    let (listed, _) = text(&walker.cli("alice", &["run", "list"]));
    assert_eq!(
        listed.lines().filter(|l| l.contains(" DRILL ")).count(),
        2,
        "the text list marks both: {listed}"
    );
}

/// The archived receipt is what production gives: a transaction from an account to the Safe,
/// with the module's event from the module and the Safe's `ExecutionSuccess` from the Safe.
fn assert_executed_through_the_safe(workspace: &Path, recorded: &serde_json::Value) {
    let file = workspace
        .join("storage")
        .join(recorded["file"].as_str().unwrap());
    let receipt: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let sandbox: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(workspace.join("storage/sandbox/demo.json")).unwrap(),
    )
    .unwrap();
    let address = |v: &serde_json::Value| v.as_str().unwrap().parse::<Address>().unwrap();
    let safe = address(&sandbox["safe"]);
    let registry = address(&sandbox["contracts"]["JobRegistry"]);
    assert_eq!(address(&receipt["to"]), safe, "{receipt}");
    assert_ne!(
        address(&receipt["from"]),
        safe,
        "not sent as the Safe: {receipt}"
    );
    let emitted =
        |emitter: Address, signature: &str| {
            let topic = format!("{:#x}", keccak256(signature.as_bytes()));
            receipt["logs"].as_array().unwrap().iter().any(|log| {
                address(&log["address"]) == emitter && log["topics"][0] == topic.as_str()
            })
        };
    assert!(emitted(registry, "Paused(address)"), "{receipt}");
    assert!(
        emitted(safe, "ExecutionSuccess(bytes32,uint256)"),
        "{receipt}"
    );
}

#[test]
fn a_drill_needs_a_running_sandbox() {
    let workspace = shipped_workspace();
    let home = team(workspace.path());
    let refused = home.cli_with(
        workspace.path(),
        PASSPHRASE,
        &[
            "--key",
            "alice",
            "drill",
            "pause-job-intake",
            "--network",
            "demo",
            "--input",
            "incident_id=X",
        ],
    );
    let (_, err) = text(&refused);
    assert!(!refused.status.success());
    assert!(err.contains("sandbox up --network demo"), "{err}");
    assert!(
        !workspace.path().join("storage/owner-ledger.jsonl").exists(),
        "nothing was recorded"
    );
}

/// A snapshot value the contract refuses is named with the contract's own error, decoded from
/// its ABI; a planning option (no contract state) is no value to seed.
#[test]
fn sandbox_up_names_each_value_it_cannot_seed_with_the_contracts_reason() {
    let workspace = shipped_workspace();
    let snapshot = workspace.path().join("assets/demo-state.json");
    crate::support::workspace::edit(&snapshot, |state| {
        state["values"]["FeePool.treasury"] =
            serde_json::json!("0x000000000000000000000000000000000000dEaD")
    });
    crate::support::workspace::resign_snapshot(&snapshot);
    let home = team(workspace.path());
    let up = home.cli_with(
        workspace.path(),
        PASSPHRASE,
        &["--key", "alice", "sandbox", "up", "--network", "demo"],
    );
    let _guard = SandboxGuard(&home, workspace.path());
    let (out, err) = text(&up);
    assert!(up.status.success(), "{out}{err}");
    assert!(
        out.contains("not seeded: FeePool.treasury: setTreasury(address) reverted: TreasuryNotAllowlisted(0x000000000000000000000000000000000000dEaD)"),
        "{out}"
    );
    assert!(
        !out.contains("transaction 0x"),
        "a reason, not a hash: {out}"
    );
    assert!(
        !out.contains("EnergyOracle.retainUnknown"),
        "a planning option is no contract state: {out}"
    );
}
