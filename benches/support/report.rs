//! What every bench shares: the smoke switch, percentiles, and the machine-readable line that
//! `scripts/bench.sh` gathers into one table.

#![allow(dead_code)] // Each bench uses a different part.

use std::sync::LazyLock;
use std::time::Duration;

/// `cargo bench` passes `--bench`; run otherwise (`cargo test --benches`), a bench only checks
/// that it works, on small sizes.
pub static SMOKE: LazyLock<bool> = LazyLock::new(|| !std::env::args().any(|a| a == "--bench"));

/// What a figure should meet: its ratio to the floor at most, or at least, a number; the
/// figure itself at most a number; or nothing (reported only).
#[derive(Clone, Copy)]
pub enum Aim {
    RatioAtMost(f64),
    RatioAtLeast(f64),
    AtMost(f64),
    None,
}

/// Prints `BENCH <id> <figure> <floor> <ratio> <unit> <aim>` (one line, spaces only between
/// fields; the aim as `ratio<=N`, `ratio>=N`, `value<=N` or `-`), for `scripts/bench.sh`.
pub fn bench_line(id: &str, figure: f64, floor: f64, unit: &str, aim: Aim) {
    let ratio = figure / floor;
    let aim = match aim {
        Aim::RatioAtMost(n) => format!("ratio<={n}"),
        Aim::RatioAtLeast(n) => format!("ratio>={n}"),
        Aim::AtMost(n) => format!("value<={n}"),
        Aim::None => "-".to_owned(),
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
