//! Drawing: a pure view of the app state. Nothing here changes state or does I/O.

mod chain_detail;
mod change_popup;
mod diff_pane;
mod flowchart;
mod home;
mod ledger;
mod metrics;
mod popups;
mod run;
mod step_detail;
mod text_fit;

use super::app::{App, Verification, View};
use super::keymap::Hint;
use super::live::Freshness;
use crate::workspace::snapshot::short_age;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 20;

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
    frame.render_widget(title_line(app), title);
    let width = area.width as usize;
    match app.view {
        View::Home => home::draw(frame, body, app),
        View::Run => run::draw(frame, body, app),
        View::Flowchart => flowchart::draw(frame, body, app),
        View::Ledger => ledger::draw(frame, body, app),
        View::Metrics => metrics::draw(frame, body, app),
    }
    frame.render_widget(hint_line(app, width), hints);
    frame.render_widget(status_line(app, width), status);
    if let Some(popup) = app.popups.last() {
        popups::draw(frame, area, app, popup);
    }
}

fn title_line(app: &App) -> Line<'static> {
    let run_id = app
        .run
        .as_ref()
        .map(|s| s.run.id.as_str())
        .unwrap_or_default();
    let view = match app.view {
        View::Home => "start".to_owned(),
        View::Run => format!("run {run_id}"),
        View::Flowchart => format!("flowchart {run_id}"),
        View::Ledger => "ledger".to_owned(),
        View::Metrics => "metrics".to_owned(),
    };
    let mut spans = vec![
        Span::styled(" owner-console ", app.theme.selected()),
        Span::raw(format!(" {view}")),
    ];
    if let Some(busy) = &app.busy {
        spans.push(Span::styled(format!("  ⏳ {busy}"), app.theme.warning()));
    }
    Line::from(spans)
}

fn hint_line(app: &App, width: usize) -> Line<'static> {
    if let Some((message, error)) = &app.status {
        let style = if *error {
            app.theme.danger()
        } else {
            app.theme.ok()
        };
        return Line::from(Span::styled(format!(" {message}"), style));
    }
    let (context, kind) = (app.context(), app.current_step_kind());
    let (this_step, always): (Vec<_>, Vec<_>) = app
        .keymap
        .hints(context, kind)
        .into_iter()
        .partition(|h| h.for_this_step);
    // This step's keys on the left; the view's own on the right, in the room that the widest
    // keys of the run's steps leave, so that they stay in place from one step to the next
    // (keys where the eye expects them, and fewer bytes over a slow link). The last column
    // stays blank, as a popup's border leaves it.
    let width = width.saturating_sub(1);
    let help = " ? help".len();
    let this_step = fitting(this_step, width.saturating_sub(help));
    let widest = app.keymap.widest_step_hints(context, &app.run_step_kinds());
    let step_room = widest.max(hints_width(&this_step));
    let always = fitting(always, width.saturating_sub(help + step_room));
    let used = hints_width(&this_step) + hints_width(&always) + help;
    let mut spans = hint_spans(app, &this_step);
    spans.push(Span::raw(" ".repeat(width.saturating_sub(used))));
    spans.extend(hint_spans(app, &always));
    spans.push(Span::styled(" ?", app.theme.accent()));
    spans.push(Span::raw(" help"));
    Line::from(spans)
}

/// The first of `hints` that fit in `room` columns.
fn fitting(hints: Vec<Hint>, room: usize) -> Vec<Hint> {
    let mut used = 0;
    hints
        .into_iter()
        .take_while(|hint| {
            used += hint.width();
            used <= room
        })
        .collect()
}

fn hints_width(hints: &[Hint]) -> usize {
    hints.iter().map(Hint::width).sum()
}

fn hint_spans(app: &App, hints: &[Hint]) -> Vec<Span<'static>> {
    hints
        .iter()
        .flat_map(|hint| {
            [
                Span::styled(format!(" {}", hint.key), app.theme.accent()),
                Span::raw(format!(" {} ", hint.word)),
            ]
        })
        .collect()
}

