//! The stressed user, with the real binary in a pseudo-terminal: every view at 80×24 and
//! 60×20, a resize in every view (to 60×20, to a tiny 20×8 and up to 100×30), and the whole
//! walk again with `NO_COLOR=1` and with `TERM=dumb`, where no colour may reach the terminal
//! and every state still reads in symbols and words.

use crate::support::pty::{PtyApp, Sandbox, TIMEOUT, keys};
use crate::support::sgr::colour_sequences;
use crate::support::tour::{MATRIX, each_view_alone, wait_for_stop, walk, walk_every_view};

#[test]
fn every_view_reads_at_80x24_and_60x20() {
    for (cols, rows) in [(80, 24), (60, 20)] {
        let apps = walk_every_view(cols, rows, |command| command, |_, _| {});
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
    each_view_alone(|app, stop| {
        app.resize(60, 20);
        wait_for_stop(app, stop);
        app.resize(20, 8);
        app.wait_for("too small", TIMEOUT);
        app.resize(100, 30);
        wait_for_stop(app, stop);
        app.resize(80, 24);
        wait_for_stop(app, stop);
    });
}

/// Keys typed right after resizes are handled, however close to the resize they come: after
/// the redraw, and in the same instant as the resize (an operator resizing an SSH window while
/// typing). Before the fix, a key that reached the console together with the resize signal was
/// left unread until the next key (crossterm's edge-triggered reader dropped the terminal's
/// readiness when a resize came in the same wake-up); the keys then never show, so any bound
/// tells the two apart.
#[test]
fn keys_typed_after_resizes_are_handled() {
    let sandbox = Sandbox::listed();
    for round in 0..10 {
        let mut app = PtyApp::spawn(sandbox.command(&[]), 80, 24);
        let form = &MATRIX[5];
        walk(&mut app, &MATRIX[..5], |_, _| {});
        app.send(keys::ENTER);
        wait_for_stop(&app, form);
        for (cols, rows) in [(60, 20), (100, 30), (80, 24)] {
            app.resize(cols, rows);
            wait_for_stop(&app, form);
        }
        app.send("INC-42");
        app.wait_for("› INC-42", TIMEOUT);
        for (typed, (cols, rows)) in
            ["-a", "-b", "-c"]
                .into_iter()
                .zip([(60, 20), (100, 30), (80, 24)])
        {
            app.resize(cols, rows);
            app.send(typed);
        }
        app.wait_for("› INC-42-a-b-c", TIMEOUT);
        wait_for_stop(&app, form);
        assert!(
            !app.contents().contains("-a-b-c-"),
            "round {round}: a key was handled twice:\n{}",
            app.dump()
        );
        app.signal(libc::SIGTERM);
        app.wait_exit(TIMEOUT);
    }
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
            |_, _| {},
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
