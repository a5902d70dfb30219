//! No wasted keys (issue #20, item 8), on the whole app with scripted keys: Space ticks and
//! moves on and `T` ticks the rest (each item its own ledger entry); the start form takes the
//! incident id typed first; a number chooses that option of a decision; `x` on a command the
//! runbook only shows says so and copies it; and
//! once a run is over, the steps it never reached read "not taken", not "pending".

use crate::support::run_view::journal_entries;
use crate::support::tui::Harness;
use crossterm::event::KeyCode::{self, Char, Down, Enter, Up};

/// The rows of the screen showing a checklist item, as `(cursor on it, ticked)`.
fn checklist_rows(screen: &str) -> Vec<(bool, bool)> {
    screen
        .lines()
        .filter_map(|row| {
            let at = row.find("[x] ").or_else(|| row.find("[ ] "))?;
            let before = &row[..at];
            Some((before.ends_with("› "), row[at..].starts_with("[x]")))
        })
        .collect()
}

/// The item-checked entries of the ledger, as `(item, checked)`.
fn ticks_in_ledger(h: &Harness) -> Vec<(u64, bool)> {
    journal_entries(&h.ledger_file())
        .iter()
        .filter(|e| e["type"] == "item-checked")
        .map(|e| {
            (
                e["body"]["item"].as_u64().expect("item"),
                e["body"]["checked"].as_bool().expect("checked"),
            )
        })
        .collect()
}

#[test]
fn space_ticks_and_moves_on_and_one_key_ticks_the_rest() {
    let mut h = Harness::new(80, 24);
    h.start_matrix();
    assert_eq!(
        checklist_rows(&h.screen()),
        [
            (true, false),
            (false, false),
            (false, false),
            (false, false)
        ]
    );
    h.keys(&[Char(' ')]);
    let screen = h.screen();
    assert_eq!(
        checklist_rows(&screen),
        [(false, true), (true, false), (false, false), (false, false)],
        "Space ticks the item and moves to the next:\n{screen}"
    );
    let hints = h.screen();
    assert!(
        hints.contains("T all"),
        "the hint bar offers the key that ticks the rest:\n{hints}"
    );
    h.keys(&[Char('T')]);
    let screen = h.screen();
    assert!(
        checklist_rows(&screen).iter().all(|(_, ticked)| *ticked),
        "T ticks every item left:\n{screen}"
    );
    assert!(
        screen.contains("✓ ready: Enter completes the step"),
        "{screen}"
    );
    assert_eq!(
        ticks_in_ledger(&h),
        [(0, true), (1, true), (2, true), (3, true)],
        "each item is its own ledger entry"
    );
    h.keys(&[Char('?')]);
    let mut help = h.screen();
    for _ in 0..40 {
        help.push_str(&h.keys(&[Down]).screen());
    }
    assert!(
        help.contains("tick every item left"),
        "the help overlay lists it"
    );
}

#[test]
fn a_number_chooses_that_option_of_a_decision() {
    let mut h = Harness::new(80, 24);
    h.start_matrix().keys(&[Char('T'), Enter]);
    assert!(h.screen().contains("How severe is the incident?"));
    h.keys(&[Char('4')]);
    assert!(
        h.screen().contains("▶ triage"),
        "there is no fourth option: nothing chosen"
    );
    h.keys(&[Char('3')]);
    let screen = h.screen();
    assert!(
        screen.contains("triage → High") && screen.contains("▶ incident-response"),
        "3 chooses the third option, High:\n{screen}"
    );
    let chosen: Vec<_> = journal_entries(&h.ledger_file())
        .into_iter()
        .filter(|e| e["type"] == "branch-chosen")
        .map(|e| e["body"]["option"].clone())
        .collect();
    assert_eq!(chosen, ["High"]);
}

#[test]
fn the_start_form_takes_the_incident_id_typed_first() {
    let mut h = Harness::new(80, 24);
    h.keys(&[Enter]).typed("INC-42").keys(&[Enter]);
    let screen = h.screen();
    assert!(
        screen.contains("step 1/20") && screen.contains("stabilise"),
        "the run starts with the id typed first:\n{screen}"
    );
    let started: Vec<_> = journal_entries(&h.ledger_file())
        .into_iter()
        .filter(|e| e["type"] == "run-started")
        .collect();
    assert_eq!(started.len(), 1);
    assert_eq!(started[0]["body"]["inputs"]["incident_id"], "INC-42");
    assert_eq!(started[0]["body"]["inputs"]["hardhat_network"], "mainnet");
}

