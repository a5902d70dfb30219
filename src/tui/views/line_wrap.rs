//! Styled lines wrapped to a width, each continuation indented under the text it continues:
//! a checklist item's second line starts under the item's text, not under its box.

use super::text_fit::width;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Marks a line may start with; text wrapped from the line goes on under what follows them.
const MARKS: [&str; 14] = [
    "› ", "[ ] ", "[x] ", "? ", "$ ", "✎ ", "✓ ", "✗ ", "⚠ ", "· ", "- ", "• ", "▶ ", "↷ ",
];

/// The columns a continuation of `text` is indented by: its leading blanks and marks, at most
/// half of `max`.
fn hanging_indent(text: &str, max: usize) -> usize {
    let mut rest = text.trim_start_matches(' ');
    let mut indent = width(text) - width(rest);
    while let Some(mark) = MARKS.iter().find(|mark| rest.starts_with(**mark)) {
        indent += width(mark);
        rest = &rest[mark.len()..];
    }
    indent.min(max / 2)
}

/// `line` wrapped at spaces into lines of at most `max` columns, keeping each character's
/// style; continuations indented (see [`hanging_indent`]); a word longer than a line is broken.
pub fn wrap_line(line: &Line<'_>, max: usize) -> Vec<Line<'static>> {
    let max = max.max(1);
    let cells: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|span| {
            let style = line.style.patch(span.style);
            span.content.chars().map(move |c| (c, style))
        })
        .collect();
    let text: String = cells.iter().map(|(c, _)| c).collect();
    if width(&text) <= max {
        return vec![styled(&cells)];
    }
    let indent = hanging_indent(&text, max);
    let continuation = || vec![(' ', Style::default()); indent];
    let mut lines = Vec::new();
    let mut current: Vec<(char, Style)> = Vec::new();
    // Only the indent so far: blanks before the next word are dropped.
    let mut fresh = false;
    let mut at = 0;
    while at < cells.len() {
        let blanks = cells[at..].iter().take_while(|(c, _)| *c == ' ').count();
        let word = cells[at + blanks..]
            .iter()
            .take_while(|(c, _)| *c != ' ')
            .count();
        let gap = if fresh { 0 } else { blanks };
        if current.len() + gap + word <= max {
            current.extend_from_slice(&cells[at + blanks - gap..at + blanks + word]);
            at += blanks + word;
            fresh = false;
        } else if current.len() > indent.min(current.len()) && !fresh && word <= max - indent {
            lines.push(styled(&current));
            current = continuation();
            fresh = true;
            at += blanks;
        } else {
            // A word longer than a line: as much as fits here, the rest on the next line.
            let start = at + blanks - gap;
            let room = max.saturating_sub(current.len());
            let take = (gap + word).min(room);
            if take == 0 {
                lines.push(styled(&current));
                current = continuation();
                fresh = true;
                at += blanks;
                continue;
            }
            current.extend_from_slice(&cells[start..start + take]);
            at = start + take;
            lines.push(styled(&current));
            current = continuation();
            fresh = true;
        }
    }
    if !fresh || lines.is_empty() {
        lines.push(styled(&current));
    }
    lines
}

/// Each of `lines` wrapped to `max` columns.
pub fn wrap_lines(lines: &[Line<'_>], max: usize) -> Vec<Line<'static>> {
    lines.iter().flat_map(|line| wrap_line(line, max)).collect()
}

/// Characters with their styles as a line, neighbours of one style in one span.
fn styled(cells: &[(char, Style)]) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut style = None;
    for (c, s) in cells {
        if style.is_some_and(|current| current != *s) {
            spans.push(Span::styled(
                std::mem::take(&mut text),
                style.unwrap_or_default(),
            ));
        }
        style = Some(*s);
        text.push(*c);
    }
    if !text.is_empty() {
        spans.push(Span::styled(text, style.unwrap_or_default()));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn a_wrapped_item_keeps_its_indent() {
        let line = Line::from(vec![
            Span::raw("› "),
            Span::raw("[ ] I know which alert fired and when"),
        ]);
        assert_eq!(
            texts(&wrap_line(&line, 20)),
            ["› [ ] I know which", "      alert fired", "      and when"]
        );
    }

    #[test]
    fn short_lines_stay_and_long_words_break() {
        assert_eq!(texts(&wrap_line(&Line::from("one two"), 10)), ["one two"]);
        assert_eq!(
            texts(&wrap_line(&Line::from("$ 0123456789abcdef"), 8)),
            ["$ 012345", "  6789ab", "  cdef"]
        );
    }
}
