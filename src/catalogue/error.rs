//! Why a catalogue does not load: the file, and the line or the entry and field at fault.

use super::setters::SetterError;
use crate::workspace::toml_file::TomlError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error(transparent)]
    Toml(#[from] TomlError),
    #[error("{file}: parameter `{id}` is listed twice")]
    ListedTwice { file: &'static str, id: String },
    /// `why` is no `source`: the message already says it, and a chain would say it twice.
    #[error("{file}: {why}")]
    Setter {
        file: &'static str,
        why: SetterError,
    },
    #[error("{file}: guardrail `{guardrail}` names `{id}`, which is no parameter")]
    UnknownGuardedParameter {
        file: &'static str,
        guardrail: String,
        id: String,
    },
    #[error(
        "{file}: parameter `{id}`: also_writes names `{writes}`, which is no parameter with a setter"
    )]
    UnknownCoupledParameter {
        file: &'static str,
        id: String,
        writes: String,
    },
    #[error("{file}: parameter `{id}`: {why}")]
    MembersEvent {
        file: &'static str,
        id: String,
        why: String,
    },
}
