use super::home::{drill_mark, kind_marker, severity_badge};
use super::scroll_window::Window;
use super::step_detail;
use super::text_fit;
use crate::engine::Position;
use crate::runbook::StepAction;
use crate::runbook::graph::Mark;
use crate::tui::keymap::Keymap;
use crate::tui::run::RunScreen;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState};

pub fn mark_style(mark: Mark, theme: &Theme) -> Style {
    match mark {
        Mark::Done => theme.ok(),
        Mark::Current => theme.accent(),
        Mark::Skipped => theme.warning(),
        Mark::Pending | Mark::NotTaken => theme.muted(),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, screen: &RunScreen, keymap: &Keymap, theme: &Theme) {
    let run = &screen.run;
    let book = &run.runbook;
    let [header, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let position = match &run.position {
        Position::At(id) => format!(
            "step {}/{}",
            book.step_index(id).map_or(0, |i| i + 1),
            book.steps.len()
        ),
        Position::Completed => "✓ completed".to_owned(),
        Position::Aborted(_) => "✗ aborted".to_owned(),
    };
    let drill = if screen.preview {
        Some(Span::styled("[PREVIEW] ", theme.accent()))
    } else {
        drill_mark(run.started.mode, theme)
    };
    let marker = kind_marker(book, theme);
    let badge = severity_badge(book.severity, theme);
    let position = format!("· {position}");
    // The position is state and stays whole; the title gives way when the line is short.
    let title_room = usize::from(header.width)
        .saturating_sub(text_fit::width(&marker.content) + text_fit::width(&badge.content))
        .saturating_sub(drill.as_ref().map_or(0, |d| text_fit::width(&d.content)))
        .saturating_sub(text_fit::width(&position) + 2);
    let title = text_fit::truncate(&book.title, title_room);
    frame.render_widget(
        Line::from_iter(drill.into_iter().chain([
            marker,
            badge,
            Span::styled(format!(" {title} "), theme.bold()),
            Span::raw(position),
        ])),
        header,
    );
    if matches!(
        run.current_step().map(|s| &s.action),
        Some(StepAction::Diff { .. })
    ) {
        // A diff is read row by row: it takes the whole width; the header still says where.
        step_detail::draw(frame, body, screen, keymap, theme);
        return;
    }
    let list_width = steps_width(book)
        .max(body.width / 3)
        .clamp(20, 30)
        .min(body.width * 2 / 5);
    let [list_area, detail_area] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(20)]).areas(body);
    draw_steps(frame, list_area, screen, theme);
    step_detail::draw(frame, detail_area, screen, keymap, theme);
}

/// Columns the Steps list needs to show every step id whole: mark, space, id, two borders.
fn steps_width(book: &crate::runbook::Runbook) -> u16 {
    let longest = book
        .steps
        .iter()
        .map(|step| text_fit::width(&step.id))
        .max();
    u16::try_from(longest.unwrap_or(0) + 4).unwrap_or(u16::MAX)
}

fn draw_steps(frame: &mut Frame, area: Rect, screen: &RunScreen, theme: &Theme) {
    let steps = &screen.run.runbook.steps;
    let room = usize::from(area.width.saturating_sub(2));
    let mut selected = None;
    let items: Vec<ListItem> = steps
        .iter()
        .enumerate()
        .map(|(index, step)| {
            let mark = screen.mark(&step.id);
            if mark == Mark::Current {
                selected = Some(index);
            }
            let branch = screen
                .branch_taken(&step.id)
                .map(|option| format!(" → {option}"))
                .unwrap_or_default();
            let id_room = room
                .saturating_sub(2 + text_fit::width(&branch))
                .max(room / 2);
            let id = text_fit::truncate_middle(&step.id, id_room.max(1));
            let branch = text_fit::truncate(&branch, room.saturating_sub(2 + text_fit::width(&id)));
            let mut spans = vec![
                Span::styled(format!("{} ", mark.symbol()), mark_style(mark, theme)),
                Span::styled(id, mark_style(mark, theme)),
            ];
            if !branch.is_empty() {
                spans.push(Span::styled(branch, theme.bold()));
            }
            ListItem::new(Line::from(spans))
        })
        .collect();
    let visible = usize::from(area.height.saturating_sub(2));
    let window = Window::around(steps.len(), visible, selected.unwrap_or(0));
    let block = Block::default().borders(Borders::ALL).title(" Steps ");
    let list = List::new(items)
        .block(window.mark(block, theme.accent()))
        .highlight_style(theme.bold());
    let mut state = ListState::default()
        .with_offset(window.offset)
        .with_selected(selected);
    frame.render_stateful_widget(list, area, &mut state);
}
