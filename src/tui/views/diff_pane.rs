//! The diff step once its diff is computed: the summary and fingerprint, the guardrails that
//! block it, then a table of the changes (one row each) that scrolls with the cursor.

use super::step_closing::closing_lines;
use super::text_fit::{truncate, truncate_middle, truncate_value, width, wrap};
use crate::catalogue::risk::RiskClass;
use crate::diff::{Change, ChangeKind, Diff};
use crate::runbook::Step;
use crate::tui::keymap::Keymap;
use crate::tui::run::RunScreen;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row, Scrollbar, ScrollbarOrientation, ScrollbarState, Table,
    TableState,
};

/// The longest risk badge, `[FINANCIAL]`.
const BADGE: usize = 11;
/// Columns besides the parameter and its change: highlight `› `, kind, badge, three gaps.
const FIXED: usize = 2 + 1 + BADGE + 3;
/// Table rows kept visible before optional lines above it get room.
const MIN_ROWS: usize = 5;

pub fn risk_style(risk: RiskClass, theme: &Theme) -> Style {
    match risk {
        RiskClass::Security => theme.danger(),
        RiskClass::Financial => theme.warning(),
        RiskClass::Cosmetic => theme.ok(),
    }
}

/// The fingerprint on one line when it fits, else in two aligned halves (never cut).
fn fingerprint_lines(fingerprint: &str, width: usize) -> Vec<String> {
    let label = "fingerprint ";
    if label.len() + fingerprint.len() <= width {
        return vec![format!("{label}{fingerprint}")];
    }
    let (head, tail) = fingerprint.split_at(fingerprint.len() / 2);
    vec![
        format!("{label}{head}"),
        format!("{}{tail}", " ".repeat(label.len())),
    ]
}

fn styled(lines: Vec<String>, style: Style) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect()
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    screen: &RunScreen,
    step: &Step,
    keymap: &Keymap,
    theme: &Theme,
) {
    let Some((diff, against)) = &screen.diff else {
        return;
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", step.id));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cols = inner.width as usize;

    let title = vec![Line::from(vec![
        Span::styled(step.title.clone(), theme.bold()),
        Span::styled(format!("  [{}]", step.action.kind_name()), theme.muted()),
    ])];
    let summary = styled(wrap(&diff.summary(), cols), theme.bold());
    let fingerprint = styled(fingerprint_lines(&diff.fingerprint, cols), Style::default());
    let blocking = blocking_lines(diff, cols, theme);
    let closing = wrapped(closing_lines(screen, step, keymap, theme), cols);

    let table_min = 1 + diff.changes.len().clamp(1, MIN_ROWS);
    let free = (inner.height as usize).saturating_sub(
        title.len()
            + summary.len()
            + fingerprint.len()
            + blocking.len()
            + closing.len()
            + table_min,
    );
    let [body, against, broken, not_compared] =
        optional_lines(step, diff, against, (cols, free), theme);
    let top: Vec<Line> = [
        title,
        body,
        against,
        summary,
        fingerprint,
        blocking,
        broken,
        not_compared,
    ]
    .concat();
    let [top_area, table_area, closing_area] = Layout::vertical([
        Constraint::Length(top.len() as u16),
        Constraint::Min(2),
        Constraint::Length(closing.len() as u16),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(top), top_area);
    changes_table(frame, table_area, diff, screen.cursor, theme);
    draw_closing(frame, closing_area, closing, diff, screen.cursor, theme);
}

/// The lines shown only when there is room, in this order of importance: the step's text,
/// the guardrails broken already (in full, else named on one line), what the diff is
/// against, the parameters not compared. `room` is the columns, and the rows left free.
fn optional_lines(
    step: &Step,
    diff: &Diff,
    against: &str,
    room: (usize, usize),
    theme: &Theme,
) -> [Vec<Line<'static>>; 4] {
    let (cols, mut free) = room;
    let body: Vec<String> = crate::runbook::paragraphs(&step.body)
        .iter()
        .flat_map(|p| wrap(p, cols))
        .collect();
    // The state compared with says its source, age and signer: wrapped, never cut.
    let against = wrap(&format!("against {against}"), cols);
    let (broken, broken_compact) = broken_lines(diff, cols);
    let left_out: Vec<&str> = diff.incomplete().map(|n| n.id.as_str()).collect();
    let not_compared = match left_out.len() {
        0 => Vec::new(),
        n => vec![truncate(
            &format!("⚠ INCOMPLETE, {n} not compared: {}", left_out.join(", ")),
            cols,
        )],
    };

    let mut fit = |lines: Vec<String>, style: Style| -> Vec<Line<'static>> {
        if lines.len() <= free {
            free -= lines.len();
            styled(lines, style)
        } else {
            Vec::new()
        }
    };
    let body = fit(body, Style::default());
    let broken = match fit(broken, theme.muted()) {
        lines if lines.is_empty() => fit(broken_compact, theme.muted()),
        lines => lines,
    };
    let against = fit(against, theme.muted());
    let not_compared = fit(not_compared, theme.muted());
    [body, against, broken, not_compared]
}

fn blocking_lines(diff: &Diff, cols: usize, theme: &Theme) -> Vec<Line<'static>> {
    diff.guardrails
        .iter()
        .filter(|g| g.blocking)
        .flat_map(|g| {
            let v = &g.violation;
            let text = format!(
                "{}: {} — valid: {}",
                g.headline("already broken, not touched:"),
                v.found,
                v.valid
            );
            styled(wrap(&text, cols), theme.danger())
        })
        .collect()
}

