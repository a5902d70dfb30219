//! What each kind of step shows in its pane: its items, command, options, checks, the
//! results recorded so far.

use crate::runbook::{CommandRun, Step, StepAction};
use crate::steps::command::rendered_command;
use crate::tui::run::RunScreen;
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

pub fn lines(screen: &RunScreen, step: &Step, theme: &Theme) -> Vec<Line<'static>> {
    let run = &screen.run;
    let mut lines = Vec::new();
    match &step.action {
        StepAction::Checklist { .. } => checklist(&mut lines, screen, &step.action, theme),
        StepAction::Command { .. } => command(&mut lines, screen, &step.action, theme),
        StepAction::Decision { .. } => decision(&mut lines, screen, &step.action, theme),
        StepAction::Note { .. } => note(&mut lines, screen, &step.action, theme),
        StepAction::Evidence { .. } => evidence(&mut lines, screen, &step.action, theme),
        StepAction::HttpCheck { .. } => http_check(&mut lines, screen, &step.action, theme),
        StepAction::Signoff { .. } => signoff(&mut lines, screen, &step.action, theme),
        StepAction::SafeBatch { .. } => {
            safe_batch(&mut lines, screen, &step.action, theme);
            simulations(&mut lines, screen, theme);
        }
        StepAction::Simulate => simulations(&mut lines, screen, theme),
        StepAction::Diff { .. } => diff(&mut lines, screen, &step.action, theme),
        StepAction::ChainCheck { .. } | StepAction::Receipt { .. } => {
            lines.extend(super::chain_detail::lines(run, &step.action, theme))
        }
        StepAction::Chaos { .. } => chaos(&mut lines, screen, &step.action, theme),
    }
    lines
}

/// Each item, ticked or not, the cursor on one.
fn checklist(
    lines: &mut Vec<Line<'static>>,
    screen: &RunScreen,
    action: &StepAction,
    theme: &Theme,
) {
    let run = &screen.run;
    let StepAction::Checklist { items } = action else {
        return;
    };
    for (index, item) in items.iter().enumerate() {
        let ticked = run.visit.checked.contains(&index);
        let pointer = if index == screen.cursor { "› " } else { "  " };
        let (mark, style) = if ticked {
            ("[x] ", theme.ok())
        } else {
            ("[ ] ", theme.bold())
        };
        let style = if index == screen.cursor {
            style.patch(theme.selected())
        } else {
            style
        };
        lines.push(Line::from(vec![
            Span::raw(pointer),
            Span::styled(format!("{mark}{item}"), style),
        ]));
    }
}

/// The command as it will run, how it runs, and how it last ran.
fn command(lines: &mut Vec<Line<'static>>, screen: &RunScreen, action: &StepAction, theme: &Theme) {
    let run = &screen.run;
    let StepAction::Command {
        run: mode,
        expect_exit,
        timeout_secs,
        ..
    } = action
    else {
        return;
    };
    match rendered_command(run) {
        Some(Ok(command)) => lines.push(Line::from(Span::styled(
            format!("$ {command}"),
            theme.accent(),
        ))),
        Some(Err(error)) => lines.push(Line::from(Span::styled(
            format!("✗ {error}"),
            theme.danger(),
        ))),
        None => {}
    }
    lines.push(Line::from(match mode {
        CommandRun::Never => "Shown only: copy and run it yourself, then Enter.".to_owned(),
        CommandRun::Confirm => {
            format!("x runs it here (asks first), limit {timeout_secs} s, must exit {expect_exit}.")
        }
    }));
    if let Some(ran) = run.visit.commands.last() {
        let (text, style) = match (ran.passed, ran.timed_out) {
            (true, _) => (
                format!(
                    "✓ PASSED: exit {} in {} ms",
                    ran.exit_code.unwrap_or_default(),
                    ran.duration_ms
                ),
                theme.ok(),
            ),
            (false, true) => (
                format!("✗ FAILED: timed out after {} ms", ran.duration_ms),
                theme.danger(),
            ),
            (false, false) => (
                format!("✗ FAILED: {}, expected exit {expect_exit}", ran.ended()),
                theme.danger(),
            ),
        };
        lines.push(Line::from(Span::styled(text, style)));
        for output in ran.stdout.lines().chain(ran.stderr.lines()).take(6) {
            lines.push(Line::from(Span::styled(
                format!("  {output}"),
                theme.muted(),
            )));
        }
    }
}

