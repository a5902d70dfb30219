//! A note typed but not yet recorded survives the console being stopped, with the real binary
//! in a pseudo-terminal: SIGHUP (the SSH session dropped) and SIGTERM keep the open editor's
//! text in `storage/drafts/<run>-<step>.txt` (0600), and `kill -9` loses only what was typed in
//! the last moments (the draft is written within 300 ms of an edit; the test waits until the
//! file holds the text before killing). The draft is not in the ledger; reopening the run at
//! that step brings it back into the editor marked as a draft; recording it puts it in the
//! ledger and removes the draft file.

use crate::support::pty::{PtyApp, Sandbox, TIMEOUT, keys};
use crate::support::restored::assert_terminal_restored;
use crate::support::run_view::{journal_entries, run_view_body, wait_current_step};
use crate::support::tour::start_fee_update;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

const STEP: &str = "change-brief";
const TEXT: &str = "Burn 2 -> 3, fee 5 stays; INC-77";
const CTRL_S: &str = "\x13";
const DRAFT_MARK: &str = "DRAFT restored, not recorded";
const EDITOR_HINT: &str = "Esc close (the draft is kept)";

fn draft_file(sandbox: &Sandbox, run: &str) -> PathBuf {
    sandbox
        .storage()
        .join("drafts")
        .join(format!("{run}-{STEP}.txt"))
}

/// The notes the ledger holds for the run's change brief.
fn recorded_notes(sandbox: &Sandbox, run: &str) -> Vec<String> {
    journal_entries(&sandbox.journal())
        .into_iter()
        .filter(|e| e["run"] == run && e["type"] == "note" && e["body"]["step"] == STEP)
        .map(|e| e["body"]["text"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A console resumed on the fee update's change brief.
fn open_at_the_brief(sandbox: &Sandbox) -> PtyApp {
    let mut app = PtyApp::spawn(sandbox.command(&[]), 80, 24);
    app.wait_for("Unfinished runs (1)", TIMEOUT);
    app.send(keys::ENTER);
    app
}

/// A console on the change brief with `TEXT` typed into its note editor, not recorded.
fn typed_not_recorded(sandbox: &Sandbox) -> PtyApp {
    let mut app = open_at_the_brief(sandbox);
    wait_current_step(&app, STEP);
    app.send("n");
    app.wait_for(EDITOR_HINT, TIMEOUT);
    app.send(TEXT);
    app.wait_for(TEXT, TIMEOUT);
    app
}

/// The draft file holds `TEXT`, readable by its owner only, and the ledger has no note.
fn assert_kept_as_draft(sandbox: &Sandbox, run: &str) {
    let path = draft_file(sandbox, run);
    let kept = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the draft {} should exist: {e}", path.display()));
    assert_eq!(kept, TEXT, "the draft holds what was typed");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the draft is readable by its owner only");
    assert!(
        recorded_notes(sandbox, run).is_empty(),
        "a draft is not a ledger entry"
    );
}

/// Reopens the run: the editor shows the draft, marked; closed, the run view still says no
/// note is recorded; Ctrl+S records it, and the draft file goes.
fn restore_then_record(sandbox: &Sandbox, run: &str) {
    let mut app = open_at_the_brief(sandbox);
    let screen = app.wait_for(DRAFT_MARK, TIMEOUT);
    assert!(
        screen.contains(TEXT),
        "the draft is in the editor:\n{screen}"
    );
    app.send(keys::ESC);
    app.wait_for_gone(EDITOR_HINT, TIMEOUT);
    let body = app.settled(run_view_body).join("\n");
    assert!(
        !body.contains(TEXT) && body.contains("(empty: n to write)"),
        "the run view must not show the draft as the recorded note:\n{body}"
    );
    assert_kept_as_draft(sandbox, run);
    app.send("n");
    app.wait_for(DRAFT_MARK, TIMEOUT);
    app.send(CTRL_S);
    app.wait_for("note recorded", TIMEOUT);
    let body = app.settled(run_view_body).join("\n");
    assert!(body.contains(TEXT), "the recorded note shows:\n{body}");
    assert_eq!(
        recorded_notes(sandbox, run),
        [TEXT],
        "the note is in the ledger"
    );
    assert!(
        !draft_file(sandbox, run).exists(),
        "the draft is removed once the note is recorded"
    );
    app.send(keys::CTRL_C);
    assert!(app.wait_exit(TIMEOUT).success());
    let verified = sandbox.cli(&["ledger", "verify"]);
    assert!(verified.status.success(), "{verified:?}");
}

#[test]
fn a_note_typed_before_sighup_or_sigterm_comes_back_as_a_draft_and_records_once_saved() {
    for signal in [libc::SIGHUP, libc::SIGTERM] {
        let sandbox = Sandbox::listed();
        let run = start_fee_update(&sandbox);
        let mut app = typed_not_recorded(&sandbox);
        app.signal(signal);
        let status = app.wait_exit(TIMEOUT);
        assert!(status.success(), "signal {signal}: {status}");
        assert_terminal_restored(&app);
        assert_kept_as_draft(&sandbox, &run);
        restore_then_record(&sandbox, &run);
    }
}

#[test]
fn a_note_typed_before_kill_9_comes_back_once_its_draft_was_written() {
    let sandbox = Sandbox::listed();
    let run = start_fee_update(&sandbox);
    let mut app = typed_not_recorded(&sandbox);
    let path = draft_file(&sandbox, &run);
    app.wait_until("the draft to be written while typing", TIMEOUT, |_| {
        std::fs::read_to_string(&path).is_ok_and(|kept| kept == TEXT)
    });
    app.signal(libc::SIGKILL);
    app.wait_exit(TIMEOUT);
    assert_kept_as_draft(&sandbox, &run);
    restore_then_record(&sandbox, &run);
}
