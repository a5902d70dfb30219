//! The run index beside the ledger (`storage/owner-ledger.index.json`) on real files: whatever
//! state it is in (missing, behind the ledger, corrupt, from other runbooks, lying), the run
//! list is the one a full replay of the ledger gives, and the index ends up rewritten.

use crate::support::ledger::{DAY, MINUTE, Writer, known_runs};
use crate::support::workspace::{read_run_index, shipped_workspace};
use owner_console::session::Session;
use owner_console::session::run_index::{IndexedRuns, Source};
use owner_console::tui::task::TaskDone;
use owner_console::workspace::Workspace;
use std::path::{Path, PathBuf};

const NOW: i64 = 1_800_000_000;

type IndexEdit = Box<dyn Fn(&mut serde_json::Value)>;

fn session(workspace: &Path) -> Session {
    Session::open(Workspace::folder(workspace), "tester".into()).unwrap()
}

fn index_file(workspace: &Path) -> PathBuf {
    workspace.join("storage/owner-ledger.index.json")
}

fn ledger_file(workspace: &Path) -> PathBuf {
    workspace.join("storage/owner-ledger.jsonl")
}

/// The list through the index, checked against a full replay of the same ledger.
fn indexed_equals_full(workspace: &Path) -> IndexedRuns {
    let session = session(workspace);
    let indexed = session.runs_indexed().unwrap();
    let (runs, damage) = session.runs().unwrap();
    assert_eq!(
        indexed.runs, runs,
        "the run list differs from a full replay"
    );
    assert_eq!(indexed.damage, damage, "the damaged lines differ");
    indexed
}

fn full_replay_because(indexed: &IndexedRuns, why: &str) {
    match &indexed.source {
        Source::FullReplay(reason) => assert!(reason.contains(why), "{reason:?} lacks {why:?}"),
        other => panic!("expected a full replay ({why}), got {other:?}"),
    }
}

fn used_index(indexed: &IndexedRuns, replayed: usize) {
    assert_eq!(indexed.source, Source::Index { replayed });
}

/// Ten known runs, and the index written once.
fn workspace_with_index() -> tempfile::TempDir {
    let workspace = shipped_workspace();
    known_runs(workspace.path(), NOW);
    let built = indexed_equals_full(workspace.path());
    full_replay_because(&built, "no run index");
    assert_eq!(built.runs.len(), 10);
    workspace
}

fn edit_index(workspace: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    crate::support::workspace::edit_run_index(&index_file(workspace), edit);
}

#[test]
fn a_missing_index_is_built_from_a_full_replay_then_used() {
    let workspace = workspace_with_index();
    assert!(
        index_file(workspace.path()).exists(),
        "the index is written"
    );
    let again = indexed_equals_full(workspace.path());
    used_index(&again, 0);
}

/// What a kill -9 between a ledger append and the index write leaves: the index behind. Only
/// the entries after it are replayed, with the earlier entries of the runs they touch.
#[test]
fn entries_appended_after_the_index_are_replayed_alone() {
    let workspace = shipped_workspace();
    let writer = Writer::new(workspace.path());
    writer.start(
        "r-open",
        "fee-update",
        owner_console::engine::Mode::Offline,
        NOW,
    );
    writer.done("r-open", "change-brief", NOW + MINUTE);
    writer.fee_update("r-done", NOW - DAY, Some(MINUTE), Some(3000));
    full_replay_because(&indexed_equals_full(workspace.path()), "no run index");

    writer.done("r-open", "quorum-deadline", NOW + 2 * MINUTE);
    writer.start(
        "r-new",
        "fee-update",
        owner_console::engine::Mode::Offline,
        NOW + 3 * MINUTE,
    );
    let caught_up = indexed_equals_full(workspace.path());
    used_index(&caught_up, 2);
    let open = caught_up.runs.iter().find(|r| r.id == "r-open").unwrap();
    assert_eq!(open.current_step.as_deref(), Some("config-lint"));
    assert_eq!(open.entries, 3);
    assert!(caught_up.runs.iter().any(|r| r.id == "r-new"));

    let index = read_run_index(&index_file(workspace.path()));
    let length = std::fs::metadata(ledger_file(workspace.path()))
        .unwrap()
        .len();
    assert_eq!(
        index["covered"]["bytes"], length,
        "the index is rewritten to the end"
    );
    used_index(&indexed_equals_full(workspace.path()), 0);
}

#[test]
fn a_corrupt_index_falls_back_to_a_full_replay_and_is_rewritten() {
    let workspace = workspace_with_index();
    let path = index_file(workspace.path());
    let whole = std::fs::read(&path).unwrap();
    for (case, bytes) in [
        ("empty", Vec::new()),
        ("cut in half", whole[..whole.len() / 2].to_vec()),
        ("not JSON", b"\x00\xffgarbage".to_vec()),
        ("its header alone", header_line(&whole)),
    ] {
        std::fs::write(&path, &bytes).unwrap();
        let indexed = indexed_equals_full(workspace.path());
        full_replay_because(&indexed, "not a run index");
        assert_ne!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{case}: not rewritten"
        );
        used_index(&indexed_equals_full(workspace.path()), 0);
    }
}

