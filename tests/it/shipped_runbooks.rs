//! The runbooks this repository ships: each one loads with no problem at all, every step is
//! on some path that decisions can take, and everything a step names that the loader does not
//! check (contracts, methods, events, diff domains, roles, placeholders in call arguments)
//! exists. Nothing here talks to a chain: explicit Safe batches are only built and checked
//! offline, for the demo network.

use crate::support::walk::paths;
use owner_console::catalogue::Catalogue;
use owner_console::catalogue::value::Kind;
use owner_console::runbook::graph::can_reach_end;
use owner_console::runbook::template::{BUILTINS, placeholders, render_plain};
use owner_console::runbook::{InputType, Level, Runbook, StepAction, load_text};
use owner_console::session::Session;
use owner_console::workspace::Workspace;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `runbooks/<kind>/*.toml`, relative to the repository, sorted.
fn files() -> Vec<PathBuf> {
    let mut found = Vec::new();
    for kind in std::fs::read_dir(root().join("runbooks")).unwrap() {
        let kind = kind.unwrap().path();
        if !kind.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&kind).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "toml") {
                found.push(file.strip_prefix(root()).unwrap().to_path_buf());
            }
        }
    }
    found.sort();
    found
}

fn runbooks() -> Vec<Runbook> {
    files()
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(root().join(file)).unwrap();
            let loaded = load_text(file, &text);
            loaded.runbook.unwrap_or_else(|| {
                panic!("{} does not load: {:#?}", file.display(), loaded.problems)
            })
        })
        .collect()
}

fn catalogue() -> Catalogue {
    Catalogue::parse(&std::fs::read_to_string(root().join("config/catalogue.toml")).unwrap())
        .unwrap()
}

#[test]
fn every_shipped_runbook_loads_with_no_error_and_no_warning() {
    let files = files();
    assert!(files.len() >= 25, "{files:?}");
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let loaded = load_text(file, &text);
        assert!(loaded.runbook.is_some(), "{} does not load", file.display());
        problems.extend(loaded.problems.iter().map(ToString::to_string));
    }
    assert!(problems.is_empty(), "{problems:#?}");

    // The same through the session, which also checks that ids are unique in the workspace.
    let session = Session::open(Workspace::folder(root()), "tester".into()).unwrap();
    let listed: Vec<_> = session.problems.iter().map(ToString::to_string).collect();
    assert!(listed.is_empty(), "{listed:#?}");
    assert!(
        !session.problems.iter().any(|p| p.level == Level::Warning),
        "no warning either"
    );
    assert_eq!(session.runbooks.len(), files.len());
}

/// One path through a runbook: the steps in order, and how it ends.
#[test]
fn every_step_is_on_a_path_that_the_decisions_can_take() {
    for runbook in runbooks() {
        let paths = paths(&runbook);
        assert!(!paths.is_empty(), "{}", runbook.id);
        let exits = can_reach_end(&runbook);
        let mut covered: BTreeSet<&str> = BTreeSet::new();
        for path in &paths {
            covered.extend(path.steps.iter().map(String::as_str));
            if let Some(target) = &path.loops_to {
                assert!(
                    runbook.step_index(target).is_some_and(|at| exits[at]),
                    "{}: the loop back to `{target}` ({:?}) never leaves",
                    runbook.id,
                    path.steps
                );
            }
        }
        assert!(
            paths.iter().any(|p| p.loops_to.is_none()),
            "{}: no path reaches the end",
            runbook.id
        );
        for step in &runbook.steps {
            assert!(
                covered.contains(step.id.as_str()),
                "{}: step `{}` is on no path",
                runbook.id,
                step.id
            );
            if let StepAction::Decision { options, .. } = &step.action {
                for option in options {
                    let taken = paths.iter().any(|path| {
                        let at = path.steps.iter().position(|s| *s == step.id);
                        at.is_some_and(|at| match path.steps.get(at + 1) {
                            Some(next) => *next == option.goto,
                            None => match &path.loops_to {
                                Some(target) => *target == option.goto,
                                None => option.goto == "end",
                            },
                        })
                    });
                    assert!(
                        taken,
                        "{}: option `{}` of `{}` is taken by no path",
                        runbook.id, option.label, step.id
                    );
                }
            }
        }
    }
}

