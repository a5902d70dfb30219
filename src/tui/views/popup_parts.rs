//! What every popup is drawn with: its place, its box, and its one-line text fields.

use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};

/// A one-line text field: `›` marks the focused one, and `_` shows where an empty one is.
pub fn field(
    frame: &mut Frame,
    area: Rect,
    input: &ratatui_textarea::TextArea<'static>,
    focused: bool,
    theme: &Theme,
) {
    let [marker, rest] =
        Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    let (symbol, style) = if focused {
        ("› ", theme.accent())
    } else {
        ("  ", theme.muted())
    };
    frame.render_widget(Span::styled(symbol, style), marker);
    if input.lines().iter().all(|l| l.is_empty()) && !focused {
        frame.render_widget(Span::styled("_", theme.muted()), rest);
    } else {
        frame.render_widget(input, rest);
    }
}

/// A bordered box with `title`.
pub fn boxed(title: &str) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "))
}

/// A rectangle of at most `width`×`height`, centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
