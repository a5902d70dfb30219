//! What every screen shares: the keys, the colours, the status line, the busy flag and the
//! popup stack; and the context a screen's handler is given with them.

use super::keymap::Keymap;
use super::live::LiveMonitor;
use super::popups::Popup;
use super::status::Status;
use super::theme::Theme;
use crate::session::Session;

pub struct Shared {
    pub keymap: Keymap,
    pub theme: Theme,
    /// What the last action said; cleared by the next key that asks for an action.
    pub status: Option<Status>,
    /// The step action running in the background, if one is.
    pub busy: Option<String>,
    /// Modal layers above the screens, the top one last; keys go to it first.
    pub popups: Vec<Popup>,
    /// Text the operator asked to copy, for the terminal's clipboard (OSC 52).
    pub clipboard: Option<String>,
}

impl Shared {
    pub fn new(keymap: Keymap, theme: Theme) -> Self {
        Self {
            keymap,
            theme,
            status: None,
            busy: None,
            popups: Vec::new(),
            clipboard: None,
        }
    }

    pub fn say(&mut self, status: Status) {
        self.status = Some(status);
    }

    pub fn push(&mut self, popup: Popup) {
        self.popups.push(popup);
    }

    /// A popup that says what failed.
    pub fn error(&mut self, title: &str, text: impl Into<String>) {
        self.popups.push(Popup::error(title, text));
    }
}

/// What a screen's handler may use besides its own state.
pub struct Ctx<'a> {
    pub session: &'a mut Session,
    pub shared: &'a mut Shared,
    /// The ledger's entry count on the status bar, which a recorded step moves.
    pub entries: &'a mut usize,
    /// The chosen network's live reading, when it is read live.
    pub live: Option<&'a LiveMonitor>,
}
