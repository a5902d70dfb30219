//! Walks a run to its end through the real binary, step by step, doing what each step kind
//! asks (ticking, writing, attaching, signing off with other operators, confirming, executing
//! a drill's batch), and choosing decisions by a given rule. Fails loudly with the step and
//! the binary's words when a step will not move.

#![allow(dead_code)] // Each test binary uses a different part of the helpers.

use super::cli::{Home, PASSPHRASE, json, text};
use owner_console::runbook::{Runbook, StepAction};
use std::path::Path;

pub struct Walker<'a> {
    pub home: &'a Home,
    pub workspace: &'a Path,
    pub env: Vec<(String, String)>,
    /// The operators who approve sign-off steps, by key name.
    pub approvers: Vec<String>,
    /// The key that runs the steps (`--key`), when the home has several.
    pub operator: String,
}

impl Walker<'_> {
    pub fn cli(&self, key: &str, args: &[&str]) -> std::process::Output {
        let vars: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let mut all = vec!["--key", key];
        all.extend_from_slice(args);
        self.home.cli_env(self.workspace, PASSPHRASE, &vars, &all)
    }

    fn status(&self, run: &str) -> serde_json::Value {
        json(&self.cli(&self.operator, &["run", "status", run, "--json"]))
    }

    /// Walks `run` of `book` to its end; `choose` answers each decision with an option label.
    /// Returns the ids of the steps visited, in order.
    pub fn walk(&self, book: &Runbook, run: &str, choose: &dyn Fn(&str) -> String) -> Vec<String> {
        let evidence = self.workspace.join("walk-evidence.txt");
        std::fs::write(&evidence, "evidence for the walk\n").unwrap();
        let mut visited = Vec::new();
        for _ in 0..(book.steps.len() * 3 + 5) {
            let status = self.status(run);
            let Some(step_id) = status["position"]["step"].as_str().map(str::to_owned) else {
                assert_eq!(status["position"]["status"], "completed", "{status}");
                return visited;
            };
            let step = book
                .step(&step_id)
                .unwrap_or_else(|| panic!("no step {step_id}"));
            visited.push(step_id.clone());
            let mut args: Vec<String> = vec!["run".into(), "next".into(), run.into()];
            match &step.action {
                StepAction::Checklist { .. } => args.extend(["--check".into(), "all".into()]),
                StepAction::Note { .. } => {
                    args.extend(["--note".into(), format!("walked: {step_id}")])
                }
                StepAction::Evidence { .. } => {
                    args.extend(["--attach".into(), evidence.display().to_string()])
                }
                StepAction::Command {
                    run: owner_console::runbook::CommandRun::Confirm,
                    ..
                } => args.push("--execute".into()),
                StepAction::HttpCheck { .. } => args.push("--http".into()),
                StepAction::Decision { .. } => args.extend(["--choose".into(), choose(&step_id)]),
                StepAction::Receipt { .. } => args.push("--execute".into()),
                StepAction::Signoff { .. } => {
                    for approver in &self.approvers {
                        let signed = self.cli(approver, &["run", "signoff", run]);
                        let (out, err) = text(&signed);
                        if !signed.status.success() && !err.contains("already") {
                            eprintln!("{approver} at {step_id}: {out}{err}");
                        }
                    }
                }
                _ => {}
            }
            if let Some(word) = &step.confirm {
                args.extend(["--confirm".into(), word.clone()]);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let moved = self.cli(&self.operator, &args);
            let (out, err) = text(&moved);
            assert!(
                moved.status.success(),
                "step `{step_id}` ({}) did not move:\n{out}\n{err}",
                step.action.kind_name()
            );
        }
        panic!("run {run} did not end within the steps it has: {visited:?}");
    }
}
