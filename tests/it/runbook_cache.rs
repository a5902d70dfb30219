//! The runbook cache in storage (`storage/runbook-cache.json`) on real files: the console's
//! start-up reads validated runbooks from it, gets exactly what loading the files gives, and
//! whatever state the cache is in (missing, corrupt, stale, lying) ends with the files' runbooks
//! shown and the cache rewritten. The command forms never read it.

use crate::support::pty::{PtyApp, Sandbox, TIMEOUT};
use crate::support::workspace::shipped_workspace;
use owner_console::runbook::load::load_texts;
use owner_console::session::Session;
use owner_console::tui::task::TaskDone;
use owner_console::workspace::Workspace;
use std::path::{Path, PathBuf};

const TAMPERED: &str = "TAMPERED TITLE";

type Spoil = Box<dyn Fn(&Path)>;

fn cache_file(workspace: &Path) -> PathBuf {
    workspace.join("storage/runbook-cache.json")
}

fn fresh(workspace: &Path) -> Session {
    Session::open(Workspace::folder(workspace), "tester".into()).unwrap()
}

fn cached(workspace: &Path) -> Session {
    Session::open_cached(Workspace::folder(workspace), "tester".into()).unwrap()
}

/// What the console shows of the runbooks: every runbook and every problem, in order.
fn assert_same_runbooks(got: &Session, want: &Session) {
    assert_eq!(got.runbooks.len(), want.runbooks.len());
    for (got, want) in got.runbooks.iter().zip(&want.runbooks) {
        assert_eq!(**got, **want, "runbook {} differs", want.id);
    }
    assert_eq!(got.problems, want.problems);
}

fn edit_cache(workspace: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    crate::support::workspace::edit_json(&cache_file(workspace), edit);
}

/// The cached entry of runbook `id`.
fn entry<'a>(cache: &'a mut serde_json::Value, id: &str) -> &'a mut serde_json::Value {
    cache["loaded"]
        .as_object_mut()
        .unwrap()
        .values_mut()
        .find(|loaded| loaded["runbook"]["id"] == id)
        .unwrap_or_else(|| panic!("no cached runbook {id}"))
}

fn title_of(session: &Session, id: &str) -> String {
    let book = session.runbooks.iter().find(|b| b.id == id).unwrap();
    book.title.clone()
}

/// A workspace whose cache was written by a first start.
fn workspace_with_cache() -> tempfile::TempDir {
    let workspace = shipped_workspace();
    let first = cached(workspace.path());
    assert!(
        !first.runbooks_from_cache,
        "nothing to read on a first start"
    );
    assert!(
        cache_file(workspace.path()).is_file(),
        "the cache is written"
    );
    assert_same_runbooks(&first, &fresh(workspace.path()));
    workspace
}

#[test]
fn a_second_start_reads_the_cache_and_gets_what_the_files_give() {
    let workspace = workspace_with_cache();
    let written = std::fs::metadata(cache_file(workspace.path())).unwrap();
    let second = cached(workspace.path());
    assert!(second.runbooks_from_cache);
    assert_same_runbooks(&second, &fresh(workspace.path()));
    let after = std::fs::metadata(cache_file(workspace.path())).unwrap();
    assert_eq!(
        written.modified().unwrap(),
        after.modified().unwrap(),
        "a cache that held every file is not rewritten"
    );
}