/// `lines` wrapped to `cols`, each keeping the style of its first span.
fn wrapped(lines: Vec<Line<'static>>, cols: usize) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .flat_map(|line| {
            let style = line.spans.first().map_or(Style::default(), |s| s.style);
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            styled(wrap(&text, cols), style)
        })
        .collect()
}

/// Guardrails broken already and not touched by this change: one line each (at most two), or
/// all of them named on one line when that is all there is room for.
fn broken_lines(diff: &Diff, cols: usize) -> (Vec<String>, Vec<String>) {
    let broken: Vec<_> = diff.guardrails.iter().filter(|g| !g.blocking).collect();
    if broken.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let names: Vec<String> = broken
        .iter()
        .map(|g| {
            let v = &g.violation;
            if v.is_policy() {
                format!("policy {}", v.guardrail)
            } else {
                v.guardrail.clone()
            }
        })
        .collect();
    let compact = vec![truncate(
        &format!("⚠ already broken, not touched: {}", names.join(", ")),
        cols,
    )];
    if broken.len() > 2 {
        return (compact.clone(), compact);
    }
    let full = broken
        .iter()
        .map(|g| {
            let v = &g.violation;
            truncate(
                &format!(
                    "{}: {}",
                    g.headline("already broken, not touched:"),
                    v.found
                ),
                cols,
            )
        })
        .collect();
    (full, compact)
}

/// The last closing line carries where the cursor is ("change 2 of 9"), right-aligned.
fn draw_closing(
    frame: &mut Frame,
    area: Rect,
    closing: Vec<Line<'static>>,
    diff: &Diff,
    cursor: usize,
    theme: &Theme,
) {
    let last_width = closing.last().map_or(0, Line::width);
    frame.render_widget(Paragraph::new(closing), area);
    if diff.changes.is_empty() || area.height == 0 {
        return;
    }
    let position = format!("change {} of {}", cursor + 1, diff.changes.len());
    if last_width + width(&position) + 2 <= area.width as usize {
        let last = Rect {
            y: area.y + area.height - 1,
            height: 1,
            ..area
        };
        frame.render_widget(
            Line::from(Span::styled(position, theme.muted())).right_aligned(),
            last,
        );
    }
}

