//! The top popup, drawn over the screen.

use super::line_wrap::{wrap_line, wrap_lines};
use super::popup_parts::{boxed, centered, field};
use super::scroll_window::{self, Place};
use super::text_fit::truncate;
use crate::diff::Diff;
use crate::tui::network::NetworkState;
use crate::tui::popups::Popup;
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui_textarea::TextArea;

/// What popups show besides their own state: the keys (help), the network's state (the state
/// panel), the run view's diff (one change in full).
pub struct Beneath<'a> {
    pub shared: &'a Shared,
    pub network: &'a NetworkState,
    pub chain_id: u64,
    pub diff: Option<&'a Diff>,
}

/// The title and lines of a popup that is a text to scroll (the keys, the chain's state, a
/// text, one change in full), for a box `cols` wide inside; none for other popups.
fn scrolled_text(
    popup: &Popup,
    beneath: &Beneath,
    cols: usize,
) -> Option<(String, Vec<Line<'static>>)> {
    let theme = &beneath.shared.theme;
    match popup {
        Popup::Help { .. } => Some((
            "Keys".to_owned(),
            super::help::lines(&beneath.shared.keymap, theme, cols),
        )),
        Popup::State { .. } => {
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
            Some(("Chain state".to_owned(), text))
        }
        Popup::Text { title, lines, .. } => Some((
            title.clone(),
            lines.iter().map(|l| Line::from(l.clone())).collect(),
        )),
        Popup::Change { index, .. } => beneath
            .diff
            .and_then(|diff| super::change_popup::text(diff, theme, *index)),
        _ => None,
    }
}

/// Where a text to scroll is drawn in `area`.
fn scrolled_rect(area: Rect) -> Rect {
    centered(area, 78, area.height.saturating_sub(2))
}

/// How far the top popup, a text to scroll, can scroll in `area` before its end shows.
pub fn scroll_limit(popup: &Popup, beneath: &Beneath, area: Rect) -> Option<u16> {
    let rect = scrolled_rect(area);
    let inner = (
        usize::from(rect.width.saturating_sub(2)),
        rect.height.saturating_sub(2),
    );
    let (_, lines) = scrolled_text(popup, beneath, inner.0)?;
    let wrapped = wrap_lines(&lines, inner.0).len();
    Some(
        u16::try_from(wrapped)
            .unwrap_or(u16::MAX)
            .saturating_sub(inner.1),
    )
}

pub fn draw(frame: &mut Frame, area: Rect, popup: &Popup, beneath: &Beneath) {
    let theme = &beneath.shared.theme;
    let cols = usize::from(scrolled_rect(area).width.saturating_sub(2));
    if let Some((title, lines)) = scrolled_text(popup, beneath, cols) {
        let scroll = popup.scroll().unwrap_or_default();
        return scrolled(frame, area, lines, &title, scroll);
    }
    match popup {
        Popup::Help { .. } | Popup::State { .. } | Popup::Text { .. } | Popup::Change { .. } => {}
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

/// A text that scrolls, its title saying how; it stops at its end, and its borders say what
/// is above and below.
fn scrolled(frame: &mut Frame, area: Rect, text: Vec<Line>, title: &str, scroll: u16) {
    let rect = scrolled_rect(area);
    frame.render_widget(Clear, rect);
    let title = format!("{title} · ↑↓ scroll · any other key closes");
    let block = boxed(&truncate(&title, usize::from(rect.width).saturating_sub(4)));
    let place = Place::From(usize::from(scroll));
    scroll_window::draw(frame, rect, block, &text, place, Style::default());
}

/// `lines` in a box of at most `width` columns, as tall as they need once wrapped.
fn fitted(frame: &mut Frame, area: Rect, width: u16, title: &str, lines: &[Line]) {
    let width = width.min(area.width);
    let cols = usize::from(width.saturating_sub(2));
    let wrapped = wrap_lines(lines, cols);
    let height = u16::try_from(wrapped.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = boxed(&truncate(title, cols.saturating_sub(2)));
    scroll_window::draw(
        frame,
        rect,
        block,
        &wrapped,
        Place::From(0),
        Style::default(),
    );
}

fn message(frame: &mut Frame, area: Rect, (title, text): (&str, &str), error: bool, theme: &Theme) {
    let style = if error { theme.danger() } else { theme.bold() };
    let mark = if error { "✗ " } else { "" };
    let mut lines: Vec<Line> = text
        .lines()
        .map(|l| Line::from(Span::styled(l.to_owned(), style)))
        .collect();
    if let Some(first) = lines.first_mut() {
        first.spans.insert(0, Span::styled(mark, style));
    }
    lines.push(Line::from(""));
    lines.push(Line::from("Enter or Esc closes."));
    fitted(frame, area, 70, title, &lines);
}

/// What `x` says on a command the runbook only shows, with the command and the copy key.
fn shown_command(frame: &mut Frame, area: Rect, command: &str, theme: &Theme) {
    let lines = vec![
        Line::from("The console does not run this command: run it yourself, then Enter."),
        Line::from(""),
        Line::from(Span::styled(format!("$ {command}"), theme.accent())),
        Line::from(""),
        Line::from("c copies it to the clipboard · Enter or Esc closes"),
    ];
    fitted(frame, area, 70, "Shown only", &lines);
}

fn prompt(
    frame: &mut Frame,
    area: Rect,
    (title, hint): (&str, &str),
    input: &TextArea<'static>,
    multiline: bool,
    theme: &Theme,
) {
    let width = area.width.min(70);
    let cols = usize::from(width.saturating_sub(2));
    let hint = wrap_line(
        &Line::from(Span::styled(hint.to_owned(), theme.muted())),
        cols,
    );
    let hint_rows = u16::try_from(hint.len()).unwrap_or(u16::MAX);
    let field_rows = if multiline { 11 } else { 3 };
    let rect = centered(area, width, hint_rows + field_rows + 2);
    frame.render_widget(Clear, rect);
    let block = boxed(&truncate(title, cols.saturating_sub(2)));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [hint_area, field_area] =
        Layout::vertical([Constraint::Length(hint_rows), Constraint::Min(1)]).areas(inner);
    frame.render_widget(Paragraph::new(hint), hint_area);
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
    let width = area.width.min(70);
    let cols = usize::from(width.saturating_sub(2));
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
    let lines = wrap_lines(&lines, cols);
    let text_height = u16::try_from(lines.len() + 1).unwrap_or(u16::MAX);
    let rect = centered(area, width, text_height + 4);
    frame.render_widget(Clear, rect);
    let block = boxed(&truncate(&format!("⚠ {title}"), cols.saturating_sub(2)));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [text, field_area] =
        Layout::vertical([Constraint::Length(text_height), Constraint::Length(1)]).areas(inner);
    frame.render_widget(Paragraph::new(lines), text);
    field(frame, field_area, input, true, theme);
}
