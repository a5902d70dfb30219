//! Turns the raw file into the model, reporting every problem with the field it concerns.

use super::graph;
use super::inputs::check_typed;
use super::model::*;
use super::problem::{FieldPath, Level};
use super::raw::{RawInput, RawRunbook, RawStep};
use super::template::BUILTINS;
use std::collections::BTreeSet;
use std::path::PathBuf;

pub struct Validator<F: FnMut(&FieldPath, Level, String, Option<String>)> {
    pub(super) report: F,
}

/// At most this many names in a hint: it shows what would be valid, not every step of a
/// runbook of thousands (one such hint per problem would make the problems quadratic).
const HINT_NAMES: usize = 20;

/// The first names, joined, and how many more there are of `total`.
pub(super) fn listed<'a>(names: impl IntoIterator<Item = &'a str>, total: usize) -> String {
    let mut text = names
        .into_iter()
        .take(HINT_NAMES)
        .collect::<Vec<_>>()
        .join(", ");
    if total > HINT_NAMES {
        text.push_str(&format!(", … ({} more)", total - HINT_NAMES));
    }
    text
}

/// Where a `next` or a `goto` may go: a step of the runbook, or `end`.
pub(super) fn step_targets(known: &BTreeSet<&str>) -> String {
    listed(known.iter().copied().chain(["end"]), known.len() + 1)
}

