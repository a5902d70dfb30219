//! The command-line forms, run as the real binary against throwaway workspaces.

use crate::support::workspace as common;

use std::path::Path;

use crate::support::cli::{Home, json, text};

#[test]
fn validate_reports_each_broken_runbook_and_fails() {
    let home = Home::new();
    let broken = common::fixture("broken");
    let output = home.cli(Path::new("."), &["validate", broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let (out, err) = text(&output);
    for (file, line, what) in [
        ("bad-toml.toml", 9, "not valid TOML"),
        ("cycle.toml", 10, "cycle with no exit"),
        ("dangling-goto.toml", 21, "incident-respons"),
        ("duplicate-id.toml", 16, "duplicate step id"),
        (
            "missing-input.toml",
            17,
            "`{{reason}}` names no declared input",
        ),
        ("unknown-step-kind.toml", 12, "unknown step kind `teleport`"),
    ] {
        let located = format!("{file}:{line}:");
        assert!(
            err.lines()
                .any(|l| l.contains(&located) && l.contains(what)),
            "{located} {what}\n{err}"
        );
    }
    assert!(out.contains("8 runbook file(s): 11 error(s)"), "{out}");

    let json = json(&home.cli(
        Path::new("."),
        &["validate", "--json", broken.to_str().unwrap()],
    ));
    assert_eq!(json["errors"], 11);
    assert_eq!(json["problems"][0]["line"], 9);
}

#[test]
fn validate_passes_on_the_shipped_and_embedded_workspaces() {
    let home = Home::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = home.cli(root, &["validate"]);
    assert!(output.status.success(), "{:?}", text(&output));
    let empty = tempfile::tempdir().unwrap();
    let embedded = home.cli(empty.path(), &["validate"]);
    assert!(embedded.status.success(), "{:?}", text(&embedded));
    assert_eq!(
        text(&output).0.lines().last(),
        text(&embedded).0.lines().last(),
        "the embedded workspace is the repository's"
    );
}

#[test]
fn init_writes_a_workspace_and_refuses_to_overwrite_one() {
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("ops");
    let output = home.cli(dir.path(), &["init", target.to_str().unwrap()]);
    assert!(output.status.success(), "{:?}", text(&output));
    for file in [
        "runbooks/emergency/failure-recovery-matrix.toml",
        "runbooks/emergency/pause-job-intake.toml",
        "runbooks/update/fee-update.toml",
        "config/networks.toml",
        "assets/demo-state.json",
        "assets/runbook.schema.json",
    ] {
        assert!(target.join(file).is_file(), "{file}");
    }
    assert!(home.cli(&target, &["validate"]).status.success());
    let again = home.cli(dir.path(), &["init", target.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again).1.contains("already holds a workspace"));
}

#[test]
fn a_scripted_run_moves_step_by_step_and_resumes_across_processes() {
    let home = Home::new();
    let ws = common::walk_workspace();
    let cwd = ws.path();
    let started = json(&home.cli(
        cwd,
        &[
            "run",
            "start",
            "walk",
            "--network",
            "demo",
            "--input",
            "label=hello",
            "--json",
        ],
    ));
    let run = started["run"].as_str().unwrap().to_owned();
    assert_eq!(started["position"]["step"], "prepare");

    let blocked = home.cli(cwd, &["run", "next", &run]);
    assert_eq!(blocked.status.code(), Some(1));
    assert!(text(&blocked).1.contains("2 checklist item(s) not ticked"));

    let next = json(&home.cli(cwd, &["run", "next", &run, "--check", "all", "--json"]));
    assert_eq!(next["position"]["step"], "echo");
    let ran = json(&home.cli(cwd, &["run", "next", &run, "--execute", "--json"]));
    assert_eq!(ran["position"]["step"], "route");
    assert_eq!(
        std::fs::read_to_string(cwd.join("label.out")).unwrap(),
        "hello"
    );

    let wrong = home.cli(cwd, &["run", "next", &run, "--choose", "Up"]);
    assert!(text(&wrong).1.contains("valid: Left, Right"));
    let chose = json(&home.cli(cwd, &["run", "next", &run, "--choose", "Left", "--json"]));
    assert_eq!(chose["position"]["step"], "brief");
    let noted = json(&home.cli(
        cwd,
        &["run", "next", &run, "--note", "why and what", "--json"],
    ));
    assert_eq!(noted["position"]["step"], "attach");

    let listed = json(&home.cli(cwd, &["run", "list", "--json"]));
    assert_eq!(listed[0]["id"], run.as_str());
    assert_eq!(listed[0]["status"], "unfinished");
    assert_eq!(listed[0]["current_step"], "attach");

    let evidence = cwd.join("tx.json");
    std::fs::write(&evidence, "{}").unwrap();
    json(&home.cli(
        cwd,
        &[
            "run",
            "next",
            &run,
            "--attach",
            evidence.to_str().unwrap(),
            "--json",
        ],
    ));
    let unconfirmed = home.cli(cwd, &["run", "next", &run, "--check", "1"]);
    assert!(text(&unconfirmed).1.contains("type `COMMIT` to confirm"));
    let done = json(&home.cli(cwd, &["run", "next", &run, "--confirm", "COMMIT", "--json"]));
    assert_eq!(done["position"]["status"], "completed");
    let status = json(&home.cli(cwd, &["run", "status", &run, "--json"]));
    assert_eq!(status["history"].as_array().unwrap().len(), 6);
    assert_eq!(
        status["history"][2]["outcome"], "chose Left → brief",
        "words, not Rust's debug form: {status}"
    );
    let (said, _) = text(&home.cli(cwd, &["run", "status", &run]));
    assert!(said.contains("✓ route chose Left → brief"), "{said}");
    assert!(
        !said.contains("Branch {") && !said.contains("Completed"),
        "{said}"
    );

    let ledger = std::fs::read_to_string(cwd.join("storage/owner-ledger.jsonl")).unwrap();
    let types: Vec<String> = ledger
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(types.first().map(String::as_str), Some("run-started"));
    assert_eq!(types.last().map(String::as_str), Some("run-completed"));
    assert!(
        types.iter().any(|t| t == "branch-chosen")
            && types.iter().any(|t| t == "command-ran")
            && types.iter().any(|t| t == "evidence-attached")
    );
}

#[test]
fn bad_inputs_are_refused_with_the_input_named() {
    let home = Home::new();
    let ws = common::walk_workspace();
    let output = home.cli(
        ws.path(),
        &[
            "run",
            "start",
            "walk",
            "--network",
            "demo",
            "--input",
            "label=a",
            "--input",
            "port=0x10",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output)
            .1
            .contains("input `port`: `0x10` is not an unsigned decimal integer"),
        "{:?}",
        text(&output)
    );
    let unknown = home.cli(ws.path(), &["run", "start", "nope", "--network", "demo"]);
    assert!(text(&unknown).1.contains("no runbook `nope`"));
    assert!(!ws.path().join("storage/owner-ledger.jsonl").exists());
}

#[test]
fn a_truncated_journal_line_is_reported_and_nothing_recorded_is_lost() {
    let home = Home::new();
    let ws = common::walk_workspace();
    let cwd = ws.path();
    let started = json(&home.cli(
        cwd,
        &[
            "run",
            "start",
            "walk",
            "--network",
            "demo",
            "--input",
            "label=a",
            "--json",
        ],
    ));
    let run = started["run"].as_str().unwrap().to_owned();
    json(&home.cli(
        cwd,
        &["run", "next", &run, "--check", "1", "--stay", "--json"],
    ));
    let path = cwd.join("storage/owner-ledger.jsonl");
    let whole = std::fs::read(&path).unwrap();
    let mut torn = whole.clone();
    torn.extend_from_slice(br#"{"seq":2,"time":"2026"#);
    std::fs::write(&path, &torn).unwrap();

    let listed = home.cli(cwd, &["run", "list"]);
    assert!(listed.status.success());
    assert!(
        text(&listed)
            .1
            .contains("owner-ledger.jsonl:3: incomplete last line"),
        "{:?}",
        text(&listed)
    );
    let check = home.cli(cwd, &["ledger", "verify"]);
    assert_eq!(check.status.code(), Some(1));

    let refused = home.cli(cwd, &["run", "next", &run, "--check", "2"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).1.contains("the last line is incomplete"),
        "{:?}",
        text(&refused)
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        torn,
        "nothing was appended after the torn line"
    );
    let status = json(&home.cli(cwd, &["run", "status", &run, "--json"]));
    assert_eq!(
        status["checked"],
        serde_json::json!([0]),
        "the recorded tick survives"
    );

    assert!(home.cli(cwd, &["ledger", "repair"]).status.success());
    let moved = json(&home.cli(cwd, &["run", "next", &run, "--check", "2", "--json"]));
    assert_eq!(moved["position"]["step"], "echo");
}

#[test]
fn show_prints_the_flowchart_and_json() {
    let home = Home::new();
    let empty = tempfile::tempdir().unwrap();
    let output = home.cli(empty.path(), &["show", "failure-recovery-matrix"]);
    assert!(output.status.success());
    let out = text(&output).0;
    assert!(out.contains("Flowchart:"));
    for option in ["Low →", "Medium →", "High →"] {
        assert!(out.contains(option), "{option}\n{out}");
    }
    let json = json(&home.cli(empty.path(), &["show", "pause-job-intake", "--json"]));
    assert_eq!(json["kind"], "emergency");
}

#[test]
fn without_a_terminal_the_console_points_to_the_command_forms() {
    let home = Home::new();
    let output = home.cli(Path::new("."), &[]);
    assert_eq!(output.status.code(), Some(2));
    let (out, err) = text(&output);
    assert!(out.is_empty(), "nothing garbled on stdout: {out:?}");
    assert!(
        err.contains("needs a terminal") && err.contains("run list"),
        "{err}"
    );
}

#[test]
fn completions_and_man_page_come_from_the_same_definitions() {
    let home = Home::new();
    let bash = text(&home.cli(Path::new("."), &["completions", "bash"])).0;
    assert!(bash.contains("owner-console") && bash.contains("validate"));
    let man = text(&home.cli(Path::new("."), &["man"])).0;
    assert!(man.contains(".TH owner-console") && man.contains("runbook"));
}

#[test]
fn a_bad_user_setting_is_named() {
    let parsed = owner_console::workspace::settings::Settings::parse(
        "settings.toml",
        "[keys]\nsikp = [\"s\"]\n",
    )
    .unwrap();
    let error = owner_console::tui::keymap::Keymap::default()
        .with_overrides(&parsed.keys)
        .unwrap_err();
    assert!(error.contains("[keys] `sikp`: no such action"), "{error}");
    let bad_color = owner_console::tui::theme::Theme::new(
        true,
        &[("accent".to_owned(), "blurple".to_owned())].into(),
    )
    .unwrap_err();
    assert!(bad_color.contains("`blurple` is not a colour"));
    let unknown_table =
        owner_console::workspace::settings::Settings::parse("settings.toml", "[colours]\n")
            .unwrap_err()
            .to_string();
    assert!(
        unknown_table.contains("settings.toml:1:"),
        "{unknown_table}"
    );
}

#[test]
fn commands_of_the_embedded_workspace_see_its_files() {
    let home = Home::new();
    let empty = tempfile::tempdir().unwrap();
    let cwd = empty.path();
    let started = json(&home.cli(
        cwd,
        &[
            "run",
            "start",
            "fee-update",
            "--network",
            "demo",
            "--input",
            "new_burn_pct=3",
            "--input",
            "new_fee_pct=5",
            "--json",
        ],
    ));
    let run = started["run"].as_str().unwrap().to_owned();
    json(&home.cli(
        cwd,
        &["run", "next", &run, "--note", "burn 2 -> 3", "--json"],
    ));
    json(&home.cli(cwd, &["run", "next", &run, "--check", "all", "--json"]));
    let linted = json(&home.cli(cwd, &["run", "next", &run, "--execute", "--json"]));
    assert_eq!(linted["position"]["step"], "diff-dry-run", "{linted}");
    assert!(
        home.0
            .path()
            .join("data/owner-console/storage/owner-ledger.jsonl")
            .is_file(),
        "run state goes to the data folder"
    );
    assert!(
        std::fs::read_dir(cwd).unwrap().next().is_none(),
        "nothing is written into the current folder"
    );
}
