//! `simulate` against the platform's real compiled modules (`../shared/fixtures/agijobs/
//! build/`) owned by the real Safe v1.4.1 (threshold 2): the batch `plan` writes is executed
//! on a fork through the Safe's own `execTransaction` and leaves nothing of the config to
//! change; the same batch less one call names the value it leaves; a call past a contract
//! limit names the real contract's custom error; a signed report imports only unchanged, signed
//! by a listed operator, for this batch and this diff. Each test forks once.

use crate::support::chain::live_cli;
use crate::support::cli::{Home, list_operator, text};
use crate::support::real_platform::RealPlatform;
use crate::support::tls_proxy::{TestCa, TlsProxy, trust_in_profile};
use crate::support::workspace::shipped_workspace;
use alloy_primitives::U256;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Instant;

struct Planned {
    workspace: tempfile::TempDir,
    platform: RealPlatform,
    home: Home,
    batch: PathBuf,
    started: Instant,
}

/// The real platform owned by the real Safe, the workspace describing it, and the batch
/// `plan` writes for its diff.
fn planned() -> Planned {
    let started = Instant::now();
    let workspace = shipped_workspace();
    let platform = RealPlatform::with_real_safe();
    platform.describe_in(workspace.path());
    let planned = Planned {
        batch: workspace.path().join("batch.json"),
        workspace,
        platform,
        home: Home::new(),
        started,
    };
    let output = planned.cli(&[
        "plan",
        "--network",
        "demo",
        "--out",
        planned.batch.to_str().unwrap(),
        "--allow-incomplete",
    ]);
    assert!(output.status.success(), "{:?}", text(&output));
    planned
}

impl Planned {
    fn cli(&self, args: &[&str]) -> Output {
        live_cli(
            &self.home,
            self.workspace.path(),
            &self.platform.url(),
            args,
        )
    }

    /// `simulate FILE --network demo --abi <the real build> --json` and more `args`.
    fn simulate(&self, batch: &Path, args: &[&str]) -> (Output, Value) {
        let build = crate::support::agijobs::build();
        let mut all = vec![
            "simulate",
            batch.to_str().unwrap(),
            "--network",
            "demo",
            "--abi",
            build.to_str().unwrap(),
            "--json",
        ];
        all.extend(args);
        let started = Instant::now();
        let output = self.cli(&all);
        println!("simulate took {:?}", started.elapsed());
        let (out, err) = text(&output);
        let report = serde_json::from_str(&out).unwrap_or_else(|_| json!({ "stderr": err }));
        (output, report)
    }

    fn batch_json(&self) -> Value {
        serde_json::from_str(&std::fs::read_to_string(&self.batch).unwrap()).unwrap()
    }

    /// A copy of the planned batch with its transactions changed by `change`.
    fn edited_batch(&self, name: &str, change: impl FnOnce(&mut Vec<Value>)) -> PathBuf {
        let mut batch = self.batch_json();
        change(batch["transactions"].as_array_mut().unwrap());
        batch["meta"].as_object_mut().unwrap().remove("checksum");
        let path = self.workspace.path().join(name);
        std::fs::write(&path, serde_json::to_string_pretty(&batch).unwrap()).unwrap();
        path
    }
}

impl Drop for Planned {
    fn drop(&mut self) {
        println!("test took {:?}", self.started.elapsed());
    }
}

fn method(tx: &Value) -> &str {
    tx["contractMethod"]["name"].as_str().unwrap_or_default()
}

