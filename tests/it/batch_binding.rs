//! A prepared Safe batch is bound to what was recorded and approved, in a drill on a real
//! sandbox: a batch file changed after its sign-offs (a `setBurnPct(99)` appended, its Safe
//! checksum recomputed) is refused at execution and at the receipt check, naming both hashes,
//! with nothing sent and nothing recorded; a batch is never built from a diff other than the
//! one recorded (the chain moved since): refused, naming both fingerprints.

use crate::support::cli::{json, text};
use crate::support::stage::{Stage, stage};
use serde_json::json;

const BOUND: &str = r#"
id = "bound-burn"
title = "A burn change, diffed, batched, approved and executed"
kind = "drill"
severity = "low"
version = "1.0.0"
summary = "The fee domain's diff, its batch, two approvals, then the Safe executes it."
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
id = "approve"
title = "Approve the batch"
kind = "signoff"
quorum = 2
signer_roles = ["approver"]

[[steps]]
id = "execute"
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
"#;

/// A stage with the runbook, whose proposed fee config the mock FeePool can make (as
/// walk_shipped's fee update: no reward role), and a drill of it started.
fn drill() -> (Stage, String) {
    drill_with(&[])
}

/// As [`drill`], with more config edits (file, from, to) before the drill starts.
fn drill_with(edits: &[(&str, &str, &str)]) -> (Stage, String) {
    let stage = stage();
    let path = stage
        .workspace
        .path()
        .join("runbooks/drill/bound-burn.toml");
    std::fs::write(path, BOUND).unwrap();
    stage.rewrite("fee-pool.demo.json", r#""rewardRole": "platform","#, "");
    for (file, from, to) in edits {
        stage.rewrite(file, from, to);
    }
    let started = stage
        .walker()
        .cli("alice", &["drill", "bound-burn", "--network", "demo"]);
    assert!(started.status.success(), "{:?}", text(&started));
    let run = crate::support::cli::run_of(&started);
    (stage, run)
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

fn ledger(stage: &Stage) -> String {
    std::fs::read_to_string(stage.workspace.path().join("storage/owner-ledger.jsonl")).unwrap()
}

/// The body of the run's last entry of `kind`.
fn recorded(stage: &Stage, run: &str, kind: &str) -> serde_json::Value {
    let entries = stage.entries_of(run);
    let entry = entries.iter().rfind(|e| e["type"] == kind);
    entry.unwrap_or_else(|| panic!("no {kind}")).clone()["body"].clone()
}

/// The sandbox Safe's `nonce()`: how many Safe transactions it has executed.
fn safe_nonce(stage: &Stage) -> u64 {
    let data = owner_console::sandbox::deploy::calldata("nonce()", &[]).unwrap();
    let word = stage.rpc(
        "eth_call",
        json!([{"to": stage.sandbox_info()["safe"], "data": data}, "latest"]),
    );
    u64::from_str_radix(word.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

/// Diff, batch and both approvals: the run waits at its first receipt step.
fn approved(stage: &Stage, run: &str) -> std::path::PathBuf {
    moves(stage, run, &[]);
    moves(stage, run, &[]);
    for approver in ["bob", "carol"] {
        let signed = stage.walker().cli(approver, &["run", "signoff", run]);
        assert!(signed.status.success(), "{approver}: {:?}", text(&signed));
    }
    moves(stage, run, &[]);
    let batch = recorded(stage, run, "batch-prepared");
    let signoffs: Vec<_> = stage
        .entries_of(run)
        .into_iter()
        .filter(|e| e["type"] == "signoff")
        .collect();
    assert_eq!(signoffs.len(), 2);
    stage
        .workspace
        .path()
        .join("storage")
        .join(batch["file"].as_str().unwrap())
}

#[test]
fn a_batch_swapped_after_its_signoffs_is_refused_at_execution_and_nothing_is_sent() {
    let (stage, run) = drill();
    let file = approved(&stage, &run);
    let seeded = stage.sandbox_values()["FeePool.burnPct"].clone();
    let swapped = crate::support::safe_batch::append_burn_pct(&file, "99");
    let checksum = stage.walker().cli(
        "alice",
        &["batch", "checksum", file.to_str().unwrap(), "--json"],
    );
    assert_eq!(
        json(&checksum)["matches"],
        true,
        "the forger fixed the checksum"
    );
    let before = ledger(&stage);

    let refused = next(&stage, &run, &["--execute"]);
    let (_, err) = text(&refused);
    assert!(!refused.status.success(), "executed a swapped batch: {err}");
    assert_eq!(safe_nonce(&stage), 0, "nothing was executed by the Safe");
    assert_eq!(stage.sandbox_values()["FeePool.burnPct"], seeded);
    assert_eq!(ledger(&stage), before, "nothing recorded");
    let prepared = recorded(&stage, &run, "batch-prepared");
    let expected = prepared["file_sha256"].as_str().unwrap();
    assert!(
        err.contains(expected) && err.contains(&swapped),
        "both hashes named: {err}"
    );
    assert!(
        err.contains(file.file_name().unwrap().to_str().unwrap()),
        "{err}"
    );
    let verified = stage.walker().cli("alice", &["ledger", "verify"]);
    assert!(verified.status.success(), "{:?}", text(&verified));
}

#[test]
fn a_batch_swapped_after_execution_is_refused_at_the_next_receipt_check() {
    let (stage, run) = drill();
    let file = approved(&stage, &run);
    moves(&stage, &run, &["--execute"]);
    assert_eq!(safe_nonce(&stage), 1);
    let swapped = crate::support::safe_batch::append_burn_pct(&file, "99");
    let before = ledger(&stage);

    let refused = next(&stage, &run, &["--execute"]);
    let (_, err) = text(&refused);
    assert!(!refused.status.success(), "checked a swapped batch: {err}");
    assert_eq!(ledger(&stage), before, "nothing recorded");
    assert_eq!(safe_nonce(&stage), 1, "nothing sent again");
    let expected = recorded(&stage, &run, "batch-prepared")["file_sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        err.contains(&expected) && err.contains(&swapped),
        "both hashes named: {err}"
    );
}

#[test]
fn a_batch_is_not_built_once_the_chain_moved_since_the_recorded_diff() {
    let (stage, run) = drill();
    moves(&stage, &run, &[]);
    let diffed = recorded(&stage, &run, "diff-recorded");
    let fee_pool = stage.sandbox_info()["contracts"]["FeePool"]
        .as_str()
        .unwrap()
        .to_owned();
    stage.send_as_safe(&fee_pool, "setBurnPct(uint256)", &["4"]);
    let now = stage.walker().cli(
        "alice",
        &[
            "diff",
            "--network",
            "demo",
            "--drill",
            "--domain",
            "fees",
            "--fingerprint",
        ],
    );
    let now = text(&now).0.trim().to_owned();
    let before = ledger(&stage);

    let refused = next(&stage, &run, &[]);
    let (_, err) = text(&refused);
    assert!(!refused.status.success(), "built from another diff: {err}");
    assert_eq!(ledger(&stage), before, "nothing recorded");
    let written = stage.workspace.path().join("storage/batches");
    assert!(
        std::fs::read_dir(&written).map_or(true, |mut d| d.next().is_none()),
        "no batch file written"
    );
    let recorded = diffed["fingerprint"].as_str().unwrap();
    assert_ne!(recorded, now);
    assert!(
        err.contains(recorded) && err.contains(&now),
        "both fingerprints named: {err}"
    );
    assert!(err.contains("new diff"), "{err}");
    assert!(
        err.contains("FeePool.burnPct: 4% → 3%"),
        "what moved: {err}"
    );
    let kept = stage
        .workspace
        .path()
        .join("storage/evidence")
        .join(recorded);
    let kept = std::fs::read(kept).expect("the recorded diff is kept as evidence");
    assert_eq!(crate::support::bundle::sha256(&kept), recorded);
}

/// The chain moved toward the reviewed state only (part of the diff already made, as a run's
/// own earlier batch does): the batch makes what is left of the recorded diff, and records
/// that diff's fingerprint.
#[test]
fn a_batch_makes_what_is_left_of_the_recorded_diff_once_part_of_it_is_made() {
    let (stage, run) = drill_with(&[
        ("job-registry.demo.json", r#""feePct": 5"#, r#""feePct": 6"#),
        (
            "stake-manager.demo.json",
            r#""feePct": 5"#,
            r#""feePct": 6"#,
        ),
    ]);
    moves(&stage, &run, &[]);
    let diffed = recorded(&stage, &run, "diff-recorded");
    assert_eq!(diffed["changes"], 3, "{diffed}");
    let fee_pool = stage.sandbox_info()["contracts"]["FeePool"]
        .as_str()
        .unwrap()
        .to_owned();
    stage.send_as_safe(&fee_pool, "setBurnPct(uint256)", &["3"]);

    let moved = next(&stage, &run, &[]);
    let (out, said) = text(&moved);
    assert!(moved.status.success(), "{out}{said}");
    let prepared = recorded(&stage, &run, "batch-prepared");
    assert_eq!(prepared["transactions"], 2, "{prepared}");
    assert_eq!(prepared["diff_fingerprint"], diffed["fingerprint"]);
    let file = stage
        .workspace
        .path()
        .join("storage")
        .join(prepared["file"].as_str().unwrap());
    let batch = std::fs::read_to_string(&file).unwrap();
    assert!(!batch.contains("setBurnPct"), "{batch}");

    // The entry records the Safe transaction its owners sign, at the Safe's nonce read then
    // (one executed already), as ethers computes it from the file.
    let signed = &prepared["safe_transaction"];
    let nonce = safe_nonce(&stage);
    assert_eq!(nonce, 1);
    assert_eq!(signed["nonce"], nonce.to_string(), "{prepared}");
    let safe: alloy_primitives::Address = stage.sandbox_info()["safe"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(signed["safe"], safe.to_checksum(None));
    let expected = crate::safe_tx_hash::ethers_hashes(&file, safe, nonce);
    assert_eq!(signed["domain_hash"], expected["domainHash"]);
    assert_eq!(signed["message_hash"], expected["messageHash"]);
    assert_eq!(signed["safe_tx_hash"], expected["safeTxHash"]);
    let shown = format!(
        "Safe transaction hash {}",
        expected["safeTxHash"].as_str().unwrap()
    );
    assert!(said.contains(&shown), "run next says {shown}: {said}");
}
