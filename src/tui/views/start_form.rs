//! The form that starts a run: the network, then each input with its type and whether it is
//! required.

use super::home::DRILL_BANNER;
use super::line_wrap::wrap_line;
use super::popup_parts::{boxed, centered, field};
use super::scroll_window::Window;
use super::text_fit::truncate;
use crate::tui::popups::StartForm;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

/// A row of the form, top to bottom.
enum Row {
    Network,
    Text(Line<'static>),
    Field(usize),
}

pub fn draw(frame: &mut Frame, area: Rect, form: &StartForm, theme: &Theme) {
    let width = area.width.min(76);
    let cols = usize::from(width.saturating_sub(2));
    let mut rows = vec![Row::Network, Row::Text(Line::from(""))];
    let mut focused_row = 0;
    for (index, (spec, _)) in form.fields.iter().enumerate() {
        let need = if spec.required {
            "required"
        } else {
            "optional"
        };
        let label = format!(
            "{} ({}, {need}) {}",
            spec.name,
            spec.kind.name(),
            spec.description
        );
        let focused = form.focus == index + 1;
        if focused {
            focused_row = rows.len();
        }
        let label = Line::from(Span::styled(label, focus_style(focused, theme)));
        rows.extend(wrap_line(&label, cols).into_iter().map(Row::Text));
        rows.push(Row::Field(index));
    }
    rows.push(Row::Text(Line::from("")));
    let footer = match &form.error {
        Some(error) => Line::from(Span::styled(format!("✗ {error}"), theme.danger())),
        None => Line::from(Span::styled(
            "Tab/↑↓ field · ←→ network · Enter start · Esc cancel",
            theme.muted(),
        )),
    };
    let footer = wrap_line(&footer, cols);
    let height = (rows.len() + footer.len() + 2).min(usize::from(area.height));
    let rect = centered(area, width, u16::try_from(height).unwrap_or(u16::MAX));
    frame.render_widget(Clear, rect);
    let title = if form.drill {
        format!("Start: {} · {DRILL_BANNER}", form.runbook.title)
    } else {
        format!("Start: {}", form.runbook.title)
    };
    let block = boxed(&truncate(&title, cols.saturating_sub(2)));
    let inner = block.inner(rect);
    // The footer stays; the rows above it scroll to keep the focused field in sight.
    let visible = usize::from(inner.height).saturating_sub(footer.len());
    let window = Window::around(rows.len(), visible, focused_row);
    frame.render_widget(window.mark(block, theme.accent()), rect);
    let row_area = |at: usize| Rect {
        y: inner.y + u16::try_from(at).unwrap_or(u16::MAX),
        height: 1,
        ..inner
    };
    for (at, row) in rows.iter().skip(window.offset).take(visible).enumerate() {
        let place = row_area(at);
        match row {
            Row::Network => frame.render_widget(network_line(form, theme), place),
            Row::Text(line) => frame.render_widget(line.clone(), place),
            Row::Field(index) => {
                let input = &form.fields[*index].1;
                field(frame, place, input, form.focus == index + 1, theme);
            }
        }
    }
    for (at, line) in footer.into_iter().enumerate() {
        let place = row_area(visible + at);
        if place.y < inner.y + inner.height {
            frame.render_widget(line, place);
        }
    }
}

fn focus_style(focused: bool, theme: &Theme) -> Style {
    if focused {
        theme.selected()
    } else {
        theme.bold()
    }
}

/// `Network ← [demo] sepolia →`, the chosen one in brackets.
fn network_line(form: &StartForm, theme: &Theme) -> Line<'static> {
    let networks = form.networks.iter().enumerate().map(|(i, n)| {
        if i == form.network {
            Span::styled(format!("[{n}]"), theme.accent())
        } else {
            Span::raw(format!(" {n} "))
        }
    });
    let mut spans = vec![
        Span::styled("Network ", focus_style(form.focus == 0, theme)),
        Span::raw("← "),
    ];
    spans.extend(networks);
    spans.push(Span::raw(" →"));
    Line::from(spans)
}
