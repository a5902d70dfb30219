//! Note drafts in the run view: what is typed into a note editor is kept on disk (at most
//! [`DRAFT_DELAY`] after an edit, and at once when the editor closes, the console quits or a
//! signal ends it) until the note is recorded; reopening the run at that step brings it back,
//! marked as a draft.

use super::RunScreen;
use crate::runbook::StepAction;
use crate::session::drafts::DraftError;
use crate::tui::popups::{Popup, Purpose};
use crate::tui::shared::Shared;
use crate::tui::status::Status;
use std::time::{Duration, Instant};

/// The longest typed text may stay only in memory: what a `kill -9` can lose.
const DRAFT_DELAY: Duration = Duration::from_millis(300);

/// The editor's hint: what records, and that closing keeps the draft.
const NOTE_HINT: &str = "Ctrl+S record · Esc close (the draft is kept)";

/// How a restored draft is marked, in the editor's title and the status bar.
const DRAFT_MARK: &str = "DRAFT restored, not recorded";

impl RunScreen {
    /// The step and text of the open note editor.
    fn open_note(&self, popups: &[Popup]) -> Option<(String, String)> {
        let text = popups.iter().rev().find_map(|popup| match popup {
            Popup::Prompt {
                purpose: Purpose::Note,
                input,
                ..
            } => Some(input.lines().join("\n")),
            _ => None,
        })?;
        let step = self.run.current_step()?;
        Some((step.id.clone(), text))
    }

    /// A key went to the note editor: its text is kept on disk within [`DRAFT_DELAY`].
    pub fn note_edited(&mut self, now: Instant) {
        self.draft_due.get_or_insert(now + DRAFT_DELAY);
    }

    /// When the open note editor's text is next due on disk.
    pub fn draft_due(&self) -> Option<Instant> {
        self.draft_due
    }

    /// Keeps the open note editor's text as its step's draft; an empty editor, or one that
    /// holds the note already recorded, leaves no draft.
    pub fn keep_draft(&mut self, popups: &[Popup]) -> Result<(), DraftError> {
        self.draft_due = None;
        let Some((step, text)) = self.open_note(popups) else {
            return Ok(());
        };
        let run = &self.run.id;
        let recorded = self.run.visit.note.clone().unwrap_or_default();
        if text.trim().is_empty() || text == recorded {
            self.drafts.discard(run, &step).map(|_| ())
        } else {
            self.drafts.save(run, &step, &text).map(|_| ())
        }
    }

    /// As [`RunScreen::keep_draft`], saying on the status bar when the draft could not be
    /// kept.
    pub fn keep_draft_or_say(&mut self, shared: &mut Shared) {
        if let Err(error) = self.keep_draft(&shared.popups) {
            shared.say(Status::warning(format!("⚠ draft not kept: {error}")));
        }
    }

    /// The note was recorded: its draft goes.
    pub(super) fn drop_draft(&mut self, shared: &mut Shared, run: &str, step: &str) {
        self.draft_due = None;
        match self.drafts.discard(run, step) {
            Ok(true) => shared.say(Status::info("note recorded (its draft is removed)")),
            Ok(false) => {}
            Err(error) => shared.say(Status::warning(format!("note recorded; ⚠ {error}"))),
        }
    }

    /// Opens the note editor of the current step: with its draft when one is kept (marked as
    /// such), else with the note recorded so far.
    pub(super) fn open_note_editor(&self, shared: &mut Shared) {
        let Some(step) = self
            .run
            .current_step()
            .filter(|step| matches!(step.action, StepAction::Note { .. }))
        else {
            return;
        };
        let (title, recorded) = (step.title.clone(), self.run.visit.note.clone());
        let draft = match self.drafts.load(&self.run.id, &step.id) {
            Ok(draft) => draft,
            Err(error) => {
                shared.say(Status::warning(format!("⚠ {error}")));
                None
            }
        };
        let restored = draft.is_some();
        let (title, text) = match draft {
            Some(text) => (format!("{title} · {DRAFT_MARK}"), text),
            None => (title, recorded.unwrap_or_default()),
        };
        shared.push(Popup::prompt(&title, NOTE_HINT, Purpose::Note, &text));
        if restored {
            shared.say(Status::info(format!("{DRAFT_MARK}: Ctrl+S records it")));
        }
    }

    /// A run opened at a note step with a kept draft shows the draft in its editor at once.
    pub fn restore_draft(&self, shared: &mut Shared) {
        let has_draft = self.run.current_step().is_some_and(|step| {
            matches!(step.action, StepAction::Note { .. })
                && matches!(self.drafts.load(&self.run.id, &step.id), Ok(Some(_)))
        });
        if has_draft {
            self.open_note_editor(shared);
        }
    }
}
