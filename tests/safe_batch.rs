//! Safe Transaction Builder batch files: the Safe app's checksum (a published vector and an
//! independent JavaScript implementation), building, parsing with errors that name the field,
//! the checks, and the `batch` subcommands of the real binary.

use alloy_primitives::{Address, address};
use owner_console::safe::{
    self, Batch, BuildError, CheckKind, ParseError, PlannedCall, Slot, Status, build_batch,
    check_batch, parse_batch, safe_checksum,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const KNOWN_CHECKSUM: &str = "0x8b5032f716845c8b08bab3d63dbd9ba92e056f3557793cd041e59b84e16aa989";
const SAFE: Address = address!("0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6");
const FEE_POOL: Address = address!("0x1111111111111111111111111111111111111111");
const TOKEN: Address = address!("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/safe")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

fn calls() -> Vec<PlannedCall> {
    vec![
        PlannedCall::new("FeePool", FEE_POOL, "setBurnPct(uint256 pct)", &["5"]),
        PlannedCall::new(
            "Token",
            TOKEN,
            "approve(address,uint256)",
            &["0x474e5ded6b5d078163bfb8f6dba355c3aa5478c8", "100000000000"],
        ),
        PlannedCall::new(
            "FeePool",
            FEE_POOL,
            "setTreasuryAllowlist(address[] treasuries, bool allowed)",
            &[
                "[0x474e5Ded6b5D078163BFB8F6dBa355C3aA5478C8, 0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6]",
                "true",
            ],
        ),
        PlannedCall::new(
            "JobRegistry",
            FEE_POOL,
            "setSpecHash(bytes32 hash, string uri, int24 tick)",
            &[
                "0x3c0842c55548b2d2972b57504c6c582b7b4c8cd02b5113b122d2e825282a4b49",
                "ipfs://agi-jobs/spec — v2",
                "-42",
            ],
        ),
        PlannedCall::new(
            "FeePool",
            FEE_POOL,
            "setTiers((uint256,address)[] tiers)",
            &[
                "[(1, 0x474e5Ded6b5D078163BFB8F6dBa355C3aA5478C8), (2, 0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6)]",
            ],
        ),
    ]
}

fn built() -> Batch {
    build_batch(
        1,
        SAFE,
        "Raise the burn",
        "Fee changes — reviewed by the owners",
        &calls(),
        1_761_326_849_944,
    )
    .unwrap()
}

fn failures(batch: &Batch) -> Vec<String> {
    check_batch(batch, None)
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.describe())
        .collect()
}

#[test]
fn the_published_checksum_reproduces() {
    let text = read("known-checksum.json");
    let raw: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(safe_checksum(&raw).to_string(), KNOWN_CHECKSUM);
    let batch = parse_batch(&text).unwrap();
    assert_eq!(batch.computed_checksum().to_string(), KNOWN_CHECKSUM);
    // The parsed batch serialises back to the same JSON value (nulls, spellings and all).
    assert_eq!(batch.to_value(), raw);
    assert_eq!(failures(&batch), Vec::<String>::new());
    let checks = check_batch(&batch, None);
    assert!(
        checks.iter().all(|c| c.status == Status::Pass),
        "{checks:#?}"
    );
}

