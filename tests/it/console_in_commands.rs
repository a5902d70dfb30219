//! `owner-console` in a runbook's command step means the running console, even when it is on
//! no folder of the PATH; and the commands the shipped runbooks run on the demo network pass
//! there (the demo config passes `validate --strict`).

use crate::support::cli::{Home, PASSPHRASE, run_of, text};
use crate::support::run_view::journal_entries;
use crate::support::workspace::{shipped_workspace, walk_workspace};
use std::path::Path;
use std::process::Command;

/// A PATH with the system's tools and not the console's folder.
const SYSTEM_PATH: &str = "/usr/bin:/bin";

const RUNBOOK: &str = r#"
id = "console-version"
title = "Ask the console its version"
kind = "update"
severity = "low"
version = "1.0.0"
summary = "A command step that runs the console."
networks = ["demo"]

[[steps]]
id = "version"
title = "The console's version"
kind = "command"
run = "confirm"
timeout_secs = 20
command = "owner-console --version"
"#;

#[test]
fn a_command_step_runs_the_running_console_by_name() {
    let binary = Path::new(env!("CARGO_BIN_EXE_owner-console"));
    assert!(
        !SYSTEM_PATH
            .split(':')
            .any(|folder| Path::new(folder).join("owner-console").exists()),
        "the system PATH must not hold a console of its own"
    );
    let home = Home::new();
    let ws = walk_workspace();
    let cwd = ws.path();
    std::fs::write(cwd.join("runbooks/update/console-version.toml"), RUNBOOK).unwrap();
    let cli = |args: &[&str]| {
        let mut command = home.command(cwd, PASSPHRASE, args);
        command.env("PATH", SYSTEM_PATH);
        command.output().unwrap()
    };
    let run = run_of(&cli(&[
        "run",
        "start",
        "console-version",
        "--network",
        "demo",
    ]));
    let executed = cli(&["run", "next", &run, "--execute"]);
    let (out, err) = text(&executed);
    assert!(executed.status.success(), "{out}{err}");
    let ran = journal_entries(&cwd.join("storage/owner-ledger.jsonl"))
        .into_iter()
        .find(|e| e["type"] == "command-ran")
        .expect("a command-ran entry")["body"]
        .clone();
    assert_eq!(ran["exit_code"], 0, "{ran}");
    let version = Command::new(binary).arg("--version").output().unwrap();
    assert_eq!(
        ran["stdout"].as_str().unwrap().trim(),
        String::from_utf8_lossy(&version.stdout).trim(),
        "the console that ran it answered"
    );
}

/// Every `validate --strict` command of the shipped runbooks, as a command step runs it (its
/// `{{network}}` the demo network, in the workspace's folder, `owner-console` the console).
#[test]
fn the_demo_workspace_passes_the_strict_validation_its_runbooks_run() {
    let binary = Path::new(env!("CARGO_BIN_EXE_owner-console"));
    let home = Home::empty();
    let ws = shipped_workspace();
    let mut commands = Vec::new();
    for folder in std::fs::read_dir(ws.path().join("runbooks"))
        .unwrap()
        .flatten()
    {
        for file in std::fs::read_dir(folder.path()).unwrap().flatten() {
            let text = std::fs::read_to_string(file.path()).unwrap();
            let runbook: toml::Value = toml::from_str(&text).unwrap();
            for step in runbook["steps"].as_array().into_iter().flatten() {
                if let Some(command) = step.get("command").and_then(|c| c.as_str())
                    && command.contains("validate --strict")
                {
                    commands.push(command.replace("{{network}}", "demo"));
                }
            }
        }
    }
    commands.sort();
    commands.dedup();
    assert!(
        !commands.is_empty(),
        "the shipped runbooks run validate --strict"
    );
    let path = format!("{}:{SYSTEM_PATH}", binary.parent().unwrap().display());
    for command in commands {
        let ran = Command::new("sh")
            .args(["-c", &command])
            .current_dir(ws.path())
            .env_clear()
            .env("PATH", &path)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            .output()
            .unwrap();
        let (out, err) = text(&ran);
        assert_eq!(ran.status.code(), Some(0), "`{command}`:\n{out}{err}");
    }
}
