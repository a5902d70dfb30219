//! The signed, hash-chained ledger: entries, the append-only store, the checkpoint beside it,
//! verification, the operators it is checked against, and export bundles.

pub mod attestation;
pub mod bundle;
pub mod checkpoint;
pub mod contents;
pub mod entry;
pub mod fault;
pub mod operators;
pub mod run_check;
pub mod seal;
pub mod store;
pub mod trust;
pub mod verify;

pub use entry::Entry;
pub use store::{Ledger, LedgerError};

/// The longest line a ledger may hold, newline excepted: a longer one is damage, refused
/// before it is parsed, so that a hostile ledger cannot make a reader hold it.
pub const MAX_LINE_BYTES: usize = 1 << 20;
