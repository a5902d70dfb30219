//! Shared helpers for the integration tests: throwaway workspaces, the app on a test backend
//! and a pseudo-terminal.

pub mod cli;
pub mod pty;
pub mod tui;
pub mod workspace;
