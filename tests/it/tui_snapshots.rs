//! The whole app on ratatui's TestBackend after scripted keys, snapshotted with insta. Run
//! ids, times, ages and temporary folder names are filtered out.

use crate::support::tui::{FILTERS, Harness};
use crossterm::event::KeyCode;
use owner_console::tui::keymap::Keymap;

macro_rules! snapshot {
    ($name:expr, $screen:expr) => {
        insta::with_settings!({ filters => FILTERS.to_vec() }, {
            insta::assert_snapshot!($name, $screen);
        });
    };
}

use KeyCode::{Down, Enter, Esc, Tab};

#[test]
fn start_screen() {
    let mut h = Harness::new(80, 24);
    snapshot!("start_screen", h.screen());
    h.keys(&[KeyCode::Char('/')]).typed("pause");
    snapshot!("start_screen_filtered", h.screen());
}

#[test]
fn start_form() {
    let mut h = Harness::new(80, 24);
    h.keys(&[Enter]);
    snapshot!("start_form", h.screen());
    h.keys(&[Enter]);
    snapshot!("start_form_missing_input", h.screen());
}

#[test]
fn walking_the_high_branch() {
    let mut h = Harness::new(80, 24);
    h.start_matrix();
    snapshot!("run_first_step", h.screen());
    h.keys(&[KeyCode::Char(' '), KeyCode::Char(' ')]);
    snapshot!("run_two_ticked", h.screen());
    h.keys(&[Enter]);
    snapshot!("run_blocked_enter", h.screen());
    h.keys(&[KeyCode::Char(' '), KeyCode::Char(' '), Enter, Down, Down]);
    snapshot!("run_triage_high_selected", h.screen());
    h.keys(&[Enter]);
    snapshot!("run_after_high", h.screen());
    h.keys(&[KeyCode::Char('f')]);
    snapshot!("flowchart_after_high", h.screen());
}

#[test]
fn help_lists_every_binding() {
    let mut h = Harness::new(80, 24);
    h.start_matrix().keys(&[KeyCode::Char('?')]);
    let first = h.screen();
    let mut screen = first.clone();
    for _ in 0..40 {
        screen.push_str(&h.keys(&[Down]).screen());
    }
    for binding in &Keymap::default().bindings {
        if binding.context != owner_console::tui::keymap::Context::Flowchart {
            assert!(
                screen.contains(binding.description),
                "help shows `{}`",
                binding.description
            );
        }
    }
    snapshot!("help", first);
}

#[test]
fn skip_asks_for_a_reason_and_abort_for_the_word() {
    let mut h = Harness::new(80, 24);
    h.start_matrix().keys(&[KeyCode::Char('s')]);
    snapshot!("skip_prompt", h.screen());
    h.typed("facts already known").keys(&[Enter]);
    snapshot!("after_skip", h.screen());
    h.keys(&[KeyCode::Char('A')])
        .typed("drill over")
        .keys(&[Enter]);
    snapshot!("abort_confirm", h.screen());
    h.typed("abrt").keys(&[Enter]);
    snapshot!("abort_confirm_wrong_word", h.screen());
}

#[test]
fn small_and_too_small_terminals() {
    let mut h = Harness::new(60, 20);
    h.start_matrix();
    snapshot!("run_60x20", h.screen());
    h.resize(50, 15);
    snapshot!("too_small", h.screen());
    h.resize(80, 24);
    assert!(
        h.screen().contains("stabilise"),
        "a resize back redraws the run"
    );
}

#[test]
fn resuming_from_the_start_screen() {
    let mut h = Harness::new(80, 24);
    h.start_matrix().keys(&[KeyCode::Char(' '), Esc]);
    snapshot!("start_screen_with_unfinished_run", h.screen());
    h.keys(&[Enter]);
    let screen = h.screen();
    assert!(screen.contains("[x] I know which alert fired"), "{screen}");
}

#[test]
fn a_command_runs_only_after_its_confirmation_and_its_result_gates_the_step() {
    let mut h = Harness::new(80, 24);
    h.keys(&[KeyCode::Char('/')])
        .typed("fee")
        .keys(&[Enter, Enter])
        .typed("3")
        .keys(&[Tab])
        .typed("5")
        .keys(&[Enter]);
    h.keys(&[KeyCode::Char('n')])
        .typed("Burn 2 -> 3, fee 5 stays.")
        .ctrl('s');
    snapshot!("note_recorded", h.screen());
    h.keys(&[Enter]);
    for _ in 0..4 {
        h.keys(&[KeyCode::Char(' ')]);
    }
    h.keys(&[Enter, KeyCode::Char('x')]);
    snapshot!("command_confirm", h.screen());
    let wrong = h.typed("yes").keys(&[Enter]).screen();
    assert!(wrong.contains("type `run` exactly"), "{wrong}");
    for _ in 0..3 {
        h.keys(&[KeyCode::Backspace]);
    }
    h.typed("run").key_running_task(Enter);
    snapshot!("command_passed", h.screen());
    h.keys(&[Enter]);
    assert!(
        h.screen().contains("diff-dry-run"),
        "the passing command let the run move on"
    );
}

#[test]
fn the_ledger_view_lists_entries_and_shows_one_in_full() {
    let mut h = Harness::new(80, 24);
    h.start_matrix()
        .keys(&[KeyCode::Char(' '), KeyCode::Char('l')]);
    let screen = h.screen();
    assert!(screen.contains("✓ VERIFIED"), "{screen}");
    snapshot!("ledger_run", screen);
    h.keys(&[Enter]);
    let entry = h.screen();
    assert!(
        entry.contains("signed by alice (operator)")
            && entry.contains("\"type\": \"item-checked\""),
        "{entry}"
    );
    h.keys(&[Esc, KeyCode::Char('t')]);
    assert!(h.screen().contains("Ledger: all entries"));
}

#[test]
fn a_tampered_ledger_shows_as_failed() {
    let mut h = Harness::new(80, 24);
    h.start_matrix().keys(&[KeyCode::Char(' '), Esc]);
    let path = h.ledger_file();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\"item\":0", "\"item\":1", 1)).unwrap();
    h.verify();
    let screen = h.screen();
    assert!(screen.contains("ledger ✗ FAILED"), "{screen}");
    h.keys(&[KeyCode::Char('l')]);
    let screen = h.screen();
    assert!(
        screen.contains("✗ VERIFY FAILED: seq 1 (line 2): edited"),
        "{screen}"
    );
}

#[test]
fn ctrl_c_quits_from_inside_a_form_and_a_prompt() {
    let mut h = Harness::new(80, 24);
    h.keys(&[Enter]).ctrl('c');
    assert!(h.app.should_quit(), "Ctrl+C in the start form quits");
    let mut h = Harness::new(80, 24);
    h.start_matrix().keys(&[KeyCode::Char('s')]).ctrl('c');
    assert!(h.app.should_quit(), "Ctrl+C in the skip prompt quits");
}
