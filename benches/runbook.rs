//! Loading a runbook of 175,000 steps (TOML syntax, unknown keys, every check, the step
//! graph), valid and with a problem in every step, beside the floor: parsing the same text
//! alone with `toml` into a table. Run: `cargo bench --bench runbook` (`cargo test --benches`
//! runs it on 2,000 steps).

// Prints tables for scripts/bench.sh; clippy.toml's printing rule is for the app.
#![allow(clippy::disallowed_macros)]

#[path = "../tests/it/support/big_runbook.rs"]
mod big_runbook;
#[path = "support/report.rs"]
mod report;

use owner_console::runbook::load_text;
use report::{Aim, SMOKE, bench_line, median, millis};
use std::path::Path;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

static STEPS: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 2_000 } else { 175_000 });
static ROUNDS: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 1 } else { 5 });

fn main() {
    println!(
        "runbook bench{}: {} steps, median of {} rounds",
        if *SMOKE { " (smoke run)" } else { "" },
        *STEPS,
        *ROUNDS
    );
    // The aim is the valid runbook's; the broken one (every step with two or three problems,
    // each located and with its hint, and the text parsed once more for their places) is
    // reported only.
    for (id, text, broken, aim) in [
        (
            "runbook_validation",
            big_runbook::valid(*STEPS),
            false,
            Aim::RatioAtMost(3.0),
        ),
        (
            "runbook_validation_broken",
            big_runbook::broken(*STEPS),
            true,
            Aim::None,
        ),
    ] {
        let (load, floor, problems) = measure(&text);
        assert_eq!(problems > 0, broken, "{id}: {problems} problems");
        println!(
            "{id}: {:.1} MB, {problems} problems: load {:.0} ms, toml alone {:.0} ms, ratio {:.2}x{}",
            text.len() as f64 / 1e6,
            millis(load),
            millis(floor),
            load.as_secs_f64() / floor.as_secs_f64(),
            if broken {
                ""
            } else {
                " (aim ≤ 3x, and under 2 s)"
            }
        );
        bench_line(id, millis(load), millis(floor), "ms", aim);
    }
}

/// Medians of the load and of the floor, alternated; and the problems the load found.
fn measure(text: &str) -> (Duration, Duration, usize) {
    let (mut loads, mut floors, mut problems) = (Vec::new(), Vec::new(), 0);
    for _ in 0..*ROUNDS {
        let start = Instant::now();
        let table: toml::Table = text.parse().expect("the generated text is TOML");
        floors.push(start.elapsed());
        drop(std::hint::black_box(table));

        let start = Instant::now();
        let loaded = load_text(Path::new(big_runbook::SHOWN_PATH), text);
        loads.push(start.elapsed());
        problems = loaded.problems.len();
        drop(std::hint::black_box(loaded));
    }
    (median(&loads), median(&floors), problems)
}
