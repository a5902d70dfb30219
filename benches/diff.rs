//! Diff + classify + guardrails over a generated config of 10,000 parameters, beside the floor:
//! merely parsing the two JSON documents (the proposed config and the state snapshot).
//! Run: `cargo bench --bench diff` (`cargo test --benches` runs it on 500 parameters).

// Prints tables for scripts/bench.sh; clippy.toml's printing rule is for the app.
#![allow(clippy::disallowed_macros)]

#[path = "support/report.rs"]
mod report;

use owner_console::catalogue::Catalogue;
use owner_console::catalogue::config_set::ConfigSet;
use owner_console::diff::compute;
use owner_console::diff::source::from_snapshot;
use owner_console::workspace::snapshot::StateSnapshot;
use report::{Aim, SMOKE, bench_line, millis};
use std::fmt::Write;
use std::sync::LazyLock;
use std::time::Instant;

static PARAMETERS: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 500 } else { 10_000 });
const FILES: usize = 10;
static ROUNDS: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 3 } else { 30 });

struct Generated {
    catalogue: Catalogue,
    files: Vec<(String, String)>,
    snapshot: String,
}

fn generate() -> Generated {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/catalogue.toml"
    ))
    .expect("config/catalogue.toml");
    let rules_end = base
        .find("[[parameters]]")
        .expect("the catalogue has parameters");
    let mut toml = base[..rules_end].to_owned();
    let mut configs: Vec<serde_json::Map<String, serde_json::Value>> =
        vec![serde_json::Map::new(); FILES];
    let mut values = serde_json::Map::new();
    for index in 0..*PARAMETERS {
        let file = index % FILES;
        let (kind, unit, proposed, current) = match index % 4 {
            0 => (
                "uint",
                "percent",
                serde_json::json!(index % 100),
                serde_json::json!((index + index % 7) % 100),
            ),
            1 => (
                "uint",
                "tokens",
                serde_json::json!(format!("{}", index)),
                serde_json::json!(format!("{}000000000000000000", index)),
            ),
            2 => (
                "address",
                "",
                serde_json::json!(format!("0x{:040x}", index + 1)),
                serde_json::json!(format!("0x{:040x}", index + 1 + (index % 3))),
            ),
            _ => (
                "bool",
                "",
                serde_json::json!(index % 2 == 0),
                serde_json::json!(index % 5 == 0),
            ),
        };
        let id = format!("Module{file}.p{index}");
        let chain_unit = if unit == "tokens" {
            "chain_unit = \"wei\"\n"
        } else {
            ""
        };
        let unit = if unit.is_empty() {
            String::new()
        } else {
            format!("unit = \"{unit}\"\n")
        };
        let _ = write!(
            toml,
            "[[parameters]]\nid = \"{id}\"\ndomain = \"fees\"\nfile = \"f{file}\"\npath = \"/p{index}\"\nkind = \"{kind}\"\n{unit}{chain_unit}\n"
        );
        configs[file].insert(format!("p{index}"), proposed);
        values.insert(id, current);
    }
    let catalogue = Catalogue::parse(&toml).expect("the generated catalogue parses");
    let files = configs
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            (
                format!("f{i}.bench.json"),
                serde_json::Value::Object(c).to_string(),
            )
        })
        .collect();
    let snapshot = serde_json::json!({
        "network": "bench", "chain_id": 1, "taken_at": "2026-11-23T00:00:00Z",
        "block": { "number": 1, "hash": format!("0x{}", "ab".repeat(32)), "timestamp": "2026-11-23T00:00:00Z" },
        "values": values,
    })
    .to_string();
    Generated {
        catalogue,
        files,
        snapshot,
    }
}

fn main() {
    let generated = generate();
    let read = |name: &str| {
        generated
            .files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
    };
    let mut floor = Vec::new();
    let mut full = Vec::new();
    let mut changes = 0;
    for _ in 0..*ROUNDS {
        let start = Instant::now();
        for (_, text) in &generated.files {
            std::hint::black_box(serde_json::from_str::<serde_json::Value>(text).expect("json"));
        }
        std::hint::black_box(
            serde_json::from_str::<serde_json::Value>(&generated.snapshot).expect("json"),
        );
        floor.push(start.elapsed());

        let start = Instant::now();
        let proposed = ConfigSet::load(&generated.catalogue, "bench", read);
        let snapshot = StateSnapshot::parse("bench", &generated.snapshot).expect("snapshot");
        let current = from_snapshot(&generated.catalogue, &snapshot, "bench");
        let diff = compute(
            &generated.catalogue,
            "bench",
            &current.values,
            &proposed.values,
            current.complete,
            &current.unread,
        );
        changes = diff.changes.len();
        std::hint::black_box(diff);
        full.push(start.elapsed());
    }
    let (floor, full) = (report::median(&floor), report::median(&full));
    println!(
        "diff of {} parameters ({changes} changed), median of {} rounds",
        *PARAMETERS, *ROUNDS
    );
    println!("{:<48} {:>10}", "what", "median");
    println!(
        "{:<48} {:>8.2} ms",
        "floor: parse the two JSON documents",
        floor.as_secs_f64() * 1e3
    );
    println!(
        "{:<48} {:>8.2} ms",
        "load + normalise + diff + classify + guardrails",
        full.as_secs_f64() * 1e3
    );
    println!(
        "ratio {:.2}x the floor; aim: ≤ 20 ms",
        full.as_secs_f64() / floor.as_secs_f64()
    );
    bench_line("diff", millis(full), millis(floor), "ms", Aim::AtMost(20.0));
}
