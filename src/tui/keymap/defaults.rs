//! The keys the console ships with, by context; the settings file may replace any action's.

use super::{Binding, Context, Key, Keymap};
use crate::tui::action::Action;
use crossterm::event::{KeyCode, KeyModifiers};

impl Default for Keymap {
    /// Every binding, in the order they win within a context.
    fn default() -> Self {
        let bindings = [
            global(),
            start_screen(),
            run_view(),
            preview(),
            journal_and_flowchart(),
        ];
        Self {
            bindings: bindings.concat(),
        }
    }
}

/// Everywhere: help, quit, and the moves of every list.
fn global() -> Vec<Binding> {
    use Action::*;
    use Context::*;
    let k = Key::plain;
    let ctrl_c = Key {
        code: KeyCode::Char('c'),
        modifiers: KeyModifiers::CONTROL,
    };
    vec![
        bind(Global, Help, chars("?"), "show every key", &[]),
        bind(
            Global,
            Quit,
            vec![ctrl_c],
            "quit (every recorded step is kept)",
            &[],
        ),
        bind(
            Global,
            Up,
            vec![k(KeyCode::Up), Key::plain(KeyCode::Char('k'))],
            "move up",
            &[],
        ),
        bind(
            Global,
            Down,
            vec![k(KeyCode::Down), Key::plain(KeyCode::Char('j'))],
            "move down",
            &[],
        ),
        bind(Global, PageUp, vec![k(KeyCode::PageUp)], "page up", &[]),
        bind(
            Global,
            PageDown,
            vec![k(KeyCode::PageDown)],
            "page down",
            &[],
        ),
        bind(Global, First, vec![k(KeyCode::Home)], "first row", &[]),
        bind(Global, Last, vec![k(KeyCode::End)], "last row", &[]),
    ]
}

/// The start screen.
fn start_screen() -> Vec<Binding> {
    use Action::*;
    use Context::*;
    let k = Key::plain;
    vec![
        bind(
            Home,
            Open,
            vec![k(KeyCode::Enter)],
            "open: resume the run or start the runbook",
            &[],
        ),
        bind(
            Home,
            Drill,
            chars("d"),
            "drill mode on/off: next start in the sandbox",
            &[],
        ),
        bind(
            Home,
            Action::Preview,
            chars("p"),
            "preview: read every step before starting (nothing recorded)",
            &[],
        ),
        bind(Home, Filter, chars("/"), "filter runbooks", &[]),
        bind(
            Home,
            Quit,
            vec![Key::plain(KeyCode::Char('q'))],
            "quit",
            &[],
        ),
        bind(Home, Back, vec![k(KeyCode::Esc)], "clear the filter", &[]),
        bind(
            Home,
            Action::Ledger,
            chars("l"),
            "ledger: every entry, verified",
            &[],
        ),
        bind(
            Home,
            State,
            chars("i"),
            "chain info: pause flags, the Safe, the block",
            &[],
        ),
        bind(
            Home,
            Action::Metrics,
            chars("m"),
            "metrics: runs, times, rollbacks, drills, overdue",
            &[],
        ),
    ]
}

