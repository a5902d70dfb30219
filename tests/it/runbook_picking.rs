//! A command about one runbook parses that runbook alone: a file elsewhere in the workspace
//! that cannot even be read (not UTF-8) stops neither `show`, nor a run of another runbook
//! from start to status; `validate` and `run list`, which need every runbook, still name it.

use crate::support::cli::{Home, json, run};
use crate::support::workspace::walk_workspace;

use std::path::Path;

/// The walk workspace with a runbook file that is not UTF-8, one with a TOML error, and a copy
/// of the walk runbook under another id written as a quoted key (no plain `id = "…"` line).
fn workspace_with_broken_files() -> tempfile::TempDir {
    let ws = walk_workspace();
    let update = ws.path().join("runbooks/update");
    std::fs::write(
        update.join("garbled.toml"),
        b"id = \"garbled\"\ntitle = \"\xff\xfe\"\n",
    )
    .unwrap();
    std::fs::write(
        update.join("unclosed.toml"),
        "id = \"unclosed\"\ntitle = \"\n",
    )
    .unwrap();
    let walk = std::fs::read_to_string(update.join("walk.toml")).unwrap();
    let quoted = walk.replacen("id = \"walk\"", "\"id\" = \"quoted-walk\"", 1);
    assert_ne!(quoted, walk);
    std::fs::write(update.join("quoted.toml"), quoted).unwrap();
    ws
}

fn ok(home: &Home, cwd: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(home, cwd, args);
    assert_eq!(code, 0, "{args:?}: stdout {out} stderr {err}");
    out
}

#[test]
fn a_run_of_one_runbook_goes_on_beside_a_file_that_cannot_be_read() {
    let home = Home::new();
    let ws = workspace_with_broken_files();
    let cwd = ws.path();

    let shown = ok(&home, cwd, &["show", "walk"]);
    assert!(shown.starts_with("walk — "), "{shown}");
    let by_path = ok(&home, cwd, &["show", "runbooks/update/walk"]);
    assert_eq!(by_path, shown);
    let quoted = ok(&home, cwd, &["show", "quoted-walk"]);
    assert!(quoted.starts_with("quoted-walk — "), "{quoted}");

    let started = json(&home.cli(
        cwd,
        &[
            "run",
            "start",
            "walk",
            "--network",
            "demo",
            "--input",
            "label=x",
            "--json",
        ],
    ));
    let id = started["run"].as_str().expect("a run id").to_owned();
    let status = json(&home.cli(cwd, &["run", "status", &id, "--json"]));
    assert_eq!(status["run"], id.as_str());
    let next = json(&home.cli(cwd, &["run", "next", &id, "--check", "all", "--json"]));
    assert_eq!(next["run"], id.as_str());
    assert_ne!(next["position"], status["position"], "the run moved on");

    // What needs every runbook still reads every file, and names the one it cannot read.
    for args in [vec!["validate"], vec!["run", "list"]] {
        let (code, out, err) = run(&home, cwd, &args);
        assert_ne!(code, 0, "{args:?}: {out}");
        assert!(err.contains("garbled.toml"), "{args:?}: {err}");
    }
}

#[test]
fn a_runbook_that_is_not_there_is_still_looked_for_in_every_file() {
    let home = Home::new();
    let ws = walk_workspace();
    let cwd = ws.path();
    let update = cwd.join("runbooks/update");
    std::fs::write(
        update.join("unclosed.toml"),
        "id = \"unclosed\"\ntitle = \"\n",
    )
    .unwrap();
    let (code, _, err) = run(&home, cwd, &["show", "nowhere"]);
    assert_ne!(code, 0);
    assert!(err.contains("no runbook `nowhere`"), "{err}");
    // A runbook with errors is not one to show, found by its id line or not.
    let (code, _, err) = run(&home, cwd, &["show", "unclosed"]);
    assert_ne!(code, 0);
    assert!(err.contains("no runbook `unclosed`"), "{err}");
}
