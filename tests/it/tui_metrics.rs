//! The metrics view (`m` on the start screen) on ratatui's TestBackend over a ledger of known
//! runs, snapshotted with insta; dates and the temporary folder's name are filtered out.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use owner_console::session::Session;
use owner_console::tui::app::{App, View};
use owner_console::tui::keymap::Keymap;
use owner_console::tui::theme::Theme;
use owner_console::tui::views;
use owner_console::workspace::Workspace;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn open(workspace: &std::path::Path, colour: bool) -> App {
    let session = Session::open(Workspace::folder(workspace), "nobody".into()).unwrap();
    App::new(
        session,
        Keymap::default(),
        Theme::new(colour, &Default::default()).unwrap(),
    )
}

fn press(app: &mut App, code: KeyCode) {
    assert!(
        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
            .is_none()
    );
}

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| views::draw(frame, app)).unwrap();
    terminal.backend().to_string()
}

macro_rules! snapshot {
    ($name:expr, $screen:expr) => {
        insta::with_settings!({ filters => vec![
            (r"\d{4}-\d{2}-\d{2}", "[DATE]"),
            (r"· \.tmp\w+", "· [WS]"),
        ]}, {
            insta::assert_snapshot!($name, $screen);
        });
    };
}

#[test]
fn the_metrics_view_shows_counts_charts_and_overdue_in_words() {
    let ws = crate::support::workspace::shipped_workspace();
    crate::support::ledger::known_runs(ws.path(), jiff::Timestamp::now().as_second());
    let mut app = open(ws.path(), false);
    press(&mut app, KeyCode::Char('m'));
    assert_eq!(app.view(), View::Metrics);
    let plain = screen(&app, 80, 24);
    snapshot!("metrics_80x24", plain.clone());
    for words in [
        "10 runs · 7 completed · 2 aborted · 1 unfinished · emergencies 2",
        "execute mean 38m 48s, median 40m · sign-off wait mean 16m 15s, median 15m",
        "rollbacks 2 / 3 completed updates = 66.7%",
        "drills 2 (apart from the above), their execute median 22m 30s, last",
        "OVERDUE: security-hardening-review",
        "│drill     2███",
        "0  0  0  1  0  0  0  1  1  2  2  2",
    ] {
        assert!(plain.contains(words), "{words:?} not on\n{plain}");
    }

    let mut coloured = open(ws.path(), true);
    press(&mut coloured, KeyCode::Char('m'));
    assert_eq!(screen(&coloured, 80, 24), plain, "colour changes no text");

    press(&mut app, KeyCode::Esc);
    assert_eq!(app.view(), View::Home);
    assert!(app.metrics().is_none());
}

#[test]
fn the_metrics_view_of_an_empty_ledger_says_so() {
    let ws = crate::support::workspace::shipped_workspace();
    let mut app = open(ws.path(), false);
    press(&mut app, KeyCode::Char('m'));
    snapshot!("metrics_empty", screen(&app, 80, 24));
    press(&mut app, KeyCode::Char('m'));
    assert_eq!(app.view(), View::Home);
}

/// The per-runbook table shows a page of the runbooks, says which and that more lie below or
/// above, and stops at its ends.
#[test]
fn the_per_runbook_table_scrolls_to_every_runbook_and_stops_at_its_ends() {
    let ws = crate::support::workspace::shipped_workspace();
    crate::support::ledger::known_runs(ws.path(), jiff::Timestamp::now().as_second());
    let mut app = open(ws.path(), false);
    press(&mut app, KeyCode::Char('m'));
    let rows = app.metrics().unwrap().report.runbooks.len();
    let first = screen(&app, 80, 24);
    assert!(first.contains(&format!(" of {rows} ↓ more ")), "{first}");
    let last = app.metrics().unwrap().report.runbooks[rows - 1]
        .runbook
        .clone();
    let row_of_last = format!("│{last} ");
    assert!(!first.contains(&row_of_last), "{first}");
    press(&mut app, KeyCode::End);
    let end = screen(&app, 80, 24);
    assert!(end.contains(&row_of_last), "{end}");
    assert!(end.contains(&format!("–{rows} of {rows} ↑ more ")), "{end}");
    press(&mut app, KeyCode::Down);
    assert_eq!(screen(&app, 80, 24), end, "the table stops at its end");
    press(&mut app, KeyCode::Home);
    assert_eq!(screen(&app, 80, 24), first);
    press(&mut app, KeyCode::Up);
    assert_eq!(screen(&app, 80, 24), first, "and at its start");
}
