//! The ledger view's state: the entries of one run or of all, and the one under the cursor.

use crate::ledger::Entry;

pub struct LedgerScreen {
    pub entries: Vec<Entry>,
    /// The run whose entries are shown; None shows every entry.
    pub run: Option<String>,
    pub selected: usize,
}

impl LedgerScreen {
    pub fn new(all: Vec<Entry>, run: Option<String>) -> Self {
        let mut screen = Self {
            entries: all,
            run,
            selected: 0,
        };
        screen.selected = screen.visible().len().saturating_sub(1);
        screen
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
    pub fn toggle_scope(&mut self, run: Option<&str>) {
        let seq = self.visible().get(self.selected).map(|e| e.seq);
        self.run = match self.run {
            Some(_) => None,
            None => run.map(str::to_owned),
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
