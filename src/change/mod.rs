//! A change to the platform's configuration: the workspace's proposed config against a
//! chosen current state, the Safe batches that make it, the offline state snapshot it may be
//! compared with, and backups of the config for rollbacks.

pub mod compare;
pub mod config_backup;
pub mod error;
pub mod offline_state;
pub mod plan;

pub use error::ChangeError;
