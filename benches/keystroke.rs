//! `cargo bench --bench keystroke`: the console's work per keystroke while walking a runbook,
//! in-process: the one update path (`App::handle_key`) plus a draw into the console's own
//! backend (`LeanBackend`) whose writer counts the bytes that would reach the terminal (80×24).
//!
//! - update + draw time of keys that record nothing (median, p99), against the floor of a
//!   bare ratatui draw of a full screen of text with one line changed, in the same backend;
//! - keys that record a step (ledger append + fsync first), against a bare write + fsync of a
//!   line of the same size in the same folder;
//! - the bytes written for a step-to-step move, against a full redraw of the same screen
//!   (terminal cleared, then drawn), both in the console's backend and, for comparison, in
//!   crossterm's own, and against the text of the cells that the move changes, each written
//!   once with no cursor move or style (what any encoding must send at the least, but for
//!   erases of blank runs);
//! - the bytes written per idle 250 ms tick on a live network whose node does not answer.

// Prints tables for scripts/bench.sh; clippy.toml's printing rule is for the app.
#![allow(clippy::disallowed_macros)]

#[path = "support/report.rs"]
mod report;
#[path = "../tests/it/support/tui.rs"]
#[allow(dead_code)] // The bench uses a part of the tests' helpers.
mod tui;
#[path = "../tests/it/support/workspace.rs"]
#[allow(dead_code)] // The bench uses a part of the tests' helpers.
mod workspace;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use owner_console::tui::app::App;
use owner_console::tui::lean_backend::LeanBackend;
use owner_console::tui::views;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, TestBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use ratatui::{Terminal, TerminalOptions, Viewport};
use report::{Aim, SMOKE, bench_line, median, millis, percentile};
use std::cell::Cell;
use std::io::Write;
use std::rc::Rc;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

static WALKS: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 2 } else { 60 });
static IDLE_TICKS: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 4 } else { 16 });
const TICK: Duration = Duration::from_millis(250);

/// A walk through the failure-recovery matrix once started: tick two items (Space ticks and
/// moves on), Enter refused, tick the rest and complete (a step-to-step move), choose High
/// (another), then the flowchart, the cursor and the help popup.
const WALK: [KeyCode; 18] = [
    KeyCode::Char(' '),
    KeyCode::Down,
    KeyCode::Char(' '),
    KeyCode::Enter,
    KeyCode::Up,
    KeyCode::Up,
    KeyCode::Char(' '),
    KeyCode::Char(' '),
    KeyCode::Enter,
    KeyCode::Down,
    KeyCode::Down,
    KeyCode::Enter,
    KeyCode::Char('f'),
    KeyCode::Esc,
    KeyCode::Down,
    KeyCode::Up,
    KeyCode::Char('?'),
    KeyCode::Esc,
];
/// The key in [`WALK`] that completes the first step.
const STEP_MOVE: usize = 8;

/// A terminal writer that only counts what it is given.
#[derive(Clone, Default)]
struct CountingWriter(Rc<Cell<u64>>);

impl Write for CountingWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + bytes.len() as u64);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

type CountingTerminal = Terminal<LeanBackend<CountingWriter>>;

fn counting_terminal<B: Backend>(
    backend: impl FnOnce(CountingWriter) -> B,
) -> (Terminal<B>, Rc<Cell<u64>>) {
    let writer = CountingWriter::default();
    let count = writer.0.clone();
    let terminal = Terminal::with_options(
        backend(writer),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
        },
    )
    .expect("terminal");
    (terminal, count)
}

fn terminal() -> (CountingTerminal, Rc<Cell<u64>>) {
    counting_terminal(LeanBackend::new)
}

fn crossterm_terminal() -> (Terminal<CrosstermBackend<CountingWriter>>, Rc<Cell<u64>>) {
    counting_terminal(CrosstermBackend::new)
}

/// The bytes of a full redraw of `app`'s screen: the terminal cleared, then drawn on a fresh
/// `Terminal`.
fn full_redraw<B: Backend>(app: &App, (mut fresh, count): (Terminal<B>, Rc<Cell<u64>>)) -> u64 {
    fresh
        .backend_mut()
        .clear_region(ClearType::All)
        .map_err(|_| "clear")
        .expect("clear");
    draw(&mut fresh, app);
    count.get()
}

/// The screen that `app` draws, as cells.
fn rendered(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    draw(&mut terminal, app);
    terminal.backend().buffer().clone()
}

/// The bytes of the text of the cells that differ between two screens.
fn changed_cell_bytes(before: &Buffer, after: &Buffer) -> u64 {
    before
        .diff(after)
        .iter()
        .map(|(_, _, cell)| cell.symbol().len() as u64)
        .sum()
}

fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &App) {
    terminal
        .draw(|frame| views::draw(frame, app))
        .map_err(|_| "draw")
        .expect("draw");
}

