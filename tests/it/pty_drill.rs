//! Drill mode from the start screen, with the real binary in a pseudo-terminal and a real
//! sandbox (anvil with the mock platform, `owner-console sandbox up`): `d` turns it on and the
//! screen says so in words; with no sandbox up the start is refused, saying how to start one,
//! and nothing is recorded; with the sandbox up the run starts as a drill exactly as
//! `owner-console drill` does (its entries say `drill`), and the run view and the run list
//! mark it; `d` again turns it off.

use crate::support::pty::{PtyApp, Sandbox, TIMEOUT, keys, screen_rows};
use crate::support::run_view::{journal_entries, run_id_on_screen, wait_current_step};

const BANNER: &str = "DRILL — runs against the sandbox";

/// Stops the sandbox's node however the test ends.
struct SandboxDown<'a>(&'a Sandbox);

impl Drop for SandboxDown<'_> {
    fn drop(&mut self) {
        let _ = self.0.cli(&["sandbox", "down", "--network", "demo"]);
    }
}

/// Opens the start form of the failure-recovery matrix (the first runbook) and asks to start
/// it for incident INC-9.
fn start_the_matrix(app: &mut PtyApp) {
    app.send(keys::ENTER);
    let form = app.wait_for("Start: Failure recovery matrix", TIMEOUT);
    assert!(form.contains(BANNER), "the start form says drill:\n{form}");
    app.send("INC-9");
    app.wait_for("› INC-9", TIMEOUT);
    app.send(keys::ENTER);
}

fn runs_started(sandbox: &Sandbox) -> Vec<serde_json::Value> {
    if !sandbox.journal().exists() {
        return Vec::new();
    }
    journal_entries(&sandbox.journal())
        .into_iter()
        .filter(|e| e["type"] == "run-started")
        .collect()
}

#[test]
fn the_drill_toggle_starts_a_drill_in_the_sandbox_and_refuses_without_one() {
    let sandbox = Sandbox::listed();
    let mut app = PtyApp::spawn(sandbox.command(&[]), 80, 24);
    let screen = app.wait_for(" Runbooks ", TIMEOUT);
    assert!(!screen.contains(BANNER), "drill mode starts off:\n{screen}");
    let hints = app.settled(|s| screen_rows(s)[22].clone());
    assert!(hints.contains("d drill"), "the hint bar offers it: {hints}");
    app.send("?");
    app.wait_for("drill mode on/off", TIMEOUT);
    app.send(keys::ESC);
    app.wait_for_gone("drill mode on/off", TIMEOUT);

    app.send("d");
    app.wait_for(BANNER, TIMEOUT);
    start_the_matrix(&mut app);
    let refused = app.wait_for("no sandbox for `demo`", TIMEOUT);
    assert!(
        refused.contains("`owner-console sandbox") && refused.contains("--network demo`"),
        "the refusal says how to start one:\n{refused}"
    );
    assert!(
        runs_started(&sandbox).is_empty(),
        "a refused drill records nothing"
    );
    app.send(keys::ESC);
    app.wait_for_gone("Start: Failure recovery matrix", TIMEOUT);

    let anvil = crate::support::chain::anvil();
    let up = sandbox.cli_env(
        &["sandbox", "up", "--network", "demo"],
        &[("OWNER_CONSOLE_ANVIL", &anvil)],
    );
    let _down = SandboxDown(&sandbox);
    assert!(up.status.success(), "sandbox up: {up:?}");

    start_the_matrix(&mut app);
    wait_current_step(&app, "stabilise");
    let header = app.settled(|s| screen_rows(s)[1].clone());
    assert!(
        header.contains("[DRILL]"),
        "the run view marks the drill: {header}"
    );
    let run = app.wait_map("the run id", TIMEOUT, run_id_on_screen);
    let started = runs_started(&sandbox);
    assert_eq!(started.len(), 1, "{started:#?}");
    assert_eq!(started[0]["run"], run.as_str());
    assert_eq!(started[0]["body"]["mode"], "drill", "{:#}", started[0]);
    assert_eq!(started[0]["body"]["inputs"]["incident_id"], "INC-9");

    app.send(keys::ESC);
    let list = app.wait_for("Unfinished runs (1)", TIMEOUT);
    assert!(
        list.lines()
            .any(|row| row.contains("resume") && row.contains("[DRILL]")),
        "the run list marks the drill:\n{list}"
    );
    app.send("d");
    app.wait_for("drill mode off", TIMEOUT);
    app.wait_for_gone(BANNER, TIMEOUT);
    app.send(keys::CTRL_C);
    assert!(app.wait_exit(TIMEOUT).success());
    let verified = sandbox.cli(&["ledger", "verify"]);
    assert!(verified.status.success(), "{verified:?}");
}
