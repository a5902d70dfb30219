//! The stressed user, with the real binary in a pseudo-terminal: every view at 80×24 and
//! 60×20, a resize in every view (to 60×20, to a tiny 20×8 and up to 100×30), and the whole
//! walk again with `NO_COLOR=1` and with `TERM=dumb`, where no colour may reach the terminal
//! and every state still reads in symbols and words.

mod support;

use support::pty::{PtyApp, TIMEOUT, screen_rows};
use support::tour::{STATUS, Stop, wait_for_stop, walk_every_view};

/// The SGR sequences (`ESC[…m`) in `output` that set a colour: 30–38 and 40–48 (including
/// 38;5;n and 38;2;r;g;b), 90–97, 100–107. The resets 39 and 49 set no colour.
fn colour_sequences(output: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(output);
    let mut found = Vec::new();
    for (start, _) in text.match_indices("\x1b[") {
        let rest = &text[start + 2..];
        let Some(end) = rest.find(|c: char| !(c.is_ascii_digit() || c == ';')) else {
            continue;
        };
        if !rest[end..].starts_with('m') {
            continue;
        }
        let params = &rest[..end];
        let colour = params.split(';').any(|p| {
            p.parse::<u16>()
                .is_ok_and(|n| matches!(n, 30..=38 | 40..=48 | 90..=97 | 100..=107))
        });
        if colour {
            found.push(format!("ESC[{params}m"));
        }
    }
    found
}

/// The bottom row is the status bar: the view was drawn to the terminal's full height.
fn assert_status_on_last_row(app: &PtyApp, stop: &Stop) {
    let rows = app.settled(screen_rows);
    let last = rows.last().map(String::as_str).unwrap_or_default();
    assert!(
        STATUS.iter().all(|word| last.contains(word)),
        "{}: the last row is not the status bar:\n{}",
        stop.name,
        app.dump()
    );
}

#[test]
fn every_view_reads_at_80x24_and_60x20() {
    for (cols, rows) in [(80, 24), (60, 20)] {
        let apps = walk_every_view(
            cols,
            rows,
            |command| command,
            |app, stop| {
                assert_status_on_last_row(app, stop);
            },
        );
        for app in &apps {
            assert!(
                !colour_sequences(&app.raw_output()).is_empty(),
                "with colour allowed, the app should paint in colour (or the colour check cannot fail)"
            );
        }
    }
}

#[test]
fn every_view_redraws_after_each_resize() {
    walk_every_view(
        80,
        24,
        |command| command,
        |app, stop| {
            app.resize(60, 20);
            wait_for_stop(app, stop);
            assert_status_on_last_row(app, stop);
            app.resize(20, 8);
            app.wait_for("too small", TIMEOUT);
            app.resize(100, 30);
            wait_for_stop(app, stop);
            assert_status_on_last_row(app, stop);
            app.resize(80, 24);
            wait_for_stop(app, stop);
            assert_status_on_last_row(app, stop);
        },
    );
}

#[test]
fn without_colour_no_colour_reaches_the_terminal_and_every_state_reads_in_words() {
    for (name, value) in [("NO_COLOR", "1"), ("TERM", "dumb")] {
        let apps = walk_every_view(
            80,
            24,
            |mut command| {
                command.env(name, value);
                command
            },
            |app, stop| assert_status_on_last_row(app, stop),
        );
        for app in &apps {
            let colours = colour_sequences(&app.raw_output());
            assert!(
                colours.is_empty(),
                "{name}={value}: colour sequences in the output: {:?}",
                &colours[..colours.len().min(10)]
            );
        }
    }
}
