//! Metrics of every change, read from the ledger: per runbook, how many runs, how long they
//! took, how long they waited for sign-off, how many were aborted, rolled back, emergencies or
//! drills, and which quarterly runbooks are overdue. No terminal library here: the CLI's
//! `report` and the TUI's metrics view both render a [`Report`].
//!
//! Definitions (also in the README's "Metrics" section):
//! - A run counts in the period when its `run-started` is at or after `--since`.
//! - Time to execute: `run-started` to `run-completed`, completed runs only.
//! - Waiting for sign-off: for each completed visit of a sign-off step, from arriving at the
//!   step (the previous step's completed / skipped / branch-chosen entry, else `run-started`)
//!   to the step's `step-completed`; summed per run, over the runs that completed at least one
//!   sign-off step, whatever their outcome.
//! - Rollback: a run of a `restore` runbook, or a run in which a decision chose an option whose
//!   label or goto holds the word "rollback" or the words "roll back" (any case, punctuation
//!   separating words); counted whatever the run's outcome. Rollback rate: rollbacks divided by the
//!   completed runs of `update` runbooks, both in the period.
//! - Drill: a run started in `drill` mode or of a `drill` runbook. Drill runs are never counted
//!   as emergencies or rollbacks, nor in the rollback rate's denominator.
//! - Emergency (incident): a run of an `emergency` runbook that is not a drill.
//! - Overdue: a runbook whose id or title says "quarterly" is due every 92 days; it is overdue
//!   when its last completed run (over the whole ledger, at or before `now`) is more than 92
//!   days before `now`, or when it never completed.

mod cadence;
mod duration;
mod report;
mod rollback;
mod runs;
mod since;
mod stats;
mod weekly;

pub use duration::{human, percent};
pub use report::{Options, Overdue, Report, RunbookMetrics, Totals};
pub use rollback::mentions_rollback;
pub use runs::{Outcome, RunFacts, collect};
pub use since::parse_since;
pub use stats::Durations;
pub use weekly::runs_per_week;
