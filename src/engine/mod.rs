//! The run engine: events, the run derived from them, and the evidence-producing actions
//! (commands, HTTP checks, attachments). Events are stored by `crate::ledger`.

pub mod command;
mod completion;
pub mod event;
pub mod evidence;
pub mod http_check;
pub mod run;
pub mod signoff;

pub use event::{
    ChainChecked, DiffRecorded, Event, Mode, ReceiptChecked, RunStarted, Signoff, StateAcknowledged,
};
pub use run::{EngineError, Position, Run};
