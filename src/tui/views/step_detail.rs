use crate::engine::Position;
use crate::runbook::{CommandRun, Step, StepAction};
use crate::steps::command::rendered_command;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::run_screen::RunScreen;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, screen: &RunScreen) {
    let theme = &app.theme;
    let run = &screen.run;
    let Some(step) = run.current_step() else {
        let mut lines = match &run.position {
            Position::Aborted(reason) => vec![Line::from(Span::styled(
                format!("✗ Run aborted: {reason}"),
                theme.danger(),
            ))],
            _ => vec![Line::from(Span::styled("✓ Run completed", theme.ok()))],
        };
        lines.push(Line::from(""));
        for visited in &run.history {
            lines.push(Line::from(format!(
                "{} {} {:?}",
                visited.time.get(11..19).unwrap_or(""),
                visited.step,
                visited.outcome
            )));
        }
        lines.push(Line::from(""));
        lines.push(Line::from("Esc returns to the start screen."));
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    if matches!(step.action, StepAction::Diff { .. })
        && screen.diff.is_some()
        && run.visit.diff.is_some()
    {
        super::diff_pane::draw(frame, area, app, screen, step);
        return;
    }
    let mut lines = vec![Line::from(vec![
        Span::styled(step.title.clone(), theme.bold()),
        Span::styled(format!("  [{}]", step.action.kind_name()), theme.muted()),
    ])];
    lines.extend(
        crate::runbook::paragraphs(&step.body)
            .into_iter()
            .map(Line::from),
    );
    lines.push(Line::from(""));
    match &step.action {
        StepAction::Checklist { items } => {
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
        StepAction::Command {
            run: mode,
            expect_exit,
            timeout_secs,
            ..
        } => {
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
                CommandRun::Confirm => format!(
                    "x runs it here (asks first), limit {timeout_secs} s, must exit {expect_exit}."
                ),
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
                        format!("✗ FAILED: exit {:?}, expected {expect_exit}", ran.exit_code),
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
        StepAction::Decision { question, options } => {
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
        StepAction::Note { prompt, .. } => {
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
        StepAction::Evidence { files, min_files } => {
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
        StepAction::HttpCheck {
            url, expect_status, ..
        } => {
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
        StepAction::Signoff {
            quorum,
            signer_roles,
            exclude_executor,
            require_fingerprint,
        } => {
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
            for signoff in &run.visit.signoffs {
                let how = if signoff.attestation_sig.is_some() {
                    "attested elsewhere"
                } else {
                    "signed here"
                };
                lines.push(Line::from(Span::styled(
                    format!(
                        "  ✓ {} ({}) · {how}",
                        signoff.name,
                        signoff.roles.join(", ")
                    ),
                    theme.ok(),
                )));
            }
            lines.push(Line::from(Span::styled(format!("o signs off with your key; or `owner-console attest {}` on another machine, then `run signoff {} --import FILE`", run.id, run.id), theme.muted())));
        }
        StepAction::SafeBatch { source, calls, .. } => {
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
                lines.push(Line::from(
                    "Load it in the Safe app's Transaction Builder; the signers sign there.",
                ));
            }
        }
        StepAction::Diff {
            block_on_violation, ..
        } => {
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
        StepAction::ChainCheck { .. } | StepAction::Receipt { .. } => {
            lines.extend(super::chain_detail::lines(run, &step.action, theme))
        }
        StepAction::Chaos { fault } => {
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
    }
    lines.push(Line::from(""));
    lines.extend(closing_lines(app, screen, step));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", step.id)),
        ),
        area,
    );
}

/// The step's last lines: the irreversible warning, then what blocks it or how to complete it.
pub(super) fn closing_lines(app: &App, screen: &RunScreen, step: &Step) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let key = app.keymap.key_for(
        Context::Run,
        Some(step.action.kind_name()),
        Action::Complete,
    );
    let mut lines = Vec::new();
    if let Some(word) = &step.confirm {
        lines.push(Line::from(Span::styled(
            format!("⚠ IRREVERSIBLE: you will be asked to type `{word}`"),
            theme.danger(),
        )));
    }
    lines.push(match screen.run.completion_blocker() {
        Some(blocker) if !matches!(step.action, StepAction::Decision { .. }) => {
            Line::from(Span::styled(format!("⚠ open: {blocker}"), theme.warning()))
        }
        Some(_) => Line::from(Span::styled(
            format!("{key} chooses the option under ›"),
            theme.muted(),
        )),
        None => Line::from(Span::styled(
            format!("✓ ready: {key} completes the step"),
            theme.ok(),
        )),
    });
    lines
}
