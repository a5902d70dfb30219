//! The run engine through `Session`: transitions are recorded before the run moves, a run
//! rebuilt from the journal equals the live one, and every gate holds.

use crate::support::workspace as common;

use owner_console::engine::{Event, Position, Run};
use owner_console::session::{Session, SessionError};
use owner_console::steps::{self, Act};
use owner_console::workspace::Workspace;
use std::collections::BTreeMap;

fn session(dir: &std::path::Path) -> Session {
    let mut session = Session::open(Workspace::folder(dir), "tester".into()).unwrap();
    session.unlock(common::TEST_KEY.clone());
    session
}

fn start(session: &Session, label: &str, port: u16) -> Run {
    let book = session.runbook("walk").unwrap();
    let inputs = BTreeMap::from([
        ("label".to_owned(), label.to_owned()),
        ("port".to_owned(), port.to_string()),
    ]);
    session.start(&book, "demo", inputs).unwrap()
}

fn assert_same(live: &Run, session: &Session) {
    let replayed = session.open_run(&live.id).unwrap();
    assert_eq!(replayed.position, live.position);
    assert_eq!(replayed.history, live.history);
    assert_eq!(replayed.visit, live.visit);
    assert_eq!(replayed.started, live.started);
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn left_branch_walk_is_recorded_and_replays_exactly() {
    let dir = common::walk_workspace();
    let session = session(dir.path());
    let hostile = "x'; touch pwned; echo $(id) `id` \"q\"\nnext";
    let mut run = start(&session, hostile, 9);
    assert_same(&run, &session);

    assert!(
        run.complete(None)
            .unwrap_err()
            .to_string()
            .contains("2 checklist item(s) not ticked")
    );
    for item in [0, 1] {
        let event = run.toggle_item(item).unwrap();
        session.record(&mut run, vec![event]).unwrap();
        assert_same(&run, &session);
    }
    let events = run.complete(None).unwrap();
    session.record(&mut run, events).unwrap();
    assert_eq!(run.position, Position::At("echo".into()));

    assert!(
        run.complete(None)
            .unwrap_err()
            .to_string()
            .contains("not been run")
    );
    let prepared = steps::prepare(&session, &run, Act::RunCommand).unwrap();
    let event = runtime().block_on(prepared.execute()).unwrap().event;
    let Event::CommandRan(ran) = &event else {
        panic!("{event:?}")
    };
    assert!(ran.passed, "{ran:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("label.out")).unwrap(),
        hostile,
        "the value reached the command as one word"
    );
    assert!(
        !dir.path().join("pwned").exists(),
        "nothing in the value was run"
    );
    assert!(session.evidence().path_of(&ran.stdout_sha256).is_file());
    session.record(&mut run, vec![event]).unwrap();
    let events = run.complete(None).unwrap();
    session.record(&mut run, events).unwrap();

    let wrong = run.choose("Up", None).unwrap_err().to_string();
    assert!(wrong.contains("valid: Left, Right"), "{wrong}");
    let events = run.choose("left", None).unwrap();
    session.record(&mut run, events).unwrap();
    assert_eq!(run.position, Position::At("brief".into()));

    assert!(run.complete(None).is_err(), "an empty note blocks");
    let event = run.note("Raise burnPct from 2 to 3.").unwrap();
    session.record(&mut run, vec![event]).unwrap();
    let events = run.complete(None).unwrap();
    session.record(&mut run, events).unwrap();

    let file = dir.path().join("receipt.json");
    std::fs::write(&file, b"{\"status\":1}").unwrap();
    assert!(run.complete(None).is_err(), "no file attached yet");
    let event = runtime()
        .block_on(
            steps::prepare(&session, &run, Act::Attach(file.clone()))
                .unwrap()
                .execute(),
        )
        .unwrap()
        .event;
    session.record(&mut run, vec![event]).unwrap();
    assert_same(&run, &session);
    let events = run.complete(None).unwrap();
    session.record(&mut run, events).unwrap();
    assert_eq!(
        run.position,
        Position::At("commit".into()),
        "the evidence step jumps over the other branch"
    );

    let event = run.toggle_item(0).unwrap();
    session.record(&mut run, vec![event]).unwrap();
    let refused = run.complete(Some("commit")).unwrap_err().to_string();
    assert!(refused.contains("type `COMMIT`"), "{refused}");
    let events = run.complete(Some("COMMIT")).unwrap();
    assert_eq!(events.last(), Some(&Event::RunCompleted {}));
    session.record(&mut run, events).unwrap();
    assert_eq!(run.position, Position::Completed);
    assert_same(&run, &session);

    let branches: Vec<_> = run.history.iter().map(|v| v.step.as_str()).collect();
    assert_eq!(
        branches,
        ["prepare", "echo", "route", "brief", "attach", "commit"]
    );
    assert!(matches!(
        run.note("late"),
        Err(owner_console::engine::EngineError::Finished(_))
    ));
}

#[test]
fn right_branch_http_check_gates_on_status_and_field() {
    let dir = common::walk_workspace();
    let session = session(dir.path());
    let port = common::serve(200, r#"{"status":"degraded"}"#, 1);
    let mut run = start(&session, "x", port);
    for item in [0, 1] {
        let event = run.toggle_item(item).unwrap();
        session.record(&mut run, vec![event]).unwrap();
    }
    let events = run.complete(None).unwrap();
    session.record(&mut run, events).unwrap();
    let events = run.skip("echo checked by hand").unwrap();
    session.record(&mut run, events).unwrap();
    let events = run.choose("Right", None).unwrap();
    session.record(&mut run, events).unwrap();
    assert_eq!(run.position, Position::At("health".into()));

    let prepared = steps::prepare(&session, &run, Act::CheckHttp).unwrap();
    assert_eq!(
        prepared.describe(),
        format!("checking: http://127.0.0.1:{port}/healthz")
    );
    let event = runtime().block_on(prepared.execute()).unwrap().event;
    session.record(&mut run, vec![event]).unwrap();
    let blocker = run.completion_blocker().unwrap();
    assert!(
        blocker.contains("/status = degraded, expected ok"),
        "{blocker}"
    );
    assert!(run.complete(None).is_err());
    assert_same(&run, &session);
}

#[test]
fn a_command_that_fails_blocks_until_it_passes() {
    let dir = common::walk_workspace();
    let session = session(dir.path());
    let mut run = start(&session, "y", 9);
    for item in [0, 1] {
        let event = run.toggle_item(item).unwrap();
        session.record(&mut run, vec![event]).unwrap();
    }
    let events = run.complete(None).unwrap();
    session.record(&mut run, events).unwrap();
    std::fs::create_dir(dir.path().join("label.out")).unwrap();
    let prepared = steps::prepare(&session, &run, Act::RunCommand).unwrap();
    let event = runtime().block_on(prepared.execute()).unwrap().event;
    session.record(&mut run, vec![event]).unwrap();
    let blocker = run.completion_blocker().unwrap();
    assert!(
        blocker.contains("gave exit 2, expected exit 0"),
        "{blocker}"
    );
    assert!(run.complete(None).is_err());
    assert_eq!(
        run.visit.commands.len(),
        1,
        "the failed attempt is kept as evidence"
    );
}

#[test]
fn inputs_are_checked_before_anything_is_recorded() {
    let dir = common::walk_workspace();
    let session = session(dir.path());
    let book = session.runbook("walk").unwrap();
    let bad = |inputs: &[(&str, &str)], network: &str| {
        let map = inputs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        session.start(&book, network, map).unwrap_err().to_string()
    };
    assert!(bad(&[], "demo").contains("input `label`: is required"));
    assert!(
        bad(&[("label", "a"), ("port", "-1")], "demo")
            .contains("input `port`: `-1` is not an unsigned decimal integer")
    );
    assert!(
        bad(&[("label", "a"), ("colour", "red")], "demo")
            .contains("input `colour`: the runbook declares no such input")
    );
    assert!(
        bad(&[("label", "a")], "mainnet")
            .contains("does not run on network `mainnet` (valid: demo)")
    );
    assert!(
        session.runs().unwrap().0.is_empty(),
        "no refused start reached the journal"
    );
}

#[test]
fn a_changed_runbook_is_not_silently_resumed() {
    let dir = common::walk_workspace();
    let first = session(dir.path());
    let run = start(&first, "z", 9);
    let path = dir.path().join("runbooks/update/walk.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("items = [\"first\", \"second\"]", "items = [\"first\"]"),
    )
    .unwrap();
    let second = session(dir.path());
    let error = second.open_run(&run.id).unwrap_err();
    assert!(
        matches!(error, SessionError::RunbookChanged { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("changed since the run started"));
    let (runs, _) = second.runs().unwrap();
    assert!(
        runs[0].problem.as_deref().unwrap_or("").contains("changed"),
        "the start screen flags it"
    );
}
