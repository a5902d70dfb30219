//! The stressed user, with the real binary in a pseudo-terminal: every view at 80×24 and
//! 60×20, a resize in every view (to 60×20, to a tiny 20×8 and up to 100×30), and the whole
//! walk again with `NO_COLOR=1` and with `TERM=dumb`, where no colour may reach the terminal
//! and every state still reads in symbols and words.

use crate::support::pty::{PtyApp, Sandbox, TIMEOUT, keys, screen_rows};
use crate::support::run_view::{journal_entries, wait_current_step};
use crate::support::sgr::colour_sequences;
use crate::support::tour::{MATRIX, wait_for_stop, walk, walk_every_view};

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
    walk_every_view(
        80,
        24,
        |command| command,
        |app, stop| {
            app.resize(60, 20);
            wait_for_stop(app, stop);
            app.resize(20, 8);
            app.wait_for("too small", TIMEOUT);
            app.resize(100, 30);
            wait_for_stop(app, stop);
            app.resize(80, 24);
            wait_for_stop(app, stop);
        },
    );
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

/// The keys of a walk, counted as a person types them: each key once, each typed character
/// once.
struct Counted<'a> {
    app: &'a mut PtyApp,
    keys: usize,
}

impl Counted<'_> {
    fn key(&mut self, key: &str) {
        self.app.send(key);
        self.keys += 1;
    }

    fn typed(&mut self, text: &str) {
        self.app.send(text);
        self.keys += text.chars().count();
    }
}

/// Stops the drill's sandbox node however the test ends.
struct SandboxDown<'a>(&'a Sandbox);

impl Drop for SandboxDown<'_> {
    fn drop(&mut self) {
        let _ = self.0.cli(&["sandbox", "down", "--network", "demo"]);
    }
}

/// The responder under stress (issue #20), in tmux's place at 80×24 with `NO_COLOR=1`: the
/// failure-recovery matrix as a drill → High → Pause → the Safe batch → executed on the
/// sandbox → its receipt recorded, with a SIGKILL and a restart in the same terminal on the
/// way. At most 25 keys from launch to the receipt recorded, and the screen after the restart
/// is the console's own (the same as on a clean terminal).
#[test]
fn the_stress_path_takes_at_most_25_keys_with_a_kill_on_the_way() {
    const INCIDENT: &str = "INC-9";
    let sandbox = Sandbox::listed();
    let anvil = crate::support::chain::anvil();
    let up = sandbox.cli_env(
        &["sandbox", "up", "--network", "demo"],
        &[("OWNER_CONSOLE_ANVIL", &anvil)],
    );
    let _down = SandboxDown(&sandbox);
    assert!(up.status.success(), "sandbox up: {up:?}");
    let command = || {
        let mut command = sandbox.command(&[]);
        command.env("NO_COLOR", "1");
        command
    };

    let mut first = PtyApp::spawn(command(), 80, 24);
    first.wait_for(" Runbooks ", TIMEOUT);
    let mut walk = Counted {
        app: &mut first,
        keys: 0,
    };
    walk.key("d");
    walk.app
        .wait_for("DRILL — runs against the sandbox", TIMEOUT);
    walk.key(keys::ENTER);
    walk.app.wait_for("Start: Failure recovery matrix", TIMEOUT);
    walk.typed(INCIDENT);
    walk.app.wait_for(&format!("› {INCIDENT}"), TIMEOUT);
    walk.key(keys::ENTER);
    wait_current_step(walk.app, "stabilise");
    walk.key("T");
    walk.app
        .wait_for("✓ ready: Enter completes the step", TIMEOUT);
    walk.key(keys::ENTER);
    wait_current_step(walk.app, "triage");
    walk.app.wait_for("How severe is the incident?", TIMEOUT);
    walk.key("3");
    wait_current_step(walk.app, "incident-response");
    walk.key("T");
    walk.app
        .wait_for("✓ ready: Enter completes the step", TIMEOUT);
    walk.key(keys::ENTER);
    wait_current_step(walk.app, "response");
    walk.app.wait_for("› Pause → pause-script", TIMEOUT);
    walk.key(keys::ENTER);
    let reference = wait_current_step(walk.app, "pause-script");
    assert!(
        reference.contains("pauseAll.ts --network")
            && reference.contains("localhost")
            && !reference.contains("mainnet"),
        "a drill shows the reference command for the sandbox's network:\n{reference}"
    );
    walk.key(keys::ENTER);
    wait_current_step(walk.app, "pause-batch");
    let keys_before_kill = walk.keys;

    // --- Killed: no chance to clean up; started again in the same terminal. ----------------
    first.signal(libc::SIGKILL);
    first.wait_exit(TIMEOUT);
    let left = first.raw_output();
    drop(first);
    let mut again = PtyApp::spawn_on_screen(command(), 80, 24, &left);
    let start_screen = |screen: &vt100::Screen| {
        let text = screen.contents();
        ["Unfinished runs (1)", "verified", "tester"]
            .iter()
            .all(|word| text.contains(word))
            .then(|| screen_rows(screen))
    };
    let restarted = again.wait_map("the start screen, verified", TIMEOUT, start_screen);
    let clean = PtyApp::spawn(command(), 80, 24).wait_map(
        "the start screen on a clean terminal",
        TIMEOUT,
        start_screen,
    );
    assert_eq!(
        restarted,
        clean,
        "the screen after the restart holds leftover text:\n{}",
        again.dump()
    );
    let mut walk = Counted {
        app: &mut again,
        keys: keys_before_kill,
    };
    walk.key(keys::ENTER);
    wait_current_step(walk.app, "pause-batch");
    // The batch is prepared against a fresh reading of the sandbox: the status bar says when
    // the first one is in (the person reads the step meanwhile).
    walk.app.wait_for("✓ drill", TIMEOUT);
    walk.key("x");
    walk.app.wait_for("transaction(s)", TIMEOUT);
    walk.key(keys::ENTER);
    walk.app.wait_for("Type PAUSE", TIMEOUT);
    walk.typed("PAUSE");
    walk.key(keys::ENTER);
    wait_current_step(walk.app, "pause-receipt");
    walk.key("x");
    walk.app.wait_for("✓ pass", TIMEOUT);
    let keys = walk.keys;
    let receipts: Vec<_> = journal_entries(&sandbox.journal())
        .into_iter()
        .filter(|e| e["type"] == "receipt-checked")
        .collect();
    assert_eq!(receipts.len(), 1, "the receipt is recorded: {receipts:#?}");
    eprintln!("stress path: {keys} keys from launch to the receipt recorded");
    assert!(keys <= 25, "the stress path took {keys} keys (at most 25)");
}
