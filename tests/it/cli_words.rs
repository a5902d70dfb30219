//! What the command line prints reads as words: over a workspace with a drill run, a branch
//! taken, a skipped step and a command that could not run, no text command prints Rust's
//! debug formatting (`Some(…)`, `Branch { option: … }`, `Skipped("…")`), and `run list`
//! marks the drill where an 80-column terminal shows it.

use crate::support::cli::{Home, key_address, operators_toml, run_of, text};
use crate::support::ledger::Writer;
use crate::support::workspace::walk_workspace;
use owner_console::engine::Mode;

const RUNBOOK: &str = r#"
id = "words"
title = "Outcomes in words"
kind = "update"
severity = "low"
version = "1.0.0"
summary = "A decision, a command whose tool is missing, a skipped step."
networks = ["demo"]

[[steps]]
id = "route"
title = "Route"
kind = "decision"
question = "How severe is it?"

[[steps.options]]
label = "High"
goto = "missing-tool"

[[steps.options]]
label = "Low"
goto = "wrap-up"

[[steps]]
id = "missing-tool"
title = "Run a tool that is not installed"
kind = "command"
run = "confirm"
timeout_secs = 5
skippable = true
command = "no-such-tool-for-owner-console"

[[steps]]
id = "wrap-up"
title = "Wrap up"
kind = "checklist"
items = ["done"]
"#;

/// Where Rust's debug formatting shows through, if it does: `Some(`, `None`, `("`, a
/// struct's `Name { field: ` or a tuple variant's `Name("`.
fn debug_shape(text: &str) -> Option<String> {
    text.lines()
        .find(|line| {
            line.contains("Some(")
                || line.contains("None")
                || line.contains("(\"")
                || line.match_indices(" { ").any(|(at, _)| {
                    let before = line[..at].rsplit(' ').next().unwrap_or_default();
                    let after = line[at + 3..].split(' ').next().unwrap_or_default();
                    is_type_name(before)
                        && after.ends_with(':')
                        && after[..after.len() - 1]
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '_')
                })
                || line
                    .match_indices("(")
                    .any(|(at, _)| is_type_name(line[..at].rsplit(' ').next().unwrap_or_default()))
        })
        .map(str::to_owned)
}

/// `Branch`, `Skipped`: a capital, then letters only.
fn is_type_name(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && word.len() > 1
        && word.chars().all(|c| c.is_ascii_alphabetic())
}

#[test]
fn text_commands_say_outcomes_in_words_and_mark_drills() {
    for seen in [
        r#"  ✓ route Branch { option: "High", goto: "incident-response" }"#,
        r#"  ✓ check Skipped("no time")"#,
        "the last run failed: exit Some(127)",
    ] {
        assert!(debug_shape(seen).is_some(), "the check sees {seen}");
    }
    let home = Home::new();
    let ws = walk_workspace();
    let cwd = ws.path();
    std::fs::write(cwd.join("runbooks/update/words.toml"), RUNBOOK).unwrap();
    let tester = key_address(&home, "tester");
    std::fs::write(
        cwd.join("config/operators.toml"),
        operators_toml(&[("tester", &tester, &["operator"])]),
    )
    .unwrap();
    let writer = Writer::new(cwd);
    let drill = "r-20261204T000000Z-d0d0d0";
    writer.start(
        drill,
        "words",
        Mode::Drill,
        jiff::Timestamp::now().as_second(),
    );

    let mut said = Vec::new();
    let mut cli = |args: &[&str]| {
        let output = home.cli(cwd, args);
        let (out, err) = text(&output);
        said.push((args.join(" "), out.clone() + &err));
        output
    };
    let run = run_of(&cli(&["run", "start", "words", "--network", "demo"]));
    assert!(
        cli(&["run", "next", &run, "--choose", "High"])
            .status
            .success()
    );
    let failed = cli(&["run", "next", &run, "--execute"]);
    assert!(
        !failed.status.success(),
        "the tool is missing: the step stays open"
    );
    let skipped = cli(&[
        "run",
        "next",
        &run,
        "--skip",
        "--reason",
        "tool not installed",
    ]);
    assert!(skipped.status.success(), "{:?}", text(&skipped));
    for args in [
        vec!["run", "list"],
        vec!["run", "status", &run],
        vec!["run", "status", drill],
        vec!["run", "next", &run],
        vec!["show", "words"],
        vec!["ledger", "show"],
        vec!["ledger", "verify"],
        vec!["report"],
        vec!["report", "--markdown"],
        vec!["keys", "list"],
    ] {
        cli(&args);
    }

    let (_, listed) = said.iter().find(|(args, _)| args == "run list").unwrap();
    let drill_line = listed
        .lines()
        .find(|line| line.contains(drill))
        .unwrap_or_else(|| panic!("the drill run is listed: {listed}"));
    let shown: String = drill_line.chars().take(80).collect();
    assert!(
        shown.contains("DRILL"),
        "marked within 80 columns: {drill_line}"
    );
    let production = listed.lines().find(|line| line.contains(&run)).unwrap();
    assert!(!production.contains("DRILL"), "{production}");

    let (_, drill_status) = said
        .iter()
        .find(|(args, _)| *args == format!("run status {drill}"))
        .unwrap();
    assert!(
        drill_status.lines().next().unwrap().contains("DRILL"),
        "{drill_status}"
    );
    let (_, status) = said
        .iter()
        .find(|(args, _)| *args == format!("run status {run}"))
        .unwrap();
    assert!(status.contains("High"), "the branch is named: {status}");
    assert!(status.contains("tool not installed"), "{status}");
    let (_, shown) = said.iter().find(|(args, _)| args == "show words").unwrap();
    assert!(
        shown.contains("runs it after you confirm") && !shown.contains("Confirm)"),
        "how the command runs, in words: {shown}"
    );
    let (_, executed) = said
        .iter()
        .find(|(args, _)| args.ends_with("--execute"))
        .unwrap();
    assert!(executed.contains("exit 127"), "{executed}");
    for (args, output) in &said {
        if std::env::var_os("SHOW_OUTPUT").is_some() {
            println!("$ {args}\n{output}");
        }
        if let Some(line) = debug_shape(output) {
            panic!("`{args}` printed debug formatting: {line}\n{output}");
        }
    }
}
