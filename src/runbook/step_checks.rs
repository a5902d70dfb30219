//! The checks of each step kind: required fields, fields that belong to another kind,
//! templates, Solidity signatures and chain-check operators.

use super::chaos::Fault;
use super::model::*;
use super::problem::{FieldPath, Level};
use super::raw::RawStep;
use super::template::{BUILTINS, placeholders};
use super::validate::{Validator, listed, step_targets};
use std::collections::BTreeSet;

pub const STEP_KINDS: [&str; 13] = [
    "checklist",
    "command",
    "decision",
    "note",
    "evidence",
    "http-check",
    "diff",
    "chain-check",
    "safe-batch",
    "simulate",
    "receipt",
    "signoff",
    "chaos",
];
pub(super) const COMMON_STEP_FIELDS: [&str; 7] = [
    "id",
    "title",
    "body",
    "kind",
    "next",
    "confirm",
    "skippable",
];
const CHECK_OPS: [&str; 8] = ["==", "!=", "<", "<=", ">", ">=", "in", "role"];

fn kind_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "checklist" => &["items"],
        "command" => &["command", "run", "timeout_secs", "expect_exit", "env"],
        "decision" => &["question", "options"],
        "note" => &["prompt", "required"],
        "evidence" => &["files", "min_files"],
        "http-check" => &[
            "url",
            "timeout_secs",
            "expect_status",
            "json_pointer",
            "json_equals",
        ],
        "diff" => &[
            "domains",
            "block_on_violation",
            "expect_agreement",
            "proposed",
        ],
        "chain-check" => &["checks"],
        "safe-batch" => &["source", "calls", "proposed", "allow_incomplete"],
        "receipt" => &["contract", "events"],
        "signoff" => &[
            "quorum",
            "signer_roles",
            "exclude_executor",
            "require_fingerprint",
            "require_simulation",
        ],
        "chaos" => &["fault"],
        _ => &[],
    }
}

