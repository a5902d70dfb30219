//! The Safe transaction hash of a batch, as the owners' hardware wallets show it: held to the
//! real Safe v1.4.1 contracts on anvil (`getTransactionHash`, `domainSeparator`,
//! `encodeTransactionData`, and the transaction executed through MultiSendCallOnly), to an
//! independent ethers v6 implementation (tests/fixtures/safe/safe_tx_hash.js), and through the
//! binary's `batch show --safe --nonce` and `batch show --network`.

use crate::support::chain::DEMO_RPC_ENV;
use crate::support::cli::{Home, json, text};
use crate::support::real_safe::RealSafe;
use crate::support::safe_batch::fixture;
use crate::support::workspace::shipped_workspace;
use alloy_primitives::{Address, Bytes, U256, address};
use owner_console::safe::multisend::{MULTI_SEND_CALL_ONLY, Operation};
use owner_console::safe::{
    Batch, PlannedCall, SafeTransaction, build_batch, parse_batch, safe_transaction,
};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const NEW_OWNERS: [Address; 3] = [
    address!("0x1000000000000000000000000000000000000001"),
    address!("0x2000000000000000000000000000000000000002"),
    address!("0x3000000000000000000000000000000000000003"),
];

fn add_owner(safe: Address, owner: Address) -> PlannedCall {
    PlannedCall::new(
        "Safe",
        safe,
        "addOwnerWithThreshold(address owner, uint256 _threshold)",
        &[&owner.to_checksum(None), "1"],
    )
}

/// One call: the Safe adds an owner.
fn single_batch(chain_id: u64, safe: Address) -> Batch {
    build_batch(
        chain_id,
        safe,
        "one owner",
        "",
        &[add_owner(safe, NEW_OWNERS[0])],
        0,
    )
    .unwrap()
}

/// Three calls: two owners added (the second with `data` null, encoded from its values as the
/// Safe app does) and the threshold raised to 2.
fn three_call_batch(chain_id: u64, safe: Address) -> Batch {
    let calls = [
        add_owner(safe, NEW_OWNERS[1]),
        add_owner(safe, NEW_OWNERS[2]),
        PlannedCall::new("Safe", safe, "changeThreshold(uint256 _threshold)", &["2"]),
    ];
    let built = build_batch(chain_id, safe, "two owners, threshold 2", "", &calls, 0).unwrap();
    let mut value = built.to_value();
    value["transactions"][1]["data"] = serde_json::Value::Null;
    value["meta"]["checksum"] = serde_json::Value::Null;
    let mut batch = parse_batch(&value.to_string()).unwrap();
    batch.meta.checksum = owner_console::safe::format::Slot::Absent;
    batch.meta.checksum =
        owner_console::safe::format::Slot::Set(batch.computed_checksum().to_string());
    batch
}

fn write(dir: &Path, name: &str, batch: &Batch) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, batch.to_json_pretty()).unwrap();
    path
}

fn hashed(batch: &Batch, safe: Address, nonce: U256) -> SafeTransaction {
    safe_transaction(batch, safe, nonce, "given").unwrap()
}

fn data_of(tx: &SafeTransaction) -> Bytes {
    tx.data.parse().unwrap()
}

