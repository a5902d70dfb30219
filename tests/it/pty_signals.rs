//! The real binary stopped from outside: SIGHUP (the SSH session closed) after ticking items,
//! SIGTERM while a command step runs, and a console asked for without a terminal. Each time
//! the terminal is put back, the ledger verifies with every recorded step, the command does
//! not outlive the app, and a new console resumes on the same step with the same state.

use crate::support::pty::{PtyApp, Sandbox, TIMEOUT, contains_bytes, keys};
use crate::support::restored::assert_terminal_restored;
use crate::support::run_view::{
    journal_entries, run_id_on_screen, run_view_body, ticked_items, wait_current_step,
};
use std::path::Path;

const COLS: u16 = 80;
const ROWS: u16 = 24;

/// A runbook whose command takes long enough to be interrupted; it writes its shell's pid so
/// that the test can tell whether it outlived the app.
const SLOW: &str = r#"
id = "slow-check"
title = "A slow check"
kind = "update"
severity = "low"
version = "1.0.0"
summary = "A command that takes its time, for interrupting it."
networks = ["demo"]
roles = ["operator"]

[[steps]]
id = "ready"
title = "Ready"
kind = "checklist"
items = ["Ready to wait"]

[[steps]]
id = "slow"
title = "Wait for the slow check"
kind = "command"
command = "echo $$ > slow.pid; sleep 30"
run = "confirm"
timeout_secs = 60
expect_exit = 0
"#;

fn cli_ok(sandbox: &Sandbox, args: &[&str]) -> String {
    let output = sandbox.cli(args);
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    );
    assert!(
        output.status.success(),
        "owner-console {args:?}:\n{out}{err}"
    );
    out
}

/// Sends `signal`, waits for the app to leave, and checks that it left on its own terms: exit
/// status 0, the terminal restored, the ledger whole.
fn stop_with(app: &mut PtyApp, sandbox: &Sandbox, signal: libc::c_int) {
    app.signal(signal);
    let status = app.wait_exit(TIMEOUT);
    assert!(
        status.success(),
        "signal {signal} should end the console cleanly, got {status}:\n{}",
        app.dump()
    );
    assert_terminal_restored(app);
    cli_ok(sandbox, &["ledger", "verify"]);
}

/// Opens a new console, resumes the only unfinished run and waits for `step` to be current;
/// returns the app and the rows that describe the run.
fn resume(sandbox: &Sandbox, step: &str) -> (PtyApp, Vec<String>) {
    let app = PtyApp::spawn(sandbox.command(&[]), COLS, ROWS);
    app.wait_for("Unfinished runs (1)", TIMEOUT);
    let mut app = app;
    app.send(keys::ENTER);
    wait_current_step(&app, step);
    let body = app.settled(run_view_body);
    (app, body)
}

/// The rows with the cursor mark `›` blanked: where the cursor stood is not recorded.
fn without_cursor(rows: &[String]) -> Vec<String> {
    rows.iter().map(|row| row.replace('›', " ")).collect()
}

#[test]
fn sighup_after_ticking_items_keeps_them_and_resumes_on_the_same_step() {
    let sandbox = Sandbox::listed();
    let mut app = PtyApp::spawn(sandbox.command(&[]), COLS, ROWS);
    app.wait_for(" Runbooks ", TIMEOUT);
    app.send(keys::ENTER);
    app.wait_for("Start: Failure recovery matrix", TIMEOUT);
    app.send("INC-7");
    app.wait_for("INC-7", TIMEOUT);
    app.send(keys::ENTER);
    wait_current_step(&app, "stabilise");
    let run = app.wait_map("the run id", TIMEOUT, run_id_on_screen);
    app.send(keys::SPACE);
    app.wait_until("one ticked item", TIMEOUT, |s| ticked_items(s) == 1);
    app.send(keys::SPACE);
    app.wait_until("two ticked items", TIMEOUT, |s| ticked_items(s) == 2);
    let before = app.settled(run_view_body);

    stop_with(&mut app, &sandbox, libc::SIGHUP);
    let ticked: Vec<_> = journal_entries(&sandbox.journal())
        .into_iter()
        .filter(|e| e["run"] == run.as_str() && e["type"] == "item-checked")
        .map(|e| e["body"]["item"].as_u64())
        .collect();
    assert_eq!(ticked, [Some(0), Some(1)], "both ticks are in the ledger");

    let (mut again, after) = resume(&sandbox, "stabilise");
    assert_eq!(
        without_cursor(&after),
        without_cursor(&before),
        "the resumed run view differs from the one before SIGHUP"
    );
    assert!(
        after.iter().any(|row| row.contains("› [ ] I have judged")),
        "the cursor goes on at the first item not ticked: {after:#?}"
    );
    again.send(keys::CTRL_C);
    again.wait_exit(TIMEOUT);
}

