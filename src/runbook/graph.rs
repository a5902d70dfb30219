//! The runbook as a graph of steps: where each step can lead, and the flowchart drawn from it.

use super::model::{Next, Runbook, Step, StepAction};
use std::collections::{BTreeSet, VecDeque};

/// Where a step can lead: a decision's options, or its `next`. `None` stands for the end.
pub fn successors(step: &Step) -> Vec<Option<&str>> {
    match &step.action {
        StepAction::Decision { options, .. } => options
            .iter()
            .map(|option| (option.goto != "end").then_some(option.goto.as_str()))
            .collect(),
        _ => match &step.next {
            Next::Step(id) => vec![Some(id.as_str())],
            Next::End => vec![None],
        },
    }
}

pub fn reachable(runbook: &Runbook) -> BTreeSet<&str> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<&str> = runbook
        .first_step()
        .map(|s| s.id.as_str())
        .into_iter()
        .collect();
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(step) = runbook.step(id) {
            queue.extend(successors(step).into_iter().flatten());
        }
    }
    seen
}

/// Steps from which some path reaches the end of the run.
pub fn can_reach_end(runbook: &Runbook) -> BTreeSet<&str> {
    let mut exits: BTreeSet<&str> = BTreeSet::new();
    loop {
        let before = exits.len();
        // Backwards, since most steps lead to a later one: one pass then settles nearly all.
        for step in runbook.steps.iter().rev() {
            let leaves = successors(step)
                .into_iter()
                .any(|next| next.is_none_or(|id| exits.contains(id)));
            if leaves {
                exits.insert(step.id.as_str());
            }
        }
        if exits.len() == before {
            return exits;
        }
    }
}

/// How a step stands in a run, for drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Done,
    Current,
    Skipped,
    Pending,
}

impl Mark {
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Done => "✓",
            Self::Current => "▶",
            Self::Skipped => "↷",
            Self::Pending => "·",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Current => "current",
            Self::Skipped => "skipped",
            Self::Pending => "pending",
        }
    }
}

/// One line of the flowchart: indentation shows the branch a step sits under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowLine {
    pub depth: usize,
    pub step_id: Option<String>,
    pub text: String,
}

/// The flowchart as lines: steps in file order, each decision followed by its branches
/// (`├─ High → incident-response`), and each step's jump when it does not fall through.
pub fn flowchart(runbook: &Runbook) -> Vec<FlowLine> {
    let mut lines = Vec::new();
    for (index, step) in runbook.steps.iter().enumerate() {
        lines.push(FlowLine {
            depth: 0,
            step_id: Some(step.id.clone()),
            text: format!("{} [{}] {}", step.id, step.action.kind_name(), step.title),
        });
        match &step.action {
            StepAction::Decision { options, .. } => {
                for (position, option) in options.iter().enumerate() {
                    let branch = if position + 1 == options.len() {
                        "└─"
                    } else {
                        "├─"
                    };
                    lines.push(FlowLine {
                        depth: 1,
                        step_id: None,
                        text: format!("{branch} {} → {}", option.label, option.goto),
                    });
                }
            }
            _ => {
                let falls_through = match &step.next {
                    Next::Step(id) => runbook.steps.get(index + 1).is_some_and(|s| &s.id == id),
                    Next::End => index + 1 == runbook.steps.len(),
                };
                if !falls_through {
                    let target = match &step.next {
                        Next::Step(id) => id.as_str(),
                        Next::End => "end",
                    };
                    lines.push(FlowLine {
                        depth: 1,
                        step_id: None,
                        text: format!("└→ {target}"),
                    });
                }
            }
        }
    }
    lines
}
