//! The last lines of a step's pane: the irreversible warning, then what blocks the step or
//! how to complete it.

use crate::runbook::{Step, StepAction};
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::run::RunScreen;
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

/// The step's last lines: the irreversible warning, then what blocks it or how to complete it.
pub fn closing_lines(
    screen: &RunScreen,
    step: &Step,
    keymap: &Keymap,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let key = keymap.key_for(
        Context::Run,
        Some(step.action.kind_name()),
        Action::Complete,
    );
    let mut lines = Vec::new();
    if let Some(word) = &step.confirm {
        lines.push(Line::from(Span::styled(
            format!("⚠ IRREVERSIBLE: you will be asked to type `{word}`"),
            theme.danger(),
        )));
    }
    lines.push(match screen.run.completion_blocker() {
        Some(blocker) if !matches!(step.action, StepAction::Decision { .. }) => {
            Line::from(Span::styled(format!("⚠ open: {blocker}"), theme.warning()))
        }
        // A preview is never started: it says what the key would do in a run.
        Some(_) if screen.preview => Line::from(Span::styled(
            format!("in a run, {key} chooses the option under ›"),
            theme.muted(),
        )),
        Some(_) => Line::from(Span::styled(
            format!("{key} chooses the option under ›"),
            theme.muted(),
        )),
        None if screen.preview => Line::from(Span::styled(
            format!("in a run, {key} completes the step"),
            theme.muted(),
        )),
        None => Line::from(Span::styled(
            format!("✓ ready: {key} completes the step"),
            theme.ok(),
        )),
    });
    lines
}
