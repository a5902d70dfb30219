//! The one table of key bindings: it dispatches keys, and the help overlay and hint bar are
//! generated from it, so they cannot drift from the real keys.

mod defaults;
mod key;

pub use key::Key;

use super::action::Action;
use crossterm::event::KeyEvent;
use std::collections::BTreeMap;

/// Where a binding acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    Home,
    Run,
    Preview,
    Flowchart,
    Ledger,
    Metrics,
}

impl Context {
    pub const ALL: [Context; 7] = [
        Self::Global,
        Self::Home,
        Self::Run,
        Self::Preview,
        Self::Flowchart,
        Self::Ledger,
        Self::Metrics,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::Home => "Start screen",
            Self::Run => "Run view",
            Self::Preview => "Preview of a runbook",
            Self::Flowchart => "Flowchart",
            Self::Ledger => "Ledger",
            Self::Metrics => "Metrics",
        }
    }
}

/// One key of the hint bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub action: Action,
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

#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
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
                    action: binding.action,
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
    use crossterm::event::{KeyCode, KeyModifiers};

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
