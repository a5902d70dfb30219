//! The app state and its one update path: key → action → session call (journal first) →
//! new state. Drawing reads this state and changes nothing.

use super::action::Action;
use super::form::StartForm;
use super::home::{Home, Row};
use super::keymap::{Context, Keymap};
use super::ledger_screen::LedgerScreen;
use super::live::{Freshness, LiveMonitor};
use super::metrics_screen::MetricsScreen;
use super::popup::{Outcome, Pending, Popup, Purpose};
use super::run_screen::RunScreen;
use super::task::Task;
use super::theme::Theme;
use crate::engine::{Event, Run};
use crate::ledger::store::Damage;
use crate::session::run_index::{ClosedRuns, IndexFile};
use crate::session::{RunSummary, Session};
use crate::workspace::snapshot::StateSnapshot;
use crossterm::event::KeyEvent;
use std::time::Instant;

/// A move far enough to reach the first or the last row of any list.
const FAR: isize = 1 << 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Home,
    Run,
    Flowchart,
    Ledger,
    Metrics,
}

/// What the last verification of the whole ledger found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Pending,
    Passed,
    Failed(String),
}

pub struct App {
    pub session: Session,
    pub keymap: Keymap,
    pub theme: Theme,
    pub view: View,
    pub home: Home,
    pub runs: Vec<RunSummary>,
    pub damage: Vec<Damage>,
    pub entries: usize,
    /// The closed runs, not in `runs` until read after the first frame.
    pub(super) closed_runs: Option<ClosedRuns>,
    /// The ledger's length when the run list was read.
    pub(super) listed_bytes: u64,
    pub run: Option<RunScreen>,
    pub ledger: Option<LedgerScreen>,
    /// Where the ledger view returns to.
    pub ledger_return: View,
    pub metrics: Option<MetricsScreen>,
    pub verification: Verification,
    pub popups: Vec<Popup>,
    pub status: Option<(String, bool)>,
    pub busy: Option<String>,
    pub quit: bool,
    /// The next run started from the start screen is a drill (the `d` key).
    pub drill: bool,
    pub network: String,
    /// The network's offline state snapshot, read when the network is chosen, not per frame.
    pub snapshot: Option<Result<StateSnapshot, String>>,
    /// The network's live state, when it is read live.
    pub live: Option<LiveMonitor>,
    /// The live state's freshness as of the last tick, to tell whether a tick changed the
    /// screen.
    ticked: Option<Freshness>,
    /// Where note drafts are kept, and when the open editor's text is next due there.
    pub drafts: crate::session::drafts::Drafts,
    pub(super) draft_due: Option<Instant>,
}

/// What a tick of the event loop brought: a live refresh to start, and whether the screen
/// shows something else now.
pub struct Tick {
    pub task: Option<Task>,
    pub redraw: bool,
}

impl App {
    pub fn new(session: Session, keymap: Keymap, theme: Theme) -> Self {
        let index_file = IndexFile::read(&session.ledger());
        let mut app = Self::with_index_file(session, keymap, theme, index_file);
        app.complete_run_list();
        app
    }

    /// The app, its run list from `index_file` (the run index, read as the session opened);
    /// the closed runs are left for [`Self::complete_run_list`].
    pub fn with_index_file(
        session: Session,
        keymap: Keymap,
        theme: Theme,
        index_file: IndexFile,
    ) -> Self {
        let network = if session.networks.get("demo").is_some() {
            "demo".to_owned()
        } else {
            session
                .networks
                .names()
                .first()
                .map(|s| s.to_string())
                .unwrap_or_default()
        };
        let drafts = crate::session::drafts::Drafts::in_storage(&session.workspace.storage);
        let mut app = Self {
            session,
            keymap,
            theme,
            view: View::Home,
            home: Home::default(),
            runs: Vec::new(),
            damage: Vec::new(),
            entries: 0,
            closed_runs: None,
            listed_bytes: 0,
            run: None,
            ledger: None,
            ledger_return: View::Home,
            metrics: None,
            verification: Verification::Pending,
            popups: Vec::new(),
            status: None,
            busy: None,
            quit: false,
            drill: false,
            network: String::new(),
            snapshot: None,
            live: None,
            ticked: None,
            drafts,
            draft_due: None,
        };
        app.set_network(network);
        app.start_runs_from(index_file);
        if app.session.has_errors() {
            let count = app
                .session
                .problems
                .iter()
                .filter(|p| p.level == crate::runbook::Level::Error)
                .count();
            app.status = Some((
                format!("{count} runbook error(s): run `owner-console validate` to see them"),
                true,
            ));
        }
        app
    }

