//! Chaos steps, for real, in a drill on a real sandbox: `stop-node` stops anvil (its state
//! saved), so the next chain check fails plainly and nothing recorded is lost; `restart-node`
//! brings it back with the same state and addresses, so the check passes; `revert-last-change`
//! undoes the executed batch on the chain, so the check after it sees the difference. Outside
//! a drill a chaos step is refused and records nothing; `validate` says what is wrong with one.

use crate::support::cli::text;
use crate::support::stage::{Stage, stage};
use serde_json::json;

const REHEARSAL: &str = r#"
id = "chaos-rehearsal"
title = "Chaos rehearsal"
kind = "drill"
severity = "low"
version = "1.0.0"
summary = "Node loss and a lost change, on the sandbox."
networks = ["demo"]

[[steps]]
id = "stop"
title = "Lose the node"
kind = "chaos"
fault = "stop-node"

[[steps]]
id = "during"
title = "Read while the node is gone"
kind = "chain-check"

[[steps.checks]]
contract = "FeePool"
call = "burnPct()(uint256)"
op = "<="
value = "100"

[[steps]]
id = "restart"
title = "Bring the node back"
kind = "chaos"
fault = "restart-node"

[[steps]]
id = "after"
title = "Read again"
kind = "chain-check"

[[steps.checks]]
contract = "FeePool"
call = "burnPct()(uint256)"
op = "<="
value = "100"

[[steps]]
id = "burn"
title = "Set the burn"
kind = "safe-batch"
source = "calls"
confirm = "BURN"

[[steps.calls]]
contract = "FeePool"
method = "setBurnPct(uint256)"
args = ["7"]

[[steps]]
id = "burn-receipt"
title = "Execute and check"
kind = "receipt"
contract = "FeePool"
events = ["BurnPctUpdated(uint256)"]

[[steps]]
id = "safe-receipt"
title = "The Safe executed it"
kind = "receipt"
contract = "Safe"
events = ["ExecutionSuccess(bytes32,uint256)"]

[[steps]]
id = "undo"
title = "The change is lost"
kind = "chaos"
fault = "revert-last-change"

[[steps]]
id = "check-burn"
title = "Post-change check"
kind = "chain-check"

[[steps.checks]]
contract = "FeePool"
call = "burnPct()(uint256)"
op = "=="
value = "7"
"#;

/// A drill whose batch the Safe cannot carry out once FeePool is no longer the Safe's.
const FAILING: &str = r#"
id = "failing-batch"
title = "A batch that reverts inside the Safe"
kind = "drill"
severity = "low"
version = "1.0.0"
summary = "The Safe executes a call its module refuses."
networks = ["demo"]

[[steps]]
id = "burn"
title = "Set the burn"
kind = "safe-batch"
source = "calls"
confirm = "BURN"

[[steps.calls]]
contract = "FeePool"
method = "setBurnPct(uint256)"
args = ["7"]

[[steps]]
id = "burn-receipt"
title = "Execute and check"
kind = "receipt"
contract = "Safe"
events = ["ExecutionSuccess(bytes32,uint256)"]
"#;

