//! `x` on a command the runbook only shows, with the real binary in a pseudo-terminal: a popup
//! says the console does not run it, and `c` there sends the command to the terminal's
//! clipboard (OSC 52, the text base64-encoded) between two frames.

use crate::support::pty::{PtyApp, Sandbox, TIMEOUT, find_bytes, keys};
use crate::support::run_view::wait_current_step;

#[test]
fn c_in_the_shown_only_popup_sends_the_command_to_the_clipboard() {
    let sandbox = Sandbox::listed();
    let mut app = PtyApp::spawn(sandbox.command(&[]), 80, 24);
    app.wait_for(" Runbooks ", TIMEOUT);
    app.send(keys::ENTER);
    app.wait_for("Start: Failure recovery matrix", TIMEOUT);
    app.send("INC-7");
    app.wait_for("› INC-7", TIMEOUT);
    app.send(keys::ENTER);
    wait_current_step(&app, "stabilise");
    for (key, step) in [
        ("T", None),
        (keys::ENTER, Some("triage")),
        ("3", Some("incident-response")),
        ("T", None),
        (keys::ENTER, Some("response")),
        ("1", Some("pause-script")),
    ] {
        app.send(key);
        match step {
            Some(step) => {
                wait_current_step(&app, step);
            }
            None => {
                app.wait_for("✓ ready: Enter completes the step", TIMEOUT);
            }
        }
    }
    app.send("x");
    app.wait_for("does not run this command", TIMEOUT);
    let before = app.raw_output().len();
    app.send("c");
    app.wait_for("copied", TIMEOUT);
    let output = app.raw_output();
    let sent = &output[before..];
    // base64 of `npx hardhat run scripts/v2/pauseAll.ts --network mainnet`
    let expected =
        b"\x1b]52;c;bnB4IGhhcmRoYXQgcnVuIHNjcmlwdHMvdjIvcGF1c2VBbGwudHMgLS1uZXR3b3JrIG1haW5uZXQ=\x07";
    assert!(
        find_bytes(sent, expected).is_some(),
        "the command reaches the terminal's clipboard: {:?}",
        String::from_utf8_lossy(sent)
    );
    app.send(keys::CTRL_C);
    assert!(app.wait_exit(TIMEOUT).success());
}
