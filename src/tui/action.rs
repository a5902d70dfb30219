//! Everything a key can ask for. Keys become actions through the keymap only.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Quit,
    Help,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    Open,
    Filter,
    Complete,
    Toggle,
    TickRest,
    Pick,
    Skip,
    Note,
    Attach,
    Execute,
    Simulate,
    Flowchart,
    Abort,
    Ledger,
    Scope,
    Signoff,
    State,
    Metrics,
    Drill,
}

impl Action {
    pub const ALL: [Action; 28] = [
        Self::Quit,
        Self::Help,
        Self::Back,
        Self::Up,
        Self::Down,
        Self::PageUp,
        Self::PageDown,
        Self::First,
        Self::Last,
        Self::Open,
        Self::Filter,
        Self::Complete,
        Self::Toggle,
        Self::TickRest,
        Self::Pick,
        Self::Skip,
        Self::Note,
        Self::Attach,
        Self::Execute,
        Self::Simulate,
        Self::Flowchart,
        Self::Abort,
        Self::Ledger,
        Self::Scope,
        Self::Signoff,
        Self::State,
        Self::Metrics,
        Self::Drill,
    ];

    /// The name used in the settings file's `[keys]` table.
    pub fn name(self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::Help => "help",
            Self::Back => "back",
            Self::Up => "up",
            Self::Down => "down",
            Self::PageUp => "page_up",
            Self::PageDown => "page_down",
            Self::First => "first",
            Self::Last => "last",
            Self::Open => "open",
            Self::Filter => "filter",
            Self::Complete => "complete",
            Self::Toggle => "toggle",
            Self::TickRest => "tick_rest",
            Self::Pick => "pick",
            Self::Skip => "skip",
            Self::Note => "note",
            Self::Attach => "attach",
            Self::Execute => "execute",
            Self::Simulate => "simulate",
            Self::Flowchart => "flowchart",
            Self::Abort => "abort",
            Self::Ledger => "ledger",
            Self::Scope => "scope",
            Self::Signoff => "signoff",
            Self::State => "state",
            Self::Metrics => "metrics",
            Self::Drill => "drill",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }
}