#[test]
fn a_built_batch_round_trips_and_every_check_passes() {
    let batch = built();
    let text = batch.to_json_pretty();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("batch.json");
    std::fs::write(&path, &text).unwrap();
    let parsed = parse_batch(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(parsed, batch);
    assert_eq!(safe::batch_hash(&parsed), safe::batch_hash(&batch));
    assert_eq!(safe::batch_hash(&batch).len(), 64);

    let checks = check_batch(&parsed, None);
    assert!(
        checks.iter().all(|c| c.status == Status::Pass),
        "{checks:#?}"
    );
    let checksum = parsed.meta.checksum.get().unwrap();
    assert_eq!(*checksum, parsed.computed_checksum().to_string());

    // The written form is the Safe app's.
    let raw: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(raw["chainId"], "1");
    assert_eq!(raw["createdAt"], 1_761_326_849_944_u64);
    assert_eq!(raw["meta"]["txBuilderVersion"], "1.18.2");
    assert_eq!(
        raw["meta"]["createdFromSafeAddress"],
        "0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6"
    );
    let approve = &raw["transactions"][1];
    assert_eq!(approve["value"], "0");
    assert_eq!(approve["data"].as_str().unwrap()[..10], *"0x095ea7b3");
    assert_eq!(approve["contractMethod"]["payable"], false);
    assert_eq!(
        approve["contractMethod"]["inputs"][0],
        serde_json::json!({"internalType": "address", "name": "arg0", "type": "address"})
    );
    assert_eq!(
        approve["contractInputsValues"],
        serde_json::json!({"arg0": "0x474e5Ded6b5D078163BFB8F6dBa355C3aA5478C8", "arg1": "100000000000"})
    );
    let allowlist = &raw["transactions"][2]["contractInputsValues"];
    assert_eq!(
        allowlist["treasuries"],
        r#"["0x474e5Ded6b5D078163BFB8F6dBa355C3aA5478C8","0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6"]"#
    );
    assert_eq!(allowlist["allowed"], "true");
    assert_eq!(
        raw["transactions"][3]["contractInputsValues"]["tick"],
        "-42"
    );
    assert_eq!(raw["transactions"][0]["contractInputsValues"]["pct"], "5");
    let tiers = &raw["transactions"][4];
    assert_eq!(
        tiers["contractInputsValues"]["tiers"],
        r#"[["1","0x474e5Ded6b5D078163BFB8F6dBa355C3aA5478C8"],["2","0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6"]]"#
    );
    assert_eq!(tiers["contractMethod"]["inputs"][0]["type"], "tuple[]");
    assert_eq!(
        tiers["contractMethod"]["inputs"][0]["components"][1],
        serde_json::json!({"internalType": "address", "name": "", "type": "address"})
    );
}

#[test]
fn the_same_batch_checks_against_the_network_modules() {
    let batch = built();
    let mut modules = BTreeMap::new();
    modules.insert(FEE_POOL, "FeePool".to_owned());
    let checks = check_batch(&batch, Some(&modules));
    let targets: Vec<_> = checks
        .iter()
        .filter(|c| c.kind == CheckKind::Target)
        .collect();
    assert_eq!(targets.len(), 5);
    assert_eq!(targets[0].status, Status::Pass);
    assert!(
        targets[0].detail.contains("FeePool"),
        "{}",
        targets[0].detail
    );
    assert_eq!(targets[1].status, Status::Fail);
    assert!(
        targets[1].describe().contains("transactions[1]")
            && targets[1].detail.contains(&TOKEN.to_checksum(None)),
        "{}",
        targets[1].describe()
    );
}

/// The batch with one byte of `transactions[index].data` changed at hex offset `at`.
fn tamper(batch: &Batch, index: usize, at: usize) -> Batch {
    let mut raw = batch.to_value();
    let data = raw["transactions"][index]["data"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut bytes = data.into_bytes();
    bytes[at] = if bytes[at] == b'f' { b'e' } else { b'f' };
    raw["transactions"][index]["data"] = String::from_utf8(bytes).unwrap().into();
    parse_batch(&raw.to_string()).unwrap()
}

#[test]
fn one_changed_byte_of_data_fails_naming_the_transaction() {
    let batch = built();
    // An argument byte: the last byte of approve's amount.
    let data_len = batch.transactions[1].data.get().unwrap().text.len();
    let changed = tamper(&batch, 1, data_len - 1);
    let failed = failures(&changed);
    assert!(
        failed
            .iter()
            .any(|f| f.contains("transactions[1] approve: values:")
                && f.contains("data has 100000000015")
                && f.contains("contractInputsValues has 100000000000")),
        "{failed:#?}"
    );
    // Its checksum no longer matches either.
    assert!(
        failed.iter().any(|f| f.contains("checksum:")),
        "{failed:#?}"
    );

    // A selector byte.
    let changed = tamper(&batch, 0, 3);
    let failed = failures(&changed);
    assert!(
        failed
            .iter()
            .any(|f| f.contains("transactions[0] setBurnPct: selector: expected selector")),
        "{failed:#?}"
    );

    // A padding byte of an address argument: decodes the same, but is not the file's encoding.
    let changed = tamper(&batch, 1, 10 + 2);
    let failed = failures(&changed);
    assert!(
        failed
            .iter()
            .any(|f| f.contains("transactions[1] approve: values:")),
        "{failed:#?}"
    );
}

#[test]
fn wrong_arguments_name_the_call_the_parameter_and_the_value() {
    let call = PlannedCall::new("FeePool", FEE_POOL, "setBurnPct(uint8 pct)", &["300"]);
    let error = build_batch(1, SAFE, "x", "", &[call], 0).unwrap_err();
    assert!(matches!(error, BuildError::Arg { .. }));
    let message = error.to_string();
    assert!(
        message.contains("FeePool.setBurnPct(uint8 pct)")
            && message.contains("`pct`")
            && message.contains("\"300\""),
        "{message}"
    );

    let call = PlannedCall::new("FeePool", FEE_POOL, "setTreasury(address)", &["0x1234"]);
    let message = build_batch(1, SAFE, "x", "", &[call], 0)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("FeePool.setTreasury(address)")
            && message.contains("`arg0`")
            && message.contains("0x1234"),
        "{message}"
    );

    // A typo in a checksummed address is caught.
    let call = PlannedCall::new(
        "FeePool",
        FEE_POOL,
        "setTreasury(address treasury)",
        &["0x474e5Ded6b5D078163BFB8F6dBa355C3aA5478C9"],
    );
    let message = build_batch(1, SAFE, "x", "", &[call], 0)
        .unwrap_err()
        .to_string();
    assert!(message.contains("EIP-55"), "{message}");

    let call = PlannedCall::new("FeePool", FEE_POOL, "setBurnPct(uint256)", &["1", "2"]);
    let message = build_batch(1, SAFE, "x", "", &[call], 0)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("expects 1 argument(s), 2 given"),
        "{message}"
    );

    let call = PlannedCall::new("FeePool", FEE_POOL, "setBurnPct(uint256", &["1"]);
    let error = build_batch(1, SAFE, "x", "", &[call], 0).unwrap_err();
    assert!(matches!(error, BuildError::Signature { .. }), "{error}");
}

