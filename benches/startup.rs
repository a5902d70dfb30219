//! `cargo bench --bench startup`: the real binary in a pseudo-terminal, opened on the embedded
//! workspace with a 10,000-entry ledger (signed by a listed operator, so it verifies):
//!
//! - start-up to the first complete frame (the start screen with the ledger counted), against
//!   the floor of a bare ratatui program that draws one frame (this bench binary run again
//!   with `OWNER_CONSOLE_BENCH_FLOOR=1`), started the same way in the same kind of pty;
//! - peak memory (VmHWM from /proc) once the whole ledger has verified, against the floor's.
//!
//! Rounds alternate the floor and the app; medians are reported.

// Prints tables for scripts/bench.sh; clippy.toml's printing rule is for the app.
#![allow(clippy::disallowed_macros)]

#[path = "../tests/it/support/cli.rs"]
#[allow(dead_code)] // The bench uses a part of the tests' helpers.
mod cli;
#[path = "../tests/it/support/ledger.rs"]
#[allow(dead_code)] // The bench uses a part of the tests' helpers.
mod ledger;
#[path = "../tests/it/support/pty.rs"]
#[allow(dead_code, unused_imports)] // The bench uses a part of the tests' helpers.
mod pty;
#[path = "support/report.rs"]
mod report;
#[path = "../tests/it/support/sandbox.rs"]
#[allow(dead_code)] // The bench uses a part of the tests' helpers.
mod sandbox;
#[path = "../tests/it/support/workspace.rs"]
#[allow(dead_code)] // The bench uses a part of the tests' helpers.
mod workspace;

use owner_console::session::Session;
use owner_console::workspace::Workspace;
use portable_pty::CommandBuilder;
use pty::{PtyApp, Sandbox, TIMEOUT};
use report::{Aim, SMOKE, bench_line, median, millis};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

const FLOOR_SWITCH: &str = "OWNER_CONSOLE_BENCH_FLOOR";
const FLOOR_TEXT: &str = "floor: one bare ratatui frame";
static ENTRIES: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 200 } else { 10_000 });
static ROUNDS: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 1 } else { 9 });
const COLS: u16 = 80;
const ROWS: u16 = 24;

fn main() {
    if std::env::var_os(FLOOR_SWITCH).is_some() {
        bare_frame();
        return;
    }
    let sandbox = Sandbox::new();
    let started = Instant::now();
    let session = Session::open(Workspace::embedded().expect("embedded"), "bench".into())
        .expect("the embedded workspace opens");
    ledger::write_runs(
        session,
        workspace::example_operator_key(),
        &sandbox.journal(),
        *ENTRIES,
    );
    let size = std::fs::metadata(sandbox.journal()).expect("journal").len();
    println!(
        "startup bench{}: {} entries ({:.1} MB) written in {:.1?}; {COLS}×{ROWS} pty; {} rounds",
        if *SMOKE { " (smoke run)" } else { "" },
        *ENTRIES,
        size as f64 / 1e6,
        started.elapsed(),
        *ROUNDS
    );

    let (mut app_frame, mut floor_frame) = (Vec::new(), Vec::new());
    let (mut app_peak, mut floor_peak) = (Vec::new(), Vec::new());
    for _ in 0..*ROUNDS {
        let (frame, peak) = floor_round();
        floor_frame.push(frame);
        floor_peak.push(peak);
        let (frame, peak) = app_round(&sandbox);
        app_frame.push(frame);
        app_peak.push(peak);
    }
    let (app, floor) = (median(&app_frame), median(&floor_frame));
    println!(
        "first complete frame: app {:.1} ms, bare ratatui {:.1} ms (medians; app samples {:?})",
        millis(app),
        millis(floor),
        app_frame
            .iter()
            .map(|d| millis(*d).round())
            .collect::<Vec<_>>()
    );
    let mib = |kib: &[u64]| {
        let mut sorted = kib.to_vec();
        sorted.sort();
        sorted[sorted.len() / 2] as f64 / 1024.0
    };
    let (app_mib, floor_mib) = (mib(&app_peak), mib(&floor_peak));
    println!(
        "peak RSS (VmHWM) after the ledger verified: app {app_mib:.1} MiB, bare ratatui {floor_mib:.1} MiB (aim: app ≤ 40 MiB)"
    );
    bench_line(
        "startup_first_frame",
        millis(app),
        millis(floor),
        "ms",
        Aim::RatioAtMost(3.0),
    );
    bench_line("peak_rss", app_mib, floor_mib, "MiB", Aim::AtMost(40.0));
}

/// The floor: a bare ratatui program that draws one frame and waits for a key.
fn bare_frame() {
    use ratatui::widgets::{Block, Paragraph};
    let mut terminal = ratatui::init();
    let drawn = terminal.draw(|frame| {
        frame.render_widget(
            Paragraph::new(FLOOR_TEXT).block(Block::bordered()),
            frame.area(),
        )
    });
    while drawn.is_ok() {
        match crossterm::event::read() {
            Ok(crossterm::event::Event::Key(_)) | Err(_) => break,
            Ok(_) => {}
        }
    }
    ratatui::restore();
}

fn floor_round() -> (Duration, u64) {
    let exe = std::env::current_exe().expect("current_exe");
    let mut command = CommandBuilder::new(exe);
    command.env_clear();
    command.env("TERM", "xterm-256color");
    command.env(FLOOR_SWITCH, "1");
    let start = Instant::now();
    let mut floor = PtyApp::spawn(command, COLS, ROWS);
    floor.wait_for(FLOOR_TEXT, TIMEOUT);
    let frame = start.elapsed();
    let peak = peak_kib(floor.pid());
    floor.send("q");
    assert!(
        floor.wait_exit(TIMEOUT).success(),
        "the floor program failed"
    );
    (frame, peak)
}

fn app_round(sandbox: &Sandbox) -> (Duration, u64) {
    let count = *ENTRIES;
    let (counting, verified) = (format!("{count} verifying"), format!("✓{count} verified"));
    let start = Instant::now();
    let mut app = PtyApp::spawn(sandbox.command(&[]), COLS, ROWS);
    app.wait_until("the start screen with the ledger counted", TIMEOUT, |s| {
        let text = s.contents();
        text.contains(" Runbooks ") && (text.contains(&counting) || text.contains(&verified))
    });
    let frame = start.elapsed();
    app.wait_for(&verified, TIMEOUT);
    let peak = peak_kib(app.pid());
    app.send("q");
    assert!(app.wait_exit(TIMEOUT).success(), "the console failed");
    (frame, peak)
}

/// The peak resident set of a running process, in KiB (VmHWM in /proc/PID/status).
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}
