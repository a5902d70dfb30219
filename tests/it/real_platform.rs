//! The console against the platform's real compiled modules (`../shared/fixtures/agijobs/
//! build/`, see `SOURCE.md`), deployed on anvil and owned by the real Safe v1.4.1 (each
//! module's owner or governance, every change executed through its `execTransaction`).
//! The workspace's config describes that deployment. `chain status` reads every catalogue
//! value, each equal to the same getter called by ethers (an independent client); a signer
//! and a rewarder added on chain and named nowhere are security removals in `diff`; the batch
//! `plan` writes is executed by the Safe, every transaction succeeds, and `diff` is then
//! empty; each contract limit set past its bound is refused by `plan` before a batch is
//! written. The node is reached over plain http and over https (a TLS proxy with a test CA,
//! trusted through the network's `ca_file`): `chain status` reads the same values both ways,
//! and the diffs, the plan, the reads after the batch and the guardrail refusals go over https.
//!
//! SystemPause is deployed with every module it takes (its constructor refuses one that is not
//! deployed): the five the catalogue does not hold (validation, dispute, platform registry,
//! reputation, arbitrator committee) are deployed for it, and it is their pauser (the config
//! names it for the catalogue's modules, the plan sets it): its `pauseAll()` executed by the
//! Safe pauses each module, as `chain status` and ethers read. The platform has no Paymaster.

use crate::support::chain::live_cli;
use crate::support::cli::{Home, json, text};
use crate::support::real_chain::catalogue;
use crate::support::real_platform::{RealPlatform, edit};
use crate::support::tls_proxy::{TestCa, TlsProxy, trust_in_profile};
use crate::support::workspace::shipped_workspace;
use alloy_primitives::U256;
use owner_console::catalogue::Catalogue;
use owner_console::catalogue::guardrails::{GuardKind, Rule};
use serde_json::{Value, json};
use std::path::Path;

const STRANGER: &str = "0x000000000000000000000000000000000000dEaD";

/// What ethers reads, at `block`, for every value `chain status` read from the catalogue:
/// the same getter of the same module, each set listed from its own add/remove events.
fn ethers_reads(
    catalogue: &Catalogue,
    platform: &RealPlatform,
    block: u64,
    keys: &[String],
) -> Value {
    let mut reads = Vec::new();
    for key in keys {
        let mut read = match (catalogue.parameter(key), key.strip_suffix(".paused")) {
            (Some(parameter), _) => {
                let getter = parameter.getter.clone().unwrap();
                let to = platform.at(parameter.contract());
                let mut read = json!({"key": key, "to": to, "getter": getter, "args": parameter.getter_arguments()});
                if parameter.getter_arguments().is_empty() && !getter.contains("()(") {
                    read["members_event"] = parameter
                        .members_event
                        .clone()
                        .unwrap_or_else(|| panic!("{key}: a set behind a mapping names its event"))
                        .into();
                }
                read
            }
            (None, Some(module)) => json!({"to": platform.at(module), "getter": "paused()(bool)"}),
            (None, None) => {
                let getter = match key.as_str() {
                    "Safe.getOwners" => "getOwners()(address[])",
                    "Safe.getThreshold" => "getThreshold()(uint256)",
                    other => panic!("{other}: no read for ethers"),
                };
                json!({"to": platform.safe.to_checksum(None), "getter": getter})
            }
        };
        read["key"] = key.as_str().into();
        reads.push(read);
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        file.path(),
        json!({"url": platform.url(), "block": block, "reads": reads}).to_string(),
    )
    .unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = std::process::Command::new("node")
        .arg(root.join("tests/fixtures/ethers/eth_calls.js"))
        .arg(file.path())
        .env("NODE_PATH", root.join("node_modules"))
        .output()
        .unwrap();
    json(&output)
}

/// A value as compared: sets (arrays) in lowercase, sorted; the rest as given.
fn comparable(value: &Value) -> Value {
    match value {
        Value::Array(items) => {
            let mut items: Vec<String> = items
                .iter()
                .map(|i| i.as_str().unwrap_or_default().to_lowercase())
                .collect();
            items.sort();
            json!(items)
        }
        other => other.clone(),
    }
}

