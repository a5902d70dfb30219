//! The terminal view: a thin layer over `Session`. One loop: keys, background results and
//! signals in; draw once after each, only when something changed.

pub mod action;
pub mod app;
pub mod clipboard;
pub mod home;
pub mod keymap;
pub mod lean_backend;
pub mod ledger_screen;
pub mod live;
pub mod metrics_screen;
pub mod network;
pub mod outcome;
pub mod popups;
pub mod run;
pub mod run_listing;
pub mod shared;
pub mod state_panel;
pub mod status;
pub mod task;
pub mod theme;
pub mod views;

use crate::cli::unlock::GivenKey;
use crate::session::Session;
use crate::session::run_index::IndexFile;
use crate::workspace::settings::Settings;
use app::App;
use color_eyre::eyre::eyre;
use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use futures::StreamExt;
use keymap::Keymap;
use lean_backend::LeanBackend;
use ratatui::Terminal;
use std::io::Stdout;
use task::Task;
use theme::Theme;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

/// Builds the app from the user's settings; a bad setting stops here, before the screen
/// changes, with the setting named.
pub fn build_app(session: Session, index_file: IndexFile) -> color_eyre::Result<App> {
    let settings = Settings::load().map_err(|e| eyre!("settings: {e}"))?;
    let keymap = Keymap::default()
        .with_overrides(&settings.keys)
        .map_err(|e| eyre!("settings: {e}"))?;
    let theme =
        Theme::new(Theme::color_wanted(), &settings.colors).map_err(|e| eyre!("settings: {e}"))?;
    Ok(App::with_index_file(session, keymap, theme, index_file))
}

/// Runs the console; `given`, a key whose passphrase was given, is unlocked after the first
/// frame.
pub fn run(mut app: App, given: Option<GivenKey>) -> color_eyre::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let mut terminal = init_terminal()?;
    let result = runtime.block_on(event_loop(&mut terminal, &mut app, given));
    // However the console ends (quit, SIGTERM, SIGHUP), an open note editor's text is kept.
    if let Err(error) = app.keep_draft() {
        tracing::error!("the note draft was not kept: {error}");
    }
    ratatui::restore();
    result
}

/// The console's terminal: crossterm's backend with a leaner draw.
pub type ConsoleTerminal = Terminal<LeanBackend<Stdout>>;

/// As `ratatui::init`, with the console's backend: raw mode, the alternate screen, and a panic
/// hook that restores the terminal first.
fn init_terminal() -> std::io::Result<ConsoleTerminal> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        ratatui::restore();
        hook(info);
    }));
    crossterm::terminal::enable_raw_mode()?;
    // The first frame draws only what is not blank: whatever the screen held before must go
    // first. Entering the alternate screen does not clear it when the terminal is already on
    // it (xterm, tmux), as a console killed with SIGKILL leaves it.
    crossterm::execute!(
        std::io::stdout(),
        crossterm::style::Print(RESET_MODES),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All),
        crossterm::cursor::MoveTo(0, 0),
    )?;
    Terminal::new(LeanBackend::new(std::io::stdout()))
}

/// The modes an earlier program may have left set (one killed with SIGKILL restores nothing),
/// put back to a terminal's defaults before the first frame: the pen (SGR 0), origin mode off,
/// the scroll region the whole screen, insert mode off, line wrap on, mouse reports off.
const RESET_MODES: &str = concat!(
    "\x1b[0m",
    "\x1b[?6l",
    "\x1b[r",
    "\x1b[4l",
    "\x1b[?7h",
    "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l",
);

/// Hands back to the system what opening the session and reading the run list freed (after
/// the first frame, before the background work): the verification allocates in another
/// thread's heap, which would otherwise grow beside it and add the two peaks.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

