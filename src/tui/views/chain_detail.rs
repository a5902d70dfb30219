//! The chain-check and receipt steps in the run view: what is expected, and what the last
//! reading or receipt found, each line with its symbol and word.

use crate::engine::Run;
use crate::runbook::{ChainCheck, StepAction};
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

pub fn lines(run: &Run, action: &StepAction, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match action {
        StepAction::ChainCheck { checks } => chain_check(&mut lines, run, checks, theme),
        StepAction::Receipt { contract, events } => {
            receipt(&mut lines, run, contract, events, theme)
        }
        _ => {}
    }
    lines
}

/// What each read expects until the chain is read; then each result, at which block.
fn chain_check(lines: &mut Vec<Line<'static>>, run: &Run, checks: &[ChainCheck], theme: &Theme) {
    match run.visit.chain_checks.last() {
        None => {
            for check in checks {
                let expected = match check.op.as_str() {
                    "in" => format!("in [{}]", check.values.join(", ")),
                    op => format!("{op} {}", check.value.as_deref().unwrap_or_default()),
                };
                lines.push(Line::from(format!(
                    "· {}.{} {expected}",
                    check.contract, check.call
                )));
            }
            lines.push(Line::from(Span::styled(
                "x reads the chain (all at one block) and records the results.",
                theme.muted(),
            )));
        }
        Some(checked) => {
            for result in &checked.results {
                let style = match result.outcome {
                    crate::chain::expect::Outcome::Pass => theme.ok(),
                    crate::chain::expect::Outcome::Fail => theme.danger(),
                    crate::chain::expect::Outcome::Unknown => theme.warning(),
                };
                lines.push(Line::from(Span::styled(result.line(), style)));
            }
            lines.push(Line::from(Span::styled(
                format!(
                    "block #{} {} · {}",
                    checked.block_number, checked.block_hash, checked.source
                ),
                theme.muted(),
            )));
            if let Some(why) = &checked.refused {
                lines.push(Line::from(Span::styled(
                    format!("✗ verifies nothing: {why}"),
                    theme.danger(),
                )));
            }
            lines.push(Line::from(Span::styled("x reads again.", theme.muted())));
        }
    };
}

/// What the receipt must show; then what the last one checked did show.
fn receipt(
    lines: &mut Vec<Line<'static>>,
    run: &Run,
    contract: &str,
    events: &[String],
    theme: &Theme,
) {
    lines.push(Line::from(format!(
        "Expect: success, sent to {contract} (or the Safe), events {}",
        events.join(", ")
    )));
    match run.visit.receipts.last() {
        None => lines.push(Line::from(Span::styled(
            "x asks for the transaction hash (live) or a receipt file (offline).",
            theme.muted(),
        ))),
        Some(receipt) => {
            let (mark, style) = if receipt.passed {
                ("✓ pass", theme.ok())
            } else {
                ("✗ FAIL", theme.danger())
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "{mark} {} at block #{}",
                    receipt.tx_hash, receipt.block_number
                ),
                style,
            )));
            for event in &receipt.events {
                let word = if event.found {
                    "✓ found"
                } else {
                    "✗ missing"
                };
                lines.push(Line::from(format!("  {word} {}", event.signature)));
            }
            for problem in &receipt.problems {
                lines.push(Line::from(Span::styled(
                    format!("  ✗ {problem}"),
                    theme.danger(),
                )));
            }
            lines.push(Line::from(Span::styled(
                format!("archived as storage/{}", receipt.file),
                theme.muted(),
            )));
        }
    }
}