pub(super) fn is_identifier(text: &str) -> bool {
    !text.is_empty()
        && text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

impl<F: FnMut(&FieldPath, Level, String, Option<String>)> Validator<F> {
    pub fn new(report: F) -> Self {
        Self { report }
    }

    pub(super) fn error(
        &mut self,
        path: &FieldPath,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        (self.report)(path, Level::Error, message.into(), hint);
    }

    pub(super) fn required(&mut self, path: &FieldPath, value: Option<String>) -> String {
        match value {
            Some(text) if !text.trim().is_empty() => text,
            _ => {
                self.error(path, "is required and must not be empty", None);
                String::new()
            }
        }
    }

    fn choice<T>(
        &mut self,
        path: &FieldPath,
        value: Option<&str>,
        parse: impl Fn(&str) -> Option<T>,
        valid: &[&str],
    ) -> Option<T> {
        let hint = Some(valid.join(", "));
        match value {
            None => {
                self.error(path, "is required", hint);
                None
            }
            Some(text) => {
                let parsed = parse(text);
                if parsed.is_none() {
                    self.error(path, format!("`{text}` is not allowed"), hint);
                }
                parsed
            }
        }
    }

    pub fn build(&mut self, raw: RawRunbook, path: PathBuf, sha256: String) -> Option<Runbook> {
        let root = FieldPath::root();
        let id = self.required(&root.key("id"), raw.id);
        if !id.is_empty() && !is_identifier(&id) {
            self.error(
                &root.key("id"),
                format!("`{id}` is not a valid id"),
                Some("lowercase letters, digits, `-` and `_`, starting with a letter".into()),
            );
        }
        let title = self.required(&root.key("title"), raw.title);
        let kind_names: Vec<_> = RunbookKind::ALL.iter().map(|k| k.name()).collect();
        let kind = self.choice(
            &root.key("kind"),
            raw.kind.as_deref(),
            RunbookKind::parse,
            &kind_names,
        );
        if let (Some(kind), Some(folder)) = (kind, path.parent().and_then(|p| p.file_name())) {
            let folder = folder.to_string_lossy();
            if RunbookKind::parse(&folder).is_some_and(|f| f != kind) {
                self.error(
                    &root.key("kind"),
                    format!(
                        "kind `{}` does not match the folder `{folder}` it sits in",
                        kind.name()
                    ),
                    Some(format!(
                        "move the file to runbooks/{}/ or set kind = \"{folder}\"",
                        kind.name()
                    )),
                );
            }
        }
        let severity_names: Vec<_> = Severity::ALL.iter().map(|s| s.name()).collect();
        let severity = self.choice(
            &root.key("severity"),
            raw.severity.as_deref(),
            Severity::parse,
            &severity_names,
        );
        let version = self.required(&root.key("version"), raw.version);
        let summary = self.required(&root.key("summary"), raw.summary);
        if raw.networks.is_empty() {
            self.error(
                &root.key("networks"),
                "lists no network",
                Some("e.g. networks = [\"mainnet\", \"sepolia\", \"demo\"]".into()),
            );
        }
        let cadence = raw.cadence.as_deref().and_then(|text| {
            let names: Vec<_> = Cadence::ALL.iter().map(|c| c.name()).collect();
            self.choice(&root.key("cadence"), Some(text), Cadence::parse, &names)
        });
        let cadence_met_by = raw.cadence_met_by.unwrap_or_default();
        if !cadence_met_by.is_empty() && raw.cadence.is_none() {
            self.error(
                &root.key("cadence_met_by"),
                "names runbooks that meet a cadence, and this runbook has none",
                Some("a `cadence`, e.g. cadence = \"quarterly\"".into()),
            );
        }
        let inputs = self.inputs(&root, raw.inputs);
        let steps = self.steps(&root, raw.steps, &inputs);
        let runbook = Runbook {
            id,
            title,
            kind: kind?,
            severity: severity?,
            version,
            summary,
            networks: raw.networks,
            roles: raw.roles,
            cadence,
            cadence_met_by,
            inputs,
            steps: steps?,
            path,
            sha256,
        };
        self.graph(&root, &runbook);
        self.chaos_outside_drills(&root, &runbook);
        self.simulation_required_without_simulate(&root, &runbook);
        Some(runbook)
    }

    /// A sign-off that requires a passing simulation needs a `simulate` step in the runbook
    /// to record one.
    fn simulation_required_without_simulate(&mut self, root: &FieldPath, runbook: &Runbook) {
        let simulates = runbook
            .steps
            .iter()
            .any(|s| matches!(s.action, StepAction::Simulate));
        for (index, step) in runbook.steps.iter().enumerate() {
            if let StepAction::Signoff {
                require_simulation: true,
                ..
            } = step.action
                && !simulates
            {
                self.error(
                    &root.key("steps").index(index).key("require_simulation"),
                    format!(
                        "sign-off `{}` requires a passing simulation, and the runbook has no `simulate` step to record one",
                        step.id
                    ),
                    Some("a step with kind = \"simulate\" after the safe-batch step".into()),
                );
            }
        }
    }

    /// A chaos step runs only in a drill run; in a runbook that is not a drill it can only
    /// be skipped when the runbook runs for real.
    fn chaos_outside_drills(&mut self, root: &FieldPath, runbook: &Runbook) {
        if runbook.kind == RunbookKind::Drill {
            return;
        }
        for (index, step) in runbook.steps.iter().enumerate() {
            if matches!(step.action, StepAction::Chaos { .. }) {
                (self.report)(
                    &root.key("steps").index(index).key("kind"),
                    Level::Warning,
                    format!(
                        "step `{}` is a chaos step in a runbook of kind `{}`: it runs only in a drill (`owner-console drill`), and a live or offline run can only skip it",
                        step.id,
                        runbook.kind.name()
                    ),
                    Some("put chaos steps in runbooks/drill/ runbooks".into()),
                );
            }
        }
    }

    fn inputs(&mut self, root: &FieldPath, raw: Vec<RawInput>) -> Vec<InputSpec> {
        let mut seen = BTreeSet::new();
        let type_names: Vec<_> = InputType::ALL.iter().map(|t| t.name()).collect();
        let mut inputs = Vec::new();
        for (index, input) in raw.into_iter().enumerate() {
            let at = root.key("inputs").index(index);
            let name = self.required(&at.key("name"), input.name);
            if !name.is_empty() && !is_identifier(&name) {
                self.error(
                    &at.key("name"),
                    format!("`{name}` is not a valid input name"),
                    Some("lowercase letters, digits, `-` and `_`".into()),
                );
            }
            if !name.is_empty() && !seen.insert(name.clone()) {
                self.error(
                    &at.key("name"),
                    format!("input `{name}` is declared twice"),
                    None,
                );
            }
            if BUILTINS.contains(&name.as_str()) {
                self.error(
                    &at.key("name"),
                    format!("`{name}` is filled in by the run itself and cannot be an input"),
                    Some(format!("another name; reserved: {}", BUILTINS.join(", "))),
                );
            }
            let Some(kind) = self.choice(
                &at.key("type"),
                input.kind.as_deref(),
                InputType::parse,
                &type_names,
            ) else {
                continue;
            };
            let options = input.options.unwrap_or_default();
            if kind == InputType::Enum && options.is_empty() {
                self.error(
                    &at.key("options"),
                    "an enum input needs its options",
                    Some("options = [\"low\", \"medium\", \"high\"]".into()),
                );
            }
            for (field, value) in [
                ("default", &input.default),
                ("drill_default", &input.drill_default),
            ] {
                if let Some(value) = value
                    && kind != InputType::File
                    && let Err(why) = check_typed(kind, &options, value)
                {
                    self.error(&at.key(field), why.to_string(), None);
                }
            }
            inputs.push(InputSpec {
                name,
                kind,
                description: input.description.unwrap_or_default(),
                required: input.required.unwrap_or(true),
                default: input.default,
                drill_default: input.drill_default,
                options,
            });
        }
        inputs
    }

    fn steps(
        &mut self,
        root: &FieldPath,
        raw: Vec<RawStep>,
        inputs: &[InputSpec],
    ) -> Option<Vec<Step>> {
        if raw.is_empty() {
            self.error(
                &root.key("steps"),
                "the runbook has no steps",
                Some("at least one [[steps]] table".into()),
            );
            return None;
        }
        let ids: Vec<Option<String>> = raw.iter().map(|s| s.id.clone()).collect();
        let known: BTreeSet<&str> = ids.iter().flatten().map(String::as_str).collect();
        let input_names: BTreeSet<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
        let mut seen = BTreeSet::new();
        let mut steps = Vec::new();
        let mut complete = true;
        for (index, mut step) in raw.into_iter().enumerate() {
            let at = root.key("steps").index(index);
            let id = self.required(&at.key("id"), step.id.take());
            if id == "end" {
                self.error(
                    &at.key("id"),
                    "`end` is reserved for the end of a run",
                    None,
                );
            } else if !id.is_empty() && !is_identifier(&id) {
                self.error(
                    &at.key("id"),
                    format!("`{id}` is not a valid step id"),
                    Some("lowercase letters, digits, `-` and `_`".into()),
                );
            }
            if let Some(given) = ids[index].as_deref()
                && !id.is_empty()
                && !seen.insert(given)
            {
                self.error(
                    &at.key("id"),
                    format!("duplicate step id `{id}`"),
                    Some("every step id must be unique".into()),
                );
            }
            let title = self.required(&at.key("title"), step.title.take());
            let next = match step.next.as_deref() {
                None if index + 1 < ids.len() => {
                    ids[index + 1].clone().map(Next::Step).unwrap_or(Next::End)
                }
                None | Some("end") => Next::End,
                Some(target) if known.contains(target) => Next::Step(target.to_owned()),
                Some(target) => {
                    self.error(
                        &at.key("next"),
                        format!("`next` goes to `{target}`, which is no step"),
                        Some(step_targets(&known)),
                    );
                    Next::End
                }
            };
            let Some(action) = self.action(&at, &mut step, &input_names, &known) else {
                complete = false;
                continue;
            };
            steps.push(Step {
                id,
                title,
                body: step.body.unwrap_or_default(),
                next,
                confirm: step.confirm,
                skippable: step
                    .skippable
                    .unwrap_or(!matches!(action, StepAction::Decision { .. })),
                action,
            });
        }
        complete.then_some(steps)
    }

    fn graph(&mut self, root: &FieldPath, runbook: &Runbook) {
        let reachable = graph::reachable(runbook);
        let exits = graph::can_reach_end(runbook);
        for (index, step) in runbook.steps.iter().enumerate() {
            let at = || root.key("steps").index(index).key("id");
            if !reachable[index] {
                self.error(
                    &at(),
                    format!(
                        "step `{}` can never be reached from the first step",
                        step.id
                    ),
                    Some("point a `next` or an option's `goto` at it, or remove it".into()),
                );
            } else if !exits[index] {
                self.error(
                    &at(),
                    format!(
                        "step `{}` is in a cycle with no exit: every path from it loops forever",
                        step.id
                    ),
                    Some("give one step of the loop a `next` or `goto` that leaves it".into()),
                );
            }
        }
    }
}