#[test]
fn the_phase8_fixture_parses_and_its_unlisted_inputs_are_warnings() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../shared/fixtures/agijobs/demo/Phase-8-Universal-Value-Dominance/output/phase8-safe-transaction-batch.json",
    );
    let text = read("phase8-safe-transaction-batch.json");
    if shared.exists() {
        assert_eq!(
            std::fs::read_to_string(&shared).unwrap(),
            text,
            "the committed copy differs from the shared fixture"
        );
    }
    let batch = parse_batch(&text).unwrap();
    assert_eq!(batch.transactions.len(), 33);
    assert_eq!(batch.chain_id, safe::format::ChainId::Text("1".into()));
    assert_eq!(batch.chain_id.value(), Some(1));
    assert!(matches!(
        batch.created_at,
        safe::format::CreatedAt::Millis(_)
    ));
    assert_eq!(batch.meta.checksum, Slot::Set(String::new()));
    let raw: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(batch.to_value(), raw);

    let checks = check_batch(&batch, None);
    assert_eq!(failures(&batch), Vec::<String>::new());
    let unlisted = checks
        .iter()
        .filter(|c| {
            c.status == Status::Warn
                && c.detail
                    .contains("method inputs not listed: data cannot be checked against values")
        })
        .count();
    assert_eq!(unlisted, 33);
    let checksum = checks
        .iter()
        .find(|c| c.kind == CheckKind::Checksum)
        .unwrap();
    assert_eq!(checksum.status, Status::Warn);
}

fn field_error(text: &str) -> (String, String) {
    match parse_batch(text) {
        Err(ParseError::Field { path, message, .. }) => (path, message),
        other => panic!("expected a field error, got {other:?}"),
    }
}

fn known() -> serde_json::Value {
    serde_json::from_str(&read("known-checksum.json")).unwrap()
}

