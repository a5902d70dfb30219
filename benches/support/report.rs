//! What every bench shares: the smoke switch, percentiles, and the machine-readable line that
//! `scripts/bench.sh` gathers into one table.

#![allow(dead_code)] // Each bench uses a different part.

use std::sync::LazyLock;
use std::time::Duration;

/// `cargo bench` passes `--bench`; run otherwise (`cargo test --benches`), a bench only checks
/// that it works, on small sizes.
pub static SMOKE: LazyLock<bool> = LazyLock::new(|| !std::env::args().any(|a| a == "--bench"));

/// Which way a figure is good: a figure whose ratio to its floor must stay at most, or at
/// least, the aim.
#[derive(Clone, Copy)]
pub enum Aim {
    AtMost(f64),
    AtLeast(f64),
}

/// Prints `BENCH <id> <figure> <floor> <ratio> <unit> <aim>` (one line, spaces only between
/// fields; the aim as `<=N` or `>=N`, applied to the ratio), for `scripts/bench.sh`.
pub fn bench_line(id: &str, figure: f64, floor: f64, unit: &str, aim: Aim) {
    let ratio = figure / floor;
    let aim = match aim {
        Aim::AtMost(n) => format!("<={n}"),
        Aim::AtLeast(n) => format!(">={n}"),
    };
    println!("BENCH {id} {figure:.4} {floor:.4} {ratio:.4} {unit} {aim}");
}

/// The sample at `pct` percent (nearest rank) of `samples`.
pub fn percentile(samples: &[Duration], pct: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((pct / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank]
}

pub fn median(samples: &[Duration]) -> Duration {
    percentile(samples, 50.0)
}

pub fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}
