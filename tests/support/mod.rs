//! Shared helpers for the integration tests: throwaway workspaces, a pseudo-terminal, a real
//! local chain and a fault-injecting proxy in front of it.

pub mod chain;
pub mod cli;
pub mod ledger;
pub mod pty;
pub mod rpc_proxy;
pub mod workspace;