/// The question and its options, the cursor on one.
fn decision(
    lines: &mut Vec<Line<'static>>,
    screen: &RunScreen,
    action: &StepAction,
    theme: &Theme,
) {
    let StepAction::Decision { question, options } = action else {
        return;
    };
    lines.push(Line::from(Span::styled(
        format!("? {question}"),
        theme.bold(),
    )));
    for (index, option) in options.iter().enumerate() {
        let chosen = index == screen.cursor;
        let pointer = if chosen { "› " } else { "  " };
        let style = if chosen {
            theme.selected()
        } else {
            theme.bold()
        };
        lines.push(Line::from(vec![
            Span::raw(pointer),
            Span::styled(format!("{} → {}", option.label, option.goto), style),
        ]));
        if !option.description.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("    {}", option.description),
                theme.muted(),
            )));
        }
    }
}

/// The prompt and the note recorded so far.
fn note(lines: &mut Vec<Line<'static>>, screen: &RunScreen, action: &StepAction, theme: &Theme) {
    let run = &screen.run;
    let StepAction::Note { prompt, .. } = action else {
        return;
    };
    lines.push(Line::from(Span::styled(
        format!("✎ {prompt}"),
        theme.bold(),
    )));
    match &run.visit.note {
        Some(text) if !text.trim().is_empty() => {
            lines.extend(text.lines().map(|l| Line::from(format!("  {l}"))))
        }
        _ => lines.push(Line::from(Span::styled(
            "  (empty: n to write)",
            theme.muted(),
        ))),
    }
}

/// What to attach, and what is attached.
fn evidence(
    lines: &mut Vec<Line<'static>>,
    screen: &RunScreen,
    action: &StepAction,
    theme: &Theme,
) {
    let run = &screen.run;
    let StepAction::Evidence { files, min_files } = action else {
        return;
    };
    lines.push(Line::from(format!(
        "Attach at least {min_files}: {}",
        files.join("; ")
    )));
    for (name, sha256, size) in &run.visit.attachments {
        lines.push(Line::from(Span::styled(
            format!("  ✓ {name} ({size} bytes, sha256 {}…)", &sha256[..12]),
            theme.ok(),
        )));
    }
}

/// The request, what it expects, and the last check.
fn http_check(
    lines: &mut Vec<Line<'static>>,
    screen: &RunScreen,
    action: &StepAction,
    theme: &Theme,
) {
    let run = &screen.run;
    let StepAction::HttpCheck {
        url, expect_status, ..
    } = action
    else {
        return;
    };
    lines.push(Line::from(format!(
        "GET {url} → expect {expect_status}   (x to check)"
    )));
    if let Some(checked) = run.visit.http.last() {
        let (mark, style) = if checked.passed {
            ("✓ PASSED", theme.ok())
        } else {
            ("✗ FAILED", theme.danger())
        };
        lines.push(Line::from(Span::styled(
            format!("{mark}: {}", checked.detail),
            style,
        )));
    }
}

