//! The platform's own deployment files, read as its tooling writes them: the flat camelCase
//! map of `docs/deployment-addresses.json` and `deployment-config/latest-deployment.json`
//! (`contracts` among other fields, the reward engine under its contract name
//! `RewardEngineMB`), besides `{"contracts": {…}}`. A placeholder zero address or a field that
//! is not an address is named; nothing is guessed.

use crate::support::chain::{DEMO_RPC_ENV, Platform, listed_home, snapshot_values};
use crate::support::cli::{PASSPHRASE, json, text};
use crate::support::workspace::shipped_workspace;
use owner_console::chain::addresses::from_manifest;
use owner_console::session::Session;
use owner_console::workspace::Workspace;
use serde_json::json;

/// `FeePool` → `feePool`.
fn camel(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_lowercase().to_string() + chars.as_str()
    })
}

#[test]
fn upstream_deployment_files_read_as_they_are_and_reach_the_same_modules() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    platform.point_demo_network_here(workspace.path());
    let home = listed_home(workspace.path());
    let status = || {
        let output = home.cli_env(
            workspace.path(),
            PASSPHRASE,
            &[(DEMO_RPC_ENV, platform.url().as_str())],
            &["chain", "status", "--network", "demo", "--json"],
        );
        assert!(output.status.success(), "{}", text(&output).1);
        json(&output)["values"].clone()
    };
    let as_deployed = status();

    let mut flat = serde_json::Map::new();
    flat.insert(
        "_comment".into(),
        json!("Replace zero addresses with production deployments."),
    );
    flat.insert(
        "token".into(),
        json!("0xA61a3B3a130a9c20768EEBF97E21515A6046a1fA"),
    );
    flat.insert(
        "jobRouter".into(),
        json!("0x0000000000000000000000000000000000000000"),
    );
    let mut latest = serde_json::Map::new();
    for (module, address) in &platform.deployment.contracts {
        flat.insert(camel(module), json!(address.to_checksum(None)));
        let name = if module == "RewardEngine" {
            "RewardEngineMB"
        } else {
            module
        };
        latest.insert(name.to_owned(), json!(address.to_checksum(None)));
    }
    let shapes = [
        serde_json::Value::Object(flat),
        json!({
            "timestamp": "2025-10-14T18:06:29.230Z",
            "network": "localhost",
            "governance": "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
            "econ": { "feePct": 5, "burnPct": 100 },
            "identity": { "agentRootNode": "0x2c9c6189b2e92da4d0407e9deb38ff6870729ad063af7e8576cb7b7898c88e2d" },
            "contracts": latest,
        }),
    ];
    for shape in shapes {
        std::fs::write(
            workspace.path().join("deployment.json"),
            serde_json::to_string_pretty(&shape).unwrap(),
        )
        .unwrap();
        assert_eq!(status(), as_deployed, "{shape}");
    }
}

#[test]
fn a_placeholder_or_a_field_that_is_no_address_is_named() {
    let workspace = shipped_workspace();
    let session = Session::open(Workspace::folder(workspace.path()), "tester".into()).unwrap();
    let catalogue = session.catalogue().unwrap();
    let address = "0x275039fc0fd2eeFac30835af6aeFf24e8c52bA6B";
    let cases = [
        (
            json!({ "_comment": "x", "feePool": address, "stakeManager": "0x0000000000000000000000000000000000000000" }),
            vec![
                "deployment.json",
                "`stakeManager`",
                "zero address",
                "not deployed",
            ],
        ),
        (
            json!({ "feePool": 7 }),
            vec!["`feePool`", "neither an address"],
        ),
        (
            json!({ "contracts": { "JobRegistry": "0x12" } }),
            vec!["`contracts.JobRegistry`", "`0x12` is not an address"],
        ),
        (
            json!({ "timestamp": "2025-10-14", "token": address }),
            vec!["names no module's address", "\"feePool\""],
        ),
    ];
    for (file, needles) in cases {
        let error = from_manifest("deployment.json", &file.to_string(), &catalogue)
            .expect_err(&file.to_string())
            .to_string();
        for needle in needles {
            assert!(error.contains(needle), "`{needle}` not in: {error}");
        }
    }
    let read = from_manifest(
        "deployment.json",
        &json!({ "feePool": address, "rewardEngineMB": address, "jobRouter": "0x0000000000000000000000000000000000000000" }).to_string(),
        &catalogue,
    )
    .unwrap();
    assert_eq!(
        read.keys().collect::<Vec<_>>(),
        ["FeePool", "RewardEngine"],
        "a field naming no module of the catalogue is left alone"
    );
}
