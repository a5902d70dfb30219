//! Safe Transaction Builder batch files: the Safe app's checksum (a published vector and an
//! independent JavaScript implementation), building, and the checks, with one changed byte or
//! a wrong argument named. Parsing files is in safe_batch_parsing.rs, the `batch` subcommands
//! of the real binary in safe_batch_cli.rs.

use crate::support::safe_batch::{
    FEE_POOL, KNOWN_CHECKSUM, SAFE, TOKEN, built, failures, fixture, known, read, tamper,
};
use owner_console::safe::{
    self, BuildError, CheckKind, PlannedCall, Status, build_batch, check_batch, parse_batch,
    safe_checksum,
};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

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
