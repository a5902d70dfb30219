use super::run::mark_style;
use super::scroll_window::{self, Place};
use crate::runbook::graph::{Mark, flowchart};
use crate::tui::run::RunScreen;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

pub fn draw(frame: &mut Frame, area: Rect, screen: &RunScreen, theme: &Theme) {
    let mut current_line = 0;
    let mut owner: Option<String> = None;
    let lines: Vec<Line> = flowchart(&screen.run.runbook)
        .into_iter()
        .enumerate()
        .map(|(index, line)| match &line.step_id {
            Some(id) => {
                owner = Some(id.clone());
                let mark = screen.mark(id);
                if mark == Mark::Current {
                    current_line = index;
                    return Line::from(vec![
                        Span::styled("▶ YOU ARE HERE ", theme.accent()),
                        Span::styled(line.text.clone(), theme.selected()),
                    ]);
                }
                Line::from(vec![
                    Span::styled(
                        format!("{} {:<10}", mark.symbol(), mark.word()),
                        mark_style(mark, theme),
                    ),
                    Span::raw(line.text.clone()),
                ])
            }
            None => {
                let taken = owner.as_deref().and_then(|id| screen.branch_taken(id));
                let is_taken =
                    taken.is_some_and(|label| line.text.contains(&format!(" {label} →")));
                let text = format!("{}{}{}", " ".repeat(11), "  ".repeat(line.depth), line.text);
                if is_taken {
                    Line::from(vec![
                        Span::styled(text, theme.bold()),
                        Span::styled("  ● taken", theme.accent()),
                    ])
                } else {
                    Line::from(Span::styled(text, theme.muted()))
                }
            }
        })
        .collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" Flowchart: {} ", screen.run.runbook.title));
    let inner = block.inner(area);
    let visible = usize::from(inner.height);
    // Where the current step puts the window, and from there where the keys moved it.
    let current = scroll_window::wrapped_index(&lines, current_line, usize::from(inner.width));
    let auto = current.saturating_sub(visible / 2);
    let wanted = auto.saturating_add_signed(screen.flow_scroll.at());
    let window = scroll_window::draw(
        frame,
        area,
        block,
        &lines,
        Place::From(wanted),
        theme.accent(),
    );
    let end = window.offset + window.below;
    screen
        .flow_scroll
        .drawn_within(-(auto as isize), end as isize - auto as isize);
}
