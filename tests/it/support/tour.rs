//! A walk through every view of the real binary, for the stress tests: the start screen and
//! what opens from it, the start form, the run view and what opens from it, then a fee update
//! resumed at its diff step with the table of changes and one change in full. At each stop the
//! caller checks the screen (and may resize the terminal); the tour then leaves the stop the way
//! a user would and waits until the stop has gone before the next key.

use super::cli::run_of;
use super::pty::{PtyApp, Sandbox, TIMEOUT, keys, screen_rows};
use portable_pty::CommandBuilder;

/// One view of the app: the keys that open it from the previous stop, the words that must be
/// on the screen while it shows, and the key that leaves it (none: the next stop goes on
/// from here).
pub struct Stop {
    pub name: &'static str,
    pub open: &'static [&'static str],
    pub shows: &'static [&'static str],
    pub close: Option<&'static str>,
}

/// The words of the status bar that every view keeps: the network, offline, the ledger verified.
pub const STATUS: [&str; 3] = ["demo 31337", "offline", "verified"];

/// From a fresh start to the run view of the failure-recovery matrix and everything over it.
pub static MATRIX: &[Stop] = &[
    Stop {
        name: "start screen",
        open: &[],
        shows: &[
            " Runbooks ",
            "EMERGENCY",
            "[CRITICAL] Failure recovery matrix",
            "Details",
        ],
        close: None,
    },
    Stop {
        name: "help on the start screen",
        open: &["?"],
        shows: &["Everywhere", "show every key"],
        close: Some(keys::ESC),
    },
    Stop {
        name: "chain info",
        open: &["i"],
        shows: &["Chain state", "offline", "Pause state", "▶ running"],
        close: Some(keys::ESC),
    },
    Stop {
        name: "metrics",
        open: &["m"],
        shows: &["0 runs", "Runs per kind", "OVERDUE"],
        close: Some(keys::ESC),
    },
    Stop {
        name: "ledger (empty)",
        open: &["l"],
        shows: &["✓ VERIFIED", "Ledger"],
        close: Some(keys::ESC),
    },
    Stop {
        name: "start form",
        open: &[keys::ENTER],
        shows: &[
            "Start: Failure recovery matrix",
            "[demo]",
            "incident_id",
            "Enter start",
        ],
        close: None,
    },
    Stop {
        name: "run view",
        open: &["INC-42", keys::ENTER],
        shows: &["step 1/20", "▶ stabilise", "[ ] I know which alert fired"],
        close: None,
    },
    Stop {
        name: "run view, an item ticked",
        open: &[keys::SPACE],
        shows: &["▶ stabilise", "[x] I know which alert fired"],
        close: None,
    },
    Stop {
        name: "flowchart",
        open: &["f"],
        shows: &["YOU ARE HERE", "stabilise", "High → incident-response"],
        close: Some(keys::ESC),
    },
    Stop {
        name: "help in the run view",
        open: &["?"],
        shows: &["Everywhere", "show every key"],
        close: Some(keys::ESC),
    },
    Stop {
        name: "ledger of the run",
        open: &["l"],
        shows: &["✓ VERIFIED", "run-started", "item-checked"],
        close: Some(keys::ESC),
    },
    Stop {
        name: "chain info over the run",
        open: &["i"],
        shows: &["Chain state", "Pause state"],
        close: Some(keys::ESC),
    },
    Stop {
        name: "skip prompt",
        open: &["s"],
        shows: &["Skip", "Why is this step skipped?"],
        close: Some(keys::ESC),
    },
    Stop {
        name: "abort confirmation",
        open: &["A", "drill over", keys::ENTER],
        shows: &["Abort the run?", "drill over", "Type abort"],
        close: Some(keys::ESC),
    },
];

/// A fee update resumed at its diff step: the table of changes, then one change in full.
pub static DIFF: &[Stop] = &[
    Stop {
        name: "start screen with the fee update unfinished",
        open: &[],
        shows: &[
            "Unfinished runs (1)",
            "resume fee-update",
            "at diff-dry-run",
        ],
        close: None,
    },
    Stop {
        name: "run view at the diff step",
        open: &[keys::ENTER],
        shows: &["step 4/16", "diff-dry-run", "not been computed"],
        close: None,
    },
    Stop {
        name: "diff step table",
        open: &["x"],
        shows: &[
            "fingerprint",
            "[FINANCIAL]",
            "FeePool.burnPct",
            "change 1 of",
        ],
        close: None,
    },
    Stop {
        name: "change popup",
        open: &[keys::ENTER],
        shows: &["Change 1 of", "before", "after", "[FINANCIAL]"],
        close: Some(keys::ESC),
    },
];

