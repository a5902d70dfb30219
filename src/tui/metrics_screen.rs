//! The metrics view's state: the report and the weekly series, read from the ledger once when
//! the view opens (never while drawing).

use super::action::Action;
use super::outcome::Outcome;
use crate::metrics::{Options, Report, collect, runs_per_week};
use crate::session::{Session, SessionError};
use jiff::Timestamp;
use std::cell::Cell;

/// The sparkline's span.
pub const WEEKS: usize = 12;

pub struct MetricsScreen {
    pub report: Report,
    /// Runs started in each of the last `WEEKS` weeks, oldest first.
    pub weekly: Vec<u64>,
    /// The first runbook row shown in the per-runbook table.
    pub top: usize,
    /// How many runbook rows the table showed when last drawn: a page.
    pub shown: Cell<usize>,
}

impl MetricsScreen {
    pub fn load(session: &Session, now: Timestamp) -> Result<Self, SessionError> {
        let trusted = session.trusted_entries()?;
        let entries = trusted.entries;
        let mut report = Report::build(&entries, &session.runbooks, Options { since: None, now });
        report.problems.extend(
            trusted
                .left_out
                .iter()
                .map(|run| format!("left out: {run}")),
        );
        let (runs, _) = collect(&entries, &session.runbooks);
        Ok(Self {
            report,
            weekly: runs_per_week(&runs, now, WEEKS),
            top: 0,
            shown: Cell::new(1),
        })
    }

    /// The per-runbook table scrolls and stops at its ends.
    pub fn handle(&mut self, action: Action) -> Outcome {
        let page = self.shown.get().max(1);
        let last_top = self.report.runbooks.len().saturating_sub(page);
        self.top = match action {
            Action::Back => return Outcome::Close,
            Action::Down => self.top + 1,
            Action::Up => self.top.saturating_sub(1),
            Action::PageDown => self.top + page,
            Action::PageUp => self.top.saturating_sub(page),
            Action::First => 0,
            Action::Last => last_top,
            _ => return Outcome::Stay,
        }
        .min(last_top);
        Outcome::Stay
    }
}
