//! Evidence comes only from inside the workspace: a path with `..`, a symbolic link, a folder
//! linked outside or a file elsewhere is refused by name, and nothing is recorded.

use crate::support::cli::{Home, json, run_of, text};
use crate::support::workspace::{start_walk, walk_workspace};
use std::path::Path;

/// A walk run moved to its evidence step.
fn run_at_the_evidence_step(home: &Home, cwd: &Path) -> String {
    let run = run_of(&home.cli(cwd, &start_walk()));
    for step in [
        vec!["--check", "all"],
        vec!["--execute"],
        vec!["--choose", "Left"],
        vec!["--note", "why"],
    ] {
        let mut args = vec!["run", "next", run.as_str()];
        args.extend(step);
        let moved = home.cli(cwd, &args);
        assert!(moved.status.success(), "{:?}", text(&moved));
    }
    let status = json(&home.cli(cwd, &["run", "status", &run, "--json"]));
    assert_eq!(status["position"]["step"], "attach");
    run
}

#[test]
fn evidence_from_outside_the_workspace_is_refused_and_records_nothing() {
    let home = Home::new();
    let ws = walk_workspace();
    let cwd = ws.path();
    let run = run_at_the_evidence_step(&home, cwd);
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("id_rsa");
    std::fs::write(&secret, "PRIVATE").unwrap();
    std::fs::create_dir(cwd.join("sub")).unwrap();
    std::os::unix::fs::symlink(&secret, cwd.join("linked-key")).unwrap();
    std::os::unix::fs::symlink(outside.path(), cwd.join("linked-folder")).unwrap();
    let climbing = format!(
        "sub/../../{}/id_rsa",
        outside.path().file_name().unwrap().to_str().unwrap()
    );
    let ledger = cwd.join("storage/owner-ledger.jsonl");
    let recorded = std::fs::read(&ledger).unwrap();
    let stored = || {
        let mut names: Vec<_> = std::fs::read_dir(cwd.join("storage/evidence"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let stored_before = stored();

    for (given, says) in [
        (secret.display().to_string(), "outside the workspace"),
        (climbing, "`..` is not allowed"),
        ("linked-key".to_owned(), "is a symbolic link"),
        ("linked-folder/id_rsa".to_owned(), "outside the workspace"),
        ("sub".to_owned(), "is not a regular file"),
        ("missing.txt".to_owned(), "No such file"),
    ] {
        let refused = home.cli(cwd, &["run", "next", &run, "--attach", &given]);
        let (out, err) = text(&refused);
        assert!(!refused.status.success(), "{given}: {out}");
        assert!(
            err.contains(&given) && err.contains(says),
            "{given} must be named with `{says}`: {err}"
        );
        assert_eq!(
            std::fs::read(&ledger).unwrap(),
            recorded,
            "{given}: nothing is recorded"
        );
    }
    assert_eq!(stored(), stored_before, "nothing was copied into the store");

    std::fs::write(cwd.join("sub/tx.json"), "{}").unwrap();
    let attached = home.cli(cwd, &["run", "next", &run, "--attach", "sub/tx.json"]);
    assert!(attached.status.success(), "{:?}", text(&attached));
    let attached = std::fs::read_to_string(&ledger).unwrap();
    let entry = attached
        .lines()
        .find(|line| line.contains("evidence-attached"))
        .expect("the file inside is attached");
    assert!(entry.contains("\"name\":\"tx.json\""), "{entry}");
    assert_eq!(stored().len(), stored_before.len() + 1);
}