/// Starts a fee update (burn 3 %, fee 5 %) with the CLI; returns its run id. Its first step is
/// the change brief, a note.
pub fn start_fee_update(sandbox: &Sandbox) -> String {
    let started = sandbox.cli(&[
        "run",
        "start",
        "fee-update",
        "--network",
        "demo",
        "--input",
        "new_burn_pct=3",
        "--input",
        "new_fee_pct=5",
    ]);
    run_of(&started)
}

/// Starts a fee update with the CLI and moves it to its diff step (note, checklist, command),
/// as an operator might have done from a script before opening the console.
pub fn fee_update_at_its_diff(sandbox: &Sandbox) -> String {
    let run = start_fee_update(sandbox);
    for step in [
        &["--note", "Burn 2 -> 3, fee 5 stays."][..],
        &["--check", "all"],
        &["--execute"],
    ] {
        let mut args = vec!["run", "next", &run];
        args.extend_from_slice(step);
        let moved = sandbox.cli(&args);
        assert!(
            moved.status.success(),
            "run next {step:?}: {}{}",
            String::from_utf8_lossy(&moved.stdout),
            String::from_utf8_lossy(&moved.stderr)
        );
    }
    run
}

/// Waits until every word of `stop` is on the screen and the last row is the status bar (so
/// the view was drawn at the terminal's size, not read from a screen left by an older size).
pub fn wait_for_stop(app: &PtyApp, stop: &Stop) -> String {
    app.wait_until(
        &format!(
            "the {} with {:?} above the status bar {STATUS:?}",
            stop.name, stop.shows
        ),
        TIMEOUT,
        |screen| {
            let text = screen.contents();
            let rows = screen_rows(screen);
            let last = rows.last().map(String::as_str).unwrap_or_default();
            stop.shows.iter().all(|word| text.contains(word))
                && STATUS.iter().all(|word| last.contains(word))
        },
    )
}

/// Sends the keys that open `stop` and waits for its words.
fn open(app: &mut PtyApp, stop: &Stop) {
    for key in stop.open {
        app.send(key);
    }
    wait_for_stop(app, stop);
}

/// Walks `stops` in the running `app`: opens each, waits for its words, lets `at_stop` look,
/// checks the words again, and closes it.
pub fn walk(app: &mut PtyApp, stops: &[Stop], mut at_stop: impl FnMut(&mut PtyApp, &Stop)) {
    for stop in stops {
        open(app, stop);
        at_stop(app, stop);
        wait_for_stop(app, stop);
        if let Some(close) = stop.close {
            app.send(close);
            let first = stop.shows[0];
            app.wait_for_gone(first, TIMEOUT);
        }
    }
}

/// A fresh sandbox for `stops`: the fee update at its diff step when the tour needs it.
fn sandbox_for(stops: &[Stop]) -> Sandbox {
    let sandbox = Sandbox::listed();
    if stops.first().map(|stop| stop.name) == DIFF.first().map(|stop| stop.name) {
        fee_update_at_its_diff(&sandbox);
    }
    sandbox
}

/// Both tours, each in a fresh sandbox: the matrix from a fresh start, and the fee update
/// resumed at its diff step. `command` adds what the test needs to the sandbox's command.
pub fn walk_every_view(
    cols: u16,
    rows: u16,
    command: impl Fn(CommandBuilder) -> CommandBuilder,
    mut at_stop: impl FnMut(&mut PtyApp, &Stop),
) -> Vec<PtyApp> {
    let mut apps = Vec::new();
    for stops in [MATRIX, DIFF] {
        let sandbox = sandbox_for(stops);
        let mut app = PtyApp::spawn(command(sandbox.command(&[])), cols, rows);
        walk(&mut app, stops, &mut at_stop);
        app.send(keys::CTRL_C);
        let status = app.wait_exit(TIMEOUT);
        assert!(
            status.success(),
            "Ctrl+C should exit 0, got {status}:\n{}",
            app.dump()
        );
        apps.push(app);
        drop(sandbox);
    }
    apps
}
