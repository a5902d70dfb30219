//! The runbook as a graph of steps: where each step can lead, and the flowchart drawn from it.

use super::model::{Next, Runbook, Step, StepAction};
use std::collections::{BTreeSet, HashMap, VecDeque};

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
    let mut by_id: HashMap<&str, &Step> = HashMap::with_capacity(runbook.steps.len());
    for step in &runbook.steps {
        by_id.entry(step.id.as_str()).or_insert(step);
    }
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
        if let Some(step) = by_id.get(id) {
            queue.extend(successors(step).into_iter().flatten());
        }
    }
    seen
}

/// Steps from which some path reaches the end of the run: back from the steps that end it,
/// along each step's incoming links, each link walked once.
pub fn can_reach_end(runbook: &Runbook) -> BTreeSet<&str> {
    let mut leads_here: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut queue = VecDeque::new();
    for step in &runbook.steps {
        for next in successors(step) {
            match next {
                None => queue.push_back(step.id.as_str()),
                Some(id) => leads_here.entry(id).or_default().push(step.id.as_str()),
            }
        }
    }
    let mut exits = BTreeSet::new();
    while let Some(id) = queue.pop_front() {
        if exits.insert(id)
            && let Some(before) = leads_here.get(id)
        {
            queue.extend(before.iter().copied());
        }
    }
    exits
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
