//! A ledger of 10,000 entries (1,000 runs of ten): the console opens on it and verifies it,
//! its ledger view goes to the last entry with End, and `run list` and `ledger verify` read it.

use crate::support::cli::list_operator;
use crate::support::ledger::Writer;
use crate::support::pty::{PtyApp, Sandbox, TIMEOUT, keys};
use std::time::{Duration, Instant};

const RUNS: usize = 1_000;
const ENTRIES: usize = RUNS * 10;
/// Verifying every signature of 10,000 entries takes a while in a debug build on a slow
/// machine: this is a bound for the wait, not a measure (see `benches/` for that).
const VERIFY_WAIT: Duration = Duration::from_secs(120);

/// The sequence number of the ledger row under the cursor `›`.
fn selected_seq(screen: &vt100::Screen) -> Option<usize> {
    let rows = crate::support::pty::screen_rows(screen);
    let row = rows.iter().find(|row| row.starts_with("│›"))?;
    row.trim_start_matches(['│', '›'])
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Waits until the row under the cursor is entry `seq`; returns the screen's text.
fn wait_selected(app: &PtyApp, seq: usize) -> String {
    app.wait_until(
        &format!("entry {seq} under the cursor"),
        TIMEOUT,
        |screen| selected_seq(screen) == Some(seq),
    )
}

#[test]
fn ten_thousand_entries_open_scroll_to_the_end_list_and_verify() {
    let sandbox = Sandbox::listed();
    let writer = Writer::new(sandbox.workspace());
    let signer = writer.key.address().to_checksum(None);
    list_operator(sandbox.workspace(), "loader", &signer);
    let written = Instant::now();
    writer.ticked_and_aborted_runs(RUNS, 1_767_225_600);
    eprintln!(
        "wrote {ENTRIES} entries in {:.1} s",
        written.elapsed().as_secs_f64()
    );

    let written = Instant::now();
    let verify = sandbox.cli(&["ledger", "verify"]);
    eprintln!(
        "ledger verify took {:.1} s",
        written.elapsed().as_secs_f64()
    );
    let report = String::from_utf8_lossy(&verify.stdout).into_owned()
        + &String::from_utf8_lossy(&verify.stderr);
    assert!(verify.status.success(), "{report}");
    assert!(report.contains(&format!("{ENTRIES} entries")), "{report}");
    let listed = sandbox.cli(&["run", "list"]);
    assert!(listed.status.success());
    let list = String::from_utf8_lossy(&listed.stdout);
    assert_eq!(
        list.lines().filter(|l| l.starts_with("r-big-")).count(),
        RUNS,
        "{list}"
    );
    assert!(list.contains("r-big-00999"), "{list}");

    let mut app = PtyApp::spawn(sandbox.command(&[]), 80, 24);
    app.wait_for(" Runbooks ", TIMEOUT);
    app.wait_for(&format!("ledger ✓{ENTRIES} verified"), VERIFY_WAIT);
    eprintln!(
        "console verified it after {:.1} s",
        written.elapsed().as_secs_f64()
    );
    app.send("l");
    wait_selected(&app, ENTRIES - 1);
    app.send(keys::HOME);
    wait_selected(&app, 0);
    app.send(keys::END);
    let last = wait_selected(&app, ENTRIES - 1);
    assert!(
        last.contains("run-aborted"),
        "the last entry is the last run's abort:\n{last}"
    );
    assert!(
        !last.contains(" 0 01-01 00:00"),
        "the first entry is still shown:\n{last}"
    );
    eprintln!("done after {:.1} s", written.elapsed().as_secs_f64());
    app.send(keys::ESC);
    app.wait_for(" Runbooks ", TIMEOUT);
    app.send("q");
    assert!(app.wait_exit(TIMEOUT).success());
}