/// `chain status --json` held to ethers' reads of the same block: exit 0, no failure, every
/// catalogue parameter with a getter read, each value equal.
fn status_agrees_with_ethers(
    catalogue: &Catalogue,
    platform: &RealPlatform,
    cli: &dyn Fn(&[&str]) -> std::process::Output,
) -> Value {
    let output = cli(&["chain", "status", "--network", "demo", "--json"]);
    let status = json(&output);
    assert_eq!(output.status.code(), Some(0), "{status}");
    assert_eq!(status["failures"], json!({}), "{status}");
    let values = status["values"].as_object().unwrap();
    // Every catalogue value with a getter on a deployed module, each pausable module's pause
    // flag, and the Safe's owners and threshold.
    let readable: Vec<String> = catalogue
        .parameters
        .iter()
        .filter(|p| p.getter.is_some() && !p.option)
        .filter(|p| platform.modules.contains_key(p.contract()))
        .map(|p| p.id.clone())
        .chain(catalogue.pausable.iter().map(|m| format!("{m}.paused")))
        .chain(["Safe.getOwners".to_owned(), "Safe.getThreshold".to_owned()])
        .collect();
    let unread: Vec<&String> = readable
        .iter()
        .filter(|id| !values.contains_key(id.as_str()))
        .collect();
    assert!(unread.is_empty(), "not read: {unread:?}\n{status}");
    let block = status["block"]["number"].as_u64().unwrap();
    let ethers = ethers_reads(catalogue, platform, block, &readable);
    let differ: Vec<String> = readable
        .iter()
        .filter(|id| comparable(&values[id.as_str()]) != comparable(&ethers[id.as_str()]))
        .map(|id| {
            format!(
                "{id}: console {} ethers {}",
                values[id.as_str()],
                ethers[id.as_str()]
            )
        })
        .collect();
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    println!(
        "{} value(s) read by chain status equal ethers' at block {block}",
        readable.len()
    );
    status
}

fn removed(diff: &Value, id: &str) -> Vec<String> {
    diff["diff"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == id)
        .inspect(|c| assert_eq!(c["risk"], "security", "{c}"))
        .flat_map(|c| c["removed"].as_array().cloned().unwrap_or_default())
        .filter_map(|m| m.as_str().map(str::to_lowercase))
        .collect()
}