#[test]
fn sigterm_while_a_command_runs_stops_it_and_the_step_stays_open() {
    let sandbox = Sandbox::listed();
    let book = sandbox.workspace().join("runbooks/update/slow-check.toml");
    std::fs::write(&book, SLOW).unwrap();
    cli_ok(&sandbox, &["validate"]);
    let started = cli_ok(
        &sandbox,
        &["run", "start", "slow-check", "--network", "demo"],
    );
    let run = started.split_whitespace().nth(1).unwrap().to_owned();
    cli_ok(&sandbox, &["run", "next", &run, "--check", "all"]);

    let (mut app, before) = resume(&sandbox, "slow");
    app.send("x");
    app.wait_for("Type run and press Enter", TIMEOUT);
    app.send("run");
    app.send(keys::ENTER);
    let pid_file = sandbox.workspace().join("slow.pid");
    let pid = app.wait_map("the command to start", TIMEOUT, |screen| {
        // The shell creates the file before it writes its pid: wait for a whole number.
        let shell = std::fs::read_to_string(&pid_file).ok()?;
        let pid = shell.trim().parse::<u32>().ok()?;
        screen.contents().contains("⏳").then_some(pid)
    });

    stop_with(&mut app, &sandbox, libc::SIGTERM);
    assert!(
        !Path::new(&format!("/proc/{pid}")).exists()
            || std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|stat| stat.contains(") Z ")),
        "the command's shell (pid {pid}) outlived the console"
    );
    let entries = journal_entries(&sandbox.journal());
    assert!(
        entries.iter().all(
            |e| e["type"] != "command-ran" && e["type"] != "step-completed"
                || e["body"]["step"] != "slow"
        ),
        "an interrupted command is not recorded as run: {entries:#?}"
    );

    let (mut again, after) = resume(&sandbox, "slow");
    assert_eq!(
        after, before,
        "the resumed run view differs from the one before SIGTERM"
    );
    again.send(keys::CTRL_C);
    again.wait_exit(TIMEOUT);
}

#[test]
fn without_a_terminal_on_stdout_the_console_points_to_the_command_forms() {
    let sandbox = Sandbox::listed();
    let out = sandbox.root().join("console.out");
    let script = format!("\"$OWNER_CONSOLE\" > '{}'", out.display());
    let mut app = PtyApp::spawn(sandbox.shell(&script), COLS, ROWS);
    let screen = app.wait_for("needs a terminal", TIMEOUT);
    assert!(screen.contains("run list"), "{screen}");
    let status = app.wait_exit(TIMEOUT);
    assert_eq!(status.exit_code(), 2, "{}", app.dump());
    let written = std::fs::read(&out).unwrap();
    assert!(
        written.is_empty(),
        "the redirected file got {:?}",
        String::from_utf8_lossy(&written)
    );
    assert!(
        !contains_bytes(&app.raw_output(), b"\x1b["),
        "escape codes reached the terminal: {:?}",
        String::from_utf8_lossy(&app.raw_output())
    );

    let mut app = PtyApp::spawn(sandbox.shell("\"$OWNER_CONSOLE\" < /dev/null"), COLS, ROWS);
    app.wait_for("needs a terminal", TIMEOUT);
    assert_eq!(app.wait_exit(TIMEOUT).exit_code(), 2);
    assert!(
        !contains_bytes(&app.raw_output(), b"\x1b["),
        "no screen was drawn"
    );

    let neither = sandbox.cli(&[]);
    assert_eq!(neither.status.code(), Some(2));
    assert!(neither.stdout.is_empty() && !contains_bytes(&neither.stderr, b"\x1b["));
    assert!(String::from_utf8_lossy(&neither.stderr).contains("run list"));
}
