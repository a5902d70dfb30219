//! Drives the real `owner-console` binary in a pseudo-terminal.
//!
//! [`Sandbox`] gives the child an isolated home (HOME and the XDG folders inside a temporary
//! folder) and an empty current folder, so that the app uses the workspace embedded in the
//! binary and keeps its journal under the sandbox. [`PtyApp`] runs the binary in a pty, reads
//! everything it writes on a background thread into a `vt100` screen (and keeps the raw bytes),
//! and offers waits that poll that screen until a condition holds, failing with a dump of the
//! screen when it does not hold in time.

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

/// How long a single wait may take. Generous: test machines are slow and shared.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The longest pause between two looks at the screen while waiting.
const POLL: Duration = Duration::from_millis(100);

/// A screen is taken as settled when the output stops at the end of a frame, or when no
/// output came for this long (a frame is written in several pieces: a screen read between
/// two of them mixes the old frame and the new one).
const QUIET: Duration = Duration::from_millis(300);

/// Keys as a terminal sends them (crossterm reads Enter as `\r`).
pub mod keys {
    pub const ENTER: &str = "\r";
    /// A lone Esc. Wait for the screen to react before sending another key: Esc followed at
    /// once by a character reaches the app in one read and is taken as Alt+character.
    pub const ESC: &str = "\x1b";
    pub const DOWN: &str = "\x1b[B";
    pub const SPACE: &str = " ";
    pub const HOME: &str = "\x1b[H";
    pub const END: &str = "\x1b[F";
    pub const CTRL_C: &str = "\x03";
}

pub use super::sandbox::{PASSPHRASE, Sandbox, binary};

struct State {
    parser: vt100::Parser,
    raw: Vec<u8>,
    /// When the last output arrived.
    last_output: Instant,
    /// The reader saw the end of the output (every slave end is closed: the child is gone).
    eof: bool,
}

impl State {
    /// Whether the screen is a whole frame rather than a mix of two: the output so far ends
    /// where ratatui ends a frame (hiding the cursor, or showing it and moving it), or nothing
    /// came for [`QUIET`], or the output is over.
    fn settled(&self) -> bool {
        self.eof || ends_a_frame(&self.raw) || self.last_output.elapsed() >= QUIET
    }
}

