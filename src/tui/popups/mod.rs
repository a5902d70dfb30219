//! Modal layers above the screens. Keys go to the top one first.

mod reply;
mod start_form;
mod text_input;

pub use reply::{Pending, Purpose, Reply};
pub use start_form::StartForm;
pub use text_input::line_input;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

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
    /// A command the runbook only shows: what `x` says about it, offering to copy it.
    ShownCommand {
        command: String,
    },
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

    /// How far a text to read is scrolled; none for other popups.
    pub fn scroll(&self) -> Option<u16> {
        match self {
            Self::Help { scroll }
            | Self::Text { scroll, .. }
            | Self::State { scroll }
            | Self::Change { scroll, .. } => Some(*scroll),
            _ => None,
        }
    }

    /// As [`Popup::scroll`], to change it.
    pub fn scroll_mut(&mut self) -> Option<&mut u16> {
        match self {
            Self::Help { scroll }
            | Self::Text { scroll, .. }
            | Self::State { scroll }
            | Self::Change { scroll, .. } => Some(scroll),
            _ => None,
        }
    }

    pub fn handle(&mut self, key: KeyEvent) -> Reply {
        match self {
            Self::Help { scroll }
            | Self::Text { scroll, .. }
            | Self::State { scroll }
            | Self::Change { scroll, .. } => scroll_key(scroll, key),
            Self::Message { .. } => match key.code {
                KeyCode::Enter | KeyCode::Esc | KeyCode::Char(' ') | KeyCode::Char('q') => {
                    Reply::Close
                }
                _ => Reply::Stay,
            },
            Self::Prompt {
                input,
                purpose,
                multiline,
                ..
            } => prompt_key(input, purpose, *multiline, key),
            Self::Confirm {
                input,
                word,
                then,
                error,
                ..
            } => confirm_key(input, word, then, error, key),
            Self::Start(form) => form.handle(key),
            Self::ShownCommand { command } => match key.code {
                KeyCode::Char('c') => Reply::Copy(command.clone()),
                KeyCode::Enter | KeyCode::Esc | KeyCode::Char('q') => Reply::Close,
                _ => Reply::Stay,
            },
        }
    }
}

/// A text to read: the arrows and pages scroll it, any other key closes it.
fn scroll_key(scroll: &mut u16, key: KeyEvent) -> Reply {
    *scroll = match key.code {
        KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => scroll.saturating_add(1),
        KeyCode::PageDown => scroll.saturating_add(10),
        KeyCode::PageUp => scroll.saturating_sub(10),
        _ => return Reply::Close,
    };
    Reply::Stay
}

fn prompt_key(
    input: &mut TextArea<'static>,
    purpose: &Purpose,
    multiline: bool,
    key: KeyEvent,
) -> Reply {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => Reply::Close,
        KeyCode::Char('s') if ctrl && multiline => {
            Reply::Submit(purpose.clone(), input.lines().join("\n"))
        }
        KeyCode::Enter if !multiline => Reply::Submit(purpose.clone(), input.lines().join("")),
        _ => {
            input.input(key);
            Reply::Stay
        }
    }
}

/// The typed word must be the one asked for exactly; anything else says so and waits.
fn confirm_key(
    input: &mut TextArea<'static>,
    word: &str,
    then: &Pending,
    error: &mut Option<String>,
    key: KeyEvent,
) -> Reply {
    match key.code {
        KeyCode::Esc => Reply::Close,
        KeyCode::Enter => {
            let typed = input.lines().join("");
            if typed.trim() == word {
                Reply::Confirmed(then.clone(), typed.trim().to_owned())
            } else {
                *error = Some(format!("type `{word}` exactly, or Esc to cancel"));
                Reply::Stay
            }
        }
        _ => {
            input.input(key);
            *error = None;
            Reply::Stay
        }
    }
}
