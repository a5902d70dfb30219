//! Opening the ledger and metrics views, and one ledger entry in full.

use super::app::{App, View};
use super::ledger_screen::LedgerScreen;
use super::metrics_screen::MetricsScreen;
use super::popup::Popup;

impl App {
    pub(super) fn ledger_mut(&mut self, change: impl FnOnce(&mut LedgerScreen)) {
        if let Some(screen) = self.ledger.as_mut() {
            change(screen);
        }
    }

    pub(super) fn open_ledger(&mut self) {
        match self.session.ledger().read() {
            Ok(contents) => {
                let run = self.run.as_ref().map(|s| s.run.id.clone());
                self.ledger = Some(LedgerScreen::new(contents.entries, run));
                self.ledger_return = self.view;
                self.view = View::Ledger;
            }
            Err(error) => self
                .popups
                .push(Popup::error("Cannot read the ledger", error.to_string())),
        }
    }

    pub(super) fn open_metrics(&mut self) {
        match MetricsScreen::load(&self.session, jiff::Timestamp::now()) {
            Ok(screen) => {
                self.metrics = Some(screen);
                self.view = View::Metrics;
            }
            Err(error) => self
                .popups
                .push(Popup::error("Cannot read the ledger", error.to_string())),
        }
    }

    pub(super) fn show_entry(&mut self) {
        let Some(entry) = self.ledger.as_ref().and_then(|l| l.selected_entry()) else {
            return;
        };
        let signer = match self.session.operators.by_address(&entry.signer) {
            Some(operator) => format!("{} ({})", operator.name, operator.roles.join(", ")),
            None => "⚠ not in config/operators.toml".to_owned(),
        };
        let mut lines = vec![format!("signed by {signer}")];
        lines.extend(
            serde_json::to_string_pretty(entry)
                .unwrap_or_default()
                .lines()
                .map(str::to_owned),
        );
        self.popups.push(Popup::Text {
            title: format!("Entry {} · {}", entry.seq, entry.event.type_name()),
            lines,
            scroll: 0,
        });
    }
}
