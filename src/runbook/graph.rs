//! The runbook as a graph of steps: where each step can lead, and the flowchart drawn from it.

use super::model::{Next, Runbook, Step, StepAction};
use std::collections::HashMap;

/// Where a step can lead: a decision's options, or its `next`. `None` stands for the end.
pub fn successors(step: &Step) -> Vec<Option<&str>> {
    let mut found = Vec::new();
    each_successor(step, |next| found.push(next));
    found
}

fn each_successor<'a>(step: &'a Step, mut visit: impl FnMut(Option<&'a str>)) {
    match &step.action {
        StepAction::Decision { options, .. } => {
            for option in options {
                visit((option.goto != "end").then_some(option.goto.as_str()));
            }
        }
        _ => match &step.next {
            Next::Step(id) => visit(Some(id.as_str())),
            Next::End => visit(None),
        },
    }
}

/// The position of each id's first step, the one `Runbook::step` finds: a step is reached,
/// or reaches the end, as its id's first step does.
fn first_positions(runbook: &Runbook) -> HashMap<&str, usize> {
    let mut first = HashMap::with_capacity(runbook.steps.len());
    for (position, step) in runbook.steps.iter().enumerate() {
        first.entry(step.id.as_str()).or_insert(position);
    }
    first
}

/// For each step (by position), whether it can be reached from the first step.
pub fn reachable(runbook: &Runbook) -> Vec<bool> {
    let first = first_positions(runbook);
    let mut seen = vec![false; runbook.steps.len()];
    let mut stack: Vec<usize> = (!runbook.steps.is_empty())
        .then_some(0)
        .into_iter()
        .collect();
    while let Some(position) = stack.pop() {
        if std::mem::replace(&mut seen[position], true) {
            continue;
        }
        each_successor(&runbook.steps[position], |next| {
            if let Some(&to) = next.and_then(|id| first.get(id)) {
                stack.push(to);
            }
        });
    }
    as_first_steps(runbook, &first, &seen)
}

/// For each step (by position), whether some path from it reaches the end of the run: back
/// from the steps that end it, along the links into each step, each link walked once.
pub fn can_reach_end(runbook: &Runbook) -> Vec<bool> {
    let first = first_positions(runbook);
    let count = runbook.steps.len();
    // The links into each id's first step, grouped by it: `into[starts[p]..starts[p + 1]]`.
    let mut links = Vec::new();
    let mut exits = vec![false; count];
    let mut queue = Vec::new();
    for step in &runbook.steps {
        let from = first[step.id.as_str()];
        each_successor(step, |next| match next {
            None => queue.push(from),
            Some(id) => links.extend(first.get(id).map(|&to| (to, from))),
        });
    }
    let mut starts = vec![0usize; count + 1];
    for &(to, _) in &links {
        starts[to + 1] += 1;
    }
    for position in 0..count {
        starts[position + 1] += starts[position];
    }
    let mut into = vec![0usize; links.len()];
    let mut filled = starts.clone();
    for &(to, from) in &links {
        into[filled[to]] = from;
        filled[to] += 1;
    }
    while let Some(position) = queue.pop() {
        if !std::mem::replace(&mut exits[position], true) {
            queue.extend_from_slice(&into[starts[position]..starts[position + 1]]);
        }
    }
    as_first_steps(runbook, &first, &exits)
}

/// `marks` (set on each id's first step) spread to every step of the same id.
fn as_first_steps(runbook: &Runbook, first: &HashMap<&str, usize>, marks: &[bool]) -> Vec<bool> {
    runbook
        .steps
        .iter()
        .map(|step| marks[first[step.id.as_str()]])
        .collect()
}

/// How a step stands in a run, for drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Done,
    Current,
    Skipped,
    Pending,
    /// The run ended without it (a branch not taken, or steps after an abort).
    NotTaken,
}

impl Mark {
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Done => "✓",
            Self::Current => "▶",
            Self::Skipped => "↷",
            Self::Pending => "·",
            Self::NotTaken => "–",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Current => "current",
            Self::Skipped => "skipped",
            Self::Pending => "pending",
            Self::NotTaken => "not taken",
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