/// Who must sign off, and who did.
fn signoff(lines: &mut Vec<Line<'static>>, screen: &RunScreen, action: &StepAction, theme: &Theme) {
    let run = &screen.run;
    let StepAction::Signoff {
        quorum,
        signer_roles,
        exclude_executor,
        require_fingerprint,
        require_simulation,
    } = action
    else {
        return;
    };
    let roles = if signer_roles.is_empty() {
        "any role".to_owned()
    } else {
        signer_roles.join(" or ")
    };
    lines.push(Line::from(format!(
        "Needs {quorum} distinct approver(s) holding {roles}."
    )));
    if *exclude_executor {
        lines.push(Line::from(
            "Whoever started the run cannot count (separation of duties).",
        ));
    }
    if *require_fingerprint {
        lines.push(Line::from(
            "Each approver gives their own diff fingerprint, computed on their machine.",
        ));
    }
    if *require_simulation {
        let (text, style) = match run.simulation_missing() {
            None => (
                "✓ a passing simulation of the batch is recorded".to_owned(),
                theme.ok(),
            ),
            Some(missing) => (
                format!("Counts only after a passing simulation: {missing}"),
                theme.bold(),
            ),
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    if let Some(hash) = run.safe_tx_hash() {
        lines.push(Line::from(
            "Each sign-off also signs the Safe transaction hash, as a hardware wallet shows it:",
        ));
        lines.push(Line::from(Span::styled(hash.to_owned(), theme.bold())));
    }
    for signoff in &run.visit.signoffs {
        let how = if signoff.attestation_sig.is_some() {
            "attested elsewhere"
        } else {
            "signed here"
        };
        let safe = match &signoff.safe_tx {
            Some(signed) if run.safe_tx_hash() == Some(signed.safe_tx_hash.as_str()) => {
                " · Safe transaction signed"
            }
            Some(_) => " · signed another Safe transaction",
            None => "",
        };
        lines.push(Line::from(Span::styled(
            format!(
                "  ✓ {} ({}) · {how}{safe}",
                signoff.name,
                signoff.roles.join(", ")
            ),
            theme.ok(),
        )));
    }
    lines.push(Line::from(Span::styled(format!("o signs off with your key; or `owner-console attest {}` on another machine, then `run signoff {} --import FILE`", run.id, run.id), theme.muted())));
}

/// The simulations of the run's batch recorded at this step, and how to make one.
fn simulations(lines: &mut Vec<Line<'static>>, screen: &RunScreen, theme: &Theme) {
    let run = &screen.run;
    for simulation in &run.visit.simulations {
        let (mark, style) = if simulation.passed {
            ("✓", theme.ok())
        } else {
            ("✗", theme.bold())
        };
        let how = if simulation.imported {
            "imported"
        } else {
            "simulated here"
        };
        lines.push(Line::from(Span::styled(
            format!(
                "{mark} simulation at block #{} ({how}{}): {}",
                simulation.fork_block,
                if simulation.atomic {
                    ""
                } else {
                    ", not atomic"
                },
                simulation.verdict
            ),
            style,
        )));
    }
    if run.last_batch.is_some() {
        lines.push(Line::from(Span::styled(
            format!(
                "m simulates the batch on a fork of the network; or `owner-console run next {} --simulation REPORT` with a report made on a connected machine",
                run.id
            ),
            theme.muted(),
        )));
    }
}

/// What the batch is made of, and the batch once prepared.
fn safe_batch(
    lines: &mut Vec<Line<'static>>,
    screen: &RunScreen,
    action: &StepAction,
    theme: &Theme,
) {
    let run = &screen.run;
    let StepAction::SafeBatch { source, calls, .. } = action else {
        return;
    };
    let from = if source == "diff" {
        "the changes of this run's diff".to_owned()
    } else {
        format!("{} call(s) listed in the runbook", calls.len())
    };
    lines.push(Line::from(format!(
        "A Safe Transaction Builder batch of {from}; x prepares and checks it."
    )));
    if let Some(batch) = &run.visit.batch {
        lines.push(Line::from(Span::styled(
            format!(
                "✓ storage/{} · {} transaction(s)",
                batch.file, batch.transactions
            ),
            theme.ok(),
        )));
        lines.push(Line::from(Span::styled(
            format!("Safe checksum {}", batch.checksum),
            theme.muted(),
        )));
        if let Some(tx) = &batch.safe_transaction {
            lines.push(Line::from(format!("Safe {} · nonce {}", tx.safe, tx.nonce)));
            for (label, hash) in [
                ("Domain hash", &tx.domain_hash),
                ("Message hash", &tx.message_hash),
                ("Safe transaction hash", &tx.safe_tx_hash),
            ] {
                lines.push(Line::from(Span::styled(label, theme.muted())));
                lines.push(Line::from(Span::styled(hash.clone(), theme.bold())));
            }
        }
        lines.push(Line::from(
            "Load it in the Safe app's Transaction Builder; the signers sign there.",
        ));
    }
}

/// The diff recorded, or what computing it does.
fn diff(lines: &mut Vec<Line<'static>>, screen: &RunScreen, action: &StepAction, theme: &Theme) {
    let run = &screen.run;
    let StepAction::Diff {
        block_on_violation, ..
    } = action
    else {
        return;
    };
    match &run.visit.diff {
        Some(recorded) => {
            lines.push(Line::from(Span::styled(
                recorded.summary.clone(),
                theme.bold(),
            )));
            lines.push(Line::from(Span::styled(
                format!("fingerprint {}", recorded.fingerprint),
                theme.muted(),
            )));
            lines.push(Line::from("x computes it again to show each change."));
        }
        None => lines.push(Line::from(
            "x compares the proposed config with the current state and records the fingerprint.",
        )),
    }
    if *block_on_violation {
        lines.push(Line::from(Span::styled(
            "A guardrail violation blocks this step.",
            theme.muted(),
        )));
    }
}

/// The fault, and when it was injected.
fn chaos(lines: &mut Vec<Line<'static>>, screen: &RunScreen, action: &StepAction, theme: &Theme) {
    let run = &screen.run;
    let StepAction::Chaos { fault } = action else {
        return;
    };
    lines.push(Line::from(format!(
        "Fault: {} on the drill's sandbox, for real   (x to inject)",
        fault.name()
    )));
    if let Some(chaos) = &run.visit.chaos {
        lines.push(Line::from(Span::styled(
            format!("✓ INJECTED at {}: {}", chaos.done_at, chaos.detail),
            theme.ok(),
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::{BatchPrepared, SafeTxRecorded, SafeTxSignature, Signoff};
    use crate::engine::run::Position;
    use std::path::Path;

    const HASH: &str = "0x3f1c9e0d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d";

    /// The fee update's sign-off of the Safe signatures, after a batch whose Safe transaction
    /// hash is [`HASH`], with `signoffs` recorded.
    fn collecting(signoffs: Vec<Signoff>) -> (RunScreen, Step) {
        let text = include_str!("../../../runbooks/update/fee-update.toml");
        let book = crate::runbook::load::load_text(Path::new("fee-update.toml"), text)
            .runbook
            .expect("the shipped fee update loads");
        let step = book
            .steps
            .iter()
            .find(|step| step.id == "collect-signatures")
            .expect("a collect-signatures step")
            .clone();
        let mut run = crate::tui::run::preview_run(std::sync::Arc::new(book), "demo", "alice");
        run.position = Position::At(step.id.clone());
        run.last_batch = Some(BatchPrepared {
            safe_transaction: Some(SafeTxRecorded {
                safe: "0x5afe".into(),
                nonce: "7".into(),
                domain_hash: "0xd0".into(),
                message_hash: "0x3e".into(),
                safe_tx_hash: HASH.into(),
            }),
            step: "safe-batch".into(),
            file: "batch.json".into(),
            sha256: "0x5a".into(),
            file_sha256: "0x5b".into(),
            checksum: "0x5c".into(),
            transactions: 2,
            diff_fingerprint: None,
        });
        run.visit.signoffs = signoffs;
        let drafts = crate::session::drafts::Drafts::in_storage(Path::new("/nonexistent"));
        (RunScreen::new(run, drafts), step)
    }

    fn signoff(name: &str, safe_tx_hash: Option<&str>) -> Signoff {
        Signoff {
            step: "collect-signatures".into(),
            approver: "0xb0b".into(),
            name: name.into(),
            roles: vec!["approver".into()],
            subject: "s".into(),
            fingerprint: None,
            attestation_sig: None,
            attested_at: None,
            safe_tx: safe_tx_hash.map(|hash| SafeTxSignature {
                safe_tx_hash: hash.into(),
                signature: "0x51".into(),
            }),
        }
    }

    fn text(screen: &RunScreen, step: &Step) -> String {
        let theme = Theme::new(false, &Default::default()).unwrap();
        lines(screen, step, &theme)
            .iter()
            .map(|line| line.to_string() + "\n")
            .collect()
    }

    #[test]
    fn a_signoff_shows_the_safe_hash_it_signs_and_who_signed_it() {
        let (screen, step) = collecting(vec![
            signoff("bob", Some(HASH)),
            signoff("carol", Some("0xdead")),
            signoff("dave", None),
        ]);
        let shown = text(&screen, &step);
        assert!(
            shown.contains(&format!("hardware wallet shows it:\n{HASH}\n")),
            "{shown}"
        );
        assert!(
            shown.contains("✓ bob (approver) · signed here · Safe transaction signed"),
            "{shown}"
        );
        assert!(
            shown.contains("✓ carol (approver) · signed here · signed another Safe transaction"),
            "{shown}"
        );
        assert!(
            shown.contains("✓ dave (approver) · signed here\n"),
            "{shown}"
        );
    }
}