#[test]
fn malformed_files_name_the_field() {
    let mut value = known();
    value["transactions"][0]["to"] = "0x1234".into();
    let (path, message) = field_error(&value.to_string());
    assert_eq!(path, "transactions[0].to");
    assert!(message.contains("40 hex digits"), "{message}");
    let error = parse_batch(&value.to_string()).unwrap_err().to_string();
    assert!(error.starts_with("transactions[0].to: "), "{error}");

    let mut value = known();
    value.as_object_mut().unwrap().remove("chainId");
    let (_, message) = field_error(&value.to_string());
    assert!(message.contains("missing field `chainId`"), "{message}");

    let mut value = known();
    value["meta"] = serde_json::json!(["not", "an", "object"]);
    let (path, message) = field_error(&value.to_string());
    assert_eq!(path, "meta");
    assert!(message.contains("invalid type"), "{message}");

    let mut value = known();
    let tx = value["transactions"][0].clone();
    value["transactions"] = serde_json::json!([tx.clone(), tx.clone(), tx]);
    value["transactions"][2]["value"] = 5.into();
    let (path, message) = field_error(&value.to_string());
    assert_eq!(path, "transactions[2].value");
    assert!(
        message.contains("decimal string") && message.contains("found the number 5"),
        "{message}"
    );

    let mut value = known();
    value["transactions"][0]["data"] = "0x12z4".into();
    let (path, _) = field_error(&value.to_string());
    assert_eq!(path, "transactions[0].data");

    let mut value = known();
    value["createdAt"] = "yesterday".into();
    let (path, message) = field_error(&value.to_string());
    assert_eq!(path, "createdAt");
    assert!(message.contains("ISO-8601"), "{message}");

    let text = serde_json::to_string_pretty(&known()).unwrap();
    let cut = &text[..text.len() / 2];
    match parse_batch(cut) {
        Err(ParseError::Syntax { line, column, .. }) => {
            assert_eq!(line, cut.lines().count());
            assert!(column > 0);
            let shown = parse_batch(cut).unwrap_err().to_string();
            assert!(shown.contains(&format!("line {line}")), "{shown}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn other_writers_forms_are_accepted_and_kept() {
    let mut value = known();
    value["chainId"] = 1.into();
    value["createdAt"] = "2025-10-24T17:27:29.944Z".into();
    value["meta"]["origin"] = "agi-jobs".into();
    value["transactions"][0]["note"] = serde_json::json!({"kept": true});
    value["meta"]["checksum"] = "".into();
    let batch = parse_batch(&value.to_string()).unwrap();
    assert_eq!(batch.chain_id.value(), Some(1));
    assert_eq!(batch.created_at.millis(), Some(1_761_326_849_944));
    assert_eq!(batch.to_value(), value);
    assert_eq!(failures(&batch), Vec::<String>::new());

    // Raw data without a method: a warning, not a failure.
    let mut value = known();
    let tx = &mut value["transactions"][0];
    tx["data"] = "0x095ea7b3".into();
    tx.as_object_mut().unwrap().remove("contractMethod");
    tx["contractInputsValues"] = serde_json::Value::Null;
    let batch = parse_batch(&value.to_string()).unwrap();
    let checks = check_batch(&batch, None);
    assert!(
        checks
            .iter()
            .any(|c| c.kind == CheckKind::Selector && c.status == Status::Warn)
    );
    assert_eq!(batch.to_value(), value);

    // data null with a value that does not read as its type fails, naming the parameter.
    let mut value = known();
    value["meta"]["checksum"] = "".into();
    value["transactions"][0]["contractInputsValues"]["value"] = "a lot".into();
    let batch = parse_batch(&value.to_string()).unwrap();
    let failed = failures(&batch);
    assert!(
        failed
            .iter()
            .any(|f| f.contains("transactions[0] approve: values:") && f.contains("`value`")),
        "{failed:#?}"
    );

    // A non-zero value to a method that is not payable is a warning.
    let mut value = known();
    value["meta"]["checksum"] = "".into();
    value["transactions"][0]["value"] = "1000".into();
    let batch = parse_batch(&value.to_string()).unwrap();
    let checks = check_batch(&batch, None);
    let sent = checks.iter().find(|c| c.kind == CheckKind::Value).unwrap();
    assert_eq!(sent.status, Status::Warn);
    assert!(sent.detail.contains("expected 0 wei"), "{}", sent.detail);
}

/// The checksum of `path` according to tests/fixtures/safe/checksum.js (ethers v6).
fn js_checksum(path: &Path) -> String {
    let node_modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules");
    assert!(
        node_modules.join("ethers").is_dir(),
        "run `npm ci` first: the cross-check uses ethers from node_modules"
    );
    let output = Command::new("node")
        .arg(fixture("checksum.js"))
        .arg(path)
        .env("NODE_PATH", &node_modules)
        .output()
        .expect("node runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

#[test]
fn the_checksum_matches_an_independent_javascript_implementation() {
    let batch = built();
    let description = batch.meta.description.get().unwrap();
    assert!(description.contains('—'));
    // The em dash goes into the hashed text as it is, not escaped (as JSON.stringify does).
    let serialized = safe::checksum::serialize_json_object(&batch.to_value());
    assert!(
        serialized.contains("Fee changes — reviewed"),
        "{serialized}"
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("built.json");
    std::fs::write(&path, batch.to_json_pretty()).unwrap();
    assert_eq!(js_checksum(&path), batch.computed_checksum().to_string());

    let mut odd = known();
    odd["meta"]["description"] = "tabs\tquotes\" and \u{1} control — and 😀".into();
    odd["meta"]["extra"] =
        serde_json::json!({"n": 1.5, "big": 9007199254740993_u64, "z": [null, true]});
    let path = dir.path().join("odd.json");
    std::fs::write(&path, odd.to_string()).unwrap();
    assert_eq!(js_checksum(&path), safe_checksum(&odd).to_string());

    let phase8 = fixture("phase8-safe-transaction-batch.json");
    let batch = parse_batch(&std::fs::read_to_string(&phase8).unwrap()).unwrap();
    assert_eq!(js_checksum(&phase8), batch.computed_checksum().to_string());
    assert_eq!(js_checksum(&fixture("known-checksum.json")), KNOWN_CHECKSUM);
}

fn cli(args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_owner-console"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn batch_show_decodes_the_fixture_and_fails_a_tampered_file() {
    let phase8 = fixture("phase8-safe-transaction-batch.json");
    let output = cli(&["batch", "show", phase8.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    for method in [
        "setGlobalParameters",
        "registerDomain",
        "setCapitalStreamDomains",
    ] {
        assert!(text.contains(method), "{text}");
    }
    assert!(text.contains("transactions[32]"), "{text}");
    assert!(text.contains("⚠ WARN"), "{text}");

    let output = cli(&["batch", "show", phase8.to_str().unwrap(), "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["transactions"].as_array().unwrap().len(), 33);
    assert_eq!(json["failed"], 0);

    let batch = built();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    std::fs::write(&good, batch.to_json_pretty()).unwrap();
    let output = cli(&["batch", "show", good.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    assert!(
        text.contains("approve(address arg0, uint256 arg1)"),
        "{text}"
    );
    assert!(text.contains("selector: 0x095ea7b3"), "{text}");
    assert!(text.contains("✓ PASS values"), "{text}");

    let data_len = batch.transactions[1].data.get().unwrap().text.len();
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, tamper(&batch, 1, data_len - 1).to_json_pretty()).unwrap();
    let output = cli(&["batch", "show", tampered.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = stdout(&output);
    assert!(text.contains("✗ FAIL values"), "{text}");
    assert!(text.contains("transactions[1] to"), "{text}");

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"version\": \"1.0\",").unwrap();
    let output = cli(&["batch", "show", broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("line 1"));
}

#[test]
fn batch_checksum_prints_and_compares() {
    let known = fixture("known-checksum.json");
    let output = cli(&["batch", "checksum", known.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    assert!(text.starts_with(KNOWN_CHECKSUM), "{text}");
    assert!(text.contains("matches"), "{text}");

    let dir = tempfile::tempdir().unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&read("known-checksum.json")).unwrap();
    value["meta"]["description"] = "changed".into();
    let changed = dir.path().join("changed.json");
    std::fs::write(&changed, value.to_string()).unwrap();
    let output = cli(&["batch", "checksum", changed.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(stdout(&output).contains("does not match"));

    let phase8 = fixture("phase8-safe-transaction-batch.json");
    let output = cli(&["batch", "checksum", phase8.to_str().unwrap(), "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["matches"], serde_json::Value::Null);
    assert!(json["computed"].as_str().unwrap().starts_with("0x"));
}