    pub fn context(&self) -> Context {
        match self.view {
            View::Home => Context::Home,
            View::Run => Context::Run,
            View::Flowchart => Context::Flowchart,
            View::Ledger => Context::Ledger,
            View::Metrics => Context::Metrics,
        }
    }

    pub fn current_step_kind(&self) -> Option<&'static str> {
        self.run
            .as_ref()?
            .run
            .current_step()
            .map(|s| s.action.kind_name())
    }

    /// The step kinds of the open run's runbook, each once (none outside a run).
    pub fn run_step_kinds(&self) -> Vec<&'static str> {
        let Some(screen) = &self.run else {
            return Vec::new();
        };
        let steps = screen.run.runbook.steps.iter();
        let mut kinds: Vec<_> = steps.map(|step| step.action.kind_name()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds
    }

    /// Handles one key; returns a task to run in the background, if the key started one.
    pub fn handle_key(&mut self, key: KeyEvent) -> Option<Task> {
        // The quit key quits from inside a form or a prompt too; pressed again over the
        // "a command is still running" question, it is the answer.
        let quit_key = self.keymap.action(Context::Global, None, &key) == Some(Action::Quit);
        if quit_key && !self.popups.is_empty() {
            let asking = matches!(
                self.popups.last(),
                Some(Popup::Confirm {
                    then: Pending::QuitWhileBusy,
                    ..
                })
            );
            if asking {
                self.quit = true;
            } else {
                self.request_quit();
            }
            return None;
        }
        if let Some(popup) = self.popups.last_mut() {
            let outcome = popup.handle(key);
            let editing_note = matches!(
                popup,
                Popup::Prompt {
                    purpose: Purpose::Note,
                    ..
                }
            );
            match outcome {
                Outcome::Stay if editing_note => self.note_edited(Instant::now()),
                Outcome::Close if editing_note => self.keep_draft_or_say(),
                _ => {}
            }
            if let Some(Popup::Prompt {
                purpose: Purpose::Filter,
                input,
                ..
            }) = self.popups.last()
            {
                self.home.filter = input.lines().join("");
                self.home.rebuild(&self.runs, &self.session.runbooks);
            }
            return self.on_popup(outcome);
        }
        let action = self
            .keymap
            .action(self.context(), self.current_step_kind(), &key)?;
        self.status = None;
        self.on_action(action)
    }

    fn on_action(&mut self, action: Action) -> Option<Task> {
        match (self.view, action) {
            (_, Action::Help) => self.popups.push(Popup::Help { scroll: 0 }),
            (View::Home | View::Run, Action::State) => self.popups.push(Popup::State { scroll: 0 }),
            (_, Action::Quit) => self.request_quit(),
            (View::Home, Action::Up) => self.home.move_by(-1),
            (View::Home, Action::Down) => self.home.move_by(1),
            (View::Home, Action::PageUp) => self.home.move_by(-10),
            (View::Home, Action::PageDown) => self.home.move_by(10),
            (View::Home, Action::First) => self.home.move_by(-FAR),
            (View::Home, Action::Last) => self.home.move_by(FAR),
            (View::Home, Action::Filter) => {
                let filter = self.home.filter.clone();
                self.popups.push(Popup::prompt(
                    "Filter runbooks",
                    "Type to filter · Enter keep · Esc close",
                    Purpose::Filter,
                    &filter,
                ));
            }
            (View::Home, Action::Back) => {
                self.home.filter.clear();
                self.home.rebuild(&self.runs, &self.session.runbooks);
            }
            (View::Home, Action::Open) => self.open_selected(),
            (View::Home, Action::Drill) => self.toggle_drill(),
            (View::Home, Action::Metrics) => self.open_metrics(),
            (View::Metrics, Action::Back) => {
                self.view = View::Home;
                self.metrics = None;
            }
            (View::Home | View::Run, Action::Ledger) => self.open_ledger(),
            (View::Ledger, Action::Back) => {
                self.view = self.ledger_return;
                self.ledger = None;
            }
            (View::Ledger, Action::Up) => self.ledger_mut(|l| l.move_by(-1)),
            (View::Ledger, Action::Down) => self.ledger_mut(|l| l.move_by(1)),
            (View::Ledger, Action::PageUp) => self.ledger_mut(|l| l.move_by(-10)),
            (View::Ledger, Action::PageDown) => self.ledger_mut(|l| l.move_by(10)),
            (View::Ledger, Action::First) => self.ledger_mut(|l| l.move_by(-FAR)),
            (View::Ledger, Action::Last) => self.ledger_mut(|l| l.move_by(FAR)),
            (View::Ledger, Action::Scope) => {
                let run = self.run.as_ref().map(|s| s.run.id.clone());
                self.ledger_mut(|l| l.toggle_scope(run.as_deref()));
            }
            (View::Ledger, Action::Open) => self.show_entry(),
            (View::Run, Action::Back) => self.leave_run(),
            (View::Run, Action::Flowchart) => self.view = View::Flowchart,
            (View::Flowchart, Action::Back) => self.view = View::Run,
            (View::Flowchart, Action::Up) => self.scroll_flow(-1),
            (View::Flowchart, Action::Down) => self.scroll_flow(1),
            (View::Flowchart, Action::PageUp) => self.scroll_flow(-10),
            (View::Flowchart, Action::PageDown) => self.scroll_flow(10),
            (View::Flowchart, Action::First) => self.run_mut(|r| r.flow_scroll = 0),
            (View::Run, Action::Up) => self.run_mut(|r| r.move_cursor(-1)),
            (View::Run, Action::Down) => self.run_mut(|r| r.move_cursor(1)),
            (View::Run, Action::PageUp) => self.run_mut(|r| r.move_cursor(-10)),
            (View::Run, Action::PageDown) => self.run_mut(|r| r.move_cursor(10)),
            (View::Run, Action::First) => self.run_mut(|r| r.move_cursor(-FAR)),
            (View::Run, Action::Last) => self.run_mut(|r| r.move_cursor(FAR)),
            (View::Run, action) => return self.run_action(action),
            _ => {}
        }
        None
    }

    fn run_mut(&mut self, change: impl FnOnce(&mut RunScreen)) {
        if let Some(screen) = self.run.as_mut() {
            change(screen);
        }
    }

    fn scroll_flow(&mut self, delta: i32) {
        self.run_mut(|r| r.flow_scroll = (r.flow_scroll as i32 + delta).max(0) as u16);
    }

    pub(super) fn request_quit(&mut self) {
        if let Some(busy) = &self.busy {
            let detail = vec![
                busy.clone(),
                "Its result is recorded only if the console is still open when it ends.".into(),
            ];
            self.popups.push(Popup::confirm(
                "A command is still running",
                detail,
                "quit",
                Pending::QuitWhileBusy,
            ));
        } else {
            self.quit = true;
        }
    }

    fn leave_run(&mut self) {
        self.view = View::Home;
        self.run = None;
        self.refresh_runs();
    }

    fn open_selected(&mut self) {
        match self.home.selected_row().cloned() {
            Some(Row::Run(summary)) => match self.session.open_run(&summary.id) {
                Ok(run) => self.show_run(run),
                Err(error) => self.popups.push(Popup::error(
                    "This run cannot be resumed",
                    error.to_string(),
                )),
            },
            Some(Row::Runbook(book)) => {
                let mut form = StartForm::new(book, &self.network);
                form.drill = self.drill;
                self.popups.push(Popup::Start(Box::new(form)));
            }
            _ => {}
        }
    }

    /// Drill mode on or off for the next start: a drill acts on the network's sandbox only,
    /// exactly as `owner-console drill`.
    fn toggle_drill(&mut self) {
        self.drill = !self.drill;
        let said = if self.drill {
            "DRILL mode on: the next start runs against the network's sandbox (`owner-console sandbox up`)"
        } else {
            "drill mode off: the next start is a real run"
        };
        self.status = Some((said.to_owned(), false));
    }

    fn set_network(&mut self, network: String) {
        let mode = self.session.mode_for(&network);
        self.set_network_for(network, mode);
    }

    /// Chooses the network, and where its state is read: its node when `mode` is live, its
    /// sandbox for a drill, nothing (the snapshot) offline.
    fn set_network_for(&mut self, network: String, mode: crate::engine::Mode) {
        self.snapshot = self
            .session
            .snapshot(&network)
            .map(|r| r.map_err(|e| e.to_string()));
        let drill = mode == crate::engine::Mode::Drill;
        let same = self
            .live
            .as_ref()
            .is_some_and(|l| l.network() == network && l.drill == drill);
        if !same {
            self.live = None;
            if mode != crate::engine::Mode::Offline {
                let monitor = crate::chain::Target::for_mode(&self.session, &network, mode)
                    .and_then(|t| {
                        LiveMonitor::new(t, Instant::now())
                            .map(|m| m.for_drill(drill))
                            .map_err(crate::chain::TargetError::from)
                    });
                match monitor {
                    Ok(monitor) => self.live = Some(monitor),
                    Err(error) => self.status = Some((format!("live reads off: {error}"), true)),
                }
            }
        }
        self.network = network;
    }

    /// Called on each tick of the event loop: a live refresh to start, if one is due; a redraw
    /// only when the live state's freshness (its age in seconds, or staleness) changed.
    pub fn tick(&mut self, now: Instant) -> Tick {
        let Some(live) = self.live.as_mut() else {
            return Tick {
                task: None,
                redraw: false,
            };
        };
        let task = live.due(now);
        let freshness = Some(live.freshness(now));
        let redraw = task.is_some() || freshness != self.ticked;
        self.ticked = freshness;
        Tick { task, redraw }
    }

    fn show_run(&mut self, run: Run) {
        self.refresh_runs();
        self.set_network_for(run.started.network.clone(), run.started.mode);
        self.run = Some(RunScreen::new(run));
        self.view = View::Run;
        self.restore_draft();
    }

    /// Appends, then moves the run: the screen never shows a step as done before it is on disk.
    pub(super) fn record(&mut self, events: Vec<Event>) {
        self.recorded(events);
    }

    /// As [`App::record`]; returns whether the events were recorded.
    pub(super) fn recorded(&mut self, events: Vec<Event>) -> bool {
        let Some(screen) = self.run.as_mut() else {
            return false;
        };
        let before = screen.run.current_step().map(|s| s.id.clone());
        let count = events.len();
        match self.session.record(&mut screen.run, events) {
            Ok(()) => {
                self.entries += count;
                if screen.run.current_step().map(|s| s.id.clone()) != before {
                    screen.cursor = 0;
                }
                if screen.run.is_finished() {
                    self.status = Some((
                        format!("run {} is over; it stays in the journal", screen.run.id),
                        false,
                    ));
                }
                true
            }
            Err(error) => {
                self.popups
                    .push(Popup::error("Not recorded", error.to_string()));
                false
            }
        }
    }

    fn on_popup(&mut self, outcome: Outcome) -> Option<Task> {
        match outcome {
            Outcome::Stay => None,
            Outcome::Close => {
                self.popups.pop();
                None
            }
            Outcome::Submit(purpose, text) => {
                self.popups.pop();
                self.on_submit(purpose, text)
            }
            Outcome::Confirmed(pending, typed) => {
                self.popups.pop();
                self.on_confirmed(pending, typed)
            }
            Outcome::StartRun => {
                self.start_run();
                None
            }
        }
    }

    fn start_run(&mut self) {
        let Some(Popup::Start(form)) = self.popups.last_mut() else {
            return;
        };
        let (book, network, values) = (
            form.runbook.clone(),
            form.network().to_owned(),
            form.values(),
        );
        let started = if form.drill {
            self.session.start_drill(&book, &network, values)
        } else {
            self.session.start(&book, &network, values)
        };
        match started {
            Ok(run) => {
                self.popups.pop();
                self.show_run(run);
            }
            Err(error) => form.error = Some(error.to_string()),
        }
    }
}