#[test]
fn an_index_that_does_not_end_where_the_ledger_says_is_not_used() {
    let workspace = workspace_with_index();
    let length = std::fs::metadata(ledger_file(workspace.path()))
        .unwrap()
        .len();
    let cases: [(&str, IndexEdit); 4] = [
        (
            "longer than the ledger",
            Box::new(move |i| i["covered"]["bytes"] = (length + 10).into()),
        ),
        (
            "another last line",
            Box::new(|i| i["covered"]["last_line_sha256"] = "00".repeat(32).into()),
        ),
        (
            "ending inside a line",
            Box::new(move |i| i["covered"]["bytes"] = (length - 5).into()),
        ),
        (
            "another console",
            Box::new(|i| i["console"] = "0.0.1".into()),
        ),
    ];
    for (case, edit) in cases {
        edit_index(workspace.path(), edit);
        let indexed = indexed_equals_full(workspace.path());
        assert!(
            matches!(indexed.source, Source::FullReplay(_)),
            "{case}: {:?}",
            indexed.source
        );
        used_index(&indexed_equals_full(workspace.path()), 0);
    }
}

/// The ledger rewritten under the index: a line inserted in the middle shifts the line the
/// index ends on; the list (with the inserted line reported as damage) comes from the ledger.
#[test]
fn a_ledger_rewritten_under_the_index_is_replayed_in_full() {
    let workspace = workspace_with_index();
    let ledger = ledger_file(workspace.path());
    let text = std::fs::read_to_string(&ledger).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(3, "{\"not\": \"an entry\"}");
    std::fs::write(&ledger, lines.join("\n") + "\n").unwrap();
    let indexed = indexed_equals_full(workspace.path());
    full_replay_because(&indexed, "does not hold");
    assert_eq!(indexed.damage.len(), 1);
    assert_eq!(indexed.damage[0].line, 4);
}

#[test]
fn a_closed_run_with_new_entries_is_replayed_in_full() {
    let workspace = workspace_with_index();
    let writer = Writer::new(workspace.path());
    writer.done("r-01", "health-check", NOW);
    let indexed = indexed_equals_full(workspace.path());
    full_replay_because(&indexed, "closed in the run index");
    let run = indexed.runs.iter().find(|r| r.id == "r-01").unwrap();
    assert!(
        run.problem.is_some(),
        "a step after the end does not replay: {run:?}"
    );
}

#[test]
fn a_changed_runbook_invalidates_the_index() {
    let workspace = workspace_with_index();
    let file = workspace.path().join("runbooks/update/fee-update.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text + "\n# edited\n").unwrap();
    let indexed = indexed_equals_full(workspace.path());
    full_replay_because(&indexed, "runbooks changed");
    let changed = indexed.runs.iter().filter(|r| r.runbook == "fee-update");
    for run in changed {
        let problem = run.problem.as_deref().unwrap_or_default();
        assert!(problem.contains("changed since the run started"), "{run:?}");
    }
}

/// A torn last line is reported (with its line number) but not covered by the index; once
/// repaired, appends go on and the index follows.
#[test]
fn a_torn_tail_is_reported_and_left_out_of_the_index() {
    let workspace = workspace_with_index();
    let ledger = ledger_file(workspace.path());
    let length = std::fs::metadata(&ledger).unwrap().len();
    let lines = std::fs::read_to_string(&ledger).unwrap().lines().count();
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&ledger)
        .unwrap();
    std::io::Write::write_all(&mut file, b"{\"seq\": 40, \"ti").unwrap();
    drop(file);
    let torn = indexed_equals_full(workspace.path());
    used_index(&torn, 0);
    assert_eq!(torn.damage.len(), 1);
    assert_eq!(torn.damage[0].line, lines + 1);
    let again = indexed_equals_full(workspace.path());
    assert_eq!(again.damage, torn.damage);

    let index = read_run_index(&index_file(workspace.path()));
    assert_eq!(index["covered"]["bytes"], length);
    session(workspace.path())
        .ledger()
        .repair()
        .unwrap()
        .expect("a backup");
    Writer::new(workspace.path()).start(
        "r-11",
        "fee-update",
        owner_console::engine::Mode::Offline,
        NOW,
    );
    let repaired = indexed_equals_full(workspace.path());
    used_index(&repaired, 1);
    assert!(repaired.damage.is_empty());
}