#[test]
fn the_console_reads_plans_and_guards_the_real_platform_owned_by_a_safe() {
    let started = std::time::Instant::now();
    let workspace = shipped_workspace();
    let platform = RealPlatform::deploy();
    platform.describe_in(workspace.path());
    let deployed = started.elapsed();
    let catalogue = catalogue();
    let home = Home::new();
    let url = platform.url();
    let over_http = |args: &[&str]| live_cli(&home, workspace.path(), &url, args);
    // The same node as a provider serves it: over https, through a TLS proxy whose test CA the
    // network's profile trusts. The diff, the plan and the checks after the batch go this way.
    let ca = TestCa::new("owner-console test CA");
    let proxy = TlsProxy::start(platform.chain.node.port, &ca, &["localhost"]);
    std::fs::write(workspace.path().join("private-ca.pem"), &ca.pem).unwrap();
    trust_in_profile(workspace.path(), "private-ca.pem");
    let https_url = proxy.url();
    let cli = |args: &[&str]| live_cli(&home, workspace.path(), &https_url, args);

    // 1. Every catalogue value read, each equal to ethers' eth_call, over http and https.
    let plain = status_agrees_with_ethers(&catalogue, &platform, &over_http);
    let tls = status_agrees_with_ethers(&catalogue, &platform, &cli);
    assert_eq!(tls["block"], plain["block"], "nothing was mined between");
    assert_eq!(tls["values"], plain["values"]);

    // 2. A signer and a rewarder added on chain and named nowhere: security removals.
    platform.chain.as_safe(
        platform.safe,
        platform.modules["EnergyOracle"],
        "setSigner(address,bool)",
        &[STRANGER, "true"],
    );
    platform.chain.as_safe(
        platform.safe,
        platform.modules["FeePool"],
        "setRewarder(address,bool)",
        &[STRANGER, "true"],
    );
    // And an agent root alias the config does not name, by its namehash alone.
    let rogue = format!(
        "0x{}",
        hex::encode(owner_console::catalogue::value::namehash(
            "rogue.agent.agi.eth"
        ))
    );
    platform.chain.as_safe(
        platform.safe,
        platform.modules["IdentityRegistry"],
        "addAgentRootNodeAlias(bytes32)",
        &[&rogue],
    );
    let diff = json(&cli(&[
        "diff",
        "--network",
        "demo",
        "--json",
        "--allow-incomplete",
    ]));
    assert_eq!(
        removed(&diff, "IdentityRegistry.agentAliases"),
        std::slice::from_ref(&rogue),
        "{diff}"
    );
    // The config's aliases, by name: added, shown with their hash.
    let (shown, _) = text(&cli(&[
        "diff",
        "--network",
        "demo",
        "--allow-incomplete",
        "--color",
        "never",
    ]));
    let alias = "alpha.agent.ci.agi.eth";
    let hash = hex::encode(owner_console::catalogue::value::namehash(alias));
    assert!(shown.contains(&format!("+{alias} (0x{hash})")), "{shown}");
    assert!(shown.contains(&format!("-{rogue}")), "{shown}");
    let stranger = STRANGER.to_lowercase();
    assert!(
        removed(&diff, "EnergyOracle.signers").contains(&stranger),
        "{diff}"
    );
    assert!(
        removed(&diff, "FeePool.rewarders").contains(&stranger),
        "{diff}"
    );

    // The role shares, 1e18-scaled on chain, compared as percents.
    let changed = |id: &str| -> (Value, Value) {
        let change = diff["diff"]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id} changes: {diff}"));
        (change["before"].clone(), change["after"].clone())
    };
    assert_eq!(
        changed("RewardEngine.roleShare.agent"),
        (json!("65%"), json!("50%"))
    );
    assert_eq!(
        changed("RewardEngine.roleShare.validator"),
        (json!("15%"), json!("30%"))
    );

    // 3. The plan, executed by the Safe: every transaction succeeds, and nothing is left.
    let not_compared: Vec<String> = diff["diff"]["not_compared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .filter(|id| {
            !diff["diff"]["options"]
                .as_array()
                .unwrap()
                .contains(&json!(id))
        })
        .collect();
    let without_getter: Vec<String> = not_compared
        .iter()
        .filter(|id| {
            catalogue
                .parameter(id)
                .is_some_and(|p| p.getter.is_none() || !platform.modules.contains_key(p.contract()))
        })
        .cloned()
        .collect();
    assert_eq!(
        not_compared, without_getter,
        "only values the catalogue has no getter or no module for are left out of the comparison"
    );
    println!(
        "not compared (no getter or no module): {}",
        not_compared.join(", ")
    );
    let batch = workspace.path().join("batch.json");
    let batch_text = batch.to_str().unwrap();
    let output = cli(&[
        "plan",
        "--network",
        "demo",
        "--out",
        batch_text,
        "--allow-incomplete",
    ]);
    assert!(
        output.status.success(),
        "{:?}\nguardrails: {}",
        text(&output),
        diff["diff"]["guardrails"]
    );
    let (planned, failures) = platform.execute_batch(&batch);
    assert!(
        failures.is_empty(),
        "{} of {planned} transaction(s) reverted:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let output = cli(&["diff", "--network", "demo", "--json", "--allow-incomplete"]);
    let after = json(&output);
    assert_eq!(after["diff"]["changes"], json!([]), "{after}");
    assert_eq!(output.status.code(), Some(0), "{after}");
    status_agrees_with_ethers(&catalogue, &platform, &cli);

    // The same slashing split stored in basis points, as the contract also accepts: no change,
    // and the diff says how it read them.
    let split = |c: &Value| {
        [
            "employerSlashPct",
            "treasurySlashPct",
            "validatorSlashRewardPct",
        ]
        .map(|k| c[k].as_u64().unwrap_or_else(|| panic!("{k}: {c}")) * 100)
        .map(|bps| bps.to_string())
    };
    let config: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace.path().join("config/stake-manager.demo.json")).unwrap(),
    )
    .unwrap();
    let bps = split(&config);
    platform.chain.as_safe(
        platform.safe,
        platform.modules["StakeManager"],
        "setSlashingDistribution(uint256,uint256,uint256)",
        &[&bps[0], &bps[1], &bps[2]],
    );
    assert_eq!(
        platform
            .chain
            .read(platform.modules["StakeManager"], "employerSlashPct()"),
        U256::from(bps[0].parse::<u64>().unwrap()),
        "stored as given"
    );
    let output = cli(&["diff", "--network", "demo", "--json", "--allow-incomplete"]);
    let in_bps = json(&output);
    assert_eq!(in_bps["diff"]["changes"], json!([]), "{in_bps}");
    assert_eq!(output.status.code(), Some(0), "{in_bps}");
    let notes = in_bps["diff"]["notes"].to_string();
    assert!(
        notes.contains("StakeManager.employerSlashPct") && notes.contains("basis points"),
        "{in_bps}"
    );
    let (out, _) = text(&cli(&[
        "diff",
        "--network",
        "demo",
        "--allow-incomplete",
        "--color",
        "never",
    ]));
    assert!(out.contains("note: StakeManager.employerSlashPct"), "{out}");

    // SystemPause, the pauser the plan set, pauses every module at the Safe's call: the
    // console reads each pausable module paused, as ethers does; and unpauses them.
    let system_pause = platform.modules["SystemPause"];
    platform
        .chain
        .as_safe(platform.safe, system_pause, "pauseAll()", &[]);
    let paused = status_agrees_with_ethers(&catalogue, &platform, &cli);
    for module in &catalogue.pausable {
        assert_eq!(
            paused["values"][format!("{module}.paused")],
            json!(true),
            "{paused}"
        );
    }
    platform
        .chain
        .as_safe(platform.safe, system_pause, "unpauseAll()", &[]);

    // 4. Each contract limit set past its bound: refused before a batch is written.
    for guardrail in catalogue
        .guardrails
        .iter()
        .filter(|g| g.kind == GuardKind::Contract)
    {
        let (path, pointer, before) = violate(workspace.path(), &catalogue, guardrail);
        let refused = workspace.path().join(format!("{}.json", guardrail.id));
        let output = cli(&[
            "plan",
            "--network",
            "demo",
            "--out",
            refused.to_str().unwrap(),
            "--allow-incomplete",
        ]);
        let (out, err) = text(&output);
        assert!(
            !output.status.success() && err.contains("a guardrail blocks this change"),
            "{}: {out}{err}",
            guardrail.id
        );
        assert!(!refused.exists(), "{}: no batch written", guardrail.id);
        let blocked = json(&cli(&["diff", "--network", "demo", "--json"]));
        assert!(
            blocked["diff"]["guardrails"]
                .as_array()
                .unwrap()
                .iter()
                .any(|g| g["guardrail"] == guardrail.id.as_str() && g["blocking"] == true),
            "{} blocks: {}",
            guardrail.id,
            blocked["diff"]["guardrails"]
        );
        edit(&path, |c| *c.pointer_mut(&pointer).unwrap() = before);
    }
    println!(
        "real platform: deployed in {deployed:?}, whole test {:?}, {planned} transaction(s)",
        started.elapsed()
    );
}

