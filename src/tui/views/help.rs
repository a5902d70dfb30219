//! The help overlay: every key of every view, from the keymap itself.

use crate::tui::keymap::{Context, Key, Keymap};
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

/// Every key of every view, by view, then what the marks mean.
pub fn lines(keymap: &Keymap, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for context in Context::ALL {
        lines.push(Line::from(Span::styled(context.title(), theme.bold())));
        for binding in keymap.bindings.iter().filter(|b| b.context == context) {
            let keys = binding
                .keys
                .iter()
                .map(Key::label)
                .collect::<Vec<_>>()
                .join(", ");
            let only = if binding.step_kinds.is_empty() {
                String::new()
            } else {
                format!(" ({} steps)", binding.step_kinds.join(", "))
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<14}"), theme.accent()),
                Span::raw(format!("{}{only}", binding.description)),
            ]));
        }
    }
    lines.push(Line::from(Span::styled("In a text box", theme.bold())));
    lines.push(Line::from(
        "  Enter submits a line, Ctrl+S saves a note, Esc cancels (nothing recorded).",
    ));
    lines.push(Line::from(Span::styled("Marks", theme.bold())));
    lines.push(Line::from(
        "  ✓ done  ▶ current  · pending  ↷ skipped  ‼ emergency  ⚠ needs attention",
    ));
    lines.push(Line::from("  – not taken (a branch the run ended without)"));
    lines.push(Line::from(
        "  Every step is written to the journal before the screen moves;",
    ));
    lines.push(Line::from(
        "  quitting never loses a recorded step, and runs resume where they stopped.",
    ));
    lines
}
