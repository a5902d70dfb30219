//! Drills on the sandbox's real Safe v1.4.1 (owners: the workspace's operators, threshold 2 as
//! the demo profile says): the approvers' sign-offs carry their signatures over the batch's
//! `safeTxHash`, and the drill executes the batch in one `execTransaction` with them (one call,
//! or a delegatecall of MultiSendCallOnly for several): the Safe's nonce goes up by one and
//! the chain's values change. A batch with a call that fails changes nothing and the run names
//! that call and its reason; a sign-off whose signature is not its approver's stops the run.

use crate::support::library_walk::{Answer, LibraryWalker};
use crate::support::stage::{Stage, stage};
use crate::support::walk::{Route, covering_routes};
use alloy_primitives::{Address, B256, Bytes, Signature, U256};
use alloy_sol_types::{SolCall, sol};
use owner_console::engine::Event;
use owner_console::safe::multisend::MULTI_SEND_CALL_ONLY;
use owner_console::session::Session;
use owner_console::workspace::Workspace;
use serde_json::{Value, json};
use std::panic::AssertUnwindSafe;

sol! {
    function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) returns (bool success);
    function nonce() view returns (uint256);
    function getThreshold() view returns (uint256);
    function getOwners() view returns (address[]);
}

fn safe(stage: &Stage) -> Address {
    stage.sandbox_info()["safe"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

fn module(stage: &Stage, name: &str) -> Address {
    stage.sandbox_info()["contracts"][name]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

fn view<C: SolCall>(stage: &Stage, call: C) -> C::Return {
    let data = Bytes::from(call.abi_encode());
    let output = stage.rpc(
        "eth_call",
        json!([{ "to": safe(stage), "data": data }, "latest"]),
    );
    let output: Bytes = serde_json::from_value(output).unwrap();
    C::abi_decode_returns(&output).unwrap()
}

fn safe_nonce(stage: &Stage) -> U256 {
    view(stage, nonceCall {})
}

/// The route of `id` that goes through `step`.
fn route_through(stage: &Stage, id: &str, step: &str) -> Route {
    covering_routes(&stage.book(id))
        .into_iter()
        .find(|route| route.steps.iter().any(|s| s == step))
        .unwrap_or_else(|| panic!("{id} has no route through {step}"))
}

/// Starts a drill of `id` and walks it down `route` through the library, bob and carol
/// approving every sign-off; `answer` is asked at each step first. Returns the run id, and
/// whether the walk reached the end (a step that does not move stops it).
fn walk(
    stage: &Stage,
    id: &str,
    given: &[(&str, String)],
    route: &Route,
    answer: Option<Answer>,
    started: &dyn Fn(&str),
) -> (String, bool) {
    let mut walker = stage.walker();
    walker.approvers = vec!["bob".into(), "carol".into()];
    let walker = LibraryWalker::new(walker, answer);
    let run = walker.start_drill(id, "demo", &stage.inputs(id, given));
    started(&run);
    let book = stage.book(id);
    let walked = std::panic::catch_unwind(AssertUnwindSafe(|| {
        walker.walk(&book, &run, &|step| route.choice(&book, step, 0))
    }));
    (run, walked.is_ok())
}

fn body<'a>(entries: &'a [Value], kind: &str) -> Vec<&'a Value> {
    entries
        .iter()
        .filter(|e| e["type"] == kind)
        .map(|e| &e["body"])
        .collect()
}

/// The executed `execTransaction`'s arguments, read back from the transaction the run recorded.
fn executed(stage: &Stage, entries: &[Value]) -> (Value, execTransactionCall) {
    let receipt = body(entries, "receipt-checked")[0].clone();
    let hash = receipt["executed"][0].as_str().unwrap();
    let tx = stage.rpc("eth_getTransactionByHash", json!([hash]));
    assert_eq!(
        tx["to"].as_str().unwrap().parse::<Address>().unwrap(),
        safe(stage)
    );
    let input: Bytes = serde_json::from_value(tx["input"].clone()).unwrap();
    (receipt, execTransactionCall::abi_decode(&input).unwrap())
}

/// Who signed: each 65-byte signature recovered over `hash` (alloy, not the console's code).
fn signers(signatures: &[u8], hash: B256) -> Vec<Address> {
    assert_eq!(signatures.len() % 65, 0, "65 bytes per owner");
    signatures
        .chunks(65)
        .map(|raw| {
            assert!(
                raw[64] == 27 || raw[64] == 28,
                "an ECDSA signature: {raw:?}"
            );
            Signature::from_raw(raw)
                .unwrap()
                .recover_address_from_prehash(&hash)
                .unwrap()
        })
        .collect()
}

/// The sign-offs at `step` and the Safe transaction hash each signed.
fn approvals(entries: &[Value], step: &str) -> Vec<(Address, B256)> {
    body(entries, "signoff")
        .into_iter()
        .filter(|s| s["step"] == step)
        .map(|s| {
            (
                s["approver"].as_str().unwrap().parse().unwrap(),
                s["safe_tx"]["safe_tx_hash"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap(),
            )
        })
        .collect()
}

fn recorded_safe_tx_hash(entries: &[Value]) -> B256 {
    body(entries, "batch-prepared")[0]["safe_transaction"]["safe_tx_hash"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn a_pause_drill_runs_on_the_real_safe_with_two_approvers_signatures() {
    let stage = stage();
    assert_eq!(view(&stage, getThresholdCall {}), U256::from(2));
    assert!(view(&stage, getOwnersCall {}).contains(&crate::support::team::address("bob")));
    let nonce = safe_nonce(&stage);
    assert_eq!(stage.sandbox_values()["JobRegistry.paused"], json!(false));

    let id = "pause-job-intake";
    let route = route_through(&stage, id, "check-receipt");
    let (run, ended) = walk(&stage, id, &[], &route, None, &|_| {});
    assert!(ended, "the drill ran to its end");

    assert_eq!(
        safe_nonce(&stage),
        nonce + U256::from(1),
        "one Safe transaction"
    );
    assert_eq!(stage.sandbox_values()["JobRegistry.paused"], json!(true));
    let entries = stage.entries_of(&run);
    let hash = recorded_safe_tx_hash(&entries);
    let approved = approvals(&entries, "collect-signatures");
    assert_eq!(approved.len(), 2, "{approved:?}");
    assert!(approved.iter().all(|(_, signed)| *signed == hash));
    let (receipt, exec) = executed(&stage, &entries);
    assert_eq!(exec.operation, 0, "one call");
    assert_eq!(exec.to, module(&stage, "JobRegistry"));
    let signed = signers(&exec.signatures, hash);
    let mut expected: Vec<Address> = approved.iter().map(|(a, _)| *a).collect();
    expected.sort();
    assert_eq!(
        signed, expected,
        "the approvers' signatures, by owner address"
    );
    let source = receipt["source"].as_str().unwrap();
    assert!(source.contains("signed by bob, carol"), "{source}");
    assert!(!source.contains("approved on the sandbox"), "{source}");
    assert_eq!(receipt["passed"], true, "{receipt}");
}

/// The fee update as walk_shipped.rs walks it: feePct 5 → 6 on JobRegistry and StakeManager.
fn fee_update_stage() -> Stage {
    let stage = stage();
    for file in ["job-registry.demo.json", "stake-manager.demo.json"] {
        stage.rewrite(file, r#""feePct": 5"#, r#""feePct": 6"#);
    }
    stage.rewrite("fee-pool.demo.json", r#""rewardRole": "platform","#, "");
    stage
}

#[test]
fn a_fee_update_drill_runs_its_batch_atomically_through_multisend_on_the_real_safe() {
    let stage = fee_update_stage();
    let nonce = safe_nonce(&stage);
    let before = stage.sandbox_values();
    assert_eq!(before["JobRegistry.feePct"], json!("5"));
    assert_eq!(before["StakeManager.feePct"], json!("5"));

    let id = "fee-update";
    let route = route_through(&stage, id, "collect-signatures");
    let given = [("new_fee_pct", "6".into())];
    let (run, ended) = walk(&stage, id, &given, &route, None, &|_| {});
    assert!(ended, "the drill ran to its end");

    assert_eq!(
        safe_nonce(&stage),
        nonce + U256::from(1),
        "one Safe transaction"
    );
    let after = stage.sandbox_values();
    assert_eq!(after["JobRegistry.feePct"], json!("6"));
    assert_eq!(after["StakeManager.feePct"], json!("6"));
    let entries = stage.entries_of(&run);
    let hash = recorded_safe_tx_hash(&entries);
    let approved = approvals(&entries, "collect-signatures");
    assert_eq!(approved.len(), 2, "{approved:?}");
    let (_, exec) = executed(&stage, &entries);
    assert_eq!(exec.operation, 1, "a delegatecall");
    assert_eq!(exec.to, MULTI_SEND_CALL_ONLY);
    let mut expected: Vec<Address> = approved.iter().map(|(a, _)| *a).collect();
    expected.sort();
    assert_eq!(signers(&exec.signatures, hash), expected);
    let receipts = body(&entries, "receipt-checked");
    assert!(
        receipts
            .iter()
            .all(|r| r["executed"] == receipts[0]["executed"]),
        "every receipt step checks the one transaction"
    );
}

/// Hands `module` to a stranger as the Safe would (anvil impersonating it): the Safe's next
/// call to it reverts with the module's `NotOwner(safe)`. The Safe's nonce is untouched.
fn take_away(stage: &Stage, module: Address) {
    let safe = safe(stage);
    stage.rpc("anvil_impersonateAccount", json!([safe]));
    stage.rpc("anvil_setBalance", json!([safe, "0xde0b6b3a7640000"]));
    let data = owner_console::sandbox::deploy::calldata(
        "transferOwnership(address)",
        &["0x000000000000000000000000000000000000dEaD".into()],
    )
    .unwrap();
    let hash = stage.rpc(
        "eth_sendTransaction",
        json!([{ "from": safe, "to": module, "data": data }]),
    );
    stage.rpc("anvil_stopImpersonatingAccount", json!([safe]));
    // anvil answers a sent transaction before it has mined it: its receipt comes a little later.
    let waited = std::time::Instant::now();
    let receipt = loop {
        let receipt = stage.rpc("eth_getTransactionReceipt", json!([hash]));
        if !receipt.is_null() || waited.elapsed() > std::time::Duration::from_secs(10) {
            break receipt;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(receipt["status"], "0x1", "{receipt}");
}

#[test]
fn a_batch_with_a_failing_call_changes_nothing_and_the_run_names_the_call() {
    let stage = fee_update_stage();
    let nonce = safe_nonce(&stage);
    let before = stage.sandbox_values();
    let stake_manager = module(&stage, "StakeManager");
    let id = "fee-update";
    let route = route_through(&stage, id, "collect-signatures");
    let sabotage = |step: &str| {
        if step == "receipt-fee-pool" {
            take_away(&stage, stake_manager);
        }
        None
    };
    let given = [("new_fee_pct", "6".into())];
    let (run, ended) = walk(&stage, id, &given, &route, Some(&sabotage), &|_| {});
    assert!(!ended, "the receipt step does not pass");

    assert_eq!(
        safe_nonce(&stage),
        nonce,
        "the Safe transaction reverted whole"
    );
    let after = stage.sandbox_values();
    for value in [
        "JobRegistry.feePct",
        "StakeManager.feePct",
        "FeePool.burnPct",
    ] {
        assert_eq!(after[value], before[value], "{value} is unchanged");
    }
    let entries = stage.entries_of(&run);
    let prepared = body(&entries, "batch-prepared")[0];
    let batch: Value = serde_json::from_str(
        &std::fs::read_to_string(
            stage
                .workspace
                .path()
                .join("storage")
                .join(prepared["file"].as_str().unwrap()),
        )
        .unwrap(),
    )
    .unwrap();
    let transactions = batch["transactions"].as_array().unwrap();
    let index = transactions
        .iter()
        .position(|t| t["to"].as_str().unwrap().parse::<Address>().unwrap() == stake_manager)
        .unwrap();
    let receipt = body(&entries, "receipt-checked")[0];
    assert_eq!(receipt["passed"], false);
    assert_eq!(receipt["succeeded"], false);
    let problems = receipt["problems"].to_string();
    let named = format!(
        "batch transaction {} of {} (to {} (StakeManager) setFeePct(uint256)) reverted: NotOwner({})",
        index + 1,
        transactions.len(),
        stake_manager.to_checksum(None),
        safe(&stage).to_checksum(None)
    );
    assert!(problems.contains(&named), "{named}\n{problems}");
    assert!(problems.contains("nothing in it took effect"), "{problems}");
}

#[test]
fn a_signoff_whose_safe_signature_is_not_its_approvers_stops_the_run() {
    let stage = stage();
    let id = "pause-job-intake";
    let route = route_through(&stage, id, "check-receipt");
    let run_id = std::cell::RefCell::new(String::new());
    // At the Safe sign-off, after bob and carol: dave's sign-off, its Safe signature made with
    // carol's key, recorded and signed by dave.
    let forge = |step: &str| {
        if step != "collect-signatures" {
            return None;
        }
        let workspace = Workspace::folder(stage.workspace.path());
        let mut session = Session::open(workspace, "dave".into()).unwrap();
        session.unlock(crate::support::team::signer("dave"));
        let mut run = session.open_run(&run_id.borrow()).unwrap();
        let hash = run.safe_tx_hash().unwrap().to_owned();
        let carol = crate::support::team::signer("carol");
        let forged = owner_console::safe::approval::sign(&hash, &carol).unwrap();
        let signoff = owner_console::engine::Signoff {
            step: step.into(),
            approver: crate::support::team::address("dave").to_checksum(None),
            name: "dave".into(),
            roles: vec!["approver".into()],
            subject: run.subject(),
            fingerprint: None,
            attestation_sig: None,
            attested_at: None,
            safe_tx: Some(forged),
        };
        session
            .record(&mut run, vec![Event::Signoff(signoff)])
            .unwrap();
        None
    };
    let started = |run: &str| *run_id.borrow_mut() = run.to_owned();
    let (run, ended) = walk(&stage, id, &[], &route, Some(&forge), &started);
    assert!(!ended, "the run does not move");

    let session =
        Session::open(Workspace::folder(stage.workspace.path()), "tester".into()).unwrap();
    let refused = session.open_run(&run).unwrap_err().to_string();
    let carol = crate::support::team::address("carol").to_checksum(None);
    let dave = crate::support::team::address("dave").to_checksum(None);
    assert!(
        refused.contains("bad signature")
            && refused.contains(&format!("is by {carol}, not by the approver {dave}")),
        "{refused}"
    );
    assert_eq!(
        stage.sandbox_values()["JobRegistry.paused"],
        json!(false),
        "nothing was executed"
    );
    let verified = stage.home.cli_env(
        stage.workspace.path(),
        crate::support::cli::PASSPHRASE,
        &[],
        &["--key", "alice", "ledger", "verify"],
    );
    let (out, err) = crate::support::cli::text(&verified);
    assert!(!verified.status.success(), "{out}{err}");
    assert!(
        format!("{out}{err}").contains(&format!("is by {carol}, not by the approver {dave}")),
        "{out}{err}"
    );
}

/// An attestation made on another machine carries the approver's Safe signature through its
/// file; one whose Safe signature another key made is refused on import, naming both.
#[test]
fn an_attestation_carries_the_approvers_safe_signature_and_a_forged_one_is_refused() {
    use owner_console::ledger::attestation::Attestation;
    let bob = crate::support::team::signer("bob");
    let carol = crate::support::team::signer("carol");
    let hash = format!("{:#x}", alloy_primitives::keccak256(b"a Safe transaction"));
    let signoff = |key: &alloy_signer_local::PrivateKeySigner| owner_console::engine::Signoff {
        step: "collect-signatures".into(),
        approver: bob.address().to_checksum(None),
        name: "bob".into(),
        roles: vec!["approver".into()],
        subject: "0".repeat(64),
        fingerprint: None,
        attestation_sig: None,
        attested_at: None,
        safe_tx: Some(owner_console::safe::approval::sign(&hash, key).unwrap()),
    };
    let time = "2026-12-04T18:00:00Z";
    let made = Attestation::sign("run-1", &signoff(&bob), time, &bob).unwrap();
    let file = serde_json::to_string_pretty(&made).unwrap();
    let imported = Attestation::parse("bob.json", &file)
        .unwrap()
        .into_signoff()
        .unwrap();
    assert_eq!(
        imported.safe_tx,
        signoff(&bob).safe_tx,
        "carried through the file"
    );

    let forged = Attestation::sign("run-1", &signoff(&carol), time, &bob).unwrap();
    let refused = Attestation::parse("bob.json", &serde_json::to_string(&forged).unwrap())
        .unwrap()
        .into_signoff()
        .unwrap_err()
        .to_string();
    let expected = format!(
        "is by {}, not by the approver {}",
        carol.address().to_checksum(None),
        bob.address().to_checksum(None)
    );
    assert!(refused.contains(&expected), "{refused}");
}

/// The sandbox Safe's threshold is the network profile's `sandbox_safe_threshold`: 2 when
/// absent (with two operators or more), refused at 0 when the profile is read, and refused by
/// `sandbox up`, naming the field, above the number of operators.
#[test]
fn the_sandbox_safes_threshold_comes_from_the_network_profile() {
    use owner_console::workspace::context::Context;
    let workspace = crate::support::workspace::shipped_workspace();
    let networks = workspace.path().join("config/networks.toml");
    let shipped = std::fs::read_to_string(&networks).unwrap();
    let setup = |text: &str| {
        std::fs::write(&networks, text).unwrap();
        let ctx = Context::load(Workspace::folder(workspace.path())).map_err(|e| e.to_string())?;
        let profile = ctx.networks.get("demo").unwrap().clone();
        owner_console::sandbox::up::safe_setup(&ctx, &profile).map_err(|e| e.to_string())
    };
    let demo = setup(&shipped).unwrap();
    assert_eq!(demo.threshold, 2);
    assert_eq!(demo.owners.len(), 3, "the three example operators");

    let absent = setup(&shipped.replace("sandbox_safe_threshold = 2\n", "")).unwrap();
    assert_eq!(absent.threshold, 2);

    let zero = setup(&shipped.replace("sandbox_safe_threshold = 2", "sandbox_safe_threshold = 0"))
        .unwrap_err();
    assert!(zero.contains("sandbox_safe_threshold"), "{zero}");

    let over = setup(&shipped.replace("sandbox_safe_threshold = 2", "sandbox_safe_threshold = 4"))
        .unwrap_err();
    assert!(
        over.contains("threshold 4 is not between 1 and its 3 owner(s)")
            && over.contains("sandbox_safe_threshold"),
        "{over}"
    );
}