impl<F: FnMut(&FieldPath, Level, String, Option<String>)> Validator<F> {
    pub(super) fn action(
        &mut self,
        at: &FieldPath,
        step: &mut RawStep,
        inputs: &BTreeSet<&str>,
        known: &BTreeSet<&str>,
    ) -> Option<StepAction> {
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
        let action = match kind {
            "checklist" => {
                let items = step.items.take().unwrap_or_default();
                if items.is_empty() {
                    self.error(
                        &at.key("items"),
                        "a checklist needs at least one item",
                        Some("items = [\"…\"]".into()),
                    );
                }
                StepAction::Checklist { items }
            }
            "command" => {
                let command = self.required(&at.key("command"), step.command.take());
                self.template(&at.key("command"), &command, inputs);
                let run = match step.run.as_deref() {
                    None | Some("never") => CommandRun::Never,
                    Some("confirm") => CommandRun::Confirm,
                    Some(other) => {
                        self.error(
                            &at.key("run"),
                            format!("`{other}` is not allowed"),
                            Some("never, confirm".into()),
                        );
                        CommandRun::Never
                    }
                };
                StepAction::Command {
                    command,
                    run,
                    timeout_secs: self.timeout(at, step, 60),
                    expect_exit: step.expect_exit.unwrap_or(0),
                    env: self.command_env(at, step),
                }
            }
            "decision" => {
                let question = self.required(&at.key("question"), step.question.take());
                let raw_options = step.options.take().unwrap_or_default();
                if raw_options.len() < 2 {
                    self.error(
                        &at.key("options"),
                        "a decision needs at least two options",
                        None,
                    );
                }
                let mut labels = BTreeSet::new();
                let mut options = Vec::new();
                for (index, option) in raw_options.into_iter().enumerate() {
                    let o = at.key("options").index(index);
                    let label = self.required(&o.key("label"), option.label);
                    if !labels.insert(label.to_lowercase()) {
                        self.error(
                            &o.key("label"),
                            format!("option `{label}` appears twice"),
                            None,
                        );
                    }
                    let goto = self.required(&o.key("goto"), option.goto);
                    if !goto.is_empty() && goto != "end" && !known.contains(goto.as_str()) {
                        self.error(
                            &o.key("goto"),
                            format!("goto `{goto}`, which is no step"),
                            Some(step_targets(known)),
                        );
                    }
                    options.push(DecisionOption {
                        label,
                        goto,
                        description: option.description.unwrap_or_default(),
                    });
                }
                StepAction::Decision { question, options }
            }
            "note" => StepAction::Note {
                prompt: step.prompt.take().unwrap_or_default(),
                required: step.required.unwrap_or(true),
            },
            "evidence" => StepAction::Evidence {
                files: step.files.take().unwrap_or_default(),
                min_files: step.min_files.unwrap_or(1),
            },
            "http-check" => {
                let url = self.required(&at.key("url"), step.url.take());
                self.template(&at.key("url"), &url, inputs);
                if !url.is_empty() && !url.starts_with("http://") && !url.starts_with("https://") {
                    self.error(
                        &at.key("url"),
                        format!("`{url}` is not an http(s) URL"),
                        None,
                    );
                }
                if step.json_equals.is_some() != step.json_pointer.is_some() {
                    self.error(
                        &at.key("json_pointer"),
                        "`json_pointer` and `json_equals` go together",
                        None,
                    );
                }
                StepAction::HttpCheck {
                    url,
                    timeout_secs: self.timeout(at, step, 10),
                    expect_status: step.expect_status.unwrap_or(200),
                    json_pointer: step.json_pointer.take(),
                    json_equals: step.json_equals.take(),
                }
            }
            "diff" => StepAction::Diff {
                proposed: self.proposed(at, step, inputs),
                domains: step.domains.take().unwrap_or_default(),
                block_on_violation: step.block_on_violation.unwrap_or(true),
                expect_agreement: step.expect_agreement.unwrap_or(false),
            },
            "chain-check" => {
                let checks = self.checks(at, step);
                for (index, check) in checks.iter().enumerate() {
                    let c = at.key("checks").index(index);
                    if let Some(value) = &check.value {
                        self.template(&c.key("value"), value, inputs);
                    }
                    for (position, value) in check.values.iter().enumerate() {
                        self.template(&c.key("values").index(position), value, inputs);
                    }
                }
                StepAction::ChainCheck { checks }
            }
            "safe-batch" => {
                let source = step.source.take().unwrap_or_else(|| {
                    if step.calls.is_some() {
                        "calls".into()
                    } else {
                        "diff".into()
                    }
                });
                if source != "diff" && source != "calls" {
                    self.error(
                        &at.key("source"),
                        format!("`{source}` is not allowed"),
                        Some("diff, calls".into()),
                    );
                }
                let mut calls = Vec::new();
                for (index, call) in step
                    .calls
                    .take()
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                {
                    let c = at.key("calls").index(index);
                    let contract = self.required(&c.key("contract"), call.contract);
                    let method = self.required(&c.key("method"), call.method);
                    self.signature(&c.key("method"), &method);
                    calls.push(ContractCall {
                        contract,
                        method,
                        args: call.args,
                    });
                }
                let allow_incomplete = step.allow_incomplete.take();
                if source == "calls" && allow_incomplete.is_some() {
                    self.error(
                        &at.key("allow_incomplete"),
                        "only a safe-batch from the diff compares values",
                        Some("source = \"diff\"".into()),
                    );
                }
                if source == "calls" && calls.is_empty() {
                    self.error(
                        &at.key("calls"),
                        "a safe-batch from `calls` lists no call",
                        None,
                    );
                }
                StepAction::SafeBatch {
                    source,
                    calls,
                    proposed: self.proposed(at, step, inputs),
                    allow_incomplete: allow_incomplete.unwrap_or(false),
                }
            }
            "simulate" => StepAction::Simulate,
            "receipt" => {
                let events = step.events.take().unwrap_or_default();
                for (index, event) in events.iter().enumerate() {
                    self.signature(&at.key("events").index(index), event);
                }
                StepAction::Receipt {
                    contract: self.required(&at.key("contract"), step.contract.take()),
                    events,
                }
            }
            "chaos" => {
                let names: Vec<_> = Fault::ALL.iter().map(|f| f.name()).collect();
                let path = at.key("fault");
                let fault = match step.fault.as_deref() {
                    None => {
                        self.error(
                            &path,
                            "a chaos step needs its fault",
                            Some(names.join(", ")),
                        );
                        return None;
                    }
                    Some(text) => Fault::parse(text).or_else(|| {
                        self.error(
                            &path,
                            format!("unknown fault `{text}`"),
                            Some(names.join(", ")),
                        );
                        None
                    })?,
                };
                StepAction::Chaos { fault }
            }
            _ => {
                let quorum = step.quorum.unwrap_or(0);
                if quorum == 0 {
                    self.error(
                        &at.key("quorum"),
                        "a signoff needs a quorum of at least 1",
                        None,
                    );
                }
                StepAction::Signoff {
                    quorum,
                    signer_roles: step.signer_roles.take().unwrap_or_default(),
                    exclude_executor: step.exclude_executor.unwrap_or(true),
                    require_fingerprint: step.require_fingerprint.unwrap_or(false),
                    require_simulation: step.require_simulation.unwrap_or(false),
                }
            }
        };
        Some(action)
    }

