//! The one table of key bindings: it dispatches keys, and the help overlay and hint bar are
//! generated from it, so they cannot drift from the real keys.

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

/// Where a binding acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    Home,
    Run,
    Flowchart,
    Ledger,
    Metrics,
}

impl Context {
    pub const ALL: [Context; 6] = [
        Self::Global,
        Self::Home,
        Self::Run,
        Self::Flowchart,
        Self::Ledger,
        Self::Metrics,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::Home => "Start screen",
            Self::Run => "Run view",
            Self::Flowchart => "Flowchart",
            Self::Ledger => "Ledger",
            Self::Metrics => "Metrics",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Self {
        Self {
            code,
            modifiers: KeyModifiers::NONE,
        }
    }

    pub fn matches(&self, event: &KeyEvent) -> bool {
        let modifiers = event.modifiers - KeyModifiers::SHIFT;
        let wanted = self.modifiers - KeyModifiers::SHIFT;
        match (self.code, event.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b && modifiers == wanted,
            (a, b) => a == b && event.modifiers == self.modifiers,
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let lower = text.to_ascii_lowercase();
        let (modifiers, rest) = match lower.strip_prefix("ctrl+") {
            Some(rest) => (
                KeyModifiers::CONTROL,
                &text[5..text.len().min(5 + rest.len())],
            ),
            None => (KeyModifiers::NONE, text),
        };
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "space" => KeyCode::Char(' '),
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            f if f.len() > 1
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ if rest.chars().count() == 1 => KeyCode::Char(rest.chars().next().unwrap_or(' ')),
            _ => {
                return Err(format!(
                    "`{text}` is not a key (valid: a single character, enter, esc, space, tab, up, down, left, right, pageup, pagedown, home, end, f1–f12, each optionally with ctrl+)"
                ));
            }
        };
        Ok(Self { code, modifiers })
    }

    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            format!("Ctrl+{base}")
        } else {
            base
        }
    }
}

/// One key of the hint bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub key: String,
    pub word: &'static str,
    /// Offered for the current step's kind only (not in every step of the view).
    pub for_this_step: bool,
}

impl Hint {
    /// Its columns in the hint bar: ` key word `.
    pub fn width(&self) -> usize {
        self.key.chars().count() + self.word.chars().count() + 3
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub action: Action,
    pub keys: Vec<Key>,
    pub description: &'static str,
    /// Step kinds for which the binding is offered in the run view; empty means all.
    pub step_kinds: &'static [&'static str],
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

#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        use Action::*;
        use Context::*;
        let k = Key::plain;
        let ctrl_c = Key {
            code: KeyCode::Char('c'),
            modifiers: KeyModifiers::CONTROL,
        };
        Self {
            bindings: vec![
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
                    "tick / untick the item",
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
                    ],
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
            ],
        }
    }
}

