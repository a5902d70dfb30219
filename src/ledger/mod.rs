//! The signed, hash-chained ledger: entries, the append-only store, the checkpoint beside it,
//! verification, the operators it is checked against, and export bundles.

pub mod attestation;
pub mod bundle;
pub mod checkpoint;
pub mod entry;
pub mod operators;
pub mod store;
pub mod verify;

pub use entry::Entry;
pub use store::{Ledger, LedgerError};