/// A lying index (a summary edited, the covered part intact) passes the cheap check and gives
/// the first frame; the full replay the console runs beside the verification then shows the
/// ledger's list, says so, and rewrites the index.
#[test]
fn a_lying_index_is_corrected_by_the_background_replay() {
    let workspace = workspace_with_index();
    edit_index(workspace.path(), |index| {
        let runs = index["closed"].as_array_mut().unwrap();
        let run = runs.iter_mut().find(|r| r["id"] == "r-03").unwrap();
        assert_eq!(run["status"], "aborted");
        run["status"] = "completed".into();
    });
    let mut app = app_on(workspace.path());
    let shown = app.runs().iter().find(|r| r.id == "r-03").unwrap();
    assert_eq!(
        shown.status, "completed",
        "the first frame comes from the index"
    );

    let done = crate::support::tui::run_task(app.list_runs_task());
    assert!(matches!(done, TaskDone::RunsListed(Ok(_))));
    app.on_task_done(done);
    let (full, _) = session(workspace.path()).runs().unwrap();
    assert_eq!(app.runs(), full);
    let (status, is_error) = app
        .status()
        .map(|s| (s.text().to_owned(), s.is_warning()))
        .expect("a status line");
    assert!(
        status.contains("run index did not match the ledger") && is_error,
        "{status}"
    );
    used_index(&indexed_equals_full(workspace.path()), 0);
}

/// The start screen's first frame reads the unfinished runs and the count of all entries from
/// the index's header line; the closed runs (its second line) join the list right after.
#[test]
fn the_first_frame_reads_the_unfinished_runs_and_the_closed_ones_after() {
    let workspace = workspace_with_index();
    let (full, _) = session(workspace.path()).runs().unwrap();
    let unfinished: Vec<_> = full
        .iter()
        .filter(|r| r.status == "unfinished")
        .cloned()
        .collect();
    assert!(
        !unfinished.is_empty() && unfinished.len() < full.len(),
        "{} of {} runs unfinished",
        unfinished.len(),
        full.len()
    );
    let index = read_run_index(&index_file(workspace.path()));
    assert_eq!(
        index["unfinished"].as_array().unwrap().len(),
        unfinished.len()
    );
    assert_eq!(
        index["closed"].as_array().unwrap().len(),
        full.len() - unfinished.len()
    );

    let mut app = starting_app_on(workspace.path());
    assert_eq!(app.runs(), unfinished, "the first frame's list");
    assert_eq!(app.entries(), full.iter().map(|r| r.entries).sum::<usize>());
    app.complete_run_list();
    assert_eq!(app.runs(), full);
    assert_eq!(app.status(), None);
}

/// The index's second line damaged while its header holds: the first frame still comes from
/// the header, then the list is replayed from the ledger, said on the status line, and the
/// index rewritten; the command forms replay in full too.
#[test]
fn closed_runs_that_do_not_read_are_replayed_from_the_ledger() {
    let workspace = workspace_with_index();
    let path = index_file(workspace.path());
    let (full, _) = session(workspace.path()).runs().unwrap();
    let header = String::from_utf8(header_line(&std::fs::read(&path).unwrap())).unwrap();
    for (case, closed) in [
        ("cut short", r#"[{"id": "r-01", "#),
        ("not summaries", r#"[{"id": 5}]"#),
        ("not a list", "{}"),
    ] {
        std::fs::write(&path, format!("{header}{closed}\n")).unwrap();
        let mut app = starting_app_on(workspace.path());
        app.complete_run_list();
        assert_eq!(app.runs(), full, "{case}");
        let (status, is_error) = app
            .status()
            .map(|s| (s.text().to_owned(), s.is_warning()))
            .expect("a status line");
        assert!(
            status.contains("closed runs did not read") && is_error,
            "{case}: {status}"
        );
        used_index(&indexed_equals_full(workspace.path()), 0);

        std::fs::write(&path, format!("{header}{closed}\n")).unwrap();
        full_replay_because(
            &indexed_equals_full(workspace.path()),
            "closed runs do not read",
        );
        used_index(&indexed_equals_full(workspace.path()), 0);
    }
}

/// The first line of an index file, with its newline.
fn header_line(index: &[u8]) -> Vec<u8> {
    let end = index.iter().position(|b| *b == b'\n').unwrap();
    index[..=end].to_vec()
}

fn app_on(workspace: &Path) -> owner_console::tui::app::App {
    use owner_console::tui::{app::App, keymap::Keymap, theme::Theme};
    let theme = Theme::new(false, &Default::default()).unwrap();
    App::new(session(workspace), Keymap::default(), theme)
}

/// The app as the console starts it: the closed runs not read yet.
fn starting_app_on(workspace: &Path) -> owner_console::tui::app::App {
    use owner_console::session::run_index::IndexFile;
    use owner_console::tui::{app::App, keymap::Keymap, theme::Theme};
    let theme = Theme::new(false, &Default::default()).unwrap();
    let session = session(workspace);
    let index_file = IndexFile::read(&session.ledger());
    App::with_index_file(session, Keymap::default(), theme, index_file)
}
