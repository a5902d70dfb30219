//! The run engine: events and the run derived from them by replay; transitions return events
//! and do no I/O. Events are stored by `crate::ledger`; the steps that act on the world are in
//! `crate::steps`.

pub mod clock;
mod completion;
pub mod event;
pub mod run;
pub mod signoff;
mod simulation;
mod transitions;

pub use event::{
    ChainChecked, DiffRecorded, Event, Mode, ReceiptChecked, RunStarted, Signoff, StateAcknowledged,
};
pub use run::{EngineError, Position, Run};
