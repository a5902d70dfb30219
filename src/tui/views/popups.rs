//! The top popup, drawn over the screen.

use super::popup_parts::{boxed, centered, field};
use crate::diff::Diff;
use crate::tui::network::NetworkState;
use crate::tui::popups::Popup;
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

/// What popups show besides their own state: the keys (help), the network's state (the state
/// panel), the run view's diff (one change in full).
pub struct Beneath<'a> {
    pub shared: &'a Shared,
    pub network: &'a NetworkState,
    pub chain_id: u64,
    pub diff: Option<&'a Diff>,
}

pub fn draw(frame: &mut Frame, area: Rect, popup: &Popup, beneath: &Beneath) {
    let theme = &beneath.shared.theme;
    match popup {
        Popup::Help { scroll } => {
            super::help::draw(frame, area, &beneath.shared.keymap, theme, *scroll)
        }
        Popup::State { scroll } => {
            let now = std::time::Instant::now();
            let lines = crate::tui::state_panel::lines(beneath.network, beneath.chain_id, now);
            let text = lines
                .into_iter()
                .map(|l| {
                    let style = if l.starts_with('✗') || l.contains("PAUSED") {
                        theme.danger()
                    } else {
                        Style::default()
                    };
                    Line::from(Span::styled(l, style))
                })
                .collect();
            scrolled(frame, area, text, "Chain state", *scroll);
        }
        Popup::Text {
            title,
            lines,
            scroll,
        } => {
            let text = lines.iter().map(|l| Line::from(l.clone())).collect();
            scrolled(frame, area, text, title, *scroll);
        }
        Popup::Change { index, scroll } => {
            if let Some(diff) = beneath.diff {
                super::change_popup::draw(frame, area, diff, theme, *index, *scroll)
            }
        }
        Popup::Message { title, text, error } => message(frame, area, (title, text), *error, theme),
        Popup::Prompt {
            title,
            hint,
            input,
            multiline,
            ..
        } => prompt(frame, area, (title, hint), input, *multiline, theme),
        Popup::Confirm {
            title,
            detail,
            word,
            input,
            error,
            ..
        } => confirm(
            frame,
            area,
            (title, detail),
            word,
            input,
            error.as_deref(),
            theme,
        ),
        Popup::Start(form) => super::start_form::draw(frame, area, form, theme),
        Popup::ShownCommand { command } => shown_command(frame, area, command, theme),
    }
}

/// A text that scrolls, its title saying how.
fn scrolled(frame: &mut Frame, area: Rect, text: Vec<Line>, title: &str, scroll: u16) {
    let rect = centered(area, 78, area.height.saturating_sub(2));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(boxed(&format!(
                "{title} · ↑↓ scroll · any other key closes"
            ))),
        rect,
    );
}

fn message(frame: &mut Frame, area: Rect, (title, text): (&str, &str), error: bool, theme: &Theme) {
    let rect = centered(area, 70, 10);
    let style = if error { theme.danger() } else { theme.bold() };
    let mark = if error { "✗ " } else { "" };
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

/// What `x` says on a command the runbook only shows, with the command and the copy key.
fn shown_command(frame: &mut Frame, area: Rect, command: &str, theme: &Theme) {
    let rect = centered(area, 70, 10);
    let lines = vec![
        Line::from("The console does not run this command: run it yourself, then Enter."),
        Line::from(""),
        Line::from(Span::styled(format!("$ {command}"), theme.accent())),
        Line::from(""),
        Line::from("c copies it to the clipboard · Enter or Esc closes"),
    ];
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(boxed("Shown only")),
        rect,
    );
}

fn prompt(
    frame: &mut Frame,
    area: Rect,
    (title, hint): (&str, &str),
    input: &TextArea<'static>,
    multiline: bool,
    theme: &Theme,
) {
    let height = if multiline { 14 } else { 6 };
    let rect = centered(area, 70, height);
    frame.render_widget(Clear, rect);
    let block = boxed(title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [hint_area, field_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    frame.render_widget(
        Line::from(Span::styled(hint.to_owned(), theme.muted())),
        hint_area,
    );
    if multiline {
        frame.render_widget(input, field_area);
    } else {
        field(frame, field_area, input, true, theme);
    }
}

fn confirm(
    frame: &mut Frame,
    area: Rect,
    (title, detail): (&str, &[String]),
    word: &str,
    input: &TextArea<'static>,
    error: Option<&str>,
    theme: &Theme,
) {
    let rect = centered(area, 70, 9 + detail.len() as u16);
    frame.render_widget(Clear, rect);
    let block = boxed(&format!("⚠ {title}"));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut lines: Vec<Line> = detail.iter().map(|d| Line::from(d.clone())).collect();
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::raw("Type "),
        Span::styled(word.to_owned(), theme.danger()),
        Span::raw(" and press Enter to confirm; Esc cancels."),
    ]));
    if let Some(error) = error {
        lines.push(Line::from(Span::styled(
            format!("✗ {error}"),
            theme.danger(),
        )));
    }
    let text_height = lines.len() as u16 + 1;
    let [text, field_area] =
        Layout::vertical([Constraint::Length(text_height), Constraint::Length(1)]).areas(inner);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text);
    field(frame, field_area, input, true, theme);
}
