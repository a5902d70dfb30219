//! Turns the raw file into the model, reporting every problem with the field it concerns.

use super::graph;
use super::inputs::check_typed;
use super::model::*;
use super::problem::{FieldPath, Level};
use super::raw::{RawInput, RawRunbook, RawStep};
use super::template::{BUILTINS, placeholders};
use std::collections::BTreeSet;
use std::path::PathBuf;

const STEP_KINDS: [&str; 11] = [
    "checklist",
    "command",
    "decision",
    "note",
    "evidence",
    "http-check",
    "diff",
    "chain-check",
    "safe-batch",
    "receipt",
    "signoff",
];
const COMMON_STEP_FIELDS: [&str; 7] = ["id", "title", "body", "kind", "next", "confirm", "skippable"];
const CHECK_OPS: [&str; 8] = ["==", "!=", "<", "<=", ">", ">=", "in", "role"];

fn kind_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "checklist" => &["items"],
        "command" => &["command", "run", "timeout_secs", "expect_exit"],
        "decision" => &["question", "options"],
        "note" => &["prompt", "required"],
        "evidence" => &["files", "min_files"],
        "http-check" => &["url", "timeout_secs", "expect_status", "json_pointer", "json_equals"],
        "diff" => &["domains", "block_on_violation"],
        "chain-check" => &["checks"],
        "safe-batch" => &["source", "calls"],
        "receipt" => &["contract", "events"],
        "signoff" => &["quorum", "signer_roles", "exclude_executor", "require_fingerprint"],
        _ => &[],
    }
}

pub struct Validator<F: FnMut(&FieldPath, Level, String, Option<String>)> {
    report: F,
}