/// From a started matrix to its `pause-script` step: the High branch, then Pause.
fn walk_to_the_pause_script(h: &mut Harness) {
    h.start_matrix()
        .keys(&[Char('T'), Enter, Down, Down, Enter])
        .keys(&[Char('T'), Enter, Enter]);
    let screen = h.screen();
    assert!(screen.contains("pause-script"), "{screen}");
}

#[test]
fn x_on_a_shown_only_command_says_so_and_copies_it() {
    let mut h = Harness::new(80, 24);
    walk_to_the_pause_script(&mut h);
    let command = "npx hardhat run scripts/v2/pauseAll.ts --network mainnet";
    let step = h.screen();
    let hints = step.lines().nth(22).unwrap_or_default();
    assert!(
        hints.contains("x show") && !hints.contains("x run"),
        "the hint bar offers to show the command, not to run it: {hints}"
    );
    h.keys(&[Char('x')]);
    let popup = h.screen();
    assert!(
        popup.contains("Shown only")
            && popup.contains("does not run this command")
            && popup.contains(&format!("$ {command}"))
            && popup.contains("c copies it"),
        "x says the command is shown only and offers to copy it:\n{popup}"
    );
    assert_eq!(h.app.take_clipboard(), None, "nothing copied unasked");
    h.keys(&[Char('c')]);
    assert_eq!(h.app.take_clipboard().as_deref(), Some(command));
    let after = h.screen();
    assert!(after.contains("copied"), "{after}");
    assert!(
        !after.contains("does not run this command"),
        "the popup closed:\n{after}"
    );
}

#[test]
fn steps_the_run_never_reached_read_not_taken_once_it_is_over() {
    let mut h = Harness::new(80, 24);
    h.start_matrix().keys(&[Char('T'), Enter, Enter]);
    for text in ["Alert was a false positive.", "Nothing to change."] {
        h.keys(&[Char('n')]).typed(text).ctrl('s').keys(&[Enter]);
    }
    let evidence = h.screen();
    assert!(evidence.contains("attach-evidence"), "{evidence}");
    let file = h.workspace.path().join("config/operators.toml");
    h.keys(&[Char('a')])
        .typed(&file.display().to_string())
        .key_running_task(Enter)
        .keys(&[Enter]);
    let over = h.screen();
    assert!(over.contains("✓ completed"), "the run is over:\n{over}");
    assert!(
        over.contains("│– incident-response") && !over.contains("│· "),
        "the steps list marks the branches not taken:\n{over}"
    );
    h.keys(&[Char('f')]);
    let mut flowchart = h.screen();
    for _ in 0..4 {
        flowchart.push_str(&h.keys(&[KeyCode::PageDown]).screen());
    }
    assert!(
        flowchart.contains("– not taken incident-response"),
        "{flowchart}"
    );
    assert!(
        !flowchart.contains("pending"),
        "a step of an ended run still reads pending:\n{flowchart}"
    );
}

/// The help overlay stops at its end: its last row holds text however often ↓ is pressed, and
/// ↑ then moves it at once (the scroll did not run on past the end).
#[test]
fn the_help_stops_at_its_end_and_up_moves_at_once() {
    for (width, height) in [(80, 24), (60, 20)] {
        let mut h = Harness::new(width, height);
        h.keys(&[Char('?')]);
        h.keys(&[Down; 200]);
        let end = h.screen();
        let rows: Vec<&str> = end.lines().collect();
        let bottom = rows
            .iter()
            .rposition(|row| row.contains('┘'))
            .expect("the help's bottom border");
        let last = rows[bottom - 1].trim_matches(|c: char| c == '"' || c == ' ' || c == '│');
        assert!(!last.trim().is_empty(), "the help ran past its end:\n{end}");
        assert!(
            end.contains("↑") && end.contains("more"),
            "it says what is above:\n{end}"
        );
        h.keys(&[Up]);
        assert_ne!(h.screen(), end, "↑ moves the help at once");
    }
}
