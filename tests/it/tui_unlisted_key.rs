//! The console of a new operator whose key `config/operators.toml` does not list yet: the
//! status bar and the ledger view say its entries are signed by an unlisted key (as `ledger
//! verify` does), while it records and after a restart alike; an empty ledger view says so.

use crate::support::tui::{Harness, app_on, run_task};
use crate::support::workspace::shipped_workspace;
use alloy_signer_local::PrivateKeySigner;
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn harness_with_unlisted_key(key: &PrivateKeySigner) -> Harness {
    let workspace = shipped_workspace();
    let app = app_on(workspace.path(), key.clone(), false);
    let mut harness = Harness {
        app,
        terminal: Terminal::new(TestBackend::new(80, 24)).unwrap(),
        workspace,
    };
    harness.verify();
    harness
}

fn entries_in(h: &Harness) -> usize {
    std::fs::read_to_string(h.ledger_file())
        .unwrap()
        .lines()
        .count()
}

#[test]
fn a_new_keys_entries_show_as_signed_by_an_unlisted_key_before_and_after_a_restart() {
    let key = PrivateKeySigner::random();
    let mut h = harness_with_unlisted_key(&key);
    h.start_matrix().keys(&[KeyCode::Char(' ')]);
    let recorded = entries_in(&h);
    assert!(recorded >= 2, "the run started and an item ticked");
    let unlisted = |n: usize| format!("ledger ⚠{n} signed by an unlisted key");
    let screen = h.screen();
    assert!(screen.contains(&unlisted(recorded)), "{screen}");
    assert!(!screen.contains("verified"), "{screen}");

    // One more entry: verified again, once, and until then the last verdict stays.
    let space = crossterm::event::KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE);
    assert!(h.app.handle_key(space).is_none());
    assert_eq!(entries_in(&h), recorded + 1);
    let task = h
        .app
        .verify_if_stale()
        .expect("an entry since: verify again");
    assert!(
        h.app.verify_if_stale().is_none(),
        "one verification at a time"
    );
    assert!(h.screen().contains(&unlisted(recorded)));
    h.app.on_task_done(run_task(task));
    assert!(h.screen().contains(&unlisted(recorded + 1)));
    assert!(h.app.verify_if_stale().is_none(), "verified once is enough");

    // A restart: the same words.
    h.app = app_on(h.workspace.path(), key, false);
    h.verify();
    let screen = h.screen();
    assert!(screen.contains(&unlisted(recorded + 1)), "{screen}");
    assert!(!screen.contains("FAILED"), "{screen}");
    h.keys(&[KeyCode::Char('l')]);
    let screen = h.screen();
    assert!(
        screen.contains(&format!(
            "⚠ {} entries signed by an unlisted key",
            recorded + 1
        )),
        "{screen}"
    );
    assert!(screen.contains("keys add-to-operators"), "{screen}");
}

#[test]
fn an_empty_ledger_view_says_so() {
    let mut h = harness_with_unlisted_key(&PrivateKeySigner::random());
    h.keys(&[KeyCode::Char('l')]);
    let screen = h.screen();
    assert!(screen.contains("No entries yet"), "{screen}");
}
