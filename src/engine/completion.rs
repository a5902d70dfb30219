//! Why the current step of a run cannot be completed yet: what each step kind still needs.

use super::event::ChainChecked;
use super::run::Run;
use crate::runbook::{CommandRun, StepAction};

impl Run {
    /// Why the current step cannot be completed yet, if it cannot.
    pub fn completion_blocker(&self) -> Option<String> {
        let step = self.here().ok()?;
        let visit = &self.visit;
        match &step.action {
            StepAction::Checklist { items } => {
                let open = items.len() - visit.checked.iter().filter(|i| **i < items.len()).count();
                (open > 0).then(|| format!("{open} checklist item(s) not ticked"))
            }
            StepAction::Command {
                run: CommandRun::Confirm,
                expect_exit,
                ..
            } => match visit.commands.last() {
                None => Some("the command has not been run yet".to_owned()),
                Some(ran) if ran.passed => None,
                Some(ran) if ran.timed_out => Some("the last run timed out".to_owned()),
                Some(ran) => Some(format!(
                    "the last run gave {}, expected exit {expect_exit}",
                    ran.ended()
                )),
            },
            StepAction::Command { .. } => None,
            StepAction::Decision { .. } => {
                Some("a decision is answered by choosing an option".to_owned())
            }
            StepAction::Note { required: true, .. } => match &visit.note {
                Some(text) if !text.trim().is_empty() => None,
                _ => Some("the note is empty".to_owned()),
            },
            StepAction::Note { .. } => None,
            StepAction::Evidence { min_files, .. } => {
                let have = visit.attachments.len() as u32;
                (have < *min_files).then(|| format!("{have} of {min_files} file(s) attached"))
            }
            StepAction::HttpCheck { .. } => match visit.http.last() {
                Some(check) if check.passed => None,
                Some(check) => Some(format!("the last check failed: {}", check.detail)),
                None => Some("the check has not been run yet".to_owned()),
            },
            StepAction::Signoff { .. } => self.signoff_blocker(),
            StepAction::SafeBatch { .. } => self
                .visit
                .batch
                .is_none()
                .then(|| "the batch has not been prepared yet".to_owned()),
            StepAction::Simulate => match visit.simulations.last() {
                None => Some("the batch has not been simulated yet".to_owned()),
                Some(_) => self.simulation_missing(),
            },
            StepAction::Diff {
                block_on_violation,
                expect_agreement,
                ..
            } => match &self.visit.diff {
                None => Some("the diff has not been computed yet".to_owned()),
                Some(diff) if *expect_agreement && diff.changes > 0 => Some(format!(
                    "config and chain do not agree yet ({}{}): wait for the execution, then compute the diff again",
                    diff.summary,
                    match diff.changed.is_empty() {
                        true => String::new(),
                        false => format!(" in {}", diff.changed.join(", ")),
                    }
                )),
                Some(diff) if *block_on_violation && diff.blocking > 0 => Some(format!(
                    "{} guardrail violation(s) block this change: fix the config and compute the diff again",
                    diff.blocking
                )),
                Some(_) => None,
            },
            StepAction::ChainCheck { .. } => match visit.chain_checks.last() {
                None => Some("the chain has not been checked yet".to_owned()),
                Some(checked) if checked.passed => None,
                Some(checked) => Some(chain_check_blocker(checked)),
            },
            StepAction::Chaos { fault } => visit
                .chaos
                .is_none()
                .then(|| format!("the fault `{}` has not been injected yet", fault.name())),
            StepAction::Receipt { .. } => match visit.receipts.last() {
                None => Some("no receipt has been checked yet".to_owned()),
                Some(receipt) if receipt.passed => None,
                Some(receipt) => Some(format!(
                    "the receipt of {} does not pass: {}",
                    receipt.tx_hash,
                    receipt.problems.join("; ")
                )),
            },
        }
    }
}

fn chain_check_blocker(checked: &ChainChecked) -> String {
    if let Some(why) = &checked.refused {
        return format!("the last reads verify nothing: {why}");
    }
    let failed: Vec<String> = checked
        .results
        .iter()
        .filter(|r| r.outcome != crate::chain::expect::Outcome::Pass)
        .map(|r| {
            format!(
                "{}.{} {} {}: {} ({})",
                r.contract,
                r.call,
                r.op,
                r.expected,
                r.actual,
                r.outcome.word()
            )
        })
        .collect();
    format!("at block #{}: {}", checked.block_number, failed.join("; "))
}
