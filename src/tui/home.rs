//! The start screen: unfinished runs on top, then runbooks by kind, emergencies first; what
//! its keys do.

use super::action::Action;
use super::outcome::Outcome;
use super::popups::{Popup, Purpose, StartForm};
use super::shared::Ctx;
use super::status::Status;
use crate::runbook::{Runbook, RunbookKind};
use crate::session::RunSummary;
use std::sync::Arc;

/// A move far enough to reach the first or the last row of any list.
pub const FAR: isize = 1 << 30;

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
pub struct HomeScreen {
    pub filter: String,
    pub rows: Vec<Row>,
    pub selected: usize,
    /// The next run started from here is a drill (the `d` key).
    pub drill: bool,
}

impl HomeScreen {
    pub fn handle(
        &mut self,
        action: Action,
        ctx: &mut Ctx,
        runs: &[RunSummary],
        network: &str,
    ) -> Outcome {
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-10),
            Action::PageDown => self.move_by(10),
            Action::First => self.move_by(-FAR),
            Action::Last => self.move_by(FAR),
            Action::Filter => ctx.shared.push(Popup::prompt(
                "Filter runbooks",
                "Type to filter · Enter keep · Esc close",
                Purpose::Filter,
                &self.filter,
            )),
            Action::Back => self.set_filter(String::new(), runs, &ctx.session.runbooks),
            Action::Open => return self.open_selected(ctx, network),
            Action::Drill => ctx.shared.say(self.toggle_drill()),
            Action::Preview => return self.preview_selected(ctx, network),
            Action::Metrics => return Outcome::OpenMetrics,
            Action::Ledger => return Outcome::OpenLedger,
            _ => {}
        }
        Outcome::Stay
    }

    pub fn set_filter(&mut self, filter: String, runs: &[RunSummary], runbooks: &[Arc<Runbook>]) {
        self.filter = filter;
        self.rebuild(runs, runbooks);
    }

    /// A run resumes; a runbook opens the form that starts it.
    fn open_selected(&mut self, ctx: &mut Ctx, network: &str) -> Outcome {
        match self.selected_row().cloned() {
            Some(Row::Run(summary)) => match ctx.session.open_run(&summary.id) {
                Ok(run) => return Outcome::ShowRun(Box::new(run)),
                Err(error) => ctx
                    .shared
                    .error("This run cannot be resumed", error.to_string()),
            },
            Some(Row::Runbook(book)) => {
                let form = StartForm::new(book, network, self.drill);
                ctx.shared.push(Popup::Start(Box::new(form)));
            }
            _ => {}
        }
        Outcome::Stay
    }

    /// The selected runbook's preview: its steps, none recorded.
    fn preview_selected(&self, ctx: &mut Ctx, network: &str) -> Outcome {
        match self.selected_row() {
            Some(Row::Runbook(book)) => Outcome::Preview(Box::new(super::run::preview_run(
                Arc::clone(book),
                network,
                &ctx.session.operator,
            ))),
            _ => {
                ctx.shared
                    .say(Status::info("p previews a runbook: choose one below"));
                Outcome::Stay
            }
        }
    }

    /// Drill mode on or off for the next start: a drill acts on the network's sandbox only,
    /// exactly as `owner-console drill`.
    fn toggle_drill(&mut self) -> Status {
        self.drill = !self.drill;
        Status::info(if self.drill {
            "DRILL mode on: the next start runs against the network's sandbox"
        } else {
            "drill mode off: the next start is a real run"
        })
    }

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
