//! The app: a thin router. A key goes to the top popup first, else to the screen on top (the
//! ledger or metrics view, else the run view, else the start screen); what a screen asks of
//! the app (open another screen, start a background task) comes back as an [`Outcome`].
//! Drawing reads this state and changes nothing.

mod background;
mod popup_replies;

use super::action::Action;
use super::home::HomeScreen;
use super::keymap::{Context, Keymap};
use super::ledger_screen::LedgerScreen;
use super::metrics_screen::MetricsScreen;
use super::network::{NetworkState, Tick};
use super::outcome::Outcome;
use super::popups::{Pending, Popup};
use super::run::RunScreen;
use super::run_listing::RunList;
use super::shared::{Ctx, Shared};
use super::status::Status;
use super::task::Task;
use super::theme::Theme;
use crate::engine::Run;
use crate::ledger::verify::{Report, Verdict};
use crate::session::run_index::IndexFile;
use crate::session::{RunSummary, Session};
use crossterm::event::KeyEvent;
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Home,
    Run,
    Preview,
    Flowchart,
    Ledger,
    Metrics,
}

/// What the last verification of the whole ledger found, as `ledger verify` words it
/// ([`crate::ledger::verify::Report::verdict`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Pending,
    Passed {
        entries: usize,
    },
    /// All holds but `entries` entries are signed by keys not listed in operators.toml.
    Unlisted {
        entries: usize,
    },
    Failed(String),
}

impl Verification {
    pub fn of(report: &Report) -> Self {
        match report.verdict() {
            Verdict::Verified => Self::Passed {
                entries: report.entries,
            },
            Verdict::Unlisted { entries, .. } => Self::Unlisted { entries },
            Verdict::Failed(finding) => Self::Failed(finding.to_string()),
        }
    }
}

/// A view of the ledger over the start screen or the run view.
pub enum Journal {
    Ledger(LedgerScreen),
    Metrics(Box<MetricsScreen>),
}