fn press(app: &mut App, code: KeyCode) {
    let task = app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    assert!(task.is_none(), "no background task expected");
}

#[derive(Default)]
struct Samples {
    plain: Vec<Duration>,
    recording: Vec<Duration>,
    step_move_bytes: Vec<u64>,
    full_redraw_bytes: Vec<u64>,
    crossterm_step_move_bytes: Vec<u64>,
    crossterm_full_redraw_bytes: Vec<u64>,
    changed_cell_bytes: Vec<u64>,
    recorded_line: usize,
}

fn walk(samples: &mut Samples) {
    let (mut app, workspace) = tui::shipped_app(true, |_| {});
    tui::verify(&mut app);
    let (mut terminal, count) = terminal();
    let (mut crossterm, crossterm_count) = crossterm_terminal();
    draw(&mut terminal, &app);
    draw(&mut crossterm, &app);
    for c in tui::START_MATRIX.chars() {
        press(&mut app, tui::key_code(c));
        draw(&mut terminal, &app);
        draw(&mut crossterm, &app);
    }
    for (index, code) in WALK.into_iter().enumerate() {
        let (entries, bytes) = (app.entries(), count.get());
        let crossterm_bytes = crossterm_count.get();
        let before = (index == STEP_MOVE).then(|| rendered(&app));
        let started = Instant::now();
        press(&mut app, code);
        draw(&mut terminal, &app);
        let took = started.elapsed();
        draw(&mut crossterm, &app);
        if app.entries() > entries {
            samples.recording.push(took);
        } else {
            samples.plain.push(took);
        }
        if index == STEP_MOVE {
            assert!(
                app.entries() > entries,
                "the step-move key recorded nothing"
            );
            samples.step_move_bytes.push(count.get() - bytes);
            samples
                .full_redraw_bytes
                .push(full_redraw(&app, self::terminal()));
            samples
                .crossterm_step_move_bytes
                .push(crossterm_count.get() - crossterm_bytes);
            samples
                .crossterm_full_redraw_bytes
                .push(full_redraw(&app, crossterm_terminal()));
            if let Some(before) = before {
                samples
                    .changed_cell_bytes
                    .push(changed_cell_bytes(&before, &rendered(&app)));
            }
        }
    }
    let journal = workspace.path().join("storage/owner-ledger.jsonl");
    let text = std::fs::read_to_string(journal).expect("journal");
    samples.recorded_line = text.lines().map(str::len).max().unwrap_or(0);
}

/// The floor of a keystroke: a bare ratatui draw of 24 lines of text, one of them changed.
fn draw_floor(rounds: usize) -> Vec<Duration> {
    let (mut terminal, _) = terminal();
    let lines: Vec<String> = (0..24)
        .map(|row| format!("row {row:02}: {}", "text of a full screen ".repeat(3)))
        .collect();
    (0..rounds)
        .map(|round| {
            let mut text = lines.clone();
            text[round % 24] = format!("row changed in round {round}");
            let started = Instant::now();
            terminal
                .draw(|frame| frame.render_widget(Paragraph::new(text.join("\n")), frame.area()))
                .expect("draw");
            started.elapsed()
        })
        .collect()
}

/// The floor of a recording key: `write_all` + `sync_data` of a line of `length` bytes.
fn fsync_floor(rounds: usize, length: usize) -> Vec<Duration> {
    let folder = tempfile::tempdir().expect("scratch");
    let mut file = std::fs::File::create(folder.path().join("floor.jsonl")).expect("file");
    let line = vec![b'x'; length];
    (0..rounds)
        .map(|_| {
            let started = Instant::now();
            file.write_all(&line).expect("write");
            file.sync_data().expect("sync");
            started.elapsed()
        })
        .collect()
}

/// Bytes and draws per idle tick of the event loop on a live network whose node refuses
/// connections, in the run view, after the first refresh failed.
fn idle_ticks() -> (f64, f64) {
    let (mut app, _workspace) = tui::shipped_app(false, |folder| {
        let networks = folder.join("config/networks.toml");
        let text = std::fs::read_to_string(&networks).expect("networks.toml");
        let live = text.replace(
            "rpc_env = \"OWNER_CONSOLE_DEMO_RPC_URL\"",
            "rpc_env = \"OWNER_CONSOLE_BENCH_DEAD_RPC_URL\"",
        );
        std::fs::write(networks, live).expect("write networks.toml");
    });
    assert!(!app.is_live() || app.network() == "demo");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (mut terminal, count) = terminal();
    for c in tui::START_MATRIX.chars() {
        press(&mut app, tui::key_code(c));
    }
    assert!(app.is_live(), "the run is not on a live network");
    draw(&mut terminal, &app);
    let step = |app: &mut App, terminal: &mut CountingTerminal| {
        let tick = app.tick(Instant::now());
        let mut drawn = tick.redraw;
        if let Some(task) = tick.task {
            app.on_task_done(runtime.block_on(task.execute()));
            drawn = true;
        }
        if drawn {
            draw(terminal, app);
        }
        drawn
    };
    // The first refresh fails; then the screen should hold still.
    step(&mut app, &mut terminal);
    let (before, mut draws) = (count.get(), 0);
    for _ in 0..*IDLE_TICKS {
        std::thread::sleep(TICK);
        draws += usize::from(step(&mut app, &mut terminal));
    }
    let ticks = *IDLE_TICKS as f64;
    ((count.get() - before) as f64 / ticks, draws as f64 / ticks)
}

