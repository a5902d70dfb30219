//! The metrics view: the report's totals in words, runs per runbook kind (bar chart), runs per
//! week (sparkline, each week's count written under it) and a line per runbook. Every figure
//! is a number or a word, so it reads the same without colour.

use crate::metrics::{Durations, human, percent};
use crate::tui::metrics_screen::{MetricsScreen, WEEKS};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Block, Borders, Paragraph, Sparkline};

/// Columns per week in the sparkline: wide enough to write the week's count under it.
const WEEK_WIDTH: usize = 3;

pub fn draw(frame: &mut Frame, area: Rect, screen: &MetricsScreen, theme: &Theme) {
    let [summary, charts, table] = Layout::vertical([
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Min(3),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(summary_lines(screen, theme)), summary);
    let [kinds, weeks] = Layout::horizontal([
        Constraint::Min(20),
        Constraint::Length((WEEKS * WEEK_WIDTH) as u16 + 2),
    ])
    .areas(charts);
    draw_kinds(frame, kinds, screen, theme);
    draw_weeks(frame, weeks, screen, theme);
    draw_table(frame, table, screen, theme);
}

/// The per-runbook table from row `screen.top`, its title saying which rows show and that
/// more lie above or below.
fn draw_table(frame: &mut Frame, area: Rect, screen: &MetricsScreen, theme: &Theme) {
    let rows = runbook_lines(screen, theme);
    let shown = usize::from(area.height.saturating_sub(3)).max(1);
    screen.shown.set(shown);
    let top = screen.top.min(rows.len().saturating_sub(shown));
    let end = (top + shown).min(rows.len());
    let marks = match (top > 0, end < rows.len()) {
        (true, true) => " ↑↓ more",
        (true, false) => " ↑ more",
        (false, true) => " ↓ more",
        (false, false) => "",
    };
    let title = format!(
        " Per runbook (whole ledger) · {}–{end} of {}{marks} ",
        (top + 1).min(end),
        rows.len()
    );
    let mut lines = vec![header_line(theme)];
    lines.extend(rows.into_iter().skip(top).take(shown));
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        area,
    );
}

fn day(time: &str) -> &str {
    time.get(..10).unwrap_or(time)
}

fn mean_median(label: &str, durations: &Durations) -> String {
    match (durations.mean_secs, durations.median_secs) {
        (Some(mean), Some(median)) => {
            format!("{label} mean {}, median {}", human(mean), human(median))
        }
        _ => format!("{label} —"),
    }
}

fn summary_lines(screen: &MetricsScreen, theme: &Theme) -> Vec<Line<'static>> {
    let totals = &screen.report.totals;
    let rate = match totals.rollback_rate {
        Some(rate) => format!(
            "rollbacks {} / {} completed updates = {}",
            totals.rollbacks,
            totals.completed_updates,
            percent(rate)
        ),
        None => format!("rollbacks {} (no completed update)", totals.rollbacks),
    };
    let last_drill = totals
        .last_drill
        .as_deref()
        .map_or("none yet".to_owned(), |t| format!("last {}", day(t)));
    let overdue: Vec<&str> = screen
        .report
        .overdue
        .iter()
        .map(|o| o.runbook.as_str())
        .collect();
    let overdue = if overdue.is_empty() {
        Span::styled("nothing overdue", theme.ok())
    } else {
        Span::styled(format!("OVERDUE: {}", overdue.join(", ")), theme.danger())
    };
    let drill_time = match totals.drill_time_to_execute.median_secs {
        Some(median) => format!(", their execute median {}", human(median)),
        None => String::new(),
    };
    vec![
        Line::from(format!(
            "{} runs · {} completed · {} aborted · {} unfinished · emergencies {}",
            totals.runs, totals.completed, totals.aborted, totals.unfinished, totals.emergencies
        )),
        Line::from(format!(
            "{} · {}",
            mean_median("execute", &totals.time_to_execute),
            mean_median("sign-off wait", &totals.signoff_wait)
        )),
        Line::from(rate),
        Line::from(format!(
            "drills {} (apart from the above){drill_time}, {last_drill}",
            totals.drills
        )),
        Line::from(overdue),
    ]
}

fn draw_kinds(frame: &mut Frame, area: Rect, screen: &MetricsScreen, theme: &Theme) {
    let bars: Vec<Bar> = screen
        .report
        .runs_by_kind()
        .into_iter()
        .map(|(kind, runs)| Bar::with_label(kind.name(), runs as u64))
        .collect();
    let chart = BarChart::horizontal(bars)
        .bar_width(1)
        .bar_gap(0)
        .bar_style(theme.accent())
        .value_style(theme.selected())
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Runs per kind "),
        );
    frame.render_widget(chart, area);
}

fn draw_weeks(frame: &mut Frame, area: Rect, screen: &MetricsScreen, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" Runs per week, last {WEEKS} "));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [spark, counts] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let wide: Vec<u64> = screen
        .weekly
        .iter()
        .flat_map(|count| [*count; WEEK_WIDTH - 1].into_iter().chain([0]))
        .collect();
    frame.render_widget(
        Sparkline::default()
            .data(wide)
            .max(screen.weekly.iter().copied().max().unwrap_or(0).max(1))
            .style(theme.accent()),
        spark,
    );
    let numbers: String = screen
        .weekly
        .iter()
        .map(|count| format!("{count:<WEEK_WIDTH$}"))
        .collect();
    frame.render_widget(Paragraph::new(Span::styled(numbers, theme.muted())), counts);
}

fn header_line(theme: &Theme) -> Line<'static> {
    Line::from(Span::styled(
        format!(
            "{:<26} {:<9} {:>4} {:>4} {:>5} {:>8}  {}",
            "runbook", "kind", "runs", "done", "abort", "median", "cadence"
        ),
        theme.bold(),
    ))
}

fn runbook_lines(screen: &MetricsScreen, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for m in &screen.report.runbooks {
        let cadence = match (m.cadence, m.overdue, &m.due) {
            (None, ..) => Span::raw("—"),
            (Some(_), true, _) => Span::styled("OVERDUE", theme.danger()),
            (Some(_), false, Some(due)) => Span::styled(format!("due {}", day(due)), theme.ok()),
            (Some(cadence), false, None) => Span::raw(cadence.name()),
        };
        let name: String = if m.runbook.chars().count() > 26 {
            m.runbook.chars().take(25).chain(['…']).collect()
        } else {
            m.runbook.clone()
        };
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{:<26} {:<9} {:>4} {:>4} {:>5} {:>8}  ",
                name,
                m.kind.map_or("?", |k| k.name()),
                m.runs,
                m.completed,
                m.aborted,
                m.time_to_execute.median_secs.map_or("—".to_owned(), human),
            )),
            cadence,
        ]));
    }
    lines
}