/// Whether `output` ends the way ratatui ends a frame: `ESC[?25l`, or `ESC[?25h` followed by
/// a cursor move `ESC[row;colH`.
pub fn ends_a_frame(output: &[u8]) -> bool {
    if output.ends_with(b"\x1b[?25l") {
        return true;
    }
    // Only the end can hold it: `ESC[?25h` and a move take fewer than 32 bytes (the whole
    // output, megabytes after a long walk, is not searched on every look at the screen).
    let tail = &output[output.len().saturating_sub(32)..];
    let Some(shown) = rfind_bytes(tail, b"\x1b[?25h") else {
        return false;
    };
    let rest = &tail[shown + b"\x1b[?25h".len()..];
    rest.strip_prefix(b"\x1b[")
        .and_then(|r| r.strip_suffix(b"H"))
        .is_some_and(|r| !r.is_empty() && r.iter().all(|b| b.is_ascii_digit() || *b == b';'))
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The binary running in a pseudo-terminal, its output parsed into a screen.
pub struct PtyApp {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    pid: u32,
    shared: Arc<Shared>,
    exit: Option<ExitStatus>,
    initial_termios: Option<libc::termios>,
}

fn non_zero(value: u16) -> NonZeroU16 {
    NonZeroU16::new(value).expect("a terminal size must not be zero")
}

impl PtyApp {
    /// Opens a pty of `cols`×`rows` and starts `command` in it.
    pub fn spawn(command: CommandBuilder, cols: u16, rows: u16) -> Self {
        Self::spawn_on_screen(command, cols, rows, b"")
    }

    /// As [`PtyApp::spawn`], in a terminal whose screen already shows what `earlier_output`
    /// drew: the same terminal after an earlier program (a console killed with SIGKILL, or
    /// any junk) left it. [`PtyApp::raw_output`] holds only the new child's output.
    pub fn spawn_on_screen(
        command: CommandBuilder,
        cols: u16,
        rows: u16,
        earlier_output: &[u8],
    ) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let initial_termios = pair.master.get_termios().map(libc::termios::from);
        let child = pair
            .slave
            .spawn_command(command)
            .expect("start owner-console in the pty");
        // Only the child holds the slave end now, so the reader sees the end of the output
        // when the child is gone.
        drop(pair.slave);
        let pid = child.process_id().expect("the child has a process id");
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let mut parser = vt100::Parser::new(non_zero(rows), non_zero(cols), 0);
        feed_as_xterm(&mut parser, earlier_output);
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                parser,
                raw: Vec::new(),
                last_output: Instant::now(),
                eof: false,
            }),
            changed: Condvar::new(),
        });
        let feed = Arc::clone(&shared);
        thread::Builder::new()
            .name(format!("pty-reader-{pid}"))
            .spawn(move || {
                let mut buffer = [0u8; 8192];
                loop {
                    match reader.read(&mut buffer) {
                        Ok(0) => break,
                        Ok(n) => {
                            let mut state = feed.lock();
                            state.raw.extend_from_slice(&buffer[..n]);
                            state.last_output = Instant::now();
                            feed_as_xterm(&mut state.parser, &buffer[..n]);
                            drop(state);
                            feed.changed.notify_all();
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        // Linux reports EIO once the last slave end is closed.
                        Err(_) => break,
                    }
                }
                feed.lock().eof = true;
                feed.changed.notify_all();
            })
            .expect("start the pty reader thread");
        Self {
            master: pair.master,
            writer,
            child,
            pid,
            shared,
            exit: None,
            initial_termios,
        }
    }

    #[allow(dead_code)] // benches/startup.rs reads its peak memory.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Sends bytes as typed keys.
    pub fn send(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .and_then(|()| self.writer.flush())
            .unwrap_or_else(|e| panic!("send {keys:?} to the pty: {e}\n{}", self.dump()));
    }

    /// Reads the current screen as it is, possibly in the middle of a frame; see
    /// [`PtyApp::settled`].
    pub fn with_screen<R>(&self, read: impl FnOnce(&vt100::Screen) -> R) -> R {
        read(self.shared.lock().parser.screen())
    }

    /// The text of the current screen.
    pub fn contents(&self) -> String {
        self.with_screen(vt100::Screen::contents)
    }

    /// Every byte the app has written so far.
    pub fn raw_output(&self) -> Vec<u8> {
        self.shared.lock().raw.clone()
    }

    /// The screen with row numbers, for failure messages.
    pub fn dump(&self) -> String {
        self.with_screen(dump_screen)
    }

    /// Polls the screen until `look` finds what it looks for on a settled screen (a whole
    /// frame, see [`QUIET`]) and returns it. Panics with the screen when `timeout` passes
    /// first or the app's output ends first.
    pub fn wait_map<R>(
        &self,
        what: &str,
        timeout: Duration,
        mut look: impl FnMut(&vt100::Screen) -> Option<R>,
    ) -> R {
        let start = Instant::now();
        let deadline = start + timeout;
        let mut state = self.shared.lock();
        loop {
            if state.settled()
                && let Some(found) = look(state.parser.screen())
            {
                return found;
            }
            let now = Instant::now();
            if state.eof || now >= deadline {
                let why = if state.eof {
                    "the app's output ended (it exited)"
                } else {
                    "timed out"
                };
                let screen = dump_screen(state.parser.screen());
                drop(state);
                panic!(
                    "waiting for {what}: {why} after {:.1} s (pid {}).\nScreen:\n{screen}",
                    start.elapsed().as_secs_f64(),
                    self.pid
                );
            }
            let pause = POLL.min(deadline - now);
            state = self
                .shared
                .changed
                .wait_timeout(state, pause)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
    }

    /// Polls the screen until `ready` holds on a settled screen; returns the screen's text
    /// then. Panics with the screen when `timeout` passes first or the output ends first.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        mut ready: impl FnMut(&vt100::Screen) -> bool,
    ) -> String {
        self.wait_map(what, timeout, |screen| {
            ready(screen).then(|| screen.contents())
        })
    }

    /// Reads the screen once it is settled (a whole frame, not a mix of two).
    pub fn settled<R>(&self, mut read: impl FnMut(&vt100::Screen) -> R) -> R {
        self.wait_map("a settled screen", TIMEOUT, |screen| Some(read(screen)))
    }

    /// Waits until the screen shows `text`; returns the screen's text.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?} on the screen"), timeout, |screen| {
            screen.contents().contains(text)
        })
    }

    /// Waits until the screen no longer shows `text`; returns the screen's text.
    pub fn wait_for_gone(&self, text: &str, timeout: Duration) -> String {
        self.wait_until(
            &format!("{text:?} to leave the screen"),
            timeout,
            |screen| !screen.contents().contains(text),
        )
    }

    /// Sends a signal to the child (e.g. `libc::SIGKILL`, `libc::SIGTERM`).
    pub fn signal(&self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.pid).expect("pid fits pid_t");
        // SAFETY: kill(2) with a pid we started and still own (not yet reaped).
        let result = unsafe { libc::kill(pid, signal) };
        assert_eq!(
            result,
            0,
            "kill({pid}, {signal}): {}",
            std::io::Error::last_os_error()
        );
    }

    /// The exit status, if the child has exited.
    pub fn try_exit(&mut self) -> Option<ExitStatus> {
        if self.exit.is_none() {
            self.exit = self.child.try_wait().expect("poll the child");
        }
        self.exit.clone()
    }

    /// Waits for the child to exit and for its last output to be read; returns its status.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let start = Instant::now();
        let deadline = start + timeout;
        let status = loop {
            if let Some(status) = self.try_exit() {
                break status;
            }
            if Instant::now() >= deadline {
                panic!(
                    "waiting for the app (pid {}) to exit: timed out after {:.1} s.\nScreen:\n{}",
                    self.pid,
                    start.elapsed().as_secs_f64(),
                    self.dump()
                );
            }
            thread::sleep(Duration::from_millis(20));
        };
        let mut state = self.shared.lock();
        while !state.eof {
            let now = Instant::now();
            if now >= deadline {
                drop(state);
                panic!(
                    "the app (pid {}) exited ({status}) but its output did not end within {:.1} s",
                    self.pid,
                    timeout.as_secs_f64()
                );
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, POLL.min(deadline - now))
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
        status
    }

    /// Resizes the pty (the child gets SIGWINCH) and the parsed screen with it.
    pub fn resize(&self, cols: u16, rows: u16) {
        let mut state = self.shared.lock();
        state
            .parser
            .screen_mut()
            .set_size(non_zero(rows), non_zero(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    /// The terminal settings of the pty as they are now.
    pub fn termios(&self) -> Option<libc::termios> {
        self.master.get_termios().map(libc::termios::from)
    }

    /// The terminal settings of the pty before the child started.
    pub fn initial_termios(&self) -> Option<libc::termios> {
        self.initial_termios
    }
}

impl Drop for PtyApp {
    fn drop(&mut self) {
        if self.exit.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            if let Ok(pid) = libc::pid_t::try_from(self.pid) {
                // SAFETY: kill(2) on our own, not yet reaped child.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
            let _ = self.child.wait();
        }
    }
}

/// Feeds `output` to `parser` as xterm and tmux read it: `ESC[?1049h` on a terminal already
/// on the alternate screen changes nothing (the `vt100` crate would clear the alternate
/// screen again, and so hide what an earlier program left on it).
fn feed_as_xterm(parser: &mut vt100::Parser, output: &[u8]) {
    const ENTER_ALTERNATE: &[u8] = b"\x1b[?1049h";
    let mut rest = output;
    while let Some(at) = find_bytes(rest, ENTER_ALTERNATE) {
        parser.process(&rest[..at]);
        if !parser.screen().alternate_screen() {
            parser.process(ENTER_ALTERNATE);
        }
        rest = &rest[at + ENTER_ALTERNATE.len()..];
    }
    parser.process(rest);
}

/// The screen, one string per row (trailing blanks dropped).
pub fn screen_rows(screen: &vt100::Screen) -> Vec<String> {
    let (_, cols) = screen.size();
    screen.rows(0, cols.get()).collect()
}

/// The screen with row numbers, framed, for failure messages.
pub fn dump_screen(screen: &vt100::Screen) -> String {
    let (_, cols) = screen.size();
    let rule = "─".repeat(usize::from(cols.get()));
    let mut out = format!("    ┌{rule}┐\n");
    for (index, row) in screen_rows(screen).iter().enumerate() {
        let pad = usize::from(cols.get()).saturating_sub(row.chars().count());
        let _ = writeln!(out, "{index:>3} │{row}{}│", " ".repeat(pad));
    }
    let _ = write!(
        out,
        "    └{rule}┘\n    alternate screen: {}, cursor hidden: {}",
        screen.alternate_screen(),
        screen.hide_cursor()
    );
    out
}

/// Whether `needle` occurs in `haystack`.
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    find_bytes(haystack, needle).is_some()
}

/// The position of the first `needle` in `haystack`.
pub fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The position of the last `needle` in `haystack`.
pub fn rfind_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}