#[test]
fn simulate_passes_the_planned_batch_executed_atomically_by_the_real_safe() {
    let planned = planned();
    let (output, report) = planned.simulate(&planned.batch, &[]);
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    assert_eq!(report["passed"], true, "{report:#}");
    assert_eq!(report["remaining"], json!([]), "{report:#}");
    let execution = &report["execution"];
    assert_eq!(execution["mode"], "safe-exec-transaction", "{execution}");
    assert_eq!(execution["atomic"], true);
    assert_eq!(execution["operation"], "delegatecall");
    assert!(
        execution["detail"]
            .as_str()
            .unwrap()
            .contains("threshold 2 lowered to 1"),
        "{execution}"
    );
    let transactions = planned.batch_json()["transactions"]
        .as_array()
        .unwrap()
        .len();
    let calls = report["calls"].as_array().unwrap();
    assert_eq!(calls.len(), transactions);
    let mut events = Vec::new();
    for call in calls {
        assert_eq!(call["status"], "succeeded", "{call}");
        assert!(call["gas_used"].as_u64().unwrap() > 0, "{call}");
        events.extend(call["events"].as_array().unwrap().iter().cloned());
    }
    // The events, each named by the real modules' ABIs with its arguments.
    assert!(events.len() >= transactions / 2, "{report:#}");
    assert!(
        events
            .iter()
            .all(|e| e.as_str().unwrap().contains('(') && !e.as_str().unwrap().contains("no ABI")),
        "{events:#?}"
    );
    let burn = calls.iter().find(|c| c["method"] == "setBurnPct").unwrap();
    println!("setBurnPct: {burn}");
    let bytes = std::fs::read(&planned.batch).unwrap();
    assert_eq!(
        report["batch_sha256"],
        owner_console::safe::binding::file_sha256(&bytes)
    );
    // The fingerprint is the one `diff` gives of the same block.
    let fingerprint = planned.cli(&[
        "diff",
        "--network",
        "demo",
        "--fingerprint",
        "--allow-incomplete",
    ]);
    assert_eq!(
        report["diff_fingerprint"].as_str().unwrap(),
        text(&fingerprint).0.trim()
    );
    // The network's chain is untouched: its Safe still asks two signatures, and the diff stays.
    assert_eq!(
        planned
            .platform
            .chain
            .read(planned.platform.safe, "getThreshold()"),
        U256::from(2)
    );
    // A node that does not answer: said, before any fork.
    let unreachable = live_cli(
        &planned.home,
        planned.workspace.path(),
        "http://127.0.0.1:1",
        &[
            "simulate",
            planned.batch.to_str().unwrap(),
            "--network",
            "demo",
        ],
    );
    let (out, err) = text(&unreachable);
    assert!(
        !unreachable.status.success() && err.contains("connection refused"),
        "{out}{err}"
    );
    // A block the node does not have yet: said, before any fork.
    let ahead = planned.cli(&[
        "simulate",
        planned.batch.to_str().unwrap(),
        "--network",
        "demo",
        "--block",
        "999999",
    ]);
    let (out, err) = text(&ahead);
    assert!(
        !ahead.status.success() && err.contains("block #999999 is past the head"),
        "{out}{err}"
    );
}