/// The run view, some keys only on steps of some kinds.
fn run_view() -> Vec<Binding> {
    use Action::*;
    use Context::*;
    let k = Key::plain;
    vec![
        bind(
            Run,
            Open,
            vec![k(KeyCode::Enter)],
            "details: the change under the cursor, in full",
            &["diff"],
        ),
        bind(
            Run,
            Complete,
            vec![k(KeyCode::Enter), Key::plain(KeyCode::Char('c'))],
            "complete the step / choose the option",
            &[],
        ),
        bind(
            Run,
            Toggle,
            vec![k(KeyCode::Char(' '))],
            "tick / untick the item (a tick moves to the next)",
            &["checklist"],
        ),
        bind(
            Run,
            Pick,
            chars("123456789"),
            "pick: choose the option of that number",
            &["decision"],
        ),
        bind(
            Run,
            TickRest,
            chars("T"),
            "all: tick every item left (each recorded)",
            &["checklist"],
        ),
        bind(
            Run,
            Execute,
            chars("x"),
            "run: command, check, diff, batch, receipt, chaos",
            &[
                "command",
                "http-check",
                "diff",
                "safe-batch",
                "chain-check",
                "receipt",
                "chaos",
                "simulate",
            ],
        ),
        bind(
            Run,
            Simulate,
            chars("m"),
            "simulate: the batch on a fork, as its Safe executes it",
            &["safe-batch", "simulate"],
        ),
        bind(Run, Note, chars("n"), "write the note", &["note"]),
        bind(Run, Attach, chars("a"), "attach a file", &["evidence"]),
        bind(Run, Skip, chars("s"), "skip the step (with a reason)", &[]),
        bind(
            Run,
            Action::Flowchart,
            chars("f"),
            "flowchart of the runbook",
            &[],
        ),
        bind(
            Run,
            Action::Signoff,
            chars("o"),
            "sign-off with your key",
            &["signoff"],
        ),
        bind(
            Run,
            Action::Ledger,
            chars("l"),
            "ledger: this run's entries",
            &[],
        ),
        bind(Run, Abort, chars("A"), "abort the run (type `abort`)", &[]),
        bind(
            Run,
            Back,
            vec![k(KeyCode::Esc), Key::plain(KeyCode::Char('q'))],
            "back to the start screen (run kept)",
            &[],
        ),
        bind(
            Run,
            State,
            chars("i"),
            "chain info: pause flags, the Safe, the block",
            &[],
        ),
    ]
}

/// The preview of a runbook: its steps one after another, nothing recorded.
fn preview() -> Vec<Binding> {
    use Action::*;
    use Context::Preview;
    let k = Key::plain;
    vec![
        bind(
            Preview,
            NextStep,
            vec![
                k(KeyCode::Right),
                k(KeyCode::Tab),
                Key::plain(KeyCode::Char('n')),
            ],
            "next step",
            &[],
        ),
        bind(
            Preview,
            PreviousStep,
            vec![k(KeyCode::Left), Key::plain(KeyCode::Char('p'))],
            "previous step",
            &[],
        ),
        bind(
            Preview,
            Back,
            vec![k(KeyCode::Esc), Key::plain(KeyCode::Char('q'))],
            "back to the start screen",
            &[],
        ),
    ]
}

/// The flowchart, the ledger and the metrics views.
fn journal_and_flowchart() -> Vec<Binding> {
    use Action::*;
    let k = Key::plain;
    vec![
        bind(
            Context::Flowchart,
            Back,
            vec![
                k(KeyCode::Esc),
                Key::plain(KeyCode::Char('q')),
                Key::plain(KeyCode::Char('f')),
            ],
            "back to the run",
            &[],
        ),
        bind(
            Context::Ledger,
            Open,
            vec![k(KeyCode::Enter)],
            "details: the entry in full",
            &[],
        ),
        bind(
            Context::Ledger,
            Scope,
            chars("t"),
            "scope: this run's entries / all entries",
            &[],
        ),
        bind(
            Context::Ledger,
            Back,
            vec![
                k(KeyCode::Esc),
                Key::plain(KeyCode::Char('q')),
                Key::plain(KeyCode::Char('l')),
            ],
            "back",
            &[],
        ),
        bind(
            Context::Metrics,
            Back,
            vec![
                k(KeyCode::Esc),
                Key::plain(KeyCode::Char('q')),
                Key::plain(KeyCode::Char('m')),
            ],
            "back to the start screen",
            &[],
        ),
    ]
}

fn chars(text: &str) -> Vec<Key> {
    text.chars().map(|c| Key::plain(KeyCode::Char(c))).collect()
}

fn bind(
    context: Context,
    action: Action,
    keys: Vec<Key>,
    description: &'static str,
    step_kinds: &'static [&'static str],
) -> Binding {
    Binding {
        context,
        action,
        keys,
        description,
        step_kinds,
    }
}
