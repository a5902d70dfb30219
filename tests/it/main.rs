//! The integration tests, one binary: one module per capability, against real parts (anvil,
//! the binary in a pty, real files), and `support/`, the harnesses they share.

// Tests print what they measured; clippy.toml's printing rule is for the app.
#![allow(clippy::disallowed_macros)]

mod support;

mod batch_binding;
mod batch_selectors;
mod bundle;
mod bundle_bombs;
mod bundle_tampering;
mod catalogue;
mod catalogue_coverage;
mod catalogue_real_abi;
mod chain_executed_batch;
mod chain_faults;
mod chain_https;
mod chain_live;
mod chain_receipts;
mod chaos;
mod cli;
mod cli_pipes;
mod contracts;
mod coupled_setters;
mod custody;
mod deployment_files;
mod diff;
mod diff_batches;
mod drafts;
mod drill;
mod engine;
mod engine_properties;
mod error_report;
mod evidence_paths;
mod fuzz_regressions;
mod guardrails;
mod hash_rule;
mod ledger_durability;
mod ledger_mutations;
mod ledger_store;
mod ledger_verify;
mod ledger_verify_signatures;
mod offline;
mod pty_big_ledger;
mod pty_drafts;
mod pty_drill;
mod pty_escapes;
mod pty_live;
mod pty_resume;
mod pty_signals;
mod pty_stress;
mod readme_example;
mod readme_picture;
mod real_contract_limits;
mod real_platform;
mod report;
mod run_index;
mod runbook_cache;
mod runbook_loader;
mod runbook_picking;
mod runbook_scale;
mod safe_batch;
mod safe_batch_cli;
mod safe_batch_parsing;
mod safe_tx_hash;
mod secrets;
mod security;
mod sets_whole;
mod shipped_runbooks;
mod signoff;
mod tui_diff;
mod tui_metrics;
mod tui_snapshots;
mod walk_restores;
mod walk_shipped;
