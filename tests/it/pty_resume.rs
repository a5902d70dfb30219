//! The real binary in a pseudo-terminal (80×24): start on the embedded workspace, open the
//! emergency runbook, take the High branch, complete two steps, kill the process with
//! SIGKILL, start again, resume, and see the same step; quit and find the terminal restored.

use crate::support::pty::{PtyApp, Sandbox, TIMEOUT, keys, screen_rows};
use crate::support::restored::assert_terminal_restored;
use crate::support::run_view::{
    journal_entries, run_id_on_screen, run_view_body, steps_list, ticked_items, wait_current_step,
};
use owner_console::runbook::{self, Next, Runbook, Step, StepAction};
use std::path::Path;
use std::time::Instant;

const COLS: u16 = 80;
const ROWS: u16 = 24;
const RUNBOOK_ID: &str = "failure-recovery-matrix";
const RUNBOOK_PATH: &str = "runbooks/emergency/failure-recovery-matrix.toml";
const BRANCH: &str = "High";

/// The runbook as embedded in the binary: the same file, read from the source tree.
fn load_runbook() -> Runbook {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(RUNBOOK_PATH);
    let text =
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
    let loaded = runbook::load_text(Path::new(RUNBOOK_PATH), &text);
    loaded
        .runbook
        .unwrap_or_else(|| panic!("{RUNBOOK_PATH} does not load: {:#?}", loaded.problems))
}

fn step<'a>(book: &'a Runbook, id: &str) -> &'a Step {
    book.step(id)
        .unwrap_or_else(|| panic!("{RUNBOOK_ID} has no step `{id}`"))
}

/// Ticks every item of the current checklist step (Space ticks and moves to the next), then
/// completes it with Enter. Returns the step it leads to.
fn complete_checklist(app: &mut PtyApp, step: &Step) -> String {
    let StepAction::Checklist { items } = &step.action else {
        panic!("step `{}` is not a checklist", step.id)
    };
    assert!(!items.is_empty(), "checklist `{}` has no item", step.id);
    for index in 0..items.len() {
        app.send(keys::SPACE);
        app.wait_until(
            &format!("{} ticked item(s) in `{}`", index + 1, step.id),
            TIMEOUT,
            |screen| ticked_items(screen) == index + 1,
        );
    }
    app.wait_for("✓ ready: Enter completes the step", TIMEOUT);
    app.send(keys::ENTER);
    match &step.next {
        Next::Step(next) => next.clone(),
        Next::End => panic!("checklist `{}` ends the run", step.id),
    }
}

/// Moves the cursor of the current decision step to `label` and chooses it with Enter.
/// Returns the step the option leads to.
fn choose(app: &mut PtyApp, step: &Step, label: &str) -> String {
    let StepAction::Decision { question, options } = &step.action else {
        panic!("step `{}` is not a decision", step.id)
    };
    app.wait_for(&format!("? {question}"), TIMEOUT);
    let index = options
        .iter()
        .position(|option| option.label == label)
        .unwrap_or_else(|| panic!("decision `{}` has no option `{label}`", step.id));
    let option = &options[index];
    for _ in 0..index {
        app.send(keys::DOWN);
    }
    app.wait_for(&format!("› {} → {}", option.label, option.goto), TIMEOUT);
    assert!(
        step.confirm.is_none(),
        "decision `{}` asks for a confirmation word; this test does not type it",
        step.id
    );
    app.send(keys::ENTER);
    option.goto.clone()
}

/// Completes the current step whatever it is (a checklist: tick all; a decision: the first
/// option). Returns the step it leads to.
fn complete_step(app: &mut PtyApp, step: &Step) -> String {
    match &step.action {
        StepAction::Checklist { .. } => complete_checklist(app, step),
        StepAction::Decision { options, .. } => {
            let first = options
                .first()
                .unwrap_or_else(|| panic!("decision `{}` has no option", step.id));
            choose(app, step, &first.label)
        }
        other => panic!(
            "step `{}` is a {}: this test completes only checklists and decisions",
            step.id,
            other.kind_name()
        ),
    }
}

