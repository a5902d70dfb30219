//! The hint bar: the status message when there is one, else the keys of the view and of the
//! current step, generated from the keymap.

use super::text_fit::truncate;
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Hint};
use crate::tui::shared::Shared;
use crate::tui::status::Status;
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

/// `step_kind` is the open run's current step's; `run_kinds` every step kind of its runbook;
/// `shown_only` says the current step is a command the console only shows (its `x` shows it,
/// to copy, and runs nothing).
pub fn line(
    shared: &Shared,
    context: Context,
    (step_kind, shown_only): (Option<&str>, bool),
    run_kinds: &[&str],
    width: usize,
) -> Line<'static> {
    let theme = &shared.theme;
    if let Some(status) = &shared.status {
        let style = match status {
            Status::Warning(_) => theme.danger(),
            Status::Info(_) => theme.ok(),
        };
        let text = truncate(status.text(), width.saturating_sub(2));
        return Line::from(Span::styled(format!(" {text}"), style));
    }
    let (this_step, always): (Vec<_>, Vec<_>) = shared
        .keymap
        .hints(context, step_kind)
        .into_iter()
        .map(|mut hint| {
            if shown_only && hint.action == Action::Execute {
                hint.word = "show";
            }
            hint
        })
        .partition(|h| h.for_this_step);
    // This step's keys on the left; the view's own on the right, in the room that the widest
    // keys of the run's steps leave, so that they stay in place from one step to the next
    // (keys where the eye expects them, and fewer bytes over a slow link). The last column
    // stays blank, as a popup's border leaves it.
    let width = width.saturating_sub(1);
    let help = " ? help".len();
    let this_step = fitting(this_step, width.saturating_sub(help));
    let widest = shared.keymap.widest_step_hints(context, run_kinds);
    let step_room = widest.max(hints_width(&this_step));
    let always = fitting(always, width.saturating_sub(help + step_room));
    let used = hints_width(&this_step) + hints_width(&always) + help;
    let mut spans = hint_spans(theme, &this_step);
    spans.push(Span::raw(" ".repeat(width.saturating_sub(used))));
    spans.extend(hint_spans(theme, &always));
    spans.push(Span::styled(" ?", theme.accent()));
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

fn hint_spans(theme: &Theme, hints: &[Hint]) -> Vec<Span<'static>> {
    hints
        .iter()
        .flat_map(|hint| {
            [
                Span::styled(format!(" {}", hint.key), theme.accent()),
                Span::raw(format!(" {} ", hint.word)),
            ]
        })
        .collect()
}