/// Writes into the config a value of `guardrail`'s first parameter just past its bound; returns
/// the file, the pointer and the value it had.
fn violate(
    workspace: &Path,
    catalogue: &Catalogue,
    guardrail: &owner_console::catalogue::guardrails::Guardrail,
) -> (std::path::PathBuf, String, Value) {
    let config = |id: &str| {
        let p = catalogue.parameter(id).unwrap();
        (
            workspace.join(format!("config/{}.demo.json", p.file)),
            p.path.clone(),
        )
    };
    let read = |id: &str| -> Value {
        let (file, pointer) = config(id);
        let value: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        value.pointer(&pointer).cloned().unwrap_or(Value::Null)
    };
    let number = |v: &Value| -> i128 {
        v.as_i64()
            .map(i128::from)
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .unwrap_or_else(|| panic!("{}: a number: {v}", guardrail.id))
    };
    let first = &guardrail.params[0];
    let before = read(first);
    let past: Value = match guardrail.rule {
        Rule::Range => match &guardrail.max {
            Some(max) => json!(max.parse::<i128>().unwrap() + 1),
            None => json!(guardrail.min.as_ref().unwrap().parse::<i128>().unwrap() - 1),
        },
        Rule::SumAtMost => {
            let others: i128 = guardrail.params[1..].iter().map(|p| number(&read(p))).sum();
            assert!(others > 0, "{}", guardrail.id);
            json!(guardrail.max.as_ref().unwrap().parse::<i128>().unwrap() - others + 1)
        }
        Rule::SumEquals => json!(number(&before) + 1),
        Rule::Positive => json!(0),
        Rule::GreaterThan => json!(number(&read(&guardrail.params[1])).to_string()),
        Rule::Within => json!((number(&read(&guardrail.params[2])) + 1).to_string()),
        Rule::MemberOf => json!(STRANGER),
        Rule::Differs => read(&guardrail.params[1]),
        other => panic!("{}: no violation written for {other:?}", guardrail.id),
    };
    // Numbers keep the config's own form (JSON number or decimal text).
    let past = match (&before, &past) {
        (Value::String(_), Value::Number(n)) => json!(n.to_string()),
        (Value::Number(_), Value::String(s)) if s.parse::<i64>().is_ok() => {
            json!(s.parse::<i64>().unwrap())
        }
        _ => past,
    };
    let (file, pointer) = config(first);
    edit(&file, |c| *c.pointer_mut(&pointer).unwrap() = past);
    (file, pointer, before)
}
