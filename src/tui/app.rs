//! The app state and its one update path: key → action → session call (journal first) →
//! new state. Drawing reads this state and changes nothing.

use super::action::Action;
use super::form::StartForm;
use super::home::{Home, Row};
use super::keymap::{Context, Keymap};
use super::popup::{Outcome, Pending, Popup, Purpose};
use super::run_screen::RunScreen;
use super::task::{Task, TaskDone};
use super::theme::Theme;
use crate::engine::journal::Damage;
use crate::engine::{Event, Run};
use crate::runbook::{CommandRun, StepAction};
use crate::session::{RunSummary, Session};
use crate::step_actions::{attach, prepare_command, prepare_http};
use crossterm::event::KeyEvent;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Home,
    Run,
    Flowchart,
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
    pub run: Option<RunScreen>,
    pub popups: Vec<Popup>,
    pub status: Option<(String, bool)>,
    pub busy: Option<String>,
    pub quit: bool,
    pub network: String,
}

impl App {
    pub fn new(session: Session, keymap: Keymap, theme: Theme) -> Self {
        let network = if session.networks.get("demo").is_some() { "demo".to_owned() } else { session.networks.names().first().map(|s| s.to_string()).unwrap_or_default() };
        let mut app = Self {
            session,
            keymap,
            theme,
            view: View::Home,
            home: Home::default(),
            runs: Vec::new(),
            damage: Vec::new(),
            entries: 0,
            run: None,
            popups: Vec::new(),
            status: None,
            busy: None,
            quit: false,
            network,
        };
        app.refresh_runs();
        if app.session.has_errors() {
            let count = app.session.problems.iter().filter(|p| p.level == crate::runbook::Level::Error).count();
            app.status = Some((format!("{count} runbook error(s): run `owner-console validate` to see them"), true));
        }
        app
    }

    pub fn refresh_runs(&mut self) {
        match self.session.runs() {
            Ok((runs, damage)) => {
                self.entries = runs.iter().map(|r| r.entries).sum();
                self.runs = runs;
                self.damage = damage;
            }
            Err(error) => self.status = Some((format!("cannot read the journal: {error}"), true)),
        }
        self.home.rebuild(&self.runs, &self.session.runbooks);
    }

    pub fn context(&self) -> Context {
        match self.view {
            View::Home => Context::Home,
            View::Run => Context::Run,
            View::Flowchart => Context::Flowchart,
        }
    }

