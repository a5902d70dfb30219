//! Shared helpers for the integration tests: throwaway workspaces, the app on a test backend,
//! a pseudo-terminal, a real local chain and a fault-injecting proxy in front of it.

pub mod agijobs;
pub mod big_runbook;
pub mod bundle;
pub mod chain;
pub mod cli;
pub mod fit;
pub mod ledger;
pub mod library_walk;
pub mod measured;
pub mod pty;
pub mod real_chain;
pub mod real_platform;
pub mod real_safe;
pub mod restored;
pub mod rpc_proxy;
pub mod run_view;
pub mod safe_batch;
pub mod sandbox;
pub mod saved_chain;
pub mod sgr;
pub mod signed_ledger;
pub mod stage;
pub mod stand_ins;
pub mod svg;
pub mod team;
pub mod tls_proxy;
pub mod tour;
pub mod tui;
pub mod walk;
pub mod workspace;