    fn foreign_fields(&mut self, at: &FieldPath, step: &RawStep, kind: &str) {
        let allowed = kind_fields(kind);
        for field in step.given_fields() {
            if COMMON_STEP_FIELDS.contains(&field) || allowed.contains(&field) {
                continue;
            }
            let owner = STEP_KINDS
                .iter()
                .find(|k| kind_fields(k).contains(&field))
                .copied()
                .unwrap_or("?");
            self.error(
                &at.key(field),
                format!("`{field}` belongs to `{owner}` steps, not to a `{kind}` step"),
                Some(format!("for `{kind}`: {}", allowed.join(", "))),
            );
        }
    }

    fn proposed(
        &mut self,
        at: &FieldPath,
        step: &mut RawStep,
        inputs: &BTreeSet<&str>,
    ) -> Option<String> {
        let folder = step.proposed.take()?;
        self.template(&at.key("proposed"), &folder, inputs);
        Some(folder)
    }

    fn timeout(&mut self, at: &FieldPath, step: &RawStep, default: u64) -> u64 {
        let value = step.timeout_secs.unwrap_or(default);
        if !(1..=3600).contains(&value) {
            self.error(
                &at.key("timeout_secs"),
                format!("{value} seconds is out of range"),
                Some("1 to 3600".into()),
            );
        }
        value
    }

    fn template(&mut self, path: &FieldPath, template: &str, inputs: &BTreeSet<&str>) {
        match placeholders(template) {
            Err(error) => self.error(path, error.to_string(), None),
            Ok(found) => {
                for placeholder in found {
                    if !inputs.contains(placeholder.name.as_str())
                        && !BUILTINS.contains(&placeholder.name.as_str())
                    {
                        let valid = listed(
                            inputs.iter().copied().chain(BUILTINS),
                            inputs.len() + BUILTINS.len(),
                        );
                        self.error(
                            path,
                            format!("`{{{{{}}}}}` names no declared input", placeholder.name),
                            Some(valid),
                        );
                    }
                }
            }
        }
    }

    fn signature(&mut self, path: &FieldPath, text: &str) {
        let well_formed = text.find('(').is_some_and(|open| {
            open > 0
                && text.ends_with(')')
                && text[..open]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if !text.is_empty() && !well_formed {
            self.error(
                path,
                format!("`{text}` is not a Solidity signature"),
                Some("e.g. `setSigner(address,bool)`".into()),
            );
        }
    }

    fn checks(&mut self, at: &FieldPath, step: &mut RawStep) -> Vec<ChainCheck> {
        let raw = step.checks.take().unwrap_or_default();
        if raw.is_empty() {
            self.error(
                &at.key("checks"),
                "a chain-check needs at least one check",
                None,
            );
        }
        let mut checks = Vec::new();
        for (index, check) in raw.into_iter().enumerate() {
            let c = at.key("checks").index(index);
            let contract = self.required(&c.key("contract"), check.contract);
            let call = self.required(&c.key("call"), check.call);
            self.signature(
                &c.key("call"),
                call.split(")(")
                    .next()
                    .map(|head| format!("{head})"))
                    .as_deref()
                    .unwrap_or(""),
            );
            let op = check.op.unwrap_or_else(|| "==".into());
            if !CHECK_OPS.contains(&op.as_str()) {
                self.error(
                    &c.key("op"),
                    format!("`{op}` is not an operator"),
                    Some(CHECK_OPS.join(" ")),
                );
            }
            let values = check.values.unwrap_or_default();
            if op == "in" && values.is_empty() {
                self.error(&c.key("values"), "`in` needs a list of values", None);
            } else if op != "in" && check.value.is_none() {
                self.error(&c.key("value"), "is required for this operator", None);
            }
            checks.push(ChainCheck {
                contract,
                call,
                op,
                value: check.value,
                values,
            });
        }
        checks
    }
}
