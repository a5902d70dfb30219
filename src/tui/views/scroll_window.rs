//! A box whose text is taller than the box: which lines show, and markers on its borders that
//! say how much is above (`↑ 3 more`) and below (`↓ 12 more`). The window stops at the text's
//! end: its last line never leaves the box's last row, whatever the scroll asked for.

use super::line_wrap::wrap_lines;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

/// Which of `total` lines show in `visible` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: usize,
    pub above: usize,
    pub below: usize,
}

impl Window {
    /// From line `wanted` on, held so that the last line is on the last row at most.
    pub fn from(total: usize, visible: usize, wanted: usize) -> Self {
        let offset = wanted.min(total.saturating_sub(visible));
        Self {
            offset,
            above: offset,
            below: total.saturating_sub(offset + visible),
        }
    }

    /// The window that shows line `line` (the cursor's), a little below the top when it moves.
    pub fn around(total: usize, visible: usize, line: usize) -> Self {
        Self::from(
            total,
            visible,
            line.saturating_sub(visible.saturating_sub(1) / 2),
        )
    }

    /// `block` with the markers of this window on its borders.
    pub fn mark(&self, block: Block<'static>, style: Style) -> Block<'static> {
        let mut block = block;
        if self.above > 0 {
            block = block
                .title_top(Line::styled(format!(" ↑ {} more ", self.above), style).right_aligned());
        }
        if self.below > 0 {
            block = block.title_bottom(
                Line::styled(format!(" ↓ {} more ", self.below), style).right_aligned(),
            );
        }
        block
    }
}

/// `lines` wrapped to the inside of `block` and drawn in it from line `wanted` on (or around
/// the line `cursor`, when given), with the markers of what does not show; returns the window.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    block: Block<'static>,
    lines: &[Line<'_>],
    place: Place,
    marker_style: Style,
) -> Window {
    let inner = block.inner(area);
    let wrapped = wrap_lines(lines, usize::from(inner.width));
    let visible = usize::from(inner.height);
    let window = match place {
        Place::From(wanted) => Window::from(wrapped.len(), visible, wanted),
        Place::Around(source) => {
            let line = wrapped_index(lines, source, usize::from(inner.width));
            Window::around(wrapped.len(), visible, line)
        }
    };
    let shown: Vec<Line> = wrapped
        .into_iter()
        .skip(window.offset)
        .take(visible)
        .collect();
    frame.render_widget(
        Paragraph::new(shown).block(window.mark(block, marker_style)),
        area,
    );
    window
}

/// Where the window goes: from a line on (a scroll), or around a line of the text before it
/// is wrapped (the cursor's).
#[derive(Debug, Clone, Copy)]
pub enum Place {
    From(usize),
    Around(usize),
}

/// The index, once wrapped to `width`, of the first line `source` of `lines` wraps into.
pub fn wrapped_index(lines: &[Line<'_>], source: usize, width: usize) -> usize {
    wrap_lines(&lines[..source.min(lines.len())], width).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_stops_at_the_end() {
        assert_eq!(
            Window::from(30, 10, 100),
            Window {
                offset: 20,
                above: 20,
                below: 0
            }
        );
        assert_eq!(
            Window::from(5, 10, 3),
            Window {
                offset: 0,
                above: 0,
                below: 0
            }
        );
        assert_eq!(Window::around(30, 10, 25).below, 0);
        assert_eq!(Window::around(30, 10, 2).offset, 0);
    }
}