/// tests/fixtures/safe/safe_tx_hash.js (ethers v6) on the batch file.
pub(crate) fn ethers_hashes(path: &Path, safe: Address, nonce: u64) -> serde_json::Value {
    let node_modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules");
    let output = Command::new("node")
        .arg(fixture("safe_tx_hash.js"))
        .arg(path)
        .arg(safe.to_checksum(None))
        .arg(nonce.to_string())
        .env("NODE_PATH", &node_modules)
        .output()
        .expect("node runs");
    assert!(output.status.success(), "{:?}", text(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn the_hash_of_one_call_and_of_a_multisend_is_the_real_safes_and_the_safe_executes_it() {
    let started = Instant::now();
    let chain = RealSafe::start(31337);
    let safe = chain.safe;

    // (a) One call, at the Safe's first nonce: the call itself, operation 0.
    let batch = single_batch(31337, safe);
    let nonce = chain.nonce();
    assert_eq!(nonce, U256::ZERO);
    let tx = hashed(&batch, safe, nonce);
    let file_tx = &batch.transactions[0];
    let file_data: Bytes = file_tx.data.get().unwrap().bytes.clone().into();
    assert_eq!(tx.operation, Operation::Call);
    assert_eq!(tx.to, safe.to_checksum(None));
    assert_eq!(data_of(&tx), file_data);
    assert_eq!(
        tx.safe_tx_hash,
        chain
            .transaction_hash(file_tx.to.address, U256::ZERO, file_data.clone(), 0, nonce)
            .to_string()
    );
    assert_eq!(tx.domain_hash, chain.domain_separator().to_string());
    assert_eq!(
        tx.message_hash,
        chain
            .struct_hash(file_tx.to.address, U256::ZERO, file_data.clone(), 0, nonce)
            .to_string()
    );
    chain.execute(file_tx.to.address, U256::ZERO, file_data, 0);
    assert!(chain.owners().contains(&NEW_OWNERS[0]));

    // (b) Three calls, at nonce 1: one delegatecall to MultiSendCallOnly.
    let batch = three_call_batch(31337, safe);
    let nonce = chain.nonce();
    assert_eq!(nonce, U256::from(1));
    let tx = hashed(&batch, safe, nonce);
    assert_eq!(tx.operation, Operation::DelegateCall);
    assert_eq!(tx.operation_code, 1);
    assert_eq!(tx.to, MULTI_SEND_CALL_ONLY.to_checksum(None));
    assert_eq!(tx.calls, 3);
    let expected = chain.transaction_hash(MULTI_SEND_CALL_ONLY, U256::ZERO, data_of(&tx), 1, nonce);
    assert_eq!(tx.safe_tx_hash, expected.to_string());
    assert_ne!(
        chain
            .transaction_hash(
                MULTI_SEND_CALL_ONLY,
                U256::ZERO,
                data_of(&tx),
                1,
                U256::ZERO
            )
            .to_string(),
        tx.safe_tx_hash,
        "the nonce is in the hash"
    );
    // The data is what the batch says: the real Safe runs it through MultiSendCallOnly.
    chain.execute(MULTI_SEND_CALL_ONLY, U256::ZERO, data_of(&tx), 1);
    let owners = chain.owners();
    assert!(
        owners.contains(&NEW_OWNERS[1]) && owners.contains(&NEW_OWNERS[2]),
        "{owners:?}"
    );
    assert_eq!(chain.threshold(), U256::from(2));
    assert_eq!(chain.nonce(), U256::from(2));
    eprintln!("real Safe: {:?}", started.elapsed());
}

#[test]
fn batch_show_with_safe_and_nonce_prints_the_hashes_ethers_computes() {
    let dir = tempfile::tempdir().unwrap();
    let home = Home::empty();
    let safe = address!("0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6");
    for (name, batch, operation) in [
        ("one.json", single_batch(11155111, safe), "call"),
        (
            "three.json",
            three_call_batch(11155111, safe),
            "delegatecall",
        ),
    ] {
        let path = write(dir.path(), name, &batch);
        let file = path.to_str().unwrap();
        let expected = ethers_hashes(&path, safe, 42);
        let safe_text = safe.to_checksum(None);
        let args = ["batch", "show", file, "--safe", &safe_text, "--nonce", "42"];
        let shown = home.cli(dir.path(), &[&args[..], &["--json"][..]].concat());
        assert!(shown.status.success(), "{:?}", text(&shown));
        let tx = &json(&shown)["safe_transaction"];
        assert_eq!(tx["operation"], operation);
        assert_eq!(tx["operation_code"], expected["operation"]);
        assert_eq!(tx["to"], expected["to"]);
        assert_eq!(tx["data"], expected["data"]);
        assert_eq!(tx["chain_id"], 11155111);
        assert_eq!(tx["nonce"], "42");
        assert_eq!(tx["safe"], safe_text);
        for key in ["domainHash", "messageHash", "safeTxHash"] {
            let snake = match key {
                "domainHash" => "domain_hash",
                "messageHash" => "message_hash",
                _ => "safe_tx_hash",
            };
            assert_eq!(tx[snake], expected[key], "{name} {key}");
        }

        let shown = home.cli(dir.path(), &args);
        let (out, err) = text(&shown);
        assert!(shown.status.success(), "{out}{err}");
        for (label, key) in [
            ("Domain hash:           ", "domainHash"),
            ("Message hash:          ", "messageHash"),
            ("Safe transaction hash: ", "safeTxHash"),
        ] {
            let line = format!("{label}{}", expected[key].as_str().unwrap());
            assert!(out.contains(&line), "{line} not in:\n{out}");
        }
        assert!(out.contains("nonce:     42 (given with --nonce)"), "{out}");
        let to = format!("to:        {}", expected["to"].as_str().unwrap());
        assert!(out.contains(&to), "{to} not in:\n{out}");
        if operation == "delegatecall" {
            assert!(
                out.contains(
                    "operation: delegatecall (1): the batch's 3 transactions in multiSend(bytes)"
                ) && out.contains("(MultiSendCallOnly v1.4.1)"),
                "{out}"
            );
            let bytes = (expected["data"].as_str().unwrap().len() - 2) / 2;
            assert!(
                out.contains(&format!("data:      {bytes} byte(s)")),
                "{out}"
            );
        }

        // Without a Safe: today's review, and how to get the hash.
        let plain = home.cli(dir.path(), &["batch", "show", file]);
        let (out, _) = text(&plain);
        assert!(plain.status.success());
        assert!(
            out.contains("add --safe 0xADDRESS --nonce N, or --network NAME"),
            "{out}"
        );
        assert!(!out.contains(expected["safeTxHash"].as_str().unwrap()));
        let plain = json(&home.cli(dir.path(), &["batch", "show", file, "--json"]));
        assert!(plain.get("safe_transaction").is_none());
    }

    let path = write(dir.path(), "again.json", &single_batch(1, safe));
    let file = path.to_str().unwrap();

    // Another Safe than the one the batch names: hashed for it, and the difference said.
    let other = NEW_OWNERS[0].to_checksum(None);
    let shown = home.cli(
        dir.path(),
        &["batch", "show", file, "--safe", &other, "--nonce", "0"],
    );
    let (out, _) = text(&shown);
    assert!(out.contains(&format!("safe:      {other}")), "{out}");
    assert!(
        out.contains(&format!(
            "the batch names the Safe {} (meta.createdFromSafeAddress), not {other}",
            safe.to_checksum(None)
        )),
        "{out}"
    );

    // A transaction whose calldata cannot be encoded: no hash, said why, exit 1.
    let mut value = single_batch(1, safe).to_value();
    value["transactions"][0]["data"] = serde_json::Value::Null;
    value["transactions"][0]["contractInputsValues"]["_threshold"] = "many".into();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, value.to_string()).unwrap();
    let safe_text = safe.to_checksum(None);
    let shown = home.cli(
        dir.path(),
        &[
            "batch",
            "show",
            broken.to_str().unwrap(),
            "--safe",
            &safe_text,
            "--nonce",
            "0",
        ],
    );
    let (out, _) = text(&shown);
    assert_eq!(shown.status.code(), Some(1), "{out}");
    assert!(
        out.contains("Safe transaction hash not computed: transactions[0]: data is null")
            && out.contains("`_threshold`"),
        "{out}"
    );
    assert!(!out.contains("Safe transaction hash: 0x"), "{out}");
    let refused = home.cli(dir.path(), &["batch", "show", file, "--safe", "0xA77DE01e"]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).1.contains("not 40 hex digits"),
        "{:?}",
        text(&refused)
    );
    let safe_text = safe.to_checksum(None);
    let refused = home.cli(dir.path(), &["batch", "show", file, "--safe", &safe_text]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).1.contains("give --nonce N"),
        "{:?}",
        text(&refused)
    );
}

