//! The loader on broken runbooks: each problem gets its own error naming file, line, column
//! and field, and says what would be valid.

use owner_console::runbook::{Level, Problem, load_file};
use std::path::Path;

fn problems(name: &str) -> Vec<Problem> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/broken")
        .join(name);
    let loaded = load_file(&path, Path::new(name));
    assert!(loaded.runbook.is_none(), "{name} must not load");
    loaded
        .problems
        .into_iter()
        .filter(|p| p.level == Level::Error)
        .collect()
}

fn one(name: &str) -> Problem {
    let mut found = problems(name);
    assert_eq!(found.len(), 1, "{name}: {found:#?}");
    found.remove(0)
}

#[test]
fn bad_toml_names_the_line() {
    let problem = one("bad-toml.toml");
    assert_eq!((problem.line, problem.column), (9, 8));
    assert!(
        problem.message.contains("not valid TOML"),
        "{}",
        problem.message
    );
    assert_eq!(
        problem.to_string(),
        format!("bad-toml.toml:9:8: error: {}", problem.message)
    );
}

#[test]
fn unknown_step_kind_lists_the_kinds() {
    let problem = one("unknown-step-kind.toml");
    assert_eq!(
        (problem.line, problem.field.as_str()),
        (12, "steps[0].kind")
    );
    assert!(problem.message.contains("`teleport`"));
    assert!(
        problem
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("checklist, command, decision")
    );
}

#[test]
fn dangling_goto_lists_the_steps() {
    let problem = one("dangling-goto.toml");
    assert_eq!(
        (problem.line, problem.field.as_str()),
        (21, "steps[0].options[1].goto")
    );
    assert!(problem.message.contains("incident-respons"));
    assert_eq!(problem.hint.as_deref(), Some("log, triage, end"));
}

#[test]
fn duplicate_id_points_at_the_second() {
    let problem = one("duplicate-id.toml");
    assert_eq!((problem.line, problem.field.as_str()), (16, "steps[1].id"));
    assert!(problem.message.contains("duplicate step id `check`"));
}

#[test]
fn cycle_without_exit_is_reported_for_each_step() {
    let found = problems("cycle.toml");
    let lines: Vec<_> = found.iter().map(|p| p.line).collect();
    assert_eq!(lines, [10, 17]);
    assert!(
        found
            .iter()
            .all(|p| p.message.contains("cycle with no exit"))
    );
}

#[test]
fn a_drill_default_is_checked_as_the_default_is() {
    let name = "drill-default-outside-options.toml";
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let loaded = load_file(&path, Path::new(name));
    assert!(loaded.runbook.is_none(), "{name} must not load");
    let [problem] = &loaded.problems[..] else {
        panic!("one problem expected: {:#?}", loaded.problems)
    };
    assert_eq!(
        (problem.line, problem.field.as_str()),
        (14, "inputs[0].drill_default")
    );
    assert!(problem.message.contains("anvil"), "{}", problem.message);
}

#[test]
fn missing_template_input_names_it() {
    let problem = one("missing-input.toml");
    assert_eq!(
        (problem.line, problem.field.as_str()),
        (17, "steps[0].command")
    );
    assert!(
        problem
            .message
            .contains("`{{reason}}` names no declared input")
    );
    assert_eq!(
        problem.hint.as_deref(),
        Some("network_name, network, chain_id, run_id, operator")
    );
}

#[test]
fn every_unknown_key_is_reported_at_once() {
    let found = problems("unknown-keys.toml");
    let located: Vec<_> = found.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(located, [(7, "netwroks"), (14, "steps[0].itmes")]);
}

#[test]
fn fields_of_another_kind_and_bad_choices_are_both_reported() {
    let found = problems("wrong-fields.toml");
    let located: Vec<_> = found.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(located, [(4, "severity"), (14, "steps[0].command")]);
    assert_eq!(
        found[0].hint.as_deref(),
        Some("low, medium, high, critical")
    );
    assert!(found[1].message.contains("belongs to `command` steps"));
}

#[test]
fn kind_must_match_its_folder() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken/duplicate-id.toml"),
    )
    .unwrap();
    let fixed = text.replacen(
        "id = \"check\"\ntitle = \"Check twice\"",
        "id = \"check-2\"\ntitle = \"Check twice\"",
        1,
    );
    let loaded = owner_console::runbook::load_text(Path::new("runbooks/emergency/x.toml"), &fixed);
    let messages: Vec<_> = loaded.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        ["kind `update` does not match the folder `emergency` it sits in"]
    );
}

#[test]
fn every_shipped_runbook_loads_without_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = owner_console::workspace::Workspace::folder(root);
    let files = workspace.runbook_files().unwrap();
    assert!(
        files.len() >= 3,
        "the workspace ships at least three runbooks"
    );
    for (path, text) in files {
        let loaded = owner_console::runbook::load_text(&path, &text);
        let errors: Vec<_> = loaded
            .problems
            .iter()
            .filter(|p| p.level == Level::Error)
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
}

#[test]
fn published_schema_matches_the_types() {
    let published = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/runbook.schema.json"),
    )
    .unwrap();
    assert_eq!(
        published,
        owner_console::runbook::schema::runbook_schema_text(),
        "regenerate with `owner-console schema > assets/runbook.schema.json`"
    );
}
