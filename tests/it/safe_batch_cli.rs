//! The `batch` subcommands of the real binary: `batch show` decodes a file and fails a
//! tampered or broken one, `batch checksum` prints the Safe app's checksum and compares it with
//! the file's.

use crate::support::cli::{Home, text};
use crate::support::safe_batch::{KNOWN_CHECKSUM, built, fixture, read, tamper};
use std::path::Path;
use std::process::Output;

fn cli(args: &[&str]) -> Output {
    Home::empty().cli(Path::new("."), args)
}

fn stdout(output: &Output) -> String {
    text(output).0
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
