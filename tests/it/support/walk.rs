//! Walks a run to its end through the real binary, step by step, doing what each step kind
//! asks (ticking, writing, attaching, signing off with other operators, confirming, executing
//! a drill's batch), and choosing decisions by a given rule. Fails loudly with the step and
//! the binary's words when a step will not move.

use super::cli::{Home, PASSPHRASE, json, text};
use owner_console::runbook::graph::successors;
use owner_console::runbook::{Runbook, StepAction};
use std::collections::BTreeSet;
use std::path::Path;

/// Arguments to pass at a step instead of the usual ones, by step id.
pub type Answer<'a> = &'a dyn Fn(&str) -> Option<Vec<String>>;

pub struct Walker<'a> {
    pub home: &'a Home,
    pub workspace: &'a Path,
    pub env: Vec<(String, String)>,
    /// The operators who approve sign-off steps, by key name.
    pub approvers: Vec<String>,
    /// The key that runs the steps (`--key`), when the home has several.
    pub operator: String,
    /// What to pass at a step instead of the usual, by step id (a transaction the test made
    /// as the Safe app would, say).
    pub answer: Option<Answer<'a>>,
}

impl<'a> Walker<'a> {
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
            let answered = self.answer.and_then(|answer| answer(&step_id));
            match &step.action {
                _ if answered.is_some() => args.extend(answered.unwrap_or_default()),
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
                StepAction::Receipt { .. } | StepAction::Chaos { .. } => {
                    args.push("--execute".into())
                }
                StepAction::Signoff {
                    require_fingerprint,
                    ..
                } => {
                    let fingerprint = require_fingerprint
                        .then(|| self.reviewed_fingerprint(book, &visited, &status));
                    for approver in &self.approvers {
                        let mut signoff = vec!["run", "signoff", run];
                        if let Some(fingerprint) = &fingerprint {
                            signoff.extend(["--fingerprint", fingerprint]);
                        }
                        let signed = self.cli(approver, &signoff);
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
            let mut moved = self.cli(&self.operator, &args);
            let (_, err) = text(&moved);
            let module_receipt =
                matches!(&step.action, StepAction::Receipt { contract, .. } if contract != "Safe");
            if module_receipt && err.contains("event from") && err.contains("in the receipt") {
                // What a module receipt step's text asks: skip it when its event is not in this
                // change. A receipt step on the Safe itself is never skipped.
                let reason = format!("not in this change: {}", err.trim());
                moved = self.cli(
                    &self.operator,
                    &["run", "next", run, "--skip", "--reason", &reason],
                );
            }
            let (out, err) = text(&moved);
            assert!(
                moved.status.success(),
                "step `{step_id}` ({}) did not move:\n{out}\n{err}",
                step.action.kind_name()
            );
        }
        panic!("run {run} did not end within the steps it has: {visited:?}");
    }

    /// What a reviewer computes on their own machine for the run's last diff step: the same
    /// network, the same domains and proposal, against the same state (a drill's sandbox).
    fn reviewed_fingerprint(
        &self,
        book: &Runbook,
        visited: &[String],
        status: &serde_json::Value,
    ) -> String {
        let network = status["network"].as_str().unwrap();
        let mut args = vec!["diff", "--network", network, "--fingerprint"];
        if status["mode"] == "drill" {
            args.push("--drill");
        }
        let diff = visited
            .iter()
            .rev()
            .find_map(|id| match &book.step(id)?.action {
                StepAction::Diff {
                    domains, proposed, ..
                } => Some((domains, proposed)),
                _ => None,
            });
        let (domains, proposed) = diff.expect("a fingerprint sign-off follows a diff step");
        for domain in domains {
            args.extend(["--domain", domain]);
        }
        let inputs = &status["inputs"];
        let proposed = proposed.as_ref().map(|p| {
            let mut p = p.clone();
            if let Some(inputs) = inputs.as_object() {
                for (name, value) in inputs {
                    p = p.replace(
                        &format!("{{{{{name}}}}}"),
                        value.as_str().unwrap_or_default(),
                    );
                }
            }
            p
        });
        if let Some(proposed) = &proposed {
            args.extend(["--from", proposed]);
        }
        let computed = self.cli(&self.operator, &args);
        let (out, err) = text(&computed);
        assert!(!out.trim().is_empty(), "the reviewer's diff: {out}{err}");
        out.trim().to_owned()
    }
}

#[derive(Debug, Clone)]
pub struct Route {
    pub steps: Vec<String>,
    /// `None`: the run ends. `Some(step)`: the path goes back to a step already on it (a loop).
    pub loops_to: Option<String>,
}

/// Every path from the first step, each decision taken down each of its options. A path
/// stops at the end of the run, or when it comes back to a step already on it.
pub fn paths(runbook: &Runbook) -> Vec<Route> {
    fn walk(runbook: &Runbook, at: &str, so_far: &mut Vec<String>, out: &mut Vec<Route>) {
        so_far.push(at.to_owned());
        let step = runbook.step(at).expect("a successor names a step");
        for next in successors(step) {
            match next {
                None => out.push(Route {
                    steps: so_far.clone(),
                    loops_to: None,
                }),
                Some(id) if so_far.iter().any(|s| s == id) => out.push(Route {
                    steps: so_far.clone(),
                    loops_to: Some(id.to_owned()),
                }),
                Some(id) => walk(runbook, id, so_far, out),
            }
        }
        so_far.pop();
    }
    let mut out = Vec::new();
    let first = runbook.first_step().expect("a runbook has steps");
    walk(runbook, &first.id, &mut Vec::new(), &mut out);
    out
}

impl Route {
    /// Where the route goes after `step`: the next step on it, the step it loops back to,
    /// or `end`.
    fn after(&self, step: &str) -> Option<&str> {
        let at = self.steps.iter().position(|s| s == step)?;
        Some(match self.steps.get(at + 1) {
            Some(next) => next,
            None => self.loops_to.as_deref().unwrap_or("end"),
        })
    }

