//! Note drafts in the console: what is typed into a note editor is kept on disk (at most
//! [`DRAFT_DELAY`] after an edit, and at once when the editor closes, the console quits or a
//! signal ends it) until the note is recorded; reopening the run at that step brings it back,
//! marked as a draft.

use super::app::App;
use super::popup::{Popup, Purpose};
use crate::runbook::StepAction;
use std::time::{Duration, Instant};

/// The longest typed text may stay only in memory: what a `kill -9` can lose.
pub const DRAFT_DELAY: Duration = Duration::from_millis(300);

/// The editor's hint: what records, and that closing keeps the draft.
pub const NOTE_HINT: &str = "Ctrl+S record · Esc close (the draft is kept)";

/// How a restored draft is marked, in the editor's title and the status bar.
pub const DRAFT_MARK: &str = "DRAFT restored, not recorded";

impl App {
    /// The run, step and text of the open note editor.
    fn open_note(&self) -> Option<(String, String, String)> {
        let text = self.popups.iter().rev().find_map(|popup| match popup {
            Popup::Prompt {
                purpose: Purpose::Note,
                input,
                ..
            } => Some(input.lines().join("\n")),
            _ => None,
        })?;
        let screen = self.run.as_ref()?;
        let step = screen.run.current_step()?;
        Some((screen.run.id.clone(), step.id.clone(), text))
    }

    /// A key went to the note editor: its text is kept on disk within [`DRAFT_DELAY`].
    pub(super) fn note_edited(&mut self, now: Instant) {
        self.draft_due.get_or_insert(now + DRAFT_DELAY);
    }

    /// When the open note editor's text is next due on disk.
    pub fn draft_due(&self) -> Option<Instant> {
        self.draft_due
    }

    /// Keeps the open note editor's text as its step's draft; an empty editor, or one that
    /// holds the note already recorded, leaves no draft.
    pub fn keep_draft(&mut self) -> Result<(), String> {
        self.draft_due = None;
        let Some((run, step, text)) = self.open_note() else {
            return Ok(());
        };
        let recorded = self
            .run
            .as_ref()
            .and_then(|screen| screen.run.visit.note.clone())
            .unwrap_or_default();
        if text.trim().is_empty() || text == recorded {
            self.drafts.discard(&run, &step).map(|_| ())
        } else {
            self.drafts.save(&run, &step, &text).map(|_| ())
        }
    }

    /// As [`App::keep_draft`], saying on the status bar when the draft could not be kept.
    pub(super) fn keep_draft_or_say(&mut self) {
        if let Err(error) = self.keep_draft() {
            self.status = Some((format!("⚠ draft not kept: {error}"), true));
        }
    }

    /// The note was recorded: its draft goes.
    pub(super) fn drop_draft(&mut self, run: &str, step: &str) {
        self.draft_due = None;
        match self.drafts.discard(run, step) {
            Ok(true) => self.status = Some(("note recorded (its draft is removed)".into(), false)),
            Ok(false) => {}
            Err(error) => self.status = Some((format!("note recorded; ⚠ {error}"), true)),
        }
    }

    /// Opens the note editor of the current step: with its draft when one is kept (marked as
    /// such), else with the note recorded so far.
    pub(super) fn open_note_editor(&mut self) {
        let Some(screen) = self.run.as_ref() else {
            return;
        };
        let Some(step) = screen
            .run
            .current_step()
            .filter(|step| matches!(step.action, StepAction::Note { .. }))
        else {
            return;
        };
        let (title, recorded) = (step.title.clone(), screen.run.visit.note.clone());
        let draft = match self.drafts.load(&screen.run.id, &step.id) {
            Ok(draft) => draft,
            Err(error) => {
                self.status = Some((format!("⚠ {error}"), true));
                None
            }
        };
        let restored = draft.is_some();
        let (title, text) = match draft {
            Some(text) => (format!("{title} · {DRAFT_MARK}"), text),
            None => (title, recorded.unwrap_or_default()),
        };
        self.popups
            .push(Popup::prompt(&title, NOTE_HINT, Purpose::Note, &text));
        if restored {
            self.status = Some((format!("{DRAFT_MARK}: Ctrl+S records it"), false));
        }
    }

    /// A run opened at a note step with a kept draft shows the draft in its editor at once.
    pub(super) fn restore_draft(&mut self) {
        let has_draft = self.run.as_ref().is_some_and(|screen| {
            screen.run.current_step().is_some_and(|step| {
                matches!(step.action, StepAction::Note { .. })
                    && matches!(self.drafts.load(&screen.run.id, &step.id), Ok(Some(_)))
            })
        });
        if has_draft {
            self.open_note_editor();
        }
    }
}