/// The status bar: most important first, and only what fits.
fn status_line(app: &App, width: usize) -> Line<'static> {
    let session = &app.session;
    let theme = &app.theme;
    let chain = session
        .networks
        .get(&app.network)
        .map(|n| format!(" {}", n.chain_id))
        .unwrap_or_default();
    let journal = match &app.verification {
        _ if !app.damage.is_empty() => Span::styled(
            format!("ledger ⚠ {} bad line(s)", app.damage.len()),
            theme.danger(),
        ),
        Verification::Pending => {
            Span::styled(format!("ledger {} verifying…", app.entries), theme.muted())
        }
        Verification::Passed => {
            Span::styled(format!("ledger ✓{} verified", app.entries), theme.ok())
        }
        Verification::Failed(_) => Span::styled("ledger ✗ FAILED (l)", theme.danger()),
    };
    let snapshot = match &app.snapshot {
        Some(Ok(snapshot)) => {
            let age = snapshot
                .age_seconds(jiff::Timestamp::now())
                .map(short_age)
                .unwrap_or_else(|| "?".into());
            Span::styled(
                format!("#{} ({age} old)", snapshot.block.number),
                theme.muted(),
            )
        }
        Some(Err(_)) => Span::styled("snapshot unreadable", theme.danger()),
        None => Span::styled("no snapshot", theme.muted()),
    };
    let workspace = match &session.workspace.source {
        crate::workspace::Source::Embedded => "embedded".to_owned(),
        crate::workspace::Source::Folder(path) => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let mode = match &app.live {
        None => Span::styled(format!("{}{chain} offline", app.network), theme.bold()),
        Some(live) => match live.freshness(std::time::Instant::now()) {
            Freshness::Fresh { read_secs } => Span::styled(
                format!(
                    "{}{chain} ✓ {} {read_secs}s",
                    app.network,
                    if live.drill { "drill" } else { "live" }
                ),
                theme.ok(),
            ),
            Freshness::Waiting { secs } => Span::styled(
                format!(
                    "{}{chain} … {} {secs}s",
                    app.network,
                    if live.drill { "drill" } else { "live" }
                ),
                theme.warning(),
            ),
            Freshness::Stale { why, .. } if why.contains("WRONG CHAIN") => Span::styled(
                format!("{}{chain} ✗ WRONG CHAIN", app.network),
                theme.danger(),
            ),
            Freshness::Stale { since_secs, .. } => Span::styled(
                format!(
                    "{}{chain} ✗ STALE {}",
                    app.network,
                    since_secs.map_or("no read".to_owned(), |s| format!("{s}s"))
                ),
                theme.danger(),
            ),
        },
    };
    let snapshot = match &app.live {
        Some(live) => match &live.last {
            Some(state) => Span::styled(
                format!(
                    "#{} ({}s old)",
                    state.block.number,
                    state.block.age_secs(jiff::Timestamp::now())
                ),
                theme.muted(),
            ),
            None => Span::styled("no block yet", theme.muted()),
        },
        None => snapshot,
    };
    let segments = [
        mode,
        journal,
        operator_segment(app),
        snapshot,
        Span::styled(workspace, theme.muted()),
    ];
    let mut spans = Vec::new();
    let mut used = 0;
    for segment in segments {
        let cost = segment.content.chars().count() + 3;
        if used + cost > width {
            break;
        }
        used += cost;
        spans.push(Span::raw(if spans.is_empty() { " " } else { " · " }));
        spans.push(segment);
    }
    Line::from(spans)
}

/// Who signs: the operator's name, a shortened unlisted address, or read-only.
fn operator_segment(app: &App) -> Span<'static> {
    let session = &app.session;
    if !session.is_unlocked() {
        return Span::styled("🔒 read-only (no key)", app.theme.danger());
    }
    match session.operator.strip_prefix("unlisted 0x") {
        Some(hex) if hex.len() == 40 => Span::styled(
            format!("unlisted 0x{}…{}", &hex[..4], &hex[36..]),
            app.theme.warning(),
        ),
        _ => Span::raw(session.operator.clone()),
    }
}

/// A rectangle of at most `width`×`height`, centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
