//! The ledger view: the entries of one run or of all, the one under the cursor, and one entry
//! in full.

use super::action::Action;
use super::home::FAR;
use super::outcome::Outcome;
use super::popups::Popup;
use super::shared::Ctx;
use crate::ledger::Entry;
use crate::session::{Session, SessionError};

pub struct LedgerScreen {
    pub entries: Vec<Entry>,
    /// The run whose entries are shown; None shows every entry.
    pub run: Option<String>,
    /// The run open beneath this view, whose entries the scope key shows.
    open_run: Option<String>,
    pub selected: usize,
}

impl LedgerScreen {
    /// The whole ledger, read now; `run`'s entries shown first when a run is open.
    pub fn open(session: &Session, run: Option<String>) -> Result<Self, SessionError> {
        let contents = session.ledger().read()?;
        Ok(Self::new(contents.entries, run))
    }

    pub fn new(all: Vec<Entry>, run: Option<String>) -> Self {
        let mut screen = Self {
            entries: all,
            open_run: run.clone(),
            run,
            selected: 0,
        };
        screen.selected = screen.visible().len().saturating_sub(1);
        screen
    }

    pub fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        match action {
            Action::Back => return Outcome::Close,
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-10),
            Action::PageDown => self.move_by(10),
            Action::First => self.move_by(-FAR),
            Action::Last => self.move_by(FAR),
            Action::Scope => self.toggle_scope(),
            Action::Open => {
                if let Some(popup) = self.selected_entry().map(|e| entry_popup(e, ctx.session)) {
                    ctx.shared.push(popup);
                }
            }
            _ => {}
        }
        Outcome::Stay
    }

    pub fn visible(&self) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| self.run.as_ref().is_none_or(|r| &e.run == r))
            .collect()
    }

    pub fn move_by(&mut self, delta: isize) {
        let count = self.visible().len();
        if count > 0 {
            self.selected = (self.selected as isize + delta).clamp(0, count as isize - 1) as usize;
        }
    }

    /// Switches between this run's entries and all entries, keeping the cursor on the same one.
    pub fn toggle_scope(&mut self) {
        let seq = self.visible().get(self.selected).map(|e| e.seq);
        self.run = match self.run {
            Some(_) => None,
            None => self.open_run.clone(),
        };
        let visible = self.visible();
        self.selected = seq
            .and_then(|s| visible.iter().position(|e| e.seq == s))
            .unwrap_or(visible.len().saturating_sub(1));
    }

    pub fn selected_entry(&self) -> Option<&Entry> {
        self.visible().get(self.selected).copied()
    }
}

/// One entry in full: who signed it, then its JSON.
fn entry_popup(entry: &Entry, session: &Session) -> Popup {
    let signer = match session.operators.by_address(&entry.signer) {
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
    Popup::Text {
        title: format!("Entry {} · {}", entry.seq, entry.event.type_name()),
        lines,
        scroll: 0,
    }
}
