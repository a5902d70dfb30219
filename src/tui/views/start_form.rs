//! The form that starts a run: the network, then each input with its type and whether it is
//! required.

use super::home::DRILL_BANNER;
use super::popup_parts::{boxed, centered, field};
use crate::tui::popups::StartForm;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, form: &StartForm, theme: &Theme) {
    let height = (8 + form.fields.len() as u16 * 2).min(area.height);
    let rect = centered(area, 76, height);
    frame.render_widget(Clear, rect);
    let block = if form.drill {
        boxed(&format!("Start: {} · {DRILL_BANNER}", form.runbook.title))
    } else {
        boxed(&format!("Start: {}", form.runbook.title))
    };
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut constraints = vec![Constraint::Length(1), Constraint::Length(1)];
    constraints.extend(
        form.fields
            .iter()
            .flat_map(|_| [Constraint::Length(1), Constraint::Length(1)]),
    );
    constraints.push(Constraint::Length(1));
    constraints.push(Constraint::Min(1));
    let rows = Layout::vertical(constraints).split(inner);
    let focus_style = |focused: bool| focus_style(focused, theme);
    frame.render_widget(network_line(form, theme), rows[0]);
    for (index, (spec, area)) in form.fields.iter().enumerate() {
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
        frame.render_widget(
            Line::from(Span::styled(label, focus_style(form.focus == index + 1))),
            rows[2 + index * 2],
        );
        field(
            frame,
            rows[3 + index * 2],
            area,
            form.focus == index + 1,
            theme,
        );
    }
    let footer = match &form.error {
        Some(error) => Line::from(Span::styled(format!("✗ {error}"), theme.danger())),
        None => Line::from(Span::styled(
            "Tab/↑↓ field · ←→ network · Enter start · Esc cancel",
            theme.muted(),
        )),
    };
    frame.render_widget(
        Paragraph::new(footer).wrap(Wrap { trim: true }),
        rows[rows.len() - 1],
    );
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