/// The canonical signatures a compiled contract offers: functions as `name(types)(outputs)`
/// and events as `Name(types)`.
struct Abi {
    functions: BTreeSet<String>,
    events: BTreeSet<String>,
}

fn abi(file: &std::path::Path) -> Abi {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let types = |list: &serde_json::Value| {
        list.as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| i["type"].as_str().unwrap().to_owned())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default()
    };
    let mut functions = BTreeSet::new();
    let mut events = BTreeSet::new();
    for item in json["abi"].as_array().unwrap() {
        let name = item["name"].as_str().unwrap_or_default();
        match item["type"].as_str() {
            Some("function") => {
                functions.insert(format!(
                    "{name}({})({})",
                    types(&item["inputs"]),
                    types(&item["outputs"])
                ));
            }
            Some("event") => {
                events.insert(format!("{name}({})", types(&item["inputs"])));
            }
            _ => {}
        }
    }
    Abi { functions, events }
}

/// The network's Safe is no catalogue module: a chain-check or a receipt may name it (it
/// resolves where the network's deployment manifest names the Safe), a safe-batch never (a
/// batch targets catalogue modules only). Its functions and events are the real Safe v1.4.1's
/// (`npm ci`), which the sandbox deploys.
const SAFE: &str = "Safe";

fn artifact(contract: &str) -> std::path::PathBuf {
    if contract == SAFE {
        root()
            .join(owner_console::sandbox::real_safe::PACKAGE)
            .join("build/artifacts/contracts/Safe.sol/Safe.json")
    } else {
        root()
            .join("assets/contracts/build")
            .join(format!("{contract}.json"))
    }
}

fn known_function(abis: &mut BTreeMap<String, Abi>, contract: &str, signature: &str) -> bool {
    let abi = abis
        .entry(contract.to_owned())
        .or_insert_with(|| abi(&artifact(contract)));
    if signature.contains(")(") {
        abi.functions.contains(signature)
    } else {
        abi.functions
            .iter()
            .any(|f| f.starts_with(&format!("{signature}(")))
    }
}