async fn event_loop(
    terminal: &mut ConsoleTerminal,
    app: &mut App,
    given: Option<GivenKey>,
) -> color_eyre::Result<()> {
    let mut events = EventStream::new();
    let (done_tx, mut done_rx) = mpsc::unbounded_channel();
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let size = terminal.size()?;
    app.resize(size.width, size.height);
    // The first frame before any background work starts, and before the closed runs are read.
    terminal.draw(|frame| views::draw(frame, app))?;
    app.complete_run_list();
    release_freed_memory();
    let mut dirty = false;
    // After a resize the whole screen is painted again, not only what changed: a terminal
    // shrunk and grown back (A → B → A, read as one resize) has lost what it cut off, while
    // the frame kept for diffing still believes it is there.
    let mut repaint = false;
    // Keys wait (in the terminal's input, in order) until a given key is unlocked, so that no
    // key that records finds it still locked, and until the runbooks that the cache gave are
    // checked against their files, so that no key acts on a cached runbook unchecked.
    let mut unlocking = given.is_some();
    let mut checking_runbooks = start_checks(app, given, &done_tx);
    let mut ticks = tokio::time::interval(std::time::Duration::from_millis(250));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        if dirty {
            if repaint {
                // `resize` clears and forgets the kept frame without asking the terminal
                // where its cursor is (`clear` does, and some terminals never answer).
                let size = terminal.size()?;
                terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
                repaint = false;
            }
            terminal.draw(|frame| views::draw(frame, app))?;
            dirty = false;
        }
        if app.should_quit() {
            return Ok(());
        }
        let draft_due = app.draft_due();
        tokio::select! {
            event = events.next(), if !unlocking && !checking_runbooks => match event {
                Some(Ok(TermEvent::Key(key))) if key.kind != KeyEventKind::Release => {
                    if let Some(task) = app.handle_key(key) {
                        spawn(task, &done_tx);
                    }
                    if let Some(text) = app.take_clipboard() {
                        copy_to_clipboard(&text)?;
                    }
                    if let Some(task) = app.verify_if_stale() {
                        spawn(task, &done_tx);
                    }
                    dirty = true;
                }
                Some(Ok(TermEvent::Resize(width, height))) => {
                    app.resize(width, height);
                    repaint = true;
                    dirty = true;
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => return Err(error.into()),
                None => return Ok(()),
            },
            _ = ticks.tick(), if app.is_live() => {
                let tick = app.tick(std::time::Instant::now());
                if let Some(task) = tick.task {
                    spawn(task, &done_tx);
                }
                dirty = tick.redraw;
            }
            _ = tokio::time::sleep_until(draft_due.unwrap_or_else(std::time::Instant::now).into()),
                if draft_due.is_some() => {
                app.keep_draft_or_say();
                dirty = true;
            }
            Some(done) = done_rx.recv() => {
                unlocking &= !matches!(done, task::TaskDone::Unlocked(_));
                checking_runbooks &= !matches!(done, task::TaskDone::RunbooksLoaded(_));
                app.on_task_done(done);
                if let Some(task) = app.verify_if_stale() {
                    spawn(task, &done_tx);
                }
                dirty = true;
            }
            _ = terminate.recv() => {
                tracing::info!("SIGTERM: leaving, terminal restored");
                return Ok(());
            }
            _ = hangup.recv() => {
                tracing::info!("SIGHUP: leaving, terminal restored");
                return Ok(());
            }
        }
    }
}

/// Starts the work that follows the first frame: the runbooks loaded afresh when the cache
/// gave them (returns whether it did), the ledger's verification then the full replay of the
/// run list, and the given key's unlock.
fn start_checks(
    app: &App,
    given: Option<GivenKey>,
    done: &mpsc::UnboundedSender<task::TaskDone>,
) -> bool {
    let load_runbooks = app.load_runbooks_task();
    let checking_runbooks = load_runbooks.is_some();
    if let Some(task) = load_runbooks {
        spawn(task, done);
    }
    // One after the other, so that their peaks of memory do not add up: the verification,
    // then the full replay that checks the run list the index gave. The key's unlock beside.
    let checks = [app.verify_task(), app.list_runs_task()];
    let checks_tx = done.clone();
    tokio::spawn(async move {
        for task in checks {
            let _ = checks_tx.send(task.execute().await);
        }
    });
    if let Some(given) = given {
        spawn(Task::Unlock(given), done);
    }
    checking_runbooks
}

/// Asks the terminal to put `text` on the clipboard (between two frames, never inside one).
fn copy_to_clipboard(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(clipboard::osc52(text).as_bytes())?;
    out.flush()
}

/// Runs `task` on the runtime; its end comes back through `done`.
fn spawn(task: Task, done: &mpsc::UnboundedSender<task::TaskDone>) {
    let done = done.clone();
    tokio::spawn(async move {
        let _ = done.send(task.execute().await);
    });
}