/// The shipped workspace with the demo network's `safe` at `safe` (and its chain id `chain_id`).
fn workspace_for(safe: Address, chain_id: u64) -> tempfile::TempDir {
    let workspace = shipped_workspace();
    let path = workspace.path().join("config/networks.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace(
            "safe = \"0x5afe5afE5afE5afE5afE5aFe5aFe5Afe5Afe5AfE\"",
            &format!("safe = \"{}\"", safe.to_checksum(None)),
        )
        .replacen("chain_id = 31337", &format!("chain_id = {chain_id}"), 1);
    assert!(text.contains(&safe.to_checksum(None)));
    std::fs::write(path, text).unwrap();
    workspace
}

#[test]
fn batch_show_with_network_reads_the_safe_and_its_nonce_from_the_chain() {
    let started = Instant::now();
    let chain = RealSafe::start(31337);
    let safe = chain.safe;
    // One executed transaction: the Safe's nonce is 1.
    let first = single_batch(31337, safe);
    let data: Bytes = first.transactions[0]
        .data
        .get()
        .unwrap()
        .bytes
        .clone()
        .into();
    chain.execute(safe, U256::ZERO, data, 0);
    assert_eq!(chain.nonce(), U256::from(1));

    let workspace = workspace_for(safe, 31337);
    let home = Home::empty();
    let path = write(
        workspace.path(),
        "three.json",
        &three_call_batch(31337, safe),
    );
    let file = path.to_str().unwrap();
    let url = chain.url();
    let show = |extra: &[&str]| {
        let args = [
            &["batch", "show", file, "--network", "demo", "--json"][..],
            extra,
        ]
        .concat();
        home.cli_env(workspace.path(), "", &[(DEMO_RPC_ENV, &url)], &args)
    };
    let shown = show(&[]);
    assert!(shown.status.success(), "{:?}", text(&shown));
    let tx = &json(&shown)["safe_transaction"];
    assert_eq!(tx["safe"], safe.to_checksum(None));
    assert_eq!(tx["nonce"], "1");
    assert!(
        tx["nonce_source"]
            .as_str()
            .unwrap()
            .starts_with("read from the Safe on `demo` at block #"),
        "{tx}"
    );
    let data: Bytes = tx["data"].as_str().unwrap().parse().unwrap();
    let expected = chain.transaction_hash(
        MULTI_SEND_CALL_ONLY,
        U256::ZERO,
        data.clone(),
        1,
        U256::from(1),
    );
    assert_eq!(tx["safe_tx_hash"], expected.to_string());

    // --nonce overrides the chain's.
    let shown = show(&["--nonce", "5"]);
    assert!(shown.status.success(), "{:?}", text(&shown));
    let tx = &json(&shown)["safe_transaction"];
    assert_eq!(tx["nonce"], "5");
    let expected = chain.transaction_hash(MULTI_SEND_CALL_ONLY, U256::ZERO, data, 1, U256::from(5));
    assert_eq!(tx["safe_tx_hash"], expected.to_string());

    // A network whose Safe is no contract: `--network` alone (which also checks the calls
    // against the deployed code) says no hash was computed and why; naming that Safe with
    // --safe refuses.
    let nothing = workspace_for(NEW_OWNERS[0], 31337);
    let path = write(
        nothing.path(),
        "three.json",
        &three_call_batch(31337, NEW_OWNERS[0]),
    );
    let show = |extra: &[&str]| {
        let mut args = vec!["batch", "show", path.to_str().unwrap(), "--network", "demo"];
        args.extend_from_slice(extra);
        home.cli_env(nothing.path(), "", &[(DEMO_RPC_ENV, &url)], &args)
    };
    let unhashed = show(&[]);
    let (out, err) = text(&unhashed);
    assert!(
        out.contains("Safe transaction hash not computed")
            && out.contains("is a Safe deployed at this address"),
        "{out}{err}"
    );
    assert!(!out.contains("Safe transaction hash:"), "{out}");
    let not_a_safe = NEW_OWNERS[0].to_checksum(None);
    let refused = show(&["--safe", &not_a_safe]);
    let (out, err) = text(&refused);
    assert!(!refused.status.success());
    assert!(err.contains("is a Safe deployed at this address"), "{err}");
    assert!(!out.contains("Safe transaction hash:"), "{out}");
    eprintln!("--network: {:?}", started.elapsed());
}

