//! A console started in a terminal that an earlier program left in a mess: on the alternate
//! screen with text on it, the cursor hidden, a scroll region and origin mode set, the pen
//! reversed (what a console killed with SIGKILL leaves, or any other program). The first
//! frame must be the console's own, whole: no leftover text, nothing drawn out of place.
//!
//! The pty support reads `ESC[?1049h` as xterm and tmux do: on a terminal already on the
//! alternate screen it clears nothing, so only the console's own start can clear it.

use crate::support::pty::{PtyApp, Sandbox, TIMEOUT, screen_rows};
use crate::support::run_view::{ticked_items, wait_current_step};
use crate::support::tour::STATUS;

const COLS: u16 = 80;
const ROWS: u16 = 24;

/// A letter the console never draws, on every cell of the junk screen.
const JUNK: char = 'Ж';

/// A terminal left on the alternate screen, every cell holding [`JUNK`], the cursor hidden, a
/// scroll region of rows 5 to 10 with origin mode on, reverse video and insert mode on.
fn junk_screen() -> Vec<u8> {
    let mut junk = String::from("\x1b[?1049h\x1b[?25l\x1b[H");
    let row: String = std::iter::repeat_n(JUNK, usize::from(COLS)).collect();
    for index in 0..ROWS {
        junk.push_str(&format!("\x1b[{};1H{row}", index + 1));
    }
    junk.push_str("\x1b[5;10r\x1b[?6h\x1b[7m\x1b[4h");
    junk.into_bytes()
}

/// The start screen once the ledger is verified, as rows.
fn settled_start_screen(app: &PtyApp, heading: &str) -> Vec<String> {
    app.wait_until("the start screen, verified", TIMEOUT, |screen| {
        let text = screen.contents();
        text.contains(heading) && STATUS.iter().all(|word| text.contains(word))
    });
    app.settled(screen_rows)
}

#[test]
fn junk_left_on_the_terminal_never_shows_in_the_first_frame() {
    let sandbox = Sandbox::listed();
    let app = PtyApp::spawn_on_screen(sandbox.command(&[]), COLS, ROWS, &junk_screen());
    let first = app.wait_map("the first frame", TIMEOUT, |screen| {
        screen
            .contents()
            .contains(" Runbooks ")
            .then(|| screen_rows(screen))
    });
    let leftover: Vec<_> = first
        .iter()
        .enumerate()
        .filter(|(_, row)| row.contains(JUNK))
        .map(|(index, row)| format!("{index:>3} {row}"))
        .collect();
    assert!(
        leftover.is_empty(),
        "the first frame shows what was on the terminal before:\n{}\n{}",
        leftover.join("\n"),
        app.dump()
    );
    let reference = PtyApp::spawn(sandbox.command(&[]), COLS, ROWS);
    assert_eq!(
        settled_start_screen(&app, "EMERGENCY"),
        settled_start_screen(&reference, "EMERGENCY"),
        "the start screen on a messy terminal differs from the one on a clean terminal"
    );
    let reversed = app.with_screen(|screen| {
        (0..ROWS)
            .flat_map(|row| (0..COLS).map(move |col| (row, col)))
            .filter(|&(row, col)| screen.cell(row, col).is_some_and(|cell| cell.inverse()))
            .count()
    });
    let reversed_on_clean = reference.with_screen(|screen| {
        (0..ROWS)
            .flat_map(|row| (0..COLS).map(move |col| (row, col)))
            .filter(|&(row, col)| screen.cell(row, col).is_some_and(|cell| cell.inverse()))
            .count()
    });
    assert_eq!(
        reversed, reversed_on_clean,
        "the reverse video left on draws cells reversed that a clean terminal does not"
    );
}

#[test]
fn a_console_started_where_one_was_killed_shows_none_of_its_screen() {
    let sandbox = Sandbox::listed();
    let mut killed = PtyApp::spawn(sandbox.command(&[]), COLS, ROWS);
    killed.wait_for(" Runbooks ", TIMEOUT);
    killed.send("\r");
    killed.wait_for("incident_id", TIMEOUT);
    killed.send("INC-7\r");
    wait_current_step(&killed, "stabilise");
    killed.send(" ");
    killed.wait_until("one ticked item", TIMEOUT, |s| ticked_items(s) == 1);
    killed.signal(libc::SIGKILL);
    killed.wait_exit(TIMEOUT);
    let left = killed.raw_output();
    drop(killed);

    let again = PtyApp::spawn_on_screen(sandbox.command(&[]), COLS, ROWS, &left);
    let restarted = settled_start_screen(&again, "Unfinished runs (1)");
    let reference = PtyApp::spawn(sandbox.command(&[]), COLS, ROWS);
    let clean = settled_start_screen(&reference, "Unfinished runs (1)");
    let differ: Vec<_> = restarted
        .iter()
        .zip(&clean)
        .enumerate()
        .filter(|(_, (restarted, clean))| restarted != clean)
        .map(|(index, (restarted, clean))| format!("{index:>3} got  {restarted}\n    want {clean}"))
        .collect();
    assert!(
        differ.is_empty(),
        "after the kill, the new console's screen holds leftover text:\n{}",
        differ.join("\n")
    );
}
