//! owner-console: runbooks, run engine and journal for the AGI Jobs platform's owners and
//! operators. The domain modules here import no terminal library; `tui` is a thin view.

pub mod catalogue;
pub mod chain;
pub mod chain_steps;
pub mod changes;
pub mod chaos_steps;
pub mod cli;
pub mod config_snapshot;
pub mod diff;
pub mod drafts;
pub mod engine;
pub mod keys;
pub mod ledger;
pub mod logging;
pub mod metrics;
pub mod offline_state;
pub mod plan;
pub mod run_index;
pub mod run_list;
pub mod runbook;
pub mod safe;
pub mod sandbox;
pub mod session;
pub mod settings;
pub mod step_actions;
pub mod toml_file;
pub mod tui;
pub mod workspace;
