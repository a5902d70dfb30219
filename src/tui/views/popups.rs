use super::centered;
use super::home::DRILL_BANNER;
use crate::tui::app::App;
use crate::tui::form::StartForm;
use crate::tui::keymap::{Context, Key};
use crate::tui::popup::Popup;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, popup: &Popup) {
    let theme = &app.theme;
    match popup {
        Popup::Help { scroll } => help(frame, area, app, *scroll),
        Popup::State { scroll } => {
            let rect = centered(area, 78, area.height.saturating_sub(2));
            let text: Vec<Line> = crate::tui::state_panel::lines(app, std::time::Instant::now())
                .into_iter()
                .map(|l| {
                    let style = if l.starts_with('✗') || l.contains("PAUSED") {
                        theme.danger()
                    } else {
                        ratatui::style::Style::default()
                    };
                    Line::from(Span::styled(l, style))
                })
                .collect();
            frame.render_widget(Clear, rect);
            frame.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: false })
                    .scroll((*scroll, 0))
                    .block(boxed("Chain state · ↑↓ scroll · any other key closes")),
                rect,
            );
        }
        Popup::Text {
            title,
            lines,
            scroll,
        } => {
            let rect = centered(area, 78, area.height.saturating_sub(2));
            let text: Vec<Line> = lines.iter().map(|l| Line::from(l.clone())).collect();
            frame.render_widget(Clear, rect);
            frame.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: false })
                    .scroll((*scroll, 0))
                    .block(boxed(&format!(
                        "{title} · ↑↓ scroll · any other key closes"
                    ))),
                rect,
            );
        }
        Popup::Change { index, scroll } => {
            super::change_popup::draw(frame, area, app, *index, *scroll)
        }
        Popup::Message { title, text, error } => {
            let rect = centered(area, 70, 10);
            let style = if *error { theme.danger() } else { theme.bold() };
            let mark = if *error { "✗ " } else { "" };
            let lines = vec![
                Line::from(Span::styled(format!("{mark}{text}"), style)),
                Line::from(""),
                Line::from("Enter or Esc closes."),
            ];
            frame.render_widget(Clear, rect);
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: true })
                    .block(boxed(title)),
                rect,
            );
        }
        Popup::Prompt {
            title,
            hint,
            input,
            multiline,
            ..
        } => {
            let height = if *multiline { 14 } else { 6 };
            let rect = centered(area, 70, height);
            frame.render_widget(Clear, rect);
            let block = boxed(title);
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            let [hint_area, field] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
            frame.render_widget(
                Line::from(Span::styled(hint.clone(), theme.muted())),
                hint_area,
            );
            if *multiline {
                frame.render_widget(input, field);
            } else {
                self::field(frame, field, input, true, theme);
            }
        }
        Popup::Confirm {
            title,
            detail,
            word,
            input,
            error,
            ..
        } => {
            let rect = centered(area, 70, 9 + detail.len() as u16);
            frame.render_widget(Clear, rect);
            let block = boxed(&format!("⚠ {title}"));
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            let mut lines: Vec<Line> = detail.iter().map(|d| Line::from(d.clone())).collect();
            lines.push(Line::from(""));
            lines.push(Line::from(vec![
                Span::raw("Type "),
                Span::styled(word.clone(), theme.danger()),
                Span::raw(" and press Enter to confirm; Esc cancels."),
            ]));
            if let Some(error) = error {
                lines.push(Line::from(Span::styled(
                    format!("✗ {error}"),
                    theme.danger(),
                )));
            }
            let text_height = lines.len() as u16 + 1;
            let [text, field] =
                Layout::vertical([Constraint::Length(text_height), Constraint::Length(1)])
                    .areas(inner);
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text);
            self::field(frame, field, input, true, theme);
        }
        Popup::Start(form) => start_form(frame, area, form, theme),
    }
}

/// A one-line text field: `›` marks the focused one, and `_` shows where an empty one is.
fn field(
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

fn boxed(title: &str) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "))
}

fn help(frame: &mut Frame, area: Rect, app: &App, scroll: u16) {
    let rect = centered(area, 76, area.height.saturating_sub(2));
    let theme = &app.theme;
    let mut lines = Vec::new();
    for context in Context::ALL {
        lines.push(Line::from(Span::styled(context.title(), theme.bold())));
        for binding in app.keymap.bindings.iter().filter(|b| b.context == context) {
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
    lines.push(Line::from(
        "  Every step is written to the journal before the screen moves;",
    ));
    lines.push(Line::from(
        "  quitting never loses a recorded step, and runs resume where they stopped.",
    ));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(boxed("Keys · ↑↓ scroll · any other key closes")),
        rect,
    );
}

fn start_form(frame: &mut Frame, area: Rect, form: &StartForm, theme: &Theme) {
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
    let focus_style = |focused: bool| {
        if focused {
            theme.selected()
        } else {
            theme.bold()
        }
    };
    let networks: Vec<Span> = form
        .networks
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if i == form.network {
                Span::styled(format!("[{n}]"), theme.accent())
            } else {
                Span::raw(format!(" {n} "))
            }
        })
        .collect();
    let mut network_line = vec![
        Span::styled("Network ", focus_style(form.focus == 0)),
        Span::raw("← "),
    ];
    network_line.extend(networks);
    network_line.push(Span::raw(" →"));
    frame.render_widget(Line::from(network_line), rows[0]);
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