fn changes_table(frame: &mut Frame, area: Rect, diff: &Diff, cursor: usize, theme: &Theme) {
    if diff.changes.is_empty() {
        frame.render_widget(
            Line::from(Span::styled("No parameter changes.", theme.ok())),
            area,
        );
        return;
    }
    let visible = (area.height as usize).saturating_sub(1).max(1);
    let scrolls = diff.changes.len() > visible;
    let [table_area, bar_area] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(u16::from(scrolls))])
            .areas(area);
    let room = (table_area.width as usize).saturating_sub(FIXED);
    let longest = diff.changes.iter().map(|c| width(&c.id)).max().unwrap_or(0);
    let id_width = longest
        .min((room * 45 / 100).max(12))
        .min(room.saturating_sub(8));
    let change_width = room.saturating_sub(id_width);
    let rows: Vec<Row> = diff
        .changes
        .iter()
        .map(|change| {
            Row::new(vec![
                Cell::from(change.kind.symbol()),
                Cell::from(Span::styled(
                    change.risk.badge(),
                    risk_style(change.risk, theme),
                )),
                Cell::from(truncate_middle(&change.id, id_width)),
                Cell::from(change_cell(change, change_width, theme)),
            ])
        })
        .collect();
    let header = Row::new(vec!["", "risk", "parameter", "before → after"]).style(theme.bold());
    let table = Table::new(
        rows,
        [
            Constraint::Length(1),
            Constraint::Length(BADGE as u16),
            Constraint::Length(id_width as u16),
            Constraint::Fill(1),
        ],
    )
    .header(header)
    .row_highlight_style(theme.selected())
    .highlight_symbol("› ");
    let cursor = cursor.min(diff.changes.len() - 1);
    let offset = cursor
        .saturating_sub(visible / 2)
        .min(diff.changes.len().saturating_sub(visible));
    let mut state = TableState::default()
        .with_offset(offset)
        .with_selected(Some(cursor));
    frame.render_stateful_widget(table, table_area, &mut state);
    if scrolls {
        let mut bar = ScrollbarState::new(diff.changes.len()).position(cursor);
        let bar_rows = Rect {
            y: bar_area.y + 1,
            height: bar_area.height.saturating_sub(1),
            ..bar_area
        };
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight),
            bar_rows,
            &mut bar,
        );
    }
}

/// What a change does, cut to `max` columns: before → after, members ±, or the words that
/// changed in a long text.
fn change_cell(change: &Change, max: usize, theme: &Theme) -> Line<'static> {
    let before = change.before.as_deref().unwrap_or("?");
    let after = change.after.as_deref().unwrap_or("?");
    let plain = |text: String| Line::from(truncate(&text, max));
    match change.kind {
        ChangeKind::Added => plain(format!("(new) {after}")),
        ChangeKind::Removed => plain(format!("(removed) was {before}")),
        ChangeKind::Changed if !change.added.is_empty() || !change.removed.is_empty() => {
            let members: Vec<String> = change
                .added
                .iter()
                .map(|m| format!("+{}", change.member_shown(m)))
                .chain(
                    change
                        .removed
                        .iter()
                        .map(|m| format!("-{}", change.member_shown(m))),
                )
                .collect();
            plain(members_within(&members, max))
        }
        ChangeKind::Changed if !change.inline.is_empty() => inline_cell(change, max, theme),
        ChangeKind::Changed if width(before) + width(after) + 3 > max => {
            let side = max.saturating_sub(3) / 2;
            plain(format!(
                "{} → {}",
                truncate_value(before, side),
                truncate_value(after, side)
            ))
        }
        ChangeKind::Changed => plain(format!("{before} → {after}")),
    }
}

/// Members added (`+`) and removed (`-`), each whole when all fit; else each kept to both
/// ends (`+0xf39F…2266`) or to its name, as many as fit, and how many more (`(3 more)`; Enter shows all).
fn members_within(members: &[String], max: usize) -> String {
    let whole = members.join(" ");
    if width(&whole) <= max {
        return whole;
    }
    let mut shown = Vec::new();
    let each = (max / members.len().max(1)).max(14);
    for (index, member) in members.iter().enumerate() {
        let short = truncate_value(member, each);
        let left = members.len() - index - 1;
        let more = if left > 0 {
            format!(" ({left} more)")
        } else {
            String::new()
        };
        let used: usize = shown.iter().map(|m: &String| width(m) + 1).sum();
        if used + width(&short) + width(&more) > max {
            shown.push(format!("({} more)", members.len() - index));
            break;
        }
        shown.push(short);
    }
    shown.join(" ")
}

/// The words a long text loses `[-…-]` and gains `{+…+}`, with the unchanged runs between them
/// shortened to their last few characters.
fn inline_cell(change: &Change, max: usize, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (mark, text) in &change.inline {
        let (text, style) = match mark {
            '-' => (format!("[-{text}-]"), theme.danger()),
            '+' => (format!("{{+{text}+}}"), theme.ok()),
            _ if width(text) > 12 => {
                let tail: String = text.chars().skip(width(text) - 10).collect();
                (format!("…{tail}"), Style::default())
            }
            _ => (text.clone(), Style::default()),
        };
        if used + width(&text) > max {
            spans.push(Span::styled(truncate(&text, max - used), style));
            break;
        }
        used += width(&text);
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}
