//! The start screen's state: unfinished runs on top, then runbooks by kind, emergencies first.

use crate::runbook::{Runbook, RunbookKind};
use crate::session::RunSummary;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum Row {
    Heading(String),
    Run(Box<RunSummary>),
    Runbook(Arc<Runbook>),
}

impl Row {
    pub fn selectable(&self) -> bool {
        !matches!(self, Row::Heading(_))
    }
}

#[derive(Debug, Default)]
pub struct Home {
    pub filter: String,
    pub rows: Vec<Row>,
    pub selected: usize,
}

impl Home {
    pub fn rebuild(&mut self, runs: &[RunSummary], runbooks: &[Arc<Runbook>]) {
        let needle = self.filter.to_lowercase();
        let matches = |text: &str| needle.is_empty() || text.to_lowercase().contains(&needle);
        let mut rows = Vec::new();
        let unfinished: Vec<_> = runs
            .iter()
            .filter(|r| r.status == "unfinished" && (matches(&r.runbook) || matches(&r.title)))
            .collect();
        if !unfinished.is_empty() {
            rows.push(Row::Heading(format!(
                "Unfinished runs ({})",
                unfinished.len()
            )));
            rows.extend(
                unfinished
                    .into_iter()
                    .cloned()
                    .map(|run| Row::Run(Box::new(run))),
            );
        }
        for kind in RunbookKind::ALL {
            let mut books: Vec<_> = runbooks
                .iter()
                .filter(|b| b.kind == kind && (matches(&b.id) || matches(&b.title)))
                .cloned()
                .collect();
            if books.is_empty() {
                continue;
            }
            books.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.title.cmp(&b.title)));
            let heading = match kind {
                RunbookKind::Emergency => "‼ EMERGENCY".to_owned(),
                other => capitalize(other.name()),
            };
            rows.push(Row::Heading(heading));
            rows.extend(books.into_iter().map(Row::Runbook));
        }
        self.rows = rows;
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        if !self.rows.get(self.selected).is_some_and(Row::selectable) {
            self.move_by(0);
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        let selectable: Vec<usize> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.selectable())
            .map(|(i, _)| i)
            .collect();
        if selectable.is_empty() {
            return;
        }
        let current = selectable
            .iter()
            .position(|&i| i >= self.selected)
            .unwrap_or(0);
        let target = (current as isize + delta).clamp(0, selectable.len() as isize - 1) as usize;
        self.selected = selectable[target];
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected).filter(|r| r.selectable())
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}