#[test]
fn an_edited_runbook_is_loaded_from_its_file_and_the_cache_rewritten() {
    let workspace = workspace_with_cache();
    let file = workspace
        .path()
        .join("runbooks/emergency/pause-everything.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let old_title = title_of(&fresh(workspace.path()), "pause-everything");
    std::fs::write(&file, text.replacen(&old_title, "Pause it all", 1)).unwrap();

    let session = cached(workspace.path());
    assert_eq!(title_of(&session, "pause-everything"), "Pause it all");
    assert_same_runbooks(&session, &fresh(workspace.path()));
    let cache = std::fs::read_to_string(cache_file(workspace.path())).unwrap();
    assert!(cache.contains("Pause it all"), "the new text is cached");
    assert!(
        !cache.contains(&old_title),
        "the old text's entry is dropped"
    );
}

#[test]
fn a_corrupt_or_foreign_cache_is_passed_over_and_rewritten() {
    let cases: [(&str, Spoil); 3] = [
        (
            "garbage",
            Box::new(|w| std::fs::write(cache_file(w), b"{not json").unwrap()),
        ),
        (
            "another console",
            Box::new(|w| edit_cache(w, |c| c["console"] = "0.0.0-other".into())),
        ),
        (
            "a runbook of the wrong shape",
            Box::new(|w| {
                edit_cache(w, |c| {
                    entry(c, "pause-everything")["runbook"]["steps"] = 7.into()
                })
            }),
        ),
    ];
    for (case, spoil) in cases {
        let workspace = workspace_with_cache();
        spoil(workspace.path());
        let session = cached(workspace.path());
        assert!(!session.runbooks_from_cache, "{case}: the cache was used");
        assert_same_runbooks(&session, &fresh(workspace.path()));
        assert!(
            cached(workspace.path()).runbooks_from_cache,
            "{case}: not rewritten"
        );
    }
}

/// A cache edited to lie (same text's hash, another title) gives the first frame; the fresh
/// load that the console runs before it handles a key puts it right, says so, and rewrites it.
#[test]
fn a_lying_cache_is_put_right_by_the_fresh_load() {
    let workspace = workspace_with_cache();
    edit_cache(workspace.path(), |cache| {
        entry(cache, "pause-everything")["runbook"]["title"] = TAMPERED.into();
    });
    let mut app = app_on(cached(workspace.path()));
    assert_eq!(title_of(&app.session, "pause-everything"), TAMPERED);

    let task = app.load_runbooks_task();
    let done = crate::support::tui::run_task(task.expect("runbooks from the cache are checked"));
    assert!(matches!(done, TaskDone::RunbooksLoaded(Ok(_))));
    app.on_task_done(done);
    assert_same_runbooks(&app.session, &fresh(workspace.path()));
    let (status, is_error) = app
        .status()
        .map(|s| (s.text().to_owned(), s.is_warning()))
        .expect("a status line");
    assert!(
        status.contains("runbook cache did not match") && is_error,
        "{status}"
    );
    assert!(app.load_runbooks_task().is_none(), "checked once");
    let again = cached(workspace.path());
    assert!(again.runbooks_from_cache);
    assert_same_runbooks(&again, &fresh(workspace.path()));
}

#[test]
fn an_honest_cache_is_left_as_it_is_by_the_fresh_load() {
    let workspace = workspace_with_cache();
    let mut session = cached(workspace.path());
    let files = Workspace::folder(workspace.path()).runbook_files().unwrap();
    let before = std::fs::read(cache_file(workspace.path())).unwrap();
    assert!(!session.reconcile(&files, load_texts(&files)));
    assert!(!session.runbooks_from_cache);
    assert_eq!(std::fs::read(cache_file(workspace.path())).unwrap(), before);
}

/// `validate` (and every command form) loads the files: a cache that hides a file's error
/// changes nothing there.
#[test]
fn the_command_forms_never_read_the_cache() {
    let sandbox = Sandbox::listed();
    let workspace = sandbox.workspace();
    let good = fresh(workspace);
    let good_runbook = good.runbooks.iter().find(|b| b.id == "pause-everything");
    let good_runbook = serde_json::to_value(&**good_runbook.unwrap()).unwrap();
    let file = workspace.join("runbooks/emergency/pause-everything.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("kind = \"", "kind = \"no-such-", 1)).unwrap();
    assert!(cached(workspace).has_errors(), "the file has an error");
    edit_cache(workspace, |cache| {
        let (_, lie) = cache["loaded"]
            .as_object_mut()
            .unwrap()
            .iter_mut()
            .find(|(key, _)| key.ends_with("runbooks/emergency/pause-everything.toml"))
            .expect("the broken file's entry");
        lie["problems"] = serde_json::json!([]);
        lie["runbook"] = good_runbook;
    });
    assert!(!cached(workspace).has_errors(), "the cache now lies");

    let validated = sandbox.cli(&["validate"]);
    let (out, err) = crate::support::cli::text(&validated);
    let report = format!("{out}{err}");
    assert!(!validated.status.success(), "{report}");
    assert!(
        report.contains("pause-everything.toml") && report.contains("kind"),
        "{report}"
    );
}

/// The real binary: with a lying cache, the start screen ends up with the file's title and
/// the warning, and the cache rewritten.
#[test]
fn the_console_shows_the_files_runbooks_whatever_the_cache_said() {
    let sandbox = Sandbox::listed();
    let workspace = sandbox.workspace();
    cached(workspace);
    edit_cache(workspace, |cache| {
        entry(cache, "pause-everything")["runbook"]["title"] = TAMPERED.into();
    });
    let real = title_of(&fresh(workspace), "pause-everything");

    let mut app = PtyApp::spawn(sandbox.command(&[]), 80, 24);
    let screen = app.wait_for("runbook cache did not match", TIMEOUT);
    assert!(screen.contains(&real), "{screen}");
    assert!(!screen.contains(TAMPERED), "{screen}");
    app.send("q");
    assert!(app.wait_exit(TIMEOUT).success());
    assert!(cached(workspace).runbooks_from_cache);
    assert_eq!(title_of(&cached(workspace), "pause-everything"), real);
}

fn app_on(session: Session) -> owner_console::tui::app::App {
    use owner_console::tui::{app::App, keymap::Keymap, theme::Theme};
    let theme = Theme::new(false, &Default::default()).unwrap();
    App::new(session, Keymap::default(), theme)
}
