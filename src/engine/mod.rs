//! The run engine: events, the run derived from them, the journal they are appended to, and
//! the evidence-producing actions (commands, HTTP checks, attachments).

pub mod command;
pub mod event;
pub mod evidence;
pub mod http_check;
pub mod journal;
pub mod run;

pub use event::{Entry, Event, Mode, RunStarted};
pub use journal::{Journal, JournalError};
pub use run::{EngineError, Position, Run};
