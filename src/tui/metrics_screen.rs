//! The metrics view's state: the report and the weekly series, read from the ledger once when
//! the view opens (never while drawing).

use super::action::Action;
use super::outcome::Outcome;
use crate::metrics::{Options, Report, collect, runs_per_week};
use crate::session::{Session, SessionError};
use jiff::Timestamp;

/// The sparkline's span.
pub const WEEKS: usize = 12;

pub struct MetricsScreen {
    pub report: Report,
    /// Runs started in each of the last `WEEKS` weeks, oldest first.
    pub weekly: Vec<u64>,
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
        })
    }

    pub fn handle(&self, action: Action) -> Outcome {
        match action {
            Action::Back => Outcome::Close,
            _ => Outcome::Stay,
        }
    }
}
