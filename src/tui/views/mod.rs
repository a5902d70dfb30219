//! Drawing: a pure view of the app state. Nothing here changes state or does I/O.

mod chain_detail;
mod change_popup;
mod diff_pane;
mod flowchart;
mod help;
mod hint_bar;
mod home;
mod ledger;
mod line_wrap;
mod metrics;
mod popup_parts;
mod popups;
mod run;
mod scroll_window;
mod start_form;
mod status_bar;
mod step_body;
mod step_closing;
mod step_detail;
mod text_fit;

use super::app::{App, Journal, View};
use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 20;

/// The whole screen: the title, the screen on top, the hint and status bars, then the top
/// popup over them.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "Terminal too small: {}×{}. owner-console needs at least {MIN_WIDTH}×{MIN_HEIGHT} (80×24 is best). Enlarge it; nothing is lost. Ctrl+C quits.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [title, body, hints, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let shared = &app.shared;
    let theme = &shared.theme;
    let run_id = app.run.as_ref().map(|s| s.run.id.as_str());
    let busy = shared.busy.as_deref();
    frame.render_widget(title_line(app.view(), run_id, busy, theme), title);
    match (&app.journal, &app.run) {
        (Some(Journal::Ledger(screen)), _) => {
            let operators = &app.session.operators;
            ledger::draw(frame, body, screen, &app.verification, operators, theme)
        }
        (Some(Journal::Metrics(screen)), _) => metrics::draw(frame, body, screen, theme),
        (None, Some(screen)) if screen.flowchart => flowchart::draw(frame, body, screen, theme),
        (None, Some(screen)) => run::draw(frame, body, screen, &shared.keymap, theme),
        (None, None) => home::draw(frame, body, &app.home, theme),
    }
    let width = area.width as usize;
    let (context, kind) = (app.context(), app.current_step_kind());
    let shown_only = app
        .run
        .as_ref()
        .and_then(|screen| screen.run.current_step())
        .is_some_and(|step| {
            matches!(
                step.action,
                crate::runbook::StepAction::Command {
                    run: crate::runbook::CommandRun::Never,
                    ..
                }
            )
        });
    let hint_line = hint_bar::line(
        shared,
        context,
        (kind, shown_only),
        &app.run_step_kinds(),
        width,
    );
    frame.render_widget(hint_line, hints);
    let status_line = status_bar::line(
        &app.session,
        &app.network,
        (&app.verification, &app.run_list),
        theme,
        width,
    );
    frame.render_widget(status_line, status);
    if let Some(popup) = shared.popups.last() {
        popups::draw(frame, area, popup, &beneath(app));
    }
}

/// What the popups read of the app besides themselves.
fn beneath(app: &App) -> popups::Beneath<'_> {
    let chain_id = app.session.networks.get(&app.network.name);
    popups::Beneath {
        shared: &app.shared,
        network: &app.network,
        chain_id: chain_id.map(|n| n.chain_id).unwrap_or_default(),
        diff: app
            .run
            .as_ref()
            .and_then(|s| s.diff.as_ref())
            .map(|(d, _)| d),
    }
}

/// How far the top popup, a text to scroll, can scroll at the app's terminal size before its
/// end shows (none when the top popup does not scroll).
pub fn scroll_limit(app: &App) -> Option<u16> {
    let popup = app.shared.popups.last()?;
    let (width, height) = app.size;
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    popups::scroll_limit(popup, &beneath(app), area)
}

fn title_line(
    view: View,
    run_id: Option<&str>,
    busy: Option<&str>,
    theme: &Theme,
) -> Line<'static> {
    let run_id = run_id.unwrap_or_default();
    let view = match view {
        View::Home => "start".to_owned(),
        View::Run => format!("run {run_id}"),
        View::Preview => "preview (nothing is recorded)".to_owned(),
        View::Flowchart => format!("flowchart {run_id}"),
        View::Ledger => "ledger".to_owned(),
        View::Metrics => "metrics".to_owned(),
    };
    let mut spans = vec![
        Span::styled(" owner-console ", theme.selected()),
        Span::raw(format!(" {view}")),
    ];
    if let Some(busy) = busy {
        spans.push(Span::styled(format!("  ⏳ {busy}"), theme.warning()));
    }
    Line::from(spans)
}
