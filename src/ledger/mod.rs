//! The signed, hash-chained ledger: entries, the append-only store, the checkpoint beside it,
//! verification, the operators it is checked against, and export bundles.

pub mod attestation;
pub mod bundle;
pub mod checkpoint;
pub mod entry;
pub mod operators;
pub mod run_check;
pub mod seal;
pub mod store;
pub mod trust;
pub mod verify;

pub use entry::Entry;

/// The longest line a ledger may hold: a longer one is damage, never parsed.
pub const MAX_LINE_BYTES: usize = 1 << 20;
pub use store::{Ledger, LedgerError};
