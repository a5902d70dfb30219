//! A 40-call batch simulated on a fork of a local node (`simulate`: anvil forked, the
//! catalogue read before and after, the batch executed atomically through the real Safe
//! v1.4.1's `execTransaction` by MultiSendCallOnly, its call trace read and the diff
//! computed), against the same 40 calls executed one at a time, each mined before the next,
//! from an ethers v6 script (`tests/fixtures/ethers/send_calls.js`) on the same node.
//! Run: `cargo bench --bench simulate` (needs `npm ci`: anvil, the Safe's contracts, ethers;
//! `cargo test --benches` runs one round of 5 calls).

// Prints tables for scripts/bench.sh; clippy.toml's printing rule is for the app.
#![allow(clippy::disallowed_macros)]

#[path = "support/report.rs"]
mod report;

use alloy_dyn_abi::DynSolValue;
use alloy_rpc_client::RpcClient;
use owner_console::sandbox::deploy::{Sender, artifact, calldata};
use owner_console::sandbox::node::Node;
use owner_console::sandbox::real_safe::{SafeContracts, SafeSetup, deploy_safe};
use owner_console::simulate::{Abis, Simulation};
use owner_console::workspace::Workspace;
use owner_console::workspace::context::Context;
use report::{Aim, SMOKE, bench_line, median, millis};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

static CALLS: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 5 } else { 40 });
static ROUNDS: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 1 } else { 5 });

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let anvil = owner_console::sandbox::node::find_anvil(&[root]).expect("anvil: run npm ci");
    let node = Node::start(&anvil, 31337, &[]).expect("anvil starts");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let rpc = RpcClient::new_http_with_client(
        owner_console::net::ExtraRoots::default().client().unwrap(),
        node.url().parse().expect("url"),
    );
    let sender = Sender {
        rpc: &rpc,
        timeout: Duration::from_secs(10),
    };
    let owner = runtime.block_on(sender.accounts()).expect("accounts")[0];
    let contracts = SafeContracts::find(&[root]).expect("the Safe contracts: run npm ci");
    let setup = SafeSetup {
        owners: vec![owner],
        threshold: 1,
    };
    let safe = runtime
        .block_on(deploy_safe(&sender, owner, &contracts, &setup))
        .expect("the Safe deploys")
        .safe;
    let read = |relative: &str| std::fs::read_to_string(root.join(relative)).ok();
    let fee_pool = artifact("FeePool", &read).expect("the mock FeePool's artifact");
    let fee_pool = runtime
        .block_on(sender.deploy(owner, &fee_pool, &[DynSolValue::Address(safe)]))
        .expect("FeePool deploys");
    let calls: Vec<_> = (1..=*CALLS)
        .map(|pct| {
            let data = calldata("setBurnPct(uint256)", &[pct.to_string()]).expect("calldata");
            (fee_pool, data)
        })
        .collect();
    let batch = json!({
        "version": "1.0",
        "chainId": "31337",
        "createdAt": 0,
        "meta": { "name": "bench", "createdFromSafeAddress": safe.to_checksum(None) },
        "transactions": calls.iter().map(|(to, data)| json!({
            "to": to.to_checksum(None), "value": "0", "data": data.to_string(),
            "contractMethod": null, "contractInputsValues": null
        })).collect::<Vec<_>>(),
    });
    let batch_bytes = serde_json::to_vec_pretty(&batch).expect("json");
    let ctx = Context::load(Workspace::folder(root)).expect("the project's workspace");
    let catalogue = ctx.catalogue().expect("catalogue");
    let mut target =
        owner_console::chain::Target::at(&ctx, "demo", &node.url()).expect("the demo target");
    target.modules = BTreeMap::from([("FeePool".to_owned(), fee_pool)]);
    target.safe = Some(safe);
    target.plan = owner_console::chain::reads::plan(
        &catalogue,
        &target.modules,
        Some(safe),
        &BTreeMap::new(),
    );

    let calls_file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(
        calls_file.path(),
        json!({
            "url": node.url(),
            "from": safe.to_checksum(None),
            "calls": calls.iter().map(|(to, data)| json!({"to": to, "data": data})).collect::<Vec<_>>(),
        })
        .to_string(),
    )
    .expect("calls file");

    let mut simulated = Vec::new();
    let mut one_by_one = Vec::new();
    for _ in 0..*ROUNDS {
        let simulation = Simulation {
            ctx: ctx.clone(),
            target: target.clone(),
            batch_file: "bench.json".into(),
            batch_bytes: batch_bytes.clone(),
            block: None,
            domains: Vec::new(),
            from: None,
            abis: Abis::default(),
            anvil: anvil.clone(),
        };
        let start = Instant::now();
        let made = runtime.block_on(simulation.run()).expect("simulates");
        simulated.push(start.elapsed());
        assert!(
            made.execution.atomic && made.execution.succeeded,
            "{}",
            made.verdict
        );
        assert_eq!(made.calls.len(), *CALLS);
        assert!(made.calls.iter().all(|c| c.status == "succeeded"));

        let output = std::process::Command::new("node")
            .arg(root.join("tests/fixtures/ethers/send_calls.js"))
            .arg(calls_file.path())
            .env("NODE_PATH", root.join("node_modules"))
            .output()
            .expect("node runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let sent: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        assert_eq!(sent["mined"], *CALLS);
        one_by_one.push(Duration::from_secs_f64(
            sent["ms"].as_f64().expect("ms") / 1e3,
        ));
    }
    let (simulate, ethers) = (median(&simulated), median(&one_by_one));
    println!(
        "simulate: a batch of {} calls, {} rounds, median",
        *CALLS, *ROUNDS
    );
    println!("| how | time |");
    println!("|---|---|");
    println!(
        "| ethers v6, one call at a time, each mined (baseline) | {:.1} ms |",
        millis(ethers)
    );
    println!(
        "| `simulate`: fork, reads before and after, atomic execTransaction, trace, diff | {:.1} ms |",
        millis(simulate)
    );
    println!(
        "ratio: {:.2} (simulate / one by one)",
        simulate.as_secs_f64() / ethers.as_secs_f64()
    );
    bench_line(
        "simulate_40_calls",
        millis(simulate),
        millis(ethers),
        "ms",
        Aim::None,
    );
}
