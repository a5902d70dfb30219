//! One change of the diff in full: before and after, members added and removed, the words a
//! long text changes, why it has its risk class, and the guardrails over it.

use super::diff_pane::risk_style;
use crate::diff::{Change, ChangeKind, Diff};
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

/// The title and the lines of change `index` of `diff` in full.
pub fn text(diff: &Diff, theme: &Theme, index: usize) -> Option<(String, Vec<Line<'static>>)> {
    let change = diff.changes.get(index)?;
    let title = format!("Change {} of {}", index + 1, diff.changes.len());
    Some((title, lines(diff, change, theme)))
}

fn field(name: &str, value: impl Into<String>, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{name:<9}"), theme.bold()),
        Span::raw(value.into()),
    ])
}

fn lines(diff: &Diff, change: &Change, theme: &Theme) -> Vec<Line<'static>> {
    let what = match change.kind {
        ChangeKind::Added => "added: new in the proposed config",
        ChangeKind::Removed => "removed: gone from the proposed config",
        ChangeKind::Changed => "changed",
    };
    let mut lines = vec![
        Line::from(vec![
            Span::raw(format!("{} ", change.kind.symbol())),
            Span::styled(change.risk.badge(), risk_style(change.risk, theme)),
            Span::styled(format!(" {}", change.id), theme.bold()),
        ]),
        Line::from(""),
        field("change", what, theme),
        field("domain", change.domain.clone(), theme),
    ];
    if let Some(before) = &change.before {
        lines.push(field("before", before.clone(), theme));
    }
    if let Some(after) = &change.after {
        lines.push(field("after", after.clone(), theme));
    }
    for member in &change.added {
        lines.push(field(
            "added",
            format!("+ {}", change.member_shown(member)),
            theme,
        ));
    }
    for member in &change.removed {
        lines.push(field(
            "removed",
            format!("- {}", change.member_shown(member)),
            theme,
        ));
    }
    if !change.inline.is_empty() {
        let mut words = vec![Span::styled(format!("{:<9}", "words"), theme.bold())];
        words.extend(change.inline.iter().map(|(mark, text)| match mark {
            '-' => Span::styled(format!("[-{text}-]"), theme.danger()),
            '+' => Span::styled(format!("{{+{text}+}}"), theme.ok()),
            _ => Span::raw(text.clone()),
        }));
        lines.push(Line::from(words));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled(format!("{:<9}", "risk"), theme.bold()),
        Span::styled(change.risk.badge(), risk_style(change.risk, theme)),
        Span::raw(format!(" {}: {}", change.risk.words(), change.why)),
    ]));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("Guardrails over it", theme.bold())));
    lines.extend(guardrails(diff, change, theme));
    lines
}

fn guardrails(diff: &Diff, change: &Change, theme: &Theme) -> Vec<Line<'static>> {
    let findings: Vec<_> = diff
        .guardrails
        .iter()
        .filter(|g| g.violation.params.contains(&change.id))
        .collect();
    let mut lines: Vec<Line> = findings
        .iter()
        .map(|g| {
            let v = &g.violation;
            let (mark, style) = if g.blocking {
                ("✗ BLOCKED", theme.danger())
            } else {
                ("⚠ already broken", theme.warning())
            };
            Line::from(vec![
                Span::styled(format!("  {mark} {}: {}", v.guardrail, v.found), style),
                Span::raw(format!(" — valid: {}", v.valid)),
            ])
        })
        .collect();
    for id in &change.checked_by {
        if !findings.iter().any(|g| &g.violation.guardrail == id) {
            lines.push(Line::from(Span::styled(
                format!("  ✓ holds {id}"),
                theme.ok(),
            )));
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "  none in the catalogue",
            theme.muted(),
        )));
    }
    lines
}
