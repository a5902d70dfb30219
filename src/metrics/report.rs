//! The report: per runbook and in total, over the runs started in the period.

use super::cadence::is_overdue;
use super::runs::{Outcome, RunFacts, collect};
use super::stats::Durations;
use crate::ledger::Entry;
use crate::runbook::{Cadence, Runbook, RunbookKind};
use jiff::Timestamp;
use serde::Serialize;
use std::sync::Arc;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Only runs started at or after this time count; None counts every run.
    pub since: Option<Timestamp>,
    /// What "overdue" is measured against.
    pub now: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunbookMetrics {
    pub runbook: String,
    pub title: String,
    /// `update`, `emergency`, `restore` or `drill`; None when the workspace no longer has the
    /// runbook.
    pub kind: Option<RunbookKind>,
    pub runs: usize,
    pub completed: usize,
    pub aborted: usize,
    pub unfinished: usize,
    /// Runs for real (drills apart).
    pub time_to_execute: Durations,
    pub drill_time_to_execute: Durations,
    pub signoff_wait: Durations,
    pub rollbacks: usize,
    pub emergencies: usize,
    pub drills: usize,
    pub last_drill: Option<String>,
    /// Over the whole ledger, whatever the period.
    pub last_completed: Option<String>,
    /// When the cadence was last met: the runbook's last completed run, or a later completed
    /// drill of a runbook its `cadence_met_by` names.
    pub cadence_met: Option<String>,
    /// The runbook whose drill last met the cadence, when it is another one.
    pub cadence_met_by: Option<String>,
    /// The runbook's `cadence` (`quarterly`, …) and its length in days.
    pub cadence: Option<Cadence>,
    pub cadence_days: Option<u32>,
    /// The date the next run is due by, when the runbook has a cadence and ever completed.
    pub due: Option<String>,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub runs: usize,
    pub completed: usize,
    pub aborted: usize,
    pub unfinished: usize,
    /// Runs for real (drills apart).
    pub time_to_execute: Durations,
    pub drill_time_to_execute: Durations,
    pub signoff_wait: Durations,
    pub rollbacks: usize,
    /// Completed runs of `update` runbooks, drills excepted: the rollback rate's denominator.
    pub completed_updates: usize,
    /// `rollbacks / completed_updates`; None when no update completed.
    pub rollback_rate: Option<f64>,
    pub emergencies: usize,
    pub drills: usize,
    pub last_drill: Option<String>,
    pub overdue: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overdue {
    pub runbook: String,
    pub title: String,
    pub cadence: Cadence,
    pub cadence_days: u32,
    pub last_completed: Option<String>,
    pub cadence_met: Option<String>,
    pub cadence_met_by: Option<String>,
    pub due: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub now: String,
    pub since: Option<String>,
    pub runbooks: Vec<RunbookMetrics>,
    pub totals: Totals,
    pub overdue: Vec<Overdue>,
    /// Entries that could not be taken into account, and why.
    pub problems: Vec<String>,
}

fn stamp(time: Timestamp) -> String {
    time.to_string()
}

fn latest(times: impl Iterator<Item = Timestamp>) -> Option<String> {
    times.max().map(stamp)
}

struct Counts {
    runs: usize,
    completed: usize,
    aborted: usize,
    unfinished: usize,
    time_to_execute: Durations,
    drill_time_to_execute: Durations,
    signoff_wait: Durations,
    rollbacks: usize,
    emergencies: usize,
    drills: usize,
    last_drill: Option<String>,
}

fn count(runs: &[&RunFacts]) -> Counts {
    let outcomes =
        |wanted: fn(&Outcome) -> bool| runs.iter().filter(|r| wanted(&r.outcome)).count();
    Counts {
        runs: runs.len(),
        completed: outcomes(|o| matches!(o, Outcome::Completed(_))),
        aborted: outcomes(|o| matches!(o, Outcome::Aborted(_))),
        unfinished: outcomes(|o| matches!(o, Outcome::Unfinished)),
        time_to_execute: Durations::of(
            runs.iter()
                .filter(|r| !r.is_drill())
                .filter_map(|r| r.execute_secs()),
        ),
        drill_time_to_execute: Durations::of(
            runs.iter()
                .filter(|r| r.is_drill())
                .filter_map(|r| r.execute_secs()),
        ),
        signoff_wait: Durations::of(runs.iter().filter_map(|r| r.signoff_wait_secs)),
        rollbacks: runs.iter().filter(|r| r.is_rollback()).count(),
        emergencies: runs.iter().filter(|r| r.is_emergency()).count(),
        drills: runs.iter().filter(|r| r.is_drill()).count(),
        last_drill: latest(runs.iter().filter(|r| r.is_drill()).map(|r| r.started)),
    }
}

/// A runbook's id, title, kind and cadence (the last two unknown when the workspace no
/// longer has it).
type Row = (String, String, Option<RunbookKind>, Option<Cadence>);

/// One row per runbook of the workspace (runs or not), then one per runbook the ledger names
/// that the workspace no longer has.
fn rows(runbooks: &[Arc<Runbook>], facts: &[RunFacts]) -> Vec<Row> {
    let mut rows: Vec<_> = runbooks
        .iter()
        .map(|b| (b.id.clone(), b.title.clone(), Some(b.kind), b.cadence))
        .collect();
    for run in facts {
        if !rows.iter().any(|(id, ..)| *id == run.runbook) {
            rows.push((run.runbook.clone(), run.title.clone(), None, None));
        }
    }
    rows.sort_by(|a, b| (a.2.is_none(), a.2, &a.0).cmp(&(b.2.is_none(), b.2, &b.0)));
    rows
}

impl Report {
    pub fn build(entries: &[Entry], runbooks: &[Arc<Runbook>], options: Options) -> Self {
        let (facts, mut problems) = collect(entries, runbooks);
        for runbook in runbooks {
            for other in &runbook.cadence_met_by {
                if !runbooks.iter().any(|b| b.id == *other) {
                    problems.push(format!(
                        "{}: cadence_met_by names `{other}`, which is no runbook of the workspace",
                        runbook.id
                    ));
                }
            }
        }
        let now = options.now;
        let in_period: Vec<&RunFacts> = facts
            .iter()
            .filter(|r| options.since.is_none_or(|since| r.started >= since))
            .collect();
        let mut metrics = Vec::new();
        for (id, title, kind, cadence_of) in rows(runbooks, &facts) {
            let runs: Vec<&RunFacts> = in_period
                .iter()
                .copied()
                .filter(|r| r.runbook == id)
                .collect();
            let last_completed = facts
                .iter()
                .filter(|r| r.runbook == id)
                .filter_map(RunFacts::completed_at)
                .filter(|at| *at <= now)
                .max();
            let met_by: &[String] = runbooks
                .iter()
                .find(|b| b.id == id)
                .map_or(&[], |b| b.cadence_met_by.as_slice());
            let drill_elsewhere = facts
                .iter()
                .filter(|r| r.is_drill() && met_by.contains(&r.runbook))
                .filter_map(|r| Some((r.completed_at()?, r.runbook.as_str())))
                .filter(|(at, _)| *at <= now)
                .max();
            let (cadence_met, cadence_met_by) = match (last_completed, drill_elsewhere) {
                (Some(own), Some((other, _))) if own >= other => (Some(own), None),
                (_, Some((other, runbook))) => (Some(other), Some(runbook.to_owned())),
                (own, None) => (own, None),
            };
            let cadence = cadence_of.map(Cadence::days);
            let due = cadence.zip(cadence_met).and_then(|(days, last)| {
                Timestamp::from_second(last.as_second() + i64::from(days) * 86_400).ok()
            });
            let overdue = cadence.is_some_and(|days| {
                is_overdue(cadence_met.map(|t| t.as_second()), days, now.as_second())
            });
            let counts = count(&runs);
            metrics.push(RunbookMetrics {
                runbook: id,
                title,
                kind,
                runs: counts.runs,
                completed: counts.completed,
                aborted: counts.aborted,
                unfinished: counts.unfinished,
                time_to_execute: counts.time_to_execute,
                drill_time_to_execute: counts.drill_time_to_execute,
                signoff_wait: counts.signoff_wait,
                rollbacks: counts.rollbacks,
                emergencies: counts.emergencies,
                drills: counts.drills,
                last_drill: counts.last_drill,
                last_completed: last_completed.map(stamp),
                cadence_met: cadence_met.map(stamp),
                cadence_met_by,
                cadence: cadence_of,
                cadence_days: cadence,
                due: due.map(stamp),
                overdue,
            });
        }
        let all = count(&in_period);
        let completed_updates = in_period
            .iter()
            .filter(|r| r.kind == Some(RunbookKind::Update) && !r.is_drill())
            .filter(|r| r.completed_at().is_some())
            .count();
        let overdue: Vec<Overdue> = metrics
            .iter()
            .filter(|m| m.overdue)
            .filter_map(|m| {
                Some(Overdue {
                    runbook: m.runbook.clone(),
                    title: m.title.clone(),
                    cadence: m.cadence?,
                    cadence_days: m.cadence_days?,
                    last_completed: m.last_completed.clone(),
                    cadence_met: m.cadence_met.clone(),
                    cadence_met_by: m.cadence_met_by.clone(),
                    due: m.due.clone(),
                })
            })
            .collect();
        let totals = Totals {
            runs: all.runs,
            completed: all.completed,
            aborted: all.aborted,
            unfinished: all.unfinished,
            time_to_execute: all.time_to_execute,
            drill_time_to_execute: all.drill_time_to_execute,
            signoff_wait: all.signoff_wait,
            rollbacks: all.rollbacks,
            completed_updates,
            rollback_rate: (completed_updates > 0)
                .then(|| all.rollbacks as f64 / completed_updates as f64),
            emergencies: all.emergencies,
            drills: all.drills,
            last_drill: all.last_drill,
            overdue: overdue.len(),
        };
        Self {
            now: stamp(now),
            since: options.since.map(stamp),
            runbooks: metrics,
            totals,
            overdue,
            problems,
        }
    }

    /// Runs started in the period, per runbook kind (in `RunbookKind::ALL` order), every
    /// drill run (of any runbook) under `drill`, so that it is the same count as `drills`;
    /// runs of runbooks the workspace no longer has are left out.
    pub fn runs_by_kind(&self) -> Vec<(RunbookKind, usize)> {
        RunbookKind::ALL
            .into_iter()
            .map(|kind| {
                let runs = self
                    .runbooks
                    .iter()
                    .filter(|m| m.kind.is_some())
                    .map(|m| match kind {
                        RunbookKind::Drill => m.drills,
                        _ if m.kind == Some(kind) => m.runs.saturating_sub(m.drills),
                        _ => 0,
                    })
                    .sum();
                (kind, runs)
            })
            .collect()
    }
}
