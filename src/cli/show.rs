use super::output::out;
use super::output::print_json;
use crate::runbook::graph::flowchart;
use crate::runbook::{Runbook, Step, StepAction};
use crate::session::Session;
use std::fmt::Write;
use std::process::ExitCode;

pub fn run(session: &Session, name: &str, json: bool) -> color_eyre::Result<ExitCode> {
    let book = session.runbook(name)?;
    if json {
        print_json(book.as_ref())?;
    } else {
        out!("{}", runbook_text(&book));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn runbook_text(book: &Runbook) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {} (v{})", book.id, book.title, book.version);
    let _ = writeln!(
        out,
        "kind: {}   severity: {}   networks: {}",
        book.kind.name(),
        book.severity.name(),
        book.networks.join(", ")
    );
    if !book.roles.is_empty() {
        let _ = writeln!(out, "roles: {}", book.roles.join(", "));
    }
    let _ = writeln!(
        out,
        "file: {}   sha256: {}",
        book.path.display(),
        book.sha256
    );
    let _ = writeln!(
        out,
        "\n{}\n",
        crate::runbook::paragraphs(&book.summary).join("\n\n")
    );
    if !book.inputs.is_empty() {
        let _ = writeln!(out, "Inputs:");
        for input in &book.inputs {
            let need = if input.required {
                "required"
            } else {
                "optional"
            };
            let _ = writeln!(
                out,
                "  {} ({}, {need}) {}",
                input.name,
                input.kind.name(),
                input.description
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Flowchart:");
    for line in flowchart(book) {
        let _ = writeln!(out, "  {}{}", "    ".repeat(line.depth), line.text);
    }
    out.push('\n');
    for (index, step) in book.steps.iter().enumerate() {
        let _ = write!(out, "{}. {}", index + 1, step_text(step));
        out.push('\n');
    }
    out
}

pub fn step_text(step: &Step) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} [{}] {}",
        step.title,
        step.action.kind_name(),
        step.id
    );
    for paragraph in crate::runbook::paragraphs(&step.body) {
        let _ = writeln!(out, "   {paragraph}");
    }
    match &step.action {
        StepAction::Checklist { items } => {
            for item in items {
                let _ = writeln!(out, "   [ ] {item}");
            }
        }
        StepAction::Command {
            command, run, env, ..
        } => {
            let _ = writeln!(out, "   $ {command}");
            let _ = writeln!(out, "   {}", run.words());
            if !env.is_empty() {
                let _ = writeln!(out, "   env: {}", env.join(", "));
            }
        }
        StepAction::Decision { question, options } => {
            let _ = writeln!(out, "   ? {question}");
            for option in options {
                let _ = writeln!(
                    out,
                    "     - {} → {}  {}",
                    option.label, option.goto, option.description
                );
            }
        }
        StepAction::Note { prompt, .. } => {
            let _ = writeln!(out, "   ✎ {prompt}");
        }
        StepAction::Evidence { files, min_files } => {
            let _ = writeln!(out, "   attach at least {min_files}: {}", files.join("; "));
        }
        StepAction::HttpCheck {
            url, expect_status, ..
        } => {
            let _ = writeln!(out, "   GET {url} → expect {expect_status}");
        }
        StepAction::ChainCheck { checks } => {
            for check in checks {
                let expected = match check.op.as_str() {
                    "in" => format!("in [{}]", check.values.join(", ")),
                    op => format!("{op} {}", check.value.as_deref().unwrap_or_default()),
                };
                let _ = writeln!(out, "   read {}.{} {expected}", check.contract, check.call);
            }
        }
        StepAction::Receipt { contract, events } => {
            let _ = writeln!(out, "   receipt to {contract} with {}", events.join(", "));
        }
        StepAction::Chaos { fault } => {
            let _ = writeln!(
                out,
                "   chaos: {} on the drill's sandbox (only in a drill)",
                fault.name()
            );
        }
        _ => {}
    }
    if let Some(word) = &step.confirm {
        let _ = writeln!(out, "   ⚠ irreversible: type `{word}` to confirm");
    }
    out
}