fn main() {
    // SAFETY: set before any other thread runs; the workspace's demo network reads it.
    unsafe { std::env::set_var("OWNER_CONSOLE_BENCH_DEAD_RPC_URL", "http://127.0.0.1:9") };
    let mut samples = Samples::default();
    for _ in 0..*WALKS {
        walk(&mut samples);
    }
    let floor = draw_floor(samples.plain.len());
    let sync = fsync_floor(samples.recording.len(), samples.recorded_line + 1);
    let (idle_bytes, idle_draws) = idle_ticks();

    let (plain_median, plain_p99) = (median(&samples.plain), percentile(&samples.plain, 99.0));
    let (floor_median, floor_p99) = (median(&floor), percentile(&floor, 99.0));
    let (record_median, sync_median) = (median(&samples.recording), median(&sync));
    let mean = |bytes: &[u64]| bytes.iter().sum::<u64>() as f64 / *WALKS as f64;
    let step_bytes = mean(&samples.step_move_bytes);
    let full_bytes = mean(&samples.full_redraw_bytes);
    let crossterm_step_bytes = mean(&samples.crossterm_step_move_bytes);
    let crossterm_full_bytes = mean(&samples.crossterm_full_redraw_bytes);
    let changed_bytes = mean(&samples.changed_cell_bytes);
    println!(
        "keystroke bench{}: {} walks, {} keys that record nothing, {} that record a step; 80×24",
        if *SMOKE { " (smoke run)" } else { "" },
        *WALKS,
        samples.plain.len(),
        samples.recording.len()
    );
    println!(
        "update + draw, keys that record nothing: median {:.3} ms, p99 {:.3} ms; bare draw floor: median {:.3} ms, p99 {:.3} ms",
        millis(plain_median),
        millis(plain_p99),
        millis(floor_median),
        millis(floor_p99)
    );
    println!(
        "keys that record a step: median {:.3} ms; bare write + fsync of a {}-byte line: median {:.3} ms",
        millis(record_median),
        samples.recorded_line + 1,
        millis(sync_median)
    );
    println!(
        "bytes to the terminal: step-to-step move {step_bytes:.0}, full redraw of the same screen {full_bytes:.0} ({:.1}%); idle tick {idle_bytes:.1} bytes, {idle_draws:.2} draws per tick",
        100.0 * step_bytes / full_bytes
    );
    println!(
        "in crossterm's own backend: step-to-step move {crossterm_step_bytes:.0}, full redraw {crossterm_full_bytes:.0} ({:.1}%)",
        100.0 * crossterm_step_bytes / crossterm_full_bytes
    );
    println!(
        "the move's changed cells, their text written once each: {changed_bytes:.0} bytes ({:.1}% of the full redraw; the move writes {:.2}× that)",
        100.0 * changed_bytes / full_bytes,
        step_bytes / changed_bytes
    );
    bench_line(
        "keystroke_median",
        millis(plain_median),
        millis(floor_median),
        "ms",
        Aim::None,
    );
    bench_line(
        "keystroke_p99",
        millis(plain_p99),
        millis(floor_p99),
        "ms",
        Aim::AtMost(1.0),
    );
    bench_line(
        "recording_keystroke_median",
        millis(record_median),
        millis(sync_median),
        "ms",
        Aim::None,
    );
    bench_line(
        "step_move_bytes",
        step_bytes,
        full_bytes,
        "bytes",
        Aim::RatioAtMost(0.15),
    );
    bench_line(
        "step_move_bytes_crossterm",
        crossterm_step_bytes,
        crossterm_full_bytes,
        "bytes",
        Aim::None,
    );
    bench_line(
        "step_move_bytes_saved",
        step_bytes,
        crossterm_step_bytes,
        "bytes",
        Aim::None,
    );
    bench_line(
        "step_move_bytes_over_changed_cells",
        step_bytes,
        changed_bytes,
        "bytes",
        Aim::None,
    );
    bench_line(
        "idle_tick_bytes",
        idle_bytes,
        full_bytes,
        "bytes",
        Aim::None,
    );
    // The floor: one draw per tick, as the loop drew before it asked the app.
    bench_line("idle_tick_draws", idle_draws, 1.0, "draws", Aim::None);
}
