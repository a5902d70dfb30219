//! The status line's message: what the last action said, as information or as a warning.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Warning(String),
}

impl Status {
    pub fn info(text: impl Into<String>) -> Self {
        Self::Info(text.into())
    }

    pub fn warning(text: impl Into<String>) -> Self {
        Self::Warning(text.into())
    }

    pub fn text(&self) -> &str {
        match self {
            Self::Info(text) | Self::Warning(text) => text,
        }
    }

    pub fn is_warning(&self) -> bool {
        matches!(self, Self::Warning(_))
    }
}
