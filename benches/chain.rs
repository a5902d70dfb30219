//! 100 catalogue reads over a loopback link with 20 ms of injected latency per HTTP request:
//! the console's batched, block-pinned read (one JSON-RPC batch) against the same 100 reads
//! sent one call at a time, measured in the same run against the same node.
//! Run: `cargo bench --bench chain` (needs `npm ci` for anvil; `cargo test --benches` runs
//! one round of 20 reads).

// Prints tables for scripts/bench.sh; clippy.toml's printing rule is for the app.
#![allow(clippy::disallowed_macros)]

#[path = "support/report.rs"]
mod report;
#[path = "../tests/it/support/rpc_proxy.rs"]
#[allow(dead_code)] // The bench uses a part of the tests' helpers.
mod rpc_proxy;

use alloy_primitives::Bytes;
use alloy_rpc_client::RpcClient;
use owner_console::catalogue::Catalogue;
use owner_console::chain::client::Call;
use owner_console::chain::{Chain, Endpoint, reads};
use owner_console::sandbox::deploy::{Sender, deploy_platform};
use owner_console::sandbox::node::{Node, find_anvil};
use owner_console::sandbox::real_safe::{SafeContracts, SafeSetup};
use report::{Aim, SMOKE, bench_line, median, millis};
use rpc_proxy::Proxy;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

static READS: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 20 } else { 100 });
const LATENCY: Duration = Duration::from_millis(20);
static ROUNDS: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 1 } else { 7 });

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |relative: &str| std::fs::read_to_string(root.join(relative)).ok();
    let catalogue =
        Catalogue::parse(&read("config/catalogue.toml").expect("catalogue")).expect("parses");
    let node = Node::start(&find_anvil(&[root]).expect("anvil: run npm ci"), 31337, &[])
        .expect("anvil starts");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let direct = RpcClient::new_http_with_client(
        owner_console::net::ExtraRoots::default().client().unwrap(),
        node.url().parse().expect("url"),
    );
    let snapshot: serde_json::Value =
        serde_json::from_str(&read("assets/demo-state.json").expect("snapshot")).expect("json");
    let values: BTreeMap<String, serde_json::Value> =
        serde_json::from_value(snapshot["values"].clone()).expect("values");
    let sender = Sender {
        rpc: &direct,
        timeout: Duration::from_secs(10),
    };
    let owners = runtime.block_on(sender.accounts()).expect("accounts");
    let safe = SafeSetup {
        owners: owners[1..3].to_vec(),
        threshold: 2,
    };
    let contracts = SafeContracts::find(&[root]).expect("the Safe contracts: run npm ci");
    let deployment = runtime
        .block_on(deploy_platform(
            &sender,
            &catalogue,
            &read,
            &values,
            (&contracts, &safe),
        ))
        .expect("the platform deploys");
    let plan = reads::plan(
        &catalogue,
        &deployment.contracts,
        Some(deployment.safe),
        &BTreeMap::new(),
    );
    let calls: Vec<Call> = plan.calls().into_iter().cycle().take(*READS).collect();

    let proxy = Proxy::start(node.port);
    proxy.set_latency(LATENCY);
    let endpoint = Endpoint::new("bench", 31337, &proxy.url(), Duration::from_secs(30));
    let chain = Chain::connect(endpoint).expect("connects");
    let link = RpcClient::new_http_with_client(
        owner_console::net::ExtraRoots::default().client().unwrap(),
        proxy.url().parse().expect("url"),
    );
    runtime.block_on(chain.head()).expect("head");

    let mut batched = Vec::new();
    let mut batched_requests = Vec::new();
    let mut one_by_one = Vec::new();
    let mut one_by_one_requests = Vec::new();
    for _ in 0..*ROUNDS {
        let before = proxy.requests();
        let start = Instant::now();
        let reading = runtime.block_on(chain.read(&calls)).expect("batched read");
        batched.push(start.elapsed());
        batched_requests.push(proxy.requests() - before);
        assert_eq!(reading.outcomes.len(), *READS);

        let before = proxy.requests();
        let start = Instant::now();
        let at = serde_json::json!({ "blockHash": reading.block.hash });
        for call in &calls {
            let request = serde_json::json!({ "to": call.to, "data": call.data });
            let answer: Result<Bytes, _> =
                runtime.block_on(link.request("eth_call", (request, at.clone())));
            std::hint::black_box(answer.ok());
        }
        one_by_one.push(start.elapsed());
        one_by_one_requests.push(proxy.requests() - before);
    }
    let (fast, slow) = (median(&batched), median(&one_by_one));
    println!(
        "chain reads: {} catalogue reads, {} ms latency per HTTP request, {} rounds, median",
        *READS,
        LATENCY.as_millis(),
        *ROUNDS
    );
    println!("| read | time | HTTP requests per refresh |");
    println!("|---|---|---|");
    println!(
        "| one call at a time (baseline) | {:.1} ms | {} |",
        slow.as_secs_f64() * 1e3,
        one_by_one_requests[0]
    );
    println!(
        "| batched, pinned to one block | {:.1} ms | {:?} |",
        fast.as_secs_f64() * 1e3,
        batched_requests
    );
    println!(
        "speed-up: {:.1}× (aim ≥ 20×); requests per steady refresh: {}",
        slow.as_secs_f64() / fast.as_secs_f64(),
        batched_requests.iter().max().unwrap_or(&0)
    );
    bench_line(
        "chain_reads_batched",
        millis(fast),
        millis(slow),
        "ms",
        Aim::RatioAtMost(0.05),
    );
}
