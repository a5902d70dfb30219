//! The current step's pane in the run view: its title, its text, what its kind shows, and
//! how it completes; a finished run's history instead when the run is over.

use super::scroll_window::{self, Place};
use super::step_closing::closing_lines;
use super::text_fit;
use crate::engine::Position;
use crate::runbook::StepAction;
use crate::tui::keymap::Keymap;
use crate::tui::run::RunScreen;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

pub fn draw(frame: &mut Frame, area: Rect, screen: &RunScreen, keymap: &Keymap, theme: &Theme) {
    let run = &screen.run;
    let Some(step) = run.current_step() else {
        return finished(frame, area, screen, theme);
    };
    if matches!(step.action, StepAction::Diff { .. })
        && screen.diff.is_some()
        && run.visit.diff.is_some()
    {
        super::diff_pane::draw(frame, area, screen, step, keymap, theme);
        return;
    }
    let mut lines = vec![Line::from(vec![
        Span::styled(step.title.clone(), theme.bold()),
        Span::styled(format!("  [{}]", step.action.kind_name()), theme.muted()),
    ])];
    lines.extend(
        crate::runbook::paragraphs(&step.body)
            .into_iter()
            .map(Line::from),
    );
    lines.push(Line::from(""));
    lines.extend(super::step_body::lines(screen, step, theme));
    lines.push(Line::from(""));
    lines.extend(closing_lines(screen, step, keymap, theme));
    let title = text_fit::truncate_middle(&step.id, usize::from(area.width).saturating_sub(4));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "));
    // The option or item under the cursor is the line that starts with the pointer.
    let cursor = lines
        .iter()
        .position(|line| line.spans.first().is_some_and(|s| s.content == "› "));
    let place = match cursor {
        Some(line) => Place::Around(line),
        None => Place::From(screen.detail_scroll.at().max(0) as usize),
    };
    let window = scroll_window::draw(frame, area, block, &lines, place, theme.accent());
    screen
        .detail_scroll
        .drawn_within(0, (window.offset + window.below) as isize);
}

/// A run that is over: how it ended, and each step's outcome.
fn finished(frame: &mut Frame, area: Rect, screen: &RunScreen, theme: &Theme) {
    let run = &screen.run;
    let mut lines = match &run.position {
        Position::Aborted(reason) => vec![Line::from(Span::styled(
            format!("✗ Run aborted: {reason}"),
            theme.danger(),
        ))],
        _ => vec![Line::from(Span::styled("✓ Run completed", theme.ok()))],
    };
    lines.push(Line::from(""));
    for visited in &run.history {
        lines.push(Line::from(format!(
            "{} {} {}",
            visited.time.get(11..19).unwrap_or(""),
            visited.step,
            visited.outcome
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from("Esc returns to the start screen."));
    let block = Block::default().borders(Borders::ALL);
    let place = Place::From(screen.detail_scroll.at().max(0) as usize);
    let window = scroll_window::draw(frame, area, block, &lines, place, theme.accent());
    screen
        .detail_scroll
        .drawn_within(0, (window.offset + window.below) as isize);
}