pub struct App {
    /// The one door into the domain (the binary unlocks the operator key into it).
    pub session: Session,
    pub(super) shared: Shared,
    pub(super) home: HomeScreen,
    pub(super) run: Option<RunScreen>,
    pub(super) journal: Option<Journal>,
    pub(super) run_list: RunList,
    pub(super) network: NetworkState,
    pub(super) verification: Verification,
    /// How many entries the app knew of when the shown verification began.
    pub(super) verified_seen: usize,
    /// A verification of entries recorded since the shown one is under way (the shown one
    /// stays until it ends).
    pub(super) reverifying: bool,
    /// The terminal's columns and rows: how far a scrolled overlay can go before its end.
    pub(super) size: (u16, u16),
    quit: bool,
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
        let mut app = Self {
            session,
            shared: Shared::new(keymap, theme),
            home: HomeScreen::default(),
            run: None,
            journal: None,
            run_list: RunList::default(),
            network: NetworkState::default(),
            verification: Verification::Pending,
            verified_seen: 0,
            reverifying: false,
            size: (80, 24),
            quit: false,
        };
        let network = NetworkState::first_choice(&app.session);
        let mode = app.session.mode_for(&network);
        app.choose_network(network, mode);
        app.start_runs_from(index_file);
        if app.session.has_errors() {
            let count = app
                .session
                .problems
                .iter()
                .filter(|p| p.level == crate::runbook::Level::Error)
                .count();
            app.shared.say(Status::warning(format!(
                "{count} runbook error(s): run `owner-console validate` to see them"
            )));
        }
        app
    }

    /// The screen on top.
    pub fn view(&self) -> View {
        match (&self.journal, &self.run) {
            (Some(Journal::Ledger(_)), _) => View::Ledger,
            (Some(Journal::Metrics(_)), _) => View::Metrics,
            (None, Some(run)) if run.flowchart => View::Flowchart,
            (None, Some(run)) if run.preview => View::Preview,
            (None, Some(_)) => View::Run,
            (None, None) => View::Home,
        }
    }

    pub fn context(&self) -> Context {
        match self.view() {
            View::Home => Context::Home,
            View::Run => Context::Run,
            View::Preview => Context::Preview,
            View::Flowchart => Context::Flowchart,
            View::Ledger => Context::Ledger,
            View::Metrics => Context::Metrics,
        }
    }

    /// The kind of the open run's current step (none outside a run).
    pub fn current_step_kind(&self) -> Option<&'static str> {
        self.run.as_ref()?.step_kind()
    }

    /// The step kinds of the open run's runbook, each once (none outside a run).
    pub fn run_step_kinds(&self) -> Vec<&'static str> {
        self.run
            .as_ref()
            .map(RunScreen::step_kinds)
            .unwrap_or_default()
    }

    /// The text the operator asked to copy, once: the loop sends it to the terminal.
    pub fn take_clipboard(&mut self) -> Option<String> {
        self.shared.clipboard.take()
    }

    /// The terminal's size, as the loop learns it (at start and on each resize).
    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        self.stop_scroll_at_end();
    }

    /// A scrolled overlay goes no further than its end at the terminal's size, so that ↑ moves
    /// it at once however often ↓ was pressed there.
    pub(super) fn stop_scroll_at_end(&mut self) {
        let limit = super::views::scroll_limit(self);
        if let (Some(limit), Some(scroll)) = (
            limit,
            self.shared.popups.last_mut().and_then(Popup::scroll_mut),
        ) {
            *scroll = (*scroll).min(limit);
        }
    }

    /// Whether the console has been asked to quit.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn status(&self) -> Option<&Status> {
        self.shared.status.as_ref()
    }

    /// The run list of the start screen.
    pub fn runs(&self) -> &[RunSummary] {
        &self.run_list.runs
    }

    /// The ledger's entry count, as the status bar shows it.
    pub fn entries(&self) -> usize {
        self.run_list.entries
    }

    /// The metrics view, when it is open.
    pub fn metrics(&self) -> Option<&MetricsScreen> {
        match &self.journal {
            Some(Journal::Metrics(screen)) => Some(screen),
            _ => None,
        }
    }

    /// The chosen network.
    pub fn network(&self) -> &str {
        &self.network.name
    }

    /// Whether the chosen network is read live (its node, or a drill's sandbox).
    pub fn is_live(&self) -> bool {
        self.network.live.is_some()
    }

    /// Handles one key; returns a task to run in the background, if the key started one.
    pub fn handle_key(&mut self, key: KeyEvent) -> Option<Task> {
        // The quit key quits from inside a form or a prompt too; pressed again over the
        // "a command is still running" question, it is the answer.
        let quit_key = self.shared.keymap.action(Context::Global, None, &key) == Some(Action::Quit);
        if quit_key && !self.shared.popups.is_empty() {
            let asking = matches!(
                self.shared.popups.last(),
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
        let task = if self.shared.popups.is_empty() {
            let mut action =
                self.shared
                    .keymap
                    .action(self.context(), self.current_step_kind(), &key)?;
            if action == Action::Pick {
                // A number chooses that option: the cursor goes to it, and it is chosen.
                if !self.run.as_mut().is_some_and(|run| run.point_at(&key)) {
                    return None;
                }
                action = Action::Complete;
            }
            self.shared.status = None;
            self.on_action(action)
        } else {
            self.popup_key(key)
        };
        if let Some(task) = task.as_ref().filter(|t| t.is_step_action()) {
            self.shared.busy = Some(task.describe());
        }
        task
    }

    /// The actions of every screen, then the screen on top.
    fn on_action(&mut self, action: Action) -> Option<Task> {
        let view = self.view();
        match (view, action) {
            (_, Action::Help) => self.shared.push(Popup::Help { scroll: 0 }),
            (View::Home | View::Run | View::Preview, Action::State) => {
                self.shared.push(Popup::State { scroll: 0 })
            }
            (_, Action::Quit) => self.request_quit(),
            _ => {
                let outcome = self.screen_action(action);
                return self.follow(outcome);
            }
        }
        None
    }

    /// The screen on top handles `action`.
    fn screen_action(&mut self, action: Action) -> Outcome {
        let mut ctx = Ctx {
            session: &mut self.session,
            shared: &mut self.shared,
            entries: &mut self.run_list.entries,
            live: self.network.live.as_ref(),
        };
        match (&mut self.journal, &mut self.run) {
            (Some(Journal::Ledger(ledger)), _) => ledger.handle(action, &mut ctx),
            (Some(Journal::Metrics(metrics)), _) => metrics.handle(action),
            (None, Some(run)) => run.handle(action, &mut ctx),
            (None, None) => {
                let network = &self.network.name;
                self.home
                    .handle(action, &mut ctx, &self.run_list.runs, network)
            }
        }
    }

    /// Does what a screen asked for.
    fn follow(&mut self, outcome: Outcome) -> Option<Task> {
        match outcome {
            Outcome::Stay => {}
            Outcome::Spawn(task) => return Some(task),
            Outcome::ShowRun(run) => self.show_run(*run),
            Outcome::Preview(run) => {
                let drafts =
                    crate::session::drafts::Drafts::in_storage(&self.session.workspace.storage);
                self.run = Some(RunScreen::preview(*run, drafts));
            }
            Outcome::OpenLedger => self.open_ledger(),
            Outcome::OpenMetrics => self.open_metrics(),
            Outcome::Close if self.journal.is_some() => self.journal = None,
            Outcome::Close => self.leave_run(),
        }
        None
    }

    fn open_ledger(&mut self) {
        let run = self.run.as_ref().map(|s| s.run.id.clone());
        match LedgerScreen::open(&self.session, run) {
            Ok(screen) => self.journal = Some(Journal::Ledger(screen)),
            Err(error) => self
                .shared
                .error("Cannot read the ledger", error.to_string()),
        }
    }

    fn open_metrics(&mut self) {
        match MetricsScreen::load(&self.session, jiff::Timestamp::now()) {
            Ok(screen) => self.journal = Some(Journal::Metrics(Box::new(screen))),
            Err(error) => self
                .shared
                .error("Cannot read the ledger", error.to_string()),
        }
    }

    fn request_quit(&mut self) {
        if let Some(busy) = &self.shared.busy {
            let detail = vec![
                busy.clone(),
                "Its result is recorded only if the console is still open when it ends.".into(),
            ];
            self.shared.push(Popup::confirm(
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
        self.run = None;
        self.refresh_runs();
    }

    fn show_run(&mut self, run: Run) {
        self.refresh_runs();
        let mode = run.started.mode;
        self.choose_network(run.started.network.clone(), mode);
        let drafts = crate::session::drafts::Drafts::in_storage(&self.session.workspace.storage);
        let screen = RunScreen::new(run, drafts);
        screen.restore_draft(&mut self.shared);
        self.run = Some(screen);
    }

    /// Chooses the network whose state the console shows, and where it is read.
    fn choose_network(&mut self, network: String, mode: crate::engine::Mode) {
        if let Some(said) = self.network.choose(&self.session, network, mode) {
            self.shared.say(said);
        }
    }

    /// Called on each tick of the event loop: a live refresh to start, if one is due; a redraw
    /// only when the live state's freshness (its age in seconds, or staleness) changed.
    pub fn tick(&mut self, now: Instant) -> Tick {
        self.network.tick(now)
    }

    /// When the open note editor's text is next due on disk.
    pub fn draft_due(&self) -> Option<Instant> {
        self.run.as_ref()?.draft_due()
    }

    /// Keeps the open note editor's text as its step's draft (see [`RunScreen::keep_draft`]).
    pub fn keep_draft(&mut self) -> Result<(), crate::session::drafts::DraftError> {
        match self.run.as_mut() {
            Some(screen) => screen.keep_draft(&self.shared.popups),
            None => Ok(()),
        }
    }

    /// As [`App::keep_draft`], saying on the status bar when the draft could not be kept.
    pub fn keep_draft_or_say(&mut self) {
        if let Some(screen) = self.run.as_mut() {
            screen.keep_draft_or_say(&mut self.shared);
        }
    }
}