impl Keymap {
    /// The bindings that act in `context` on a step of `step_kind`, in the order they win.
    fn active(&self, context: Context, step_kind: Option<&str>) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| {
            b.context == context
                && (b.step_kinds.is_empty() || step_kind.is_some_and(|k| b.step_kinds.contains(&k)))
        })
    }

    /// The action a key asks for in `context` on a step of `step_kind`; context bindings win
    /// over global ones, and the first binding holding the key wins within a context.
    pub fn action(
        &self,
        context: Context,
        step_kind: Option<&str>,
        event: &KeyEvent,
    ) -> Option<Action> {
        let find = |ctx: Context| {
            self.active(ctx, step_kind)
                .find(|b| b.keys.iter().any(|key| key.matches(event)))
                .map(|b| b.action)
        };
        find(context).or_else(|| find(Context::Global))
    }

    /// Replaces the keys of actions named in the settings file (`[keys] skip = ["s", "ctrl+s"]`).
    pub fn with_overrides(
        mut self,
        overrides: &BTreeMap<String, Vec<String>>,
    ) -> Result<Self, String> {
        for (name, keys) in overrides {
            let action = Action::from_name(name).ok_or_else(|| {
                let valid: Vec<_> = Action::ALL.iter().map(|a| a.name()).collect();
                format!(
                    "[keys] `{name}`: no such action (valid: {})",
                    valid.join(", ")
                )
            })?;
            let parsed = keys
                .iter()
                .map(|k| Key::parse(k))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|why| format!("[keys] `{name}`: {why}"))?;
            if parsed.is_empty() {
                return Err(format!("[keys] `{name}`: lists no key"));
            }
            for binding in self.bindings.iter_mut().filter(|b| b.action == action) {
                binding.keys = parsed.clone();
            }
        }
        Ok(self)
    }

    /// The bindings of a context for the hint bar, filtered to the current step's kind, each
    /// with the first of its keys that no earlier binding takes.
    pub fn hints(&self, context: Context, step_kind: Option<&str>) -> Vec<Hint> {
        let mut taken: Vec<Key> = Vec::new();
        let mut hints = Vec::new();
        for binding in self.active(context, step_kind) {
            if let Some(key) = binding.keys.iter().find(|k| !taken.contains(k)) {
                hints.push(Hint {
                    key: key.label(),
                    word: short(binding.description),
                    for_this_step: !binding.step_kinds.is_empty(),
                });
            }
            taken.extend(binding.keys.iter().copied());
        }
        hints
    }

    /// The columns that the widest of `kinds`' own hints take in `context`.
    pub fn widest_step_hints(&self, context: Context, kinds: &[&str]) -> usize {
        kinds
            .iter()
            .map(|kind| {
                let hints = self.hints(context, Some(kind));
                hints
                    .iter()
                    .filter(|h| h.for_this_step)
                    .map(Hint::width)
                    .sum()
            })
            .max()
            .unwrap_or(0)
    }

    /// The key that asks for `action` in `context` on a step of `step_kind`, as the hint bar
    /// shows it, or the action's name when the settings left it no key there.
    pub fn key_for(&self, context: Context, step_kind: Option<&str>, action: Action) -> String {
        let mut taken: Vec<Key> = Vec::new();
        for binding in self.active(context, step_kind) {
            if binding.action == action
                && let Some(key) = binding.keys.iter().find(|k| !taken.contains(k))
            {
                return key.label();
            }
            taken.extend(binding.keys.iter().copied());
        }
        format!("`{}` (no key bound)", action.name())
    }
}

fn short(description: &'static str) -> &'static str {
    description
        .split([' ', '/', ':', '('])
        .next()
        .unwrap_or(description)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn enter_opens_a_change_on_a_diff_step_and_completes_elsewhere() {
        let keymap = Keymap::default();
        let action = |kind, code| keymap.action(Context::Run, Some(kind), &press(code));
        assert_eq!(action("diff", KeyCode::Enter), Some(Action::Open));
        assert_eq!(action("checklist", KeyCode::Enter), Some(Action::Complete));
        assert_eq!(action("diff", KeyCode::Char('c')), Some(Action::Complete));
        assert_eq!(action("checklist", KeyCode::Char('o')), None);
        assert_eq!(action("diff", KeyCode::End), Some(Action::Last));
        assert_eq!(
            keymap.key_for(Context::Run, Some("diff"), Action::Complete),
            "c"
        );
        assert_eq!(
            keymap.key_for(Context::Run, Some("note"), Action::Complete),
            "Enter"
        );
        let hints = keymap.hints(Context::Run, Some("diff"));
        let shown = |hint: &Hint| (hint.key.clone(), hint.word, hint.for_this_step);
        assert_eq!(shown(&hints[0]), ("Enter".to_owned(), "details", true));
        assert_eq!(shown(&hints[1]), ("c".to_owned(), "complete", false));
        assert!(
            hints
                .iter()
                .any(|h| h.word == "flowchart" && !h.for_this_step)
        );
    }

    #[test]
    fn a_complete_left_without_a_key_says_so() {
        let overrides = [("complete".to_owned(), vec!["enter".to_owned()])].into();
        let keymap = Keymap::default().with_overrides(&overrides).unwrap();
        assert_eq!(
            keymap.key_for(Context::Run, Some("diff"), Action::Complete),
            "`complete` (no key bound)"
        );
    }
}