#[test]
fn simulate_names_the_value_a_batch_one_call_short_leaves() {
    let planned = planned();
    let dropped = planned.batch_json()["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .position(|tx| method(tx) == "setBurnPct")
        .expect("the plan sets a burn percentage");
    let target = planned.batch_json()["transactions"][dropped]["to"]
        .as_str()
        .unwrap()
        .to_owned();
    let module = planned
        .platform
        .modules
        .iter()
        .find(|(_, address)| address.to_checksum(None).eq_ignore_ascii_case(&target))
        .map(|(name, _)| name.clone())
        .unwrap();
    let short = planned.edited_batch("short.json", |txs| {
        txs.remove(dropped);
    });
    let (output, report) = planned.simulate(&short, &[]);
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    assert_eq!(report["passed"], false);
    assert_eq!(report["execution"]["succeeded"], true, "{report:#}");
    let remaining: Vec<&str> = report["remaining"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let expected = format!("{module}.burnPct");
    assert_eq!(remaining, [expected.as_str()], "{report:#}");
    assert!(
        report["verdict"].as_str().unwrap().contains(&expected),
        "{report:#}"
    );
}

#[test]
fn simulate_names_the_contract_limit_a_call_hits() {
    let planned = planned();
    let fee_pool = planned.platform.at("FeePool");
    let data = owner_console::sandbox::deploy::calldata("setBurnPct(uint256)", &["101".into()])
        .unwrap()
        .to_string();
    let limit = planned.edited_batch("limit.json", |txs| {
        let last = txs.len();
        let mut call = txs[0].clone();
        call["to"] = fee_pool.clone().into();
        call["data"] = data.into();
        call["contractMethod"] = json!({
            "name": "setBurnPct", "payable": false,
            "inputs": [{"name": "pct", "type": "uint256", "internalType": "uint256"}]
        });
        call["contractInputsValues"] = json!({"pct": "101"});
        txs.insert(last, call);
    });
    let (output, report) = planned.simulate(&limit, &[]);
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    assert_eq!(report["execution"]["succeeded"], false, "{report:#}");
    let calls = report["calls"].as_array().unwrap();
    let hit = calls.last().unwrap();
    assert_eq!(hit["status"], "reverted", "{hit}");
    assert_eq!(hit["revert"], "InvalidPercentage()", "{hit}");
    assert_eq!(hit["module"], "FeePool", "{hit}");
    assert!(
        calls[..calls.len() - 1]
            .iter()
            .all(|c| c["status"] == "undone"),
        "the calls before it are undone with the batch: {report:#}"
    );
    assert!(
        report["verdict"]
            .as_str()
            .unwrap()
            .contains("FeePool.setBurnPct: InvalidPercentage()"),
        "{report:#}"
    );
}

#[test]
fn an_imported_report_holds_only_unchanged_signed_by_an_operator_for_this_batch_and_diff() {
    let planned = planned();
    let address = crate::support::cli::key_address(&planned.home, "tester");
    list_operator(planned.workspace.path(), "tester", &address);
    let report_path = planned.workspace.path().join("report.json");
    let (output, report) =
        planned.simulate(&planned.batch, &["--out", report_path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    let import = |report: &Path, batch: &Path| {
        planned.cli(&[
            "simulate",
            batch.to_str().unwrap(),
            "--network",
            "demo",
            "--import",
            report.to_str().unwrap(),
        ])
    };
    let imported = import(&report_path, &planned.batch);
    let (out, err) = text(&imported);
    assert_eq!(imported.status.code(), Some(0), "{out}{err}");
    assert!(
        out.contains("PASS") && out.contains("the report holds here"),
        "{out}"
    );

    let refused = |report: &Path, batch: &Path, why: &str| {
        let output = import(report, batch);
        let (out, err) = text(&output);
        assert!(
            !output.status.success() && err.contains(why) && !out.contains("PASS"),
            "{why}: {out}{err}"
        );
    };
    // Edited after signing: the verdict turned.
    let signed: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    let edited_path = planned.workspace.path().join("edited.json");
    let mut edited = signed.clone();
    edited["remaining"] = json!([]);
    edited["calls"][0]["status"] = "reverted".into();
    std::fs::write(&edited_path, edited.to_string()).unwrap();
    refused(&edited_path, &planned.batch, "edited after it was signed");
    // Another batch than the one simulated.
    let other = planned.edited_batch("other.json", |txs| {
        txs.pop();
    });
    refused(&report_path, &other, "not this one");
    // Signed by a key config/operators.toml does not list.
    let operators = planned.workspace.path().join("config/operators.toml");
    let listed = std::fs::read_to_string(&operators).unwrap();
    std::fs::write(
        &operators,
        listed.replace(&address, "0x000000000000000000000000000000000000dEaD"),
    )
    .unwrap();
    refused(&report_path, &planned.batch, "not listed");
    std::fs::write(&operators, listed).unwrap();
    // The chain differs here from what was simulated: another diff.
    let config = planned.workspace.path().join("config/fee-pool.demo.json");
    crate::support::real_platform::edit(&config, |c| {
        c["burnPct"] = json!(c["burnPct"].as_u64().unwrap_or(0) + 1)
    });
    refused(&report_path, &planned.batch, "the diff");
    // Not a report at all, or too large to read.
    let garbage = planned.workspace.path().join("garbage.json");
    std::fs::write(&garbage, "{\"kind\": 1").unwrap();
    refused(&garbage, &planned.batch, "not a simulation report");
    let huge = planned.workspace.path().join("huge.json");
    std::fs::write(&huge, vec![b' '; 5 * 1024 * 1024]).unwrap();
    refused(
        &huge,
        &planned.batch,
        "more than a simulation report may be",
    );
}

const DRY_RUN_RUNBOOK: &str = r#"
id = "dry-run-update"
title = "Update with a dry-run"
kind = "update"
severity = "low"
version = "1.0.0"
summary = "The diff, its batch, a dry-run on a fork, and a sign-off that needs it to pass."
networks = ["demo"]

[[steps]]
id = "diff"
title = "Compare config and chain"
kind = "diff"

[[steps]]
id = "batch"
title = "Prepare the batch"
kind = "safe-batch"
source = "diff"
allow_incomplete = true

[[steps]]
id = "dry-run"
title = "Dry-run the batch"
kind = "simulate"

[[steps]]
id = "review"
title = "Review"
kind = "signoff"
quorum = 1
exclude_executor = false
require_simulation = true
"#;

/// A run at its simulate step (diff recorded, batch prepared); its id.
fn run_at_dry_run(planned: &Planned) -> String {
    let started = planned.cli(&[
        "run",
        "start",
        "dry-run-update",
        "--network",
        "demo",
        "--json",
    ]);
    assert!(started.status.success(), "{:?}", text(&started));
    let (out, _) = text(&started);
    let run: Value = serde_json::from_str(&out).unwrap();
    let run = run["run"].as_str().unwrap().to_owned();
    for step in ["diff", "batch"] {
        let next = planned.cli(&["run", "next", &run, "--json"]);
        assert!(next.status.success(), "{step}: {:?}", text(&next));
    }
    run
}

fn entries(planned: &Planned) -> usize {
    std::fs::read_to_string(planned.workspace.path().join("storage/owner-ledger.jsonl"))
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

#[test]
fn a_simulate_step_records_the_dry_run_and_a_signoff_waits_for_a_passing_one() {
    let planned = planned();
    let address = crate::support::cli::key_address(&planned.home, "tester");
    list_operator(planned.workspace.path(), "tester", &address);
    let runbooks = planned
        .workspace
        .path()
        .join("runbooks/update/dry-run-update.toml");
    std::fs::write(&runbooks, DRY_RUN_RUNBOOK).unwrap();
    std::fs::create_dir_all(planned.workspace.path().join("abi")).unwrap();
    for module in ["FeePool", "StakeManager"] {
        std::fs::copy(
            crate::support::agijobs::build().join(format!("{module}.json")),
            planned.workspace.path().join(format!("abi/{module}.json")),
        )
        .unwrap();
    }

    // Skipped: the sign-off names the simulation it waits for.
    let skipped = run_at_dry_run(&planned);
    let next = planned.cli(&["run", "next", &skipped, "--skip", "--reason", "later"]);
    assert!(next.status.success(), "{:?}", text(&next));
    let blocked = planned.cli(&["run", "next", &skipped]);
    let (out, err) = text(&blocked);
    assert!(
        !blocked.status.success()
            && err.contains(
                "sign-offs count only after a passing simulation: no simulation of the batch"
            ),
        "{out}{err}"
    );

    // A report that is no simulation report is refused, and nothing is recorded.
    let run = run_at_dry_run(&planned);
    let foreign = planned.workspace.path().join("foreign.json");
    std::fs::write(&foreign, r#"{"kind": "owner-console-simulation"}"#).unwrap();
    let before = entries(&planned);
    let import = planned.cli(&[
        "run",
        "next",
        &run,
        "--simulation",
        foreign.to_str().unwrap(),
    ]);
    let (out, err) = text(&import);
    assert!(
        !import.status.success()
            && err.contains("not a simulation report")
            && entries(&planned) == before,
        "{out}{err}"
    );

    // Simulated at the step: recorded with its report as evidence, and the sign-off counts.
    let simulated = planned.cli(&["run", "next", &run, "--json"]);
    let (out, err) = text(&simulated);
    assert!(simulated.status.success(), "{out}{err}");
    assert!(
        err.contains("simulated at block") && err.contains("✓ PASS"),
        "{err}"
    );
    let state: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(state["position"]["step"], "review", "{state:#}");
    let ledger =
        std::fs::read_to_string(planned.workspace.path().join("storage/owner-ledger.jsonl"))
            .unwrap();
    let recorded: Value = ledger
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|e| e["type"] == "simulation-recorded" && e["run"] == run.as_str())
        .expect("a simulation-recorded entry");
    let event = &recorded["body"];
    assert_eq!(event["passed"], true, "{recorded}");
    assert_eq!(event["atomic"], true, "{recorded}");
    let evidence = planned
        .workspace
        .path()
        .join("storage/evidence")
        .join(event["report_sha256"].as_str().unwrap());
    let kept: Value = serde_json::from_str(&std::fs::read_to_string(&evidence).unwrap()).unwrap();
    assert_eq!(kept["batch_sha256"], event["batch_sha256"]);
    let signed = planned.cli(&["run", "signoff", &run]);
    assert!(signed.status.success(), "{:?}", text(&signed));
    let done = planned.cli(&["run", "next", &run]);
    assert!(done.status.success(), "{:?}", text(&done));
}

/// A batch of one call to the FeePool (`setBurnPct(pct)`), simulated on `platform`; the
/// command's output and its JSON report.
fn simulate_one_call(platform: &RealPlatform, pct: &str) -> (std::process::Output, Value) {
    let workspace = shipped_workspace();
    platform.describe_in(workspace.path());
    let home = Home::new();
    let batch = workspace.path().join("one.json");
    let fee_pool = platform.at("FeePool");
    let data = owner_console::sandbox::deploy::calldata("setBurnPct(uint256)", &[pct.into()])
        .unwrap()
        .to_string();
    let one = json!({
        "version": "1.0", "chainId": "31337", "createdAt": 0, "meta": {},
        "transactions": [{"to": fee_pool, "value": "0", "data": data}]
    });
    std::fs::write(&batch, one.to_string()).unwrap();
    let build = crate::support::agijobs::build();
    let output = live_cli(
        &home,
        workspace.path(),
        &platform.url(),
        &[
            "simulate",
            batch.to_str().unwrap(),
            "--network",
            "demo",
            "--abi",
            build.to_str().unwrap(),
            "--json",
        ],
    );
    let (out, err) = text(&output);
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}{err}"));
    (output, report)
}

/// One call is executed by the real Safe as itself (operation 0, no MultiSend): it succeeds,
/// or its revert is decoded, and nothing it changes outlives the fork.
#[test]
fn a_single_call_runs_through_the_real_safe_as_a_plain_call() {
    let platform = RealPlatform::with_real_safe();
    let burn = || {
        platform
            .chain
            .read(platform.modules["FeePool"], "burnPct()")
    };
    let before = burn();
    assert_ne!(before, alloy_primitives::U256::from(4));
    let (_, report) = simulate_one_call(&platform, "4");
    let execution = &report["execution"];
    assert_eq!(execution["mode"], "safe-exec-transaction", "{report:#}");
    assert_eq!(execution["operation"], "call", "{report:#}");
    assert_eq!(execution["atomic"], true, "{report:#}");
    assert_eq!(execution["succeeded"], true, "{report:#}");
    assert_eq!(report["calls"][0]["events"], json!(["BurnPctUpdated(4)"]));
    let (output, report) = simulate_one_call(&platform, "101");
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    assert_eq!(report["execution"]["succeeded"], false, "{report:#}");
    assert_eq!(
        report["calls"][0]["revert"], "InvalidPercentage()",
        "{report:#}"
    );
    assert_eq!(burn(), before, "what the fork changed stays on the fork");
}

/// A Safe whose own code path cannot be used (here a multisig that is no Safe v1.x: code
/// without `VERSION()` at the Safe's address) is impersonated and its calls sent one by one;
/// the report says the batch did not run atomically, and why.
#[test]
fn a_safe_that_is_not_v1_is_impersonated_and_the_report_says_not_atomic() {
    let platform = RealPlatform::with_real_safe();
    let _: serde_json::Value = platform
        .chain
        .runtime
        .block_on(
            platform
                .chain
                .rpc
                .request("anvil_setCode", (platform.safe, "0x00")),
        )
        .unwrap();
    let (output, report) = simulate_one_call(&platform, "4");
    let execution = &report["execution"];
    assert_eq!(execution["mode"], "impersonated-one-by-one", "{report:#}");
    assert_eq!(execution["atomic"], false);
    assert_eq!(execution["operation"], "call");
    assert_eq!(execution["succeeded"], true, "{report:#}");
    assert!(
        execution["detail"]
            .as_str()
            .unwrap()
            .contains("it has no VERSION()"),
        "{execution}"
    );
    assert_eq!(report["calls"][0]["events"], json!(["BurnPctUpdated(4)"]));
    // The rest of the config is not made by this one call: named, and the simulation fails.
    assert_eq!(output.status.code(), Some(1));
    assert!(!report["remaining"].as_array().unwrap().is_empty());
}

/// The node is a provider's: `https://` behind a private certificate authority (trusted by the
/// profile's `ca_file`), an API key in its URL. anvil cannot trust that authority, and is not
/// given the URL: it forks through the console's loopback relay. The simulation runs, and no
/// process's command line holds the key meanwhile.
#[test]
fn simulate_forks_a_private_ca_node_through_a_relay_that_keeps_its_url() {
    let started = Instant::now();
    let workspace = shipped_workspace();
    let platform = RealPlatform::with_real_safe();
    platform.describe_in(workspace.path());
    let ca = TestCa::new("owner-console test CA");
    let proxy = TlsProxy::start(platform.chain.node.port, &ca, &["localhost"]);
    std::fs::write(workspace.path().join("private-ca.pem"), &ca.pem).unwrap();
    trust_in_profile(workspace.path(), "private-ca.pem");
    const KEY: &str = "S3CRET-RELAYED-KEY";
    let url = format!("{}?key={KEY}", proxy.url());
    let batch = workspace.path().join("one.json");
    let data = owner_console::sandbox::deploy::calldata("setBurnPct(uint256)", &["4".into()])
        .unwrap()
        .to_string();
    let one = json!({
        "version": "1.0", "chainId": "31337", "createdAt": 0, "meta": {},
        "transactions": [{"to": platform.at("FeePool"), "value": "0", "data": data}]
    });
    std::fs::write(&batch, one.to_string()).unwrap();
    let home = Home::new();
    let build = crate::support::agijobs::build();
    let mut child = home
        .command(
            workspace.path(),
            crate::support::cli::PASSPHRASE,
            &[
                "simulate",
                batch.to_str().unwrap(),
                "--network",
                "demo",
                "--abi",
                build.to_str().unwrap(),
                "--json",
            ],
        )
        .env(crate::support::chain::DEMO_RPC_ENV, &url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut shown_key = Vec::new();
    let mut anvils = 0;
    while child.try_wait().unwrap().is_none() {
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
                continue;
            };
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if cmdline.contains("--fork-url") && cmdline.contains("127.0.0.1:") {
                anvils += 1;
            }
            if cmdline.contains(KEY) {
                shown_key.push(cmdline);
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let (out, err) = text(&output);
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}{err}"));
    assert_eq!(
        report["execution"]["mode"], "safe-exec-transaction",
        "{report:#}"
    );
    assert_eq!(report["execution"]["succeeded"], true, "{report:#}");
    assert_eq!(report["calls"][0]["events"], json!(["BurnPctUpdated(4)"]));
    assert!(!out.contains(KEY) && !err.contains(KEY), "{out}{err}");
    assert!(anvils > 0, "the fork's anvil was seen running");
    assert_eq!(shown_key, Vec::<String>::new(), "the key on a command line");
    println!("test took {:?}", started.elapsed());
}
