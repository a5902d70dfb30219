//! The help overlay: every key of every view, from the keymap itself.

use super::text_fit::{width, wrap};
use crate::tui::keymap::{Context, Key, Keymap};
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

/// The columns of a key's name: its description starts after them.
const KEY_COLUMN: usize = 16;

/// Every key of every view, by view, then what the marks mean, for a box `cols` wide: a
/// description too long for its line goes on under the description, not under the key.
pub fn lines(keymap: &Keymap, theme: &Theme, cols: usize) -> Vec<Line<'static>> {
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
            let described = format!("{}{only}", binding.description);
            let room = cols.saturating_sub(KEY_COLUMN).max(10);
            let mut parts = wrap(&described, room).into_iter();
            let key = Span::styled(format!("  {keys:<14}"), theme.accent());
            // Keys too long for their column stand on their own line.
            if width(&keys) + 2 >= KEY_COLUMN {
                lines.push(Line::from(key));
            } else {
                let first = parts.next().unwrap_or_default();
                lines.push(Line::from(vec![key, Span::raw(first)]));
            }
            lines.extend(parts.map(|part| Line::from(format!("{:KEY_COLUMN$}{part}", ""))));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_description_goes_on_under_the_description() {
        let theme = Theme::new(false, &Default::default()).unwrap();
        let text: Vec<String> = lines(&Keymap::default(), &theme, 40)
            .iter()
            .map(|line| line.to_string())
            .collect();
        let continued: Vec<&String> = text.iter().filter(|line| line.starts_with("   ")).collect();
        assert!(
            !continued.is_empty(),
            "some description wraps at 40:\n{text:#?}"
        );
        for line in continued {
            assert!(
                line.starts_with(&" ".repeat(KEY_COLUMN)) && width(line) <= 40,
                "{line:?}"
            );
        }
    }
}
