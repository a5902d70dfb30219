//! Modal layers above the screens. Keys go to the top one first.

use super::form::StartForm;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Filter,
    SkipReason,
    AbortReason,
    AttachPath,
    Note,
    /// A receipt step's transaction hash or receipt file.
    ReceiptSource,
    /// Why a stale state snapshot is used anyway.
    StaleReason,
}

/// What a typed confirmation unlocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Complete,
    Choose(String),
    Execute,
    /// A drill's chaos step: inject its fault into the sandbox.
    Chaos,
    Abort(String),
    QuitWhileBusy,
}

pub enum Popup {
    Help {
        scroll: u16,
    },
    /// The network's state, redrawn from the latest reading while it is open.
    State {
        scroll: u16,
    },
    Text {
        title: String,
        lines: Vec<String>,
        scroll: u16,
    },
    /// One change of the diff on screen, in full.
    Change {
        index: usize,
        scroll: u16,
    },
    Message {
        title: String,
        text: String,
        error: bool,
    },
    Prompt {
        title: String,
        hint: String,
        input: TextArea<'static>,
        purpose: Purpose,
        multiline: bool,
    },
    Confirm {
        title: String,
        detail: Vec<String>,
        word: String,
        input: TextArea<'static>,
        then: Pending,
        error: Option<String>,
    },
    Start(Box<StartForm>),
}

/// What a popup asks of the app after a key.
pub enum Outcome {
    Stay,
    Close,
    Submit(Purpose, String),
    Confirmed(Pending, String),
    StartRun,
}

pub fn line_input(text: &str) -> TextArea<'static> {
    let mut input = TextArea::new(vec![text.to_owned()]);
    input.move_cursor(ratatui_textarea::CursorMove::End);
    input
}

impl Popup {
    pub fn prompt(title: &str, hint: &str, purpose: Purpose, initial: &str) -> Self {
        let multiline = purpose == Purpose::Note;
        let mut input = if multiline {
            TextArea::new(initial.lines().map(str::to_owned).collect())
        } else {
            line_input(initial)
        };
        if multiline {
            input.move_cursor(ratatui_textarea::CursorMove::Bottom);
            input.move_cursor(ratatui_textarea::CursorMove::End);
        }
        Self::Prompt {
            title: title.to_owned(),
            hint: hint.to_owned(),
            input,
            purpose,
            multiline,
        }
    }

    pub fn confirm(title: &str, detail: Vec<String>, word: &str, then: Pending) -> Self {
        Self::Confirm {
            title: title.to_owned(),
            detail,
            word: word.to_owned(),
            input: line_input(""),
            then,
            error: None,
        }
    }

    pub fn error(title: &str, text: impl Into<String>) -> Self {
        Self::Message {
            title: title.to_owned(),
            text: text.into(),
            error: true,
        }
    }

    pub fn handle(&mut self, key: KeyEvent) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match self {
            Self::Help { scroll }
            | Self::Text { scroll, .. }
            | Self::State { scroll }
            | Self::Change { scroll, .. } => match key.code {
                KeyCode::Up | KeyCode::Char('k') => {
                    *scroll = scroll.saturating_sub(1);
                    Outcome::Stay
                }
                KeyCode::Down | KeyCode::Char('j') => {
                    *scroll = scroll.saturating_add(1);
                    Outcome::Stay
                }
                KeyCode::PageDown => {
                    *scroll = scroll.saturating_add(10);
                    Outcome::Stay
                }
                KeyCode::PageUp => {
                    *scroll = scroll.saturating_sub(10);
                    Outcome::Stay
                }
                _ => Outcome::Close,
            },
            Self::Message { .. } => match key.code {
                KeyCode::Enter | KeyCode::Esc | KeyCode::Char(' ') | KeyCode::Char('q') => {
                    Outcome::Close
                }
                _ => Outcome::Stay,
            },
            Self::Prompt {
                input,
                purpose,
                multiline,
                ..
            } => match key.code {
                KeyCode::Esc => Outcome::Close,
                KeyCode::Char('s') if ctrl && *multiline => {
                    Outcome::Submit(purpose.clone(), input.lines().join("\n"))
                }
                KeyCode::Enter if !*multiline => {
                    Outcome::Submit(purpose.clone(), input.lines().join(""))
                }
                _ => {
                    input.input(key);
                    Outcome::Stay
                }
            },
            Self::Confirm {
                input,
                word,
                then,
                error,
                ..
            } => match key.code {
                KeyCode::Esc => Outcome::Close,
                KeyCode::Enter => {
                    let typed = input.lines().join("");
                    if typed.trim() == word.as_str() {
                        Outcome::Confirmed(then.clone(), typed.trim().to_owned())
                    } else {
                        *error = Some(format!("type `{word}` exactly, or Esc to cancel"));
                        Outcome::Stay
                    }
                }
                _ => {
                    input.input(key);
                    *error = None;
                    Outcome::Stay
                }
            },
            Self::Start(form) => form.handle(key),
        }
    }
}
