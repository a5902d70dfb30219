//! A failing command says one line by default; with `RUST_BACKTRACE` set, color-eyre's whole
//! report (the error, then the backtrace) for a bug report.

use std::process::Command;

fn failing(backtrace: Option<&str>) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_owner-console"));
    command
        .args([
            "--workspace",
            "/nonexistent/owner-console-workspace",
            "run",
            "list",
        ])
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE");
    if let Some(value) = backtrace {
        command.env("RUST_BACKTRACE", value);
    }
    let output = command.output().expect("the binary runs");
    assert!(!output.status.success());
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_failure_is_one_line_unless_a_backtrace_is_asked_for() {
    let message = "/nonexistent/owner-console-workspace: no such workspace folder";
    for quiet in [None, Some("0")] {
        let said = failing(quiet);
        assert_eq!(said.trim_end(), format!("error: {message}"), "{said}");
    }
    let report = failing(Some("1"));
    assert!(report.contains(message), "{report}");
    assert!(report.contains("BACKTRACE"), "{report}");
    assert!(
        !report.contains('\u{1b}'),
        "no colours off a terminal: {report}"
    );
}
