//! A completed run of the walk runbook to export as an evidence bundle, for bundle.rs and
//! bundle_tampering.rs.

use super::cli::{Home, json, operators_toml, text};
use super::workspace as common;

use std::path::{Path, PathBuf};
use std::process::Output;

pub fn ok(output: Output) -> Output {
    assert!(output.status.success(), "{:?}", text(&output));
    output
}

/// A completed run of the walk runbook (a command's output and an attached file as evidence),
/// in a workspace whose operators.toml lists the tester's key.
pub struct Fixture {
    pub home: Home,
    pub ws: tempfile::TempDir,
    pub run: String,
    /// The workspace's checkpoint file as it stood after the first two steps.
    pub early_checkpoint: Vec<u8>,
    /// Entries in the ledger at that time.
    pub early_entries: usize,
    /// The SHA-256 of the attached file.
    pub attached: String,
    /// Where bundles go.
    pub out: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Self {
        let home = Home::new();
        let ws = common::walk_workspace();
        let cwd = ws.path();
        let keys = json(&home.cli(cwd, &["keys", "list", "--json"]));
        let address = keys[0]["address"].as_str().unwrap();
        let operators = operators_toml(&[("tester", address, &["operator"])]);
        std::fs::write(cwd.join("config/operators.toml"), operators).unwrap();
        let started = json(&home.cli(
            cwd,
            &[
                "run",
                "start",
                "walk",
                "--network",
                "demo",
                "--input",
                "label=hello",
                "--json",
            ],
        ));
        let run = started["run"].as_str().unwrap().to_owned();
        let next = |args: &[&str]| {
            let mut all = vec!["run", "next", &run];
            all.extend_from_slice(args);
            all.push("--json");
            ok(home.cli(cwd, &all))
        };
        next(&["--check", "all"]);
        next(&["--execute"]);
        let storage = cwd.join("storage");
        ok(home.cli(cwd, &["ledger", "checkpoint"]));
        let early_checkpoint = std::fs::read(storage.join("owner-ledger.checkpoint.json")).unwrap();
        let early_entries = ledger_lines(&storage.join("owner-ledger.jsonl")).len();
        next(&["--choose", "Left"]);
        next(&["--note", "why and what"]);
        let file = cwd.join("tx.json");
        std::fs::write(&file, "{\"tx\":\"0xabc\"}").unwrap();
        next(&["--attach", file.to_str().unwrap()]);
        let done = json(&next(&["--check", "all", "--confirm", "COMMIT"]));
        assert_eq!(done["position"]["status"], "completed");
        let attached = sha256(b"{\"tx\":\"0xabc\"}");
        Self {
            home,
            ws,
            run,
            early_checkpoint,
            early_entries,
            attached,
            out: tempfile::tempdir().unwrap(),
        }
    }

    pub fn cli(&self, args: &[&str]) -> Output {
        self.home.cli(self.ws.path(), args)
    }

    /// Exports the run into `out/<name>` and returns that path.
    pub fn export(&self, name: &str) -> PathBuf {
        let target = self.out.path().join(name);
        ok(self.cli(&["export", &self.run, "--out", target.to_str().unwrap()]));
        target
    }

    /// verify-bundle from an empty folder, as a second person with nothing but the bundle.
    pub fn verify_elsewhere(&self, bundle: &Path) -> Output {
        verify_elsewhere(&self.home, bundle)
    }
}

/// verify-bundle from an empty folder, as a second person with nothing but the bundle.
pub fn verify_elsewhere(home: &Home, bundle: &Path) -> Output {
    let elsewhere = tempfile::tempdir().unwrap();
    home.cli(
        elsewhere.path(),
        &["verify-bundle", bundle.to_str().unwrap()],
    )
}

pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

pub fn ledger_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// An offline run that read the network's state snapshot at a chain check, prepared a Safe
/// batch (`setBurnPct(7)` on FeePool) and checked its receipt from a file, in the shipped
/// workspace whose operators.toml lists the tester's key.
pub struct BatchFixture {
    pub home: Home,
    pub ws: tempfile::TempDir,
    pub run: String,
    /// The batch file, relative to `storage/` and in a bundle.
    pub batch: String,
    /// The archived receipt, relative to `storage/` and in a bundle.
    pub receipt: String,
    pub out: tempfile::TempDir,
}

const BURN_RUNBOOK: &str = r#"
id = "burn-offline"
title = "Set the burn, offline"
kind = "update"
severity = "low"
version = "1.0.0"
summary = "A state read, a Safe batch and the receipt of its execution, for a bundle."
networks = ["demo"]

[[steps]]
id = "read"
title = "Read the burn"
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

[[steps.calls]]
contract = "FeePool"
method = "setBurnPct(uint256)"
args = ["7"]

[[steps]]
id = "receipt"
title = "Receipt"
kind = "receipt"
contract = "FeePool"
events = ["BurnPctUpdated(uint256)"]
"#;

impl BatchFixture {
    pub fn new() -> Self {
        let home = Home::new();
        let ws = common::shipped_workspace();
        let cwd = ws.path();
        let keys = json(&home.cli(cwd, &["keys", "list", "--json"]));
        let address = keys[0]["address"].as_str().unwrap();
        super::cli::list_operator(cwd, "tester", address);
        std::fs::write(cwd.join("runbooks/update/burn-offline.toml"), BURN_RUNBOOK).unwrap();
        let started = json(&home.cli(
            cwd,
            &[
                "run",
                "start",
                "burn-offline",
                "--network",
                "demo",
                "--json",
            ],
        ));
        let run = started["run"].as_str().unwrap().to_owned();
        ok(home.cli(cwd, &["run", "next", &run, "--json"]));
        ok(home.cli(cwd, &["run", "next", &run, "--json"]));
        let batch = format!("batches/{run}-burn.json");
        let written: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(cwd.join("storage").join(&batch)).unwrap(),
        )
        .unwrap();
        let fee_pool = written["transactions"][0]["to"].as_str().unwrap();
        let tx = format!("0x{}", "ab".repeat(32));
        let receipt = serde_json::json!({
            "transactionHash": tx,
            "blockNumber": "0x10",
            "blockHash": format!("0x{}", "cd".repeat(32)),
            "status": "0x1",
            "to": fee_pool,
            "logs": [{
                "address": fee_pool,
                "topics": [format!("{:#x}", alloy_primitives::keccak256("BurnPctUpdated(uint256)"))],
            }],
        });
        let file = cwd.join("receipt.json");
        std::fs::write(&file, receipt.to_string()).unwrap();
        let done = json(&ok(home.cli(
            cwd,
            &[
                "run",
                "next",
                &run,
                "--receipt",
                file.to_str().unwrap(),
                "--json",
            ],
        )));
        assert_eq!(done["position"]["status"], "completed", "{done}");
        Self {
            home,
            ws,
            run,
            batch,
            receipt: format!("receipts/demo/{tx}.json"),
            out: tempfile::tempdir().unwrap(),
        }
    }

    pub fn cli(&self, args: &[&str]) -> Output {
        self.home.cli(self.ws.path(), args)
    }

    pub fn storage(&self) -> PathBuf {
        self.ws.path().join("storage")
    }

    /// Exports the run into `out/<name>` and returns that path.
    pub fn export(&self, name: &str) -> PathBuf {
        let target = self.out.path().join(name);
        ok(self.cli(&["export", &self.run, "--out", target.to_str().unwrap()]));
        target
    }
}
