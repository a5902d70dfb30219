//! The command forms in a pipeline: a reader that stops early (`| head -1`) ends a command
//! quietly with its own exit code, and a command asked for `--json` fails with a JSON object.

use crate::support::cli::{Home, PASSPHRASE, text};
use crate::support::workspace::shipped_workspace;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Output, Stdio};

/// Runs `command` with a stdout whose reader has already gone.
fn with_closed_stdout(mut command: Command) -> Output {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: both descriptors were just opened by pipe(2) and are owned here only.
    let (reader, writer) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(reader);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped());
    command.output().unwrap()
}

#[test]
fn a_reader_that_stops_early_ends_each_command_quietly_with_its_own_code() {
    let workspace = shipped_workspace();
    let home = Home::new();
    let cases: [(&[&str], i32); 6] = [
        (&["diff", "--network", "demo"], 5),
        (&["run", "list", "--json"], 0),
        (&["show", "pause-job-intake"], 0),
        (&["show", "pause-job-intake", "--json"], 0),
        (&["validate", "--json"], 0),
        (&["schema"], 0),
    ];
    for (args, code) in cases {
        let output = with_closed_stdout(home.command(workspace.path(), PASSPHRASE, args));
        let (_, err) = text(&output);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.to_lowercase().contains("broken pipe"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_command_asked_for_json_fails_with_a_json_error_object() {
    let workspace = shipped_workspace();
    let home = Home::new();
    for args in [
        &["chain", "status", "--network", "nowhere", "--json"][..],
        &["run", "status", "r-19990101T000000Z-000000", "--json"],
        &["show", "no-such-runbook", "--json"],
    ] {
        let output = home.cli(workspace.path(), args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let (out, err) = text(&output);
        let value: serde_json::Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e}): {out}"));
        let message = value["error"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{args:?}: {value}");
        assert!(err.contains(message), "{args:?}: stderr says it too: {err}");
    }
}