/// The sandbox Safe's `nonce()`: how many Safe transactions it has executed.
fn safe_nonce(stage: &Stage) -> u64 {
    let data = owner_console::sandbox::deploy::calldata("nonce()", &[]).unwrap();
    let word = stage.rpc(
        "eth_call",
        json!([{"to": stage.sandbox_info()["safe"], "data": data}, "latest"]),
    );
    u64::from_str_radix(word.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

fn with_rehearsal() -> Stage {
    let stage = stage();
    let path = stage
        .workspace
        .path()
        .join("runbooks/drill/chaos-rehearsal.toml");
    std::fs::write(path, REHEARSAL).unwrap();
    stage
}

fn ledger(stage: &Stage) -> String {
    std::fs::read_to_string(stage.workspace.path().join("storage/owner-ledger.jsonl"))
        .unwrap_or_default()
}

fn next(stage: &Stage, run: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["run", "next", run];
    all.extend_from_slice(args);
    stage.walker().cli("alice", &all)
}

fn moves(stage: &Stage, run: &str, args: &[&str]) {
    let moved = next(stage, run, args);
    assert!(moved.status.success(), "{args:?}: {:?}", text(&moved));
}

fn at(stage: &Stage, run: &str) -> serde_json::Value {
    let status = stage
        .walker()
        .cli("alice", &["run", "status", run, "--json"]);
    crate::support::cli::json(&status)["position"]["step"].clone()
}

fn answers(url: &str) -> bool {
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
}

#[test]
fn a_drill_stops_restarts_and_reverts_the_sandbox_for_real() {
    let stage = with_rehearsal();
    let walker = stage.walker();
    let started = walker.cli("alice", &["drill", "chaos-rehearsal", "--network", "demo"]);
    assert!(started.status.success(), "{:?}", text(&started));
    let run = crate::support::cli::run_of(&started);
    let seeded = stage.sandbox_values()["FeePool.burnPct"].clone();
    let addresses = stage.sandbox_info()["contracts"].clone();

    moves(&stage, &run, &["--execute"]);
    assert!(!answers(&stage.rpc), "the node no longer answers");

    let recorded = ledger(&stage);
    let refused = next(&stage, &run, &[]);
    let (_, err) = text(&refused);
    assert!(!refused.status.success());
    assert!(
        err.contains("connection refused"),
        "plainly unreachable: {err}"
    );
    assert_eq!(ledger(&stage), recorded, "nothing recorded, nothing lost");
    assert_eq!(at(&stage, &run), "during");
    let verified = walker.cli("alice", &["ledger", "verify"]);
    assert!(verified.status.success(), "{:?}", text(&verified));
    moves(
        &stage,
        &run,
        &["--skip", "--reason", "the node is down, as the drill wants"],
    );

    moves(&stage, &run, &["--execute"]);
    assert!(answers(&stage.rpc), "the node answers on its port again");
    assert_eq!(stage.sandbox_info()["contracts"], addresses);
    assert_eq!(
        stage.sandbox_values()["FeePool.burnPct"],
        seeded,
        "the same state"
    );
    moves(&stage, &run, &[]);

    moves(&stage, &run, &["--confirm", "BURN"]);
    assert_eq!(safe_nonce(&stage), 0);
    moves(&stage, &run, &["--execute"]);
    assert_eq!(stage.sandbox_values()["FeePool.burnPct"], json!("7"));
    moves(&stage, &run, &["--execute"]);
    assert_eq!(
        safe_nonce(&stage),
        1,
        "one execution for both receipt steps"
    );

    moves(&stage, &run, &["--execute"]);
    assert_eq!(
        stage.sandbox_values()["FeePool.burnPct"],
        seeded,
        "the batch is undone on the chain"
    );
    assert_eq!(safe_nonce(&stage), 0, "the Safe's execution is undone too");
    let disagrees = next(&stage, &run, &[]);
    let (_, err) = text(&disagrees);
    assert!(!disagrees.status.success());
    assert!(err.contains("the step stays open"), "{err}");
    assert_eq!(at(&stage, &run), "check-burn");

    let entries = stage.entries_of(&run);
    let chaos: Vec<&serde_json::Value> = entries
        .iter()
        .filter(|e| e["type"] == "chaos-injected")
        .map(|e| &e["body"])
        .collect();
    let receipts: Vec<&serde_json::Value> = entries
        .iter()
        .filter(|e| e["type"] == "receipt-checked")
        .map(|e| &e["body"])
        .collect();
    assert_eq!(receipts.len(), 2);
    assert!(receipts.iter().all(|r| r["passed"] == true), "{receipts:?}");
    assert_eq!(receipts[0]["executed"], receipts[1]["executed"]);
    assert_eq!(receipts[1]["step"], "safe-receipt");
    let faults: Vec<&str> = chaos.iter().map(|c| c["fault"].as_str().unwrap()).collect();
    assert_eq!(faults, ["stop-node", "restart-node", "revert-last-change"]);
    assert!(
        chaos
            .iter()
            .all(|c| c["done_at"].is_string() && c["node"] == stage.rpc.as_str())
    );
    assert!(
        chaos[0]["detail"]
            .as_str()
            .unwrap()
            .contains("saved the node's state")
    );
    let check = entries
        .iter()
        .rfind(|e| e["type"] == "chain-checked")
        .unwrap();
    assert_eq!(check["body"]["passed"], false, "{check}");
    let verified = walker.cli("alice", &["ledger", "verify"]);
    assert!(verified.status.success(), "{:?}", text(&verified));
}

#[test]
fn a_chaos_step_outside_a_drill_is_refused_and_records_nothing() {
    let stage = with_rehearsal();
    let walker = stage.walker();
    let started = walker.cli(
        "alice",
        &["run", "start", "chaos-rehearsal", "--network", "demo"],
    );
    assert!(started.status.success(), "{:?}", text(&started));
    let run = crate::support::cli::run_of(&started);
    let recorded = ledger(&stage);
    let refused = next(&stage, &run, &["--execute"]);
    let (_, err) = text(&refused);
    assert!(!refused.status.success());
    assert!(
        err.contains("only a drill") && err.contains("offline run"),
        "{err}"
    );
    assert_eq!(ledger(&stage), recorded, "nothing recorded");
    assert!(answers(&stage.rpc), "the sandbox node was not touched");
}

#[test]
fn validate_names_a_bad_fault_and_warns_of_chaos_outside_a_drill() {
    let stage = stage();
    let folder = stage.workspace.path().join("runbooks/update");
    let bad = REHEARSAL.replace("fault = \"stop-node\"", "fault = \"unplug\"");
    std::fs::write(
        folder.join("bad-fault.toml"),
        bad.replace("\"drill\"", "\"update\""),
    )
    .unwrap();
    let checked = stage
        .walker()
        .cli("alice", &["validate", "runbooks/update/bad-fault.toml"]);
    let (out, err) = text(&checked);
    assert!(!checked.status.success());
    let said = format!("{out}{err}");
    assert!(
        said.contains("bad-fault.toml:14:")
            && said.contains("fault")
            && said.contains("unknown fault `unplug`")
            && said.contains("stop-node, restart-node, revert-last-change"),
        "{said}"
    );
    let update = REHEARSAL.replace("kind = \"drill\"", "kind = \"update\"");
    std::fs::write(folder.join("chaos-update.toml"), update).unwrap();
    let warned = stage.walker().cli(
        "alice",
        &["validate", "--strict", "runbooks/update/chaos-update.toml"],
    );
    let (out, err) = text(&warned);
    let said = format!("{out}{err}");
    assert!(!warned.status.success(), "--strict fails on the warning");
    assert!(
        said.contains("warning") && said.contains("runs only in a drill"),
        "{said}"
    );
}

/// The console's door: `x` at a drill's chaos step, the typed word, and the fault happens.
#[test]
fn the_console_injects_a_chaos_step_after_the_typed_word() {
    use crossterm::event::KeyCode;
    let mut sandbox = None;
    let mut harness = crate::support::tui::Harness::prepared(100, 30, false, |workspace| {
        std::fs::write(
            workspace.join("runbooks/drill/chaos-rehearsal.toml"),
            REHEARSAL,
        )
        .unwrap();
        sandbox = Some(crate::support::saved_chain::sandbox_up(
            workspace,
            "demo",
            owner_console::sandbox::seed::SeedFrom::Snapshot,
        ));
        let key = alloy_signer_local::PrivateKeySigner::from_bytes(
            &alloy_primitives::B256::repeat_byte(7),
        )
        .unwrap();
        let mut session = owner_console::session::Session::open(
            owner_console::workspace::Workspace::folder(workspace),
            "alice".into(),
        )
        .unwrap();
        session.unlock(key);
        let book = session.runbook("chaos-rehearsal").unwrap();
        session
            .start_drill(&book, "demo", Default::default())
            .unwrap();
    });
    let sandbox = sandbox.unwrap();
    let url = sandbox.info.url.clone();
    harness.keys(&[KeyCode::Enter]);
    assert!(
        harness.screen().contains("Lose the node"),
        "{}",
        harness.screen()
    );
    harness.keys(&[KeyCode::Char('x')]);
    assert!(
        harness.screen().contains("stop-node"),
        "{}",
        harness.screen()
    );
    harness.typed("chaos").key_running_task(KeyCode::Enter);
    let ledger = std::fs::read_to_string(harness.ledger_file()).unwrap();
    let stopped = !answers(&url);
    drop(sandbox);
    assert!(ledger.contains("\"type\":\"chaos-injected\""), "{ledger}");
    assert!(stopped, "the sandbox node was stopped for real");
}

#[test]
fn a_batch_that_reverts_inside_the_safe_fails_its_receipt_and_passes_nothing() {
    let stage = stage();
    let path = stage
        .workspace
        .path()
        .join("runbooks/drill/failing-batch.toml");
    std::fs::write(path, FAILING).unwrap();
    let walker = stage.walker();
    let started = walker.cli("alice", &["drill", "failing-batch", "--network", "demo"]);
    assert!(started.status.success(), "{:?}", text(&started));
    let run = crate::support::cli::run_of(&started);
    // FeePool handed elsewhere by an earlier Safe transaction: the batch prepared after it
    // (at the Safe's next nonce) reverts inside the Safe.
    let fee_pool = stage.sandbox_info()["contracts"]["FeePool"]
        .as_str()
        .unwrap()
        .to_owned();
    let elsewhere = "0xf888888888888888888888888888888888888888";
    stage.send_as_safe(&fee_pool, "transferOwnership(address)", &[elsewhere]);
    moves(&stage, &run, &["--confirm", "BURN"]);
    let seeded = stage.sandbox_values()["FeePool.burnPct"].clone();
    let nonce = safe_nonce(&stage);

    let failed = next(&stage, &run, &["--execute"]);
    let (_, err) = text(&failed);
    assert!(!failed.status.success(), "{err}");
    assert!(
        err.contains("batch transaction 1 of 1 (to 0x")
            && err.contains("(FeePool) setBurnPct(uint256)) reverted: NotOwner(0x")
            && err.contains("the Safe reverted the whole batch (GS013)"),
        "the reason and the transaction are named: {err}"
    );
    assert!(err.contains("the transaction failed (status 0)"), "{err}");
    assert_eq!(at(&stage, &run), "burn-receipt", "the step stays open");
    assert_eq!(stage.sandbox_values()["FeePool.burnPct"], seeded);
    assert_eq!(
        safe_nonce(&stage),
        nonce,
        "the reverted execution used no nonce"
    );

    let again = next(&stage, &run, &["--execute"]);
    assert!(!again.status.success());
    let receipts: Vec<serde_json::Value> = stage
        .entries_of(&run)
        .into_iter()
        .filter(|e| e["type"] == "receipt-checked")
        .map(|e| e["body"].clone())
        .collect();
    assert_eq!(receipts.len(), 2, "{receipts:?}");
    for receipt in &receipts {
        assert_eq!(receipt["passed"], false, "{receipt}");
        assert_eq!(receipt["succeeded"], false, "{receipt}");
        assert_eq!(receipt["events"][0]["found"], false, "{receipt}");
    }
    assert_eq!(
        receipts[0]["executed"], receipts[1]["executed"],
        "the batch was sent once: the second try checks the same transaction"
    );
    assert_eq!(receipts[0]["executed"].as_array().unwrap().len(), 1);
    let source = receipts[0]["source"].as_str().unwrap();
    assert!(
        source.contains("approved on the sandbox for "),
        "no sign-off signed it: the owners' approvals were made on the sandbox, and it says so: {source}"
    );
    let verified = walker.cli("alice", &["ledger", "verify"]);
    assert!(verified.status.success(), "{:?}", text(&verified));
}