    /// The option label this route takes at `decision` the first time; on a later visit
    /// (after a loop back) the first option that goes forward in the file.
    pub fn choice(&self, runbook: &Runbook, decision: &str, visit: usize) -> String {
        let StepAction::Decision { options, .. } = &runbook.step(decision).unwrap().action else {
            panic!("{decision} is not a decision");
        };
        let index = |id: &str| runbook.steps.iter().position(|s| s.id == id);
        let here = index(decision);
        let taken = match (visit, self.after(decision)) {
            (0, Some(goto)) => options.iter().find(|o| o.goto == goto),
            _ => options
                .iter()
                .find(|o| o.goto == "end" || index(&o.goto) > here),
        };
        taken
            .unwrap_or_else(|| panic!("{decision}: no option for {self:?}"))
            .label
            .clone()
    }
}

/// Few routes that between them take every option of every decision: each route chosen
/// for the most options not yet taken.
pub fn covering_routes(runbook: &Runbook) -> Vec<Route> {
    let edges = |route: &Route| -> BTreeSet<(String, String)> {
        route
            .steps
            .iter()
            .filter(|s| matches!(runbook.step(s).unwrap().action, StepAction::Decision { .. }))
            .map(|s| (s.clone(), route.after(s).unwrap().to_owned()))
            .collect()
    };
    let all = paths(runbook);
    let mut uncovered: BTreeSet<(String, String)> = all.iter().flat_map(edges).collect();
    let mut chosen = Vec::new();
    while let Some(best) = all
        .iter()
        .filter(|r| r.loops_to.is_none() || !uncovered.is_empty())
        .max_by_key(|r| edges(r).intersection(&uncovered).count())
    {
        let gained: Vec<_> = edges(best).intersection(&uncovered).cloned().collect();
        if gained.is_empty() && !chosen.is_empty() {
            break;
        }
        uncovered.retain(|e| !gained.contains(e));
        chosen.push(best.clone());
        if uncovered.is_empty() {
            break;
        }
    }
    chosen
}