#[test]
fn resume_after_sigkill_shows_the_same_step_and_quit_restores_the_terminal() {
    let started = Instant::now();
    let book = load_runbook();
    let sandbox = Sandbox::new();

    // --- First session: start the run, take the High branch, complete two steps. ---------
    let mut first = PtyApp::spawn(sandbox.command(&[]), COLS, ROWS);
    first.wait_for(" Runbooks ", TIMEOUT);
    first.wait_until(
        "the emergency runbook selected on the start screen",
        TIMEOUT,
        |screen| {
            let rows = screen_rows(screen);
            let emergency = rows.iter().position(|row| row.contains("‼ EMERGENCY"));
            let selected = rows.iter().position(|row| {
                row.contains("›") && row.contains(&format!("[CRITICAL] {}", book.title))
            });
            matches!((emergency, selected), (Some(e), Some(s)) if s == e + 1)
        },
    );
    assert!(
        !first
            .settled(vt100::Screen::contents)
            .contains("Unfinished runs"),
        "a fresh sandbox has no unfinished run:\n{}",
        first.dump()
    );

    first.send(keys::ENTER);
    first.wait_for(&format!("Start: {}", book.title), TIMEOUT);
    first.send("INC-42");
    first.wait_for("INC-42", TIMEOUT);
    first.send(keys::ENTER);

    let opening = step(&book, "stabilise");
    assert_eq!(book.first_step().map(|s| s.id.as_str()), Some("stabilise"));
    wait_current_step(&first, &opening.id);
    let header = format!("{} · step 1/{}", book.title, book.steps.len());
    first.wait_for(&header, TIMEOUT);
    let run_id = first.wait_map("the run id on the screen", TIMEOUT, run_id_on_screen);

    let triage_id = complete_checklist(&mut first, opening);
    assert_eq!(triage_id, "triage");
    wait_current_step(&first, &triage_id);
    let branch_target = choose(&mut first, step(&book, &triage_id), BRANCH);
    assert_eq!(branch_target, "incident-response");
    wait_current_step(&first, &branch_target);

    // Two steps after the branch, whatever they are.
    let mut current = branch_target.clone();
    let mut completed_after_branch = Vec::new();
    for _ in 0..2 {
        let next = complete_step(&mut first, step(&book, &current));
        wait_current_step(&first, &next);
        completed_after_branch.push(current);
        current = next;
    }
    let stopped_at = current;
    eprintln!(
        "run {run_id}: completed {completed_after_branch:?} after {BRANCH}; now at `{stopped_at}`"
    );
    let position = book.step_index(&stopped_at).expect("known step") + 1;
    first.wait_for(
        &format!("{} · step {position}/{}", book.title, book.steps.len()),
        TIMEOUT,
    );
    let before_kill = first.settled(run_view_body);

    // --- Kill it: no chance to clean up. ---------------------------------------------------
    first.signal(libc::SIGKILL);
    let status = first.wait_exit(TIMEOUT);
    assert!(
        !status.success() && status.signal().is_some(),
        "the killed app should end by a signal, got {status}"
    );
    assert!(
        first.with_screen(vt100::Screen::alternate_screen),
        "a SIGKILLed app cannot leave the alternate screen; it did:\n{}",
        first.dump()
    );
    drop(first);

    // --- The journal on disk holds the branch. ---------------------------------------------
    let entries = journal_entries(&sandbox.journal());
    let of_run: Vec<_> = entries
        .iter()
        .filter(|entry| entry["run"] == run_id.as_str())
        .collect();
    assert!(
        !of_run.is_empty(),
        "the journal has no entry for run {run_id}: {entries:#?}"
    );
    for entry in &entries {
        for field in ["seq", "time", "run", "type", "body"] {
            assert!(
                entry.get(field).is_some(),
                "journal entry without `{field}`: {entry}"
            );
        }
    }
    let branch = of_run
        .iter()
        .find(|entry| entry["type"] == "branch-chosen" && entry["body"]["step"] == "triage")
        .unwrap_or_else(|| panic!("no branch-chosen entry for triage: {of_run:#?}"));
    assert_eq!(branch["body"]["option"], BRANCH, "{branch}");
    assert_eq!(branch["body"]["goto"], branch_target.as_str(), "{branch}");
    for done in completed_after_branch
        .iter()
        .filter(|id| matches!(step(&book, id).action, StepAction::Checklist { .. }))
    {
        assert!(
            of_run
                .iter()
                .any(|entry| entry["type"] == "step-completed"
                    && entry["body"]["step"] == done.as_str()),
            "no step-completed entry for `{done}`: {of_run:#?}"
        );
    }

    // --- The run index was last written when the run opened: it is behind the journal (what
    // a kill between an append and an index write leaves), so the start screen below must
    // catch up from the journal.
    let index_file = sandbox.journal().with_extension("index.json");
    let index = crate::support::workspace::read_run_index(&index_file);
    let covered = index["covered"]["bytes"].as_u64().expect("covered bytes");
    let journal = std::fs::metadata(sandbox.journal()).expect("journal").len();
    assert!(
        0 < covered && covered < journal,
        "the index covers {covered} of {journal} bytes"
    );

    // --- Second session: resume. ------------------------------------------------------------
    let mut second = PtyApp::spawn(sandbox.command(&[]), COLS, ROWS);
    second.wait_for("Unfinished runs (1)", TIMEOUT);
    let resume_row = format!("▶ resume {RUNBOOK_ID} · at {stopped_at} · ");
    second.wait_until(
        "the unfinished run selected, first on the start screen",
        TIMEOUT,
        |screen| {
            let rows = screen_rows(screen);
            let heading = rows
                .iter()
                .position(|row| row.contains("Unfinished runs (1)"));
            let selected = rows
                .iter()
                .position(|row| row.contains("›") && row.contains(&resume_row));
            matches!((heading, selected), (Some(h), Some(s)) if s == h + 1)
        },
    );
    second.send(keys::ENTER);
    wait_current_step(&second, &stopped_at);

    let resumed_id = second.wait_map("the run id on the screen", TIMEOUT, run_id_on_screen);
    assert_eq!(
        resumed_id,
        run_id,
        "resumed another run:\n{}",
        second.dump()
    );
    let list = second.settled(steps_list);
    let mut expected = vec![
        format!("✓ {}", opening.id),
        format!("✓ {triage_id} → {BRANCH}"),
    ];
    expected.extend(completed_after_branch.iter().map(|id| format!("✓ {id}")));
    expected.push(format!("▶ {stopped_at}"));
    for mark in &expected {
        assert!(
            list.iter().any(|row| row.starts_with(mark.as_str())),
            "the Steps list lacks `{mark}`: {list:#?}\n{}",
            second.dump()
        );
    }
    let after_resume = second.settled(run_view_body);
    assert_eq!(
        after_resume, before_kill,
        "the resumed run view differs from the one before the kill"
    );

    // --- Quit: back to the start screen, then q. --------------------------------------------
    second.send(keys::ESC);
    second.wait_for("Unfinished runs (1)", TIMEOUT);
    second.wait_for(" Runbooks ", TIMEOUT);
    second.send("q");
    let status = second.wait_exit(TIMEOUT);
    assert!(
        status.success(),
        "quitting should exit 0, got {status}:\n{}",
        second.dump()
    );

    // --- The terminal is restored. -----------------------------------------------------------
    assert_terminal_restored(&second);

    eprintln!(
        "pty_resume: passed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