#[test]
fn contracts_methods_events_domains_and_roles_exist() {
    let catalogue = catalogue();
    let domains: BTreeSet<&str> = catalogue
        .parameters
        .iter()
        .map(|p| p.domain.as_str())
        .collect();
    let mut abis = BTreeMap::new();
    let mut wrong = Vec::new();
    for runbook in runbooks() {
        for step in &runbook.steps {
            let at = format!("{}/{}", runbook.id, step.id);
            let module = |contract: &str| catalogue.modules.contains_key(contract);
            match &step.action {
                StepAction::Diff { domains: used, .. } => {
                    for domain in used {
                        if !domains.contains(domain.as_str()) {
                            wrong.push(format!("{at}: no catalogue domain `{domain}`"));
                        }
                    }
                }
                StepAction::SafeBatch { calls, .. } => {
                    for call in calls {
                        if !module(&call.contract) {
                            wrong.push(format!("{at}: `{}` is no catalogue module", call.contract));
                        } else if !known_function(&mut abis, &call.contract, &call.method) {
                            wrong.push(format!("{at}: {} has no {}", call.contract, call.method));
                        }
                        for arg in &call.args {
                            for placeholder in placeholders(arg).unwrap() {
                                let declared = runbook.input(&placeholder.name).is_some()
                                    || BUILTINS.contains(&placeholder.name.as_str());
                                if !declared {
                                    wrong.push(format!(
                                        "{at}: `{{{{{}}}}}` names no input",
                                        placeholder.name
                                    ));
                                }
                            }
                        }
                    }
                }
                StepAction::ChainCheck { checks } => {
                    for check in checks {
                        if !module(&check.contract) && check.contract != SAFE {
                            wrong
                                .push(format!("{at}: `{}` is no catalogue module", check.contract));
                            continue;
                        }
                        if !known_function(&mut abis, &check.contract, &check.call) {
                            wrong.push(format!("{at}: {} has no {}", check.contract, check.call));
                        }
                        if !check.call.contains("()(") {
                            wrong.push(format!(
                                "{at}: {} takes arguments; a chain-check reads getters without",
                                check.call
                            ));
                        }
                        if check.op == "role" {
                            let role = check.value.as_deref().unwrap_or_default();
                            let address = catalogue
                                .parameter(role)
                                .is_some_and(|p| p.kind == Kind::Address);
                            if role != "safe" && !address {
                                wrong.push(format!(
                                    "{at}: role `{role}` is neither `safe` nor an address parameter"
                                ));
                            }
                        }
                    }
                }
                StepAction::Receipt { contract, events } => {
                    if !module(contract) && contract != SAFE {
                        wrong.push(format!("{at}: `{contract}` is no catalogue module"));
                        continue;
                    }
                    let offered = &abis
                        .entry(contract.clone())
                        .or_insert_with(|| abi(&artifact(contract)))
                        .events;
                    for event in events {
                        if !offered.contains(event) {
                            wrong.push(format!("{at}: {contract} emits no {event}"));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn every_safe_batch_asks_for_a_confirmation_word() {
    for runbook in runbooks() {
        for step in &runbook.steps {
            if matches!(step.action, StepAction::SafeBatch { .. }) {
                assert!(
                    step.confirm
                        .as_deref()
                        .is_some_and(|w| !w.trim().is_empty()),
                    "{}/{}: a Safe batch is irreversible once executed: give it `confirm`",
                    runbook.id,
                    step.id
                );
            }
        }
    }
}

/// A value of the input's type, for building a batch without a run.
fn sample(kind: InputType) -> &'static str {
    match kind {
        InputType::Address => "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        InputType::Uint => "1",
        InputType::Bytes32 => "0x1111111111111111111111111111111111111111111111111111111111111111",
        _ => "x",
    }
}

#[test]
fn every_explicit_safe_batch_builds_a_checked_batch_for_the_demo_network() {
    let workspace = crate::support::workspace::shipped_workspace();
    let session = Session::open(Workspace::folder(workspace.path()), "tester".into()).unwrap();
    let mut built = 0;
    for runbook in runbooks() {
        let values: BTreeMap<String, String> = runbook
            .inputs
            .iter()
            .map(|input| (input.name.clone(), sample(input.kind).to_owned()))
            .collect();
        for step in &runbook.steps {
            let StepAction::SafeBatch { calls, .. } = &step.action else {
                continue;
            };
            if calls.is_empty() {
                continue;
            }
            let calls: Vec<(String, String, Vec<String>)> = calls
                .iter()
                .map(|call| {
                    let args = call
                        .args
                        .iter()
                        .map(|arg| render_plain(arg, &values).unwrap())
                        .collect();
                    (call.contract.clone(), call.method.clone(), args)
                })
                .collect();
            let batch = owner_console::change::plan::batch_for_calls(
                &session,
                "demo",
                &step.title,
                &calls,
                owner_console::engine::Mode::Offline,
            )
            .unwrap_or_else(|e| panic!("{}/{}: {e}", runbook.id, step.id));
            assert_eq!(
                batch.transactions.len(),
                calls.len(),
                "{}/{}",
                runbook.id,
                step.id
            );
            built += 1;
        }
    }
    assert!(built >= 10, "{built} explicit batches");
}

#[test]
fn the_examples_of_the_authoring_guide_form_one_valid_runbook_with_every_step_kind() {
    let guide = std::fs::read_to_string(root().join("docs/runbooks.md")).unwrap();
    let mut text = String::new();
    let mut inside = false;
    for line in guide.lines() {
        match (inside, line.trim_end()) {
            (false, "```toml") => inside = true,
            (true, "```") => {
                inside = false;
                text.push('\n');
            }
            (true, line) => {
                text.push_str(line);
                text.push('\n');
            }
            _ => {}
        }
    }
    let loaded = load_text(Path::new("runbooks/update/example.toml"), &text);
    // The chaos example belongs in a drill runbook: in this update runbook it is warned about.
    let problems: Vec<_> = loaded
        .problems
        .iter()
        .map(ToString::to_string)
        .filter(|p| !(p.contains("warning") && p.contains("is a chaos step")))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}\n{text}");
    assert_eq!(loaded.problems.len(), 1, "one chaos example, one warning");
    let runbook = loaded.runbook.unwrap();
    let kinds: BTreeSet<&str> = runbook.steps.iter().map(|s| s.action.kind_name()).collect();
    for kind in owner_console::runbook::STEP_KINDS {
        assert!(kinds.contains(kind), "the guide has no `{kind}` example");
    }
}
