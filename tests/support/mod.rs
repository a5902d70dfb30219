//! Shared helpers for the integration tests: throwaway workspaces and a pseudo-terminal.

pub mod cli;
pub mod pty;
pub mod workspace;