    pub fn current_step_kind(&self) -> Option<&'static str> {
        self.run.as_ref()?.run.current_step().map(|s| s.action.kind_name())
    }

    /// Handles one key; returns a task to run in the background, if the key started one.
    pub fn handle_key(&mut self, key: KeyEvent) -> Option<Task> {
        if let Some(popup) = self.popups.last_mut() {
            let outcome = popup.handle(key);
            if let Some(Popup::Prompt { purpose: Purpose::Filter, input, .. }) = self.popups.last() {
                self.home.filter = input.lines().join("");
                self.home.rebuild(&self.runs, &self.session.runbooks);
            }
            return self.on_popup(outcome);
        }
        let action = self.keymap.action(self.context(), &key)?;
        self.status = None;
        self.on_action(action)
    }

    fn on_action(&mut self, action: Action) -> Option<Task> {
        match (self.view, action) {
            (_, Action::Help) => self.popups.push(Popup::Help { scroll: 0 }),
            (_, Action::Quit) => self.request_quit(),
            (View::Home, Action::Up) => self.home.move_by(-1),
            (View::Home, Action::Down) => self.home.move_by(1),
            (View::Home, Action::PageUp) => self.home.move_by(-10),
            (View::Home, Action::PageDown) => self.home.move_by(10),
            (View::Home, Action::Filter) => {
                let filter = self.home.filter.clone();
                self.popups.push(Popup::prompt("Filter runbooks", "Type to filter · Enter keep · Esc close", Purpose::Filter, &filter));
            }
            (View::Home, Action::Back) => {
                self.home.filter.clear();
                self.home.rebuild(&self.runs, &self.session.runbooks);
            }
            (View::Home, Action::Open) => self.open_selected(),
            (View::Run, Action::Back) => self.leave_run(),
            (View::Run, Action::Flowchart) => self.view = View::Flowchart,
            (View::Flowchart, Action::Back) => self.view = View::Run,
            (View::Flowchart, Action::Up) => self.scroll_flow(-1),
            (View::Flowchart, Action::Down) => self.scroll_flow(1),
            (View::Run, Action::Up) => self.run_mut(|r| r.move_cursor(-1)),
            (View::Run, Action::Down) => self.run_mut(|r| r.move_cursor(1)),
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

    fn request_quit(&mut self) {
        if let Some(busy) = &self.busy {
            let detail = vec![busy.clone(), "Its result is recorded only if the console is still open when it ends.".into()];
            self.popups.push(Popup::confirm("A command is still running", detail, "quit", Pending::QuitWhileBusy));
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
                Err(error) => self.popups.push(Popup::error("This run cannot be resumed", error.to_string())),
            },
            Some(Row::Runbook(book)) => {
                let form = StartForm::new(book, &self.network);
                self.popups.push(Popup::Start(Box::new(form)));
            }
            _ => {}
        }
    }

    fn show_run(&mut self, run: Run) {
        self.refresh_runs();
        self.network = run.started.network.clone();
        self.run = Some(RunScreen::new(run));
        self.view = View::Run;
    }

    /// Appends, then moves the run: the screen never shows a step as done before it is on disk.
    fn record(&mut self, events: Vec<Event>) {
        let Some(screen) = self.run.as_mut() else { return };
        let before = screen.run.current_step().map(|s| s.id.clone());
        let count = events.len();
        match self.session.record(&mut screen.run, events) {
            Ok(()) => {
                self.entries += count;
                if screen.run.current_step().map(|s| s.id.clone()) != before {
                    screen.cursor = 0;
                }
                if screen.run.is_finished() {
                    self.status = Some((format!("run {} is over; it stays in the journal", screen.run.id), false));
                }
            }
            Err(error) => self.popups.push(Popup::error("Not recorded", error.to_string())),
        }
    }

    fn run_action(&mut self, action: Action) -> Option<Task> {
        let screen = self.run.as_ref()?;
        let run = &screen.run;
        let step = run.current_step()?.clone();
        match action {
            Action::Toggle => match run.toggle_item(screen.cursor) {
                Ok(event) => self.record(vec![event]),
                Err(error) => self.status = Some((error.to_string(), true)),
            },
            Action::Complete => {
                if let StepAction::Decision { options, .. } = &step.action {
                    let label = options.get(screen.cursor)?.label.clone();
                    match &step.confirm {
                        Some(word) => self.popups.push(Popup::confirm(&step.title, vec![format!("Choose `{label}`: this cannot be undone.")], word, Pending::Choose(label))),
                        None => self.engine(|run| run.choose(&label, None)),
                    }
                } else if let Some(blocker) = run.completion_blocker() {
                    self.status = Some((format!("⚠ not yet: {blocker}"), true));
                } else if let Some(word) = &step.confirm {
                    self.popups.push(Popup::confirm(&step.title, vec!["This step is irreversible.".into()], word, Pending::Complete));
                } else {
                    self.engine(|run| run.complete(None));
                }
            }
            Action::Skip => {
                if step.skippable {
                    self.popups.push(Popup::prompt(&format!("Skip “{}”", step.title), "Why is this step skipped? Enter to record · Esc to cancel", Purpose::SkipReason, ""));
                } else {
                    self.status = Some((format!("step `{}` may not be skipped", step.id), true));
                }
            }
            Action::Note if matches!(step.action, StepAction::Note { .. }) => {
                let text = run.visit.note.clone().unwrap_or_default();
                self.popups.push(Popup::prompt(&step.title, "Ctrl+S to save · Esc to cancel", Purpose::Note, &text));
            }
            Action::Attach if matches!(step.action, StepAction::Evidence { .. }) => {
                self.popups.push(Popup::prompt("Attach a file", "Path of the file to attach · Enter to attach · Esc to cancel", Purpose::AttachPath, ""));
            }
            Action::Execute => return self.execute(&step.action),
            Action::Abort => {
                self.popups.push(Popup::prompt("Abort this run", "Why is the run aborted? Enter to continue · Esc to cancel", Purpose::AbortReason, ""));
            }
            _ => {}
        }
        None
    }

    fn execute(&mut self, action: &StepAction) -> Option<Task> {
        if self.busy.is_some() {
            self.status = Some(("wait: something is still running".into(), true));
            return None;
        }
        let screen = self.run.as_ref()?;
        let evidence = self.session.evidence().path_of("");
        match action {
            StepAction::Command { run: CommandRun::Confirm, .. } => match prepare_command(&screen.run, &self.session.workspace.command_folder(), &evidence) {
                Ok(prepared) => {
                    let detail = vec!["This runs on this machine:".into(), format!("$ {}", prepared.command())];
                    let word = screen.run.current_step().and_then(|s| s.confirm.clone()).unwrap_or_else(|| "run".into());
                    self.popups.push(Popup::confirm("Run the command?", detail, &word, Pending::Execute));
                }
                Err(error) => self.status = Some((error, true)),
            },
            StepAction::Command { .. } => self.status = Some(("this command is shown only: run it yourself, then press Enter".into(), true)),
            StepAction::HttpCheck { .. } => match prepare_http(&screen.run, &evidence) {
                Ok(prepared) => return self.spawn(Task::Http { run: screen.run.id.clone(), prepared }),
                Err(error) => self.status = Some((error, true)),
            },
            _ => {}
        }
        None
    }

    fn spawn(&mut self, task: Task) -> Option<Task> {
        self.busy = Some(task.describe());
        Some(task)
    }

    fn engine(&mut self, transition: impl FnOnce(&Run) -> Result<Vec<Event>, crate::engine::EngineError>) {
        let Some(screen) = self.run.as_ref() else { return };
        match transition(&screen.run) {
            Ok(events) => self.record(events),
            Err(error) => self.status = Some((format!("⚠ {error}"), true)),
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

    fn on_submit(&mut self, purpose: Purpose, text: String) -> Option<Task> {
        match purpose {
            Purpose::Filter => {}
            Purpose::SkipReason => self.engine(|run| run.skip(&text)),
            Purpose::Note => match self.run.as_ref().map(|s| s.run.note(&text)) {
                Some(Ok(event)) => self.record(vec![event]),
                Some(Err(error)) => self.status = Some((error.to_string(), true)),
                None => {}
            },
            Purpose::AttachPath => {
                let store = self.session.evidence();
                let event = self.run.as_ref().map(|s| attach(&s.run, &store, Path::new(text.trim())));
                match event {
                    Some(Ok(event)) => self.record(vec![event]),
                    Some(Err(error)) => self.popups.push(Popup::error("Not attached", error)),
                    None => {}
                }
            }
            Purpose::AbortReason if !text.trim().is_empty() => {
                let detail = vec![format!("Reason: {text}"), "The run ends here; it stays in the journal.".into()];
                self.popups.push(Popup::confirm("Abort the run?", detail, "abort", Pending::Abort(text)));
            }
            Purpose::AbortReason => self.status = Some(("an abort needs a reason".into(), true)),
        }
        None
    }

    fn on_confirmed(&mut self, pending: Pending, typed: String) -> Option<Task> {
        match pending {
            Pending::Complete => self.engine(|run| run.complete(Some(&typed))),
            Pending::Choose(label) => self.engine(|run| run.choose(&label, Some(&typed))),
            Pending::Abort(reason) => self.engine(|run| run.abort(&reason).map(|e| vec![e])),
            Pending::QuitWhileBusy => self.quit = true,
            Pending::Execute => {
                let screen = self.run.as_ref()?;
                let evidence = self.session.evidence().path_of("");
                match prepare_command(&screen.run, &self.session.workspace.command_folder(), &evidence) {
                    Ok(prepared) => return self.spawn(Task::Command { run: screen.run.id.clone(), prepared }),
                    Err(error) => self.status = Some((error, true)),
                }
            }
        }
        None
    }

    fn start_run(&mut self) {
        let Some(Popup::Start(form)) = self.popups.last_mut() else { return };
        let (book, network, values) = (form.runbook.clone(), form.network().to_owned(), form.values());
        match self.session.start(&book, &network, values) {
            Ok(run) => {
                self.popups.pop();
                self.show_run(run);
            }
            Err(error) => form.error = Some(error.to_string()),
        }
    }

    /// A background task ended: record its outcome against its run.
    pub fn on_task_done(&mut self, done: TaskDone) {
        self.busy = None;
        let is_current = self.run.as_ref().is_some_and(|s| s.run.id == done.run);
        match (done.result, is_current) {
            (Ok(event), true) => self.record(vec![event]),
            (Ok(event), false) => match self.session.open_run(&done.run) {
                Ok(mut run) => {
                    if let Err(error) = self.session.record(&mut run, vec![event]) {
                        self.popups.push(Popup::error("Not recorded", error.to_string()));
                    }
                }
                Err(error) => self.popups.push(Popup::error("Not recorded", error.to_string())),
            },
            (Err(error), _) => self.popups.push(Popup::error("The action failed", error)),
        }
    }
}
