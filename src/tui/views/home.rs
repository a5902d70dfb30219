use crate::engine::Mode;
use crate::runbook::{Runbook, RunbookKind, Severity};
use crate::tui::home::{HomeScreen, Row};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

pub fn severity_badge(severity: Severity, theme: &Theme) -> Span<'static> {
    let style = match severity {
        Severity::Critical | Severity::High => theme.danger(),
        Severity::Medium => theme.warning(),
        Severity::Low => theme.muted(),
    };
    Span::styled(format!("[{}]", severity.name().to_uppercase()), style)
}

/// How a drill is marked wherever it shows: the start screen in drill mode, the start form.
pub const DRILL_BANNER: &str = "DRILL — runs against the sandbox";

/// The mark of a drill run in the run list and the run view.
pub fn drill_mark(mode: Mode, theme: &Theme) -> Option<Span<'static>> {
    (mode == Mode::Drill).then(|| Span::styled("[DRILL] ", theme.warning()))
}

pub fn kind_marker(book: &Runbook, theme: &Theme) -> Span<'static> {
    if book.kind == RunbookKind::Emergency {
        Span::styled("‼ ", theme.danger())
    } else {
        Span::raw("  ")
    }
}

fn row_item(row: &Row, theme: &Theme) -> ListItem<'static> {
    let line = match row {
        Row::Heading(text) => {
            let style = if text.starts_with('‼') {
                theme.danger()
            } else {
                theme.bold()
            };
            Line::from(Span::styled(text.clone(), style))
        }
        Row::Run(run) => {
            let at = run.current_step.as_deref().unwrap_or("?");
            let mut spans = vec![Span::styled(" ▶ resume ", theme.accent())];
            spans.extend(drill_mark(run.mode, theme));
            spans.extend([Span::raw(format!(
                "{} · at {at} · {} · {}",
                run.runbook,
                run.network,
                run.last_time
                    .get(5..16)
                    .unwrap_or(&run.last_time)
                    .replace('T', " ")
            ))]);
            if run.problem.is_some() {
                spans.push(Span::styled(" ⚠ cannot resume", theme.danger()));
            }
            Line::from(spans)
        }
        Row::Runbook(book) => Line::from(vec![
            Span::raw(" "),
            kind_marker(book, theme),
            severity_badge(book.severity, theme),
            Span::raw(format!(" {}", book.title)),
        ]),
    };
    ListItem::new(line)
}

pub fn draw(frame: &mut Frame, area: Rect, home: &HomeScreen, theme: &Theme) {
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(6), Constraint::Length(7)]).areas(area);
    let mut title = vec![Span::raw(if home.filter.is_empty() {
        " Runbooks ".to_owned()
    } else {
        format!(" Runbooks matching “{}” ", home.filter)
    })];
    if home.drill {
        title.push(Span::styled(format!("· {DRILL_BANNER} "), theme.warning()));
    }
    let title = Line::from(title);
    let items: Vec<_> = home.rows.iter().map(|row| row_item(row, theme)).collect();
    let list = List::new(items)
        .block(Block::default().borders(Borders::ALL).title(title))
        .highlight_style(theme.selected())
        .highlight_symbol("›");
    let mut state = ListState::default().with_selected(home.selected_row().map(|_| home.selected));
    frame.render_stateful_widget(list, list_area, &mut state);
    let detail = match home.selected_row() {
        Some(Row::Runbook(book)) => vec![Line::from(vec![
            kind_marker(book, theme),
            severity_badge(book.severity, theme),
            Span::styled(format!(" {} ", book.id), theme.bold()),
            Span::raw(format!(
                "v{} · {} steps · {}",
                book.version,
                book.steps.len(),
                book.kind.name()
            )),
        ])]
        .into_iter()
        .chain(
            crate::runbook::paragraphs(&book.summary)
                .into_iter()
                .map(Line::from),
        )
        .collect(),
        Some(Row::Run(run)) => {
            let mut lines = vec![
                Line::from(Span::styled(
                    format!("{} — {}", run.id, run.title),
                    theme.bold(),
                )),
                Line::from(format!(
                    "operator {} · started {} · {} entries · Enter resumes where it stopped",
                    run.operator, run.started_at, run.entries
                )),
            ];
            if let Some(problem) = &run.problem {
                lines.push(Line::from(Span::styled(
                    format!("⚠ {problem}"),
                    theme.danger(),
                )));
            }
            lines
        }
        _ if home.rows.is_empty() => {
            vec![Line::from("No runbook matches. Esc clears the filter.")]
        }
        _ => Vec::new(),
    };
    let paragraph = Paragraph::new(detail)
        .wrap(Wrap { trim: true })
        .block(Block::default().borders(Borders::ALL).title(" Details "))
        .style(Style::default());
    frame.render_widget(paragraph, detail_area);
}