#[test]
fn a_batch_for_another_chain_than_the_networks_node_is_refused() {
    let started = Instant::now();
    let node =
        owner_console::sandbox::node::Node::start(&crate::support::chain::anvil(), 31337, &[])
            .unwrap();
    let url = node.url();
    let safe = address!("0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6");
    let home = Home::empty();

    // The batch says chain 1; the network (and its node) is 31337.
    let workspace = workspace_for(safe, 31337);
    let path = write(workspace.path(), "mainnet.json", &single_batch(1, safe));
    let refused = home.cli_env(
        workspace.path(),
        "",
        &[(DEMO_RPC_ENV, &url)],
        &["batch", "show", path.to_str().unwrap(), "--network", "demo"],
    );
    let (out, err) = text(&refused);
    assert!(!refused.status.success());
    assert!(
        err.contains(
            "the batch is for chain 1 (its chainId), but network `demo` is chain 31337: refused"
        ),
        "{err}"
    );
    assert!(!out.contains("Safe transaction hash:"), "{out}");

    // The batch and the profile say chain 1, the node is 31337: refused, even with --nonce.
    let workspace = workspace_for(safe, 1);
    let path = write(workspace.path(), "mainnet.json", &single_batch(1, safe));
    for extra in [&[][..], &["--nonce", "3"][..]] {
        let args = [
            &["batch", "show", path.to_str().unwrap(), "--network", "demo"][..],
            extra,
        ]
        .concat();
        let refused = home.cli_env(workspace.path(), "", &[(DEMO_RPC_ENV, &url)], &args);
        let (out, err) = text(&refused);
        assert!(!refused.status.success());
        assert!(
            err.contains("WRONG CHAIN") && err.contains("reports chain id 31337"),
            "{err}"
        );
        assert!(!out.contains("Safe transaction hash:"), "{out}");
    }
    eprintln!("wrong chain: {:?}", started.elapsed());
}

