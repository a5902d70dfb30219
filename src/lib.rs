//! owner-console: runbooks, run engine and journal for the AGI Jobs platform's owners and
//! operators. The domain modules here import no terminal library; `tui` is a thin view.

pub mod catalogue;
pub mod chain;
pub mod change;
pub mod cli;
pub mod diff;
pub mod engine;
pub mod keys;
pub mod ledger;
pub mod metrics;
pub mod net;
pub mod redact;
pub mod runbook;
pub mod safe;
pub mod sandbox;
pub mod sanitize;
pub mod session;
pub mod simulate;
pub mod steps;
pub mod tui;
pub mod workspace;