fn is_identifier(text: &str) -> bool {
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

    fn error(&mut self, path: &FieldPath, message: impl Into<String>, hint: Option<String>) {
        (self.report)(path, Level::Error, message.into(), hint);
    }

    fn warn(&mut self, path: &FieldPath, message: impl Into<String>) {
        (self.report)(path, Level::Warning, message.into(), None);
    }

    fn required(&mut self, path: &FieldPath, value: Option<String>) -> String {
        match value {
            Some(text) if !text.trim().is_empty() => text,
            _ => {
                self.error(path, "is required and must not be empty", None);
                String::new()
            }
        }
    }

    fn choice<T>(&mut self, path: &FieldPath, value: Option<&str>, parse: impl Fn(&str) -> Option<T>, valid: &[&str]) -> Option<T> {
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
            self.error(&root.key("id"), format!("`{id}` is not a valid id"), Some("lowercase letters, digits, `-` and `_`, starting with a letter".into()));
        }
        let title = self.required(&root.key("title"), raw.title);
        let kind_names: Vec<_> = RunbookKind::ALL.iter().map(|k| k.name()).collect();
        let kind = self.choice(&root.key("kind"), raw.kind.as_deref(), RunbookKind::parse, &kind_names);
        if let (Some(kind), Some(folder)) = (kind, path.parent().and_then(|p| p.file_name())) {
            let folder = folder.to_string_lossy();
            if RunbookKind::parse(&folder).is_some_and(|f| f != kind) {
                self.error(&root.key("kind"), format!("kind `{}` does not match the folder `{folder}` it sits in", kind.name()), Some(format!("move the file to runbooks/{}/ or set kind = \"{folder}\"", kind.name())));
            }
        }
        let severity_names: Vec<_> = Severity::ALL.iter().map(|s| s.name()).collect();
        let severity = self.choice(&root.key("severity"), raw.severity.as_deref(), Severity::parse, &severity_names);
        let version = self.required(&root.key("version"), raw.version);
        let summary = self.required(&root.key("summary"), raw.summary);
        if raw.networks.is_empty() {
            self.error(&root.key("networks"), "lists no network", Some("e.g. networks = [\"mainnet\", \"sepolia\", \"demo\"]".into()));
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
            inputs,
            steps: steps?,
            path,
            sha256,
        };
        self.graph(&root, &runbook);
        Some(runbook)
    }

    fn inputs(&mut self, root: &FieldPath, raw: Vec<RawInput>) -> Vec<InputSpec> {
        let mut seen = BTreeSet::new();
        let type_names: Vec<_> = InputType::ALL.iter().map(|t| t.name()).collect();
        let mut inputs = Vec::new();
        for (index, input) in raw.into_iter().enumerate() {
            let at = root.key("inputs").index(index);
            let name = self.required(&at.key("name"), input.name);
            if !name.is_empty() && !is_identifier(&name) {
                self.error(&at.key("name"), format!("`{name}` is not a valid input name"), Some("lowercase letters, digits, `-` and `_`".into()));
            }
            if !name.is_empty() && !seen.insert(name.clone()) {
                self.error(&at.key("name"), format!("input `{name}` is declared twice"), None);
            }
            if BUILTINS.contains(&name.as_str()) {
                self.error(&at.key("name"), format!("`{name}` is filled in by the run itself and cannot be an input"), Some(format!("another name; reserved: {}", BUILTINS.join(", "))));
            }
            let Some(kind) = self.choice(&at.key("type"), input.kind.as_deref(), InputType::parse, &type_names) else {
                continue;
            };
            let options = input.options.unwrap_or_default();
            if kind == InputType::Enum && options.is_empty() {
                self.error(&at.key("options"), "an enum input needs its options", Some("options = [\"low\", \"medium\", \"high\"]".into()));
            }
            if let Some(default) = &input.default
                && kind != InputType::File
                && let Err(why) = check_typed(kind, &options, default)
            {
                self.error(&at.key("default"), why, None);
            }
            inputs.push(InputSpec {
                name,
                kind,
                description: input.description.unwrap_or_default(),
                required: input.required.unwrap_or(true),
                default: input.default,
                options,
            });
        }
        inputs
    }

    fn steps(&mut self, root: &FieldPath, raw: Vec<RawStep>, inputs: &[InputSpec]) -> Option<Vec<Step>> {
        if raw.is_empty() {
            self.error(&root.key("steps"), "the runbook has no steps", Some("at least one [[steps]] table".into()));
            return None;
        }
        let ids: Vec<Option<String>> = raw.iter().map(|s| s.id.clone()).collect();
        let known: BTreeSet<&str> = ids.iter().flatten().map(String::as_str).collect();
        let valid_targets = || known.iter().copied().chain(["end"]).collect::<Vec<_>>().join(", ");
        let mut seen = BTreeSet::new();
        let mut steps = Vec::new();
        let mut complete = true;
        for (index, step) in raw.into_iter().enumerate() {
            let at = root.key("steps").index(index);
            let id = self.required(&at.key("id"), step.id.clone());
            if id == "end" {
                self.error(&at.key("id"), "`end` is reserved for the end of a run", None);
            } else if !id.is_empty() && !is_identifier(&id) {
                self.error(&at.key("id"), format!("`{id}` is not a valid step id"), Some("lowercase letters, digits, `-` and `_`".into()));
            }
            if !id.is_empty() && !seen.insert(id.clone()) {
                self.error(&at.key("id"), format!("duplicate step id `{id}`"), Some("every step id must be unique".into()));
            }
            let title = self.required(&at.key("title"), step.title.clone());
            let next = match step.next.as_deref() {
                None if index + 1 < ids.len() => ids[index + 1].clone().map(Next::Step).unwrap_or(Next::End),
                None | Some("end") => Next::End,
                Some(target) if known.contains(target) => Next::Step(target.to_owned()),
                Some(target) => {
                    self.error(&at.key("next"), format!("`next` goes to `{target}`, which is no step"), Some(valid_targets()));
                    Next::End
                }
            };
            let Some(action) = self.action(&at, &step, inputs, &known) else {
                complete = false;
                continue;
            };
            steps.push(Step {
                id,
                title,
                body: step.body.unwrap_or_default(),
                next,
                confirm: step.confirm,
                skippable: step.skippable.unwrap_or(!matches!(action, StepAction::Decision { .. })),
                action,
            });
        }
        complete.then_some(steps)
    }

    fn action(&mut self, at: &FieldPath, step: &RawStep, inputs: &[InputSpec], known: &BTreeSet<&str>) -> Option<StepAction> {
        let kind = step.kind.as_deref();
        let Some(kind) = kind.filter(|k| STEP_KINDS.contains(k)) else {
            let message = match kind {
                None => "is required".to_owned(),
                Some(other) => format!("unknown step kind `{other}`"),
            };
            self.error(&at.key("kind"), message, Some(STEP_KINDS.join(", ")));
            return None;
        };
        self.foreign_fields(at, step, kind);
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let action = match kind {
            "checklist" => {
                let items = step.items.clone().unwrap_or_default();
                if items.is_empty() {
                    self.error(&at.key("items"), "a checklist needs at least one item", Some("items = [\"…\"]".into()));
                }
                StepAction::Checklist { items }
            }
            "command" => {
                let command = self.required(&at.key("command"), step.command.clone());
                self.template(&at.key("command"), &command, inputs);
                let run = match step.run.as_deref() {
                    None | Some("never") => CommandRun::Never,
                    Some("confirm") => CommandRun::Confirm,
                    Some(other) => {
                        self.error(&at.key("run"), format!("`{other}` is not allowed"), Some("never, confirm".into()));
                        CommandRun::Never
                    }
                };
                StepAction::Command { command, run, timeout_secs: self.timeout(at, step, 60), expect_exit: step.expect_exit.unwrap_or(0) }
            }
            "decision" => {
                let question = self.required(&at.key("question"), step.question.clone());
                let raw_options = step.options.clone().unwrap_or_default();
                if raw_options.len() < 2 {
                    self.error(&at.key("options"), "a decision needs at least two options", None);
                }
                let mut labels = BTreeSet::new();
                let mut options = Vec::new();
                for (index, option) in raw_options.into_iter().enumerate() {
                    let o = at.key("options").index(index);
                    let label = self.required(&o.key("label"), option.label);
                    if !labels.insert(label.to_lowercase()) {
                        self.error(&o.key("label"), format!("option `{label}` appears twice"), None);
                    }
                    let goto = self.required(&o.key("goto"), option.goto);
                    if !goto.is_empty() && goto != "end" && !known.contains(goto.as_str()) {
                        let valid = known.iter().copied().chain(["end"]).collect::<Vec<_>>().join(", ");
                        self.error(&o.key("goto"), format!("goto `{goto}`, which is no step"), Some(valid));
                    }
                    options.push(DecisionOption { label, goto, description: option.description.unwrap_or_default() });
                }
                StepAction::Decision { question, options }
            }
            "note" => StepAction::Note { prompt: text(&step.prompt), required: step.required.unwrap_or(true) },
            "evidence" => StepAction::Evidence { files: step.files.clone().unwrap_or_default(), min_files: step.min_files.unwrap_or(1) },
            "http-check" => {
                let url = self.required(&at.key("url"), step.url.clone());
                self.template(&at.key("url"), &url, inputs);
                if !url.is_empty() && !url.starts_with("http://") && !url.starts_with("https://") {
                    self.error(&at.key("url"), format!("`{url}` is not an http(s) URL"), None);
                }
                if step.json_equals.is_some() != step.json_pointer.is_some() {
                    self.error(&at.key("json_pointer"), "`json_pointer` and `json_equals` go together", None);
                }
                StepAction::HttpCheck {
                    url,
                    timeout_secs: self.timeout(at, step, 10),
                    expect_status: step.expect_status.unwrap_or(200),
                    json_pointer: step.json_pointer.clone(),
                    json_equals: step.json_equals.clone(),
                }
            }
            "diff" => StepAction::Diff { domains: step.domains.clone().unwrap_or_default(), block_on_violation: step.block_on_violation.unwrap_or(true) },
            "chain-check" => StepAction::ChainCheck { checks: self.checks(at, step) },
            "safe-batch" => {
                let source = step.source.clone().unwrap_or_else(|| if step.calls.is_some() { "calls".into() } else { "diff".into() });
                if source != "diff" && source != "calls" {
                    self.error(&at.key("source"), format!("`{source}` is not allowed"), Some("diff, calls".into()));
                }
                let mut calls = Vec::new();
                for (index, call) in step.calls.clone().unwrap_or_default().into_iter().enumerate() {
                    let c = at.key("calls").index(index);
                    let contract = self.required(&c.key("contract"), call.contract);
                    let method = self.required(&c.key("method"), call.method);
                    self.signature(&c.key("method"), &method);
                    calls.push(ContractCall { contract, method, args: call.args });
                }
                if source == "calls" && calls.is_empty() {
                    self.error(&at.key("calls"), "a safe-batch from `calls` lists no call", None);
                }
                StepAction::SafeBatch { source, calls }
            }
            "receipt" => {
                let events = step.events.clone().unwrap_or_default();
                for (index, event) in events.iter().enumerate() {
                    self.signature(&at.key("events").index(index), event);
                }
                StepAction::Receipt { contract: self.required(&at.key("contract"), step.contract.clone()), events }
            }
            _ => {
                let quorum = step.quorum.unwrap_or(0);
                if quorum == 0 {
                    self.error(&at.key("quorum"), "a signoff needs a quorum of at least 1", None);
                }
                StepAction::Signoff {
                    quorum,
                    signer_roles: step.signer_roles.clone().unwrap_or_default(),
                    exclude_executor: step.exclude_executor.unwrap_or(true),
                    require_fingerprint: step.require_fingerprint.unwrap_or(false),
                }
            }
        };
        Some(action)
    }

    fn foreign_fields(&mut self, at: &FieldPath, step: &RawStep, kind: &str) {
        let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(step) else {
            return;
        };
        let allowed = kind_fields(kind);
        for (field, value) in fields {
            if value.is_null() || COMMON_STEP_FIELDS.contains(&field.as_str()) || allowed.contains(&field.as_str()) {
                continue;
            }
            let owner = STEP_KINDS.iter().find(|k| kind_fields(k).contains(&field.as_str())).copied().unwrap_or("?");
            self.error(&at.key(&field), format!("`{field}` belongs to `{owner}` steps, not to a `{kind}` step"), Some(format!("for `{kind}`: {}", allowed.join(", "))));
        }
    }

    fn timeout(&mut self, at: &FieldPath, step: &RawStep, default: u64) -> u64 {
        let value = step.timeout_secs.unwrap_or(default);
        if !(1..=3600).contains(&value) {
            self.error(&at.key("timeout_secs"), format!("{value} seconds is out of range"), Some("1 to 3600".into()));
        }
        value
    }

    fn template(&mut self, path: &FieldPath, template: &str, inputs: &[InputSpec]) {
        match placeholders(template) {
            Err(error) => self.error(path, error.to_string(), None),
            Ok(found) => {
                for placeholder in found {
                    if !inputs.iter().any(|input| input.name == placeholder.name) && !BUILTINS.contains(&placeholder.name.as_str()) {
                        let valid = inputs.iter().map(|i| i.name.as_str()).chain(BUILTINS).collect::<Vec<_>>().join(", ");
                        self.error(path, format!("`{{{{{}}}}}` names no declared input", placeholder.name), Some(valid));
                    }
                }
            }
        }
    }

    fn signature(&mut self, path: &FieldPath, text: &str) {
        let well_formed = text.find('(').is_some_and(|open| {
            open > 0 && text.ends_with(')') && text[..open].chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if !text.is_empty() && !well_formed {
            self.error(path, format!("`{text}` is not a Solidity signature"), Some("e.g. `setSigner(address,bool)`".into()));
        }
    }

    fn checks(&mut self, at: &FieldPath, step: &RawStep) -> Vec<ChainCheck> {
        let raw = step.checks.clone().unwrap_or_default();
        if raw.is_empty() {
            self.error(&at.key("checks"), "a chain-check needs at least one check", None);
        }
        let mut checks = Vec::new();
        for (index, check) in raw.into_iter().enumerate() {
            let c = at.key("checks").index(index);
            let contract = self.required(&c.key("contract"), check.contract);
            let call = self.required(&c.key("call"), check.call);
            self.signature(&c.key("call"), call.split(")(").next().map(|head| format!("{head})")).as_deref().unwrap_or(""));
            let op = check.op.unwrap_or_else(|| "==".into());
            if !CHECK_OPS.contains(&op.as_str()) {
                self.error(&c.key("op"), format!("`{op}` is not an operator"), Some(CHECK_OPS.join(" ")));
            }
            let values = check.values.unwrap_or_default();
            if op == "in" && values.is_empty() {
                self.error(&c.key("values"), "`in` needs a list of values", None);
            } else if op != "in" && check.value.is_none() {
                self.error(&c.key("value"), "is required for this operator", None);
            }
            checks.push(ChainCheck { contract, call, op, value: check.value, values });
        }
        checks
    }

    fn graph(&mut self, root: &FieldPath, runbook: &Runbook) {
        let reachable = graph::reachable(runbook);
        let exits = graph::can_reach_end(runbook);
        for (index, step) in runbook.steps.iter().enumerate() {
            let at = root.key("steps").index(index).key("id");
            if !reachable.contains(step.id.as_str()) {
                self.error(&at, format!("step `{}` can never be reached from the first step", step.id), Some("point a `next` or an option's `goto` at it, or remove it".into()));
            } else if !exits.contains(step.id.as_str()) {
                self.error(&at, format!("step `{}` is in a cycle with no exit: every path from it loops forever", step.id), Some("give one step of the loop a `next` or `goto` that leaves it".into()));
            }
            if !step.action.is_supported() {
                self.warn(&root.key("steps").index(index).key("kind"), format!("`{}` steps are not carried out by this version; a run must skip it with a reason", step.action.kind_name()));
            }
        }
    }
}