/// A fee update whose safe-batch step recorded a batch and its Safe transaction: the
/// console's view of that step shows the Safe, the nonce and the three hashes in full.
#[test]
fn the_consoles_batch_step_shows_the_recorded_hashes() {
    use crate::support::ledger::{MINUTE, Writer};
    use crate::support::tui::Harness;
    use owner_console::engine::Event;
    use owner_console::engine::event::{BatchPrepared, SafeTxRecorded};

    let safe = address!("0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6");
    let batch = three_call_batch(31337, safe);
    let tx = hashed(&batch, safe, U256::from(9));
    let recorded = SafeTxRecorded {
        safe: tx.safe.clone(),
        nonce: tx.nonce.clone(),
        domain_hash: tx.domain_hash.clone(),
        message_hash: tx.message_hash.clone(),
        safe_tx_hash: tx.safe_tx_hash.clone(),
    };
    let mut h = Harness::prepared(120, 50, false, |workspace| {
        let writer = Writer::new(workspace);
        let start = jiff::Timestamp::now().as_second() - 30 * MINUTE;
        writer.fee_update("r-hashes", start, Some(MINUTE), None);
        let at = start + 10 * MINUTE;
        writer.chose("r-hashes", "execution-window", "Open", "safe-batch", at);
        writer.at(
            "r-hashes",
            at + 1,
            Event::BatchPrepared(BatchPrepared {
                step: "safe-batch".into(),
                file: "batches/r-hashes-safe-batch.json".into(),
                sha256: owner_console::safe::batch_hash(&batch),
                file_sha256: "0".repeat(64),
                checksum: batch.computed_checksum().to_string(),
                transactions: 3,
                diff_fingerprint: None,
                safe_transaction: Some(recorded),
            }),
        );
    });
    h.keys(&[crossterm::event::KeyCode::Enter]);
    let screen = h.screen();
    assert!(screen.contains("3 transaction(s)"), "{screen}");
    assert!(
        screen.contains(&format!("Safe {} · nonce 9", tx.safe)),
        "{screen}"
    );
    // Each hash on its own row under its name, as a hardware wallet pages them.
    let rows: Vec<&str> = screen.lines().collect();
    for (label, hash) in [
        ("Domain hash", &tx.domain_hash),
        ("Message hash", &tx.message_hash),
        ("Safe transaction hash", &tx.safe_tx_hash),
    ] {
        let at = rows
            .iter()
            .position(|row| row.contains(&format!("││{label} ")))
            .unwrap_or_else(|| panic!("{label} not in:\n{screen}"));
        assert!(
            rows[at + 1].contains(hash.as_str()),
            "{hash} under {label}:\n{screen}"
        );
    }
}
